/* JSON reading helpers for sources; see <kudos/json_source.h>. */
#include <kudos/json_source.h>

#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* each_file's callback, for a host without each_file_parallel: the
 * page's handle is collect()'s own. */
struct serial_pages {
	kudos_js_page_fn fn;
	void *ud;
	struct kudos_instance *self;
};

static int page_serially(void *ud, const char *file, const char *data, size_t len)
{
	struct serial_pages *s = ud;
	return s->fn(s->ud, s->self, file, data, len);
}

int kudos_js_each_page(const struct kudos_host *host, struct kudos_instance *self,
                       const char *path, kudos_js_page_fn fn, void *ud)
{
	struct serial_pages serial = {fn, ud, self};

	if (KUDOS_HOST_HAS(host, each_file_parallel))
		return host->each_file_parallel(self, path, fn, ud);
	if (KUDOS_HOST_HAS(host, each_file))
		return host->each_file(self, path, page_serially, &serial);
	host->set_error(self, "this kudos cannot read a source's files (it lacks "
	                      "each_file); update kudos");
	return KUDOS_EFAIL;
}

void kudos_js_page_free(const struct kudos_host *host, cJSON *root)
{
	/* The same test as kudos_js_each_page's: the parallel reader it
	 * chose is what frees the page's values. */
	if (!KUDOS_HOST_HAS(host, each_file_parallel))
		cJSON_Delete(root);
}

void kudos_js_file_init(struct kudos_js_file *f, const struct kudos_host *host,
                  struct kudos_instance *self, const char *path)
{
	const char *slash = strrchr(path, '/');
	memset(f, 0, sizeof *f);
	f->host = host;
	f->self = self;
	f->path = path;
	f->name = slash && slash[1] ? slash + 1 : path;
}

void kudos_js_file_end(struct kudos_js_file *f)
{
	if (f->hidden)
		f->host->log(f->self, KUDOS_LOG_WARN,
		             "%s: %ld more warnings not shown", f->name, f->hidden);
}

