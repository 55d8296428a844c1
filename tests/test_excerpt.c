/* Excerpts: a curator-approved shortening of a quote for cards that cannot
 * hold all of it.  Only the original's own words, in order, on word
 * boundaries (kudos_excerpt_make, in process); kept beside the original,
 * audited with the curator as actor, shown by `kudos show`, voided by an
 * edit upstream, and never used in place of the text by other outputs
 * (through the real binary). */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "excerpt.h"
#include "helpers.h"
#include "leakcheck.h"

#define ORIGINAL                                                                  \
	"We switched our whole support team over in a week. Response times dropped " \
	"by half and our customers noticed \xe2\x80\x94 three of them wrote to thank " \
	"us. Honestly the best purchase we made this year."

/* The excerpt of `original` from `parts`, or NULL with *err set. */
static char *make(const char *original, const char *const *parts, size_t n,
                  struct kudos_error *err)
{
	char *out = NULL;
	memset(err, 0, sizeof *err);
	if (kudos_excerpt_make("csv:p1", original, parts, n, &out, err) < 0) {
		cr_assert_null(out);
		return NULL;
	}
	return out;
}

Test(make, passages_are_joined_with_an_ellipsis_where_words_were_left_out)
{
	static const struct {
		const char *parts[3];
		const char *want;
	} cases[] = {
		{{"Response times dropped by half \xe2\x80\xa6 Honestly the best purchase we made "
		  "this year."},
		 "\xe2\x80\xa6 Response times dropped by half \xe2\x80\xa6 Honestly the best "
		 "purchase we made this year."},
		/* several --text, and "..." as the mark */
		{{"We switched our whole support team over in a week.",
		  "the best purchase ... this year."},
		 "We switched our whole support team over in a week. \xe2\x80\xa6 the best "
		 "purchase \xe2\x80\xa6 this year."},
		/* the original's own punctuation where no word is left out */
		{{"Response times dropped by half", "and our customers noticed"},
		 "\xe2\x80\xa6 Response times dropped by half and our customers noticed \xe2\x80\xa6"},
		{{"customers noticed", "three of them wrote"},
		 "\xe2\x80\xa6 customers noticed \xe2\x80\x94 three of them wrote \xe2\x80\xa6"},
		/* white space is white space: the original's is kept */
		{{"Response   times\ndropped"}, "\xe2\x80\xa6 Response times dropped \xe2\x80\xa6"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct kudos_error err;
		size_t n = 0;
		while (n < 3 && cases[i].parts[n])
			n++;
		char *got = make(ORIGINAL, cases[i].parts, n, &err);
		cr_assert_not_null(got, "case %zu: %s", i, err.msg);
		cr_expect_str_eq(got, cases[i].want, "case %zu", i);
		free(got);
	}
	KT_ASSERT_NO_LEAKS();
}

Test(make, only_the_originals_words_in_order_on_word_boundaries)
{
	static const struct {
		const char *part, *says;
	} cases[] = {
		{"Response times dropped by a third", "is not in the quote's own words"},
		{"response times dropped", "is not in the quote's own words"}, /* case */
		{"the best purchase \xe2\x80\xa6 Response times", "comes earlier in the quote"},
		{"times dropped by hal", "would cut a word in two"},
		{"esponse times", "would cut a word in two"},
		{"\xe2\x80\xa6 ...", "the excerpt is empty"},
		{ORIGINAL, "keep every word of the quote"},
		{"We switched our whole support team over in a week. ... Response times "
		 "dropped by half and our customers noticed \xe2\x80\x94 three of them wrote "
		 "to thank us. Honestly the best purchase we made this year.",
		 "keep every word of the quote"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct kudos_error err;
		char *got = make(ORIGINAL, &cases[i].part, 1, &err);
		cr_expect_null(got, "case %zu was accepted: %s", i, got);
		free(got);
		cr_expect_eq(err.status, 2, "case %zu: bad input is exit status 2", i);
		cr_expect(strstr(err.msg, cases[i].says), "case %zu: %s", i, err.msg);
		cr_expect(strstr(err.msg, "csv:p1"), "the item is named: %s", err.msg);
	}
	KT_ASSERT_NO_LEAKS();
}

Test(make, compared_after_nfc_and_kept_as_the_original_has_it)
{
	/* The original is NFC ("café" with U+00E9); the curator typed e +
	 * U+0301.  The excerpt carries the original's bytes. */
	const char *original = "The caf\xc3\xa9 downstairs uses it. It was... amazing, truly.";
	const char *typed[] = {"caf" "e\xcc\x81" " downstairs"};
	const char *dots[] = {"It was... amazing"};
	struct kudos_error err;
	char *got = make(original, typed, 1, &err);
	cr_assert_not_null(got, "%s", err.msg);
	cr_expect_str_eq(got, "\xe2\x80\xa6 caf\xc3\xa9 downstairs \xe2\x80\xa6");
	free(got);
	/* "..." inside the original's words leaves nothing out: kept as is */
	got = make(original, dots, 1, &err);
	cr_assert_not_null(got, "%s", err.msg);
	cr_expect_str_eq(got, "\xe2\x80\xa6 It was... amazing \xe2\x80\xa6");
	free(got);
	/* scripts written without spaces may be cut between any characters */
	const char *ja = "\xe6\xaf\x8e\xe6\x9c\x9d\xe3\x81\x93\xe3\x81\xae\xe3\x83\x9f\xe3\x83"
	                 "\xab\xe3\x81\xa7\xe8\xb1\x86\xe3\x82\x92\xe6\x8c\xbd\xe3\x81\x8f";
	const char *ja_part[] = {"\xe3\x81\x93\xe3\x81\xae\xe3\x83\x9f\xe3\x83\xab"};
	got = make(ja, ja_part, 1, &err);
	cr_assert_not_null(got, "%s", err.msg);
	cr_expect_str_eq(got, "\xe2\x80\xa6 \xe3\x81\x93\xe3\x81\xae\xe3\x83\x9f\xe3\x83\xab "
	                      "\xe2\x80\xa6");
	free(got);
	KT_ASSERT_NO_LEAKS();
}

/* ---- through kudos ------------------------------------------------------- */

static char *dir;

static void setup(void)
{
	dir = kt_tmpdir();
}

static void teardown(void)
{
	kt_rmtree(dir);
	free(dir);
}

TestSuite(excerpt, .init = setup, .fini = teardown, .timeout = 120);

/* data.csv with one consented answer whose text is `text`, and a job with
 * a widget (web) and cards (print, a card too small for the quote). */
static char *job_with(const char *text)
{
	char *csv = NULL, *path = kt_path(dir, "data.csv");
	cr_assert(asprintf(&csv, "id,name,text,consent\np1,Dana Whitfield,\"%s\",yes\n", text) > 0);
	kt_write(path, csv);
	free(csv);
	free(path);
	return kt_job(dir,
	    "{\"name\": \"t\", \"store\": \"k.db\",\n"
	    " \"sources\": [{\"plugin\": \"csv\", \"path\": \"data.csv\",\n"
	    "   \"consent_column\": \"consent\", \"consent_scopes\": [\"web\", \"print\"]}],\n"
	    " \"curation\": {\"auto_approve\": [{\"name\": \"ok\", \"all\": {\"rights\": \"granted\"}}]},\n"
	    " \"outputs\": [{\"plugin\": \"widget-json\", \"path\": \"out/widget.json\"},\n"
	    "   {\"plugin\": \"cards-png\", \"dir\": \"out/cards\", \"preset\": \"og\",\n"
	    "    \"theme\": {\"quote_max\": 110, \"quote_min\": 100}}]}\n");
}

/* kudos CMD JOB [FLAG] with the plugins and the store. */
static struct kt_run kudos(const char *cmd, const char *job, const char *flag)
{
	const char *argv[] = {cmd, job, "--plugin-path", KT_PLUGINS, "--store", "k.db",
	                      flag, NULL};
	return kt_kudos_argv(dir, argv);
}

static cJSON *show_json(void)
{
	struct kt_run r = kt_kudos(dir, "show", "csv:p1", "--json", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cJSON *o = cJSON_Parse(r.out);
	cr_assert_not_null(o, "%s", r.out);
	kt_run_free(&r);
	return o;
}

static const char *excerpt_text(const cJSON *item)
{
	return cJSON_GetStringValue(
		cJSON_GetObjectItem(cJSON_GetObjectItem(item, "excerpt"), "text"));
}

/* Audit entries of csv:p1 with `action`, as "actor|detail" lines. */
static char *history(const char *action)
{
	struct kt_run r = kt_kudos(dir, "history", "csv:p1", "--json", "--store", "k.db", NULL);
	cJSON *arr, *e;
	char *out = calloc(1, 1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	arr = cJSON_Parse(r.out);
	cr_assert_not_null(arr, "%s", r.out);
	cJSON_ArrayForEach(e, arr)
	{
		const char *act = cJSON_GetStringValue(cJSON_GetObjectItem(e, "action"));
		const char *who = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor"));
		const char *detail = cJSON_GetStringValue(cJSON_GetObjectItem(e, "detail"));
		char *grown = NULL;
		if (!act || strcmp(act, action) != 0)
			continue;
		cr_assert(asprintf(&grown, "%s%s|%s\n", out, who ? who : "",
		                   detail ? detail : "") > 0);
		free(out);
		out = grown;
	}
	cJSON_Delete(arr);
	kt_run_free(&r);
	return out;
}

Test(excerpt, kept_beside_the_original_audited_and_shown)
{
	char *job = job_with(ORIGINAL);
	struct kt_run r = kudos("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);

	r = kt_kudos(dir, "excerpt", "csv:p1", "--text",
	             "Response times dropped by half \xe2\x80\xa6 the best purchase we made this year.",
	             "--actor", "mei", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\xe2\x80\xa6 Response times dropped by half \xe2\x80\xa6 the best"),
	          "%s", r.out);
	kt_run_free(&r);

	cJSON *item = show_json();
	cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(item, "text")), ORIGINAL,
	                 "the original stays verbatim");
	cr_expect_str_eq(excerpt_text(item),
	                 "\xe2\x80\xa6 Response times dropped by half \xe2\x80\xa6 the best "
	                 "purchase we made this year.");
	cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
	                     cJSON_GetObjectItem(item, "excerpt"), "approved_by")), "mei");
	cJSON_Delete(item);

	r = kt_kudos(dir, "show", "csv:p1", "--store", "k.db", NULL);
	cr_expect(strstr(r.out, ORIGINAL), "%s", r.out);
	cr_expect(strstr(r.out, "excerpt, for outputs that cannot hold the whole quote "
	                        "(approved by mei"), "%s", r.out);
	kt_run_free(&r);

	char *h = history("excerpt");
	cr_expect(strstr(h, "mei|\xe2\x80\xa6 Response times dropped by half"),
	          "the curator is the actor, the words the detail: %s", h);
	free(h);
	r = kt_kudos(dir, "audit", "verify", "--store", "k.db", NULL);
	cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);

	r = kt_kudos(dir, "excerpt", "csv:p1", "--clear", "--actor", "mei", "--store", "k.db",
	             NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	item = show_json();
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(item, "excerpt")));
	cJSON_Delete(item);
	h = history("excerpt_cleared");
	cr_expect(strstr(h, "mei|"), "%s", h);
	free(h);
	free(job);
}

