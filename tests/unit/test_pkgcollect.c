/*
 * test_pkgcollect.c - the packages of an image's final tree (input/pkgdb/collect.c): real
 * package databases from other projects (dpkg status, apk installed, rpm ndb and sqlite)
 * captured in layers built here, distroless status.d files, databases shadowed by a later
 * layer, truncated and broken databases, packages from binaries whose file is gone, and
 * the layer pass's unreadable archives reported only while their file is there.
 * Expectations are counted from the data files themselves, not from the readers.
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
#include "model/image.h"

#include <unistd.h>

#define TESTDATA BH_SOURCE_ROOT "/../shared/testdata/"

static struct bh_arena A;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&A, 1024u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&A);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        fail_msg("test data missing: %s (this test needs ../shared/testdata next to the "
                 "repository, see its README.md)",
                 path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = bh_arena_alloc(&A, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* ------------------------------------------------------------ layers built here */

#define MAXL 4

struct layers {
    struct bh_imgpart parts[MAXL];
    size_t cap_files[MAXL], cap_caps[MAXL], cap_pkgs[MAXL], cap_errs[MAXL];
    size_t n;
};

static void add_file(struct layers *L, size_t layer, const char *path, uint8_t type)
{
    struct bh_imgpart *p = &L->parts[layer];
    struct bh_imgfile *f = BH_PUSH(&A, p->files, p->nfiles, L->cap_files[layer]);

    assert_non_null(f);
    memset(f, 0, sizeof(*f));
    f->path = bh_arena_strdup(&A, path);
    f->type = type;
    f->mode = 0644;
    f->layer = (uint16_t)layer;
    if (layer + 1 > L->n)
        L->n = layer + 1;
}

/* A regular file with its content captured (truncated: only the start was kept). */
static void add_capture(struct layers *L, size_t layer, const char *path, const char *data,
                        size_t len, bool truncated)
{
    struct bh_imgpart *p = &L->parts[layer];
    struct bh_imgcapture *c;

    add_file(L, layer, path, BH_FT_REG);
    p->files[p->nfiles - 1].size = len;
    c = BH_PUSH(&A, p->captures, p->ncaptures, L->cap_caps[layer]);
    assert_non_null(c);
    memset(c, 0, sizeof(*c));
    c->path = p->files[p->nfiles - 1].path;
    c->layer = (int)layer;
    c->data = data;
    c->len = len;
    c->truncated = truncated;
}

static void add_capture_str(struct layers *L, size_t layer, const char *path, const char *s)
{
    add_capture(L, layer, path, s, strlen(s), false);
}

static void add_binpkg(struct layers *L, size_t layer, const char *path, const char *name,
                       const char *version)
{
    struct bh_imgpart *p = &L->parts[layer];
    struct bh_package *q = BH_PUSH(&A, p->packages, p->npackages, L->cap_pkgs[layer]);

    assert_non_null(q);
    memset(q, 0, sizeof(*q));
    q->kind = BH_PKG_MAVEN;
    q->name = name;
    q->version = version;
    q->path = path;
    q->layer = (int)layer;
}

/* A file the layer pass could not read packages from (as input/imgcollect.c records it). */
static void add_file_error(struct layers *L, size_t layer, const char *path, const char *message)
{
    struct bh_imgpart *p = &L->parts[layer];
    struct bh_imgerror *e = BH_PUSH(&A, p->errors, p->nerrors, L->cap_errs[layer]);

    assert_non_null(e);
    e->path = path;
    e->layer = (int)layer;
    e->message = message;
}

struct result {
    struct bh_image img;
    struct bh_packages pk;
    struct bh_pkgdb_error *errs;
    size_t nerrs;
};

static void collect(struct layers *L, struct result *r)
{
    struct bh_err err;

    memset(r, 0, sizeof(*r));
    bh_err_init(&err);
    r->img.nlayers = L->n;
    assert_int_equal(bh_image_merge(&A, &r->img, L->parts, L->n, &err), 0);
    bh_pkgdb_image_os(&A, &r->img);
    assert_int_equal(bh_pkgdb_image_packages(&A, &r->img, &r->pk, &r->errs, &r->nerrs), 0);
}

