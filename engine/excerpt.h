/*
 * Excerpts: a curator-approved shortening of an item's quote for outputs
 * that cannot hold all of it (a card), made only of the original's own
 * words.  The original stays as it is; the excerpt is kept beside it
 * (store_excerpt.c) and is valid only for the content hash it was made
 * from.
 *
 * What the curator gives is one or more passages: each part may hold
 * several, separated by "…" (U+2026) or "...".  After NFC, every passage
 * must stand verbatim in the original, after the one before it, starting
 * and ending on word boundaries (a passage cannot cut a word in two);
 * runs of white space match any run of white space.  The excerpt is built
 * from the original's own text: each passage as it stands there, joined
 * by the original's own characters where only white space and punctuation
 * lie between two passages, and by " … " where words were left out (also
 * at the start and at the end).  It must leave out at least one word.
 */
#ifndef KUDOS_ENGINE_EXCERPT_H
#define KUDOS_ENGINE_EXCERPT_H

#include <stddef.h>

#include "error.h"

/* Build the excerpt of `original` (NFC UTF-8) from the curator's `parts`
 * (n of them, UTF-8).  `id` names the item in messages.
 * RETURN VALUE 0 and *out (transfer full, NFC UTF-8); -1 with
 * KUDOS_EXIT_INPUT and a message naming the passage and what to do when
 * the parts are not an excerpt of the original, KUDOS_EXIT_FAIL when out
 * of memory. */
int kudos_excerpt_make(const char *id, const char *original, const char *const *parts,
                       size_t n, char **out, struct kudos_error *err);

#endif
