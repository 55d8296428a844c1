/*
 * The reference widget (samples/web/) in a real browser.  kudos builds a
 * widget.json from hostile items (tests/fixtures/widget-json/hostile.json:
 * <script>, <img onerror>, "><svg onload>, javascript: and data: links,
 * right-to-left overrides, a 5,000-character quote, emoji, Arabic, an
 * unconsented item) with cards from a cards output and a local avatar copy;
 * the page is served on a loopback port and driven by Debian's Chromium
 * headless through tests/web/browser_test.mjs (playwright-core), which
 * asserts every approved item is shown with its exact text, no injected
 * script ran, no dialog opened, no request left loopback, the carousel
 * works from the keyboard and honours prefers-reduced-motion, and saves
 * screenshots under $(B)/web/ for a person to look at.
 *
 * Needs node, `npm ci --prefix tests/web` (playwright-core, ajv) and
 * Debian's chromium (make deps); without them the test says so and skips.
 */
#include "fixtures/widget-json/widget_test.h"

#define SHOTS KUDOS_BUILD_DIR "/web"
#define BROWSER_TEST KT_SRC "/tests/web/browser_test.mjs"

/* Approved (consented) hostile items, newest first; not "notapproved". */
#define APPROVED "wfix:script wfix:img wfix:svg wfix:rlo wfix:long wfix:emoji wfix:noauthor wfix:arabic"

static const char JOB[] =
	"{\"name\": \"hostile\", \"store\": \"k.db\",\n"
	" \"sources\": [{\"plugin\": \"wfix\", \"path\": \"hostile.json\"}],\n"
	" \"curation\": {\"auto_approve\": [{\"name\": \"consented\", \"all\": {\"rights\": \"granted\"}}]},\n"
	" \"outputs\": [{\"plugin\": \"cards-png\", \"dir\": \"site/cards\", \"png\": \"card.png\"},\n"
	"   {\"plugin\": \"widget-json\", \"path\": \"site/widget.json\",\n"
	"    \"avatar_map\": {\"https://evil.example/a.png\": \"site/avatars/one.png\"},\n"
	"    \"jsonld\": {\"type\": \"Product\", \"name\": \"Acme Burr One\"}}]}\n";

static const char *chromium(void)
{
	const char *c = getenv("CHROMIUM");
	return c && *c ? c : "/usr/bin/chromium";
}

/* Why the browser test cannot run here, or NULL. */
static const char *browser_missing(void)
{
	const char *v = wt_validator_missing();
	if (v)
		return v;
	if (access(WT_NODE_MODULES "/playwright-core/package.json", R_OK) != 0)
		return "playwright-core is not installed: run make deps (npm ci --prefix tests/web)";
	static char why[600];
	if (access(chromium(), X_OK) != 0) {
		snprintf(why, sizeof why, "no Chromium at %s (Debian package chromium, installed "
		         "by make deps; or set CHROMIUM to another path)", chromium());
		return why;
	}
	return NULL;
}

static void copy_file(const char *from, const char *to)
{
	FILE *f = fopen(from, "rb");
	cr_assert(f, "cannot read %s", from);
	char *buf = malloc(1 << 20);
	size_t n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	kt_write_bytes(to, buf, n);
	free(buf);
}

Test(browser, hostile_items_render_as_text_and_nothing_leaves_loopback, .timeout = 300)
{
	const char *missing = browser_missing();
	if (missing) {
		cr_log_warn("the browser test of samples/web did NOT run: %s", missing);
		cr_skip_test();
	}
	char *dir = kt_tmpdir();
	wt_fixture_plugins();
	wt_copy_fixture(dir, "hostile.json", "hostile.json");
	wt_copy_fixture(dir, "card.png", "card.png");
	wt_copy_fixture(dir, "avatar.png", "site/avatars/one.png");
	const char *page[] = {"index.html", "kudos-widget.js", "kudos-widget.css"};
	for (size_t i = 0; i < 3; i++) {
		char *from = NULL, *to = NULL, *rel = NULL;
		cr_assert(asprintf(&from, "%s/samples/web/%s", KT_SRC, page[i]) > 0);
		cr_assert(asprintf(&rel, "site/%s", page[i]) > 0);
		to = kt_path(dir, rel);
		copy_file(from, to);
		free(from);
		free(to);
		free(rel);
	}
	free(kt_job(dir, JOB));
	struct kt_run r = wt_kudos(dir, "run", "job.json", NULL);
	cr_assert_eq(r.status, 0, WT_RUN_FMT, WT_RUN_ARGS(r));
	kt_run_free(&r);
	cJSON *w = wt_json(dir, "site/widget.json");
	cr_assert_str_eq(wt_ids(w), APPROVED, "widget.json does not hold exactly the approved items");
	char *widget = kt_path(dir, "site/widget.json");
	wt_validate(widget);

	char *site = kt_path(dir, "site"), *cmd = NULL, *out = NULL;
	cr_assert(asprintf(&cmd, "timeout 240 node '%s' --root '%s' --shots '%s' --chromium '%s' 2>&1",
	                   BROWSER_TEST, site, SHOTS, chromium()) > 0);
	FILE *p = popen(cmd, "r");
	cr_assert(p, "cannot run %s", cmd);
	size_t cap = 8192, used = 0, got;
	out = malloc(cap);
	while ((got = fread(out + used, 1, cap - used - 1, p)) > 0)
		if ((used += got) + 1 >= cap)
			out = realloc(out, cap *= 2);
	out[used] = '\0';
	int ws = pclose(p), status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
	if (status == 77) {
		cr_log_warn("the browser test of samples/web did NOT run: %s", out);
		cr_skip_test();
	}
	cr_assert_eq(status, 0, "the browser test failed (exit %d):\n%s", status, out);
	const char *shots[] = {SHOTS "/widget-page.png", SHOTS "/widget-carousel.png", SHOTS "/widget-mobile.png"};
	for (size_t i = 0; i < 3; i++) {
		char *png = kt_read(shots[i]);
		cr_assert(png && memcmp(png, "\x89PNG", 4) == 0, "no screenshot at %s", shots[i]);
		free(png);
	}
	cr_log_info("%s", out);
	free(out);
	free(cmd);
	free(site);
	free(widget);
	cJSON_Delete(w);
	wt_done(dir);
}
