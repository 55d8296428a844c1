/*
 * source-typeform end to end: `kudos collect` over saved Responses API
 * pages and webhook deliveries (tests/fixtures/typeform, written for these
 * tests in Typeform's shapes) with a "fields" mapping, then `kudos list
 * --json` / `kudos show --json`; also the real webhook payload in
 * ../shared/fixtures/real/typeform when present.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

#define PLUGIN "typeform"
#define FIX KT_SRC "/tests/fixtures/typeform"

/* The fixtures' form: refs of its questions. */
#define NAMES_MAPPING                                                                  \
	"\"fields\": {\"text\": \"love_text\", \"author_name\": \"first_name+last_name\", " \
	"\"author_role\": \"role\", \"rating\": \"stars\", \"consent\": \"quote_ok_choice\"}"

#include "source_review_test.h"
#define assert_null(o, path)                                                           \
	cr_assert(cJSON_IsNull(at((o), (path))), "%s should be null", (path))


/* Write `text` to a file in a new folder; returns the file (free both). */
static char *temp_file(char **dir, const char *name, const char *text)
{
	*dir = kt_tmpdir();
	char *p = kt_path(*dir, name);
	kt_write(p, text);
	return p;
}

/* ---- the fixtures ------------------------------------------------------ */

Test(typeform, responses_api_pages_with_a_field_mapping)
{
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, FIX "/responses", NAMES_MAPPING, &err);
	/* 5 responses over 2 pages: one partial, one without the quote. */
	cr_assert_eq(cJSON_GetArraySize(items), 3, "stderr:\n%s", err);
	cr_assert(!strstr(err, "warning"), "no warnings expected: %s", err);

	const cJSON *m = by_ext(items, "8n2kq7w0zr5mvb3x1c9d4f6g8h0j2l4p");
	assert_str(m, "id", "typeform:8n2kq7w0zr5mvb3x1c9d4f6g8h0j2l4p");
	assert_str(m, "kind", "form_answer");
	assert_str(m, "text", "The oat flat white is perfect 🥛☕\nAnd the staff know my name.");
	assert_str(m, "author.name", "Maya Chen");
	assert_str(m, "author.role", "Head of Design, Northwind");
	cr_assert_eq(at(m, "rating.value")->valuedouble, 5);
	cr_assert_eq(at(m, "rating.scale")->valuedouble, 5);
	assert_str(m, "created_at", "2026-02-14T10:21:07Z");
	/* She answered quote_ok, but the job maps quote_ok_choice. */
	assert_str(m, "rights.state", "none");

	/* No name given: no author, trimmed text, non-English. */
	const cJSON *g = by_ext(items, "q4w8e2r6t0y3u7i1o5p9a2s6d0f4g8h1");
	assert_str(g, "text", "Der beste Kaffee in der Stadt. Sehr zu empfehlen!");
	assert_null(g, "author.name");
	cr_assert_eq(at(g, "rating.value")->valuedouble, 4);

	/* Decomposed accents become NFC; the answer's "&amp;" and "<b>" are
	 * what the respondent typed, kept verbatim. */
	const cJSON *j = by_ext(items, "t5r4e3w2q1p0o9i8u7y6t5r4e3w2q1p0");
	assert_str(j, "author.name", "José Núñez");
	assert_str(j, "text",
	           "Great pastries &amp; <b>fast</b> service — café con leche como en casa.");
	cr_assert_eq(at(j, "rating.value")->valuedouble, 3);
	assert_str(j, "created_at", "2026-02-18T07:49:12Z");
	/* "Yes, you can quote me" grants the default scope. */
	assert_str(j, "rights.state", "granted");
	cr_assert_eq(cJSON_GetArraySize(at(j, "rights.scopes")), 1);
	cr_assert_str_eq(cJSON_GetArrayItem(at(j, "rights.scopes"), 0)->valuestring, "web");
	cJSON_Delete(items);
	free(err);
}

