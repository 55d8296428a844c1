/*
 * widget_split.c: the part files of a split widget output.
 *
 * Contract: widget_parts_make() groups the sorted items by source or by
 * tag into parts sorted by key (code point order), each holding its items
 * in the file's order, and names each part's file beside the main one:
 * <stem>.<slug><ext> ("widget.json" -> "widget.csv.json").  The slug is
 * the key with ASCII letters lower-cased, ASCII letters and digits kept,
 * every other run of characters made one '-' (trimmed, at most 48 bytes);
 * when it is empty, or (for tags) another key has the same slug, '-' and
 * the 8 hex digits of the key's 32-bit FNV-1a hash follow.  Source names
 * are already slugs.  widget_parts_index() builds the main file's "parts"
 * list and the cursor text that remembers the files for the next run;
 * widget_parts_find() looks a key up.  Grouping is O(n log n).  Every
 * function that can fail returns 0, or -1 when out of memory (nothing is
 * logged), leaving what it built for widget_parts_free().
 */
#include "widget.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "widget.json" + "csv" -> "widget.csv.json"; NULL when out of memory. */
static char *part_file(const char *main_file, const char *slug)
{
	const char *dot = strrchr(main_file, '.');
	size_t stem = dot && dot != main_file ? (size_t)(dot - main_file) : strlen(main_file);
	char *out = malloc(strlen(main_file) + strlen(slug) + 2);

	if (out)
		sprintf(out, "%.*s.%s%s", (int)stem, main_file, slug, main_file + stem);
	return out;
}

static void slugify(const char *key, char out[49])
{
	size_t o = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)key; *p && o < 48; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			out[o++] = (char)(c - 'A' + 'a');
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}

static uint32_t fnv32(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void widget_parts_free(struct part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(parts[i].key);
		free(parts[i].slug);
		free(parts[i].file);
		free(parts[i].items);
	}
	free(parts);
}

/* One (key, item) pair: an item belongs to the part of each of its keys. */
struct member {
	const char *key;
	struct witem *it;
	size_t rank; /* the item's place in the sorted order */
};

static int cmp_members(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int cmp_slugs(const void *a, const void *b)
{
	const struct part *x = *(const struct part *const *)a;
	const struct part *y = *(const struct part *const *)b;
	int c = strcmp(x->slug, y->slug);

	return c ? c : strcmp(x->key, y->key);
}

/* Name each part's file after its slug, adding the key's hash when the
 * slug is empty or (for tags) shared with another part. */
static int name_parts(const struct widget_ctx *ctx, struct part *parts, size_t np)
{
	struct part **by_slug = malloc((np + 1) * sizeof *by_slug);
	size_t i;
	char buf[64];

	if (by_slug == NULL)
		return -1;
	for (i = 0; i < np; i++)
		by_slug[i] = &parts[i];
	qsort(by_slug, np, sizeof *by_slug, cmp_slugs);
	for (i = 0; i < np; i++) {
		struct part *p = by_slug[i];
		int clash = (i > 0 && strcmp(by_slug[i - 1]->slug, p->slug) == 0) ||
		            (i + 1 < np && strcmp(by_slug[i + 1]->slug, p->slug) == 0);
		if (p->slug[0] == '\0' || (clash && ctx->split_by == SPLIT_TAG))
			snprintf(buf, sizeof buf, "%s%s%08" PRIx32, p->slug, p->slug[0] ? "-" : "",
			         fnv32(p->key));
		else
			snprintf(buf, sizeof buf, "%s", p->slug);
		if ((p->file = part_file(ctx->file, buf)) == NULL)
			break;
	}
	free(by_slug);
	return i == np ? 0 : -1;
}

int widget_parts_make(const struct widget_ctx *ctx, struct witem **sorted, size_t n,
                      struct part **out, size_t *np)
{
	struct member *m;
	size_t nm = 0, i, j;
	int rc = -1;

	for (i = 0; i < n; i++)
		nm += ctx->split_by == SPLIT_SOURCE ? 1 : sorted[i]->n_tags;
	m = malloc((nm + 1) * sizeof *m);
	if (m == NULL)
		return -1;
	for (nm = 0, i = 0; i < n; i++) {
		if (ctx->split_by == SPLIT_SOURCE)
			m[nm++] = (struct member){ sorted[i]->source, sorted[i], i };
		for (j = 0; ctx->split_by == SPLIT_TAG && j < sorted[i]->n_tags; j++)
			m[nm++] = (struct member){ sorted[i]->tags[j], sorted[i], i };
	}
	qsort(m, nm, sizeof *m, cmp_members);
	for (i = 0; i < nm; i = j) {
		struct part *grown = realloc(*out, (*np + 1) * sizeof *grown), *p;
		if (grown == NULL)
			goto done;
		*out = grown;
		p = &grown[(*np)++];
		for (j = i; j < nm && strcmp(m[j].key, m[i].key) == 0; j++)
			;
		*p = (struct part){ strdup(m[i].key), malloc(49), NULL,
		                    malloc((j - i) * sizeof(struct witem *)), 0 };
		if (p->key == NULL || p->slug == NULL || p->items == NULL)
			goto done;
		slugify(p->key, p->slug);
		for (; i < j; i++)
			p->items[p->n++] = m[i].it;
	}
	rc = name_parts(ctx, *out, *np);
done:
	free(m);
	return rc;
}

static int cmp_part_keys(const void *a, const void *b)
{
	return strcmp(((const struct part *)a)->key, ((const struct part *)b)->key);
}

const struct part *widget_parts_find(const struct part *parts, size_t np, const char *key)
{
	struct part probe;

	probe.key = (char *)key;
	return np ? bsearch(&probe, parts, np, sizeof *parts, cmp_part_keys) : NULL;
}

int widget_parts_index(const struct widget_ctx *ctx, const struct part *parts, size_t np,
                       cJSON **index, char **cursor)
{
	cJSON *saved = cJSON_CreateArray(), *e, *s;
	size_t i, n;

	*cursor = NULL;
	*index = cJSON_CreateArray();
	for (i = 0; i < np && *index && saved; i++) {
		n = ctx->limit > 0 && parts[i].n > (size_t)ctx->limit ? (size_t)ctx->limit : parts[i].n;
		e = cJSON_CreateObject();
		s = cJSON_CreateObject();
		if (!cJSON_AddItemToArray(*index, e)) {
			cJSON_Delete(e);
			cJSON_Delete(s);
			break;
		}
		if (!cJSON_AddItemToArray(saved, s)) {
			cJSON_Delete(s);
			break;
		}
		if (!cJSON_AddStringToObject(e, "key", parts[i].key) ||
		    !cJSON_AddStringToObject(e, "file", parts[i].file) ||
		    !cJSON_AddNumberToObject(e, "count", (double)n) ||
		    !cJSON_AddStringToObject(s, "file", parts[i].file) ||
		    !cJSON_AddStringToObject(s, "by", ctx->split) ||
		    !cJSON_AddStringToObject(s, "key", parts[i].key))
			break;
	}
	if (i == np && saved && *index)
		*cursor = cJSON_PrintUnformatted(saved);
	cJSON_Delete(saved);
	return *cursor ? 0 : -1;
}
