/*
 * sqlite.c - SQLite behind a small interface: in-memory read-only databases from bytes we
 * were given (sqlite3_deserialize), opened defensively because they may come from an image,
 * and iteration over a blob column; and database files with prepared statements, for the
 * vulnerability database (created and written by `db build`, read read-only by scans).
 * Only our own SQL text is ever prepared here.
 */
#include "input/sqlite.h"

#include "core/limits.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

struct bh_sqlite {
    sqlite3 *db;
    const char *file;
    char *owned_file;         /* file, when we copied it (bh_sqlite_open_file) */
    unsigned long long ticks; /* progress-handler calls of the running query */
    bool over;                /* the running query hit BH_MAX_SQLITE_STEPS */
};

/* The progress handler runs every this many VM steps. */
#define SQLITE_TICK 1000

static int on_progress(void *ctx)
{
    struct bh_sqlite *s = ctx;

    if (++s->ticks > BH_MAX_SQLITE_STEPS / SQLITE_TICK) {
        s->over = true;
        return 1;
    }
    return 0;
}

int bh_sqlite_open_mem(const char *file, const void *data, size_t len, struct bh_sqlite **out,
                       struct bh_err *err)
{
    struct bh_sqlite *s;
    unsigned char *copy;
    int rc;

    *out = NULL;
    if (len < 100 || memcmp(data, "SQLite format 3", 16) != 0)
        return bh_err_set(err, BH_EPARSE, file, 0, 0, "not an sqlite database");
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    s->file = file;
    rc = sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        goto fail_nomem;
    copy = sqlite3_malloc64(len);
    if (copy == NULL)
        goto fail_nomem;
    memcpy(copy, data, len);
    /* bytes 18 and 19 are the write and read format versions; 2 means WAL */
    if (copy[18] == 2)
        copy[18] = 1;
    if (copy[19] == 2)
        copy[19] = 1;
    rc = sqlite3_deserialize(s->db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
        bh_err_set(err, BH_EPARSE, file, 0, 0, "cannot open sqlite database: %s",
                   sqlite3_errstr(rc));
        bh_sqlite_close(s);
        return BH_EPARSE;
    }
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, (int)BH_MAX_RPM_HEADER_DATA);
    sqlite3_exec(s->db, "PRAGMA cell_size_check=ON; PRAGMA query_only=ON;", NULL, NULL, NULL);
    sqlite3_progress_handler(s->db, SQLITE_TICK, on_progress, s);
    *out = s;
    return 0;

fail_nomem:
    bh_sqlite_close(s);
    return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory opening sqlite database");
}

