/*
 * One Typeform response -> one `form_answer` item, as the job's "fields"
 * mapping says (tf_config.h).
 *
 * A response is an element of the Responses API's items[] or the
 * form_response of a webhook event: {token, response_id (API),
 * response_type (API: completed, partial, started), landed_at,
 * submitted_at, hidden {...}, answers [...], definition (webhook)}.
 *
 * Contract: tf_response() reads `resp` (named `at` in messages) and
 *   - takes `token` as the external id, else `response_id` (the two are
 *     the same response; token is the one webhooks carry too, so a
 *     response seen by both paths is one item);
 *   - skips, counted and without a warning, a response that is not
 *     completed (response_type partial / started) or has no answer for
 *     fields.text (an optional question left blank);
 *   - sets the text (answers trimmed, several fields joined by a blank
 *     line), title, author name and role, the rating on rating_scale,
 *     submitted_at as the creation time, and meta form_id; no author name
 *     -> meta author_missing=true;
 *   - grants consent_scopes when fields.consent reads yes, with evidence
 *     naming the form, the question, the answer, the response and the
 *     file; an answer that is neither yes nor no grants nothing and is
 *     warned about;
 *   - notes every field ref / id and hidden field it sees, for
 *     tf_report().
 * A response of the wrong shape (not an object, no id, answers not a
 * list) is skipped with a warning naming the file and `at`.
 * RETURN VALUE KUDOS_OK, or a store / memory failure after set_error().
 *
 * tf_report() warns once for every mapped field that no collected page
 * had, listing the refs (or ids) and hidden fields that were seen, in the
 * order they were first seen.
 *
 * Pages are read on several threads at once (kudos_js_each_page), each in
 * a struct tf_collect of its own.  Counts add up in struct tf_totals with
 * atomics; what a page saw is kept there by tf_seen_keep() until the loop
 * is done, because the order of the names in the report is the order of
 * the pages, which only tf_seen_merge() knows.
 */
#ifndef KUDOS_TF_RESPONSE_H
#define KUDOS_TF_RESPONSE_H

#include <kudos/json_page.h>
#include "tf_config.h"

#define TF_NAMES_MAX 40

struct tf_names {
	char *name[TF_NAMES_MAX];
	int n;
	int more; /* some were not kept */
};

/* One page being read (or, for tf_report(), the whole run). */
struct tf_collect {
	struct kudos_jp_run r;
	const struct tf_ctx *cx; /* read-only while pages are read */
	int seen[TF_ROLES][TF_MAX_PARTS];
	struct tf_names fields; /* refs (or ids) seen */
	struct tf_names hidden; /* hidden field names seen */
	long unfinished, no_text, consented;
	int oom;
};

/* What the page says about the form (every member may be NULL). */
struct tf_form {
	const char *form_id;
	const cJSON *definition; /* webhook: {id, title, fields: [...]} */
};

int tf_response(struct tf_collect *c, const cJSON *resp, const char *at,
                const struct tf_form *form);
/* Note the fields, answers and hidden fields of `resp` (and of the form's
 * `definition`, may be NULL) as seen; tf_response() calls it. */
void tf_note_response(struct tf_collect *c, const cJSON *resp,
                      const cJSON *definition);
void tf_report(struct tf_collect *c);
void tf_collect_free(struct tf_collect *c);

/* What one page saw, kept for tf_seen_merge(). */
struct tf_seen_page;

/* What the pages read so far add up to. */
struct tf_totals {
	const struct kudos_host *host;
	const struct tf_ctx *cx;
	struct kudos_jp_totals pages;
	atomic_long unfinished, no_text, consented;
	_Atomic(struct tf_seen_page *) seen; /* one per page, in any order */
};

/* Keep what page `c`, read from `file`, saw; its names move out of `c`.
 * Safe from several threads at once.  RETURN VALUE KUDOS_OK, or
 * KUDOS_ENOMEM after set_error(). */
int tf_seen_keep(struct tf_totals *t, struct tf_collect *c, const char *file);
/* Add what the kept pages saw to `all`, page after page in name order (the
 * order each_file hands them in), so that `all` holds what one serial read
 * would have noted; the pages are released.  RETURN VALUE KUDOS_OK, or
 * KUDOS_ENOMEM after set_error() on all->r.self. */
int tf_seen_merge(struct tf_totals *t, struct tf_collect *all);
/* Release the pages kept and not merged (a failed run). */
void tf_seen_free(struct tf_totals *t);

#endif
