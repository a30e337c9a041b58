/*
 * sqlite.c - SQLite behind a small interface: in-memory read-only databases from bytes we
 * were given (sqlite3_deserialize), opened defensively because they may come from an image,
 * and iteration over a blob column. It does not create or write databases.
 */
#include "input/sqlite.h"

#include "core/limits.h"

#include <sqlite3.h>
#include <string.h>

struct bh_sqlite {
    sqlite3 *db;
    const char *file;
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
    free(s);
}
