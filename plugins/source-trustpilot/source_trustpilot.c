/*
 * source-trustpilot: service reviews from Trustpilot API payloads and
 * review webhook events, as saved by whoever received them.
 *
 * Job keys:
 *   path   one JSON file, or a folder of files read in name order
 *          (required).  `links` (pagination) in a page is ignored.
 *
 * Payloads read (one JSON document per file):
 *   {"reviews": [...], "links": [...]}   a page of business-unit reviews
 *   a single review object (GET /v1/reviews/{id}), or a bare array of them
 *   {"events": [{"eventName": ..., "version": ..., "eventData": {...}}]}
 *       the service review webhook:
 *       service-review-created, service-review-updated
 *                      the review in eventData is collected (an update
 *                      replaces what was stored under its id, and kudos
 *                      records the edit);
 *       service-review-deleted
 *                      kudos cannot delete an item from a source: the
 *                      event is logged as a warning naming the review id
 *                      and what to run (`kudos revoke trustpilot:<id>`),
 *                      and the rights workflow handles the withdrawal;
 *       any other eventName is skipped with a warning.
 *   An `errors[]` array beside the data is warned about element by
 *   element and the data is still collected.
 *
 * Mapping (every item is a review):
 *   external id  `id`; permalink https://www.trustpilot.com/reviews/<id>
 *                (the webhook's `link` is an API URL, not a page).
 *   text, title  `text` and `title` verbatim (titles may end in "…": the
 *                webhook truncates them; kept as sent).  A review without
 *                text is skipped with a warning.
 *   rating       `stars` of 5 (a whole number 1-5, else the review is
 *                skipped with a warning); no stars: no rating.
 *   times        createdAt, updatedAt (ISO 8601, Z or milliseconds).
 *   author       consumer.displayName (API) or consumer.name (webhook);
 *                profile https://www.trustpilot.com/users/<consumer.id>.
 *                No consumer or no name: no author fields and meta
 *                author_missing=true.  Trustpilot has no handles.
 *   badges       isVerified true (or reviewVerificationLevel "verified")
 *                -> verified_buyer.
 *   language     `language`.
 *   meta         likes = numberOfLikes, reference_id = referenceId (the
 *                order reference an invitation carried), company_reply =
 *                companyReply.text.
 *   Trustpilot has no reposts.
 *
 * Bad input: invalid or truncated JSON fails the source naming the file,
 * line and column (nothing of the run is kept); a review or event that is
 * malformed is skipped with a warning naming the file and position
 * (events[1], reviews[3]).
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one.
 *
 * This file: the descriptor, the collect loop, the payload shapes and the
 * webhook events.  One review: tp_review.c.  JSON reading: tp_json.c.
 */
#include <kudos/plugin.h>

#include <kudos/json_reader.h>
#include <kudos/json_source.h>
#include "tp_review.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct tp_ctx {
	const char *path;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct tp_ctx, path),
	 "a Trustpilot reviews or webhook JSON file, or a folder of them read in "
	 "name order"},
	{0},
};

/* What every page shares, read-only while pages are read on several
 * threads; a page's own state is its struct tp_page. */
struct tp_run {
	const struct kudos_host *host;
};

static int reviews(struct tp_page *pg, const cJSON *arr, const char *name)
{
	char pos[64];
	int i = 0, rc = KUDOS_OK;
	const cJSON *r;
	cJSON_ArrayForEach(r, arr)
	{
		if (pg->host->should_stop(pg->self))
			return KUDOS_ESTOP;
		snprintf(pos, sizeof pos, "%s[%d]", name, i++);
		if ((rc = tp_review(pg, r, pos)) != KUDOS_OK)
			break;
	}
	return rc;
}

/* One webhook event at events[i]. */
static int event(struct tp_page *pg, const cJSON *ev, const char *pos)
{
	struct kudos_jr_rd rd = {0};
	char sub[96], id[KUDOS_JR_ID_MAX + 1];
	if (!cJSON_IsObject(ev)) {
		pg->skipped++;
		tp_warn(pg, pos, "is not an event object; skipped");
		return KUDOS_OK;
	}
	const char *name = kudos_jr_str(&rd, ev, "eventName");
	const cJSON *data = kudos_jr_obj(&rd, ev, "eventData");
	if (rd.bad || !name || !*name) {
		pg->skipped++;
		tp_warn(pg, pos, "%s; skipped",
		        rd.bad ? (strcmp(rd.bad, "eventName") ? "eventData is not an object"
		                                              : "eventName is not a string")
		               : "the event has no eventName");
		return KUDOS_OK;
	}
	int create = strcmp(name, "service-review-created") == 0;
	int update = strcmp(name, "service-review-updated") == 0;
	int del = strcmp(name, "service-review-deleted") == 0;
	if (!create && !update && !del) {
		pg->skipped++;
		tp_warn(pg, pos,
		        "unknown eventName \"%.*s\" (this source reads "
		        "service-review-created, -updated and -deleted); skipped",
		        kudos_jr_clip(name, 80), name);
		return KUDOS_OK;
	}
	if (!data) {
		pg->skipped++;
		tp_warn(pg, pos, "%s has no eventData; skipped", name);
		return KUDOS_OK;
	}
	if (del) {
		pg->deleted++;
		if (kudos_jr_id(cJSON_GetObjectItemCaseSensitive(data, "id"), id, sizeof id) <= 0) {
			tp_warn(pg, pos, "service-review-deleted without a usable review id; "
			                 "skipped");
			pg->skipped++;
			return KUDOS_OK;
		}
		tp_warn(pg, pos,
		        "review %s was deleted on Trustpilot; kudos does not delete items "
		        "from a source: if trustpilot:%s was collected, withdraw it with "
		        "`kudos revoke trustpilot:%s --reason \"deleted on Trustpilot\"`",
		        id, id, id);
		return KUDOS_OK;
	}
	snprintf(sub, sizeof sub, "%s.eventData", pos);
	return tp_review(pg, data, sub);
}

