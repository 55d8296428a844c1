/* kudos review JOB.json: the keyboard loop over undecided items.  The
 * decisions and the order are engine/review.c's; this file draws them
 * with ncursesw and reads keys.  Every decision is saved before the next
 * key is read, so the way the program ends never matters to the store. */
#define NCURSES_WIDECHAR 1
#include <cjson/cJSON.h>
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <wchar.h>

#include "../request.h"
#include "../review.h"
#include "../runner.h"
#include "../text.h"
#include "../wrap.h"
#include "cli.h"

static const char review_help[] =
	"usage: kudos review JOB.json [--actor NAME] [--template NAME]\n"
	"\n"
	"First curate the job's items as `kudos curate` does (filters, flags,\n"
	"duplicates, the job's rules), then review the undecided (`new`) ones in\n"
	"the terminal, best candidates first: unflagged before flagged, then\n"
	"higher rating (unrated counts as 3 of 5), higher sentiment, newer; a\n"
	"duplicate comes right after its group's representative.  One screen\n"
	"shows the quote whole, the author, source, rating, flags with what\n"
	"triggered them, the item's duplicates and its rights.\n"
	"\n"
	"Keys:\n"
	"  a          approve, and go to the next item\n"
	"  r          reject (asks for a reason, Enter for none), and go on\n"
	"  p          request permission: marks the rights `requested` and shows the\n"
	"             message to post (as `kudos request` does); stays on the item\n"
	"  g          grant: asks for scopes (web,print,social,ads) and evidence\n"
	"  s          skip: no decision\n"
	"  u          undo this session's last decision (an `undo` in the audit trail)\n"
	"  q          quit (Ctrl-C too)\n"
	"  arrows, PgUp, PgDn, Home, End   scroll a long quote\n"
	"  Esc        cancel a question\n"
	"\n"
	"Every decision is saved the moment it is made, audited as review:NAME, so\n"
	"quitting or losing the connection loses nothing.  The messages to post are\n"
	"printed again when the review ends.\n"
	"\n"
	"  --actor NAME     who is reviewing (default: your login name)\n"
	"  --template NAME  the job's rights.templates entry for requests (default:\n"
	"                   \"default\")\n"
	"  --store PATH     the store (default: the job's \"store\", else ./kudos.db)\n"
	"\n"
	"It needs a terminal (and a UTF-8 locale, else it uses C.UTF-8).  Without\n"
	"one, use `kudos list --curation new`, `kudos show`, `kudos approve`,\n"
	"`kudos reject`, `kudos request` and `kudos grant`.\n";

/* How long one wait for a key lasts: the stop flag (Ctrl-C, SIGHUP,
 * SIGTERM) is looked at this often. */
#define KEY_WAIT_MS 200

struct posted {
	char *id, *text;
};

struct ui {
	struct kudos_review *rv;
	const struct kudos_job *job;
	struct kudos_item *it;      /* the current item, or NULL when done */
	volatile sig_atomic_t *stop;
	int scroll;                 /* the first quote line shown */
	int quote_lines;            /* lines of the quote at the last draw */
	int quote_rows;             /* rows it had */
	char status[1200];          /* what just happened */
	int status_bad;
	char *message;              /* a request's text, shown until the next key */
	struct posted *posted;      /* requests made, printed again at the end */
	size_t n_posted;
	const char *question;       /* being asked at the status line, or NULL */
	wchar_t answer[512];        /* what has been typed so far */
	size_t answer_len;
	size_t approved, rejected;
	int lost;                   /* the terminal went away */
};

static void set_status(struct ui *u, int bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_status(struct ui *u, int bad, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_bad = bad;
}

/* ---- drawing ------------------------------------------------------------- */

/* Draw `len` bytes of UTF-8 at the cursor in at most `maxw` columns, a
 * control character as U+FFFD (the terminal must never see one from a
 * customer's text: no escape sequence gets through) and a tab as a space.
 * With `cut`, text that does not fit ends in an ellipsis.  RETURN VALUE
 * the columns used. */
static int put_text(const char *s, size_t len, int maxw, int cut)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end = p + len;
	int used = 0;
	while (p < end) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &cp);
		if (n <= 0)
			break;
		int w = kudos_wrap_charwidth(cp);
		if (used + w > maxw || (cut && p + n < end && used + w > maxw - 1)) {
			if (cut && used < maxw) {
				addstr("…");
				used++;
			}
			break;
		}
		if (cp == '\t')
			addch(' ');
		else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			addstr("\xEF\xBF\xBD");
		else
			addnstr((const char *)p, (int)n);
		used += w;
		p += n;
	}
	return used;
}

