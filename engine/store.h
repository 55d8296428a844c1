/*
 * The store: one SQLite file holding items, their curation and rights
 * states, grants, upstream edits, the audit trail, source cursors and what
 * outputs published.  This module (store.c, with store_read.c,
 * store_curation.c, store_rights.c, store_state.c, store_audit.c and
 * store_excerpt.c) is the only place in kudos that speaks SQL; everything
 * goes through prepared statements.
 *
 * The file is opened in WAL mode with a busy timeout, so a second kudos
 * process on the same store waits instead of failing.  The schema is
 * versioned with PRAGMA user_version and migrated forward on open.
 *
 * Writes that belong together are wrapped by the caller in
 * kudos_store_begin() / kudos_store_commit() (or _rollback()); functions
 * that change state write their audit entry in the same transaction.
 */
#ifndef KUDOS_ENGINE_STORE_H
#define KUDOS_ENGINE_STORE_H

#include <stdint.h>

#include "error.h"
#include "item.h"

struct kudos_store;

/* Process-wide SQLite settings: call once, before any thread or store
 * (main() does).  SQLite's memory statistics are turned off: they take a
 * global lock on every allocation, for figures kudos never reads. */
void kudos_store_init_process(void);

/* Open (creating when missing) the store at `path`. */
int kudos_store_open(const char *path, struct kudos_store **out,
                     struct kudos_error *err);
void kudos_store_close(struct kudos_store *s);
const char *kudos_store_path(const struct kudos_store *s);

/* BEGIN IMMEDIATE: takes the write lock now, waiting for other writers. */
int kudos_store_begin(struct kudos_store *s, struct kudos_error *err);
int kudos_store_commit(struct kudos_store *s, struct kudos_error *err);
void kudos_store_rollback(struct kudos_store *s);

enum kudos_upsert_outcome {
	KUDOS_UPSERT_NEW = 0,
	KUDOS_UPSERT_UPDATED = 1,  /* the content hash changed upstream */
	KUDOS_UPSERT_UNCHANGED = 2
};

/* Terms in force for consent that comes with content, from the job. */
struct kudos_terms {
	const char *url, *version;
};

/* Insert or update one collected item.  An item seen before with the same
 * content hash changes nothing; a different hash updates it, keeps the old
 * text in the edit history and audits the edit.  Consent carried by the
 * item grants it if its rights are still `none`.  `actor` names the source
 * in the audit trail.  Call inside a transaction. */
int kudos_store_upsert(struct kudos_store *s, const struct kudos_item *it,
                       const char *actor, const struct kudos_terms *terms,
                       int64_t now, int *outcome, struct kudos_error *err);

/* Load one item with its states and current grant.  (transfer full)
 * RETURN VALUE -1 with KUDOS_EXIT_INPUT if no item has that id. */
int kudos_store_get(struct kudos_store *s, const char *id,
                    struct kudos_item **out, struct kudos_error *err);

/* Which items kudos_store_each() visits; NULL members match everything. */
struct kudos_query {
	const char *curation;
	const char *rights;
	const char *source;
	const char *const *sources; /* NULL-terminated set, or NULL */
	const char *flag;           /* items carrying this flag */
	int flagged;                /* items carrying any flag */
	int needs_reply;            /* negative or question-like items */
	const char *tag;            /* items a filter tagged so */
	/* Items the job's filters, whose fingerprint this is (engine/
	 * filter.h), have not seen as they are now: new, edited upstream,
	 * or last filtered by another set of filters. */
	const char *unfiltered;
};

/* Called per item, newest first (created time, then id).  `it` is
 * (transfer none) but the callee may change it: it is loaded for this call
 * alone and freed when the call returns.  Return non-zero to stop; that
 * value is returned. */
typedef int (*kudos_store_each_fn)(void *ud, struct kudos_item *it);
int kudos_store_each(struct kudos_store *s, const struct kudos_query *q,
                     kudos_store_each_fn fn, void *ud, struct kudos_error *err);

/* What curation reads of an item, and what it last saved: lighter than a
 * whole item (no grant, media or metadata).  Lent for the call. */
struct kudos_analysis_row {
	const char *id, *text;
	const char *language;       /* the source's, else a filter's guess */
	const char *author_name, *author_handle;
	const char *filter_results; /* JSON, "{}" when none */
	unsigned badges;
	int has_created;
	int64_t created;
	int edited;                 /* edited upstream at least once */
	/* the analysis saved last time */
	const char *flags, *flag_detail, *duplicate_of;
	int has_sentiment;
	double sentiment;
};
typedef int (*kudos_store_analysis_fn)(void *ud, const struct kudos_analysis_row *row);
/* Visit the items of `sources` (NULL: all) in the order they are stored
 * (rowid), not kudos_store_each's: reading 100,000 rows by creation time
 * visited table pages at random and read each page thirty times over.
 * Return non-zero to stop; that value is returned. */
