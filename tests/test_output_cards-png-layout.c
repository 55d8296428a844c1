/* cards-png layout through the real kudos binary, with the plugin's debug
 * sidecar (KUDOS_CARDS_DEBUG_BOXES=1: every glyph's box): no glyph of the
 * quote leaves the text box, for short, long, multi-paragraph, emoji-only,
 * Arabic, Hebrew-with-English and CJK quotes; no font falls back to empty
 * boxes; nothing is drawn outside the boxes the sidecar lists (checked on
 * the decoded pixels); a quote too long for the card makes no card and
 * says what to do; and golden images, compared with a tolerance.
 * Set KUDOS_UPDATE_GOLDEN=1 to write new goldens (then look at them). */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define FIX KT_SRC "/tests/fixtures/cards"
#define NOTO "/usr/share/fonts/truetype/noto/"
#define NOTO_CJK "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

static char *dir;

static void setup(void)
{
	dir = kt_tmpdir();
}

static void teardown(void)
{
	kt_rmtree(dir);
	free(dir);
}

TestSuite(layout, .init = setup, .fini = teardown, .timeout = 120);

/* The fonts the default theme and its fallbacks need (make deps). */
static int fonts_missing(void)
{
	static const char *const need[] = {
		NOTO "NotoSans-Regular.ttf", NOTO "NotoSans-Bold.ttf",
		NOTO "NotoSansArabic-Regular.ttf", NOTO "NotoSansHebrew-Regular.ttf",
		NOTO "NotoColorEmoji.ttf", NOTO_CJK, NULL};
	for (const char *const *p = need; *p; p++)
		if (access(*p, R_OK) != 0) {
			cr_log_warn("SKIPPED: %s is not installed (fonts-noto-core, "
			            "fonts-noto-color-emoji, fonts-noto-cjk: make deps)", *p);
			return 1;
		}
	return 0;
}

#define NEED_FONTS()                                                          \
	do {                                                                  \
		if (fonts_missing())                                          \
			cr_skip_test("the Noto fonts are not installed");     \
	} while (0)

/* Render the CSV rows (id,name,role,rating,text,language,consent) with
 * `extra` output keys and the debug sidecars. */
static struct kt_run render_csv(const char *rows, const char *extra)
{
	char *csv = kt_path(dir, "data.csv"), *text = NULL, *body = NULL, *job;
	struct kt_run r;
	cr_assert(asprintf(&body, "id,name,role,rating,text,language,consent\n%s", rows) > 0);
	kt_write(csv, body);
	cr_assert(asprintf(&text,
	    "{\"name\": \"t\", \"store\": \"k.db\",\n"
	    " \"sources\": [{\"plugin\": \"csv\", \"path\": \"data.csv\",\n"
	    "   \"consent_column\": \"consent\", \"consent_scopes\": [\"print\"],\n"
	    "   \"columns\": {\"id\": \"id\", \"author_name\": \"name\", \"author_role\": \"role\",\n"
	    "     \"rating\": \"rating\", \"text\": \"text\", \"language\": \"language\"}}],\n"
	    " \"curation\": {\"auto_approve\": [{\"name\": \"ok\", \"all\": {\"rights\": \"granted\"}}]},\n"
	    " \"outputs\": [{\"plugin\": \"cards-png\", \"dir\": \"out\"%s%s}]}\n",
	    extra ? ", " : "", extra ? extra : "") > 0);
	job = kt_job(dir, text);
	setenv("KUDOS_CARDS_DEBUG_BOXES", "1", 1);
	r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	unsetenv("KUDOS_CARDS_DEBUG_BOXES");
	free(job);
	free(text);
	free(body);
	free(csv);
	return r;
}

/* The card of item csv:<id> (NULL if none), and its sidecar. */
static char *card_of(const char *id)
{
	char *out = kt_path(dir, "out"), prefix[100], *found = NULL;
	DIR *d = opendir(out);
	struct dirent *e;
	snprintf(prefix, sizeof prefix, "csv-%s-", id);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)) &&
		    !strcmp(e->d_name + strlen(e->d_name) - 4, ".png"))
			found = kt_path(out, e->d_name);
	if (d)
		closedir(d);
	free(out);
	return found;
}

