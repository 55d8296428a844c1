/*
 * One card: where everything goes, then drawing and encoding.
 *
 * Contract: card_render() places, from the bottom up, the author block
 * (avatar or initials badge, the credited name, role, rating stars and the
 * platform) and the footer; the logo at the top; and in the space between,
 * the decorative quote mark and the quote, centred as a group.  The quote
 * is sized by text_fit() between the theme's maximum and minimum: it is
 * never cut.  When it cannot fit at the minimum, the curator's excerpt
 * (the original's own words, "…" where words were left out) is tried the
 * same way; when neither fits, out->fitted is 0 and no PNG is made.  A
 * right-to-left quote mirrors the card.  Runs on any thread, with the
 * renderer's own fonts and buffers; nothing here calls the host.
 */
#include "cards.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const source_names[][2] = {
	{"mastodon", "Mastodon"}, {"x", "X"}, {"bluesky", "Bluesky"},
	{"facebook", "Facebook"}, {"instagram", "Instagram"},
	{"google-reviews", "Google"}, {"yelp", "Yelp"}, {"trustpilot", "Trustpilot"},
	{"youtube", "YouTube"}, {"reddit", "Reddit"}, {"typeform", "Typeform"},
	{NULL, NULL}};

/* The platform as people name it; NULL for sources that are not one (a
 * CSV export). */
static const char *platform(const char *source)
{
	if (source == NULL || strcmp(source, "csv") == 0)
		return NULL;
	for (int i = 0; source_names[i][0]; i++)
		if (strcmp(source, source_names[i][0]) == 0)
			return source_names[i][1];
	return source;
}

/* Up to two initials (first letters of the first and last words), with a
 * zero-width non-joiner between them so that Arabic letters stay apart. */
static void initials(const char *name, char *out, size_t size)
{
	const char *first = NULL, *last = NULL;
	size_t o = 0;

	for (const char *p = name; *p; p++) {
		const char *w = *p == '@' ? p + 1 : p;
		if ((p == name || p[-1] == ' ') && *p != ' ' && *w && *w != ' ') {
			if (first == NULL)
				first = w;
			last = w;
		}
	}
	for (int k = 0; k < 2; k++) {
		const char *w = k == 0 ? first : last;
		size_t n;
		if (w == NULL || (k == 1 && last == first))
			continue;
		n = 1;
		while ((w[n] & 0xC0) == 0x80)
			n++;
		if (o + n + 4 > size)
			break;
		if (k == 1) {
			memcpy(out + o, "\u200C", 3);
			o += 3;
		}
		memcpy(out + o, w, n);
		if (n == 1 && w[0] >= 'a' && w[0] <= 'z')
			out[o] = (char)(w[0] - 32);
		o += n;
	}
	out[o] = 0;
}

/* One unwrapped line in [x0, x1) from `top`, shrunk to fit the width. */
static int one_line(struct card_env *e, const char *s, int role, double px,
                    const char *lang, int x0, int x1, int top, int right,
                    struct laid *out, size_t *notdef)
{
	struct text *t = text_new(lang);
	struct box b = {x0, top, x1, top + (int)(px * 10) + 10};
	double w;
	int rc = -1;

	if (t == NULL || text_add(t, e->fonts, s, role) < 0)
		goto done;
	w = text_width(t, px);
	if (w > x1 - x0)
		px = floor(px * (x1 - x0) / w);
	if (px < 6)
		px = 6;
	*notdef += text_notdef(t);
	rc = text_layout(e->fonts, t, px, 1.0, right ? ALIGN_RIGHT : ALIGN_LEFT, &b,
	                 out) < 0 ? -1 : 0;
done:
	text_free(t);
	return rc;
}

static int add_laid(struct drawlist *d, const struct laid *l, struct rgb c)
{
	for (size_t i = 0; i < l->n; i++)
		if (drawlist_add(d, l->g[i].g->im.ch == 1 ? OP_MASK : OP_RGBA,
		                 &l->g[i].g->im, l->g[i].x, l->g[i].y, c) < 0)
			return -1;
	return 0;
}

