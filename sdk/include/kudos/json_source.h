/*
 * JSON reading helpers for sources: parsing a page with the position
 * of a syntax error, typed member access that never returns a value of the
 * wrong type, platform ids kept as strings, counts as decimal strings,
 * throttled per-file warnings, an item builder that remembers the
 * first setter that failed, and a page loop that reads pages on every core
 * when the host can.  No global state; every function is safe on NULL
 * inputs (a NULL object has no members).
 *
 * A helper of the SDK, not part of the ABI: its source is
 * sdk/helpers/json_source.c, compiled into each plugin that lists it in
 * its sdk-helpers file, so a plugin still links nothing of the engine.
 */
#ifndef KUDOS_JSON_SOURCE_H
#define KUDOS_JSON_SOURCE_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <stddef.h>
#include <stdint.h>

/* A source's page callback: as host->each_file_parallel's `fn`.  `self`
 * is the page's own instance handle (transfer none, valid during the
 * call): pass it, not collect()'s, to every host call made for the page. */
typedef int (*kudos_js_page_fn)(void *ud, struct kudos_instance *self, const char *file,
                                const char *data, size_t len);

/* Read every page of a source's `path` (a file, or a folder of pages in
 * name order) with `fn`: several pages at once on every core through
 * host->each_file_parallel when the host has it, else one after the other
 * through host->each_file, with collect()'s `self` as the page's handle.
 * Either way the host stores the items and prints the messages of the
 * pages in name order, and a page that fails stops the source there.
 * `self` is collect()'s instance; `ud` is handed to `fn` as it is.
 *
 * Thread rules: write `fn` for the parallel case even if a host reads
 * serially.  It may run on several threads at once, so inside it use only
 * the services each_file_parallel allows (no config_get, job_get or
 * cursors: read them in collect() before this call), keep the page's own
 * state on its stack, and treat what pages share (`ud`, the plugin's
 * context) as read-only, except for atomics: add run totals into atomic
 * counters once per page, when the page is done.  Anything whose order
 * matters across pages (a run-wide warning budget, a "first seen" list)
 * cannot be decided inside `fn`: keep it per page and combine the pages
 * in name order after this call returns.  A cJSON value made inside `fn`
 * (the parsed page) does not outlive the call: copy what you keep.
 *
 * RETURN VALUE as each_file: KUDOS_OK, the first non-zero value `fn`
 * returned, KUDOS_ESTOP, or KUDOS_EINVAL / KUDOS_EIO with the error set
 * naming the path; KUDOS_EFAIL with the error set when the host has
 * neither service. */
int kudos_js_each_page(const struct kudos_host *host, struct kudos_instance *self,
                       const char *path, kudos_js_page_fn fn, void *ud);

/* Release a tree parsed inside a kudos_js_each_page callback: under
 * each_file_parallel the host frees every cJSON value of the call at once
 * when it returns, so this does nothing (cJSON_Delete would walk the
 * whole page for no gain: 8% of a Mastodon collect); under the serial
 * each_file it is cJSON_Delete.  Only for such callbacks: elsewhere, use
 * cJSON_Delete. */
void kudos_js_page_free(const struct kudos_host *host, cJSON *root);

/* Warnings shown per file; the rest are counted in one closing line. */
#define KUDOS_JS_WARN_SHOWN 20

/* One file being read. */
struct kudos_js_file {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *path; /* as each_file gave it: named in errors */
	const char *name; /* its last component: named in warnings */
	long warned, hidden;
};

void kudos_js_file_init(struct kudos_js_file *f, const struct kudos_host *host,
                  struct kudos_instance *self, const char *path);
/* Log "N more warnings not shown" if some were held back. */
void kudos_js_file_end(struct kudos_js_file *f);

/* A warning about this file, prefixed with its name.  At most
 * KUDOS_JS_WARN_SHOWN are logged per file. */
void kudos_js_warn(struct kudos_js_file *f, const char *fmt, ...) KUDOS_PRINTF(2, 3);

/* Parse data[skip..len) (data[len] must be NUL, as each_file gives it).
 * Trailing text after the value is refused.  RETURN VALUE the tree
 * (transfer full: cJSON_Delete), or NULL after set_error() naming the file
 * with the line and column of the error (counted from the file's start)
 * and *rc set to KUDOS_EINVAL (or KUDOS_ENOMEM). */
