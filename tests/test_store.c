/* The store: schema, idempotent collection, upstream edits, consent,
 * transactions, the audit chain, and two processes on one file. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "leakcheck.h"
#include "instance.h"
#include "item.h"
#include "store.h"

static char *dir, *db_path;
static struct kudos_store *store;
static struct kudos_error err;

static void setup(void)
{
	cr_assert(sodium_init() >= 0);
	dir = kt_tmpdir();
	db_path = kt_path(dir, "k.db");
	memset(&err, 0, sizeof err);
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	kudos_store_close(store);
	kt_rmtree(dir);
	free(db_path);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

TestSuite(store, .init = setup, .fini = teardown);

static struct kudos_item *make_item(const char *ext, const char *text)
{
	struct kudos_item *it = kudos_item_new("csv", ext);
	cr_assert(it);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_TEXT, text), 0);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, "Ada Lovelace"), 0);
	it->has_rating = 1;
	it->rating = 4;
	it->rating_scale = 5;
	it->has_time[KUDOS_TIME_CREATED] = 1;
	it->time[KUDOS_TIME_CREATED] = 1700000000;
	return it;
}

static int upsert(struct kudos_item *it)
{
	int outcome = -1;
	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_upsert(store, it, "csv", NULL, 1700000100, &outcome, &err), 0,
	             "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	return outcome;
}

/* A scalar from SQL, read through a second connection like any tool would. */
static long long sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	char *msg = NULL;
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
	sqlite3_close(db);
}

/* SQL that takes a store back from schema 4 to 3: curation's findings
 * back in the items table. */
#define UNDO_FINDINGS_TABLE                                             \
	"DROP TABLE findings;"                                          \
	"ALTER TABLE items ADD COLUMN flags TEXT NOT NULL DEFAULT '';"  \
	"ALTER TABLE items ADD COLUMN flag_detail TEXT NOT NULL DEFAULT '{}';" \
	"ALTER TABLE items ADD COLUMN sentiment REAL;"                 \
	"ALTER TABLE items ADD COLUMN duplicate_of TEXT;"

Test(store, schema_is_versioned_and_in_wal_mode)
{
	cr_assert_eq(sql_int("PRAGMA user_version"), 4);
	cr_assert_eq(sql_int("PRAGMA page_size"), 16384, "a new store has 16 KiB pages");
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* Reopening migrates nothing and keeps the data. */
	struct kudos_item *it = make_item("1", "Great");
	upsert(it);
	kudos_item_free(it);
	kudos_store_close(store);
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 1);
}

/* A store kudos wrote before filter plugins existed (schema 1) gains their
 * columns on open and keeps its items. */
Test(store, schema_1_store_migrates_to_filter_results)
{
	struct kudos_item *it = make_item("1", "Great");
	upsert(it);
	kudos_item_free(it);
	kudos_store_close(store);
	store = NULL;
	sql_exec(UNDO_FINDINGS_TABLE
	         "ALTER TABLE items DROP COLUMN filter_results;"
	         "ALTER TABLE items DROP COLUMN language_guess;"
	         "ALTER TABLE items DROP COLUMN filter_hash;"
	         "ALTER TABLE items DROP COLUMN filter_setup;"
	         "DROP TABLE excerpts;"
	         "PRAGMA user_version = 1;");
	cr_assert_eq(sql_int("SELECT count(*) FROM pragma_table_info('items')"
	                     " WHERE name = 'filter_results'"), 0);
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
	cr_assert_eq(sql_int("PRAGMA user_version"), 4);
	cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE filter_results = '{}'"
	                     " AND language_guess IS NULL AND filter_setup IS NULL"), 1);
	struct kudos_item *back = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:1", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->field[KUDOS_FIELD_TEXT], "Great");
	cr_assert_eq(back->n_tags, 0);
	cr_assert_eq(back->language_guessed, 0);
	kudos_item_free(back);
}

/* A store of schema 2 (before excerpts) gains their table and keeps its
 * items. */