Test(typeform, webhook_delivery_with_hidden_name_and_legal_consent)
{
	char *dir;
	struct kt_run r = run_job(FIX "/webhook",
	                          "\"fields\": {\"text\": \"love_text\", \"author_name\": "
	                          "\"hidden:name\", \"rating\": \"stars\", \"consent\": "
	                          "\"quote_ok\"}, \"consent_scopes\": [\"web\", \"print\"]",
	                          &dir);
	cr_assert_eq(r.status, 0, "collect: %s", r.err);
	cJSON *s = show_in(dir, "typeform:0w9v8u7t6s5r4q3p2o1n0m9l8k7j6i5h");
	assert_str(s, "text", "Loved the Ethiopian pour-over — fruity, bright, not bitter at all.");
	assert_str(s, "author.name", "Sam O'Brien");
	assert_str(s, "created_at", "2026-03-01T09:15:02Z");
	assert_str(s, "meta.form_id", "Xb7KdQ2w");
	assert_str(s, "rights.state", "granted");
	cr_assert_eq(cJSON_GetArraySize(at(s, "rights.scopes")), 2);
	const char *ev = str(s, "rights.grant.evidence");
	cr_assert(ev, "a grant carries its evidence");
	cr_assert(strstr(ev, "Typeform response 0w9v8u7t6s5r4q3p2o1n0m9l8k7j6i5h to form "
	                     "\"Acme Coffee feedback\" Xb7KdQ2w"),
	          "%s", ev);
	/* The question's title, its HTML removed, and the answer. */
	cr_assert(strstr(ev, "question \"May we quote you on our website?\" (ref quote_ok, id "
	                     "Ts8UvW3xYz0a) answered \"yes\""),
	          "%s", ev);
	cr_assert(strstr(ev, "submitted 2026-03-01T09:15:02Z; read from delivery-1.json"), "%s", ev);
	cJSON_Delete(s);
	kt_run_free(&r);
	done(dir);
}

Test(typeform, consent_false_grants_nothing_and_hidden_name_fills_the_author)
{
	cJSON *items = kt_collect(PLUGIN, FIX "/responses",
	                          "\"fields\": {\"text\": \"love_text\", \"author_name\": "
	                          "\"hidden:name\", \"consent\": \"quote_ok\"}",
	                          NULL);
	cr_assert_eq(cJSON_GetArraySize(items), 3);
	const cJSON *m = by_ext(items, "8n2kq7w0zr5mvb3x1c9d4f6g8h0j2l4p");
	assert_str(m, "rights.state", "granted"); /* legal: true */
	assert_str(m, "author.name", "Maya Chen");
	assert_null(m, "rating"); /* not mapped */
	const cJSON *g = by_ext(items, "q4w8e2r6t0y3u7i1o5p9a2s6d0f4g8h1");
	assert_str(g, "rights.state", "none"); /* legal: false */
	assert_null(g, "author.name");         /* hidden: {} */
	assert_str(by_ext(items, "t5r4e3w2q1p0o9i8u7y6t5r4e3w2q1p0"), "author.name", "José Núñez");
	cJSON_Delete(items);
}

Test(typeform, missing_author_is_flagged)
{
	char *dir;
	struct kt_run r = run_job(FIX "/responses", NAMES_MAPPING, &dir);
	cr_assert_eq(r.status, 0, "collect: %s", r.err);
	cJSON *s = show_in(dir, "typeform:q4w8e2r6t0y3u7i1o5p9a2s6d0f4g8h1");
	assert_str(s, "meta.author_missing", "true");
	cJSON_Delete(s);
	s = show_in(dir, "typeform:8n2kq7w0zr5mvb3x1c9d4f6g8h0j2l4p");
	cr_assert_null(at(s, "meta.author_missing"));
	cJSON_Delete(s);
	kt_run_free(&r);
	done(dir);
}

Test(typeform, mapping_a_field_the_form_lacks_lists_the_refs_seen)
{
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, FIX "/webhook",
	                          "\"fields\": {\"text\": \"love_text\", \"rating\": "
	                          "\"star_rating\", \"title\": \"hidden:headline\"}",
	                          &err);
	cr_assert_eq(cJSON_GetArraySize(items), 1);
	cr_assert(strstr(err, "fields.rating: no question with ref or id \"star_rating\" appears "
	                      "in "),
	          "%s", err);
	cr_assert(strstr(err, "(refs seen: love_text, first_name, last_name, stars, quote_ok)"),
	          "%s", err);
	cr_assert(strstr(err, "fields.title: no response in ") &&
	                  strstr(err, "has the hidden field \"headline\" (hidden fields seen: "
	                              "name)"),
	          "%s", err);
	cJSON_Delete(items);
	free(err);
}

