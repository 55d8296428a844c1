#include "helpers.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pty.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char *kt_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t = NULL;
	cr_assert(asprintf(&t, "%s/kudos-test-XXXXXX", base && *base ? base : "/tmp") > 0);
	cr_assert(mkdtemp(t), "mkdtemp: %s", strerror(errno));
	return t;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void kt_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *kt_path(const char *dir, const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void mkparents(const char *path)
{
	char *copy = strdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(copy, 0777);
			*p = '/';
		}
	}
	free(copy);
}

void kt_write_bytes(const char *path, const void *data, size_t len)
{
	mkparents(path);
	FILE *f = fopen(path, "wb");
	cr_assert(f, "cannot write %s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

void kt_write(const char *path, const char *text)
{
	kt_write_bytes(path, text, strlen(text));
}

char *kt_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* argv for kudos with `args` (transfer full; the strings are borrowed). */
static char **kudos_argv(const char *const *args)
{
	size_t n = 0;
	while (args[n])
		n++;
	char **argv = calloc(n + 2, sizeof *argv);
	argv[0] = KT_KUDOS;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	return argv;
}

/* The child's environment: ours, minus what would make a test depend on
 * the machine, plus a fixed SOURCE_DATE_EPOCH.  (transfer full; the
 * strings are borrowed) */
static char **kudos_env(void)
{
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 3, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (strncmp(environ[i], "KUDOS_PLUGIN_PATH=", 18) &&
		    strncmp(environ[i], "SOURCE_DATE_EPOCH=", 18) &&
		    strncmp(environ[i], "KUDOS_DATA_DIR=", 15))
			env[k++] = environ[i];
	env[k++] = "SOURCE_DATE_EPOCH=1700000000";
	/* The sentiment lexicon of the tree under test, whichever build. */
	env[k++] = "KUDOS_DATA_DIR=" KUDOS_SRC_DIR "/engine/curation";
	return env;
}

struct kt_run kt_kudos_tty(const char *cwd, const char *const *args)
{
	struct kt_run r = {0};
	char **argv = kudos_argv(args), **env = kudos_env();
	size_t len = 0;
	int master, ws;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_neq(pid, -1, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		if (cwd && chdir(cwd) != 0)
			_exit(127);
		execve(KT_KUDOS, argv, env);
		_exit(127);
	}
	r.out = calloc(1, 1);
	for (;;) {
		char chunk[4096];
		ssize_t got = read(master, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) /* EIO once the child has closed the terminal */
			break;
		r.out = realloc(r.out, len + (size_t)got + 1);
		memcpy(r.out + len, chunk, (size_t)got);
		len += (size_t)got;
		r.out[len] = 0;
	}
	close(master);
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	r.err = calloc(1, 1);
	free(argv);
	free(env);
	return r;
}

struct kt_run kt_kudos_argv(const char *cwd, const char *const *args)
{
	struct kt_run r = {0};
	char *dir = kt_tmpdir();
	char *out_path = kt_path(dir, "stdout"), *err_path = kt_path(dir, "stderr");
	char **argv = kudos_argv(args), **env = kudos_env();

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	pid_t pid;
	int rc = posix_spawn(&pid, KT_KUDOS, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(rc, 0, "cannot start %s: %s", KT_KUDOS, strerror(rc));
	int ws;
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	r.out = kt_read(out_path);
	r.err = kt_read(err_path);
	kt_rmtree(dir);
	free(out_path);
	free(err_path);
	free(dir);
	free(argv);
	free(env);
	return r;
}

struct kt_run kt_kudos(const char *cwd, ...)
{
	const char *args[64];
	size_t n = 0;
	va_list ap;
	va_start(ap, cwd);
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < 63)
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	return kt_kudos_argv(cwd, args);
}

void kt_run_free(struct kt_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char *kt_job(const char *dir, const char *json)
{
	char *p = kt_path(dir, "job.json");
	kt_write(p, json);
	return p;
}

cJSON *kt_collect(const char *plugin, const char *path, const char *extra_keys,
                  char **stderr_out)
{
	char *dir = kt_tmpdir(), *text = NULL, *store = kt_path(dir, "k.db");
	cr_assert(asprintf(&text,
	                   "{\"name\": \"t\", \"store\": \"k.db\", \"sources\": "
	                   "[{\"plugin\": \"%s\", \"path\": \"%s\"%s%s}]}",
	                   plugin, path, extra_keys ? ", " : "", extra_keys ? extra_keys : "") > 0);
	char *job = kt_job(dir, text);
	struct kt_run r = kt_kudos(dir, "collect", job, "--plugin-path", KT_PLUGINS, NULL);
	cr_assert_eq(r.status, 0, "kudos collect (%s over %s) exited %d:\n%s%s", plugin, path,
	             r.status, r.out, r.err);
	struct kt_run l = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cr_assert_eq(l.status, 0, "kudos list: %s", l.err);
	cJSON *items = cJSON_Parse(l.out);
	cr_assert(cJSON_IsArray(items), "kudos list --json printed no array: %s", l.out);
	if (stderr_out) {
		*stderr_out = r.err;
		r.err = NULL;
	}
	kt_run_free(&r);
	kt_run_free(&l);
	kt_rmtree(dir);
	free(job);
	free(text);
	free(store);
	free(dir);
	return items;
}

const char *kt_real_fixtures(void)
{
	static const char path[] = KUDOS_SRC_DIR "/../shared/fixtures/real";
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : NULL;
}

void kt_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "kudos test: WARNING: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}
