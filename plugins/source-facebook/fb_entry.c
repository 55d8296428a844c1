/*
 * fb_entry: Facebook comments and posts -> kudos items.  Contract in
 * fb_entry.h; the mapping is described in source_facebook.c.
 */
#include "fb_entry.h"

#include <kudos/json_reader.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Graph nests comments under a post and replies under a comment; deeper
 * nesting in a payload is not followed. */
#define MAX_DEPTH 4

static void say(struct fb_page *pg, int level, const char *pos, const char *fmt, ...)
	KUDOS_PRINTF(4, 5);
static void say(struct fb_page *pg, int level, const char *pos, const char *fmt, ...)
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
#define NOTE(pg, pos, ...)                                                   \
	(say((pg), KUDOS_LOG_INFO, (pos), __VA_ARGS__), (pg)->notes++, KUDOS_OK)

/* ---- building one item ------------------------------------------------- */

struct build {
	const struct kudos_host *host;
	struct kudos_item *it;
	int rc;       /* the first failure, KUDOS_OK if none */
	int n_media;
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

static void add_media(struct build *b, const char *type, const char *url)
{
	if (b->rc == KUDOS_OK && url && *url && b->n_media < 64) {
		check(b, b->host->item_add_media(b->it, type, url, NULL));
		b->n_media++;
	}
}

/* ---- attachments --------------------------------------------------------- */

/* A comment's `attachment` or one element of a post's attachments.data[]
 * (with its subattachments).  Photos, albums, stickers and animated
 * images are images, videos are videos (media.source); links and shares
 * carry someone else's picture and are not the author's media.  Read
 * leniently: a member of an unexpected shape is ignored. */
static void attachment(struct build *b, const cJSON *a, int depth)
{
	if (!cJSON_IsObject(a) || depth > 2)
		return;
	const char *type = kudos_jr_str(NULL, a, "media_type");
	if (!type)
		type = kudos_jr_str(NULL, a, "type");
	const cJSON *media = kudos_jr_obj(NULL, a, "media");
	const char *src = kudos_jr_str(NULL, kudos_jr_obj(NULL, media, "image"), "src");
	const char *video = kudos_jr_str(NULL, media, "source");
	if (type && strstr(type, "video"))
		add_media(b, "video", video);
	else if (!type || !(strstr(type, "share") || strstr(type, "link") ||
	                    strstr(type, "native_templates") || strstr(type, "event") ||
	                    strstr(type, "note")))
		add_media(b, "image", src);
	const cJSON *sub;
	cJSON_ArrayForEach(sub, kudos_jr_arr(NULL, kudos_jr_obj(NULL, a, "subattachments"), "data"))
	{
		attachment(b, sub, depth + 1);
	}
}

/* ---- ids from permalink_url ---------------------------------------------- */

/* The digits after "key=" in a URL's query (key preceded by ? or &). */
static int query_digits(const char *url, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (const char *p = strstr(url, key); p; p = strstr(p + 1, key)) {
		if (p == url || (p[-1] != '?' && p[-1] != '&') || p[klen] != '=')
			continue;
		size_t n = strspn(p + klen + 1, "0123456789");
		if (n == 0 || n >= size)
			return 0;
		memcpy(out, p + klen + 1, n);
		out[n] = '\0';
		return 1;
	}
	return 0;
}

/* The post's number from ".../posts/<digits>" or "story_fbid=<digits>". */
static int post_digits(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "/posts/");
	if (p) {
		size_t n = strspn(p + 7, "0123456789");
		if (n > 0 && n < size) {
			memcpy(out, p + 7, n);
			out[n] = '\0';
			return 1;
		}
	}
	return query_digits(url, "story_fbid", out, size);
}

/* Graph's comment id "<post>_<comment>" rebuilt from a permalink_url when
 * the payload did not ask for `id`; for a reply, *parent_out is its
 * comment's id.  RETURN VALUE 1 if an id was found. */
static int id_from_permalink(const char *url, char *id, size_t size, char *parent_out,
                             size_t psize)
{
	char post[32], comment[32], reply[32];
	if (!url || !query_digits(url, "comment_id", comment, sizeof comment))
		return 0;
	int has_post = post_digits(url, post, sizeof post);
	int is_reply = query_digits(url, "reply_comment_id", reply, sizeof reply);
	if (has_post) {
		snprintf(id, size, "%s_%s", post, is_reply ? reply : comment);
		if (is_reply)
			snprintf(parent_out, psize, "%s_%s", post, comment);
	} else {
		snprintf(id, size, "%s", is_reply ? reply : comment);
		if (is_reply)
			snprintf(parent_out, psize, "%s", comment);
	}
	return 1;
}

