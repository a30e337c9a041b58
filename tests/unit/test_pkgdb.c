/*
 * test_pkgdb.c - OS package database readers against real databases and the expected
 * lists published with them (../shared/testdata/pkgdb, rootfs), plus os-release and purl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/json.h"
#include "input/pkgdb/pkgdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TESTDATA BH_SOURCE_ROOT "/../shared/testdata/"

/* The whole file, or a test failure naming the path. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        fail_msg("test data missing: cannot open '%s' (see ../shared/testdata/README.md)", path);
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        fail_msg("cannot size '%s'", path);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("cannot read '%s'", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static const struct bh_package *find_pkg(const struct bh_packages *ps, const char *name)
{
    const struct bh_package *hit = NULL;
    size_t i;

    for (i = 0; i < ps->n; i++)
        if (strcmp(ps->v[i].name, name) == 0) {
            assert_null(hit); /* names are unique in these databases */
            hit = &ps->v[i];
        }
    return hit;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* "[epoch:]version[-release]" from the split fields of the expected lists. */
static const char *join_version(struct bh_arena *a, const struct bh_jnode *pkg, const char *ek,
                                const char *vk, const char *rk)
{
    long long epoch = 0;
    const char *v = bh_json_str(bh_json_get(pkg, vk));
    const char *r = bh_json_str(bh_json_get(pkg, rk));
    const struct bh_jnode *e = bh_json_get(pkg, ek);

    assert_non_null(v);
    if (e != NULL)
        assert_true(bh_json_int(e, &epoch));
    return bh_arena_printf(a, "%s%s%s%s%s", epoch != 0 ? bh_arena_printf(a, "%lld", epoch) : "",
                           epoch != 0 ? ":" : "", v, r != NULL ? "-" : "", r != NULL ? r : "");
}

/* ---- dpkg ---------------------------------------------------------------------------- */

static void dpkg_trivy_status_matches_expected(void **state)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    struct bh_jnode *root;
    size_t len, jlen, i;
    char *data = slurp(TESTDATA "pkgdb/dpkg-trivy/status", &len);
    char *json = slurp(TESTDATA "pkgdb/dpkg-trivy/expected_packages.json", &jlen);
    int binnmu = 0, renamed = 0;

    (void)state;
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_dpkg(&a, "var/lib/dpkg/status", data, len, 3, &ps, &err), 0);
    assert_int_equal(bh_json_parse(&a, "expected_packages.json", json, jlen, &root, &err), 0);
    assert_true(bh_json_is_array(root));
    assert_int_equal(root->n, 90);
    assert_int_equal(ps.n, root->n);
    for (i = 0; i < root->n; i++) {
        const struct bh_jnode *e = &root->items[i];
        const char *name = bh_json_str(bh_json_get(e, "Name"));
        const struct bh_package *p = find_pkg(&ps, name);
        const char *want_v = join_version(&a, e, "Epoch", "Version", "Release");
        const char *want_sv = join_version(&a, e, "SrcEpoch", "SrcVersion", "SrcRelease");

        if (p == NULL)
            fail_msg("expected package '%s' not read", name);
        assert_int_equal(p->kind, BH_PKG_DPKG);
        assert_string_equal(p->version, want_v);
        assert_string_equal(bh_arena_printf(&a, "%s@%s", p->name, p->version),
                            bh_json_str(bh_json_get(e, "ID")));
        assert_string_equal(or_empty(p->arch), bh_json_str(bh_json_get(e, "Arch")));
        assert_string_equal(or_empty(p->src_name), bh_json_str(bh_json_get(e, "SrcName")));
        /* src_version is set only when the source version differs from the binary's */
        assert_string_equal(p->src_version != NULL ? p->src_version : p->version, want_sv);
        if (p->src_version != NULL)
            assert_string_not_equal(p->src_version, p->version);
        assert_null(p->license);
        assert_string_equal(p->path, "var/lib/dpkg/status");
        assert_int_equal(p->layer, 3);
        if (strstr(p->version, "+b") != NULL && p->src_version != NULL)
            binnmu++;
        if (strcmp(p->src_name, p->name) != 0)
            renamed++;
    }
    assert_int_equal(binnmu, 2); /* liblzma5 and libustr: binNMUs */
    assert_true(renamed > 30);
    /* the one "deinstall ok config-files" stanza is not a package */
    assert_non_null(strstr(data, "Status: deinstall ok config-files"));
    bh_arena_release(&a);
    free(data);
    free(json);
}

