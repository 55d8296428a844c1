/*
 * source-mastodon: posts from Mastodon API responses saved to files.
 *
 * Job keys:
 *   path   a file, or a folder of page files read in name order (required)
 *
 * Payloads (each file one JSON value, as the API returned it):
 *   - an array of Status entities: home, public, list and hashtag
 *     timelines (GET /api/v1/timelines/...), an account's statuses;
 *   - one Status entity (GET /api/v1/statuses/:id);
 *   - {"statuses": [...]} (GET /api/v2/search) and
 *     {"ancestors": [...], "descendants": [...]} (GET .../context).
 * Pagination lives in the HTTP Link header, not in the body: save each
 * page as its own file in one folder, named so that they sort.
 *
 * Mapping (mastodon_status.c), kind social_post:
 *   external id   `id`, a string as Mastodon sends it; a bare number is
 *                 read by cJSON as a double, so it is kept only up to 2^53
 *                 (exact) and a bigger one is skipped with a warning
 *   text          `content` (HTML) through host->html_to_text: entities
 *                 decoded, paragraphs as blank lines, <br> as line breaks,
 *                 the invisible parts of links dropped
 *   title         `spoiler_text` (the content warning), when not empty
 *   author        handle "@acct@instance": `acct` names the instance only
 *                 for remote accounts, so for local ones the instance is
 *                 the host of `account.url` (else of the status's `uri`);
 *                 name `display_name`, or `username` when that is empty
 *                 (as Mastodon shows it); profile `account.url`; avatar
 *                 `avatar_static`, else `avatar`.  A status without an
 *                 account keeps no author fields and gets the metadata
 *                 author_missing=true.
 *   times         `created_at` (created), `edited_at` (updated), UTC
 *   language, permalink (`url`, else `uri`), in_reply_to (`in_reply_to_id`,
 *                 a status id like the item's own)
 *   media         `media_attachments` of type image, video, gifv, audio:
 *                 `url` (else `remote_url`) with `description` as alt;
 *                 "unknown" attachments (not fetched) are left out
 *   metadata      likes (favourites_count), replies, reposts (reblogs),
 *                 quotes, visibility, sensitive=true
 * Boosts: a status whose `reblog` is not null is someone else's post
 * shared by the booster, not the booster's testimonial.  It is mapped to
 * the boosted (original) status: its id, text and author, with the
 * metadata boosted_by (the booster's handle) and boost_id.  A boost and
 * its original in the same run are therefore one item.
 *
 * Reading: each page is parsed whole with cJSON (the SDK's json_source
 * helper), so memory is bounded by one page's tree, not by the run.
 *
 * Bad input: a file that is not JSON (or is truncated) fails the source
 * with the file, line and column, and nothing of the run is kept; a file
 * of another shape fails it as well; one bad status (no id, no content,
 * wrong types) is skipped with a warning naming the file and its
 * position, e.g. "page2.json: [3]".  At most KUDOS_JS_WARN_SHOWN warnings
 * are shown per page; the rest are counted in the closing summary.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings in page order, so a run gives the same store and messages as a
 * serial one.
 */
#include "mastodon.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct mst_ctx, path),
	 "a saved API response (a status, or an array of statuses such as a "
	 "timeline), or a folder of such pages read in name order"},
	{0},
};