int kudos_store_each_for_analysis(struct kudos_store *s, const char *const *sources,
                                  kudos_store_analysis_fn fn, void *ud,
                                  struct kudos_error *err);

/* Set an item's curation state (new, approved, rejected) and audit it.
 * *changed says whether it differed.  RETURN VALUE -1 with
 * KUDOS_EXIT_INPUT for an unknown id or state. */
int kudos_store_set_curation(struct kudos_store *s, const char *id,
                             const char *state, const char *actor,
                             const char *reason, int64_t now, int *changed,
                             struct kudos_error *err);

/* Compare and set: move an item's curation from `expect` to `to`, audited
 * under `action` ("curation", "undo") with `reason` as the detail.
 * RETURN VALUE -1 with KUDOS_EXIT_INPUT for an unknown id or state, or
 * when the item is no longer in `expect` (someone decided it meanwhile);
 * nothing changes then. */
int kudos_store_change_curation(struct kudos_store *s, const char *id, const char *expect,
                                const char *to, const char *action, const char *actor,
                                const char *reason, int64_t now, struct kudos_error *err);

/* What a grant records beyond the item and the time.  Scopes are a
 * canonical "web,print" list; from/until 0 leave the window open. */
struct kudos_grant_input {
	const char *scopes;
	int64_t from, until;
	const char *evidence;  /* required: why kudos may publish */
	const char *credit;    /* full (NULL), first, initials, handle, anonymous */
	/* Where the evidence came from, when it was a reply (may be NULL/0). */
	const char *evidence_id, *evidence_author;
	int64_t evidence_at;
	/* The request this answers, when there was one. */
	const char *request_text;
	int64_t request_sent_at;
};

/* Record a grant for `id`, set its rights to `granted` and audit it.
 * RETURN VALUE -1 with KUDOS_EXIT_INPUT for an unknown id or a grant
 * without scopes or evidence. */
int kudos_store_grant(struct kudos_store *s, const char *id,
                      const struct kudos_grant_input *g, const char *actor,
                      const struct kudos_terms *terms, int64_t now,
                      struct kudos_error *err);

/* An item's rights state into `state`.  RETURN VALUE -1 with
 * KUDOS_EXIT_INPUT for an unknown id. */
int kudos_store_rights_of(struct kudos_store *s, const char *id, char state[16],
                          struct kudos_error *err);

/* Set an item's rights state and audit it (`action` names the change:
 * request, deny, revoke, replied, stale).  No policy here: engine/rights.c
 * decides which changes are allowed. */
int kudos_store_set_rights(struct kudos_store *s, const char *id, const char *to,
                           const char *actor, const char *action, const char *detail,
                           int64_t now, struct kudos_error *err);

/* A request for permission as sent. */
struct kudos_request {
	int found;
	char *text;       /* (transfer full) */
	char *posted_as;  /* (transfer full), may be NULL */
	int64_t sent_at;
};
int kudos_store_add_request(struct kudos_store *s, const char *id, const char *text,
                            const char *template_name, const char *posted_as,
                            const char *actor, int64_t now, struct kudos_error *err);
int kudos_store_last_request(struct kudos_store *s, const char *id,
                             struct kudos_request *out, struct kudos_error *err);
void kudos_request_clear(struct kudos_request *r);

/* The evidence of the item's latest grant (transfer full), or NULL. */
int kudos_store_last_evidence(struct kudos_store *s, const char *id, char **evidence,
                              struct kudos_error *err);

/* Items of `source` in rights state `requested` that a reply to
 * `reply_to` answers: the item itself, or the brand's post that carried
 * its request.  *ids (transfer full) is freed with kudos_ids_free. */
int kudos_store_requested_for_reply(struct kudos_store *s, const char *source,
                                    const char *reply_to, char ***ids, size_t *n,
                                    struct kudos_error *err);
/* Items still `requested` whose last request was sent before `cutoff`. */
int kudos_store_requested_before(struct kudos_store *s, int64_t cutoff, char ***ids,
                                 size_t *n, struct kudos_error *err);
void kudos_ids_free(char **ids, size_t n);

/* Save what curation found for item `id` (see engine/analyze.h), in
 * place of what was saved before.  Saving many, in id order meets each
 * page of their table once.  The strings need to live only for the
 * call. */