static void dpkg_status_d_and_edge_cases(void **state)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    /* a distroless status.d file: one stanza, no Status field */
    static const char distroless[] = "Package: libssl3\n"
                                     "Version: 3.0.11-1~deb12u2\n"
                                     "Architecture: amd64\n"
                                     "Source: openssl\n"
                                     "Description: Secure Sockets Layer toolkit\n"
                                     " This package is part of the OpenSSL project.\n"
                                     " .\n"
                                     " It provides the libssl and libcrypto shared libraries.\n";
    static const char binnmu_no_src_version[] = "package: foo\nstatus: hold ok installed\n"
                                                "version: 1:2.0-3+b12\n\n\n"
                                                "Package: gone\nStatus: purge ok not-installed\n\n"
                                                "Package: half\nStatus: install ok unpacked\n"
                                                "Version: 1\n";

    (void)state;
    bh_arena_init(&a, 1u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_dpkg(&a, "var/lib/dpkg/status.d/libssl3", distroless,
                                   sizeof(distroless) - 1, -1, &ps, &err),
                     0);
    assert_int_equal(ps.n, 1);
    assert_string_equal(ps.v[0].name, "libssl3");
    assert_string_equal(ps.v[0].version, "3.0.11-1~deb12u2");
    assert_string_equal(ps.v[0].src_name, "openssl");
    assert_null(ps.v[0].src_version);
    assert_string_equal(ps.v[0].path, "var/lib/dpkg/status.d/libssl3");
    assert_int_equal(ps.v[0].layer, -1);

    assert_int_equal(bh_pkgdb_dpkg(&a, "status", binnmu_no_src_version,
                                   sizeof(binnmu_no_src_version) - 1, 0, &ps, &err),
                     0);
    assert_int_equal(ps.n, 2); /* foo (held, installed); gone and half are not installed */
    assert_string_equal(ps.v[1].name, "foo");
    assert_string_equal(ps.v[1].src_name, "foo");
    assert_string_equal(ps.v[1].src_version, "1:2.0-3");
    assert_null(ps.v[1].arch);
    bh_arena_release(&a);
}

static void dpkg_rejects_malformed(void **state)
{
    static const struct {
        const char *text;
        int code, line;
    } cases[] = {
        {"Package: a\nVersion: 1\nno colon here\n", BH_EPARSE, 3},
        {" continuation first\n", BH_EPARSE, 1},
        {"Version: 1\nStatus: install ok installed\n", BH_EPARSE, 1},
        {"Package: a\n\nPackage: b\nSource: (1.0)\nVersion: 2\n", BH_EPARSE, 1},
        {"Package: a\nVersion: 1\nSource: x (1.0\n", BH_EPARSE, 3},
        {"Package: a\nPackage: b\nVersion: 1\n", BH_EPARSE, 2},
        {"Package: a\nStatus: install ok installed\n", BH_EPARSE, 1},
    };
    struct bh_arena a;
    struct bh_err err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bh_packages ps = {0};

        bh_arena_init(&a, 1u << 20);
        bh_err_init(&err);
        assert_int_equal(
            bh_pkgdb_dpkg(&a, "status", cases[i].text, strlen(cases[i].text), 0, &ps, &err),
            cases[i].code);
        if (i != 3)
            assert_int_equal(err.line, cases[i].line);
        assert_string_equal(err.file, "status");
        bh_arena_release(&a);
    }
}

/* ---- apk ----------------------------------------------------------------------------- */

static const char *const alpine_branches[] = {"alpine-v3.10-x86_64", "alpine-v3.11-x86_64",
                                              "alpine-v3.20-x86_64", "alpine-edge-x86_64"};

static void apk_rootfs_matches_derived_lists(void **state)
{
    size_t b;

    (void)state;
    for (b = 0; b < sizeof(alpine_branches) / sizeof(alpine_branches[0]); b++) {
        char path[1024];
        struct bh_arena a;
        struct bh_packages ps = {0};
        struct bh_err err;
        size_t len, tlen, rows = 0;
        char *db, *tsv, *line, *next;

        snprintf(path, sizeof(path), TESTDATA "rootfs/%s/lib_apk_db_installed.extracted",
                 alpine_branches[b]);
        db = slurp(path, &len);
        snprintf(path, sizeof(path), TESTDATA "rootfs/%s/packages.derived.tsv", alpine_branches[b]);
        tsv = slurp(path, &tlen);
        bh_arena_init(&a, 64u << 20);
        bh_err_init(&err);
        assert_int_equal(bh_pkgdb_apk(&a, "lib/apk/db/installed", db, len, 0, &ps, &err), 0);
        line = strchr(tsv, '\n'); /* header */
        assert_non_null(line);
        assert_true(strncmp(tsv, "name\tversion\torigin\tarch\n", 25) == 0);
        for (line++; *line != '\0'; line = next) {
            char *f[4];
            const struct bh_package *p;
            int k;

            next = strchr(line, '\n');
            assert_non_null(next);
            *next++ = '\0';
            f[0] = line;
            for (k = 1; k < 4; k++) {
                f[k] = strchr(f[k - 1], '\t');
                assert_non_null(f[k]);
                *f[k]++ = '\0';
            }
            assert_null(strchr(f[3], '\\')); /* no TSV escapes in these lists */
            p = find_pkg(&ps, f[0]);
            if (p == NULL)
                fail_msg("%s: package '%s' not read", alpine_branches[b], f[0]);
            assert_int_equal(p->kind, BH_PKG_APK);
            assert_string_equal(p->version, f[1]);
            assert_string_equal(or_empty(p->src_name), f[2]);
            assert_string_equal(or_empty(p->arch), f[3]);
            assert_non_null(p->license);
            rows++;
        }
        assert_int_equal(rows, 14);
        assert_int_equal(ps.n, rows);
        bh_arena_release(&a);
        free(db);
        free(tsv);
    }
}

