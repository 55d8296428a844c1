#include "html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

struct out {
	char *buf;
	size_t len, cap;
	int oom;
	int pending_space; /* collapsed white space waiting for a next word */
	int pending_breaks; /* line breaks owed before the next text */
};

/* Room for n more bytes and the NUL.  RETURN VALUE 1, or 0 out of memory. */
static int reserve(struct out *o, size_t n)
{
	if (o->oom)
		return 0;
	if (n < o->cap - o->len)
		return 1;
	size_t cap = o->cap ? o->cap * 2 : 256;
	while (cap - o->len <= n)
		cap *= 2;
	char *b = realloc(o->buf, cap);
	if (!b) {
		o->oom = 1;
		return 0;
	}
	o->buf = b;
	o->cap = cap;
	return 1;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (!reserve(o, n))
		return;
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

/* Byte classes, looked up once per byte by the loops over text. */
enum {
	SPACE = 1,     /* white space to collapse */
	TEXT_END = 2,  /* ends a run the direct reader copies as text ... */
	VALUE_END = 4, /* ... or as a quoted attribute value */
	BLANK = 8,     /* white space inside a tag, as libxml2 skips it */
};
static const unsigned char byte_class[256] = {
	/* Control characters other than tab and line ends are not XML
	 * characters (libxml2 drops them); 0xEF may start U+FFFE/U+FFFF. */
	[0x00 ... 0x08] = TEXT_END | VALUE_END,
	['\t'] = SPACE | BLANK, ['\n'] = SPACE | BLANK, ['\v'] = TEXT_END | VALUE_END,
	['\f'] = SPACE | TEXT_END | VALUE_END, ['\r'] = SPACE | BLANK,
	[0x0e ... 0x1f] = TEXT_END | VALUE_END,
	[' '] = SPACE | BLANK,
	['<'] = TEXT_END, ['"'] = VALUE_END, ['&'] = TEXT_END | VALUE_END,
	[0xef] = TEXT_END | VALUE_END,
};

static int is_space(char c)
{
	return byte_class[(unsigned char)c] & SPACE;
}

static void put_text(struct out *o, const char *s, size_t n)
{
	/* What comes out is at most the text, the breaks owed and one space
	 * owed from before: room for that once, instead of a check per word. */
	if (!reserve(o, n + (size_t)o->pending_breaks + 1))
		return;
	char *d = o->buf + o->len;
	const char *end = s + n;
	for (const char *p = s; p < end;) {
		if (is_space(*p)) {
			if (d > o->buf && !o->pending_breaks)
				o->pending_space = 1;
			p++;
			continue;
		}
		if (o->pending_breaks) {
			memset(d, '\n', (size_t)o->pending_breaks);
			d += o->pending_breaks;
			o->pending_breaks = 0;
			o->pending_space = 0;
		} else if (o->pending_space) {
			*d++ = ' ';
			o->pending_space = 0;
		}
		const char *word = p;
		while (p < end && !is_space(*p))
			p++;
		memcpy(d, word, (size_t)(p - word));
		d += p - word;
	}
	o->len = (size_t)(d - o->buf);
	*d = '\0';
}

enum { CLASS_INVISIBLE = 1, CLASS_ELLIPSIS = 2 };

/* The classes this module acts on among a class attribute's names (len
 * bytes, names separated by spaces). */
static unsigned class_bits(const char *v, size_t len)
{
	unsigned bits = 0;
	const char *end = v + len;
	for (const char *p = v; p < end;) {
		while (p < end && *p == ' ')
			p++;
		const char *name = p;
		while (p < end && *p != ' ')
			p++;
		size_t n = (size_t)(p - name);
		if (n == 9 && memcmp(name, "invisible", 9) == 0)
			bits |= CLASS_INVISIBLE;
		else if (n == 8 && memcmp(name, "ellipsis", 8) == 0)
			bits |= CLASS_ELLIPSIS;
	}
	return bits;
}

/* Line breaks an element puts around itself: 2 for a paragraph-like
 * block, 1 for a line-like one, 0 for inline elements.  Names are in
 * lower case (libxml2's HTML parser hands them over so). */
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

/* What is visible depends only on the open elements, so both readers
 * below stream events (start, end, text) into one walk instead of
 * building a tree. */
#define MAX_DEPTH 256

struct walk {
	struct out o;
	int depth;
	int hidden_from;          /* depth where a hidden element opened, or 0 */
	unsigned char ellipsis[MAX_DEPTH];
};

static void walk_start(struct walk *w, const char *name, unsigned classes)
{
	w->depth++;
	if (w->hidden_from)
		return;
	if (!strcmp(name, "script") || !strcmp(name, "style") || !strcmp(name, "head") ||
	    (classes & CLASS_INVISIBLE)) {
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
		w->ellipsis[w->depth] = (classes & CLASS_ELLIPSIS) != 0;
	owe_breaks(&w->o, block_breaks(name));
}

static void walk_end(struct walk *w, const char *name)
{
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
	owe_breaks(&w->o, block_breaks(name));
}

static void walk_text(struct walk *w, const char *s, size_t n)
{
	if (!w->hidden_from)
		put_text(&w->o, s, n);
}

/* The walk's text.  RETURN VALUE (transfer full) "" for an empty
 * fragment, or NULL when out of memory (the walk's buffer is freed). */
static char *walk_result(struct walk *w)
{
	put(&w->o, "", 0);
	if (w->o.oom) {
		free(w->o.buf);
		return NULL;
	}
	return w->o.buf;
}

/* ---- libxml2's HTML parser (SAX) ------------------------------------- */

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	unsigned classes = 0;
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcmp((const char *)atts[i], "class") == 0 && atts[i + 1])
			classes |= class_bits((const char *)atts[i + 1],
			                      strlen((const char *)atts[i + 1]));
	/* The callbacks find the walk through the context (libxml2 hands
	 * them the context as their user data). */
	walk_start(((htmlParserCtxtPtr)ud)->_private, (const char *)name, classes);
}

