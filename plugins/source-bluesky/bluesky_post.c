/*
 * One Bluesky post view (app.bsky.feed.defs#postView) -> one kudos item
 * (see bluesky.h).
 *
 * Contract: a post whose `uri` is not the AT URI of an app.bsky.feed.post
 * record, whose `record.text` is missing or empty (an image-only post), or
 * that is not an object is skipped with a warning naming the file and its
 * position; a post the network no longer shows (notFound, blocked) is
 * counted, not warned about; a field the host refuses (not UTF-8) is warned
 * about and left unset.  Only store failures and lack of memory fail the
 * run.
 */
#include "bluesky.h"

#include <stdio.h>
#include <string.h>

static void set(struct bsk_run *r, struct kudos_item *item, int field,
                const char *value, const char *what, const char *where)
{
	if (value && r->host->item_set(item, field, value) != KUDOS_OK)
		bsk_warn(r, "%s: %s was refused (not valid UTF-8?); left unset",
		         where, what);
}

static void meta(struct bsk_run *r, struct kudos_item *item, const char *key,
                 const char *value, const char *where)
{
	if (value && r->host->item_set_meta(item, key, value) != KUDOS_OK)
		bsk_warn(r, "%s: metadata %s was refused; left unset", where, key);
}

/* A handle the network vouches for: "handle.invalid" marks one whose DNS
 * or DID document no longer agrees. */
static const char *good_handle(const cJSON *author)
{
	const char *h = bsk_nonempty(author, "handle");
	return h && strcmp(h, "handle.invalid") != 0 ? h : NULL;
}

static void author(struct bsk_run *r, struct kudos_item *item, const cJSON *a,
                   const char *where)
{
	const char *handle = good_handle(a), *did = bsk_nonempty(a, "did");
	char buf[600];

	if (!handle && !did) {
		meta(r, item, "author_missing", "true", where);
		return;
	}
	/* Bluesky shows the handle where there is no display name. */
	const char *name = bsk_nonempty(a, "displayName");
	if (!name)
		name = handle;
	set(r, item, KUDOS_FIELD_AUTHOR_NAME, name, "the author's displayName", where);
	if (handle && snprintf(buf, sizeof buf, "@%s", handle) < (int)sizeof buf)
		set(r, item, KUDOS_FIELD_AUTHOR_HANDLE, buf, "the author's handle", where);
	if (snprintf(buf, sizeof buf, "https://bsky.app/profile/%s",
	             handle ? handle : did) < (int)sizeof buf)
		set(r, item, KUDOS_FIELD_AUTHOR_URL, buf, "the author's profile", where);
	set(r, item, KUDOS_FIELD_AUTHOR_AVATAR, bsk_nonempty(a, "avatar"),
	    "the author's avatar", where);
	meta(r, item, "author_did", did, where);
}

static void when(struct bsk_run *r, struct kudos_item *item, const cJSON *post,
                 const cJSON *record, const char *where)
{
	const char *v = bsk_nonempty(record, "createdAt"), *key = "record.createdAt";
	int64_t t;
	if (!v) {
		v = bsk_nonempty(post, "indexedAt");
		key = "indexedAt";
	}
	if (!v)
		return;
	if (r->host->time_parse(v, &t) != KUDOS_OK ||
	    r->host->item_set_time(item, KUDOS_TIME_CREATED, t) != KUDOS_OK)
		bsk_warn(r, "%s: %s \"%.40s\" is not an ISO 8601 time; left unset",
		         where, key, v);
}

static void add_media(struct bsk_run *r, struct kudos_item *item, const char *type,
                      const char *url, const char *alt, const char *where)
{
	if (url && r->host->item_add_media(item, type, url, alt) != KUDOS_OK)
		bsk_warn(r, "%s: an embedded %s was refused; left out", where, type);
}

/* Media of an embed view: images, a video, or both under recordWithMedia;
 * an external link and a quoted post go into the metadata. */
static void embed(struct bsk_run *r, struct kudos_item *item, const cJSON *e,
                  int depth, const char *where)
{
	const char *type = bsk_str(e, "$type");
	const cJSON *img;

	if (!type || depth > 2)
		return;
	if (strcmp(type, "app.bsky.embed.images#view") == 0) {
		cJSON_ArrayForEach(img, bsk_get(e, "images"))
		{
			const char *url = bsk_nonempty(img, "fullsize");
			add_media(r, item, "image", url ? url : bsk_nonempty(img, "thumb"),
			          bsk_nonempty(img, "alt"), where);
		}
	} else if (strcmp(type, "app.bsky.embed.video#view") == 0) {
		add_media(r, item, "video", bsk_nonempty(e, "playlist"),
		          bsk_nonempty(e, "alt"), where);
	} else if (strcmp(type, "app.bsky.embed.external#view") == 0) {
		meta(r, item, "link", bsk_nonempty(bsk_get(e, "external"), "uri"), where);
	} else if (strcmp(type, "app.bsky.embed.record#view") == 0) {
		meta(r, item, "quoted", bsk_nonempty(bsk_get(e, "record"), "uri"), where);
	} else if (strcmp(type, "app.bsky.embed.recordWithMedia#view") == 0) {
		embed(r, item, bsk_get(e, "media"), depth + 1, where);
		const cJSON *rec = bsk_get(bsk_get(e, "record"), "record");
		meta(r, item, "quoted", bsk_nonempty(rec, "uri"), where);
	}
}

