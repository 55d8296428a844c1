/*
 * Plugin configuration: checking a plugin's config table, and filling its
 * context from the job's entry for it (Fluent Bit's config-map model: the
 * table says each key's type and where in the context its value goes).
 */
#ifndef KUDOS_ENGINE_CONFIG_H
#define KUDOS_ENGINE_CONFIG_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include <kudos/plugin.h>

#include "error.h"

/* Well-formed table: known types, unique non-empty keys (not "plugin"),
 * each value inside context_size, defaults that parse. */
int kudos_config_table_validate(const struct kudos_plugin *d, const char *path,
                                struct kudos_error *err);

/* Values the host keeps alive for the plugin (strings, lists). */
struct kudos_config_store {
	void **owned;
	size_t n_owned;
	cJSON *entry; /* the job's object for this plugin; not owned */
};

/* Fill `ctx` from `entry` (the job's object, "plugin" key included) by
 * the plugin's table.  `where` names the entry in messages, e.g.
 * "job.json: outputs[0] (widget-json)"; `base_dir` resolves PATH values.
 * Unknown keys and missing required keys are refused with the valid keys
 * listed. */
int kudos_config_apply(const struct kudos_plugin *d, const cJSON *entry,
                       const char *where, const char *base_dir, void *ctx,
                       struct kudos_config_store *cs, struct kudos_error *err);
void kudos_config_store_free(struct kudos_config_store *cs);

/* The job's value for `key` as text, as host->config_get() promises.
 * (transfer none) kept in `cs`. */
const char *kudos_config_text(struct kudos_config_store *cs, const cJSON *entry,
                              const char *key);

const char *kudos_config_type_name(int type);

#endif
