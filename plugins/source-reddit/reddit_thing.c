/*
 * Reddit posts (t3) and comments (t1) as social_post items.
 *
 * Contract:
 *   - external id = the thing's base-36 id ("2gmzqe", "cklfmye"), from
 *     `id` or from `name` without its "t1_"/"t3_" prefix;
 *   - text: `body` / `selftext` (markdown, kept as written) with the
 *     &amp; &lt; &gt; escaping of non-raw_json responses undone; the
 *     `*_html` form only when the plain one is missing (unescaped once if
 *     it arrives escaped, then html_to_text);  a post's title is its
 *     title, or its text when the post has no self text (a link post);
 *   - a crosspost (crosspost_parent) shares another's post, so it is not
 *     the crossposter's testimonial: it is mapped to the original when
 *     crosspost_parent_list carries it (the original's id, author, words;
 *     meta via_crosspost = the crosspost's id), and skipped otherwise;
 *   - a body or selftext of "[removed]" / "[deleted]" (or a post with
 *     removed_by_category) is skipped with a note: there are no words
 *     left to quote;
 *   - author "[deleted]" (or none): no author fields, author_missing=true;
 *     otherwise name and handle "u/<name>", https://www.reddit.com/user/<name>;
 *   - created_utc (epoch float) rounded down; a numeric `edited` is the
 *     update time; parent_id "t1_x"/"t3_x" -> in_reply_to "x";
 *   - permalink https://www.reddit.com + permalink; for older comments
 *     without one, built from the post of the same response, else from
 *     subreddit and link_id;
 *   - meta: likes (Reddit's score), replies (a post's num_comments),
 *     subreddit, link_id, url (a link post's target), sensitive (over_18),
 *     author_missing; an image post's url (post_hint "image") and a
 *     Reddit-hosted video's fallback_url are media.
 */
#include "reddit_thing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REDDIT "https://www.reddit.com"

/* "t1_abc" -> "abc"; other strings unchanged. */
static const char *bare(const char *s)
{
	if (s && s[0] == 't' && s[1] >= '0' && s[1] <= '9' && s[2] == '_')
		return s + 3;
	return s;
}

static int gone(const char *s)
{
	return s && (strcmp(s, "[removed]") == 0 || strcmp(s, "[deleted]") == 0);
}

/* The thing's id.  RETURN VALUE it, or NULL after a warning. */
static const char *id_of(struct rd_run *r, const cJSON *d, const char *pos,
                         char buf[KUDOS_JS_NUM_SIZE])
{
	const char *id = NULL;
	int st = kudos_js_id(cJSON_GetObjectItemCaseSensitive(d, "id"), buf, &id);
	if (st == KUDOS_JS_ID_MISSING &&
	    kudos_js_id(cJSON_GetObjectItemCaseSensitive(d, "name"), buf, &id) == KUDOS_JS_ID_OK &&
	    bare(id) != id && *bare(id))
		return bare(id);
	if (st == KUDOS_JS_ID_OK)
		return id;
	kudos_js_warn(&r->f, "%s: no id string; skipped", pos);
	r->bad++;
	return NULL;
}

/* Set the text from `plain`, else from `html`. */
static void set_text(struct rd_run *r, struct kudos_js_item *b, const char *plain,
                     const char *html)
{
	char *text = NULL;
	if (b->rc != KUDOS_OK || (!plain && !html))
		return;
	if (plain) {
		text = kudos_js_unescape3(plain);
		kudos_js_set(b, KUDOS_FIELD_TEXT, text, "text");
		free(text);
	} else {
		/* Without raw_json=1 the HTML itself arrives escaped. */
		char *raw = !strchr(html, '<') && strstr(html, "&lt;") ? kudos_js_unescape3(html) : NULL;
		const char *src = raw ? raw : html;
		text = r->host->html_to_text(src, strlen(src));
		free(raw);
		kudos_js_set(b, KUDOS_FIELD_TEXT, text, "text");
		r->host->free(text);
	}
	if (!text)
		b->rc = KUDOS_ENOMEM;
}

static void set_author(struct kudos_js_item *b, const char *author)
{
	char buf[512];
	/* Reddit usernames are at most 20 characters; a far longer value is
	 * not one, and is not shortened into one. */
	if (!author || !*author || gone(author) || strlen(author) > 100) {
		kudos_js_meta(b, "author_missing", "true");
		return;
	}
	snprintf(buf, sizeof buf, "u/%s", author);
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_HANDLE, buf, "author");
	kudos_js_set(b, KUDOS_FIELD_AUTHOR_NAME, author, "author");
	snprintf(buf, sizeof buf, REDDIT "/user/");
	if (kudos_js_url_part(buf, sizeof buf, author))
		kudos_js_set(b, KUDOS_FIELD_AUTHOR_URL, buf, "author's profile URL");
}

