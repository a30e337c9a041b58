/*
 * fuzz_ignorefile.c - libFuzzer target for the .bulkheadignore reader.
 */
#include "core/arena.h"
#include "input/ignorefile.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_ignorefile f;
    struct bh_err err;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    (void)bh_ignorefile_parse(&a, "fuzz", (const char *)data, size, &f, &err);
    bh_arena_release(&a);
    return 0;
}
