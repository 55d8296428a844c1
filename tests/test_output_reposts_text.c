/*
 * reposts output, the post text: lengths counted the way each platform
 * counts them, and the CSV files' quoting.  Everything goes through the
 * real binary: a CSV of quotes with a consent column (scope social) and an
 * auto_approve rule, `kudos run`, then out/schedule.json ("posts" for what
 * fits, "skipped" for what does not, each with its weighted_length) and
 * the schedule-<platform>.csv files.
 *
 * The X cases are twitter-text's conformance file
 * (../shared/fixtures/real/limits/twitter_text_conformance_validate.yml,
 * read at test time; skipped loudly when absent) plus cases written here.
 * The CSV source trims blanks around a value, so a case's expected
 * length loses one per trimmed ASCII blank.  Last, fallback "card" with the
 * real cards-png output listed first (skipped loudly when it is not built).
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

struct sbuf {
	char *s;
	size_t n, cap;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert(b->s);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void puts_(struct sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* An RFC 4180 field. */
static void field(struct sbuf *b, const char *s)
{
	put(b, "\"", 1);
	for (; *s; s++)
		put(b, *s == '"' ? "\"\"" : s, 1 + (*s == '"'));
	put(b, "\"", 1);
}

/* Run a job over `n` quotes (ids c0, c1, ...; permalinks when given) with
 * more reposts keys; return schedule.json, the folder in *dir. */
static cJSON *plan(const char *const *texts, const char *const *links, size_t n,
                   const char *keys, char **dir)
{
	struct sbuf csv = {0};
	char id[32], *job = NULL;
	puts_(&csv, "id,text,ok,permalink\r\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof id, "c%zu,", i);
		puts_(&csv, id);
		field(&csv, texts[i]);
		puts_(&csv, ",yes,");
		puts_(&csv, links && links[i] ? links[i] : "");
		puts_(&csv, "\r\n");
	}
	*dir = kt_tmpdir();
	char *data = kt_path(*dir, "data.csv");
	kt_write(data, csv.s);
	cr_assert(asprintf(&job,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": [{\"plugin\": "
	                   "\"csv\", \"path\": \"data.csv\", \"consent_column\": \"ok\", "
	                   "\"consent_scopes\": [\"social\"]}], \"curation\": {\"auto_approve\": "
	                   "[{\"name\": \"all\", \"all\": {\"rights\": \"granted\"}}]}, "
	                   "\"outputs\": [{\"plugin\": \"reposts\", \"dir\": \"out\", \"start\": "
	                   "\"2030-01-01\", \"days\": %zu, \"slots\": [\"10:00\"], "
	                   "\"min_gap_minutes\": 0, %s}]}",
	                   n + 1 > 366 ? (size_t)366 : n + 1, keys) > 0);
	char *path = kt_job(*dir, job);
	struct kt_run r = kt_kudos(*dir, "run", path, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run exited %d:\n%s%s", r.status, r.out, r.err);
	char *out = kt_path(*dir, "out/schedule.json");
	char *text = kt_read(out);
	cr_assert(text, "no out/schedule.json:\n%s%s", r.out, r.err);
	cJSON *doc = cJSON_Parse(text);
	cr_assert(doc, "schedule.json is not JSON:\n%s", text);
	kt_run_free(&r);
	free(text);
	free(out);
	free(path);
	free(job);
	free(data);
	free(csv.s);
	return doc;
}

/* Item c<i> on `platform`: its length, *planned 1 (posts) or 0
 * (skipped).  -1 when the plan does not mention it there. */
static long length_of(const cJSON *doc, size_t i, const char *platform, int *planned)
{
	char id[32];
	snprintf(id, sizeof id, "csv:c%zu", i);
	const char *lists[] = {"posts", "skipped"};
	for (int l = 0; l < 2; l++) {
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, lists[l]))
		{
			const cJSON *it = cJSON_GetObjectItem(e, "item");
			const cJSON *p = cJSON_GetObjectItem(e, "platform");
			if (!strcmp(it->valuestring, id) && !strcmp(p->valuestring, platform)) {
				*planned = l == 0;
				return (long)cJSON_GetObjectItem(e, "weighted_length")->valuedouble;
			}
		}
	}
	return -1;
}

