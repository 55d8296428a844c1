/*
 * Shaping: text -> paragraphs of shaped runs (see cards_text.h).
 *
 * Contract: text_add() splits UTF-8 at line breaks into paragraphs (blank
 * lines become a gap before the next paragraph; leading and trailing
 * blank lines and other control characters are shown as nothing and as
 * spaces), finds each paragraph's direction and embedding levels with
 * FriBidi (rule P2/P3: the first strong character), the line break
 * opportunities with libunibreak (UAX #14, in the item's language; inside
 * runs of Thai, Lao, Khmer and Myanmar text, which has no spaces between
 * words, ICU's dictionary-based line breaker), the
 * face of every cluster through the fallback chain (cards_fonts.c), and
 * shapes every run with HarfBuzz in the run's direction, script and
 * language, with the whole paragraph as context.  Words are never changed:
 * every code point of the text is in exactly one paragraph.
 */
#include "cards_text.h"

#include <fribidi.h>
#include <hb.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>

void text_language_prepare(const char *lang)
{
	struct text t;
	hb_language_get_default();
	if (lang && *lang) {
		/* What shape_runs() will ask for: text_new()'s copy. */
		memset(t.lang, 0, sizeof t.lang);
		strncpy(t.lang, lang, sizeof t.lang - 1);
		hb_language_from_string(t.lang, -1);
	}
}

struct text *text_new(const char *lang)
{
	struct text *t = calloc(1, sizeof *t);
	if (t && lang) {
		strncpy(t->lang, lang, sizeof t->lang - 1);
	}
	return t;
}

static void para_free(struct para *p)
{
	free(p->cp);
	free(p->level);
	free(p->brk);
	free(p->cstart);
	free(p->space);
	free(p->adv);
	free(p->runs);
	free(p->g);
}

void text_free(struct text *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		para_free(&t->p[i]);
	free(t->p);
	free(t);
}

int text_rtl(const struct text *t)
{
	return t->n > 0 && t->p[0].rtl;
}

size_t text_notdef(const struct text *t)
{
	return t->notdef;
}

static int is_mark(uint32_t c)
{
	hb_unicode_general_category_t g =
		hb_unicode_general_category(hb_unicode_funcs_get_default(), c);
	return g == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
	       g == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
	       g == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

static int is_joiner_or_selector(uint32_t c)
{
	return c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x20E3 ||
	       (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) ||
	       (c >= 0xE0100 && c <= 0xE01EF);
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x205F ||
	       c == 0x1680;
}

/* The end of the cluster that starts at i (an approximation of extended
 * grapheme clusters: marks, joiners, selectors, modifiers, flag pairs). */
static size_t cluster_end(const uint32_t *cp, size_t n, size_t i)
{
	size_t j = i + 1;
	if (cp[i] >= 0x1F1E6 && cp[i] <= 0x1F1FF && j < n && cp[j] >= 0x1F1E6 &&
	    cp[j] <= 0x1F1FF)
		return j + 1;
	while (j < n && (is_mark(cp[j]) || is_joiner_or_selector(cp[j]) ||
	                 cp[j - 1] == 0x200D))
		j++;
	return j;
}

static int cursive_script(hb_script_t s)
{
	return s == HB_SCRIPT_ARABIC || s == HB_SCRIPT_SYRIAC || s == HB_SCRIPT_NKO ||
	       s == HB_SCRIPT_MONGOLIAN || s == HB_SCRIPT_MANDAIC;
}

/* Scripts per code point, Common and Inherited taking a neighbour's. */
static void resolve_scripts(const uint32_t *cp, size_t n, hb_script_t *sc)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	hb_script_t last = HB_SCRIPT_COMMON;

	for (size_t i = 0; i < n; i++) {
		sc[i] = hb_unicode_script(uf, cp[i]);
		if (sc[i] == HB_SCRIPT_INHERITED || sc[i] == HB_SCRIPT_COMMON ||
		    sc[i] == HB_SCRIPT_UNKNOWN)
			sc[i] = last;
		else
			last = sc[i];
	}
	last = HB_SCRIPT_COMMON;
	for (size_t i = n; i-- > 0;) {
		if (sc[i] == HB_SCRIPT_COMMON)
			sc[i] = last;
		else
			last = sc[i];
	}
}