static const struct bh_package *find(const struct result *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->pk.n; i++)
        if (strcmp(r->pk.v[i].name, name) == 0)
            return &r->pk.v[i];
    return NULL;
}

static size_t count_substr(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ------------------------------------------------------------ dpkg */

static const char DEBIAN_OS[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
                                "VERSION_CODENAME=bookworm\nID=debian\n";

static void dpkg_status_and_status_d(void **state)
{
    struct layers L;
    struct result r;
    size_t len, installed, i;
    char *status = slurp(TESTDATA "pkgdb/dpkg-trivy/status", &len);
    const struct bh_package *p;

    (void)state;
    installed = count_substr(status, "\nStatus: install ok installed\n");
    if (strncmp(status, "Status: install ok installed\n", 29) == 0)
        installed++;
    assert_true(installed > 50);
    memset(&L, 0, sizeof(L));
    add_capture_str(&L, 0, "etc/os-release", DEBIAN_OS);
    add_capture(&L, 0, "var/lib/dpkg/status", status, len, false);
    /* distroless: one stanza per file, md5sums files next to them are not databases */
    add_capture_str(&L, 1, "var/lib/dpkg/status.d/zlib1g",
                    "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n"
                    "Source: zlib\n");
    add_capture_str(&L, 1, "var/lib/dpkg/status.d/base-files",
                    "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n");
    add_capture_str(&L, 1, "var/lib/dpkg/status.d/zlib1g.md5sums",
                    "0123456789abcdef0123456789abcdef  usr/lib/libz.so.1\n");
    collect(&L, &r);

    assert_int_equal(r.nerrs, 0);
    assert_string_equal(r.img.os.id, "debian");
    assert_int_equal(r.pk.n, installed + 2);
    /* the status database first, in its order, then status.d by file name */
    assert_string_equal(r.pk.v[installed].name, "base-files");
    assert_string_equal(r.pk.v[installed + 1].name, "zlib1g");
    p = &r.pk.v[installed + 1];
    assert_string_equal(p->version, "1:1.2.13.dfsg-1");
    assert_string_equal(p->src_name, "zlib");
    assert_string_equal(p->path, "var/lib/dpkg/status.d/zlib1g");
    assert_int_equal(p->layer, 1);
    assert_non_null(p->purl);
    assert_non_null(strstr(p->purl, "pkg:deb/debian/zlib1g@"));
    assert_non_null(strstr(p->purl, "distro=debian-12"));
    for (i = 0; i < installed; i++) {
        assert_int_equal(r.pk.v[i].kind, BH_PKG_DPKG);
        assert_int_equal(r.pk.v[i].layer, 0);
        assert_string_equal(r.pk.v[i].path, "var/lib/dpkg/status");
        assert_non_null(r.pk.v[i].purl);
        /* every listed package's stanza is in the file */
        {
            char needle[512];

            snprintf(needle, sizeof(needle), "Package: %s\n", r.pk.v[i].name);
            assert_non_null(strstr(status, needle));
        }
    }
}

/* ------------------------------------------------------------ apk */

static void apk_installed_matches_derived_list(void **state)
{
    struct layers L;
    struct result r;
    size_t len, tlen, rows = 0;
    char *db = slurp(TESTDATA "rootfs/alpine-v3.20-x86_64/lib_apk_db_installed.extracted", &len);
    char *tsv = slurp(TESTDATA "rootfs/alpine-v3.20-x86_64/packages.derived.tsv", &tlen);
    char *rel = slurp(TESTDATA "rootfs/alpine-v3.20-x86_64/etc_alpine-release.extracted", &tlen);
    char *line, *save = NULL;

    (void)state;
    memset(&L, 0, sizeof(L));
    add_capture(&L, 0, "etc/alpine-release", rel, strlen(rel), false);
    add_capture(&L, 0, "lib/apk/db/installed", db, len, false);
    collect(&L, &r);
    assert_int_equal(r.nerrs, 0);
    assert_string_equal(r.img.os.id, "alpine");

    line = strtok_r(tsv, "\n", &save); /* header */
    assert_non_null(line);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[4], *s2 = NULL;
        const struct bh_package *p;
        int k;

        f[0] = strtok_r(line, "\t", &s2);
        for (k = 1; k < 4; k++)
            f[k] = strtok_r(NULL, "\t", &s2);
        p = find(&r, f[0]);
        assert_non_null(p);
        assert_string_equal(p->version, f[1]);
        assert_string_equal(p->src_name, f[2]);
        assert_non_null(strstr(p->purl, "pkg:apk/alpine/"));
        rows++;
    }
    assert_true(rows > 0);
    assert_int_equal(r.pk.n, rows);
}

/* ------------------------------------------------------------ rpm */

static void rpm_ndb_and_sqlite(void **state)
{
    struct layers L;
    struct result r;
    size_t len, tlen, rows = 0;
    char *ndb = slurp(TESTDATA "pkgdb/rpm-go-rpmdb/sle15-bci/Packages.db", &len);
    char *tsv = slurp(TESTDATA "pkgdb/rpm-go-rpmdb/sle15-bci/expected_packages.tsv", &tlen);
    size_t slen;
    char *sq = slurp(TESTDATA "pkgdb/rpm-go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite", &slen);
    const char *p;

    (void)state;
    for (p = strchr(tsv, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        rows++;
    /* SUSE keeps it in usr/lib/sysimage/rpm */
    memset(&L, 0, sizeof(L));
    add_capture(&L, 0, "usr/lib/sysimage/rpm/Packages.db", ndb, len, false);
    add_capture_str(&L, 0, "usr/lib/sysimage/rpm/Index.db", "not a database");
    collect(&L, &r);
    assert_int_equal(r.nerrs, 0);
    assert_int_equal(r.pk.n, rows);
    assert_non_null(find(&r, "filesystem"));
    assert_string_equal(find(&r, "filesystem")->version, "15.0-11.3.2");
    assert_int_equal(find(&r, "filesystem")->kind, BH_PKG_RPM);

    /* sqlite in var/lib/rpm, next to the files rpm keeps beside it */
    memset(&L, 0, sizeof(L));
    add_capture(&L, 0, "var/lib/rpm/rpmdb.sqlite", sq, slen, false);
    add_capture_str(&L, 0, "var/lib/rpm/rpmdb.sqlite-shm", "");
    collect(&L, &r);
    assert_int_equal(r.nerrs, 0);
    assert_non_null(find(&r, "curl"));
    assert_string_equal(find(&r, "curl")->version, "7.76.0-6.cm2");
    assert_string_equal(find(&r, "curl")->path, "var/lib/rpm/rpmdb.sqlite");
}

/* ------------------------------------------------------------ the final tree */

static const char APK_ONE[] = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\n";
static const char APK_TWO[] = "C:Q1abc=\nP:musl\nV:1.2.5-r1\nA:x86_64\no:musl\n\n"
                              "C:Q1def=\nP:zlib\nV:1.3.1-r1\nA:x86_64\no:zlib\n\n";

static void shadowed_databases_ignored(void **state)
{
    struct layers L;
    struct result r;

    (void)state;
    /* removed by a whiteout: nothing */
    memset(&L, 0, sizeof(L));
    add_capture_str(&L, 0, "lib/apk/db/installed", APK_ONE);
    add_file(&L, 1, "lib/apk/db/installed", BH_FT_WHITEOUT);
    collect(&L, &r);
    assert_int_equal(r.pk.n, 0);
    assert_int_equal(r.nerrs, 0);

    /* replaced by a later layer: only the new one */
    memset(&L, 0, sizeof(L));
    add_capture_str(&L, 0, "lib/apk/db/installed", APK_ONE);
    add_capture_str(&L, 2, "lib/apk/db/installed", APK_TWO);
    add_file(&L, 1, "etc", BH_FT_DIR);
    collect(&L, &r);
    assert_int_equal(r.pk.n, 2);
    assert_string_equal(find(&r, "musl")->version, "1.2.5-r1");
    assert_int_equal(find(&r, "musl")->layer, 2);

    /* its directory made opaque: nothing under it */
    memset(&L, 0, sizeof(L));
    add_capture_str(&L, 0, "var/lib/dpkg/status.d/zlib1g", "Package: zlib1g\nVersion: 1\n");
    add_file(&L, 1, "var/lib/dpkg/status.d", BH_FT_OPAQUE);
    collect(&L, &r);
    assert_int_equal(r.pk.n, 0);
}

static void broken_databases_are_errors(void **state)
{
    struct layers L;
    struct result r;
    size_t i;

    (void)state;
    memset(&L, 0, sizeof(L));
    add_capture(&L, 0, "var/lib/rpm/Packages", "xx", 2, true);
    add_capture_str(&L, 0, "var/lib/dpkg/status",
                    "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
                    "this line has no colon\n");
    add_capture_str(&L, 0, "lib/apk/db/installed", APK_ONE);
    collect(&L, &r);
    /* the others are still read */
    assert_int_equal(r.pk.n, 1);
    assert_string_equal(r.pk.v[0].name, "musl");
    assert_int_equal(r.nerrs, 2);
    for (i = 0; i < r.nerrs; i++) {
        const struct bh_pkgdb_error *e = &r.errs[i];

        assert_non_null(strstr(e->message, e->file));
        if (strcmp(e->file, "var/lib/dpkg/status") == 0) {
            assert_int_equal(e->line, 5);
        } else {
            assert_string_equal(e->file, "var/lib/rpm/Packages");
            assert_non_null(strstr(e->message, "BH_MAX_PKG_CAPTURE_BYTES"));
            assert_int_equal(e->line, 0);
        }
    }
}

static void binary_packages_follow_their_file(void **state)
{
    struct layers L;
    struct result r;

    (void)state;
    memset(&L, 0, sizeof(L));
    add_file(&L, 0, "app/gone.jar", BH_FT_REG);
    add_binpkg(&L, 0, "app/gone.jar", "org.x:gone", "1.0");
    add_file(&L, 0, "app/web.war", BH_FT_REG);
    add_binpkg(&L, 0, "app/web.war!/WEB-INF/lib/inner.jar", "org.x:inner", "2.0");
    add_binpkg(&L, 0, "app/web.war", "org.x:web", "3.0");
    add_file(&L, 0, "app/replaced.jar", BH_FT_REG);
    add_binpkg(&L, 0, "app/replaced.jar", "org.x:old", "1.0");
    add_file(&L, 1, "app/gone.jar", BH_FT_WHITEOUT);
    add_file(&L, 1, "app/replaced.jar", BH_FT_REG);
    add_binpkg(&L, 1, "app/replaced.jar", "org.x:new", "2.0");
    /* a language file sorts in by path among them */
    add_capture_str(&L, 1, "app/node_modules/left-pad/package.json",
                    "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}");
    collect(&L, &r);
    assert_int_equal(r.nerrs, 0);
    assert_null(find(&r, "org.x:gone"));
    assert_null(find(&r, "org.x:old"));
    assert_int_equal(r.pk.n, 4);
    assert_string_equal(r.pk.v[0].name, "left-pad");
    assert_string_equal(r.pk.v[1].name, "org.x:new");
    assert_int_equal(r.pk.v[1].layer, 1);
    /* by path: an archive before what is nested in it */
    assert_string_equal(r.pk.v[2].name, "org.x:web");
    assert_string_equal(r.pk.v[3].name, "org.x:inner");
    assert_non_null(r.pk.v[3].purl);
    assert_non_null(strstr(r.pk.v[3].purl, "pkg:maven/org.x/inner@2.0"));
}

/* A broken archive read in layer 0: reported while that file is in the final tree. */
static void file_errors_follow_their_file(void **state)
{
    static const char *const msg =
        "app/broken.jar: cannot inflate member 'x.class': ZIP decompression failed (-5)";
    static const char *const nested = "app/web.war!/WEB-INF/lib/inner.jar: not a zip archive";
    struct layers L;
    struct result r;
    size_t i;

    (void)state;
    /* kept: the error is reported, the other files' packages are still listed */
    memset(&L, 0, sizeof(L));
    add_file(&L, 0, "app/broken.jar", BH_FT_REG);
    add_file_error(&L, 0, "app/broken.jar", msg);
    add_file(&L, 0, "app/good-1.0.jar", BH_FT_REG);
    add_binpkg(&L, 0, "app/good-1.0.jar", "org.x:good", "1.0");
    add_capture_str(&L, 0, "lib/apk/db/installed", "P:musl\nV:1.2.5-r0\no:musl\n\n");
    add_file(&L, 1, "app/web.war", BH_FT_REG);
    add_file_error(&L, 1, "app/web.war", nested);
    collect(&L, &r);
    assert_int_equal(r.nerrs, 2);
    /* by path */
    assert_string_equal(r.errs[0].file, "app/broken.jar");
    assert_int_equal(r.errs[0].layer, 0);
    assert_int_equal(r.errs[0].line, 0);
    assert_string_equal(r.errs[0].message, msg);
    assert_string_equal(r.errs[1].file, "app/web.war");
    assert_int_equal(r.errs[1].layer, 1);
    assert_string_equal(r.errs[1].message, nested);
    assert_non_null(find(&r, "org.x:good"));
    assert_non_null(find(&r, "musl"));
    assert_int_equal(r.pk.n, 2);

    /* the same archive removed by a whiteout in layer 1: nothing to report */
    memset(&L, 0, sizeof(L));
    add_file(&L, 0, "app/broken.jar", BH_FT_REG);
    add_file_error(&L, 0, "app/broken.jar", msg);
    add_file(&L, 0, "app/good-1.0.jar", BH_FT_REG);
    add_binpkg(&L, 0, "app/good-1.0.jar", "org.x:good", "1.0");
    add_file(&L, 1, "app/broken.jar", BH_FT_WHITEOUT);
    collect(&L, &r);
    assert_int_equal(r.img.nfile_errors, 1); /* merged, then dropped by the collector */
    assert_int_equal(r.nerrs, 0);
    assert_non_null(find(&r, "org.x:good"));

    /* replaced by a readable file in layer 1, or its directory removed: also gone */
    memset(&L, 0, sizeof(L));
    add_file(&L, 0, "app/broken.jar", BH_FT_REG);
    add_file_error(&L, 0, "app/broken.jar", msg);
    add_file(&L, 0, "opt/lib/old.jar", BH_FT_REG);
    add_file_error(&L, 0, "opt/lib/old.jar", "opt/lib/old.jar: not a zip archive");
    add_file(&L, 1, "app/broken.jar", BH_FT_REG);
    add_binpkg(&L, 1, "app/broken.jar", "org.x:fixed", "2.0");
    add_file(&L, 1, "opt", BH_FT_WHITEOUT);
    /* a new broken file in the top layer is reported, with the layer it was read in */
    add_file(&L, 1, "srv/new.jar", BH_FT_REG);
    add_file_error(&L, 1, "srv/new.jar", "srv/new.jar: not a zip archive");
    collect(&L, &r);
    assert_int_equal(r.nerrs, 1);
    assert_string_equal(r.errs[0].file, "srv/new.jar");
    assert_int_equal(r.errs[0].layer, 1);
    assert_non_null(find(&r, "org.x:fixed"));
    for (i = 0; i < r.nerrs; i++)
        assert_null(strstr(r.errs[i].message, "broken.jar"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dpkg_status_and_status_d, setup, teardown),
        cmocka_unit_test_setup_teardown(apk_installed_matches_derived_list, setup, teardown),
        cmocka_unit_test_setup_teardown(rpm_ndb_and_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(shadowed_databases_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_databases_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(binary_packages_follow_their_file, setup, teardown),
        cmocka_unit_test_setup_teardown(file_errors_follow_their_file, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
