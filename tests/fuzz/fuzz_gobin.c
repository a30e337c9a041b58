/*
 * fuzz_gobin.c - libFuzzer target for Go build info (input/pkgdb/gobin.c): the input as a
 * whole executable (bh_gobin_read: ELF, Mach-O and PE headers, section and program headers,
 * pointer-format string headers) and as a build info blob (bh_gobin_parse), plus the magic
 * search at every alignment base.
 */
#include "core/arena.h"
#include "input/pkgdb/binpkg.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct bh_packages *ps)
{
    size_t i;

    for (i = 0; i < ps->n; i++)
        if (ps->v[i].kind != BH_PKG_GO || ps->v[i].name == NULL || ps->v[i].name[0] == '\0' ||
            ps->v[i].version == NULL || ps->v[i].version[0] == '\0' || ps->v[i].purl == NULL)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    ssize_t at;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_gobin_read(&a, "usr/bin/x", data, size, 0, &ps, &err) == 0)
        check(&ps);
    else if (ps.n != 0)
        abort(); /* a failed read adds nothing */
    ps.n = 0;
    at = bh_gobin_find_magic(data, size, size % 16);
    if (at >= 0 && ((size_t)at >= size || ((size_t)at + size % 16) % 16 != 0 ||
                    memcmp(data + at, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN) != 0))
        abort();
    if (bh_gobin_parse(&a, "usr/bin/x", data, size, 0, &ps, &err) == 0)
        check(&ps);
    else if (ps.n != 0)
        abort();
    bh_arena_release(&a);
    return 0;
}
