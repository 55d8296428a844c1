#include "job.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "gate.h"
#include "zone.h"

/* Refuse keys of `obj` not in `valid` (NULL-terminated), naming them all. */
static int check_keys(const struct kudos_job *job, const cJSON *obj, const char *where,
                      const char *const *valid, struct kudos_error *err)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, obj)
	{
		size_t i = 0;
		while (valid[i] && strcmp(valid[i], v->string) != 0)
			i++;
		if (valid[i])
			continue;
		char list[512] = "";
		for (i = 0; valid[i]; i++) {
			if (i)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, valid[i], sizeof list - strlen(list) - 1);
		}
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s: %s: unknown key '%s'; valid keys: %s",
		                  job->path, where, v->string, list);
	}
	return 0;
}

/* Refuse a value that is not what `what` describes. */
static int want(const struct kudos_job *job, const char *where, int ok,
                const char *what, struct kudos_error *err)
{
	if (ok)
		return 0;
	return kudos_fail(err, KUDOS_EXIT_INPUT, "%s: %s must be %s", job->path, where,
	                  what);
}

static int syntax_error(const char *path, const char *text, struct kudos_error *err)
{
	const char *at = cJSON_GetErrorPtr();
	int line = 1, col = 1;
	/* cJSON points one byte past a bad object key (parse_string fails
	 * with its pointer after the byte that should have been '"'). */
	if (at && at > text) {
		const char *k = at - 1;
		const char *b = k;
		while (b > text && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
			b--;
		if (*k != '"' && b > text && (b[-1] == ',' || b[-1] == '{'))
			at = k;
	}
	for (const char *p = text; at && p < at && *p; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "%s: line %d, column %d: not valid JSON; fix the syntax there "
	                  "(a missing comma or quote, or a trailing comma before it)",
	                  path, line, col);
}

static int load_plugins(struct kudos_job *job, const char *key,
                        struct kudos_job_plugin **out, size_t *n,
                        struct kudos_error *err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(job->root, key);
	char where[64];
	if (!arr)
		return 0;
	if (want(job, key, cJSON_IsArray(arr), "a list of plugin entries", err))
		return -1;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (!count)
		return 0;
	if (!(*out = calloc(count, sizeof **out)))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		struct kudos_job_plugin *p = &(*out)[*n];
		snprintf(where, sizeof where, "%s[%zu]", key, *n);
		if (want(job, where, cJSON_IsObject(e), "an object with a \"plugin\" key", err))
			return -1;
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "plugin");
		if (!cJSON_IsString(name))
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s: %s needs \"plugin\": the name of a plugin "
			                  "(`kudos plugins` lists them)", job->path, where);
		p->plugin = name->valuestring;
		p->entry = e;
		snprintf(p->where, sizeof p->where, "%s (%s)", where, p->plugin);
		(*n)++;
	}
	return 0;
}

/* A filter's findings are kept under its plugin's name, so a job lists
 * each filter once. */
static int check_filters_unique(const struct kudos_job *job, struct kudos_error *err)
{
	for (size_t i = 0; i < job->n_filters; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(job->filters[i].plugin, job->filters[j].plugin) == 0)
				return kudos_fail(err, KUDOS_EXIT_INPUT,
				                  "%s: filters[%zu] names plugin '%s' again (as "
				                  "filters[%zu]); list each filter once",
				                  job->path, i, job->filters[i].plugin, j);
	return 0;
}

static int load_rules(struct kudos_job *job, const cJSON *cur, const char *key,
                      struct kudos_rule **out, size_t *n, struct kudos_error *err)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(cur, key), *r;
	char where[96];
	snprintf(where, sizeof where, "curation.%s", key);
	if (!rules)
		return 0;
	if (want(job, where, cJSON_IsArray(rules), "a list of rules", err))
		return -1;
	size_t count = (size_t)cJSON_GetArraySize(rules);
	if (count && !(*out = calloc(count, sizeof **out)))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	cJSON_ArrayForEach(r, rules)
	{
		char rwhere[PATH_MAX + 64];
		snprintf(rwhere, sizeof rwhere, "%s: curation.%s[%zu]", job->path, key, *n);
		if (kudos_rule_parse(r, rwhere, &(*out)[*n], err))
			return -1;
		(*n)++;
	}
	return 0;
}