/* One line at row y: `text` cut to the screen's width. */
static void put_line(int y, int x, const char *text, attr_t attr)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	move(y, x);
	attron(attr);
	put_text(text, strlen(text), COLS - x, 1);
	attroff(attr);
}

/* `text` wrapped into at most `max_rows` rows from row y, indented by x;
 * the last row says when some did not fit.  RETURN VALUE rows used. */
static int put_wrapped(int y, int x, const char *text, int max_rows, attr_t attr)
{
	struct kudos_wrap_line *lines = NULL;
	size_t n = 0;
	int width = COLS - x - 1, rows = 0;
	if (max_rows <= 0 || width < 1 || kudos_wrap(text, width, NULL, &lines, &n))
		return 0;
	for (size_t i = 0; i < n && rows < max_rows; i++, rows++) {
		move(y + rows, x);
		attron(attr);
		if (rows == max_rows - 1 && i + 1 < n) {
			char more[64];
			put_text(text + lines[i].start, lines[i].len, width - 20, 1);
			snprintf(more, sizeof more, " (+%zu lines)", n - i - 1);
			addstr(more);
		} else {
			put_text(text + lines[i].start, lines[i].len, width, 0);
		}
		attroff(attr);
	}
	free(lines);
	return rows;
}

/* How many rows `text` takes wrapped from column x, at most `max`. */
static int rows_of(const char *text, int x, int max)
{
	struct kudos_wrap_line *lines = NULL;
	size_t n = 0;
	if (!text || COLS - x - 1 < 1 || kudos_wrap(text, COLS - x - 1, NULL, &lines, &n))
		return 0;
	free(lines);
	return (int)n < max ? (int)n : max;
}

/* "pii (email: a@b.example); negative; duplicate (of csv:1)" */
static void flags_text(const struct kudos_item *it, char *buf, size_t size)
{
	cJSON *detail = it->flag_detail ? cJSON_Parse(it->flag_detail) : NULL;
	size_t len = 0;
	buf[0] = '\0';
	for (const char *p = it->flags; p && *p;) {
		size_t n = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), p);
		const char *what = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(detail, name));
		if (!strcmp(name, "duplicate"))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s (of %s)",
			                        len ? "; " : "", name, what ? what : "?");
		else
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s%s%s%s",
			                        len ? "; " : "", name, what ? " (" : "",
			                        what ? what : "", what ? ")" : "");
		if (len >= size)
			break;
		p += n + (p[n] == ',');
	}
	if (!buf[0])
		snprintf(buf, size, "none");
	cJSON_Delete(detail);
}

/* "representative csv:1 (approved); csv:7 (new)" */
static void peers_text(struct ui *u, const struct kudos_item *it, char *buf, size_t size)
{
	const struct kudos_review_peer *p;
	size_t n = kudos_review_peers(u->rv, it->field[KUDOS_FIELD_ID], &p), len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s (%s)", i ? "; " : "",
		                        p[i].representative ? "representative " : "", p[i].id,
		                        p[i].curation);
	if (!n)
		snprintf(buf, size, "none");
}

/* No-break spaces hold each key to its name when the legend wraps. */
#define NBSP "\xC2\xA0"
static const char legend[] =
	"a" NBSP "approve  r" NBSP "reject  p" NBSP "request" NBSP "rights  g" NBSP "grant  s" NBSP
	"skip  u" NBSP "undo  q" NBSP "quit  \xE2\x86\x91\xE2\x86\x93" NBSP "PgUp" NBSP "PgDn" NBSP
	"scroll";

