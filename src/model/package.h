/*
 * package.h - an installed package, whatever recorded it (dpkg, apk, rpm,
 * language metadata): name, version as its ecosystem writes it, source
 * package, purl, and where it was found. Plain structs, no I/O.
 */
#ifndef BH_PACKAGE_H
#define BH_PACKAGE_H

#include <stddef.h>

enum bh_pkg_kind {
    BH_PKG_DPKG,
    BH_PKG_APK,
    BH_PKG_RPM,
    BH_PKG_NPM,
    BH_PKG_PYPI,
    BH_PKG_GO,
    BH_PKG_MAVEN,
    BH_PKG_CARGO,
    BH_PKG_GEM,
    BH_PKG_COMPOSER,
};

struct bh_package {
    enum bh_pkg_kind kind;
    const char *name;
    /*
     * The version as the ecosystem compares it: dpkg "[epoch:]upstream[-revision]",
     * apk "1.2.3-r4", rpm "[epoch:]version-release", others as written.
     */
    const char *version;
    const char *arch;        /* or NULL */
    const char *src_name;    /* dpkg Source:, apk origin, rpm source package name; or NULL */
    const char *src_version; /* dpkg Source: (version) when it differs; or NULL */
    const char *license;     /* or NULL */
    const char *purl;        /* package URL (pkg:deb/debian/openssl@3.0.11-1?arch=amd64) */
    const char *path;        /* the file it was read from, e.g. "var/lib/dpkg/status" */
    int layer;               /* image layer that installed it, -1 when unknown */
};

/* The OS an image or root filesystem says it is (input/pkgdb reads it). */
struct bh_osinfo {
    const char *id;         /* "debian", "alpine", "rhel", ... (lower case) */
    const char *version_id; /* "12", "3.20.3", "9.4"; or NULL */
    const char *codename;   /* "bookworm"; or NULL */
    const char *pretty;     /* PRETTY_NAME; or NULL */
    const char *id_like;    /* ID_LIKE; or NULL */
    const char *source;     /* the file it came from ("/etc/os-release"), or NULL */
    int line;               /* line of VERSION_ID in source (1 for one-line files), 0 unknown */
};

struct bh_packages {
    struct bh_package *v;
    size_t n, cap;
};

/* "deb", "apk", "rpm", "npm", "pypi", "golang", "maven", "cargo", "gem", "composer". */
const char *bh_pkg_kind_name(enum bh_pkg_kind k);

#endif
