/* Streaming RFC 4180 reader; see csv_parse.h for what it accepts and how
 * records are checked. */
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

void csv_set_check(struct csv_reader *r, csv_check_fn check)
{
	r->check = check;
}

void csv_free(struct csv_reader *r)
{
	free(r->buf);
	free(r->start);
	free(r->raw);
	r->buf = NULL;
	r->start = NULL;
	r->raw = NULL;
	r->len = r->cap = r->nfields = r->fields_cap = 0;
	r->raw_len = r->raw_cap = 0;
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

/* Make room for one more byte in a record buffer.  RETURN VALUE 0,
 * CSV_ERR_LONG (err_line set) or CSV_ERR_NOMEM. */
static int grow(struct csv_reader *r, char **buf, size_t len, size_t *cap)
{
	if (len < *cap)
		return 0;
	if (*cap >= CSV_MAX_RECORD) {
		r->err_line = r->record_line;
		return CSV_ERR_LONG;
	}
	size_t ncap = *cap ? *cap * 2 : 256;
	char *p = realloc(*buf, ncap);
	if (!p)
		return CSV_ERR_NOMEM;
	*buf = p;
	*cap = ncap;
	return 0;
}

/* The next byte, kept in the raw record.
 * RETURN VALUE 0..255, B_EOF, or a negative CSV_ERR_*. */
static int next_byte(struct csv_reader *r)
{
	if (r->in_pos == r->in_len) {
		int rc = refill(r);
		if (rc <= 0)
			return rc < 0 ? rc : B_EOF;
	}
	int rc = grow(r, &r->raw, r->raw_len, &r->raw_cap);
	if (rc < 0)
		return rc;
	unsigned char b = r->in[r->in_pos++];
	r->raw[r->raw_len++] = (char)b;
	r->offset++;
	return b;
}

/* Run the text check over raw[0..upto).  RETURN VALUE 0, or CSV_ERR_UTF8 /
 * CSV_ERR_NUL with err_line and err_offset naming the refused byte. */
static int check_raw(struct csv_reader *r, size_t upto)
{
	size_t bad = 0;
	if (!r->check || upto == 0 || r->check(r->raw, upto, &bad))
		return 0;
	if (bad >= upto)
		bad = upto - 1;
	long line = r->record_line;
	for (size_t i = 0; i < bad; i++) {
		if (r->raw[i] == '\r' ||
		    (r->raw[i] == '\n' && (i == 0 || r->raw[i - 1] != '\r')))
			line++;
	}
	r->err_line = line;
	r->err_offset = r->raw_offset + (long)bad;
	return r->raw[bad] == '\0' ? CSV_ERR_NUL : CSV_ERR_UTF8;
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
	int rc = grow(r, &r->buf, r->len, &r->cap);
	if (rc < 0)
		return rc;
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

/* The record itself, unchecked.  RETURN VALUE enum csv_status. */
static int read_record(struct csv_reader *r)
{
	int c, rc;

	r->len = 0;
	r->nfields = 0;
	r->raw_len = 0;

	if (r->offset == 0) {
		/* A byte order mark, skipped as read by next_byte(). */
		static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
		if (r->in_pos == r->in_len && (rc = refill(r)) < 0)
			return rc;
		if (r->in_len - r->in_pos >= 3 &&
		    memcmp(r->in + r->in_pos, bom, 3) == 0) {
			for (int i = 0; i < 3; i++)
				if ((rc = next_byte(r)) < 0)
					return rc;
		}
		r->raw_len = 0;
	}

	/* Skip empty lines; a spreadsheet shows them as rows. */
	long empty = 0;
	do {
		c = next_char(r);
		if (c < 0)
			return c;
		if (c == B_EOF)
			return CSV_EOF;
		if (c == '\n') {
			empty++;
			r->raw_len = 0;
		}
	} while (c == '\n');

	/* raw holds the record's first byte, just read. */
	r->raw_offset = r->offset - (long)r->raw_len;
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

int csv_next(struct csv_reader *r)
{
	int st = read_record(r), rc = 0;

	/* Check the bytes up to where the record ended or failed, so that a
	 * refused byte is reported when it comes first. */
	switch (st) {
	case CSV_RECORD:
	case CSV_ERR_QUOTE: /* raw runs to the end of the file */
		rc = check_raw(r, r->raw_len);
		break;
	case CSV_ERR_STRAY: /* raw ends with the stray byte, left unchecked:
	                       it may begin a sequence that was not read */
		rc = check_raw(r, r->raw_len - 1);
		break;
	case CSV_ERR_LONG: /* the last bytes may be a sequence cut short */
		rc = check_raw(r, r->raw_len > 3 ? r->raw_len - 3 : 0);
		break;
	default:
		break;
	}
	return rc < 0 ? rc : st;
}