static void draw(struct ui *u)
{
	struct kudos_review_status st;
	char line[2048], when[21] = "";
	kudos_review_status(u->rv, &st);
	erase();
	if (LINES < 12 || COLS < 40) {
		put_wrapped(0, 0, "kudos review: the terminal is too small (at least 40x12); "
		                  "make it larger, or press q", LINES, A_BOLD);
		refresh();
		return;
	}
	snprintf(line, sizeof line, " kudos review  %s  item %zu of %zu  %zu decided  %zu skipped  "
	         "as %s", u->job->name ? u->job->name : "", st.position < st.total ? st.position + 1
	                                                                           : st.total,
	         st.total, st.decided, st.skipped, st.actor);
	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	attroff(A_REVERSE);
	put_line(0, 0, line, A_REVERSE);

	/* The bottom: legend, status, and a request's message. */
	int legend_rows = rows_of(legend, 0, 3);
	int status_rows = u->question ? 2 : u->status[0] ? rows_of(u->status, 0, 3) : 0;
	int message_rows = u->message ? 1 + rows_of(u->message, 2, 6) : 0;
	int bottom = LINES - legend_rows;
	put_wrapped(bottom, 0, legend, legend_rows, A_DIM);
	bottom -= status_rows;
	if (!u->question)
		put_wrapped(bottom, 0, u->status, status_rows, u->status_bad ? A_BOLD : A_NORMAL);
	bottom -= message_rows;
	if (u->message) {
		put_line(bottom, 0, "Message to post (printed again when you leave):", A_BOLD);
		put_wrapped(bottom + 1, 2, u->message, message_rows - 1, A_NORMAL);
	}

	const struct kudos_item *it = u->it;
	if (!it) {
		snprintf(line, sizeof line, "Nothing left to review: %zu decided, %zu skipped. "
		         "u takes back the last decision; q leaves.", st.decided, st.skipped);
		put_wrapped(2, 2, line, bottom - 3, A_BOLD);
		refresh();
		return;
	}
	const char *const *f = (const char *const *)it->field;
	int y = 2;
	snprintf(line, sizeof line, "%s  %s from %s", f[KUDOS_FIELD_ID], f[KUDOS_FIELD_KIND],
	         f[KUDOS_FIELD_SOURCE]);
	put_line(y++, 0, line, A_BOLD);
	snprintf(line, sizeof line, "author   %s%s%s%s%s%s", f[KUDOS_FIELD_AUTHOR_NAME]
	                                                    ? f[KUDOS_FIELD_AUTHOR_NAME] : "(no name)",
	         f[KUDOS_FIELD_AUTHOR_HANDLE] ? " (" : "",
	         f[KUDOS_FIELD_AUTHOR_HANDLE] ? f[KUDOS_FIELD_AUTHOR_HANDLE] : "",
	         f[KUDOS_FIELD_AUTHOR_HANDLE] ? ")" : "", f[KUDOS_FIELD_AUTHOR_ROLE] ? ", " : "",
	         f[KUDOS_FIELD_AUTHOR_ROLE] ? f[KUDOS_FIELD_AUTHOR_ROLE] : "");
	y += put_wrapped(y, 0, line, 2, A_NORMAL);
	size_t len = 0;
	if (it->has_rating)
		len += (size_t)snprintf(line, sizeof line, "rating   %g of %g", it->rating,
		                        it->rating_scale);
	else
		len += (size_t)snprintf(line, sizeof line, "rating   none");
	if (it->has_sentiment)
		len += (size_t)snprintf(line + len, sizeof line - len, "   sentiment %+.2f (a hint)",
		                        it->sentiment);
	if (it->has_time[KUDOS_TIME_CREATED]) {
		kudos_time_format(it->time[KUDOS_TIME_CREATED], when);
		len += (size_t)snprintf(line + len, sizeof line - len, "   created %s", when);
	}
	if (f[KUDOS_FIELD_LANGUAGE])
		snprintf(line + len, sizeof line - len, "   language %s", f[KUDOS_FIELD_LANGUAGE]);
	y += put_wrapped(y, 0, line, 2, A_NORMAL);
	snprintf(line, sizeof line, "rights   %s%s%s%s", f[KUDOS_FIELD_RIGHTS],
	         f[KUDOS_FIELD_SCOPES] ? " (" : "", f[KUDOS_FIELD_SCOPES] ? f[KUDOS_FIELD_SCOPES] : "",
	         f[KUDOS_FIELD_SCOPES] ? ")" : "");
	put_line(y++, 0, line, A_NORMAL);
	char flags[1024], peers[1024];
	flags_text(it, flags, sizeof flags);
	put_line(y, 0, "flags", A_NORMAL);
	y += put_wrapped(y, 9, flags, 3, it->flags && *it->flags ? A_BOLD : A_NORMAL);
	peers_text(u, it, peers, sizeof peers);
	put_line(y, 0, "dupes", A_NORMAL);
	y += put_wrapped(y, 9, peers, 2, A_NORMAL);
	if (f[KUDOS_FIELD_PERMALINK]) {
		put_line(y, 0, "link", A_NORMAL);
		put_line(y++, 9, f[KUDOS_FIELD_PERMALINK], A_NORMAL);
	}
	mvhline(y++, 0, ACS_HLINE, COLS);
	if (f[KUDOS_FIELD_TITLE])
		put_line(y++, 2, f[KUDOS_FIELD_TITLE], A_BOLD);

	/* The quote, whole: it scrolls when it is longer than the room. */
	struct kudos_wrap_line *lines = NULL;
	size_t n = 0;
	int rows = bottom - y - 1;
	if (rows < 1)
		rows = 1;
	if (kudos_wrap(f[KUDOS_FIELD_TEXT], COLS - 4, f[KUDOS_FIELD_LANGUAGE], &lines, &n) == 0) {
		u->quote_lines = (int)n;
		u->quote_rows = rows;
		if (u->scroll > (int)n - rows)
			u->scroll = (int)n - rows;
		if (u->scroll < 0)
			u->scroll = 0;
		for (int r = 0; r < rows && (size_t)(u->scroll + r) < n; r++) {
			const struct kudos_wrap_line *l = &lines[u->scroll + r];
			move(y + r, 2);
			put_text(f[KUDOS_FIELD_TEXT] + l->start, l->len, COLS - 4, 0);
		}
		if (u->scroll > 0 || u->scroll + rows < (int)n) {
			snprintf(line, sizeof line, "lines %d-%d of %zu; %s", u->scroll + 1,
			         u->scroll + rows < (int)n ? u->scroll + rows : (int)n, n,
			         u->scroll + rows < (int)n ? "more below (\xE2\x86\x93, PgDn)"
			                                   : "the end (\xE2\x86\x91, PgUp for the start)");
			put_line(y + rows, 2, line, A_DIM);
		}
		free(lines);
	} else {
		put_line(y, 2, "(this quote cannot be shown: it is not valid UTF-8)", A_BOLD);
	}
	if (u->question) {
		/* Last, so that the cursor stays where the answer is typed; a
		 * long answer shows its end. */
		int qy = LINES - legend_rows - 2, room = COLS - 3;
		put_line(qy, 0, u->question, A_BOLD);
		move(qy + 1, 0);
		addstr("> ");
		size_t from = u->answer_len, w = 0;
		while (from > 0 && (int)(w + (size_t)kudos_wrap_charwidth((int)u->answer[from - 1])) <= room)
			w += (size_t)kudos_wrap_charwidth((int)u->answer[--from]);
		addnwstr(u->answer + from, (int)(u->answer_len - from));
	}
	refresh();
}

