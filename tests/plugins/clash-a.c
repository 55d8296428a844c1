/* Name clash fixture: clash-a.c and clash-b.c are both the source "clash";
 * their versions ("a") tell them apart. */
#include <kudos/plugin.h>

static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE, .name = "clash", .version = "a",
	.description = "test: name clash fixture a", .collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
