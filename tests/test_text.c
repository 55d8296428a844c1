/* Text services the host offers plugins: HTML to text, time parsing in
 * every form platforms send, and wall-clock time in named zones. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "leakcheck.h"
#include "text.h"
#include "zone.h"

static void html_is(const char *html, const char *want)
{
	char *got = kudos_html_to_text(html, strlen(html));
	cr_assert(got);
	/* Criterion drops blank lines from messages: show breaks as \n. */
	cr_assert_str_eq(got, want, "html: %s", html);
	free(got);
	KT_ASSERT_NO_LEAKS();
}

Test(html, mastodon_paragraphs_mentions_and_breaks)
{
	html_is("<p>Hello <span class=\"h-card\"><a href=\"https://m.example/@bob\" "
	        "class=\"u-url mention\">@<span>bob</span></a></span> world</p>"
	        "<p>Second &amp; last<br />line</p>",
	        "Hello @bob world\n\nSecond & last\nline");
}

Test(html, mastodon_hidden_link_parts_are_dropped)
{
	html_is("<p>See <a href=\"https://example.com/a/long/path\" rel=\"nofollow\">"
	        "<span class=\"invisible\">https://</span><span class=\"ellipsis\">"
	        "example.com/a/lo</span><span class=\"invisible\">ng/path</span></a> now</p>",
	        "See example.com/a/lo… now");
}

Test(html, entities_decode_and_white_space_collapses)
{
	html_is("  Caf&eacute;\n\n &lt;3 &#x1F600;  &quot;great&quot;  ", "Café <3 😀 \"great\"");
}

Test(html, upper_case_tags_and_attributes_count_as_lower_case)
{
	html_is("<P>One<BR>two</P><DIV>three</DIV><SPAN CLASS=\"invisible\">gone</SPAN>"
	        "<SCRIPT>x()</SCRIPT>four",
	        "One\ntwo\n\nthree\n\nfour");
}

Test(html, utf8_text_is_read_as_utf8)
{
	html_is("<p>Caf\xc3\xa9 \xe2\x80\x94 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
	        "\xf0\x9f\x98\x80</p><p>\xe6\x97\xa5\xe6\x9c\xac</p>",
	        "Caf\xc3\xa9 \xe2\x80\x94 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
	        "\xf0\x9f\x98\x80\n\n\xe6\x97\xa5\xe6\x9c\xac");
}

Test(html, youtube_breaks_and_formatting)
{
	html_is("Loved it!<br><br><b>Best</b> <i>grinder</i> ever", "Loved it!\n\nBest grinder ever");
}

Test(html, a_fragment_that_starts_inline_stays_one_paragraph)
{
	html_is("<b>x</b> y", "x y");
	html_is("<strong>May we quote you</strong> on our website?", "May we quote you on our website?");
}

Test(html, lists_scripts_and_plain_text)
{
	html_is("<ul><li>one</li><li>two</li></ul><script>alert(1)</script>after",
	        "one\ntwo\n\nafter");
	html_is("no markup at all", "no markup at all");
	html_is("", "");
}

Test(html, no_tag_survives)
{
	char *got = kudos_html_to_text("<p onclick=\"x()\">a<img src=x onerror=alert(1)>b"
	                               "<svg><circle/></svg></p>", 70);
	cr_assert(got);
	cr_assert_null(strchr(got, '<'), "%s", got);
	cr_assert_str_eq(got, "ab");
	free(got);
}

/* The direct reader must take what Mastodon sends and give libxml2's
 * text; tests/fuzz/fuzz_html.c checks the agreement on generated markup. */
static void direct_is(const char *html, const char *want)
{
	char *direct = NULL, *slow = kudos_html_libxml2(html, strlen(html));
	cr_assert_eq(kudos_html_direct(html, strlen(html), &direct), 1, "gave up on: %s", html);
	cr_assert(slow);
	cr_assert_str_eq(direct, want, "html: %s", html);
	cr_assert_str_eq(slow, want, "libxml2 on: %s", html);
	free(direct);
	free(slow);
	KT_ASSERT_NO_LEAKS();
}

