/*
 * good-planner ("planner"): a planning output for tests.  init() declares
 * the span [from, until) with output_horizon; consume() writes one line
 * per item it is handed to planner.txt: the id, then for each time of
 * `check_at` the gate's verdict there (1, or 0 and the reason).  It also
 * tries output_horizon again from consume() (the host must refuse it) and,
 * in flush(), asks about an id it was never handed.
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	const char *dir;
	const char *scope;
	int64_t from, until;
	const char *const *check_at; /* seconds since 1970, as strings */
	/* state */
	char *buf;
	size_t len, cap;
	int late_horizon; /* what output_horizon() said from consume() */
};

static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_PATH, "dir", NULL, 1, offsetof(struct ctx, dir),
	 "the folder planner.txt is written in"},
	{KUDOS_CONFIG_STRING, "scope", "social", 0, offsetof(struct ctx, scope),
	 "the rights scope items must be granted for (default social)"},
	{KUDOS_CONFIG_INT, "from", NULL, 1, offsetof(struct ctx, from),
	 "first second of the span the output plans for (UTC)"},
	{KUDOS_CONFIG_INT, "until", NULL, 1, offsetof(struct ctx, until),
	 "end of the span, exclusive (UTC)"},
	{KUDOS_CONFIG_STRING_LIST, "check_at", "[]", 0, offsetof(struct ctx, check_at),
	 "times to ask the gate about for every item, in seconds since 1970"},
	{0},
};

static int put(const struct kudos_host *host, struct ctx *c, const char *s)
{
	size_t n = strlen(s);
	while (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		char *grown = host->realloc(c->buf, cap);
		if (!grown)
			return KUDOS_ENOMEM;
		c->buf = grown;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, s, n + 1);
	c->len += n;
	return KUDOS_OK;
}

static int init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	c->buf = NULL;
	c->len = c->cap = 0;
	c->late_horizon = 1;
	return host->output_horizon(self, c->from, c->until);
}

/* The verdicts on `id` at every check time, as " 1" or " 0(reason)". */
static int verdicts(const struct kudos_host *host, struct kudos_instance *self, struct ctx *c,
                    const char *id)
{
	int rc = put(host, c, id);
	for (size_t i = 0; rc == KUDOS_OK && c->check_at && c->check_at[i]; i++) {
		const char *why = "unset";
		char word[160];
		int ok = host->gate_check_at(self, id, strtoll(c->check_at[i], NULL, 10), &why);
		snprintf(word, sizeof word, ok ? " 1" : " 0(%s)", why ? why : "null");
		rc = put(host, c, word);
	}
	return rc == KUDOS_OK ? put(host, c, "\n") : rc;
}

static int consume(const struct kudos_host *host, struct kudos_instance *self, void *vctx,
                   const struct kudos_item *item)
{
	struct ctx *c = vctx;
	if (c->late_horizon == 1)
		c->late_horizon = host->output_horizon(self, c->from, c->until);
	int rc = verdicts(host, self, c, host->item_get(item, KUDOS_FIELD_ID));
	if (rc != KUDOS_OK)
		host->set_error(self, "out of memory");
	return rc;
}

static int flush(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	char line[64];
	snprintf(line, sizeof line, "late_horizon %d\n", c->late_horizon);
	int rc = put(host, c, line);
	if (rc == KUDOS_OK)
		rc = verdicts(host, self, c, "nosuch:item");
	if (rc != KUDOS_OK) {
		host->set_error(self, "out of memory");
		return rc;
	}
	return host->output_write(self, "planner.txt", c->buf, c->len);
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
	.name = "planner",
	.version = "1.0.0",
	.description = "test fixture: a planning output that asks the gate about given times",
	.config = cfg,
	.context_size = sizeof(struct ctx),
	.init = init,
	.consume = consume,
	.flush = flush,
	.exit = fini,
};

KUDOS_PLUGIN_DEFINE(d)
