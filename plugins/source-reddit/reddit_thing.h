/*
 * One Reddit "thing" as an item: a t3 (post) or a t1 (comment), given the
 * thing's `data` object.  Shared state of the file being read lives in
 * struct rd_run; the walk over Listings is source_reddit.c's.
 */
#ifndef KUDOS_SOURCE_REDDIT_THING_H
#define KUDOS_SOURCE_REDDIT_THING_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>

/* The job's keys, filled by the host. */
struct rd_ctx {
	const char *path;
};

/* One file being read. */
struct rd_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	struct kudos_js_file f;
	/* The last post (t3 data) seen in this file: the first listing of a
	 * /comments/{id} response, whose comments lack a permalink in older
	 * payloads.  Borrowed from the file's tree. */
	const cJSON *post;
	long items, refused, bad, removed, more, other, crossposts;
};

/* Build and emit the item of a post or comment at `pos`.  RETURN VALUE
 * KUDOS_OK (emitted, or skipped with a warning or a note), or a fatal
 * KUDOS_E* after set_error(). */
int rd_post(struct rd_run *r, const cJSON *data, const char *pos);
int rd_comment(struct rd_run *r, const cJSON *data, const char *pos);

#endif
