/*
 * Quotes wrapped to a terminal's width (engine/wrap.c), as kudos review
 * shows them: breaks between words, a word wider than the line split
 * between characters, wide characters and clusters counted whole, a
 * control character as one column.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "wrap.h"

/* The lines of `text` at `width`, joined by '|'. */
static char *wrapped(const char *text, int width)
{
	struct kudos_wrap_line *l;
	size_t n;
	cr_assert_eq(kudos_wrap(text, width, NULL, &l, &n), 0);
	char *out = calloc(1, strlen(text) + n + 1);
	for (size_t i = 0; i < n; i++) {
		cr_assert_leq(l[i].width, width, "line %zu of \"%s\" takes %d columns", i, text,
		              l[i].width);
		if (i)
			strcat(out, "|");
		strncat(out, text + l[i].start, l[i].len);
	}
	free(l);
	return out;
}

Test(wrap, breaks_between_words_and_keeps_every_word)
{
	char *w = wrapped("The grind is consistent and the espresso tastes great.", 16);
	cr_assert_str_eq(w, "The grind is|consistent and|the espresso|tastes great.");
	free(w);
	w = wrapped("one\ntwo  three\r\nfour", 40);
	cr_assert_str_eq(w, "one|two  three|four", "a line break in the text is kept");
	free(w);
	w = wrapped("", 10);
	cr_assert_str_eq(w, "");
	free(w);
}

Test(wrap, splits_a_word_wider_than_the_line_between_characters)
{
	char *w = wrapped("supercalifragilistic", 8);
	cr_assert_str_eq(w, "supercal|ifragili|stic");
	free(w);
}

Test(wrap, counts_wide_characters_and_never_splits_a_cluster)
{
	/* Ideographs take two columns and may break between them. */
	char *w = wrapped("素晴らしいコーヒーミル", 8);
	cr_assert_str_eq(w, "素晴らし|いコーヒ|ーミル");
	free(w);
	/* A thumbs-up with a skin tone is one cluster; it counts four
	 * columns, as ncurses (wcwidth per character) draws it; e + a
	 * combining acute is one cluster of one column. */
	w = wrapped("👍🏽👍🏽👍🏽 cafe\xCC\x81", 8);
	cr_assert_str_eq(w, "👍🏽👍🏽|👍🏽|cafe\xCC\x81");
	free(w);
}

Test(wrap, a_control_character_counts_one_column)
{
	cr_assert_eq(kudos_wrap_charwidth(0x1B), 1);
	cr_assert_eq(kudos_wrap_charwidth('\t'), 1);
	cr_assert_eq(kudos_wrap_charwidth(0x4E00), 2);
	cr_assert_eq(kudos_wrap_charwidth(0x301), 0);
	char *w = wrapped("ab\x1b[2Jcd", 3);
	cr_assert_str_eq(w, "ab\x1b|[2J|cd");
	free(w);
}
