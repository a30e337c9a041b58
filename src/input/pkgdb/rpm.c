/*
 * rpm.c - the rpm package database in its three on-disk formats, told apart by magic:
 * SQLite rpmdb.sqlite (rows of the Packages table, read through input/sqlite.c),
 * BerkeleyDB hash "Packages" (pages walked here: hash pages of key/data items, overflow
 * chains for big data) and NDB "Packages.db" (slot pages pointing at 'BlbS' blobs). Each
 * holds one rpm header blob per package, also parsed here: index entries plus a data
 * store. Every offset read from the file is checked against the bytes we hold before use;
 * signatures, file lists and dependencies are not read.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/limits.h"
#include "input/sqlite.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* rpm header tags and types (rpm's rpmtag.h values; they are part of the file format). */
enum {
    TAG_NAME = 1000,
    TAG_VERSION = 1001,
    TAG_RELEASE = 1002,
    TAG_EPOCH = 1003,
    TAG_LICENSE = 1014,
    TAG_ARCH = 1022,
    TAG_SOURCERPM = 1044,
};
enum {
    TYPE_INT32 = 4,
    TYPE_STRING = 6,
    TYPE_I18NSTRING = 9,
};

struct rpm_ctx {
    struct bh_arena *a;
    const char *file;
    const char *path;
    int layer;
    struct bh_packages *out;
    struct bh_err *err;
    const char *unit; /* what `where` counts in messages: "offset" or "row" */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int oom(struct rpm_ctx *c)
{
    return bh_err_set(c->err, BH_ENOMEM, c->file, 0, 0, "out of memory");
}

/* ---- header blobs ------------------------------------------------------------------- */

struct rpm_hdr {
    const char *name, *version, *release, *license, *arch, *srpm; /* NULL when absent */
    bool has_epoch;
    uint32_t epoch;
};

/* "name-version-release.src.rpm" -> name and "version-release"; false when not that shape. */
static bool split_srpm(const char *srpm, size_t *name_n, const char **vr, size_t *vr_n)
{
    size_t n = strlen(srpm), i, dashes = 0;

    if (n > 8 && memcmp(srpm + n - 8, ".src.rpm", 8) == 0)
        n -= 8;
    else if (n > 10 && memcmp(srpm + n - 10, ".nosrc.rpm", 10) == 0)
        n -= 10;
    else
        return false;
    for (i = n; i > 0; i--)
        if (srpm[i - 1] == '-' && ++dashes == 2)
            break;
    if (dashes != 2 || i < 2 || i == n)
        return false;
    *name_n = i - 1;
    *vr = srpm + i;
    *vr_n = n - i;
    return true;
}

/*
 * One header blob as the databases store it (no lead, no 8-byte magic): il and dl
 * (big-endian), il 16-byte index entries {tag, type, offset, count}, then dl data bytes.
 */
static int rpm_header(struct rpm_ctx *c, const unsigned char *b, size_t n, size_t where)
{
    struct rpm_hdr h;
    const unsigned char *store, *e;
    const char **slot;
    uint32_t il, dl, i, tag, type, off, cnt;
    struct bh_package *p;
    const char *vr;
    size_t name_n, vr_n;

    memset(&h, 0, sizeof(h));
    if (n < 8)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "%s %zu: rpm header blob of %zu bytes is too short", c->unit, where, n);
    il = be32(b);
    dl = be32(b + 4);
    if (il == 0 || il > BH_MAX_RPM_HEADER_TAGS)
        return bh_err_set(c->err, il == 0 ? BH_EPARSE : BH_ELIMIT, c->file, 0, 0,
                          "%s %zu: rpm header has %u index entries (at most "
                          "BH_MAX_RPM_HEADER_TAGS, %u)",
                          c->unit, where, il, BH_MAX_RPM_HEADER_TAGS);
    if (dl > BH_MAX_RPM_HEADER_DATA)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "%s %zu: rpm header data larger than BH_MAX_RPM_HEADER_DATA", c->unit,
                          where);
    if ((size_t)il * 16u + dl > n - 8)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "%s %zu: rpm header claims %u entries and %u data bytes in a "
                          "%zu-byte blob",
                          c->unit, where, il, dl, n);
    store = b + 8 + (size_t)il * 16u;
    for (i = 0; i < il; i++) {
        e = b + 8 + (size_t)i * 16u;
        tag = be32(e);
        type = be32(e + 4);
        off = be32(e + 8);
        cnt = be32(e + 12);
        switch (tag) {
        case TAG_NAME:
        case TAG_VERSION:
        case TAG_RELEASE:
        case TAG_LICENSE:
        case TAG_ARCH:
        case TAG_SOURCERPM:
            if ((type != TYPE_STRING && type != TYPE_I18NSTRING) || cnt < 1)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "%s %zu: rpm tag %u has type %u, not a string", c->unit, where,
                                  tag, type);
            if (off >= dl || memchr(store + off, '\0', dl - off) == NULL)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "%s %zu: rpm tag %u string is outside the data store", c->unit,
                                  where, tag);
            slot = tag == TAG_NAME      ? &h.name
                   : tag == TAG_VERSION ? &h.version
                   : tag == TAG_RELEASE ? &h.release
                   : tag == TAG_LICENSE ? &h.license
                   : tag == TAG_ARCH    ? &h.arch
                                        : &h.srpm;
            if (*slot == NULL) /* the first of an I18N array is the C locale */
                *slot = (const char *)store + off;
            break;
        case TAG_EPOCH:
            if (type != TYPE_INT32 || cnt < 1)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "%s %zu: rpm epoch has type %u, not int32", c->unit, where, type);
            if (off % 4u != 0 || dl < 4u || off > dl - 4u)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "%s %zu: rpm epoch is outside the data store", c->unit, where);
            h.has_epoch = true;
            h.epoch = be32(store + off);
            break;
        default:
            break;
        }
    }
    if (h.name == NULL || h.version == NULL || h.release == NULL || h.name[0] == '\0')
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "%s %zu: rpm header lacks name, version or release", c->unit, where);
    if (c->out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "more than BH_MAX_PKGDB_PACKAGES (%u) packages", BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(c->a, c->out->v, c->out->n, c->out->cap);
    if (p == NULL)
        return oom(c);
    p->kind = BH_PKG_RPM;
    p->layer = c->layer;
    p->path = c->path;
    p->name = bh_arena_strdup(c->a, h.name);
    if (h.has_epoch)
        p->version = bh_arena_printf(c->a, "%u:%s-%s", (unsigned)h.epoch, h.version, h.release);
    else
        p->version = bh_arena_printf(c->a, "%s-%s", h.version, h.release);
    if (h.arch != NULL && h.arch[0] != '\0')
        p->arch = bh_arena_strdup(c->a, h.arch);
    if (h.license != NULL && h.license[0] != '\0')
        p->license = bh_arena_strdup(c->a, h.license);
    if (h.srpm != NULL && split_srpm(h.srpm, &name_n, &vr, &vr_n)) {
        p->src_name = bh_arena_strndup(c->a, h.srpm, name_n);
        /* the source rpm's version-release, kept when it differs from the binary's */
        if (!(vr_n == strlen(h.version) + 1 + strlen(h.release) &&
              memcmp(vr, h.version, strlen(h.version)) == 0 && vr[strlen(h.version)] == '-' &&
              memcmp(vr + strlen(h.version) + 1, h.release, strlen(h.release)) == 0))
            p->src_version = bh_arena_strndup(c->a, vr, vr_n);
    }
    if (c->a->failed)
        return oom(c);
    return 0;
}

