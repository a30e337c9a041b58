/*
 * str.c - string helpers. ASCII only on purpose: Dockerfile keywords, rule
 * ids and package names are ASCII, and locale-dependent folding is a bug source.
 */
#include "core/str.h"

#include "core/arena.h"
#include "core/err.h"

#include <string.h>

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

bool bh_str_ieqn(const char *a, size_t alen, const char *b)
{
    size_t i;

    for (i = 0; i < alen; i++) {
        if (!b[i] || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    }
    return b[alen] == '\0';
}

bool bh_str_ieq(const char *a, const char *b)
{
    return bh_str_ieqn(a, strlen(a), b);
}

bool bh_str_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool bh_str_iprefix(const char *s, const char *prefix)
{
    size_t i;

    for (i = 0; prefix[i]; i++) {
        if (!s[i] || lower((unsigned char)s[i]) != lower((unsigned char)prefix[i]))
            return false;
    }
    return true;
}

bool bh_str_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool bh_str_isuffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && bh_str_ieq(s + n - m, suffix);
}

const char *bh_str_icontains(const char *hay, const char *needle)
{
    size_t m = strlen(needle);

    if (m == 0)
        return hay;
    for (; *hay; hay++) {
        if (bh_str_iprefix(hay, needle))
            return hay;
    }
    return NULL;
}

int bh_parse_int(const char *s, size_t len, long long min, long long max, long long *out)
{
    unsigned long long v = 0;
    bool neg = false;
    size_t i = 0;

    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return BH_EPARSE;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return BH_EPARSE;
        if (v > (9223372036854775807ULL - (unsigned)(s[i] - '0')) / 10)
            return BH_ELIMIT;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (neg) {
        if (v > 9223372036854775808ULL)
            return BH_ELIMIT;
        if (v == 9223372036854775808ULL) {
            if (min > -9223372036854775807LL - 1)
                return BH_ELIMIT;
            *out = -9223372036854775807LL - 1;
            return 0;
        }
        if (-(long long)v < min)
            return BH_ELIMIT;
        *out = -(long long)v;
        return 0;
    }
    if ((long long)v > max || (long long)v < min)
        return BH_ELIMIT;
    *out = (long long)v;
    return 0;
}

const char *bh_str_printable_n(char *buf, size_t cap, const char *s, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i;

    for (i = 0; s && i < len && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];

        if (o >= max) {
            buf[o++] = '.';
            buf[o++] = '.';
            buf[o++] = '.';
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            buf[o++] = (char)c;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}

const char *bh_str_printable(char *buf, size_t cap, const char *s, size_t max)
{
    return bh_str_printable_n(buf, cap, s, s ? strlen(s) : 0, max);
}

const char *bh_str_printable_dup(struct bh_arena *a, const char *s, size_t len, size_t max)
{
    size_t cap = (len < max ? len : max) * 4 + 8;
    char *buf = bh_arena_alloc(a, cap);

    return buf ? bh_str_printable_n(buf, cap, s, len, max) : "?";
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int bh_base64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *outlen)
{
    size_t k = 0, i, pad = 0;
    unsigned acc = 0;
    int bits = 0;

    while (n > 0 && s[n - 1] == '=' && pad < 2) {
        n--;
        pad++;
    }
    if (n % 4 == 1 || (n > 0 && s[n - 1] == '='))
        return BH_EPARSE;
    for (i = 0; i < n; i++) {
        int v = b64_value((unsigned char)s[i]);

        if (v < 0)
            return BH_EPARSE;
        acc = ((acc << 6) | (unsigned)v) & 0xffffffu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (k >= cap)
                return BH_ELIMIT;
            out[k++] = (unsigned char)((acc >> bits) & 0xffu);
        }
    }
    *outlen = k;
    return 0;
}

int bh_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