void kudos_js_warn(struct kudos_js_file *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (f->warned >= KUDOS_JS_WARN_SHOWN) {
		f->hidden++;
		return;
	}
	f->warned++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	f->host->log(f->self, KUDOS_LOG_WARN, "%s: %s", f->name, msg);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The line and column (in characters, from 1) of data[at]. */
static void position(const char *data, size_t at, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t k = 0; k < at; k++) {
		if (data[k] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)data[k] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

cJSON *kudos_js_parse(struct kudos_js_file *f, const char *data, size_t len, size_t skip,
                int *rc)
{
	const char *end = NULL;
	*rc = KUDOS_EINVAL;
	if (skip > len)
		skip = len;
	if (len - skip >= 3 && memcmp(data + skip, "\xEF\xBB\xBF", 3) == 0)
		skip += 3;
	size_t i = skip;
	while (i < len && is_blank(data[i]))
		i++;
	if (i == len) {
		f->host->set_error(f->self,
		                   "%s: the file is empty; save the API response "
		                   "in it, or remove it from the folder",
		                   f->path);
		return NULL;
	}
	/* len + 1: the NUL after the data ends the value, so that text after
	 * it is refused. */
	cJSON *root = cJSON_ParseWithLengthOpts(data + skip, len - skip + 1, &end, 1);
	if (root) {
		*rc = KUDOS_OK;
		return root;
	}
	size_t at = end && end >= data + skip && end <= data + len
	                    ? (size_t)(end - data)
	                    : len;
	long line, col;
	position(data, at, &line, &col);
	size_t rest = at;
	while (rest < len && is_blank(data[rest]))
		rest++;
	/* Inside a string that never closes: the file was cut in it.  Outside
	 * strings JSON has no quotes, so a scan from the start tells. */
	int open_string = 0;
	size_t str_at = 0;
	for (size_t q = skip; q < len; q++) {
		if (!open_string && q >= at)
			break;
		if (open_string && data[q] == '\\')
			q++;
		else if (data[q] == '"' && (open_string = !open_string))
			str_at = q;
	}
	if (open_string)
		position(data, str_at, &line, &col);
	if (rest >= len || open_string) {
		f->host->set_error(f->self,
		                   "%s:%ld:%ld: the JSON ends %s: the file was cut "
		                   "short; fetch or save it again",
		                   f->path, line, col,
		                   open_string ? "inside the string that starts here"
		                               : "here, in the middle of a value");
	} else {
		unsigned char c = (unsigned char)data[at];
		char shown[16];
		if (c > 0x20 && c < 0x7f)
			snprintf(shown, sizeof shown, "'%c'", c);
		else
			snprintf(shown, sizeof shown, "byte 0x%02x", c);
		f->host->set_error(f->self,
		                   "%s:%ld:%ld: not valid JSON (unexpected %s); save "
		                   "the API response unchanged and run again",
		                   f->path, line, col, shown);
	}
	return NULL;
}

const char *kudos_js_as_str(const cJSON *v)
{
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *kudos_js_as_obj(const cJSON *v)
{
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *kudos_js_as_arr(const cJSON *v)
{
	return cJSON_IsArray(v) ? v : NULL;
}

const char *kudos_js_as_nonempty(const cJSON *v)
{
	const char *s = kudos_js_as_str(v);
	return s && *s ? s : NULL;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

const char *kudos_js_str(const cJSON *obj, const char *key)
{
	return kudos_js_as_str(member(obj, key));
}

const cJSON *kudos_js_obj(const cJSON *obj, const char *key)
{
	return kudos_js_as_obj(member(obj, key));
}

const cJSON *kudos_js_arr(const cJSON *obj, const char *key)
{
	return kudos_js_as_arr(member(obj, key));
}

const char *kudos_js_nonempty(const cJSON *obj, const char *key)
{
	return kudos_js_as_nonempty(member(obj, key));
}

void kudos_js_members(const cJSON *obj, const char *const *keys, size_t n, const cJSON **out)
{
	uint64_t left = n >= 64 ? ~0ull : (1ull << n) - 1;
	uint64_t by_first[256] = {0}; /* the keys that start with each byte */
	const cJSON *m;

	for (size_t i = 0; i < n; i++) {
		out[i] = NULL;
		if (i < 64)
			by_first[(unsigned char)keys[i][0]] |= 1ull << i;
	}
	if (!cJSON_IsObject(obj))
		return;
	for (m = obj->child; m && left; m = m->next) {
		const char *name = m->string;
		if (!name)
			continue;
		for (uint64_t c = by_first[(unsigned char)name[0]] & left; c; c &= c - 1) {
			size_t i = (size_t)__builtin_ctzll(c);
			if (strcmp(keys[i], name) == 0) {
				out[i] = m;
				left &= ~(1ull << i);
				break;
			}
		}
	}
}

int kudos_js_true(const cJSON *obj, const char *key)
{
	const cJSON *v = member(obj, key);
	return cJSON_IsTrue(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0);
}

/* 2^53: every whole number up to it is exact in a double. */
#define KUDOS_JS_EXACT 9007199254740992.0

/* `n` in decimal into buf: what snprintf's "%llu" gives, for a tenth of
 * its cost (counts are printed for every item). */
static const char *decimal(unsigned long long n, char buf[KUDOS_JS_NUM_SIZE])
{
	char *p = buf + KUDOS_JS_NUM_SIZE - 1;
	*p = '\0';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return memmove(buf, p, (size_t)(buf + KUDOS_JS_NUM_SIZE - p));
}

int kudos_js_id(const cJSON *v, char buf[KUDOS_JS_NUM_SIZE], const char **out)
{
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return KUDOS_JS_ID_MISSING;
	if (cJSON_IsString(v)) {
		const unsigned char *p = (const unsigned char *)v->valuestring;
		if (!*p)
			return KUDOS_JS_ID_MISSING;
		for (; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				return KUDOS_JS_ID_BAD;
		*out = v->valuestring;
		return KUDOS_JS_ID_OK;
	}
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!(d >= 0) || d != floor(d))
			return KUDOS_JS_ID_BAD;
		/* 2^53 itself is refused: 2^53 + 1 arrives as it. */
		if (d >= KUDOS_JS_EXACT)
			return KUDOS_JS_ID_BIG;
		*out = decimal((unsigned long long)d, buf);
		return KUDOS_JS_ID_OK;
	}
	return KUDOS_JS_ID_BAD;
}

const char *kudos_js_count(const cJSON *v, char buf[KUDOS_JS_NUM_SIZE])
{
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!(d >= 0) || d > KUDOS_JS_EXACT || d != floor(d))
			return NULL;
		return decimal((unsigned long long)d, buf);
	}
	if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);
		if (n == 0 || n > 19 || strspn(v->valuestring, "0123456789") != n)
			return NULL;
		memcpy(buf, v->valuestring, n + 1);
		return buf;
	}
	return NULL;
}