/* ---- NDB ---------------------------------------------------------------------------- */

/*
 * rpm's NDB Packages.db (little-endian): a 32-byte header {'RpmP', version 0, generation,
 * slot pages, ...}, then 16-byte slots {'Slot', package index, block offset, block count}
 * filling the slot pages; a slot with index 0 is free. Block offsets count 16-byte blocks;
 * a blob starts with {'BlbS', package index, generation, length} and its header blob follows.
 */
#define NDB_PAGE 4096u
#define NDB_BLK 16u

static int rpm_ndb(struct rpm_ctx *c, const unsigned char *d, size_t len)
{
    size_t slot_end, o, bo, blen, total = 0;
    uint32_t npages, idx, blk, nblk;
    int rc;

    if (len < 32 || le32(d + 4) != 0)
        return bh_err_set(c->err, BH_EUNSUPPORTED, c->file, 0, 0,
                          "rpm ndb database of an unknown version");
    npages = le32(d + 12);
    if (npages == 0 || npages > len / NDB_PAGE)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "offset 12: rpm ndb claims %u slot pages in %zu bytes", npages, len);
    slot_end = (size_t)npages * NDB_PAGE;
    for (o = 32; o + 16 <= slot_end; o += 16) {
        if (memcmp(d + o, "Slot", 4) != 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: rpm ndb slot has no 'Slot' magic", o);
        idx = le32(d + o + 4);
        blk = le32(d + o + 8);
        nblk = le32(d + o + 12);
        if (idx == 0)
            continue;
        bo = (size_t)blk * NDB_BLK;
        if (bo < slot_end || bo > len || len - bo < 16 || nblk > (len - bo) / NDB_BLK)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: rpm ndb slot points outside the file", o);
        if (memcmp(d + bo, "BlbS", 4) != 0 || le32(d + bo + 4) != idx)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: rpm ndb blob for package %u has a bad header", bo, idx);
        blen = le32(d + bo + 12);
        if (blen > (size_t)nblk * NDB_BLK - 16 || nblk == 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: rpm ndb blob longer than its %u blocks", bo, nblk);
        /* blobs of a real database never overlap; slots sharing one would cost time
         * quadratic in the file size */
        total += blen;
        if (total > len)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: rpm ndb blobs overlap (more blob bytes than file)", o);
        if ((rc = rpm_header(c, d + bo + 16, blen, bo + 16)) != 0)
            return rc;
    }
    return 0;
}

/* ---- BerkeleyDB hash ------------------------------------------------------------------ */

/*
 * BerkeleyDB hash database, in the byte order of the machine that wrote it. Page 0 is the
 * metadata page (magic 0x061561 at 12, page size at 20, encryption at 24, flags at 26).
 * Every page has a 26-byte header {lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2,
 * level 1, type 1}. Hash pages (type 13, or 2 in old files) hold an array of `entries`
 * 2-byte item offsets after the header; items come in key/data pairs, each starting with a
 * type byte: 1 keydata (bytes follow), 3 offpage {type, pad 3, pgno 4, total length 4}.
 * Item i spans from its offset to the previous item's (or the page end for item 0).
 * Overflow pages (type 7) carry hf_offset bytes after the header and chain through next.
 */
#define BDB_HASH_MAGIC 0x061561u
#define BDB_HDR 26u
#define BDB_P_HASH_UNSORTED 2u
#define BDB_P_OVERFLOW 7u
#define BDB_P_HASHMETA 8u
#define BDB_P_HASH 13u
#define BDB_H_KEYDATA 1u
#define BDB_H_OFFPAGE 3u
#define BDB_CHKSUM_FLAG 0x01u
#define BDB_CHKSUM_LEN 20u

struct bdb {
    const unsigned char *d;
    size_t len, psize, npages, overhead;
    size_t copied; /* overflow bytes gathered so far: an overflow page serves one item */
    bool big;
};

static uint32_t bdb32(const struct bdb *b, const unsigned char *p)
{
    return b->big ? be32(p) : le32(p);
}

static uint16_t bdb16(const struct bdb *b, const unsigned char *p)
{
    return b->big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* The data of an offpage item: the overflow chain from pgno, tlen bytes in all. */
static int bdb_overflow(struct rpm_ctx *c, struct bdb *b, uint32_t pgno, uint32_t tlen,
                        unsigned char **out)
{
    unsigned char *buf;
    const unsigned char *pg;
    size_t got = 0, hops = 0, n;

    if (tlen > b->len || tlen > BH_MAX_RPM_HEADER_DATA)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "bdb overflow item of %u bytes is larger than the file", tlen);
    /* items sharing overflow pages would make the work quadratic in the file size */
    b->copied += tlen;
    if (b->copied > b->len)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "bdb overflow items hold more bytes than the file");
    buf = bh_arena_alloc(c->a, tlen);
    if (buf == NULL)
        return oom(c);
    while (got < tlen) {
        /* a chain visits each page at most once, so longer means a loop */
        if (pgno == 0 || pgno >= b->npages || ++hops > b->npages)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "bdb overflow chain broken at page %u", pgno);
        pg = b->d + (size_t)pgno * b->psize;
        if (pg[25] != BDB_P_OVERFLOW)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: bdb page %u is not an overflow page",
                              (size_t)pgno * b->psize, pgno);
        n = bdb16(b, pg + 22);
        if (n == 0 || n > b->psize - b->overhead || n > tlen - got)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: bdb overflow page %u holds a bad length %zu",
                              (size_t)pgno * b->psize, pgno, n);
        memcpy(buf + got, pg + b->overhead, n);
        got += n;
        pgno = bdb32(b, pg + 16);
    }
    *out = buf;
    return 0;
}

