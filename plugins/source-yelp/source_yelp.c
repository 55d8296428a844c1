/*
 * source-yelp: reviews from Yelp Fusion's GET /v3/businesses/{id}/reviews.
 *
 * Job keys:
 *   path      the saved response, or a folder of saved pages read in name
 *             order (required)
 *   timezone  the IANA zone of the zone-less "time_created" values
 *             (default America/Los_Angeles: Yelp documents them as Pacific
 *             time); a time that carries an offset keeps it
 *
 * Accepted page shapes:
 *   {"reviews": [...], "total": N, "possible_languages": [...]}  the API
 *   [ {review}, ... ]                                 a bare array of reviews
 *   {review}                                          one review object
 *   {"error": {"code": ..., "description": ...}}      a saved API error: the
 *                                                    page is skipped with a
 *                                                    warning
 * A top-level "errors" array is logged one warning per entry and the
 * reviews beside it are still collected.  Each review becomes a `review`
 * item as yelp_review.h describes (text kept verbatim; Yelp's excerpts are
 * flagged truncated=true; closed accounts keep no author and get
 * author_missing=true).  Yelp has no reposts or replies in this endpoint.
 *
 * Invalid or truncated JSON fails the source with file:line:column (the
 * host rolls the source back); a malformed review is skipped with a warning
 * naming the file and its position, e.g. "reviews[2]".  At most
 * KUDOS_JP_WARN_SHOWN warnings are shown per page; the rest are counted in
 * the closing line.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings in page order, so a run gives the same store and messages as a
 * serial one.
 *
 * This file: the descriptor, the job's keys, init and the page loop.
 */
#include <kudos/plugin.h>

#include <kudos/json_page.h>
#include <kudos/json_source.h>
#include "yelp_review.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct yelp_ctx {
	const char *path;
	const char *timezone;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct yelp_ctx, path),
	 "a saved reviews response (JSON), or a folder of pages read in name "
	 "order"},
	{KUDOS_CONFIG_STRING, "timezone", "America/Los_Angeles", 0,
	 offsetof(struct yelp_ctx, timezone),
	 "IANA time zone of Yelp's zone-less time_created (Yelp: Pacific "
	 "time)"},
	{0},
};

/* One page being read; pages are read on several threads at once, so
 * each counts on its own and adds up into struct yelp_totals when done. */
struct yelp_collect {
	struct kudos_jp_run r;
	const struct yelp_ctx *cx; /* read-only while pages are read */
};

/* What the pages read so far add up to. */
struct yelp_totals {
	const struct kudos_host *host;
	const struct yelp_ctx *cx;
	struct kudos_jp_totals pages;
};

static int each_review(struct yelp_collect *c, const cJSON *arr,
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
		if ((rc = yelp_review(&c->r, rv, at, c->cx->timezone)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

/* What the page is, and its reviews.  RETURN VALUE as yelp_review(). */
static int page_reviews(struct yelp_collect *c, const cJSON *root)
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
		const char *code = kudos_jp_str(err, "code");
		const char *desc = kudos_jp_str(err, "description");
		kudos_jp_warn(r, "%s: the page holds a Yelp API error (%.60s: %.200s), "
		           "not reviews; skipped",
		        r->base, code ? code : "no code",
		        desc ? desc : "no description");
		return KUDOS_OK;
	}
	kudos_jp_errors(r, root);
	const cJSON *reviews = cJSON_GetObjectItemCaseSensitive(root, "reviews");
	if (cJSON_IsArray(reviews))
		return each_review(c, reviews, "reviews");
	if (reviews) {
		r->skipped++;
		kudos_jp_warn(r, "%s: \"reviews\" is not a list; page skipped", r->base);
		return KUDOS_OK;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "id") &&
	    cJSON_GetObjectItemCaseSensitive(root, "text"))
		return yelp_review(r, root, "the review", c->cx->timezone);
	if (!cJSON_GetObjectItemCaseSensitive(root, "errors"))
		kudos_jp_warn(r, "%s: no \"reviews\" list: this is not a Yelp reviews "
		           "response; page skipped",
		        r->base);
	return KUDOS_OK;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	struct yelp_totals *t = ud;
	struct yelp_collect c = {.r = {.host = t->host, .self = self}, .cx = t->cx};
	cJSON *root = NULL;
	int rc;

	kudos_jp_begin_file(&c.r, file);
	if ((rc = kudos_jp_parse(&c.r, data, len, &root)) != KUDOS_OK)
		return rc;
	rc = page_reviews(&c, root);
	kudos_js_page_free(t->host, root);
	kudos_jp_add(&t->pages, &c.r);
	return rc;
}

static int yelp_collect(const struct kudos_host *host,
                        struct kudos_instance *self, void *ctx)
{
	struct yelp_totals t = {.host = host, .cx = ctx};
	struct kudos_jp_run sum = {.host = host, .self = self};
	int rc = kudos_js_each_page(host, self, t.cx->path, page, &t);
	if (rc == KUDOS_OK) {
		kudos_jp_sum(&t.pages, &sum);
		kudos_jp_summary(&sum, "reviews");
	}
	return rc;
}

static int yelp_init(const struct kudos_host *host,
                     struct kudos_instance *self, void *ctx)
{
	struct yelp_ctx *cx = ctx;
	int64_t t;

	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the services (each_file, "
		                      "time zones) the yelp source needs; update "
		                      "kudos");
		return KUDOS_EFAIL;
	}
	if (!cx->timezone || !cx->timezone[0] ||
	    host->time_parse_zone("2020-01-01 12:00:00", cx->timezone, &t) !=
	            KUDOS_OK) {
		host->set_error(self,
		                "timezone \"%s\" is not a time zone kudos knows; "
		                "use an IANA name such as America/Los_Angeles "
		                "(Yelp's own), or remove the key",
		                cx->timezone ? cx->timezone : "");
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "yelp",
	.version = "1.0.0",
	.description = "Yelp Fusion business reviews (saved API responses)",
	.config = config,
	.context_size = sizeof(struct yelp_ctx),
	.init = yelp_init,
	.collect = yelp_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
