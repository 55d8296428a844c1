/*
 * kudos plugin ABI.
 *
 * A plugin is a shared object that exports one function, kudos_plugin_entry(),
 * returning a pointer to a static descriptor (struct kudos_plugin).  The host
 * checks the descriptor, allocates the plugin's context (context_size bytes,
 * zeroed), fills it from the job's configuration through the plugin's config
 * table, and then calls the callbacks of the plugin's kind.  Every callback
 * receives the host's service table (struct kudos_host), the plugin's
 * instance handle and its context.
 *
 * Versioning: KUDOS_ABI_VERSION is (major << 16 | minor).  A plugin loads if
 * its major equals the host's and its minor is not newer.  Every struct that
 * crosses the boundary starts with its size; the structs and the host table
 * only ever grow at the end, so a plugin built against an older minor sees a
 * prefix of what the host offers.  Enumerations are append-only as well.
 *
 * Ownership is written beside every call, as in GStreamer:
 *   (transfer none)  the receiver borrows; the giver keeps ownership.  A
 *                    pointer the host lends is valid until the callback
 *                    that received it returns, unless said otherwise.
 *   (transfer full)  ownership moves to the receiver, who must release it.
 * Setters always copy their string arguments.
 *
 * Status codes: every int-returning call returns KUDOS_OK (0) on success or
 * a negative KUDOS_E* code.  A plugin callback that fails returns a negative
 * code after calling host->set_error() with a sentence naming what failed
 * and what the user can do about it.
 */
#ifndef KUDOS_PLUGIN_H
#define KUDOS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KUDOS_ABI_MAJOR 1
#define KUDOS_ABI_MINOR 0
#define KUDOS_ABI_VERSION ((uint32_t)((KUDOS_ABI_MAJOR << 16) | KUDOS_ABI_MINOR))

/* The symbol the loader looks up in every plugin. */
#define KUDOS_PLUGIN_ENTRY_SYMBOL "kudos_plugin_entry"

#if defined(__GNUC__)
#define KUDOS_EXPORT __attribute__((visibility("default")))
#define KUDOS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define KUDOS_EXPORT
#define KUDOS_PRINTF(fmt, args)
#endif

/* Status codes. */
enum {
	KUDOS_OK = 0,
	KUDOS_EINVAL = -1,  /* bad input: a payload, a value, an argument */
	KUDOS_ENOMEM = -2,  /* out of memory */
	KUDOS_EIO = -3,     /* a file could not be read or written */
	KUDOS_ESTOP = -4,   /* the user asked to stop; finish quietly */
	KUDOS_EPATH = -5,   /* a path escapes the output directory */
	KUDOS_EFAIL = -6,   /* anything else; the message says what */
	KUDOS_SKIP = 1      /* consume(): the output left this item out (e.g.
	                       a limit was reached); filter_set_language(): the
	                       item keeps the language it has; not an error */
};

enum kudos_plugin_kind {
	KUDOS_PLUGIN_SOURCE = 1, /* collect(): turns payloads into items */
	KUDOS_PLUGIN_OUTPUT = 2, /* consume() each gated item, then flush() */
	KUDOS_PLUGIN_FILTER = 3  /* filter() each new or changed item: flags,
	                            tags, scores, a missing language */
};

enum kudos_log_level {
	KUDOS_LOG_ERROR = 0,
	KUDOS_LOG_WARN = 1,
	KUDOS_LOG_INFO = 2,
	KUDOS_LOG_DEBUG = 3
};

/*
 * Config table: a {0}-terminated array of entries, one per job key the
 * plugin accepts ("plugin" itself is the host's).  Before init() the host
 * parses each key of the job's entry and stores the value at `offset` in
 * the plugin's context, in the C type the entry's type names.  Keys not in
 * the table are refused with the list of valid keys; a required key that is
 * missing is refused; a key that is absent takes `default_value`, or stays
 * zero if that is NULL.  A default is literal text for STRING and PATH
 * entries and JSON for every other type ("5", "true", "[\"web\"]").
 * Every pointer the host stores is owned by the host (transfer none) and
 * stays valid until exit() returns.
 *
 * An output plugin must declare a STRING key "scope" whose default is the
 * rights scope it publishes under (web, print, social or ads): the render
 * gate reads it and hands the output only items granted for that scope.
 */
