/*
 * The SDK's JSON helpers that sources call for every item: picking many
 * members in one pass (kudos_js_members) and ids and counts printed as
 * decimal strings (kudos_js_id, kudos_js_count).
 */
#include <criterion/criterion.h>
#include <stdio.h>

/* The helpers are compiled into plugins, not into kudos. */
#include "../sdk/helpers/json_source.c"

static const char *const keys[] = {"id", "content", "account", "url", "uri", "missing",
                                   "in_reply_to_id", "u"};
#define NKEYS (sizeof keys / sizeof keys[0])

Test(members, finds_each_key_as_cjson_does)
{
	cJSON *o = cJSON_Parse("{\"uri\": \"a\", \"u\": 1, \"url\": \"b\", \"id\": \"7\","
	                       " \"content\": \"<p>x</p>\", \"account\": {\"acct\": \"z\"},"
	                       " \"URL\": \"case\", \"in_reply_to_id\": null, \"\": 3}");
	const cJSON *got[NKEYS];
	cr_assert(o);
	kudos_js_members(o, keys, NKEYS, got);
	for (size_t i = 0; i < NKEYS; i++)
		cr_assert_eq(got[i], cJSON_GetObjectItemCaseSensitive(o, keys[i]), "key %s",
		             keys[i]);
	cr_assert_null(got[5]);
	cr_assert(cJSON_IsNull(got[6]), "a null member is found, not missing");
	cr_assert_str_eq(kudos_js_as_str(got[3]), "b");
	cr_assert_null(kudos_js_as_str(got[7]), "u is a number");
	cr_assert_not_null(kudos_js_as_obj(got[2]));
	cr_assert_null(kudos_js_as_arr(got[2]));
	cJSON_Delete(o);
}

Test(members, the_first_of_duplicate_names_wins)
{
	cJSON *o = cJSON_Parse("{\"id\": \"first\", \"id\": \"second\", \"url\": \"\"}");
	const cJSON *got[NKEYS];
	kudos_js_members(o, keys, NKEYS, got);
	cr_assert_str_eq(kudos_js_as_str(got[0]), "first");
	cr_assert_null(kudos_js_as_nonempty(got[3]), "an empty string is not 'nonempty'");
	cr_assert_str_eq(kudos_js_as_str(got[3]), "");
	cJSON_Delete(o);
}

Test(members, anything_but_an_object_gives_nothing)
{
	static const char *const inputs[] = {"[{\"id\": \"1\"}]", "\"id\"", "null", "{}"};
	const cJSON *got[NKEYS];
	for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
		cJSON *v = cJSON_Parse(inputs[k]);
		for (size_t i = 0; i < NKEYS; i++)
			got[i] = (const cJSON *)v; /* must be overwritten */
		kudos_js_members(v, keys, NKEYS, got);
		for (size_t i = 0; i < NKEYS; i++)
			cr_assert_null(got[i], "%s: key %s", inputs[k], keys[i]);
		cJSON_Delete(v);
	}
	kudos_js_members(NULL, keys, NKEYS, got);
	cr_assert_null(got[0]);
}

Test(members, sixty_four_keys)
{
	char names[64][8];
	const char *k[64];
	const cJSON *got[64];
	cJSON *o = cJSON_CreateObject();
	for (int i = 0; i < 64; i++) {
		snprintf(names[i], sizeof names[i], "k%02d", 63 - i);
		k[i] = names[i];
		cJSON_AddNumberToObject(o, names[i], i);
	}
	kudos_js_members(o, k, 64, got);
	for (int i = 0; i < 64; i++)
		cr_assert(got[i] && got[i]->valuedouble == i, "key %s", k[i]);
	cJSON_Delete(o);
}

Test(numbers, ids_and_counts_print_as_decimal)
{
	static const struct { const char *json, *want; } cases[] = {
		{"0", "0"}, {"7", "7"}, {"10", "10"}, {"1234567890", "1234567890"},
		{"9007199254740991", "9007199254740991"},
	};
	char buf[KUDOS_JS_NUM_SIZE], want[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *v = cJSON_Parse(cases[i].json);
		const char *id;
		cr_assert_eq(kudos_js_id(v, buf, &id), KUDOS_JS_ID_OK, "%s", cases[i].json);
		cr_assert_str_eq(id, cases[i].want);
		cr_assert_str_eq(kudos_js_count(v, buf), cases[i].want);
		snprintf(want, sizeof want, "%llu", (unsigned long long)v->valuedouble);
		cr_assert_str_eq(buf, want, "as printf has it");
		cJSON_Delete(v);
	}
	cJSON *big = cJSON_Parse("9007199254740992");
	const char *id;
	cr_assert_eq(kudos_js_id(big, buf, &id), KUDOS_JS_ID_BIG);
	cr_assert_str_eq(kudos_js_count(big, buf), "9007199254740992", "a count may be 2^53");
	cJSON_Delete(big);
	cJSON *neg = cJSON_Parse("-1"), *frac = cJSON_Parse("1.5");
	cr_assert_null(kudos_js_count(neg, buf));
	cr_assert_null(kudos_js_count(frac, buf));
	cJSON_Delete(neg);
	cJSON_Delete(frac);
}

/* kudos_js_page_free deletes a page's tree exactly when the page loop
 * read serially, the host freeing the page otherwise. */
static int frees;
static void counting_free(void *p)
{
	frees++;
	free(p);
}

Test(page_free, deletes_only_where_the_host_reads_serially)
{
	cJSON_Hooks hooks = {.malloc_fn = malloc, .free_fn = counting_free};
	struct kudos_host host = {0};
	cJSON_InitHooks(&hooks);
	cJSON *root = cJSON_Parse("[{\"id\": \"1\"}, {\"id\": \"2\"}]");

	host.struct_size = sizeof host; /* each_file_parallel: the host frees */
	kudos_js_page_free(&host, root);
	cr_assert_eq(frees, 0);
	cr_assert_str_eq(cJSON_GetArrayItem(root, 1)->child->valuestring, "2",
	                 "the tree is untouched");

	host.struct_size = offsetof(struct kudos_host, each_file_parallel);
	kudos_js_page_free(&host, root);
	cr_assert_gt(frees, 5, "every node, name and string freed: %d", frees);
	cJSON_InitHooks(NULL);
}
