/*
 * Question-like items, for `kudos list --needs-reply` and replies.csv: a
 * customer who asks something is waiting for an answer.
 *
 * An item is question-like when
 *   - it has a question mark outside a web address ('?', full-width '？',
 *     Spanish '¿', Arabic '؟'; "https://x.example/?id=3" does not count), or
 *   - a sentence opens the way questions do in English, German, French,
 *     Spanish or Portuguese, whether or not the writer typed the '?':
 *     "why ...", "how long ...", "can you ...", "does anyone ...",
 *     "is there ...", "wann ...", "wie lange ...", "kann man ...",
 *     "gibt es ...", "est-ce que ...", "pouvez-vous ...", "combien de ...",
 *     "por qué ...", "cuánto cuesta ...", "alguien sabe ...", "onde ...",
 *     "como faço ...", "vocês têm ...".
 * Openers that also start ordinary review sentences need their second
 * word: "how long" and "how do" count, "How amazing" does not; "can you"
 * counts, "Can't wait" and "Will buy again" do not; "Kann ich nur
 * empfehlen" does not.  Greetings and fillers before the opener ("Hi,
 * quick question: ...", "So do you ...") are skipped.
 *
 * A small heuristic: it errs towards "yes" on short sentences that start
 * like a question, and misses questions phrased as statements ("I wonder
 * whether it fits").  Pure; the scratch fold buffer is the caller's.
 */
#ifndef KUDOS_CURATION_QUESTION_H
#define KUDOS_CURATION_QUESTION_H

#include <stddef.h>

#include "fold.h"

/* RETURN VALUE 1 when `len` bytes of UTF-8 `text` are question-like, 0 when
 * not, -1 when memory ran out. */
int kudos_question_like(const char *text, size_t len, struct kudos_fold *scratch);

/* The same on `text` already folded into `f`. */
int kudos_question_like_folded(const char *text, size_t len, const struct kudos_fold *f);

#endif
