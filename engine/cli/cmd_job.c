/* kudos run | collect | render JOB.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../fsutil.h"
#include "../runner.h"
#include "../text.h"
#include "cli.h"

enum { STEP_COLLECT = 1, STEP_CURATE = 2, STEP_RENDER = 4 };

static const char run_help[] =
	"usage: kudos run JOB.json [--dry-run] [--jobs N]\n"
	"\n"
	"Collect from every source of the job, run its filters over new and\n"
	"changed items, apply its curation rules, and render every output\n"
	"through the render gate.\n"
	"\n"
	"  --dry-run           do everything, then save nothing and write no file\n"
	"  --jobs N            render on at most N threads (default: every core)\n"
	"  --store PATH        the store (default: the job's \"store\", else ./kudos.db)\n"
	"  --plugin-path DIRS  folders to search for plugins first (colon-separated)\n"
	"  -q, -v              quieter, more verbose\n";

static const char collect_help[] =
	"usage: kudos collect JOB.json\n"
	"\n"
	"Collect from every source of the job into the store.  Nothing is\n"
	"curated or rendered: `kudos curate` or `kudos run` does that.  Options as\n"
	"for `kudos run`.\n";

static const char curate_help[] =
	"usage: kudos curate JOB.json\n"
	"\n"
	"Curate what the store holds from the job's sources: run its filters\n"
	"over new and changed items, flag (PII, blocked words, duplicates,\n"
	"negative, ...), then apply the job's curation rules; writes\n"
	"replies.csv beside the job.  Nothing is collected or rendered.\n"
	"Options as for `kudos run`.\n";

static const char render_help[] =
	"usage: kudos render JOB.json [--jobs N]\n"
	"\n"
	"Render every output of the job from what the store holds, through the\n"
	"render gate.  Nothing is collected.  Options as for `kudos run`.\n";

/* A path as the user would like to read it: relative to the current
 * folder when it is below it. */
static const char *shown_path(const char *abs, char *buf, size_t size)
{
	if (!getcwd(buf, size))
		return abs;
	size_t n = strlen(buf);
	if (strncmp(abs, buf, n) == 0 && abs[n] == '/')
		return abs + n + 1;
	return abs;
}

static void summary(const struct cli *c, int steps, const struct kudos_run_report *r,
                    size_t n_filters, int dry_run)
{
	if (c->verbosity == 0)
		return;
	if (steps & STEP_COLLECT) {
		long seen = r->n_new + r->n_updated + r->n_unchanged;
		printf("collected %ld item%s: %ld new, %ld updated upstream, %ld unchanged",
		       seen, seen == 1 ? "" : "s", r->n_new, r->n_updated, r->n_unchanged);
		if (r->n_invalid)
			printf("; %ld skipped as invalid (see the warnings above)", r->n_invalid);
		printf("\n");
	}
	if (r->granted_by_reply || r->replied)
		printf("replies to requests: %ld granted with the rights hashtag, %ld to read "
		       "(now `replied`)\n", r->granted_by_reply, r->replied);
	if (r->stale)
		printf("%ld request%s went unanswered too long (now `stale`)\n", r->stale,
		       r->stale == 1 ? "" : "s");
	if ((steps & STEP_CURATE) && n_filters)
		printf("filters looked at %ld new or changed item%s\n", r->filtered,
		       r->filtered == 1 ? "" : "s");
	if (steps & STEP_CURATE) {
		printf("approved %ld item%s by the job's rules", r->approved,
		       r->approved == 1 ? "" : "s");
		if (r->rejected)
			printf(", rejected %ld", r->rejected);
		if (r->flagged)
			printf("; %ld flagged for a look (kudos list --flagged)", r->flagged);
		if (r->needs_reply)
			printf("; %ld may need an answer (replies.csv)", r->needs_reply);
		printf("\n");
	}
	for (size_t i = 0; i < r->n_outputs; i++) {
		const struct kudos_output_report *o = &r->outputs[i];
		char cwd[4096];
		printf("%s: rendered %ld item%s", o->plugin, o->placed, o->placed == 1 ? "" : "s");
		if (o->skipped)
			printf(" (%ld more left out by the output: a limit, or see its warnings)",
			       o->skipped);
		if (o->first_file)
			printf(" -> %s", shown_path(o->first_file, cwd, sizeof cwd));
		if (o->refused)
			printf("; %ld not passed by the render gate", o->refused);
		printf("\n");
	}
	if (r->takedowns.n)
		printf("took down %zu publication%s no longer placed (revoked, denied, expired, "
		       "opted out, or left out by its output): see takedown-report.json for each "
		       "reason\n", r->takedowns.n, r->takedowns.n == 1 ? "" : "s");
	if (dry_run)
		printf("dry run: nothing was saved and no file was written\n");
}

