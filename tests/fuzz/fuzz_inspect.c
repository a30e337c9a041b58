/*
 * fuzz_inspect.c - libFuzzer target for the inspect mapper (input/engine/inspect.c):
 * the input is parsed as JSON and read as a container's inspect document, then, when it
 * is an object with a HostConfig object, once more as config.v2.json + hostconfig.json.
 */
#include "core/arena.h"
#include "input/engine.h"
#include "input/json.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_jnode *root;
    struct bh_container c;
    struct bh_err err;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_json_parse(&a, "fuzz", (const char *)data, size, &root, &err) == 0) {
        const struct bh_jnode *hc = bh_json_get(root, "HostConfig");

        (void)bh_engine_inspect(&a, "fuzz", root, NULL, &c, &err);
        if (hc)
            (void)bh_engine_inspect(&a, "fuzz", root, hc, &c, &err);
    }
    bh_arena_release(&a);
    return 0;
}
