/*
 * widget-json through the real kudos binary: every item field, links and
 * avatars, the credit the creator asked for, cards from a cards output,
 * the aggregate and its sources, and byte-identical output.  Every widget
 * file written is validated against sdk/schema/widget.v1.schema.json by
 * ajv.  Fixtures: tests/fixtures/widget-json/ (items.json is described in
 * the comments below; "wfix" is its source plugin).
 */
#include "fixtures/widget-json/widget_test.h"

/* items.json, shown for the web scope, newest first.  noconsent (rights
 * none) and printonly (granted for print) are not shown but rated. */
#define SHOWN "wfix:full wfix:mapped wfix:hostile wfix:iri wfix:employee wfix:localav wfix:outside"

static char *printed(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	cr_assert(s);
	return s;
}

Test(widget, every_item_field_is_written_as_the_schema_says)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	free(wt_run_ok(dir));
	char *path = kt_path(dir, "out/widget.json"), *text = kt_read(path);
	wt_validate(path);
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_str_eq(wt_ids(w), SHOWN);

	/* Every member, in the schema's order, exactly. */
	char *full = printed(wt_item(w, "wfix:full"));
	cr_assert_str_eq(full,
	                 "{\"id\":\"wfix:full\",\"source\":\"wfix\",\"kind\":\"review\","
	                 "\"text\":\"Setup took five minutes & support answered on a Sunday.\\nRecommended.\","
	                 "\"title\":\"Fast <and> friendly\",\"rating\":{\"value\":9,\"scale\":10},"
	                 "\"author\":{\"name\":\"Jane Doe\",\"handle\":\"@jane\",\"role\":\"CTO, Example Inc.\","
	                 "\"url\":\"https://example.com/jane\",\"avatar\":\"https://cdn.example/jane.jpg\"},"
	                 "\"permalink\":\"https://reviews.example/acme/1042\","
	                 "\"created_at\":\"2026-03-05T10:00:00Z\",\"language\":\"en\","
	                 "\"badges\":[\"incentivized\",\"verified_buyer\"]}");
	char *emp = printed(wt_item(w, "wfix:employee"));
	cr_assert_str_eq(emp, "{\"id\":\"wfix:employee\",\"source\":\"wfix\",\"kind\":\"review\","
	                      "\"text\":\"Biased but true.\",\"rating\":{\"value\":2,\"scale\":4},"
	                      "\"author\":{\"name\":\"Eddie Employee\"},"
	                      "\"created_at\":\"2026-03-01T10:00:00Z\",\"badges\":[\"employee\"]}");
	/* The head of the document. */
	cr_assert_str_eq(wt_str(w, "schema"), "kudos.widget/1");
	cr_assert_str_eq(wt_str(w, "generated_at"), "2023-11-14T22:13:20Z", "SOURCE_DATE_EPOCH");
	cr_assert_eq(cJSON_GetObjectItem(w, "count")->valuedouble, 7);
	/* Every rated item of the job: 9/10, 5/5, 4/5, 1/5, 2/4, 3/5 -> 20/6. */
	char *agg = printed(cJSON_GetObjectItem(w, "aggregate"));
	cr_assert_str_eq(agg, "{\"rating_count\":6,\"rating_average\":3.33,\"sources\":[\"wfix\"]}");
	/* Inert when inlined in HTML, and nothing internal leaks. */
	cr_assert(!strchr(text, '<') && !strchr(text, '>') && strstr(text, "\\u003cand\\u003e") &&
	          strstr(text, "\\u0026 support"), "%s", text);
	cr_assert(!strstr(text, "granted") && !strstr(text, "approved") && !strstr(text, "evidence") &&
	          !strstr(text, "fixture consent") && !strstr(text, "Spring"), "internal data leaked:\n%s", text);
	cr_assert_eq(text[strlen(text) - 1], '\n');
	free(full);
	free(emp);
	free(agg);
	cJSON_Delete(w);
	free(text);
	free(path);
	wt_done(dir);
}

