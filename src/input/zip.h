/*
 * zip.h - walk the members of a zip archive (OSV's all.zip exports, Java
 * JAR/WAR/EAR files, nested ones included) through libarchive's zip reader,
 * handing each regular member's whole content to a callback. Bounded: member
 * count, member size (the caller's cap) and inflation ratio.
 */
#ifndef BH_ZIP_H
#define BH_ZIP_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

/* Does (data, len) start like a zip archive ("PK\3\4", or "PK\5\6" for an empty one)? */
bool bh_zip_magic(const void *data, size_t len);

/*
 * Called for every regular member, in archive order, with its name as stored and its whole
 * content (data is valid only during the call). Return 0 to go on, 1 to stop early without
 * error, or a negative BH_E* (with err filled) to fail the walk.
 */
typedef int (*bh_zip_fn)(void *ctx, const char *name, const void *data, size_t len,
                         struct bh_err *err);

/*
 * Walk the zip held in (data, len); label names it in errors. A member larger than
 * max_member bytes, members inflating in all to more than BH_MAX_ZIP_RATIO times the
 * archive's size (plus 1 MiB), or more than BH_MAX_ZIP_MEMBERS members are BH_ELIMIT; a
 * damaged archive BH_EPARSE naming the member. Encrypted members are BH_EUNSUPPORTED.
 */
int bh_zip_walk_mem(const char *label, const void *data, size_t len, size_t max_member,
                    bh_zip_fn fn, void *ctx, struct bh_err *err);
/* The same for the zip file at path (streamed, never read whole). */
int bh_zip_walk_file(const char *path, size_t max_member, bh_zip_fn fn, void *ctx,
                     struct bh_err *err);

#endif
