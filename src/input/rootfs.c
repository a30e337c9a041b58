/*
 * rootfs.c - an unpacked root filesystem read as a one-layer image: a walk with
 * openat/fstatat that never follows a symbolic link and never enters another
 * filesystem, producing the same part a layer pass would (file index, captures
 * decided by input/imgcollect.c's rules, secret hits, Go and Java packages), then
 * the ordinary merge. It judges nothing; unreadable files are counted, not fatal;
 * files whose packages cannot be read go into the part's errors, as in a layer pass.
 */
#include "input/rootfs.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "input/imgcollect.h"
#include "input/pkgdb/binpkg.h"
#include "input/pkgdb/pkgdb.h"
#include "input/secretscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Same probe as the layer pass: the first bytes decide whether a file is text. */
#define TEXT_PROBE (8u * 1024u)
#define POOL_SIZE (64u * 1024u)

struct walk {
    struct bh_arena *a;
    const struct bh_rootfs_opts *o;
    const char *dir; /* the root as given, for the xattr lookups */
    struct bh_secretscratch *scratch;
    dev_t dev;
    struct bh_buf files; /* struct bh_imgfile, copied into the arena once at the end */
    size_t nfiles;
    struct bh_imgcapture *captures;
    size_t ncaptures, capcaptures;
    struct bh_secrethit *secrets;
    size_t nsecrets, capsecrets;
    struct bh_packages packages;
    struct bh_imgerror *errors; /* files whose packages could not be read */
    size_t nerrors, caperrors;
    size_t unreadable;
    char path[BH_MAX_PATH + 1]; /* the entry's path relative to the root */
    char *pool;
    size_t pool_left;
    struct bh_err *err;
};

static const char *pool_str(struct walk *w, const char *s, size_t n)
{
    char *p;

    if (n >= POOL_SIZE / 16)
        return bh_arena_strndup(w->a, s, n);
    if (w->pool_left < n + 1) {
        w->pool = bh_arena_alloc(w->a, POOL_SIZE);
        if (!w->pool) {
            w->pool_left = 0;
            return NULL;
        }
        w->pool_left = POOL_SIZE;
    }
    p = w->pool;
    memcpy(p, s, n);
    p[n] = '\0';
    w->pool += n + 1;
    w->pool_left -= n + 1;
    return p;
}

static int oom(struct walk *w)
{
    return bh_err_set(w->err, BH_ENOMEM, NULL, 0, 0, "out of memory reading root filesystem");
}

/* Read up to max bytes of fd into *b (appending); stops at end of file. */
static int read_upto(int fd, struct bh_buf *b, size_t max)
{
    char chunk[16384];

    while (b->len < max) {
        size_t want = max - b->len < sizeof(chunk) ? max - b->len : sizeof(chunk);
        ssize_t got = read(fd, chunk, want);

        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0)
            break;
        bh_buf_append(b, chunk, (size_t)got);
        if (b->failed)
            return -2;
    }
    return 0;
}

static int scan_secrets(struct walk *w, const char *path, const char *data, size_t len)
{
    struct bh_secretmatch *m = NULL;
    size_t n = 0, i;
    int rc;

    rc = bh_secretscan_buf(w->o->secrets, w->scratch, w->a, path, data, len, &m, &n, w->err);
    if (rc < 0)
        return rc;
    for (i = 0; i < n; i++) {
        struct bh_secrethit *h = BH_PUSH(w->a, w->secrets, w->nsecrets, w->capsecrets);

        if (!h)
            return oom(w);
        h->path = path; /* one pointer per file, as the merge expects */
        h->layer = 0;
        h->kind = m[i].kind;
        h->what = m[i].what;
        h->line = m[i].line;
        h->excerpt = m[i].excerpt;
    }
    return 0;
}

/* A file whose packages could not be read: noted (reported by the package collector). */
static int file_error(struct walk *w, const char *path, const struct bh_err *e)
{
    if (bh_imgcollect_file_error(w->a, &w->errors, &w->nerrors, &w->caperrors, path, 0, e) < 0)
        return oom(w);
    return 0;
}

static int jar_too_large(struct walk *w, const char *path)
{
    struct bh_err e;

    bh_err_init(&e);
    bh_err_set(&e, BH_ELIMIT, path, 0, 0,
               "Java archive larger than BH_MAX_JAR_BYTES (%u bytes) not read", BH_MAX_JAR_BYTES);
    return file_error(w, path, &e);
}