enum kudos_config_type {
	KUDOS_CONFIG_END = 0,
	KUDOS_CONFIG_STRING = 1,      /* const char *                          */
	KUDOS_CONFIG_INT = 2,         /* int64_t                               */
	KUDOS_CONFIG_DOUBLE = 3,      /* double                                */
	KUDOS_CONFIG_BOOL = 4,        /* int (0 or 1)                          */
	KUDOS_CONFIG_PATH = 5,        /* const char *, made absolute against
	                                 the job file's folder                 */
	KUDOS_CONFIG_STRING_LIST = 6, /* const char *const *, NULL-terminated;
	                                 a single string is a one-item list    */
	KUDOS_CONFIG_STRING_MAP = 7,  /* const char *const *, NULL-terminated
	                                 pairs: key0, value0, key1, value1 ... */
	KUDOS_CONFIG_JSON = 8         /* const char *, the value as compact
	                                 JSON text, for the plugin to parse    */
};

struct kudos_config_entry {
	int type;                  /* enum kudos_config_type */
	const char *key;
	const char *default_value; /* NULL: no default */
	int required;              /* 1: the job must set it */
	size_t offset;             /* offsetof(your_context, field) */
	const char *help;          /* one line, shown by `kudos plugins` */
};

/* Item fields that hold text.  Append-only. */
enum kudos_field {
	KUDOS_FIELD_ID = 0,          /* "source:external_id"; read-only      */
	KUDOS_FIELD_SOURCE = 1,      /* the source plugin's name; read-only  */
	KUDOS_FIELD_EXTERNAL_ID = 2, /* set by item_new(); read-only         */
	KUDOS_FIELD_KIND = 3,        /* review, social_post, form_answer,
	                                video_comment (default form_answer)  */
	KUDOS_FIELD_TEXT = 4,        /* the user's words, plain UTF-8; the
	                                host normalises to NFC               */
	KUDOS_FIELD_TITLE = 5,
	KUDOS_FIELD_AUTHOR_NAME = 6,
	KUDOS_FIELD_AUTHOR_HANDLE = 7,
	KUDOS_FIELD_AUTHOR_URL = 8,
	KUDOS_FIELD_AUTHOR_AVATAR = 9, /* URL or local file path             */
	KUDOS_FIELD_AUTHOR_ROLE = 10,  /* role and/or company                */
	KUDOS_FIELD_LANGUAGE = 11,     /* BCP 47 tag, e.g. "en", "pt-BR"     */
	KUDOS_FIELD_PERMALINK = 12,
	KUDOS_FIELD_IN_REPLY_TO = 13,  /* external id of the parent          */
	KUDOS_FIELD_CREDIT = 14,       /* read-only: the author's name as the
	                                  grant's credit preference asks     */
	KUDOS_FIELD_CURATION = 15,     /* read-only: new, approved, rejected */
	KUDOS_FIELD_RIGHTS = 16,       /* read-only: none, requested, ...    */
	KUDOS_FIELD_SCOPES = 17,       /* read-only: "web,print" of the grant*/
	KUDOS_FIELD_CONTENT_HASH = 18, /* read-only: hex SHA-256             */
	KUDOS_FIELD_COUNT_ = 19        /* not a field; grows with the enum   */
};

/* Item times, seconds since the epoch, UTC.  Append-only. */
enum kudos_time {
	KUDOS_TIME_CREATED = 0,
	KUDOS_TIME_UPDATED = 1,
	KUDOS_TIME_APPROVED = 2  /* read-only: when the item's curation last
	                            became `approved` (from the audit trail);
	                            item_get_time() answers it for items an
	                            output receives */
};

/* Badges an item carries into every output.  A bit set. */
enum kudos_badge {
	KUDOS_BADGE_INCENTIVIZED = 1u << 0,
	KUDOS_BADGE_EMPLOYEE = 1u << 1,
	KUDOS_BADGE_VERIFIED_BUYER = 1u << 2
};

/* A wall-clock time in some zone.  struct_size = sizeof, as everywhere. */
struct kudos_civil_time {
	size_t struct_size;
	int year, month, day;     /* month 1-12, day 1-31 */
	int hour, minute, second;
	int utc_offset;           /* seconds east of UTC; set by zone_from_utc */
};

