/* What curation finds, through the real binary: flags with their details,
 * duplicates grouped under a representative, sentiment in rules, and the
 * list of customers waiting for an answer. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char csv_text[] =
	"id,name,rating,date,text\n"
	"a,Ada,5,2026-03-01,\"Absolutely love it, the best grinder I have owned!\"\n"
	"b,Bea,5,2026-03-02,\"Great kettle. Write to me at bea@example.org for tips\"\n"
	"c,Cy,1,2026-03-03,\"Terrible, broke after a week and support never answered. Awful.\"\n"
	"d,Di,4,2026-03-04,\"How do I descale it? The manual does not say.\"\n"
	"e,Ed,5,2026-03-05,\"Better than the CompetitorX one, no contest\"\n"
	"f,Fa,5,2026-03-06,\"Absolutely love it, the best grinder I have owned!!\"\n"
	"g,Gus,5,2026-03-07,\"Love it, our whole team uses it every day\"\n";

static char *dir, *store, *job;

static void setup(void)
{
	dir = kt_tmpdir();
	char *csv = kt_path(dir, "s.csv");
	kt_write(csv, csv_text);
	free(csv);
	store = kt_path(dir, "k.db");
	job = kt_job(dir, "{\"name\": \"a\", \"store\": \"k.db\","
	                  " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}],"
	                  " \"curation\": {\"blocklist\": [\"competitorx\"],"
	                  "  \"employees\": [\"Gus\"],"
	                  "  \"auto_approve\": [{\"name\": \"glowing\", \"all\":"
	                  "   {\"sentiment_at_least\": 0.6, \"min_rating\": 5}}]}}");
	struct kt_run r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(!strstr(r.out, "approved"), "collect curated:\n%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(dir, "curate", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(!strstr(r.out, "collected"), "curate collected:\n%s", r.out);
	kt_run_free(&r);
}

static void teardown(void)
{
	kt_rmtree(dir);
	free(dir);
	free(store);
	free(job);
}

TestSuite(analyze, .init = setup, .fini = teardown);

/* The item's flags as "f1,f2", from list --json. */
static void flags_of(cJSON *items, const char *id, char *out, size_t size)
{
	cJSON *e, *f;
	out[0] = '\0';
	cJSON_ArrayForEach(e, items)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), id) != 0)
			continue;
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(e, "flags"))
		{
			if (*out)
				strncat(out, ",", size - strlen(out) - 1);
			strncat(out, f->valuestring, size - strlen(out) - 1);
		}
		return;
	}
	cr_assert_fail("no item %s", id);
}

Test(analyze, flags_name_what_a_curator_should_look_at)
{
	struct kt_run r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cJSON *items = cJSON_Parse(r.out);
	cr_assert(items, "%s", r.out);
	char f[128];
	flags_of(items, "csv:a", f, sizeof f);
	cr_assert_str_eq(f, "");
	flags_of(items, "csv:b", f, sizeof f);
	cr_assert(strstr(f, "pii"), "b: %s", f);
	flags_of(items, "csv:c", f, sizeof f);
	cr_assert(strstr(f, "negative"), "c: %s", f);
	flags_of(items, "csv:d", f, sizeof f);
	cr_assert(strstr(f, "question"), "d: %s", f);
	flags_of(items, "csv:e", f, sizeof f);
	cr_assert(strstr(f, "blocked_word"), "e: %s", f);
	flags_of(items, "csv:f", f, sizeof f);
	cr_assert(strstr(f, "duplicate"), "f: %s", f);
	flags_of(items, "csv:g", f, sizeof f);
	cr_assert(strstr(f, "employee"), "g: %s", f);
	cJSON_Delete(items);
	kt_run_free(&r);

	r = kt_kudos(dir, "show", "csv:b", "--json", "--store", store, NULL);
	cr_assert(strstr(r.out, "email: bea@example.org"), "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(dir, "show", "csv:f", "--json", "--store", store, NULL);
	cr_assert(strstr(r.out, "\"duplicate_of\":\t\"csv:a\""), "%s", r.out);
	kt_run_free(&r);
}

Test(analyze, sentiment_rules_and_duplicates_are_not_approved_together)
{
	struct kt_run r = kt_kudos(dir, "list", "--curation", "approved", "--json", "--store",
	                           store, NULL);
	cJSON *items = cJSON_Parse(r.out), *e;
	char ids[128] = "";
	cJSON_ArrayForEach(e, items)
	{
		strcat(ids, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")));
		strcat(ids, " ");
	}
	/* a and f are glowing five-star items; f is a's duplicate, but the
	 * rule judges each item on its own words: both are approved, and f
	 * stays flagged so a person sees it is the same testimonial. */
	cr_assert(strstr(ids, "csv:a") && strstr(ids, "csv:f"), "%s", ids);
	cr_assert_null(strstr(ids, "csv:c"), "%s", ids);
	cJSON_Delete(items);
	kt_run_free(&r);
}

Test(analyze, customers_waiting_for_an_answer)
{
	struct kt_run r = kt_kudos(dir, "list", "--needs-reply", "--json", "--store", store, NULL);
	cJSON *items = cJSON_Parse(r.out);
	cr_assert_eq(cJSON_GetArraySize(items), 2, "%s", r.out);
	cJSON_Delete(items);
	kt_run_free(&r);
	char *path = kt_path(dir, "replies.csv"), *csv = kt_read(path);
	cr_assert(csv, "no replies.csv");
	cr_assert(strncmp(csv, "id,source,author,handle,permalink,flags,text\r\n", 46) == 0, "%s", csv);
	cr_assert(strstr(csv, "csv:c,") && strstr(csv, "csv:d,"), "%s", csv);
	cr_assert_null(strstr(csv, "csv:a,"), "%s", csv);
	free(csv);
	free(path);
}

Test(analyze, bad_curation_lists_are_refused)
{
	char *bad = kt_job(dir, "{\"name\": \"a\", \"store\": \"k.db\","
	                        " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}],"
	                        " \"curation\": {\"blocklist\": \"competitorx\"}}");
	struct kt_run r = kt_kudos(dir, "collect", bad, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "curation.blocklist"), "%s", r.err);
	kt_run_free(&r);
	free(bad);
}

/* 150 rows of random code points from many scripts (bidi controls, flags,
 * noncharacters, combining marks): every analysis must take them. */
Test(analyze_hostile, random_unicode_from_every_script)
{
	char *d = kt_tmpdir();
	char *j = kt_job(d, "{\"name\": \"u\", \"store\": \"k.db\", \"sources\": [{\"plugin\":"
	                    " \"csv\", \"path\": \"" KT_SRC "/tests/fixtures/analyze/random-unicode.csv\"}],"
	                    " \"curation\": {\"blocklist\": [\"갤\", \"🇩\", \"foo bar\"]}}");
	struct kt_run r = kt_kudos(d, "collect", j, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "collected 150 items"), "%s", r.out);
	kt_run_free(&r);
	kt_rmtree(d);
	free(d);
	free(j);
}