int kudos_store_set_analysis(struct kudos_store *s, const char *id, const char *flags,
                             const char *detail, int has_sentiment, double sentiment,
                             const char *duplicate_of, struct kudos_error *err);
/* Save what the job's filters found on an item (see engine/filter.h):
 * `results` the JSON object of their findings, `language` the one they
 * gave it (NULL: none), and what they saw: the filters' fingerprint
 * `setup` and the item's `content_hash`.  Replaces what was saved before.
 * Call inside a transaction. */
int kudos_store_set_filter_results(struct kudos_store *s, const char *id,
                                   const char *results, const char *language,
                                   const char *setup, const char *content_hash,
                                   struct kudos_error *err);
/* Forget what filters found on the items of `sources` (NULL-terminated;
 * NULL: all): for a job that lists no filters (any more). */
int kudos_store_clear_filter_results(struct kudos_store *s, const char *const *sources,
                                     struct kudos_error *err);
/* Excerpts (store_excerpt.c): a curator-approved shortening of an item's
 * quote (engine/excerpt.c builds and checks it), kept beside the original
 * and valid only while the item's content hash is `content_hash`: an
 * upstream edit removes it, audited (kudos_store_upsert).  Setting one
 * replaces the item's previous excerpt and audits the new text with the
 * curator as actor.  Call inside a transaction.  RETURN VALUE -1 with
 * KUDOS_EXIT_INPUT for an unknown id. */
int kudos_store_set_excerpt(struct kudos_store *s, const char *id, const char *text,
                            const char *content_hash, const char *actor, int64_t now,
                            struct kudos_error *err);
/* Remove the item's excerpt (audited); *cleared says whether it had one. */
int kudos_store_clear_excerpt(struct kudos_store *s, const char *id, const char *actor,
                              int64_t now, int *cleared, struct kudos_error *err);

/* Put an author (name or handle, as the items carry it) on the opt-out
 * list: the gate refuses all their items from now on. */
int kudos_store_optout(struct kudos_store *s, const char *author, const char *actor,
                       int64_t now, struct kudos_error *err);

/* Whether an author (by name or handle) is on the opt-out list. */
int kudos_store_opted_out(struct kudos_store *s, const struct kudos_item *it,
                          int *out, struct kudos_error *err);

/* State a plugin keeps between runs, per job entry ("acme/sources[0]").
 * *value is (transfer full) or NULL. */
int kudos_store_cursor_get(struct kudos_store *s, const char *entry,
                           const char *key, char **value, struct kudos_error *err);
int kudos_store_cursor_set(struct kudos_store *s, const char *entry,
                           const char *key, const char *value,
                           struct kudos_error *err);

/* One file that holds one item. */
struct kudos_publication {
	const char *item_id;
	const char *output;  /* the job entry, e.g. "acme/outputs[0]" */
	const char *plugin;  /* its plugin, e.g. "widget-json" */
	const char *path;    /* absolute */
	int per_item;        /* the file is this item's alone (delete on takedown) */
	int64_t at;
};

/* Record (or refresh) one publication. */
int kudos_store_record_publication(struct kudos_store *s, const struct kudos_publication *p,
                                   struct kudos_error *err);
/* Forget what `output` published (for one item, or all when NULL). */
int kudos_store_forget_publications(struct kudos_store *s, const char *output,
                                    const char *item_id, struct kudos_error *err);
/* Visit publications; NULL filters match everything.  `p` is (transfer
 * none) for the call. */
typedef int (*kudos_publication_fn)(void *ud, const struct kudos_publication *p);
int kudos_store_each_publication(struct kudos_store *s, const char *item_id,
                                 const char *output, const char *plugin,
                                 kudos_publication_fn fn, void *ud,
                                 struct kudos_error *err);

/* Rating count and average (each scaled to 5) over the items of the
 * given sources (NULL-terminated; NULL means all). */
int kudos_store_aggregate(struct kudos_store *s, const char *const *sources,
                          int64_t *count, double *average,
                          struct kudos_error *err);

/* Walk the audit chain.  *entries gets the count; *bad_seq the first entry
 * whose hash does not match (0 when the chain is intact). */
int kudos_store_audit_verify(struct kudos_store *s, int64_t *entries,
                             int64_t *bad_seq, struct kudos_error *err);

/* One audit entry, as kudos history prints it. */
struct kudos_audit_entry {
	int64_t seq, at;
	const char *item_id, *actor, *action, *from_state, *to_state, *detail;
};
typedef int (*kudos_audit_fn)(void *ud, const struct kudos_audit_entry *e);
int kudos_store_history(struct kudos_store *s, const char *item_id,
                        kudos_audit_fn fn, void *ud, struct kudos_error *err);

#endif
