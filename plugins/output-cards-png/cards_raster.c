/*
 * Drawing on the card: the background, coverage masks in a colour (text,
 * stars) and RGBA images (avatar, logo, colour emoji), blended in linear
 * light and stored as sRGB, and the anti-aliased rounded corners.
 *
 * Contract: canvas_band() writes rows [y0, y1) only and reads nothing but
 * the draw list's finished images, so bands can be drawn by several
 * threads at once.  srgb_init() must have run (cards_plugin.c calls it in
 * init, before any thread starts).
 */
#include "cards.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint16_t srgb_to_lin[256];
static unsigned char lin_table[4097];

void srgb_init(void)
{
	for (int i = 0; i < 256; i++) {
		double s = i / 255.0;
		double l = s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
		srgb_to_lin[i] = (uint16_t)lround(l * 65535.0);
	}
	for (int i = 0; i <= 4096; i++) {
		double l = i / 4096.0;
		double s = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
		long v = lround(s * 255.0);
		lin_table[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

unsigned char lin_to_srgb(uint32_t lin)
{
	/* Interpolate between the two nearest of 4097 entries: exact enough
	 * that a blend of equal colours returns the colour. */
	uint32_t i = lin >> 4, f = lin & 15;
	if (i >= 4096)
		return lin_table[4096];
	return (unsigned char)((lin_table[i] * (16 - f) + lin_table[i + 1] * f + 8) >> 4);
}

int drawlist_add(struct drawlist *d, enum op_kind k, const struct image *im,
                 int x, int y, struct rgb c)
{
	if (im == NULL || im->px == NULL)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct op *v = realloc(d->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = (struct op){k, im, x, y, c, x, x + im->w};
	return 0;
}

void drawlist_free(struct drawlist *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

static inline unsigned char mix(unsigned char dst, uint32_t src_lin, uint32_t a)
{
	uint32_t l = (srgb_to_lin[dst] * (255 - a) + src_lin * a) / 255;
	return lin_to_srgb(l);
}

/* Blends of one colour over one other, by coverage.  Text is mostly drawn
 * over the plain background, so most of its edge pixels blend the same
 * two colours: a lookup costs far less than three trips through linear
 * light.  Filled as needed, for one canvas_band() call (bands drawn on
 * other threads have their own). */
struct blend {
	uint64_t key; /* 1 << 48 | colour << 24 | under it; 0: free */
	unsigned char known[256];
	unsigned char rgb[256][3];
};
#define BLENDS 4

static struct blend *blend_find(struct blend *bl, uint64_t key)
{
	for (int i = 0; i < BLENDS; i++) {
		if (bl[i].key == key)
			return &bl[i];
		if (bl[i].key == 0) {
			bl[i].key = key;
			memset(bl[i].known, 0, sizeof bl[i].known);
			return &bl[i];
		}
	}
	return NULL; /* all taken: blend without */
}

static void draw_mask(struct canvas *c, const struct op *o, int y0, int y1, struct blend *bl)
{
	const struct image *m = o->im;
	uint32_t lr = srgb_to_lin[o->color.r], lg = srgb_to_lin[o->color.g];
	uint32_t lb = srgb_to_lin[o->color.b];
	uint64_t colour = 1ull << 48 | (uint64_t)o->color.r << 24 | (uint64_t)o->color.g << 32 |
	                  (uint64_t)o->color.b << 40;
	struct blend *last = NULL;
	int xa = o->clip_x0 > 0 ? o->clip_x0 : 0;
	int xb = o->clip_x1 < c->w ? o->clip_x1 : c->w;
	int ya = o->y > y0 ? o->y : y0, yb = o->y + m->h < y1 ? o->y + m->h : y1;

	for (int y = ya; y < yb; y++) {
		/* The mask's row, indexed by the canvas's x: src[x - o->x]. */
		const unsigned char *src = m->px + (size_t)(y - o->y) * m->w;
		unsigned char *dst = c->px + ((size_t)y * c->w) * c->ch;
		for (int x = xa; x < xb;) {
			/* Most of a glyph's box is uncovered: skip 8 at a time. */
			int x8 = xb - x >= 8 ? x + 8 : xb;
			uint64_t w;
			if (x8 - x == 8 && (memcpy(&w, src + (x - o->x), 8), w == 0)) {
				x = x8;
				continue;
			}
			for (; x < x8; x++) {
				uint32_t a = src[x - o->x];
				unsigned char *p = dst + (size_t)x * c->ch;
				if (a == 0)
					continue;
				if (a == 255) {
					p[0] = o->color.r;
					p[1] = o->color.g;
					p[2] = o->color.b;
					continue;
				}
				uint64_t key = colour | p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
				if (last == NULL || last->key != key)
					last = blend_find(bl, key);
				if (last == NULL) {
					p[0] = mix(p[0], lr, a);
					p[1] = mix(p[1], lg, a);
					p[2] = mix(p[2], lb, a);
					continue;
				}
				if (!last->known[a]) {
					last->rgb[a][0] = mix(p[0], lr, a);
					last->rgb[a][1] = mix(p[1], lg, a);
					last->rgb[a][2] = mix(p[2], lb, a);
					last->known[a] = 1;
				}
				p[0] = last->rgb[a][0];
				p[1] = last->rgb[a][1];
				p[2] = last->rgb[a][2];
			}
		}
	}
}

static void draw_rgba(struct canvas *c, const struct op *o, int y0, int y1)
{
	const struct image *m = o->im;
	int xa = o->clip_x0 > 0 ? o->clip_x0 : 0;
	int xb = o->clip_x1 < c->w ? o->clip_x1 : c->w;
	int ya = o->y > y0 ? o->y : y0, yb = o->y + m->h < y1 ? o->y + m->h : y1;

	for (int y = ya; y < yb; y++) {
		const unsigned char *src = m->px + (size_t)(y - o->y) * m->w * 4;
		unsigned char *dst = c->px + ((size_t)y * c->w) * c->ch;
		for (int x = xa; x < xb; x++) {
			const unsigned char *s = src + (size_t)(x - o->x) * 4;
			unsigned char *p = dst + (size_t)x * c->ch;
			uint32_t a = s[3];
			if (a == 0)
				continue;
			if (a == 255) {
				p[0] = s[0];
				p[1] = s[1];
				p[2] = s[2];
				continue;
			}
			p[0] = mix(p[0], srgb_to_lin[s[0]], a);
			p[1] = mix(p[1], srgb_to_lin[s[1]], a);
			p[2] = mix(p[2], srgb_to_lin[s[2]], a);
		}
	}
}

/* The alpha of the rounded card's corners in rows [y0, y1). */
static void draw_corners(struct canvas *c, int y0, int y1)
{
	double r = c->radius;
	int ri = (int)ceil(r);

	for (int y = y0; y < y1; y++) {
		double cy;
		if (y < ri)
			cy = r;
		else if (y >= c->h - ri)
			cy = c->h - r;
		else
			continue;
		for (int side = 0; side < 2; side++) {
			for (int i = 0; i < ri && i < c->w; i++) {
				int x = side ? c->w - 1 - i : i;
				double cx = side ? c->w - r : r;
				double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
				double a;
				if ((side == 0 && dx > 0) || (side == 1 && dx < 0))
					continue;
				if ((y < ri && dy > 0) || (y >= c->h - ri && dy < 0))
					continue;
				a = r - sqrt(dx * dx + dy * dy) + 0.5;
				a = a < 0 ? 0 : a > 1 ? 1 : a;
				c->px[((size_t)y * c->w + x) * 4 + 3] = (unsigned char)lround(a * 255);
			}
		}
	}
}

void canvas_touch(const struct canvas *c, const struct drawlist *d, unsigned char *touched,
                  int *span)
{
	int ri = c->ch == 4 && c->radius > 0 ? (int)ceil(c->radius) : 0;

	memset(touched, 0, (size_t)c->h);
	for (int y = 0; y < c->h; y++) {
		span[2 * y] = c->w;
		span[2 * y + 1] = 0;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct op *o = &d->v[i];
		int ya = o->y < 0 ? 0 : o->y, yb = o->y + o->im->h;
		int xa = o->x < 0 ? 0 : o->x, xb = o->x + o->im->w > c->w ? c->w : o->x + o->im->w;
		if (yb > c->h)
			yb = c->h;
		if (xa >= xb)
			continue;
		if (ya < yb)
			memset(touched + ya, 1, (size_t)(yb - ya));
		for (int y = ya; y < yb; y++) {
			if (xa < span[2 * y])
				span[2 * y] = xa;
			if (xb > span[2 * y + 1])
				span[2 * y + 1] = xb;
		}
	}
	for (int y = 0; y < ri && y < c->h; y++) {
		touched[y] = touched[c->h - 1 - y] = 1;
		span[2 * y] = span[2 * (c->h - 1 - y)] = 0;
		span[2 * y + 1] = span[2 * (c->h - 1 - y) + 1] = c->w;
	}
}

void canvas_band(struct canvas *c, const struct drawlist *d, int y0, int y1)
{
	size_t stride = (size_t)c->w * c->ch;
	unsigned char *bgrow = NULL;
	struct blend bl[BLENDS];

	if (y1 <= y0)
		return;
	for (int i = 0; i < BLENDS; i++)
		bl[i].key = 0;
	/* Background: only where something was or will be drawn, since the
	 * rows of plain background from the last card are still in place. */
	for (int y = y0; y < y1; y++) {
		unsigned char *row = c->px + (size_t)y * stride;
		if (!c->touched[y] && !c->stale[y])
			continue;
		if (bgrow) {
			memcpy(row, bgrow, stride);
		} else {
			for (int x = 0; x < c->w; x++) {
				row[x * c->ch] = c->bg.r;
				row[x * c->ch + 1] = c->bg.g;
				row[x * c->ch + 2] = c->bg.b;
				if (c->ch == 4)
					row[x * 4 + 3] = 255;
			}
			bgrow = row;
		}
		c->stale[y] = c->touched[y];
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct op *o = &d->v[i];
		if (o->y >= y1 || o->y + o->im->h <= y0 || o->x >= c->w ||
		    o->x + o->im->w <= 0)
			continue;
		if (o->kind == OP_MASK)
			draw_mask(c, o, y0, y1, bl);
		else
			draw_rgba(c, o, y0, y1);
	}
	if (c->ch == 4 && c->radius > 0)
		draw_corners(c, y0, y1);
}
