/*
 * source-reddit: Reddit posts and comments as social_post items.
 *
 * Job keys:
 *   path   a file, or a folder of page files read in name order
 *          (required): Reddit JSON responses saved as they came, e.g.
 *          /r/{sub}/search.json, /r/{sub}/comments.json, /user/{u}/...
 *          (a Listing), or /comments/{id}.json (the two-element array
 *          [post Listing, comment Listing]).
 *
 * The walk: a Listing's data.children are things; t3 (post) and t1
 * (comment) become items (reddit_thing.c says how), a comment's `replies`
 * Listing is walked in turn (any depth), "more" stubs (comments not
 * loaded) are counted and skipped, other kinds are skipped with a
 * warning.  A response saved from PRAW's test cassettes is the cassette's
 * body string written out as a file (see the fixtures' SOURCES.md).
 *
 * Crossposts are reposts: mapped to the original post when the response
 * carries it (crosspost_parent_list), skipped otherwise.
 * Deleted authors ("[deleted]") keep their words with no author fields and
 * author_missing=true; removed or deleted bodies are skipped with a note
 * (shown with -v), as there is nothing left to quote.
 *
 * Bad input: JSON that does not parse fails the source with file:line:col;
 * a file that is neither a Listing, a list of Listings nor a thing fails
 * it naming the file; one bad child is skipped with a warning naming its
 * position (e.g. [1].children[3].replies.children[0]).  At most
 * KUDOS_JS_WARN_SHOWN warnings are shown per file, then one line counts
 * the rest.
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one.
 */
#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>
#include "reddit_thing.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Deeper reply chains than this are not walked (cJSON's own nesting
 * limit stops far earlier in practice). */
#define MAX_DEPTH 400

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct rd_ctx, path),
	 "a saved Reddit Listing or /comments response, or a folder of them"},
	{0},
};

/* `pos` + `seg` + "[k]", keeping the tail of a long position. */
static void sub_pos(char *out, size_t cap, const char *pos, const char *seg, int k)
{
	size_t n = strlen(pos);
	const char *tail = n > 90 ? pos + n - 87 : pos;
	if (!*pos && *seg == '.')
		seg++;
	snprintf(out, cap, "%s%s%s[%d]", tail == pos ? "" : "...", tail, seg, k);
}

static int walk(struct rd_run *r, const cJSON *v, const char *pos, int depth);

