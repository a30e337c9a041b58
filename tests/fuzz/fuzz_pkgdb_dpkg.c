/*
 * fuzz_pkgdb_dpkg.c - libFuzzer target for the dpkg status / status.d reader.
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
    struct bh_osinfo os = {.id = "debian", .version_id = "12"};
    struct bh_err err;
    size_t i;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_pkgdb_dpkg(&a, "var/lib/dpkg/status", (const char *)data, size, 0, &ps, &err) == 0)
        for (i = 0; i < ps.n; i++)
            (void)bh_pkgdb_purl(&a, &ps.v[i], &os);
    /* the same bytes as os-release and as a one-line release file */
    (void)bh_pkgdb_osinfo(&a, "etc/os-release", (const char *)data, size, &os, &err);
    (void)bh_pkgdb_osinfo(&a, "etc/redhat-release", (const char *)data, size, &os, &err);
    (void)bh_pkgdb_osinfo(&a, "etc/debian_version", (const char *)data, size, &os, &err);
    bh_arena_release(&a);
    return 0;
}
