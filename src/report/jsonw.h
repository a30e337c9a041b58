/*
 * jsonw.h - a small streaming JSON writer: objects, arrays, keys and scalars
 * written straight to a FILE, optionally pretty-printed with 2-space
 * indentation. Strings are validated as UTF-8 on the way out: invalid bytes
 * become U+FFFD and control characters are escaped, so any input text can be
 * passed through. It builds no tree and does not check that keys are unique.
 */
#ifndef BH_JSONW_H
#define BH_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Deepest nesting of objects and arrays; deeper is our own bug (BH_EINTERNAL). */
#define BH_JSONW_MAX_DEPTH 32

struct bh_jsonw {
    FILE *out;
    int depth; /* open containers */
    bool pretty;
    bool after_key;                     /* a key was written, its value comes next */
    bool has_items[BH_JSONW_MAX_DEPTH]; /* the container at this depth is not empty */
    bool is_object[BH_JSONW_MAX_DEPTH];
    int err;         /* 0, or the first BH_E* met; sticky */
    size_t blen;     /* bytes waiting in buf; written by finish or when buf fills */
    char buf[16384]; /* reports are many tiny pieces; stdio per piece dominated the run */
};

void bh_jsonw_init(struct bh_jsonw *w, FILE *out, bool pretty);

void bh_jsonw_begin_object(struct bh_jsonw *w);
void bh_jsonw_end_object(struct bh_jsonw *w);
void bh_jsonw_begin_array(struct bh_jsonw *w);
void bh_jsonw_end_array(struct bh_jsonw *w);
/* The key of the next member; only inside an object. */
void bh_jsonw_key(struct bh_jsonw *w, const char *key);
/* A string value; NULL writes null. */
void bh_jsonw_string(struct bh_jsonw *w, const char *s);
void bh_jsonw_stringn(struct bh_jsonw *w, const char *s, size_t len);
void bh_jsonw_int(struct bh_jsonw *w, long long v);
/* A number given in tenths, written as a decimal: 75 -> 7.5, -5 -> -0.5, 100 -> 10.0. */
void bh_jsonw_tenths(struct bh_jsonw *w, long long tenths);
void bh_jsonw_bool(struct bh_jsonw *w, bool v);
void bh_jsonw_null(struct bh_jsonw *w);

/* key + value in one call. */
void bh_jsonw_kv_string(struct bh_jsonw *w, const char *key, const char *s);
void bh_jsonw_kv_int(struct bh_jsonw *w, const char *key, long long v);
void bh_jsonw_kv_bool(struct bh_jsonw *w, const char *key, bool v);

/*
 * End the document: a newline after the top-level value. Returns 0, BH_EIO
 * when the stream failed, or BH_EINTERNAL when containers were left open or
 * closed out of order.
 */
int bh_jsonw_finish(struct bh_jsonw *w);

/*
 * Decode one UTF-8 sequence at (p, n), n > 0: stores the code point in *cp
 * and returns the bytes it used (1..4), or 0 when the bytes there are not
 * valid UTF-8 (overlong, surrogate, above U+10FFFF, truncated); callers then
 * skip one byte and substitute U+FFFD. Shared by the other report writers.
 */
size_t bh_jsonw_utf8_next(const unsigned char *p, size_t n, uint32_t *cp);

#endif
