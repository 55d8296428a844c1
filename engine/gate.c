#include "gate.h"

#include <stdlib.h>
#include <string.h>

static const char *const scope_names[] = {"web", "print", "social", "ads"};

const char *kudos_gate_reason(int verdict)
{
	switch (verdict) {
	case KUDOS_GATE_PASS: return "passes";
	case KUDOS_GATE_NOT_APPROVED: return "not approved";
	case KUDOS_GATE_NOT_GRANTED: return "rights not granted";
	case KUDOS_GATE_OUT_OF_SCOPE: return "grant does not cover this scope";
	case KUDOS_GATE_OUTSIDE_WINDOW: return "outside the grant's window";
	case KUDOS_GATE_OPTED_OUT: return "author opted out";
	default: return "refused";
	}
}

int kudos_scope_valid(const char *scope)
{
	for (size_t i = 0; scope && i < 4; i++)
		if (strcmp(scope, scope_names[i]) == 0)
			return 1;
	return 0;
}

char *kudos_scopes_canonical(const char *list)
{
	int seen[4] = {0};
	char *copy = list ? strdup(list) : NULL, *save = NULL, out[32] = "";
	if (!copy)
		return NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		size_t i = 0;
		while (i < 4 && strcmp(scope_names[i], t) != 0)
			i++;
		if (i == 4) {
			free(copy);
			return NULL;
		}
		seen[i] = 1;
	}
	free(copy);
	for (size_t i = 0; i < 4; i++) {
		if (!seen[i])
			continue;
		if (*out)
			strcat(out, ",");
		strcat(out, scope_names[i]);
	}
	return *out ? strdup(out) : NULL;
}

/* Whether the comma-separated `list` holds `scope` as a whole entry. */
static int scopes_include(const char *list, const char *scope)
{
	size_t n = strlen(scope);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, scope, n) == 0)
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int kudos_gate_check(struct kudos_store *s, const struct kudos_item *it,
                     const char *scope, int64_t at, int *verdict,
                     struct kudos_error *err)
{
	const char *curation = it->field[KUDOS_FIELD_CURATION];
	const char *rights = it->field[KUDOS_FIELD_RIGHTS];
	int opted_out = 0;
	if (!curation || strcmp(curation, "approved") != 0)
		*verdict = KUDOS_GATE_NOT_APPROVED;
	else if (!rights || strcmp(rights, "granted") != 0 || !it->has_grant)
		*verdict = KUDOS_GATE_NOT_GRANTED;
	else if (!kudos_scope_valid(scope) || !scopes_include(it->grant.scopes, scope))
		*verdict = KUDOS_GATE_OUT_OF_SCOPE;
	else if ((it->grant.from && at < it->grant.from) ||
	         (it->grant.until && at >= it->grant.until))
		*verdict = KUDOS_GATE_OUTSIDE_WINDOW;
	else if (kudos_store_opted_out(s, it, &opted_out, err))
		return -1;
	else
		*verdict = opted_out ? KUDOS_GATE_OPTED_OUT : KUDOS_GATE_PASS;
	return 0;
}

/* Reduce the author to what the credit preference allows: the display
 * name replaces the real one, and the identifying handle, profile and
 * avatar go unless the creator asked to be credited in full or by handle. */
static int redact(struct kudos_item *it)
{
	const char *pref = it->grant.credit ? it->grant.credit : "full";
	int keep_links = !strcmp(pref, "full") || !strcmp(pref, "handle");
	if (kudos_item_put(it, KUDOS_FIELD_AUTHOR_NAME, it->field[KUDOS_FIELD_CREDIT]))
		return -1;
	if (!keep_links) {
		kudos_item_put(it, KUDOS_FIELD_AUTHOR_HANDLE, NULL);
		kudos_item_put(it, KUDOS_FIELD_AUTHOR_URL, NULL);
		kudos_item_put(it, KUDOS_FIELD_AUTHOR_AVATAR, NULL);
	}
	if (!strcmp(pref, "anonymous"))
		kudos_item_put(it, KUDOS_FIELD_AUTHOR_ROLE, NULL);
	return 0;
}

struct walk {
	struct kudos_store *s;
	const char *scope;
	int64_t at;
	kudos_gate_fn fn;
	void *ud;
	long refused;
	struct kudos_error *err;
	int failed;
};

static int visit(void *ud, struct kudos_item *it)
{
	struct walk *w = ud;
	int verdict;
	if (kudos_gate_check(w->s, it, w->scope, w->at, &verdict, w->err)) {
		w->failed = 1;
		return 1;
	}
	if (verdict != KUDOS_GATE_PASS) {
		w->refused++;
		return 0;
	}
	/* The store loaded `it` for this call alone, so redacting it in place
	 * leaves nothing unredacted for an output to find. */
	if (redact(it)) {
		w->failed = 1;
		kudos_fail(w->err, KUDOS_EXIT_FAIL, "out of memory");
		return 1;
	}
	return w->fn(w->ud, it);
}

int kudos_gate_each(struct kudos_store *s, const char *const *sources,
                    const char *scope, int64_t at, kudos_gate_fn fn, void *ud,
                    long *refused, struct kudos_error *err)
{
	struct walk w = {s, scope, at, fn, ud, 0, err, 0};
	struct kudos_query q = {.sources = sources};
	if (!kudos_scope_valid(scope))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "scope '%s' is not one of web, print, social, ads", scope);
	int rc = kudos_store_each(s, &q, visit, &w, err);
	if (refused)
		*refused = w.refused;
	if (rc < 0 || w.failed)
		return -1;
	return rc;
}
