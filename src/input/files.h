/*
 * files.h - reading whole files (bounded) for the readers and the commands.
 */
#ifndef BH_FILES_H
#define BH_FILES_H

#include "core/err.h"

#include <stddef.h>

struct bh_arena;

/*
 * Read path ("-" = stdin) into the arena, NUL-terminated. Fails with
 * BH_ELIMIT (naming BH_MAX_CONFIG_FILE) when larger than max, BH_EIO otherwise.
 */
int bh_file_read(struct bh_arena *a, const char *path, size_t max, char **data, size_t *len,
                 struct bh_err *err);

#endif