cJSON *kudos_js_parse(struct kudos_js_file *f, const char *data, size_t len, size_t skip,
                int *rc);

/* Typed members: NULL unless `obj` is an object holding `key` with a value
 * of that type. */
const char *kudos_js_str(const cJSON *obj, const char *key);
const cJSON *kudos_js_obj(const cJSON *obj, const char *key);
const cJSON *kudos_js_arr(const cJSON *obj, const char *key);
/* A string member that is not empty, or NULL. */
const char *kudos_js_nonempty(const cJSON *obj, const char *key);
/* 1 if obj.key is the boolean true (or the string "true"). */
int kudos_js_true(const cJSON *obj, const char *key);

/* Several members of `obj` in one pass over it: out[i] is the first
 * member named keys[i] (n <= 64), or NULL (also when `obj` is not an
 * object).  cJSON finds a member by comparing it with every member before
 * it, so looking up a dozen keys one at a time walks an API object a
 * dozen times; the values are (transfer none), like the tree's. */
void kudos_js_members(const cJSON *obj, const char *const *keys, size_t n, const cJSON **out);
/* The value out of kudos_js_members() as kudos_js_str, _obj, _arr and
 * _nonempty see it. */
const char *kudos_js_as_str(const cJSON *v);
const cJSON *kudos_js_as_obj(const cJSON *v);
const cJSON *kudos_js_as_arr(const cJSON *v);
const char *kudos_js_as_nonempty(const cJSON *v);

/* Reading an id: a non-empty string without control characters, or a
 * whole number 0..2^53 (formatted into buf). */
enum { KUDOS_JS_ID_OK = 0, KUDOS_JS_ID_MISSING, KUDOS_JS_ID_BIG, KUDOS_JS_ID_BAD };
#define KUDOS_JS_NUM_SIZE 32
int kudos_js_id(const cJSON *v, char buf[KUDOS_JS_NUM_SIZE], const char **out);

/* A count (a whole number >= 0 up to 2^53, or a string of 1-19 digits) as
 * a decimal string in buf.  RETURN VALUE buf, or NULL when `v` is not a
 * count. */
const char *kudos_js_count(const cJSON *v, char buf[KUDOS_JS_NUM_SIZE]);

/* Seconds since the epoch, rounded down, from a number (epoch floats).
 * RETURN VALUE 1, or 0 when `v` is not a number in 0..year 9999. */
int kudos_js_epoch(const cJSON *v, int64_t *out);

/* s with "&amp;", "&lt;" and "&gt;" decoded once: the escaping an API
 * applies to plain text.  RETURN VALUE (transfer full: free()), or NULL
 * when out of memory. */
char *kudos_js_unescape3(const char *s);

/* Append `s` to buf (size cap) percent-encoding every byte outside
 * A-Z a-z 0-9 - . _ ~.  RETURN VALUE 1, or 0 if it did not fit. */
int kudos_js_url_part(char *buf, size_t cap, const char *s);

/* An item being built: the first failure is kept, later calls do
 * nothing. */
struct kudos_js_item {
	const struct kudos_host *host;
	struct kudos_item *it;
	int rc;            /* KUDOS_OK or the first failure */
	const char *what;  /* the field that failed */
};

/* item_new() for `id`.  RETURN VALUE 1, or 0 when the host refused the id
 * or ran out of memory (it logged why). */
int kudos_js_begin(struct kudos_js_item *b, const struct kudos_host *host,
             struct kudos_instance *self, const char *id);
/* Setters: NULL values are skipped.  `what` names the field in a
 * warning. */
void kudos_js_set(struct kudos_js_item *b, int field, const char *value, const char *what);
void kudos_js_meta(struct kudos_js_item *b, const char *key, const char *value);
void kudos_js_time(struct kudos_js_item *b, int which, int64_t t);
void kudos_js_media(struct kudos_js_item *b, const char *type, const char *url,
              const char *alt);

/* Emit the item, or free it and warn (naming `pos`) when a setter failed.
 * RETURN VALUE 1 when stored, 0 when skipped or refused (logged), or a
 * negative KUDOS_E* that must end the collect (store failure, out of
 * memory; set_error() done). */
int kudos_js_finish(struct kudos_js_item *b, struct kudos_js_file *f, const char *pos);

#endif
