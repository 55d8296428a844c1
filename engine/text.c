#include "text.h"

#include "zone.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

int kudos_utf8_check(const char *s, size_t len, size_t *bad)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)len;
	while (left > 0) {
		if (*p > 0 && *p < 0x80) { /* ASCII needs no decoding */
			p++;
			left--;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
		if (n <= 0 || cp == 0) {
			if (bad)
				*bad = (size_t)(p - (const utf8proc_uint8_t *)s);
			return 0;
		}
		p += n;
		left -= n;
	}
	return 1;
}

int kudos_utf8_nfc_check(const char *s, size_t *len)
{
	size_t n = strlen(s), i = 0;

	*len = n;
	/* ASCII, eight bytes at a time: valid and NFC as it stands. */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	if (i == n)
		return 0;
	if (!kudos_utf8_valid(s + i, n - i))
		return -1;
	/* Text with no code point from U+0300 up (no byte from 0xCC up) has
	 * nothing to compose or reorder: it is NFC as it stands.  Most text
	 * is like that. */
	while (i < n && (unsigned char)s[i] < 0xCC)
		i++;
	return i < n;
}

char *kudos_utf8_nfc(const char *s)
{
	size_t len;
	int st = kudos_utf8_nfc_check(s, &len);
	if (st <= 0)
		return st == 0 ? strdup(s) : NULL;
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return NULL;
	return (char *)out;
}

void kudos_hex(const unsigned char *bytes, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * len] = '\0';
}

void kudos_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	kudos_hex(d, sizeof d, hex);
}

void kudos_hasher_init(struct kudos_hasher *h, enum kudos_hash_kind kind)
{
	h->kind = kind;
	h->n = 0;
	if (kind == KUDOS_HASH_SHA256)
		crypto_hash_sha256_init(&h->st.sha256);
	else
		crypto_generichash_init(&h->st.blake2b, NULL, 0, 32);
}

static void flush(struct kudos_hasher *h, const unsigned char *p, size_t n)
{
	if (h->kind == KUDOS_HASH_SHA256)
		crypto_hash_sha256_update(&h->st.sha256, p, n);
	else
		crypto_generichash_update(&h->st.blake2b, p, n);
}

static void update(struct kudos_hasher *h, const unsigned char *p, size_t n)
{
	if (h->n + n > sizeof h->buf) {
		flush(h, h->buf, h->n);
		h->n = 0;
		if (n > sizeof h->buf) {
			flush(h, p, n);
			return;
		}
	}
	memcpy(h->buf + h->n, p, n);
	h->n += n;
}

void kudos_hasher_field(struct kudos_hasher *h, const char *s)
{
	/* 0x1e marks an absent field, 0x1f ends a present one: neither can
	 * appear in valid item text. */
	static const unsigned char absent = 0x1e, sep = 0x1f;
	if (!s) {
		update(h, &absent, 1);
		return;
	}
	update(h, (const unsigned char *)s, strlen(s));
	update(h, &sep, 1);
}

void kudos_hasher_end(struct kudos_hasher *h, char hex[65])
{
	unsigned char d[32];
	flush(h, h->buf, h->n);
	h->n = 0;
	if (h->kind == KUDOS_HASH_SHA256)
		crypto_hash_sha256_final(&h->st.sha256, d);
	else
		crypto_generichash_final(&h->st.blake2b, d, sizeof d);
	kudos_hex(d, sizeof d, hex);
}

char *kudos_decimal(unsigned long long n, char buf[KUDOS_DECIMAL_SIZE])
{
	char *p = buf + KUDOS_DECIMAL_SIZE - 1;
	*p = '\0';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return memmove(buf, p, (size_t)(buf + KUDOS_DECIMAL_SIZE - p));
}

void kudos_time_format(int64_t utc, char buf[21])
{
	time_t t = (time_t)utc;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, 21, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* ISO 8601 / RFC 3339.  RETURN VALUE 0 with the wall-clock fields and,
 * when the text carries one, the offset east of UTC. */
static int parse_iso(const char *s, struct kudos_civil_time *c, int *has_off, int *off)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	*has_off = 0;
	*off = 0;
	if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	const char *p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
			return -1;
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &se))
				return -1;
			p += 3;
			if (*p == '.' || *p == ',') {
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
			*has_off = 1;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om;
			p++;
			if (digits(p, 2, &oh))
				return -1;
			p += 2;
			if (*p == ':')
				p++;
			if (digits(p, 2, &om))
				return -1;
			p += 2;
			if (oh > 23 || om > 59)
				return -1;
			*has_off = 1;
			*off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return -1;
	*c = (struct kudos_civil_time){sizeof *c, y, mo, d, h, mi, se, 0};
	return 0;
}

/* "Sat Aug 12 16:10:37 +0000 2023" (X) and RFC 2822 "Sat, 12 Aug 2023
 * 16:10:37 +0000" (or "GMT"), with or without the weekday.  kudos never
 * calls setlocale(), so strptime reads English names. */
static int parse_legacy(const char *s, struct kudos_civil_time *c, int *has_off, int *off)
{
	static const char *const forms[] = {
		"%a %b %d %H:%M:%S %z %Y", "%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z",
		"%a, %d %b %Y %H:%M:%S GMT", "%d %b %Y %H:%M:%S GMT",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct tm tm = {0};
		const char *end = strptime(s, forms[i], &tm);
		if (!end || *end != '\0')
			continue;
		*c = (struct kudos_civil_time){sizeof *c, tm.tm_year + 1900, tm.tm_mon + 1,
		                               tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 0};
		*has_off = 1;
		*off = (int)tm.tm_gmtoff;
		return 0;
	}
	return -1;
}

int kudos_time_parse_zone(const char *s, const char *zone, int64_t *utc)
{
	struct kudos_civil_time c;
	int has_off, off, shifted;
	int64_t t;
	if (parse_iso(s, &c, &has_off, &off) && parse_legacy(s, &c, &has_off, &off))
		return -1;
	if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour > 23 ||
	    c.minute > 59 || c.second > 60)
		return -1;
	if (has_off || !zone) {
		struct tm tm = {.tm_year = c.year - 1900, .tm_mon = c.month - 1, .tm_mday = c.day,
		                .tm_hour = c.hour, .tm_min = c.minute, .tm_sec = c.second};
		time_t wall = timegm(&tm);
		/* timegm normalises 31 February into March: refuse such dates. */
		struct tm back;
		if (!gmtime_r(&wall, &back) || back.tm_mday != c.day || back.tm_mon != c.month - 1)
			return -1;
		t = (int64_t)wall - off;
	} else if (kudos_zone_to_utc(zone, &c, &t, &shifted)) {
		return -1;
	}
	if (t < 0)
		return -1;
	*utc = t;
	return 0;
}

int kudos_time_parse(const char *s, int64_t *utc)
{
	return kudos_time_parse_zone(s, NULL, utc);
}

int kudos_streq_ci(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *kudos_strdup_opt(const char *s, int *oom)
{
	char *copy = s ? strdup(s) : NULL;
	*oom |= s && !copy;
	return copy;
}
