/*
 * Folded text: the one normalisation every curation analysis matches on.
 *
 * kudos_fold() turns UTF-8 text into a sequence of code points that are
 * compatibility-decomposed (NFKD: "ﬁ" -> "fi", full-width "ＢＡＤ" -> "BAD"),
 * case-folded by Unicode rules ("Straße" -> "strasse", "ΣΟΦΟΣ" -> "σοφοσ"),
 * lumped (curly quotes -> ', dashes -> -, every space -> ' ') and stripped
 * of default-ignorable code points (soft hyphen, zero-width joiner,
 * variation selectors) and of accents: the combining diacritical marks
 * (U+0300-036F, U+1AB0-1AFF, U+1DC0-1DFF, U+20D0-20FF, U+FE20-FE2F), Hebrew
 * points, Arabic harakat and the Arabic tatweel.  Marks that carry letters
 * (Indic and Thai vowel signs, the Japanese voicing marks) are kept, so
 * folding never merges two different words of those scripts.
 *
 * Every folded code point remembers the byte span of the source code point
 * it came from, so a match on folded text is reported as a byte span of the
 * original text.
 *
 * The folded text is then cut into tokens:
 *   KUDOS_TOK_WORD  a run of letters, digits and their combining marks, in
 *                   scripts that separate words with spaces;
 *   KUDOS_TOK_SOLO  one character (with its marks) of a script written
 *                   without spaces (Han, Hiragana, Katakana, Thai, Lao,
 *                   Khmer, Myanmar), where word boundaries need a
 *                   dictionary: matching there is by character sequence;
 *   KUDOS_TOK_PUNCT one punctuation mark, symbol or emoji.
 * Spaces and control characters separate tokens and are not tokens.
 *
 * A struct kudos_fold is a reusable buffer: fold item after item into the
 * same one and its memory is allocated once.  No global state; a buffer
 * must not be shared between threads.
 */
#ifndef KUDOS_CURATION_FOLD_H
#define KUDOS_CURATION_FOLD_H

#include <stddef.h>
#include <stdint.h>

enum {
	KUDOS_TOK_WORD = 1,
	KUDOS_TOK_SOLO = 2,
	KUDOS_TOK_PUNCT = 3
};

/* Character classes of folded code points (kudos_fold_class). */
enum {
	KUDOS_CC_SPACE = 0,
	KUDOS_CC_WORD = 1,
	KUDOS_CC_SOLO = 2,
	KUDOS_CC_MARK = 3,
	KUDOS_CC_PUNCT = 4
};

struct kudos_token {
	uint32_t a, b;  /* folded code points [a, b) */
	uint32_t kind;  /* KUDOS_TOK_* */
	uint64_t hash;  /* of the code points: equal tokens hash equal */
};

struct kudos_fold {
	uint32_t *cp;             /* folded code points */
	uint32_t *from, *to;      /* cp[i] came from source bytes [from[i], to[i]) */
	size_t n, cap;
	struct kudos_token *tok;  /* tokens, in text order */
	size_t ntok, tokcap;
};

/* An empty buffer (all zero is also a valid empty buffer). */
void kudos_fold_init(struct kudos_fold *f);

/* Fold `len` bytes of `s` and tokenize them into `f`, replacing what `f`
 * held.  Bytes that are not valid UTF-8 fold to U+FFFD, a punctuation
 * token.  RETURN VALUE 0, or -1 when memory ran out or the text is 4 GiB
 * or longer (`f` is then empty). */
int kudos_fold(struct kudos_fold *f, const char *s, size_t len);

/* Free the buffer's memory; `f` is empty and reusable afterwards. */
void kudos_fold_release(struct kudos_fold *f);

/* The KUDOS_CC_* class of a folded code point. */
int kudos_fold_class(uint32_t cp);

/* The same, inlined for ASCII. */
extern const unsigned char kudos_fold_ascii_class[128];
static inline int kudos_fold_cc(uint32_t cp)
{
	return cp < 128 ? kudos_fold_ascii_class[cp] : kudos_fold_class(cp);
}

/* Source byte span of tokens [first, last] (inclusive). */
static inline size_t kudos_fold_tok_start(const struct kudos_fold *f, size_t first)
{
	return f->from[f->tok[first].a];
}
static inline size_t kudos_fold_tok_end(const struct kudos_fold *f, size_t last)
{
	return f->to[f->tok[last].b - 1];
}

/* Whether token `t` equals the `n` code points at `cp`. */
int kudos_fold_tok_is(const struct kudos_fold *f, size_t t, const uint32_t *cp, size_t n);

/* Whether token `t` equals the ASCII string `word` (which must be folded:
 * lower case). */
int kudos_fold_tok_eq(const struct kudos_fold *f, size_t t, const char *word);

/* The hash kudos_fold gives a token made of these code points. */
uint64_t kudos_fold_hash(const uint32_t *cp, size_t n);

/* Length in bytes of a URL starting at s[i] ("http://", "https://" or
 * "www." up to the next space or closing bracket, trailing punctuation
 * excluded), or 0 when none starts there. */
size_t kudos_url_at(const char *s, size_t len, size_t i);

#endif
