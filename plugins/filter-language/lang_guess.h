/*
 * A language guesser for short texts: the script of the letters first
 * (code point ranges; letters and marks told apart by utf8proc's
 * categories), and, for scripts that several languages share (Latin,
 * Cyrillic, Arabic), the most frequent words of each candidate language
 * plus the letters only it uses (ß, ñ, ã, ł, ğ; ї, ў; ڑ, پ).
 *
 * The guess comes with a confidence from 0 to 1: the dominant script's
 * share of the letters, times, for shared scripts, the lead of the best
 * language over the runner-up and how much evidence there was (one
 * telling word is half, two are enough).  A text without letters, or
 * with no telling word in a shared script, has no language.
 */
#ifndef KUDOS_FILTER_LANG_GUESS_H
#define KUDOS_FILTER_LANG_GUESS_H

#include <stddef.h>
#include <stdint.h>

/* Languages the word lists know; a bit each in a uint32_t. */
enum lang {
	L_EN, L_DE, L_FR, L_ES, L_IT, L_NL, L_PT, L_SV, L_PL, L_TR,
	L_RU, L_UK, L_BG, L_SR, L_BE, L_MK,
	L_AR, L_FA, L_UR,
	L_COUNT_
};

extern const char *const lang_code[L_COUNT_];

/* The word table: every listed word with the languages that use it.
 * Open addressing; built once per plugin instance. */
struct lang_words {
	struct lang_word {
		char word[28];
		uint32_t langs;
	} *slot;
	size_t size; /* a power of two */
};

/* RETURN VALUE 0, or -1 when out of memory.  lang_words_free() either way. */
int lang_words_build(struct lang_words *t);
void lang_words_free(struct lang_words *t);

struct lang_guess {
	const char *language; /* BCP 47 primary tag, or NULL: no guess */
	double confidence;    /* 0..1, two decimals */
	const char *script;   /* ISO 15924 of the dominant script ("Latn",
	                         "Jpan"), or NULL: no letters */
};

/* Guess the language of `text` (UTF-8; invalid bytes are skipped). */
void lang_guess(const struct lang_words *t, const char *text, struct lang_guess *g);

#endif
