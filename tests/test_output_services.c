/* The services for outputs that finish items after consume() (one that
 * renders several at once): files written by item id from flush(), items
 * left out afterwards, --jobs, and the progress bar on a terminal (quiet
 * in a pipe).  Through the real binary with the test plugin "later"
 * (tests/plugins/later-output.c). */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char *dir, *plugins;

static void link_into(const char *from_dir, const char *name)
{
	char *src = NULL, *dst = NULL;
	cr_assert(asprintf(&src, "%s/%s.so", from_dir, name) > 0);
	cr_assert(asprintf(&dst, "%s/%s.so", plugins, name) > 0);
	cr_assert_eq(symlink(src, dst), 0, "symlink %s: %s", dst, strerror(errno));
	free(src);
	free(dst);
}

/* data.csv, the first item's text being `first` (a CSV field). */
static void write_data(const char *first)
{
	char *csv = kt_path(dir, "data.csv"), *text = NULL;
	cr_assert(asprintf(&text, "id,name,text,consent\n"
	                          "p1,Ada,%s,yes\n"
	                          "p2,Bo,Please leave me out.,yes\n"
	                          "p3,Cy,Quiet and fast.,yes\n",
	                   first) > 0);
	kt_write(csv, text);
	free(text);
	free(csv);
}

/* job.json, with `output_keys` (", \"key\": value...") added to the
 * output's entry. */
static void write_job(const char *output_keys)
{
	char *job = NULL;
	cr_assert(asprintf(&job,
	    "{\"name\": \"t\", \"store\": \"k.db\",\n"
	    " \"sources\": [{\"plugin\": \"csv\", \"path\": \"data.csv\",\n"
	    "   \"consent_column\": \"consent\"}],\n"
	    " \"curation\": {\"auto_approve\": [{\"name\": \"ok\", \"all\": {\"rights\": \"granted\"}}]},\n"
	    " \"outputs\": [{\"plugin\": \"later\", \"dir\": \"out\"%s}]}\n",
	    output_keys) > 0);
	free(kt_job(dir, job));
	free(job);
}

static void setup(void)
{
	dir = kt_tmpdir();
	plugins = kt_path(dir, "plugins");
	cr_assert_eq(mkdir(plugins, 0755), 0);
	link_into(KT_PLUGINS, "source-csv");
	link_into(KT_TEST_PLUGINS, "later-output");
	write_data("Great grinder.");
	write_job("");
}

static void teardown(void)
{
	kt_rmtree(dir);
	free(dir);
	free(plugins);
}

TestSuite(services, .init = setup, .fini = teardown, .timeout = 60);

static struct kt_run kudos(const char *cmd, const char *a, const char *b)
{
	const char *argv[] = {cmd, "job.json", "--plugin-path", plugins, a, b, NULL};
	return kt_kudos_argv(dir, argv);
}

static char *read_in(const char *name)
{
	char *p = kt_path(dir, name), *s = kt_read(p);
	free(p);
	return s;
}

static int exists(const char *name)
{
	char *p = kt_path(dir, name);
	int e = access(p, F_OK) == 0;
	free(p);
	return e;
}

/* The files `kudos show ID --json` lists as publishing the item, joined. */
static char *published(const char *id)
{
	struct kt_run r = kt_kudos(dir, "show", id, "--json", "--store", "k.db", NULL);
	cJSON *o, *p;
	char *out = calloc(1, 1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	o = cJSON_Parse(r.out);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(o, "published"))
	{
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(p, "path"));
		const char *base = path ? strrchr(path, '/') : NULL;
		char *grown = NULL;
		cr_assert(asprintf(&grown, "%s%s ", out, base ? base + 1 : "?") > 0);
		free(out);
		out = grown;
	}
	cJSON_Delete(o);
	kt_run_free(&r);
	return out;
}