/*
 * alpine v3.7 ships only its minirootfs tarball: read the database out of it with tar(1)
 * and check every package against the P:/V: line pair it came from.
 */
static void apk_v37_tarball(void **state)
{
    const char *tgz = TESTDATA "rootfs/alpine-v3.7-x86_64/alpine-minirootfs-3.7.3-x86_64.tar.gz";
    char cmd[2048], *db = NULL, *p;
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t len = 0, i, nP = 0;
    FILE *f, *t;

    (void)state;
    if ((t = fopen(tgz, "rb")) == NULL)
        fail_msg("test data missing: cannot open '%s'", tgz);
    fclose(t);
    snprintf(cmd, sizeof(cmd), "tar -xzOf '%s' ./lib/apk/db/installed", tgz);
    f = popen(cmd, "r");
    assert_non_null(f);
    db = malloc(1u << 20);
    assert_non_null(db);
    len = fread(db, 1, (1u << 20) - 1, f);
    assert_int_equal(pclose(f), 0);
    db[len] = '\0';
    for (p = db; (p = strstr(p, "\nP:")) != NULL; p++)
        nP++;
    bh_arena_init(&a, 16u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_apk(&a, "lib/apk/db/installed", db, len, 0, &ps, &err), 0);
    assert_int_equal(ps.n, nP + (strncmp(db, "P:", 2) == 0));
    assert_true(ps.n >= 10);
    for (i = 0; i < ps.n; i++) {
        char *pair = bh_arena_printf(&a, "P:%s\nV:%s\n", ps.v[i].name, ps.v[i].version);

        assert_non_null(strstr(db, pair));
        assert_non_null(strstr(db, bh_arena_printf(&a, "o:%s\n", ps.v[i].src_name)));
    }
    bh_arena_release(&a);
    free(db);
}

