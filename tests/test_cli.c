/*
 * The kudos command line end to end: the real binary, real plugins, a real
 * SQLite store in a temporary folder per test.
 *
 * Bad job files are in test_cli_bad_job.c, several processes on one store
 * in test_cli_concurrency.c; cli_test.h holds what the three share.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_test.h"

static cJSON *widget(const char *dir)
{
	char *t = widget_text(dir);
	cr_assert(t, "no out/widget.json in %s", dir);
	cJSON *w = cJSON_Parse(t);
	cr_assert(w, "widget.json is not JSON:\n%s", t);
	free(t);
	return w;
}

/* The ids of an array of items, joined with spaces, in order. */
static char *ids_of(const cJSON *arr)
{
	static char buf[8][1024];
	static int slot;
	char *b = buf[slot++ % 8];
	b[0] = '\0';
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *id = str_of(e, "id");
		if (*b)
			strncat(b, " ", 1023 - strlen(b));
		strncat(b, id ? id : "(no id)", 1023 - strlen(b));
	}
	return b;
}

static int rfc3339_utc(const char *s)
{
	/* ^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$ */
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	if (!s || strlen(s) != sizeof pat - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return 0;
	}
	return 1;
}

/* ---- run ---------------------------------------------------------------- */

Test(cli, run_collects_approves_and_renders_widget)
{
	char *dir = setup(CSV6, 1);
	struct kt_run r = run_job(dir, "run", "job.json");
	cr_assert_eq(r.status, 0, "kudos run:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "collected 6 items"), "no collected count:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "6 new"), "no new count:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "approved 4 items"), "no approved count:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "rendered 4 items"), "no rendered count:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "out/widget.json"), "no widget path:" RUN_FMT, RUN_ARGS(r));

	char *text = widget_text(dir);
	cr_assert(text, "widget.json not written:" RUN_FMT, RUN_ARGS(r));
	cJSON *w = cJSON_Parse(text);
	cr_assert(w, "widget.json does not parse:\n%s", text);
	cr_assert_str_eq(str_of(w, "schema") ? str_of(w, "schema") : "(none)", "kudos.widget/1",
	                 "%s", text);
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(w, "count");
	cr_assert(cJSON_IsNumber(count) && count->valuedouble == 4,
	          "count is not the 4 consented rows:\n%s", text);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(w, "items");
	cr_assert(cJSON_IsArray(items), "%s", text);
	cr_assert_eq(cJSON_GetArraySize(items), 4, "%s", text);
	/* Newest first; a1 and a3 share a time, so the id decides. */
	cr_assert_str_eq(ids_of(items), "csv:a4 csv:a6 csv:a1 csv:a3", "%s", text);
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		cr_assert(!cJSON_HasObjectItem(it, "curation"), "curation leaked into widget:\n%s", text);
		cr_assert(!cJSON_HasObjectItem(it, "rights"), "rights leaked into widget:\n%s", text);
		cr_assert(str_of(it, "text"), "item without text:\n%s", text);
	}
	const cJSON *a1 = find_id(items, "csv:a1");
	cr_assert_str_eq(str_of(a1, "text"), "Great grinder");
	const cJSON *agg = cJSON_GetObjectItemCaseSensitive(w, "aggregate");
	const cJSON *rc = cJSON_GetObjectItemCaseSensitive(agg, "rating_count");
	cr_assert(cJSON_IsNumber(rc) && rc->valuedouble == 5,
	          "rating_count must count all 5 rated rows, not only approved:\n%s", text);
	const cJSON *avg = cJSON_GetObjectItemCaseSensitive(agg, "rating_average");
	cr_assert(cJSON_IsNumber(avg) && avg->valuedouble > 3.79 && avg->valuedouble < 3.81,
	          "rating_average of 5,3,4,2,5 is 3.8:\n%s", text);
	cJSON_Delete(w);
	free(text);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(cli, second_run_is_idempotent_and_byte_identical)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *first = widget_text(dir);
	cr_assert(first);
	char *list1 = list_text_v(dir, NULL);
	struct kt_run r = run_job(dir, "run", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "0 new"), "second run found new items:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "6 unchanged"), "second run: not 6 unchanged:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "0 updated"), RUN_FMT, RUN_ARGS(r));
	char *second = widget_text(dir);
	cr_assert(second);
	cr_assert_str_eq(second, first, "widget.json changed between identical runs");
	char *list2 = list_text_v(dir, NULL);
	cr_assert_str_eq(list2, list1, "list --json changed between identical runs");
	free(list1);
	free(list2);
	free(first);
	free(second);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(cli, upstream_edit_is_detected_and_stored)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *p = kt_path(dir, "data/survey.csv");
	char *csv = kt_read(p);
	char *at = strstr(csv, "Love it,");
	cr_assert(at);
	char *edited = NULL;
	cr_assert(asprintf(&edited, "%.*sLove it even more after a month,%s", (int)(at - csv), csv,
	                   at + strlen("Love it,")) > 0);
	kt_write(p, edited);

	struct kt_run r = run_job(dir, "run", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "1 updated"), "edit not reported:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "0 new"), "edit counted as new:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "5 unchanged"), RUN_FMT, RUN_ARGS(r));

	struct kt_run s = kt_kudos(dir, "show", "csv:a3", "--json", NULL);
	cr_assert_eq(s.status, 0, RUN_FMT, RUN_ARGS(s));
	cJSON *o = cJSON_Parse(s.out);
	cr_assert(o, "show --json is not JSON:" RUN_FMT, RUN_ARGS(s));
	cr_assert_str_eq(str_of(o, "text") ? str_of(o, "text") : "(none)",
	                 "Love it even more after a month", RUN_FMT, RUN_ARGS(s));
	cr_assert_str_eq(str_of(o, "id") ? str_of(o, "id") : "(none)", "csv:a3");

	/* The widget shows the new text too. */
	cJSON *w = widget(dir);
	const cJSON *a3 = find_id(cJSON_GetObjectItemCaseSensitive(w, "items"), "csv:a3");
	cr_assert(a3, "a3 left the widget after an edit");
	cr_assert_str_eq(str_of(a3, "text"), "Love it even more after a month");
	cJSON_Delete(w);
	cJSON_Delete(o);
	kt_run_free(&s);
	kt_run_free(&r);
	free(edited);
	free(csv);
	free(p);
	kt_rmtree(dir);
	free(dir);
}

