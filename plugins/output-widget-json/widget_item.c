/*
 * widget_item.c: one item that passed the render gate, as the widget file
 * shows it.
 *
 * Contract: widget_item_build() returns the item's JSON object with its
 * members in the schema's order (id, source, kind, text, title, rating,
 * author {name, handle, role, url, avatar}, permalink, created_at,
 * language, badges, card), every optional member omitted when the item
 * lacks it, never null or empty.  Text is copied verbatim (the host has
 * already normalised it to NFC); nothing is HTML.  The author fields are
 * what the gate left after the creator's credit preference: the name is
 * the credited name, and handle, profile and avatar are there only when
 * the creator allowed them.  Links keep only http and https schemes: any
 * other is dropped with a warning naming the item and the field.  An
 * avatar becomes, in this order: the local copy "avatar_map" names for it
 * (a path relative to the widget file), the avatar's own http(s) URL, or
 * the avatar file itself when it lies inside the output folder; anything
 * else is dropped with a warning.  "card" is the path, relative to the
 * widget file, of the PNG the cards-png output of this job wrote for the
 * item earlier in the same render, when that file exists.
 */
#include "widget.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" into buf[21]; -1 outside years 0000-9999. */
static int format_utc(int64_t t, char buf[21])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL)
		return -1;
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return -1;
	return strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20 ? 0 : -1;
}

static int add_string(cJSON *obj, const char *key, const char *value)
{
	if (!is_set(value))
		return 0;
	return cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
}

/* Add `url` under `key` when it is a usable http(s) link; warn and skip
 * it otherwise.  Returns 0, or -1 when out of memory. */
static int add_url(const struct kudos_host *host, struct kudos_instance *self,
                   const char *id, cJSON *obj, const char *key, const char *what,
                   const char *url)
{
	const char *why = NULL;
	char *clean;
	int rc;

	if (!is_set(url))
		return 0;
	clean = widget_url_clean(url, &why);
	if (clean == NULL) {
		if (strcmp(why, "out of memory") == 0)
			return -1;
		host->log(self, KUDOS_LOG_WARN, "item %s: dropped %s: %s", id, what, why);
		return 0;
	}
	rc = cJSON_AddStringToObject(obj, key, clean) ? 0 : -1;
	free(clean);
	return rc;
}

/* `s` for a log line, or a stand-in when it holds control characters
 * (an escape sequence must not reach the user's terminal). */
static const char *printable(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "(a path with control characters)";
	return s;
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The local file `abs` as a path relative to the widget file, or NULL
 * (with *oom set when that is why). */
static char *local_ref(const struct kudos_host *host, struct kudos_instance *self,
                       const char *abs, int *oom)
{
	char *rel = widget_path_relative(host->output_dir(self), abs);
	const char *p;

	if (rel == NULL) {
		*oom = 1;
		return NULL;
	}
	for (p = rel; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\') {
			free(rel);
			return NULL;
		}
	}
	return rel;
}

/* The avatar as the file shows it: a URL or a relative path. */
static int add_avatar(const struct kudos_host *host, struct kudos_instance *self,
                      const struct widget_ctx *ctx, const char *id, cJSON *author,
                      const char *avatar)
{
	const char *copy = NULL;
	char *abs = NULL, *rel = NULL;
	int oom = 0, rc;
	size_t i;

	if (!is_set(avatar))
		return 0;
	for (i = 0; ctx->avatar_map && ctx->avatar_map[i]; i += 2)
		if (strcmp(ctx->avatar_map[i], avatar) == 0)
			copy = ctx->avatar_map[i + 1];
	if (copy && widget_has_scheme(copy))
		return add_url(host, self, id, author, "avatar", "author.avatar (from avatar_map)",
		               copy);
	if (copy) {
		abs = widget_path_join(host->job_dir(self), copy);
		if (abs == NULL)
			return -1;
		if (is_file(abs))
			rel = local_ref(host, self, abs, &oom);
		else
			host->log(self, KUDOS_LOG_WARN, "item %s: avatar_map names %s as the "
			          "avatar's local copy, but there is no such file; using the "
			          "avatar as collected", id, copy);
		free(abs);
		abs = NULL;
	}
	if (rel == NULL && !oom && widget_has_scheme(avatar))
		return add_url(host, self, id, author, "avatar", "author.avatar", avatar);
	if (rel == NULL && !oom) {
		const char *out = host->output_dir(self);
		size_t n = strlen(out);
		abs = widget_path_join(host->job_dir(self), avatar);
		if (abs == NULL)
			return -1;
		if (strncmp(abs, out, n) == 0 && abs[n] == '/' && is_file(abs))
			rel = local_ref(host, self, abs, &oom);
		else
			host->log(self, KUDOS_LOG_WARN, "item %s: dropped author.avatar: the "
			          "local file %s is not inside the output folder %s; copy it "
			          "there or name a copy with \"avatar_map\"", id, printable(abs), out);
		free(abs);
	}
	if (oom)
		return -1;
	if (rel == NULL)
		return 0;
	rc = cJSON_AddStringToObject(author, "avatar", rel) ? 0 : -1;
	free(rel);
	return rc;
}

