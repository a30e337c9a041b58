/*
 * package.c - names of package kinds as purl types use them. The structs in
 * package.h are plain data; readers in input/pkgdb/ and the language readers fill them.
 */
#include "model/package.h"

const char *bh_pkg_kind_name(enum bh_pkg_kind k)
{
    switch (k) {
    case BH_PKG_DPKG:
        return "deb";
    case BH_PKG_APK:
        return "apk";
    case BH_PKG_RPM:
        return "rpm";
    case BH_PKG_NPM:
        return "npm";
    case BH_PKG_PYPI:
        return "pypi";
    case BH_PKG_GO:
        return "golang";
    case BH_PKG_MAVEN:
        return "maven";
    case BH_PKG_CARGO:
        return "cargo";
    case BH_PKG_GEM:
        return "gem";
    case BH_PKG_COMPOSER:
        return "composer";
    }
    return "generic";
}
