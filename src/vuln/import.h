/*
 * import.h - advisory importers: OSV records (a JSON object, a JSON array of
 * them, a directory of .json files, or a zip export such as osv.dev's
 * per-ecosystem all.zip) and Alpine secdb files (YAML or JSON). Formats are
 * told apart by content, not by name. Bytes in, struct bh_advisory out.
 */
#ifndef BH_VULN_IMPORT_H
#define BH_VULN_IMPORT_H

#include "core/err.h"
#include "model/vuln.h"

#include <stddef.h>

struct bh_arena;

enum bh_import_format {
    BH_IMPORT_UNKNOWN,
    BH_IMPORT_OSV,   /* one OSV JSON object, or an array of them */
    BH_IMPORT_SECDB, /* Alpine secdb: {distroversion, reponame, packages: [{pkg: ...}]} */
    BH_IMPORT_ZIP,   /* a zip of OSV .json files */
};

/* Which format (data, len) is, from its first bytes and structure. */
enum bh_import_format bh_import_detect(const void *data, size_t len);

struct bh_import_stats {
    size_t records;   /* advisories handed to fn */
    size_t withdrawn; /* records skipped because they are withdrawn */
    size_t skipped;   /* affected entries skipped (no package, unknown range type) */
};

/*
 * Called for every advisory read, in source order; adv and its strings live in the arena
 * given to the importer and may be gone after fn returns (copy what you keep). A nonzero
 * return stops the import and is returned.
 */
typedef int (*bh_import_fn)(void *ctx, const struct bh_advisory *adv);

/*
 * Import the content (data, len) of file (named in errors). Withdrawn records are counted,
 * never handed to fn. Secdb files: every "fixed version: [ids]" entry becomes one advisory
 * per id with a range {introduced 0, fixed version} for that package; a fixed version "0"
 * means never affected in that branch and is skipped. Errors: BH_EPARSE naming file and the
 * record (and line for YAML), BH_ELIMIT past the limits in core/limits.h, BH_ENOMEM; a record
 * that fails to read fails the import (a feed is all or nothing).
 */
int bh_import_buf(struct bh_arena *a, const char *file, const void *data, size_t len,
                  bh_import_fn fn, void *ctx, struct bh_import_stats *st, struct bh_err *err);

/* The same for a path: a file (any format above) or a directory (every *.json and *.yaml
 * file under it, in sorted order, bounded depth). */
int bh_import_path(struct bh_arena *a, const char *path, bh_import_fn fn, void *ctx,
                   struct bh_import_stats *st, struct bh_err *err);

#endif