struct kudos_instance; /* one loaded plugin in one job; opaque */
struct kudos_item;     /* one piece of user content; opaque    */

struct kudos_host;

/* Callbacks.  `ctx` is the plugin's context (context_size bytes, zeroed,
 * config already filled in), owned by the host. */
typedef int (*kudos_init_fn)(const struct kudos_host *host,
                             struct kudos_instance *self, void *ctx);
typedef void (*kudos_exit_fn)(const struct kudos_host *host,
                              struct kudos_instance *self, void *ctx);
/* Source: read the configured payloads and hand each item to
 * host->item_emit().  RETURN VALUE KUDOS_OK, or a negative code after
 * set_error(); on failure nothing this run emitted is kept. */
typedef int (*kudos_collect_fn)(const struct kudos_host *host,
                                struct kudos_instance *self, void *ctx);
/* Output: called once per item that passed the render gate for this
 * output's scope (now, or for an output that declared a horizon with
 * output_horizon(), at some instant of it), newest first (id as the
 * tie-break).  `item` is
 * (transfer none) and valid only during the call: copy what you keep.
 * The author fields are already reduced to what the creator's credit
 * preference allows (an anonymous item has no author fields at all).
 * RETURN VALUE KUDOS_OK when the item is placed in the output (the host
 * records it as published in every file flush() writes), KUDOS_SKIP when
 * the output leaves it out, or a negative code after set_error(). */
typedef int (*kudos_consume_fn)(const struct kudos_host *host,
                                struct kudos_instance *self, void *ctx,
                                const struct kudos_item *item);
/* Output: every item has been consumed; write the files. */
typedef int (*kudos_flush_fn)(const struct kudos_host *host,
                              struct kudos_instance *self, void *ctx);
/* Filter: look at one item the job collected that this filter has not
 * seen as it is now (new, edited upstream, or the job's filters changed),
 * and say what you find through host->filter_flag(), filter_tag(),
 * filter_score() and filter_set_language().  `item` is (transfer none),
 * read-only and valid only during the call; it holds what the source
 * said, plus the language an earlier filter of the job set.  Filters run
 * after collect and before the curation rules, so rules can use what they
 * set; a filter never changes an item's content, curation or rights.
 * RETURN VALUE KUDOS_OK (also when there was nothing to say), or a
 * negative code after set_error(): the run fails, naming the filter and
 * the item, and nothing any filter found in this run is kept. */
typedef int (*kudos_filter_fn)(const struct kudos_host *host,
                               struct kudos_instance *self, void *ctx,
                               const struct kudos_item *item);

/* The descriptor a plugin returns.  Static, never freed. */
struct kudos_plugin {
	size_t struct_size;    /* sizeof(struct kudos_plugin) */
	uint32_t abi_version;  /* KUDOS_ABI_VERSION */
	int kind;              /* enum kudos_plugin_kind */
	const char *name;      /* [a-z0-9-]+, what a job's "plugin" names */
	const char *version;   /* the plugin's own version, e.g. "1.0.0" */
	const char *description;
	const struct kudos_config_entry *config; /* {0}-terminated, or NULL */
	size_t context_size;

	kudos_init_fn init;       /* optional */
	kudos_collect_fn collect; /* required for sources */
	kudos_consume_fn consume; /* required for outputs */
	kudos_flush_fn flush;     /* optional for outputs */
	kudos_exit_fn exit;       /* optional */
	/* ABI 1.0 ends here; new members are appended below. */

	/* Appended in 1.0's pre-release: a descriptor whose struct_size stops
	 * before it has no filter callback. */
	kudos_filter_fn filter;   /* required for filters */
};

typedef const struct kudos_plugin *(*kudos_plugin_entry_fn)(void);

/* Put this once in a plugin: KUDOS_PLUGIN_DEFINE(my_descriptor); */
#define KUDOS_PLUGIN_DEFINE(descriptor)                                      \
	KUDOS_EXPORT const struct kudos_plugin *kudos_plugin_entry(void);    \
	KUDOS_EXPORT const struct kudos_plugin *kudos_plugin_entry(void)     \
	{                                                                    \
		return &(descriptor);                                        \
	}

/*
 * Host services.  One table, append-only: new services go at the end and
 * plugins built against an older minor never look past their own
 * struct_size.  Check `host->struct_size` before calling a member that
 * came after the minor you require: KUDOS_HOST_HAS(host, member).
 */
