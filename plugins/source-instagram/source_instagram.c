/*
 * source-instagram: testimonials from Instagram Graph API payloads, as
 * saved by whoever fetched them.
 *
 * Job keys:
 *   path   one JSON file, or a folder of page files read in name order
 *          (required).  `paging` in a page is ignored: pages come as files.
 *
 * Payloads read (one JSON document per file):
 *   {"data": [...]}            hashtag recent_media / top_media, /{user}/tags
 *                              (tagged media), /{user}/media, and
 *                              /{media}/comments: each element is a media or
 *                              a comment, told apart by its fields.
 *                              ig_hashtag_search results ({id, name}) are
 *                              noted and skipped.
 *   {"mentioned_media": {...}, "id": ...}    a media that mentions the brand
 *   {"mentioned_comment": {...}, "id": ...}  a comment that mentions it
 *   a single media or comment object, or a bare array of them.
 *   A page that is a Graph API error ({"error": {...}}) is warned about and
 *   yields nothing; an `errors[]` array beside the data is warned about
 *   element by element and the data is still collected.
 *
 * Mapping (every item is a social_post):
 *   media    external id = `id`; text = `caption` verbatim (plain text; a
 *            media without a caption is skipped with a note, and a page
 *            where no media has one gets a warning: request the caption
 *            field); created = `timestamp` (2020-06-19T07:21:40+0000 form);
 *            permalink = `permalink` (else from `shortcode`); media files
 *            from `children.data[]` for carousels, else `media_url`
 *            (VIDEO -> video, everything else -> image), `alt_text` as alt;
 *            meta likes = like_count, replies = comments_count.
 *   comment  every comment in a media's comments.data[] (and their
 *            replies.data[]) is its own item: text = `text`, created =
 *            `timestamp`, likes = like_count, hidden -> meta hidden=true;
 *            in_reply_to = parent_id, else the media or comment it is
 *            nested under, else media.id.
 *   author   handle "@username" (or owner/from.username) and profile URL
 *            https://www.instagram.com/<username>/.  The Graph API gives no
 *            display name here, so the name stays empty rather than being
 *            made up.  Hashtag media never carry a username: such items
 *            (and any without one) keep no author fields and get meta
 *            author_missing=true.
 *   Reposts: the Graph API has no reposts of other people's media, so
 *   there is nothing to map.
 *
 * Bad input: invalid or truncated JSON fails the source naming the file,
 * line and column (nothing of the run is kept); an entry with no id, a
 * member of the wrong type, an unreadable time or a comment without text
 * is skipped with a warning naming the file and position (data[3]).
 *
 * Speed: pages are parsed on every core (host->each_file_parallel, through
 * the SDK's kudos_js_each_page); the host stores the items and prints the
 * warnings and each page's closing line in page order, so a run gives the
 * same store and messages as a serial one.
 *
 * This file: the descriptor, the collect loop and the page shapes.  One
 * media or comment: ig_item.c.  JSON reading: ig_json.c.
 */
#include <kudos/plugin.h>

#include "ig_item.h"
#include <kudos/json_reader.h>
#include <kudos/json_source.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct ig_ctx {
	const char *path;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct ig_ctx, path),
	 "an Instagram Graph API JSON page, or a folder of pages read in name order"},
	{0},
};

/* What every page shares, read-only while pages are read on several
 * threads; a page's own state is its struct ig_page. */
struct ig_run {
	const struct kudos_host *host;
};

/* Each element of a list: data[] or a bare top-level array. */
static int list(struct ig_page *pg, const cJSON *arr, const char *name)
{
	char pos[64];
	int i = 0, rc = KUDOS_OK;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (pg->host->should_stop(pg->self))
			return KUDOS_ESTOP;
		snprintf(pos, sizeof pos, "%s[%d]", name, i++);
		if ((rc = ig_entry(pg, e, pos)) != KUDOS_OK)
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

static void warn_errors(struct ig_page *pg, const cJSON *root)
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

static int single(struct ig_page *pg, const cJSON *root, const char *key,
                  int (*fn)(struct ig_page *, const cJSON *, const char *))
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
	if (cJSON_IsObject(v))
		return fn(pg, v, key);
	pg->skipped++;
	pg->host->log(pg->self, KUDOS_LOG_WARN, "%s: %s is not an object; skipped",
	              pg->file, key);
	return KUDOS_OK;
}

