/*
 * source-csv: testimonials from a CSV file, typically a form export
 * (Typeform, Google Forms, a spreadsheet).
 *
 * Job keys:
 *   path            the CSV file (required), UTF-8, header row first
 *   columns         item field -> header, e.g. {"text": "What did you like?"}.
 *                   Fields: text, author_name, author_handle, author_role,
 *                   rating, created_at, id, title, permalink, language.
 *                   When given, only the mapped columns are read; "text"
 *                   must be among them.  When absent, columns are found by
 *                   header name (see csv_columns.c; case and surrounding
 *                   blanks ignored), and "text" must be found.
 *   consent_column  the header of a yes/no consent question; a yes (yes, y,
 *                   true, 1, x; case and blanks ignored) grants
 *                   consent_scopes with the answer as evidence.  No, n,
 *                   false, 0 and an empty answer grant nothing; any other
 *                   answer grants nothing and is warned about.
 *   consent_scopes  scopes a yes grants (default ["web"])
 *   rating_scale    the scale of the rating column (default 5); a rating
 *                   written "4/5" carries its own scale
 *   kind            the items' kind (default form_answer)
 *
 * External ids: the `id` column when there is one and the row has a value.
 * Otherwise "row-" and the FNV-1a 64 hash (16 hex digits) of the row's
 * mapped values, in field order, joined with U+001F: stable across exports
 * and row order, but editing any mapped value of that row (its text
 * included) makes it a new item.  A row whose id repeats an earlier row's
 * is skipped with a warning.
 *
 * Values are trimmed of surrounding blanks; inside the text, line breaks
 * are kept (as LF).  The file is checked with the host's utf8_check and
 * created_at read with its time_parse: YYYY-MM-DD, or YYYY-MM-DD, 'T' or a
 * space, HH:MM, optional :SS and fraction, then Z, +HH:MM, +HHMM (or -)
 * or nothing for UTC.  An impossible or pre-1970 date is warned about.
 *
 * This file: the descriptor, the job's keys, init/exit and the collect
 * loop.  The reader is csv_parse.c, the header mapping csv_columns.c, one
 * row's item csv_row.c, value parsing csv_values.c.
 */
#include <kudos/plugin.h>

#include "csv_columns.h"
#include "csv_parse.h"
#include "csv_row.h"
#include "csv_text.h"
#include "csv_values.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "path", NULL, 1, offsetof(struct csv_ctx, path),
	 "the CSV file, UTF-8 with a header row"},
	{KUDOS_CONFIG_STRING_MAP, "columns", NULL, 0,
	 offsetof(struct csv_ctx, columns),
	 "item field -> CSV header, e.g. {\"text\": \"What did you like?\"}"},
	{KUDOS_CONFIG_STRING, "consent_column", NULL, 0,
	 offsetof(struct csv_ctx, consent_column),
	 "header of a yes/no consent question; yes grants consent_scopes"},
	{KUDOS_CONFIG_STRING_LIST, "consent_scopes", "[\"web\"]", 0,
	 offsetof(struct csv_ctx, consent_scopes),
	 "scopes a yes in consent_column grants (web, print, social, ads)"},
	{KUDOS_CONFIG_DOUBLE, "rating_scale", "5", 0,
	 offsetof(struct csv_ctx, rating_scale),
	 "the top of the rating column's scale"},
	/* No default_value: NULL means form_answer (see csv_kind()). */
	{KUDOS_CONFIG_STRING, "kind", NULL, 0, offsetof(struct csv_ctx, kind),
	 "item kind: review, social_post, form_answer (default) or "
	 "video_comment"},
	{0},
};

static const char *const kinds[] = {"review", "social_post", "form_answer",
                                    "video_comment", NULL};

