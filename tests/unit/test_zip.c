/*
 * test_zip.c - the zip walker (input/zip.h) over archives python3's zipfile
 * writes in the test: member order and content, directories skipped, the
 * member cap, the inflation ratio, damaged and encrypted archives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/files.h"
#include "input/zip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];
static char zpath[256];

static void sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

/* Write tmpdir/name with a python3 zipfile script body (z is the open ZipFile). */
static const char *make_zip(const char *name, const char *mode, const char *body)
{
    snprintf(zpath, sizeof(zpath), "%s/%s", tmpdir, name);
    sh("python3 -c \"import zipfile\nz=zipfile.ZipFile('%s','w',%s)\n%s\nz.close()\"", zpath, mode,
       body);
    return zpath;
}

struct seen {
    char names[16][64];
    char data[16][64];
    size_t len[16];
    size_t n;
    int ret_at; /* member index at which to return ret */
    int ret;
};

static int record(void *ctx, const char *name, const void *data, size_t len, struct bh_err *err)
{
    struct seen *s = ctx;

    if (s->n < 16) {
        snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
        memcpy(s->data[s->n], data, len < 63 ? len : 63);
        s->len[s->n] = len;
    }
    s->n++;
    if (s->ret && (int)s->n - 1 == s->ret_at) {
        if (s->ret < 0)
            return bh_err_set(err, s->ret, name, 0, 0, "stopped at %s", name);
        return s->ret;
    }
    return 0;
}

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/bh-zip-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmp(void **state)
{
    (void)state;
    sh("rm -rf '%s'", tmpdir);
    return 0;
}

/* Walk both ways (file, then memory) and check they agree; returns the file walk's rc. */
static int walk_both(const char *path, size_t max, struct seen *s, struct bh_err *err)
{
    struct seen m;
    struct bh_arena a;
    struct bh_err e2;
    char *data;
    size_t len, i;
    int rf, rm;

    memcpy(&m, s, sizeof(m));
    bh_err_init(err);
    rf = bh_zip_walk_file(path, max, record, s, err);
    bh_arena_init(&a, 1u << 28);
    assert_int_equal(bh_file_read(&a, path, 1u << 26, &data, &len, &e2), 0);
    bh_err_init(&e2);
    rm = bh_zip_walk_mem("mem", data, len, max, record, &m, &e2);
    bh_arena_release(&a);
    assert_int_equal(rf, rm);
    assert_int_equal(err->code, e2.code);
    assert_int_equal(s->n, m.n);
    for (i = 0; i < s->n && i < 16; i++) {
        assert_string_equal(s->names[i], m.names[i]);
        assert_int_equal(s->len[i], m.len[i]);
    }
    return rf;
}

static void zip_magic(void **state)
{
    (void)state;
    assert_true(bh_zip_magic("PK\3\4", 4));
    assert_true(bh_zip_magic("PK\5\6xxxx", 8));
    assert_false(bh_zip_magic("PK\3", 3));
    assert_false(bh_zip_magic("PK\7\10", 4));
    assert_false(bh_zip_magic("{\"id\"", 5));
}

static void zip_members_in_order(void **state)
{
    struct seen s = {0};
    struct bh_err err;
    const char *p;

    (void)state;
    p = make_zip("ok.zip", "zipfile.ZIP_DEFLATED",
                 "z.writestr('a.txt', 'hello ' * 100)\n"
                 "z.writestr(zipfile.ZipInfo('dir/'), '')\n"
                 "z.writestr('dir/b.json', '{}', compress_type=zipfile.ZIP_STORED)\n"
                 "z.writestr('e', '')");
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), 0);
    assert_int_equal(s.n, 3); /* the directory is not handed over */
    assert_string_equal(s.names[0], "a.txt");
    assert_int_equal(s.len[0], 600);
    assert_memory_equal(s.data[0], "hello hello ", 12);
    assert_string_equal(s.names[1], "dir/b.json");
    assert_int_equal(s.len[1], 2);
    assert_memory_equal(s.data[1], "{}", 2);
    assert_string_equal(s.names[2], "e");
    assert_int_equal(s.len[2], 0);

    /* 1 stops without an error, a negative code fails the walk */
    memset(&s, 0, sizeof(s));
    s.ret_at = 0;
    s.ret = 1;
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), 0);
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof(s));
    s.ret_at = 1;
    s.ret = BH_EPARSE;
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), BH_EPARSE);
    assert_int_equal(s.n, 2);
    assert_non_null(strstr(err.msg, "stopped at dir/b.json"));

    /* an empty archive walks nothing */
    memset(&s, 0, sizeof(s));
    p = make_zip("empty.zip", "zipfile.ZIP_STORED", "pass");
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), 0);
    assert_int_equal(s.n, 0);
}

