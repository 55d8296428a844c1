/*
 * One YouTube comment resource as a video_comment item.
 *
 * Contract:
 *   - external id = the comment's id ("UgyZ1jq...", a reply's
 *     "<parent>.<reply>"); a comment without an id string or snippet is
 *     skipped with a warning naming its position;
 *   - text: snippet.textOriginal, verbatim; only when it is missing,
 *     snippet.textDisplay (HTML) through html_to_text;
 *   - author: authorDisplayName as the name; the handle is the display
 *     name when it is an "@handle" (newer API) or the "/@handle" part of
 *     authorChannelUrl; authorChannelUrl as the profile URL,
 *     authorProfileImageUrl as the avatar; with no display name the item
 *     carries no author fields and author_missing=true;
 *   - publishedAt, and updatedAt when it differs (an edit), in UTC;
 *   - in_reply_to = snippet.parentId (else the thread's top-level comment
 *     for a reply inside a thread);
 *   - permalink https://www.youtube.com/watch?v=<videoId>&lc=<commentId>
 *     when the video is known (comments.list replies do not carry it);
 *   - meta: likes (likeCount), replies (the thread's totalReplyCount, on
 *     the top-level comment), video_id, channel_id (the author's),
 *     moderation_status (when not "published"), author_missing.
 */
#include "youtube_comment.h"

#include <stdio.h>
#include <string.h>

static void set_text(struct yt_run *r, struct kudos_js_item *b, const cJSON *sn)
{
	const char *orig = kudos_js_str(sn, "textOriginal"), *html = kudos_js_str(sn, "textDisplay");
	if (orig) {
		kudos_js_set(b, KUDOS_FIELD_TEXT, orig, "textOriginal");
		return;
	}
	if (b->rc != KUDOS_OK || !html)
		return;
	char *text = r->host->html_to_text(html, strlen(html));
	if (!text) {
		b->rc = KUDOS_ENOMEM;
		b->what = "textDisplay";
		return;
	}
	kudos_js_set(b, KUDOS_FIELD_TEXT, text, "textDisplay");
	r->host->free(text);
}

static void set_author(struct kudos_js_item *b, const cJSON *sn)
{
	const char *name = kudos_js_nonempty(sn, "authorDisplayName");
	const char *url = kudos_js_nonempty(sn, "authorChannelUrl");
	const char *at = url ? strstr(url, "/@") : NULL;
	char handle[256];

	if (!name) {
		kudos_js_meta(b, "author_missing", "true");
		return;
	}
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_NAME, name, "authorDisplayName");
	if (name[0] == '@' && name[1]) {
		kudos_js_set(b, KUDOS_FIELD_AUTHOR_HANDLE, name, "authorDisplayName");
	} else if (at && at[2]) {
		size_t n = strcspn(at + 1, "/?#");
		if (n > 1 && n < sizeof handle) {
			memcpy(handle, at + 1, n);
			handle[n] = '\0';
			kudos_js_set(b, KUDOS_FIELD_AUTHOR_HANDLE, handle, "authorChannelUrl");
		}
	}
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_URL, url, "authorChannelUrl");
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_AVATAR, kudos_js_nonempty(sn, "authorProfileImageUrl"),
	       "authorProfileImageUrl");
	kudos_js_meta(b, "channel_id", kudos_js_str(kudos_js_obj(sn, "authorChannelId"), "value"));
}

/* publishedAt, and updatedAt when it differs (the comment was edited). */
static void set_time(struct yt_run *r, struct kudos_js_item *b, const cJSON *sn,
                     const char *key, int which, const char *pos)
{
	const char *s = kudos_js_str(sn, key), *published = kudos_js_str(sn, "publishedAt");
	int64_t t;
	if (!s || (which == KUDOS_TIME_UPDATED && published && strcmp(s, published) == 0))
		return;
	if (r->host->time_parse(s, &t) == KUDOS_OK)
		kudos_js_time(b, which, t);
	else
		kudos_js_warn(&r->f, "%s: %s \"%.40s\" is not an RFC 3339 time; left out", pos,
		        key, s);
}

int yt_comment(struct yt_run *r, const cJSON *c, const struct yt_thread *th,
               const char *pos)
{
	char idbuf[KUDOS_JS_NUM_SIZE], num[KUDOS_JS_NUM_SIZE], link[512];
	const char *id = NULL;
	const cJSON *sn = kudos_js_obj(c, "snippet");
	struct kudos_js_item b;

	if (!cJSON_IsObject(c)) {
		kudos_js_warn(&r->f, "%s is not a comment object; skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	if (kudos_js_id(cJSON_GetObjectItemCaseSensitive(c, "id"), idbuf, &id) != KUDOS_JS_ID_OK ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "id"))) {
		kudos_js_warn(&r->f, "%s: no id string; skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	if (!sn || (!kudos_js_str(sn, "textOriginal") && !kudos_js_str(sn, "textDisplay"))) {
		kudos_js_warn(&r->f, "%s (comment %s): no snippet with textOriginal or "
		               "textDisplay; skipped",
		        pos, id);
		r->bad++;
		return KUDOS_OK;
	}
	if (!kudos_js_begin(&b, r->host, r->self, id)) {
		r->refused++;
		return KUDOS_OK;
	}
	kudos_js_set(&b, KUDOS_FIELD_KIND, "video_comment", "kind");
	set_text(r, &b, sn);
	set_author(&b, sn);
	set_time(r, &b, sn, "publishedAt", KUDOS_TIME_CREATED, pos);
	set_time(r, &b, sn, "updatedAt", KUDOS_TIME_UPDATED, pos);

	const char *parent = kudos_js_nonempty(sn, "parentId");
	if (!parent && th && th->parent_id && strcmp(th->parent_id, id) != 0)
		parent = th->parent_id;
	kudos_js_set(&b, KUDOS_FIELD_IN_REPLY_TO, parent, "parentId");

	const char *video = kudos_js_nonempty(sn, "videoId");
	if (!video && th)
		video = th->video_id;
	kudos_js_meta(&b, "video_id", video);
	snprintf(link, sizeof link, "https://www.youtube.com/watch?v=");
	if (video && kudos_js_url_part(link, sizeof link, video) &&
	    strlen(link) + 5 < sizeof link) {
		strcat(link, "&lc=");
		if (kudos_js_url_part(link, sizeof link, id))
			kudos_js_set(&b, KUDOS_FIELD_PERMALINK, link, "permalink");
	}

	kudos_js_meta(&b, "likes", kudos_js_count(cJSON_GetObjectItemCaseSensitive(sn, "likeCount"), num));
	if (th && th->reply_count && !parent)
		kudos_js_meta(&b, "replies", kudos_js_count(th->reply_count, num));
	const char *mod = kudos_js_str(sn, "moderationStatus");
	if (mod && strcmp(mod, "published") != 0)
		kudos_js_meta(&b, "moderation_status", mod);

	int rc = kudos_js_finish(&b, &r->f, pos);
	if (rc < 0)
		return rc;
	if (rc == 1)
		r->items++;
	else
		r->refused++;
	return KUDOS_OK;
}
