/*
 * Plugin configuration: kudos_config_apply() filling a context from a job
 * entry by the plugin's table (types, defaults, required and unknown keys,
 * paths, lists, maps), kudos_config_text(), and the table checks of
 * kudos_config_table_validate().  Descriptors are built inline.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "leakcheck.h"

struct tctx {
	const char *name;
	int64_t count;
	double ratio;
	int enabled;
	const char *file;
	const char *const *tags;
	const char *const *columns;
	const char *extra;
	const char *token;
};

static const struct kudos_config_entry table[] = {
	{KUDOS_CONFIG_STRING, "name", "anon", 0, offsetof(struct tctx, name), "a name"},
	{KUDOS_CONFIG_INT, "count", "3", 0, offsetof(struct tctx, count), "how many"},
	{KUDOS_CONFIG_DOUBLE, "ratio", "0.5", 0, offsetof(struct tctx, ratio), "a ratio"},
	{KUDOS_CONFIG_BOOL, "enabled", "true", 0, offsetof(struct tctx, enabled), "on or off"},
	{KUDOS_CONFIG_PATH, "file", "data/in.csv", 0, offsetof(struct tctx, file), "a file"},
	{KUDOS_CONFIG_STRING_LIST, "tags", "[\"web\"]", 0, offsetof(struct tctx, tags), "tags"},
	{KUDOS_CONFIG_STRING_MAP, "columns", NULL, 0, offsetof(struct tctx, columns), "a map"},
	{KUDOS_CONFIG_JSON, "extra", NULL, 0, offsetof(struct tctx, extra), "anything"},
	{KUDOS_CONFIG_STRING, "token", NULL, 1, offsetof(struct tctx, token), "the secret token"},
	{0},
};

#define VALID_KEYS "name, count, ratio, enabled, file, tags, columns, extra, token"

static int nop_collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{
	(void)h, (void)s, (void)c;
	return KUDOS_OK;
}

static const struct kudos_plugin desc = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_SOURCE,
	.name = "cfgtest",
	.version = "1.0.0",
	.description = "config test",
	.config = table,
	.context_size = sizeof(struct tctx),
	.collect = nop_collect,
};

#define BASE "/base/job"
#define WHERE "job.json: sources[0] (cfgtest)"

/* One apply: the parsed entry, the context, the store and the error. */
struct applied {
	cJSON *entry;
	struct tctx ctx;
	struct kudos_config_store cs;
	struct kudos_error err;
	int rc;
};

static void apply_to(struct applied *a, const struct kudos_plugin *d, const char *json)
{
	memset(a, 0, sizeof *a);
	a->entry = cJSON_Parse(json);
	cr_assert_not_null(a->entry, "bad JSON in the test: %s", json);
	a->rc = kudos_config_apply(d, a->entry, WHERE, BASE, &a->ctx, &a->cs, &a->err);
}

static void apply(struct applied *a, const char *json)
{
	apply_to(a, &desc, json);
}

static void applied_free(struct applied *a)
{
	kudos_config_store_free(&a->cs);
	cr_assert_eq(a->cs.n_owned, 0);
	cr_assert_null(a->cs.owned);
	cJSON_Delete(a->entry);
}

static void expect_ok(struct applied *a, const char *json)
{
	apply(a, json);
	cr_assert_eq(a->rc, 0, "%s refused: %s", json, a->err.msg);
	cr_assert_eq(a->err.status, 0);
}

/* Refused with status 2 and every NULL-terminated needle in the message. */
static void expect_refused(const char *json, const char *n1, const char *n2, const char *n3)
{
	struct applied a;
	apply(&a, json);
	cr_assert_eq(a.rc, -1, "%s accepted; want a refusal mentioning %s", json, n1);
	cr_assert_eq(a.err.status, KUDOS_EXIT_INPUT, "%s: status %d", json, a.err.status);
	cr_assert(strstr(a.err.msg, WHERE), "message does not say where: %s", a.err.msg);
	const char *needles[] = {n1, n2, n3};
	for (size_t i = 0; i < 3; i++)
		cr_assert(!needles[i] || strstr(a.err.msg, needles[i]),
		          "%s: want \"%s\" in: %s", json, needles[i], a.err.msg);
	applied_free(&a);
}

static size_t count_strings(const char *const *arr)
{
	size_t n = 0;
	while (arr && arr[n])
		n++;
	return n;
}

/* ---- accepted values ---------------------------------------------------- */

