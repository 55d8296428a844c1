/*
 * One collect run of the csv source, and turning one data row into one
 * item: values trimmed, the external id found or hashed, repeated ids
 * skipped, fields, rating, date and consent set, the item emitted.
 * Problems with one row's values are warnings (at most WARN_SHOWN of each
 * kind are logged, the rest counted); a row that breaks the file's shape
 * fails the run.
 */
#ifndef KUDOS_SOURCE_CSV_ROW_H
#define KUDOS_SOURCE_CSV_ROW_H

#include <kudos/plugin.h>

#include "csv_columns.h"
#include "csv_parse.h"
#include "csv_values.h"

#include <stdio.h>

/* The plugin's context: the job's keys, filled by the host. */
struct csv_ctx {
	const char *path;
	const char *const *columns;        /* field, header, field, header ... */
	const char *consent_column;
	const char *const *consent_scopes;
	double rating_scale;
	const char *kind;                  /* NULL: form_answer */
	/* Set by init(). */
	char *scopes; /* consent_scopes joined with ',' */
};

/* The item kind the job asks for. */
static inline const char *csv_kind(const struct csv_ctx *cx)
{
	return cx->kind ? cx->kind : "form_answer";
}

enum csv_warn { W_TEXT, W_RATING, W_TIME, W_CONSENT, W_FIELD, W_ID, W_COUNT_ };

/* At most this many warnings of each kind are shown; the rest are
 * counted in the summary. */
#define WARN_SHOWN 5

struct csv_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const struct csv_ctx *cx;
	const char *path;
	FILE *fp;
	struct csv_reader *rd;
	struct csv_header hd;
	struct csv_ids ids;

	char *val[C_COUNT]; /* the current row's trimmed values, or NULL */

	long rows, items, consented, refused, no_text, repeated, blank;
	long warned[W_COUNT_], hidden;
};

/* Build and emit the item of the reader's current record.  RETURN VALUE
 * KUDOS_OK (emitted, refused or skipped with a warning), or a KUDOS_E*
 * after set_error().  Call csv_row_free() after it either way. */
int csv_row(struct csv_run *r);
/* Release the current row's values. */
void csv_row_free(struct csv_run *r);

#endif
