/* kudos list | show | approve | reject */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../excerpt.h"
#include "../item_json.h"
#include "../text.h"
#include "cli.h"

static const char list_help[] =
	"usage: kudos list [--curation S] [--rights S] [--source S] [--flag F] [--tag T] [--json]\n"
	"\n"
	"List the items in the store, newest first.\n"
	"\n"
	"  --curation S   only items in curation state S (new, approved, rejected)\n"
	"  --rights S     only items in rights state S (none, requested, granted,\n"
	"                 replied, denied, stale, revoked)\n"
	"  --source S     only items from source plugin S\n"
	"  --flag F       only items flagged F (pii, blocked_word, negative, question,\n"
	"                 incentivized, employee, duplicate, edited_upstream, or a\n"
	"                 flag a filter plugin raised)\n"
	"  --flagged      only items with any flag\n"
	"  --tag T        only items a filter plugin tagged T\n"
	"  --needs-reply  negative or question-like items: customers waiting for an answer\n"
	"  --json         a JSON array of item objects instead of a table\n"
	"  --store PATH   the store (default ./kudos.db)\n";

static const char show_help[] =
	"usage: kudos show ID [--json]\n"
	"\n"
	"Show one item: its content, curation and rights states, the grant's\n"
	"evidence, and where it has been published.\n";

static const char approve_help[] =
	"usage: kudos approve ID... [--actor NAME]\n"
	"\n"
	"Approve items for publication (they still need rights granted for an\n"
	"output's scope before any output shows them).  All or nothing: an\n"
	"unknown id changes no item.\n";

static const char reject_help[] =
	"usage: kudos reject ID... [--reason TEXT] [--actor NAME]\n"
	"\n"
	"Reject items: no output will show them.  All or nothing.\n";

struct list_ctx {
	int json;
	struct cli_json_array arr;
	long n;
};

/* A table cell: `text` on one line in at most `width` terminal columns
 * (utf8proc's character widths, so CJK and emoji count double), cut with
 * an ellipsis when longer, padded with spaces when `pad`.  A cell, not a
 * quote: the full text is in `kudos show`. */
static void print_cell(const char *text, int width, int pad)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(text ? text : "-");
	int used = 0;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0)
			break;
		int w = cp == '\n' || cp == '\r' || cp == '\t' ? 1 : utf8proc_charwidth(cp);
		/* Stop where the rest no longer fits, keeping a column for the
		 * ellipsis unless this is the last character. */
		if (used + w > width || (p[n] && used + w > width - 1)) {
			fputs("…", stdout);
			used++;
			break;
		}
		if (w == 1 && cp < 0x20)
			putchar(' ');
		else
			fwrite(p, 1, (size_t)n, stdout);
		used += w;
		p += n;
	}
	while (pad && used++ < width)
		putchar(' ');
}

static int list_one(void *ud, struct kudos_item *it)
{
	struct list_ctx *l = ud;
	l->n++;
	if (l->json) /* it says why it fails */
		return cli_json_array_item(&l->arr, kudos_item_to_json(it, 0)) ? 1 : 0;
	char rating[32] = "-";
	if (it->has_rating)
		snprintf(rating, sizeof rating, "%g/%g", it->rating, it->rating_scale);
	printf("%-28s %-9s %-9s %-6s ", it->field[KUDOS_FIELD_ID],
	       it->field[KUDOS_FIELD_CURATION], it->field[KUDOS_FIELD_RIGHTS], rating);
	print_cell(it->field[KUDOS_FIELD_AUTHOR_NAME], 18, 1);
	putchar(' ');
	print_cell(it->field[KUDOS_FIELD_TEXT], 50, 0);
	putchar('\n');
	return 0;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct kudos_query q = {0};
	struct list_ctx l = {0};
	const struct cli_flag flags[] = {
		{"curation", &q.curation, NULL}, {"rights", &q.rights, NULL},
		{"source", &q.source, NULL},     {"json", NULL, &l.json},
		{"flag", &q.flag, NULL},         {"flagged", NULL, &q.flagged},
		{"needs-reply", NULL, &q.needs_reply},
		{"tag", &q.tag, NULL},
		{0},
	};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(list_help);
	if ((status = cli_need_args(c, 0, 0, "kudos list [--curation S] [--rights S] [--source S] [--json]")))
		return status;
	if (cli_open_store(c, NULL, 1, &store, &err))
		goto fail;
	if (l.json)
		cli_json_array_begin(&l.arr);
	int rc = kudos_store_each(store, &q, list_one, &l, &err);
	if (rc < 0)
		goto fail;
	if (rc > 0) { /* list_one stopped and has said why */
		status = KUDOS_EXIT_FAIL;
		goto done;
	}
	if (l.json)
		status = cli_json_array_end(&l.arr);
	else if (l.n == 0 && c->verbosity > 0)
		fprintf(stderr, "kudos: no items match\n");
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}

