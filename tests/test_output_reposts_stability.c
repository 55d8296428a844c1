/*
 * reposts output, stable slots: four runs of one job through the real
 * binary, with items added, revoked, opted out and edited in between.
 * A later run keeps every post an earlier one planned (same id, same
 * time), plans only the new items, and cancels the posts of items that no
 * longer pass the gate: in schedule.json "cancelled", cancelled.csv and
 * cancelled.ics (METHOD:CANCEL, the post's UID, a higher SEQUENCE).  An
 * unchanged job gives byte-identical files.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char job_text[] =
	"{\"name\": \"stable\", \"store\": \"k.db\", \"sources\": [{\"plugin\": \"csv\", "
	"\"path\": \"data.csv\", \"consent_column\": \"ok\", \"consent_scopes\": [\"social\"]}], "
	"\"curation\": {\"auto_approve\": [{\"name\": \"granted\", \"all\": {\"rights\": "
	"\"granted\"}}]}, \"outputs\": [{\"plugin\": \"reposts\", \"dir\": \"out\", "
	"\"platforms\": [\"x\", \"bluesky\"], \"start\": \"2030-02-01\", \"days\": 7, "
	"\"slots\": [\"09:00\", \"17:00\"], \"timezone\": \"Europe/Berlin\", "
	"\"repeat_after_days\": 0, \"hashtags\": [\"YesAcme\"]}]}";

static const char rows_abc[] = "id,text,author_name,ok\n"
                               "a,Fast delivery and kind people.,Ann Alder,yes\n"
                               "b,Would buy again.,Ben Brook,yes\n"
                               "c,\"Great value, great service.\",Cy Cole,yes\n";
static const char rows_de[] = "d,Five stars from me.,Dee Dunn,yes\n"
                              "e,The app just works.,Eve Ellis,yes\n";

struct post {
	char id[96], item[32], utc[32], platform[16], status[16];
	int seq;
};

struct plan {
	struct post posts[64], cancelled[64];
	int n, nc;
};

static char *dir, *job;

static char *read_out(const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/out/%s", dir, name) > 0);
	char *t = kt_read(p);
	cr_assert(t, "no out/%s", name);
	free(p);
	return t;
}

static void run(struct plan *pl)
{
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run exited %d:\n%s%s", r.status, r.out, r.err);
	kt_run_free(&r);
	char *t = read_out("schedule.json");
	cJSON *doc = cJSON_Parse(t);
	cr_assert(doc, "%s", t);
	const cJSON *e;
	memset(pl, 0, sizeof *pl);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "posts"))
	{
		struct post *p = &pl->posts[pl->n++];
		snprintf(p->id, sizeof p->id, "%s", cJSON_GetObjectItem(e, "id")->valuestring);
		snprintf(p->item, sizeof p->item, "%s", cJSON_GetObjectItem(e, "item")->valuestring);
		snprintf(p->utc, sizeof p->utc, "%s", cJSON_GetObjectItem(e, "utc")->valuestring);
		snprintf(p->platform, sizeof p->platform, "%s",
		         cJSON_GetObjectItem(e, "platform")->valuestring);
		snprintf(p->status, sizeof p->status, "%s",
		         cJSON_GetObjectItem(e, "status")->valuestring);
		p->seq = cJSON_GetObjectItem(e, "sequence")->valueint;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "cancelled"))
	{
		struct post *p = &pl->cancelled[pl->nc++];
		snprintf(p->id, sizeof p->id, "%s", cJSON_GetObjectItem(e, "id")->valuestring);
		snprintf(p->item, sizeof p->item, "%s", cJSON_GetObjectItem(e, "item")->valuestring);
	}
	cJSON_Delete(doc);
	free(t);
}

static void kudos(const char *a, const char *b, const char *c, const char *d)
{
	struct kt_run r = kt_kudos(dir, a, b, c, d, "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "kudos %s %s exited %d:\n%s%s", a, b, r.status, r.out, r.err);
	kt_run_free(&r);
}

static const struct post *find(const struct plan *pl, const char *id)
{
	for (int i = 0; i < pl->n; i++)
		if (!strcmp(pl->posts[i].id, id))
			return &pl->posts[i];
	return NULL;
}

static int count_item(const struct plan *pl, const char *item, int cancelled)
{
	int n = 0;
	for (int i = 0; i < (cancelled ? pl->nc : pl->n); i++)
		n += !strcmp((cancelled ? pl->cancelled : pl->posts)[i].item, item);
	return n;
}

/* Every post of `before` not of item `gone` is in `after`, unmoved. */
static void kept(const struct plan *before, const struct plan *after, const char *gone,
                 const char *when)
{
	for (int i = 0; i < before->n; i++) {
		const struct post *b = &before->posts[i];
		if (!strcmp(b->item, gone))
			continue;
		const struct post *a = find(after, b->id);
		cr_expect(a, "%s: post %s (%s at %s) was not kept", when, b->id, b->item, b->utc);
		if (a) {
			cr_expect_str_eq(a->utc, b->utc, "%s: %s moved", when, b->id);
			cr_expect_str_eq(a->item, b->item, "%s: %s changed item", when, b->id);
		}
	}
}

