/* Refused: a filter without a filter callback */
#include <kudos/plugin.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((unused)) static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_FILTER, .name = "bad-no-filter", .version = "1.0.0",
	.description = "test: a filter without filter()",
	.collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
