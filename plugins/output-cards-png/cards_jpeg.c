/*
 * JPEG avatars with libjpeg-turbo, and the EXIF orientation tag.
 *
 * Contract: jpeg_decode() never aborts the process and never reads past
 * the buffer.  libjpeg's fatal errors longjmp back here; its warnings about
 * damaged data (a truncated file, a corrupt stream) make the image count
 * as broken, since libjpeg would otherwise fill the rest with grey.  The
 * pixel count is checked from the header, before anything is decoded.
 * The decoder scales down by 1/2, 1/4 or 1/8 while decoding when the image
 * stays at least `min_side` on its short side, and the EXIF orientation
 * (APP1 "Exif", TIFF tag 0x0112) is applied to the result.
 */
#include "cards.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
	int damaged;
};

static void on_error_exit(j_common_ptr ci)
{
	struct jerr *e = (struct jerr *)ci->err;
	ci->err->format_message(ci, e->msg);
	longjmp(e->jmp, 1);
}

static void on_emit(j_common_ptr ci, int level)
{
	struct jerr *e = (struct jerr *)ci->err;
	if (level >= 0 || e->damaged)
		return;
	if (ci->err->msg_code == JWRN_EXTRANEOUS_DATA)
		return; /* stray bytes between markers: the image is whole */
	e->damaged = 1;
	ci->err->format_message(ci, e->msg);
}

static void on_output(j_common_ptr ci)
{
	(void)ci;
}

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const unsigned char *p, int le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	                    (uint32_t)p[3] << 24
	          : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	                    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The orientation in a TIFF structure (APP1 after "Exif\0\0"). */
int exif_orientation(const unsigned char *t, size_t len)
{
	int le;
	uint32_t ifd;
	unsigned n;

	if (len < 8)
		return 1;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 1;
	if (rd16(t + 2, le) != 42)
		return 1;
	ifd = rd32(t + 4, le);
	if (ifd > len - 2 || ifd < 8)
		return 1;
	n = rd16(t + ifd, le);
	for (unsigned i = 0; i < n; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (e + 12 > len)
			break;
		if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
			unsigned v = rd16(t + e + 8, le);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

static int orientation_of(struct jpeg_decompress_struct *ci)
{
	for (jpeg_saved_marker_ptr m = ci->marker_list; m; m = m->next)
		if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
		    memcmp(m->data, "Exif\0\0", 6) == 0)
			return exif_orientation(m->data + 6, m->data_length - 6);
	return 1;
}

int jpeg_decode(const unsigned char *data, size_t len, int64_t max_pixels,
                int min_side, struct image *out, char *msg, size_t msg_size)
{
	struct jpeg_decompress_struct ci;
	struct jerr err;
	struct image im = {0};
	struct image *volatile imp = &im;
	int orientation;

	memset(&err, 0, sizeof err);
	ci.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = on_error_exit;
	err.pub.emit_message = on_emit;
	err.pub.output_message = on_output;
	if (setjmp(err.jmp)) {
		jpeg_destroy_decompress(&ci);
		image_free(imp);
		snprintf(msg, msg_size, "the JPEG is damaged (%s)", err.msg);
		return -1;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, data, (unsigned long)len);
	jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
	jpeg_read_header(&ci, TRUE);
	if ((int64_t)ci.image_width * ci.image_height > max_pixels) {
		snprintf(msg, msg_size, "the JPEG is %ux%u, %.1f megapixels, over "
		         "the limit of %.1f (max_pixels)",
		         ci.image_width, ci.image_height,
		         (double)ci.image_width * ci.image_height / 1e6,
		         (double)max_pixels / 1e6);
		jpeg_destroy_decompress(&ci);
		return -1;
	}
	orientation = orientation_of(&ci);
	ci.out_color_space = JCS_RGB;
	ci.scale_num = 1;
	ci.scale_denom = 1;
	for (unsigned d = 8; d > 1; d /= 2) {
		unsigned side = ci.image_width < ci.image_height ? ci.image_width
		                                                 : ci.image_height;
		if (min_side > 0 && side / d >= (unsigned)min_side) {
			ci.scale_denom = d;
			break;
		}
	}
	jpeg_start_decompress(&ci);
	if (ci.output_components != 3 ||
	    image_alloc(&im, (int)ci.output_width, (int)ci.output_height, 3) < 0) {
		snprintf(msg, msg_size, "%s", ci.output_components != 3
		         ? "the JPEG's colours cannot be read as RGB"
		         : "out of memory decoding the JPEG");
		jpeg_destroy_decompress(&ci);
		image_free(&im);
		return -1;
	}
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW row = im.px + (size_t)ci.output_scanline * im.w * 3;
		jpeg_read_scanlines(&ci, &row, 1);
	}
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	if (err.damaged) {
		image_free(&im);
		snprintf(msg, msg_size, "the JPEG is damaged (%s)", err.msg);
		return -1;
	}
	if (image_orient(&im, orientation) < 0) {
		image_free(&im);
		snprintf(msg, msg_size, "out of memory turning the JPEG upright");
		return -1;
	}
	*out = im;
	return 0;
}

int image_decode(const unsigned char *data, size_t len, int64_t max_pixels,
                 int min_side, struct image *out, char *msg, size_t msg_size)
{
	static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10};

	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		return jpeg_decode(data, len, max_pixels, min_side, out, msg, msg_size);
	if (len >= 8 && memcmp(data, png_sig, 8) == 0)
		return png_decode(data, len, max_pixels, out, msg, msg_size);
	snprintf(msg, msg_size, "it is neither a JPEG nor a PNG");
	return -1;
}
