/*
 * gobin.c - Go modules compiled into executables: the build info blob the Go linker leaves
 * in .go.buildinfo (Go 1.18+ inline strings; the older pointer format through the ELF program
 * headers) gives the main module, each dependency with its replacement, and the toolchain as
 * "stdlib". Nothing is executed or disassembled; Mach-O and PE pointer-format build info (Go
 * 1.17 and older on those systems) is refused as unsupported.
 */
#include "input/pkgdb/binpkg.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/pkgdb/pkgdb.h"

#include <stdint.h>
#include <string.h>

/* The header before the inline strings: magic, pointer size, flags, two unused pointers. */
#define HDR_LEN 32u
#define FLAG_BIG_ENDIAN 1u
#define FLAG_INLINE 2u
/* The modinfo string is framed by a 16-byte sentinel at each end (cmd/go writes them). */
#define SENTINEL_LEN 16u
/* Bytes of an image-controlled string quoted in a message. */
#define QUOTE_MAX 96u

struct go_ctx {
    struct bh_arena *a;
    const char *file;
    const char *path; /* arena copy set on every package */
    int layer;
    struct bh_packages *out;
    struct bh_err *err;
};

/* A module as one "mod"/"dep" line (and its "=>" line) describes it. */
struct go_mod {
    const char *path, *ver;
    size_t path_n, ver_n;
    int line;
};

static int nomem(struct go_ctx *c)
{
    return bh_err_set(c->err, BH_ENOMEM, c->file, 0, 0, "out of memory");
}

bool bh_gobin_is_exec(const void *head, size_t len)
{
    const unsigned char *p = head;

    if (p == NULL || len < 4)
        return false;
    if (memcmp(p,
               "\x7f"
               "ELF",
               4) == 0 ||
        (p[0] == 'M' && p[1] == 'Z'))
        return true;
    /*
     * Mach-O, 32/64-bit, either byte order. The universal (fat) magic is left out: it is
     * also the Java class file magic, and Go does not read build info from fat files.
     */
    return (p[0] == 0xfe && p[1] == 0xed && p[2] == 0xfa && (p[3] == 0xce || p[3] == 0xcf)) ||
           ((p[0] == 0xce || p[0] == 0xcf) && p[1] == 0xfa && p[2] == 0xed && p[3] == 0xfe);
}

