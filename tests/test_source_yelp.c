/*
 * source-yelp end to end: `kudos collect` over saved Fusion
 * businesses/{id}/reviews pages (tests/fixtures/yelp, written for these
 * tests in the API's shape), then `kudos list --json` / `kudos show
 * --json`.  Also every file of ../shared/fixtures/real/yelp when present.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

#define PLUGIN "yelp"
#define FIX KT_SRC "/tests/fixtures/yelp"

#include "source_review_test.h"
#define assert_null(o, path)                                                           \
	cr_assert(cJSON_IsNull(at((o), (path))), "%s should be null", (path))

/* ---- the fixtures ------------------------------------------------------ */

Test(yelp, pages_folder_maps_every_field)
{
	char *err = NULL;
	cJSON *items = kt_collect("yelp", FIX "/pages", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(items), 4, "4 reviews over 2 pages; stderr:\n%s", err);

	const cJSON *d = by_ext(items, "Xk3pQ9vLm2Rt7YbN4cWd1A");
	assert_str(d, "id", "yelp:Xk3pQ9vLm2Rt7YbN4cWd1A");
	assert_str(d, "kind", "review");
	assert_str(d, "author.name", "Dana W.");
	assert_str(d, "author.url", "https://www.yelp.com/user_details?userid=u7Hs2KqLp9ZxV3mN1bCd4e");
	assert_str(d, "author.avatar",
	           "https://s3-media2.fl.yelpcdn.com/photo/Qw3rTy7UiOp1AsDf2GhJkL/o.jpg");
	assert_null(d, "author.handle");
	assert_str(d, "text",
	           "Hands down the best cold brew in Oakland 🧊☕ The staff walked me through "
	           "every single-origin bean & let me taste two before I...");
	cr_assert_eq(at(d, "rating.value")->valuedouble, 5);
	cr_assert_eq(at(d, "rating.scale")->valuedouble, 5);
	/* 00:41 Pacific daylight time is 07:41 UTC. */
	assert_str(d, "created_at", "2016-08-29T07:41:13Z");
	/* Tracking parameters dropped, the review anchor kept. */
	assert_str(d, "permalink",
	           "https://www.yelp.com/biz/acme-coffee-roasters-oakland?hrid=Rm4TqZ8vXc1LpN6bYw2KsA");

	const cJSON *m = by_ext(items, "b9Zr2Lq7VxN3mT5cKp8WdQ");
	assert_str(m, "author.name", "Marisol G.");
	assert_null(m, "author.avatar"); /* image_url: null */
	assert_str(m, "text",
	           "¡Qué rico el café de olla! Lo pedí con canela y piloncillo.\n\nEl lugar es "
	           "pequeño pero muy acogedor, perfecto para trabajar un rato...");
	/* 18:30 Pacific standard time in January is 02:30 UTC the next day. */
	assert_str(m, "created_at", "2025-01-16T02:30:00Z");
	cr_assert_eq(at(m, "rating.value")->valuedouble, 4);

	/* A closed account: no author, never an invented one. */
	const cJSON *q = by_ext(items, "Qm7Tz3Kp9Lx2Vb8Nc5WrYg");
	assert_null(q, "author.name");
	assert_null(q, "author.url");
	assert_null(q, "author.avatar");
	/* 01:30 on the morning clocks spring forward is still PST (UTC-8). */
	assert_str(q, "created_at", "2024-03-10T09:30:00Z");

	/* 01:30 on the morning clocks fall back happens twice: the first
	 * (PDT, UTC-7) is taken. */
	const cJSON *k = by_ext(items, "Lp4Vx8Rt2Nb6Kc1WqZ9mTs");
	assert_str(k, "created_at", "2023-11-05T08:30:00Z");
	assert_str(k, "permalink",
	           "https://www.yelp.com/biz/acme-coffee-roasters-oakland?hrid=Vx8Rt2Nb6Kc1WqZ9mTsLpA");
	cJSON_Delete(items);
	free(err);
}

Test(yelp, metadata_flags_excerpts_and_missing_authors)
{
	char *dir;
	struct kt_run r = run_job(FIX "/pages", NULL, &dir);
	cr_assert_eq(r.status, 0, "collect: %s", r.err);

	cJSON *d = show_in(dir, "yelp:Xk3pQ9vLm2Rt7YbN4cWd1A");
	assert_str(d, "meta.truncated", "true"); /* Yelp's excerpt ends in "..." */
	assert_str(d, "meta.user_id", "u7Hs2KqLp9ZxV3mN1bCd4e");
	cr_assert_null(at(d, "meta.author_missing"));
	cJSON_Delete(d);

	cJSON *q = show_in(dir, "yelp:Qm7Tz3Kp9Lx2Vb8Nc5WrYg");
	assert_str(q, "meta.author_missing", "true");
	cr_assert_null(at(q, "meta.truncated"));
	cJSON_Delete(q);

	cJSON *k = show_in(dir, "yelp:Lp4Vx8Rt2Nb6Kc1WqZ9mTs");
	cr_assert_null(at(k, "meta.truncated"), "a whole review is not flagged");
	cJSON_Delete(k);
	kt_run_free(&r);
	done(dir);
}