/* Blanks the CSV source trims from either end. */
static long trimmed(const char *s)
{
	size_t n = strlen(s), a = 0, b = n;
	while (a < n && strchr(" \t\r\n\v\f", s[a]))
		a++;
	while (b > a && strchr(" \t\r\n\v\f", s[b - 1]))
		b--;
	return (long)(a + (n - b));
}

/* ---- the conformance file ------------------------------------------------- */

static void utf8(struct sbuf *b, unsigned long c)
{
	char o[4];
	size_t n;
	if (c < 0x80) {
		o[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6), o[1] = (char)(0x80 | (c & 63)), n = 2;
	} else if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12), o[1] = (char)(0x80 | (c >> 6 & 63));
		o[2] = (char)(0x80 | (c & 63)), n = 3;
	} else {
		o[0] = (char)(0xF0 | c >> 18), o[1] = (char)(0x80 | (c >> 12 & 63));
		o[2] = (char)(0x80 | (c >> 6 & 63)), o[3] = (char)(0x80 | (c & 63)), n = 4;
	}
	put(b, o, n);
}

/* A YAML double-quoted scalar starting after its opening quote. */
static char *yaml_string(const char *p)
{
	struct sbuf b = {0};
	put(&b, "", 0);
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			put(&b, p, 1);
			continue;
		}
		p++;
		if (*p == 'u' || *p == 'U') {
			int len = *p == 'u' ? 4 : 8;
			char hex[9] = {0};
			memcpy(hex, p + 1, (size_t)len);
			utf8(&b, strtoul(hex, NULL, 16));
			p += len;
		} else {
			put(&b, *p == 'n' ? "\n" : *p == 't' ? "\t" : *p == 'r' ? "\r" : p, 1);
		}
	}
	return b.s;
}

struct conf {
	char *desc, *text;
	long length;
	int valid;
};

static size_t read_conformance(const char *path, struct conf *out, size_t max)
{
	char *all = kt_read(path);
	cr_assert(all, "cannot read %s", path);
	size_t n = 0;
	int wanted = 0;
	for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "  ", 2) && line[2] != ' ' && line[strlen(line) - 1] == ':') {
			wanted = strstr(line, "WeightedTweetsWithDiscountedEmojiCounterTest:") ||
			         strstr(line, "UnicodeDirectionalMarkerCounterTest:");
			continue;
		}
		char *v;
		if (!wanted)
			continue;
		if ((v = strstr(line, "- description: \"")) && n < max) {
			out[n++] = (struct conf){yaml_string(v + 16), NULL, -1, -1};
		} else if (n && (v = strstr(line, "text: \""))) {
			out[n - 1].text = yaml_string(v + 7);
		} else if (n && (v = strstr(line, "weightedLength: "))) {
			out[n - 1].length = atol(v + 16);
		} else if (n && (v = strstr(line, "valid: "))) {
			out[n - 1].valid = !strncmp(v + 7, "true", 4);
		}
	}
	free(all);
	return n;
}

