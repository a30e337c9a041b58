/*
 * imgcollect.c - the sink of one layer pass: each tar entry becomes a compact
 * struct bh_imgfile (whiteout markers turned into BH_FT_WHITEOUT / BH_FT_OPAQUE
 * entries), the files later checks read are captured, and text files go to the
 * secret scanner; package databases and language metadata are captured whole, Java
 * archives and Go executables have their packages read on the spot (into the part). It
 * decides nothing about layering (model/image.c merges) and judges nothing (rules read the
 * captures and hits).
 */
#include "input/imgcollect.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/pkgdb/binpkg.h"
#include "input/pkgdb/lang.h"
#include "input/secretscan.h"

#include <string.h>

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define WH_META ".wh..wh."
/* Content is pulled in pieces of this size; is_text looks at the first 8 KiB. */
#define CHUNK (64u * 1024u)
#define TEXT_PROBE (8u * 1024u)
/* Paths are packed into pools of this size instead of one 16-byte-aligned block each. */
#define POOL_SIZE (64u * 1024u)
/* Smallest executable worth a look: an ELF64 header is 64 bytes. */
#define EXEC_MIN 64u
/* Bytes kept from the end of one piece of an executable when searching the next for the
   build info magic, so a magic split between pieces is still seen. */
#define MAGIC_OVERLAP 15u

struct collect {
    struct bh_arena *a;
    int layer;
    const struct bh_imgcollect_opts *o;
    struct bh_secretscratch *scratch;
    /*
     * The entries grow in a malloc'd buffer and are copied once, at their final size,
     * into the arena: the doubling copies would otherwise stay in the arena for good.
     */
    struct bh_buf files;
    size_t nfiles;
    struct bh_imgcapture *captures;
    size_t ncaptures, capcaptures;
    struct bh_secrethit *secrets;
    size_t nsecrets, capsecrets;
    struct bh_packages packages;
    struct bh_imgerror *errors; /* files whose packages could not be read */
    size_t nerrors, caperrors;
    struct bh_buf content; /* one file's content, reused for every file of the pass */
    char *chunk;
    char *pool;
    size_t pool_left;
};

static bool is_in(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0' &&
           strchr(path + n + 1, '/') == NULL;
}

bool bh_imgcollect_wants(const char *path)
{
    static const char *const exact[] = {
        "etc/passwd",           "etc/shadow",           "etc/group",
        "etc/gshadow",          "etc/master.passwd",    "etc/os-release",
        "usr/lib/os-release",   "etc/debian_version",   "etc/alpine-release",
        "etc/redhat-release",   "etc/centos-release",   "etc/system-release",
        "etc/lsb-release",      "etc/sudoers",          "etc/apt/sources.list",
        "etc/apk/repositories", "etc/dnf/dnf.conf",     "etc/yum.conf",
        "var/lib/dpkg/status",  "lib/apk/db/installed",
    };
    static const char *const dirs[] = {
        "etc/sudoers.d", "etc/apt/sources.list.d", "etc/apt/apt.conf.d", "var/lib/dpkg/status.d",
        "var/lib/rpm",   "usr/lib/sysimage/rpm",
    };
    size_t i;

    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(path, exact[i]) == 0)
            return true;
    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (is_in(path, dirs[i]))
            return true;
    return (is_in(path, "etc/yum.repos.d") || is_in(path, "etc/zypp/repos.d")) &&
           bh_str_suffix(path, ".repo");
}

enum bh_imgcollect_kind bh_imgcollect_classify(const char *path, size_t *max)
{
    enum bh_imgcollect_kind k = BH_IMGCOLLECT_NONE;
    size_t m = 0;

    if (bh_imgcollect_wants(path)) {
        bool pkg = strcmp(path, "var/lib/dpkg/status") == 0 ||
                   strcmp(path, "lib/apk/db/installed") == 0 ||
                   is_in(path, "var/lib/dpkg/status.d") || is_in(path, "var/lib/rpm") ||
                   is_in(path, "usr/lib/sysimage/rpm");

        k = pkg ? BH_IMGCOLLECT_PKG : BH_IMGCOLLECT_CAPTURE;
    } else if (bh_pkgdb_lang_wants(path, NULL)) {
        k = BH_IMGCOLLECT_PKG;
    } else if (bh_java_wants(path)) {
        k = BH_IMGCOLLECT_JAVA;
    }
    if (k == BH_IMGCOLLECT_CAPTURE)
        m = BH_MAX_CAPTURE_BYTES;
    else if (k == BH_IMGCOLLECT_PKG)
        m = BH_MAX_PKG_CAPTURE_BYTES;
    else if (k == BH_IMGCOLLECT_JAVA)
        m = BH_MAX_JAR_BYTES;
    if (max)
        *max = m;
    return k;
}

