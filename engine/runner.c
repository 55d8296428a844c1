#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "curate.h"
#include "filter.h"
#include "fsutil.h"
#include "gate.h"
#include "instance.h"
#include "progress.h"
#include "publish.h"
#include "rights.h"

/* The plugin a job entry names, or a message listing what there is. */
static const struct kudos_plugin_lib *find_plugin(const struct kudos_job *job,
                                                  const struct kudos_registry *reg,
                                                  const struct kudos_job_plugin *jp,
                                                  int kind, struct kudos_error *err)
{
	const struct kudos_plugin_lib *lib = kudos_registry_find(reg, jp->plugin, kind);
	if (lib)
		return lib;
	char names[512] = "";
	for (size_t i = 0; i < reg->n; i++) {
		if (reg->libs[i]->desc.kind != kind)
			continue;
		if (*names)
			strncat(names, ", ", sizeof names - strlen(names) - 1);
		strncat(names, reg->libs[i]->desc.name, sizeof names - strlen(names) - 1);
	}
	kudos_fail(err, KUDOS_EXIT_INPUT,
	           "%s: %s: no %s plugin named '%s' on the plugin path; available: %s "
	           "(`kudos plugins` shows the search path)",
	           job->path, jp->where, kudos_plugin_kind_name(kind), jp->plugin,
	           *names ? names : "none");
	return NULL;
}

/* The key under which a job entry keeps its state and publications:
 * "acme-spring/sources[0]". */
static int entry_key(const struct kudos_job *job, struct kudos_instance *in,
                     struct kudos_error *err)
{
	free(in->state_key);
	if (asprintf(&in->state_key, "%s/%s", job->name, in->jp->where) < 0) {
		in->state_key = NULL;
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	}
	return 0;
}

static void on_item(void *ud, long total)
{
	kudos_progress_update(ud, total);
}

static int collect_one(const struct kudos_job *job, const struct kudos_plugin_lib *lib,
                       const struct kudos_job_plugin *jp, struct kudos_store *store,
                       const struct kudos_run_opts *opts, struct kudos_run_report *report,
                       struct kudos_error *err)
{
	struct kudos_instance *in = NULL;
	struct kudos_progress progress = {0};
	int rc = -1, in_tx = 0;
	if (kudos_instance_new(lib, job, jp, store, &in, err))
		return -1;
	in->verbosity = opts->verbosity;
	in->stop = opts->stop;
	in->run_time = opts->now;
	if (entry_key(job, in, err))
		goto done;
	kudos_progress_start(&progress, in->label, opts->progress && opts->verbosity > 0);
	in->on_item = on_item;
	in->on_item_ud = &progress;
	/* One transaction per source: a source that fails half-way leaves
	 * the store as it was before it started. */
	if (kudos_store_begin(store, err))
		goto done;
	in_tx = 1;
	if (kudos_instance_init(in, err))
		goto done;
	if (kudos_writer_start(&in->writer, kudos_instance_store_item, in, 512)) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot start the store writer thread");
		goto done;
	}
	int status = lib->desc.collect(&kudos_host_table, in, in->ctx);
	kudos_writer_finish(in->writer); /* its failures are in in->store_err */
	in->writer = NULL;
	kudos_progress_end(&progress);
	if (status < 0 || in->store_err.status) {
		kudos_instance_failed(in, "collect", status, err);
		goto done;
	}
	if (kudos_store_commit(store, err))
		goto done;
	in_tx = 0;
	report->n_new += in->n_new;
	report->n_updated += in->n_updated;
	report->n_unchanged += in->n_unchanged;
	report->n_invalid += in->n_invalid;
	report->granted_by_reply += in->n_granted_by_reply;
	report->replied += in->n_replied;
	if (opts->verbosity > 1)
		fprintf(stderr, "kudos: %s: %ld new, %ld updated, %ld unchanged, %ld skipped\n",
		        in->label, in->n_new, in->n_updated, in->n_unchanged, in->n_invalid);
	rc = 0;
