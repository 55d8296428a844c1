/* The rights workflow: the state machine, grants and their windows,
 * requests, replies, revocation through to the widget, the audit trail
 * under tampering, two writers at once, and a random-walk property. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "helpers.h"
#include "leakcheck.h"
#include "rights.h"
#include "store.h"

static const char *const states[] = {"none", "requested", "granted", "replied",
                                     "denied", "stale", "revoked"};
#define N_STATES 7

/* The contract of issue 3, written out independently of rights.c. */
static int expected(const char *from, const char *to)
{
	static const char *const allowed[][2] = {
		{"none", "requested"},      {"none", "granted"},        {"requested", "granted"},
		{"requested", "replied"},   {"requested", "denied"},    {"requested", "stale"},
		{"replied", "granted"},     {"replied", "denied"},      {"stale", "requested"},
		{"stale", "granted"},       {"granted", "revoked"},     {"revoked", "granted"},
	};
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (!strcmp(allowed[i][0], from) && !strcmp(allowed[i][1], to))
			return 1;
	return 0;
}

Test(machine, every_transition_is_allowed_or_refused_as_specified)
{
	for (int i = 0; i < N_STATES; i++)
		for (int j = 0; j < N_STATES; j++)
			cr_assert_eq(kudos_rights_allowed(states[i], states[j]),
			             expected(states[i], states[j]), "%s -> %s", states[i], states[j]);
}

/* ---- in-process: a store with a few items ----------------------------- */

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

static void add_item(const char *ext, const char *handle, const char *in_reply_to,
                     const char *text)
{
	struct kudos_item *it = kudos_item_new("mastodon", ext);
	kudos_item_put(it, KUDOS_FIELD_TEXT, text);
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, "Ada");
	kudos_item_put(it, KUDOS_FIELD_AUTHOR_HANDLE, handle);
	kudos_item_put(it, KUDOS_FIELD_IN_REPLY_TO, in_reply_to);
	int outcome;
	cr_assert_eq(kudos_store_begin(store, &err), 0);
	cr_assert_eq(kudos_store_upsert(store, it, "mastodon", NULL, 1000, &outcome, &err), 0,
	             "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0);
	kudos_item_free(it);
}

static const char *rights(const char *id)
{
	static char state[16];
	cr_assert_eq(kudos_store_rights_of(store, id, state, &err), 0, "%s", err.msg);
	return state;
}

/* Drive an item into `state` through allowed steps only. */
static void drive(const char *id, const char *state)
{
	struct kudos_grant_input g = {.scopes = "web", .evidence = "yes"};
	if (!strcmp(state, "none"))
		return;
	if (!strcmp(state, "granted") || !strcmp(state, "revoked")) {
		cr_assert_eq(kudos_rights_grant(store, id, &g, "t", NULL, 1, &err), 0, "%s", err.msg);
		if (!strcmp(state, "revoked"))
			cr_assert_eq(kudos_rights_move(store, id, "revoked", "revoke", "t", "x", 2, &err), 0);
		return;
	}
	cr_assert_eq(kudos_rights_request(store, id, "may we?", NULL, NULL, "t", 1, &err), 0);
	if (strcmp(state, "requested") != 0)
		cr_assert_eq(kudos_rights_move(store, id, state, state, "t", NULL, 2, &err), 0, "%s",
		             err.msg);
}

static long long audit_count(void)
{
	int64_t n, bad;
	cr_assert_eq(kudos_store_audit_verify(store, &n, &bad, &err), 0);
	cr_assert_eq(bad, 0);
	return n;
}

TestSuite(workflow, .init = setup, .fini = teardown);