ssize_t bh_gobin_find_magic(const void *data, size_t len, size_t base)
{
    const unsigned char *p = data, *hit;
    size_t off = 0;

    if (p == NULL)
        return -1;
    while (off + BH_GOBIN_MAGIC_LEN <= len) {
        hit = memmem(p + off, len - off, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
        if (hit == NULL)
            return -1;
        off = (size_t)(hit - p);
        if ((base + off) % 16u == 0)
            return (ssize_t)off;
        off++;
    }
    return -1;
}

/* ---- the modinfo text ------------------------------------------------------------------ */

/* Lower case of a Go module path for the purl (the golang purl type is case-insensitive). */
static const char *go_purl(struct bh_arena *a, const struct bh_package *p)
{
    struct bh_package q = *p;
    size_t n = strlen(p->name), i;
    char *low = bh_arena_alloc(a, n + 1);

    if (low == NULL)
        return NULL;
    for (i = 0; i < n; i++)
        low[i] =
            p->name[i] >= 'A' && p->name[i] <= 'Z' ? (char)(p->name[i] - 'A' + 'a') : p->name[i];
    q.name = low;
    return bh_pkgdb_purl(a, &q, NULL);
}

static int add(struct go_ctx *c, const char *name, size_t name_n, const char *ver, size_t ver_n)
{
    struct bh_package *p;

    if (c->out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "more than BH_MAX_PKGDB_PACKAGES (%u) packages", BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(c->a, c->out->v, c->out->n, c->out->cap);
    if (p == NULL)
        return nomem(c);
    p->kind = BH_PKG_GO;
    p->layer = c->layer;
    p->path = c->path;
    p->name = bh_arena_strndup(c->a, name, name_n);
    p->version = bh_arena_strndup(c->a, ver, ver_n);
    if (c->a->failed || (p->purl = go_purl(c->a, p)) == NULL)
        return nomem(c);
    return 0;
}

/* A replacement by a directory ("./x", "../x", "/x", "C:\\x") has no module version. */
static bool is_dir_path(const char *s, size_t n)
{
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return true;
    if (n >= 1 && (s[0] == '/' || s[0] == '\\'))
        return true;
    if (n >= 2 && s[0] == '.' && (s[1] == '/' || s[1] == '\\'))
        return true;
    if (n >= 3 && s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\\'))
        return true;
    return n >= 3 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) &&
           s[1] == ':' && (s[2] == '/' || s[2] == '\\');
}

/*
 * Record the pending module m. A module without a version has nothing to compare and is
 * left out (cmd/go always writes one; only hand-made build info lacks it).
 */
static int flush(struct go_ctx *c, struct go_mod *m)
{
    int rc = 0;

    if (m->path != NULL && m->ver_n > 0)
        rc = add(c, m->path, m->path_n, m->ver, m->ver_n);
    m->path = NULL;
    return rc;
}

/* Split (s, n) at tabs into at most max fields; the count, or max + 1 when there are more. */
static size_t split_tabs(const char *s, size_t n, const char **f, size_t *fn, size_t max)
{
    size_t k = 0, start = 0, i;

    for (i = 0; i <= n; i++) {
        if (i < n && s[i] != '\t')
            continue;
        if (k == max)
            return max + 1;
        f[k] = s + start;
        fn[k] = i - start;
        k++;
        start = i + 1;
    }
    return k;
}

static bool has_nul(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

/*
 * The module lines of modinfo (sentinels already stripped), as runtime/debug writes them:
 * "path", "mod", "dep", "=>" (replaces the module on the line before), "build". Lines of
 * other kinds are skipped as Go itself does; a text after the last newline is ignored.
 */
static int parse_modinfo(struct go_ctx *c, const char *s, size_t n)
{
    struct go_mod m = {0};
    const char *f[4], *nl;
    size_t fn[4], k, pos = 0;
    char q[QUOTE_MAX * 4 + 8];
    int line = 0, rc;
    bool can_replace = false;

    while (pos < n && (nl = memchr(s + pos, '\n', n - pos)) != NULL) {
        const char *l = s + pos;
        size_t ln = (size_t)(nl - l);

        pos += ln + 1;
        line++;
        if (ln >= 4 && (memcmp(l, "mod\t", 4) == 0 || memcmp(l, "dep\t", 4) == 0)) {
            if ((rc = flush(c, &m)) != 0)
                return rc;
            k = split_tabs(l + 4, ln - 4, f, fn, 3);
            if (k < 2 || k > 3)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "go build info line %d: expected 2 or 3 columns in '%s'", line,
                                  bh_str_printable_n(q, sizeof(q), l, ln, QUOTE_MAX));
            if (fn[0] == 0 || has_nul(f[0], fn[0]) || has_nul(f[1], fn[1]))
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "go build info line %d: bad module path or version in '%s'", line,
                                  bh_str_printable_n(q, sizeof(q), l, ln, QUOTE_MAX));
            m.path = f[0];
            m.path_n = fn[0];
            m.ver = f[1];
            m.ver_n = fn[1];
            m.line = line;
            can_replace = true;
        } else if (ln >= 3 && memcmp(l, "=>\t", 3) == 0) {
            if (!can_replace)
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "go build info line %d: replacement with no module before it",
                                  line);
            can_replace = false;
            k = split_tabs(l + 3, ln - 3, f, fn, 3);
            if (k != 3 || fn[0] == 0 || has_nul(f[0], fn[0]) || has_nul(f[1], fn[1]))
                return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                                  "go build info line %d: bad replacement '%s'", line,
                                  bh_str_printable_n(q, sizeof(q), l, ln, QUOTE_MAX));
            /*
             * A module replaced by a directory is local code under the original module's
             * name: it is recorded as that module at "(devel)", never at the required
             * version it does not contain. Otherwise the replacement is what is built in.
             */
            if (is_dir_path(f[0], fn[0])) {
                m.ver = "(devel)";
                m.ver_n = strlen(m.ver);
            } else {
                m.path = f[0];
                m.path_n = fn[0];
                m.ver = f[1];
                m.ver_n = fn[1];
            }
        } else if (ln > 0) {
            can_replace = false;
        }
    }
    return flush(c, &m);
}

/*
 * "go1.22.1" -> "v1.22.1" as the Go vulnerability database writes the standard library's
 * versions: "go1.20" -> "v1.20.0", "go1.21rc2" -> "v1.21.0-rc.2", "go1.19beta1" ->
 * "v1.19.0-beta.1". What follows the version (" X:boringcrypto" experiments, "-bigcorp"
 * vendor suffixes) is dropped. Anything else ("devel +abc") gives NULL: no stdlib package.
 */
