/*
 * imgsrc.c - bytes out of image sources by name: docker save tars (plain or gzip), OCI layout
 * directories and OCI layout tars. A tar is indexed in one libarchive pass; a member is read
 * again by seeking to its header (plain) or by decoding forward (gzip). A directory is walked
 * one component at a time with O_NOFOLLOW, so no name leaves the root. Nothing is extracted
 * to disk and no JSON is parsed here: manifest.c reads what this module hands out.
 */
#include "input/imgsrc.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (64u * 1024u)
/* Longest piece of an archive-controlled string quoted in an error message. */
#define QUOTE_MAX 160u

enum mtype { M_FILE, M_SYMLINK, M_HARDLINK };

/* One tar entry that can be read (directories, devices and fifos are not kept). */
struct member {
    const char *name;   /* normalized */
    const char *link;   /* symlink target as stored, normalized hardlink target, else NULL */
    uint64_t size;      /* bytes of a file */
    int64_t header_pos; /* offset of the entry's first header in the uncompressed stream */
    int64_t data_pos;   /* offset of a plain tar file's contiguous data, or -1 (see open_member) */
    uint32_t seq;       /* ordinal among all entries, from 0 */
    enum mtype type;
};

struct bh_imgsrc {
    enum bh_imgsrc_kind kind;
    const char *label;
    int fd;                   /* the tar file or the layout directory; -1 for memory */
    const unsigned char *mem; /* tar bytes for bh_imgsrc_open_mem */
    uint64_t size;            /* bytes of the tar (file size when opened) */
    bool compressed;
    struct member *m; /* sorted by name, one per name */
    size_t n;
    /* One decoder at a time. ar_seq is the seq of the entry it last returned, -1 for none. */
    struct archive *ar;
    int64_t ar_seq;
    uint64_t pos;        /* next raw byte the read callback hands libarchive */
    unsigned char *ibuf; /* raw input for the read callback */
    unsigned char *obuf; /* decoded member data */
};

/* A header was read (a warning is about attributes we do not use); RETRY, FAILED and FATAL
 * all stop us, since the entries after a damaged header cannot be counted reliably. */
#define AR_GOOD(r) ((r) == ARCHIVE_OK || (r) == ARCHIVE_WARN)

/* Result of normalizing a name. */
enum { NORM_OK = 0, NORM_ABS, NORM_DOTDOT, NORM_ESCAPE, NORM_LONG, NORM_EMPTY };

/* Image-controlled strings reach messages through bh_str_printable (no raw control bytes). */
static const char *quote(char *buf, size_t cap, const char *s)
{
    return bh_str_printable(buf, cap, s, QUOTE_MAX);
}

#define QBUF (QUOTE_MAX * 4u + 8u)

/*
 * Append the '/'-separated components of p to out (holding *len bytes, capacity
 * BH_MAX_MEMBER_NAME + 1): empty and "." components go, ".." pops one when allow_up (popping
 * past the root is NORM_ESCAPE) and is NORM_DOTDOT otherwise. Lexical: we never follow a
 * directory symlink, so lexical and real resolution agree.
 */
static int norm_append(char *out, size_t *len, const char *p, bool allow_up)
{
    while (*p) {
        const char *c = p;
        size_t cl;

        while (*p && *p != '/')
            p++;
        cl = (size_t)(p - c);
        if (*p == '/')
            p++;
        if (cl == 0 || (cl == 1 && c[0] == '.'))
            continue;
        if (cl == 2 && c[0] == '.' && c[1] == '.') {
            if (!allow_up)
                return NORM_DOTDOT;
            if (*len == 0)
                return NORM_ESCAPE;
            while (*len > 0 && out[*len - 1] != '/')
                (*len)--;
            if (*len > 0)
                (*len)--;
            out[*len] = '\0';
            continue;
        }
        if (*len + (*len > 0) + cl > BH_MAX_MEMBER_NAME)
            return NORM_LONG;
        if (*len > 0)
            out[(*len)++] = '/';
        memcpy(out + *len, c, cl);
        *len += cl;
        out[*len] = '\0';
    }
    return NORM_OK;
}

/* Normalize a name relative to the root into out (BH_MAX_MEMBER_NAME + 1 bytes). */
static int norm_name(char *out, const char *name)
{
    size_t len = 0;
    int r;

    out[0] = '\0';
    if (name[0] == '/')
        return NORM_ABS;
    r = norm_append(out, &len, name, false);
    if (r == NORM_OK && len == 0)
        return NORM_EMPTY;
    return r;
}

/* The error for a name norm_name refused in the tar `label`; what says where the name came
 * from. */
static int label_norm_error(const char *label, int r, const char *what, const char *name,
                            struct bh_err *err)
{
    char q[QBUF];

    quote(q, sizeof(q), name);
    switch (r) {
    case NORM_LONG:
        return bh_err_set(err, BH_ELIMIT, label, 0, 0,
                          "%s '%s' in '%s' is longer than %u bytes (BH_MAX_MEMBER_NAME)", what, q,
                          label, BH_MAX_MEMBER_NAME);
    case NORM_ABS:
        return bh_err_set(err, BH_EPARSE, label, 0, 0, "unsafe %s '%s' in '%s': absolute path",
                          what, q, label);
    case NORM_DOTDOT:
        return bh_err_set(err, BH_EPARSE, label, 0, 0, "unsafe %s '%s' in '%s': '..' component",
                          what, q, label);
    default:
        return bh_err_set(err, BH_EPARSE, label, 0, 0, "empty %s '%s' in '%s'", what, q, label);
    }
}

static int norm_error(const struct bh_imgsrc *s, int r, const char *what, const char *name,
                      struct bh_err *err)
{
    return label_norm_error(s->label, r, what, name, err);
}

/* ---- libarchive plumbing ---------------------------------------------------------------- */

