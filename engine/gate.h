/*
 * The render gate: the one place that decides whether an output may
 * receive an item.  An item passes only if its curation is `approved`, its
 * rights are `granted`, the grant's scopes include the output's scope, the
 * given time lies inside the grant's window, and its author has not opted
 * out.  Outputs receive items only through kudos_gate_each(), which also
 * reduces the author fields to what the creator's credit preference allows.
 *
 * An output that publishes later than now (a schedule of reposts) declares
 * the span it plans for; it then receives the items that pass at some
 * instant of that span (kudos_gate_each_span), and the engine keeps what
 * the gate needs to judge each of them again (a kudos_gate_book), so that
 * every slot is judged by kudos_gate_decide() at the slot's own time.
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

/* What the gate judges an item by.  Strings are (transfer none). */
struct kudos_gate_facts {
	const char *curation, *rights, *scopes; /* scopes: the grant's, "web,print" */
	int has_grant;
	int64_t from, until;                    /* the grant's window; 0: open */
	int opted_out;                          /* the author is on the opt-out list */
};

/* The decision itself: every rule of the gate, and nothing else decides.
 * RETURN VALUE an enum kudos_gate_verdict. */
int kudos_gate_decide(const struct kudos_gate_facts *f, const char *scope, int64_t at);

/* Judge one item (as loaded from the store) for `scope` at time `at`; the
 * opt-out list is read only for an item that passes every other rule.
 * RETURN VALUE 0 with *verdict set, or -1 with err set (the store failed). */
int kudos_gate_check(struct kudos_store *s, const struct kudos_item *it,
                     const char *scope, int64_t at, int *verdict,
                     struct kudos_error *err);

/* Judge one item over the span [from, until): it passes when it passes at
 * some instant of the span.  Only the window depends on time, so that is
 * the verdict at the span's first instant inside the grant's window. */
int kudos_gate_check_span(struct kudos_store *s, const struct kudos_item *it,
                          const char *scope, int64_t from, int64_t until, int *verdict,
                          struct kudos_error *err);

/* The facts of the items handed to one planning output, by id, so that
 * it can ask about any of them at any time until the render ends. */
struct kudos_gate_record {
	char *id, *curation, *rights, *scopes;
	int has_grant;
	int64_t from, until;
};
struct kudos_gate_book {
	struct kudos_gate_record *v;
	size_t n, cap;
	size_t sorted; /* v[0..sorted) is in id order */
};

/* Keep the facts of `it` (unredacted; copied).  Only items that passed
 * are kept, so none of them is opted out.  RETURN VALUE 0, or -1 out of
 * memory. */
int kudos_gate_book_add(struct kudos_gate_book *b, const struct kudos_item *it);
/* Judge the kept item `id` for `scope` at `at`.  RETURN VALUE 0 with
 * *verdict set, or -1 when the book holds no such item. */
int kudos_gate_book_check(struct kudos_gate_book *b, const char *id, const char *scope,
                          int64_t at, int *verdict);
void kudos_gate_book_free(struct kudos_gate_book *b);

/* Called for each item that passed, in output order; `it` is (transfer
 * none), already redacted.  Return non-zero to stop. */
typedef int (*kudos_gate_fn)(void *ud, const struct kudos_item *it);

/* Visit every item of `sources` (NULL: all) that passes for `scope` at
 * `at`.  *refused counts the items of those sources that did not. */
int kudos_gate_each(struct kudos_store *s, const char *const *sources,
                    const char *scope, int64_t at, kudos_gate_fn fn, void *ud,
                    long *refused, struct kudos_error *err);

/* The same for a planning output: every item that passes at some instant
 * of [from, until).  When `book` is not NULL, each visited item's facts
 * are kept in it before `fn` sees the item. */
int kudos_gate_each_span(struct kudos_store *s, const char *const *sources,
                         const char *scope, int64_t from, int64_t until,
                         struct kudos_gate_book *book, kudos_gate_fn fn, void *ud,
                         long *refused, struct kudos_error *err);

#endif
