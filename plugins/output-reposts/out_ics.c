/*
 * out_ics.c: schedule.ics and cancelled.ics, iCalendar (RFC 5545).
 *
 * Contract: every line ends in CRLF; a content line longer than 75 octets
 * is folded (CRLF and one space, RFC 5545 section 3.1) at 75 octets per
 * physical line, never inside a UTF-8 sequence or a backslash escape
 * (legal, but kinder to readers that unescape before unfolding); TEXT
 * values escape
 * backslash, semicolon, comma and line breaks (\\ \; \, \n, section
 * 3.3.11) and drop other control characters.  One VEVENT per post:
 *   UID        the post's id @kudos (stable across runs: plan.c)
 *   DTSTAMP    the run's time (SOURCE_DATE_EPOCH when set), UTC
 *   DTSTART    ;TZID=<the job's zone>:local time, with a VTIMEZONE for that
 *              zone, or a UTC time when the zone is UTC
 *   SEQUENCE   bumped when the post's text changes or it is cancelled
 *   STATUS     CONFIRMED, or CANCELLED in cancelled.ics (METHOD:CANCEL)
 *   SUMMARY    platform and the start of the post; DESCRIPTION the whole
 *              post; URL the permalink; X-KUDOS-ITEM, X-KUDOS-IMAGE
 * The VTIMEZONE is derived from the host's zone service (zone_from_utc),
 * the same one that placed the slots: the observance in force at the first
 * event (from the transition before it) and every transition up to the
 * last, each as its own STANDARD or DAYLIGHT sub-component with DTSTART,
 * TZOFFSETFROM and TZOFFSETTO (no RRULE: exact for the span the file
 * covers, which is what section 3.6.5 asks of a VTIMEZONE).
 * Written by hand rather than with libical: the subset is small, and this
 * keeps the time zone rules identical to the ones the plan used.
 */
#include "reposts.h"

#include <utf8proc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define FOLD 75

/* Append one logical content line to b, folded. */
static void content_line(struct rp_buf *b, const char *line)
{
	size_t n = strlen(line), pos = 0, room = FOLD;
	while (n - pos > room) {
		size_t cut = pos + room;
		while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--; /* never inside a UTF-8 sequence */
		size_t bs = 0;
		while (cut - bs > pos && line[cut - bs - 1] == '\\')
			bs++;
		if (bs % 2 && cut - 1 > pos)
			cut--; /* nor between a backslash and what it escapes */
		rp_buf_add(b, line + pos, cut - pos);
		rp_buf_add(b, "\r\n ", 3);
		pos = cut;
		room = FOLD - 1; /* the leading space counts */
	}
	rp_buf_add(b, line + pos, n - pos);
	rp_buf_add(b, "\r\n", 2);
}

/* TEXT escaping (RFC 5545 section 3.3.11) into b. */
static void escape_text(struct rp_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',') {
			char e[2] = {'\\', (char)*p};
			rp_buf_add(b, e, 2);
		} else if (*p == '\n') {
			rp_buf_add(b, "\\n", 2);
		} else if (*p == '\r') {
			if (p[1] != '\n')
				rp_buf_add(b, "\\n", 2);
		} else if (*p < 0x20 && *p != '\t') {
			/* not allowed in TEXT: dropped */
		} else if (*p == 0x7F) {
			/* DEL: dropped */
		} else {
			rp_buf_add(b, (const char *)p, 1);
		}
	}
}

static void prop_text(struct rp_buf *b, const char *name, const char *value)
{
	struct rp_buf l = {0};
	rp_buf_str(&l, name);
	rp_buf_add(&l, ":", 1);
	escape_text(&l, value ? value : "");
	if (l.oom) {
		b->oom = 1;
	} else {
		content_line(b, l.data);
	}
	rp_buf_free(&l);
}

static void prop_raw(struct rp_buf *b, const char *name, const char *value)
{
	struct rp_buf l = {0};
	rp_buf_printf(&l, "%s:%s", name, value);
	if (l.oom)
		b->oom = 1;
	else
		content_line(b, l.data);
	rp_buf_free(&l);
}

