/*
 * test_layer.c - the layer pass: tars written here byte by byte (ustar, GNU and pax headers),
 * compressed with the gzip and zstd programs, checked entry by entry and against sha256sum of
 * the same bytes; hostile streams (truncated, bombs, traversal, long names, trailing data);
 * and real layers from the shared image test data, whose digests are published.
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
#include "input/imgsrc.h"
#include "input/layer.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALPINE311 "trivy-fanal-testdata/alpine-311.tar.gz"
#define ALPINE311_LAYER "485d7306187faf0cc9b77fc210e8def9d67b1953f0669e675877e90e6542cb6d/layer.tar"
/* trivy-fanal-testdata/EXPECTED.json: the layer's diff id and size */
#define ALPINE311_DIFF_ID "sha256:beee9f30bc1f711043e78d4a2be0668955d4b761d587d6f60c2c8dc081efb203"
#define ALPINE311_LAYER_SIZE 5861888u
#define TRIVY_OCI "trivy-fanal-testdata/test.oci"
#define TRIVY_OCI_LAYER "cdd16bd695eda2819e7637648f573c2ca64896c4f7bff9732ac9db734ca3bc2c"
#define TRIVY_OCI_CONFIG "b23a8f6569ae9ae331226205fa72f480ce5310707d0bc97e611f83fbbbde4604"

/* ---- files and programs ----------------------------------------------------------------- */

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char p[4][512];
    static int slot;

    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/bh-test-layer-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    slot = (slot + 1) % 4;
    snprintf(p[slot], sizeof(p[slot]), "%s/%s", tmpdir, name);
    return p[slot];
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *p;
    long sz;

    if (!fp)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    sz = ftell(fp);
    assert_true(sz >= 0);
    rewind(fp);
    p = malloc((size_t)sz + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)sz, fp), (size_t)sz);
    fclose(fp);
    *n = (size_t)sz;
    return p;
}

static void run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd);
}

/* "sha256:<hex>" of a file, computed by sha256sum, independently of the code under test. */
static void sha256sum(const char *path, char out[80])
{
    char cmd[700], line[200];
    FILE *p;

    snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(line, sizeof(line), p));
    assert_int_equal(pclose(p), 0);
    memcpy(out, "sha256:", 7);
    memcpy(out + 7, line, 64);
    out[71] = '\0';
}

/* ---- a tar writer ------------------------------------------------------------------------- */

struct tarb {
    unsigned char *p;
    size_t len, cap;
};

static void tb_raw(struct tarb *t, const void *d, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 4096;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, d, n);
    t->len += n;
}

static void tb_pad(struct tarb *t)
{
    static const unsigned char zero[512];

    tb_raw(t, zero, (512 - t->len % 512) % 512);
}

