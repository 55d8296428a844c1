/*
 * Line layout: shaped paragraphs -> lines -> glyphs placed on the card.
 *
 * Contract: lines break only where libunibreak allows (UAX #14), filling
 * each line greedily; a word wider than the whole line is broken between
 * clusters (never inside one) and flagged.  White space at a line's end
 * hangs (it takes no width and is not drawn).  Each line is put in visual
 * order by rule L2 of UAX #9 over its runs (a right-to-left run's glyphs
 * are already in visual order from HarfBuzz) and aligned to the
 * paragraph's start (right for a right-to-left paragraph), centre or end.
 * Line height is the theme's line_height times the size, or more when a
 * line holds a face with taller ascenders or deeper descenders (emoji,
 * Arabic).  A layout "fits" only when every glyph's bitmap lies inside the
 * box: text_fit() finds the largest such size, so no glyph is ever drawn
 * outside the text box, and text is never cut.
 */
#include "cards_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct line {
	size_t para, a, b;     /* code points [a, b), trailing space dropped */
	double width;          /* px */
	double top, baseline, height;
	int overflow;
};

struct lines {
	struct line *v;
	size_t n, cap;
	int emergency, overflow;
	double height;
};

static int push_line(struct lines *ls, size_t para, size_t a, size_t b)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		struct line *v = realloc(ls->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		ls->v = v;
		ls->cap = cap;
	}
	ls->v[ls->n++] = (struct line){para, a, b, 0, 0, 0, 0, 0};
	return 0;
}

/* Break paragraph `pi` for a width of maxw em. */
static int break_para(const struct text *t, size_t pi, double maxw, struct lines *ls)
{
	const struct para *p = &t->p[pi];
	size_t a = 0;

	if (p->n == 0)
		return push_line(ls, pi, 0, 0);
	while (a < p->n) {
		double w = 0, w_ink = 0;
		size_t end = p->n, last = 0, i;
		for (i = a; i < p->n; i++) {
			w += p->adv[i];
			if (!p->space[i])
				w_ink = w;
			if (w_ink > maxw && i > a) {
				size_t k = i;
				if (last > a) {
					end = last;
					break;
				}
				while (k > a && !p->cstart[k])
					k--;
				if (k > a) {
					end = k;
					ls->emergency = 1;
					break;
				}
			}
			if (p->brk[i])
				last = i + 1;
		}
		size_t b = end;
		while (b > a && p->space[b - 1])
			b--;
		if (push_line(ls, pi, a, b) < 0)
			return -1;
		a = end;
	}
	return 0;
}

/* The faces' extents over the line's code points, in em. */
static void line_extent(const struct fonts *fs, const struct para *p,
                        const struct line *l, double *asc, double *desc)
{
	const struct font *f0 = fs->f[p->role];
	*asc = f0->ascender;
	*desc = f0->descender;
	for (size_t r = 0; r < p->nruns; r++) {
		const struct run *run = &p->runs[r];
		const struct font *f = fs->f[run->font];
		if (run->start >= l->b || run->start + run->len <= l->a)
			continue;
		if (f->ascender > *asc)
			*asc = f->ascender;
		if (f->descender > *desc)
			*desc = f->descender;
	}
}

/* Lines and their vertical metrics at px for a box `maxw` px wide. */
static int measure(const struct fonts *fs, const struct text *t, double px,
                   double lh, double maxw, struct lines *ls)
{
	double top = 0;

	ls->n = 0;
	ls->emergency = ls->overflow = 0;
	for (size_t pi = 0; pi < t->n; pi++) {
		size_t first = ls->n;
		if (break_para(t, pi, maxw / px, ls) < 0)
			return -1;
		if (t->p[pi].gap_before)
			top += lh * px * 0.5;
		for (size_t k = first; k < ls->n; k++) {
			struct line *l = &ls->v[k];
			double asc, desc, content, h;
			for (size_t i = l->a; i < l->b; i++)
				l->width += t->p[pi].adv[i] * px;
			l->overflow = l->width > maxw + 0.01;
			ls->overflow |= l->overflow;
			line_extent(fs, &t->p[pi], l, &asc, &desc);
			content = (asc + desc) * px;
			h = lh * px > content ? lh * px : content;
			l->top = top;
			l->height = h;
			l->baseline = top + (h - content) / 2 + asc * px;
			top += h;
		}
	}
	ls->height = top;
	return 0;
}

