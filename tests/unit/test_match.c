/*
 * test_match.c - the matcher: vendor-first keys for every package kind, and
 * OSV range evaluation (introduced/fixed/last_affected/limit, several pairs,
 * versions lists, GIT, "0", unsorted events) over advisories built in memory
 * from the shapes of real records (DLA-3008-1, GO-2022-0969, GO-2024-2826,
 * GHSA-3pxv-7cmr-fjr4, ALSA-2025-7467, CGA-xcpc-gm23-prj9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "vuln/match.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct bh_arena A;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&A, 1u << 24);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&A);
    return 0;
}

/* ---- keys ---- */

static struct bh_package pkg(enum bh_pkg_kind k, const char *name, const char *ver, const char *src,
                             const char *srcver)
{
    struct bh_package p;

    memset(&p, 0, sizeof(p));
    p.kind = k;
    p.name = name;
    p.version = ver;
    p.src_name = src;
    p.src_version = srcver;
    p.layer = -1;
    return p;
}

static struct bh_osinfo os(const char *id, const char *vid)
{
    struct bh_osinfo o;

    memset(&o, 0, sizeof(o));
    o.id = id;
    o.version_id = vid;
    return o;
}

static void key_debian_uses_source_package_and_version(void **state)
{
    struct bh_package p =
        pkg(BH_PKG_DPKG, "libssl3", "3.0.11-1~deb12u2+b1", "openssl", "3.0.11-1~deb12u2");
    struct bh_osinfo o = os("debian", "12");
    struct bh_vulnkey k;

    (void)state;
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Debian:12");
    assert_string_equal(k.name, "openssl");
    assert_string_equal(k.version, "3.0.11-1~deb12u2");
    /* no Source field: the binary is its own source */
    p = pkg(BH_PKG_DPKG, "bash", "5.2.15-2+b2", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.name, "bash");
    assert_string_equal(k.version, "5.2.15-2+b2");
    /* testing/sid has no VERSION_ID: no release ecosystem to match against */
    o = os("debian", NULL);
    assert_false(bh_vuln_key(&A, &p, &o, &k));
    o = os("debian", "12.5");
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Debian:12");
    /* an OS package without an OS says nothing */
    assert_false(bh_vuln_key(&A, &p, NULL, &k));
    o = os("ubuntu", "22.04");
    p = pkg(BH_PKG_DPKG, "gpgv", "2.2.27-3ubuntu2.1", "gnupg2", NULL);
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Ubuntu:22.04");
    assert_string_equal(k.name, "gnupg2");
    o = os("kali", "2024.1");
    assert_false(bh_vuln_key(&A, &p, &o, &k));
}

static void key_alpine_branch_and_origin(void **state)
{
    struct bh_package p = pkg(BH_PKG_APK, "libcrypto3", "3.3.2-r0", "openssl", NULL);
    struct bh_osinfo o = os("alpine", "3.20.3");
    struct bh_vulnkey k;

    (void)state;
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Alpine:v3.20");
    assert_string_equal(k.name, "openssl");
    assert_string_equal(k.version, "3.3.2-r0");
    o = os("alpine", "3.21.0_alpha20240923"); /* edge */
    assert_false(bh_vuln_key(&A, &p, &o, &k));
    o = os("alpine", "3");
    assert_false(bh_vuln_key(&A, &p, &o, &k));
    o = os("wolfi", "20230201");
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Wolfi");
    o = os("chainguard", "20230214");
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Chainguard");
    p = pkg(BH_PKG_APK, "busybox", "1.36.1-r29", NULL, NULL);
    o = os("alpine", "3.11.13");
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Alpine:v3.11");
    assert_string_equal(k.name, "busybox");
}

static void key_rpm_only_where_advisories_exist(void **state)
{
    struct bh_package p = pkg(BH_PKG_RPM, "skopeo-tests", "2:1.18.1-1.el10_0", "skopeo", NULL);
    struct bh_osinfo o = os("almalinux", "10.0");
    struct bh_vulnkey k;

    (void)state;
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "AlmaLinux:10");
    assert_string_equal(k.name, "skopeo-tests");
    assert_string_equal(k.version, "2:1.18.1-1.el10_0");
    o = os("rocky", "9.4");
    assert_true(bh_vuln_key(&A, &p, &o, &k));
    assert_string_equal(k.ecosystem, "Rocky Linux:9");
    o = os("rhel", "9.4");
    assert_false(bh_vuln_key(&A, &p, &o, &k));
}

