/*
 * A plugin instance: one plugin loaded for one entry of a job, with its
 * context, its configuration and what the host services need to serve it
 * (the store, the output folder, the stop flag).  The host service table
 * of <kudos/plugin.h> is implemented in host.c over this struct.
 */
#ifndef KUDOS_ENGINE_INSTANCE_H
#define KUDOS_ENGINE_INSTANCE_H

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdint.h>

#include <kudos/plugin.h>

#include "config.h"
#include "error.h"
#include "gate.h"
#include "job.h"
#include "loader.h"
#include "progress.h"
#include "staged.h"
#include "store.h"
#include "writer.h"

struct kudos_instance {
	const struct kudos_plugin *desc;  /* the loader's copy */
	const struct kudos_job *job;
	const struct kudos_job_plugin *jp;
	char label[160];                  /* "csv (sources[0])" in messages */
	void *ctx;
	struct kudos_config_store cs;
	struct kudos_store *store;
	int verbosity;                    /* 0 quiet, 1 normal, 2 verbose */
	volatile sig_atomic_t *stop;
	int64_t run_time;
	char error[1024];                 /* the plugin's set_error() */
	struct kudos_error store_err;     /* a store failure during emit */
	int initialized;                  /* init() succeeded: exit() is owed */
	int in_init;                      /* init() is running */

	/* sources */
	struct kudos_writer *writer;      /* set while collect() runs */
	char *state_key;
	long n_new, n_updated, n_unchanged, n_invalid;
	int n_granted_by_reply, n_replied;
	void (*on_item)(void *ud, long total);
	void *on_item_ud;
	/* Set on the per-file copy each_file_parallel hands a callback:
	 * what it emits and logs is kept here (host_files.h). */
	struct kudos_file_batch *batch;

	/* outputs */
	const char *scope;
	char *output_dir;
	const char *const *sources;       /* what the aggregate covers */
	char **written;                   /* shared files written (absolute) */
	size_t n_written;
	struct kudos_item_file {          /* files that are one item's alone */
		char *item_id, *path;     /* path absolute */
	} *item_files;
	size_t n_item_files;
	struct kudos_item_file *placements; /* output_place(): item in shared file */
	size_t n_placements;
	char *artifact;                   /* item_artifact()'s last answer */
	int dry_run;                      /* output_write writes nothing */
	struct kudos_staged staged;       /* files written, shown at the end */
	/* output_horizon(): the output plans [from, until) and is handed what
	 * passes there; the book lets gate_check_at() judge it at any time */
	int plans;
	int64_t horizon_from, horizon_until;
	struct kudos_gate_book book;

	/* filters */
	struct kudos_item *filtering;     /* the item filter() was handed */
	cJSON *found;                     /* what the filter said of it: {"flags",
	                                     "tags", "scores", "language"} */

	/* outputs that finish items after consume() */
	int jobs;                         /* --jobs; 0: every core */
	/* The items consume() placed, in order, and a tsearch index of them
	 * by id, so that files written later by id are checked against it. */
	struct kudos_placed {
		int left_out;             /* output_leave_out() */
		char id[];
	} **placed;
	size_t n_placed;
	void *placed_index;
	struct kudos_progress *progress;  /* drawn while the output runs */
	int own_progress;                 /* the plugin reports it itself */
};

extern const struct kudos_host kudos_host_table;

/* Create an instance of `lib` for the job entry `jp`: allocate the context
 * and fill it from the entry.  RETURN VALUE -1 with KUDOS_EXIT_INPUT for
 * configuration the plugin refuses. */
int kudos_instance_new(const struct kudos_plugin_lib *lib, const struct kudos_job *job,
                       const struct kudos_job_plugin *jp, struct kudos_store *store,
                       struct kudos_instance **out, struct kudos_error *err);
/* Calls exit() if init() succeeded, then frees everything. */
void kudos_instance_free(struct kudos_instance *in);

/* Run the plugin's init(); its failure becomes err naming the plugin. */
int kudos_instance_init(struct kudos_instance *in, struct kudos_error *err);

/* Store one item the source emitted (transfer full): the writer
 * thread's kudos_writer_fn.  Failures land in in->store_err. */
int kudos_instance_store_item(void *ud, struct kudos_item *it);

/* Hand an emitted item (transfer full) to the writer thread, or store it
 * directly outside collect().  RETURN VALUE non-zero once the store has
 * failed (now or for an earlier item; see in->store_err). */
int kudos_instance_emit(struct kudos_instance *in, struct kudos_item *it);

/* Record that consume() placed `item_id`.  RETURN VALUE 0, or -1 out of
 * memory. */
int kudos_instance_place(struct kudos_instance *in, const char *item_id);

/* Turn a callback's negative status into err, naming the plugin and
 * quoting its set_error() message. */
int kudos_instance_failed(struct kudos_instance *in, const char *callback, int status,
                          struct kudos_error *err);

#endif