static void on_end(void *ud, const xmlChar *name)
{
	walk_end(((htmlParserCtxtPtr)ud)->_private, (const char *)name);
}

static void on_text(void *ud, const xmlChar *ch, int len)
{
	walk_text(((htmlParserCtxtPtr)ud)->_private, (const char *)ch, (size_t)len);
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

char *kudos_html_libxml2(const char *html, size_t len)
{
	struct walk w = {0};
	if (len > (size_t)INT32_MAX)
		return NULL;
	struct parser *ps = thread_parser();
	if (!ps)
		return NULL;
	htmlParserCtxtPtr ctxt = ps->ctxt;
	htmlCtxtReset(ctxt);
	/* The fragment is copied: libxml2 reads on to a NUL, and the host's
	 * callers need not end theirs with one.  It is declared UTF-8
	 * without a converter: a memory parser would guess Latin-1, and
	 * naming "UTF-8" instead would run every byte through a UTF-8 to
	 * UTF-8 conversion, a third of the parse. */
	xmlParserInputBufferPtr buf =
		xmlParserInputBufferCreateMem(html, (int)len, XML_CHAR_ENCODING_NONE);
	xmlParserInputPtr in = buf ? xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE) : NULL;
	if (!in) {
		xmlFreeParserInputBuffer(buf);
		return NULL;
	}
	inputPush(ctxt, in);
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	/* Without NOIMPLIED the parser puts the fragment in a body, as a
	 * browser does. */
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ctxt->_private = &w;
	htmlParseDocument(ctxt);
	ctxt->_private = NULL;
	if (ctxt->myDoc) {
		xmlFreeDoc(ctxt->myDoc);
		ctxt->myDoc = NULL;
	}
	return walk_result(&w);
}