/* One ustar header and its data. name and link must fit their fields (100 bytes). */
static void tb_hdr(struct tarb *t, const char *name, char type, unsigned mode, unsigned uid,
                   const char *link, const void *body, size_t n)
{
    unsigned char h[512];
    unsigned sum = 0;
    size_t i;

    memset(h, 0, sizeof(h));
    memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
    snprintf((char *)h + 100, 8, "%07o", mode & 07777777u);
    snprintf((char *)h + 108, 8, "%07o", uid & 07777777u);
    snprintf((char *)h + 116, 8, "%07o", uid & 07777777u);
    snprintf((char *)h + 124, 12, "%011o", (unsigned)n);
    snprintf((char *)h + 136, 12, "%011o", 1600000000u);
    memset(h + 148, ' ', 8);
    h[156] = (unsigned char)type;
    if (link)
        memcpy(h + 157, link, strlen(link) < 100 ? strlen(link) : 100);
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    for (i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
    tb_raw(t, h, 512);
    if (n) {
        tb_raw(t, body, n);
        tb_pad(t);
    }
}

/* A pax extended header ('x') holding one record key=value (value may hold any bytes). */
static void tb_pax(struct tarb *t, const char *key, const void *val, size_t vlen)
{
    size_t base = strlen(key) + vlen + 3, len = base, digits;
    char *rec;
    int off;

    /* the record's length counts its own digits */
    for (;;) {
        char tmp[32];
        digits = (size_t)snprintf(tmp, sizeof(tmp), "%zu", len);
        if (base + digits == len)
            break;
        len = base + digits;
    }
    rec = malloc(len + 1);
    assert_non_null(rec);
    off = snprintf(rec, len + 1, "%zu %s=", len, key);
    memcpy(rec + off, val, vlen);
    rec[len - 1] = '\n';
    tb_hdr(t, "PaxHeaders/x", 'x', 0644, 0, NULL, rec, len);
    free(rec);
}

static void tb_file(struct tarb *t, const char *name, unsigned mode, const char *body)
{
    tb_hdr(t, name, '0', mode, 0, NULL, body, body ? strlen(body) : 0);
}

static void tb_end(struct tarb *t)
{
    static const unsigned char zero[1024];

    tb_raw(t, zero, sizeof(zero));
}

/* ---- a sink that records what it sees --------------------------------------------------- */

struct seen {
    char *path, *link;
    enum bh_ltype type;
    uint32_t mode, uid;
    uint64_t size, index, pulled;
    bool fcaps, escaped;
    char *head; /* the first 256 bytes of the content, NUL-terminated */
};

struct rec {
    struct seen *v;
    size_t n, cap;
    uint64_t progress;
    size_t pull_max; /* content bytes pulled per entry; SIZE_MAX for all */
    int fail_at;     /* entry index that fails the sink with BH_EUNSUPPORTED, or -1 */
};

static int rec_entry(void *ctx, const struct bh_layer_entry *e, struct bh_layer_content *c,
                     struct bh_err *err)
{
    struct rec *r = ctx;
    struct seen *s;
    unsigned char buf[4096];

    if (r->fail_at >= 0 && e->index == (uint64_t)r->fail_at)
        return bh_err_set(err, BH_EUNSUPPORTED, "sink", 0, 0, "sink refuses '%s'", e->path);
    if (r->n == r->cap) {
        r->cap = r->cap * 2 + 16;
        r->v = realloc(r->v, r->cap * sizeof(*r->v));
        assert_non_null(r->v);
    }
    s = &r->v[r->n++];
    memset(s, 0, sizeof(*s));
    s->path = strdup(e->path);
    s->link = e->link ? strdup(e->link) : NULL;
    s->type = e->type;
    s->mode = e->mode;
    s->uid = e->uid;
    s->size = e->size;
    s->index = e->index;
    s->fcaps = e->has_fcaps;
    s->escaped = e->escaped;
    s->head = calloc(1, 257);
    assert_non_null(s->head);
    assert_true((c != NULL) == (e->type == BH_LT_REG));
    while (c && s->pulled < r->pull_max) {
        size_t got = 0, want = sizeof(buf);
        int rc;
        if (want > r->pull_max - s->pulled)
            want = r->pull_max - s->pulled;
        rc = bh_layer_content_read(c, buf, want, &got, err);
        if (rc)
            return rc;
        if (got == 0)
            break;
        if (s->pulled < 256)
            memcpy(s->head + s->pulled, buf, got < 256 - s->pulled ? got : 256 - s->pulled);
        s->pulled += got;
    }
    return 0;
}

static void rec_progress(void *ctx, uint64_t n)
{
    ((struct rec *)ctx)->progress += n;
}

static void rec_free(struct rec *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free(r->v[i].path);
        free(r->v[i].link);
        free(r->v[i].head);
    }
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static const struct seen *find_seen(const struct rec *r, const char *path)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].path, path))
            return &r->v[i];
    fail_msg("no entry '%s' among %zu", path, r->n);
    return NULL;
}

/* A reader over memory that hands out at most `chunk` bytes per call. */
struct chunky {
    const unsigned char *p;
    size_t len, pos, chunk;
};

static int chunky_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct chunky *c = ctx;
    size_t n = c->len - c->pos;

    (void)err;
    if (n > cap)
        n = cap;
    if (n > c->chunk)
        n = c->chunk;
    memcpy(buf, c->p + c->pos, n);
    c->pos += n;
    *got = n;
    return 0;
}

static int scan_mem(const void *p, size_t n, size_t chunk, struct rec *r, struct bh_layer_stats *st,
                    struct bh_err *err)
{
    struct chunky c = {p, n, 0, chunk ? chunk : SIZE_MAX};
    struct bh_reader rd = {chunky_read, NULL, &c, "mem.layer"};
    struct bh_layer_sink sink = {rec_entry, rec_progress, r};

    bh_err_init(err);
    return bh_layer_scan(&rd, BH_LAYER_COMP_UNKNOWN, "test.layer", &sink, st, err);
}

static int scan_file(const char *path, struct rec *r, struct bh_layer_stats *st, struct bh_err *err)
{
    size_t n;
    unsigned char *p = slurp(path, &n);
    int rc = scan_mem(p, n, 0, r, st, err);

    free(p);
    return rc;
}

static void scan_ok(const char *path, struct rec *r, struct bh_layer_stats *st)
{
    struct bh_err err;

    if (scan_file(path, r, st, &err))
        fail_msg("scan %s: %s", path, err.msg);
}

/* ---- the test tar ------------------------------------------------------------------------- */

static const unsigned char fcap_value[20] = {0x01, 0x00, 0x00, 0x02, 0x00, 0x20};