static const char *stdlib_version(struct bh_arena *a, const char *v, size_t n)
{
    size_t i = 2, parts = 0, pre_at, pre_n, num_at, num_n;
    const char *nums[3] = {"0", "0", "0"};
    size_t nums_n[3] = {1, 1, 1};
    const char *pre = NULL;
    size_t start;

    if (n < 3 || v[0] != 'g' || v[1] != 'o' || v[2] < '0' || v[2] > '9')
        return NULL;
    while (i < n && parts < 3) {
        start = i;
        while (i < n && v[i] >= '0' && v[i] <= '9' && i - start < 9)
            i++;
        if (i == start)
            return NULL;
        nums[parts] = v + start;
        nums_n[parts] = i - start;
        parts++;
        if (i < n && v[i] == '.' && i + 1 < n && v[i + 1] >= '0' && v[i + 1] <= '9')
            i++;
        else
            break;
    }
    if (i < n && v[i] >= '0' && v[i] <= '9')
        return NULL; /* a number longer than any Go release */
    pre_at = i;
    while (i < n && v[i] >= 'a' && v[i] <= 'z')
        i++;
    pre_n = i - pre_at;
    num_at = i;
    while (i < n && v[i] >= '0' && v[i] <= '9' && i - num_at < 9)
        i++;
    num_n = i - num_at;
    if (pre_n > 0 && num_n > 0 &&
        ((pre_n == 2 && memcmp(v + pre_at, "rc", 2) == 0) ||
         (pre_n == 4 && memcmp(v + pre_at, "beta", 4) == 0) ||
         (pre_n == 5 && memcmp(v + pre_at, "alpha", 5) == 0)))
        pre = v + pre_at;
    if (pre != NULL)
        return bh_arena_printf(a, "v%.*s.%.*s.%.*s-%.*s.%.*s", (int)nums_n[0], nums[0],
                               (int)nums_n[1], nums[1], (int)nums_n[2], nums[2], (int)pre_n, pre,
                               (int)num_n, v + num_at);
    return bh_arena_printf(a, "v%.*s.%.*s.%.*s", (int)nums_n[0], nums[0], (int)nums_n[1], nums[1],
                           (int)nums_n[2], nums[2]);
}

/* The two strings of the build info: toolchain version and modinfo (with its sentinels). */
static int emit(struct go_ctx *c, const char *vers, size_t vers_n, const char *mod, size_t mod_n)
{
    const char *sv;
    int rc;

    /* Go's own reader: no version means not a Go executable; no framing means no modules */
    if (vers_n == 0)
        return 0;
    if (mod_n >= 2 * SENTINEL_LEN + 1 && mod[mod_n - SENTINEL_LEN - 1] == '\n') {
        rc = parse_modinfo(c, mod + SENTINEL_LEN, mod_n - 2 * SENTINEL_LEN);
        if (rc != 0)
            return rc;
    }
    sv = stdlib_version(c->a, vers, vers_n);
    if (c->a->failed)
        return nomem(c);
    return sv != NULL ? add(c, "stdlib", 6, sv, strlen(sv)) : 0;
}

static int begin(struct go_ctx *c, struct bh_arena *a, const char *file, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    c->a = a;
    c->file = file;
    c->layer = layer;
    c->out = out;
    c->err = err;
    c->path = bh_arena_strdup(a, file != NULL ? file : "");
    return c->path == NULL ? nomem(c) : 0;
}

/* A file that fails to read adds nothing: half of one would mislead the matcher. */
static int finish(struct bh_packages *out, size_t n0, int rc)
{
    if (rc != 0)
        out->n = n0;
    return rc;
}

/* ---- the inline format ----------------------------------------------------------------- */

/* An unsigned LEB128 varint at p[*pos]; -1 when truncated or longer than 64 bits. */
static int uvarint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t r = 0;
    unsigned shift = 0;

    while (*pos < len) {
        unsigned char b = p[(*pos)++];
        if (shift == 63 && b > 1)
            return -1;
        r |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *v = r;
            return 0;
        }
        shift += 7;
        if (shift > 63)
            return -1;
    }
    return -1;
}

