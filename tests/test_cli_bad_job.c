/*
 * Bad job input through the real kudos: a job file with a syntax error,
 * an unknown key or plugin, a value of the wrong type, or data that
 * cannot be read stops `kudos run` with exit 2 and a message naming the
 * problem, and the store and widget.json stay as they were.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

#include "cli_test.h"

/* A good run, then (with a new row in the CSV that any collect would pick
 * up) `kudos run bad.json`: exit 2, stderr has every `want` string, and
 * the store and widget.json are as the good run left them.  bad.json is
 * not written when `bad` is NULL (the missing job file). */
static void bad_job(const char *bad, const char *const *want)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *w1 = widget_text(dir);
	char *l1 = list_text_v(dir, NULL);
	cr_assert(w1);
	append(dir, "data/survey.csv", CSV7_EXTRA);
	if (bad) {
		char *p = kt_path(dir, "bad.json");
		kt_write(p, bad);
		free(p);
	}
	struct kt_run r = run_job(dir, "run", "bad.json");
	cr_assert_eq(r.status, 2, "bad job: exit status not 2:" RUN_FMT "\n--- bad.json ---\n%s",
	             RUN_ARGS(r), bad ? bad : "(none)");
	for (size_t i = 0; want[i]; i++)
		cr_assert(strstr(r.err, want[i]), "stderr lacks \"%s\":" RUN_FMT, want[i], RUN_ARGS(r));
	char *w2 = widget_text(dir);
	char *l2 = list_text_v(dir, NULL);
	cr_assert(w2, "widget.json disappeared:" RUN_FMT, RUN_ARGS(r));
	cr_assert_str_eq(w2, w1, "widget.json changed by a bad job:" RUN_FMT, RUN_ARGS(r));
	cr_assert_str_eq(l2, l1, "the store changed by a bad job:" RUN_FMT, RUN_ARGS(r));
	free(w1);
	free(w2);
	free(l1);
	free(l2);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

#define WANT(...) ((const char *const[]){__VA_ARGS__, NULL})

#define GOOD_SOURCE "{ \"plugin\": \"csv\", \"path\": \"data/survey.csv\", \"consent_column\": \"consent\" }"
#define GOOD_OUTPUT "{ \"plugin\": \"widget-json\", \"path\": \"out/widget.json\" }"
#define RULES "\"curation\": { \"auto_approve\": [ { \"name\": \"c\", \"all\": { \"rights\": \"granted\" } } ] }"

Test(bad_job, json_syntax_error_has_line_and_column)
{
	/* The error is the missing comma before "path" on line 5, column 40. */
	bad_job("{\n"
	        "  \"store\": \"kudos.db\",\n"
	        "  \"sources\": [" GOOD_SOURCE "],\n"
	        "  " RULES ",\n"
	        "  \"outputs\": [{\"plugin\": \"widget-json\" \"path\": \"out/widget.json\"}]\n"
	        "}\n",
	        WANT("bad.json", "line 5, column 40"));
}

Test(bad_job, json_syntax_error_first_line)
{
	/* A trailing comma: the error is at the '}' on line 1, column 22. */
	bad_job("{\"store\": \"kudos.db\",}\n", WANT("bad.json", "line 1, column 22"));
}

Test(bad_job, unknown_top_level_key)
{
	bad_job("{ \"store\": \"kudos.db\", \"sorces\": [],\n"
	        "  \"sources\": [" GOOD_SOURCE "], " RULES ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("bad.json", "sorces"));
}

Test(bad_job, unknown_source_key_lists_valid_keys)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"data/survey.csv\", "
	        "\"consent\": \"consent\" } ], " RULES ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("bad.json", "'consent'", "consent_column", "consent_scopes", "columns"));
}

Test(bad_job, missing_required_path)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [ { \"plugin\": \"csv\", \"consent_column\": \"consent\" } ], " RULES
	        ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("bad.json", "path"));
}

Test(bad_job, wrong_type_of_output_key)
{
	/* The output is the last thing a run reaches: a bad value there must
	 * still stop the run before it collects anything. */
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [" GOOD_SOURCE "], " RULES ",\n"
	        "  \"outputs\": [ { \"plugin\": \"widget-json\", \"path\": \"out/widget.json\", "
	        "\"limit\": \"ten\" } ] }\n",
	        WANT("bad.json", "limit"));
}

Test(bad_job, wrong_type_of_source_key)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"data/survey.csv\", "
	        "\"consent_column\": 7 } ], " RULES ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("bad.json", "consent_column"));
}

Test(bad_job, unknown_source_plugin)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [ { \"plugin\": \"cvs\", \"path\": \"data/survey.csv\" } ], " RULES
	        ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("bad.json", "cvs"));
}

Test(bad_job, unknown_output_plugin)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [" GOOD_SOURCE "], " RULES ",\n"
	        "  \"outputs\": [ { \"plugin\": \"widget-jsn\", \"path\": \"out/widget.json\" } ] }\n",
	        WANT("bad.json", "widget-jsn"));
}

Test(bad_job, missing_job_file)
{
	bad_job(NULL, WANT("bad.json"));
}

Test(bad_job, csv_file_missing)
{
	bad_job("{ \"store\": \"kudos.db\",\n"
	        "  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"data/nope.csv\" } ], " RULES ",\n"
	        "  \"outputs\": [" GOOD_OUTPUT "] }\n",
	        WANT("nope.csv"));
}

Test(bad_job, csv_not_utf8)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *w1 = widget_text(dir);
	char *l1 = list_text_v(dir, NULL);
	/* Two good rows, then a Latin-1 "é" (0xE9) on data line 3 (file
	 * line 4): nothing of this file may be stored. */
	static const char bad[] = "id,name,handle,rating,date,text,consent\n"
	                          "b1,Hal,@hal,5,2026-02-01,Good,yes\n"
	                          "b2,Ida,@ida,4,2026-02-02,Fine,yes\n"
	                          "b3,Jo,@jo,5,2026-02-03,Caf\xe9 quality,yes\n"
	                          "b4,Kim,@kim,5,2026-02-04,Also good,yes\n";
	char *p = kt_path(dir, "data/latin1.csv");
	kt_write(p, bad);
	free(p);
	p = kt_path(dir, "bad.json");
	kt_write(p, "{ \"store\": \"kudos.db\",\n"
	            "  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"data/latin1.csv\", "
	            "\"consent_column\": \"consent\" } ], " RULES ",\n"
	            "  \"outputs\": [" GOOD_OUTPUT "] }\n");
	free(p);
	struct kt_run r = run_job(dir, "run", "bad.json");
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "latin1.csv"), "the CSV is not named:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "line 4"), "the line is not named:" RUN_FMT, RUN_ARGS(r));
	char *w2 = widget_text(dir);
	char *l2 = list_text_v(dir, NULL);
	cr_assert(w2);
	cr_assert_str_eq(w2, w1, "widget.json changed:" RUN_FMT, RUN_ARGS(r));
	cr_assert_str_eq(l2, l1, "store changed:" RUN_FMT, RUN_ARGS(r));
	cJSON *arr = cJSON_Parse(l2);
	cr_assert_str_eq(id_set(arr), "csv:a1 csv:a2 csv:a3 csv:a4 csv:a5 csv:a6");
	cJSON_Delete(arr);
	free(w1);
	free(w2);
	free(l1);
	free(l2);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}