static void apk_fields_and_errors(void **state)
{
    static const char db[] = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n"
                             "F:lib\nR:ld-musl-x86_64.so.1\n\n"
                             "P:scanelf\nV:1.3.8-r0\n"; /* no trailing blank line, no origin */
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_apk(&a, "installed", db, sizeof(db) - 1, 2, &ps, &err), 0);
    assert_int_equal(ps.n, 2);
    assert_string_equal(ps.v[0].license, "MIT");
    assert_string_equal(ps.v[1].name, "scanelf");
    assert_null(ps.v[1].src_name);
    assert_null(ps.v[1].arch);
    assert_int_equal(ps.v[1].layer, 2);
    assert_int_equal(bh_pkgdb_apk(&a, "installed", "P:a\nV:1\nbogus\n", 14, 0, &ps, &err),
                     BH_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(bh_pkgdb_apk(&a, "installed", "P:a\n\nV:1\n", 9, 0, &ps, &err), BH_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(bh_pkgdb_apk(&a, "installed", "P:a\nP:b\nV:1\n", 12, 0, &ps, &err), BH_EPARSE);
    assert_int_equal(err.line, 2);
    bh_arena_release(&a);
}

/* ---- rpm ----------------------------------------------------------------------------- */

#define RPMDB TESTDATA "pkgdb/rpm-go-rpmdb/"

/* The source rpm file name a package's src fields stand for. */
static const char *srpm_of(struct bh_arena *a, const struct bh_package *p)
{
    const char *vr = p->src_version;

    if (vr == NULL) {
        vr = strchr(p->version, ':') != NULL ? strchr(p->version, ':') + 1 : p->version;
    }
    return bh_arena_printf(a, "%s-%s.src.rpm", p->src_name, vr);
}

static void rpm_ndb_sle15_matches_expected(void **state)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t len, tlen, rows = 0;
    char *db = slurp(RPMDB "sle15-bci/Packages.db", &len);
    char *tsv = slurp(RPMDB "sle15-bci/expected_packages.tsv", &tlen);
    char *line, *next;
    const char *hdr = "epoch\tname\tversion\trelease\tarch\tsourcerpm\tsize\tlicense\t";

    (void)state;
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_rpm(&a, "var/lib/rpm/Packages.db", db, len, 1, &ps, &err), 0);
    assert_true(strncmp(tsv, hdr, strlen(hdr)) == 0);
    for (line = strchr(tsv, '\n') + 1; *line != '\0'; line = next) {
        char *f[8];
        const struct bh_package *p;
        const char *want;
        int k;

        next = strchr(line, '\n');
        assert_non_null(next);
        *next++ = '\0';
        f[0] = line;
        for (k = 1; k < 8; k++) {
            f[k] = strchr(f[k - 1], '\t');
            assert_non_null(f[k]);
            *f[k]++ = '\0';
        }
        *strchr(f[7], '\t') = '\0';
        p = find_pkg(&ps, f[1]);
        if (p == NULL)
            fail_msg("expected package '%s' not read", f[1]);
        want = bh_arena_printf(&a, "%s%s%s-%s", f[0], f[0][0] != '\0' ? ":" : "", f[2], f[3]);
        assert_string_equal(p->version, want);
        assert_string_equal(or_empty(p->arch), f[4]);
        assert_string_equal(srpm_of(&a, p), f[5]);
        assert_string_equal(or_empty(p->license), f[7]);
        assert_string_equal(p->path, "var/lib/rpm/Packages.db");
        assert_int_equal(p->layer, 1);
        rows++;
    }
    assert_int_equal(rows, 35);
    assert_int_equal(ps.n, rows);
    /* two binaries of one source: libreadline7 comes from bash-4.4 */
    assert_string_equal(find_pkg(&ps, "libreadline7")->src_name, "bash");
    assert_string_equal(find_pkg(&ps, "libreadline7")->src_version, "4.4-19.6.1");
    assert_null(find_pkg(&ps, "bash")->src_version);
    bh_arena_release(&a);
    free(db);
    free(tsv);
}

