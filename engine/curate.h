/*
 * Curation: the job's auto_reject and auto_approve rules, applied to items
 * still `new`.  Reject rules are tried first (caution wins), then approve
 * rules; the first rule that matches decides and is named in the audit
 * trail as the actor ("rule:NAME").  An item a human already judged is
 * never touched, and items no rule matches stay `new`.
 */
#ifndef KUDOS_ENGINE_CURATE_H
#define KUDOS_ENGINE_CURATE_H

#include <stdint.h>

#include "error.h"
#include "item.h"
#include "job.h"
#include "store.h"

/* Apply the job's rules to the `new` items of its sources, in one
 * transaction.  *approved and *rejected count the decisions made. */
int kudos_curate(struct kudos_store *s, const struct kudos_job *job,
                 const char *const *sources, int64_t now, long *approved, long *rejected,
                 struct kudos_error *err);

#endif
