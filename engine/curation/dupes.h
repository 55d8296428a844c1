/*
 * Near-duplicate grouping: the same testimonial posted on two platforms,
 * copy-paste spam, and near-copies (typo fixes, a changed word, an added
 * sentence, hashtags or links added) fall into one group; the group's
 * representative is its earliest item and the others are listed under it.
 * Grouping only informs: approving the representative approves nothing
 * else.
 *
 * How: each text is folded (fold.h), links and @mentions are dropped,
 * punctuation and spacing are dropped, and the rest is cut into character
 * 5-grams ("shingles").  A MinHash signature of 128 one-permutation bins
 * (densified, 8 bits kept per bin) estimates the Jaccard similarity J of
 * two shingle sets; locality-sensitive hashing (32 bands of 4 bins) finds
 * the candidates, so an item is compared with the few items that share a
 * band with it, not with all of them.
 *
 * Threshold: two items are near-duplicates when the estimated J >= 0.5,
 * or when the smaller text has at least 30 shingles and at least 80% of
 * it is estimated to be inside the larger one (a repost with a sentence
 * added, or a post cut short by a platform's length limit).  Texts of
 * fewer than 8 shingles (about 12 letters) only group when identical after
 * folding.  Measured on test pairs (character 5-grams): a typo fix or a
 * changed word scores 0.7-0.85, a repost with hashtags and a link 0.85,
 * template spam with another product name 0.5-0.65; different reviews on
 * the same subject ("Great grinder, fast shipping, love it!" / "Great
 * coffee, fast delivery, love it!") score 0.15 and unrelated texts under
 * 0.1.  A sentence reworded with other words and another order is a new
 * testimonial, not a copy, and stays apart.  Estimates carry noise
 * (about +-0.045 at J = 0.5); pairs at J = 0.5 are found about 85% of the
 * time, at J >= 0.6 about 97%, at J >= 0.7 always.  Groups are transitive
 * (A~B and B~C puts A, B and C together).
 *
 * Cost and memory: about 0.5 KB per item (signature, band chains, id),
 * growing linearly; nothing per pair.  Work per added item is bounded: at
 * most 64 entries of each band chain and 128 comparisons, so a flood of
 * similar texts cannot make it quadratic.  `max_items` caps the number of
 * items (and so the memory); 0 means no cap.
 *
 * A struct kudos_dupes belongs to one thread.  No global state.
 */
#ifndef KUDOS_CURATION_DUPES_H
#define KUDOS_CURATION_DUPES_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "fold.h"

struct kudos_dupes;

struct kudos_dupe_group {
	const char *representative; /* id of the earliest item (lent) */
	const char **members;       /* ids of the others, earliest first (lent) */
	size_t n_members;
};

/* An empty detector for up to `max_items` items (0: no cap), or NULL when
 * out of memory. */
struct kudos_dupes *kudos_dupes_new(size_t max_items);
void kudos_dupes_free(struct kudos_dupes *d);

/* Add an item: `id` (copied), `len` bytes of UTF-8 `text`, and its time
 * (`created`, UTC seconds): the representative of a group is the item with
 * the smallest time, then the first added.  An item whose text has nothing
 * to compare (empty, only links) joins no group.  *index (may be NULL)
 * receives the item's number, counting from 0.  Fails (KUDOS_EXIT_FAIL)
 * when memory runs out or `max_items` are already in. */
int kudos_dupes_add(struct kudos_dupes *d, const char *id, const char *text, size_t len,
                    int64_t created, struct kudos_fold *scratch, size_t *index,
                    struct kudos_error *err);

/* Number of items added. */
size_t kudos_dupes_count(const struct kudos_dupes *d);

/* The id of the representative of item `index`'s group (its own id when it
 * is alone or the representative).  Lent. */
const char *kudos_dupes_representative(const struct kudos_dupes *d, size_t index);

/* Estimated Jaccard similarity of two items' shingle sets, 0..1. */
double kudos_dupes_similarity(const struct kudos_dupes *d, size_t a, size_t b);

/* Every group of two or more items, ordered by their representatives'
 * times.  *groups (transfer full) is freed with kudos_dupes_groups_free;
 * the ids in it are lent by `d`.  RETURN VALUE 0, or -1 when out of
 * memory. */
int kudos_dupes_groups(const struct kudos_dupes *d, struct kudos_dupe_group **groups,
                       size_t *n);
void kudos_dupes_groups_free(struct kudos_dupe_group *groups, size_t n);

/* Bytes of memory `d` holds, for reports and budgets. */
size_t kudos_dupes_memory(const struct kudos_dupes *d);

#endif