/* The post `id` is cancelled in all three places. */
static void cancelled_everywhere(const struct plan *pl, const char *id, int seq)
{
	char *csv = read_out("cancelled.csv"), *ics = read_out("cancelled.ics"), *uid = NULL;
	int in_json = 0;
	for (int i = 0; i < pl->nc; i++)
		in_json |= !strcmp(pl->cancelled[i].id, id);
	cr_expect(in_json, "%s is not in schedule.json's cancelled", id);
	cr_expect(strstr(csv, id), "%s is not in cancelled.csv:\n%s", id, csv);
	cr_assert(asprintf(&uid, "UID:%s@kudos\r\n", id) > 0);
	char *ev = strstr(ics, uid);
	cr_expect(ev, "%s is not in cancelled.ics:\n%s", uid, ics);
	if (ev) {
		char want[32];
		snprintf(want, sizeof want, "SEQUENCE:%d\r\nSTATUS:CANCELLED\r\n", seq);
		char *end = strstr(ev, "END:VEVENT");
		char *st = strstr(ev, want);
		cr_expect(st && st < end, "%s: no %s", id, want);
	}
	cr_expect(strstr(ics, "\r\nMETHOD:CANCEL\r\n"), "cancelled.ics has METHOD:CANCEL");
	free(uid);
	free(csv);
	free(ics);
}

static void write_rows(const char *rows)
{
	char *p = kt_path(dir, "data.csv");
	kt_write(p, rows);
	free(p);
}

Test(reposts_stability, slots_stay_put_across_runs_while_items_come_and_go)
{
	static struct plan one, two, three, four;
	char rows[2048];
	dir = kt_tmpdir();
	job = kt_job(dir, job_text);

	write_rows(rows_abc);
	run(&one);
	cr_assert_eq(one.n, 6, "three items on two platforms: %d posts", one.n);

	/* two more items; b revoked */
	snprintf(rows, sizeof rows, "%s%s", rows_abc, rows_de);
	write_rows(rows);
	kudos("revoke", "csv:b", "--reason", "asked us to take it down");
	run(&two);
	kept(&one, &two, "csv:b", "run 2");
	cr_expect_eq(count_item(&two, "csv:b", 0), 0, "b is planned nowhere");
	cr_expect_eq(count_item(&two, "csv:b", 1), 2, "b's two posts are cancelled");
	for (int i = 0; i < one.n; i++)
		if (!strcmp(one.posts[i].item, "csv:b"))
			cancelled_everywhere(&two, one.posts[i].id, 1);
	cr_expect_eq(count_item(&two, "csv:d", 0), 2, "d is new on both platforms");
	cr_expect_eq(count_item(&two, "csv:e", 0), 2, "e is new on both platforms");
	char *td = NULL, *tdp = kt_path(dir, "takedown-report.json");
	td = kt_read(tdp);
	cr_expect(td && strstr(td, "csv:b"), "the takedown report names b:\n%s", td ? td : "");
	cr_expect(td && strstr(td, "/out/schedule.json\"") && strstr(td, "/out/schedule.ics\"") &&
	          strstr(td, "/out/schedule-x.csv\"") && strstr(td, "/out/schedule-bluesky.csv\""),
	          "and every file that quoted it:\n%s", td ? td : "");
	free(td);
	free(tdp);

	/* a edited upstream, f added, Cy opts out */
	snprintf(rows, sizeof rows, "%s%s%s",
	         "id,text,author_name,ok\n"
	         "a,Fast delivery and kind people; edited.,Ann Alder,yes\n"
	         "b,Would buy again.,Ben Brook,yes\n"
	         "c,\"Great value, great service.\",Cy Cole,yes\n",
	         rows_de, "f,Support fixed it in an hour.,Fay Fox,yes\n");
	write_rows(rows);
	struct kt_run r = kt_kudos(dir, "optout", "Cy Cole", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "optout: %s", r.err);
	kt_run_free(&r);
	run(&three);
	kept(&two, &three, "csv:c", "run 3");
	cr_expect_eq(count_item(&three, "csv:c", 1), 2, "c's posts are cancelled");
	cr_expect_eq(count_item(&three, "csv:b", 1), 2, "b's cancellations are still listed");
	for (int i = 0; i < two.n; i++)
		if (!strcmp(two.posts[i].item, "csv:c"))
			cancelled_everywhere(&three, two.posts[i].id, 1);
	cr_expect_eq(count_item(&three, "csv:f", 0), 2, "f is new on both platforms");
	for (int i = 0; i < three.n; i++) {
		const struct post *p = &three.posts[i];
		if (strcmp(p->item, "csv:a"))
			continue;
		cr_expect_str_eq(p->status, "updated", "a's text changed: %s", p->id);
		cr_expect_eq(p->seq, 1, "so its SEQUENCE goes up: %s", p->id);
	}
	char *ics3 = read_out("schedule.ics"), *csv3 = read_out("schedule-x.csv");
	char *c3 = read_out("cancelled.csv"), *cics3 = read_out("cancelled.ics");
	cr_expect(strstr(ics3, "edited."), "the calendar has a's new text");

	/* nothing changes: the same files */
	run(&four);
	kept(&three, &four, "", "run 4");
	cr_expect_eq(four.n, three.n, "run 4 plans as many posts");
	for (int i = 0; i < four.n; i++)
		cr_expect_str_eq(four.posts[i].status, "kept", "%s", four.posts[i].id);
	char *ics4 = read_out("schedule.ics"), *csv4 = read_out("schedule-x.csv");
	char *c4 = read_out("cancelled.csv"), *cics4 = read_out("cancelled.ics");
	cr_expect_str_eq(ics4, ics3, "schedule.ics changed without cause");
	cr_expect_str_eq(csv4, csv3, "schedule-x.csv changed without cause");
	cr_expect_str_eq(c4, c3, "cancelled.csv changed without cause");
	cr_expect_str_eq(cics4, cics3, "cancelled.ics changed without cause");
	free(ics3);
	free(csv3);
	free(c3);
	free(cics3);
	free(ics4);
	free(csv4);
	free(c4);
	free(cics4);
	kt_rmtree(dir);
	free(dir);
	free(job);
}