int kudos_js_epoch(const cJSON *v, int64_t *out)
{
	if (!cJSON_IsNumber(v))
		return 0;
	double d = v->valuedouble;
	if (!(d >= 0) || d >= 253402300800.0)
		return 0;
	*out = (int64_t)floor(d);
	return 1;
}

char *kudos_js_unescape3(const char *s)
{
	static const struct {
		const char *ent;
		size_t len;
		char c;
	} ents[] = {{"&amp;", 5, '&'}, {"&lt;", 4, '<'}, {"&gt;", 4, '>'}};
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	while (*s) {
		size_t k = 0;
		if (*s == '&')
			while (k < 3 && strncmp(s, ents[k].ent, ents[k].len) != 0)
				k++;
		if (*s == '&' && k < 3) {
			*o++ = ents[k].c;
			s += ents[k].len;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

int kudos_js_url_part(char *buf, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(buf);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		            (*p >= '0' && *p <= '9') || strchr("-._~", *p);
		if (n + (plain ? 1 : 3) + 1 > cap)
			return 0;
		if (plain) {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
	return 1;
}

int kudos_js_begin(struct kudos_js_item *b, const struct kudos_host *host,
             struct kudos_instance *self, const char *id)
{
	memset(b, 0, sizeof *b);
	b->host = host;
	b->it = host->item_new(self, id);
	return b->it != NULL;
}

static void note(struct kudos_js_item *b, int rc, const char *what)
{
	if (rc != KUDOS_OK && b->rc == KUDOS_OK) {
		b->rc = rc;
		b->what = what;
	}
}

void kudos_js_set(struct kudos_js_item *b, int field, const char *value, const char *what)
{
	if (b->rc == KUDOS_OK && value)
		note(b, b->host->item_set(b->it, field, value), what);
}

void kudos_js_meta(struct kudos_js_item *b, const char *key, const char *value)
{
	if (b->rc == KUDOS_OK && value && *value)
		note(b, b->host->item_set_meta(b->it, key, value), key);
}

void kudos_js_time(struct kudos_js_item *b, int which, int64_t t)
{
	if (b->rc == KUDOS_OK)
		note(b, b->host->item_set_time(b->it, which, t), "time");
}

void kudos_js_media(struct kudos_js_item *b, const char *type, const char *url,
              const char *alt)
{
	if (b->rc == KUDOS_OK && url && *url)
		note(b, b->host->item_add_media(b->it, type, url, alt && *alt ? alt : NULL),
		     "media");
}

int kudos_js_finish(struct kudos_js_item *b, struct kudos_js_file *f, const char *pos)
{
	if (b->rc == KUDOS_ENOMEM) {
		b->host->item_free(b->it);
		b->host->set_error(f->self, "%s: out of memory at %s", f->path, pos);
		return KUDOS_ENOMEM;
	}
	if (b->rc != KUDOS_OK) {
		b->host->item_free(b->it);
		kudos_js_warn(f, "%s: the %s is not valid UTF-8 text (or not accepted); "
		           "item skipped",
		        pos, b->what ? b->what : "value");
		return 0;
	}
	int rc = b->host->item_emit(f->self, b->it);
	if (rc == KUDOS_OK)
		return 1;
	return rc == KUDOS_EINVAL ? 0 : rc;
}
