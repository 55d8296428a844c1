/* Splitting Google's translation envelope; see gr_comment.h. */
#include "gr_comment.h"

#include <stdlib.h>
#include <string.h>

static const char *const translated[] = {"(Translated by Google)",
                                         "(Traducido por Google)", NULL};
static const char original_marker[] = "(Original)";

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* [a, b) without surrounding blanks, as a new string. */
static char *trim_span(const char *a, const char *b)
{
	while (a < b && blank(*a))
		a++;
	while (b > a && blank(b[-1]))
		b--;
	char *out = malloc((size_t)(b - a) + 1);
	if (!out)
		return NULL;
	memcpy(out, a, (size_t)(b - a));
	out[b - a] = '\0';
	return out;
}

static int has_text(const char *a, const char *b)
{
	for (; a < b; a++)
		if (!blank(*a))
			return 1;
	return 0;
}

/* The first `word` in [from, ...) standing alone: at `start` or after a
 * blank, and followed by a blank or the end.  NULL if none. */
static const char *find_word(const char *start, const char *from,
                             const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(from, word); p; p = strstr(p + 1, word)) {
		if ((p == start || blank(p[-1])) && (p[n] == '\0' || blank(p[n])))
			return p;
	}
	return NULL;
}

/* Which translation marker `s` holds standing alone, and where. */
static const char *find_marker(const char *s, size_t *len)
{
	for (size_t i = 0; translated[i]; i++) {
		const char *p = find_word(s, s, translated[i]);
		if (p) {
			*len = strlen(translated[i]);
			return p;
		}
	}
	return NULL;
}

static int give(const char *oa, const char *ob, const char *ta,
                const char *tb, char **original, char **translation)
{
	*original = trim_span(oa, ob);
	*translation = trim_span(ta, tb);
	if (!*original || !*translation) {
		free(*original);
		free(*translation);
		*original = *translation = NULL;
		return -1;
	}
	return 1;
}

int gr_comment_split(const char *comment, char **original, char **translation,
                     int *marker_only)
{
	size_t mlen = 0;
	const char *s = comment, *end = comment + strlen(comment);

	*original = *translation = NULL;
	if (marker_only)
		*marker_only = 0;
	while (s < end && blank(*s))
		s++;
	const char *m = find_marker(s, &mlen);
	if (!m)
		return 0;

	if (m == s) {
		/* "(Translated by Google) <translation> (Original) <original>" */
		const char *rest = m + mlen;
		const char *o = find_word(rest, rest, original_marker);
		if (o) {
			const char *oa = o + sizeof original_marker - 1;
			if (has_text(oa, end))
				return give(oa, end, rest, o, original, translation);
		}
	} else if (has_text(s, m)) {
		/* "<original> (Translated by Google) <translation>" */
		return give(s, m, m + mlen, end, original, translation);
	}
	if (marker_only)
		*marker_only = 1;
	return 0;
}
