/*
 * source-csv: testimonials from a CSV file, typically a form export
 * (Typeform, Google Forms, a spreadsheet).
 *
 * Job keys:
 *   path            the CSV file (required), UTF-8, header row first
 *   columns         item field -> header, e.g. {"text": "What did you like?"}.
 *                   Fields: text, author_name, author_handle, author_role,
 *                   rating, created_at, id, title, permalink, language.
 *                   When given, only the mapped columns are read; "text"
 *                   must be among them.  When absent, columns are found by
 *                   header name (see `fields` below; case and surrounding
 *                   blanks ignored), and "text" must be found.
 *   consent_column  the header of a yes/no consent question; a yes (yes, y,
 *                   true, 1, x; case and blanks ignored) grants
 *                   consent_scopes with the answer as evidence.  No, n,
 *                   false, 0 and an empty answer grant nothing; any other
 *                   answer grants nothing and is warned about.
 *   consent_scopes  scopes a yes grants (default ["web"])
 *   rating_scale    the scale of the rating column (default 5); a rating
 *                   written "4/5" carries its own scale
 *   kind            the items' kind (default form_answer)
 *
 * External ids: the `id` column when there is one and the row has a value.
 * Otherwise "row-" and the FNV-1a 64 hash (16 hex digits) of the row's
 * mapped values, in field order, joined with U+001F: stable across exports
 * and row order, but editing any mapped value of that row (its text
 * included) makes it a new item.  A row whose id repeats an earlier row's
 * is skipped with a warning.
 *
 * Values are trimmed of surrounding blanks; inside the text, line breaks
 * are kept (as LF).  created_at accepts YYYY-MM-DD, and YYYY-MM-DDTHH:MM,
 * with optional :SS, .fraction and Z or +HH:MM / -HH:MM; a space may stand
 * for the T; without a zone the time is taken as UTC.
 */
#include <kudos/plugin.h>

#include "csv_parse.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

struct csv_ctx {
	/* Filled by the host from the config table. */
	const char *path;
	const char *const *columns;        /* field, header, field, header ... */
	const char *consent_column;
	const char *const *consent_scopes;
	double rating_scale;
	const char *kind;
	/* Set by init(). */
	char *scopes; /* consent_scopes joined with ',' */
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct csv_ctx, path),
	 "the CSV file, UTF-8 with a header row"},
	{KUDOS_CONFIG_STRING_MAP, "columns", NULL, 0,
	 offsetof(struct csv_ctx, columns),
	 "item field -> CSV header, e.g. {\"text\": \"What did you like?\"}"},
	{KUDOS_CONFIG_STRING, "consent_column", NULL, 0,
	 offsetof(struct csv_ctx, consent_column),
	 "header of a yes/no consent question; yes grants consent_scopes"},
	{KUDOS_CONFIG_STRING_LIST, "consent_scopes", "[\"web\"]", 0,
	 offsetof(struct csv_ctx, consent_scopes),
	 "scopes a yes in consent_column grants (web, print, social, ads)"},
	{KUDOS_CONFIG_DOUBLE, "rating_scale", "5", 0,
	 offsetof(struct csv_ctx, rating_scale),
	 "the top of the rating column's scale"},
	/* No default_value: NULL means form_answer (see kind_of()). */
	{KUDOS_CONFIG_STRING, "kind", NULL, 0, offsetof(struct csv_ctx, kind),
	 "item kind: review, social_post, form_answer (default) or "
	 "video_comment"},
	{0},
};

/* The item fields a column can fill, and the header names looked for when
 * the job gives no `columns` (compared ignoring case and blanks around). */
enum col {
	C_TEXT,
	C_AUTHOR_NAME,
	C_AUTHOR_HANDLE,
	C_AUTHOR_ROLE,
	C_RATING,
	C_CREATED_AT,
	C_ID,
	C_TITLE,
	C_PERMALINK,
	C_LANGUAGE,
	C_COUNT
};

