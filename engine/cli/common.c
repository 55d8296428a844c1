#include "cli.h"

#include <cjson/cJSON.h>

#include "../fsutil.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* "kudos list: unknown option --x; see `kudos list --help`" */
static int usage_error(const struct cli *c, const char *problem, const char *option)
{
	fprintf(stderr, "kudos %s: %s %s; see `kudos %s --help`\n", c->command, problem,
	        option, c->command);
	return KUDOS_EXIT_INPUT;
}

/* Match "--name" or "--name=value"; *inline_value gets the part after '='. */
static int match(const char *arg, const char *name, const char **inline_value)
{
	size_t n = strlen(name);
	if (strncmp(arg + 2, name, n) != 0)
		return 0;
	if (arg[2 + n] == '\0') {
		*inline_value = NULL;
		return 1;
	}
	if (arg[2 + n] == '=') {
		*inline_value = arg + 3 + n;
		return 1;
	}
	return 0;
}

int cli_parse(struct cli *c, int argc, char **argv, const struct cli_flag *flags)
{
	static const char *const global_values[] = {"store", "plugin-path"};
	c->args = calloc((size_t)argc + 1, sizeof *c->args);
	c->n_args = 0;
	if (!c->args) {
		fprintf(stderr, "kudos: out of memory\n");
		return KUDOS_EXIT_FAIL;
	}
	int only_args = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (only_args || a[0] != '-' || a[1] == '\0') {
			c->args[c->n_args++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->verbosity = 0;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			c->verbosity = 2;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			c->help = 1;
			continue;
		}
		if (a[1] != '-')
			return usage_error(c, "unknown option", a);
		const char **slot = NULL;
		int *set = NULL, found = 0;
		for (size_t g = 0; g < 2 && !found; g++) {
			if (match(a, global_values[g], &v)) {
				slot = g == 0 ? &c->store : &c->plugin_path;
				found = 1;
			}
		}
		for (const struct cli_flag *f = flags; !found && f && f->name; f++) {
			if (match(a, f->name, &v)) {
				slot = f->value;
				set = f->set;
				found = 1;
			}
		}
		if (!found)
			return usage_error(c, "unknown option", a);
		if (set) {
			if (v)
				return usage_error(c, "no value is taken by option", a);
			*set = 1;
			continue;
		}
		if (!v) {
			if (i + 1 >= argc)
				return usage_error(c, "a value is needed by option", a);
			v = argv[++i];
		}
		*slot = v;
	}
	return 0;
}

int cli_take_all(struct cli *c, int *argc, char **argv, const char *name,
                 struct cli_list *out)
{
	int kept = 0, i = 0;
	out->n = 0;
	if (!(out->v = calloc((size_t)*argc + 1, sizeof *out->v))) {
		fprintf(stderr, "kudos: out of memory\n");
		return KUDOS_EXIT_FAIL;
	}
	for (; i < *argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;
		if (strncmp(argv[i], "--", 2) != 0 || !match(argv[i], name, &v)) {
			argv[kept++] = argv[i];
			continue;
		}
		if (!v) {
			if (i + 1 >= *argc)
				return usage_error(c, "a value is needed by option", argv[i]);
			v = argv[++i];
		}
		out->v[out->n++] = v;
	}
	while (i < *argc)
		argv[kept++] = argv[i++];
	*argc = kept;
	return 0;
}

int cli_report(const struct kudos_error *err)
{
	fprintf(stderr, "kudos: %s\n", err->msg[0] ? err->msg : "failed");
	return err->status ? err->status : KUDOS_EXIT_FAIL;
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

int cli_need_args(const struct cli *c, int min, int max, const char *usage)
{
	if (c->n_args >= min && (max < 0 || c->n_args <= max))
		return 0;
	fprintf(stderr, "kudos %s: %s\nusage: %s\n", c->command,
	        c->n_args < min ? "missing argument" : "too many arguments", usage);
	return KUDOS_EXIT_INPUT;
}

int cli_open_store(const struct cli *c, const char *job_store, int must_exist,
                   struct kudos_store **out, struct kudos_error *err)
{
	const char *path = c->store ? c->store : job_store ? job_store : "kudos.db";
	if (must_exist && access(path, F_OK) != 0)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "no store at %s; collect first (`kudos collect JOB.json`) "
		                  "or name the store with --store PATH", path);
	/* A job that names "out/kudos.db" should not need a mkdir first. */
	char *dir = kudos_path_dirname(path);
	int rc = !dir ? kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory")
	              : kudos_mkdirs(dir, err);
	free(dir);
	return rc ? -1 : kudos_store_open(path, out, err);
}

int cli_scan_plugins(const struct cli *c, struct kudos_registry *reg,
                     struct kudos_error *err)
{
	if (kudos_registry_scan(reg, c->plugin_path, err))
		return -1;
	/* A refused plugin is worth knowing about, but does not stop a job
	 * that does not use it. */
	if (c->verbosity > 0)
		for (size_t i = 0; i < reg->n_refusals; i++)
			fprintf(stderr, "kudos: warning: plugin refused: %s\n", reg->refusals[i]);
	return 0;
}

const char *cli_actor(const char *given)
{
	if (given && *given)
		return given;
	const char *user = getenv("USER");
	if (user && *user)
		return user;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

int64_t cli_now(void)
{
	return (int64_t)time(NULL);
}

int cli_run_time(int64_t *out, struct kudos_error *err)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (!sde || !*sde) {
		*out = cli_now();
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(sde, &end, 10);
	if (errno || *end || v < 0 || v > 253402300799LL)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970",
		                  sde);
	*out = v;
	return 0;
}

int cli_print_json(const cJSON *v)
{
	char *text = v ? cJSON_Print(v) : NULL;
	if (!text) {
		fprintf(stderr, "kudos: out of memory\n");
		return KUDOS_EXIT_FAIL;
	}
	puts(text);
	cJSON_free(text);
	return 0;
}

void cli_json_array_begin(struct cli_json_array *a)
{
	a->n = 0;
	fputs("[", stdout);
}

int cli_json_array_item(struct cli_json_array *a, cJSON *element)
{
	char *text = element ? cJSON_Print(element) : NULL;
	cJSON_Delete(element);
	if (!text) {
		fprintf(stderr, "kudos: out of memory\n");
		return KUDOS_EXIT_FAIL;
	}
	printf("%s\n%s", a->n++ ? "," : "", text);
	cJSON_free(text);
	return 0;
}

int cli_json_array_end(struct cli_json_array *a)
{
	fputs(a->n ? "\n]\n" : "]\n", stdout);
	return cli_flush_stdout();
}

int cli_flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "kudos: cannot write the output: %s\n", strerror(errno));
		return KUDOS_EXIT_FAIL;
	}
	return 0;
}
