/* cards-png avatars through the real kudos binary: Google reviews whose
 * photo URLs the job maps to local files (nothing is downloaded), with the
 * plugin's debug sidecar.  A missing, truncated, garbage or oversized
 * image (refused from its header, before decoding) gives an initials badge
 * and a warning naming the item and the file, never a failed run; EXIF
 * orientation turns a photo upright; max_pixels is the job's to lower. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

TestSuite(avatars, .init = setup, .fini = teardown, .timeout = 120);

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

/* ---- avatars ------------------------------------------------------------ */

/* Google reviews by reviewers whose photo URLs the job maps to fixture
 * files (`cases`: name, file; file NULL: the URL is not mapped), all
 * approved and granted for print; then a render with the debug sidecars. */
static struct kt_run avatar_run(const char *const (*cases)[2], size_t n, const char *extra)
{
	cJSON *page = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(page, "reviews");
	cJSON *map = cJSON_CreateObject();
	char *text, *job_text = NULL, *path = kt_path(dir, "reviews.json");
	for (size_t i = 0; i < n; i++) {
		char url[200], when[40], words[200];
		cJSON *rv = cJSON_CreateObject(), *who;
		snprintf(url, sizeof url, "https://img.example/%s.jpg", cases[i][0]);
		snprintf(when, sizeof when, "2025-01-%02zuT10:00:00Z", i + 1);
		snprintf(words, sizeof words, "Avatar case %s: the card is still made.", cases[i][0]);
		cJSON_AddStringToObject(rv, "reviewId", cases[i][0]);
		cJSON_AddStringToObject(rv, "name", cases[i][0]);
		who = cJSON_AddObjectToObject(rv, "reviewer");
		cJSON_AddStringToObject(who, "profilePhotoUrl", url);
		cJSON_AddStringToObject(who, "displayName", "Ada Lovelace");
		cJSON_AddStringToObject(rv, "starRating", "FOUR");
		cJSON_AddStringToObject(rv, "comment", words);
		cJSON_AddStringToObject(rv, "createTime", when);
		cJSON_AddItemToArray(list, rv);
		if (cases[i][1]) {
			char file[600];
			snprintf(file, sizeof file, "%s/%s", FIX, cases[i][1]);
			cJSON_AddStringToObject(map, url, file);
		}
	}
	text = cJSON_Print(page);
	kt_write(path, text);
	free(text);
	text = cJSON_PrintUnformatted(map);
	cr_assert(asprintf(&job_text,
	    "{\"name\": \"t\", \"store\": \"k.db\",\n"
	    " \"sources\": [{\"plugin\": \"google-reviews\", \"path\": \"reviews.json\"}],\n"
	    " \"outputs\": [{\"plugin\": \"cards-png\", \"dir\": \"out\", \"avatar_map\": %s%s%s}]}\n",
	    text, extra ? ", " : "", extra ? extra : "") > 0);
	free(text);
	cJSON_Delete(page);
	cJSON_Delete(map);
	char *job = kt_job(dir, job_text), *store = kt_path(dir, "k.db");
	struct kt_run r = run("collect", job, NULL);
	cr_assert_eq(r.status, 0, "collect: %s", r.err);
	kt_run_free(&r);
	for (size_t i = 0; i < n; i++) {
		char id[100];
		snprintf(id, sizeof id, "google-reviews:%s", cases[i][0]);
		r = kt_kudos(dir, "approve", id, "--store", store, NULL);
		cr_assert_eq(r.status, 0, "approve %s: %s", id, r.err);
		kt_run_free(&r);
		r = kt_kudos(dir, "grant", id, "--scope", "print", "--evidence", "reply",
		             "--store", store, NULL);
		cr_assert_eq(r.status, 0, "grant %s: %s", id, r.err);
		kt_run_free(&r);
	}
	setenv("KUDOS_CARDS_DEBUG_BOXES", "1", 1);
	r = run("render", job, NULL);
	unsetenv("KUDOS_CARDS_DEBUG_BOXES");
	free(job);
	free(job_text);
	free(store);
	free(path);
	return r;
}

/* The sidecar of the card of review `name`. */
static cJSON *sidecar(const char *name)
{
	char prefix[120];
	size_t n;
	char **files = pngs(&n);
	cJSON *doc = NULL;
	snprintf(prefix, sizeof prefix, "/google-reviews-%s-", name);
	for (size_t i = 0; i < n && !doc; i++) {
		if (!strstr(files[i], prefix))
			continue;
		char *side = NULL, *text;
		cr_assert(asprintf(&side, "%.*s.boxes.json", (int)(strlen(files[i]) - 4), files[i]) > 0);
		text = kt_read(side);
		cr_assert(text, "no sidecar %s", side);
		doc = cJSON_Parse(text);
		free(text);
		free(side);
	}
	free_list(files);
	cr_assert(doc, "no card for %s", name);
	return doc;
}