#define KUDOS_HOST_HAS(host, member)                                          \
	((host)->struct_size >=                                               \
	 offsetof(struct kudos_host, member) + sizeof((host)->member))

struct kudos_host {
	size_t struct_size;
	uint32_t abi_version;

	/* --- logging and errors ------------------------------------------ */

	/* Log a line, prefixed with the plugin's name.  No trailing newline
	 * needed. */
	void (*log)(struct kudos_instance *self, int level, const char *fmt, ...)
		KUDOS_PRINTF(3, 4);
	/* Record why the current callback is about to fail.  The host shows
	 * it prefixed with the plugin's name.  The last call wins. */
	void (*set_error)(struct kudos_instance *self, const char *fmt, ...)
		KUDOS_PRINTF(2, 3);

	/* --- allocation --------------------------------------------------- */

	/* malloc/realloc/free semantics; alloc and realloc return NULL when
	 * out of memory.  Memory the host hands out (transfer full) is
	 * released with free(). */
	void *(*alloc)(size_t size);
	void *(*realloc)(void *ptr, size_t size);
	void (*free)(void *ptr);

	/* --- configuration and context ------------------------------------ */

	/* The job's value for `key` as text (strings as-is, numbers and
	 * booleans formatted, lists and objects as compact JSON), or NULL if
	 * the job does not set it.  (transfer none), valid until exit(). */
	const char *(*config_get)(struct kudos_instance *self, const char *key);
	/* The folder of the job file, absolute.  (transfer none) */
	const char *(*job_dir)(struct kudos_instance *self);
	/* The job's value under a top-level key (e.g. "brand"): a string as
	 * it is, anything else as compact JSON; NULL when absent.
	 * (transfer none), valid until exit(). */
	const char *(*job_get)(struct kudos_instance *self, const char *key);
	/* Non-zero when the user asked kudos to stop (Ctrl-C): finish the
	 * current item and return KUDOS_ESTOP (no set_error() needed). */
	int (*should_stop)(struct kudos_instance *self);
	/* The time this run treats as "now" for what it writes: the value of
	 * SOURCE_DATE_EPOCH when set, else the clock.  Seconds, UTC. */
	int64_t (*run_time)(struct kudos_instance *self);

	/* --- building items (sources) ------------------------------------- */

	/* A new, empty item with the given external id (unique within the
	 * source; keep platform ids as strings).  (transfer full): hand it to
	 * item_emit() or release it with item_free().  NULL on bad id or out
	 * of memory, with the reason logged. */
	struct kudos_item *(*item_new)(struct kudos_instance *self,
	                               const char *external_id);
	/* Set a text field.  `value` (transfer none) is copied; NULL clears.
	 * RETURN VALUE KUDOS_EINVAL if the field is read-only or the value is
	 * not valid UTF-8. */
	int (*item_set)(struct kudos_item *item, int field, const char *value);
	/* A rating of `value` on a scale from 1 (or 0) to `scale`, e.g. 4 of
	 * 5.  RETURN VALUE KUDOS_EINVAL unless 0 <= value <= scale, scale > 0. */
	int (*item_set_rating)(struct kudos_item *item, double value, double scale);
	int (*item_set_time)(struct kudos_item *item, int which, int64_t utc_seconds);
	/* Add a media attachment: type "image", "video", "gifv", "audio";
	 * `alt` may be NULL.  Strings are copied. */
	int (*item_add_media)(struct kudos_item *item, const char *type,
	                      const char *url, const char *alt);
	/* OR `badges` (enum kudos_badge bits) into the item's badges. */
	int (*item_add_badges)(struct kudos_item *item, unsigned badges);
	/* Source metadata (counts, platform extras).  Copied. */
	int (*item_set_meta)(struct kudos_item *item, const char *key,
	                     const char *value);
	/* Consent came with the content (a form checkbox, a contract): the
	 * host grants `scopes` ("web,print") with `evidence` as the evidence
	 * text and sets the consent time itself.  Applies only to an item
	 * whose rights are still `none`. */
	int (*item_set_consent)(struct kudos_item *item, const char *scopes,
	                        const char *evidence);
	/* Hand the item to the store.  (transfer full): the host owns `item`
	 * afterwards, whatever the result.  Emitting an id again replaces
	 * what was stored under it (an edit, if the content differs).  RETURN VALUE KUDOS_OK, or
	 * KUDOS_EINVAL when the item lacks text or has invalid fields (the
	 * reason is logged and collect may go on with the next item). */
	int (*item_emit)(struct kudos_instance *self, struct kudos_item *item);
	/* Release an item that was not emitted. */
	void (*item_free)(struct kudos_item *item);