struct seg {
	size_t run, lo, hi;
	int level;
};

/* Rule L2: reverse every maximal sequence at or above each odd level. */
static void reorder(struct seg *s, size_t n)
{
	int max = 0, min_odd = 255;
	for (size_t i = 0; i < n; i++) {
		if (s[i].level > max)
			max = s[i].level;
		if ((s[i].level & 1) && s[i].level < min_odd)
			min_odd = s[i].level;
	}
	for (int lev = max; lev >= min_odd && lev > 0; lev--) {
		for (size_t i = 0; i < n;) {
			size_t j = i;
			if (s[i].level < lev) {
				i++;
				continue;
			}
			while (j < n && s[j].level >= lev)
				j++;
			for (size_t a = i, b = j - 1; a < b; a++, b--) {
				struct seg tmp = s[a];
				s[a] = s[b];
				s[b] = tmp;
			}
			i = j;
		}
	}
}

static int push_glyph(struct laid *out, const struct glyph *g, int x, int y,
                      int font, unsigned gid)
{
	if (g == NULL)
		return -1;
	if (g->im.px == NULL)
		return 0;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 256;
		struct pglyph *v = realloc(out->g, cap * sizeof *v);
		if (v == NULL)
			return -1;
		out->g = v;
		out->cap = cap;
	}
	out->g[out->n++] = (struct pglyph){g, x, y, font, gid};
	if (out->n == 1 || x < out->ink.x0)
		out->ink.x0 = x;
	if (out->n == 1 || y < out->ink.y0)
		out->ink.y0 = y;
	if (out->n == 1 || x + g->im.w > out->ink.x1)
		out->ink.x1 = x + g->im.w;
	if (out->n == 1 || y + g->im.h > out->ink.y1)
		out->ink.y1 = y + g->im.h;
	return 0;
}

/* Place one line's glyphs with its left edge at x0 and baseline at y. */
static int place_line(struct fonts *fs, const struct text *t, const struct line *l,
                      double px, double x0, double y, struct laid *out)
{
	const struct para *p = &t->p[l->para];
	struct seg *segs = malloc((p->nruns + 1) * sizeof *segs);
	size_t ns = 0;
	double pen = x0;
	int rc = 0;

	if (segs == NULL)
		return -1;
	for (size_t r = 0; r < p->nruns; r++) {
		size_t lo = p->runs[r].start, hi = lo + p->runs[r].len;
		if (lo < l->a)
			lo = l->a;
		if (hi > l->b)
			hi = l->b;
		if (lo < hi)
			segs[ns++] = (struct seg){r, lo, hi, p->runs[r].level};
	}
	reorder(segs, ns);
	for (size_t s = 0; s < ns && rc == 0; s++) {
		const struct run *run = &p->runs[segs[s].run];
		double k = px / fs->f[run->font]->upem;
		for (size_t i = run->g0; i < run->g0 + run->ng && rc == 0; i++) {
			const struct sglyph *sg = &p->g[i];
			double gx = pen + sg->dx * k;
			int ix, phase = 0, iy = (int)lround(y - sg->dy * k);
			const struct glyph *g;
			if (sg->cluster < segs[s].lo || sg->cluster >= segs[s].hi)
				continue;
			if (run->cursive) {
				ix = (int)floor(gx);
				phase = (int)((gx - ix) * 4);
			} else {
				ix = (int)lround(gx);
			}
			pen += sg->adv * k;
			g = glyph_get(fs, run->font, sg->gid, (int)lround(px), phase);
			if (g == NULL)
				rc = -1;
			else
				rc = push_glyph(out, g, ix + g->left, iy - g->top, run->font,
				                sg->gid);
		}
	}
	free(segs);
	return rc;
}