/* The author block, bottom-aligned at `bottom`.  RETURN VALUE its top. */
static int author_block(struct card_env *e, const struct card_in *in, int rtl,
                        int bottom, struct card_parts *p, struct drawlist *d,
                        struct image *badge)
{
	const struct theme *t = e->theme;
	double s = e->s, gap = 8 * s;
	int m = (int)lround(t->margin * s), dia = (int)lround(t->avatar_size * s);
	int show_av = t->avatar && in->name && *in->name;
	int tx0, tx1, y, h_stack, h_block, top;
	const char *plat = t->show_source ? platform(in->source) : NULL;
	char meta[160] = "";
	int star = (int)lround(t->star_size * s), nstars = 0, stars_w = 0;

	if (show_av) {
		tx0 = rtl ? m : m + dia + (int)lround(28 * s);
		tx1 = rtl ? e->w - m - dia - (int)lround(28 * s) : e->w - m;
	} else {
		tx0 = m;
		tx1 = e->w - m;
	}
	if (in->has_rating && in->scale > 0) {
		nstars = 5;
		stars_w = 5 * star + 4 * (int)lround(star * 0.18);
	}
	if (plat)
		snprintf(meta, sizeof meta, "%s%s", nstars ? "on " : "", plat);
	if (in->name && *in->name &&
	    one_line(e, in->name, e->fonts->bold, t->name_size * s, in->lang, tx0, tx1,
	             0, rtl, &p->name, &p->notdef) < 0)
		return -1;
	if (in->role && *in->role &&
	    one_line(e, in->role, e->fonts->regular, t->detail_size * s, in->lang, tx0,
	             tx1, 0, rtl, &p->role, &p->notdef) < 0)
		return -1;
	if (*meta) {
		int mx0 = rtl ? tx0 : tx0 + (nstars ? stars_w + (int)lround(14 * s) : 0);
		int mx1 = rtl ? tx1 - (nstars ? stars_w + (int)lround(14 * s) : 0) : tx1;
		if (one_line(e, meta, e->fonts->regular, t->detail_size * s, NULL, mx0, mx1,
		             0, rtl, &p->meta, &p->notdef) < 0)
			return -1;
	}
	h_stack = (int)lround(p->name.height + p->role.height +
	                      (p->meta.n || nstars ? fmax(p->meta.height, star) : 0));
	h_stack += (int)lround(gap * ((p->name.n > 0) + (p->role.n > 0) +
	                              (p->meta.n > 0 || nstars > 0) - 1));
	h_block = show_av && dia > h_stack ? dia : h_stack;
	if (h_block <= 0)
		return bottom;
	top = bottom - h_block;
	y = top + (h_block - h_stack) / 2;
	if (p->name.n) {
		laid_shift(&p->name, 0, y);
		y += (int)lround(p->name.height + gap);
	}
	if (p->role.n) {
		laid_shift(&p->role, 0, y);
		y += (int)lround(p->role.height + gap);
	}
	if (p->meta.n || nstars) {
		int row_h = (int)lround(fmax(p->meta.height, star));
		const struct glyph *g = nstars ? glyph_star(e->fonts, star) : NULL;
		double filled = nstars ? round(in->rating / in->scale * 10) / 2 : 0;
		int sx = rtl ? tx1 - stars_w : tx0, sy = y + (row_h - star) / 2;
		if (p->meta.n)
			laid_shift(&p->meta, 0, y + (int)lround((row_h - p->meta.height) / 2));
		if (nstars && g == NULL)
			return -1;
		p->stars_box = (struct box){sx, sy, sx + stars_w, sy + star};
		for (int i = 0; i < nstars; i++) {
			/* Left to right; mirrored cards fill from the right. */
			int k = rtl ? nstars - 1 - i : i;
			int x = sx + i * (star + (int)lround(star * 0.18));
			double f = filled - k;
			if (drawlist_add(d, OP_MASK, &g->im, x, sy, t->star_empty) < 0)
				return -1;
			if (f <= 0)
				continue;
			if (drawlist_add(d, OP_MASK, &g->im, x, sy, t->star) < 0)
				return -1;
			if (f < 1) {
				if (rtl)
					d->v[d->n - 1].clip_x0 = x + star / 2;
				else
					d->v[d->n - 1].clip_x1 = x + star / 2;
			}
		}
	}
	if (show_av) {
		int ax = rtl ? e->w - m - dia : m, ay = top + (h_block - dia) / 2;
		const struct image *im = in->avatar;
		p->avatar_box = (struct box){ax, ay, ax + dia, ay + dia};
		if (im == NULL || im->w != dia) {
			char ini[16];
			initials(in->name, ini, sizeof ini);
			if (image_disc(dia, t->accent, badge) < 0 ||
			    one_line(e, ini, e->fonts->bold, dia * 0.4, in->lang, ax, ax + dia,
			             0, 0, &p->badge, &p->notdef) < 0)
				return -1;
			im = badge;
			laid_shift(&p->badge,
			           (p->badge.n ? (ax + dia - p->badge.ink.x1 + ax - p->badge.ink.x0) / 2 : 0),
			           (p->badge.n ? (ay + dia - p->badge.ink.y1 + ay - p->badge.ink.y0) / 2 : 0));
		}
		if (drawlist_add(d, OP_RGBA, im, ax, ay, t->text) < 0 ||
		    add_laid(d, &p->badge, t->badge_text) < 0)
			return -1;
	}
	if (add_laid(d, &p->name, t->text) < 0 || add_laid(d, &p->role, t->muted) < 0 ||
	    add_laid(d, &p->meta, t->muted) < 0)
		return -1;
	return top;
}

