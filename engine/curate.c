#include "curate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first rule of `rules` that `it` matches, or NULL. */
static const struct kudos_rule *first_match(const struct kudos_rule *rules, size_t n,
                                            const struct kudos_item *it,
                                            const struct kudos_rule_ctx *ctx)
{
	for (size_t i = 0; i < n; i++)
		if (kudos_rule_matches(&rules[i], it, ctx))
			return &rules[i];
	return NULL;
}

/* Decisions are gathered first and written after the walk, so that no
 * write happens while the store's read statement is still open. */
struct decision {
	char *id;
	const struct kudos_rule *rule;
	const char *state;
};

struct pending {
	struct decision *v;
	size_t n, cap;
	const struct kudos_job *job;
	const struct kudos_rule_ctx *ctx;
	int oom;
};

static int collect_decision(void *ud, struct kudos_item *it)
{
	struct pending *p = ud;
	const char *state = "rejected";
	const struct kudos_rule *r =
		first_match(p->job->auto_reject, p->job->n_auto_reject, it, p->ctx);
	if (!r) {
		state = "approved";
		r = first_match(p->job->auto_approve, p->job->n_auto_approve, it, p->ctx);
	}
	if (!r)
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct decision *v = realloc(p->v, cap * sizeof *v);
		if (!v) {
			p->oom = 1;
			return 1;
		}
		p->v = v;
		p->cap = cap;
	}
	char *id = strdup(it->field[KUDOS_FIELD_ID]);
	if (!id) {
		p->oom = 1;
		return 1;
	}
	p->v[p->n++] = (struct decision){id, r, state};
	return 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct decision *)a)->id, ((const struct decision *)b)->id);
}

int kudos_curate(struct kudos_store *s, const struct kudos_job *job,
                 const char *const *sources, int64_t now, long *approved, long *rejected,
                 struct kudos_error *err)
{
	static const struct kudos_rule_ctx no_ctx = {0};
	struct pending p = {.job = job, .ctx = &no_ctx};
	struct kudos_query q = {.curation = "new", .sources = sources};
	int rc = -1;
	*approved = *rejected = 0;
	if (job->n_auto_approve == 0 && job->n_auto_reject == 0)
		return 0;
	if (kudos_store_begin(s, err))
		return -1;
	if (kudos_store_each(s, &q, collect_decision, &p, err) < 0)
		goto done;
	if (p.oom) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	/* Written in id order, the order the items' index visits them in:
	 * in listing order, 100,000 decisions met table pages at random. */
	if (p.n > 1)
		qsort(p.v, p.n, sizeof *p.v, by_id);
	for (size_t i = 0; i < p.n; i++) {
		const struct decision *d = &p.v[i];
		char actor[160], reason[200];
		int changed;
		snprintf(actor, sizeof actor, "rule:%s", d->rule->name);
		int approving = !strcmp(d->state, "approved");
		snprintf(reason, sizeof reason, "%s rule '%s' matched",
		         approving ? "auto_approve" : "auto_reject", d->rule->name);
		if (kudos_store_set_curation(s, d->id, d->state, actor, reason, now, &changed, err))
			goto done;
		*(approving ? approved : rejected) += changed;
	}
	if (kudos_store_commit(s, err))
		goto done;
	rc = 0;
done:
	if (rc)
		kudos_store_rollback(s);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i].id);
	free(p.v);
	return rc;
}