done:
	kudos_progress_end(&progress);
	if (in_tx)
		kudos_store_rollback(store);
	kudos_instance_free(in);
	return rc;
}

int kudos_run_collect(const struct kudos_job *job, const struct kudos_registry *reg,
                      struct kudos_store *store, const struct kudos_run_opts *opts,
                      struct kudos_run_report *report, struct kudos_error *err)
{
	/* Every source must exist before any collects, so that a typo in the
	 * last entry does not leave the first ones half done. */
	for (size_t i = 0; i < job->n_sources; i++)
		if (!find_plugin(job, reg, &job->sources[i], KUDOS_PLUGIN_SOURCE, err))
			return -1;
	for (size_t i = 0; i < job->n_sources; i++) {
		const struct kudos_plugin_lib *lib =
			kudos_registry_find(reg, job->sources[i].plugin, KUDOS_PLUGIN_SOURCE);
		if (collect_one(job, lib, &job->sources[i], store, opts, report, err))
			return -1;
	}
	/* Requests nobody answered in time go stale. */
	if (kudos_store_begin(store, err))
		return -1;
	if (kudos_rights_sweep_stale(store, &job->rights, opts->now, &report->stale, err) ||
	    kudos_store_commit(store, err)) {
		kudos_store_rollback(store);
		return -1;
	}
	return 0;
}

/* The job's filter plugins over new and changed items (engine/filter.h);
 * with no filters, what earlier filters found is cleared. */
static int run_filters(const struct kudos_job *job, const struct kudos_registry *reg,
                       struct kudos_store *store, const struct kudos_run_opts *opts,
                       struct kudos_run_report *report, struct kudos_error *err)
{
	const struct kudos_plugin_lib **libs = NULL;
	const char **sources = kudos_job_source_names(job);
	int rc = -1;
	if ((job->n_sources && !sources) ||
	    (job->n_filters && !(libs = calloc(job->n_filters, sizeof *libs)))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < job->n_filters; i++)
		if (!(libs[i] = find_plugin(job, reg, &job->filters[i], KUDOS_PLUGIN_FILTER, err)))
			goto done;
	rc = kudos_filter_items(job, libs, store, sources, opts, &report->filtered, err);
done:
	free(libs);
	free(sources);
	return rc;
}

int kudos_run_curate(const struct kudos_job *job, const struct kudos_registry *reg,
                     struct kudos_store *store, const struct kudos_run_opts *opts,
                     struct kudos_run_report *report, struct kudos_error *err)
{
	if (run_filters(job, reg, store, opts, report, err))
		return -1;
	const char **sources = kudos_job_source_names(job);
	if (job->n_sources && !sources)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	int rc = kudos_analyze(store, job, sources, &report->flagged, err) ||
	                 kudos_curate(store, job, sources, opts->now, &report->approved,
	                              &report->rejected, err)
	         ? -1
	         : 0;
	free(sources);
	return rc;
}

/* ---- render ------------------------------------------------------------ */

/* The output's scope: the job's "scope", else the plugin's default. */
static const char *output_scope(struct kudos_instance *in)
{
	const char *scope = kudos_config_text(&in->cs, in->jp->entry, "scope");
	for (const struct kudos_config_entry *e = in->desc->config; !scope && e && e->type; e++)
		if (strcmp(e->key, "scope") == 0)
			scope = e->default_value;
	return scope;
}

/* The folder an output writes in: its "dir", else the folder of "path". */
static char *output_dir(const struct kudos_job *job, struct kudos_instance *in)
{
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(in->jp->entry, "dir");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(in->jp->entry, "path");
	if (cJSON_IsString(dir))
		return kudos_path_resolve(job->dir, dir->valuestring);
	if (cJSON_IsString(path)) {
		char *file = kudos_path_resolve(job->dir, path->valuestring);
		char *folder = file ? kudos_path_dirname(file) : NULL;
		free(file);
		return folder;
	}
	return NULL;
}