Test(typeform, job_mistakes_are_refused)
{
	static const struct {
		const char *extra, *says;
	} cases[] = {
		{"\"fields\": {\"quote\": \"love_text\"}", "\"quote\" is not an item field"},
		{"\"fields\": {\"author_name\": \"first_name\"}", "fields has no \"text\""},
		{"\"fields\": {\"text\": \"love_text\", \"rating\": \"hidden:stars\"}",
		 "fields.rating: a hidden field cannot fill rating"},
		{"\"fields\": {\"text\": \"love_text\", \"consent\": \"a+b\"}",
		 "fields.consent names 2 fields"},
		{"\"fields\": {\"text\": \"love_text++x\"}", "has an empty field name"},
		{"\"fields\": {\"text\": \"love_text\"}, \"consent_scopes\": [\"billboards\"]",
		 "consent_scopes: \"billboards\" is not a scope"},
		{"\"fields\": {\"text\": \"love_text\"}, \"rating_scale\": 0",
		 "rating_scale 0 is not a number from 1 to 100"},
		{"\"fields\": {\"text\": \"love_text\"}, \"form\": \"x\"", "form"},
		{NULL, "fields"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *dir;
		struct kt_run r = run_job(FIX "/webhook", cases[i].extra, &dir);
		cr_assert_eq(r.status, 2, "case %zu: exit %d: %s", i, r.status, r.err);
		cr_assert(strstr(r.err, cases[i].says), "case %zu: %s", i, r.err);
		kt_run_free(&r);
		done(dir);
	}
}

Test(typeform, events_other_than_form_response_are_skipped)
{
	char *dir, *p = temp_file(&dir, "events.json",
	    "[{\"event_id\": \"e1\", \"event_type\": \"form_response\", \"form_response\": "
	    "{\"form_id\": \"F1\", \"token\": \"tok1\", \"submitted_at\": \"2026-01-05T10:00:00Z\", "
	    "\"answers\": [{\"type\": \"text\", \"text\": \"Great!\", \"field\": {\"id\": \"f\", "
	    "\"ref\": \"q\", \"type\": \"short_text\"}}]}},\n"
	    " {\"event_id\": \"e2\", \"event_type\": \"form_response_partial\", \"form_response\": "
	    "{\"token\": \"tok2\", \"answers\": []}},\n"
	    " {\"event_id\": \"e3\", \"event_type\": \"form_deleted\"},\n"
	    " {\"event_id\": \"e4\", \"event_type\": \"form_response\", \"form_response\": 7}]");
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, p, "\"fields\": {\"text\": \"q\"}", &err);
	cr_assert_eq(cJSON_GetArraySize(items), 1, "%s", err);
	assert_str(by_ext(items, "tok1"), "text", "Great!");
	cr_assert(strstr(err, "events.json: [2]: event \"form_deleted\" is not a form_response; "
	                      "skipped"),
	          "%s", err);
	cr_assert(strstr(err, "events.json: [3].form_response is missing or not an object"), "%s",
	          err);
	cr_assert(!strstr(err, "form_response_partial"), "a partial is counted, not warned: %s",
	          err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(dir);
	free(p);
}

Test(typeform, answer_kinds_ratings_and_consent_words)
{
	char *dir, *p = temp_file(&dir, "kinds.json",
	    "{\"items\": [\n"
	    " {\"token\": \"r1\", \"submitted_at\": \"2026-01-01T08:00:00+01:00\", \"answers\": [\n"
	    "  {\"type\": \"choices\", \"choices\": {\"labels\": [\"Coffee\", \"Cake\"], \"other\": "
	    "\"Wi-Fi\"}, \"field\": {\"id\": \"t\", \"type\": \"multiple_choice\"}},\n"
	    "  {\"type\": \"choice\", \"choice\": {\"label\": \"4 stars\"}, \"field\": {\"id\": "
	    "\"s\"}},\n"
	    "  {\"type\": \"choice\", \"choice\": {\"label\": \"No thanks\"}, \"field\": {\"id\": "
	    "\"c\"}}]},\n"
	    " {\"token\": \"r2\", \"answers\": [\n"
	    "  {\"type\": \"text\", \"text\": \"Fine\", \"field\": {\"id\": \"t\"}},\n"
	    "  {\"type\": \"number\", \"number\": 9, \"field\": {\"id\": \"s\"}},\n"
	    "  {\"type\": \"text\", \"text\": \"maybe later\", \"field\": {\"id\": \"c\"}}]},\n"
	    " {\"token\": \"r3\", \"answers\": [\n"
	    "  {\"text\": \"No type given\", \"field\": {\"id\": \"t\"}},\n"
	    "  {\"type\": \"number\", \"number\": 1, \"field\": {\"id\": \"c\"}}]}\n"
	    "]}");
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, p,
	                          "\"fields\": {\"text\": \"t\", \"rating\": \"s\", \"consent\": "
	                          "\"c\"}, \"rating_scale\": 5",
	                          &err);
	cr_assert_eq(cJSON_GetArraySize(items), 3, "%s", err);
	const cJSON *r1 = by_ext(items, "r1");
	assert_str(r1, "text", "Coffee, Cake, Wi-Fi");
	cr_assert_eq(at(r1, "rating.value")->valuedouble, 4);
	assert_str(r1, "created_at", "2026-01-01T07:00:00Z");
	assert_str(r1, "rights.state", "none");
	const cJSON *r2 = by_ext(items, "r2");
	assert_null(r2, "rating");
	assert_str(r2, "rights.state", "none");
	const cJSON *r3 = by_ext(items, "r3");
	assert_str(r3, "text", "No type given");
	assert_str(r3, "rights.state", "granted");
	cr_assert(strstr(err, "kinds.json: items[1] (response r2): the answer to \"s\" is not a "
	                      "number from 0 to 5"),
	          "%s", err);
	cr_assert(strstr(err, "items[1] (response r2): consent answer \"maybe later\" to \"c\" is "
	                      "neither yes nor no"),
	          "%s", err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(dir);
	free(p);
}

/* ---- bad input ---------------------------------------------------------- */

Test(typeform, truncated_page_fails_with_position_and_keeps_nothing)
{
	char *dir = kt_tmpdir(), *pages = kt_path(dir, "pages"), *p1 = kt_path(pages, "1.json"),
	     *p2 = kt_path(pages, "2.json");
	char *good = kt_read(FIX "/responses/page-1.json");
	cr_assert(good);
	kt_write(p1, good);
	kt_write(p2, "{\"items\": [{\"token\": \"abc\", \"answers\": [{\"type\": \"text\", "
	             "\"text\": \"cut her");
	char *run_dir;
	struct kt_run r = run_job(pages, "\"fields\": {\"text\": \"love_text\"}", &run_dir);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "2.json:1:74: the JSON ends before it is complete"), "%s", r.err);
	cJSON *items = list_in(run_dir);
	cr_assert_eq(cJSON_GetArraySize(items), 0, "the first page is rolled back too");
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

