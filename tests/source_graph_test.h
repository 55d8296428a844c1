/*
 * What the Graph-style source suites (facebook, instagram, trustpilot)
 * share: collecting a path or an inline payload into a fresh store with
 * the real kudos binary, and reading back what `kudos list --json` /
 * `kudos show --json` stored.  Define PLUGIN (the plugin's name) and FIX
 * (its fixture folder) before including it.
 */
#ifndef SOURCE_GRAPH_TEST_H
#define SOURCE_GRAPH_TEST_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* ---- running kudos ------------------------------------------------------- */

struct got {
	char *dir;   /* the job's folder, holding the store k.db */
	cJSON *list; /* kudos list --json (NULL when the collect failed) */
	struct kt_run run;
};

/* Collect `path` into a fresh store; expect exit status `want`. */
static struct got collect(const char *path, int want)
{
	struct got g = {0};
	char *text = NULL;
	g.dir = kt_tmpdir();
	cr_assert(asprintf(&text,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": "
	                   "[{\"plugin\": \"" PLUGIN "\", \"path\": \"%s\"}]}",
	                   path) > 0);
	char *job = kt_job(g.dir, text);
	g.run = kt_kudos(g.dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(g.run.status, want, "collect %s: exit %d, wanted %d\n%s%s", path,
	             g.run.status, want, g.run.out, g.run.err);
	if (want == 0) {
		struct kt_run l = kt_kudos(g.dir, "list", "--json", "--store", "k.db", NULL);
		cr_assert_eq(l.status, 0, "list: %s", l.err);
		g.list = cJSON_Parse(l.out);
		cr_assert(cJSON_IsArray(g.list), "list --json: %s", l.out);
		kt_run_free(&l);
	}
	free(job);
	free(text);
	return g;
}

/* A file written by the test itself. */
static struct got collect_bytes(const char *name, const char *data, size_t len, int want)
{
	char *dir = kt_tmpdir(), *p = kt_path(dir, name);
	kt_write_bytes(p, data, len);
	struct got g = collect(p, want);
	kt_rmtree(dir);
	free(p);
	free(dir);
	return g;
}

static struct got collect_text(const char *name, const char *json, int want)
{
	return collect_bytes(name, json, strlen(json), want);
}

static void done(struct got *g)
{
	kt_rmtree(g->dir);
	free(g->dir);
	cJSON_Delete(g->list);
	kt_run_free(&g->run);
}

/* kudos show SOURCE:ID --json, asserting it exists (transfer full). */
static cJSON *show(const struct got *g, const char *ext)
{
	char id[256];
	snprintf(id, sizeof id, PLUGIN ":%s", ext);
	struct kt_run r = kt_kudos(g->dir, "show", id, "--json", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "show %s: %s", id, r.err);
	cJSON *o = cJSON_Parse(r.out);
	cr_assert(cJSON_IsObject(o), "show --json: %s", r.out);
	kt_run_free(&r);
	return o;
}

static int count(const struct got *g)
{
	return cJSON_GetArraySize(g->list);
}

static const cJSON *item(const struct got *g, const char *ext)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, g->list)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "external_id"));
		if (v && strcmp(v, ext) == 0)
			return e;
	}
	char *all = cJSON_Print(g->list);
	cr_assert_fail("no item %s among:\n%s", ext, all);
	return NULL;
}

static int has_item(const struct got *g, const char *ext)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, g->list)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "external_id"));
		if (v && strcmp(v, ext) == 0)
			return 1;
	}
	return 0;
}

/* A string at a dotted path ("author.handle", "media.1.url"), or NULL. */
static const char *str(const cJSON *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	const cJSON *v = o;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v;
	     k = strtok_r(NULL, ".", &save))
		v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, atoi(k))
		                     : cJSON_GetObjectItemCaseSensitive(v, k);
	return cJSON_GetStringValue(v);
}

#define EXPECT_STR(o, path, want)                                                      \
	do {                                                                           \
		const char *got_ = str((o), (path));                                   \
		const char *want_ = (want);                                            \
		if (want_)                                                             \
			cr_expect(got_ && strcmp(got_, want_) == 0,                    \
			          "%s: got \"%s\", want \"%s\"", (path),               \
			          got_ ? got_ : "(null)", want_);                      \
		else                                                                   \
			cr_expect_null(got_, "%s: got \"%s\", want null", (path), got_); \
	} while (0)

#endif
