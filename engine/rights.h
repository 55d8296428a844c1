/*
 * The rights workflow: which state changes are allowed, what a grant must
 * carry, and what a reply to a request does.  The store records; this
 * module decides.
 *
 *   none      -> requested | granted (consent came with the content)
 *   requested -> granted | replied | denied | stale
 *   replied   -> granted | denied          (a human read the reply)
 *   stale     -> requested | granted       (ask again; a late yes)
 *   granted   -> revoked
 *   revoked   -> granted                   (only with new evidence)
 *   denied    -> (nothing)
 *
 * Any other change is refused with the current state and the allowed next
 * states named (KUDOS_EXIT_INPUT), and nothing changes.
 */
#ifndef KUDOS_ENGINE_RIGHTS_H
#define KUDOS_ENGINE_RIGHTS_H

#include <stdint.h>

#include "error.h"
#include "item.h"
#include "store.h"

/* The job's rights settings (job.c fills them). */
struct kudos_rights_config {
	const char *hashtag;       /* brand.rights_hashtag, e.g. "#YesAcme"; may be NULL */
	const char *reply_scopes;  /* canonical "web,social" granted by a reply */
	int64_t stale_after_days;  /* default 14 */
	struct kudos_terms terms;
};

/* RETURN VALUE 1 if `from` -> `to` is allowed. */
int kudos_rights_allowed(const char *from, const char *to);

/* Change an item's rights to `to` (requested via kudos_rights_request,
 * granted via kudos_rights_grant; this is for replied, denied, stale,
 * revoked), audited under `action` with `detail`. */
int kudos_rights_move(struct kudos_store *s, const char *id, const char *to,
                      const char *action, const char *actor, const char *detail,
                      int64_t now, struct kudos_error *err);

/* Record a grant.  From `revoked` the evidence must differ from the
 * revoked grant's.  The latest request's text and time are attached when
 * the input has none. */
int kudos_rights_grant(struct kudos_store *s, const char *id,
                       const struct kudos_grant_input *g, const char *actor,
                       const struct kudos_terms *terms, int64_t now,
                       struct kudos_error *err);

/* Mark an item requested and keep the message sent. */
int kudos_rights_request(struct kudos_store *s, const char *id, const char *text,
                         const char *template_name, const char *posted_as,
                         const char *actor, int64_t now, struct kudos_error *err);

/* A collected item that replies to something: if its author is the author
 * of an item whose request it answers (the item itself or the brand's
 * post that carried the request), a reply with the rights hashtag grants
 * that item with the reply as evidence, and one without moves it to
 * `replied`.  Replies from anyone else change nothing.  *granted and
 * *replied count what happened. */
int kudos_rights_on_reply(struct kudos_store *s, const struct kudos_rights_config *rc,
                          const struct kudos_item *reply, int64_t now, int *granted,
                          int *replied, struct kudos_error *err);

/* Move to `stale` every item requested more than stale_after_days ago. */
int kudos_rights_sweep_stale(struct kudos_store *s, const struct kudos_rights_config *rc,
                             int64_t now, long *n, struct kudos_error *err);

/* "#YesAcme" appears in `text` as a whole hashtag: case-insensitive by
 * Unicode case folding, not as the start of a longer tag (#YesAcmeCorp)
 * nor inside a word. */
int kudos_has_hashtag(const char *text, const char *hashtag);

#endif