/* The quote mark and the quote, centred as a group in [top, bottom). */
static int quote_block(struct card_env *e, struct text *q,
                       int top, int bottom, struct card_parts *p, struct drawlist *d,
                       int *fitted)
{
	const struct theme *t = e->theme;
	double s = e->s;
	int m = (int)lround(t->margin * s), rtl = text_rtl(q), mark_h = 0, gap = 0;
	struct box b;
	int r, dy;

	if (t->quote_mark && t->mark_size > 0) {
		double px = t->mark_size * s;
		if (one_line(e, rtl ? "\u201D" : "\u201C", e->fonts->mark, px, NULL, m,
		             e->w - m, 0, rtl, &p->mark, &p->notdef) < 0)
			return -1;
		if (p->mark.n) {
			mark_h = p->mark.ink.y1 - p->mark.ink.y0;
			gap = (int)lround(px * 0.12);
		}
	}
	b = (struct box){m, top + mark_h + gap, e->w - m, bottom};
	p->text_box = b;
	if (b.y1 - b.y0 < 1) {
		*fitted = 0;
		return 0;
	}
	r = text_fit(e->fonts, q, t->quote_max * s, t->quote_min * s, t->line_height,
	             t->align, &b, &p->quote);
	if (r < 0)
		return -1;
	*fitted = r;
	if (r == 0)
		return 0;
	/* Centre the group; the glyphs stay inside the box they were fitted to. */
	dy = (int)(((bottom - top) - (mark_h + gap + (int)lround(p->quote.height))) / 2);
	if (dy < 0)
		dy = 0;
	if (p->quote.n && p->quote.ink.y1 + dy > b.y1)
		dy = b.y1 - p->quote.ink.y1;
	laid_shift(&p->quote, 0, dy);
	if (p->mark.n) { /* on the side the lines start from */
		int mw = p->mark.ink.x1 - p->mark.ink.x0;
		int right = t->align == ALIGN_RIGHT || (t->align == ALIGN_START && rtl) ||
		            (t->align == ALIGN_END && !rtl);
		int mx = t->align == ALIGN_CENTER ? (e->w - mw) / 2 : right ? e->w - m - mw : m;
		laid_shift(&p->mark, mx - p->mark.ink.x0, top + dy - p->mark.ink.y0);
		if (add_laid(d, &p->mark, t->accent) < 0)
			return -1;
	}
	return add_laid(d, &p->quote, t->text);
}

static void parts_free(struct card_parts *p)
{
	laid_free(&p->quote);
	laid_free(&p->mark);
	laid_free(&p->name);
	laid_free(&p->role);
	laid_free(&p->meta);
	laid_free(&p->badge);
	laid_free(&p->footer);
}

/* The title (when shown) and `body`, shaped.  NULL when out of memory. */
static struct text *quote_text(struct card_env *e, const struct card_in *in,
                               const char *body)
{
	const struct theme *t = e->theme;
	struct text *q = text_new(in->lang);
	if (q == NULL || (t->show_title && in->title && *in->title &&
	                  text_add(q, e->fonts, in->title, e->fonts->bold) < 0) ||
	    text_add(q, e->fonts, body, e->fonts->regular) < 0) {
		text_free(q);
		return NULL;
	}
	return q;
}