/*
 * Packages of a Java archive or Go executable read whole. A bad one adds no packages but
 * an error (as the layer pass does); a Go executable over the limit is not read at all.
 */
static int read_binpkg(struct walk *w, int fd, const char *path, bool java, size_t max)
{
    struct bh_buf b;
    struct bh_err e;
    int rc;

    bh_buf_init(&b, max + 1);
    rc = read_upto(fd, &b, max + 1);
    if (rc == -2) {
        bh_buf_release(&b);
        return oom(w);
    }
    if (rc < 0 || b.len > max) {
        bh_buf_release(&b);
        if (rc < 0)
            w->unreadable++;
        else if (java) /* grew past the limit after the stat */
            return jar_too_large(w, path);
        return 0;
    }
    bh_err_init(&e);
    if (java)
        rc = bh_java_read(w->a, path, b.ptr ? b.ptr : "", b.len, 0, &w->packages, &e);
    else
        rc = bh_gobin_read(w->a, path, b.ptr ? b.ptr : "", b.len, 0, &w->packages, &e);
    bh_buf_release(&b);
    if (rc == BH_ENOMEM || w->a->failed)
        return oom(w);
    /* pointer-format build info outside ELF: no packages, as in the layer pass */
    if (rc < 0 && rc != BH_EUNSUPPORTED)
        return file_error(w, path, &e);
    return 0;
}

/*
 * The content of one regular file, read only as far as needed (as the layer pass does):
 * captured when imgcollect wants it, scanned when it is text, packages read out of Java
 * archives and Go executables. Every other file is not opened.
 */
static int read_file(struct walk *w, int dfd, const char *name, const struct bh_imgfile *f,
                     struct bh_buf *b)
{
    size_t keep = 0, max;
    enum bh_imgcollect_kind kind = bh_imgcollect_classify(f->path, &keep);
    bool want = kind == BH_IMGCOLLECT_CAPTURE || kind == BH_IMGCOLLECT_PKG;
    bool scan = w->o && w->o->secrets && f->size > 0 && f->size <= BH_MAX_SECRET_SCAN_BYTES;
    bool exec = kind == BH_IMGCOLLECT_NONE && bh_imgcollect_exec_candidate(f->mode, f->size);
    struct stat st;
    int fd, rc = 0;

    if (!want && !scan && !exec && kind != BH_IMGCOLLECT_JAVA)
        return 0;
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        w->unreadable++;
        return 0;
    }
    /* replaced between the stat and the open: not the file that was listed */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != w->dev) {
        w->unreadable++;
        close(fd);
        return 0;
    }
    bh_buf_reset(b);
    if (kind == BH_IMGCOLLECT_JAVA) {
        rc = f->size <= BH_MAX_JAR_BYTES ? read_binpkg(w, fd, f->path, true, BH_MAX_JAR_BYTES)
                                         : jar_too_large(w, f->path);
        close(fd);
        return rc;
    }
    if (!want) {
        if (read_upto(fd, b, TEXT_PROBE) < 0)
            goto unreadable;
        if (exec && bh_gobin_is_exec(b->ptr ? b->ptr : "", b->len)) {
            rc = 0;
            if (f->size <= BH_MAX_ROOTFS_EXEC_BYTES && lseek(fd, 0, SEEK_SET) == 0)
                rc = read_binpkg(w, fd, f->path, false, BH_MAX_ROOTFS_EXEC_BYTES);
            close(fd);
            return rc;
        }
        if (!scan || !bh_secretscan_is_text(b->ptr ? b->ptr : "", b->len))
            goto done;
    }
    max = want ? keep : 0;
    if (scan && max < BH_MAX_SECRET_SCAN_BYTES)
        max = BH_MAX_SECRET_SCAN_BYTES;
    rc = read_upto(fd, b, max + 1);
    if (rc == -2) {
        close(fd);
        return oom(w);
    }
    if (rc < 0)
        goto unreadable;
    if (want) {
        struct bh_imgcapture *cp = BH_PUSH(w->a, w->captures, w->ncaptures, w->capcaptures);
        size_t len = b->len < keep ? b->len : keep;

        if (!cp) {
            close(fd);
            return oom(w);
        }
        cp->path = f->path;
        cp->layer = 0;
        cp->data = bh_arena_strndup(w->a, b->ptr ? b->ptr : "", len);
        cp->len = len;
        cp->truncated = b->len > keep;
        cp->shadowed = false;
        if (!cp->data) {
            close(fd);
            return oom(w);
        }
    }
    if (scan && b->len <= BH_MAX_SECRET_SCAN_BYTES &&
        bh_secretscan_is_text(b->ptr ? b->ptr : "", b->len))
        rc = scan_secrets(w, f->path, b->ptr ? b->ptr : "", b->len);
    close(fd);
    return rc;
