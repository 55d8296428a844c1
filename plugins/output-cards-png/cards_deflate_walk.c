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
 * Needing no values, the walk's tables fold a length's or a distance's
 * extra bits into its code's bit count, so one shift skips both, and are
 * filled by doubling as libdeflate's are: on the segments of the
 * benchmark's 100 cards, 196 million instructions against 459 million
 * for a walker with a plain table (callgrind, 2026-11-23).
 */
#include "cards.h"

#include <endian.h>
#include <stdint.h>
#include <string.h>

/* Codes up to this long decode with one lookup; the rest a bit at a time.
 * Measured on the benchmark's segments: litlen tables of 10 bits leave
 * 1.3% of codes to the slow path and take 7% more instructions than 11;
 * distance tables of 9 or 10 bits gain nothing over 8. */
#define LIT_BITS 11
#define DIST_BITS 8
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

/* Leaves at least 56 bits in the buffer. */
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

/* A table entry is (info << 5) | bits: `bits` is what the code and any
 * extra bits that follow it take, so a walker that needs no values skips
 * both with one shift; `info` is what the symbol is (below), or for the
 * code-length code the symbol itself.  EMPTY: no entry (a code longer
 * than the table's, or none: decode_slow() tells). */
enum { LIT = 0 << 5, LEN = 1 << 5, EOB = 2 << 5, BAD = 3 << 5, EMPTY = BAD | 0 };

#define L(extra) (LEN | (extra))
static const uint16_t lit_info[288] = {
	[256] = EOB,
	[257] = L(0), L(0), L(0), L(0), L(0), L(0), L(0), L(0), L(1), L(1), L(1), L(1),
	L(2), L(2), L(2), L(2), L(3), L(3), L(3), L(3), L(4), L(4), L(4), L(4),
	L(5), L(5), L(5), L(5), L(0), BAD, BAD};
#undef L
static const uint16_t dist_info[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint16_t precode_info[19] = {0 << 5,  1 << 5,  2 << 5,  3 << 5,  4 << 5,
                                          5 << 5,  6 << 5,  7 << 5,  8 << 5,  9 << 5,
                                          10 << 5, 11 << 5, 12 << 5, 13 << 5, 14 << 5,
                                          15 << 5, 16 << 5, 17 << 5, 18 << 5};

struct huff {
	uint16_t fast[1 << LIT_BITS]; /* by the next table_bits bits */
	int table_bits;
	const uint16_t *info;          /* per symbol, as in an entry */
	uint16_t count[MAX_BITS + 1];  /* codes of each length */
	uint16_t symbol[288];          /* symbols in canonical order */
};

/* The bits of each byte in reverse order. */
static const unsigned char rev8[256] = {
#define R2(n) n, n + 2 * 64, n + 1 * 64, n + 3 * 64
#define R4(n) R2(n), R2(n + 2 * 16), R2(n + 1 * 16), R2(n + 3 * 16)
#define R6(n) R4(n), R4(n + 2 * 4), R4(n + 1 * 4), R4(n + 3 * 4)
	R6(0), R6(2), R6(1), R6(3)
#undef R2
#undef R4
#undef R6
};

/* A canonical code from code lengths.  RETURN VALUE 0, or -1 for an
 * over-subscribed set (an incomplete one is what a single distance code
 * gives, and decodes fine). */
static int huff_build(struct huff *h, const unsigned char *len, int n, const uint16_t *info,
                      int table_bits)
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
	h->info = info;
	h->table_bits = table_bits;
	/* Blocks are small (a few per segment), so filling the table is a
	 * good part of the walk: fill it the way libdeflate does, doubling.
	 * After length l the first 2^l entries are right, each code of
	 * length l in its one slot (indexed by the code's bits reversed, as
	 * the stream holds codes first bit first), each shorter one repeated
	 * every 2^(its length); copying them doubles that to 2^(l+1). */
	unsigned code = 0, k = 0, size = 2;
	h->fast[0] = h->fast[1] = EMPTY;
	for (int l = 1; l <= table_bits; l++, code <<= 1) {
		if (l > 1) {
			memcpy(h->fast + size, h->fast, size * sizeof h->fast[0]);
			size <<= 1;
		}
		for (unsigned i = 0; i < h->count[l]; i++, k++, code++) {
			unsigned rev = ((unsigned)rev8[code & 255] << 8 | rev8[code >> 8]) >> (16 - l);
			h->fast[rev] = (uint16_t)(info[h->symbol[k]] + l);
		}
	}
	return 0;
}