/* Enough items that curation runs on several threads: every copy must
 * still point at its own original, whichever slice of the work either
 * fell into, and a second curate over nothing new changes nothing. */
Test(analyze_many, duplicates_found_across_threads_and_a_rerun_changes_nothing)
{
	enum { ORIGINALS = 2400, COPY_EVERY = 7 };
	static const char *const syll[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "vo",
	                                   "pe", "zu", "ba", "do", "fi", "gu", "he", "ju"};
	char *d = kt_tmpdir(), *csv_path = kt_path(d, "s.csv");
	size_t cap = 400 * ORIGINALS, len = 0;
	char *csv = malloc(cap), text[ORIGINALS][200];
	cr_assert(csv);
	len += (size_t)snprintf(csv + len, cap - len, "id,name,rating,date,text\n");
	unsigned seed = 12345;
	for (int i = 0; i < ORIGINALS; i++) {
		/* eight made-up words: unrelated texts share almost no 9-grams */
		size_t t = 0;
		for (int w = 0; w < 8; w++) {
			for (int k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				t += (size_t)snprintf(text[i] + t, sizeof text[i] - t, "%s",
				                      syll[(seed >> 16) % 16]);
			}
			text[i][t++] = ' ';
		}
		snprintf(text[i] + t, sizeof text[i] - t, "number %d", i);
		len += (size_t)snprintf(csv + len, cap - len, "o%d,N%d,5,2026-01-01T%02d:%02d:00Z,%s\n",
		                        i, i, i / 60 % 24, i % 60, text[i]);
	}
	for (int i = 0; i < ORIGINALS; i += COPY_EVERY)
		len += (size_t)snprintf(csv + len, cap - len, "c%d,C%d,5,2026-02-01T10:00:00Z,%s!!\n",
		                        i, i, text[i]);
	kt_write(csv_path, csv);
	char *j = kt_job(d, "{\"name\": \"m\", \"store\": \"k.db\", \"sources\": [{\"plugin\":"
	                    " \"csv\", \"path\": \"s.csv\"}]}");
	char *db = kt_path(d, "k.db");
	struct kt_run r = kt_kudos(d, "collect", j, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);
	char *lists[2];
	/* Another connection sees data_version move when a curate commits
	 * any change: the second must commit none. */
	sqlite3 *watch;
	sqlite3_int64 version[2] = {0, 0};
	cr_assert_eq(sqlite3_open(db, &watch), SQLITE_OK);
	for (int run = 0; run < 2; run++) {
		r = kt_kudos(d, "curate", j, "--plugin-path", KT_PLUGINS, NULL);
		cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
		kt_run_free(&r);
		sqlite3_stmt *st;
		cr_assert_eq(sqlite3_prepare_v2(watch, "PRAGMA data_version", -1, &st, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
		version[run] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		r = kt_kudos(d, "list", "--json", "--store", db, NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		lists[run] = r.out;
		r.out = NULL;
		kt_run_free(&r);
	}
	sqlite3_close(watch);
	cr_assert_str_eq(lists[0], lists[1], "a second curate changed what the first found");
	cr_assert_eq(version[0], version[1], "a second curate wrote to the store");
	cJSON *items = cJSON_Parse(lists[0]), *e;
	cr_assert(cJSON_IsArray(items));
	int copies = 0, grouped_originals = 0;
	cJSON_ArrayForEach(e, items)
	{
		const char *id = cJSON_GetObjectItem(e, "id")->valuestring;
		const cJSON *dup = cJSON_GetObjectItem(e, "duplicate_of");
		if (id[4] == 'c') {
			char want[32];
			snprintf(want, sizeof want, "csv:o%s", id + 5);
			cr_assert(cJSON_IsString(dup) && !strcmp(dup->valuestring, want),
			          "%s should be a duplicate of %s", id, want);
			copies++;
		} else {
			grouped_originals += cJSON_IsString(dup);
		}
	}
	cr_assert_eq(copies, (ORIGINALS + COPY_EVERY - 1) / COPY_EVERY);
	cr_assert_eq(grouped_originals, 0, "unrelated originals were grouped");
	cJSON_Delete(items);
	free(lists[0]);
	free(lists[1]);
	free(csv);
	free(csv_path);
	free(j);
	free(db);
	kt_rmtree(d);
	free(d);
}
