/*
 * The plugin SDK as a plugin author meets it: `make install` into a
 * staging root, the installed template copied elsewhere and built there
 * with pkg-config finding the installed kudos-plugin.pc, then the plugin
 * checked and used in a job by kudos.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

struct cmd {
	int status; /* exit status, or 128+signal */
	char *out;  /* stdout and stderr, interleaved (transfer full) */
	char *line; /* the command as text, for messages (transfer full) */
};

static void cmd_free(struct cmd *c)
{
	free(c->out);
	free(c->line);
}

/* Variables of ours that must not leak into the commands: a parent make's
 * flags and jobserver, flags the plugin build would pick up, and search
 * paths the test sets itself. */
static int dropped(const char *entry, const char *const *extra)
{
	static const char *const names[] = {
		"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS",
		"CFLAGS", "CPPFLAGS", "LDFLAGS", "LDLIBS", "SAN", "B", "PREFIX",
		"DESTDIR", "KUDOS_PLUGIN_PATH", "PKG_CONFIG_PATH",
		"PKG_CONFIG_SYSROOT_DIR", NULL};
	size_t n = strcspn(entry, "=");
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == n && strncmp(entry, names[i], n) == 0)
			return 1;
	for (size_t i = 0; extra && extra[i]; i++)
		if (strcspn(extra[i], "=") == n && strncmp(entry, extra[i], n) == 0)
			return 1;
	return 0;
}

/* Run argv (looked up on PATH) in `cwd` with our environment, cleaned,
 * plus `extra` ("NAME=value", NULL-terminated, may be NULL). */
static struct cmd run(const char *cwd, const char *const *argv, const char *const *extra)
{
	struct cmd c = {0};
	size_t len = 0, ne = 0, nx = 0;
	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	c.line = calloc(1, len + 1);
	for (size_t i = 0; argv[i]; i++) {
		strcat(c.line, i ? " " : "");
		strcat(c.line, argv[i]);
	}
	while (environ[ne])
		ne++;
	while (extra && extra[nx])
		nx++;
	char **env = calloc(ne + nx + 1, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (!dropped(environ[i], extra))
			env[k++] = environ[i];
	for (size_t i = 0; i < nx; i++)
		env[k++] = (char *)extra[i];

	char *dir = kt_tmpdir(), *log = kt_path(dir, "output");
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(rc, 0, "cannot start %s: %s", c.line, strerror(rc));
	int ws;
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	c.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	c.out = kt_read(log);
	kt_rmtree(dir);
	free(log);
	free(dir);
	free(env);
	return c;
}

#define expect_ok(c)                                                                     \
	cr_assert_eq((c).status, 0, "`%s` failed (exit %d); its output:\n%s", (c).line,   \
	             (c).status, (c).out ? (c).out : "(none)")

#define expect_kudos_ok(r, what)                                                         \
	cr_assert_eq((r).status, 0, "`kudos %s` failed (exit %d)\nstdout:\n%s\nstderr:\n%s", \
	             what, (r).status, (r).out, (r).err)

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Copy every regular file of `from` into `to` (flat, as the template is). */
static void copy_dir(const char *from, const char *to)
{
	DIR *d = opendir(from);
	cr_assert(d, "cannot open %s", from);
	struct dirent *e;
	while ((e = readdir(d))) {
		char *src = kt_path(from, e->d_name);
		struct stat st;
		if (stat(src, &st) == 0 && S_ISREG(st.st_mode)) {
			char *text = kt_read(src), *dst = kt_path(to, e->d_name);
			cr_assert(text, "cannot read %s", src);
			kt_write(dst, text);
			free(text);
			free(dst);
		}
		free(src);
	}
	closedir(d);
}

/* The item of `list` whose id is `id`, or NULL. */
static const cJSON *item_by_id(const cJSON *list, const char *id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list)
	{
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
		if (v && strcmp(v, id) == 0)
			return it;
	}
	return NULL;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	const char *s = cJSON_GetStringValue(v);
	return s ? s : "(not a string)";
}