static int add_author(const struct kudos_host *host, struct kudos_instance *self,
                      const struct widget_ctx *ctx, const struct kudos_item *item,
                      const char *id, cJSON *obj)
{
	cJSON *author = cJSON_CreateObject();

	if (author == NULL)
		return -1;
	/* The gate has put the credited name into AUTHOR_NAME. */
	if (add_string(author, "name", host->item_get(item, KUDOS_FIELD_AUTHOR_NAME)) < 0 ||
	    add_string(author, "handle", host->item_get(item, KUDOS_FIELD_AUTHOR_HANDLE)) < 0 ||
	    add_string(author, "role", host->item_get(item, KUDOS_FIELD_AUTHOR_ROLE)) < 0 ||
	    add_url(host, self, id, author, "url", "author.url",
	            host->item_get(item, KUDOS_FIELD_AUTHOR_URL)) < 0 ||
	    add_avatar(host, self, ctx, id, author,
	               host->item_get(item, KUDOS_FIELD_AUTHOR_AVATAR)) < 0) {
		cJSON_Delete(author);
		return -1;
	}
	if (author->child == NULL) {
		cJSON_Delete(author); /* nothing to credit: no author object */
		return 0;
	}
	return cJSON_AddItemToObject(obj, "author", author) ? 0 : (cJSON_Delete(author), -1);
}

static int add_badges(const struct kudos_host *host, const struct kudos_item *item,
                      cJSON *obj)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ KUDOS_BADGE_INCENTIVIZED, "incentivized" },
		{ KUDOS_BADGE_EMPLOYEE, "employee" },
		{ KUDOS_BADGE_VERIFIED_BUYER, "verified_buyer" } };
	unsigned badges = host->item_badges(item);
	cJSON *arr;
	size_t i;

	if ((badges & 7u) == 0)
		return 0;
	arr = cJSON_AddArrayToObject(obj, "badges");
	if (arr == NULL)
		return -1;
	for (i = 0; i < 3; i++)
		if ((badges & names[i].bit) &&
		    !cJSON_AddItemToArray(arr, cJSON_CreateString(names[i].name)))
			return -1;
	return 0;
}

static int add_card(const struct kudos_host *host, struct kudos_instance *self,
                    const struct kudos_item *item, const char *id, cJSON *obj)
{
	const char *card = host->item_artifact(self, item, WIDGET_CARDS_PLUGIN);
	char *abs;
	int ok;

	if (!is_set(card))
		return 0;
	if (card[0] == '/' || widget_has_scheme(card) || strchr(card, '\\'))
		return 0;
	abs = widget_path_join(host->output_dir(self), card);
	if (abs == NULL)
		return -1;
	ok = is_file(abs);
	free(abs);
	if (!ok) {
		host->log(self, KUDOS_LOG_DEBUG, "item %s: its card %s is gone; no card",
		          id, card);
		return 0;
	}
	return cJSON_AddStringToObject(obj, "card", card) ? 0 : -1;
}

cJSON *widget_item_build(const struct kudos_host *host, struct kudos_instance *self,
                         const struct widget_ctx *ctx, const struct kudos_item *item,
                         const char *id)
{
	cJSON *obj = cJSON_CreateObject(), *sub;
	double value, scale;
	int64_t created;
	char when[21];

	if (obj == NULL)
		return NULL;
	if (!cJSON_AddStringToObject(obj, "id", id) ||
	    !cJSON_AddStringToObject(obj, "source", host->item_get(item, KUDOS_FIELD_SOURCE)) ||
	    !cJSON_AddStringToObject(obj, "kind", host->item_get(item, KUDOS_FIELD_KIND)) ||
	    !cJSON_AddStringToObject(obj, "text", host->item_get(item, KUDOS_FIELD_TEXT)) ||
	    add_string(obj, "title", host->item_get(item, KUDOS_FIELD_TITLE)) < 0)
		goto fail;
	if (host->item_get_rating(item, &value, &scale)) {
		sub = cJSON_AddObjectToObject(obj, "rating");
		if (sub == NULL || !cJSON_AddNumberToObject(sub, "value", value) ||
		    !cJSON_AddNumberToObject(sub, "scale", scale))
			goto fail;
	}
	if (add_author(host, self, ctx, item, id, obj) < 0 ||
	    add_url(host, self, id, obj, "permalink", "permalink",
	            host->item_get(item, KUDOS_FIELD_PERMALINK)) < 0)
		goto fail;
	if (host->item_get_time(item, KUDOS_TIME_CREATED, &created)) {
		if (format_utc(created, when) == 0) {
			if (!cJSON_AddStringToObject(obj, "created_at", when))
				goto fail;
		} else {
			host->log(self, KUDOS_LOG_WARN, "item %s: dropped created_at %" PRId64
			          ", outside years 0000-9999", id, created);
		}
	}
	if (add_string(obj, "language", host->item_get(item, KUDOS_FIELD_LANGUAGE)) < 0 ||
	    add_badges(host, item, obj) < 0 || add_card(host, self, item, id, obj) < 0)
		goto fail;
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}

static int push_tag(char ***tags, size_t *n, const char *s, size_t len)
{
	char **grown, *copy;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strlen((*tags)[i]) == len && memcmp((*tags)[i], s, len) == 0)
			return 0;
	grown = realloc(*tags, (*n + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	*tags = grown;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	grown[(*n)++] = copy;
	return 0;
}

int widget_item_tags(const struct kudos_host *host, const struct kudos_item *item,
                     char ***tags, size_t *n)
{
	const char *meta = host->item_get_meta(item, "tags"), *p, *end;

	*tags = NULL;
	*n = 0;
	for (p = meta; p && *p; p = *end ? end + 1 : end) {
		const char *b, *e;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (b = p; b < end && (*b == ' ' || *b == '\t'); b++)
			;
		for (e = end; e > b && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		if (e > b && push_tag(tags, n, b, (size_t)(e - b)) < 0)
			return -1;
	}
	return 0;
}
