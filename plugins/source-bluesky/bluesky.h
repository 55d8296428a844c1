/*
 * source-bluesky: the plugin's shared state and the contracts between its
 * files.
 *
 *   source_bluesky.c  descriptor, job keys, collect loop, payload shapes
 *   bluesky_post.c    one post view (app.bsky.feed.defs#postView) -> item
 *   bluesky_util.c    JSON value helpers, capped warnings, error
 *                     positions, AT URIs
 *
 * Every function that can fail returns KUDOS_OK or a negative KUDOS_E*
 * after host->set_error(); a problem with one post is a warning (see
 * bsk_warn) and never fails the run.
 */
#ifndef KUDOS_SOURCE_BLUESKY_H
#define KUDOS_SOURCE_BLUESKY_H

#include <kudos/plugin.h>

#include <cjson/cJSON.h>

#include <stddef.h>

/* The plugin's context: the job's keys, filled by the host. */
struct bsk_ctx {
	const char *path; /* a file or a folder of pages */
};

#define BSK_WARN_SHOWN 20

/* One page being read.  Pages are read on several threads at once
 * (host->each_file_parallel), so each has its own counts, added to the
 * run's totals when the page is done; `self` is the page's own instance
 * handle. */
struct bsk_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *file; /* the page being read (full path) */
	const char *base; /* its base name, for warnings */
	long posts, items, reposts, unavailable, skipped, refused;
	long warned, hidden;
};

/* Log a warning naming the current file ("feed.json: feed[3]: ...")
 * unless BSK_WARN_SHOWN were already printed for this page; then only
 * count it. */
void bsk_warn(struct bsk_run *r, const char *fmt, ...) KUDOS_PRINTF(2, 3);

/* obj[key] (case-sensitive), or NULL. */
const cJSON *bsk_get(const cJSON *obj, const char *key);
/* The string value of obj[key], or NULL when absent, null or not a
 * string; bsk_nonempty: "" is NULL too. */
const char *bsk_str(const cJSON *obj, const char *key);
const char *bsk_nonempty(const cJSON *obj, const char *key);

/* A count as a decimal string in buf: a whole number in 0..2^53-1.
 * RETURN VALUE buf, or NULL. */
const char *bsk_count(const cJSON *v, char buf[32]);

/* Line and column (1-based; the column counts characters) of byte `off`
 * of data[0..len). */
void bsk_position(const char *data, size_t len, size_t off, long *line, long *col);

/* Does data[0..len) stop inside a string or an unclosed [ or {?  (Tells a
 * truncated download from other invalid JSON, whose error cJSON places
 * where the broken value starts.) */
int bsk_unfinished(const char *data, size_t len);

/* An AT URI "at://AUTHORITY/COLLECTION/RKEY" split: the authority (a DID
 * or a handle) and the record key, copied into the buffers.  RETURN VALUE
 * 1 when uri is such a URI of an app.bsky.feed.post record, else 0. */
int bsk_post_uri(const char *uri, char *authority, size_t asize, char *rkey,
                 size_t rsize);

/* Map one post view (the element `where` of the current file, e.g.
 * "feed[3].post") to an item and emit it.  `reason` is the feed item's
 * reason (a repost), or NULL.  RETURN VALUE KUDOS_OK (emitted, refused by
 * the host, or skipped with a warning), or a negative KUDOS_E* when the
 * store failed or memory ran out. */
int bsk_post(struct bsk_run *r, const cJSON *post, const cJSON *reason,
             const char *where);

#endif