struct pubs {
	cJSON *arr;
	int json;
};

static int add_publication(void *ud, const struct kudos_publication *pub)
{
	struct pubs *p = ud;
	char when[21];
	kudos_time_format(pub->at, when);
	if (p->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(p->arr, o);
		cJSON_AddStringToObject(o, "output", pub->plugin);
		cJSON_AddStringToObject(o, "entry", pub->output);
		cJSON_AddStringToObject(o, "path", pub->path);
		cJSON_AddStringToObject(o, "at", when);
	} else {
		printf("  %s  %-12s %s\n", when, pub->plugin, pub->path);
	}
	return 0;
}

static void print_field(const char *label, const char *value)
{
	if (value && *value)
		printf("%-12s %s\n", label, value);
}

static void print_list(const char *label, const char *const *v, size_t n)
{
	if (n == 0)
		return;
	printf("%-12s ", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", v[i]);
	printf("\n");
}

static void show_text(const struct kudos_item *it)
{
	char t[21], buf[160];
	const char *const *f = (const char *const *)it->field;
	print_field("id", f[KUDOS_FIELD_ID]);
	print_field("kind", f[KUDOS_FIELD_KIND]);
	print_field("author", f[KUDOS_FIELD_AUTHOR_NAME]);
	print_field("handle", f[KUDOS_FIELD_AUTHOR_HANDLE]);
	print_field("role", f[KUDOS_FIELD_AUTHOR_ROLE]);
	if (it->has_rating) {
		snprintf(buf, sizeof buf, "%g of %g", it->rating, it->rating_scale);
		print_field("rating", buf);
	}
	if (it->has_time[KUDOS_TIME_CREATED]) {
		kudos_time_format(it->time[KUDOS_TIME_CREATED], t);
		print_field("created", t);
	}
	if (it->language_guessed) {
		snprintf(buf, sizeof buf, "%s (guessed by a filter)", f[KUDOS_FIELD_LANGUAGE]);
		print_field("language", buf);
	} else {
		print_field("language", f[KUDOS_FIELD_LANGUAGE]);
	}
	print_field("permalink", f[KUDOS_FIELD_PERMALINK]);
	print_field("title", f[KUDOS_FIELD_TITLE]);
	print_field("flags", it->flags);
	print_list("tags", (const char *const *)it->tags, it->n_tags);
	for (size_t i = 0; i < it->n_scores; i++) {
		snprintf(buf, sizeof buf, "%s %g", it->scores[i].name, it->scores[i].value);
		print_field(i ? "" : "scores", buf);
	}
	print_field("curation", f[KUDOS_FIELD_CURATION]);
	print_field("rights", f[KUDOS_FIELD_RIGHTS]);
	if (it->has_grant) {
		print_field("scopes", it->grant.scopes);
		print_field("evidence", it->grant.evidence);
		print_field("credit", it->grant.credit);
		kudos_time_format(it->grant.consent_at, t);
		print_field("consent at", t);
		if (it->grant.until) {
			kudos_time_format(it->grant.until, t);
			print_field("until", t);
		}
	}
	printf("\n%s\n\n", f[KUDOS_FIELD_TEXT]);
	if (it->excerpt) {
		kudos_time_format(it->excerpt_at, t);
		printf("excerpt, for outputs that cannot hold the whole quote (approved by "
		       "%s, %s):\n%s\n\n", it->excerpt_by, t, it->excerpt);
	}
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	int json = 0;
	const struct cli_flag flags[] = {{"json", NULL, &json}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	struct kudos_item *it = NULL;
	struct pubs p = {0};
	cJSON *o = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(show_help);
	if ((status = cli_need_args(c, 1, 1, "kudos show ID [--json]")))
		return status;
	if (cli_open_store(c, NULL, 1, &store, &err) ||
	    kudos_store_get(store, c->args[0], &it, &err))
		goto fail;
	p.json = json;
	if (json) {
		if (!(o = kudos_item_to_json(it, 1))) {
			kudos_fail(&err, KUDOS_EXIT_FAIL, "out of memory");
			goto fail;
		}
		p.arr = cJSON_AddArrayToObject(o, "published");
	} else {
		show_text(it);
		printf("published:\n");
	}
	if (kudos_store_each_publication(store, it->field[KUDOS_FIELD_ID], NULL, NULL,
	                                 add_publication, &p, &err))
		goto fail;
	status = json ? cli_print_json(o) : 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	cJSON_Delete(o);
	kudos_item_free(it);
	kudos_store_close(store);
	return status;
}

static int set_curation(struct cli *c, int argc, char **argv, const char *state,
                        const char *help)
{
	const char *reason = NULL, *actor = NULL;
	const struct cli_flag approve_flags[] = {{"actor", &actor, NULL}, {0}};
	const struct cli_flag reject_flags[] = {
		{"actor", &actor, NULL}, {"reason", &reason, NULL}, {0}};
	int rejecting = strcmp(state, "rejected") == 0;
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	long changed_total = 0;
	int status = cli_parse(c, argc, argv, rejecting ? reject_flags : approve_flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(help);
	if ((status = cli_need_args(c, 1, -1, rejecting ? "kudos reject ID... [--reason TEXT]"
	                                                : "kudos approve ID...")))
		return status;
	if (cli_open_store(c, NULL, 1, &store, &err) || kudos_store_begin(store, &err))
		goto fail;
	int64_t now = cli_now();
	for (int i = 0; i < c->n_args; i++) {
		int changed;
		if (kudos_store_set_curation(store, c->args[i], state, cli_actor(actor), reason,
		                             now, &changed, &err)) {
			kudos_store_rollback(store);
			goto fail;
		}
		changed_total += changed;
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	if (c->verbosity > 0)
		printf("%s %ld item%s (%ld already %s)\n", state, changed_total,
		       changed_total == 1 ? "" : "s", c->n_args - changed_total, state);
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}

int cmd_approve(struct cli *c, int argc, char **argv)
{
	return set_curation(c, argc, argv, "approved", approve_help);
}

int cmd_reject(struct cli *c, int argc, char **argv)
{
	return set_curation(c, argc, argv, "rejected", reject_help);
}

/* ---- excerpt -------------------------------------------------------------- */

static const char excerpt_help[] =
	"usage: kudos excerpt ID --text \"PASSAGE … PASSAGE\" [--text PASSAGE]... [--actor NAME]\n"
	"       kudos excerpt ID --clear [--actor NAME]\n"
	"\n"
	"Approve a shorter excerpt of an item's quote for outputs that cannot hold\n"
	"all of it (a card too small for the quote even at the theme's smallest\n"
	"size).  An excerpt is made only of the original's own words: passages\n"
	"copied from `kudos show ID`, in the quote's order, separated by \"…\" (or\n"
	"\"...\") or given as several --text.  kudos marks with \"…\" where words\n"
	"were left out.  The original stays as it is, in the store and in every\n"
	"other output; the excerpt is recorded in the audit trail with you as\n"
	"the actor, and an edit of the item upstream voids it.\n"
	"\n"
	"  --text T     passages to keep (repeatable)\n"
	"  --clear      remove the item's excerpt\n"
	"  --actor NAME who approves it (default: your login name)\n";

int cmd_excerpt(struct cli *c, int argc, char **argv)
{
	struct cli_list texts = {0};
	const char *actor = NULL;
	int clear = 0, changed = 0, in_tx = 0;
	const struct cli_flag flags[] = {
		{"clear", NULL, &clear}, {"actor", &actor, NULL}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	struct kudos_item *it = NULL;
	char *excerpt = NULL;
	int status = cli_take_all(c, &argc, argv, "text", &texts);
	if (status || (status = cli_parse(c, argc, argv, flags)))
		goto done;
	if (c->help) {
		status = cli_help(excerpt_help);
		goto done;
	}
	if ((status = cli_need_args(c, 1, 1, "kudos excerpt ID --text T... | --clear")))
		goto done;
	if (clear == (texts.n > 0)) {
		fprintf(stderr, "kudos excerpt: give either --text (the passages to keep) or "
		                "--clear; see `kudos excerpt --help`\n");
		status = KUDOS_EXIT_INPUT;
		goto done;
	}
	if (cli_open_store(c, NULL, 1, &store, &err) || kudos_store_begin(store, &err))
		goto fail;
	in_tx = 1;
	if (kudos_store_get(store, c->args[0], &it, &err))
		goto fail;
	if (clear) {
		if (kudos_store_clear_excerpt(store, c->args[0], cli_actor(actor), cli_now(),
		                              &changed, &err))
			goto fail;
	} else if (kudos_excerpt_make(c->args[0], it->field[KUDOS_FIELD_TEXT], texts.v,
	                              (size_t)texts.n, &excerpt, &err) ||
	           kudos_store_set_excerpt(store, c->args[0], excerpt,
	                                   it->field[KUDOS_FIELD_CONTENT_HASH], cli_actor(actor),
	                                   cli_now(), &err)) {
		goto fail;
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	in_tx = 0;
	if (c->verbosity > 0) {
		if (excerpt)
			printf("excerpt of %s approved:\n%s\n", c->args[0], excerpt);
		else
			printf(changed ? "excerpt of %s removed\n" : "%s had no excerpt\n",
			       c->args[0]);
	}
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	if (in_tx)
		kudos_store_rollback(store);
	free(texts.v);
	free(excerpt);
	kudos_item_free(it);
	kudos_store_close(store);
	return status;
}

/* ---- export --------------------------------------------------------------- */

static const char export_help[] =
	"usage: kudos export --format csv|json [--curation S] [--rights S] [--source S]\n"
	"\n"
	"Every item with its states, to stdout: JSON (the objects of `kudos show\n"
	"--json`, without publications) or CSV (RFC 4180, one row per item, UTF-8,\n"
	"for spreadsheets).\n";

/* One CSV field, quoted when it must be (RFC 4180).  A field a spreadsheet
 * would run as a formula (=, +, @) gets a leading apostrophe, which
 * spreadsheets show as text: a customer's words must never execute. */
static void csv_field(const char *s, int last)
{
	if (!s)
		s = "";
	int formula = *s == '=' || *s == '+' || *s == '@';
	if (formula || strpbrk(s, ",\"\r\n")) {
		putchar('"');
		if (formula)
			putchar('\'');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

static int export_csv_row(void *ud, struct kudos_item *it)
{
	(void)ud;
	char rating[32] = "", scale[32] = "", created[21] = "";
	if (it->has_rating) {
		snprintf(rating, sizeof rating, "%g", it->rating);
		snprintf(scale, sizeof scale, "%g", it->rating_scale);
	}
	if (it->has_time[KUDOS_TIME_CREATED])
		kudos_time_format(it->time[KUDOS_TIME_CREATED], created);
	/* Tags hold no commas (the host refuses them): "a,b" is one cell. */
	size_t len = 1;
	for (size_t i = 0; i < it->n_tags; i++)
		len += strlen(it->tags[i]) + 1;
	char *tags = calloc(1, len);
	if (!tags) {
		fprintf(stderr, "kudos: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < it->n_tags; i++) {
		if (i)
			strcat(tags, ",");
		strcat(tags, it->tags[i]);
	}
	const char *const *f = (const char *const *)it->field;
	const char *row[] = {f[KUDOS_FIELD_ID], f[KUDOS_FIELD_SOURCE], f[KUDOS_FIELD_KIND],
	                     f[KUDOS_FIELD_AUTHOR_NAME], f[KUDOS_FIELD_AUTHOR_HANDLE],
	                     f[KUDOS_FIELD_TEXT], rating, scale, created,
	                     f[KUDOS_FIELD_PERMALINK], f[KUDOS_FIELD_CURATION],
	                     f[KUDOS_FIELD_RIGHTS], f[KUDOS_FIELD_SCOPES],
	                     f[KUDOS_FIELD_LANGUAGE], it->flags, tags};
	size_t n = sizeof row / sizeof row[0];
	for (size_t i = 0; i < n; i++)
		csv_field(row[i], i + 1 == n);
	free(tags);
	return 0;
}

static int export_json_row(void *ud, struct kudos_item *it)
{
	/* it says why it fails */
	return cli_json_array_item(ud, kudos_item_to_json(it, 1)) ? 1 : 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *format = NULL;
	struct kudos_query q = {0};
	const struct cli_flag flags[] = {
		{"format", &format, NULL}, {"curation", &q.curation, NULL},
		{"rights", &q.rights, NULL}, {"source", &q.source, NULL}, {0},
	};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	struct cli_json_array arr;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(export_help);
	if ((status = cli_need_args(c, 0, 0, "kudos export --format csv|json")))
		return status;
	int csv = format && !strcmp(format, "csv");
	if (!csv && !(format && !strcmp(format, "json"))) {
		fprintf(stderr, "kudos export: --format must be csv or json\n");
		return KUDOS_EXIT_INPUT;
	}
	if (cli_open_store(c, NULL, 1, &store, &err))
		goto fail;
	if (csv) {
		static const char *const head[] = {"id", "source", "kind", "author_name",
		                                   "author_handle", "text", "rating", "rating_scale",
		                                   "created_at", "permalink", "curation", "rights",
		                                   "scopes", "language", "flags", "tags"};
		size_t n = sizeof head / sizeof head[0];
		for (size_t i = 0; i < n; i++)
			csv_field(head[i], i + 1 == n);
	} else {
		cli_json_array_begin(&arr);
	}
	int rc = kudos_store_each(store, &q, csv ? export_csv_row : export_json_row, &arr, &err);
	if (rc < 0)
		goto fail;
	if (rc > 0) { /* export_json_row stopped and has said why */
		status = KUDOS_EXIT_FAIL;
		goto done;
	}
	status = csv ? cli_flush_stdout() : cli_json_array_end(&arr);
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}
