/*
 * Fonts: the theme's faces, the fallback chain, and fontconfig for what
 * the chain lacks.
 *
 * Contract: every face is one font file mapped into memory once, shared by
 * FreeType (rasterising, cards_glyphs.c) and HarfBuzz (shaping at a scale
 * of one unit per font unit, so one shaping serves every size).  The chain
 * is: the role's face (regular or bold), then the job's "fallback_fonts"
 * (default: Noto Sans Arabic and Hebrew, Noto Color Emoji, DejaVu Sans
 * where installed), then whatever fontconfig finds for a code point none
 * of them has, added to the chain for the rest of the run.  A cluster that
 * asks for emoji presentation (an emoji character, U+FE0F, a ZWJ sequence,
 * a flag) goes to the colour emoji face first.  The decorative quote mark
 * has its own face (Noto Serif Bold where installed), outside the chain.
 * fontconfig's answers are remembered by question, and a face is picked
 * only from the question's answer, never from faces earlier cards needed:
 * a card looks the same whichever renderer draws it, after whichever
 * cards.  A struct fonts belongs to one thread (one renderer).
 */
#include "cards.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <hb-ot.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOTO "/usr/share/fonts/truetype/noto/"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/"

static const char *const default_regular[] = {NOTO "NotoSans-Regular.ttf",
                                              DEJAVU "DejaVuSans.ttf", NULL};
static const char *const default_bold[] = {NOTO "NotoSans-Bold.ttf",
                                           DEJAVU "DejaVuSans-Bold.ttf", NULL};
static const char *const default_mark[] = {NOTO "NotoSerif-Bold.ttf",
                                           DEJAVU "DejaVuSerif-Bold.ttf", NULL};
static const char *const default_fallback[] = {
	NOTO "NotoSansArabic-Regular.ttf", NOTO "NotoSansHebrew-Regular.ttf",
	NOTO "NotoColorEmoji.ttf", DEJAVU "DejaVuSans.ttf", NULL};

static int fc_users; /* renderers using fontconfig; FcFini at the last */

struct fc_memo {
	uint64_t question;   /* code point, weight, language and context */
	int face;            /* -1: fontconfig has nothing for it */
};

static struct font *font_load(struct fonts *fs, const char *file, int index,
                              char *msg, size_t msg_size)
{
	struct font *f = calloc(1, sizeof *f);
	FT_Face face;
	hb_blob_t *blob;
	hb_face_t *hface;
	hb_font_extents_t ext;

	if (f == NULL || (f->file = strdup(file)) == NULL) {
		free(f);
		snprintf(msg, msg_size, "out of memory loading %s", file);
		return NULL;
	}
	f->index = index;
	if (map_file(file, &f->data, &f->size, msg, msg_size) < 0)
		goto fail;
	if (FT_New_Memory_Face(fs->ft_lib, f->data, (FT_Long)f->size, index, &face)) {
		snprintf(msg, msg_size, "%s is not a font FreeType can read", file);
		goto fail;
	}
	f->ft_face = face;
	f->color = FT_HAS_COLOR(face) && FT_HAS_FIXED_SIZES(face) && !FT_IS_SCALABLE(face);
	if (f->color) {
		int best = 0;
		for (int i = 1; i < face->num_fixed_sizes; i++)
			if (face->available_sizes[i].y_ppem > face->available_sizes[best].y_ppem)
				best = i;
		FT_Select_Size(face, best);
		f->strike_ppem = (int)(face->available_sizes[best].y_ppem >> 6);
	} else if (!FT_IS_SCALABLE(face)) {
		snprintf(msg, msg_size, "%s has no outlines (a bitmap font); use an "
		         "OpenType or TrueType font", file);
		goto fail;
	}
	blob = hb_blob_create((const char *)f->data, (unsigned)f->size,
	                      HB_MEMORY_MODE_READONLY, NULL, NULL);
	hface = hb_face_create(blob, (unsigned)index);
	hb_blob_destroy(blob);
	f->upem = (int)hb_face_get_upem(hface);
	f->hb_font = hb_font_create(hface);
	hb_face_destroy(hface);
	if (f->upem <= 0)
		f->upem = 1000;
	hb_font_set_scale(f->hb_font, f->upem, f->upem);
	hb_font_get_h_extents(f->hb_font, &ext);
	f->ascender = (double)ext.ascender / f->upem;
	f->descender = (double)-ext.descender / f->upem;
	if (f->ascender <= 0)
		f->ascender = 0.9;
	if (f->descender <= 0)
		f->descender = 0.25;
	return f;
fail:
	unmap_file(f->data, f->size);
	free(f->file);
	free(f);
	return NULL;
}

