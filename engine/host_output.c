/* The host's services for outputs; see host_services.h. */
#include "host_services.h"

#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cores.h"
#include "fsutil.h"
#include "gate.h"
#include "progress.h"

/* ---- outputs --------------------------------------------------------- */

const char *kudos_host_output_dir(struct kudos_instance *self)
{
	return self->output_dir;
}

/* The absolute path of `relative` inside the output folder, or NULL with
 * the error set (KUDOS_EPATH in *status) when it would leave it. */
static char *confined_path(struct kudos_instance *self, const char *relative, int *status)
{
	*status = KUDOS_EINVAL;
	if (!self->output_dir)
		return NULL;
	if (!relative || !kudos_path_is_confined(relative)) {
		kudos_host_set_error(self, "refused to write '%s': outputs write only inside %s",
		                     relative ? relative : "(null)", self->output_dir);
		*status = KUDOS_EPATH;
		return NULL;
	}
	char *path = kudos_path_resolve(self->output_dir, relative);
	if (!path)
		*status = KUDOS_ENOMEM;
	return path;
}

static int write_file(struct kudos_instance *self, const char *path, const void *data,
                      size_t len)
{
	struct kudos_error err = {0};
	if (!self->dry_run && kudos_stage_file(&self->staged, path, data, len, &err)) {
		kudos_host_set_error(self, "%s", err.msg);
		return KUDOS_EIO;
	}
	return KUDOS_OK;
}

int kudos_host_output_write(struct kudos_instance *self, const char *relative,
                            const void *data, size_t len)
{
	int status;
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	char **grown = realloc(self->written, (self->n_written + 1) * sizeof *grown);
	if (!grown) {
		free(path);
		return KUDOS_ENOMEM;
	}
	self->written = grown;
	if ((status = write_file(self, path, data, len)) != KUDOS_OK) {
		free(path);
		return status;
	}
	self->written[self->n_written++] = path;
	return KUDOS_OK;
}

int kudos_host_output_write_report(struct kudos_instance *self, const char *relative,
                                   const void *data, size_t len)
{
	int status;
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	status = write_file(self, path, data, len);
	free(path);
	return status;
}

/* Append (a copy of item_id, path) to a list; `path` (absolute) is taken,
 * and freed when out of memory.  RETURN VALUE KUDOS_OK or KUDOS_ENOMEM. */
static int push_item_file(struct kudos_item_file **list, size_t *n, const char *item_id,
                          char *path)
{
	struct kudos_item_file *grown = realloc(*list, (*n + 1) * sizeof *grown);
	char *id = strdup(item_id);
	if (grown)
		*list = grown;
	if (!grown || !id) {
		free(id);
		free(path);
		return KUDOS_ENOMEM;
	}
	(*list)[(*n)++] = (struct kudos_item_file){id, path};
	return KUDOS_OK;
}

int kudos_host_output_place(struct kudos_instance *self, const char *item_id,
                            const char *relative)
{
	int status;
	if (!item_id || !*item_id)
		return KUDOS_EINVAL;
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	return push_item_file(&self->placements, &self->n_placements, item_id, path);
}

/* Remember that `path` (absolute, taken) is the item's own file. */
static int note_item_file(struct kudos_instance *self, const char *item_id, char *path)
{
	return push_item_file(&self->item_files, &self->n_item_files, item_id, path);
}

int kudos_host_output_write_item(struct kudos_instance *self, const struct kudos_item *item,
                                 const char *relative, const void *data, size_t len)
{
	int status;
	if (!item)
		return KUDOS_EINVAL;
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	if ((status = write_file(self, path, data, len)) != KUDOS_OK) {
		free(path);
		return status;
	}
	return note_item_file(self, item->field[KUDOS_FIELD_ID], path);
}

int kudos_host_output_keep_item(struct kudos_instance *self, const struct kudos_item *item,
                                const char *relative)
{
	int status;
	struct stat st;
	if (!item)
		return KUDOS_EINVAL;
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		free(path);
		return KUDOS_EINVAL;
	}
	return note_item_file(self, item->field[KUDOS_FIELD_ID], path);
}

static int cmp_placed(const void *a, const void *b)
{
	return strcmp(((const struct kudos_placed *)a)->id, ((const struct kudos_placed *)b)->id);
}

/* The entry of an item this output's consume() placed, or NULL. */
static struct kudos_placed *placed_entry(struct kudos_instance *self, const char *item_id)
{
	size_t n = strlen(item_id);
	struct kudos_placed *key = malloc(sizeof *key + n + 1), **hit;
	if (!key)
		return NULL;
	memcpy(key->id, item_id, n + 1);
	hit = tfind(key, &self->placed_index, cmp_placed);
	free(key);
	return hit ? *hit : NULL;
}

