/*
 * source-google-reviews: reviews of a Google Business Profile location, as
 * saved from the Business Profile API (My Business API v4).
 *
 * Job keys:
 *   path   the saved response, or a folder of saved pages read in name
 *          order (required).  No other key: the API's times carry their
 *          zone and its ratings their scale.
 *
 * Accepted page shapes:
 *   accounts.locations.reviews.list
 *       {"reviews": [Review...], "averageRating": 4.1,
 *        "totalReviewCount": 12, "nextPageToken": "..."}
 *   accounts.locations.batchGetReviews
 *       {"locationReviews": [{"name": "accounts/../locations/..",
 *                             "review": Review}...], "nextPageToken": ..}
 *   accounts.locations.reviews.get      one Review object
 *   [Review, ...]                       a bare array
 *   {"error": {"code": 403, "message": ..., "status": ...}}   a saved API
 *       error: the page is skipped with a warning
 * A page with only averageRating / totalReviewCount (no reviews yet) is
 * empty, not an error.  A top-level "errors" array is logged one warning
 * per entry; the reviews beside it are still collected.
 *
 * Mapping (gr_review.h): kind `review`; star enums to 1-5 of 5; Google's
 * "(Translated by Google) ... (Original) ..." comments keep the original
 * words as the text and the translation as meta `translation`
 * (gr_comment.h); anonymous reviewers keep no author and get
 * author_missing=true; the owner's reply becomes meta owner_reply.  Star-
 * only reviews (no comment) have no words to quote and are counted in the
 * closing line, not stored.  The API has no reposts and no reply threads.
 *
 * Invalid or truncated JSON fails the source with file:line:column (the
 * host rolls the source back); a malformed review is skipped with a warning
 * naming the file and its position, e.g. "reviews[3]".  At most
 * KUDOS_JP_WARN_SHOWN warnings are shown per page; the rest are counted in
 * the closing line.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings in page order, so a run gives the same store and messages as a
 * serial one.
 *
 * This file: the descriptor, the page shapes and the collect loop.
 */
#include <kudos/plugin.h>

#include "gr_review.h"
#include <kudos/json_page.h>
#include <kudos/json_source.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct gr_ctx {
	const char *path;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct gr_ctx, path),
	 "a saved reviews.list response (JSON), or a folder of pages read in "
	 "name order"},
	{0},
};

/* One page being read: pages are read on several threads at once, so
 * each counts on its own and adds up into struct gr_totals when done. */
struct gr_collect {
	struct kudos_jp_run r;
	struct gr_counts n;
};

/* What the pages read so far add up to. */
struct gr_totals {
	const struct kudos_host *host;
	struct kudos_jp_totals pages;
	atomic_long no_comment, translated;
};