/* One named package of an rpm database against expected_single_packages.json. */
static void check_single(const char *path, const char *key, size_t want_n)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    struct bh_jnode *root;
    const struct bh_jnode *want;
    const struct bh_package *p;
    size_t len, jlen, i;
    char *db = slurp(path, &len);
    char *json = slurp(RPMDB "expected_single_packages.json", &jlen);

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_json_parse(&a, "expected_single_packages.json", json, jlen, &root, &err),
                     0);
    want = bh_json_get(bh_json_get(root, key), "want");
    assert_non_null(want);
    if (bh_pkgdb_rpm(&a, "rpmdb", db, len, 0, &ps, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    assert_int_equal(ps.n, want_n);
    p = find_pkg(&ps, bh_json_str(bh_json_get(want, "Name")));
    assert_non_null(p);
    assert_string_equal(p->version, join_version(&a, want, "Epoch", "Version", "Release"));
    assert_string_equal(or_empty(p->arch), bh_json_str(bh_json_get(want, "Arch")));
    assert_string_equal(srpm_of(&a, p), bh_json_str(bh_json_get(want, "SourceRpm")));
    assert_string_equal(or_empty(p->license), bh_json_str(bh_json_get(want, "License")));
    for (i = 0; i < ps.n; i++) {
        assert_true(ps.v[i].name[0] != '\0');
        assert_non_null(strchr(ps.v[i].version, '-'));
    }
    bh_arena_release(&a);
    free(db);
    free(json);
}

static void rpm_sqlite_mariner_curl(void **state)
{
    (void)state;
    /* 129 rows in its Packages table (counted with Python's sqlite3 module) */
    check_single(RPMDB "cbl-mariner-2.0/rpmdb.sqlite", "CBL-Mariner 2.0 curl", 129);
}

static void rpm_bdb_libuuid(void **state)
{
    (void)state;
    check_single(RPMDB "libuuid/Packages", "libuuid", 1); /* a database of that one package */
}

/* A header blob from (tag, type, value) triples: strings for types 6 and 9, else an int32. */
struct htag {
    uint32_t tag, type;
    const char *s;
    uint32_t v;
};

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static size_t build_header(unsigned char *buf, const struct htag *t, size_t n)
{
    unsigned char *data = buf + 8 + 16 * n;
    size_t dl = 0, i;

    for (i = 0; i < n; i++) {
        unsigned char *e = buf + 8 + 16 * i;

        if (t[i].s == NULL)
            while (dl % 4 != 0)
                data[dl++] = 0;
        put_be32(e, t[i].tag);
        put_be32(e + 4, t[i].type);
        put_be32(e + 8, (uint32_t)dl);
        put_be32(e + 12, 1);
        if (t[i].s != NULL) {
            memcpy(data + dl, t[i].s, strlen(t[i].s) + 1);
            dl += strlen(t[i].s) + 1;
        } else {
            put_be32(data + dl, t[i].v);
            dl += 4;
        }
    }
    put_be32(buf, (uint32_t)n);
    put_be32(buf + 4, (uint32_t)dl);
    return 8 + 16 * n + dl;
}

/* An NDB database with one slot page holding the given header blob as package 1. */
static size_t build_ndb(unsigned char *buf, size_t cap, const unsigned char *hdr, size_t hl)
{
    size_t o, nblk = (16 + hl + 12 + 15) / 16;

    assert_true(4096 + nblk * 16 <= cap);
    memset(buf, 0, 4096 + nblk * 16);
    memcpy(buf, "RpmP", 4);
    put_le32(buf + 12, 1);
    for (o = 32; o < 4096; o += 16)
        memcpy(buf + o, "Slot", 4);
    put_le32(buf + 36, 1);
    put_le32(buf + 40, 4096 / 16);
    put_le32(buf + 44, (uint32_t)nblk);
    memcpy(buf + 4096, "BlbS", 4);
    put_le32(buf + 4100, 1);
    put_le32(buf + 4108, (uint32_t)hl);
    memcpy(buf + 4112, hdr, hl);
    return 4096 + nblk * 16;
}

static void rpm_header_fields_and_bounds(void **state)
{
    static const struct htag tags[] = {
        {1000, 6, "openssl-libs", 0},
        {1003, 4, NULL, 1},
        {1001, 6, "3.0.7", 0},
        {1002, 6, "27.el9", 0},
        {1014, 9, "ASL 2.0", 0},
        {1022, 6, "x86_64", 0},
        {1044, 6, "openssl-3.0.7-27.el9.src.rpm", 0},
    };
    static unsigned char hdr[4096], ndb[16384];
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t hl, nl, i;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    bh_err_init(&err);
    hl = build_header(hdr, tags, sizeof(tags) / sizeof(tags[0]));
    nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
    assert_int_equal(bh_pkgdb_rpm(&a, "Packages.db", ndb, nl, 0, &ps, &err), 0);
    assert_int_equal(ps.n, 1);
    assert_string_equal(ps.v[0].name, "openssl-libs");
    assert_string_equal(ps.v[0].version, "1:3.0.7-27.el9");
    assert_string_equal(ps.v[0].src_name, "openssl");
    assert_null(ps.v[0].src_version);
    assert_string_equal(ps.v[0].license, "ASL 2.0");
    assert_string_equal(bh_pkgdb_purl(&a, &ps.v[0], NULL),
                        "pkg:rpm/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1");

    /* every truncation of the blob is refused, none crashes */
    for (i = 0; i < hl; i++) {
        struct bh_packages q = {0};

        nl = build_ndb(ndb, sizeof(ndb), hdr, i);
        assert_int_not_equal(bh_pkgdb_rpm(&a, "Packages.db", ndb, nl, 0, &q, &err), 0);
        assert_int_equal(q.n, 0);
    }
    /* a string offset past the data store, an epoch that is a string, a huge index count */
    {
        static const unsigned char bad_off[] = {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3, 0xe8, 0,
                                                0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 1, 'a',  0};
        static const struct htag bad_epoch[] = {{1000, 6, "a", 0}, {1003, 6, "1", 0}};
        struct bh_packages q = {0};

        nl = build_ndb(ndb, sizeof(ndb), bad_off, sizeof(bad_off));
        assert_int_equal(bh_pkgdb_rpm(&a, "Packages.db", ndb, nl, 0, &q, &err), BH_EPARSE);
        assert_non_null(strstr(err.msg, "outside the data store"));
        hl = build_header(hdr, bad_epoch, 2);
        nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
        assert_int_equal(bh_pkgdb_rpm(&a, "Packages.db", ndb, nl, 0, &q, &err), BH_EPARSE);
        assert_non_null(strstr(err.msg, "epoch"));
        put_be32(hdr, 0x01000000u);
        nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
        assert_int_equal(bh_pkgdb_rpm(&a, "Packages.db", ndb, nl, 0, &q, &err), BH_ELIMIT);
        assert_non_null(strstr(err.msg, "BH_MAX_RPM_HEADER_TAGS"));
        assert_int_equal(q.n, 0);
    }
    bh_arena_release(&a);
}

static void rpm_walkers_refuse_broken_files(void **state)
{
    static const struct htag tags[] = {{1000, 6, "a", 0}, {1001, 6, "1", 0}, {1002, 6, "1", 0}};
    static unsigned char hdr[512], ndb[8192];
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t hl, nl, len, i, loops = 0;
    unsigned char *bdb;
    char *orig;

    (void)state;
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    hl = build_header(hdr, tags, 3);
    /* NDB: slot pointing past the end, bad blob magic, bad slot magic, absurd slot pages */
    nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
    assert_int_equal(bh_pkgdb_rpm(&a, "p", ndb, nl, 0, &ps, &err), 0);
    assert_int_equal(ps.n, 1);
    put_le32(ndb + 40, 100000);
    assert_int_equal(bh_pkgdb_rpm(&a, "p", ndb, nl, 0, &ps, &err), BH_EPARSE);
    nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
    ndb[4096] = 'X';
    assert_int_equal(bh_pkgdb_rpm(&a, "p", ndb, nl, 0, &ps, &err), BH_EPARSE);
    nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
    ndb[48] = 'X';
    assert_int_equal(bh_pkgdb_rpm(&a, "p", ndb, nl, 0, &ps, &err), BH_EPARSE);
    nl = build_ndb(ndb, sizeof(ndb), hdr, hl);
    put_le32(ndb + 12, 0xffffffffu);
    assert_int_equal(bh_pkgdb_rpm(&a, "p", ndb, nl, 0, &ps, &err), BH_EPARSE);
    assert_int_equal(ps.n, 1);

    /* BDB: the real libuuid file with its overflow chain cut into a loop, then truncated */
    orig = slurp(RPMDB "libuuid/Packages", &len);
    bdb = malloc(len);
    assert_non_null(bdb);
    for (i = 1; i < len / 4096; i++) {
        memcpy(bdb, orig, len);
        if (bdb[i * 4096 + 25] != 7)
            continue;
        if (bdb[i * 4096 + 16] != 0) {
            put_le32(bdb + i * 4096 + 16, (uint32_t)i); /* next page = itself */
            loops++;
        } else {
            bdb[i * 4096 + 22] = 0x01; /* last page: fewer bytes than the item's length */
            bdb[i * 4096 + 23] = 0x00;
        }
        ps.n = 0;
        assert_int_not_equal(bh_pkgdb_rpm(&a, "Packages", bdb, len, 0, &ps, &err), 0);
        assert_int_equal(ps.n, 0);
    }
    assert_true(loops > 0);
    for (i = 512; i < len; i += 4096 - 7) {
        ps.n = 0;
        (void)bh_pkgdb_rpm(&a, "Packages", orig, i, 0, &ps, &err); /* must not crash */
    }
    memcpy(bdb, orig, len);
    bdb[20] = 0x11; /* page size not a power of two */
    assert_int_equal(bh_pkgdb_rpm(&a, "Packages", bdb, len, 0, &ps, &err), BH_EPARSE);
    free(bdb);
    free(orig);

    /* neither format */
    assert_int_equal(bh_pkgdb_rpm(&a, "x", "hello world, not rpm", 20, 0, &ps, &err), BH_EPARSE);
    bh_arena_release(&a);
}

static void rpm_sqlite_refuses_garbage(void **state)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_err err;
    size_t len;
    char *db = slurp(RPMDB "cbl-mariner-2.0/rpmdb.sqlite", &len);

    (void)state;
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    /* only the first pages: the schema is there, the rows are not */
    assert_int_not_equal(bh_pkgdb_rpm(&a, "rpmdb.sqlite", db, 8192, 0, &ps, &err), 0);
    memset(db + 100, 0xff, 4000);
    assert_int_not_equal(bh_pkgdb_rpm(&a, "rpmdb.sqlite", db, len, 0, &ps, &err), 0);
    bh_arena_release(&a);
    free(db);
}

