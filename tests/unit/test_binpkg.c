/*
 * test_binpkg.c - packages in binaries (input/pkgdb/gobin.c, java.c) on synthetic inputs built
 * here byte by byte: Go build info blobs in both formats (inline strings; pointers followed
 * through ELF program headers, 32/64-bit, both byte orders), damaged blobs, and stored zip
 * archives holding pom.properties, manifests and nested archives. Real Go binaries and jars
 * are tested by tests/binpkg/run.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/pkgdb/binpkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fix {
    struct bh_arena a;
    struct bh_packages ps;
    struct bh_err err;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    bh_arena_init(&f->a, 256u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static const struct bh_package *find(const struct fix *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->ps.n; i++)
        if (strcmp(f->ps.v[i].name, name) == 0)
            return &f->ps.v[i];
    return NULL;
}

static void expect(const struct fix *f, const char *name, const char *version, const char *purl)
{
    const struct bh_package *p = find(f, name);

    if (p == NULL)
        fail_msg("package '%s' not found", name);
    assert_string_equal(p->version, version);
    if (purl != NULL)
        assert_string_equal(p->purl, purl);
}

/* ---- a byte buffer to build inputs in ------------------------------------------------------ */

struct bytes {
    unsigned char d[1 << 16];
    size_t n;
};

static void put(struct bytes *b, const void *p, size_t n)
{
    assert_true(b->n + n <= sizeof(b->d));
    memcpy(b->d + b->n, p, n);
    b->n += n;
}

