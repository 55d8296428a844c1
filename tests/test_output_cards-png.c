/* cards-png through the real kudos binary: one PNG per item that passes the
 * gate, sizes and DPI, the job's keys refused with a clear message, the
 * cache (a second render renders nothing), file names that cannot escape
 * the output folder.  Avatars: test_output_cards-png-avatars.c; layout and
 * golden images: test_output_cards-png-layout.c. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define FIX KT_SRC "/tests/fixtures/cards"

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

TestSuite(cards, .init = setup, .fini = teardown, .timeout = 120);

/* ---- helpers ------------------------------------------------------------ */

/* A job over a CSV whose "consent" column grants print (and auto-approves
 * what is granted), with one cards-png output: `extra` is more of its keys. */
static char *csv_job(const char *csv, const char *extra)
{
	char *csv_path = kt_path(dir, "data.csv"), *text = NULL;
	kt_write(csv_path, csv);
	cr_assert(asprintf(&text,
	    "{\"name\": \"t\", \"store\": \"k.db\",\n"
	    " \"sources\": [{\"plugin\": \"csv\", \"path\": \"data.csv\",\n"
	    "   \"consent_column\": \"consent\", \"consent_scopes\": [\"print\"]}],\n"
	    " \"curation\": {\"auto_approve\": [{\"name\": \"ok\", \"all\": {\"rights\": \"granted\"}}]},\n"
	    " \"outputs\": [{\"plugin\": \"cards-png\", \"dir\": \"out\"%s%s}]}\n",
	    extra ? ", " : "", extra ? extra : "") > 0);
	char *job = kt_job(dir, text);
	free(text);
	free(csv_path);
	return job;
}

static struct kt_run run(const char *cmd, const char *job, const char *flag)
{
	return kt_kudos(dir, cmd, job, "--plugin-path", KT_PLUGINS, flag, NULL);
}