static void build_sample(struct tarb *t)
{
    tb_hdr(t, "./", '5', 0755, 0, NULL, NULL, 0);
    tb_hdr(t, "etc/", '5', 0755, 0, NULL, NULL, 0);
    tb_file(t, "etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n");
    tb_hdr(t, "usr/bin/su", '0', 04755, 0, NULL, "SU", 2);
    tb_hdr(t, "usr/bin/wall", '0', 02755, 0, NULL, "WALL", 4);
    tb_hdr(t, "tmp/", '5', 01777, 0, NULL, NULL, 0);
    tb_hdr(t, "bin/sh", '2', 0777, 0, "/bin/busybox", NULL, 0);
    tb_hdr(t, "usr/bin/su2", '1', 04755, 0, "./usr//bin/su", NULL, 0);
    tb_pax(t, "SCHILY.xattr.security.capability", fcap_value, sizeof(fcap_value));
    tb_hdr(t, "usr/bin/ping", '0', 0755, 0, NULL, "PING", 4);
    tb_hdr(t, "/abs/path", '0', 0600, 1000, NULL, "abs", 3);
    tb_hdr(t, "a//b/./c/", '5', 0700, 0, NULL, NULL, 0);
    tb_hdr(t, "d/../e", '0', 0644, 0, NULL, NULL, 0);
    tb_hdr(t, "../evil", '0', 0644, 0, NULL, "evil", 4);
    tb_hdr(t, "x/../../evil2", '0', 0644, 0, NULL, NULL, 0);
    tb_hdr(t, "hl-out", '1', 0644, 0, "../../etc/shadow", NULL, 0);
    tb_hdr(t, "dev/null", '3', 0666, 0, NULL, NULL, 0);
    tb_hdr(t, "run/fifo", '6', 0600, 0, NULL, NULL, 0);
    tb_hdr(t, "etc/.wh.gone", '0', 0644, 0, NULL, NULL, 0);
    tb_end(t);
}
#define SAMPLE_ENTRIES 18u

static void check_sample(const struct rec *r)
{
    const struct seen *s;

    if (r->n != SAMPLE_ENTRIES) {
        size_t i;
        for (i = 0; i < r->n; i++)
            print_message("entry %zu '%s'\n", i, r->v[i].path);
    }
    assert_int_equal(r->n, SAMPLE_ENTRIES);
    s = find_seen(r, "");
    assert_int_equal(s->type, BH_LT_DIR);
    assert_int_equal(s->index, 0);
    s = find_seen(r, "etc/passwd");
    assert_int_equal(s->type, BH_LT_REG);
    assert_int_equal(s->mode, 0644);
    assert_int_equal(s->size, 30);
    assert_int_equal(s->pulled, 30);
    assert_string_equal(s->head, "root:x:0:0:root:/root:/bin/sh\n");
    assert_int_equal(s->index, 2);
    s = find_seen(r, "usr/bin/su");
    assert_int_equal(s->mode, 04755);
    assert_string_equal(s->head, "SU");
    assert_false(s->fcaps);
    assert_int_equal(find_seen(r, "usr/bin/wall")->mode, 02755);
    assert_int_equal(find_seen(r, "tmp")->mode, 01777);
    s = find_seen(r, "bin/sh");
    assert_int_equal(s->type, BH_LT_SYMLINK);
    assert_string_equal(s->link, "/bin/busybox");
    assert_int_equal(s->size, 0);
    s = find_seen(r, "usr/bin/su2");
    assert_int_equal(s->type, BH_LT_HARDLINK);
    assert_string_equal(s->link, "usr/bin/su");
    assert_false(s->escaped);
    s = find_seen(r, "usr/bin/ping");
    assert_true(s->fcaps);
    assert_string_equal(s->head, "PING");
    s = find_seen(r, "abs/path");
    assert_int_equal(s->uid, 1000);
    assert_int_equal(s->mode, 0600);
    assert_int_equal(find_seen(r, "a/b/c")->type, BH_LT_DIR);
    assert_false(find_seen(r, "e")->escaped);
    s = find_seen(r, "../evil");
    assert_true(s->escaped);
    assert_string_equal(s->head, "evil");
    assert_true(find_seen(r, "x/../../evil2")->escaped);
    s = find_seen(r, "hl-out");
    assert_true(s->escaped);
    assert_string_equal(s->link, "../../etc/shadow");
    assert_int_equal(find_seen(r, "dev/null")->type, BH_LT_CHAR);
    assert_int_equal(find_seen(r, "run/fifo")->type, BH_LT_FIFO);
    assert_int_equal(find_seen(r, "etc/.wh.gone")->type, BH_LT_REG);
    assert_int_equal(r->v[SAMPLE_ENTRIES - 1].index, SAMPLE_ENTRIES - 1);
}

/* Write the sample, compress it with cmd ("" for none) into name; returns the tar's digest. */
static const char *sample_file(const char *name, const char *cmd, char tar_digest[80])
{
    struct tarb t = {0};
    const char *tar = tmp_path("sample.tar"), *out = tmp_path(name);

    build_sample(&t);
    write_file(tar, t.p, t.len);
    free(t.p);
    sha256sum(tar, tar_digest);
    if (cmd[0])
        run("%s < '%s' > '%s'", cmd, tar, out);
    else
        run("cp '%s' '%s'", tar, out);
    return out;
}