/* One uvarint-prefixed string of the inline format, starting at *pos of the blob. */
static int inline_string(struct go_ctx *c, const unsigned char *p, size_t len, size_t *pos,
                         const char *what, const char **s, size_t *n)
{
    size_t at = *pos;
    uint64_t v;

    if (uvarint(p, len, pos, &v) != 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: truncated or overlong length of the %s at byte %zu "
                          "after the magic",
                          what, at);
    if (v > BH_MAX_GOBUILDINFO)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "go build info: %s of %llu bytes is larger than BH_MAX_GOBUILDINFO "
                          "(%u bytes)",
                          what, (unsigned long long)v, BH_MAX_GOBUILDINFO);
    if (v > len - *pos)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: the %s at byte %zu after the magic runs past the end "
                          "(%llu bytes, %zu left)",
                          what, at, (unsigned long long)v, len - *pos);
    *s = (const char *)p + *pos;
    *n = (size_t)v;
    *pos += (size_t)v;
    return 0;
}

static int parse_inline(struct go_ctx *c, const unsigned char *p, size_t len)
{
    const char *vers = NULL, *mod = NULL;
    size_t vers_n = 0, mod_n = 0, pos = HDR_LEN;
    int rc;

    if ((rc = inline_string(c, p, len, &pos, "toolchain version", &vers, &vers_n)) != 0 ||
        (rc = inline_string(c, p, len, &pos, "module info", &mod, &mod_n)) != 0)
        return rc;
    return emit(c, vers, vers_n, mod, mod_n);
}

/* The checks both formats share: the magic, a 32-byte header, a pointer size of 4 or 8. */
static int check_header(struct go_ctx *c, const unsigned char *p, size_t len)
{
    if (len < HDR_LEN || memcmp(p, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN) != 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: no 32-byte header at byte 0 (%zu bytes)", len);
    if (p[14] != 4 && p[14] != 8)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: pointer size %u at byte 14 is neither 4 nor 8",
                          (unsigned)p[14]);
    return 0;
}

int bh_gobin_parse(struct bh_arena *a, const char *file, const void *blob, size_t len, int layer,
                   struct bh_packages *out, struct bh_err *err)
{
    const unsigned char *p = blob;
    struct go_ctx c;
    size_t n0 = out->n;
    int rc;

    if ((rc = begin(&c, a, file, layer, out, err)) != 0)
        return rc;
    if (p == NULL)
        len = 0;
    if (len > BH_MAX_GOBUILDINFO + BH_GOBIN_MAGIC_LEN)
        len = BH_MAX_GOBUILDINFO + BH_GOBIN_MAGIC_LEN;
    if ((rc = check_header(&c, p, len)) != 0)
        return rc;
    if ((p[15] & FLAG_INLINE) == 0)
        return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0,
                          "go build info in the pointer format (go1.17 and older) needs the "
                          "whole executable");
    return finish(out, n0, parse_inline(&c, p, len));
}

/* ---- executables ----------------------------------------------------------------------- */

/* A view of an ELF file: width, byte order and the program headers' place. */
struct elf {
    const unsigned char *d;
    size_t len;
    bool is64, be;
    uint64_t phoff, shoff;
    unsigned phentsize, phnum, shentsize, shnum, shstrndx;
};

