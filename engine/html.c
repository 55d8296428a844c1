#include "html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void put_text(struct out *o, const char *s, size_t n)
{
	const char *end = s + n;
	for (const char *p = s; p < end;) {
		if (is_space(*p)) {
			if (o->len > 0 && !o->pending_breaks)
				o->pending_space = 1;
			p++;
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
		const char *word = p;
		while (p < end && !is_space(*p))
			p++;
		put(o, word, (size_t)(p - word));
	}
}

/* Whether the attribute list (name, value, ..., NULL) has `cls` among
 * its class names. */
static int has_class(const xmlChar **atts, const char *cls)
{
	size_t len = strlen(cls);
	for (size_t i = 0; atts && atts[i]; i += 2) {
		if (strcmp((const char *)atts[i], "class") != 0 || !atts[i + 1])
			continue;
		for (const char *p = (const char *)atts[i + 1]; *p;) {
			while (*p == ' ')
				p++;
			size_t w = strcspn(p, " ");
			if (w == len && strncmp(p, cls, len) == 0)
				return 1;
			p += w;
		}
	}
	return 0;
}

/* Line breaks an element puts around itself: 2 for a paragraph-like
 * block, 1 for a line-like one, 0 for inline elements.  libxml2's HTML
 * parser hands names over in lower case. */
static int block_breaks(const char *name)
{
	static const struct {
		const char *name;
		int breaks;
	} blocks[] = { /* sorted, for bsearch */
		{"article", 2}, {"blockquote", 2}, {"dd", 1},      {"div", 2},    {"dt", 1},
		{"footer", 2},  {"h1", 2},         {"h2", 2},      {"h3", 2},     {"h4", 2},
		{"h5", 2},      {"h6", 2},         {"header", 2},  {"li", 1},     {"ol", 2},
		{"p", 2},       {"pre", 2},        {"section", 2}, {"table", 2},  {"tr", 1},
		{"ul", 2},
	};
	size_t lo = 0, hi = sizeof blocks / sizeof blocks[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, blocks[mid].name);
		if (c == 0)
			return blocks[mid].breaks;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* The parser streams events (SAX) instead of building a tree: a third
 * faster, and what is visible depends only on the open elements. */
#define MAX_DEPTH 256

struct walk {
	struct out o;
	int depth;
	int hidden_from;          /* depth where a hidden element opened, or 0 */
	unsigned char ellipsis[MAX_DEPTH];
};

static void on_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
	struct walk *w = ((htmlParserCtxtPtr)ud)->_private;
	const char *name = (const char *)xname;
	w->depth++;
	if (w->hidden_from)
		return;
	if (!strcmp(name, "script") || !strcmp(name, "style") ||
	    !strcmp(name, "head") || has_class(atts, "invisible")) {
		w->hidden_from = w->depth;
		return;
	}
	if (!strcmp(name, "br")) {
		/* A break is a break even at the start of a line. */
		if (w->o.len > 0)
			w->o.pending_breaks = w->o.pending_breaks ? w->o.pending_breaks + 1 : 1;
		w->o.pending_space = 0;
		return;
	}
	if (w->depth < MAX_DEPTH)
		w->ellipsis[w->depth] = (unsigned char)has_class(atts, "ellipsis");
	owe_breaks(&w->o, block_breaks(name));
}

static void on_end(void *ud, const xmlChar *xname)
{
	struct walk *w = ((htmlParserCtxtPtr)ud)->_private;
	int depth = w->depth--;
	if (w->hidden_from) {
		if (depth == w->hidden_from)
			w->hidden_from = 0;
		return;
	}
	if (depth < MAX_DEPTH && w->ellipsis[depth]) {
		w->ellipsis[depth] = 0;
		put_text(&w->o, "…", strlen("…"));
	}
	owe_breaks(&w->o, block_breaks((const char *)xname));
}

static void on_text(void *ud, const xmlChar *ch, int len)
{
	struct walk *w = ((htmlParserCtxtPtr)ud)->_private;
	if (!w->hidden_from)
		put_text(&w->o, (const char *)ch, (size_t)len);
}

/* One parser per thread, reset between fragments: making a parser (its
 * dictionary, its input stacks) cost about as much as parsing a status.
 * A thread's parser is freed when the thread ends. */
struct parser {
	htmlParserCtxtPtr ctxt;
	htmlSAXHandler sax;
};

static pthread_key_t parser_key;
static pthread_once_t parser_once = PTHREAD_ONCE_INIT;
static int parser_key_ok;

static void parser_free(void *p)
{
	struct parser *ps = p;
	if (ps && ps->ctxt) {
		ps->ctxt->sax = NULL; /* ours, not libxml2's to free */
		htmlFreeParserCtxt(ps->ctxt);
	}
	free(ps);
}

static void parser_key_make(void)
{
	parser_key_ok = pthread_key_create(&parser_key, parser_free) == 0;
}

/* The calling thread's parser, or NULL when out of memory. */
static struct parser *thread_parser(void)
{
	pthread_once(&parser_once, parser_key_make);
	if (!parser_key_ok)
		return NULL;
	struct parser *ps = pthread_getspecific(parser_key);
	if (ps)
		return ps;
	if (!(ps = calloc(1, sizeof *ps)) || !(ps->ctxt = htmlNewParserCtxt()) ||
	    pthread_setspecific(parser_key, ps) != 0) {
		parser_free(ps);
		return NULL;
	}
	ps->sax.startElement = on_start;
	ps->sax.endElement = on_end;
	ps->sax.characters = on_text;
	ps->sax.cdataBlock = on_text;
	ps->sax.initialized = 1;
	xmlFree(ps->ctxt->sax);
	ps->ctxt->sax = &ps->sax;
	return ps;
}

char *kudos_html_to_text(const char *html, size_t len)
{
	struct walk w = {0};
	if (len > (size_t)INT32_MAX)
		return NULL;
	/* Plain text (no tag, no entity) is its own visible text, once its
	 * white space is collapsed: no parser needed. */
	if (!memchr(html, '<', len) && !memchr(html, '&', len)) {
		put_text(&w.o, html, len);
	} else {
		struct parser *ps = thread_parser();
		if (!ps)
			return NULL;
		htmlParserCtxtPtr ctxt = ps->ctxt;
		htmlCtxtReset(ctxt);
		/* The fragment is read where it lies (a static buffer, not a
		 * copy) and declared UTF-8 without a converter: the host only
		 * hands over valid UTF-8, and a memory parser would guess
		 * Latin-1.  Naming "UTF-8" instead would run every byte through
		 * a UTF-8 to UTF-8 conversion: a third of the parse. */
		xmlParserInputBufferPtr buf =
			xmlParserInputBufferCreateStatic(html, (int)len, XML_CHAR_ENCODING_NONE);
		xmlParserInputPtr in = buf ? xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE)
		                           : NULL;
		if (!in) {
			xmlFreeParserInputBuffer(buf);
			free(w.o.buf);
			return NULL;
		}
		inputPush(ctxt, in);
		xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
		/* Without NOIMPLIED the parser puts the fragment in a body, as a
		 * browser does. */
		htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		/* The callbacks find the walk through the context (libxml2
		 * hands them the context as their user data). */
		ctxt->_private = &w;
		htmlParseDocument(ctxt);
		ctxt->_private = NULL;
		if (ctxt->myDoc) {
			xmlFreeDoc(ctxt->myDoc);
			ctxt->myDoc = NULL;
		}
	}
	put(&w.o, "", 0); /* an empty fragment is "" rather than NULL */
	if (w.o.oom) {
		free(w.o.buf);
		return NULL;
	}
	return w.o.buf;
}