/* ---- keys ---------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next key, or ERR when the review should end (a stop was asked for,
 * or the terminal is gone).  A terminal that answers every wait at once
 * with nothing is a terminal that went away without a SIGHUP. */
static int next_key(struct ui *u, wint_t *ch)
{
	int quick = 0;
	while (!*u->stop) {
		int64_t t = now_ms();
		int rc = get_wch(ch);
		if (rc != ERR)
			return rc;
		if (now_ms() - t < KEY_WAIT_MS / 4 && ++quick > 50) {
			u->lost = 1;
			return ERR;
		}
		if (now_ms() - t >= KEY_WAIT_MS / 4)
			quick = 0;
	}
	return ERR;
}

/* Ask a one-line question at the status line.  RETURN VALUE 1 with the
 * answer in buf (UTF-8), 0 when cancelled (Esc, or the review ends). */
static int ask(struct ui *u, const char *question, char *buf, size_t size)
{
	char label[512];
	wint_t ch;
	int answered = 0;
	snprintf(label, sizeof label, "%s (Enter saves, Esc cancels):", question);
	u->question = label;
	u->answer_len = 0;
	buf[0] = '\0';
	curs_set(1);
	for (;;) {
		draw(u);
		int rc = next_key(u, &ch);
		if (rc == ERR)
			break;
		size_t *n = &u->answer_len;
		if (rc == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE && *n > 0)
				--*n;
			else if (ch == KEY_ENTER)
				answered = 1;
		} else if (ch == 27) {
			break;
		} else if (ch == '\n' || ch == '\r') {
			answered = 1;
		} else if ((ch == 127 || ch == 8) && *n > 0) {
			--*n;
		} else if (ch == 21) { /* Ctrl-U */
			*n = 0;
		} else if (ch >= 0x20 && ch != 127 && *n + 1 < sizeof u->answer / sizeof *u->answer) {
			u->answer[(*n)++] = (wchar_t)ch;
		}
		if (answered)
			break;
	}
	curs_set(0);
	u->question = NULL;
	if (!answered)
		return 0;
	u->answer[u->answer_len] = L'\0';
	mbstate_t ps = {0};
	const wchar_t *src = u->answer;
	size_t got = wcsrtombs(buf, &src, size - 1, &ps);
	buf[got == (size_t)-1 ? 0 : got] = '\0';
	return 1;
}

