/*
 * A folder of many pages read on several threads (host->each_file_parallel,
 * through kudos_js_each_page, used by every JSON source): the store and the
 * messages must be exactly what reading the pages one after the other
 * gives — items stored in page order, warnings printed in page order, and
 * a bad page failing the whole source with nothing kept, whichever thread
 * finished first.
 */
#include "fixtures/mastodon/mastodon_test.h"

/* The SDK helper is compiled into plugins, not into kudos: the test of its
 * fallback for hosts without each_file_parallel compiles it in too. */
#include "../sdk/helpers/json_source.c"

#include <sqlite3.h>

#define PAGES 48
#define PER_PAGE 5
#define ID_MAX 64 /* an external id and its separator, at most */

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
	char *path = kt_path(dir, "kudos.db"), *out = calloc(1, ID_MAX * PAGES * PER_PAGE + 1);
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

/* ---- the other JSON sources ----------------------------------------------- */

/* A source's pages, in the shapes of its fixtures under tests/fixtures/:
 * PAGES pages of PER_PAGE entries in one list; entry n of the run is
 * entry(n).  On every third page the second entry is not an object, which
 * every source skips with a warning naming the page and "<list>[1]". */
struct source {
	const char *plugin;
	const char *keys;  /* more of the job's source entry, or "" */
	const char *head;  /* the page up to its list's "[" */
	const char *tail;  /* the page after the list's "]" */
	const char *list;  /* the list, as warnings name it */
	void (*entry)(char *buf, size_t size, int n);
	void (*id)(char *buf, size_t size, int n); /* its external id */
	int (*skipped)(int n); /* 1 if good entry n stores nothing; NULL: none */
	void (*check)(const struct kt_run *r);     /* more to check, or NULL */
};

static int bad_entry(int page, int i)
{
	return page % 3 == 0 && i == 1;
}

/* A minute and second of the run's hour for entry n: distinct times. */
#define MIN(n) (((n) / 60) % 60)
#define SEC(n) ((n) % 60)

static void gr_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"name\": \"accounts/1047/locations/8273/reviews/gr%d\", \"reviewId\": "
	         "\"gr%d\", \"reviewer\": {\"displayName\": \"Reviewer %d\"}, \"starRating\": "
	         "\"FIVE\", \"comment\": \"Review %d: the best espresso on the block.\", "
	         "\"createTime\": \"2026-03-01T10:%02d:%02d.512Z\"}",
	         n, n, n, n, MIN(n), SEC(n));
}

static void gr_id(char *b, size_t size, int n)
{
	snprintf(b, size, "gr%d", n);
}

static void yelp_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"id\": \"yelp%d\", \"rating\": 5, \"user\": {\"id\": \"u%d\", \"name\": "
	         "\"Dana %d.\"}, \"text\": \"Review %d: the best cold brew in Oakland.\", "
	         "\"time_created\": \"2026-03-01 10:%02d:%02d\", \"url\": "
	         "\"https://www.yelp.com/biz/acme-coffee?hrid=h%d&utm_source=x\"}",
	         n, n, n, n, MIN(n), SEC(n), n);
}

static void yelp_id(char *b, size_t size, int n)
{
	snprintf(b, size, "yelp%d", n);
}

/* Every response also answers a question of its page's own (ref
 * q_pNNN), so the refs the closing report lists are in page order. */
static void tf_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"token\": \"tok%d\", \"response_id\": \"tok%d\", \"response_type\": "
	         "\"completed\", \"submitted_at\": \"2026-02-14T10:%02d:%02dZ\", \"answers\": "
	         "[{\"field\": {\"id\": \"Yq1R0vJfPn2w\", \"type\": \"long_text\", \"ref\": "
	         "\"love_text\"}, \"type\": \"text\", \"text\": \"Answer %d: the oat flat white.\"}, "
	         "{\"field\": {\"id\": \"page%03d\", \"type\": \"short_text\", \"ref\": "
	         "\"q_p%03d\"}, \"type\": \"text\", \"text\": \"x\"}]}",
	         n, n, MIN(n), SEC(n), n, n / PER_PAGE, n / PER_PAGE);
}

static void tf_id(char *b, size_t size, int n)
{
	snprintf(b, size, "tok%d", n);
}

/* fields.rating names a question no page has: the report lists the refs
 * seen, first seen first, up to 40 of them. */
static void tf_check(const struct kt_run *r)
{
	char want[1024] = "(refs seen: love_text";
	for (int p = 0; p < 39; p++) {
		char ref[24];
		snprintf(ref, sizeof ref, ", q_p%03d", p);
		strcat(want, ref);
	}
	strcat(want, ", ...); it filled nothing");
	cr_assert(strstr(r->err, want), "want the refs in page order, %s:" RUN_FMT, want,
	          RUN_ARGS(*r));
}

