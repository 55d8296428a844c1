/*
 * Blocklist: words and phrases a curator does not want to publish, matched
 * for the `blocked_word` flag.
 *
 * Entries and text are folded the same way (curation/fold.h): case-folded
 * by Unicode rules, compatibility-decomposed and stripped of accents, in
 * any script, so "cafe" matches "Café", "CAFÉ" and "ｃａｆｅ", "scheisse"
 * matches "Scheiße", "σκατα" matches "ΣΚΑΤΆ".
 *
 * Matching is on whole tokens: an entry is the token sequence it folds to
 * and matches only the same sequence in the text, so "ass" matches "ass!"
 * and "(ass)" but not "class" or "assistant", and "kill yourself" matches
 * across any spaces or line breaks but not "kill, yourself".  Punctuation
 * inside an entry is itself a token ("f*ck" matches "f*ck" and "F * CK",
 * not "fck").  In scripts written without spaces (Chinese, Japanese,
 * Thai, Lao, Khmer, Myanmar) every character is a token, so there an entry
 * matches as a character sequence wherever it appears: "バカ" matches
 * inside "バカだ".  Without a dictionary there is no word boundary to
 * honour; prefer entries of two or more characters in those scripts.
 *
 * The first match in the text wins; at one position the longest entry
 * does.  Matching costs one hash lookup per token of the text, whatever
 * the number of entries.
 *
 * Ownership: the list copies every entry; a match lends the entry's text
 * for as long as the list lives.  A built list is read-only: matching from
 * several threads is safe when each brings its own struct kudos_fold.
 */
#ifndef KUDOS_CURATION_BLOCKLIST_H
#define KUDOS_CURATION_BLOCKLIST_H

#include <stddef.h>

#include "../error.h"
#include "fold.h"

struct kudos_blocklist;

struct kudos_block_match {
	const char *entry;  /* the entry as written in the list (lent) */
	size_t start, end;  /* byte span [start, end) of the match in the text */
};

/* An empty list (transfer full), or NULL when out of memory. */
struct kudos_blocklist *kudos_blocklist_new(void);
void kudos_blocklist_free(struct kudos_blocklist *bl);

/* Add one entry (UTF-8).  An entry already in the list (after folding) is
 * ignored.  Fails with KUDOS_EXIT_INPUT when `entry` is not valid UTF-8 or
 * folds to nothing (blank, only ignorable characters). */
int kudos_blocklist_add(struct kudos_blocklist *bl, const char *entry,
                        struct kudos_error *err);

/* Add every entry of a list file: one entry per line, UTF-8 (a leading BOM
 * is skipped), LF or CRLF line ends.  Blank lines are skipped; a line whose
 * first non-blank character is '#' is a comment, and so is the rest of a
 * line from a '#' that follows a space or tab.  "\#" stands for a literal
 * '#' (write "\#tag" to block a hashtag).  Errors name the file and line. */
int kudos_blocklist_add_file(struct kudos_blocklist *bl, const char *path,
                             struct kudos_error *err);

/* Number of distinct entries. */
size_t kudos_blocklist_count(const struct kudos_blocklist *bl);

/* Find the first entry in `text` (`len` bytes of UTF-8).  `scratch` is a
 * reusable fold buffer (see fold.h).  RETURN VALUE 1 with *m filled, 0 when
 * nothing matches, -1 when memory ran out. */
int kudos_blocklist_match(const struct kudos_blocklist *bl, const char *text, size_t len,
                          struct kudos_fold *scratch, struct kudos_block_match *m);

/* The same on text already folded into `f` by kudos_fold(): for callers
 * that run several analyses on one item.  Offsets refer to that text. */
int kudos_blocklist_match_folded(const struct kudos_blocklist *bl, const struct kudos_fold *f,
                                 struct kudos_block_match *m);

#endif
