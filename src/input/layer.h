/*
 * layer.h - one streaming pass over an image layer: detect the compression
 * (gzip through ISA-L, zstd through libzstd, or none), hash the bytes as read
 * and as decompressed (SHA-256, OpenSSL), and hand each tar entry to a sink,
 * which may pull the entry's content. Nothing is written to disk and nothing is
 * held whole. It does not decide what an entry means (whiteouts are reported as
 * they are named; see model/image.h for the merge).
 */
#ifndef BH_LAYER_H
#define BH_LAYER_H

#include "core/err.h"
#include "core/reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bh_layer_comp {
    BH_LAYER_COMP_UNKNOWN = 0, /* not detected yet */
    BH_LAYER_COMP_NONE,
    BH_LAYER_COMP_GZIP,
    BH_LAYER_COMP_ZSTD,
};
/* "none", "gzip", "zstd", "unknown". */
const char *bh_layer_comp_name(enum bh_layer_comp c);

/* Entry types (enum bh_ftype in model/image.h uses the same values). */
enum bh_ltype {
    BH_LT_REG = 0,
    BH_LT_DIR,
    BH_LT_SYMLINK,
    BH_LT_HARDLINK,
    BH_LT_CHAR,
    BH_LT_BLOCK,
    BH_LT_FIFO,
    BH_LT_OTHER,
};

/* One tar entry, valid only during the sink call. */
struct bh_layer_entry {
    /*
     * Normalised path relative to the image root: no leading "/" or "./", no "//", no
     * trailing "/", "." and ".." segments resolved lexically (never above the root; an
     * entry that would climb above it is reported to the sink with escaped = true and
     * path = the name as written). The root itself is "".
     */
    const char *path;
    enum bh_ltype type;
    uint32_t mode; /* permission bits with setuid/setgid/sticky: mode & 07777 */
    uint32_t uid, gid;
    uint64_t size;    /* bytes of content (0 for links, directories, devices) */
    int64_t mtime;    /* seconds since the epoch */
    const char *link; /* symlink target as written, or a hard link's normalised path; else NULL */
    bool has_fcaps;   /* a security.capability xattr (PAX SCHILY.xattr.security.capability) */
    bool escaped;     /* the name climbed above the root (see path) */
    uint64_t index;   /* 0-based position of the entry in the layer */
};

struct bh_layer_content;

/*
 * Pull the content of the current regular-file entry: up to cap bytes into buf, *got = 0
 * at its end. Only valid inside the sink call for that entry; content not pulled is
 * skipped (but still hashed). Errors are BH_EPARSE for a truncated or corrupt stream.
 */
int bh_layer_content_read(struct bh_layer_content *c, void *buf, size_t cap, size_t *got,
                          struct bh_err *err);

struct bh_layer_sink {
    /*
     * Called once per entry in stream order. c is NULL unless the entry is a regular file.
     * Return 0 to go on, or a negative BH_E* with err filled to stop the pass (returned
     * unchanged by bh_layer_scan).
     */
    int (*entry)(void *ctx, const struct bh_layer_entry *e, struct bh_layer_content *c,
                 struct bh_err *err);
    /* Optional: called as compressed bytes are consumed (n = bytes since the last call). */
    void (*progress)(void *ctx, uint64_t n);
    void *ctx;
};

struct bh_layer_stats {
    enum bh_layer_comp comp;
    char digest[80];  /* "sha256:<64 hex>" of the bytes read from the reader (all of them) */
    char diff_id[80]; /* "sha256:<64 hex>" of the decompressed bytes (all of them) */
    uint64_t bytes_in, bytes_out, entries;
};

/*
 * Read the whole of in (to its end, so both hashes cover every byte, trailing data
 * included), decompressing per `comp` (BH_LAYER_COMP_UNKNOWN = detect from the magic
 * bytes), and call sink->entry for every tar entry. label names the layer in errors.
 * Limits: decompressed bytes over BH_MAX_LAYER_BYTES or a ratio over
 * BH_MAX_LAYER_RATIO (after the first MiB), more than BH_MAX_LAYER_ENTRIES entries or a
 * path over BH_MAX_LAYER_PATH are BH_ELIMIT. A corrupt or truncated compressed stream
 * or tar is BH_EPARSE naming label and the entry index; reader errors pass through.
 * *st is filled as far as the pass got, also on error. Thread-safe: passes over
 * different readers may run at the same time.
 */
int bh_layer_scan(struct bh_reader *in, enum bh_layer_comp comp, const char *label,
                  const struct bh_layer_sink *sink, struct bh_layer_stats *st, struct bh_err *err);

/* "sha256:<64 hex>" of (data, len) into out (NUL-terminated). */
void bh_layer_sha256(const void *data, size_t len, char out[80]);

/* The same over a stream (downloads): begin (NULL when out of memory), update, end (frees h;
 * out gets "" if hashing failed). */
struct bh_sha256;
struct bh_sha256 *bh_sha256_begin(void);
void bh_sha256_update(struct bh_sha256 *h, const void *data, size_t len);
void bh_sha256_end(struct bh_sha256 *h, char out[80]);

#endif
