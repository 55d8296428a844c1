#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "gate.h"

#ifndef KUDOS_PLUGIN_DIR
#define KUDOS_PLUGIN_DIR "/usr/local/lib/kudos/plugins"
#endif

/* The descriptor as ABI 1.0 defined it: a plugin may not be smaller. */
#define DESC_MIN_SIZE (offsetof(struct kudos_plugin, exit) + sizeof(kudos_exit_fn))

const char *kudos_plugin_kind_name(int kind)
{
	switch (kind) {
	case KUDOS_PLUGIN_SOURCE: return "source";
	case KUDOS_PLUGIN_OUTPUT: return "output";
	case KUDOS_PLUGIN_FILTER: return "filter";
	default: return "unknown";
	}
}

static int name_valid(const char *name)
{
	if (!name || !*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

/* The gate needs to know which rights scope an output publishes under. */
static int check_output_scope(const struct kudos_plugin *d, const char *path,
                              struct kudos_error *err)
{
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
		if (!e->key || strcmp(e->key, "scope") != 0)
			continue;
		if (e->type == KUDOS_CONFIG_STRING && kudos_scope_valid(e->default_value))
			return 0;
		break;
	}
	return kudos_fail(err, KUDOS_EXIT_INPUT,
	                  "%s (%s): an output plugin must declare a string config key "
	                  "'scope' whose default is web, print, social or ads",
	                  path, d->name);
}

int kudos_plugin_validate(const struct kudos_plugin *d, const char *path,
                          struct kudos_error *err)
{
	unsigned major = d->abi_version >> 16, minor = d->abi_version & 0xffff;
	if (major != KUDOS_ABI_MAJOR)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: built for kudos ABI %u.%u, this kudos speaks %d.%d "
		                  "(other major version); rebuild the plugin against this SDK",
		                  path, major, minor, KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR);
	if (minor > KUDOS_ABI_MINOR)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: built for kudos ABI %u.%u, newer than this kudos (%d.%d); "
		                  "upgrade kudos or rebuild the plugin against this SDK",
		                  path, major, minor, KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR);
	if (d->struct_size < DESC_MIN_SIZE)
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: descriptor struct_size %zu is smaller than ABI %d.0's "
		                  "%zu; set struct_size = sizeof(struct kudos_plugin)",
		                  path, d->struct_size, KUDOS_ABI_MAJOR, (size_t)DESC_MIN_SIZE);
	if (d->struct_size > sizeof(struct kudos_plugin))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: descriptor struct_size %zu is larger than this kudos "
		                  "knows (%zu, ABI %d.%d); upgrade kudos or rebuild the plugin",
		                  path, d->struct_size, sizeof(struct kudos_plugin),
		                  KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR);
	if (!name_valid(d->name))
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s: plugin name '%s' is not valid; use 1-64 characters "
		                  "of a-z, 0-9 and '-'", path, d->name ? d->name : "(null)");
	if (!d->version || !*d->version)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s (%s): the descriptor has no version",
		                  path, d->name);
	switch (d->kind) {
	case KUDOS_PLUGIN_SOURCE:
		if (!d->collect)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): a source plugin must have a collect callback",
			                  path, d->name);
		break;
	case KUDOS_PLUGIN_OUTPUT:
		if (!d->consume)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): an output plugin must have a consume callback",
			                  path, d->name);
		if (check_output_scope(d, path, err))
			return -1;
		break;
	case KUDOS_PLUGIN_FILTER:
		/* A descriptor whose struct_size ends before `filter` reads it
		 * as NULL (see kudos_plugin_open), so an old layout lands here. */
		if (!d->filter)
			return kudos_fail(err, KUDOS_EXIT_INPUT,
			                  "%s (%s): a filter plugin must have a filter callback "
			                  "(and a struct_size that covers it: "
			                  "sizeof(struct kudos_plugin))",
			                  path, d->name);
		break;
	default:
		return kudos_fail(err, KUDOS_EXIT_INPUT,
		                  "%s (%s): unknown plugin kind %d (1 source, 2 output, 3 filter)",
		                  path, d->name, d->kind);
	}
	return kudos_config_table_validate(d, path, err);
}

