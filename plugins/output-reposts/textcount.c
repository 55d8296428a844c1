/*
 * textcount.c: how long a post is, counted the way its platform counts.
 *
 * Contract: rp_count_text() normalises the text to NFC (utf8proc) and
 * counts it in the platform's unit; rp_count_fits() says whether that is
 * within the platform's limit.  A quote that does not fit is never cut:
 * the caller skips the platform (or falls back to the card).
 *
 *   x          twitter-text v3 weighted length: every URL (urlscan.c) is
 *              23, an emoji sequence is 2 whatever its code points, and
 *              every other code point weighs what config/v3.json says
 *              (weights below); the post is refused if it holds U+FFFE,
 *              U+FEFF or U+FFFF.  Limit 280.
 *   mastodon   grapheme clusters, every http(s) URL as 23 and a remote
 *              mention @user@domain as @user (Mastodon's
 *              StatusLengthValidator).  Limit 500.
 *   bluesky    grapheme clusters (Unicode rules, utf8proc), limit 300, and
 *              at most 3000 UTF-8 bytes (app.bsky.feed.post's lexicon).
 *   threads    characters, an emoji counted as its UTF-8 bytes (Meta's
 *              Threads API documentation).  Limit 500, and at most 5 links.
 *   linkedin, instagram, facebook
 *              UTF-16 code units, the way JavaScript front ends count (an
 *              emoji is 2; never fewer than characters).  3000, 2200,
 *              63206.
 * "Emoji sequence": a grapheme cluster that starts with an
 * Extended_Pictographic code point at or above U+203C (so (c) and (R)
 * stay text, as in twemoji's pattern) and has no text-style selector
 * U+FE0E, a regional-indicator flag, or a keycap ([#*0-9] + U+20E3).
 */
#include "reposts.h"

#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

const struct rp_platform_def rp_platforms[RP_NPLATFORMS] = {
	[RP_X] = {"x", "X", 280, "weighted characters (URLs 23, emoji 2, CJK 2)"},
	[RP_MASTODON] = {"mastodon", "Mastodon", 500, "characters (URLs 23)"},
	[RP_BLUESKY] = {"bluesky", "Bluesky", 300, "graphemes"},
	[RP_THREADS] = {"threads", "Threads", 500, "characters (emoji as UTF-8 bytes)"},
	[RP_LINKEDIN] = {"linkedin", "LinkedIn", 3000, "UTF-16 characters"},
	[RP_INSTAGRAM] = {"instagram", "Instagram", 2200, "UTF-16 characters"},
	[RP_FACEBOOK] = {"facebook", "Facebook", 63206, "UTF-16 characters"},
};

int rp_platform_find(const char *name)
{
	for (int p = 0; name && p < RP_NPLATFORMS; p++)
		if (strcmp(rp_platforms[p].name, name) == 0)
			return p;
	return -1;
}

/*
 * X's weights, embedded from twitter-text config/v3.json
 * (github.com/twitter/twitter-text @30e2430d, Apache-2.0; the copy kept in
 * ../shared/fixtures/real/limits/twitter_text_config_v3.json):
 *   maxWeightedTweetLength 280, scale 100, defaultWeight 200,
 *   transformedURLLength 23, emojiParsingEnabled true, ranges below.
 */
#define X_SCALE 100
#define X_DEFAULT_WEIGHT 200
#define X_URL_LENGTH 23
static const struct {
	int32_t start, end;
	int weight;
} x_ranges[] = {
	{0, 4351, 100},     /* Basic Latin to Georgian */
	{8192, 8205, 100},  /* spaces of General Punctuation */
	{8208, 8223, 100},  /* hyphens and quotes */
	{8242, 8247, 100},  /* primes */
};

static int x_weight(int32_t c)
{
	for (size_t i = 0; i < sizeof x_ranges / sizeof x_ranges[0]; i++)
		if (c >= x_ranges[i].start && c <= x_ranges[i].end)
			return x_ranges[i].weight;
	return X_DEFAULT_WEIGHT;
}

