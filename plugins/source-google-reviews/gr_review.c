/* One Business Profile review -> one item; see gr_review.h. */
#include "gr_review.h"

#include "gr_comment.h"

#include <stdlib.h>
#include <string.h>

static const char *const stars[] = {"ONE", "TWO", "THREE", "FOUR", "FIVE"};

/* The review's id: reviewId, else the tail of name.  NULL if neither. */
static const char *review_id(const cJSON *rv)
{
	const char *id = kudos_jp_text(rv, "reviewId");
	if (id)
		return id;
	const char *name = kudos_jp_text(rv, "name");
	const char *tail = name ? strstr(name, "/reviews/") : NULL;
	if (!tail)
		return NULL;
	tail += strlen("/reviews/");
	return *tail && !strchr(tail, '/') ? tail : NULL;
}

static void set_rating(struct kudos_jp_run *r, struct kudos_item *item,
                       const cJSON *rv, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rv, "starRating");
	if (!v || cJSON_IsNull(v))
		return;
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	if (s && strcmp(s, "STAR_RATING_UNSPECIFIED") == 0)
		return;
	for (int i = 0; s && i < 5; i++) {
		if (strcmp(s, stars[i]) == 0) {
			r->host->item_set_rating(item, i + 1, 5);
			return;
		}
	}
	kudos_jp_warn(r, "%s: %s: starRating \"%.40s\" is not ONE to FIVE; rating "
	           "left unset",
	        r->base, at, s ? s : "(not a string)");
}

static void set_author(struct kudos_jp_run *r, struct kudos_item *item,
                       const cJSON *rv, const char *at)
{
	const cJSON *who = kudos_jp_obj(rv, "reviewer");
	const char *name = kudos_jp_text(who, "displayName");
	int anonymous = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(who,
	                                                              "isAnonymous"));
	if (anonymous)
		kudos_jp_meta(r, item, "reviewer_anonymous", "true", at);
	if (anonymous || !name) {
		/* Google shows a placeholder ("A Google user"): not a name. */
		kudos_jp_meta(r, item, "author_missing", "true", at);
		return;
	}
	kudos_jp_set(r, item, KUDOS_FIELD_AUTHOR_NAME, name, at, "reviewer.displayName");
	kudos_jp_set(r, item, KUDOS_FIELD_AUTHOR_AVATAR, kudos_jp_text(who, "profilePhotoUrl"),
	       at, "reviewer.profilePhotoUrl");
}

static void set_reply(struct kudos_jp_run *r, struct kudos_item *item,
                      const cJSON *rv, const char *at)
{
	const cJSON *reply = kudos_jp_obj(rv, "reviewReply");
	const char *when = kudos_jp_text(reply, "updateTime");
	char buf[21];
	int64_t t;

	kudos_jp_meta(r, item, "owner_reply", kudos_jp_text(reply, "comment"), at);
	if (!when)
		return;
	if (r->host->time_parse(when, &t) == KUDOS_OK)
		kudos_jp_meta(r, item, "owner_reply_time", kudos_jp_utc(t, buf), at);
	else
		kudos_jp_warn(r, "%s: %s: reviewReply.updateTime \"%.64s\" is not a "
		           "time kudos can read; left unset",
		        r->base, at, when);
}

/* Set the text (and translation) from the comment.  RETURN VALUE 1 set,
 * 0 refused (warned), -1 out of memory. */
static int set_text(struct kudos_jp_run *r, struct gr_counts *n,
                    struct kudos_item *item, const char *comment,
                    const char *at, const char *id)
{
	char *original = NULL, *translation = NULL;
	int marker_only = 0, ok;
	int split = gr_comment_split(comment, &original, &translation,
	                             &marker_only);
	if (split < 0)
		return -1;
	if (split) {
		n->translated++;
		ok = r->host->item_set(item, KUDOS_FIELD_TEXT, original) == KUDOS_OK;
		if (ok)
			kudos_jp_meta(r, item, "translation", translation, at);
	} else {
		ok = r->host->item_set(item, KUDOS_FIELD_TEXT, comment) == KUDOS_OK;
		if (ok && marker_only) {
			kudos_jp_meta(r, item, "translation_only", "true", at);
			kudos_jp_warn(r, "%s: %s (review %.80s): the comment has Google's "
			           "translation marker but no original text; kept as "
			           "it is and flagged translation_only",
			        r->base, at, id);
		}
	}
	free(original);
	free(translation);
	if (!ok)
		kudos_jp_warn(r, "%s: %s (review %.80s): the comment was refused (not "
		           "valid UTF-8?); skipped",
		        r->base, at, id);
	return ok;
}

int gr_review(struct kudos_jp_run *r, struct gr_counts *n, const cJSON *rv,
              const char *at, const char *location)
{
	const struct kudos_host *h = r->host;

	r->entries++;
	if (!cJSON_IsObject(rv)) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s is not a review object; skipped", r->base, at);
		return KUDOS_OK;
	}
	const char *id = review_id(rv);
	if (!id) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s has no reviewId (nor a name ending in "
		           "/reviews/ID); skipped",
		        r->base, at);
		return KUDOS_OK;
	}
	const char *comment = kudos_jp_text(rv, "comment");
	if (!comment) {
		n->no_comment++; /* stars only: nothing to quote */
		return KUDOS_OK;
	}

	struct kudos_item *item = h->item_new(r->self, id);
	if (!item) {
		r->skipped++;
		kudos_jp_warn(r, "%s: %s: id \"%.80s\" was refused (see above); skipped",
		        r->base, at, id);
		return KUDOS_OK;
	}
	int st = h->item_set(item, KUDOS_FIELD_KIND, "review") == KUDOS_OK
	                 ? set_text(r, n, item, comment, at, id)
	                 : 0;
	if (st <= 0) {
		h->item_free(item);
		if (st < 0) {
			h->set_error(r->self, "%s: %s: out of memory", r->file, at);
			return KUDOS_ENOMEM;
		}
		r->skipped++;
		return KUDOS_OK;
	}

	set_author(r, item, rv, at);
	set_rating(r, item, rv, at);
	const char *when = kudos_jp_text(rv, "createTime");
	if (when)
		kudos_jp_set_time(r, item, KUDOS_TIME_CREATED, when, NULL, at,
		            "createTime");
	when = kudos_jp_text(rv, "updateTime");
	if (when)
		kudos_jp_set_time(r, item, KUDOS_TIME_UPDATED, when, NULL, at,
		            "updateTime");
	set_reply(r, item, rv, at);
	kudos_jp_meta(r, item, "resource_name", kudos_jp_text(rv, "name"), at);
	kudos_jp_meta(r, item, "location", location, at);
	return kudos_jp_emit(r, item);
}