Test(html, the_direct_reader_takes_mastodon_markup_and_agrees_with_libxml2)
{
	direct_is("<p>Hello <span class=\"h-card\" translate=\"no\"><a href=\"https://m.example/@bob\" "
	          "class=\"u-url mention\">@<span>bob</span></a></span> world</p>"
	          "<p>Second &amp; last<br />line<br>and<br/>more</p>",
	          "Hello @bob world\n\nSecond & last\nline\nand\nmore");
	direct_is("<p>See <a href=\"https://example.com/a/long/path?x=1&amp;y=2\" target=\"_blank\" "
	          "rel=\"nofollow noopener noreferrer\"><span class=\"invisible\">https://</span>"
	          "<span class=\"ellipsis\">example.com/a/lo</span><span class=\"invisible\">"
	          "ng/path</span></a> now</p>",
	          "See example.com/a/lo… now");
	direct_is("<p>&lt;3 &#39;yes&#39; &quot;q&quot; &#x1F600; caf&#233;</p>",
	          "<3 'yes' \"q\" \xf0\x9f\x98\x80 caf\xc3\xa9");
	direct_is("Loved it!<br><br><b>Best</b> <i>grinder</i> <em>ever</em> <strong>!</strong>",
	          "Loved it!\n\nBest grinder ever !");
	direct_is("lead <span>in</span><p>para</p>tail", "lead in\n\npara\n\ntail");
}

Test(html, the_direct_reader_gives_libxml2_what_it_does_not_know)
{
	static const char *const beyond[] = {
		"<P>upper</P>",            "<div>block</div>",
		"<p>a<p>b</p></p>",        "<a href=\"x\"><a href=\"y\">nested</a></a>",
		"<p>unclosed",             "<span>a</p>",
		"&eacute; &nbsp;",         "&#0; &#xD800;",
		"<p class='x'>single</p>", "<p class=\"a\" class=\"b\">two classes</p>",
		"\xef\xbb\xbf<p>bom</p>",  "<p>\x0c form feed</p>",
		"<p>\xff bad utf-8</p>",   "<!-- c --><p>x</p>",
		"<span class=\"&#105;nvisible\">x</span>",
		"&#xdddddddd; &#99999999;",
	};
	for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++) {
		char *direct = NULL, *text = kudos_html_to_text(beyond[i], strlen(beyond[i]));
		char *slow = kudos_html_libxml2(beyond[i], strlen(beyond[i]));
		cr_assert_eq(kudos_html_direct(beyond[i], strlen(beyond[i]), &direct), 0, "took: %s",
		             beyond[i]);
		cr_assert_null(direct);
		cr_assert(text && slow);
		cr_assert_str_eq(text, slow, "html: %s", beyond[i]);
		free(text);
		free(slow);
	}
	KT_ASSERT_NO_LEAKS();
}

Test(html, a_fragment_is_read_to_its_length_without_a_nul)
{
	/* libxml2 reads on to a NUL: the fragment is handed over a copy. */
	const char *buf = "<div>abc</div>xyz<p>more</p>";
	char *got = kudos_html_to_text(buf, strlen("<div>abc</div>"));
	cr_assert(got);
	cr_assert_str_eq(got, "abc");
	free(got);
}

static int64_t parsed(const char *s, const char *zone)
{
	int64_t t = -1;
	cr_assert_eq(kudos_time_parse_zone(s, zone, &t), 0, "could not parse %s", s);
	return t;
}

