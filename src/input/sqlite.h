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

#endif