static void font_free(struct font *f)
{
	if (f == NULL)
		return;
	hb_font_destroy(f->hb_font);
	if (f->ft_face)
		FT_Done_Face(f->ft_face);
	unmap_file(f->data, f->size);
	free(f->file);
	free(f);
}

/* Add a face to the set (once per file and index).  RETURN VALUE its
 * index, or -1 with msg. */
static int add_font(struct fonts *fs, const char *file, int index, char *msg,
                    size_t msg_size)
{
	for (int i = 0; i < fs->n; i++)
		if (fs->f[i]->index == index && strcmp(fs->f[i]->file, file) == 0)
			return i;
	if (fs->n == CARDS_MAX_FONTS) {
		snprintf(msg, msg_size, "more than %d fonts in the chain; list fewer "
		         "fallback_fonts", CARDS_MAX_FONTS);
		return -1;
	}
	fs->f[fs->n] = font_load(fs, file, index, msg, msg_size);
	return fs->f[fs->n] ? fs->n++ : -1;
}

/* The file fontconfig matches for a family pattern ("sans-serif:bold"). */
static char *fc_match_name(const char *name)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)name), *m;
	FcResult r;
	FcChar8 *file = NULL;
	char *out = NULL;

	if (pat == NULL)
		return NULL;
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	m = FcFontMatch(NULL, pat, &r);
	if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch)
		out = strdup((const char *)file);
	FcPatternDestroy(m);
	FcPatternDestroy(pat);
	return out;
}

static int open_role(struct fonts *fs, const char *given, const char *const *defaults,
                     const char *fc_name, char *msg, size_t msg_size)
{
	char *found = NULL;
	int i;

	if (given)
		return add_font(fs, given, 0, msg, msg_size);
	for (const char *const *d = defaults; *d; d++)
		if (access(*d, R_OK) == 0)
			return add_font(fs, *d, 0, msg, msg_size);
	found = fc_match_name(fc_name);
	if (found == NULL) {
		snprintf(msg, msg_size, "no font found for the theme: install "
		         "fonts-noto-core, or set \"font\" and \"font_bold\" in the theme");
		return -1;
	}
	i = add_font(fs, found, 0, msg, msg_size);
	free(found);
	return i;
}

int fonts_open(struct fonts *fs, const struct theme *t,
               const char *const *fallback, char *msg, size_t msg_size)
{
	memset(fs, 0, sizeof *fs);
	fs->emoji = -1;
	if (FT_Init_FreeType((FT_Library *)&fs->ft_lib)) {
		snprintf(msg, msg_size, "FreeType could not start");
		return -1;
	}
	if (!FcInit()) {
		snprintf(msg, msg_size, "fontconfig could not start");
		return -1;
	}
	fc_users++;
	fs->use_fontconfig = 1;
	if ((fs->regular = open_role(fs, t->font, default_regular, "sans-serif",
	                             msg, msg_size)) < 0 ||
	    (fs->bold = open_role(fs, t->font_bold, default_bold, "sans-serif:bold",
	                          msg, msg_size)) < 0)
		return -1;
	fs->mark = fs->bold;
	for (const char *const *d = default_mark; *d; d++)
		if (access(*d, R_OK) == 0) {
			if ((fs->mark = add_font(fs, *d, 0, msg, msg_size)) < 0)
				return -1;
			break;
		}
	if (fallback) {
		for (const char *const *p = fallback; *p; p++)
			if (add_font(fs, *p, 0, msg, msg_size) < 0)
				return -1;
	} else {
		for (const char *const *p = default_fallback; *p; p++)
			if (access(*p, R_OK) == 0 && add_font(fs, *p, 0, msg, msg_size) < 0)
				return -1;
	}
	fs->n_chain = fs->n;
	for (int i = 0; i < fs->n; i++)
		if (fs->f[i]->color) {
			fs->emoji = i;
			break;
		}
	return 0;
}