static cJSON *sidecar_of(const char *id)
{
	char *card = card_of(id), *side = NULL, *text;
	cJSON *doc;
	cr_assert(card, "no card for csv:%s", id);
	cr_assert(asprintf(&side, "%.*s.boxes.json", (int)(strlen(card) - 4), card) > 0);
	text = kt_read(side);
	cr_assert(text, "no sidecar %s", side);
	doc = cJSON_Parse(text);
	cr_assert(doc, "the sidecar %s is not JSON", side);
	free(text);
	free(side);
	free(card);
	return doc;
}

static int at(const cJSON *arr, int i)
{
	return cJSON_GetArrayItem(arr, i)->valueint;
}

/* Every glyph of the quote inside the text box; no empty boxes (notdef);
 * `font` (a file name) drew at least one glyph.  RETURN VALUE the lines. */
static int check_quote(const char *id, const char *font)
{
	cJSON *doc = sidecar_of(id), *box = cJSON_GetObjectItem(doc, "text_box"), *g;
	int seen = 0, n = 0, lines;
	cr_assert(cJSON_IsArray(box), "%s: no text box", id);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "quote")) {
		n++;
		cr_expect(at(g, 0) >= at(box, 0) && at(g, 1) >= at(box, 1) &&
		          at(g, 2) <= at(box, 2) && at(g, 3) <= at(box, 3),
		          "%s: glyph [%d,%d,%d,%d] (%s) leaves the text box [%d,%d,%d,%d]", id,
		          at(g, 0), at(g, 1), at(g, 2), at(g, 3),
		          cJSON_GetArrayItem(g, 4)->valuestring, at(box, 0), at(box, 1),
		          at(box, 2), at(box, 3));
		seen |= strcmp(cJSON_GetArrayItem(g, 4)->valuestring, font) == 0;
	}
	cr_expect_gt(n, 0, "%s: no glyph drawn", id);
	cr_expect(seen, "%s: nothing drawn with %s", id, font);
	cr_expect_eq(cJSON_GetObjectItem(doc, "notdef")->valueint, 0,
	             "%s: characters no font has (empty boxes)", id);
	lines = cJSON_GetObjectItem(doc, "lines")->valueint;
	cJSON_Delete(doc);
	return lines;
}

static const char *const quotes =
	"short,Sam,,5,Wow.,en,yes\n"
	"long,Verbose Victor,Novelist,3,\"I have used a lot of grinders over the years, from "
	"cheap blade ones to a commercial unit I bought second hand from a cafe that closed. "
	"This one sits in the sweet spot: the burrs are sharp, the steps are fine enough for "
	"espresso, it is quiet enough for a small flat at six in the morning, and the catch "
	"cup does not throw grounds all over the counter. After four months of daily use the "
	"grind is as consistent as on day one, and cleaning takes two minutes.\",en,yes\n"
	"paras,Sam O'Connell,Owner,5,\"Three things:\n1. It's quiet.\n\n2. Stepless adjustment "
	"matters.\n3. Support replaced a burr for free.\",en,yes\n"
	"emoji,Emoji Fan,,5,\xe2\x98\x95\xef\xb8\x8f\xe2\x9c\xa8\xf0\x9f\x94\xa5\xf0\x9f\x91\x8d"
	"\xf0\x9f\x8f\xbd\xf0\x9f\x87\xab\xf0\x9f\x87\xb7,,yes\n"
	"arabic,\xd9\x84\xd9\x8a\xd9\x84\xd9\x89 \xd8\xad\xd8\xaf\xd8\xa7\xd8\xaf,,5,"
	"\"\xd8\xa7\xd9\x84\xd9\x82\xd9\x87\xd9\x88\xd8\xa9 \xd8\xb1\xd8\xa7\xd8\xa6\xd8\xb9\xd8\xa9 "
	"\xd9\x88\xd8\xa7\xd9\x84\xd8\xae\xd8\xaf\xd9\x85\xd8\xa9 \xd9\x85\xd9\x85\xd8\xaa\xd8\xa7"
	"\xd8\xb2\xd8\xa9. \xd8\xa3\xd9\x86\xd8\xb5\xd8\xad \xd8\xa7\xd9\x84\xd8\xac\xd9\x85\xd9\x8a"
	"\xd8\xb9 \xd8\xa8\xd8\xaa\xd8\xac\xd8\xb1\xd8\xa8\xd8\xa9 \xd8\xa7\xd9\x84\xd9\x85\xd8\xb7"
	"\xd8\xad\xd9\x86\xd8\xa9.\",ar,yes\n"
	"hebrew,\xd7\xa0\xd7\x95\xd7\xa2\xd7\x94,Barista,4,\"\xd7\x94\xd7\x9e\xd7\x98\xd7\x97\xd7\xa0"
	"\xd7\x94 \xd7\xa9\xd7\x99\xd7\xa0\xd7\xaa\xd7\x94 \xd7\x90\xd7\xaa \xd7\x94\xd7\x91\xd7\x95"
	"\xd7\xa7\xd7\xa8: the espresso is finally consistent, \xd7\x95-Support "
	"\xd7\xa2\xd7\xa0\xd7\x95 \xd7\xaa\xd7\x95\xd7\x9a \xd7\xa9\xd7\xa2\xd7\x94.\",he,yes\n"
	"cjk,\xe4\xbd\x90\xe8\x97\xa4,,5,\xe6\xaf\x8e\xe6\x9c\x9d\xe3\x81\x93\xe3\x81\xae\xe3\x83"
	"\x9f\xe3\x83\xab\xe3\x81\xa7\xe8\xb1\x86\xe3\x82\x92\xe6\x8c\xbd\xe3\x81\x84\xe3\x81\xa6"
	"\xe3\x81\x84\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82\xe9\x9f\xb3\xe3\x81\x8c\xe9\x9d\x99\xe3"
	"\x81\x8b\xe3\x81\xa7\xe3\x80\x81\xe7\xb2\x92\xe5\xba\xa6\xe3\x81\x8c\xe3\x81\xa8\xe3\x81"
	"\xa6\xe3\x82\x82\xe5\x9d\x87\xe4\xb8\x80\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82,ja,yes\n";

