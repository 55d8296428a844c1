/*
 * PNG encoding tuned for cards.
 *
 * Contract: png_encode() turns a finished canvas into a complete PNG (IHDR,
 * sRGB, pHYs at the job's DPI, IDAT, IEND) in memory.  libpng writes the
 * signature and every chunk with its CRC; the image data is filtered here
 * and compressed with libdeflate, because libpng's own path is clearly
 * worse however it is tuned.  Measured with tests/bench/png_encode_bench.c
 * (CPU ms per card and bytes, 10 varied 1080x1080 cards, 2026-11-23):
 * this path 10.1 ms, 74.2 KB; libpng with png_set_filter(all) at zlib
 * level 6 (what Pillow does) 50.6 ms, 75.9 KB; at level 3 or 1, 36 ms and
 * 97-99 KB; one filter only (Sub, Up or Paeth) at level 6, 28-36 ms and
 * 78-83 KB; at levels 1-3, 13-19 ms and 99-107 KB; Z_RLE, 12-37 ms and
 * 101-140 KB; filter None at level 1-3, 10.2 ms and 106-110 KB.  No libpng
 * setting is both as small and less than 2.5 times slower:
 *   - rows identical to the one above (most of a card) take filter Up, a
 *     row of zeros, without trying the others;
 *   - other rows take whichever of Sub, Up, Average and Paeth leaves the
 *     row with the least order-0 entropy (a byte histogram): 2% smaller
 *     files than the usual least-sum-of-absolute-values heuristic;
 *   - libdeflate at level CARDS_DEFLATE_LEVEL compresses the stream,
 *     smaller and several times faster than zlib at level 6, in segments
 *     that skip the background's runs of identical rows (cards_deflate.c).
 * Since then, with 16-lane filters, the faster deflate walk and the
 * Adler-32 of the runs by arithmetic (2026-11-23), the same bench with
 * --plugin-only on the first 10 cards of bench_cards-png.sh: 11.7 ms
 * before, 10.1 ms after, the same 91.2 KB.
 * One renderer's encoder: single-threaded, since cards are rendered
 * several at once, each on one thread.
 */
#include "cards.h"

#include <libdeflate.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARDS_DEFLATE_LEVEL 5 /* measured: 6 is 0.5% smaller, 8% slower */

struct zenc;
struct zenc *zenc_new(int level);
void zenc_free(struct zenc *z);
size_t zstream_build(struct zenc *z, const unsigned char *raw,
                     size_t row_bytes, size_t rows, const unsigned char *same,
                     unsigned char **out);

/* Byte counts, in four tables so that runs of one value do not wait on
 * each other's increments; all zeros between calls. */
struct hist {
	uint32_t h[4][256];
};

/* Where a row of the filtered buffer may hold nonzero bytes: [lo, hi) of
 * its filtered bytes (after the type byte); the rest is zeros. */
struct dirty {
	size_t lo, hi;
};

struct png_enc {
	struct libdeflate_compressor *z;
	struct zenc *zenc;
	unsigned char *filtered, *packed, *same, *tmp;
	size_t filtered_cap, packed_cap, tmp_cap;
	/* Per row of `filtered`, for the layout of dirty_stride and
	 * dirty_rows; with any other, the buffer holds anything. */
	struct dirty *dirty;
	size_t dirty_stride, dirty_rows, dirty_rows_cap;
	struct hist *hist;
	float *nlogn;        /* n * log2(n) for n = 0..stride */
	size_t nlogn_len;
};

struct png_enc *png_enc_new(void)
{
	struct png_enc *e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	e->z = libdeflate_alloc_compressor(CARDS_DEFLATE_LEVEL);
	e->hist = calloc(1, sizeof *e->hist);
	if (e->z == NULL || e->hist == NULL) {
		libdeflate_free_compressor(e->z);
		free(e->hist);
		free(e);
		return NULL;
	}
	return e;
}

void png_enc_free(struct png_enc *e)
{
	if (e == NULL)
		return;
	libdeflate_free_compressor(e->z);
	zenc_free(e->zenc);
	free(e->filtered);
	free(e->same);
	free(e->dirty);
	free(e->packed);
	free(e->tmp);
	free(e->hist);
	free(e->nlogn);
	free(e);
}

