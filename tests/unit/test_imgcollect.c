/*
 * test_imgcollect.c - the layer collector: which files are captured, how whiteout markers
 * are named, captures, secret hits and unreadable Java archives, on tars built here; then
 * whole images from other projects' test data (docker save archives with whiteouts)
 * collected layer by layer and merged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "shared_images.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/reader.h"
#include "input/imgcollect.h"
#include "input/imgsrc.h"
#include "input/secretscan.h"
#include "model/image.h"

#include <unistd.h>

#define MUTATE "go-containerregistry/pkg-v1-mutate-testdata/"

struct fx {
    struct bh_arena a;
    struct bh_err err;
    struct bh_secretscan *ss;
    /* a tar being built */
    char *tar;
    size_t len, cap;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 512u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    if (f->ss)
        bh_secretscan_free(f->ss);
    free(f->tar);
    bh_arena_release(&f->a);
    free(f);
    return 0;
}

/* ------------------------------------------------------------ a ustar writer */

static void tar_bytes(struct fx *f, const void *p, size_t n)
{
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 65536;
        char *nt;

        while (cap < f->len + n)
            cap *= 2;
        nt = realloc(f->tar, cap);
        assert_non_null(nt);
        f->tar = nt;
        f->cap = cap;
    }
    memcpy(f->tar + f->len, p, n);
    f->len += n;
}

static void octal(char *field, size_t width, unsigned long long v)
{
    snprintf(field, width, "%0*llo", (int)width - 1, v);
}

