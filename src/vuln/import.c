/*
 * import.c - the advisory importers' front: tells OSV, secdb and zip apart by
 * content, turns YAML into the JSON tree the readers (osv.c, secdb.c) take,
 * walks zip members and directories (sorted, bounded depth), and names the
 * file, line and record in errors. It keeps nothing: records go to the
 * caller's callback; each file or zip member is parsed in an arena of its own.
 */
#include "vuln/import.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/files.h"
#include "input/yaml.h"
#include "input/zip.h"
#include "vuln/import_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest file or zip member parsed whole: the JSON reader's own bound (YAML's is the same). */
#define DOC_MAX ((size_t)BH_MAX_JSON_INPUT)

int bh_imp_line(const struct bh_imp *im, const struct bh_jnode *n)
{
    if (!im->yaml || !n || n->i <= 0 || n->i > INT_MAX)
        return 0;
    return (int)n->i;
}

int bh_imp_fail(struct bh_imp *im, int code, const struct bh_jnode *n, const char *fmt, ...)
{
    char msg[600];
    int line = bh_imp_line(im, n);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (line)
        return bh_err_set(im->err, code, im->file, line, 0, "%s: line %d: %s", im->file, line, msg);
    return bh_err_set(im->err, code, im->file, 0, 0, "%s: %s", im->file, msg);
}

int bh_imp_emit(struct bh_imp *im, const struct bh_advisory *adv)
{
    int rc = im->fn(im->ctx, adv);

    if (rc == 0) {
        im->st->records++;
        return 0;
    }
    if (rc < 0 && im->err && im->err->code == 0)
        bh_err_set(im->err, rc, im->file, 0, 0, "%s: record '%s': import stopped (%s)", im->file,
                   adv->id, bh_err_name(rc));
    return rc;
}

/* Prefix a reader's message (json.c, yaml.c, files.c) with the file it was about. */
static int named(struct bh_err *err, int rc, const char *file)
{
    char msg[2 * sizeof(err->msg) + 64];
    size_t n;

    if (!err || rc == 0)
        return rc;
    if (err->line > 0)
        snprintf(msg, sizeof(msg), "%s: line %d: %s", file, err->line, err->msg);
    else
        snprintf(msg, sizeof(msg), "%s: %s", file, err->msg);
    n = strlen(msg);
    if (n >= sizeof(err->msg))
        n = sizeof(err->msg) - 1;
    memcpy(err->msg, msg, n);
    err->msg[n] = '\0';
    snprintf(err->file, sizeof(err->file), "%s", file);
    return rc;
}

/* ---- YAML into the JSON tree ---- */

/*
 * Every scalar stays a string (OSV and secdb hold only strings; an unquoted `fixed: 1.10`
 * keeps its text), a null scalar becomes null. The source line goes into jnode.i.
 */
static int from_yaml(struct bh_imp *im, const struct bh_ynode *y, struct bh_jnode *j)
{
    size_t i;
    int rc;

    j->i = y->line;
    switch (y->type) {
    case BH_Y_NULL:
        j->type = BH_J_NULL;
        return 0;
    case BH_Y_SCALAR:
        if (bh_yaml_is_null(y, BH_YAML_1_2)) {
            j->type = BH_J_NULL;
            return 0;
        }
        j->type = BH_J_STRING;
        j->str = y->scalar ? y->scalar : "";
        j->len = y->scalar ? y->scalar_len : 0;
        return 0;
    case BH_Y_SEQ:
        j->type = BH_J_ARRAY;
        j->items = bh_arena_calloc(im->a, y->n ? y->n : 1, sizeof(*j->items));
        if (!j->items)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        for (i = 0; i < y->n; i++) {
            rc = from_yaml(im, y->items[i], &j->items[i]);
            if (rc)
                return rc;
        }
        j->n = y->n;
        return 0;
    case BH_Y_MAP:
        j->type = BH_J_OBJECT;
        j->pairs = bh_arena_calloc(im->a, y->n ? y->n : 1, sizeof(*j->pairs));
        if (!j->pairs)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        for (i = 0; i < y->n; i++) {
            const struct bh_ynode *k = y->pairs[i].key;

            if (!bh_yaml_is_scalar(k)) {
                struct bh_jnode at = {0};

                at.i = k ? k->line : y->line;
                return bh_imp_fail(im, BH_EPARSE, &at, "a mapping key must be a scalar, not a %s",
                                   bh_yaml_type_name(k));
            }
            j->pairs[i].key = k->scalar ? k->scalar : "";
            j->pairs[i].keylen = k->scalar ? k->scalar_len : 0;
            rc = from_yaml(im, y->pairs[i].value, &j->pairs[i].value);
            if (rc)
                return rc;
        }
        j->n = y->n;
        return 0;
    }
    return bh_imp_fail(im, BH_EINTERNAL, NULL, "unknown yaml node type");
}

