/*
 * clock.h - time as bulkhead counts it: the scan's "now" (SOURCE_DATE_EPOCH
 * pins it for reproducible reports and tests), RFC 3339 dates read from
 * image configs and engines, and civil-date arithmetic in UTC. libc only.
 */
#ifndef BH_CLOCK_H
#define BH_CLOCK_H

#include <stdbool.h>

#define BH_DAY 86400LL

/* Dates before 1980-01-01 are reproducible builders' placeholders, not build dates. */
#define BH_PLACEHOLDER_BEFORE 315532800LL

/* Seconds since the epoch the scan counts as now: SOURCE_DATE_EPOCH when it is a number
 * from 0 to 9999-12-31, else the clock. */
long long bh_now(void);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (valid dates only). */
long long bh_days_from_civil(long long y, unsigned m, unsigned d);
void bh_civil_from_days(long long days, int *y, int *m, int *d);

/*
 * An RFC 3339 date-time ("2024-02-29T10:30:15.123+02:00", 't' and ' ' accepted for 'T',
 * an offset required) or a plain date ("2024-02-29", midnight UTC) into seconds since the
 * epoch. False for anything else, impossible dates included.
 */
bool bh_time_parse(const char *s, long long *out);

#endif