static int shape_runs(struct text *t, struct fonts *fs, struct para *p,
                      const hb_script_t *sc, const int *face)
{
	hb_buffer_t *buf = hb_buffer_create();
	hb_language_t lang = t->lang[0] ? hb_language_from_string(t->lang, -1)
	                                : hb_language_get_default();
	size_t cap = 0;

	if (!hb_buffer_allocation_successful(buf))
		return -1;
	for (size_t i = 0; i < p->n;) {
		size_t j = i + 1;
		struct run *r;
		while (j < p->n && p->level[j] == p->level[i] && sc[j] == sc[i] &&
		       face[j] == face[i])
			j++;
		r = realloc(p->runs, (p->nruns + 1) * sizeof *r);
		if (r == NULL)
			goto fail;
		p->runs = r;
		r = &p->runs[p->nruns++];
		*r = (struct run){i, j - i, face[i], p->level[i], cursive_script(sc[i]), p->ng, 0};
		hb_buffer_clear_contents(buf);
		hb_buffer_add_codepoints(buf, p->cp, (int)p->n, (unsigned)i, (int)(j - i));
		hb_buffer_set_direction(buf, p->level[i] & 1 ? HB_DIRECTION_RTL
		                                               : HB_DIRECTION_LTR);
		hb_buffer_set_script(buf, sc[i]);
		hb_buffer_set_language(buf, lang);
		hb_shape(fs->f[face[i]]->hb_font, buf, NULL, 0);
		unsigned ng;
		hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &ng);
		hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
		if (p->ng + ng > cap) {
			size_t c2 = (p->ng + ng) * 2;
			struct sglyph *g = realloc(p->g, c2 * sizeof *g);
			if (g == NULL)
				goto fail;
			p->g = g;
			cap = c2;
		}
		double upem = fs->f[face[i]]->upem;
		for (unsigned k = 0; k < ng; k++) {
			uint32_t cl = info[k].cluster;
			p->g[p->ng + k] = (struct sglyph){info[k].codepoint, cl,
			                                  pos[k].x_advance, pos[k].x_offset,
			                                  pos[k].y_offset};
			if (cl < p->n)
				p->adv[cl] += pos[k].x_advance / upem;
			if (info[k].codepoint == 0 && cl < p->n && !is_space(p->cp[cl]) &&
			    !is_joiner_or_selector(p->cp[cl]))
				t->notdef++;
		}
		r->ng = ng;
		p->ng += ng;
		i = j;
	}
	hb_buffer_destroy(buf);
	return 0;
fail:
	hb_buffer_destroy(buf);
	return -1;
}

/* Scripts of line break class SA (Thai, Lao, Myanmar, Khmer, Tai Le, New
 * Tai Lue, Tai Tham, Tai Viet): written without spaces between words.
 * All in the BMP. */
static int south_east_asian(uint32_t c)
{
	return (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1000 && c <= 0x109F) ||
	       (c >= 0x1780 && c <= 0x17FF) || (c >= 0x1950 && c <= 0x1AAF) ||
	       (c >= 0x19E0 && c <= 0x19FF) || (c >= 0xA9E0 && c <= 0xA9FF) ||
	       (c >= 0xAA60 && c <= 0xAADF);
}

/* Word boundaries of one SA run, by ICU's dictionaries, as breaks allowed
 * after the character before each.  A failure leaves the run as it was. */
static void dictionary_breaks(const uint32_t *cp, size_t n, const char *lang, char *brks)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u = malloc(n * sizeof *u);
	UBreakIterator *bi;

	if (u == NULL)
		return;
	for (size_t k = 0; k < n; k++)
		u[k] = (UChar)cp[k];
	bi = ubrk_open(UBRK_LINE, lang && *lang ? lang : "", u, (int32_t)n, &st);
	if (U_SUCCESS(st))
		for (int32_t b = ubrk_next(bi); b != UBRK_DONE && b < (int32_t)n;
		     b = ubrk_next(bi))
			if (b > 0)
				brks[b - 1] = LINEBREAK_ALLOWBREAK;
	ubrk_close(bi);
	free(u);
}

/* libunibreak (1.1, Debian 12) has no dictionary: it finds no break inside
 * a run of Thai or Khmer, and a long one would be cut inside a word. */
static void south_east_asian_breaks(const uint32_t *cp, size_t n, const char *lang,
                                    char *brks)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && south_east_asian(cp[j]))
			j++;
		if (j - i >= 2)
			dictionary_breaks(cp + i, j - i, lang, brks + i);
		i = j > i ? j : i + 1;
	}
}

