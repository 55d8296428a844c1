/* Refused: an output without a scope config key */
#include <kudos/plugin.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((unused)) static int collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{ (void)h; (void)s; (void)c; return KUDOS_OK; }
__attribute__((unused)) static int consume(const struct kudos_host *h, struct kudos_instance *s, void *c,
                   const struct kudos_item *it)
{ (void)h; (void)s; (void)c; (void)it; return KUDOS_OK; }

struct ctx { const char *scope; int64_t n; const char *s; };
static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_STRING, "s", "web", 0, offsetof(struct ctx, s), "not the scope"},
	{0},
};

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT, .name = "bad-no-scope", .version = "1.0.0",
	.description = "test: an output without a scope config key",
	.consume = consume, .config = cfg, .context_size = sizeof(struct ctx),
};

KUDOS_PLUGIN_DEFINE(d)
