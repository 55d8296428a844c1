/*
 * The X/Twitter archive's data/tweets.js (and tweets-partN.js): after the
 * `window.YTD.tweets.partN = ` prefix (stripped by the caller), an array of
 * {"tweet": {...}} entries in the v1.1 shape, every number written as a
 * string.  A bare v1.1 tweet object per entry is accepted as well.
 *
 * Contract:
 *   - each entry becomes one social_post item, external id id_str (or a
 *     string id; a numeric id only up to 2^53); text full_text (else
 *     text), verbatim except X's &amp; &lt; &gt; escaping; created_at in
 *     X's "Sat Aug 12 16:10:37 +0000 2023" form;
 *   - the archive does not name its author: the job's archive_username and
 *     archive_name are used; without them the items carry no author and
 *     author_missing=true (a v1.1 tweet's own `user` object wins);
 *   - a retweet is not the owner's testimonial: a v1.1 retweeted_status is
 *     mapped to the original (its id, user, text), and an archive entry
 *     whose text starts "RT @name:" (the archive keeps no original) is
 *     skipped and counted;
 *   - in_reply_to is in_reply_to_status_id_str; favorite_count and
 *     retweet_count become likes and reposts; extended_entities.media (or
 *     entities.media) become media: photos by media_url_https, videos and
 *     GIFs by their best mp4 variant.
 */
#include "x_tweet.h"

#include <stdio.h>
#include <string.h>

static void add_media(struct kudos_js_item *b, const cJSON *t)
{
	const cJSON *list = kudos_js_arr(kudos_js_obj(t, "extended_entities"), "media"), *m;
	if (!list)
		list = kudos_js_arr(kudos_js_obj(t, "entities"), "media");
	cJSON_ArrayForEach(m, list)
	{
		const char *type = kudos_js_str(m, "type"), *alt = kudos_js_str(m, "ext_alt_text");
		const char *img = kudos_js_nonempty(m, "media_url_https");
		if (!img)
			img = kudos_js_nonempty(m, "media_url");
		if (!type)
			continue;
		const char *video =
		        strcmp(type, "photo") == 0
		                ? NULL
		                : x_best_variant(kudos_js_arr(kudos_js_obj(m, "video_info"), "variants"));
		if (video)
			kudos_js_media(b, strcmp(type, "animated_gif") == 0 ? "gifv" : "video", video, alt);
		else
			kudos_js_media(b, "image", img, alt);
	}
}

/* A v1.1 id member: `key`_str first, then `key` (string, or a number up
 * to 2^53).  RETURN VALUE an KUDOS_JS_ID_* status and *out. */
static int id_of(const cJSON *t, const char *key, char buf[KUDOS_JS_NUM_SIZE], const char **out)
{
	char k[64];
	snprintf(k, sizeof k, "%s_str", key);
	int st = kudos_js_id(cJSON_GetObjectItemCaseSensitive(t, k), buf, out);
	if (st == KUDOS_JS_ID_OK)
		return st;
	return kudos_js_id(cJSON_GetObjectItemCaseSensitive(t, key), buf, out);
}

static int tweet(struct x_run *r, const cJSON *t, const char *pos, const char *via)
{
	char idbuf[KUDOS_JS_NUM_SIZE], rbuf[KUDOS_JS_NUM_SIZE], cbuf[KUDOS_JS_NUM_SIZE], sub[96];
	const char *id = NULL, *reply = NULL;

	if (!cJSON_IsObject(t)) {
		kudos_js_warn(&r->f, "%s is not a tweet object; skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	int st = id_of(t, "id", idbuf, &id);
	if (st != KUDOS_JS_ID_OK) {
		kudos_js_warn(&r->f, "%s: %s; skipped", pos,
		        st == KUDOS_JS_ID_BIG ? "only a numeric id above 2^53, which has lost "
		                          "digits (no id_str)"
		                        : "no id_str");
		r->bad++;
		return KUDOS_OK;
	}
	const char *text = kudos_js_str(t, "full_text");
	if (!text)
		text = kudos_js_str(t, "text");

	const cJSON *orig = kudos_js_obj(t, "retweeted_status");
	if (orig && !via) {
		snprintf(sub, sizeof sub, "%.60s.retweeted_status", pos);
		return tweet(r, orig, sub, id);
	}
	if (orig || x_looks_like_rt(text)) {
		r->retweets++;
		return KUDOS_OK;
	}
	if (!text) {
		kudos_js_warn(&r->f, "%s (tweet %s): no full_text string; skipped", pos, id);
		r->bad++;
		return KUDOS_OK;
	}

	struct kudos_js_item b;
	if (!kudos_js_begin(&b, r->host, r->self, id)) {
		r->refused++;
		return KUDOS_OK;
	}
	kudos_js_set(&b, KUDOS_FIELD_KIND, "social_post", "kind");
	x_set_text(&b, text);

	const cJSON *user = kudos_js_obj(t, "user");
	const char *username = user ? kudos_js_nonempty(user, "screen_name") : r->cx->archive_username;
	const char *name = user ? kudos_js_str(user, "name") : r->cx->archive_name;
	x_set_author(&b, username, name,
	             user ? kudos_js_str(user, "profile_image_url_https") : NULL);
	const char *author_id = NULL;
	if (user && id_of(user, "id", cbuf, &author_id) == KUDOS_JS_ID_OK)
		kudos_js_meta(&b, "author_id", author_id);

	x_set_created(r, &b, kudos_js_str(t, "created_at"), pos);
	kudos_js_set(&b, KUDOS_FIELD_LANGUAGE, x_lang(kudos_js_str(t, "lang")), "lang");
	if (id_of(t, "in_reply_to_status_id", rbuf, &reply) == KUDOS_JS_ID_OK)
		kudos_js_set(&b, KUDOS_FIELD_IN_REPLY_TO, reply, "in_reply_to_status_id");
	if (id_of(t, "in_reply_to_user_id", rbuf, &reply) == KUDOS_JS_ID_OK)
		kudos_js_meta(&b, "in_reply_to_user_id", reply);
	if (id_of(t, "quoted_status_id", rbuf, &reply) == KUDOS_JS_ID_OK)
		kudos_js_meta(&b, "quoted_tweet_id", reply);
	kudos_js_meta(&b, "via_retweet", via);
	if (kudos_js_true(t, "possibly_sensitive"))
		kudos_js_meta(&b, "sensitive", "true");
	kudos_js_meta(&b, "likes", kudos_js_count(cJSON_GetObjectItemCaseSensitive(t, "favorite_count"), cbuf));
	kudos_js_meta(&b, "reposts", kudos_js_count(cJSON_GetObjectItemCaseSensitive(t, "retweet_count"), cbuf));
	add_media(&b, t);
	x_set_permalink(&b, username, id);
	return x_emit(r, &b, pos);
}

int x_archive_read(struct x_run *r, const cJSON *root)
{
	const cJSON *e;
	char pos[48];
	int i = 0, rc;

	if (cJSON_IsObject(root))
		return tweet(r, kudos_js_obj(root, "tweet") ? kudos_js_obj(root, "tweet") : root,
		             kudos_js_obj(root, "tweet") ? "tweet" : "(the tweet)", NULL);
	cJSON_ArrayForEach(e, root)
	{
		if (r->host->should_stop(r->self))
			return KUDOS_ESTOP;
		const cJSON *t = kudos_js_obj(e, "tweet");
		snprintf(pos, sizeof pos, t ? "[%d].tweet" : "[%d]", i++);
		if ((rc = tweet(r, t ? t : e, pos, NULL)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}
