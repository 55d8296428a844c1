/*
 * Sentiment: a lexicon-based score of how positive or negative a text
 * sounds, from -1 (most negative) to 1 (most positive), for sorting,
 * rules (`sentiment_at_least`), the `negative` flag and reply routing.
 *
 * It is a hint, never a verdict.  It reads words, not meaning: sarcasm,
 * irony, domain words ("this vacuum really sucks!"), complaints phrased
 * politely and praise in languages other than English all fool it.  Show
 * it beside the quote; never reject, approve or hide an item on the score
 * alone without a rule the curator wrote.
 *
 * The method is VADER (Hutto & Gilbert, ICWSM 2014), ported from the
 * reference implementation (github.com/cjhutto/vaderSentiment, MIT): the
 * valence of each lexicon word, shifted by intensifiers and dampeners up to
 * three words before it ("very good", "kind of good"), flipped and damped
 * by negations up to three words before it ("not good", "isn't bad",
 * "never so good"), raised for ALL-CAPS words when the rest is not shouted,
 * weighted by a contrastive "but" (the part before counts half, the part
 * after one and a half), raised by up to four '!' (and by repeated '?'),
 * then normalised: compound = sum / sqrt(sum^2 + 15).  kudos adds: Unicode
 * case folding and accents (fold.h) when looking words up, punctuation
 * stripped from words of one or two letters too ("ok!"), two-word lexicon
 * entries ("can't stand", "fed up"), and a few common emoji read as the
 * lexicon word they stand for (😍 as "love", 👎 as "bad"; see sentiment.c).
 *
 * The lexicon is data: engine/curation/vader_lexicon.txt, the VADER
 * lexicon (7,520 entries, its first two columns: token TAB mean valence
 * from -4 to 4), under its MIT licence (vader_LICENSE.txt beside it).
 * Load it once; a loaded lexicon is read-only and may be shared by threads
 * that each bring their own struct kudos_fold.
 */
#ifndef KUDOS_CURATION_SENTIMENT_H
#define KUDOS_CURATION_SENTIMENT_H

#include <stddef.h>

#include "../error.h"
#include "fold.h"

struct kudos_sentiment;

/* Load a lexicon file: one entry per line, "token TAB valence", further
 * tab-separated columns ignored; a later entry replaces an earlier one
 * that folds the same.  RETURN VALUE (transfer full), or NULL with `err`
 * naming the file and line. */
struct kudos_sentiment *kudos_sentiment_load(const char *path, struct kudos_error *err);

/* The same from `len` bytes in memory; `name` is used in messages. */
struct kudos_sentiment *kudos_sentiment_parse(const char *data, size_t len, const char *name,
                                              struct kudos_error *err);

void kudos_sentiment_free(struct kudos_sentiment *lex);

/* Number of distinct entries. */
size_t kudos_sentiment_size(const struct kudos_sentiment *lex);

/* Valence of one word or emoticon as the lexicon has it (folded), or 0.0
 * with *found 0 (found may be NULL). */
double kudos_sentiment_valence(const struct kudos_sentiment *lex, const char *word, int *found);

/* Score `len` bytes of UTF-8 text.  *compound in [-1, 1]; *hits (may be
 * NULL) the number of lexicon words found: 0 means the text gave nothing
 * to go on (empty, or not English) and the 0.0 score means "no signal",
 * not "neutral".  `scratch` is a reusable fold buffer.  RETURN VALUE 0, or
 * -1 when memory ran out. */
int kudos_sentiment_score(const struct kudos_sentiment *lex, const char *text, size_t len,
                          struct kudos_fold *scratch, double *compound, size_t *hits);

/* The same on `text` already folded into `f` (kudos_fold(f, text, len)). */
int kudos_sentiment_score_folded(const struct kudos_sentiment *lex, const char *text,
                                 const struct kudos_fold *f, double *compound, size_t *hits);

#endif
