/*
 * source-mastodon end to end: `kudos collect` over the fixtures in
 * tests/fixtures/mastodon (written for these tests in the shapes of the
 * Mastodon API), then `kudos list --json` / `kudos show --json` to see what
 * was stored; and every status payload among the real recorded responses
 * in ../shared/fixtures/real/mastodon.  Bad input is
 * test_source_mastodon_bad.c's.
 */
#include "fixtures/mastodon/mastodon_test.h"

#include <dirent.h>

/* ---- the fixtures ---------------------------------------------------- */

Test(mastodon, timeline_folder_of_two_pages)
{
	char *err = NULL;
	cJSON *arr = kt_collect("mastodon", FIX "/timeline", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(arr), 6, "2 pages of 3, the boost as its original:\n%s\n%s",
	             dump(arr), err);
	cr_assert(!strstr(err, "warning"), "no warnings expected:\n%s", err);

	const cJSON *de = ITEM(arr, "mastodon:112233445566778899");
	EQ(de, "kind", "social_post");
	EQ(de, "external_id", "112233445566778899");
	EQ(de, "author.name", "Lena Sch\xC3\xA4" "fer \xF0\x9F\x8C\xBB");
	EQ(de, "author.handle", "@lena@toot.example");
	EQ(de, "author.url", "https://toot.example/@lena");
	EQ(de, "author.avatar",
	   "https://files.toot.example/accounts/avatars/109000000000000001/static/lena.png");
	EQ(de, "text",
	   "Endlich angekommen: der neue Rucksack von #Acme ist gro\xC3\x9F" "artig \xE2\x80\x93 "
	   "wasserdicht & leicht!\n\nDanke f\xC3\xBCr den schnellen Versand \xF0\x9F\x99\x8C");
	EQ(de, "created_at", "2026-03-14T09:26:53Z");
	EQ(de, "language", "de");
	EQ(de, "permalink", "https://toot.example/@lena/112233445566778899");
	NUL(de, "in_reply_to");
	NUL(de, "title");

	/* A reply from a remote account with an empty display_name. */
	const cJSON *re = ITEM(arr, "mastodon:112233445566778950");
	EQ(re, "author.handle", "@sam@photos.example");
	EQ(re, "author.name", "sam");
	EQ(re, "text", "@lena Same here! Mine survived a week of rain.\nBest purchase this year <3");
	EQ(re, "in_reply_to", "112233445566778899");
	EQ(re, "created_at", "2026-03-14T10:02:11Z");

	/* A content warning is the title; edited_at with +00:00 is the update time. */
	const cJSON *ja = ITEM(arr, "mastodon:112233445566770001");
	EQ(ja, "title", "\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x92\xE3\x83\xBC\xE3\x81\xAE\xE8\xA9\xB1");
	EQ(ja, "text", "\xE3\x82\xA2\xE3\x82\xAF\xE3\x83\xA1\xE3\x81\xAE\xE3\x82\xB3\xE3\x83\xBC"
	               "\xE3\x83\x92\xE3\x83\xBC\xE3\x83\xA1\xE3\x83\xBC\xE3\x82\xAB\xE3\x83\xBC"
	               "\xE3\x80\x81\xE6\xAF\x8E\xE6\x9C\x9D\xE4\xBD\xBF\xE3\x81\xA3\xE3\x81\xA6"
	               "\xE3\x81\xBE\xE3\x81\x99\xE2\x98\x95\n\xE9\x9F\xB3\xE3\x81\x8C\xE9\x9D\x99"
	               "\xE3\x81\x8B\xE3\x81\xA7\xE6\x9C\x80\xE9\xAB\x98\xEF\xBC\x81");
	EQ(ja, "language", "ja");
	EQ(ja, "created_at", "2026-03-01T23:30:00Z");
	EQ(ja, "updated_at", "2026-03-02T08:15:00Z");
	EQ(ja, "author.avatar", "https://toot.example/avatars/original/missing.png");

	/* Entities decoded, the invisible parts of a link dropped. */
	EQ(ITEM(arr, "mastodon:112233445566770003"), "text",
	   "\"Best bike lights I've owned\" \xE2\x80\x93 full review here: "
	   "omar.example/blog/acme-lights-\xE2\x80\xA6");
	cJSON_Delete(arr);
	free(err);
}

