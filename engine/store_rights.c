/* Rights in the store: grants, requests, rights states and the opt-out
 * list.  No policy here: engine/rights.c decides. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int store_set_rights(struct kudos_store *s, const char *id, const char *state,
                     struct kudos_error *err)
{
	sqlite3_stmt *st = store_cached(s, ST_SET_RIGHTS);
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, state);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "updating rights");
	return 0;
}

int kudos_store_rights_of(struct kudos_store *s, const char *id, char state[16],
                          struct kudos_error *err)
{
	sqlite3_stmt *st = store_cached(s, ST_FIND);
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(state, 16, "%s", store_col_text(st, 2));
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return store_no_item(s, id, err);
	if (step != SQLITE_ROW)
		return store_fail(s, err, "looking up an item");
	return 0;
}

int kudos_store_grant(struct kudos_store *s, const char *id,
                      const struct kudos_grant_input *g, const char *actor,
                      const struct kudos_terms *terms, int64_t now,
                      struct kudos_error *err)
{
	char from[16], detail[512];
	if (!g->scopes || !*g->scopes || !g->evidence || !*g->evidence)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "a grant for %s needs scopes and evidence", id);
	if (kudos_store_rights_of(s, id, from, err))
		return -1;
	sqlite3_stmt *st = store_cached(s, ST_GRANT);
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, g->scopes);
	if (g->from)
		sqlite3_bind_int64(st, 3, g->from);
	if (g->until)
		sqlite3_bind_int64(st, 4, g->until);
	store_bind_text(st, 5, terms ? terms->url : NULL);
	store_bind_text(st, 6, terms ? terms->version : NULL);
	store_bind_text(st, 7, g->evidence);
	sqlite3_bind_int64(st, 8, now);
	store_bind_text(st, 9, g->credit ? g->credit : "full");
	store_bind_text(st, 10, actor);
	store_bind_text(st, 11, g->evidence_id);
	store_bind_text(st, 12, g->evidence_author);
	if (g->evidence_at)
		sqlite3_bind_int64(st, 13, g->evidence_at);
	store_bind_text(st, 14, g->request_text);
	if (g->request_sent_at)
		sqlite3_bind_int64(st, 15, g->request_sent_at);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "recording a grant");
	snprintf(detail, sizeof detail, "scopes %s; evidence: %s", g->scopes, g->evidence);
	if (store_set_rights(s, id, "granted", err) ||
	    store_audit_add(s, now, id, actor, "grant", from, "granted", detail, err))
		return -1;
	return 0;
}

int kudos_store_set_rights(struct kudos_store *s, const char *id, const char *to,
                           const char *actor, const char *action, const char *detail,
                           int64_t now, struct kudos_error *err)
{
	char from[16];
	if (kudos_store_rights_of(s, id, from, err) || store_set_rights(s, id, to, err) ||
	    store_audit_add(s, now, id, actor, action, from, to, detail, err))
		return -1;
	return 0;
}

int kudos_store_add_request(struct kudos_store *s, const char *id, const char *text,
                            const char *template_name, const char *posted_as,
                            const char *actor, int64_t now, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "INSERT INTO requests (item_id, text, template, posted_as, sent_at, actor)"
	               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err))
		return -1;
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, text);
	store_bind_text(st, 3, template_name);
	store_bind_text(st, 4, posted_as);
	sqlite3_bind_int64(st, 5, now);
	store_bind_text(st, 6, actor);
	return store_step_once(s, st, "recording a request", err);
}

int kudos_store_last_request(struct kudos_store *s, const char *id,
                             struct kudos_request *out, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof *out);
	if (store_prepare(s, "SELECT text, sent_at, posted_as FROM requests WHERE item_id = ?1"
	               " ORDER BY id DESC LIMIT 1", &st, err))
		return -1;
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->found = 1;
		out->text = strdup(store_col_text(st, 0));
		out->sent_at = sqlite3_column_int64(st, 1);
		out->posted_as = store_col_text(st, 2) ? strdup(store_col_text(st, 2)) : NULL;
		if (!out->text || (store_col_text(st, 2) && !out->posted_as))
			step = SQLITE_NOMEM;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		kudos_request_clear(out);
		return store_fail(s, err, "reading a request");
	}
	return 0;
}

void kudos_request_clear(struct kudos_request *r)
{
	free(r->text);
	free(r->posted_as);
	memset(r, 0, sizeof *r);
}

int kudos_store_last_evidence(struct kudos_store *s, const char *id, char **evidence,
                              struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	*evidence = NULL;
	if (store_prepare(s, "SELECT evidence_text FROM grants WHERE item_id = ?1"
	               " ORDER BY id DESC LIMIT 1", &st, err))
		return -1;
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && store_col_text(st, 0) && !(*evidence = strdup(store_col_text(st, 0))))
		step = SQLITE_NOMEM;
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(s, err, "reading a grant");
	return 0;
}

/* Collect the ids a query returns (one text column) into a list. */
static int collect_ids(struct kudos_store *s, sqlite3_stmt *st, char ***ids, size_t *n,
                       struct kudos_error *err)
{
	int step;
	*ids = NULL;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **grown = realloc(*ids, (*n + 1) * sizeof **ids);
		char *id = strdup(store_col_text(st, 0));
		if (grown)
			*ids = grown;
		if (!grown || !id) {
			free(id);
			step = SQLITE_NOMEM;
			break;
		}
		(*ids)[(*n)++] = id;
	}
	if (step != SQLITE_DONE) {
		kudos_ids_free(*ids, *n);
		*ids = NULL;
		*n = 0;
		return store_fail(s, err, "reading items");
	}
	return 0;
}

