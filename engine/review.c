#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "request.h"
#include "rights.h"

/* What the review keeps of each item of the job: enough to order the
 * queue and to list duplicate groups, not the item itself (a queue of
 * 100,000 items would not fit comfortably). */
struct entry {
	char *id;
	char *rep;           /* the representative of its duplicate group, or NULL */
	char curation[16];
	int flagged;         /* a flag other than `duplicate` */
	double rating;       /* on a 5 scale; unrated: 3 */
	double sentiment;    /* none: 0 */
	int64_t when;
};

enum undo_kind { UNDO_CURATION, UNDO_RIGHTS };

struct undo {
	size_t pos;          /* the queue position the decision was taken at */
	size_t entry;
	enum undo_kind kind;
	const char *what;    /* "approve", "reject", "request", "grant" */
	char from[16], to[16];
};

struct kudos_review {
	struct kudos_store *s;
	const struct kudos_job *job;
	char *actor;
	char *template_name;
	struct entry *all;   /* every item of the job, in review order */
	size_t n_all, cap_all;
	size_t *by_id;       /* indices into all, sorted by id */
	size_t *by_group;    /* indices into all, by group, representative first */
	size_t *queue;       /* indices into all: what the review walks */
	size_t n_queue, pos;
	struct undo *undo;
	size_t n_undo, cap_undo;
	struct undo undone;  /* the last decision taken back */
	struct kudos_review_peer *peers;
	size_t decided, skipped;
};

/* ---- loading and ordering ----------------------------------------------- */

static int only_duplicate(const char *flags)
{
	return !flags || !*flags || strcmp(flags, "duplicate") == 0;
}

static int add_entry(void *ud, struct kudos_item *it)
{
	struct kudos_review *r = ud;
	if (r->n_all == r->cap_all) {
		size_t cap = r->cap_all ? r->cap_all * 2 : 256;
		struct entry *v = realloc(r->all, cap * sizeof *v);
		if (!v)
			return 1;
		r->all = v;
		r->cap_all = cap;
	}
	struct entry *e = &r->all[r->n_all];
	memset(e, 0, sizeof *e);
	if (!(e->id = strdup(it->field[KUDOS_FIELD_ID])))
		return 1;
	if (it->duplicate_of && !(e->rep = strdup(it->duplicate_of))) {
		free(e->id);
		return 1;
	}
	snprintf(e->curation, sizeof e->curation, "%s", it->field[KUDOS_FIELD_CURATION]);
	e->flagged = !only_duplicate(it->flags);
	e->rating = it->has_rating && it->rating_scale > 0 ? it->rating * 5.0 / it->rating_scale
	                                                   : 3.0;
	e->sentiment = it->has_sentiment ? it->sentiment : 0.0;
	e->when = it->has_time[KUDOS_TIME_CREATED] ? it->time[KUDOS_TIME_CREATED]
	                                           : it->collected_at;
	r->n_all++;
	return 0;
}

static int review_order(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->flagged != b->flagged)
		return a->flagged - b->flagged;
	if (a->rating != b->rating)
		return a->rating > b->rating ? -1 : 1;
	if (a->sentiment != b->sentiment)
		return a->sentiment > b->sentiment ? -1 : 1;
	if (a->when != b->when)
		return a->when > b->when ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* qsort has no context argument in C11: the index sorts go through a
 * small struct carrying the entry's fields they need. */
struct keyed {
	const char *key;
	int member;
	size_t index;
};

static int keyed_order(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->member != b->member)
		return a->member - b->member;
	return a->index < b->index ? -1 : a->index > b->index;
}

static size_t find(const struct kudos_review *r, const char *id)
{
	size_t lo = 0, hi = r->n_all;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->all[r->by_id[mid]].id, id);
		if (c == 0)
			return r->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

/* The group an entry belongs to: its representative's id when that is an
 * item of the job, else its own. */
static const char *group_of(const struct kudos_review *r, const struct entry *e)
{
	return e->rep && find(r, e->rep) != (size_t)-1 ? e->rep : e->id;
}

