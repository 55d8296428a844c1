/*
 * reposts output, planning: slots across daylight-saving changes (Europe/
 * Berlin spring and autumn, America/New_York), grant windows that end or
 * start inside the schedule, spreading across sources and authors, the
 * job's mistakes, and a dry run.  All through the real binary: a CSV
 * source with a consent column (scope social) and an auto_approve rule,
 * `kudos run`, then the files in out/.  SOURCE_DATE_EPOCH is 2023-11-14
 * (helpers.c), so every slot in 2030 lies ahead.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>
#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "store.h"

struct env {
	char *dir, *job;
};

#define CSV_SOURCE                                                                          \
	"{\"plugin\": \"csv\", \"path\": \"data.csv\", \"consent_column\": \"ok\", "         \
	"\"consent_scopes\": [\"social\"]}"

#define APPROVE_GRANTED                                                                     \
	"{\"auto_approve\": [{\"name\": \"granted\", \"all\": {\"rights\": \"granted\"}}]}"

/* A job of the CSV source (plus `more_sources`), the curation rules
 * `curation` and one reposts output with `keys`. */
static struct env make_with(const char *csv, const char *more_sources, const char *keys,
                            const char *curation)
{
	struct env e = {kt_tmpdir(), NULL};
	char *data = kt_path(e.dir, "data.csv"), *text = NULL;
	kt_write(data, csv);
	cr_assert(asprintf(&text,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": [" CSV_SOURCE "%s], "
	                   "\"curation\": %s, \"outputs\": [{\"plugin\": \"reposts\", "
	                   "\"dir\": \"out\", %s}]}",
	                   more_sources ? more_sources : "", curation, keys) > 0);
	e.job = kt_job(e.dir, text);
	free(text);
	free(data);
	return e;
}

static struct env make(const char *csv, const char *more_sources, const char *keys)
{
	return make_with(csv, more_sources, keys, APPROVE_GRANTED);
}

static char *run(struct env *e)
{
	struct kt_run r = kt_kudos(e->dir, "run", e->job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run exited %d:\n%s%s", r.status, r.out, r.err);
	free(r.out);
	return r.err;
}

static void grant(struct env *e, const char *id, const char *opt, const char *date)
{
	struct kt_run r = kt_kudos(e->dir, "grant", id, "--scope", "social", "--evidence",
	                           "yes, by direct message", opt, date, "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "kudos grant %s exited %d:\n%s%s", id, r.status, r.out, r.err);
	kt_run_free(&r);
}

/* Sources and curation only: nothing planned yet. */
static void collect(struct env *e)
{
	struct kt_run r = kt_kudos(e->dir, "collect", e->job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos collect exited %d:\n%s%s", r.status, r.out, r.err);
	kt_run_free(&r);
}

static char *file(struct env *e, const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/out/%s", e->dir, name) > 0);
	char *t = kt_read(p);
	cr_assert(t, "no out/%s", name);
	free(p);
	return t;
}

static cJSON *schedule(struct env *e)
{
	char *t = file(e, "schedule.json");
	cJSON *doc = cJSON_Parse(t);
	cr_assert(doc, "schedule.json is not JSON:\n%s", t);
	free(t);
	return doc;
}

static void done(struct env *e)
{
	kt_rmtree(e->dir);
	free(e->dir);
	free(e->job);
}

static const char *s(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);
	cr_assert(cJSON_IsString(v), "no string \"%s\"", k);
	return v->valuestring;
}

/* Six quotes by six people, all consenting. */
static const char six[] =
	"id,text,author_name,ok\n"
	"a,Fast delivery and kind people.,Ann Alder,yes\n"
	"b,Would buy again.,Ben Brook,yes\n"
	"c,\"Great value, great service.\",Cy Cole,yes\n"
	"d,Five stars from me.,Di Dale,yes\n"
	"e,The app just works.,Ed East,yes\n"
	"f,Support fixed it in an hour.,Fay Fox,yes\n";

/* The posts' "utc" and "local" in order, against the expected lists. */
static void expect_times(const cJSON *doc, const char *const *utc, const char *const *local,
                         size_t n)
{
	const cJSON *posts = cJSON_GetObjectItem(doc, "posts");
	cr_assert_eq((size_t)cJSON_GetArraySize(posts), n, "%d posts planned, expected %zu",
	             cJSON_GetArraySize(posts), n);
	for (size_t i = 0; i < n; i++) {
		const cJSON *p = cJSON_GetArrayItem(posts, (int)i);
		cr_expect_str_eq(s(p, "utc"), utc[i], "post %zu", i);
		cr_expect_str_eq(s(p, "local"), local[i], "post %zu", i);
	}
}

static int notes_mention(const cJSON *doc, const char *what)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, cJSON_GetObjectItem(doc, "notes"))
		if (strstr(n->valuestring, what))
			return 1;
	return 0;
}

