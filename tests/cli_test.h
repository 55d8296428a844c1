/*
 * Shared by tests/test_cli*.c (included once per test binary): the
 * six-answer survey and its job, running the real kudos on them, reading
 * back widget.json and `kudos list --json`, and starting kudos without
 * waiting for it.  The helpers are static inline because not every suite
 * uses every one of them.
 */
#ifndef CLI_TEST_H
#define CLI_TEST_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

extern char **environ;

/* For assertion messages: everything a failing run said. */
#define RUN_FMT "\n  exit status %d\n  --- stdout ---\n%s\n  --- stderr ---\n%s"
#define RUN_ARGS(r) (r).status, (r).out ? (r).out : "(none)", (r).err ? (r).err : "(none)"

/* Six answers: four with consent (a1, a3, a4, a6), five rated (all but
 * a4), a1 and a3 created at the same second (id breaks the tie). */
static const char CSV6[] =
	"id,name,handle,rating,date,text,consent\n"
	"a1,Ann Lee,@ann,5,2026-01-05T10:00:00Z,Great grinder,yes\n"
	"a2,Bob Roy,,3,2026-01-03T09:00:00Z,\"Fine, I guess\",no\n"
	"a3,Cy Dee,@cy,4,2026-01-05T10:00:00Z,Love it,yes\n"
	"a4,Dee Fox,,,2026-01-07T08:00:00Z,No rating from me but it is good,x\n"
	"a5,Eve Gul,@eve,2,2026-01-02T00:00:00Z,Meh,\n"
	"a6,Fay Hu,@fay,5,2026-01-06T12:00:00Z,Superb support,YES\n";

/* The same plus a seventh consented answer: what a bad run must not
 * collect. */
static const char CSV7_EXTRA[] = "a7,Gil Ito,@gil,4,2026-01-08T08:00:00Z,New one,yes\n";

#define JOB_FMT                                                                     \
	"{\n"                                                                       \
	"  \"name\": \"t\",\n"                                                      \
	"  \"store\": \"kudos.db\",\n"                                              \
	"  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"%s\",\n"               \
	"                   \"consent_column\": \"consent\" } ],\n"                 \
	"  %s\n"                                                                    \
	"  \"outputs\": [ { \"plugin\": \"widget-json\", \"path\": \"out/widget.json\" } ]\n" \
	"}\n"

#define AUTO_APPROVE \
	"\"curation\": { \"auto_approve\": [ { \"name\": \"consented\", \"all\": { \"rights\": \"granted\" } } ] },"

/* A folder with data/survey.csv (`csv`) and job.json (auto-approving
 * consented answers when `auto`). */
static inline char *setup(const char *csv, int auto_approve)
{
	char *dir = kt_tmpdir();
	char *p = kt_path(dir, "data/survey.csv");
	kt_write(p, csv);
	free(p);
	char *job = NULL;
	cr_assert(asprintf(&job, JOB_FMT, "data/survey.csv", auto_approve ? AUTO_APPROVE : "") > 0);
	free(kt_job(dir, job));
	free(job);
	return dir;
}

static inline struct kt_run run_job(const char *dir, const char *cmd, const char *job)
{
	return kt_kudos(dir, cmd, job, "--plugin-path", KT_PLUGINS, NULL);
}

/* `kudos run job.json` that must succeed. */
static inline void run_ok(const char *dir)
{
	struct kt_run r = run_job(dir, "run", "job.json");
	cr_assert_eq(r.status, 0, "kudos run failed:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
}

static inline char *widget_text(const char *dir)
{
	char *p = kt_path(dir, "out/widget.json");
	char *t = kt_read(p);
	free(p);
	return t;
}

/* `kudos list --json [extra...]` stdout, asserting success. */
static inline char *list_text_v(const char *dir, const char *const *extra)
{
	const char *args[16] = {"list", "--json"};
	size_t n = 2;
	for (size_t i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	struct kt_run r = kt_kudos_argv(dir, args);
	cr_assert_eq(r.status, 0, "kudos list --json failed:" RUN_FMT, RUN_ARGS(r));
	char *out = r.out;
	r.out = NULL;
	kt_run_free(&r);
	return out;
}

static inline cJSON *list_json_v(const char *dir, const char *const *extra)
{
	char *t = list_text_v(dir, extra);
	cJSON *a = cJSON_Parse(t);
	cr_assert(cJSON_IsArray(a), "list --json did not print an array:\n%s", t);
	free(t);
	return a;
}

#define LIST(dir, ...) list_json_v((dir), (const char *const[]){__VA_ARGS__, NULL})

static inline cJSON *find_id(const cJSON *arr, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return (cJSON *)e;
	}
	return NULL;
}

static inline const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The ids of an array, sorted, space-joined: for set comparisons. */
static inline int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline char *id_set(const cJSON *arr)
{
	static char buf[8][1024];
	static int slot;
	char *b = buf[slot++ % 8];
	const char *ids[256];
	size_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (n < 256)
			ids[n++] = str_of(e, "id") ? str_of(e, "id") : "(no id)";
	}
	qsort(ids, n, sizeof ids[0], cmp_str);
	b[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strncat(b, " ", 1023 - strlen(b));
		strncat(b, ids[i], 1023 - strlen(b));
	}
	return b;
}

static inline void append(const char *dir, const char *name, const char *text)
{
	char *p = kt_path(dir, name);
	char *old = kt_read(p);
	cr_assert(old, "%s missing", p);
	char *both = NULL;
	cr_assert(asprintf(&both, "%s%s", old, text) > 0);
	kt_write(p, both);
	free(both);
	free(old);
	free(p);
}

static inline pid_t spawn_kudos(const char *cwd, const char *out, const char *err,
                                const char *const *args)
{
	const char *argv[16] = {KT_KUDOS};
	size_t n = 1;
	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addchdir_np(&fa, cwd);
	pid_t pid;
	int rc = posix_spawn(&pid, KT_KUDOS, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(rc, 0, "cannot start kudos: %s", strerror(rc));
	return pid;
}

#endif
