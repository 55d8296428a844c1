/* Streaming RFC 4180 reader; see csv_parse.h for what it accepts. */
#include "csv_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The end of the file, besides the bytes 0..255 and the negative
 * CSV_ERR_* codes. */
#define B_EOF 256

void csv_init(struct csv_reader *r, FILE *fp)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->line = 1;
}

void csv_free(struct csv_reader *r)
{
	free(r->buf);
	free(r->start);
	r->buf = NULL;
	r->start = NULL;
	r->len = r->cap = r->nfields = r->fields_cap = 0;
}

/* Refill the input buffer.  RETURN VALUE 1 if bytes are available, 0 at
 * the end of the file, CSV_ERR_IO. */
static int refill(struct csv_reader *r)
{
	if (r->in_eof)
		return 0;
	r->in_pos = 0;
	r->in_len = fread(r->in, 1, sizeof r->in, r->fp);
	if (r->in_len == 0) {
		if (ferror(r->fp)) {
			r->err_errno = errno ? errno : EIO;
			return CSV_ERR_IO;
		}
		r->in_eof = 1;
		return 0;
	}
	return 1;
}

/*
 * Strict UTF-8, one byte at a time (Unicode 15, table 3-7):
 *   00..7F
 *   C2..DF 80..BF
 *   E0 A0..BF 80..BF | E1..EC 80..BF 80..BF | ED 80..9F 80..BF
 *   EE..EF 80..BF 80..BF
 *   F0 90..BF 80..BF 80..BF | F1..F3 80..BF x3 | F4 80..8F 80..BF 80..BF
 * The narrowed second-byte ranges refuse overlong forms (E0, F0),
 * surrogates (ED) and code points above U+10FFFF (F4).
 * RETURN VALUE 0, or CSV_ERR_UTF8 / CSV_ERR_NUL with err_* set.
 */
static int utf8_step(struct csv_reader *r, unsigned char b)
{
	if (r->u8_need > 0) {
		if (b < r->u8_lo || b > r->u8_hi)
			goto bad_sequence;
		r->u8_lo = 0x80;
		r->u8_hi = 0xBF;
		r->u8_need--;
		return 0;
	}
	r->u8_line = r->line;
	r->u8_offset = r->offset;
	if (b < 0x80) {
		if (b == 0) {
			r->err_line = r->line;
			r->err_offset = r->offset;
			return CSV_ERR_NUL;
		}
		return 0;
	}
	r->u8_lo = 0x80;
	r->u8_hi = 0xBF;
	if (b >= 0xC2 && b <= 0xDF) {
		r->u8_need = 1;
	} else if (b >= 0xE0 && b <= 0xEF) {
		r->u8_need = 2;
		if (b == 0xE0)
			r->u8_lo = 0xA0;
		else if (b == 0xED)
			r->u8_hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		r->u8_need = 3;
		if (b == 0xF0)
			r->u8_lo = 0x90;
		else if (b == 0xF4)
			r->u8_hi = 0x8F;
	} else {
		goto bad_sequence; /* 80..C1 or F5..FF */
	}
	return 0;

bad_sequence:
	r->err_line = r->u8_line;
	r->err_offset = r->u8_offset;
	return CSV_ERR_UTF8;
}

/* The next byte, validated.
 * RETURN VALUE 0..255, B_EOF, or a negative CSV_ERR_*. */
static int next_byte(struct csv_reader *r)
{
	if (r->in_pos == r->in_len) {
		int rc = refill(r);
		if (rc <= 0) {
			if (rc == 0 && r->u8_need > 0) {
				/* The file ends inside a sequence. */
				r->err_line = r->u8_line;
				r->err_offset = r->u8_offset;
				return CSV_ERR_UTF8;
			}
			return rc < 0 ? rc : B_EOF;
		}
	}
	unsigned char b = r->in[r->in_pos++];
	int rc = utf8_step(r, b);
	if (rc < 0)
		return rc;
	r->offset++;
	return b;
}

/* Whether the next byte is `want`, without consuming it.  RETURN VALUE 1,
 * 0, or a CSV_ERR_* when reading fails. */
static int peek_is(struct csv_reader *r, unsigned char want)
{
	if (r->in_pos == r->in_len) {
		int rc = refill(r);
		if (rc <= 0)
			return rc;
	}
	return r->in[r->in_pos] == want;
}

/* The next character with line breaks folded: CR LF, LF and a lone CR all
 * come back as '\n', and count a line.  RETURN VALUE as next_byte(). */
