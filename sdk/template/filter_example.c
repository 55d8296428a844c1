/*
 * example-filter: marks promotional-looking items for a curator.
 *
 * This is the kudos filter plugin template: copy it, rename the plugin,
 * and replace example_filter() with your classifier (a house spam model,
 * a language detector, a product-name tagger).  It uses nothing but
 * <kudos/plugin.h> and the C library.
 *
 * A filter runs after kudos collects and before the job's curation rules,
 * once per item it has not seen as the item is now (new, edited upstream,
 * or the job's filters changed).  It reads the item with the same readers
 * an output uses and says what it found through four host services:
 *
 *   filter_flag(self, item, "promotional", "the words 'promo code'")
 *   filter_tag(self, item, "has-link")
 *   filter_score(self, item, "caps", 0.8)   shown as "example-filter.caps"
 *   filter_set_language(self, item, "en")   only if the item has none
 *
 * Rules then use them: {"tags": ["has-link"]},
 * {"min_score": {"example-filter.caps": 0.5}}, {"languages": ["en"]}, and
 * `kudos list --flag promotional` shows the flagged items.  A filter never
 * changes an item's text, curation or rights.
 *
 * This one:
 *   - raises "promotional" when the text contains one of `words` (ASCII
 *     case ignored), naming the word in the flag's detail;
 *   - tags "has-link" when the text holds a web address;
 *   - scores "caps": the share of capital letters among the ASCII letters
 *     (SHOUTING in a review is a hint of spam);
 *   - gives items without a language `default_language`, when set.
 *
 * Job keys (see `config` below): words, default_language.
 */
#include <kudos/plugin.h>

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

struct example_filter_ctx {
	const char *const *words;     /* KUDOS_CONFIG_STRING_LIST, NULL-terminated */
	const char *default_language; /* KUDOS_CONFIG_STRING, NULL when not set */
};

static const struct kudos_config_entry config[] = {
	/* type, key, default, required, offset, help */
	{KUDOS_CONFIG_STRING_LIST, "words", "[\"promo code\", \"giveaway\", \"discount\"]", 0,
	 offsetof(struct example_filter_ctx, words),
	 "flag items containing one of these words as promotional"},
	{KUDOS_CONFIG_STRING, "default_language", NULL, 0,
	 offsetof(struct example_filter_ctx, default_language),
	 "a BCP 47 tag (e.g. en) to give items whose source said no language"},
	{0},
};

/* ------------------------------------------------------------------ */
/* Callbacks                                                            */

/* init(): check what the config table's types cannot. */
static int example_filter_init(const struct kudos_host *host, struct kudos_instance *self,
                               void *ctx)
{
	struct example_filter_ctx *cx = ctx;
	for (size_t i = 0; cx->words && cx->words[i]; i++) {
		if (!*cx->words[i]) {
			host->set_error(self, "words[%zu] is empty; list words or phrases, e.g. "
			                      "[\"promo code\"]", i);
			return KUDOS_EINVAL;
		}
	}
	return KUDOS_OK;
}

/* `needle` in `hay`, ignoring ASCII case. */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* filter(): `item` is lent for this call only (transfer none); so is
 * every string read from it.  Each host service copies what it is given.
 * RETURN VALUE KUDOS_OK, or a negative code after set_error(): the run
 * then fails, naming this filter and the item, and keeps nothing any
 * filter found in it. */
static int example_filter(const struct kudos_host *host, struct kudos_instance *self,
                          void *ctx, const struct kudos_item *item)
{
	struct example_filter_ctx *cx = ctx;
	const char *text = host->item_get(item, KUDOS_FIELD_TEXT);
	int rc = KUDOS_OK;

	for (size_t i = 0; rc == KUDOS_OK && cx->words && cx->words[i]; i++) {
		if (contains(text, cx->words[i])) {
			/* The detail is what a curator sees beside the flag. */
			char detail[160];
			snprintf(detail, sizeof detail, "the words '%.100s'", cx->words[i]);
			rc = host->filter_flag(self, item, "promotional", detail);
			break;
		}
	}
	if (rc == KUDOS_OK &&
	    (contains(text, "http://") || contains(text, "https://") || contains(text, "www.")))
		rc = host->filter_tag(self, item, "has-link");

	long upper = 0, letters = 0;
	for (const char *p = text; *p; p++) {
		if (isalpha((unsigned char)*p) && !((unsigned char)*p & 0x80)) {
			letters++;
			upper += isupper((unsigned char)*p) != 0;
		}
	}
	if (rc == KUDOS_OK && letters > 0)
		rc = host->filter_score(self, item, "caps", (double)upper / (double)letters);

	/* Only fills a gap: KUDOS_SKIP means the source (or an earlier
	 * filter) gave a language, which stands.  Not an error. */
	if (rc == KUDOS_OK && cx->default_language) {
		rc = host->filter_set_language(self, item, cx->default_language);
		if (rc == KUDOS_SKIP)
			rc = KUDOS_OK;
	}

	/* KUDOS_EINVAL from a service means this code broke a rule of the
	 * ABI (a malformed name, tag or language): say which item. */
	if (rc != KUDOS_OK)
		host->set_error(self, "item %s: kudos refused a finding (status %d); check "
		                      "default_language is a tag such as \"en\"",
		                host->item_get(item, KUDOS_FIELD_ID), rc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Descriptor                                                           */

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_FILTER,
	.name = "example-filter", /* what a job's "filters" entry names */
	.version = "0.1.0",
	.description = "flags promotional-looking items (SDK template)",
	.config = config,
	.context_size = sizeof(struct example_filter_ctx),
	.init = example_filter_init,
	.filter = example_filter,
	/* .exit: nothing to release; init() keeps nothing. */
};

KUDOS_PLUGIN_DEFINE(descriptor)
