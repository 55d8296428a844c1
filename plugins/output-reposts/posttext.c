/*
 * posttext.c: the text of one repost on one platform.
 *
 * Contract: rp_post_text_build() fills the job's template, line by line:
 *   {quote}      the item's text, verbatim (never cut; left empty when the
 *                post links the card instead: fallback "card")
 *   {credit}     the creator as their grant asks (the host has already
 *                reduced the author to that): on the platform the item
 *                came from, their handle (@jane, @jane@example.social;
 *                "Jane Doe (@jane)" for full credit); elsewhere never an
 *                @-mention (it would tag a stranger there): the credited
 *                name, or "jane on X" when they asked to be credited by
 *                handle; nothing when anonymous.  The only handle kudos
 *                knows for certain is the one on the item's own platform.
 *   {permalink}  the item's link (http or https only)
 *   {hashtags}   the job's hashtags
 *   {source}     where the item came from ("Google", "Trustpilot", ...)
 *   {{ and }}    literal braces
 * A line whose placeholders all came out empty is left out (so "— {credit}"
 * disappears for an anonymous creator), trailing blanks are trimmed, and
 * the text is normalised to NFC.  It is then counted for the platform
 * (textcount.c); a text that does not fit is not cut: with fallback
 * "card" and a card for the item, the post links the card image instead
 * of quoting; otherwise the platform is skipped with the reason in pt->why.
 */
#include "reposts.h"

#include <utf8proc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const placeholders[] = {"quote", "credit", "permalink", "hashtags",
                                           "source", NULL};

const char *rp_template_unknown(const char *tpl, size_t *len)
{
	for (const char *p = tpl; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p++;
			continue;
		}
		if (*p != '{')
			continue;
		const char *e = strchr(p, '}');
		size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
		int known = 0;
		for (size_t k = 0; e && placeholders[k]; k++)
			known |= strlen(placeholders[k]) == n && !strncmp(placeholders[k], p + 1, n);
		if (!known) {
			*len = e ? n + 2 : strlen(p);
			return p;
		}
		p = e;
	}
	return NULL;
}

static const struct {
	const char *source, *display;
} source_names[] = {
	{"x", "X"},           {"mastodon", "Mastodon"},   {"bluesky", "Bluesky"},
	{"threads", "Threads"}, {"linkedin", "LinkedIn"}, {"instagram", "Instagram"},
	{"facebook", "Facebook"}, {"google-reviews", "Google"}, {"trustpilot", "Trustpilot"},
	{"yelp", "Yelp"},     {"youtube", "YouTube"},     {"reddit", "Reddit"},
	{"typeform", ""},     {"csv", ""},
};

static const char *source_display(const char *source)
{
	for (size_t i = 0; source && i < sizeof source_names / sizeof source_names[0]; i++)
		if (!strcmp(source_names[i].source, source))
			return source_names[i].display;
	return source ? source : "";
}

static int set(const char *s)
{
	return s && *s;
}

const char *rp_web_link(const struct kudos_host *host, const struct kudos_item *item)
{
	const char *l = host->item_get(item, KUDOS_FIELD_PERMALINK);
	return l && (!strncasecmp(l, "https://", 8) || !strncasecmp(l, "http://", 7)) ? l : NULL;
}

/* The handle to @-mention on `platform`, without its '@', or NULL.  A
 * handle is a name on one network only: posted on another it tags
 * whoever holds that name there, so it is used only on the platform the
 * item came from.  A Mastodon handle must name its instance
 * (@jane@example.social): a bare @jane would be a user of the brand's own
 * instance. */
static const char *mention_on(const char *handle, const char *source, int platform)
{
	if (!set(handle) || rp_platform_find(source) != platform)
		return NULL;
	const char *bare = handle[0] == '@' ? handle + 1 : handle;
	if (!*bare || (platform == RP_MASTODON && !strchr(bare, '@')))
		return NULL;
	return bare;
}

/* The credit for `platform` into b.  The host has already reduced the
 * author to what the grant allows: a name and handle only for "full"
 * credit, the handle as the name for "handle", a name alone for "first"
 * and "initials", nothing for "anonymous". */
static void credit(const struct kudos_host *host, const struct kudos_item *item, int platform,
                   struct rp_buf *b)
{
	const char *name = host->item_get(item, KUDOS_FIELD_AUTHOR_NAME);
	const char *handle = host->item_get(item, KUDOS_FIELD_AUTHOR_HANDLE);
	const char *source = host->item_get(item, KUDOS_FIELD_SOURCE);
	if (!set(name))
		name = host->item_get(item, KUDOS_FIELD_CREDIT);
	/* a name never starts a mention either */
	while (set(name) && name[0] == '@')
		name++;
	if (!set(handle)) {
		if (set(name))
			rp_buf_str(b, name);
		return;
	}
	const char *bare = handle[0] == '@' ? handle + 1 : handle;
	int by_handle = !set(name) || !strcmp(bare, name);
	const char *mention = mention_on(handle, source, platform);
	if (mention && by_handle) {
		rp_buf_printf(b, "@%s", mention);
	} else if (mention) {
		rp_buf_printf(b, "%s (@%s)", name, mention);
	} else if (by_handle) {
		/* credited by handle, elsewhere: the handle as plain text, with
		 * the network it belongs to */
		const char *where = source_display(source);
		rp_buf_printf(b, *where ? "%s on %s" : "%s", bare, where);
	} else {
		rp_buf_str(b, name);
	}
}

struct fill {
	const char *quote, *credit, *permalink, *hashtags, *source;
};