static void check_stats(const char *file, const struct bh_layer_stats *st, const char *diff_id,
                        enum bh_layer_comp comp)
{
    char want[80];
    struct stat sb;

    sha256sum(file, want);
    assert_string_equal(st->digest, want);
    assert_string_equal(st->diff_id, diff_id);
    assert_int_equal(st->comp, comp);
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(st->bytes_in, (uint64_t)sb.st_size);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void plain_tar_entries(void **state)
{
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_stats st;
    char tar_digest[80];
    const char *f = sample_file("plain.tar", "", tar_digest);

    (void)state;
    scan_ok(f, &r, &st);
    check_sample(&r);
    check_stats(f, &st, tar_digest, BH_LAYER_COMP_NONE);
    assert_string_equal(st.digest, st.diff_id);
    assert_int_equal(st.bytes_out, st.bytes_in);
    assert_int_equal(st.entries, SAMPLE_ENTRIES);
    assert_int_equal(r.progress, st.bytes_in);
    assert_string_equal(bh_layer_comp_name(st.comp), "none");
    rec_free(&r);
}

static void gzip_and_zstd(void **state)
{
    static const struct {
        const char *name, *cmd;
        enum bh_layer_comp comp;
    } cases[] = {
        {"s.tar.gz", "gzip -6 -c", BH_LAYER_COMP_GZIP},
        {"s1.tar.gz", "gzip -1 -c", BH_LAYER_COMP_GZIP},
        {"s.tar.zst", "zstd -q -c", BH_LAYER_COMP_ZSTD},
        {"s19.tar.zst", "zstd -q -19 -c", BH_LAYER_COMP_ZSTD},
    };
    size_t i, chunk;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char tar_digest[80];
        const char *f = sample_file(cases[i].name, cases[i].cmd, tar_digest);
        size_t n;
        unsigned char *p = slurp(f, &n);

        /* whole, then in tiny pieces so headers straddle reads */
        for (chunk = 0; chunk < 8; chunk += 3) {
            struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
            struct bh_layer_stats st;
            struct bh_err err;
            if (scan_mem(p, n, chunk, &r, &st, &err))
                fail_msg("%s chunk %zu: %s", f, chunk, err.msg);
            check_sample(&r);
            check_stats(f, &st, tar_digest, cases[i].comp);
            assert_int_equal(st.entries, SAMPLE_ENTRIES);
            assert_int_equal(r.progress, n);
            rec_free(&r);
        }
        free(p);
    }
    assert_string_equal(bh_layer_comp_name(BH_LAYER_COMP_GZIP), "gzip");
    assert_string_equal(bh_layer_comp_name(BH_LAYER_COMP_ZSTD), "zstd");
    assert_string_equal(bh_layer_comp_name(BH_LAYER_COMP_UNKNOWN), "unknown");
}

/* pigz and `cat a.gz b.gz` write several gzip members; zstd likewise several frames. */
static void multi_member_streams(void **state)
{
    struct tarb t = {0};
    const char *tar = tmp_path("mm.tar"), *a = tmp_path("mm.a"), *b = tmp_path("mm.b");
    char tar_digest[80];
    size_t i, n1;

    (void)state;
    build_sample(&t);
    write_file(tar, t.p, t.len);
    sha256sum(tar, tar_digest);
    n1 = t.len / 3;
    write_file(a, t.p, n1);
    write_file(b, t.p + n1, t.len - n1);
    free(t.p);
    for (i = 0; i < 2; i++) {
        const char *prog = i ? "zstd -q -c" : "gzip -c";
        const char *out = tmp_path(i ? "mm.tar.zst" : "mm.tar.gz");
        struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
        struct bh_layer_stats st;

        run("(%s < '%s'; %s < '%s') > '%s'", prog, a, prog, b, out);
        scan_ok(out, &r, &st);
        check_sample(&r);
        check_stats(out, &st, tar_digest, i ? BH_LAYER_COMP_ZSTD : BH_LAYER_COMP_GZIP);
        rec_free(&r);
    }
}

/* Bytes after the tar's end marker belong to the layer's digests too (registries and the
 * engine hash every byte); they are not entries. */