Test(excerpt, anything_but_the_originals_words_is_refused_with_exit_2)
{
	static const struct {
		const char *a, *b, *says;
	} cases[] = {
		{"--text", "Response times dropped by a third", "is not in the quote's own words"},
		{"--text", "times dropped by hal", "would cut a word in two"},
		{"--text", "the best purchase \xe2\x80\xa6 Response times", "comes earlier"},
		{"--text", ORIGINAL, "keep every word"},
		{"--clear", "--text=Response times", "either --text"},
		{"--actor", "mei", "either --text"},
	};
	char *job = job_with(ORIGINAL);
	struct kt_run r = kudos("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = kt_kudos(dir, "excerpt", "csv:p1", cases[i].a, cases[i].b, "--store", "k.db",
		             NULL);
		cr_expect_eq(r.status, 2, "case %zu: %s", i, r.err);
		cr_expect(strstr(r.err, cases[i].says), "case %zu: %s", i, r.err);
		cr_expect_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		             "case %zu: one line: %s", i, r.err);
		kt_run_free(&r);
	}
	r = kt_kudos(dir, "excerpt", "csv:nope", "--text", "Response", "--store", "k.db", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "no item with id 'csv:nope'"), "%s", r.err);
	kt_run_free(&r);
	cJSON *item = show_json();
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(item, "excerpt")), "nothing was stored");
	cJSON_Delete(item);
	char *h = history("excerpt");
	cr_expect_str_eq(h, "", "nothing was audited: %s", h);
	free(h);
	free(job);
}