static void key_language_ecosystems(void **state)
{
    struct bh_package p = pkg(BH_PKG_PYPI, "Zope.Interface__x", "5.4.0", NULL, NULL);
    struct bh_vulnkey k;

    (void)state;
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "PyPI");
    assert_string_equal(k.name, "zope-interface-x");
    p = pkg(BH_PKG_GO, "stdlib", "v1.22.1", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "Go");
    assert_string_equal(k.name, "stdlib");
    assert_string_equal(k.version, "v1.22.1");
    p = pkg(BH_PKG_MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "Maven");
    p = pkg(BH_PKG_MAVEN, "log4j-core", "2.14.1", NULL, NULL); /* group unknown */
    assert_false(bh_vuln_key(&A, &p, NULL, &k));
    p = pkg(BH_PKG_NPM, "@babel/core", "7.0.0", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "npm");
    assert_string_equal(k.name, "@babel/core");
    p = pkg(BH_PKG_CARGO, "smallvec", "1.6.0", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "crates.io");
    p = pkg(BH_PKG_GEM, "rack", "2.2.3", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "RubyGems");
    p = pkg(BH_PKG_COMPOSER, "league/flysystem", "1.1.3", NULL, NULL);
    assert_true(bh_vuln_key(&A, &p, NULL, &k));
    assert_string_equal(k.ecosystem, "Packagist");
    p = pkg(BH_PKG_NPM, "lodash", "", NULL, NULL);
    assert_false(bh_vuln_key(&A, &p, NULL, &k));
}

/* ---- ranges ---- */

#define EV(k, v)      \
    {                 \
        BH_VEV_##k, v \
    }

static struct bh_affected aff(const char *eco, enum bh_vrange_type t, struct bh_vevent *ev,
                              size_t n)
{
    struct bh_affected af;
    struct bh_vrange *r = bh_arena_calloc(&A, 1, sizeof(*r));

    assert_non_null(r);
    memset(&af, 0, sizeof(af));
    r->type = t;
    r->events = ev;
    r->nevents = n;
    af.ecosystem = eco;
    af.name = "x";
    af.ranges = r;
    af.nranges = 1;
    return af;
}

/* 1 when affected; *fixed checked against want (NULL: no fix). */
static int affects(const struct bh_affected *af, const char *v, const char *want_fixed)
{
    const char *fixed = "unset", *note = "unset";
    int r = bh_vuln_affects(af, v, &fixed, &note);

    if (r == 1) {
        assert_null(note);
        if (want_fixed)
            assert_string_equal(fixed, want_fixed);
        else
            assert_null(fixed);
    } else {
        assert_null(fixed);
    }
    return r;
}