/* The PNG files under out/, sorted, as a NULL-terminated list. */
static char **pngs(size_t *n)
{
	char *out = kt_path(dir, "out");
	DIR *d = opendir(out);
	char **v = calloc(256, sizeof *v);
	struct dirent *e;
	*n = 0;
	while (d && (e = readdir(d)) && *n < 255) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".png") == 0)
			v[(*n)++] = kt_path(out, e->d_name);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i + 1 < *n; i++) /* a few files: insertion sort */
		for (size_t j = i + 1; j < *n; j++)
			if (strcmp(v[i], v[j]) > 0) {
				char *t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	free(out);
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* libpng's simplified reader, opened at run time (the test binaries link
 * only the engine's libraries). */
struct rgba {
	int w, h;
	unsigned char *px;
};

static int read_rgba(const char *path, struct rgba *out)
{
	void *lib = dlopen("libpng16.so.16", RTLD_NOW | RTLD_LOCAL);
	int (*begin)(png_imagep, const char *);
	int (*finish)(png_imagep, png_const_colorp, void *, png_int_32, void *);
	png_image im;
	int ok = 0;

	if (lib == NULL)
		return -1;
	begin = (int (*)(png_imagep, const char *))dlsym(lib, "png_image_begin_read_from_file");
	finish = (int (*)(png_imagep, png_const_colorp, void *, png_int_32, void *))
		dlsym(lib, "png_image_finish_read");
	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	if (begin && finish && begin(&im, path)) {
		im.format = PNG_FORMAT_RGBA;
		out->w = (int)im.width;
		out->h = (int)im.height;
		out->px = malloc(PNG_IMAGE_SIZE(im));
		ok = out->px && finish(&im, NULL, out->px, 0, NULL);
	}
	dlclose(lib);
	return ok ? 0 : -1;
}

/* The PNG's IHDR size, colour type, and pHYs pixels per metre (0: none). */
static void png_header(const char *path, int *w, int *h, int *color, long *ppm, int *srgb)
{
	FILE *f = fopen(path, "rb");
	unsigned char b[8];
	cr_assert(f, "%s is missing", path);
	cr_assert_eq(fread(b, 1, 8, f), 8);
	cr_assert_eq(memcmp(b, "\x89PNG\r\n\x1a\n", 8), 0, "%s is not a PNG", path);
	*ppm = 0;
	*srgb = 0;
	for (;;) {
		unsigned char hd[8], body[13];
		if (fread(hd, 1, 8, f) != 8)
			break;
		unsigned long len = (unsigned long)hd[0] << 24 | hd[1] << 16 | hd[2] << 8 | hd[3];
		if (!memcmp(hd + 4, "IHDR", 4) || !memcmp(hd + 4, "pHYs", 4)) {
			cr_assert_eq(fread(body, 1, len, f), len);
			if (!memcmp(hd + 4, "IHDR", 4)) {
				*w = body[0] << 24 | body[1] << 16 | body[2] << 8 | body[3];
				*h = body[4] << 24 | body[5] << 16 | body[6] << 8 | body[7];
				*color = body[9];
			} else if (body[8] == 1) {
				*ppm = (long)body[0] << 24 | body[1] << 16 | body[2] << 8 | body[3];
			}
			fseek(f, 4, SEEK_CUR);
			continue;
		}
		if (!memcmp(hd + 4, "sRGB", 4))
			*srgb = 1;
		if (!memcmp(hd + 4, "IEND", 4))
			break;
		fseek(f, (long)len + 4, SEEK_CUR);
	}
	fclose(f);
}

static const char *const people =
	"id,name,role,rating,text,consent\n"
	"p1,Priya Raman,\"Head barista, Little Fox\",5,\"It didn't flinch through a Saturday rush.\",yes\n"
	"p2,Marcus Webb,Home brewer,4,Cleaning takes two minutes and no tools.,yes\n"
	"p3,Dani K,,3,The hopper lid cracked after a month.,no\n";

/* ---- what is written ---------------------------------------------------- */

Test(cards, one_png_per_granted_item_with_size_dpi_and_srgb)
{
	char *job = csv_job(people, NULL);
	struct kt_run r = run("run", job, NULL);
	size_t n;
	char **files;
	cr_assert_eq(r.status, 0, "kudos run: %s%s", r.out, r.err);
	files = pngs(&n);
	cr_assert_eq(n, 2, "two items are granted for print, one is not: %zu cards", n);
	for (size_t i = 0; i < n; i++) {
		int w, h, color, srgb;
		long ppm;
		struct rgba im = {0};
		png_header(files[i], &w, &h, &color, &ppm, &srgb);
		cr_expect_eq(w, 1080);
		cr_expect_eq(h, 1080);
		cr_expect_eq(color, 2, "an opaque card is RGB");
		cr_expect_eq(ppm, 11811, "300 dpi is 11811 px/m, got %ld", ppm);
		cr_expect(srgb, "the card declares sRGB");
		cr_assert_eq(read_rgba(files[i], &im), 0, "libpng cannot read %s", files[i]);
		cr_expect_eq(im.w, 1080);
		free(im.px);
	}
	cr_expect(strstr(files[0], "/out/csv-p1-"), "named from the id: %s", files[0]);
	free_list(files);
	kt_run_free(&r);
	free(job);
}

Test(cards, presets_and_dpi_set_the_size)
{
	static const struct {
		const char *keys;
		int w, h;
		long ppm;
	} cases[] = {
		{"\"preset\": \"story\"", 1080, 1920, 11811},
		{"\"preset\": \"og\"", 1200, 630, 11811},
		{"\"preset\": \"a6\"", 1240, 1748, 11811},
		{"\"preset\": \"a5\", \"dpi\": 150", 874, 1240, 5906},
		{"\"preset\": \"postcard\", \"dpi\": 200", 1200, 800, 7874},
		{"\"width\": 800, \"height\": 500, \"dpi\": 72", 800, 500, 2835},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *job = csv_job("id,name,text,consent\nq1,Ada,Short and sweet.,yes\n",
		                    cases[i].keys);
		struct kt_run r = run("run", job, NULL);
		size_t n;
		char **files;
		int w, h, color, srgb;
		long ppm;
		cr_assert_eq(r.status, 0, "%s: %s", cases[i].keys, r.err);
		files = pngs(&n);
		cr_assert_eq(n, 1);
		png_header(files[0], &w, &h, &color, &ppm, &srgb);
		cr_expect(w == cases[i].w && h == cases[i].h, "%s: %dx%d, want %dx%d",
		          cases[i].keys, w, h, cases[i].w, cases[i].h);
		cr_expect_eq(ppm, cases[i].ppm, "%s: pHYs %ld", cases[i].keys, ppm);
		free_list(files);
		kt_run_free(&r);
		free(job);
		kt_rmtree(dir);
		mkdir(dir, 0700);
	}
}

Test(cards, rounded_corners_make_an_rgba_card_with_clear_corners)
{
	char *job = csv_job("id,name,text,consent\nq1,Ada,Round.,yes\n",
	                    "\"theme\": {\"corner_radius\": 60}");
	struct kt_run r = run("run", job, NULL);
	size_t n;
	char **files;
	struct rgba im = {0};
	int w, h, color, srgb;
	long ppm;
	cr_assert_eq(r.status, 0, "%s", r.err);
	files = pngs(&n);
	cr_assert_eq(n, 1);
	png_header(files[0], &w, &h, &color, &ppm, &srgb);
	cr_expect_eq(color, 6, "rounded corners need alpha (RGBA)");
	cr_assert_eq(read_rgba(files[0], &im), 0);
	cr_expect_eq(im.px[3], 0, "the corner pixel is transparent");
	cr_expect_eq(im.px[((size_t)540 * 1080 + 540) * 4 + 3], 255, "the middle is opaque");
	cr_expect_eq(im.px[((size_t)540 * 1080 + 0) * 4 + 3], 255, "the left edge is opaque");
	free(im.px);
	free_list(files);
	kt_run_free(&r);
	free(job);
}

Test(cards, dry_run_writes_no_card)
{
	char *job = csv_job(people, NULL);
	struct kt_run r = run("run", job, "--dry-run");
	size_t n;
	char **files;
	cr_assert_eq(r.status, 0, "%s", r.err);
	files = pngs(&n);
	cr_expect_eq(n, 0, "a dry run wrote %zu cards", n);
	free_list(files);
	kt_run_free(&r);
	free(job);
}

/* Quotes in several scripts, with fallback fonts and emoji: what a
 * renderer might draw differently if it depended on the cards it drew
 * before. */
static const char *const scripts =
	"id,name,role,rating,text,consent,language\n"
	"s1,Priya Raman,,5,\"It didn't flinch through a Saturday rush \xe2\x98\x95\xef\xb8\x8f\",yes,en\n"
	"s2,\xd9\x84\xd9\x8a\xd9\x84\xd9\x89,,5,\"\xd8\xa7\xd9\x84\xd9\x82\xd9\x87\xd9\x88"
	"\xd8\xa9 \xd8\xb1\xd8\xa7\xd8\xa6\xd8\xb9\xd8\xa9\",yes,ar\n"
	"s3,\xe4\xbd\x90\xe8\x97\xa4,,4,\xe6\xaf\x8e\xe6\x9c\x9d\xe3\x81\x93\xe3\x81\xae"
	"\xe3\x83\x9f\xe3\x83\xab\xe3\x81\xa7\xe8\xb1\x86\xe3\x82\x92\xe6\x8c\xbd\xe3\x81\x8f"
	"\xe3\x80\x82,yes,ja\n"
	"s4,\xd7\xa0\xd7\x95\xd7\xa2\xd7\x94,,4,\"\xd7\x94\xd7\x9e\xd7\x98\xd7\x97\xd7\xa0\xd7\x94"
	" \xd7\xa9\xd7\x99\xd7\xa0\xd7\xaa\xd7\x94: the espresso is consistent\",yes,he\n"
	"s5,Sam,,5,\xf0\x9f\x94\xa5\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xe0\xb8\x81\xe0\xb8\xb2"
	"\xe0\xb9\x81\xe0\xb8\x9f\xe0\xb8\xad\xe0\xb8\xa3\xe0\xb9\x88\xe0\xb8\xad\xe0\xb8\xa2,yes,th\n";

/* Every card's bytes, in name order, joined (transfer full), and n. */
static char *all_cards(size_t *n, size_t *total)
{
	char **v = pngs(n), *all = NULL;
	*total = 0;
	for (size_t i = 0; i < *n; i++) {
		struct stat st;
		char *x = kt_read(v[i]);
		cr_assert_eq(stat(v[i], &st), 0);
		all = realloc(all, *total + (size_t)st.st_size);
		memcpy(all + *total, x, (size_t)st.st_size);
		*total += (size_t)st.st_size;
		free(x);
	}
	free_list(v);
	return all;
}

Test(cards, threads_do_not_change_a_single_byte)
{
	char *job = csv_job(scripts, NULL), *out = kt_path(dir, "out");
	struct kt_run r;
	char *one, *many;
	size_t n1, n2, len1, len2;

	r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, "--jobs", "1", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	one = all_cards(&n1, &len1);
	cr_assert_eq(n1, 5, "five cards");
	kt_rmtree(out);
	/* A new store too: nothing kept from the first render. */
	char *db = kt_path(dir, "k.db");
	unlink(db);
	free(db);
	r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, "--jobs", "3", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	many = all_cards(&n2, &len2);
	cr_assert_eq(n2, n1);
	cr_expect_eq(len1, len2, "the cards differ in size with 3 threads");
	cr_expect(len1 == len2 && memcmp(one, many, len1) == 0,
	          "the cards differ with 3 threads");
	free(one);
	free(many);
	free(out);
	free(job);
}

Test(cards, each_card_moves_the_progress_bar_on_a_terminal)
{
	char *job = csv_job(people, NULL);
	const char *argv[] = {"run", job, "--plugin-path", KT_PLUGINS, NULL};
	struct kt_run t = kt_kudos_tty(dir, argv);
	cr_assert_eq(t.status, 0, "%s", t.out);
	cr_expect(strstr(t.out, "outputs[0] (cards-png): ["), "the cards report a bar: %s",
	          t.out);
	cr_expect(strstr(t.out, "[####################] 2/2"), "up to the last of the two "
	          "cards: %s", t.out);
	kt_run_free(&t);
	free(job);
}

/* ---- the job's mistakes ------------------------------------------------- */

Test(cards, bad_keys_are_refused_naming_the_key_and_what_to_write)
{
	static const struct {
		const char *keys, *says;
	} cases[] = {
		{"\"preset\": \"poster\"", "square (1080x1080), story"},
		{"\"preset\": \"og\", \"width\": 900, \"height\": 900", "not both"},
		{"\"width\": 900", "must both be set"},
		{"\"dpi\": 5", "\"dpi\" is 5"},
		{"\"theme\": {\"colour\": \"#fff\"}", "unknown key \"colour\"; the theme takes: background"},
		{"\"theme\": {\"text\": \"black\"}", "\"text\""},
		{"\"theme\": {\"quote_min\": 90, \"quote_max\": 40}", "\"quote_min\" (90) is larger"},
		{"\"theme\": {\"font\": \"no/such.ttf\"}", "cannot read the font file"},
		{"\"theme\": [1, 2]", "\"theme\" must be an object"},
		{"\"logo\": \"missing.png\"", "\"logo\": cannot open"},
		{"\"logo\": \"" FIX "/garbage.jpg\"", "\"logo\": it is neither a JPEG nor a PNG"},
		{"\"max_pixels\": 5", "\"max_pixels\" is 5"},
		{"\"jobs\": -1", "\"jobs\" is -1"},
		{"\"scope\": \"radio\"", "radio"},
		{"\"fallback_fonts\": [\"nope.ttf\"]", "nope.ttf"},
		{"\"avatar_map\": {\"https://x\": \"\"}", "maps to an empty path"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *job = csv_job(people, cases[i].keys);
		struct kt_run r = run("render", job, NULL);
		size_t n;
		char **files = pngs(&n);
		cr_expect_eq(r.status, 2, "%s: exit %d, want 2 (bad input):\n%s", cases[i].keys,
		             r.status, r.err);
		cr_expect(strstr(r.err, cases[i].says), "%s: the message does not say \"%s\":\n%s",
		          cases[i].keys, cases[i].says, r.err);
		cr_expect_eq(n, 0, "%s: a refused job wrote cards", cases[i].keys);
		free_list(files);
		kt_run_free(&r);
		free(job);
	}
}

/* ---- the cache ---------------------------------------------------------- */

static time_t mtime_ns(const char *path, long *ns)
{
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "%s is gone", path);
	*ns = st.st_mtim.tv_nsec;
	return st.st_mtim.tv_sec;
}

Test(cards, a_second_render_renders_nothing_and_says_so)
{
	char *job = csv_job(people, NULL);
	struct kt_run r = run("run", job, NULL);
	size_t n;
	char **files;
	long ns[2], ns2;
	time_t t[2];
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	files = pngs(&n);
	cr_assert_eq(n, 2);
	for (int i = 0; i < 2; i++)
		t[i] = mtime_ns(files[i], &ns[i]);
	usleep(20000);
	r = run("render", job, "-v");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "nothing changed: rendered no card, kept all 2"),
	          "the second render does not say it rendered nothing:\n%s", r.err);
	for (int i = 0; i < 2; i++) {
		cr_expect(mtime_ns(files[i], &ns2) == t[i] && ns2 == ns[i],
		          "%s was rewritten though nothing changed", files[i]);
	}
	kt_run_free(&r);
	/* A changed theme renders every card again. */
	char *job2 = csv_job(people, "\"theme\": {\"background\": \"#ffffff\"}");
	r = run("render", job2, "-v");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "rendered 2 cards"), "a new theme did not re-render:\n%s", r.err);
	kt_run_free(&r);
	free_list(files);
	free(job);
	free(job2);
}

