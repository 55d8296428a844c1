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
 * 9-grams ("shingles": long enough to span a word boundary, so the order
 * of words counts, not just the vocabulary).  A MinHash signature of 128
 * one-permutation bins (densified, 8 bits kept per bin) estimates the
 * Jaccard similarity J of two shingle sets.  Grouping uses locality-
 * sensitive hashing: 42 bands of 3 bins; items that share a band's value
 * are compared, so an item meets the few items that look like it, not all
 * of them.
 *
 * Threshold: two items are near-duplicates when the estimated J >= 0.45,
 * or when the smaller text has at least 40 shingles and at least 85% of
 * it is estimated to be inside the larger one, with J >= 0.3 (a repost
 * with a sentence added, a post cut short by a platform's length limit).
 * Texts of fewer than 8 shingles (about 16 letters) only group when
 * identical after folding.  Why 9-grams and 0.45: on test pairs the exact
 * Jaccard similarity of the 9-gram sets is 0.72 for punctuation, case and
 * one word changed, 0.81 for a repost with hashtags, a link and a mention,
 * 0.67 for a text cut to two thirds, 0.62 for template spam with another
 * link, 0.51 for two typos in 60 letters and 0.48 for one product name
 * swapped; but 0.00 for two reviews on the same subject ("Great grinder,
 * fast shipping, love it!" / "Great coffee, fast delivery, love it!"),
 * 0.30 for two texts on one template with different things said, 0.39 for
 * one sentence said again in other words (a new testimonial, kept apart),
 * and at most 0.26 (99th percentile 0.19) between random texts drawn from
 * one 14-word vocabulary, where 5-grams reach 0.49 and would chain
 * thousands of unrelated items into one group.  The estimate carries noise
 * of about +-0.045 at J = 0.45; a pair at J = 0.45 shares a band 98% of the
 * time.  Groups are transitive (A~B and B~C puts A, B and C together).
 *
 * Cost: kudos_dupes_add() computes the item's signature (microseconds);
 * kudos_dupes_group() sorts the items by each band's value (radix sort)
 * and compares neighbours in the runs of equal values: an item meets the
 * first item of each run it is in and, in runs of up to 32 items, the 4
 * items before it; it is compared at most 32 times per grouping, so a
 * flood of similar texts cannot make grouping quadratic.  Memory: about
 * 200 bytes per item plus its id, linear, nothing per pair;
 * kudos_dupes_group() borrows 17 bytes per item while it runs.
 * `max_items` caps the number of items (and so the memory); 0: no cap.
 *
 * A struct kudos_dupes belongs to one thread.  Signatures may be computed
 * on other threads, each with its own scratch (kudos_dupes_sign), and added
 * afterwards (kudos_dupes_add_signed).  No global state.
 */
#ifndef KUDOS_CURATION_DUPES_H
#define KUDOS_CURATION_DUPES_H

#include <stddef.h>
#include <stdint.h>

#include "../error.h"
#include "fold.h"

struct kudos_dupes;

#define KUDOS_DUPES_BINS 128

/* One text's MinHash signature. */
struct kudos_dupe_sig {
	uint8_t bins[KUDOS_DUPES_BINS];
	uint16_t size; /* shingles (saturating); 0: nothing to compare */
};

/* Buffers for signing texts one after the other on one thread: start
 * zeroed ({0}), release at the end. */
struct kudos_dupes_scratch {
	uint64_t *sh;
	size_t shcap;
	uint32_t *norm;
	size_t normcap;
	size_t *drop; /* dropped source spans, pairs */
	size_t ndrop, dropcap;
};
void kudos_dupes_scratch_release(struct kudos_dupes_scratch *s);

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

/* The same on `text` already folded into `f` (kudos_fold(f, text, len)). */
int kudos_dupes_add_folded(struct kudos_dupes *d, const char *id, const char *text, size_t len,
                           const struct kudos_fold *f, int64_t created, size_t *index,
                           struct kudos_error *err);

/* The signature of `len` bytes of `text` already folded into `f`, for
 * kudos_dupes_add_signed.  Safe on any thread with its own scratch.
 * RETURN VALUE 0, or -1 when out of memory. */
int kudos_dupes_sign(struct kudos_dupes_scratch *scratch, const char *text, size_t len,
                     const struct kudos_fold *f, struct kudos_dupe_sig *out);
/* Add an item by its signature; otherwise as kudos_dupes_add. */
int kudos_dupes_add_signed(struct kudos_dupes *d, const char *id, int64_t created,
                           const struct kudos_dupe_sig *sig, size_t *index,
                           struct kudos_error *err);

/* Group every item added so far (again from scratch, so calling it after
 * more items were added regroups them all).  RETURN VALUE 0, or -1 when
 * out of memory. */
int kudos_dupes_group(struct kudos_dupes *d, struct kudos_error *err);

/* Number of items added. */
size_t kudos_dupes_count(const struct kudos_dupes *d);

/* The id of the representative of item `index`'s group as of the last
 * kudos_dupes_group() (its own id when it is alone, is the representative,
 * or was added since).  Lent. */
const char *kudos_dupes_representative(const struct kudos_dupes *d, size_t index);

/* Estimated Jaccard similarity of two items' shingle sets, 0..1. */
double kudos_dupes_similarity(const struct kudos_dupes *d, size_t a, size_t b);

/* Every group of two or more items as of the last kudos_dupes_group(),
 * ordered by their representatives' times.  *groups (transfer full) is freed with kudos_dupes_groups_free;
 * the ids in it are lent by `d`.  RETURN VALUE 0, or -1 when out of
 * memory. */
int kudos_dupes_groups(const struct kudos_dupes *d, struct kudos_dupe_group **groups,
                       size_t *n);
void kudos_dupes_groups_free(struct kudos_dupe_group *groups, size_t n);

/* Bytes of memory `d` holds, for reports and budgets. */
size_t kudos_dupes_memory(const struct kudos_dupes *d);

#endif
