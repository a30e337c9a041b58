/*
 * fuzz_pkgdb_lang.c - libFuzzer target for the language package readers: the first byte picks
 * npm package.json, package-lock.json, Python METADATA, Composer installed.json, gemspec,
 * Cargo.lock, or the path dispatcher; the rest is the file (or the path).
 */
#include "core/arena.h"
#include "input/pkgdb/lang.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const files[] = {
        "node_modules/x/package.json",    "package-lock.json",          "x-1.dist-info/METADATA",
        "vendor/composer/installed.json", "specifications/x-1.gemspec", "Cargo.lock",
    };
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    enum bh_pkg_kind k;
    const char *text = (const char *)data + 1;
    unsigned pick;
    char *path;
    size_t i;

    if (size == 0)
        return 0;
    pick = data[0] % 7u;
    size--;
    if (pick == 6) {
        /* the dispatcher sees C strings */
        path = malloc(size + 1);
        if (path == NULL)
            return 0;
        memcpy(path, text, size);
        path[size] = '\0';
        (void)bh_pkgdb_lang_wants(path, &k);
        free(path);
        return 0;
    }
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_pkgdb_lang_read(&a, files[pick], text, size, 0, &ps, &err) == 0)
        for (i = 0; i < ps.n; i++)
            if (ps.v[i].name == NULL || ps.v[i].version == NULL || ps.v[i].purl == NULL ||
                ps.v[i].name[0] == '\0' || ps.v[i].version[0] == '\0')
                abort();
    bh_arena_release(&a);
    return 0;
}
