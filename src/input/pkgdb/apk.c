/*
 * apk.c - the apk-tools database lib/apk/db/installed: one "X:value" line per field,
 * packages separated by blank lines. Keeps P (name), V (version), A (arch), o (origin, the
 * source package) and L (license); file lists, checksums and dependencies are stepped over.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/limits.h"

#include <stdbool.h>
#include <string.h>

struct apk_entry {
    const char *name, *version, *arch, *origin, *license;
    size_t name_n, version_n, arch_n, origin_n, license_n;
    int line; /* first line of the entry, 0 while none seen */
};

static char *dup_or_null(struct bh_arena *a, const char *p, size_t n)
{
    return p != NULL && n > 0 ? bh_arena_strndup(a, p, n) : NULL;
}

static int emit(struct bh_arena *a, const char *file, const char *path, int layer,
                const struct apk_entry *e, struct bh_packages *out, struct bh_err *err)
{
    struct bh_package *p;

    if (e->name == NULL || e->name_n == 0)
        return bh_err_set(err, BH_EPARSE, file, e->line, 0, "package entry has no P: line");
    if (e->version == NULL || e->version_n == 0)
        return bh_err_set(err, BH_EPARSE, file, e->line, 0, "package entry has no V: line");
    if (out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(err, BH_ELIMIT, file, e->line, 0,
                          "more than BH_MAX_PKGDB_PACKAGES (%u) packages", BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(a, out->v, out->n, out->cap);
    if (p == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    p->kind = BH_PKG_APK;
    p->layer = layer;
    p->path = path;
    p->name = bh_arena_strndup(a, e->name, e->name_n);
    p->version = bh_arena_strndup(a, e->version, e->version_n);
    p->arch = dup_or_null(a, e->arch, e->arch_n);
    p->src_name = dup_or_null(a, e->origin, e->origin_n);
    p->license = dup_or_null(a, e->license, e->license_n);
    if (a->failed)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    return 0;
}

static int read_apk(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                    struct bh_packages *out, struct bh_err *err)
{
    struct apk_entry e;
    const char *path, *end, *nl, *l, *v;
    const char **fp;
    size_t ll, *fn;
    int line = 0, rc;

    if (len > BH_MAX_PKGDB_BYTES)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "database larger than BH_MAX_PKGDB_BYTES (%u bytes)", BH_MAX_PKGDB_BYTES);
    path = bh_arena_strdup(a, file != NULL ? file : "");
    if (path == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    memset(&e, 0, sizeof(e));
    end = data + len;
    while (data < end) {
        line++;
        nl = memchr(data, '\n', (size_t)(end - data));
        ll = (size_t)((nl != NULL ? nl : end) - data);
        l = data;
        data = nl != NULL ? nl + 1 : end;
        if (ll > BH_MAX_PKGDB_LINE)
            return bh_err_set(err, BH_ELIMIT, file, line, 0,
                              "line longer than BH_MAX_PKGDB_LINE (%u bytes)", BH_MAX_PKGDB_LINE);
        if (ll > 0 && l[ll - 1] == '\r')
            ll--;
        if (ll == 0) {
            if (e.line != 0 && (rc = emit(a, file, path, layer, &e, out, err)) != 0)
                return rc;
            memset(&e, 0, sizeof(e));
            continue;
        }
        if (ll < 2 || l[1] != ':')
            return bh_err_set(err, BH_EPARSE, file, line, 1, "line is not 'X:value'");
        if (e.line == 0)
            e.line = line;
        v = l + 2;
        fp = NULL;
        fn = NULL;
        switch (l[0]) {
        case 'P':
            fp = &e.name, fn = &e.name_n;
            break;
        case 'V':
            fp = &e.version, fn = &e.version_n;
            break;
        case 'A':
            fp = &e.arch, fn = &e.arch_n;
            break;
        case 'o':
            fp = &e.origin, fn = &e.origin_n;
            break;
        case 'L':
            fp = &e.license, fn = &e.license_n;
            break;
        default:
            break;
        }
        if (fp == NULL)
            continue;
        if (*fp != NULL)
            return bh_err_set(err, BH_EPARSE, file, line, 1, "'%c:' repeated in a package entry",
                              l[0]);
        *fp = v;
        *fn = ll - 2;
    }
    if (e.line != 0 && (rc = emit(a, file, path, layer, &e, out, err)) != 0)
        return rc;
    return 0;
}

int bh_pkgdb_apk(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    size_t n0 = out->n;
    int rc = read_apk(a, file, data, len, layer, out, err);

    /* a database that fails to read adds nothing: half of one would mislead the matcher */
    if (rc != 0)
        out->n = n0;
    return rc;
}