Test(workflow, refused_changes_name_the_state_and_change_nothing)
{
	for (int i = 0; i < N_STATES; i++) {
		for (int j = 0; j < N_STATES; j++) {
			if (expected(states[i], states[j]) || !strcmp(states[j], "none"))
				continue;
			char ext[32], id[48];
			snprintf(ext, sizeof ext, "%d-%d", i, j);
			snprintf(id, sizeof id, "mastodon:%s", ext);
			add_item(ext, "@ada@m.example", NULL, "Lovely");
			drive(id, states[i]);
			long long before = audit_count();
			struct kudos_error e = {0};
			int rc;
			if (!strcmp(states[j], "granted")) {
				struct kudos_grant_input g = {.scopes = "web", .evidence = "new evidence"};
				rc = kudos_rights_grant(store, id, &g, "t", NULL, 5, &e);
			} else if (!strcmp(states[j], "requested")) {
				rc = kudos_rights_request(store, id, "again?", NULL, NULL, "t", 5, &e);
			} else {
				rc = kudos_rights_move(store, id, states[j], states[j], "t", NULL, 5, &e);
			}
			cr_assert_eq(rc, -1, "%s -> %s was allowed", states[i], states[j]);
			cr_assert_eq(e.status, KUDOS_EXIT_INPUT);
			cr_assert(strstr(e.msg, states[i]) && strstr(e.msg, states[j]), "%s", e.msg);
			cr_assert_str_eq(rights(id), states[i]);
			cr_assert_eq(audit_count(), before);
		}
	}
}

Test(workflow, regranting_a_revoked_item_needs_new_evidence)
{
	add_item("1", "@ada@m.example", NULL, "Lovely");
	drive("mastodon:1", "revoked");
	struct kudos_grant_input same = {.scopes = "web", .evidence = "yes"};
	cr_assert_eq(kudos_rights_grant(store, "mastodon:1", &same, "t", NULL, 9, &err), -1);
	cr_assert(strstr(err.msg, "new evidence"), "%s", err.msg);
	kudos_error_clear(&err);
	struct kudos_grant_input fresh = {.scopes = "web,print", .evidence = "signed release 42"};
	cr_assert_eq(kudos_rights_grant(store, "mastodon:1", &fresh, "t", NULL, 9, &err), 0, "%s",
	             err.msg);
	cr_assert_str_eq(rights("mastodon:1"), "granted");
}

Test(workflow, hashtags_match_whole_tags_only)
{
	cr_assert(kudos_has_hashtag("Sure! #YesAcme", "#YesAcme"));
	cr_assert(kudos_has_hashtag("#yesacme go for it", "#YesAcme"));
	cr_assert(kudos_has_hashtag("ok (#YESACME).", "#YesAcme"));
	cr_assert(kudos_has_hashtag("Klar: #JaÄpfel", "#jaäpfel"));
	cr_assert_not(kudos_has_hashtag("#YesAcmeCorp rocks", "#YesAcme"));
	cr_assert_not(kudos_has_hashtag("#YesAcme_2", "#YesAcme"));
	cr_assert_not(kudos_has_hashtag("YesAcme without the sign", "#YesAcme"));
	cr_assert_not(kudos_has_hashtag("foo#YesAcme", "#YesAcme"));
	cr_assert_not(kudos_has_hashtag("##YesAcmeé", "#YesAcme"));
}

static struct kudos_rights_config config(void)
{
	return (struct kudos_rights_config){"#YesAcme", "web,social", 14, {NULL, NULL}};
}

static void reply(const char *ext, const char *handle, const char *to, const char *text,
                  int *granted, int *replied)
{
	add_item(ext, handle, to, text);
	struct kudos_item *it = NULL;
	char id[64];
	snprintf(id, sizeof id, "mastodon:%s", ext);
	cr_assert_eq(kudos_store_get(store, id, &it, &err), 0);
	struct kudos_rights_config rc = config();
	cr_assert_eq(kudos_rights_on_reply(store, &rc, it, 2000, granted, replied, &err), 0, "%s",
	             err.msg);
	kudos_item_free(it);
}

Test(workflow, a_reply_with_the_hashtag_from_the_author_grants)
{
	int granted = 0, replied = 0;
	add_item("100", "@ada@m.example", NULL, "The grinder is superb");
	drive("mastodon:100", "requested");
	/* Someone else saying yes changes nothing. */
	reply("101", "@eve@other.example", "100", "#YesAcme from a stranger", &granted, &replied);
	cr_assert_eq(granted + replied, 0);
	cr_assert_str_eq(rights("mastodon:100"), "requested");
	/* The author saying yes grants, with the reply as evidence. */
	reply("102", "@ADA@m.example", "100", "Of course! #YesAcme", &granted, &replied);
	cr_assert_eq(granted, 1);
	struct kudos_item *it = NULL;
	cr_assert_eq(kudos_store_get(store, "mastodon:100", &it, &err), 0);
	cr_assert_str_eq(it->field[KUDOS_FIELD_RIGHTS], "granted");
	cr_assert_str_eq(it->grant.scopes, "web,social");
	cr_assert_str_eq(it->grant.evidence, "Of course! #YesAcme");
	kudos_item_free(it);
}