/* Turn a reader failure into set_error().  RETURN VALUE a KUDOS_E*. */
static int reader_error(struct csv_run *r, int st)
{
	const struct kudos_host *h = r->host;
	const struct csv_reader *rd = r->rd;

	switch (st) {
	case CSV_ERR_IO:
		h->set_error(r->self,
		             "%s: reading failed near line %ld: %s; check that the "
		             "file is readable and run again",
		             r->path, rd->line, strerror(rd->err_errno));
		return KUDOS_EIO;
	case CSV_ERR_NOMEM:
		h->set_error(r->self, "%s: out of memory reading line %ld",
		             r->path, rd->line);
		return KUDOS_ENOMEM;
	case CSV_ERR_UTF8:
		h->set_error(r->self,
		             "%s: line %ld is not valid UTF-8 (byte offset %ld); "
		             "save the file as UTF-8 and run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_NUL:
		h->set_error(r->self,
		             "%s: line %ld contains a NUL byte (byte offset %ld), "
		             "so it is not UTF-8 text (a UTF-16 export?); save the "
		             "file as CSV UTF-8 and run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_QUOTE:
		h->set_error(r->self,
		             "%s: the quoted field that starts on line %ld never "
		             "ends; add its closing quote (\") and run again",
		             r->path, rd->err_line);
		return KUDOS_EINVAL;
	case CSV_ERR_STRAY:
		h->set_error(r->self,
		             "%s: line %ld has text after a closing quote (byte "
		             "offset %ld); inside a quoted field write a quote as "
		             "two (\"\"), then run again",
		             r->path, rd->err_line, rd->err_offset);
		return KUDOS_EINVAL;
	case CSV_ERR_LONG:
		h->set_error(r->self,
		             "%s: the record that starts on line %ld is longer than "
		             "%zu MiB; look for a missing closing quote there",
		             r->path, rd->err_line, CSV_MAX_RECORD >> 20);
		return KUDOS_EINVAL;
	}
	h->set_error(r->self, "%s: unexpected reader status %d at line %ld",
	             r->path, st, rd->line);
	return KUDOS_EFAIL;
}

/* Read the header row and decide which column fills which field. */
static int read_header(struct csv_run *r)
{
	int st = csv_next(r->rd);
	if (st < 0)
		return reader_error(r, st);
	if (st == CSV_EOF) {
		r->host->set_error(r->self,
		                   "%s: the file is empty; export the answers with "
		                   "a header row and run again",
		                   r->path);
		return KUDOS_EINVAL;
	}
	return csv_header_map(&r->hd, r->host, r->self, r->path, r->rd,
	                      r->cx->columns, r->cx->consent_column);
}

/* The closing "N rows, N items ..." line. */
static void summary(const struct csv_run *r)
{
	char extra[256] = "";
	size_t len = 0;
	if (r->no_text)
		len += (size_t)snprintf(extra + len, sizeof extra - len,
		                        ", %ld without text", r->no_text);
	if (r->repeated && len < sizeof extra)
		len += (size_t)snprintf(extra + len, sizeof extra - len,
		                        ", %ld repeated", r->repeated);
	if (r->refused && len < sizeof extra)
		len += (size_t)snprintf(extra + len, sizeof extra - len,
		                        ", %ld refused", r->refused);
	if (r->hidden && len < sizeof extra)
		snprintf(extra + len, sizeof extra - len,
		         "; %ld more warnings not shown", r->hidden);
	r->host->log(r->self, KUDOS_LOG_INFO,
	             "%s: %ld rows, %ld items, %ld with consent%s",
	             csv_base_name(r->path), r->rows, r->items, r->consented,
	             extra);
}

static int csv_collect(const struct kudos_host *host,
                       struct kudos_instance *self, void *ctx)
{
	struct csv_run r = {0};
	int rc = KUDOS_OK;

	r.host = host;
	r.self = self;
	r.cx = ctx;
	r.path = r.cx->path;

	r.fp = fopen(r.path, "rb");
	if (!r.fp) {
		host->set_error(self,
		                "%s: cannot open: %s; check the source's \"path\" "
		                "in the job",
		                r.path, strerror(errno));
		/* A path that names nothing is the job's mistake, not a failed run. */
		return errno == ENOENT || errno == ENOTDIR ? KUDOS_EINVAL : KUDOS_EIO;
	}
	r.rd = malloc(sizeof *r.rd);
	if (!r.rd) {
		host->set_error(self, "%s: out of memory", r.path);
		rc = KUDOS_ENOMEM;
		goto out;
	}
	csv_init(r.rd, r.fp);
	csv_set_check(r.rd, host->utf8_check);

	if ((rc = read_header(&r)) != KUDOS_OK)
		goto out;

	for (;;) {
		if (host->should_stop(self)) {
			host->set_error(self, "%s: stopped at line %ld", r.path,
			                r.rd->line);
			rc = KUDOS_ESTOP;
			break;
		}
		int st = csv_next(r.rd);
		if (st == CSV_EOF)
			break;
		if (st < 0) {
			rc = reader_error(&r, st);
			break;
		}
		rc = csv_row(&r);
		csv_row_free(&r);
		if (rc != KUDOS_OK)
			break;
	}
	if (rc == KUDOS_OK)
		summary(&r);

out:
	csv_row_free(&r);
	csv_header_free(&r.hd);
	csv_ids_free(&r.ids);
	if (r.rd) {
		csv_free(r.rd);
		free(r.rd);
	}
	fclose(r.fp);
	return rc;
}

/* consent_scopes joined with ','.  RETURN VALUE KUDOS_OK, or a KUDOS_E*
 * after set_error(). */
static int join_scopes(const struct kudos_host *host,
                       struct kudos_instance *self, struct csv_ctx *cx)
{
	struct sb b = {0};
	for (size_t i = 0; cx->consent_scopes && cx->consent_scopes[i]; i++) {
		const char *s = cx->consent_scopes[i];
		if (!s[0] || strpbrk(s, ", \t")) {
			free(b.s);
			host->set_error(self,
			                "consent_scopes: \"%s\" is not a scope; list "
			                "scopes one per string, e.g. [\"web\", \"print\"]",
			                s);
			return KUDOS_EINVAL;
		}
		sb_add(&b, i ? "," : "");
		sb_add(&b, s);
	}
	if (b.oom) {
		free(b.s);
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	if (!b.s) {
		host->set_error(self,
		                "consent_scopes is empty; list what a yes allows, "
		                "e.g. [\"web\"]");
		return KUDOS_EINVAL;
	}
	cx->scopes = b.s;
	return KUDOS_OK;
}

static int csv_init_cb(const struct kudos_host *host,
                       struct kudos_instance *self, void *ctx)
{
	struct csv_ctx *cx = ctx;
	int rc;

	if (host->struct_size < offsetof(struct kudos_host, time_parse) +
	                                sizeof host->time_parse) {
		host->set_error(self,
		                "this kudos lacks the text helpers (utf8_check, "
		                "time_parse) the csv source needs; update kudos");
		return KUDOS_EFAIL;
	}

	int k = 0;
	while (kinds[k] && strcmp(kinds[k], csv_kind(cx)) != 0)
		k++;
	if (!kinds[k]) {
		host->set_error(self,
		                "kind \"%s\" is not a kind of item; use review, "
		                "social_post, form_answer or video_comment",
		                csv_kind(cx));
		return KUDOS_EINVAL;
	}

	if (!(cx->rating_scale > 0) || cx->rating_scale > 1e6) {
		host->set_error(self,
		                "rating_scale %g is not a positive number; set it "
		                "to the top of the rating scale, e.g. 5 or 10",
		                cx->rating_scale);
		return KUDOS_EINVAL;
	}

	if (cx->consent_column && !cx->consent_column[0]) {
		host->set_error(self,
		                "consent_column is empty; name the header of the "
		                "consent question, or remove the key");
		return KUDOS_EINVAL;
	}

	if ((rc = csv_columns_check(host, self, cx->columns)) != KUDOS_OK)
		return rc;
	if ((rc = join_scopes(host, self, cx)) != KUDOS_OK)
		return rc;
	if (!cx->consent_column && host->config_get(self, "consent_scopes"))
		host->log(self, KUDOS_LOG_WARN,
		          "consent_scopes has no effect without consent_column");
	return KUDOS_OK;
}

static void csv_exit_cb(const struct kudos_host *host,
                        struct kudos_instance *self, void *ctx)
{
	struct csv_ctx *cx = ctx;
	(void)host;
	(void)self;
	free(cx->scopes);
	cx->scopes = NULL;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "csv",
	.version = "1.0.0",
	.description = "testimonials from a CSV file (form or spreadsheet "
	               "export), with a consent column",
	.config = config,
	.context_size = sizeof(struct csv_ctx),
	.init = csv_init_cb,
	.collect = csv_collect,
	.exit = csv_exit_cb,
};

KUDOS_PLUGIN_DEFINE(descriptor)
