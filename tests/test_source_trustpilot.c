/*
 * source-trustpilot end to end: `kudos collect` over the fixtures in
 * tests/fixtures/trustpilot/ (written for these tests in the shapes the
 * Trustpilot API and its review webhook send) and over
 * ../shared/fixtures/real/trustpilot/ when that folder exists, then
 * `kudos list --json` / `kudos show --json` to see what was stored.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define FIX KT_SRC "/tests/fixtures/trustpilot"
#define PLUGIN "trustpilot"

#include "source_graph_test.h"

static double num(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static int has_badge(const cJSON *o, const char *badge)
{
	const cJSON *b;
	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(o, "badges"))
	{
		if (cJSON_IsString(b) && strcmp(b->valuestring, badge) == 0)
			return 1;
	}
	return 0;
}

/* ---- API review pages: a folder of two pages ------------------------------ */

Test(trustpilot, review_pages_in_a_folder)
{
	struct got g = collect(FIX "/reviews", 0);
	cr_expect_eq(count(&g), 4, "items: %d\n%s", count(&g), g.run.err);
	cr_expect_null(strstr(g.run.err, "warning"), "no warning expected:\n%s", g.run.err);

	cJSON *s = show(&g, "65e1c2a4b7d9f30012345678");
	EXPECT_STR(s, "kind", "review");
	EXPECT_STR(s, "title", "Schnelle Lieferung & toller Service");
	EXPECT_STR(s, "text", "Bestellt am Montag, am Dienstag geliefert.\nDie Kaffeemaschine läuft "
	                      "einwandfrei – danke! ☕");
	cr_expect_eq(num(s, "rating", "value"), 5);
	cr_expect_eq(num(s, "rating", "scale"), 5);
	EXPECT_STR(s, "language", "de");
	EXPECT_STR(s, "created_at", "2024-03-01T09:30:00Z");
	EXPECT_STR(s, "updated_at", NULL);
	EXPECT_STR(s, "author.name", "Hannah Schmidt");
	EXPECT_STR(s, "author.handle", NULL);
	EXPECT_STR(s, "author.url", "https://www.trustpilot.com/users/5c8f1e2d3b4a5f0012345678");
	EXPECT_STR(s, "permalink", "https://www.trustpilot.com/reviews/65e1c2a4b7d9f30012345678");
	cr_expect(has_badge(s, "verified_buyer"));
	EXPECT_STR(s, "meta.likes", "3");
	EXPECT_STR(s, "meta.company_reply", "Vielen Dank, Hannah! Viel Freude damit.");
	EXPECT_STR(s, "meta.author_missing", NULL);
	cJSON_Delete(s);

	const cJSON *m = item(&g, "65e3f0b1c2d3e40012345679");
	EXPECT_STR(m, "text", "The beans are lovely but my refund for a damaged grinder took 3 weeks "
	                      "& 4 emails.\n\nPlease fix your returns process.");
	EXPECT_STR(m, "title", "Good coffee, slow refund 😕");
	EXPECT_STR(m, "author.name", "Mark O'Neill");
	cr_expect_eq(num(m, "rating", "value"), 2);
	EXPECT_STR(m, "created_at", "2024-03-04T16:05:12Z");
	EXPECT_STR(m, "updated_at", "2024-03-05T11:00:00Z");
	cr_expect_not(has_badge(m, "verified_buyer"));

	const cJSON *k = item(&g, "65e6a7b8c9d0e10012345680");
	EXPECT_STR(k, "author.name", "Søren Kjær");
	EXPECT_STR(k, "language", "da");
	EXPECT_STR(k, "created_at", "2024-03-08T14:02:11Z");
	cr_expect(has_badge(k, "verified_buyer"));

	/* a consumer without a name: kept, flagged, not invented */
	s = show(&g, "65e8b9c0d1e2f30012345681");
	EXPECT_STR(s, "author.name", NULL);
	EXPECT_STR(s, "author.url", NULL);
	EXPECT_STR(s, "meta.author_missing", "true");
	cr_expect_eq(num(s, "rating", "value"), 1);
	cJSON_Delete(s);
	done(&g);
}

Test(trustpilot, single_review_object)
{
	struct got g = collect(FIX "/review.json", 0);
	cr_expect_eq(count(&g), 1);
	const cJSON *r = item(&g, "66b1c2d3e4f5a60012345700");
	EXPECT_STR(r, "text", "El molinillo es silencioso y muele muy fino. Llegó en 24 horas. ¡Muy "
	                      "recomendable! 👌");
	EXPECT_STR(r, "title", "¡Excelente!");
	EXPECT_STR(r, "author.name", "Tomás García");
	EXPECT_STR(r, "created_at", "2024-08-01T18:20:30Z"); /* milliseconds dropped */
	EXPECT_STR(r, "language", "es");
	done(&g);
}

/* ---- webhook events ----------------------------------------------------------- */

