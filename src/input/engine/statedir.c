/*
 * statedir.c - an engine's data-root (/var/lib/docker) read offline, with no socket:
 * every containers/ID/config.v2.json with the hostconfig.json beside it, mapped by the
 * inspect reader. A container whose files are missing or unreadable goes to the error
 * list and the others are still read. Symbolic links are not followed: the directory
 * may come from a disk image that is not trusted. Images and drift need the live API.
 */
#include "input/engine/engineint.h"

#include "core/arena.h"
#include "core/limits.h"
#include "input/files.h"
#include "input/json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sd {
    struct bh_arena *a;
    struct bh_engine_error **errs;
    size_t *nerrs, errs_cap;
    struct bh_err *err;
};

static int sd_nomem(struct bh_err *err, const char *dir)
{
    return bh_err_set(err, BH_ENOMEM, dir, 0, 0, "out of memory reading a state directory");
}

static int sd_error(struct sd *S, const char *where, const char *msg)
{
    struct bh_engine_error *e = BH_PUSH(S->a, *S->errs, *S->nerrs, S->errs_cap);

    if (!e || !msg)
        return sd_nomem(S->err, where);
    e->where = where;
    e->message = msg;
    return 0;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Containers by name, then id: the order the report shows them in. */
static int cmp_containers(const void *x, const void *y)
{
    const struct bh_container *a = x, *b = y;
    int r = strcmp(a->name ? a->name : "", b->name ? b->name : "");

    return r ? r : strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

/*
 * Read and parse one regular file (not a link). 1 with a message in *why when it
 * cannot be used (the container goes to the error list), BH_ENOMEM, or 0.
 */
static int sd_json(struct sd *S, const char *path, const struct bh_jnode **root, const char **why)
{
    struct bh_jnode *doc;
    struct bh_err e;
    struct stat st;
    char *text;
    size_t len;
    int rc;

    if (lstat(path, &st) != 0) {
        *why = bh_arena_printf(S->a, "cannot read %s: %s", path, strerror(errno));
        return 1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = bh_arena_printf(S->a, "%s is not a regular file", path);
        return 1;
    }
    bh_err_init(&e);
    rc = bh_file_read(S->a, path, BH_MAX_JSON_INPUT, &text, &len, &e);
    if (rc == 0)
        rc = bh_json_parse(S->a, path, text, len, &doc, &e);
    if (rc == BH_ENOMEM)
        return sd_nomem(S->err, path);
    if (rc != 0) {
        /* where names the file already */
        *why = e.line ? bh_arena_printf(S->a, "line %d: %s", e.line, e.msg)
                      : bh_arena_strdup(S->a, e.msg);
        return 1;
    }
    *root = doc;
    return 0;
}

/* containers/NAME: 0 with *ok true and *c filled, or the container in the error list. */
static int sd_container(struct sd *S, const char *cdir, struct bh_container *c, bool *ok)
{
    const char *cpath = bh_arena_printf(S->a, "%s/config.v2.json", cdir);
    const char *hpath = bh_arena_printf(S->a, "%s/hostconfig.json", cdir), *why = NULL;
    const struct bh_jnode *config = NULL, *hostconfig = NULL;
    struct bh_err e;
    int rc;

    *ok = false;
    if (!cpath || !hpath)
        return sd_nomem(S->err, cdir);
    rc = sd_json(S, cpath, &config, &why);
    if (rc == 1)
        return sd_error(S, cpath, why);
    if (rc)
        return rc;
    rc = sd_json(S, hpath, &hostconfig, &why);
    if (rc == 1)
        return sd_error(S, hpath, why);
    if (rc)
        return rc;
    bh_err_init(&e);
    rc = bh_engine_inspect_files(S->a, cpath, hpath, config, hostconfig, c, &e);
    if (rc == BH_ENOMEM)
        return sd_nomem(S->err, cpath);
    if (rc)
        return sd_error(S, e.file[0] ? bh_arena_strdup(S->a, e.file) : cpath,
                        bh_arena_strdup(S->a, e.msg));
    *ok = true;
    return 0;
}

/* The names of the directories in cdir (sorted), links and files skipped. */
static int sd_list(struct sd *S, const char *cdir, const char ***names, size_t *n)
{
    size_t cap = 0;
    struct dirent *de;
    DIR *d = opendir(cdir);

    *names = NULL;
    *n = 0;
    if (!d)
        return bh_err_set(S->err, BH_EIO, cdir, 0, 0, "cannot open %s: %s", cdir, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        const char *path, **slot;
        struct stat st;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (*n >= BH_MAX_ENGINE_CONTAINERS) {
            closedir(d);
            return bh_err_set(S->err, BH_ELIMIT, cdir, 0, 0,
                              "more than %u containers (BH_MAX_ENGINE_CONTAINERS)",
                              BH_MAX_ENGINE_CONTAINERS);
        }
        path = bh_arena_printf(S->a, "%s/%s", cdir, de->d_name);
        if (!path) {
            closedir(d);
            return sd_nomem(S->err, cdir);
        }
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        slot = BH_PUSH(S->a, *names, *n, cap);
        if (!slot || !(*slot = bh_arena_strdup(S->a, de->d_name))) {
            closedir(d);
            return sd_nomem(S->err, cdir);
        }
    }
    closedir(d);
    if (*n > 1)
        qsort(*names, *n, sizeof(**names), cmp_names);
    return 0;
}

int bh_engine_read_statedir(struct bh_arena *a, const char *dir, struct bh_engine *out,
                            struct bh_engine_error **errs, size_t *nerrs, struct bh_err *err)
{
    struct sd S;
    const char **names, *root, *cdir;
    size_t n, i, len, cap = 0;
    struct stat st;
    int rc;

    memset(out, 0, sizeof(*out));
    S.a = a;
    S.errs = errs;
    S.nerrs = nerrs;
    S.errs_cap = *nerrs; /* unknown: the first push copies what is there */
    S.err = err;
    if (stat(dir, &st) != 0)
        return bh_err_set(err, BH_EIO, dir, 0, 0, "cannot read the state directory %s: %s", dir,
                          strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return bh_err_set(err, BH_EIO, dir, 0, 0, "%s is not a directory", dir);
    len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    root = bh_arena_strndup(a, dir, len);
    cdir = root ? bh_arena_printf(a, "%s%scontainers", root, len == 1 && *root == '/' ? "" : "/")
                : NULL;
    if (!cdir)
        return sd_nomem(err, dir);
    if (lstat(cdir, &st) != 0 || !S_ISDIR(st.st_mode))
        return bh_err_set(err, BH_EIO, dir, 0, 0,
                          "%s has no containers/ directory: not an engine's data-root", dir);
    out->address = dir;
    out->offline = true;
    if ((rc = sd_list(&S, cdir, &names, &n)))
        return rc;
    for (i = 0; i < n; i++) {
        const char *one = bh_arena_printf(a, "%s/%s", cdir, names[i]);
        struct bh_container c, *slot;
        bool ok;

        if (!one)
            return sd_nomem(err, dir);
        if ((rc = sd_container(&S, one, &c, &ok)))
            return rc;
        if (!ok)
            continue;
        if (!c.name)
            c.name = names[i];
        if (!c.spec.name)
            c.spec.name = c.name;
        slot = BH_PUSH(a, out->containers, out->ncontainers, cap);
        if (!slot)
            return sd_nomem(err, dir);
        *slot = c;
    }
    if (out->ncontainers > 1)
        qsort(out->containers, out->ncontainers, sizeof(*out->containers), cmp_containers);
    return 0;
}
