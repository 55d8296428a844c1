/*
 * kudos review's decision logic, in-process: the queue's order and its
 * duplicate groups, decisions saved at once, a decision someone else made
 * first never overwritten, undo audited rather than erased, and rights
 * requests and grants.  test_review.c drives the real binary in a
 * terminal.
 */
#include <criterion/criterion.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "leakcheck.h"
#include "review.h"
#include "store.h"

static char *dir, *db_path;
static struct kudos_store *store;
static struct kudos_error err;
static struct kudos_job the_job;

static void logic_setup(void)
{
	cr_assert(sodium_init() >= 0);
	dir = kt_tmpdir();
	db_path = kt_path(dir, "k.db");
	memset(&err, 0, sizeof err);
	memset(&the_job, 0, sizeof the_job);
	the_job.name = "t";
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0, "%s", err.msg);
}

static void logic_teardown(void)
{
	kudos_store_close(store);
	kt_rmtree(dir);
	free(db_path);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

/* An item with a rating (0: none) and a creation day, then what
 * curation found: flags, sentiment (99: none), duplicate_of. */
static void add(const char *ext, double rating, int day, const char *flags, double sentiment,
                const char *dup_of)
{
	char id[64];
	struct kudos_item *it = kudos_item_new("csv", ext);
	kudos_item_put(it, KUDOS_FIELD_TEXT, "Words worth quoting");
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, "Ada");
	if (rating > 0) {
		it->has_rating = 1;
		it->rating = rating;
		it->rating_scale = 5;
	}
	it->has_time[KUDOS_TIME_CREATED] = 1;
	it->time[KUDOS_TIME_CREATED] = 1767225600 + (int64_t)day * 86400;
	int outcome;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_upsert(store, it, "csv", NULL, 1000, &outcome, &err), 0, "%s",
	             err.msg);
	snprintf(id, sizeof id, "csv:%s", ext);
	cr_assert_eq(kudos_store_set_analysis(store, id, flags, "{}", sentiment != 99, sentiment,
	                                      dup_of, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0);
	kudos_item_free(it);
}

/* The ids the review shows, in order, skipping through all of them. */
static void walk(struct kudos_review *r, char *out, size_t size)
{
	struct kudos_item *it;
	out[0] = '\0';
	for (;;) {
		cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0, "%s", err.msg);
		if (!it)
			break;
		snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "",
		         it->field[KUDOS_FIELD_ID] + 4);
		kudos_item_free(it);
		kudos_review_skip(r);
	}
}

static const char *curation(const char *id)
{
	static struct kudos_item *it;
	static char state[16];
	cr_assert_eq(kudos_store_get(store, id, &it, &err), 0, "%s", err.msg);
	snprintf(state, sizeof state, "%s", it->field[KUDOS_FIELD_CURATION]);
	kudos_item_free(it);
	return state;
}

struct audit_log {
	char text[4096];
};

static int log_entry(void *ud, const struct kudos_audit_entry *e)
{
	struct audit_log *l = ud;
	snprintf(l->text + strlen(l->text), sizeof l->text - strlen(l->text), "%s %s %s>%s|",
	         e->action, e->actor, e->from_state ? e->from_state : "-",
	         e->to_state ? e->to_state : "-");
	return 0;
}

static const char *history(const char *id)
{
	static struct audit_log l;
	l.text[0] = '\0';
	cr_assert_eq(kudos_store_history(store, id, log_entry, &l, &err), 0, "%s", err.msg);
	return l.text;
}

TestSuite(logic, .init = logic_setup, .fini = logic_teardown);

