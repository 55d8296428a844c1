/*
 * PNG images (avatars, the brand logo) with libpng.
 *
 * Contract: png_decode() never aborts the process and never reads past
 * the buffer: libpng's errors longjmp back here (a truncated file, a bad
 * CRC, a corrupt stream), and the result is RGB or RGBA, 8 bits per
 * channel, whatever the file held (palette, grey, 16 bits, transparency).
 * The pixel count is checked from IHDR before any row is decoded.
 */
#include "cards.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const unsigned char *data;
	size_t len, off;
	jmp_buf jmp;
	char msg[200];
};

static void on_error(png_structp png, png_const_charp what)
{
	struct reader *r = png_get_error_ptr(png);
	snprintf(r->msg, sizeof r->msg, "%s", what);
	longjmp(r->jmp, 1);
}

static void on_warning(png_structp png, png_const_charp what)
{
	(void)png;
	(void)what;
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
	struct reader *r = png_get_io_ptr(png);
	if (n > r->len - r->off)
		png_error(png, "the file ends early (truncated)");
	memcpy(out, r->data + r->off, n);
	r->off += n;
}

int png_decode(const unsigned char *data, size_t len, int64_t max_pixels,
               struct image *out, char *msg, size_t msg_size)
{
	struct reader r;
	png_structp png;
	png_infop info = NULL;
	struct image im = {0};
	struct image *volatile imp = &im;
	png_bytep *volatile rows = NULL;
	png_uint_32 w, h;
	int depth, type, ch;

	memset(&r, 0, sizeof r);
	r.data = data;
	r.len = len;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(msg, msg_size, "out of memory reading the PNG");
		return -1;
	}
	if (setjmp(r.jmp)) {
		png_destroy_read_struct(&png, &info, NULL);
		free(rows);
		image_free(imp);
		snprintf(msg, msg_size, "the PNG is damaged (%s)", r.msg);
		return -1;
	}
	png_set_read_fn(png, &r, on_read);
	png_set_user_limits(png, 100000, 100000);
	png_set_chunk_malloc_max(png, 16u << 20);
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &type, NULL, NULL, NULL);
	if ((int64_t)w * h > max_pixels) {
		snprintf(msg, msg_size, "the PNG is %ux%u, %.1f megapixels, over the "
		         "limit of %.1f (max_pixels)",
		         (unsigned)w, (unsigned)h, (double)w * h / 1e6,
		         (double)max_pixels / 1e6);
		png_destroy_read_struct(&png, &info, NULL);
		return -1;
	}
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	ch = png_get_channels(png, info);
	if ((ch != 3 && ch != 4) || png_get_rowbytes(png, info) != (size_t)w * ch) {
		png_destroy_read_struct(&png, &info, NULL);
		snprintf(msg, msg_size, "the PNG's pixel format is not supported");
		return -1;
	}
	rows = malloc(h * sizeof *rows);
	if (rows == NULL || image_alloc(&im, (int)w, (int)h, ch) < 0) {
		png_destroy_read_struct(&png, &info, NULL);
		free(rows);
		image_free(&im);
		snprintf(msg, msg_size, "out of memory decoding the PNG");
		return -1;
	}
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = im.px + (size_t)y * w * ch;
	png_read_image(png, rows);
	png_destroy_read_struct(&png, &info, NULL);
	free(rows);
	*out = im;
	return 0;
}