/* One element of a Listing's children. */
static int thing(struct rd_run *r, const cJSON *t, const char *pos, int depth)
{
	const char *kind = kudos_js_str(t, "kind");
	const cJSON *data = kudos_js_obj(t, "data");
	char sub[128];
	int rc;

	if (r->host->should_stop(r->self))
		return KUDOS_ESTOP;
	if (!kind || !data) {
		kudos_js_warn(&r->f, "%s: not a Reddit thing (no \"kind\" and \"data\"); skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	if (strcmp(kind, "t3") == 0)
		return rd_post(r, data, pos);
	if (strcmp(kind, "more") == 0) {
		r->more++;
		return KUDOS_OK;
	}
	if (strcmp(kind, "Listing") == 0)
		return walk(r, t, pos, depth + 1);
	if (strcmp(kind, "t1") != 0) {
		kudos_js_warn(&r->f, "%s: a \"%.20s\" thing is not a post or comment; skipped",
		        pos, kind);
		r->other++;
		return KUDOS_OK;
	}
	if ((rc = rd_comment(r, data, pos)) != KUDOS_OK)
		return rc;
	/* replies: "" when there are none, else a Listing. */
	const cJSON *replies = kudos_js_obj(data, "replies");
	if (!replies)
		return KUDOS_OK;
	snprintf(sub, sizeof sub, "%s.replies", pos);
	return walk(r, replies, strlen(sub) < sizeof sub - 1 ? sub : pos, depth + 1);
}

static int walk(struct rd_run *r, const cJSON *v, const char *pos, int depth)
{
	char sub[128];
	const cJSON *e;
	int k = 0, rc;

	if (depth > MAX_DEPTH) {
		kudos_js_warn(&r->f, "%s: replies nested deeper than %d levels; not read",
		        pos, MAX_DEPTH);
		return KUDOS_OK;
	}
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v)
		{
			sub_pos(sub, sizeof sub, pos, "", k++);
			if ((rc = walk(r, e, sub, depth + 1)) != KUDOS_OK)
				return rc;
		}
		return KUDOS_OK;
	}
	const char *kind = kudos_js_str(v, "kind");
	if (!kind || strcmp(kind, "Listing") != 0)
		return thing(r, v, pos, depth);
	const cJSON *children = kudos_js_arr(kudos_js_obj(v, "data"), "children");
	if (!children) {
		kudos_js_warn(&r->f, "%s: a Listing without data.children; skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	cJSON_ArrayForEach(e, children)
	{
		sub_pos(sub, sizeof sub, pos, ".children", k++);
		if ((rc = thing(r, e, sub, depth)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}

/* What the pages read so far add up to; pages finish on several threads,
 * each with its own struct rd_run. */
struct rd_collect {
	const struct kudos_host *host;
	atomic_long files, items;
};

static int on_file(void *ud, struct kudos_instance *self, const char *file, const char *data,
                   size_t len)
{
	struct rd_collect *c = ud;
	struct rd_run r = {0};
	int rc;

	r.host = c->host;
	r.self = self;
	kudos_js_file_init(&r.f, c->host, self, file);
	atomic_fetch_add(&c->files, 1);
	cJSON *root = kudos_js_parse(&r.f, data, len, 0, &rc);
	if (!root)
		return rc;
	const char *kind = kudos_js_str(root, "kind");
	if (!cJSON_IsArray(root) &&
	    !(kind && (strcmp(kind, "Listing") == 0 || strcmp(kind, "t1") == 0 ||
	               strcmp(kind, "t3") == 0))) {
		c->host->set_error(self,
		                   "%s: not a Reddit response (a Listing, the "
		                   "[post, comments] pair of /comments/{id}, or a "
		                   "t1/t3 thing); save the .json response unchanged",
		                   file);
		kudos_js_page_free(c->host, root);
		return KUDOS_EINVAL;
	}
	rc = walk(&r, root, "", 0);
	if (rc == KUDOS_OK)
		c->host->log(self, KUDOS_LOG_INFO,
		             "%s: %ld items, %ld removed or deleted, %ld crossposts "
		             "without their original, %ld \"more\" stubs, %ld other "
		             "things, %ld entries skipped, %ld refused",
		             r.f.name, r.items, r.removed, r.crossposts, r.more, r.other,
		             r.bad, r.refused);
	kudos_js_file_end(&r.f);
	atomic_fetch_add(&c->items, r.items);
	kudos_js_page_free(c->host, root);
	return rc;
}

static int rd_collect_cb(const struct kudos_host *host, struct kudos_instance *self,
                         void *ctx)
{
	const struct rd_ctx *cx = ctx;
	struct rd_collect c = {.host = host};
	int rc = kudos_js_each_page(host, self, cx->path, on_file, &c);
	if (rc == KUDOS_OK)
		host->log(self, KUDOS_LOG_INFO, "%ld files, %ld items", (long)c.files,
		          (long)c.items);
	return rc;
}

static int rd_init_cb(const struct kudos_host *host, struct kudos_instance *self,
                      void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks each_file, which the reddit "
		                      "source needs; update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "reddit",
	.version = "1.0.0",
	.description = "Reddit posts and comments from saved Listings and "
	               "/comments responses (nested replies walked)",
	.config = config,
	.context_size = sizeof(struct rd_ctx),
	.init = rd_init_cb,
	.collect = rd_collect_cb,
};

KUDOS_PLUGIN_DEFINE(descriptor)