static void debian_tilde_and_fixed(void **state)
{
    struct bh_vevent ev[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.1.0l-1~deb9u6")};
    struct bh_affected af = aff("Debian:9", BH_VR_ECOSYSTEM, ev, 2);

    (void)state;
    assert_int_equal(affects(&af, "1.1.0l-1~deb9u5", "1.1.0l-1~deb9u6"), 1);
    assert_int_equal(affects(&af, "1.1.0k-1~deb9u1", "1.1.0l-1~deb9u6"), 1);
    assert_int_equal(affects(&af, "1.1.0l-1~deb9u6", NULL), 0);
    /* "~" sorts before everything: 1.1.0l-1 is newer than the fix */
    assert_int_equal(affects(&af, "1.1.0l-1", NULL), 0);
    assert_int_equal(affects(&af, "1:0.9", NULL), 0); /* an epoch outranks everything */
}

static void go_several_pairs_and_v_prefix(void **state)
{
    /* GO-2024-2826 vitess.io/vitess: three introduced/fixed pairs, SemVer without "v" */
    struct bh_vevent ev[] = {EV(INTRODUCED, "0"),      EV(FIXED, "0.17.7"),
                             EV(INTRODUCED, "0.18.0"), EV(FIXED, "0.18.5"),
                             EV(INTRODUCED, "0.19.0"), EV(FIXED, "0.19.4")};
    struct bh_affected af = aff("Go", BH_VR_SEMVER, ev, 6);
    /* GO-2022-0969 stdlib: the second pair opens at a prerelease "1.19.0-0" */
    struct bh_vevent std[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.18.6"), EV(INTRODUCED, "1.19.0-0"),
                              EV(FIXED, "1.19.1")};
    struct bh_affected sa = aff("Go", BH_VR_SEMVER, std, 4);
    const char *fixed, *note;

    (void)state;
    assert_int_equal(affects(&af, "v0.17.6", "0.17.7"), 1);
    assert_int_equal(affects(&af, "v0.17.7", NULL), 0);
    assert_int_equal(affects(&af, "v0.17.9", NULL), 0); /* between the pairs */
    assert_int_equal(affects(&af, "v0.18.0", "0.18.5"), 1);
    assert_int_equal(affects(&af, "v0.18.4", "0.18.5"), 1);
    assert_int_equal(affects(&af, "v0.19.3", "0.19.4"), 1);
    assert_int_equal(affects(&af, "v0.19.4", NULL), 0);
    assert_int_equal(affects(&af, "v0.20.0", NULL), 0);
    /* a pseudo-version orders below its base release */
    assert_int_equal(affects(&af, "v0.0.0-20200101000000-abcdefabcdef", "0.17.7"), 1);
    assert_int_equal(affects(&af, "v0.18.5-0.20240101000000-abcdefabcdef", "0.18.5"), 1);
    /* a version without "v" is accepted too */
    assert_int_equal(affects(&af, "0.18.1", "0.18.5"), 1);
    assert_int_equal(affects(&sa, "v1.18.5", "1.18.6"), 1);
    assert_int_equal(affects(&sa, "v1.18.6", NULL), 0);
    assert_int_equal(affects(&sa, "v1.19.0-rc.1", "1.19.1"), 1);
    assert_int_equal(affects(&sa, "v1.19.0", "1.19.1"), 1);
    assert_int_equal(affects(&sa, "v1.19.1", NULL), 0);
    /* "(devel)" is no version: no match, and a note says why */
    assert_int_equal(bh_vuln_affects(&af, "(devel)", &fixed, &note), 0);
    assert_null(fixed);
    assert_non_null(note);
    assert_non_null(strstr(note, "not valid"));
}

static void last_affected_is_inclusive_and_unfixed(void **state)
{
    /* GHSA-3pxv-7cmr-fjr4 log4j-core 3.x: introduced 3.0.0-alpha1, last_affected 3.0.0-beta3 */
    struct bh_vevent ev[] = {EV(INTRODUCED, "3.0.0-alpha1"), EV(LAST_AFFECTED, "3.0.0-beta3")};
    struct bh_affected af = aff("Maven", BH_VR_ECOSYSTEM, ev, 2);

    (void)state;
    assert_int_equal(affects(&af, "3.0.0-beta3", NULL), 1);
    assert_int_equal(affects(&af, "3.0.0-beta2", NULL), 1);
    assert_int_equal(affects(&af, "3.0.0-alpha1", NULL), 1);
    assert_int_equal(affects(&af, "3.0.0", NULL), 0);
    assert_int_equal(affects(&af, "2.25.3", NULL), 0);
}

static void limit_bounds_the_range(void **state)
{
    struct bh_vevent ev[] = {EV(INTRODUCED, "0"), EV(LIMIT, "2.0.0")};
    struct bh_affected af = aff("npm", BH_VR_ECOSYSTEM, ev, 2);
    struct bh_vevent star[] = {EV(INTRODUCED, "1.0.0"), EV(LIMIT, "*")};
    struct bh_affected as = aff("npm", BH_VR_ECOSYSTEM, star, 2);

    (void)state;
    assert_int_equal(affects(&af, "1.9.9", NULL), 1);
    assert_int_equal(affects(&af, "2.0.0", NULL), 0);
    assert_int_equal(affects(&af, "3.1.0", NULL), 0);
    assert_int_equal(affects(&as, "9.0.0", NULL), 1);
    assert_int_equal(affects(&as, "0.9.0", NULL), 0);
}

static void events_in_any_order_and_ties(void **state)
{
    /* the same range as debian_tilde_and_fixed, written fixed-first */
    struct bh_vevent ev[] = {EV(FIXED, "2.0"), EV(INTRODUCED, "1.5"), EV(FIXED, "1.2"),
                             EV(INTRODUCED, "0")};
    struct bh_affected af = aff("PyPI", BH_VR_ECOSYSTEM, ev, 4);
    /* CGA-xcpc-gm23-prj9 syncthing-compat: introduced 0, fixed 0 = never affected */
    struct bh_vevent none[] = {EV(INTRODUCED, "0"), EV(FIXED, "0")};
    struct bh_affected an = aff("Chainguard", BH_VR_ECOSYSTEM, none, 2);
    struct bh_vevent tie[] = {EV(INTRODUCED, "1.0"), EV(FIXED, "1.0")};
    struct bh_affected at = aff("PyPI", BH_VR_ECOSYSTEM, tie, 2);

    (void)state;
    assert_int_equal(affects(&af, "1.1", "1.2"), 1);
    assert_int_equal(affects(&af, "1.3", NULL), 0);
    assert_int_equal(affects(&af, "1.5", "2.0"), 1);
    assert_int_equal(affects(&af, "1.9.post1", "2.0"), 1);
    assert_int_equal(affects(&af, "2.0", NULL), 0);
    assert_int_equal(affects(&an, "2.0.13-r0", NULL), 0);
    assert_int_equal(affects(&at, "1.0", NULL), 0);
    assert_int_equal(affects(&at, "0.9", NULL), 0);
}

static void schemes_regressions(void **state)
{
    /* apk: _rc sorts before the release, -rN after it */
    struct bh_vevent apk[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.2.3-r4")};
    struct bh_affected aa = aff("Alpine:v3.18", BH_VR_ECOSYSTEM, apk, 2);
    /* rpm: ALSA-2025-7467 skopeo with epoch 2 */
    struct bh_vevent rpm[] = {EV(INTRODUCED, "0"), EV(FIXED, "2:1.18.1-1.el10_0")};
    struct bh_affected ar = aff("AlmaLinux:10", BH_VR_ECOSYSTEM, rpm, 2);

    (void)state;
    assert_int_equal(affects(&aa, "1.2.3_rc1-r9", "1.2.3-r4"), 1);
    assert_int_equal(affects(&aa, "1.2.3-r3", "1.2.3-r4"), 1);
    assert_int_equal(affects(&aa, "1.2.3-r4", NULL), 0);
    assert_int_equal(affects(&aa, "1.2.3_p1-r0", NULL), 0);
    assert_int_equal(affects(&ar, "1:9.9.9-1.el10", "2:1.18.1-1.el10_0"), 1);
    assert_int_equal(affects(&ar, "2:1.18.0-5.el10", "2:1.18.1-1.el10_0"), 1);
    assert_int_equal(affects(&ar, "2:1.18.1-1.el10_0", NULL), 0);
    /* without an epoch the fix (epoch 2) is far ahead */
    assert_int_equal(affects(&ar, "1.99-1.el10", "2:1.18.1-1.el10_0"), 1);
}

static void versions_list_and_git(void **state)
{
    const char *listed[] = {"1.0", "1.1"};
    struct bh_vevent git[] = {EV(INTRODUCED, "0"),
                              EV(FIXED, "5ee0b1676d4ce20cc2a70d1c9c8d6f1e3f57efac")};
    struct bh_affected af = aff("PyPI", BH_VR_GIT, git, 2);
    const char *fixed, *note;

    (void)state;
    /* GIT ranges never match an installed package */
    assert_int_equal(bh_vuln_affects(&af, "1.0", &fixed, &note), 0);
    assert_non_null(note);
    assert_non_null(strstr(note, "GIT"));
    af.versions = listed;
    af.nversions = 2;
    assert_int_equal(affects(&af, "1.1", NULL), 1);
    assert_int_equal(affects(&af, "1.0.0", NULL), 1); /* PEP 440: 1.0 == 1.0.0 */
    assert_int_equal(affects(&af, "1.2", NULL), 0);
    /* an ecosystem without a version order matches nothing, with a note */
    af.ecosystem = "OSS-Fuzz";
    assert_int_equal(bh_vuln_affects(&af, "1.0", &fixed, &note), 0);
    assert_non_null(note);
}

static void versions_list_takes_fix_from_ranges(void **state)
{
    const char *listed[] = {"2.5.0"};
    struct bh_vevent ev[] = {EV(INTRODUCED, "3.0.0"), EV(FIXED, "3.1.0")};
    struct bh_affected af = aff("npm", BH_VR_ECOSYSTEM, ev, 2);

    (void)state;
    af.versions = listed;
    af.nversions = 1;
    assert_int_equal(affects(&af, "2.5.0", "3.1.0"), 1);
    assert_int_equal(affects(&af, "2.6.0", NULL), 0);
    assert_int_equal(affects(&af, "3.0.5", "3.1.0"), 1);
}

/* ---- through the database ---- */

static struct bh_advisory adv1(const char *id, const char **aliases, size_t nal, const char *eco,
                               const char *name, struct bh_vevent *ev, size_t nev, const char *sev,
                               const char *cvss, int score)
{
    struct bh_advisory a;
    struct bh_affected *af = bh_arena_calloc(&A, 1, sizeof(*af));

    assert_non_null(af);
    *af = aff(eco, eco[0] == 'G' ? BH_VR_SEMVER : BH_VR_ECOSYSTEM, ev, nev);
    af->name = name;
    af->severity = sev;
    memset(&a, 0, sizeof(a));
    a.id = id;
    a.aliases = aliases;
    a.naliases = nal;
    a.cvss = cvss;
    a.cvss_score10 = score;
    a.source = "osv";
    a.affected = af;
    a.naffected = 1;
    return a;
}

static void match_through_database(void **state)
{
    static struct bh_vevent deb_fix[] = {EV(INTRODUCED, "0"), EV(FIXED, "3.0.11-1~deb12u2")};
    static struct bh_vevent open[] = {EV(INTRODUCED, "0")};
    static struct bh_vevent py[] = {EV(INTRODUCED, "0"), EV(FIXED, "2.10.1")};
    static struct bh_vevent go[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.18.6"),
                                    EV(INTRODUCED, "1.19.0-0"), EV(FIXED, "1.19.1")};
    static struct bh_vevent lodash[] = {EV(INTRODUCED, "0"), EV(FIXED, "4.17.21")};
    static const char *dsa_al[] = {"CVE-2023-5363"};
    static const char *cve_al[] = {"DSA-5532-1"};
    struct bh_advisory advs[7];
    struct bh_package pk[5];
    struct bh_packages pkgs;
    struct bh_osinfo o = os("debian", "12");
    struct bh_vulndb_writer *w;
    struct bh_vulndb *db;
    struct bh_vulnmatches ms = {0};
    struct bh_err err;
    char dir[] = "/tmp/bh-match-XXXXXX", path[64];
    size_t i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/vuln.db", dir);
    advs[0] = adv1("DSA-5532-1", dsa_al, 1, "Debian:12", "openssl", deb_fix, 2, NULL,
                   "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75);
    /* the same vulnerability under its CVE id: merged into one advisory for openssl */
    advs[1] = adv1("CVE-2023-5363", cve_al, 1, "Debian:12", "openssl", deb_fix, 2, NULL, NULL, -1);
    advs[2] =
        adv1("CVE-2024-0727", NULL, 0, "Debian:12", "openssl", open, 1, "unimportant", NULL, -1);
    advs[3] = adv1("CVE-2021-0001", NULL, 0, "Debian:11", "openssl", open, 1, NULL, NULL, -1);
    advs[4] = adv1("PYSEC-2019-217", NULL, 0, "PyPI", "jinja2", py, 2, NULL, NULL, -1);
    advs[5] = adv1("GO-2022-0969", NULL, 0, "Go", "stdlib", go, 4, NULL, NULL, -1);
    advs[6] = adv1("GHSA-35jh-r3h4-6jhm", NULL, 0, "npm", "lodash", lodash, 2, "HIGH", NULL, -1);
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(path, &w, &err), 0);
    for (i = 0; i < 7; i++)
        assert_int_equal(bh_vulndb_add(w, &advs[i], &err), 0);
    assert_int_equal(bh_vulndb_finish(w, 1717200000, &err), 0);
    assert_int_equal(bh_vulndb_open(path, &db, &err), 0);

    pk[0] = pkg(BH_PKG_DPKG, "libssl3", "3.0.11-1~deb12u1", "openssl", NULL);
    pk[1] = pkg(BH_PKG_DPKG, "bash", "5.2.15-2+b2", NULL, NULL);
    pk[2] = pkg(BH_PKG_PYPI, "Jinja2", "2.10", NULL, NULL);
    pk[3] = pkg(BH_PKG_GO, "stdlib", "v1.19.0", NULL, NULL);
    pk[4] = pkg(BH_PKG_NPM, "lodash", "4.17.21", NULL, NULL);
    pkgs.v = pk;
    pkgs.n = pkgs.cap = 5;
    assert_int_equal(bh_vuln_match(&A, db, &pkgs, &o, &ms, &err), 0);
    bh_vulndb_close(db);
    unlink(path);
    rmdir(dir);

    assert_int_equal(ms.n, 4);
    /* sorted by package, then id; the DSA and its CVE are one match (whichever id the
     * database keeps), the open CVE-2024-0727 the other */
    assert_int_equal(ms.v[0].pkg, 0);
    assert_int_equal(ms.v[1].pkg, 0);
    assert_true(strcmp(ms.v[0].id, ms.v[1].id) < 0);
    {
        const struct bh_vulnmatch *open_m =
            strcmp(ms.v[0].id, "CVE-2024-0727") == 0 ? &ms.v[0] : &ms.v[1];
        const struct bh_vulnmatch *dsa = open_m == &ms.v[0] ? &ms.v[1] : &ms.v[0];

        assert_string_equal(open_m->id, "CVE-2024-0727");
        assert_null(open_m->fixed);
        assert_int_equal(open_m->severity, BH_SEV_LOW); /* Debian "unimportant" */
        assert_string_equal(open_m->severity_source, "ecosystem");
        assert_true(strcmp(dsa->id, "DSA-5532-1") == 0 || strcmp(dsa->id, "CVE-2023-5363") == 0);
        assert_int_equal(dsa->naliases, 1);
        assert_string_equal(dsa->package, "openssl");
        assert_string_equal(dsa->ecosystem, "Debian:12");
        assert_string_equal(dsa->installed, "3.0.11-1~deb12u1");
        assert_string_equal(dsa->fixed, "3.0.11-1~deb12u2");
        assert_int_equal(dsa->severity, BH_SEV_HIGH); /* CVSS 7.5 */
        assert_string_equal(dsa->severity_source, "cvss");
        assert_int_equal(dsa->cvss_score10, 75);
    }
    assert_int_equal(ms.v[2].pkg, 2);
    assert_string_equal(ms.v[2].id, "PYSEC-2019-217");
    assert_string_equal(ms.v[2].package, "jinja2");
    assert_string_equal(ms.v[2].fixed, "2.10.1");
    assert_int_equal(ms.v[2].severity, BH_SEV_MEDIUM);
    assert_string_equal(ms.v[2].severity_source, "default");
    assert_int_equal(ms.v[3].pkg, 3);
    assert_string_equal(ms.v[3].fixed, "v1.19.1"); /* shown with Go's "v" */
    assert_string_equal(ms.v[3].installed, "v1.19.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_debian_uses_source_package_and_version),
        cmocka_unit_test(key_alpine_branch_and_origin),
        cmocka_unit_test(key_rpm_only_where_advisories_exist),
        cmocka_unit_test(key_language_ecosystems),
        cmocka_unit_test(debian_tilde_and_fixed),
        cmocka_unit_test(go_several_pairs_and_v_prefix),
        cmocka_unit_test(last_affected_is_inclusive_and_unfixed),
        cmocka_unit_test(limit_bounds_the_range),
        cmocka_unit_test(events_in_any_order_and_ties),
        cmocka_unit_test(schemes_regressions),
        cmocka_unit_test(versions_list_and_git),
        cmocka_unit_test(versions_list_takes_fix_from_ranges),
        cmocka_unit_test(match_through_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