Test(store, a_store_before_excerpts_gains_them_and_keeps_its_items)
{
	struct kudos_item *it = make_item("1", "Great");
	upsert(it);
	kudos_item_free(it);
	kudos_store_close(store);
	store = NULL;
	sql_exec(UNDO_FINDINGS_TABLE "DROP TABLE excerpts; PRAGMA user_version = 2;");
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
	cr_assert_eq(sql_int("PRAGMA user_version"), 4);
	cr_assert_eq(sql_int("SELECT count(*) FROM excerpts"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 1);
}

/* A store of schema 3 kept what curation found in the items table: it
 * moves to the findings table, and the items read back unchanged. */
Test(store, a_store_with_findings_in_its_items_moves_them_to_their_table)
{
	for (int i = 1; i <= 3; i++) {
		char ext[8];
		snprintf(ext, sizeof ext, "%d", i);
		struct kudos_item *it = make_item(ext, "Great");
		upsert(it);
		kudos_item_free(it);
	}
	kudos_store_close(store);
	store = NULL;
	sql_exec(UNDO_FINDINGS_TABLE
	         "UPDATE items SET flags = 'pii,duplicate', sentiment = 0.5,"
	         " flag_detail = '{\"pii\":\"email: a@b.c\"}', duplicate_of = 'csv:2'"
	         " WHERE id = 'csv:1';"
	         "UPDATE items SET sentiment = -0.25 WHERE id = 'csv:2';"
	         "PRAGMA user_version = 3;");
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
	cr_assert_eq(sql_int("PRAGMA user_version"), 4);
	cr_assert_eq(sql_int("SELECT count(*) FROM pragma_table_info('items')"
	                     " WHERE name IN ('flags', 'flag_detail', 'sentiment', 'duplicate_of')"),
	             0);
	cr_assert_eq(sql_int("SELECT count(*) FROM findings"), 2, "csv:3 found nothing");
	struct kudos_item *back = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:1", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->flags, "pii,duplicate");
	cr_assert_str_eq(back->duplicate_of, "csv:2");
	cr_assert(back->has_sentiment && back->sentiment == 0.5);
	kudos_item_free(back);
	cr_assert_eq(kudos_store_get(store, "csv:3", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->flags, "");
	cr_assert_null(back->duplicate_of);
	cr_assert_not(back->has_sentiment);
	kudos_item_free(back);
}

Test(store, collecting_the_same_item_twice_changes_nothing)
{
	struct kudos_item *it = make_item("1", "Great grinder");
	cr_assert_eq(upsert(it), KUDOS_UPSERT_NEW);
	long long audit = sql_int("SELECT count(*) FROM audit");
	cr_assert_eq(upsert(it), KUDOS_UPSERT_UNCHANGED);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM item_edits"), 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit"), audit);
	kudos_item_free(it);
}

Test(store, an_upstream_edit_updates_the_item_and_is_recorded)
{
	struct kudos_item *it = make_item("1", "Great grinder");
	upsert(it);
	kudos_item_free(it);
	it = make_item("1", "Great grinder, quiet too");
	cr_assert_eq(upsert(it), KUDOS_UPSERT_UPDATED);
	kudos_item_free(it);

	struct kudos_item *got = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:1", &got, &err), 0, "%s", err.msg);
	cr_assert_str_eq(got->field[KUDOS_FIELD_TEXT], "Great grinder, quiet too");
	kudos_item_free(got);
	cr_assert_eq(sql_int("SELECT count(*) FROM item_edits WHERE old_text = 'Great grinder'"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'edited_upstream'"), 1);
}

Test(store, metadata_order_does_not_count_as_an_edit)
{
	struct kudos_item *a = make_item("1", "Nice"), *b = make_item("1", "Nice");
	kudos_item_set_meta(a, "likes", "3");
	kudos_item_set_meta(a, "replies", "1");
	kudos_item_set_meta(b, "replies", "1");
	kudos_item_set_meta(b, "likes", "3");
	upsert(a);
	cr_assert_eq(upsert(b), KUDOS_UPSERT_UNCHANGED);
	kudos_item_free(a);
	kudos_item_free(b);
}

Test(store, consent_grants_once_and_never_over_a_later_state)
{
	struct kudos_item *it = make_item("1", "Yes, quote me");
	it->consent_scopes = strdup("web,print");
	it->consent_evidence = strdup("form consent");
	upsert(it);
	struct kudos_item *got = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:1", &got, &err), 0, "%s", err.msg);
	cr_assert_str_eq(got->field[KUDOS_FIELD_RIGHTS], "granted");
	cr_assert_str_eq(got->grant.scopes, "web,print");
	cr_assert_str_eq(got->grant.evidence, "form consent");
	cr_assert_eq(got->grant.consent_at, 1700000100);
	kudos_item_free(got);

	upsert(it);
	cr_assert_eq(sql_int("SELECT count(*) FROM grants"), 1);
	/* A revoked item stays revoked however often the form is re-read. */
	sql_exec("UPDATE items SET rights = 'revoked'");
	upsert(it);
	cr_assert_eq(sql_int("SELECT count(*) FROM grants"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM items WHERE rights = 'revoked'"), 1);
	kudos_item_free(it);
}

Test(store, a_rolled_back_transaction_leaves_nothing)
{
	struct kudos_item *it = make_item("1", "Half a run");
	int outcome;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_upsert(store, it, "csv", NULL, 1, &outcome, &err), 0);
	kudos_store_rollback(store);
	kudos_item_free(it);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 0);
}

Test(store, nested_transactions_roll_back_as_a_whole)
{
	struct kudos_item *it = make_item("1", "Dry run");
	int outcome;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_upsert(store, it, "csv", NULL, 1, &outcome, &err), 0);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	kudos_store_rollback(store);
	kudos_item_free(it);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 0);
}

