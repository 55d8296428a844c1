#include "filter.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "progress.h"
#include "runner.h"
#include "text.h"

/* What the filters said of one item.  Saved after the walk, so that no
 * write happens while the store's read statement is still open. */
struct finding {
	char *id, *hash, *results, *language;
};

struct walk {
	struct kudos_instance **in;
	size_t n_in;
	const struct kudos_run_opts *opts;
	struct finding *v;
	size_t n, cap;
	struct kudos_progress progress;
	int status;            /* the failing filter's code, or KUDOS_ENOMEM */
	size_t failed;         /* which filter failed */
	char *failed_item;     /* on which item (transfer full) */
};

void kudos_filter_setup(const struct kudos_job *job, const struct kudos_plugin_lib *const *libs,
                        char hex[65])
{
	struct kudos_hasher h;
	kudos_hasher_init(&h, KUDOS_HASH_BLAKE2B);
	/* Bump the leading field when what filters may say changes meaning:
	 * every item is then filtered again. */
	kudos_hasher_field(&h, "kudos-filters/1");
	for (size_t i = 0; i < job->n_filters; i++) {
		char *settings = cJSON_PrintUnformatted(job->filters[i].entry);
		kudos_hasher_field(&h, libs[i]->desc.name);
		kudos_hasher_field(&h, libs[i]->desc.version);
		/* Out of memory: "" still changes the fingerprint from the last
		 * run's, which costs a refilter, never a stale result. */
		kudos_hasher_field(&h, settings ? settings : "");
		free(settings);
	}
	kudos_hasher_end(&h, hex);
}

static void findings_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].id);
		free(w->v[i].hash);
		free(w->v[i].results);
		free(w->v[i].language);
	}
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

int kudos_filter_apply(struct kudos_instance *in, struct kudos_item *it, cJSON **found)
{
	*found = NULL;
	if (!(in->found = cJSON_CreateObject()))
		return KUDOS_ENOMEM;
	in->filtering = it;
	int rc = in->desc->filter(&kudos_host_table, in, in->ctx, it);
	in->filtering = NULL;
	if (rc >= 0 && in->found->child) {
		*found = in->found;
		in->found = NULL;
	}
	cJSON_Delete(in->found);
	in->found = NULL;
	return rc < 0 ? rc : KUDOS_OK;
}

/* Run every filter on `it`; its findings are collected under each
 * filter's name. */
static int filter_one(void *ud, struct kudos_item *it)
{
	struct walk *w = ud;
	cJSON *results = NULL;
	if (w->opts->stop && *w->opts->stop) {
		w->status = KUDOS_ESTOP;
		goto fail;
	}
	/* A language a filter gave earlier is about to be given again (or
	 * not): the filters see what the source said. */
	if (it->language_guessed && kudos_item_put(it, KUDOS_FIELD_LANGUAGE, NULL))
		goto oom;
	int had_language = it->field[KUDOS_FIELD_LANGUAGE] != NULL;
	if (!(results = cJSON_CreateObject()))
		goto oom;
	for (size_t i = 0; i < w->n_in; i++) {
		cJSON *found = NULL;
		int rc = kudos_filter_apply(w->in[i], it, &found);
		if (rc < 0) {
			w->status = rc;
			w->failed = i;
			goto fail;
		}
		if (found && !cJSON_AddItemToObject(results, w->in[i]->desc->name, found)) {
			cJSON_Delete(found);
			goto oom;
		}
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct finding *v = realloc(w->v, cap * sizeof *v);
		if (!v)
			goto oom;
		w->v = v;
		w->cap = cap;
	}
	struct finding *f = &w->v[w->n];
	const char *lang = had_language ? NULL : it->field[KUDOS_FIELD_LANGUAGE];
	*f = (struct finding){
		.id = strdup(it->field[KUDOS_FIELD_ID]),
		.hash = strdup(it->field[KUDOS_FIELD_CONTENT_HASH]),
		.results = cJSON_PrintUnformatted(results),
		.language = lang ? strdup(lang) : NULL,
	};
	w->n++; /* counted even when incomplete, so that findings_free frees it */
	if (!f->id || !f->hash || !f->results || (lang && !f->language))
		goto oom;
	cJSON_Delete(results);
	kudos_progress_update(&w->progress, (long)w->n);
	return 0;
oom:
	w->status = KUDOS_ENOMEM;
	w->failed = (size_t)-1;
fail:
	cJSON_Delete(results);
	w->failed_item = strdup(it->field[KUDOS_FIELD_ID]);
	return 1;
}