unreadable:
    w->unreadable++;
done:
    close(fd);
    return 0;
}

/* A security.capability xattr on the file at w->path (its link is not followed). */
static bool has_fcaps(struct walk *w, size_t len)
{
    char full[2 * BH_MAX_PATH + 2], xa[64];
    size_t dl = strlen(w->dir);

    if (dl + 1 + len >= sizeof(full))
        return false;
    memcpy(full, w->dir, dl);
    full[dl] = '/';
    memcpy(full + dl + 1, w->path, len + 1);
    return lgetxattr(full, "security.capability", xa, sizeof(xa)) > 0;
}

static uint8_t ftype(mode_t m)
{
    if (S_ISREG(m))
        return BH_FT_REG;
    if (S_ISDIR(m))
        return BH_FT_DIR;
    if (S_ISLNK(m))
        return BH_FT_SYMLINK;
    if (S_ISCHR(m))
        return BH_FT_CHAR;
    if (S_ISBLK(m))
        return BH_FT_BLOCK;
    if (S_ISFIFO(m))
        return BH_FT_FIFO;
    return BH_FT_OTHER;
}

static int add_file(struct walk *w, struct bh_imgfile *f)
{
    if (w->nfiles >= BH_MAX_IMAGE_FILES)
        return bh_err_set(w->err, BH_ELIMIT, NULL, 0, 0,
                          "root filesystem has more than BH_MAX_IMAGE_FILES (%u) entries",
                          BH_MAX_IMAGE_FILES);
    bh_buf_append(&w->files, (const char *)f, sizeof(*f));
    if (w->files.failed)
        return oom(w);
    w->nfiles++;
    return 0;
}

/*
 * One directory (dfd, at w->path of length plen): every entry listed, regular files read
 * as needed, subdirectories on the same filesystem entered up to BH_MAX_WALK_DEPTH.
 */
static int walk_dir(struct walk *w, int dfd, size_t plen, unsigned depth, struct bh_buf *content)
{
    DIR *d = fdopendir(dfd);
    struct dirent *de;
    int rc = 0;

    if (!d) {
        close(dfd);
        w->unreadable++;
        return 0;
    }
    for (;;) {
        struct bh_imgfile f;
        struct stat st;
        size_t nlen, len;

        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno != 0)
                w->unreadable++; /* listing broke off: what was listed stays */
            break;
        }
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        nlen = strlen(de->d_name);
        len = plen + (plen ? 1 : 0) + nlen;
        if (len > BH_MAX_PATH) {
            w->unreadable++;
            continue;
        }
        if (plen)
            w->path[plen] = '/';
        memcpy(w->path + plen + (plen ? 1 : 0), de->d_name, nlen + 1);
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            w->unreadable++;
            continue;
        }
        memset(&f, 0, sizeof(f));
        f.path = pool_str(w, w->path, len);
        if (!f.path) {
            rc = oom(w);
            break;
        }
        f.type = ftype(st.st_mode);
        f.mode = (uint32_t)(st.st_mode & 07777);
        f.uid = (uint32_t)st.st_uid;
        f.gid = (uint32_t)st.st_gid;
        f.size = f.type == BH_FT_REG ? (uint64_t)st.st_size : 0;
        if (f.type == BH_FT_SYMLINK) {
            char target[BH_MAX_PATH + 1];
            ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target));

            if (n < 0 || (size_t)n > BH_MAX_PATH) {
                w->unreadable++;
            } else {
                f.link = pool_str(w, target, (size_t)n);
                if (!f.link) {
                    rc = oom(w);
                    break;
                }
            }
        }
        if (f.type == BH_FT_REG && has_fcaps(w, len)) /* IMG-FCAPS reads the flag */
            f.flags |= BH_IMGF_FCAPS;
        rc = add_file(w, &f);
        if (rc < 0)
            break;
        if (f.type == BH_FT_REG) {
            rc = read_file(w, dirfd(d), de->d_name, &f, content);
            if (rc < 0)
                break;
        } else if (f.type == BH_FT_DIR) {
            int sub;

            /* a mount point is listed, not entered: /proc, /sys, other disks */
            if (st.st_dev != w->dev)
                continue;
            if (depth + 1 > BH_MAX_WALK_DEPTH) {
                w->unreadable++;
                continue;
            }
            sub = openat(dirfd(d), de->d_name,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (sub < 0) {
                w->unreadable++;
                continue;
            }
            rc = walk_dir(w, sub, len, depth + 1, content);
            if (rc < 0)
                break;
        }
    }
    closedir(d);
    return rc;
}