Test(store, curation_changes_are_audited_and_unknown_ids_refused)
{
	struct kudos_item *it = make_item("1", "Lovely");
	upsert(it);
	kudos_item_free(it);
	int changed;
	cr_assert_eq(kudos_store_set_curation(store, "csv:1", "approved", "ada", NULL, 5, &changed,
	                                      &err), 0, "%s", err.msg);
	cr_assert_eq(changed, 1);
	cr_assert_eq(kudos_store_set_curation(store, "csv:1", "approved", "ada", NULL, 6, &changed,
	                                      &err), 0);
	cr_assert_eq(changed, 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE action = 'curation'"
	                     " AND from_state = 'new' AND to_state = 'approved' AND actor = 'ada'"), 1);
	cr_assert_eq(kudos_store_set_curation(store, "csv:nope", "approved", "ada", NULL, 6,
	                                      &changed, &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "csv:nope"), "%s", err.msg);
}

static void fill_audit(void)
{
	struct kudos_item *it = make_item("1", "Chain me");
	it->consent_scopes = strdup("web");
	it->consent_evidence = strdup("form consent");
	upsert(it);
	kudos_item_free(it);
	int changed;
	kudos_store_set_curation(store, "csv:1", "approved", "ada", NULL, 10, &changed, &err);
	kudos_store_set_curation(store, "csv:1", "rejected", "bob", "changed my mind", 11, &changed,
	                         &err);
	cr_assert_eq(err.status, 0, "%s", err.msg);
}

Test(store, the_audit_chain_verifies)
{
	fill_audit();
	int64_t n, bad;
	cr_assert_eq(kudos_store_audit_verify(store, &n, &bad, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 3);
	cr_assert_eq(bad, 0);
}

Test(store, the_audit_trail_refuses_updates_and_deletes)
{
	fill_audit();
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "UPDATE audit SET actor = 'mallory'", NULL, NULL, NULL),
	              SQLITE_OK);
	cr_assert_neq(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

Test(store, editing_an_entry_behind_kudos_breaks_the_chain)
{
	fill_audit();
	sql_exec("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 2");
	int64_t n, bad;
	cr_assert_eq(kudos_store_audit_verify(store, &n, &bad, &err), 0, "%s", err.msg);
	cr_assert_eq(bad, 2);
}

Test(store, deleting_an_entry_behind_kudos_breaks_the_chain)
{
	fill_audit();
	sql_exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
	int64_t n, bad;
	cr_assert_eq(kudos_store_audit_verify(store, &n, &bad, &err), 0, "%s", err.msg);
	cr_assert_eq(bad, 3);
}

Test(store, a_file_that_is_not_a_store_is_refused_as_input)
{
	char *junk = kt_path(dir, "junk.db");
	kt_write(junk, "this is not a database, it is a shopping list\n");
	struct kudos_store *s2 = NULL;
	struct kudos_error e2 = {0};
	cr_assert_eq(kudos_store_open(junk, &s2, &e2), -1);
	cr_assert_eq(e2.status, KUDOS_EXIT_INPUT, "%s", e2.msg);
	cr_assert(strstr(e2.msg, junk), "%s", e2.msg);
	free(junk);
}

Test(store, a_store_from_a_newer_kudos_is_refused)
{
	kudos_store_close(store);
	store = NULL;
	sql_exec("PRAGMA user_version = 99");
	struct kudos_error e2 = {0};
	cr_assert_eq(kudos_store_open(db_path, &store, &e2), -1);
	cr_assert(strstr(e2.msg, "newer"), "%s", e2.msg);
}

Test(store, a_second_writer_waits_instead_of_failing)
{
	/* A child holds the write lock for a moment; our transaction must
	 * wait for it (busy timeout) and then succeed. */
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		sqlite3 *db;
		sqlite3_open(db_path, &db);
		sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO optouts VALUES ('x', 1, 'child')",
		             NULL, NULL, NULL);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		usleep(400 * 1000);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(db);
		_exit(0);
	}
	char c;
	cr_assert_eq(read(ready[0], &c, 1), 1);
	struct kudos_item *it = make_item("1", "Patience");
	cr_assert_eq(upsert(it), KUDOS_UPSERT_NEW);
	kudos_item_free(it);
	int ws;
	waitpid(pid, &ws, 0);
	cr_assert_eq(sql_int("SELECT count(*) FROM optouts"), 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM items"), 1);
}

