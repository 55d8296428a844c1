/*
 * source-facebook end to end: `kudos collect` over the fixtures in
 * tests/fixtures/facebook/ (written for these tests in the shapes the
 * Graph API sends) and over ../shared/fixtures/real/facebook/ when that
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

#define FIX KT_SRC "/tests/fixtures/facebook"
#define PLUGIN "facebook"

#include "source_graph_test.h"

/* ---- object comments: a folder of two pages ------------------------------ */

#define POST "122145678901234567"

Test(facebook, comment_pages_replies_and_a_withheld_author)
{
	struct got g = collect(FIX "/comments", 0);
	/* 2 comments + 1 nested reply on page 1; on page 2 a comment, a reply,
	 * and a sticker-only comment that is skipped with a note */
	cr_expect_eq(count(&g), 5, "items: %d\n%s", count(&g), g.run.err);
	cr_expect_null(strstr(g.run.err, "warning"), "no warning expected:\n%s", g.run.err);
	cr_expect_not(has_item(&g, POST "_1098765432109880"), "sticker-only comment");

	cJSON *s = show(&g, POST "_1098765432109876");
	EXPECT_STR(s, "kind", "social_post");
	EXPECT_STR(s, "text", "Ordered the espresso machine on Monday, it arrived Wednesday.\n"
	                      "Works perfectly – thank you Acme! ☕");
	EXPECT_STR(s, "author.name", "Sophie Martin");
	EXPECT_STR(s, "author.handle", NULL);
	EXPECT_STR(s, "author.url", NULL);
	EXPECT_STR(s, "created_at", "2024-02-10T09:15:22Z");
	EXPECT_STR(s, "in_reply_to", NULL);
	EXPECT_STR(s, "permalink", "https://www.facebook.com/acmecoffee/posts/" POST
	                           "/?comment_id=1098765432109876");
	EXPECT_STR(s, "meta.likes", "14");
	EXPECT_STR(s, "meta.replies", "1");
	EXPECT_STR(s, "meta.author_missing", NULL);
	cJSON_Delete(s);

	const cJSON *r = item(&g, POST "_1098765432109877");
	EXPECT_STR(r, "in_reply_to", POST "_1098765432109876");
	EXPECT_STR(r, "author.name", "Acme Coffee");
	EXPECT_STR(r, "created_at", "2024-02-10T10:02:00Z");

	/* no `from`: Graph withheld the commenter; kept, flagged, not invented */
	s = show(&g, POST "_1098765432109878");
	EXPECT_STR(s, "text", "Der Kundenservice war super freundlich. Sehr empfehlenswert! 👍");
	EXPECT_STR(s, "author.name", NULL);
	EXPECT_STR(s, "meta.author_missing", "true");
	cJSON_Delete(s);

	/* JSON escapes decoded; the message is plain text, kept verbatim */
	s = show(&g, POST "_1098765432109879");
	EXPECT_STR(s, "text", "Fish & chips night with the new air fryer 🍟 5/5 <3 no regrets");
	EXPECT_STR(s, "author.name", "Raj Patel");
	EXPECT_STR(s, "author.url", "https://www.facebook.com/raj.patel.example");
	EXPECT_STR(s, "author.avatar", "https://scontent.xx.fbcdn.net/v/t1.30497-1/raj_s.jpg?_nc_cat=1");
	EXPECT_STR(s, "permalink", "https://www.facebook.com/acmecoffee/posts/" POST
	                           "/?comment_id=1098765432109879");
	cJSON_Delete(s);

	s = show(&g, POST "_1098765432109881");
	EXPECT_STR(s, "text", "Merci pour l’astuce ! J’ai commandé la même 😄");
	EXPECT_STR(s, "in_reply_to", POST "_1098765432109879");
	EXPECT_STR(s, "media.0.type", "image");
	EXPECT_STR(s, "media.0.url", "https://scontent.xx.fbcdn.net/v/t39.30808-6/chloe_fryer.jpg");
	cJSON_Delete(s);
	done(&g);
}

/* ---- page feed ------------------------------------------------------------------- */

