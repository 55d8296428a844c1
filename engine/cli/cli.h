/*
 * The command line: option parsing shared by every command, and the
 * commands themselves (one file per group).  A command returns the exit
 * status: 0 success, 1 a failed run, 2 bad usage or bad input; it prints
 * its own errors through cli_report().
 */
#ifndef KUDOS_CLI_H
#define KUDOS_CLI_H

#include <signal.h>
#include <stdint.h>

#include "../error.h"
#include "../job.h"
#include "../loader.h"
#include "../store.h"

struct cli {
	const char *store;        /* --store */
	const char *plugin_path;  /* --plugin-path */
	int verbosity;            /* -q 0, default 1, -v 2 */
	int help;                 /* --help / -h */
	const char *command;      /* "list", "plugin check" ... */
	volatile sig_atomic_t *stop;
	char **args;              /* positional arguments after the command */
	int n_args;
};

/* A command's own option: a flag (`set`) or a value (`value`). */
struct cli_flag {
	const char *name;         /* without the leading "--" */
	const char **value;       /* takes a value when non-NULL */
	int *set;                 /* a flag when non-NULL */
};

/* The values of an option that may be given several times. */
struct cli_list {
	const char **v;           /* (transfer full) array; the strings are argv's */
	int n;
};

/* Take every "--name VALUE" / "--name=VALUE" out of argv (before "--"),
 * in order, into `out`, so that cli_parse() sees the rest.  RETURN VALUE
 * 0, or the exit status after printing what was wrong. */
int cli_take_all(struct cli *c, int *argc, char **argv, const char *name,
                 struct cli_list *out);

/* Parse argv (after the command word): global options anywhere, the
 * command's flags, positional arguments into c->args.  RETURN VALUE 0, or
 * 2 after printing what was wrong. */
int cli_parse(struct cli *c, int argc, char **argv, const struct cli_flag *flags);

/* Print "kudos: message" and return the error's exit status. */
int cli_report(const struct kudos_error *err);

/* Print a JSON value, indented, to stdout.  RETURN VALUE 0, or 1 when out
 * of memory (said on stderr). */
struct cJSON;
int cli_print_json(const struct cJSON *v);
/* A JSON array printed element by element, so that listing a large store
 * holds one item in memory, not all of them: begin, then one call per
 * element (transfer full: the element is printed and freed), then end.
 * RETURN VALUE of _item and _end: 0, or KUDOS_EXIT_FAIL with a message
 * when out of memory or when stdout could not be written. */
struct cli_json_array {
	long n;
};
void cli_json_array_begin(struct cli_json_array *a);
int cli_json_array_item(struct cli_json_array *a, struct cJSON *element);
int cli_json_array_end(struct cli_json_array *a);
/* Flush stdout.  RETURN VALUE 0, or KUDOS_EXIT_FAIL with a message when
 * the output could not be written (a full disk, a closed pipe). */
int cli_flush_stdout(void);

/* Print the usage text (to stdout, for --help) and return 0. */
int cli_help(const char *text);

/* Refuse a wrong number of positional arguments with the usage line. */
int cli_need_args(const struct cli *c, int min, int max, const char *usage);

/* Open the store: --store, else `job_store`, else ./kudos.db.  With
 * `must_exist`, a missing file is an error instead of a new store. */
int cli_open_store(const struct cli *c, const char *job_store, int must_exist,
                   struct kudos_store **out, struct kudos_error *err);

/* Load the plugins found on the search path. */
int cli_scan_plugins(const struct cli *c, struct kudos_registry *reg,
                     struct kudos_error *err);

/* Who is acting: --actor, else the login name. (transfer none) */
const char *cli_actor(const char *given);

/* The clock, and the time written into outputs (SOURCE_DATE_EPOCH). */
int64_t cli_now(void);
int cli_run_time(int64_t *out, struct kudos_error *err);

/* Commands. */
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_collect(struct cli *c, int argc, char **argv);
int cmd_curate(struct cli *c, int argc, char **argv);
int cmd_render(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_approve(struct cli *c, int argc, char **argv);
int cmd_reject(struct cli *c, int argc, char **argv);
int cmd_excerpt(struct cli *c, int argc, char **argv);
int cmd_plugins(struct cli *c, int argc, char **argv);
int cmd_plugin(struct cli *c, int argc, char **argv);
int cmd_request(struct cli *c, int argc, char **argv);
int cmd_grant(struct cli *c, int argc, char **argv);
int cmd_deny(struct cli *c, int argc, char **argv);
int cmd_revoke(struct cli *c, int argc, char **argv);
int cmd_optout(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_review(struct cli *c, int argc, char **argv);

#endif
