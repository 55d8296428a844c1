/*
 * good-output ("probe"): a well-behaved output for tests.  Writes probe.txt
 * in its output directory ("dir"), one consumed item id per line, in
 * consume order.  With `fail_at` N > 0 the Nth consume() fails (EFAIL).
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ctx {
	const char *dir;
	const char *scope;
	int64_t fail_at;
	/* state */
	char *buf;
	size_t len, cap;
	int64_t consumed;
};

static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_PATH, "dir", NULL, 1, offsetof(struct ctx, dir),
	 "the folder probe.txt is written in"},
	{KUDOS_CONFIG_STRING, "scope", "web", 0, offsetof(struct ctx, scope),
	 "the rights scope items must be granted for (default web)"},
	{KUDOS_CONFIG_INT, "fail_at", "0", 0, offsetof(struct ctx, fail_at),
	 "fail on the Nth consume (default 0: never)"},
	{0},
};

static int init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	if (c->fail_at < 0) {
		host->set_error(self, "fail_at must be 0 or more");
		return KUDOS_EINVAL;
	}
	c->cap = 64;
	if (!(c->buf = host->alloc(c->cap))) {
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	c->len = 0;
	c->consumed = 0;
	return KUDOS_OK;
}

static int consume(const struct kudos_host *host, struct kudos_instance *self, void *vctx,
                   const struct kudos_item *item)
{
	struct ctx *c = vctx;
	const char *id = host->item_get(item, KUDOS_FIELD_ID);
	if (++c->consumed == c->fail_at) {
		host->set_error(self, "fail_at: failing on item %lld (%s) as configured",
		                (long long)c->consumed, id ? id : "?");
		return KUDOS_EFAIL;
	}
	size_t n = id ? strlen(id) : 0;
	while (c->len + n + 2 > c->cap) {
		char *grown = host->realloc(c->buf, c->cap * 2);
		if (!grown) {
			host->set_error(self, "out of memory");
			return KUDOS_ENOMEM;
		}
		c->buf = grown;
		c->cap *= 2;
	}
	memcpy(c->buf + c->len, id ? id : "", n);
	c->len += n;
	c->buf[c->len++] = '\n';
	return KUDOS_OK;
}

static int flush(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	return host->output_write(self, "probe.txt", c->buf, c->len);
}

static void fini(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	(void)self;
	host->free(c->buf);
	c->buf = NULL;
}

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "probe",
	.version = "1.0.0",
	.description = "test fixture: writes the consumed item ids to probe.txt",
	.config = cfg,
	.context_size = sizeof(struct ctx),
	.init = init,
	.consume = consume,
	.flush = flush,
	.exit = fini,
};

KUDOS_PLUGIN_DEFINE(d)
