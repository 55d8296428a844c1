/*
 * libFuzzer harness for engine/html.c's two readers.  The direct reader
 * takes only the plain markup of platforms' sanitisers and must give, for
 * every fragment it does not give up on, the very text libxml2's parser
 * gives: a difference is a crash with both texts printed.  Inputs that are
 * not valid UTF-8 must be given up on (the host hands over UTF-8, and
 * libxml2 then guesses an encoding).
 *
 * Raw bytes rarely make markup the direct reader accepts, so an input
 * whose first byte is odd is read as a recipe instead: each later byte
 * picks a tag to open or close, a word, a reference or a raw byte, which
 * builds mostly well-formed fragments for the two readers to agree on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "text.h"

static const char *const opens[][2] = {
	{"<p>", "</p>"},        {"<p dir=\"auto\">", "</p>"},
	{"<span>", "</span>"},  {"<span class=\"invisible\">", "</span>"},
	{"<span class=\"ellipsis\">", "</span>"},
	{"<span class=\"h-card\" translate=\"no\">", "</span >"},
	{"<a href=\"https://e.example/?a=1&amp;b=2\" class=\"u-url mention\">", "</a>"},
	{"<a href=\"x\" rel=\"nofollow noopener\" target=\"_blank\">", "</a>"},
	{"<b>", "</b>"},        {"<i>", "</i>"},
	{"<em>", "</em>"},      {"<strong>", "</strong>"},
	{"<span\tclass=\"ellipsis invisible\"\n>", "</span>"},
	{"<div>", "</div>"},    {"<p class=\"a\" class=\"invisible\">", "</p>"},
};
static const char *const bits[] = {
	"word", " ", "  ", "\t", "\n", "\r\n", "caf\xc3\xa9", "\xf0\x9f\x98\x80", "e\xcc\x81",
	"\xef\xbb\xbf", "\xef\xbf\xbd", "\xef\xbf\xbe", "\x0c", "\x01", ">", "\"", "'",
	"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&#X1F600;", "&#233;", "&#0;",
	"&#xD800;", "&#1114112;", "&#9;", "&#12;", "&#128;", "&nbsp;", "&apos;", "&amp",
	"&#39", "&", "<br>", "<br />", "<br/>", "<span/>", "<p/>", "</br>", "<!-- c -->",
	"< p>", "<P>", "<script>x</script>", "\xc2\x85", "\xe2\x80\xa8",
};

static size_t recipe(const uint8_t *data, size_t size, char *out, size_t cap)
{
	size_t n = 0, depth = 0, stack[16];
#define ADD(s)                                    \
	do {                                      \
		const char *s_ = (s);             \
		size_t l_ = strlen(s_);           \
		if (n + l_ < cap) {               \
			memcpy(out + n, s_, l_);  \
			n += l_;                  \
		}                                 \
	} while (0)
	for (size_t i = 0; i < size; i++) {
		uint8_t b = data[i];
		switch (b & 3) {
		case 0:
			if (depth < 16) {
				stack[depth] = (b >> 2) % (sizeof opens / sizeof opens[0]);
				ADD(opens[stack[depth]][0]);
				depth++;
			}
			break;
		case 1:
			if (depth)
				ADD(opens[stack[--depth]][1]);
			break;
		case 2:
			ADD(bits[(b >> 2) % (sizeof bits / sizeof bits[0])]);
			break;
		default:
			if (i + 1 < size && n + 1 < cap)
				out[n++] = (char)data[++i];
		}
	}
	while (depth)
		ADD(opens[stack[--depth]][1]);
#undef ADD
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char built[8192];
	const char *html = (const char *)data;
	if (size && (data[0] & 1)) {
		size = recipe(data + 1, size - 1, built, sizeof built);
		html = built;
	}
	char *direct = NULL;
	int rc = kudos_html_direct(html, size, &direct);
	if (!kudos_utf8_valid(html, size)) {
		if (rc != 0)
			abort();
		return 0;
	}
	if (rc == 1) {
		char *slow = kudos_html_libxml2(html, size);
		if (!slow)
			abort();
		if (strcmp(direct, slow) != 0) {
			fprintf(stderr, "fuzz_html: the readers differ on [%.*s]\n  direct:  [%s]\n"
			        "  libxml2: [%s]\n", (int)size, html, direct, slow);
			abort();
		}
		free(slow);
	}
	free(direct);
	return 0;
}
