/*
 * Wall-clock time in named zones (IANA names such as "Europe/Berlin"),
 * from the system's tz database.  This is the one place in kudos that does
 * local-time work: the C library keeps the zone in process-global state
 * (TZ, tzset), so these functions switch it, compute, and switch it back.
 * They are not thread-safe; call them from one thread.
 */
#ifndef KUDOS_ENGINE_ZONE_H
#define KUDOS_ENGINE_ZONE_H

#include <stdint.h>

#include <kudos/plugin.h>

/* RETURN VALUE 1 if `zone` names a zone of the tz database ("UTC" too). */
int kudos_zone_valid(const char *zone);

/* The UTC instant of wall-clock `local` in `zone`.  A time skipped by a
 * daylight-saving change moves to the first valid minute after the gap
 * (*shifted = 1); a repeated time takes its first occurrence.
 * RETURN VALUE 0, or -1 for an unknown zone or an impossible date. */
int kudos_zone_to_utc(const char *zone, const struct kudos_civil_time *local,
                      int64_t *utc, int *shifted);

/* The wall-clock time in `zone` at `utc`, with its UTC offset.
 * RETURN VALUE 0, or -1 for an unknown zone. */
int kudos_zone_from_utc(const char *zone, int64_t utc, struct kudos_civil_time *local);

#endif
