/*
 * The PNG's zlib stream, compressed with libdeflate, segment by segment.
 *
 * Contract: zstream_build() compresses the filtered rows into one zlib
 * stream (header, deflate data, Adler-32).  Most of a card is background:
 * runs of rows identical to the row above, which filter to rows of zeros
 * and cost a compressor as much time per byte as real content.  So the
 * rows are cut into segments: runs of at least ZERO_RUN identical rows,
 * whose compressed form depends only on their count and width and is
 * cached for the run, and the content between them, compressed by
 * libdeflate.  Each segment is a raw deflate stream made joinable the way
 * zlib's examples/gzjoin.c joins streams: its last block (found by
 * cards_deflate_walk.c) has its BFINAL bit cleared, and an empty stored
 * block byte-aligns its end.  An empty final block closes the stream; its
 * Adler-32 reads the content segments only, the runs' share being
 * arithmetic.
 * Matches across segment edges are lost: the size stays within a
 * fraction of a percent of one libdeflate call, in about three fifths of
 * the time.
 */
#include "cards.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_RUN 8        /* shorter runs of identical rows stay in content */
#define MAX_SEGMENT 48    /* rows: long content is split (measured: no larger) */
#define CACHE 64

struct zseg {
	size_t r0, r1;
	int zero;             /* a run of identical rows */
	int cached;           /* buf came from the cache */
	unsigned char *buf;   /* compressed, joinable */
	size_t len, cap;
	int ok;
};

struct zcached {
	size_t rows, row_bytes, len;
	unsigned char *data;
};

struct zenc {
	struct libdeflate_compressor *comp;
	struct zseg *seg;
	size_t nseg, capseg;
	struct zcached cache[CACHE];
	int cache_next;
	const unsigned char *raw;
	size_t row_bytes;
};

struct zenc *zenc_new(int level)
{
	struct zenc *z = calloc(1, sizeof *z);
	if (z == NULL)
		return NULL;
	if ((z->comp = libdeflate_alloc_compressor(level)) == NULL) {
		free(z);
		return NULL;
	}
	return z;
}

void zenc_free(struct zenc *z)
{
	if (z == NULL)
		return;
	libdeflate_free_compressor(z->comp);
	for (size_t i = 0; i < z->capseg; i++)
		free(z->seg[i].buf);
	for (int i = 0; i < CACHE; i++)
		free(z->cache[i].data);
	free(z->seg);
	free(z);
}

/* Clear the BFINAL bit of the last block of b[0..*len) and byte-align its
 * end with an empty stored block (room for 5 more bytes is needed).
 * RETURN VALUE 0, or -1 if the stream cannot be walked. */
static int make_joinable(unsigned char *b, size_t *len)
{
	size_t last, end;
	if (deflate_walk(b, *len, &last, &end) || (end + 7) / 8 != *len)
		return -1;
	b[last / 8] &= (unsigned char)~(1u << (last % 8));
	/* Three zero padding bits form a stored block's header (BFINAL 0,
	 * BTYPE 00); with fewer, a zero byte supplies them. */
	if ((*len * 8 - end) < 3)
		b[(*len)++] = 0;
	memcpy(b + *len, "\0\0\xff\xff", 4);
	*len += 4;
	return 0;
}

static void seg_run(struct zenc *z, size_t i)
{
	struct zseg *sg = &z->seg[i];
	const unsigned char *in = z->raw + sg->r0 * z->row_bytes;
	size_t n = (sg->r1 - sg->r0) * z->row_bytes, bound;

	sg->ok = 0;
	if (sg->cached) {
		sg->ok = 1;
		return;
	}
	bound = libdeflate_deflate_compress_bound(z->comp, n) + 8;
	if (bound > sg->cap) {
		free(sg->buf);
		sg->buf = malloc(bound);
		sg->cap = sg->buf ? bound : 0;
	}
	if (sg->buf)
		sg->len = libdeflate_deflate_compress(z->comp, in, n, sg->buf, sg->cap - 8);
	sg->ok = sg->buf && sg->len > 0 && make_joinable(sg->buf, &sg->len) == 0;
}

static int add_seg(struct zenc *z, size_t r0, size_t r1, int zero)
{
	if (z->nseg == z->capseg) {
		size_t cap = z->capseg ? z->capseg * 2 : 32;
		struct zseg *v = realloc(z->seg, cap * sizeof *v);
		if (v == NULL)
			return -1;
		memset(v + z->capseg, 0, (cap - z->capseg) * sizeof *v);
		z->seg = v;
		z->capseg = cap;
	}
	z->seg[z->nseg].r0 = r0;
	z->seg[z->nseg].r1 = r1;
	z->seg[z->nseg].zero = zero;
	z->seg[z->nseg].cached = 0;
	z->nseg++;
	return 0;
}

