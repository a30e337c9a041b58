/*
 * version.h - version ordering, one module per scheme behind one interface:
 * dpkg, apk, rpm, SemVer 2.0 (npm, crates, Go with "v", "+incompatible" and
 * pseudo-versions), PEP 440, Maven ComparableVersion, RubyGems, Composer,
 * NuGet and CRAN. Exactly the package managers' own orderings; no I/O.
 */
#ifndef BH_VERSION_H
#define BH_VERSION_H

#include <stdbool.h>

enum bh_vscheme {
    BH_VS_DPKG,
    BH_VS_APK,
    BH_VS_RPM,
    BH_VS_SEMVER, /* npm, crates.io */
    BH_VS_GO,     /* SemVer with a leading "v", +incompatible, pseudo-versions */
    BH_VS_PEP440,
    BH_VS_MAVEN,
    BH_VS_GEM,
    BH_VS_COMPOSER,
    BH_VS_NUGET,
    BH_VS_CRAN,
};

/* The scheme of an ecosystem name as OSV writes it ("Debian:12" -> dpkg, "PyPI" -> pep440,
 * "Alpine:v3.20" -> apk, "Go" -> go, ...); false when unknown. */
bool bh_version_scheme_of(const char *osv_ecosystem, enum bh_vscheme *out);

/* "dpkg", "apk", ... */
const char *bh_version_scheme_name(enum bh_vscheme s);

/* Is v a version this scheme can order (e.g. dpkg: digit first, allowed characters)? */
bool bh_version_valid(enum bh_vscheme s, const char *v);

/*
 * Compare a and b: *out is -1, 0 or 1 (a < b, equal, a > b). Returns 0, or BH_EPARSE when
 * either is not valid for the scheme (then *out is untouched). Schemes whose package
 * manager orders any string never fail: rpm, maven, apk (`apk version -t` answers for
 * versions it calls invalid) and PEP 440 (non-conforming strings take pip's legacy order,
 * below every valid version).
 */
int bh_version_cmp(enum bh_vscheme s, const char *a, const char *b, int *out);

#endif
