/* The render gate: every reason to refuse, the credit redaction, and proof
 * through the real binary that an output never receives a refused item. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "helpers.h"
#include "leakcheck.h"
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

TestSuite(gate, .init = setup, .fini = teardown);

#define NOW 1800000000LL

/* One item in the store, in the given states.  `scopes` NULL: no grant. */
static void add(const char *ext, const char *author, const char *curation, const char *scopes,
                int64_t from, int64_t until, const char *credit)
{
	struct kudos_item *it = kudos_item_new("csv", ext);
	kudos_item_put(it, KUDOS_FIELD_TEXT, "Words worth quoting");
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, author);
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_HANDLE, "@ada@example.social");
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_URL, "https://example.social/@ada");
	it->has_time[KUDOS_TIME_CREATED] = 1;
	it->time[KUDOS_TIME_CREATED] = 1700000000 + atoi(ext);
	int outcome, changed;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_upsert(store, it, "csv", NULL, NOW, &outcome, &err), 0, "%s",
	             err.msg);
	if (scopes) {
		struct kudos_grant_input g = {.scopes = scopes, .from = from, .until = until,
		                              .evidence = "reply #123", .credit = credit};
		cr_assert_eq(kudos_store_grant(store, it->field[KUDOS_FIELD_ID], &g, "test", NULL, NOW,
		                               &err), 0, "%s", err.msg);
	}
	cr_assert_eq(kudos_store_set_curation(store, it->field[KUDOS_FIELD_ID], curation, "test",
	                                      NULL, NOW, &changed, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0);
	kudos_item_free(it);
}