static int inside(const struct laid *l, const struct box *b)
{
	return l->n == 0 || (l->ink.x0 >= b->x0 && l->ink.y0 >= b->y0 &&
	                     l->ink.x1 <= b->x1 && l->ink.y1 <= b->y1);
}

/* Place measured lines into `box`.  pad: the room kept at the sides for
 * glyphs whose ink overhangs their advance. */
static int place(struct fonts *fs, const struct text *t, const struct lines *ls,
                 double px, enum align al, const struct box *box, double pad,
                 struct laid *out)
{
	out->n = 0;
	out->px = px;
	out->lines = (int)ls->n;
	out->emergency = ls->emergency;
	out->height = ls->height;
	out->baseline = ls->n ? box->y0 + ls->v[0].baseline : box->y0;
	memset(&out->ink, 0, sizeof out->ink);
	for (size_t k = 0; k < ls->n; k++) {
		const struct line *l = &ls->v[k];
		int rtl = t->p[l->para].rtl;
		double left = box->x0 + pad, right = box->x1 - pad, x;
		if (al == ALIGN_CENTER)
			x = (left + right - l->width) / 2;
		else if (al == ALIGN_LEFT || al == ALIGN_RIGHT)
			x = al == ALIGN_LEFT ? left : right - l->width;
		else if ((al == ALIGN_START) != (rtl != 0))
			x = left;
		else
			x = right - l->width;
		if (place_line(fs, t, l, px, x, box->y0 + l->baseline, out) < 0)
			return -1;
	}
	return 0;
}

static double side_pad(double px)
{
	return ceil(px * 0.06);
}

int text_layout(struct fonts *fs, struct text *t, double px, double lh,
                enum align al, const struct box *box, struct laid *out)
{
	struct lines ls = {0};
	double pad = side_pad(px);
	int rc;

	if (measure(fs, t, px, lh, box->x1 - box->x0 - 2 * pad, &ls) < 0 ||
	    place(fs, t, &ls, px, al, box, pad, out) < 0) {
		free(ls.v);
		return -1;
	}
	rc = !ls.overflow && ls.height <= box->y1 - box->y0 + 0.01 && inside(out, box);
	free(ls.v);
	return rc;
}

int text_fit(struct fonts *fs, struct text *t, double max, double min, double lh,
             enum align al, const struct box *box, struct laid *out)
{
	struct lines ls = {0};
	int rc = 0;

	for (double px = floor(max); px >= ceil(min) - 1e-9; px -= 1) {
		double pad = side_pad(px);
		if (measure(fs, t, px, lh, box->x1 - box->x0 - 2 * pad, &ls) < 0) {
			rc = -1;
			break;
		}
		if (ls.overflow || ls.height > box->y1 - box->y0 + 0.01)
			continue;
		/* The lines fit by their metrics; the ink decides. */
		if (place(fs, t, &ls, px, al, box, pad, out) < 0) {
			rc = -1;
			break;
		}
		if (inside(out, box)) {
			rc = 1;
			break;
		}
	}
	free(ls.v);
	return rc;
}

double text_width(const struct text *t, double px)
{
	double best = 0;
	for (size_t pi = 0; pi < t->n; pi++) {
		const struct para *p = &t->p[pi];
		double w = 0, w_ink = 0;
		for (size_t i = 0; i < p->n; i++) {
			w += p->adv[i];
			if (!p->space[i])
				w_ink = w;
		}
		if (w_ink > best)
			best = w_ink;
	}
	return best * px + 2 * side_pad(px);
}

void laid_shift(struct laid *l, int dx, int dy)
{
	for (size_t i = 0; i < l->n; i++) {
		l->g[i].x += dx;
		l->g[i].y += dy;
	}
	l->ink.x0 += dx;
	l->ink.x1 += dx;
	l->ink.y0 += dy;
	l->ink.y1 += dy;
	l->baseline += dy;
}

void laid_free(struct laid *l)
{
	free(l->g);
	memset(l, 0, sizeof *l);
}
