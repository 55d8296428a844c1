/*
 * widget_doc.c: the widget files, assembled and written.
 *
 * Contract: widget_write_all() sorts the kept items, then writes, through
 * host->output_write() (each file atomic; folders created), in this order:
 *   1. the file at "path", holding every item (with "parts" listing the
 *      part files when split);
 *   2. with "split": one part file per source or per tag, beside "path":
 *      <stem>.<key><ext> ("widget.json" -> "widget.csv.json"); a tag is
 *      written as a slug (ASCII letters and digits lower-cased, every other
 *      run of characters one '-', at most 48 bytes) and, when that slug is
 *      empty or shared by another tag, followed by '-' and 8 hex digits of
 *      the tag's FNV-1a hash.  Items without tags are in no tag part.
 *   3. an empty widget over every part file the previous run wrote that
 *      this one does not (kept in the cursor "parts", saved last), so an
 *      item that may no longer be shown does not linger in a forgotten
 *      file.
 * "limit" applies to each file.  Every file is a complete kudos.widget/1
 * document: keys in the schema's order, tab-indented, '<' '>' '&' U+2028
 * U+2029 written as \u escapes, ending in a newline; byte-identical for
 * identical input (generated_at is the host's run time, which honours
 * SOURCE_DATE_EPOCH).  A file with no item is still a valid widget, and
 * the run says so.  RETURN VALUE KUDOS_OK, or the failing write's status
 * (the host has named the file), or KUDOS_ENOMEM after set_error().
 */
#include "widget.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct run {
	const char *when;    /* generated_at */
	int64_t rated;
	double average;      /* rounded to 2 decimals */
};

/* round(x * 100) / 100 for 0 <= x < 9e13: halves away from zero. */
static double round2(double x)
{
	double scaled = x * 100.0;
	int64_t whole;

	if (!(scaled >= 0.0) || scaled >= 9.0e15)
		return x;
	whole = (int64_t)scaled;
	if (scaled - (double)whole >= 0.5)
		whole++;
	return (double)whole / 100.0;
}

/* cJSON's text, copied with '<' '>' '&' U+2028 U+2029 escaped (they occur
 * only inside strings, so values do not change) and a final newline. */
static char *harden(const char *json, size_t *len)
{
	const unsigned char *s = (const unsigned char *)json;
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i]; i++) {
		int sep = s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9);
		n += (s[i] == '<' || s[i] == '>' || s[i] == '&' || sep) ? 6 : 1;
		i += sep ? 2 : 0;
	}
	out = malloc(n + 2);
	if (out == NULL)
		return NULL;
	for (o = out, i = 0; s[i]; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '&') {
			memcpy(o, s[i] == '<' ? "\\u003c" : s[i] == '>' ? "\\u003e" : "\\u0026", 6);
			o += 6;
		} else if (s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			memcpy(o, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += 2;
		} else {
			*o++ = (char)s[i];
		}
	}
	*o++ = '\n';
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static int add_aggregate(cJSON *doc, const struct widget_ctx *ctx, const struct run *run)
{
	cJSON *agg = cJSON_AddObjectToObject(doc, "aggregate"), *src;

	if (agg == NULL || !cJSON_AddNumberToObject(agg, "rating_count", (double)run->rated))
		return -1;
	if (run->rated > 0 ? !cJSON_AddNumberToObject(agg, "rating_average", run->average)
	                   : !cJSON_AddNullToObject(agg, "rating_average"))
		return -1;
	if (ctx->job_sources == NULL)
		return cJSON_AddNullToObject(agg, "sources") ? 0 : -1;
	src = cJSON_Duplicate(ctx->job_sources, 1);
	if (src == NULL || !cJSON_AddItemToObject(agg, "sources", src)) {
		cJSON_Delete(src);
		return -1;
	}
	return 0;
}

/* The length of the folder part of "path" as the job wrote it, so that
 * messages name files the way the user does ("out/widget.csv.json"). */
static int folder_len(const struct widget_ctx *ctx)
{
	const char *slash = strrchr(ctx->shown_path, '/');

	return slash ? (int)(slash - ctx->shown_path + 1) : 0;
}

