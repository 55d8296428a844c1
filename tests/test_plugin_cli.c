/*
 * The plugin commands of the real binary: `kudos plugin check FILE` (exit
 * 2 with the reason for every broken test plugin, 0 for good ones) and
 * `kudos plugins [--json] --plugin-path DIR` (good plugins listed, refusals
 * reported), and a `kudos run` through the good test plugins.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kudos/plugin.h>

#include "helpers.h"

static char *tp(const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/%s.so", KT_TEST_PLUGINS, name) > 0);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0, "test plugin %s is missing: build it first", p);
	return p;
}

static char *link_plugin(const char *dir, const char *name)
{
	char *src = tp(name), *dst = NULL;
	cr_assert(asprintf(&dst, "%s/%s.so", dir, name) > 0);
	cr_assert_eq(symlink(src, dst), 0, "symlink %s: %s", dst, strerror(errno));
	free(src);
	return dst;
}

/* ---- kudos plugin check ------------------------------------------------ */

static const struct {
	const char *file;
	const char *reason;
} broken[] = {
	{"bad-no-entry", "no kudos_plugin_entry() entry symbol"},
	{"bad-undefined", "undefined symbol: kudos_test_no_such_function"},
	{"bad-major", "built for kudos ABI 2.0, this kudos speaks 1.0"},
	{"bad-minor", "built for kudos ABI 1.1, newer than this kudos (1.0)"},
	{"bad-size-large", "is larger than this kudos knows"},
	{"bad-size-small", "is smaller than ABI 1.0's"},
	{"bad-no-collect", "must have a collect callback"},
	{"bad-no-consume", "must have a consume callback"},
	{"bad-no-scope", "must declare a string config key 'scope'"},
	{"bad-config-offset", "config key 'n' is stored at offset"},
	{"bad-config-dupkey", "config key 'n' appears twice"},
	{"bad-name", "plugin name 'Bad Name' is not valid"},
	{"clash-a", NULL}, /* loads on its own: a clash needs two */
};

Test(plugin_check, bad_major_exits_2_with_reason)
{
	char *f = tp("bad-major");
	struct kt_run r = kt_kudos(NULL, "plugin", "check", f, NULL);
	cr_assert_eq(r.status, 2, "exit %d; stderr: %s", r.status, r.err);
	cr_assert(strstr(r.err, "kudos: ") == r.err, "stderr: %s", r.err);
	cr_assert(strstr(r.err, f), "the reason names the file: %s", r.err);
	cr_assert(strstr(r.err, "ABI 2.0") && strstr(r.err, "speaks 1.0"), "%s", r.err);
	cr_assert_null(strstr(r.out, "ok:"), "stdout: %s", r.out);
	kt_run_free(&r);
	free(f);
}

Test(plugin_check, every_broken_plugin_exits_2)
{
	for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
		char *f = tp(broken[i].file);
		struct kt_run r = kt_kudos(NULL, "plugin", "check", f, NULL);
		if (!broken[i].reason) {
			cr_assert_eq(r.status, 0, "%s: exit %d: %s", f, r.status, r.err);
		} else {
			cr_assert_eq(r.status, 2, "%s: exit %d, want 2; stderr: %s", f, r.status,
			             r.err);
			cr_assert(strstr(r.err, f), "%s: stderr lacks the path: %s", f, r.err);
			cr_assert(strstr(r.err, broken[i].reason), "%s: want \"%s\" on stderr: %s", f,
			          broken[i].reason, r.err);
			cr_assert_str_eq(r.out, "", "%s: nothing on stdout without --json", f);
		}
		kt_run_free(&r);
		free(f);
	}
}

Test(plugin_check, json_reports_the_refusal)
{
	char *f = tp("bad-minor");
	struct kt_run r = kt_kudos(NULL, "plugin", "check", f, "--json", NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cJSON *o = cJSON_Parse(r.out);
	cr_assert_not_null(o, "not JSON: %s", r.out);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(o, "ok")), "%s", r.out);
	const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(o, "reason"));
	cr_assert_not_null(reason);
	cr_assert(strstr(reason, f) && strstr(reason, "ABI 1.1"), "%s", reason);
	cJSON_Delete(o);
	kt_run_free(&r);

	char *g = tp("good-output");
	r = kt_kudos(NULL, "plugin", "check", g, "--json", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	o = cJSON_Parse(r.out);
	cr_assert_not_null(o, "not JSON: %s", r.out);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "ok")));
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "name")), "probe");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind")), "output");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "file")), g);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "config")), 3);
	cJSON_Delete(o);
	kt_run_free(&r);
	free(f);
	free(g);
}