/* Raw bytes for libarchive: pread from the file (so no shared file offset) or the buffer. */
static la_ssize_t src_read(struct archive *ar, void *ctx, const void **out)
{
    struct bh_imgsrc *s = ctx;
    ssize_t n;

    if (s->mem) {
        uint64_t left = s->pos < s->size ? s->size - s->pos : 0;
        if (left > (1u << 30))
            left = 1u << 30;
        *out = s->mem + s->pos;
        s->pos += left;
        return (la_ssize_t)left;
    }
    for (;;) {
        n = pread(s->fd, s->ibuf, CHUNK, (off_t)s->pos);
        if (n >= 0)
            break;
        if (errno != EINTR) {
            archive_set_error(ar, errno, "read error: %s", strerror(errno));
            return -1;
        }
    }
    s->pos += (uint64_t)n;
    *out = s->ibuf;
    return n;
}

/* Skipping never goes past the end, so a truncated tar shows as a short read in libarchive. */
static la_int64_t src_skip(struct archive *ar, void *ctx, la_int64_t req)
{
    struct bh_imgsrc *s = ctx;
    uint64_t left = s->pos < s->size ? s->size - s->pos : 0;

    (void)ar;
    if (req <= 0)
        return 0;
    if ((uint64_t)req > left)
        req = (la_int64_t)left;
    s->pos += (uint64_t)req;
    return req;
}

static void decoder_close(struct bh_imgsrc *s)
{
    if (s->ar)
        archive_read_free(s->ar);
    s->ar = NULL;
    s->ar_seq = -1;
}

/* libarchive's own message for the decoder's last failure, printable. */
static const char *ar_msg(struct bh_imgsrc *s, char *q, size_t cap)
{
    const char *m = s->ar ? archive_error_string(s->ar) : NULL;
    return quote(q, cap, m ? m : "unknown error");
}

/* A new decoder reading raw bytes from start; gzip is tried only when asked. */
static int decoder_open(struct bh_imgsrc *s, uint64_t start, bool gzip, struct bh_err *err)
{
    char q[QBUF];

    decoder_close(s);
    s->ar = archive_read_new();
    if (!s->ar)
        return bh_err_set(err, BH_ENOMEM, s->label, 0, 0, "out of memory opening '%s'", s->label);
    if (archive_read_support_format_tar(s->ar) != ARCHIVE_OK)
        goto fail;
    /* Anything but ARCHIVE_OK means libarchive would run an external gzip program. */
    if (gzip && archive_read_support_filter_gzip(s->ar) != ARCHIVE_OK) {
        decoder_close(s);
        return bh_err_set(err, BH_EUNSUPPORTED, s->label, 0, 0,
                          "cannot read '%s': this libarchive has no built-in gzip", s->label);
    }
    s->pos = start;
    if (archive_read_open2(s->ar, s, NULL, src_read, src_skip, NULL) != ARCHIVE_OK)
        goto fail;
    return 0;
fail:
    ar_msg(s, q, sizeof(q));
    decoder_close(s);
    return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                      "cannot read '%s': not a tar archive (plain or gzip-compressed): %s",
                      s->label, q);
}

static const char *entry_name(struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    return p ? p : archive_entry_pathname_utf8(e);
}

/* ---- the index ---------------------------------------------------------------------------- */

static int member_cmp(const void *pa, const void *pb)
{
    const struct member *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const struct member *lookup(const struct bh_imgsrc *s, const char *name)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, s->m[mid].name);
        if (c == 0)
            return &s->m[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Add the entry the decoder just returned to the index (or skip it). */
static int index_entry(struct bh_imgsrc *s, struct bh_arena *a, struct archive_entry *e,
                       uint32_t seq, struct member **v, size_t *n, size_t *cap, struct bh_err *err)
{
    char norm[BH_MAX_MEMBER_NAME + 1];
    const char *raw = entry_name(e), *hard = archive_entry_hardlink(e);
    unsigned ft = archive_entry_filetype(e);
    struct member *m;
    int r;

    if (!raw)
        return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                          "cannot read '%s': entry %u has no usable name", s->label, seq + 1);
    r = norm_name(norm, raw);
    if (r == NORM_EMPTY && ft == AE_IFDIR && !hard)
        return 0; /* "./", the root itself */
    if (r != NORM_OK)
        return norm_error(s, r, "member name", raw, err);
    if (!hard && ft != AE_IFREG && ft != AE_IFLNK)
        return 0; /* directories, devices, fifos: nothing to read */
    m = BH_PUSH(a, *v, *n, *cap);
    if (!m || !(m->name = bh_arena_strdup(a, norm)))
        goto oom;
    m->seq = seq;
    m->header_pos = archive_read_header_position(s->ar);
    if (hard) {
        char tgt[BH_MAX_MEMBER_NAME + 1];
        r = norm_name(tgt, hard);
        if (r != NORM_OK)
            return norm_error(s, r, "hard link target", hard, err);
        m->type = M_HARDLINK;
        if (!(m->link = bh_arena_strdup(a, tgt)))
            goto oom;
    } else if (ft == AE_IFLNK) {
        const char *t = archive_entry_symlink(e);
        if (!t)
            t = archive_entry_symlink_utf8(e);
        if (!t || !*t)
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                              "cannot read '%s': symlink entry %u has no target", s->label,
                              seq + 1);
        if (strlen(t) > BH_MAX_MEMBER_NAME)
            return norm_error(s, NORM_LONG, "symlink target", t, err);
        m->type = M_SYMLINK;
        if (!(m->link = bh_arena_strdup(a, t)))
            goto oom;
    } else {
        la_int64_t sz = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
        m->type = M_FILE;
        m->size = sz > 0 ? (uint64_t)sz : 0;
        /* In a plain tar the header reader stops where the data starts, so the bytes the format
         * consumed are the data's offset. A sparse file's data is not its content. The range is
         * checked against the file here and against the header again when read. */
        m->data_pos = -1;
        if (!s->compressed && archive_entry_sparse_count(e) == 0) {
            la_int64_t at = archive_filter_bytes(s->ar, 0);
            if (at >= m->header_pos + 512 && (uint64_t)at <= s->size &&
                m->size <= s->size - (uint64_t)at)
                m->data_pos = at;
        }
    }
    return 0;
