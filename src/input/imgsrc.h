/*
 * imgsrc.h - named files and blobs out of an image source without extracting it:
 * a `docker save` archive (plain or gzip-compressed tar), an OCI image layout
 * directory, or an OCI image layout in a tar. It does not parse JSON; it hands
 * out bytes by name (manifest.json, index.json, blobs/sha256/<hex>, <id>/layer.tar).
 * The only module that includes libarchive. See docs/internals/imgsrc.md.
 */
#ifndef BH_IMGSRC_H
#define BH_IMGSRC_H

#include "core/err.h"
#include "core/reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bh_arena;
struct bh_imgsrc;

enum bh_imgsrc_kind {
    BH_IMGSRC_DOCKER_ARCHIVE, /* tar with manifest.json (Docker 25+ archives also hold index.json)
                               */
    BH_IMGSRC_OCI_DIR,        /* directory with oci-layout and index.json */
    BH_IMGSRC_OCI_TAR,        /* tar with oci-layout and index.json, no manifest.json */
};

/*
 * Open path and detect its kind. A directory must hold regular files oci-layout and
 * index.json. A regular file must be a tar, plain or gzip-compressed: one holding
 * manifest.json is a docker archive (preferred when index.json is there too), else one
 * holding oci-layout and index.json is an OCI tar; anything else is BH_EPARSE. A tar is
 * indexed in one pass: a member named with ".." or starting with "/" is BH_EPARSE, more
 * than BH_MAX_ARCHIVE_MEMBERS entries or a name over BH_MAX_MEMBER_NAME is BH_ELIMIT, a
 * truncated or corrupt tar or gzip stream is BH_EPARSE, an unreadable file BH_EIO.
 * The source, its index and its buffers live in the arena a, which must outlive it; call
 * bh_imgsrc_close to release the file descriptor and the decoder. Not thread-safe.
 */
int bh_imgsrc_open(struct bh_arena *a, const char *path, struct bh_imgsrc **out,
                   struct bh_err *err);

/*
 * The same for a tar held in memory (data, len), borrowed until bh_imgsrc_close; label
 * names it in messages. Used by the fuzzer and by tests.
 */
int bh_imgsrc_open_mem(struct bh_arena *a, const char *label, const void *data, size_t len,
                       struct bh_imgsrc **out, struct bh_err *err);

/* Release the file descriptor and any open decoder. NULL is allowed. */
void bh_imgsrc_close(struct bh_imgsrc *s);

enum bh_imgsrc_kind bh_imgsrc_kind(const struct bh_imgsrc *s);
/* "docker-archive", "oci-dir", "oci-tar". */
const char *bh_imgsrc_kind_name(enum bh_imgsrc_kind k);
/* True when the tar was gzip-compressed (reads then rescan it; see the doc). */
bool bh_imgsrc_compressed(const struct bh_imgsrc *s);

/*
 * Members of a tar source, sorted by name, one per name (the last entry of a name wins,
 * as when extracting), directories left out; 0 for a directory source. *size gets the
 * member's size (0 for a link) when size is not NULL. Names are normalized: no "./",
 * no "//", no trailing "/".
 */
size_t bh_imgsrc_count(const struct bh_imgsrc *s);
const char *bh_imgsrc_name(const struct bh_imgsrc *s, size_t i, uint64_t *size);

/*
 * Does name (relative to the layout root) exist as a readable file? Symbolic and hard
 * links inside a tar are followed (at most BH_MAX_ARCHIVE_LINKS hops, never out of the
 * archive); inside a directory nothing is followed. Sets *found and, when found and size
 * is not NULL, *size. A name with ".." or a leading "/" is BH_EPARSE, as is a link that
 * escapes the archive; a link chain too long is BH_ELIMIT.
 */
int bh_imgsrc_stat(struct bh_imgsrc *s, const char *name, bool *found, uint64_t *size,
                   struct bh_err *err);

/*
 * Read member name whole into the arena a, NUL-terminated (the NUL is not counted in
 * *len). Larger than max is BH_ELIMIT; a missing member, a directory, a device, a
 * symlink inside a directory layout or a dangling link is BH_EPARSE.
 */
int bh_imgsrc_read(struct bh_imgsrc *s, struct bh_arena *a, const char *name, size_t max,
                   char **data, size_t *len, struct bh_err *err);

/*
 * Stream member name through fn in chunks of at most 64 KiB, never holding it whole.
 * fn returns 0 to go on; any other value stops the stream and is returned unchanged,
 * with err untouched (fn reports its own errors through ctx). *total (may be NULL) gets
 * the bytes passed to fn. Errors as bh_imgsrc_read, plus BH_EPARSE for a member cut short.
 */
int bh_imgsrc_stream(struct bh_imgsrc *s, const char *name,
                     int (*fn)(const void *p, size_t n, void *ctx), void *ctx, uint64_t *total,
                     struct bh_err *err);

/*
 * Open member name (links followed as in bh_imgsrc_stat) as an independent stream:
 * its own descriptor and decoder, so streams of different members may be read from
 * different threads at the same time, also while s is used for other reads. Open them
 * from one thread; the state lives in a. *size (may be NULL) gets the member's size.
 * Errors as bh_imgsrc_read. Close each with bh_reader_close before bh_imgsrc_close.
 */
int bh_imgsrc_open_member(struct bh_imgsrc *s, struct bh_arena *a, const char *name,
                          struct bh_reader *out, uint64_t *size, struct bh_err *err);

/*
 * One pass over a tar (plain or gzip-compressed) read from in, in stream order, for
 * sources that cannot seek (an engine's `docker save` stream, stdin). fn is called for
 * every member that is not a directory, with its normalised name (as bh_imgsrc_name),
 * its size, its link target (a symlink's or hard link's normalised target, else NULL)
 * and, for regular files, a reader over its content (content valid only during the
 * call; what is not read is skipped). fn returns 0 to go on; anything else stops the
 * walk and is returned unchanged. Malformed tars and names are BH_EPARSE naming label,
 * limits as bh_imgsrc_open.
 */
int bh_imgsrc_walk(struct bh_reader *in, const char *label,
                   int (*fn)(void *ctx, const char *name, uint64_t size, const char *link,
                             struct bh_reader *content, struct bh_err *err),
                   void *ctx, struct bh_err *err);

#endif
