/*
 * scheme.h - private interface between version.c (dispatch) and the per-scheme
 * modules in this directory. Not part of the public API: use version.h.
 * Every _cmp returns -1, 0 or 1 and is only called on strings its _valid accepted.
 */
#ifndef BH_VERSION_SCHEME_H
#define BH_VERSION_SCHEME_H

#include <stdbool.h>
#include <stddef.h>

/* Compare two runs of ASCII digits as unbounded non-negative integers (leading zeros ignored). */
int bh_version_numcmp(const char *a, size_t alen, const char *b, size_t blen);
/* Byte-wise comparison of two runs, shorter prefix first; -1, 0 or 1. */
int bh_version_bytecmp(const char *a, size_t alen, const char *b, size_t blen);
/* ASCII-only character classes, independent of the locale. */
bool bh_version_isdigit(int c);
bool bh_version_isalpha(int c);
int bh_version_lower(int c);

bool bh_version_dpkg_valid(const char *v);
int bh_version_dpkg_cmp(const char *a, const char *b);
/* dpkg's character weights over whole strings, digits weighing 0 (Dpkg::Version's
 * version_compare_string); for tests. */
int bh_version_dpkg_string_cmp(const char *a, const char *b);
bool bh_version_apk_valid(const char *v);
int bh_version_apk_cmp(const char *a, const char *b);
/* apk dependency operators: "<", "<=", "=", ">=", ">", "~", "<~", ">~", optionally
 * prefixed by '!' (negation). True when "a op b" holds; false for an unknown operator. */
bool bh_version_apk_match(const char *a, const char *op, const char *b);
bool bh_version_rpm_valid(const char *v);
int bh_version_rpm_cmp(const char *a, const char *b);
bool bh_version_semver_valid(const char *v);
int bh_version_semver_cmp(const char *a, const char *b);
/* SemVer-style precedence over already-split runs: dot-separated numeric core (missing = 0),
 * then dot-separated pre-release identifiers (pre NULL = release); fold: ASCII case-insensitive
 * identifiers (NuGet). */
int bh_version_semverlike_cmp(const char *a_core, const char *a_core_end, const char *a_pre,
                              const char *a_pre_end, const char *b_core, const char *b_core_end,
                              const char *b_pre, const char *b_pre_end, bool fold);
bool bh_version_go_valid(const char *v);
int bh_version_go_cmp(const char *a, const char *b);
bool bh_version_pep440_valid(const char *v);
int bh_version_pep440_cmp(const char *a, const char *b);
bool bh_version_maven_valid(const char *v);
int bh_version_maven_cmp(const char *a, const char *b);
bool bh_version_gem_valid(const char *v);
int bh_version_gem_cmp(const char *a, const char *b);
bool bh_version_composer_valid(const char *v);
int bh_version_composer_cmp(const char *a, const char *b);
bool bh_version_nuget_valid(const char *v);
int bh_version_nuget_cmp(const char *a, const char *b);
bool bh_version_cran_valid(const char *v);
int bh_version_cran_cmp(const char *a, const char *b);

#endif