static const struct {
	const char *name;
	int field; /* enum kudos_field, or -1 when handled apart */
	const char *aliases[8];
} fields[C_COUNT] = {
	[C_TEXT] = {"text", KUDOS_FIELD_TEXT,
	            {"text", "quote", "testimonial", "comment", "comments",
	             "review", "feedback", "message"}},
	[C_AUTHOR_NAME] = {"author_name", KUDOS_FIELD_AUTHOR_NAME,
	                   {"author_name", "name", "full name", "your name",
	                    "author"}},
	[C_AUTHOR_HANDLE] = {"author_handle", KUDOS_FIELD_AUTHOR_HANDLE,
	                     {"author_handle", "handle", "username"}},
	[C_AUTHOR_ROLE] = {"author_role", KUDOS_FIELD_AUTHOR_ROLE,
	                   {"author_role", "role", "company", "role / company",
	                    "job title"}},
	[C_RATING] = {"rating", -1, {"rating", "stars", "score"}},
	[C_CREATED_AT] = {"created_at", -1,
	                  {"created_at", "date", "submitted at", "submitted",
	                   "timestamp"}},
	[C_ID] = {"id", -1, {"id", "response id", "response_id"}},
	[C_TITLE] = {"title", KUDOS_FIELD_TITLE, {"title", "headline"}},
	[C_PERMALINK] = {"permalink", KUDOS_FIELD_PERMALINK,
	                 {"permalink", "url", "link"}},
	[C_LANGUAGE] = {"language", KUDOS_FIELD_LANGUAGE,
	                {"language", "lang", "locale"}},
};

static const char *const kinds[] = {"review", "social_post", "form_answer",
                                    "video_comment", NULL};

static const char *kind_of(const struct csv_ctx *cx)
{
	return cx->kind ? cx->kind : "form_answer";
}

/* ------------------------------------------------------------------ */
/* Small text helpers (ASCII only, independent of the locale)           */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..*len) without blanks around; returns the new start. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* Whether `a` and `b` are equal ignoring ASCII case and blanks around. */
static int same_name(const char *a, const char *b)
{
	size_t na, nb;
	a = trim(a, &na);
	b = trim(b, &nb);
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static char *dup_trim(const char *s)
{
	size_t n;
	s = trim(s, &n);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* A growing string; `oom` is set when an append failed. */
struct sb {
	char *s;
	size_t len, cap;
	int oom;
};

static void sb_addn(struct sb *b, const char *s, size_t n)
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

static void sb_add(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static const char *sb_str(const struct sb *b)
{
	return b->oom ? "(out of memory)" : b->s ? b->s : "";
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "text, author_name, ..." */
static void list_fields(struct sb *b)
{
	for (int i = 0; i < C_COUNT; i++) {
		if (i)
			sb_add(b, ", ");
		sb_add(b, fields[i].name);
	}
}

/* ------------------------------------------------------------------ */
/* Values                                                               */

/* A decimal number: digits, optionally '.' or ',' and digits.  Locale
 * independent (strtod follows LC_NUMERIC, which the host may have set).
 * RETURN VALUE 1 and *end past it, or 0. */
static int parse_decimal(const char *s, const char **end, double *out)
{
	double v = 0, scale = 1;
	int digits = 0;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		v = v * 10 + (*s - '0');
	if ((*s == '.' || *s == ',') && s[1] >= '0' && s[1] <= '9') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			scale /= 10;
			v += (*s - '0') * scale;
		}
	}
	if (!digits || digits > 15)
		return 0;
	*end = s;
	*out = v;
	return 1;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "4", "4.5", "4,5", "4/5", "9 / 10".  RETURN VALUE 1 with the value and
 * the scale (from the text, else `scale`) when 0 <= value <= scale; 0. */
static int parse_rating(const char *s, double scale, double *value,
                        double *out_scale)
{
	double v;
	if (!parse_decimal(s, &s, &v))
		return 0;
	s = skip_blanks(s);
	if (*s == '/') {
		if (!parse_decimal(skip_blanks(s + 1), &s, &scale))
			return 0;
		s = skip_blanks(s);
	}
	if (*s || !(scale > 0) || v > scale)
		return 0;
	*value = v;
	*out_scale = scale;
	return 1;
}

/* Exactly n digits. */
static int digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	*s += n;
	*out = v;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* ISO 8601 as described at the top.  RETURN VALUE 1 and *out, or 0. */
static int parse_time(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;

	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d))
		return 0;
	if (*s == 'T' || *s == 't' || (*s == ' ' && s[1])) {
		s++;
		if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
			return 0;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &sec))
				return 0;
			if (*s == '.' && s[1] >= '0' && s[1] <= '9')
				for (s++; *s >= '0' && *s <= '9'; s++)
					;
		}
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (!digits(&s, 2, &oh))
				return 0;
			if (*s == ':')
				s++;
			if (*s && !digits(&s, 2, &om))
				return 0;
		}
	}
	if (*s || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return 0;

	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	*out = (int64_t)t - sign * (int64_t)(oh * 3600 + om * 60);
	return 1;
}