static uint64_t rd(const unsigned char *p, unsigned n, bool be)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < n; i++)
        v |= (uint64_t)p[be ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

/* Bytes [off, off + n) lie inside the file. */
static bool in_file(const struct elf *e, uint64_t off, uint64_t n)
{
    return off <= e->len && n <= e->len - off;
}

static bool elf_open(struct elf *e, const unsigned char *d, size_t len)
{
    memset(e, 0, sizeof(*e));
    if (len < 52 ||
        memcmp(d,
               "\x7f"
               "ELF",
               4) != 0 ||
        (d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2))
        return false;
    e->d = d;
    e->len = len;
    e->is64 = d[4] == 2;
    e->be = d[5] == 2;
    if (e->is64) {
        if (len < 64)
            return false;
        e->phoff = rd(d + 32, 8, e->be);
        e->shoff = rd(d + 40, 8, e->be);
        e->phentsize = (unsigned)rd(d + 54, 2, e->be);
        e->phnum = (unsigned)rd(d + 56, 2, e->be);
        e->shentsize = (unsigned)rd(d + 58, 2, e->be);
        e->shnum = (unsigned)rd(d + 60, 2, e->be);
        e->shstrndx = (unsigned)rd(d + 62, 2, e->be);
    } else {
        e->phoff = rd(d + 28, 4, e->be);
        e->shoff = rd(d + 32, 4, e->be);
        e->phentsize = (unsigned)rd(d + 42, 2, e->be);
        e->phnum = (unsigned)rd(d + 44, 2, e->be);
        e->shentsize = (unsigned)rd(d + 46, 2, e->be);
        e->shnum = (unsigned)rd(d + 48, 2, e->be);
        e->shstrndx = (unsigned)rd(d + 50, 2, e->be);
    }
    /* tables that do not fit, or entries too small, are treated as absent */
    if (e->phentsize < (e->is64 ? 56u : 32u) ||
        !in_file(e, e->phoff, (uint64_t)e->phentsize * e->phnum))
        e->phnum = 0;
    if (e->shentsize < (e->is64 ? 64u : 40u) ||
        !in_file(e, e->shoff, (uint64_t)e->shentsize * e->shnum))
        e->shnum = 0;
    return true;
}

struct elf_seg {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz;
};

static void elf_phdr(const struct elf *e, unsigned i, struct elf_seg *s)
{
    const unsigned char *p = e->d + e->phoff + (uint64_t)i * e->phentsize;

    s->type = (uint32_t)rd(p, 4, e->be);
    if (e->is64) {
        s->flags = (uint32_t)rd(p + 4, 4, e->be);
        s->offset = rd(p + 8, 8, e->be);
        s->vaddr = rd(p + 16, 8, e->be);
        s->filesz = rd(p + 32, 8, e->be);
    } else {
        s->offset = rd(p + 4, 4, e->be);
        s->vaddr = rd(p + 8, 4, e->be);
        s->filesz = rd(p + 16, 4, e->be);
        s->flags = (uint32_t)rd(p + 24, 4, e->be);
    }
}

/* The file range of section i: false when it has no bytes in the file. */
static bool elf_shdr(const struct elf *e, unsigned i, uint32_t *name, uint64_t *off, uint64_t *size)
{
    const unsigned char *p = e->d + e->shoff + (uint64_t)i * e->shentsize;
    uint32_t type = (uint32_t)rd(p + 4, 4, e->be);

    *name = (uint32_t)rd(p, 4, e->be);
    *off = e->is64 ? rd(p + 24, 8, e->be) : rd(p + 16, 4, e->be);
    *size = e->is64 ? rd(p + 32, 8, e->be) : rd(p + 20, 4, e->be);
    return type != 8 /* SHT_NOBITS */ && in_file(e, *off, *size);
}

/* The .go.buildinfo section's file range, if the section headers name one. */
static bool elf_buildinfo(const struct elf *e, uint64_t *off, uint64_t *size)
{
    static const char want[] = ".go.buildinfo";
    uint64_t stroff, strsize;
    uint32_t name;
    unsigned i;

    if (e->shnum == 0 || e->shstrndx >= e->shnum ||
        !elf_shdr(e, e->shstrndx, &name, &stroff, &strsize))
        return false;
    for (i = 0; i < e->shnum; i++) {
        if (!elf_shdr(e, i, &name, off, size) || name >= strsize || strsize - name < sizeof(want))
            continue;
        if (memcmp(e->d + stroff + name, want, sizeof(want)) == 0)
            return true;
    }
    return false;
}

/*
 * The file bytes at virtual address addr, n of them, inside one PT_LOAD segment's file
 * image, as Go's reader maps them; NULL when unmapped or cut short.
 */
static const unsigned char *elf_at(const struct elf *e, uint64_t addr, uint64_t n)
{
    struct elf_seg s;
    unsigned i;

    for (i = 0; i < e->phnum; i++) {
        elf_phdr(e, i, &s);
        if (s.type != 1 /* PT_LOAD */ || addr < s.vaddr || addr - s.vaddr >= s.filesz)
            continue;
        if (n > s.filesz - (addr - s.vaddr) || !in_file(e, s.offset, s.filesz))
            return NULL;
        return e->d + s.offset + (addr - s.vaddr);
    }
    return NULL;
}

/* A Go string header (pointer, length) at addr, and the bytes it points at. */
static int elf_gostring(struct go_ctx *c, const struct elf *e, unsigned psz, bool be, uint64_t addr,
                        const char *what, const char **s, size_t *n)
{
    const unsigned char *hdr = elf_at(e, addr, 2u * psz), *data;
    uint64_t ptr, slen;

    if (hdr == NULL)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: the %s string header at address 0x%llx is not in "
                          "the file",
                          what, (unsigned long long)addr);
    ptr = rd(hdr, psz, be);
    slen = rd(hdr + psz, psz, be);
    if (slen > BH_MAX_GOBUILDINFO)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "go build info: %s of %llu bytes is larger than BH_MAX_GOBUILDINFO "
                          "(%u bytes)",
                          what, (unsigned long long)slen, BH_MAX_GOBUILDINFO);
    data = slen == 0 ? hdr : elf_at(e, ptr, slen);
    if (data == NULL)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "go build info: the %s at address 0x%llx (%llu bytes) is not in the "
                          "file",
                          what, (unsigned long long)ptr, (unsigned long long)slen);
    *s = (const char *)data;
    *n = (size_t)slen;
    return 0;
}

