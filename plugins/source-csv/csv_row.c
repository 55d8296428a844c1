/* One data row -> one item; see csv_row.h. */
#include "csv_row.h"

#include "csv_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* "line 12", or "line 12 (spreadsheet row 10)" when quoted line breaks
 * make the two differ. */
static const char *where(const struct csv_run *r, char *buf, size_t size)
{
	if (r->rd->record_row == r->rd->record_line)
		snprintf(buf, size, "line %ld", r->rd->record_line);
	else
		snprintf(buf, size, "line %ld (spreadsheet row %ld)",
		         r->rd->record_line, r->rd->record_row);
	return buf;
}

KUDOS_PRINTF(3, 4)
static void warn(struct csv_run *r, int kind, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->warned[kind]++ >= WARN_SHOWN) {
		r->hidden++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->warned[kind] == WARN_SHOWN)
		r->host->log(r->self, KUDOS_LOG_WARN,
		             "%s (further warnings like this are counted, not shown)",
		             msg);
	else
		r->host->log(r->self, KUDOS_LOG_WARN, "%s", msg);
}

void csv_row_free(struct csv_run *r)
{
	for (int c = 0; c < C_COUNT; c++) {
		free(r->val[c]);
		r->val[c] = NULL;
	}
}

/* The row's external id: its id column, else a hash of its values. */
static const char *row_id(const struct csv_run *r, char buf[CSV_ROW_ID_SIZE])
{
	const char *v[C_COUNT];
	size_t n = 0;

	if (r->val[C_ID] && r->val[C_ID][0])
		return r->val[C_ID];
	for (int c = 0; c < C_COUNT; c++)
		if (c != C_ID && r->val[c])
			v[n++] = r->val[c];
	csv_row_id(v, n, buf);
	return buf;
}

/* Set the fields, rating and date of `item`; bad values are warned about
 * and left unset. */
static void set_values(struct csv_run *r, struct kudos_item *item,
                       const char *at)
{
	const struct kudos_host *h = r->host;
	const char *file = csv_base_name(r->path);

	for (int c = 0; c < C_COUNT; c++) {
		if (c == C_TEXT || csv_fields[c].field < 0 || !r->val[c] ||
		    !r->val[c][0])
			continue;
		if (h->item_set(item, csv_fields[c].field, r->val[c]) != KUDOS_OK)
			warn(r, W_FIELD,
			     "%s: %s: the value of \"%s\" was refused as %s; "
			     "left unset",
			     file, at, r->hd.name[r->hd.col[c]], csv_fields[c].name);
	}

	const char *rv = r->val[C_RATING];
	if (rv && rv[0]) {
		double value, scale;
		if (!csv_rating(rv, r->cx->rating_scale, &value, &scale) ||
		    h->item_set_rating(item, value, scale) != KUDOS_OK)
			warn(r, W_RATING,
			     "%s: %s: rating \"%s\" in column \"%s\" is not a "
			     "number from 0 to %g (or like 4/5); rating left unset",
			     file, at, rv, r->hd.name[r->hd.col[C_RATING]],
			     r->cx->rating_scale);
	}

	const char *tv = r->val[C_CREATED_AT];
	if (tv && tv[0]) {
		int64_t t;
		if (h->time_parse(tv, &t) != KUDOS_OK ||
		    h->item_set_time(item, KUDOS_TIME_CREATED, t) != KUDOS_OK)
			warn(r, W_TIME,
			     "%s: %s: date \"%s\" in column \"%s\" is not like "
			     "2026-03-14 or 2026-03-14T09:30:00Z; date left unset",
			     file, at, tv, r->hd.name[r->hd.col[C_CREATED_AT]]);
	}
}

/* Grant consent when the consent column says yes.  RETURN VALUE KUDOS_OK,
 * or a KUDOS_E* after set_error(). */
