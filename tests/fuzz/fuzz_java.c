/*
 * fuzz_java.c - libFuzzer target for Java archives (input/pkgdb/java.c): the input as a JAR
 * (pom.properties, MANIFEST.MF, file-name fallback, nested archives through input/zip.h).
 */
#include "core/arena.h"
#include "input/pkgdb/binpkg.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t i;

    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_java_read(&a, "srv/app-1.0.war", data, size, 0, &ps, &err) == 0) {
        for (i = 0; i < ps.n; i++)
            if (ps.v[i].kind != BH_PKG_MAVEN || ps.v[i].name == NULL || ps.v[i].name[0] == '\0' ||
                ps.v[i].version == NULL || ps.v[i].version[0] == '\0' || ps.v[i].purl == NULL ||
                ps.v[i].path == NULL)
                abort();
    } else if (ps.n != 0) {
        abort(); /* a failed read adds nothing */
    }
    bh_arena_release(&a);
    return 0;
}