/* ---- os identity -------------------------------------------------------------------- */

static void osinfo_alpine_release_files(void **state)
{
    static const char *const want[] = {"3.10.9", "3.11.13", "3.20.3", "3.21.0_alpha20240923"};
    size_t b;

    (void)state;
    for (b = 0; b < sizeof(alpine_branches) / sizeof(alpine_branches[0]); b++) {
        char path[1024];
        struct bh_arena a;
        struct bh_osinfo os = {0};
        struct bh_err err;
        size_t len;
        char *d;

        snprintf(path, sizeof(path), TESTDATA "rootfs/%s/etc_alpine-release.extracted",
                 alpine_branches[b]);
        d = slurp(path, &len);
        bh_arena_init(&a, 1u << 20);
        bh_err_init(&err);
        assert_int_equal(bh_pkgdb_osinfo(&a, "etc/alpine-release", d, len, &os, &err), 0);
        assert_string_equal(os.id, "alpine");
        assert_string_equal(os.version_id, want[b]);
        assert_null(os.codename);
        bh_arena_release(&a);
        free(d);
    }
}

static void osinfo_os_release_quoting(void **state)
{
    static const char debian[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                 "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
                                 "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\n"
                                 "ID=debian\nHOME_URL=\"https://www.debian.org/\"\n";
    static const char ubuntu[] = "# comment\nNAME=\"Ubuntu\"\nID=Ubuntu\nID_LIKE=debian\n"
                                 "PRETTY_NAME='Ubuntu 22.04.4 LTS'\nVERSION_ID=\"22.04\"\n"
                                 "UBUNTU_CODENAME=jammy\n  \nnot an assignment\n";
    static const char escapes[] = "ID=\"weird\"\nPRETTY_NAME=\"a \\\"quoted\\\" \\$x \\\\ \\n\"\n"
                                  "VERSION_ID=1\\ 2\n";
    struct bh_arena a;
    struct bh_osinfo os = {0};
    struct bh_err err;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_osinfo(&a, "etc/os-release", debian, sizeof(debian) - 1, &os, &err),
                     0);
    assert_string_equal(os.id, "debian");
    assert_string_equal(os.version_id, "12");
    assert_string_equal(os.codename, "bookworm");
    assert_string_equal(os.pretty, "Debian GNU/Linux 12 (bookworm)");
    assert_null(os.id_like);

    memset(&os, 0, sizeof(os));
    assert_int_equal(
        bh_pkgdb_osinfo(&a, "usr/lib/os-release", ubuntu, sizeof(ubuntu) - 1, &os, &err), 0);
    assert_string_equal(os.id, "ubuntu");
    assert_string_equal(os.id_like, "debian");
    assert_string_equal(os.pretty, "Ubuntu 22.04.4 LTS");
    assert_string_equal(os.version_id, "22.04");
    assert_string_equal(os.codename, "jammy");

    memset(&os, 0, sizeof(os));
    assert_int_equal(bh_pkgdb_osinfo(&a, "os-release", escapes, sizeof(escapes) - 1, &os, &err), 0);
    assert_string_equal(os.pretty, "a \"quoted\" $x \\ \\n");
    assert_string_equal(os.version_id, "1 2");

    assert_int_equal(bh_pkgdb_osinfo(&a, "os-release", "ID=\"debian\n", 11, &os, &err), BH_EPARSE);
    assert_int_equal(err.line, 1);
    bh_arena_release(&a);
}