Test(workflow, a_reply_without_the_hashtag_needs_a_human)
{
	int granted = 0, replied = 0;
	add_item("200", "@ada@m.example", NULL, "Great kettle");
	drive("mastodon:200", "requested");
	reply("201", "@ada@m.example", "200", "Hmm, what would you use it for?", &granted, &replied);
	cr_assert_eq(replied, 1);
	cr_assert_str_eq(rights("mastodon:200"), "replied");
}

Test(workflow, a_reply_to_the_brands_request_post_counts)
{
	int granted = 0, replied = 0;
	add_item("300", "@ada@m.example", NULL, "Loved the support team");
	cr_assert_eq(kudos_rights_request(store, "mastodon:300", "May we?", "default", "brand-77",
	                                  "t", 1, &err), 0);
	reply("301", "@ada@m.example", "brand-77", "#YesAcme 👍", &granted, &replied);
	cr_assert_eq(granted, 1);
	cr_assert_str_eq(rights("mastodon:300"), "granted");
}

Test(workflow, unanswered_requests_go_stale)
{
	add_item("400", "@ada@m.example", NULL, "Nice");
	add_item("401", "@bea@m.example", NULL, "Nice too");
	cr_assert_eq(kudos_rights_request(store, "mastodon:400", "?", NULL, NULL, "t", 0, &err), 0);
	cr_assert_eq(kudos_rights_request(store, "mastodon:401", "?", NULL, NULL, "t", 10 * 86400,
	                                  &err), 0);
	/* Asked long ago and answered: not waiting any more. */
	add_item("403", "@di@m.example", NULL, "Nice again");
	cr_assert_eq(kudos_rights_request(store, "mastodon:403", "?", NULL, NULL, "t", 0, &err), 0);
	cr_assert_eq(kudos_store_set_rights(store, "mastodon:403", "denied", "t", "deny", NULL, 86400,
	                                    &err),
	             0, "%s", err.msg);
	struct kudos_rights_config rc = config();
	long n;
	cr_assert_eq(kudos_rights_sweep_stale(store, &rc, 15 * 86400, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(rights("mastodon:400"), "stale");
	cr_assert_str_eq(rights("mastodon:401"), "requested");
	cr_assert_str_eq(rights("mastodon:403"), "denied");
	/* Asked again after going stale: the later request is what counts. */
	cr_assert_eq(kudos_rights_request(store, "mastodon:400", "?", NULL, NULL, "t", 16 * 86400,
	                                  &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_rights_sweep_stale(store, &rc, 20 * 86400, &n, &err), 0);
	cr_assert_eq(n, 0, "a request sent 4 days ago went stale");
	cr_assert_str_eq(rights("mastodon:400"), "requested");
}

/* ---- through the binary ---------------------------------------------- */

static const char job_text[] =
	"{\"name\": \"r\", \"store\": \"k.db\","
	" \"brand\": {\"name\": \"Acme\", \"rights_hashtag\": \"#YesAcme\","
	"  \"terms_url\": \"https://acme.example/terms\", \"terms_version\": \"2026-03\"},"
	" \"rights\": {\"templates\": {\"warm\": [\"Hi {handle}, {brand} would love to quote you! "
	"Reply {hashtag}. {terms_url}\"]}},"
	" \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\", \"consent_column\": \"ok\"}],"
	" \"curation\": {\"auto_approve\": [{\"name\": \"all\", \"all\": {\"min_rating\": 0}}]},"
	" \"outputs\": [{\"plugin\": \"widget-json\", \"path\": \"out/w.json\"}]}";

static const char csv_text[] =
	"id,name,handle,rating,text,ok\n"
	"a,Ada,@ada,5,Superb grinder,yes\n"
	"b,Bea,@bea,4,Quiet and fast,\n"
	"c,Cy,@cy,5,Changed my mornings,yes\n"
	"d,Di,@di,4,Solid,\n"
	"e,Ed,@ed,4,Works,\n"
	"f,Fa,@fa,4,Fine,\n"
	"g,Gus,@gus,4,Good,\n"
	"h,Hal,@hal,4,Great,\n"
	"i,Ivy,@ivy,4,Neat,\n";

static char *bdir, *job;

static void bin_setup(void)
{
	bdir = kt_tmpdir();
	char *csv = kt_path(bdir, "s.csv");
	kt_write(csv, csv_text);
	free(csv);
	job = kt_job(bdir, job_text);
	struct kt_run r = kt_kudos(bdir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);
}

static void bin_teardown(void)
{
	kt_rmtree(bdir);
	free(bdir);
	free(job);
}

/* kudos with --store pointing at the job's store. */
static struct kt_run k(const char *a1, const char *a2, const char *a3, const char *a4,
                       const char *a5, const char *a6)
{
	char *store_path = kt_path(bdir, "k.db");
	const char *argv[16];
	size_t n = 0;
	const char *in[] = {a1, a2, a3, a4, a5, a6};
	for (size_t i = 0; i < 6 && in[i]; i++)
		argv[n++] = in[i];
	argv[n++] = "--store";
	argv[n++] = store_path;
	argv[n] = NULL;
	struct kt_run r = kt_kudos_argv(bdir, argv);
	free(store_path);
	return r;
}

static char *widget_ids(void)
{
	char *path = kt_path(bdir, "out/w.json"), *text = kt_read(path);
	cr_assert(text, "no widget at %s", path);
	cJSON *doc = cJSON_Parse(text), *e;
	char *ids = calloc(1, 256);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "items"))
	{
		strcat(ids, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")));
		strcat(ids, " ");
	}
	cJSON_Delete(doc);
	free(text);
	free(path);
	return ids;
}

static void render(void)
{
	struct kt_run r = kt_kudos(bdir, "render", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);
}

TestSuite(cli, .init = bin_setup, .fini = bin_teardown);

Test(cli, request_prints_the_message_and_marks_requested)
{
	struct kt_run r = k("request", "csv:b", "--template", "warm", "--job", job);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Hi @bea, Acme would love to quote you! Reply #YesAcme. "
	                        "https://acme.example/terms"), "%s", r.out);
	kt_run_free(&r);
	r = k("show", "csv:b", "--json", NULL, NULL, NULL);
	cr_assert(strstr(r.out, "\"state\":\t\"requested\""), "%s", r.out);
	kt_run_free(&r);
	r = k("request", "csv:b", "--template", "nope", "--job", job);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "warm"), "%s", r.err);
	kt_run_free(&r);
}

