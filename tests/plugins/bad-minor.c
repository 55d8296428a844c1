/* Refused: ABI minor newer than the host */
#include <kudos/plugin.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((unused)) static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }
__attribute__((unused)) static int consume(const struct kudos_host *h, struct kudos_instance *s, void *c,
                   const struct kudos_item *it)
{ (void)h; (void)s; (void)c; (void)it; return KUDOS_OK; }



static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = (uint32_t)((KUDOS_ABI_MAJOR << 16) | (KUDOS_ABI_MINOR + 1)),
	.kind = KUDOS_PLUGIN_SOURCE, .name = "bad-minor", .version = "1.0.0",
	.description = "test: ABI minor newer than the host",
	.collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