/* Eight lanes at a time with GCC/Clang vector extensions (SSE2 on
 * x86-64, NEON on arm64, plain code elsewhere). */
typedef unsigned char v8u8 __attribute__((vector_size(8)));
typedef short v8i16 __attribute__((vector_size(16)));

static inline v8i16 load8(const unsigned char *p)
{
	v8u8 v;
	memcpy(&v, p, sizeof v);
	return __builtin_convertvector(v, v8i16);
}

static inline void store8(unsigned char *p, v8i16 v)
{
	v8u8 b = __builtin_convertvector(v & 0xff, v8u8);
	memcpy(p, &b, sizeof b);
}

/* m is all ones or all zeros per lane: m ? x : y */
static inline v8i16 pick(v8i16 m, v8i16 x, v8i16 y)
{
	return (x & m) | (y & ~m);
}

static inline v8i16 vabs(v8i16 v)
{
	return pick(v < 0, -v, v);
}

/* Sixteen bytes at a time, for the filters that bytes can compute. */
typedef unsigned char v16u8 __attribute__((vector_size(16)));

/* m is all ones or all zeros per lane: m ? -v : v */
static inline v16u8 neg_if(v16u8 m, v16u8 v)
{
	return (v ^ m) - m;
}

/* Paeth's predictor in bytes.  pa and pb fit; pc = |pa +- pb| may not,
 * but saturated at 255 it compares with pa and pb (255 at most) as the
 * true value does. */
static inline v16u8 paeth16(v16u8 l, v16u8 u, v16u8 c)
{
	v16u8 mu = (v16u8)(u < c), ml = (v16u8)(l < c);
	v16u8 pa = neg_if(mu, u - c), pb = neg_if(ml, l - c);
	v16u8 sum = pa + pb, diff = neg_if((v16u8)(pa < pb), pa - pb);
	v16u8 same = ~(mu ^ ml); /* u - c and l - c have one sign: pc = pa + pb */
	v16u8 pc = ((sum | (v16u8)(sum < pa)) & same) | (diff & ~same);
	v16u8 use_l = (v16u8)(pa <= pb) & (v16u8)(pa <= pc), use_u = (v16u8)(pb <= pc);
	return (l & use_l) | (((u & use_u) | (c & ~use_u)) & ~use_l);
}

