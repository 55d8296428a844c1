/*
 * source-reddit end to end: `kudos collect` over the fixtures in
 * tests/fixtures/reddit (a /comments pair with nested replies, a folder of
 * search pages) and over the real payloads in
 * ../shared/fixtures/real/reddit, then `kudos list --json` /
 * `kudos show ID --json` to see what was stored.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define PLUGIN "reddit"
#define FIX KT_SRC "/tests/fixtures/reddit"

#include "source_listing_test.h"

static const cJSON *media_at(const cJSON *item, int i)
{
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(item, "media"), i);
	cr_assert(m, "no media[%d]", i);
	return m;
}

Test(source_reddit, comments_pair_walks_nested_replies)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/comments_1b9xk2q.json", NULL, "-v");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "[1].children[1] (comment kty4d04) is removed by a moderator; "
	                        "skipped"),
	          "%s", r.err);
	cr_assert(strstr(r.err, "comments_1b9xk2q.json: 6 items, 1 removed or deleted, 0 "
	                        "crossposts without their original, 2 \"more\" stubs"),
	          "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 6);

	cJSON *t = show(dir, "reddit:1b9xk2q");
	assert_str(t, "kind", "social_post");
	assert_str(t, "title", "Acme & Co. oat latte review");
	assert_str(t, "text", "Tried the **oat latte** at Acme & Co. today.\n\n- creamy\n- not too "
	                      "sweet\n\n10/10 would queue again >_<");
	assert_str(t, "author.name", "latte_lover");
	assert_str(t, "author.handle", "u/latte_lover");
	assert_str(t, "author.url", "https://www.reddit.com/user/latte_lover");
	assert_str(t, "created_at", "2024-03-01T09:30:12Z");
	assert_str(t, "updated_at", "2024-03-01T10:30:00Z");
	assert_str(t, "permalink",
	           "https://www.reddit.com/r/coffee/comments/1b9xk2q/acme_co_oat_latte_review/");
	assert_null(t, "in_reply_to");
	assert_str(t, "meta.likes", "57");
	assert_str(t, "meta.replies", "6");
	assert_str(t, "meta.subreddit", "coffee");
	cJSON_Delete(t);

	t = show(dir, "reddit:kty1a01");
	assert_str(t, "in_reply_to", "1b9xk2q");
	assert_str(t, "text", "Agreed! Their cold brew is great too 😍");
	assert_str(t, "created_at", "2024-03-01T09:40:00Z"); /* 1709286000.75 */
	assert_null(t, "updated_at");
	assert_str(t, "meta.link_id", "1b9xk2q");
	cJSON_Delete(t);

	/* A deleted account: the words stay, the author is not invented. */
	t = show(dir, "reddit:kty2b02");
	assert_str(t, "text", "Franchement, le meilleur café de Lyon 🇫🇷");
	assert_str(t, "in_reply_to", "kty1a01");
	assert_null(t, "author.name");
	assert_null(t, "author.handle");
	assert_null(t, "author.url");
	assert_str(t, "meta.author_missing", "true");
	/* No permalink in the payload: built from the post of the response. */
	assert_str(t, "permalink", "https://www.reddit.com/r/coffee/comments/1b9xk2q/"
	                           "acme_co_oat_latte_review/kty2b02/");
	cJSON_Delete(t);

	t = show(dir, "reddit:kty3c03");
	assert_str(t, "in_reply_to", "kty2b02");
	assert_str(t, "text", "Merci ! <3");
	cJSON_Delete(t);

	/* No body: body_html (escaped, as without raw_json=1) as text. */
	t = show(dir, "reddit:kty5e05");
	assert_str(t, "text", "Line one\nLine two & more");
	assert_str(t, "updated_at", "2024-03-01T10:13:20Z");
	cJSON_Delete(t);

	t = show(dir, "reddit:kty6f06");
	assert_str(t, "text", "アクメのラテ、最高でした。");
	cJSON_Delete(t);
	kt_rmtree(dir);
	free(dir);
}