Test(services, files_by_id_from_flush_and_items_left_out_afterwards)
{
	struct kt_run r = kudos("run", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "later: rendered 2 items (1 more left out by the output"),
	          "%s", r.out);
	kt_run_free(&r);
	cr_expect(exists("out/0.txt") && exists("out/2.txt"));
	cr_expect(!exists("out/1.txt"), "the item left out has no file");
	char *rep = read_in("out/services.txt");
	cr_assert_not_null(rep);
	cr_expect(strstr(rep, "stranger -1\n"), "a write for an id never consumed is "
	          "refused (KUDOS_EINVAL): %s", rep);
	cr_expect(strstr(rep, "left out -1\n"), "and one for an item left out: %s", rep);
	cr_expect(!exists("out/x.txt") && !exists("out/y.txt"), "neither was written");
	free(rep);

	char *p1 = published("csv:p1"), *p2 = published("csv:p2");
	cr_expect_str_eq(p1, "0.txt ", "written by id, recorded as the item's");
	cr_expect_str_eq(p2, "", "left out: not published");
	free(p1);
	free(p2);

	/* The file is the item's own: a revocation deletes it. */
	r = kt_kudos(dir, "revoke", "csv:p1", "--reason", "asked", "--store", "k.db", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kudos("render", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	cr_expect(!exists("out/0.txt"), "revoked: its file is deleted");
	char *td = read_in("takedown-report.json");
	cr_expect(td && strstr(td, "csv:p1") && strstr(td, "0.txt"), "%s", td);
	free(td);
}

/* The names in `sub` (under dir) that start with a dot, joined. */
static char *hidden_in(const char *sub)
{
	char *p = kt_path(dir, sub), *names = calloc(1, 1);
	DIR *d = opendir(p);
	cr_assert_not_null(d, "%s", p);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] != '.' || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *grown = NULL;
		cr_assert(asprintf(&grown, "%s%s ", names, e->d_name) > 0);
		free(names);
		names = grown;
	}
	closedir(d);
	free(p);
	return names;
}

Test(services, a_render_that_fails_leaves_the_previous_files_as_they_were)
{
	struct kt_run r = kudos("run", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	char *before = read_in("out/0.txt");
	cr_assert_str_eq(before, "Great grinder.");

	/* Upstream edits the first item; the output fails after writing its
	 * new file. */
	write_data("\"Great grinder, quieter now.\"");
	write_job(", \"fail_in_flush\": 1");
	r = kudos("run", NULL, NULL);
	cr_assert_eq(r.status, 1, "a failed render exits 1: %s", r.err);
	cr_expect(strstr(r.err, "fail_in_flush"), "%s", r.err);
	kt_run_free(&r);
	char *after = read_in("out/0.txt"), *hidden = hidden_in("out");
	cr_expect_str_eq(after, "Great grinder.", "the previous file must stay as it was");
	cr_expect_str_eq(hidden, "", "no temporary file may be left behind");
	free(after);
	free(hidden);

	/* The same render without the failure shows the new text. */
	write_job("");
	r = kudos("run", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	after = read_in("out/0.txt");
	cr_expect_str_eq(after, "Great grinder, quieter now.");
	free(after);
	free(before);
}

Test(services, jobs_is_what_the_user_allows)
{
	char *rep, want[32];
	struct kt_run r = kudos("run", "--jobs", "3");
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	rep = read_in("out/services.txt");
	cr_expect(rep && strstr(rep, "jobs 3\n"), "%s", rep);
	free(rep);

	r = kudos("render", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	rep = read_in("out/services.txt");
	snprintf(want, sizeof want, "jobs %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	cr_expect(rep && strstr(rep, want), "every core by default (%s): %s", want, rep);
	free(rep);

	static const char *const bad[] = {"0", "many", "257", "-2"};
	for (size_t i = 0; i < 4; i++) {
		r = kudos("render", "--jobs", bad[i]);
		cr_expect_eq(r.status, 2, "--jobs %s: %s", bad[i], r.err);
		cr_expect(strstr(r.err, "--jobs is"), "%s", r.err);
		kt_run_free(&r);
	}
}

Test(services, a_progress_bar_on_a_terminal_and_none_in_a_pipe)
{
	const char *argv[] = {"run", "job.json", "--plugin-path", plugins, NULL};
	struct kt_run t = kt_kudos_tty(dir, argv);
	cr_assert_eq(t.status, 0, "%s", t.out);
	cr_expect(strstr(t.out, "outputs[0] (later): ["), "a bar for the output: %s", t.out);
	cr_expect(strstr(t.out, "\r\033[K"), "drawn over itself, then cleared: %s", t.out);
	kt_run_free(&t);

	struct kt_run r = kudos("render", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_null(strchr(r.err, '\r'), "nothing drawn in a pipe: %s", r.err);
	cr_expect_null(strchr(r.out, '\r'), "%s", r.out);
	kt_run_free(&r);
}
