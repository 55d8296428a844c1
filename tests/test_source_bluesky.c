/*
 * source-bluesky end to end: `kudos collect` over the fixtures in
 * tests/fixtures/bluesky (written for these tests in the shapes of the
 * app.bsky XRPC responses), then `kudos list --json` / `kudos show --json`
 * to see what was stored; bad input; and every post payload among the real
 * recorded responses in ../shared/fixtures/real/bluesky.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define FIX KT_SRC "/tests/fixtures/bluesky"
#define RUN_FMT "\n  exit status %d\n  --- stdout ---\n%s\n  --- stderr ---\n%s"
#define RUN_ARGS(r) (r).status, (r).out ? (r).out : "(none)", (r).err ? (r).err : "(none)"
#define POST(did, rkey) "bluesky:at://" did "/app.bsky.feed.post/" rkey

static char *dump(const cJSON *v)
{
	static char *last;
	free(last);
	last = cJSON_Print(v);
	return last ? last : "(null)";
}

static const cJSON *by_id(const cJSON *arr, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		if (v && strcmp(v, id) == 0)
			return e;
	}
	return NULL;
}

#define ITEM(arr, id)                                                                   \
	({                                                                              \
		const cJSON *it_ = by_id((arr), (id));                                  \
		cr_assert(it_, "no item %s in the store:\n%s", (id), dump(arr));        \
		it_;                                                                    \
	})

/* A string member ("author.name" reaches one level down), or NULL. */
static const char *str(const cJSON *o, const char *path)
{
	char key[64];
	const char *dot = strchr(path, '.');
	if (dot) {
		snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		path = dot + 1;
	}
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, path));
}

#define EQ(item, path, want)                                                            \
	do {                                                                            \
		const char *got_ = str((item), (path));                                 \
		cr_assert(got_ && strcmp(got_, (want)) == 0,                            \
		          "%s: want \"%s\", got \"%s\" in\n%s", (path), (want),         \
		          got_ ? got_ : "(null)", dump(item));                          \
	} while (0)
#define NUL(item, path)                                                                 \
	cr_assert(!str((item), (path)), "%s: want null in\n%s", (path), dump(item))

/* A folder with a job collecting `path` into kudos.db (transfer full). */
static char *collect_in(const char *path, struct kt_run *out)
{
	char *dir = kt_tmpdir(), *text = NULL;
	cr_assert(asprintf(&text,
	                   "{\"name\": \"b\", \"store\": \"kudos.db\", \"sources\": "
	                   "[{\"plugin\": \"bluesky\", \"path\": \"%s\"}]}",
	                   path) > 0);
	char *job = kt_job(dir, text);
	*out = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	free(job);
	free(text);
	return dir;
}

static cJSON *show(const char *dir, const char *id)
{
	char *store = kt_path(dir, "kudos.db");
	struct kt_run r = kt_kudos(dir, "show", id, "--json", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "kudos show %s:" RUN_FMT, id, RUN_ARGS(r));
	cJSON *o = cJSON_Parse(r.out);
	cr_assert(cJSON_IsObject(o), "show --json: %s", r.out);
	kt_run_free(&r);
	free(store);
	return o;
}

static int count_items(const char *dir)
{
	char *store = kt_path(dir, "kudos.db");
	struct kt_run r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cJSON *a = cJSON_Parse(r.out);
	int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
	cJSON_Delete(a);
	kt_run_free(&r);
	free(store);
	return n;
}

static void done(char *dir)
{
	kt_rmtree(dir);
	free(dir);
}

/* ---- the fixtures ---------------------------------------------------- */

