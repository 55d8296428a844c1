#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

typedef int (*test_fn)(const struct kudos_condition *c, const struct kudos_item *it,
                       const struct kudos_rule_ctx *ctx);

enum value_kind { V_RATING, V_COUNT, V_UNIT, V_STRINGS, V_BOOL, V_RIGHTS, V_SCORES };

struct kudos_condition_def {
	const char *key;
	enum value_kind kind;
	test_fn test;
};

/* ---- tests ---------------------------------------------------------- */

static double rating5(const struct kudos_item *it)
{
	return it->rating * 5.0 / it->rating_scale;
}

static int t_min_rating(const struct kudos_condition *c, const struct kudos_item *it,
                        const struct kudos_rule_ctx *x)
{
	(void)x;
	return it->has_rating && it->rating_scale > 0 && rating5(it) >= c->number;
}

static int t_max_rating(const struct kudos_condition *c, const struct kudos_item *it,
                        const struct kudos_rule_ctx *x)
{
	(void)x;
	return it->has_rating && it->rating_scale > 0 && rating5(it) <= c->number;
}

static int listed(const cJSON *list, const char *s, int prefix)
{
	const cJSON *e;
	if (!s)
		return 0;
	cJSON_ArrayForEach(e, list)
	{
		size_t n = strlen(e->valuestring);
		/* A language "en" covers "en-GB". */
		if (prefix ? !strncasecmp(s, e->valuestring, n) && (s[n] == '\0' || s[n] == '-')
		           : !strcmp(s, e->valuestring))
			return 1;
	}
	return 0;
}

static int t_sources(const struct kudos_condition *c, const struct kudos_item *it,
                     const struct kudos_rule_ctx *x)
{
	(void)x;
	return listed(c->list, it->field[KUDOS_FIELD_SOURCE], 0);
}

static int t_kinds(const struct kudos_condition *c, const struct kudos_item *it,
                   const struct kudos_rule_ctx *x)
{
	(void)x;
	return listed(c->list, it->field[KUDOS_FIELD_KIND], 0);
}

static int t_languages(const struct kudos_condition *c, const struct kudos_item *it,
                       const struct kudos_rule_ctx *x)
{
	(void)x;
	return listed(c->list, it->field[KUDOS_FIELD_LANGUAGE], 1);
}

static int t_min_length(const struct kudos_condition *c, const struct kudos_item *it,
                        const struct kudos_rule_ctx *x)
{
	(void)x;
	return (double)kudos_graphemes(it->field[KUDOS_FIELD_TEXT]) >= c->number;
}

static int t_max_length(const struct kudos_condition *c, const struct kudos_item *it,
                        const struct kudos_rule_ctx *x)
{
	(void)x;
	return (double)kudos_graphemes(it->field[KUDOS_FIELD_TEXT]) <= c->number;
}

static int t_has_media(const struct kudos_condition *c, const struct kudos_item *it,
                       const struct kudos_rule_ctx *x)
{
	(void)x;
	return (it->n_media > 0) == c->flag;
}

static int t_contains(const struct kudos_condition *c, const struct kudos_item *it,
                      const struct kudos_rule_ctx *x)
{
	const cJSON *e;
	(void)x;
	cJSON_ArrayForEach(e, c->list) if (kudos_contains_phrase(it->field[KUDOS_FIELD_TEXT],
	                                                         e->valuestring)) return 1;
	return 0;
}

static int t_excludes(const struct kudos_condition *c, const struct kudos_item *it,
                      const struct kudos_rule_ctx *x)
{
	return !t_contains(c, it, x);
}

static int t_rights(const struct kudos_condition *c, const struct kudos_item *it,
                    const struct kudos_rule_ctx *x)
{
	(void)x;
	const char *r = it->field[KUDOS_FIELD_RIGHTS];
	return r && strcmp(r, c->text) == 0;
}

static int t_verified(const struct kudos_condition *c, const struct kudos_item *it,
                      const struct kudos_rule_ctx *x)
{
	(void)x;
	const char *meta = kudos_item_meta(it, "author_verified");
	int verified = (it->badges & KUDOS_BADGE_VERIFIED_BUYER) ||
	               (meta && strcmp(meta, "true") == 0);
	return verified == c->flag;
}

