/*
 * One Mastodon Status entity -> one kudos item (see mastodon.h).
 *
 * Contract: a status without an id, without `content`, or whose content
 * has no visible text (a media-only post) is skipped with a warning that
 * names the file and its position; so is one whose id is a number too
 * big to be exact (above 2^53: Mastodon sends ids as strings, so such a
 * page was rewritten by some tool); a field the host refuses (not UTF-8)
 * is warned about and left unset; a boost (`reblog` not null) becomes the
 * item of the boosted status, written by its own author, with the
 * booster in the metadata.  Only store failures and lack of memory fail
 * the run.
 */
#include "mastodon.h"

#include <stdio.h>
#include <string.h>

/* Set a text field; a refusal (invalid UTF-8) is a warning. */
static void set(struct mst_run *r, struct kudos_item *item, int field,
                const char *value, const char *what, const char *where)
{
	if (value && r->host->item_set(item, field, value) != KUDOS_OK)
		kudos_js_warn(&r->f, "%s: %s was refused (not valid UTF-8?); left unset",
		              where, what);
}

static void meta(struct mst_run *r, struct kudos_item *item, const char *key,
                 const char *value, const char *where)
{
	if (value && r->host->item_set_meta(item, key, value) != KUDOS_OK)
		kudos_js_warn(&r->f, "%s: metadata %s was refused; left unset", where, key);
}

/* The host[:port] part of an http(s) URL, copied into buf.  RETURN VALUE
 * buf, or NULL when url is not an http(s) URL with a host. */
static const char *url_host(const char *url, char *buf, size_t size)
{
	const char *p;
	if (!url)
		return NULL;
	if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return NULL;
	size_t n = strcspn(p, "/?#");
	/* Drop user info ("user@host") should a URL ever carry it. */
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (n == 0 || n >= size)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch <= ' ' || ch == 0x7f || ch == '@')
			return NULL;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* The members of a Status entity the mapping reads, picked out in one
 * pass (kudos_js_members): a status has some thirty. */
enum { S_REBLOG, S_ID, S_CONTENT, S_SPOILER, S_ACCOUNT, S_CREATED, S_EDITED, S_LANGUAGE,
       S_URL, S_URI, S_REPLY_TO, S_MEDIA, S_LIKES, S_REPLIES, S_REBLOGS, S_QUOTES,
       S_VISIBILITY, S_SENSITIVE, S_COUNT };
static const char *const status_keys[S_COUNT] = {
	"reblog", "id", "content", "spoiler_text", "account", "created_at", "edited_at",
	"language", "url", "uri", "in_reply_to_id", "media_attachments", "favourites_count",
	"replies_count", "reblogs_count", "quotes_count", "visibility", "sensitive"};

enum { A_ACCT, A_USERNAME, A_URL, A_NAME, A_AVATAR_STATIC, A_AVATAR, A_COUNT };
static const char *const account_keys[A_COUNT] = {
	"acct", "username", "url", "display_name", "avatar_static", "avatar"};

/* "@user@instance" of a status (its members `s`, its account's `a`):
 * `acct` holds the instance for remote accounts only; a local account's
 * instance is the host of its profile URL (or, lacking one, of the
 * status's own URLs).  RETURN VALUE buf, or NULL when the status has no
 * account object, or one with neither acct nor username. */
static const char *handle_of(const cJSON *const *s, const cJSON *const *a, char *buf,
                             size_t size)
{
	char host[256];
	int n;

	const char *acct = kudos_js_as_nonempty(a[A_ACCT]);
	if (!acct)
		acct = kudos_js_as_nonempty(a[A_USERNAME]);
	if (!acct)
		return NULL;
	if (strchr(acct, '@')) {
		n = snprintf(buf, size, "@%s", acct);
	} else {
		const char *h = url_host(kudos_js_as_str(a[A_URL]), host, sizeof host);
		if (!h)
			h = url_host(kudos_js_as_str(s[S_URI]), host, sizeof host);
		if (!h)
			h = url_host(kudos_js_as_str(s[S_URL]), host, sizeof host);
		n = h ? snprintf(buf, size, "@%s@%s", acct, h)
		      : snprintf(buf, size, "@%s", acct);
	}
	return n > 0 && (size_t)n < size ? buf : NULL;
}

/* Author fields from `account` (its members `a`); none at all when it is
 * missing. */
