/* Reply detection end to end: Mastodon threads collected by the real
 * mastodon plugin, requests made with `kudos request`, and the replies
 * that come back in a later collect. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "leakcheck.h"

/* A Mastodon status as the API returns it (the fields kudos reads). */
static void status(char *out, size_t size, const char *id, const char *who,
                   const char *reply_to, const char *html, const char *when)
{
	char reply[64] = "null";
	if (reply_to)
		snprintf(reply, sizeof reply, "\"%s\"", reply_to);
	snprintf(out, size,
	         "{\"id\": \"%s\", \"created_at\": \"%s\", \"in_reply_to_id\": %s,"
	         " \"language\": \"en\", \"url\": \"https://toot.example/@%s/%s\","
	         " \"content\": \"%s\", \"reblog\": null, \"media_attachments\": [],"
	         " \"account\": {\"id\": \"%s-id\", \"username\": \"%s\", \"acct\": \"%s\","
	         " \"display_name\": \"%s\", \"url\": \"https://toot.example/@%s\"}}",
	         id, when, reply, who, id, html, who, who, who, who, who);
}

static char *dir, *job, *store;

/* Assert a run succeeded, then release it. */
static void run_ok(const char *what, struct kt_run r)
{
	cr_assert_eq(r.status, 0, "%s: %s%s", what, r.out, r.err);
	kt_run_free(&r);
}

static void setup(void)
{
	char a[1024], b[1024], c[1024], page[4096];
	dir = kt_tmpdir();
	status(a, sizeof a, "1001", "ada", NULL, "<p>The grinder is superb.</p>", "2026-03-01T10:00:00Z");
	status(b, sizeof b, "1002", "bea", NULL, "<p>Quiet and fast.</p>", "2026-03-01T11:00:00Z");
	status(c, sizeof c, "1003", "cy", NULL, "<p>Best kettle ever.</p>", "2026-03-01T12:00:00Z");
	snprintf(page, sizeof page, "[%s, %s, %s]", a, b, c);
	char *p1 = kt_path(dir, "thread/page-1.json");
	kt_write(p1, page);
	free(p1);
	job = kt_job(dir, "{\"name\": \"r\", \"store\": \"k.db\","
	                  " \"brand\": {\"name\": \"Acme\", \"rights_hashtag\": \"#YesAcme\","
	                  "  \"terms_url\": \"https://acme.example/terms\"},"
	                  " \"rights\": {\"reply_scopes\": [\"web\", \"social\"]},"
	                  " \"sources\": [{\"plugin\": \"mastodon\", \"path\": \"thread\"}]}");
	store = kt_path(dir, "k.db");
	run_ok("collect", kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL));
	run_ok("request", kt_kudos(dir, "request", "mastodon:1001", "mastodon:1002", "--job", job,
	                           NULL));
	run_ok("request", kt_kudos(dir, "request", "mastodon:1003", "--posted-as", "9009",
	                           "--job", job, NULL));
}

static void teardown(void)
{
	kt_rmtree(dir);
	free(dir);
	free(job);
	free(store);
	KT_ASSERT_NO_LEAKS();
}

TestSuite(replies, .init = setup, .fini = teardown);

static cJSON *show(const char *id)
{
	struct kt_run r = kt_kudos(dir, "show", id, "--json", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cJSON *o = cJSON_Parse(r.out);
	cr_assert(o, "%s", r.out);
	kt_run_free(&r);
	return o;
}

static const char *state(cJSON *o)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "rights"), "state"));
}

Test(replies, the_thread_answers_the_requests)
{
	char r1[1024], r2[1024], r3[1024], r4[1024], r5[1024], page[8192];
	status(r1, sizeof r1, "2001", "eve", "1002", "<p>#YesAcme (not my post)</p>",
	       "2026-03-02T09:00:00Z");
	status(r2, sizeof r2, "2002", "ada", "1001",
	       "<p><span class=\\\"h-card\\\"><a href=\\\"https://toot.example/@acme\\\">@acme</a>"
	       "</span> Sure, go ahead! <a href=\\\"https://toot.example/tags/yesacme\\\" "
	       "class=\\\"mention hashtag\\\">#<span>YesAcme</span></a></p>",
	       "2026-03-02T10:00:00Z");
	status(r3, sizeof r3, "2003", "bea", "1002", "<p>What would you use it for?</p>",
	       "2026-03-02T11:00:00Z");
	status(r4, sizeof r4, "2004", "cy", "9009", "<p>#yesacme 👍</p>", "2026-03-02T12:00:00Z");
	status(r5, sizeof r5, "2005", "cy", "1003", "<p>#YesAcmeCorp is a different tag</p>",
	       "2026-03-02T13:00:00Z");
	snprintf(page, sizeof page, "[%s, %s, %s, %s, %s]", r1, r2, r3, r4, r5);
	char *p2 = kt_path(dir, "thread/page-2.json");
	kt_write(p2, page);
	free(p2);
	struct kt_run r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "replies to requests: 2 granted with the rights hashtag, 1 to read"),
	          "%s", r.out);
	kt_run_free(&r);

	cJSON *ada = show("mastodon:1001");
	cr_assert_str_eq(state(ada), "granted");
	cJSON *grant = cJSON_GetObjectItem(cJSON_GetObjectItem(ada, "rights"), "grant");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(grant, "evidence")),
	                 "@acme Sure, go ahead! #YesAcme");
	cJSON *scopes = cJSON_GetObjectItem(cJSON_GetObjectItem(ada, "rights"), "scopes");
	cr_assert_eq(cJSON_GetArraySize(scopes), 2);
	cJSON_Delete(ada);

	cJSON *bea = show("mastodon:1002");
	cr_assert_str_eq(state(bea), "replied"); /* eve's yes counts for nothing */
	cJSON_Delete(bea);
	cJSON *cy = show("mastodon:1003");
	cr_assert_str_eq(state(cy), "granted"); /* answered the brand's request post */
	cJSON_Delete(cy);

	r = kt_kudos(dir, "history", "mastodon:1001", "--store", store, NULL);
	cr_assert(strstr(r.out, "requested -> granted") && strstr(r.out, "reply"), "%s", r.out);
	kt_run_free(&r);
	/* Collecting the same replies again changes nothing. */
	r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.out, "replies to requests"), "%s", r.out);
	kt_run_free(&r);
}