static int t_sentiment(const struct kudos_condition *c, const struct kudos_item *it,
                       const struct kudos_rule_ctx *x)
{
	/* Curation scored the item before the rules run; a scorer in the
	 * context serves items that were not (tests, previews). */
	if (it->has_sentiment)
		return it->sentiment >= c->number;
	return x && x->sentiment && x->sentiment(x->ud, it->field[KUDOS_FIELD_TEXT]) >= c->number;
}

/* A tag a filter plugin set: any of the listed ones. */
static int t_tags(const struct kudos_condition *c, const struct kudos_item *it,
                  const struct kudos_rule_ctx *x)
{
	const cJSON *e;
	(void)x;
	cJSON_ArrayForEach(e, c->list) if (kudos_item_has_tag(it, e->valuestring)) return 1;
	return 0;
}

/* Scores filter plugins set ("language.confidence"): every one named is
 * there and at least its number.  A missing score never matches. */
static int t_min_score(const struct kudos_condition *c, const struct kudos_item *it,
                       const struct kudos_rule_ctx *x)
{
	const cJSON *e;
	(void)x;
	cJSON_ArrayForEach(e, c->list)
	{
		double v;
		if (!kudos_item_score(it, e->string, &v) || v < e->valuedouble)
			return 0;
	}
	return 1;
}

static const struct kudos_condition_def defs[] = {
	{"min_rating", V_RATING, t_min_rating},
	{"max_rating", V_RATING, t_max_rating},
	{"sources", V_STRINGS, t_sources},
	{"kinds", V_STRINGS, t_kinds},
	{"languages", V_STRINGS, t_languages},
	{"min_length", V_COUNT, t_min_length},
	{"max_length", V_COUNT, t_max_length},
	{"has_media", V_BOOL, t_has_media},
	{"contains", V_STRINGS, t_contains},
	{"excludes", V_STRINGS, t_excludes},
	{"sentiment_at_least", V_UNIT, t_sentiment},
	{"rights", V_RIGHTS, t_rights},
	{"author_verified", V_BOOL, t_verified},
	{"tags", V_STRINGS, t_tags},
	{"min_score", V_SCORES, t_min_score},
};

#define N_DEFS (sizeof defs / sizeof defs[0])

/* ---- parsing -------------------------------------------------------- */

static const char *const rights_states[] = {"none", "requested", "granted", "replied",
                                            "denied", "stale", "revoked", NULL};

static const char *expectation(enum value_kind k)
{
	switch (k) {
	case V_RATING: return "a number from 0 to 5 (ratings count on a 5 scale)";
	case V_COUNT: return "a whole number of characters";
	case V_UNIT: return "a number from -1 to 1";
	case V_STRINGS: return "a list of strings";
	case V_BOOL: return "true or false";
	case V_RIGHTS: return "a rights state: none, requested, granted, replied, denied, "
		              "stale or revoked";
	case V_SCORES: return "an object of filter scores, each \"<filter>.<name>\", and their "
		              "least values, e.g. {\"language.confidence\": 0.8}";
	}
	return "?";
}

static int read_value(const struct kudos_condition_def *d, const cJSON *v,
                      struct kudos_condition *c)
{
	const cJSON *e;
	c->def = d;
	switch (d->kind) {
	case V_RATING:
	case V_COUNT:
	case V_UNIT:
		if (!cJSON_IsNumber(v))
			return -1;
		c->number = v->valuedouble;
		if (d->kind == V_RATING)
			return c->number >= 0 && c->number <= 5 ? 0 : -1;
		if (d->kind == V_UNIT)
			return c->number >= -1 && c->number <= 1 ? 0 : -1;
		return c->number >= 0 && c->number == (double)(long)c->number ? 0 : -1;
	case V_STRINGS:
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
			return -1;
		cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e) || !*e->valuestring) return -1;
		c->list = v;
		return 0;
	case V_BOOL:
		if (!cJSON_IsBool(v))
			return -1;
		c->flag = cJSON_IsTrue(v);
		return 0;
	case V_SCORES:
		if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) == 0)
			return -1;
		cJSON_ArrayForEach(e, v) if (!cJSON_IsNumber(e) || !strchr(e->string, '.')) return -1;
		c->list = v;
		return 0;
	case V_RIGHTS:
		for (size_t i = 0; cJSON_IsString(v) && rights_states[i]; i++)
			if (!strcmp(rights_states[i], v->valuestring)) {
				c->text = v->valuestring;
				return 0;
			}
		return -1;
	}
	return -1;
}