static int rpm_bdb(struct rpm_ctx *c, const unsigned char *d, size_t len, bool big)
{
    struct bdb b = {.d = d, .len = len, .big = big};
    const unsigned char *pg, *key, *dat;
    size_t pno, i, entries, kl, dlen, end, off_min;
    uint32_t pgno, tlen;
    unsigned char *blob = NULL;
    int rc;

    b.psize = bdb32(&b, d + 20);
    if (b.psize < 512 || b.psize > 65536 || (b.psize & (b.psize - 1)) != 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "offset 20: bdb page size %zu is not a power of two in 512..65536",
                          b.psize);
    if (len < b.psize || d[25] != BDB_P_HASHMETA)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "offset 25: bdb metadata page is not a hash metadata page");
    if (d[24] != 0)
        return bh_err_set(c->err, BH_EUNSUPPORTED, c->file, 0, 0, "encrypted bdb database");
    b.overhead = BDB_HDR + ((d[26] & BDB_CHKSUM_FLAG) != 0 ? BDB_CHKSUM_LEN : 0);
    b.npages = len / b.psize;
    for (pno = 1; pno < b.npages; pno++) {
        pg = d + pno * b.psize;
        if (pg[25] != BDB_P_HASH && pg[25] != BDB_P_HASH_UNSORTED)
            continue;
        entries = bdb16(&b, pg + 20);
        off_min = b.overhead + entries * 2u;
        if (off_min > b.psize)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                              "offset %zu: bdb page %zu claims %zu items", pno * b.psize, pno,
                              entries);
        for (i = 0; i + 1 < entries; i += 2) {
            size_t ko = bdb16(&b, pg + b.overhead + i * 2u);
            size_t dof = bdb16(&b, pg + b.overhead + (i + 1) * 2u);

            end = i == 0 ? b.psize : bdb16(&b, pg + b.overhead + (i - 1) * 2u);
            if (ko < off_min || ko >= end || dof < off_min || dof >= ko)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "offset %zu: bdb page %zu item %zu lies outside the page",
                                  pno * b.psize, pno, i);
            key = pg + ko;
            kl = end - ko;
            dat = pg + dof;
            dlen = ko - dof;
            /* rpm keys packages by a 4-byte number; record 0 holds rpm's own counter */
            if (key[0] == BDB_H_KEYDATA && kl == 5 && memcmp(key + 1, "\0\0\0\0", 4) == 0)
                continue;
            if (dat[0] == BDB_H_KEYDATA) {
                rc = rpm_header(c, dat + 1, dlen - 1, (size_t)(dat + 1 - d));
            } else if (dat[0] == BDB_H_OFFPAGE) {
                if (dlen < 12)
                    return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                      "offset %zu: bdb offpage item too short", (size_t)(dat - d));
                pgno = bdb32(&b, dat + 4);
                tlen = bdb32(&b, dat + 8);
                if ((rc = bdb_overflow(c, &b, pgno, tlen, &blob)) != 0)
                    return rc;
                rc = rpm_header(c, blob, tlen, (size_t)pgno * b.psize);
            } else {
                continue; /* duplicates: rpm does not store them */
            }
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

