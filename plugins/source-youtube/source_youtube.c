/*
 * source-youtube: YouTube comments as video_comment items.
 *
 * Job keys:
 *   path   a file, or a folder of page files read in name order
 *          (required): YouTube Data API v3 responses saved as they came,
 *          commentThreads.list (youtube#commentThreadListResponse) or
 *          comments.list (youtube#commentListResponse), or a single
 *          youtube#commentThread / youtube#comment resource.
 *
 * The walk: each items[] entry that is a thread gives its
 * snippet.topLevelComment and every replies.comments[] entry (a thread
 * carries only some replies; comments.list?parentId= pages bring the
 * rest); each entry that is a comment gives itself.  youtube_comment.c
 * says how a comment becomes an item.  The same comment met again on a
 * later page replaces the earlier copy.
 *
 * Bad input: JSON that does not parse fails the source with file:line:col;
 * a file that is none of the shapes above fails it naming the file; an
 * API error response ({"error": {...}}) is warned about and yields
 * nothing; one bad entry is skipped with a warning naming its position
 * (e.g. items[3].replies.comments[1]).  At most KUDOS_JS_WARN_SHOWN
 * warnings are shown per file, then one line counts the rest.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one (a comment met again on a later
 * page still replaces the earlier copy).
 */
#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include "youtube_comment.h"
#include <kudos/json_source.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct yt_ctx, path),
	 "a saved commentThreads.list or comments.list response, or a folder "
	 "of them"},
	{0},
};

static int kind_is(const cJSON *o, const char *kind)
{
	const char *k = kudos_js_str(o, "kind");
	return k && strcmp(k, kind) == 0;
}

static int thread(struct yt_run *r, const cJSON *t, const char *pos)
{
	const cJSON *sn = kudos_js_obj(t, "snippet"), *top = kudos_js_obj(sn, "topLevelComment"), *c;
	struct yt_thread th = {0};
	char sub[128];
	int k = 0, rc;

	if (!top) {
		kudos_js_warn(&r->f, "%s: a comment thread without snippet.topLevelComment; "
		               "skipped",
		        pos);
		r->bad++;
		return KUDOS_OK;
	}
	th.video_id = kudos_js_nonempty(sn, "videoId");
	th.parent_id = kudos_js_nonempty(top, "id");
	th.reply_count = cJSON_GetObjectItemCaseSensitive(sn, "totalReplyCount");
	snprintf(sub, sizeof sub, "%s.snippet.topLevelComment", pos);
	if ((rc = yt_comment(r, top, &th, sub)) != KUDOS_OK)
		return rc;
	th.reply_count = NULL;
	cJSON_ArrayForEach(c, kudos_js_arr(kudos_js_obj(t, "replies"), "comments"))
	{
		if (r->host->should_stop(r->self))
			return KUDOS_ESTOP;
		snprintf(sub, sizeof sub, "%s.replies.comments[%d]", pos, k++);
		if ((rc = yt_comment(r, c, &th, sub)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

static int entry(struct yt_run *r, const cJSON *e, const char *pos)
{
	if (kind_is(e, "youtube#commentThread") || kudos_js_obj(kudos_js_obj(e, "snippet"), "topLevelComment"))
		return thread(r, e, pos);
	if (kind_is(e, "youtube#comment") || !kudos_js_str(e, "kind"))
		return yt_comment(r, e, NULL, pos);
	kudos_js_warn(&r->f, "%s: a \"%.40s\" is not a comment or comment thread; skipped", pos,
	        kudos_js_str(e, "kind"));
	r->bad++;
	return KUDOS_OK;
}

static void api_error(struct yt_run *r, const cJSON *err)
{
	char code[KUDOS_JS_NUM_SIZE];
	const char *msg = kudos_js_str(err, "message");
	const char *reason = kudos_js_str(cJSON_GetArrayItem(kudos_js_arr(err, "errors"), 0), "reason");
	const char *c = kudos_js_count(cJSON_GetObjectItemCaseSensitive(err, "code"), code);
	kudos_js_warn(&r->f, "the file is a YouTube API error response (HTTP %s: %.200s%s%s), "
	               "not comments; fetch that page again",
	        c ? c : "?", msg ? msg : "no message", reason ? "; reason " : "",
	        reason ? reason : "");
	r->api_errors++;
}

/* What the pages read so far add up to; pages finish on several threads,
 * each with its own struct yt_run. */
struct yt_collect {
	const struct kudos_host *host;
	atomic_long files, items;
};

static int on_file(void *ud, struct kudos_instance *self, const char *file, const char *data,
                   size_t len)
{
	struct yt_collect *c = ud;
	struct yt_run r = {0};
	const cJSON *e;
	char pos[32];
	int rc, k = 0;

	r.host = c->host;
	r.self = self;
	kudos_js_file_init(&r.f, c->host, self, file);
	atomic_fetch_add(&c->files, 1);
	cJSON *root = kudos_js_parse(&r.f, data, len, 0, &rc);
	if (!root)
		return rc;
	const cJSON *items = kudos_js_arr(root, "items");
	if (kudos_js_obj(root, "error")) {
		api_error(&r, kudos_js_obj(root, "error"));
	} else if (items) {
		cJSON_ArrayForEach(e, items)
		{
			if (c->host->should_stop(self)) {
				rc = KUDOS_ESTOP;
				break;
			}
			snprintf(pos, sizeof pos, "items[%d]", k++);
			if ((rc = entry(&r, e, pos)) != KUDOS_OK)
				break;
		}
	} else if (kind_is(root, "youtube#commentThread") || kind_is(root, "youtube#comment")) {
		rc = entry(&r, root, "(the resource)");
	} else {
		c->host->set_error(self,
		                   "%s: not a YouTube commentThreads.list or "
		                   "comments.list response (no \"items\" list); save "
		                   "the API response unchanged",
		                   file);
		rc = KUDOS_EINVAL;
	}
	if (rc == KUDOS_OK)
		c->host->log(self, KUDOS_LOG_INFO,
		             "%s: %ld items, %ld entries skipped, %ld refused", r.f.name,
		             r.items, r.bad, r.refused);
	kudos_js_file_end(&r.f);
	atomic_fetch_add(&c->items, r.items);
	kudos_js_page_free(c->host, root);
	return rc;
}

static int yt_collect_cb(const struct kudos_host *host, struct kudos_instance *self,
                         void *ctx)
{
	const struct yt_ctx *cx = ctx;
	struct yt_collect c = {.host = host};
	int rc = kudos_js_each_page(host, self, cx->path, on_file, &c);
	if (rc == KUDOS_OK)
		host->log(self, KUDOS_LOG_INFO, "%ld files, %ld items", (long)c.files,
		          (long)c.items);
	return rc;
}

static int yt_init_cb(const struct kudos_host *host, struct kudos_instance *self,
                      void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks each_file, which the youtube "
		                      "source needs; update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "youtube",
	.version = "1.0.0",
	.description = "YouTube comments from saved commentThreads.list and "
	               "comments.list responses",
	.config = config,
	.context_size = sizeof(struct yt_ctx),
	.init = yt_init_cb,
	.collect = yt_collect_cb,
};

KUDOS_PLUGIN_DEFINE(descriptor)
