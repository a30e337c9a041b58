/*
 * json.h - JSON documents (image configs, manifests, indexes) as our own
 * read-only tree in the scan arena. The only module that includes jansson;
 * nothing of jansson leaves it. Nodes carry no positions: jansson reports
 * line and column for syntax errors only, so readers name a JSON path instead.
 */
#ifndef BH_JSON_H
#define BH_JSON_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

enum bh_jtype {
    BH_J_NULL,
    BH_J_BOOL,
    BH_J_INT,
    BH_J_REAL,
    BH_J_STRING,
    BH_J_ARRAY,
    BH_J_OBJECT,
};

struct bh_jpair;

struct bh_jnode {
    enum bh_jtype type;
    bool b;                 /* BH_J_BOOL */
    long long i;            /* BH_J_INT */
    double r;               /* BH_J_REAL */
    const char *str;        /* BH_J_STRING: NUL-terminated; may hold "\u0000" (then see len) */
    size_t len;             /* BH_J_STRING: bytes in str without the final NUL */
    struct bh_jnode *items; /* BH_J_ARRAY: n items */
    struct bh_jpair *pairs; /* BH_J_OBJECT: n pairs in document order, keys unique */
    size_t n;
};

struct bh_jpair {
    const char *key; /* NUL-terminated; may hold "\u0000" (then see keylen) */
    size_t keylen;
    struct bh_jnode value;
};

/*
 * Parse one JSON document (text, len) into *root, allocated in a. file names
 * the input in errors only. The text must be UTF-8; "\u0000" is allowed in
 * strings and keys (their length says where they end).
 * Errors: BH_EPARSE with jansson's line and column for syntax errors, invalid
 * UTF-8, duplicate keys, trailing data and numbers out of range;
 * BH_ELIMIT naming the constant when the input exceeds BH_MAX_JSON_INPUT, nests
 * deeper than BH_MAX_JSON_DEPTH or holds more than BH_MAX_JSON_NODES values (both
 * are checked on the bytes before jansson builds anything); BH_ENOMEM.
 */
int bh_json_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  struct bh_jnode **root, struct bh_err *err);

/* The value of `key` in obj, or NULL (also when obj is NULL or not an object). */
const struct bh_jnode *bh_json_get(const struct bh_jnode *obj, const char *key);
/* The string of a BH_J_STRING node, else NULL (also for NULL). */
const char *bh_json_str(const struct bh_jnode *n);
/* True and *out when n is a BH_J_INT; false otherwise (*out untouched). */
bool bh_json_int(const struct bh_jnode *n, long long *out);
/* True and *out when n is a BH_J_BOOL; false otherwise (*out untouched). */
bool bh_json_bool(const struct bh_jnode *n, bool *out);
/* n is NULL or a JSON null: an absent optional field. */
bool bh_json_is_null(const struct bh_jnode *n);
bool bh_json_is_array(const struct bh_jnode *n);
bool bh_json_is_object(const struct bh_jnode *n);

/* "null", "boolean", "integer", "number", "string", "array", "object"; "missing" for NULL. */
const char *bh_json_type_name(const struct bh_jnode *n);

#endif