Test(yelp, timezone_key_reads_zone_less_times)
{
	cJSON *items = kt_collect("yelp", FIX "/pages/page-1.json",
	                          "\"timezone\": \"Europe/Berlin\"", NULL);
	cr_assert_eq(cJSON_GetArraySize(items), 2);
	/* 00:41 in Berlin (CEST, UTC+2) is 22:41 UTC the day before. */
	assert_str(by_ext(items, "Xk3pQ9vLm2Rt7YbN4cWd1A"), "created_at", "2016-08-28T22:41:13Z");
	cJSON_Delete(items);
}

Test(yelp, unknown_timezone_is_refused)
{
	char *dir;
	struct kt_run r = run_job(FIX "/pages", "\"timezone\": \"Mars/Olympus_Mons\"", &dir);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "Mars/Olympus_Mons") && strstr(r.err, "IANA"), "%s", r.err);
	kt_run_free(&r);
	done(dir);
}

Test(yelp, unknown_job_key_is_refused)
{
	char *dir;
	struct kt_run r = run_job(FIX "/pages", "\"business\": \"acme\"", &dir);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "business") && strstr(r.err, "timezone"), "%s", r.err);
	kt_run_free(&r);
	done(dir);
}

/* ---- bad input ---------------------------------------------------------- */

Test(yelp, truncated_page_fails_with_position_and_keeps_nothing)
{
	char *dir = kt_tmpdir(), *pages = kt_path(dir, "pages"), *p1 = kt_path(pages, "1.json"),
	     *p2 = kt_path(pages, "2.json");
	char *good = kt_read(FIX "/pages/page-1.json");
	cr_assert(good);
	kt_write(p1, good);
	kt_write(p2, "{\n  \"reviews\": [\n    {\"id\": \"a\", \"rating\": 5, \"text\": \"Gre");
	char *run_dir;
	struct kt_run r = run_job(pages, NULL, &run_dir);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "2.json:3:"), "names file and line: %s", r.err);
	cr_assert(strstr(r.err, "cut short"), "%s", r.err);
	cJSON *items = list_in(run_dir);
	cr_assert_eq(cJSON_GetArraySize(items), 0, "page 1 rolled back too");
	cJSON_Delete(items);
	kt_run_free(&r);
	done(run_dir);
	kt_rmtree(dir);
	free(good);
	free(p1);
	free(p2);
	free(pages);
	free(dir);
}

Test(yelp, invalid_json_names_line_and_column)
{
	char *dir = kt_tmpdir(), *p = kt_path(dir, "bad.json");
	kt_write(p, "{\"reviews\": [\n  {\"id\": \"a\", \"rating\": 5,, \"text\": \"x\"}\n]}\n");
	char *run_dir;
	struct kt_run r = run_job(p, NULL, &run_dir);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "bad.json:2:"), "%s", r.err);
	cr_assert(strstr(r.err, "not valid JSON"), "%s", r.err);
	kt_run_free(&r);
	done(run_dir);
	kt_rmtree(dir);
	free(p);
	free(dir);
}

