/*
 * Which CSV column fills which item field.  The job's `columns` map is
 * checked at init(); the header row is then resolved against it, or, when
 * the job gives no map, searched for the known header names of each field.
 * Failures go to host->set_error() naming the headers found or the fields
 * valid, so the user can fix the job.
 */
#ifndef KUDOS_SOURCE_CSV_COLUMNS_H
#define KUDOS_SOURCE_CSV_COLUMNS_H

#include <kudos/plugin.h>

#include "csv_parse.h"

/* The item fields a column can fill, in the order ids are hashed in. */
enum csv_col {
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

struct csv_field_def {
	const char *name;       /* the key in the job's `columns` */
	int field;              /* enum kudos_field, or -1 when handled apart */
	const char *aliases[8]; /* header names looked for without a map */
};

extern const struct csv_field_def csv_fields[C_COUNT];

/* init(): check the job's `columns` (field, header, ... pairs; NULL: none)
 * names known fields, no empty header, and "text".  RETURN VALUE KUDOS_OK,
 * or KUDOS_EINVAL after set_error(). */
int csv_columns_check(const struct kudos_host *h, struct kudos_instance *self,
                      const char *const *columns);

/* The header row and where each field's column is. */
struct csv_header {
	char **name;        /* the headers, trimmed */
	size_t n;
	long line;          /* the line of the header row */
	long col[C_COUNT];  /* header index, or -1 */
	long consent;       /* consent_column's index, or -1 */
};

/* Take the current record of `rd` as the header row and map it through
 * `columns` (checked by csv_columns_check(), or NULL to search by name),
 * and find `consent_column` (may be NULL).  `path` names the file in
 * messages.  RETURN VALUE KUDOS_OK, or a KUDOS_E* after set_error(); free
 * `hd` with csv_header_free() either way. */
int csv_header_map(struct csv_header *hd, const struct kudos_host *h,
                   struct kudos_instance *self, const char *path,
                   const struct csv_reader *rd, const char *const *columns,
                   const char *consent_column);
void csv_header_free(struct csv_header *hd);

#endif