static void trailing_data_hashed(void **state)
{
    struct tarb t = {0};
    const char *tar = tmp_path("tr.tar"), *gz = tmp_path("tr.tar.gz");
    const char *gzpad = tmp_path("trpad.tar.gz"), *zst = tmp_path("trpad.tar.zst");
    char tar_digest[80], zst_diff[80];
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_stats st;
    size_t i;

    (void)state;
    build_sample(&t);
    for (i = 0; i < 3000; i++)
        tb_raw(&t, "junk-after-end ", 15);
    write_file(tar, t.p, t.len);
    free(t.p);
    sha256sum(tar, tar_digest);

    scan_ok(tar, &r, &st);
    check_sample(&r);
    check_stats(tar, &st, tar_digest, BH_LAYER_COMP_NONE);
    rec_free(&r);

    run("gzip -c < '%s' > '%s'", tar, gz);
    r.pull_max = SIZE_MAX;
    r.fail_at = -1;
    scan_ok(gz, &r, &st);
    check_sample(&r);
    check_stats(gz, &st, tar_digest, BH_LAYER_COMP_GZIP);
    {
        struct stat sb;
        assert_int_equal(stat(tar, &sb), 0);
        assert_int_equal(st.bytes_out, (uint64_t)sb.st_size);
    }
    rec_free(&r);

    /* zero padding after the last gzip member / zstd frame: hashed, not decoded */
    run("(cat '%s'; head -c 777 /dev/zero) > '%s'", gz, gzpad);
    r.pull_max = SIZE_MAX;
    r.fail_at = -1;
    scan_ok(gzpad, &r, &st);
    check_sample(&r);
    check_stats(gzpad, &st, tar_digest, BH_LAYER_COMP_GZIP);
    rec_free(&r);
    run("(zstd -q -c < '%s'; printf 'NOT-ZSTD') > '%s'", tar, zst);
    r.pull_max = SIZE_MAX;
    r.fail_at = -1;
    scan_ok(zst, &r, &st);
    check_sample(&r);
    snprintf(zst_diff, sizeof(zst_diff), "%s", tar_digest);
    check_stats(zst, &st, zst_diff, BH_LAYER_COMP_ZSTD);
    rec_free(&r);
}

/* Content left unread by the sink is skipped, and still hashed. */
static void unread_content_still_hashed(void **state)
{
    struct rec r = {.pull_max = 1, .fail_at = -1};
    struct bh_layer_stats st;
    char tar_digest[80];
    const char *f = sample_file("skip.tar.gz", "gzip -c", tar_digest);

    (void)state;
    scan_ok(f, &r, &st);
    assert_int_equal(r.n, SAMPLE_ENTRIES);
    assert_int_equal(find_seen(&r, "etc/passwd")->pulled, 1);
    assert_string_equal(find_seen(&r, "etc/passwd")->head, "r");
    check_stats(f, &st, tar_digest, BH_LAYER_COMP_GZIP);
    rec_free(&r);
}

static void expect_fail(const void *p, size_t n, int code, const char *needle)
{
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_stats st;
    struct bh_err err;
    int rc = scan_mem(p, n, 0, &r, &st, &err);

    if (rc != code || !strstr(err.msg, needle) || !strstr(err.msg, "test.layer"))
        fail_msg("want %d containing '%s', got %d '%s'", code, needle, rc, err.msg);
    assert_int_equal(err.code, code);
    /* the stats stay usable: a digest of what was read */
    assert_int_equal(strlen(st.digest), 71);
    rec_free(&r);
}

static void truncated_streams(void **state)
{
    char tar_digest[80];
    const char *names[] = {"tr.tar", "tr.tar.gz", "tr.tar.zst"};
    const char *cmds[] = {"", "gzip -c", "zstd -q -c"};
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        const char *f = sample_file(names[i], cmds[i], tar_digest);
        size_t n;
        unsigned char *p = slurp(f, &n);

        if (i == 0) {
            /* cut inside etc/passwd's data: the error names the entry */
            expect_fail(p, 3 * 512 + 10, BH_EPARSE, "at entry 2");
            expect_fail(p, 3 * 512 + 10, BH_EPARSE, "etc/passwd");
            /* cut inside a header */
            expect_fail(p, 4 * 512 + 100, BH_EPARSE, "corrupt or truncated tar");
        } else {
            expect_fail(p, n / 2, BH_EPARSE, "ends early");
            expect_fail(p, n - 4, BH_EPARSE, i == 1 ? "gzip" : "zstd");
            /* a flipped byte in the middle of the compressed data */
            p[n / 2] ^= 0x55;
            expect_fail(p, n, BH_EPARSE, i == 1 ? "gzip" : "zstd");
        }
        free(p);
    }
    expect_fail("this is a Dockerfile, not a layer\n", 34, BH_EPARSE, "not a tar archive");
}