static int set_consent(struct csv_run *r, struct kudos_item *item,
                       const char *at)
{
	const struct kudos_host *h = r->host;
	const char *answer = csv_field(r->rd, (size_t)r->hd.consent);
	int yes = csv_consent_answer(answer);

	if (yes < 0)
		warn(r, W_CONSENT,
		     "%s: %s: consent answer \"%s\" in \"%s\" is neither yes nor "
		     "no; no consent recorded",
		     csv_base_name(r->path), at, answer, r->cx->consent_column);
	if (yes <= 0)
		return KUDOS_OK;

	char *ev = csv_consent_evidence(r->hd.name[r->hd.consent], answer,
	                                csv_base_name(r->path),
	                                r->rd->record_line);
	if (!ev) {
		h->set_error(r->self, "%s: out of memory at %s", r->path, at);
		return KUDOS_ENOMEM;
	}
	int rc = h->item_set_consent(item, r->cx->scopes, ev);
	free(ev);
	if (rc != KUDOS_OK) {
		h->set_error(r->self,
		             "%s: %s: consent for scopes \"%s\" was refused; check "
		             "consent_scopes (web, print, social, ads) in the job",
		             r->path, at, r->cx->scopes);
		return KUDOS_EINVAL;
	}
	r->consented++;
	return KUDOS_OK;
}

int csv_row(struct csv_run *r)
{
	const struct kudos_host *h = r->host;
	const struct csv_reader *rd = r->rd;
	const char *file = csv_base_name(r->path);
	char at[80], idbuf[CSV_ROW_ID_SIZE];
	size_t n = csv_nfields(rd);
	int rc;

	where(r, at, sizeof at);
	if (n != r->hd.n) {
		h->set_error(r->self,
		             "%s: %s has %zu field%s but the header has %zu; check "
		             "that line for an unquoted comma or a missing quote, "
		             "then run again",
		             r->path, at, n, n == 1 ? "" : "s", r->hd.n);
		return KUDOS_EINVAL;
	}

	int all_blank = 1;
	for (size_t i = 0; i < n && all_blank; i++) {
		size_t len;
		csv_trim(csv_field(rd, i), &len);
		all_blank = len == 0;
	}
	if (all_blank) {
		r->blank++; /* spreadsheets export trailing ",,,," rows */
		return KUDOS_OK;
	}
	r->rows++;

	for (int c = 0; c < C_COUNT; c++) {
		if (r->hd.col[c] < 0)
			continue;
		r->val[c] = csv_dup_trim(csv_field(rd, (size_t)r->hd.col[c]));
		if (!r->val[c]) {
			h->set_error(r->self, "%s: out of memory at %s", r->path, at);
			return KUDOS_ENOMEM;
		}
	}

	if (!r->val[C_TEXT][0]) {
		r->no_text++;
		warn(r, W_TEXT, "%s: %s has no text in \"%s\"; row skipped",
		     file, at, r->hd.name[r->hd.col[C_TEXT]]);
		return KUDOS_OK;
	}

	const char *id = row_id(r, idbuf);
	long before = csv_ids_add(&r->ids, id, rd->record_line);
	if (before < 0) {
		h->set_error(r->self, "%s: out of memory at %s", r->path, at);
		return KUDOS_ENOMEM;
	}
	if (before > 0) {
		r->repeated++;
		warn(r, W_ID,
		     "%s: %s repeats the id \"%s\" of line %ld; kept the first, "
		     "skipped this one",
		     file, at, id, before);
		return KUDOS_OK;
	}

	struct kudos_item *item = h->item_new(r->self, id);
	if (!item) {
		r->refused++;
		warn(r, W_ID, "%s: %s: the item for id \"%s\" could not be "
		              "created (see above); row skipped",
		     file, at, id);
		return KUDOS_OK;
	}

	if (h->item_set(item, KUDOS_FIELD_KIND, csv_kind(r->cx)) != KUDOS_OK) {
		h->item_free(item);
		h->set_error(r->self,
		             "kind \"%s\" was refused; use review, social_post, "
		             "form_answer or video_comment",
		             csv_kind(r->cx));
		return KUDOS_EINVAL;
	}
	if (h->item_set(item, KUDOS_FIELD_TEXT, r->val[C_TEXT]) != KUDOS_OK) {
		h->item_free(item);
		r->refused++;
		warn(r, W_TEXT, "%s: %s: the text was refused; row skipped",
		     file, at);
		return KUDOS_OK;
	}
	set_values(r, item, at);
	if (r->hd.consent >= 0 && (rc = set_consent(r, item, at)) != KUDOS_OK) {
		h->item_free(item);
		return rc;
	}

	rc = h->item_emit(r->self, item);
	if (rc == KUDOS_OK) {
		r->items++;
	} else if (rc == KUDOS_EINVAL) {
		r->refused++; /* the host logged why */
	} else {
		h->set_error(r->self,
		             "%s: %s: the item could not be stored (status %d)",
		             r->path, at, rc);
		return rc;
	}
	return KUDOS_OK;
}
