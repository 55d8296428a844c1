/*
 * source-x: posts from X (Twitter) as social_post items.
 *
 * Job keys:
 *   path              a file, or a folder of page files read in name order
 *                     (required).  Each file is either an X API v2
 *                     response (search/recent, search/all, tweet lookup,
 *                     timelines: {"data": [...], "includes": {...},
 *                     "errors": [...], "meta": {...}}) or an archive's
 *                     tweets.js ("window.YTD.tweets.part0 = [...]", or the
 *                     same array without the prefix); the format is told
 *                     from the content, file by file.
 *   archive_username  the archive owner's @username: tweets.js does not
 *                     name its author.  Without it archive items have no
 *                     author and carry author_missing=true.
 *   archive_name      the archive owner's display name (optional).
 *
 * Mapping (x_v2.c and x_archive.c say it in full):
 *   external id = the tweet's id string (numeric ids only up to 2^53);
 *   text verbatim, t.co links as they are, X's &amp;/&lt;/&gt; escaping
 *   undone; v2 note_tweet.text preferred for long posts; created_at (ISO
 *   with milliseconds, or "Sat Aug 12 16:10:37 +0000 2023") in UTC;
 *   author: name, handle "@username", https://x.com/<username>, avatar;
 *   permalink https://x.com/<username>/status/<id>; language unless X's
 *   "und"/"qxx" pseudo-codes; in_reply_to = the replied-to tweet's id;
 *   media: photos, and videos/GIFs by their best mp4 (or their preview
 *   image when the response has no variants); meta: likes, replies,
 *   reposts, quotes, author_id, in_reply_to_user_id, quoted_tweet_id,
 *   conversation_id, sensitive, via_retweet, author_missing.
 *
 * Retweets are never the retweeter's testimonial: they are mapped to the
 * original tweet and its author when the payload carries the original
 * (v2 includes.tweets, v1.1 retweeted_status), and skipped otherwise.
 *
 * Bad input: JSON that does not parse fails the source with file:line:col;
 * a file in neither format fails it naming the file; one bad entry is
 * skipped with a warning naming data[i] / [i].tweet; errors[] entries of a
 * partial response are warned about and the data kept.  At most
 * KUDOS_JS_WARN_SHOWN warnings are shown per file, then one line counts
 * the rest.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one.  The job's keys are read in
 * init() and only read by the pages.
 */
#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>
#include "x_tweet.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct x_ctx, path),
	 "an X API v2 response or archive tweets.js, or a folder of them"},
	{KUDOS_CONFIG_STRING, "archive_username", NULL, 0,
	 offsetof(struct x_ctx, archive_username),
	 "the archive owner's @username (tweets.js does not name its author)"},
	{KUDOS_CONFIG_STRING, "archive_name", NULL, 0,
	 offsetof(struct x_ctx, archive_name),
	 "the archive owner's display name, for tweets.js"},
	{0},
};

/* What the pages read so far add up to; pages finish on several threads,
 * each with its own struct x_run.  `cx` is read-only while pages are read. */
struct x_collect {
	const struct kudos_host *host;
	const struct x_ctx *cx;
	atomic_long files, items;
};

static void summary(const struct x_run *r, const char *format)
{
	r->host->log(r->self, KUDOS_LOG_INFO,
	             "%s (%s): %ld items, %ld retweets skipped (their originals "
	             "are not in the file), %ld entries skipped, %ld refused, "
	             "%ld API errors",
	             r->f.name, format, r->items, r->retweets, r->bad, r->refused,
	             r->api_errors);
}

/* Whether `root` is a v2 response object. */
static int is_v2(const cJSON *root)
{
	static const char *const keys[] = {"data", "errors", "includes", "meta"};
	for (size_t i = 0; i < 4; i++)
		if (cJSON_GetObjectItemCaseSensitive(root, keys[i]))
			return 1;
	return 0;
}

static int is_v1_tweet(const cJSON *root)
{
	return kudos_js_obj(root, "tweet") || cJSON_GetObjectItemCaseSensitive(root, "id_str") ||
	       cJSON_GetObjectItemCaseSensitive(root, "full_text");
}

static int on_file(void *ud, struct kudos_instance *self, const char *file, const char *data,
                   size_t len)
{
	struct x_collect *c = ud;
	struct x_run r = {0};
	size_t i = 0, skip = 0;
	int rc, archive = 0;

	r.host = c->host;
	r.self = self;
	r.cx = c->cx;
	kudos_js_file_init(&r.f, c->host, self, file);
	atomic_fetch_add(&c->files, 1);

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", data[i]) && data[i])
		i++;
	if (len - i >= 11 && memcmp(data + i, "window.YTD.", 11) == 0) {
		const char *eq = memchr(data + i, '=', len - i);
		if (!eq) {
			c->host->set_error(self,
			                   "%s: starts like an X archive file "
			                   "(window.YTD...) but has no '='; export the "
			                   "archive again",
			                   file);
			return KUDOS_EINVAL;
		}
		skip = (size_t)(eq + 1 - data);
		archive = 1;
	}
	cJSON *root = kudos_js_parse(&r.f, data, len, skip, &rc);
	if (!root)
		return rc;
	if (cJSON_IsArray(root) || (!archive && cJSON_IsObject(root) && !is_v2(root) &&
	                            is_v1_tweet(root))) {
		rc = x_archive_read(&r, root);
		summary(&r, "archive");
	} else if (!archive && cJSON_IsObject(root) && is_v2(root)) {
		rc = x_v2_read(&r, root);
		summary(&r, "API v2");
	} else {
		c->host->set_error(self,
		                   "%s: neither an X API v2 response (an object with "
		                   "\"data\") nor an archive tweets.js (a list of "
		                   "tweets); point \"path\" at the saved responses",
		                   file);
		rc = KUDOS_EINVAL;
	}
	kudos_js_file_end(&r.f);
	atomic_fetch_add(&c->items, r.items);
	kudos_js_page_free(c->host, root);
	return rc;
}

static int x_collect_cb(const struct kudos_host *host, struct kudos_instance *self,
                        void *ctx)
{
	struct x_collect c = {.host = host, .cx = ctx};
	int rc = kudos_js_each_page(host, self, c.cx->path, on_file, &c);
	if (rc == KUDOS_OK)
		host->log(self, KUDOS_LOG_INFO, "%ld files, %ld items", (long)c.files,
		          (long)c.items);
	return rc;
}

static int x_init_cb(const struct kudos_host *host, struct kudos_instance *self,
                     void *ctx)
{
	struct x_ctx *cx = ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks each_file, which the x source "
		                      "needs; update kudos");
		return KUDOS_EFAIL;
	}
	if (cx->archive_username) {
		const char *u = cx->archive_username + (cx->archive_username[0] == '@');
		size_t n = strlen(u);
		if (n == 0 || n > 50 ||
		    strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n) {
			host->set_error(self,
			                "archive_username \"%s\" is not an X username; "
			                "write it as on the profile, e.g. \"@acme_fan\"",
			                cx->archive_username);
			return KUDOS_EINVAL;
		}
		cx->archive_username = u;
	}
	if (cx->archive_name && !cx->archive_name[0])
		cx->archive_name = NULL;
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "x",
	.version = "1.0.0",
	.description = "posts from X (Twitter): API v2 responses and archive "
	               "tweets.js; retweets mapped to the original or skipped",
	.config = config,
	.context_size = sizeof(struct x_ctx),
	.init = x_init_cb,
	.collect = x_collect_cb,
};

KUDOS_PLUGIN_DEFINE(descriptor)