/* The range of by_group holding group `key`. */
static size_t group_start(const struct kudos_review *r, const char *key)
{
	size_t lo = 0, hi = r->n_all;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(group_of(r, &r->all[r->by_group[mid]]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int is_new(const struct entry *e)
{
	return strcmp(e->curation, "new") == 0;
}

static int build(struct kudos_review *r)
{
	struct keyed *k = NULL;
	size_t n = r->n_all;
	int rc = -1;
	qsort(r->all, n, sizeof *r->all, review_order);
	r->by_id = malloc((n + 1) * sizeof *r->by_id);
	r->by_group = malloc((n + 1) * sizeof *r->by_group);
	r->queue = malloc((n + 1) * sizeof *r->queue);
	k = malloc((n + 1) * sizeof *k);
	if (!r->by_id || !r->by_group || !r->queue || !k)
		goto done;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){r->all[i].id, 0, i};
	qsort(k, n, sizeof *k, keyed_order);
	for (size_t i = 0; i < n; i++)
		r->by_id[i] = k[i].index;
	for (size_t i = 0; i < n; i++) {
		const char *g = group_of(r, &r->all[i]);
		k[i] = (struct keyed){g, g != r->all[i].id, i};
	}
	qsort(k, n, sizeof *k, keyed_order);
	for (size_t i = 0; i < n; i++)
		r->by_group[i] = k[i].index;

	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &r->all[i];
		const char *g = group_of(r, e);
		if (!is_new(e))
			continue;
		/* A duplicate whose representative waits too comes with it. */
		if (g != e->id && is_new(&r->all[find(r, g)]))
			continue;
		r->queue[r->n_queue++] = i;
		if (g != e->id)
			continue;
		for (size_t j = group_start(r, g) + 1; j < n; j++) {
			const struct entry *m = &r->all[r->by_group[j]];
			if (strcmp(group_of(r, m), g) != 0)
				break;
			if (is_new(m))
				r->queue[r->n_queue++] = r->by_group[j];
		}
	}
	rc = 0;
done:
	free(k);
	return rc;
}

int kudos_review_open(struct kudos_store *s, const struct kudos_job *job, const char *actor,
                      const char *template_name, struct kudos_review **out,
                      struct kudos_error *err)
{
	struct kudos_review *r = calloc(1, sizeof *r);
	const char **sources = NULL;
	int rc = -1;
	*out = NULL;
	if (!r)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	r->s = s;
	r->job = job;
	if (kudos_request_template_check(job, template_name, err))
		goto done;
	if (asprintf(&r->actor, "review:%s", actor) < 0) {
		r->actor = NULL;
		goto oom;
	}
	if (!(r->template_name = strdup(template_name)))
		goto oom;
	sources = kudos_job_source_names(job);
	if (job->n_sources && !sources)
		goto oom;
	struct kudos_query q = {.sources = sources};
	int each = kudos_store_each(s, &q, add_entry, r, err);
	if (each < 0)
		goto done;
	if (each > 0 || build(r))
		goto oom;
	*out = r;
	r = NULL;
	rc = 0;
	goto done;
oom:
	kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
done:
	free(sources);
	kudos_review_free(r);
	return rc;
}

void kudos_review_free(struct kudos_review *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_all; i++) {
		free(r->all[i].id);
		free(r->all[i].rep);
	}
	free(r->all);
	free(r->by_id);
	free(r->by_group);
	free(r->queue);
	free(r->undo);
	free(r->peers);
	free(r->actor);
	free(r->template_name);
	free(r);
}

void kudos_review_status(const struct kudos_review *r, struct kudos_review_status *st)
{
	st->position = r->pos;
	st->total = r->n_queue;
	st->decided = r->decided;
	st->skipped = r->skipped;
	st->undoable = r->n_undo;
	st->actor = r->actor;
}