/* ---- documents ---- */

static enum bh_import_format classify(const struct bh_jnode *root)
{
    if (bh_imp_is_secdb(root))
        return BH_IMPORT_SECDB;
    if ((bh_json_is_object(root) || bh_json_is_array(root)) && bh_imp_is_osv(root))
        return BH_IMPORT_OSV;
    return BH_IMPORT_UNKNOWN;
}

static int import_tree(struct bh_imp *im, const struct bh_jnode *root)
{
    switch (classify(root)) {
    case BH_IMPORT_SECDB:
        return bh_imp_secdb(im, root);
    case BH_IMPORT_OSV:
        return bh_imp_osv(im, root);
    default:
        break;
    }
    return bh_imp_fail(im, BH_EPARSE, root,
                       "neither an OSV record (no string 'id') nor an Alpine secdb document (no "
                       "'packages')");
}

static size_t bom_len(const char *p, size_t len)
{
    return len >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
                   (unsigned char)p[2] == 0xbf
               ? 3
               : 0;
}

/* Past a UTF-8 byte order mark and white space: the first byte that tells JSON from YAML. */
static size_t text_start(const char *p, size_t len)
{
    size_t i = bom_len(p, len);

    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i;
}

/* JSON when it opens with '{' or '[', else YAML (every document of the stream in turn). */
static int import_text(struct bh_imp *im, const char *data, size_t len)
{
    size_t i = text_start(data, len), d, nd;
    struct bh_ydoc *docs;
    struct bh_jnode *root;
    int rc;

    if (i == len)
        return bh_imp_fail(im, BH_EPARSE, NULL, "empty document");
    if (data[i] == '{' || data[i] == '[') {
        im->yaml = false;
        /* from the first line, so that jansson's line numbers are the file's */
        i = bom_len(data, len);
        rc = bh_json_parse(im->a, im->file, data + i, len - i, &root, im->err);
        if (rc)
            return named(im->err, rc, im->file);
        return import_tree(im, root);
    }
    im->yaml = true;
    rc = bh_yaml_parse(im->a, im->file, data, len, 0, &docs, &nd, im->err);
    if (rc)
        return named(im->err, rc, im->file);
    if (nd == 0)
        return bh_imp_fail(im, BH_EPARSE, NULL, "empty document");
    for (d = 0; d < nd; d++) {
        root = bh_arena_alloc(im->a, sizeof(*root));
        if (!root)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        rc = from_yaml(im, docs[d].root, root);
        if (rc == 0)
            rc = import_tree(im, root);
        if (rc)
            return rc;
    }
    return 0;
}

enum bh_import_format bh_import_detect(const void *data, size_t len)
{
    struct bh_import_stats st = {0, 0, 0};
    struct bh_arena a;
    struct bh_err err;
    struct bh_imp im;
    struct bh_ydoc *docs;
    struct bh_jnode *root = NULL;
    enum bh_import_format f = BH_IMPORT_UNKNOWN;
    const char *p = data;
    size_t i, nd;