static void empty_stream(void **state)
{
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_stats st;
    struct bh_err err;
    struct tarb t = {0};

    (void)state;
    assert_int_equal(scan_mem("", 0, 0, &r, &st, &err), 0);
    assert_int_equal(r.n, 0);
    assert_string_equal(st.digest,
                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_string_equal(st.diff_id, st.digest);
    /* the empty layer Docker writes: just the end marker */
    tb_end(&t);
    assert_int_equal(scan_mem(t.p, t.len, 0, &r, &st, &err), 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(st.bytes_in, 1024);
    {
        char d[80];
        bh_layer_sha256(t.p, t.len, d);
        assert_string_equal(st.digest, d);
        /* well known: sha256 of 1024 zero bytes (the empty layer's diff id) */
        assert_string_equal(
            d, "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    }
    free(t.p);
}

/* A tar holding one file of `zeros` zero bytes, compressed by prog into path. */
static void bomb_file(const char *path, const char *prog, size_t zeros)
{
    struct tarb t = {0};
    const char *hdr = tmp_path("bomb.hdr");

    tb_hdr(&t, "zeros", '0', 0644, 0, NULL, NULL, 0);
    /* fix the size field by hand: the writer puts data after the header itself */
    snprintf((char *)t.p + 124, 12, "%011zo", zeros);
    {
        unsigned sum = 0;
        size_t i;
        memset(t.p + 148, ' ', 8);
        for (i = 0; i < 512; i++)
            sum += t.p[i];
        snprintf((char *)t.p + 148, 8, "%06o", sum);
        t.p[155] = ' ';
    }
    write_file(hdr, t.p, t.len);
    free(t.p);
    run("(cat '%s'; head -c %zu /dev/zero) | %s > '%s'", hdr, zeros + 1024, prog, path);
}

static void bombs_limited(void **state)
{
    const char *z = tmp_path("bomb.zst"), *g = tmp_path("bomb.gz");
    size_t i;

    (void)state;
    bomb_file(z, "zstd -q -19 -c", 256u << 20);
    bomb_file(g, "gzip -9 -c", 128u << 20);
    for (i = 0; i < 2; i++) {
        const char *f = i ? g : z;
        struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
        struct bh_layer_stats st;
        struct bh_err err;
        int rc;

        rc = scan_file(f, &r, &st, &err);
        if (rc != BH_ELIMIT || !strstr(err.msg, "BH_MAX_LAYER_RATIO"))
            fail_msg("%s: want BH_ELIMIT naming BH_MAX_LAYER_RATIO, got %d '%s'", f, rc, err.msg);
        assert_non_null(strstr(err.msg, "'zeros'"));
        assert_true(st.bytes_out > 1024u * 1024u);
        assert_true(st.bytes_out < (uint64_t)(128u << 20) + 2048u);
        rec_free(&r);
        /* also when the sink does not pull the content */
        r.pull_max = 0;
        r.fail_at = -1;
        rc = scan_file(f, &r, &st, &err);
        assert_int_equal(rc, BH_ELIMIT);
        rec_free(&r);
    }
}

static void path_limits(void **state)
{
    struct tarb t = {0};
    char *name = malloc(BH_MAX_LAYER_PATH + 2);
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_stats st;
    struct bh_err err;

    (void)state;
    assert_non_null(name);
    memset(name, 'n', BH_MAX_LAYER_PATH);
    name[BH_MAX_LAYER_PATH] = '\0';
    /* at the limit: fine */
    tb_pax(&t, "path", name, BH_MAX_LAYER_PATH);
    tb_file(&t, "placeholder", 0644, "x");
    tb_end(&t);
    if (scan_mem(t.p, t.len, 0, &r, &st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(r.n, 1);
    assert_int_equal(strlen(r.v[0].path), BH_MAX_LAYER_PATH);
    rec_free(&r);
    free(t.p);
    /* one over */
    memset(&t, 0, sizeof(t));
    name[BH_MAX_LAYER_PATH] = 'n';
    name[BH_MAX_LAYER_PATH + 1] = '\0';
    tb_file(&t, "first", 0644, "1");
    tb_pax(&t, "path", name, BH_MAX_LAYER_PATH + 1);
    tb_file(&t, "placeholder", 0644, "x");
    tb_end(&t);
    expect_fail(t.p, t.len, BH_ELIMIT, "BH_MAX_LAYER_PATH");
    expect_fail(t.p, t.len, BH_ELIMIT, "at entry 1");
    free(t.p);
    /* a symlink target over the limit */
    memset(&t, 0, sizeof(t));
    tb_pax(&t, "linkpath", name, BH_MAX_LAYER_PATH + 1);
    tb_hdr(&t, "l", '2', 0777, 0, "x", NULL, 0);
    tb_end(&t);
    expect_fail(t.p, t.len, BH_ELIMIT, "BH_MAX_LAYER_PATH");
    free(t.p);
    free(name);
}

static void sink_errors_stop_the_pass(void **state)
{
    struct tarb t = {0};
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = 3};
    struct bh_layer_stats st;
    struct bh_err err;

    (void)state;
    build_sample(&t);
    assert_int_equal(scan_mem(t.p, t.len, 0, &r, &st, &err), BH_EUNSUPPORTED);
    assert_string_equal(err.msg, "sink refuses 'usr/bin/su'");
    assert_int_equal(r.n, 3);
    assert_int_equal(st.entries, 3);
    rec_free(&r);
    free(t.p);
}

/* A reader that serves a good tar but fails after `left` bytes: its error comes back as is. */
struct failing {
    const unsigned char *p;
    size_t pos, left;
};

static int failing_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct failing *f = ctx;
    size_t n = cap < f->left ? cap : f->left;

    if (n == 0)
        return bh_err_set(err, BH_EIO, "net", 0, 0, "connection reset by peer");
    if (n > 1000)
        n = 1000;
    memcpy(buf, f->p + f->pos, n);
    f->pos += n;
    f->left -= n;
    *got = n;
    return 0;
}

static void reader_errors_pass_through(void **state)
{
    struct tarb t = {0};
    struct failing f = {NULL, 0, 3000};
    struct bh_reader rd = {failing_read, NULL, &f, "net"};
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_sink sink = {rec_entry, NULL, &r};
    struct bh_layer_stats st;
    struct bh_err err;

    (void)state;
    build_sample(&t);
    assert_true(t.len > 6000);
    f.p = t.p;
    bh_err_init(&err);
    assert_int_equal(bh_layer_scan(&rd, BH_LAYER_COMP_NONE, "x", &sink, &st, &err), BH_EIO);
    assert_string_equal(err.msg, "connection reset by peer");
    assert_int_equal(st.bytes_in, 3000);
    /* the pass reads a full buffer before decoding, so no entry was seen yet */
    assert_int_equal(r.n, 0);
    rec_free(&r);
    free(t.p);
}

/* ---- real layers -------------------------------------------------------------------------- */

struct alpine {
    struct bh_arena a;
    struct bh_imgsrc *src;
    struct bh_reader rd;
};

static void alpine_open(struct alpine *al)
{
    struct bh_err err;
    uint64_t size = 0;

    bh_arena_init(&al->a, 64u << 20);
    if (bh_imgsrc_open(&al->a, data(ALPINE311), &al->src, &err))
        fail_msg("%s", err.msg);
    if (bh_imgsrc_open_member(al->src, &al->a, ALPINE311_LAYER, &al->rd, &size, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(size, ALPINE311_LAYER_SIZE);
}

static void alpine_close(struct alpine *al)
{
    bh_reader_close(&al->rd);
    bh_imgsrc_close(al->src);
    bh_arena_release(&al->a);
}

static void check_alpine(const struct rec *r, const struct bh_layer_stats *st)
{
    size_t i, reg = 0, dir = 0, sym = 0;

    assert_string_equal(st->diff_id, ALPINE311_DIFF_ID);
    assert_int_equal(st->bytes_out, ALPINE311_LAYER_SIZE);
    /* GNU tar's listing of the layer: 72 files, 90 directories, 326 symlinks */
    assert_int_equal(st->entries, 488);
    for (i = 0; i < r->n; i++) {
        reg += r->v[i].type == BH_LT_REG;
        dir += r->v[i].type == BH_LT_DIR;
        sym += r->v[i].type == BH_LT_SYMLINK;
        if (r->v[i].type == BH_LT_REG)
            assert_int_equal(r->v[i].pulled, r->v[i].size);
    }
    assert_int_equal(reg, 72);
    assert_int_equal(dir, 90);
    assert_int_equal(sym, 326);
    assert_string_equal(find_seen(r, "etc/alpine-release")->head, "3.11.5\n");
    assert_string_equal(find_seen(r, "bin/sh")->link, "/bin/busybox");
    assert_int_equal(find_seen(r, "bin/busybox")->mode, 0755);
    assert_int_equal(find_seen(r, "tmp")->mode, 01777);
}

static void real_alpine_layer(void **state)
{
    struct alpine al;
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_sink sink = {rec_entry, rec_progress, &r};
    struct bh_layer_stats st;
    struct bh_err err;
    const char *tar = tmp_path("alpine.tar");
    const char *progs[] = {"gzip -6 -c", "zstd -q -3 -c"};
    const char *outs[] = {"alpine.tar.gz", "alpine.tar.zst"};
    size_t i;

    (void)state;
    alpine_open(&al);
    bh_err_init(&err);
    if (bh_layer_scan(&al.rd, BH_LAYER_COMP_UNKNOWN, "alpine", &sink, &st, &err))
        fail_msg("%s", err.msg);
    check_alpine(&r, &st);
    assert_int_equal(st.comp, BH_LAYER_COMP_NONE);
    assert_string_equal(st.digest, ALPINE311_DIFF_ID);
    assert_int_equal(r.progress, ALPINE311_LAYER_SIZE);
    rec_free(&r);
    alpine_close(&al);

    /* the same layer compressed by the standard tools */
    run("tar -xzOf '%s' '%s' > '%s'", data(ALPINE311), ALPINE311_LAYER, tar);
    for (i = 0; i < 2; i++) {
        const char *out = tmp_path(outs[i]);
        run("%s < '%s' > '%s'", progs[i], tar, out);
        r.pull_max = SIZE_MAX;
        r.fail_at = -1;
        scan_ok(out, &r, &st);
        check_alpine(&r, &st);
        check_stats(out, &st, ALPINE311_DIFF_ID, i ? BH_LAYER_COMP_ZSTD : BH_LAYER_COMP_GZIP);
        rec_free(&r);
    }
}

/* An OCI blob's name is the digest of its compressed bytes; the config lists the diff id. */
static void real_oci_gzip_blob(void **state)
{
    struct bh_arena a;
    struct bh_imgsrc *src;
    struct bh_reader rd;
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_layer_sink sink = {rec_entry, NULL, &r};
    struct bh_layer_stats st;
    struct bh_err err;
    char *cfg;
    size_t len;

    (void)state;
    bh_arena_init(&a, 16u << 20);
    if (bh_imgsrc_open(&a, data(TRIVY_OCI), &src, &err))
        fail_msg("%s", err.msg);
    if (bh_imgsrc_open_member(src, &a, "blobs/sha256/" TRIVY_OCI_LAYER, &rd, NULL, &err))
        fail_msg("%s", err.msg);
    if (bh_layer_scan(&rd, BH_LAYER_COMP_UNKNOWN, "oci", &sink, &st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(st.comp, BH_LAYER_COMP_GZIP);
    assert_string_equal(st.digest, "sha256:" TRIVY_OCI_LAYER);
    assert_int_equal(st.bytes_in, 2610);
    if (bh_imgsrc_read(src, &a, "blobs/sha256/" TRIVY_OCI_CONFIG, 1u << 20, &cfg, &len, &err))
        fail_msg("%s", err.msg);
    if (!strstr(cfg, st.diff_id))
        fail_msg("diff id %s not in the config %s", st.diff_id, cfg);
    assert_true(r.n > 0);
    bh_reader_close(&rd);
    bh_imgsrc_close(src);
    bh_arena_release(&a);
    rec_free(&r);
}

/* Passes over different readers at once (one per core in the loader). */
struct job {
    const unsigned char *p;
    size_t n;
    struct bh_layer_stats st;
    int rc;
    size_t entries;
};

static void *job_run(void *arg)
{
    struct job *j = arg;
    struct rec r = {.pull_max = SIZE_MAX, .fail_at = -1};
    struct bh_err err;

    j->rc = scan_mem(j->p, j->n, 0, &r, &j->st, &err);
    j->entries = r.n;
    rec_free(&r);
    return NULL;
}

static void parallel_passes(void **state)
{
    const char *gz = tmp_path("alpine.tar.gz"), *zst = tmp_path("alpine.tar.zst");
    struct job jobs[4];
    pthread_t th[4];
    unsigned char *pg, *pz;
    size_t ng, nz, i;

    (void)state;
    if (access(gz, R_OK) || access(zst, R_OK)) {
        run("tar -xzOf '%s' '%s' | gzip -c > '%s'", data(ALPINE311), ALPINE311_LAYER, gz);
        run("tar -xzOf '%s' '%s' | zstd -q -c > '%s'", data(ALPINE311), ALPINE311_LAYER, zst);
    }
    pg = slurp(gz, &ng);
    pz = slurp(zst, &nz);
    for (i = 0; i < 4; i++) {
        jobs[i].p = i % 2 ? pz : pg;
        jobs[i].n = i % 2 ? nz : ng;
        assert_int_equal(pthread_create(&th[i], NULL, job_run, &jobs[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(jobs[i].rc, 0);
        assert_string_equal(jobs[i].st.diff_id, ALPINE311_DIFF_ID);
        assert_int_equal(jobs[i].entries, 488);
    }
    assert_string_not_equal(jobs[0].st.digest, jobs[1].st.digest);
    assert_string_equal(jobs[0].st.digest, jobs[2].st.digest);
    free(pg);
    free(pz);
}

static int cleanup(void **state)
{
    char cmd[400];

    (void)state;
    if (tmpdir[0] && !strncmp(tmpdir, "/tmp/bh-test-layer-", 19)) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_tar_entries),
        cmocka_unit_test(gzip_and_zstd),
        cmocka_unit_test(multi_member_streams),
        cmocka_unit_test(trailing_data_hashed),
        cmocka_unit_test(unread_content_still_hashed),
        cmocka_unit_test(truncated_streams),
        cmocka_unit_test(empty_stream),
        cmocka_unit_test(bombs_limited),
        cmocka_unit_test(path_limits),
        cmocka_unit_test(sink_errors_stop_the_pass),
        cmocka_unit_test(reader_errors_pass_through),
        cmocka_unit_test(real_alpine_layer),
        cmocka_unit_test(real_oci_gzip_blob),
        cmocka_unit_test(parallel_passes),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
