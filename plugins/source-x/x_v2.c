/*
 * X API v2 responses (search/recent, search/all, tweet lookup, user
 * timelines): `data` (an array, or one object for a single lookup) joined
 * with `includes.users` on author_id, `includes.media` on
 * attachments.media_keys and `includes.tweets` on referenced_tweets.
 *
 * Contract:
 *   - each data[] entry becomes one social_post item whose external id is
 *     the tweet's id string; an entry without an id or text, or with the
 *     wrong types, is skipped with a warning naming data[i];
 *   - text: note_tweet.text (the whole long post) when present, else text;
 *     verbatim (t.co links kept) except X's &amp; &lt; &gt; escaping;
 *   - a retweet (referenced_tweets type "retweeted", or, when the payload
 *     has no referenced_tweets, text starting "RT @name:") is not the
 *     retweeter's testimonial: it is mapped to the original tweet when the
 *     response carries it in includes.tweets (the original's id, author,
 *     full text and media; meta via_retweet = the retweet's id), and
 *     skipped otherwise (counted in the file's summary);
 *   - a reply's in_reply_to is the replied_to tweet's id; quote tweets are
 *     the quoter's own words and are kept (meta quoted_tweet_id);
 *   - an author_id missing from includes.users (or no author_id at all:
 *     the request had no expansions) gives no author fields and
 *     author_missing=true;
 *   - errors[] entries (partial success) are warned about one by one and
 *     the data is still collected.
 */
#include "x_tweet.h"

#include <stdio.h>
#include <string.h>

/* The element of `arr` whose string member `key` equals `value`. */
static const cJSON *find_by(const cJSON *arr, const char *key, const char *value)
{
	const cJSON *e;
	if (!value)
		return NULL;
	cJSON_ArrayForEach(e, arr)
	{
		const char *v = kudos_js_str(e, key);
		if (v && strcmp(v, value) == 0)
			return e;
	}
	return NULL;
}

/* The id of the first referenced_tweets entry of type `type`, or NULL. */
static const char *ref_of(const cJSON *tweet, const char *type)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, kudos_js_arr(tweet, "referenced_tweets"))
	{
		const char *t = kudos_js_str(e, "type");
		if (t && strcmp(t, type) == 0)
			return kudos_js_nonempty(e, "id");
	}
	return NULL;
}

static void add_media(struct kudos_js_item *b, const cJSON *includes, const cJSON *tweet)
{
	const cJSON *key, *all = kudos_js_arr(includes, "media");
	cJSON_ArrayForEach(key, kudos_js_arr(kudos_js_obj(tweet, "attachments"), "media_keys"))
	{
		const cJSON *m = find_by(all, "media_key", cJSON_GetStringValue(key));
		const char *type = kudos_js_str(m, "type"), *alt = kudos_js_str(m, "alt_text");
		if (!type)
			continue;
		if (strcmp(type, "photo") == 0) {
			kudos_js_media(b, "image", kudos_js_nonempty(m, "url"), alt);
			continue;
		}
		/* video, animated_gif: the best mp4 when the request asked for
		 * variants, else the preview frame as an image. */
		const char *url = x_best_variant(cJSON_GetObjectItemCaseSensitive(m, "variants"));
		if (url)
			kudos_js_media(b, strcmp(type, "animated_gif") == 0 ? "gifv" : "video", url, alt);
		else
			kudos_js_media(b, "image", kudos_js_nonempty(m, "preview_image_url"), alt);
	}
}

static void add_counts(struct kudos_js_item *b, const cJSON *tweet)
{
	static const char *const map[][2] = {{"like_count", "likes"},
	                                     {"reply_count", "replies"},
	                                     {"retweet_count", "reposts"},
	                                     {"quote_count", "quotes"}};
	const cJSON *pm = kudos_js_obj(tweet, "public_metrics");
	char buf[KUDOS_JS_NUM_SIZE];
	for (size_t i = 0; pm && i < sizeof map / sizeof map[0]; i++)
		kudos_js_meta(b, map[i][1], kudos_js_count(cJSON_GetObjectItemCaseSensitive(pm, map[i][0]), buf));
}

/* One tweet object at `pos`; `via` is the retweet's id when this is the
 * original a retweet was mapped to, else NULL. */
