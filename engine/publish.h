/*
 * Publications: after an output has run, record which files now hold
 * which items, and take down what it held before but may no longer show.
 *
 * An item an output published in an earlier render and did not place in
 * this one (revoked, denied, expired, opted out, rejected, or simply left
 * out) is taken down: the files that were that item's alone (its card) are
 * deleted, shared files (the widget) were just rewritten without it, and a
 * takedown entry says why and where it had been.  Files an item no longer
 * uses are deleted as well, so an output directory never keeps a stale
 * artifact.  Deletion only ever touches paths inside the output's folder.
 */
#ifndef KUDOS_ENGINE_PUBLISH_H
#define KUDOS_ENGINE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "instance.h"
#include "store.h"

struct kudos_takedown {
	char *item_id;
	char *plugin;   /* the output, e.g. "widget-json" */
	char *entry;    /* the job entry, e.g. "outputs[0]" */
	char *reason;   /* "rights revoked", "author opted out", ... */
	char **paths;   /* every file that had held the item (absolute) */
	size_t n_paths;
	char **deleted; /* those of them deleted now (the item's own files) */
	size_t n_deleted;
};

struct kudos_takedowns {
	struct kudos_takedown *v;
	size_t n;
};

/* Settle the publications of output `in`, which placed the items `placed`
 * (n of them) this render, in one transaction.  When the output named its
 * placements itself (output_place), those are the truth instead: an item
 * consumed but placed in no file counts as not published.  With in->dry_run nothing
 * is deleted (the caller rolls the store back). */
int kudos_publish_settle(struct kudos_store *s, struct kudos_instance *in,
                         char *const *placed, size_t n, int64_t now,
                         struct kudos_takedowns *td, struct kudos_error *err);

void kudos_takedowns_free(struct kudos_takedowns *td);

#endif