/* Settle where an output writes and under which scope, refusing a job
 * entry that leaves either unclear. */
static int output_setup(const struct kudos_job *job, struct kudos_instance *in,
                        struct kudos_error *err)
{
	in->scope = output_scope(in);
	if (!kudos_scope_valid(in->scope))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: %s: scope '%s' is not one of web, print, social, ads",
		                  job->path, in->jp->where, in->scope ? in->scope : "(none)");
	free(in->output_dir);
	if (!(in->output_dir = output_dir(job, in)))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: %s: set \"path\" or \"dir\" to say where the output goes",
		                  job->path, in->jp->where);
	return 0;
}

struct placed {
	struct kudos_instance *in;
	long consumed, skipped;
	int status;
};

static int consume_one(void *ud, const struct kudos_item *it)
{
	struct placed *p = ud;
	int rc = p->in->desc->consume(&kudos_host_table, p->in, p->in->ctx, it);
	p->consumed++;
	/* Outputs that finish each item in consume() need not report it. */
	if (!p->in->own_progress && p->in->progress)
		kudos_progress_update(p->in->progress, p->consumed);
	if (rc < 0) {
		p->status = rc;
		return 1;
	}
	if (rc == KUDOS_SKIP) {
		p->skipped++;
		return 0;
	}
	if (kudos_instance_place(p->in, it->field[KUDOS_FIELD_ID])) {
		p->status = KUDOS_ENOMEM;
		return 1;
	}
	return 0;
}

/* The ids the output placed and did not leave out afterwards (borrowed
 * from the instance), *n set.  (transfer full) array, or NULL. */
static char **placed_ids(const struct kudos_instance *in, size_t *n, long *left_out)
{
	char **ids = malloc((in->n_placed ? in->n_placed : 1) * sizeof *ids);
	*n = 0;
	*left_out = 0;
	for (size_t i = 0; ids && i < in->n_placed; i++) {
		if (in->placed[i]->left_out)
			(*left_out)++;
		else
			ids[(*n)++] = in->placed[i]->id;
	}
	return ids;
}