/* ---- list ----------------------------------------------------------------- */

Test(cli, list_json_shape)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *text = list_text_v(dir, NULL);
	cJSON *arr = cJSON_Parse(text);
	cr_assert(cJSON_IsArray(arr), "%s", text);
	cr_assert_eq(cJSON_GetArraySize(arr), 6, "%s", text);
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		cr_assert(cJSON_IsObject(e), "%s", text);
		cr_assert(str_of(e, "id") && !strncmp(str_of(e, "id"), "csv:a", 5), "%s", text);
		cr_assert_str_eq(str_of(e, "source") ? str_of(e, "source") : "", "csv", "%s", text);
		cr_assert_str_eq(str_of(e, "kind") ? str_of(e, "kind") : "", "form_answer", "%s", text);
		const cJSON *author = cJSON_GetObjectItemCaseSensitive(e, "author");
		cr_assert(cJSON_IsObject(author), "%s", text);
		cr_assert(str_of(author, "name"), "author.name missing:\n%s", text);
		const cJSON *handle = cJSON_GetObjectItemCaseSensitive(author, "handle");
		cr_assert(handle && (cJSON_IsString(handle) || cJSON_IsNull(handle)),
		          "author.handle must be present (string or null):\n%s", text);
		cr_assert(str_of(e, "text"), "%s", text);
		const cJSON *rating = cJSON_GetObjectItemCaseSensitive(e, "rating");
		cr_assert(rating && (cJSON_IsNull(rating) || cJSON_IsObject(rating)), "%s", text);
		if (cJSON_IsObject(rating)) {
			cr_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rating, "value")),
			          "%s", text);
			cr_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rating, "scale")),
			          "%s", text);
		}
		cr_assert(rfc3339_utc(str_of(e, "created_at")), "created_at not RFC 3339 UTC: %s\n%s",
		          str_of(e, "created_at") ? str_of(e, "created_at") : "(none)", text);
		cr_assert(str_of(e, "curation"), "%s", text);
		const cJSON *rights = cJSON_GetObjectItemCaseSensitive(e, "rights");
		cr_assert(cJSON_IsObject(rights), "%s", text);
		cr_assert(str_of(rights, "state"), "%s", text);
		cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rights, "scopes")), "%s", text);
	}
	/* Values of two items, one consented and one not. */
	const cJSON *a1 = find_id(arr, "csv:a1"), *a2 = find_id(arr, "csv:a2"),
	            *a4 = find_id(arr, "csv:a4");
	cr_assert(a1 && a2 && a4, "%s", text);
	const cJSON *au1 = cJSON_GetObjectItemCaseSensitive(a1, "author");
	cr_assert_str_eq(str_of(au1, "name"), "Ann Lee");
	cr_assert_str_eq(str_of(au1, "handle") ? str_of(au1, "handle") : "(null)", "@ann");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
	                  cJSON_GetObjectItemCaseSensitive(a2, "author"), "handle")),
	          "an empty handle must be null:\n%s", text);
	const cJSON *r1 = cJSON_GetObjectItemCaseSensitive(a1, "rating");
	cr_assert_eq(cJSON_GetObjectItemCaseSensitive(r1, "value")->valuedouble, 5);
	cr_assert_eq(cJSON_GetObjectItemCaseSensitive(r1, "scale")->valuedouble, 5);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(a4, "rating")),
	          "a4 has no rating:\n%s", text);
	cr_assert_str_eq(str_of(a1, "created_at"), "2026-01-05T10:00:00Z");
	cr_assert_str_eq(str_of(a1, "curation"), "approved");
	cr_assert_str_eq(str_of(a2, "curation"), "new");
	const cJSON *rt1 = cJSON_GetObjectItemCaseSensitive(a1, "rights");
	const cJSON *rt2 = cJSON_GetObjectItemCaseSensitive(a2, "rights");
	cr_assert_str_eq(str_of(rt1, "state"), "granted");
	cr_assert_str_eq(str_of(rt2, "state"), "none");
	const cJSON *sc1 = cJSON_GetObjectItemCaseSensitive(rt1, "scopes");
	cr_assert_eq(cJSON_GetArraySize(sc1), 1, "%s", text);
	cr_assert_str_eq(cJSON_GetArrayItem(sc1, 0)->valuestring, "web");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rt2, "scopes")), 0,
	             "%s", text);
	cJSON_Delete(arr);
	free(text);
	kt_rmtree(dir);
	free(dir);
}