/* The entry of a code longer than the table's, a bit at a time from the
 * canonical code; EMPTY for a code the set lacks.  Takes no bits. */
static uint16_t decode_slow(uint64_t buf, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	for (int l = 1; l <= MAX_BITS; l++) {
		code |= (int)(buf & 1);
		buf >>= 1;
		int count = h->count[l];
		if (code - count < first)
			return (uint16_t)(h->info[h->symbol[index + (code - first)]] + l);
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return EMPTY;
}

/* The entry of the next code, taking its bits and its extra bits;
 * EMPTY for a code the set lacks. */
static inline uint16_t decode(struct bits *b, const struct huff *h)
{
	if (b->have < MAX_BITS + 13)
		refill(b);
	uint16_t e = h->fast[b->buf & ((1u << h->table_bits) - 1)];
	if (e == EMPTY && (e = decode_slow(b->buf, h)) == EMPTY)
		return EMPTY;
	b->buf >>= e & 31;
	b->have -= e & 31;
	return e;
}

/* The symbols of one block, up to its end-of-block code.  The hot loop
 * of the walk, with the reader in locals: a refill leaves 56 bits or
 * more, enough for a few literals (15 bits at most), a length with its
 * extra bits (20) or a distance with its (28). */
static int walk_codes(struct bits *b, const struct huff *lit, const struct huff *dist)
{
	const unsigned char *p = b->p;
	uint64_t buf = b->buf;
	int have = b->have, rc;
	unsigned e;

#define NEED(n)                                                                                    \
	if (have < (n)) {                                                                          \
		if (b->end - p >= 8) {                                                             \
			uint64_t w;                                                                \
			memcpy(&w, p, 8);                                                          \
			buf |= le64toh(w) << have;                                                 \
			p += (63 - have) >> 3;                                                     \
			have |= 56;                                                                \
		} else {                                                                           \
			b->p = p;                                                                  \
			b->buf = buf;                                                              \
			b->have = have;                                                            \
			refill(b);                                                                 \
			if (b->zeros > 64) /* far past the end: not a stream */                   \
				return -1;                                                         \
			p = b->p;                                                                  \
			buf = b->buf;                                                              \
			have = b->have;                                                            \
		}                                                                                  \
	}
	for (;;) {
		NEED(MAX_BITS + 5);
		e = lit->fast[buf & ((1u << LIT_BITS) - 1)];
		if (e < LEN) { /* a literal: most codes */
			buf >>= e;
			have -= (int)e;
			continue;
		}
		if (e >= EOB) {
			if (e == EMPTY)
				e = decode_slow(buf, lit);
			if (e >= EOB) {
				buf >>= e & 31;
				have -= (int)(e & 31);
				rc = (e & ~31u) == EOB ? 0 : -1;
				break;
			}
			if (e < LEN) {
				buf >>= e;
				have -= (int)e;
				continue;
			}
		}
		buf >>= e & 31; /* a length and its extra bits */
		have -= (int)(e & 31);
		NEED(MAX_BITS + 13);
		e = dist->fast[buf & ((1u << DIST_BITS) - 1)];
		if (e >= LEN) {
			if (e != EMPTY || (e = decode_slow(buf, dist)) >= LEN) {
				rc = -1;
				break;
			}
		}
		buf >>= e;
		have -= (int)e;
	}
#undef NEED
	b->p = p;
	b->buf = buf;
	b->have = have;
	return rc;
}

static int fixed_codes(struct huff *lit, struct huff *dist)
{
	unsigned char len[288];
	memset(len, 8, 144);
	memset(len + 144, 9, 112);
	memset(len + 256, 7, 24);
	memset(len + 280, 8, 8);
	if (huff_build(lit, len, 288, lit_info, LIT_BITS))
		return -1;
	memset(len, 5, 30);
	return huff_build(dist, len, 30, dist_info, DIST_BITS);
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
	/* Code-length codes are 7 bits at most: all in the table. */
	if (huff_build(lencode, len, 19, precode_info, 7))
		return -1;
	for (int i = 0; i < nlen + ndist;) {
		int e = decode(b, lencode), s = e >> 5, rep = 0;
		unsigned char v = 0;
		if (e == EMPTY || b->zeros > 64)
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
	if (huff_build(lit, len, nlen, lit_info, LIT_BITS) ||
	    huff_build(dist, len + nlen, ndist, dist_info, DIST_BITS))
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