/* Pointer-format build info (Go 1.13 to 1.17): two pointers to Go string headers. */
static int parse_pointers(struct go_ctx *c, const struct elf *e, const unsigned char *p)
{
    unsigned psz = p[14];
    bool be = (p[15] & FLAG_BIG_ENDIAN) != 0;
    const char *vers, *mod;
    size_t vers_n, mod_n;
    int rc;

    if ((rc = elf_gostring(c, e, psz, be, rd(p + 16, psz, be), "toolchain version", &vers,
                           &vers_n)) != 0 ||
        (rc = elf_gostring(c, e, psz, be, rd(p + 16 + psz, psz, be), "module info", &mod,
                           &mod_n)) != 0)
        return rc;
    return emit(c, vers, vers_n, mod, mod_n);
}

/*
 * A plausible header at p: the magic's copy inside a program's read-only data (the go
 * command and anything importing debug/buildinfo carry one) is followed by other bytes.
 */
static bool plausible(const unsigned char *p, size_t len)
{
    size_t pos = HDR_LEN;
    uint64_t v;

    if (len < HDR_LEN || (p[14] != 4 && p[14] != 8) || (p[15] & ~3u) != 0)
        return false;
    if ((p[15] & FLAG_INLINE) == 0)
        return true;
    return uvarint(p, len, &pos, &v) == 0 && v >= 3 && v <= len - pos &&
           ((p[pos] == 'g' && p[pos + 1] == 'o') || memcmp(p + pos, "dev", 3) == 0);
}

/* The first plausible header at a 16-aligned file offset in [from, to); NULL if none. */
static const unsigned char *search(const unsigned char *d, size_t len, size_t from, size_t to)
{
    ssize_t at;

    while (from < to) {
        at = bh_gobin_find_magic(d + from, to - from, from);
        if (at < 0)
            return NULL;
        from += (size_t)at;
        if (plausible(d + from, len - from))
            return d + from;
        from++;
    }
    return NULL;
}

int bh_gobin_read(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                  struct bh_packages *out, struct bh_err *err)
{
    const unsigned char *d = data, *hdr = NULL;
    struct go_ctx c;
    struct elf e;
    struct elf_seg s;
    uint64_t off, size;
    size_t n0 = out->n, left;
    bool is_elf;
    unsigned i;
    int rc;

    if (d == NULL || !bh_gobin_is_exec(d, len))
        return 0;
    if ((rc = begin(&c, a, file, layer, out, err)) != 0)
        return rc;
    is_elf = elf_open(&e, d, len);
    /* where Go's linker puts it: the section, else the start of a writable segment */
    if (is_elf && elf_buildinfo(&e, &off, &size))
        hdr = search(d, len, (size_t)off, (size_t)(off + size));
    for (i = 0; is_elf && hdr == NULL && i < e.phnum; i++) {
        elf_phdr(&e, i, &s);
        if (s.type == 1 && (s.flags & 3u) == 2u /* PF_W without PF_X */ &&
            in_file(&e, s.offset, s.filesz))
            hdr = search(d, len, (size_t)s.offset, (size_t)(s.offset + s.filesz));
    }
    if (hdr == NULL)
        hdr = search(d, len, 0, len);
    if (hdr == NULL)
        return 0;
    left = len - (size_t)(hdr - d);
    if ((hdr[15] & FLAG_INLINE) != 0) {
        if (left > BH_MAX_GOBUILDINFO + BH_GOBIN_MAGIC_LEN)
            left = BH_MAX_GOBUILDINFO + BH_GOBIN_MAGIC_LEN;
        return finish(out, n0, parse_inline(&c, hdr, left));
    }
    if (!is_elf)
        return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0,
                          "go build info in the pointer format (go1.17 and older) is read from "
                          "ELF executables only");
    return finish(out, n0, parse_pointers(&c, &e, hdr));
}
