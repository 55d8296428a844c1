/*
 * A streaming RFC 4180 reader: one record in memory at a time.
 *
 * Accepted input:
 *   - fields separated by ',', records ended by CR LF, LF or a lone CR
 *     (old Excel for Mac), the last record with or without a line break;
 *   - quoted fields ("..."), with "" for a quote and line breaks inside;
 *     a line break inside a quoted field is returned as a single LF
 *     whatever it was written as (CR LF, LF, CR);
 *   - spaces or tabs between a closing quote and the next separator;
 *   - a stray quote inside an unquoted field (a"b) is kept as written;
 *   - a UTF-8 byte order mark at the very start is skipped;
 *   - empty lines between records are skipped.
 * Refused input: a quoted field that never ends, text after a closing
 * quote (a"b"c or "a"b: an unescaped quote), a record longer than
 * CSV_MAX_RECORD, and, when the caller gives a text check
 * (csv_set_check()), a record whose bytes the check refuses.
 *
 * The reader does not decode text.  It keeps the raw bytes of the current
 * record beside its fields and hands them to the check once the record is
 * complete (or has failed: a refused byte before the failure point is
 * reported first, as a reader that checked byte by byte would).  Every
 * character with a meaning in CSV is ASCII and no ASCII byte can be part
 * of a multi-byte UTF-8 sequence, so checking the raw bytes is the same as
 * checking every field, and it gives the exact line and file offset of the
 * first refused byte.  Without a check, bytes pass through unexamined.
 *
 * Line numbers are physical lines of the file, counted from 1, every
 * CR LF, LF or lone CR ending one line (quoted line breaks included).
 */
#ifndef KUDOS_SOURCE_CSV_PARSE_H
#define KUDOS_SOURCE_CSV_PARSE_H

#include <stddef.h>
#include <stdio.h>

/* The largest record kept in memory, in bytes. */
#define CSV_MAX_RECORD ((size_t)16 << 20)

enum csv_status {
	CSV_RECORD = 1,    /* a record was read */
	CSV_EOF = 0,       /* no more records */
	CSV_ERR_IO = -1,   /* reading failed; errno is kept in err_errno */
	CSV_ERR_NOMEM = -2,
	CSV_ERR_UTF8 = -3, /* err_line, err_offset: the first refused byte */
	CSV_ERR_NUL = -4,  /* the same, when that byte is a NUL */
	CSV_ERR_QUOTE = -5, /* err_line: where the unterminated field began */
	CSV_ERR_STRAY = -6, /* err_line, err_offset: text after a closing quote */
	CSV_ERR_LONG = -7  /* err_line: where the long record began */
};

/* A text check with the signature of the host's utf8_check: RETURN VALUE
 * 1 if s[0..len) is acceptable, else 0 with *bad set to the offset of the
 * first byte that is not. */
typedef int (*csv_check_fn)(const char *s, size_t len, size_t *bad);

struct csv_reader {
	FILE *fp;

	/* Input buffer. */
	unsigned char in[1 << 16];
	size_t in_pos, in_len;
	int in_eof;

	long line;   /* the physical line of the next byte, from 1 */
	long offset; /* the file offset of the next byte, from 0 */

	/* The text check (csv_set_check()), or NULL. */
	csv_check_fn check;

	/* The current record's bytes as read, from its first byte on; raw[0]
	 * is at file offset raw_offset, on line record_line. */
	char *raw;
	size_t raw_len, raw_cap;
	long raw_offset;

	/* The current record: fields stored one after another, each ended by
	 * a NUL; field i starts at buf + start[i]. */
	char *buf;
	size_t len, cap;
	size_t *start;
	size_t nfields, fields_cap;
	long record_line; /* the line the current record began on */
	long record_row;  /* its row in a spreadsheet, from 1: empty lines
	                     count as rows there */

	/* Set when csv_next() fails. */
	long err_line, err_offset;
	int err_errno;
};

/* Start reading `fp` (transfer none: the caller closes it).  The reader is
 * large (it holds the input buffer): allocate it, don't put it on a small
 * stack. */
void csv_init(struct csv_reader *r, FILE *fp);
/* Check every record with `check` (e.g. host->utf8_check), so that a
 * refused byte fails csv_next() with CSV_ERR_UTF8, or CSV_ERR_NUL when it
 * is a NUL byte (a UTF-16 file, usually). */
void csv_set_check(struct csv_reader *r, csv_check_fn check);
/* Release the record buffers. */
void csv_free(struct csv_reader *r);
/* Read the next record.  RETURN VALUE enum csv_status. */
int csv_next(struct csv_reader *r);

static inline size_t csv_nfields(const struct csv_reader *r)
{
	return r->nfields;
}

/* Field i of the current record, NUL-terminated, valid until the next
 * csv_next().  With a check that refuses NUL bytes (as utf8_check does),
 * fields never contain one. */
static inline const char *csv_field(const struct csv_reader *r, size_t i)
{
	return r->buf + r->start[i];
}

#endif
