/*
 * The debug sidecar (KUDOS_CARDS_DEBUG_BOXES=1): where every glyph and
 * element of a card went, so tests can check the layout through the real
 * program rather than by peeking at the plugin's internals.
 *
 * Contract: card_boxes_json() returns a JSON document (malloc'd):
 *   {"card": [w, h], "quote_px": 44, "lines": 6, "emergency": false,
 *    "excerpt": false (true: the curator's excerpt was drawn),
 *    "notdef": 0, "text_box": [x0, y0, x1, y1],
 *    "quote": [[x0, y0, x1, y1, "font file name"], ...],
 *    "mark": [...], "name": [...], "role": [...], "meta": [...],
 *    "footer": [...], "avatar": [x0, y0, x1, y1] or null,
 *    "logo": [...] or null, "stars": [...] or null}
 * Boxes are glyph bitmaps, half-open, in card pixels.
 */
#include "cards.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static cJSON *box_json(const struct box *b)
{
	int v[4] = {b->x0, b->y0, b->x1, b->y1};
	if (b->x1 <= b->x0 && b->y1 <= b->y0)
		return cJSON_CreateNull();
	return cJSON_CreateIntArray(v, 4);
}

static cJSON *glyphs_json(const struct card_env *e, const struct laid *l)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < l->n; i++) {
		const struct pglyph *g = &l->g[i];
		const char *file = e->fonts->f[g->font]->file, *slash = strrchr(file, '/');
		cJSON *one = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, one);
		cJSON_AddItemToArray(one, cJSON_CreateNumber(g->x));
		cJSON_AddItemToArray(one, cJSON_CreateNumber(g->y));
		cJSON_AddItemToArray(one, cJSON_CreateNumber(g->x + g->g->im.w));
		cJSON_AddItemToArray(one, cJSON_CreateNumber(g->y + g->g->im.h));
		cJSON_AddItemToArray(one, cJSON_CreateString(slash ? slash + 1 : file));
	}
	return arr;
}

char *card_boxes_json(const struct card_env *e, const struct card_in *in,
                      const struct card_parts *p, int excerpt)
{
	cJSON *doc = cJSON_CreateObject();
	int wh[2] = {e->w, e->h};
	char *text, *out = NULL;

	if (doc == NULL)
		return NULL;
	cJSON_AddStringToObject(doc, "id", in->id ? in->id : "");
	cJSON_AddItemToObject(doc, "card", cJSON_CreateIntArray(wh, 2));
	cJSON_AddNumberToObject(doc, "quote_px", p->quote.px);
	cJSON_AddNumberToObject(doc, "lines", p->quote.lines);
	cJSON_AddBoolToObject(doc, "emergency", p->quote.emergency);
	cJSON_AddBoolToObject(doc, "excerpt", excerpt);
	cJSON_AddNumberToObject(doc, "notdef", (double)p->notdef);
	cJSON_AddItemToObject(doc, "text_box", box_json(&p->text_box));
	cJSON_AddItemToObject(doc, "quote", glyphs_json(e, &p->quote));
	cJSON_AddItemToObject(doc, "mark", glyphs_json(e, &p->mark));
	cJSON_AddItemToObject(doc, "name", glyphs_json(e, &p->name));
	cJSON_AddItemToObject(doc, "role", glyphs_json(e, &p->role));
	cJSON_AddItemToObject(doc, "meta", glyphs_json(e, &p->meta));
	cJSON_AddItemToObject(doc, "badge", glyphs_json(e, &p->badge));
	cJSON_AddItemToObject(doc, "footer", glyphs_json(e, &p->footer));
	cJSON_AddItemToObject(doc, "avatar", box_json(&p->avatar_box));
	cJSON_AddItemToObject(doc, "logo", box_json(&p->logo_box));
	cJSON_AddItemToObject(doc, "stars", box_json(&p->stars_box));
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (text) {
		out = strdup(text);
		cJSON_free(text);
	}
	return out;
}
