/*
 * widget-json when things are not as they should be, through the real
 * kudos binary: no item passes (a valid empty widget, and a line saying
 * so), an output folder that does not exist yet, an output folder kudos
 * cannot write (exit 1 naming the path, the previous widget intact), and
 * the schema refusing documents kudos never writes (so that validating
 * with it proves something).
 */
#include "fixtures/widget-json/widget_test.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>

static const char NO_CONSENT[] =
	"[{\"id\": \"n1\", \"text\": \"Rated but not granted.\", \"rating\": [4, 5]},"
	" {\"id\": \"n2\", \"text\": \"Neither.\"}]";

Test(bad, no_item_passing_writes_a_valid_empty_widget_and_says_so)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	char *items = kt_path(dir, "items.json");
	kt_write(items, NO_CONSENT);
	free(items);
	char *err = wt_run_ok(dir);
	cr_assert(strstr(err, "no item passed the render gate for scope \"web\"") &&
	          strstr(err, "wrote an empty widget to out/widget.json"), "%s", err);
	cJSON *w = wt_json(dir, "out/widget.json");
	char *text = cJSON_PrintUnformatted(w);
	cr_assert_str_eq(text, "{\"schema\":\"kudos.widget/1\",\"generated_at\":\"2023-11-14T22:13:20Z\","
	                       "\"count\":0,\"aggregate\":{\"rating_count\":1,\"rating_average\":4,"
	                       "\"sources\":[\"wfix\"]},\"items\":[]}");
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	free(text);
	free(err);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(bad, items_all_filtered_out_also_give_an_empty_widget_and_say_why)
{
	char *dir = wt_setup("items.json", "\"min_rating\": 5, \"sources\": [\"wfix\"], "
	                                   "\"jsonld\": {\"type\": \"Product\", \"name\": \"X\"}", NULL, NULL);
	char *items = kt_path(dir, "items.json");
	kt_write(items, "[{\"id\": \"m1\", \"text\": \"Four.\", \"rating\": [4, 5], \"consent\": \"web\"}]");
	free(items);
	char *err = wt_run_ok(dir);
	cr_assert(strstr(err, "none of the 1 items that passed the render gate is left after "
	                      "\"sources\" and \"min_rating\""), "%s", err);
	cJSON *w = wt_json(dir, "out/widget.json");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(w, "items")), 0);
	cr_assert(!cJSON_HasObjectItem(cJSON_GetObjectItem(w, "jsonld"), "review"));
	char *path = kt_path(dir, "out/widget.json");
	wt_validate(path);
	free(path);
	free(err);
	cJSON_Delete(w);
	wt_done(dir);
}

Test(bad, an_output_folder_that_does_not_exist_is_created)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	char *job = kt_path(dir, "job.json"), *text = kt_read(job);
	char *at = strstr(text, "out/widget.json");
	cr_assert(at);
	char *fixed = NULL;
	cr_assert(asprintf(&fixed, "%.*ssite/a/b/c/widget.json%s", (int)(at - text), text,
	                   at + strlen("out/widget.json")) > 0);
	kt_write(job, fixed);
	free(wt_run_ok(dir));
	cJSON *w = wt_json(dir, "site/a/b/c/widget.json");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(w, "items")), 7);
	char *path = kt_path(dir, "site/a/b/c/widget.json");
	wt_validate(path);
	free(path);
	cJSON_Delete(w);
	free(fixed);
	free(text);
	free(job);
	wt_done(dir);
}

/* Run kudos as `uid` (when we are root, so that permissions bind), with
 * the environment kt_kudos() gives. */
static struct kt_run kudos_as(const char *dir, uid_t uid, const char *const *args)
{
	struct kt_run r = {0};
	char *out = kt_path(dir, "as.out"), *err = kt_path(dir, "as.err");
	const char *argv[32] = {KT_KUDOS};
	size_t n = 1;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	/* kt_kudos()'s environment: a fixed SOURCE_DATE_EPOCH, no plugin path;
	 * the sanitizers' settings pass through. */
	char *envp[8] = {"SOURCE_DATE_EPOCH=1700000000", "PATH=/usr/bin:/bin"};
	size_t ne = 2;
	const char *keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TMPDIR"};
	for (size_t i = 0; i < 4; i++) {
		char *v = getenv(keep[i]), *kv = NULL;
		if (v && asprintf(&kv, "%s=%s", keep[i], v) > 0)
			envp[ne++] = kv;
	}
	envp[ne] = NULL;
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || chdir(dir) != 0 ||
		    (uid != getuid() && (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0)))
			_exit(126);
		execve(KT_KUDOS, (char *const *)argv, envp);
		_exit(127);
	}
	int ws;
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	r.out = kt_read(out);
	r.err = kt_read(err);
	for (size_t i = 2; i < ne; i++)
		free(envp[i]);
	free(out);
	free(err);
	return r;
}