Test(yelp, bad_entries_are_skipped_with_their_position)
{
	char *dir = kt_tmpdir(), *p = kt_path(dir, "mixed.json");
	kt_write(p, "{\"reviews\": [\n"
	            " {\"id\": \"ok-1\", \"rating\": 5, \"text\": \"Lovely.\", \"time_created\": "
	            "\"2020-02-02 10:00:00\", \"user\": {\"name\": \"A B.\"}},\n"
	            " {\"id\": {\"nested\": 1}, \"rating\": 5, \"text\": \"no id\"},\n"
	            " \"just a string\",\n"
	            " {\"id\": \"no-text\", \"rating\": 4, \"text\": 42},\n"
	            " {\"id\": \"bad-rating\", \"rating\": \"five\", \"text\": \"Kept, unrated.\", "
	            "\"time_created\": \"yesterday\"},\n"
	            " {\"id\": 90071992547409931, \"rating\": 5, \"text\": \"id beyond 2^53\"},\n"
	            " {\"id\": 12345, \"rating\": 3, \"text\": \"A numeric id within 2^53.\"}\n"
	            "]}\n");
	char *err = NULL;
	cJSON *items = kt_collect("yelp", p, NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(items), 3, "ok-1, bad-rating, 12345; stderr:\n%s", err);
	assert_str(by_ext(items, "ok-1"), "created_at", "2020-02-02T18:00:00Z");
	const cJSON *b = by_ext(items, "bad-rating");
	assert_null(b, "rating");
	assert_null(b, "created_at");
	by_ext(items, "12345");
	cr_assert(strstr(err, "mixed.json: reviews[1] has no id"), "%s", err);
	cr_assert(strstr(err, "mixed.json: reviews[2] is not a review object"), "%s", err);
	cr_assert(strstr(err, "mixed.json: reviews[3] (id no-text) has no text"), "%s", err);
	cr_assert(strstr(err, "reviews[4]: rating is not a number"), "%s", err);
	cr_assert(strstr(err, "reviews[4]: time_created \"yesterday\""), "%s", err);
	cr_assert(strstr(err, "reviews[5] has a numeric id above 2^53"), "%s", err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(p);
	free(dir);
}

Test(yelp, api_error_page_and_errors_array_are_warned_about)
{
	char *dir = kt_tmpdir(), *pages = kt_path(dir, "p"), *a = kt_path(pages, "a.json"),
	     *b = kt_path(pages, "b.json"), *c = kt_path(pages, "c.json");
	kt_write(a, "{\"error\": {\"code\": \"BUSINESS_NOT_FOUND\", \"description\": "
	            "\"The requested business could not be found.\"}}");
	kt_write(b, "{\"reviews\": [{\"id\": \"r1\", \"rating\": 5, \"text\": \"Still here.\"}], "
	            "\"errors\": [{\"description\": \"Some reviews were withheld.\"}]}");
	kt_write(c, "{\"businesses\": []}");
	char *err = NULL;
	cJSON *items = kt_collect("yelp", pages, NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(items), 1, "%s", err);
	cr_assert(strstr(err, "a.json: the page holds a Yelp API error (BUSINESS_NOT_FOUND"), "%s",
	          err);
	cr_assert(strstr(err, "b.json: errors[0]: the API reported \"Some reviews were withheld.\""),
	          "%s", err);
	cr_assert(strstr(err, "c.json: no \"reviews\" list"), "%s", err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(a);
	free(b);
	free(c);
	free(pages);
	free(dir);
}

/* ---- the real payloads others recorded ---------------------------------- */

Test(yelp, real_fixtures)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the yelp source was NOT run over "
		            "the real recorded payloads (../shared/fixtures/real/yelp)");
		cr_skip_test("../shared/fixtures/real/yelp is missing on this machine");
	}
	char *folder = kt_path(real, "yelp");
	struct stat st;
	if (stat(folder, &st) != 0) {
		cr_log_warn("%s is absent: the yelp source was NOT run over real payloads", folder);
		free(folder);
		cr_skip_test("../shared/fixtures/real/yelp is missing");
	}
	/* One file today: the published example for la-palma-mexicatessen. */
	char *file = kt_path(folder, "yelp_fusion_reviews_docs_example.json");
	char *err = NULL;
	cJSON *items = kt_collect("yelp", file, NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(items), 3, "stderr:\n%s", err);
	cr_assert(!strstr(err, "warning"), "no warnings expected: %s", err);

	const cJSON *ella = by_ext(items, "xAG4O7l-t1ubbwVAlPnDKg");
	assert_str(ella, "author.name", "Ella A.");
	assert_str(ella, "author.avatar",
	           "https://s3-media3.fl.yelpcdn.com/photo/iwoAD12zkONZxJ94ChAaMg/o.jpg");
	assert_str(ella, "created_at", "2016-08-29T07:41:13Z");
	cr_assert_eq(at(ella, "rating.value")->valuedouble, 5);
	assert_str(ella, "permalink",
	           "https://www.yelp.com/biz/la-palma-mexicatessen-san-francisco?hrid="
	           "hp8hAJ-AnlpqxCCu7kyCWA");

	const cJSON *yanni = by_ext(items, "1JNmYjJXr9ZbsfZUAgkeXQ");
	assert_str(yanni, "author.name", "Yanni L.");
	assert_null(yanni, "author.avatar");
	assert_str(yanni, "text",
	           "The \"restaurant\" is inside a small deli so there is no sit down area. Just "
	           "grab and go.\n\nInside, they sell individually packaged ingredients so that "
	           "you can...");
	assert_str(yanni, "created_at", "2016-09-28T15:55:29Z");

	const cJSON *s = by_ext(items, "SIoiwwVRH6R2s2ipFfs4Ww");
	assert_str(s, "author.name", "Suavecito M.");
	assert_str(s, "created_at", "2016-08-10T14:56:44Z");
	cr_assert_eq(at(s, "rating.value")->valuedouble, 4);

	/* Every file of the folder, whatever it holds, collects cleanly. */
	cJSON *all = kt_collect("yelp", folder, NULL, NULL);
	cr_assert_geq(cJSON_GetArraySize(all), 3);
	cJSON_Delete(all);
	cJSON_Delete(items);
	free(err);
	free(file);
	free(folder);
}
