/*
 * How to encode a card: libpng's own path under each filter set, zlib
 * level and strategy, against the plugin's encoder (whatever
 * plugins/output-cards-png/cards_png_write.c does today), on real cards.
 *
 * usage: png_encode_bench [--plugin-only] REPS CARD.png...
 * Each card is decoded to RGB(A) and encoded REPS times per setting; the
 * median CPU time and the size are printed, averaged over the cards.
 * --plugin-only: the plugin's encoder alone (to profile it).  Built and
 * run by bench_cards-png.sh (ENCODE=1) or by hand:
 *   cc -O2 -D_GNU_SOURCE -Isdk/include tests/bench/png_encode_bench.c \
 *      plugins/output-cards-png/cards_png_write.c plugins/output-cards-png/cards_deflate.c \
 *      plugins/output-cards-png/cards_deflate_walk.c plugins/output-cards-png/cards_raster.c \
 *      $(pkg-config --cflags --libs libpng zlib libdeflate) -lm
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "../../plugins/output-cards-png/cards.h"

struct card {
	int w, h, ch;
	unsigned char *px;
};

struct mem {
	unsigned char *p;
	size_t n, cap;
};

static void on_write(png_structp png, png_bytep data, size_t len)
{
	struct mem *m = png_get_io_ptr(png);
	if (m->n + len > m->cap) {
		m->cap = (m->n + len) * 2;
		m->p = realloc(m->p, m->cap);
		if (m->p == NULL)
			abort();
	}
	memcpy(m->p + m->n, data, len);
	m->n += len;
}

static void on_flush(png_structp png)
{
	(void)png;
}

/* libpng's path: filter set `filters` (PNG_FILTER_* bits), zlib `level`
 * and `strategy`.  RETURN VALUE the file's size. */
static size_t libpng_encode(const struct card *c, int filters, int level, int strategy)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	struct mem m = {0};
	size_t stride = (size_t)c->w * c->ch;

	if (setjmp(png_jmpbuf(png)))
		abort();
	png_set_write_fn(png, &m, on_write, on_flush);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8,
	             c->ch == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
	png_set_compression_level(png, level);
	png_set_compression_strategy(png, strategy);
	png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	png_set_pHYs(png, info, 11811, 11811, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < c->h; y++)
		png_write_row(png, c->px + (size_t)y * stride);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(m.p);
	return m.n;
}

