/*
 * source-instagram end to end: `kudos collect` over the fixtures in
 * tests/fixtures/instagram/ (written for these tests in the shapes the
 * Graph API sends) and over ../shared/fixtures/real/instagram/ when that
 * folder exists, then `kudos list --json` / `kudos show --json` to see
 * what was stored.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define FIX KT_SRC "/tests/fixtures/instagram"
#define PLUGIN "instagram"

#include "source_graph_test.h"

/* ---- hashtag media: a folder of two pages --------------------------------- */

Test(instagram, hashtag_pages_in_a_folder_without_authors)
{
	struct got g = collect(FIX "/hashtag_top", 0);
	/* 3 + 2 media, one of them without a caption */
	cr_expect_eq(count(&g), 4, "items: %d\n%s", count(&g), g.run.err);
	cr_expect_not(has_item(&g, "17933333333333333"), "a media without caption is skipped");

	const cJSON *a = item(&g, "17895695668004550");
	EXPECT_STR(a, "kind", "social_post");
	EXPECT_STR(a, "text",
	           "Finally tried the new oat latte at acmecoffee ☕️✨\nBest decision of the "
	           "week.\n\n#acmecoffee #mondaymotivation");
	EXPECT_STR(a, "permalink", "https://www.instagram.com/p/C1aBcDeFgHi/");
	EXPECT_STR(a, "author.name", NULL);
	EXPECT_STR(a, "author.handle", NULL);
	EXPECT_STR(a, "created_at", NULL); /* hashtag media carry no timestamp */
	cJSON *s = show(&g, "17895695668004550");
	EXPECT_STR(s, "meta.author_missing", "true");
	EXPECT_STR(s, "meta.likes", "341");
	EXPECT_STR(s, "meta.replies", "12");
	EXPECT_STR(s, "media.0.type", "image");
	EXPECT_STR(s, "media.0.url",
	           "https://scontent.cdninstagram.com/v/t51.2885-15/301_n.jpg?stp=dst-jpg_e35"
	           "&_nc_ht=scontent.cdninstagram.com");
	cJSON_Delete(s);

	/* a carousel: its children are the media */
	s = show(&g, "17912345678901234");
	EXPECT_STR(s, "text", "Kaffee wie bei Oma – nur besser. Danke, Acme! 🇩🇪 #acmecoffee");
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "media")), 2);
	EXPECT_STR(s, "media.0.type", "image");
	EXPECT_STR(s, "media.0.url", "https://scontent.cdninstagram.com/v/t51.2885-15/311_n.jpg");
	EXPECT_STR(s, "media.1.type", "video");
	EXPECT_STR(s, "media.1.url", "https://scontent.cdninstagram.com/v/t50.2886-16/312_n.mp4");
	cJSON_Delete(s);

	/* page 2: captions are plain text, kept verbatim (no HTML decoding) */
	EXPECT_STR(item(&g, "18011111111111111"), "text",
	           "R&D team approved 👍 <3 the new cup design &amp; the lid that finally "
	           "doesn't leak");
	EXPECT_STR(item(&g, "18022222222222222"), "text", "コーヒーが最高でした！また来ます ☕");
	s = show(&g, "18011111111111111");
	EXPECT_STR(s, "media.0.type", "video");
	cJSON_Delete(s);
	cr_expect_null(strstr(g.run.err, "warning"), "no warning expected:\n%s", g.run.err);
	done(&g);
}

/* ---- tagged media with comments and replies -------------------------------- */