int bh_rootfs_load(struct bh_arena *a, const char *dir, const struct bh_rootfs_opts *o,
                   struct bh_image *img, size_t *unreadable, struct bh_err *err)
{
    struct walk w;
    struct bh_imgpart part;
    struct bh_buf content;
    struct stat st;
    int fd, rc = 0;
    size_t max_content = BH_MAX_PKG_CAPTURE_BYTES;

    if (BH_MAX_SECRET_SCAN_BYTES > max_content)
        max_content = BH_MAX_SECRET_SCAN_BYTES;
    if (BH_MAX_CAPTURE_BYTES > max_content)
        max_content = BH_MAX_CAPTURE_BYTES;
    *unreadable = 0;
    memset(img, 0, sizeof(*img));
    img->target = bh_arena_strdup(a, dir);
    img->source = "rootfs";
    img->scan_time = o ? o->now : 0;
    img->build.origin = BH_BS_IMAGE;
    img->build.file = img->target;
    img->build.escape = '\\';
    img->build.final_stage = -1;
    img->layers = bh_arena_calloc(a, 1, sizeof(*img->layers));
    if (!img->target || !img->layers)
        return bh_err_set(err, BH_ENOMEM, dir, 0, 0, "out of memory reading root filesystem");
    img->nlayers = 1;
    img->layers[0].member = img->target;
    img->layers[0].size = -1;
    img->layers[0].comp = "none";

    /* the root itself may be reached through a link ("/tmp/x" on some systems); below, not */
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
        return bh_err_set(err, BH_EIO, dir, 0, 0, "'%s' is not a directory: %s", dir,
                          strerror(errno));
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.o = o;
    w.dir = dir;
    w.err = err;
    bh_buf_init(&w.files, (size_t)BH_MAX_IMAGE_FILES * sizeof(struct bh_imgfile));
    bh_buf_init(&content, max_content + 1);
    if (fd < 0 || fstat(fd, &st) != 0) {
        img->layers[0].error = bh_arena_printf(a, "cannot read '%s': %s", dir, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        w.dev = st.st_dev;
        if (o && o->secrets) {
            rc = bh_secretscan_scratch(o->secrets, &w.scratch, err);
            if (rc < 0) {
                close(fd);
                goto out;
            }
        }
        /* walk_dir owns fd from here */
        rc = walk_dir(&w, fd, 0, 0, &content);
        if (rc < 0)
            goto out;
        img->layers[0].scanned = true;
    }
    memset(&part, 0, sizeof(part));
    if (w.nfiles) {
        part.files = bh_arena_alloc(a, w.nfiles * sizeof(*part.files));
        if (!part.files) {
            rc = oom(&w);
            goto out;
        }
        memcpy(part.files, w.files.ptr, w.nfiles * sizeof(*part.files));
        part.nfiles = w.nfiles;
    }
    part.captures = w.captures;
    part.ncaptures = w.ncaptures;
    part.secrets = w.secrets;
    part.nsecrets = w.nsecrets;
    part.packages = w.packages.v;
    part.npackages = w.packages.n;
    part.errors = w.errors;
    part.nerrors = w.nerrors;
    img->layers[0].entries = w.nfiles;
    rc = bh_image_merge(a, img, &part, 1, err);
    if (rc < 0)
        goto out;
    bh_pkgdb_image_os(a, img);
    *unreadable = w.unreadable;
out:
    if (w.scratch)
        bh_secretscratch_free(w.scratch);
    bh_buf_release(&w.files);
    bh_buf_release(&content);
    return rc;
}