Test(cli, list_filters_narrow)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	/* a2 approved by hand but without consent: curation and rights
	 * filters now select different sets. */
	struct kt_run r = kt_kudos(dir, "approve", "csv:a2", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	cJSON *all = list_json_v(dir, NULL);
	cr_assert_str_eq(id_set(all), "csv:a1 csv:a2 csv:a3 csv:a4 csv:a5 csv:a6");
	cJSON *ap = LIST(dir, "--curation", "approved");
	cr_assert_str_eq(id_set(ap), "csv:a1 csv:a2 csv:a3 csv:a4 csv:a6");
	cJSON *nw = LIST(dir, "--curation", "new");
	cr_assert_str_eq(id_set(nw), "csv:a5");
	cJSON *gr = LIST(dir, "--rights", "granted");
	cr_assert_str_eq(id_set(gr), "csv:a1 csv:a3 csv:a4 csv:a6");
	cJSON *no = LIST(dir, "--rights", "none");
	cr_assert_str_eq(id_set(no), "csv:a2 csv:a5");
	cJSON *both = LIST(dir, "--curation", "approved", "--rights", "none");
	cr_assert_str_eq(id_set(both), "csv:a2");
	cJSON *src = LIST(dir, "--source", "csv");
	cr_assert_str_eq(id_set(src), id_set(all));
	cJSON *other = LIST(dir, "--source", "mastodon");
	cr_assert_eq(cJSON_GetArraySize(other), 0, "--source mastodon: %s", ids_of(other));
	/* Every list is newest first. */
	cr_assert_str_eq(ids_of(all), "csv:a4 csv:a6 csv:a1 csv:a3 csv:a2 csv:a5");
	cJSON_Delete(all);
	cJSON_Delete(ap);
	cJSON_Delete(nw);
	cJSON_Delete(gr);
	cJSON_Delete(no);
	cJSON_Delete(both);
	cJSON_Delete(src);
	cJSON_Delete(other);
	kt_rmtree(dir);
	free(dir);
}