Test(reposts, berlin_spring_forward_moves_a_missing_time_to_the_next_valid_minute)
{
	struct env e = make(six, NULL,
	                    "\"platforms\": [\"x\"], \"start\": \"2030-03-30\", \"days\": 3, "
	                    "\"slots\": [\"09:30\", \"02:30\"], \"timezone\": \"Europe/Berlin\", "
	                    "\"min_gap_minutes\": 0");
	char *err = run(&e);
	cJSON *doc = schedule(&e);
	const char *utc[] = {"2030-03-30T01:30:00Z", "2030-03-30T08:30:00Z", "2030-03-31T01:00:00Z",
	                     "2030-03-31T07:30:00Z", "2030-04-01T00:30:00Z", "2030-04-01T07:30:00Z"};
	const char *local[] = {"2030-03-30T02:30:00+01:00", "2030-03-30T09:30:00+01:00",
	                       "2030-03-31T03:00:00+02:00", "2030-03-31T09:30:00+02:00",
	                       "2030-04-01T02:30:00+02:00", "2030-04-01T09:30:00+02:00"};
	expect_times(doc, utc, local, 6);
	cr_expect(notes_mention(doc, "2030-03-31 02:30 does not exist in Europe/Berlin"),
	          "the shifted slot is in schedule.json's notes");
	cr_expect(strstr(err, "2030-03-31 02:30 does not exist") && strstr(err, "03:00"),
	          "and reported on the terminal:\n%s", err);
	char *csv = file(&e, "schedule-x.csv");
	cr_expect(strstr(csv, "\r\n31/03/2030 03:00,"), "the CSV keeps local times:\n%s", csv);
	char *ics = file(&e, "schedule.ics");
	cr_expect(strstr(ics, "DTSTART;TZID=Europe/Berlin:20300331T030000\r\n"), "%s", ics);
	cr_expect(strstr(ics, "BEGIN:DAYLIGHT\r\nTZNAME:GMT+2\r\nTZOFFSETFROM:+0100\r\n"
	                      "TZOFFSETTO:+0200\r\nDTSTART:20300331T020000\r\n"),
	          "the VTIMEZONE holds the change:\n%s", ics);
	free(csv);
	free(ics);
	free(err);
	cJSON_Delete(doc);
	done(&e);
}

Test(reposts, berlin_fall_back_takes_the_first_of_a_repeated_time)
{
	struct env e = make(six, NULL,
	                    "\"platforms\": [\"x\"], \"start\": \"2030-10-26\", \"days\": 3, "
	                    "\"slots\": [\"02:30\", \"12:00\"], \"timezone\": \"Europe/Berlin\"");
	char *err = run(&e);
	cJSON *doc = schedule(&e);
	const char *utc[] = {"2030-10-26T00:30:00Z", "2030-10-26T10:00:00Z", "2030-10-27T00:30:00Z",
	                     "2030-10-27T11:00:00Z", "2030-10-28T01:30:00Z", "2030-10-28T11:00:00Z"};
	const char *local[] = {"2030-10-26T02:30:00+02:00", "2030-10-26T12:00:00+02:00",
	                       "2030-10-27T02:30:00+02:00", "2030-10-27T12:00:00+01:00",
	                       "2030-10-28T02:30:00+01:00", "2030-10-28T12:00:00+01:00"};
	expect_times(doc, utc, local, 6);
	cr_expect(notes_mention(doc, "2030-10-27 02:30 happens twice"), "noted");
	char *ics = file(&e, "schedule.ics");
	cr_expect(strstr(ics, "BEGIN:STANDARD\r\nTZNAME:GMT+1\r\nTZOFFSETFROM:+0200\r\n"
	                      "TZOFFSETTO:+0100\r\nDTSTART:20301027T030000\r\nEND:STANDARD\r\n"),
	          "%s", ics);
	cr_expect(strstr(ics, "DTSTART;TZID=Europe/Berlin:20301027T023000\r\n"), "%s", ics);
	free(ics);
	free(err);
	cJSON_Delete(doc);
	done(&e);
}