#define PAGE "112233445566778_"

Test(facebook, page_feed_posts_attachments_stories_and_shares)
{
	struct got g = collect(FIX "/feed.json", 0);
	/* 5 posts + 1 nested comment; the story-only post and the share
	 * without words are skipped with a note */
	cr_expect_eq(count(&g), 5, "items: %d\n%s", count(&g), g.run.err);
	cr_expect_null(strstr(g.run.err, "warning"), "no warning expected:\n%s", g.run.err);
	cr_expect_not(has_item(&g, PAGE "122150000000000902"), "story-only post");
	cr_expect_not(has_item(&g, PAGE "122150000000000904"), "share without words");

	cJSON *s = show(&g, PAGE "122150000000000901");
	EXPECT_STR(s, "text", "We just opened our second store in Lyon! 🎉\n\nCome say hi this "
	                      "weekend — first flat white is on us.");
	EXPECT_STR(s, "author.name", "Acme Coffee");
	EXPECT_STR(s, "created_at", "2024-03-01T12:00:00Z");
	EXPECT_STR(s, "updated_at", "2024-03-01T12:30:00Z");
	EXPECT_STR(s, "permalink", "https://www.facebook.com/112233445566778/posts/122150000000000901");
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "media")), 2);
	EXPECT_STR(s, "media.0.url", "https://scontent.xx.fbcdn.net/v/t39.30808-6/lyon1.jpg");
	EXPECT_STR(s, "media.1.url", "https://scontent.xx.fbcdn.net/v/t39.30808-6/lyon2.jpg");
	EXPECT_STR(s, "media.1.type", "image");
	EXPECT_STR(s, "meta.likes", "152");
	EXPECT_STR(s, "meta.replies", "1");
	EXPECT_STR(s, "meta.reposts", "7");
	cJSON_Delete(s);

	const cJSON *c = item(&g, "122150000000000901_1100000000000001");
	EXPECT_STR(c, "text", "Finally!! Best flat white in town 🙌");
	EXPECT_STR(c, "in_reply_to", PAGE "122150000000000901");
	EXPECT_STR(c, "author.name", "Mia Chen");
	EXPECT_STR(c, "created_at", "2024-03-01T13:11:09Z");

	/* a share with words of its own: the sharer's item, never the original's */
	s = show(&g, PAGE "122150000000000903");
	EXPECT_STR(s, "text", "Look who loved our cold brew 😍");
	EXPECT_STR(s, "author.name", "Acme Coffee");
	EXPECT_STR(s, "meta.shared_from", "998877665544332_122199999999990001");
	cJSON_Delete(s);

	s = show(&g, PAGE "122150000000000905");
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "media")), 1);
	EXPECT_STR(s, "media.0.type", "video");
	EXPECT_STR(s, "media.0.url", "https://video.xx.fbcdn.net/v/t42.1790-2/roast.mp4");
	cJSON_Delete(s);

	/* a link preview is not the author's media */
	s = show(&g, PAGE "122150000000000906");
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "media")), 0);
	cJSON_Delete(s);
	done(&g);
}

Test(facebook, ids_rebuilt_from_permalink_when_not_requested)
{
	struct got g = collect_text(
		"noid.json",
		"{\"data\":[{\"created_time\":\"2024-01-05T08:00:00+0000\",\"message\":\"Top service\","
		"\"permalink_url\":\"https://www.facebook.com/111/posts/222/?comment_id=333\"},"
		"{\"created_time\":\"2024-01-05T09:00:00+0000\",\"message\":\"Merci !\","
		"\"permalink_url\":\"https://www.facebook.com/111/posts/222/?comment_id=333&reply_comment_id=444\"},"
		"{\"message\":\"no id, no permalink\"}]}",
		0);
	cr_expect_eq(count(&g), 2, "%s", g.run.err);
	EXPECT_STR(item(&g, "222_333"), "text", "Top service");
	EXPECT_STR(item(&g, "222_444"), "in_reply_to", "222_333");
	cr_expect(strstr(g.run.err, "noid.json: data[2]: the entry has no id"), "%s", g.run.err);
	done(&g);
}