Test(instagram, tagged_media_comments_and_replies)
{
	struct got g = collect(FIX "/tagged_media.json", 0);
	/* 2 captioned media + 3 comments; the captionless media is skipped */
	cr_expect_eq(count(&g), 5, "items: %d\n%s", count(&g), g.run.err);
	cr_expect_not(has_item(&g, "17990000000000002"));

	cJSON *m = show(&g, "17990000000000001");
	EXPECT_STR(m, "text",
	           "Our wedding cake by @acmebakery was a dream 🎂💐\nThank you for making our "
	           "day so sweet!");
	EXPECT_STR(m, "author.handle", "@lena.bakes");
	EXPECT_STR(m, "author.url", "https://www.instagram.com/lena.bakes/");
	EXPECT_STR(m, "author.name", NULL);
	EXPECT_STR(m, "created_at", "2024-05-18T16:42:07Z");
	EXPECT_STR(m, "permalink", "https://www.instagram.com/p/C2aAaAaAaAa/");
	EXPECT_STR(m, "in_reply_to", NULL);
	EXPECT_STR(m, "media.0.alt", "A three-tier white cake with pink peonies");
	EXPECT_STR(m, "meta.likes", "128");
	EXPECT_STR(m, "meta.replies", "2");
	EXPECT_STR(m, "meta.author_missing", NULL);
	cJSON_Delete(m);

	const cJSON *c = item(&g, "17850000000000011");
	EXPECT_STR(c, "text", "Looks amazing!! 😍");
	EXPECT_STR(c, "in_reply_to", "17990000000000001");
	EXPECT_STR(c, "author.handle", "@marco_rossi");
	EXPECT_STR(c, "created_at", "2024-05-18T17:01:55Z");

	const cJSON *r = item(&g, "17850000000000012");
	EXPECT_STR(r, "in_reply_to", "17850000000000011");
	EXPECT_STR(r, "author.handle", "@lena.bakes");

	/* a comment whose author is withheld: kept, flagged, nothing invented */
	cJSON *w = show(&g, "17850000000000013");
	EXPECT_STR(w, "text", "¿Hacen envíos a Madrid? Me encanta 🙌");
	EXPECT_STR(w, "author.handle", NULL);
	EXPECT_STR(w, "author.url", NULL);
	EXPECT_STR(w, "meta.author_missing", "true");
	EXPECT_STR(w, "meta.likes", "0");
	cJSON_Delete(w);

	cJSON *v = show(&g, "17990000000000003");
	EXPECT_STR(v, "media.0.type", "video");
	EXPECT_STR(v, "created_at", "2024-05-26T11:15:00Z");
	cJSON_Delete(v);
	done(&g);
}

Test(instagram, mentioned_media_and_comment)
{
	struct got g = collect(FIX "/mentioned_media.json", 0);
	cr_expect_eq(count(&g), 1);
	cJSON *m = show(&g, "17889114512399999");
	EXPECT_STR(m, "text",
	           "Thanks @acme for the fastest delivery ever 🚚💨 Ordered Tuesday, here "
	           "Wednesday!");
	EXPECT_STR(m, "author.handle", "@tom.unboxes");
	EXPECT_STR(m, "created_at", "2024-06-02T09:00:22Z");
	EXPECT_STR(m, "media.0.type", "image");
	EXPECT_STR(m, "media.0.url",
	           "https://scontent.cdninstagram.com/v/t51.29350-15/501_n.jpg?_nc_cat=104");
	cJSON_Delete(m);
	done(&g);

	g = collect(FIX "/mentioned_comment.json", 0);
	cr_expect_eq(count(&g), 1);
	const cJSON *c = item(&g, "17967008497499999");
	EXPECT_STR(c, "text", "@acme you saved my morning, the cold brew is unreal 🧊☕");
	EXPECT_STR(c, "in_reply_to", "17889114512388888");
	EXPECT_STR(c, "author.handle", "@early.bird.jo");
	EXPECT_STR(c, "created_at", "2024-06-03T07:45:10Z");
	done(&g);
}

/* ---- notes and warnings ------------------------------------------------------ */

Test(instagram, page_without_captions_warns)
{
	struct got g = collect_text("recent.json",
	                            "{\"data\":[{\"id\":\"18088158883140001\",\"media_type\":"
	                            "\"IMAGE\",\"like_count\":4},{\"id\":\"18088158883140002\","
	                            "\"media_type\":\"IMAGE\"}]}",
	                            0);
	cr_expect_eq(count(&g), 0);
	cr_expect(strstr(g.run.err, "none of its 2 media has a caption"), "%s", g.run.err);
	cr_expect(strstr(g.run.err, "recent.json"), "%s", g.run.err);
	done(&g);
}

Test(instagram, hashtag_search_result_is_not_media)
{
	struct got g = collect_text("search.json",
	                            "{\"data\":[{\"id\":\"17841562426100000\",\"name\":\"acme\"}]}", 0);
	cr_expect_eq(count(&g), 0);
	cr_expect_null(strstr(g.run.err, "warning"), "%s", g.run.err);
	done(&g);
}

