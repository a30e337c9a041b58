/*
 * layer.c - one streaming pass over an image layer: pull bytes from a bh_reader, hash them,
 * inflate them (ISA-L for gzip, libzstd for zstd, or pass them through), hash the result and
 * feed it to libarchive's tar reader through a read callback; every tar header goes to the
 * sink, which may pull the entry's content. Nothing touches the disk and nothing is held
 * whole. It does not interpret entries (whiteouts, layering): model/image.c does.
 */
#include "input/layer.h"

#include "core/limits.h"
#include "core/str.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <isa-l.h>
#include <openssl/evp.h>
#include <zstd.h>

/* Compressed input and decompressed output buffers, one of each per pass. */
#define BUF_SIZE (256u * 1024u)
/* Decompressed bytes let through before BH_MAX_LAYER_RATIO applies (layer.h). */
#define RATIO_GRACE (1024u * 1024u)
/* Longest piece of an image-controlled string quoted in a message. */
#define QUOTE_MAX 160u
#define QBUF (QUOTE_MAX * 4u + 8u)

struct scan;

struct bh_layer_content {
    struct scan *s;
};

struct scan {
    struct bh_reader *in;
    const char *label;
    const struct bh_layer_sink *sink;
    struct bh_layer_stats *st;
    struct bh_err *err;
    /* The first failure below libarchive (reader, decoder, limit), with err filled; libarchive
     * only sees "-1" from the callback, so this is what the pass reports. */
    int rc;
    enum bh_layer_comp comp;

    unsigned char *ibuf; /* compressed bytes [ipos, ilen) not yet decoded */
    size_t ilen, ipos;
    bool in_eof;
    unsigned char *obuf; /* decoded bytes handed to libarchive */

    EVP_MD_CTX *hin, *hout; /* hout is NULL for an uncompressed layer: both digests agree */

    struct inflate_state *inf;
    unsigned gz_members; /* complete gzip members so far */
    bool gz_done;        /* the current member ended; the next one (if any) needs a reset */
    uint64_t gz_member_out;

    ZSTD_DStream *zd;
    unsigned zs_frames;
    bool zs_mid; /* inside a frame, or output of one still buffered */

    bool trailing; /* the compressed stream ended; what remains is hashed, not decoded */
    bool out_eof;

    struct archive *ar;
    uint64_t index; /* of the entry being read */
    struct bh_layer_content content;
    bool named;       /* qname holds the current entry's name (quoted), for messages */
    char qname[QBUF]; /* a copy: libarchive's strings go when it reads the next header */
    char path[BH_MAX_LAYER_PATH + 1];
    char link[BH_MAX_LAYER_PATH + 1];
};

const char *bh_layer_comp_name(enum bh_layer_comp c)
{
    switch (c) {
    case BH_LAYER_COMP_NONE:
        return "none";
    case BH_LAYER_COMP_GZIP:
        return "gzip";
    case BH_LAYER_COMP_ZSTD:
        return "zstd";
    case BH_LAYER_COMP_UNKNOWN:
        break;
    }
    return "unknown";
}

static void hex_digest(const unsigned char *md, unsigned n, char out[80])
{
    static const char hex[] = "0123456789abcdef";
    unsigned i;

    memcpy(out, "sha256:", 7);
    for (i = 0; i < n && i < 32; i++) {
        out[7 + 2 * i] = hex[md[i] >> 4];
        out[8 + 2 * i] = hex[md[i] & 15];
    }
    out[7 + 2 * i] = '\0';
}

void bh_layer_sha256(const void *data, size_t len, char out[80])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) {
        out[0] = '\0';
        return;
    }
    hex_digest(md, n, out);
}

/* struct bh_sha256 is an EVP context under another name, so OpenSSL stays in this file. */
struct bh_sha256 *bh_sha256_begin(void)
{
    EVP_MD_CTX *h = EVP_MD_CTX_new();