Test(cli, default_requests_vary_between_items)
{
	char *store_path = kt_path(bdir, "k.db");
	const char *argv[] = {"request", "csv:d", "csv:e", "csv:f", "csv:g", "csv:h", "csv:i",
	                      "--store", store_path, NULL};
	struct kt_run r = kt_kudos_argv(bdir, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* Six messages, one per item; kudos's three variants are spread by
	 * item id, so they cannot all be the same text. */
	int starts[3] = {0};
	starts[0] = strstr(r.out, "\nHi @") != NULL;
	starts[1] = strstr(r.out, ", thank you for the kind words") != NULL;
	starts[2] = strstr(r.out, "\nThanks so much, @") != NULL;
	cr_assert_geq(starts[0] + starts[1] + starts[2], 2, "%s", r.out);
	kt_run_free(&r);
	free(store_path);
}

Test(cli, grant_until_a_date_in_a_zone_and_refusals)
{
	struct kt_run r = k("grant", "csv:b", "--scope", "web,print", "--evidence", "DM of 2026-11-20");
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = k("revoke", "csv:b", "--reason", "changed their mind", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	/* Back to granted, until the end of 31 December in Berlin. */
	const char *argv[] = {"grant", "csv:b", "--scope", "web", "--evidence", "new consent form",
	                      "--until", "2026-12-31", "--tz", "Europe/Berlin", "--store", NULL,
	                      NULL};
	char *store_path = kt_path(bdir, "k.db");
	argv[11] = store_path;
	r = kt_kudos_argv(bdir, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = k("show", "csv:b", "--json", NULL, NULL, NULL);
	cr_assert(strstr(r.out, "\"until\":\t\"2026-12-31T23:00:00Z\""), "%s", r.out);
	kt_run_free(&r);
	/* Bad scope, bad date, unknown id: exit 2, nothing changes. */
	r = k("grant", "csv:a", "--scope", "billboards", "--evidence", "x");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "billboards"), "%s", r.err);
	kt_run_free(&r);
	const char *bad_date[] = {"grant", "csv:c", "--scope", "web", "--evidence", "x",
	                          "--until", "31/12/2026", "--store", store_path, NULL};
	r = kt_kudos_argv(bdir, bad_date);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "31/12/2026"), "%s", r.err);
	kt_run_free(&r);
	r = k("grant", "csv:zzz", "--scope", "web", "--evidence", "x");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "csv:zzz"), "%s", r.err);
	kt_run_free(&r);
	free(store_path);
}

