/*
 * reader.h - a pull stream of bytes: what the layer pass reads from, whatever
 * the bytes come from (a file, a member of a tar, an HTTP body, memory).
 * libc only; the implementations live next to their sources.
 */
#ifndef BH_READER_H
#define BH_READER_H

#include "core/err.h"

#include <stddef.h>

struct bh_reader {
    /*
     * Copy up to cap (> 0) bytes into buf and set *got; *got == 0 means the end of the
     * stream (and then every later call also gives 0). Returns 0 or a negative BH_E* with
     * err filled (naming label). A reader that failed must not be read again.
     */
    int (*read)(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err);
    /* Release what the stream holds (descriptors, decoders, connections); may be NULL. */
    void (*close)(void *ctx);
    void *ctx;
    const char *label; /* names the stream in messages, e.g. "img.tar:blobs/sha256/ab12..." */
};

/* A reader over memory (data, len), borrowed; rd->ctx points into *m, which must outlive rd. */
struct bh_memreader {
    const unsigned char *data;
    size_t len, pos;
};
void bh_reader_mem(struct bh_reader *rd, struct bh_memreader *m, const void *data, size_t len,
                   const char *label);

/* Call rd->close when set, then clear rd. NULL is allowed. */
void bh_reader_close(struct bh_reader *rd);

#endif
