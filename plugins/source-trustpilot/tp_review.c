/*
 * tp_review: Trustpilot review objects -> kudos items.  Contract in
 * tp_review.h; the mapping is described in source_trustpilot.c.
 */
#include "tp_review.h"

#include <kudos/json_reader.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void tp_warn(struct tp_page *pg, const char *pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pg->host->log(pg->self, KUDOS_LOG_WARN, "%s: %s: %s", pg->file, pos, msg);
}

#define SKIP(pg, pos, ...) (tp_warn((pg), (pos), __VA_ARGS__), (pg)->skipped++, KUDOS_OK)

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
	if (b->rc == KUDOS_OK && v && *v)
		check(b, b->host->item_set_meta(b->it, key, v));
}

/* Trustpilot's ids are hex / alphanumeric: only then is a URL built. */
static int url_safe(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
}

struct fields {
	char id[KUDOS_JR_ID_MAX + 1], cid[KUDOS_JR_ID_MAX + 1], likes[32];
	const char *text, *title, *language, *created, *updated, *level, *name;
	const char *reference, *reply;
	const cJSON *stars;
	const char *nlikes;
	int idst, cidst, verified;
	int64_t t_created, t_updated;
};

static void read_fields(struct kudos_jr_rd *rd, const cJSON *r, struct fields *f)
{
	f->idst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(r, "id"), f->id, sizeof f->id);
	f->text = kudos_jr_str(rd, r, "text");
	f->title = kudos_jr_str(rd, r, "title");
	f->language = kudos_jr_str(rd, r, "language");
	f->created = kudos_jr_str(rd, r, "createdAt");
	f->updated = kudos_jr_str(rd, r, "updatedAt");
	f->verified = kudos_jr_bool(rd, r, "isVerified");
	f->level = kudos_jr_str(rd, r, "reviewVerificationLevel");
	f->reference = kudos_jr_str(rd, r, "referenceId");
	f->reply = kudos_jr_str(rd, kudos_jr_obj(rd, r, "companyReply"), "text");
	f->nlikes = kudos_jr_count(rd, r, "numberOfLikes", f->likes);
	const cJSON *consumer = kudos_jr_obj(rd, r, "consumer");
	f->name = kudos_jr_str(rd, consumer, "displayName");
	if (!f->name || !*f->name)
		f->name = kudos_jr_str(rd, consumer, "name");
	f->cidst = kudos_jr_id(cJSON_GetObjectItemCaseSensitive(consumer, "id"), f->cid, sizeof f->cid);
	if (f->cidst < 0 && !rd->bad)
		rd->bad = "consumer.id";
	f->stars = cJSON_GetObjectItemCaseSensitive(r, "stars");
	if (cJSON_IsNull(f->stars))
		f->stars = NULL;
}

int tp_review(struct tp_page *pg, const cJSON *r, const char *pos)
{
	const struct kudos_host *h = pg->host;
	struct kudos_jr_rd rd = {0};
	struct fields f;
	char url[KUDOS_JR_ID_MAX + 64];

	if (!cJSON_IsObject(r))
		return SKIP(pg, pos, "is not a review object; skipped");
	memset(&f, 0, sizeof f);
	read_fields(&rd, r, &f);
	if (f.idst == 0)
		return SKIP(pg, pos, "the review has no id; skipped");
	if (f.idst < 0)
		return SKIP(pg, pos, "the review's id is not usable (a string is "
		                     "expected); skipped");
	if (rd.bad)
		return SKIP(pg, pos, "review %s: \"%s\" has the wrong type; skipped", f.id, rd.bad);
	if (f.stars && (!cJSON_IsNumber(f.stars) || !(f.stars->valuedouble >= 1) ||
	                f.stars->valuedouble > 5 ||
	                floor(f.stars->valuedouble) != f.stars->valuedouble))
		return SKIP(pg, pos, "review %s: stars is not a whole number from 1 to 5; "
		                     "skipped", f.id);
	if (!f.text || !*f.text)
		return SKIP(pg, pos, "review %s has no text; skipped", f.id);
	if (f.created && h->time_parse(f.created, &f.t_created) != KUDOS_OK)
		return SKIP(pg, pos, "review %s: createdAt \"%.*s\" is not a time; skipped", f.id,
		            kudos_jr_clip(f.created, 60), f.created);
	if (f.updated && h->time_parse(f.updated, &f.t_updated) != KUDOS_OK)
		return SKIP(pg, pos, "review %s: updatedAt \"%.*s\" is not a time; skipped", f.id,
		            kudos_jr_clip(f.updated, 60), f.updated);

	struct build b = {h, h->item_new(pg->self, f.id), KUDOS_OK};
	if (!b.it) {
		h->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
		return KUDOS_ENOMEM;
	}
	put(&b, KUDOS_FIELD_KIND, "review");
	put(&b, KUDOS_FIELD_TEXT, f.text);
	put(&b, KUDOS_FIELD_TITLE, f.title);
	put(&b, KUDOS_FIELD_LANGUAGE, f.language);
	if (f.stars)
		check(&b, h->item_set_rating(b.it, f.stars->valuedouble, 5));
	if (f.created)
		check(&b, h->item_set_time(b.it, KUDOS_TIME_CREATED, f.t_created));
	if (f.updated)
		check(&b, h->item_set_time(b.it, KUDOS_TIME_UPDATED, f.t_updated));
	if (url_safe(f.id)) {
		snprintf(url, sizeof url, "https://www.trustpilot.com/reviews/%s", f.id);
		put(&b, KUDOS_FIELD_PERMALINK, url);
	}
	if (f.name && *f.name) {
		put(&b, KUDOS_FIELD_AUTHOR_NAME, f.name);
		if (f.cidst > 0 && url_safe(f.cid)) {
			snprintf(url, sizeof url, "https://www.trustpilot.com/users/%s", f.cid);
			put(&b, KUDOS_FIELD_AUTHOR_URL, url);
		}
	} else {
		meta(&b, "author_missing", "true");
	}
	if (f.verified || (f.level && strcmp(f.level, "verified") == 0))
		check(&b, h->item_add_badges(b.it, KUDOS_BADGE_VERIFIED_BUYER));
	meta(&b, "likes", f.nlikes);
	meta(&b, "reference_id", f.reference);
	meta(&b, "company_reply", f.reply);

	if (b.rc != KUDOS_OK) {
		h->item_free(b.it);
		if (b.rc == KUDOS_ENOMEM) {
			h->set_error(pg->self, "%s: %s: out of memory", pg->file, pos);
			return KUDOS_ENOMEM;
		}
		return SKIP(pg, pos, "review %s holds a value kudos cannot store; skipped", f.id);
	}
	int rc = h->item_emit(pg->self, b.it);
	if (rc == KUDOS_OK)
		pg->items++;
	else if (rc == KUDOS_EINVAL)
		pg->skipped++, rc = KUDOS_OK; /* refused; the host said why */
	return rc;
}