/* ---- SQLite --------------------------------------------------------------------------- */

struct sqlite_cb {
    struct rpm_ctx *c;
    size_t row;
};

static int sqlite_row(void *ctx, const void *blob, size_t len)
{
    struct sqlite_cb *s = ctx;

    s->row++;
    return rpm_header(s->c, blob, len, s->row);
}

static int rpm_sqlite(struct rpm_ctx *c, const void *d, size_t len)
{
    struct bh_sqlite *db = NULL;
    struct sqlite_cb s = {.c = c};
    int rc;

    c->unit = "row";
    if ((rc = bh_sqlite_open_mem(c->file, d, len, &db, c->err)) != 0)
        return rc;
    if (!bh_sqlite_has_table(db, "Packages"))
        rc = bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                        "rpm sqlite database has no Packages "
                        "table");
    else
        rc = bh_sqlite_each_blob(db, "SELECT blob FROM Packages ORDER BY hnum", sqlite_row, &s,
                                 c->err);
    bh_sqlite_close(db);
    return rc;
}

static int read_rpm(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                    struct bh_packages *out, struct bh_err *err)
{
    const unsigned char *d = data;
    struct rpm_ctx c = {
        .a = a, .file = file, .layer = layer, .out = out, .err = err, .unit = "offset"};

    if (len > BH_MAX_PKGDB_BYTES)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "database larger than BH_MAX_PKGDB_BYTES (%u bytes)", BH_MAX_PKGDB_BYTES);
    c.path = bh_arena_strdup(a, file != NULL ? file : "");
    if (c.path == NULL)
        return oom(&c);
    if (len >= 16 && memcmp(d, "SQLite format 3", 16) == 0)
        return rpm_sqlite(&c, d, len);
    if (len >= 4 && memcmp(d, "RpmP", 4) == 0)
        return rpm_ndb(&c, d, len);
    if (len >= 512 && le32(d + 12) == BDB_HASH_MAGIC)
        return rpm_bdb(&c, d, len, false);
    if (len >= 512 && be32(d + 12) == BDB_HASH_MAGIC)
        return rpm_bdb(&c, d, len, true);
    if (len >= 16 && (le32(d + 12) == 0x053162u || be32(d + 12) == 0x053162u))
        return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0,
                          "bdb btree database (rpm stores Packages as a hash)");
    return bh_err_set(err, BH_EPARSE, file, 0, 0,
                      "not an rpm database (no sqlite, ndb or bdb hash magic)");
}

int bh_pkgdb_rpm(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    size_t n0 = out->n;
    int rc = read_rpm(a, file, data, len, layer, out, err);

    /* a database that fails to read adds nothing: half of one would mislead the matcher */
    if (rc != 0)
        out->n = n0;
    return rc;
}