/* Build and write one file.  `part` is NULL for the main file; `index`
 * (main file, split only) lists the parts. */
static int write_doc(const struct kudos_host *host, struct kudos_instance *self,
                     const struct widget_ctx *ctx, const struct run *run,
                     const char *file, struct witem **items, size_t n,
                     const char *part_key, cJSON *index)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *sub;
	char *printed = NULL, *text = NULL;
	size_t i, len, skipped = 0;
	int rc = KUDOS_ENOMEM;

	if (ctx->limit > 0 && n > (size_t)ctx->limit)
		n = (size_t)ctx->limit;
	if (doc == NULL || !cJSON_AddStringToObject(doc, "schema", WIDGET_SCHEMA_ID) ||
	    !cJSON_AddStringToObject(doc, "generated_at", run->when) ||
	    !cJSON_AddNumberToObject(doc, "count", (double)n) || add_aggregate(doc, ctx, run) < 0)
		goto out;
	if (part_key) {
		sub = cJSON_AddObjectToObject(doc, "part");
		if (sub == NULL || !cJSON_AddStringToObject(sub, "by", ctx->split) ||
		    !cJSON_AddStringToObject(sub, "key", part_key))
			goto out;
	}
	if (index && !cJSON_AddItemReferenceToObject(doc, "parts", index))
		goto out;
	arr = cJSON_AddArrayToObject(doc, "items");
	if (arr == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (!cJSON_AddItemReferenceToArray(arr, items[i]->obj))
			goto out;
	if (ctx->ld_spec) {
		sub = widget_jsonld_build(ctx->ld_spec, items, n, run->rated, run->average, &skipped);
		if (sub == NULL || !cJSON_AddItemToObject(doc, "jsonld", sub)) {
			cJSON_Delete(sub);
			goto out;
		}
		if (skipped)
			host->log(self, KUDOS_LOG_INFO, "%s: %zu of %zu items are not in the "
			          "JSON-LD reviews (Google needs a rating, a date and an author "
			          "name under 100 characters)", file, skipped, n);
	}
	printed = cJSON_Print(doc);
	if (printed == NULL || (text = harden(printed, &len)) == NULL)
		goto out;
	rc = host->output_write(self, file, text, len);
	/* Say exactly which items this file holds, so a split or limited
	 * widget records no item where it is not. */
	for (i = 0; rc == KUDOS_OK && i < n; i++)
		rc = host->output_place(self,
		                        cJSON_GetStringValue(cJSON_GetObjectItem(items[i]->obj, "id")),
		                        file);
	if (rc == KUDOS_OK) {
		host->log(self, KUDOS_LOG_INFO, "wrote %.*s%s: %zu item%s", folder_len(ctx),
		          ctx->shown_path, file, n, n == 1 ? "" : "s");
	}
out:
	if (rc == KUDOS_ENOMEM)
		host->set_error(self, "out of memory building %s", file);
	cJSON_free(printed);
	free(text);
	cJSON_Delete(doc);
	return rc;
}

/* Empty every part file the last run wrote and this one does not. */
static int empty_stale_parts(const struct kudos_host *host, struct kudos_instance *self,
                             const struct widget_ctx *ctx, const struct run *run,
                             const struct part *parts, size_t np, const char *saved)
{
	cJSON *old = saved ? cJSON_Parse(saved) : NULL, *e;
	struct widget_ctx empty = *ctx;
	int rc = KUDOS_OK;

	cJSON_ArrayForEach(e, old) {
		const char *file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "file"));
		const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "key"));
		const char *by = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "by"));
		const struct part *same;
		if (!file || !key || !by || strcmp(file, ctx->file) == 0)
			continue;
		same = widget_parts_find(parts, np, key);
		if (same && strcmp(same->file, file) == 0)
			continue;
		empty.split = by;
		host->log(self, KUDOS_LOG_INFO, "%.*s%s: no item left in this part; writing "
		          "it empty", folder_len(ctx), ctx->shown_path, file);
		rc = write_doc(host, self, &empty, run, file, NULL, 0, key, NULL);
		if (rc != KUDOS_OK)
			break;
	}
	cJSON_Delete(old);
	return rc;
}