Test(cards, an_edited_item_or_new_credit_re_renders_that_card_only)
{
	char *job = csv_job(people, NULL), *store = kt_path(dir, "k.db");
	struct kt_run r = run("run", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	/* The creator now wants first-name credit: a new grant. */
	r = kt_kudos(dir, "revoke", "csv:p2", "--reason", "new terms", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "kudos revoke: %s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "grant", "csv:p2", "--scope", "print", "--evidence", "email of 2 May",
	             "--credit", "first", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "kudos grant: %s", r.err);
	kt_run_free(&r);
	r = run("render", job, "-v");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "rendered 1 card ") && strstr(r.err, "kept 1 unchanged"),
	          "a new credit should re-render one card and keep the other:\n%s", r.err);
	kt_run_free(&r);
	/* An edit upstream (new text under the same id). */
	char *csv = kt_path(dir, "data.csv");
	kt_write(csv, "id,name,role,rating,text,consent\n"
	              "p1,Priya Raman,\"Head barista, Little Fox\",5,\"It didn't flinch. Edited.\",yes\n"
	              "p2,Marcus Webb,Home brewer,4,Cleaning takes two minutes and no tools.,yes\n");
	r = run("run", job, "-v");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "rendered 1 card ") && strstr(r.err, "kept 1 unchanged"),
	          "an edited item should re-render its card only:\n%s", r.err);
	kt_run_free(&r);
	free(csv);
	free(store);
	free(job);
}

