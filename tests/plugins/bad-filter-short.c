/* Refused: a filter whose struct_size stops before the filter member (a
 * descriptor laid out before filters existed): kudos must not read past
 * struct_size, so it sees no filter callback. */
#include <kudos/plugin.h>
#include <stddef.h>
#include <stdint.h>

static int filter(const struct kudos_host *h, struct kudos_instance *s, void *c,
                  const struct kudos_item *it)
{ (void)h; (void)s; (void)c; (void)it; return KUDOS_OK; }

static const struct kudos_plugin d = {
	.struct_size = offsetof(struct kudos_plugin, filter), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_FILTER, .name = "bad-filter-short", .version = "1.0.0",
	.description = "test: a filter descriptor cut before filter()",
	.filter = filter,
};

KUDOS_PLUGIN_DEFINE(d)
