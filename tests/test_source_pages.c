/*
 * A folder of many pages read on several threads (host->each_file_parallel,
 * used by source-mastodon): the store and the messages must be exactly
 * what reading the pages one after the other gives — items stored in page
 * order, warnings printed in page order, and a bad page failing the whole
 * source with nothing kept, whichever thread finished first.
 */
#include "fixtures/mastodon/mastodon_test.h"

#include <sqlite3.h>

#define PAGES 48
#define PER_PAGE 5

/* Status `n` of the run, a minimal Status entity; `bad` leaves its id out. */
static void status_json(char *buf, size_t size, int n, int bad)
{
	char id[32] = "";
	if (!bad)
		snprintf(id, sizeof id, "\"id\": \"%d\", ", 900000 + n);
	snprintf(buf, size,
	         "{%s\"created_at\": \"2026-03-01T10:%02d:%02dZ\", "
	         "\"content\": \"<p>Status number %d, the page's praise.</p>\", "
	         "\"account\": {\"acct\": \"u%d\", \"username\": \"u%d\", "
	         "\"url\": \"https://toot.example/@u%d\"}}",
	         id, (n / 60) % 60, n % 60, n, n, n, n);
}

/* PAGES pages of PER_PAGE statuses each in a new folder.  Every
 * `bad_every`th page (none: 0) has an id-less status in second place; page
 * `cut_page` (none: -1) is cut short. */
static char *write_pages(int bad_every, int cut_page)
{
	char *dir = kt_tmpdir();
	for (int p = 0; p < PAGES; p++) {
		char page[8192] = "[", st[1024], name[32];
		for (int i = 0; i < PER_PAGE; i++) {
			int bad = bad_every && i == 1 && p % bad_every == 0;
			status_json(st, sizeof st, p * PER_PAGE + i, bad);
			strcat(page, i ? ", " : "");
			strcat(page, st);
		}
		strcat(page, "]");
		snprintf(name, sizeof name, "p%03d.json", p);
		char *path = kt_path(dir, name);
		if (p == cut_page)
			kt_write_bytes(path, page, strlen(page) / 2);
		else
			kt_write(path, page);
		free(path);
	}
	return dir;
}

/* The external ids in the order they were stored (rowid), space-separated. */
static char *stored_order(const char *dir)
{
	char *path = kt_path(dir, "kudos.db"), *out = calloc(1, 16 * PAGES * PER_PAGE + 1);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	cr_assert(out && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	cr_assert(sqlite3_prepare_v2(db, "SELECT external_id FROM items ORDER BY rowid", -1, &st,
	                             NULL) == SQLITE_OK,
	          "%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		strcat(out, (const char *)sqlite3_column_text(st, 0));
		strcat(out, " ");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return out;
}

Test(pages, items_are_stored_in_page_order)
{
	char *pages = write_pages(0, -1), want[16 * PAGES * PER_PAGE + 1] = "";
	for (int n = 0; n < PAGES * PER_PAGE; n++) {
		char id[16];
		snprintf(id, sizeof id, "%d ", 900000 + n);
		strcat(want, id);
	}
	/* Several runs: an order that depends on which thread finished first
	 * would show up in one of them. */
	for (int run = 0; run < 3; run++) {
		struct kt_run r;
		char *dir = collect_in(pages, &r);
		cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
		char *got = stored_order(dir);
		cr_assert_str_eq(got, want, "run %d: stored out of page order", run);
		free(got);
		kt_run_free(&r);
		done(dir);
	}
	done(pages);
}

Test(pages, warnings_come_in_page_order)
{
	char *pages = write_pages(3, -1);
	struct kt_run r;
	char *dir = collect_in(pages, &r);
	cr_assert_eq(r.status, 0, RUN_FMT, RUN_ARGS(r));
	const char *at = r.err;
	int warned = 0;
	for (int p = 0; p < PAGES; p += 3) {
		char name[32];
		snprintf(name, sizeof name, "p%03d.json: [1]", p);
		const char *hit = strstr(r.err, name);
		cr_assert(hit, "no warning for %s:" RUN_FMT, name, RUN_ARGS(r));
		cr_assert(hit >= at, "the warning for %s came before an earlier page's:" RUN_FMT,
		          name, RUN_ARGS(r));
		at = hit;
		warned++;
	}
	cr_assert_eq(count_items(dir), PAGES * PER_PAGE - warned);
	kt_run_free(&r);
	done(dir);
	done(pages);
}

Test(pages, a_cut_page_fails_the_source_and_keeps_nothing)
{
	/* Later pages have warnings: none of them may be printed, since the
	 * run stops at the cut page as a serial read would. */
	char *pages = write_pages(5, 23);
	struct kt_run r;
	char *dir = collect_in(pages, &r);
	cr_assert_eq(r.status, 2, RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "p023.json:"), "the cut page is not named:" RUN_FMT, RUN_ARGS(r));
	cr_assert(strstr(r.err, "p020.json: [1]"), "an earlier page's warning is missing:" RUN_FMT,
	          RUN_ARGS(r));
	cr_assert(!strstr(r.err, "p025.json"), "a page after the failure spoke:" RUN_FMT,
	          RUN_ARGS(r));
	char *order = stored_order(dir);
	cr_assert_str_eq(order, "", "the failed source kept items: %s", order);
	free(order);
	kt_run_free(&r);
	done(dir);
	done(pages);
}