Test(reposts, new_york_spring_forward_and_us_dates)
{
	struct env e = make(six, NULL,
	                    "\"platforms\": [\"mastodon\"], \"start\": \"2030-03-09\", \"days\": 3, "
	                    "\"slots\": [\"02:30\", \"09:00\"], \"timezone\": \"America/New_York\", "
	                    "\"csv_format\": \"hootsuite-us\"");
	char *err = run(&e);
	cJSON *doc = schedule(&e);
	const char *utc[] = {"2030-03-09T07:30:00Z", "2030-03-09T14:00:00Z", "2030-03-10T07:00:00Z",
	                     "2030-03-10T13:00:00Z", "2030-03-11T06:30:00Z", "2030-03-11T13:00:00Z"};
	const char *local[] = {"2030-03-09T02:30:00-05:00", "2030-03-09T09:00:00-05:00",
	                       "2030-03-10T03:00:00-04:00", "2030-03-10T09:00:00-04:00",
	                       "2030-03-11T02:30:00-04:00", "2030-03-11T09:00:00-04:00"};
	expect_times(doc, utc, local, 6);
	cr_expect(notes_mention(doc, "2030-03-10 02:30 does not exist in America/New_York"), "");
	char *csv = file(&e, "schedule-mastodon.csv");
	cr_expect(strstr(csv, "\r\n03/10/2030 03:00,"), "mm/dd/yyyy:\n%s", csv);
	free(csv);
	free(err);
	cJSON_Delete(doc);
	done(&e);
}

/* A grant ending inside the schedule is checked at each slot. */
Test(reposts, a_grant_window_that_ends_mid_schedule_is_kept)
{
	/* a without consent: granted below, until 2030-01-03 */
	struct env e = make("id,text,author_name,ok\n"
	                    "a,Until the third only.,Ann Alder,\n"
	                    "b,Open grant one.,Ben Brook,yes\n"
	                    "c,Open grant two.,Cy Cole,yes\n",
	                    NULL,
	                    "\"platforms\": [\"x\"], \"start\": \"2030-01-01\", \"days\": 8, "
	                    "\"slots\": [\"10:00\"], \"repeat_after_days\": 1");
	collect(&e);
	grant(&e, "csv:a", "--until", "2030-01-03"); /* to the end of that day */
	free(run(&e)); /* approves it by the job's rule, then plans */
	cJSON *doc = schedule(&e);
	int a = 0, after = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		const char *item = s(p, "item"), *utc = s(p, "utc");
		if (!strcmp(item, "csv:a")) {
			a++;
			cr_expect(strcmp(utc, "2030-01-04T00:00:00Z") < 0,
			          "a's grant ends with 2030-01-03, yet it is planned at %s", utc);
		}
		after += strcmp(utc, "2030-01-04") > 0;
	}
	cr_expect_gt(a, 0, "a is planned while its grant lasts");
	cr_expect_geq(after, 4, "the days after a's grant are filled by others");
	cJSON_Delete(doc);
	done(&e);
}

/* A grant that starts after today (and after the schedule's start) reaches
 * the plan: the gate hands reposts what passes somewhere in its span, and
 * judges every slot at its own time. */
Test(reposts, a_grant_window_that_starts_mid_schedule_is_planned_from_its_start)
{
	struct env e = make("id,text,author_name,ok\n"
	                    "a,From the fifth on.,Ann Alder,\n"
	                    "b,Open grant one.,Ben Brook,yes\n"
	                    "c,Open grant two.,Cy Cole,yes\n",
	                    NULL,
	                    "\"platforms\": [\"x\"], \"start\": \"2030-01-01\", \"days\": 8, "
	                    "\"slots\": [\"10:00\"], \"repeat_after_days\": 1");
	collect(&e);
	grant(&e, "csv:a", "--from", "2030-01-05");
	free(run(&e));
	cJSON *doc = schedule(&e);
	const char *first = NULL;
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		if (strcmp(s(p, "item"), "csv:a"))
			continue;
		cr_expect(strcmp(s(p, "utc"), "2030-01-05") > 0,
		          "a's grant starts 2030-01-05, yet it is planned at %s", s(p, "utc"));
		if (!first)
			first = s(p, "utc");
	}
	cr_assert(first, "a, granted from a day still ahead, is planned");
	cr_expect_str_eq(first, "2030-01-05T10:00:00Z", "from the first slot its grant covers");
	cJSON_Delete(doc);
	done(&e);
}

