/*
 * collect.c - every installed package of an image's final tree: the OS package
 * databases and language files the layer pass captured (shadowed captures are
 * ignored: a later layer replaced or removed them), plus the packages read out of
 * binaries and archives whose file is still there. A file that fails (here or in the
 * layer pass) is reported and the others still count. Nothing is judged.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/pkgdb/lang.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The rpm database directories, the newer location first (Fedora 36+, openSUSE). */
static const char *const rpm_dirs[] = {"usr/lib/sysimage/rpm", "var/lib/rpm"};
/* One database per directory: rpm writes one format, but a converted tree may keep the old. */
static const char *const rpm_files[] = {"rpmdb.sqlite", "Packages.db", "Packages"};

struct collect {
    struct bh_arena *a;
    const struct bh_image *img;
    struct bh_packages *out;
    struct bh_pkgdb_error **errs;
    size_t *nerrs;
    size_t caperrs;
};

/* Directly in dir ("dir/name", no deeper). */
static bool in_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0' &&
           strchr(path + n + 1, '/') == NULL;
}

static int add_error(struct collect *c, const char *file, int layer, int line, const char *msg)
{
    struct bh_pkgdb_error *e = BH_PUSH(c->a, *c->errs, *c->nerrs, c->caperrs);

    if (!e)
        return BH_ENOMEM;
    e->file = file;
    e->layer = layer;
    e->line = line;
    e->message = line > 0 ? bh_arena_printf(c->a, "%s:%d: %s", file, line, msg)
                          : bh_arena_printf(c->a, "%s: %s", file, msg);
    return e->message ? 0 : BH_ENOMEM;
}

/* The final-tree capture of path, or NULL (the last one wins, like the tree). */
static const struct bh_imgcapture *final_capture(const struct bh_image *img, const char *path)
{
    const struct bh_imgcapture *hit = NULL;
    size_t i;

    for (i = 0; i < img->ncaptures; i++)
        if (!img->captures[i].shadowed && strcmp(img->captures[i].path, path) == 0)
            hit = &img->captures[i];
    return hit;
}

enum which { W_DPKG, W_APK, W_RPM, W_LANG };

/* Read one captured file into out; its failure is an entry in errs, not an error. */
static int read_capture(struct collect *c, const struct bh_imgcapture *cp, enum which w,
                        struct bh_packages *out)
{
    struct bh_err e;
    int rc;

    if (cp->truncated) {
        char msg[160];

        snprintf(msg, sizeof(msg),
                 "not read: larger than BH_MAX_PKG_CAPTURE_BYTES (%u bytes) when captured",
                 BH_MAX_PKG_CAPTURE_BYTES);
        return add_error(c, cp->path, cp->layer, 0, msg);
    }
    bh_err_init(&e);
    switch (w) {
    case W_DPKG:
        rc = bh_pkgdb_dpkg(c->a, cp->path, cp->data, cp->len, cp->layer, out, &e);
        break;
    case W_APK:
        rc = bh_pkgdb_apk(c->a, cp->path, cp->data, cp->len, cp->layer, out, &e);
        break;
    case W_RPM:
        rc = bh_pkgdb_rpm(c->a, cp->path, cp->data, cp->len, cp->layer, out, &e);
        break;
    default:
        rc = bh_pkgdb_lang_read(c->a, cp->path, cp->data, cp->len, cp->layer, out, &e);
        break;
    }
    if (rc == BH_ENOMEM || c->a->failed)
        return BH_ENOMEM;
    if (rc < 0)
        return add_error(c, cp->path, cp->layer, e.line, e.msg);
    return 0;
}

static int cmp_capture(const void *x, const void *y)
{
    const struct bh_imgcapture *const *a = x, *const *b = y;

    return strcmp((*a)->path, (*b)->path);
}

/* The final captures whose path passes keep(), sorted by path. */
static const struct bh_imgcapture **pick(struct collect *c, bool (*keep)(const char *), size_t *n)
{
    const struct bh_imgcapture **v;
    size_t i, k = 0;

    v = bh_arena_calloc(c->a, c->img->ncaptures ? c->img->ncaptures : 1, sizeof(*v));
    if (!v)
        return NULL;
    for (i = 0; i < c->img->ncaptures; i++) {
        const struct bh_imgcapture *cp = &c->img->captures[i];

        if (!cp->shadowed && keep(cp->path))
            v[k++] = cp;
    }
    qsort(v, k, sizeof(*v), cmp_capture);
    *n = k;
    return v;
}

static bool is_status_d(const char *path)
{
    /* distroless also keeps "<pkg>.md5sums" next to each stanza file */
    return in_dir(path, "var/lib/dpkg/status.d") && !bh_str_suffix(path, ".md5sums");
}

static bool is_lang(const char *path)
{
    return bh_pkgdb_lang_wants(path, NULL);
}

static int os_packages(struct collect *c)
{
    const struct bh_imgcapture *cp, **v;
    char path[64];
    size_t n, i, d, f;
    int rc;

    if ((cp = final_capture(c->img, "var/lib/dpkg/status")) != NULL &&
        (rc = read_capture(c, cp, W_DPKG, c->out)) < 0)
        return rc;
    v = pick(c, is_status_d, &n);
    if (!v)
        return BH_ENOMEM;
    for (i = 0; i < n; i++)
        if ((rc = read_capture(c, v[i], W_DPKG, c->out)) < 0)
            return rc;
    if ((cp = final_capture(c->img, "lib/apk/db/installed")) != NULL &&
        (rc = read_capture(c, cp, W_APK, c->out)) < 0)
        return rc;
    for (d = 0; d < sizeof(rpm_dirs) / sizeof(rpm_dirs[0]); d++) {
        for (f = 0; f < sizeof(rpm_files) / sizeof(rpm_files[0]); f++) {
            snprintf(path, sizeof(path), "%s/%s", rpm_dirs[d], rpm_files[f]);
            if ((cp = final_capture(c->img, path)) != NULL)
                break;
        }
        if (cp) {
            rc = read_capture(c, cp, W_RPM, c->out);
            if (rc < 0)
                return rc;
            break; /* var/lib/rpm is a link to the other, or an older copy */
        }
    }
    return 0;
}

