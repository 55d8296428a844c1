#include "excerpt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

/* Text as code points, with the byte offset of each in the UTF-8 it came
 * from (off[n] is the length), so passages can be copied as they stand. */
struct cps {
	int32_t *cp;
	size_t *off;
	size_t n;
};

static void cps_free(struct cps *c)
{
	free(c->cp);
	free(c->off);
	memset(c, 0, sizeof *c);
}

static int decode(const char *s, size_t len, struct cps *out)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	memset(out, 0, sizeof *out);
	out->cp = malloc((len + 1) * sizeof *out->cp);
	out->off = malloc((len + 1) * sizeof *out->off);
	if (!out->cp || !out->off) {
		cps_free(out);
		return -1;
	}
	while (i < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0) {
			cps_free(out);
			return -1;
		}
		out->cp[out->n] = c;
		out->off[out->n++] = i;
		i += (size_t)k;
	}
	out->off[out->n] = len;
	return 0;
}

static int space(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP;
}

/* Letters, marks and digits: what words are made of. */
static int wordish(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
	       (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Scripts written without spaces between words (Han, kana, Thai, Lao,
 * Khmer, Myanmar): any character boundary may be a word boundary. */
static int unspaced(int32_t c)
{
	return (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1000 && c <= 0x109F) ||
	       (c >= 0x1780 && c <= 0x17FF) || (c >= 0x2E80 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F) ||
	       (c >= 0x20000 && c <= 0x3FFFF);
}

/* Whether a passage may start or end between a and b. */
static int boundary(int32_t a, int32_t b)
{
	return !(wordish(a) && wordish(b)) || unspaced(a) || unspaced(b);
}

/* The end of `pass` matched at `i` in `orig`, or -1.  A run of white
 * space in the passage matches any run in the original. */
static long match_at(const struct cps *orig, size_t i, const struct cps *pass)
{
	size_t k = 0, m = i;
	while (k < pass->n) {
		if (space(pass->cp[k])) {
			if (m >= orig->n || !space(orig->cp[m]))
				return -1;
			while (k < pass->n && space(pass->cp[k]))
				k++;
			while (m < orig->n && space(orig->cp[m]))
				m++;
			continue;
		}
		if (m >= orig->n || orig->cp[m] != pass->cp[k])
			return -1;
		k++;
		m++;
	}
	return (long)m;
}

/* The first match of `pass` at or after `from`; with `bounded`, only
 * matches on word boundaries.  RETURN VALUE its start, or -1. */
static long find(const struct cps *orig, size_t from, const struct cps *pass, int bounded,
                 size_t *end)
{
	for (size_t i = from; i < orig->n; i++) {
		long e = match_at(orig, i, pass);
		if (e < 0)
			continue;
		if (bounded && ((i > 0 && !boundary(orig->cp[i - 1], orig->cp[i])) ||
		                ((size_t)e < orig->n &&
		                 !boundary(orig->cp[e - 1], orig->cp[e]))))
			continue;
		*end = (size_t)e;
		return (long)i;
	}
	return -1;
}

static int has_word(const struct cps *c, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (wordish(c->cp[i]))
			return 1;
	return 0;
}

/* The curator's passages: every part split at "…" and "...", trimmed,
 * empty ones dropped.  (transfer full) NFC strings. */
static int split(const char *const *parts, size_t n, char ***out, size_t *nout)
{
	char **v = NULL;
	size_t cnt = 0;
	for (size_t i = 0; i < n; i++) {
		char *nfc = kudos_utf8_nfc(parts[i]);
		const char *p;
		if (!nfc)
			goto fail;
		p = nfc;
		for (;;) {
			const char *e1 = strstr(p, "\xE2\x80\xA6"), *e2 = strstr(p, "...");
			const char *e = e1 && (!e2 || e1 < e2) ? e1 : e2;
			const char *end = e ? e : p + strlen(p), *a = p, *b = end;
			while (a < b && (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'))
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
				b--;
			if (b > a) {
				char **g = realloc(v, (cnt + 1) * sizeof *v);
				if (!g || !(g[cnt] = strndup(a, (size_t)(b - a)))) {
					if (g)
						v = g;
					free(nfc);
					goto fail;
				}
				v = g;
				cnt++;
			}
			if (!e)
				break;
			p = e + 3; /* both marks are three bytes */
			while (*p == '.') /* "...." is one gap */
				p++;
		}
		free(nfc);
	}
	*out = v;
	*nout = cnt;
	return 0;
fail:
	for (size_t i = 0; i < cnt; i++)
		free(v[i]);
	free(v);
	return -1;
}

struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = (b->n + len + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = 0;
}

/* The passage as a message shows it: at most 60 bytes, cut on a
 * character boundary. */
static void shown(const char *s, char out[80])
{
	size_t n = strlen(s);
	if (n <= 60) {
		snprintf(out, 80, "%s", s);
		return;
	}
	n = 57;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	snprintf(out, 80, "%.*s...", (int)n, s);
}

int kudos_excerpt_make(const char *id, const char *original, const char *const *parts,
                       size_t n, char **out, struct kudos_error *err)
{
	struct cps orig = {0}, pass = {0};
	struct buf b = {0};
	char **pieces = NULL, what[80];
	size_t npieces = 0, pos = 0, left_out = 0;
	int rc = -1;

	*out = NULL;
	if (decode(original, strlen(original), &orig) ||
	    split(parts, n, &pieces, &npieces)) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	if (npieces == 0) {
		kudos_fail(err, KUDOS_EXIT_INPUT,
		           "item %s: the excerpt is empty; give the passages to keep, e.g. "
		           "--text \"first words … last words\"", id);
		goto done;
	}
	for (size_t k = 0; k < npieces; k++) {
		size_t end = 0, e2;
		long start;
		cps_free(&pass);
		if (decode(pieces[k], strlen(pieces[k]), &pass)) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
		start = find(&orig, pos, &pass, 1, &end);
		if (start < 0) {
			shown(pieces[k], what);
			if (find(&orig, pos, &pass, 0, &e2) >= 0)
				kudos_fail(err, KUDOS_EXIT_INPUT,
				           "item %s: passage %zu \"%s\" would cut a word in two; "
				           "start and end every passage on whole words", id, k + 1, what);
			else if (find(&orig, 0, &pass, 1, &e2) >= 0)
				kudos_fail(err, KUDOS_EXIT_INPUT,
				           "item %s: passage %zu \"%s\" comes earlier in the quote "
				           "than the passage before it; give the passages in the "
				           "quote's order", id, k + 1, what);
			else
				kudos_fail(err, KUDOS_EXIT_INPUT,
				           "item %s: passage %zu \"%s\" is not in the quote's own "
				           "words (compared exactly, after Unicode NFC); an excerpt "
				           "may only keep the original's words: copy passages from "
				           "`kudos show %s` and separate them with \"…\"",
				           id, k + 1, what, id);
			goto done;
		}
		/* What lies between this passage and the one before: the
		 * original's own joiners, or an ellipsis where words are left
		 * out. */
		if (has_word(&orig, pos, (size_t)start)) {
			put(&b, k == 0 ? "\xE2\x80\xA6 " : " \xE2\x80\xA6 ", k == 0 ? 4 : 5);
			left_out++;
		} else if (k > 0) {
			put(&b, original + orig.off[pos], orig.off[start] - orig.off[pos]);
		}
		put(&b, original + orig.off[start], orig.off[end] - orig.off[start]);
		pos = end;
	}
	if (has_word(&orig, pos, orig.n)) {
		put(&b, " \xE2\x80\xA6", 4);
		left_out++;
	}
	if (b.oom) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	if (left_out == 0) {
		kudos_fail(err, KUDOS_EXIT_INPUT,
		           "item %s: the passages keep every word of the quote, so there is "
		           "nothing to shorten; an excerpt leaves words out (mark where with "
		           "\"…\")", id);
		goto done;
	}
	*out = b.p;
	b.p = NULL;
	rc = 0;
done:
	for (size_t i = 0; i < npieces; i++)
		free(pieces[i]);
	free(pieces);
	free(b.p);
	cps_free(&orig);
	cps_free(&pass);
	return rc;
}