Test(cli, revocation_takes_the_item_out_of_the_widget_and_reports_it)
{
	char *ids = widget_ids();
	cr_assert_str_eq(ids, "csv:a csv:c ", "%s", ids); /* undated: by id */
	free(ids);
	struct kt_run r = k("revoke", "csv:a", "--reason", "erasure request", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	render();
	ids = widget_ids();
	cr_assert_str_eq(ids, "csv:c ", "%s", ids);
	free(ids);
	char *report_path = kt_path(bdir, "takedown-report.json"), *report = kt_read(report_path);
	cr_assert(report, "no takedown report");
	cr_assert(strstr(report, "\"item\":\t\"csv:a\"") && strstr(report, "rights revoked") &&
	                  strstr(report, "out/w.json"), "%s", report);
	free(report);
	/* An opted-out author disappears too. */
	r = k("optout", "@cy", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	render();
	ids = widget_ids();
	cr_assert_str_eq(ids, "", "%s", ids);
	free(ids);
	report = kt_read(report_path);
	cr_assert(strstr(report, "author opted out"), "%s", report);
	free(report);
	free(report_path);
}

Test(cli, history_and_audit_verify_catch_tampering)
{
	struct kt_run r = k("history", "csv:a", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "grant") && strstr(r.out, "rule:all"), "%s", r.out);
	kt_run_free(&r);
	r = k("audit", "verify", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "intact"), "%s", r.out);
	kt_run_free(&r);

	/* Behind kudos's back: change one entry's detail. */
	char *store_path = kt_path(bdir, "k.db");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(store_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER audit_no_update;"
	                              "UPDATE audit SET detail = 'nothing to see' WHERE seq = 2",
	                          NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	r = k("audit", "verify", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "entry 2"), "%s", r.err);
	kt_run_free(&r);
	free(store_path);
}

Test(cli, an_inserted_audit_entry_is_caught)
{
	char *store_path = kt_path(bdir, "k.db");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(store_path, &db), SQLITE_OK);
	/* A forged entry with a made-up hash, wedged in at the end. */
	cr_assert_eq(sqlite3_exec(db, "INSERT INTO audit (seq, at, item_id, actor, action,"
	                              " prev_hash, hash) SELECT max(seq) + 1, 1, 'csv:b', 'mallory',"
	                              " 'grant', 'x', 'y' FROM audit",
	                          NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct kt_run r = k("audit", "verify", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "mallory"), "%s", r.err);
	kt_run_free(&r);
	free(store_path);
}

Test(cli, two_processes_changing_one_store_both_succeed)
{
	char *store_path = kt_path(bdir, "k.db");
	pid_t pids[2];
	const char *ids[2] = {"csv:b", "csv:c"};
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		cr_assert_neq(pids[i], -1);
		if (pids[i] == 0) {
			for (int round = 0; round < 10; round++) {
				char cmd[512];
				snprintf(cmd, sizeof cmd, "%s %s %s --store %s -q >/dev/null 2>&1",
				         KT_KUDOS, round % 2 ? "reject" : "approve", ids[i], store_path);
				if (system(cmd) != 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < 2; i++) {
		int ws;
		waitpid(pids[i], &ws, 0);
		cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "writer %d failed", i);
	}
	struct kt_run r = k("history", "csv:b", "--json", NULL, NULL, NULL);
	cJSON *h = cJSON_Parse(r.out);
	int curation = 0;
	cJSON *e;
	cJSON_ArrayForEach(e, h) curation += !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "action")), "curation");
	/* approved by the rule at first, then 10 changes, the first a no-op. */
	cr_assert_eq(curation, 1 + 9, "%s", r.out);
	cJSON_Delete(h);
	kt_run_free(&r);
	r = k("audit", "verify", NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	free(store_path);
}