/* A URI value goes out as it is: only one without blanks or controls. */
static int uri_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7F)
			return 0;
	return 1;
}

static void fmt_utc_basic(int64_t t, char out[32])
{
	char iso[32];
	rp_fmt_utc(t, iso);
	snprintf(out, 32, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
	         iso + 17);
}

static void fmt_civil_basic(const struct kudos_civil_time *c, char out[32])
{
	snprintf(out, 32, "%04d%02d%02dT%02d%02d%02d", c->year % 10000, c->month % 100,
	         c->day % 100, c->hour % 100, c->minute % 100, c->second % 100);
}

/* DTSTART for an instant.  0 or -1. */
static int dtstart(struct rp_buf *b, const struct kudos_host *host, const struct rp_ctx *ctx,
                   int64_t utc)
{
	char v[32], name[128];
	if (ctx->utc_zone) {
		fmt_utc_basic(utc, v);
		prop_raw(b, "DTSTART", v);
		return 0;
	}
	struct kudos_civil_time c;
	if (rp_local(host, ctx, utc, &c) != KUDOS_OK)
		return -1;
	fmt_civil_basic(&c, v);
	snprintf(name, sizeof name, "DTSTART;TZID=%s", ctx->timezone);
	prop_raw(b, name, v);
	return 0;
}

static int offset_at(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t t, int *off)
{
	struct kudos_civil_time c;
	if (rp_local(host, ctx, t, &c) != KUDOS_OK)
		return -1;
	*off = c.utc_offset;
	return 0;
}

/* The first instant in (lo, hi] whose offset differs from lo's. */
static int transition(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t lo,
                      int64_t hi, int64_t *at)
{
	int a, m;
	if (offset_at(host, ctx, lo, &a))
		return -1;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (offset_at(host, ctx, mid, &m))
			return -1;
		if (m == a)
			lo = mid;
		else
			hi = mid;
	}
	*at = hi;
	return 0;
}