    if (h && !EVP_DigestInit_ex(h, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(h);
        h = NULL;
    }
    return (struct bh_sha256 *)h;
}

void bh_sha256_update(struct bh_sha256 *h, const void *data, size_t len)
{
    if (h && len)
        EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void bh_sha256_end(struct bh_sha256 *h, char out[80])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    out[0] = '\0';
    if (h && EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &n) && n == 32)
        hex_digest(md, n, out);
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

/* Image-controlled strings reach messages through bh_str_printable (no raw control bytes). */
static const char *quote(char *buf, size_t cap, const char *s)
{
    return bh_str_printable(buf, cap, s, QUOTE_MAX);
}

/* Record a failure found below libarchive; the first one wins. */
static int fail(struct scan *s, int code, const char *what, const char *detail)
{
    if (s->rc)
        return s->rc;
    s->rc = bh_err_set(s->err, code, s->label, 0, 0,
                       "cannot read layer '%s': %s%s%s, at entry %llu%s%s%s", s->label, what,
                       detail ? ": " : "", detail ? detail : "", (unsigned long long)s->index,
                       s->named ? " ('" : "", s->named ? s->qname : "", s->named ? "')" : "");
    return s->rc;
}

/* ---- compressed input ------------------------------------------------------------------- */

/* Append what the reader gives to ibuf (which must have room); hash and count it. */
static int fill_append(struct scan *s)
{
    size_t got = 0, room = BUF_SIZE - s->ilen;
    int rc;

    if (s->in_eof || s->rc)
        return s->rc;
    rc = s->in->read(s->in->ctx, s->ibuf + s->ilen, room, &got, s->err);
    if (rc) {
        /* the reader filled err, naming its stream */
        s->rc = rc < 0 ? rc : BH_EIO;
        return s->rc;
    }
    if (got > room)
        return fail(s, BH_EINTERNAL, "the reader returned more bytes than asked for", NULL);
    if (got == 0) {
        s->in_eof = true;
        return 0;
    }
    if (!EVP_DigestUpdate(s->hin, s->ibuf + s->ilen, got))
        return fail(s, BH_EINTERNAL, "sha-256 failed", NULL);
    s->ilen += got;
    s->st->bytes_in += got;
    if (s->sink->progress)
        s->sink->progress(s->sink->ctx, got);
    return 0;
}

/*
 * Read until ibuf is full or the input ends. The decoders then always see the same pieces of
 * the stream, however the reader cuts it, so a network stream and a file of the same bytes
 * give the same result (libzstd, for one, tells some corrupt frames apart only when it sees
 * the whole frame at once).
 */
static int fill_full(struct scan *s)
{
    while (s->ilen < BUF_SIZE && !s->in_eof)
        if (fill_append(s))
            return s->rc;
    return 0;
}

/* Refill ibuf once everything in it was decoded. */
static int fill(struct scan *s)
{
    s->ilen = s->ipos = 0;
    return fill_full(s);
}

/* Make at least n undecoded bytes available (fewer only at the end of the input). */
static int want_bytes(struct scan *s, size_t n)
{
    if (s->ilen - s->ipos >= n || s->in_eof)
        return 0;
    memmove(s->ibuf, s->ibuf + s->ipos, s->ilen - s->ipos);
    s->ilen -= s->ipos;
    s->ipos = 0;
    return fill_full(s);
}

/* A zstd frame or a skippable frame starts here. */
static bool zstd_magic(const unsigned char *p, size_t n)
{
    if (n < 4)
        return false;
    if (p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return true;
    return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

/* ---- decoders: each gives the next decoded bytes, or *n = 0 at the end --------------------- */

static int gzip_next(struct scan *s, const void **out, size_t *n)
{
    char d[64];

    for (;;) {
        size_t before, produced;
        int r;

        if (s->gz_done) {
            if (s->ipos == s->ilen) {
                if (s->in_eof)
                    return 0;
                if (fill(s))
                    return s->rc;
                continue;
            }
            /* another member follows (concatenated gzip, as pigz and `cat a.gz b.gz` make) */
            isal_inflate_reset(s->inf);
            s->inf->crc_flag = ISAL_GZIP;
            s->gz_done = false;
            s->gz_member_out = 0;
        }
        if (s->ipos == s->ilen && !s->in_eof && fill(s))
            return s->rc;
        before = s->ipos;
        s->inf->next_in = s->ibuf + s->ipos;
        s->inf->avail_in = (uint32_t)(s->ilen - s->ipos);
        s->inf->next_out = s->obuf;
        s->inf->avail_out = BUF_SIZE;
        r = isal_inflate(s->inf);
        s->ipos = (size_t)(s->inf->next_in - s->ibuf);
        produced = BUF_SIZE - s->inf->avail_out;
        if (r < 0) {
            /* bytes after a complete member that are not a gzip header: trailing data, hashed
             * into the digest but not decoded (gzip -d ignores them too) */
            if (r == ISAL_INVALID_WRAPPER && s->gz_members > 0 && s->gz_member_out == 0 &&
                produced == 0) {
                s->trailing = true;
                return 0;
            }
            snprintf(d, sizeof(d), "isa-l error %d", r);
            return fail(s, BH_EPARSE, "corrupt gzip stream", d);
        }
        s->gz_member_out += produced;
        if (s->inf->block_state == ISAL_BLOCK_FINISH) {
            s->gz_done = true;
            s->gz_members++;
        }
        if (produced) {
            *out = s->obuf;
            *n = produced;
            return 0;
        }
        if (s->gz_done)
            continue;
        if (s->ipos == s->ilen && s->in_eof)
            return fail(s, BH_EPARSE, "gzip stream ends early (truncated)", NULL);
        if (s->ipos == before && s->ipos < s->ilen)
            return fail(s, BH_EPARSE, "corrupt gzip stream", "the decoder made no progress");
    }
}

static int zstd_next(struct scan *s, const void **out, size_t *n)
{
    char d[96];

    for (;;) {
        ZSTD_inBuffer zi;
        ZSTD_outBuffer zo = {s->obuf, BUF_SIZE, 0};
        size_t r, before;

        if (s->ipos == s->ilen && !s->in_eof && fill(s))
            return s->rc;
        if (s->ipos == s->ilen && s->in_eof && !s->zs_mid)
            return 0;
        /* Between frames, decide from the magic whether another frame follows, so the answer
         * does not depend on how the reader cuts the bytes: anything else is trailing data,
         * hashed into the digest but not decoded. */
        if (!s->zs_mid && s->zs_frames > 0) {
            if (want_bytes(s, 4))
                return s->rc;
            if (!zstd_magic(s->ibuf + s->ipos, s->ilen - s->ipos)) {
                s->trailing = true;
                return 0;
            }
        }
        before = s->ipos;
        zi.src = s->ibuf;
        zi.size = s->ilen;
        zi.pos = s->ipos;
        r = ZSTD_decompressStream(s->zd, &zo, &zi);
        s->ipos = zi.pos;
        if (ZSTD_isError(r)) {
            snprintf(d, sizeof(d), "%s", ZSTD_getErrorName(r));
            return fail(s, BH_EPARSE, "corrupt zstd stream", d);
        }
        s->zs_mid = r != 0;
        if (r == 0)
            s->zs_frames++;
        if (zo.pos) {
            *out = s->obuf;
            *n = zo.pos;
            return 0;
        }
        if (s->ipos == s->ilen && s->in_eof) {
            if (s->zs_mid)
                return fail(s, BH_EPARSE, "zstd stream ends early (truncated)", NULL);
            return 0;
        }
        if (s->ipos == before && s->ipos < s->ilen && s->zs_mid)
            return fail(s, BH_EPARSE, "corrupt zstd stream", "the decoder made no progress");
    }
}

static int none_next(struct scan *s, const void **out, size_t *n)
{
    if (s->ipos == s->ilen) {
        if (fill(s))
            return s->rc;
        if (s->ilen == 0)
            return 0;
    }
    *out = s->ibuf + s->ipos;
    *n = s->ilen - s->ipos;
    s->ipos = s->ilen;
    return 0;
}

/* The next decoded bytes (hashed, counted and checked against the limits), *n = 0 at the end. */
static int next_out(struct scan *s, const void **out, size_t *n)
{
    uint64_t consumed;
    int rc;

    *n = 0;
    if (s->rc)
        return s->rc;
    if (s->out_eof || s->trailing)
        return 0;
    switch (s->comp) {
    case BH_LAYER_COMP_GZIP:
        rc = gzip_next(s, out, n);
        break;
    case BH_LAYER_COMP_ZSTD:
        rc = zstd_next(s, out, n);
        break;
    default:
        rc = none_next(s, out, n);
        break;
    }
    if (rc)
        return rc;
    if (*n == 0) {
        s->out_eof = true;
        return 0;
    }
    s->st->bytes_out += *n;
    if (s->hout && !EVP_DigestUpdate(s->hout, *out, *n))
        return fail(s, BH_EINTERNAL, "sha-256 failed", NULL);
    if (s->st->bytes_out > BH_MAX_LAYER_BYTES) {
        char d[96];
        snprintf(d, sizeof(d), "more than %llu bytes (BH_MAX_LAYER_BYTES)",
                 (unsigned long long)BH_MAX_LAYER_BYTES);
        return fail(s, BH_ELIMIT, "decompressed layer too large", d);
    }
    /* The ratio counts the compressed bytes decoded so far, not those read ahead. */
    consumed = s->st->bytes_in - (s->ilen - s->ipos);
    if (s->comp != BH_LAYER_COMP_NONE && s->st->bytes_out > RATIO_GRACE &&
        s->st->bytes_out / BH_MAX_LAYER_RATIO > consumed) {
        char d[160];
        snprintf(d, sizeof(d),
                 "%llu bytes out of %llu compressed is more than %u to 1 (BH_MAX_LAYER_RATIO)",
                 (unsigned long long)s->st->bytes_out, (unsigned long long)consumed,
                 BH_MAX_LAYER_RATIO);
        return fail(s, BH_ELIMIT, "decompression ratio too high", d);
    }
    return 0;
}

static la_ssize_t ar_read(struct archive *ar, void *ctx, const void **buf)
{
    struct scan *s = ctx;
    size_t n = 0;

    *buf = NULL;
    if (next_out(s, buf, &n)) {
        archive_set_error(ar, EIO, "layer stream failed");
        return -1;
    }
    return (la_ssize_t)n;
}

/* ---- entries ------------------------------------------------------------------------------ */

/*
 * Normalise a name (at most BH_MAX_LAYER_PATH bytes) relative to the image root into out:
 * a leading "/", "." and empty components go, ".." pops one. False when it climbs above the
 * root. The result is never longer than the name, so out needs no further bound.
 */
static bool norm_path(char *out, const char *name)
{
    const char *p = name;
    size_t len = 0;

    out[0] = '\0';
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
            if (len == 0)
                return false;
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            out[len] = '\0';
            continue;
        }
        if (len > 0)
            out[len++] = '/';
        memcpy(out + len, c, cl);
        len += cl;
        out[len] = '\0';
    }
    return true;
}

static uint32_t clamp_id(la_int64_t v)
{
    /* a negative or oversized id must not wrap to 0 (root) */
    if (v < 0 || v > (la_int64_t)UINT32_MAX)
        return UINT32_MAX;
    return (uint32_t)v;
}

static bool has_fcaps(struct archive_entry *ae)
{
    const char *name;
    const void *val;
    size_t size;
    bool found = false;

    if (archive_entry_xattr_reset(ae) <= 0)
        return false;
    while (archive_entry_xattr_next(ae, &name, &val, &size) == ARCHIVE_OK)
        if (name && !strcmp(name, "security.capability"))
            found = true;
    return found;
}

/* Fill e from libarchive's entry; limits on the name and link are checked here. */
static int make_entry(struct scan *s, struct archive_entry *ae, struct bh_layer_entry *e)
{
    const char *raw = archive_entry_pathname(ae), *hard = archive_entry_hardlink(ae);
    const char *sym = NULL;
    char d[64];
    la_int64_t size;

    if (!raw)
        raw = archive_entry_pathname_utf8(ae);
    memset(e, 0, sizeof(*e));
    s->named = false;
    if (!raw)
        return fail(s, BH_EPARSE, "tar entry has no usable name", NULL);
    if (strlen(raw) > BH_MAX_LAYER_PATH) {
        snprintf(d, sizeof(d), "longer than %u bytes (BH_MAX_LAYER_PATH)", BH_MAX_LAYER_PATH);
        return fail(s, BH_ELIMIT, "entry name too long", d);
    }
    quote(s->qname, sizeof(s->qname), raw);
    s->named = true;
    e->index = s->index;
    if (norm_path(s->path, raw)) {
        e->path = s->path;
    } else {
        e->path = raw;
        e->escaped = true;
    }
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
        e->type = BH_LT_REG;
        break;
    case AE_IFDIR:
        e->type = BH_LT_DIR;
        break;
    case AE_IFLNK:
        e->type = BH_LT_SYMLINK;
        break;
    case AE_IFCHR:
        e->type = BH_LT_CHAR;
        break;
    case AE_IFBLK:
        e->type = BH_LT_BLOCK;
        break;
    case AE_IFIFO:
        e->type = BH_LT_FIFO;
        break;
    default:
        e->type = BH_LT_OTHER;
        break;
    }
    if (hard) {
        e->type = BH_LT_HARDLINK;
        if (strlen(hard) > BH_MAX_LAYER_PATH) {
            snprintf(d, sizeof(d), "longer than %u bytes (BH_MAX_LAYER_PATH)", BH_MAX_LAYER_PATH);
            return fail(s, BH_ELIMIT, "hard link target too long", d);
        }
        if (norm_path(s->link, hard)) {
            e->link = s->link;
        } else {
            /* a hard link to above the root is as hostile as a name there */
            e->link = hard;
            e->escaped = true;
        }
    } else if (e->type == BH_LT_SYMLINK) {
        sym = archive_entry_symlink(ae);
        if (!sym)
            sym = archive_entry_symlink_utf8(ae);
        if (!sym)
            sym = "";
        if (strlen(sym) > BH_MAX_LAYER_PATH) {
            snprintf(d, sizeof(d), "longer than %u bytes (BH_MAX_LAYER_PATH)", BH_MAX_LAYER_PATH);
            return fail(s, BH_ELIMIT, "symlink target too long", d);
        }
        e->link = sym;
    }
    e->mode = (uint32_t)archive_entry_perm(ae) & 07777u;
    e->uid = clamp_id(archive_entry_uid(ae));
    e->gid = clamp_id(archive_entry_gid(ae));
    e->mtime = (int64_t)archive_entry_mtime(ae);
    size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
    if (e->type == BH_LT_REG && size > 0)
        e->size = (uint64_t)size;
    e->has_fcaps = has_fcaps(ae);
    return 0;
}