Test(reposts_text, x_weighted_length_matches_the_twitter_text_conformance_cases)
{
	const char *real = kt_real_fixtures();
	if (!real) {
		cr_log_warn("../shared/fixtures/real is absent: the twitter-text conformance "
		            "cases cannot be checked on this machine");
		cr_skip_test("no twitter_text_conformance_validate.yml");
	}
	char *path = NULL, *dir;
	cr_assert(asprintf(&path, "%s/limits/twitter_text_conformance_validate.yml", real) > 0);
	struct conf c[64];
	size_t n = read_conformance(path, c, 64);
	cr_assert_geq(n, 20, "only %zu weighted-length cases found in %s", n, path);
	const char *texts[64];
	for (size_t i = 0; i < n; i++) {
		cr_assert(c[i].text && c[i].length >= 0 && c[i].valid >= 0, "case %zu incomplete", i);
		texts[i] = c[i].text;
	}
	cJSON *doc = plan(texts, NULL, n, "\"platforms\": [\"x\"], \"template\": \"{quote}\"", &dir);
	for (size_t i = 0; i < n; i++) {
		int planned = -1;
		long got = length_of(doc, i, "x", &planned);
		long want = c[i].length - trimmed(c[i].text);
		cr_expect_eq(got, want, "\"%s\": weighted length %ld, twitter-text says %ld",
		             c[i].desc, got, want);
		cr_expect_eq(planned, c[i].valid, "\"%s\": %s, twitter-text says %s", c[i].desc,
		             planned ? "planned" : "skipped", c[i].valid ? "valid" : "invalid");
		free(c[i].desc);
		free(c[i].text);
	}
	cJSON_Delete(doc);
	kt_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- cases written here --------------------------------------------------- */

struct own {
	const char *text;
	long x, mastodon, bluesky, threads, linkedin; /* -1: not checked */
};

static const struct own own[] = {
	{"Hello world", 11, 11, 11, 11, 11},
	{"Caf\xC3\xA9 \xE2\x98\x95", 7, 6, 6, 8, 6},                         /* Café ☕ */
	{"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 6, 3, 3, 3, 3},             /* 日本語 */
	{"See https://acme.example.com/reviews?id=42.", 28, 28, 43, 43, 43}, /* period left out */
	{"Visit acme.com today", 35, 20, 20, 20, 20},     /* no protocol: X only */
	{"Made in acme.de", 15, 15, 15, 15, 15},          /* name.cc is not a link */
	{"acme.co rocks", 29, 13, 13, 13, 13},            /* .co is */
	{"email me at jane@acme.com", 25, 25, 25, 25, 25}, /* after @: not a link */
	{"Mr.Smith said hi", 16, 16, 16, 16, 16},          /* not a top-level domain */
	{"see http://localhost:3000/admin", 31, 31, 31, 31, 31},
	{"Cafe\xCC\x81", 4, 4, 4, 4, 4},                  /* e + U+0301, NFC */
	{"\xC2\xA9" "2024 Acme\xC2\xAE", 11, 11, 11, 11, 11}, /* © ® stay text */
	{"#\xEF\xB8\x8F\xE2\x83\xA3 ok", 5, 4, 4, 10, 6},  /* keycap #️⃣ */
	/* 👍🏽 great: skin tone */
	{"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD great", 8, 7, 7, 14, 10},
	/* 🇩🇪🇫🇷🇯🇵: three flags */
	{"\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xAF"
	 "\xF0\x9F\x87\xB5", 6, 3, 3, 24, 12},
	/* 👨‍👩‍👧‍👦: a ZWJ family */
	{"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D"
	 "\xF0\x9F\x91\xA6", 2, 1, 1, 25, 11},
	/* e + U+0301 + U+0302 + x: combining marks stay with their base */
	{"e\xCC\x81\xCC\x82x", 3, 2, 2, 3, 3},
	/* Hangul jamo, composed by NFC into one syllable */
	{"\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", 2, 1, 1, 1, 1},
	{"Thanks @jane@example.social for https://example.com/a/very/long/path/that/goes/on",
	 55, 40, 81, 81, 81}, /* Mastodon counts a remote mention as @user */
};

Test(reposts_text, each_platform_counts_its_own_way)
{
	size_t n = sizeof own / sizeof own[0];
	const char *texts[32];
	char *dir;
	for (size_t i = 0; i < n; i++)
		texts[i] = own[i].text;
	cJSON *doc = plan(texts, NULL, n,
	                  "\"platforms\": [\"x\", \"mastodon\", \"bluesky\", \"threads\", "
	                  "\"linkedin\"], \"template\": \"{quote}\"",
	                  &dir);
	const char *names[] = {"x", "mastodon", "bluesky", "threads", "linkedin"};
	for (size_t i = 0; i < n; i++) {
		const long want[] = {own[i].x, own[i].mastodon, own[i].bluesky, own[i].threads,
		                     own[i].linkedin};
		for (int p = 0; p < 5; p++) {
			int planned;
			if (want[p] < 0)
				continue;
			long got = length_of(doc, i, names[p], &planned);
			cr_expect_eq(got, want[p], "%s counts \"%s\" as %ld, expected %ld", names[p],
			             own[i].text, got, want[p]);
		}
	}
	cJSON_Delete(doc);
	kt_rmtree(dir);
	free(dir);
}

Test(reposts_text, bluesky_takes_300_graphemes_and_not_one_more)
{
	static char fits[400], over[400];
	memset(fits, 'a', 299);
	strcpy(fits + 299, "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91"
	                   "\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6"); /* + 1 family */
	memset(over, 'a', 300);
	strcpy(over + 300, "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA"); /* + 1 flag */
	const char *texts[] = {fits, over};
	char *dir;
	cJSON *doc = plan(texts, NULL, 2,
	                  "\"platforms\": [\"bluesky\", \"x\"], \"template\": \"{quote}\"", &dir);
	int planned;
	cr_expect_eq(length_of(doc, 0, "bluesky", &planned), 300);
	cr_expect_eq(planned, 1, "300 graphemes fit Bluesky");
	cr_expect_eq(length_of(doc, 1, "bluesky", &planned), 301);
	cr_expect_eq(planned, 0, "301 graphemes do not");
	cr_expect_eq(length_of(doc, 1, "x", &planned), 302);
	cr_expect_eq(planned, 0, "and 302 weighted characters are too many for X");
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "skipped"), 0);
	cr_assert(s, "the skipped quote is reported");
	cr_expect(strstr(cJSON_GetObjectItem(s, "reason")->valuestring, "the limit is"),
	          "reason: %s", cJSON_GetObjectItem(s, "reason")->valuestring);
	cJSON_Delete(doc);
	kt_rmtree(dir);
	free(dir);
}

