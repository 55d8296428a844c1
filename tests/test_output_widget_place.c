/* The widget says exactly where each item is (output_place): an item the
 * widget left out after sorting and limiting is recorded nowhere, and one
 * that later drops out is taken down in the report. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static int published_count(const char *dir, const char *store, const char *id)
{
	struct kt_run r = kt_kudos(dir, "show", id, "--json", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cJSON *o = cJSON_Parse(r.out);
	int n = cJSON_GetArraySize(cJSON_GetObjectItem(o, "published"));
	cJSON_Delete(o);
	kt_run_free(&r);
	return n;
}

Test(widget_place, sorted_and_limited_items_are_recorded_only_where_they_are)
{
	char *dir = kt_tmpdir(), *csv = kt_path(dir, "s.csv"), *store = kt_path(dir, "k.db");
	kt_write(csv, "id,name,rating,date,text,ok\n"
	              "a,Ada,3,2026-03-03,Fine,yes\n"
	              "b,Bea,5,2026-03-01,Superb,yes\n"
	              "c,Cy,4,2026-03-02,Good,yes\n");
	char *job = kt_job(dir, "{\"name\": \"p\", \"store\": \"k.db\","
	                        " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\","
	                        "  \"consent_column\": \"ok\"}],"
	                        " \"curation\": {\"auto_approve\": [{\"name\": \"all\","
	                        "  \"all\": {\"rights\": \"granted\"}}]},"
	                        " \"outputs\": [{\"plugin\": \"widget-json\", \"path\": \"w.json\","
	                        "  \"sort\": \"rating\", \"limit\": 2}]}");
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);
	cr_assert_eq(published_count(dir, store, "csv:b"), 1);
	cr_assert_eq(published_count(dir, store, "csv:c"), 1);
	cr_assert_eq(published_count(dir, store, "csv:a"), 0, "the 3-star item is in no file");

	/* A better item arrives: c drops out of the top two and is reported. */
	kt_write(csv, "id,name,rating,date,text,ok\n"
	              "a,Ada,3,2026-03-03,Fine,yes\n"
	              "b,Bea,5,2026-03-01,Superb,yes\n"
	              "c,Cy,4,2026-03-02,Good,yes\n"
	              "d,Di,5,2026-03-04,Brilliant,yes\n");
	r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);
	cr_assert_eq(published_count(dir, store, "csv:c"), 0);
	char *report_path = kt_path(dir, "takedown-report.json"), *report = kt_read(report_path);
	cr_assert(report && strstr(report, "\"item\":\t\"csv:c\"") &&
	                  strstr(report, "left out by the output"), "%s", report);
	free(report);
	free(report_path);
	kt_rmtree(dir);
	free(dir);
	free(csv);
	free(store);
	free(job);
}