/* ---- one entry ------------------------------------------------------------ */

struct fields {
	char id[KUDOS_JR_ID_MAX + 1], pid[KUDOS_JR_ID_MAX + 1], derived_parent[KUDOS_JR_ID_MAX + 1];
	char likes[32], replies[32], shares[32];
	const char *message, *story, *created, *updated, *permalink, *status_type;
	const char *name, *link, *avatar, *shared_from, *full_picture;
	const cJSON *from, *attachment, *attachments, *comments;
	const char *nlikes, *nreplies, *nshares;
	int idst, pst;
	int64_t t_created, t_updated;
};

static void read_fields(struct kudos_jr_rd *rd, const cJSON *e, struct fields *f)
{
	f->idst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(e, "id"), f->id, sizeof f->id);
	f->message = kudos_jr_str(rd, e, "message");
	f->story = kudos_jr_str(rd, e, "story");
	f->created = kudos_jr_str(rd, e, "created_time");
	f->updated = kudos_jr_str(rd, e, "updated_time");
	f->permalink = kudos_jr_str(rd, e, "permalink_url");
	f->status_type = kudos_jr_str(rd, e, "status_type");
	f->full_picture = kudos_jr_str(rd, e, "full_picture");
	f->from = kudos_jr_obj(rd, e, "from");
	f->name = kudos_jr_str(rd, f->from, "name");
	f->link = kudos_jr_str(rd, f->from, "link");
	f->avatar = kudos_jr_str(NULL, kudos_jr_obj(NULL, kudos_jr_obj(NULL, f->from, "picture"), "data"), "url");
	const cJSON *parent = kudos_jr_obj(rd, e, "parent");
	f->pst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(parent, "id"), f->pid, sizeof f->pid);
	f->shared_from = kudos_jr_str(rd, e, "parent_id");
	f->attachment = kudos_jr_obj(rd, e, "attachment");
	f->attachments = kudos_jr_arr(rd, kudos_jr_obj(rd, e, "attachments"), "data");
	const cJSON *comments = kudos_jr_obj(rd, e, "comments");
	f->comments = kudos_jr_arr(rd, comments, "data");
	f->nlikes = kudos_jr_count(rd, e, "like_count", f->likes);
	if (!f->nlikes)
		f->nlikes = kudos_jr_count(rd, kudos_jr_obj(rd, kudos_jr_obj(rd, e, "reactions"), "summary"),
		                     "total_count", f->likes);
	if (!f->nlikes)
		f->nlikes = kudos_jr_count(rd, kudos_jr_obj(rd, kudos_jr_obj(rd, e, "likes"), "summary"),
		                     "total_count", f->likes);
	f->nreplies = kudos_jr_count(rd, e, "comment_count", f->replies);
	if (!f->nreplies)
		f->nreplies = kudos_jr_count(rd, kudos_jr_obj(rd, comments, "summary"), "total_count",
		                       f->replies);
	f->nshares = kudos_jr_count(rd, kudos_jr_obj(rd, e, "shares"), "count", f->shares);
	if (f->pst < 0 && !rd->bad)
		rd->bad = "parent.id";
}

/* Why an entry without a message is skipped; NULL: it is malformed. */
static const char *why_no_text(const struct fields *f)
{
	if (f->shared_from)
		return "a share of another post without words of its own";
	if (f->story)
		return "a story-only post (an activity line Facebook wrote, not the author's words)";
	if (f->attachment || f->attachments || f->full_picture)
		return "only an attachment, no words";
	return NULL;
}

static int children(struct fb_page *pg, const cJSON *list, const char *pos,
                    const char *parent, int depth)
{
	char sub[256];
	int i = 0, rc = KUDOS_OK;
	const cJSON *c;
	cJSON_ArrayForEach(c, list)
	{
		if (pg->host->should_stop(pg->self))
			return KUDOS_ESTOP;
		snprintf(sub, sizeof sub, "%s.comments.data[%d]", pos, i++);
		if ((rc = fb_entry(pg, c, sub, parent, depth)) != KUDOS_OK)
			break;
	}
	return rc;
}

