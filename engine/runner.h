/*
 * Running a job: collect from every source (one transaction per source),
 * filter new and changed items (filter plugins), curate (analyses and
 * rules), render every output through the gate.
 * Messages for the user go to stderr through the plugins' log and the
 * returned error; the summary counts come back in struct kudos_run_report.
 */
#ifndef KUDOS_ENGINE_RUNNER_H
#define KUDOS_ENGINE_RUNNER_H

#include <signal.h>
#include <stdint.h>

#include "error.h"
#include "job.h"
#include "loader.h"
#include "publish.h"
#include "store.h"

struct kudos_run_opts {
	int verbosity;                  /* 0 quiet, 1 normal, 2 verbose */
	int progress;                   /* draw progress on a terminal */
	int dry_run;                    /* outputs write no files */
	int jobs;                       /* --jobs: threads an output may use; 0 every core */
	int64_t now;                    /* the clock, for the gate and audit */
	int64_t run_time;               /* SOURCE_DATE_EPOCH or the clock */
	volatile sig_atomic_t *stop;
};

struct kudos_output_report {
	const char *plugin;
	char *first_file;               /* absolute; NULL if none written */
	long placed, skipped, refused;
};

struct kudos_run_report {
	long n_new, n_updated, n_unchanged, n_invalid;
	long granted_by_reply, replied, stale;
	long approved, rejected, flagged, needs_reply;
	long filtered;                  /* items the job's filters looked at */
	struct kudos_output_report *outputs;
	size_t n_outputs;
	struct kudos_takedowns takedowns;  /* what the render took down */
};

int kudos_run_collect(const struct kudos_job *job, const struct kudos_registry *reg,
                      struct kudos_store *store, const struct kudos_run_opts *opts,
                      struct kudos_run_report *report, struct kudos_error *err);
/* The curate step, after collect: the job's filter plugins over new and
 * changed items (engine/filter.h; `reg` must hold them, see
 * kudos_run_check_filters), then the analyses and the rules. */
int kudos_run_curate(const struct kudos_job *job, const struct kudos_registry *reg,
                     struct kudos_store *store, const struct kudos_run_opts *opts,
                     struct kudos_run_report *report, struct kudos_error *err);
int kudos_run_render(const struct kudos_job *job, const struct kudos_registry *reg,
                     struct kudos_store *store, const struct kudos_run_opts *opts,
                     struct kudos_run_report *report, struct kudos_error *err);
/* Check, before any step runs, that every plugin the job names exists and
 * accepts its settings (sources always, outputs when `outputs`). */
int kudos_run_check(const struct kudos_job *job, const struct kudos_registry *reg,
                    int outputs, struct kudos_error *err);
/* The same for the job's filters: before a run that curates. */
int kudos_run_check_filters(const struct kudos_job *job, const struct kudos_registry *reg,
                            struct kudos_error *err);
void kudos_run_report_free(struct kudos_run_report *r);

#endif
