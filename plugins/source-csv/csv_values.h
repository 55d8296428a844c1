/*
 * Reading a row's values: ratings, consent answers, consent evidence and
 * external ids.  Pure functions (and one id set), no host calls, ASCII
 * only and independent of the locale.
 */
#ifndef KUDOS_SOURCE_CSV_VALUES_H
#define KUDOS_SOURCE_CSV_VALUES_H

#include <stddef.h>
#include <stdint.h>

/* "4", "4.5", "4,5", "4/5", "9 / 10" (at most 15 digits a number).
 * RETURN VALUE 1 with the value and the scale (from the text, else
 * `scale`) when 0 <= value <= scale; 0 otherwise. */
int csv_rating(const char *s, double scale, double *value, double *out_scale);

/* 1 for yes (yes, y, true, 1, x), 0 for no (no, n, false, 0, empty), -1
 * for anything else; case and blanks around are ignored. */
int csv_consent_answer(const char *s);

/* `form consent: "<header>" answered "<answer, trimmed>" (<file>, line
 * <line>)` (transfer full: free()), or NULL when out of memory. */
char *csv_consent_evidence(const char *header, const char *answer,
                           const char *file, long line);

/* The id of a row without one: "row-" and the FNV-1a 64 hash (16 lowercase
 * hex digits) of values[0..n) joined with U+001F. */
#define CSV_ROW_ID_SIZE 24
void csv_row_id(const char *const *values, size_t n, char out[CSV_ROW_ID_SIZE]);

/* The external ids seen so far, each with the line it was first seen on.
 * Zero-initialise; release with csv_ids_free(). */
struct csv_ids {
	struct csv_id_slot *slot; /* open addressing; hash 0: empty */
	size_t cap, len;
};

/* Record `id` as seen on `line`.  RETURN VALUE 0 if it is new, the line
 * that had it before, or -1 when out of memory. */
long csv_ids_add(struct csv_ids *s, const char *id, long line);
void csv_ids_free(struct csv_ids *s);

#endif
