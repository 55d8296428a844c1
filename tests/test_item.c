/*
 * What sealing an item makes for the store: the media and metadata JSON
 * (printed from trees that lend the item's strings) and the content hash
 * (fields gathered before they reach the hash function).  Both must be
 * exactly what the plain ways give: stores made earlier compare them.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "leakcheck.h"
#include "text.h"

/* Values that need escaping, and one long enough to pass the hasher's
 * buffer. */
static char long_value[3000];
static const char *values[] = {"plain", "", "quote \" backslash \\ slash /",
                               "tab\tnew line\ncontrol \x01\x1f", "Caf\xC3\xA9 \xF0\x9F\x98\x80",
                               long_value};
#define NVALUES (sizeof values / sizeof values[0])

static void fill_long(void)
{
	for (size_t i = 0; i < sizeof long_value - 1; i++)
		long_value[i] = (char)('a' + i % 26);
}

/* `got` (freed) is cJSON's print of `want` (deleted, with `it`). */
static void printed_as(char *got, cJSON *want, struct kudos_item *it)
{
	char *w = cJSON_PrintUnformatted(want);
	cr_assert_str_eq(got, w);
	free(got);
	free(w);
	cJSON_Delete(want);
	kudos_item_free(it);
	KT_ASSERT_NO_LEAKS();
}

Test(seal, meta_json_is_what_cjson_prints_of_copies)
{
	fill_long();
	struct kudos_item *it = kudos_item_new("test", "1");
	cJSON *want = cJSON_CreateObject();
	char key[16];
	for (size_t i = 0; i < NVALUES; i++) {
		snprintf(key, sizeof key, "k\"%zu", i);
		cr_assert_eq(kudos_item_set_meta(it, key, values[i]), KUDOS_OK);
		cJSON_AddStringToObject(want, key, values[i]);
	}
	printed_as(kudos_item_meta_json(it), want, it);
}

Test(seal, media_json_is_what_cjson_prints_of_copies)
{
	fill_long();
	struct kudos_item *it = kudos_item_new("test", "1");
	cJSON *want = cJSON_CreateArray();
	for (size_t i = 0; i < NVALUES; i++) {
		const char *alt = i % 2 ? values[i] : NULL;
		cr_assert_eq(kudos_item_add_media(it, "image", values[i], alt), KUDOS_OK);
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "type", "image");
		cJSON_AddStringToObject(m, "url", values[i]);
		if (alt)
			cJSON_AddStringToObject(m, "alt", alt);
		cJSON_AddItemToArray(want, m);
	}
	printed_as(kudos_item_media_json(it), want, it);
}

/* The hasher's digest over fields is the hash of their bytes with the
 * separators, however the fields fall against its buffer. */
static void hasher_matches(enum kudos_hash_kind kind)
{
	fill_long();
	struct kudos_hasher h;
	unsigned char all[16384], d[32];
	size_t n = 0;
	char got[65], want[65];

	kudos_hasher_init(&h, kind);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < NVALUES; i++) {
			kudos_hasher_field(&h, values[i]);
			memcpy(all + n, values[i], strlen(values[i]));
			n += strlen(values[i]);
			all[n++] = 0x1f;
		}
		kudos_hasher_field(&h, NULL);
		all[n++] = 0x1e;
	}
	cr_assert_lt(n, sizeof all);
	kudos_hasher_end(&h, got);
	if (kind == KUDOS_HASH_SHA256)
		crypto_hash_sha256(d, all, n);
	else
		crypto_generichash(d, 32, all, n, NULL, 0);
	sodium_bin2hex(want, sizeof want, d, sizeof d);
	cr_assert_str_eq(got, want);
}

Test(hasher, blake2b_digest_is_the_hash_of_the_fields_bytes)
{
	hasher_matches(KUDOS_HASH_BLAKE2B);
}

Test(hasher, sha256_digest_is_the_hash_of_the_fields_bytes)
{
	hasher_matches(KUDOS_HASH_SHA256);
}

Test(decimal, prints_as_printf_does)
{
	static const unsigned long long cases[] = {0, 1, 9, 10, 99, 100, 1234567890,
	                                           253402300799ull, 18446744073709551615ull};
	char buf[KUDOS_DECIMAL_SIZE], want[32];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(want, sizeof want, "%llu", cases[i]);
		cr_assert_str_eq(kudos_decimal(cases[i], buf), want);
	}
}

Test(hex, writes_what_sodium_writes)
{
	unsigned char all[256];
	char got[2 * sizeof all + 1], want[2 * sizeof all + 1];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)i;
	kudos_hex(all, sizeof all, got);
	sodium_bin2hex(want, sizeof want, all, sizeof all);
	cr_assert_str_eq(got, want);
	kudos_hex(all, 0, got);
	cr_assert_str_eq(got, "");
}
