/*
 * source-mastodon: the plugin's shared state and the contract between its
 * files.
 *
 *   source_mastodon.c  descriptor, job keys, collect loop, payload shapes
 *   mastodon_status.c  one Status entity -> one item
 *
 * Pages are parsed with cJSON through the SDK's JSON helper
 * (<kudos/json_source.h>), which also names the file, line and column of
 * a syntax error, reads ids and counts, and caps warnings.
 *
 * Every function that can fail returns KUDOS_OK or a negative KUDOS_E*
 * after host->set_error(); a problem with one status is a warning
 * (kudos_js_warn) and never fails the run.
 */
#ifndef KUDOS_SOURCE_MASTODON_H
#define KUDOS_SOURCE_MASTODON_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>

/* The plugin's context: the job's keys, filled by the host. */
struct mst_ctx {
	const char *path; /* a file or a folder of pages */
};

/* One page being read.  Pages are read on several threads at once
 * (host->each_file_parallel), so each has its own counts, added to the
 * run's totals when the page is done; `self` is the page's own instance
 * handle.  At most KUDOS_JS_WARN_SHOWN warnings are shown per page and
 * the rest are counted in the closing summary. */
struct mst_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	struct kudos_js_file f;
	long statuses, items, boosts, skipped, refused;
};

/* Map the Status entity `v` (the element `where` of the current page, e.g.
 * "[3]") to an item and emit it.  RETURN VALUE KUDOS_OK (emitted, refused
 * by the host, or skipped with a warning: `v` is not a status object, has
 * no id or content, ...), or a negative KUDOS_E* after set_error() when
 * the store failed or memory ran out. */
int mst_status(struct mst_run *r, const cJSON *v, const char *where);

#endif
