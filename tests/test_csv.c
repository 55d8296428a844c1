/*
 * source-csv end to end: `kudos collect` on a CSV written by the test,
 * then `kudos list --json` / `kudos show --json` to see what was stored.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define RUN_FMT "\n  exit status %d\n  --- stdout ---\n%s\n  --- stderr ---\n%s"
#define RUN_ARGS(r) (r).status, (r).out ? (r).out : "(none)", (r).err ? (r).err : "(none)"

/* Write `name` (len bytes of csv) and a job reading it into kudos.db, with
 * `extra` (",\"key\": value..." or "") added to the source entry; return
 * the job's file name (static). */
static const char *make_job(const char *dir, const char *job, const char *name,
                            const void *csv, size_t len, const char *extra)
{
	char *p = kt_path(dir, name);
	kt_write_bytes(p, csv, len);
	free(p);
	char *text = NULL;
	cr_assert(asprintf(&text,
	                   "{ \"name\": \"csvtest\", \"store\": \"kudos.db\",\n"
	                   "  \"sources\": [ { \"plugin\": \"csv\", \"path\": \"%s\"%s } ] }\n",
	                   name, extra) > 0);
	p = kt_path(dir, job);
	kt_write(p, text);
	free(p);
	free(text);
	return job;
}

static struct kt_run collect(const char *dir, const char *job)
{
	return kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
}

/* Collect `csv` (a C string) with `extra` source keys; assert exit 0. */
static void collect_ok(const char *dir, const char *csv, const char *extra)
{
	make_job(dir, "job.json", "data.csv", csv, strlen(csv), extra);
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 0, "collect failed:" RUN_FMT "\n--- CSV ---\n%s", RUN_ARGS(r), csv);
	kt_run_free(&r);
}

static cJSON *list_json(const char *dir)
{
	struct kt_run r = kt_kudos(dir, "list", "--json", NULL);
	cr_assert_eq(r.status, 0, "list --json:" RUN_FMT, RUN_ARGS(r));
	cJSON *a = cJSON_Parse(r.out);
	cr_assert(cJSON_IsArray(a), "list --json is not an array:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	return a;
}

static const cJSON *by_id(const cJSON *arr, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		if (v && strcmp(v, id) == 0)
			return e;
	}
	return NULL;
}

static const char *text_of(const cJSON *item)
{
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "text"));
	return t ? t : "(no text)";
}

static const char *author_of(const cJSON *item)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "author");
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "name"));
	return t ? t : "(no name)";
}

static const char *rights_of(const cJSON *item)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(item, "rights");
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "state"));
	return t ? t : "(no state)";
}

/* The item's scopes joined with ','. */
static const char *scopes_of(const cJSON *item)
{
	static char buf[4][128];
	static int slot;
	char *b = buf[slot++ % 4];
	b[0] = '\0';
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(item, "rights");
	const cJSON *s, *arr = cJSON_GetObjectItemCaseSensitive(r, "scopes");
	if (!cJSON_IsArray(arr))
		return "(no scopes array)";
	cJSON_ArrayForEach(s, arr)
	{
		if (*b)
			strncat(b, ",", 127 - strlen(b));
		strncat(b, cJSON_IsString(s) ? s->valuestring : "?", 127 - strlen(b));
	}
	return b;
}

static char *dump(const cJSON *v)
{
	static char *last;
	free(last);
	last = cJSON_Print(v);
	return last ? last : "(null)";
}

#define ITEM(arr, id)                                                                   \
	({                                                                              \
		const cJSON *it_ = by_id((arr), (id));                                  \
		cr_assert(it_, "no item %s in the store:\n%s", (id), dump(arr));        \
		it_;                                                                    \
	})

/* ---- RFC 4180 ------------------------------------------------------------ */

