/*
 * source-mastodon with bad input: entries that are not statuses (skipped
 * with a warning naming their position, warnings capped per run), pages
 * that are not JSON or cut short (the run fails naming file:line:col and
 * keeps nothing), escapes and strings that are not text.
 */
#include "fixtures/mastodon/mastodon_test.h"

/* ---- bad input ------------------------------------------------------- */

Test(mastodon_bad, one_bad_entry_skipped_with_a_warning)
{
	char *err = NULL;
	cJSON *arr = kt_collect("mastodon", FIX "/one_bad_entry.json", NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s\n%s", dump(arr), err);
	EQ(ITEM(arr, "mastodon:112233445566790001"), "text", "First good one.");
	EQ(ITEM(arr, "mastodon:112233445566790005"), "text", "Last good one.");
	/* [1]'s id is a bare number above 2^53: as a double it has lost its
	 * last digits, so the status is skipped rather than stored under a
	 * wrong id (numeric_ids_kept_while_exact has the rest). */
	cr_assert(strstr(err, "one_bad_entry.json: [1]: \"id\" is a number above 2^53"),
	          "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: [2] has no \"content\""), "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: [3] is not a status object"), "%s", err);
	cr_assert(strstr(err, "one_bad_entry.json: [4] has no \"id\""), "%s", err);
	cJSON_Delete(arr);
	free(err);
}

/* Mastodon sends every id as a string.  A page rewritten with bare
 * numbers is read through a double: an id (or in_reply_to_id) is kept
 * while exact, up to 2^53, and left out with a warning above. */
Test(mastodon_bad, numeric_ids_kept_while_exact)
{
	char *tmp = kt_tmpdir(), *f = kt_path(tmp, "num.json");
	kt_write(f, "[{\"id\": 9007199254740991, \"content\": \"<p>max</p>\", "
	            "\"in_reply_to_id\": 42},"
	            " {\"id\": \"5\", \"content\": \"<p>reply</p>\", "
	            "\"in_reply_to_id\": 112233445566790002},"
	            " {\"id\": 1.5, \"content\": \"<p>not whole</p>\"}]");
	char *err = NULL;
	cJSON *arr = kt_collect("mastodon", f, NULL, &err);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s\n%s", dump(arr), err);
	EQ(ITEM(arr, "mastodon:9007199254740991"), "in_reply_to", "42");
	NUL(ITEM(arr, "mastodon:5"), "in_reply_to");
	cr_assert(strstr(err, "num.json: [1]: in_reply_to_id is a number above 2^53"),
	          "%s", err);
	cr_assert(strstr(err, "num.json: [2] has no \"id\""), "%s", err);
	cJSON_Delete(arr);
	free(err);
	free(f);
	done(tmp);
}

/* A folder whose second page is cut short: exit 2 naming the file, line
 * and column, and nothing of the first page stays in the store. */
Test(mastodon_bad, truncated_page_fails_and_keeps_nothing)
{
	char *src = kt_read(FIX "/timeline/page-002.json"), *pages = kt_tmpdir();
	char *p1 = kt_read(FIX "/timeline/page-001.json");
	cr_assert(src && p1);
	char *a = kt_path(pages, "page-001.json"), *b = kt_path(pages, "page-002.json");
	kt_write(a, p1);
	kt_write_bytes(b, src, 1000); /* cut inside line 37 of the pretty-printed page */
	struct kt_run r;
	char *dir = collect_in(pages, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "page-002.json:"), "the file is not named:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "the file was cut short"), RUN_FMT, RUN_ARGS(r));
	int lines = 1;
	for (int i = 0; i < 1000; i++)
		lines += src[i] == '\n';
	char where[64];
	snprintf(where, sizeof where, "page-002.json:%d:", lines);
	cr_assert(strstr(r.err, where), "want %s in:" RUN_FMT, where, RUN_ARGS(r));
	cr_assert_eq(count_items(dir), 0, "the first page must be rolled back");
	kt_run_free(&r);
	done(dir);
	kt_rmtree(pages);
	free(pages);
	free(a);
	free(b);
	free(src);
	free(p1);
}