static void author(struct mst_run *r, struct kudos_item *item, const cJSON *const *s,
                   const cJSON *const *a, const char *where)
{
	char handle[1024];

	if (!handle_of(s, a, handle, sizeof handle)) {
		meta(r, item, "author_missing", "true", where);
		return;
	}
	/* Mastodon itself shows the user name when display_name is empty. */
	const char *name = kudos_js_as_nonempty(a[A_NAME]);
	if (!name)
		name = kudos_js_as_nonempty(a[A_USERNAME]);
	const char *avatar = kudos_js_as_nonempty(a[A_AVATAR_STATIC]);
	if (!avatar)
		avatar = kudos_js_as_nonempty(a[A_AVATAR]);

	set(r, item, KUDOS_FIELD_AUTHOR_HANDLE, handle, "the author's handle", where);
	set(r, item, KUDOS_FIELD_AUTHOR_NAME, name, "the author's display_name", where);
	set(r, item, KUDOS_FIELD_AUTHOR_URL, kudos_js_as_nonempty(a[A_URL]), "the author's url",
	    where);
	set(r, item, KUDOS_FIELD_AUTHOR_AVATAR, avatar, "the author's avatar", where);
}

static void when(struct mst_run *r, struct kudos_item *item, const cJSON *v,
                 const char *key, int which, const char *where)
{
	const char *t_str = kudos_js_as_nonempty(v);
	int64_t t;
	if (!t_str)
		return;
	if (r->host->time_parse(t_str, &t) != KUDOS_OK ||
	    r->host->item_set_time(item, which, t) != KUDOS_OK)
		kudos_js_warn(&r->f, "%s: %s \"%.40s\" is not an ISO 8601 time; left unset",
		              where, key, t_str);
}

/* An id that member `v` (named `key`) refers to (in_reply_to_id, a
 * boost's own id), or NULL when there is none; a number above 2^53 is
 * warned about and left out. */
static const char *ref_id(struct mst_run *r, const cJSON *v, const char *key,
                          char buf[KUDOS_JS_NUM_SIZE], const char *where)
{
	const char *id;
	if (kudos_js_id(v, buf, &id) == KUDOS_JS_ID_BIG)
		kudos_js_warn(&r->f, "%s: %s is a number above 2^53 and has lost digits; "
		                     "left unset", where, key);
	return id;
}

static void media(struct mst_run *r, struct kudos_item *item, const cJSON *list,
                  const char *where)
{
	static const char *const types[] = {"image", "video", "gifv", "audio", NULL};
	const cJSON *m;
	long i = -1;

	cJSON_ArrayForEach(m, kudos_js_as_arr(list))
	{
		i++;
		const char *type = kudos_js_str(m, "type");
		size_t k = 0;
		while (type && types[k] && strcmp(types[k], type) != 0)
			k++;
		/* "unknown": the instance could not fetch a remote file. */
		if (!type || !types[k])
			continue;
		const char *url = kudos_js_nonempty(m, "url");
		if (!url)
			url = kudos_js_nonempty(m, "remote_url");
		if (url && r->host->item_add_media(item, type, url,
		                                   kudos_js_nonempty(m, "description")) != KUDOS_OK)
			kudos_js_warn(&r->f, "%s: media_attachments[%ld] was refused; left out",
			              where, i);
	}
}

static void counts(struct mst_run *r, struct kudos_item *item, const cJSON *const *s,
                   const char *where)
{
	static const struct { int member; const char *key; } keys[] = {
		{S_LIKES, "likes"}, {S_REPLIES, "replies"},
		{S_REBLOGS, "reposts"}, {S_QUOTES, "quotes"}};
	char buf[KUDOS_JS_NUM_SIZE];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		meta(r, item, keys[i].key, kudos_js_count(s[keys[i].member], buf), where);
}

/* Everything but the id and the text, from the status's members `s`;
 * `boost`: the booster's status members when `s` is the status it
 * boosts, else NULL. */