oom:
    return bh_err_set(err, BH_ENOMEM, s->label, 0, 0, "out of memory indexing '%s'", s->label);
}

/* One pass over the tar: names, types, sizes, header offsets. Then sort, last entry wins. */
static int index_tar(struct bh_imgsrc *s, struct bh_arena *a, struct bh_err *err)
{
    struct member *v = NULL;
    size_t n = 0, cap = 0, i, out;
    uint32_t seq = 0;
    char q[QBUF];
    int rc, r;

    rc = decoder_open(s, 0, true, err);
    if (rc)
        return rc;
    for (;;) {
        struct archive_entry *e;

        r = archive_read_next_header(s->ar, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (!AR_GOOD(r)) {
            ar_msg(s, q, sizeof(q));
            if (seq == 0)
                rc = bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                                "cannot read '%s': not a tar archive (plain or gzip-compressed): "
                                "%s",
                                s->label, q);
            else
                rc = bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                                "cannot read '%s': corrupt or truncated archive after %u entries: "
                                "%s",
                                s->label, seq, q);
            goto out;
        }
        if (seq == 0)
            s->compressed = archive_filter_code(s->ar, 0) != ARCHIVE_FILTER_NONE;
        if (seq >= BH_MAX_ARCHIVE_MEMBERS) {
            rc = bh_err_set(err, BH_ELIMIT, s->label, 0, 0,
                            "cannot read '%s': more than %u entries (BH_MAX_ARCHIVE_MEMBERS)",
                            s->label, BH_MAX_ARCHIVE_MEMBERS);
            goto out;
        }
        rc = index_entry(s, a, e, seq, &v, &n, &cap, err);
        if (rc)
            goto out;
        seq++;
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), member_cmp);
    for (i = 0, out = 0; i < n; i++) {
        if (i + 1 < n && !strcmp(v[i].name, v[i + 1].name))
            continue; /* a later entry of the same name replaces this one */
        v[out++] = v[i];
    }
    s->m = v;
    s->n = out;
out:
    decoder_close(s);
    return rc;
}

/* ---- resolving names ---------------------------------------------------------------------- */

/*
 * The file member a (normalized) name stands for in a tar, following symlinks relative to the
 * link's directory and hard links from the root. *out is NULL when nothing of that name exists.
 */
static int tar_resolve(struct bh_imgsrc *s, const char *name, const struct member **out,
                       struct bh_err *err)
{
    char cur[BH_MAX_MEMBER_NAME + 1], next[BH_MAX_MEMBER_NAME + 1], q1[QBUF], q2[QBUF], q3[QBUF];
    unsigned hops;

    *out = NULL;
    if (strlen(name) > BH_MAX_MEMBER_NAME)
        return norm_error(s, NORM_LONG, "member name", name, err);
    memcpy(cur, name, strlen(name) + 1);
    for (hops = 0;; hops++) {
        const struct member *m = lookup(s, cur);
        size_t len;
        int r;

        if (!m) {
            if (hops == 0)
                return 0;
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                              "cannot read '%s' from '%s': link to missing member '%s'",
                              quote(q1, sizeof(q1), name), s->label, quote(q2, sizeof(q2), cur));
        }
        if (m->type == M_FILE) {
            *out = m;
            return 0;
        }
        if (hops == BH_MAX_ARCHIVE_LINKS)
            return bh_err_set(err, BH_ELIMIT, s->label, 0, 0,
                              "cannot read '%s' from '%s': more than %u links to follow "
                              "(BH_MAX_ARCHIVE_LINKS)",
                              quote(q1, sizeof(q1), name), s->label, BH_MAX_ARCHIVE_LINKS);
        if (m->type == M_HARDLINK) {
            memcpy(cur, m->link, strlen(m->link) + 1);
            continue;
        }
        if (m->link[0] == '/')
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                              "cannot read '%s' from '%s': symlink '%s' -> '%s' is absolute",
                              quote(q1, sizeof(q1), name), s->label, quote(q3, sizeof(q3), m->name),
                              quote(q2, sizeof(q2), m->link));
        /* the link's directory, then its target */
        len = 0;
        if (strrchr(cur, '/'))
            len = (size_t)(strrchr(cur, '/') - cur);
        memcpy(next, cur, len);
        next[len] = '\0';
        r = norm_append(next, &len, m->link, true);
        if (r == NORM_LONG)
            return norm_error(s, r, "symlink target", m->link, err);
        if (r != NORM_OK || len == 0)
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                              "cannot read '%s' from '%s': symlink '%s' -> '%s' points outside "
                              "the archive",
                              quote(q1, sizeof(q1), name), s->label, quote(q3, sizeof(q3), m->name),
                              quote(q2, sizeof(q2), m->link));
        memcpy(cur, next, len + 1);
    }
}

/* Position the decoder at m's header: seek for a plain tar, decode forward (or from the start
 * again) for a compressed one. Checks the entry found there is the one indexed. */
static int goto_member(struct bh_imgsrc *s, const struct member *m, struct bh_err *err)
{
    char norm[BH_MAX_MEMBER_NAME + 1], q[QBUF], qn[QBUF];
    struct archive_entry *e = NULL;
    const char *raw;
    int rc, r = ARCHIVE_OK;

    if (!s->compressed) {
        rc = decoder_open(s, (uint64_t)m->header_pos, false, err);
        if (rc)
            return rc;
        r = archive_read_next_header(s->ar, &e);
        s->ar_seq = m->seq;
    } else {
        if (!s->ar || s->ar_seq >= (int64_t)m->seq) {
            rc = decoder_open(s, 0, true, err);
            if (rc)
                return rc;
        }
        while (s->ar_seq < (int64_t)m->seq) {
            r = archive_read_next_header(s->ar, &e);
            if (!AR_GOOD(r))
                break;
            s->ar_seq++;
        }
    }
    if (!AR_GOOD(r) || !e) {
        ar_msg(s, q, sizeof(q));
        decoder_close(s);
        return bh_err_set(err, BH_EPARSE, s->label, 0, 0, "cannot read '%s' from '%s': %s",
                          quote(qn, sizeof(qn), m->name), s->label,
                          r == ARCHIVE_EOF ? "archive ended early" : q);
    }
    raw = entry_name(e);
    if (!raw || norm_name(norm, raw) != NORM_OK || strcmp(norm, m->name) != 0) {
        decoder_close(s);
        return bh_err_set(err, BH_EIO, s->label, 0, 0,
                          "cannot read '%s' from '%s': the archive changed since it was opened",
                          quote(qn, sizeof(qn), m->name), s->label);
    }
    return 0;
}

