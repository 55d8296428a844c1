/* Excerpts in the store: one per item at most, beside the original text
 * (never instead of it), tied to the content hash it was made from, and
 * every change audited. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kudos_store_set_excerpt(struct kudos_store *s, const char *id, const char *text,
                            const char *content_hash, const char *actor, int64_t now,
                            struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "INSERT INTO excerpts (item_id, text, content_hash, actor, at)"
	                     " SELECT id, ?2, ?3, ?4, ?5 FROM items WHERE id = ?1"
	                     " ON CONFLICT (item_id) DO UPDATE SET text = excluded.text,"
	                     " content_hash = excluded.content_hash, actor = excluded.actor,"
	                     " at = excluded.at",
	                  &st, err))
		return -1;
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, text);
	store_bind_text(st, 3, content_hash);
	store_bind_text(st, 4, actor);
	sqlite3_bind_int64(st, 5, now);
	if (store_step_once(s, st, "saving an excerpt", err))
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return store_no_item(s, id, err);
	return store_audit_add(s, now, id, actor, "excerpt", NULL, NULL, text, err);
}

/* Delete the item's excerpt; *gone says whether there was one. */
static int drop(struct kudos_store *s, const char *id, int *gone, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "DELETE FROM excerpts WHERE item_id = ?1", &st, err))
		return -1;
	store_bind_text(st, 1, id);
	if (store_step_once(s, st, "removing an excerpt", err))
		return -1;
	*gone = sqlite3_changes(s->db) > 0;
	return 0;
}

int kudos_store_clear_excerpt(struct kudos_store *s, const char *id, const char *actor,
                              int64_t now, int *cleared, struct kudos_error *err)
{
	if (drop(s, id, cleared, err))
		return -1;
	return *cleared ? store_audit_add(s, now, id, actor, "excerpt_cleared", NULL, NULL,
	                                  NULL, err)
	                : 0;
}

int store_excerpt_invalidate(struct kudos_store *s, const char *id, const char *actor,
                             int64_t now, struct kudos_error *err)
{
	int gone;
	if (drop(s, id, &gone, err))
		return -1;
	/* The curator approved words that are no longer the item's: they
	 * must look at the new text and approve a new excerpt. */
	return gone ? store_audit_add(s, now, id, actor, "excerpt_invalidated", NULL, NULL,
	                              "the text changed upstream; approve a new excerpt "
	                              "with `kudos excerpt`", err)
	            : 0;
}
