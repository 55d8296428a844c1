#include "item_json.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static void add_opt(cJSON *obj, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(obj, key, value);
	else
		cJSON_AddNullToObject(obj, key);
}

static void add_time(cJSON *obj, const char *key, int has, int64_t t)
{
	char buf[21];
	if (!has) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	kudos_time_format(t, buf);
	cJSON_AddStringToObject(obj, key, buf);
}

cJSON *kudos_item_to_json(const struct kudos_item *it, int detail)
{
	cJSON *o = cJSON_CreateObject(), *author, *rights;
	const char *const *f = (const char *const *)it->field;
	add_opt(o, "id", f[KUDOS_FIELD_ID]);
	add_opt(o, "source", f[KUDOS_FIELD_SOURCE]);
	add_opt(o, "external_id", f[KUDOS_FIELD_EXTERNAL_ID]);
	add_opt(o, "kind", f[KUDOS_FIELD_KIND]);
	cJSON_AddItemToObject(o, "author", author = cJSON_CreateObject());
	add_opt(author, "name", f[KUDOS_FIELD_AUTHOR_NAME]);
	add_opt(author, "handle", f[KUDOS_FIELD_AUTHOR_HANDLE]);
	add_opt(author, "role", f[KUDOS_FIELD_AUTHOR_ROLE]);
	add_opt(author, "url", f[KUDOS_FIELD_AUTHOR_URL]);
	add_opt(author, "avatar", f[KUDOS_FIELD_AUTHOR_AVATAR]);
	add_opt(o, "title", f[KUDOS_FIELD_TITLE]);
	add_opt(o, "text", f[KUDOS_FIELD_TEXT]);
	if (it->has_rating) {
		cJSON *r = cJSON_AddObjectToObject(o, "rating");
		cJSON_AddNumberToObject(r, "value", it->rating);
		cJSON_AddNumberToObject(r, "scale", it->rating_scale);
	} else {
		cJSON_AddNullToObject(o, "rating");
	}
	add_time(o, "created_at", it->has_time[KUDOS_TIME_CREATED], it->time[KUDOS_TIME_CREATED]);
	add_time(o, "updated_at", it->has_time[KUDOS_TIME_UPDATED], it->time[KUDOS_TIME_UPDATED]);
	add_opt(o, "language", f[KUDOS_FIELD_LANGUAGE]);
	/* A filter's guess, not what the source said. */
	cJSON_AddBoolToObject(o, "language_guessed", it->language_guessed);
	add_opt(o, "permalink", f[KUDOS_FIELD_PERMALINK]);
	add_opt(o, "in_reply_to", f[KUDOS_FIELD_IN_REPLY_TO]);
	cJSON *badges = cJSON_AddArrayToObject(o, "badges");
	for (unsigned b = 0; b < 3; b++)
		if (it->badges & (1u << b))
			cJSON_AddItemToArray(badges, cJSON_CreateString(kudos_badge_names[b]));
	cJSON *flags = cJSON_AddArrayToObject(o, "flags");
	char *flag_list = it->flags ? strdup(it->flags) : NULL, *rest = NULL;
	for (char *t = flag_list ? strtok_r(flag_list, ",", &rest) : NULL; t;
	     t = strtok_r(NULL, ",", &rest))
		cJSON_AddItemToArray(flags, cJSON_CreateString(t));
	free(flag_list);
	if (it->has_sentiment)
		cJSON_AddNumberToObject(o, "sentiment", it->sentiment);
	else
		cJSON_AddNullToObject(o, "sentiment");
	add_opt(o, "duplicate_of", it->duplicate_of);
	cJSON *tags = cJSON_AddArrayToObject(o, "tags");
	for (size_t i = 0; i < it->n_tags; i++)
		cJSON_AddItemToArray(tags, cJSON_CreateString(it->tags[i]));
	cJSON *scores = cJSON_AddObjectToObject(o, "scores");
	for (size_t i = 0; i < it->n_scores; i++)
		cJSON_AddNumberToObject(scores, it->scores[i].name, it->scores[i].value);
	add_opt(o, "curation", f[KUDOS_FIELD_CURATION]);
	cJSON_AddItemToObject(o, "rights", rights = cJSON_CreateObject());
	add_opt(rights, "state", f[KUDOS_FIELD_RIGHTS]);
	cJSON *scopes = cJSON_AddArrayToObject(rights, "scopes");
	if (f[KUDOS_FIELD_SCOPES]) {
		char *copy = strdup(f[KUDOS_FIELD_SCOPES]), *save = NULL;
		for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(scopes, cJSON_CreateString(t));
		free(copy);
	}
	if (detail) {
		if (it->has_grant) {
			cJSON *g = cJSON_AddObjectToObject(rights, "grant");
			add_time(g, "from", it->grant.from != 0, it->grant.from);
			add_time(g, "until", it->grant.until != 0, it->grant.until);
			add_opt(g, "evidence", it->grant.evidence);
			add_opt(g, "credit", it->grant.credit);
			add_time(g, "consent_at", 1, it->grant.consent_at);
		}
		cJSON *media = cJSON_AddArrayToObject(o, "media");
		for (size_t i = 0; i < it->n_media; i++) {
			cJSON *m = cJSON_CreateObject();
			cJSON_AddItemToArray(media, m);
			add_opt(m, "type", it->media[i].type);
			add_opt(m, "url", it->media[i].url);
			add_opt(m, "alt", it->media[i].alt);
		}
		cJSON *meta = cJSON_AddObjectToObject(o, "meta");
		for (size_t i = 0; i < it->n_meta; i++)
			cJSON_AddStringToObject(meta, it->meta[i].key, it->meta[i].value);
		cJSON *found = it->flag_detail ? cJSON_Parse(it->flag_detail) : NULL;
		cJSON_AddItemToObject(o, "flag_detail", found ? found : cJSON_CreateObject());
		/* Who found what: each filter's flags, tags, scores, language. */
		cJSON *filters = it->filter_results ? cJSON_Parse(it->filter_results) : NULL;
		cJSON_AddItemToObject(o, "filters", filters ? filters : cJSON_CreateObject());
		if (it->excerpt) {
			cJSON *e = cJSON_AddObjectToObject(o, "excerpt");
			cJSON_AddStringToObject(e, "text", it->excerpt);
			cJSON_AddStringToObject(e, "approved_by", it->excerpt_by);
			add_time(e, "approved_at", 1, it->excerpt_at);
		} else {
			cJSON_AddNullToObject(o, "excerpt");
		}
		add_opt(o, "content_hash", f[KUDOS_FIELD_CONTENT_HASH]);
		add_time(o, "collected_at", 1, it->collected_at);
	}
	return o;
}
