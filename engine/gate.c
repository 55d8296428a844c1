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

int kudos_gate_decide(const struct kudos_gate_facts *f, const char *scope, int64_t at)
{
	if (!f->curation || strcmp(f->curation, "approved") != 0)
		return KUDOS_GATE_NOT_APPROVED;
	if (!f->rights || strcmp(f->rights, "granted") != 0 || !f->has_grant)
		return KUDOS_GATE_NOT_GRANTED;
	if (!kudos_scope_valid(scope) || !scopes_include(f->scopes, scope))
		return KUDOS_GATE_OUT_OF_SCOPE;
	if ((f->from && at < f->from) || (f->until && at >= f->until))
		return KUDOS_GATE_OUTSIDE_WINDOW;
	return f->opted_out ? KUDOS_GATE_OPTED_OUT : KUDOS_GATE_PASS;
}

static struct kudos_gate_facts facts_of(const struct kudos_item *it)
{
	return (struct kudos_gate_facts){it->field[KUDOS_FIELD_CURATION],
	                                 it->field[KUDOS_FIELD_RIGHTS],
	                                 it->grant.scopes,
	                                 it->has_grant,
	                                 it->grant.from,
	                                 it->grant.until,
	                                 0};
}

int kudos_gate_check(struct kudos_store *s, const struct kudos_item *it,
                     const char *scope, int64_t at, int *verdict,
                     struct kudos_error *err)
{
	struct kudos_gate_facts f = facts_of(it);
	*verdict = kudos_gate_decide(&f, scope, at);
	/* The opt-out list costs a query: read it only when it decides. */
	if (*verdict != KUDOS_GATE_PASS)
		return 0;
	if (kudos_store_opted_out(s, it, &f.opted_out, err))
		return -1;
	*verdict = kudos_gate_decide(&f, scope, at);
	return 0;
}

int kudos_gate_check_span(struct kudos_store *s, const struct kudos_item *it,
                          const char *scope, int64_t from, int64_t until, int *verdict,
                          struct kudos_error *err)
{
	int64_t at = from;
	/* A window opening inside the span passes from its opening on; one
	 * opening after the span is judged at the span's start (and fails). */
	if (it->has_grant && it->grant.from > from && it->grant.from < until)
		at = it->grant.from;
	return kudos_gate_check(s, it, scope, at, verdict, err);
}

/* ---- the book of a planning output ------------------------------------ */

int kudos_gate_book_add(struct kudos_gate_book *b, const struct kudos_item *it)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct kudos_gate_record *v = realloc(b->v, cap * sizeof *v);
		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	const char *scopes = it->has_grant ? it->grant.scopes : NULL;
	struct kudos_gate_record r = {
		strdup(it->field[KUDOS_FIELD_ID]),
		it->field[KUDOS_FIELD_CURATION] ? strdup(it->field[KUDOS_FIELD_CURATION]) : NULL,
		it->field[KUDOS_FIELD_RIGHTS] ? strdup(it->field[KUDOS_FIELD_RIGHTS]) : NULL,
		scopes ? strdup(scopes) : NULL,
		it->has_grant,
		it->grant.from,
		it->grant.until,
	};
	if (!r.id || (it->field[KUDOS_FIELD_CURATION] && !r.curation) ||
	    (it->field[KUDOS_FIELD_RIGHTS] && !r.rights) || (scopes && !r.scopes)) {
		free(r.id);
		free(r.curation);
		free(r.rights);
		free(r.scopes);
		return -1;
	}
	b->v[b->n++] = r;
	return 0;
}

static int cmp_record(const void *a, const void *b)
{
	return strcmp(((const struct kudos_gate_record *)a)->id,
	              ((const struct kudos_gate_record *)b)->id);
}

int kudos_gate_book_check(struct kudos_gate_book *b, const char *id, const char *scope,
                          int64_t at, int *verdict)
{
	const struct kudos_gate_record *r = NULL;
	if (!id || !b->n)
		return -1;
	/* During consume() an output asks about the item it holds: the one
	 * added last.  Anything else sorts the book once (flush() asks about
	 * every item, after the last was added). */
	if (!strcmp(b->v[b->n - 1].id, id)) {
		r = &b->v[b->n - 1];
	} else {
		if (b->sorted != b->n) {
			qsort(b->v, b->n, sizeof *b->v, cmp_record);
			b->sorted = b->n;
		}
		struct kudos_gate_record key = {.id = (char *)id};
		r = bsearch(&key, b->v, b->n, sizeof *b->v, cmp_record);
	}
	if (!r)
		return -1;
	/* Not opted out: the book keeps only items that passed, and the
	 * opt-out list does not change during a render. */
	struct kudos_gate_facts f = {r->curation, r->rights, r->scopes, r->has_grant,
	                             r->from, r->until, 0};
	*verdict = kudos_gate_decide(&f, scope, at);
	return 0;
}

void kudos_gate_book_free(struct kudos_gate_book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].id);
		free(b->v[i].curation);
		free(b->v[i].rights);
		free(b->v[i].scopes);
	}
	free(b->v);
	memset(b, 0, sizeof *b);
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
	int64_t from, until;
	struct kudos_gate_book *book;
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
	if (kudos_gate_check_span(w->s, it, w->scope, w->from, w->until, &verdict, w->err)) {
		w->failed = 1;
		return 1;
	}
	if (verdict != KUDOS_GATE_PASS) {
		w->refused++;
		return 0;
	}
	/* The facts are kept before redaction; the store loaded `it` for this
	 * call alone, so redacting it in place leaves nothing unredacted for
	 * an output to find. */
	if ((w->book && kudos_gate_book_add(w->book, it)) || redact(it)) {
		w->failed = 1;
		kudos_fail(w->err, KUDOS_EXIT_FAIL, "out of memory");
		return 1;
	}
	return w->fn(w->ud, it);
}

int kudos_gate_each_span(struct kudos_store *s, const char *const *sources,
                         const char *scope, int64_t from, int64_t until,
                         struct kudos_gate_book *book, kudos_gate_fn fn, void *ud,
                         long *refused, struct kudos_error *err)
{
	struct walk w = {s, scope, from, until, book, fn, ud, 0, err, 0};
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

int kudos_gate_each(struct kudos_store *s, const char *const *sources,
                    const char *scope, int64_t at, kudos_gate_fn fn, void *ud,
                    long *refused, struct kudos_error *err)
{
	/* [at, at + 1) is the instant `at` alone. */
	return kudos_gate_each_span(s, sources, scope, at, at + 1, NULL, fn, ud, refused, err);
}
