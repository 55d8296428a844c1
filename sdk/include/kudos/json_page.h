/*
 * json_page: what every kudos JSON source does with one saved API page.
 *
 * Contract:
 *   - kudos_jp_parse() reads one file handed over by host->each_file().  Invalid
 *     or truncated JSON fails the source: set_error() names the file, the
 *     line and the column (1-based, counted in characters) and the call
 *     returns KUDOS_EINVAL, so the host rolls the source back.
 *   - kudos_jp_warn() logs a warning; after KUDOS_JP_WARN_SHOWN of them in one
 *     struct kudos_jp_run the rest are only counted, and kudos_jp_summary()
 *     says how many were not shown.  A source that reads its pages on
 *     several threads (kudos_js_each_page) gives each page a run of its
 *     own, so the budget is per page, and adds the pages up in a struct
 *     kudos_jp_totals.
 *   - kudos_jp_emit() hands an item to the host and sorts out the result: a
 *     refused item (KUDOS_EINVAL) is counted and collect goes on; any other
 *     failure is returned.
 *   - Getters never fail on a wrong type: they return NULL / 0, and the
 *     caller decides whether that skips the entry (with a warning naming
 *     the file and the position, e.g. "reviews[3]").
 *
 * A helper of the SDK, not part of the ABI: its source is
 * sdk/helpers/json_page.c (installed under share/kudos/helpers), compiled
 * into each plugin that uses it, so a plugin still links nothing of the
 * engine.  It needs cJSON.
 */
#ifndef KUDOS_JSON_PAGE_H
#define KUDOS_JSON_PAGE_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define KUDOS_JP_WARN_SHOWN 25

struct kudos_jp_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *file; /* the page being read, as each_file() named it */
	const char *base; /* its last path component, for messages */
	long files;       /* pages read */
	long entries;     /* entries looked at */
	long items;       /* items stored */
	long skipped;     /* entries skipped with a warning */
	long refused;     /* items the host refused (it logged why) */
	long warnings;    /* warnings raised, shown or not */
	long hidden;      /* warnings raised but not shown */
};

/* A run read as pages on several threads at once: each page counts in a
 * struct kudos_jp_run of its own (on the page callback's stack) and adds
 * it here when it is done.  Zero it before the page loop. */
struct kudos_jp_totals {
	atomic_long files, entries, items, skipped, refused, warnings, hidden;
};

/* Add the counts of a finished page; safe from several threads at once. */
void kudos_jp_add(struct kudos_jp_totals *t, const struct kudos_jp_run *page);
/* The run's counts into `sum` (its other members are left as they are),
 * e.g. for kudos_jp_summary(); call it once the page loop has returned. */
void kudos_jp_sum(const struct kudos_jp_totals *t, struct kudos_jp_run *sum);

/* Start reading `file`: sets file/base and counts the page. */
void kudos_jp_begin_file(struct kudos_jp_run *r, const char *file);

/* Parse `data` (len bytes, NUL-terminated, a UTF-8 BOM allowed).
 * RETURN VALUE KUDOS_OK with *root (transfer full: cJSON_Delete it), or
 * KUDOS_EINVAL after set_error() naming file:line:column. */
int kudos_jp_parse(struct kudos_jp_run *r, const char *data, size_t len, cJSON **root);

/* A warning, prefixed with nothing: write "file: position: what; what
 * was done".  Counted; shown only for the first KUDOS_JP_WARN_SHOWN of
 * `r`. */
void kudos_jp_warn(struct kudos_jp_run *r, const char *fmt, ...) KUDOS_PRINTF(2, 3);

/* The closing INFO line: "what: N pages, N entries, N items ...". */
void kudos_jp_summary(const struct kudos_jp_run *r, const char *what);

/* `key` of `obj` as a string (possibly empty), or NULL if absent or not a
 * string.  (transfer none) */
const char *kudos_jp_str(const cJSON *obj, const char *key);
/* The same, but NULL for an empty or all-blank string too. */
const char *kudos_jp_text(const cJSON *obj, const char *key);
/* `key` of `obj` if it is an object / array, else NULL. */
const cJSON *kudos_jp_obj(const cJSON *obj, const char *key);
const cJSON *kudos_jp_arr(const cJSON *obj, const char *key);

enum { KUDOS_JP_ID_OK = 0, KUDOS_JP_ID_MISSING = 1, KUDOS_JP_ID_TOO_BIG = 2 };
/* A platform id under `key`: a non-empty string as is, or a whole number
 * from 0 to 2^53 (beyond that a double has lost digits).  *out points into
 * `obj` or into buf.  RETURN VALUE KUDOS_JP_ID_*. */
int kudos_jp_id(const cJSON *obj, const char *key, char buf[32], const char **out);

/* Parse `when` with host->time_parse (zone NULL) or time_parse_zone and
 * set it as `which`; a bad time is warned about (naming `at` and `key`)
 * and left unset.  RETURN VALUE 1 if set. */
int kudos_jp_set_time(struct kudos_jp_run *r, struct kudos_item *item, int which,
                const char *when, const char *zone, const char *at,
                const char *key);

/* Set a text field if `value` is non-NULL and non-empty; a refused value
 * is warned about and left unset. */
void kudos_jp_set(struct kudos_jp_run *r, struct kudos_item *item, int field,
            const char *value, const char *at, const char *key);
/* Metadata the same way. */
void kudos_jp_meta(struct kudos_jp_run *r, struct kudos_item *item, const char *key,
             const char *value, const char *at);

/* "2016-08-29T07:41:13Z" for an instant.  buf needs 21 bytes. */
const char *kudos_jp_utc(int64_t t, char buf[21]);

/* Log one warning per entry of a top-level "errors" array (a partial
 * success: the data beside it is still collected). */
void kudos_jp_errors(struct kudos_jp_run *r, const cJSON *root);

/* Hand `item` to the host (transfer full).  RETURN VALUE KUDOS_OK (stored,
 * or refused and counted), or the host's store failure (the host has set
 * the error). */
int kudos_jp_emit(struct kudos_jp_run *r, struct kudos_item *item);

/* KUDOS_ESTOP if the user asked to stop (no set_error() needed), else
 * KUDOS_OK. */
int kudos_jp_stop(struct kudos_jp_run *r);

/* s without leading and trailing blanks, as a new string (transfer full,
 * free()); NULL when out of memory. */
char *kudos_jp_trim_dup(const char *s);

#endif