/* Random walks over the commands, rendering as they go: after every
 * render, the widget holds exactly the items the gate passes now. */
Test(cli, random_command_sequences_never_publish_what_the_gate_refuses)
{
	static const char *const ids[] = {"csv:a", "csv:b", "csv:c", "csv:d", "csv:e",
	                                  "csv:f", "csv:g", "csv:h", "csv:i"};
	static const char *const scopes[] = {"web", "print", "web,social", "social,ads", "web,print"};
	static const char *const authors[] = {"@bea", "@di", "Gus", "@nobody"};
	char *store_path = kt_path(bdir, "k.db");
	struct kudos_store *s = NULL;
	struct kudos_error e = {0};
	cr_assert(sodium_init() >= 0);
	srand(20261122);
	int64_t now = (int64_t)time(NULL);
	int changes = 0; /* the widget must change along the walk, or it proves little */
	char last[256] = "";
	for (int step = 1; step <= 80; step++) {
		cr_assert_eq(kudos_store_open(store_path, &s, &e), 0, "%s", e.msg);
		const char *id = ids[rand() % 9];
		int changed;
		struct kudos_error ignored = {0};
		cr_assert_eq(kudos_store_begin(s, &e), 0);
		switch (rand() % 8) {
		case 0:
			kudos_store_set_curation(s, id, "approved", "walk", NULL, now, &changed, &ignored);
			break;
		case 1:
			kudos_store_set_curation(s, id, "rejected", "walk", NULL, now, &changed, &ignored);
			break;
		case 2:
		case 3: {
			/* A window that may have ended, be running, or not yet begun. */
			int64_t from = rand() % 3 == 0 ? now + 86400 : 0;
			int64_t until = rand() % 3 == 0 ? now - 3600 : rand() % 2 ? now + 86400 : 0;
			char evidence[32];
			snprintf(evidence, sizeof evidence, "walk %d", step);
			struct kudos_grant_input g = {.scopes = scopes[rand() % 5], .from = from,
			                              .until = until, .evidence = evidence};
			kudos_rights_grant(s, id, &g, "walk", NULL, now, &ignored);
			break;
		}
		case 4:
			kudos_rights_move(s, id, "revoked", "revoke", "walk", "x", now, &ignored);
			break;
		case 5:
			kudos_rights_move(s, id, "denied", "deny", "walk", NULL, now, &ignored);
			break;
		case 6:
			kudos_rights_request(s, id, "may we?", NULL, NULL, "walk", now, &ignored);
			break;
		case 7:
			kudos_store_optout(s, authors[rand() % 4], "walk", now, &ignored);
			break;
		}
		cr_assert_eq(kudos_store_commit(s, &e), 0, "%s", e.msg);
		kudos_store_close(s);
		if (step % 2)
			continue;

		render();
		char *got = widget_ids(), want[256] = "";
		cr_assert_eq(kudos_store_open(store_path, &s, &e), 0);
		for (size_t i = 0; i < 9; i++) {
			struct kudos_item *it = NULL;
			int verdict;
			cr_assert_eq(kudos_store_get(s, ids[i], &it, &e), 0);
			cr_assert_eq(kudos_gate_check(s, it, "web", (int64_t)time(NULL), &verdict, &e), 0);
			if (verdict == KUDOS_GATE_PASS) {
				strcat(want, ids[i]);
				strcat(want, " ");
			}
			kudos_item_free(it);
		}
		kudos_store_close(s);
		cr_assert_str_eq(got, want, "step %d: the widget holds [%s], the gate passes [%s]",
		                 step, got, want);
		changes += strcmp(got, last) != 0;
		snprintf(last, sizeof last, "%s", got);
		free(got);
	}
	cr_assert_geq(changes, 5, "walk too tame: the widget changed only %d times", changes);
	free(store_path);
}
