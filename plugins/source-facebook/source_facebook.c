/*
 * source-facebook: testimonials from Facebook Graph API payloads, as saved
 * by whoever fetched them.
 *
 * Job keys:
 *   path   one JSON file, or a folder of page files read in name order
 *          (required).  `paging` and `summary` in a page are ignored: pages
 *          come as files.
 *
 * Payloads read (one JSON document per file):
 *   {"data": [...]}   /{object}/comments (comments) and /{page}/feed,
 *                     /posts, /published_posts (posts); comments nested
 *                     under a post or a comment in comments.data[] are
 *                     read too.
 *   a single post or comment object (GET /{id}?fields=...), or a bare
 *   array of them.  A page that is a Graph API error ({"error": {...}}) is
 *   warned about and yields nothing; an `errors[]` array beside the data
 *   is warned about element by element and the data is still collected.
 *
 * Mapping (every item is a social_post):
 *   external id  `id`.  When the payload did not ask for it (the fields
 *                list lacked id) but has `permalink_url`, Graph's
 *                "<post>_<comment>" id is rebuilt from the URL's
 *                comment_id / reply_comment_id (and a reply's parent from
 *                its comment_id); with neither, the entry is skipped with a
 *                warning.
 *   text         `message`, verbatim.  A post with only a `story` (an
 *                activity line Facebook wrote, "X updated their cover
 *                photo"), a share without words of its own, or a comment
 *                that is only a sticker/photo is skipped with a note; any
 *                other entry without a message with a warning.
 *   times        created_time / updated_time ("2021-08-10T18:45:03+0000").
 *   author       from.name, from.link (profile), from.picture.data.url
 *                (avatar).  Graph has no handles.  No `from` (withheld by
 *                Graph without the right permission) or no name: no
 *                author fields and meta author_missing=true.
 *   in_reply_to  parent.id, else the post or comment the entry is nested
 *                under (comments.data[]), else the parent taken from the
 *                permalink.
 *   permalink    permalink_url.
 *   media        a comment's `attachment`, a post's attachments.data[]
 *                (and subattachments): photos, albums, stickers and
 *                animated images as image (media.image.src), videos as
 *                video (media.source); link previews and shares are not
 *                the author's media and are left out; `full_picture` when
 *                there are no attachments.  Graph gives no alt text.
 *   counts       meta likes (like_count, else reactions/likes
 *                summary.total_count), replies (comment_count, else
 *                comments.summary.total_count), reposts (shares.count).
 *   Shares: a post that shares another (`parent_id`) is the sharer's only
 *   through its own words: with a message it is kept as the sharer's item
 *   with meta shared_from=<parent_id>; the shared post is never attributed
 *   to the sharer; without a message it is skipped with a note.
 *
 * Bad input: invalid or truncated JSON fails the source naming the file,
 * line and column (nothing of the run is kept); an entry with a member of
 * the wrong type or an unreadable time is skipped with a warning naming
 * the file and position (data[3].comments.data[0]).
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one.
 *
 * This file: the descriptor, the collect loop and the page shapes.  One
 * entry: fb_entry.c.  JSON reading: fb_json.c.
 */
#include <kudos/plugin.h>

#include "fb_entry.h"
#include <kudos/json_reader.h>
#include <kudos/json_source.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct fb_ctx {
	const char *path;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct fb_ctx, path),
	 "a Facebook Graph API JSON page, or a folder of pages read in name order"},
	{0},
};

/* What every page shares, read-only while pages are read on several
 * threads; a page's own state is its struct fb_page. */
struct fb_run {
	const struct kudos_host *host;
};

static int list(struct fb_page *pg, const cJSON *arr, const char *name)
{
	char pos[64];
	int i = 0, rc = KUDOS_OK;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (pg->host->should_stop(pg->self))
			return KUDOS_ESTOP;
		snprintf(pos, sizeof pos, "%s[%d]", name, i++);
		if ((rc = fb_entry(pg, e, pos, NULL, 0)) != KUDOS_OK)
			break;
	}
	return rc;
}