/* replies.csv beside the job: negative and question-like items, each with
 * its permalink, so the brand answers where the customer wrote. */
struct csv_out {
	char *buf;
	size_t len, cap;
	long rows;
	int oom;
};

/* One field, quoted per RFC 4180 when it must be; a field a spreadsheet
 * would run as a formula gets a leading apostrophe. */
static void csv_put(struct csv_out *o, const char *s, int last)
{
	if (!s)
		s = "";
	size_t need = strlen(s) * 2 + 5;
	if (o->len + need > o->cap) {
		size_t cap = (o->len + need) * 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->oom = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	int formula = *s == '=' || *s == '+' || *s == '@';
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		o->buf[o->len++] = '"';
	if (formula)
		o->buf[o->len++] = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			o->buf[o->len++] = '"';
		o->buf[o->len++] = *p;
	}
	if (quote)
		o->buf[o->len++] = '"';
	memcpy(o->buf + o->len, last ? "\r\n" : ",", last ? 2 : 1);
	o->len += last ? 2 : 1;
}

static int reply_row(void *ud, struct kudos_item *it)
{
	struct csv_out *o = ud;
	const char *const *f = (const char *const *)it->field;
	const char *row[] = {f[KUDOS_FIELD_ID],          f[KUDOS_FIELD_SOURCE],
	                     f[KUDOS_FIELD_AUTHOR_NAME], f[KUDOS_FIELD_AUTHOR_HANDLE],
	                     f[KUDOS_FIELD_PERMALINK],   it->flags,
	                     f[KUDOS_FIELD_TEXT]};
	for (size_t i = 0; i < 7; i++)
		csv_put(o, row[i], i == 6);
	o->rows++;
	return o->oom;
}

