#include "zone.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* TZ is the process's, and sources may convert times from several threads
 * at once (each_file_parallel): every use of the environment here holds
 * this lock. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

int kudos_zone_valid(const char *zone)
{
	char path[PATH_MAX];
	struct stat st;
	if (!zone || !*zone || zone[0] == '/' || strstr(zone, "..") || strlen(zone) > 64)
		return 0;
	for (const char *p = zone; *p; p++)
		if (!(*p == '/' || *p == '_' || *p == '-' || *p == '+' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return 0;
	/* getenv reads the environment that another thread's tz_enter may be
	 * growing (setenv reallocates it): read it under the same lock. */
	pthread_mutex_lock(&tz_lock);
	const char *dir = getenv("TZDIR");
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	pthread_mutex_unlock(&tz_lock);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Run with TZ set to `zone`: the saved value comes back afterwards.  One
 * switch at a time: tz_enter takes tz_lock and tz_leave gives it back. */
struct tz_switch {
	char *saved;
	int had;
};

static void tz_enter(struct tz_switch *sw, const char *zone)
{
	pthread_mutex_lock(&tz_lock);
	const char *cur = getenv("TZ");
	sw->had = cur != NULL;
	sw->saved = cur ? strdup(cur) : NULL;
	setenv("TZ", zone, 1);
	tzset();
}

static void tz_leave(struct tz_switch *sw)
{
	if (sw->had && sw->saved)
		setenv("TZ", sw->saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(sw->saved);
	pthread_mutex_unlock(&tz_lock);
}

/* Offset east of UTC, in seconds, at instant t (TZ already switched). */
static long offset_at(time_t t)
{
	struct tm tm;
	return localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}

static int matches(time_t t, const struct kudos_civil_time *c)
{
	struct tm tm;
	return localtime_r(&t, &tm) && tm.tm_year + 1900 == c->year &&
	       tm.tm_mon + 1 == c->month && tm.tm_mday == c->day && tm.tm_hour == c->hour &&
	       tm.tm_min == c->minute && tm.tm_sec == c->second;
}

int kudos_zone_to_utc(const char *zone, const struct kudos_civil_time *c, int64_t *utc,
                      int *shifted)
{
	struct tz_switch sw;
	struct tm tm = {0};
	int rc = -1;
	if (!kudos_zone_valid(zone) || c->month < 1 || c->month > 12 || c->day < 1 ||
	    c->day > 31 || c->hour < 0 || c->hour > 23 || c->minute < 0 || c->minute > 59 ||
	    c->second < 0 || c->second > 59)
		return -1;
	tm.tm_year = c->year - 1900;
	tm.tm_mon = c->month - 1;
	tm.tm_mday = c->day;
	tm.tm_hour = c->hour;
	tm.tm_min = c->minute;
	tm.tm_sec = c->second;
	/* The wall time read as if it were UTC; the answer is that minus the
	 * offset in force, which can only be one of the offsets a day either
	 * side of it. */
	time_t wall = timegm(&tm);
	struct tm back;
	if (!gmtime_r(&wall, &back) || back.tm_mday != c->day)
		return -1; /* 31 February */
	tz_enter(&sw, zone);
	long before = offset_at(wall - 86400), after = offset_at(wall + 86400);
	/* Try the earlier instant first, so a repeated hour takes its first
	 * occurrence. */
	long first = before > after ? before : after, second = before > after ? after : before;
	if (matches(wall - first, c)) {
		*utc = (int64_t)(wall - first);
		*shifted = 0;
		rc = 0;
	} else if (matches(wall - second, c)) {
		*utc = (int64_t)(wall - second);
		*shifted = 0;
		rc = 0;
	} else {
		/* In a gap: the clock jumped from `before` to `after`.  The
		 * transition lies between these two instants; find its second. */
		time_t lo = wall - after, hi = wall - before;
		if (lo > hi) {
			time_t t = lo;
			lo = hi;
			hi = t;
		}
		while (hi - lo > 1) {
			time_t mid = lo + (hi - lo) / 2;
			if (offset_at(mid) == offset_at(lo))
				lo = mid;
			else
				hi = mid;
		}
		/* `hi` is the first instant of the new offset; round up to a
		 * whole minute of wall-clock time. */
		time_t t = hi;
		long off = offset_at(t);
		long rem = (long)((t + off) % 60);
		if (rem)
			t += 60 - rem;
		*utc = (int64_t)t;
		*shifted = 1;
		rc = 0;
	}
	tz_leave(&sw);
	return rc;
}

int kudos_zone_from_utc(const char *zone, int64_t utc, struct kudos_civil_time *c)
{
	struct tz_switch sw;
	struct tm tm;
	time_t t = (time_t)utc;
	if (!kudos_zone_valid(zone))
		return -1;
	tz_enter(&sw, zone);
	int ok = localtime_r(&t, &tm) != NULL;
	tz_leave(&sw);
	if (!ok)
		return -1;
	c->year = tm.tm_year + 1900;
	c->month = tm.tm_mon + 1;
	c->day = tm.tm_mday;
	c->hour = tm.tm_hour;
	c->minute = tm.tm_min;
	c->second = tm.tm_sec;
	c->utc_offset = (int)tm.tm_gmtoff;
	return 0;
}
