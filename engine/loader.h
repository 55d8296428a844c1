/*
 * Plugin loader: opens shared objects with dlopen(RTLD_NOW | RTLD_LOCAL),
 * checks the descriptor each returns against the ABI of <kudos/plugin.h>,
 * and keeps a registry of the plugins found on the search path.
 *
 * Search order: the --plugin-path folders, then KUDOS_PLUGIN_PATH, then
 * the installed folder.  The current directory is never searched unless
 * one of those names it.  A plugin whose name an earlier one already took
 * of the same kind is refused (a name clash; a source, an output and a
 * filter may share a name, since a job names them in different lists),
 * as is any plugin whose descriptor is wrong; each refusal is one line
 * that names the file and the reason.
 */
#ifndef KUDOS_ENGINE_LOADER_H
#define KUDOS_ENGINE_LOADER_H

#include <stddef.h>

#include <kudos/plugin.h>

#include "error.h"

struct kudos_plugin_lib {
	char *path;
	void *handle;
	/* The descriptor copied into the host's own layout: members beyond
	 * the plugin's struct_size read as zero. */
	struct kudos_plugin desc;
};

/* Load one plugin file and validate it.  (transfer full) *out.
 * RETURN VALUE -1 with KUDOS_EXIT_INPUT and a one-line reason. */
int kudos_plugin_open(const char *path, struct kudos_plugin_lib **out,
                      struct kudos_error *err);
void kudos_plugin_close(struct kudos_plugin_lib *lib);

/* Check a descriptor as the loader does; `path` names it in messages. */
int kudos_plugin_validate(const struct kudos_plugin *desc, const char *path,
                          struct kudos_error *err);

const char *kudos_plugin_kind_name(int kind);

struct kudos_registry {
	struct kudos_plugin_lib **libs;
	size_t n;
	char **refusals; /* one line each */
	size_t n_refusals;
	char **dirs;     /* the search path as used, in order */
	size_t n_dirs;
};

/* Build the search path (cli_path is --plugin-path, may be NULL; both it
 * and KUDOS_PLUGIN_PATH are colon-separated) and load every *.so found. */
int kudos_registry_scan(struct kudos_registry *reg, const char *cli_path,
                        struct kudos_error *err);
void kudos_registry_free(struct kudos_registry *reg);

/* The plugin called `name` of `kind`, or NULL. */
const struct kudos_plugin_lib *kudos_registry_find(const struct kudos_registry *reg,
                                                   const char *name, int kind);

#endif
