/*
 * One Yelp Fusion review object -> one kudos item.
 *
 * Contract: yelp_review() reads `rv` (an element of reviews[], named `at`
 * in messages, e.g. "reviews[2]") and stores it as a `review` item:
 *   id             external id (a string; a whole number up to 2^53 is
 *                  accepted, a larger one refused: a double lost digits)
 *   text           verbatim (Yelp sends plain text, an excerpt of about
 *                  160 characters ending in "..."; such an excerpt gets
 *                  meta truncated=true so that nobody quotes it as whole)
 *   rating         0-5 of 5 (Yelp sends whole stars; halves are kept)
 *   time_created   zone-less wall-clock time in `zone` (Yelp documents it
 *                  as Pacific time), or any time with an offset -> UTC
 *   user.name      author name ("Ella A."); no user or no name -> no author
 *                  fields and meta author_missing=true
 *   user.profile_url, user.image_url (null allowed) -> author URL, avatar
 *   user.id        meta user_id
 *   url            permalink without Yelp's tracking parameters
 *                  (adjust_creative, utm_*); hrid, the review's anchor, stays
 * A review without an id or text, or of the wrong type, is skipped with a
 * warning naming the file and `at`.
 * RETURN VALUE KUDOS_OK (stored, skipped or refused), or a failure of the
 * store / memory after set_error().
 */
#ifndef KUDOS_YELP_REVIEW_H
#define KUDOS_YELP_REVIEW_H

#include <kudos/json_page.h>

int yelp_review(struct kudos_jp_run *r, const cJSON *rv, const char *at,
                const char *zone);

/* `url` without the query parameters adjust_creative and utm_*
 * (transfer full, free()), or NULL when out of memory. */
char *yelp_clean_url(const char *url);

#endif
