/*
 * Text wrapped to a terminal's width, for showing a quote whole: lines
 * break where Unicode allows (UAX #14, libunibreak), never inside a
 * grapheme cluster, and at a forced break (a line break in the text) or
 * the end.  A word wider than the line is split between clusters rather
 * than cut.  Nothing is dropped but the spaces a line ends with and the
 * line-break characters themselves.
 *
 * Columns are utf8proc's character widths (CJK and emoji count two,
 * combining marks none).  A tab or any other control character counts one
 * column: a screen should draw it as one (a space, or U+FFFD), not as the
 * terminal would.
 */
#ifndef KUDOS_ENGINE_WRAP_H
#define KUDOS_ENGINE_WRAP_H

#include <stddef.h>

/* One line: text[start, start + len) taking `width` columns. */
struct kudos_wrap_line {
	size_t start, len;
	int width;
};

/* Wrap the UTF-8 `text` to `width` columns (at least 1); `lang` (may be
 * NULL) tailors the breaks, e.g. "ja".  An empty text is one empty line.
 * RETURN VALUE 0 and *lines (transfer full, free()) with *n lines; -1 when
 * memory ran out or `text` is not valid UTF-8. */
int kudos_wrap(const char *text, int width, const char *lang,
               struct kudos_wrap_line **lines, size_t *n);

/* The columns one character takes under the rules above. */
int kudos_wrap_charwidth(int codepoint);

#endif
