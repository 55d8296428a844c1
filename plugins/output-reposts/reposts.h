/*
 * reposts: shared declarations of the reposts output plugin.
 *
 * Contract of the plugin as a whole (see reposts.c for the job keys):
 * init() declares the plan's span to the host (output_horizon), so the
 * render gate hands consume() every item that passes at some slot still
 * ahead, not only those that pass now; consume() copies each it could
 * post somewhere; flush() turns the slots of the job (computed in its time
 * zone with the host's zone_to_utc, stored in UTC) into a plan, asking
 * the gate about every placement at its own time (gate_check_at), in the
 * job's "order", keeping every post an earlier
 * run planned (the plan lives in the store through cursor_get/cursor_set)
 * and cancelling the ones whose item is gone, and writes schedule.json,
 * schedule-<platform>.csv, schedule.ics, cancelled.csv and cancelled.ics
 * through output_write.
 *
 * Files of this plugin, one concern each:
 *   reposts.c    descriptor, job keys, init/consume/flush/exit
 *   config.c     checking the job keys, the template and the slots
 *   posttext.c   a post's text from the template, credit per platform
 *   textcount.c  counting a text the way each platform counts it
 *   urlscan.c    finding URLs the way twitter-text and Mastodon do
 *   slots.c      civil dates, slot instances, local time formatting
 *   plan.c       keeping, cancelling and filling slots (each placement
 *                judged by the render gate at its time: gate_check_at)
 *   state.c      the saved plan (cursor "plan") as JSON
 *   out_json.c   schedule.json          out_csv.c  the CSV files
 *   out_ics.c    schedule.ics and cancelled.ics (RFC 5545, by hand)
 *   util.c       growing buffers, hashes, small string helpers
 */
#ifndef REPOSTS_H
#define REPOSTS_H

#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* ---- platforms ---------------------------------------------------------- */

enum rp_platform {
	RP_X = 0,
	RP_MASTODON,
	RP_BLUESKY,
	RP_THREADS,
	RP_LINKEDIN,
	RP_INSTAGRAM,
	RP_FACEBOOK,
	RP_NPLATFORMS
};

struct rp_platform_def {
	const char *name;    /* job value and file suffix: "x" */
	const char *display; /* "X" */
	long limit;          /* in the platform's own unit */
	const char *unit;    /* how it counts, for messages */
};
extern const struct rp_platform_def rp_platforms[RP_NPLATFORMS];

/* The platform named `name`, or -1. */
int rp_platform_find(const char *name);

/* ---- counting (textcount.c, urlscan.c) ---------------------------------- */

struct rp_count {
	long length;      /* in the platform's unit; -1 on bad UTF-8 or no memory */
	long bytes;       /* UTF-8 bytes after NFC */
	int bad_chars;    /* X: U+FFFE, U+FEFF or U+FFFF present */
	long links;       /* Threads: URLs in the text */
};

/* Count `text` (UTF-8) for `platform`.  RETURN VALUE 0, or -1 when the
 * text is not valid UTF-8 or memory ran out. */
int rp_count_text(int platform, const char *text, struct rp_count *out);

/* Whether a counted text fits the platform: within its limit, and for X
 * free of refused characters, for Bluesky within 3000 bytes too. */
int rp_count_fits(int platform, const struct rp_count *c);

struct rp_span {
	size_t start, end; /* code point indices, [start, end) */
};

/* The URLs in `cp[0..n)` (NFC code points), left to right.  `x_rules`:
 * twitter-text's extractor (protocol optional for ASCII domains, every
 * label at most 63 octets once punycode-encoded); otherwise Mastodon's
 * (an http or https protocol required, no label check).  RETURN VALUE the
 * number of spans in *out (transfer full, free()), or -1 out of memory. */
long rp_find_urls(const int32_t *cp, size_t n, int x_rules, struct rp_span **out);

/* ---- items consume() kept ---------------------------------------------- */

struct rp_post_text {
	char *text;       /* NULL: the platform is not in the job */
	struct rp_count count;
	int fits;
	int fallback;     /* the text links the card instead of quoting */
	char *why;        /* when it does not fit: the reason (owned) */
};

