/*
 * The page arena behind cJSON (engine/json_arena.c): inside an open arena
 * a page's trees come from its chunks and freeing them costs nothing;
 * closing releases them all and keeps one chunk for the next page; other
 * threads and closed arenas keep plain malloc, so their trees free as
 * usual (ASan/LSan would report a bad free or a leak here).
 */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_arena.h"

/* A JSON array of n objects, each with a few members. */
static char *page_json(int n)
{
	size_t cap = (size_t)n * 96 + 8, len = 0;
	char *s = malloc(cap);
	cr_assert_not_null(s);
	len += (size_t)snprintf(s + len, cap - len, "[");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		                        "%s{\"id\": \"%d\", \"content\": \"status %d\", \"n\": %d}",
		                        i ? "," : "", i, i, i);
	snprintf(s + len, cap - len, "]");
	return s;
}

TestSuite(json_arena, .init = kudos_json_arena_install);

Test(json_arena, trees_come_from_the_open_arena)
{
	struct kudos_json_arena a = {0};
	char *json = page_json(50);
	kudos_json_arena_open(&a);
	cJSON *root = cJSON_Parse(json);
	cr_assert_not_null(root);
	cr_assert_eq(cJSON_GetArraySize(root), 50);
	cr_assert_gt(a.used, 0, "the tree was not allocated from the arena");
	size_t used = a.used;
	cJSON_Delete(root); /* a no-op inside the arena */
	cr_assert_eq(a.used, used);
	kudos_json_arena_close(&a);
	cr_assert_eq(a.used, 0);
	cr_assert_eq(kudos_json_arena_chunks(&a), 1, "the closed arena keeps one chunk");
	kudos_json_arena_free(&a);
	cr_assert_null(a.chunks);
	free(json);
}

Test(json_arena, a_big_page_leaves_one_chunk_of_its_size)
{
	struct kudos_json_arena a = {0};
	char *big = page_json(20000); /* several megabytes of tree */
	kudos_json_arena_open(&a);
	cJSON *root = cJSON_Parse(big);
	cr_assert_not_null(root);
	cr_assert_eq(cJSON_GetArraySize(root), 20000);
	cr_assert_gt(kudos_json_arena_chunks(&a), 1, "the page should have outgrown the first chunk");
	cJSON_Delete(root);
	kudos_json_arena_close(&a);
	cr_assert_eq(kudos_json_arena_chunks(&a), 1);

	/* The same page again fits the kept chunk. */
	kudos_json_arena_open(&a);
	root = cJSON_Parse(big);
	cr_assert_not_null(root);
	cr_assert_eq(kudos_json_arena_chunks(&a), 1, "the kept chunk did not hold the page");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(root, 19999), "id")->valuestring,
	                 "19999");
	kudos_json_arena_close(&a);
	kudos_json_arena_free(&a);
	free(big);
}

Test(json_arena, outside_an_arena_trees_use_malloc)
{
	struct kudos_json_arena a = {0};
	/* Made before the arena opens: freeing it inside must really free. */
	cJSON *before = cJSON_Parse("{\"kept\": [1, 2, 3]}");
	cr_assert_not_null(before);
	kudos_json_arena_open(&a);
	cJSON *inside = cJSON_Parse("[\"page\"]");
	cr_assert_not_null(inside);
	cJSON_Delete(before);
	kudos_json_arena_close(&a);
	/* After closing: malloc again, and free works (LSan checks it). */
	cJSON *after = cJSON_Parse("{\"after\": true}");
	cr_assert_not_null(after);
	cr_assert_eq(a.used, 0, "a closed arena must not be allocated from");
	char *printed = cJSON_PrintUnformatted(after);
	cr_assert_str_eq(printed, "{\"after\":true}");
	cJSON_free(printed);
	cJSON_Delete(after);
	kudos_json_arena_free(&a);
}

static void *other_thread(void *arg)
{
	(void)arg;
	cJSON *t = cJSON_Parse("{\"other\": \"thread\"}");
	char *s = t ? cJSON_PrintUnformatted(t) : NULL;
	cJSON_Delete(t);
	return s; /* malloc'd: the caller frees it with free() */
}

Test(json_arena, an_arena_belongs_to_its_thread)
{
	struct kudos_json_arena a = {0};
	kudos_json_arena_open(&a);
	pthread_t th;
	void *out = NULL;
	cr_assert_eq(pthread_create(&th, NULL, other_thread, NULL), 0);
	pthread_join(th, &out);
	cr_assert_eq(a.used, 0, "another thread allocated from this thread's arena");
	cr_assert_str_eq(out, "{\"other\":\"thread\"}");
	free(out);
	kudos_json_arena_close(&a);
	kudos_json_arena_free(&a);
}