Test(widget, links_other_than_http_are_dropped_with_a_warning_and_urls_are_encoded)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	char *err = wt_run_ok(dir);
	cJSON *w = wt_json(dir, "out/widget.json");
	char *hostile = printed(wt_item(w, "wfix:hostile"));
	cr_assert_str_eq(hostile, "{\"id\":\"wfix:hostile\",\"source\":\"wfix\",\"kind\":\"review\","
	                          "\"text\":\"Nice <b>grinder</b>\",\"rating\":{\"value\":4,\"scale\":5},"
	                          "\"author\":{\"name\":\"Mallory\"},\"created_at\":\"2026-03-03T10:00:00Z\"}");
	cr_assert(strstr(err, "item wfix:hostile: dropped author.url: its scheme is not http or https"), "%s", err);
	cr_assert(strstr(err, "item wfix:hostile: dropped author.avatar: its scheme is not http or https"), "%s", err);
	cr_assert(strstr(err, "item wfix:hostile: dropped permalink: its scheme is not http or https"), "%s", err);
	/* Non-ASCII, spaces and a stray '%' become a URI; a valid escape stays. */
	const cJSON *iri = wt_item(w, "wfix:iri");
	cr_assert_str_eq(wt_str(iri, "permalink"),
	                 "https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9?q=a%20b&x=%25zz&y=%41");
	cr_assert_str_eq(wt_str(cJSON_GetObjectItem(iri, "author"), "url"), "https://social.example/@zo%C3%AB");
	/* A local avatar inside the output folder is a relative path; one
	 * outside it is dropped, saying why. */
	cr_assert_str_eq(wt_str(cJSON_GetObjectItem(wt_item(w, "wfix:localav"), "author"), "avatar"),
	                 "pics/lou.png");
	cr_assert(!cJSON_HasObjectItem(cJSON_GetObjectItem(wt_item(w, "wfix:outside"), "author"), "avatar"));
	cr_assert(strstr(err, "item wfix:outside: dropped author.avatar: the local file") &&
	          strstr(err, "avatar_map"), "%s", err);
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	free(hostile);
	free(err);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(widget, avatar_map_names_local_copies_relative_to_the_widget)
{
	char *dir = wt_setup("items.json",
	                     "\"avatar_map\": {\"https://cdn.example/ana.png\": \"out/avatars/ana.png\","
	                     " \"https://cdn.example/jane.jpg\": \"shared/jane.jpg\","
	                     " \"/etc/hostname\": \"out/avatars/missing.png\"}",
	                     NULL, NULL);
	wt_copy_fixture(dir, "avatar.png", "out/avatars/ana.png");
	wt_copy_fixture(dir, "avatar.png", "shared/jane.jpg");
	char *err = wt_run_ok(dir);
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_str_eq(wt_str(cJSON_GetObjectItem(wt_item(w, "wfix:mapped"), "author"), "avatar"),
	                 "avatars/ana.png");
	cr_assert_str_eq(wt_str(cJSON_GetObjectItem(wt_item(w, "wfix:full"), "author"), "avatar"),
	                 "../shared/jane.jpg", "a copy outside the output folder climbs out of it");
	/* A copy that is not there: said, and the avatar as collected is used
	 * (here a local file outside the folder, so none). */
	cr_assert(strstr(err, "item wfix:outside: avatar_map names out/avatars/missing.png"), "%s", err);
	cr_assert(!cJSON_HasObjectItem(cJSON_GetObjectItem(wt_item(w, "wfix:outside"), "author"), "avatar"));
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	free(err);
	cJSON_Delete(w);
	wt_done(dir);
}

/* Items without consent, granted by hand with a credit preference. */
static const char CREDIT_ITEMS[] =
	"[{\"id\": \"c1\", \"text\": \"Initials, please.\", \"created_at\": \"2026-01-03T00:00:00Z\","
	"  \"author\": {\"name\": \"Jane Doe\", \"handle\": \"@jane\", \"url\": \"https://x.example/j\","
	"              \"avatar\": \"https://x.example/j.png\", \"role\": \"CTO\"}},"
	" {\"id\": \"c2\", \"text\": \"Leave my name out.\", \"created_at\": \"2026-01-02T00:00:00Z\","
	"  \"author\": {\"name\": \"Sam Smith\", \"handle\": \"@sam\", \"role\": \"Chef\"}},"
	" {\"id\": \"c3\", \"text\": \"Use my handle.\", \"created_at\": \"2026-01-01T00:00:00Z\","
	"  \"author\": {\"name\": \"Hal Hill\", \"handle\": \"@hal\", \"url\": \"https://x.example/h\"}}]";