static int each_review(struct gr_collect *c, const cJSON *arr,
                       const char *prefix)
{
	const cJSON *rv;
	char at[64];
	int i = 0, rc;

	cJSON_ArrayForEach(rv, arr)
	{
		if ((rc = kudos_jp_stop(&c->r)) != KUDOS_OK)
			return rc;
		snprintf(at, sizeof at, "%s[%d]", prefix, i++);
		if ((rc = gr_review(&c->r, &c->n, rv, at, NULL)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

/* batchGetReviews: each entry names its location beside the review. */
static int each_location_review(struct gr_collect *c, const cJSON *arr)
{
	const cJSON *e;
	char at[64];
	int i = 0, rc;

	cJSON_ArrayForEach(e, arr)
	{
		if ((rc = kudos_jp_stop(&c->r)) != KUDOS_OK)
			return rc;
		snprintf(at, sizeof at, "locationReviews[%d].review", i++);
		const cJSON *rv = kudos_jp_obj(e, "review");
		if (!rv) {
			c->r.entries++;
			c->r.skipped++;
			kudos_jp_warn(&c->r, "%s: %s is missing; skipped", c->r.base, at);
			continue;
		}
		rc = gr_review(&c->r, &c->n, rv, at, kudos_jp_text(e, "name"));
		if (rc != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

static int looks_like_review(const cJSON *o)
{
	const char *name = kudos_jp_str(o, "name");
	return cJSON_GetObjectItemCaseSensitive(o, "reviewId") ||
	       cJSON_GetObjectItemCaseSensitive(o, "starRating") ||
	       cJSON_GetObjectItemCaseSensitive(o, "comment") ||
	       (name && strstr(name, "/reviews/"));
}

static int page_reviews(struct gr_collect *c, const cJSON *root)
{
	struct kudos_jp_run *r = &c->r;

	if (cJSON_IsArray(root))
		return each_review(c, root, "");
	if (!cJSON_IsObject(root)) {
		r->skipped++;
		kudos_jp_warn(r, "%s: the page is not a JSON object or array; skipped",
		        r->base);
		return KUDOS_OK;
	}
	const cJSON *err = kudos_jp_obj(root, "error");
	if (err) {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
		const char *status = kudos_jp_str(err, "status");
		const char *msg = kudos_jp_str(err, "message");
		kudos_jp_warn(r, "%s: the page holds a Google API error (%d %.40s: "
		           "%.200s), not reviews; skipped",
		        r->base, cJSON_IsNumber(code) ? code->valueint : 0,
		        status ? status : "", msg ? msg : "no message");
		return KUDOS_OK;
	}
	kudos_jp_errors(r, root);

	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "reviews");
	if (cJSON_IsArray(list))
		return each_review(c, list, "reviews");
	if (list) {
		r->skipped++;
		kudos_jp_warn(r, "%s: \"reviews\" is not a list; page skipped", r->base);
		return KUDOS_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(root, "locationReviews");
	if (cJSON_IsArray(list))
		return each_location_review(c, list);
	if (list) {
		r->skipped++;
		kudos_jp_warn(r, "%s: \"locationReviews\" is not a list; page skipped",
		        r->base);
		return KUDOS_OK;
	}
	if (looks_like_review(root))
		return gr_review(r, &c->n, root, "the review", NULL);
	if (!cJSON_GetObjectItemCaseSensitive(root, "totalReviewCount") &&
	    !cJSON_GetObjectItemCaseSensitive(root, "averageRating") &&
	    !cJSON_GetObjectItemCaseSensitive(root, "errors"))
		kudos_jp_warn(r, "%s: no \"reviews\" list: this is not a Business "
		           "Profile reviews response; page skipped",
		        r->base);
	return KUDOS_OK;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	struct gr_totals *t = ud;
	struct gr_collect c = {.r = {.host = t->host, .self = self}};
	cJSON *root = NULL;
	int rc;

	kudos_jp_begin_file(&c.r, file);
	if ((rc = kudos_jp_parse(&c.r, data, len, &root)) != KUDOS_OK)
		return rc;
	rc = page_reviews(&c, root);
	kudos_js_page_free(t->host, root);
	kudos_jp_add(&t->pages, &c.r);
	atomic_fetch_add(&t->no_comment, c.n.no_comment);
	atomic_fetch_add(&t->translated, c.n.translated);
	return rc;
}

static int gr_collect(const struct kudos_host *host,
                      struct kudos_instance *self, void *ctx)
{
	const struct gr_ctx *cx = ctx;
	struct gr_totals t = {.host = host};
	struct kudos_jp_run sum = {.host = host, .self = self};

	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the each_file service the "
		                      "google-reviews source needs; update kudos");
		return KUDOS_EFAIL;
	}
	int rc = kudos_js_each_page(host, self, cx->path, page, &t);
	if (rc != KUDOS_OK)
		return rc;
	kudos_jp_sum(&t.pages, &sum);
	kudos_jp_summary(&sum, "reviews");
	long no_comment = t.no_comment, translated = t.translated;
	if (no_comment || translated)
		host->log(self, KUDOS_LOG_INFO,
		          "%ld star-only review%s without a comment (nothing to "
		          "quote, not stored); %ld translated comment%s split "
		          "into the original and Google's translation",
		          no_comment, no_comment == 1 ? "" : "s", translated,
		          translated == 1 ? "" : "s");
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "google-reviews",
	.version = "1.0.0",
	.description = "Google Business Profile reviews (saved reviews.list "
	               "responses), translations split from the original",
	.config = config,
	.context_size = sizeof(struct gr_ctx),
	.collect = gr_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