/* The file a binary package was read from: "a.war!/WEB-INF/lib/b.jar" is in "a.war". */
static bool bin_file_final(const struct bh_image *img, const struct bh_package *p)
{
    char file[BH_MAX_PATH + 1];
    const char *bang;
    const struct bh_imgfile *f;
    size_t n;

    if (!p->path)
        return false;
    bang = strstr(p->path, "!/");
    n = bang ? (size_t)(bang - p->path) : strlen(p->path);
    if (n > BH_MAX_PATH)
        return false;
    memcpy(file, p->path, n);
    file[n] = '\0';
    f = bh_image_lookup(img, file, false);
    return f && f->type == BH_FT_REG && (int)f->layer == p->layer;
}

static int cmp_imgerror(const void *x, const void *y)
{
    const struct bh_imgerror *const *a = x, *const *b = y;
    int r = strcmp((*a)->path, (*b)->path);

    if (r)
        return r;
    return *a < *b ? -1 : (*a > *b); /* one array: stream order within a file */
}

/*
 * The files of the layer passes whose packages could not be read, while that very file (same
 * path, same layer) is in the final tree: one replaced or removed later is no longer there.
 */
static int file_errors(struct collect *c)
{
    const struct bh_imgerror **v;
    size_t i, k = 0;

    if (c->img->nfile_errors == 0)
        return 0;
    v = bh_arena_calloc(c->a, c->img->nfile_errors, sizeof(*v));
    if (!v)
        return BH_ENOMEM;
    for (i = 0; i < c->img->nfile_errors; i++) {
        const struct bh_imgerror *ie = &c->img->file_errors[i];
        const struct bh_imgfile *f = ie->path ? bh_image_lookup(c->img, ie->path, false) : NULL;

        if (f && f->type == BH_FT_REG && (int)f->layer == ie->layer)
            v[k++] = ie;
    }
    qsort(v, k, sizeof(*v), cmp_imgerror);
    for (i = 0; i < k; i++) {
        struct bh_pkgdb_error *e = BH_PUSH(c->a, *c->errs, *c->nerrs, c->caperrs);

        if (!e)
            return BH_ENOMEM;
        e->file = v[i]->path;
        e->layer = v[i]->layer;
        e->line = 0; /* a binary file: a line inside a nested member is no line of it */
        e->message = v[i]->message;
    }
    return 0;
}

struct keyed {
    const struct bh_package *p;
    size_t seq;
};

static int cmp_keyed(const void *x, const void *y)
{
    const struct keyed *a = x, *b = y;
    int r = strcmp(a->p->path ? a->p->path : "", b->p->path ? b->p->path : "");

    if (r)
        return r;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

/* Language files and binaries, merged and ordered by path (stable within one file). */
static int lang_packages(struct collect *c)
{
    struct bh_packages lang = {0};
    const struct bh_imgcapture **v;
    struct keyed *ks;
    size_t n, i;
    int rc;

    v = pick(c, is_lang, &n);
    if (!v)
        return BH_ENOMEM;
    for (i = 0; i < n; i++)
        if ((rc = read_capture(c, v[i], W_LANG, &lang)) < 0)
            return rc;
    for (i = 0; i < c->img->nbin_packages; i++) {
        const struct bh_package *p = &c->img->bin_packages[i];
        struct bh_package *q;

        if (!bin_file_final(c->img, p))
            continue;
        q = BH_PUSH(c->a, lang.v, lang.n, lang.cap);
        if (!q)
            return BH_ENOMEM;
        *q = *p;
    }
    ks = bh_arena_calloc(c->a, lang.n ? lang.n : 1, sizeof(*ks));
    if (!ks)
        return BH_ENOMEM;
    for (i = 0; i < lang.n; i++) {
        ks[i].p = &lang.v[i];
        ks[i].seq = i;
    }
    qsort(ks, lang.n, sizeof(*ks), cmp_keyed);
    for (i = 0; i < lang.n; i++) {
        struct bh_package *q = BH_PUSH(c->a, c->out->v, c->out->n, c->out->cap);

        if (!q)
            return BH_ENOMEM;
        *q = *ks[i].p;
        if (!q->purl)
            q->purl = bh_pkgdb_purl(c->a, q, NULL);
    }
    return 0;
}

int bh_pkgdb_image_packages(struct bh_arena *a, const struct bh_image *img, struct bh_packages *out,
                            struct bh_pkgdb_error **errs, size_t *nerrs)
{
    struct collect c;
    size_t first = out->n, i;
    int rc;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.img = img;
    c.out = out;
    c.errs = errs;
    c.nerrs = nerrs;
    *errs = NULL;
    *nerrs = 0;
    rc = os_packages(&c);
    if (rc < 0)
        return rc;
    /* OS packages get the distribution in their purl; the readers leave it to us */
    for (i = first; i < out->n; i++) {
        out->v[i].purl = bh_pkgdb_purl(a, &out->v[i], &img->os);
        if (!out->v[i].purl && a->failed)
            return BH_ENOMEM;
    }
    rc = lang_packages(&c);
    if (rc < 0)
        return rc;
    rc = file_errors(&c);
    if (rc < 0)
        return rc;
    return a->failed ? BH_ENOMEM : 0;
}