static int render_one(const struct kudos_job *job, const struct kudos_plugin_lib *lib,
                      const struct kudos_job_plugin *jp, const char *const *sources,
                      struct kudos_store *store, const struct kudos_run_opts *opts,
                      struct kudos_output_report *out, struct kudos_takedowns *td,
                      struct kudos_error *err)
{
	struct kudos_instance *in = NULL;
	struct kudos_progress progress = {0};
	struct placed p = {0};
	char **ids = NULL;
	size_t n_ids = 0;
	long left_out = 0;
	int rc = -1;
	if (kudos_instance_new(lib, job, jp, store, &in, err))
		return -1;
	in->verbosity = opts->verbosity;
	in->stop = opts->stop;
	in->run_time = opts->run_time;
	in->sources = sources;
	in->dry_run = opts->dry_run;
	in->jobs = opts->jobs;
	if (output_setup(job, in, err) || entry_key(job, in, err))
		goto done;
	if (kudos_instance_init(in, err))
		goto done;
	kudos_progress_start(&progress, in->label, opts->progress && opts->verbosity > 0);
	in->progress = &progress;
	p.in = in;
	/* A planning output is handed what passes somewhere in its span still
	 * ahead, and asks the gate about each slot (gate_check_at); every
	 * other output only what passes now. */
	int64_t from = in->plans && in->horizon_from > opts->now ? in->horizon_from : opts->now;
	int64_t until = in->plans ? in->horizon_until : opts->now + 1;
	if (from < until &&
	    kudos_gate_each_span(store, sources, in->scope, from, until,
	                         in->plans ? &in->book : NULL, consume_one, &p, &out->refused,
	                         err) < 0)
		goto done;
	if (p.status < 0) {
		kudos_instance_failed(in, "consume", p.status, err);
		goto done;
	}
	if (lib->desc.flush) {
		int status = lib->desc.flush(&kudos_host_table, in, in->ctx);
		if (status < 0) {
			kudos_instance_failed(in, "flush", status, err);
			goto done;
		}
	}
	kudos_progress_end(&progress);
	/* Every file of the render appears now, before the store records
	 * them and stale ones are taken down. */
	if (kudos_staged_commit(&in->staged, err))
		goto done;
	if (!(ids = placed_ids(in, &n_ids, &left_out))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	if (kudos_publish_settle(store, in, ids, n_ids, opts->now, td, err))
		goto done;
	out->placed = (long)n_ids;
	out->skipped = p.skipped + left_out;
	if (in->n_written && !(out->first_file = strdup(in->written[0]))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	rc = 0;
done:
	kudos_progress_end(&progress);
	free(ids);
	kudos_instance_free(in);
	return rc;
}

int kudos_run_render(const struct kudos_job *job, const struct kudos_registry *reg,
                     struct kudos_store *store, const struct kudos_run_opts *opts,
                     struct kudos_run_report *report, struct kudos_error *err)
{
	const char **sources = kudos_job_source_names(job);
	int rc = -1;
	if (job->n_sources && !sources)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < job->n_outputs; i++)
		if (!find_plugin(job, reg, &job->outputs[i], KUDOS_PLUGIN_OUTPUT, err))
			goto done;
	free(report->outputs);
	report->n_outputs = 0;
	if (job->n_outputs &&
	    !(report->outputs = calloc(job->n_outputs, sizeof *report->outputs))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < job->n_outputs; i++) {
		const struct kudos_plugin_lib *lib =
			kudos_registry_find(reg, job->outputs[i].plugin, KUDOS_PLUGIN_OUTPUT);
		struct kudos_output_report *out = &report->outputs[report->n_outputs++];
		out->plugin = lib->desc.name;
		if (render_one(job, lib, &job->outputs[i], sources, store, opts, out,
		               &report->takedowns, err))
			goto done;
	}
	rc = 0;
done:
	free(sources);
	return rc;
}

static int check_entries(const struct kudos_job *job, const struct kudos_registry *reg,
                         const struct kudos_job_plugin *jps, size_t n, int kind,
                         struct kudos_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct kudos_plugin_lib *lib = find_plugin(job, reg, &jps[i], kind, err);
		struct kudos_instance *in = NULL;
		if (!lib || kudos_instance_new(lib, job, &jps[i], NULL, &in, err))
			return -1;
		int rc = kind == KUDOS_PLUGIN_OUTPUT ? output_setup(job, in, err) : 0;
		kudos_instance_free(in);
		if (rc)
			return -1;
	}
	return 0;
}

int kudos_run_check(const struct kudos_job *job, const struct kudos_registry *reg,
                    int outputs, struct kudos_error *err)
{
	if (check_entries(job, reg, job->sources, job->n_sources, KUDOS_PLUGIN_SOURCE, err))
		return -1;
	return outputs ? check_entries(job, reg, job->outputs, job->n_outputs,
	                               KUDOS_PLUGIN_OUTPUT, err)
	               : 0;
}

int kudos_run_check_filters(const struct kudos_job *job, const struct kudos_registry *reg,
                            struct kudos_error *err)
{
	return check_entries(job, reg, job->filters, job->n_filters, KUDOS_PLUGIN_FILTER, err);
}

void kudos_run_report_free(struct kudos_run_report *r)
{
	for (size_t i = 0; i < r->n_outputs; i++)
		free(r->outputs[i].first_file);
	free(r->outputs);
	r->outputs = NULL;
	r->n_outputs = 0;
	kudos_takedowns_free(&r->takedowns);
}