/* Times, score, subreddit: what posts and comments share. */
static void set_common(struct kudos_js_item *b, const cJSON *d)
{
	char num[KUDOS_JS_NUM_SIZE];
	int64_t t;
	kudos_js_set(b, KUDOS_FIELD_KIND, "social_post", "kind");
	set_author(b, kudos_js_str(d, "author"));
	if (kudos_js_epoch(cJSON_GetObjectItemCaseSensitive(d, "created_utc"), &t))
		kudos_js_time(b, KUDOS_TIME_CREATED, t);
	if (kudos_js_epoch(cJSON_GetObjectItemCaseSensitive(d, "edited"), &t))
		kudos_js_time(b, KUDOS_TIME_UPDATED, t);
	const cJSON *score = cJSON_GetObjectItemCaseSensitive(d, "score");
	/* A score may be negative: keep it as Reddit says. */
	if (cJSON_IsNumber(score) && score->valuedouble < 0 && score->valuedouble > -1e15) {
		snprintf(num, sizeof num, "%.0f", score->valuedouble);
		kudos_js_meta(b, "likes", num);
	} else {
		kudos_js_meta(b, "likes", kudos_js_count(score, num));
	}
	kudos_js_meta(b, "subreddit", kudos_js_str(d, "subreddit"));
	if (kudos_js_true(d, "over_18"))
		kudos_js_meta(b, "sensitive", "true");
}

/* "https://www.reddit.com" + a permalink path (or the URL as given). */
static void set_permalink(struct kudos_js_item *b, const char *path)
{
	char buf[2048];
	int n;
	if (!path || !*path)
		return;
	if (path[0] == '/')
		n = snprintf(buf, sizeof buf, REDDIT "%s", path);
	else if (strncmp(path, "https://", 8) == 0)
		n = snprintf(buf, sizeof buf, "%s", path);
	else
		return;
	/* Never a shortened link: one that does not fit is left out. */
	if (n > 0 && (size_t)n < sizeof buf)
		kudos_js_set(b, KUDOS_FIELD_PERMALINK, buf, "permalink");
}

/* Set meta `key` (or media) to a URL with &amp; escaping undone. */
static void url_meta(struct kudos_js_item *b, const char *key, const char *media,
                     const char *url)
{
	if (!url || !*url || b->rc != KUDOS_OK)
		return;
	char *u = kudos_js_unescape3(url);
	if (!u) {
		b->rc = KUDOS_ENOMEM;
		return;
	}
	if (media)
		kudos_js_media(b, media, u, NULL);
	else
		kudos_js_meta(b, key, u);
	free(u);
}

/* A post; `via` is the crosspost's id when `d` is the original it was
 * mapped to. */
static int post(struct rd_run *r, const cJSON *d, const char *pos, const char *via)
{
	char buf[KUDOS_JS_NUM_SIZE], sub[160];
	struct kudos_js_item b;
	const char *id = id_of(r, d, pos, buf);
	if (!id)
		return KUDOS_OK;
	if (!via)
		r->post = d;
	/* A crosspost shares someone else's post: the original's words, by
	 * the original's author, or nothing. */
	const cJSON *orig = cJSON_GetArrayItem(kudos_js_arr(d, "crosspost_parent_list"), 0);
	if (kudos_js_nonempty(d, "crosspost_parent") || orig) {
		if (via || !cJSON_IsObject(orig)) {
			r->crossposts++;
			return KUDOS_OK;
		}
		snprintf(sub, sizeof sub, "%.100s.crosspost_parent_list[0]", pos);
		return post(r, orig, sub, id);
	}
	const char *self_text = kudos_js_str(d, "selftext"), *title = kudos_js_str(d, "title");
	const char *html = kudos_js_str(d, "selftext_html");
	if (gone(self_text) || kudos_js_nonempty(d, "removed_by_category")) {
		r->host->log(r->self, KUDOS_LOG_INFO, "%s: %s (post %s) was removed or "
		                                      "deleted; skipped",
		             r->f.name, pos, id);
		r->removed++;
		return KUDOS_OK;
	}
	int has_body = (self_text && *self_text) || (!self_text && html && *html);
	if (!has_body && !title) {
		kudos_js_warn(&r->f, "%s (post %s): neither selftext nor title; skipped", pos, id);
		r->bad++;
		return KUDOS_OK;
	}
	if (!kudos_js_begin(&b, r->host, r->self, id)) {
		r->refused++;
		return KUDOS_OK;
	}
	set_common(&b, d);
	if (has_body) {
		set_text(r, &b, self_text, html);
		if (title && b.rc == KUDOS_OK) {
			char *t = kudos_js_unescape3(title);
			if (!t)
				b.rc = KUDOS_ENOMEM;
			kudos_js_set(&b, KUDOS_FIELD_TITLE, t, "title");
			free(t);
		}
	} else {
		set_text(r, &b, title, NULL);
	}
	set_permalink(&b, kudos_js_str(d, "permalink"));
	kudos_js_meta(&b, "replies", kudos_js_count(cJSON_GetObjectItemCaseSensitive(d, "num_comments"), buf));
	if (!kudos_js_true(d, "is_self"))
		url_meta(&b, "url", NULL, kudos_js_str(d, "url"));
	const char *hint = kudos_js_str(d, "post_hint");
	if (hint && strcmp(hint, "image") == 0)
		url_meta(&b, NULL, "image", kudos_js_str(d, "url"));
	url_meta(&b, NULL, "video",
	         kudos_js_str(kudos_js_obj(kudos_js_obj(d, "media"), "reddit_video"), "fallback_url"));
	kudos_js_meta(&b, "via_crosspost", via);
	int rc = kudos_js_finish(&b, &r->f, pos);
	if (rc < 0)
		return rc;
	if (rc == 1)
		r->items++;
	else
		r->refused++;
	return KUDOS_OK;
}

