/*
 * ig_item: Instagram media and comments -> kudos items.  Contract in
 * ig_item.h; the mapping is described in source_instagram.c.
 */
#include "ig_item.h"

#include <kudos/json_reader.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Instagram nests replies one level under a comment; deeper nesting in a
 * payload is not Instagram's and is not followed. */
#define MAX_DEPTH 4

/* ---- notes and warnings ------------------------------------------------ */

static void say(struct ig_page *pg, int level, const char *pos, const char *fmt, ...)
	KUDOS_PRINTF(4, 5);
static void say(struct ig_page *pg, int level, const char *pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pg->host->log(pg->self, level, "%s: %s: %s", pg->file, pos, msg);
}

#define SKIP(pg, pos, ...)                                                   \
	(say((pg), KUDOS_LOG_WARN, (pos), __VA_ARGS__), (pg)->skipped++, KUDOS_OK)

static int stop(struct ig_page *pg)
{
	return pg->host->should_stop(pg->self) ? KUDOS_ESTOP : KUDOS_OK;
}

/* ---- building one item ------------------------------------------------- */

struct build {
	const struct kudos_host *host;
	struct kudos_item *it;
	int rc; /* the first failure, KUDOS_OK if none */
};

static void check(struct build *b, int rc)
{
	if (b->rc == KUDOS_OK && rc != KUDOS_OK)
		b->rc = rc;
}

static void put(struct build *b, int field, const char *v)
{
	if (b->rc == KUDOS_OK && v && *v)
		check(b, b->host->item_set(b->it, field, v));
}

static void meta(struct build *b, const char *key, const char *v)
{
	if (b->rc == KUDOS_OK && v)
		check(b, b->host->item_set_meta(b->it, key, v));
}

static void add_media(struct build *b, const char *type, const char *url, const char *alt)
{
	if (b->rc == KUDOS_OK && url && *url)
		check(b, b->host->item_add_media(b->it, type, url, alt && *alt ? alt : NULL));
}

/* Handle and profile URL from a username; none: flagged author_missing. */
static void author(struct build *b, const char *user)
{
	char buf[KUDOS_JR_ID_MAX + 64];
	if (user && user[0] == '@')
		user++;
	if (!user || !*user) {
		meta(b, "author_missing", "true");
		return;
	}
	snprintf(buf, sizeof buf, "@%s", user);
	put(b, KUDOS_FIELD_AUTHOR_HANDLE, buf);
	size_t n = strlen(user);
	if (n <= 64 && strspn(user, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "0123456789._") == n) {
		snprintf(buf, sizeof buf, "https://www.instagram.com/%s/", user);
		put(b, KUDOS_FIELD_AUTHOR_URL, buf);
	}
}

/* Hand the item to the host, or release it when a setter failed. */
static int finish(struct ig_page *pg, struct build *b, const char *pos, const char *id)
{
	const struct kudos_host *h = pg->host;
	if (b->rc != KUDOS_OK) {
		h->item_free(b->it);
		if (b->rc == KUDOS_ENOMEM) {
			h->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
			return KUDOS_ENOMEM;
		}
		return SKIP(pg, pos, "%.*s holds a value kudos cannot store; skipped",
		            kudos_jr_clip(id, 80), id);
	}
	int rc = h->item_emit(pg->self, b->it);
	if (rc == KUDOS_OK)
		pg->items++;
	else if (rc == KUDOS_EINVAL)
		pg->skipped++, rc = KUDOS_OK; /* refused; the host said why */
	return rc;
}

static int start(struct ig_page *pg, struct build *b, const char *pos, const char *id)
{
	b->host = pg->host;
	b->rc = KUDOS_OK;
	b->it = pg->host->item_new(pg->self, id);
	if (!b->it) {
		pg->host->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
		return KUDOS_ENOMEM;
	}
	put(b, KUDOS_FIELD_KIND, "social_post");
	return KUDOS_OK;
}

static const char *media_type(const char *t)
{
	return t && strcmp(t, "VIDEO") == 0 ? "video" : "image";
}

/* children.data[] must be objects with string fields. */
static void check_children(struct kudos_jr_rd *rd, const cJSON *children)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, children)
	{
		if (!cJSON_IsObject(c)) {
			if (!rd->bad)
				rd->bad = "children";
			return;
		}
		kudos_jr_str(rd, c, "media_type");
		kudos_jr_str(rd, c, "media_url");
		kudos_jr_str(rd, c, "alt_text");
	}
}

/* ---- media ------------------------------------------------------------- */

