/* What X's two formats share; see x_tweet.h. */
#include "x_tweet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *x_lang(const char *lang)
{
	if (!lang || !*lang || strcmp(lang, "und") == 0 || strcmp(lang, "zxx") == 0)
		return NULL;
	/* qme (media only), qht (hashtags), qam (mentions), qct (cashtags),
	 * qst (very short): X's private-use codes, not languages. */
	if (lang[0] == 'q' && strlen(lang) == 3)
		return NULL;
	for (const char *p = lang; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			return NULL;
	return lang;
}

static const char *bare(const char *username)
{
	return username && username[0] == '@' ? username + 1 : username;
}

int x_profile(char *buf, size_t cap, const char *username)
{
	snprintf(buf, cap, "https://x.com/");
	return kudos_js_url_part(buf, cap, bare(username));
}

int x_permalink(char *buf, size_t cap, const char *username, const char *id)
{
	username = bare(username);
	if (username && *username) {
		if (!x_profile(buf, cap, username))
			return 0;
		if (strlen(buf) + 9 >= cap)
			return 0;
		strcat(buf, "/status/");
	} else {
		snprintf(buf, cap, "https://x.com/i/web/status/");
	}
	return kudos_js_url_part(buf, cap, id);
}

static double rate_of(const cJSON *v)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "bit_rate");
	if (!r)
		r = cJSON_GetObjectItemCaseSensitive(v, "bitrate");
	if (cJSON_IsNumber(r))
		return r->valuedouble;
	if (cJSON_IsString(r))
		return strtod(r->valuestring, NULL);
	return -1;
}

const char *x_best_variant(const cJSON *variants)
{
	const cJSON *v;
	const char *best = NULL;
	double best_rate = -2;
	if (!cJSON_IsArray(variants))
		return NULL;
	cJSON_ArrayForEach(v, variants)
	{
		const char *type = kudos_js_str(v, "content_type");
		const char *url = kudos_js_nonempty(v, "url");
		double rate = rate_of(v);
		if (!url || !type || strcmp(type, "video/mp4") != 0)
			continue;
		if (rate > best_rate) {
			best = url;
			best_rate = rate;
		}
	}
	return best;
}

int x_looks_like_rt(const char *text)
{
	if (!text || strncmp(text, "RT @", 4) != 0)
		return 0;
	const char *p = text + 4;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return p > text + 4 && *p == ':';
}

void x_set_text(struct kudos_js_item *b, const char *raw)
{
	if (b->rc != KUDOS_OK)
		return;
	char *text = kudos_js_unescape3(raw);
	if (!text) {
		b->rc = KUDOS_ENOMEM;
		b->what = "text";
		return;
	}
	kudos_js_set(b, KUDOS_FIELD_TEXT, text, "text");
	free(text);
}

void x_set_author(struct kudos_js_item *b, const char *username, const char *name,
                  const char *avatar)
{
	char url[512];
	username = bare(username);
	/* X usernames are at most 15 characters; anything far longer is not
	 * one, and is not shortened into one. */
	if (!username || !*username || strlen(username) > 100) {
		kudos_js_meta(b, "author_missing", "true");
		return;
	}
	char handle[128];
	snprintf(handle, sizeof handle, "@%s", username);
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_HANDLE, handle, "author's username");
	if (name && *name)
		kudos_js_set(b, KUDOS_FIELD_AUTHOR_NAME, name, "author's name");
	if (x_profile(url, sizeof url, username))
		kudos_js_set(b, KUDOS_FIELD_AUTHOR_URL, url, "author's profile URL");
	if (avatar && *avatar)
		kudos_js_set(b, KUDOS_FIELD_AUTHOR_AVATAR, avatar, "author's avatar URL");
}

void x_set_permalink(struct kudos_js_item *b, const char *username, const char *id)
{
	char url[512];
	if (x_permalink(url, sizeof url, username, id))
		kudos_js_set(b, KUDOS_FIELD_PERMALINK, url, "permalink");
}

void x_set_created(struct x_run *r, struct kudos_js_item *b, const char *s,
                   const char *pos)
{
	int64_t t;
	if (!s)
		return;
	if (r->host->time_parse(s, &t) == KUDOS_OK)
		kudos_js_time(b, KUDOS_TIME_CREATED, t);
	else
		kudos_js_warn(&r->f, "%s: created_at \"%.40s\" is not a time X writes; "
		               "kept without a time",
		        pos, s);
}

int x_emit(struct x_run *r, struct kudos_js_item *b, const char *pos)
{
	int rc = kudos_js_finish(b, &r->f, pos);
	if (rc < 0)
		return rc;
	if (rc == 1)
		r->items++;
	else
		r->refused++;
	return KUDOS_OK;
}
