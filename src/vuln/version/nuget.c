/*
 * nuget.c - NuGet versions: SemVer 2.0 with up to four numeric parts (a missing part is
 * 0, so 1.0 = 1.0.0.0), pre-release labels compared without regard to case, and
 * metadata after '+' ignored. Legacy four-part versions are the same scheme.
 */
#include "vuln/version/scheme.h"

struct nv {
    const char *core, *core_end, *pre, *pre_end;
};

static bool is_ident(int c)
{
    return bh_version_isdigit(c) || bh_version_isalpha(c) || c == '-';
}

static const char *idents(const char *p)
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

static bool nv_parse(const char *v, struct nv *out)
{
    const char *p = v;
    int parts = 0;

    out->core = p;
    for (;;) {
        const char *s = p;

        while (bh_version_isdigit((unsigned char)*p))
            p++;
        if (p == s || ++parts > 4)
            return false;
        if (*p != '.')
            break;
        p++;
    }
    out->core_end = p;
    out->pre = out->pre_end = NULL;
    if (*p == '-') {
        out->pre = p + 1;
        if ((p = idents(p + 1)) == NULL)
            return false;
        out->pre_end = p;
    }
    if (*p == '+' && (p = idents(p + 1)) == NULL)
        return false;
    return *p == '\0';
}

bool bh_version_nuget_valid(const char *v)
{
    struct nv x;

    return nv_parse(v, &x);
}

int bh_version_nuget_cmp(const char *a, const char *b)
{
    struct nv x, y;

    if (!nv_parse(a, &x) || !nv_parse(b, &y))
        return 0;
    return bh_version_semverlike_cmp(x.core, x.core_end, x.pre, x.pre_end, y.core, y.core_end,
                                     y.pre, y.pre_end, true);
}