Test(plugin_check, bare_file_name_is_the_current_folder)
{
	/* `kudos plugin check good-source.so` means ./good-source.so, not a
	 * library-path search. */
	struct kt_run r = kt_kudos(KT_TEST_PLUGINS, "plugin", "check", "good-source.so", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "ok: kudos can load this source plugin"), "%s", r.out);
	kt_run_free(&r);
	char *dir = kt_tmpdir();
	r = kt_kudos(dir, "plugin", "check", "good-source.so", NULL);
	cr_assert_eq(r.status, 2, "found good-source.so outside the current folder: %s", r.out);
	cr_assert(strstr(r.err, "./good-source.so"), "%s", r.err);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

/* ---- kudos plugins ------------------------------------------------------ */

static const char *const listed[] = {"good-source", "good-output", "clash-a", "clash-b",
                                     "bad-major", "bad-no-scope", "bad-undefined"};
#define N_LISTED (sizeof listed / sizeof *listed)

static char *listing_dir(char *links[N_LISTED])
{
	char *dir = kt_tmpdir();
	for (size_t i = 0; i < N_LISTED; i++)
		links[i] = link_plugin(dir, listed[i]);
	return dir;
}

static void listing_free(char *dir, char *links[N_LISTED])
{
	kt_rmtree(dir);
	free(dir);
	for (size_t i = 0; i < N_LISTED; i++)
		free(links[i]);
}

static const char *refusal_with(const cJSON *refused, const char *needle)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, refused)
	{
		cr_assert(cJSON_IsString(r), "a refusal is a string");
		if (strstr(r->valuestring, needle))
			return r->valuestring;
	}
	return NULL;
}

Test(plugins_cmd, json_lists_good_and_refused)
{
	char *links[N_LISTED];
	char *dir = listing_dir(links);
	struct kt_run r = kt_kudos(NULL, "plugins", "--json", "--plugin-path", dir, NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cJSON *o = cJSON_Parse(r.out);
	cr_assert_not_null(o, "not JSON: %s", r.out);

	const cJSON *path = cJSON_GetObjectItem(o, "search_path");
	cr_assert(cJSON_IsArray(path) && cJSON_GetArraySize(path) >= 1);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(path, 0)), dir);

	/* Plugins from our folder: exactly good-source, probe and clash (a). */
	const cJSON *plugins = cJSON_GetObjectItem(o, "plugins"), *p;
	int seen_source = 0, seen_probe = 0, seen_clash = 0, ours = 0;
	cJSON_ArrayForEach(p, plugins)
	{
		const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(p, "file"));
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(p, "name"));
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(p, "kind"));
		cr_assert(file && name && kind, "plugin entry lacks file/name/kind");
		if (strncmp(file, dir, strlen(dir)) != 0)
			continue; /* from the installed folder */
		ours++;
		if (strcmp(name, "good-source") == 0) {
			seen_source++;
			cr_assert_str_eq(kind, "source");
			cr_assert_str_eq(file, links[0]);
			cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "config")), 2);
		} else if (strcmp(name, "probe") == 0) {
			seen_probe++;
			cr_assert_str_eq(kind, "output");
			cr_assert_str_eq(file, links[1]);
		} else if (strcmp(name, "clash") == 0) {
			seen_clash++;
			cr_assert_str_eq(file, links[2], "clash-a.so comes first");
			cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(p, "version")), "a");
		} else {
			cr_assert_fail("unexpected plugin %s from %s", name, file);
		}
	}
	cr_assert_eq(ours, 3);
	cr_assert(seen_source == 1 && seen_probe == 1 && seen_clash == 1);

	/* Refusals: the clash loser and the three broken files, one line each. */
	const cJSON *refused = cJSON_GetObjectItem(o, "refused");
	cr_assert(cJSON_IsArray(refused));
	const char *clash = refusal_with(refused, links[3]);
	cr_assert_not_null(clash, "clash-b is not refused: %s", r.out);
	cr_assert(strstr(clash, "name clash") && strstr(clash, links[2]), "%s", clash);
	const char *major = refusal_with(refused, links[4]);
	cr_assert(major && strstr(major, "ABI 2.0") && strstr(major, "1.0"), "%s", r.out);
	const char *scope = refusal_with(refused, links[5]);
	cr_assert(scope && strstr(scope, "'scope'"), "%s", r.out);
	const char *undef = refusal_with(refused, links[6]);
	cr_assert(undef && strstr(undef, "cannot load"), "%s", r.out);
	cr_assert_null(refusal_with(refused, links[0]));
	cr_assert_null(refusal_with(refused, links[1]));
	cr_assert_null(refusal_with(refused, "\n"));
	cJSON_Delete(o);
	kt_run_free(&r);
	listing_free(dir, links);
}

