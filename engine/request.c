#include "request.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "rights.h"
#include "text.h"

static const char *const builtin_templates[] = {
	"Hi {handle}! We loved what you said about {brand}. May we share your words on "
	"our website and channels? Reply {hashtag} to say yes. Terms: {terms_url}",
	"{handle}, thank you for the kind words! With your OK we would like to feature "
	"them. Just reply {hashtag} (terms: {terms_url}).",
	"Thanks so much, {handle}! Could {brand} quote you? If that is fine with you, reply "
	"with {hashtag}. The details: {terms_url}",
};
#define N_BUILTIN (sizeof builtin_templates / sizeof builtin_templates[0])

/* Variants beyond this many are never picked: the pick is a hash modulo
 * the count, and capping it keeps every item's message what it was. */
#define MAX_VARIANTS 64

/* Replace {name} placeholders from a small table; unknown ones stay. */
static char *fill(const char *tmpl, const char *const vars[][2], size_t n)
{
	size_t cap = strlen(tmpl) * 2 + 256, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (const char *p = tmpl; *p;) {
		const char *val = NULL;
		size_t skip = 0;
		for (size_t i = 0; *p == '{' && i < n; i++) {
			size_t k = strlen(vars[i][0]);
			if (!strncmp(p + 1, vars[i][0], k) && p[1 + k] == '}') {
				val = vars[i][1];
				skip = k + 2;
			}
		}
		const char *piece = val ? val : p;
		size_t plen = val ? strlen(val) : 1;
		if (len + plen + 1 > cap) {
			cap = (len + plen + 1) * 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + len, piece, plen);
		len += plen;
		p += val ? skip : 1;
	}
	out[len] = '\0';
	return out;
}

/* The job's template `name` (a string or a list of strings), or NULL. */
static const cJSON *job_template(const struct kudos_job *job, const char *name)
{
	return job->templates ? cJSON_GetObjectItemCaseSensitive(job->templates, name) : NULL;
}

int kudos_request_template_check(const struct kudos_job *job, const char *name,
                                 struct kudos_error *err)
{
	const cJSON *e;
	if (job_template(job, name) || strcmp(name, "default") == 0)
		return 0;
	char names[256] = "";
	cJSON_ArrayForEach(e, job->templates)
	{
		strncat(names, ", ", sizeof names - strlen(names) - 1);
		strncat(names, e->string, sizeof names - strlen(names) - 1);
	}
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "no request template '%s'; there are: default (kudos's own)%s", name,
	                  names);
}

/* A variant per item, stable across runs and spread across items. */
static size_t pick(const char *id, size_t n)
{
	char hex[65];
	kudos_sha256_hex(id, strlen(id), hex);
	return (size_t)strtoul((char[9]){hex[0], hex[1], hex[2], hex[3], hex[4], hex[5], hex[6],
	                                 hex[7], 0},
	                       NULL, 16) % n;
}

static const char *brand_field(const struct kudos_job *job, const char *key)
{
	return job->brand ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(job->brand, key))
	                  : NULL;
}

int kudos_request_message(const struct kudos_job *job, const char *name,
                          const struct kudos_item *it, char **out,
                          struct kudos_error *err)
{
	const char *id = it->field[KUDOS_FIELD_ID], *tmpl;
	const cJSON *t = job_template(job, name);
	if (kudos_request_template_check(job, name, err))
		return -1;
	if (!t) {
		tmpl = builtin_templates[pick(id, N_BUILTIN)];
	} else if (cJSON_IsString(t)) {
		tmpl = t->valuestring;
	} else {
		int n = cJSON_GetArraySize(t);
		size_t nv = n > MAX_VARIANTS ? MAX_VARIANTS : (size_t)n;
		tmpl = cJSON_GetArrayItem(t, (int)pick(id, nv))->valuestring;
	}
	const char *const *f = (const char *const *)it->field;
	const char *who = f[KUDOS_FIELD_AUTHOR_HANDLE]  ? f[KUDOS_FIELD_AUTHOR_HANDLE]
	                  : f[KUDOS_FIELD_AUTHOR_NAME] ? f[KUDOS_FIELD_AUTHOR_NAME]
	                                               : "there";
	const char *brand = brand_field(job, "name"), *tag = job->rights.hashtag;
	const char *terms = brand_field(job, "terms_url");
	const char *version = brand_field(job, "terms_version");
	const char *const vars[][2] = {
		{"handle", who},
		{"name", f[KUDOS_FIELD_AUTHOR_NAME] ? f[KUDOS_FIELD_AUTHOR_NAME] : who},
		{"brand", brand ? brand : "us"},
		{"hashtag", tag ? tag : "yes"},
		{"terms_url", terms ? terms : "(ask us for our terms)"},
		{"terms_version", version ? version : ""},
		{"permalink", f[KUDOS_FIELD_PERMALINK] ? f[KUDOS_FIELD_PERMALINK] : ""},
	};
	if (!(*out = fill(tmpl, vars, sizeof vars / sizeof vars[0])))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return 0;
}

int kudos_request_item(struct kudos_store *s, const struct kudos_job *job, const char *id,
                       const char *template_name, const char *posted_as, const char *actor,
                       int64_t now, char **message, struct kudos_error *err)
{
	struct kudos_item *it = NULL;
	*message = NULL;
	if (kudos_store_get(s, id, &it, err))
		return -1;
	int rc = kudos_request_message(job, template_name, it, message, err);
	kudos_item_free(it);
	if (rc == 0)
		rc = kudos_rights_request(s, id, *message, template_name, posted_as, actor, now, err);
	if (rc) {
		free(*message);
		*message = NULL;
	}
	return rc;
}
