/*
 * vulndb.h - the vulnerability database: one SQLite file (schema in
 * docs/internals/vulndb.md), written once by `bulkhead db build|update` and
 * opened read-only by scans, which look advisories up by (ecosystem, package
 * name) through an index. SQLite itself is reached only through input/sqlite.h.
 */
#ifndef BH_VULNDB_H
#define BH_VULNDB_H

#include "core/err.h"
#include "model/vuln.h"

#include <stddef.h>

struct bh_arena;
struct bh_vulndb;
struct bh_vulndb_writer;

/* The schema version this build writes and reads; a database with another is refused. */
#define BH_VULNDB_SCHEMA 1

/* ---- writing ---- */

/*
 * Start a new database at path (which must not exist: callers write to a temporary name
 * and rename, see bh_vulndb_finish). Errors: BH_EIO, BH_ENOMEM.
 */
int bh_vulndb_create(const char *path, struct bh_vulndb_writer **out, struct bh_err *err);
/*
 * Add one advisory (copied; adv may be freed after). Withdrawn advisories are refused with
 * BH_EUSAGE: importers drop them. Advisories are merged by alias when the writer finishes:
 * records that share an id or alias and affect the same (ecosystem, package) become one
 * advisory for that package (docs/internals/vulndb.md "Aliases").
 */
int bh_vulndb_add(struct bh_vulndb_writer *w, const struct bh_advisory *adv, struct bh_err *err);
/* Record one source the database was built from (shown by `db info`). */
int bh_vulndb_add_source(struct bh_vulndb_writer *w, const char *name, const char *location,
                         const char *sha256, long long fetched, size_t records, size_t withdrawn,
                         struct bh_err *err);
/*
 * Merge aliases, write the index, store built (seconds since the epoch), commit, fsync and
 * close. The file is complete only when this returns 0. w is freed either way.
 */
int bh_vulndb_finish(struct bh_vulndb_writer *w, long long built, struct bh_err *err);
/* Give up: close and delete the unfinished file. NULL is fine. */
void bh_vulndb_abort(struct bh_vulndb_writer *w);

/* ---- reading ---- */

/*
 * Open path read-only. Errors: BH_EIO (no such file: the message says so and names
 * `bulkhead db update`), BH_EPARSE (not a bulkhead database, or another schema version: the
 * message says which and how to rebuild).
 */
int bh_vulndb_open(const char *path, struct bh_vulndb **out, struct bh_err *err);
void bh_vulndb_close(struct bh_vulndb *db);

/*
 * The advisories affecting (ecosystem, name), each with only the bh_affected entries of
 * that package, appended to *out / *n (arrays in a). Keys as model/vuln.h describes.
 */
int bh_vulndb_lookup(struct bh_vulndb *db, struct bh_arena *a, const char *ecosystem,
                     const char *name, struct bh_advisory **out, size_t *n, struct bh_err *err);

struct bh_vulndb_source {
    const char *name;     /* "osv:PyPI", "alpine-secdb:v3.20/main" */
    const char *location; /* path or URL it was read from */
    const char *sha256;   /* of the bytes read, or NULL */
    long long fetched;    /* seconds since the epoch */
    size_t records, withdrawn;
};

struct bh_vulndb_info {
    int schema;
    long long built; /* seconds since the epoch */
    size_t advisories, affected, packages;
    struct bh_vulndb_source *sources;
    size_t nsources;
    /* per-ecosystem counts of affected entries */
    const char **ecosystems;
    size_t *ecosystem_counts;
    size_t necosystems;
};

int bh_vulndb_info(struct bh_vulndb *db, struct bh_arena *a, struct bh_vulndb_info *out,
                   struct bh_err *err);

#endif
