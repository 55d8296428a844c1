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
struct pending {
	char **ids;
	const struct kudos_rule **rules;
	const char **states;
	size_t n;
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
	const char **states = realloc(p->states, (p->n + 1) * sizeof *states);
	if (!states) {
		p->oom = 1;
		return 1;
	}
	p->states = states;
	char **ids = realloc(p->ids, (p->n + 1) * sizeof *ids);
	if (ids)
		p->ids = ids;
	const struct kudos_rule **rules = realloc(p->rules, (p->n + 1) * sizeof *rules);
	if (rules)
		p->rules = rules;
	char *id = strdup(it->field[KUDOS_FIELD_ID]);
	if (!ids || !rules || !id) {
		free(id);
		p->oom = 1;
		return 1;
	}
	p->ids[p->n] = id;
	p->rules[p->n] = r;
	p->states[p->n] = state;
	p->n++;
	return 0;
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
	for (size_t i = 0; i < p.n; i++) {
		char actor[160], reason[200];
		int changed;
		snprintf(actor, sizeof actor, "rule:%s", p.rules[i]->name);
		int approving = !strcmp(p.states[i], "approved");
		snprintf(reason, sizeof reason, "%s rule '%s' matched",
		         approving ? "auto_approve" : "auto_reject", p.rules[i]->name);
		if (kudos_store_set_curation(s, p.ids[i], p.states[i], actor, reason, now, &changed,
		                             err))
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
		free(p.ids[i]);
	free(p.ids);
	free(p.rules);
	free(p.states);
	return rc;
}