static int load_curation(struct kudos_job *job, struct kudos_error *err)
{
	static const char *const keys[] = {"auto_approve", "auto_reject", "blocklist",
	                                   "blocklist_files", "employees", "incentivized", NULL};
	static const char *const lists[] = {"blocklist", "blocklist_files", "employees",
	                                    "incentivized"};
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(job->root, "curation");
	if (!cur)
		return 0;
	if (want(job, "curation", cJSON_IsObject(cur), "an object", err) ||
	    check_keys(job, cur, "curation", keys, err))
		return -1;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(cur, lists[i]), *e;
		char where[64];
		int ok = !v || cJSON_IsArray(v);
		cJSON_ArrayForEach(e, v) ok = ok && cJSON_IsString(e) && *e->valuestring;
		snprintf(where, sizeof where, "curation.%s", lists[i]);
		if (want(job, where, ok, "a list of non-empty strings", err))
			return -1;
	}
	return load_rules(job, cur, "auto_reject", &job->auto_reject, &job->n_auto_reject, err) ||
	       load_rules(job, cur, "auto_approve", &job->auto_approve, &job->n_auto_approve,
	                  err)
	               ? -1
	               : 0;
}

static int load_brand(struct kudos_job *job, struct kudos_error *err)
{
	static const char *const keys[] = {"name", "handles", "rights_hashtag", "terms_url",
	                                   "terms_version", NULL};
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(job->root, "brand");
	if (!b)
		return 0;
	if (want(job, "brand", cJSON_IsObject(b), "an object", err) ||
	    check_keys(job, b, "brand", keys, err))
		return -1;
	const cJSON *v;
	cJSON_ArrayForEach(v, b)
	{
		char where[64];
		snprintf(where, sizeof where, "brand.%s", v->string);
		if (strcmp(v->string, "handles") == 0) {
			const cJSON *h;
			int ok = cJSON_IsObject(v);
			cJSON_ArrayForEach(h, v) ok = ok && cJSON_IsString(h);
			if (want(job, where, ok, "an object of platform: handle strings", err))
				return -1;
		} else if (want(job, where, cJSON_IsString(v), "a string", err)) {
			return -1;
		}
	}
	job->brand = b;
	job->terms.url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "terms_url"));
	job->terms.version =
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "terms_version"));
	return 0;
}

/* "rights": {"stale_after_days", "reply_scopes", "templates", "timezone"} */
static int load_rights(struct kudos_job *job, struct kudos_error *err)
{
	static const char *const keys[] = {"stale_after_days", "reply_scopes", "templates",
	                                   "timezone", NULL};
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(job->root, "rights"), *v;
	job->rights.stale_after_days = 14;
	job->rights.terms = job->terms;
	job->rights.hashtag = job->brand ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	                                           job->brand, "rights_hashtag"))
	                                 : NULL;
	const char *scopes = "web";
	char *joined = NULL;
	if (r) {
		if (want(job, "rights", cJSON_IsObject(r), "an object", err) ||
		    check_keys(job, r, "rights", keys, err))
			return -1;
		v = cJSON_GetObjectItemCaseSensitive(r, "stale_after_days");
		if (v) {
			if (want(job, "rights.stale_after_days",
			         cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= 3650 &&
			                 v->valuedouble == (double)(int)v->valuedouble,
			         "a whole number of days from 1 to 3650", err))
				return -1;
			job->rights.stale_after_days = (int64_t)v->valuedouble;
		}
		v = cJSON_GetObjectItemCaseSensitive(r, "reply_scopes");
		if (v) {
			size_t len = 1;
			const cJSON *e;
			int ok = cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
			cJSON_ArrayForEach(e, v)
			{
				ok = ok && cJSON_IsString(e);
				len += ok ? strlen(e->valuestring) + 1 : 0;
			}
			if (ok && (joined = calloc(1, len))) {
				cJSON_ArrayForEach(e, v)
				{
					if (*joined)
						strcat(joined, ",");
					strcat(joined, e->valuestring);
				}
				scopes = joined;
			}
			if (want(job, "rights.reply_scopes", ok,
			         "a list of scopes (web, print, social, ads)", err)) {
				free(joined);
				return -1;
			}
		}
		v = cJSON_GetObjectItemCaseSensitive(r, "templates");
		if (v) {
			const cJSON *t, *e;
			int ok = cJSON_IsObject(v);
			cJSON_ArrayForEach(t, v)
			{
				ok = ok && ((cJSON_IsArray(t) && cJSON_GetArraySize(t) > 0) ||
				            cJSON_IsString(t));
				cJSON_ArrayForEach(e, t) ok = ok && cJSON_IsString(e);
			}
			if (want(job, "rights.templates", ok,
			         "an object of template names, each a list of message variants", err))
				return -1;
			job->templates = v;
		}
		v = cJSON_GetObjectItemCaseSensitive(r, "timezone");
		if (v) {
			if (want(job, "rights.timezone", cJSON_IsString(v) && kudos_zone_valid(v->valuestring),
			         "a time zone of the tz database, e.g. \"Europe/Berlin\"", err))
				return -1;
			job->timezone = v->valuestring;
		}
	}
	job->reply_scopes = kudos_scopes_canonical(scopes);
	free(joined);
	if (!job->reply_scopes)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: rights.reply_scopes names a scope kudos does not know; use "
		                  "web, print, social or ads", job->path);
	job->rights.reply_scopes = job->reply_scopes;
	return 0;
}

