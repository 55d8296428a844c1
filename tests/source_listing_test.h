/*
 * What the listing-style source suites (reddit, x, youtube) share:
 * dotted-path reads of `kudos list --json` objects, collecting into a
 * store with the real kudos binary, and counting what it stored.  Define
 * PLUGIN (the plugin's name) and FIX (its fixture folder) before
 * including it.
 */
#ifndef SOURCE_LISTING_TEST_H
#define SOURCE_LISTING_TEST_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define RUN_FMT "\n  exit status %d\n  --- stdout ---\n%s\n  --- stderr ---\n%s"
#define RUN_ARGS(r) (r).status, (r).out ? (r).out : "(none)", (r).err ? (r).err : "(none)"

/* A string at a dotted path ("author.name"), or NULL. */
static const char *jget(const cJSON *o, const char *path)
{
	char key[64];
	while (o && *path) {
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof key, "%.*s", (int)n, path);
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		path += n + (path[n] == '.');
	}
	return cJSON_GetStringValue(o);
}

static const cJSON *by_ext(const cJSON *arr, const char *ext)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *v = jget(e, "external_id");
		if (v && strcmp(v, ext) == 0)
			return e;
	}
	return NULL;
}

static const cJSON *must(const cJSON *arr, const char *ext)
{
	const cJSON *e = by_ext(arr, ext);
	cr_assert(e, "item %s was not collected", ext);
	return e;
}

#define assert_str(o, path, want)                                                  \
	do {                                                                       \
		const char *got_ = jget((o), (path));                              \
		cr_assert(got_ && strcmp(got_, (want)) == 0, "%s: got \"%s\", want \"%s\"", \
		          (path), got_ ? got_ : "(null)", (want));                 \
	} while (0)
#define assert_null(o, path)                                                       \
	cr_assert(!jget((o), (path)), "%s: want null, got \"%s\"", (path), jget((o), (path)))

/* Collect `path` with `extra` keys into `dir`/k.db; the run (transfer full). */
static struct kt_run collect_in(const char *dir, const char *path, const char *extra,
                                const char *flag)
{
	char *text = NULL;
	cr_assert(asprintf(&text,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": [{\"plugin\": "
	                   "\"%s\", \"path\": \"%s\"%s%s}]}",
	                   PLUGIN, path, extra ? ", " : "", extra ? extra : "") > 0);
	char *job = kt_job(dir, text);
	struct kt_run r = flag ? kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, flag, NULL)
	                       : kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	free(job);
	free(text);
	return r;
}

static cJSON *show(const char *dir, const char *id)
{
	char *store = kt_path(dir, "k.db");
	struct kt_run r = kt_kudos(dir, "show", id, "--json", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "show %s:" RUN_FMT, id, RUN_ARGS(r));
	cJSON *o = cJSON_Parse(r.out);
	cr_assert(cJSON_IsObject(o), "show --json printed no object: %s", r.out);
	kt_run_free(&r);
	free(store);
	return o;
}

static int list_count(const char *dir)
{
	char *store = kt_path(dir, "k.db");
	struct kt_run r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cJSON *a = cJSON_Parse(r.out);
	int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
	cJSON_Delete(a);
	kt_run_free(&r);
	free(store);
	return n;
}

#endif