/* The message of one element of errors[] or of an error object. */
static const char *error_text(const cJSON *e)
{
	static const char *const keys[] = {"message", "detail", "title", "error_user_msg", NULL};
	if (cJSON_IsString(e))
		return e->valuestring;
	for (size_t i = 0; keys[i]; i++) {
		const char *s = kudos_jr_str(NULL, e, keys[i]);
		if (s && *s)
			return s;
	}
	return "(no message)";
}

static void warn_errors(struct fb_page *pg, const cJSON *root)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *e;
	int i = 0;
	if (!cJSON_IsArray(errs))
		return;
	cJSON_ArrayForEach(e, errs)
	{
		const char *msg = error_text(e);
		pg->host->log(pg->self, KUDOS_LOG_WARN,
		              "%s: errors[%d]: the platform reported: %.*s", pg->file, i++,
		              kudos_jr_clip(msg, 300), msg);
	}
}

static int walk(struct fb_page *pg, const cJSON *root)
{
	const struct kudos_host *h = pg->host;
	if (cJSON_IsArray(root))
		return list(pg, root, "");
	if (!cJSON_IsObject(root)) {
		h->set_error(pg->self,
		             "%s: the JSON is not an object or a list, so it is not a "
		             "Facebook Graph API page; check the source's \"path\"",
		             pg->file);
		return KUDOS_EINVAL;
	}
	warn_errors(pg, root);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (data && !cJSON_IsNull(data)) {
		if (!cJSON_IsArray(data)) {
			h->set_error(pg->self,
			             "%s: \"data\" is not a list, so this is not a Graph API "
			             "page; save the response body as it came",
			             pg->file);
			return KUDOS_EINVAL;
		}
		return list(pg, data, "data");
	}
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsObject(err)) {
		const char *msg = error_text(err);
		char code[32] = "";
		kudos_jr_count(NULL, err, "code", code);
		h->log(pg->self, KUDOS_LOG_WARN,
		       "%s: the page is a Graph API error%s%s%s: %.*s; nothing collected "
		       "from it (fetch the page again)",
		       pg->file, *code ? " (code " : "", code, *code ? ")" : "",
		       kudos_jr_clip(msg, 300), msg);
		return KUDOS_OK;
	}
	if (cJSON_HasObjectItem(root, "id") || cJSON_HasObjectItem(root, "message") ||
	    cJSON_HasObjectItem(root, "permalink_url"))
		return fb_entry(pg, root, "(top level)", NULL, 0);
	h->set_error(pg->self,
	             "%s: not a Facebook Graph API page: expected \"data\" or a post "
	             "or comment object; check the source's \"path\"",
	             pg->file);
	return KUDOS_EINVAL;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	const struct fb_run *run = ud;
	const struct kudos_host *h = run->host;
	struct fb_page pg = {.host = h, .self = self, .file = file};
	cJSON *root = NULL;
	int rc = kudos_jr_parse(h, self, file, "a Graph API page", data, len, &root);
	if (rc != KUDOS_OK)
		return rc;
	rc = walk(&pg, root);
	kudos_js_page_free(h, root);
	if (rc == KUDOS_OK)
		h->log(self, KUDOS_LOG_INFO,
		       "%s: %ld items, %ld skipped, %ld without a message of their own",
		       file, pg.items, pg.skipped, pg.notes);
	return rc;
}

static int fb_collect(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	struct fb_ctx *cx = ctx;
	struct fb_run run = {host};
	return kudos_js_each_page(host, self, cx->path, page, &run);
}

static int fb_init(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the each_file service the "
		                      "facebook source needs; update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "facebook",
	.version = "1.0.0",
	.description = "Facebook Graph API payloads: object comments and page feed posts",
	.config = config,
	.context_size = sizeof(struct fb_ctx),
	.init = fb_init,
	.collect = fb_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
