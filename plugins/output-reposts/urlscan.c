/*
 * urlscan.c: where a post's text holds URLs, found the way the platforms
 * find them, because X and Mastodon count every URL as 23 characters.
 *
 * Contract: rp_find_urls() takes NFC code points and returns the spans
 * twitter-text's extractUrlsWithIndices would return (x_rules), or the
 * spans Mastodon's URL_PATTERN matches (an http(s) protocol required).
 * It follows twitter-text's regular expressions (github.com/twitter/
 * twitter-text, js/src/regexp/: validUrlPrecedingChars, validDomain,
 * validUrlPath, validUrlQueryChars) in code rather than one regex:
 *   - a URL is not preceded by a letter or digit, @, $ or # (or their
 *     full-width forms); without a protocol not by - _ . / either;
 *   - a domain is labels of any characters but punctuation, spaces and
 *     directional marks, ending in a top-level domain that is on the
 *     Public Suffix List (libpsl's built-in copy; twitter-text carries the
 *     IANA list) and is not followed by a letter, digit, @, + or -;
 *   - x_rules: each label, punycode-encoded (libidn2), is 1-63 octets, or
 *     the whole match is not a URL; a URL without protocol needs an ASCII
 *     domain and, without a path, more than "name.cc" for a two-letter
 *     country code other than .co and .tv;
 *   - a path or query ends on the characters twitter-text lets it end on
 *     (so "see acme.com/faq." leaves the period out).
 * Known differences: t.co slug rules are not applied, and a domain mixing
 * scripts takes its trailing Latin part only when it has no protocol.
 */
#include "reposts.h"

#include <idn2.h>
#include <libpsl.h>
#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

