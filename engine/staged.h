/*
 * An output's files, made visible together at the end of its render.
 *
 * Each file is written to a hidden temporary beside its target without
 * waiting for the disk.  Committing flushes them all with one sync of
 * their file system, renames each over its target and syncs the folders:
 * readers see every previous file until then, and each new file whole
 * after.  A render that fails discards the temporaries, so the previous
 * outputs stay exactly as they were.  Syncing each file on its own cost
 * an output of many small files (a hundred cards) a fifth of its time.
 *
 * Used from one thread at a time (an output's host calls).
 */
#ifndef KUDOS_ENGINE_STAGED_H
#define KUDOS_ENGINE_STAGED_H

#include <stddef.h>

#include "error.h"

struct kudos_staged {
	struct kudos_staged_file {
		char *tmp, *path; /* absolute */
	} *files;
	size_t n, cap;
};

/* Write `len` bytes for `path` (absolute), to appear on commit; a later
 * file for the same path replaces it.  RETURN VALUE 0, or -1 with the
 * error set and nothing staged. */
int kudos_stage_file(struct kudos_staged *st, const char *path, const void *data, size_t len,
                     struct kudos_error *err);

/* Flush, rename and sync everything staged, in the order staged, and
 * empty `st`.  RETURN VALUE 0, or -1 with the error set: nothing is
 * renamed when the flush fails; a rename that fails leaves the files
 * before it in place and removes the rest. */
int kudos_staged_commit(struct kudos_staged *st, struct kudos_error *err);

/* Remove what is staged and not committed, and free `st`. */
void kudos_staged_discard(struct kudos_staged *st);

#endif