void kudos_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int kudos_store_requested_for_reply(struct kudos_store *s, const char *source,
                                    const char *reply_to, char ***ids, size_t *n,
                                    struct kudos_error *err)
{
	/* Once per collected reply: a cached statement. */
	sqlite3_stmt *st = store_cached(s, ST_REQUESTED_FOR_REPLY);
	store_bind_text(st, 1, source);
	store_bind_text(st, 2, reply_to);
	int rc = collect_ids(s, st, ids, n, err);
	sqlite3_reset(st);
	return rc;
}

int kudos_store_requested_before(struct kudos_store *s, int64_t cutoff, char ***ids,
                                 size_t *n, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	/* From the requests, which are few, not from the items: rights has no
	 * index, and scanning every item after each collect took 0.18 s of a
	 * 3 s collect of 100,000 statuses (now 4 ms). */
	if (store_prepare(s, "SELECT r.item_id FROM requests r JOIN items i ON i.id = r.item_id"
	               " WHERE i.rights = 'requested' GROUP BY r.item_id"
	               " HAVING max(r.sent_at) < ?1 ORDER BY r.item_id", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, cutoff);
	int rc = collect_ids(s, st, ids, n, err);
	sqlite3_finalize(st);
	return rc;
}

int kudos_store_optout(struct kudos_store *s, const char *author, const char *actor,
                       int64_t now, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (!author || !*author)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "name the author to opt out");
	if (store_prepare(s, "INSERT INTO optouts (author, at, actor) VALUES (?1, ?2, ?3)"
	               " ON CONFLICT (author) DO NOTHING", &st, err))
		return -1;
	store_bind_text(st, 1, author);
	sqlite3_bind_int64(st, 2, now);
	store_bind_text(st, 3, actor);
	int step = sqlite3_step(st);
	int added = sqlite3_changes(s->db) > 0;
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_fail(s, err, "updating the opt-out list");
	if (added && store_audit_add(s, now, NULL, actor, "optout", NULL, NULL, author, err))
		return -1;
	return 0;
}

int kudos_store_opted_out(struct kudos_store *s, const struct kudos_item *it,
                          int *out, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	if (store_prepare(s, "SELECT 1 FROM optouts WHERE author = ?1 OR author = ?2", &st, err))
		return -1;
	store_bind_text(st, 1, it->field[KUDOS_FIELD_AUTHOR_NAME]);
	store_bind_text(st, 2, it->field[KUDOS_FIELD_AUTHOR_HANDLE]);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(s, err, "reading the opt-out list");
	*out = step == SQLITE_ROW;
	return 0;
}