void fonts_close(struct fonts *fs)
{
	glyph_cache_free(fs);
	for (int i = 0; i < fs->n; i++)
		font_free(fs->f[i]);
	fs->n = 0;
	if (fs->ft_lib)
		FT_Done_FreeType(fs->ft_lib);
	fs->ft_lib = NULL;
	free(fs->memo);
	fs->memo = NULL;
	fs->n_memo = fs->cap_memo = 0;
	if (fs->use_fontconfig && --fc_users == 0)
		FcFini();
	fs->use_fontconfig = 0;
}

int font_has(struct font *f, uint32_t cp)
{
	return FT_Get_Char_Index(f->ft_face, cp) != 0;
}

/* Characters that only select or join: a face need not map them. */
static int ignorable(uint32_t c)
{
	return (c >= 0xFE00 && c <= 0xFE0F) || c == 0x200D || c == 0x200C ||
	       (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0xE0020 && c <= 0xE007F) ||
	       (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3;
}

/* Emoji_Presentation=Yes (Unicode emoji-data), close enough: the
 * pictographic planes and the BMP characters that default to emoji. */
static int emoji_presentation(uint32_t c)
{
	static const uint32_t bmp[][2] = {
		{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
		{0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
		{0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE},
		{0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
		{0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
		{0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C},
		{0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
		{0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50},
		{0x2B55, 0x2B55}};
	if (c >= 0x1F000 && c <= 0x1FAFF)
		return !(c >= 0x1F100 && c <= 0x1F1E5) || c == 0x1F18E ||
		       (c >= 0x1F191 && c <= 0x1F19A);
	for (size_t i = 0; i < sizeof bmp / sizeof bmp[0]; i++)
		if (c >= bmp[i][0] && c <= bmp[i][1])
			return 1;
	return 0;
}

static int wants_emoji(const uint32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (cp[i] == 0xFE0E)
			return 0;
		if (cp[i] == 0xFE0F || cp[i] == 0x20E3 || (cp[i] == 0x200D && i + 1 < n))
			return 1;
	}
	return emoji_presentation(cp[0]);
}

static int covers(struct font *f, const uint32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ignorable(cp[i]) && !font_has(f, cp[i]))
			return 0;
	return 1;
}

static uint64_t question(uint32_t cp, const uint32_t *ctx, size_t nctx, const char *lang,
                         int bold)
{
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, &cp, sizeof cp);
	h = fnv1a(h, &bold, sizeof bold);
	if (lang)
		h = fnv1a(h, lang, strlen(lang));
	for (size_t i = 0; i < nctx; i++)
		if (!ignorable(ctx[i]))
			h = fnv1a(h, &ctx[i], sizeof ctx[i]);
	return h;
}

/* Ask fontconfig for a face with `cp` and as many as it can of ctx[0..nctx)
 * (the rest of the word's script run, so that a word is not split across
 * faces that each have part of the script); add it.  RETURN VALUE its index
 * or -1 (none).  Each question is asked once per renderer. */
static int fc_find(struct fonts *fs, uint32_t cp, const uint32_t *ctx, size_t nctx,
                   const char *lang, int bold)
{
	FcPattern *pat, *m;
	FcCharSet *cs, *mcs = NULL;
	FcResult r;
	FcChar8 *file = NULL;
	int index = 0, found = -1;
	uint64_t q = question(cp, ctx, nctx, lang, bold);
	char msg[300];

	for (size_t i = 0; i < fs->n_memo; i++)
		if (fs->memo[i].question == q)
			return fs->memo[i].face;
	/* fontconfig says it is thread-safe, but its caches have had races:
	 * the renderers ask it one at a time (a question is asked once). */
	if (fs->fc_lock)
		pthread_mutex_lock(fs->fc_lock);
	pat = FcPatternCreate();
	cs = FcCharSetCreate();
	if (pat == NULL || cs == NULL) {
		FcPatternDestroy(pat);
		FcCharSetDestroy(cs);
		if (fs->fc_lock)
			pthread_mutex_unlock(fs->fc_lock);
		return -1;
	}
	FcCharSetAddChar(cs, cp);
	for (size_t i = 0; i < nctx; i++)
		if (!ignorable(ctx[i]))
			FcCharSetAddChar(cs, ctx[i]);
	FcPatternAddCharSet(pat, FC_CHARSET, cs);
	if (lang && *lang)
		FcPatternAddString(pat, FC_LANG, (const FcChar8 *)lang);
	FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	m = FcFontMatch(NULL, pat, &r);
	if (m && FcPatternGetCharSet(m, FC_CHARSET, 0, &mcs) == FcResultMatch &&
	    FcCharSetHasChar(mcs, cp) &&
	    FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
		FcPatternGetInteger(m, FC_INDEX, 0, &index);
		found = add_font(fs, (const char *)file, index, msg, sizeof msg);
		if (found >= 0 && !font_has(fs->f[found], cp))
			found = -1;
	}
	FcPatternDestroy(m);
	FcPatternDestroy(pat);
	FcCharSetDestroy(cs);
	if (fs->fc_lock)
		pthread_mutex_unlock(fs->fc_lock);
	if (fs->n_memo == fs->cap_memo) {
		size_t cap = fs->cap_memo ? fs->cap_memo * 2 : 16;
		struct fc_memo *v = realloc(fs->memo, cap * sizeof *v);
		if (v == NULL)
			return found; /* asked again next time */
		fs->memo = v;
		fs->cap_memo = cap;
	}
	fs->memo[fs->n_memo++] = (struct fc_memo){q, found};
	return found;
}

int fonts_pick(struct fonts *fs, int prefer, int prev, const uint32_t *cp, size_t n,
               const uint32_t *ctx, size_t nctx, const char *lang)
{
	int found, role = prefer == fs->bold ? 2 : 1;

	if (n == 0)
		return prefer;
	if (fs->emoji >= 0 && wants_emoji(cp, n) && covers(fs->f[fs->emoji], cp, n))
		return fs->emoji;
	if (covers(fs->f[prefer], cp, n))
		return prefer;
	/* Stay in the face of the cluster before: a word keeps one font. */
	if (prev >= 0 && prev != fs->emoji && prev != fs->mark && covers(fs->f[prev], cp, n))
		return prev;
	for (int i = 0; i < fs->n_chain; i++)
		if (i != prefer && i != fs->regular && i != fs->bold && i != fs->emoji &&
		    i != fs->mark && covers(fs->f[i], cp, n))
			return i;
	if (fs->emoji >= 0 && covers(fs->f[fs->emoji], cp, n))
		return fs->emoji;
	if (prefer != fs->regular && covers(fs->f[fs->regular], cp, n))
		return fs->regular;
	if (!fs->use_fontconfig || ignorable(cp[0]))
		return prefer;
	/* The same weight, else the other. */
	for (int w = 0; w < 2; w++) {
		found = fc_find(fs, cp[0], ctx, nctx, lang, (role == 2) != (w == 1));
		if (found >= 0 && covers(fs->f[found], cp, n))
			return found;
	}
	return prefer;
}