static size_t plugin_encode(const struct card *c)
{
	static struct png_enc *e;
	struct canvas cv = {c->w, c->h, c->ch, c->px, {0, 0, 0}, 0, NULL, NULL, NULL};
	struct png_out out = {0};
	char msg[200];
	size_t n;

	if (e == NULL)
		e = png_enc_new();
	if (e == NULL || png_encode(e, &cv, 300, &out, msg, sizeof msg) < 0) {
		fprintf(stderr, "plugin encoder: %s\n", e ? msg : "out of memory");
		exit(1);
	}
	n = out.len;
	free(out.data);
	return n;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct setting {
	const char *name;
	int filters, level, strategy; /* filters < 0: the plugin's encoder */
};

int main(int argc, char **argv)
{
	static const struct setting settings[] = {
		{"plugin encoder (cards_png_write.c)", -1, 0, 0},
		{"libpng default: all filters, zlib 6", PNG_ALL_FILTERS, 6, Z_FILTERED},
		{"libpng all filters, zlib 3", PNG_ALL_FILTERS, 3, Z_FILTERED},
		{"libpng all filters, zlib 1", PNG_ALL_FILTERS, 1, Z_FILTERED},
		{"libpng all filters, RLE", PNG_ALL_FILTERS, 6, Z_RLE},
		{"libpng none, zlib 6", PNG_FILTER_NONE, 6, Z_DEFAULT_STRATEGY},
		{"libpng none, zlib 3", PNG_FILTER_NONE, 3, Z_DEFAULT_STRATEGY},
		{"libpng none, zlib 1", PNG_FILTER_NONE, 1, Z_DEFAULT_STRATEGY},
		{"libpng sub, zlib 6", PNG_FILTER_SUB, 6, Z_FILTERED},
		{"libpng sub, zlib 3", PNG_FILTER_SUB, 3, Z_FILTERED},
		{"libpng sub, zlib 1", PNG_FILTER_SUB, 1, Z_FILTERED},
		{"libpng sub, RLE", PNG_FILTER_SUB, 6, Z_RLE},
		{"libpng up, zlib 6", PNG_FILTER_UP, 6, Z_FILTERED},
		{"libpng up, zlib 3", PNG_FILTER_UP, 3, Z_FILTERED},
		{"libpng up, zlib 1", PNG_FILTER_UP, 1, Z_FILTERED},
		{"libpng up, RLE", PNG_FILTER_UP, 6, Z_RLE},
		{"libpng paeth, zlib 6", PNG_FILTER_PAETH, 6, Z_FILTERED},
		{"libpng paeth, zlib 3", PNG_FILTER_PAETH, 3, Z_FILTERED},
		{"libpng paeth, zlib 1", PNG_FILTER_PAETH, 1, Z_FILTERED},
		{"libpng paeth, RLE", PNG_FILTER_PAETH, 6, Z_RLE},
		{"libpng sub+up, zlib 3", PNG_FILTER_SUB | PNG_FILTER_UP, 3, Z_FILTERED},
		{"libpng sub+up, zlib 1", PNG_FILTER_SUB | PNG_FILTER_UP, 1, Z_FILTERED},
		{"libpng sub+up, RLE", PNG_FILTER_SUB | PNG_FILTER_UP, 6, Z_RLE},
		{"libpng up+paeth, zlib 3", PNG_FILTER_UP | PNG_FILTER_PAETH, 3, Z_FILTERED},
		{"libpng up+paeth, RLE", PNG_FILTER_UP | PNG_FILTER_PAETH, 6, Z_RLE},
		{"libpng sub+up+paeth, zlib 3", PNG_FILTER_SUB | PNG_FILTER_UP | PNG_FILTER_PAETH, 3, Z_FILTERED},
		{"libpng sub+up+paeth, RLE", PNG_FILTER_SUB | PNG_FILTER_UP | PNG_FILTER_PAETH, 6, Z_RLE},
	};
	int only = argc > 1 && strcmp(argv[1], "--plugin-only") == 0;
	int reps, ncards;
	size_t nsettings = only ? 1 : sizeof settings / sizeof settings[0];
	struct card *cards;

	argc -= only;
	argv += only;
	reps = argc > 1 ? atoi(argv[1]) : 0;
	ncards = argc - 2;
	if (reps < 1 || ncards < 1) {
		fprintf(stderr, "usage: png_encode_bench [--plugin-only] REPS CARD.png...\n");
		return 2;
	}
	cards = calloc((size_t)ncards, sizeof *cards);
	for (int i = 0; i < ncards; i++) {
		png_image im;
		memset(&im, 0, sizeof im);
		im.version = PNG_IMAGE_VERSION;
		if (!png_image_begin_read_from_file(&im, argv[i + 2])) {
			fprintf(stderr, "%s: %s\n", argv[i + 2], im.message);
			return 1;
		}
		im.format = im.format & PNG_FORMAT_FLAG_ALPHA ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
		cards[i] = (struct card){(int)im.width, (int)im.height,
		                         PNG_IMAGE_PIXEL_CHANNELS(im.format), NULL};
		cards[i].px = malloc(PNG_IMAGE_SIZE(im));
		if (!png_image_finish_read(&im, NULL, cards[i].px, 0, NULL)) {
			fprintf(stderr, "%s: %s\n", argv[i + 2], im.message);
			return 1;
		}
	}
	srgb_init();
	printf("%-40s %9s %11s\n", "setting", "ms/card", "bytes/card");
	for (size_t s = 0; s < nsettings; s++) {
		const struct setting *st = &settings[s];
		double *t = calloc((size_t)reps, sizeof *t), total_ms = 0;
		size_t bytes = 0;
		for (int i = 0; i < ncards; i++) {
			for (int r = 0; r < reps; r++) {
				double t0 = now_ms();
				size_t n = st->filters < 0
				                   ? plugin_encode(&cards[i])
				                   : libpng_encode(&cards[i], st->filters, st->level,
				                                   st->strategy);
				t[r] = now_ms() - t0;
				if (r == 0)
					bytes += n;
			}
			qsort(t, (size_t)reps, sizeof *t, cmp_d);
			total_ms += t[reps / 2];
		}
		printf("%-40s %9.2f %11zu\n", st->name, total_ms / ncards, bytes / (size_t)ncards);
		free(t);
	}
	return 0;
}