static void osinfo_one_line_files(void **state)
{
    static const struct {
        const char *file, *text, *id, *version, *codename;
    } cases[] = {
        {"etc/debian_version", "12.5\n", "debian", "12.5", NULL},
        {"etc/debian_version", "bookworm/sid\n", "debian", NULL, "bookworm"},
        {"etc/redhat-release", "Red Hat Enterprise Linux release 9.4 (Plow)\n", "rhel", "9.4",
         "Plow"},
        {"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009",
         "Core"},
        {"etc/rocky-release", "Rocky Linux release 9.3 (Blue Onyx)\n", "rocky", "9.3", "Blue Onyx"},
        {"etc/almalinux-release", "AlmaLinux release 8.9 (Midnight Oncilla)\n", "almalinux", "8.9",
         "Midnight Oncilla"},
        {"etc/fedora-release", "Fedora release 39 (Thirty Nine)\n", "fedora", "39", "Thirty Nine"},
        {"etc/system-release", "Amazon Linux release 2 (Karoo)\n", "amzn", "2", "Karoo"},
        {"etc/foo-release", "Foo OS release 1.0\n", "foo", "1.0", NULL},
    };
    struct bh_arena a;
    struct bh_err err;
    size_t i;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bh_osinfo os = {0};

        bh_err_init(&err);
        assert_int_equal(
            bh_pkgdb_osinfo(&a, cases[i].file, cases[i].text, strlen(cases[i].text), &os, &err), 0);
        assert_string_equal(os.id, cases[i].id);
        assert_string_equal(or_empty(os.version_id), or_empty(cases[i].version));
        assert_string_equal(or_empty(os.codename), or_empty(cases[i].codename));
    }
    {
        struct bh_osinfo os = {0};

        assert_int_equal(bh_pkgdb_osinfo(&a, "etc/redhat-release", "hello\n", 6, &os, &err),
                         BH_EPARSE);
        assert_int_equal(bh_pkgdb_osinfo(&a, "etc/debian_version", "\n", 1, &os, &err), BH_EPARSE);
        assert_int_equal(bh_pkgdb_osinfo(&a, "etc/alpine-release", "v3!\n", 4, &os, &err),
                         BH_EPARSE);
        assert_int_equal(bh_pkgdb_osinfo(&a, "etc/hostname", "x\n", 2, &os, &err), BH_EUNSUPPORTED);
        assert_null(os.id);
    }
    bh_arena_release(&a);
}

