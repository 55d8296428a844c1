/*
 * The store writer of a collect: a second thread that stores the items a
 * source emits, so that parsing (the plugin's thread) and storing (this
 * one) run on two cores.  The queue between them is bounded, so memory
 * stays bounded by a few hundred items whatever the payload's size.
 *
 * The store connection is only ever used by one thread at a time: a
 * caller that must touch the store while the writer runs (a source's
 * cursor_get) first waits for it with kudos_writer_sync().
 */
#ifndef KUDOS_ENGINE_WRITER_H
#define KUDOS_ENGINE_WRITER_H

#include <stddef.h>

#include "item.h"

/* Store one item; takes ownership (transfer full).  RETURN VALUE 0, or -1
 * after recording why: the writer then stops and drops what is queued. */
typedef int (*kudos_writer_fn)(void *ud, struct kudos_item *it);

struct kudos_writer;

/* RETURN VALUE 0, or -1 when the thread could not be started. */
int kudos_writer_start(struct kudos_writer **out, kudos_writer_fn fn, void *ud,
                       size_t capacity);
/* Queue an item (transfer full), waiting while the queue is full.
 * RETURN VALUE 0, or -1 if the writer has failed (the item is freed). */
int kudos_writer_push(struct kudos_writer *w, struct kudos_item *it);
/* Wait until every queued item is stored. */
void kudos_writer_sync(struct kudos_writer *w);
/* Store what is queued, stop the thread and free the writer.
 * RETURN VALUE 0, or -1 if storing failed at some point. */
int kudos_writer_finish(struct kudos_writer *w);

#endif