int bh_layer_content_read(struct bh_layer_content *c, void *buf, size_t cap, size_t *got,
                          struct bh_err *err)
{
    struct scan *s = c->s;
    la_ssize_t n;

    *got = 0;
    if (!s->rc) {
        if (cap > (1u << 30))
            cap = 1u << 30;
        n = archive_read_data(s->ar, buf, cap);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (!s->rc) {
            const char *m = archive_error_string(s->ar);
            char q[QBUF];
            fail(s, BH_EPARSE, "corrupt or truncated tar", quote(q, sizeof(q), m ? m : "?"));
        }
    }
    /* the sink may hold its own err; the pass's copy stays for bh_layer_scan */
    if (err && err != s->err)
        *err = *s->err;
    return s->rc;
}

/* ---- the pass ----------------------------------------------------------------------------- */

static enum bh_layer_comp detect(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return BH_LAYER_COMP_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return BH_LAYER_COMP_ZSTD;
    return BH_LAYER_COMP_NONE;
}

static int scan_setup(struct scan *s)
{
    s->ibuf = malloc(BUF_SIZE);
    s->obuf = malloc(BUF_SIZE);
    s->hin = EVP_MD_CTX_new();
    if (!s->ibuf || !s->obuf || !s->hin)
        return fail(s, BH_ENOMEM, "out of memory", NULL);
    if (!EVP_DigestInit_ex(s->hin, EVP_sha256(), NULL))
        return fail(s, BH_EINTERNAL, "sha-256 unavailable", NULL);
    /* what decides the format: the first bytes, read before any decoding */
    if (fill_full(s))
        return s->rc;
    if (s->comp == BH_LAYER_COMP_UNKNOWN)
        s->comp = detect(s->ibuf, s->ilen);
    s->st->comp = s->comp;
    if (s->comp == BH_LAYER_COMP_NONE)
        return 0;
    s->hout = EVP_MD_CTX_new();
    if (!s->hout)
        return fail(s, BH_ENOMEM, "out of memory", NULL);
    if (!EVP_DigestInit_ex(s->hout, EVP_sha256(), NULL))
        return fail(s, BH_EINTERNAL, "sha-256 unavailable", NULL);
    if (s->comp == BH_LAYER_COMP_GZIP) {
        s->inf = malloc(sizeof(*s->inf));
        if (!s->inf)
            return fail(s, BH_ENOMEM, "out of memory", NULL);
        isal_inflate_init(s->inf);
        s->inf->crc_flag = ISAL_GZIP;
    } else {
        s->zd = ZSTD_createDStream();
        if (!s->zd)
            return fail(s, BH_ENOMEM, "out of memory", NULL);
        ZSTD_initDStream(s->zd);
    }
    return 0;
}

