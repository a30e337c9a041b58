/*
 * secretscan.h - content scanning for secrets: one Vectorscan database of our
 * own patterns (private-key headers, cloud keys and provider tokens, registry
 * auths in .docker/config.json, .npmrc/.pypirc tokens, high-entropy values of
 * secret-named keys), compiled once and shared by every layer worker. The only
 * module that includes Vectorscan (hs.h). It reports matches; rules judge them.
 */
#ifndef BH_SECRETSCAN_H
#define BH_SECRETSCAN_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;
struct bh_secretscan;    /* the compiled database: read-only, shared between threads */
struct bh_secretscratch; /* per-thread scratch space */

struct bh_secretmatch {
    const char *kind;    /* stable pattern id: "private-key", "aws-access-key-id", ... */
    const char *what;    /* human name: "private key", "AWS access key id", ... */
    int line;            /* 1-based */
    size_t offset;       /* byte offset of the match start */
    const char *excerpt; /* the matched text with the secret part redacted (in the arena) */
};

/* Compile the database (heap, not an arena). BH_EINTERNAL when Vectorscan refuses. */
int bh_secretscan_new(struct bh_secretscan **out, struct bh_err *err);
void bh_secretscan_free(struct bh_secretscan *s);

/* Scratch for one thread; free it before the database. */
int bh_secretscan_scratch(const struct bh_secretscan *s, struct bh_secretscratch **out,
                          struct bh_err *err);
void bh_secretscratch_free(struct bh_secretscratch *sc);

/*
 * Looks like text worth scanning: no NUL byte in the first 8 KiB and mostly printable
 * or UTF-8. Binary files are not scanned.
 */
bool bh_secretscan_is_text(const void *data, size_t len);

/*
 * Scan data (len <= BH_MAX_SECRET_SCAN_BYTES) and append what matched to *out / *n
 * (arrays grown in a), at most BH_MAX_SECRET_HITS_PER_FILE, in offset order, one per
 * secret (overlapping patterns on the same bytes reported once, the most specific kind).
 * path (may be NULL) lets name-aware patterns apply (".npmrc", ".pypirc",
 * ".docker/config.json"). Errors: BH_ENOMEM, BH_EINTERNAL.
 */
int bh_secretscan_buf(const struct bh_secretscan *s, struct bh_secretscratch *sc,
                      struct bh_arena *a, const char *path, const char *data, size_t len,
                      struct bh_secretmatch **out, size_t *n, struct bh_err *err);

#endif
