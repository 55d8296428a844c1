/* Personal data: e-mail addresses, phone numbers and street addresses are
 * found, with their spans; prices, dates, times, versions, ratings and
 * order numbers are not. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "curation/pii.h"
#include "leakcheck.h"

/* Exactly one finding, of `kind`, spanning `what`. */
static void one(const char *text, int kind, const char *what)
{
	struct kudos_fold f;
	struct kudos_pii h[4];
	kudos_fold_init(&f);
	int n = kudos_pii_scan(text, strlen(text), &f, h, 4);
	kudos_fold_release(&f);
	cr_assert_eq(n, 1, "\"%s\": %d findings", text, n);
	cr_assert_str_eq(kudos_pii_kind_name(h[0].kind), kudos_pii_kind_name(kind), "in \"%s\"",
	                 text);
	char *span = strndup(text + h[0].start, h[0].end - h[0].start);
	cr_assert_str_eq(span, what, "in \"%s\"", text);
	free(span);
}

static void none(const char *text)
{
	struct kudos_fold f;
	struct kudos_pii h[4];
	kudos_fold_init(&f);
	int n = kudos_pii_scan(text, strlen(text), &f, h, 4);
	kudos_fold_release(&f);
	cr_assert_eq(n, 0, "\"%s\" is no personal data, found %s \"%.*s\"", text,
	             n > 0 ? kudos_pii_kind_name(h[0].kind) : "",
	             n > 0 ? (int)(h[0].end - h[0].start) : 0, n > 0 ? text + h[0].start : "");
}

Test(pii, email_addresses)
{
	one("Mail me at john.doe+kudos@example.co.uk!", KUDOS_PII_EMAIL,
	    "john.doe+kudos@example.co.uk");
	one("kontakt: Anna_M@post.example.de.", KUDOS_PII_EMAIL, "Anna_M@post.example.de");
	one("write to jane (at) example (dot) com", KUDOS_PII_EMAIL,
	    "jane (at) example (dot) com");
	one("bob[at]mail[dot]example[dot]org thanks", KUDOS_PII_EMAIL,
	    "bob[at]mail[dot]example[dot]org");
	none("follow @acme@mastodon.social for news");
	none("thanks @acme and @bob!");
	none("a@b.c is not an address, nor is info@localhost");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, international_phone_numbers)
{
	one("Call +49 30 1234567 today", KUDOS_PII_PHONE, "+49 30 1234567");
	one("+1 (555) 123-4567", KUDOS_PII_PHONE, "+1 (555) 123-4567");
	one("UK: +44 7911 123456.", KUDOS_PII_PHONE, "+44 7911 123456");
	one("from abroad 0044 20 7946 0958", KUDOS_PII_PHONE, "0044 20 7946 0958");
	one("+33 6 12 34 56 78", KUDOS_PII_PHONE, "+33 6 12 34 56 78");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, national_phone_numbers)
{
	one("ring me: (555) 123-4567", KUDOS_PII_PHONE, "(555) 123-4567");
	one("555-123-4567", KUDOS_PII_PHONE, "555-123-4567");
	one("or 555.123.4567", KUDOS_PII_PHONE, "555.123.4567");
	one("1-800-555-0199 anytime", KUDOS_PII_PHONE, "1-800-555-0199");
	one("Handy 0171 1234567", KUDOS_PII_PHONE, "0171 1234567");
	one("01711234567", KUDOS_PII_PHONE, "01711234567");
	one("030/1234567", KUDOS_PII_PHONE, "030/1234567");
	one("Tel. 030 - 123 45 67", KUDOS_PII_PHONE, "030 - 123 45 67");
	one("06 12 34 56 78", KUDOS_PII_PHONE, "06 12 34 56 78");
	one("06.12.34.56.78", KUDOS_PII_PHONE, "06.12.34.56.78");
	one("020 7946 0958", KUDOS_PII_PHONE, "020 7946 0958");
	one("text me 5551234567", KUDOS_PII_PHONE, "5551234567");
	one("WhatsApp: 612 345 678", KUDOS_PII_PHONE, "612 345 678");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, prices_are_not_phone_numbers)
{
	none("It cost $1,299.00 and now 1.299,00 € at the other shop");
	none("paid 1 299 000 HUF, then 12 345 678,90 EUR");
	none("€ 1.234.567,00");
	none("only 1299 USD");
	none("50% off, 1234567 % more");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, dates_times_versions_and_ratings_are_not_phone_numbers)
{
	none("delivered on 2026-03-14, ordered 14.03.2026 at 10:30, due 3/14/2026");
	none("open 10:30-18:00, 2019-2024 were great years");
	none("firmware v2.10.3, version 10.0.19045.2965, build 2024.03.14");
	none("my router is 192.168.100.200");
	none("rated 4/5 and 10/10, 5 stars, 2 days ago, 1,000,000 followers");
	none("5551234567 followers"); /* a bare number without a phone word */
	KT_ASSERT_NO_LEAKS();
}