static int emit(struct fb_page *pg, const struct fields *f, const char *pos,
                const char *in_reply_to)
{
	const struct kudos_host *h = pg->host;
	struct build b = {h, NULL, KUDOS_OK, 0};
	b.it = h->item_new(pg->self, f->id);
	if (!b.it) {
		h->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
		return KUDOS_ENOMEM;
	}
	put(&b, KUDOS_FIELD_KIND, "social_post");
	put(&b, KUDOS_FIELD_TEXT, f->message);
	if (f->created)
		check(&b, h->item_set_time(b.it, KUDOS_TIME_CREATED, f->t_created));
	if (f->updated && (!f->created || f->t_updated != f->t_created))
		check(&b, h->item_set_time(b.it, KUDOS_TIME_UPDATED, f->t_updated));
	put(&b, KUDOS_FIELD_PERMALINK, f->permalink);
	put(&b, KUDOS_FIELD_IN_REPLY_TO, in_reply_to);
	if (f->name && *f->name) {
		put(&b, KUDOS_FIELD_AUTHOR_NAME, f->name);
		if (f->link && !strncmp(f->link, "https://", 8))
			put(&b, KUDOS_FIELD_AUTHOR_URL, f->link);
		if (f->avatar && !strncmp(f->avatar, "https://", 8))
			put(&b, KUDOS_FIELD_AUTHOR_AVATAR, f->avatar);
	} else {
		meta(&b, "author_missing", "true");
	}
	meta(&b, "likes", f->nlikes);
	meta(&b, "replies", f->nreplies);
	meta(&b, "reposts", f->nshares);
	meta(&b, "shared_from", f->shared_from);
	attachment(&b, f->attachment, 0);
	const cJSON *a;
	cJSON_ArrayForEach(a, f->attachments)
	{
		attachment(&b, a, 0);
	}
	if (b.n_media == 0 && !f->attachment && !f->attachments)
		add_media(&b, "image", f->full_picture);

	if (b.rc != KUDOS_OK) {
		h->item_free(b.it);
		if (b.rc == KUDOS_ENOMEM) {
			h->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
			return KUDOS_ENOMEM;
		}
		return SKIP(pg, pos, "%s holds a value kudos cannot store; skipped", f->id);
	}
	int rc = h->item_emit(pg->self, b.it);
	if (rc == KUDOS_OK)
		pg->items++;
	else if (rc == KUDOS_EINVAL)
		pg->skipped++, rc = KUDOS_OK; /* refused; the host said why */
	return rc;
}

int fb_entry(struct fb_page *pg, const cJSON *e, const char *pos, const char *parent,
             int depth)
{
	const struct kudos_host *h = pg->host;
	struct kudos_jr_rd rd = {0};
	struct fields f;

	if (!cJSON_IsObject(e))
		return SKIP(pg, pos, "is not an object; skipped");
	if (depth > MAX_DEPTH)
		return SKIP(pg, pos, "comments nested deeper than %d levels are not "
		                     "Facebook's; skipped", MAX_DEPTH);
	memset(&f, 0, sizeof f);
	read_fields(&rd, e, &f);
	if (f.idst < 0)
		return SKIP(pg, pos, "the id is not usable (a string, or a whole number below "
		                     "2^53, is expected); skipped");
	if (rd.bad)
		return SKIP(pg, pos, "%s: \"%s\" has the wrong type; skipped",
		            f.idst > 0 ? f.id : "an entry", rd.bad);
	if (f.idst == 0) {
		if (!id_from_permalink(f.permalink, f.id, sizeof f.id, f.derived_parent,
		                       sizeof f.derived_parent))
			return SKIP(pg, pos, "the entry has no id (and no permalink_url with a "
			                     "comment_id); request the id field; skipped");
		say(pg, KUDOS_LOG_DEBUG, pos, "no id: %s taken from permalink_url", f.id);
	}
	if (f.created && h->time_parse(f.created, &f.t_created) != KUDOS_OK)
		return SKIP(pg, pos, "%s: created_time \"%.*s\" is not a time; skipped", f.id,
		            kudos_jr_clip(f.created, 60), f.created);
	if (f.updated && h->time_parse(f.updated, &f.t_updated) != KUDOS_OK)
		return SKIP(pg, pos, "%s: updated_time \"%.*s\" is not a time; skipped", f.id,
		            kudos_jr_clip(f.updated, 60), f.updated);

	const char *in_reply_to = f.pst > 0 ? f.pid
	                          : parent ? parent
	                          : f.derived_parent[0] ? f.derived_parent : NULL;
	int rc = KUDOS_OK;
	if (f.message && *f.message) {
		rc = emit(pg, &f, pos, in_reply_to);
	} else {
		const char *why = why_no_text(&f);
		if (why)
			(void)NOTE(pg, pos, "%s has no message (%s); skipped", f.id, why);
		else
			(void)SKIP(pg, pos, "%s has no message; skipped", f.id);
	}
	if (rc != KUDOS_OK)
		return rc;
	return children(pg, f.comments, pos, f.id, depth + 1);
}