Test(typeform, bad_entries_are_skipped_with_their_position)
{
	char *dir, *p = temp_file(&dir, "bad.json",
	    "{\"items\": [\n"
	    " {\"token\": \"ok\", \"answers\": [{\"type\": \"text\", \"text\": \"Good\", "
	    "\"field\": {\"ref\": \"q\"}}]},\n"
	    " {\"token\": \"str-answers\", \"answers\": \"Good\"},\n"
	    " {\"answers\": [{\"type\": \"text\", \"text\": \"no token\", \"field\": {\"ref\": "
	    "\"q\"}}]},\n"
	    " 17,\n"
	    " {\"token\": \"bad-time\", \"submitted_at\": \"soon\", \"answers\": [{\"type\": "
	    "\"text\", \"text\": \"Kept\", \"field\": {\"ref\": \"q\"}}]}\n"
	    "], \"errors\": [{\"message\": \"2 responses could not be loaded\"}]}");
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, p, "\"fields\": {\"text\": \"q\"}", &err);
	cr_assert_eq(cJSON_GetArraySize(items), 2, "%s", err);
	by_ext(items, "ok");
	assert_null(by_ext(items, "bad-time"), "created_at");
	cr_assert(strstr(err, "bad.json: errors[0]: the API reported \"2 responses could not be "
	                      "loaded\""),
	          "%s", err);
	cr_assert(strstr(err, "bad.json: items[1] (response str-answers): \"answers\" is not a "
	                      "list; skipped"),
	          "%s", err);
	cr_assert(strstr(err, "bad.json: items[2] has no token or response_id; skipped"), "%s", err);
	cr_assert(strstr(err, "bad.json: items[3] is not a response object; skipped"), "%s", err);
	cr_assert(strstr(err, "items[4]: submitted_at \"soon\""), "%s", err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(dir);
	free(p);
}

