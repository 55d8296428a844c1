/*
 * Progress on long work: one line on a terminal, redrawn at most ten times
 * a second; nothing at all when stderr is not a terminal (pipes, CI logs).
 * A count ("sources[0] (csv): 1200 items") while the total is unknown, a
 * bar ("outputs[1] (cards-png): [#######.............] 37/100") once it
 * is known.
 */
#ifndef KUDOS_ENGINE_PROGRESS_H
#define KUDOS_ENGINE_PROGRESS_H

#include <stdint.h>

struct kudos_progress {
	int enabled;
	const char *label;
	int64_t last_ms;
	int drawn;
};

/* Enabled only if `want` and stderr is a terminal. */
void kudos_progress_start(struct kudos_progress *p, const char *label, int want);
void kudos_progress_update(struct kudos_progress *p, long count);
/* `done` of `total` as a bar; total <= 0 draws the count alone. */
void kudos_progress_bar(struct kudos_progress *p, int64_t done, int64_t total);
/* Clear the line, so that the next message starts clean; the next update
 * draws it again at once. */
void kudos_progress_end(struct kudos_progress *p);

#endif
