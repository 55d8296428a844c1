/*
 * One Business Profile Review resource -> one kudos item.
 *
 * Contract: gr_review() reads `rv` (named `at` in messages, e.g.
 * "reviews[3]") and stores it as a `review` item:
 *   reviewId        external id (else the last part of `name`,
 *                   accounts/{a}/locations/{l}/reviews/{reviewId})
 *   comment         the text; Google's translation envelope is split (see
 *                   gr_comment.h): the reviewer's original words become
 *                   the text and Google's translation meta `translation`.
 *                   A comment with a translation marker but no original is
 *                   kept verbatim with meta translation_only=true and a
 *                   warning.  A review without a comment (stars only) has
 *                   no words to quote: it is counted, not stored.
 *   starRating      ONE..FIVE -> 1..5 of 5; STAR_RATING_UNSPECIFIED or
 *                   absent -> no rating; anything else is warned about
 *   reviewer        displayName -> author name, profilePhotoUrl -> avatar;
 *                   isAnonymous true (Google then shows a placeholder
 *                   name), or no displayName -> no author fields and meta
 *                   author_missing=true (plus reviewer_anonymous=true)
 *   createTime, updateTime   RFC 3339 with 0-9 fractional digits -> UTC
 *   reviewReply     the owner's answer -> meta owner_reply, and its
 *                   updateTime -> meta owner_reply_time (UTC, RFC 3339)
 *   name            meta resource_name; `location` (batchGetReviews'
 *                   location name, may be NULL) -> meta location
 * The API gives no review permalink, author profile URL or language.
 * RETURN VALUE KUDOS_OK (stored, counted, skipped with a warning, or
 * refused by the host), or a store / memory failure after set_error().
 */
#ifndef KUDOS_GR_REVIEW_H
#define KUDOS_GR_REVIEW_H

#include <kudos/json_page.h>

struct gr_counts {
	long no_comment; /* star-only reviews, not stored */
	long translated; /* comments split into original + translation */
};

int gr_review(struct kudos_jp_run *r, struct gr_counts *n, const cJSON *rv,
              const char *at, const char *location);

#endif
