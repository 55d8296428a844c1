#include "json_arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#if defined(__SANITIZE_ADDRESS__)
#define KUDOS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KUDOS_ASAN 1
#endif
#endif
#ifdef KUDOS_ASAN
/* Memory of a closed page stays poisoned, so a tree kept past its
 * callback is a use-after-free report, not a silent corruption. */
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN alignof(max_align_t)
/* The first chunk; a page whose trees need more gets one chunk of its
 * high-water mark from the next page on. */
#define CHUNK_MIN ((size_t)256 * 1024)

struct kudos_json_chunk {
	struct kudos_json_chunk *next;
	size_t size;
	max_align_t data[];
};

/* The arena cJSON allocates from on this thread, or NULL: the one piece
 * of state cJSON's process-wide hooks leave no other place for. */
static _Thread_local struct kudos_json_arena *current;

static unsigned char *bytes(struct kudos_json_chunk *c)
{
	return (unsigned char *)c->data;
}

static struct kudos_json_chunk *chunk_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct kudos_json_chunk))
		return NULL;
	struct kudos_json_chunk *c = malloc(sizeof *c + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	POISON(bytes(c), size);
	return c;
}

/* Take `rounded` bytes (n of them asked for) from the newest chunk,
 * which has room for them. */
static inline void *bump(struct kudos_json_arena *a, size_t rounded, size_t n)
{
	void *p = bytes(a->chunks) + a->used;
	a->used += rounded;
	UNPOISON(p, n);
	return p;
}

/* Allocate from a fresh chunk: the newest has no room for `rounded`
 * bytes.  Kept out of line: inlined, it made hook_malloc's fast path
 * save and restore four registers on every call. */
__attribute__((noinline)) static void *arena_grow(struct kudos_json_arena *a, size_t rounded,
                                                  size_t n)
{
	struct kudos_json_chunk *c = a->chunks;
	size_t size = c ? c->size * 2 : CHUNK_MIN;
	if (size < rounded)
		size = rounded;
	struct kudos_json_chunk *fresh = chunk_new(size);
	if (!fresh)
		return NULL;
	fresh->next = c;
	a->chunks = fresh;
	a->used = 0;
	return bump(a, rounded, n);
}

static int arena_owns(const struct kudos_json_arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p;
	for (struct kudos_json_chunk *c = a->chunks; c; c = c->next) {
		uintptr_t start = (uintptr_t)c->data;
		if (u >= start && u - start < c->size)
			return 1;
	}
	return 0;
}

static void *hook_malloc(size_t n)
{
	struct kudos_json_arena *a = current;
	if (!a)
		return malloc(n);
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	size_t rounded = (n + ALIGN - 1) & ~(ALIGN - 1);
	/* Nearly every call fits the newest chunk. */
	if (!a->chunks || a->chunks->size - a->used < rounded)
		return arena_grow(a, rounded, n);
	return bump(a, rounded, n);
}

static void hook_free(void *p)
{
	if (current && p && arena_owns(current, p))
		return; /* released with the page */
	free(p);
}

void kudos_json_arena_install(void)
{
	cJSON_Hooks hooks = {.malloc_fn = hook_malloc, .free_fn = hook_free};
	cJSON_InitHooks(&hooks);
}

void kudos_json_arena_open(struct kudos_json_arena *a)
{
	current = a;
}

void kudos_json_arena_close(struct kudos_json_arena *a)
{
	if (current == a)
		current = NULL;
	struct kudos_json_chunk *c = a->chunks;
	if (!c)
		return;
	if (!c->next) {
		POISON(bytes(c), c->size);
		a->used = 0;
		return;
	}
	/* Several chunks: this page outgrew the arena.  One chunk holding all
	 * of it keeps the next pages to a single chunk and no malloc. */
	size_t total = 0;
	while (c) {
		struct kudos_json_chunk *next = c->next;
		total += c->size;
		free(c);
		c = next;
	}
	a->chunks = chunk_new(total); /* NULL: the next page starts afresh */
	a->used = 0;
}

void kudos_json_arena_free(struct kudos_json_arena *a)
{
	if (current == a)
		current = NULL;
	for (struct kudos_json_chunk *c = a->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->used = 0;
}

size_t kudos_json_arena_chunks(const struct kudos_json_arena *a)
{
	size_t n = 0;
	for (const struct kudos_json_chunk *c = a->chunks; c; c = c->next)
		n++;
	return n;
}
