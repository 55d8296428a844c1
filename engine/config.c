#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

static const size_t type_size[] = {
	[KUDOS_CONFIG_STRING] = sizeof(const char *),
	[KUDOS_CONFIG_INT] = sizeof(int64_t),
	[KUDOS_CONFIG_DOUBLE] = sizeof(double),
	[KUDOS_CONFIG_BOOL] = sizeof(int),
	[KUDOS_CONFIG_PATH] = sizeof(const char *),
	[KUDOS_CONFIG_STRING_LIST] = sizeof(const char *const *),
	[KUDOS_CONFIG_STRING_MAP] = sizeof(const char *const *),
	[KUDOS_CONFIG_JSON] = sizeof(const char *),
};

#define N_TYPES ((int)(sizeof type_size / sizeof type_size[0]))

const char *kudos_config_type_name(int type)
{
	static const char *const names[] = {
		[KUDOS_CONFIG_STRING] = "string",     [KUDOS_CONFIG_INT] = "integer",
		[KUDOS_CONFIG_DOUBLE] = "number",     [KUDOS_CONFIG_BOOL] = "boolean",
		[KUDOS_CONFIG_PATH] = "path",         [KUDOS_CONFIG_STRING_LIST] = "list of strings",
		[KUDOS_CONFIG_STRING_MAP] = "object of strings", [KUDOS_CONFIG_JSON] = "any JSON",
	};
	return type > 0 && type < N_TYPES ? names[type] : "unknown";
}

/* The default as a JSON value: literal text for strings and paths. */
static cJSON *default_value(const struct kudos_config_entry *e)
{
	if (!e->default_value)
		return NULL;
	if (e->type == KUDOS_CONFIG_STRING || e->type == KUDOS_CONFIG_PATH)
		return cJSON_CreateString(e->default_value);
	return cJSON_Parse(e->default_value);
}

/* Does `v` have the shape `type` wants?  Sets *why for messages. */
static int shape_ok(int type, const cJSON *v, const char **why)
{
	const cJSON *e;
	switch (type) {
	case KUDOS_CONFIG_STRING:
	case KUDOS_CONFIG_PATH:
		*why = "a string";
		return cJSON_IsString(v) && (type == KUDOS_CONFIG_STRING || *v->valuestring);
	case KUDOS_CONFIG_INT:
		*why = "a whole number";
		return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
		       fabs(v->valuedouble) <= 9007199254740992.0;
	case KUDOS_CONFIG_DOUBLE:
		*why = "a number";
		return cJSON_IsNumber(v);
	case KUDOS_CONFIG_BOOL:
		*why = "true or false";
		return cJSON_IsBool(v);
	case KUDOS_CONFIG_STRING_LIST:
		*why = "a string or a list of strings";
		if (cJSON_IsString(v))
			return 1;
		if (!cJSON_IsArray(v))
			return 0;
		cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e)) return 0;
		return 1;
	case KUDOS_CONFIG_STRING_MAP:
		*why = "an object whose values are strings";
		if (!cJSON_IsObject(v))
			return 0;
		cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e)) return 0;
		return 1;
	case KUDOS_CONFIG_JSON:
		*why = "JSON";
		return 1;
	}
	*why = "?";
	return 0;
}

int kudos_config_table_validate(const struct kudos_plugin *d, const char *path,
                                struct kudos_error *err)
{
	if (!d->config)
		return 0;
	for (const struct kudos_config_entry *e = d->config; e->type != KUDOS_CONFIG_END; e++) {
		size_t idx = (size_t)(e - d->config);
		if (idx > 256)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): config table has no {0} terminator", path, d->name);
		if (e->type < 0 || e->type >= N_TYPES)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): config entry %zu has unknown type %d",
			                  path, d->name, idx, e->type);
		if (!e->key || !*e->key || strcmp(e->key, "plugin") == 0)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): config entry %zu has %s key", path, d->name, idx,
			                  e->key && *e->key ? "the reserved 'plugin'" : "no");
		for (const struct kudos_config_entry *o = d->config; o < e; o++)
			if (strcmp(o->key, e->key) == 0)
				return kudos_fail(err, KUDOS_EXIT_INPUT,
				                  "%s (%s): config key '%s' appears twice", path,
				                  d->name, e->key);
		if (e->offset > d->context_size || type_size[e->type] > d->context_size - e->offset)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): config key '%s' is stored at offset %zu, outside "
			                  "the %zu-byte context", path, d->name, e->key, e->offset,
			                  d->context_size);
		if (e->default_value) {
			const char *why;
			cJSON *v = default_value(e);
			int ok = v && shape_ok(e->type, v, &why);
			cJSON_Delete(v);
			if (!ok)
				return kudos_fail(err, KUDOS_EXIT_INPUT,
				                  "%s (%s): default of config key '%s' is not %s",
				                  path, d->name, e->key, kudos_config_type_name(e->type));
		}
	}
	return 0;
}

static int keep(struct kudos_config_store *cs, void *p)
{
	if (!p)
		return -1;
	void **n = realloc(cs->owned, (cs->n_owned + 1) * sizeof *n);
	if (!n) {
		free(p);
		return -1;
	}
	n[cs->n_owned++] = p;
	cs->owned = n;
	return 0;
}

