/*
 * Test helpers: temporary folders, files, and running the real kudos
 * binary the way a user would.  Paths of the build under test come from
 * the GNUmakefile (KUDOS_BUILD_DIR, KUDOS_SRC_DIR), so the sanitizer build
 * tests its own binary and plugins.
 */
#ifndef KUDOS_TEST_HELPERS_H
#define KUDOS_TEST_HELPERS_H

#include <stddef.h>

#include <criterion/logging.h>

/* Criterion 2.4 turns any cr_log_warn() into a failing exit status even
 * when every test passed.  A test that cannot run (a missing fixture, a
 * missing browser) must say so loudly without failing the suite, so in
 * these tests a warning is a line of its own on stderr. */
#undef cr_log_warn
#define cr_log_warn(...) kt_warn(__VA_ARGS__)
void kt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KT_KUDOS KUDOS_BUILD_DIR "/kudos"
#define KT_PLUGINS KUDOS_BUILD_DIR "/plugins"
#define KT_TEST_PLUGINS KUDOS_BUILD_DIR "/test-plugins"
#define KT_SRC KUDOS_SRC_DIR

/* A new empty folder under $TMPDIR (transfer full); kt_rmtree removes it. */
char *kt_tmpdir(void);
void kt_rmtree(const char *dir);

/* "dir/name" (transfer full). */
char *kt_path(const char *dir, const char *name);

/* Write `text` to `path` (folders created), asserting success. */
void kt_write(const char *path, const char *text);
void kt_write_bytes(const char *path, const void *data, size_t len);
/* The whole file (transfer full), or NULL if it does not exist. */
char *kt_read(const char *path);

struct kt_run {
	int status; /* exit status, or 128+signal */
	char *out;  /* stdout (transfer full) */
	char *err;  /* stderr (transfer full) */
};

/* Run kudos with the NULL-terminated arguments in folder `cwd` (NULL:
 * the current one), with KUDOS_PLUGIN_PATH unset and
 * SOURCE_DATE_EPOCH=1700000000.  Asserts the process could be started. */
struct kt_run kt_kudos(const char *cwd, ...);
/* The same with an explicit argument vector. */
struct kt_run kt_kudos_argv(const char *cwd, const char *const *argv);
/* The same on a terminal (a pseudo-terminal): `out` holds everything kudos
 * wrote to stdout and stderr, as a terminal shows it; `err` is empty. */
struct kt_run kt_kudos_tty(const char *cwd, const char *const *argv);
void kt_run_free(struct kt_run *r);

/* A job file in `dir` named job.json with the given JSON text; returns its
 * path (transfer full). */
char *kt_job(const char *dir, const char *json);

/* Collect `path` with the source plugin `plugin` into a fresh store and
 * return what `kudos list --json` says (transfer full; cJSON_Delete it).
 * `extra_keys` is more of the source's job entry as JSON members without
 * braces (e.g. "\"timezone\": \"Europe/Berlin\""), or NULL.  Asserts the
 * collect exited 0, showing its output otherwise; *stderr_out (may be
 * NULL) receives its stderr (transfer full). */
struct cJSON;
struct cJSON *kt_collect(const char *plugin, const char *path, const char *extra_keys,
                         char **stderr_out);

/* The real payloads others recorded (../shared/fixtures/real), or NULL when
 * that folder is absent on this machine; tests that need it must say so
 * loudly (cr_log_warn) rather than pass in silence. */
const char *kt_real_fixtures(void);

#endif