Test(csv, rfc4180_quotes_crlf_bom_emoji_no_final_newline)
{
	static const char csv[] =
		"\xEF\xBB\xBF"
		"id,name,text\r\n"
		"q1,\"Lee, Ann\",\"Fast, quiet, cheap\"\r\n"
		"q2,Bob,\"She said \"\"wow\"\"\"\r\n"
		"q3,Cy,\"line one\r\nline two\"\r\n"
		"\r\n"
		"q4,Dee,Tr\xC3\xA8s bien \xF0\x9F\x91\x8D \xE2\x80\x94 \xC3\xA7" "a marche\r\n"
		"\r\n"
		"q5,Eve,\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, "");
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 5, "5 rows, the empty lines skipped:\n%s", dump(arr));
	cr_assert_str_eq(author_of(ITEM(arr, "csv:q1")), "Lee, Ann");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:q1")), "Fast, quiet, cheap");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:q2")), "She said \"wow\"");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:q3")), "line one\nline two",
	                 "CRLF inside quotes must become LF");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:q4")),
	                 "Tr\xC3\xA8s bien \xF0\x9F\x91\x8D \xE2\x80\x94 \xC3\xA7" "a marche");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:q5")),
	                 "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99",
	                 "the last row, without a final newline");
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, lf_lines_and_quoted_lf)
{
	static const char csv[] = "id,text,name\n"
	                          "l1,\"two\nlines\",Ann\n"
	                          "\n"
	                          "l2,\"  padded  \",Bob\n"
	                          "l3,\"\"\"quoted\"\" start\",Cy\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, "");
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 3, "%s", dump(arr));
	cr_assert_str_eq(text_of(ITEM(arr, "csv:l1")), "two\nlines");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:l2")), "padded", "values are trimmed");
	cr_assert_str_eq(text_of(ITEM(arr, "csv:l3")), "\"quoted\" start");
	cr_assert_str_eq(author_of(ITEM(arr, "csv:l3")), "Cy");
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

/* ---- columns ---------------------------------------------------------------- */

Test(csv, columns_mapping_with_custom_headers)
{
	static const char csv[] = "Response,Who,Stars,What did you like?,When,Ignored\n"
	                          "r-1,Ann Lee,4,Solid build,2026-03-01 09:30:00,zzz\n"
	                          "r-2,Bob Roy,5,Quiet motor,2026-03-02T10:00:00+02:00,yyy\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv,
	           ", \"columns\": { \"id\": \"Response\", \"author_name\": \"Who\", "
	           "\"rating\": \"Stars\", \"text\": \"What did you like?\", \"created_at\": \"When\" }");
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s", dump(arr));
	const cJSON *r1 = ITEM(arr, "csv:r-1"), *r2 = ITEM(arr, "csv:r-2");
	cr_assert_str_eq(text_of(r1), "Solid build");
	cr_assert_str_eq(author_of(r1), "Ann Lee");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "created_at")),
	                 "2026-03-01T09:30:00Z");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r2, "created_at")),
	                 "2026-03-02T08:00:00Z", "+02:00 converted to UTC");
	const cJSON *rating = cJSON_GetObjectItemCaseSensitive(r2, "rating");
	cr_assert(cJSON_IsObject(rating), "%s", dump(r2));
	cr_assert_eq(cJSON_GetObjectItemCaseSensitive(rating, "value")->valuedouble, 5);
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, mapped_header_missing_is_refused)
{
	static const char csv[] = "Said,Who\nGood,Ann\n";
	char *dir = kt_tmpdir();
	make_job(dir, "job.json", "data.csv", csv, strlen(csv),
	         ", \"columns\": { \"text\": \"Said\", \"author_name\": \"Full Name Here\" }");
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "Full Name Here"), "the missing header is not named:" RUN_FMT,
	          RUN_ARGS(r));
	cr_assert(strstr(r.err, "data.csv"), "the file is not named:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, unknown_field_in_columns_is_refused)
{
	static const char csv[] = "Said,Who\nGood,Ann\n";
	char *dir = kt_tmpdir();
	make_job(dir, "job.json", "data.csv", csv, strlen(csv),
	         ", \"columns\": { \"text\": \"Said\", \"colour\": \"Who\" }");
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "colour"), "the unknown field is not named:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "author_name"), "valid fields not listed:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

/* ---- consent ------------------------------------------------------------------ */

Test(csv, consent_truthy_values_grant_configured_scopes)
{
	static const char csv[] = "id,text,ok\n"
	                          "c1,one,yes\n"
	                          "c2,two,YES\n"
	                          "c3,three,true\n"
	                          "c4,four,1\n"
	                          "c5,five,x\n"
	                          "c6,six,no\n"
	                          "c7,seven,\n"
	                          "c8,eight, Yes \n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv,
	           ", \"consent_column\": \"ok\", \"consent_scopes\": [\"web\", \"print\"]");
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 8, "%s", dump(arr));
	static const char *const yes[] = {"csv:c1", "csv:c2", "csv:c3", "csv:c4", "csv:c5",
	                                  "csv:c8"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		const cJSON *it = ITEM(arr, yes[i]);
		cr_assert_str_eq(rights_of(it), "granted", "%s:\n%s", yes[i], dump(it));
		cr_assert_str_eq(scopes_of(it), "web,print", "%s:\n%s", yes[i], dump(it));
	}
	static const char *const no[] = {"csv:c6", "csv:c7"};
	for (size_t i = 0; i < 2; i++) {
		const cJSON *it = ITEM(arr, no[i]);
		cr_assert_str_eq(rights_of(it), "none", "%s:\n%s", no[i], dump(it));
		cr_assert_str_eq(scopes_of(it), "", "%s:\n%s", no[i], dump(it));
	}
	cJSON_Delete(arr);

	/* The grant's evidence says where the consent came from. */
	struct kt_run r = kt_kudos(dir, "show", "csv:c1", "--json", NULL);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "form consent"), "no evidence:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, consent_scopes_default_to_web)
{
	static const char csv[] = "id,text,May we quote you?\nd1,one,Yes\nd2,two,No\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, ", \"consent_column\": \"May we quote you?\"");
	cJSON *arr = list_json(dir);
	cr_assert_str_eq(rights_of(ITEM(arr, "csv:d1")), "granted");
	cr_assert_str_eq(scopes_of(ITEM(arr, "csv:d1")), "web");
	cr_assert_str_eq(rights_of(ITEM(arr, "csv:d2")), "none");
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