static void counts(struct bsk_run *r, struct kudos_item *item, const cJSON *post,
                   const char *where)
{
	static const char *const keys[][2] = {{"likeCount", "likes"},
	                                      {"replyCount", "replies"},
	                                      {"repostCount", "reposts"},
	                                      {"quoteCount", "quotes"}};
	char buf[32];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		meta(r, item, keys[i][1], bsk_count(bsk_get(post, keys[i][0]), buf), where);
}

/* Everything but the id and the text. */
static void fields(struct bsk_run *r, struct kudos_item *item, const cJSON *post,
                   const cJSON *reason, const char *authority, const char *rkey,
                   const char *where)
{
	const cJSON *record = bsk_get(post, "record"), *a = bsk_get(post, "author");
	const cJSON *langs = bsk_get(record, "langs");
	const char *handle = good_handle(a);
	char link[1024];

	author(r, item, a, where);
	when(r, item, post, record, where);
	if (cJSON_IsArray(langs) && cJSON_IsString(cJSON_GetArrayItem(langs, 0)))
		set(r, item, KUDOS_FIELD_LANGUAGE, cJSON_GetArrayItem(langs, 0)->valuestring,
		    "record.langs[0]", where);
	if (snprintf(link, sizeof link, "https://bsky.app/profile/%s/post/%s",
	             handle ? handle : authority, rkey) < (int)sizeof link)
		set(r, item, KUDOS_FIELD_PERMALINK, link, "the permalink", where);
	/* The parent's AT URI, as the items' own ids are AT URIs. */
	set(r, item, KUDOS_FIELD_IN_REPLY_TO,
	    bsk_nonempty(bsk_get(bsk_get(record, "reply"), "parent"), "uri"),
	    "record.reply.parent.uri", where);
	embed(r, item, bsk_get(post, "embed"), 0, where);
	counts(r, item, post, where);
	meta(r, item, "cid", bsk_nonempty(post, "cid"), where);
	if (reason) {
		const char *by = good_handle(bsk_get(reason, "by"));
		if (by && snprintf(link, sizeof link, "@%s", by) < (int)sizeof link)
			meta(r, item, "reposted_by", link, where);
	}
}

/* A post the network does not show: #notFoundPost, #blockedPost, ... */
static int unavailable(const cJSON *post)
{
	const char *type = bsk_str(post, "$type");
	return cJSON_IsTrue(bsk_get(post, "notFound")) ||
	       cJSON_IsTrue(bsk_get(post, "blocked")) ||
	       (type && (strstr(type, "#notFoundPost") || strstr(type, "#blockedPost")));
}

int bsk_post(struct bsk_run *r, const cJSON *post, const cJSON *reason,
             const char *where)
{
	const struct kudos_host *h = r->host;
	char authority[512], rkey[128];

	r->posts++;
	if (unavailable(post)) {
		r->unavailable++;
		return KUDOS_OK;
	}
	const char *uri = bsk_str(post, "uri");
	const char *text = bsk_str(bsk_get(post, "record"), "text");
	if (!cJSON_IsObject(post) ||
	    !bsk_post_uri(uri, authority, sizeof authority, rkey, sizeof rkey) ||
	    !text) {
		r->skipped++;
		bsk_warn(r, "%s %s; skipped", where,
		         !cJSON_IsObject(post) ? "is not a post view (an object)"
		         : !uri ? "has no \"uri\" (a string)"
		         : !text ? "has no \"record.text\" (a string)"
		                 : "has a \"uri\" that is not an app.bsky.feed.post AT URI");
		return KUDOS_OK;
	}
	if (!*text) {
		r->skipped++;
		bsk_warn(r, "%s: post %s has no text (images only?); skipped", where, uri);
		return KUDOS_OK;
	}
	/* The AT URI is the id: record keys are only unique per account. */
	struct kudos_item *item = h->item_new(r->self, uri);
	if (!item) {
		r->refused++;
		bsk_warn(r, "%s: post id \"%.80s\" was refused (see above); skipped",
		         where, uri);
		return KUDOS_OK;
	}
	if (h->item_set(item, KUDOS_FIELD_KIND, "social_post") != KUDOS_OK ||
	    h->item_set(item, KUDOS_FIELD_TEXT, text) != KUDOS_OK) {
		h->item_free(item);
		r->refused++;
		bsk_warn(r, "%s: the text of post %s was refused (not valid UTF-8?); "
		            "skipped", where, uri);
		return KUDOS_OK;
	}
	if (reason)
		r->reposts++;
	fields(r, item, post, reason, authority, rkey, where);

	int rc = h->item_emit(r->self, item);
	if (rc == KUDOS_OK)
		r->items++;
	else if (rc == KUDOS_EINVAL)
		r->refused++; /* the host logged why */
	else
		return rc;    /* a store failure: the host set the error */
	return KUDOS_OK;
}