Test(trustpilot, webhook_created_updated_deleted_and_unknown)
{
	struct got g = collect(FIX "/webhook.json", 0);
	cr_expect_eq(count(&g), 2, "items: %d\n%s", count(&g), g.run.err);

	cJSON *s = show(&g, "66a0b1c2d3e4f50012345690");
	EXPECT_STR(s, "title", "Best espresso machine I've owned, the milk frother is…");
	EXPECT_STR(s, "author.name", "Priya Nair");
	EXPECT_STR(s, "author.url", "https://www.trustpilot.com/users/60a1b2c3d4e5f60012345690");
	EXPECT_STR(s, "permalink", "https://www.trustpilot.com/reviews/66a0b1c2d3e4f50012345690");
	EXPECT_STR(s, "created_at", "2024-07-24T07:12:45Z");
	EXPECT_STR(s, "meta.reference_id", "ORDER-2024-00871");
	cr_expect(has_badge(s, "verified_buyer"));
	cr_expect_eq(num(s, "rating", "value"), 5);
	cJSON_Delete(s);

	/* created, then updated in the same file: the update wins */
	const cJSON *u = item(&g, "66a0c3d4e5f6070012345692");
	EXPECT_STR(u, "title", "Très bien finalement");
	EXPECT_STR(u, "text", "Livraison rapide, et le service client m’a envoyé la notice en "
	                      "français. Merci !");
	cr_expect_eq(num(u, "rating", "value"), 4);

	const char *e = g.run.err;
	cr_expect(strstr(e, "webhook.json: events[1]: unknown eventName \"product-review-created\""),
	          "%s", e);
	cr_expect(strstr(e, "webhook.json: events[4]: review 65e8b9c0d1e2f30012345681 was deleted on "
	                    "Trustpilot"),
	          "%s", e);
	cr_expect(strstr(e, "kudos revoke trustpilot:65e8b9c0d1e2f30012345681"), "%s", e);
	done(&g);
}

/* ---- warnings ------------------------------------------------------------------- */

Test(trustpilot, one_bad_review_or_event_is_skipped_with_its_position)
{
	struct got g = collect_text(
		"r.json",
		"{\"reviews\":[\n"
		"{\"id\":\"a1\",\"stars\":4,\"text\":\"kept\",\"createdAt\":\"2024-01-01T10:00:00Z\"},\n"
		"{\"id\":\"a2\",\"stars\":6,\"text\":\"six stars\"},\n"
		"{\"id\":\"a3\",\"stars\":\"5\",\"text\":\"stars as text\"},\n"
		"{\"id\":\"a4\",\"stars\":3},\n"
		"{\"stars\":3,\"text\":\"no id\"},\n"
		"{\"id\":\"a6\",\"text\":\"x\",\"consumer\":\"Bob\"},\n"
		"{\"id\":\"a7\",\"text\":\"x\",\"createdAt\":\"01/02/2024\"},\n"
		"{\"id\":\"a8\",\"text\":\"x\",\"isVerified\":\"yes\"},\n"
		"{\"id\":\"a9\",\"text\":\"no stars, still a review\"},\n"
		"{\"id\":\"a10\",\"stars\":4.5,\"text\":\"half star\"}\n"
		"]}",
		0);
	cr_expect_eq(count(&g), 2, "%s", g.run.err);
	cr_expect(has_item(&g, "a1"));
	cJSON *s = show(&g, "a9");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(s, "rating")));
	cJSON_Delete(s);
	const char *e = g.run.err;
	cr_expect(strstr(e, "r.json: reviews[1]: review a2: stars is not a whole number from 1 to 5"), "%s", e);
	cr_expect(strstr(e, "r.json: reviews[2]: review a3: stars is not a whole number"), "%s", e);
	cr_expect(strstr(e, "reviews[3]: review a4 has no text"), "%s", e);
	cr_expect(strstr(e, "reviews[4]: the review has no id"), "%s", e);
	cr_expect(strstr(e, "reviews[5]: review a6: \"consumer\" has the wrong type"), "%s", e);
	cr_expect(strstr(e, "reviews[6]: review a7: createdAt \"01/02/2024\" is not a time"), "%s", e);
	cr_expect(strstr(e, "reviews[7]: review a8: \"isVerified\" has the wrong type"), "%s", e);
	cr_expect(strstr(e, "reviews[9]: review a10: stars is not a whole number"), "%s", e);
	done(&g);

	g = collect_text("ev.json",
	                 "{\"events\":[\"x\",{\"version\":\"1\"},{\"eventName\":7},"
	                 "{\"eventName\":\"service-review-created\"},"
	                 "{\"eventName\":\"service-review-deleted\",\"eventData\":{}},"
	                 "{\"eventName\":\"service-review-created\",\"eventData\":{\"id\":\"b6\","
	                 "\"stars\":5,\"text\":\"kept\"}}]}",
	                 0);
	cr_expect_eq(count(&g), 1, "%s", g.run.err);
	cr_expect(has_item(&g, "b6"));
	e = g.run.err;
	cr_expect(strstr(e, "ev.json: events[0]: is not an event object"), "%s", e);
	cr_expect(strstr(e, "ev.json: events[1]: the event has no eventName"), "%s", e);
	cr_expect(strstr(e, "ev.json: events[2]: eventName is not a string"), "%s", e);
	cr_expect(strstr(e, "ev.json: events[3]: service-review-created has no eventData"), "%s", e);
	cr_expect(strstr(e, "ev.json: events[4]: service-review-deleted without a usable review id"),
	          "%s", e);
	done(&g);

	g = collect_text("partial.json",
	                 "{\"reviews\":[{\"id\":\"c1\",\"stars\":5,\"text\":\"kept\"}],"
	                 "\"errors\":[{\"message\":\"review c2 is under moderation\"}]}",
	                 0);
	cr_expect_eq(count(&g), 1);
	cr_expect(strstr(g.run.err, "partial.json: errors[0]: the platform reported: review c2 is under "
	                            "moderation"),
	          "%s", g.run.err);
	done(&g);
}