static int comments_of(struct ig_page *pg, const cJSON *list, const char *pos,
                       const char *key, const char *parent, int depth)
{
	char sub[256];
	int i = 0, rc = KUDOS_OK;
	const cJSON *c;
	cJSON_ArrayForEach(c, list)
	{
		if ((rc = stop(pg)) != KUDOS_OK)
			break;
		snprintf(sub, sizeof sub, "%s.%s.data[%d]", pos, key, i++);
		if ((rc = ig_comment(pg, c, sub, parent, depth)) != KUDOS_OK)
			break;
	}
	return rc;
}

int ig_media(struct ig_page *pg, const cJSON *m, const char *pos)
{
	const struct kudos_host *h = pg->host;
	struct kudos_jr_rd rd = {0};
	char id[KUDOS_JR_ID_MAX + 1], likes[32], replies[32], link[KUDOS_JR_ID_MAX + 64];
	int64_t t = 0;

	if (!cJSON_IsObject(m))
		return SKIP(pg, pos, "is not a media object; skipped");
	int idst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(m, "id"), id, sizeof id);
	const char *caption = kudos_jr_str(&rd, m, "caption");
	const char *ts = kudos_jr_str(&rd, m, "timestamp");
	const char *permalink = kudos_jr_str(&rd, m, "permalink");
	const char *shortcode = kudos_jr_str(&rd, m, "shortcode");
	const char *type = kudos_jr_str(&rd, m, "media_type");
	const char *url = kudos_jr_str(&rd, m, "media_url");
	const char *alt = kudos_jr_str(&rd, m, "alt_text");
	const char *user = kudos_jr_str(&rd, m, "username");
	if (!user)
		user = kudos_jr_str(&rd, kudos_jr_obj(&rd, m, "owner"), "username");
	const char *nlikes = kudos_jr_count(&rd, m, "like_count", likes);
	const char *nreplies = kudos_jr_count(&rd, m, "comments_count", replies);
	const cJSON *children = kudos_jr_arr(&rd, kudos_jr_obj(&rd, m, "children"), "data");
	const cJSON *comments = kudos_jr_arr(&rd, kudos_jr_obj(&rd, m, "comments"), "data");
	check_children(&rd, children);

	if (idst == 0)
		return SKIP(pg, pos, "the media has no id; skipped");
	if (idst < 0)
		return SKIP(pg, pos, "the media's id is not usable (a string, or a whole "
		                     "number below 2^53, is expected); skipped");
	if (rd.bad)
		return SKIP(pg, pos, "media %s: \"%s\" has the wrong type; skipped", id, rd.bad);
	if (ts && h->time_parse(ts, &t) != KUDOS_OK)
		return SKIP(pg, pos, "media %s: timestamp \"%.*s\" is not a time; skipped", id,
		            kudos_jr_clip(ts, 60), ts);
	if (user && strlen(user) > KUDOS_JR_ID_MAX)
		return SKIP(pg, pos, "media %s: the username is too long; skipped", id);

	if (!caption || !*caption) {
		say(pg, KUDOS_LOG_INFO, pos, "media %s has no caption; skipped%s", id,
		    comments ? " (its comments are read)" : "");
		pg->no_caption++;
	} else {
		struct build b;
		int rc = start(pg, &b, pos, id);
		if (rc != KUDOS_OK)
			return rc;
		put(&b, KUDOS_FIELD_TEXT, caption);
		if (ts)
			check(&b, h->item_set_time(b.it, KUDOS_TIME_CREATED, t));
		if (!permalink && shortcode && strlen(shortcode) <= KUDOS_JR_ID_MAX) {
			snprintf(link, sizeof link, "https://www.instagram.com/p/%s/", shortcode);
			permalink = link;
		}
		put(&b, KUDOS_FIELD_PERMALINK, permalink);
		author(&b, user);
		meta(&b, "likes", nlikes);
		meta(&b, "replies", nreplies);
		if (cJSON_GetArraySize(children) > 0) {
			const cJSON *c;
			cJSON_ArrayForEach(c, children)
			{
				add_media(&b, media_type(kudos_jr_str(NULL, c, "media_type")),
				          kudos_jr_str(NULL, c, "media_url"), kudos_jr_str(NULL, c, "alt_text"));
			}
		} else {
			add_media(&b, media_type(type), url, alt);
		}
		if ((rc = finish(pg, &b, pos, id)) != KUDOS_OK)
			return rc;
	}
	return comments_of(pg, comments, pos, "comments", id, 1);
}

/* ---- comments ---------------------------------------------------------- */

