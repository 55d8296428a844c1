/*
 * YouTube Data API v3 comment resources as video_comment items: one
 * `youtube#comment` (a thread's topLevelComment, one of its
 * replies.comments[], or an item of comments.list) becomes one item.
 * The walk over list responses and threads is source_youtube.c's.
 */
#ifndef KUDOS_SOURCE_YOUTUBE_COMMENT_H
#define KUDOS_SOURCE_YOUTUBE_COMMENT_H

#include <kudos/plugin.h>
#include <cjson/cJSON.h>

#include <kudos/json_source.h>

/* The job's keys, filled by the host. */
struct yt_ctx {
	const char *path;
};

/* One file being read. */
struct yt_run {
	const struct kudos_host *host;
	struct kudos_instance *self;
	struct kudos_js_file f;
	long items, refused, bad, api_errors;
};

/* What a comment inherits from its thread (each may be NULL). */
struct yt_thread {
	const char *video_id;    /* snippet.videoId of the thread */
	const char *parent_id;   /* the top-level comment's id, for replies */
	const cJSON *reply_count; /* snippet.totalReplyCount, for the top one */
};

/* Build and emit the item of `comment` (a youtube#comment resource) at
 * `pos`.  RETURN VALUE KUDOS_OK (emitted, or skipped with a warning), or
 * a fatal KUDOS_E* after set_error(). */
int yt_comment(struct yt_run *r, const cJSON *comment, const struct yt_thread *th,
               const char *pos);

#endif