/* ---- the loop ------------------------------------------------------------ */

static int load_current(struct ui *u, struct kudos_error *err)
{
	size_t passed;
	kudos_item_free(u->it);
	u->it = NULL;
	u->scroll = 0;
	u->quote_lines = u->quote_rows = 0;
	if (kudos_review_current(u->rv, &u->it, &passed, err))
		return -1;
	if (passed) {
		char was[sizeof u->status];
		memcpy(was, u->status, sizeof was);
		set_status(u, u->status_bad, "%s%s%zu item%s decided elsewhere meanwhile passed over",
		           was, was[0] ? "; " : "", passed, passed == 1 ? "" : "s");
	}
	return 0;
}

static int keep_message(struct ui *u, const char *id, const char *text)
{
	struct posted *v = realloc(u->posted, (u->n_posted + 1) * sizeof *v);
	if (!v)
		return -1;
	u->posted = v;
	v[u->n_posted].id = strdup(id);
	v[u->n_posted].text = strdup(text);
	if (!v[u->n_posted].id || !v[u->n_posted].text) {
		free(v[u->n_posted].id);
		free(v[u->n_posted].text);
		return -1;
	}
	u->n_posted++;
	return 0;
}

static void forget_message(struct ui *u, const char *id)
{
	for (size_t i = u->n_posted; i-- > 0;) {
		if (strcmp(u->posted[i].id, id) == 0) {
			free(u->posted[i].id);
			free(u->posted[i].text);
			memmove(&u->posted[i], &u->posted[i + 1], (u->n_posted - i - 1) * sizeof *u->posted);
			u->n_posted--;
			return;
		}
	}
}

/* One key.  RETURN VALUE 1 to go on, 0 to leave, -1 when the store
 * failed (err says why). */
