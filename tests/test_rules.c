/* Curation rules: every condition, all/any, refusals, and the order in
 * which reject and approve rules decide. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "item.h"
#include "leakcheck.h"
#include "rules.h"

static struct kudos_item *item(const char *text)
{
	struct kudos_item *it = kudos_item_new("mastodon", "1");
	kudos_item_put(it, KUDOS_FIELD_TEXT, text);
	kudos_item_put(it, KUDOS_FIELD_KIND, "social_post");
	kudos_item_put(it, KUDOS_FIELD_LANGUAGE, "en-GB");
	kudos_item_put(it, KUDOS_FIELD_RIGHTS, "granted");
	it->has_rating = 1;
	it->rating = 8;
	it->rating_scale = 10; /* 4 of 5 */
	return it;
}

static double fixed_sentiment(void *ud, const char *text)
{
	(void)text;
	return *(double *)ud;
}

/* Does the rule written as JSON match the item? */
static int matches(const char *rule_json, const struct kudos_item *it, double sentiment)
{
	cJSON *j = cJSON_Parse(rule_json);
	cr_assert(j, "bad test JSON: %s", rule_json);
	struct kudos_rule r;
	struct kudos_error err = {0};
	cr_assert_eq(kudos_rule_parse(j, "test", &r, &err), 0, "%s", err.msg);
	struct kudos_rule_ctx ctx = {fixed_sentiment, &sentiment};
	int m = kudos_rule_matches(&r, it, &ctx);
	kudos_rule_free(&r);
	cJSON_Delete(j);
	return m;
}

#define ALL(c) "{\"name\": \"r\", \"all\": {" c "}}"
#define ANY(c) "{\"name\": \"r\", \"any\": {" c "}}"

Test(rules, each_condition)
{
	struct kudos_item *it = item("Brilliant café grinder, I love it");
	cr_assert(matches(ALL("\"min_rating\": 4"), it, 0));
	cr_assert_not(matches(ALL("\"min_rating\": 4.5"), it, 0));
	cr_assert(matches(ALL("\"max_rating\": 4"), it, 0));
	cr_assert_not(matches(ALL("\"max_rating\": 3"), it, 0));
	cr_assert(matches(ALL("\"sources\": [\"x\", \"mastodon\"]"), it, 0));
	cr_assert_not(matches(ALL("\"sources\": [\"csv\"]"), it, 0));
	cr_assert(matches(ALL("\"kinds\": [\"social_post\"]"), it, 0));
	cr_assert(matches(ALL("\"languages\": [\"en\"]"), it, 0));
	cr_assert_not(matches(ALL("\"languages\": [\"e\"]"), it, 0));
	cr_assert(matches(ALL("\"min_length\": 33"), it, 0));
	cr_assert_not(matches(ALL("\"min_length\": 34"), it, 0));
	cr_assert(matches(ALL("\"max_length\": 33"), it, 0));
	cr_assert(matches(ALL("\"has_media\": false"), it, 0));
	cr_assert(matches(ALL("\"contains\": [\"CAFE grinder\"]"), it, 0));
	cr_assert_not(matches(ALL("\"contains\": [\"grind\"]"), it, 0));
	cr_assert(matches(ALL("\"excludes\": [\"refund\"]"), it, 0));
	cr_assert_not(matches(ALL("\"excludes\": [\"love\"]"), it, 0));
	cr_assert(matches(ALL("\"rights\": \"granted\""), it, 0));
	cr_assert_not(matches(ALL("\"rights\": \"none\""), it, 0));
	cr_assert(matches(ALL("\"author_verified\": false"), it, 0));
	cr_assert(matches(ALL("\"sentiment_at_least\": 0.5"), it, 0.7));
	cr_assert_not(matches(ALL("\"sentiment_at_least\": 0.5"), it, 0.2));
	it->badges |= KUDOS_BADGE_VERIFIED_BUYER;
	cr_assert(matches(ALL("\"author_verified\": true"), it, 0));
	kudos_item_free(it);
	KT_ASSERT_NO_LEAKS();
}

/* What filter plugins set: tags (any of the listed) and scores (every
 * named one, at least its value; a missing score never matches). */
Test(rules, filter_tags_and_scores)
{
	struct kudos_item *it = item("Guter Kaffee");
	cr_assert_not(matches(ALL("\"tags\": [\"lang:de\"]"), it, 0), "no filter ran yet");
	cr_assert_not(matches(ALL("\"min_score\": {\"language.confidence\": 0}"), it, 0));
	cr_assert_eq(kudos_item_set_filter_results(
	                     it, "{\"language\": {\"tags\": [\"lang:de\", \"script:Latn\"],"
	                         " \"scores\": {\"confidence\": 0.83}},"
	                         " \"spam\": {\"tags\": [\"lang:de\"], \"scores\": {\"p\": 0.1}}}"),
	             KUDOS_OK);
	cr_assert_eq(it->n_tags, 2, "tags from two filters, deduplicated");
	cr_assert(matches(ALL("\"tags\": [\"spam\", \"lang:de\"]"), it, 0));
	cr_assert_not(matches(ALL("\"tags\": [\"Lang:de\"]"), it, 0), "tags are exact");
	cr_assert(matches(ALL("\"min_score\": {\"language.confidence\": 0.8}"), it, 0));
	cr_assert_not(matches(ALL("\"min_score\": {\"language.confidence\": 0.9}"), it, 0));
	cr_assert(matches(ALL("\"min_score\": {\"language.confidence\": 0.8, \"spam.p\": 0}"),
	                  it, 0));
	cr_assert_not(matches(ALL("\"min_score\": {\"language.confidence\": 0.8,"
	                          " \"spam.q\": 0}"), it, 0), "spam.q is missing");
	/* Set again: the old findings are gone. */
	cr_assert_eq(kudos_item_set_filter_results(it, "{}"), KUDOS_OK);
	cr_assert_eq(it->n_tags, 0);
	cr_assert_not(matches(ALL("\"tags\": [\"lang:de\"]"), it, 0));
	kudos_item_free(it);
	KT_ASSERT_NO_LEAKS();
}