bool bh_imgcollect_exec_candidate(uint32_t mode, uint64_t size)
{
    return (mode & 0111) != 0 && size >= EXEC_MIN;
}

/* (s, n) as a NUL-terminated string packed into the current pool. */
static const char *pool_str(struct collect *c, const char *s, size_t n)
{
    char *p;

    if (n >= POOL_SIZE / 16)
        return bh_arena_strndup(c->a, s, n);
    if (c->pool_left < n + 1) {
        c->pool = bh_arena_alloc(c->a, POOL_SIZE);
        if (!c->pool) {
            c->pool_left = 0;
            return NULL;
        }
        c->pool_left = POOL_SIZE;
    }
    p = c->pool;
    memcpy(p, s, n);
    p[n] = '\0';
    c->pool += n + 1;
    c->pool_left -= n + 1;
    return p;
}

/* Under a ".wh..wh.*" directory (AUFS's ".wh..wh.plnk" of hard-link targets, ...). */
static bool in_meta_dir(const char *path)
{
    const char *p = path;

    for (;;) {
        const char *slash = strchr(p, '/');

        if (!slash)
            return false;
        if (strncmp(p, WH_META, strlen(WH_META)) == 0)
            return true;
        p = slash + 1;
    }
}

/*
 * The whiteout conventions (OCI image spec, layer changesets): ".wh.NAME" removes NAME
 * from lower layers, ".wh..wh..opq" hides the lower contents of its directory, other
 * ".wh..wh." names (and what is under them) are AUFS bookkeeping that means nothing to
 * the tree: kept as BH_FT_OTHER, never read.
 * NAME "." or ".." would reach outside the directory: kept as an ordinary entry.
 */
