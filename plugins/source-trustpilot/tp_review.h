/*
 * tp_review: one Trustpilot service review object -> a kudos review.
 *
 * Contract:
 *   - tp_review() reads a review at position `pos` ("reviews[2]",
 *     "events[0].eventData") of the file being read, in either shape
 *     Trustpilot sends: the API's review object (consumer.displayName,
 *     updatedAt, numberOfLikes, companyReply, ...) or a webhook's
 *     eventData (consumer.name, referenceId, link).  The mapping is
 *     described in source_trustpilot.c.
 *   - A review that is not an object, has no usable id, no text, stars
 *     outside 1-5, a member of the wrong type or a time that does not
 *     parse is skipped with a warning naming the file and position.
 *   - RETURN VALUE KUDOS_OK (collected, or skipped with a warning), or a
 *     negative code after set_error() (store failure, out of memory).
 */
#ifndef TP_REVIEW_H
#define TP_REVIEW_H

#include <cjson/cJSON.h>
#include <kudos/plugin.h>

/* One file being read. */
struct tp_page {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const char *file;
	long items;   /* emitted and accepted */
	long skipped; /* skipped with a warning, or refused by the host */
	long deleted; /* service-review-deleted events seen */
};

int tp_review(struct tp_page *pg, const cJSON *r, const char *pos);

/* Say `fmt` as a warning about `pos` of the file being read. */
void tp_warn(struct tp_page *pg, const char *pos, const char *fmt, ...) KUDOS_PRINTF(3, 4);

#endif
