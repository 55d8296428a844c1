/* The audit trail: entries chained by SHA-256, each sealing the one
 * before, so editing or removing any entry breaks every later one. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void audit_hash(const struct kudos_audit_entry *e, const char *prev, char hex[65])
{
	char num[48];
	struct kudos_hasher hs, *h = &hs;
	kudos_hasher_init(h, KUDOS_HASH_SHA256);
	kudos_hasher_field(h, prev);
	snprintf(num, sizeof num, "%lld", (long long)e->seq);
	kudos_hasher_field(h, num);
	snprintf(num, sizeof num, "%lld", (long long)e->at);
	kudos_hasher_field(h, num);
	kudos_hasher_field(h, e->item_id);
	kudos_hasher_field(h, e->actor);
	kudos_hasher_field(h, e->action);
	kudos_hasher_field(h, e->from_state);
	kudos_hasher_field(h, e->to_state);
	kudos_hasher_field(h, e->detail);
	kudos_hasher_end(h, hex);
}

/* Append one entry to the audit chain. */
int store_audit_add(struct kudos_store *s, int64_t now, const char *item_id,
                    const char *actor, const char *action, const char *from,
                    const char *to, const char *detail, struct kudos_error *err)
{
	sqlite3_stmt *st = store_cached(s, ST_AUDIT_TAIL);
	struct kudos_audit_entry e = {1, now, item_id, actor, action, from, to, detail};
	char prev[65] = GENESIS_HASH, hash[65];
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e.seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 1));
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, err, "reading the audit trail");
	}
	sqlite3_reset(st);
	audit_hash(&e, prev, hash);
	st = store_cached(s, ST_AUDIT_ADD);
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_int64(st, 2, now);
	store_bind_text(st, 3, item_id);
	store_bind_text(st, 4, actor);
	store_bind_text(st, 5, action);
	store_bind_text(st, 6, from);
	store_bind_text(st, 7, to);
	store_bind_text(st, 8, detail);
	store_bind_text(st, 9, prev);
	store_bind_text(st, 10, hash);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "appending to the audit trail");
	return 0;
}

static int audit_walk(struct kudos_store *s, const char *item_id, int verify,
                      kudos_audit_fn fn, void *ud, int64_t *entries,
                      int64_t *bad_seq, struct kudos_error *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65] = GENESIS_HASH, hash[65];
	int64_t n = 0, expect_seq = 1;
	int rc = -1;
	if (store_prepare(s, "SELECT seq, at, item_id, actor, action, from_state, to_state,"
	               " detail, prev_hash, hash FROM audit"
	               " WHERE ?1 IS NULL OR item_id = ?1 ORDER BY seq",
	            &st, err))
		return -1;
	store_bind_text(st, 1, item_id);
	if (bad_seq)
		*bad_seq = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct kudos_audit_entry e = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			store_col_text(st, 2), store_col_text(st, 3), store_col_text(st, 4), store_col_text(st, 5),
			store_col_text(st, 6), store_col_text(st, 7),
		};
		n++;
		if (verify) {
			audit_hash(&e, prev, hash);
			/* A gap in the sequence is a deleted entry. */
			if (e.seq != expect_seq || strcmp(prev, store_col_text(st, 8)) != 0 ||
			    strcmp(hash, store_col_text(st, 9)) != 0) {
				*bad_seq = e.seq;
				break;
			}
			snprintf(prev, sizeof prev, "%s", hash);
			expect_seq++;
		}
		if (fn && fn(ud, &e))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_fail(s, err, "reading the audit trail");
		goto done;
	}
	if (entries)
		*entries = n;
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

int kudos_store_audit_verify(struct kudos_store *s, int64_t *entries,
                             int64_t *bad_seq, struct kudos_error *err)
{
	return audit_walk(s, NULL, 1, NULL, NULL, entries, bad_seq, err);
}

int kudos_store_history(struct kudos_store *s, const char *item_id,
                        kudos_audit_fn fn, void *ud, struct kudos_error *err)
{
	return audit_walk(s, item_id, 0, fn, ud, NULL, NULL, err);
}