Test(config_apply, defaults_applied)
{
	struct applied a;
	expect_ok(&a, "{\"plugin\": \"cfgtest\", \"token\": \"t0\"}");
	cr_assert_str_eq(a.ctx.name, "anon");
	cr_assert_eq(a.ctx.count, 3);
	cr_assert_eq(a.ctx.ratio, 0.5);
	cr_assert_eq(a.ctx.enabled, 1);
	cr_assert_str_eq(a.ctx.file, BASE "/data/in.csv", "a PATH default is resolved too");
	cr_assert_eq(count_strings(a.ctx.tags), 1);
	cr_assert_str_eq(a.ctx.tags[0], "web");
	cr_assert_null(a.ctx.columns, "no default: stays zero");
	cr_assert_null(a.ctx.extra, "no default: stays zero");
	cr_assert_str_eq(a.ctx.token, "t0");
	cr_assert_eq(a.cs.entry, a.entry, "the store keeps the entry for config_get");
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, explicit_values_override_defaults)
{
	struct applied a;
	expect_ok(&a, "{\"name\": \"Zoë\", \"count\": -42, \"ratio\": 2.25, \"enabled\": false,"
	              " \"file\": \"/abs/y.csv\", \"tags\": [\"a\", \"b\", \"\"],"
	              " \"extra\": {\"k\": [1, 2, \"x\"]}, \"token\": \"\"}");
	cr_assert_str_eq(a.ctx.name, "Zoë");
	cr_assert_eq(a.ctx.count, -42);
	cr_assert_eq(a.ctx.ratio, 2.25);
	cr_assert_eq(a.ctx.enabled, 0);
	cr_assert_str_eq(a.ctx.file, "/abs/y.csv", "an absolute path stays as it is");
	cr_assert_eq(count_strings(a.ctx.tags), 3);
	cr_assert_str_eq(a.ctx.tags[0], "a");
	cr_assert_str_eq(a.ctx.tags[1], "b");
	cr_assert_str_eq(a.ctx.tags[2], "");
	cr_assert_str_eq(a.ctx.extra, "{\"k\":[1,2,\"x\"]}", "JSON is stored compact");
	cr_assert_str_eq(a.ctx.token, "", "an empty STRING is a string");
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, int_range)
{
	struct applied a;
	expect_ok(&a, "{\"token\": \"t\", \"count\": 9007199254740992}");
	cr_assert_eq(a.ctx.count, INT64_C(9007199254740992));
	applied_free(&a);
	expect_ok(&a, "{\"token\": \"t\", \"count\": 2e3}");
	cr_assert_eq(a.ctx.count, 2000, "a whole number in exponent form is an integer");
	applied_free(&a);
	expect_refused("{\"token\": \"t\", \"count\": 1e300}", "'count'", "whole number", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, path_resolved_against_base)
{
	struct applied a;
	expect_ok(&a, "{\"token\": \"t\", \"file\": \"sub/../in/./x.csv\"}");
	cr_assert_str_eq(a.ctx.file, BASE "/in/x.csv");
	applied_free(&a);
	expect_ok(&a, "{\"token\": \"t\", \"file\": \"../up.csv\"}");
	cr_assert_str_eq(a.ctx.file, "/base/up.csv");
	applied_free(&a);

	/* Another base, same entry: the value follows the base. */
	memset(&a, 0, sizeof a);
	a.entry = cJSON_Parse("{\"token\": \"t\", \"file\": \"x.csv\"}");
	cr_assert_eq(kudos_config_apply(&desc, a.entry, WHERE, "/other", &a.ctx, &a.cs, &a.err), 0,
	             "%s", a.err.msg);
	cr_assert_str_eq(a.ctx.file, "/other/x.csv");
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, string_list_from_single_string)
{
	struct applied a;
	expect_ok(&a, "{\"token\": \"t\", \"tags\": \"solo\"}");
	cr_assert_eq(count_strings(a.ctx.tags), 1);
	cr_assert_str_eq(a.ctx.tags[0], "solo");
	cr_assert_null(a.ctx.tags[1]);
	applied_free(&a);
	expect_ok(&a, "{\"token\": \"t\", \"tags\": []}");
	cr_assert_not_null(a.ctx.tags, "an empty list is a list, not unset");
	cr_assert_eq(count_strings(a.ctx.tags), 0);
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, string_map_pairs)
{
	struct applied a;
	expect_ok(&a, "{\"token\": \"t\", \"columns\": {\"text\": \"What did you like?\","
	              " \"author_name\": \"Name\", \"rating\": \"\"}}");
	const char *const *m = a.ctx.columns;
	cr_assert_eq(count_strings(m), 6, "three key/value pairs");
	cr_assert_str_eq(m[0], "text");
	cr_assert_str_eq(m[1], "What did you like?");
	cr_assert_str_eq(m[2], "author_name");
	cr_assert_str_eq(m[3], "Name");
	cr_assert_str_eq(m[4], "rating");
	cr_assert_str_eq(m[5], "");
	cr_assert_null(m[6]);
	applied_free(&a);
	expect_ok(&a, "{\"token\": \"t\", \"columns\": {}}");
	cr_assert_not_null(a.ctx.columns);
	cr_assert_eq(count_strings(a.ctx.columns), 0);
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, values_are_copies)
{
	struct applied a;
	expect_ok(&a, "{\"token\": \"secret\", \"tags\": [\"x\"], \"name\": \"n\"}");
	/* Changing the job's JSON afterwards must not change what the plugin sees. */
	cJSON_SetValuestring(cJSON_GetObjectItem(a.entry, "token"), "changed");
	cJSON_SetValuestring(cJSON_GetArrayItem(cJSON_GetObjectItem(a.entry, "tags"), 0), "y");
	cr_assert_str_eq(a.ctx.token, "secret");
	cr_assert_str_eq(a.ctx.tags[0], "x");
	cr_assert_gt(a.cs.n_owned, 0, "the host owns the stored strings");
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

/* ---- refusals ------------------------------------------------------------ */

Test(config_apply, unknown_key_lists_valid_keys)
{
	expect_refused("{\"token\": \"t\", \"colour\": \"red\"}", "unknown key 'colour'",
	               "plugin cfgtest", VALID_KEYS);
	expect_refused("{\"token\": \"t\", \"Name\": \"x\"}", "unknown key 'Name'", VALID_KEYS,
	               NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, unknown_key_without_table)
{
	struct kudos_plugin d = desc;
	d.config = NULL;
	struct applied a;
	apply_to(&a, &d, "{\"plugin\": \"cfgtest\", \"anything\": 1}");
	cr_assert_eq(a.rc, -1);
	cr_assert_eq(a.err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(a.err.msg, "unknown key 'anything'") && strstr(a.err.msg, "(none)"),
	          "%s", a.err.msg);
	applied_free(&a);
	apply_to(&a, &d, "{\"plugin\": \"cfgtest\"}");
	cr_assert_eq(a.rc, 0, "%s", a.err.msg);
	applied_free(&a);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, missing_required_key)
{
	expect_refused("{\"plugin\": \"cfgtest\"}", "missing required key 'token'",
	               "the secret token", VALID_KEYS);
	/* null is not a value either. */
	expect_refused("{\"token\": null}", "'token'", "must be a string", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(config_apply, wrong_types_name_the_key)
{
	expect_refused("{\"token\": \"t\", \"count\": \"3\"}", "key 'count'", "whole number", NULL);
	expect_refused("{\"token\": \"t\", \"count\": 1.5}", "key 'count'", "whole number", NULL);
	expect_refused("{\"token\": \"t\", \"count\": true}", "key 'count'", NULL, NULL);
	expect_refused("{\"token\": \"t\", \"name\": 5}", "key 'name'", "a string", NULL);
	expect_refused("{\"token\": 7}", "key 'token'", "a string", NULL);
	expect_refused("{\"token\": \"t\", \"ratio\": \"0.5\"}", "key 'ratio'", "a number", NULL);
	expect_refused("{\"token\": \"t\", \"enabled\": 1}", "key 'enabled'", "true or false", NULL);
	expect_refused("{\"token\": \"t\", \"file\": 3}", "key 'file'", NULL, NULL);
	expect_refused("{\"token\": \"t\", \"file\": \"\"}", "key 'file'", NULL, NULL);
	expect_refused("{\"token\": \"t\", \"tags\": [\"a\", 1]}", "key 'tags'", "list of strings",
	               NULL);
	expect_refused("{\"token\": \"t\", \"tags\": {\"a\": \"b\"}}", "key 'tags'", NULL, NULL);
	expect_refused("{\"token\": \"t\", \"columns\": {\"text\": 1}}", "key 'columns'",
	               "values are strings", NULL);
	expect_refused("{\"token\": \"t\", \"columns\": [\"text\"]}", "key 'columns'", NULL, NULL);
	KT_ASSERT_NO_LEAKS();
}

/* ---- kudos_config_text ---------------------------------------------------- */

Test(config_text, values_as_text)
{
	struct kudos_config_store cs = {0};
	cJSON *e = cJSON_Parse("{\"s\": \"plain\", \"i\": 5, \"d\": 2.5, \"b\": true,"
	                       " \"l\": [\"a\", 1], \"o\": {\"k\": \"v\"}}");
	cr_assert_str_eq(kudos_config_text(&cs, e, "s"), "plain");
	cr_assert_str_eq(kudos_config_text(&cs, e, "i"), "5");
	cr_assert_str_eq(kudos_config_text(&cs, e, "d"), "2.5");
	cr_assert_str_eq(kudos_config_text(&cs, e, "b"), "true");
	cr_assert_str_eq(kudos_config_text(&cs, e, "l"), "[\"a\",1]");
	cr_assert_str_eq(kudos_config_text(&cs, e, "o"), "{\"k\":\"v\"}");
	cr_assert_null(kudos_config_text(&cs, e, "missing"));
	kudos_config_store_free(&cs);
	cJSON_Delete(e);
	KT_ASSERT_NO_LEAKS();
}

/* ---- kudos_config_table_validate ------------------------------------------ */

static void expect_table_refused(const struct kudos_config_entry *cfg, size_t ctx_size,
                                 const char *needle)
{
	struct kudos_plugin d = desc;
	struct kudos_error err = {0};
	d.config = cfg;
	d.context_size = ctx_size;
	cr_assert_eq(kudos_config_table_validate(&d, "/p/t.so", &err), -1, "accepted; want \"%s\"",
	             needle);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "/p/t.so (cfgtest)"), "%s", err.msg);
	cr_assert(strstr(err.msg, needle), "want \"%s\" in: %s", needle, err.msg);
}

Test(config_table, good_table_validates)
{
	struct kudos_error err = {0};
	cr_assert_eq(kudos_config_table_validate(&desc, "/p/t.so", &err), 0, "%s", err.msg);
	struct kudos_plugin d = desc;
	d.config = NULL;
	d.context_size = 0;
	cr_assert_eq(kudos_config_table_validate(&d, "/p/t.so", &err), 0, "no table is fine");
	KT_ASSERT_NO_LEAKS();
}

Test(config_table, refusals)
{
	struct c { int64_t a; const char *b; };
	const struct kudos_config_entry offset_out[] = {
		{KUDOS_CONFIG_INT, "a", NULL, 0, sizeof(struct c), "h"}, {0}};
	const struct kudos_config_entry straddles[] = {
		{KUDOS_CONFIG_INT, "a", NULL, 0, sizeof(struct c) - 4, "h"}, {0}};
	const struct kudos_config_entry dup[] = {
		{KUDOS_CONFIG_INT, "a", NULL, 0, offsetof(struct c, a), "h"},
		{KUDOS_CONFIG_STRING, "a", NULL, 0, offsetof(struct c, b), "h"}, {0}};
	const struct kudos_config_entry reserved[] = {
		{KUDOS_CONFIG_STRING, "plugin", NULL, 0, offsetof(struct c, b), "h"}, {0}};
	const struct kudos_config_entry nokey[] = {
		{KUDOS_CONFIG_STRING, NULL, NULL, 0, offsetof(struct c, b), "h"}, {0}};
	const struct kudos_config_entry emptykey[] = {
		{KUDOS_CONFIG_STRING, "", NULL, 0, offsetof(struct c, b), "h"}, {0}};
	const struct kudos_config_entry badtype[] = {
		{42, "a", NULL, 0, offsetof(struct c, a), "h"}, {0}};
	const struct kudos_config_entry negtype[] = {
		{-1, "a", NULL, 0, offsetof(struct c, a), "h"}, {0}};
	const struct kudos_config_entry baddefault[] = {
		{KUDOS_CONFIG_INT, "a", "three", 0, offsetof(struct c, a), "h"}, {0}};
	const struct kudos_config_entry fracdefault[] = {
		{KUDOS_CONFIG_INT, "a", "1.5", 0, offsetof(struct c, a), "h"}, {0}};
	const struct kudos_config_entry listdefault[] = {
		{KUDOS_CONFIG_STRING_LIST, "b", "[1]", 0, offsetof(struct c, b), "h"}, {0}};

	expect_table_refused(offset_out, sizeof(struct c), "'a' is stored at offset");
	expect_table_refused(straddles, sizeof(struct c), "outside the 16-byte context");
	expect_table_refused(offset_out, 0, "outside the 0-byte context");
	expect_table_refused(dup, sizeof(struct c), "config key 'a' appears twice");
	expect_table_refused(reserved, sizeof(struct c), "the reserved 'plugin' key");
	expect_table_refused(nokey, sizeof(struct c), "config entry 0 has no key");
	expect_table_refused(emptykey, sizeof(struct c), "config entry 0 has no key");
	expect_table_refused(badtype, sizeof(struct c), "unknown type 42");
	expect_table_refused(negtype, sizeof(struct c), "unknown type -1");
	expect_table_refused(baddefault, sizeof(struct c), "default of config key 'a' is not integer");
	expect_table_refused(fracdefault, sizeof(struct c), "default of config key 'a'");
	expect_table_refused(listdefault, sizeof(struct c), "default of config key 'b'");
	KT_ASSERT_NO_LEAKS();
}
