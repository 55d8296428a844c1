/*
 * widget_url.c: links and local paths for the widget file.
 *
 * Contract: widget_url_clean() keeps a link only when its scheme is http
 * or https (matched case-insensitively) and it names a host; it returns
 * the link as a URI a web page can use as-is: bytes outside printable
 * ASCII and the characters RFC 3986 never allows (space " < > \ ^ ` { | })
 * are percent-encoded, as is a '%' that does not start an escape, and
 * '[' ']' after the host.  Anything with ASCII control characters is
 * refused rather than repaired.  The path helpers work on text alone
 * (lexically, never following links) and always return '/'-separated
 * paths.  All results are malloc'd (transfer full).
 */
#include "widget.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int widget_has_scheme(const char *s)
{
	size_t i = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':';
}

static int is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Whether byte c must be written as %XX; `in_authority` relaxes [ ]. */
static int must_escape(unsigned char c, int in_authority)
{
	if (c >= 0x80)
		return 1;
	if (c == '[' || c == ']')
		return !in_authority;
	return strchr(" \"<>\\^`{|}", c) != NULL;
}

char *widget_url_clean(const char *url, const char **why)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start, i, n = strlen(url), extra = 0;
	int authority = 1;
	char *out, *o;

	if (strncasecmp(url, "https://", 8) == 0)
		start = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		start = 7;
	else {
		*why = widget_has_scheme(url) ? "its scheme is not http or https"
		                              : "it is not an absolute http(s) URL";
		return NULL;
	}
	if (url[start] == '\0' || strchr("/?#", url[start]) != NULL) {
		*why = "it names no host";
		return NULL;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c < 0x20 || c == 0x7f) {
			*why = "it holds control characters";
			return NULL;
		}
		if (i >= start && authority && strchr("/?#", c))
			authority = 0;
		if (must_escape(c, i < start || authority) ||
		    (c == '%' && !(is_hex(url[i + 1]) && is_hex(url[i + 2]))))
			extra += 2;
	}
	out = malloc(n + extra + 1);
	if (out == NULL) {
		*why = "out of memory";
		return NULL;
	}
	authority = 1;
	for (o = out, i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (i >= start && authority && strchr("/?#", c))
			authority = 0;
		if (must_escape(c, i < start || authority) ||
		    (c == '%' && !(is_hex(url[i + 1]) && is_hex(url[i + 2])))) {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	return out;
}

char *widget_path_join(const char *base, const char *rel)
{
	size_t bl = rel[0] == '/' ? 0 : strlen(base);
	char *joined = malloc(bl + strlen(rel) + 2), *out, *seg, *save = NULL;
	size_t o = 0;

	if (joined == NULL)
		return NULL;
	memcpy(joined, base, bl);
	joined[bl] = '/';
	strcpy(joined + bl + 1, rel);
	out = malloc(strlen(joined) + 2);
	if (out == NULL) {
		free(joined);
		return NULL;
	}
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the '/' before the dropped segment */
			continue;
		}
		out[o++] = '/';
		strcpy(out + o, seg);
		o += strlen(seg);
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	free(joined);
	return out;
}

char *widget_path_relative(const char *from, const char *to)
{
	size_t fl = strlen(from), common = 0, i, ups = 0, rest;
	char *dir = malloc(fl + 2), *out, *o;

	if (dir == NULL)
		return NULL;
	/* `from` is a folder: compare it with its trailing '/'. */
	memcpy(dir, from, fl + 1);
	if (fl == 0 || dir[fl - 1] != '/')
		strcpy(dir + fl, "/");
	for (i = 0; dir[i] && dir[i] == to[i]; i++)
		if (dir[i] == '/')
			common = i + 1;
	for (i = common; dir[i]; i++)
		if (dir[i] != '/' && (i == common || dir[i - 1] == '/'))
			ups++;
	free(dir);
	rest = strlen(to + common);
	out = malloc(ups * 3 + rest + 2);
	if (out == NULL)
		return NULL;
	for (o = out, i = 0; i < ups; i++, o += 3)
		memcpy(o, "../", 3);
	memcpy(o, to + common, rest + 1);
	if (out[0] == '\0')
		strcpy(out, ".");
	return out;
}