struct rp_item {
	char *id, *source, *permalink, *image; /* image: card path or NULL */
	char *author;      /* hash of who wrote it, or NULL when unknown */
	int64_t from, until; /* grant window, for messages only: the gate
	                        (gate_check_at) decides; 0 = open */
	long order;        /* consume order: 0 is the newest */
	int has_approved, has_rating;
	int64_t approved;  /* when its curation became approved */
	double rating;     /* on a scale of 5 */
	unsigned placed;   /* output_place done: bit p for schedule-<p>.csv,
	                      bit RP_NPLATFORMS for schedule.json and .ics */
	struct rp_post_text post[RP_NPLATFORMS];
	/* planning */
	int64_t *times[RP_NPLATFORMS]; /* planned UTC times per platform */
	size_t ntimes[RP_NPLATFORMS];
};

/* ---- the plan ----------------------------------------------------------- */

enum rp_post_status { RP_KEPT = 0, RP_NEW = 1, RP_UPDATED = 2, RP_PAST = 3 };

struct rp_post {
	char *id, *item, *hash, *author, *source; /* hash: of the text */
	int platform, seq, status;
	int64_t utc;
	struct rp_item *it; /* NULL for a past post whose item is gone */
};

struct rp_cancel {
	char *id, *item, *reason;
	int platform, seq, fresh; /* fresh: cancelled by this run */
	int64_t utc, at;
};

struct rp_slot {
	int64_t utc;
	int day;            /* 0 .. days-1 */
	int shifted;        /* zone_to_utc moved it past a gap */
	int minute;         /* the configured local time, minutes after 00:00 */
	struct kudos_civil_time local; /* its wall-clock time, as the zone says */
};

struct rp_skip {
	char *item, *reason;
	int platform;
	long length;
};

struct rp_note {
	char *text; /* a sentence for schedule.json "notes" */
};

/* ---- the plugin's context ------------------------------------------------ */

enum rp_csv_format { RP_CSV_HOOTSUITE = 0, RP_CSV_HOOTSUITE_US, RP_CSV_HIGHLEVEL,
	             RP_CSV_SPROUT };

/* Which item goes first when several could fill a slot (job key "order"). */
enum rp_order { RP_ORDER_NEWEST_APPROVED = 0, RP_ORDER_OLDEST_APPROVED,
	        RP_ORDER_HIGHEST_RATED, RP_ORDER_NEWEST_CREATED };
extern const char *const rp_order_names[];

struct rp_ctx {
	/* filled by the host from the config table */
	const char *dir;
	const char *const *platform_names;
	const char *start;
	int64_t days;
	const char *const *slot_names;
	const char *timezone;
	int64_t max_per_day, min_gap_minutes, repeat_after_days;
	const char *template_text;
	const char *const *hashtag_names;
	const char *scope;
	const char *fallback;
	const char *csv_format;
	const char *order;

	/* parsed by init() */
	int platforms[RP_NPLATFORMS]; /* in job order */
	int nplatforms;
	int enabled[RP_NPLATFORMS];
	int slot_minutes[48];
	size_t nslots;
	int start_y, start_m, start_d;
	int fallback_card;
	int csv_fmt;
	int order_kind;  /* enum rp_order */
	int utc_zone; /* the zone is UTC: no VTIMEZONE */
	char *hashtags;  /* "#a #b" */
	char *job_name;
	char *cal_name;
	int64_t now;

	/* kept by consume() */
	struct rp_item *items;
	size_t nitems, capitems;
	struct rp_skip *skips;
	size_t nskips, capskips;

	/* the plan, built by flush() */
	struct rp_slot *slots;
	size_t nslotsi;
	int slots_ready; /* sorted: rp_local() may answer from them */
	struct rp_post *posts;
	size_t nposts, capposts;
	struct rp_cancel *cancels;
	size_t ncancels, capcancels;
	struct rp_note *notes;
	size_t nnotes, capnotes;
	long empty_slots[RP_NPLATFORMS];
};

