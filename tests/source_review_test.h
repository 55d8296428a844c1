/*
 * What the review-style source suites (google-reviews, yelp, typeform)
 * share: running a job over a path with the real kudos binary, reading
 * back `kudos list --json` / `kudos show --json`, and dotted-path checks
 * on what was stored.  Define PLUGIN (the plugin's name) and FIX (its
 * fixture folder) before including it.
 */
#ifndef SOURCE_REVIEW_TEST_H
#define SOURCE_REVIEW_TEST_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* ---- helpers ----------------------------------------------------------- */

/* Collect with a job in a fresh folder that is kept (free with done()). */
static struct kt_run run_job(const char *path, const char *extra, char **dir_out)
{
	char *dir = kt_tmpdir(), *text = NULL;
	cr_assert(asprintf(&text,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": "
	                   "[{\"plugin\": \"" PLUGIN "\", \"path\": \"%s\"%s%s}]}",
	                   path, extra ? ", " : "", extra ? extra : "") > 0);
	char *job = kt_job(dir, text);
	struct kt_run r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	free(job);
	free(text);
	*dir_out = dir;
	return r;
}

static cJSON *list_in(const char *dir)
{
	char *store = kt_path(dir, "k.db");
	struct kt_run l = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cr_assert_eq(l.status, 0, "kudos list: %s", l.err);
	cJSON *a = cJSON_Parse(l.out);
	cr_assert(cJSON_IsArray(a), "list --json printed no array: %s", l.out);
	kt_run_free(&l);
	free(store);
	return a;
}

static cJSON *show_in(const char *dir, const char *id)
{
	char *store = kt_path(dir, "k.db");
	struct kt_run s = kt_kudos(dir, "show", id, "--json", "--store", store, NULL);
	cr_assert_eq(s.status, 0, "kudos show %s: %s", id, s.err);
	cJSON *o = cJSON_Parse(s.out);
	cr_assert(cJSON_IsObject(o), "show --json printed no object: %s", s.out);
	kt_run_free(&s);
	free(store);
	return o;
}

static void done(char *dir)
{
	kt_rmtree(dir);
	free(dir);
}

static const cJSON *by_ext(const cJSON *arr, const char *ext)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "external_id"));
		if (v && strcmp(v, ext) == 0)
			return e;
	}
	cr_assert_fail("no item with external id %s", ext);
	return NULL;
}

/* A member by dotted path ("author.name"), or NULL. */
static const cJSON *at(const cJSON *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && o;
	     k = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, k);
	return o;
}

static const char *str(const cJSON *o, const char *path)
{
	return cJSON_GetStringValue(at(o, path));
}

#define assert_str(o, path, want)                                                      \
	do {                                                                           \
		const char *got_ = str((o), (path));                                   \
		cr_assert(got_ && strcmp(got_, (want)) == 0, "%s: got \"%s\", want \"%s\"", \
		          (path), got_ ? got_ : "(null)", (want));                      \
	} while (0)

#endif