Test(bad, an_unwritable_output_fails_with_exit_1_naming_it_and_keeps_the_old_widget)
{
	char *dir = wt_setup("items.json", NULL, NULL, NULL);
	free(wt_run_ok(dir));
	char *outdir = kt_path(dir, "out"), *path = kt_path(dir, "out/widget.json");
	char *before = kt_read(path);
	wt_validate(path);
	/* As root, permissions do not bind: run as nobody, with the store
	 * theirs to write and the output folder not. */
	uid_t uid = getuid() == 0 ? 65534 : getuid();
	const char *names[] = {"", "k.db", "k.db-wal", "k.db-shm", "items.json", "job.json"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = kt_path(dir, names[i]);
		chmod(p, i == 0 ? 0777 : 0666);
		free(p);
	}
	cr_assert_eq(chmod(outdir, 0555), 0);
	const char *args[] = {"render", "job.json", "--plugin-path", WT_PLUGIN_PATH, NULL};
	struct kt_run r = kudos_as(dir, uid, args);
	chmod(outdir, 0755);
	if (r.status == 126 || r.status == 127 || (r.err && strstr(r.err, "Permission denied") &&
	                                           strstr(r.err, "k.db"))) {
		cr_log_warn("cannot run kudos as uid %d here (exit %d: %s): the unwritable-output "
		            "check did not run", (int)uid, r.status, r.err ? r.err : "");
		kt_run_free(&r);
		cr_skip_test();
	}
	cr_assert_eq(r.status, 1, WT_RUN_FMT, WT_RUN_ARGS(r));
	cr_assert(strstr(r.err, path) && strstr(r.err, "Permission denied"),
	          "the message does not name %s:" WT_RUN_FMT, path, WT_RUN_ARGS(r));
	char *after = kt_read(path);
	cr_assert_str_eq(after, before, "the previous widget changed");
	kt_run_free(&r);
	free(after);
	free(before);
	free(path);
	free(outdir);
	wt_done(dir);
}

/* Documents kudos never writes: the schema must refuse each. */
static const char *const NOT_WIDGETS[][2] = {
	{"javascript-permalink", "\"permalink\": \"javascript:alert(1)\""},
	{"relative-permalink", "\"permalink\": \"/r/1\""},
	{"html-member", "\"html\": \"<b>x</b>\""},
	{"absolute-card", "\"card\": \"/etc/passwd.png\""},
	{"scheme-card", "\"card\": \"https://evil.example/c.png\""},
	{"unknown-badge", "\"badges\": [\"paid\"]"},
	{"null-title", "\"title\": null"},
	{"empty-author", "\"author\": {}"},
	{"data-avatar", "\"author\": {\"avatar\": \"data:image/png;base64,AA\"}"},
	{"negative-rating", "\"rating\": {\"value\": -1, \"scale\": 5}"},
};

Test(bad, the_schema_refuses_what_kudos_never_writes)
{
	const char *missing = wt_validator_missing();
	if (missing) {
		cr_log_warn("the JSON Schema validator cannot run: %s", missing);
		cr_skip_test();
	}
	enum { N = sizeof NOT_WIDGETS / sizeof *NOT_WIDGETS };
	char *dir = kt_tmpdir(), *paths[N + 2] = {0}, *out = NULL;
	for (size_t i = 0; i < N; i++) {
		char *doc = NULL;
		paths[i] = kt_path(dir, NOT_WIDGETS[i][0]);
		cr_assert(asprintf(&doc, "{\"schema\": \"kudos.widget/1\", \"generated_at\": \"2026-01-01T00:00:00Z\","
		                         " \"count\": 1, \"aggregate\": {\"rating_count\": 0, \"rating_average\": null,"
		                         " \"sources\": null}, \"items\": [{\"id\": \"x:1\", \"source\": \"x\","
		                         " \"kind\": \"review\", \"text\": \"t\", %s}]}", NOT_WIDGETS[i][1]) > 0);
		kt_write(paths[i], doc);
		free(doc);
	}
	/* And a missing piece: an aggregate that does not say what it covers. */
	paths[N] = kt_path(dir, "no-sources");
	kt_write(paths[N], "{\"schema\": \"kudos.widget/1\", \"generated_at\": \"2026-01-01T00:00:00Z\", \"count\": 0,"
	                   " \"aggregate\": {\"rating_count\": 0, \"rating_average\": null}, \"items\": []}");
	int status = wt_ajv((const char *const *)paths, &out);
	cr_assert_eq(status, 1, "ajv exited %d:\n%s", status, out);
	for (size_t i = 0; i <= N; i++) {
		char *line = NULL;
		cr_assert(asprintf(&line, "\ninvalid %s\n", paths[i]) > 0);
		cr_assert(strstr(out, line), "%s was accepted:\n%s", paths[i], out);
		free(line);
		free(paths[i]);
	}
	free(out);
	kt_rmtree(dir);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}
