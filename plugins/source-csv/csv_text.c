/* Small text helpers; see csv_text.h. */
#include "csv_text.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

const char *csv_trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}

int csv_same_name(const char *a, const char *b)
{
	size_t na, nb;
	a = csv_trim(a, &na);
	b = csv_trim(b, &nb);
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

char *csv_dup_trim(const char *s)
{
	size_t n;
	s = csv_trim(s, &n);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

const char *csv_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

void sb_addn(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_add(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

const char *sb_str(const struct sb *b)
{
	return b->oom ? "(out of memory)" : b->s ? b->s : "";
}
