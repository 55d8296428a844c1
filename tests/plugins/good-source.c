/*
 * good-source: a well-behaved source for tests.  Emits `count` items
 * (default 3) with fixed content: external id "<prefix>-<n>" (prefix
 * default "g"), text "Testimonial <n> from the good source.", rating
 * 6-n of 5 (5, 4, 3 ...; never below 1), author "Author <n>", and consent
 * for web and print.  Stops with KUDOS_ESTOP when should_stop() says so.
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ctx {
	int64_t count;
	const char *prefix;
};

static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_INT, "count", "3", 0, offsetof(struct ctx, count),
	 "how many items to emit (default 3)"},
	{KUDOS_CONFIG_STRING, "prefix", "g", 0, offsetof(struct ctx, prefix),
	 "external ids are <prefix>-1, <prefix>-2, ..."},
	{0},
};

static int init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	if (c->count < 0 || c->count > 100000) {
		host->set_error(self, "count %lld is out of range; use 0 to 100000",
		                (long long)c->count);
		return KUDOS_EINVAL;
	}
	return KUDOS_OK;
}

static int collect(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	char id[256], text[128], author[64];
	for (int64_t n = 1; n <= c->count; n++) {
		if (host->should_stop(self))
			return KUDOS_ESTOP;
		snprintf(id, sizeof id, "%s-%lld", c->prefix, (long long)n);
		snprintf(text, sizeof text, "Testimonial %lld from the good source.", (long long)n);
		snprintf(author, sizeof author, "Author %lld", (long long)n);
		struct kudos_item *it = host->item_new(self, id);
		if (!it) {
			host->set_error(self, "item %s could not be created", id);
			return KUDOS_EFAIL;
		}
		double rating = n < 5 ? (double)(6 - n) : 1.0;
		if (host->item_set(it, KUDOS_FIELD_TEXT, text) ||
		    host->item_set(it, KUDOS_FIELD_AUTHOR_NAME, author) ||
		    host->item_set_rating(it, rating, 5) ||
		    host->item_set_time(it, KUDOS_TIME_CREATED, 1600000000 + n * 86400) ||
		    host->item_set_consent(it, "web,print", "good-source test fixture")) {
			host->item_free(it);
			host->set_error(self, "item %s could not be filled", id);
			return KUDOS_EFAIL;
		}
		int rc = host->item_emit(self, it);
		if (rc < 0 && rc != KUDOS_EINVAL)
			return rc;
	}
	return KUDOS_OK;
}

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "good-source",
	.version = "1.0.0",
	.description = "test fixture: emits `count` fixed items with consent",
	.config = cfg,
	.context_size = sizeof(struct ctx),
	.init = init,
	.collect = collect,
};

KUDOS_PLUGIN_DEFINE(d)