int kudos_rule_parse(const cJSON *json, const char *where, struct kudos_rule *rule,
                     struct kudos_error *err)
{
	char keys[512] = "";
	for (size_t i = 0; i < N_DEFS; i++) {
		if (i)
			strcat(keys, ", ");
		strcat(keys, defs[i].key);
	}
	memset(rule, 0, sizeof *rule);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(json, "all");
	const cJSON *any = cJSON_GetObjectItemCaseSensitive(json, "any"), *v;
	if (!cJSON_IsObject(json))
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s must be an object {\"name\", "
		                  "\"all\"|\"any\"}", where);
	cJSON_ArrayForEach(v, json)
	if (strcmp(v->string, "name") && strcmp(v->string, "all") && strcmp(v->string, "any"))
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s: unknown key '%s'; a rule has name "
		                  "and all or any", where, v->string);
	if (!cJSON_IsString(name) || !*name->valuestring)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s needs \"name\": it is recorded in the "
		                  "audit trail as who decided", where);
	if ((all != NULL) == (any != NULL))
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s needs exactly one of \"all\" or \"any\"",
		                  where);
	const cJSON *conds = all ? all : any;
	if (!cJSON_IsObject(conds) || cJSON_GetArraySize(conds) == 0)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s.%s must hold at least one condition: %s",
		                  where, all ? "all" : "any", keys);
	rule->name = name->valuestring;
	rule->any = any != NULL;
	rule->conds = calloc((size_t)cJSON_GetArraySize(conds), sizeof *rule->conds);
	if (!rule->conds)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	cJSON_ArrayForEach(v, conds)
	{
		size_t i = 0;
		while (i < N_DEFS && strcmp(defs[i].key, v->string) != 0)
			i++;
		if (i == N_DEFS) {
			kudos_fail(err, KUDOS_EXIT_INPUT, "%s: unknown condition '%s'; conditions are: %s",
			           where, v->string, keys);
			goto fail;
		}
		if (read_value(&defs[i], v, &rule->conds[rule->n])) {
			kudos_fail(err, KUDOS_EXIT_INPUT, "%s: %s must be %s", where, v->string,
			           expectation(defs[i].kind));
			goto fail;
		}
		rule->n++;
	}
	return 0;
fail:
	kudos_rule_free(rule);
	return -1;
}

void kudos_rule_free(struct kudos_rule *rule)
{
	free(rule->conds);
	rule->conds = NULL;
	rule->n = 0;
}

int kudos_rule_matches(const struct kudos_rule *rule, const struct kudos_item *it,
                       const struct kudos_rule_ctx *ctx)
{
	if (rule->n == 0)
		return 0;
	for (size_t i = 0; i < rule->n; i++) {
		int ok = rule->conds[i].def->test(&rule->conds[i], it, ctx);
		if (rule->any && ok)
			return 1;
		if (!rule->any && !ok)
			return 0;
	}
	return !rule->any;
}

/* ---- text measures -------------------------------------------------- */

size_t kudos_graphemes(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
	utf8proc_int32_t prev = -1, cp;
	utf8proc_int32_t state = 0;
	size_t n = 0;
	while (*p) {
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
		if (len <= 0)
			break;
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
			n++;
		prev = cp;
		p += len;
	}
	return n;
}

/* Case-folded, decomposed, marks stripped: "Café" and "cafe" meet. */
static char *loose(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK) < 0)
		return NULL;
	return (char *)out;
}

static int word_char(const utf8proc_uint8_t *p)
{
	utf8proc_int32_t cp = 0;
	if (!*p)
		return 0;
	utf8proc_iterate(p, -1, &cp);
	utf8proc_category_t c = utf8proc_category(cp);
	return cp == '_' || (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND);
}

int kudos_contains_phrase(const char *text, const char *phrase)
{
	char *t = text ? loose(text) : NULL, *ph = phrase ? loose(phrase) : NULL;
	int found = 0;
	if (t && ph && *ph) {
		size_t n = strlen(ph);
		for (const char *p = strstr(t, ph); p && !found; p = strstr(p + 1, ph)) {
			const utf8proc_uint8_t *q = (const utf8proc_uint8_t *)p;
			size_t back = 0;
			while (q - back > (const utf8proc_uint8_t *)t && ((q[-1 - (long)back] & 0xC0) == 0x80))
				back++;
			int before = p > t && word_char(q - back - 1);
			found = !before && !word_char(q + n);
		}
	}
	free(t);
	free(ph);
	return found;
}