/* Ann wrote three, Ben two (CSV, newest first by date); Alice two and
 * Carol one (Mastodon, all older). */
Test(reposts, posts_alternate_sources_and_never_repeat_an_author_back_to_back)
{
	char *so = NULL;
	if (access(KT_PLUGINS "/source-mastodon.so", R_OK) != 0) {
		cr_log_warn("%s/source-mastodon.so is not built: spreading across two sources "
		            "cannot be checked", KT_PLUGINS);
		cr_skip_test("no mastodon source plugin");
	}
	cr_assert(asprintf(&so, ", {\"plugin\": \"mastodon\", \"path\": \"%s\"}",
	                   KT_SRC "/tests/fixtures/reposts/mastodon") > 0);
	struct env e = make("id,text,author_name,created_at,ok\n"
	                    "a1,Ann one.,Ann Alder,2023-06-05,yes\n"
	                    "b1,Ben one.,Ben Brook,2023-06-04,yes\n"
	                    "a2,Ann two.,Ann Alder,2023-06-03,yes\n"
	                    "b2,Ben two.,Ben Brook,2023-06-02,yes\n"
	                    "a3,Ann three.,Ann Alder,2023-06-01,yes\n",
	                    so,
	                    "\"platforms\": [\"x\", \"mastodon\"], \"start\": \"2030-05-01\", "
	                    "\"days\": 10, \"slots\": [\"12:00\"], \"repeat_after_days\": 0");
	collect(&e);
	/* the Mastodon posts have no consent: grant them */
	const char *m[] = {"mastodon:110000000000000001", "mastodon:110000000000000002",
	                   "mastodon:110000000000000003"};
	for (int i = 0; i < 3; i++)
		grant(&e, m[i], "--from", "2023-01-01");
	free(run(&e));
	cJSON *doc = schedule(&e);
	const cJSON *p;
	char prev_author = 0, prev_source = 0;
	int n = 0, alternations = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		if (strcmp(s(p, "platform"), "x"))
			continue;
		const char *item = s(p, "item");
		/* author: a/b from the CSV id, Alice for ...1 and ...3, Carol ...2 */
		char author = !strncmp(item, "csv:", 4) ? item[4]
		              : item[strlen(item) - 1] == '2' ? 'C' : 'A';
		char source = item[0];
		cr_expect_neq(author, prev_author, "post %d (%s) has the author of the one before",
		              n, item);
		if (n && n < 6)
			alternations += source != prev_source;
		prev_author = author;
		prev_source = source;
		n++;
	}
	cr_expect_eq(n, 8, "every item once on X (repeat_after_days 0), got %d", n);
	cr_expect_eq(alternations, 5, "the first six posts alternate CSV and Mastodon");
	/* on its own platform a creator is credited by handle */
	const char *t = NULL;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
		if (!strcmp(s(p, "platform"), "mastodon") && !strcmp(s(p, "item"), m[1]))
			t = s(p, "text");
	cr_assert(t, "Carol's post on Mastodon");
	cr_expect(strstr(t, "Carol Chen (@carol@other.example)"), "%s", t);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
		if (!strcmp(s(p, "platform"), "x") && !strcmp(s(p, "item"), m[1]))
			cr_expect(strstr(s(p, "text"), "Carol Chen\n") && !strstr(s(p, "text"), "(@carol"),
			          "elsewhere by name: %s", s(p, "text"));
	cJSON_Delete(doc);
	free(so);
	done(&e);
}

static void refused(const char *keys, const char *needle)
{
	struct env e = make(six, NULL, keys);
	struct kt_run r = kt_kudos(e.dir, "run", e.job, "--plugin-path", KT_PLUGINS, NULL);
	cr_expect_eq(r.status, 2, "%s: exit %d, wanted 2\n%s", keys, r.status, r.err);
	cr_expect(strstr(r.err, needle), "%s: the message should name %s:\n%s", keys, needle,
	          r.err);
	kt_run_free(&r);
	done(&e);
}