Test(layout, no_glyph_leaves_the_text_box_in_any_script)
{
	NEED_FONTS();
	struct kt_run r = render_csv(quotes, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(check_quote("short", "NotoSans-Regular.ttf"), 1);
	cr_expect_geq(check_quote("long", "NotoSans-Regular.ttf"), 8, "a long quote wraps");
	cr_expect_geq(check_quote("paras", "NotoSans-Regular.ttf"), 4,
	              "each paragraph starts a line");
	cr_expect_eq(check_quote("emoji", "NotoColorEmoji.ttf"), 1);
	check_quote("arabic", "NotoSansArabic-Regular.ttf");
	check_quote("hebrew", "NotoSansHebrew-Regular.ttf");
	check_quote("hebrew", "NotoSans-Regular.ttf");
	check_quote("cjk", "NotoSansCJK-Regular.ttc");
	cr_expect(strstr(r.out, "rendered 7 items"), "%s", r.out);
	kt_run_free(&r);
}

/* Thai, Khmer, Lao and Burmese put no space between words: libunibreak
 * (no dictionary) sees one long word, which would be cut anywhere.  The
 * lines must break between words, found by ICU's dictionaries. */
static const char *const unspaced =
	"thai,Somchai,,5,\"\xe0\xb8\x81\xe0\xb8\xb2\xe0\xb9\x81\xe0\xb8\x9f\xe0\xb8\xa3\xe0\xb9\x89"
	"\xe0\xb8\xb2\xe0\xb8\x99\xe0\xb8\x99\xe0\xb8\xb5\xe0\xb9\x89\xe0\xb8\xad\xe0\xb8\xa3"
	"\xe0\xb9\x88\xe0\xb8\xad\xe0\xb8\xa2\xe0\xb8\xa1\xe0\xb8\xb2\xe0\xb8\x81\xe0\xb9\x81"
	"\xe0\xb8\xa5\xe0\xb8\xb0\xe0\xb8\x9e\xe0\xb8\x99\xe0\xb8\xb1\xe0\xb8\x81\xe0\xb8\x87"
	"\xe0\xb8\xb2\xe0\xb8\x99\xe0\xb8\x9a\xe0\xb8\xa3\xe0\xb8\xb4\xe0\xb8\x81\xe0\xb8\xb2"
	"\xe0\xb8\xa3\xe0\xb8\x94\xe0\xb8\xb5\xe0\xb9\x80\xe0\xb8\xa2\xe0\xb8\xb5\xe0\xb9\x88"
	"\xe0\xb8\xa2\xe0\xb8\xa1\xe0\xb8\x89\xe0\xb8\xb1\xe0\xb8\x99\xe0\xb8\x88\xe0\xb8\xb0"
	"\xe0\xb8\x81\xe0\xb8\xa5\xe0\xb8\xb1\xe0\xb8\x9a\xe0\xb8\xa1\xe0\xb8\xb2\xe0\xb8\xad"
	"\xe0\xb8\xb5\xe0\xb8\x81\xe0\xb9\x81\xe0\xb8\x99\xe0\xb9\x88\xe0\xb8\x99\xe0\xb8\xad"
	"\xe0\xb8\x99\",th,yes\n"
	"khmer,Sokha,,5,\"\xe1\x9e\x80\xe1\x9e\xb6\xe1\x9e\xa0\xe1\x9f\x92\xe1\x9e\x9c\xe1\x9f\x81"
	"\xe1\x9e\x93\xe1\x9f\x85\xe1\x9e\xa0\xe1\x9e\xb6\xe1\x9e\x84\xe1\x9e\x93\xe1\x9f\x81"
	"\xe1\x9f\x87\xe1\x9e\x86\xe1\x9f\x92\xe1\x9e\x84\xe1\x9e\xb6\xe1\x9e\x89\xe1\x9f\x8b"
	"\xe1\x9e\x8e\xe1\x9e\xb6\xe1\x9e\x9f\xe1\x9f\x8b\xe1\x9e\xa0\xe1\x9e\xbe\xe1\x9e\x99"
	"\xe1\x9e\x94\xe1\x9e\xbb\xe1\x9e\x82\xe1\x9f\x92\xe1\x9e\x82\xe1\x9e\x9b\xe1\x9e\xb7"
	"\xe1\x9e\x80\xe1\x9e\x94\xe1\x9e\x98\xe1\x9f\x92\xe1\x9e\x9a\xe1\x9e\xbe\xe1\x9e\x9f"
	"\xe1\x9f\x81\xe1\x9e\x9c\xe1\x9e\xb6\xe1\x9e\x9b\xe1\x9f\x92\xe1\x9e\xa2\xe1\x9e\x8e"
	"\xe1\x9e\xb6\xe1\x9e\x9f\xe1\x9f\x8b\",km,yes\n";

Test(layout, thai_and_khmer_break_between_words)
{
	NEED_FONTS();
	/* A narrow card with a large minimum size: the quotes take lines. */
	struct kt_run r = render_csv(unspaced, "\"width\": 600, \"height\": 1200, "
	                                       "\"theme\": {\"quote_min\": 70}");
	cr_assert_eq(r.status, 0, "%s", r.err);
	static const char *const ids[][2] = {{"thai", "NotoSansThai-Regular.ttf"},
	                                     {"khmer", "NotoSansKhmer-Regular.ttf"}};
	for (int i = 0; i < 2; i++) {
		cr_expect_geq(check_quote(ids[i][0], ids[i][1]), 3, "%s: the quote wraps",
		              ids[i][0]);
		cJSON *doc = sidecar_of(ids[i][0]);
		cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "emergency")),
		          "%s: a line was cut inside a word", ids[i][0]);
		cJSON_Delete(doc);
	}
	kt_run_free(&r);
}

