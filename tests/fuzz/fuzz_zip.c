/*
 * fuzz_zip.c - libFuzzer target for the zip walker (input/zip.c) and the importer's zip
 * path (OSV exports): members are read whole, then imported.
 */
#include "core/arena.h"
#include "input/zip.h"
#include "vuln/import.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned sink;

static int member(void *ctx, const char *name, const void *p, size_t len, struct bh_err *err)
{
    const unsigned char *b = p;
    size_t i;

    (void)ctx;
    (void)err;
    for (i = 0; name[i]; i++)
        sink += (unsigned char)name[i];
    for (i = 0; i < len; i++)
        sink += b[i];
    return 0;
}

static int adv(void *ctx, const struct bh_advisory *a)
{
    (void)ctx;
    sink += (unsigned)a->naffected;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_import_stats st;
    struct bh_arena a;
    struct bh_err err;

    bh_err_init(&err);
    (void)bh_zip_walk_mem("fuzz.zip", data, size, 1u << 20, member, NULL, &err);
    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    (void)bh_import_buf(&a, "fuzz.zip", data, size, adv, NULL, &st, &err);
    bh_arena_release(&a);
    return 0;
}
