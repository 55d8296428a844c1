/* kudos request | grant | deny | revoke | optout | history | audit verify */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gate.h"
#include "../request.h"
#include "../rights.h"
#include "../text.h"
#include "../zone.h"
#include "cli.h"

static const char request_help[] =
	"usage: kudos request ID... [--template NAME] [--posted-as POST_ID] [--job JOB.json]\n"
	"\n"
	"Mark items `requested` and print, for each, the message to post to its\n"
	"creator asking for permission.  Messages come from the job's\n"
	"rights.templates (several variants per template, picked per item so the\n"
	"brand does not post one text a hundred times) or from kudos's own.\n"
	"\n"
	"  --template NAME     which of the job's templates (default: \"default\")\n"
	"  --posted-as POST_ID the id of the brand's post that carried the request\n"
	"                      (one ID only): replies to that post count as answers\n"
	"  --job JOB.json      the job: brand name, rights hashtag, terms, templates\n"
	"  --actor NAME        who is recording this (default: your login name)\n";

static const char grant_help[] =
	"usage: kudos grant ID --scope web,print,social[,ads] --evidence TEXT\n"
	"                  [--from DATE] [--until DATE] [--credit full|first|initials|handle|anonymous]\n"
	"\n"
	"Record the creator's permission.  DATE is YYYY-MM-DD or an RFC 3339 time;\n"
	"a bare --until date means to the end of that day, in --tz (or the job's\n"
	"rights.timezone, else UTC).\n"
	"\n"
	"  --job JOB.json   the job, for its terms URL and version and its store\n"
	"  --tz ZONE        time zone for bare dates, e.g. Europe/Berlin\n"
	"  --actor NAME     who is recording this (default: your login name)\n";

static const char deny_help[] =
	"usage: kudos deny ID [--reason TEXT]\n\nThe creator said no.  Nothing will show the item.\n";

static const char revoke_help[] =
	"usage: kudos revoke ID --reason TEXT\n"
	"\n"
	"The creator withdrew permission (or asked for erasure, or deleted the\n"
	"post).  The next `kudos render` removes the item from every output,\n"
	"deletes its files and writes takedown-report.json beside the job.\n";

static const char optout_help[] =
	"usage: kudos optout AUTHOR\n"
	"\n"
	"Never render this author again (a name or a handle, as items carry it),\n"
	"whatever their items' rights.\n";

static const char history_help[] =
	"usage: kudos history ID [--json]\n\nThe item's audit entries, oldest first.\n";

static const char audit_help[] =
	"usage: kudos audit verify [--json]\n"
	"\n"
	"Walk the audit trail's hash chain.  Exit 0 when every entry is intact;\n"
	"exit 1 naming the first entry that was changed, or after which one was\n"
	"removed or inserted.\n";

/* Open the job when one is named, and the store: --store, else the job's,
 * else ./kudos.db. */
static int open_for(struct cli *c, const char *job_path, struct kudos_job *job,
                    struct kudos_store **store, struct kudos_error *err)
{
	if (job_path && kudos_job_load(job_path, job, err))
		return -1;
	return cli_open_store(c, job_path ? job->store : NULL, 1, store, err);
}

/* ---- request ------------------------------------------------------------- */