static void log_empty(const struct kudos_host *host, struct kudos_instance *self,
                      const struct widget_ctx *ctx)
{
	if (ctx->gated == 0)
		host->log(self, KUDOS_LOG_WARN, "no item passed the render gate for scope "
		          "\"%s\" (approved, rights granted for %s, inside the grant's "
		          "window, author not opted out): wrote an empty widget to %s",
		          ctx->scope, ctx->scope, ctx->shown_path);
	else
		host->log(self, KUDOS_LOG_WARN, "none of the %" PRId64 " items that passed "
		          "the render gate is left after \"sources\" and \"min_rating\": "
		          "wrote an empty widget to %s", ctx->gated, ctx->shown_path);
}

int widget_write_all(const struct kudos_host *host, struct kudos_instance *self,
                     struct widget_ctx *ctx)
{
	struct witem **sorted = calloc(ctx->n + 1, sizeof *sorted);
	struct part *parts = NULL;
	size_t np = 0, i;
	cJSON *index = NULL;
	char *cursor = NULL, when[21];
	const char *saved = host->cursor_get(self, WIDGET_PARTS_CURSOR);
	struct run run = { when, 0, 0.0 };
	struct tm tm;
	time_t now = (time_t)host->run_time(self);
	int rc = KUDOS_ENOMEM;

	if ((int64_t)now != host->run_time(self) || gmtime_r(&now, &tm) == NULL ||
	    tm.tm_year > 9999 - 1900 || tm.tm_year < -1900 ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20) {
		free(sorted);
		host->set_error(self, "the run time is outside years 0000-9999: check "
		                "SOURCE_DATE_EPOCH");
		return KUDOS_EINVAL;
	}
	run.rated = host->aggregate_rating(self, &run.average);
	if (run.rated < 0 || !isfinite(run.average))
		run.rated = 0;
	run.average = run.rated > 0 ? round2(run.average) : 0.0;
	if (sorted == NULL)
		goto nomem;
	for (i = 0; i < ctx->n; i++)
		sorted[i] = &ctx->items[i];
	widget_sort(sorted, ctx->n, ctx->sort_by);
	if (ctx->split_by != SPLIT_NONE && widget_parts_make(ctx, sorted, ctx->n, &parts, &np) < 0)
		goto nomem;
	if (widget_parts_index(ctx, parts, np, &index, &cursor) < 0)
		goto nomem;
	rc = write_doc(host, self, ctx, &run, ctx->file, sorted, ctx->n, NULL,
	               ctx->split_by != SPLIT_NONE ? index : NULL);
	for (i = 0; rc == KUDOS_OK && i < np; i++)
		rc = write_doc(host, self, ctx, &run, parts[i].file, parts[i].items, parts[i].n,
		               parts[i].key, NULL);
	if (rc == KUDOS_OK)
		rc = empty_stale_parts(host, self, ctx, &run, parts, np, saved);
	if (rc != KUDOS_OK)
		goto out;
	if (ctx->n == 0)
		log_empty(host, self, ctx);
	else if (ctx->limit > 0 && (ctx->n > (size_t)ctx->limit || ctx->limited > 0))
		host->log(self, KUDOS_LOG_INFO, "%s: %" PRId64 " items, %" PRId64 " more left "
		          "out by \"limit\"", ctx->shown_path, ctx->limit,
		          (int64_t)ctx->n - ctx->limit + ctx->limited);
	/* Remember the part files, so a later run can empty the ones it no
	 * longer writes; an unchanged list is not saved again. */
	if (saved ? strcmp(saved, cursor) != 0 : np > 0)
		rc = host->cursor_set(self, WIDGET_PARTS_CURSOR, cursor);
	goto out;
nomem:
	host->set_error(self, "out of memory writing %s", ctx->shown_path);
	rc = KUDOS_ENOMEM;
out:
	cJSON_Delete(index);
	cJSON_free(cursor);
	widget_parts_free(parts, np);
	free(sorted);
	return rc;
}