static int on_key(struct ui *u, int rc, wint_t ch, struct kudos_error *err)
{
	char a[1024], b[1024];
	struct kudos_error e = {0};
	const char *id = u->it ? u->it->field[KUDOS_FIELD_ID] : NULL;
	char idbuf[512] = "";
	if (id)
		snprintf(idbuf, sizeof idbuf, "%s", id);
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_DOWN: u->scroll++; break;
		case KEY_UP: u->scroll--; break;
		case KEY_NPAGE: u->scroll += u->quote_rows > 1 ? u->quote_rows - 1 : 1; break;
		case KEY_PPAGE: u->scroll -= u->quote_rows > 1 ? u->quote_rows - 1 : 1; break;
		case KEY_HOME: u->scroll = 0; break;
		case KEY_END: u->scroll = u->quote_lines; break;
		default: break; /* KEY_RESIZE: the redraw is all it needs */
		}
		return 1;
	}
	free(u->message);
	u->message = NULL;
	u->status[0] = '\0';
	switch (ch) {
	case 'q':
	case 'Q':
	case 4: /* Ctrl-D */
		return 0;
	case 'a':
		if (!id)
			break;
		if (kudos_review_approve(u->rv, cli_now(), &e) == 0) {
			set_status(u, 0, "approved %s (saved)", idbuf);
			u->approved++;
		}
		break;
	case 'r':
		if (!id)
			break;
		if (!ask(u, "Reason for rejecting (may be empty)", a, sizeof a)) {
			set_status(u, 0, "not rejected");
			break;
		}
		if (kudos_review_reject(u->rv, a, cli_now(), &e) == 0) {
			set_status(u, 0, "rejected %s%s%s (saved)", idbuf, *a ? ": " : "", a);
			u->rejected++;
		}
		break;
	case 'p':
		if (!id)
			break;
		if (kudos_review_request(u->rv, cli_now(), &u->message, &e) == 0) {
			if (keep_message(u, idbuf, u->message))
				return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
			set_status(u, 0, "%s is now requested (saved); send its author the message "
			           "above%s", idbuf,
			           u->job->rights.hashtag ? ""
			                                  : "; the job sets no brand.rights_hashtag, so "
			                                    "replies cannot grant by themselves");
		}
		break;
	case 'g':
		if (!id)
			break;
		if (!ask(u, "Scopes to grant: web, print, social, ads (comma-separated)", a, sizeof a) ||
		    !*a) {
			set_status(u, 0, "not granted: no scopes given");
			break;
		}
		if (!ask(u, "Evidence: the creator's words, or where they said yes", b, sizeof b) ||
		    !*b) {
			set_status(u, 0, "not granted: a grant needs evidence");
			break;
		}
		if (kudos_review_grant(u->rv, a, b, cli_now(), &e) == 0) {
			set_status(u, 0, "granted %s for %s (saved)", idbuf, a);
		}
		break;
	case 's':
		if (!id)
			break;
		kudos_review_skip(u->rv);
		set_status(u, 0, "skipped %s", idbuf);
		break;
	case 'u': {
		const char *what = NULL, *which = NULL;
		if (kudos_review_undo(u->rv, cli_now(), &what, &which, &e) == 0) {
			set_status(u, 0, "undone: the %s of %s (saved as an undo in the audit trail)",
			           what, which);
			if (!strcmp(what, "request"))
				forget_message(u, which);
			if (!strcmp(what, "approve") && u->approved)
				u->approved--;
			if (!strcmp(what, "reject") && u->rejected)
				u->rejected--;
		}
		break;
	}
	case '\n':
	case ' ':
		break;
	default:
		set_status(u, 1, "that key does nothing here; the keys are listed below");
		break;
	}
	if (e.status) {
		/* A refused decision (someone else decided the item meanwhile, a
		 * rights change the workflow does not allow): say so, go on.  A
		 * store that fails ends the review. */
		if (e.status != KUDOS_EXIT_INPUT) {
			*err = e;
			return -1;
		}
		set_status(u, 1, "%s", e.msg);
	}
	/* Whatever happened, show the item the review stands on now, fresh
	 * from the store; the same item keeps its scroll position. */
	int scroll = u->scroll;
	if (load_current(u, err))
		return -1;
	if (u->it && !strcmp(u->it->field[KUDOS_FIELD_ID], idbuf))
		u->scroll = scroll;
	return 1;
}

static int run_loop(struct ui *u, struct kudos_error *err)
{
	wint_t ch;
	if (load_current(u, err))
		return -1;
	for (;;) {
		draw(u);
		int rc = next_key(u, &ch);
		if (rc == ERR)
			return 0;
		int go = on_key(u, rc, ch, err);
		if (go <= 0)
			return go;
	}
}

/* Terminal text must be UTF-8: the user's locale when it is, else
 * C.UTF-8.  Only LC_CTYPE: numbers keep the C locale's decimal point. */
static int utf8_locale(void)
{
	if (setlocale(LC_CTYPE, "") && !strcmp(nl_langinfo(CODESET), "UTF-8"))
		return 0;
	if (setlocale(LC_CTYPE, "C.UTF-8") && !strcmp(nl_langinfo(CODESET), "UTF-8"))
		return 0;
	return -1;
}