int kudos_job_load(const char *path, struct kudos_job *job, struct kudos_error *err)
{
	static const char *const keys[] = {"name", "store", "brand", "sources", "filters",
	                                   "curation", "rights", "outputs", NULL};
	char *text = NULL, cwd[PATH_MAX];
	size_t len;
	memset(job, 0, sizeof *job);
	if (kudos_read_file(path, "job file", &text, &len, err))
		return -1;
	if (!(job->path = strdup(path))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto fail;
	}
	if (!(job->root = cJSON_ParseWithLength(text, len))) {
		syntax_error(path, text, err);
		goto fail;
	}
	if (!cJSON_IsObject(job->root)) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "%s: a job file is a JSON object", path);
		goto fail;
	}
	if (check_keys(job, job->root, "top level", keys, err))
		goto fail;
	char *rel_dir = kudos_path_dirname(path);
	job->dir = rel_dir && getcwd(cwd, sizeof cwd) ? kudos_path_resolve(cwd, rel_dir) : NULL;
	free(rel_dir);
	if (!job->dir) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "%s: cannot resolve the job's folder", path);
		goto fail;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(job->root, "name");
	if (v && want(job, "name", cJSON_IsString(v), "a string", err))
		goto fail;
	job->name = v ? v->valuestring : "job";
	v = cJSON_GetObjectItemCaseSensitive(job->root, "store");
	if (v) {
		if (want(job, "store", cJSON_IsString(v) && *v->valuestring,
		         "a path to the store file", err))
			goto fail;
		if (!(job->store = kudos_path_resolve(job->dir, v->valuestring))) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto fail;
		}
	}
	if (load_brand(job, err) || load_rights(job, err) || load_curation(job, err) ||
	    load_plugins(job, "sources", &job->sources, &job->n_sources, err) ||
	    load_plugins(job, "filters", &job->filters, &job->n_filters, err) ||
	    check_filters_unique(job, err) ||
	    load_plugins(job, "outputs", &job->outputs, &job->n_outputs, err))
		goto fail;
	free(text);
	return 0;
fail:
	free(text);
	kudos_job_free(job);
	return -1;
}

void kudos_job_free(struct kudos_job *job)
{
	cJSON_Delete(job->root);
	free(job->path);
	free(job->dir);
	free(job->store);
	free(job->sources);
	free(job->filters);
	free(job->outputs);
	for (size_t i = 0; i < job->n_auto_approve; i++)
		kudos_rule_free(&job->auto_approve[i]);
	for (size_t i = 0; i < job->n_auto_reject; i++)
		kudos_rule_free(&job->auto_reject[i]);
	free(job->auto_approve);
	free(job->auto_reject);
	free(job->reply_scopes);
	memset(job, 0, sizeof *job);
}

const char **kudos_job_source_names(const struct kudos_job *job)
{
	if (job->n_sources == 0)
		return NULL;
	const char **names = calloc(job->n_sources + 1, sizeof *names);
	size_t n = 0;
	for (size_t i = 0; names && i < job->n_sources; i++) {
		size_t j = 0;
		while (j < n && strcmp(names[j], job->sources[i].plugin) != 0)
			j++;
		if (j == n)
			names[n++] = job->sources[i].plugin;
	}
	return names;
}
