/*
 * later-output ("later"): an output that finishes its items after consume(),
 * as one rendering several at once does, for tests of the services for
 * that: consume() keeps the ids; flush() writes one file per item by id
 * (output_write_item_id, "<n>.txt" holding the item's excerpt or text),
 * leaves out (output_leave_out) the items whose text contains "leave me",
 * reports progress, and writes services.txt (output_write_report) with
 * what the host answered: the jobs it allows and the status of a write for
 * an id it never consumed, and of one after leaving an item out.  With
 * `fail_in_flush` 1, flush() fails once the item files are written.
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct ctx {
	const char *dir;
	const char *scope;
	int64_t fail_in_flush;
	/* state */
	char **ids, **texts;
	size_t n, cap;
};

static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_PATH, "dir", NULL, 1, offsetof(struct ctx, dir), "the folder"},
	{KUDOS_CONFIG_STRING, "scope", "web", 0, offsetof(struct ctx, scope), "the scope"},
	{KUDOS_CONFIG_INT, "fail_in_flush", "0", 0, offsetof(struct ctx, fail_in_flush),
	 "1: fail in flush() after writing the item files"},
	{0},
};

static char *dup(const struct kudos_host *host, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = host->alloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static int consume(const struct kudos_host *host, struct kudos_instance *self, void *vctx,
                   const struct kudos_item *item)
{
	struct ctx *c = vctx;
	const char *excerpt = host->item_excerpt(item);
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		char **a = host->realloc(c->ids, cap * sizeof *a);
		if (a)
			c->ids = a;
		char **b = a ? host->realloc(c->texts, cap * sizeof *b) : NULL;
		if (!b) {
			host->set_error(self, "out of memory");
			return KUDOS_ENOMEM;
		}
		c->texts = b;
		c->cap = cap;
	}
	c->ids[c->n] = dup(host, host->item_get(item, KUDOS_FIELD_ID));
	c->texts[c->n] = dup(host, excerpt ? excerpt : host->item_get(item, KUDOS_FIELD_TEXT));
	if (!c->ids[c->n] || !c->texts[c->n]) {
		host->free(c->ids[c->n]);
		host->free(c->texts[c->n]);
		host->set_error(self, "out of memory");
		return KUDOS_ENOMEM;
	}
	c->n++;
	host->output_progress(self, 0, (int64_t)c->n);
	return KUDOS_OK;
}

static int flush(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	char name[32], report[512];
	int left = -1, rc;

	for (size_t i = 0; i < c->n; i++) {
		if (strstr(c->texts[i], "leave me")) {
			if ((rc = host->output_leave_out(self, c->ids[i])) != KUDOS_OK)
				return rc;
			left = (int)i;
		} else {
			snprintf(name, sizeof name, "%zu.txt", i);
			rc = host->output_write_item_id(self, c->ids[i], name, c->texts[i],
			                                strlen(c->texts[i]));
			if (rc != KUDOS_OK)
				return rc;
		}
		host->output_progress(self, (int64_t)i + 1, (int64_t)c->n);
	}
	if (c->fail_in_flush) {
		host->set_error(self, "fail_in_flush: failing after the item files, as configured");
		return KUDOS_EFAIL;
	}
	int stranger = host->output_write_item_id(self, "csv:nobody", "x.txt", "x", 1);
	int after = left < 0 ? 0
	                     : host->output_write_item_id(self, c->ids[left], "y.txt", "y", 1);
	snprintf(report, sizeof report, "jobs %d\nstranger %d\nleft out %d\n",
	         host->jobs(self), stranger, after);
	return host->output_write_report(self, "services.txt", report, strlen(report));
}

static void fini(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	(void)self;
	for (size_t i = 0; i < c->n; i++) {
		host->free(c->ids[i]);
		host->free(c->texts[i]);
	}
	host->free(c->ids);
	host->free(c->texts);
}

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "later",
	.version = "1.0.0",
	.description = "test fixture: writes each item's file from flush(), by id",
	.config = cfg,
	.context_size = sizeof(struct ctx),
	.consume = consume,
	.flush = flush,
	.exit = fini,
};

KUDOS_PLUGIN_DEFINE(d)
