/* kudos plugins | plugin check FILE.so */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config.h"
#include "cli.h"

static const char plugins_help[] =
	"usage: kudos plugins [--json] [--plugin-path DIRS]\n"
	"\n"
	"List the plugins found on the search path (--plugin-path, then\n"
	"KUDOS_PLUGIN_PATH, then the installed folder), with their job keys,\n"
	"and the files that were refused and why.\n";

static const char check_help[] =
	"usage: kudos plugin check FILE.so [--json]\n"
	"\n"
	"Load one plugin file as kudos would and check its descriptor, ABI\n"
	"version, callbacks and config table.  Exit status 0 if kudos would\n"
	"load it, 2 with the reason if not.\n";

static cJSON *plugin_json(const struct kudos_plugin_lib *lib)
{
	const struct kudos_plugin *d = &lib->desc;
	char abi[16];
	snprintf(abi, sizeof abi, "%u.%u", d->abi_version >> 16, d->abi_version & 0xffff);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", d->name);
	cJSON_AddStringToObject(o, "kind", kudos_plugin_kind_name(d->kind));
	cJSON_AddStringToObject(o, "version", d->version);
	cJSON_AddStringToObject(o, "abi", abi);
	if (d->description)
		cJSON_AddStringToObject(o, "description", d->description);
	cJSON_AddStringToObject(o, "file", lib->path);
	cJSON *keys = cJSON_AddArrayToObject(o, "config");
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
		cJSON *k = cJSON_CreateObject();
		cJSON_AddItemToArray(keys, k);
		cJSON_AddStringToObject(k, "key", e->key);
		cJSON_AddStringToObject(k, "type", kudos_config_type_name(e->type));
		cJSON_AddBoolToObject(k, "required", e->required);
		if (e->default_value)
			cJSON_AddStringToObject(k, "default", e->default_value);
		if (e->help)
			cJSON_AddStringToObject(k, "help", e->help);
	}
	return o;
}

static void plugin_text(const struct kudos_plugin_lib *lib)
{
	const struct kudos_plugin *d = &lib->desc;
	printf("%-8s %-16s %-8s %s\n", kudos_plugin_kind_name(d->kind), d->name, d->version,
	       d->description ? d->description : "");
	printf("         %s\n", lib->path);
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
		printf("           %-16s %-18s%s", e->key, kudos_config_type_name(e->type),
		       e->required ? " required" : "");
		if (e->default_value)
			printf(" default %s", e->default_value);
		if (e->help)
			printf("  %s", e->help);
		printf("\n");
	}
}

/* Print and free. */
static int emit_json(cJSON *o)
{
	int rc = cli_print_json(o);
	cJSON_Delete(o);
	return rc;
}

int cmd_plugins(struct cli *c, int argc, char **argv)
{
	int json = 0;
	const struct cli_flag flags[] = {{"json", NULL, &json}, {0}};
	struct kudos_error err = {0};
	struct kudos_registry reg = {0};
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(plugins_help);
	if ((status = cli_need_args(c, 0, 0, "kudos plugins [--json]")))
		return status;
	/* Refusals are part of this listing, not warnings beside it. */
	if (kudos_registry_scan(&reg, c->plugin_path, &err)) {
		status = cli_report(&err);
		goto done;
	}
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON *path = cJSON_AddArrayToObject(o, "search_path");
		for (size_t i = 0; i < reg.n_dirs; i++)
			cJSON_AddItemToArray(path, cJSON_CreateString(reg.dirs[i]));
		cJSON *list = cJSON_AddArrayToObject(o, "plugins");
		for (size_t i = 0; i < reg.n; i++)
			cJSON_AddItemToArray(list, plugin_json(reg.libs[i]));
		cJSON *refused = cJSON_AddArrayToObject(o, "refused");
		for (size_t i = 0; i < reg.n_refusals; i++)
			cJSON_AddItemToArray(refused, cJSON_CreateString(reg.refusals[i]));
		status = emit_json(o);
		goto done;
	}
	printf("search path:\n");
	for (size_t i = 0; i < reg.n_dirs; i++)
		printf("  %s\n", reg.dirs[i]);
	printf("\n");
	for (size_t i = 0; i < reg.n; i++)
		plugin_text(reg.libs[i]);
	if (reg.n == 0)
		printf("no plugins found\n");
	for (size_t i = 0; i < reg.n_refusals; i++)
		printf("refused: %s\n", reg.refusals[i]);
	status = 0;
done:
	kudos_registry_free(&reg);
	return status;
}

int cmd_plugin(struct cli *c, int argc, char **argv)
{
	int json = 0;
	const struct cli_flag flags[] = {{"json", NULL, &json}, {0}};
	struct kudos_error err = {0};
	struct kudos_plugin_lib *lib = NULL;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help || (c->n_args > 0 && strcmp(c->args[0], "check") != 0) || c->n_args == 0) {
		if (c->help)
			return cli_help(check_help);
		fprintf(stderr, "kudos plugin: the only subcommand is `check`\nusage: kudos "
		                "plugin check FILE.so\n");
		return KUDOS_EXIT_INPUT;
	}
	c->command = "plugin check";
	if ((status = cli_need_args(c, 2, 2, "kudos plugin check FILE.so")))
		return status;
	/* A bare file name would make dlopen search the library path. */
	char *path = strchr(c->args[1], '/') ? strdup(c->args[1]) : NULL;
	if (!path && asprintf(&path, "./%s", c->args[1]) < 0)
		path = NULL;
	if (!path) {
		fprintf(stderr, "kudos: out of memory\n");
		return KUDOS_EXIT_FAIL;
	}
	if (kudos_plugin_open(path, &lib, &err)) {
		free(path);
		if (json) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddBoolToObject(o, "ok", 0);
			cJSON_AddStringToObject(o, "reason", err.msg);
			emit_json(o);
		}
		return cli_report(&err);
	}
	free(path);
	if (json) {
		cJSON *o = plugin_json(lib);
		cJSON_AddBoolToObject(o, "ok", 1);
		status = emit_json(o);
	} else {
		plugin_text(lib);
		printf("ok: kudos can load this %s plugin\n", kudos_plugin_kind_name(lib->desc.kind));
	}
	kudos_plugin_close(lib);
	return status;
}