/* ---- show ----------------------------------------------------------------- */

Test(cli, show_unknown_id_and_missing_store)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	struct kt_run r = kt_kudos(dir, "show", "csv:zz-unknown", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "csv:zz-unknown"), "the id is not named:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(dir, "show", "csv:a1", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "Great grinder"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	char *empty = kt_tmpdir();
	r = kt_kudos(empty, "show", "csv:a1", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "kudos.db"), "the store path is not named:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(empty, "show", "csv:a1", "--store", "elsewhere/store.db", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "elsewhere/store.db"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	/* Asking must not create a store. */
	char *p = kt_path(empty, "kudos.db");
	cr_assert(access(p, F_OK) != 0, "show created %s", p);
	free(p);
	kt_rmtree(empty);
	free(empty);
	kt_rmtree(dir);
	free(dir);
}

/* ---- approve / reject ------------------------------------------------------ */

static const char *curation_of(const char *dir, const char *id)
{
	static char buf[4][32];
	static int slot;
	char *b = buf[slot++ % 4];
	struct kt_run r = kt_kudos(dir, "show", id, "--json", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = cJSON_Parse(r.out);
	cr_assert(o, RUN_FMT, RUN_ARGS(r));
	snprintf(b, 32, "%s", str_of(o, "curation") ? str_of(o, "curation") : "(none)");
	cJSON_Delete(o);
	kt_run_free(&r);
	return b;
}

Test(cli, approve_is_all_or_nothing_and_reject_hides)
{
	char *dir = setup(CSV6, 0); /* no auto-approve */
	struct kt_run r = run_job(dir, "collect", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_str_eq(curation_of(dir, "csv:a1"), "new");

	r = kt_kudos(dir, "approve", "csv:a1", "csv:nope", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "csv:nope"), "unknown id not named:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_str_eq(curation_of(dir, "csv:a1"), "new", "approve was not all or nothing");

	r = kt_kudos(dir, "approve", "csv:a1", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_str_eq(curation_of(dir, "csv:a1"), "approved");

	r = run_job(dir, "render", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *w = widget(dir);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(w, "items");
	cr_assert_str_eq(ids_of(items), "csv:a1", "only the approved, consented a1");
	cJSON_Delete(w);

	r = kt_kudos(dir, "reject", "csv:a1", "--reason", "x", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_str_eq(curation_of(dir, "csv:a1"), "rejected");

	r = run_job(dir, "render", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	w = widget(dir);
	items = cJSON_GetObjectItemCaseSensitive(w, "items");
	cr_assert_eq(cJSON_GetArraySize(items), 0, "rejected item still rendered: %s", ids_of(items));
	cr_assert_eq(cJSON_GetObjectItemCaseSensitive(w, "count")->valuedouble, 0);
	cJSON_Delete(w);
	kt_rmtree(dir);
	free(dir);
}

Test(cli, gate_keeps_unconsented_approved_items_out)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	struct kt_run r = kt_kudos(dir, "approve", "csv:a2", "csv:a5", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert_str_eq(curation_of(dir, "csv:a2"), "approved");
	r = run_job(dir, "run", "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *w = widget(dir);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(w, "items");
	cr_assert(!find_id(items, "csv:a2") && !find_id(items, "csv:a5"),
	          "an item without rights passed the gate: %s", ids_of(items));
	cr_assert_str_eq(ids_of(items), "csv:a4 csv:a6 csv:a1 csv:a3");
	cJSON_Delete(w);
	kt_rmtree(dir);
	free(dir);
}

/* ---- dry run ---------------------------------------------------------------- */

Test(cli, dry_run_saves_nothing_on_a_fresh_store)
{
	char *dir = setup(CSV6, 1);
	struct kt_run r = kt_kudos(dir, "run", "job.json", "--dry-run", "--plugin-path", KT_PLUGINS,
	                           NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "collected 6 items"), "a dry run still reports:" RUN_FMT,
	          RUN_ARGS(r));
	char *w = widget_text(dir);
	cr_assert(!w, "a dry run wrote widget.json:\n%s", w);
	char *outdir = kt_path(dir, "out");
	struct stat st;
	if (stat(outdir, &st) == 0) {
		char *tmpfile = kt_path(dir, "out/widget.json.tmp");
		cr_assert(access(tmpfile, F_OK) != 0, "a dry run left a temp file");
		free(tmpfile);
	}
	free(outdir);
	char *db = kt_path(dir, "kudos.db");
	if (access(db, F_OK) == 0) {
		cJSON *arr = list_json_v(dir, NULL);
		cr_assert_eq(cJSON_GetArraySize(arr), 0, "a dry run saved items: %s", ids_of(arr));
		cJSON_Delete(arr);
	}
	free(db);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(cli, dry_run_leaves_existing_store_and_widget)
{
	char *dir = setup(CSV6, 1);
	run_ok(dir);
	char *w1 = widget_text(dir);
	char *l1 = list_text_v(dir, NULL);
	append(dir, "data/survey.csv", CSV7_EXTRA);
	struct kt_run r = kt_kudos(dir, "run", "job.json", "--dry-run", "--plugin-path", KT_PLUGINS,
	                           NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "1 new"), "the dry run did not see the new row:" RUN_FMT,
	          RUN_ARGS(r));
	char *w2 = widget_text(dir);
	char *l2 = list_text_v(dir, NULL);
	cr_assert_str_eq(w2, w1, "a dry run rewrote widget.json");
	cr_assert_str_eq(l2, l1, "a dry run changed the store");
	free(w1);
	free(w2);
	free(l1);
	free(l2);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

/* ---- usage ------------------------------------------------------------------ */

Test(cli, help_version_and_usage_errors)
{
	static const char *const cmds[] = {"run",     "collect", "render", "list",   "show",
	                                   "approve", "reject",  "plugins", "plugin", NULL};
	for (size_t i = 0; cmds[i]; i++) {
		struct kt_run r = kt_kudos(NULL, cmds[i], "--help", NULL);
		cr_assert_eq(r.status, 0, "kudos %s --help:" RUN_FMT, cmds[i], RUN_ARGS(r));
		cr_assert(strstr(r.out, "usage:"), "kudos %s --help:" RUN_FMT, cmds[i], RUN_ARGS(r));
		kt_run_free(&r);
	}
	struct kt_run r = kt_kudos(NULL, "--help", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "usage:"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	r = kt_kudos(NULL, "--version", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	const char *v = strstr(r.out, "kudos ");
	cr_assert(v && isdigit((unsigned char)v[6]) && strchr(v, '.'), "no version:" RUN_FMT,
	          RUN_ARGS(r));
	kt_run_free(&r);

	r = kt_kudos(NULL, "frobnicate", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "frobnicate"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(NULL, NULL);
	cr_assert_eq(r.status, 2, "no command at all:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(NULL, "list", "--frobnicate", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "--frobnicate"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(NULL, "run", "job.json", "--frobnicate", NULL);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	r = kt_kudos(NULL, "approve", NULL);
	cr_assert_eq(r.status, 2, "approve without ids:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
}

/* ---- store path --------------------------------------------------------------- */

Test(cli, store_default_and_override)
{
	char *dir = setup(CSV6, 1);
	struct kt_run r = kt_kudos(dir, "list", NULL);
	cr_assert_eq(r.status, 2, "list without a store:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "kudos.db"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	r = kt_kudos(dir, "run", "job.json", "--store", "other.db", "--plugin-path", KT_PLUGINS,
	             NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	char *job_store = kt_path(dir, "kudos.db");
	char *other = kt_path(dir, "other.db");
	cr_assert(access(job_store, F_OK) != 0, "--store did not override the job's store");
	cr_assert(access(other, F_OK) == 0, "--store other.db not created");
	cJSON *arr = LIST(dir, "--store", "other.db");
	cr_assert_eq(cJSON_GetArraySize(arr), 6, "%s", ids_of(arr));
	cJSON_Delete(arr);
	r = kt_kudos(dir, "list", NULL);
	cr_assert_eq(r.status, 2, "the default store appeared:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);

	/* The job's store, named relative to the job file, from another cwd. */
	char *job = kt_path(dir, "job.json");
	char *elsewhere = kt_tmpdir();
	r = kt_kudos(elsewhere, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cr_assert(access(job_store, F_OK) == 0, "the job's store is relative to the job file");
	char *stray = kt_path(elsewhere, "kudos.db");
	cr_assert(access(stray, F_OK) != 0, "the store was made in the current folder");
	free(stray);
	kt_rmtree(elsewhere);
	free(elsewhere);
	free(job);
	free(job_store);
	free(other);
	kt_rmtree(dir);
	free(dir);
}

Test(export, csv_and_json_hold_every_item_and_never_a_formula)
{
	char *dir = kt_tmpdir(), *csv = kt_path(dir, "s.csv"), *store = kt_path(dir, "k.db");
	kt_write(csv, "id,name,rating,text\n"
	              "a,Ada,5,\"Great, really \"\"great\"\"\"\n"
	              "b,Bea,4,=HYPERLINK(\"http://evil.example\")\n");
	char *job = kt_job(dir, "{\"name\": \"e\", \"store\": \"k.db\","
	                        " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}]}");
	struct kt_run r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "export", "--format", "csv", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"Great, really \"\"great\"\"\""), "%s", r.out);
	cr_assert(strstr(r.out, ",\"'=HYPERLINK(\"\"http://evil.example\"\")\","), "%s", r.out);
	cr_assert(strncmp(r.out, "id,source,kind,", 15) == 0, "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(dir, "export", "--format", "json", "--store", store, NULL);
	cJSON *arr = cJSON_Parse(r.out);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s", r.out);
	cJSON_Delete(arr);
	kt_run_free(&r);
	r = kt_kudos(dir, "export", "--format", "xml", "--store", store, NULL);
	cr_assert_eq(r.status, 2);
	kt_run_free(&r);

	/* Items are printed as they are read: an output that cannot be
	 * written (a full disk) fails the command with a message. */
	char *err_path = kt_path(dir, "err.txt");
	const char *const cmds[][6] = {{"list", "--json", "--store", store, NULL},
	                               {"export", "--format", "json", "--store", store, NULL},
	                               {"export", "--format", "csv", "--store", store, NULL}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		int st;
		pid_t pid = spawn_kudos(dir, "/dev/full", err_path, cmds[i]);
		cr_assert_eq(waitpid(pid, &st, 0), pid);
		char *msg = kt_read(err_path);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%s %s to a full disk: status %d",
		          cmds[i][0], cmds[i][1], st);
		cr_expect(msg && strstr(msg, "cannot write the output"), "%s", msg);
		free(msg);
	}
	free(err_path);
	kt_rmtree(dir);
	free(dir);
	free(csv);
	free(store);
	free(job);
}