static int emoji_cluster(const int32_t *cp, size_t a, size_t b)
{
	int32_t c = cp[a];
	for (size_t k = a; k < b; k++)
		if (cp[k] == 0xFE0E)
			return 0;
	int bc = utf8proc_get_property(c)->boundclass;
	if (bc == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
		return 1;
	if (c == '#' || c == '*' || (c >= '0' && c <= '9')) {
		for (size_t k = a + 1; k < b; k++)
			if (cp[k] == 0x20E3)
				return 1;
		return 0;
	}
	if (c >= 0x1F3FB && c <= 0x1F3FF)
		return 1; /* a lone skin tone */
	return c >= 0x203C && (bc == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
	                       bc == UTF8PROC_BOUNDCLASS_E_BASE ||
	                       bc == UTF8PROC_BOUNDCLASS_E_BASE_GAZ ||
	                       bc == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ);
}

/* brk[k] = 1 when a grapheme cluster starts at k (k >= 1). */
static unsigned char *cluster_starts(const int32_t *cp, size_t n)
{
	unsigned char *brk = calloc(n + 1, 1);
	utf8proc_int32_t state = 0;
	if (!brk)
		return NULL;
	brk[0] = 1;
	for (size_t k = 1; k < n; k++)
		brk[k] = utf8proc_grapheme_break_stateful(cp[k - 1], cp[k], &state) ? 1 : 0;
	brk[n] = 1;
	return brk;
}

static long count_clusters(const int32_t *cp, size_t n)
{
	unsigned char *brk = cluster_starts(cp, n);
	long c = 0;
	if (!brk)
		return -1;
	for (size_t k = 0; k < n; k++)
		c += brk[k];
	free(brk);
	return c;
}

static long utf8_len(int32_t c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static long x_length(const int32_t *cp, size_t n, int *bad)
{
	struct rp_span *urls = NULL;
	long nu = rp_find_urls(cp, n, 1, &urls);
	unsigned char *brk = nu >= 0 ? cluster_starts(cp, n) : NULL;
	long total = 0;
	size_t u = 0, i = 0;
	if (!brk) {
		free(urls);
		return -1;
	}
	while (i < n) {
		if (u < (size_t)nu && urls[u].start == i) {
			total += X_URL_LENGTH * X_SCALE;
			i = urls[u++].end;
			continue;
		}
		size_t limit = u < (size_t)nu ? urls[u].start : n, j = i + 1;
		while (j < limit && !brk[j])
			j++;
		for (size_t k = i; k < j; k++)
			*bad |= cp[k] == 0xFFFE || cp[k] == 0xFEFF || cp[k] == 0xFFFF;
		if (emoji_cluster(cp, i, j)) {
			total += X_DEFAULT_WEIGHT;
		} else {
			for (size_t k = i; k < j; k++)
				total += x_weight(cp[k]);
		}
		i = j;
	}
	free(brk);
	free(urls);
	return total / X_SCALE;
}

static int word_char(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) ||
	       cat == UTF8PROC_CATEGORY_PC;
}

static int user_char(int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Mastodon's countable text: URLs as 23 characters, @user@domain as
 * @user.  RETURN VALUE its grapheme count, or -1. */
static long mastodon_length(const int32_t *cp, size_t n)
{
	struct rp_span *urls = NULL;
	long nu = rp_find_urls(cp, n, 0, &urls);
	int32_t *t = nu >= 0 ? calloc(n + 23 * (size_t)(nu + 1), sizeof *t) : NULL;
	size_t m = 0, u = 0;
	if (!t) {
		free(urls);
		return -1;
	}
	for (size_t i = 0; i < n;) {
		if (u < (size_t)nu && urls[u].start == i) {
			for (int k = 0; k < 23; k++)
				t[m++] = 'x';
			i = urls[u++].end;
			continue;
		}
		t[m++] = cp[i++];
	}
	free(urls);
	/* remote mentions keep their local part only */
	size_t w = 0;
	for (size_t i = 0; i < m;) {
		int32_t prev = w ? t[w - 1] : ' ';
		if (t[i] == '@' && prev != '=' && prev != '/' && !word_char(prev)) {
			size_t j = i + 1, last = 0;
			while (j < m && (user_char(t[j]) || t[j] == '.' || t[j] == '-'))
				if (user_char(t[j++]))
					last = j;
			if (last && user_char(t[i + 1]) && last < m && t[last] == '@') {
				size_t d = last + 1, dlast = 0;
				while (d < m && (word_char(t[d]) || t[d] == '.' || t[d] == '-'))
					if (word_char(t[d++]))
						dlast = d;
				if (dlast >= last + 3) {
					memmove(t + w, t + i, (last - i) * sizeof *t);
					w += last - i;
					i = dlast;
					continue;
				}
			}
		}
		t[w++] = t[i++];
	}
	long c = count_clusters(t, w);
	free(t);
	return c;
}

static long threads_length(const int32_t *cp, size_t n)
{
	unsigned char *brk = cluster_starts(cp, n);
	long total = 0;
	if (!brk)
		return -1;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !brk[j])
			j++;
		if (emoji_cluster(cp, i, j)) {
			for (size_t k = i; k < j; k++)
				total += utf8_len(cp[k]);
		} else {
			total += (long)(j - i);
		}
		i = j;
	}
	free(brk);
	return total;
}

int rp_count_text(int platform, const char *text, struct rp_count *out)
{
	memset(out, 0, sizeof *out);
	out->length = -1;
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)text);
	if (!nfc)
		return -1;
	size_t len = strlen((const char *)nfc), n = 0;
	int32_t *cp = malloc((len + 1) * sizeof *cp);
	if (!cp) {
		free(nfc);
		return -1;
	}
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t w = utf8proc_iterate(nfc + i, (utf8proc_ssize_t)(len - i), &c);
		if (w <= 0) {
			free(cp);
			free(nfc);
			return -1;
		}
		cp[n++] = c;
		i += (size_t)w;
	}
	out->bytes = (long)len;
	free(nfc);
	long length = 0;
	switch (platform) {
	case RP_X:
		length = x_length(cp, n, &out->bad_chars);
		break;
	case RP_MASTODON:
		length = mastodon_length(cp, n);
		break;
	case RP_BLUESKY:
		length = count_clusters(cp, n);
		break;
	case RP_THREADS: {
		struct rp_span *urls = NULL;
		out->links = rp_find_urls(cp, n, 1, &urls);
		free(urls);
		length = out->links < 0 ? -1 : threads_length(cp, n);
		break;
	}
	default:
		for (size_t k = 0; k < n; k++)
			length += cp[k] > 0xFFFF ? 2 : 1;
		break;
	}
	free(cp);
	out->length = length;
	return length < 0 ? -1 : 0;
}

int rp_count_fits(int platform, const struct rp_count *c)
{
	if (c->length < 0 || platform < 0 || platform >= RP_NPLATFORMS)
		return 0;
	if (platform == RP_X && (c->bad_chars || c->length == 0))
		return 0;
	if (platform == RP_BLUESKY && c->bytes > 3000)
		return 0;
	if (platform == RP_THREADS && c->links > 5)
		return 0;
	return c->length <= rp_platforms[platform].limit;
}