int cmd_request(struct cli *c, int argc, char **argv)
{
	const char *template_name = "default", *posted_as = NULL, *job_path = NULL, *actor = NULL;
	const struct cli_flag flags[] = {{"template", &template_name, NULL},
	                                 {"posted-as", &posted_as, NULL},
	                                 {"job", &job_path, NULL},
	                                 {"actor", &actor, NULL},
	                                 {0}};
	struct kudos_error err = {0};
	struct kudos_job job = {0};
	struct kudos_store *store = NULL;
	char **messages = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(request_help);
	if ((status = cli_need_args(c, 1, -1, "kudos request ID... [--template NAME]")))
		return status;
	if (posted_as && c->n_args != 1) {
		fprintf(stderr, "kudos request: --posted-as names one post, so give one ID\n");
		return KUDOS_EXIT_INPUT;
	}
	if (open_for(c, job_path, &job, &store, &err) ||
	    kudos_request_template_check(&job, template_name, &err))
		goto fail;
	if (!(messages = calloc((size_t)c->n_args, sizeof *messages))) {
		kudos_fail(&err, KUDOS_EXIT_FAIL, "out of memory");
		goto fail;
	}
	int64_t now = cli_now();
	if (kudos_store_begin(store, &err))
		goto fail;
	for (int i = 0; i < c->n_args; i++) {
		if (kudos_request_item(store, &job, c->args[i], template_name, posted_as,
		                       cli_actor(actor), now, &messages[i], &err)) {
			kudos_store_rollback(store);
			goto fail;
		}
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	for (int i = 0; i < c->n_args; i++)
		printf("%s\n%s\n\n", c->args[i], messages[i]);
	if (!job.rights.hashtag && c->verbosity > 0)
		fprintf(stderr, "kudos: warning: the job sets no brand.rights_hashtag, so replies "
		                "cannot grant by themselves; pass --job, or set one\n");
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	for (int i = 0; messages && i < c->n_args; i++)
		free(messages[i]);
	free(messages);
	kudos_store_close(store);
	kudos_job_free(&job);
	return status;
}

/* ---- grant --------------------------------------------------------------- */

/* A date option: a bare date is that day's start (--from) or the next
 * day's start (--until: "to the end of that day") in `zone`; anything else
 * is a time as time_parse reads it, zone-less ones in `zone`. */
static int parse_date(const char *opt, const char *s, const char *zone, int until,
                      int64_t *out, struct kudos_error *err)
{
	int64_t day;
	if (strlen(s) == 10 && kudos_time_parse(s, &day) == 0) {
		struct kudos_civil_time civil = {.struct_size = sizeof civil};
		int shifted;
		kudos_zone_from_utc("UTC", until ? day + 86400 : day, &civil);
		civil.hour = civil.minute = civil.second = 0;
		if (kudos_zone_to_utc(zone ? zone : "UTC", &civil, out, &shifted) == 0)
			return 0;
	} else if (kudos_time_parse_zone(s, zone, out) == 0) {
		return 0;
	}
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "--%s '%s' is not a date; write YYYY-MM-DD or an RFC 3339 time "
	                  "such as 2026-12-31T18:00:00+01:00", opt, s);
}

static int valid_credit(const char *c)
{
	static const char *const ok[] = {"full", "first", "initials", "handle", "anonymous"};
	for (size_t i = 0; c && i < 5; i++)
		if (strcmp(c, ok[i]) == 0)
			return 1;
	return 0;
}