Test(layout, right_to_left_quotes_mirror_the_card)
{
	NEED_FONTS();
	struct kt_run r = render_csv(quotes, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	static const char *const ids[] = {"arabic", "hebrew", "short"};
	for (int i = 0; i < 3; i++) {
		cJSON *doc = sidecar_of(ids[i]), *av = cJSON_GetObjectItem(doc, "avatar");
		cJSON *box = cJSON_GetObjectItem(doc, "text_box"), *g;
		int right = i < 2, max_x1 = 0, min_x0 = 1 << 30;
		cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "quote")) {
			if (at(g, 2) > max_x1)
				max_x1 = at(g, 2);
			if (at(g, 0) < min_x0)
				min_x0 = at(g, 0);
		}
		cr_expect(right ? at(av, 0) > 540 : at(av, 2) < 540,
		          "%s: the avatar should sit on the %s", ids[i], right ? "right" : "left");
		/* Start-aligned: right-to-left quotes hug the box's right edge. */
		if (right)
			cr_expect_lt(at(box, 2) - max_x1, 12, "%s: not right-aligned", ids[i]);
		else
			cr_expect_lt(min_x0 - at(box, 0), 12, "%s: not left-aligned", ids[i]);
		cJSON_Delete(doc);
	}
	kt_run_free(&r);
}

/* Decoded RGBA pixels, libpng's simplified reader opened at run time (the
 * test binaries link only the engine's libraries). */
