/*
 * json_reader: parsing a payload with error positions, and typed member reads.
 * Contract in <kudos/json_reader.h>.
 */
#include <kudos/json_reader.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* 1-based line and column (in characters) of byte `off` of data. */
static void line_col(const char *data, size_t off, long *line, long *col)
{
	long l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)data[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+' || c == '.';
}

/* The document's shape around byte `off`, found by following its strings
 * and brackets from the start. */
struct shape {
	int quote_before; /* data[off - 1] opens a string */
	int closer_after; /* a } or ] outside strings at or after off */
	int open_at_end;  /* the document ends inside a string or bracket */
};

static struct shape shape_at(const char *d, size_t start, size_t len, size_t off)
{
	struct shape sh = {0, 0, 0};
	int in = 0;
	long depth = 0;
	for (size_t i = start; i < len; i++) {
		char c = d[i];
		if (in) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in = 0;
		} else if (c == '"') {
			in = 1;
			if (i + 1 == off)
				sh.quote_before = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
			if (i >= off)
				sh.closer_after = 1;
		}
	}
	sh.open_at_end = in || depth > 0;
	return sh;
}

/* cJSON points just past the start of a token it could not read (one past
 * the opening quote of a string, inside a bare word, on the blank after a
 * stray comma): back up to the token's first byte so that the column and
 * the quoted text start there. */
static size_t token_start(const char *data, size_t start, size_t len, size_t off)
{
	if (shape_at(data, start, len, off).quote_before)
		return off - 1;
	if (off > start && off < len && strchr(" \t\r\n", data[off]))
		return off - 1;
	while (off > start && word_char(data[off - 1]))
		off--;
	return off;
}

/* Whether the document stops inside the value at `off` (it ends inside a
 * string or a bracket, and nothing after `off` closes one): a truncated
 * file rather than a wrong character. */
static int ends_early(const char *data, size_t start, size_t len, size_t off)
{
	struct shape sh = shape_at(data, start, len, off);
	return sh.open_at_end && !sh.closer_after;
}

/* Up to 24 bytes of the text at the error, on one line, for the message. */
static void snippet(const char *s, size_t len, char out[32])
{
	size_t n = 0;
	while (n < len && n < 24 && s[n] != '\n' && s[n] != '\r')
		n++;
	while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--; /* do not cut a character */
	memcpy(out, s, n);
	out[n] = '\0';
}

int kudos_jr_parse(const struct kudos_host *host, struct kudos_instance *self,
                  const char *file, const char *what, const char *data, size_t len,
                  cJSON **out)
{
	size_t start = 0, bad = 0;
	long line, col;
	*out = NULL;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	if (!host->utf8_check(data, len, &bad)) {
		line_col(data, bad, &line, &col);
		host->set_error(self,
		                "%s: line %ld, column %ld: %s; %s is UTF-8 JSON: fetch "
		                "or save it again as it came",
		                file, line, col,
		                bad < len && data[bad] == '\0' ? "a NUL byte"
		                                               : "bytes that are not UTF-8",
		                what);
		return KUDOS_EINVAL;
	}
	if (only_space(data + start, len - start)) {
		host->set_error(self,
		                "%s: the file is empty; expected %s (save the response "
		                "body as it came)",
		                file, what);
		return KUDOS_EINVAL;
	}
	const char *end = NULL;
	/* len + 1: the terminating NUL is part of the buffer, so cJSON can
	 * check that nothing follows the value. */
	cJSON *root = cJSON_ParseWithLengthOpts(data + start, len - start + 1, &end, 1);
	if (root) {
		*out = root;
		return KUDOS_OK;
	}
	size_t off = end && end >= data && end <= data + len ? (size_t)(end - data) : len;
	off = token_start(data, start, len, off);
	line_col(data, off, &line, &col);
	if (ends_early(data, start, len, off)) {
		host->set_error(self,
		                "%s: line %ld, column %ld: the JSON ends before this "
		                "value is complete (the file looks truncated); fetch "
		                "the page again",
		                file, line, col);
	} else {
		char near[32];
		snippet(data + off, len - off, near);
		host->set_error(self,
		                "%s: line %ld, column %ld: invalid JSON near \"%s\"; "
		                "fix the file or fetch the page again",
		                file, line, col, near);
	}
	return KUDOS_EINVAL;
}

static const cJSON *member(struct kudos_jr_rd *r, const cJSON *obj, const char *key, int want)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v || cJSON_IsNull(v))
		return NULL;
	if ((v->type & 0xFF) != want) {
		if (r && !r->bad)
			r->bad = key;
		return NULL;
	}
	return v;
}

const char *kudos_jr_str(struct kudos_jr_rd *r, const cJSON *obj, const char *key)
{
	const cJSON *v = member(r, obj, key, cJSON_String);
	return v ? v->valuestring : NULL;
}

const cJSON *kudos_jr_obj(struct kudos_jr_rd *r, const cJSON *obj, const char *key)
{
	return member(r, obj, key, cJSON_Object);
}

const cJSON *kudos_jr_arr(struct kudos_jr_rd *r, const cJSON *obj, const char *key)
{
	return member(r, obj, key, cJSON_Array);
}

int kudos_jr_bool(struct kudos_jr_rd *r, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v)) {
		if (r && !r->bad)
			r->bad = key;
		return 0;
	}
	return cJSON_IsTrue(v);
}

/* 2^53: every whole number below it is exact in a double; 2^53 itself may
 * be 2^53 + 1 rounded, so it is refused too. */
#define EXACT_MAX 9007199254740992.0

const char *kudos_jr_count(struct kudos_jr_rd *r, const cJSON *obj, const char *key, char buf[32])
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (isfinite(d) && d >= 0 && d < EXACT_MAX && floor(d) == d) {
			snprintf(buf, 32, "%llu", (unsigned long long)d);
			return buf;
		}
	} else if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		size_t n = strspn(s, "0123456789");
		if (n > 0 && n < 21 && s[n] == '\0') {
			while (n > 1 && *s == '0') {
				s++;
				n--;
			}
			memcpy(buf, s, n + 1);
			return buf;
		}
	}
	if (r && !r->bad)
		r->bad = key;
	return NULL;
}

int kudos_jr_id(const cJSON *v, char *buf, size_t size)
{
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		size_t n = strlen(s);
		if (n == 0)
			return 0;
		if (n >= size || n > KUDOS_JR_ID_MAX)
			return -1;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				return -1;
		memcpy(buf, s, n + 1);
		return 1;
	}
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!isfinite(d) || d < 0 || d >= EXACT_MAX || floor(d) != d || size < 20)
			return -1;
		snprintf(buf, size, "%llu", (unsigned long long)d);
		return 1;
	}
	return -1;
}

int kudos_jr_clip(const char *s, int max)
{
	int n = 0;
	if (!s)
		return 0;
	while (n < max && s[n])
		n++;
	if (s[n])
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	return n;
}