int kudos_review_current(struct kudos_review *r, struct kudos_item **out, size_t *passed,
                         struct kudos_error *err)
{
	*out = NULL;
	if (passed)
		*passed = 0;
	while (r->pos < r->n_queue) {
		struct entry *e = &r->all[r->queue[r->pos]];
		struct kudos_item *it = NULL;
		if (kudos_store_get(r->s, e->id, &it, err))
			return -1;
		snprintf(e->curation, sizeof e->curation, "%s", it->field[KUDOS_FIELD_CURATION]);
		if (is_new(e)) {
			*out = it;
			return 0;
		}
		kudos_item_free(it);
		r->pos++;
		if (passed)
			++*passed;
	}
	return 0;
}

size_t kudos_review_peers(struct kudos_review *r, const char *id,
                          const struct kudos_review_peer **out)
{
	size_t at = find(r, id), n = 0;
	*out = NULL;
	if (at == (size_t)-1)
		return 0;
	const char *g = group_of(r, &r->all[at]);
	size_t start = group_start(r, g), end = start;
	while (end < r->n_all && strcmp(group_of(r, &r->all[r->by_group[end]]), g) == 0)
		end++;
	if (end - start < 2)
		return 0;
	struct kudos_review_peer *v = realloc(r->peers, (end - start) * sizeof *v);
	if (!v)
		return 0;
	r->peers = v;
	for (size_t j = start; j < end; j++) {
		const struct entry *m = &r->all[r->by_group[j]];
		if (r->by_group[j] != at)
			v[n++] = (struct kudos_review_peer){m->id, m->curation, strcmp(m->id, g) == 0};
	}
	*out = v;
	return n;
}

/* ---- decisions ----------------------------------------------------------- */

static struct entry *current_entry(struct kudos_review *r, struct kudos_error *err)
{
	if (r->pos >= r->n_queue) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "nothing left to review");
		return NULL;
	}
	return &r->all[r->queue[r->pos]];
}

/* The undo stack grows before the decision is saved, so that a decision
 * on the store always has its way back: push_undo then cannot fail. */
static int reserve_undo(struct kudos_review *r, struct kudos_error *err)
{
	if (r->n_undo < r->cap_undo)
		return 0;
	size_t cap = r->cap_undo ? r->cap_undo * 2 : 16;
	struct undo *v = realloc(r->undo, cap * sizeof *v);
	if (!v)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	r->undo = v;
	r->cap_undo = cap;
	return 0;
}

static void push_undo(struct kudos_review *r, enum undo_kind kind, const char *what,
                      const char *from, const char *to)
{
	struct undo *u = &r->undo[r->n_undo++];
	*u = (struct undo){r->pos, r->queue[r->pos], kind, what, "", ""};
	snprintf(u->from, sizeof u->from, "%s", from);
	snprintf(u->to, sizeof u->to, "%s", to);
}

static int decide(struct kudos_review *r, const char *to, const char *what, const char *reason,
                  int64_t now, struct kudos_error *err)
{
	struct entry *e = current_entry(r, err);
	if (!e || reserve_undo(r, err) || kudos_store_begin(r->s, err))
		return -1;
	if (kudos_store_change_curation(r->s, e->id, "new", to, "curation", r->actor,
	                                reason && *reason ? reason : NULL, now, err)) {
		kudos_store_rollback(r->s);
		return -1;
	}
	if (kudos_store_commit(r->s, err))
		return -1;
	push_undo(r, UNDO_CURATION, what, "new", to);
	snprintf(e->curation, sizeof e->curation, "%s", to);
	r->decided++;
	r->pos++;
	return 0;
}

int kudos_review_approve(struct kudos_review *r, int64_t now, struct kudos_error *err)
{
	return decide(r, "approved", "approve", NULL, now, err);
}

int kudos_review_reject(struct kudos_review *r, const char *reason, int64_t now,
                        struct kudos_error *err)
{
	return decide(r, "rejected", "reject", reason, now, err);
}

