/*
 * Image geometry: EXIF orientation, resampling, the round avatar crop.
 *
 * Contract: image_scale() resamples in linear light with premultiplied
 * alpha: shrinking averages every source pixel over its exact footprint
 * (an area filter, so a photo does not alias or shimmer), enlarging
 * interpolates linearly.  image_circle() centre-crops to a square and cuts
 * an anti-aliased circle into the alpha channel.  Results are RGBA.
 */
#include "cards.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int image_orient(struct image *im, int o)
{
	struct image d;
	int sw = im->w, sh = im->h, ch = im->ch;
	int swap = o >= 5;

	if (o <= 1 || o > 8)
		return 0;
	if (image_alloc(&d, swap ? sh : sw, swap ? sw : sh, ch) < 0)
		return -1;
	for (int y = 0; y < d.h; y++) {
		for (int x = 0; x < d.w; x++) {
			int sx, sy;
			switch (o) {
			case 2: sx = sw - 1 - x; sy = y; break;
			case 3: sx = sw - 1 - x; sy = sh - 1 - y; break;
			case 4: sx = x; sy = sh - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = sh - 1 - x; break;
			case 7: sx = sw - 1 - y; sy = sh - 1 - x; break;
			default: sx = sw - 1 - y; sy = x; break; /* 8 */
			}
			memcpy(d.px + ((size_t)y * d.w + x) * ch,
			       im->px + ((size_t)sy * sw + sx) * ch, (size_t)ch);
		}
	}
	image_free(im);
	*im = d;
	return 0;
}

/* Source taps for each output sample along one axis: count[i] pairs of
 * (source index, weight) from offset[i], indexes clamped to the image. */
struct taps {
	int *count, *offset, *idx;
	float *w;
};

static void taps_free(struct taps *t)
{
	free(t->count);
	free(t->offset);
	free(t->idx);
	free(t->w);
}

/* Output n samples from the source span [s0, s0 + sn). */
static int taps_make(struct taps *t, double s0, double sn, int src_len, int n)
{
	double scale = sn / n;
	int max_taps = (int)ceil(scale) + 3, total = 0;

	t->count = malloc(n * sizeof *t->count);
	t->offset = malloc(n * sizeof *t->offset);
	t->idx = malloc((size_t)n * max_taps * sizeof *t->idx);
	t->w = malloc((size_t)n * max_taps * sizeof *t->w);
	if (!t->count || !t->offset || !t->idx || !t->w)
		return -1;
	for (int i = 0; i < n; i++) {
		double a = s0 + i * scale, b = a + scale, sum = 0;
		int lo, hi;
		t->offset[i] = total;
		if (scale >= 1.0) { /* area: the exact footprint [a, b) */
			lo = (int)floor(a);
			hi = (int)ceil(b);
		} else {            /* linear between sample centres */
			lo = (int)floor((a + b) / 2 - 0.5);
			hi = lo + 2;
		}
		for (int s = lo; s < hi; s++) {
			double wt;
			if (scale >= 1.0) {
				wt = fmin(b, s + 1.0) - fmax(a, (double)s);
			} else {
				double c = (a + b) / 2 - 0.5;
				wt = s == lo ? 1.0 - (c - lo) : c - lo;
			}
			if (wt <= 0)
				continue;
			t->idx[total] = s < 0 ? 0 : s >= src_len ? src_len - 1 : s;
			t->w[total++] = (float)wt;
			sum += wt;
		}
		t->count[i] = total - t->offset[i];
		for (int k = t->offset[i]; k < total; k++)
			t->w[k] = (float)(t->w[k] / sum);
	}
	return 0;
}