static int verdict_of(const char *id, const char *scope, int64_t at)
{
	struct kudos_item *it = NULL;
	int v = -1;
	cr_assert_eq(kudos_store_get(store, id, &it, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_gate_check(store, it, scope, at, &v, &err), 0, "%s", err.msg);
	kudos_item_free(it);
	return v;
}

Test(gate, each_condition_refuses_on_its_own)
{
	add("1", "Ada", "approved", "web,print", 0, 0, NULL);
	add("2", "Bea", "new", "web", 0, 0, NULL);
	add("3", "Cy", "rejected", "web", 0, 0, NULL);
	add("4", "Di", "approved", NULL, 0, 0, NULL);
	add("5", "Ed", "approved", "print", 0, 0, NULL);
	add("6", "Fa", "approved", "web", NOW + 3600, 0, NULL);
	add("7", "Gus", "approved", "web", 0, NOW - 1, NULL);
	add("8", "Hal", "approved", "web", 0, 0, NULL);
	cr_assert_eq(kudos_store_optout(store, "Hal", "test", NOW, &err), 0, "%s", err.msg);

	cr_assert_eq(verdict_of("csv:1", "web", NOW), KUDOS_GATE_PASS);
	cr_assert_eq(verdict_of("csv:1", "print", NOW), KUDOS_GATE_PASS);
	cr_assert_eq(verdict_of("csv:1", "social", NOW), KUDOS_GATE_OUT_OF_SCOPE);
	cr_assert_eq(verdict_of("csv:2", "web", NOW), KUDOS_GATE_NOT_APPROVED);
	cr_assert_eq(verdict_of("csv:3", "web", NOW), KUDOS_GATE_NOT_APPROVED);
	cr_assert_eq(verdict_of("csv:4", "web", NOW), KUDOS_GATE_NOT_GRANTED);
	cr_assert_eq(verdict_of("csv:5", "web", NOW), KUDOS_GATE_OUT_OF_SCOPE);
	cr_assert_eq(verdict_of("csv:6", "web", NOW), KUDOS_GATE_OUTSIDE_WINDOW);
	cr_assert_eq(verdict_of("csv:6", "web", NOW + 3600), KUDOS_GATE_PASS);
	cr_assert_eq(verdict_of("csv:7", "web", NOW), KUDOS_GATE_OUTSIDE_WINDOW);
	cr_assert_eq(verdict_of("csv:7", "web", NOW - 2), KUDOS_GATE_PASS);
	cr_assert_eq(verdict_of("csv:8", "web", NOW), KUDOS_GATE_OPTED_OUT);
}

Test(gate, a_scope_that_is_a_prefix_of_a_granted_one_is_not_granted)
{
	add("1", "Ada", "approved", "social", 0, 0, NULL);
	cr_assert_eq(verdict_of("csv:1", "soc", NOW), KUDOS_GATE_OUT_OF_SCOPE);
}

Test(gate, a_granted_item_whose_rights_moved_on_is_refused)
{
	add("1", "Ada", "approved", "web", 0, 0, NULL);
	/* The grant row stays after a revocation; the state decides. */
	struct kudos_item *it = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:1", &it, &err), 0);
	kudos_item_put(it, KUDOS_FIELD_RIGHTS, "revoked");
	int v;
	cr_assert_eq(kudos_gate_check(store, it, "web", NOW, &v, &err), 0);
	cr_assert_eq(v, KUDOS_GATE_NOT_GRANTED);
	kudos_item_free(it);
}

struct seen {
	char ids[16][32];
	char names[16][64];
	int has_handle[16];
	int n;
};

static int record(void *ud, const struct kudos_item *it)
{
	struct seen *s = ud;
	cr_assert_lt(s->n, 16);
	snprintf(s->ids[s->n], 32, "%s", it->field[KUDOS_FIELD_ID]);
	snprintf(s->names[s->n], 64, "%s",
	         it->field[KUDOS_FIELD_AUTHOR_NAME] ? it->field[KUDOS_FIELD_AUTHOR_NAME] : "(none)");
	s->has_handle[s->n] = it->field[KUDOS_FIELD_AUTHOR_HANDLE] != NULL;
	s->n++;
	return 0;
}

Test(gate, each_visits_only_passing_items_newest_first)
{
	add("1", "Ada", "approved", "web", 0, 0, NULL);
	add("2", "Bea", "new", "web", 0, 0, NULL);
	add("3", "Cy", "approved", "web", 0, 0, NULL);
	add("4", "Di", "approved", "print", 0, 0, NULL);
	struct seen s = {0};
	long refused = 0;
	cr_assert_eq(kudos_gate_each(store, NULL, "web", NOW, record, &s, &refused, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.ids[0], "csv:3");
	cr_assert_str_eq(s.ids[1], "csv:1");
	cr_assert_eq(refused, 2);
}

Test(gate, outputs_see_the_author_as_the_grant_credits_them)
{
	add("1", "Ada Lovelace", "approved", "web", 0, 0, "full");
	add("2", "Bea Rivers", "approved", "web", 0, 0, "first");
	add("3", "Cy Da Silva", "approved", "web", 0, 0, "initials");
	add("4", "Di Prince", "approved", "web", 0, 0, "anonymous");
	add("5", "Ed Stone", "approved", "web", 0, 0, "handle");
	struct seen s = {0};
	cr_assert_eq(kudos_gate_each(store, NULL, "web", NOW, record, &s, NULL, &err), 0);
	cr_assert_eq(s.n, 5);
	/* newest first: 5, 4, 3, 2, 1 */
	cr_assert_str_eq(s.names[0], "@ada@example.social");
	cr_assert_str_eq(s.names[1], "(none)");
	cr_assert_eq(s.has_handle[1], 0);
	cr_assert_str_eq(s.names[2], "C. D. S.");
	cr_assert_eq(s.has_handle[2], 0);
	cr_assert_str_eq(s.names[3], "Bea");
	cr_assert_eq(s.has_handle[3], 0);
	cr_assert_str_eq(s.names[4], "Ada Lovelace");
	cr_assert_eq(s.has_handle[4], 1);
}

Test(gate, unknown_scopes_are_refused)
{
	cr_assert_eq(kudos_gate_each(store, NULL, "billboards", NOW, record, NULL, NULL, &err), -1);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
}

/* Through the real binary: every kind of refused item sits in the store
 * beside passing ones, and the widget holds exactly the passing ones. */
Test(gate, no_output_receives_an_item_the_gate_refuses)
{
	add("1", "Ada", "approved", "web", 0, 0, NULL);
	add("2", "Bea", "new", "web", 0, 0, NULL);
	add("3", "Cy", "rejected", "web", 0, 0, NULL);
	add("4", "Di", "approved", NULL, 0, 0, NULL);
	add("5", "Ed", "approved", "print,social", 0, 0, NULL);
	add("6", "Fa", "approved", "web", 4102444800LL, 0, NULL); /* from 2100 */
	add("7", "Gus", "approved", "web", 0, 1000000000LL, NULL); /* until 2001 */
	add("8", "Hal", "approved", "web", 0, 0, NULL);
	add("9", "Ivy", "approved", "web,print", 0, 0, NULL);
	cr_assert_eq(kudos_store_optout(store, "Hal", "test", NOW, &err), 0);
	kudos_store_close(store);
	store = NULL;

	char *job = kt_job(dir, "{\"name\": \"gate\", \"store\": \"k.db\", \"outputs\": ["
	                        "{\"plugin\": \"widget-json\", \"path\": \"out/w.json\"}]}");
	struct kt_run r = kt_kudos(dir, "render", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	char *wpath = kt_path(dir, "out/w.json"), *text = kt_read(wpath);
	cr_assert(text, "widget not written: %s", r.err);
	cJSON *doc = cJSON_Parse(text);
	cr_assert(doc);
	const cJSON *items = cJSON_GetObjectItem(doc, "items"), *e;
	char got[256] = "";
	cJSON_ArrayForEach(e, items)
	{
		strcat(got, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")));
		strcat(got, " ");
	}
	cr_assert_str_eq(got, "csv:9 csv:1 ", "widget holds: %s", got);
	cJSON_Delete(doc);
	free(text);
	free(wpath);
	free(job);
	kt_run_free(&r);
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0);
}