static int is_ascii_alnum(int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_space(int32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
	       c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static int is_invalid(int32_t c)
{
	return c == 0xFFFE || c == 0xFEFF || c == 0xFFFF;
}

static int is_directional(int32_t c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* twitter-text's punct, plus the quote marks it leaves out. */
static int is_punct(int32_t c)
{
	return c < 0x80 && c > 0 && strchr("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$\"`", (int)c);
}

static int domain_char(int32_t c)
{
	return c >= 0x20 && !(c >= 0x7F && c < 0xA0) && !is_punct(c) && !is_space(c) &&
	       !is_invalid(c) && !is_directional(c);
}

static int label_char(int32_t c)
{
	return domain_char(c) || c == '-' || c == '_';
}

static int latin_accent(int32_t c)
{
	return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x24F) ||
	       c == 0x253 || c == 0x254 || c == 0x256 || c == 0x257 || c == 0x259 || c == 0x25B ||
	       c == 0x263 || c == 0x268 || c == 0x26F || c == 0x272 || c == 0x289 || c == 0x28B ||
	       c == 0x2BB || (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

static int path_general(int32_t c)
{
	return is_ascii_alnum(c) || (c > 0 && c < 0x80 && strchr("!*';:=+,.$/%#[]-_~@|&", (int)c)) ||
	       c == 0x2013 || latin_accent(c) || (c >= 0x400 && c <= 0x4FF);
}

static int path_ending(int32_t c)
{
	return is_ascii_alnum(c) || c == '+' || c == '-' || c == '=' || c == '_' || c == '#' ||
	       c == '/' || latin_accent(c) || (c >= 0x400 && c <= 0x4FF);
}

static int query_char(int32_t c)
{
	return is_ascii_alnum(c) || (c > 0 && c < 0x80 && strchr("!?*'@();:&=+$/%#[]-_.,~|", (int)c));
}

static int query_ending(int32_t c)
{
	return is_ascii_alnum(c) || (c > 0 && c < 0x80 && strchr("-_&=#/", (int)c));
}

static int ascii_lower_eq(const int32_t *cp, size_t n, size_t at, const char *s)
{
	for (size_t k = 0; s[k]; k++) {
		if (at + k >= n)
			return 0;
		int32_t c = cp[at + k];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (unsigned char)s[k])
			return 0;
	}
	return 1;
}

/* cp[from..to) as lower-case UTF-8 into buf (size cap).  0 or -1. */
static int to_utf8(const int32_t *cp, size_t from, size_t to, int lower, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t k = from; k < to; k++) {
		utf8proc_uint8_t tmp[4];
		int32_t c = lower ? utf8proc_tolower(cp[k]) : cp[k];
		utf8proc_ssize_t w = utf8proc_encode_char(c, tmp);
		if (w <= 0 || o + (size_t)w + 1 > cap)
			return -1;
		memcpy(buf + o, tmp, (size_t)w);
		o += (size_t)w;
	}
	buf[o] = '\0';
	return 0;
}

static int is_tld(const int32_t *cp, size_t from, size_t to)
{
	char buf[256];
	if (to <= from || to_utf8(cp, from, to, 1, buf, sizeof buf))
		return 0;
	return psl_is_public_suffix2(psl_builtin(), buf,
	                             PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) == 1;
}

/* A label, punycode-encoded, is 1-63 octets. */
static int label_length_ok(const int32_t *cp, size_t from, size_t to)
{
	int ascii = 1;
	for (size_t k = from; k < to; k++)
		ascii &= cp[k] < 0x80;
	if (ascii)
		return to > from && to - from <= 63;
	char buf[1024], *out = NULL;
	if (to - from > 200 || to_utf8(cp, from, to, 0, buf, sizeof buf))
		return 0;
	int rc = idn2_to_ascii_8z(buf, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	size_t len = rc == IDN2_OK && out ? strlen(out) : 0;
	idn2_free(out);
	if (rc == IDN2_TOO_BIG_LABEL || rc == IDN2_TOO_BIG_DOMAIN ||
	    rc == IDN2_PUNYCODE_BIG_OUTPUT || rc == IDN2_PUNYCODE_OVERFLOW)
		return 0; /* more than 63 octets encoded */
	/* Refused for another reason (IDNA2008 is stricter than the punycode
	 * twitter-text uses): only the length matters there, unknown here. */
	return rc != IDN2_OK || (len >= 1 && len <= 63);
}

/* A balanced "(...)" of path characters, one level nested, at cp[q].
 * RETURN VALUE the index after it, or 0. */
static size_t balanced(const int32_t *cp, size_t n, size_t q)
{
	size_t k = q + 1, run = 0;
	while (k < n && path_general(cp[k]))
		k++, run++;
	if (k < n && cp[k] == ')' && run)
		return k + 1;
	if (k < n && cp[k] == '(') {
		size_t inner = 0;
		k++;
		while (k < n && path_general(cp[k]))
			k++, inner++;
		if (!inner || k >= n || cp[k] != ')')
			return 0;
		k++;
		while (k < n && path_general(cp[k]))
			k++;
		if (k < n && cp[k] == ')')
			return k + 1;
	}
	return 0;
}

/* After a '/' at cp[p-1]: where the path ends. */
static size_t path_end(const int32_t *cp, size_t n, size_t p)
{
	size_t end = p, q = p;
	while (q < n) {
		if (path_general(cp[q])) {
			q++;
			if (path_ending(cp[q - 1]))
				end = q;
		} else if (cp[q] == '(') {
			size_t r = balanced(cp, n, q);
			if (!r)
				break;
			q = end = r;
		} else {
			break;
		}
	}
	return end;
}

struct found {
	size_t start, dom_end, end;
	size_t labels[64][2];
	size_t nlabels, tld; /* the tld is labels[tld], cut at dom_end */
	int proto;
};

/* Labels from `d` and the longest domain ending on a known TLD. */
static int match_domain(const int32_t *cp, size_t n, size_t d, struct found *f)
{
	size_t pos = d;
	f->nlabels = 0;
	while (pos < n && label_char(cp[pos]) && f->nlabels < 64) {
		size_t ls = pos;
		while (pos < n && label_char(cp[pos]))
			pos++;
		f->labels[f->nlabels][0] = ls;
		f->labels[f->nlabels][1] = pos;
		f->nlabels++;
		if (pos + 1 < n && cp[pos] == '.' && label_char(cp[pos + 1]))
			pos++;
		else
			break;
	}
	f->dom_end = pos; /* where the scan stopped, for skipping */
	for (size_t k = f->nlabels; k-- > 1;) {
		size_t ls = f->labels[k][0], le = f->labels[k][1];
		int ok = 1;
		for (size_t j = 0; j < k && ok; j++)
			ok = domain_char(cp[f->labels[j][0]]) && domain_char(cp[f->labels[j][1] - 1]);
		if (!ok || !domain_char(cp[ls]))
			continue;
		for (size_t e = le; e > ls; e--) {
			int32_t next = e < n ? cp[e] : 0;
			if (e < le && (is_ascii_alnum(next) || next == '-'))
				continue;
			if (e == le && (is_ascii_alnum(next) || next == '@' || next == '+' || next == '-'))
				continue;
			if (e < le && (next == '@' || next == '+'))
				continue;
			if (is_tld(cp, ls, e)) {
				f->tld = k;
				f->labels[k][1] = e;
				f->dom_end = e;
				return 1;
			}
		}
	}
	return 0;
}

static int ascii_domain_char(int32_t c)
{
	return is_ascii_alnum(c) || c == '-' || c == '.' || latin_accent(c);
}

/* Try a URL at cp[i].  RETURN VALUE 1 (f filled, f->end set), 0 no URL
 * here (f->end: where to resume, or i when nothing matched at all). */
static int try_url(const int32_t *cp, size_t n, size_t i, int x_rules, struct found *f)
{
	size_t d = i;
	f->proto = 0;
	f->start = i;
	f->end = i;
	if (ascii_lower_eq(cp, n, i, "https://"))
		d = i + 8, f->proto = 1;
	else if (ascii_lower_eq(cp, n, i, "http://"))
		d = i + 7, f->proto = 1;
	if (!f->proto && !x_rules)
		return 0;
	if (!match_domain(cp, n, d, f))
		return 0;
	size_t pos = f->dom_end;
	if (pos + 1 < n && cp[pos] == ':' && cp[pos + 1] >= '0' && cp[pos + 1] <= '9') {
		pos++;
		while (pos < n && cp[pos] >= '0' && cp[pos] <= '9')
			pos++;
	}
	int has_path = 0;
	if (pos < n && cp[pos] == '/') {
		pos = path_end(cp, n, pos + 1);
		has_path = 1;
	}
	if (pos < n && cp[pos] == '?') {
		size_t q = pos + 1, end = 0;
		while (q < n && query_char(cp[q])) {
			q++;
			if (query_ending(cp[q - 1]))
				end = q;
		}
		if (end)
			pos = end;
	}
	f->end = pos;
	if (!x_rules)
		return 1;
	for (size_t k = 0; k <= f->tld; k++)
		if (!label_length_ok(cp, f->labels[k][0], f->labels[k][1]))
			return 0;
	if (pos - i > 4096)
		return 0;
	if (f->proto)
		return 1;
	/* No protocol: an ASCII domain (its trailing ASCII part), and more
	 * than name.cc without a path. */
	size_t a = f->dom_end;
	while (a > i && ascii_domain_char(cp[a - 1]))
		a--;
	size_t dots = 0;
	for (size_t k = a; k < f->dom_end; k++)
		dots += cp[k] == '.';
	if (a < f->dom_end && cp[a] == '.')
		return 0;
	if (!dots || a >= f->labels[f->tld][0])
		return 0;
	size_t tl = f->labels[f->tld][1] - f->labels[f->tld][0];
	const int32_t *t = cp + f->labels[f->tld][0];
	int cc = tl == 2 && t[0] < 0x80 && t[1] < 0x80;
	int special = cc && ((t[0] | 32) == 'c' && (t[1] | 32) == 'o');
	special |= cc && ((t[0] | 32) == 't' && (t[1] | 32) == 'v');
	if (!has_path && dots == 1 && cc && !special)
		return 0;
	f->start = a;
	return 1;
}

static int preceding_ok(const int32_t *cp, size_t i)
{
	if (i == 0)
		return 1;
	int32_t c = cp[i - 1];
	return !(is_ascii_alnum(c) || c == '@' || c == 0xFF20 || c == '$' || c == '#' ||
	         c == 0xFF03 || is_invalid(c));
}

long rp_find_urls(const int32_t *cp, size_t n, int x_rules, struct rp_span **out)
{
	struct rp_span *v = NULL;
	size_t nv = 0, cap = 0;
	struct found f;
	size_t i = 0;
	*out = NULL;
	while (i < n) {
		int start_ok = preceding_ok(cp, i);
		int proto_here = ascii_lower_eq(cp, n, i, "http://") ||
		                 ascii_lower_eq(cp, n, i, "https://");
		if (start_ok && !proto_here) {
			/* without protocol: at the start of a run, not after - _ . / */
			int32_t p = i ? cp[i - 1] : ' ';
			start_ok = x_rules && label_char(cp[i]) && !label_char(p) && p != '.' &&
			           p != '/';
		}
		if (!start_ok) {
			i++;
			continue;
		}
		int ok = try_url(cp, n, i, x_rules, &f);
		if (ok) {
			if (rp_grow((void **)&v, &cap, nv, sizeof *v)) {
				free(v);
				return -1;
			}
			v[nv].start = f.start;
			v[nv].end = f.end;
			nv++;
		}
		i = f.end > i ? f.end : i + 1;
	}
	*out = v;
	return (long)nv;
}
