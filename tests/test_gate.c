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
#include "text.h"

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
static void add_by(const char *ext, const char *author, const char *handle,
                   const char *curation, const char *scopes, int64_t from, int64_t until,
                   const char *credit)
{
	struct kudos_item *it = kudos_item_new("csv", ext);
	kudos_item_put(it, KUDOS_FIELD_TEXT, "Words worth quoting");
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, author);
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_HANDLE, handle);
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

static void add(const char *ext, const char *author, const char *curation, const char *scopes,
                int64_t from, int64_t until, const char *credit)
{
	add_by(ext, author, "@ada@example.social", curation, scopes, from, until, credit);
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

/* ---- planning outputs ------------------------------------------------------ */

#define D2030 1893456000LL /* 2030-01-01T00:00:00Z */
#define DAY 86400LL

Test(gate, a_span_passes_an_item_whose_window_opens_or_closes_inside_it)
{
	add("1", "Ada", "approved", "social", NOW + 3600, 0, NULL);
	add("2", "Bea", "approved", "social", 0, NOW + 60, NULL);
	add("3", "Cy", "approved", "social", NOW + 7200, NOW + 7300, NULL);
	add("4", "Di", "approved", "web", NOW + 3600, 0, NULL);
	add("5", "Ed", "approved", "social", NOW + 3600, 0, NULL);
	cr_assert_eq(kudos_store_optout(store, "Ed", "test", NOW, &err), 0);
	static const struct {
		const char *id;
		int64_t from, until;
		int want;
	} c[] = {
		{"csv:1", NOW, NOW + 3600, KUDOS_GATE_OUTSIDE_WINDOW}, /* opens as the span ends */
		{"csv:1", NOW, NOW + 3601, KUDOS_GATE_PASS},
		{"csv:1", NOW + 9000, NOW + 9001, KUDOS_GATE_PASS},
		{"csv:2", NOW + 59, NOW + 1000, KUDOS_GATE_PASS},
		{"csv:2", NOW + 60, NOW + 1000, KUDOS_GATE_OUTSIDE_WINDOW}, /* closed at its start */
		{"csv:3", NOW, NOW + 7201, KUDOS_GATE_PASS},
		{"csv:3", NOW + 7300, NOW + 9000, KUDOS_GATE_OUTSIDE_WINDOW},
		{"csv:4", NOW, NOW + DAY, KUDOS_GATE_OUT_OF_SCOPE},
		{"csv:5", NOW, NOW + DAY, KUDOS_GATE_OPTED_OUT},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct kudos_item *it = NULL;
		int v = -1;
		cr_assert_eq(kudos_store_get(store, c[i].id, &it, &err), 0, "%s", err.msg);
		cr_assert_eq(kudos_gate_check_span(store, it, "social", c[i].from, c[i].until, &v,
		                                   &err), 0, "%s", err.msg);
		cr_expect_eq(v, c[i].want, "case %zu (%s): verdict %s, expected %s", i, c[i].id,
		             kudos_gate_reason(v), kudos_gate_reason(c[i].want));
		kudos_item_free(it);
	}
}

struct booked {
	char ids[16][32];
	int n;
};

static int note_id(void *ud, const struct kudos_item *it)
{
	struct booked *b = ud;
	cr_assert_lt(b->n, 16);
	snprintf(b->ids[b->n++], 32, "%s", it->field[KUDOS_FIELD_ID]);
	return 0;
}

/* The book a planning output asks (gate_check_at) judges every item it was
 * handed exactly as the gate judges the stored item, at any time. */
Test(gate, the_book_of_a_planning_output_agrees_with_the_gate_at_every_time)
{
	add("1", "Ada", "approved", "social", 0, 0, NULL);
	add("2", "Bea", "approved", "social,web", NOW + 5 * DAY, 0, NULL);
	add("3", "Cy", "approved", "social", 0, NOW + 2 * DAY, NULL);
	add("4", "Di", "approved", "social", NOW + DAY, NOW + 3 * DAY, NULL);
	add("5", "Ed", "approved", "social", NOW + 30 * DAY, 0, NULL); /* after the span */
	add("6", "Fa", "new", "social", 0, 0, NULL);
	add("7", "Gus", "approved", "print", 0, 0, NULL);
	add("8", "Hal", "approved", "social", 0, 0, NULL);
	cr_assert_eq(kudos_store_optout(store, "Hal", "test", NOW, &err), 0);
	struct kudos_gate_book book = {0};
	struct booked seen = {0};
	long refused = 0;
	cr_assert_eq(kudos_gate_each_span(store, NULL, "social", NOW, NOW + 10 * DAY, &book,
	                                  note_id, &seen, &refused, &err), 0, "%s", err.msg);
	char got[128] = "";
	for (int i = 0; i < seen.n; i++)
		strcat(strcat(got, seen.ids[i]), " ");
	cr_expect_str_eq(got, "csv:4 csv:3 csv:2 csv:1 ", "handed over: %s", got);
	cr_expect_eq(refused, 4);
	cr_assert_eq(book.n, (size_t)seen.n, "the book holds what was handed over");
	for (int i = 0; i < seen.n; i++) {
		struct kudos_item *it = NULL;
		cr_assert_eq(kudos_store_get(store, seen.ids[i], &it, &err), 0);
		for (int64_t t = NOW - DAY; t < NOW + 12 * DAY; t += 3 * 3600) {
			int want = -1, got_v = -1;
			cr_assert_eq(kudos_gate_check(store, it, "social", t, &want, &err), 0);
			cr_assert_eq(kudos_gate_book_check(&book, seen.ids[i], "social", t, &got_v), 0);
			cr_expect_eq(got_v, want, "%s at %lld: book says %s, gate %s", seen.ids[i],
			             (long long)t, kudos_gate_reason(got_v), kudos_gate_reason(want));
			cr_assert_eq(kudos_gate_book_check(&book, seen.ids[i], "web", t, &got_v), 0);
			cr_assert_eq(kudos_gate_check(store, it, "web", t, &want, &err), 0);
			cr_expect_eq(got_v, want, "%s for web at %lld", seen.ids[i], (long long)t);
		}
		kudos_item_free(it);
	}
	int v;
	cr_expect_eq(kudos_gate_book_check(&book, "csv:5", "social", NOW + 31 * DAY, &v), -1,
	             "an item never handed over is not in the book");
	kudos_gate_book_free(&book);
}

/* A line of planner.txt: the id, then the verdicts. */
static const char *line_of(const char *text, const char *id, char *out, size_t n)
{
	char key[64];
	snprintf(key, sizeof key, "%s ", id);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (!strncmp(p, key, strlen(key))) {
			snprintf(out, n, "%.*s", (int)(len - strlen(key)), p + strlen(key));
			return out;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static char *out_file(const char *name)
{
	char *p = kt_path(dir, name), *t = kt_read(p);
	cr_assert(t, "%s was not written", name);
	free(p);
	return t;
}

/* Through the real binary, with outputs that plan (the test plugin
 * "planner", reposts) beside outputs that do not (probe, widget-json): a
 * grant that starts after today reaches the planners only, each slot is
 * judged at its own time, and every post reposts planned passes the gate
 * at its time. */
Test(gate, planning_outputs_see_future_grants_and_the_others_only_what_passes_now)
{
	add_by("1", "Ada", "@ada@example.social", "approved", "social", 0, 0, NULL);
	add_by("2", "Bea", "@bea@example.social", "approved", "social", D2030 + 4 * DAY, 0, NULL);
	add_by("3", "Cy", "@cy@example.social", "approved", "social", 0, 1000000000LL, NULL);
	add_by("4", "Di", "@di@example.social", "approved", "social", 4102444800LL, 0, NULL);
	add_by("5", "Ed", "@ed@example.social", "new", "social", 0, 0, NULL);
	add_by("6", "Fa", "@fa@example.social", "approved", "web", 0, 0, NULL);
	add_by("7", "Gus", "@gus@example.social", "approved", "social", D2030 + DAY, 0, NULL);
	add_by("8", "Hal", "@hal@example.social", "approved", "social", 0, D2030 + 2 * DAY, NULL);
	cr_assert_eq(kudos_store_optout(store, "Gus", "test", NOW, &err), 0);
	kudos_store_close(store);
	store = NULL;

	char *job = NULL;
	cr_assert(asprintf(&job,
	                   "{\"name\": \"plan\", \"store\": \"k.db\", \"outputs\": ["
	                   "{\"plugin\": \"probe\", \"dir\": \"probe\", \"scope\": \"social\"},"
	                   "{\"plugin\": \"widget-json\", \"path\": \"w/w.json\", \"scope\": \"social\"},"
	                   "{\"plugin\": \"planner\", \"dir\": \"planner\", \"from\": %lld, "
	                   "\"until\": %lld, \"check_at\": [\"%lld\", \"%lld\"]},"
	                   "{\"plugin\": \"reposts\", \"dir\": \"reposts\", \"platforms\": "
	                   "[\"mastodon\"], \"start\": \"2030-01-01\", \"days\": 8, \"slots\": "
	                   "[\"10:00\"], \"repeat_after_days\": 0}]}",
	                   D2030, D2030 + 8 * DAY, D2030 + DAY, D2030 + 5 * DAY) > 0);
	char *path = kt_job(dir, job);
	struct kt_run r = kt_kudos(dir, "render", path, "--plugin-path",
	                           KT_PLUGINS ":" KT_TEST_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);

	char *probe = out_file("probe/probe.txt");
	cr_expect_str_eq(probe, "csv:8\ncsv:1\n", "a non-planning output gets what passes now");
	char *w = out_file("w/w.json");
	cJSON *doc = cJSON_Parse(w);
	const cJSON *e;
	char got[128] = "";
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "items"))
		strcat(strcat(got, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id"))), " ");
	cr_expect_str_eq(got, "csv:8 csv:1 ", "the widget holds: %s", got);
	cJSON_Delete(doc);

	char *plan = out_file("planner/planner.txt"), buf[256];
	cr_expect(line_of(plan, "csv:1", buf, sizeof buf) && !strcmp(buf, "1 1"), "%s", plan);
	cr_expect(line_of(plan, "csv:2", buf, sizeof buf) &&
	          !strcmp(buf, "0(outside the grant's window) 1"), "Bea from the 5th:\n%s", plan);
	cr_expect(line_of(plan, "csv:8", buf, sizeof buf) &&
	          !strcmp(buf, "1 0(outside the grant's window)"), "Hal until the 3rd:\n%s", plan);
	for (const char *id = "34567"; *id; id++) {
		char key[8];
		snprintf(key, sizeof key, "csv:%c", *id);
		cr_expect(!line_of(plan, key, buf, sizeof buf), "%s reached the planner:\n%s", key,
		          plan);
	}
	cr_expect(strstr(plan, "late_horizon -1\n"), "output_horizon after init is refused");
	cr_expect(line_of(plan, "nosuch:item", buf, sizeof buf) &&
	          !strcmp(buf, "0(not handed to this output in this render) "
	                       "0(not handed to this output in this render)"),
	          "an id never handed over: %s", plan);

	/* every post reposts planned passes the gate at its slot */
	char *sj = out_file("reposts/schedule.json");
	doc = cJSON_Parse(sj);
	cr_assert(doc);
	cr_assert_eq(kudos_store_open(db_path, &store, &err), 0);
	int bea = 0, n = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "posts"))
	{
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(e, "item"));
		int64_t at = 0;
		cr_assert_eq(kudos_time_parse(cJSON_GetStringValue(cJSON_GetObjectItem(e, "utc")),
		                              &at), 0);
		struct kudos_item *it = NULL;
		int v = -1;
		cr_assert_eq(kudos_store_get(store, id, &it, &err), 0);
		cr_assert_eq(kudos_gate_check(store, it, "social", at, &v, &err), 0);
		cr_expect_eq(v, KUDOS_GATE_PASS, "%s planned at %lld, where the gate says %s", id,
		             (long long)at, kudos_gate_reason(v));
		bea += !strcmp(id, "csv:2");
		n++;
		kudos_item_free(it);
	}
	cr_expect_eq(bea, 1, "Bea, granted from the 5th, is planned");
	cr_expect_eq(n, 3, "Ada, Bea and Hal once each");
	cJSON_Delete(doc);
	free(sj);
	free(plan);
	free(w);
	free(probe);
	free(path);
	free(job);
	kt_run_free(&r);
}