static inline int paeth(int a, int b, int c)
{
	int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
	return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

/* Sub, Up, Average and Paeth of one row into f[1..4] (f[0] is the row),
 * for its first pixel and for the bytes [a, b): elsewhere the row and the
 * row above are the same background, and every filter gives zeros. */
static void filter_all(const unsigned char *row, const unsigned char *prev,
                       size_t a, size_t b, int bpp, unsigned char *f[5])
{
	size_t i = 0;

	for (; i < (size_t)bpp && i < b; i++) {
		int up = prev ? prev[i] : 0;
		f[1][i] = row[i];
		f[2][i] = (unsigned char)(row[i] - up);
		f[3][i] = (unsigned char)(row[i] - (up >> 1));
		f[4][i] = (unsigned char)(row[i] - up); /* Paeth(0, up, 0) = up */
	}
	if (i < a)
		i = a;
	if (prev == NULL) { /* the first row: the row above is zeros */
		for (; i < b; i++) {
			f[1][i] = (unsigned char)(row[i] - row[i - bpp]);
			f[2][i] = row[i];
			f[3][i] = (unsigned char)(row[i] - (row[i - bpp] >> 1));
			f[4][i] = (unsigned char)(row[i] - row[i - bpp]);
		}
		return;
	}
	for (; i + 16 <= b; i += 16) {
		v16u8 x, l, u, c;
		memcpy(&x, row + i, 16);
		memcpy(&l, row + i - bpp, 16);
		memcpy(&u, prev + i, 16);
		memcpy(&c, prev + i - bpp, 16);
		v16u8 sub = x - l, up = x - u, avg = x - ((l & u) + ((l ^ u) >> 1));
		v16u8 pae = x - paeth16(l, u, c);
		memcpy(f[1] + i, &sub, 16);
		memcpy(f[2] + i, &up, 16);
		memcpy(f[3] + i, &avg, 16);
		memcpy(f[4] + i, &pae, 16);
	}
	for (; i + 8 <= b; i += 8) {
		v8i16 x = load8(row + i), l = load8(row + i - bpp);
		v8i16 u = load8(prev + i), c = load8(prev + i - bpp);
		v8i16 pa = vabs(u - c), pb = vabs(l - c), pc = vabs(l + u - c - c);
		v8i16 pred = pick((pa <= pb) & (pa <= pc), l, pick(pb <= pc, u, c));
		store8(f[1] + i, x - l);
		store8(f[2] + i, x - u);
		store8(f[3] + i, x - ((l + u) >> 1));
		store8(f[4] + i, x - pred);
	}
	for (; i < b; i++) {
		int l = row[i - bpp], u = prev[i], c = prev[i - bpp];
		f[1][i] = (unsigned char)(row[i] - l);
		f[2][i] = (unsigned char)(row[i] - u);
		f[3][i] = (unsigned char)(row[i] - ((l + u) >> 1));
		f[4][i] = (unsigned char)(row[i] - paeth(l, u, c));
	}
}


static void add(struct hist *t, const unsigned char *v, size_t n)
{
	size_t i = 0;

	/* Filtered card rows are mostly zeros: count those 16 at a time. */
	for (; i + 16 <= n; i += 16) {
		uint64_t w[2];
		memcpy(w, v + i, 16);
		if ((w[0] | w[1]) == 0) {
			t->h[0][0] += 16;
			continue;
		}
		for (size_t k = i; k < i + 16; k += 4) {
			t->h[0][v[k]]++;
			t->h[1][v[k + 1]]++;
			t->h[2][v[k + 2]]++;
			t->h[3][v[k + 3]]++;
		}
	}
	for (; i < n; i++)
		t->h[0][v[i]]++;
}

/* Sum of n log n over the byte histogram of a filtered row whose bytes
 * outside [0, bpp) and [a, b) are zeros: the larger, the lower the
 * entropy of the row.  Leaves the tables zeroed. */
static float score(struct hist *t, const unsigned char *v, size_t bpp, size_t a, size_t b,
                   size_t n, const float *nlogn)
{
	size_t first = bpp < b ? bpp : b, mid = b > a ? b - a : 0;
	float s = 0;

	add(t, v, first);
	add(t, v + a, mid);
	t->h[0][0] += (uint32_t)(n - first - mid);
	for (int k = 0; k < 256; k++) {
		s += nlogn[t->h[0][k] + t->h[1][k] + t->h[2][k] + t->h[3][k]];
		t->h[0][k] = t->h[1][k] = t->h[2][k] = t->h[3][k] = 0;
	}
	return s;
}

/* Zero the bytes of out[1 + d->lo .. 1 + d->hi) outside [0, bpp) and
 * [a, b), the bytes about to be written, and mark those as the row's. */
static void zero_rest(unsigned char *out, struct dirty *d, size_t bpp, size_t a, size_t b)
{
	size_t end = b > a ? b : bpp, lo = d->lo > bpp ? d->lo : bpp;
	if (b <= a)
		a = bpp;
	if (lo < a && lo < d->hi)
		memset(out + 1 + lo, 0, (a < d->hi ? a : d->hi) - lo);
	if (lo < end)
		lo = end;
	if (lo < d->hi)
		memset(out + 1 + lo, 0, d->hi - lo);
	d->lo = 0;
	d->hi = end;
}

/* Filter one row into out[0] (type) and out[1..stride], whose bytes are
 * zeros outside *d.  `prev` is NULL for the first row; tmp holds
 * 4 * stride bytes.  Only the first pixel and the bytes [a, b) may
 * differ from the row above (a >= bpp).  None (the raw row) is not
 * tried: on cards it never won.  RETURN VALUE 1 when the row is the same
 * as the one above. */
static int filter_row(const unsigned char *row, const unsigned char *prev,
                      size_t stride, size_t a, size_t b, int bpp, unsigned char *out,
                      struct dirty *d, unsigned char *tmp, struct hist *hist,
                      const float *nlogn)
{
	unsigned char *f[5] = {(unsigned char *)row, tmp, tmp + stride,
	                       tmp + 2 * stride, tmp + 3 * stride};
	float best = -1;
	int type = 1;

	if (prev != NULL && memcmp(row, prev, (size_t)bpp) == 0 &&
	    (b <= a || memcmp(row + a, prev + a, b - a) == 0)) {
		out[0] = 2;
		zero_rest(out, d, 0, 0, 0);
		return 1;
	}
	filter_all(row, prev, a, b, bpp, f);
	for (int k = 1; k < 5; k++) {
		float sc = score(hist, f[k], (size_t)bpp, a, b, stride, nlogn);
		if (sc > best) {
			best = sc;
			type = k;
		}
	}
	out[0] = (unsigned char)type;
	zero_rest(out, d, (size_t)bpp, a, b);
	memcpy(out + 1, f[type], (size_t)bpp);
	if (b > a)
		memcpy(out + 1 + a, f[type] + a, b - a);
	return 0;
}

/* Filter every row of `c` into e->filtered; e->same[y] marks rows equal
 * to the one above. */
static void filter_rows(struct png_enc *e, const struct canvas *c)
{
	size_t stride = (size_t)c->w * c->ch;

	/* The buffer outlives the card, and most of its rows are zeros from
	 * the last: clearing only what was written costs less than clearing
	 * every row (a memset of 3.5 MB per card). */
	if (e->dirty_stride != stride || e->dirty_rows != (size_t)c->h) {
		for (int y = 0; y < c->h; y++)
			e->dirty[y] = (struct dirty){0, stride};
		e->dirty_stride = stride;
		e->dirty_rows = (size_t)c->h;
	}
	for (int y = 0; y < c->h; y++) {
		const unsigned char *row = c->px + (size_t)y * stride;
		unsigned char *out = e->filtered + (size_t)y * (stride + 1);
		size_t a = (size_t)c->ch, b = stride;
		if (y > 0 && c->touched && !c->touched[y] && !c->touched[y - 1]) {
			out[0] = 2; /* two rows of plain background */
			zero_rest(out, &e->dirty[y], 0, 0, 0);
			e->same[y] = 1;
			continue;
		}
		if (y > 0 && c->span) {
			/* The columns drawn in this row or the one above, and the
			 * pixel after them (Sub, Average and Paeth look left). */
			int x0 = c->span[2 * y], x1 = c->span[2 * y + 1];
			int p0 = c->span[2 * y - 2], p1 = c->span[2 * y - 1];
			if (p0 < x0)
				x0 = p0;
			if (p1 > x1)
				x1 = p1;
			if (x1 < c->w)
				x1++;
			a = x0 > 1 ? (size_t)x0 * c->ch : (size_t)c->ch;
			b = x1 > x0 ? (size_t)x1 * c->ch : a;
		}
		e->same[y] = (unsigned char)filter_row(row, y ? row - stride : NULL, stride, a, b,
		                                       c->ch, out, &e->dirty[y], e->tmp, e->hist,
		                                       e->nlogn);
	}
}

struct membuf {
	unsigned char *p;
	size_t n, cap;
	int oom;
};

struct png_err {
	jmp_buf jmp;
	char msg[200];
};

static void on_png_error(png_structp png, png_const_charp what)
{
	struct png_err *e = png_get_error_ptr(png);
	snprintf(e->msg, sizeof e->msg, "%s", what);
	longjmp(e->jmp, 1);
}

static void on_png_warning(png_structp png, png_const_charp what)
{
	(void)png;
	(void)what;
}

static void on_write(png_structp png, png_bytep data, size_t len)
{
	struct membuf *b = png_get_io_ptr(png);
	if (b->oom)
		return;
	if (b->n + len > b->cap) {
		size_t cap = (b->n + len) * 2;
		unsigned char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
}

static void on_flush(png_structp png)
{
	(void)png;
}

/* Frame the compressed stream as a PNG with libpng.  volatile: the
 * buffer pointer survives the longjmp. */
static int frame(const struct canvas *c, int dpi, const unsigned char *z,
                 size_t zlen, struct png_out *out, char *msg, size_t msg_size)
{
	struct png_err err = {0};
	struct membuf buf = {0};
	struct membuf *volatile bp = &buf;
	png_structp png;
	png_infop info = NULL;
	png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_png_error,
	                              on_png_warning);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_write_struct(&png, NULL);
		snprintf(msg, msg_size, "out of memory starting the PNG");
		return -1;
	}
	if (setjmp(err.jmp)) {
		png_destroy_write_struct(&png, &info);
		free(bp->p);
		snprintf(msg, msg_size, "PNG encoding failed: %s", err.msg);
		return -1;
	}
	png_set_write_fn(png, bp, on_write, on_flush);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8,
	             c->ch == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	if (dpi > 0)
		png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	/* The stream is already compressed: hand libpng whole chunks. */
	for (size_t off = 0; off < zlen; off += 1u << 20) {
		size_t n = zlen - off < (1u << 20) ? zlen - off : (1u << 20);
		png_write_chunk(png, (png_const_bytep) "IDAT", z + off, n);
	}
	png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
	png_destroy_write_struct(&png, &info);
	if (buf.oom) {
		free(buf.p);
		snprintf(msg, msg_size, "out of memory writing the PNG");
		return -1;
	}
	out->data = buf.p;
	out->len = buf.n;
	return 0;
}