/* ---- notes and warnings ------------------------------------------------------------ */

Test(facebook, one_bad_entry_is_skipped_with_its_position)
{
	struct got g = collect_text(
		"c.json",
		"{\"data\":[\n"
		"{\"id\":\"1_101\",\"message\":\"kept\",\"created_time\":\"2024-01-01T10:00:00+0000\"},\n"
		"{\"id\":\"1_102\",\"message\":7},\n"
		"{\"id\":\"1_103\",\"message\":\"x\",\"from\":\"Bob\"},\n"
		"{\"id\":\"1_104\",\"message\":\"x\",\"created_time\":\"last week\"},\n"
		"[1,2],\n"
		"{\"id\":\"1_106\"},\n"
		"{\"id\":\"1_107\",\"message\":\"parent kept\",\"comments\":{\"data\":["
		"{\"id\":\"1_108\",\"message\":\"reply kept\"},{\"id\":\"1_109\",\"like_count\":-1,\"message\":\"x\"}]}},\n"
		"{\"id\":9007199254740993,\"message\":\"id above 2^53\"},\n"
		"{\"id\":\"1_111\",\"message\":\"also kept\",\"from\":{\"name\":\"Ana\"}}\n"
		"]}",
		0);
	cr_expect_eq(count(&g), 4, "%s", g.run.err);
	cr_expect(has_item(&g, "1_101"));
	cr_expect(has_item(&g, "1_107"));
	EXPECT_STR(item(&g, "1_108"), "in_reply_to", "1_107");
	EXPECT_STR(item(&g, "1_111"), "author.name", "Ana");
	const char *e = g.run.err;
	cr_expect(strstr(e, "c.json: data[1]: 1_102: \"message\" has the wrong type"), "%s", e);
	cr_expect(strstr(e, "c.json: data[2]: 1_103: \"from\" has the wrong type"), "%s", e);
	cr_expect(strstr(e, "data[3]: 1_104: created_time \"last week\" is not a time"), "%s", e);
	cr_expect(strstr(e, "data[4]: is not an object"), "%s", e);
	cr_expect(strstr(e, "data[5]: 1_106 has no message"), "%s", e);
	cr_expect(strstr(e, "data[6].comments.data[1]: 1_109: \"like_count\" has the wrong type"), "%s", e);
	cr_expect(strstr(e, "data[7]: the id is not usable"), "%s", e);
	done(&g);
}

Test(facebook, graph_error_page_and_errors_array_warn)
{
	struct got g = collect_text("err.json",
	                            "{\"error\":{\"message\":\"(#10) This endpoint requires the "
	                            "'pages_read_engagement' permission\",\"type\":\"OAuthException\","
	                            "\"code\":10}}",
	                            0);
	cr_expect_eq(count(&g), 0);
	cr_expect(strstr(g.run.err, "err.json: the page is a Graph API error (code 10): (#10) This "
	                            "endpoint requires"),
	          "%s", g.run.err);
	done(&g);
	g = collect_text("partial.json",
	                 "{\"data\":[{\"id\":\"1_1\",\"message\":\"kept\"}],"
	                 "\"errors\":[{\"message\":\"post 1_2 was deleted\"},\"rate limited\"]}",
	                 0);
	cr_expect_eq(count(&g), 1);
	cr_expect(strstr(g.run.err, "partial.json: errors[0]: the platform reported: post 1_2 was deleted"),
	          "%s", g.run.err);
	cr_expect(strstr(g.run.err, "partial.json: errors[1]: the platform reported: rate limited"),
	          "%s", g.run.err);
	done(&g);
}

/* ---- bad files fail the source ------------------------------------------------------ */

