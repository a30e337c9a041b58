/*
 * cran.c - R package versions (CRAN): non-negative integers separated by '.' or '-',
 * compared as integer sequences; a longer sequence with an equal prefix is newer, so
 * 1.0 < 1.0.0 (R's package_version, unlike SemVer, does not pad with zeros).
 */
#include "vuln/version/scheme.h"

static bool cran_next(const char **p, const char **f, size_t *n)
{
    const char *s = *p;

    if (*s == '\0')
        return false;
    if (s != *f && (*s == '.' || *s == '-'))
        s++;
    *f = s;
    while (bh_version_isdigit((unsigned char)*s))
        s++;
    *n = (size_t)(s - *f);
    *p = s;
    return true;
}

bool bh_version_cran_valid(const char *v)
{
    size_t parts = 0;

    for (;;) {
        const char *s = v;

        while (bh_version_isdigit((unsigned char)*v))
            v++;
        if (v == s)
            return false;
        parts++;
        if (*v == '\0')
            return true;
        if (*v != '.' && *v != '-')
            return false;
        v++;
    }
}

int bh_version_cran_cmp(const char *a, const char *b)
{
    const char *fa = NULL, *fb = NULL;
    size_t na, nb;

    for (;;) {
        bool ha = cran_next(&a, &fa, &na), hb = cran_next(&b, &fb, &nb);
        int r;

        if (!ha || !hb)
            return ha == hb ? 0 : (ha ? 1 : -1);
        r = bh_version_numcmp(fa, na, fb, nb);
        if (r != 0)
            return r;
    }
}
