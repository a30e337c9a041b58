/*
 * rpm.c - RPM ordering: rpmvercmp over [epoch:]version[-release], with '~' sorting
 * before everything (even the end) and '^' after the end but before any more text.
 * Every string is orderable, as in rpm itself; only ASCII letters and digits form
 * segments, everything else (including non-ASCII bytes) separates them.
 */
#include "vuln/version/scheme.h"

static bool is_alnum(int c)
{
    return bh_version_isdigit(c) || bh_version_isalpha(c);
}

/* rpmvercmp on two runs. */
static int rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const char *ae = a + alen, *be = b + blen;

    if (alen == blen && memcmp(a, b, alen) == 0)
        return 0;
    while (a < ae || b < be) {
        const char *as, *bs;
        bool num;
        int r;

        while (a < ae && !is_alnum((unsigned char)*a) && *a != '~' && *a != '^')
            a++;
        while (b < be && !is_alnum((unsigned char)*b) && *b != '~' && *b != '^')
            b++;
        /* '~' loses against anything, including the end of the string */
        if ((a < ae && *a == '~') || (b < be && *b == '~')) {
            if (a >= ae || *a != '~')
                return 1;
            if (b >= be || *b != '~')
                return -1;
            a++;
            b++;
            continue;
        }
        /* '^' wins against the end of the string, loses against anything else */
        if ((a < ae && *a == '^') || (b < be && *b == '^')) {
            if (a >= ae)
                return -1;
            if (b >= be)
                return 1;
            if (*a != '^')
                return 1;
            if (*b != '^')
                return -1;
            a++;
            b++;
            continue;
        }
        if (a >= ae || b >= be)
            break;
        as = a;
        bs = b;
        num = bh_version_isdigit((unsigned char)*a);
        if (num) {
            while (a < ae && bh_version_isdigit((unsigned char)*a))
                a++;
            while (b < be && bh_version_isdigit((unsigned char)*b))
                b++;
        } else {
            while (a < ae && bh_version_isalpha((unsigned char)*a))
                a++;
            while (b < be && bh_version_isalpha((unsigned char)*b))
                b++;
        }
        /* a numeric segment is newer than an alphabetic one */
        if (b == bs)
            return num ? 1 : -1;
        if (num)
            r = bh_version_numcmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
        else
            r = bh_version_bytecmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
        if (r != 0)
            return r;
    }
    if (a >= ae && b >= be)
        return 0;
    return a < ae ? 1 : -1;
}

struct evr {
    const char *e, *v, *r; /* e NULL: no epoch (= "0"); r NULL: no release */
    size_t elen, vlen, rlen;
};

static void evr_split(const char *s, struct evr *out)
{
    const char *colon = strchr(s, ':'), *dash;

    out->e = NULL;
    out->elen = 0;
    if (colon != NULL) {
        out->e = s;
        out->elen = (size_t)(colon - s);
        s = colon + 1;
    }
    dash = strrchr(s, '-');
    out->v = s;
    if (dash != NULL) {
        out->vlen = (size_t)(dash - s);
        out->r = dash + 1;
        out->rlen = strlen(dash + 1);
    } else {
        out->vlen = strlen(s);
        out->r = NULL;
        out->rlen = 0;
    }
}

bool bh_version_rpm_valid(const char *v)
{
    return *v != '\0';
}

int bh_version_rpm_cmp(const char *a, const char *b)
{
    struct evr x, y;
    int r;

    evr_split(a, &x);
    evr_split(b, &y);
    r = rpmvercmp(x.e ? x.e : "0", x.e ? x.elen : 1, y.e ? y.e : "0", y.e ? y.elen : 1);
    if (r == 0)
        r = rpmvercmp(x.v, x.vlen, y.v, y.vlen);
    if (r == 0 && (x.r != NULL || y.r != NULL)) {
        /* a missing release sorts before any release, as rpm's label comparison does */
        if (x.r == NULL)
            return -1;
        if (y.r == NULL)
            return 1;
        r = rpmvercmp(x.r, x.rlen, y.r, y.rlen);
    }
    return r;
}