/* ---- the markup of platforms' sanitisers, read directly --------------- */

/* Mastodon sends a status as a few tags (p, br, a, span), attributes in
 * double quotes and a handful of character references, and libxml2's
 * parser spent some 25,000 instructions on a 200-byte status, mostly per
 * character: a seventh of a whole collect.  This reader takes only markup
 * where libxml2 neither implies nor auto-closes an element that would
 * change the text -- the tags in direct_tag(), properly nested, <p> only
 * at the top, no <a> inside an <a> -- with valid UTF-8 of characters XML
 * allows; on anything else it gives up and libxml2 reads the fragment.
 * tests/fuzz/fuzz_html.c checks that both give the same text whenever it
 * does not give up. */

#define DIRECT_DEPTH 64

struct direct {
	const char *p, *end;
	struct walk w;
	const char *open[DIRECT_DEPTH];
	int depth, links;
};

static int is_blank(char c)
{
	return byte_class[(unsigned char)c] & BLANK;
}

/* The bytes from p on that libxml2 takes as they are, in text (`end_at`
 * TEXT_END) or in a quoted attribute value (VALUE_END): all but '<' or
 * '"', '&', control characters other than tab and line ends, and
 * U+FFFE/U+FFFF (the input is valid UTF-8). */
static const char *plain_run(const char *p, const char *end, unsigned end_at)
{
	for (; p < end; p++) {
		if (!(byte_class[(unsigned char)*p] & end_at))
			continue;
		if ((unsigned char)*p != 0xef || (end - p >= 3 && (unsigned char)p[1] == 0xbf &&
		                                  (unsigned char)p[2] >= 0xbe))
			break;
	}
	return p;
}

/* The elements read directly: lower-case names whose start tags close or
 * imply nothing when <p> is only ever at the top and <a> not in an <a>. */
static const char *direct_tag(const char *s, size_t n)
{
	static const char *const tags[] = {"a", "b", "br", "em", "i", "p", "span", "strong"};
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (strlen(tags[i]) == n && memcmp(tags[i], s, n) == 0)
			return tags[i];
	return NULL;
}

/* A character reference at d->p ('&'), decoded into out[4].  RETURN VALUE
 * its length in bytes, or 0 when it is not one read directly. */
static size_t direct_reference(struct direct *d, char out[4])
{
	static const struct {
		const char *ref;
		char c;
	} named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
	size_t left = (size_t)(d->end - d->p);
	if (left < 2 || d->p[1] != '#') {
		for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
			size_t n = strlen(named[i].ref);
			if (left >= n && memcmp(d->p, named[i].ref, n) == 0) {
				d->p += n;
				out[0] = named[i].c;
				return 1;
			}
		}
		return 0;
	}
	const char *p = d->p + 2, *end = d->end;
	int hex = p < end && (*p == 'x' || *p == 'X');
	p += hex;
	uint32_t v = 0; /* eight digits at most: no overflow */
	int digits = 0;
	for (; p < end && digits < 8; p++, digits++) {
		int x;
		if (*p >= '0' && *p <= '9')
			x = *p - '0';
		else if (hex && *p >= 'a' && *p <= 'f')
			x = *p - 'a' + 10;
		else if (hex && *p >= 'A' && *p <= 'F')
			x = *p - 'A' + 10;
		else
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)x;
	}
	/* The characters XML allows (libxml2 drops the others). */
	int is_char = v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
	              (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff);
	if (!digits || digits == 8 || p >= end || *p != ';' || !is_char)
		return 0;
	d->p = p + 1;
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)v, (utf8proc_uint8_t *)out);
}