int cmd_grant(struct cli *c, int argc, char **argv)
{
	const char *scope = NULL, *from = NULL, *until = NULL, *evidence = NULL, *credit = "full";
	const char *job_path = NULL, *actor = NULL, *tz = NULL;
	const struct cli_flag flags[] = {
		{"scope", &scope, NULL},   {"from", &from, NULL},     {"until", &until, NULL},
		{"evidence", &evidence, NULL}, {"credit", &credit, NULL}, {"job", &job_path, NULL},
		{"actor", &actor, NULL},   {"tz", &tz, NULL},         {0},
	};
	struct kudos_error err = {0};
	struct kudos_job job = {0};
	struct kudos_store *store = NULL;
	char *scopes = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(grant_help);
	if ((status = cli_need_args(c, 1, 1, "kudos grant ID --scope LIST --evidence TEXT")))
		return status;
	struct kudos_grant_input g = {.evidence = evidence, .credit = credit};
	if (!scope || !(scopes = kudos_scopes_canonical(scope))) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "--scope %s: give one or more of web, print, "
		           "social, ads, separated by commas", scope ? scope : "is required");
		goto fail;
	}
	if (!evidence || !*evidence) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "--evidence is required: the creator's words or "
		           "where they gave permission (a reply's link, a signed form)");
		goto fail;
	}
	if (!valid_credit(credit)) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "--credit %s: use full, first, initials, handle "
		           "or anonymous", credit);
		goto fail;
	}
	if (job_path && kudos_job_load(job_path, &job, &err))
		goto fail;
	if (tz && !kudos_zone_valid(tz)) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "--tz %s is not a time zone of the tz database "
		           "(e.g. Europe/Berlin)", tz);
		goto fail;
	}
	const char *zone = tz ? tz : job.timezone;
	g.scopes = scopes;
	if ((from && parse_date("from", from, zone, 0, &g.from, &err)) ||
	    (until && parse_date("until", until, zone, 1, &g.until, &err)))
		goto fail;
	if (g.from && g.until && g.until <= g.from) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "--until must come after --from");
		goto fail;
	}
	if (cli_open_store(c, job_path ? job.store : NULL, 1, &store, &err) ||
	    kudos_store_begin(store, &err))
		goto fail;
	if (kudos_rights_grant(store, c->args[0], &g, cli_actor(actor), &job.terms, cli_now(),
	                       &err)) {
		kudos_store_rollback(store);
		goto fail;
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	if (c->verbosity > 0)
		printf("granted %s for %s\n", c->args[0], scopes);
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	free(scopes);
	kudos_store_close(store);
	kudos_job_free(&job);
	return status;
}

/* ---- deny, revoke, optout ------------------------------------------------- */

