/* One Yelp review -> one item; see yelp_review.h. */
#include "yelp_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A tracking parameter Yelp appends for the API client's attribution:
 * "adjust_creative" or "utm_*" (p[0..n) is one "name=value"). */
static int tracking(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t name = eq ? (size_t)(eq - p) : n;
	return (name >= 4 && memcmp(p, "utm_", 4) == 0) ||
	       (name == 15 && memcmp(p, "adjust_creative", 15) == 0);
}

char *yelp_clean_url(const char *url)
{
	size_t len = strlen(url);
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	const char *q = strchr(url, '?');
	if (!q) {
		memcpy(out, url, len + 1);
		return out;
	}
	const char *frag = strchr(q, '#');
	const char *qend = frag ? frag : url + len;
	size_t n = (size_t)(q - url);
	memcpy(out, url, n);
	int first = 1;
	for (const char *p = q + 1; p < qend;) {
		const char *amp = memchr(p, '&', (size_t)(qend - p));
		const char *e = amp ? amp : qend;
		size_t plen = (size_t)(e - p);
		if (plen > 0 && !tracking(p, plen)) {
			out[n++] = first ? '?' : '&';
			memcpy(out + n, p, plen);
			n += plen;
			first = 0;
		}
		p = amp ? amp + 1 : qend;
	}
	if (frag) {
		size_t flen = strlen(frag);
		memcpy(out + n, frag, flen);
		n += flen;
	}
	out[n] = '\0';
	return out;
}

/* Ends in "..." or "…": Yelp cut the review there. */
static int excerpt(const char *text)
{
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\n'))
		n--;
	return (n >= 3 && memcmp(text + n - 3, "...", 3) == 0) ||
	       (n >= 3 && memcmp(text + n - 3, "\xE2\x80\xA6", 3) == 0);
}

static void set_author(struct kudos_jp_run *r, struct kudos_item *item,
                       const cJSON *rv, const char *at)
{
	const cJSON *user = kudos_jp_obj(rv, "user");
	const char *name = kudos_jp_text(user, "name");
	char idbuf[32];
	const char *uid = NULL;

	if (!name) {
		/* A closed account: keep the words, invent no name. */
		kudos_jp_meta(r, item, "author_missing", "true", at);
		return;
	}
	kudos_jp_set(r, item, KUDOS_FIELD_AUTHOR_NAME, name, at, "user.name");
	kudos_jp_set(r, item, KUDOS_FIELD_AUTHOR_URL, kudos_jp_text(user, "profile_url"), at,
	       "user.profile_url");
	kudos_jp_set(r, item, KUDOS_FIELD_AUTHOR_AVATAR, kudos_jp_text(user, "image_url"),
	       at, "user.image_url");
	if (kudos_jp_id(user, "id", idbuf, &uid) == KUDOS_JP_ID_OK)
		kudos_jp_meta(r, item, "user_id", uid, at);
}

static void set_rating(struct kudos_jp_run *r, struct kudos_item *item,
                       const cJSON *rv, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rv, "rating");
	if (!v || cJSON_IsNull(v))
		return;
	if (!cJSON_IsNumber(v) ||
	    r->host->item_set_rating(item, v->valuedouble, 5) != KUDOS_OK)
		kudos_jp_warn(r, "%s: %s: rating is not a number from 0 to 5; rating "
		           "left unset",
		        r->base, at);
}

int yelp_review(struct kudos_jp_run *r, const cJSON *rv, const char *at,
                const char *zone)
{
	const struct kudos_host *h = r->host;
	char idbuf[32];
	const char *id = NULL;

	r->entries++;
	if (!cJSON_IsObject(rv)) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s is not a review object; skipped", r->base, at);
		return KUDOS_OK;
	}
	int idst = kudos_jp_id(rv, "id", idbuf, &id);
	if (idst != KUDOS_JP_ID_OK) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s %s; skipped", r->base, at,
		        idst == KUDOS_JP_ID_TOO_BIG
		                ? "has a numeric id above 2^53, whose digits are "
		                  "lost; save ids as strings"
		                : "has no id");
		return KUDOS_OK;
	}
	const char *text = kudos_jp_text(rv, "text");
	if (!text) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s (id %s) has no text; skipped", r->base, at, id);
		return KUDOS_OK;
	}

	struct kudos_item *item = h->item_new(r->self, id);
	if (!item) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s: id \"%.80s\" was refused (see above); skipped",
		        r->base, at, id);
		return KUDOS_OK;
	}
	if (h->item_set(item, KUDOS_FIELD_KIND, "review") != KUDOS_OK ||
	    h->item_set(item, KUDOS_FIELD_TEXT, text) != KUDOS_OK) {
		h->item_free(item);
		r->skipped++;
		kudos_jp_warn(r, "%s: %s (id %s): the text was refused (not valid "
		           "UTF-8?); skipped",
		        r->base, at, id);
		return KUDOS_OK;
	}
	if (excerpt(text))
		kudos_jp_meta(r, item, "truncated", "true", at);

	set_author(r, item, rv, at);
	set_rating(r, item, rv, at);

	const char *when = kudos_jp_text(rv, "time_created");
	if (when)
		kudos_jp_set_time(r, item, KUDOS_TIME_CREATED, when, zone, at,
		            "time_created");

	const char *url = kudos_jp_text(rv, "url");
	if (url) {
		char *clean = yelp_clean_url(url);
		if (!clean) {
			h->item_free(item);
			h->set_error(r->self, "%s: %s: out of memory", r->file, at);
			return KUDOS_ENOMEM;
		}
		kudos_jp_set(r, item, KUDOS_FIELD_PERMALINK, clean, at, "url");
		free(clean);
	}
	return kudos_jp_emit(r, item);
}