/* A tag at d->p ('<').  RETURN VALUE 1 when read, 0 to give up. */
static int direct_tag_read(struct direct *d)
{
	const char *p = d->p + 1, *end = d->end;
	int closing = p < end && *p == '/';
	p += closing;
	const char *name = p;
	while (p < end && *p >= 'a' && *p <= 'z')
		p++;
	const char *tag = direct_tag(name, (size_t)(p - name));
	if (!tag)
		return 0;
	if (closing) {
		while (p < end && is_blank(*p))
			p++;
		if (p >= end || *p != '>' || d->depth == 0 || d->open[d->depth - 1] != tag)
			return 0;
		d->p = p + 1;
		d->links -= tag[0] == 'a' && !tag[1];
		d->depth--;
		walk_end(&d->w, tag);
		return 1;
	}
	int is_p = tag[0] == 'p' && !tag[1], is_a = tag[0] == 'a' && !tag[1];
	if ((is_p && d->depth > 0) || (is_a && d->links > 0) || d->depth == DIRECT_DEPTH)
		return 0;
	/* Attributes: blank, [a-z-]+="value"; only a single class counts. */
	unsigned classes = 0;
	int seen_class = 0;
	while (p < end && is_blank(*p)) {
		while (p < end && is_blank(*p))
			p++;
		const char *att = p;
		if (p < end && *p >= 'a' && *p <= 'z')
			while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '-'))
				p++;
		if (p == att)
			break;
		if (p - att > 32)
			return 0; /* libxml2 cuts long names */
		int is_class = p - att == 5 && memcmp(att, "class", 5) == 0;
		if (end - p < 2 || p[0] != '=' || p[1] != '"' || (is_class && seen_class++))
			return 0;
		const char *value = p + 2;
		/* libxml2 decodes references in values, which only the
		 * class's would change. */
		p = value;
		while ((p = plain_run(p, end, VALUE_END)) < end && *p == '&' && !is_class)
			p++;
		if (p >= end || *p != '"')
			return 0;
		if (is_class)
			classes = class_bits(value, (size_t)(p - value));
		p++;
	}
	int empty = end - p >= 2 && p[0] == '/' && p[1] == '>';
	if (!empty && (p >= end || *p != '>'))
		return 0;
	d->p = p + (empty ? 2 : 1);
	walk_start(&d->w, tag, classes);
	if (empty || (tag[0] == 'b' && tag[1] == 'r')) {
		walk_end(&d->w, tag);
		return 1;
	}
	d->open[d->depth++] = tag;
	d->links += is_a;
	return 1;
}

int kudos_html_direct(const char *html, size_t len, char **text)
{
	struct direct d = {.p = html, .end = html + len};
	*text = NULL;
	/* libxml2 skips a byte-order mark at the start. */
	if (!kudos_utf8_valid(html, len) || (len >= 3 && memcmp(html, "\xef\xbb\xbf", 3) == 0))
		return 0;
	while (d.p < d.end) {
		const char *run = d.p;
		d.p = plain_run(d.p, d.end, TEXT_END);
		if (d.p > run)
			walk_text(&d.w, run, (size_t)(d.p - run));
		if (d.p >= d.end)
			break;
		if (*d.p == '<') {
			if (!direct_tag_read(&d))
				goto give_up;
		} else if (*d.p == '&') {
			char ch[4];
			size_t n = direct_reference(&d, ch);
			if (!n)
				goto give_up;
			walk_text(&d.w, ch, n);
		} else {
			goto give_up;
		}
	}
	if (d.depth)
		goto give_up;
	*text = walk_result(&d.w);
	return *text ? 1 : -1;
give_up:
	free(d.w.o.buf);
	return 0;
}

char *kudos_html_to_text(const char *html, size_t len)
{
	if (len > (size_t)INT32_MAX)
		return NULL;
	/* Plain text (no tag, no reference) is its own visible text once its
	 * white space is collapsed. */
	if (!memchr(html, '<', len) && !memchr(html, '&', len)) {
		struct walk w = {0};
		put_text(&w.o, html, len);
		return walk_result(&w);
	}
	char *text;
	return kudos_html_direct(html, len, &text) ? text : kudos_html_libxml2(html, len);
}