int kudos_review_request(struct kudos_review *r, int64_t now, char **message,
                         struct kudos_error *err)
{
	char from[16];
	struct entry *e = current_entry(r, err);
	*message = NULL;
	if (!e || reserve_undo(r, err) || kudos_store_begin(r->s, err))
		return -1;
	if (kudos_store_rights_of(r->s, e->id, from, err) ||
	    kudos_request_item(r->s, r->job, e->id, r->template_name, NULL, r->actor, now, message,
	                       err)) {
		kudos_store_rollback(r->s);
		return -1;
	}
	if (kudos_store_commit(r->s, err)) {
		free(*message);
		*message = NULL;
		return -1;
	}
	push_undo(r, UNDO_RIGHTS, "request", from, "requested");
	return 0;
}

int kudos_review_grant(struct kudos_review *r, const char *scopes, const char *evidence,
                       int64_t now, struct kudos_error *err)
{
	char from[16];
	struct entry *e = current_entry(r, err);
	if (!e)
		return -1;
	char *canon = kudos_scopes_canonical(scopes);
	struct kudos_grant_input g = {.scopes = canon, .evidence = evidence, .credit = "full"};
	int rc = -1;
	if (!canon) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "scopes '%s': give one or more of web, print, "
		           "social, ads, separated by commas", scopes ? scopes : "");
		goto done;
	}
	if (!evidence || !*evidence) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "a grant needs evidence: the creator's words or "
		           "where they gave permission (a reply's link, a signed form)");
		goto done;
	}
	if (reserve_undo(r, err) || kudos_store_begin(r->s, err))
		goto done;
	if (kudos_store_rights_of(r->s, e->id, from, err) ||
	    kudos_rights_grant(r->s, e->id, &g, r->actor, &r->job->terms, now, err)) {
		kudos_store_rollback(r->s);
		goto done;
	}
	if (kudos_store_commit(r->s, err))
		goto done;
	push_undo(r, UNDO_RIGHTS, "grant", from, "granted");
	rc = 0;
done:
	free(canon);
	return rc;
}

void kudos_review_skip(struct kudos_review *r)
{
	if (r->pos < r->n_queue) {
		r->pos++;
		r->skipped++;
	}
}

int kudos_review_undo(struct kudos_review *r, int64_t now, const char **what,
                      const char **id, struct kudos_error *err)
{
	char state[16], detail[96];
	if (r->n_undo == 0)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "nothing to undo in this review");
	r->undone = r->undo[--r->n_undo];
	struct undo *u = &r->undone;
	struct entry *e = &r->all[u->entry];
	if (what)
		*what = u->what;
	if (id)
		*id = e->id;
	snprintf(detail, sizeof detail, "takes back the review's %s", u->what);
	if (kudos_store_begin(r->s, err))
		goto refused;
	int rc;
	if (u->kind == UNDO_CURATION) {
		rc = kudos_store_change_curation(r->s, e->id, u->to, u->from, "undo", r->actor, detail,
		                                 now, err);
	} else {
		rc = kudos_store_rights_of(r->s, e->id, state, err);
		if (rc == 0 && strcmp(state, u->to) != 0)
			rc = kudos_fail(err, KUDOS_EXIT_INPUT,
			                "%s: rights are %s now, no longer %s: something else changed "
			                "them since (`kudos history %s` says what), so the %s stays",
			                e->id, state, u->to, e->id, u->what);
		if (rc == 0)
			rc = kudos_store_set_rights(r->s, e->id, u->from, r->actor, "undo", detail, now,
			                            err);
	}
	if (rc) {
		kudos_store_rollback(r->s);
		goto refused;
	}
	if (kudos_store_commit(r->s, err))
		goto refused;
	if (u->kind == UNDO_CURATION) {
		snprintf(e->curation, sizeof e->curation, "%s", u->from);
		r->decided--;
	}
	r->pos = u->pos;
	return 0;
refused:
	/* A decision overtaken by someone else's cannot be taken back: it
	 * leaves the stack, so that the ones before it still can.  One that
	 * failed for another reason (a busy store) stays, to try again. */
	if (err->status != KUDOS_EXIT_INPUT)
		r->n_undo++;
	return -1;
}