Test(rules, all_and_any)
{
	struct kudos_item *it = item("Good");
	cr_assert_not(matches(ALL("\"min_rating\": 4, \"rights\": \"none\""), it, 0));
	cr_assert(matches(ANY("\"min_rating\": 4, \"rights\": \"none\""), it, 0));
	cr_assert_not(matches(ANY("\"min_rating\": 5, \"rights\": \"none\""), it, 0));
	kudos_item_free(it);
}

Test(rules, grapheme_lengths)
{
	cr_assert_eq(kudos_graphemes("abc"), 3);
	cr_assert_eq(kudos_graphemes("🇩🇪👨‍👩‍👧‍👦👍🏽e\xcc\x81"), 4);
	cr_assert_eq(kudos_graphemes(""), 0);
}

Test(rules, bad_rules_are_refused_with_what_to_write)
{
	static const char *const bad[][2] = {
		{ALL("\"min_rating\": 7"), "0 to 5"},
		{ALL("\"colour\": \"red\""), "min_rating, max_rating"},
		{ALL("\"languages\": \"en\""), "list of strings"},
		{ALL("\"has_media\": 1"), "true or false"},
		{ALL("\"rights\": \"maybe\""), "revoked"},
		{ALL("\"tags\": []"), "list of strings"},
		{ALL("\"min_score\": 0.5"), "language.confidence"},
		{ALL("\"min_score\": {}"), "least values"},
		{ALL("\"min_score\": {\"language.confidence\": \"high\"}"), "least values"},
		{ALL("\"min_score\": {\"confidence\": 0.5}"), "<filter>.<name>"},
		{"{\"all\": {\"min_rating\": 4}}", "name"},
		{"{\"name\": \"r\", \"all\": {}, \"any\": {}}", "exactly one"},
		{"{\"name\": \"r\", \"all\": {}}", "at least one"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cJSON *j = cJSON_Parse(bad[i][0]);
		struct kudos_rule r;
		struct kudos_error err = {0};
		cr_assert_eq(kudos_rule_parse(j, "job.json: curation.auto_approve[0]", &r, &err), -1,
		             "accepted %s", bad[i][0]);
		cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
		cr_assert(strstr(err.msg, bad[i][1]) && strstr(err.msg, "auto_approve[0]"), "%s",
		          err.msg);
		cJSON_Delete(j);
	}
}

/* Through the binary: reject rules win, human decisions stay. */
Test(rules, reject_first_and_humans_are_never_overruled)
{
	char *dir = kt_tmpdir(), *csv = kt_path(dir, "s.csv");
	kt_write(csv, "id,name,rating,text\n"
	              "a,Ada,5,Superb and quiet\n"
	              "b,Bea,5,Superb but I want a refund\n"
	              "c,Cy,2,Meh\n");
	char *job = kt_job(dir,
	                   "{\"name\": \"r\", \"store\": \"k.db\","
	                   " \"sources\": [{\"plugin\": \"csv\", \"path\": \"s.csv\"}],"
	                   " \"curation\": {"
	                   "  \"auto_reject\": [{\"name\": \"refunds\", \"all\": "
	                   "{\"contains\": [\"refund\"]}}],"
	                   "  \"auto_approve\": [{\"name\": \"five stars\", \"all\": "
	                   "{\"min_rating\": 5}}]}}");
	char *store = kt_path(dir, "k.db");
	/* b is five stars but asks for a refund: the reject rule wins. */
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "approved 1 item by the job's rules, rejected 1"), "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cJSON *items = cJSON_Parse(r.out), *e;
	char states[64] = "";
	cJSON_ArrayForEach(e, items)
	{
		strcat(states, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")));
		strcat(states, "=");
		strcat(states, cJSON_GetStringValue(cJSON_GetObjectItem(e, "curation")));
		strcat(states, " ");
	}
	cr_assert_str_eq(states, "csv:a=approved csv:b=rejected csv:c=new ", "%s", states);
	cJSON_Delete(items);
	kt_run_free(&r);
	r = kt_kudos(dir, "history", "csv:b", "--store", store, NULL);
	cr_assert(strstr(r.out, "rule:refunds"), "%s", r.out);
	kt_run_free(&r);
	/* A human approves c and rejects a; collecting again changes neither. */
	r = kt_kudos(dir, "approve", "csv:c", "--store", store, NULL);
	kt_run_free(&r);
	r = kt_kudos(dir, "reject", "csv:a", "--store", store, NULL);
	kt_run_free(&r);
	r = kt_kudos(dir, "curate", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cr_assert(strstr(r.out, "\"curation\":\t\"rejected\"") != NULL);
	items = cJSON_Parse(r.out);
	states[0] = '\0';
	cJSON_ArrayForEach(e, items)
	{
		strcat(states, cJSON_GetStringValue(cJSON_GetObjectItem(e, "curation")));
		strcat(states, " ");
	}
	cr_assert_str_eq(states, "rejected rejected approved ", "%s", states);
	cJSON_Delete(items);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
	free(csv);
	free(job);
	free(store);
}