Test(instagram, one_bad_entry_is_skipped_with_its_position)
{
	struct got g = collect_text(
		"tags.json",
		"{\"data\":[\n"
		"{\"id\":\"17990000000000101\",\"caption\":\"first\",\"timestamp\":\"2024-01-01T10:00:00+0000\"},\n"
		"{\"id\":\"17990000000000102\",\"caption\":42},\n"
		"{\"caption\":\"no id here\"},\n"
		"{\"id\":\"17990000000000104\",\"caption\":\"bad time\",\"timestamp\":\"yesterday\"},\n"
		"\"not an object\",\n"
		"{\"id\":\"17990000000000106\",\"caption\":\"has a bad comment\",\"comments\":{\"data\":["
		"{\"id\":\"17850000000000201\"},{\"id\":\"17850000000000202\",\"text\":\"ok\",\"like_count\":\"many\"},"
		"{\"id\":\"17850000000000203\",\"text\":\"fine\"}]}},\n"
		"{\"id\":9007199254740993,\"caption\":\"id above 2^53\"},\n"
		"{\"id\":1234567,\"caption\":\"small numeric id\"}\n"
		"]}",
		0);
	cr_expect(has_item(&g, "17990000000000101"));
	cr_expect(has_item(&g, "17990000000000106"));
	cr_expect(has_item(&g, "17850000000000203"));
	cr_expect(has_item(&g, "1234567"), "a whole number id up to 2^53 is kept as text");
	cr_expect_eq(count(&g), 4, "%s", g.run.err);
	const char *e = g.run.err;
	cr_expect(strstr(e, "tags.json: data[1]: media 17990000000000102: \"caption\" has the wrong type"),
	          "%s", e);
	cr_expect(strstr(e, "tags.json: data[2]: the media has no id"), "%s", e);
	cr_expect(strstr(e, "data[3]: media 17990000000000104: timestamp \"yesterday\" is not a time"),
	          "%s", e);
	cr_expect(strstr(e, "data[4]: is not an object"), "%s", e);
	cr_expect(strstr(e, "data[5].comments.data[0]: comment 17850000000000201 has no text"), "%s", e);
	cr_expect(strstr(e, "data[5].comments.data[1]: comment 17850000000000202: \"like_count\" has the wrong type"),
	          "%s", e);
	cr_expect(strstr(e, "data[6]: the media's id is not usable"), "%s", e);
	done(&g);
}

Test(instagram, graph_error_page_and_errors_array_warn)
{
	struct got g = collect_text("err.json",
	                            "{\"error\":{\"message\":\"Invalid OAuth access token.\","
	                            "\"type\":\"OAuthException\",\"code\":190}}",
	                            0);
	cr_expect_eq(count(&g), 0);
	cr_expect(strstr(g.run.err, "err.json: the page is a Graph API error (code 190): Invalid "
	                            "OAuth access token."),
	          "%s", g.run.err);
	done(&g);

	g = collect_text("partial.json",
	                 "{\"data\":[{\"id\":\"17990000000000301\",\"caption\":\"kept\"}],"
	                 "\"errors\":[{\"message\":\"media 1799 is not available\"}]}",
	                 0);
	cr_expect_eq(count(&g), 1);
	cr_expect(strstr(g.run.err, "partial.json: errors[0]: the platform reported: media 1799 is "
	                            "not available"),
	          "%s", g.run.err);
	done(&g);
}

/* ---- bad files fail the source --------------------------------------------------- */

Test(instagram, truncated_json_fails_with_file_line_and_column)
{
	struct got g = collect_text("cut.json",
	                            "{\"data\":[\n  {\"id\":\"17990000000000401\",\n   \"caption\":\"Great co",
	                            2);
	cr_expect(strstr(g.run.err, "cut.json: line 3, column"), "%s", g.run.err);
	cr_expect(strstr(g.run.err, "truncated"), "%s", g.run.err);
	done(&g);

	g = collect_text("bad.json", "{\"data\":[\n{\"id\":\"1\", caption:\"x\"}]}", 2);
	cr_expect(strstr(g.run.err, "bad.json: line 2, column 12: invalid JSON near \"caption"), "%s",
	          g.run.err);
	done(&g);
}

Test(instagram, nothing_is_kept_when_a_later_page_is_broken)
{
	char *dir = kt_tmpdir(), *p1 = kt_path(dir, "pages/p1.json"), *p2 = kt_path(dir, "pages/p2.json");
	char *pages = kt_path(dir, "pages");
	kt_write(p1, "{\"data\":[{\"id\":\"17990000000000501\",\"caption\":\"page one\"}]}");
	kt_write(p2, "{\"data\":[{\"id\":\"17990000000000502\",");
	struct got g = collect(pages, 2);
	cr_expect(strstr(g.run.err, "p2.json: line 1, column"), "%s", g.run.err);
	struct kt_run l = kt_kudos(g.dir, "list", "--json", "--store", "k.db", NULL);
	cr_expect(l.status != 0 || !strstr(l.out, "17990000000000501"), "page one was kept: %s", l.out);
	kt_run_free(&l);
	done(&g);
	kt_rmtree(dir);
	free(p1);
	free(p2);
	free(pages);
	free(dir);
}

Test(instagram, not_utf8_empty_and_foreign_payloads_fail)
{
	struct got g = collect_text("latin1.json", "{\"data\":[{\"id\":\"1\",\"caption\":\"caf\xe9\"}]}", 2);
	cr_expect(strstr(g.run.err, "latin1.json: line 1, column 34: bytes that are not UTF-8"), "%s",
	          g.run.err);
	done(&g);
	g = collect_text("empty.json", "  \n", 2);
	cr_expect(strstr(g.run.err, "empty.json: the file is empty"), "%s", g.run.err);
	done(&g);
	g = collect_text("other.json", "{\"statuses\": []}", 2);
	cr_expect(strstr(g.run.err, "other.json: not an Instagram Graph API page"), "%s", g.run.err);
	done(&g);
	g = collect_text("data.json", "{\"data\": {\"id\": \"1\"}}", 2);
	cr_expect(strstr(g.run.err, "data.json: \"data\" is not a list"), "%s", g.run.err);
	done(&g);
}