/* Shape one paragraph's code points (taken). */
static int add_para(struct text *t, struct fonts *fs, uint32_t *cp, size_t n,
                    int role, int gap)
{
	struct para *p, *grown = realloc(t->p, (t->n + 1) * sizeof *grown);
	FriBidiCharType *types = NULL;
	FriBidiBracketType *brackets = NULL;
	FriBidiLevel *levels = NULL;
	FriBidiParType base = FRIBIDI_PAR_ON;
	hb_script_t *sc = NULL;
	int *face = NULL, rc = -1;
	char *brks = NULL;
	uint32_t *lbtext = NULL;

	if (grown == NULL) {
		free(cp);
		return -1;
	}
	t->p = grown;
	p = &t->p[t->n++];
	memset(p, 0, sizeof *p);
	p->cp = cp;
	p->n = n;
	p->role = role;
	p->gap_before = gap;
	p->level = calloc(n + 1, 1);
	p->brk = calloc(n + 1, 1);
	p->cstart = calloc(n + 1, 1);
	p->space = calloc(n + 1, 1);
	p->adv = calloc(n + 1, sizeof *p->adv);
	types = malloc((n + 1) * sizeof *types);
	brackets = malloc((n + 1) * sizeof *brackets);
	levels = malloc((n + 1) * sizeof *levels);
	sc = malloc((n + 1) * sizeof *sc);
	face = malloc((n + 1) * sizeof *face);
	brks = malloc(n + 1);
	lbtext = malloc((n + 1) * sizeof *lbtext);
	if (!p->level || !p->brk || !p->cstart || !p->space || !p->adv || !types ||
	    !brackets || !levels || !sc || !face || !brks || !lbtext)
		goto done;

	fribidi_get_bidi_types(cp, (FriBidiStrIndex)n, types);
	fribidi_get_bracket_types(cp, (FriBidiStrIndex)n, types, brackets);
	if (!fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n,
	                                         &base, levels))
		memset(levels, 0, n * sizeof *levels);
	p->rtl = FRIBIDI_IS_RTL(base) ? 1 : 0;
	for (size_t i = 0; i < n; i++)
		p->level[i] = (unsigned char)levels[i];

	/* libunibreak 1.1 (Debian 12) aborts on regional indicators and on
	 * U+FFFF: it sees stand-ins with the same break behaviour. */
	for (size_t i = 0; i < n; i++)
		lbtext[i] = (cp[i] >= 0x1F1E6 && cp[i] <= 0x1F1FF) ? 0x4E00
		            : cp[i] == 0xFFFF ? 0xFFFD : cp[i];
	set_linebreaks_utf32(lbtext, n, t->lang[0] ? t->lang : NULL, brks);
	south_east_asian_breaks(cp, n, t->lang, brks);
	resolve_scripts(cp, n, sc);
	for (size_t i = 0; i < n;) {
		size_t j = cluster_end(cp, n, i);
		size_t run = i;
		while (run < n && run - i < 48 && sc[run] == sc[i])
			run++;
		int f = fonts_pick(fs, role, i > 0 ? face[i - 1] : -1, cp + i, j - i, cp + i,
		                   run - i, t->lang);
		/* Spaces and punctuation stay in the face before them when it has
		 * them, so that runs do not split around every space. */
		if (i > 0 && f != fs->emoji && f != face[i - 1] && face[i - 1] != fs->emoji &&
		    hb_unicode_script(hb_unicode_funcs_get_default(), cp[i]) == HB_SCRIPT_COMMON &&
		    font_has(fs->f[face[i - 1]], cp[i]))
			f = face[i - 1];
		p->cstart[i] = 1;
		for (size_t k = i; k < j; k++) {
			face[k] = f;
			p->space[k] = (unsigned char)is_space(cp[k]);
			p->brk[k] = k + 1 == j && j < n && brks[k] == LINEBREAK_ALLOWBREAK;
			if (k > i)
				sc[k] = sc[i];
		}
		i = j;
	}
	rc = shape_runs(t, fs, p, sc, face);
done:
	free(types);
	free(brackets);
	free(levels);
	free(sc);
	free(face);
	free(brks);
	free(lbtext);
	return rc;
}

int text_add(struct text *t, struct fonts *fs, const char *utf8, int role)
{
	size_t n = 0, start = 0;
	uint32_t *cp = utf8_decode(utf8, strlen(utf8), &n);
	int gap = 0, seen = 0;

	if (cp == NULL)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		uint32_t c = i < n ? cp[i] : '\n';
		size_t len;
		uint32_t *pc;
		if (c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029 && c != 0x85) {
			if (c < 0x20 || (c >= 0x7F && c < 0xA0))
				cp[i] = ' ';
			continue;
		}
		len = i - start;
		if (c == '\r' && i + 1 < n && cp[i + 1] == '\n')
			i++;
		if (len == 0) {
			gap = seen;
			start = i + 1;
			continue;
		}
		pc = malloc(len * sizeof *pc);
		if (pc == NULL) {
			free(cp);
			return -1;
		}
		memcpy(pc, cp + start, len * sizeof *pc);
		if (add_para(t, fs, pc, len, role, gap && seen) < 0) {
			free(cp);
			return -1;
		}
		seen = 1;
		gap = 0;
		start = i + 1;
	}
	free(cp);
	return 0;
}