int rd_post(struct rd_run *r, const cJSON *d, const char *pos)
{
	return post(r, d, pos, NULL);
}

/* A comment's permalink when the payload has none. */
static void comment_link(struct rd_run *r, struct kudos_js_item *b, const cJSON *d,
                         const char *id)
{
	char buf[1024];
	const char *link = kudos_js_str(d, "link_id"), *sub = kudos_js_nonempty(d, "subreddit");
	const char *post_name = kudos_js_str(r->post, "name");
	const char *post_link = kudos_js_str(r->post, "permalink");
	if (link && post_name && post_link && post_link[0] == '/' &&
	    strcmp(link, post_name) == 0) {
		size_t n = strcspn(post_link, "?#");
		if (n > sizeof buf - 200)
			return;
		snprintf(buf, sizeof buf, REDDIT "%.*s%s", (int)n, post_link,
		         n && post_link[n - 1] == '/' ? "" : "/");
	} else if (link && sub && *bare(link)) {
		snprintf(buf, sizeof buf, REDDIT "/r/");
		if (!kudos_js_url_part(buf, sizeof buf, sub) || strlen(buf) + 11 >= sizeof buf)
			return;
		strcat(buf, "/comments/");
		if (!kudos_js_url_part(buf, sizeof buf, bare(link)) || strlen(buf) + 10 >= sizeof buf)
			return;
		strcat(buf, "/comment/");
	} else {
		return;
	}
	if (kudos_js_url_part(buf, sizeof buf, id) && strlen(buf) + 2 < sizeof buf) {
		strcat(buf, "/");
		kudos_js_set(b, KUDOS_FIELD_PERMALINK, buf, "permalink");
	}
}

int rd_comment(struct rd_run *r, const cJSON *d, const char *pos)
{
	char buf[KUDOS_JS_NUM_SIZE];
	struct kudos_js_item b;
	const char *id = id_of(r, d, pos, buf);
	if (!id)
		return KUDOS_OK;
	const char *body = kudos_js_str(d, "body"), *html = kudos_js_str(d, "body_html");
	if (gone(body)) {
		r->host->log(r->self, KUDOS_LOG_INFO,
		             "%s: %s (comment %s) is %s; skipped", r->f.name, pos, id,
		             strcmp(body, "[removed]") == 0 ? "removed by a moderator"
		                                             : "deleted by its author");
		r->removed++;
		return KUDOS_OK;
	}
	if (!body && !html) {
		kudos_js_warn(&r->f, "%s (comment %s): no body string; skipped", pos, id);
		r->bad++;
		return KUDOS_OK;
	}
	if (!kudos_js_begin(&b, r->host, r->self, id)) {
		r->refused++;
		return KUDOS_OK;
	}
	set_common(&b, d);
	set_text(r, &b, body, html);
	kudos_js_set(&b, KUDOS_FIELD_IN_REPLY_TO, bare(kudos_js_nonempty(d, "parent_id")), "parent_id");
	kudos_js_meta(&b, "link_id", bare(kudos_js_str(d, "link_id")));
	const char *link = kudos_js_str(d, "permalink");
	if (link && *link)
		set_permalink(&b, link);
	else
		comment_link(r, &b, d, id);
	int rc = kudos_js_finish(&b, &r->f, pos);
	if (rc < 0)
		return rc;
	if (rc == 1)
		r->items++;
	else
		r->refused++;
	return KUDOS_OK;
}
