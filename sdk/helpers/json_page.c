/* One saved API page: parsing, positions, warnings; see json_page.h. */
#include <kudos/json_page.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void kudos_jp_begin_file(struct kudos_jp_run *r, const char *file)
{
	const char *slash = strrchr(file, '/');
	r->file = file;
	r->base = slash && slash[1] ? slash + 1 : file;
	r->files++;
}

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1-based line and column (in characters) of byte `off` of data; a BOM
 * (the first `skip` bytes) is not counted. */
static void position(const char *data, size_t skip, size_t off, long *line,
                     long *col)
{
	long l = 1, c = 1;
	for (size_t i = skip; i < off; i++) {
		unsigned char b = (unsigned char)data[i];
		if (b == '\n') {
			l++;
			c = 1;
		} else if ((b & 0xC0) != 0x80) {
			c++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*line = l;
	*col = c;
}

/* Up to 24 printable ASCII bytes from p, for "near `...`". */
static void snippet(const char *p, const char *end, char out[32])
{
	size_t n = 0;
	while (p < end && n < 24 && *p != '\n' && *p != '\r') {
		unsigned char b = (unsigned char)*p++;
		out[n++] = b >= 0x20 && b < 0x7f ? (char)b : '?';
	}
	out[n] = '\0';
}

/* 1 if data[0..len) stops inside a string or with brackets still open:
 * a document cut short.  *str_start: where that open string starts (len
 * when none). */
static int unfinished(const char *d, size_t len, size_t *str_start)
{
	int in_str = 0, esc = 0;
	long depth = 0;
	size_t s0 = len;
	for (size_t i = 0; i < len; i++) {
		char c = d[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
			s0 = i;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	*str_start = in_str ? s0 : len;
	return in_str || depth > 0;
}

int kudos_jp_parse(struct kudos_jp_run *r, const char *data, size_t len, cJSON **root)
{
	const char *end = NULL;
	size_t skip = 0;

	*root = NULL;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		skip = 3; /* a BOM some editors write */
	size_t first = skip;
	while (first < len && blank((unsigned char)data[first]))
		first++;
	if (first == len) {
		r->host->set_error(r->self,
		                   "%s: the file is empty; save the API's JSON "
		                   "response in it, or remove it from the folder",
		                   r->file);
		return KUDOS_EINVAL;
	}

	cJSON *doc = cJSON_ParseWithLengthOpts(data + skip, len - skip, &end, 0);
	if (doc) {
		/* Only blanks may follow the value. */
		const char *p = end, *stop = data + len;
		while (p < stop && blank((unsigned char)*p))
			p++;
		if (p == stop) {
			*root = doc;
			return KUDOS_OK;
		}
		cJSON_Delete(doc);
		long line, col;
		char near[32];
		position(data, skip, (size_t)(p - data), &line, &col);
		snippet(p, stop, near);
		r->host->set_error(r->self,
		                   "%s:%ld:%ld: text after the end of the JSON "
		                   "value (near \"%s\"); keep one JSON document "
		                   "per file",
		                   r->file, line, col, near);
		return KUDOS_EINVAL;
	}

	/* cJSON points at the byte it stopped on (the last byte when the
	 * input ran out). */
	size_t off = len;
	if (end && end >= data + skip && end <= data + len)
		off = (size_t)(end - data);
	size_t last = len, str_start;
	while (last > 0 && blank((unsigned char)data[last - 1]))
		last--;
	long line, col;
	char near[32];
	if (unfinished(data, len, &str_start) &&
	    (off >= str_start || off + 1 >= last)) {
		/* Name where the data stops: that is where it was cut. */
		position(data, skip, last, &line, &col);
		r->host->set_error(r->self,
		                   "%s:%ld:%ld: the JSON ends before it is "
		                   "complete (the file looks cut short); fetch or "
		                   "save the page again",
		                   r->file, line, col);
	} else {
		position(data, skip, off, &line, &col);
		snippet(data + off, data + len, near);
		r->host->set_error(r->self,
		                   "%s:%ld:%ld: this is not valid JSON (near "
		                   "\"%s\"); fix the file or fetch the page again",
		                   r->file, line, col, near);
	}
	return KUDOS_EINVAL;
}

void kudos_jp_warn(struct kudos_jp_run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->warnings++ >= KUDOS_JP_WARN_SHOWN) {
		r->hidden++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->warnings == KUDOS_JP_WARN_SHOWN)
		r->host->log(r->self, KUDOS_LOG_WARN,
		             "%s (further warnings are counted, not shown)", msg);
	else
		r->host->log(r->self, KUDOS_LOG_WARN, "%s", msg);
}

void kudos_jp_summary(const struct kudos_jp_run *r, const char *what)
{
	char hidden[64] = "";
	if (r->hidden > 0)
		snprintf(hidden, sizeof hidden, "; %ld warnings not shown", r->hidden);
	r->host->log(r->self, KUDOS_LOG_INFO,
	             "%ld page%s, %ld %s, %ld item%s stored, %ld skipped, "
	             "%ld refused%s",
	             r->files, r->files == 1 ? "" : "s", r->entries, what,
	             r->items, r->items == 1 ? "" : "s", r->skipped, r->refused,
	             hidden);
}

void kudos_jp_add(struct kudos_jp_totals *t, const struct kudos_jp_run *page)
{
	atomic_fetch_add(&t->files, page->files);
	atomic_fetch_add(&t->entries, page->entries);
	atomic_fetch_add(&t->items, page->items);
	atomic_fetch_add(&t->skipped, page->skipped);
	atomic_fetch_add(&t->refused, page->refused);
	atomic_fetch_add(&t->warnings, page->warnings);
	atomic_fetch_add(&t->hidden, page->hidden);
}

void kudos_jp_sum(const struct kudos_jp_totals *t, struct kudos_jp_run *sum)
{
	sum->files = atomic_load(&t->files);
	sum->entries = atomic_load(&t->entries);
	sum->items = atomic_load(&t->items);
	sum->skipped = atomic_load(&t->skipped);
	sum->refused = atomic_load(&t->refused);
	sum->warnings = atomic_load(&t->warnings);
	sum->hidden = atomic_load(&t->hidden);
}

const char *kudos_jp_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj)
	                         ? cJSON_GetObjectItemCaseSensitive(obj, key)
	                         : NULL;
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

const char *kudos_jp_text(const cJSON *obj, const char *key)
{
	const char *s = kudos_jp_str(obj, key);
	if (!s)
		return NULL;
	for (const char *p = s; *p; p++)
		if (!blank((unsigned char)*p))
			return s;
	return NULL;
}

const cJSON *kudos_jp_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj)
	                         ? cJSON_GetObjectItemCaseSensitive(obj, key)
	                         : NULL;
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *kudos_jp_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj)
	                         ? cJSON_GetObjectItemCaseSensitive(obj, key)
	                         : NULL;
	return cJSON_IsArray(v) ? v : NULL;
}

