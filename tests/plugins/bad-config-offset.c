/* Refused: a config offset beyond context_size */
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
	{KUDOS_CONFIG_INT, "n", "1", 0, sizeof(struct ctx), "stored past the context"},
	{0},
};

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin), .abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE, .name = "bad-config-offset", .version = "1.0.0",
	.description = "test: a config offset beyond context_size",
	.collect = collect, .config = cfg, .context_size = sizeof(struct ctx),
};

KUDOS_PLUGIN_DEFINE(d)