/* err for a filter that failed on an item: the plugin's words, with the
 * filter's entry and the item named. */
static int filter_failed(struct walk *w, const struct kudos_job *job, struct kudos_error *err)
{
	const char *item = w->failed_item ? w->failed_item : "(unknown)";
	if (w->status == KUDOS_ESTOP)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "filters: stopped by the user at item %s; "
		                  "nothing they found in this run was kept", item);
	if (w->failed == (size_t)-1)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "filters: out of memory at item %s", item);
	struct kudos_instance *in = w->in[w->failed];
	snprintf(in->label, sizeof in->label, "%s: item %s", job->filters[w->failed].where, item);
	return kudos_instance_failed(in, "filter", w->status, err);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct finding *)a)->id, ((const struct finding *)b)->id);
}

static int save(struct kudos_store *store, struct walk *w, const char *setup,
                struct kudos_error *err)
{
	/* In id order, the store's index on id is walked page by page
	 * instead of at random: half the time for 100,000 items. */
	if (w->n > 1) /* qsort's base may not be NULL, even for nothing */
		qsort(w->v, w->n, sizeof *w->v, by_id);
	for (size_t i = 0; i < w->n; i++) {
		const struct finding *f = &w->v[i];
		if (kudos_store_set_filter_results(store, f->id, f->results, f->language, setup,
		                                   f->hash, err))
			return -1;
	}
	return 0;
}

int kudos_filter_items(const struct kudos_job *job, const struct kudos_plugin_lib *const *libs,
                       struct kudos_store *store, const char *const *sources,
                       const struct kudos_run_opts *opts, long *filtered,
                       struct kudos_error *err)
{
	struct walk w = {.opts = opts};
	char setup[65];
	int rc = -1, in_tx = 0;
	*filtered = 0;
	if (job->n_filters == 0) {
		if (kudos_store_begin(store, err))
			return -1;
		if (kudos_store_clear_filter_results(store, sources, err) ||
		    kudos_store_commit(store, err)) {
			kudos_store_rollback(store);
			return -1;
		}
		return 0;
	}
	if (!(w.in = calloc(job->n_filters, sizeof *w.in))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < job->n_filters; i++) {
		struct kudos_instance *in = NULL;
		if (kudos_instance_new(libs[i], job, &job->filters[i], store, &in, err))
			goto done;
		w.in[w.n_in++] = in;
		in->verbosity = opts->verbosity;
		in->stop = opts->stop;
		in->run_time = opts->run_time;
		if (asprintf(&in->state_key, "%s/%s", job->name, in->jp->where) < 0) {
			in->state_key = NULL;
			kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			goto done;
		}
		if (kudos_instance_init(in, err))
			goto done;
	}
	kudos_filter_setup(job, libs, setup);
	struct kudos_query q = {.sources = sources, .unfiltered = setup};
	kudos_progress_start(&w.progress, "filters", opts->progress && opts->verbosity > 0);
	if (kudos_store_begin(store, err))
		goto done;
	in_tx = 1;
	int walked = kudos_store_each(store, &q, filter_one, &w, err);
	kudos_progress_end(&w.progress);
	if (walked < 0)
		goto done;
	if (w.status) {
		filter_failed(&w, job, err);
		goto done;
	}
	if (save(store, &w, setup, err) || kudos_store_commit(store, err))
		goto done;
	in_tx = 0;
	*filtered = (long)w.n;
	rc = 0;
done:
	kudos_progress_end(&w.progress);
	if (in_tx)
		kudos_store_rollback(store);
	for (size_t i = 0; i < w.n_in; i++)
		kudos_instance_free(w.in[i]);
	free(w.in);
	free(w.failed_item);
	findings_free(&w);
	return rc;
}
