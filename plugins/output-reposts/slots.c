/*
 * slots.c: dates and the slot instances of the plan.
 *
 * Contract: civil-date arithmetic without mktime or TZ (days since
 * 1970-01-01, proleptic Gregorian); parsing "YYYY-MM-DD" and "HH:MM";
 * rp_slots_build() turns start + days + slots into instants, each slot's
 * wall-clock time read in the job's zone by host->zone_to_utc.  A time a
 * daylight-saving change skips moves to the first valid minute after the
 * gap (the host says so through `shifted`); that is reported in the run's
 * log and in schedule.json "notes".  A time that happens twice takes its
 * first occurrence, also noted.  Two slots of one day that land on the
 * same instant are planned once.
 */
#include "reposts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t rp_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rp_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int rp_parse_date(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd, ry, rm, rd;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &yy) ||
	    !digits(s + 5, 2, &mm) || !digits(s + 8, 2, &dd) || yy < 1970 || yy > 9999 ||
	    mm < 1 || mm > 12 || dd < 1 || dd > 31)
		return 0;
	rp_civil_from_days(rp_days_from_civil(yy, mm, dd), &ry, &rm, &rd);
	if (ry != yy || rm != mm || rd != dd)
		return 0; /* 31 April */
	*y = yy;
	*m = mm;
	*d = dd;
	return 1;
}

int rp_parse_hhmm(const char *s, int *minutes)
{
	int h, m;
	size_t n = s ? strlen(s) : 0;
	if (n == 4 && s[1] == ':' && digits(s, 1, &h) && digits(s + 2, 2, &m)) {
		/* 9:30 */
	} else if (!(n == 5 && s[2] == ':' && digits(s, 2, &h) && digits(s + 3, 2, &m))) {
		return 0;
	}
	if (h > 23 || m > 59)
		return 0;
	*minutes = h * 60 + m;
	return 1;
}

void rp_fmt_utc(int64_t t, char buf[32])
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int y, m, d;
	rp_civil_from_days(days, &y, &m, &d);
	snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60));
}

int rp_local(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t utc,
             struct kudos_civil_time *out)
{
	size_t lo = 0, hi = ctx->slots_ready ? ctx->nslotsi : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ctx->slots[mid].utc < utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ctx->slots_ready && lo < ctx->nslotsi && ctx->slots[lo].utc == utc) {
		*out = ctx->slots[lo].local;
		return KUDOS_OK;
	}
	memset(out, 0, sizeof *out);
	out->struct_size = sizeof *out;
	return host->zone_from_utc(ctx->timezone, utc, out);
}

static int note(struct rp_ctx *ctx, char *text)
{
	if (!text || rp_grow((void **)&ctx->notes, &ctx->capnotes, ctx->nnotes,
	                     sizeof *ctx->notes)) {
		free(text);
		return -1;
	}
	ctx->notes[ctx->nnotes++].text = text;
	return 0;
}

/* The same wall-clock time again `delta` seconds later: a repeated hour. */
static int repeated(const struct kudos_host *host, const struct rp_ctx *ctx, int64_t utc,
                    const struct kudos_civil_time *at)
{
	static const int deltas[] = {1800, 3600, 7200};
	struct kudos_civil_time later;
	if (rp_local(host, ctx, utc + 7200, &later) != KUDOS_OK ||
	    later.utc_offset >= at->utc_offset)
		return 0; /* the clocks do not go back in the next two hours */
	for (size_t i = 0; i < 3; i++) {
		struct kudos_civil_time c;
		if (rp_local(host, ctx, utc + deltas[i], &c) == KUDOS_OK && c.day == at->day &&
		    c.hour == at->hour && c.minute == at->minute)
			return 1;
	}
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct rp_slot *x = a, *y = b;
	return x->utc < y->utc ? -1 : x->utc > y->utc;
}

int rp_slots_build(const struct kudos_host *host, struct kudos_instance *self,
                   struct rp_ctx *ctx)
{
	int64_t first = rp_days_from_civil(ctx->start_y, ctx->start_m, ctx->start_d);
	size_t cap = (size_t)ctx->days * ctx->nslots;
	ctx->slots = calloc(cap ? cap : 1, sizeof *ctx->slots);
	if (!ctx->slots)
		goto oom;
	ctx->nslotsi = 0;
	for (int64_t day = 0; day < ctx->days; day++) {
		int y, m, d;
		rp_civil_from_days(first + day, &y, &m, &d);
		size_t day_first = ctx->nslotsi;
		for (size_t s = 0; s < ctx->nslots; s++) {
			struct kudos_civil_time c = {sizeof c, y, m, d, ctx->slot_minutes[s] / 60,
			                             ctx->slot_minutes[s] % 60, 0, 0};
			int64_t utc;
			int shifted = 0;
			if (host->zone_to_utc(ctx->timezone, &c, &utc, &shifted) != KUDOS_OK) {
				host->set_error(self, "cannot place %04d-%02d-%02d %02d:%02d in time zone "
				                "\"%s\"; check \"timezone\" and \"start\"",
				                y, m, d, c.hour, c.minute, ctx->timezone);
				return KUDOS_EINVAL;
			}
			struct kudos_civil_time l;
			if (rp_local(host, ctx, utc, &l) != KUDOS_OK) {
				host->set_error(self, "time zone \"%s\" cannot be read", ctx->timezone);
				return KUDOS_EINVAL;
			}
			char *text = NULL;
			int dup = 0;
			for (size_t k = day_first; k < ctx->nslotsi; k++)
				dup |= ctx->slots[k].utc == utc;
			if (shifted && asprintf(&text, "%04d-%02d-%02d %02d:%02d does not exist in %s "
			                        "(a daylight-saving change skips it): that slot is "
			                        "planned at %02d:%02d%s", y, m, d, c.hour, c.minute,
			                        ctx->timezone, l.hour, l.minute,
			                        dup ? ", where another slot already is" : "") < 0)
				goto oom;
			if (!shifted && repeated(host, ctx, utc, &l) &&
			    asprintf(&text, "%04d-%02d-%02d %02d:%02d happens twice in %s (a "
			             "daylight-saving change repeats it): that slot is the first one, "
			             "UTC%+03d:%02d", y, m, d, c.hour, c.minute, ctx->timezone,
			             l.utc_offset / 3600, abs(l.utc_offset / 60 % 60)) < 0)
				goto oom;
			if (text) {
				host->log(self, KUDOS_LOG_WARN, "%s", text);
				if (note(ctx, text))
					goto oom;
			}
			if (dup)
				continue;
			ctx->slots[ctx->nslotsi++] = (struct rp_slot){utc, (int)day, shifted,
			                                              ctx->slot_minutes[s], l};
		}
	}
	/* in order of time, even where a shift pushed a slot past the next */
	if (ctx->nslotsi > 1)
		qsort(ctx->slots, ctx->nslotsi, sizeof *ctx->slots, cmp_slot);
	ctx->slots_ready = 1;
	return KUDOS_OK;
oom:
	host->set_error(self, "out of memory computing the slots");
	return KUDOS_ENOMEM;
}