/* ---- ids -------------------------------------------------------------------- */

Test(csv, ids_without_id_column_are_stable)
{
	static const char csv[] = "name,text,rating\n"
	                          "Ann,First answer,5\n"
	                          "Bob,Second answer,4\n"
	                          "Cy,Third answer,\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, "");
	cJSON *first = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(first), 3, "%s", dump(first));
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "0 new"), "a second collect found new items:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "3 unchanged"), RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *second = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(second), 3, "%s", dump(second));
	const cJSON *e;
	cJSON_ArrayForEach(e, first)
	{
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		cr_assert(id && strncmp(id, "csv:row-", 8) == 0, "%s", dump(first));
		cr_assert(by_id(second, id), "id %s changed between collects", id);
	}

	/* Another export with the rows in another order: still the same ids. */
	static const char reordered[] = "name,text,rating\n"
	                                "Cy,Third answer,\n"
	                                "Ann,First answer,5\n"
	                                "Bob,Second answer,4\n";
	char *p = kt_path(dir, "data.csv");
	kt_write(p, reordered);
	free(p);
	r = collect(dir, "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.out, "0 new"), "row order changed the ids:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON_Delete(first);
	cJSON_Delete(second);
	kt_rmtree(dir);
	free(dir);
}

/* ---- malformed files store nothing --------------------------------------------- */

/* A store holding one item from good.csv, then the bad file `csv`
 * collected through bad.json: exit 2, stderr names the file and `line`,
 * and the store still holds only csv:g1. */