static void tp_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"id\": \"tp%d\", \"consumer\": {\"id\": \"c%d\", \"displayName\": "
	         "\"Hannah %d\"}, \"stars\": 5, \"title\": \"Fast delivery\", \"text\": "
	         "\"Review %d: the machine works perfectly.\", \"language\": \"en\", "
	         "\"createdAt\": \"2026-03-01T10:%02d:%02d.000Z\"}",
	         n, n, n, n, MIN(n), SEC(n));
}

static void tp_id(char *b, size_t size, int n)
{
	snprintf(b, size, "tp%d", n);
}

/* Every seventh tweet has empty text: kudos refuses it ("has no text") and
 * counts it as invalid in the run's summary. */
static int x_empty(int n)
{
	return n % 7 == 3;
}

static void x_entry(char *b, size_t size, int n)
{
	char text[48] = "";
	if (!x_empty(n))
		snprintf(text, sizeof text, "Tweet number %d, the best coffee in Lyon.", n);
	snprintf(b, size,
	         "{\"author_id\": \"1499999999999999010\", \"created_at\": "
	         "\"2026-02-27T17:%02d:%02d.000Z\", \"id\": \"17649%08d\", \"lang\": \"en\", "
	         "\"text\": \"%s\"}",
	         MIN(n), SEC(n), n, text);
}

static void x_id(char *b, size_t size, int n)
{
	snprintf(b, size, "17649%08d", n);
}

static void x_check(const struct kt_run *r)
{
	int empty = 0;
	for (int n = 0; n < PAGES * PER_PAGE; n++)
		if (!bad_entry(n / PER_PAGE, n % PER_PAGE) && x_empty(n))
			empty++;
	char want[64];
	snprintf(want, sizeof want, "; %d skipped as invalid", empty);
	cr_assert(strstr(r->out, want), "want \"%s\" in the summary:" RUN_FMT, want,
	          RUN_ARGS(*r));
}

static void yt_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"kind\": \"youtube#comment\", \"etag\": \"e%d\", \"id\": \"Ugw%dAaABAg\", "
	         "\"snippet\": {\"authorDisplayName\": \"Viewer %d\", \"videoId\": "
	         "\"k3Xq9LmPz0A\", \"textDisplay\": \"Comment %d: worth every penny\", "
	         "\"textOriginal\": \"Comment %d: worth every penny\", \"likeCount\": 1, "
	         "\"publishedAt\": \"2026-01-15T18:%02d:%02d.512Z\"}}",
	         n, n, n, n, n, MIN(n), SEC(n));
}

static void yt_id(char *b, size_t size, int n)
{
	snprintf(b, size, "Ugw%dAaABAg", n);
}

static void bsk_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"uri\": \"at://did:plc:user%d/app.bsky.feed.post/3lbq%d\", \"cid\": \"c%d\", "
	         "\"author\": {\"did\": \"did:plc:user%d\", \"handle\": \"user%d.bsky.social\", "
	         "\"displayName\": \"User %d\"}, \"record\": {\"$type\": \"app.bsky.feed.post\", "
	         "\"createdAt\": \"2026-03-14T09:%02d:%02d.123Z\", \"text\": \"Post %d: the "
	         "flask keeps coffee hot all day.\", \"langs\": [\"en\"]}, \"replyCount\": 0, "
	         "\"repostCount\": 0, \"likeCount\": 1, \"quoteCount\": 0}",
	         n, n, n, n, n, n, MIN(n), SEC(n), n);
}

static void bsk_id(char *b, size_t size, int n)
{
	snprintf(b, size, "at://did:plc:user%d/app.bsky.feed.post/3lbq%d", n, n);
}

static void rd_entry(char *b, size_t size, int n)
{
	snprintf(b, size,
	         "{\"kind\": \"t3\", \"data\": {\"subreddit\": \"coffee\", \"selftext\": "
	         "\"Post %d: absolutely worth it.\", \"id\": \"rd%d\", \"name\": \"t3_rd%d\", "
	         "\"author\": \"user%d\", \"title\": \"Is Acme worth it? %d\", \"is_self\": true, "
	         "\"created_utc\": %d.0, \"permalink\": \"/r/coffee/comments/rd%d/t/\"}}",
	         n, n, n, n, n, 1709200000 + n, n);
}

static void rd_id(char *b, size_t size, int n)
{
	snprintf(b, size, "rd%d", n);
}

