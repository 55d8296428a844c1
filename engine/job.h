/*
 * Job files (JSON): what to collect, how to curate, what to render.
 * Loading checks every key against what kudos knows (an unknown key is an
 * error, not ignored), resolves paths against the job file's folder, and
 * reports syntax errors with line and column.  Plugin entries are checked
 * later, against each plugin's own config table.
 */
#ifndef KUDOS_ENGINE_JOB_H
#define KUDOS_ENGINE_JOB_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "error.h"
#include "rights.h"
#include "rules.h"
#include "store.h"

struct kudos_job_plugin {
	const char *plugin;   /* the job's "plugin" value; borrowed from root */
	const cJSON *entry;   /* the whole object; borrowed */
	char where[96];       /* "sources[0] (csv)" for messages */
};


struct kudos_job {
	char *path;           /* as given */
	char *dir;            /* absolute folder of the job file */
	cJSON *root;
	const char *name;
	char *store;          /* absolute, or NULL when the job names none */
	struct kudos_terms terms;
	const cJSON *brand;
	struct kudos_job_plugin *sources, *outputs;
	size_t n_sources, n_outputs;
	/* "filters": run in this order after collect, before the rules; each
	 * plugin at most once, since its findings are kept under its name. */
	struct kudos_job_plugin *filters;
	size_t n_filters;
	struct kudos_rule *auto_approve, *auto_reject;
	size_t n_auto_approve, n_auto_reject;
	struct kudos_rights_config rights;
	char *reply_scopes;         /* owns rights.reply_scopes */
	const cJSON *templates;     /* rights.templates: name -> [variants] */
	const char *timezone;       /* rights.timezone for dates, or NULL (UTC) */
};

int kudos_job_load(const char *path, struct kudos_job *job, struct kudos_error *err);
void kudos_job_free(struct kudos_job *job);

/* The plugin names of the job's sources, each once, NULL-terminated
 * (transfer full: free the array; the strings are borrowed from the job),
 * or NULL when the job has none: then the job's commands reach every item
 * in the store. */
const char **kudos_job_source_names(const struct kudos_job *job);

#endif