/* ---- directories -------------------------------------------------------------------------- */

/*
 * Open a normalized name below the layout directory, refusing symlinks at every step.
 * *fd is -1 and *found false when it does not exist; a non-regular file is an error.
 */
static int dir_open(struct bh_imgsrc *s, const char *name, int *fd, struct stat *st, bool *found,
                    struct bh_err *err)
{
    char comp[BH_MAX_MEMBER_NAME + 1], q[QBUF];
    const char *p = name;
    int dfd = s->fd, owned = -1, rc = 0, e;
    struct stat st2;

    *fd = -1;
    *found = false;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t cl = slash ? (size_t)(slash - p) : strlen(p);

        memcpy(comp, p, cl);
        comp[cl] = '\0';
        if (slash) {
            int nfd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (nfd < 0) {
                e = errno;
                /* Linux says ENOTDIR for a symlink under O_DIRECTORY; tell the two apart */
                if (e == ENOTDIR && fstatat(dfd, comp, st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    S_ISLNK(st->st_mode))
                    e = ELOOP;
                goto fail;
            }
            if (owned >= 0)
                close(owned);
            dfd = owned = nfd;
            p = slash + 1;
            continue;
        }
        /* lstat first so a device or fifo is never opened */
        if (fstatat(dfd, comp, st, AT_SYMLINK_NOFOLLOW) != 0) {
            e = errno;
            goto fail;
        }
        if (S_ISLNK(st->st_mode)) {
            e = ELOOP;
            goto fail;
        }
        if (!S_ISREG(st->st_mode)) {
            rc = bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                            "cannot read '%s' in OCI layout '%s': not a regular file",
                            quote(q, sizeof(q), name), s->label);
            goto out;
        }
        *fd = openat(dfd, comp, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (*fd < 0) {
            e = errno;
            goto fail;
        }
        if (fstat(*fd, &st2) != 0 || st2.st_ino != st->st_ino || st2.st_dev != st->st_dev ||
            !S_ISREG(st2.st_mode)) {
            close(*fd);
            *fd = -1;
            rc = bh_err_set(err, BH_EIO, s->label, 0, 0,
                            "cannot read '%s' in OCI layout '%s': it changed while being opened",
                            quote(q, sizeof(q), name), s->label);
            goto out;
        }
        *found = true;
        goto out;
    }
fail:
    if (e == ENOENT || e == ENOTDIR)
        goto out; /* not found */
    if (e == ELOOP)
        rc = bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                        "cannot read '%s' in OCI layout '%s': '%s' is a symbolic link (links "
                        "inside a layout are not followed)",
                        quote(q, sizeof(q), name), s->label, comp);
    else {
        rc = bh_err_set(err, BH_EIO, s->label, 0, 0, "cannot read '%s' in OCI layout '%s': %s",
                        quote(q, sizeof(q), name), s->label, strerror(e));
        if (err)
            err->sys_errno = e;
    }
out:
    if (owned >= 0)
        close(owned);
    return rc;
}

/* ---- open and close ----------------------------------------------------------------------- */

static struct bh_imgsrc *new_source(struct bh_arena *a, const char *label)
{
    struct bh_imgsrc *s = bh_arena_alloc(a, sizeof(*s));

    if (!s)
        return NULL;
    s->fd = -1;
    s->ar_seq = -1;
    s->label = bh_arena_strdup(a, label);
    s->ibuf = bh_arena_alloc(a, CHUNK);
    s->obuf = bh_arena_alloc(a, CHUNK);
    if (!s->label || !s->ibuf || !s->obuf)
        return NULL;
    return s;
}

/* Is name a file (following links) in the tar? Errors in resolving are errors. */
static int tar_has(struct bh_imgsrc *s, const char *name, bool *has, struct bh_err *err)
{
    const struct member *m;
    int rc = tar_resolve(s, name, &m, err);

    *has = m != NULL;
    return rc;
}

/* Index the tar and decide docker archive vs OCI tar. */
static int open_tar(struct bh_imgsrc *s, struct bh_arena *a, struct bh_err *err)
{
    bool manifest, layout, index;
    int rc = index_tar(s, a, err);

    if (!rc)
        rc = tar_has(s, "manifest.json", &manifest, err);
    if (!rc)
        rc = tar_has(s, "oci-layout", &layout, err);
    if (!rc)
        rc = tar_has(s, "index.json", &index, err);
    if (rc)
        return rc;
    /* Docker 25+ writes both; manifest.json names the tags and the layer files directly and
     * older readers rely on it, so it wins and index.json stays readable by name. */
    if (manifest) {
        s->kind = BH_IMGSRC_DOCKER_ARCHIVE;
        return 0;
    }
    if (layout && index) {
        s->kind = BH_IMGSRC_OCI_TAR;
        return 0;
    }
    if (index)
        return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                          "cannot read '%s': it has index.json but no oci-layout file and no "
                          "manifest.json",
                          s->label);
    if (lookup(s, "repositories"))
        return bh_err_set(err, BH_EUNSUPPORTED, s->label, 0, 0,
                          "cannot read '%s': no manifest.json (a pre-1.10 docker save archive "
                          "with only 'repositories' is not supported)",
                          s->label);
    return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                      "cannot read '%s': not an image archive (no manifest.json, no "
                      "oci-layout/index.json)",
                      s->label);
}

