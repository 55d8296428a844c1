/*
 * What the store's files share (store.c, store_read.c, store_curation.c,
 * store_rights.c, store_state.c, store_audit.c, store_excerpt.c): the
 * connection, its prepared statements and the small helpers around
 * SQLite.  Not for use outside the store.
 */
#ifndef KUDOS_ENGINE_STORE_INTERNAL_H
#define KUDOS_ENGINE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* Statements used per item on the hot path of collect and curation,
 * prepared once when the store opens. */
enum {
	ST_FIND,
	ST_INSERT,
	ST_UPDATE,
	ST_EDIT,
	ST_GRANT,
	ST_SET_RIGHTS,
	ST_AUDIT_TAIL,
	ST_AUDIT_ADD,
	ST_SET_ANALYSIS,
	ST_SET_FILTERED,
	ST_REQUESTED_FOR_REPLY,
	ST_GET_CURATION,
	ST_SET_CURATION,
	ST_COUNT_
};

struct kudos_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_COUNT_];
	int depth; /* open transactions; inner ones are savepoints */
};

/* Fill err from the connection's last error; RETURN VALUE -1. */
int store_fail(struct kudos_store *s, struct kudos_error *err, const char *doing);
int store_prepare(struct kudos_store *s, const char *sql, sqlite3_stmt **st,
                  struct kudos_error *err);
/* A cached statement, reset and unbound, ready for binding. */
sqlite3_stmt *store_cached(struct kudos_store *s, int which);
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
const char *store_col_text(sqlite3_stmt *st, int i);
/* The error for an id the store holds no item for (KUDOS_EXIT_INPUT).
 * RETURN VALUE -1. */
int store_no_item(struct kudos_store *s, const char *id, struct kudos_error *err);
/* Run a one-shot write statement to completion and finalize it. */
int store_step_once(struct kudos_store *s, sqlite3_stmt *st, const char *doing,
                    struct kudos_error *err);
/* A source set as one JSON array parameter (json_each), so the SQL text
 * never depends on the input; *out is NULL for a NULL set (transfer full).
 * RETURN VALUE -1 when out of memory. */
int store_sources_json(const char *const *sources, char **out);
/* Append one entry to the audit chain (store_audit.c). */
int store_audit_add(struct kudos_store *s, int64_t now, const char *item_id,
                    const char *actor, const char *action, const char *from,
                    const char *to, const char *detail, struct kudos_error *err);
/* Drop an item whose text changed upstream's excerpt, audited with the
 * source as actor (store_excerpt.c). */
int store_excerpt_invalidate(struct kudos_store *s, const char *id, const char *actor,
                             int64_t now, struct kudos_error *err);
/* Set an item's rights column (store_rights.c); no audit. */
int store_set_rights(struct kudos_store *s, const char *id, const char *state,
                     struct kudos_error *err);

#endif
