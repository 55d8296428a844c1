/*
 * source-bluesky: posts from Bluesky (AT Protocol) API responses saved to
 * files.
 *
 * Job keys:
 *   path   a file, or a folder of page files read in name order (required)
 *
 * Payloads (each file one JSON value, as the XRPC call returned it):
 *   - {"posts": [postView...]}: app.bsky.feed.searchPosts, getPosts,
 *     getQuotes;
 *   - {"feed": [{"post", "reply", "reason"}...]}: getAuthorFeed,
 *     getTimeline, getFeed, getListFeed;
 *   - {"thread": threadViewPost}: getPostThread (the post, its parents and
 *     its replies, all of them);
 *   - one postView, or an array of postViews or feed items.
 * Pagination: save each page (its `cursor` fetches the next) as its own
 * file in one folder, named so that they sort.
 *
 * Mapping (bluesky_post.c), kind social_post:
 *   external id   the post's AT URI, at://DID/app.bsky.feed.post/RKEY: a
 *                 record key alone is unique only within one account
 *   text          `record.text`, verbatim (facets only annotate it)
 *   author        handle "@handle"; name `displayName`, or the handle when
 *                 that is empty (as Bluesky shows it); profile
 *                 https://bsky.app/profile/HANDLE; avatar; metadata
 *                 author_did.  A handle of "handle.invalid" is not
 *                 published as a handle (the DID stands in the URLs).  A
 *                 post without an author keeps no author fields and gets
 *                 the metadata author_missing=true.
 *   created       `record.createdAt` (else `indexedAt`), UTC
 *   language      `record.langs[0]`
 *   permalink     https://bsky.app/profile/HANDLE/post/RKEY
 *   in_reply_to   `record.reply.parent.uri`, an AT URI like the ids
 *   media         embed views: images#view (`fullsize`, `alt`),
 *                 video#view (`playlist`, `alt`), and the media of
 *                 recordWithMedia#view; an external link and a quoted post
 *                 become the metadata link and quoted
 *   metadata      likes, replies, reposts, quotes (the *Count members), cid
 * Reposts: a feed item whose `reason` is a reasonRepost is someone else's
 * post shared by the reposter, not the reposter's testimonial.  It is
 * mapped to the original post and its own author, with the metadata
 * reposted_by (the reposter's handle).  The `reply` context of a feed item
 * (the parent and root, other people's posts) is not collected.
 *
 * Bad input: a file that is not JSON (or is truncated) fails the source
 * with the file, line and column, and nothing of the run is kept; an XRPC
 * error body or a file of another shape fails it as well; one bad post is
 * skipped with a warning naming the file and its position, e.g.
 * "feed.json: feed[3].post"; posts the network no longer shows (notFound,
 * blocked) are counted in the summary.  At most BSK_WARN_SHOWN warnings
 * are shown per page; the rest are counted in the closing summary.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings in page order, so a run gives the same store and messages as a
 * serial one.
 */
#include "bluesky.h"

#include <kudos/json_source.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct bsk_ctx, path),
	 "a saved XRPC response (searchPosts, getAuthorFeed, getPostThread, a "
	 "post view), or a folder of such pages read in name order"},
	{0},
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* A feed item {post, reply, reason} at `where`. */
static int feed_item(struct bsk_run *r, const cJSON *fi, const char *where)
{
	char at[128];
	const cJSON *post = bsk_get(fi, "post"), *reason = bsk_get(fi, "reason");
	const char *rt = bsk_str(reason, "$type");

	if (!cJSON_IsObject(post)) {
		r->posts++;
		r->skipped++;
		bsk_warn(r, "%s has no \"post\" (an object); skipped", where);
		return KUDOS_OK;
	}
	snprintf(at, sizeof at, "%s.post", where);
	/* Only a repost changes who shared it; a pin (reasonPin) does not. */
	if (!rt || !strstr(rt, "#reasonRepost"))
		reason = NULL;
	return bsk_post(r, post, reason, at);
}

/* Every element of `list`: feed items (feed > 0), post views (feed ==
 * 0), or either, told apart by their members (feed < 0). */
