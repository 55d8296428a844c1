#include "wrap.h"

#include <linebreak.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int kudos_wrap_charwidth(int cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 1;
	return utf8proc_charwidth(cp);
}

/* Characters that end a line by themselves (UAX #14 classes BK, CR, LF,
 * NL): they are not shown. */
static int line_end_char(utf8proc_int32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 ||
	       cp == 0x2028 || cp == 0x2029;
}

static int is_space(utf8proc_int32_t cp)
{
	return cp == ' ' || cp == '\t' || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

struct out {
	struct kudos_wrap_line *v;
	size_t n, cap;
};

static int emit(struct out *o, const size_t *off, const utf8proc_int32_t *cp, size_t from,
                size_t to)
{
	/* Neither the spaces before the break nor a line-break character are
	 * shown at the line's end. */
	while (to > from && (is_space(cp[to - 1]) || line_end_char(cp[to - 1])))
		to--;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct kudos_wrap_line *v = realloc(o->v, cap * sizeof *v);
		if (!v)
			return -1;
		o->v = v;
		o->cap = cap;
	}
	int w = 0;
	for (size_t i = from; i < to; i++)
		w += kudos_wrap_charwidth(cp[i]);
	o->v[o->n++] = (struct kudos_wrap_line){off[from], off[to] - off[from], w};
	return 0;
}

int kudos_wrap(const char *text, int width, const char *lang,
               struct kudos_wrap_line **lines, size_t *n_lines)
{
	size_t len = strlen(text), n = 0;
	struct out o = {0};
	int rc = -1;
	utf8proc_int32_t *cp = malloc((len + 1) * sizeof *cp);
	utf32_t *lb = malloc((len + 1) * sizeof *lb);
	size_t *off = malloc((len + 2) * sizeof *off);
	char *brk = malloc(len + 1);
	unsigned char *cluster_end = malloc(len + 1);
	*lines = NULL;
	*n_lines = 0;
	if (width < 1)
		width = 1;
	if (!cp || !lb || !off || !brk || !cluster_end)
		goto done;
	for (size_t at = 0; at < len; n++) {
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + at,
		                                      (utf8proc_ssize_t)(len - at), &cp[n]);
		if (k <= 0)
			goto done;
		off[n] = at;
		at += (size_t)k;
		/* libunibreak 1.1 (Debian 12) aborts on regional indicators and
		 * on U+FFFF: it sees stand-ins that break the same way. */
		lb[n] = (cp[n] >= 0x1F1E6 && cp[n] <= 0x1F1FF) ? 0x4E00
		        : cp[n] == 0xFFFF                     ? 0xFFFD
		                                              : (utf32_t)cp[n];
	}
	off[n] = len;
	if (n == 0) {
		if ((o.v = calloc(1, sizeof *o.v)))
			o.n = rc = 0;
		goto done;
	}
	init_linebreak();
	set_linebreaks_utf32(lb, n, lang, brk);
	utf8proc_int32_t state = 0;
	for (size_t i = 0; i < n; i++)
		cluster_end[i] = i + 1 == n || utf8proc_grapheme_break_stateful(cp[i], cp[i + 1], &state);

	size_t start = 0, cut = 0; /* cut: after the last break opportunity, 0 if none */
	int used = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i; /* the cluster i..j */
		int w = 0;
		while (1) {
			w += kudos_wrap_charwidth(cp[j]);
			if (cluster_end[j])
				break;
			j++;
		}
		int blank = is_space(cp[i]) || line_end_char(cp[i]);
		if (used + w > width && !blank && i > start) {
			/* Break at the last opportunity on this line, or between
			 * clusters when the word alone is wider than the line. */
			size_t at = cut > start ? cut : i;
			if (emit(&o, off, cp, start, at))
				goto done;
			start = at;
			used = 0;
			for (size_t k = start; k < i; k++)
				used += kudos_wrap_charwidth(cp[k]);
			cut = 0;
			continue;
		}
		used += line_end_char(cp[i]) ? 0 : w;
		if (brk[j] == LINEBREAK_MUSTBREAK && j + 1 < n) {
			if (emit(&o, off, cp, start, j + 1))
				goto done;
			start = j + 1;
			used = 0;
			cut = 0;
		} else if (brk[j] == LINEBREAK_ALLOWBREAK) {
			cut = j + 1;
		}
		i = j + 1;
	}
	if (emit(&o, off, cp, start, n))
		goto done;
	rc = 0;
done:
	if (rc == 0) {
		*lines = o.v;
		*n_lines = o.n;
	} else {
		free(o.v);
	}
	free(cp);
	free(lb);
	free(off);
	free(brk);
	free(cluster_end);
	return rc;
}