/* ---- purl ---------------------------------------------------------------------------- */

static void purl_os_packages(void **state)
{
    struct bh_arena a;
    struct bh_osinfo deb = {.id = "debian", .version_id = "12"};
    struct bh_osinfo alp = {.id = "alpine", .version_id = "3.20.3"};
    struct bh_osinfo rhel = {.id = "rhel", .version_id = "9.4"};
    struct bh_package p = {0};

    (void)state;
    bh_arena_init(&a, 1u << 20);
    p.kind = BH_PKG_DPKG;
    p.name = "libstdc++6";
    p.version = "1:8-20180414-1ubuntu2";
    p.arch = "amd64";
    assert_string_equal(bh_pkgdb_purl(&a, &p, &deb),
                        "pkg:deb/debian/libstdc%2B%2B6@1:8-20180414-1ubuntu2?arch=amd64"
                        "&distro=debian-12");
    p.name = "openssl";
    p.version = "3.0.11-1~deb12u2";
    p.arch = NULL;
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL), "pkg:deb/debian/openssl@3.0.11-1~deb12u2");
    p.kind = BH_PKG_APK;
    p.name = "musl";
    p.version = "1.2.5-r0";
    p.arch = "x86_64";
    assert_string_equal(bh_pkgdb_purl(&a, &p, &alp),
                        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3");
    p.kind = BH_PKG_RPM;
    p.name = "curl";
    p.version = "2:7.76.1-29.el9";
    assert_string_equal(bh_pkgdb_purl(&a, &p, &rhel),
                        "pkg:rpm/redhat/curl@7.76.1-29.el9?arch=x86_64&distro=redhat-9.4"
                        "&epoch=2");
    p.version = "0:1.0-1";
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL), "pkg:rpm/curl@1.0-1?arch=x86_64");
    p.kind = BH_PKG_NPM;
    p.name = "@babel/core";
    p.version = "7.0.0";
    p.arch = NULL;
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL), "pkg:npm/%40babel/core@7.0.0");
    p.kind = BH_PKG_PYPI;
    p.name = "Django_Rest";
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL), "pkg:pypi/django-rest@7.0.0");
    p.kind = BH_PKG_GO;
    p.name = "github.com/x/y";
    p.version = "v0.0.0-2021+incompatible";
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL),
                        "pkg:golang/github.com/x/y@v0.0.0-2021%2Bincompatible");
    p.kind = BH_PKG_MAVEN;
    p.name = "org.apache:log4j core";
    p.version = "2.0";
    assert_string_equal(bh_pkgdb_purl(&a, &p, NULL), "pkg:maven/org.apache/log4j%20core@2.0");
    p.name = "";
    assert_null(bh_pkgdb_purl(&a, &p, NULL));
    assert_string_equal(bh_pkg_kind_name(BH_PKG_GO), "golang");
    assert_string_equal(bh_pkg_kind_name(BH_PKG_DPKG), "deb");
    bh_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dpkg_trivy_status_matches_expected),
        cmocka_unit_test(dpkg_status_d_and_edge_cases),
        cmocka_unit_test(dpkg_rejects_malformed),
        cmocka_unit_test(apk_rootfs_matches_derived_lists),
        cmocka_unit_test(apk_v37_tarball),
        cmocka_unit_test(apk_fields_and_errors),
        cmocka_unit_test(rpm_ndb_sle15_matches_expected),
        cmocka_unit_test(rpm_sqlite_mariner_curl),
        cmocka_unit_test(rpm_bdb_libuuid),
        cmocka_unit_test(rpm_header_fields_and_bounds),
        cmocka_unit_test(rpm_walkers_refuse_broken_files),
        cmocka_unit_test(rpm_sqlite_refuses_garbage),
        cmocka_unit_test(osinfo_alpine_release_files),
        cmocka_unit_test(osinfo_os_release_quoting),
        cmocka_unit_test(osinfo_one_line_files),
        cmocka_unit_test(purl_os_packages),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