	/* --- reading items (outputs) -------------------------------------- */

	/* A text field, or NULL if unset.  (transfer none) */
	const char *(*item_get)(const struct kudos_item *item, int field);
	/* RETURN VALUE 1 and fills value/scale if the item has a rating, else 0. */
	int (*item_get_rating)(const struct kudos_item *item, double *value,
	                       double *scale);
	/* RETURN VALUE 1 and fills *utc_seconds if set, else 0. */
	int (*item_get_time)(const struct kudos_item *item, int which,
	                     int64_t *utc_seconds);
	size_t (*item_media_count)(const struct kudos_item *item);
	/* The i-th attachment; out-pointers are (transfer none), alt may be
	 * NULL.  RETURN VALUE KUDOS_EINVAL if i is out of range. */
	int (*item_media)(const struct kudos_item *item, size_t i,
	                  const char **type, const char **url, const char **alt);
	unsigned (*item_badges)(const struct kudos_item *item);
	const char *(*item_get_meta)(const struct kudos_item *item, const char *key);

	/* --- state kept between runs, per job entry --------------------- */

	/* A value this plugin saved in an earlier run of the same job entry
	 * (a source's newest id seen, an output's planned slots), or NULL.
	 * (transfer none), valid until exit(). */
	const char *(*cursor_get)(struct kudos_instance *self, const char *key);
	/* A source's values are saved with the items of its run, in the same
	 * transaction; an output's at once. */
	int (*cursor_set)(struct kudos_instance *self, const char *key,
	                  const char *value);

	/* --- outputs ------------------------------------------------------ */

	/* The output's directory (its "dir" key, or the folder of its "path"
	 * key), absolute.  (transfer none) */
	const char *(*output_dir)(struct kudos_instance *self);
	/* Write `len` bytes to `relative` inside the output directory,
	 * atomically (a temporary file renamed over the target), creating
	 * folders as needed, and record the file as written by this output.
	 * RETURN VALUE KUDOS_EPATH if `relative` is absolute or escapes the
	 * output directory; KUDOS_EIO with the reason set otherwise. */
	int (*output_write)(struct kudos_instance *self, const char *relative,
	                    const void *data, size_t len);
	/* The rating over every rated item this job collected from the
	 * output's sources (approved or not), each rating scaled to 5.
	 * RETURN VALUE the number of rated items; *average is 0 when none. */
	int64_t (*aggregate_rating)(struct kudos_instance *self, double *average);

	/* --- text helpers, so that every plugin reads text the same way ---- */

	/* RETURN VALUE 1 if s[0..len) is valid UTF-8 (no overlongs, no
	 * surrogates, nothing above U+10FFFF) without NUL bytes; otherwise 0,
	 * with *bad_offset (may be NULL) set to the offset of the first byte
	 * that is not. */
	int (*utf8_check)(const char *s, size_t len, size_t *bad_offset);
	/* Parse a time: "YYYY-MM-DD" (midnight UTC) or RFC 3339 / ISO 8601
	 * "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]" followed by "Z", "+HH:MM",
	 * "+HHMM" or nothing (UTC); also the forms platforms still send:
	 * "Sat Aug 12 16:10:37 +0000 2023" (X v1.1, archives) and RFC 2822
	 * "Sat, 12 Aug 2023 16:10:37 +0000" or "... GMT".  Impossible dates
	 * (31 February) and times before 1970 are refused.  RETURN VALUE
	 * KUDOS_OK and *utc_seconds, or KUDOS_EINVAL. */
	int (*time_parse)(const char *s, int64_t *utc_seconds);

