/* The host's services for filters; see host_services.h. */
#include "host_services.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- filters ---------------------------------------------------------- */

/* Whether a filter service may act: from inside filter(), on its item. */
static int filter_target(struct kudos_instance *self, const struct kudos_item *item,
                         const char *service)
{
	if (self->filtering && self->found && item == self->filtering)
		return 1;
	kudos_host_log(self, KUDOS_LOG_WARN, "%s() refused: call it from filter(), with the item "
	                                     "filter() was handed", service);
	return 0;
}

/* Flag and score names: 1-32 bytes of [a-z0-9_]. */
static int finding_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > 32)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* The object or array `key` of the filter's findings, created on first use. */
static cJSON *found_part(struct kudos_instance *self, const char *key, int array)
{
	cJSON *part = cJSON_GetObjectItemCaseSensitive(self->found, key);
	if (!part)
		part = array ? cJSON_AddArrayToObject(self->found, key)
		             : cJSON_AddObjectToObject(self->found, key);
	return part;
}

/* Set `key` of `obj` to `value` (taken), replacing what was there. */
static int put_member(cJSON *obj, const char *key, cJSON *value)
{
	if (!value)
		return KUDOS_ENOMEM;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value) ? KUDOS_OK
		                                                               : KUDOS_ENOMEM;
	return cJSON_AddItemToObject(obj, key, value) ? KUDOS_OK : KUDOS_ENOMEM;
}

int kudos_host_filter_flag(struct kudos_instance *self, const struct kudos_item *item,
                           const char *flag, const char *detail)
{
	if (!filter_target(self, item, "filter_flag"))
		return KUDOS_EINVAL;
	if (!finding_name_ok(flag) ||
	    (detail && (strlen(detail) > 200 || !kudos_host_text_ok(detail)))) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_flag() refused: a flag is 1-32 bytes of "
		                                     "[a-z0-9_], its detail at most 200 bytes of UTF-8");
		return KUDOS_EINVAL;
	}
	cJSON *flags = found_part(self, "flags", 0);
	if (!flags)
		return KUDOS_ENOMEM;
	if (!cJSON_GetObjectItemCaseSensitive(flags, flag) && cJSON_GetArraySize(flags) >= 16) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_flag() refused '%s': 16 flags per item "
		                                     "is the limit", flag);
		return KUDOS_EINVAL;
	}
	return put_member(flags, flag, detail ? cJSON_CreateString(detail) : cJSON_CreateNull());
}

int kudos_host_filter_tag(struct kudos_instance *self, const struct kudos_item *item,
                          const char *tag)
{
	if (!filter_target(self, item, "filter_tag"))
		return KUDOS_EINVAL;
	size_t n = tag ? strlen(tag) : 0;
	int ok = n >= 1 && n <= 64 && kudos_host_text_ok(tag) && tag[0] != ' ' && tag[n - 1] != ' ';
	for (const unsigned char *p = (const unsigned char *)tag; ok && *p; p++)
		ok = *p >= 0x20 && *p != 0x7f && *p != ',';
	if (!ok) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_tag() refused: a tag is 1-64 bytes of "
		                                     "UTF-8 without control characters, commas or "
		                                     "surrounding spaces");
		return KUDOS_EINVAL;
	}
	cJSON *tags = found_part(self, "tags", 1), *e;
	if (!tags)
		return KUDOS_ENOMEM;
	cJSON_ArrayForEach(e, tags) if (strcmp(e->valuestring, tag) == 0) return KUDOS_OK;
	if (cJSON_GetArraySize(tags) >= 32) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_tag() refused '%s': 32 tags per item "
		                                     "is the limit", tag);
		return KUDOS_EINVAL;
	}
	return cJSON_AddItemToArray(tags, cJSON_CreateString(tag)) ? KUDOS_OK : KUDOS_ENOMEM;
}

int kudos_host_filter_score(struct kudos_instance *self, const struct kudos_item *item,
                            const char *name, double value)
{
	if (!filter_target(self, item, "filter_score"))
		return KUDOS_EINVAL;
	if (!finding_name_ok(name) || !isfinite(value)) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_score() refused: a score's name is 1-32 "
		                                     "bytes of [a-z0-9_], its value a finite number");
		return KUDOS_EINVAL;
	}
	cJSON *scores = found_part(self, "scores", 0);
	if (!scores)
		return KUDOS_ENOMEM;
	if (!cJSON_GetObjectItemCaseSensitive(scores, name) && cJSON_GetArraySize(scores) >= 32) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_score() refused '%s': 32 scores per item "
		                                     "is the limit", name);
		return KUDOS_EINVAL;
	}
	return put_member(scores, name, cJSON_CreateNumber(value));
}

/* A BCP 47 tag's shape: a 2-8 letter language, then subtags of 1-8
 * letters or digits ("de", "pt-BR", "zh-Hant-TW"). */
static int language_tag_ok(const char *tag)
{
	size_t n = tag ? strlen(tag) : 0, run = 0, first = 1;
	if (n < 2 || n > 35)
		return 0;
	for (const char *p = tag;; p++) {
		if (*p == '-' || *p == '\0') {
			if (run < (first ? 2u : 1u) || run > 8)
				return 0;
			if (*p == '\0')
				return 1;
			run = 0;
			first = 0;
			continue;
		}
		int letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		int digit = *p >= '0' && *p <= '9';
		if (!letter && !(digit && !first))
			return 0;
		run++;
	}
}

int kudos_host_filter_set_language(struct kudos_instance *self,
                                   const struct kudos_item *item, const char *language)
{
	if (!filter_target(self, item, "filter_set_language"))
		return KUDOS_EINVAL;
	if (!language_tag_ok(language)) {
		kudos_host_log(self, KUDOS_LOG_WARN, "filter_set_language() refused '%s': not a "
		                                     "BCP 47 tag such as \"de\" or \"pt-BR\"",
		               language ? language : "(null)");
		return KUDOS_EINVAL;
	}
	/* What the source said, or an earlier filter set, stands. */
	if (self->filtering->field[KUDOS_FIELD_LANGUAGE])
		return KUDOS_SKIP;
	if (kudos_item_put(self->filtering, KUDOS_FIELD_LANGUAGE, language))
		return KUDOS_ENOMEM;
	return put_member(self->found, "language", cJSON_CreateString(language));
}