Test(time, every_form_platforms_send)
{
	int64_t want = 1691856637; /* 2023-08-12T16:10:37Z */
	cr_assert_eq(parsed("2023-08-12T16:10:37Z", NULL), want);
	cr_assert_eq(parsed("2023-08-12T16:10:37.000Z", NULL), want);
	cr_assert_eq(parsed("2023-08-12T16:10:37+0000", NULL), want);
	cr_assert_eq(parsed("2023-08-12T18:10:37+02:00", NULL), want);
	cr_assert_eq(parsed("2023-08-12T12:10:37-0400", NULL), want);
	cr_assert_eq(parsed("Sat Aug 12 16:10:37 +0000 2023", NULL), want);
	cr_assert_eq(parsed("Sat, 12 Aug 2023 16:10:37 +0000", NULL), want);
	cr_assert_eq(parsed("Sat, 12 Aug 2023 16:10:37 GMT", NULL), want);
	cr_assert_eq(parsed("2023-08-12 16:10:37", NULL), want);
	cr_assert_eq(parsed("2023-08-12", NULL), 1691798400);
}

Test(time, refusals)
{
	int64_t t;
	cr_assert_neq(kudos_time_parse("2023-02-31", &t), 0);
	cr_assert_neq(kudos_time_parse("1969-12-31T23:00:00Z", &t), 0);
	cr_assert_neq(kudos_time_parse("12/08/2023", &t), 0);
	cr_assert_neq(kudos_time_parse("2023-08-12T16:10:37Zjunk", &t), 0);
	cr_assert_neq(kudos_time_parse("Sat Aug 12 16:10:37 +0000", &t), 0);
	cr_assert_neq(kudos_time_parse("", &t), 0);
}

Test(time, zone_less_times_read_in_the_given_zone)
{
	/* Berlin is UTC+2 in August. */
	cr_assert_eq(parsed("2023-08-12 18:10:37", "Europe/Berlin"), 1691856637);
	/* An explicit offset wins over the zone. */
	cr_assert_eq(parsed("2023-08-12T16:10:37Z", "Europe/Berlin"), 1691856637);
	int64_t t;
	cr_assert_neq(kudos_time_parse_zone("2023-08-12 18:10", "Mars/Olympus", &t), 0);
}

static struct kudos_civil_time civil(int y, int mo, int d, int h, int mi)
{
	return (struct kudos_civil_time){sizeof(struct kudos_civil_time), y, mo, d, h, mi, 0, 0};
}

Test(zone, berlin_spring_gap_moves_to_the_first_valid_minute)
{
	struct kudos_civil_time c = civil(2026, 3, 29, 2, 30);
	int64_t t;
	int shifted = 0;
	cr_assert_eq(kudos_zone_to_utc("Europe/Berlin", &c, &t, &shifted), 0);
	cr_assert_eq(shifted, 1);
	cr_assert_eq(t, 1774746000); /* 2026-03-29T01:00:00Z = 03:00 CEST */
	c = civil(2026, 3, 29, 3, 30);
	cr_assert_eq(kudos_zone_to_utc("Europe/Berlin", &c, &t, &shifted), 0);
	cr_assert_eq(shifted, 0);
	cr_assert_eq(t, 1774747800);
}

Test(zone, berlin_autumn_repeated_hour_takes_the_first)
{
	struct kudos_civil_time c = civil(2026, 10, 25, 2, 30);
	int64_t t;
	int shifted = 1;
	cr_assert_eq(kudos_zone_to_utc("Europe/Berlin", &c, &t, &shifted), 0);
	cr_assert_eq(shifted, 0);
	cr_assert_eq(t, 1792888200); /* 2026-10-25T00:30:00Z, still CEST */
}

Test(zone, new_york_gap_and_round_trip)
{
	struct kudos_civil_time c = civil(2026, 3, 8, 2, 15), back = civil(0, 0, 0, 0, 0);
	int64_t t;
	int shifted;
	cr_assert_eq(kudos_zone_to_utc("America/New_York", &c, &t, &shifted), 0);
	cr_assert_eq(shifted, 1);
	cr_assert_eq(kudos_zone_from_utc("America/New_York", t, &back), 0);
	cr_assert_eq(back.hour, 3);
	cr_assert_eq(back.minute, 0);
	cr_assert_eq(back.utc_offset, -4 * 3600);
}

