/*
 * Where the blocks of a raw deflate stream are, without inflating it.
 *
 * Contract: deflate_walk() reads a complete raw deflate stream (RFC 1951)
 * and reports the bit offset of its last block's header, whose first bit
 * is BFINAL, and the bit length of the stream up to the end of that
 * block.  It decodes every Huffman symbol (that is the only way to find
 * where a block ends) but writes no output and checks no distance against
 * a window: it walks the stream's structure, it does not inflate it.
 *
 * Why: the card encoder joins streams that libdeflate compressed apart
 * (cards_deflate.c), which means finding each one's last block.  zlib's
 * inflate(Z_BLOCK) finds it by inflating everything; on the benchmark's
 * cards that took 3 of the encoder's 13 ms per card
 * (tests/bench/png_encode_bench.c, 2026-11-23).  test_cards_deflate_walk
 * checks this walk against zlib's on libdeflate streams of every level.
 */
#include "cards.h"

#include <endian.h>
#include <stdint.h>
#include <string.h>

#define FAST_BITS 10 /* codes up to this long decode with one lookup */
#define MAX_BITS 15

/* A bit reader over a 64-bit buffer: the stream's bits LSB first; past
 * the end it reads zeros and counts them, so a caller sees the overrun
 * in pos(). */
struct bits {
	const unsigned char *start, *p, *end;
	uint64_t buf; /* the next `have` bits */
	int have;
	size_t zeros; /* bits read past the end */
};

static inline void refill(struct bits *b)
{
	if (b->end - b->p >= 8) { /* whole bytes, eight at a time */
		uint64_t w;
		memcpy(&w, b->p, 8);
		w = le64toh(w);
		b->buf |= w << b->have;
		b->p += (63 - b->have) >> 3;
		b->have |= 56;
		return;
	}
	while (b->have <= 56) {
		if (b->p < b->end) {
			b->buf |= (uint64_t)*b->p++ << b->have;
		} else {
			b->zeros += 8;
		}
		b->have += 8;
	}
}

/* The bit offset of the next bit to read. */
static size_t pos(const struct bits *b)
{
	return (size_t)(b->p - b->start) * 8 + b->zeros - (size_t)b->have;
}

/* The next k bits (k <= 32), LSB first. */
static inline uint32_t take(struct bits *b, int k)
{
	if (b->have < k)
		refill(b);
	uint32_t v = (uint32_t)(b->buf & ((1ull << k) - 1));
	b->buf >>= k;
	b->have -= k;
	return v;
}

/* Skip n bits (a stored block's bytes, say). */
static void skip(struct bits *b, size_t n)
{
	while (n > 32) {
		take(b, 32);
		n -= 32;
	}
	take(b, (int)n);
}

struct huff {
	uint16_t fast[1 << FAST_BITS]; /* (length << 9) | symbol; 0: longer */
	uint16_t count[MAX_BITS + 1];  /* codes of each length */
	uint16_t symbol[288];          /* symbols in canonical order */
};

/* A canonical code from code lengths.  RETURN VALUE 0, or -1 for an
 * over-subscribed set (an incomplete one is what a single distance code
 * gives, and decodes fine). */
