/*
 * fuzz_pkgdb_apk.c - libFuzzer target for the apk installed-database reader.
 */
#include "core/arena.h"
#include "input/pkgdb/pkgdb.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_osinfo os = {.id = "alpine", .version_id = "3.20.3"};
    struct bh_err err;
    size_t i;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_pkgdb_apk(&a, "lib/apk/db/installed", (const char *)data, size, 0, &ps, &err) == 0)
        for (i = 0; i < ps.n; i++)
            (void)bh_pkgdb_purl(&a, &ps.v[i], &os);
    bh_arena_release(&a);
    return 0;
}
