/*
 * test_rootfs.c - a root filesystem directory read as a one-layer image (input/rootfs.c),
 * on trees built here: the file index and captures, symbolic links recorded and never
 * followed (loops included), a FIFO never opened, secrets in file content, the depth bound,
 * a directory that cannot be read (as an unprivileged user), and the package list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/pkgdb/pkgdb.h"
#include "input/rootfs.h"
#include "input/secretscan.h"
#include "model/image.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct fx {
    char root[256];
    struct bh_arena a;
    struct bh_secretscan *ss;
};

static void put(const struct fx *f, const char *rel, const char *content, mode_t mode)
{
    char path[1024];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", f->root, rel);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, strlen(content), fp), strlen(content));
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void dir(const struct fx *f, const char *rel)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", f->root, rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const struct fx *f, const char *rel, const char *target)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", f->root, rel);
    assert_int_equal(symlink(target, path), 0);
}

/* A PEM private key with plausible (not real) base64 lines. */
static const char *pem_key(struct bh_arena *a)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char line[3][65];
    int i, k;

    for (k = 0; k < 3; k++) {
        for (i = 0; i < 64; i++)
            line[k][i] = b64[(i * 7 + k * 13 + (i * i) % 11) % 64];
        line[k][64] = '\0';
    }
    return bh_arena_printf(a,
                           "-----BEGIN RSA PRIVATE KEY-----\nMII%s\n%s\n%s\n"
                           "-----END RSA PRIVATE KEY-----\n",
                           line[0] + 3, line[1], line[2]);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct bh_err err;
    char deep[1024];
    size_t i, n;

    if (!f)
        return -1;
    snprintf(f->root, sizeof(f->root), "/tmp/bh-rootfs-test-XXXXXX");
    if (!mkdtemp(f->root))
        return -1;
    chmod(f->root, 0755); /* the unprivileged child must get in */
    bh_arena_init(&f->a, 256u << 20);
    bh_err_init(&err);
    if (bh_secretscan_new(&f->ss, &err) != 0)
        return -1;
    dir(f, "etc");
    dir(f, "lib");
    dir(f, "lib/apk");
    dir(f, "lib/apk/db");
    dir(f, "usr");
    dir(f, "usr/bin");
    dir(f, "home");
    dir(f, "home/app");
    dir(f, "loop");
    dir(f, "var");
    put(f, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
        0644);
    put(f, "etc/os-release",
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"
        "PRETTY_NAME=\"Alpine Linux v3.20\"\n",
        0644);
    put(f, "lib/apk/db/installed",
        "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\n"
        "C:Q1def=\nP:busybox-binsh\nV:1.36.1-r29\nA:x86_64\no:busybox\n\n",
        0644);
    put(f, "usr/bin/tool", "#!/bin/sh\necho hi\n", 04755);
    put(f, "home/app/id_rsa", pem_key(&f->a), 0600);
    /* links are recorded as they are, never followed on the host */
    link_to(f, "etc/shadow", "/etc/shadow");
    link_to(f, "home/app/passwd", "../../etc/passwd");
    link_to(f, "loop/a", "b");
    link_to(f, "loop/b", "a");
    link_to(f, "loop/self", ".");
    link_to(f, "loop/up", "../..");
    link_to(f, "loop/host-root", "/");
    {
        char p[512];

        snprintf(p, sizeof(p), "%s/var/fifo", f->root);
        assert_int_equal(mkfifo(p, 0644), 0);
    }
    /* one level deeper than the walk enters */
    n = snprintf(deep, sizeof(deep), "deep");
    dir(f, deep);
    for (i = 1; i <= BH_MAX_WALK_DEPTH; i++) {
        n += (size_t)snprintf(deep + n, sizeof(deep) - n, "/d");
        dir(f, deep);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[1024];

    snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", f->root, f->root);
    assert_int_equal(system(cmd), 0);
    bh_secretscan_free(f->ss);
    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static size_t count_under(const struct bh_image *img, const char *prefix)
{
    size_t i, n = 0, pl = strlen(prefix);

    for (i = 0; i < img->nfiles; i++)
        if (strncmp(img->files[i].path, prefix, pl) == 0)
            n++;
    return n;
}

static void reads_tree_as_one_layer(void **state)
{
    struct fx *f = *state;
    struct bh_rootfs_opts o = {.secrets = f->ss, .now = 1700000000};
    struct bh_image img;
    struct bh_err err;
    size_t unreadable = 99, i;
    const struct bh_imgfile *e;
    const struct bh_imgcapture *c;
    struct bh_packages pk = {0};
    struct bh_pkgdb_error *pe = NULL;
    size_t npe = 0;

    bh_err_init(&err);
    assert_int_equal(bh_rootfs_load(&f->a, f->root, &o, &img, &unreadable, &err), 0);
    assert_string_equal(img.source, "rootfs");
    assert_string_equal(img.target, f->root);
    assert_int_equal(img.nlayers, 1);
    assert_null(img.layers[0].error);
    assert_true(img.layers[0].scanned);
    assert_int_equal(img.scan_time, 1700000000);
    /* only the level past BH_MAX_WALK_DEPTH was left out */
    assert_int_equal(unreadable, 1);
    assert_int_equal(count_under(&img, "deep/"), BH_MAX_WALK_DEPTH);

    e = bh_image_lookup(&img, "etc/passwd", false);
    assert_non_null(e);
    assert_int_equal(e->type, BH_FT_REG);
    assert_int_equal(e->mode, 0644);
    assert_int_equal(e->layer, 0);
    e = bh_image_lookup(&img, "/usr/bin/tool", false);
    assert_non_null(e);
    assert_int_equal(e->mode, 04755);
    assert_int_equal(e->size, strlen("#!/bin/sh\necho hi\n"));
    e = bh_image_lookup(&img, "var/fifo", false);
    assert_non_null(e);
    assert_int_equal(e->type, BH_FT_FIFO);

    /* symbolic links: recorded with their targets, resolved only inside the tree */
    e = bh_image_lookup(&img, "etc/shadow", false);
    assert_non_null(e);
    assert_int_equal(e->type, BH_FT_SYMLINK);
    assert_string_equal(e->link, "/etc/shadow");
    assert_null(bh_image_capture(&img, "etc/shadow")); /* the host's is not read */
    c = bh_image_capture(&img, "home/app/passwd");
    assert_non_null(c);
    assert_string_equal(c->path, "etc/passwd");
    e = bh_image_lookup(&img, "loop/self", false);
    assert_int_equal(e->type, BH_FT_SYMLINK);
    assert_string_equal(e->link, ".");
    assert_int_equal(count_under(&img, "loop/"), 5);
    assert_null(bh_image_lookup(&img, "loop/a", true)); /* a loop resolves to nothing */
    for (i = 0; i < img.nfiles; i++) {
        assert_false(img.files[i].flags & BH_IMGF_SHADOWED);
        assert_int_not_equal(img.files[i].path[0], '/');
    }

    /* captures as a layer pass makes them */
    c = bh_image_capture(&img, "etc/passwd");
    assert_non_null(c);
    assert_non_null(strstr(c->data, "app:x:1000"));
    assert_false(c->truncated);
    assert_non_null(bh_image_capture(&img, "lib/apk/db/installed"));
    assert_null(bh_image_capture(&img, "usr/bin/tool"));
    assert_string_equal(img.os.id, "alpine");
    assert_string_equal(img.os.version_id, "3.20.3");

    /* secrets in content */
    assert_int_equal(img.nsecrets, 1);
    assert_string_equal(img.secrets[0].path, "home/app/id_rsa");
    assert_string_equal(img.secrets[0].kind, "private-key");
    assert_int_equal(img.secrets[0].line, 1);

    assert_int_equal(bh_pkgdb_image_packages(&f->a, &img, &pk, &pe, &npe), 0);
    assert_int_equal(npe, 0);
    assert_int_equal(pk.n, 2);
    assert_string_equal(pk.v[0].name, "musl");
    assert_string_equal(pk.v[0].version, "1.2.5-r0");
    assert_string_equal(pk.v[0].path, "lib/apk/db/installed");
    assert_non_null(strstr(pk.v[0].purl, "distro=alpine-3.20.3"));
    assert_string_equal(pk.v[1].src_name, "busybox");
}

static void no_secret_scan_without_scanner(void **state)
{
    struct fx *f = *state;
    struct bh_rootfs_opts o = {.secrets = NULL, .now = 0};
    struct bh_image img;
    struct bh_err err;
    size_t unreadable;

    bh_err_init(&err);
    assert_int_equal(bh_rootfs_load(&f->a, f->root, &o, &img, &unreadable, &err), 0);
    assert_int_equal(img.nsecrets, 0);
    assert_non_null(bh_image_capture(&img, "etc/passwd"));
}

/*
 * A directory the scanning user may not read: listed, not entered, counted. Root reads
 * everything, so as root the walk runs in a child that has become nobody.
 */
static int unreadable_child(const char *root)
{
    struct bh_arena a;
    struct bh_rootfs_opts o = {.secrets = NULL, .now = 0};
    struct bh_image img;
    struct bh_err err;
    size_t unreadable = 0;
    const struct bh_imgfile *e;
    int bad = 0;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_rootfs_load(&a, root, &o, &img, &unreadable, &err) != 0)
        return 10;
    e = bh_image_lookup(&img, "locked", false);
    if (!e || e->type != BH_FT_DIR)
        bad = 11;
    else if (bh_image_lookup(&img, "locked/inside", false))
        bad = 12;
    else if (!bh_image_lookup(&img, "etc/passwd", false))
        bad = 13;
    else if (bh_image_lookup(&img, "etc/private", false) == NULL)
        bad = 14; /* listed even though its content cannot be read */
    else if (bh_image_capture(&img, "etc/private") != NULL)
        bad = 15;
    else if (unreadable != 3) /* locked/, etc/private, and the depth bound */
        bad = 16;
    bh_arena_release(&a);
    return bad;
}