/* The entries, until libarchive reports the end of the tar. */
static int scan_entries(struct scan *s)
{
    char q[QBUF];
    int rc;

    s->ar = archive_read_new();
    if (!s->ar)
        return fail(s, BH_ENOMEM, "out of memory", NULL);
    /* tar only (ustar, GNU, pax): we decode the compression ourselves, and no other format or
     * external filter program may ever be tried on image bytes */
    if (archive_read_support_format_tar(s->ar) != ARCHIVE_OK)
        return fail(s, BH_EINTERNAL, "libarchive has no tar reader", NULL);
    if (archive_read_open(s->ar, s, NULL, ar_read, NULL) != ARCHIVE_OK) {
        /* an empty layer (no bytes at all) has no entries */
        if (!s->rc && s->out_eof && s->st->bytes_out == 0)
            return 0;
        if (s->rc)
            return s->rc;
        return fail(s, BH_EPARSE, "not a tar archive",
                    quote(q, sizeof(q), archive_error_string(s->ar)));
    }
    for (;;) {
        struct archive_entry *ae;
        struct bh_layer_entry e;
        int r = archive_read_next_header(s->ar, &ae);

        if (s->rc)
            return s->rc;
        if (r == ARCHIVE_EOF)
            return 0;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            const char *m = archive_error_string(s->ar);
            if (s->index == 0 && s->st->bytes_out == 0)
                return 0; /* empty input: libarchive found nothing to bid on */
            return fail(s, BH_EPARSE,
                        s->index == 0 ? "not a tar archive" : "corrupt or truncated tar",
                        quote(q, sizeof(q), m ? m : "?"));
        }
        if (s->index >= BH_MAX_LAYER_ENTRIES) {
            char d[64];
            snprintf(d, sizeof(d), "more than %u (BH_MAX_LAYER_ENTRIES)", BH_MAX_LAYER_ENTRIES);
            return fail(s, BH_ELIMIT, "too many entries", d);
        }
        rc = make_entry(s, ae, &e);
        if (rc)
            return rc;
        rc = s->sink->entry(s->sink->ctx, &e, e.type == BH_LT_REG ? &s->content : NULL, s->err);
        if (rc) {
            if (!s->rc)
                s->rc = rc; /* the sink filled err */
            return rc;
        }
        /* the sink may have ignored a failed content read: the stream is unusable anyway */
        if (s->rc)
            return s->rc;
        s->index++;
        s->st->entries = s->index;
    }
}

