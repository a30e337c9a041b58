/*
 * binpkg_dump.c - test driver for tests/binpkg/run.sh: reads one file and prints the
 * packages bh_java_read (for a Java archive by name) or bh_gobin_read (anything else) finds,
 * one per line: "KIND<TAB>NAME<TAB>VERSION<TAB>PURL<TAB>PATH". Not part of bulkhead.
 *
 *   binpkg_dump [--label NAME] FILE      (NAME is the path the packages are reported under)
 *
 * Errors go to stderr as "error: <kind>: <message>" with exit status 2.
 */
#include "core/arena.h"
#include "core/err.h"
#include "input/pkgdb/binpkg.h"

#include <string.h>

#define DUMP_MAX (1024u * 1024u * 1024u)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *d = NULL, *nd;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1u << 16;
            if (cap > DUMP_MAX || (nd = realloc(d, cap)) == NULL) {
                free(d);
                fclose(f);
                return NULL;
            }
            d = nd;
        }
        got = fread(d + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return d;
}

int main(int argc, char **argv)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    const char *label = NULL, *path;
    size_t len = 0, i;
    char *data;
    int rc, ai = 1;

    if (argc >= 3 && strcmp(argv[1], "--label") == 0) {
        label = argv[2];
        ai = 3;
    }
    if (ai + 1 != argc) {
        fprintf(stderr, "usage: binpkg_dump [--label NAME] FILE\n");
        return 2;
    }
    path = argv[ai];
    if (label == NULL)
        label = path;
    if ((data = slurp(path, &len)) == NULL) {
        fprintf(stderr, "error: cannot read '%s'\n", path);
        return 2;
    }
    bh_arena_init(&a, 1u << 30);
    bh_err_init(&err);
    if (bh_java_wants(path))
        rc = bh_java_read(&a, label, data, len, 0, &ps, &err);
    else
        rc = bh_gobin_read(&a, label, data, len, 0, &ps, &err);
    free(data);
    if (rc != 0) {
        fprintf(stderr, "error: %s: %s\n", bh_err_name(err.code), err.msg);
        bh_arena_release(&a);
        return 2;
    }
    for (i = 0; i < ps.n; i++)
        printf("%s\t%s\t%s\t%s\t%s\n", bh_pkg_kind_name(ps.v[i].kind), ps.v[i].name,
               ps.v[i].version, ps.v[i].purl, ps.v[i].path);
    bh_arena_release(&a);
    return 0;
}
