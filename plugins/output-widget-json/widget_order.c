/*
 * widget_order.c: the order items take in a widget file.
 *
 * Contract:
 *   newest  the order the render gate hands items over (created time,
 *           newest first; the id breaks ties): consume() order.
 *   rating  the rating scaled to 5, best first; unrated items after every
 *           rated one; newest first among equals.
 *   random  a shuffle fixed by the job's "seed": each item's place comes
 *           from a 64-bit hash of the seed and its id (FNV-1a, then the
 *           SplitMix64 finaliser), so the same seed and items always give
 *           the same order, and adding or removing an item does not move
 *           the others relative to each other.  Ties (never in practice)
 *           fall back to the id.
 * The sort is total, so the order never depends on qsort's whims.
 */
#include "widget.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint64_t widget_random_key(int64_t seed, const char *id)
{
	uint64_t h = 0xCBF29CE484222325ull; /* FNV-1a 64 */
	const unsigned char *p;

	for (p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 0x100000001B3ull;
	}
	return mix64(h ^ mix64((uint64_t)seed));
}

static int by_seq(const struct witem *a, const struct witem *b)
{
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_newest(const void *pa, const void *pb)
{
	return by_seq(*(struct witem *const *)pa, *(struct witem *const *)pb);
}

static int cmp_rating(const void *pa, const void *pb)
{
	const struct witem *a = *(struct witem *const *)pa;
	const struct witem *b = *(struct witem *const *)pb;

	if (a->stars != b->stars)
		return a->stars > b->stars ? -1 : 1;
	return by_seq(a, b);
}

static int cmp_random(const void *pa, const void *pb)
{
	const struct witem *a = *(struct witem *const *)pa;
	const struct witem *b = *(struct witem *const *)pb;

	if (a->rkey != b->rkey)
		return a->rkey < b->rkey ? -1 : 1;
	return strcmp(a->id, b->id);
}

void widget_sort(struct witem **ptrs, size_t n, int sort_by)
{
	if (n < 2)
		return;
	qsort(ptrs, n, sizeof *ptrs,
	      sort_by == SORT_RATING ? cmp_rating :
	      sort_by == SORT_RANDOM ? cmp_random : cmp_newest);
}
