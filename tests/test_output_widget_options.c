/*
 * widget-json options through the real kudos binary: sort (newest,
 * rating, random with a seed), limit, min_rating and sources (with the
 * aggregate still over everything), split by source and by tag (file
 * names, the index, a part that empties), and the schema.org JSON-LD.
 * Every widget file written is validated by ajv against the schema.
 * Fixture: tests/fixtures/widget-json/items.json (see test_output_widget.c).
 */
#include "fixtures/widget-json/widget_test.h"

#define AGG_ALL "{\"rating_count\":6,\"rating_average\":3.33,\"sources\":[\"wfix\"]}"

static char *agg_of(const cJSON *w)
{
	char *s = cJSON_PrintUnformatted(cJSON_GetObjectItem(w, "aggregate"));
	cr_assert(s);
	return s;
}

/* Run a job whose widget entry has `extra`; return the widget (and check
 * the aggregate is over every rated item whatever the options). */
static cJSON *widget_with(char **dirp, const char *extra)
{
	char *dir = wt_setup("items.json", extra, NULL, NULL);
	free(wt_run_ok(dir));
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	cJSON *w = wt_json(dir, "out/widget.json");
	char *agg = agg_of(w);
	cr_assert_str_eq(agg, AGG_ALL, "the aggregate moved with %s", extra);
	free(agg);
	*dirp = dir;
	return w;
}