Test(mastodon, boost_is_the_original_by_its_author)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/timeline", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, "mastodon:109876543210987654");
	EQ(o, "author.handle", "@jonas@mastodon.example");
	EQ(o, "author.name", "Jonas Weber");
	EQ(o, "text", "Three years with my Acme jacket and the zipper still works like day one. "
	              "Can't recommend them enough.");
	EQ(o, "created_at", "2026-03-10T18:45:00Z");
	EQ(o, "meta.boosted_by", "@carla@toot.example");
	EQ(o, "meta.boost_id", "112233445566779001");
	EQ(o, "meta.likes", "230");
	EQ(o, "meta.reposts", "41");
	cJSON_Delete(o);

	struct kt_run s = kt_kudos(dir, "show", "mastodon:112233445566779001", "--store",
	                           "kudos.db", NULL);
	cr_assert_neq(s.status, 0, "the boost itself is no item:" RUN_FMT, RUN_ARGS(s));
	kt_run_free(&s);
	kt_run_free(&r);
	done(dir);
}

Test(mastodon, deleted_author_kept_without_author)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/timeline", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, "mastodon:112233445566770002");
	EQ(o, "text", "Great customer service, they replaced my order in two days.");
	NUL(o, "author.name");
	NUL(o, "author.handle");
	NUL(o, "author.url");
	NUL(o, "author.avatar");
	EQ(o, "meta.author_missing", "true");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

Test(mastodon, counts_media_and_flags)
{
	struct kt_run r;
	char *dir = collect_in(FIX "/timeline", &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, "mastodon:112233445566778899");
	EQ(o, "meta.likes", "12");
	EQ(o, "meta.replies", "1");
	EQ(o, "meta.reposts", "3");
	EQ(o, "meta.quotes", "0");
	EQ(o, "meta.visibility", "public");
	const cJSON *media = cJSON_GetObjectItemCaseSensitive(o, "media");
	cr_assert_eq(cJSON_GetArraySize(media), 1, "%s", dump(o));
	EQ(cJSON_GetArrayItem(media, 0), "type", "image");
	EQ(cJSON_GetArrayItem(media, 0), "url",
	   "https://files.toot.example/media_attachments/files/22/original/rucksack.jpg");
	EQ(cJSON_GetArrayItem(media, 0), "alt", "Ein gr\xC3\xBCner Rucksack auf einer Holzbank");
	cJSON_Delete(o);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);

	dir = collect_in(FIX "/status.json", &r);
	cr_assert_eq(r.status, 0, "a single status object:" RUN_FMT, RUN_ARGS(r));
	o = show(dir, "mastodon:112233445566781234");
	EQ(o, "title", "unboxing video");
	EQ(o, "text", "Unboxing the new Acme kettle \xF0\x9F\xAB\x96\n\n"
	              "Quiet, fast, and the handle stays cool.");
	EQ(o, "meta.sensitive", "true");
	EQ(o, "meta.visibility", "unlisted");
	media = cJSON_GetObjectItemCaseSensitive(o, "media");
	cr_assert_eq(cJSON_GetArraySize(media), 2, "video and gifv; 'unknown' left out:\n%s",
	             dump(o));
	EQ(cJSON_GetArrayItem(media, 0), "type", "video");
	EQ(cJSON_GetArrayItem(media, 0), "alt", "The kettle boiling water on a kitchen counter");
	EQ(cJSON_GetArrayItem(media, 1), "type", "gifv");
	EQ(cJSON_GetArrayItem(media, 1), "url",
	   "https://files.toot.example/media_attachments/files/32/original/steam.mp4");
	NUL(cJSON_GetArrayItem(media, 1), "alt");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

/* ---- the real recorded responses ------------------------------------- */

/* Status payloads: every .json but the instance description. */
static int is_status_payload(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0 && !strstr(name, "instance");
}