static struct zcached *cached(struct zenc *z, size_t rows)
{
	for (int i = 0; i < CACHE; i++)
		if (z->cache[i].data && z->cache[i].rows == rows &&
		    z->cache[i].row_bytes == z->row_bytes)
			return &z->cache[i];
	return NULL;
}

/* Cut rows into segments: zero runs of ZERO_RUN rows or more, and the
 * content between them in pieces of at most MAX_SEGMENT rows. */
static int cut(struct zenc *z, const unsigned char *same, size_t rows)
{
	size_t y = 0;

	z->nseg = 0;
	while (y < rows) {
		size_t y1 = y;
		while (y1 < rows && same[y1])
			y1++;
		if (y1 - y >= ZERO_RUN) {
			struct zcached *hit = cached(z, y1 - y);
			struct zseg *sg;
			if (add_seg(z, y, y1, 1) < 0)
				return -1;
			sg = &z->seg[z->nseg - 1];
			if (hit && hit->len > sg->cap) {
				unsigned char *b = realloc(sg->buf, hit->len);
				if (b == NULL)
					return -1;
				sg->buf = b;
				sg->cap = hit->len;
			}
			if (hit) {
				memcpy(sg->buf, hit->data, hit->len);
				sg->len = hit->len;
				sg->cached = 1;
			}
			y = y1;
			continue;
		}
		for (y1 = y; y1 < rows && y1 - y < MAX_SEGMENT; y1++) {
			size_t k = y1;
			while (k < rows && same[k])
				k++;
			if (k - y1 >= ZERO_RUN)
				break;
		}
		if (y1 == y)
			y1 = y + 1;
		if (add_seg(z, y, y1, 0) < 0)
			return -1;
		y = y1;
	}
	return 0;
}

size_t zstream_build(struct zenc *z, const unsigned char *raw,
                     size_t row_bytes, size_t rows, const unsigned char *same,
                     unsigned char **out)
{
	size_t total = 2 + 2 + 4, o = 2;
	uint32_t adler;

	*out = NULL;
	z->raw = raw;
	z->row_bytes = row_bytes;
	if (rows == 0 || cut(z, same, rows) < 0)
		return 0;
	for (size_t i = 0; i < z->nseg; i++)
		seg_run(z, i);
	for (size_t i = 0; i < z->nseg; i++) {
		struct zseg *sg = &z->seg[i];
		if (!sg->ok)
			return 0;
		if (sg->zero && !sg->cached) { /* remember it for later cards */
			struct zcached *c = &z->cache[z->cache_next];
			unsigned char *copy = malloc(sg->len);
			if (copy) {
				memcpy(copy, sg->buf, sg->len);
				free(c->data);
				*c = (struct zcached){sg->r1 - sg->r0, row_bytes, sg->len, copy};
				z->cache_next = (z->cache_next + 1) % CACHE;
			}
		}
		total += sg->len;
	}
	if ((*out = malloc(total)) == NULL)
		return 0;
	(*out)[0] = 0x78; /* deflate, 32K window */
	(*out)[1] = 0x9C; /* default level; with 0x78, a multiple of 31 */
	for (size_t i = 0; i < z->nseg; i++) {
		memcpy(*out + o, z->seg[i].buf, z->seg[i].len);
		o += z->seg[i].len;
	}
	/* An empty final block: BFINAL 1, fixed codes, end-of-block. */
	(*out)[o++] = 0x03;
	(*out)[o++] = 0x00;
	adler = 1;
	for (size_t i = 0; i < z->nseg; i++) {
		const struct zseg *sg = &z->seg[i];
		if (!sg->zero) {
			adler = libdeflate_adler32(adler, raw + sg->r0 * row_bytes,
			                           (sg->r1 - sg->r0) * row_bytes);
			continue;
		}
		/* Rows of filter type 2 and zeros: a zero adds the first sum
		 * to the second and leaves the first alone, so no need to
		 * read them. */
		uint32_t s1 = adler & 0xffff, s2 = adler >> 16;
		for (size_t y = sg->r0; y < sg->r1; y++) {
			s1 = (s1 + 2) % 65521;
			s2 = (uint32_t)((s2 + (uint64_t)s1 * row_bytes) % 65521);
		}
		adler = s2 << 16 | s1;
	}
	(*out)[o++] = (unsigned char)(adler >> 24);
	(*out)[o++] = (unsigned char)(adler >> 16);
	(*out)[o++] = (unsigned char)(adler >> 8);
	(*out)[o++] = (unsigned char)adler;
	return o;
}
