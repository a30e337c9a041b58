/*
 * str.h - small string helpers over (ptr, len) and C strings: ASCII case
 * folding, prefix tests, and the one range-checked integer parser.
 */
#ifndef BH_STR_H
#define BH_STR_H

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

bool bh_str_ieq(const char *a, const char *b);               /* ASCII case-insensitive equality */
bool bh_str_ieqn(const char *a, size_t alen, const char *b); /* (a, alen) vs C string b */
bool bh_str_prefix(const char *s, const char *prefix);
bool bh_str_iprefix(const char *s, const char *prefix);
bool bh_str_suffix(const char *s, const char *suffix);
bool bh_str_isuffix(const char *s, const char *suffix);
/* Case-insensitive substring search; NULL when absent. */
const char *bh_str_icontains(const char *hay, const char *needle);

/*
 * Parse all of (s, len) as a decimal integer in [min, max]. Returns 0, or
 * BH_EPARSE (not a number, trailing bytes) / BH_ELIMIT (out of range).
 */
int bh_parse_int(const char *s, size_t len, long long min, long long max, long long *out);

/*
 * A printable copy of s for messages: bytes outside printable ASCII and '\\' become \xNN,
 * and after max output bytes the copy ends with "...". buf holds cap bytes (cap >= 8);
 * returns buf. NULL gives "".
 */
const char *bh_str_printable(char *buf, size_t cap, const char *s, size_t max);
/* The same over len bytes of s (NUL bytes included, shown as \x00). */
const char *bh_str_printable_n(char *buf, size_t cap, const char *s, size_t len, size_t max);
/* The same into the arena a ("?" when it is full): untrusted text quoted in messages. */
const char *bh_str_printable_dup(struct bh_arena *a, const char *s, size_t len, size_t max);

/*
 * Decode standard base64 (s, n) into out (cap bytes), padding optional, no white space.
 * Returns 0 and *outlen, BH_EPARSE for a malformed input, BH_ELIMIT when out is too small.
 */
int bh_base64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *outlen);

/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int bh_hexval(int c);

#endif