static char *keys_list(const struct kudos_plugin *d)
{
	size_t len = 1;
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++)
		len += strlen(e->key) + 2;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
		if (e != d->config)
			strcat(s, ", ");
		strcat(s, e->key);
	}
	if (!*s) {
		free(s);
		return strdup("(none)");
	}
	return s;
}

/* A NULL-terminated array of strings, allocated in one block. */
static const char **string_array(const cJSON *v, int map)
{
	size_t n = 0, bytes = 0;
	const cJSON *e;
	if (cJSON_IsString(v)) {
		n = 1;
		bytes = strlen(v->valuestring) + 1;
	} else {
		cJSON_ArrayForEach(e, v)
		{
			n += map ? 2 : 1;
			bytes += strlen(e->valuestring) + 1 + (map ? strlen(e->string) + 1 : 0);
		}
	}
	const char **arr = malloc((n + 1) * sizeof *arr + bytes);
	if (!arr)
		return NULL;
	char *pool = (char *)(arr + n + 1);
	size_t i = 0;
#define PUT(s)                                 \
	do {                                   \
		size_t l_ = strlen(s) + 1;     \
		memcpy(pool, (s), l_);         \
		arr[i++] = pool;               \
		pool += l_;                    \
	} while (0)
	if (cJSON_IsString(v)) {
		PUT(v->valuestring);
	} else {
		cJSON_ArrayForEach(e, v)
		{
			if (map)
				PUT(e->string);
			PUT(e->valuestring);
		}
	}
#undef PUT
	arr[i] = NULL;
	return arr;
}

static int store_value(const struct kudos_config_entry *e, const cJSON *v,
                       const char *base_dir, char *slot,
                       struct kudos_config_store *cs)
{
	void *p = NULL;
	switch (e->type) {
	case KUDOS_CONFIG_STRING:
		p = strdup(v->valuestring);
		break;
	case KUDOS_CONFIG_PATH:
		p = kudos_path_resolve(base_dir, v->valuestring);
		break;
	case KUDOS_CONFIG_INT: {
		int64_t x = (int64_t)v->valuedouble;
		memcpy(slot, &x, sizeof x);
		return 0;
	}
	case KUDOS_CONFIG_DOUBLE:
		memcpy(slot, &v->valuedouble, sizeof(double));
		return 0;
	case KUDOS_CONFIG_BOOL: {
		int b = cJSON_IsTrue(v);
		memcpy(slot, &b, sizeof b);
		return 0;
	}
	case KUDOS_CONFIG_STRING_LIST:
	case KUDOS_CONFIG_STRING_MAP:
		p = (void *)string_array(v, e->type == KUDOS_CONFIG_STRING_MAP);
		break;
	case KUDOS_CONFIG_JSON:
		p = cJSON_PrintUnformatted(v);
		break;
	}
	if (keep(cs, p))
		return -1;
	memcpy(slot, &p, sizeof p);
	return 0;
}

int kudos_config_apply(const struct kudos_plugin *d, const cJSON *entry,
                       const char *where, const char *base_dir, void *ctx,
                       struct kudos_config_store *cs, struct kudos_error *err)
{
	char *valid = keys_list(d);
	int rc = -1;
	const cJSON *v;
	if (!valid)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	cJSON_ArrayForEach(v, entry)
	{
		if (strcmp(v->string, "plugin") == 0)
			continue;
		const struct kudos_config_entry *e = d->config;
		while (e && e->type && strcmp(e->key, v->string) != 0)
			e++;
		if (!e || !e->type) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s: unknown key '%s'; valid keys for plugin %s: %s",
			           where, v->string, d->name, valid);
			goto done;
		}
	}
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
		const char *why;
		cJSON *fallback = NULL;
		v = cJSON_GetObjectItemCaseSensitive(entry, e->key);
		if (!v && e->required) {
			kudos_fail(err, KUDOS_EXIT_INPUT,
			           "%s: missing required key '%s' (%s: %s); valid keys: %s",
			           where, e->key, kudos_config_type_name(e->type),
			           e->help ? e->help : "", valid);
			goto done;
		}
		if (!v && !(v = fallback = default_value(e)))
			continue;
		if (!shape_ok(e->type, v, &why)) {
			kudos_fail(err, KUDOS_EXIT_INPUT, "%s: key '%s' must be %s", where,
			           e->key, why);
			cJSON_Delete(fallback);
			goto done;
		}
		int stored = store_value(e, v, base_dir, (char *)ctx + e->offset, cs);
		cJSON_Delete(fallback);
		if (stored) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
	}
	cs->entry = (cJSON *)entry;
	rc = 0;
done:
	free(valid);
	return rc;
}

const char *kudos_config_text(struct kudos_config_store *cs, const cJSON *entry,
                              const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, key);
	if (!v)
		return NULL;
	if (cJSON_IsString(v))
		return v->valuestring;
	char *text = cJSON_PrintUnformatted(v);
	return keep(cs, text) ? NULL : text;
}

void kudos_config_store_free(struct kudos_config_store *cs)
{
	for (size_t i = 0; i < cs->n_owned; i++)
		free(cs->owned[i]);
	free(cs->owned);
	cs->owned = NULL;
	cs->n_owned = 0;
}