/* ---- the real payloads others recorded --------------------------------------------- */

struct real_expect {
	const char *file;
	int items;
};

static const struct real_expect real_files[] = {
	{"pyfacebook_hashtags_hashtag_recent_medias_p1.json", 0}, /* no caption requested */
	{"pyfacebook_hashtags_hashtag_recent_medias_p2.json", 0},
	{"pyfacebook_hashtags_hashtag_top_medias_p1.json", 25},
	{"pyfacebook_users_hashtag_search.json", 0}, /* a hashtag, not media */
	{"pyfacebook_users_mentioned_comment.json", 1},
	{"pyfacebook_users_mentioned_media.json", 1},
	{"pyfacebook_users_tagged_medias.json", 4}, /* 5, one without caption */
};

Test(instagram, real_payloads)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the real Instagram payloads "
		            "(../shared/fixtures/real/instagram/) were NOT tested");
		cr_skip_test("../shared/fixtures/real/instagram/ is missing");
	}
	char *dir = kt_path(real, "instagram");
	DIR *d = opendir(dir);
	if (!d) {
		cr_log_warn("%s is absent: the real Instagram payloads were NOT tested", dir);
		free(dir);
		cr_skip_test("../shared/fixtures/real/instagram/ is missing");
	}
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char *p = kt_path(dir, e->d_name);
		struct got g = collect(p, 0);
		int want = -1;
		for (size_t i = 0; i < sizeof real_files / sizeof *real_files; i++)
			if (strcmp(real_files[i].file, e->d_name) == 0)
				want = real_files[i].items;
		if (want >= 0)
			cr_expect_eq(count(&g), want, "%s: %d items, want %d\n%s", e->d_name, count(&g),
			             want, g.run.err);
		else
			cr_log_info("%s: a real file this test does not know yet (%d items)",
			            e->d_name, count(&g));
		seen++;
		done(&g);
		free(p);
	}
	closedir(d);
	cr_expect_geq(seen, 7, "only %d real Instagram files", seen);

	/* the whole folder, and values read from the files */
	struct got g = collect(dir, 0);
	cr_expect_eq(count(&g), 31, "%s", g.run.err);
	cr_expect(strstr(g.run.err, "pyfacebook_hashtags_hashtag_recent_medias_p1.json: none of "
	                            "its 5 media has a caption"),
	          "%s", g.run.err);

	cJSON *s = show(&g, "17881768807512229"); /* top media carousel of 4 videos */
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "media")), 4);
	EXPECT_STR(s, "media.3.type", "video");
	EXPECT_STR(s, "permalink", "https://www.instagram.com/p/B8gnkhFo_r8/");
	EXPECT_STR(s, "meta.author_missing", "true");
	EXPECT_STR(s, "meta.likes", "1929");
	EXPECT_STR(s, "meta.replies", "19");
	EXPECT_STR(s, "author.handle", NULL);
	EXPECT_STR(s, "created_at", NULL);
	cJSON_Delete(s);
	EXPECT_STR(item(&g, "18024059455254583"), "text", "Bonjour🥐");
	EXPECT_STR(item(&g, "17875678660541344"), "text", "സംഭവം കിടു അല്ലേ ? shahina.sherin1");

	const cJSON *c = item(&g, "17967008497439572");
	EXPECT_STR(c, "text", "@ikroskun good");
	EXPECT_STR(c, "author.handle", "@ikroskun");
	EXPECT_STR(c, "created_at", "2021-08-19T09:14:16Z");
	const cJSON *m = item(&g, "17889114512354744");
	EXPECT_STR(m, "text", "@ikroskun hey");
	EXPECT_STR(m, "created_at", "2021-08-19T09:00:22Z");
	const cJSON *t = item(&g, "17892354025952911");
	EXPECT_STR(t, "text", "publish test");
	EXPECT_STR(t, "created_at", "2021-03-16T12:02:14Z");
	EXPECT_STR(t, "permalink", "https://www.instagram.com/p/CMeo7rcJvTi/");
	EXPECT_STR(item(&g, "17913531439230186"), "created_at", "2018-10-08T01:41:29Z");
	cr_expect_not(has_item(&g, "17978630677077508"), "tagged media without caption");
	cr_expect_not(has_item(&g, "17841562426109234"), "the hashtag is not an item");
	done(&g);
	free(dir);
}