static int move(struct cli *c, int argc, char **argv, const char *to, const char *help,
                const char *usage, int reason_required)
{
	const char *reason = NULL, *actor = NULL;
	const struct cli_flag flags[] = {{"reason", &reason, NULL}, {"actor", &actor, NULL}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(help);
	if ((status = cli_need_args(c, 1, 1, usage)))
		return status;
	if (reason_required && (!reason || !*reason)) {
		fprintf(stderr, "kudos %s: --reason is required (it goes into the audit trail and "
		                "the takedown report)\n", c->command);
		return KUDOS_EXIT_INPUT;
	}
	if (cli_open_store(c, NULL, 1, &store, &err) || kudos_store_begin(store, &err))
		goto fail;
	if (kudos_rights_move(store, c->args[0], to, c->command, cli_actor(actor), reason,
	                      cli_now(), &err)) {
		kudos_store_rollback(store);
		goto fail;
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	if (c->verbosity > 0)
		printf("%s is now %s%s\n", c->args[0], to,
		       !strcmp(to, "revoked") ? "; the next `kudos render` takes it down everywhere"
		                              : "");
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}

int cmd_deny(struct cli *c, int argc, char **argv)
{
	return move(c, argc, argv, "denied", deny_help, "kudos deny ID [--reason TEXT]", 0);
}

int cmd_revoke(struct cli *c, int argc, char **argv)
{
	return move(c, argc, argv, "revoked", revoke_help, "kudos revoke ID --reason TEXT", 1);
}

int cmd_optout(struct cli *c, int argc, char **argv)
{
	const char *actor = NULL;
	const struct cli_flag flags[] = {{"actor", &actor, NULL}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(optout_help);
	if ((status = cli_need_args(c, 1, 1, "kudos optout AUTHOR")))
		return status;
	if (cli_open_store(c, NULL, 1, &store, &err) || kudos_store_begin(store, &err))
		goto fail;
	if (kudos_store_optout(store, c->args[0], cli_actor(actor), cli_now(), &err)) {
		kudos_store_rollback(store);
		goto fail;
	}
	if (kudos_store_commit(store, &err))
		goto fail;
	if (c->verbosity > 0)
		printf("%s opted out; the next `kudos render` takes their items down everywhere\n",
		       c->args[0]);
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}

/* ---- history, audit verify ------------------------------------------------ */

struct entries {
	int json;
	cJSON *arr;
	int64_t want_seq;               /* audit verify: the entry to describe */
	char found[512];
};

static int print_entry(void *ud, const struct kudos_audit_entry *e)
{
	struct entries *x = ud;
	char when[21];
	kudos_time_format(e->at, when);
	if (x->want_seq) {
		if (e->seq == x->want_seq)
			snprintf(x->found, sizeof x->found, "entry %lld (%s, %s by %s at %s)",
			         (long long)e->seq, e->item_id ? e->item_id : "no item", e->action,
			         e->actor, when);
		return e->seq == x->want_seq;
	}
	if (x->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(x->arr, o);
		cJSON_AddNumberToObject(o, "seq", (double)e->seq);
		cJSON_AddStringToObject(o, "at", when);
		cJSON_AddStringToObject(o, "actor", e->actor);
		cJSON_AddStringToObject(o, "action", e->action);
		if (e->from_state)
			cJSON_AddStringToObject(o, "from", e->from_state);
		if (e->to_state)
			cJSON_AddStringToObject(o, "to", e->to_state);
		if (e->detail)
			cJSON_AddStringToObject(o, "detail", e->detail);
		return 0;
	}
	printf("%s  %-16s %-14s", when, e->action, e->actor);
	if (e->from_state || e->to_state)
		printf(" %s -> %s", e->from_state ? e->from_state : "-", e->to_state ? e->to_state : "-");
	if (e->detail)
		printf("  %s", e->detail);
	printf("\n");
	return 0;
}

int cmd_history(struct cli *c, int argc, char **argv)
{
	struct entries x = {0};
	const struct cli_flag flags[] = {{"json", NULL, &x.json}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	struct kudos_item *it = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(history_help);
	if ((status = cli_need_args(c, 1, 1, "kudos history ID [--json]")))
		return status;
	if (cli_open_store(c, NULL, 1, &store, &err) || kudos_store_get(store, c->args[0], &it, &err))
		goto fail;
	if (x.json && !(x.arr = cJSON_CreateArray())) {
		kudos_fail(&err, KUDOS_EXIT_FAIL, "out of memory");
		goto fail;
	}
	if (kudos_store_history(store, c->args[0], print_entry, &x, &err))
		goto fail;
	status = x.json ? cli_print_json(x.arr) : 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	cJSON_Delete(x.arr);
	kudos_item_free(it);
	kudos_store_close(store);
	return status;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	int json = 0;
	const struct cli_flag flags[] = {{"json", NULL, &json}, {0}};
	struct kudos_error err = {0};
	struct kudos_store *store = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(audit_help);
	if (c->n_args != 1 || strcmp(c->args[0], "verify") != 0) {
		fprintf(stderr, "kudos audit: the subcommand is `verify`\nusage: kudos audit verify\n");
		return KUDOS_EXIT_INPUT;
	}
	int64_t n = 0, bad = 0;
	struct entries x = {0};
	if (cli_open_store(c, NULL, 1, &store, &err) ||
	    kudos_store_audit_verify(store, &n, &bad, &err))
		goto fail;
	if (bad) {
		x.want_seq = bad;
		snprintf(x.found, sizeof x.found, "entry %lld", (long long)bad);
		kudos_store_history(store, NULL, print_entry, &x, &err);
	}
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "intact", !bad);
		cJSON_AddNumberToObject(o, "entries", (double)n);
		if (bad)
			cJSON_AddNumberToObject(o, "first_bad_entry", (double)bad);
		cli_print_json(o);
		cJSON_Delete(o);
	}
	if (bad) {
		fprintf(stderr, "kudos: audit trail of %s is broken at %s: that entry was changed, "
		                "or an entry just before it was removed or inserted\n",
		        kudos_store_path(store), x.found);
		status = KUDOS_EXIT_FAIL;
	} else {
		if (!json)
			printf("audit trail intact: %lld entr%s, each chained to the one before\n",
			       (long long)n, n == 1 ? "y" : "ies");
		status = 0;
	}
	goto done;
fail:
	status = cli_report(&err);
done:
	kudos_store_close(store);
	return status;
}