static void fields(struct mst_run *r, struct kudos_item *item, const cJSON *const *s,
                   const cJSON *const *boost, const char *where)
{
	const cJSON *a[A_COUNT];
	char handle[1024], buf[KUDOS_JS_NUM_SIZE];

	set(r, item, KUDOS_FIELD_TITLE, kudos_js_as_nonempty(s[S_SPOILER]), "spoiler_text",
	    where);
	kudos_js_members(s[S_ACCOUNT], account_keys, A_COUNT, a);
	author(r, item, s, a, where);
	when(r, item, s[S_CREATED], "created_at", KUDOS_TIME_CREATED, where);
	when(r, item, s[S_EDITED], "edited_at", KUDOS_TIME_UPDATED, where);
	set(r, item, KUDOS_FIELD_LANGUAGE, kudos_js_as_nonempty(s[S_LANGUAGE]), "language",
	    where);
	const char *link = kudos_js_as_nonempty(s[S_URL]);
	set(r, item, KUDOS_FIELD_PERMALINK, link ? link : kudos_js_as_nonempty(s[S_URI]), "url",
	    where);
	set(r, item, KUDOS_FIELD_IN_REPLY_TO,
	    ref_id(r, s[S_REPLY_TO], "in_reply_to_id", buf, where), "in_reply_to_id", where);
	media(r, item, s[S_MEDIA], where);
	counts(r, item, s, where);
	meta(r, item, "visibility", kudos_js_as_nonempty(s[S_VISIBILITY]), where);
	if (cJSON_IsTrue(s[S_SENSITIVE]))
		meta(r, item, "sensitive", "true", where);
	if (boost) {
		kudos_js_members(boost[S_ACCOUNT], account_keys, A_COUNT, a);
		meta(r, item, "boosted_by", handle_of(boost, a, handle, sizeof handle), where);
		meta(r, item, "boost_id", ref_id(r, boost[S_ID], "id", buf, where), where);
	}
}

int mst_status(struct mst_run *r, const cJSON *v, const char *where)
{
	const struct kudos_host *h = r->host;
	const cJSON *own[S_COUNT], *boosted[S_COUNT];
	const cJSON *const *s = own, *const *boost = NULL;
	const char *re = "";

	r->statuses++;
	if (!cJSON_IsObject(v)) {
		r->skipped++;
		kudos_js_warn(&r->f, "%s is not a status object; skipped", where);
		return KUDOS_OK;
	}
	kudos_js_members(v, status_keys, S_COUNT, own);
	const cJSON *rb = own[S_REBLOG];
	if (rb && !cJSON_IsNull(rb)) {
		if (!cJSON_IsObject(rb)) {
			r->skipped++;
			kudos_js_warn(&r->f, "%s: \"reblog\" is not a status object; skipped",
			              where);
			return KUDOS_OK;
		}
		kudos_js_members(rb, status_keys, S_COUNT, boosted);
		boost = own;
		s = boosted;
		re = ".reblog";
		r->boosts++;
	}
	char idbuf[KUDOS_JS_NUM_SIZE];
	const char *id;
	int st = kudos_js_id(s[S_ID], idbuf, &id);
	const char *content = kudos_js_as_str(s[S_CONTENT]);
	if (st == KUDOS_JS_ID_BIG) {
		r->skipped++;
		kudos_js_warn(&r->f, "%s%s: \"id\" is a number above 2^53 and has lost "
		                     "digits (Mastodon sends ids as strings: save the "
		                     "response unchanged); skipped", where, re);
		return KUDOS_OK;
	}
	if (!id || !content) {
		r->skipped++;
		kudos_js_warn(&r->f, "%s%s has no %s; skipped", where, re,
		              !id ? "\"id\" (a string)" : "\"content\" (a string)");
		return KUDOS_OK;
	}

	char *text = h->html_to_text(content, strlen(content));
	if (!text) {
		h->set_error(r->self, "%s: %s: out of memory", r->f.path, where);
		return KUDOS_ENOMEM;
	}
	if (!*text) {
		h->free(text);
		r->skipped++;
		kudos_js_warn(&r->f, "%s: status %s has no text (media only?); skipped",
		              where, id);
		return KUDOS_OK;
	}
	struct kudos_item *item = h->item_new(r->self, id);
	if (!item) {
		h->free(text);
		r->refused++;
		kudos_js_warn(&r->f, "%s: status id \"%.40s\" was refused (see above); "
		                     "skipped", where, id);
		return KUDOS_OK;
	}
	int ok = h->item_set(item, KUDOS_FIELD_KIND, "social_post") == KUDOS_OK &&
	         h->item_set(item, KUDOS_FIELD_TEXT, text) == KUDOS_OK;
	h->free(text);
	if (!ok) {
		h->item_free(item);
		r->refused++;
		kudos_js_warn(&r->f, "%s: the text of status %s was refused (not valid "
		                     "UTF-8?); skipped", where, id);
		return KUDOS_OK;
	}
	fields(r, item, s, boost, where);

	int rc = h->item_emit(r->self, item);
	if (rc == KUDOS_OK)
		r->items++;
	else if (rc == KUDOS_EINVAL)
		r->refused++; /* the host logged why */
	else
		return rc;    /* a store failure: the host set the error */
	return KUDOS_OK;
}