static void offset_text(int off, char out[16])
{
	int a = off < 0 ? -off : off;
	snprintf(out, 16, "%c%02d%02d", off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

static void observance(struct rp_buf *b, int daylight, int64_t onset, int from, int to)
{
	char f[16], t[16], start[32], name[32];
	struct kudos_civil_time c = {sizeof c, 1970, 1, 1, 0, 0, 0, 0};
	if (onset) {
		int64_t local = onset + from, days = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;
		int64_t secs = local - days * DAY;
		rp_civil_from_days(days, &c.year, &c.month, &c.day);
		c.hour = (int)(secs / 3600);
		c.minute = (int)(secs / 60 % 60);
		c.second = (int)(secs % 60);
	}
	fmt_civil_basic(&c, start);
	offset_text(from, f);
	offset_text(to, t);
	int a = to < 0 ? -to : to;
	if (a % 3600)
		snprintf(name, sizeof name, "GMT%c%d:%02d", to < 0 ? '-' : '+', a / 3600 % 100,
		         a / 60 % 60);
	else
		snprintf(name, sizeof name, "GMT%c%d", to < 0 ? '-' : '+', a / 3600 % 100);
	prop_raw(b, "BEGIN", daylight ? "DAYLIGHT" : "STANDARD");
	prop_raw(b, "TZNAME", name);
	prop_raw(b, "TZOFFSETFROM", f);
	prop_raw(b, "TZOFFSETTO", t);
	prop_raw(b, "DTSTART", start);
	prop_raw(b, "END", daylight ? "DAYLIGHT" : "STANDARD");
}

/* The VTIMEZONE of the job's zone for [t0, t1].  0 or -1. */
static int vtimezone(struct rp_buf *b, const struct kudos_host *host, const struct rp_ctx *ctx,
                     int64_t t0, int64_t t1)
{
	int off0, o, min_off;
	if (offset_at(host, ctx, t0, &off0))
		return -1;
	min_off = off0;
	for (int k = -6; k <= 6; k++) {
		if (offset_at(host, ctx, t0 + (int64_t)k * 30 * DAY, &o))
			return -1;
		if (o < min_off)
			min_off = o;
	}
	prop_raw(b, "BEGIN", "VTIMEZONE");
	prop_raw(b, "TZID", ctx->timezone);
	/* the observance in force at t0, from the transition before it */
	int64_t onset = 0;
	int from = off0;
	for (int d = 1; d <= 400; d++) {
		if (offset_at(host, ctx, t0 - (int64_t)d * DAY, &o))
			return -1;
		if (o != off0) {
			if (transition(host, ctx, t0 - (int64_t)d * DAY, t0 - (int64_t)(d - 1) * DAY,
			               &onset))
				return -1;
			from = o;
			break;
		}
	}
	observance(b, off0 > min_off, onset, from, off0);
	/* every transition up to t1 */
	int cur = off0;
	for (int64_t t = t0; t < t1;) {
		int64_t next = t + DAY < t1 ? t + DAY : t1;
		if (offset_at(host, ctx, next, &o))
			return -1;
		if (o != cur) {
			int64_t at;
			if (transition(host, ctx, t, next, &at))
				return -1;
			if (offset_at(host, ctx, at, &o))
				return -1;
			if (o < min_off)
				min_off = o;
			observance(b, o > min_off, at, cur, o);
			cur = o;
			t = at;
			continue;
		}
		t = next;
	}
	prop_raw(b, "END", "VTIMEZONE");
	return 0;
}

static void header(struct rp_buf *b, const struct rp_ctx *ctx, const char *method)
{
	prop_raw(b, "BEGIN", "VCALENDAR");
	prop_raw(b, "VERSION", "2.0");
	prop_raw(b, "PRODID", "-//kudos//reposts 1.0//EN");
	prop_raw(b, "CALSCALE", "GREGORIAN");
	prop_raw(b, "METHOD", method);
	prop_text(b, "X-WR-CALNAME", ctx->cal_name);
	prop_text(b, "X-WR-TIMEZONE", ctx->timezone);
}

/* The calendar's time zone part for events between t0 and t1 (any when
 * n == 0: a calendar needs one component, so it gets the VTIMEZONE). */
static int zone_part(struct rp_buf *b, const struct kudos_host *host, const struct rp_ctx *ctx,
                     size_t n, int64_t t0, int64_t t1)
{
	if (n && ctx->utc_zone)
		return 0;
	if (!n)
		t0 = t1 = ctx->now;
	return vtimezone(b, host, ctx, t0, t1);
}

/* The first line of `text`, at most 60 characters, cut at a grapheme
 * boundary with an ellipsis. */
static void summary_of(struct rp_buf *b, const char *text)
{
	size_t n = strcspn(text, "\r\n"), i = 0, chars = 0;
	utf8proc_int32_t prev = -1, c, state = 0;
	while (i < n) {
		utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
		                                      (utf8proc_ssize_t)(n - i), &c);
		if (w <= 0)
			break;
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, c, &state)) {
			if (chars == 60)
				break;
			chars++;
		}
		prev = c;
		i += (size_t)w;
	}
	if (i < n) {
		rp_buf_add(b, text, i);
		rp_buf_str(b, "\xE2\x80\xA6");
	} else {
		rp_buf_add(b, text, n);
	}
}

