/*
 * filter-language: guesses the language of each item's text (see
 * lang_guess.h for how) and says so in three ways:
 *
 *   - the score "confidence" (0..1, shown as "language.confidence"), set
 *     whenever there is a guess, however weak;
 *   - the tags "script:<ISO 15924>" (the dominant script of the letters,
 *     "script:Latn", "script:Jpan") and, at or above min_confidence,
 *     "lang:<code>";
 *   - at or above min_confidence, the item's language, when its source
 *     gave none (kudos never lets a filter overwrite the source's).
 *
 * When the source gave a language and the text reads, at or above
 * mismatch_confidence, as another one, it raises the flag
 * "language_mismatch": an English review labelled "de" would otherwise be
 * kept from English sentiment scoring, and shown to German readers.
 *
 * Job keys: min_confidence (default 0.5), mismatch_confidence (0.8; 0
 * turns the flag off).
 */
#include <kudos/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lang_guess.h"

struct ctx {
	double min_confidence;
	double mismatch_confidence;
	struct lang_words words;
};

static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_DOUBLE, "min_confidence", "0.5", 0, offsetof(struct ctx, min_confidence),
	 "set the item's language and tag lang:<code> only from this confidence (0-1) up"},
	{KUDOS_CONFIG_DOUBLE, "mismatch_confidence", "0.8", 0,
	 offsetof(struct ctx, mismatch_confidence),
	 "flag language_mismatch from this confidence up when the source's language differs; "
	 "0: never"},
	{0},
};

static int language_init(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	struct ctx *c = vctx;
	if (!(c->min_confidence > 0 && c->min_confidence <= 1)) {
		host->set_error(self, "min_confidence %g is not a confidence; use a number above 0 "
		                      "and at most 1, e.g. 0.5", c->min_confidence);
		return KUDOS_EINVAL;
	}
	if (!(c->mismatch_confidence >= 0 && c->mismatch_confidence <= 1)) {
		host->set_error(self, "mismatch_confidence %g is not a confidence; use a number "
		                      "from 0 (no flag) to 1, e.g. 0.8", c->mismatch_confidence);
		return KUDOS_EINVAL;
	}
	if (lang_words_build(&c->words)) {
		lang_words_free(&c->words);
		host->set_error(self, "out of memory building the word lists");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

static void language_exit(const struct kudos_host *host, struct kudos_instance *self, void *vctx)
{
	(void)host;
	(void)self;
	lang_words_free(&((struct ctx *)vctx)->words);
}

/* "pt-BR" and "pt" are one language here: compare primary subtags. */
static int same_language(const char *tag, const char *code)
{
	size_t n = strlen(code);
	return strncasecmp(tag, code, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

static int language_filter(const struct kudos_host *host, struct kudos_instance *self,
                           void *vctx, const struct kudos_item *item)
{
	struct ctx *c = vctx;
	struct lang_guess g;
	char tag[80];
	int rc = KUDOS_OK;
	lang_guess(&c->words, host->item_get(item, KUDOS_FIELD_TEXT), &g);
	if (g.script) {
		snprintf(tag, sizeof tag, "script:%s", g.script);
		rc = host->filter_tag(self, item, tag);
	}
	if (rc != KUDOS_OK || !g.language)
		goto done;
	rc = host->filter_score(self, item, "confidence", g.confidence);
	if (rc != KUDOS_OK || g.confidence < c->min_confidence)
		goto done;
	snprintf(tag, sizeof tag, "lang:%s", g.language);
	rc = host->filter_tag(self, item, tag);
	const char *given = host->item_get(item, KUDOS_FIELD_LANGUAGE);
	if (rc == KUDOS_OK && !given) {
		rc = host->filter_set_language(self, item, g.language);
		if (rc == KUDOS_SKIP) /* an earlier filter of the job was first */
			rc = KUDOS_OK;
	} else if (rc == KUDOS_OK && c->mismatch_confidence > 0 &&
	           g.confidence >= c->mismatch_confidence && !same_language(given, g.language)) {
		char detail[160];
		snprintf(detail, sizeof detail, "the source says %.16s; the text reads as %s "
		         "(confidence %.2f)", given, g.language, g.confidence);
		rc = host->filter_flag(self, item, "language_mismatch", detail);
	}
done:
	if (rc != KUDOS_OK)
		host->set_error(self, "kudos refused a finding on item %s (status %d); report "
		                      "this to kudos's authors",
		                host->item_get(item, KUDOS_FIELD_ID), rc);
	return rc < 0 ? rc : KUDOS_OK;
}

static const struct kudos_plugin descriptor = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_FILTER,
	.name = "language",
	.version = "1.0.0",
	.description = "guesses each item's language from its script and common words; "
	               "fills in a missing language",
	.config = config,
	.context_size = sizeof(struct ctx),
	.init = language_init,
	.exit = language_exit,
	.filter = language_filter,
};

KUDOS_PLUGIN_DEFINE(descriptor)