/* A directory must hold regular files oci-layout and index.json. */
static int open_dir(struct bh_imgsrc *s, struct bh_err *err)
{
    static const char *const need[] = {"oci-layout", "index.json"};
    size_t i;

    s->kind = BH_IMGSRC_OCI_DIR;
    for (i = 0; i < 2; i++) {
        struct stat st;
        bool found;
        int fd, rc = dir_open(s, need[i], &fd, &st, &found, err);

        if (rc)
            return rc;
        if (!found)
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                              "cannot read '%s': directory is not an OCI image layout (no '%s')",
                              s->label, need[i]);
        close(fd);
    }
    return 0;
}

int bh_imgsrc_open(struct bh_arena *a, const char *path, struct bh_imgsrc **out, struct bh_err *err)
{
    struct bh_imgsrc *s;
    struct stat st;
    int rc, fd;

    *out = NULL;
    if (!(s = new_source(a, path)))
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory opening '%s'", path);
    /* stat first so a device or fifo given by mistake is never opened */
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        return bh_err_set(err, BH_EUNSUPPORTED, path, 0, 0,
                          "cannot read '%s': not a directory or a regular file (an image "
                          "archive must be seekable)",
                          path);
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        rc = bh_err_set(err, BH_EIO, path, 0, 0, "cannot open '%s': %s", path, strerror(e));
        if (err)
            err->sys_errno = e;
        return rc;
    }
    s->fd = fd;
    if (S_ISDIR(st.st_mode)) {
        rc = open_dir(s, err);
    } else if (S_ISREG(st.st_mode)) {
        s->size = (uint64_t)st.st_size;
        rc = open_tar(s, a, err);
    } else {
        rc = bh_err_set(err, BH_EUNSUPPORTED, path, 0, 0,
                        "cannot read '%s': not a directory or a regular file (an image "
                        "archive must be seekable)",
                        path);
    }
    if (rc) {
        bh_imgsrc_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int bh_imgsrc_open_mem(struct bh_arena *a, const char *label, const void *data, size_t len,
                       struct bh_imgsrc **out, struct bh_err *err)
{
    struct bh_imgsrc *s;
    static const unsigned char empty[1];
    int rc;

    *out = NULL;
    if (!(s = new_source(a, label)))
        return bh_err_set(err, BH_ENOMEM, label, 0, 0, "out of memory opening '%s'", label);
    s->mem = len ? data : empty;
    s->size = len;
    rc = open_tar(s, a, err);
    if (rc) {
        bh_imgsrc_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void bh_imgsrc_close(struct bh_imgsrc *s)
{
    if (!s)
        return;
    decoder_close(s);
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

enum bh_imgsrc_kind bh_imgsrc_kind(const struct bh_imgsrc *s)
{
    return s->kind;
}

const char *bh_imgsrc_kind_name(enum bh_imgsrc_kind k)
{
    switch (k) {
    case BH_IMGSRC_DOCKER_ARCHIVE:
        return "docker-archive";
    case BH_IMGSRC_OCI_DIR:
        return "oci-dir";
    case BH_IMGSRC_OCI_TAR:
        return "oci-tar";
    }
    return "unknown";
}

bool bh_imgsrc_compressed(const struct bh_imgsrc *s)
{
    return s->compressed;
}

size_t bh_imgsrc_count(const struct bh_imgsrc *s)
{
    return s->n;
}

const char *bh_imgsrc_name(const struct bh_imgsrc *s, size_t i, uint64_t *size)
{
    if (i >= s->n)
        return NULL;
    if (size)
        *size = s->m[i].size;
    return s->m[i].name;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* What one name stands for: a tar member (m) or an open file in the directory (fd). */
struct target {
    const struct member *m;
    int fd;
    uint64_t size;
    bool found;
    char name[BH_MAX_MEMBER_NAME + 1]; /* normalized */
};

static int find(struct bh_imgsrc *s, const char *name, struct target *t, struct bh_err *err)
{
    int r;

    t->m = NULL;
    t->fd = -1;
    t->size = 0;
    t->found = false;
    if (strlen(name) > BH_MAX_MEMBER_NAME)
        return norm_error(s, NORM_LONG, "member name", name, err);
    r = norm_name(t->name, name);
    if (r != NORM_OK)
        return norm_error(s, r, "member name", name, err);
    if (s->kind == BH_IMGSRC_OCI_DIR) {
        struct stat st;
        int rc = dir_open(s, t->name, &t->fd, &st, &t->found, err);
        if (!rc && t->found)
            t->size = (uint64_t)st.st_size;
        return rc;
    }
    r = tar_resolve(s, t->name, &t->m, err);
    if (!r && t->m) {
        t->found = true;
        t->size = t->m->size;
    }
    return r;
}

static int not_found(struct bh_imgsrc *s, const struct target *t, struct bh_err *err)
{
    char q[QBUF];

    return bh_err_set(err, BH_EPARSE, s->label, 0, 0, "cannot read '%s' from '%s': no such %s",
                      quote(q, sizeof(q), t->name), s->label,
                      s->kind == BH_IMGSRC_OCI_DIR ? "file" : "member");
}

int bh_imgsrc_stat(struct bh_imgsrc *s, const char *name, bool *found, uint64_t *size,
                   struct bh_err *err)
{
    struct target t;
    int rc = find(s, name, &t, err);

    if (t.fd >= 0)
        close(t.fd);
    *found = !rc && t.found;
    if (size)
        *size = *found ? t.size : 0;
    return rc;
}

/* Feed the target's bytes to fn. Closes t->fd. */
static int pump(struct bh_imgsrc *s, struct target *t, int (*fn)(const void *, size_t, void *),
                void *ctx, uint64_t *total, struct bh_err *err)
{
    char q[QBUF];
    int rc = 0;

    *total = 0;
    if (t->fd >= 0) {
        for (;;) {
            ssize_t n = read(t->fd, s->obuf, CHUNK);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                int e = errno;
                rc = bh_err_set(err, BH_EIO, s->label, 0, 0,
                                "cannot read '%s' in OCI layout '%s': %s",
                                quote(q, sizeof(q), t->name), s->label, strerror(e));
                if (err)
                    err->sys_errno = e;
                break;
            }
            if (n == 0)
                break;
            *total += (uint64_t)n;
            rc = fn(s->obuf, (size_t)n, ctx);
            if (rc)
                break;
        }
        close(t->fd);
        t->fd = -1;
        return rc;
    }
    rc = goto_member(s, t->m, err);
    if (rc)
        return rc;
    for (;;) {
        la_ssize_t n = archive_read_data(s->ar, s->obuf, CHUNK);
        if (n == 0)
            break;
        if (n < 0) {
            char q2[QBUF];
            ar_msg(s, q2, sizeof(q2));
            decoder_close(s);
            return bh_err_set(err, BH_EPARSE, s->label, 0, 0, "cannot read '%s' from '%s': %s",
                              quote(q, sizeof(q), t->m->name), s->label, q2);
        }
        *total += (uint64_t)n;
        rc = fn(s->obuf, (size_t)n, ctx);
        if (rc)
            return rc;
    }
    if (*total != t->m->size) {
        decoder_close(s);
        return bh_err_set(err, BH_EPARSE, s->label, 0, 0,
                          "cannot read '%s' from '%s': %llu bytes where the header says %llu",
                          quote(q, sizeof(q), t->m->name), s->label, (unsigned long long)*total,
                          (unsigned long long)t->m->size);
    }
    /* A plain tar seeks afresh each time; a compressed one keeps decoding forward. */
    if (!s->compressed)
        decoder_close(s);
    return 0;
}

int bh_imgsrc_stream(struct bh_imgsrc *s, const char *name,
                     int (*fn)(const void *p, size_t n, void *ctx), void *ctx, uint64_t *total,
                     struct bh_err *err)
{
    struct target t;
    uint64_t got = 0;
    int rc = find(s, name, &t, err);

    if (total)
        *total = 0;
    if (rc)
        return rc;
    if (!t.found)
        return not_found(s, &t, err);
    rc = pump(s, &t, fn, ctx, &got, err);
    if (total)
        *total = got;
    return rc;
}

/* Sink for bh_imgsrc_read: copies into a buffer of the size found when opening. */
struct fill {
    char *p;
    size_t len, cap;
};

#define FILL_OVER 1

static int fill_sink(const void *p, size_t n, void *ctx)
{
    struct fill *f = ctx;

    if (n > f->cap - f->len)
        return FILL_OVER;
    memcpy(f->p + f->len, p, n);
    f->len += n;
    return 0;
}

int bh_imgsrc_read(struct bh_imgsrc *s, struct bh_arena *a, const char *name, size_t max,
                   char **data, size_t *len, struct bh_err *err)
{
    struct target t;
    struct fill f = {NULL, 0, 0};
    uint64_t got = 0;
    char q[QBUF];
    int rc;

    *data = NULL;
    *len = 0;
    rc = find(s, name, &t, err);
    if (rc)
        return rc;
    if (!t.found)
        return not_found(s, &t, err);
    if (t.size > max || t.size >= SIZE_MAX) {
        rc = bh_err_set(err, BH_ELIMIT, s->label, 0, 0,
                        "cannot read '%s' from '%s': %llu bytes is more than %zu",
                        quote(q, sizeof(q), t.name), s->label, (unsigned long long)t.size, max);
        goto out;
    }
    f.cap = (size_t)t.size;
    if (!(f.p = bh_arena_alloc(a, f.cap + 1))) {
        rc = bh_err_set(err, BH_ENOMEM, s->label, 0, 0, "out of memory reading '%s' from '%s'",
                        quote(q, sizeof(q), t.name), s->label);
        goto out;
    }
    rc = pump(s, &t, fill_sink, &f, &got, err);
    if (rc == FILL_OVER || (!rc && f.len != f.cap)) {
        decoder_close(s);
        rc = bh_err_set(err, BH_EIO, s->label, 0, 0,
                        "cannot read '%s' from '%s': its size changed while being read",
                        quote(q, sizeof(q), t.name), s->label);
    }
    if (rc)
        goto out;
    f.p[f.len] = '\0';
    *data = f.p;
    *len = f.len;
out:
    if (t.fd >= 0)
        close(t.fd);
    return rc;
}

/* ---- independent member streams ---------------------------------------------------------- */

enum mr_how {
    MR_FD,     /* a file of a directory layout, through its own descriptor */
    MR_RANGE,  /* a plain tar member stored contiguously: pread of its byte range */
    MR_DECODE, /* anything else: a private decoder positioned at the member's header */
};

/* One member stream. src is a private copy of the source (its own decoder, buffers and
 * descriptor) sharing the index, which nothing changes after bh_imgsrc_open. */
struct mreader {
    struct bh_imgsrc src;
    const struct member *m;
    enum mr_how how;
    int fd;
    uint64_t off, left, done;
    bool started, failed;
    const char *name;
};

static int mr_fail(struct mreader *r, int code, const char *why, struct bh_err *err)
{
    char q[QBUF];

    r->failed = true;
    return bh_err_set(err, code, r->src.label, 0, 0, "cannot read '%s' from '%s': %s",
                      quote(q, sizeof(q), r->name), r->src.label, why);
}

static int mr_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct mreader *r = ctx;
    char q[QBUF];
    ssize_t n;

    *got = 0;
    if (r->failed)
        return mr_fail(r, BH_EIO, "read again after a failure", err);
    if (cap > (1u << 30))
        cap = 1u << 30;
    switch (r->how) {
    case MR_FD:
        do
            n = read(r->fd, buf, cap);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            int e = errno;
            int rc = mr_fail(r, BH_EIO, strerror(e), err);
            if (err)
                err->sys_errno = e;
            return rc;
        }
        *got = (size_t)n;
        return 0;
    case MR_RANGE:
        if (r->left == 0)
            return 0;
        if (cap > r->left)
            cap = (size_t)r->left;
        if (r->src.mem) {
            memcpy(buf, r->src.mem + r->off, cap);
            n = (ssize_t)cap;
        } else {
            do
                n = pread(r->fd, buf, cap, (off_t)r->off);
            while (n < 0 && errno == EINTR);
            if (n < 0) {
                int e = errno;
                int rc = mr_fail(r, BH_EIO, strerror(e), err);
                if (err)
                    err->sys_errno = e;
                return rc;
            }
            if (n == 0)
                return mr_fail(r, BH_EPARSE, "the archive ends inside the member", err);
        }
        r->off += (uint64_t)n;
        r->left -= (uint64_t)n;
        *got = (size_t)n;
        return 0;
    case MR_DECODE:
        break;
    }
    if (!r->started) {
        int rc = goto_member(&r->src, r->m, err);
        if (rc) {
            r->failed = true;
            return rc;
        }
        r->started = true;
    }
    n = archive_read_data(r->src.ar, buf, cap);
    if (n < 0)
        return mr_fail(r, BH_EPARSE, ar_msg(&r->src, q, sizeof(q)), err);
    if (n == 0 && r->done != r->m->size)
        return mr_fail(r, BH_EPARSE, "the member is shorter than its header says", err);
    r->done += (uint64_t)n;
    *got = (size_t)n;
    return 0;
}

static void mr_close(void *ctx)
{
    struct mreader *r = ctx;

    decoder_close(&r->src);
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

int bh_imgsrc_open_member(struct bh_imgsrc *s, struct bh_arena *a, const char *name,
                          struct bh_reader *out, uint64_t *size, struct bh_err *err)
{
    struct mreader *r;
    struct target t;
    char q[QBUF];
    int rc;

    memset(out, 0, sizeof(*out));
    if (size)
        *size = 0;
    rc = find(s, name, &t, err);
    if (rc)
        return rc;
    if (!t.found)
        return not_found(s, &t, err);
    r = bh_arena_alloc(a, sizeof(*r));
    if (r)
        r->name = bh_arena_strdup(a, t.name);
    if (!r || !r->name)
        goto oom;
    r->fd = -1;
    r->src = *s;
    r->src.ar = NULL;
    r->src.ar_seq = -1;
    r->m = t.m;
    if (t.fd >= 0) {
        r->how = MR_FD;
        r->fd = t.fd;
        t.fd = -1;
    } else {
        if (!s->mem) {
            /* its own descriptor: the stream stays valid whatever happens to s->fd */
            r->fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
            if (r->fd < 0) {
                int e = errno;
                rc = bh_err_set(err, BH_EIO, s->label, 0, 0, "cannot open '%s': %s", s->label,
                                strerror(e));
                if (err)
                    err->sys_errno = e;
                return rc;
            }
        }
        r->src.fd = r->fd;
        if (t.m->data_pos >= 0 && !s->compressed) {
            r->how = MR_RANGE;
            r->off = (uint64_t)t.m->data_pos;
            r->left = t.m->size;
        } else {
            r->how = MR_DECODE;
            r->src.ibuf = bh_arena_alloc(a, CHUNK);
            r->src.obuf = NULL;
            if (!r->src.ibuf) {
                close(r->fd);
                goto oom;
            }
        }
    }
    out->read = mr_read;
    out->close = mr_close;
    out->ctx = r;
    out->label = bh_arena_printf(a, "%s:%s", s->label, quote(q, sizeof(q), r->name));
    if (!out->label) {
        mr_close(r);
        memset(out, 0, sizeof(*out));
        goto oom;
    }
    if (size)
        *size = t.size;
    return 0;
oom:
    if (t.fd >= 0)
        close(t.fd);
    return bh_err_set(err, BH_ENOMEM, s->label, 0, 0, "out of memory opening '%s' in '%s'", name,
                      s->label);
}

/* ---- one pass over a stream --------------------------------------------------------------- */

struct walk {
    struct bh_reader *in;
    const char *label;
    struct archive *ar;
    unsigned char *buf;
    int rc; /* a failure of the reader, described in rerr */
    struct bh_err rerr;
    const char *name; /* the member being handed out */
    uint64_t size, done;
    char rlabel[2 * BH_MAX_MEMBER_NAME + 64];
};

static la_ssize_t walk_read(struct archive *ar, void *ctx, const void **out)
{
    struct walk *w = ctx;
    size_t got = 0;
    int rc;

    *out = w->buf;
    if (w->rc)
        return -1;
    rc = w->in->read(w->in->ctx, w->buf, CHUNK, &got, &w->rerr);
    if (rc || got > CHUNK) {
        w->rc = rc < 0 ? rc : BH_EIO;
        archive_set_error(ar, EIO, "read error");
        return -1;
    }
    return (la_ssize_t)got;
}

/* The error for a failed libarchive call: the reader's own, or a parse error. */
static int walk_error(struct walk *w, const char *what, struct bh_err *err)
{
    char q[QBUF], qn[QBUF];
    const char *m;

    if (w->rc) {
        if (err)
            *err = w->rerr;
        return w->rc;
    }
    m = archive_error_string(w->ar);
    quote(q, sizeof(q), m ? m : "unknown error");
    if (w->name)
        return bh_err_set(err, BH_EPARSE, w->label, 0, 0, "cannot read '%s' from '%s': %s",
                          quote(qn, sizeof(qn), w->name), w->label, q);
    return bh_err_set(err, BH_EPARSE, w->label, 0, 0, "cannot read '%s': %s: %s", w->label, what,
                      q);
}

static int walk_content(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct walk *w = ctx;
    la_ssize_t n;

    *got = 0;
    if (cap > (1u << 30))
        cap = 1u << 30;
    n = archive_read_data(w->ar, buf, cap);
    if (n < 0)
        return walk_error(w, "", err);
    if (n == 0 && w->done != w->size) {
        char q[QBUF];
        return bh_err_set(err, BH_EPARSE, w->label, 0, 0,
                          "cannot read '%s' from '%s': shorter than its header says",
                          quote(q, sizeof(q), w->name), w->label);
    }
    w->done += (uint64_t)n;
    *got = (size_t)n;
    return 0;
}

/*
 * A symlink's target relative to the archive root (as bh_imgsrc_stat would follow it), into
 * out; false when it is absolute or climbs out, and then the caller hands the target on as
 * written, which names no member.
 */
static bool walk_symlink(char *out, const char *name, const char *target)
{
    const char *slash = strrchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : 0;

    if (target[0] == '/')
        return false;
    memcpy(out, name, len);
    out[len] = '\0';
    return norm_append(out, &len, target, true) == NORM_OK && len > 0;
}

static int walk_entries(struct walk *w,
                        int (*fn)(void *ctx, const char *name, uint64_t size, const char *link,
                                  struct bh_reader *content, struct bh_err *err),
                        void *ctx, struct bh_err *err)
{
    char norm[BH_MAX_MEMBER_NAME + 1], tgt[BH_MAX_MEMBER_NAME + 1];
    uint32_t seq;
    int rc;

    for (seq = 0;; seq++) {
        struct archive_entry *e;
        struct bh_reader content;
        const char *raw, *hard, *link = NULL;
        unsigned ft;
        int r = archive_read_next_header(w->ar, &e);

        w->name = NULL;
        if (r == ARCHIVE_EOF)
            return 0;
        if (!AR_GOOD(r))
            return walk_error(w,
                              seq == 0 ? "not a tar archive (plain or gzip-compressed)"
                                       : "corrupt or truncated archive",
                              err);
        if (seq >= BH_MAX_ARCHIVE_MEMBERS)
            return bh_err_set(err, BH_ELIMIT, w->label, 0, 0,
                              "cannot read '%s': more than %u entries (BH_MAX_ARCHIVE_MEMBERS)",
                              w->label, BH_MAX_ARCHIVE_MEMBERS);
        raw = entry_name(e);
        hard = archive_entry_hardlink(e);
        ft = archive_entry_filetype(e);
        if (!raw)
            return bh_err_set(err, BH_EPARSE, w->label, 0, 0,
                              "cannot read '%s': entry %u has no usable name", w->label, seq + 1);
        if (strlen(raw) > BH_MAX_MEMBER_NAME)
            return label_norm_error(w->label, NORM_LONG, "member name", raw, err);
        r = norm_name(norm, raw);
        if (r == NORM_EMPTY && ft == AE_IFDIR && !hard)
            continue;
        if (r != NORM_OK)
            return label_norm_error(w->label, r, "member name", raw, err);
        if (ft == AE_IFDIR && !hard)
            continue;
        w->name = norm;
        w->size = 0;
        w->done = 0;
        if (hard) {
            if (strlen(hard) > BH_MAX_MEMBER_NAME)
                return label_norm_error(w->label, NORM_LONG, "hard link target", hard, err);
            r = norm_name(tgt, hard);
            if (r != NORM_OK)
                return label_norm_error(w->label, r, "hard link target", hard, err);
            link = tgt;
        } else if (ft == AE_IFLNK) {
            const char *t = archive_entry_symlink(e);
            if (!t)
                t = archive_entry_symlink_utf8(e);
            if (!t || !*t)
                return bh_err_set(err, BH_EPARSE, w->label, 0, 0,
                                  "cannot read '%s': symlink entry %u has no target", w->label,
                                  seq + 1);
            if (strlen(t) > BH_MAX_MEMBER_NAME)
                return label_norm_error(w->label, NORM_LONG, "symlink target", t, err);
            link = walk_symlink(tgt, norm, t) ? tgt : t;
        } else if (ft == AE_IFREG) {
            la_int64_t sz = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
            w->size = sz > 0 ? (uint64_t)sz : 0;
        }
        if (!hard && ft == AE_IFREG) {
            char q[QBUF];
            snprintf(w->rlabel, sizeof(w->rlabel), "%s:%s", w->label, quote(q, sizeof(q), norm));
            content.read = walk_content;
            content.close = NULL;
            content.ctx = w;
            content.label = w->rlabel;
        }
        rc = fn(ctx, norm, w->size, link, !hard && ft == AE_IFREG ? &content : NULL, err);
        if (rc)
            return rc;
        /* what fn did not read is skipped by the next header; a reader failure shows there */
    }
}

int bh_imgsrc_walk(struct bh_reader *in, const char *label,
                   int (*fn)(void *ctx, const char *name, uint64_t size, const char *link,
                             struct bh_reader *content, struct bh_err *err),
                   void *ctx, struct bh_err *err)
{
    struct walk *w = calloc(1, sizeof(*w));
    int rc = 0;

    if (!label)
        label = in->label ? in->label : "stream";
    if (!w || !(w->buf = malloc(CHUNK))) {
        free(w);
        return bh_err_set(err, BH_ENOMEM, label, 0, 0, "out of memory reading '%s'", label);
    }
    w->in = in;
    w->label = label;
    w->ar = archive_read_new();
    if (!w->ar) {
        rc = bh_err_set(err, BH_ENOMEM, label, 0, 0, "out of memory reading '%s'", label);
        goto out;
    }
    if (archive_read_support_format_tar(w->ar) != ARCHIVE_OK) {
        rc = bh_err_set(err, BH_EINTERNAL, label, 0, 0, "cannot read '%s': no tar reader", label);
        goto out;
    }
    /* Anything but ARCHIVE_OK means libarchive would run an external gzip program. */
    if (archive_read_support_filter_gzip(w->ar) != ARCHIVE_OK) {
        rc = bh_err_set(err, BH_EUNSUPPORTED, label, 0, 0,
                        "cannot read '%s': this libarchive has no built-in gzip", label);
        goto out;
    }
    if (archive_read_open(w->ar, w, NULL, walk_read, NULL) != ARCHIVE_OK) {
        rc = walk_error(w, "not a tar archive (plain or gzip-compressed)", err);
        goto out;
    }
    rc = walk_entries(w, fn, ctx, err);
out:
    if (w->ar)
        archive_read_free(w->ar);
    free(w->buf);
    free(w);
    return rc;
}
