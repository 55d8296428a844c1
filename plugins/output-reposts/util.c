/*
 * util.c: small helpers of the reposts output.
 *
 * A growing byte buffer that remembers running out of memory (so builders
 * check once at the end), a 64-bit FNV-1a hash for stable ids, array
 * growth, and a strict UTF-8 decoder for one code point.
 */
#include "reposts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_buf_add(struct rp_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->oom = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rp_buf_str(struct rp_buf *b, const char *s)
{
	rp_buf_add(b, s, strlen(s));
}

void rp_buf_printf(struct rp_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		rp_buf_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rp_buf_add(b, big, (size_t)n);
	free(big);
}

char *rp_buf_take(struct rp_buf *b, size_t *len)
{
	if (!b->oom && !b->data)
		rp_buf_add(b, "", 0);
	if (b->oom) {
		rp_buf_free(b);
		return NULL;
	}
	char *d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void rp_buf_free(struct rp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

char *rp_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

uint64_t rp_fnv64(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int rp_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *d = realloc(*arr, c * size);
	if (!d)
		return -1;
	*arr = d;
	*cap = c;
	return 0;
}

int32_t rp_next_cp(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = *i;
	if (k >= len)
		return -1;
	unsigned c = s[k];
	int32_t cp;
	size_t n;
	if (c < 0x80) {
		*i = k + 1;
		return (int32_t)c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		n = 3;
	} else {
		return -1;
	}
	for (size_t j = 1; j <= n; j++) {
		if (k + j >= len || (s[k + j] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k + j] & 0x3F);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i = k + n + 1;
	return cp;
}