int kudos_instance_place(struct kudos_instance *in, const char *item_id)
{
	size_t n = strlen(item_id);
	struct kudos_placed **grown = realloc(in->placed, (in->n_placed + 1) * sizeof *grown);
	struct kudos_placed *e = malloc(sizeof *e + n + 1);
	if (grown)
		in->placed = grown;
	if (!grown || !e) {
		free(e);
		return -1;
	}
	e->left_out = 0;
	memcpy(e->id, item_id, n + 1);
	/* An id placed twice (a bug in the gate) keeps its first entry. */
	struct kudos_placed **slot = tsearch(e, &in->placed_index, cmp_placed);
	if (!slot || *slot != e) {
		free(e);
		return slot ? 0 : -1;
	}
	in->placed[in->n_placed++] = e;
	return 0;
}

int kudos_host_output_write_item_id(struct kudos_instance *self, const char *item_id,
                                    const char *relative, const void *data, size_t len)
{
	int status;
	struct kudos_placed *e = item_id ? placed_entry(self, item_id) : NULL;
	if (!e || e->left_out) {
		kudos_host_set_error(self, "refused to write '%s' for item %s: this output's "
		                     "consume() did not place that item in this render",
		                     relative ? relative : "(null)", item_id ? item_id : "(null)");
		return KUDOS_EINVAL;
	}
	char *path = confined_path(self, relative, &status);
	if (!path)
		return status;
	if ((status = write_file(self, path, data, len)) != KUDOS_OK) {
		free(path);
		return status;
	}
	return note_item_file(self, e->id, path);
}

int kudos_host_output_leave_out(struct kudos_instance *self, const char *item_id)
{
	struct kudos_placed *e = item_id ? placed_entry(self, item_id) : NULL;
	if (!e) {
		kudos_host_set_error(self, "output_leave_out: this output's consume() did not "
		                     "place item %s", item_id ? item_id : "(null)");
		return KUDOS_EINVAL;
	}
	e->left_out = 1;
	return KUDOS_OK;
}

void kudos_host_output_progress(struct kudos_instance *self, int64_t done, int64_t total)
{
	self->own_progress = 1;
	if (self->progress)
		kudos_progress_bar(self->progress, done, total);
}

int kudos_host_jobs(struct kudos_instance *self)
{
	if (self->jobs > 0)
		return self->jobs;
	int cores = kudos_cores();
	return cores < 256 ? cores : 256;
}

const char *kudos_host_item_excerpt(const struct kudos_item *it)
{
	return it ? it->excerpt : NULL;
}

struct artifact_query {
	char *path;
};

static int first_artifact(void *ud, const struct kudos_publication *p)
{
	struct artifact_query *q = ud;
	if (!p->per_item)
		return 0;
	q->path = strdup(p->path);
	return 1;
}

const char *kudos_host_item_artifact(struct kudos_instance *self,
                                     const struct kudos_item *item, const char *plugin)
{
	struct artifact_query q = {0};
	struct kudos_error err = {0};
	if (!item || !plugin || !self->output_dir)
		return NULL;
	if (kudos_store_each_publication(self->store, item->field[KUDOS_FIELD_ID], NULL, plugin,
	                                 first_artifact, &q, &err)) {
		kudos_host_log(self, KUDOS_LOG_WARN, "%s", err.msg);
		return NULL;
	}
	free(self->artifact);
	self->artifact = q.path ? kudos_path_relative(self->output_dir, q.path) : NULL;
	free(q.path);
	return self->artifact;
}

int kudos_host_item_grant_window(const struct kudos_item *item, int64_t *from,
                                 int64_t *until)
{
	if (!item || !item->has_grant)
		return 0;
	if (from)
		*from = item->grant.from;
	if (until)
		*until = item->grant.until;
	return 1;
}

int kudos_host_output_horizon(struct kudos_instance *self, int64_t from, int64_t until)
{
	if (!self->scope || !self->in_init) {
		kudos_host_set_error(self, "output_horizon() is for outputs, from init(); "
		                     "this is a bug in the plugin, report it to its author");
		return KUDOS_EINVAL;
	}
	if (until <= from) {
		kudos_host_set_error(self, "output_horizon(): the span ends before it starts; "
		                     "this is a bug in the plugin, report it to its author");
		return KUDOS_EINVAL;
	}
	self->plans = 1;
	self->horizon_from = from;
	self->horizon_until = until;
	return KUDOS_OK;
}

int kudos_host_gate_check_at(struct kudos_instance *self, const char *item_id, int64_t at,
                             const char **reason)
{
	int verdict;
	const char *why = NULL;
	if (!self->plans)
		why = "this output declared no horizon (output_horizon)";
	else if (kudos_gate_book_check(&self->book, item_id, self->scope, at, &verdict))
		why = "not handed to this output in this render";
	else if (verdict != KUDOS_GATE_PASS)
		why = kudos_gate_reason(verdict);
	if (reason)
		*reason = why;
	return why == NULL;
}

int64_t kudos_host_aggregate_rating(struct kudos_instance *self, double *average)
{
	int64_t count = 0;
	double avg = 0;
	struct kudos_error err = {0};
	if (kudos_store_aggregate(self->store, self->sources, &count, &avg, &err)) {
		kudos_host_log(self, KUDOS_LOG_ERROR, "%s", err.msg);
		count = 0;
		avg = 0;
	}
	if (average)
		*average = avg;
	return count;
}
