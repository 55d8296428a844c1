/*
 * Several kudos processes on one store at once: each waits for the other
 * instead of failing, and a store two of them create together gets its
 * schema once, whoever comes first.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_test.h"

static char *many_rows(const char *prefix, int n)
{
	size_t cap = (size_t)n * 96 + 64, len = 0;
	char *s = malloc(cap);
	len += (size_t)snprintf(s, cap, "id,name,rating,date,text,consent\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		                        "%s%d,Person %d,%d,2026-01-%02dT10:00:00Z,Answer %s%d is nice,%s\n",
		                        prefix, i, i, 1 + i % 5, 1 + i % 28, prefix, i,
		                        i % 2 ? "yes" : "no");
	return s;
}

static void concurrent_collect(int precreate)
{
	enum { ROWS = 300 };
	char *dir = kt_tmpdir();
	char *b = many_rows("b", ROWS), *c = many_rows("c", ROWS);
	char *p = kt_path(dir, "b.csv");
	kt_write(p, b);
	free(p);
	p = kt_path(dir, "c.csv");
	kt_write(p, c);
	free(p);
	free(b);
	free(c);
	const char *jobs[] = {"jb.json", "jc.json"};
	const char *csvs[] = {"b.csv", "c.csv"};
	for (int j = 0; j < 2; j++) {
		char *text = NULL;
		cr_assert(asprintf(&text,
		                   "{ \"name\": \"%s\", \"store\": \"shared.db\", \"sources\": [ { "
		                   "\"plugin\": \"csv\", \"path\": \"%s\", \"consent_column\": "
		                   "\"consent\" } ] }\n",
		                   jobs[j], csvs[j]) > 0);
		p = kt_path(dir, jobs[j]);
		kt_write(p, text);
		free(p);
		free(text);
	}
	if (precreate) {
		p = kt_path(dir, "a.csv");
		kt_write(p, "id,text\na0,first\n");
		free(p);
		p = kt_path(dir, "ja.json");
		kt_write(p, "{ \"store\": \"shared.db\", \"sources\": [ { \"plugin\": \"csv\", "
		            "\"path\": \"a.csv\" } ] }\n");
		free(p);
		struct kt_run r = run_job(dir, "collect", "ja.json");
		cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
		kt_run_free(&r);
	}
	pid_t pid[2];
	char *outs[2], *errs[2];
	for (int j = 0; j < 2; j++) {
		char name[32];
		snprintf(name, sizeof name, "out%d.txt", j);
		outs[j] = kt_path(dir, name);
		snprintf(name, sizeof name, "err%d.txt", j);
		errs[j] = kt_path(dir, name);
	}
	for (int j = 0; j < 2; j++)
		pid[j] = spawn_kudos(dir, outs[j], errs[j],
		                     (const char *const[]){"collect", jobs[j], "--plugin-path",
		                                           KT_PLUGINS, NULL});
	for (int j = 0; j < 2; j++) {
		int ws;
		cr_assert_eq(waitpid(pid[j], &ws, 0), pid[j]);
		struct kt_run r = {WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws),
		                   kt_read(outs[j]), kt_read(errs[j])};
		cr_assert_eq(r.status, 0, "concurrent collect %s:" RUN_FMT, jobs[j], RUN_ARGS(r));
		cr_assert(strstr(r.out, "300 new"), "concurrent collect %s:" RUN_FMT, jobs[j],
		          RUN_ARGS(r));
		kt_run_free(&r);
	}
	cJSON *arr = LIST(dir, "--store", "shared.db");
	int want = 2 * ROWS + (precreate ? 1 : 0);
	cr_assert_eq(cJSON_GetArraySize(arr), want, "the store holds %d items, not %d",
	             cJSON_GetArraySize(arr), want);
	cJSON *b0 = find_id(arr, "csv:b0"), *c299 = find_id(arr, "csv:c299");
	cr_assert(b0 && c299, "items of one of the two jobs are missing");
	cJSON *gr = LIST(dir, "--store", "shared.db", "--rights", "granted");
	cr_assert_eq(cJSON_GetArraySize(gr), ROWS, "consented rows of both jobs");
	cJSON_Delete(gr);
	cJSON_Delete(arr);
	for (int j = 0; j < 2; j++) {
		free(outs[j]);
		free(errs[j]);
	}
	kt_rmtree(dir);
	free(dir);
}

Test(cli, concurrent_collect_into_existing_store, .timeout = 120)
{
	concurrent_collect(1);
}

/* Two processes creating the store at once: the schema must be set up
 * once, whoever comes first.  A race, so several rounds. */
Test(cli, concurrent_collect_into_new_store, .timeout = 240)
{
	for (int round = 0; round < 6; round++)
		concurrent_collect(0);
}