int kudos_plugin_open(const char *path, struct kudos_plugin_lib **out,
                      struct kudos_error *err)
{
	struct kudos_plugin_lib *lib = calloc(1, sizeof *lib);
	if (!lib || !(lib->path = strdup(path))) {
		free(lib);
		return kudos_fail(err, KUDOS_EXIT_FAIL, "%s: out of memory", path);
	}
	/* dlopen searches the library path for a bare name: insist on a
	 * path so that a plugin is never picked up from somewhere implicit. */
	if (!strchr(path, '/')) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "%s: give a path (e.g. ./%s), not a bare name",
		           path, path);
		goto fail;
	}
	lib->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!lib->handle) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "%s: cannot load: %s", path, dlerror());
		goto fail;
	}
	kudos_plugin_entry_fn entry;
	*(void **)&entry = dlsym(lib->handle, KUDOS_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		kudos_fail(err, KUDOS_EXIT_INPUT,
		           "%s: no %s() entry symbol; is it a kudos plugin built with "
		           "KUDOS_PLUGIN_DEFINE?", path, KUDOS_PLUGIN_ENTRY_SYMBOL);
		goto fail;
	}
	const struct kudos_plugin *d = entry();
	if (!d) {
		kudos_fail(err, KUDOS_EXIT_INPUT, "%s: %s() returned no descriptor", path,
		           KUDOS_PLUGIN_ENTRY_SYMBOL);
		goto fail;
	}
	/* Read the size first, then only as much as the plugin declared. */
	size_t size = d->struct_size;
	memcpy(&lib->desc, d, size < sizeof lib->desc ? size : sizeof lib->desc);
	/* Size and version lead every ABI's descriptor: keep them even when
	 * the declared size is too small to cover them, so the refusal names
	 * the real problem. */
	lib->desc.struct_size = d->struct_size;
	lib->desc.abi_version = d->abi_version;
	if (kudos_plugin_validate(&lib->desc, path, err))
		goto fail;
	*out = lib;
	return 0;
fail:
	kudos_plugin_close(lib);
	return -1;
}

void kudos_plugin_close(struct kudos_plugin_lib *lib)
{
	if (!lib)
		return;
	if (lib->handle)
		dlclose(lib->handle);
	free(lib->path);
	free(lib);
}

static int push(void *arrp, size_t *n, void *elem)
{
	void ***arr = arrp;
	void **grown = realloc(*arr, (*n + 1) * sizeof **arr);
	if (!grown)
		return -1;
	grown[(*n)++] = elem;
	*arr = grown;
	return 0;
}

static int add_dirs(struct kudos_registry *reg, const char *list)
{
	if (!list)
		return 0;
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return -1;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		/* The same folder named twice (by --plugin-path and the
		 * environment, say) is searched once, or each of its plugins
		 * would clash with itself. */
		char *real = realpath(d, NULL);
		int seen = 0;
		for (size_t i = 0; real && i < reg->n_dirs && !seen; i++) {
			char *other = realpath(reg->dirs[i], NULL);
			seen = other && strcmp(other, real) == 0;
			free(other);
		}
		free(real);
		if (seen)
			continue;
		char *dir = strdup(d);
		if (!dir || push(&reg->dirs, &reg->n_dirs, dir)) {
			free(dir);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

static int is_plugin_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

static int scan_dir(struct kudos_registry *reg, const char *dir)
{
	struct dirent **names = NULL;
	/* alphasort is strcmp order here: kudos never sets a locale. */
	int n = scandir(dir, &names, is_plugin_file, alphasort);
	if (n < 0)
		return 0; /* a folder on the path that does not exist is fine */
	int rc = 0;
	for (int i = 0; i < n; i++) {
		struct kudos_error err = {0};
		struct kudos_plugin_lib *lib = NULL;
		char *path = NULL;
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0) {
			rc = -1;
			path = NULL;
		} else if (kudos_plugin_open(path, &lib, &err) == 0) {
			const struct kudos_plugin_lib *twin =
				kudos_registry_find(reg, lib->desc.name, lib->desc.kind);
			if (twin) {
				kudos_fail(&err, KUDOS_EXIT_INPUT,
				           "%s: name clash: %s plugin '%s' is already provided by %s, "
				           "which comes first on the plugin path",
				           path, kudos_plugin_kind_name(lib->desc.kind),
				           lib->desc.name, twin->path);
				kudos_plugin_close(lib);
			} else if (push(&reg->libs, &reg->n, lib)) {
				kudos_plugin_close(lib);
				rc = -1;
			}
		}
		if (err.status) {
			char *line = strdup(err.msg);
			if (!line || push(&reg->refusals, &reg->n_refusals, line)) {
				free(line);
				rc = -1;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int kudos_registry_scan(struct kudos_registry *reg, const char *cli_path,
                        struct kudos_error *err)
{
	if (add_dirs(reg, cli_path) || add_dirs(reg, getenv("KUDOS_PLUGIN_PATH")) ||
	    add_dirs(reg, KUDOS_PLUGIN_DIR))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < reg->n_dirs; i++)
		if (scan_dir(reg, reg->dirs[i]))
			return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return 0;
}

void kudos_registry_free(struct kudos_registry *reg)
{
	for (size_t i = 0; i < reg->n; i++)
		kudos_plugin_close(reg->libs[i]);
	for (size_t i = 0; i < reg->n_refusals; i++)
		free(reg->refusals[i]);
	for (size_t i = 0; i < reg->n_dirs; i++)
		free(reg->dirs[i]);
	free(reg->libs);
	free(reg->refusals);
	free(reg->dirs);
	memset(reg, 0, sizeof *reg);
}

const struct kudos_plugin_lib *kudos_registry_find(const struct kudos_registry *reg,
                                                   const char *name, int kind)
{
	for (size_t i = 0; i < reg->n; i++)
		if (reg->libs[i]->desc.kind == kind && strcmp(reg->libs[i]->desc.name, name) == 0)
			return reg->libs[i];
	return NULL;
}