/* ---- CSV ------------------------------------------------------------------ */

static char *csv_file(const char *dir, const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/out/%s", dir, name) > 0);
	char *t = kt_read(p);
	cr_assert(t, "no %s", p);
	free(p);
	return t;
}

Test(reposts_text, csv_fields_are_quoted_per_rfc_4180)
{
	const char *texts[] = {"He said \"wow\", twice\nReally", "plain words"};
	const char *links[] = {"https://example.com/r/1", "https://example.com/r/2"};
	char *dir;
	cJSON *doc = plan(texts, links, 2,
	                  "\"platforms\": [\"x\"], \"template\": \"{quote}\", \"timezone\": "
	                  "\"Europe/Berlin\"",
	                  &dir);
	char *csv = csv_file(dir, "schedule-x.csv");
	/* items without a date come in id order: c0 on the first day; local
	 * 10:00, header-less, dd/mm/yyyy, CRLF after every record, LF kept
	 * inside the quoted field */
	const char *want = "01/01/2030 10:00,\"He said \"\"wow\"\", twice\nReally\","
	                   "https://example.com/r/1\r\n"
	                   "02/01/2030 10:00,plain words,https://example.com/r/2\r\n";
	cr_expect_str_eq(csv, want);
	free(csv);
	cJSON_Delete(doc);
	kt_rmtree(dir);
	free(dir);
}

Test(reposts_text, csv_format_picks_the_headed_layouts)
{
	static const struct {
		const char *format, *head, *row;
	} f[] = {
		{"hootsuite-us", NULL, "01/01/2030 10:00,\"a, b\",https://example.com/r/1\r\n"},
		{"highlevel",
		 "postAtSpecificTime (YYYY-MM-DD HH:mm:ss),content,link (OGmetaUrl),imageUrls,"
		 "gifUrl,videoUrls\r\n",
		 "2030-01-01 10:00:00,\"a, b\",https://example.com/r/1,,,\r\n"},
		{"sprout", "date,time_24hr,message_text\r\n", "01/01/2030,10:00,\"a, b\"\r\n"},
	};
	const char *texts[] = {"a, b"};
	const char *links[] = {"https://example.com/r/1"};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char *keys = NULL, *dir, *want = NULL;
		cr_assert(asprintf(&keys, "\"platforms\": [\"mastodon\"], \"template\": \"{quote}\", "
		                          "\"csv_format\": \"%s\"", f[i].format) > 0);
		cJSON *doc = plan(texts, links, 1, keys, &dir);
		char *csv = csv_file(dir, "schedule-mastodon.csv");
		cr_assert(asprintf(&want, "%s%s", f[i].head ? f[i].head : "", f[i].row) > 0);
		cr_expect_str_eq(csv, want, "csv_format %s", f[i].format);
		free(want);
		free(csv);
		free(keys);
		cJSON_Delete(doc);
		kt_rmtree(dir);
		free(dir);
	}
}

