/*
 * HTML fragments as the text a reader sees: what platforms send as
 * "content" (Mastodon statuses, YouTube's textDisplay, Reddit's body_html)
 * becomes plain UTF-8 for an item's text.  libxml2's HTML parser does the
 * parsing and entity decoding, but for the plain markup most platforms
 * send, which a direct reader takes much faster with the same result;
 * this module decides what is visible.
 */
#ifndef KUDOS_ENGINE_HTML_H
#define KUDOS_ENGINE_HTML_H

#include <stddef.h>

/* The visible text of `html` (len bytes): tags removed, entities decoded,
 * runs of white space collapsed as a browser would, <br> as a line break,
 * block elements (p, div, blockquote, headings, lists) separated by a
 * blank line or a line break, script/style dropped, and Mastodon's link
 * parts hidden with class "invisible" dropped (an "ellipsis" part gets the
 * "…" its stylesheet adds).  RETURN VALUE (transfer full) NUL-terminated
 * text, or NULL when out of memory. */
char *kudos_html_to_text(const char *html, size_t len);

/* The two readers behind kudos_html_to_text, for the tests and the fuzz
 * harness that check they agree.  kudos_html_direct reads only the plain
 * markup platforms' sanitisers write (html.c says which) and gives up on
 * anything else.  RETURN VALUE 1 with *text set (transfer full), 0 when
 * it gives up, -1 out of memory (*text is NULL but for 1). */
int kudos_html_direct(const char *html, size_t len, char **text);
/* libxml2's HTML parser on any fragment.  RETURN VALUE (transfer full), or
 * NULL when out of memory or len is over INT32_MAX. */
char *kudos_html_libxml2(const char *html, size_t len);

#endif