static void put_str(struct bytes *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_uvarint(struct bytes *b, uint64_t v)
{
    unsigned char c;

    do {
        c = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            c |= 0x80;
        put(b, &c, 1);
    } while (v);
}

static void put_int(struct bytes *b, uint64_t v, unsigned n, bool be)
{
    unsigned char t[8];
    unsigned i;

    for (i = 0; i < n; i++)
        t[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
    put(b, t, n);
}

static void set_int(struct bytes *b, size_t at, uint64_t v, unsigned n, bool be)
{
    unsigned i;

    for (i = 0; i < n; i++)
        b->d[at + (be ? n - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

static void pad_to(struct bytes *b, size_t at)
{
    assert_true(at >= b->n && at <= sizeof(b->d));
    memset(b->d + b->n, 0, at - b->n);
    b->n = at;
}

static const char SENTINEL[] = "0w\xaf\x0c\x92t\x08\x02"
                               "A\xe1\xc1\x07\xe6\xd6\x18\xe6";

/* modinfo as cmd/go frames it: 16-byte sentinels around the text */
static void put_modinfo(struct bytes *b, const char *body)
{
    put(b, SENTINEL, 16);
    put_str(b, body);
    put(b, SENTINEL, 16);
}

/* A Go 1.18+ build info blob: header, then the two uvarint-prefixed strings. */
static void inline_blob(struct bytes *b, const char *vers, const char *body)
{
    static const unsigned char hdr[18] = {8, 2};

    b->n = 0;
    put(b, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
    put(b, hdr, 18);
    put_uvarint(b, strlen(vers));
    put_str(b, vers);
    put_uvarint(b, body != NULL ? strlen(body) + 32 : 0);
    if (body != NULL)
        put_modinfo(b, body);
}

static const char MODINFO[] = "path\texample.com/app/cmd/app\n"
                              "mod\texample.com/app\t(devel)\t\n"
                              "dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:abc=\n"
                              "dep\tgolang.org/x/net\tv0.0.0-20200101000000-abcdefabcdef\th1:def=\n"
                              "dep\tgithub.com/docker/docker\tv24.0.7+incompatible\th1:ghi=\n"
                              "dep\tgithub.com/old/lib\tv1.0.0\n"
                              "=>\tgithub.com/fork/lib\tv1.0.5\th1:jkl=\n"
                              "dep\texample.com/local\tv1.1.0\n"
                              "=>\t../local\t\t\n"
                              "build\t-compiler=gc\n"
                              "build\tGOOS=linux\n";

/* ---- Go: inline format --------------------------------------------------------------------- */

static void test_go_inline(void **state)
{
    struct fix *f = *state;
    struct bytes b;
    size_t i;

    inline_blob(&b, "go1.22.1", MODINFO);
    assert_int_equal(bh_gobin_parse(&f->a, "usr/bin/app", b.d, b.n, 2, &f->ps, &f->err), 0);
    assert_int_equal(f->ps.n, 7);
    expect(f, "example.com/app", "(devel)", "pkg:golang/example.com/app@%28devel%29");
    /* purl lower case (golang purl type), name as Go writes it */
    expect(f, "github.com/BurntSushi/toml", "v1.3.2",
           "pkg:golang/github.com/burntsushi/toml@v1.3.2");
    expect(f, "golang.org/x/net", "v0.0.0-20200101000000-abcdefabcdef",
           "pkg:golang/golang.org/x/net@v0.0.0-20200101000000-abcdefabcdef");
    expect(f, "github.com/docker/docker", "v24.0.7+incompatible",
           "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible");
    /* the replacement is what is built in; the replaced module is not listed */
    expect(f, "github.com/fork/lib", "v1.0.5", "pkg:golang/github.com/fork/lib@v1.0.5");
    assert_null(find(f, "github.com/old/lib"));
    /* a directory replacement: local code under the module's name */
    expect(f, "example.com/local", "(devel)", NULL);
    expect(f, "stdlib", "v1.22.1", "pkg:golang/stdlib@v1.22.1");
    for (i = 0; i < f->ps.n; i++) {
        assert_int_equal(f->ps.v[i].kind, BH_PKG_GO);
        assert_int_equal(f->ps.v[i].layer, 2);
        assert_string_equal(f->ps.v[i].path, "usr/bin/app");
    }
}

static void test_go_stdlib_versions(void **state)
{
    static const struct {
        const char *go, *want;
    } cases[] = {
        {"go1.20", "v1.20.0"},
        {"go1.21rc2", "v1.21.0-rc.2"},
        {"go1.19beta1", "v1.19.0-beta.1"},
        {"go1.22.1 X:boringcrypto", "v1.22.1"},
        {"go1.21.5-bigcorp", "v1.21.5"},
        {"go1", "v1.0.0"},
        {"devel go1.23-abcdef Mon Jan 1", NULL},
        {"gopher", NULL},
    };
    struct fix *f = *state;
    struct bytes b;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f->ps.n = 0;
        inline_blob(&b, cases[i].go, "mod\tx.org/m\tv1.0.0\t\n");
        assert_int_equal(bh_gobin_parse(&f->a, "b", b.d, b.n, 0, &f->ps, &f->err), 0);
        if (cases[i].want == NULL) {
            assert_null(find(f, "stdlib"));
            assert_int_equal(f->ps.n, 1);
        } else {
            expect(f, "stdlib", cases[i].want, NULL);
        }
    }
}

static void test_go_no_modules(void **state)
{
    struct fix *f = *state;
    struct bytes b;

    /* GOPATH builds: empty module info; only the toolchain */
    inline_blob(&b, "go1.19.8", NULL);
    assert_int_equal(bh_gobin_parse(&f->a, "b", b.d, b.n, 0, &f->ps, &f->err), 0);
    assert_int_equal(f->ps.n, 1);
    expect(f, "stdlib", "v1.19.8", NULL);
    /* no toolchain version: not a Go executable */
    f->ps.n = 0;
    inline_blob(&b, "", MODINFO);
    assert_int_equal(bh_gobin_parse(&f->a, "b", b.d, b.n, 0, &f->ps, &f->err), 0);
    assert_int_equal(f->ps.n, 0);
}

static void expect_fail(struct fix *f, const struct bytes *b, int code, const char *msg_part)
{
    struct bh_package keep = {.name = "kept", .version = "1"};

    /* a package already in the list stays; nothing of the failed read is added */
    f->ps.n = 0;
    f->ps.v = &keep;
    f->ps.n = 1;
    f->ps.cap = 1;
    bh_err_init(&f->err);
    assert_int_equal(bh_gobin_parse(&f->a, "usr/bin/x", b->d, b->n, 0, &f->ps, &f->err), code);
    assert_int_equal(f->ps.n, 1);
    assert_string_equal(f->ps.v[0].name, "kept");
    assert_int_equal(f->err.code, code);
    if (msg_part != NULL && strstr(f->err.msg, msg_part) == NULL)
        fail_msg("message '%s' lacks '%s'", f->err.msg, msg_part);
    f->ps.v = NULL;
    f->ps.n = f->ps.cap = 0;
}

static void test_go_damaged(void **state)
{
    struct fix *f = *state;
    struct bytes b;
    size_t full;

    /* a varint cut off: continuation bit set on the last byte */
    inline_blob(&b, "go1.22.1", MODINFO);
    b.n = 32;
    put(&b, "\x80", 1);
    expect_fail(f, &b, BH_EPARSE, "byte 32");
    /* a varint longer than 64 bits */
    b.n = 32;
    put(&b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
    expect_fail(f, &b, BH_EPARSE, "overlong");
    /* the module info string runs past the end of the blob */
    inline_blob(&b, "go1.22.1", MODINFO);
    full = b.n;
    b.n = full - 20;
    expect_fail(f, &b, BH_EPARSE, "past the end");
    /* cut inside the module string's own varint */
    b.n = 32 + 1 + 8 + 1;
    expect_fail(f, &b, BH_EPARSE, "module info");
    /* a length beyond BH_MAX_GOBUILDINFO */
    inline_blob(&b, "go1.22.1", NULL);
    b.n = 32 + 1 + 8;
    put_uvarint(&b, (uint64_t)BH_MAX_GOBUILDINFO + 1);
    expect_fail(f, &b, BH_ELIMIT, "BH_MAX_GOBUILDINFO");
    /* a header shorter than 32 bytes, a bad pointer size */
    inline_blob(&b, "go1.22.1", MODINFO);
    b.n = 20;
    expect_fail(f, &b, BH_EPARSE, NULL);
    inline_blob(&b, "go1.22.1", MODINFO);
    b.d[14] = 3;
    expect_fail(f, &b, BH_EPARSE, "pointer size");
    /* module lines Go itself refuses */
    inline_blob(&b, "go1.22.1", "=>\tx.org/a\tv1.0.0\t\n");
    expect_fail(f, &b, BH_EPARSE, "no module before");
    inline_blob(&b, "go1.22.1", "dep\tx.org/a\n");
    expect_fail(f, &b, BH_EPARSE, "columns");
    inline_blob(&b, "go1.22.1", "dep\tx.org/a\tv1\th1:\textra\n");
    expect_fail(f, &b, BH_EPARSE, "columns");
    inline_blob(&b, "go1.22.1", "dep\tx.org/a\tv1.0.0\n=>\tx.org/b\tv2.0.0\n");
    expect_fail(f, &b, BH_EPARSE, "replacement");
    /* two replacements in a row */
    inline_blob(&b, "go1.22.1", "dep\ta.org/a\tv1\n=>\tb.org/b\tv2\t\n=>\tc.org/c\tv3\t\n");
    expect_fail(f, &b, BH_EPARSE, "no module before");
    /* the pointer format needs the executable around it */
    inline_blob(&b, "go1.22.1", MODINFO);
    b.d[15] = 0;
    expect_fail(f, &b, BH_EUNSUPPORTED, "pointer format");
}

static void test_go_magic(void **state)
{
    unsigned char d[96];

    (void)state;
    memset(d, 'x', sizeof(d));
    memcpy(d + 3, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
    memcpy(d + 48, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
    /* the copy at 3 is not 16-aligned from base 0; the one at 48 is */
    assert_int_equal(bh_gobin_find_magic(d, sizeof(d), 0), 48);
    /* from base 13, offset 3 is file offset 16 */
    assert_int_equal(bh_gobin_find_magic(d, sizeof(d), 13), 3);
    assert_int_equal(bh_gobin_find_magic(d, 60, 1), -1);
    assert_int_equal(bh_gobin_find_magic(d, 10, 0), -1);

    assert_true(bh_gobin_is_exec("\x7f"
                                 "ELF\x02",
                                 5));
    assert_true(bh_gobin_is_exec("MZ\x90\x00", 4));
    assert_true(bh_gobin_is_exec("\xcf\xfa\xed\xfe", 4));
    assert_true(bh_gobin_is_exec("\xfe\xed\xfa\xce", 4));
    assert_false(bh_gobin_is_exec("\xca\xfe\xba\xbe", 4)); /* Java class / fat Mach-O */
    assert_false(bh_gobin_is_exec("#!/bin/sh\n", 10));
    assert_false(bh_gobin_is_exec("\x7f"
                                  "EL",
                                  3));
}

/* ---- Go: whole executables ------------------------------------------------------------------ */

#define VBASE 0x400000u

/*
 * A minimal ELF: the header, one PT_LOAD (RW) mapping the whole file at VBASE, build info at
 * file offset 0x200 (pointer format: pointers to string headers at 0x300 and 0x310/0x320,
 * their bytes from 0x400), and, when with_sections, a section table naming .go.buildinfo.
 */
static void elf_file(struct bytes *b, bool is64, bool be, bool pointers, bool with_sections,
                     const char *vers, const char *body)
{
    unsigned psz = is64 ? 8 : 4, ehsize = is64 ? 64 : 52, phsz = is64 ? 56 : 32;
    unsigned shsz = is64 ? 64 : 40;
    size_t mod_at, mod_n, shoff, i;
    static const char shstr[] = "\0.shstrtab\0.go.buildinfo\0";

    memset(b, 0, sizeof(*b));
    put(b,
        "\x7f"
        "ELF",
        4);
    pad_to(b, ehsize);
    b->d[4] = is64 ? 2 : 1;
    b->d[5] = be ? 2 : 1;
    b->d[6] = 1;
    set_int(b, 16, 2, 2, be); /* ET_EXEC */
    if (is64) {
        set_int(b, 32, ehsize, 8, be);
        set_int(b, 54, phsz, 2, be);
        set_int(b, 56, 1, 2, be);
    } else {
        set_int(b, 28, ehsize, 4, be);
        set_int(b, 42, phsz, 2, be);
        set_int(b, 44, 1, 2, be);
    }
    /* PT_LOAD, PF_R|PF_W, offset 0, vaddr VBASE; sizes patched at the end */
    put_int(b, 1, 4, be);
    if (is64) {
        put_int(b, 6, 4, be);
        put_int(b, 0, 8, be);
        put_int(b, VBASE, 8, be);
        put_int(b, VBASE, 8, be);
        put_int(b, 0, 8, be);
        put_int(b, 0, 8, be);
        put_int(b, 0x1000, 8, be);
    } else {
        put_int(b, 0, 4, be);
        put_int(b, VBASE, 4, be);
        put_int(b, VBASE, 4, be);
        put_int(b, 0, 4, be);
        put_int(b, 0, 4, be);
        put_int(b, 6, 4, be);
        put_int(b, 0x1000, 4, be);
    }
    /* a decoy: the magic as a string constant in read-only data, followed by code bytes */
    pad_to(b, 0x100);
    put(b, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
    put_str(b, "\x48\x89\xe5\x90\x90\x90");
    pad_to(b, 0x200);
    put(b, BH_GOBIN_MAGIC, BH_GOBIN_MAGIC_LEN);
    if (!pointers) {
        b->d[b->n++] = (unsigned char)psz;
        b->d[b->n++] = 2;
        pad_to(b, 0x220);
        put_uvarint(b, strlen(vers));
        put_str(b, vers);
        put_uvarint(b, strlen(body) + 32);
        put_modinfo(b, body);
    } else {
        b->d[b->n++] = (unsigned char)psz;
        b->d[b->n++] = be ? 1 : 0;
        put_int(b, VBASE + 0x300, psz, be);
        put_int(b, VBASE + 0x300 + 2 * psz, psz, be);
        pad_to(b, 0x300);
        mod_n = strlen(body) + 32;
        mod_at = 0x400 + strlen(vers);
        put_int(b, VBASE + 0x400, psz, be);
        put_int(b, strlen(vers), psz, be);
        put_int(b, VBASE + mod_at, psz, be);
        put_int(b, mod_n, psz, be);
        pad_to(b, 0x400);
        put_str(b, vers);
        put_modinfo(b, body);
    }
    if (with_sections) {
        size_t str_at;
        pad_to(b, (b->n + 15) & ~(size_t)15);
        str_at = b->n;
        put(b, shstr, sizeof(shstr));
        pad_to(b, (b->n + 7) & ~(size_t)7);
        shoff = b->n;
        /* null section, .shstrtab (type 3), .go.buildinfo (type 1 at 0x200) */
        for (i = 0; i < 3; i++) {
            size_t at = b->n;
            pad_to(b, at + shsz);
            if (i == 0)
                continue;
            set_int(b, at, i == 1 ? 1 : 11, 4, be);
            set_int(b, at + 4, i == 1 ? 3 : 1, 4, be);
            if (is64) {
                set_int(b, at + 24, i == 1 ? str_at : 0x200, 8, be);
                set_int(b, at + 32, i == 1 ? sizeof(shstr) : 0x100, 8, be);
            } else {
                set_int(b, at + 16, i == 1 ? str_at : 0x200, 4, be);
                set_int(b, at + 20, i == 1 ? sizeof(shstr) : 0x100, 4, be);
            }
        }
        if (is64) {
            set_int(b, 40, shoff, 8, be);
            set_int(b, 58, shsz, 2, be);
            set_int(b, 60, 3, 2, be);
            set_int(b, 62, 1, 2, be);
        } else {
            set_int(b, 32, shoff, 4, be);
            set_int(b, 46, shsz, 2, be);
            set_int(b, 48, 3, 2, be);
            set_int(b, 50, 1, 2, be);
        }
    }
    /* p_filesz and p_memsz: the whole file */
    if (is64) {
        set_int(b, ehsize + 32, b->n, 8, be);
        set_int(b, ehsize + 40, b->n, 8, be);
    } else {
        set_int(b, ehsize + 16, b->n, 4, be);
        set_int(b, ehsize + 20, b->n, 4, be);
    }
}

static const char SMALL_MODINFO[] = "path\tx.org/tool\n"
                                    "mod\tx.org/tool\tv1.4.0\th1:x=\n"
                                    "dep\tgopkg.in/yaml.v2\tv2.4.0\th1:y=\n";

static void check_small(struct fix *f, const char *stdlib)
{
    assert_int_equal(f->ps.n, 3);
    expect(f, "x.org/tool", "v1.4.0", "pkg:golang/x.org/tool@v1.4.0");
    expect(f, "gopkg.in/yaml.v2", "v2.4.0", "pkg:golang/gopkg.in/yaml.v2@v2.4.0");
    expect(f, "stdlib", stdlib, NULL);
}

static void test_go_elf_pointer_formats(void **state)
{
    static const struct {
        bool is64, be, sections;
    } cases[] = {
        {true, false, true},
        {true, true, false},
        {false, false, false},
        {false, true, true},
    };
    struct fix *f = *state;
    static struct bytes b;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f->ps.n = 0;
        elf_file(&b, cases[i].is64, cases[i].be, true, cases[i].sections, "go1.16.15",
                 SMALL_MODINFO);
        bh_err_init(&f->err);
        if (bh_gobin_read(&f->a, "bin/tool", b.d, b.n, 1, &f->ps, &f->err) != 0)
            fail_msg("case %zu: %s", i, f->err.msg);
        check_small(f, "v1.16.15");
    }
}

static void test_go_elf_inline(void **state)
{
    struct fix *f = *state;
    static struct bytes b;

    elf_file(&b, true, false, false, true, "go1.21.3", SMALL_MODINFO);
    assert_int_equal(bh_gobin_read(&f->a, "bin/tool", b.d, b.n, 0, &f->ps, &f->err), 0);
    check_small(f, "v1.21.3");
    /* without section headers: found by the search past the decoy */
    f->ps.n = 0;
    elf_file(&b, false, true, false, false, "go1.21.3", SMALL_MODINFO);
    assert_int_equal(bh_gobin_read(&f->a, "bin/tool", b.d, b.n, 0, &f->ps, &f->err), 0);
    check_small(f, "v1.21.3");
}

static void test_go_elf_damaged(void **state)
{
    struct fix *f = *state;
    static struct bytes b;
    struct bytes blob;

    /* the module info string header points outside every segment */
    elf_file(&b, true, false, true, true, "go1.16.15", SMALL_MODINFO);
    set_int(&b, 0x200 + 16 + 8, 0x900000, 8, false);
    assert_int_equal(bh_gobin_read(&f->a, "t", b.d, b.n, 0, &f->ps, &f->err), BH_EPARSE);
    assert_int_equal(f->ps.n, 0);
    assert_non_null(strstr(f->err.msg, "not in the file"));
    /* a string whose length runs past the segment */
    elf_file(&b, true, false, true, true, "go1.16.15", SMALL_MODINFO);
    set_int(&b, 0x300 + 8, 0x100000, 8, false);
    assert_int_equal(bh_gobin_read(&f->a, "t", b.d, b.n, 0, &f->ps, &f->err), BH_EPARSE);
    /* a string longer than BH_MAX_GOBUILDINFO */
    elf_file(&b, false, true, true, false, "go1.16.15", SMALL_MODINFO);
    set_int(&b, 0x300 + 4, (uint64_t)BH_MAX_GOBUILDINFO + 1, 4, true);
    assert_int_equal(bh_gobin_read(&f->a, "t", b.d, b.n, 0, &f->ps, &f->err), BH_ELIMIT);
    /* program headers claimed past the end of the file: no mapping, so no strings */
    elf_file(&b, true, false, true, true, "go1.16.15", SMALL_MODINFO);
    set_int(&b, 56, 0xffff, 2, false);
    assert_int_equal(bh_gobin_read(&f->a, "t", b.d, b.n, 0, &f->ps, &f->err), BH_EPARSE);
    /* the same blob in a PE file: the pointer format is not followed there */
    elf_file(&b, true, false, true, false, "go1.16.15", SMALL_MODINFO);
    memcpy(b.d, "MZ\x90\x00", 4);
    assert_int_equal(bh_gobin_read(&f->a, "t.exe", b.d, b.n, 0, &f->ps, &f->err), BH_EUNSUPPORTED);
    /* an executable without build info, and a blob that is no executable, add nothing */
    elf_file(&b, true, false, false, true, "go1.21.3", SMALL_MODINFO);
    memset(b.d + 0x200, 0, 16);
    assert_int_equal(bh_gobin_read(&f->a, "t", b.d, b.n, 0, &f->ps, &f->err), 0);
    inline_blob(&blob, "go1.22.1", MODINFO);
    assert_int_equal(bh_gobin_read(&f->a, "t", blob.d, blob.n, 0, &f->ps, &f->err), 0);
    assert_int_equal(f->ps.n, 0);
}

/* ---- Java: stored zip archives --------------------------------------------------------------- */

static uint32_t crc32_of(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t c = 0xffffffffu;
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        c ^= s[i];
        for (k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

struct member {
    const char *name;
    const void *data;
    size_t len; /* 0: strlen(data) */
};

/* A zip with every member stored (method 0) and a central directory; returns its size. */
static size_t zip(unsigned char *out, size_t cap, const struct member *m, size_t n)
{
    static struct bytes b, cd;
    size_t i, len, offs[16];

    assert_true(n <= 16);
    b.n = cd.n = 0;
    for (i = 0; i < n; i++) {
        len = m[i].len ? m[i].len : strlen(m[i].data);
        offs[i] = b.n;
        put_int(&b, 0x04034b50, 4, false);
        put_int(&b, 20, 2, false);
        put_int(&b, 0, 2, false);
        put_int(&b, 0, 2, false);
        put_int(&b, 0, 2, false);
        put_int(&b, 0x21, 2, false);
        put_int(&b, crc32_of(m[i].data, len), 4, false);
        put_int(&b, len, 4, false);
        put_int(&b, len, 4, false);
        put_int(&b, strlen(m[i].name), 2, false);
        put_int(&b, 0, 2, false);
        put_str(&b, m[i].name);
        put(&b, m[i].data, len);
    }
    for (i = 0; i < n; i++) {
        len = m[i].len ? m[i].len : strlen(m[i].data);
        put_int(&cd, 0x02014b50, 4, false);
        put_int(&cd, 20, 2, false);
        put_int(&cd, 20, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0x21, 2, false);
        put_int(&cd, crc32_of(m[i].data, len), 4, false);
        put_int(&cd, len, 4, false);
        put_int(&cd, len, 4, false);
        put_int(&cd, strlen(m[i].name), 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 2, false);
        put_int(&cd, 0, 4, false);
        put_int(&cd, offs[i], 4, false);
        put_str(&cd, m[i].name);
    }
    len = b.n;
    put(&b, cd.d, cd.n);
    put_int(&b, 0x06054b50, 4, false);
    put_int(&b, 0, 2, false);
    put_int(&b, 0, 2, false);
    put_int(&b, n, 2, false);
    put_int(&b, n, 2, false);
    put_int(&b, cd.n, 4, false);
    put_int(&b, len, 4, false);
    put_int(&b, 0, 2, false);
    assert_true(b.n <= cap);
    memcpy(out, b.d, b.n);
    return b.n;
}

static int java(struct fix *f, const char *file, const unsigned char *d, size_t n)
{
    bh_err_init(&f->err);
    return bh_java_read(&f->a, file, d, n, 4, &f->ps, &f->err);
}

static const struct bh_package *find_at(const struct fix *f, const char *name, const char *path)
{
    size_t i;

    for (i = 0; i < f->ps.n; i++)
        if (strcmp(f->ps.v[i].name, name) == 0 && strcmp(f->ps.v[i].path, path) == 0)
            return &f->ps.v[i];
    return NULL;
}

static void test_java_pom(void **state)
{
    struct fix *f = *state;
    static unsigned char z[8192];
    const struct member m[] = {
        {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Version: 9\r\n\r\n", 0},
        {"META-INF/maven/org.acme/core/pom.properties",
         "#Generated by Maven\n#Tue Jan 01 2020\nversion=2.3.4\ngroupId=org.acme\n"
         "artifactId=core\n",
         0},
        /* separators, leading blanks, '!' comments, \r\n and \r line ends, a continuation */
        {"META-INF/maven/org.acme/extra/pom.properties",
         "! comment\r\n   groupId : org.acme\rartifactId\textra\r\nversion = 1.\\\n     0.\\\n"
         "  7\n",
         0},
        /* escapes: \u0031 is '1', "\:" a literal colon inside a key is not ours */
        {"META-INF/maven/org.esc/esc/pom.properties",
         "groupId=org.esc\nartifactId=esc\nversion=\\u0031.\\u0030-r\\c\nver\\:sion=9\n", 0},
        /* keys missing: the path supplies group and artifact */
        {"META-INF/maven/com.path/from-path/pom.properties", "version=5.0\n", 0},
        /* no version: nothing */
        {"META-INF/maven/com.none/none/pom.properties", "groupId=com.none\n", 0},
        /* the same G:A:V again (a shaded copy) */
        {"META-INF/maven/org.acme/core-copy/pom.properties",
         "groupId=org.acme\nartifactId=core\nversion=2.3.4\n", 0},
        /* a later line wins, as in java.util.Properties */
        {"META-INF/maven/org.twice/twice/pom.properties", "version=1\nversion=2\n", 0},
        {"META-INF/maven/not/a/pom/path/pom.properties", "version=1\n", 0},
    };
    size_t n = zip(z, sizeof(z), m, sizeof(m) / sizeof(m[0]));

    assert_int_equal(java(f, "app/lib/core-9.jar", z, n), 0);
    expect(f, "org.acme:core", "2.3.4", "pkg:maven/org.acme/core@2.3.4");
    expect(f, "org.acme:extra", "1.0.7", NULL);
    expect(f, "org.esc:esc", "1.0-rc", NULL);
    expect(f, "com.path:from-path", "5.0", "pkg:maven/com.path/from-path@5.0");
    expect(f, "org.twice:twice", "2", NULL);
    assert_null(find(f, "com.none:none"));
    /* pom.properties present: the manifest and the file name are not used */
    assert_null(find(f, "core"));
    assert_int_equal(f->ps.n, 5);
    assert_int_equal(f->ps.v[0].kind, BH_PKG_MAVEN);
    assert_int_equal(f->ps.v[0].layer, 4);
    assert_string_equal(f->ps.v[0].path, "app/lib/core-9.jar");
    /* a malformed \u is an error naming the archive and the line */
    {
        const struct member bad[] = {
            {"META-INF/maven/a/b/pom.properties", "groupId=a\nversion=\\u12G4\n", 0},
        };
        f->ps.n = 0;
        n = zip(z, sizeof(z), bad, 1);
        assert_int_equal(java(f, "bad.jar", z, n), BH_EPARSE);
        assert_int_equal(f->err.line, 2);
        assert_non_null(strstr(f->err.msg, "bad.jar"));
        assert_int_equal(f->ps.n, 0);
    }
}

static void test_java_manifest(void **state)
{
    struct fix *f = *state;
    static unsigned char z[8192];
    /* a value continued over three lines (72-byte lines, each continuation starts with ' ') */
    static const char mf1[] =
        "Manifest-Version: 1.0\r\n"
        "Implementation-Title: widget\r\n"
        "Implementation-Version: 4.5.6-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
        " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n"
        " cc\r\n"
        "implementation-vendor-id: org.widgets\r\n"
        "\r\n"
        "Name: org/widgets/\r\n"
        "Implementation-Version: 0.0.1\r\n";
    static const char mf2[] = "Manifest-Version: 1.0\n"
                              "Implementation-Title: Apache Thing Library\n"
                              "Bundle-SymbolicName: org.apache.thing;singleton:=true\n"
                              "Bundle-Version: 2.0.1.v2020\n";
    /* a version but only a multi-word title: the name comes from the file name */
    static const char mf3[] = "Specification-Title: Some Spec\nSpecification-Version: 3.1\n";
    const struct member m1[] = {{"META-INF/MANIFEST.MF", mf1, 0}};
    const struct member m2[] = {{"META-INF/MANIFEST.MF", mf2, 0}};
    const struct member m3[] = {{"META-INF/MANIFEST.MF", mf3, 0}};
    const struct member m4[] = {{"README", "x", 0}};
    size_t n;

    n = zip(z, sizeof(z), m1, 1);
    assert_int_equal(java(f, "w.jar", z, n), 0);
    assert_int_equal(f->ps.n, 1);
    expect(f, "org.widgets:widget",
           "4.5.6-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
           "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbcc",
           NULL);
    f->ps.n = 0;
    n = zip(z, sizeof(z), m2, 1);
    assert_int_equal(java(f, "x/thing.jar", z, n), 0);
    assert_int_equal(f->ps.n, 1);
    expect(f, "org.apache.thing", "2.0.1.v2020", "pkg:maven/org.apache.thing@2.0.1.v2020");
    f->ps.n = 0;
    n = zip(z, sizeof(z), m3, 1);
    assert_int_equal(java(f, "spec-api-9.9.jar", z, n), 0);
    expect(f, "spec-api", "3.1", NULL);
    /* nothing inside: the file name alone */
    f->ps.n = 0;
    n = zip(z, sizeof(z), m4, 1);
    assert_int_equal(java(f, "/opt/app/commons-lang3-3.12.0.jar", z, n), 0);
    expect(f, "commons-lang3", "3.12.0", "pkg:maven/commons-lang3@3.12.0");
    f->ps.n = 0;
    assert_int_equal(java(f, "spring-core-5.3.0-SNAPSHOT.jar", z, n), 0);
    expect(f, "spring-core", "5.3.0-SNAPSHOT", NULL);
    f->ps.n = 0;
    assert_int_equal(java(f, "my-lib-v2.jar", z, n), 0);
    assert_int_equal(java(f, "app.jar", z, n), 0);
    assert_int_equal(f->ps.n, 0);
}

static void test_java_nested(void **state)
{
    struct fix *f = *state;
    static unsigned char inner[4096], war[8192], ear[16384], lvl[6][16384];
    const struct member mi[] = {
        {"META-INF/maven/org.lib/lib/pom.properties",
         "groupId=org.lib\nartifactId=lib\nversion=1.1\n", 0},
    };
    size_t in_n = zip(inner, sizeof(inner), mi, 1), war_n, ear_n, n;
    const struct member mw[] = {
        {"WEB-INF/lib/lib-1.1.jar", inner, in_n},
        {"WEB-INF/lib/fake.jar", "not a zip", 0},
        {"./BOOT-INF/lib/lib-1.1.jar", inner, in_n},
    };
    int i;

    war_n = zip(war, sizeof(war), mw, 3);
    const struct member me[] = {{"web.war", war, war_n}};
    ear_n = zip(ear, sizeof(ear), me, 1);
    assert_int_equal(java(f, "srv/app-3.0.ear", ear, ear_n), 0);
    assert_non_null(find_at(f, "org.lib:lib", "srv/app-3.0.ear!/web.war!/WEB-INF/lib/lib-1.1.jar"));
    assert_non_null(
        find_at(f, "org.lib:lib", "srv/app-3.0.ear!/web.war!/BOOT-INF/lib/lib-1.1.jar"));
    /* the EAR's own fallback is its file name; the WAR has neither pom nor versioned name */
    assert_non_null(find_at(f, "app", "srv/app-3.0.ear"));
    assert_int_equal(f->ps.n, 3);

    /* BH_MAX_JAR_DEPTH levels inside are read; one more fails the whole archive */
    memcpy(lvl[0], inner, in_n);
    n = in_n;
    for (i = 1; i <= (int)BH_MAX_JAR_DEPTH + 1; i++) {
        const struct member ml[] = {{"lib/x.jar", lvl[i - 1], n}};
        n = zip(lvl[i], sizeof(lvl[i]), ml, 1);
        if (i == (int)BH_MAX_JAR_DEPTH) {
            f->ps.n = 0;
            assert_int_equal(java(f, "d.jar", lvl[i], n), 0);
            assert_int_equal(f->ps.n, 1);
            expect(f, "org.lib:lib", "1.1", NULL);
        }
    }
    f->ps.n = 0;
    assert_int_equal(java(f, "d.jar", lvl[BH_MAX_JAR_DEPTH + 1], n), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_JAR_DEPTH"));
    assert_int_equal(f->ps.n, 0);
}

static void test_java_bad(void **state)
{
    struct fix *f = *state;
    static unsigned char z[4096];
    const struct member m[] = {
        {"META-INF/maven/org.lib/lib/pom.properties", "groupId=g\nartifactId=a\nversion=1\n", 0},
    };
    size_t n = zip(z, sizeof(z), m, 1);

    assert_int_equal(java(f, "x.jar", (const unsigned char *)"hello", 5), BH_EPARSE);
    assert_int_equal(java(f, "x.jar", z, (size_t)BH_MAX_JAR_BYTES + 1), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_JAR_BYTES"));
    /* cut inside the member's data: the walker's parse error, nothing added */
    assert_int_equal(java(f, "cut.jar", z, 60), BH_EPARSE);
    assert_int_equal(f->ps.n, 0);
    assert_int_equal(java(f, "ok.jar", z, n), 0);
    expect(f, "g:a", "1", "pkg:maven/g/a@1");

    assert_true(bh_java_wants("usr/share/java/x.jar"));
    assert_true(bh_java_wants("A.WAR"));
    assert_true(bh_java_wants("plugins/git.hpi"));
    assert_true(bh_java_wants("x.ear") && bh_java_wants("x.jpi") && bh_java_wants("x.par"));
    assert_false(bh_java_wants("x.jar.sha1"));
    assert_false(bh_java_wants("dir/.jar"));
    assert_false(bh_java_wants("jar"));
    assert_false(bh_java_wants(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_go_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_stdlib_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_no_modules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_magic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_elf_pointer_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_elf_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_elf_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_java_pom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_java_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_java_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_java_bad, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