Test(bluesky, search_posts)
{
	char *err = NULL;
	cJSON *arr = kt_collect("bluesky", FIX "/searchPosts.json", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(arr), 3, "%s\n%s", dump(arr), err);
	cr_assert(!strstr(err, "warning"), "no warnings expected:\n%s", err);

	const cJSON *pt = ITEM(arr, POST("did:plc:mariana7x2k4q", "3lbq2xk7fzc2a"));
	EQ(pt, "kind", "social_post");
	EQ(pt, "external_id", "at://did:plc:mariana7x2k4q/app.bsky.feed.post/3lbq2xk7fzc2a");
	EQ(pt, "author.name", "Mariana Costa \xF0\x9F\x8C\xBF");
	EQ(pt, "author.handle", "@mariana.bsky.social");
	EQ(pt, "author.url", "https://bsky.app/profile/mariana.bsky.social");
	EQ(pt, "author.avatar",
	   "https://cdn.bsky.app/img/avatar/plain/did:plc:mariana7x2k4q/bafkreiavatarmariana@jpeg");
	EQ(pt, "text", "Comprei a garrafa t\xC3\xA9rmica da Acme e ela mant\xC3\xA9m o caf\xC3\xA9 "
	               "quente o dia todo \xE2\x98\x95\xF0\x9F\x94\xA5\nRecomendo demais!");
	EQ(pt, "created_at", "2026-03-14T09:26:53Z");
	EQ(pt, "language", "pt");
	EQ(pt, "permalink", "https://bsky.app/profile/mariana.bsky.social/post/3lbq2xk7fzc2a");
	NUL(pt, "in_reply_to");

	/* Empty displayName: the handle is the name; "<1h" and "&" verbatim. */
	const cJSON *en = ITEM(arr, POST("did:plc:devnull3k2j1", "3lbq3aaaaaa2b"));
	EQ(en, "author.name", "devnull.example.com");
	EQ(en, "text", "Ordered on Monday, arrived Wednesday. Packaging was 100% recyclable & "
	               "the support team answered in <1h. #acme");
	EQ(en, "created_at", "2026-03-14T10:00:01Z");

	/* A reply, its time written with +02:00. */
	const cJSON *re = ITEM(arr, POST("did:plc:rita2b3n4m5", "3lbq4ccccc22c"));
	EQ(re, "in_reply_to", "at://did:plc:mariana7x2k4q/app.bsky.feed.post/3lbq2xk7fzc2a");
	EQ(re, "created_at", "2026-03-14T10:30:00Z");
	NUL(re, "author.avatar");
	cJSON_Delete(arr);
	free(err);
}

Test(bluesky, images_with_alt_and_counts)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/searchPosts.json", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, POST("did:plc:devnull3k2j1", "3lbq3aaaaaa2b"));
	const cJSON *media = cJSON_GetObjectItemCaseSensitive(o, "media");
	cr_assert_eq(cJSON_GetArraySize(media), 2, "%s", dump(o));
	EQ(cJSON_GetArrayItem(media, 0), "type", "image");
	EQ(cJSON_GetArrayItem(media, 0), "url",
	   "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:devnull3k2j1/bafkreibox@jpeg");
	EQ(cJSON_GetArrayItem(media, 0), "alt", "A cardboard box with a green Acme logo");
	NUL(cJSON_GetArrayItem(media, 1), "alt");
	cJSON_Delete(o);
	o = show(dir, POST("did:plc:mariana7x2k4q", "3lbq2xk7fzc2a"));
	EQ(o, "meta.likes", "17");
	EQ(o, "meta.replies", "2");
	EQ(o, "meta.reposts", "1");
	EQ(o, "meta.quotes", "0");
	EQ(o, "meta.author_did", "did:plc:mariana7x2k4q");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