	/* The text a reader sees in an HTML fragment (Mastodon "content",
	 * YouTube "textDisplay", Reddit "body_html" once unescaped): tags
	 * removed, entities decoded, white space collapsed, <br> a line break,
	 * paragraphs separated by a blank line, list items by a line break,
	 * Mastodon's hidden link parts (class "invisible") dropped.
	 * RETURN VALUE (transfer full, release with host->free), or NULL when
	 * out of memory. */
	char *(*html_to_text)(const char *html, size_t len);

	/* Time zones, by IANA name ("Europe/Berlin", "America/New_York",
	 * "UTC"), from the system's tz database.  Call them from the callback's
	 * own thread only.
	 *
	 * zone_to_utc: the instant of a wall-clock time.  A time skipped by a
	 * daylight-saving change moves to the first valid minute after the gap
	 * and sets *shifted (may be NULL); a repeated time takes its first
	 * occurrence.  RETURN VALUE KUDOS_OK, or KUDOS_EINVAL for an unknown
	 * zone or an impossible date. */
	int (*zone_to_utc)(const char *zone, const struct kudos_civil_time *local,
	                   int64_t *utc_seconds, int *shifted);
	/* The wall-clock time in `zone` at an instant, with its UTC offset.
	 * Fill local->struct_size before the call. */
	int (*zone_from_utc)(const char *zone, int64_t utc_seconds,
	                     struct kudos_civil_time *local);
	/* As time_parse, but a time written without an offset is wall-clock
	 * time in `zone` (a zone-less export from a platform's dashboard). */
	int (*time_parse_zone)(const char *s, const char *zone, int64_t *utc_seconds);

	/* Read a source's "path": one file, or every regular file of a folder
	 * in name order (pages as whoever fetched them saved them; names
	 * starting with '.' are skipped).  Each file is read whole and handed
	 * to `fn` with its path; `data` (transfer none) is NUL-terminated and
	 * valid only during the call, so memory stays bounded by one page.
	 * Stops at the first non-zero return of `fn` and returns it; checks
	 * should_stop() between files.  RETURN VALUE KUDOS_OK, fn's value,
	 * KUDOS_ESTOP, or KUDOS_EINVAL / KUDOS_EIO with set_error() naming the
	 * path (a path that does not exist is KUDOS_EINVAL: the job's
	 * mistake). */
	int (*each_file)(struct kudos_instance *self, const char *path,
	                 int (*fn)(void *ud, const char *file, const char *data,
	                           size_t len),
	                 void *ud);

	/* --- per-item artifacts (outputs) ---------------------------------- */

	/* Write a file that belongs to one item (its card, say): as
	 * output_write, and recorded as that item's, so that when the item
	 * may no longer be published (revoked, denied, expired, opted out)
	 * the next render deletes the file and lists it in the takedown
	 * report.  Files written with output_write are shared by every item
	 * the output placed (a widget) and are simply rewritten. */
	int (*output_write_item)(struct kudos_instance *self, const struct kudos_item *item,
	                         const char *relative, const void *data, size_t len);
	/* A file an earlier run wrote for `item` still holds it unchanged (a
	 * cache hit): keep it recorded without rewriting it.  RETURN VALUE
	 * KUDOS_OK, KUDOS_EPATH for a path outside the output directory, or
	 * KUDOS_EINVAL when the file is not there (render it again). */
	int (*output_keep_item)(struct kudos_instance *self, const struct kudos_item *item,
	                        const char *relative);
	/* The file an output of this job that ran earlier in this render (name
	 * it by plugin, e.g. "cards-png") holds for `item`, as a path relative
	 * to this output's directory, or NULL.  List the producing output
	 * first in the job.  (transfer none), valid until the callback
	 * returns. */
	const char *(*item_artifact)(struct kudos_instance *self, const struct kudos_item *item,
	                             const char *plugin);
	/* The grant's window, for outputs that publish later than now (a
	 * repost at its slot time) to word their messages; whether an item
	 * may go out at a time is gate_check_at()'s to say.  0 means open on
	 * that side.  RETURN VALUE 1 when the item has a grant, else 0. */
	int (*item_grant_window)(const struct kudos_item *item, int64_t *from, int64_t *until);
	/* Write a file that publishes no item (a report, a list of
	 * cancellations): atomically, inside the output directory, but not
	 * recorded as holding the items the output placed. */
	int (*output_write_report)(struct kudos_instance *self, const char *relative,
	                           const void *data, size_t len);
	/* Say exactly which shared file holds which item (call it from flush,
	 * once per pair).  An output that calls it at all is taken at its
	 * word: only the pairs it names are recorded as published, and an item
	 * it consumed but placed nowhere counts as not published (a widget
	 * split by tag, or sorted and limited after consume).  Outputs that
	 * never call it have every placed item recorded in every shared file. */
	int (*output_place)(struct kudos_instance *self, const char *item_id,
	                    const char *relative);

