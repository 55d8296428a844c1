/*
 * source-bluesky helpers: JSON values read the way the plugin needs them,
 * warnings capped per page, line/column positions for parse errors, AT URI
 * parts.  See bluesky.h for each function's contract.
 */
#include "bluesky.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_EXACT 9007199254740992.0 /* 2^53 */

void bsk_warn(struct bsk_run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->warned >= BSK_WARN_SHOWN) {
		r->hidden++;
		return;
	}
	r->warned++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->host->log(r->self, KUDOS_LOG_WARN, "%s: %s%s", r->base, msg,
	             r->warned == BSK_WARN_SHOWN
	                     ? " (further warnings are counted, not shown)"
	                     : "");
}

const cJSON *bsk_get(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

const char *bsk_str(const cJSON *obj, const char *key)
{
	const cJSON *v = bsk_get(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *bsk_nonempty(const cJSON *obj, const char *key)
{
	const char *s = bsk_str(obj, key);
	return s && *s ? s : NULL;
}

const char *bsk_count(const cJSON *v, char buf[32])
{
	if (!cJSON_IsNumber(v))
		return NULL;
	double d = v->valuedouble;
	/* 2^53 itself is refused: it is also what 2^53 + 1 parses to. */
	if (!(d >= 0) || d >= MAX_EXACT || d != (double)(long long)d)
		return NULL;
	snprintf(buf, 32, "%lld", (long long)d);
	return buf;
}

void bsk_position(const char *data, size_t len, size_t off, long *line, long *col)
{
	long ln = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char b = (unsigned char)data[i];
		if (b == '\n') {
			ln++;
			c = 1;
		} else if ((b & 0xC0) != 0x80) {
			c++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*line = ln;
	*col = c;
}

int bsk_unfinished(const char *data, size_t len)
{
	long depth = 0;
	int in_string = 0;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return in_string || depth > 0;
}

/* Copy [s, s+n) into buf if it fits and holds no '/', blank or control. */
static int part(const char *s, size_t n, char *buf, size_t size)
{
	if (n == 0 || n >= size)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '#')
			return 0;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 1;
}

int bsk_post_uri(const char *uri, char *authority, size_t asize, char *rkey,
                 size_t rsize)
{
	static const char coll[] = "app.bsky.feed.post/";
	if (!uri || strncmp(uri, "at://", 5) != 0)
		return 0;
	const char *a = uri + 5, *slash = strchr(a, '/');
	if (!slash || !part(a, (size_t)(slash - a), authority, asize))
		return 0;
	if (strncmp(slash + 1, coll, sizeof coll - 1) != 0)
		return 0;
	const char *k = slash + sizeof coll;
	return part(k, strlen(k), rkey, rsize);
}
