/* Refused: needs a symbol nothing provides, so dlopen(RTLD_NOW) fails.
 * (A shared object may link with undefined symbols.) */
#include <kudos/plugin.h>

extern int kudos_test_no_such_function(void);

static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return kudos_test_no_such_function(); }

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE, .name = "bad-undefined", .version = "1.0.0",
	.description = "test: unresolvable symbol", .collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
