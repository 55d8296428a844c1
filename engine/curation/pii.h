/*
 * Personal data in a quote: e-mail addresses, phone numbers and street
 * addresses, for the `pii` flag (a testimonial must not publish a
 * customer's contact details).
 *
 * What is found:
 *   email    name@example.com, first.last+tag@mail.example.co.uk, and the
 *            bracketed disguises name (at) example (dot) com / [at] [dot].
 *            Not fediverse handles (@name@mastodon.social).
 *   phone    international (+49 30 1234567, +1 (555) 123-4567, 0044 20 7946
 *            0958), North American ((555) 123-4567, 555-123-4567,
 *            555.123.4567), national numbers with a trunk 0 (0171 1234567,
 *            030/1234567, 06 12 34 56 78, 020 7946 0958), and any other run
 *            of 7 to 15 digits that a phone word stands just before ("call",
 *            "tel", "WhatsApp", "Handy", "téléphone", "llámame"...).
 *   address  a house number with a street word in English (221B Baker
 *            Street, 1600 Pennsylvania Ave), German and Dutch (Hauptstraße
 *            5, Berliner Str. 12a, Kalverstraat 92), French (12 rue de la
 *            Paix), Spanish, Portuguese and Italian (Calle Mayor 5, Rua
 *            Augusta, 123, Via Roma 10), and P.O. boxes.
 * What is not, by design: prices ($1,299.00, 1.299,00 €, 12 EUR), dates
 * (2026-03-14, 14.03.2026, 3/14/2026), times (10:30), version numbers
 * (v2.10.3, version 10.0.19045), IP addresses, percentages, ratings (4/5,
 * 10/10), year ranges (2019-2024), and numbers announced as an order,
 * invoice, tracking, ticket, customer, account, serial or ISBN number
 * ("order #123456789", "Bestellnummer 4711-0815-99").  The rules favour
 * flagging: a curator dismisses a false alarm in a second, while a
 * published phone number cannot be taken back.
 *
 * Pure: no global state; the scratch fold buffer is the caller's.
 */
#ifndef KUDOS_CURATION_PII_H
#define KUDOS_CURATION_PII_H

#include <stddef.h>

#include "fold.h"

enum {
	KUDOS_PII_EMAIL = 1,
	KUDOS_PII_PHONE = 2,
	KUDOS_PII_ADDRESS = 3
};

struct kudos_pii {
	int kind;           /* KUDOS_PII_* */
	size_t start, end;  /* byte span [start, end) in the text */
};

/* Scan `len` bytes of UTF-8 text.  Up to `max` findings are stored in
 * `hits` (may be NULL when max is 0) in text order, without overlaps.
 * RETURN VALUE the number of findings (which may exceed max), or -1 when
 * memory ran out. */
int kudos_pii_scan(const char *text, size_t len, struct kudos_fold *scratch,
                   struct kudos_pii *hits, size_t max);

/* The same on `text` already folded into `f` (kudos_fold(f, text, len)). */
int kudos_pii_scan_folded(const char *text, size_t len, const struct kudos_fold *f,
                          struct kudos_pii *hits, size_t max);

/* "email", "phone", "address" (or "?"). */
const char *kudos_pii_kind_name(int kind);

#endif
