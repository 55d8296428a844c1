#include "fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FOLD_OPTIONS                                                                   \
	(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |  \
	 UTF8PROC_LUMP)

void kudos_fold_init(struct kudos_fold *f)
{
	memset(f, 0, sizeof *f);
}

void kudos_fold_release(struct kudos_fold *f)
{
	free(f->cp);
	free(f->from);
	free(f->to);
	free(f->tok);
	kudos_fold_init(f);
}

/* Accents and vowel points that matching ignores (see fold.h). */
static int stripped(uint32_t c)
{
	if (c < 0x300)
		return 0;
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	       (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	       (c >= 0xfe20 && c <= 0xfe2f) ||
	       /* Hebrew points and cantillation */
	       (c >= 0x591 && c <= 0x5bd) || c == 0x5bf || c == 0x5c1 || c == 0x5c2 ||
	       c == 0x5c4 || c == 0x5c5 || c == 0x5c7 ||
	       /* Arabic harakat, Quranic marks, tatweel */
	       (c >= 0x610 && c <= 0x61a) || (c >= 0x64b && c <= 0x65f) || c == 0x670 ||
	       (c >= 0x6d6 && c <= 0x6dc) || (c >= 0x6df && c <= 0x6e4) || c == 0x6e7 ||
	       c == 0x6e8 || (c >= 0x6ea && c <= 0x6ed) || c == 0x640;
}

/* Scripts written without spaces between words. */
static int nospace_script(uint32_t c)
{
	return (c >= 0x0e00 && c <= 0x0eff) ||   /* Thai, Lao */
	       (c >= 0x1000 && c <= 0x109f) ||   /* Myanmar */
	       (c >= 0xa9e0 && c <= 0xa9ff) || (c >= 0xaa60 && c <= 0xaa7f) ||
	       (c >= 0x1780 && c <= 0x17ff) ||   /* Khmer */
	       (c >= 0x19e0 && c <= 0x19ff) ||
	       (c >= 0x2e80 && c <= 0x2fdf) ||   /* CJK radicals */
	       (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
	       (c >= 0x3038 && c <= 0x303c) ||
	       (c >= 0x3040 && c <= 0x30ff) ||   /* Hiragana, Katakana */
	       (c >= 0x31f0 && c <= 0x31ff) ||
	       (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

const unsigned char kudos_fold_ascii_class[128] = {
#define S KUDOS_CC_SPACE
#define W KUDOS_CC_WORD
#define P KUDOS_CC_PUNCT
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x00 */
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x10 */
	S, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, /* ' ' .. '/' */
	W, W, W, W, W, W, W, W, W, W, P, P, P, P, P, P, /* '0' .. '?' */
	P, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, /* '@' .. 'O' */
	W, W, W, W, W, W, W, W, W, W, W, P, P, P, P, P, /* 'P' .. '_' */
	P, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, /* '`' .. 'o' */
	W, W, W, W, W, W, W, W, W, W, W, P, P, P, P, S, /* 'p' .. DEL */
#undef S
#undef W
#undef P
};

int kudos_fold_class(uint32_t cp)
{
	if (cp < 128)
		return kudos_fold_ascii_class[cp];
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return nospace_script(cp) ? KUDOS_CC_SOLO : KUDOS_CC_WORD;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return KUDOS_CC_MARK;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CF:
		return KUDOS_CC_SPACE;
	default:
		return KUDOS_CC_PUNCT;
	}
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t kudos_fold_hash(const uint32_t *cp, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= cp[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h ^ n);
}

static int grow(struct kudos_fold *f, size_t need)
{
	if (need <= f->cap)
		return 0;
	size_t cap = f->cap ? f->cap : 256;
	while (cap < need)
		cap *= 2;
	uint32_t *cp = realloc(f->cp, cap * sizeof *cp);
	if (!cp)
		return -1;
	f->cp = cp;
	uint32_t *from = realloc(f->from, cap * sizeof *from);
	if (!from)
		return -1;
	f->from = from;
	uint32_t *to = realloc(f->to, cap * sizeof *to);
	if (!to)
		return -1;
	f->to = to;
	f->cap = cap;
	return 0;
}

static int push_token(struct kudos_fold *f, uint32_t a, uint32_t b, uint32_t kind)
{
	if (f->ntok == f->tokcap) {
		size_t cap = f->tokcap ? f->tokcap * 2 : 64;
		struct kudos_token *t = realloc(f->tok, cap * sizeof *t);
		if (!t)
			return -1;
		f->tok = t;
		f->tokcap = cap;
	}
	f->tok[f->ntok++] = (struct kudos_token){a, b, kind, kudos_fold_hash(f->cp + a, b - a)};
	return 0;
}

static int tokenize(struct kudos_fold *f)
{
	uint32_t start = 0, kind = 0; /* kind 0: no open token */
	f->ntok = 0;
	for (uint32_t i = 0; i < f->n; i++) {
		uint32_t cp = f->cp[i];
		int c = kudos_fold_cc(cp);
		if (c == KUDOS_CC_MARK && kind)
			continue; /* marks belong to the open token */
		if (c == KUDOS_CC_WORD && kind == KUDOS_TOK_WORD)
			continue;
		if (kind && push_token(f, start, i, kind))
			return -1;
		kind = 0;
		if (c == KUDOS_CC_SPACE)
			continue;
		start = i;
		kind = c == KUDOS_CC_WORD   ? KUDOS_TOK_WORD
		       : c == KUDOS_CC_SOLO ? KUDOS_TOK_SOLO
		                            : KUDOS_TOK_PUNCT; /* punctuation, stray mark */
	}
	if (kind && push_token(f, start, (uint32_t)f->n, kind))
		return -1;
	return 0;
}

int kudos_fold(struct kudos_fold *f, const char *s, size_t len)
{
	f->n = 0;
	f->ntok = 0;
	if (len >= UINT32_MAX)
		return -1;
	/* Most text folds to at most one code point per byte; grow() covers
	 * the rest (ligatures, compatibility expansions). */
	if (grow(f, len + 16))
		goto fail;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			uint32_t c = p[i];
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (f->n + 1 > f->cap && grow(f, f->n + 1))
				goto fail;
			f->cp[f->n] = c;
			f->from[f->n] = (uint32_t)i;
			f->to[f->n] = (uint32_t)(i + 1);
			f->n++;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		utf8proc_int32_t out[64];
		utf8proc_ssize_t m;
		if (k <= 0) {
			k = 1;
			out[0] = 0xfffd;
			m = 1;
		} else {
			int bc = 0;
			m = utf8proc_decompose_char(cp, out, 64, FOLD_OPTIONS, &bc);
			if (m < 0 || m > 64) {
				out[0] = 0xfffd;
				m = 1;
			}
		}
		if (grow(f, f->n + (size_t)m))
			goto fail;
		size_t before = f->n;
		for (utf8proc_ssize_t j = 0; j < m; j++) {
			if (stripped((uint32_t)out[j]))
				continue;
			f->cp[f->n] = (uint32_t)out[j];
			f->from[f->n] = (uint32_t)i;
			f->to[f->n] = (uint32_t)(i + (size_t)k);
			f->n++;
		}
		/* A code point that folds to nothing (an accent, an ignorable)
		 * belongs to the span of the one before it. */
		if (f->n == before && before > 0 && f->to[before - 1] == i)
			f->to[before - 1] = (uint32_t)(i + (size_t)k);
		i += (size_t)k;
	}
	if (tokenize(f))
		goto fail;
	return 0;
fail:
	f->n = 0;
	f->ntok = 0;
	return -1;
}

int kudos_fold_tok_is(const struct kudos_fold *f, size_t t, const uint32_t *cp, size_t n)
{
	const struct kudos_token *k = &f->tok[t];
	return k->b - k->a == n && memcmp(f->cp + k->a, cp, n * sizeof *cp) == 0;
}

int kudos_fold_tok_eq(const struct kudos_fold *f, size_t t, const char *word)
{
	const struct kudos_token *k = &f->tok[t];
	size_t n = k->b - k->a;
	for (size_t i = 0; i < n; i++)
		if (word[i] == '\0' || f->cp[k->a + i] != (unsigned char)word[i])
			return 0;
	return word[n] == '\0';
}

static int ascii_ieq(const char *s, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	if (len - i < n)
		return 0;
	for (size_t k = 0; k < n; k++) {
		char c = s[i + k];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != lit[k])
			return 0;
	}
	return 1;
}

static int ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

size_t kudos_url_at(const char *s, size_t len, size_t i)
{
	size_t pre;
	if (i >= len || (i > 0 && (ascii_alnum((unsigned char)s[i - 1]) || s[i - 1] == '/' ||
	                           s[i - 1] == '.' || s[i - 1] == '@')))
		return 0;
	if (ascii_ieq(s, len, i, "https://"))
		pre = 8;
	else if (ascii_ieq(s, len, i, "http://"))
		pre = 7;
	else if (ascii_ieq(s, len, i, "www."))
		pre = 4;
	else
		return 0;
	size_t j = i + pre;
	while (j < len) {
		unsigned char c = (unsigned char)s[j];
		if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f)
			break;
		j++;
	}
	while (j > i + pre && strchr(".,;:!?)]}'\"", s[j - 1]))
		j--;
	if (j == i + pre || !ascii_alnum((unsigned char)s[i + pre]))
		return 0;
	return j - i;
}