Test(typeform, api_error_page_is_skipped_with_a_warning)
{
	char *dir, *p = temp_file(&dir, "err.json",
	    "{\"code\": \"FORM_NOT_FOUND\", \"description\": \"Non existing form with uid abc\"}");
	char *err = NULL;
	cJSON *items = kt_collect(PLUGIN, p, "\"fields\": {\"text\": \"q\"}", &err);
	cr_assert_eq(cJSON_GetArraySize(items), 0);
	cr_assert(strstr(err, "err.json: the page holds a Typeform API error (FORM_NOT_FOUND: Non "
	                      "existing form with uid abc)"),
	          "%s", err);
	cJSON_Delete(items);
	free(err);
	kt_rmtree(dir);
	free(dir);
	free(p);
}

/* ---- the real payload others recorded ------------------------------------ */

Test(typeform, real_fixtures)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the typeform source was NOT run over "
		            "the real recorded payloads (../shared/fixtures/real/typeform)");
		cr_skip_test("../shared/fixtures/real/typeform is missing on this machine");
	}
	char *file = kt_path(real, "typeform/futureproject_webhook_form_response_2016.json");
	struct stat st;
	if (stat(file, &st) != 0) {
		cr_log_warn("%s is absent: the typeform source was NOT run over real payloads", file);
		free(file);
		cr_skip_test("../shared/fixtures/real/typeform is missing");
	}
	/* A 2016 form without refs: fields are named by id.  80 answers of
	 * types number, choice, choices (one with only "other") and text. */
	char *dir;
	struct kt_run r = run_job(file,
	                          "\"fields\": {\"text\": \"26346311\", \"author_name\": "
	                          "\"26540922+26540926\", \"rating\": \"26343758\", \"title\": "
	                          "\"26476764\", \"author_role\": \"26476767\", \"consent\": "
	                          "\"26649570\"}",
	                          &dir);
	cr_assert_eq(r.status, 0, "collect: %s", r.err);
	cJSON *items = list_in(dir);
	cr_assert_eq(cJSON_GetArraySize(items), 1);
	cJSON *s = show_in(dir, "typeform:be351577b0239b8e78a70525da191ed9");
	assert_str(s, "kind", "form_answer");
	assert_str(s, "text", "I am a nice person."); /* choice.label */
	assert_str(s, "author.name", "asdf asa");     /* first + last name answers */
	assert_str(s, "author.role", "JIM");          /* choices: labels null, other */
	assert_str(s, "title", "Latino or Hispanic American, Prefer not to answer");
	cr_assert_eq(at(s, "rating.value")->valuedouble, 1); /* opinion scale */
	cr_assert_eq(at(s, "rating.scale")->valuedouble, 5);
	assert_str(s, "created_at", "2016-10-11T23:09:30Z");
	assert_str(s, "meta.form_id", "WLMedf");
	assert_str(s, "rights.state", "none");
	/* The "consent" question mapped here was answered "a". */
	cr_assert(strstr(r.err, "futureproject_webhook_form_response_2016.json: form_response "
	                        "(response be351577b0239b8e78a70525da191ed9): consent answer \"a\" "
	                        "to \"26649570\" is neither yes nor no"),
	          "%s", r.err);
	cr_assert(!strstr(r.err, "no question with ref or id"), "every id is in the form: %s",
	          r.err);
	cJSON_Delete(s);
	cJSON_Delete(items);
	kt_run_free(&r);
	done(dir);

	/* The whole folder, with a trailing-space label as the quote. */
	char *folder = kt_path(real, "typeform");
	cJSON *all = kt_collect(PLUGIN, folder, "\"fields\": {\"text\": \"27877000\"}", NULL);
	cr_assert_eq(cJSON_GetArraySize(all), 1);
	assert_str(cJSON_GetArrayItem(all, 0), "text", "Detroit");
	cJSON_Delete(all);
	free(folder);
	free(file);
}