int png_encode(struct png_enc *e, const struct canvas *c, int dpi, struct png_out *out,
               char *msg, size_t msg_size)
{
	size_t stride = (size_t)c->w * c->ch;
	size_t raw = (stride + 1) * (size_t)c->h, bound, zlen = 0;
	unsigned char *z = NULL;
	int rc;

	out->data = NULL;
	out->len = 0;
	if (raw > e->filtered_cap || (size_t)c->h > e->dirty_rows_cap) {
		free(e->filtered);
		free(e->same);
		free(e->dirty);
		e->filtered = malloc(raw);
		e->same = malloc((size_t)c->h);
		e->dirty = malloc((size_t)c->h * sizeof *e->dirty);
		e->filtered_cap = e->filtered && e->same && e->dirty ? raw : 0;
		e->dirty_rows_cap = e->filtered_cap ? (size_t)c->h : 0;
		e->dirty_stride = 0; /* a new buffer: unknown bytes */
	}
	if (stride + 1 > e->nlogn_len) {
		free(e->nlogn);
		e->nlogn = malloc((stride + 1) * sizeof *e->nlogn);
		e->nlogn_len = e->nlogn ? stride + 1 : 0;
		for (size_t n = 0; n < e->nlogn_len; n++)
			e->nlogn[n] = n ? (float)(n * log2((double)n)) : 0.0f;
	}
	if (4 * stride > e->tmp_cap) {
		free(e->tmp);
		e->tmp = malloc(4 * stride);
		e->tmp_cap = e->tmp ? 4 * stride : 0;
	}
	if (e->zenc == NULL)
		e->zenc = zenc_new(CARDS_DEFLATE_LEVEL);
	if (e->filtered_cap == 0 || e->nlogn == NULL || e->zenc == NULL || e->tmp == NULL)
		goto nomem;
	filter_rows(e, c);
	zlen = zstream_build(e->zenc, e->filtered, stride + 1, (size_t)c->h,
	                     e->same, &z);
	if (zlen == 0) { /* out of memory, or zlib could not walk a segment */
		bound = libdeflate_zlib_compress_bound(e->z, raw);
		if (bound > e->packed_cap) {
			free(e->packed);
			e->packed = malloc(bound);
			e->packed_cap = e->packed ? bound : 0;
		}
		if (e->packed == NULL)
			goto nomem;
		zlen = libdeflate_zlib_compress(e->z, e->filtered, raw, e->packed, bound);
		if (zlen == 0) {
			snprintf(msg, msg_size, "PNG compression failed");
			return -1;
		}
	}
	rc = frame(c, dpi, z ? z : e->packed, zlen, out, msg, msg_size);
	free(z);
	return rc;
nomem:
	snprintf(msg, msg_size, "out of memory encoding a %dx%d PNG", c->w, c->h);
	return -1;
}