Test(facebook, truncated_and_invalid_json_fail_with_file_line_and_column)
{
	struct got g = collect_text("cut.json", "{\"data\":[\n  {\"id\":\"1_1\",\n   \"message\":\"Gre", 2);
	cr_expect(strstr(g.run.err, "cut.json: line 3, column 14: the JSON ends before this value is "
	                            "complete (the file looks truncated)"),
	          "%s", g.run.err);
	done(&g);
	g = collect_text("bad.json", "{\"data\":[\n{\"id\":\"1_1\",\"message\":'single'}]}", 2);
	cr_expect(strstr(g.run.err, "bad.json: line 2, column 23: invalid JSON near \"'single'"), "%s",
	          g.run.err);
	done(&g);
	static const char nul[] = "{\"data\":[]}\n\0{}";
	g = collect_bytes("nul.json", nul, sizeof nul - 1, 2);
	cr_expect(strstr(g.run.err, "nul.json: line 2, column 1: a NUL byte"), "%s", g.run.err);
	done(&g);
	g = collect_text("other.json", "[1, 2]", 0); /* a list of non-objects: warned, nothing kept */
	cr_expect_eq(count(&g), 0);
	cr_expect(strstr(g.run.err, "other.json: [0]: is not an object"), "%s", g.run.err);
	done(&g);
	g = collect_text("num.json", "42", 2);
	cr_expect(strstr(g.run.err, "num.json: the JSON is not an object or a list"), "%s", g.run.err);
	done(&g);
	g = collect_text("foreign.json", "{\"statuses\":[]}", 2);
	cr_expect(strstr(g.run.err, "foreign.json: not a Facebook Graph API page"), "%s", g.run.err);
	done(&g);
}

/* ---- the real payloads others recorded ------------------------------------------------ */

struct real_expect {
	const char *file;
	int items;
};

static const struct real_expect real_files[] = {
	{"pyfacebook_object_comments_p1.json", 10}, /* no ids, no `from` */
	{"pyfacebook_page_feed_fields_p1.json", 5},
};

Test(facebook, real_payloads)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the real Facebook payloads "
		            "(../shared/fixtures/real/facebook/) were NOT tested");
		cr_skip_test("../shared/fixtures/real/facebook/ is missing");
	}
	char *dir = kt_path(real, "facebook");
	DIR *d = opendir(dir);
	if (!d) {
		cr_log_warn("%s is absent: the real Facebook payloads were NOT tested", dir);
		free(dir);
		cr_skip_test("../shared/fixtures/real/facebook/ is missing");
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
		cr_expect_null(strstr(g.run.err, "warning"), "%s:\n%s", e->d_name, g.run.err);
		seen++;
		done(&g);
		free(p);
	}
	closedir(d);
	cr_expect_geq(seen, 2, "only %d real Facebook files", seen);

	struct got g = collect(dir, 0);
	cr_expect_eq(count(&g), 15, "%s", g.run.err);
	/* comments without ids: Graph's "<post>_<comment>" from permalink_url */
	cJSON *s = show(&g, "10158407654328553_10158407835073553");
	EXPECT_STR(s, "text", "Boa noite peço ajuda  Como faço para usar a minha página como meu perfil?");
	EXPECT_STR(s, "created_at", "2021-08-10T18:45:03Z");
	EXPECT_STR(s, "author.name", NULL);
	EXPECT_STR(s, "meta.author_missing", "true");
	EXPECT_STR(s, "meta.likes", "0");
	EXPECT_STR(s, "meta.replies", "1");
	cJSON_Delete(s);
	const cJSON *r = item(&g, "10158407654328553_10158409983033553");
	EXPECT_STR(r, "in_reply_to", "10158407654328553_10158407903973553");
	EXPECT_STR(r, "text", "Hi, please access the Instagram Help Center for further assistance: "
	                      "http://bit.ly/2NsSg8i");
	EXPECT_STR(item(&g, "10158407654328553_10158409984053553"), "text",
	           "Facebook for Developers they don’t respond 😞");
	const cJSON *p = item(&g, "4_10113477241177441");
	EXPECT_STR(p, "text", "Happy July 4th! 🇺🇸");
	EXPECT_STR(p, "created_at", "2021-07-04T19:50:58Z");
	EXPECT_STR(item(&g, "4_10113319652002411"), "created_at", "2021-06-22T18:06:08Z");
	done(&g);
	free(dir);
}