Test(options, sort_rating_puts_the_best_first_and_limit_cuts_after_sorting)
{
	char *dir;
	cJSON *w = widget_with(&dir, "\"sort\": \"rating\"");
	/* 5/5, 9/10, 4/5, 2/4, then the unrated newest first. */
	cr_assert_str_eq(wt_ids(w), "wfix:mapped wfix:full wfix:hostile wfix:employee wfix:iri "
	                            "wfix:localav wfix:outside");
	cJSON_Delete(w);
	wt_done(dir);
	w = widget_with(&dir, "\"sort\": \"rating\", \"limit\": 3");
	cr_assert_str_eq(wt_ids(w), "wfix:mapped wfix:full wfix:hostile");
	cr_assert_eq(cJSON_GetObjectItem(w, "count")->valuedouble, 3);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(options, newest_with_a_limit_records_only_the_items_placed)
{
	char *dir;
	cJSON *w = widget_with(&dir, "\"limit\": 2");
	cr_assert_str_eq(wt_ids(w), "wfix:full wfix:mapped");
	struct kt_run r = wt_kudos(dir, "show", "wfix:hostile", "--json", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	cr_assert(!strstr(r.out, "widget.json"), "an item left out by limit is recorded as published:\n%s", r.out);
	kt_run_free(&r);
	r = wt_kudos(dir, "show", "wfix:full", "--json", "--store", "k.db", NULL);
	cr_assert(strstr(r.out, "out/widget.json"), "a placed item is not recorded:\n%s", r.out);
	kt_run_free(&r);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(options, sort_random_is_fixed_by_the_seed)
{
	char *d1, *d2, *d3;
	cJSON *a = widget_with(&d1, "\"sort\": \"random\", \"seed\": 7");
	cJSON *b = widget_with(&d2, "\"sort\": \"random\", \"seed\": 7");
	cJSON *c = widget_with(&d3, "\"sort\": \"random\", \"seed\": 8");
	char ida[4096], idc[4096];
	snprintf(ida, sizeof ida, "%s", wt_ids(a));
	snprintf(idc, sizeof idc, "%s", wt_ids(c));
	cr_assert_str_eq(wt_ids(b), ida, "the same seed gave another order");
	cr_assert_str_neq(idc, ida, "seeds 7 and 8 gave the same order");
	cr_assert_str_neq(ida, "wfix:full wfix:mapped wfix:hostile wfix:iri wfix:employee wfix:localav "
	                       "wfix:outside", "random is the newest order");
	/* Every item is still there, once. */
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(a, "items")), 7);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	free(d2);
	free(d3);
	wt_done(d1);
}

Test(options, min_rating_shows_fewer_items_but_the_aggregate_stays)
{
	char *dir;
	/* 9 of 10 is 4.5 on the 5 scale: it passes; unrated items do not. */
	cJSON *w = widget_with(&dir, "\"min_rating\": 4.5");
	cr_assert_str_eq(wt_ids(w), "wfix:full wfix:mapped");
	cJSON_Delete(w);
	wt_done(dir);
}

static const char CSV[] =
	"id,name,rating,date,text,consent\n"
	"k1,Kim,2,2026-03-09T00:00:00Z,From the form,yes\n"
	"k2,Lee,5,2026-02-01T00:00:00Z,Also from the form,yes\n";
#define CSV_SOURCE "{\"plugin\": \"csv\", \"path\": \"survey.csv\", \"consent_column\": \"consent\"}, "

static char *two_sources(const char *extra)
{
	char *dir = wt_setup("items.json", extra, NULL, CSV_SOURCE);
	char *p = kt_path(dir, "survey.csv");
	kt_write(p, CSV);
	free(p);
	return dir;
}

Test(options, sources_filters_items_and_the_aggregate_says_what_it_covers)
{
	char *dir = two_sources("\"sources\": [\"csv\"]");
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_str_eq(wt_ids(w), "csv:k1 csv:k2");
	char *agg = agg_of(w);
	/* 6 rated wfix items (sum 20) and 2 csv (7): 27 / 8. */
	cr_assert_str_eq(agg, "{\"rating_count\":8,\"rating_average\":3.38,\"sources\":[\"csv\",\"wfix\"]}");
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	free(agg);
	cJSON_Delete(w);
	wt_done(dir);

	dir = two_sources("\"sources\": [\"cvs\"]");
	struct kt_run r = wt_kudos(dir, "run", "job.json", NULL);
	cr_assert_eq(r.status, 2, WT_RUN_FMT, WT_RUN_ARGS(r));
	cr_assert(strstr(r.err, "\"sources\" names \"cvs\"") && strstr(r.err, "[\"csv\",\"wfix\"]"),
	          WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	wt_done(dir);
}

Test(options, split_by_source_writes_a_file_per_source_and_an_index)
{
	char *dir = two_sources("\"split\": \"source\"");
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_str_eq(wt_ids(w), "csv:k1 wfix:full wfix:mapped wfix:hostile wfix:iri wfix:employee "
	                            "wfix:localav wfix:outside csv:k2");
	char *parts = cJSON_PrintUnformatted(cJSON_GetObjectItem(w, "parts"));
	cr_assert_str_eq(parts, "[{\"key\":\"csv\",\"file\":\"widget.csv.json\",\"count\":2},"
	                        "{\"key\":\"wfix\",\"file\":\"widget.wfix.json\",\"count\":7}]");
	cJSON *csv = wt_json(dir, "out/widget.csv.json"), *wfix = wt_json(dir, "out/widget.wfix.json");
	cr_assert_str_eq(wt_ids(csv), "csv:k1 csv:k2");
	cr_assert_str_eq(wt_ids(wfix), "wfix:full wfix:mapped wfix:hostile wfix:iri wfix:employee "
	                               "wfix:localav wfix:outside");
	char *part = cJSON_PrintUnformatted(cJSON_GetObjectItem(csv, "part"));
	cr_assert_str_eq(part, "{\"by\":\"source\",\"key\":\"csv\"}");
	char *p0 = kt_path(dir, "out/widget.json"), *p1 = kt_path(dir, "out/widget.csv.json"),
	     *p2 = kt_path(dir, "out/widget.wfix.json");
	wt_validate(p0, p1, p2);
	free(p0);
	free(p1);
	free(p2);
	free(part);
	free(parts);
	cJSON_Delete(w);
	cJSON_Delete(csv);
	cJSON_Delete(wfix);
	wt_done(dir);
}

Test(options, split_by_tag_names_files_by_slug_and_empties_a_part_no_longer_needed)
{
	char *dir = wt_setup("items.json", "\"split\": \"tag\"", NULL, NULL);
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "out/widget.json");
	char *parts = cJSON_PrintUnformatted(cJSON_GetObjectItem(w, "parts"));
	cr_assert_str_eq(parts, "[{\"key\":\"Spring Sale\",\"file\":\"widget.spring-sale.json\",\"count\":1},"
	                        "{\"key\":\"grinders\",\"file\":\"widget.grinders.json\",\"count\":2},"
	                        "{\"key\":\"kettles\",\"file\":\"widget.kettles.json\",\"count\":1}]");
	cJSON *g = wt_json(dir, "out/widget.grinders.json");
	cr_assert_str_eq(wt_ids(g), "wfix:full wfix:mapped");
	/* The only kettle review is revoked: its part must not keep it. */
	struct kt_run r = wt_kudos(dir, "revoke", "wfix:hostile", "--reason", "withdrawn", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	r = wt_kudos(dir, "render", "job.json", "-v", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	cr_assert(strstr(r.err, "out/widget.kettles.json: no item left in this part"), WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *k = wt_json(dir, "out/widget.kettles.json");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(k, "items")), 0);
	cr_assert_str_eq(wt_str(cJSON_GetObjectItem(k, "part"), "key"), "kettles");
	cJSON *w2 = wt_json(dir, "out/widget.json");
	char *parts2 = cJSON_PrintUnformatted(cJSON_GetObjectItem(w2, "parts"));
	cr_assert(!strstr(parts2, "kettles"), "%s", parts2);
	char *p0 = kt_path(dir, "out/widget.json"), *p1 = kt_path(dir, "out/widget.kettles.json"),
	     *p2 = kt_path(dir, "out/widget.grinders.json"), *p3 = kt_path(dir, "out/widget.spring-sale.json");
	wt_validate(p0, p1, p2, p3);
	free(p0);
	free(p1);
	free(p2);
	free(p3);
	free(parts);
	free(parts2);
	cJSON_Delete(w);
	cJSON_Delete(w2);
	cJSON_Delete(g);
	cJSON_Delete(k);
	wt_done(dir);
}

Test(options, tags_whose_slugs_clash_or_vanish_get_a_hash)
{
	char *dir = wt_setup("items.json", "\"split\": \"tag\"", NULL, NULL);
	char *p = kt_path(dir, "items.json");
	kt_write(p, "[{\"id\": \"t1\", \"text\": \"one\", \"consent\": \"web\", \"tags\": \"A b, a-b\"},"
	            " {\"id\": \"t2\", \"text\": \"two\", \"consent\": \"web\", \"tags\": \"\\u2615\"}]");
	free(p);
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "out/widget.json");
	const cJSON *part;
	char seen[3][64] = {{0}};
	int n = 0;
	cJSON_ArrayForEach(part, cJSON_GetObjectItem(w, "parts"))
	{
		const char *file = wt_str(part, "file");
		cr_assert(n < 3 && strlen(file) < 64);
		snprintf(seen[n++], 64, "%s", file);
		char *rel = NULL;
		cr_assert(asprintf(&rel, "out/%s", file) > 0);
		cJSON *pw = wt_json(dir, rel);
		char *abs = kt_path(dir, rel);
		wt_validate(abs);
		free(abs);
		cr_assert_str_eq(wt_str(cJSON_GetObjectItem(pw, "part"), "key"), wt_str(part, "key"));
		cJSON_Delete(pw);
		free(rel);
	}
	cr_assert_eq(n, 3);
	/* "A b" and "a-b" share the slug a-b; the cup has none. */
	cr_assert(strncmp(seen[0], "widget.a-b-", 11) == 0 && strncmp(seen[1], "widget.a-b-", 11) == 0 &&
	          strcmp(seen[0], seen[1]) != 0, "%s %s", seen[0], seen[1]);
	cr_assert_str_eq(seen[2], "widget.94c7d896.json", "FNV-1a of the cup");
	cJSON_Delete(w);
	wt_done(dir);
}

Test(options, jsonld_meets_the_review_snippet_requirements)
{
	char *dir;
	cJSON *w = widget_with(&dir, "\"jsonld\": {\"type\": \"Product\", \"name\": \"Burr One\", "
	                             "\"brand\": \"Acme\", \"url\": \"https://acme.example/burr-one\"}");
	const cJSON *ld = cJSON_GetObjectItem(w, "jsonld");
	char *head = cJSON_PrintUnformatted(cJSON_GetObjectItem(ld, "aggregateRating"));
	cr_assert_str_eq(head, "{\"@type\":\"AggregateRating\",\"ratingValue\":3.33,\"bestRating\":5,"
	                       "\"worstRating\":0,\"ratingCount\":6}");
	cr_assert_str_eq(wt_str(ld, "@context"), "https://schema.org");
	cr_assert_str_eq(wt_str(ld, "@type"), "Product");
	cr_assert_str_eq(wt_str(ld, "name"), "Burr One");
	cr_assert_str_eq(wt_str(ld, "url"), "https://acme.example/burr-one");
	/* Rated, dated, named: full, mapped, hostile, employee (not the
	 * unrated ones). */
	const cJSON *reviews = cJSON_GetObjectItem(ld, "review");
	cr_assert_eq(cJSON_GetArraySize(reviews), 4);
	char *first = cJSON_PrintUnformatted(cJSON_GetArrayItem(reviews, 0));
	cr_assert_str_eq(first, "{\"@type\":\"Review\",\"itemReviewed\":{\"@type\":\"Product\",\"name\":\"Burr One\"},"
	                        "\"author\":{\"@type\":\"Person\",\"name\":\"Jane Doe\"},"
	                        "\"datePublished\":\"2026-03-05T10:00:00Z\",\"name\":\"Fast <and> friendly\","
	                        "\"reviewBody\":\"Setup took five minutes & support answered on a Sunday.\\nRecommended.\","
	                        "\"url\":\"https://reviews.example/acme/1042\",\"reviewRating\":{\"@type\":\"Rating\","
	                        "\"ratingValue\":9,\"bestRating\":10,\"worstRating\":0}}");
	char *last = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetArrayItem(reviews, 3), "reviewRating"));
	cr_assert_str_eq(last, "{\"@type\":\"Rating\",\"ratingValue\":2,\"bestRating\":4,\"worstRating\":1}");
	free(head);
	free(first);
	free(last);
	cJSON_Delete(w);
	wt_done(dir);

	/* An organisation marking up its own reviews: said, not refused. */
	dir = wt_setup("items.json", "\"jsonld\": {\"type\": \"LocalBusiness\", \"name\": \"Acme Café\"}", NULL, NULL);
	char *err = wt_run_ok(dir);
	cr_assert(strstr(err, "\"jsonld.type\" is \"LocalBusiness\"") && strstr(err, "self-serving"), "%s", err);
	free(err);
	wt_done(dir);
}

