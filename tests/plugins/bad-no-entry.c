/* Refused: exports no kudos_plugin_entry symbol (the function is misnamed). */
#include <kudos/plugin.h>

__attribute__((unused)) static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE, .name = "bad-no-entry", .version = "1.0.0",
	.description = "test: no entry symbol", .collect = collect,
};

KUDOS_EXPORT const struct kudos_plugin *kudos_plugin_entry_misspelt(void);
KUDOS_EXPORT const struct kudos_plugin *kudos_plugin_entry_misspelt(void) { return &d; }