/* 1 for yes, 0 for no or empty, -1 for anything else. */
static int consent_answer(const char *s)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "x", NULL};
	static const char *const no[] = {"no", "n", "false", "0", "", NULL};
	for (int i = 0; yes[i]; i++)
		if (same_name(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (same_name(s, no[i]))
			return 0;
	return -1;
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)

/* ------------------------------------------------------------------ */
/* One collect run                                                      */

enum warn_kind { W_TEXT, W_RATING, W_TIME, W_CONSENT, W_FIELD, W_ID, W_COUNT_ };

/* At most this many warnings of each kind are shown; the rest are
 * counted in the summary. */
#define WARN_SHOWN 5

struct seen {
	uint64_t hash; /* 0: empty slot */
	long line;
};

struct run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const struct csv_ctx *cx;
	const char *path;
	FILE *fp;
	struct csv_reader *rd;

	char **header;
	size_t nheader;
	long col[C_COUNT]; /* header index, or -1 */
	long consent_col;

	char *val[C_COUNT]; /* the current row's trimmed values, or NULL */

	struct seen *seen; /* external ids so far, open addressing */
	size_t seen_cap, seen_len;

	long rows, items, consented, refused, no_text, repeated, blank;
	long warned[W_COUNT_], hidden;
};

/* "line 12", or "line 12 (spreadsheet row 10)" when quoted line breaks
 * make the two differ. */
static const char *where(const struct run *r, char *buf, size_t size)
{
	if (r->rd->record_row == r->rd->record_line)
		snprintf(buf, size, "line %ld", r->rd->record_line);
	else
		snprintf(buf, size, "line %ld (spreadsheet row %ld)",
		         r->rd->record_line, r->rd->record_row);
	return buf;
}

KUDOS_PRINTF(3, 4)
static void warn(struct run *r, int kind, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->warned[kind]++ >= WARN_SHOWN) {
		r->hidden++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->warned[kind] == WARN_SHOWN)
		r->host->log(r->self, KUDOS_LOG_WARN,
		             "%s (further warnings like this are counted, not shown)",
		             msg);
	else
		r->host->log(r->self, KUDOS_LOG_WARN, "%s", msg);
}

