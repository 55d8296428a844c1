#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"

/* What the output had published before this render. */
struct prev {
	struct kudos_publication *v; /* strings owned */
	size_t n;
	int oom;
};

static int keep_prev(void *ud, const struct kudos_publication *p)
{
	struct prev *pv = ud;
	struct kudos_publication *grown = realloc(pv->v, (pv->n + 1) * sizeof *grown);
	if (!grown) {
		pv->oom = 1;
		return 1;
	}
	pv->v = grown;
	struct kudos_publication c = {strdup(p->item_id), NULL, NULL, strdup(p->path),
	                              p->per_item, p->at};
	if (!c.item_id || !c.path) {
		free((char *)c.item_id);
		free((char *)c.path);
		pv->oom = 1;
		return 1;
	}
	pv->v[pv->n++] = c;
	return 0;
}

static void prev_free(struct prev *pv)
{
	for (size_t i = 0; i < pv->n; i++) {
		free((char *)pv->v[i].item_id);
		free((char *)pv->v[i].path);
	}
	free(pv->v);
}

/* Lookups are by binary search over sorted copies: a render of tens of
 * thousands of items compares each against the last render's records. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_file(const void *a, const void *b)
{
	const struct kudos_item_file *x = a, *y = b;
	int c = strcmp(x->item_id, y->item_id);
	return c ? c : strcmp(x->path, y->path);
}

static int listed(char *const *sorted_ids, size_t n, const char *id)
{
	return n && bsearch(&id, sorted_ids, n, sizeof *sorted_ids, cmp_str) != NULL;
}

/* Whether this render recorded `path` as `item_id`'s own file
 * (in->item_files sorted by cmp_file). */
static int still_its_file(const struct kudos_instance *in, const char *item_id,
                          const char *path)
{
	struct kudos_item_file key = {(char *)item_id, (char *)path};
	return in->n_item_files &&
	       bsearch(&key, in->item_files, in->n_item_files, sizeof key, cmp_file) != NULL;
}

/* Why an item is no longer in an output, in words for the report. */
static char *why_gone(struct kudos_store *s, const struct kudos_instance *in,
                      const char *item_id, int64_t now)
{
	struct kudos_item *it = NULL;
	struct kudos_error err = {0};
	char buf[1200];
	int verdict;
	if (kudos_store_get(s, item_id, &it, &err))
		return strdup("no longer in the store");
	if (kudos_gate_check(s, it, in->scope, now, &verdict, &err))
		snprintf(buf, sizeof buf, "could not be checked: %s", err.msg);
	else if (verdict == KUDOS_GATE_NOT_GRANTED)
		snprintf(buf, sizeof buf, "rights %s", it->field[KUDOS_FIELD_RIGHTS]);
	else if (verdict == KUDOS_GATE_NOT_APPROVED)
		snprintf(buf, sizeof buf, "curation %s", it->field[KUDOS_FIELD_CURATION]);
	else if (verdict == KUDOS_GATE_PASS)
		snprintf(buf, sizeof buf, "left out by the output (a limit or filter)");
	else
		snprintf(buf, sizeof buf, "%s", kudos_gate_reason(verdict));
	kudos_item_free(it);
	return strdup(buf);
}

static int push_str(char ***arr, size_t *n, const char *s)
{
	char **grown = realloc(*arr, (*n + 1) * sizeof **arr);
	char *copy = strdup(s);
	if (grown)
		*arr = grown;
	if (!grown || !copy) {
		free(copy);
		return -1;
	}
	(*arr)[(*n)++] = copy;
	return 0;
}