/* config.c */
int rp_config_check(const struct kudos_host *host, struct kudos_instance *self,
                    struct rp_ctx *ctx);

/* posttext.c: the text of `item` for `platform` from the template, into
 * pt (transfer full into pt->text).  RETURN VALUE 0, or -1 out of memory. */
int rp_post_text_build(const struct kudos_host *host, const struct rp_ctx *ctx,
                       const struct kudos_item *item, int platform,
                       const char *card, struct rp_post_text *pt);
/* The item's permalink when it is an http(s) URL, else NULL. */
const char *rp_web_link(const struct kudos_host *host, const struct kudos_item *item);
/* The {placeholders} of a template are all known.  RETURN VALUE NULL, or
 * the first unknown name (a pointer into `tpl`, length in *len). */
const char *rp_template_unknown(const char *tpl, size_t *len);

/* slots.c */
int64_t rp_days_from_civil(int y, int m, int d);
void rp_civil_from_days(int64_t z, int *y, int *m, int *d);
int rp_parse_date(const char *s, int *y, int *m, int *d);
int rp_parse_hhmm(const char *s, int *minutes);
int rp_slots_build(const struct kudos_host *host, struct kudos_instance *self,
                   struct rp_ctx *ctx);
/* "YYYY-MM-DDTHH:MM:SSZ" into buf (32 bytes; 20 used). */
void rp_fmt_utc(int64_t t, char buf[32]);
/* The local wall-clock time of `utc` in the job's zone (from the slots
 * when it is one: the zone service switches TZ on every call). */
int rp_local(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t utc,
             struct kudos_civil_time *out);

/* plan.c: the plan; every placement at a time is the render gate's
 * verdict at that time (host->gate_check_at). */
int rp_plan(const struct kudos_host *host, struct kudos_instance *self, struct rp_ctx *ctx);

/* state.c */
int rp_state_load(const struct kudos_host *host, struct kudos_instance *self,
                  struct rp_ctx *ctx);
int rp_state_save(const struct kudos_host *host, struct kudos_instance *self,
                  const struct rp_ctx *ctx);

/* out_json.c, out_csv.c, out_ics.c: build a file in memory (transfer
 * full into *out, *len).  RETURN VALUE 0, or -1 out of memory / a zone
 * service failing (the message is set). */
int rp_json_schedule(const struct kudos_host *host, struct kudos_instance *self,
                     const struct rp_ctx *ctx, char **out, size_t *len);
int rp_csv_schedule(const struct kudos_host *host, const struct rp_ctx *ctx,
                    int platform, char **out, size_t *len);
int rp_csv_cancelled(const struct kudos_host *host, const struct rp_ctx *ctx,
                     char **out, size_t *len);
int rp_ics_schedule(const struct kudos_host *host, const struct rp_ctx *ctx,
                    char **out, size_t *len);
int rp_ics_cancelled(const struct kudos_host *host, const struct rp_ctx *ctx,
                     char **out, size_t *len);

/* util.c */
struct rp_buf {
	char *data;
	size_t len, cap;
	int oom;
};
void rp_buf_add(struct rp_buf *b, const char *s, size_t n);
void rp_buf_str(struct rp_buf *b, const char *s);
void rp_buf_printf(struct rp_buf *b, const char *fmt, ...) KUDOS_PRINTF(2, 3);
/* The buffer's text, NUL-terminated (transfer full), or NULL on oom. */
char *rp_buf_take(struct rp_buf *b, size_t *len);
void rp_buf_free(struct rp_buf *b);

char *rp_strdup(const char *s);
uint64_t rp_fnv64(const void *data, size_t n, uint64_t h);
#define RP_FNV_INIT 0xcbf29ce484222325ULL
/* Grow *arr (element size `size`) to hold one more; RETURN VALUE 0 or -1. */
int rp_grow(void **arr, size_t *cap, size_t n, size_t size);
/* The next code point of UTF-8 s[0..len) at *i (advanced), or -1. */
int32_t rp_next_cp(const char *s, size_t len, size_t *i);

#endif