/* Turn a reader failure into set_error().  RETURN VALUE a KUDOS_E*. */
static int reader_error(struct run *r, int st)
{
	const struct kudos_host *h = r->host;
	const struct csv_reader *rd = r->rd;

	switch (st) {
	case CSV_ERR_IO:
		h->set_error(r->self,
		             "%s: reading failed near line %ld: %s; check that the "
		             "file is readable and run again",
		             r->path, rd->line, strerror(rd->err_errno));
		return KUDOS_EIO;
	case CSV_ERR_NOMEM:
		h->set_error(r->self, "%s: out of memory reading line %ld",
		             r->path, rd->line);
		return KUDOS_ENOMEM;
	case CSV_ERR_UTF8:
		h->set_error(r->self,
		             "%s: line %ld is not valid UTF-8 (byte offset %ld); "
		             "save the file as UTF-8 and run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_NUL:
		h->set_error(r->self,
		             "%s: line %ld contains a NUL byte (byte offset %ld), "
		             "so it is not UTF-8 text (a UTF-16 export?); save the "
		             "file as CSV UTF-8 and run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_QUOTE:
		h->set_error(r->self,
		             "%s: the quoted field that starts on line %ld never "
		             "ends; add its closing quote (\") and run again",
		             r->path, rd->err_line);
		return KUDOS_EINVAL;
	case CSV_ERR_STRAY:
		h->set_error(r->self,
		             "%s: line %ld has text after a closing quote (byte "
		             "offset %ld); inside a quoted field write a quote as "
		             "two (\"\"), then run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_LONG:
		h->set_error(r->self,
		             "%s: the record that starts on line %ld is longer than "
		             "%zu MiB; look for a missing closing quote there",
		             r->path, rd->err_line, CSV_MAX_RECORD >> 20);
		return KUDOS_EINVAL;
	}
	h->set_error(r->self, "%s: unexpected reader status %d at line %ld",
	             r->path, st, rd->line);
	return KUDOS_EFAIL;
}

/* The index of the first header named `name`, or -1; *second is the next
 * one so named, or -1. */
static long find_header(const struct run *r, const char *name, long *second)
{
	long found = -1;
	*second = -1;
	for (size_t i = 0; i < r->nheader; i++) {
		if (!same_name(r->header[i], name))
			continue;
		if (found >= 0) {
			*second = (long)i;
			break;
		}
		found = (long)i;
	}
	return found;
}

/* `"Name", "Rating", ...` */
static void list_headers(const struct run *r, struct sb *b)
{
	for (size_t i = 0; i < r->nheader; i++) {
		sb_add(b, i ? ", \"" : "\"");
		sb_add(b, r->header[i]);
		sb_add(b, "\"");
	}
}

/* Resolve a header the job names (`what` says which key).  RETURN VALUE
 * its index, or a KUDOS_E* after set_error(). */
static long job_header(struct run *r, const char *what, const char *name)
{
	long second, i = find_header(r, name, &second);
	if (i >= 0 && second < 0)
		return i;
	if (i >= 0) {
		r->host->set_error(r->self,
		                   "%s: %s names the header \"%s\", but the header "
		                   "row (line %ld) has it twice, in columns %ld and "
		                   "%ld; rename one in the file and run again",
		                   r->path, what, name, r->rd->record_line, i + 1,
		                   second + 1);
		return KUDOS_EINVAL;
	}
	struct sb b = {0};
	list_headers(r, &b);
	r->host->set_error(r->self,
	                   "%s: %s names the header \"%s\", which is not in the "
	                   "header row (line %ld); headers found: %s; fix the "
	                   "job to use one of them",
	                   r->path, what, name, r->rd->record_line, sb_str(&b));
	free(b.s);
	return KUDOS_EINVAL;
}

/* Read the header row and decide which column fills which field. */
static int read_header(struct run *r)
{
	const struct kudos_host *h = r->host;
	int st = csv_next(r->rd);
	if (st < 0)
		return reader_error(r, st);
	if (st == CSV_EOF) {
		h->set_error(r->self,
		             "%s: the file is empty; export the answers with a "
		             "header row and run again",
		             r->path);
		return KUDOS_EINVAL;
	}
	r->nheader = csv_nfields(r->rd);
	r->header = calloc(r->nheader, sizeof *r->header);
	if (!r->header)
		goto oom;
	for (size_t i = 0; i < r->nheader; i++)
		if (!(r->header[i] = dup_trim(csv_field(r->rd, i))))
			goto oom;

	for (int c = 0; c < C_COUNT; c++)
		r->col[c] = -1;
	r->consent_col = -1;

	if (r->cx->columns) {
		for (size_t i = 0; r->cx->columns[i]; i += 2) {
			const char *field = r->cx->columns[i];
			const char *name = r->cx->columns[i + 1];
			char what[64];
			int c = 0;
			while (c < C_COUNT && strcmp(fields[c].name, field) != 0)
				c++;
			if (c == C_COUNT)
				continue; /* refused by init() */
			snprintf(what, sizeof what, "columns.%s", field);
			long idx = job_header(r, what, name);
			if (idx < 0)
				return (int)idx;
			r->col[c] = idx;
		}
	} else {
		/* Guess by name; each header fills one field at most. */
		struct sb b = {0};
		for (int c = 0; c < C_COUNT; c++) {
			for (int a = 0; a < 8 && fields[c].aliases[a]; a++) {
				for (size_t i = 0; i < r->nheader; i++) {
					int used = 0;
					for (int k = 0; k < c; k++)
						used |= r->col[k] == (long)i;
					if (used || !same_name(r->header[i],
					                       fields[c].aliases[a]))
						continue;
					r->col[c] = (long)i;
					break;
				}
				if (r->col[c] >= 0)
					break;
			}
			if (r->col[c] >= 0) {
				sb_add(&b, b.len ? ", " : "");
				sb_add(&b, fields[c].name);
				sb_add(&b, " <- \"");
				sb_add(&b, r->header[r->col[c]]);
				sb_add(&b, "\"");
			}
		}
		if (r->col[C_TEXT] < 0) {
			struct sb hb = {0}, ab = {0};
			list_headers(r, &hb);
			for (int a = 0; a < 8 && fields[C_TEXT].aliases[a]; a++) {
				sb_add(&ab, a ? ", " : "");
				sb_add(&ab, fields[C_TEXT].aliases[a]);
			}
			h->set_error(r->self,
			             "%s: no header on line %ld names the testimonial "
			             "text (looked for %s; found %s); add \"columns\": "
			             "{\"text\": \"<header>\"} to this source in the job",
			             r->path, r->rd->record_line, sb_str(&ab),
			             sb_str(&hb));
			free(hb.s);
			free(ab.s);
			free(b.s);
			return KUDOS_EINVAL;
		}
		h->log(r->self, KUDOS_LOG_INFO,
		       "%s: columns found by name: %s (set \"columns\" in the job "
		       "to choose others)",
		       base_name(r->path), sb_str(&b));
		free(b.s);
	}

	if (r->cx->consent_column) {
		long idx = job_header(r, "consent_column", r->cx->consent_column);
		if (idx < 0)
			return (int)idx;
		r->consent_col = idx;
	}
	return KUDOS_OK;

oom:
	h->set_error(r->self, "%s: out of memory reading the header", r->path);
	return KUDOS_ENOMEM;
}

/* Record `id` as seen on the current line.  RETURN VALUE 0, the line that
 * had it before, or -1 when out of memory. */
static long remember_id(struct run *r, const char *id)
{
	uint64_t hash = fnv1a(FNV_OFFSET, id, strlen(id));
	if (hash == 0)
		hash = 1;
	if ((r->seen_len + 1) * 2 > r->seen_cap) {
		size_t cap = r->seen_cap ? r->seen_cap * 2 : 256;
		struct seen *t = calloc(cap, sizeof *t);
		if (!t)
			return -1;
		for (size_t i = 0; i < r->seen_cap; i++) {
			if (!r->seen[i].hash)
				continue;
			size_t j = r->seen[i].hash & (cap - 1);
			while (t[j].hash)
				j = (j + 1) & (cap - 1);
			t[j] = r->seen[i];
		}
		free(r->seen);
		r->seen = t;
		r->seen_cap = cap;
	}
	size_t j = hash & (r->seen_cap - 1);
	for (; r->seen[j].hash; j = (j + 1) & (r->seen_cap - 1))
		if (r->seen[j].hash == hash)
			return r->seen[j].line;
	r->seen[j].hash = hash;
	r->seen[j].line = r->rd->record_line;
	r->seen_len++;
	return 0;
}

static void free_row(struct run *r)
{
	for (int c = 0; c < C_COUNT; c++) {
		free(r->val[c]);
		r->val[c] = NULL;
	}
}

/* Build and emit the item of the current row.  RETURN VALUE KUDOS_OK
 * (emitted, refused or skipped with a warning), or a KUDOS_E* after
 * set_error(). */
static int do_row(struct run *r)
{
	const struct kudos_host *h = r->host;
	struct csv_reader *rd = r->rd;
	char at[80], idbuf[24];
	const char *id;
	size_t n = csv_nfields(rd);

	where(r, at, sizeof at);
	if (n != r->nheader) {
		h->set_error(r->self,
		             "%s: %s has %zu field%s but the header has %zu; check "
		             "that line for an unquoted comma or a missing quote, "
		             "then run again",
		             r->path, at, n, n == 1 ? "" : "s", r->nheader);
		return KUDOS_EINVAL;
	}

	int all_blank = 1;
	for (size_t i = 0; i < n && all_blank; i++) {
		size_t len;
		trim(csv_field(rd, i), &len);
		all_blank = len == 0;
	}
	if (all_blank) {
		r->blank++; /* spreadsheets export trailing ",,,," rows */
		return KUDOS_OK;
	}
	r->rows++;

	for (int c = 0; c < C_COUNT; c++) {
		if (r->col[c] < 0)
			continue;
		if (!(r->val[c] = dup_trim(csv_field(rd, (size_t)r->col[c])))) {
			h->set_error(r->self, "%s: out of memory at %s", r->path, at);
			return KUDOS_ENOMEM;
		}
	}

	if (!r->val[C_TEXT][0]) {
		r->no_text++;
		warn(r, W_TEXT, "%s: %s has no text in \"%s\"; row skipped",
		     base_name(r->path), at, r->header[r->col[C_TEXT]]);
		return KUDOS_OK;
	}

	if (r->val[C_ID] && r->val[C_ID][0]) {
		id = r->val[C_ID];
	} else {
		uint64_t hash = FNV_OFFSET;
		int first = 1;
		for (int c = 0; c < C_COUNT; c++) {
			if (c == C_ID || !r->val[c])
				continue;
			if (!first)
				hash = fnv1a(hash, "\x1f", 1);
			hash = fnv1a(hash, r->val[c], strlen(r->val[c]));
			first = 0;
		}
		snprintf(idbuf, sizeof idbuf, "row-%016" PRIx64, hash);
		id = idbuf;
	}

	long before = remember_id(r, id);
	if (before < 0) {
		h->set_error(r->self, "%s: out of memory at %s", r->path, at);
		return KUDOS_ENOMEM;
	}
	if (before > 0) {
		r->repeated++;
		warn(r, W_ID,
		     "%s: %s repeats the id \"%s\" of line %ld; kept the first, "
		     "skipped this one",
		     base_name(r->path), at, id, before);
		return KUDOS_OK;
	}

	struct kudos_item *item = h->item_new(r->self, id);
	if (!item) {
		r->refused++;
		warn(r, W_ID, "%s: %s: the item for id \"%s\" could not be "
		              "created (see above); row skipped",
		     base_name(r->path), at, id);
		return KUDOS_OK;
	}

	if (h->item_set(item, KUDOS_FIELD_KIND, kind_of(r->cx)) != KUDOS_OK) {
		h->item_free(item);
		h->set_error(r->self,
		             "kind \"%s\" was refused; use review, social_post, "
		             "form_answer or video_comment",
		             kind_of(r->cx));
		return KUDOS_EINVAL;
	}
	if (h->item_set(item, KUDOS_FIELD_TEXT, r->val[C_TEXT]) != KUDOS_OK) {
		h->item_free(item);
		r->refused++;
		warn(r, W_TEXT, "%s: %s: the text was refused; row skipped",
		     base_name(r->path), at);
		return KUDOS_OK;
	}
	for (int c = 0; c < C_COUNT; c++) {
		if (c == C_TEXT || fields[c].field < 0 || !r->val[c] ||
		    !r->val[c][0])
			continue;
		if (h->item_set(item, fields[c].field, r->val[c]) != KUDOS_OK)
			warn(r, W_FIELD,
			     "%s: %s: the value of \"%s\" was refused as %s; "
			     "left unset",
			     base_name(r->path), at, r->header[r->col[c]],
			     fields[c].name);
	}

	const char *rv = r->val[C_RATING];
	if (rv && rv[0]) {
		double value, scale;
		if (!parse_rating(rv, r->cx->rating_scale, &value, &scale) ||
		    h->item_set_rating(item, value, scale) != KUDOS_OK)
			warn(r, W_RATING,
			     "%s: %s: rating \"%s\" in column \"%s\" is not a "
			     "number from 0 to %g (or like 4/5); rating left unset",
			     base_name(r->path), at, rv, r->header[r->col[C_RATING]],
			     r->cx->rating_scale);
	}

	const char *tv = r->val[C_CREATED_AT];
	if (tv && tv[0]) {
		int64_t t;
		if (!parse_time(tv, &t) ||
		    h->item_set_time(item, KUDOS_TIME_CREATED, t) != KUDOS_OK)
			warn(r, W_TIME,
			     "%s: %s: date \"%s\" in column \"%s\" is not like "
			     "2026-03-14 or 2026-03-14T09:30:00Z; date left unset",
			     base_name(r->path), at, tv,
			     r->header[r->col[C_CREATED_AT]]);
	}

	if (r->consent_col >= 0) {
		const char *answer = csv_field(rd, (size_t)r->consent_col);
		int yes = consent_answer(answer);
		if (yes < 0)
			warn(r, W_CONSENT,
			     "%s: %s: consent answer \"%s\" in \"%s\" is neither "
			     "yes nor no; no consent recorded",
			     base_name(r->path), at, answer, r->cx->consent_column);
		if (yes > 0) {
			struct sb ev = {0};
			char ln[32];
			snprintf(ln, sizeof ln, "%ld", rd->record_line);
			sb_add(&ev, "form consent: \"");
			sb_add(&ev, r->header[r->consent_col]);
			sb_add(&ev, "\" answered \"");
			size_t alen;
			const char *a = trim(answer, &alen);
			sb_addn(&ev, a, alen);
			sb_add(&ev, "\" (");
			sb_add(&ev, base_name(r->path));
			sb_add(&ev, ", line ");
			sb_add(&ev, ln);
			sb_add(&ev, ")");
			if (ev.oom) {
				free(ev.s);
				h->item_free(item);
				h->set_error(r->self, "%s: out of memory at %s",
				             r->path, at);
				return KUDOS_ENOMEM;
			}
			int rc = h->item_set_consent(item, r->cx->scopes, ev.s);
			free(ev.s);
			if (rc != KUDOS_OK) {
				h->item_free(item);
				h->set_error(r->self,
				             "%s: %s: consent for scopes \"%s\" was "
				             "refused; check consent_scopes (web, print, "
				             "social, ads) in the job",
				             r->path, at, r->cx->scopes);
				return KUDOS_EINVAL;
			}
			r->consented++;
		}
	}

	int rc = h->item_emit(r->self, item);
	if (rc == KUDOS_OK) {
		r->items++;
	} else if (rc == KUDOS_EINVAL) {
		r->refused++; /* the host logged why */
	} else {
		h->set_error(r->self,
		             "%s: %s: the item could not be stored (status %d)",
		             r->path, at, rc);
		return rc;
	}
	return KUDOS_OK;
}

static int csv_collect(const struct kudos_host *host,
                       struct kudos_instance *self, void *ctx)
{
	struct run r = {0};
	int rc = KUDOS_OK;

	r.host = host;
	r.self = self;
	r.cx = ctx;
	r.path = r.cx->path;

	r.fp = fopen(r.path, "rb");
	if (!r.fp) {
		host->set_error(self,
		                "%s: cannot open: %s; check the source's \"path\" "
		                "in the job",
		                r.path, strerror(errno));
		return KUDOS_EIO;
	}
	r.rd = malloc(sizeof *r.rd);
	if (!r.rd) {
		host->set_error(self, "%s: out of memory", r.path);
		rc = KUDOS_ENOMEM;
		goto out;
	}
	csv_init(r.rd, r.fp);

	if ((rc = read_header(&r)) != KUDOS_OK)
		goto out;

	for (;;) {
		if (host->should_stop(self)) {
			host->set_error(self, "%s: stopped at line %ld", r.path,
			                r.rd->line);
			rc = KUDOS_ESTOP;
			break;
		}
		int st = csv_next(r.rd);
		if (st == CSV_EOF)
			break;
		if (st < 0) {
			rc = reader_error(&r, st);
			break;
		}
		rc = do_row(&r);
		free_row(&r);
		if (rc != KUDOS_OK)
			break;
	}

	if (rc == KUDOS_OK) {
		char extra[256] = "";
		size_t len = 0;
		if (r.no_text)
			len += (size_t)snprintf(extra + len, sizeof extra - len,
			                        ", %ld without text", r.no_text);
		if (r.repeated && len < sizeof extra)
			len += (size_t)snprintf(extra + len, sizeof extra - len,
			                        ", %ld repeated", r.repeated);
		if (r.refused && len < sizeof extra)
			len += (size_t)snprintf(extra + len, sizeof extra - len,
			                        ", %ld refused", r.refused);
		if (r.hidden && len < sizeof extra)
			snprintf(extra + len, sizeof extra - len,
			         "; %ld more warnings not shown", r.hidden);
		host->log(self, KUDOS_LOG_INFO,
		          "%s: %ld rows, %ld items, %ld with consent%s",
		          base_name(r.path), r.rows, r.items, r.consented, extra);
	}

out:
	free_row(&r);
	if (r.header)
		for (size_t i = 0; i < r.nheader; i++)
			free(r.header[i]);
	free(r.header);
	free(r.seen);
	if (r.rd) {
		csv_free(r.rd);
		free(r.rd);
	}
	fclose(r.fp);
	return rc;
}

/* ------------------------------------------------------------------ */
/* init / exit                                                          */

static int csv_init_cb(const struct kudos_host *host,
                       struct kudos_instance *self, void *ctx)
{
	struct csv_ctx *cx = ctx;

	int k = 0;
	while (kinds[k] && strcmp(kinds[k], kind_of(cx)) != 0)
		k++;
	if (!kinds[k]) {
		host->set_error(self,
		                "kind \"%s\" is not a kind of item; use review, "
		                "social_post, form_answer or video_comment",
		                kind_of(cx));
		return KUDOS_EINVAL;
	}

	if (!(cx->rating_scale > 0) || cx->rating_scale > 1e6) {
		host->set_error(self,
		                "rating_scale %g is not a positive number; set it "
		                "to the top of the rating scale, e.g. 5 or 10",
		                cx->rating_scale);
		return KUDOS_EINVAL;
	}

	if (cx->consent_column && !cx->consent_column[0]) {
		host->set_error(self,
		                "consent_column is empty; name the header of the "
		                "consent question, or remove the key");
		return KUDOS_EINVAL;
	}

	if (cx->columns) {
		int has_text = 0;
		for (size_t i = 0; cx->columns[i]; i += 2) {
			const char *field = cx->columns[i];
			const char *name = cx->columns[i + 1];
			int c = 0;
			while (c < C_COUNT && strcmp(fields[c].name, field) != 0)
				c++;
			if (c == C_COUNT) {
				struct sb b = {0};
				list_fields(&b);
				host->set_error(self,
				                "columns: \"%s\" is not an item field; "
				                "valid fields: %s",
				                field, sb_str(&b));
				free(b.s);
				return KUDOS_EINVAL;
			}
			if (!name || !name[0]) {
				host->set_error(self,
				                "columns.%s is empty; give the header of "
				                "the column, or remove the key",
				                field);
				return KUDOS_EINVAL;
			}
			has_text |= c == C_TEXT;
		}
		if (!has_text) {
			host->set_error(self,
			                "columns does not map \"text\"; add \"text\": "
			                "\"<header of the answer column>\" to it");
			return KUDOS_EINVAL;
		}
	}

	struct sb b = {0};
	for (size_t i = 0; cx->consent_scopes && cx->consent_scopes[i]; i++) {
		const char *s = cx->consent_scopes[i];
		if (!s[0] || strpbrk(s, ", \t")) {
			free(b.s);
			host->set_error(self,
			                "consent_scopes: \"%s\" is not a scope; list "
			                "scopes one per string, e.g. [\"web\", \"print\"]",
			                s);
			return KUDOS_EINVAL;
		}
		sb_add(&b, i ? "," : "");
		sb_add(&b, s);
	}
	if (b.oom) {
		free(b.s);
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	if (!b.s) {
		host->set_error(self,
		                "consent_scopes is empty; list what a yes allows, "
		                "e.g. [\"web\"]");
		return KUDOS_EINVAL;
	}
	cx->scopes = b.s;
	if (!cx->consent_column && host->config_get(self, "consent_scopes"))
		host->log(self, KUDOS_LOG_WARN,
		          "consent_scopes has no effect without consent_column");
	return KUDOS_OK;
}

static void csv_exit_cb(const struct kudos_host *host,
                        struct kudos_instance *self, void *ctx)
{
	struct csv_ctx *cx = ctx;
	(void)host;
	(void)self;
	free(cx->scopes);
	cx->scopes = NULL;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "csv",
	.version = "1.0.0",
	.description = "testimonials from a CSV file (form or spreadsheet "
	               "export), with a consent column",
	.config = config,
	.context_size = sizeof(struct csv_ctx),
	.init = csv_init_cb,
	.collect = csv_collect,
	.exit = csv_exit_cb,
};

KUDOS_PLUGIN_DEFINE(descriptor)
