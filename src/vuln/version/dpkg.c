/*
 * dpkg.c - Debian version ordering ([epoch:]upstream[-revision]) as dpkg and apt order
 * them. Validity follows dpkg's hard errors plus "starts with a digit" and the
 * character set Debian policy allows; surrounding whitespace is ignored as dpkg does.
 * No knowledge of binNMU or backport conventions is needed: they fall out of the rules.
 */
#include "vuln/version/scheme.h"

struct dpkg_ver {
    const char *epoch; /* digits, may be empty (= 0) */
    size_t epoch_len;
    const char *up;
    size_t up_len;
    const char *rev; /* may be empty (= "0") */
    size_t rev_len;
};

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool dpkg_split(const char *v, struct dpkg_ver *out)
{
    const char *end, *colon, *dash, *p;
    size_t i;

    while (is_space((unsigned char)*v))
        v++;
    end = v + strlen(v);
    while (end > v && is_space((unsigned char)end[-1]))
        end--;
    if (end == v)
        return false;
    for (p = v; p < end; p++)
        if (is_space((unsigned char)*p))
            return false;

    colon = memchr(v, ':', (size_t)(end - v));
    if (colon != NULL) {
        out->epoch = v;
        out->epoch_len = (size_t)(colon - v);
        if (out->epoch_len == 0 || colon + 1 == end)
            return false;
        for (i = 0; i < out->epoch_len; i++)
            if (!bh_version_isdigit((unsigned char)v[i]))
                return false;
        /* dpkg keeps the epoch in an int */
        if (bh_version_numcmp(v, out->epoch_len, "2147483647", 10) > 0)
            return false;
        v = colon + 1;
    } else {
        out->epoch = v;
        out->epoch_len = 0;
    }

    dash = NULL;
    for (p = v; p < end; p++)
        if (*p == '-')
            dash = p;
    out->up = v;
    if (dash != NULL) {
        out->up_len = (size_t)(dash - v);
        out->rev = dash + 1;
        out->rev_len = (size_t)(end - dash - 1);
        if (out->rev_len == 0)
            return false;
    } else {
        out->up_len = (size_t)(end - v);
        out->rev = end;
        out->rev_len = 0;
    }
    if (out->up_len == 0 || !bh_version_isdigit((unsigned char)out->up[0]))
        return false;
    for (i = 0; i < out->up_len; i++) {
        int c = (unsigned char)out->up[i];

        if (!bh_version_isdigit(c) && !bh_version_isalpha(c) && !strchr(".-+~:", c))
            return false;
    }
    for (i = 0; i < out->rev_len; i++) {
        int c = (unsigned char)out->rev[i];

        if (!bh_version_isdigit(c) && !bh_version_isalpha(c) && !strchr(".+~", c))
            return false;
    }
    return true;
}

/* Weight of a non-digit position: '~' below the end of the part, letters below other marks. */
static int weight(const char *p, const char *end)
{
    int c;

    if (p >= end)
        return 0;
    c = (unsigned char)*p;
    if (bh_version_isdigit(c))
        return 0;
    if (c == '~')
        return -1;
    if (bh_version_isalpha(c))
        return c;
    return c + 256;
}

/* One part (upstream or revision): alternate non-digit runs and numeric runs. */
static int part_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const char *ae = a + alen, *be = b + blen;

    while (a < ae || b < be) {
        const char *ad, *bd;
        int r;

        while ((a < ae && !bh_version_isdigit((unsigned char)*a)) ||
               (b < be && !bh_version_isdigit((unsigned char)*b))) {
            int wa = weight(a, ae), wb = weight(b, be);

            if (wa != wb)
                return wa < wb ? -1 : 1;
            if (a < ae)
                a++;
            if (b < be)
                b++;
        }
        ad = a;
        bd = b;
        while (a < ae && bh_version_isdigit((unsigned char)*a))
            a++;
        while (b < be && bh_version_isdigit((unsigned char)*b))
            b++;
        r = bh_version_numcmp(ad, (size_t)(a - ad), bd, (size_t)(b - bd));
        if (r != 0)
            return r;
    }
    return 0;
}

bool bh_version_dpkg_valid(const char *v)
{
    struct dpkg_ver d;

    return dpkg_split(v, &d);
}

int bh_version_dpkg_cmp(const char *a, const char *b)
{
    struct dpkg_ver x, y;
    int r;

    if (!dpkg_split(a, &x) || !dpkg_split(b, &y))
        return 0;
    r = bh_version_numcmp(x.epoch, x.epoch_len, y.epoch, y.epoch_len);
    if (r == 0)
        r = part_cmp(x.up, x.up_len, y.up, y.up_len);
    if (r == 0)
        r = part_cmp(x.rev, x.rev_len, y.rev, y.rev_len);
    return r;
}

/* The non-digit weights alone over whole strings (digits weigh 0), as Dpkg::Version's
 * version_compare_string; exposed for the tests of the weight table. */
int bh_version_dpkg_string_cmp(const char *a, const char *b)
{
    const char *ae = a + strlen(a), *be = b + strlen(b);

    while (a < ae || b < be) {
        int wa = weight(a, ae), wb = weight(b, be);

        if (wa != wb)
            return wa < wb ? -1 : 1;
        if (a < ae)
            a++;
        if (b < be)
            b++;
    }
    return 0;
}
