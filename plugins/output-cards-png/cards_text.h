/*
 * Shaped text, shared by cards_shape.c (which fills it) and
 * cards_layout.c (which breaks it into lines and places the glyphs).
 *
 * A paragraph keeps its code points in logical order with, per code
 * point: the bidi embedding level (FriBidi), whether a line may break
 * after it (libunibreak, never inside a cluster), whether it starts a
 * cluster, and the advance of the glyphs of the cluster it starts, in em.
 * Runs are maximal stretches of one level, script and face, shaped by
 * HarfBuzz in font units; a run's glyphs are in visual order.
 */
#ifndef CARDS_TEXT_H
#define CARDS_TEXT_H

#include "cards.h"

struct sglyph {
	unsigned gid;
	uint32_t cluster;  /* index of the first code point it draws */
	int32_t adv, dx, dy;
};

struct run {
	size_t start, len;     /* code points */
	int font, level, cursive;
	size_t g0, ng;         /* glyphs */
};

struct para {
	uint32_t *cp;
	size_t n;
	int role;              /* the face it asked for */
	int rtl;               /* base direction */
	int gap_before;        /* a blank line before it */
	unsigned char *level;  /* per code point */
	unsigned char *brk;    /* 1: a line may break after this code point */
	unsigned char *cstart; /* 1: starts a cluster */
	unsigned char *space;  /* 1: white space (hangs at a line's end) */
	double *adv;           /* em, on the cluster's first code point */
	struct run *runs;
	size_t nruns;
	struct sglyph *g;
	size_t ng;
};

struct text {
	struct para *p;
	size_t n;
	size_t notdef;
	char lang[40];
};

#endif
