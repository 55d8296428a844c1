/*
 * HTML fragments as the text a reader sees: what platforms send as
 * "content" (Mastodon statuses, YouTube's textDisplay, Reddit's body_html)
 * becomes plain UTF-8 for an item's text.  libxml2's HTML parser does the
 * parsing and entity decoding; this module decides what is visible.
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

#endif