Test(cards, an_excerpt_is_part_of_what_the_card_shows)
{
	char *job = csv_job(people, NULL), *store = kt_path(dir, "k.db");
	setenv("KUDOS_CARDS_DEBUG_BOXES", "1", 1);
	struct kt_run r = run("run", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(dir, "excerpt", "csv:p1", "--text", "through a Saturday rush",
	             "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	/* The whole quote fits, so the card still shows it; but what the card
	 * would show if it did not has changed, so it is made again. */
	r = run("render", job, "-v");
	unsetenv("KUDOS_CARDS_DEBUG_BOXES");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "rendered 1 card ") && strstr(r.err, "kept 1 unchanged") &&
	          strstr(r.err, "0 with the curator's excerpt"), "%s", r.err);
	kt_run_free(&r);
	size_t n;
	char **files = pngs(&n), *side = NULL, *text;
	cr_assert_eq(n, 2);
	cr_assert(asprintf(&side, "%.*s.boxes.json", (int)(strlen(files[0]) - 4), files[0]) > 0);
	text = kt_read(side);
	cr_assert_not_null(text, "%s", side);
	cr_expect(strstr(text, "\"id\":\"csv:p1\"") && strstr(text, "\"excerpt\":false"),
	          "%s", text);
	free(text);
	free(side);
	free_list(files);
	free(store);
	free(job);
}