static int top_comment(struct ig_page *pg, const cJSON *c, const char *pos)
{
	return ig_comment(pg, c, pos, NULL, 0);
}

static int walk(struct ig_page *pg, const cJSON *root)
{
	const struct kudos_host *h = pg->host;
	if (cJSON_IsArray(root))
		return list(pg, root, "");
	if (!cJSON_IsObject(root)) {
		h->set_error(pg->self,
		             "%s: the JSON is not an object or a list, so it is not an "
		             "Instagram Graph API page; check the source's \"path\"",
		             pg->file);
		return KUDOS_EINVAL;
	}
	warn_errors(pg, root);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	int known = 0, rc = KUDOS_OK;
	if (data && !cJSON_IsNull(data)) {
		if (!cJSON_IsArray(data)) {
			h->set_error(pg->self,
			             "%s: \"data\" is not a list, so this is not a Graph API "
			             "page; save the response body as it came",
			             pg->file);
			return KUDOS_EINVAL;
		}
		known = 1;
		rc = list(pg, data, "data");
	}
	if (rc == KUDOS_OK && cJSON_HasObjectItem(root, "mentioned_media")) {
		known = 1;
		rc = single(pg, root, "mentioned_media", ig_media);
	}
	if (rc == KUDOS_OK && cJSON_HasObjectItem(root, "mentioned_comment")) {
		known = 1;
		rc = single(pg, root, "mentioned_comment", top_comment);
	}
	if (rc != KUDOS_OK || known)
		return rc;
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
	if (cJSON_HasObjectItem(root, "id"))
		return ig_entry(pg, root, "(top level)");
	h->set_error(pg->self,
	             "%s: not an Instagram Graph API page: expected \"data\", "
	             "\"mentioned_media\", \"mentioned_comment\" or a media object; "
	             "check the source's \"path\"",
	             pg->file);
	return KUDOS_EINVAL;
}

static int page(void *ud, struct kudos_instance *self, const char *file, const char *data,
                size_t len)
{
	const struct ig_run *run = ud;
	const struct kudos_host *h = run->host;
	struct ig_page pg = {.host = h, .self = self, .file = file};
	cJSON *root = NULL;
	int rc = kudos_jr_parse(h, self, file, "a Graph API page", data, len, &root);
	if (rc != KUDOS_OK)
		return rc;
	rc = walk(&pg, root);
	kudos_js_page_free(h, root);
	if (rc != KUDOS_OK)
		return rc;
	h->log(self, KUDOS_LOG_INFO, "%s: %ld items, %ld skipped, %ld without caption",
	       file, pg.items, pg.skipped, pg.no_caption);
	if (pg.items == 0 && pg.no_caption > 0)
		h->log(self, KUDOS_LOG_WARN,
		       "%s: none of its %ld media has a caption, so nothing was "
		       "collected from it; request the caption field (e.g. "
		       "fields=id,caption,media_type,media_url,permalink,timestamp)",
		       file, pg.no_caption);
	return KUDOS_OK;
}

static int ig_collect(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	struct ig_ctx *cx = ctx;
	struct ig_run run = {host};
	return kudos_js_each_page(host, self, cx->path, page, &run);
}

static int ig_init(const struct kudos_host *host, struct kudos_instance *self, void *ctx)
{
	(void)ctx;
	if (!KUDOS_HOST_HAS(host, each_file)) {
		host->set_error(self, "this kudos lacks the each_file service the "
		                      "instagram source needs; update kudos");
		return KUDOS_EFAIL;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "instagram",
	.version = "1.0.0",
	.description = "Instagram Graph API payloads: hashtag, tagged and mentioned "
	               "media, and their comments",
	.config = config,
	.context_size = sizeof(struct ig_ctx),
	.init = ig_init,
	.collect = ig_collect,
};

KUDOS_PLUGIN_DEFINE(descriptor)