static int write_replies(const struct kudos_job *job, struct kudos_store *store,
                         long *count, struct kudos_error *err)
{
	static const char *const head[] = {"id", "source", "author", "handle",
	                                   "permalink", "flags", "text"};
	struct csv_out o = {0};
	struct kudos_query q = {.needs_reply = 1};
	char *path = NULL;
	int rc = -1;
	for (size_t i = 0; i < 7; i++)
		csv_put(&o, head[i], i == 6);
	if (kudos_store_each(store, &q, reply_row, &o, err) < 0)
		goto done;
	if (o.oom || asprintf(&path, "%s/replies.csv", job->dir) < 0) {
		path = NULL;
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	*count = o.rows;
	rc = kudos_write_atomic(path, o.buf, o.len, err);
done:
	free(path);
	free(o.buf);
	return rc;
}

/* takedown-report.json beside the job: what this render removed, why, and
 * every file each item had been published to. */
static int write_takedown_report(const struct kudos_job *job, const struct kudos_run_report *r,
                                 int64_t run_time, struct kudos_error *err)
{
	char when[21], *path = NULL, *text = NULL;
	int rc = -1;
	cJSON *doc = cJSON_CreateObject(), *list;
	kudos_time_format(run_time, when);
	cJSON_AddStringToObject(doc, "job", job->name);
	cJSON_AddStringToObject(doc, "generated_at", when);
	list = cJSON_AddArrayToObject(doc, "removed");
	for (size_t i = 0; i < r->takedowns.n; i++) {
		const struct kudos_takedown *t = &r->takedowns.v[i];
		cJSON *o = cJSON_CreateObject(), *paths, *deleted;
		cJSON_AddItemToArray(list, o);
		cJSON_AddStringToObject(o, "item", t->item_id);
		cJSON_AddStringToObject(o, "output", t->plugin);
		cJSON_AddStringToObject(o, "entry", t->entry);
		cJSON_AddStringToObject(o, "reason", t->reason);
		paths = cJSON_AddArrayToObject(o, "published_at");
		for (size_t j = 0; j < t->n_paths; j++)
			cJSON_AddItemToArray(paths, cJSON_CreateString(t->paths[j]));
		deleted = cJSON_AddArrayToObject(o, "deleted");
		for (size_t j = 0; j < t->n_deleted; j++)
			cJSON_AddItemToArray(deleted, cJSON_CreateString(t->deleted[j]));
	}
	if (!(text = cJSON_Print(doc)) || asprintf(&path, "%s/takedown-report.json", job->dir) < 0) {
		path = NULL;
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	size_t len = strlen(text);
	text[len] = '\n'; /* cJSON_Print's NUL becomes the final newline */
	rc = kudos_write_atomic(path, text, len + 1, err);
done:
	free(path);
	free(text);
	cJSON_Delete(doc);
	return rc;
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_steps(struct cli *c, int argc, char **argv, int steps, const char *help)
{
	int dry_run = 0;
	const char *jobs = NULL;
	const struct cli_flag run_flags[] = {
		{"dry-run", NULL, &dry_run}, {"jobs", &jobs, NULL}, {0}};
	const struct cli_flag render_flags[] = {{"jobs", &jobs, NULL}, {0}};
	struct kudos_error err = {0};
	struct kudos_job job = {0};
	struct kudos_registry reg = {0};
	struct kudos_store *store = NULL;
	struct kudos_run_report report = {0};
	int whole_run = steps == (STEP_COLLECT | STEP_CURATE | STEP_RENDER);
	int status = cli_parse(c, argc, argv,
	                       whole_run ? run_flags : (steps & STEP_RENDER) ? render_flags : NULL);
	long n_jobs = 0;
	if (status)
		return status;
	if (c->help)
		return cli_help(help);
	if ((status = cli_need_args(c, 1, 1, help)))
		return status;
	if (jobs) {
		char *end;
		n_jobs = strtol(jobs, &end, 10);
		if (*end || end == jobs || n_jobs < 1 || n_jobs > 256) {
			fprintf(stderr, "kudos %s: --jobs is \"%s\": give a whole number of "
			        "threads from 1 to 256\n", c->command, jobs);
			return KUDOS_EXIT_INPUT;
		}
	}

	struct kudos_run_opts opts = {
		.verbosity = c->verbosity,
		.progress = 1,
		.dry_run = dry_run,
		.jobs = (int)n_jobs,
		.now = cli_now(),
		.stop = c->stop,
	};
	if (cli_run_time(&opts.run_time, &err) || kudos_job_load(c->args[0], &job, &err) ||
	    cli_scan_plugins(c, &reg, &err) ||
	    kudos_run_check(&job, &reg, (steps & STEP_RENDER) != 0, &err) ||
	    ((steps & STEP_CURATE) && kudos_run_check_filters(&job, &reg, &err)) ||
	    cli_open_store(c, job.store, 0, &store, &err))
		goto fail;
	/* A dry run does the real work inside one transaction and then
	 * rolls it back; each step's own transaction nests inside it. */
	if (dry_run && kudos_store_begin(store, &err))
		goto fail;
	double t0 = seconds_now();
	if ((steps & STEP_COLLECT) && kudos_run_collect(&job, &reg, store, &opts, &report, &err))
		goto fail;
	double t1 = seconds_now();
	if ((steps & STEP_CURATE) && kudos_run_curate(&job, &reg, store, &opts, &report, &err))
		goto fail;
	if ((steps & STEP_CURATE) && !dry_run &&
	    write_replies(&job, store, &report.needs_reply, &err))
		goto fail;
	double t2 = seconds_now();
	if ((steps & STEP_RENDER) && kudos_run_render(&job, &reg, store, &opts, &report, &err))
		goto fail;
	if ((steps & STEP_RENDER) && !dry_run &&
	    write_takedown_report(&job, &report, opts.run_time, &err))
		goto fail;
	double t3 = seconds_now();
	summary(c, steps, &report, job.n_filters, dry_run);
	/* -v: where the time went, per step (what a slow run asks first). */
	if (c->verbosity >= 2)
		fprintf(stderr, "kudos: time: collect %.3f s, curate %.3f s, render %.3f s\n",
		        t1 - t0, t2 - t1, t3 - t2);
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	if (store && dry_run)
		kudos_store_rollback(store);
	kudos_run_report_free(&report);
	kudos_store_close(store);
	kudos_registry_free(&reg);
	kudos_job_free(&job);
	return status;
}

int cmd_run(struct cli *c, int argc, char **argv)
{
	return run_steps(c, argc, argv, STEP_COLLECT | STEP_CURATE | STEP_RENDER, run_help);
}

int cmd_collect(struct cli *c, int argc, char **argv)
{
	return run_steps(c, argc, argv, STEP_COLLECT, collect_help);
}

int cmd_curate(struct cli *c, int argc, char **argv)
{
	return run_steps(c, argc, argv, STEP_CURATE, curate_help);
}

int cmd_render(struct cli *c, int argc, char **argv)
{
	return run_steps(c, argc, argv, STEP_RENDER, render_help);
}
