/*
 * lang.h - readers of language package metadata found in images: npm (installed
 * package.json files and package-lock.json v1-v3), Python (dist-info METADATA, egg-info
 * PKG-INFO), PHP (vendor/composer/installed.json), Ruby (gemspecs in specifications/) and Rust
 * (Cargo.lock). Bytes in, struct bh_package out, like the OS readers in pkgdb.h. Go binaries
 * and Java archives are read elsewhere.
 */
#ifndef BH_PKGDB_LANG_H
#define BH_PKGDB_LANG_H

#include "core/err.h"
#include "model/package.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

/*
 * Each reader parses (data, len), the content of file, and appends to *out (arrays in a),
 * setting kind, name, version, license (or NULL), purl (bh_pkgdb_purl with no OS), path = file
 * and layer on every package. A file that fails to read adds nothing. Errors: BH_EPARSE naming
 * file and the line (text formats) or the JSON path in the message (JSON formats); BH_ELIMIT
 * past BH_MAX_LANGPKG_BYTES, BH_MAX_JSON_* or BH_MAX_PKGDB_PACKAGES; BH_ENOMEM.
 *
 * Entries that do not describe an installed third-party package are skipped, not errors: an
 * npm package.json without a name or version (private and workspace roots), lockfile entries
 * for the root project, links, workspace sources and "file:" dependencies, Cargo.lock
 * packages without a source (the workspace's own crates and path dependencies).
 */

/* node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json: one package. */
int bh_pkgdb_npm(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err);
/*
 * package-lock.json or npm-shrinkwrap.json: lockfileVersion 1 (the nested "dependencies"
 * tree, bounded by BH_MAX_NPM_LOCK_DEPTH), 2 and 3 (the "packages" map keyed by install
 * path). Aliases ("npm:real@1.2.3", or "name" in a packages entry) are recorded under the
 * real package name.
 */
int bh_pkgdb_npm_lock(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                      struct bh_packages *out, struct bh_err *err);
/*
 * *.dist-info/METADATA, *.egg-info/PKG-INFO (or an *.egg-info file): the RFC 822 header block
 * (Name, Version, License-Expression or License); the body after it is ignored. The name is kept
 * as written; the purl carries the PEP 503 normalised name.
 */
int bh_pkgdb_python(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                    struct bh_packages *out, struct bh_err *err);
/* vendor/composer/installed.json: Composer 1 (an array) and 2 ({"packages": [...]}). */
int bh_pkgdb_composer(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                      struct bh_packages *out, struct bh_err *err);
/*
 * specifications/NAME-VERSION.gemspec as RubyGems generates it: `s.name = "x".freeze`,
 * `s.version = "1.2.3"`, `s.license(s) = ...`. Only plain string literals are accepted (no
 * interpolation, no expressions); anything else for name or version is BH_EPARSE.
 */
int bh_pkgdb_gemspec(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                     struct bh_packages *out, struct bh_err *err);
/* Cargo.lock (versions 1-4): the name, version and source of each [[package]] table. */
int bh_pkgdb_cargo(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                   struct bh_packages *out, struct bh_err *err);

/*
 * Whether path (an image path, with or without a leading "/" or "./") is a file one of the
 * readers above takes, and then its ecosystem in *kind (kind may be NULL). Lockfiles and
 * package.json files inside a package's own directory tree (a lockfile shipped in
 * node_modules, a package.json deeper than NAME/) are not wanted.
 */
bool bh_pkgdb_lang_wants(const char *path, enum bh_pkg_kind *kind);

/* The reader bh_pkgdb_lang_wants picks for file; BH_EUNSUPPORTED when it wants none. */
int bh_pkgdb_lang_read(struct bh_arena *a, const char *file, const char *data, size_t len,
                       int layer, struct bh_packages *out, struct bh_err *err);

#endif