    if (bh_zip_magic(data, len))
        return BH_IMPORT_ZIP;
    if (!data)
        return BH_IMPORT_UNKNOWN;
    i = text_start(p, len);
    if (i == len)
        return BH_IMPORT_UNKNOWN;
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    memset(&im, 0, sizeof(im));
    im.a = &a;
    im.file = "-";
    im.st = &st;
    im.err = &err;
    if (p[i] == '{' || p[i] == '[') {
        i = bom_len(p, len);
        if (bh_json_parse(&a, "-", p + i, len - i, &root, &err) != 0)
            root = NULL;
    } else if (bh_yaml_parse(&a, "-", p, len, 0, &docs, &nd, &err) == 0 && nd > 0) {
        im.yaml = true;
        root = bh_arena_alloc(&a, sizeof(*root));
        if (root && from_yaml(&im, docs[0].root, root) != 0)
            root = NULL;
    }
    if (root)
        f = classify(root);
    bh_arena_release(&a);
    return f;
}

/* ---- zip archives ---- */

static bool wanted_name(const char *name)
{
    return bh_str_isuffix(name, ".json") || bh_str_isuffix(name, ".yaml") ||
           bh_str_isuffix(name, ".yml");
}

struct zipwalk {
    const struct bh_imp *outer;
    size_t arena_max;
    int stop; /* the callback's nonzero return, handed back after the walk */
};

static int zip_member(void *ctx, const char *name, const void *data, size_t len, struct bh_err *err)
{
    struct zipwalk *zw = ctx;
    struct bh_imp im = *zw->outer;
    struct bh_arena a;
    char *label;
    int rc;

    (void)err; /* the same struct as im.err */
    if (!wanted_name(name))
        return 0;
    bh_arena_init(&a, zw->arena_max);
    label = bh_arena_printf(&a, "%s!/%s", zw->outer->file, name);
    if (!label) {
        bh_arena_release(&a);
        return bh_err_set(im.err, BH_ENOMEM, zw->outer->file, 0, 0, "%s: out of memory",
                          zw->outer->file);
    }
    im.a = &a;
    im.file = label;
    rc = import_text(&im, data, len);
    if (rc < 0 && im.err && im.err->file[0] == '\0')
        snprintf(im.err->file, sizeof(im.err->file), "%s", label);
    bh_arena_release(&a);
    if (rc > 0) {
        zw->stop = rc; /* the caller's own stop: end the walk without an error */
        return 1;
    }
    return rc;
}

static size_t arena_max(const struct bh_arena *a)
{
    return a && a->max ? a->max : BH_MAX_SCAN_ARENA;
}

static int import_zip_mem(struct bh_imp *im, const void *data, size_t len)
{
    struct zipwalk zw = {im, arena_max(im->a), 0};
    int rc = bh_zip_walk_mem(im->file, data, len, DOC_MAX, zip_member, &zw, im->err);

    return zw.stop ? zw.stop : rc;
}

static void stats_init(struct bh_import_stats **st, struct bh_import_stats *local)
{
    if (!*st) {
        memset(local, 0, sizeof(*local));
        *st = local;
    }
}

int bh_import_buf(struct bh_arena *a, const char *file, const void *data, size_t len,
                  bh_import_fn fn, void *ctx, struct bh_import_stats *st, struct bh_err *err)
{
    struct bh_import_stats local;
    struct bh_imp im;

    stats_init(&st, &local);
    memset(&im, 0, sizeof(im));
    im.a = a;
    im.file = file ? file : "-";
    im.fn = fn;
    im.ctx = ctx;
    im.st = st;
    im.err = err;
    if (bh_zip_magic(data, len))
        return import_zip_mem(&im, data, len);
    return import_text(&im, data ? data : "", data ? len : 0);
}

/* ---- files and directories ---- */

