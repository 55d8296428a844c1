/*
 * The card encoder's deflate walk (plugins/output-cards-png/
 * cards_deflate_walk.c) against zlib's: on libdeflate streams of every
 * level, stored, fixed and dynamic blocks, the walk must find the same
 * last block header and the same end as inflate(Z_BLOCK); on cut or
 * garbled streams it must fail or stop inside the data, never read past
 * it (ASan watches).  A plugin-internal file, compiled in here.
 */
#include <criterion/criterion.h>

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../plugins/output-cards-png/cards_deflate_walk.c"

/* zlib's answer: bit offsets of the last block's header and of the end. */
static void zlib_walk(const unsigned char *data, size_t len, size_t *last, size_t *end)
{
	z_stream s = {0};
	unsigned char junk[65536];
	size_t boundary = (size_t)-1;
	cr_assert_eq(inflateInit2(&s, -15), Z_OK);
	s.next_in = (unsigned char *)data;
	s.avail_in = (uInt)len;
	*last = 0;
	for (;;) {
		s.next_out = junk;
		s.avail_out = sizeof junk;
		int zr = inflate(&s, Z_BLOCK);
		cr_assert(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR, "zlib: %d", zr);
		size_t at = (len - s.avail_in) * 8 - (size_t)(s.data_type & 7);
		if (zr == Z_STREAM_END) {
			/* zlib stopped once more before it saw the last block was
			 * the last: that stop is the exact end. */
			*end = boundary;
			break;
		}
		if (!(s.data_type & 128) || at == boundary)
			continue;
		/* Stopped before a block's header: the last block's has BFINAL. */
		if (at < len * 8 && (data[at / 8] >> (at % 8) & 1))
			*last = at;
		boundary = at;
	}
	inflateEnd(&s);
}

/* n bytes of one of several kinds of data. */
static unsigned char *sample(size_t n, int kind, unsigned *seed)
{
	unsigned char *v = malloc(n);
	cr_assert_not_null(v);
	for (size_t i = 0; i < n; i++) {
		unsigned r = (unsigned)rand_r(seed);
		switch (kind) {
		case 0: v[i] = (unsigned char)r; break;                     /* noise */
		case 1: v[i] = r % 9 ? 0 : (unsigned char)(r >> 8); break;  /* sparse */
		case 2: v[i] = "filtered card row\0\0\0"[i % 20]; break;    /* periodic */
		default: v[i] = (unsigned char)((i / 3000) * 7 + (r % 3)); break; /* bands */
		}
	}
	return v;
}

Test(deflate_walk, agrees_with_zlib_on_every_level_and_kind)
{
	unsigned seed = 20261123;
	for (int level = 0; level <= 12; level++) {
		struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
		cr_assert_not_null(c);
		for (int t = 0; t < 24; t++) {
			size_t n = 1 + (size_t)rand_r(&seed) % (t < 12 ? 4000 : 300000);
			unsigned char *in = sample(n, t % 4, &seed);
			size_t cap = libdeflate_deflate_compress_bound(c, n);
			unsigned char *out = malloc(cap);
			size_t len = libdeflate_deflate_compress(c, in, n, out, cap);
			cr_assert_gt(len, 0);
			size_t last, end, zlast, zend;
			cr_assert_eq(deflate_walk(out, len, &last, &end), 0,
			             "level %d, kind %d, %zu bytes: the walk failed", level, t % 4, n);
			zlib_walk(out, len, &zlast, &zend);
			cr_assert_eq(end, zend, "level %d kind %d: end %zu, zlib %zu", level, t % 4,
			             end, zend);
			cr_assert_eq(last, zlast, "level %d kind %d: last block at %zu, zlib %zu",
			             level, t % 4, last, zlast);
			cr_assert_eq((end + 7) / 8, len);
			free(in);
			free(out);
		}
		libdeflate_free_compressor(c);
	}
}

Test(deflate_walk, cut_or_garbled_streams_fail_inside_the_data)
{
	unsigned seed = 7;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t n = 50000;
	unsigned char *in = sample(n, 1, &seed);
	size_t cap = libdeflate_deflate_compress_bound(c, n);
	unsigned char *out = malloc(cap);
	size_t len = libdeflate_deflate_compress(c, in, n, out, cap), last, end;
	for (size_t cut = 0; cut < len; cut += 1 + cut / 7) {
		/* A copy of exactly `cut` bytes, so ASan sees any read past it. */
		unsigned char *part = malloc(cut ? cut : 1);
		memcpy(part, out, cut);
		cr_expect_neq(deflate_walk(part, cut, &last, &end), 0,
		              "a stream cut at %zu of %zu bytes was taken as whole", cut, len);
		free(part);
	}
	for (int t = 0; t < 2000; t++) {
		unsigned char *bad = malloc(len);
		memcpy(bad, out, len);
		bad[(size_t)rand_r(&seed) % len] ^= (unsigned char)(1 + rand_r(&seed) % 255);
		if (deflate_walk(bad, len, &last, &end) == 0)
			cr_expect_leq(end, len * 8);
		free(bad);
	}
	free(in);
	free(out);
	libdeflate_free_compressor(c);
}