static int each(struct bsk_run *r, const cJSON *list, const char *prefix, int feed)
{
	char where[96];
	long i = 0;
	const cJSON *e;
	int rc = KUDOS_OK;

	cJSON_ArrayForEach(e, list)
	{
		if (r->host->should_stop(r->self))
			return KUDOS_ESTOP;
		snprintf(where, sizeof where, "%s[%ld]", prefix, i++);
		if (feed > 0 || (feed < 0 && bsk_get(e, "post") && !bsk_get(e, "uri")))
			rc = feed_item(r, e, where);
		else
			rc = bsk_post(r, e, NULL, where);
		if (rc != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

/* A threadViewPost: its parents, the post, its replies.  cJSON's nesting
 * limit bounds the recursion. */
static int thread(struct bsk_run *r, const cJSON *t, const char *where)
{
	char at[160];
	const cJSON *parent = bsk_get(t, "parent"), *reply;
	int rc;
	long i = 0;

	if (r->host->should_stop(r->self))
		return KUDOS_ESTOP;
	if (!cJSON_IsObject(t))
		return KUDOS_OK;
	if (!bsk_get(t, "post")) {
		/* #notFoundPost, #blockedPost: the thread goes on around it. */
		r->posts++;
		r->unavailable++;
		return KUDOS_OK;
	}
	/* Positions name the last step only, so that they stay short. */
	if (cJSON_IsObject(parent) && (rc = thread(r, parent, "...parent")) != KUDOS_OK)
		return rc;
	snprintf(at, sizeof at, "%s.post", where);
	if ((rc = bsk_post(r, bsk_get(t, "post"), NULL, at)) != KUDOS_OK)
		return rc;
	cJSON_ArrayForEach(reply, bsk_get(t, "replies"))
	{
		snprintf(at, sizeof at, "...replies[%ld]", i++);
		/* Replies hold no parent member: the post above is it. */
		if ((rc = thread(r, reply, at)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

static int payload(struct bsk_run *r, const cJSON *root)
{
	const struct kudos_host *h = r->host;
	const cJSON *v;

	if (cJSON_IsArray(root))
		return each(r, root, "", -1);
	if (cJSON_IsArray(v = bsk_get(root, "posts")))
		return each(r, v, "posts", 0);
	if (cJSON_IsArray(v = bsk_get(root, "feed")))
		return each(r, v, "feed", 1);
	if (cJSON_IsObject(v = bsk_get(root, "thread")))
		return thread(r, v, "thread");
	if (bsk_get(root, "uri") && bsk_get(root, "record"))
		return bsk_post(r, root, NULL, "the post");
	if (bsk_str(root, "error")) {
		const char *msg = bsk_str(root, "message");
		h->set_error(r->self,
		             "%s is an XRPC error response (%.80s%s%.200s), not "
		             "posts; fetch the page again or remove the file",
		             r->file, bsk_str(root, "error"), msg ? ": " : "",
		             msg ? msg : "");
		return KUDOS_EINVAL;
	}
	h->set_error(r->self,
	             "%s holds no Bluesky posts: expected a searchPosts, "
	             "getAuthorFeed or getPostThread response, or a post view; "
	             "check the source's \"path\"",
	             r->file);
	return KUDOS_EINVAL;
}

/* Parse r->file's data[0..len) and read its posts. */
static int read_page(struct bsk_run *r, const char *data, size_t len)
{
	const char *file = r->file;
	const char *end = NULL;
	long line, col;

	if (strspn(data, " \t\r\n") == len) {
		r->host->set_error(r->self,
		                   "%s is empty; save the API response into it, or "
		                   "remove it",
		                   file);
		return KUDOS_EINVAL;
	}
	cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	size_t off = end && end >= data && end <= data + len ? (size_t)(end - data) : len;
	if (root) {
		while (off < len && data[off] && strchr(" \t\r\n", data[off]))
			off++;
		if (off >= len) {
			int rc = payload(r, root);
			kudos_js_page_free(r->host, root);
			return rc;
		}
		kudos_js_page_free(r->host, root);
	} else if (bsk_unfinished(data, len)) {
		off = len;
	}
	bsk_position(data, len, off, &line, &col);
	if (off >= len)
		r->host->set_error(r->self,
		                   "%s:%ld:%ld: the JSON ends too early (a truncated "
		                   "download?); fetch the page again",
		                   file, line, col);
	else
		r->host->set_error(r->self,
		                   "%s:%ld:%ld: %s; fix the file or fetch it again",
		                   file, line, col,
		                   root ? "text follows the JSON value"
		                        : "this is not valid JSON");
	return KUDOS_EINVAL;
}

/* What the pages read so far add up to; pages finish on several threads. */
struct bsk_totals {
	const struct kudos_host *host;
	atomic_long files, posts, items, reposts, unavailable, skipped, refused, hidden;
};

static void add_page(struct bsk_totals *t, const struct bsk_run *r)
{
	atomic_fetch_add(&t->files, 1);
	atomic_fetch_add(&t->posts, r->posts);
	atomic_fetch_add(&t->items, r->items);
	atomic_fetch_add(&t->reposts, r->reposts);
	atomic_fetch_add(&t->unavailable, r->unavailable);
	atomic_fetch_add(&t->skipped, r->skipped);
	atomic_fetch_add(&t->refused, r->refused);
	atomic_fetch_add(&t->hidden, r->hidden);
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	struct bsk_totals *t = ud;
	struct bsk_run r = {.host = t->host, .self = self, .file = file, .base = base_name(file)};
	int rc = read_page(&r, data, len);
	add_page(t, &r);
	return rc;
}

static int bsk_collect(const struct kudos_host *host, struct kudos_instance *self,
                       void *ctx)
{
	struct bsk_ctx *cx = ctx;
	struct bsk_totals t = {.host = host};
	int rc = kudos_js_each_page(host, self, cx->path, page, &t);
	if (rc != KUDOS_OK)
		return rc;
	long files = t.files, posts = t.posts, reposts = t.reposts, items = t.items;
	host->log(self, KUDOS_LOG_INFO,
	          "%ld file%s, %ld post%s (%ld repost%s): %ld item%s, %ld no "
	          "longer shown, %ld skipped, %ld refused",
	          files, files == 1 ? "" : "s", posts, posts == 1 ? "" : "s", reposts,
	          reposts == 1 ? "" : "s", items, items == 1 ? "" : "s", (long)t.unavailable,
	          (long)t.skipped, (long)t.refused);
	if (t.hidden)
		host->log(self, KUDOS_LOG_WARN, "%ld more warnings were not shown",
		          (long)t.hidden);
	return KUDOS_OK;
}

static int bsk_init(const struct kudos_host *host, struct kudos_instance *self,
                    void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the services the bluesky "
		                      "source needs (each_file); update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "bluesky",
	.version = "1.0.0",
	.description = "posts from saved Bluesky API responses (searchPosts, "
	               "getAuthorFeed, getPostThread, post views)",
	.config = config,
	.context_size = sizeof(struct bsk_ctx),
	.init = bsk_init,
	.collect = bsk_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
