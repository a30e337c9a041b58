/*
 * match.h - the matcher: which advisories apply to an installed package.
 * Vendor first: OS packages only against their distribution's release
 * (Debian by source package, Alpine by origin), language packages against
 * their ecosystem; no CPE guessing. OSV ranges are evaluated exactly with
 * the ecosystem's own version ordering (vuln/version).
 */
#ifndef BH_VULN_MATCH_H
#define BH_VULN_MATCH_H

#include "core/err.h"
#include "model/package.h"
#include "model/vuln.h"

#include <stdbool.h>

struct bh_arena;
struct bh_vulndb;

/* The database key and the version to compare for an installed package. */
struct bh_vulnkey {
    const char *ecosystem; /* "Debian:12", "Alpine:v3.20", "PyPI", ... (model/vuln.h) */
    const char *name;      /* source package / origin for OS packages; PEP 503 for PyPI */
    const char *version;   /* source version when the ecosystem keys by source */
};

/*
 * The key of p on the OS os (os may be NULL for language packages). False when there is no
 * data to match against: an OS package whose distribution or release is unknown or has no
 * advisory ecosystem (the caller notes it once per target).
 */
bool bh_vuln_key(struct bh_arena *a, const struct bh_package *p, const struct bh_osinfo *os,
                 struct bh_vulnkey *out);

/*
 * Does af cover version v (compared in the scheme of af->ecosystem; SEMVER ranges in
 * SemVer)? 1 yes, 0 no. *fixed gets the lowest "fixed" event above v when affected, else
 * NULL. GIT ranges never match. Unparsable versions: 0, with *note set to why.
 */
int bh_vuln_affects(const struct bh_affected *af, const char *v, const char **fixed,
                    const char **note);

/*
 * Match every package of pkgs (an image's or root filesystem's, OS os) against db and
 * append to *out, one match per (advisory, package). Matches are sorted by package index,
 * then id. Errors only from the database.
 */
int bh_vuln_match(struct bh_arena *a, struct bh_vulndb *db, const struct bh_packages *pkgs,
                  const struct bh_osinfo *os, struct bh_vulnmatches *out, struct bh_err *err);

#endif