/* Every element of `arr` (NULL: none) a status, named prefix[i]. */
static int each_status(struct mst_run *r, const cJSON *arr, const char *prefix)
{
	char where[96];
	const cJSON *e;
	long i = 0;
	int rc;

	cJSON_ArrayForEach(e, arr)
	{
		if (r->host->should_stop(r->self))
			return KUDOS_ESTOP;
		snprintf(where, sizeof where, "%s[%ld]", prefix, i++);
		if ((rc = mst_status(r, e, where)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

/* A file whose top value is an object: a search result, a thread's
 * context, a status, or an error. */
static int top_object(struct mst_run *r, const cJSON *o)
{
	const cJSON *st = kudos_js_arr(o, "statuses");
	const cJSON *an = kudos_js_arr(o, "ancestors"), *de = kudos_js_arr(o, "descendants");
	int rc;

	if (st)
		return each_status(r, st, "statuses");
	if (an || de) {
		rc = each_status(r, an, "ancestors");
		return rc == KUDOS_OK ? each_status(r, de, "descendants") : rc;
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "id") &&
	    (cJSON_GetObjectItemCaseSensitive(o, "content") ||
	     cJSON_GetObjectItemCaseSensitive(o, "reblog")))
		return mst_status(r, o, "the status");
	const char *err = kudos_js_str(o, "error");
	if (err)
		r->host->set_error(r->self,
		                   "%s is a Mastodon error response (\"%.200s\"), not "
		                   "statuses; fetch the page again or remove the file",
		                   r->f.path, err);
	else
		r->host->set_error(r->self,
		                   "%s holds no Mastodon statuses: expected a status "
		                   "object, an array of statuses (a timeline), or a "
		                   "search or context result; check the source's "
		                   "\"path\"",
		                   r->f.path);
	return KUDOS_EINVAL;
}

/* What the pages read so far add up to; pages finish on several threads. */
struct mst_totals {
	const struct kudos_host *host;
	atomic_long files, statuses, items, boosts, skipped, refused, hidden;
};

static void add_page(struct mst_totals *t, const struct mst_run *r)
{
	atomic_fetch_add(&t->files, 1);
	atomic_fetch_add(&t->statuses, r->statuses);
	atomic_fetch_add(&t->items, r->items);
	atomic_fetch_add(&t->boosts, r->boosts);
	atomic_fetch_add(&t->skipped, r->skipped);
	atomic_fetch_add(&t->refused, r->refused);
	atomic_fetch_add(&t->hidden, r->f.hidden);
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	struct mst_totals *t = ud;
	struct mst_run r = {.host = t->host, .self = self};
	int rc;

	kudos_js_file_init(&r.f, r.host, self, file);
	cJSON *root = kudos_js_parse(&r.f, data, len, 0, &rc);
	if (!root)
		return rc;
	if (cJSON_IsArray(root)) {
		rc = each_status(&r, root, "");
	} else if (cJSON_IsObject(root)) {
		rc = top_object(&r, root);
	} else {
		r.host->set_error(self,
		                  "%s holds a single JSON value, not Mastodon "
		                  "statuses; check the source's \"path\"",
		                  file);
		rc = KUDOS_EINVAL;
	}
	kudos_js_page_free(r.host, root);
	add_page(t, &r);
	return rc;
}

static int mst_collect(const struct kudos_host *host, struct kudos_instance *self,
                       void *ctx)
{
	struct mst_ctx *cx = ctx;
	struct mst_totals t = {.host = host};
	int rc = kudos_js_each_page(host, self, cx->path, page, &t);
	if (rc != KUDOS_OK)
		return rc;
	long files = t.files, statuses = t.statuses, boosts = t.boosts, items = t.items;
	host->log(self, KUDOS_LOG_INFO,
	          "%ld file%s, %ld status%s (%ld boost%s): %ld item%s, %ld "
	          "skipped, %ld refused",
	          files, files == 1 ? "" : "s", statuses, statuses == 1 ? "" : "es", boosts,
	          boosts == 1 ? "" : "s", items, items == 1 ? "" : "s", (long)t.skipped,
	          (long)t.refused);
	if (t.hidden)
		host->log(self, KUDOS_LOG_WARN, "%ld more warnings were not shown", (long)t.hidden);
	return KUDOS_OK;
}

static int mst_init(const struct kudos_host *host, struct kudos_instance *self,
                    void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the services the mastodon "
		                      "source needs (each_file, html_to_text); "
		                      "update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "mastodon",
	.version = "1.0.0",
	.description = "posts from saved Mastodon API responses (timelines, "
	               "hashtag timelines, statuses)",
	.config = config,
	.context_size = sizeof(struct mst_ctx),
	.init = mst_init,
	.collect = mst_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
