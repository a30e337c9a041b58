/*
 * yaml.h - YAML streams as our own read-only tree in the scan arena. The only
 * module that includes libfyaml; nothing of libfyaml leaves it. Anchors,
 * aliases and merge keys are resolved while building; scalars stay text and
 * are interpreted by the caller with an explicit schema (YAML 1.1 or 1.2).
 */
#ifndef BH_YAML_H
#define BH_YAML_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

enum bh_ytype {
    BH_Y_NULL,   /* only for a document without content */
    BH_Y_SCALAR, /* every scalar, including `null`, `~` and empty: see bh_yaml_is_null() */
    BH_Y_SEQ,
    BH_Y_MAP,
};

enum bh_yscalar_style {
    BH_YS_PLAIN,
    BH_YS_SINGLE,
    BH_YS_DOUBLE,
    BH_YS_LITERAL,
    BH_YS_FOLDED,
};

/* YAML 1.1 (Kubernetes, go-yaml v2) or 1.2 core schema (Compose) for plain scalars. */
enum bh_yaml_schema {
    BH_YAML_1_1,
    BH_YAML_1_2,
};

struct bh_ypair;

struct bh_ynode {
    enum bh_ytype type;
    const char *tag;    /* NULL, or the resolved tag: "tag:yaml.org,2002:str", "!reset", ... */
    const char *scalar; /* scalars: the value after unescaping and folding, NUL-terminated */
    size_t scalar_len;  /* may be less than strlen() only if the value holds "\0" escapes */
    enum bh_yscalar_style style;
    /*
     * This node stands where an alias (*name) was written: the copy carries the
     * alias's position, its contents are shared with the anchored node.
     */
    bool is_alias_expanded;
    struct bh_ynode **items; /* BH_Y_SEQ: n items */
    struct bh_ypair *pairs;  /* BH_Y_MAP: n pairs, merge keys resolved, no duplicates */
    size_t n;
    int line, col;         /* 1-based start */
    int end_line, end_col; /* 1-based, just past the end */
    /* Internal bookkeeping for the limits: nodes and levels below, this one included. */
    size_t weight;
    unsigned height;
};

struct bh_ypair {
    struct bh_ynode *key, *value;
};

struct bh_ydoc {
    struct bh_ynode *root; /* never NULL; BH_Y_NULL for an empty document */
    int line;              /* 1-based line of `---` or of the first content */
};

/* bh_yaml_parse() flags. */
enum bh_yaml_flags {
    BH_YAML_NO_MERGE = 1u << 0,         /* `<<` is an ordinary key */
    BH_YAML_ALLOW_DUPLICATES = 1u << 1, /* duplicate keys: the last one wins instead of an error */
};

/*
 * Parse a whole YAML stream (every document) from (text, len) into arena a.
 * *docs gets an arena array of *ndocs documents (an empty stream gives 0).
 * file names the input in errors only; the text must be UTF-8 (a BOM is fine).
 * Errors: BH_EPARSE with line and column for syntax errors, malformed UTF-8,
 * unknown anchors, duplicate keys and bad merge values;
 * BH_ELIMIT naming the constant when the input exceeds BH_MAX_YAML_INPUT,
 * BH_MAX_YAML_DOCS, BH_MAX_YAML_DEPTH, BH_MAX_YAML_ALIASES or
 * BH_MAX_YAML_NODES (which counts nodes reached through aliases and merges,
 * so expansion bombs stop early); BH_ENOMEM.
 */
int bh_yaml_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  unsigned flags, struct bh_ydoc **docs, size_t *ndocs, struct bh_err *err);

/* The value for the scalar key `key` in map, or NULL (also when map is NULL or not a map). */
struct bh_ynode *bh_yaml_get(const struct bh_ynode *map, const char *key);
/* The same with a (ptr, len) key. */
struct bh_ynode *bh_yaml_getn(const struct bh_ynode *map, const char *key, size_t keylen);
/*
 * Follow a path of map keys and sequence indexes separated by '.', e.g.
 * "spec.containers.0.image". NULL when any step is missing. Keys containing
 * '.' need bh_yaml_get().
 */
struct bh_ynode *bh_yaml_path(const struct bh_ynode *node, const char *path);

/* Type tests that accept NULL. */
bool bh_yaml_is_map(const struct bh_ynode *n);
bool bh_yaml_is_seq(const struct bh_ynode *n);
bool bh_yaml_is_scalar(const struct bh_ynode *n);
/* A scalar key or value equals s (any style). */
bool bh_yaml_scalar_eq(const struct bh_ynode *n, const char *s);

/*
 * Plain-scalar interpretation. Quoted and block scalars are strings, never
 * booleans, numbers or null; an explicit tag other than the matching
 * tag:yaml.org,2002: one also makes the scalar a string.
 *
 * bh_yaml_is_null: `~`, null, Null, NULL or empty plain (both schemas), and a
 * BH_Y_NULL node.
 * bh_yaml_bool: 1.2 true/True/TRUE/false/False/FALSE; 1.1 also y/n, yes/no, on/off
 * in lower, capitalised and upper case. 0, or BH_EPARSE when not a boolean.
 * bh_yaml_int: optional sign; 1.2 decimal, 0o octal, 0x hex; 1.1 decimal,
 * 0-prefixed octal, 0x hex, 0b binary, `_` separators, and base 60
 * ("22:22" is 1342), in which case *base60 (may be NULL) is set. 0, BH_EPARSE
 * when not an integer, BH_ELIMIT when it does not fit a long long.
 */
bool bh_yaml_is_null(const struct bh_ynode *n, enum bh_yaml_schema schema);
int bh_yaml_bool(const struct bh_ynode *n, enum bh_yaml_schema schema, bool *out);
int bh_yaml_int(const struct bh_ynode *n, enum bh_yaml_schema schema, long long *out, bool *base60);

/* "mapping", "sequence", "scalar" or "null", for messages. */
const char *bh_yaml_type_name(const struct bh_ynode *n);

#endif