static int huff_build(struct huff *h, const unsigned char *len, int n)
{
	uint16_t offs[MAX_BITS + 2];
	int left = 1;
	memset(h->count, 0, sizeof h->count);
	for (int s = 0; s < n; s++)
		h->count[len[s]]++;
	h->count[0] = 0;
	for (int l = 1; l <= MAX_BITS; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (int l = 1; l <= MAX_BITS; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (int s = 0; s < n; s++)
		if (len[s])
			h->symbol[offs[len[s]]++] = (uint16_t)s;
	memset(h->fast, 0, sizeof h->fast);
	unsigned code = 0, k = 0;
	for (int l = 1; l <= FAST_BITS; l++, code <<= 1)
		for (unsigned i = 0; i < h->count[l]; i++, k++, code++) {
			/* The stream holds codes first bit first: index by the
			 * code's bits reversed. */
			unsigned rev = 0;
			for (int b = 0; b < l; b++)
				rev |= ((code >> b) & 1u) << (l - 1 - b);
			for (unsigned f = rev; f < (1u << FAST_BITS); f += 1u << l)
				h->fast[f] = (uint16_t)((l << 9) | h->symbol[k]);
		}
	return 0;
}

/* RETURN VALUE the next symbol, or -1 for a code the set lacks. */
static inline int decode(struct bits *b, const struct huff *h)
{
	if (b->have < MAX_BITS)
		refill(b);
	uint16_t e = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
	if (e) {
		b->buf >>= e >> 9;
		b->have -= e >> 9;
		return e & 511;
	}
	/* Longer than FAST_BITS: the canonical code, a bit at a time. */
	int code = 0, first = 0, index = 0;
	for (int l = 1; l <= MAX_BITS; l++) {
		code |= (int)(b->buf & 1);
		b->buf >>= 1;
		b->have--;
		int count = h->count[l];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static const unsigned char len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                            2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const unsigned char dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* The symbols of one block, up to its end-of-block code. */
static int walk_codes(struct bits *b, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		if (b->zeros > 64) /* far past the end: not a stream */
			return -1;
		int s = decode(b, lit);
		if (s < 0)
			return -1;
		if (s < 256)
			continue;
		if (s == 256)
			return 0;
		if ((s -= 257) >= 29)
			return -1;
		take(b, len_extra[s]);
		int d = decode(b, dist);
		if (d < 0 || d >= 30)
			return -1;
		take(b, dist_extra[d]);
	}
}

static int fixed_codes(struct huff *lit, struct huff *dist)
{
	unsigned char len[288];
	memset(len, 8, 144);
	memset(len + 144, 9, 112);
	memset(len + 256, 7, 24);
	memset(len + 280, 8, 8);
	if (huff_build(lit, len, 288))
		return -1;
	memset(len, 5, 30);
	return huff_build(dist, len, 30);
}

static int dynamic_codes(struct bits *b, struct huff *lit, struct huff *dist)
{
	static const unsigned char order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
	                                        11, 4,  12, 3, 13, 2, 14, 1, 15};
	unsigned char len[320] = {0};
	int nlen = (int)take(b, 5) + 257, ndist = (int)take(b, 5) + 1, ncode = (int)take(b, 4) + 4;
	if (nlen > 286 || ndist > 30)
		return -1;
	for (int i = 0; i < ncode; i++)
		len[order[i]] = (unsigned char)take(b, 3);
	struct huff *lencode = lit; /* borrowed until the lengths are read */
	if (huff_build(lencode, len, 19))
		return -1;
	for (int i = 0; i < nlen + ndist;) {
		int s = decode(b, lencode), rep = 0;
		unsigned char v = 0;
		if (s < 0 || b->zeros > 64)
			return -1;
		if (s < 16) {
			len[i++] = (unsigned char)s;
			continue;
		}
		if (s == 16) {
			if (i == 0)
				return -1;
			v = len[i - 1];
			rep = 3 + (int)take(b, 2);
		} else if (s == 17) {
			rep = 3 + (int)take(b, 3);
		} else {
			rep = 11 + (int)take(b, 7);
		}
		if (i + rep > nlen + ndist)
			return -1;
		while (rep--)
			len[i++] = v;
	}
	if (len[256] == 0) /* no end-of-block code: the block never ends */
		return -1;
	if (huff_build(lit, len, nlen) || huff_build(dist, len + nlen, ndist))
		return -1;
	return 0;
}

int deflate_walk(const unsigned char *data, size_t len, size_t *last_header, size_t *end)
{
	struct bits b = {data, data, data + len, 0, 0, 0};
	struct huff lit, dist;
	int final = 0;
	while (!final) {
		*last_header = pos(&b);
		final = (int)take(&b, 1);
		int type = (int)take(&b, 2);
		if (type == 0) {
			take(&b, (int)((8 - pos(&b) % 8) % 8));
			uint32_t n = take(&b, 16), nn = take(&b, 16);
			if ((n ^ 0xffffu) != nn)
				return -1;
			skip(&b, (size_t)n * 8);
		} else if (type == 1) {
			if (fixed_codes(&lit, &dist) || walk_codes(&b, &lit, &dist))
				return -1;
		} else if (type == 2) {
			if (dynamic_codes(&b, &lit, &dist) || walk_codes(&b, &lit, &dist))
				return -1;
		} else {
			return -1;
		}
		if (pos(&b) > len * 8)
			return -1;
	}
	*end = pos(&b);
	return 0;
}