/* ---- bad files fail the source ---------------------------------------------------- */

Test(trustpilot, truncated_and_invalid_json_fail_with_file_line_and_column)
{
	struct got g = collect_text("cut.json", "{\n  \"events\": [\n    {\"eventName\": \"service-rev", 2);
	cr_expect(strstr(g.run.err, "cut.json: line 3, column 19: the JSON ends before this value is "
	                            "complete (the file looks truncated); fetch the page again"),
	          "%s", g.run.err);
	done(&g);
	g = collect_text("bad.json", "{\"reviews\": [\n  {\"id\": \"a\", \"stars\": 5,, \"text\": \"x\"}\n]}", 2);
	cr_expect(strstr(g.run.err, "bad.json: line 2, column 26: invalid JSON near \", \"text\": \"x\"}\""),
	          "%s", g.run.err);
	done(&g);
	g = collect_text("events.json", "{\"events\": {\"eventName\": \"service-review-created\"}}", 2);
	cr_expect(strstr(g.run.err, "events.json: \"events\" is not a list"), "%s", g.run.err);
	done(&g);
	g = collect_text("foreign.json", "{\"data\": []}", 2);
	cr_expect(strstr(g.run.err, "foreign.json: not a Trustpilot payload"), "%s", g.run.err);
	done(&g);
	g = collect_text("bom.json", "\xEF\xBB\xBF{\"id\":\"d1\",\"stars\":5,\"text\":\"BOM is fine\"}", 0);
	cr_expect_eq(count(&g), 1, "%s", g.run.err);
	done(&g);
}

/* ---- the real payloads others recorded ------------------------------------------------ */

Test(trustpilot, real_payloads)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the real Trustpilot payloads "
		            "(../shared/fixtures/real/trustpilot/) were NOT tested");
		cr_skip_test("../shared/fixtures/real/trustpilot/ is missing");
	}
	char *dir = kt_path(real, "trustpilot");
	DIR *d = opendir(dir);
	if (!d) {
		cr_log_warn("%s is absent: the real Trustpilot payloads were NOT tested", dir);
		free(dir);
		cr_skip_test("../shared/fixtures/real/trustpilot/ is missing");
	}
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char *p = kt_path(dir, e->d_name);
		struct got g = collect(p, 0);
		cr_log_info("%s: %d reviews", e->d_name, count(&g));
		seen++;
		if (strcmp(e->d_name, "lindar_webhook_service_review_events.json") == 0) {
			/* event 0 is collected; event 1 is the unknown "foo" */
			cr_expect_eq(count(&g), 1, "%s", g.run.err);
			cr_expect(strstr(g.run.err, "lindar_webhook_service_review_events.json: events[1]: "
			                            "unknown eventName \"foo\""),
			          "%s", g.run.err);
			cJSON *s = show(&g, "62c8968be77911f2449e9f74");
			EXPECT_STR(s, "kind", "review");
			EXPECT_STR(s, "title", "Some of the screens are to hard to…");
			EXPECT_STR(s, "text", "Some of the screens are to hard to navigate. If you are playing "
			                      "blackjack and you want to go to roulette you have to come out of "
			                      "screen and relog back in");
			cr_expect_eq(num(s, "rating", "value"), 4);
			cr_expect_eq(num(s, "rating", "scale"), 5);
			EXPECT_STR(s, "author.name", "some one");
			EXPECT_STR(s, "author.url", "https://www.trustpilot.com/users/bbbbb");
			EXPECT_STR(s, "created_at", "2022-07-08T22:41:48Z");
			EXPECT_STR(s, "language", "en");
			EXPECT_STR(s, "meta.reference_id", "XELeKJriAxDQq3ps");
			cr_expect(has_badge(s, "verified_buyer"));
			cJSON_Delete(s);
		}
		done(&g);
		free(p);
	}
	closedir(d);
	cr_expect_geq(seen, 1, "no real Trustpilot file in %s", dir);
	free(dir);
}
