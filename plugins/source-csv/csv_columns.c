/* Which CSV column fills which item field; see csv_columns.h. */
#include "csv_columns.h"

#include "csv_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct csv_field_def csv_fields[C_COUNT] = {
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

/* The column of the field named `name`, or C_COUNT. */
static int col_of(const char *name)
{
	int c = 0;
	while (c < C_COUNT && strcmp(csv_fields[c].name, name) != 0)
		c++;
	return c;
}

int csv_columns_check(const struct kudos_host *h, struct kudos_instance *self,
                      const char *const *columns)
{
	if (!columns)
		return KUDOS_OK;
	int has_text = 0;
	for (size_t i = 0; columns[i]; i += 2) {
		const char *field = columns[i];
		const char *name = columns[i + 1];
		int c = col_of(field);
		if (c == C_COUNT) {
			struct sb b = {0};
			for (int k = 0; k < C_COUNT; k++) {
				sb_add(&b, k ? ", " : "");
				sb_add(&b, csv_fields[k].name);
			}
			h->set_error(self,
			             "columns: \"%s\" is not an item field; valid "
			             "fields: %s",
			             field, sb_str(&b));
			free(b.s);
			return KUDOS_EINVAL;
		}
		if (!name || !name[0]) {
			h->set_error(self,
			             "columns.%s is empty; give the header of the "
			             "column, or remove the key",
			             field);
			return KUDOS_EINVAL;
		}
		has_text |= c == C_TEXT;
	}
	if (!has_text) {
		h->set_error(self,
		             "columns does not map \"text\"; add \"text\": "
		             "\"<header of the answer column>\" to it");
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

/* The index of the first header named `name`, or -1; *second is the next
 * one so named, or -1. */
static long find_header(const struct csv_header *hd, const char *name,
                        long *second)
{
	long found = -1;
	*second = -1;
	for (size_t i = 0; i < hd->n; i++) {
		if (!csv_same_name(hd->name[i], name))
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
static void list_headers(const struct csv_header *hd, struct sb *b)
{
	for (size_t i = 0; i < hd->n; i++) {
		sb_add(b, i ? ", \"" : "\"");
		sb_add(b, hd->name[i]);
		sb_add(b, "\"");
	}
}

/* Resolve a header the job names (`what` says which key).  RETURN VALUE
 * its index, or a KUDOS_E* after set_error(). */
static long job_header(const struct csv_header *hd, const struct kudos_host *h,
                       struct kudos_instance *self, const char *path,
                       const char *what, const char *name)
{
	long second, i = find_header(hd, name, &second);
	if (i >= 0 && second < 0)
		return i;
	if (i >= 0) {
		h->set_error(self,
		             "%s: %s names the header \"%s\", but the header row "
		             "(line %ld) has it twice, in columns %ld and %ld; "
		             "rename one in the file and run again",
		             path, what, name, hd->line, i + 1, second + 1);
		return KUDOS_EINVAL;
	}
	struct sb b = {0};
	list_headers(hd, &b);
	h->set_error(self,
	             "%s: %s names the header \"%s\", which is not in the "
	             "header row (line %ld); headers found: %s; fix the job to "
	             "use one of them",
	             path, what, name, hd->line, sb_str(&b));
	free(b.s);
	return KUDOS_EINVAL;
}

/* Map the job's `columns`.  RETURN VALUE KUDOS_OK or a KUDOS_E*. */
static int map_job(struct csv_header *hd, const struct kudos_host *h,
                   struct kudos_instance *self, const char *path,
                   const char *const *columns)
{
	for (size_t i = 0; columns[i]; i += 2) {
		char what[64];
		int c = col_of(columns[i]);
		if (c == C_COUNT)
			continue; /* refused by csv_columns_check() */
		snprintf(what, sizeof what, "columns.%s", columns[i]);
		long idx = job_header(hd, h, self, path, what, columns[i + 1]);
		if (idx < 0)
			return (int)idx;
		hd->col[c] = idx;
	}
	return KUDOS_OK;
}

/* Find the columns by header name; each header fills one field at most.
 * RETURN VALUE KUDOS_OK, or KUDOS_EINVAL when no column holds the text. */
static int map_by_name(struct csv_header *hd, const struct kudos_host *h,
                       struct kudos_instance *self, const char *path)
{
	struct sb b = {0};
	for (int c = 0; c < C_COUNT; c++) {
		for (int a = 0; a < 8 && csv_fields[c].aliases[a]; a++) {
			for (size_t i = 0; i < hd->n; i++) {
				int used = 0;
				for (int k = 0; k < c; k++)
					used |= hd->col[k] == (long)i;
				if (used || !csv_same_name(hd->name[i],
				                           csv_fields[c].aliases[a]))
					continue;
				hd->col[c] = (long)i;
				break;
			}
			if (hd->col[c] >= 0)
				break;
		}
		if (hd->col[c] >= 0) {
			sb_add(&b, b.len ? ", " : "");
			sb_add(&b, csv_fields[c].name);
			sb_add(&b, " <- \"");
			sb_add(&b, hd->name[hd->col[c]]);
			sb_add(&b, "\"");
		}
	}
	if (hd->col[C_TEXT] < 0) {
		struct sb hb = {0}, ab = {0};
		list_headers(hd, &hb);
		for (int a = 0; a < 8 && csv_fields[C_TEXT].aliases[a]; a++) {
			sb_add(&ab, a ? ", " : "");
			sb_add(&ab, csv_fields[C_TEXT].aliases[a]);
		}
		h->set_error(self,
		             "%s: no header on line %ld names the testimonial text "
		             "(looked for %s; found %s); add \"columns\": "
		             "{\"text\": \"<header>\"} to this source in the job",
		             path, hd->line, sb_str(&ab), sb_str(&hb));
		free(hb.s);
		free(ab.s);
		free(b.s);
		return KUDOS_EINVAL;
	}
	h->log(self, KUDOS_LOG_INFO,
	       "%s: columns found by name: %s (set \"columns\" in the job to "
	       "choose others)",
	       csv_base_name(path), sb_str(&b));
	free(b.s);
	return KUDOS_OK;
}

int csv_header_map(struct csv_header *hd, const struct kudos_host *h,
                   struct kudos_instance *self, const char *path,
                   const struct csv_reader *rd, const char *const *columns,
                   const char *consent_column)
{
	int rc;

	hd->line = rd->record_line;
	hd->n = csv_nfields(rd);
	hd->name = calloc(hd->n, sizeof *hd->name);
	if (!hd->name)
		goto oom;
	for (size_t i = 0; i < hd->n; i++)
		if (!(hd->name[i] = csv_dup_trim(csv_field(rd, i))))
			goto oom;

	for (int c = 0; c < C_COUNT; c++)
		hd->col[c] = -1;
	hd->consent = -1;

	rc = columns ? map_job(hd, h, self, path, columns)
	             : map_by_name(hd, h, self, path);
	if (rc != KUDOS_OK)
		return rc;

	if (consent_column) {
		long idx = job_header(hd, h, self, path, "consent_column",
		                      consent_column);
		if (idx < 0)
			return (int)idx;
		hd->consent = idx;
	}
	return KUDOS_OK;

oom:
	h->set_error(self, "%s: out of memory reading the header", path);
	return KUDOS_ENOMEM;
}

void csv_header_free(struct csv_header *hd)
{
	if (hd->name)
		for (size_t i = 0; i < hd->n; i++)
			free(hd->name[i]);
	free(hd->name);
	hd->name = NULL;
	hd->n = 0;
}
