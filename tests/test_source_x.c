/*
 * source-x end to end: `kudos collect` over the fixtures in
 * tests/fixtures/x (API v2 pages, an archive tweets.js) and over the real
 * payloads in ../shared/fixtures/real/twitter, then `kudos list --json` /
 * `kudos show ID --json` to see what was stored.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define PLUGIN "x"
#define FIX KT_SRC "/tests/fixtures/x"

#include "source_listing_test.h"

static const cJSON *media_at(const cJSON *item, int i)
{
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(item, "media"), i);
	cr_assert(m, "no media[%d]", i);
	return m;
}

Test(source_x, v2_page_joins_users_media_and_maps_retweets)
{
	char *err = NULL;
	cJSON *items = kt_collect("x", FIX "/search/page_01.json", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(items), 6, "want 6 items, got %d\n%s",
	             cJSON_GetArraySize(items), err);

	const cJSON *t = must(items, "1765432109876543210");
	assert_str(t, "id", "x:1765432109876543210");
	assert_str(t, "kind", "social_post");
	assert_str(t, "author.name", "María José 🍞");
	assert_str(t, "author.handle", "@maria_bakes");
	assert_str(t, "author.url", "https://x.com/maria_bakes");
	assert_str(t, "author.avatar",
	           "https://pbs.twimg.com/profile_images/1499999999999999001/aBcD_normal.jpg");
	assert_str(t, "text", "Just tried the new oat @acme latte & honestly… wow ☕️\nBest 4€ "
	                      "I've spent this week! https://t.co/AbCdEf1234");
	assert_str(t, "created_at", "2026-03-01T09:30:12Z");
	assert_str(t, "language", "en");
	assert_str(t, "permalink", "https://x.com/maria_bakes/status/1765432109876543210");
	assert_null(t, "in_reply_to");

	const cJSON *reply = must(items, "1765440000000000002");
	assert_str(reply, "in_reply_to", "1765432109876543210");
	assert_str(reply, "text", "@maria_bakes Agreed, their oat latte is 🔥 <3");
	assert_str(reply, "author.handle", "@jopark");

	/* The retweet became the original, by its own author. */
	cr_assert_null(by_ext(items, "1765450000000000003"), "a retweet was kept as its own item");
	cr_assert_null(by_ext(items, "1765450000000000004"), "a retweet without original was kept");
	const cJSON *orig = must(items, "1765300000000000300");
	assert_str(orig, "author.handle", "@kenji_t");
	assert_str(orig, "author.name", "健二");
	assert_str(orig, "text", "アクメのコーヒー、最高でした！また行きます。");
	assert_str(orig, "language", "ja");
	assert_str(orig, "created_at", "2026-02-28T22:10:05Z");

	/* A suspended author: no author, never invented. */
	const cJSON *anon = must(items, "1765460000000000005");
	assert_null(anon, "author.name");
	assert_null(anon, "author.handle");
	assert_null(anon, "author.url");
	assert_str(anon, "permalink", "https://x.com/i/web/status/1765460000000000005");

	/* note_tweet: the whole long post, not the truncated text. */
	const cJSON *de = must(items, "1765470000000000006");
	const char *text = jget(de, "text");
	cr_assert(text && strstr(text, "nächstes Mal probiere ich den Cold Brew."), "%s", text);
	cr_assert(strstr(text, "freundlich.\n\nDie Wartezeit"), "%s", text);
	assert_str(de, "language", "de");

	cr_assert(strstr(err, "page_01.json: errors[0]"), "stderr: %s", err);
	cr_assert(strstr(err, "User has been suspended"), "stderr: %s", err);
	free(err);
	cJSON_Delete(items);
}

Test(source_x, v2_media_counts_and_meta)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/search/page_01.json", NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	cJSON *t = show(dir, "x:1765432109876543210");
	assert_str(media_at(t, 0), "type", "image");
	assert_str(media_at(t, 0), "url", "https://pbs.twimg.com/media/GHiJkLmNoPq.jpg");
	assert_str(media_at(t, 0), "alt", "An oat latte with leaf art on a wooden table");
	assert_str(t, "meta.likes", "42");
	assert_str(t, "meta.replies", "3");
	assert_str(t, "meta.reposts", "5");
	assert_str(t, "meta.quotes", "1");
	assert_str(t, "meta.author_id", "1499999999999999001");
	cJSON_Delete(t);

	/* A video by its best mp4; a GIF without variants by its preview. */
	t = show(dir, "x:1765480000000000007");
	assert_str(media_at(t, 0), "type", "video");
	assert_str(media_at(t, 0), "url",
	           "https://video.twimg.com/ext_tw_video/1765000000000000007/pu/vid/720x1280/high.mp4");
	assert_str(media_at(t, 1), "type", "image");
	assert_str(media_at(t, 1), "url", "https://pbs.twimg.com/tweet_video_thumb/CatGif.jpg");
	assert_str(t, "meta.quoted_tweet_id", "1765432109876543210");
	cJSON_Delete(t);

	t = show(dir, "x:1765300000000000300");
	assert_str(t, "meta.via_retweet", "1765450000000000003");
	assert_str(t, "meta.likes", "88");
	cJSON_Delete(t);

	t = show(dir, "x:1765460000000000005");
	assert_str(t, "meta.author_missing", "true");
	assert_str(t, "meta.author_id", "1499999999999999404");
	cJSON_Delete(t);

	kt_rmtree(dir);
	free(dir);
}

