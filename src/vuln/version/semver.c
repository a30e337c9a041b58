/*
 * semver.c - SemVer 2.0 precedence for npm and crates.io, and Go module versions (leading
 * "v", "+incompatible", pseudo-versions, which are ordinary pre-releases and so need no
 * special case). Parsing is node-semver's "loose" reading: an "=" or "v" prefix and
 * surrounding blanks are accepted, and any number of numeric core components (missing
 * ones count as 0). Build metadata never affects order. No ranges here: see the matcher.
 */
#include "vuln/version/scheme.h"

struct sv {
    const char *core, *core_end;
    const char *pre, *pre_end; /* pre == NULL: a release */
};

static bool is_blank(int c)
{
    return c == ' ' || c == '\t';
}

static bool is_ident(int c)
{
    return bh_version_isdigit(c) || bh_version_isalpha(c) || c == '-';
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]; returns the end, NULL if malformed. */
static const char *scan_idents(const char *p)
{
    for (;;) {
        const char *s = p;

        while (is_ident((unsigned char)*p))
            p++;
        if (p == s)
            return NULL;
        if (*p != '.')
            return p;
        p++;
    }
}

static bool sv_parse(const char *v, struct sv *out, bool go)
{
    const char *p = v;

    while (is_blank((unsigned char)*p))
        p++;
    if (!go && *p == '=') {
        p++;
        while (is_blank((unsigned char)*p))
            p++;
    }
    if (*p == 'v' || (!go && *p == 'V')) {
        p++;
        if (!go)
            while (is_blank((unsigned char)*p))
                p++;
    }
    out->core = p;
    for (;;) {
        const char *s = p;

        while (bh_version_isdigit((unsigned char)*p))
            p++;
        if (p == s)
            return false;
        if (*p != '.')
            break;
        p++;
    }
    out->core_end = p;
    out->pre = out->pre_end = NULL;
    if (*p == '-') {
        out->pre = p + 1;
        p = scan_idents(p + 1);
        if (p == NULL)
            return false;
        out->pre_end = p;
    }
    if (*p == '+') {
        p = scan_idents(p + 1);
        if (p == NULL)
            return false;
    }
    while (!go && is_blank((unsigned char)*p))
        p++;
    return *p == '\0';
}

/* Next dot-separated field of [*p, end); returns false when exhausted. */
static bool next_field(const char **p, const char *end, const char **f, size_t *len)
{
    const char *s = *p, *q;

    if (s == NULL || s >= end)
        return false;
    q = s;
    while (q < end && *q != '.')
        q++;
    *f = s;
    *len = (size_t)(q - s);
    *p = q < end ? q + 1 : end;
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!bh_version_isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

static int fold_bytecmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;

    for (size_t i = 0; i < n; i++) {
        int x = bh_version_lower((unsigned char)a[i]), y = bh_version_lower((unsigned char)b[i]);

        if (x != y)
            return x < y ? -1 : 1;
    }
    return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

int bh_version_semverlike_cmp(const char *a_core, const char *a_core_end, const char *a_pre,
                              const char *a_pre_end, const char *b_core, const char *b_core_end,
                              const char *b_pre, const char *b_pre_end, bool fold)
{
    const char *pa = a_core, *pb = b_core, *fa = NULL, *fb = NULL;
    size_t la = 0, lb = 0;
    bool ha, hb;
    int r;

    /* core: numeric components, the shorter list padded with zeros */
    for (;;) {
        ha = next_field(&pa, a_core_end, &fa, &la);
        hb = next_field(&pb, b_core_end, &fb, &lb);
        if (!ha && !hb)
            break;
        r = bh_version_numcmp(ha ? fa : "0", ha ? la : 1, hb ? fb : "0", hb ? lb : 1);
        if (r != 0)
            return r;
    }
    /* a release is newer than any of its pre-releases */
    if (a_pre == NULL || b_pre == NULL)
        return a_pre == b_pre ? 0 : (a_pre == NULL ? 1 : -1);
    pa = a_pre;
    pb = b_pre;
    for (;;) {
        bool na, nb;

        ha = next_field(&pa, a_pre_end, &fa, &la);
        hb = next_field(&pb, b_pre_end, &fb, &lb);
        if (!ha || !hb)
            return ha == hb ? 0 : (ha ? 1 : -1);
        na = all_digits(fa, la);
        nb = all_digits(fb, lb);
        if (na && nb)
            r = bh_version_numcmp(fa, la, fb, lb);
        else if (na || nb)
            r = na ? -1 : 1; /* numeric identifiers sort below alphanumeric ones */
        else
            r = fold ? fold_bytecmp(fa, la, fb, lb) : bh_version_bytecmp(fa, la, fb, lb);
        if (r != 0)
            return r;
    }
}

static int sv_cmp(const char *a, const char *b, bool go)
{
    struct sv x, y;

    if (!sv_parse(a, &x, go) || !sv_parse(b, &y, go))
        return 0;
    return bh_version_semverlike_cmp(x.core, x.core_end, x.pre, x.pre_end, y.core, y.core_end,
                                     y.pre, y.pre_end, false);
}

bool bh_version_semver_valid(const char *v)
{
    struct sv s;

    return sv_parse(v, &s, false);
}

int bh_version_semver_cmp(const char *a, const char *b)
{
    return sv_cmp(a, b, false);
}

/* Go: "v" optional (OSV writes Go versions without it), no blanks or "=". */
bool bh_version_go_valid(const char *v)
{
    struct sv s;

    return sv_parse(v, &s, true);
}

int bh_version_go_cmp(const char *a, const char *b)
{
    return sv_cmp(a, b, true);
}