static void pixel_at(const char *name, int x, int y, unsigned char rgb[3])
{
	char prefix[120];
	size_t n;
	char **files = pngs(&n);
	struct rgba im = {0};
	snprintf(prefix, sizeof prefix, "/google-reviews-%s-", name);
	for (size_t i = 0; i < n; i++)
		if (strstr(files[i], prefix) && strstr(files[i], ".png") &&
		    !strstr(files[i], ".json"))
			cr_assert_eq(read_rgba(files[i], &im), 0);
	cr_assert(im.px, "no card for %s", name);
	memcpy(rgb, im.px + ((size_t)y * im.w + x) * 4, 3);
	free(im.px);
	free_list(files);
}

Test(avatars, broken_huge_and_truncated_avatars_give_initials_and_a_warning)
{
	static const char *const cases[][2] = {
		{"good", "avatar.jpg"},          {"alpha", "avatar_alpha.png"},
		{"missing", "no-such-file.jpg"}, {"truncjpg", "truncated.jpg"},
		{"truncpng", "truncated.png"},   {"garbage", "garbage.jpg"},
		{"hugepng", "huge.png"},         {"hugejpg", "huge.jpg"},
		{"unmapped", NULL},
	};
	static const char *const why[] = {NULL, NULL, "does not exist", "Premature end",
	                                  "ends early", "neither a JPEG nor a PNG",
	                                  "100000x100000", "60000x60000", NULL};
	size_t ncase = sizeof cases / sizeof cases[0], n;
	struct kt_run r = avatar_run(cases, ncase, NULL);
	char **files;
	cr_assert_eq(r.status, 0, "broken avatars must not fail the run:\n%s", r.err);
	files = pngs(&n);
	cr_expect_eq(n, ncase, "every item gets its card: %zu of %zu", n, ncase);
	free_list(files);
	for (size_t i = 0; i < ncase; i++) {
		cJSON *doc = sidecar(cases[i][0]);
		int badge = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "badge"));
		int photo = i < 2;
		cr_expect(photo ? badge == 0 : badge > 0, "%s: initials %s", cases[i][0],
		          photo ? "drawn over a good avatar" : "missing");
		cr_expect(cJSON_IsArray(cJSON_GetObjectItem(doc, "avatar")), "%s: no avatar box",
		          cases[i][0]);
		if (why[i]) {
			char item[120];
			snprintf(item, sizeof item, "item google-reviews:%s: avatar", cases[i][0]);
			const char *line = strstr(r.err, item);
			cr_expect(line, "no warning names %s:\n%s", item, r.err);
			cr_expect(line && strstr(line, why[i]) && strstr(line, "showing initials"),
			          "%s: the warning does not say \"%s\":\n%s", cases[i][0], why[i], r.err);
		}
		cJSON_Delete(doc);
	}
	cr_expect(strstr(r.err, "1 card shows initials because the avatar URL is not in"),
	          "no summary for the unmapped URL:\n%s", r.err);
	kt_run_free(&r);
}

Test(avatars, exif_orientation_turns_the_avatar_upright)
{
	static const char *const cases[][2] = {{"turned", "avatar_exif6.jpg"}};
	struct kt_run r = avatar_run(cases, 1, NULL);
	cJSON *doc, *box;
	unsigned char left[3], right[3];
	int x0, y0, x1, y1;
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = sidecar("turned");
	box = cJSON_GetObjectItem(doc, "avatar");
	x0 = cJSON_GetArrayItem(box, 0)->valueint;
	y0 = cJSON_GetArrayItem(box, 1)->valueint;
	x1 = cJSON_GetArrayItem(box, 2)->valueint;
	y1 = cJSON_GetArrayItem(box, 3)->valueint;
	/* Shown upright, the picture is red on the left and blue on the right;
	 * the file stores it a quarter turn round, blue above red. */
	pixel_at("turned", x0 + (x1 - x0) / 4, (y0 + y1) / 2, left);
	pixel_at("turned", x1 - (x1 - x0) / 4, (y0 + y1) / 2, right);
	cr_expect(left[0] > 150 && left[2] < 100, "left of the avatar is not red: %d,%d,%d",
	          left[0], left[1], left[2]);
	cr_expect(right[2] > 150 && right[0] < 100, "right of the avatar is not blue: %d,%d,%d",
	          right[0], right[1], right[2]);
	cJSON_Delete(doc);
	kt_run_free(&r);
}

Test(avatars, max_pixels_refuses_an_avatar_before_decoding)
{
	static const char *const cases[][2] = {{"big", "avatar.jpg"}};
	struct kt_run r = avatar_run(cases, 1, "\"max_pixels\": 10000");
	cJSON *doc;
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "400x400, 0.2 megapixels, over the limit of 0.0 (max_pixels)"),
	          "the warning does not name the size and the key:\n%s", r.err);
	doc = sidecar("big");
	cr_expect_gt(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "badge")), 0);
	cJSON_Delete(doc);
	kt_run_free(&r);
}
