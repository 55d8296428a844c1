/*
 * Curation rules: {"name": ..., "all": {conditions}} or {"name": ...,
 * "any": {conditions}}, parsed from a job and tested against items.  The
 * conditions are one declarative table in rules.c (key, how its value is
 * read, how it is tested), so adding one is adding a row.
 */
#ifndef KUDOS_ENGINE_RULES_H
#define KUDOS_ENGINE_RULES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "error.h"
#include "item.h"

struct kudos_condition_def;

struct kudos_condition {
	const struct kudos_condition_def *def;
	double number;     /* ratings, lengths, sentiment */
	int flag;          /* booleans */
	const cJSON *list; /* lists of strings, or min_score's object of
	                      name: number; borrowed from the job */
	const char *text;  /* a rights state, borrowed from the job */
};

struct kudos_rule {
	const char *name;  /* borrowed from the job */
	int any;           /* 0: every condition holds; 1: one is enough */
	struct kudos_condition *conds;
	size_t n;
};

/* What testing needs beyond the item: a sentiment scorer (NULL: rules
 * with sentiment_at_least never match). */
struct kudos_rule_ctx {
	double (*sentiment)(void *ud, const char *text);
	void *ud;
};

/* Parse one rule; `where` names it in messages ("job.json: curation.
 * auto_approve[0]").  Unknown conditions are refused with the list. */
int kudos_rule_parse(const cJSON *json, const char *where, struct kudos_rule *rule,
                     struct kudos_error *err);
void kudos_rule_free(struct kudos_rule *rule);

int kudos_rule_matches(const struct kudos_rule *rule, const struct kudos_item *it,
                       const struct kudos_rule_ctx *ctx);

/* The number of grapheme clusters in `s` (what a reader counts as
 * characters: a flag or a family emoji is one). */
size_t kudos_graphemes(const char *s);

/* `phrase` occurs in `text` as whole words, ignoring case and accents
 * (Unicode case folding; marks stripped after decomposition). */
int kudos_contains_phrase(const char *text, const char *phrase);

#endif
