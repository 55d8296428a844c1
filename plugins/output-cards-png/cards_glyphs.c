/*
 * Glyph bitmaps with FreeType, cached for the run.
 *
 * Contract: glyph_get() returns the coverage bitmap of an outline glyph
 * (the font's own hinting: crisp stems, and 2-3% smaller PNGs than light
 * hinting; advances stay HarfBuzz's, unhinted; a horizontal phase of 0..3
 * quarter pixels for scripts whose letters join), or for a
 * colour bitmap font (Noto Color Emoji's CBDT) its BGRA bitmap loaded with
 * FT_LOAD_COLOR, made straight RGBA and area-scaled from the font's strike
 * to the size asked.  glyph_star() draws a five-pointed star outline with
 * FreeType's anti-aliasing rasteriser.  Cached bitmaps stay valid until
 * glyph_cache_trim() or fonts_close(); band workers read them but never
 * call in here.  Call from the callback's thread only.
 */
#include "cards.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STAR_FONT (-1)
#define CACHE_LIMIT (96u << 20) /* bytes of bitmaps before the cache is emptied */

struct entry {
	int font, px, phase;
	unsigned gid;
	struct glyph g;
};

struct glyph_cache {
	struct entry **slot;
	size_t cap, n, bytes;
};

static size_t hash_key(int font, unsigned gid, int px, int phase)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int k[4] = {font, (int)gid, px, phase};
	return (size_t)fnv1a(h, k, sizeof k);
}

static void cache_clear(struct glyph_cache *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		if (c->slot[i]) {
			image_free(&c->slot[i]->g.im);
			free(c->slot[i]);
			c->slot[i] = NULL;
		}
	}
	c->n = 0;
	c->bytes = 0;
}

void glyph_cache_free(struct fonts *fs)
{
	if (fs->cache == NULL)
		return;
	cache_clear(fs->cache);
	free(fs->cache->slot);
	free(fs->cache);
	fs->cache = NULL;
}

void glyph_cache_trim(struct fonts *fs)
{
	if (fs->cache && fs->cache->bytes > CACHE_LIMIT)
		cache_clear(fs->cache);
}

static struct entry **lookup(struct glyph_cache *c, int font, unsigned gid, int px,
                             int phase)
{
	size_t i = hash_key(font, gid, px, phase) & (c->cap - 1);
	for (;; i = (i + 1) & (c->cap - 1)) {
		struct entry *e = c->slot[i];
		if (e == NULL || (e->font == font && e->gid == gid && e->px == px &&
		                  e->phase == phase))
			return &c->slot[i];
	}
}

static int cache_grow(struct glyph_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 1024;
	struct entry **old = c->slot;
	size_t old_cap = c->cap;

	c->slot = calloc(cap, sizeof *c->slot);
	if (c->slot == NULL) {
		c->slot = old;
		return -1;
	}
	c->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			*lookup(c, old[i]->font, old[i]->gid, old[i]->px, old[i]->phase) = old[i];
	free(old);
	return 0;
}

/* Copy an 8-bit gray FreeType bitmap into g. */
static int from_gray(const FT_Bitmap *b, struct glyph *g)
{
	if (image_alloc(&g->im, (int)b->width, (int)b->rows, 1) < 0)
		return -1;
	for (unsigned y = 0; y < b->rows; y++)
		memcpy(g->im.px + (size_t)y * b->width, b->buffer + (long)y * b->pitch,
		       b->width);
	return 0;
}

/* A BGRA (premultiplied) bitmap scaled by s into straight RGBA. */
static int from_bgra(const FT_Bitmap *b, double s, struct glyph *g)
{
	struct image raw;
	int w = (int)lround(b->width * s), h = (int)lround(b->rows * s), rc;

	if (image_alloc(&raw, (int)b->width, (int)b->rows, 4) < 0)
		return -1;
	for (unsigned y = 0; y < b->rows; y++) {
		const unsigned char *src = b->buffer + (long)y * b->pitch;
		unsigned char *dst = raw.px + (size_t)y * b->width * 4;
		for (unsigned x = 0; x < b->width; x++) {
			unsigned a = src[x * 4 + 3];
			for (int c = 0; c < 3; c++) {
				unsigned v = src[x * 4 + 2 - c]; /* B,G,R -> R,G,B */
				dst[x * 4 + c] = (unsigned char)(a ? (v * 255 + a / 2) / a : 0);
			}
			dst[x * 4 + 3] = (unsigned char)a;
		}
	}
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	rc = image_scale(&raw, w, h, &g->im);
	image_free(&raw);
	return rc;
}