int card_render(struct card_env *e, const struct card_in *in, int debug,
                struct card_result *out, char *msg, size_t msg_size)
{
	const struct theme *t = e->theme;
	struct card_parts p;
	struct drawlist d = {0};
	struct image badge = {0};
	struct text *q = quote_text(e, in, in->text);
	struct canvas c = {e->w, e->h, t->corner_radius > 0 ? 4 : 3, NULL,
	                   t->background, t->corner_radius * e->s, NULL, NULL, NULL};
	int m = (int)lround(t->margin * e->s), top = m, bottom = e->h - m, rc = -1;
	int fitted = 0;

	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	if (q == NULL)
		goto nomem;
	p.notdef = text_notdef(q);
	if (e->footer && *e->footer) {
		int fh;
		if (one_line(e, e->footer, e->fonts->regular, t->footer_size * e->s, NULL, m,
		             e->w - m, 0, 0, &p.footer, &p.notdef) < 0)
			goto nomem;
		fh = (int)lround(p.footer.height);
		laid_shift(&p.footer, p.footer.n ? (e->w - p.footer.ink.x1 - p.footer.ink.x0) / 2 : 0,
		           bottom - fh);
		if (add_laid(&d, &p.footer, t->muted) < 0)
			goto nomem;
		bottom -= fh + (int)lround(28 * e->s);
	}
	bottom = author_block(e, in, text_rtl(q), bottom, &p, &d, &badge);
	if (bottom < 0)
		goto nomem;
	bottom -= (int)lround(44 * e->s);
	if (e->logo) {
		int lx = text_rtl(q) ? m : e->w - m - e->logo->w;
		p.logo_box = (struct box){lx, m, lx + e->logo->w, m + e->logo->h};
		if (drawlist_add(&d, OP_RGBA, e->logo, lx, m, t->text) < 0)
			goto nomem;
		top = m + e->logo->h + (int)lround(24 * e->s);
	}
	if (quote_block(e, q, top, bottom, &p, &d, &fitted) < 0)
		goto nomem;
	if (!fitted && in->excerpt && *in->excerpt) {
		/* The excerpt, in the same place, on the same terms. */
		text_free(q);
		laid_free(&p.quote);
		laid_free(&p.mark);
		if ((q = quote_text(e, in, in->excerpt)) == NULL)
			goto nomem;
		p.notdef += text_notdef(q);
		if (quote_block(e, q, top, bottom, &p, &d, &fitted) < 0)
			goto nomem;
		out->excerpt = fitted;
	}
	out->notdef = p.notdef;
	out->fitted = fitted;
	out->quote_px = p.quote.px;
	out->lines = p.quote.lines;
	out->emergency = p.quote.emergency;
	if (!fitted) {
		rc = 0;
		goto done;
	}
	if (e->canvas_px == NULL) {
		e->canvas_px = malloc((size_t)e->w * e->h * 4);
		e->touched = malloc((size_t)e->h);
		e->stale = malloc((size_t)e->h);
		e->span = malloc(2 * (size_t)e->h * sizeof *e->span);
		if (e->canvas_px == NULL || e->touched == NULL || e->stale == NULL ||
		    e->span == NULL)
			goto nomem;
		memset(e->stale, 1, (size_t)e->h); /* nothing drawn yet */
	}
	c.px = e->canvas_px;
	c.touched = e->touched;
	c.stale = e->stale;
	c.span = e->span;
	canvas_touch(&c, &d, e->touched, e->span);
	canvas_band(&c, &d, 0, c.h);
	if (png_encode(e->enc, &c, e->dpi, &out->png, msg, msg_size) < 0)
		goto done;
	if (debug && (out->boxes_json = card_boxes_json(e, in, &p, out->excerpt)) == NULL)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	snprintf(msg, msg_size, "out of memory rendering the card");
done:
	text_free(q);
	parts_free(&p);
	drawlist_free(&d);
	image_free(&badge);
	glyph_cache_trim(e->fonts);
	return rc;
}

void card_result_free(struct card_result *r)
{
	free(r->png.data);
	free(r->boxes_json);
	memset(r, 0, sizeof *r);
}
