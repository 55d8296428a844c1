/*
 * Small helpers: UTF-8 decoding, FNV-1a, card file names from item ids,
 * reading a file whole, colours, image buffers.
 *
 * Contract: card_file_name() never yields a path: its output holds only
 * [A-Za-z0-9_-] plus ".png", so an id like "csv:../../etc/x" names a file
 * inside the output folder (the host refuses escapes as well).  The name
 * ends in a hash of the whole id, so two ids that sanitise alike still get
 * different files.
 */
#include "cards.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void image_free(struct image *im)
{
	free(im->px);
	im->px = NULL;
	im->w = im->h = 0;
}

int image_alloc(struct image *im, int w, int h, int ch)
{
	im->w = w;
	im->h = h;
	im->ch = ch;
	im->px = NULL;
	if (w <= 0 || h <= 0)
		return 0;
	im->px = calloc((size_t)w * (size_t)h, (size_t)ch);
	return im->px ? 0 : -1;
}

uint32_t *utf8_decode(const char *s, size_t len, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t *out = malloc((len + 1) * sizeof *out);
	size_t i = 0, k = 0;

	if (out == NULL)
		return NULL;
	while (i < len) {
		uint32_t c = p[i];
		int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (more)
			c &= 0x3Fu >> more;
		i++;
		while (more-- > 0 && i < len)
			c = (c << 6) | (p[i++] & 0x3F);
		out[k++] = c;
	}
	*n = k;
	return out;
}

uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void card_file_name(const char *id, int long_hash, char *out, size_t size)
{
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, id, strlen(id));

	/* FNV's high bits barely change between ids that differ at the end:
	 * mix them (the splitmix64 finaliser). */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	size_t o = 0, limit = size > 40 ? size - 40 : 0;
	int gap = 0;

	if (limit > 110)
		limit = 110;
	for (const char *p = id; *p && o < limit; p++) {
		char c = *p;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (c == ':' && o > 0 && !gap) {
			out[o++] = '-'; /* source:external_id -> source-external_id */
			gap = 1;
			continue;
		}
		if (!keep) {
			if (!gap && o > 0)
				out[o++] = '_';
			gap = 1;
			continue;
		}
		out[o++] = c;
		gap = 0;
	}
	while (o > 0 && (out[o - 1] == '_' || out[o - 1] == '-'))
		o--;
	if (o == 0)
		out[o++] = 'x';
	if (long_hash)
		snprintf(out + o, size - o, "-%016llx.png", (unsigned long long)h);
	else
		snprintf(out + o, size - o, "-%08llx.png",
		         (unsigned long long)(h >> 32));
}

int read_file(const char *path, size_t limit, unsigned char **data, size_t *len,
              char *msg, size_t msg_size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	unsigned char *buf;

	*data = NULL;
	*len = 0;
	if (f == NULL) {
		snprintf(msg, msg_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, msg_size, "%s is not a regular file", path);
		fclose(f);
		return -1;
	}
	if ((uint64_t)st.st_size > limit) {
		snprintf(msg, msg_size, "%s is %lld bytes, more than the %zu allowed",
		         path, (long long)st.st_size, limit);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		snprintf(msg, msg_size, "out of memory reading %s", path);
		fclose(f);
		return -1;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[*len] = 0;
	*data = buf;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "#rrggbb" or "#rgb".  RETURN VALUE 0, or -1. */
int parse_color(const char *s, struct rgb *c)
{
	unsigned char v[6];
	size_t n;

	if (s == NULL || s[0] != '#')
		return -1;
	n = strlen(s + 1);
	if (n != 3 && n != 6)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int x = hexval(s[1 + i]);
		if (x < 0)
			return -1;
		v[i] = (unsigned char)x;
	}
	if (n == 3) {
		c->r = (unsigned char)(v[0] * 17);
		c->g = (unsigned char)(v[1] * 17);
		c->b = (unsigned char)(v[2] * 17);
	} else {
		c->r = (unsigned char)(v[0] * 16 + v[1]);
		c->g = (unsigned char)(v[2] * 16 + v[3]);
		c->b = (unsigned char)(v[4] * 16 + v[5]);
	}
	return 0;
}

/* Map a file read-only (fonts: large, read in part, shared with the page
 * cache).  RETURN VALUE 0, or -1 with msg. */
int map_file(const char *path, unsigned char **data, size_t *len, char *msg,
             size_t msg_size)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(msg, msg_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		snprintf(msg, msg_size, "%s is not a font file (not a regular file, or empty)",
		         path);
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(msg, msg_size, "cannot map %s: %s", path, strerror(errno));
		return -1;
	}
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}

void unmap_file(unsigned char *data, size_t len)
{
	if (data)
		munmap(data, len);
}
