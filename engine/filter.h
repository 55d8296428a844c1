/*
 * Filter plugins over a job's items.  After collect and before the
 * analyses and the curation rules, every filter of the job ("filters", in
 * job order) looks at each item of the job's sources that the filters have
 * not seen as it is now, and what they say (flags, tags, named scores, a
 * language for an item whose source gave none) is saved on the item,
 * replacing what they said before.  "As it is now" is the item's content
 * hash plus a fingerprint of the job's filters (plugin names, versions and
 * settings): an edit upstream, or a change to the filters, filters an item
 * again; anything else is skipped, so a run costs the new items only.
 *
 * Filters inform; they never change an item's content, curation or rights.
 * analyze.c merges their flags with its own, and the rules read their tags
 * and scores (conditions `tags`, `min_score`) and the language.
 */
#ifndef KUDOS_ENGINE_FILTER_H
#define KUDOS_ENGINE_FILTER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "error.h"
#include "job.h"
#include "loader.h"
#include "store.h"

struct kudos_run_opts;

/* Run the job's filters; `libs[i]` is the plugin of job->filters[i] and
 * `sources` the job's source names (NULL-terminated; NULL: every item).
 * A job without filters forgets what earlier filters found on those items.
 * Everything is saved in one transaction: when a filter fails (init, or
 * filter() on an item), err names the filter and the item, and nothing of
 * this step is kept.  *filtered counts the items the filters looked at.
 * RETURN VALUE 0, or -1 with err set (KUDOS_EXIT_INPUT when the filter
 * said the input was bad, else KUDOS_EXIT_FAIL). */
int kudos_filter_items(const struct kudos_job *job, const struct kudos_plugin_lib *const *libs,
                       struct kudos_store *store, const char *const *sources,
                       const struct kudos_run_opts *opts, long *filtered,
                       struct kudos_error *err);

/* Run one filter instance (initialised) on `it`, as the step does for
 * each item: *found gets what it said ({"flags", "tags", "scores",
 * "language"}; transfer full), or NULL when it said nothing.  A language
 * it set is also put in `it`, for the filters after it.  RETURN VALUE
 * KUDOS_OK, KUDOS_ENOMEM, or the filter's negative code (its message in
 * the instance, see kudos_instance_failed()). */
struct kudos_instance;
int kudos_filter_apply(struct kudos_instance *in, struct kudos_item *it, cJSON **found);

/* The fingerprint of the job's filters: hex, 65 bytes with the NUL. */
void kudos_filter_setup(const struct kudos_job *job, const struct kudos_plugin_lib *const *libs,
                        char hex[65]);

#endif