Test(plugins_cmd, text_lists_good_and_refused)
{
	char *links[N_LISTED];
	char *dir = listing_dir(links);
	struct kt_run r = kt_kudos(NULL, "plugins", "--plugin-path", dir, NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "good-source") && strstr(r.out, "probe"), "%s", r.out);
	cr_assert(strstr(r.out, "how many items to emit"), "help text is shown: %s", r.out);
	int refusals = 0;
	for (const char *s = r.out; (s = strstr(s, "refused: ")); s++)
		refusals++;
	cr_assert_geq(refusals, 4, "%s", r.out);
	char *line = NULL;
	cr_assert(asprintf(&line, "refused: %s: built for kudos ABI 2.0", links[4]) > 0);
	cr_assert(strstr(r.out, line), "%s", r.out);
	free(line);
	kt_run_free(&r);
	listing_free(dir, links);
}

Test(plugins_cmd, current_folder_not_searched)
{
	/* kt_kudos clears KUDOS_PLUGIN_PATH: run in a folder full of plugins
	 * without --plugin-path; none of them may be listed. */
	char *links[N_LISTED];
	char *dir = listing_dir(links);
	struct kt_run r = kt_kudos(dir, "plugins", "--json", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_null(strstr(r.out, "good-source"), "the current folder was searched: %s", r.out);
	kt_run_free(&r);
	listing_free(dir, links);
}

/* ---- a run through the good plugins ------------------------------------- */

static char *run_dir(const char *output_extra)
{
	char *dir = kt_tmpdir(), *p = kt_path(dir, "plugins"), *job = NULL, *text = NULL;
	cr_assert_eq(mkdir(p, 0777), 0);
	free(link_plugin(p, "good-source"));
	free(link_plugin(p, "good-output"));
	cr_assert(asprintf(&text,
	                   "{\"name\": \"probe-run\", \"store\": \"kudos.db\",\n"
	                   " \"sources\": [{\"plugin\": \"good-source\", \"prefix\": \"t\"}],\n"
	                   " \"curation\": {\"auto_approve\": [{\"name\": \"consented\","
	                   " \"all\": {\"rights\": \"granted\"}}]},\n"
	                   " \"outputs\": [{\"plugin\": \"probe\", \"dir\": \"out\"%s}]}\n",
	                   output_extra) > 0);
	job = kt_job(dir, text);
	free(job);
	free(text);
	free(p);
	return dir;
}

Test(good_plugins, run_writes_probe_in_order)
{
	char *dir = run_dir("");
	struct kt_run r = kt_kudos(dir, "run", "job.json", "--plugin-path", "plugins", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	char *probe_path = kt_path(dir, "out/probe.txt");
	char *probe = kt_read(probe_path);
	cr_assert_not_null(probe, "probe.txt not written; stdout: %s", r.out);
	/* Newest first: good-source dates item n at day n. */
	cr_assert_str_eq(probe, "good-source:t-3\ngood-source:t-2\ngood-source:t-1\n");
	free(probe);
	free(probe_path);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}

Test(good_plugins, fail_at_fails_the_run)
{
	char *dir = run_dir(", \"fail_at\": 2");
	struct kt_run r = kt_kudos(dir, "run", "job.json", "--plugin-path", "plugins", NULL);
	cr_assert_eq(r.status, 1, "exit %d, want 1 (a failed run): %s", r.status, r.err);
	cr_assert(strstr(r.err, "(probe)") && strstr(r.err, "failing on item 2 (good-source:t-2)"),
	          "%s", r.err);
	char *probe_path = kt_path(dir, "out/probe.txt");
	char *probe = kt_read(probe_path);
	cr_assert_null(probe, "a failed output must not flush: %s", probe);
	free(probe_path);
	kt_run_free(&r);
	kt_rmtree(dir);
	free(dir);
}