Test(source_reddit, search_pages_folder)
{
	char *dir = kt_tmpdir();
	struct kt_run r = collect_in(dir, FIX "/search", NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	/* 1b8zzz1, 1b8zzz2, 1b7yyy4 and 1b6orig: the removed post and both
	 * crossposts are not items. */
	cr_assert_eq(list_count(dir), 4);

	/* A crosspost is the original post, by its own author. */
	cJSON *t = show(dir, "reddit:1b6orig");
	assert_str(t, "author.handle", "u/barista_bea");
	assert_str(t, "title", "Acme in Porto");
	assert_str(t, "text", "Best pastel de nata pairing ever. The flat white at Acme Porto is "
	                      "the real deal.");
	assert_str(t, "created_at", "2024-02-27T02:13:20Z");
	assert_str(t, "meta.via_crosspost", "1b7xpost");
	cJSON_Delete(t);

	t = show(dir, "reddit:1b8zzz1");
	assert_str(t, "title", "Is Acme worth it?");
	assert_str(t, "text", "Short answer: yes.\n\nLong answer: *absolutely* yes. Their "
	                      "baristas know what they're doing & it shows.");
	assert_str(t, "created_at", "2024-02-29T09:46:40Z");
	cJSON_Delete(t);

	/* A link post: its title is the words; the image is its media. */
	t = show(dir, "reddit:1b8zzz2");
	assert_str(t, "text", "My morning at Acme ☕📸");
	assert_null(t, "title");
	assert_str(t, "created_at", "2024-02-29T10:46:40Z");
	assert_str(media_at(t, 0), "type", "image");
	assert_str(media_at(t, 0), "url", "https://i.redd.it/abc123xyz.jpeg");
	assert_str(t, "meta.url", "https://i.redd.it/abc123xyz.jpeg");
	assert_str(t, "meta.likes", "120");
	cJSON_Delete(t);

	t = show(dir, "reddit:1b7yyy4");
	assert_str(t, "text", "Der Kaffee bei Acme ist einfach großartig! Ich gehe jede Woche hin.");
	assert_str(t, "created_at", "2024-02-28T06:55:33Z");
	assert_null(t, "author.handle");
	assert_str(t, "meta.author_missing", "true");
	cJSON_Delete(t);
	kt_rmtree(dir);
	free(dir);
}

Test(source_reddit, truncated_json_fails_with_position)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "listing.json");
	char *src = kt_read(FIX "/search/page_1.json");
	src[700] = '\0';
	kt_write(file, src);
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "listing.json:"), "%s", r.err);
	cr_assert(strstr(r.err, "cut short"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 0);
	free(src);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_reddit, bad_children_are_skipped_with_their_position)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "mixed.json");
	kt_write(file, "{\"kind\": \"Listing\", \"data\": {\"children\": [\n"
	               " {\"kind\": \"t1\", \"data\": {\"id\": \"c1\", \"author\": \"ok_user\", "
	               "\"body\": \"Love it\", \"parent_id\": \"t3_p1\", \"created_utc\": 1700000000.9}},\n"
	               " {\"kind\": \"t1\"},\n"
	               " {\"kind\": \"t1\", \"data\": {\"body\": \"no id\"}},\n"
	               " {\"kind\": \"t1\", \"data\": {\"id\": \"c4\", \"body\": 42}},\n"
	               " \"a string\",\n"
	               " {\"kind\": \"t2\", \"data\": {\"name\": \"someone\"}},\n"
	               " {\"kind\": \"t1\", \"data\": {\"name\": \"t1_c7\", \"body\": \"id from name\", "
	               "\"replies\": {\"kind\": \"Listing\", \"data\": {\"children\": [7]}}}}\n"
	               "]}}\n");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	for (int i = 1; i <= 5; i++) {
		char want[48];
		snprintf(want, sizeof want, "mixed.json: children[%d]", i);
		cr_assert(strstr(r.err, want), "no warning for children[%d]: %s", i, r.err);
	}
	cr_assert(strstr(r.err, "children[6].replies.children[0]"), "%s", r.err);
	kt_run_free(&r);
	cr_assert_eq(list_count(dir), 2);
	cJSON *t = show(dir, "reddit:c1");
	assert_str(t, "created_at", "2023-11-14T22:13:20Z");
	assert_str(t, "in_reply_to", "p1");
	cJSON_Delete(t);
	t = show(dir, "reddit:c7");
	assert_str(t, "text", "id from name");
	assert_str(t, "meta.author_missing", "true");
	cJSON_Delete(t);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_reddit, unknown_shape_fails_naming_the_file)
{
	char *dir = kt_tmpdir();
	char *file = kt_path(dir, "about.json");
	kt_write(file, "{\"kind\": \"t5\", \"data\": {\"display_name\": \"coffee\"}}");
	struct kt_run r = collect_in(dir, file, NULL, NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "about.json: not a Reddit response"), "%s", r.err);
	kt_run_free(&r);
	free(file);
	kt_rmtree(dir);
	free(dir);
}

