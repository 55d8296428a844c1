/*
 * widget-json: the website widget's data file (schema "kudos.widget/1",
 * documented field by field in sdk/schema/widget.v1.schema.json).
 *
 * Contract.  The render gate hands consume() every item approved, granted
 * for this output's scope, inside its grant's window and not opted out,
 * credit-redacted, newest first.  consume() leaves out (KUDOS_SKIP) items
 * from sources not in "sources" and, when "min_rating" is set, items
 * unrated or rated below it (scaled to 5); it keeps the rest as JSON.
 * With the default order and no split, "limit" is applied there too, so
 * the host records exactly the items the file holds; with another order
 * or a split, which items make the cut is known only in flush(), so every
 * kept item is reported placed.  flush() writes the files (widget_doc.c):
 * sorted, limited per file, split when asked, the aggregate over every
 * rated item the job collected from its sources (the host's, not only
 * the shown ones) with the list of those sources, and optional schema.org
 * JSON-LD.  Output is byte-identical for identical input.
 *
 * Job keys: path (required), scope (web), limit (0 = all), sort (newest |
 * rating | random), seed (for random), sources, min_rating (0-5), split
 * (none | source | tag), jsonld ({"type", "name", ...}), avatar_map
 * ({"avatar URL or path": "local copy, relative to the job"}).
 */
#include "widget.h"

#include <stdlib.h>
#include <string.h>

static const struct kudos_config_entry widget_config[] = {
	{ KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct widget_ctx, path),
	  "the JSON file to write, e.g. out/widget.json" },
	{ KUDOS_CONFIG_STRING, "scope", "web", 0, offsetof(struct widget_ctx, scope),
	  "the rights scope an item's grant must include (default web)" },
	{ KUDOS_CONFIG_INT, "limit", "0", 0, offsetof(struct widget_ctx, limit),
	  "at most this many items per file, in sort order (default 0: all)" },
	{ KUDOS_CONFIG_STRING, "sort", "newest", 0, offsetof(struct widget_ctx, sort),
	  "newest (default), rating (best first) or random (fixed by seed)" },
	{ KUDOS_CONFIG_INT, "seed", "0", 0, offsetof(struct widget_ctx, seed),
	  "the shuffle for sort random: same seed, same order (default 0)" },
	{ KUDOS_CONFIG_STRING_LIST, "sources", NULL, 0, offsetof(struct widget_ctx, sources),
	  "show only items from these source plugins (the aggregate still covers all)" },
	{ KUDOS_CONFIG_DOUBLE, "min_rating", NULL, 0, offsetof(struct widget_ctx, min_rating),
	  "show only items rated at least this, scaled to 5 (the aggregate still covers all)" },
	{ KUDOS_CONFIG_STRING, "split", "none", 0, offsetof(struct widget_ctx, split),
	  "also write one file per source or per tag: none (default), source, tag" },
	{ KUDOS_CONFIG_JSON, "jsonld", NULL, 0, offsetof(struct widget_ctx, jsonld),
	  "schema.org markup: {\"type\": \"Product\", \"name\": \"...\"} (+ url, image, "
	  "description, sku, brand)" },
	{ KUDOS_CONFIG_STRING_MAP, "avatar_map", NULL, 0, offsetof(struct widget_ctx, avatar_map),
	  "local copies of avatars: {\"avatar URL\": \"path relative to the job\"}" },
	{ 0 }
};

static int widget_init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct widget_ctx *ctx = vctx;
	int rc = widget_opts_check(host, self, ctx);

	if (rc != KUDOS_OK)
		widget_opts_free(ctx); /* exit() is not called after a failed init */
	return rc;
}