/* ---- the card instead of the quote ----------------------------------------- */

Test(reposts_text, fallback_card_posts_the_card_where_the_quote_does_not_fit)
{
	if (access(KT_PLUGINS "/output-cards-png.so", R_OK) != 0) {
		cr_log_warn("%s/output-cards-png.so is not built: fallback \"card\" cannot be "
		            "checked with a real card", KT_PLUGINS);
		cr_skip_test("no cards-png output plugin");
	}
	struct sbuf csv = {0};
	puts_(&csv, "id,text,author_name,ok\r\nshort,Short and sweet.,Ann Alder,yes\r\nlong,");
	for (int i = 0; i < 40; i++)
		puts_(&csv, "Very good. ");
	puts_(&csv, ",Ben Brook,yes\r\n");
	char *dir = kt_tmpdir(), *data = kt_path(dir, "data.csv");
	kt_write(data, csv.s);
	char *job = kt_job(dir,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": [{\"plugin\": \"csv\", "
	                   "\"path\": \"data.csv\", \"consent_column\": \"ok\", \"consent_scopes\": "
	                   "[\"social\"]}], \"curation\": {\"auto_approve\": [{\"name\": \"all\", "
	                   "\"all\": {\"rights\": \"granted\"}}]}, \"outputs\": ["
	                   "{\"plugin\": \"cards-png\", \"dir\": \"out/cards\", \"scope\": \"social\"}, "
	                   "{\"plugin\": \"reposts\", \"dir\": \"out/reposts\", \"platforms\": [\"x\", "
	                   "\"linkedin\"], \"start\": \"2030-01-01\", \"days\": 3, "
	                   "\"fallback\": \"card\"}]}");
	struct kt_run r = kt_kudos(dir, "run", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos run: %s%s", r.out, r.err);
	kt_run_free(&r);
	char *sp = kt_path(dir, "out/reposts/schedule.json"), *text = kt_read(sp);
	cJSON *doc = cJSON_Parse(text);
	cr_assert(doc, "no schedule.json");
	const cJSON *p;
	int seen = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "posts"))
	{
		const char *item = cJSON_GetObjectItem(p, "item")->valuestring;
		const char *pl = cJSON_GetObjectItem(p, "platform")->valuestring;
		const char *t = cJSON_GetObjectItem(p, "text")->valuestring;
		const cJSON *img = cJSON_GetObjectItem(p, "image");
		int card = cJSON_IsTrue(cJSON_GetObjectItem(p, "card_instead_of_quote"));
		cr_expect(cJSON_IsString(img) && strstr(img->valuestring, "../cards/"),
		          "the card of %s is attached", item);
		if (!strcmp(item, "csv:long") && !strcmp(pl, "x")) {
			seen++;
			cr_expect(card && !strstr(t, "Very good"), "X gets the card, not a cut quote: %s", t);
			cr_expect(strstr(t, "Ben Brook"), "still credited: %s", t);
		} else {
			cr_expect(!card && strstr(t, "\xE2\x80\x9C"), "%s on %s quotes: %s", item, pl, t);
		}
	}
	cr_expect_eq(seen, 1, "the long quote goes to X as its card");
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "skipped")), 0);
	cJSON_Delete(doc);
	free(text);
	free(sp);
	free(job);
	free(data);
	free(csv.s);
	kt_rmtree(dir);
	free(dir);
}