/* After the tar's end: read (and hash) every remaining byte. */
static int drain(struct scan *s)
{
    const void *p;
    size_t n;

    do {
        if (next_out(s, &p, &n))
            return s->rc;
    } while (n);
    while (!s->in_eof) {
        s->ipos = s->ilen;
        if (fill(s))
            return s->rc;
    }
    return 0;
}

static void finish_digest(EVP_MD_CTX *h, char out[80])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    out[0] = '\0';
    if (h && EVP_DigestFinal_ex(h, md, &n) && n == 32)
        hex_digest(md, n, out);
}

int bh_layer_scan(struct bh_reader *in, enum bh_layer_comp comp, const char *label,
                  const struct bh_layer_sink *sink, struct bh_layer_stats *st, struct bh_err *err)
{
    struct scan *s = calloc(1, sizeof(*s));
    int rc;

    memset(st, 0, sizeof(*st));
    st->comp = comp;
    if (!s)
        return bh_err_set(err, BH_ENOMEM, label, 0, 0, "cannot read layer '%s': out of memory",
                          label);
    s->in = in;
    s->label = label ? label : (in->label ? in->label : "layer");
    s->sink = sink;
    s->st = st;
    s->err = err;
    s->comp = comp;
    s->content.s = s;

    rc = scan_setup(s);
    if (!rc)
        rc = scan_entries(s);
    if (!rc)
        rc = drain(s);

    if (s->ar)
        archive_read_free(s->ar);
    finish_digest(s->hin, st->digest);
    if (s->hout)
        finish_digest(s->hout, st->diff_id);
    else if (s->comp == BH_LAYER_COMP_NONE)
        memcpy(st->diff_id, st->digest, sizeof(st->diff_id));
    EVP_MD_CTX_free(s->hin);
    EVP_MD_CTX_free(s->hout);
    if (s->zd)
        ZSTD_freeDStream(s->zd);
    free(s->inf);
    free(s->ibuf);
    free(s->obuf);
    free(s);
    return rc;
}