/* Whether the item is left out by "sources" or "min_rating". */
static int filtered_out(const struct kudos_host *host, const struct widget_ctx *ctx,
                        const struct kudos_item *item, double *stars)
{
	const char *source = host->item_get(item, KUDOS_FIELD_SOURCE);
	double value, scale;
	size_t i;
	int listed = ctx->sources == NULL;

	*stars = -1.0;
	if (host->item_get_rating(item, &value, &scale) && scale > 0)
		*stars = value * 5.0 / scale;
	for (i = 0; !listed && ctx->sources[i]; i++)
		listed = strcmp(ctx->sources[i], source) == 0;
	if (!listed)
		return 1;
	/* A tiny tolerance, so 8 of 10 passes min_rating 4. */
	return ctx->has_min && !(*stars >= 0 && *stars + 1e-9 >= ctx->min_rating);
}

static int widget_consume(const struct kudos_host *host, struct kudos_instance *self,
                          void *vctx, const struct kudos_item *item)
{
	struct widget_ctx *ctx = vctx;
	const char *id = host->item_get(item, KUDOS_FIELD_ID);
	struct witem *it;
	double stars;

	if (id == NULL || host->item_get(item, KUDOS_FIELD_SOURCE) == NULL ||
	    host->item_get(item, KUDOS_FIELD_KIND) == NULL ||
	    host->item_get(item, KUDOS_FIELD_TEXT) == NULL) {
		host->set_error(self, "item %s lacks its id, source, kind or text; this "
		                "is a bug in kudos, please report it", id ? id : "(no id)");
		return KUDOS_EFAIL;
	}
	ctx->gated++;
	if (filtered_out(host, ctx, item, &stars)) {
		ctx->filtered++;
		return KUDOS_SKIP;
	}
	if (ctx->sort_by == SORT_NEWEST && ctx->split_by == SPLIT_NONE && ctx->limit > 0 &&
	    ctx->n >= (size_t)ctx->limit) {
		ctx->limited++;
		return KUDOS_SKIP;
	}
	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 64;
		struct witem *grown = realloc(ctx->items, cap * sizeof *grown);
		if (grown == NULL)
			goto nomem;
		ctx->items = grown;
		ctx->cap = cap;
	}
	it = &ctx->items[ctx->n];
	memset(it, 0, sizeof *it);
	it->obj = widget_item_build(host, self, ctx, item, id);
	if (it->obj == NULL)
		goto nomem;
	it->id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->obj, "id"));
	it->source = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it->obj, "source"));
	it->stars = stars;
	it->rkey = widget_random_key(ctx->seed, id);
	it->seq = ctx->n;
	if (ctx->split_by == SPLIT_TAG && widget_item_tags(host, item, &it->tags, &it->n_tags) < 0) {
		ctx->n++; /* exit() releases what was taken */
		goto nomem;
	}
	ctx->n++;
	return KUDOS_OK;
nomem:
	host->set_error(self, "out of memory adding item %s", id);
	return KUDOS_ENOMEM;
}

static int widget_flush(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	return widget_write_all(host, self, vctx);
}

static void widget_exit(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct widget_ctx *ctx = vctx;
	size_t i, j;

	(void)host;
	(void)self;
	for (i = 0; i < ctx->n; i++) {
		cJSON_Delete(ctx->items[i].obj);
		for (j = 0; j < ctx->items[i].n_tags; j++)
			free(ctx->items[i].tags[j]);
		free(ctx->items[i].tags);
	}
	free(ctx->items);
	ctx->items = NULL;
	ctx->n = ctx->cap = 0;
	widget_opts_free(ctx);
}

static const struct kudos_plugin widget_json_plugin = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "widget-json",
	.version = "1.1.0",
	.description = "the website widget's data as JSON (kudos.widget/1), with optional "
	               "schema.org JSON-LD",
	.config = widget_config,
	.context_size = sizeof(struct widget_ctx),
	.init = widget_init,
	.consume = widget_consume,
	.flush = widget_flush,
	.exit = widget_exit,
};

KUDOS_PLUGIN_DEFINE(widget_json_plugin)
