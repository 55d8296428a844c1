/*
 * The engine's item: what a source builds through the host's item builder,
 * what the store saves and loads, and what an output reads.  Plugins see it
 * only as the opaque struct kudos_item of <kudos/plugin.h>.
 *
 * Strings are owned by the item (freed by kudos_item_free).  Fields the
 * store adds (curation, rights, grant) are filled when loaded from the store.
 *
 * The string fields, media and metadata are copied into blocks the item
 * owns, not allocated one by one: a source builds an item on a reader
 * thread and the store's writer frees it on another, and some thirty
 * allocations per item, freed across threads, cost more than the store
 * itself.  A field replaced leaves its old copy in the block until the
 * item is freed.
 */
#ifndef KUDOS_ENGINE_ITEM_H
#define KUDOS_ENGINE_ITEM_H

#include <stddef.h>
#include <stdint.h>

#include <kudos/plugin.h>

struct kudos_media {
	char *type, *url, *alt;
};

struct kudos_meta {
	char *key, *value;
};

/* A score a filter plugin set, named "<filter>.<name>". */
struct kudos_score {
	char *name;
	double value;
};

/* A grant as it stands (the latest one recorded for the item). */
struct kudos_grant {
	char *scopes;        /* "web,print" */
	int64_t from, until; /* 0: open */
	char *evidence;
	char *credit;        /* full, first, initials, handle, anonymous */
	int64_t consent_at;
};

struct kudos_item_block;

struct kudos_item {
	char *field[KUDOS_FIELD_COUNT_];
	uint32_t heap_fields; /* bit i: field[i] is its own allocation */
	struct kudos_item_block *strings;
	int has_rating;
	double rating, rating_scale;
	int has_time[2];
	int64_t time[2];
	struct kudos_media *media;
	size_t n_media;
	struct kudos_meta *meta;
	size_t n_meta;
	unsigned badges;

	/* Set by a source when consent came with the content. */
	char *consent_scopes, *consent_evidence;

	/* Filled when loaded from the store. */
	char *flags;         /* "pii,negative", or "" */
	char *flag_detail;   /* JSON object: flag -> what was found */
	int has_sentiment;
	double sentiment;    /* -1..1, a hint */
	char *duplicate_of;  /* the representative of its duplicate group */
	/* What filter plugins found (engine/filter.c): per filter, its flags,
	 * tags, scores and language, as JSON; and, read from it, every
	 * filter's tags (deduplicated) and scores.  language_guessed: the
	 * language field is a filter's guess, the source gave none. */
	char *filter_results;
	char **tags;
	size_t n_tags;
	struct kudos_score *scores;
	size_t n_scores;
	int language_guessed;
	struct kudos_grant grant;
	int has_grant;
	int64_t collected_at;
	int has_approved_at;  /* curation is approved: since approved_at */
	int64_t approved_at;
	/* The curator-approved excerpt for this content hash, or NULL; who
	 * approved it and when. */
	char *excerpt, *excerpt_by;
	int64_t excerpt_at;

	/* What the store writes for the content, made ahead by kudos_item_seal
	 * on a reader thread so that the one store writer has less to do;
	 * "" and NULL until then.  A sealed item is not changed any more. */
	char sealed_hash[65];
	char *media_json, *meta_json;
};

/* A new item for `source` with `external_id`.  (transfer full) */
struct kudos_item *kudos_item_new(const char *source, const char *external_id);
void kudos_item_free(struct kudos_item *it);

/* Replace a string field (copying `value`; NULL clears).  Internal: no
 * read-only check, used by the store when loading. */
int kudos_item_put(struct kudos_item *it, int field, const char *value);
/* The same for `len` bytes of `value` (no NUL among them). */
int kudos_item_put_n(struct kudos_item *it, int field, const char *value, size_t len);
/* The same with a string made for it: `value` (transfer full, from
 * malloc; NULL clears) becomes the field's, freed with the item. */
void kudos_item_take(struct kudos_item *it, int field, char *value);

int kudos_item_add_media(struct kudos_item *it, const char *type,
                         const char *url, const char *alt);
int kudos_item_set_meta(struct kudos_item *it, const char *key, const char *value);
const char *kudos_item_meta(const struct kudos_item *it, const char *key);

/* Hex BLAKE2b-256 of everything upstream said (text, author, times,
 * media, metadata...), so an edit upstream shows as a different hash. */
void kudos_item_content_hash(const struct kudos_item *it, char hex[65]);

/* The media list (a JSON array of {type, url, alt}) and the metadata (a
 * JSON object of strings) as the store keeps them.  RETURN VALUE
 * (transfer full) or NULL when out of memory. */
char *kudos_item_media_json(const struct kudos_item *it);
char *kudos_item_meta_json(const struct kudos_item *it);

/* Make the content hash and the JSON above once, into the item, for an
 * item nothing will change any more.  RETURN VALUE 0, or -1 when out of
 * memory: the item then stays unsealed and the store makes them itself. */
int kudos_item_seal(struct kudos_item *it);

/* The name to show for the author under the grant's credit preference. 
 * RETURN VALUE (transfer full) or NULL when anonymous/no name. */
char *kudos_item_credit(const struct kudos_item *it);

/* Set the curation findings (strings copied; NULLs allowed). */
int kudos_item_set_analysis(struct kudos_item *it, const char *flags, const char *detail,
                            int has_sentiment, double sentiment, const char *duplicate_of);

/* Whether the item carries `flag` ("pii", "duplicate" ...). */
int kudos_item_flagged(const struct kudos_item *it, const char *flag);

/* Set what the filters found from `json` (an object: filter name ->
 * {"flags": {name: detail}, "tags": [...], "scores": {name: n},
 * "language": tag}; NULL or unparsable: nothing), filling tags and scores.
 * RETURN VALUE KUDOS_OK or KUDOS_ENOMEM. */
int kudos_item_set_filter_results(struct kudos_item *it, const char *json);
/* Whether a filter tagged the item `tag` (exact, case-sensitive). */
int kudos_item_has_tag(const struct kudos_item *it, const char *tag);
/* The score "<filter>.<name>".  RETURN VALUE 1 and *value when set. */
int kudos_item_score(const struct kudos_item *it, const char *name, double *value);

/* Names of the kinds and badges, for validation and output. */
int kudos_kind_valid(const char *kind);
extern const char *const kudos_badge_names[3];

#endif
