/*
 * An interactive review's logic, apart from any terminal: the queue of
 * undecided (curation `new`) items of a job in the order a curator should
 * see them, and the decisions taken on them.  engine/cli/cmd_review.c
 * draws it; tests drive it directly.
 *
 * Order, best candidates first:
 *   1. items with no flag before flagged ones (`duplicate` aside, see 5);
 *   2. higher rating on a 5 scale (an unrated item counts as 3, the middle);
 *   3. higher sentiment (an item without one counts as 0, neutral);
 *   4. newer (created time, else collection time), then by id, so the
 *      order is the same every time;
 *   5. a duplicate comes right after its group's representative when the
 *      representative is in the queue too (the group in the order above);
 *      otherwise it takes its own place.
 *
 * Every decision is saved the moment it is made, in its own transaction,
 * and audited under the review's actor ("review:alice"), so quitting or a
 * lost terminal loses nothing.  A decision applies only while the item is
 * as the review last saw it: an item someone else decided meanwhile is
 * refused (KUDOS_EXIT_INPUT) and left as they decided it.
 *
 * Approve and reject decide the current item and move on; request and
 * grant change its rights and stay on it (a curator often asks for
 * permission and then approves).  Skip moves on without a decision.
 * Undo takes back this session's decisions, latest first: the item
 * returns to the state it had, by an `undo` entry in the audit trail
 * (nothing is erased; an undone request or grant stays in the item's
 * history), and becomes the current item again.  Undo bypasses the rights
 * workflow's transitions on purpose (requested -> none is no workflow
 * step, but is what taking back a mistaken key press means).
 */
#ifndef KUDOS_ENGINE_REVIEW_H
#define KUDOS_ENGINE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "item.h"
#include "job.h"
#include "store.h"

struct kudos_review;

/* Load the queue: the `new` items of the job's sources (every item of the
 * store when the job has no sources).  `actor` is the person ("alice");
 * decisions are audited as "review:alice".  `template_name` is the
 * request template (checked here).  `job` and `s` are (transfer none) and
 * must outlive the review.  RETURN VALUE 0 and *out (transfer full). */
int kudos_review_open(struct kudos_store *s, const struct kudos_job *job, const char *actor,
                      const char *template_name, struct kudos_review **out,
                      struct kudos_error *err);
void kudos_review_free(struct kudos_review *r);

/* Where the review stands. */
struct kudos_review_status {
	size_t position;  /* 0-based index of the current item; == total when done */
	size_t total;     /* items in the queue */
	size_t decided;   /* approved or rejected in this session (undos subtract) */
	size_t skipped;
	size_t undoable;  /* decisions undo can take back */
	const char *actor; /* "review:alice" (transfer none) */
};
void kudos_review_status(const struct kudos_review *r, struct kudos_review_status *st);

/* The current item, fresh from the store (transfer full), or *out = NULL
 * when the queue is done.  Items decided elsewhere since the queue was
 * loaded are passed over (*passed counts them; may be NULL). */
int kudos_review_current(struct kudos_review *r, struct kudos_item **out, size_t *passed,
                         struct kudos_error *err);

/* The other items of `id`'s duplicate group (its representative first,
 * then the others in review order), with their curation as this review
 * knows it.  (transfer none) until the next call or kudos_review_free. */
struct kudos_review_peer {
	const char *id;
	const char *curation;
	int representative;
};
size_t kudos_review_peers(struct kudos_review *r, const char *id,
                          const struct kudos_review_peer **out);

/* Decisions on the current item (kudos_review_current must have shown
 * one), saved at time `now`.  RETURN VALUE 0, or -1 with nothing changed. */
int kudos_review_approve(struct kudos_review *r, int64_t now, struct kudos_error *err);
/* `reason` may be NULL or empty. */
int kudos_review_reject(struct kudos_review *r, const char *reason, int64_t now,
                        struct kudos_error *err);
/* Mark requested through the same code as `kudos request`; *message is
 * the text to post (transfer full). */
int kudos_review_request(struct kudos_review *r, int64_t now, char **message,
                         struct kudos_error *err);
/* `scopes` as `kudos grant --scope` takes them ("web,print"); `evidence`
 * is required; the grant's window is open and credit is full (`kudos
 * grant` sets either). */
int kudos_review_grant(struct kudos_review *r, const char *scopes, const char *evidence,
                       int64_t now, struct kudos_error *err);
void kudos_review_skip(struct kudos_review *r);

/* Take back the latest decision still standing.  *what (may be NULL)
 * names it: "approve", "reject", "request" or "grant"; *id the item; both
 * (transfer none) until the next call.  RETURN VALUE 0; -1 with
 * KUDOS_EXIT_INPUT when there is nothing to undo or the item changed
 * since (then the decision stays on the stack no more: it cannot be
 * undone). */
int kudos_review_undo(struct kudos_review *r, int64_t now, const char **what,
                      const char **id, struct kudos_error *err);

#endif