static int events(struct tp_page *pg, const cJSON *arr)
{
	char pos[64];
	int i = 0, rc = KUDOS_OK;
	const cJSON *ev;
	cJSON_ArrayForEach(ev, arr)
	{
		if (pg->host->should_stop(pg->self))
			return KUDOS_ESTOP;
		snprintf(pos, sizeof pos, "events[%d]", i++);
		if ((rc = event(pg, ev, pos)) != KUDOS_OK)
			break;
	}
	return rc;
}

static void warn_errors(struct tp_page *pg, const cJSON *root)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *e;
	char pos[32];
	int i = 0;
	if (!cJSON_IsArray(errs))
		return;
	cJSON_ArrayForEach(e, errs)
	{
		const char *msg = cJSON_IsString(e) ? e->valuestring : kudos_jr_str(NULL, e, "message");
		if (!msg)
			msg = kudos_jr_str(NULL, e, "detail");
		if (!msg)
			msg = "(no message)";
		snprintf(pos, sizeof pos, "errors[%d]", i++);
		tp_warn(pg, pos, "the platform reported: %.*s", kudos_jr_clip(msg, 300), msg);
	}
}

/* The list under `key`, which must be an array when present.  RETURN
 * VALUE 1 found, 0 absent, -1 not a list (error set). */
static int list_of(struct tp_page *pg, const cJSON *root, const char *key, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v)) {
		pg->host->set_error(pg->self,
		                    "%s: \"%s\" is not a list, so this is not a Trustpilot "
		                    "payload; save the body as it came",
		                    pg->file, key);
		return -1;
	}
	*out = v;
	return 1;
}

static int walk(struct tp_page *pg, const cJSON *root)
{
	const cJSON *arr;
	int st;
	if (cJSON_IsArray(root))
		return reviews(pg, root, "");
	if (!cJSON_IsObject(root)) {
		pg->host->set_error(pg->self,
		                    "%s: the JSON is not an object or a list, so it is not "
		                    "a Trustpilot payload; check the source's \"path\"",
		                    pg->file);
		return KUDOS_EINVAL;
	}
	warn_errors(pg, root);
	if ((st = list_of(pg, root, "events", &arr)) != 0)
		return st < 0 ? KUDOS_EINVAL : events(pg, arr);
	if ((st = list_of(pg, root, "reviews", &arr)) != 0)
		return st < 0 ? KUDOS_EINVAL : reviews(pg, arr, "reviews");
	if (cJSON_HasObjectItem(root, "id"))
		return tp_review(pg, root, "(top level)");
	if (cJSON_HasObjectItem(root, "errors"))
		return KUDOS_OK; /* only errors: warned about above */
	pg->host->set_error(pg->self,
	                    "%s: not a Trustpilot payload: expected \"events\" (webhook), "
	                    "\"reviews\" or a review object; check the source's \"path\"",
	                    pg->file);
	return KUDOS_EINVAL;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	const struct tp_run *run = ud;
	const struct kudos_host *h = run->host;
	struct tp_page pg = {.host = h, .self = self, .file = file};
	cJSON *root = NULL;
	int rc = kudos_jr_parse(h, self, file, "a Trustpilot payload", data, len, &root);
	if (rc != KUDOS_OK)
		return rc;
	rc = walk(&pg, root);
	kudos_js_page_free(h, root);
	if (rc == KUDOS_OK)
		h->log(self, KUDOS_LOG_INFO, "%s: %ld reviews, %ld skipped, %ld deletions",
		       file, pg.items, pg.skipped, pg.deleted);
	return rc;
}

static int tp_collect(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	struct tp_ctx *cx = ctx;
	struct tp_run run = {host};
	return kudos_js_each_page(host, self, cx->path, page, &run);
}

static int tp_init(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the each_file service the "
		                      "trustpilot source needs; update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "trustpilot",
	.version = "1.0.0",
	.description = "Trustpilot service reviews: API review objects and review "
	               "webhook events",
	.config = config,
	.context_size = sizeof(struct tp_ctx),
	.init = tp_init,
	.collect = tp_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