static int name_entry(struct collect *c, const struct bh_layer_entry *e, struct bh_imgfile *f)
{
    const char *slash = strrchr(e->path, '/');
    const char *base = slash ? slash + 1 : e->path;
    size_t dirlen = slash ? (size_t)(slash - e->path) : 0;
    const char *name;
    size_t nlen;
    char *p;

    f->type = (uint8_t)e->type;
    if (!e->escaped && in_meta_dir(e->path)) {
        f->type = BH_FT_OTHER;
        return (f->path = pool_str(c, e->path, strlen(e->path))) ? 0 : BH_ENOMEM;
    }
    if (e->escaped || strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
        return (f->path = pool_str(c, e->path, strlen(e->path))) ? 0 : BH_ENOMEM;
    if (strcmp(base, WH_OPAQUE) == 0) {
        f->type = BH_FT_OPAQUE;
        f->path = pool_str(c, e->path, dirlen);
        return f->path ? 0 : BH_ENOMEM;
    }
    name = base + strlen(WH_PREFIX);
    nlen = strlen(name);
    if (strncmp(base, WH_META, strlen(WH_META)) == 0 || nlen == 0 || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0) {
        f->type = BH_FT_OTHER;
        return (f->path = pool_str(c, e->path, strlen(e->path))) ? 0 : BH_ENOMEM;
    }
    f->type = BH_FT_WHITEOUT;
    f->size = 0;
    f->link = NULL;
    if (!slash)
        return (f->path = pool_str(c, name, nlen)) ? 0 : BH_ENOMEM;
    /* dir + "/" + name is no longer than the marker's own path */
    p = (char *)pool_str(c, e->path, dirlen + 1 + nlen);
    if (!p)
        return BH_ENOMEM;
    memcpy(p + dirlen + 1, name, nlen);
    f->path = p;
    return 0;
}

/*
 * Pull the entry's content into c->content until it holds more than max bytes or the
 * content ends: c->content.len > max afterwards means the file is longer than max.
 */
static int pull(struct collect *c, struct bh_layer_content *lc, size_t max, struct bh_err *err)
{
    size_t got, want;
    int rc;

    while (c->content.len <= max) {
        want = max + 1 - c->content.len < CHUNK ? max + 1 - c->content.len : CHUNK;
        rc = bh_layer_content_read(lc, c->chunk, want, &got, err);
        if (rc < 0)
            return rc;
        if (got == 0)
            return 0;
        bh_buf_append(&c->content, c->chunk, got);
        if (c->content.failed)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading a layer");
    }
    return 0;
}

static int capture(struct collect *c, const struct bh_imgfile *f, size_t max)
{
    struct bh_imgcapture *cap = BH_PUSH(c->a, c->captures, c->ncaptures, c->capcaptures);
    size_t len = c->content.len < max ? c->content.len : max;

    if (!cap)
        return BH_ENOMEM;
    cap->path = f->path;
    cap->layer = c->layer;
    cap->data = bh_arena_strndup(c->a, c->content.ptr ? c->content.ptr : "", len);
    cap->len = len;
    cap->truncated = c->content.len > max;
    return cap->data ? 0 : BH_ENOMEM;
}

/* Does msg start with path followed by ':' or "!/" (the file named already)? */
static bool names_file(const char *msg, const char *path)
{
    size_t n = strlen(path);

    return strncmp(msg, path, n) == 0 && (msg[n] == ':' || (msg[n] == '!' && msg[n + 1] == '/'));
}

int bh_imgcollect_file_error(struct bh_arena *a, struct bh_imgerror **v, size_t *n, size_t *cap,
                             const char *path, int layer, const struct bh_err *e)
{
    struct bh_imgerror *ie = BH_PUSH(a, *v, *n, *cap);
    const char *msg = e->msg[0] ? e->msg : "packages could not be read";

    if (!ie)
        return BH_ENOMEM;
    ie->path = path;
    ie->layer = layer;
    ie->message =
        names_file(msg, path) ? bh_arena_strdup(a, msg) : bh_arena_printf(a, "%s: %s", path, msg);
    return ie->message ? 0 : BH_ENOMEM;
}

/* A file whose packages could not be read: noted, the pass goes on. */
static int pkg_error(struct collect *c, const struct bh_imgfile *f, const struct bh_err *e)
{
    return bh_imgcollect_file_error(c->a, &c->errors, &c->nerrors, &c->caperrors, f->path, c->layer,
                                    e);
}

/* Packages (and errors) of one binary or archive, kept in the part. */
static int binpkg_done(struct collect *c, const struct bh_imgfile *f, int rc,
                       const struct bh_err *e, struct bh_err *err)
{
    if (rc == BH_ENOMEM || c->a->failed)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading '%s'", f->path);
    /* build info older than Go 1.18 needs the whole file; a streamed pass has not got it */
    if (rc < 0 && rc != BH_EUNSUPPORTED && pkg_error(c, f, e) < 0)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading '%s'", f->path);
    return 0;
}

static int read_java(struct collect *c, const struct bh_imgfile *f, struct bh_layer_content *lc,
                     struct bh_err *err)
{
    struct bh_err e;
    int rc;

    bh_err_init(&e);
    if (f->size > BH_MAX_JAR_BYTES) {
        bh_err_set(&e, BH_ELIMIT, f->path, 0, 0,
                   "Java archive larger than BH_MAX_JAR_BYTES (%u bytes) not read",
                   BH_MAX_JAR_BYTES);
        return binpkg_done(c, f, BH_ELIMIT, &e, err);
    }
    bh_buf_reset(&c->content);
    rc = pull(c, lc, BH_MAX_JAR_BYTES, err);
    if (rc < 0)
        return rc;
    if (c->content.len > BH_MAX_JAR_BYTES) {
        bh_err_set(&e, BH_ELIMIT, f->path, 0, 0,
                   "Java archive larger than BH_MAX_JAR_BYTES (%u bytes) not read",
                   BH_MAX_JAR_BYTES);
        return binpkg_done(c, f, BH_ELIMIT, &e, err);
    }
    rc = bh_java_read(c->a, f->path, c->content.ptr ? c->content.ptr : "", c->content.len, c->layer,
                      &c->packages, &e);
    return binpkg_done(c, f, rc, &e, err);
}

/*
 * Search an executable for the build info magic piece by piece (c->content holds the
 * start already), then read what follows it. Nothing but the current piece is held.
 */
static int read_gobin(struct collect *c, const struct bh_imgfile *f, struct bh_layer_content *lc,
                      struct bh_err *err)
{
    struct bh_buf *b = &c->content;
    size_t base = 0, got, keep;
    ssize_t off;
    struct bh_err e, first;
    int rc, first_rc = 0;

    bh_err_init(&first);
    for (;;) {
        off = b->len ? bh_gobin_find_magic(b->ptr, b->len, base) : -1;
        if (off < 0) {
            keep = b->len < MAGIC_OVERLAP ? b->len : MAGIC_OVERLAP;
            if (keep)
                memmove(b->ptr, b->ptr + b->len - keep, keep);
            base += b->len - keep;
            b->len = keep;
            rc = bh_layer_content_read(lc, c->chunk, CHUNK, &got, err);
            if (rc < 0)
                return rc;
            if (got == 0) /* not a Go binary, or only copies of the magic that did not parse */
                return first_rc ? binpkg_done(c, f, first_rc, &first, err) : 0;
            bh_buf_append(b, c->chunk, got);
            if (b->failed)
                return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading a layer");
            continue;
        }
        memmove(b->ptr, b->ptr + off, b->len - (size_t)off);
        b->len -= (size_t)off;
        base += (size_t)off;
        rc = pull(c, lc, BH_MAX_GOBUILDINFO - 1, err);
        if (rc < 0)
            return rc;
        bh_err_init(&e);
        rc = bh_gobin_parse(c->a, f->path, b->ptr,
                            b->len < BH_MAX_GOBUILDINFO ? b->len : BH_MAX_GOBUILDINFO, c->layer,
                            &c->packages, &e);
        /*
         * Programs that embed the magic string (the go tool itself) can have an aligned copy
         * in read-only data before the real section: look further before giving up.
         */
        if (rc != BH_EPARSE || b->len <= 16)
            return binpkg_done(c, f, rc, &e, err);
        if (!first_rc) {
            first_rc = rc;
            first = e;
        }
        memmove(b->ptr, b->ptr + 16, b->len - 16);
        b->len -= 16;
        base += 16;
    }
}

static int scan_secrets(struct collect *c, const struct bh_imgfile *f, struct bh_err *err)
{
    struct bh_secretmatch *m = NULL;
    size_t n = 0, i;
    int rc;

    rc = bh_secretscan_buf(c->o->secrets, c->scratch, c->a, f->path, c->content.ptr, c->content.len,
                           &m, &n, err);
    if (rc < 0)
        return rc;
    for (i = 0; i < n; i++) {
        struct bh_secrethit *h = BH_PUSH(c->a, c->secrets, c->nsecrets, c->capsecrets);

        if (!h)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory scanning for secrets");
        /* the merge tells the hits of one file by this shared pointer (model/image.c) */
        h->path = f->path;
        h->layer = c->layer;
        h->kind = m[i].kind;
        h->what = m[i].what;
        h->line = m[i].line;
        h->excerpt = m[i].excerpt;
    }
    return 0;
}

/*
 * Captures, package reads and secret scanning of one regular file, reading its content
 * once and only as far as needed: most files are neither captured nor text, and are not
 * pulled at all (or only their first bytes).
 */
static int read_content(struct collect *c, const struct bh_imgfile *f, bool escaped,
                        struct bh_layer_content *lc, struct bh_err *err)
{
    size_t keep = 0;
    enum bh_imgcollect_kind kind =
        escaped ? BH_IMGCOLLECT_NONE : bh_imgcollect_classify(f->path, &keep);
    bool want = kind == BH_IMGCOLLECT_CAPTURE || kind == BH_IMGCOLLECT_PKG;
    bool scan = c->o && c->o->secrets && f->size > 0 && f->size <= BH_MAX_SECRET_SCAN_BYTES;
    bool exec =
        !escaped && kind == BH_IMGCOLLECT_NONE && bh_imgcollect_exec_candidate(f->mode, f->size);
    size_t max;
    int rc;

    if (kind == BH_IMGCOLLECT_JAVA)
        return read_java(c, f, lc, err);
    if (!want && !scan && !exec)
        return 0;
    bh_buf_reset(&c->content);
    if (!want) {
        /* most files are binaries: look at the start before pulling the rest */
        rc = pull(c, lc, TEXT_PROBE, err);
        if (rc < 0)
            return rc;
        if (exec && bh_gobin_is_exec(c->content.ptr ? c->content.ptr : "", c->content.len))
            return read_gobin(c, f, lc, err);
        if (!scan ||
            !bh_secretscan_is_text(c->content.ptr ? c->content.ptr : "",
                                   c->content.len < TEXT_PROBE ? c->content.len : TEXT_PROBE))
            return 0;
    }
    max = want ? keep : 0;
    if (scan && max < BH_MAX_SECRET_SCAN_BYTES)
        max = BH_MAX_SECRET_SCAN_BYTES;
    rc = pull(c, lc, max, err);
    if (rc < 0)
        return rc;
    if (want) {
        rc = capture(c, f, keep);
        if (rc < 0)
            return bh_err_set(err, rc, NULL, 0, 0, "out of memory capturing '%s'", f->path);
    }
    /* the declared size decided; content longer than the limit is not scanned either */
    if (scan && c->content.len <= BH_MAX_SECRET_SCAN_BYTES &&
        bh_secretscan_is_text(c->content.ptr ? c->content.ptr : "", c->content.len))
        return scan_secrets(c, f, err);
    return 0;
}

static int on_entry(void *ctx, const struct bh_layer_entry *e, struct bh_layer_content *lc,
                    struct bh_err *err)
{
    struct collect *c = ctx;
    struct bh_imgfile f;
    int rc;

    memset(&f, 0, sizeof(f));
    f.size = e->size;
    f.mode = e->mode & 07777;
    f.uid = e->uid;
    f.gid = e->gid;
    f.layer = (uint16_t)c->layer;
    f.flags = (uint8_t)((e->has_fcaps ? BH_IMGF_FCAPS : 0) | (e->escaped ? BH_IMGF_ESCAPED : 0));
    if (e->link) {
        f.link = pool_str(c, e->link, strlen(e->link));
        if (!f.link)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading a layer");
    }
    rc = name_entry(c, e, &f);
    if (rc < 0)
        return bh_err_set(err, rc, NULL, 0, 0, "out of memory reading a layer");
    bh_buf_append(&c->files, (const char *)&f, sizeof(f));
    if (c->files.failed)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading a layer");
    c->nfiles++;
    if (lc && f.type == BH_FT_REG)
        return read_content(c, &f, e->escaped, lc, err);
    return 0;
}

static void on_progress(void *ctx, uint64_t n)
{
    struct collect *c = ctx;

    if (c->o && c->o->progress)
        c->o->progress(c->o->progress_ctx, n);
}

int bh_imgcollect_layer(struct bh_arena *a, struct bh_reader *in, enum bh_layer_comp comp,
                        const char *label, int layer, const struct bh_imgcollect_opts *o,
                        struct bh_imgpart *out, struct bh_layer_stats *st, struct bh_err *err)
{
    struct collect c;
    struct bh_layer_sink sink;
    /* the largest of everything read whole: package captures, Java archives, Go build
       info, scanned text, small captures */
    size_t max_content = BH_MAX_PKG_CAPTURE_BYTES;
    int rc;

    if (BH_MAX_JAR_BYTES > max_content)
        max_content = BH_MAX_JAR_BYTES;
    if (BH_MAX_GOBUILDINFO + CHUNK > max_content)
        max_content = BH_MAX_GOBUILDINFO + CHUNK;
    if (BH_MAX_CAPTURE_BYTES > max_content)
        max_content = BH_MAX_CAPTURE_BYTES;
    if (BH_MAX_SECRET_SCAN_BYTES > max_content)
        max_content = BH_MAX_SECRET_SCAN_BYTES;
    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.layer = layer;
    c.o = o;
    bh_buf_init(&c.files, (size_t)BH_MAX_LAYER_ENTRIES * sizeof(struct bh_imgfile));
    bh_buf_init(&c.content, max_content + 1);
    c.chunk = bh_arena_alloc(a, CHUNK);
    if (!c.chunk) {
        rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading layer '%s'", label);
        goto out;
    }
    if (o && o->secrets) {
        rc = bh_secretscan_scratch(o->secrets, &c.scratch, err);
        if (rc < 0)
            goto out;
    }
    sink.entry = on_entry;
    sink.progress = on_progress;
    sink.ctx = &c;
    rc = bh_layer_scan(in, comp, label, &sink, st, err);
    /* what was collected is kept also on error: the caller may report a partial layer */
    if (c.nfiles) {
        out->files = bh_arena_alloc(a, c.nfiles * sizeof(*out->files));
        if (!out->files) {
            if (rc == 0)
                rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading layer '%s'",
                                label);
        } else {
            memcpy(out->files, c.files.ptr, c.nfiles * sizeof(*out->files));
            out->nfiles = c.nfiles;
        }
    }
    out->captures = c.captures;
    out->ncaptures = c.ncaptures;
    out->secrets = c.secrets;
    out->nsecrets = c.nsecrets;
    out->packages = c.packages.v;
    out->npackages = c.packages.n;
    out->errors = c.errors;
    out->nerrors = c.nerrors;
out:
    if (c.scratch)
        bh_secretscratch_free(c.scratch);
    bh_buf_release(&c.files);
    bh_buf_release(&c.content);
    return rc;
}