static void bad_file(const char *csv, const char *line)
{
	static const char good[] = "id,text\ng1,kept\n";
	char *dir = kt_tmpdir();
	make_job(dir, "good.json", "good.csv", good, strlen(good), "");
	struct kt_run r = collect(dir, "good.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	make_job(dir, "bad.json", "bad.csv", csv, strlen(csv), "");
	r = collect(dir, "bad.json");
	cr_assert_eq(r.status, 2, RUN_FMT "\n--- CSV ---\n%s", RUN_ARGS(r), csv);
	cr_assert(strstr(r.err, "bad.csv"), "the file is not named:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, line), "\"%s\" is not named:" RUN_FMT, line, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 1, "rows of a refused file were stored:\n%s",
	             dump(arr));
	cr_assert(by_id(arr, "csv:g1"), "%s", dump(arr));
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, short_row_is_refused_with_its_line)
{
	bad_file("id,name,text\n"
	         "s1,Ann,fine\n"
	         "s2,Bob,good\n"
	         "s3,Cy\n"
	         "s4,Dee,last\n",
	         "line 4");
}

Test(csv, long_row_is_refused_with_its_line)
{
	bad_file("id,name,text\n"
	         "s1,Ann,fine\n"
	         "s2,Bob,good, with an unquoted comma\n",
	         "line 3");
}

Test(csv, unterminated_quote_is_refused_with_its_line)
{
	bad_file("id,name,text\n"
	         "u1,Ann,fine\n"
	         "u2,Bob,\"this never\n"
	         "ends,at all\n"
	         "u3,Cy,ok\n",
	         "line 3");
}

Test(csv, latin1_byte_is_refused_with_its_line)
{
	bad_file("id,name,text\n"
	         "n1,Ann,fine\n"
	         "n2,Bob,good\n"
	         "n3,Jos\xe9,caf\xe9\n",
	         "line 4");
}

Test(csv, empty_text_row_is_skipped_with_a_warning)
{
	static const char csv[] = "id,name,text\n"
	                          "e1,Ann,first\n"
	                          "e2,Bob,\n"
	                          "e3,Cy,third\n";
	char *dir = kt_tmpdir();
	make_job(dir, "job.json", "data.csv", csv, strlen(csv), "");
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "line 3"), "no warning naming line 3:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 2, "%s", dump(arr));
	ITEM(arr, "csv:e1");
	ITEM(arr, "csv:e3");
	cr_assert(!by_id(arr, "csv:e2"), "the empty row was stored:\n%s", dump(arr));
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

/* ---- values ----------------------------------------------------------------- */

static void assert_rating(const cJSON *arr, const char *id, double value, double scale)
{
	const cJSON *it = ITEM(arr, id);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "rating");
	cr_assert(cJSON_IsObject(r), "%s has no rating:\n%s", id, dump(it));
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "value");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "scale");
	cr_assert(cJSON_IsNumber(v) && cJSON_IsNumber(s), "%s", dump(it));
	cr_assert(v->valuedouble == value && s->valuedouble == scale,
	          "%s: rating %g/%g, expected %g/%g", id, v->valuedouble, s->valuedouble, value,
	          scale);
}

Test(csv, ratings_and_scales)
{
	static const char csv[] = "id,text,rating\n"
	                          "r1,whole,4\n"
	                          "r2,half,4.5\n"
	                          "r3,own scale,9/10\n"
	                          "r4,comma decimal,\"3,5\"\n"
	                          "r5,none,\n"
	                          "r6,nonsense,great\n";
	char *dir = kt_tmpdir();
	make_job(dir, "job.json", "data.csv", csv, strlen(csv), "");
	struct kt_run r = collect(dir, "job.json");
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "great"), "a bad rating is warned about:" RUN_FMT, RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *arr = list_json(dir);
	cr_assert_eq(cJSON_GetArraySize(arr), 6, "%s", dump(arr));
	assert_rating(arr, "csv:r1", 4, 5);
	assert_rating(arr, "csv:r2", 4.5, 5);
	assert_rating(arr, "csv:r3", 9, 10);
	assert_rating(arr, "csv:r4", 3.5, 5);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ITEM(arr, "csv:r5"), "rating")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ITEM(arr, "csv:r6"), "rating")));
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, rating_scale_key)
{
	static const char csv[] = "id,text,rating\nt1,ten,8\nt2,own,3/5\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, ", \"rating_scale\": 10");
	cJSON *arr = list_json(dir);
	assert_rating(arr, "csv:t1", 8, 10);
	assert_rating(arr, "csv:t2", 3, 5);
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}

Test(csv, text_is_normalised_to_nfc)
{
	/* "café" with e + U+0301 COMBINING ACUTE ACCENT. */
	static const char csv[] = "id,text,name\nf1,Caf" "e\xCC\x81 cr" "e\xCC\x81me,Zo" "e\xCC\x81\n";
	char *dir = kt_tmpdir();
	collect_ok(dir, csv, "");
	cJSON *arr = list_json(dir);
	const cJSON *it = ITEM(arr, "csv:f1");
	cr_assert_str_eq(text_of(it), "Caf\xC3\xA9 cr\xC3\xA9me", "text not NFC:\n%s", dump(it));
	cJSON_Delete(arr);
	kt_rmtree(dir);
	free(dir);
}