static const struct source sources[] = {
	{"google-reviews", "", "{\"reviews\": [", "], \"totalReviewCount\": 240}", "reviews",
	 gr_entry, gr_id, NULL, NULL},
	{"yelp", "", "{\"reviews\": [", "], \"total\": 240}", "reviews", yelp_entry, yelp_id,
	 NULL, NULL},
	{"typeform", ", \"fields\": {\"text\": \"love_text\", \"rating\": \"star_rating\"}",
	 "{\"total_items\": 240, \"page_count\": 48, \"items\": [", "]}", "items", tf_entry,
	 tf_id, NULL, tf_check},
	{"trustpilot", "", "{\"links\": [], \"reviews\": [", "]}", "reviews", tp_entry, tp_id,
	 NULL, NULL},
	{"x", "", "{\"data\": [",
	 "], \"includes\": {\"users\": [{\"id\": \"1499999999999999010\", \"name\": \"Sam\", "
	 "\"username\": \"sam_shoots\"}]}}",
	 "data", x_entry, x_id, x_empty, x_check},
	{"youtube", "", "{\"kind\": \"youtube#commentListResponse\", \"items\": [", "]}", "items",
	 yt_entry, yt_id, NULL, NULL},
	{"bluesky", "", "{\"posts\": [", "]}", "posts", bsk_entry, bsk_id, NULL, NULL},
	{"reddit", "", "{\"kind\": \"Listing\", \"data\": {\"children\": [", "]}}", "children",
	 rd_entry, rd_id, NULL, NULL},
};

static char *write_source_pages(const struct source *s)
{
	char *dir = kt_tmpdir();
	for (int p = 0; p < PAGES; p++) {
		char page[16384], e[2048], name[32];
		snprintf(page, sizeof page, "%s", s->head);
		for (int i = 0; i < PER_PAGE; i++) {
			if (bad_entry(p, i))
				snprintf(e, sizeof e, "42");
			else
				s->entry(e, sizeof e, p * PER_PAGE + i);
			strcat(page, i ? ", " : "");
			strcat(page, e);
		}
		strcat(page, s->tail);
		snprintf(name, sizeof name, "p%03d.json", p);
		char *path = kt_path(dir, name);
		kt_write(path, page);
		free(path);
	}
	return dir;
}

/* The external ids a serial read stores, in its order. */
static char *serial_order(const struct source *s)
{
	char *want = calloc(1, ID_MAX * PAGES * PER_PAGE + 1);
	cr_assert(want);
	for (int n = 0; n < PAGES * PER_PAGE; n++) {
		char id[ID_MAX];
		if (bad_entry(n / PER_PAGE, n % PER_PAGE) || (s->skipped && s->skipped(n)))
			continue;
		s->id(id, sizeof id - 1, n);
		strcat(want, id);
		strcat(want, " ");
	}
	return want;
}

/* stderr without the timing line, the one line that differs from run to
 * run (transfer full). */
static char *messages(const char *err)
{
	char *out = calloc(1, strlen(err) + 1), *o = out;
	cr_assert(out);
	for (const char *line = err; *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line + 1) : strlen(line);
		if (strncmp(line, "kudos: time:", 12) != 0) {
			memcpy(o, line, n);
			o += n;
		}
		line += n;
	}
	return out;
}

static char *collect_source(const struct source *s, const char *path, struct kt_run *out)
{
	char *dir = kt_tmpdir(), *text = NULL;
	cr_assert(asprintf(&text,
	                   "{\"name\": \"p\", \"store\": \"kudos.db\", \"sources\": "
	                   "[{\"plugin\": \"%s\", \"path\": \"%s\"%s}]}",
	                   s->plugin, path, s->keys) > 0);
	char *job = kt_job(dir, text);
	*out = kt_kudos(dir, "collect", job, "-v", "--plugin-path", KT_PLUGINS, NULL);
	free(job);
	free(text);
	return dir;
}