static int tweet(struct x_run *r, const cJSON *root, const cJSON *t, const char *pos,
                 const char *via)
{
	const struct kudos_host *h = r->host;
	const cJSON *includes = kudos_js_obj(root, "includes");
	char idbuf[KUDOS_JS_NUM_SIZE], sub[96];
	const char *id = NULL;

	if (!cJSON_IsObject(t)) {
		kudos_js_warn(&r->f, "%s is not a tweet object; skipped", pos);
		r->bad++;
		return KUDOS_OK;
	}
	int st = kudos_js_id(cJSON_GetObjectItemCaseSensitive(t, "id"), idbuf, &id);
	if (st != KUDOS_JS_ID_OK) {
		kudos_js_warn(&r->f, "%s: %s; skipped", pos,
		        st == KUDOS_JS_ID_BIG ? "the id is a number above 2^53 and has lost "
		                          "digits (save the response with string ids)"
		                        : "no id string");
		r->bad++;
		return KUDOS_OK;
	}

	const char *rt = ref_of(t, "retweeted");
	if (rt || (!cJSON_GetObjectItemCaseSensitive(t, "referenced_tweets") &&
	           x_looks_like_rt(kudos_js_str(t, "text")))) {
		const cJSON *orig = rt && !via ? find_by(kudos_js_arr(includes, "tweets"), "id", rt) : NULL;
		if (!orig) {
			r->retweets++;
			return KUDOS_OK;
		}
		int k = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, kudos_js_arr(includes, "tweets"))
		{
			if (e == orig)
				break;
			k++;
		}
		snprintf(sub, sizeof sub, "includes.tweets[%d] (retweeted in %.40s)", k, pos);
		return tweet(r, root, orig, sub, id);
	}

	const char *text = kudos_js_str(kudos_js_obj(t, "note_tweet"), "text");
	if (!text || !*text)
		text = kudos_js_str(t, "text");
	if (!text) {
		kudos_js_warn(&r->f, "%s (tweet %s): no text string; skipped", pos, id);
		r->bad++;
		return KUDOS_OK;
	}

	struct kudos_js_item b;
	if (!kudos_js_begin(&b, h, r->self, id)) {
		r->refused++;
		return KUDOS_OK;
	}
	kudos_js_set(&b, KUDOS_FIELD_KIND, "social_post", "kind");
	x_set_text(&b, text);

	const char *author_id = kudos_js_nonempty(t, "author_id");
	const cJSON *user = find_by(kudos_js_arr(includes, "users"), "id", author_id);
	const char *username = kudos_js_nonempty(user, "username");
	x_set_author(&b, username, kudos_js_str(user, "name"), kudos_js_str(user, "profile_image_url"));
	kudos_js_meta(&b, "author_id", author_id);

	x_set_created(r, &b, kudos_js_str(t, "created_at"), pos);
	kudos_js_set(&b, KUDOS_FIELD_LANGUAGE, x_lang(kudos_js_str(t, "lang")), "lang");
	kudos_js_set(&b, KUDOS_FIELD_IN_REPLY_TO, ref_of(t, "replied_to"), "replied_to id");
	kudos_js_meta(&b, "in_reply_to_user_id", kudos_js_str(t, "in_reply_to_user_id"));
	kudos_js_meta(&b, "quoted_tweet_id", ref_of(t, "quoted"));
	kudos_js_meta(&b, "conversation_id", kudos_js_str(t, "conversation_id"));
	kudos_js_meta(&b, "via_retweet", via);
	if (kudos_js_true(t, "possibly_sensitive"))
		kudos_js_meta(&b, "sensitive", "true");
	add_counts(&b, t);
	add_media(&b, includes, t);
	x_set_permalink(&b, username, id);
	return x_emit(r, &b, pos);
}

static void warn_errors(struct x_run *r, const cJSON *errors)
{
	const cJSON *e;
	int k = 0;
	cJSON_ArrayForEach(e, errors)
	{
		const char *title = kudos_js_str(e, "title"), *detail = kudos_js_str(e, "detail");
		if (!detail)
			detail = kudos_js_str(e, "message");
		kudos_js_warn(&r->f, "errors[%d]: the API reported %s%s%s; that part of the "
		               "request is missing from this page",
		        k, title ? title : "an error", detail ? ": " : "", detail ? detail : "");
		r->api_errors++;
		k++;
	}
}

int x_v2_read(struct x_run *r, const cJSON *root)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *t;
	char pos[32];
	int i = 0, rc = KUDOS_OK;

	warn_errors(r, kudos_js_arr(root, "errors"));
	if (!data || cJSON_IsNull(data))
		return KUDOS_OK;
	if (cJSON_IsObject(data))
		return tweet(r, root, data, "data", NULL);
	if (!cJSON_IsArray(data)) {
		r->host->set_error(r->self,
		                   "%s: \"data\" is neither a list of tweets nor a "
		                   "tweet; save the X API v2 response unchanged",
		                   r->f.path);
		return KUDOS_EINVAL;
	}
	cJSON_ArrayForEach(t, data)
	{
		if (r->host->should_stop(r->self))
			return KUDOS_ESTOP;
		snprintf(pos, sizeof pos, "data[%d]", i++);
		if ((rc = tweet(r, root, t, pos, NULL)) != KUDOS_OK)
			return rc;
	}
	return KUDOS_OK;
}