Test(bluesky, author_feed_folder_reposts_pins_video_invalid_handle)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/author_feed", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	/* 3 + 2 feed items; the reply context (parent, root) is not collected. */
	cr_assert_eq(count_items(dir), 5);

	/* A repost is the original post by its own author. */
	cJSON *o = show(dir, POST("did:plc:kenji5h6g7f8", "3lbq9kkkkkk2k"));
	EQ(o, "author.handle", "@kenji.bsky.social");
	EQ(o, "author.name", "\xE5\x81\xA5\xE4\xBA\x8C");
	EQ(o, "text", "\xE3\x82\xA2\xE3\x82\xAF\xE3\x83\xA1\xE3\x81\xAE\xE3\x83\xAA\xE3\x83\xA5"
	              "\xE3\x83\x83\xE3\x82\xAF\xE3\x80\x81" "3\xE5\xB9\xB4\xE4\xBD\xBF\xE3\x81"
	              "\xA3\xE3\x81\xA6\xE3\x82\x82\xE5\xA3\x8A\xE3\x82\x8C\xE3\x81\xAA\xE3\x81"
	              "\x84\xE3\x80\x82\n\xE6\x9C\xAC\xE5\xBD\x93\xE3\x81\xAB\xE3\x81\x8A\xE3\x81"
	              "\x99\xE3\x81\x99\xE3\x82\x81\xE3\x81\xA7\xE3\x81\x99 \xF0\x9F\x91\x8D");
	EQ(o, "language", "ja");
	EQ(o, "created_at", "2026-03-18T22:10:05Z");
	EQ(o, "meta.reposted_by", "@acme.example");
	cJSON_Delete(o);

	/* A pinned post is not a repost; its video; microseconds in the time. */
	o = show(dir, POST("did:plc:acmebrand0001", "3lbpvvvvvvv2v"));
	NUL(o, "meta.reposted_by");
	EQ(o, "created_at", "2026-03-10T09:00:00Z");
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "media"), 0);
	EQ(m, "type", "video");
	EQ(m, "url", "https://video.bsky.app/watch/did%3Aplc%3Aacmebrand0001/bafkreivideo/"
	             "playlist.m3u8");
	EQ(m, "alt", "A kettle on a test bench");
	cJSON_Delete(o);

	o = show(dir, POST("did:plc:acmebrand0001", "3lbr1aaaaaa2a"));
	EQ(o, "meta.link", "https://acme.example/spring");
	cJSON_Delete(o);

	o = show(dir, POST("did:plc:acmebrand0001", "3lbr0rrrrrr2r"));
	EQ(o, "in_reply_to", "at://did:plc:rita2b3n4m5/app.bsky.feed.post/3lbq4ccccc22c");
	cJSON_Delete(o);

	/* handle.invalid is not published as a handle; the DID stands in. */
	o = show(dir, POST("did:plc:broken9q8w7e", "3lbpbbbbbbb2b"));
	EQ(o, "author.name", "Former Handle");
	NUL(o, "author.handle");
	EQ(o, "author.url", "https://bsky.app/profile/did:plc:broken9q8w7e");
	EQ(o, "permalink", "https://bsky.app/profile/did:plc:broken9q8w7e/post/3lbpbbbbbbb2b");
	EQ(o, "text", "Acme\xE2\x80\x99s warranty service is the real deal.");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

Test(bluesky, thread_with_missing_author_and_not_found_reply)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/thread.json", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(!strstr(r.err, "warning"), RUN_FMT, RUN_ARGS(r));
	cr_assert_eq(count_items(dir), 3, "parent, post and one reply; the notFound one "
	                                  "is counted, not collected");
	cJSON *o = show(dir, POST("did:plc:ghost0000001", "3lbq5ggggggg2"));
	EQ(o, "text", "Loved it too. Five stars from me \xE2\xAD\x90\xE2\xAD\x90\xE2\xAD\x90"
	              "\xE2\xAD\x90\xE2\xAD\x90");
	NUL(o, "author.name");
	NUL(o, "author.handle");
	NUL(o, "author.url");
	EQ(o, "meta.author_missing", "true");
	EQ(o, "in_reply_to", "at://did:plc:rita2b3n4m5/app.bsky.feed.post/3lbq4ccccc22c");
	EQ(o, "created_at", "2026-03-14T15:00:00Z");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

Test(bluesky, single_post_view_quote_with_media)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/post_view.json", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, POST("did:plc:kenji5h6g7f8", "3lbs1qqqqqq2q"));
	EQ(o, "language", "ja");
	EQ(o, "meta.quoted", "at://did:plc:acmebrand0001/app.bsky.feed.post/3lbr1aaaaaa2a");
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "media"), 0);
	EQ(m, "type", "image");
	EQ(m, "alt", "\xE3\x83\xAA\xE3\x83\xA5\xE3\x83\x83\xE3\x82\xAF\xE3\x81\xAE\xE5\x86\x99"
	             "\xE7\x9C\x9F");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

/* ---- bad input ------------------------------------------------------- */

