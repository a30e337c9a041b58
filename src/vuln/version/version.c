/*
 * version.c - the public face of version ordering: maps OSV ecosystem names to
 * schemes and dispatches to the per-scheme modules (dpkg.c, apk.c, ...), plus the
 * small ASCII helpers they share. It knows no scheme's rules itself and does no I/O.
 */
#include "vuln/version/version.h"

#include "core/err.h"
#include "vuln/version/scheme.h"

struct scheme_ops {
    const char *name;
    bool (*valid)(const char *v);
    int (*cmp)(const char *a, const char *b);
    bool any; /* the package manager orders every string, valid or not */
};

/* Indexed by enum bh_vscheme. */
static const struct scheme_ops schemes[] = {
    [BH_VS_DPKG] = {"dpkg", bh_version_dpkg_valid, bh_version_dpkg_cmp, false},
    [BH_VS_APK] = {"apk", bh_version_apk_valid, bh_version_apk_cmp, true},
    [BH_VS_RPM] = {"rpm", bh_version_rpm_valid, bh_version_rpm_cmp, true},
    [BH_VS_SEMVER] = {"semver", bh_version_semver_valid, bh_version_semver_cmp, false},
    [BH_VS_GO] = {"go", bh_version_go_valid, bh_version_go_cmp, false},
    [BH_VS_PEP440] = {"pep440", bh_version_pep440_valid, bh_version_pep440_cmp, true},
    [BH_VS_MAVEN] = {"maven", bh_version_maven_valid, bh_version_maven_cmp, true},
    [BH_VS_GEM] = {"gem", bh_version_gem_valid, bh_version_gem_cmp, false},
    [BH_VS_COMPOSER] = {"composer", bh_version_composer_valid, bh_version_composer_cmp, false},
    [BH_VS_NUGET] = {"nuget", bh_version_nuget_valid, bh_version_nuget_cmp, false},
    [BH_VS_CRAN] = {"cran", bh_version_cran_valid, bh_version_cran_cmp, false},
};

#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

/*
 * OSV ecosystem names, compared on the part before the first ':' (the release suffix,
 * "Debian:12", "Alpine:v3.20", "SUSE:Linux Enterprise Server 15 SP5", does not change the
 * ordering rules).
 */
static const struct {
    const char *ecosystem;
    enum bh_vscheme scheme;
} ecosystems[] = {
    {"Debian", BH_VS_DPKG},
    {"Ubuntu", BH_VS_DPKG},
    {"Alpine", BH_VS_APK},
    {"Wolfi", BH_VS_APK},
    {"Chainguard", BH_VS_APK},
    {"Alpaquita", BH_VS_APK},
    {"BellSoft Hardened Containers", BH_VS_APK},
    {"Red Hat", BH_VS_RPM},
    {"AlmaLinux", BH_VS_RPM},
    {"Rocky Linux", BH_VS_RPM},
    {"SUSE", BH_VS_RPM},
    {"openSUSE", BH_VS_RPM},
    {"Mageia", BH_VS_RPM},
    {"openEuler", BH_VS_RPM},
    {"Azure Linux", BH_VS_RPM},
    {"Photon OS", BH_VS_RPM},
    {"PyPI", BH_VS_PEP440},
    {"npm", BH_VS_SEMVER},
    {"crates.io", BH_VS_SEMVER},
    {"Hex", BH_VS_SEMVER},
    {"Pub", BH_VS_SEMVER},
    {"Go", BH_VS_GO},
    {"Maven", BH_VS_MAVEN},
    {"RubyGems", BH_VS_GEM},
    {"Packagist", BH_VS_COMPOSER},
    {"NuGet", BH_VS_NUGET},
    {"CRAN", BH_VS_CRAN},
};

bool bh_version_scheme_of(const char *osv_ecosystem, enum bh_vscheme *out)
{
    size_t base, i;

    if (osv_ecosystem == NULL || out == NULL)
        return false;
    base = strcspn(osv_ecosystem, ":");
    for (i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++) {
        const char *e = ecosystems[i].ecosystem;

        if (strlen(e) == base && strncasecmp(e, osv_ecosystem, base) == 0) {
            *out = ecosystems[i].scheme;
            return true;
        }
    }
    return false;
}

const char *bh_version_scheme_name(enum bh_vscheme s)
{
    if ((size_t)s >= NSCHEMES)
        return "unknown";
    return schemes[s].name;
}

bool bh_version_valid(enum bh_vscheme s, const char *v)
{
    if ((size_t)s >= NSCHEMES || v == NULL)
        return false;
    return schemes[s].valid(v);
}

int bh_version_cmp(enum bh_vscheme s, const char *a, const char *b, int *out)
{
    int r;

    if ((size_t)s >= NSCHEMES || a == NULL || b == NULL)
        return BH_EPARSE;
    if (!schemes[s].any && (!schemes[s].valid(a) || !schemes[s].valid(b)))
        return BH_EPARSE;
    r = schemes[s].cmp(a, b);
    *out = r < 0 ? -1 : (r > 0 ? 1 : 0);
    return 0;
}

bool bh_version_isdigit(int c)
{
    return c >= '0' && c <= '9';
}

bool bh_version_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int bh_version_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int bh_version_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    /* Leading zeros carry no value; then the longer run is the bigger number. */
    while (alen > 0 && *a == '0') {
        a++;
        alen--;
    }
    while (blen > 0 && *b == '0') {
        b++;
        blen--;
    }
    if (alen != blen)
        return alen < blen ? -1 : 1;
    return bh_version_bytecmp(a, alen, b, blen);
}

int bh_version_bytecmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int r = n ? memcmp(a, b, n) : 0;

    if (r != 0)
        return r < 0 ? -1 : 1;
    if (alen != blen)
        return alen < blen ? -1 : 1;
    return 0;
}