Test(logic, the_queue_puts_the_best_candidates_first_and_keeps_groups_together)
{
	/* unflagged before flagged; then rating (unrated = 3), sentiment,
	 * newer; d1 and d2 are near-copies of a5, decided items are left out. */
	add("a5", 5, 1, "", 0.5, NULL);
	add("b5", 5, 2, "", 0.9, NULL);
	add("c4", 4, 3, "", 0.9, NULL);
	add("u0", 0, 4, "", 0.9, NULL);          /* unrated: as a 3 */
	add("e3", 3, 5, "", 0.9, NULL);          /* a 3, newer than u0 */
	add("f5", 5, 6, "pii", 0.9, NULL);       /* flagged: after every unflagged one */
	add("g2", 2, 7, "negative", -0.6, NULL);
	add("d1", 1, 8, "duplicate", 0.1, "csv:a5");
	add("d2", 5, 9, "duplicate,pii", 0.1, "csv:a5");
	add("x5", 5, 10, "", 0.99, NULL);
	int changed;
	cr_assert_eq(kudos_store_set_curation(store, "csv:x5", "approved", "t", NULL, 1, &changed,
	                                      &err), 0);
	struct kudos_review *r;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "default", &r, &err), 0, "%s",
	             err.msg);
	char order[256];
	walk(r, order, sizeof order);
	cr_assert_str_eq(order, "b5 a5 d1 d2 c4 e3 u0 f5 g2");

	const struct kudos_review_peer *p;
	size_t n = kudos_review_peers(r, "csv:d1", &p);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(p[0].id, "csv:a5");
	cr_assert(p[0].representative);
	cr_assert_str_eq(p[1].id, "csv:d2", "the others in review order");
	cr_assert(!p[1].representative);
	cr_assert_str_eq(p[1].curation, "new");
	cr_assert_eq(kudos_review_peers(r, "csv:a5", &p), 2);
	cr_assert_eq(kudos_review_peers(r, "csv:c4", &p), 0);

	struct kudos_review_status st;
	kudos_review_status(r, &st);
	cr_assert_eq(st.total, 9);
	cr_assert_eq(st.skipped, 9);
	cr_assert_str_eq(st.actor, "review:alice");
	kudos_review_free(r);
}

Test(logic, a_duplicate_whose_representative_is_decided_takes_its_own_place)
{
	add("a5", 5, 1, "", 0.5, NULL);
	add("b4", 4, 2, "", 0.5, NULL);
	add("d1", 1, 3, "duplicate", 0.5, "csv:a5");
	int changed;
	cr_assert_eq(kudos_store_set_curation(store, "csv:a5", "approved", "t", NULL, 1, &changed,
	                                      &err), 0);
	struct kudos_review *r;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "default", &r, &err), 0);
	char order[128];
	walk(r, order, sizeof order);
	cr_assert_str_eq(order, "b4 d1");
	const struct kudos_review_peer *p;
	cr_assert_eq(kudos_review_peers(r, "csv:d1", &p), 1);
	cr_assert_str_eq(p[0].curation, "approved", "the representative's state is shown");
	kudos_review_free(r);
}

Test(logic, decisions_are_saved_at_once_and_undo_is_audited_not_erased)
{
	add("a", 5, 1, "", 0.5, NULL);
	add("b", 4, 1, "", 0.5, NULL);
	struct kudos_review *r;
	struct kudos_item *it;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "default", &r, &err), 0);
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	cr_assert_str_eq(it->field[KUDOS_FIELD_ID], "csv:a");
	kudos_item_free(it);
	cr_assert_eq(kudos_review_approve(r, 10, &err), 0, "%s", err.msg);
	cr_assert_str_eq(curation("csv:a"), "approved", "saved before the next item is shown");
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	cr_assert_str_eq(it->field[KUDOS_FIELD_ID], "csv:b");
	kudos_item_free(it);
	cr_assert_eq(kudos_review_reject(r, "off topic", 11, &err), 0, "%s", err.msg);
	cr_assert_str_eq(curation("csv:b"), "rejected");

	const char *what, *id;
	cr_assert_eq(kudos_review_undo(r, 12, &what, &id, &err), 0, "%s", err.msg);
	cr_assert_str_eq(what, "reject");
	cr_assert_str_eq(id, "csv:b");
	cr_assert_str_eq(curation("csv:b"), "new");
	cr_assert_str_eq(history("csv:b"),
	                 "curation review:alice new>rejected|undo review:alice rejected>new|");
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	cr_assert_str_eq(it->field[KUDOS_FIELD_ID], "csv:b", "the undone item is current again");
	kudos_item_free(it);
	cr_assert_eq(kudos_review_undo(r, 13, &what, &id, &err), 0);
	cr_assert_str_eq(id, "csv:a");
	cr_assert_str_eq(curation("csv:a"), "new");
	cr_assert_neq(kudos_review_undo(r, 14, &what, &id, &err), 0);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "nothing to undo"), "%s", err.msg);

	int64_t n, bad;
	cr_assert_eq(kudos_store_audit_verify(store, &n, &bad, &err), 0);
	cr_assert_eq(n, 4);
	cr_assert_eq(bad, 0);
	kudos_review_free(r);
}

