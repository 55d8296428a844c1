#include "curate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rule_matches(const struct kudos_rule *r, const struct kudos_item *it)
{
	int results[2], n = 0;
	if (r->has_min_rating)
		results[n++] = it->has_rating && it->rating_scale > 0 &&
		               it->rating * 5.0 / it->rating_scale >= r->min_rating;
	if (r->rights) {
		const char *rights = it->field[KUDOS_FIELD_RIGHTS];
		results[n++] = rights && strcmp(rights, r->rights) == 0;
	}
	if (n == 0)
		return 0; /* the job loader refuses empty rules; be safe anyway */
	for (int i = 0; i < n; i++) {
		if (r->any && results[i])
			return 1;
		if (!r->any && !results[i])
			return 0;
	}
	return !r->any;
}

const struct kudos_rule *kudos_rules_match(const struct kudos_rule *rules, size_t n,
                                           const struct kudos_item *it)
{
	for (size_t i = 0; i < n; i++)
		if (rule_matches(&rules[i], it))
			return &rules[i];
	return NULL;
}

/* Decisions are gathered first and written after the walk, so that no
 * write happens while the store's read statement is still open. */
struct pending {
	char **ids;
	const struct kudos_rule **rules;
	size_t n;
	const struct kudos_job *job;
	int oom;
};

static int collect_decision(void *ud, struct kudos_item *it)
{
	struct pending *p = ud;
	const struct kudos_rule *r =
		kudos_rules_match(p->job->auto_approve, p->job->n_auto_approve, it);
	if (!r)
		return 0;
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
	p->n++;
	return 0;
}

int kudos_curate(struct kudos_store *s, const struct kudos_job *job,
                 const char *const *sources, int64_t now, long *approved,
                 struct kudos_error *err)
{
	struct pending p = {.job = job};
	struct kudos_query q = {.curation = "new", .sources = sources};
	int rc = -1;
	*approved = 0;
	if (job->n_auto_approve == 0)
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
		snprintf(reason, sizeof reason, "auto_approve rule '%s' matched", p.rules[i]->name);
		if (kudos_store_set_curation(s, p.ids[i], "approved", actor, reason, now, &changed,
		                             err))
			goto done;
		*approved += changed;
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
	return rc;
}