	/* --- planning outputs (they publish later than now) ---------------- */

	/* Call it from init(): this output publishes during [from, until)
	 * (seconds, UTC), e.g. its first and last slot.  The render gate then
	 * hands consume() every item that passes for the output's scope at
	 * some instant of that span not before the run's clock, instead of
	 * only the items that pass now, and the output must ask
	 * gate_check_at() before it places an item at a time.  An output that
	 * never calls it receives only what passes now.  RETURN VALUE
	 * KUDOS_OK, or KUDOS_EINVAL with the reason set (not an output, not
	 * from init(), or until <= from). */
	int (*output_horizon)(struct kudos_instance *self, int64_t from, int64_t until);
	/* The render gate's verdict, for this output's scope, on publishing
	 * the item `item_id` (transfer none) at the instant `at`: approved,
	 * granted for the scope, `at` inside the grant's window, author not
	 * opted out.  Ask about any item consume() was handed in this render,
	 * from consume() or flush(), after output_horizon().  RETURN VALUE 1
	 * when it passes; 0 when not, with *reason (may be NULL; transfer
	 * none, a static string) saying why in a few words ("outside the
	 * grant's window", "not handed to this output in this render"). */
	int (*gate_check_at)(struct kudos_instance *self, const char *item_id, int64_t at,
	                     const char **reason);

	/* each_file, for a source whose per-file work is independent: `fn`
	 * runs on several threads at once, each call reading one file, so
	 * parsing a folder of pages uses every core.  Each call gets its own
	 * `file_self` (transfer none, valid during the call): pass it, not
	 * the collect() instance, to every host call made for that file.
	 * The host keeps what each call emitted and logged, and hands it on
	 * in file name order, so the store and the messages are exactly
	 * what a serial each_file would give.  Memory stays bounded by a few
	 * pages per thread.
	 * Inside `fn`, only these services may be used with file_self: log,
	 * set_error, should_stop, run_time, alloc/realloc/free, the item
	 * builders and item_emit, utf8_check, html_to_text and the time and
	 * zone services; the others (config, cursors, outputs) are refused.
	 * `fn` must not write state shared between files without its own
	 * synchronisation (atomic counters, say).  Files after the first one
	 * that failed are discarded.
	 * cJSON: every cJSON value made on fn's thread during the call (a
	 * parsed page, a printed string) lives in memory the host releases
	 * when fn returns, which makes parsing about twice as fast.
	 * cJSON_Delete and cJSON_free on them are allowed and free nothing
	 * (cJSON_Delete still walks the tree: the SDK's kudos_js_page_free
	 * skips it); keeping one past the call (or free()ing it) is a bug:
	 * copy what must outlive the file.  RETURN VALUE as each_file. */
	int (*each_file_parallel)(struct kudos_instance *self, const char *path,
	                          int (*fn)(void *ud, struct kudos_instance *file_self,
	                                    const char *file, const char *data,
	                                    size_t len),
	                          void *ud);

	/* --- filters (appended in 1.0's pre-release) ---------------------- */

	/* What a filter found on the item its filter() callback was handed:
	 * `item` must be that item and the call must come from inside
	 * filter(); anything else is refused with KUDOS_EINVAL.  A filter's
	 * findings on an item replace what it found on an earlier run.
	 * Strings are copied (transfer none).  Names of flags and scores are
	 * 1-32 bytes of [a-z0-9_]. */