Test(sdk, installed_template_builds_out_of_tree_and_collects, .timeout = 300)
{
	cr_assert(exists(KT_KUDOS), "%s does not exist; build `all` in that build "
	                            "folder before the tests", KT_KUDOS);
	char *tmp = kt_tmpdir();
	char *root = kt_path(tmp, "root"), *work = kt_path(tmp, "plugin");
	char *destdir = NULL, *pc_path = NULL, *sysroot = NULL, *path_env = NULL;
	cr_assert(asprintf(&destdir, "DESTDIR=%s", root) > 0);
	cr_assert(mkdir(work, 0777) == 0);

	/* 1. Install the build under test.  `-o all`: install what this
	 * build folder holds, never rebuild it here (a rebuild would not get
	 * the SAN/CFLAGS the folder was built with). */
	const char *install[] = {"make", "--no-print-directory", "-C", KT_SRC, "-o", "all",
	                         "B=" KUDOS_BUILD_DIR,
	                         "install", "PREFIX=/usr", destdir, NULL};
	struct cmd c = run(NULL, install, NULL);
	expect_ok(c);
	cmd_free(&c);
	static const char *const installed[] = {
		"usr/bin/kudos", "usr/include/kudos/plugin.h", "usr/lib/pkgconfig/kudos-plugin.pc",
		"usr/lib/kudos/plugins/source-csv.so", "usr/share/kudos/template/Makefile",
		"usr/share/kudos/template/source_example.c",
		"usr/share/kudos/template/filter_example.c", "usr/share/kudos/template/README.md",
		"usr/share/kudos/template/example.txt", NULL};
	for (size_t i = 0; installed[i]; i++) {
		char *p = kt_path(root, installed[i]);
		cr_assert(exists(p), "make install did not install %s", p);
		free(p);
	}

	/* 2. pkg-config finds the staged SDK and gives what the plugin build
	 * needs. */
	cr_assert(asprintf(&pc_path, "PKG_CONFIG_PATH=%s/usr/lib/pkgconfig", root) > 0);
	cr_assert(asprintf(&sysroot, "PKG_CONFIG_SYSROOT_DIR=%s", root) > 0);
	const char *pc_env[] = {pc_path, sysroot, NULL};
	const char *cflags[] = {"pkg-config", "--cflags", "kudos-plugin", NULL};
	c = run(NULL, cflags, pc_env);
	expect_ok(c);
	char *want_inc = NULL;
	cr_assert(asprintf(&want_inc, "-I%s/usr/include", root) > 0);
	cr_assert(strstr(c.out, want_inc), "pkg-config --cflags gave '%s', not %s", c.out,
	          want_inc);
	cr_assert(strstr(c.out, "-fvisibility=hidden"),
	          "pkg-config --cflags gave '%s', without -fvisibility=hidden", c.out);
	free(want_inc);
	cmd_free(&c);
	const char *pdir[] = {"pkg-config", "--variable=plugindir", "kudos-plugin", NULL};
	c = run(NULL, pdir, pc_env);
	expect_ok(c);
	cr_assert(strstr(c.out, "/usr/lib/kudos/plugins"),
	          "plugindir is '%s', not under PREFIX=/usr", c.out);
	cmd_free(&c);

	/* 3. The installed template, copied out of tree, builds with make. */
	char *tmpl = kt_path(root, "usr/share/kudos/template");
	copy_dir(tmpl, work);
	free(tmpl);
	const char *build[] = {"make", NULL};
	c = run(work, build, pc_env);
	expect_ok(c);
	cmd_free(&c);
	char *so = kt_path(work, "example.so"), *filter_so = kt_path(work, "example-filter.so");
	cr_assert(exists(so), "make in the template folder did not build %s", so);
	cr_assert(exists(filter_so), "make in the template folder did not build %s", filter_so);

	/* 4. Hidden visibility: the only exported name is the entry point. */
	const char *const built[] = {so, filter_so};
	for (size_t b = 0; b < 2; b++) {
		const char *nm[] = {"nm", "-D", "--defined-only", built[b], NULL};
		c = run(NULL, nm, NULL);
		expect_ok(c);
		int entry = 0;
		char *save = NULL, *copy = strdup(c.out);
		for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
			const char *name = strrchr(ln, ' ');
			name = name ? name + 1 : ln;
			if (name[0] == '_')
				continue;
			if (strcmp(name, "kudos_plugin_entry") == 0 && strstr(ln, " T "))
				entry = 1;
			else
				cr_assert_fail("%s exports '%s' besides kudos_plugin_entry; "
				               "nm -D --defined-only says:\n%s", built[b], ln, c.out);
		}
		cr_assert(entry, "%s does not export kudos_plugin_entry; nm says:\n%s", built[b],
		          c.out);
		free(copy);
		cmd_free(&c);
	}

	/* 5. kudos accepts it: directly, and through the template's `make
	 * check` with the installed kudos first on PATH. */
	struct kt_run r = kt_kudos(NULL, "plugin", "check", so, NULL);
	expect_kudos_ok(r, "plugin check");
	cr_assert(strstr(r.out, "ok:"), "plugin check said:\n%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(NULL, "plugin", "check", filter_so, NULL);
	expect_kudos_ok(r, "plugin check");
	cr_assert(strstr(r.out, "ok: kudos can load this filter plugin"), "plugin check said:\n%s",
	          r.out);
	kt_run_free(&r);
	cr_assert(asprintf(&path_env, "PATH=%s/usr/bin:%s", root,
	                   getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin") > 0);
	const char *check_env[] = {pc_path, sysroot, path_env, NULL};
	const char *check[] = {"make", "check", NULL};
	c = run(work, check, check_env);
	expect_ok(c);
	cr_assert(strstr(c.out, "ok: kudos can load this source plugin") &&
	                  strstr(c.out, "ok: kudos can load this filter plugin"),
	          "make check said:\n%s", c.out);
	cmd_free(&c);

	/* 6. A job that uses both collects the sample file's lines and
	 * filters them. */
	char *job = kt_job(work, "{\"name\": \"sdk\", \"sources\": "
	                         "[{\"plugin\": \"example\", \"path\": \"example.txt\"}],"
	                         " \"filters\": [{\"plugin\": \"example-filter\","
	                         "   \"words\": [\"brochure\"], \"default_language\": \"en\"}]}");
	char *store = kt_path(tmp, "k.db");
	r = kt_kudos(NULL, "run", job, "--plugin-path", work, "--store", store, NULL);
	expect_kudos_ok(r, "run");
	kt_run_free(&r);
	r = kt_kudos(NULL, "list", "--json", "--store", store, NULL);
	expect_kudos_ok(r, "list --json");
	cJSON *list = cJSON_Parse(r.out);
	cr_assert(cJSON_IsArray(list), "kudos list --json printed:\n%s", r.out);
	cr_assert_eq(cJSON_GetArraySize(list), 3, "expected the 3 lines of example.txt:\n%s",
	             r.out);

	const cJSON *ada = item_by_id(list, "example:line-2");
	cr_assert(ada, "no item example:line-2 in:\n%s", r.out);
	cr_assert_str_eq(str_at(ada, "source", NULL), "example");
	cr_assert_str_eq(str_at(ada, "kind", NULL), "review");
	cr_assert_str_eq(str_at(ada, "author", "name"), "Ada Lovelace");
	cr_assert_str_eq(str_at(ada, "text", NULL),
	                 "The engine did exactly what the brochure promised.");
	cr_assert_str_eq(str_at(ada, "created_at", NULL), "2026-03-02T00:00:00Z");
	const cJSON *rating = cJSON_GetObjectItemCaseSensitive(ada, "rating");
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rating, "value")), 5);
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rating, "scale")), 5);
	/* The filter: the flag, the language it filled in, its score. */
	int promotional = 0;
	const cJSON *fl;
	cJSON_ArrayForEach(fl, cJSON_GetObjectItemCaseSensitive(ada, "flags"))
		promotional |= cJSON_IsString(fl) && strcmp(fl->valuestring, "promotional") == 0;
	cr_assert(promotional, "Ada's line is not flagged promotional: %s", r.out);
	cr_assert_str_eq(str_at(ada, "language", NULL), "en");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ada, "language_guessed")));
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ada, "scores"), "example-filter.caps");
	cr_assert(cJSON_IsNumber(caps) && caps->valuedouble > 0 && caps->valuedouble < 0.2,
	          "caps score of Ada's line: %s", r.out);

	const cJSON *grace = item_by_id(list, "example:line-3");
	cr_assert(grace, "no item example:line-3 in:\n%s", r.out);
	cr_assert_str_eq(str_at(grace, "author", "name"), "Grace Hopper");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(grace, "created_at")));

	const cJSON *anon = item_by_id(list, "example:line-4");
	cr_assert(anon, "no item example:line-4 in:\n%s", r.out);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(anon, "author"), "name")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(anon, "rating")));
	cJSON_Delete(list);
	kt_run_free(&r);

	free(job);
	free(store);
	free(so);
	free(filter_so);
	free(path_env);
	free(sysroot);
	free(pc_path);
	free(destdir);
	free(work);
	free(root);
	kt_rmtree(tmp);
	free(tmp);
}
