/*
 * Files and paths: reading a whole file, writing one atomically, creating
 * folders, and joining or confining paths.  Every function that fails fills
 * a struct kudos_error naming the path.
 */
#ifndef KUDOS_ENGINE_FSUTIL_H
#define KUDOS_ENGINE_FSUTIL_H

#include <stddef.h>

#include "error.h"

/* Read `path` whole.  *data (transfer full) is NUL-terminated; *len
 * excludes the NUL.  `what` names the file's role in messages ("job file"). */
int kudos_read_file(const char *path, const char *what, char **data,
                    size_t *len, struct kudos_error *err);
/* The same into a buffer the caller keeps between files (*buf, *cap:
 * start with NULL, 0; free(*buf) at the end), so that reading many pages
 * does not allocate and free a page-sized block for each. */
int kudos_read_file_into(const char *path, const char *what, char **buf, size_t *cap,
                         size_t *len, struct kudos_error *err);

/* Write `len` bytes to `path` through a temporary file in the same folder,
 * fsync'd and renamed over the target, so readers see the old file or the
 * new one and never half of one.  Creates missing parent folders. */
int kudos_write_atomic(const char *path, const void *data, size_t len,
                       struct kudos_error *err);
/* Its first half: `len` bytes into a new hidden temporary file beside
 * `path` (mode 0644; fsync'd if `sync`), creating missing folders.
 * RETURN VALUE 0 with *tmp (transfer full) naming it, or -1 with the
 * error set and nothing left behind. */
int kudos_write_temp(const char *path, const void *data, size_t len, int sync, char **tmp,
                     struct kudos_error *err);

/* mkdir -p. */
int kudos_mkdirs(const char *dir, struct kudos_error *err);

/* `rel` made absolute against `base` (when relative) and lexically
 * normalised ("." and ".." resolved, repeated "/" collapsed).
 * RETURN VALUE (transfer full) or NULL when out of memory. */
char *kudos_path_resolve(const char *base, const char *rel);

/* The folder part of `path` (transfer full), "." for a bare name. */
char *kudos_path_dirname(const char *path);

/* `to` as a path relative to the folder `from` (both absolute and
 * normalised), e.g. ("/a/out/web", "/a/out/cards/x.png") -> "../cards/x.png".
 * RETURN VALUE (transfer full) or NULL when out of memory. */
char *kudos_path_relative(const char *from, const char *to);

/* Whether `rel` is a relative path that stays inside its base once
 * normalised: not absolute, no ".." that climbs above the start, not empty. */
int kudos_path_is_confined(const char *rel);

#endif