Test(pii, order_and_reference_numbers_are_not_phone_numbers)
{
	none("order #123456789 arrived");
	none("Order number 1234-5678-9012");
	none("Bestellnummer 4711-0815-99");
	none("Kundennummer 0123456789");
	none("Tracking: 00340434161234567890");
	none("ISBN 978-3-16-148410-0");
	none("Ticket Nr. 0815 4711 99");
	none("invoice 0123 456789");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, street_addresses)
{
	one("I live at 221B Baker Street, London", KUDOS_PII_ADDRESS, "221B Baker Street");
	one("1600 Pennsylvania Ave NW", KUDOS_PII_ADDRESS, "1600 Pennsylvania Ave");
	one("shop at 350 5th Ave.", KUDOS_PII_ADDRESS, "350 5th Ave");
	one("Hauptstraße 5, Berlin", KUDOS_PII_ADDRESS, "Hauptstraße 5");
	one("wohne in der Berliner Str. 12a", KUDOS_PII_ADDRESS, "Berliner Str. 12a");
	one("Am Birkenweg 3", KUDOS_PII_ADDRESS, "Birkenweg 3");
	one("Kalverstraat 92, Amsterdam", KUDOS_PII_ADDRESS, "Kalverstraat 92");
	one("12 rue de la Paix, Paris", KUDOS_PII_ADDRESS, "12 rue de la Paix");
	one("5, avenue Foch", KUDOS_PII_ADDRESS, "5, avenue Foch");
	one("Calle Mayor 5, Madrid", KUDOS_PII_ADDRESS, "Calle Mayor 5");
	one("Avenida de la Constitución, 12", KUDOS_PII_ADDRESS,
	    "Avenida de la Constitución, 12");
	one("Rua Augusta, 123", KUDOS_PII_ADDRESS, "Rua Augusta, 123");
	one("Via Roma 10", KUDOS_PII_ADDRESS, "Via Roma 10");
	one("P.O. Box 1234", KUDOS_PII_ADDRESS, "P.O. Box 1234");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, numbers_near_street_words_are_not_addresses)
{
	none("Top 10 Street Food spots in town");
	none("Platz 1 in der Liste, Spring 2024");
	none("arrived via Amazon 2 days early");
	none("3 hours, 45 minutes, 2 blocks from the main road");
	none("I walked 5 more blocks down the street");
	none("Route 66 was fun");
	KT_ASSERT_NO_LEAKS();
}

Test(pii, several_findings_in_order)
{
	const char *t = "Anna, anna@example.org, +49 30 1234567, Hauptstraße 5";
	struct kudos_fold f;
	struct kudos_pii h[2];
	kudos_fold_init(&f);
	cr_assert_eq(kudos_pii_scan(t, strlen(t), &f, h, 2), 3); /* counted past max */
	cr_assert_eq(h[0].kind, KUDOS_PII_EMAIL);
	cr_assert_eq(h[1].kind, KUDOS_PII_PHONE);
	cr_assert_eq(kudos_pii_scan(t, strlen(t), &f, NULL, 0), 3);
	cr_assert_eq(kudos_pii_scan("", 0, &f, NULL, 0), 0);
	kudos_fold_release(&f);
	cr_assert_str_eq(kudos_pii_kind_name(KUDOS_PII_ADDRESS), "address");
	KT_ASSERT_NO_LEAKS();
}