Test(widget, the_author_is_what_the_creator_agreed_to)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	char *items = kt_path(dir, "items.json");
	kt_write(items, CREDIT_ITEMS);
	free(items);
	struct kt_run r = wt_kudos(dir, "collect", "job.json", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	const char *credits[][2] = {{"wfix:c1", "initials"}, {"wfix:c2", "anonymous"}, {"wfix:c3", "handle"}};
	for (size_t i = 0; i < 3; i++) {
		r = wt_kudos(dir, "grant", credits[i][0], "--scope", "web", "--evidence", "email of 2 Jan",
		             "--credit", credits[i][1], "--store", "k.db", NULL);
		cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
		kt_run_free(&r);
		r = wt_kudos(dir, "approve", credits[i][0], "--store", "k.db", NULL);
		cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
		kt_run_free(&r);
	}
	r = wt_kudos(dir, "render", "job.json", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_str_eq(wt_ids(w), "wfix:c1 wfix:c2 wfix:c3");
	const cJSON *a1 = cJSON_GetObjectItem(wt_item(w, "wfix:c1"), "author");
	cr_assert(wt_str(a1, "name") && !strstr(wt_str(a1, "name"), "Jane") &&
	          !strstr(wt_str(a1, "name"), "Doe"), "initials credit shows %s", wt_str(a1, "name"));
	cr_assert(!cJSON_HasObjectItem(a1, "handle") && !cJSON_HasObjectItem(a1, "url") &&
	          !cJSON_HasObjectItem(a1, "avatar"), "initials credit keeps links");
	cr_assert(!cJSON_HasObjectItem(wt_item(w, "wfix:c2"), "author"), "anonymous has an author");
	const cJSON *a3 = cJSON_GetObjectItem(wt_item(w, "wfix:c3"), "author");
	cr_assert(wt_str(a3, "name") && !strstr(wt_str(a3, "name"), "Hill"), "handle credit shows %s",
	          wt_str(a3, "name"));
	cr_assert_str_eq(wt_str(a3, "handle"), "@hal");
	char *path = kt_path(dir, "out/widget.json"), *text = kt_read(path);
	cr_assert(!strstr(text, "Doe") && !strstr(text, "Sam") && !strstr(text, "Smith") &&
	          !strstr(text, "Hill"), "a redacted name is in the file:\n%s", text);
	wt_validate(path);
	free(text);
	free(path);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(widget, each_item_points_at_its_card_from_the_cards_output)
{
	char *dir = wt_setup("items.json", NULL,
	                     "{\"plugin\": \"cards-png\", \"dir\": \"out/cards\"}, ", NULL);
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "out/widget.json");
	const cJSON *it;
	int n = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(w, "items"))
	{
		const char *card = wt_str(it, "card");
		cr_assert(card && strncmp(card, "cards/wfix-", 11) == 0, "item %s: card %s",
		          wt_str(it, "id"), card ? card : "(none)");
		char *rel = NULL, *p;
		cr_assert(asprintf(&rel, "out/%s", card) > 0);
		p = kt_path(dir, rel);
		cr_assert(access(p, R_OK) == 0, "the card %s is not there", p);
		free(p);
		free(rel);
		n++;
	}
	cr_assert_eq(n, 7);
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	/* Revoked: no widget entry, and the cards output deletes the card. */
	const char *card = wt_str(wt_item(w, "wfix:mapped"), "card");
	char *rel = NULL, *cardpath;
	cr_assert(asprintf(&rel, "out/%s", card) > 0);
	cardpath = kt_path(dir, rel);
	struct kt_run r = wt_kudos(dir, "revoke", "wfix:mapped", "--reason", "asked", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	free(wt_run_ok(dir));
	cJSON *w2 = wt_json(dir, "out/widget.json");
	cr_assert(!wt_item(w2, "wfix:mapped") && access(cardpath, F_OK) != 0, "revoked item stays");
	wt_validate(path);
	cJSON_Delete(w2);
	free(cardpath);
	free(rel);
	free(path);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(widget, identical_input_gives_identical_bytes)
{
	const char *extra = "\"split\": \"tag\", \"jsonld\": {\"type\": \"Product\", \"name\": \"Burr One\"}";
	const char *files[] = {"out/widget.json", "out/widget.grinders.json", "out/widget.kettles.json",
	                       "out/widget.spring-sale.json"};
	char *a = wt_setup("items.json", extra, NULL, NULL), *b = wt_setup("items.json", extra, NULL, NULL);
	free(wt_run_ok(a));
	char *first[4];
	for (int i = 0; i < 4; i++) {
		char *p = kt_path(a, files[i]);
		first[i] = kt_read(p);
		cr_assert(first[i], "%s not written", files[i]);
		free(p);
	}
	free(wt_run_ok(a));  /* again, same store */
	free(wt_run_ok(b));  /* a fresh store from the same input */
	for (int i = 0; i < 4; i++) {
		char *pa = kt_path(a, files[i]), *pb = kt_path(b, files[i]);
		char *ta = kt_read(pa), *tb = kt_read(pb);
		cr_assert_str_eq(ta, first[i], "%s changed on a second run", files[i]);
		cr_assert_str_eq(tb, first[i], "%s differs from a fresh store", files[i]);
		wt_validate(pa);
		free(ta);
		free(tb);
		free(pa);
		free(pb);
		free(first[i]);
	}
	free(b);
	wt_done(a);
}