	/* Raise `flag` for a curator's eye, with `detail` (what triggered it,
	 * shown beside the flag; may be NULL; at most 200 bytes of UTF-8).
	 * Any name may be raised, kudos's own included (a better `pii`, a
	 * `negative` in a language kudos's English lexicon cannot read); kudos
	 * lists the item under it, e.g. in `kudos list --flag NAME`.  Raising
	 * a flag again replaces its detail; at most 16 flags per filter and
	 * item.  RETURN VALUE KUDOS_OK, or KUDOS_EINVAL for a bad name or
	 * detail. */
	int (*filter_flag)(struct kudos_instance *self, const struct kudos_item *item,
	                   const char *flag, const char *detail);
	/* Add a tag (a label such as "lang:de" or "spam"; rules can ask for
	 * it): 1-64 bytes of UTF-8 without control characters, commas or
	 * surrounding spaces, kept as given.  Adding a tag again changes
	 * nothing; at most 32 tags per filter and item.  RETURN VALUE
	 * KUDOS_OK, or KUDOS_EINVAL. */
	int (*filter_tag)(struct kudos_instance *self, const struct kudos_item *item,
	                  const char *tag);
	/* Set a named score, a finite number (a confidence from 0 to 1, a
	 * spam probability).  kudos shows it, and rules use it, as
	 * "<filter>.<name>" (e.g. "language.confidence"), so two filters'
	 * scores never collide.  Setting it again replaces the value; at most
	 * 32 scores per filter and item.  RETURN VALUE KUDOS_OK, or
	 * KUDOS_EINVAL. */
	int (*filter_score)(struct kudos_instance *self, const struct kudos_item *item,
	                    const char *name, double value);
	/* Give the item a language, a BCP 47 tag ("de", "pt-BR", "zh-Hant"),
	 * when it has none: what a source says is never overwritten, nor what
	 * an earlier filter of the job set.  Filters after this one read it
	 * with item_get(item, KUDOS_FIELD_LANGUAGE); rules, outputs and kudos
	 * show it as the item's language, marked as guessed.  RETURN VALUE
	 * KUDOS_OK; KUDOS_SKIP (positive, not an error) when the item already
	 * has a language, which is kept; KUDOS_EINVAL for a malformed tag. */
	int (*filter_set_language)(struct kudos_instance *self,
	                           const struct kudos_item *item, const char *language);

	/* --- excerpts ----------------------------------------------------- */

	/* The curator-approved excerpt of the item's text (`kudos excerpt`),
	 * or NULL when there is none for the text as it now stands (an edit
	 * upstream voids it).  It is made of the original's own words, with
	 * "…" where words were left out: use it only where the whole text
	 * cannot fit (a card), never in place of the text elsewhere.
	 * (transfer none), valid as long as item_get()'s strings. */
	const char *(*item_excerpt)(const struct kudos_item *item);

	/* --- outputs that render several items at once ------------------- */

	/* How many threads the user lets kudos use (`--jobs N`; by default
	 * every core online), at least 1: how many items an output may
	 * render at once.  Threads of the plugin's own never call the host. */
	int (*jobs)(struct kudos_instance *self);
	/* As output_write_item, naming the item by its id (KUDOS_FIELD_ID)
	 * instead of consume()'s pointer, so that an output rendering several
	 * items at once can write each item's file when it is ready: from a
	 * later consume() or from flush(), on the callback's thread.  The item
	 * must be one this output's consume() returned KUDOS_OK for in this
	 * render.  `item_id` and `data` are (transfer none).  RETURN VALUE as
	 * output_write_item; KUDOS_EINVAL with the error set for an id this
	 * output was not given. */
	int (*output_write_item_id)(struct kudos_instance *self, const char *item_id,
	                            const char *relative, const void *data, size_t len);
	/* An item an earlier consume() placed (returned KUDOS_OK) that the
	 * output left out after all, e.g. its card could not be made: it is
	 * not recorded as published and counts as left out.  Write no file
	 * for it.  Call from consume() or flush().  RETURN VALUE KUDOS_OK, or
	 * KUDOS_EINVAL for an id this output was not given. */
	int (*output_leave_out)(struct kudos_instance *self, const char *item_id);
	/* Progress of long work: `done` of `total` items finished (total 0:
	 * not known yet; it may grow while consume() is still being called).
	 * kudos draws a bar on a terminal and nothing in a pipe.  Without
	 * this call it counts consume() calls, which suits outputs that
	 * finish each item inside consume().  Call on the callback's thread. */
	void (*output_progress)(struct kudos_instance *self, int64_t done, int64_t total);
	/* New services are appended here, below everything else. */
};

#ifdef __cplusplus
}
#endif

#endif /* KUDOS_PLUGIN_H */