static void zip_member_cap(void **state)
{
    struct seen s = {0};
    struct bh_err err;
    const char *p;

    (void)state;
    p = make_zip("cap.zip", "zipfile.ZIP_DEFLATED",
                 "z.writestr('small', 'x' * 100)\nz.writestr('big', 'y' * 5000)");
    assert_int_equal(walk_both(p, 4999, &s, &err), BH_ELIMIT);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(err.msg, "'big'"));
    memset(&s, 0, sizeof(s));
    assert_int_equal(walk_both(p, 5000, &s, &err), 0);
    assert_int_equal(s.n, 2);
}

static void zip_ratio_bomb(void **state)
{
    struct seen s = {0};
    struct bh_err err;
    const char *p;

    (void)state;
    /* 64 MiB of zeros in bzip2: a few hundred bytes on disk, far past BH_MAX_ZIP_RATIO */
    p = make_zip("bomb.zip", "zipfile.ZIP_BZIP2", "z.writestr('zeros', bytes(64 << 20))");
    assert_int_equal(walk_both(p, (size_t)1 << 30, &s, &err), BH_ELIMIT);
    assert_int_equal(s.n, 0);
    assert_non_null(strstr(err.msg, "times the archive's size"));
    /* the same content at a normal ratio passes */
    memset(&s, 0, sizeof(s));
    p = make_zip("fine.zip", "zipfile.ZIP_BZIP2",
                 "import os\nz.writestr('rand', os.urandom(200000))");
    assert_int_equal(walk_both(p, (size_t)1 << 30, &s, &err), 0);
    assert_int_equal(s.len[0], 200000);
}

static void zip_damaged(void **state)
{
    struct seen s = {0};
    struct bh_err err;
    const char *p;

    (void)state;
    /* flip bytes inside the deflated data of the second member */
    p = make_zip("bad.zip", "zipfile.ZIP_DEFLATED",
                 "import os\nz.writestr('first', 'ok')\nz.writestr('second', os.urandom(4000))");
    sh("python3 -c \"d=bytearray(open('%s','rb').read())\n"
       "i=d.index(b'second')+len('second')+100\nd[i:i+50]=bytes(50)\n"
       "open('%s','wb').write(d)\"",
       p, p);
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), BH_EPARSE);
    assert_non_null(strstr(err.msg, "'second'"));
    assert_int_equal(s.n, 1);

    /* not a zip at all */
    memset(&s, 0, sizeof(s));
    sh("printf 'hello world, not a zip' > '%s/plain'", tmpdir);
    snprintf(zpath, sizeof(zpath), "%s/plain", tmpdir);
    assert_true(walk_both(zpath, 1u << 20, &s, &err) == BH_EPARSE);
    assert_int_equal(s.n, 0);

    /* a missing file */
    bh_err_init(&err);
    assert_int_equal(bh_zip_walk_file("/nonexistent/x.zip", 10, record, &s, &err), BH_EIO);
}

static void zip_encrypted_member(void **state)
{
    struct seen s = {0};
    struct bh_err err;
    const char *p;

    (void)state;
    /* zipfile cannot encrypt: set the "encrypted" flag bit on the second member's headers */
    p = make_zip("enc.zip", "zipfile.ZIP_STORED",
                 "z.writestr('plain', 'visible')\nz.writestr('secret', 'hidden bytes here')");
    sh("python3 -c \"import struct\nd=bytearray(open('%s','rb').read())\n"
       "for sig,off in ((b'PK\\\\x03\\\\x04',6),(b'PK\\\\x01\\\\x02',8)):\n"
       "  i=-1\n"
       "  while True:\n"
       "    i=d.find(sig,i+1)\n"
       "    if i<0: break\n"
       "    n=struct.unpack('<H',d[i+off+20:i+off+22] if sig==b'PK\\\\x03\\\\x04' else "
       "d[i+28:i+30])[0]\n"
       "    nm=d[i+30:i+30+n] if sig==b'PK\\\\x03\\\\x04' else d[i+46:i+46+n]\n"
       "    if nm==b'secret': d[i+off]|=1\n"
       "open('%s','wb').write(d)\"",
       p, p);
    assert_int_equal(walk_both(p, 1u << 20, &s, &err), BH_EUNSUPPORTED);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "plain");
    assert_non_null(strstr(err.msg, "'secret' is encrypted"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zip_magic),
        cmocka_unit_test_setup_teardown(zip_members_in_order, make_tmp, rm_tmp),
        cmocka_unit_test_setup_teardown(zip_member_cap, make_tmp, rm_tmp),
        cmocka_unit_test_setup_teardown(zip_ratio_bomb, make_tmp, rm_tmp),
        cmocka_unit_test_setup_teardown(zip_damaged, make_tmp, rm_tmp),
        cmocka_unit_test_setup_teardown(zip_encrypted_member, make_tmp, rm_tmp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