/* Resample the rectangle (sx, sy, sw, sh) of src to w x h RGBA. */
static int scale_rect(const struct image *src, double sx, double sy, double sw,
                      double sh, int w, int h, struct image *dst)
{
	struct taps tx = {0}, ty = {0};
	float *lin = NULL, *mid = NULL;
	int rc = -1, ch = src->ch;

	if (image_alloc(dst, w, h, 4) < 0)
		return -1;
	lin = malloc((size_t)src->w * 4 * sizeof *lin);
	mid = malloc((size_t)w * src->h * 4 * sizeof *mid);
	if (!lin || !mid || taps_make(&tx, sx, sw, src->w, w) < 0 ||
	    taps_make(&ty, sy, sh, src->h, h) < 0)
		goto done;
	for (int y = 0; y < src->h; y++) {
		/* The row in linear light, premultiplied. */
		for (int x = 0; x < src->w; x++) {
			const unsigned char *p = src->px + ((size_t)y * src->w + x) * ch;
			float a = ch == 4 ? p[3] / 255.0f : 1.0f;
			for (int c = 0; c < 3; c++)
				lin[x * 4 + c] = srgb_to_lin[p[c]] / 65535.0f * a;
			lin[x * 4 + 3] = a;
		}
		for (int x = 0; x < w; x++) {
			float acc[4] = {0, 0, 0, 0};
			for (int k = tx.offset[x]; k < tx.offset[x] + tx.count[x]; k++) {
				const float *p = lin + (size_t)tx.idx[k] * 4;
				for (int c = 0; c < 4; c++)
					acc[c] += p[c] * tx.w[k];
			}
			memcpy(mid + ((size_t)y * w + x) * 4, acc, sizeof acc);
		}
	}
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			float acc[4] = {0, 0, 0, 0};
			unsigned char *o = dst->px + ((size_t)y * w + x) * 4;
			for (int k = ty.offset[y]; k < ty.offset[y] + ty.count[y]; k++) {
				const float *p = mid + ((size_t)ty.idx[k] * w + x) * 4;
				for (int c = 0; c < 4; c++)
					acc[c] += p[c] * ty.w[k];
			}
			for (int c = 0; c < 3; c++) {
				float v = acc[3] > 0 ? acc[c] / acc[3] : 0;
				v = v < 0 ? 0 : v > 1 ? 1 : v;
				o[c] = lin_to_srgb((uint32_t)(v * 65535.0f + 0.5f));
			}
			o[3] = (unsigned char)lroundf(fminf(fmaxf(acc[3], 0), 1) * 255);
		}
	}
	rc = 0;
done:
	taps_free(&tx);
	taps_free(&ty);
	free(lin);
	free(mid);
	if (rc < 0)
		image_free(dst);
	return rc;
}

int image_scale(const struct image *src, int w, int h, struct image *dst)
{
	return scale_rect(src, 0, 0, src->w, src->h, w, h, dst);
}

/* Alpha of a disc of diameter d at pixel (x, y): coverage of the pixel's
 * centre within half a pixel of the edge, linear across it. */
static double disc_alpha(int x, int y, int d)
{
	double r = d / 2.0, dx = x + 0.5 - r, dy = y + 0.5 - r;
	double a = r - sqrt(dx * dx + dy * dy) + 0.5;
	return a < 0 ? 0 : a > 1 ? 1 : a;
}

int image_circle(const struct image *src, int d, struct image *dst)
{
	double side = src->w < src->h ? src->w : src->h;

	if (scale_rect(src, (src->w - side) / 2, (src->h - side) / 2, side, side,
	               d, d, dst) < 0)
		return -1;
	for (int y = 0; y < d; y++)
		for (int x = 0; x < d; x++) {
			unsigned char *p = dst->px + ((size_t)y * d + x) * 4;
			p[3] = (unsigned char)lround(p[3] * disc_alpha(x, y, d));
		}
	return 0;
}

int image_disc(int d, struct rgb bg, struct image *dst)
{
	if (image_alloc(dst, d, d, 4) < 0)
		return -1;
	for (int y = 0; y < d; y++)
		for (int x = 0; x < d; x++) {
			unsigned char *p = dst->px + ((size_t)y * d + x) * 4;
			p[0] = bg.r;
			p[1] = bg.g;
			p[2] = bg.b;
			p[3] = (unsigned char)lround(255 * disc_alpha(x, y, d));
		}
	return 0;
}
