/*
 * rootfs.h - an unpacked root filesystem (a directory, the host's "/"
 * included) read into the image model as a one-layer image: the same file
 * index, captures, secret hits and package readers as a layer pass, so every
 * image rule that looks at files runs on it unchanged.
 */
#ifndef BH_ROOTFS_H
#define BH_ROOTFS_H

#include "core/err.h"
#include "model/image.h"

struct bh_arena;
struct bh_secretscan;

struct bh_rootfs_opts {
    const struct bh_secretscan *secrets; /* NULL: no content scanning */
    long long now;                       /* scan time (IMG-AGE has no config to read) */
};

/*
 * Walk dir without following symbolic links or leaving its filesystem (mount points below
 * it are listed but not entered; for "/" that keeps /proc, /sys and /dev out) and fill *img
 * (source "rootfs", target dir, layer 0, merged, img->os set). Files that cannot be read are
 * recorded in img->layers[0].error only when the root itself cannot be read; otherwise an
 * unreadable file is skipped with its path counted in *unreadable (callers report the count).
 * Errors: BH_EIO (dir missing or not a directory), BH_ELIMIT past BH_MAX_IMAGE_FILES,
 * BH_ENOMEM.
 */
int bh_rootfs_load(struct bh_arena *a, const char *dir, const struct bh_rootfs_opts *o,
                   struct bh_image *img, size_t *unreadable, struct bh_err *err);

#endif