Test(logic, a_decision_someone_else_made_first_is_never_overwritten)
{
	add("a", 5, 1, "", 0.5, NULL);
	add("b", 4, 1, "", 0.5, NULL);
	struct kudos_review *r;
	struct kudos_item *it;
	size_t passed;
	int changed;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "default", &r, &err), 0);
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	kudos_item_free(it);
	/* Bob approves csv:a from another terminal while Alice looks at it. */
	cr_assert_eq(kudos_store_set_curation(store, "csv:a", "approved", "bob", NULL, 5, &changed,
	                                      &err), 0);
	cr_assert_eq(kudos_review_reject(r, "nah", 6, &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "someone else decided it"), "%s", err.msg);
	cr_assert_str_eq(curation("csv:a"), "approved");
	memset(&err, 0, sizeof err);
	cr_assert_eq(kudos_review_current(r, &it, &passed, &err), 0);
	cr_assert_eq(passed, 1);
	cr_assert_str_eq(it->field[KUDOS_FIELD_ID], "csv:b");
	kudos_item_free(it);

	/* Alice approves b; Bob rejects it; Alice's undo must not reopen it. */
	cr_assert_eq(kudos_review_approve(r, 7, &err), 0);
	cr_assert_eq(kudos_store_set_curation(store, "csv:b", "rejected", "bob", NULL, 8, &changed,
	                                      &err), 0);
	cr_assert_eq(kudos_review_undo(r, 9, NULL, NULL, &err), -1);
	cr_assert(strstr(err.msg, "rejected now, no longer approved"), "%s", err.msg);
	cr_assert_str_eq(curation("csv:b"), "rejected");
	memset(&err, 0, sizeof err);
	cr_assert_eq(kudos_review_undo(r, 10, NULL, NULL, &err), -1);
	cr_assert(strstr(err.msg, "nothing to undo"), "an overtaken decision leaves the stack: %s",
	          err.msg);
	kudos_review_free(r);
}

Test(logic, request_and_grant_change_rights_and_stay_on_the_item)
{
	add("a", 5, 1, "", 0.5, NULL);
	the_job.rights.hashtag = "#YesAcme";
	struct kudos_review *r;
	struct kudos_item *it;
	char state[16], *message = NULL;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "default", &r, &err), 0);
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	kudos_item_free(it);
	cr_assert_eq(kudos_review_request(r, 10, &message, &err), 0, "%s", err.msg);
	cr_assert(message && strstr(message, "#YesAcme"), "%s", message ? message : "(null)");
	free(message);
	cr_assert_eq(kudos_store_rights_of(store, "csv:a", state, &err), 0);
	cr_assert_str_eq(state, "requested");
	cr_assert_eq(kudos_review_request(r, 11, &message, &err), -1, "requested twice");
	cr_assert_null(message);
	cr_assert(strstr(err.msg, "cannot become 'requested'"), "%s", err.msg);
	memset(&err, 0, sizeof err);

	cr_assert_eq(kudos_review_grant(r, "web,sky", "yes", 12, &err), -1);
	cr_assert(strstr(err.msg, "web, print, social, ads"), "%s", err.msg);
	memset(&err, 0, sizeof err);
	cr_assert_eq(kudos_review_grant(r, "print, web", "", 12, &err), -1);
	cr_assert(strstr(err.msg, "evidence"), "%s", err.msg);
	memset(&err, 0, sizeof err);
	cr_assert_eq(kudos_review_grant(r, "print, web", "DM of 3 March", 12, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(kudos_review_current(r, &it, NULL, &err), 0);
	cr_assert_str_eq(it->field[KUDOS_FIELD_ID], "csv:a", "a rights decision stays on the item");
	cr_assert_str_eq(it->field[KUDOS_FIELD_RIGHTS], "granted");
	cr_assert_str_eq(it->field[KUDOS_FIELD_SCOPES], "web,print");
	kudos_item_free(it);

	const char *what;
	cr_assert_eq(kudos_review_undo(r, 13, &what, NULL, &err), 0, "%s", err.msg);
	cr_assert_str_eq(what, "grant");
	cr_assert_eq(kudos_store_rights_of(store, "csv:a", state, &err), 0);
	cr_assert_str_eq(state, "requested");
	cr_assert_eq(kudos_review_undo(r, 14, &what, NULL, &err), 0, "%s", err.msg);
	cr_assert_str_eq(what, "request");
	cr_assert_eq(kudos_store_rights_of(store, "csv:a", state, &err), 0);
	cr_assert_str_eq(state, "none");
	cr_assert_str_eq(history("csv:a"),
	                 "request review:alice none>requested|grant review:alice requested>granted|"
	                 "undo review:alice granted>requested|undo review:alice requested>none|");
	kudos_review_free(r);
}

Test(logic, an_unknown_request_template_is_refused_up_front)
{
	struct kudos_review *r = NULL;
	cr_assert_eq(kudos_review_open(store, &the_job, "alice", "friendly", &r, &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "no request template 'friendly'"), "%s", err.msg);
	cr_assert_null(r);
}