static const char *value_of(const struct fill *f, const char *name, size_t n)
{
	const char *const vals[] = {f->quote, f->credit, f->permalink, f->hashtags, f->source};
	for (size_t k = 0; placeholders[k]; k++)
		if (strlen(placeholders[k]) == n && !strncmp(placeholders[k], name, n))
			return vals[k] ? vals[k] : "";
	return "";
}

/* Expand the template into b (see the header comment). */
static void expand(const char *tpl, const struct fill *f, struct rp_buf *b)
{
	const char *line = tpl;
	struct rp_buf l = {0};
	while (line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		int had = 0, filled = 0;
		l.len = 0;
		for (size_t i = 0; i < n; i++) {
			const char *p = line + i;
			if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
				rp_buf_add(&l, p, 1);
				i++;
			} else if (p[0] == '{') {
				const char *e = memchr(p, '}', n - i);
				size_t k = e ? (size_t)(e - p - 1) : 0;
				const char *v = value_of(f, p + 1, k);
				had = 1;
				filled |= *v != '\0';
				rp_buf_str(&l, v);
				i += e ? k + 1 : n - i;
			} else {
				rp_buf_add(&l, p, 1);
			}
		}
		if (!had || filled) {
			size_t m = l.len;
			while (m && (l.data[m - 1] == ' ' || l.data[m - 1] == '\t'))
				m--;
			rp_buf_add(b, l.data ? l.data : "", m);
			rp_buf_add(b, "\n", 1);
		}
		line = nl ? nl + 1 : NULL;
	}
	rp_buf_free(&l);
	/* no blank lines at either end */
	size_t s = 0;
	while (s < b->len && b->data[s] == '\n')
		s++;
	if (s && !b->oom) {
		memmove(b->data, b->data + s, b->len - s + 1);
		b->len -= s;
	}
	while (b->len && !b->oom && (b->data[b->len - 1] == '\n'))
		b->data[--b->len] = '\0';
}

static int build(const struct kudos_host *host, const struct rp_ctx *ctx,
                 const struct kudos_item *item, int platform, int fallback,
                 struct rp_post_text *pt)
{
	struct rp_buf cb = {0}, out = {0};
	credit(host, item, platform, &cb);
	rp_buf_add(&cb, "", 0);
	struct fill f = {
		fallback ? "" : host->item_get(item, KUDOS_FIELD_TEXT),
		cb.data,
		rp_web_link(host, item),
		ctx->hashtags,
		source_display(host->item_get(item, KUDOS_FIELD_SOURCE)),
	};
	expand(ctx->template_text, &f, &out);
	rp_buf_free(&cb);
	char *raw = rp_buf_take(&out, NULL);
	if (!raw)
		return -1;
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)raw);
	free(raw);
	if (!nfc)
		return -1;
	free(pt->text);
	pt->text = nfc;
	pt->fallback = fallback;
	/* A permalink the message does not carry is the CSV's link column,
	 * which scheduling tools append: count it too. */
	const char *link = rp_web_link(host, item);
	if (set(link) && !strstr(nfc, link)) {
		struct rp_buf c = {0};
		rp_buf_printf(&c, "%s%s%s", nfc, *nfc ? " " : "", link);
		char *counted = rp_buf_take(&c, NULL);
		int rc = counted ? rp_count_text(platform, counted, &pt->count) : -1;
		free(counted);
		if (rc)
			return -1;
	} else if (rp_count_text(platform, nfc, &pt->count)) {
		return -1;
	}
	pt->fits = rp_count_fits(platform, &pt->count);
	return 0;
}

static char *reason(int platform, const struct rp_count *c)
{
	const struct rp_platform_def *d = &rp_platforms[platform];
	struct rp_buf b = {0};
	if (platform == RP_X && c->bad_chars)
		rp_buf_str(&b, "X refuses posts holding U+FFFE, U+FEFF or U+FFFF, and this one does");
	else if (platform == RP_X && c->length == 0)
		rp_buf_str(&b, "the post would be empty");
	else if (platform == RP_THREADS && c->links > 5)
		rp_buf_printf(&b, "Threads takes at most 5 links in a post, this one has %ld",
		              c->links);
	else if (platform == RP_BLUESKY && c->bytes > 3000)
		rp_buf_printf(&b, "too long for Bluesky: %ld bytes of UTF-8, the limit is 3000",
		              c->bytes);
	else
		rp_buf_printf(&b, "too long for %s: %ld %s, the limit is %ld", d->display,
		              c->length, d->unit, d->limit);
	return rp_buf_take(&b, NULL);
}

int rp_post_text_build(const struct kudos_host *host, const struct rp_ctx *ctx,
                       const struct kudos_item *item, int platform, const char *card,
                       struct rp_post_text *pt)
{
	if (build(host, ctx, item, platform, 0, pt))
		return -1;
	if (pt->fits)
		return 0;
	char *why = reason(platform, &pt->count);
	if (!why)
		return -1;
	if (ctx->fallback_card && card) {
		struct rp_count quoted = pt->count;
		if (build(host, ctx, item, platform, 1, pt)) {
			free(why);
			return -1;
		}
		if (pt->fits) {
			free(why);
			return 0;
		}
		pt->count = quoted;
		struct rp_buf b = {0};
		rp_buf_printf(&b, "%s; even without the quote the post does not fit", why);
		free(why);
		why = rp_buf_take(&b, NULL);
	} else if (ctx->fallback_card) {
		struct rp_buf b = {0};
		rp_buf_printf(&b, "%s; no card to link instead (list a cards-png output "
		              "before reposts in the job)", why);
		free(why);
		why = rp_buf_take(&b, NULL);
	}
	pt->why = why;
	return why ? 0 : -1;
}
