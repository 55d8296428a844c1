/*
 * Curation rules: the job's auto-approve list, applied to items still
 * `new`.  The first rule that matches approves the item and is named in the
 * audit trail as the actor; an item a human already judged is never
 * touched, and items no rule matches stay `new`.
 */
#ifndef KUDOS_ENGINE_CURATE_H
#define KUDOS_ENGINE_CURATE_H

#include <stdint.h>

#include "error.h"
#include "item.h"
#include "job.h"
#include "store.h"

/* The first rule of `rules` that `it` matches, or NULL. */
const struct kudos_rule *kudos_rules_match(const struct kudos_rule *rules, size_t n,
                                           const struct kudos_item *it);

/* Apply the job's auto-approve rules to the `new` items of its sources, in
 * one transaction.  *approved counts the items approved. */
int kudos_curate(struct kudos_store *s, const struct kudos_job *job,
                 const char *const *sources, int64_t now, long *approved,
                 struct kudos_error *err);

#endif
