#include "html.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct out {
	char *buf;
	size_t len, cap;
	int oom;
	int pending_space; /* collapsed white space waiting for a next word */
	int pending_breaks; /* line breaks owed before the next text */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->oom = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Owe `n` line breaks (the larger of what is owed wins), unless nothing
 * has been written yet: text never starts with a break. */
static void owe_breaks(struct out *o, int n)
{
	if (n == 0)
		return; /* inline elements keep the space before them */
	if (o->len > 0 && n > o->pending_breaks)
		o->pending_breaks = n;
	o->pending_space = 0;
}

static void put_text(struct out *o, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
			if (o->len > 0 && !o->pending_breaks)
				o->pending_space = 1;
			continue;
		}
		if (o->pending_breaks) {
			while (o->pending_breaks > 0) {
				put(o, "\n", 1);
				o->pending_breaks--;
			}
			o->pending_space = 0;
		} else if (o->pending_space) {
			put(o, " ", 1);
			o->pending_space = 0;
		}
		put(o, p, 1);
	}
}

static int has_class(xmlNode *n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	int found = 0;
	if (v) {
		size_t len = strlen(cls);
		for (const char *p = (const char *)v; *p && !found;) {
			while (*p == ' ')
				p++;
			size_t w = strcspn(p, " ");
			found = w == len && strncmp(p, cls, len) == 0;
			p += w;
		}
		xmlFree(v);
	}
	return found;
}

/* Line breaks an element puts around itself: 2 for a paragraph-like
 * block, 1 for a line-like one, 0 for inline elements. */
static int block_breaks(const char *name)
{
	static const char *const para[] = {"p", "div", "blockquote", "pre", "ul", "ol",
	                                    "table", "h1", "h2", "h3", "h4", "h5", "h6",
	                                    "section", "article", "header", "footer", NULL};
	static const char *const line[] = {"li", "tr", "dt", "dd", NULL};
	for (size_t i = 0; para[i]; i++)
		if (strcasecmp(name, para[i]) == 0)
			return 2;
	for (size_t i = 0; line[i]; i++)
		if (strcasecmp(name, line[i]) == 0)
			return 1;
	return 0;
}

static void walk(struct out *o, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			put_text(o, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (!strcasecmp(name, "script") || !strcasecmp(name, "style") ||
		    !strcasecmp(name, "head") || has_class(n, "invisible"))
			continue;
		if (!strcasecmp(name, "br")) {
			/* A break is a break even at the start of a line. */
			if (o->len > 0)
				o->pending_breaks = o->pending_breaks ? o->pending_breaks + 1 : 1;
			o->pending_space = 0;
			continue;
		}
		int breaks = block_breaks(name);
		owe_breaks(o, breaks);
		walk(o, n->children);
		if (has_class(n, "ellipsis"))
			put_text(o, "…");
		owe_breaks(o, breaks);
	}
}

char *kudos_html_to_text(const char *html, size_t len)
{
	struct out o = {0};
	if (len > (size_t)INT32_MAX)
		return NULL;
	/* Without NOIMPLIED: the parser then puts the fragment in a body, as
	 * a browser does; with it, "<b>x</b> y" became "<b>x<p> y</p></b>". */
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                                HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                        HTML_PARSE_NONET);
	if (doc)
		walk(&o, doc->children);
	xmlFreeDoc(doc);
	put(&o, "", 0); /* an empty fragment is "" rather than NULL */
	if (o.oom) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