Test(mastodon, real_recorded_responses)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the real Mastodon payloads "
		            "(../shared/fixtures/real/mastodon) were NOT tested");
		cr_skip_test("../shared/fixtures/real/mastodon is missing on this machine");
	}
	char folder[4096];
	snprintf(folder, sizeof folder, "%s/mastodon", real);
	DIR *d = opendir(folder);
	cr_assert(d, "cannot open %s", folder);
	int files = 0, items = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_status_payload(e->d_name))
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
		char *err = NULL;
		cJSON *arr = kt_collect("mastodon", path, NULL, &err);
		cr_assert(!strstr(err, "mastodon: warning"),
		          "%s: unexpected warnings:\n%s", e->d_name, err);
		files++;
		items += cJSON_GetArraySize(arr);
		const char *n = e->d_name;
		if (strcmp(n, "docs_entity_status_example.json") == 0) {
			cr_assert_eq(cJSON_GetArraySize(arr), 1);
			const cJSON *o = ITEM(arr, "mastodon:103270115826048975");
			EQ(o, "author.name", "Eugen");
			EQ(o, "author.handle", "@Gargron@mastodon.social");
			EQ(o, "text", "\"I lost my inheritance with one wrong digit on my sort "
			              "code\"\n\ntheguardian.com/money/2019/dec\xE2\x80\xA6");
			EQ(o, "created_at", "2019-12-08T03:48:33Z");
			EQ(o, "permalink", "https://mastodon.social/@Gargron/103270115826048975");
		} else if (strcmp(n, "mastodonpy_cassette_timelines_public.json") == 0) {
			cr_assert_eq(cJSON_GetArraySize(arr), 8, "%s", dump(arr));
			const cJSON *o = ITEM(arr, "mastodon:117020592137523525");
			EQ(o, "text", "you can't say that on television");
			EQ(o, "author.handle", "@admin@localhost:3000");
			EQ(o, "author.name", "admin");
			EQ(o, "created_at", "2026-08-01T13:55:31Z");
			EQ(ITEM(arr, "mastodon:117020588169351887"), "text",
			   "@mastodonpy_test beep beep I'm a jeep");
		} else if (strcmp(n, "mastodonpy_cassette_timelines_tag_hoot.json") == 0) {
			cr_assert_eq(cJSON_GetArraySize(arr), 1);
			const cJSON *o = ITEM(arr, "mastodon:117020593741189701");
			EQ(o, "text", "#hoot (hashtag toot)");
			EQ(o, "language", "ja");
			EQ(o, "author.handle", "@mastodonpy_test_2@localhost:3000");
		} else if (strcmp(n, "mastodonpy_cassette_status_with_card.json") == 0) {
			EQ(ITEM(arr, "mastodon:117020609135389699"), "text", "example.org/");
		} else if (strcmp(n, "mastodonpy_cassette_status_with_video_media.json") == 0) {
			const cJSON *o = ITEM(arr, "mastodon:117020576440066974");
			EQ(o, "author.name", "John Lennon");
			EQ(o, "text", "LOL check this out");
			EQ(o, "created_at", "2026-08-01T13:51:31Z");
		} else {
			cr_log_warn("real fixture %s collected (%d items) without specific "
			            "assertions", n, cJSON_GetArraySize(arr));
		}
		cJSON_Delete(arr);
		free(err);
	}
	closedir(d);
	cr_assert_geq(files, 5, "only %d status payloads found in %s", files, folder);
	cr_assert_eq(items, 12, "1 + 8 + 1 + 1 + 1 statuses in the real payloads");

	/* The video's alt text, through kudos show. */
	struct kt_run r;
	snprintf(folder, sizeof folder, "%s/mastodon/mastodonpy_cassette_status_with_video_media.json",
	         real);
	char *dir = collect_in(folder, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, "mastodon:117020576440066974");
	const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "media"), 0);
	EQ(m, "type", "video");
	EQ(m, "alt", "me when a cat");
	EQ(o, "meta.visibility", "unlisted");
	EQ(o, "meta.sensitive", "true");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
}

