/*
 * dpkg.c - the dpkg status database (var/lib/dpkg/status) and the one-stanza files of
 * distroless var/lib/dpkg/status.d/: deb822 stanzas of "Field: value" with continuation
 * lines. Keeps installed packages with name, version, architecture and source; every other
 * field (Depends, Description, Conffiles, ...) is stepped over. dpkg records no license.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/limits.h"

#include <stdbool.h>
#include <string.h>

struct dpkg_field {
    const char *p; /* first line of the value, trimmed; NULL when absent */
    size_t n;
    int line;
};

struct dpkg_stanza {
    struct dpkg_field package, version, arch, source, status;
    int line; /* first line of the stanza, 0 while none seen */
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && is_blank(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*p)[*n - 1]))
        (*n)--;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(p, w, n) == 0;
}

/*
 * dpkg's Status is "want error-flag state". A package is on disk and configured when the flag
 * is "ok" and the state "installed"; "hold" only pins the version, so it counts as well.
 */
static bool status_installed(const char *p, size_t n)
{
    const char *w[3];
    size_t wl[3];
    size_t i = 0, k = 0;

    while (k < 3) {
        while (i < n && is_blank(p[i]))
            i++;
        if (i == n)
            return false;
        w[k] = p + i;
        while (i < n && !is_blank(p[i]))
            i++;
        wl[k] = (size_t)(p + i - w[k]);
        k++;
    }
    while (i < n && is_blank(p[i]))
        i++;
    if (i != n)
        return false;
    return (word_is(w[0], wl[0], "install") || word_is(w[0], wl[0], "hold")) &&
           word_is(w[1], wl[1], "ok") && word_is(w[2], wl[2], "installed");
}

/* Version with a binNMU suffix "+bN" at the end of the Debian revision, without it; else NULL. */
static char *binnmu_source_version(struct bh_arena *a, const char *v, size_t n)
{
    size_t i = n;

    while (i > 0 && v[i - 1] >= '0' && v[i - 1] <= '9')
        i--;
    if (i == n || i < 2 || v[i - 1] != 'b' || v[i - 2] != '+')
        return NULL;
    /* the suffix belongs to a revision: there must be a '-' before it */
    if (memchr(v, '-', i - 2) == NULL)
        return NULL;
    return bh_arena_strndup(a, v, i - 2);
}

