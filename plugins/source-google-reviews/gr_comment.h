/*
 * Google's translation envelope in a Business Profile review comment.
 *
 * When a review is written in another language than the one the API
 * caller reads, `comment` carries Google's machine translation and the
 * reviewer's own words together:
 *
 *   "(Translated by Google) <translation>\n\n(Original)\n<original>"
 *
 * That is the shape kudos' fixture notes record (../shared/fixtures/real/
 * SOURCES.md, "Documented facts"), the shape public Business Profile
 * clients split (one writes it as "(Translated by Google) <translation>
 * \n\n(Original)\n<original>" beside its parser), and the one an API
 * user describes in a Stack Exchange question republished at
 * volcengine.com/article/2567766 ("(Translated by Google) great team
 * (Original) Tolles Team").  The review resource has no language field to
 * tell the parts apart.  The same question shows the reverse order, the
 * original first: "Tolles Team (Translated by Google) great team"; it is
 * handled too.  The Spanish marker "(Traducido por Google)", seen in a
 * public Google Maps review scraper, is accepted beside the English one.
 *
 * Contract: gr_comment_split() finds the envelope.  On success *original
 * and *translation (transfer full, free()) hold the two parts with their
 * surrounding blanks trimmed; line breaks inside are kept.  A comment
 * without the envelope, or one whose original part is empty (a
 * translation alone must never pass as the reviewer's words), is left to
 * the caller to keep verbatim.
 * RETURN VALUE 1 split, 0 no usable envelope (*original and *translation
 * NULL), -1 out of memory.  *marker_only (may be NULL) is set to 1 when a
 * translation marker was present without a usable original.
 */
#ifndef KUDOS_GR_COMMENT_H
#define KUDOS_GR_COMMENT_H

int gr_comment_split(const char *comment, char **original, char **translation,
                     int *marker_only);

#endif