static unsigned char *rgba(const char *path, int *w, int *h)
{
	void *lib = dlopen("libpng16.so.16", RTLD_NOW | RTLD_LOCAL);
	int (*begin)(png_imagep, const char *);
	int (*finish)(png_imagep, png_const_colorp, void *, png_int_32, void *);
	png_image im;
	unsigned char *px = NULL;
	cr_assert(lib, "libpng16.so.16 is missing");
	begin = (int (*)(png_imagep, const char *))dlsym(lib, "png_image_begin_read_from_file");
	finish = (int (*)(png_imagep, png_const_colorp, void *, png_int_32, void *))
		dlsym(lib, "png_image_finish_read");
	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	cr_assert(begin && finish && begin(&im, path), "libpng cannot read %s", path);
	im.format = PNG_FORMAT_RGBA;
	px = malloc(PNG_IMAGE_SIZE(im));
	cr_assert(finish(&im, NULL, px, 0, NULL), "libpng cannot decode %s", path);
	*w = (int)im.width;
	*h = (int)im.height;
	dlclose(lib);
	return px;
}

static void mark_boxes(unsigned char *used, int w, int h, const cJSON *list, int glyphs)
{
	const cJSON *g;
	if (!glyphs) { /* one box, or null */
		if (!cJSON_IsArray(list))
			return;
		for (int y = at(list, 1); y < at(list, 3); y++)
			for (int x = at(list, 0); x < at(list, 2); x++)
				if (x >= 0 && y >= 0 && x < w && y < h)
					used[(size_t)y * w + x] = 1;
		return;
	}
	cJSON_ArrayForEach(g, list) mark_boxes(used, w, h, g, 0);
}

Test(layout, nothing_is_drawn_outside_the_listed_boxes)
{
	NEED_FONTS();
	struct kt_run r = render_csv(quotes, "\"logo\": \"" FIX "/logo.png\", \"footer\": \"acme.example\"");
	static const char *const ids[] = {"long", "arabic", "emoji", "cjk"};
	static const char *const glyph_lists[] = {"quote", "mark", "name", "role", "meta",
	                                          "badge", "footer"};
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (int i = 0; i < 4; i++) {
		char *card = card_of(ids[i]);
		cJSON *doc = sidecar_of(ids[i]);
		int w, h;
		unsigned char *px = rgba(card, &w, &h), *used = calloc((size_t)w * h, 1);
		long stray = 0;
		for (int k = 0; k < 7; k++)
			mark_boxes(used, w, h, cJSON_GetObjectItem(doc, glyph_lists[k]), 1);
		mark_boxes(used, w, h, cJSON_GetObjectItem(doc, "avatar"), 0);
		mark_boxes(used, w, h, cJSON_GetObjectItem(doc, "stars"), 0);
		mark_boxes(used, w, h, cJSON_GetObjectItem(doc, "logo"), 0);
		for (size_t p = 0; p < (size_t)w * h; p++)
			if (!used[p] && memcmp(px + p * 4, "\xf7\xf3\xec\xff", 4) != 0)
				stray++;
		cr_expect_eq(stray, 0, "%s: %ld pixels differ from the background outside every "
		             "box the layout reported", ids[i], stray);
		free(px);
		free(used);
		free(card);
		cJSON_Delete(doc);
	}
	kt_run_free(&r);
}

Test(layout, a_quote_too_long_makes_no_card_and_says_what_to_do)
{
	NEED_FONTS();
	char *rows = NULL, *text = malloc(6000);
	text[0] = 0;
	for (int i = 0; i < 30; i++)
		strcat(text, "Every single word of this review matters to its author. ");
	cr_assert(asprintf(&rows, "huge,Ada,,5,%s,en,yes\nfine,Bo,,5,Short.,en,yes\n", text) > 0);
	struct kt_run r = render_csv(rows, NULL);
	char *card = card_of("huge"), *fine = card_of("fine");
	cr_assert_eq(r.status, 0, "one card that cannot be made does not fail the run: %s", r.err);
	cr_expect_null(card, "a card was made for the quote that does not fit");
	cr_expect_not_null(fine, "the other card is made");
	cr_expect(strstr(r.err, "item csv:huge: the quote") && strstr(r.err, "never cut") &&
	          strstr(r.err, "larger preset"), "the warning names the item and what to do:\n%s",
	          r.err);
	kt_run_free(&r);
	free(card);
	/* A larger preset has room for it, still at the theme's minimum size or more. */
	r = render_csv(rows, "\"preset\": \"a5\", \"dpi\": 300");
	cr_assert_eq(r.status, 0, "%s", r.err);
	card = card_of("huge");
	cr_expect_not_null(card, "an a5 card has room for the long quote:\n%s", r.err);
	if (card)
		check_quote("huge", "NotoSans-Regular.ttf");
	kt_run_free(&r);
	free(card);
	free(fine);
	free(rows);
	free(text);
}