Test(zone, from_utc_and_bad_names)
{
	struct kudos_civil_time c = civil(0, 0, 0, 0, 0);
	cr_assert_eq(kudos_zone_from_utc("Europe/Berlin", 1782907200, &c), 0); /* 2026-07-01T12Z */
	cr_assert_eq(c.hour, 14);
	cr_assert_eq(c.utc_offset, 7200);
	cr_assert_eq(kudos_zone_from_utc("../../etc/passwd", 0, &c), -1);
	cr_assert_eq(kudos_zone_from_utc("Not/AZone", 0, &c), -1);
	cr_assert(kudos_zone_valid("UTC"));
	/* The process's own TZ is left as it was. */
	setenv("TZ", "Asia/Tokyo", 1);
	kudos_zone_from_utc("Europe/Berlin", 0, &c);
	cr_assert_str_eq(getenv("TZ"), "Asia/Tokyo");
}

Test(html, text_stays_utf8)
{
	html_is("<p>Tea 🫖 and café, Grüße, 日本語</p>", "Tea 🫖 and café, Grüße, 日本語");
	html_is("<p>ça &amp; 🫖</p>", "ça & 🫖");
}

Test(html, void_elements_keep_the_nesting_straight)
{
	html_is("<p>a<br>b<span class=\"ellipsis\">c</span></p>", "a\nbc…");
	html_is("<span class=\"invisible\">x<br>y<img src=q></span>z <i>w</i>", "z w");
	html_is("plain text,   no markup\n at all", "plain text, no markup at all");
}

/* The item builder's check: one pass tells ASCII, NFC and invalid text
 * apart; kudos_utf8_nfc composes what needs it. */
Test(nfc, keeps_nfc_text_and_composes_the_rest)
{
	static const struct { const char *in, *want; int status; } cases[] = {
		{"", "", 0},
		{"plain ASCII, longer than one eight-byte word",
		 "plain ASCII, longer than one eight-byte word", 0},
		{"Caf\xC3\xA9 cr\xC3\xA8me", "Caf\xC3\xA9 cr\xC3\xA8me", 0}, /* NFC already */
		{"emoji \xF0\x9F\x98\x80 stays", "emoji \xF0\x9F\x98\x80 stays", 1}, /* may */
		{"Cafe\xCC\x81 and more", "Caf\xC3\xA9 and more", 1},          /* e + U+0301 */
		{"12345678Cafe\xCC\x81", "12345678Caf\xC3\xA9", 1},            /* after a word */
		{"\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C", 1},   /* jamo */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = 12345;
		cr_assert_eq(kudos_utf8_nfc_check(cases[i].in, &len), cases[i].status, "case %zu", i);
		cr_assert_eq(len, strlen(cases[i].in), "case %zu", i);
		char *out = kudos_utf8_nfc(cases[i].in);
		cr_assert_str_eq(out, cases[i].want, "case %zu", i);
		free(out);
	}
	KT_ASSERT_NO_LEAKS();
}

Test(nfc, refuses_invalid_utf8_wherever_it_is)
{
	static const char *const bad[] = {
		"\xFF", "abcdefgh\xC3", "abcdefghijklmnop\xC3(", "Caf\xC3\xA9 \xED\xA0\x80 surrogate",
		"overlong \xC0\xAF", "Cafe\xCC\x81 then \xFE",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len;
		cr_assert_eq(kudos_utf8_nfc_check(bad[i], &len), -1, "case %zu", i);
		cr_assert_null(kudos_utf8_nfc(bad[i]), "case %zu", i);
	}
	KT_ASSERT_NO_LEAKS();
}