Test(store, aggregate_counts_every_rated_item_of_the_sources)
{
	struct kudos_item *a = make_item("1", "Five"), *b = make_item("2", "Eight of ten");
	a->rating = 5;
	b->rating = 8;
	b->rating_scale = 10;
	upsert(a);
	upsert(b);
	kudos_item_free(a);
	kudos_item_free(b);
	int64_t n;
	double avg;
	const char *const only_csv[] = {"csv", NULL}, *const other[] = {"x", NULL};
	cr_assert_eq(kudos_store_aggregate(store, only_csv, &n, &avg, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert_float_eq(avg, 4.5, 1e-9);
	cr_assert_eq(kudos_store_aggregate(store, other, &n, &avg, &err), 0);
	cr_assert_eq(n, 0);
}

Test(store, cursors_round_trip_per_source)
{
	char *v = NULL;
	cr_assert_eq(kudos_store_cursor_set(store, "job/sources[0]", "since", "123", &err), 0);
	cr_assert_eq(kudos_store_cursor_set(store, "job/sources[0]", "since", "456", &err), 0);
	cr_assert_eq(kudos_store_cursor_get(store, "job/sources[0]", "since", &v, &err), 0);
	cr_assert_str_eq(v, "456");
	free(v);
	cr_assert_eq(kudos_store_cursor_get(store, "job/sources[1]", "since", &v, &err), 0);
	cr_assert_null(v);
}

static int64_t approved_at(const char *id, int *has)
{
	struct kudos_item *it = NULL;
	int64_t t = -1;
	cr_assert_eq(kudos_store_get(store, id, &it, &err), 0, "%s", err.msg);
	*has = kudos_host_table.item_get_time(it, KUDOS_TIME_APPROVED, &t);
	cr_expect_eq(*has, it->has_approved_at, "the host reads what the store loaded");
	kudos_item_free(it);
	return t;
}

static void curate(const char *id, const char *state, int64_t at)
{
	int changed;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_set_curation(store, id, state, "test", NULL, at, &changed, &err), 0,
	             "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0);
}

/* KUDOS_TIME_APPROVED: when the curation last became approved, from the
 * audit trail, and only while it is approved. */
Test(store, the_approval_time_is_the_latest_approval_while_approved)
{
	struct kudos_item *it = make_item("1", "Great");
	upsert(it);
	int has;
	approved_at("csv:1", &has);
	cr_expect_eq(has, 0, "a new item has no approval time");
	curate("csv:1", "approved", 1700001000);
	cr_expect_eq(approved_at("csv:1", &has), 1700001000);
	cr_expect_eq(has, 1);
	curate("csv:1", "approved", 1700002000); /* no change: no new approval */
	cr_expect_eq(approved_at("csv:1", &has), 1700001000);
	curate("csv:1", "rejected", 1700003000);
	approved_at("csv:1", &has);
	cr_expect_eq(has, 0, "a rejected item has no approval time");
	curate("csv:1", "approved", 1700004000);
	cr_expect_eq(approved_at("csv:1", &has), 1700004000, "approved again: the new time");
	/* read-only for sources */
	cr_expect_eq(kudos_host_table.item_set_time(it, KUDOS_TIME_APPROVED, 1700005000),
	             KUDOS_EINVAL);
	kudos_item_free(it);
}