static int import_file(struct bh_imp *im, const char *path)
{
    unsigned char head[4];
    struct bh_arena a;
    char *data;
    size_t len;
    ssize_t n;
    int fd, rc;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bh_err_set(im->err, BH_EIO, path, 0, 0, "cannot open '%s': %s", path,
                          strerror(errno));
    do
        n = read(fd, head, sizeof(head));
    while (n < 0 && errno == EINTR);
    close(fd);
    im->file = path;
    if (n == (ssize_t)sizeof(head) && bh_zip_magic(head, sizeof(head))) {
        struct zipwalk zw = {im, arena_max(im->a), 0};

        rc = bh_zip_walk_file(path, DOC_MAX, zip_member, &zw, im->err);
        return zw.stop ? zw.stop : rc;
    }
    bh_arena_init(&a, arena_max(im->a));
    rc = bh_file_read(&a, path, DOC_MAX, &data, &len, im->err);
    if (rc == 0) {
        struct bh_imp sub = *im;

        sub.a = &a;
        rc = import_text(&sub, data, len);
    }
    bh_arena_release(&a);
    return rc;
}

struct walk {
    struct bh_imp *im;
    struct bh_arena names; /* every directory listing of the walk */
    size_t files;
};

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int walk_dir(struct walk *w, const char *dir, unsigned depth)
{
    struct bh_imp *im = w->im;
    const char **names = NULL;
    size_t n = 0, cap = 0, i;
    struct dirent *de;
    DIR *d;
    int rc = 0;

    if (depth > BH_MAX_WALK_DEPTH)
        return bh_err_set(im->err, BH_ELIMIT, dir, 0, 0,
                          "%s: directories nested deeper than %u (BH_MAX_WALK_DEPTH)", dir,
                          BH_MAX_WALK_DEPTH);
    d = opendir(dir);
    if (!d)
        return bh_err_set(im->err, BH_EIO, dir, 0, 0, "cannot open directory '%s': %s", dir,
                          strerror(errno));
    while ((de = readdir(d)) != NULL) {
        const char **slot;

        if (de->d_name[0] == '.')
            continue; /* ".", "..", and hidden files and directories (.git) */
        slot = BH_PUSH(&w->names, names, n, cap);
        if (!slot || !(*slot = bh_arena_strdup(&w->names, de->d_name))) {
            closedir(d);
            return bh_err_set(im->err, BH_ENOMEM, dir, 0, 0, "%s: out of memory", dir);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_name);
    for (i = 0; i < n && rc == 0; i++) {
        char path[BH_MAX_PATH];
        struct stat sb;
        int plen = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);

        if (plen < 0 || (size_t)plen >= sizeof(path))
            return bh_err_set(im->err, BH_ELIMIT, dir, 0, 0,
                              "%s: a path under it is longer than %u bytes (BH_MAX_PATH)", dir,
                              BH_MAX_PATH);
        if (lstat(path, &sb) != 0)
            return bh_err_set(im->err, BH_EIO, path, 0, 0, "cannot stat '%s': %s", path,
                              strerror(errno));
        if (S_ISDIR(sb.st_mode)) {
            rc = walk_dir(w, path, depth + 1);
            continue;
        }
        /* a symbolic link counts when it names a regular file; linked directories are not
         * followed, so a link loop cannot recurse */
        if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0)
            continue;
        if (!S_ISREG(sb.st_mode) || !wanted_name(names[i]))
            continue;
        if (++w->files > BH_MAX_WALK_FILES)
            return bh_err_set(im->err, BH_ELIMIT, dir, 0, 0,
                              "%s: more than %u files (BH_MAX_WALK_FILES)", dir, BH_MAX_WALK_FILES);
        rc = import_file(im, path);
    }
    return rc;
}

int bh_import_path(struct bh_arena *a, const char *path, bh_import_fn fn, void *ctx,
                   struct bh_import_stats *st, struct bh_err *err)
{
    struct bh_import_stats local;
    struct bh_imp im;
    struct stat sb;
    struct walk w;
    int rc;

    stats_init(&st, &local);
    memset(&im, 0, sizeof(im));
    im.a = a;
    im.file = path;
    im.fn = fn;
    im.ctx = ctx;
    im.st = st;
    im.err = err;
    if (stat(path, &sb) != 0)
        return bh_err_set(err, BH_EIO, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return import_file(&im, path);
    w.im = &im;
    w.files = 0;
    bh_arena_init(&w.names, arena_max(a));
    rc = walk_dir(&w, path, 0);
    bh_arena_release(&w.names);
    return rc;
}
