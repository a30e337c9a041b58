/*
 * sqlite.h - the one door to SQLite (the only includer of sqlite3.h): open a database
 * held in memory, read-only and defensively (it may come from an image), and walk the
 * blob column of a query's rows. Nothing of sqlite3 leaves input/sqlite.c.
 */
#ifndef BH_SQLITE_H
#define BH_SQLITE_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_sqlite;

/*
 * Open the database image (data, len) read-only; file names it in errors. The bytes are
 * copied (a WAL-mode header is rewritten to rollback mode in the copy: the -wal file is not
 * ours to read), so data may be released after the call. Views, triggers and functions of
 * the schema are not trusted (trusted_schema off, defensive mode).
 * Errors: BH_EPARSE (not a database SQLite can open), BH_ENOMEM.
 */
int bh_sqlite_open_mem(const char *file, const void *data, size_t len, struct bh_sqlite **out,
                       struct bh_err *err);
/* True when the database has a plain table (not a view) of that name. */
bool bh_sqlite_has_table(struct bh_sqlite *db, const char *table);
/*
 * Run sql (our own text, never from input) and call fn(ctx, blob, len) with column 0 of
 * every row; a row whose column 0 is not a BLOB is BH_EPARSE. Stops at the first nonzero
 * return of fn and returns it. A query that runs past BH_MAX_SQLITE_STEPS virtual machine
 * steps is BH_ELIMIT; a corrupt database BH_EPARSE.
 */
int bh_sqlite_each_blob(struct bh_sqlite *db, const char *sql,
                        int (*fn)(void *ctx, const void *blob, size_t len), void *ctx,
                        struct bh_err *err);
/* Close and free; NULL is fine. */
void bh_sqlite_close(struct bh_sqlite *db);

/* ---- files and statements (the vulnerability database, vuln/vulndb.c) ---- */

struct bh_sqlite_stmt;

/*
 * Open the database file at path: read-only (never created; other schemas' views and
 * triggers not trusted, as above) or, with create, a new file for writing. Errors: BH_EIO
 * (cannot open or create), BH_EPARSE (not a database), BH_ENOMEM.
 */
int bh_sqlite_open_file(const char *path, bool create, struct bh_sqlite **out, struct bh_err *err);
/* Run one or more statements of our own text (no results). */
int bh_sqlite_exec(struct bh_sqlite *db, const char *sql, struct bh_err *err);
/* Prepare one statement of our own text; parameters are numbered from 1. */
int bh_sqlite_prepare(struct bh_sqlite *db, const char *sql, struct bh_sqlite_stmt **out,
                      struct bh_err *err);
/* Bind parameter i: text (NULL binds SQL NULL; copied), integer, blob (copied). */
int bh_sqlite_bind_text(struct bh_sqlite_stmt *st, int i, const char *s, struct bh_err *err);
int bh_sqlite_bind_int(struct bh_sqlite_stmt *st, int i, long long v, struct bh_err *err);
int bh_sqlite_bind_blob(struct bh_sqlite_stmt *st, int i, const void *p, size_t n,
                        struct bh_err *err);
/* Step: 1 a row is ready, 0 done, negative BH_E* on error. */
int bh_sqlite_step(struct bh_sqlite_stmt *st, struct bh_err *err);
/* Column i (from 0) of the current row: text (NULL for SQL NULL; valid until the next step),
 * integer, blob (*n its length). */
const char *bh_sqlite_column_text(struct bh_sqlite_stmt *st, int i);
long long bh_sqlite_column_int(struct bh_sqlite_stmt *st, int i);
const void *bh_sqlite_column_blob(struct bh_sqlite_stmt *st, int i, size_t *n);
/* Reset for another run with new bindings (bindings are cleared). */
void bh_sqlite_reset(struct bh_sqlite_stmt *st);
/* Finalize; NULL is fine. */
void bh_sqlite_finalize(struct bh_sqlite_stmt *st);

#endif
