/*
 * What the two X formats (API v2 responses and the archive's tweets.js)
 * share: the plugin's context, the state of one file being read, and the
 * small mappings both need (language codes, permalinks, video variants,
 * the text with X's &amp;/&lt;/&gt; escaping undone, retweet detection).
 */
#ifndef KUDOS_SOURCE_X_TWEET_H
#define KUDOS_SOURCE_X_TWEET_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>

/* The job's keys, filled by the host. */
struct x_ctx {
	const char *path;
	const char *archive_username; /* the archive owner's @username */
	const char *archive_name;     /* the archive owner's display name */
};

/* One file being read. */
struct x_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	const struct x_ctx *cx;
	struct kudos_js_file f;
	long items, refused, bad, retweets, api_errors;
};

/* X's language code as a BCP 47 tag, or NULL for its pseudo-codes ("und",
 * "zxx", "qme", "qht", ... : no detectable language). */
const char *x_lang(const char *lang);

/* "https://x.com/<username>/status/<id>", or ".../i/web/status/<id>"
 * when the username is unknown (NULL).  RETURN VALUE 1, 0 if too long. */
int x_permalink(char *buf, size_t cap, const char *username, const char *id);
/* "https://x.com/<username>".  RETURN VALUE 1, 0 if too long. */
int x_profile(char *buf, size_t cap, const char *username);

/* The URL of the mp4 variant with the highest bit rate in `variants` (v2:
 * bit_rate, archive: bitrate, either a number or a string), or NULL. */
const char *x_best_variant(const cJSON *variants);

/* 1 if `text` starts like a retweet ("RT @name:"). */
int x_looks_like_rt(const char *text);

/* Set the item's text: `raw` with X's escaping of &, < and > undone. */
void x_set_text(struct kudos_js_item *b, const char *raw);

/* Set the author from a username (with or without '@'), a display name
 * and an avatar URL (each may be NULL); with no username the item is
 * flagged author_missing and no author field is set. */
void x_set_author(struct kudos_js_item *b, const char *username, const char *name,
                  const char *avatar);

/* Set the permalink for `id` by `username` (may be NULL). */
void x_set_permalink(struct kudos_js_item *b, const char *username, const char *id);

/* A created_at time in any form X uses; a value that does not parse is
 * warned about (naming `pos`) and left out. */
void x_set_created(struct x_run *r, struct kudos_js_item *b, const char *s,
                   const char *pos);

/* Emit through kudos_js_finish() and count.  RETURN VALUE KUDOS_OK or a fatal
 * KUDOS_E*. */
int x_emit(struct x_run *r, struct kudos_js_item *b, const char *pos);

/* Readers of the two formats.  RETURN VALUE KUDOS_OK (entries skipped
 * with warnings), or a KUDOS_E* after set_error(). */
int x_v2_read(struct x_run *r, const cJSON *root);
int x_archive_read(struct x_run *r, const cJSON *root);

#endif