static int render(struct fonts *fs, int fi, unsigned gid, int px, int phase,
                  struct glyph *g)
{
	struct font *f = fs->f[fi];
	FT_Face face = f->ft_face;
	FT_GlyphSlot slot = face->glyph;

	if (f->color) {
		double s = (double)px / f->strike_ppem;
		if (FT_Load_Glyph(face, gid, FT_LOAD_COLOR))
			return 0; /* nothing to draw */
		if (slot->bitmap.pixel_mode != FT_PIXEL_MODE_BGRA || slot->bitmap.rows == 0)
			return 0;
		g->left = (int)lround(slot->bitmap_left * s);
		g->top = (int)lround(slot->bitmap_top * s);
		return from_bgra(&slot->bitmap, s, g);
	}
	if (f->cur_px != px) {
		if (FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px))
			return 0;
		f->cur_px = px;
	}
	if (FT_Load_Glyph(face, gid, FT_LOAD_DEFAULT | FT_LOAD_NO_BITMAP))
		return 0;
	if (slot->format == FT_GLYPH_FORMAT_OUTLINE && phase)
		FT_Outline_Translate(&slot->outline, phase * 16, 0);
	if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) ||
	    slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
		return 0;
	g->left = slot->bitmap_left;
	g->top = slot->bitmap_top;
	return from_gray(&slot->bitmap, g);
}

/* A star's outline, `px` square, point up, into a coverage bitmap. */
static int render_star(struct fonts *fs, int px, struct glyph *g)
{
	FT_Vector pts[10];
	char tags[10];
	short ends[1] = {9};
	FT_Outline o;
	FT_Bitmap b;
	/* y up; the centre sits low so the points' span [-0.81R, R] is centred */
	double R = px / 2.0, r = R * 0.48, cx = px / 2.0, cy = px / 2.0 - R * 0.095;

	if (image_alloc(&g->im, px, px, 1) < 0)
		return -1;
	for (int i = 0; i < 10; i++) {
		double ang = M_PI / 2 + i * M_PI / 5, rad = i % 2 ? r : R;
		pts[i].x = (FT_Pos)lround((cx + rad * cos(ang)) * 64);
		pts[i].y = (FT_Pos)lround((cy + rad * sin(ang)) * 64);
		tags[i] = FT_CURVE_TAG_ON;
	}
	memset(&o, 0, sizeof o);
	o.n_points = 10;
	o.n_contours = 1;
	o.points = pts;
	o.tags = tags;
	o.contours = ends;
	memset(&b, 0, sizeof b);
	b.rows = (unsigned)px;
	b.width = (unsigned)px;
	b.pitch = px;
	b.buffer = g->im.px;
	b.num_grays = 256;
	b.pixel_mode = FT_PIXEL_MODE_GRAY;
	FT_Outline_Get_Bitmap(fs->ft_lib, &o, &b);
	g->left = 0;
	g->top = px;
	return 0;
}

static const struct glyph *get(struct fonts *fs, int fi, unsigned gid, int px,
                               int phase)
{
	struct glyph_cache *c = fs->cache;
	struct entry **slot, *e;

	if (c == NULL) {
		c = fs->cache = calloc(1, sizeof *c);
		if (c == NULL || cache_grow(c) < 0)
			return NULL;
	}
	slot = lookup(c, fi, gid, px, phase);
	if (*slot)
		return &(*slot)->g;
	if ((c->n + 1) * 2 > c->cap) {
		if (cache_grow(c) < 0)
			return NULL;
		slot = lookup(c, fi, gid, px, phase);
	}
	e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	*e = (struct entry){fi, px, phase, gid, {{0, 0, 1, NULL}, 0, 0}};
	if ((fi == STAR_FONT ? render_star(fs, px, &e->g)
	                     : render(fs, fi, gid, px, phase, &e->g)) < 0) {
		image_free(&e->g.im);
		free(e);
		return NULL;
	}
	*slot = e;
	c->n++;
	c->bytes += (size_t)e->g.im.w * e->g.im.h * e->g.im.ch + sizeof *e;
	return &e->g;
}

const struct glyph *glyph_get(struct fonts *fs, int fi, unsigned gid, int px,
                              int phase)
{
	if (px < 1)
		px = 1;
	return get(fs, fi, gid, px, fs->f[fi]->color ? 0 : phase & 3);
}

const struct glyph *glyph_star(struct fonts *fs, int px)
{
	return get(fs, STAR_FONT, 0, px < 2 ? 2 : px, 0);
}