Test(reposts, the_jobs_mistakes_are_refused_by_name)
{
	refused("\"platforms\": [\"x\", \"tiktok\"]", "\"platforms\" names \"tiktok\"");
	refused("\"slots\": [\"25:00\"]", "\"slots\" holds \"25:00\"");
	refused("\"timezone\": \"Mars/Olympus_Mons\"", "Mars/Olympus_Mons");
	refused("\"start\": \"2030-02-30\"", "\"start\" is \"2030-02-30\"");
	refused("\"template\": \"{quote} by {autor}\"", "{autor}");
	refused("\"csv_format\": \"excel\"", "\"csv_format\" is \"excel\"");
	refused("\"days\": 0", "\"days\" is 0");
	refused("\"fallback\": \"shorten\"", "\"fallback\" is \"shorten\"");
	refused("\"order\": \"random\"", "\"order\" is \"random\": use \"newest_approved\"");
}

Test(reposts, a_dry_run_writes_and_keeps_nothing)
{
	struct env e = make(six, NULL, "\"platforms\": [\"x\"], \"start\": \"2030-01-01\"");
	struct kt_run r = kt_kudos(e.dir, "run", e.job, "--dry-run", "--plugin-path", KT_PLUGINS,
	                           NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	char *p = kt_path(e.dir, "out/schedule.json");
	cr_expect(access(p, F_OK) != 0, "a dry run wrote %s", p);
	free(p);
	free(run(&e));
	cJSON *doc = schedule(&e);
	const cJSON *post;
	cJSON_ArrayForEach(post, cJSON_GetObjectItem(doc, "posts"))
		cr_expect_str_eq(s(post, "status"), "new", "the dry run's plan was not kept");
	cJSON_Delete(doc);
	done(&e);
}

Test(reposts, a_platform_dropped_from_the_job_has_its_posts_cancelled_and_its_file_emptied)
{
	struct env e = make(six, NULL,
	                    "\"platforms\": [\"x\", \"bluesky\"], \"start\": \"2030-01-01\", "
	                    "\"days\": 3");
	free(run(&e));
	char *x1 = file(&e, "schedule-x.csv");
	/* the same job without bluesky */
	char *text = kt_read(e.job);
	char *at = strstr(text, ", \"bluesky\"");
	cr_assert(at);
	memmove(at, at + 11, strlen(at + 11) + 1);
	kt_write(e.job, text);
	free(run(&e));
	char *x2 = file(&e, "schedule-x.csv"), *b2 = file(&e, "schedule-bluesky.csv");
	cr_expect_str_eq(x2, x1, "the X plan is untouched");
	cr_expect_str_eq(b2, "", "schedule-bluesky.csv is emptied, not left stale");
	cJSON *doc = schedule(&e);
	const cJSON *c;
	int n = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cancelled"))
	{
		n++;
		cr_expect_str_eq(s(c, "platform"), "bluesky");
		cr_expect(strstr(s(c, "reason"), "Bluesky is no longer in the job's platforms"), "%s",
		          s(c, "reason"));
	}
	cr_expect_eq(n, 6, "six Bluesky posts cancelled, got %d", n);
	cJSON_Delete(doc);
	free(text);
	free(x1);
	free(x2);
	free(b2);
	done(&e);
}

Test(reposts, a_quote_too_long_for_a_platform_is_skipped_there_and_reported)
{
	char csv[2048] = "id,text,author_name,ok\nshort,Short and sweet.,Ann Alder,yes\nlong,";
	for (int i = 0; i < 40; i++)
		strcat(csv, "Very good. ");
	strcat(csv, ",Ben Brook,yes\n");
	struct env e = make(csv, NULL,
	                    "\"platforms\": [\"x\", \"linkedin\"], \"start\": \"2030-01-01\", "
	                    "\"days\": 3, \"fallback\": \"card\"");
	char *err = run(&e);
	cJSON *doc = schedule(&e);
	int on_x = 0, on_linkedin = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		if (strcmp(s(p, "item"), "csv:long"))
			continue;
		on_x += !strcmp(s(p, "platform"), "x");
		on_linkedin += !strcmp(s(p, "platform"), "linkedin");
		cr_expect(strstr(s(p, "text"), "Very good. Very good."), "never cut: %s", s(p, "text"));
	}
	cr_expect_eq(on_x, 0, "440 characters do not go to X");
	cr_expect_eq(on_linkedin, 1, "but they do go to LinkedIn");
	const cJSON *k = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "skipped"), 0);
	cr_assert(k, "the skip is reported");
	cr_expect_str_eq(s(k, "item"), "csv:long");
	cr_expect_str_eq(s(k, "platform"), "x");
	cr_expect(strstr(s(k, "reason"), "too long for X") && strstr(s(k, "reason"), "no card"),
	          "%s", s(k, "reason"));
	cr_expect(strstr(err, "x: 1 item left out"), "and on the terminal:\n%s", err);
	cJSON_Delete(doc);
	free(err);
	done(&e);
}