/* ---- golden images -------------------------------------------------------- */

/* Compare a rendered card with tests/fixtures/cards/golden/<name>.png:
 * antialiasing may differ between FreeType and HarfBuzz releases, so a
 * pixel may differ by up to 24 per channel, and at most 0.3% of them by
 * more; a moved line or a lost glyph is far over that. */
static void against_golden(const char *id, const char *name)
{
	char *card = card_of(id), *golden = NULL;
	int w, h, gw, gh;
	unsigned char *a, *b;
	long off = 0, worst = 0;
	cr_assert(card, "no card for %s", id);
	cr_assert(asprintf(&golden, "%s/golden/%s.png", FIX, name) > 0);
	if (getenv("KUDOS_UPDATE_GOLDEN")) {
		char *cmd = NULL;
		cr_assert(asprintf(&cmd, "mkdir -p '%s/golden' && cp '%s' '%s'", FIX, card, golden) > 0);
		cr_assert_eq(system(cmd), 0);
		cr_log_warn("wrote the golden image %s: look at it before committing", golden);
		free(cmd);
	}
	a = rgba(card, &w, &h);
	b = rgba(golden, &gw, &gh);
	cr_assert(w == gw && h == gh, "%s: %dx%d, the golden is %dx%d", name, w, h, gw, gh);
	for (size_t p = 0; p < (size_t)w * h * 4; p++) {
		long d = labs((long)a[p] - (long)b[p]);
		if (d > worst)
			worst = d;
		if (d > 24)
			off++;
	}
	cr_expect_leq(off, (long)w * h * 4 * 3 / 1000,
	              "%s: %ld channel values differ by more than 24 from %s (worst %ld)", name,
	              off, golden, worst);
	free(a);
	free(b);
	free(card);
	free(golden);
}

Test(layout, golden_images)
{
	NEED_FONTS();
	struct kt_run r = render_csv(
		"latin,Priya Raman,\"Head barista, Little Fox Coffee\",4.5,\"We put it through a "
		"full Saturday rush and it didn't flinch. Retention is basically zero.\",en,yes\n"
		"rtl,\xd9\x84\xd9\x8a\xd9\x84\xd9\x89 \xd8\xad\xd8\xaf\xd8\xa7\xd8\xaf,,5,"
		"\"\xd8\xa7\xd9\x84\xd9\x82\xd9\x87\xd9\x88\xd8\xa9 \xd8\xb1\xd8\xa7\xd8\xa6\xd8\xb9"
		"\xd8\xa9 \xd9\x88\xd8\xa7\xd9\x84\xd8\xae\xd8\xaf\xd9\x85\xd8\xa9 \xd9\x85\xd9\x85"
		"\xd8\xaa\xd8\xa7\xd8\xb2\xd8\xa9 \xe2\x98\x95\xef\xb8\x8f\",ar,yes\n"
		"mixed,\xe4\xbd\x90\xe8\x97\xa4 Misaki,,5,\"\xe6\xaf\x8e\xe6\x9c\x9d\xe3\x81\x93\xe3"
		"\x81\xae\xe3\x83\x9f\xe3\x83\xab\xe3\x81\xa7 \xe2\x80\x94 every morning \xf0\x9f\x94"
		"\xa5\",ja,yes\n",
		"\"logo\": \"" FIX "/logo.png\", \"footer\": \"acme.example\"");
	cr_assert_eq(r.status, 0, "%s", r.err);
	against_golden("latin", "latin-square");
	against_golden("rtl", "arabic-square");
	against_golden("mixed", "cjk-emoji-square");
	kt_run_free(&r);
	r = render_csv("latin,Priya Raman,\"Head barista, Little Fox Coffee\",4.5,\"We put it "
	               "through a full Saturday rush and it didn't flinch.\",en,yes\n",
	               "\"preset\": \"og\", \"theme\": {\"background\": \"#1f2a44\", \"text\": "
	               "\"#ffffff\", \"muted\": \"#c8cde0\", \"align\": \"center\", "
	               "\"corner_radius\": 40}");
	cr_assert_eq(r.status, 0, "%s", r.err);
	against_golden("latin", "latin-og-dark");
	kt_run_free(&r);
}