bool bh_sqlite_has_table(struct bh_sqlite *s, const char *table)
{
    sqlite3_stmt *st = NULL;
    bool found = false;

    s->ticks = 0;
    s->over = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    if (sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        found = true;
    sqlite3_finalize(st);
    return found;
}

int bh_sqlite_each_blob(struct bh_sqlite *s, const char *sql,
                        int (*fn)(void *ctx, const void *blob, size_t len), void *ctx,
                        struct bh_err *err)
{
    sqlite3_stmt *st = NULL;
    const void *blob;
    int rc, n, ret = 0;
    size_t row = 0;

    s->ticks = 0;
    s->over = false;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return bh_err_set(err, BH_EPARSE, s->file, 0, 0, "sqlite query failed: %s",
                          sqlite3_errmsg(s->db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row++;
        if (sqlite3_column_type(st, 0) != SQLITE_BLOB) {
            ret = bh_err_set(err, BH_EPARSE, s->file, 0, 0, "sqlite row %zu: not a blob", row);
            goto out;
        }
        blob = sqlite3_column_blob(st, 0);
        n = sqlite3_column_bytes(st, 0);
        if (blob == NULL && n != 0) {
            ret = bh_err_set(err, BH_ENOMEM, s->file, 0, 0, "out of memory reading sqlite row");
            goto out;
        }
        if ((ret = fn(ctx, blob != NULL ? blob : "", (size_t)n)) != 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        if (s->over)
            ret = bh_err_set(err, BH_ELIMIT, s->file, 0, 0,
                             "sqlite query ran past BH_MAX_SQLITE_STEPS (%llu steps)",
                             (unsigned long long)BH_MAX_SQLITE_STEPS);
        else if (rc == SQLITE_NOMEM)
            ret = bh_err_set(err, BH_ENOMEM, s->file, 0, 0, "out of memory in sqlite");
        else
            ret = bh_err_set(err, BH_EPARSE, s->file, 0, 0, "sqlite database is unreadable: %s",
                             sqlite3_errmsg(s->db));
    }
out:
    sqlite3_finalize(st);
    return ret;
}

void bh_sqlite_close(struct bh_sqlite *s)
{
    if (s == NULL)
        return;
    sqlite3_close(s->db);
    free(s->owned_file);
    free(s);
}

/* ---- files and statements ---- */

struct bh_sqlite_stmt {
    sqlite3_stmt *st;
    struct bh_sqlite *s;
};

/* The same defences as for an in-memory image: the file may have been put there by anyone. */
static void harden(struct bh_sqlite *s)
{
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_exec(s->db, "PRAGMA cell_size_check=ON; PRAGMA query_only=ON;", NULL, NULL, NULL);
    sqlite3_progress_handler(s->db, SQLITE_TICK, on_progress, s);
}

/* Turn a failed sqlite call into a BH_E* code and message. */
static int fail(struct bh_sqlite *s, int rc, struct bh_err *err, const char *what)
{
    const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return bh_err_set(err, BH_ENOMEM, s->file, 0, 0, "out of memory in sqlite (%s)", what);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return bh_err_set(err, BH_EPARSE, s->file, 0, 0, "not a usable sqlite database: %s", msg);
    case SQLITE_INTERRUPT:
        if (s->over)
            return bh_err_set(err, BH_ELIMIT, s->file, 0, 0,
                              "sqlite query ran past BH_MAX_SQLITE_STEPS (%llu steps)",
                              (unsigned long long)BH_MAX_SQLITE_STEPS);
        break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return bh_err_set(err, BH_EIO, s->file, 0, 0, "sqlite %s failed: %s", what, msg);
    default:
        break;
    }
    return bh_err_set(err, BH_EPARSE, s->file, 0, 0, "sqlite %s failed: %s", what, msg);
}

int bh_sqlite_open_file(const char *path, bool create, struct bh_sqlite **out, struct bh_err *err)
{
    struct bh_sqlite *s;
    struct stat sb;
    int rc, flags;

    *out = NULL;
    if (!create && stat(path, &sb) != 0) {
        int e = errno;

        bh_err_set(err, BH_EIO, path, 0, 0, "cannot open: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return BH_EIO;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->owned_file = strdup(path)) == NULL) {
        free(s);
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory");
    }
    s->file = s->owned_file;
    flags = SQLITE_OPEN_NOMUTEX |
            (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
    rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = (rc & 0xff) == SQLITE_NOMEM
                 ? bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory")
                 : bh_err_set(err, BH_EIO, path, 0, 0, "cannot open: %s",
                              s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        bh_sqlite_close(s);
        return rc;
    }
    sqlite3_extended_result_codes(s->db, 1);
    if (!create) {
        harden(s);
        /*
         * One read transaction for the life of the handle: lookups then take no file lock of
         * their own (a lock and an fstat per query otherwise) and keep the page cache. An
         * update renames a new file over this one and never writes it in place, so holding
         * the snapshot blocks nothing.
         */
        sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    }
    /* sqlite reads the header lazily: make a file that is no database fail here */
    rc = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = fail(s, rc, err, "open");
        bh_sqlite_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int bh_sqlite_exec(struct bh_sqlite *s, const char *sql, struct bh_err *err)
{
    int rc;

    s->ticks = 0;
    s->over = false;
    rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail(s, rc, err, "statement");
}

int bh_sqlite_prepare(struct bh_sqlite *s, const char *sql, struct bh_sqlite_stmt **out,
                      struct bh_err *err)
{
    struct bh_sqlite_stmt *st;
    int rc;

    *out = NULL;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return bh_err_set(err, BH_ENOMEM, s->file, 0, 0, "out of memory");
    st->s = s;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st->st, NULL);
    if (rc != SQLITE_OK) {
        free(st);
        return fail(s, rc, err, "prepare");
    }
    *out = st;
    return 0;
}

int bh_sqlite_bind_text(struct bh_sqlite_stmt *st, int i, const char *v, struct bh_err *err)
{
    int rc =
        v ? sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->st, i);

    return rc == SQLITE_OK ? 0 : fail(st->s, rc, err, "bind");
}

int bh_sqlite_bind_int(struct bh_sqlite_stmt *st, int i, long long v, struct bh_err *err)
{
    int rc = sqlite3_bind_int64(st->st, i, (sqlite3_int64)v);

    return rc == SQLITE_OK ? 0 : fail(st->s, rc, err, "bind");
}

int bh_sqlite_bind_blob(struct bh_sqlite_stmt *st, int i, const void *p, size_t n,
                        struct bh_err *err)
{
    /* a zero-length blob is still a blob, not NULL: give sqlite a non-NULL pointer */
    int rc = sqlite3_bind_blob64(st->st, i, p ? p : "", (sqlite3_uint64)n, SQLITE_TRANSIENT);

    return rc == SQLITE_OK ? 0 : fail(st->s, rc, err, "bind");
}

int bh_sqlite_step(struct bh_sqlite_stmt *st, struct bh_err *err)
{
    int rc;

    if (!sqlite3_stmt_busy(st->st)) {
        /* a new run of the statement: the step budget counts per query */
        st->s->ticks = 0;
        st->s->over = false;
    }
    rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail(st->s, rc, err, "query");
}

const char *bh_sqlite_column_text(struct bh_sqlite_stmt *st, int i)
{
    if (sqlite3_column_type(st->st, i) == SQLITE_NULL)
        return NULL;
    return (const char *)sqlite3_column_text(st->st, i);
}

long long bh_sqlite_column_int(struct bh_sqlite_stmt *st, int i)
{
    return (long long)sqlite3_column_int64(st->st, i);
}

const void *bh_sqlite_column_blob(struct bh_sqlite_stmt *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(st->st, i);
    int len = sqlite3_column_bytes(st->st, i);

    *n = len > 0 ? (size_t)len : 0;
    return p;
}

void bh_sqlite_reset(struct bh_sqlite_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

void bh_sqlite_finalize(struct bh_sqlite_stmt *st)
{
    if (st == NULL)
        return;
    sqlite3_finalize(st->st);
    free(st);
}