int ig_comment(struct ig_page *pg, const cJSON *c, const char *pos, const char *parent,
               int depth)
{
	const struct kudos_host *h = pg->host;
	struct kudos_jr_rd rd = {0};
	char id[KUDOS_JR_ID_MAX + 1], pid[KUDOS_JR_ID_MAX + 1], mid[KUDOS_JR_ID_MAX + 1], likes[32];
	int64_t t = 0;

	if (!cJSON_IsObject(c))
		return SKIP(pg, pos, "is not a comment object; skipped");
	if (depth > MAX_DEPTH)
		return SKIP(pg, pos, "replies nested deeper than %d levels are not "
		                     "Instagram's; skipped", MAX_DEPTH);
	int idst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(c, "id"), id, sizeof id);
	int pst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(c, "parent_id"), pid, sizeof pid);
	const cJSON *media = kudos_jr_obj(&rd, c, "media");
	int mst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(media, "id"), mid, sizeof mid);
	const char *text = kudos_jr_str(&rd, c, "text");
	const char *ts = kudos_jr_str(&rd, c, "timestamp");
	const char *user = kudos_jr_str(&rd, c, "username");
	if (!user)
		user = kudos_jr_str(&rd, kudos_jr_obj(&rd, c, "from"), "username");
	const char *nlikes = kudos_jr_count(&rd, c, "like_count", likes);
	int hidden = kudos_jr_bool(&rd, c, "hidden");
	const cJSON *replies = kudos_jr_arr(&rd, kudos_jr_obj(&rd, c, "replies"), "data");

	if (idst == 0)
		return SKIP(pg, pos, "the comment has no id; skipped");
	if (idst < 0)
		return SKIP(pg, pos, "the comment's id is not usable (a string, or a whole "
		                     "number below 2^53, is expected); skipped");
	if (pst < 0)
		rd.bad = rd.bad ? rd.bad : "parent_id";
	if (mst < 0)
		rd.bad = rd.bad ? rd.bad : "media.id";
	if (rd.bad)
		return SKIP(pg, pos, "comment %s: \"%s\" has the wrong type; skipped", id, rd.bad);
	if (ts && h->time_parse(ts, &t) != KUDOS_OK)
		return SKIP(pg, pos, "comment %s: timestamp \"%.*s\" is not a time; skipped", id,
		            kudos_jr_clip(ts, 60), ts);
	if (user && strlen(user) > KUDOS_JR_ID_MAX)
		return SKIP(pg, pos, "comment %s: the username is too long; skipped", id);

	if (!text || !*text) {
		(void)SKIP(pg, pos, "comment %s has no text; skipped", id);
	} else {
		struct build b;
		int rc = start(pg, &b, pos, id);
		if (rc != KUDOS_OK)
			return rc;
		put(&b, KUDOS_FIELD_TEXT, text);
		if (ts)
			check(&b, h->item_set_time(b.it, KUDOS_TIME_CREATED, t));
		put(&b, KUDOS_FIELD_IN_REPLY_TO, pst > 0 ? pid : parent ? parent : mst > 0 ? mid : NULL);
		author(&b, user);
		meta(&b, "likes", nlikes);
		if (hidden)
			meta(&b, "hidden", "true");
		if ((rc = finish(pg, &b, pos, id)) != KUDOS_OK)
			return rc;
	}
	return comments_of(pg, replies, pos, "replies", id, depth + 1);
}

/* ---- one element of data[] ---------------------------------------------- */

static int has(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

int ig_entry(struct ig_page *pg, const cJSON *e, const char *pos)
{
	static const char *const media_keys[] = {
		"caption", "media_type", "media_url", "permalink", "children", "shortcode",
		"media_product_type", "comments_count", "thumbnail_url", "comments", NULL};
	char id[KUDOS_JR_ID_MAX + 1];

	if (!cJSON_IsObject(e))
		return SKIP(pg, pos, "is not an object; skipped");
	for (size_t i = 0; media_keys[i]; i++)
		if (has(e, media_keys[i]))
			return ig_media(pg, e, pos);
	if (has(e, "text") || has(e, "username") || has(e, "from") || has(e, "parent_id") ||
	    has(e, "replies"))
		return ig_comment(pg, e, pos, NULL, 0);
	const char *name = kudos_jr_str(NULL, e, "name");
	if (name) {
		if (kudos_jr_id(cJSON_GetObjectItemCaseSensitive(e, "id"), id, sizeof id) <= 0)
			strcpy(id, "?");
		say(pg, KUDOS_LOG_INFO, pos,
		    "#%.*s (id %s) is a hashtag from ig_hashtag_search, not a media; "
		    "skipped (fetch its recent_media or top_media)",
		    kudos_jr_clip(name, 80), name, id);
		pg->notes++;
		return KUDOS_OK;
	}
	return ig_media(pg, e, pos);
}
