/*
 * What curation finds in items, for a curator's attention: flags (pii,
 * blocked_word, negative, question, incentivized, employee, duplicate,
 * edited_upstream) with what triggered each, a sentiment hint, and the
 * representative of each item's duplicate group.  The analyses themselves
 * live in engine/curation/; this module runs them over a job's items and
 * saves what they found, together with the flags filter plugins raised
 * (engine/filter.h).  Findings inform; only rules and people decide.
 *
 * Sentiment uses VADER's English lexicon, so an item whose language is
 * known and is not English ("de", "pt-BR"; from its source or a filter's
 * guess) gets no sentiment score and no `negative` flag; one of unknown
 * language ("und" or none) is scored.  A filter that reads the language
 * may raise `negative` itself.
 *
 * Cost: items are read as light rows, analysed on every core (each thread
 * with its own scratch), then grouped and saved in the order they were
 * read, so the findings never depend on the threads; an item whose
 * findings did not change is not written.  Memory: about 1.3 kB per item
 * while the run lasts.
 */
#ifndef KUDOS_ENGINE_ANALYZE_H
#define KUDOS_ENGINE_ANALYZE_H

#include <stdint.h>

#include "error.h"
#include "job.h"
#include "store.h"

/* Analyse every item of `sources` (NULL-terminated; NULL: all) and save
 * the findings, in one transaction.  *flagged counts the items that got
 * at least one flag.  The sentiment lexicon is looked up under
 * $KUDOS_DATA_DIR, the installed data folder, then beside the program's
 * source tree; without it there is no sentiment and a warning says so. */
int kudos_analyze(struct kudos_store *s, const struct kudos_job *job,
                  const char *const *sources, long *flagged, struct kudos_error *err);

#endif