Test(bluesky, one_bad_entry_skipped_with_a_warning)
{
	char *err = NULL;
	cJSON *arr = kt_collect("bluesky", FIX "/one_bad_entry.json", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s\n%s", dump(arr), err);
	EQ(ITEM(arr, POST("did:plc:rita2b3n4m5", "3lbt1aaaaaa2a")), "text", "Good one before.");
	EQ(ITEM(arr, POST("did:plc:rita2b3n4m5", "3lbt1eeeeee2e")), "text", "Good one after.");
	cr_assert(strstr(err, "one_bad_entry.json: feed[1].post has no \"uri\""), "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: feed[2].post has no \"record.text\""), "%s",
	          err);
	cr_assert(strstr(err, "one_bad_entry.json: feed[3] has no \"post\""), "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: feed[4] has no \"post\""), "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: feed[5].post has a \"uri\" that is not"), "%s",
	          err);
	cJSON_Delete(arr);
	free(err);
}

Test(bluesky, truncated_page_fails_and_keeps_nothing)
{
	char *p1 = kt_read(FIX "/author_feed/page-1.json");
	char *p2 = kt_read(FIX "/author_feed/page-2.json"), *pages = kt_tmpdir();
	cr_assert(p1 && p2);
	char *a = kt_path(pages, "page-1.json"), *b = kt_path(pages, "page-2.json");
	kt_write(a, p1);
	kt_write_bytes(b, p2, strlen(p2) / 2);
	int lines = 1;
	for (size_t i = 0; i < strlen(p2) / 2; i++)
		lines += p2[i] == '\n';
	struct kt_run r;
	char *dir = collect_in(pages, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	char where[64];
	snprintf(where, sizeof where, "page-2.json:%d:", lines);
	cr_assert(strstr(r.err, where), "want %s in:" RUN_FMT, where, RUN_ARGS(r));
	cr_assert(strstr(r.err, "ends too early"), RUN_FMT, RUN_ARGS(r));
	cr_assert_eq(count_items(dir), 0, "page 1 must be rolled back");
	kt_run_free(&r);
	done(dir);
	kt_rmtree(pages);
	free(pages);
	free(a);
	free(b);
	free(p1);
	free(p2);
}

Test(bluesky, invalid_json_error_body_and_other_shapes)
{
	char *tmp = kt_tmpdir(), *f = kt_path(tmp, "bad.json");
	kt_write(f, "{\"posts\": [\n  {\"uri\": \"at://x/app.bsky.feed.post/1\",,}\n]}");
	struct kt_run r;
	char *dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "bad.json:2:42: this is not valid JSON"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "{\"error\": \"InvalidRequest\", \"message\": \"Error: limit must be <= 100\"}");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "XRPC error response (InvalidRequest: Error: limit must be <= 100)"),
	          RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "{\"$type\": \"app.bsky.feed.post\", \"text\": \"a bare record\", "
	            "\"createdAt\": \"2026-01-01T00:00:00Z\"}");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "holds no Bluesky posts"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "[] []");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "bad.json:1:4: text follows the JSON value"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);
	free(f);
	done(tmp);
}

/* ---- the real recorded responses ------------------------------------- */

