/*
 * good-filter: a well-behaved filter for tests.  On every item it logs
 * "looked at ID" (shown with -v, so a test can count the items a run
 * filtered), tags it "seen" and sets the score "length" (bytes of text).
 * When the text contains `word` (default "spam") it raises the flag
 * "keyword" with the word as detail and tags "keyword".  When `language`
 * is set it gives the item that language, and tags "language-kept" when
 * the item already had one.  When the text contains `fail_on` it fails
 * with KUDOS_EFAIL, naming the word.
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ctx {
	const char *word, *language, *fail_on;
};

static const struct kudos_config_entry cfg[] = {
	{KUDOS_CONFIG_STRING, "word", "spam", 0, offsetof(struct ctx, word),
	 "flag items whose text contains this word"},
	{KUDOS_CONFIG_STRING, "language", NULL, 0, offsetof(struct ctx, language),
	 "give items without a language this one"},
	{KUDOS_CONFIG_STRING, "fail_on", NULL, 0, offsetof(struct ctx, fail_on),
	 "fail on an item whose text contains this"},
	{0},
};

static int filter(const struct kudos_host *host, struct kudos_instance *self, void *vctx,
                  const struct kudos_item *item)
{
	struct ctx *c = vctx;
	const char *text = host->item_get(item, KUDOS_FIELD_TEXT);
	host->log(self, KUDOS_LOG_INFO, "looked at %s", host->item_get(item, KUDOS_FIELD_ID));
	if (c->fail_on && strstr(text, c->fail_on)) {
		host->set_error(self, "the text contains '%s', which this filter refuses",
		                c->fail_on);
		return KUDOS_EFAIL;
	}
	int rc = host->filter_tag(self, item, "seen");
	if (rc == KUDOS_OK)
		rc = host->filter_score(self, item, "length", (double)strlen(text));
	if (rc == KUDOS_OK && strstr(text, c->word)) {
		rc = host->filter_flag(self, item, "keyword", c->word);
		if (rc == KUDOS_OK)
			rc = host->filter_tag(self, item, "keyword");
	}
	if (rc == KUDOS_OK && c->language) {
		rc = host->filter_set_language(self, item, c->language);
		if (rc == KUDOS_SKIP)
			rc = host->filter_tag(self, item, "language-kept");
	}
	if (rc != KUDOS_OK)
		host->set_error(self, "a host service refused a finding (status %d)", rc);
	return rc;
}

static const struct kudos_plugin d = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_FILTER,
	.name = "good-filter",
	.version = "1.0.0",
	.description = "test fixture: tags, scores and flags every item it sees",
	.config = cfg,
	.context_size = sizeof(struct ctx),
	.filter = filter,
};

KUDOS_PLUGIN_DEFINE(d)