int rp_ics_schedule(const struct kudos_host *host, const struct rp_ctx *ctx, char **out,
                    size_t *len)
{
	struct rp_buf b = {0};
	char stamp[32];
	size_t n = 0;
	int64_t t0 = 0, t1 = 0;
	fmt_utc_basic(ctx->now, stamp);
	for (size_t i = 0; i < ctx->nposts; i++) {
		if (ctx->posts[i].status == RP_PAST)
			continue;
		if (!n++)
			t0 = ctx->posts[i].utc;
		t1 = ctx->posts[i].utc;
	}
	header(&b, ctx, "PUBLISH");
	if (zone_part(&b, host, ctx, n, t0, t1))
		goto fail;
	for (size_t i = 0; i < ctx->nposts; i++) {
		const struct rp_post *x = &ctx->posts[i];
		if (x->status == RP_PAST)
			continue;
		const struct rp_post_text *pt = &x->it->post[x->platform];
		struct rp_buf s = {0};
		char uid[160], seq[16];
		snprintf(uid, sizeof uid, "%s@kudos", x->id);
		snprintf(seq, sizeof seq, "%d", x->seq);
		rp_buf_printf(&s, "%s: ", rp_platforms[x->platform].display);
		summary_of(&s, pt->text);
		prop_raw(&b, "BEGIN", "VEVENT");
		prop_text(&b, "UID", uid);
		prop_raw(&b, "DTSTAMP", stamp);
		if (dtstart(&b, host, ctx, x->utc)) {
			rp_buf_free(&s);
			goto fail;
		}
		prop_raw(&b, "SEQUENCE", seq);
		prop_raw(&b, "STATUS", "CONFIRMED");
		prop_raw(&b, "TRANSP", "TRANSPARENT");
		prop_text(&b, "SUMMARY", s.oom ? "" : s.data);
		prop_text(&b, "DESCRIPTION", pt->text);
		prop_text(&b, "CATEGORIES", rp_platforms[x->platform].display);
		if (uri_ok(x->it->permalink))
			prop_raw(&b, "URL", x->it->permalink);
		prop_text(&b, "X-KUDOS-ITEM", x->item);
		if (x->it->image)
			prop_text(&b, "X-KUDOS-IMAGE", x->it->image);
		prop_raw(&b, "END", "VEVENT");
		b.oom |= s.oom;
		rp_buf_free(&s);
	}
	prop_raw(&b, "END", "VCALENDAR");
	*out = rp_buf_take(&b, len);
	return *out ? 0 : -1;
fail:
	rp_buf_free(&b);
	return -1;
}

int rp_ics_cancelled(const struct kudos_host *host, const struct rp_ctx *ctx, char **out,
                     size_t *len)
{
	struct rp_buf b = {0};
	char stamp[32];
	fmt_utc_basic(ctx->now, stamp);
	header(&b, ctx, "CANCEL");
	int64_t t0 = ctx->ncancels ? ctx->cancels[0].utc : 0;
	int64_t t1 = ctx->ncancels ? ctx->cancels[ctx->ncancels - 1].utc : 0;
	if (zone_part(&b, host, ctx, ctx->ncancels, t0, t1))
		goto fail;
	for (size_t i = 0; i < ctx->ncancels; i++) {
		const struct rp_cancel *x = &ctx->cancels[i];
		char uid[160], seq[16], summary[80];
		snprintf(uid, sizeof uid, "%s@kudos", x->id);
		snprintf(seq, sizeof seq, "%d", x->seq);
		snprintf(summary, sizeof summary, "Cancelled: repost on %s",
		         rp_platforms[x->platform].display);
		prop_raw(&b, "BEGIN", "VEVENT");
		prop_text(&b, "UID", uid);
		prop_raw(&b, "DTSTAMP", stamp);
		if (dtstart(&b, host, ctx, x->utc))
			goto fail;
		prop_raw(&b, "SEQUENCE", seq);
		prop_raw(&b, "STATUS", "CANCELLED");
		prop_text(&b, "SUMMARY", summary);
		prop_text(&b, "DESCRIPTION", x->reason);
		prop_text(&b, "X-KUDOS-ITEM", x->item);
		prop_raw(&b, "END", "VEVENT");
	}
	prop_raw(&b, "END", "VCALENDAR");
	*out = rp_buf_take(&b, len);
	return *out ? 0 : -1;
fail:
	rp_buf_free(&b);
	return -1;
}