static int next_char(struct csv_reader *r)
{
	int c = next_byte(r);
	if (c == '\r') {
		int rc = peek_is(r, '\n');
		if (rc < 0)
			return rc;
		if (rc == 1 && (rc = next_byte(r)) < 0)
			return rc;
		c = '\n';
	}
	if (c == '\n')
		r->line++;
	return c;
}

static int put_byte(struct csv_reader *r, char c)
{
	if (r->len == r->cap) {
		if (r->cap >= CSV_MAX_RECORD) {
			r->err_line = r->record_line;
			return CSV_ERR_LONG;
		}
		size_t cap = r->cap ? r->cap * 2 : 256;
		char *p = realloc(r->buf, cap);
		if (!p)
			return CSV_ERR_NOMEM;
		r->buf = p;
		r->cap = cap;
	}
	r->buf[r->len++] = c;
	return 0;
}

static int field_begin(struct csv_reader *r)
{
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		size_t *p = realloc(r->start, cap * sizeof *p);
		if (!p)
			return CSV_ERR_NOMEM;
		r->start = p;
		r->fields_cap = cap;
	}
	r->start[r->nfields++] = r->len;
	return 0;
}

enum state {
	S_FIELD_START, /* at the first character of a field */
	S_UNQUOTED,
	S_QUOTED,
	S_QUOTE_SEEN,  /* a quote inside a quoted field: "" or the end */
	S_AFTER_QUOTE  /* blanks after the closing quote */
};

int csv_next(struct csv_reader *r)
{
	int c, rc;

	r->len = 0;
	r->nfields = 0;

	if (r->offset == 0) {
		/* A byte order mark; the bytes are valid UTF-8, so they can be
		 * read and compared through next_byte(). */
		static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
		if (r->in_pos == r->in_len && (rc = refill(r)) < 0)
			return rc;
		if (r->in_len - r->in_pos >= 3 &&
		    memcmp(r->in + r->in_pos, bom, 3) == 0) {
			for (int i = 0; i < 3; i++)
				if ((rc = next_byte(r)) < 0)
					return rc;
		}
	}

	/* Skip empty lines; a spreadsheet shows them as rows. */
	long empty = 0;
	do {
		c = next_char(r);
		if (c < 0)
			return c;
		if (c == B_EOF)
			return CSV_EOF;
		empty += c == '\n';
	} while (c == '\n');

	r->record_line = r->line;
	r->record_row += empty + 1;
	long quote_line = 0;
	enum state st = S_FIELD_START;
	if ((rc = field_begin(r)) < 0)
		return rc;

	for (;; c = next_char(r)) {
		if (c < 0)
			return c;
		switch (st) {
		case S_FIELD_START:
			if (c == '"') {
				quote_line = r->line;
				st = S_QUOTED;
				continue;
			}
			st = S_UNQUOTED;
			/* fall through */
		case S_UNQUOTED:
		case S_AFTER_QUOTE:
			if (c == ',' || c == '\n' || c == B_EOF)
				break;
			if (st == S_AFTER_QUOTE) {
				if (c == ' ' || c == '\t')
					continue;
				r->err_line = r->line;
				r->err_offset = r->offset - 1;
				return CSV_ERR_STRAY;
			}
			if ((rc = put_byte(r, (char)c)) < 0)
				return rc;
			continue;
		case S_QUOTED:
			if (c == B_EOF) {
				r->err_line = quote_line;
				return CSV_ERR_QUOTE;
			}
			if (c == '"') {
				st = S_QUOTE_SEEN;
				continue;
			}
			if ((rc = put_byte(r, (char)c)) < 0)
				return rc;
			continue;
		case S_QUOTE_SEEN:
			if (c == '"') {
				if ((rc = put_byte(r, '"')) < 0)
					return rc;
				st = S_QUOTED;
				continue;
			}
			st = S_AFTER_QUOTE;
			if (c == ' ' || c == '\t')
				continue;
			if (c == ',' || c == '\n' || c == B_EOF)
				break;
			r->err_line = r->line;
			r->err_offset = r->offset - 1;
			return CSV_ERR_STRAY;
		}

		/* The end of a field: c is ',', '\n' or B_EOF. */
		if ((rc = put_byte(r, '\0')) < 0)
			return rc;
		if (c != ',')
			return CSV_RECORD;
		if ((rc = field_begin(r)) < 0)
			return rc;
		st = S_FIELD_START;
	}
}