Test(source_reddit, real_fixtures)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is missing: the real Reddit payloads were NOT tested");
		cr_skip_test("../shared/fixtures/real/reddit not found");
	}
	char *folder = kt_path(real, "reddit");
	cJSON *items = kt_collect("reddit", folder, NULL, NULL);
	/* 3 (post + 2 comments) + 1 (post; no comments) + 6 posts + 100 comments */
	cr_assert_eq(cJSON_GetArraySize(items), 110, "got %d", cJSON_GetArraySize(items));

	const cJSON *t = must(items, "2gmzqe");
	assert_str(t, "title", "[PRAW] HTTPS enabled PRAW testing needed");
	assert_str(t, "author.handle", "u/bboe");
	assert_str(t, "created_at", "2014-09-17T06:34:31Z");
	const char *text = jget(t, "text");
	cr_assert(text && strncmp(text, "PRAW client developers,\n\nI have made a PRAW branch", 50) == 0,
	          "%s", text);
	cr_assert(strstr(text, "\n\n    pip install git+git://github.com/praw-dev/praw.git@praw3\n\n"),
	          "%s", text);

	t = must(items, "cklhv0f");
	assert_str(t, "in_reply_to", "cklfmye");
	assert_str(t, "text", "Yes it does. That fix is also in the master branch, we just haven't "
	                      "made a release for it (and we probably won't until 3.0).");
	assert_str(t, "created_at", "2014-09-18T03:13:54Z");
	assert_str(t, "permalink", "https://www.reddit.com/r/redditdev/comments/2gmzqe/"
	                           "praw_https_enabled_praw_testing_needed/cklhv0f/");
	assert_str(must(items, "cklfmye"), "in_reply_to", "2gmzqe");
	assert_str(must(items, "cklfmye"), "author.name", "paneer_burrito");

	t = must(items, "k3yrfii");
	assert_str(t, "text", "Did it work?");
	assert_str(t, "author.handle", "u/Acceptable-Bread-566");
	assert_str(t, "created_at", "2023-10-08T08:46:08Z");
	assert_str(t, "in_reply_to", "k3u4rtt");
	assert_str(t, "permalink", "https://www.reddit.com/r/<TEST_SUBREDDIT>/comments/agi5zf/"
	                           "<TEST_SUBREDDIT>/k3yrfii/");

	t = must(items, "4at068");
	assert_str(t, "title", "たびたび話題になるサイドバーの閲覧中ユーザ数について（また）調べた");
	assert_str(t, "updated_at", "2016-03-17T13:38:34Z");
	assert_str(must(items, "52o2fl"), "text", "test");
	assert_str(must(items, "52o2fl"), "title", "testing define bot!");

	int bot = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, items)
	{
		const char *h = jget(e, "author.handle");
		bot += h && strcmp(h, "u/Decent_Work_4713") == 0;
	}
	cr_assert_eq(bot, 76);
	cJSON_Delete(items);
	free(folder);
}