Test(pages, every_json_source_keeps_page_order_run_after_run, .timeout = 120)
{
	for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++) {
		const struct source *s = &sources[k];
		char *pages = write_source_pages(s), *want = serial_order(s), *first = NULL;
		for (int run = 0; run < 3; run++) {
			struct kt_run r;
			char *dir = collect_source(s, pages, &r);
			cr_assert_eq(r.status, 0, "%s:" RUN_FMT, s->plugin, RUN_ARGS(r));
			char *got = stored_order(dir);
			cr_assert_str_eq(got, want, "%s, run %d: stored out of page order",
			                 s->plugin, run);
			free(got);
			/* Every skipped entry is warned about, page after page. */
			const char *at = r.err;
			for (int p = 0; p < PAGES; p += 3) {
				char where[64];
				snprintf(where, sizeof where, "p%03d.json: %s[1]", p, s->list);
				const char *hit = strstr(r.err, where);
				cr_assert(hit, "%s: no warning for %s:" RUN_FMT, s->plugin, where,
				          RUN_ARGS(r));
				cr_assert(hit >= at, "%s: the warning for %s came before an earlier "
				                     "page's:" RUN_FMT,
				          s->plugin, where, RUN_ARGS(r));
				at = hit;
			}
			if (s->check)
				s->check(&r);
			/* The same lines in the same order on every run. */
			char *said = messages(r.err);
			if (!first)
				first = said;
			else {
				cr_assert_str_eq(said, first, "%s, run %d: the messages changed",
				                 s->plugin, run);
				free(said);
			}
			kt_run_free(&r);
			done(dir);
		}
		free(first);
		free(want);
		done(pages);
	}
}

/* ---- kudos_js_each_page on hosts without each_file_parallel --------------- */

/* A host that reads two pages through the service it has.  collect()'s
 * instance is opaque to plugins: any address stands for it. */
static long collect_instance;
#define collect_self ((struct kudos_instance *)&collect_instance)
static int parallel_calls;

static int fake_each_file(struct kudos_instance *self, const char *path,
                          int (*fn)(void *, const char *, const char *, size_t), void *ud)
{
	cr_assert_eq(self, collect_self);
	cr_assert_str_eq(path, "pages");
	int rc = fn(ud, "pages/a.json", "[1]", 3);
	return rc ? rc : fn(ud, "pages/b.json", "[2]", 3);
}

static int fake_each_file_parallel(struct kudos_instance *self, const char *path,
                                   int (*fn)(void *, struct kudos_instance *, const char *,
                                             const char *, size_t),
                                   void *ud)
{
	(void)self;
	(void)path;
	(void)fn;
	(void)ud;
	parallel_calls++;
	return KUDOS_OK;
}

static char fake_error[256];

static void fake_set_error(struct kudos_instance *self, const char *fmt, ...)
{
	va_list ap;
	(void)self;
	va_start(ap, fmt);
	vsnprintf(fake_error, sizeof fake_error, fmt, ap);
	va_end(ap);
}

struct seen_pages {
	char files[64];
	int stop_after; /* fail with KUDOS_EIO after this many pages; 0: never */
	int n;
};

static int note_page(void *ud, struct kudos_instance *self, const char *file,
                     const char *data, size_t len)
{
	struct seen_pages *seen = ud;
	cr_assert_eq(self, collect_self, "a serial page gets collect()'s own instance");
	cr_assert_eq(len, 3);
	cr_assert_eq(data[0], '[');
	strcat(seen->files, file);
	strcat(seen->files, " ");
	return ++seen->n == seen->stop_after ? KUDOS_EIO : KUDOS_OK;
}

Test(pages_helper, reads_serially_where_the_host_cannot_read_in_parallel)
{
	struct kudos_host host = {.set_error = fake_set_error,
	                          .each_file = fake_each_file,
	                          .each_file_parallel = fake_each_file_parallel};
	struct seen_pages seen = {0};

	/* A host of the minor before each_file_parallel ends before it. */
	host.struct_size = offsetof(struct kudos_host, each_file_parallel);
	cr_assert_eq(kudos_js_each_page(&host, collect_self, "pages", note_page, &seen), KUDOS_OK);
	cr_assert_str_eq(seen.files, "pages/a.json pages/b.json ");
	cr_assert_eq(parallel_calls, 0);

	/* fn's failure ends the loop and is returned as it is. */
	struct seen_pages failing = {.stop_after = 1};
	cr_assert_eq(kudos_js_each_page(&host, collect_self, "pages", note_page, &failing),
	             KUDOS_EIO);
	cr_assert_str_eq(failing.files, "pages/a.json ");

	/* The whole table: the parallel service is the one used. */
	host.struct_size = sizeof host;
	cr_assert_eq(kudos_js_each_page(&host, collect_self, "pages", note_page, &seen), KUDOS_OK);
	cr_assert_eq(parallel_calls, 1);

	/* Neither service: an error naming what to do. */
	host.struct_size = offsetof(struct kudos_host, each_file);
	cr_assert_eq(kudos_js_each_page(&host, collect_self, "pages", note_page, &seen),
	             KUDOS_EFAIL);
	cr_assert(strstr(fake_error, "update kudos"), "%s", fake_error);
}