int kudos_jp_id(const cJSON *obj, const char *key, char buf[32], const char **out)
{
	const cJSON *v = cJSON_IsObject(obj)
	                         ? cJSON_GetObjectItemCaseSensitive(obj, key)
	                         : NULL;
	*out = NULL;
	if (cJSON_IsString(v) && v->valuestring && v->valuestring[0]) {
		*out = v->valuestring;
		return KUDOS_JP_ID_OK;
	}
	if (!cJSON_IsNumber(v))
		return KUDOS_JP_ID_MISSING;
	double d = v->valuedouble;
	if (!(d >= 0))
		return KUDOS_JP_ID_MISSING;
	if (d >= 9007199254740992.0)
		return KUDOS_JP_ID_TOO_BIG; /* 2^53 + 1 already arrives as 2^53 */
	if (d != (double)(int64_t)d)
		return KUDOS_JP_ID_MISSING;
	snprintf(buf, 32, "%" PRId64, (int64_t)d);
	*out = buf;
	return KUDOS_JP_ID_OK;
}

int kudos_jp_set_time(struct kudos_jp_run *r, struct kudos_item *item, int which,
                const char *when, const char *zone, const char *at,
                const char *key)
{
	int64_t t;
	int rc = zone ? r->host->time_parse_zone(when, zone, &t)
	              : r->host->time_parse(when, &t);
	if (rc == KUDOS_OK)
		rc = r->host->item_set_time(item, which, t);
	if (rc != KUDOS_OK) {
		kudos_jp_warn(r,
		        "%s: %s: %s \"%.64s\" is not a time kudos can read (like "
		        "2026-03-14T09:30:00Z); left unset",
		        r->base, at, key, when);
		return 0;
	}
	return 1;
}

void kudos_jp_set(struct kudos_jp_run *r, struct kudos_item *item, int field,
            const char *value, const char *at, const char *key)
{
	if (!value || !value[0])
		return;
	if (r->host->item_set(item, field, value) != KUDOS_OK)
		kudos_jp_warn(r, "%s: %s: %s was refused (not valid UTF-8?); left unset",
		        r->base, at, key);
}

void kudos_jp_meta(struct kudos_jp_run *r, struct kudos_item *item, const char *key,
             const char *value, const char *at)
{
	if (!value || !value[0])
		return;
	if (r->host->item_set_meta(item, key, value) != KUDOS_OK)
		kudos_jp_warn(r, "%s: %s: metadata %s was refused (not valid UTF-8?); "
		           "left unset",
		        r->base, at, key);
}

const char *kudos_jp_utc(int64_t t, char buf[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) ||
	    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 21, "1970-01-01T00:00:00Z");
	return buf;
}

void kudos_jp_errors(struct kudos_jp_run *r, const cJSON *root)
{
	const cJSON *errs = kudos_jp_arr(root, "errors"), *e;
	int i = 0;
	cJSON_ArrayForEach(e, errs)
	{
		const char *msg = kudos_jp_str(e, "message");
		if (!msg)
			msg = kudos_jp_str(e, "description");
		if (!msg)
			msg = kudos_jp_str(e, "detail");
		if (!msg)
			msg = kudos_jp_str(e, "title");
		if (!msg && cJSON_IsString(e))
			msg = e->valuestring;
		kudos_jp_warn(r, "%s: errors[%d]: the API reported \"%.200s\"; the data "
		           "beside it is still collected",
		        r->base, i, msg ? msg : "(no message)");
		i++;
	}
}

int kudos_jp_emit(struct kudos_jp_run *r, struct kudos_item *item)
{
	int rc = r->host->item_emit(r->self, item);
	if (rc == KUDOS_OK) {
		r->items++;
		return KUDOS_OK;
	}
	if (rc == KUDOS_EINVAL) {
		r->refused++; /* the host said why */
		return KUDOS_OK;
	}
	/* a store failure: the host has set the error itself */
	return rc;
}

int kudos_jp_stop(struct kudos_jp_run *r)
{
	return r->host->should_stop(r->self) ? KUDOS_ESTOP : KUDOS_OK;
}

char *kudos_jp_trim_dup(const char *s)
{
	while (*s && blank((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && blank((unsigned char)s[n - 1]))
		n--;
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}
