/* Reading a row's values; see csv_values.h. */
#include "csv_values.h"

#include "csv_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int csv_rating(const char *s, double scale, double *value, double *out_scale)
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

int csv_consent_answer(const char *s)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "x", NULL};
	static const char *const no[] = {"no", "n", "false", "0", "", NULL};
	for (int i = 0; yes[i]; i++)
		if (csv_same_name(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (csv_same_name(s, no[i]))
			return 0;
	return -1;
}

char *csv_consent_evidence(const char *header, const char *answer,
                           const char *file, long line)
{
	struct sb ev = {0};
	char ln[32];
	size_t alen;
	const char *a = csv_trim(answer, &alen);

	snprintf(ln, sizeof ln, "%ld", line);
	sb_add(&ev, "form consent: \"");
	sb_add(&ev, header);
	sb_add(&ev, "\" answered \"");
	sb_addn(&ev, a, alen);
	sb_add(&ev, "\" (");
	sb_add(&ev, file);
	sb_add(&ev, ", line ");
	sb_add(&ev, ln);
	sb_add(&ev, ")");
	if (ev.oom) {
		free(ev.s);
		return NULL;
	}
	return ev.s;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void csv_row_id(const char *const *values, size_t n, char out[CSV_ROW_ID_SIZE])
{
	uint64_t hash = FNV_OFFSET;
	for (size_t i = 0; i < n; i++) {
		if (i)
			hash = fnv1a(hash, "\x1f", 1);
		hash = fnv1a(hash, values[i], strlen(values[i]));
	}
	snprintf(out, CSV_ROW_ID_SIZE, "row-%016" PRIx64, hash);
}

struct csv_id_slot {
	uint64_t hash; /* 0: empty slot */
	char *id;      /* compared on equal hashes: a collision is not a repeat */
	long line;
};

long csv_ids_add(struct csv_ids *s, const char *id, long line)
{
	uint64_t hash = fnv1a(FNV_OFFSET, id, strlen(id));
	if (hash == 0)
		hash = 1;
	if ((s->len + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct csv_id_slot *t = calloc(cap, sizeof *t);
		if (!t)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i].hash)
				continue;
			size_t j = s->slot[i].hash & (cap - 1);
			while (t[j].hash)
				j = (j + 1) & (cap - 1);
			t[j] = s->slot[i];
		}
		free(s->slot);
		s->slot = t;
		s->cap = cap;
	}
	size_t j = hash & (s->cap - 1);
	for (; s->slot[j].hash; j = (j + 1) & (s->cap - 1))
		if (s->slot[j].hash == hash && strcmp(s->slot[j].id, id) == 0)
			return s->slot[j].line;
	if (!(s->slot[j].id = strdup(id)))
		return -1;
	s->slot[j].hash = hash;
	s->slot[j].line = line;
	s->len++;
	return 0;
}

void csv_ids_free(struct csv_ids *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i].id);
	free(s->slot);
	s->slot = NULL;
	s->cap = s->len = 0;
}