/* The takedown entry for `item_id` in this output, created on first use. */
static struct kudos_takedown *entry_for(struct kudos_takedowns *td, struct kudos_store *s,
                                        const struct kudos_instance *in, const char *item_id,
                                        int64_t now)
{
	for (size_t i = 0; i < td->n; i++)
		if (!strcmp(td->v[i].item_id, item_id) && !strcmp(td->v[i].entry, in->jp->where))
			return &td->v[i];
	struct kudos_takedown *grown = realloc(td->v, (td->n + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	td->v = grown;
	struct kudos_takedown *t = &td->v[td->n];
	*t = (struct kudos_takedown){.item_id = strdup(item_id),
	                             .plugin = strdup(in->desc->name),
	                             .entry = strdup(in->jp->where),
	                             .reason = why_gone(s, in, item_id, now)};
	if (!t->item_id || !t->plugin || !t->entry || !t->reason) {
		free(t->item_id);
		free(t->plugin);
		free(t->entry);
		free(t->reason);
		return NULL;
	}
	td->n++;
	return t;
}

/* Delete a file of the output's, refusing anything outside its folder. */
static int delete_file(const struct kudos_instance *in, const char *path,
                       struct kudos_error *err)
{
	size_t n = strlen(in->output_dir);
	if (strncmp(path, in->output_dir, n) != 0 || path[n] != '/' || strstr(path, "/../"))
		return 0; /* not ours to delete */
	if (in->dry_run || unlink(path) == 0 || errno == ENOENT)
		return 0;
	return kudos_fail(err, KUDOS_EXIT_FAIL, "%s: cannot delete %s: %s", in->label, path,
	                  strerror(errno));
}

/* With explicit placements, the items placed are the ones placed in some
 * file; (transfer full) list of borrowed ids, *n set. */
static char **placed_by_output(const struct kudos_instance *in, size_t *n)
{
	char **ids = malloc(in->n_placements * sizeof *ids);
	*n = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < in->n_placements; i++)
		ids[(*n)++] = in->placements[i].item_id;
	return ids;
}

int kudos_publish_settle(struct kudos_store *s, struct kudos_instance *in,
                         char *const *placed, size_t n, int64_t now,
                         struct kudos_takedowns *td, struct kudos_error *err)
{
	struct prev pv = {0};
	int rc = -1;
	char **sorted;
	if (in->n_placements) {
		sorted = placed_by_output(in, &n);
	} else if ((sorted = n ? malloc(n * sizeof *sorted) : NULL)) {
		memcpy(sorted, placed, n * sizeof *sorted);
	}
	if (n && !sorted)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	if (n)
		qsort(sorted, n, sizeof *sorted, cmp_str);
	if (in->n_item_files)
		qsort(in->item_files, in->n_item_files, sizeof *in->item_files, cmp_file);
	placed = sorted;
	if (kudos_store_begin(s, err)) {
		free(sorted);
		return -1;
	}
	if (kudos_store_each_publication(s, NULL, in->state_key, NULL, keep_prev, &pv, err))
		goto done;
	if (pv.oom)
		goto oom;
	for (size_t i = 0; i < pv.n; i++) {
		const struct kudos_publication *p = &pv.v[i];
		int gone = !listed(placed, n, p->item_id);
		int stale = p->per_item && (gone || !still_its_file(in, p->item_id, p->path));
		if (stale && delete_file(in, p->path, err))
			goto done;
		if (!gone)
			continue;
		struct kudos_takedown *t = entry_for(td, s, in, p->item_id, now);
		if (!t || push_str(&t->paths, &t->n_paths, p->path) ||
		    (stale && push_str(&t->deleted, &t->n_deleted, p->path)))
			goto oom;
	}
	if (kudos_store_forget_publications(s, in->state_key, NULL, err))
		goto done;
	if (in->n_placements) {
		/* The output said which file holds which item. */
		for (size_t i = 0; i < in->n_placements; i++) {
			struct kudos_publication p = {in->placements[i].item_id, in->state_key,
			                              in->desc->name, in->placements[i].path, 0, now};
			if (kudos_store_record_publication(s, &p, err))
				goto done;
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			struct kudos_publication p = {placed[i], in->state_key, in->desc->name, NULL,
			                              0, now};
			for (size_t f = 0; f < in->n_written; f++) {
				p.path = in->written[f];
				if (kudos_store_record_publication(s, &p, err))
					goto done;
			}
		}
	}
	for (size_t f = 0; f < in->n_item_files; f++) {
		if (!listed(placed, n, in->item_files[f].item_id))
			continue; /* written, then left out by the output itself */
		struct kudos_publication p = {in->item_files[f].item_id, in->state_key,
		                              in->desc->name, in->item_files[f].path, 1, now};
		if (kudos_store_record_publication(s, &p, err))
			goto done;
	}
	if (kudos_store_commit(s, err))
		goto done;
	rc = 0;
	goto done;
oom:
	kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
done:
	if (rc)
		kudos_store_rollback(s);
	prev_free(&pv);
	free(sorted);
	return rc;
}

void kudos_takedowns_free(struct kudos_takedowns *td)
{
	for (size_t i = 0; i < td->n; i++) {
		struct kudos_takedown *t = &td->v[i];
		free(t->item_id);
		free(t->plugin);
		free(t->entry);
		free(t->reason);
		for (size_t j = 0; j < t->n_paths; j++)
			free(t->paths[j]);
		free(t->paths);
		for (size_t j = 0; j < t->n_deleted; j++)
			free(t->deleted[j]);
		free(t->deleted);
	}
	free(td->v);
	td->v = NULL;
	td->n = 0;
}
