/*
 * fuzz_yaml.c - libFuzzer target for the YAML tree builder: parses the input
 * with and without merge keys, then walks every tree and runs the scalar
 * interpretation helpers in both schemas on each scalar.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/yaml.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *__lsan_default_suppressions(void);

/*
 * libfyaml 0.7.12 leaks its text buffer for some scalars (a top-level block
 * scalar after `---` or `...` with trailing empty lines, e.g. "--- |\na\n\n\n\n\n\n\n ")
 * and we cannot fix it here. Ignore leaks allocated inside libfyaml only; every
 * bulkhead allocation comes from the arena and is still checked.
 */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

static void walk(const struct bh_ynode *n, unsigned depth, size_t *budget)
{
    size_t i;

    if (!n || *budget == 0)
        return;
    (*budget)--;
    if (depth > BH_MAX_YAML_DEPTH + 1 || n->line < 0 || n->col < 0)
        abort(); /* the builder promised a bounded tree with sane marks */
    switch (n->type) {
    case BH_Y_SCALAR: {
        long long v;
        bool b, b60;

        if (n->scalar[n->scalar_len] != '\0')
            abort();
        (void)bh_yaml_bool(n, BH_YAML_1_1, &b);
        (void)bh_yaml_bool(n, BH_YAML_1_2, &b);
        (void)bh_yaml_int(n, BH_YAML_1_1, &v, &b60);
        (void)bh_yaml_int(n, BH_YAML_1_2, &v, &b60);
        (void)bh_yaml_is_null(n, BH_YAML_1_1);
        break;
    }
    case BH_Y_SEQ:
        for (i = 0; i < n->n; i++)
            walk(n->items[i], depth + 1, budget);
        (void)bh_yaml_path(n, "0.a.1");
        break;
    case BH_Y_MAP:
        for (i = 0; i < n->n; i++) {
            walk(n->pairs[i].key, depth + 1, budget);
            walk(n->pairs[i].value, depth + 1, budget);
        }
        (void)bh_yaml_get(n, "<<");
        (void)bh_yaml_path(n, "services.web.image");
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned flags[] = {0, BH_YAML_NO_MERGE | BH_YAML_ALLOW_DUPLICATES};
    size_t f;

    for (f = 0; f < sizeof(flags) / sizeof(*flags); f++) {
        struct bh_arena a;
        struct bh_err err;
        struct bh_ydoc *docs;
        size_t ndocs, i, budget = 200000;

        bh_arena_init(&a, 256u << 20);
        bh_err_init(&err);
        if (bh_yaml_parse(&a, "fuzz", (const char *)data, size, flags[f], &docs, &ndocs, &err) ==
            0) {
            for (i = 0; i < ndocs; i++)
                walk(docs[i].root, 0, &budget);
        } else if (err.code == 0 || err.msg[0] == '\0') {
            abort(); /* every failure must be described */
        }
        bh_arena_release(&a);
    }
    return 0;
}
