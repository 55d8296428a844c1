/*
 * The message that asks a creator for permission to reuse their words:
 * one of the variants of the job's rights.templates[NAME] (kudos's own
 * "default" when the job has none of that name), picked per item so a
 * brand does not post one text a hundred times, with {handle}, {name},
 * {brand}, {hashtag}, {terms_url}, {terms_version} and {permalink}
 * filled in.  `kudos request` and `kudos review` both ask through here.
 */
#ifndef KUDOS_ENGINE_REQUEST_H
#define KUDOS_ENGINE_REQUEST_H

#include <stdint.h>

#include "error.h"
#include "item.h"
#include "job.h"
#include "store.h"

/* RETURN VALUE 0 if the job (or kudos) has a template `name`; else -1
 * with KUDOS_EXIT_INPUT naming the templates there are. */
int kudos_request_template_check(const struct kudos_job *job, const char *name,
                                 struct kudos_error *err);

/* The message for `it` from template `name`.  The variant depends only on
 * the item's id, so asking again gives the same text.
 * RETURN VALUE 0 and *out (transfer full), or -1 (unknown template:
 * KUDOS_EXIT_INPUT; out of memory: KUDOS_EXIT_FAIL). */
int kudos_request_message(const struct kudos_job *job, const char *name,
                          const struct kudos_item *it, char **out,
                          struct kudos_error *err);

/* Ask for permission for item `id`: make its message, then move its
 * rights to `requested` (engine/rights.c decides whether they may) and
 * keep the message as sent, audited under `actor`.  Call inside a
 * transaction.  RETURN VALUE 0 and *message (transfer full), or -1 with
 * *message NULL (unknown id or a refused change: KUDOS_EXIT_INPUT). */
int kudos_request_item(struct kudos_store *s, const struct kudos_job *job, const char *id,
                       const char *template_name, const char *posted_as, const char *actor,
                       int64_t now, char **message, struct kudos_error *err);

#endif
