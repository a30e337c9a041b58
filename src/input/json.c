/*
 * json.c - decodes a JSON document with jansson and copies it into struct
 * bh_jnode trees in the scan arena, then frees jansson's objects at once. A
 * cheap pass over the bytes enforces depth and size before jansson allocates
 * anything, so a hostile document cannot make it recurse or balloon. It does
 * not interpret what a document means; imgconfig.c and manifest.c do that.
 */
#include "input/json.h"

#include "core/arena.h"
#include "core/limits.h"

#include <jansson.h>

#include <limits.h>
#include <string.h>

/*
 * An upper bound on the values in text and its deepest nesting, read outside
 * strings: every value but the first of a container follows a comma. Exact for
 * valid JSON; for invalid text jansson reports the error.
 */
static int prescan(const char *file, const char *text, size_t len, struct bh_err *err)
{
    size_t i, nodes = 1, depth = 0, line = 1, col = 0;
    bool in_str = false, esc = false;

    for (i = 0; i < len; i++) {
        char c = text[i];

        col++;
        if (c == '\n') {
            line++;
            col = 0;
        }
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        switch (c) {
        case '"':
            in_str = true;
            break;
        case '[':
        case '{':
            if (++depth > BH_MAX_JSON_DEPTH)
                return bh_err_set(err, BH_ELIMIT, file, line < (size_t)INT_MAX ? (int)line : 0,
                                  col < (size_t)INT_MAX ? (int)col : 0,
                                  "json nested deeper than %u levels (BH_MAX_JSON_DEPTH)",
                                  (unsigned)BH_MAX_JSON_DEPTH);
            nodes++;
            break;
        case ']':
        case '}':
            if (depth > 0)
                depth--;
            break;
        case ',':
            nodes++;
            break;
        default:
            break;
        }
        if (nodes > BH_MAX_JSON_NODES)
            return bh_err_set(err, BH_ELIMIT, file, line < (size_t)INT_MAX ? (int)line : 0,
                              col < (size_t)INT_MAX ? (int)col : 0,
                              "json holds more than %u values (BH_MAX_JSON_NODES)",
                              (unsigned)BH_MAX_JSON_NODES);
    }
    return 0;
}

static int convert(struct bh_arena *a, json_t *j, struct bh_jnode *out)
{
    size_t i, n;
    int rc;

    memset(out, 0, sizeof(*out));
    switch (json_typeof(j)) {
    case JSON_NULL:
        out->type = BH_J_NULL;
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        out->type = BH_J_BOOL;
        out->b = json_is_true(j);
        return 0;
    case JSON_INTEGER:
        out->type = BH_J_INT;
        out->i = (long long)json_integer_value(j);
        return 0;
    case JSON_REAL:
        out->type = BH_J_REAL;
        out->r = json_real_value(j);
        return 0;
    case JSON_STRING:
        out->type = BH_J_STRING;
        out->len = json_string_length(j);
        out->str = bh_arena_strndup(a, json_string_value(j), out->len);
        return out->str ? 0 : BH_ENOMEM;
    case JSON_ARRAY:
        out->type = BH_J_ARRAY;
        n = json_array_size(j);
        out->items = bh_arena_calloc(a, n ? n : 1, sizeof(*out->items));
        if (!out->items)
            return BH_ENOMEM;
        for (i = 0; i < n; i++) {
            rc = convert(a, json_array_get(j, i), &out->items[i]);
            if (rc)
                return rc;
        }
        out->n = n;
        return 0;
    case JSON_OBJECT: {
        void *it;

        out->type = BH_J_OBJECT;
        n = json_object_size(j);
        out->pairs = bh_arena_calloc(a, n ? n : 1, sizeof(*out->pairs));
        if (!out->pairs)
            return BH_ENOMEM;
        /* jansson 2.8+ iterates in insertion order, which is document order */
        for (i = 0, it = json_object_iter(j); it && i < n; i++, it = json_object_iter_next(j, it)) {
            struct bh_jpair *p = &out->pairs[i];

            p->keylen = json_object_iter_key_len(it);
            p->key = bh_arena_strndup(a, json_object_iter_key(it), p->keylen);
            if (!p->key)
                return BH_ENOMEM;
            rc = convert(a, json_object_iter_value(it), &p->value);
            if (rc)
                return rc;
        }
        out->n = i;
        return 0;
    }
    }
    return BH_EINTERNAL;
}