int cmd_review(struct cli *c, int argc, char **argv)
{
	const char *actor = NULL, *template_name = "default";
	const struct cli_flag flags[] = {
		{"actor", &actor, NULL}, {"template", &template_name, NULL}, {0}};
	struct kudos_error err = {0};
	struct kudos_job job = {0};
	struct kudos_store *store = NULL;
	struct kudos_registry reg = {0};
	struct ui u = {.stop = c->stop, .job = &job};
	SCREEN *screen = NULL;
	struct sigaction stop_action, old_hup, old_term;
	int signals_set = 0;
	int status = cli_parse(c, argc, argv, flags);
	if (status)
		return status;
	if (c->help)
		return cli_help(review_help);
	if ((status = cli_need_args(c, 1, 1, "kudos review JOB.json [--actor NAME]")))
		return status;
	if (kudos_job_load(c->args[0], &job, &err) ||
	    kudos_request_template_check(&job, template_name, &err) ||
	    cli_open_store(c, job.store, 1, &store, &err))
		goto fail;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		kudos_fail(&err, KUDOS_EXIT_INPUT,
		           "review needs a terminal (stdin and stdout); without one, use `kudos list "
		           "--curation new` and `kudos show ID` to read, then `kudos approve`, `kudos "
		           "reject`, `kudos request` and `kudos grant`");
		goto fail;
	}
	/* The queue's order and the screen's flags come from curation: bring
	 * it up to date first (what was collected since the last run, and
	 * the job's rules, which may decide some items before a person does). */
	struct kudos_run_opts opts = {.verbosity = c->verbosity, .now = cli_now(), .stop = c->stop};
	struct kudos_run_report report = {0};
	if (cli_run_time(&opts.run_time, &err))
		goto fail;
	/* Plugins are looked up only when the job has filters to run. */
	int found = !job.n_filters || (cli_scan_plugins(c, &reg, &err) == 0 &&
	                               kudos_run_check_filters(&job, &reg, &err) == 0);
	if (!found || kudos_run_curate(&job, &reg, store, &opts, &report, &err)) {
		kudos_run_report_free(&report);
		goto fail;
	}
	kudos_run_report_free(&report);
	if (kudos_review_open(store, &job, cli_actor(actor), template_name, &u.rv, &err))
		goto fail;
	struct kudos_review_status st;
	kudos_review_status(u.rv, &st);
	if (st.total == 0) {
		if (c->verbosity > 0)
			printf("nothing to review: no item of %s is `new`\n", c->args[0]);
		status = 0;
		goto done;
	}
	if (utf8_locale()) {
		kudos_fail(&err, KUDOS_EXIT_INPUT, "review needs a UTF-8 locale and this system has "
		           "none (not even C.UTF-8); set LANG to one `locale -a` lists");
		goto fail;
	}
	/* A lost connection (SIGHUP) or a kill (SIGTERM) ends the review as
	 * Ctrl-C does: main's handler sets the stop flag, the loop sees it
	 * within KEY_WAIT_MS, and the terminal is restored on the way out.
	 * Set before newterm(), which then leaves them alone. */
	sigaction(SIGINT, NULL, &stop_action);
	sigaction(SIGHUP, &stop_action, &old_hup);
	sigaction(SIGTERM, &stop_action, &old_term);
	signals_set = 1;
	/* newterm, not initscr: initscr exits the process on an unknown
	 * terminal; this says what was wrong instead. */
	if (!(screen = newterm(NULL, stdout, stdin))) {
		const char *term = getenv("TERM");
		kudos_fail(&err, KUDOS_EXIT_INPUT, "cannot drive this terminal (TERM=%s): its type is "
		           "unknown to ncurses; set TERM (e.g. xterm-256color), or use the "
		           "non-interactive commands (`kudos review --help` lists them)",
		           term ? term : "unset");
		goto fail;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	timeout(KEY_WAIT_MS);
	curs_set(0);
	int rc = run_loop(&u, &err);
	endwin();
	delscreen(screen);
	screen = NULL;
	if (rc)
		goto fail;
	if (c->verbosity > 0 && !u.lost) {
		kudos_review_status(u.rv, &st);
		printf("kudos review: %zu approved, %zu rejected, %zu skipped as %s; every decision "
		       "is saved\n", u.approved, u.rejected, st.skipped, st.actor);
	}
	if (u.n_posted && !u.lost) {
		printf("\nMessages to post (the items are now `requested`):\n");
		for (size_t i = 0; i < u.n_posted; i++)
			printf("\n%s\n%s\n", u.posted[i].id, u.posted[i].text);
	}
	status = 0;
	goto done;
fail:
	status = cli_report(&err);
done:
	if (screen) {
		endwin();
		delscreen(screen);
	}
	if (signals_set) {
		sigaction(SIGHUP, &old_hup, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	for (size_t i = 0; i < u.n_posted; i++) {
		free(u.posted[i].id);
		free(u.posted[i].text);
	}
	free(u.posted);
	free(u.message);
	kudos_item_free(u.it);
	kudos_review_free(u.rv);
	kudos_store_close(store);
	kudos_registry_free(&reg);
	kudos_job_free(&job);
	return status;
}