Test(mastodon_bad, invalid_json_names_line_and_column)
{
	char *tmp = kt_tmpdir(), *f = kt_path(tmp, "bad.json");
	kt_write(f, "[\n  {\"id\": \"1\",\n   \"content\" \"<p>x</p>\"}\n]\n");
	struct kt_run r;
	char *dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "bad.json:3:14: not valid JSON (unexpected '\"')"),
	          RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "[{\"id\": \"1\", \"content\": \"<p>x</p>\"}] trailing");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "bad.json:1:38: not valid JSON (unexpected 't')"), RUN_FMT,
	          RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "{\"error\": \"Record not found\"}");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "Record not found"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "{\"uri\": \"https://toot.example\", \"title\": \"an instance\"}");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "holds no Mastodon statuses"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	kt_write(f, "  \n");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "bad.json: the file is empty"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);
	free(f);
	done(tmp);
}

Test(mastodon_bad, escapes_bom_and_strings_that_are_not_text)
{
	char *tmp = kt_tmpdir(), *f = kt_path(tmp, "esc.json");
	/* A BOM; \u escapes with a surrogate pair.  cJSON ends a string at
	 * \u0000, so status 8's text stops there (Mastodon never sends one:
	 * its database cannot hold a NUL). */
	kt_write(f, "\xEF\xBB\xBF[{\"id\":\"7\",\"content\":\"<p>caf\\u00e9 \\ud83d\\ude00\\n"
	            "\\\"ok\\\"</p>\",\"account\":{\"acct\":\"a@b.example\"}},"
	            "{\"id\":\"8\",\"content\":\"<p>nul\\u0000</p>\"}]");
	struct kt_run r;
	char *dir = collect_in(f, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cJSON *o = show(dir, "mastodon:7");
	EQ(o, "text", "caf\xC3\xA9 \xF0\x9F\x98\x80 \"ok\"");
	EQ(o, "author.handle", "@a@b.example");
	NUL(o, "author.name");
	cJSON_Delete(o);
	o = show(dir, "mastodon:8");
	EQ(o, "text", "nul");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);

	/* A lone surrogate is no character: the page is refused, naming it. */
	kt_write(f, "[{\"id\":\"9\",\"content\":\"a\\ud800b\"}]");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "esc.json:1:24: not valid JSON (unexpected '\\')"),
	          RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	done(dir);

	/* A raw control character in a string breaks RFC 8259, but cJSON
	 * reads it as it stands: the tab is white space in the text. */
	kt_write(f, "[{\"id\":\"9\",\"content\":\"tab\there\"}]");
	dir = collect_in(f, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	o = show(dir, "mastodon:9");
	EQ(o, "text", "tab here");
	cJSON_Delete(o);
	kt_run_free(&r);
	done(dir);
	free(f);
	done(tmp);
}

/* A page of many bad entries: the first 20 warnings are shown, the rest
 * counted, and the good status is still collected. */
Test(mastodon_bad, warnings_are_capped)
{
	char *tmp = kt_tmpdir(), *f = kt_path(tmp, "many.json");
	char text[4096] = "[";
	for (int i = 0; i < 25; i++)
		strcat(text, "42, ");
	strcat(text, "{\"id\": \"99\", \"content\": \"<p>still here</p>\"}]");
	kt_write(f, text);
	struct kt_run r;
	char *dir = collect_in(f, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	int shown = 0;
	for (const char *p = r.err; (p = strstr(p, "is not a status object")); p++)
		shown++;
	cr_assert_eq(shown, 20, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "5 more warnings were not shown"), RUN_FMT, RUN_ARGS(r));
	cr_assert_eq(count_items(dir), 1);
	kt_run_free(&r);
	done(dir);
	free(f);
	done(tmp);
}
