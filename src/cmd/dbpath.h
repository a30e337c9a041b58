/*
 * dbpath.h - where the vulnerability database lives when no --db is given:
 * $XDG_CACHE_HOME/bulkhead/vuln.db, else $HOME/.cache/bulkhead/vuln.db.
 * Shared by `bulkhead db` and the scanning commands' --db (vulnopts.c).
 */
#ifndef BH_CMD_DBPATH_H
#define BH_CMD_DBPATH_H

#include <stddef.h>

/*
 * Write the default database path into buf (cap bytes) and return buf, or NULL when neither
 * XDG_CACHE_HOME (absolute) nor HOME is set or the path does not fit.
 */
const char *bh_db_default_path(char *buf, size_t cap);

/* fsync the directory holding path (after a rename into it); 0 or -1. */
int bh_db_sync_dir_of(const char *path);
/* mkdir -p of path's directory (the default cache directory may not exist yet); 0 or -1. */
int bh_db_make_parent(const char *path);

struct bh_ctx;
/* `bulkhead db update` (dbupdate.c); argv[0] is "update". */
int bh_db_update(int argc, char **argv, struct bh_ctx *ctx);

#endif
