/* kudos: the command-line entry point.  Finds the command and hands over. */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kudos/plugin.h>

#include "cli/cli.h"
#include "json_arena.h"
#include "store.h"

#ifndef KUDOS_VERSION
#define KUDOS_VERSION "0.1.0"
#endif

/* The only process-wide state: set by SIGINT, polled by plugins through
 * host->should_stop(). */
static volatile sig_atomic_t stop_requested;

static void on_sigint(int sig)
{
	(void)sig;
	if (stop_requested)
		signal(SIGINT, SIG_DFL); /* a second Ctrl-C ends at once */
	stop_requested = 1;
}

static const struct {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *args, *summary;
} commands[] = {
	{"run", cmd_run, "JOB.json [--dry-run]", "collect, curate and render"},
	{"collect", cmd_collect, "JOB.json", "collect from the sources"},
	{"curate", cmd_curate, "JOB.json", "filter, flag and apply the curation rules"},
	{"render", cmd_render, "JOB.json", "render the outputs from the store"},
	{"list", cmd_list, "[--curation S] [--rights S] [--json]", "items, newest first"},
	{"show", cmd_show, "ID [--json]", "one item, its states and evidence"},
	{"approve", cmd_approve, "ID...", "approve items"},
	{"reject", cmd_reject, "ID... [--reason T]", "reject items"},
	{"excerpt", cmd_excerpt, "ID --text T... | --clear", "approve a shorter excerpt for cards"},
	{"review", cmd_review, "JOB.json", "decide new items one by one, in the terminal"},
	{"request", cmd_request, "ID... [--template T]", "ask for permission: print the message"},
	{"grant", cmd_grant, "ID --scope S --evidence T", "record permission (scopes, window)"},
	{"deny", cmd_deny, "ID [--reason T]", "the creator said no"},
	{"revoke", cmd_revoke, "ID --reason T", "permission withdrawn: take it down"},
	{"optout", cmd_optout, "AUTHOR", "never render this author again"},
	{"history", cmd_history, "ID [--json]", "an item's audit entries"},
	{"audit", cmd_audit, "verify", "check the audit trail's hash chain"},
	{"export", cmd_export, "--format csv|json", "every item with its states"},
	{"plugins", cmd_plugins, "[--json]", "the plugins on the search path"},
	{"plugin", cmd_plugin, "check FILE.so", "check a plugin as kudos would load it"},
};

static void usage(FILE *to)
{
	fprintf(to, "usage: kudos COMMAND [ARGS] [--store PATH] [--plugin-path DIRS] [-q|-v]\n\n"
	            "kudos curates testimonials and publishes only what is approved and\n"
	            "permitted.  Commands:\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(to, "  kudos %-8s %-38s %s\n", commands[i].name, commands[i].args,
		        commands[i].summary);
	fprintf(to, "\n`kudos COMMAND --help` explains one command.  Exit status: 0 done,\n"
	            "1 the run failed, 2 bad usage or bad input.\n");
}

int main(int argc, char **argv)
{
	struct cli c = {.verbosity = 1, .stop = &stop_requested};
	int cmd = -1;
	if (sodium_init() < 0) {
		fprintf(stderr, "kudos: libsodium could not initialise\n");
		return KUDOS_EXIT_FAIL;
	}
	signal(SIGINT, on_sigint);
	/* Before any thread: cJSON's hooks and SQLite's settings are
	 * process-wide. */
	kudos_json_arena_install();
	kudos_store_init_process();

	/* The command is the first word that is not an option or an option's
	 * value; global options may come before it. */
	int at = 1;
	while (at < argc && argv[at][0] == '-') {
		if (!strcmp(argv[at], "--version")) {
			printf("kudos %s (plugin ABI %d.%d)\n", KUDOS_VERSION, KUDOS_ABI_MAJOR,
			       KUDOS_ABI_MINOR);
			return 0;
		}
		if (!strcmp(argv[at], "--help") || !strcmp(argv[at], "-h")) {
			usage(stdout);
			return 0;
		}
		if ((!strcmp(argv[at], "--store") || !strcmp(argv[at], "--plugin-path")) &&
		    at + 1 < argc)
			at++;
		at++;
	}
	if (at >= argc) {
		usage(stderr);
		return KUDOS_EXIT_INPUT;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[at], commands[i].name) == 0)
			cmd = (int)i;
	if (cmd < 0) {
		fprintf(stderr, "kudos: unknown command '%s'; `kudos --help` lists them\n",
		        argv[at]);
		return KUDOS_EXIT_INPUT;
	}
	c.command = commands[cmd].name;

	/* Hand the command every argument but its own name. */
	char *rest[argc];
	int n = 0;
	for (int i = 1; i < argc; i++)
		if (i != at)
			rest[n++] = argv[i];
	int status = commands[cmd].run(&c, n, rest);
	free(c.args);
	return status;
}