/* A grant shortened after the plan was made (revoked, then granted again
 * until a day inside the schedule): the posts after its end are cancelled
 * with the reason, the ones before it stay where they were. */
Test(reposts_stability, a_grant_that_now_ends_sooner_cancels_the_posts_after_its_end)
{
	static struct plan one, two;
	dir = kt_tmpdir();
	job = kt_job(dir,
	             "{\"name\": \"expiry\", \"store\": \"k.db\", \"sources\": [{\"plugin\": \"csv\", "
	             "\"path\": \"data.csv\", \"consent_column\": \"ok\", \"consent_scopes\": "
	             "[\"social\"]}], \"curation\": {\"auto_approve\": [{\"name\": \"granted\", "
	             "\"all\": {\"rights\": \"granted\"}}]}, \"outputs\": [{\"plugin\": \"reposts\", "
	             "\"dir\": \"out\", \"platforms\": [\"x\"], \"start\": \"2030-02-01\", "
	             "\"days\": 6, \"slots\": [\"09:00\"], \"repeat_after_days\": 2}]}");
	write_rows(rows_abc);
	run(&one);
	int before = 0, after = 0;
	for (int i = 0; i < one.n; i++)
		if (!strcmp(one.posts[i].item, "csv:a")) {
			before += strcmp(one.posts[i].utc, "2030-02-03") < 0;
			after += strcmp(one.posts[i].utc, "2030-02-04") > 0;
		}
	cr_assert(before && after, "a is planned before and after the 4th (%d, %d)", before,
	          after);

	kudos("revoke", "csv:a", "--reason", "wants a shorter window");
	struct kt_run r = kt_kudos(dir, "grant", "csv:a", "--scope", "social", "--until",
	                           "2030-02-03", "--evidence", "new terms, by e-mail", "--store",
	                           "k.db", NULL);
	cr_assert_eq(r.status, 0, "grant: %s", r.err);
	kt_run_free(&r);
	run(&two);
	char *csv = read_out("cancelled.csv");
	for (int i = 0; i < one.n; i++) {
		const struct post *p = &one.posts[i];
		if (strcmp(p->item, "csv:a")) {
			cr_expect(find(&two, p->id), "%s (%s) was not kept", p->id, p->item);
			continue;
		}
		if (strcmp(p->utc, "2030-02-04") < 0) {
			cr_expect(find(&two, p->id), "a's post %s, inside the grant, was not kept", p->id);
		} else {
			cr_expect(!find(&two, p->id), "a's post %s, after the grant, is still planned",
			          p->id);
			cancelled_everywhere(&two, p->id, 1);
			cr_expect(strstr(csv, "the grant ends 2030-02-04T00:00:00Z, before this slot"),
			          "cancelled.csv gives the reason:\n%s", csv);
		}
	}
	for (int i = 0; i < two.n; i++)
		if (!strcmp(two.posts[i].item, "csv:a"))
			cr_expect(strcmp(two.posts[i].utc, "2030-02-04") < 0, "a planned at %s",
			          two.posts[i].utc);
	free(csv);
	kt_rmtree(dir);
	free(dir);
	free(job);
}