Test(bluesky, real_recorded_responses)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the real Bluesky payloads "
		            "(../shared/fixtures/real/bluesky) were NOT tested");
		cr_skip_test("../shared/fixtures/real/bluesky is missing on this machine");
	}
	char folder[4096];
	snprintf(folder, sizeof folder, "%s/bluesky", real);
	DIR *d = opendir(folder);
	cr_assert(d, "cannot open %s", folder);
	int files = 0, items = 0;
	struct dirent *e;
	/* XRPC responses: the atproto.dart recordings.  The docs' bare post
	 * record and the lexicon are not responses (no uri, no author). */
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "atprotodart_", 12) != 0)
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
		char *err = NULL;
		cJSON *arr = kt_collect("bluesky", path, NULL, &err);
		cr_assert(!strstr(err, "bluesky: warning"), "%s:\n%s", e->d_name, err);
		files++;
		items += cJSON_GetArraySize(arr);
		if (strcmp(e->d_name, "atprotodart_searchPosts.json") == 0) {
			cr_assert_eq(cJSON_GetArraySize(arr), 1);
			const cJSON *o = ITEM(arr, POST("did:plc:d3zpokjdspr22chfrc427eis",
			                                "3ju4p6u2i3a2g"));
			EQ(o, "author.name", "luy \xF0\x9F\xA6\x8B");
			EQ(o, "author.handle", "@luy.gay");
			EQ(o, "created_at", "2023-04-24T13:50:19Z");
			EQ(o, "permalink", "https://bsky.app/profile/luy.gay/post/3ju4p6u2i3a2g");
			cr_assert(strncmp(str(o, "text"), "eu queria um fone de ouvido com fio, "
			                                  "n\xC3\xA3o me dou bem com fone sem fios",
			                  70) == 0, "%s", dump(o));
		} else if (strcmp(e->d_name, "atprotodart_getAuthorFeed.json") == 0) {
			cr_assert_eq(cJSON_GetArraySize(arr), 25, "%s", dump(arr));
			const cJSON *o = ITEM(arr, POST("did:plc:iijrtk7ocored6zuziwmqq3c",
			                                "3jukefhnx7e2e"));
			EQ(o, "author.name", "Shinya Kato \xF0\x9F\xA4\xAF");
			EQ(o, "author.handle", "@shinyakato.dev");
			EQ(o, "text", "\xE5\x8D\x98\xE7\xB4\x94\xE3\x81\xAB\xE3\x82\xA4\xE3\x83\xBC"
			              "\xE3\x83\xAD\xE3\x83\xB3\xE3\x83\x9E\xE3\x82\xB9\xE3\x82\xAF"
			              "\xE3\x81\x8C\xE5\xAB\x8C\xE3\x81\x84\xE3\x81\xA0\xE3\x81\x8B"
			              "\xE3\x82\x89\xE3\x81\x93\xE3\x81\x93\xE3\x81\xAB\xE9\x9B\x86"
			              "\xE3\x81\xBE\xE3\x81\xA3\xE3\x81\xA6\xE3\x82\x8B\xE4\xBA\xBA"
			              "\xE3\x81\x8C\xE5\xA4\x9A\xE3\x81\x84\xE5\x8D\xB0\xE8\xB1\xA1"
			              "\xE3\x81\xA7\xE3\x81\x99");
			EQ(o, "created_at", "2023-04-30T00:14:27Z");
			EQ(o, "in_reply_to",
			   "at://did:plc:aajyn6qzw67cnmwf7zxzbjdy/app.bsky.feed.post/3juke6qr3lc2p");
			/* Reposted by shinyakato.dev: kept under its author. */
			EQ(ITEM(arr, POST("did:plc:7itws64acv3c6dsgab5ky6zn", "3juhed6iawd2h")),
			   "author.name", "Chelsea Manning");
		} else {
			cr_log_warn("real fixture %s collected (%d items) without specific "
			            "assertions", e->d_name, cJSON_GetArraySize(arr));
		}
		cJSON_Delete(arr);
		free(err);
	}
	closedir(d);
	cr_assert_geq(files, 2, "only %d XRPC responses found in %s", files, folder);
	cr_assert_eq(items, 26);

	struct kt_run r;
	snprintf(folder, sizeof folder, "%s/bluesky/atprotodart_getAuthorFeed.json", real);
	char *dir = collect_in(folder, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, POST("did:plc:gggcwmwoyak6op4pkqm76ckz", "3jukz62npim26"));
	EQ(o, "author.handle", "@christopherpmoore.xyz");
	EQ(o, "meta.reposted_by", "@shinyakato.dev");
	EQ(o, "meta.likes", "100");
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "media"), 0);
	EQ(m, "type", "image");
	EQ(m, "url", "https://cdn.bsky.social/imgproxy/5DeoD2mnyO4pL_ljZrc25iKbg1jJsmg8k8Af8cVEers/"
	             "rs:fit:2000:2000:1:0/plain/"
	             "bafkreiactiikzqoiisabzjvapodlm4ldcrgvh2pc7bqyasdgsz67vi2l7a@jpeg");
	NUL(m, "alt");
	cJSON_Delete(o);
	o = show(dir, POST("did:plc:iijrtk7ocored6zuziwmqq3c", "3jukdwsblqu2l"));
	EQ(o, "meta.link", "https://psky.app/profile/why.bsky.team/post/3juk5phzpf62w");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}
