/*
 * Page-scoped memory for the cJSON trees a source builds on a reader
 * thread of each_file_parallel.
 *
 * cJSON allocates a node and a string or two per JSON value through one
 * process-wide pair of hooks, so a 120 kB page of statuses costs tens of
 * thousands of malloc and free calls: half of what parsing costs.  The
 * hooks kudos installs allocate from the calling thread's open arena when
 * it has one, and from malloc otherwise.  A reader thread opens its arena
 * around one page's callback: inside, freeing arena memory does nothing,
 * and closing the arena releases the whole page's trees at once.  Threads
 * without an open arena (the store writer, the CLI) see plain malloc.
 *
 * The price, written into each_file_parallel's contract: a cJSON value
 * made inside the callback must not outlive it.
 */
#ifndef KUDOS_ENGINE_JSON_ARENA_H
#define KUDOS_ENGINE_JSON_ARENA_H

#include <stddef.h>

struct kudos_json_chunk;

struct kudos_json_arena {
	struct kudos_json_chunk *chunks; /* newest first */
	size_t used;                     /* bytes taken from the newest */
};

/* Point cJSON's hooks at the arena allocator.  Call once, before any
 * thread uses cJSON (main() does): the hooks are process-wide.  Without
 * it, arenas stay empty and cJSON uses malloc as before. */
void kudos_json_arena_install(void);

/* Make `a` (zeroed, or closed before) the calling thread's arena. */
void kudos_json_arena_open(struct kudos_json_arena *a);
/* Stop allocating from `a` and release everything taken from it; one
 * chunk the size of this page's high-water mark is kept for the next. */
void kudos_json_arena_close(struct kudos_json_arena *a);
/* Free what a closed arena kept. */
void kudos_json_arena_free(struct kudos_json_arena *a);
/* How many chunks the arena holds now: 1 once pages fit. */
size_t kudos_json_arena_chunks(const struct kudos_json_arena *a);

#endif