/* ---- the order of approval ------------------------------------------------ */

/* Four items created a, b, c, d (oldest first), rated 3, 4, 5, 4, and
 * approved in the order c, a, d, b (an hour apart, in the store's audit
 * trail): one post a day on X, each item once, shows the job's order. */
static char *planned_order(const char *order)
{
	char keys[256];
	snprintf(keys, sizeof keys,
	         "\"platforms\": [\"x\"], \"start\": \"2030-01-01\", \"days\": 4, "
	         "\"slots\": [\"10:00\"], \"repeat_after_days\": 0%s%s%s",
	         order ? ", \"order\": \"" : "", order ? order : "", order ? "\"" : "");
	struct env e = make_with("id,text,author_name,rating,created_at,ok\n"
	                         "a,Item a.,Ann Alder,3,2023-06-01,yes\n"
	                         "b,Item b.,Ben Brook,4,2023-06-02,yes\n"
	                         "c,Item c.,Cy Cole,5,2023-06-03,yes\n"
	                         "d,Item d.,Di Dale,4,2023-06-04,yes\n",
	                         NULL, keys, "{}");
	collect(&e);
	struct kudos_store *st = NULL;
	struct kudos_error err = {0};
	char *db = kt_path(e.dir, "k.db");
	cr_assert(sodium_init() >= 0);
	cr_assert_eq(kudos_store_open(db, &st, &err), 0, "%s", err.msg);
	const char *approve[] = {"csv:c", "csv:a", "csv:d", "csv:b"};
	for (int i = 0; i < 4; i++) {
		int changed = 0;
		cr_assert_eq(kudos_store_begin(st, &err), 0);
		cr_assert_eq(kudos_store_set_curation(st, approve[i], "approved", "test", NULL,
		                                      1700000000 + 3600 * i, &changed, &err), 0,
		             "%s", err.msg);
		cr_assert_eq(kudos_store_commit(st, &err), 0);
		cr_assert(changed);
	}
	kudos_store_close(st);
	free(db);
	struct kt_run r = kt_kudos(e.dir, "render", e.job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "order %s: %s%s", order ? order : "(default)", r.out, r.err);
	kt_run_free(&r);
	cJSON *doc = schedule(&e);
	char got[64] = "";
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		size_t n = strlen(got);
		snprintf(got + n, sizeof got - n, "%s%s", n ? " " : "", s(p, "item") + 4);
	}
	cr_expect_str_eq(s(doc, "order"), order ? order : "newest_approved",
	                 "schedule.json says which order it used");
	cJSON_Delete(doc);
	done(&e);
	return strdup(got);
}

Test(reposts, newest_approvals_go_first_unless_the_job_orders_otherwise)
{
	static const struct {
		const char *order, *want;
	} o[] = {
		{NULL, "b d a c"},               /* newest_approved, the default */
		{"newest_approved", "b d a c"},
		{"oldest_approved", "c a d b"},
		{"highest_rated", "c b d a"},    /* 5, then the 4s by newest approval */
		{"newest_created", "d c b a"},
	};
	for (size_t i = 0; i < sizeof o / sizeof o[0]; i++) {
		char *got = planned_order(o[i].order);
		cr_expect_str_eq(got, o[i].want, "order %s: planned %s, expected %s",
		                 o[i].order ? o[i].order : "(default)", got, o[i].want);
		free(got);
	}
}

