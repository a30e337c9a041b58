/*
 * pkgdb.h - readers of OS package databases and OS identity: dpkg `status`
 * (and the files of distroless status.d directories, same format), apk `installed`, rpm
 * databases in all three formats (rpmdb.sqlite, BerkeleyDB Packages, NDB
 * Packages.db; header blobs parsed by our own code), and os-release and
 * friends. Bytes in, struct bh_package out; nothing is judged here.
 */
#ifndef BH_PKGDB_H
#define BH_PKGDB_H

#include "core/err.h"
#include "model/image.h"
#include "model/package.h"

#include <stddef.h>

struct bh_arena;

/*
 * Each reader parses (data, len), the content of file, and appends to *out (arrays in a),
 * setting path = file and layer on every package. Errors: BH_EPARSE naming file and the
 * line (text formats) or byte offset (binary formats); BH_ELIMIT past the limits in
 * core/limits.h; BH_ENOMEM. Entries that are not installed (dpkg status other than
 * "install ok installed") are skipped, not errors.
 */
int bh_pkgdb_dpkg(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                  struct bh_packages *out, struct bh_err *err);
int bh_pkgdb_apk(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err);
/* The three rpm formats, told apart by their magic bytes. */
int bh_pkgdb_rpm(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err);

/*
 * OS identity from the content of os-release (file "etc/os-release" or
 * "usr/lib/os-release"), or the one-line release files (etc/debian_version,
 * etc/alpine-release, etc/redhat-release, ...): fills what the file says, leaving the
 * rest. BH_EPARSE for a file it cannot read.
 */
int bh_pkgdb_osinfo(struct bh_arena *a, const char *file, const char *data, size_t len,
                    struct bh_osinfo *out, struct bh_err *err);

/*
 * The OS of an image's final tree into img->os, from its captured files: etc/os-release,
 * else usr/lib/os-release, else etc/debian_version, etc/alpine-release and the
 * <name>-release line files. Unreadable files leave it unknown (all NULL); never fails.
 */
void bh_pkgdb_image_os(struct bh_arena *a, struct bh_image *img);

/* The purl of p given the OS (namespace "debian", "alpine", ...; distro qualifier). */
const char *bh_pkgdb_purl(struct bh_arena *a, const struct bh_package *p,
                          const struct bh_osinfo *os);

/* A package file of an image that could not be read; the others still are. */
struct bh_pkgdb_error {
    const char *file; /* image path, e.g. "var/lib/dpkg/status" */
    int layer;
    int line;            /* 0 when unknown or binary */
    const char *message; /* complete, names the file */
};

/*
 * Every installed package of img's final tree into *out: dpkg (var/lib/dpkg/status and the
 * files of var/lib/dpkg/status.d), apk (lib/apk/db/installed), rpm (the databases in
 * var/lib/rpm and usr/lib/sysimage/rpm: rpmdb.sqlite, Packages.db, Packages), the language
 * files bh_pkgdb_lang_wants takes, and the packages the layer pass read out of binaries and
 * archives (img parts' packages, kept only while their file is in the final tree). purls carry
 * img->os (call bh_pkgdb_image_os first). A file that fails to read (or was truncated at
 * capture) adds an entry to *errs and the others are still read. Order: OS packages in
 * database order, then language packages by path. Errors: BH_ENOMEM only.
 */
int bh_pkgdb_image_packages(struct bh_arena *a, const struct bh_image *img, struct bh_packages *out,
                            struct bh_pkgdb_error **errs, size_t *nerrs);

#endif