static void unreadable_directory_counted(void **state)
{
    struct fx *f = *state;
    pid_t pid;
    int status = 0;

    dir(f, "locked");
    put(f, "locked/inside", "x", 0644);
    put(f, "etc/private", "secret", 0);
    /* etc/private is in the captured set only by name in a sudoers.d-like dir: make it one */
    {
        char from[512], to[512];

        snprintf(from, sizeof(from), "%s/etc/private", f->root);
        dir(f, "etc/sudoers.d");
        snprintf(to, sizeof(to), "%s/etc/sudoers.d/private", f->root);
        assert_int_equal(rename(from, to), 0);
        assert_int_equal(symlink("sudoers.d/private", from), 0);
    }
    {
        char p[512];

        snprintf(p, sizeof(p), "%s/locked", f->root);
        assert_int_equal(chmod(p, 0), 0);
    }
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0))
            _exit(20);
        _exit(unreadable_child(f->root));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void missing_root_is_an_error(void **state)
{
    struct fx *f = *state;
    struct bh_rootfs_opts o = {.secrets = NULL, .now = 0};
    struct bh_image img;
    struct bh_err err;
    size_t unreadable;
    char p[512];

    bh_err_init(&err);
    snprintf(p, sizeof(p), "%s/does-not-exist", f->root);
    assert_int_equal(bh_rootfs_load(&f->a, p, &o, &img, &unreadable, &err), BH_EIO);
    assert_non_null(strstr(err.msg, "does-not-exist"));
    snprintf(p, sizeof(p), "%s/etc/passwd", f->root);
    assert_int_equal(bh_rootfs_load(&f->a, p, &o, &img, &unreadable, &err), BH_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_tree_as_one_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(no_secret_scan_without_scanner, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_directory_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_root_is_an_error, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