/* ---- credit per network --------------------------------------------------- */

/* The credit line of `item`'s post on `platform` ("— " up to the line's
 * end), into buf; NULL when the item has no post there. */
static const char *credit_on(const cJSON *doc, const char *item, const char *platform,
                             char *buf, size_t n)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		if (strcmp(s(p, "item"), item) || strcmp(s(p, "platform"), platform))
			continue;
		const char *c = strstr(s(p, "text"), "\xE2\x80\x94 ");
		cr_assert(c, "no credit line in %s", s(p, "text"));
		c += 4;
		snprintf(buf, n, "%.*s", (int)strcspn(c, "\n"), c);
		return buf;
	}
	return NULL;
}

/* An @-mention is a name on one network only; on another it tags a
 * stranger.  Alice (Mastodon) and Kim (X) asked for credit by handle, Dan
 * (Mastodon, handle without an instance) and Jane (X) for their name. */
Test(reposts, a_handle_is_mentioned_only_on_its_own_network)
{
	char *so = NULL;
	if (access(KT_PLUGINS "/source-mastodon.so", R_OK) != 0 ||
	    access(KT_PLUGINS "/source-x.so", R_OK) != 0) {
		cr_log_warn("%s: source-mastodon.so or source-x.so is not built: credit across "
		            "networks cannot be checked", KT_PLUGINS);
		cr_skip_test("no mastodon or x source plugin");
	}
	cr_assert(asprintf(&so, ", {\"plugin\": \"mastodon\", \"path\": \"%s\"}, "
	                        "{\"plugin\": \"x\", \"path\": \"%s\"}",
	                   KT_SRC "/tests/fixtures/reposts/credit/mastodon",
	                   KT_SRC "/tests/fixtures/reposts/credit/x") > 0);
	struct env e = make("id,text,author_name,ok\n", so,
	                    "\"platforms\": [\"x\", \"mastodon\", \"bluesky\"], \"start\": "
	                    "\"2030-01-01\", \"days\": 4, \"slots\": [\"10:00\"], "
	                    "\"repeat_after_days\": 0");
	collect(&e);
	static const struct {
		const char *id, *credit, *x, *mastodon, *bluesky;
	} c[] = {
		{"mastodon:120000000000000001", "handle", "alice@example.social on Mastodon",
		 "@alice@example.social", "alice@example.social on Mastodon"},
		{"mastodon:120000000000000002", "full", "Dan Doe", "Dan Doe", "Dan Doe"},
		{"x:1790000000000000001", "full", "Jane Xu (@jane_x)", "Jane Xu", "Jane Xu"},
		{"x:1790000000000000002", "handle", "@kim_x", "kim_x on X", "kim_x on X"},
	};
	for (size_t i = 0; i < 4; i++) {
		struct kt_run r = kt_kudos(e.dir, "grant", c[i].id, "--scope", "social", "--evidence",
		                           "yes, by direct message", "--credit", c[i].credit,
		                           "--store", "k.db", NULL);
		cr_assert_eq(r.status, 0, "grant %s: %s", c[i].id, r.err);
		kt_run_free(&r);
	}
	free(run(&e));
	cJSON *doc = schedule(&e);
	for (size_t i = 0; i < 4; i++) {
		const char *names[] = {"x", "mastodon", "bluesky"};
		const char *want[] = {c[i].x, c[i].mastodon, c[i].bluesky};
		for (int k = 0; k < 3; k++) {
			char buf[128];
			const char *got = credit_on(doc, c[i].id, names[k], buf, sizeof buf);
			cr_expect(got, "%s has no post on %s", c[i].id, names[k]);
			if (got)
				cr_expect_str_eq(got, want[k], "%s on %s", c[i].id, names[k]);
		}
	}
	/* and nowhere a mention of a handle from another network */
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		const char *t = s(p, "text"), *pl = s(p, "platform"), *item = s(p, "item");
		if (!strncmp(item, pl, strlen(pl)) && item[strlen(pl)] == ':')
			continue; /* its own network */
		for (const char *at = strchr(t, '@'); at; at = strchr(at + 1, '@'))
			cr_expect(at > t && !strchr(" \n(", at[-1]),
			          "%s on %s mentions someone: %s", item, pl, t);
	}
	cJSON_Delete(doc);
	free(so);
	done(&e);
}