/*
 * jansson's message quotes input near the error: keep it printable ASCII, since the
 * quoted bytes may be a cut or invalid UTF-8 sequence and messages end up in JSON and
 * SARIF reports.
 */
static void printable(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = '?';
    }
}

int bh_json_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  struct bh_jnode **root, struct bh_err *err)
{
    json_error_t je;
    json_t *j;
    struct bh_jnode *n;
    int rc;

    *root = NULL;
    if (len > BH_MAX_JSON_INPUT)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "json document of %zu bytes is larger than %u (BH_MAX_JSON_INPUT)", len,
                          (unsigned)BH_MAX_JSON_INPUT);
    rc = prescan(file, text ? text : "", text ? len : 0, err);
    if (rc)
        return rc;
    memset(&je, 0, sizeof(je));
    j = json_loadb(text ? text : "", text ? len : 0,
                   JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j) {
        je.text[sizeof(je.text) - 1] = '\0';
        printable(je.text);
        if (json_error_code(&je) == json_error_out_of_memory)
            return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory decoding json");
        return bh_err_set(err, BH_EPARSE, file, je.line > 0 ? je.line : 0,
                          je.column > 0 ? je.column : 0, "invalid json: %s", je.text);
    }
    n = bh_arena_alloc(a, sizeof(*n));
    rc = n ? convert(a, j, n) : BH_ENOMEM;
    json_decref(j);
    if (rc == BH_ENOMEM)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory building the json tree");
    if (rc)
        return bh_err_set(err, rc, file, 0, 0, "unexpected json value type");
    *root = n;
    return 0;
}

const struct bh_jnode *bh_json_get(const struct bh_jnode *obj, const char *key)
{
    size_t i, kl;

    if (!obj || obj->type != BH_J_OBJECT || !key)
        return NULL;
    kl = strlen(key);
    for (i = 0; i < obj->n; i++) {
        if (obj->pairs[i].keylen == kl && memcmp(obj->pairs[i].key, key, kl) == 0)
            return &obj->pairs[i].value;
    }
    return NULL;
}

const char *bh_json_str(const struct bh_jnode *n)
{
    return n && n->type == BH_J_STRING ? n->str : NULL;
}

bool bh_json_int(const struct bh_jnode *n, long long *out)
{
    if (!n || n->type != BH_J_INT)
        return false;
    *out = n->i;
    return true;
}

bool bh_json_bool(const struct bh_jnode *n, bool *out)
{
    if (!n || n->type != BH_J_BOOL)
        return false;
    *out = n->b;
    return true;
}

bool bh_json_is_null(const struct bh_jnode *n)
{
    return !n || n->type == BH_J_NULL;
}

bool bh_json_is_array(const struct bh_jnode *n)
{
    return n && n->type == BH_J_ARRAY;
}

bool bh_json_is_object(const struct bh_jnode *n)
{
    return n && n->type == BH_J_OBJECT;
}

const char *bh_json_type_name(const struct bh_jnode *n)
{
    static const char *const names[] = {
        [BH_J_NULL] = "null",     [BH_J_BOOL] = "boolean",  [BH_J_INT] = "integer",
        [BH_J_REAL] = "number",   [BH_J_STRING] = "string", [BH_J_ARRAY] = "array",
        [BH_J_OBJECT] = "object",
    };

    if (!n)
        return "missing";
    return (unsigned)n->type < sizeof(names) / sizeof(names[0]) ? names[n->type] : "?";
}