/* One member: type '0' file, '5' directory, '2' symlink, '1' hard link. */
static void tar_add(struct fx *f, const char *name, char type, const void *content, size_t n,
                    const char *link)
{
    unsigned char h[512];
    unsigned sum = 0;
    size_t i;
    static const char zeros[512];

    memset(h, 0, sizeof(h));
    assert_true(strlen(name) < 100);
    memcpy(h, name, strlen(name));
    octal((char *)h + 100, 8, type == '5' ? 0755 : 0644);
    octal((char *)h + 108, 8, 0);
    octal((char *)h + 116, 8, 0);
    octal((char *)h + 124, 12, type == '0' ? n : 0);
    octal((char *)h + 136, 12, 1700000000);
    memset(h + 148, ' ', 8);
    h[156] = (unsigned char)type;
    if (link)
        memcpy(h + 157, link, strlen(link));
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    for (i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    tar_bytes(f, h, 512);
    if (type == '0' && n) {
        tar_bytes(f, content, n);
        if (n % 512)
            tar_bytes(f, zeros, 512 - n % 512);
    }
}

static void tar_file(struct fx *f, const char *name, const char *text)
{
    tar_add(f, name, '0', text, strlen(text), NULL);
}

static void tar_end(struct fx *f)
{
    static const char zeros[1024];

    tar_bytes(f, zeros, sizeof(zeros));
}

static int collect_mem(struct fx *f, bool secrets, struct bh_imgpart *part)
{
    struct bh_reader rd;
    struct bh_memreader m;
    struct bh_layer_stats st;
    struct bh_imgcollect_opts o;

    memset(&o, 0, sizeof(o));
    if (secrets) {
        if (!f->ss && bh_secretscan_new(&f->ss, &f->err) != 0)
            fail_msg("secretscan: %s", f->err.msg);
        o.secrets = f->ss;
    }
    bh_reader_mem(&rd, &m, f->tar, f->len, "test.tar");
    return bh_imgcollect_layer(&f->a, &rd, BH_LAYER_COMP_UNKNOWN, "test.tar", 3, &o, part, &st,
                               &f->err);
}

static const struct bh_imgfile *part_file(const struct bh_imgpart *p, const char *path,
                                          enum bh_ftype type)
{
    size_t i;

    for (i = 0; i < p->nfiles; i++)
        if (strcmp(p->files[i].path, path) == 0 && p->files[i].type == type)
            return &p->files[i];
    fail_msg("no entry '%s' of type %d in the part", path, (int)type);
    return NULL;
}

static const struct bh_imgcapture *part_capture(const struct bh_imgpart *p, const char *path)
{
    size_t i;

    for (i = 0; i < p->ncaptures; i++)
        if (strcmp(p->captures[i].path, path) == 0)
            return &p->captures[i];
    return NULL;
}

/* -------------------------------------------------------------------- tests */

static void wants_the_listed_files(void **state)
{
    static const char *const yes[] = {
        "etc/passwd",
        "etc/shadow",
        "etc/group",
        "etc/gshadow",
        "etc/master.passwd",
        "etc/os-release",
        "usr/lib/os-release",
        "etc/debian_version",
        "etc/alpine-release",
        "etc/redhat-release",
        "etc/centos-release",
        "etc/system-release",
        "etc/lsb-release",
        "etc/sudoers",
        "etc/sudoers.d/90-cloud",
        "etc/apt/sources.list",
        "etc/apt/sources.list.d/docker.list",
        "etc/apt/apt.conf.d/99insecure",
        "etc/apk/repositories",
        "etc/yum.repos.d/epel.repo",
        "etc/zypp/repos.d/oss.repo",
        "etc/dnf/dnf.conf",
        "etc/yum.conf",
        "var/lib/dpkg/status",
        "var/lib/dpkg/status.d/libc6",
        "lib/apk/db/installed",
        "var/lib/rpm/Packages",
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
    };
    static const char *const no[] = {
        "/etc/passwd",
        "etc/passwd-",
        "etc/passwd/x",
        "xetc/passwd",
        "etc/sudoers.d",
        "etc/sudoers.d/",
        "etc/sudoers.d/a/b",
        "etc/yum.repos.d/a.txt",
        "etc/yum.repos.d/.repo/x",
        "var/lib/rpm",
        "usr/etc/passwd",
        "etc/apt/sources.list.save",
        "var/lib/dpkg/info/x",
        "",
        "etc/zypp/repos.d/a.repox",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        if (!bh_imgcollect_wants(yes[i]))
            fail_msg("not wanted: %s", yes[i]);
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        if (bh_imgcollect_wants(no[i]))
            fail_msg("wanted: %s", no[i]);
}

static void names_whiteouts_and_captures(void **state)
{
    struct fx *f = *state;
    struct bh_imgpart p;
    const struct bh_imgcapture *c;
    const struct bh_imgfile *e;
    char *big;
    size_t i;

    tar_add(f, "./", '5', NULL, 0, NULL);
    tar_add(f, "etc/", '5', NULL, 0, NULL);
    tar_file(f, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    tar_file(f, "etc/.wh.shadow", "");
    tar_file(f, "usr/share/.wh..wh..opq", "");
    tar_file(f, ".wh..wh..opq", "");
    tar_file(f, ".wh..wh.plnk/123.456", "");
    tar_file(f, ".wh.top", "");
    tar_file(f, "etc/.wh..", ""); /* would reach the parent: kept as it is */
    tar_add(f, "bin/sh", '2', NULL, 0, "/bin/busybox");
    tar_add(f, "bin/ash", '1', NULL, 0, "bin/busybox");
    tar_file(f, "etc/os-release", ""); /* empty, still captured */
    big = malloc(BH_MAX_CAPTURE_BYTES + 10);
    assert_non_null(big);
    memset(big, 'a', BH_MAX_CAPTURE_BYTES + 10);
    tar_add(f, "etc/sudoers", '0', big, BH_MAX_CAPTURE_BYTES + 10, NULL);
    /* package databases have the larger limit: the same size is kept whole */
    tar_add(f, "var/lib/dpkg/status", '0', big, BH_MAX_CAPTURE_BYTES + 10, NULL);
    free(big);
    tar_file(f, "etc/group", "root:x:0:\n");
    tar_end(f);
    assert_int_equal(collect_mem(f, false, &p), 0);

    assert_int_equal(p.nfiles, 15);
    for (i = 0; i < p.nfiles; i++)
        assert_int_equal(p.files[i].layer, 3);
    e = part_file(&p, "", BH_FT_DIR);
    e = part_file(&p, "etc/passwd", BH_FT_REG);
    assert_int_equal(e->size, 30);
    assert_int_equal(e->mode, 0644);
    part_file(&p, "etc/shadow", BH_FT_WHITEOUT);
    part_file(&p, "usr/share", BH_FT_OPAQUE);
    part_file(&p, "", BH_FT_OPAQUE);
    part_file(&p, ".wh..wh.plnk/123.456", BH_FT_OTHER);
    part_file(&p, "top", BH_FT_WHITEOUT);
    part_file(&p, "etc/.wh..", BH_FT_OTHER);
    e = part_file(&p, "bin/sh", BH_FT_SYMLINK);
    assert_string_equal(e->link, "/bin/busybox");
    e = part_file(&p, "bin/ash", BH_FT_HARDLINK);
    assert_string_equal(e->link, "bin/busybox");

    assert_int_equal(p.ncaptures, 5);
    c = part_capture(&p, "etc/passwd");
    assert_non_null(c);
    assert_int_equal(c->layer, 3);
    assert_string_equal(c->data, "root:x:0:0:root:/root:/bin/sh\n");
    assert_int_equal(c->len, 30);
    assert_false(c->truncated);
    c = part_capture(&p, "etc/os-release");
    assert_non_null(c);
    assert_int_equal(c->len, 0);
    assert_string_equal(c->data, "");
    c = part_capture(&p, "etc/sudoers");
    assert_non_null(c);
    assert_true(c->truncated);
    assert_int_equal(c->len, BH_MAX_CAPTURE_BYTES);
    assert_int_equal(c->data[BH_MAX_CAPTURE_BYTES], '\0');
    c = part_capture(&p, "var/lib/dpkg/status");
    assert_non_null(c);
    assert_false(c->truncated);
    assert_int_equal(c->len, BH_MAX_CAPTURE_BYTES + 10);
    /* the content after the big one was still read right */
    c = part_capture(&p, "etc/group");
    assert_non_null(c);
    assert_string_equal(c->data, "root:x:0:\n");
    assert_null(part_capture(&p, "bin/sh"));
    assert_int_equal(p.nsecrets, 0);
}

#define GH_TOKEN "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"

static void scans_text_files_for_secrets(void **state)
{
    struct fx *f = *state;
    struct bh_imgpart p;
    char bin[64];
    char *big;
    size_t i, n;

    tar_file(f, "app/config.yml", "name: x\ntoken: " GH_TOKEN "\n");
    /* the same text after a NUL byte: a binary, not scanned */
    memset(bin, 0, sizeof(bin));
    n = (size_t)snprintf(bin + 1, sizeof(bin) - 1, "token: %s\n", GH_TOKEN) + 1;
    tar_add(f, "app/blob.bin", '0', bin, n, NULL);
    /* larger than BH_MAX_SECRET_SCAN_BYTES: skipped */
    big = malloc(BH_MAX_SECRET_SCAN_BYTES + 100);
    assert_non_null(big);
    memset(big, 'x', BH_MAX_SECRET_SCAN_BYTES + 100);
    for (i = 79; i < BH_MAX_SECRET_SCAN_BYTES + 100; i += 80)
        big[i] = '\n';
    memcpy(big, GH_TOKEN, strlen(GH_TOKEN));
    big[strlen(GH_TOKEN)] = '\n'; /* the token alone on line 1 */
    tar_add(f, "app/huge.txt", '0', big, BH_MAX_SECRET_SCAN_BYTES + 100, NULL);
    /* exactly at the limit: scanned */
    tar_add(f, "app/edge.txt", '0', big, BH_MAX_SECRET_SCAN_BYTES, NULL);
    free(big);
    tar_file(f, "etc/passwd", "root:x:0:0::/root:/bin/sh\n# " GH_TOKEN "\n");
    tar_end(f);

    assert_int_equal(collect_mem(f, false, &p), 0);
    assert_int_equal(p.nsecrets, 0); /* no scanner, no hits */
    assert_int_equal(collect_mem(f, true, &p), 0);
    assert_int_equal(p.nsecrets, 3);
    assert_string_equal(p.secrets[0].path, "app/config.yml");
    assert_string_equal(p.secrets[0].kind, "github-token");
    assert_int_equal(p.secrets[0].line, 2);
    assert_int_equal(p.secrets[0].layer, 3);
    assert_null(strstr(p.secrets[0].excerpt, GH_TOKEN)); /* redacted */
    /* the hit shares its file's path (the merge groups hits by it) */
    assert_ptr_equal(p.secrets[0].path, part_file(&p, "app/config.yml", BH_FT_REG)->path);
    assert_string_equal(p.secrets[1].path, "app/edge.txt");
    assert_int_equal(p.secrets[1].line, 1);
    /* a captured file is scanned too */
    assert_string_equal(p.secrets[2].path, "etc/passwd");
    assert_int_equal(p.secrets[2].line, 2);
    assert_non_null(part_capture(&p, "etc/passwd"));
}

static void corrupt_layer_fails(void **state)
{
    struct fx *f = *state;
    struct bh_imgpart p;

    tar_file(f, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    f->len -= 300; /* cut inside the content */
    assert_true(collect_mem(f, false, &p) < 0);
    assert_true(f->err.msg[0] != '\0');
}

/* ------------------------------------------------------------ Java archives */

/* A zip being built: stored members, then the central directory. */
struct zipw {
    unsigned char buf[8192];
    size_t len;
    unsigned char cd[2048];
    size_t cdlen;
    unsigned n;
};

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void le(unsigned char *p, uint32_t v, int bytes)
{
    int i;

    for (i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void zip_add(struct zipw *z, const char *name, const void *data, size_t n)
{
    size_t nl = strlen(name);
    uint32_t crc = crc32_of(data, n);
    unsigned char *h = z->buf + z->len, *c = z->cd + z->cdlen;

    assert_true(z->len + 30 + nl + n <= sizeof(z->buf) && z->cdlen + 46 + nl <= sizeof(z->cd));
    memset(h, 0, 30);
    le(h, 0x04034b50u, 4);
    le(h + 4, 20, 2);
    le(h + 14, crc, 4);
    le(h + 18, (uint32_t)n, 4);
    le(h + 22, (uint32_t)n, 4);
    le(h + 26, (uint32_t)nl, 2);
    memcpy(h + 30, name, nl);
    memcpy(h + 30 + nl, data, n);
    memset(c, 0, 46);
    le(c, 0x02014b50u, 4);
    le(c + 4, 20, 2);
    le(c + 6, 20, 2);
    le(c + 16, crc, 4);
    le(c + 20, (uint32_t)n, 4);
    le(c + 24, (uint32_t)n, 4);
    le(c + 28, (uint32_t)nl, 2);
    le(c + 42, (uint32_t)z->len, 4);
    memcpy(c + 46, name, nl);
    z->len += 30 + nl + n;
    z->cdlen += 46 + nl;
    z->n++;
}

static void zip_end(struct zipw *z)
{
    unsigned char *e;

    assert_true(z->len + z->cdlen + 22 <= sizeof(z->buf));
    memcpy(z->buf + z->len, z->cd, z->cdlen);
    e = z->buf + z->len + z->cdlen;
    memset(e, 0, 22);
    le(e, 0x06054b50u, 4);
    le(e + 8, z->n, 2);
    le(e + 10, z->n, 2);
    le(e + 12, (uint32_t)z->cdlen, 4);
    le(e + 16, (uint32_t)z->len, 4);
    z->len += z->cdlen + 22;
}

/* A jar with Maven's pom.properties for org.example:ARTIFACT 1.0 and some class bytes. */
static void make_jar(struct zipw *z, const char *artifact)
{
    char path[128], props[160];
    unsigned char cls[1500];
    size_t i;

    memset(z, 0, sizeof(*z));
    snprintf(path, sizeof(path), "META-INF/maven/org.example/%s/pom.properties", artifact);
    snprintf(props, sizeof(props), "groupId=org.example\nartifactId=%s\nversion=1.0\n", artifact);
    zip_add(z, path, props, strlen(props));
    for (i = 0; i < sizeof(cls); i++)
        cls[i] = (unsigned char)(i * 7);
    zip_add(z, "org/example/Main.class", cls, sizeof(cls));
    zip_end(z);
}

/*
 * Archives whose packages cannot be read (cut in half, not a zip, a cut archive inside a
 * good one) are errors of their file in the part, naming it once; the pass goes on.
 */
static void unreadable_archives_are_file_errors(void **state)
{
    struct fx *f = *state;
    struct bh_imgpart p;
    struct zipw good, inner, war;
    size_t i;

    make_jar(&good, "good");
    make_jar(&inner, "inner");
    memset(&war, 0, sizeof(war));
    {
        static const char props[] = "groupId=org.example\nartifactId=web\nversion=2.0\n";

        zip_add(&war, "META-INF/maven/org.example/web/pom.properties", props, strlen(props));
    }
    zip_add(&war, "WEB-INF/lib/inner.jar", inner.buf, inner.len / 2);
    zip_end(&war);
    tar_add(f, "app/good.jar", '0', good.buf, good.len, NULL);
    tar_add(f, "app/broken.jar", '0', inner.buf, inner.len / 2, NULL);
    tar_file(f, "app/notes.jar", "these are notes, not an archive\n");
    tar_add(f, "app/web.war", '0', war.buf, war.len, NULL);
    tar_file(f, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    tar_end(f);
    assert_int_equal(collect_mem(f, false, &p), 0);

    assert_int_equal(p.nerrors, 3);
    for (i = 0; i < p.nerrors; i++)
        assert_int_equal(p.errors[i].layer, 3);
    assert_string_equal(p.errors[0].path, "app/broken.jar");
    assert_string_equal(p.errors[1].path, "app/notes.jar");
    assert_string_equal(p.errors[2].path, "app/web.war");
    /* the file named once, at the start */
    assert_true(strncmp(p.errors[0].message, "app/broken.jar: ", 16) == 0);
    assert_null(strstr(p.errors[0].message + 1, "app/broken.jar"));
    assert_string_equal(p.errors[1].message, "app/notes.jar: not a zip archive");
    /* the nested archive named as the Java reader names it */
    assert_true(strncmp(p.errors[2].message, "app/web.war!/WEB-INF/lib/inner.jar: ", 36) == 0);
    /* the good archive read, the pass went on to the end */
    assert_true(p.npackages >= 1);
    assert_string_equal(p.packages[0].name, "org.example:good");
    assert_string_equal(p.packages[0].path, "app/good.jar");
    for (i = 0; i < p.npackages; i++)
        assert_string_not_equal(p.packages[i].path, "app/broken.jar");
    assert_int_equal(p.ncaptures, 1);
    assert_string_equal(p.captures[0].path, "etc/passwd");
}

/* ------------------------------------------------------------ real images */

struct img {
    struct bh_imgsrc *src;
    struct bh_imgpart parts[8];
    struct bh_layer_stats st[8];
    struct bh_image image;
};

static void collect_image(struct fx *f, const char *tar, const char *const *layers, size_t n,
                          struct img *im)
{
    size_t i;

    memset(im, 0, sizeof(*im));
    if (bh_imgsrc_open(&f->a, data(tar), &im->src, &f->err) != 0)
        fail_msg("open %s: %s", tar, f->err.msg);
    for (i = 0; i < n; i++) {
        struct bh_reader rd;

        if (bh_imgsrc_open_member(im->src, &f->a, layers[i], &rd, NULL, &f->err) != 0)
            fail_msg("open member %s: %s", layers[i], f->err.msg);
        if (bh_imgcollect_layer(&f->a, &rd, BH_LAYER_COMP_UNKNOWN, layers[i], (int)i, NULL,
                                &im->parts[i], &im->st[i], &f->err) != 0)
            fail_msg("collect %s: %s", layers[i], f->err.msg);
        bh_reader_close(&rd);
    }
    bh_imgsrc_close(im->src);
    if (bh_image_merge(&f->a, &im->image, im->parts, n, &f->err) != 0)
        fail_msg("merge: %s", f->err.msg);
}

/*
 * whiteout_image.tar, verified with `tar -xf` and `tar -tvf <id>/layer.tar`: manifest.json
 * lists three layers. Layer 0: "./", "./bar.txt", "./foo.txt" (4 bytes each, mode 0555).
 * Layer 1: "./", "./.wh.foo.txt". Layer 2: an empty tar (10240 zero bytes).
 */
static void whiteout_image(void **state)
{
    static const char *const layers[] = {
        "5f986a6829b24e82d482cf90b5a9bcff697b9aa9d6b57d2d229854f0e32de2b5/layer.tar",
        "b06a6174b68ccb97455ee08975579ac57f8a11420fc3d029a37edcad5ecae418/layer.tar",
        "9c974b5759fc644ca0e9f30966a6a1007bd4f77388523e2b625a4bc7dfa9281e/layer.tar",
    };
    struct fx *f = *state;
    struct img im;
    const struct bh_imgfile *e;
    size_t i, nfinal = 0;

    collect_image(f, MUTATE "whiteout_image.tar", layers, 3, &im);
    assert_int_equal(im.parts[0].nfiles, 3);
    assert_int_equal(im.parts[1].nfiles, 2);
    assert_int_equal(im.parts[2].nfiles, 0);
    assert_int_equal(im.st[0].comp, BH_LAYER_COMP_NONE);
    assert_int_equal(im.parts[1].files[1].type, BH_FT_WHITEOUT);
    assert_string_equal(im.parts[1].files[1].path, "foo.txt");

    e = bh_image_lookup(&im.image, "/bar.txt", true);
    assert_non_null(e);
    assert_int_equal(e->layer, 0);
    assert_int_equal(e->size, 4);
    assert_int_equal(e->mode, 0555);
    assert_null(bh_image_lookup(&im.image, "foo.txt", true));
    e = bh_image_lookup(&im.image, "/", false);
    assert_non_null(e);
    assert_int_equal(e->layer, 1);
    for (i = 0; i < im.image.nfiles; i++)
        nfinal += bh_imgfile_final(&im.image.files[i]);
    assert_int_equal(nfinal, 2); /* the root of layer 1 and bar.txt */
}

/*
 * whiteout_dir.tar, verified with `tar -xf` and `tar -tzvf` on each layer: manifest.json
 * lists e351ee8e (a/, a/foo), 66386e0a (b/, b/bar), 9d8bff04 (.wh.a), a09a7f2d (a/, a/baz),
 * all gzip-compressed.
 */
static void whiteout_dir(void **state)
{
    static const char *const layers[] = {
        "e351ee8e5cab41e244c9a219e949dcc90cfa157f0a216157e3406eeef976a953.tar.gz",
        "66386e0afc5a20378faa73a0d72ebcd690c13248867dfc299997ab5d6c5a4608.tar.gz",
        "9d8bff046c709e215d2c0a5b720ca4edf67e925af8078393ae99ed0724963e40.tar.gz",
        "a09a7f2d8191df180b280eceb816ba2ce5440564e4e41b79d9f8d7641aa7171a.tar.gz",
    };
    struct fx *f = *state;
    struct img im;
    const struct bh_imgfile *e;
    size_t i, nfinal = 0;

    collect_image(f, MUTATE "whiteout_dir.tar", layers, 4, &im);
    for (i = 0; i < 4; i++)
        assert_int_equal(im.st[i].comp, BH_LAYER_COMP_GZIP);
    assert_int_equal(im.image.nfiles, 7);
    assert_int_equal(im.parts[2].files[0].type, BH_FT_WHITEOUT);
    assert_string_equal(im.parts[2].files[0].path, "a");

    assert_null(bh_image_lookup(&im.image, "a/foo", false));
    e = bh_image_lookup(&im.image, "a", false);
    assert_non_null(e);
    assert_int_equal(e->type, BH_FT_DIR);
    assert_int_equal(e->layer, 3);
    assert_int_equal(bh_image_lookup(&im.image, "/a/baz", false)->layer, 3);
    assert_int_equal(bh_image_lookup(&im.image, "b/bar", false)->layer, 1);
    assert_int_equal(bh_image_lookup(&im.image, "b", false)->layer, 1);
    for (i = 0; i < im.image.nfiles; i++)
        nfinal += bh_imgfile_final(&im.image.files[i]);
    assert_int_equal(nfinal, 4); /* a, a/baz, b, b/bar */
}

/*
 * alpine-310.tar.gz (trivy), verified with `tar -tvf` on its one layer: 482 entries; the
 * wanted files among them are etc/alpine-release ("3.10.4\n"), etc/apk/repositories,
 * etc/group, etc/os-release, etc/passwd, etc/shadow and lib/apk/db/installed; bin/sh and
 * usr/bin/env are symlinks to /bin/busybox (833104 bytes). The layer is read twice, as
 * layers 0 and 1: every entry of layer 0 is then replaced by its copy in layer 1.
 */
static void alpine_layer_twice(void **state)
{
    static const char *const layers[] = {
        "71dba1fabbde4baabcdebcde4895d3f3887e388b09cef162f8159cf7daffa1b8/layer.tar",
        "71dba1fabbde4baabcdebcde4895d3f3887e388b09cef162f8159cf7daffa1b8/layer.tar",
    };
    struct fx *f = *state;
    struct img im;
    const struct bh_imgfile *e;
    const struct bh_imgcapture *c;
    size_t i, nfinal = 0, before = f->a.total;

    collect_image(f, "trivy-fanal-testdata/alpine-310.tar.gz", layers, 2, &im);
    print_message("# alpine: %zu entries, %zu arena bytes for collecting and merging\n",
                  im.image.nfiles, f->a.total - before);
    assert_int_equal(im.parts[0].nfiles, 482);
    assert_int_equal(im.parts[1].nfiles, 482);
    assert_int_equal(im.parts[0].ncaptures, 7);
    assert_int_equal(im.image.ncaptures, 14);
    for (i = 0; i < im.image.ncaptures; i++)
        assert_int_equal(im.image.captures[i].shadowed, im.image.captures[i].layer == 0);
    for (i = 0; i < im.image.nfiles; i++) {
        bool fin = bh_imgfile_final(&im.image.files[i]);

        assert_int_equal(fin, im.image.files[i].layer == 1);
        nfinal += fin;
    }
    assert_int_equal(nfinal, 482);
    c = bh_image_capture(&im.image, "/etc/alpine-release");
    assert_non_null(c);
    assert_int_equal(c->layer, 1);
    assert_string_equal(c->data, "3.10.4\n");
    c = bh_image_capture(&im.image, "etc/passwd");
    assert_non_null(c);
    assert_int_equal(c->len, 1230);
    assert_true(strncmp(c->data, "root:x:0:0:root:/root:/bin/ash\n", 31) == 0);
    assert_non_null(bh_image_capture(&im.image, "lib/apk/db/installed"));
    assert_null(bh_image_capture(&im.image, "bin/busybox")); /* not a wanted file */
    e = bh_image_lookup(&im.image, "/bin/sh", true);
    assert_non_null(e);
    assert_string_equal(e->path, "bin/busybox");
    assert_int_equal(e->size, 833104);
    assert_ptr_equal(bh_image_lookup(&im.image, "usr/bin/env", true), e);
    assert_int_equal(bh_image_lookup(&im.image, "usr/bin/env", false)->type, BH_FT_SYMLINK);
}

/*
 * Memory per entry: 50k empty files with 30-byte paths. Collecting keeps the 40-byte entry
 * and the packed path; the merge adds its copy of the entry, the sort and the hash.
 */
static void memory_per_entry(void **state)
{
    struct fx *f = *state;
    struct bh_imgpart p;
    struct bh_image img;
    char name[64];
    size_t i, n = 50000, base, collected, merged;

    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "usr/share/doc/p%04zu/file%06zu", i / 100, i);
        tar_add(f, name, '0', NULL, 0, NULL);
    }
    tar_end(f);
    base = f->a.total;
    assert_int_equal(collect_mem(f, false, &p), 0);
    collected = f->a.total - base;
    assert_int_equal(p.nfiles, n);
    memset(&img, 0, sizeof(img));
    assert_int_equal(bh_image_merge(&f->a, &img, &p, 1, &f->err), 0);
    merged = f->a.total - base - collected;
    print_message("# per entry: %.1f bytes collected, %.1f bytes merged\n",
                  (double)collected / (double)n, (double)merged / (double)n);
    /* 40 + 30 bytes of data, plus the fixed per-pass buffers spread over 50k entries */
    assert_true(collected < n * 80);
    assert_true(merged < n * 70);
    assert_string_equal(bh_image_lookup(&img, "usr/share/doc/p0123/file012345", false)->path,
                        "usr/share/doc/p0123/file012345");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wants_the_listed_files),
        cmocka_unit_test_setup_teardown(names_whiteouts_and_captures, setup, teardown),
        cmocka_unit_test_setup_teardown(scans_text_files_for_secrets, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_layer_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_archives_are_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_image, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(alpine_layer_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(memory_per_entry, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
