/*
 * The render gate: the one place that decides whether an output may
 * receive an item.  An item passes only if its curation is `approved`, its
 * rights are `granted`, the grant's scopes include the output's scope, the
 * given time lies inside the grant's window, and its author has not opted
 * out.  Outputs receive items only through kudos_gate_each(), which also
 * reduces the author fields to what the creator's credit preference allows.
 */
#ifndef KUDOS_ENGINE_GATE_H
#define KUDOS_ENGINE_GATE_H

#include <stdint.h>

#include "error.h"
#include "item.h"
#include "store.h"

enum kudos_gate_verdict {
	KUDOS_GATE_PASS = 0,
	KUDOS_GATE_NOT_APPROVED,
	KUDOS_GATE_NOT_GRANTED,
	KUDOS_GATE_OUT_OF_SCOPE,
	KUDOS_GATE_OUTSIDE_WINDOW,
	KUDOS_GATE_OPTED_OUT
};

/* A sentence fragment for the verdict, e.g. "not approved". */
const char *kudos_gate_reason(int verdict);

/* RETURN VALUE 1 if `scope` is one of web, print, social, ads. */
int kudos_scope_valid(const char *scope);

/* A scope list ("print, web") as kudos stores it ("web,print"): known
 * scopes only, each once, in canonical order.  RETURN VALUE (transfer
 * full), or NULL when the list is empty or names an unknown scope. */
char *kudos_scopes_canonical(const char *list);

/* Judge one item (as loaded from the store) for `scope` at time `at`. */
int kudos_gate_check(struct kudos_store *s, const struct kudos_item *it,
                     const char *scope, int64_t at, int *verdict,
                     struct kudos_error *err);

/* Called for each item that passed, in output order; `it` is (transfer
 * none), already redacted.  Return non-zero to stop. */
typedef int (*kudos_gate_fn)(void *ud, const struct kudos_item *it);

/* Visit every item of `sources` (NULL: all) that passes for `scope` at
 * `at`.  *refused counts the items of those sources that did not. */
int kudos_gate_each(struct kudos_store *s, const char *const *sources,
                    const char *scope, int64_t at, kudos_gate_fn fn, void *ud,
                    long *refused, struct kudos_error *err);

#endif