/* A job the plugin must refuse (exit 2, naming `key`), leaving the
 * widget of an earlier good run as it was. */
static void refused(const char *extra, const char *says)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	free(wt_run_ok(dir));
	char *path = kt_path(dir, "out/widget.json"), *before = kt_read(path);
	wt_validate(path);
	char *job = NULL;
	cr_assert(asprintf(&job, "{\"name\": \"wt\", \"store\": \"k.db\", \"sources\": [{\"plugin\": \"wfix\", "
	                         "\"path\": \"items.json\"}], \"outputs\": [{\"plugin\": \"widget-json\", "
	                         "\"path\": \"out/widget.json\", %s}]}", extra) > 0);
	free(kt_job(dir, job));
	struct kt_run r = wt_kudos(dir, "run", "job.json", NULL);
	cr_assert_eq(r.status, 2, "%s:" WT_RUN_FMT, extra, WT_RUN_ARGS(r));
	cr_assert(strstr(r.err, says), "%s: the message does not say %s:" WT_RUN_FMT, extra, says, WT_RUN_ARGS(r));
	char *after = kt_read(path);
	cr_assert_str_eq(after, before, "%s changed the widget", extra);
	kt_run_free(&r);
	free(after);
	free(before);
	free(path);
	free(job);
	wt_done(dir);
}

Test(options, bad_values_are_refused_with_exit_2_and_the_old_widget_kept)
{
	refused("\"sort\": \"best\"", "\"sort\" is \"best\"");
	refused("\"split\": \"day\"", "\"split\" is \"day\"");
	refused("\"limit\": -1", "\"limit\" is -1");
	refused("\"min_rating\": 7", "\"min_rating\" is 7");
	refused("\"sources\": []", "\"sources\" is an empty list");
	refused("\"jsonld\": {\"type\": \"Product\"}", "needs \"type\" and \"name\"");
	refused("\"jsonld\": {\"type\": \"Product\", \"name\": \"X\", \"stars\": 5}", "unknown key \"stars\"");
	refused("\"jsonld\": {\"type\": \"Product\", \"name\": \"X\", \"url\": \"javascript:x\"}", "\"jsonld.url\"");
	refused("\"jsonld\": [1]", "must be an object");
	refused("\"avatar_map\": {\"https://a.example/x.png\": \"\"}", "\"avatar_map\"");
	refused("\"colour\": \"red\"", "colour");
}
