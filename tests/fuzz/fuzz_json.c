/*
 * fuzz_json.c - libFuzzer target for the JSON tree (input/json.c): parse, then walk every
 * node through the accessors so a malformed tree would show.
 */
#include "core/arena.h"
#include "input/json.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct bh_jnode *n, int depth)
{
    size_t i, sum = 1;
    long long v;
    bool b;

    (void)bh_json_type_name(n);
    (void)bh_json_int(n, &v);
    (void)bh_json_bool(n, &b);
    if (n->type == BH_J_STRING && n->str[n->len] != '\0')
        __builtin_trap();
    if (n->type == BH_J_ARRAY) {
        for (i = 0; i < n->n; i++)
            sum += walk(&n->items[i], depth + 1);
    } else if (n->type == BH_J_OBJECT) {
        for (i = 0; i < n->n; i++) {
            /* keys are unique: looking one up finds this pair unless it holds a NUL */
            if (strlen(n->pairs[i].key) == n->pairs[i].keylen &&
                bh_json_get(n, n->pairs[i].key) != &n->pairs[i].value)
                __builtin_trap();
            sum += walk(&n->pairs[i].value, depth + 1);
        }
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_jnode *root = NULL;
    struct bh_err err;

    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_json_parse(&a, "fuzz", (const char *)data, size, &root, &err) == 0)
        (void)walk(root, 0);
    else if (root || !err.code || !err.msg[0])
        __builtin_trap(); /* a failure must say why and leave no tree */
    bh_arena_release(&a);
    return 0;
}
