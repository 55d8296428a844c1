/*
 * widget_jsonld.c: schema.org markup for search engines.
 *
 * Contract: widget_jsonld_build() turns the job's "jsonld" object ({"type",
 * "name", optional "url", "image", "description", "sku", "brand"}) and
 * the items of one widget file into one JSON-LD object a page can put in
 * a <script type="application/ld+json"> element:
 *
 *   {"@context": "https://schema.org", "@type": type, "name": name, ...,
 *    "aggregateRating": {"@type": "AggregateRating", "ratingValue",
 *                        "bestRating": 5, "worstRating": 0, "ratingCount"},
 *    "review": [{"@type": "Review", "itemReviewed": {"@type", "name"},
 *                "author": {"@type": "Person", "name"}, "datePublished",
 *                "name" (the title), "reviewBody", "url" (permalink),
 *                "reviewRating": {"@type": "Rating", "ratingValue",
 *                                 "bestRating", "worstRating"}}, ...]}
 *
 * It follows Google's review-snippet requirements: the aggregate has the
 * reviewed thing's name (the enclosing object), ratingValue and
 * ratingCount, and is the job's aggregate over every rated item collected
 * (scaled to 5, so its worst is 0), omitted when nothing is rated.  A
 * review is included only when it has everything Google requires or
 * recommends for it: an author name shorter than 100 characters, a
 * rating, a publication date and a body; bestRating and worstRating are
 * always written (worst is 0 for scales above 5 or a rating below 1, else
 * 1), so scales other than 1-5 read right.  Others are counted in
 * *skipped.  Members come in a fixed order, so the bytes are stable.
 */
#include "widget.h"

#include <string.h>

static const char *str(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* Characters (not bytes) in UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int add_str(cJSON *obj, const char *key, const char *value)
{
	return value == NULL || cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
}

static cJSON *typed(const char *type)
{
	cJSON *obj = cJSON_CreateObject();

	if (obj && !cJSON_AddStringToObject(obj, "@type", type)) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* A Review for one item, NULL when it lacks what Google needs (*oom tells
 * out of memory apart). */
static cJSON *review(const cJSON *spec, const cJSON *item, int *oom)
{
	const cJSON *author = cJSON_GetObjectItemCaseSensitive(item, "author");
	const cJSON *rating = cJSON_GetObjectItemCaseSensitive(item, "rating");
	const char *name = str(author, "name"), *date = str(item, "created_at");
	const char *body = str(item, "text");
	double value, scale;
	cJSON *r, *sub;

	if (name == NULL || utf8_chars(name) >= 100 || rating == NULL || date == NULL ||
	    body == NULL || body[0] == '\0')
		return NULL;
	value = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rating, "value"));
	scale = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rating, "scale"));
	*oom = 1;
	r = typed("Review");
	if (r == NULL)
		return NULL;
	if (!(sub = typed(str(spec, "type"))) || !cJSON_AddItemToObject(r, "itemReviewed", sub) ||
	    add_str(sub, "name", str(spec, "name")) < 0)
		goto fail;
	if (!(sub = typed("Person")) || !cJSON_AddItemToObject(r, "author", sub) ||
	    add_str(sub, "name", name) < 0)
		goto fail;
	if (add_str(r, "datePublished", date) < 0 || add_str(r, "name", str(item, "title")) < 0 ||
	    add_str(r, "reviewBody", body) < 0 || add_str(r, "url", str(item, "permalink")) < 0)
		goto fail;
	if (!(sub = typed("Rating")) || !cJSON_AddItemToObject(r, "reviewRating", sub) ||
	    !cJSON_AddNumberToObject(sub, "ratingValue", value) ||
	    !cJSON_AddNumberToObject(sub, "bestRating", scale) ||
	    !cJSON_AddNumberToObject(sub, "worstRating", scale > 5 || value < 1 ? 0 : 1))
		goto fail;
	*oom = 0;
	return r;
fail:
	cJSON_Delete(r);
	return NULL;
}

static int add_aggregate(cJSON *ld, int64_t rated, double average)
{
	cJSON *agg;

	if (rated <= 0)
		return 0;
	agg = typed("AggregateRating");
	if (agg == NULL || !cJSON_AddItemToObject(ld, "aggregateRating", agg)) {
		cJSON_Delete(agg);
		return -1;
	}
	return cJSON_AddNumberToObject(agg, "ratingValue", average) &&
	       cJSON_AddNumberToObject(agg, "bestRating", 5) &&
	       cJSON_AddNumberToObject(agg, "worstRating", 0) &&
	       cJSON_AddNumberToObject(agg, "ratingCount", (double)rated) ? 0 : -1;
}

cJSON *widget_jsonld_build(const cJSON *spec, struct witem *const *items, size_t n,
                           int64_t rated, double average, size_t *skipped)
{
	cJSON *ld = cJSON_CreateObject(), *list = NULL, *sub;
	const char *brand = str(spec, "brand");
	size_t i;

	*skipped = 0;
	if (ld == NULL || !cJSON_AddStringToObject(ld, "@context", "https://schema.org") ||
	    add_str(ld, "@type", str(spec, "type")) < 0 || add_str(ld, "name", str(spec, "name")) < 0 ||
	    add_str(ld, "url", str(spec, "url")) < 0 || add_str(ld, "image", str(spec, "image")) < 0 ||
	    add_str(ld, "description", str(spec, "description")) < 0 ||
	    add_str(ld, "sku", str(spec, "sku")) < 0)
		goto fail;
	if (brand) {
		if (!(sub = typed("Brand")) || !cJSON_AddItemToObject(ld, "brand", sub) ||
		    add_str(sub, "name", brand) < 0)
			goto fail;
	}
	if (add_aggregate(ld, rated, average) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		int oom = 0;
		cJSON *r = review(spec, items[i]->obj, &oom);
		if (r == NULL) {
			if (oom)
				goto fail;
			(*skipped)++;
			continue;
		}
		if (list == NULL && !(list = cJSON_AddArrayToObject(ld, "review"))) {
			cJSON_Delete(r);
			goto fail;
		}
		if (!cJSON_AddItemToArray(list, r)) {
			cJSON_Delete(r);
			goto fail;
		}
	}
	return ld;
fail:
	cJSON_Delete(ld);
	return NULL;
}
