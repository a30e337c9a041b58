/*
 * vuln.h - advisories as the vulnerability database holds them (OSV's shape:
 * affected packages with version ranges), and the match of one advisory
 * against one installed package. Plain structs, no I/O; the importers, the
 * database and the matcher in src/vuln/ fill them.
 */
#ifndef BH_VULN_H
#define BH_VULN_H

#include "model/finding.h"

#include <stdbool.h>
#include <stddef.h>

/* One OSV range event. */
enum bh_vevent_kind {
    BH_VEV_INTRODUCED,
    BH_VEV_FIXED,
    BH_VEV_LAST_AFFECTED,
    BH_VEV_LIMIT,
};

struct bh_vevent {
    enum bh_vevent_kind kind;
    const char *version; /* "0" for introduced-from-the-start */
};

enum bh_vrange_type {
    BH_VR_ECOSYSTEM, /* the ecosystem's own ordering (dpkg, apk, PEP 440, ...) */
    BH_VR_SEMVER,    /* SemVer 2.0 (Go, and any ecosystem that says SEMVER) */
    BH_VR_GIT,       /* commit hashes: kept, never matched (installed packages have no commit) */
};

struct bh_vrange {
    enum bh_vrange_type type;
    struct bh_vevent *events; /* in the order the source wrote them */
    size_t nevents;
};

/*
 * One affected package of an advisory. ecosystem is the lookup key (docs/internals/vulndb.md
 * "Keys"): the OSV ecosystem as written ("Debian:12", "Alpine:v3.20", "PyPI", "npm", "Go",
 * "Maven", "crates.io", "RubyGems", "Packagist", "Wolfi", ...), except Ubuntu's ":LTS" and
 * ":Pro" forms, which are dropped ("Ubuntu:22.04"), and Alpine secdb files, which become
 * "Alpine:vMAJOR.MINOR". name is the package as the ecosystem names it (Debian and Alpine:
 * the source package / origin; Maven "group:artifact"; Go the module path), with PyPI names
 * normalised as PEP 503 says (lower case, runs of "-_." become "-").
 */
struct bh_affected {
    const char *ecosystem;
    const char *name;
    struct bh_vrange *ranges;
    size_t nranges;
    const char **versions; /* explicitly affected versions (OSV "versions"), or NULL */
    size_t nversions;
    const char *severity; /* the ecosystem's own rating for this package (Debian urgency,
                             GHSA "HIGH", ...), or NULL */
};

struct bh_advisory {
    const char *id;       /* "CVE-2024-1234", "GHSA-...", "DLA-3008-1", "PYSEC-..." */
    const char **aliases; /* other ids of the same vulnerability, sorted, without id */
    size_t naliases;
    const char *summary;   /* or NULL */
    const char *published; /* RFC 3339 as written, or NULL */
    const char *modified;  /* or NULL */
    const char *withdrawn; /* importers report it; the database never stores withdrawn ones */
    const char *cvss;      /* the CVSS vector the severity came from (v3.x or v4.0), or NULL */
    int cvss_score10;      /* its base score in tenths (vuln/cvss.h), -1 when none */
    const char *source;    /* "osv", "alpine-secdb": which importer read it */
    struct bh_affected *affected;
    size_t naffected;
};

/* One advisory that applies to one installed package. */
struct bh_vulnmatch {
    const char *id;
    const char **aliases;
    size_t naliases;
    const char *summary;         /* or NULL */
    size_t pkg;                  /* index into the scanned target's packages */
    const char *ecosystem;       /* the key it matched under */
    const char *package;         /* the name it matched under (e.g. the source package) */
    const char *installed;       /* the version compared */
    const char *fixed;           /* the lowest fixed version above installed, or NULL: no fix */
    enum bh_severity severity;   /* from cvss_score10, else the ecosystem's severity, else
                                    BH_SEV_MEDIUM (docs/rules/IMG-VULN.md) */
    const char *severity_source; /* "cvss", "ecosystem", "default" */
    const char *cvss;            /* or NULL */
    int cvss_score10;            /* -1 when none */
};

struct bh_vulnmatches {
    struct bh_vulnmatch *v;
    size_t n, cap;
};

/* What IMG-VULN reads: a target's packages and the matches against them. */
struct bh_vulnset {
    const char *target; /* findings' loc.file */
    const struct bh_packages *pkgs;
    const struct bh_vulnmatch *v;
    size_t n;
};

#endif