Test(source_x, pagination_folder_reads_every_page)
{
	cJSON *items = kt_collect("x", FIX "/search", NULL, NULL);
	cr_assert_eq(cJSON_GetArraySize(items), 8);
	const cJSON *media_only = must(items, "1764900000000000010");
	assert_null(media_only, "language"); /* "qme" is not a language */
	const cJSON *fr = must(items, "1764890000000000011");
	assert_str(fr, "text", "Franchement, le meilleur café de Lyon. Merci @acme ! 🇫🇷");
	assert_str(fr, "language", "fr");
	assert_str(fr, "author.name", "Élodie Martin");
	assert_str(fr, "created_at", "2026-02-27T16:59:59Z");
	cJSON_Delete(items);
}

Test(source_x, archive_tweets_js)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/tweets.js",
	                             "\"archive_username\": \"@acme_fan\", \"archive_name\": \"Acme Fan\"",
	                             "-v");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "tweets.js (archive): 2 items, 1 retweets skipped"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 2);

	cJSON *t = show(dir, "x:1701111111111111111");
	assert_str(t, "text", "Three years of Acme beans & I still look forward to every "
	                      "delivery.\nSmall things, big mornings ☀️");
	assert_str(t, "created_at", "2023-09-11T07:15:02Z");
	assert_str(t, "author.handle", "@acme_fan");
	assert_str(t, "author.name", "Acme Fan");
	assert_str(t, "permalink", "https://x.com/acme_fan/status/1701111111111111111");
	assert_str(t, "meta.likes", "14");
	assert_str(t, "meta.reposts", "2");
	cJSON_Delete(t);

	t = show(dir, "x:1702222222222222222");
	assert_str(t, "in_reply_to", "1702000000000000001");
	assert_str(t, "text", "@acme the new roast is 10/10 <3 & thank you! https://t.co/PhOtO12345");
	assert_str(t, "created_at", "2023-09-14T18:40:59Z");
	assert_str(t, "meta.in_reply_to_user_id", "1200000000000000000");
	assert_str(media_at(t, 0), "url", "https://pbs.twimg.com/media/F6xYzAbWcAA1234.jpg");
	assert_str(media_at(t, 0), "alt", "A bag of Acme beans next to a grinder");
	cr_assert_null(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "media"), 1),
	               "extended_entities and entities media counted twice");
	cJSON_Delete(t);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, archive_without_owner_has_no_author)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/tweets.js", NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *t = show(dir, "x:1701111111111111111");
	assert_null(t, "author.name");
	assert_null(t, "author.handle");
	assert_str(t, "meta.author_missing", "true");
	assert_str(t, "permalink", "https://x.com/i/web/status/1701111111111111111");
	cJSON_Delete(t);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, bad_archive_username_is_refused)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/tweets.js", "\"archive_username\": \"acme fan!\"", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "archive_username"), "%s", r.err);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, truncated_json_fails_with_position_and_keeps_nothing)
{
	char *dir = kt_tmpdir();
	char *pages = kt_path(dir, "pages");
	char *good = kt_path(pages, "page_01.json"), *bad = kt_path(pages, "page_02.json");
	char *src = kt_read(FIX "/search/page_02.json");
	kt_write(good, src);
	kt_write(bad, "{\n  \"data\": [\n    {\"id\": \"1\", \"text\": \"Great coffee\"},\n"
	              "    {\"id\": \"2\", \"text\": \"Also gre");
	struct kt_run r = collect_in(dir, pages, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "page_02.json:4:"), "no file:line: %s", r.err);
	cr_assert(strstr(r.err, "cut short"), "%s", r.err);
	kt_run_free(&r);
	/* The good page before it was rolled back with the source. */
	cr_assert_eq(list_count(dir), 0);

	kt_write(bad, "{\"data\": [\n  {\"id\": \"1\", \"text\": \"hi\"} }\n");
	r = collect_in(dir, bad, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "page_02.json:2:"), "%s", r.err);
	cr_assert(strstr(r.err, "unexpected '}'"), "%s", r.err);
	kt_run_free(&r);
	free(src);
	free(good);
	free(bad);
	free(pages);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, bad_entries_are_skipped_with_their_position)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "mixed.json");
	kt_write(file, "{\"data\": [\n"
	               " {\"id\": \"101\", \"text\": \"Acme delivered early, thanks!\"},\n"
	               " {\"id\": 5.5, \"text\": \"fractional id\"},\n"
	               " {\"text\": \"no id\"},\n"
	               " {\"id\": \"104\", \"text\": 7},\n"
	               " \"not a tweet\",\n"
	               " {\"id\": 12345678901234567890, \"text\": \"an id that lost digits\"},\n"
	               " {\"id\": 107, \"text\": \"a small numeric id is fine\", "
	               "\"created_at\": \"yesterday\"}\n"
	               "]}\n");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	for (int i = 1; i <= 5; i++) {
		char want[32];
		snprintf(want, sizeof want, "mixed.json: data[%d]", i);
		cr_assert(strstr(r.err, want), "no warning for data[%d]: %s", i, r.err);
	}
	cr_assert(strstr(r.err, "2^53"), "%s", r.err);
	cr_assert(strstr(r.err, "data[6]: created_at \"yesterday\""), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 2);
	cJSON *t = show(dir, "x:107");
	assert_str(t, "text", "a small numeric id is fine");
	cJSON_Delete(t);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, unknown_shape_fails_naming_the_file)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "profile.json");
	kt_write(file, "{\"title\": \"Unauthorized\", \"status\": 401}");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "profile.json: neither an X API v2 response"), "%s", r.err);
	kt_run_free(&r);
	kt_write(file, "");
	r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "profile.json: the file is empty"), "%s", r.err);
	kt_run_free(&r);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_x, real_fixtures)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is missing: the real X payloads were NOT tested");
		cr_skip_test("../shared/fixtures/real/twitter not found");
	}
	char *folder = kt_path(real, "twitter"), *err = NULL;
	cJSON *items = kt_collect("x", folder, NULL, &err);
	/* 7 files: 1 archive tweet, 10 tweepy, 6 of 10 default (4 retweets),
	 * 4 with expansions, 0 of 10 media (all retweets), 3 of 10 tweet
	 * fields (7 retweets), 1 partial lookup. */
	cr_assert_eq(cJSON_GetArraySize(items), 25, "got %d items\n%s", cJSON_GetArraySize(items),
	             err);

	const cJSON *t = must(items, "1276035977375477760");
	assert_str(t, "author.name", "Emily Waligoske 🏕");
	assert_str(t, "author.handle", "@happycamper");
	assert_str(t, "created_at", "2020-06-25T06:14:19Z");
	assert_str(t, "in_reply_to", "1275653067283759104");
	assert_str(t, "text", "@snowman Ooo, thanks error message, public_metircs are not the "
	                      "metrics you’re looking for https://t.co/14TzLYBBXi");

	t = must(items, "1690395372546301952");
	assert_str(t, "created_at", "2023-08-12T16:10:37Z");
	const char *text = jget(t, "text");
	cr_assert(text && strncmp(text, "@ThePrimeagen to answer your question", 37) == 0, "%s", text);
	cr_assert(strstr(text, "from;\n\nhttps://t.co/4LBPKIGBzf\n\n..."), "%s", text);
	assert_null(t, "author.handle");

	t = must(items, "1275840891014561796");
	cr_assert(strstr(jget(t, "text"), "(not a worry in this setting) & kids from MD"), "%s",
	          jget(t, "text"));
	assert_str(must(items, "20"), "text", "just setting up my twttr");
	assert_str(must(items, "1578516068309794817"), "text", "2022-10-07 22:42:12.637103 tweepy");

	cr_assert_null(by_ext(items, "1275840892285399041"), "a retweet was kept");
	cr_assert_null(by_ext(items, "1278020251041570816"), "a retweet was kept");
	cr_assert_null(by_ext(items, "1275840243636322304"), "an \"RT @\" text was kept");
	cr_assert(strstr(err, "Could not find tweet with ids: [1276230436478386177]"), "%s", err);
	free(err);
	cJSON_Delete(items);

	/* The media page holds only retweets whose originals are absent. */
	char *media = kt_path(folder, "v2_search_recent_expansions_media.json");
	items = kt_collect("x", media, NULL, NULL);
	cr_assert_eq(cJSON_GetArraySize(items), 0);
	cJSON_Delete(items);
	free(media);
	free(folder);
}
