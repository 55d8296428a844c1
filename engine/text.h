/*
 * Text utilities shared by the engine: UTF-8 checks and NFC normalisation
 * (utf8proc), SHA-256 digests (libsodium), and RFC 3339 times.
 */
#ifndef KUDOS_ENGINE_TEXT_H
#define KUDOS_ENGINE_TEXT_H

#include <stddef.h>
#include <sodium.h>
#include <stdint.h>

/* RETURN VALUE 1 if `s` (len bytes) is valid UTF-8 without NUL bytes;
 * else 0 with *bad (may be NULL) at the first offending byte. */
int kudos_utf8_check(const char *s, size_t len, size_t *bad);
#define kudos_utf8_valid(s, len) kudos_utf8_check((s), (len), NULL)

/* `s` in Unicode NFC.  RETURN VALUE (transfer full), or NULL when `s` is
 * not valid UTF-8 or memory ran out. */
char *kudos_utf8_nfc(const char *s);

/* Whether `s` can be kept as it is, in one pass over ASCII text (most
 * item fields).  *len is set to its length.  RETURN VALUE 0: valid UTF-8
 * and NFC; 1: valid, with code points from U+0300 up, which
 * kudos_utf8_nfc may compose or reorder; -1: not valid UTF-8. */
int kudos_utf8_nfc_check(const char *s, size_t *len);

/* `len` bytes as lower-case hex and a NUL into `hex` (2 * len + 1
 * bytes): what sodium_bin2hex writes, without its constant-time care,
 * which nothing kudos hashes needs and which cost 800 instructions a
 * digest. */
void kudos_hex(const unsigned char *bytes, size_t len, char *hex);

/* Hex SHA-256 of `len` bytes; `hex` must hold 65 bytes. */
void kudos_sha256_hex(const void *data, size_t len, char hex[65]);

/* Incremental hashing over a sequence of fields, each ended by a unit
 * separator so that ("ab","c") and ("a","bc") differ; NULL fields hash as
 * distinct from "".  SHA-256 where others must be able to check the
 * result (the audit chain); BLAKE2b-256, several times faster here, where
 * kudos only compares its own hashes (an item's content). */
enum kudos_hash_kind { KUDOS_HASH_SHA256, KUDOS_HASH_BLAKE2B };
struct kudos_hasher {
	enum kudos_hash_kind kind;
	union {
		crypto_hash_sha256_state sha256;
		crypto_generichash_state blake2b;
	} st;
	/* Fields are short: gathered here, they reach the hash in a few
	 * calls instead of two per field (each call costs as much as a
	 * hundred bytes hashed).  The digest is the same either way. */
	size_t n;
	unsigned char buf[1024];
};
void kudos_hasher_init(struct kudos_hasher *h, enum kudos_hash_kind kind);
void kudos_hasher_field(struct kudos_hasher *h, const char *s);
void kudos_hasher_end(struct kudos_hasher *h, char hex[65]);

/* `n` in decimal, as "%llu" prints it.  RETURN VALUE buf. */
#define KUDOS_DECIMAL_SIZE 21
char *kudos_decimal(unsigned long long n, char buf[KUDOS_DECIMAL_SIZE]);

/* "2026-03-01T09:30:00Z".  `buf` holds at least 21 bytes. */
void kudos_time_format(int64_t utc, char buf[21]);

/* Parse "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]"
 * with "Z", "+HH:MM", "+HHMM" or nothing (UTC); impossible dates and times
 * before 1970 are refused.  RETURN VALUE 0 and *utc, or -1. */
int kudos_time_parse(const char *s, int64_t *utc);
/* The same, with a time that carries no offset read as wall-clock time in
 * `zone` (NULL: UTC).  Also reads X's "Sat Aug 12 16:10:37 +0000 2023" and
 * RFC 2822 "Sat, 12 Aug 2023 16:10:37 +0000". */
int kudos_time_parse_zone(const char *s, const char *zone, int64_t *utc);

/* Case-insensitive ASCII comparison, for keywords. */
int kudos_streq_ci(const char *a, const char *b);

/* A copy of `s` (transfer full), or NULL for NULL; a copy that cannot be
 * made sets *oom (which is otherwise left alone), so that several copies
 * can be made before one check. */
char *kudos_strdup_opt(const char *s, int *oom);

#endif