Test(cards, a_revoked_item_loses_its_card)
{
	char *job = csv_job(people, NULL), *store = kt_path(dir, "k.db");
	struct kt_run r = run("run", job, NULL);
	size_t n;
	char **files;
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	files = pngs(&n);
	cr_assert_eq(n, 2);
	r = kt_kudos(dir, "revoke", "csv:p1", "--reason", "asked by email", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = run("render", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(access(files[0], F_OK) != 0, "the revoked item's card %s is still there",
	          files[0]);
	cr_expect(access(files[1], F_OK) == 0, "the other card is gone");
	kt_run_free(&r);
	free_list(files);
	free(store);
	free(job);
}

/* ---- names -------------------------------------------------------------- */

Test(cards, ids_become_safe_names_inside_the_output_folder)
{
	char *job = csv_job("id,name,text,consent\n"
	                    "../../etc/x,Eve,Trying to escape.,yes\n"
	                    "/abs/path,Abe,Absolute.,yes\n"
	                    "a/b,Al,Slash.,yes\n"
	                    "a_b,Bo,Underscore.,yes\n"
	                    "caf\xc3\xa9 \xe2\x98\x95 ..,Cy,Unicode and dots.,yes\n",
	                    NULL);
	struct kt_run r = run("run", job, NULL);
	size_t n;
	char **files;
	cr_assert_eq(r.status, 0, "%s", r.err);
	files = pngs(&n);
	cr_assert_eq(n, 5, "five distinct cards, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(files[i], '/') + 1;
		for (const char *p = base; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.',
			          "unsafe character in %s", base);
		cr_expect_neq(base[0], '.', "%s is hidden", base);
	}
	/* Nothing was written next to the job, or above it. */
	char *etc = kt_path(dir, "etc"), *up = kt_path(dir, "../etc/x.png");
	cr_expect(access(etc, F_OK) != 0 && access(up, F_OK) != 0, "a card escaped");
	int ab = 0;
	for (size_t i = 0; i < n; i++)
		ab += strstr(files[i], "/out/csv-a_b-") != NULL;
	cr_expect_eq(ab, 2, "a/b and a_b sanitise alike and keep two files: %d", ab);
	free(etc);
	free(up);
	free_list(files);
	kt_run_free(&r);
	free(job);
}

/* ---- credit ------------------------------------------------------------- */

Test(cards, the_author_is_credited_as_the_grant_asks)
{
	static const char *const credit[] = {"full", "first", "initials", "anonymous"};
	static const int glyphs[] = {10, 5, 4, 0}; /* "Priya Raman", "Priya", "P. R." */
	char *job = csv_job("id,name,text,consent\nc0,Priya Raman,One.,\nc1,Priya Raman,Two.,\n"
	                    "c2,Priya Raman,Three.,\nc3,Priya Raman,Four.,\n", NULL);
	char *store = kt_path(dir, "k.db");
	struct kt_run r = run("collect", job, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	for (int i = 0; i < 4; i++) {
		char id[32];
		snprintf(id, sizeof id, "csv:c%d", i);
		r = kt_kudos(dir, "approve", id, "--store", store, NULL);
		kt_run_free(&r);
		r = kt_kudos(dir, "grant", id, "--scope", "print", "--evidence", "form",
		             "--credit", credit[i], "--store", store, NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		kt_run_free(&r);
	}
	setenv("KUDOS_CARDS_DEBUG_BOXES", "1", 1);
	r = run("render", job, NULL);
	unsetenv("KUDOS_CARDS_DEBUG_BOXES");
	cr_assert_eq(r.status, 0, "%s", r.err);
	size_t n;
	char **files = pngs(&n);
	cr_assert_eq(n, 4);
	for (int i = 0; i < 4; i++) { /* c0..c3 sort in order */
		char *side = NULL, *text;
		cJSON *doc;
		cr_assert(asprintf(&side, "%.*s.boxes.json", (int)(strlen(files[i]) - 4), files[i]) > 0);
		text = kt_read(side);
		doc = cJSON_Parse(text);
		cr_assert(doc, "no sidecar %s", side);
		cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "name")), glyphs[i],
		             "%s credit: the name has %d glyphs", credit[i],
		             cJSON_GetArraySize(cJSON_GetObjectItem(doc, "name")));
		cr_expect_eq(cJSON_IsNull(cJSON_GetObjectItem(doc, "avatar")), i == 3,
		             "%s credit: %s", credit[i], i == 3 ? "an anonymous card shows no "
		             "avatar or initials" : "no avatar or initials");
		cJSON_Delete(doc);
		free(text);
		free(side);
	}
	free_list(files);
	kt_run_free(&r);
	free(store);
	free(job);
}