Test(excerpt, an_edit_upstream_voids_it)
{
	char *job = job_with(ORIGINAL);
	struct kt_run r = kudos("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "excerpt", "csv:p1", "--text", "Honestly the best purchase",
	             "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);

	/* Collecting the same text again changes nothing. */
	r = kudos("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	cJSON *item = show_json();
	cr_expect_not_null(excerpt_text(item), "an unchanged item keeps its excerpt");
	cJSON_Delete(item);

	/* The customer edits the review: the approved words may no longer be
	 * theirs, so the excerpt goes, audited with the source as actor. */
	free(job);
	job = job_with("We switched our support team over in a week. Honestly not the best "
	               "purchase, but good.");
	r = kudos("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	item = show_json();
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(item, "excerpt")), "%s",
	          excerpt_text(item));
	cJSON_Delete(item);
	char *h = history("excerpt_invalidated");
	cr_expect(strstr(h, "csv|the text changed upstream"), "%s", h);
	free(h);
	/* A new excerpt of the new words can be approved. */
	r = kt_kudos(dir, "excerpt", "csv:p1", "--text", "We switched our support team over",
	             "--store", "k.db", NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	free(job);
}

Test(excerpt, cards_draw_it_only_when_needed_and_other_outputs_never)
{
	char *job = job_with(ORIGINAL), *widget, *side;
	struct kt_run r = kudos("run", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "does not fit"), "an og card at 100 px is too small: %s", r.err);
	cr_expect(strstr(r.err, "kudos excerpt csv:p1"), "it says what to do: %s", r.err);
	kt_run_free(&r);

	r = kt_kudos(dir, "excerpt", "csv:p1", "--text",
	             "Response times dropped by half \xe2\x80\xa6 the best purchase we made this year.",
	             "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	setenv("KUDOS_CARDS_DEBUG_BOXES", "1", 1);
	r = kudos("render", job, "-v");
	unsetenv("KUDOS_CARDS_DEBUG_BOXES");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "the card shows the curator's excerpt"), "%s", r.err);
	cr_expect(strstr(r.out, "cards-png: rendered 1 item"), "%s", r.out);
	kt_run_free(&r);

	/* The card: the excerpt, marked; the widget: the whole text. */
	char *wpath = kt_path(dir, "out/widget.json");
	widget = kt_read(wpath);
	free(wpath);
	cr_assert_not_null(widget);
	cr_expect(strstr(widget, "three of them wrote to thank us"), "the widget keeps the "
	          "original");
	cr_expect_null(strstr(widget, "\xe2\x80\xa6"), "and no excerpt");
	free(widget);
	struct kt_run ls = kt_kudos(dir, "show", "csv:p1", "--json", "--store", "k.db", NULL);
	cJSON *item = cJSON_Parse(ls.out), *pub;
	const char *card = NULL;
	cJSON_ArrayForEach(pub, cJSON_GetObjectItem(item, "published"))
	{
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(pub, "path"));
		if (path && strstr(path, ".png"))
			card = path;
	}
	cr_assert_not_null(card, "%s", ls.out);
	cr_assert(asprintf(&side, "%.*s.boxes.json", (int)(strlen(card) - 4), card) > 0);
	char *text = kt_read(side);
	cr_assert_not_null(text, "%s", side);
	cJSON *boxes = cJSON_Parse(text);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(boxes, "excerpt")), "%s", text);
	cJSON_Delete(boxes);
	free(text);
	free(side);
	cJSON_Delete(item);
	kt_run_free(&ls);
	free(job);
}
