/* Refused: struct_size smaller than ABI 1.0 */
#include <kudos/plugin.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((unused)) static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }
__attribute__((unused)) static int consume(const struct kudos_host *h, struct kudos_instance *s, void *c,
                   const struct kudos_item *it)
{ (void)h; (void)s; (void)c; (void)it; return KUDOS_OK; }



static const struct kudos_plugin d = {
	/* ABI 1.0's descriptor ends with exit: stop one member short of it.
	 * (Not sizeof - a pointer: members appended since make that valid.) */
	.struct_size = offsetof(struct kudos_plugin, exit), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE, .name = "bad-size-small", .version = "1.0.0",
	.description = "test: struct_size smaller than ABI 1.0",
	.collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
