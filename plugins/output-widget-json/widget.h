/*
 * widget.h: what the widget-json plugin's files share.
 *
 * Contract: widget_json.c owns the context and the kudos callbacks; it
 * calls widget_opts_*() from init(), widget_item_build() from consume()
 * and widget_write_all() from flush().  Every function here that can fail
 * returns a KUDOS_* status after host->set_error() (or, for out of memory,
 * leaves the message to its caller as documented), and releases whatever
 * it allocated itself.  Memory is plain malloc/free; cJSON trees are owned
 * by whoever holds the pointer.  Nothing here opens a file for writing:
 * every byte leaves through host->output_write().
 */
#ifndef WIDGET_H
#define WIDGET_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <stddef.h>
#include <stdint.h>

#define WIDGET_SCHEMA_ID "kudos.widget/1"
/* The plugin whose per-item files are an item's card. */
#define WIDGET_CARDS_PLUGIN "cards-png"
/* The cursor key under which the part files of the last run are kept. */
#define WIDGET_PARTS_CURSOR "parts"

enum widget_sort { SORT_NEWEST = 0, SORT_RATING = 1, SORT_RANDOM = 2 };
enum widget_split { SPLIT_NONE = 0, SPLIT_SOURCE = 1, SPLIT_TAG = 2 };

/* One item kept by consume() for flush(). */
struct witem {
	cJSON *obj;      /* the item as written in the file (owned) */
	const char *id;  /* points into obj */
	const char *source; /* points into obj */
	char **tags;     /* split by tag: the item's tags, owned */
	size_t n_tags;
	double stars;    /* rating scaled to 5, or -1 when unrated */
	uint64_t rkey;   /* sort random: the item's place for the seed */
	size_t seq;      /* consume() order: newest first */
};

struct widget_ctx {
	/* filled by the host from the config table */
	const char *path;        /* absolute; its folder is the output dir */
	const char *scope;       /* read by the host's render gate */
	int64_t limit;           /* 0: no limit; per file */
	const char *sort;        /* newest | rating | random */
	int64_t seed;            /* sort random */
	const char *const *sources;    /* only these source plugins, or NULL */
	double min_rating;       /* on the 0-5 scale; set_min says if set */
	const char *split;       /* none | source | tag */
	const char *jsonld;      /* JSON text of the "jsonld" object, or NULL */
	const char *const *avatar_map; /* pairs: avatar URL/path, local copy */

	/* settled by init() */
	const char *file;        /* the final component of path */
	const char *shown_path;  /* path as the job wrote it, for messages */
	int sort_by, split_by, has_min;
	cJSON *job_sources;      /* sorted names of the job's sources, or NULL */
	cJSON *ld_spec;          /* the parsed "jsonld" object, or NULL */

	/* state */
	struct witem *items;
	size_t n, cap;
	int64_t gated;           /* items the gate handed over */
	int64_t filtered;        /* left out by sources / min_rating */
	int64_t limited;         /* left out by limit in consume() */
};

/* ---- widget_opts.c: init-time checks (KUDOS_EINVAL with a message) ---- */
int widget_opts_check(const struct kudos_host *host, struct kudos_instance *self,
                      struct widget_ctx *ctx);
void widget_opts_free(struct widget_ctx *ctx);

/* ---- widget_item.c: one gated item -> its JSON object ---------------- */
/* RETURN VALUE the object (transfer full), or NULL when out of memory. */
cJSON *widget_item_build(const struct kudos_host *host, struct kudos_instance *self,
                         const struct widget_ctx *ctx, const struct kudos_item *item,
                         const char *id);
/* The item's tags from its "tags" metadata (comma-separated, trimmed,
 * duplicates dropped).  RETURN VALUE 0, or -1 when out of memory. */
int widget_item_tags(const struct kudos_host *host, const struct kudos_item *item,
                     char ***tags, size_t *n);

/* ---- widget_url.c: links and local paths ----------------------------- */
/* An http(s) URL made safe to print as a URI (non-ASCII and unsafe bytes
 * percent-encoded), or NULL with *why set to a static reason.  RETURN
 * VALUE (transfer full). */
char *widget_url_clean(const char *url, const char **why);
/* Non-zero when `s` starts with a URI scheme ("x:"), whatever it is. */
int widget_has_scheme(const char *s);
/* `rel` made absolute against `base` and normalised ("." and ".."
 * segments folded).  (transfer full), or NULL when out of memory. */
char *widget_path_join(const char *base, const char *rel);
/* The path of `to` relative to folder `from` (both absolute, normalised),
 * '/'-separated, possibly climbing with "../".  (transfer full). */
char *widget_path_relative(const char *from, const char *to);

/* ---- widget_order.c -------------------------------------------------- */
uint64_t widget_random_key(int64_t seed, const char *id);
/* Sort ptrs[0..n) in the configured order. */
void widget_sort(struct witem **ptrs, size_t n, int sort_by);

/* ---- widget_jsonld.c ------------------------------------------------- */
/* The schema.org object for a file holding `items` (n of them), or NULL
 * when out of memory.  Items that lack what Google's review snippets
 * require are left out of "review"; *skipped counts them. */
cJSON *widget_jsonld_build(const cJSON *spec, struct witem *const *items, size_t n,
                           int64_t rated, double average, size_t *skipped);

/* ---- widget_split.c: split output ----------------------------------- */
struct part {
	char *key;            /* source name or tag (owned) */
	char *slug;           /* the key made a file-name part (owned) */
	char *file;           /* the part's file name, beside "path" (owned) */
	struct witem **items; /* in the file's order (owned array) */
	size_t n;
};

int widget_parts_make(const struct widget_ctx *ctx, struct witem **sorted, size_t n,
                      struct part **parts, size_t *np);
/* The part keyed `key`, or NULL; parts as widget_parts_make() left them. */
const struct part *widget_parts_find(const struct part *parts, size_t np, const char *key);
/* The main file's "parts" list (*index, cJSON_Delete it) and the cursor
 * text (*cursor, cJSON_free it) naming every part file with its key. */
int widget_parts_index(const struct widget_ctx *ctx, const struct part *parts, size_t np,
                       cJSON **index, char **cursor);
void widget_parts_free(struct part *parts, size_t n);

/* ---- widget_doc.c: the files ----------------------------------------- */
int widget_write_all(const struct kudos_host *host, struct kudos_instance *self,
                     struct widget_ctx *ctx);

#endif
