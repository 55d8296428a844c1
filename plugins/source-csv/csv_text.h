/*
 * Small text helpers shared by the csv source: ASCII-only and independent
 * of the locale, no host calls.  "Blank" means space, tab, CR, LF, VT, FF.
 */
#ifndef KUDOS_SOURCE_CSV_TEXT_H
#define KUDOS_SOURCE_CSV_TEXT_H

#include <stddef.h>

/* s without blanks around: RETURN VALUE the new start, *len its length. */
const char *csv_trim(const char *s, size_t *len);
/* Whether `a` and `b` are equal ignoring ASCII case and blanks around. */
int csv_same_name(const char *a, const char *b);
/* A trimmed copy of s (transfer full: free()), or NULL when out of
 * memory. */
char *csv_dup_trim(const char *s);
/* The last component of a path (points into it). */
const char *csv_base_name(const char *path);

/* A growing string, zero-initialised to start; `oom` is set when an append
 * failed, after which appends do nothing.  Release `s` with free(). */
struct sb {
	char *s;
	size_t len, cap;
	int oom;
};

void sb_addn(struct sb *b, const char *s, size_t n);
void sb_add(struct sb *b, const char *s);
/* The text so far, "" when empty, "(out of memory)" after a failure. */
const char *sb_str(const struct sb *b);

#endif
