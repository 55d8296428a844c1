/* Curation in the store: an item's new / approved / rejected state.  A
 * change can be made only from the state its decider saw, so that what
 * someone else decided meanwhile is never overwritten; every change is
 * audited. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* Set curation to `state` under `action`; with `expect`, only while the
 * item is in that state. */
static int change_curation(struct kudos_store *s, const char *id, const char *expect,
                           const char *state, const char *action, const char *actor,
                           const char *reason, int64_t now, int *changed,
                           struct kudos_error *err)
{
	char *from = NULL;
	int rc = -1;
	if (strcmp(state, "new") && strcmp(state, "approved") && strcmp(state, "rejected"))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "unknown curation state '%s' (use new, approved or rejected)",
		                  state);
	sqlite3_stmt *st = store_cached(s, ST_GET_CURATION);
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		store_no_item(s, id, err);
		goto done;
	}
	if (step != SQLITE_ROW || !(from = strdup(store_col_text(st, 0)))) {
		store_fail(s, err, "reading an item");
		goto done;
	}
	sqlite3_reset(st);
	if (expect && strcmp(from, expect) != 0) {
		kudos_fail(err, KUDOS_EXIT_INPUT,
		           "%s is %s now, no longer %s: someone else decided it meanwhile "
		           "(`kudos history %s` says who)", id, from, expect, id);
		goto done;
	}
	*changed = strcmp(from, state) != 0;
	if (!*changed) {
		rc = 0;
		goto done;
	}
	st = store_cached(s, ST_SET_CURATION);
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, state);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, err, "updating curation");
		goto done;
	}
	if (store_audit_add(s, now, id, actor, action, from, state, reason, err))
		goto done;
	rc = 0;
done:
	sqlite3_reset(st);
	free(from);
	return rc;
}

int kudos_store_set_curation(struct kudos_store *s, const char *id,
                             const char *state, const char *actor,
                             const char *reason, int64_t now, int *changed,
                             struct kudos_error *err)
{
	return change_curation(s, id, NULL, state, "curation", actor, reason, now, changed, err);
}

int kudos_store_change_curation(struct kudos_store *s, const char *id, const char *expect,
                                const char *to, const char *action, const char *actor,
                                const char *reason, int64_t now, struct kudos_error *err)
{
	int changed;
	return change_curation(s, id, expect, to, action, actor, reason, now, &changed, err);
}