static int emit(struct bh_arena *a, const char *file, const char *path, int layer,
                const struct dpkg_stanza *s, struct bh_packages *out, struct bh_err *err)
{
    struct bh_package *p;
    const char *sp;
    size_t sn, i;

    if (s->status.p != NULL && !status_installed(s->status.p, s->status.n))
        return 0;
    if (s->package.p == NULL || s->package.n == 0)
        return bh_err_set(err, BH_EPARSE, file, s->line, 0, "package stanza has no Package field");
    if (s->version.p == NULL || s->version.n == 0)
        return bh_err_set(err, BH_EPARSE, file, s->line, 0,
                          "installed package stanza has no Version field");
    if (out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(err, BH_ELIMIT, file, s->line, 0,
                          "more than BH_MAX_PKGDB_PACKAGES (%u) packages", BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(a, out->v, out->n, out->cap);
    if (p == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    p->kind = BH_PKG_DPKG;
    p->layer = layer;
    p->path = path;
    p->name = bh_arena_strndup(a, s->package.p, s->package.n);
    p->version = bh_arena_strndup(a, s->version.p, s->version.n);
    if (s->arch.p != NULL && s->arch.n > 0)
        p->arch = bh_arena_strndup(a, s->arch.p, s->arch.n);
    if (s->source.p != NULL) {
        /* "name" or "name (version)" */
        sp = s->source.p;
        sn = s->source.n;
        for (i = 0; i < sn && !is_blank(sp[i]) && sp[i] != '('; i++)
            ;
        if (i == 0)
            return bh_err_set(err, BH_EPARSE, file, s->source.line, 0,
                              "Source field has no package name");
        p->src_name = bh_arena_strndup(a, sp, i);
        while (i < sn && is_blank(sp[i]))
            i++;
        if (i < sn) {
            if (sp[i] != '(' || sp[sn - 1] != ')' || sn - i < 3)
                return bh_err_set(err, BH_EPARSE, file, s->source.line, 0,
                                  "Source field is not 'name' or 'name (version)'");
            sp += i + 1;
            sn -= i + 2;
            trim(&sp, &sn);
            if (sn == 0)
                return bh_err_set(err, BH_EPARSE, file, s->source.line, 0,
                                  "Source field has an empty version");
            if (!(sn == s->version.n && memcmp(sp, s->version.p, sn) == 0))
                p->src_version = bh_arena_strndup(a, sp, sn);
        } else {
            p->src_version = binnmu_source_version(a, s->version.p, s->version.n);
        }
    } else {
        /* Debian policy 5.6.1: without Source the source package has the binary's name */
        p->src_name = p->name;
        p->src_version = binnmu_source_version(a, s->version.p, s->version.n);
    }
    if (a->failed)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    return 0;
}

static int read_dpkg(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                     struct bh_packages *out, struct bh_err *err)
{
    struct dpkg_stanza s;
    struct dpkg_field *f;
    const char *path, *end, *nl, *key, *val;
    size_t ll, kl, vl;
    bool in_field = false;
    int line = 0, rc;

    if (len > BH_MAX_PKGDB_BYTES)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "database larger than BH_MAX_PKGDB_BYTES (%u bytes)", BH_MAX_PKGDB_BYTES);
    path = bh_arena_strdup(a, file != NULL ? file : "");
    if (path == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    memset(&s, 0, sizeof(s));
    end = data + len;
    while (data < end) {
        line++;
        nl = memchr(data, '\n', (size_t)(end - data));
        ll = (size_t)((nl != NULL ? nl : end) - data);
        if (ll > BH_MAX_PKGDB_LINE)
            return bh_err_set(err, BH_ELIMIT, file, line, 0,
                              "line longer than BH_MAX_PKGDB_LINE (%u bytes)", BH_MAX_PKGDB_LINE);
        key = data;
        data = nl != NULL ? nl + 1 : end;
        vl = ll;
        val = key;
        trim(&val, &vl);
        if (vl == 0) {
            if (s.line != 0 && (rc = emit(a, file, path, layer, &s, out, err)) != 0)
                return rc;
            memset(&s, 0, sizeof(s));
            in_field = false;
            continue;
        }
        if (key[0] == ' ' || key[0] == '\t') {
            if (!in_field)
                return bh_err_set(err, BH_EPARSE, file, line, 1,
                                  "continuation line outside a field");
            continue;
        }
        if (key[0] == '#' && s.line == 0)
            continue; /* comment between stanzas */
        val = memchr(key, ':', ll);
        if (val == NULL)
            return bh_err_set(err, BH_EPARSE, file, line, 1, "line is not 'Field: value'");
        kl = (size_t)(val - key);
        if (kl == 0 || memchr(key, ' ', kl) != NULL || memchr(key, '\t', kl) != NULL)
            return bh_err_set(err, BH_EPARSE, file, line, 1, "bad field name");
        val++;
        vl = ll - kl - 1;
        trim(&val, &vl);
        if (s.line == 0)
            s.line = line;
        in_field = true;
        f = NULL;
        /* deb822 field names are case-insensitive */
        if (kl == 7 && strncasecmp(key, "Package", 7) == 0)
            f = &s.package;
        else if (kl == 7 && strncasecmp(key, "Version", 7) == 0)
            f = &s.version;
        else if (kl == 12 && strncasecmp(key, "Architecture", 12) == 0)
            f = &s.arch;
        else if (kl == 6 && strncasecmp(key, "Source", 6) == 0)
            f = &s.source;
        else if (kl == 6 && strncasecmp(key, "Status", 6) == 0)
            f = &s.status;
        if (f == NULL)
            continue;
        if (f->p != NULL)
            return bh_err_set(err, BH_EPARSE, file, line, 1, "field '%.*s' repeated in a stanza",
                              (int)kl, key);
        f->p = val;
        f->n = vl;
        f->line = line;
    }
    if (s.line != 0 && (rc = emit(a, file, path, layer, &s, out, err)) != 0)
        return rc;
    return 0;
}

int bh_pkgdb_dpkg(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                  struct bh_packages *out, struct bh_err *err)
{
    size_t n0 = out->n;
    int rc = read_dpkg(a, file, data, len, layer, out, err);

    /* a database that fails to read adds nothing: half of one would mislead the matcher */
    if (rc != 0)
        out->n = n0;
    return rc;
}
