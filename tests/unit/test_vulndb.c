/*
 * test_vulndb.c - the vulnerability database: write, reopen read-only, look up, merge aliases
 * per package, refuse withdrawn records and files that are not ours or of another schema,
 * abort without a trace, and look packages up through the index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/sqlite.h"
#include "vuln/vulndb.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/bh-vulndb-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    (void)state;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    return 0;
}

static const char *path_of(const char *name)
{
    static char p[4][256];
    static int i;

    i = (i + 1) % 4;
    snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
    return p[i];
}

/* ---- advisories built by hand ---- */

static struct bh_vevent ev_fixed10[] = {{BH_VEV_INTRODUCED, "0"}, {BH_VEV_FIXED, "1.0"}};
static struct bh_vevent ev_fixed20[] = {{BH_VEV_INTRODUCED, "1.5"}, {BH_VEV_FIXED, "2.0"}};
static struct bh_vevent ev_last[] = {
    {BH_VEV_INTRODUCED, "0"}, {BH_VEV_LAST_AFFECTED, "3.1"}, {BH_VEV_LIMIT, "4.0"}};

static struct bh_vrange r_fixed10 = {BH_VR_ECOSYSTEM, ev_fixed10, 2};
static struct bh_vrange r_fixed20[] = {{BH_VR_SEMVER, ev_fixed20, 2}};
static struct bh_vrange r_both[] = {{BH_VR_ECOSYSTEM, ev_fixed10, 2}, {BH_VR_GIT, ev_last, 3}};

static void set_aff(struct bh_affected *af, const char *eco, const char *name, struct bh_vrange *r,
                    size_t nr, const char **v, size_t nv, const char *sev)
{
    memset(af, 0, sizeof(*af));
    af->ecosystem = eco;
    af->name = name;
    af->ranges = r;
    af->nranges = nr;
    af->versions = v;
    af->nversions = nv;
    af->severity = sev;
}

static void set_adv(struct bh_advisory *a, const char *id, const char **aliases, size_t nal,
                    struct bh_affected *af, size_t naf)
{
    memset(a, 0, sizeof(*a));
    a->id = id;
    a->aliases = aliases;
    a->naliases = nal;
    a->affected = af;
    a->naffected = naf;
    a->cvss_score10 = -1;
    a->source = "osv";
}

static void add_ok(struct bh_vulndb_writer *w, const struct bh_advisory *a)
{
    struct bh_err err;

    bh_err_init(&err);
    if (bh_vulndb_add(w, a, &err) != 0)
        fail_msg("add %s: %s", a->id, err.msg);
}

static void finish_ok(struct bh_vulndb_writer *w, long long built)
{
    struct bh_err err;

    bh_err_init(&err);
    if (bh_vulndb_finish(w, built, &err) != 0)
        fail_msg("finish: %s", err.msg);
}

static struct bh_vulndb *open_ok(const char *p)
{
    struct bh_vulndb *db = NULL;
    struct bh_err err;

    bh_err_init(&err);
    if (bh_vulndb_open(p, &db, &err) != 0)
        fail_msg("open %s: %s", p, err.msg);
    return db;
}

static size_t lookup(struct bh_vulndb *db, struct bh_arena *a, const char *eco, const char *name,
                     struct bh_advisory **out)
{
    struct bh_err err;
    size_t n = 0;

    *out = NULL;
    bh_err_init(&err);
    if (bh_vulndb_lookup(db, a, eco, name, out, &n, &err) != 0)
        fail_msg("lookup %s/%s: %s", eco, name, err.msg);
    return n;
}

static const struct bh_advisory *find_id(struct bh_advisory *v, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(v[i].id, id))
            return &v[i];
    fail_msg("advisory %s not in the lookup result (%zu advisories)", id, n);
    return NULL;
}

/* One simple database: two advisories, one of them for two packages. */
static void build_simple(const char *p, long long built)
{
    struct bh_vulndb_writer *w = NULL;
    struct bh_affected af1[2], af2[1];
    struct bh_advisory a1, a2;
    /* 0.8 is inside the first range, so the database drops it from the list */
    static const char *vers[] = {"1.9.1", "0.8", "1.8"};
    static const char *al1[] = {"GHSA-xxxx-yyyy-zzzz"};
    struct bh_err err;

    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(p, &w, &err), 0);
    set_aff(&af1[0], "PyPI", "requests", r_both, 2, vers, 3, "HIGH");
    set_aff(&af1[1], "PyPI", "urllib3", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&a1, "PYSEC-2020-1", al1, 1, af1, 2);
    a1.summary = "a summary";
    a1.published = "2020-01-02T00:00:00Z";
    a1.modified = "2021-03-04T00:00:00Z";
    a1.cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    a1.cvss_score10 = 98;
    set_aff(&af2[0], "npm", "requests", r_fixed20, 1, NULL, 0, NULL);
    set_adv(&a2, "GHSA-npm1-0000-0000", NULL, 0, af2, 1);
    a2.source = "osv";
    add_ok(w, &a1);
    add_ok(w, &a2);
    assert_int_equal(
        bh_vulndb_add_source(w, "osv:PyPI", "/data/pypi", "ab12", 1700000000, 2, 1, &err), 0);
    finish_ok(w, built);
}

static void write_reopen_lookup(void **state)
{
    const char *p = path_of("simple.db");
    struct bh_arena a;
    struct bh_advisory *v;
    struct bh_vulndb *db;
    const struct bh_affected *af;
    size_t n;

    (void)state;
    build_simple(p, 1710000000);
    db = open_ok(p);
    bh_arena_init(&a, 1 << 24);

    n = lookup(db, &a, "PyPI", "requests", &v);
    assert_int_equal(n, 1);
    /* the only CVE-less record keeps its own id; its alias stays an alias */
    assert_string_equal(v[0].id, "PYSEC-2020-1");
    assert_int_equal(v[0].naliases, 1);
    assert_string_equal(v[0].aliases[0], "GHSA-xxxx-yyyy-zzzz");
    assert_string_equal(v[0].summary, "a summary");
    assert_string_equal(v[0].published, "2020-01-02T00:00:00Z");
    assert_string_equal(v[0].modified, "2021-03-04T00:00:00Z");
    assert_string_equal(v[0].cvss, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_int_equal(v[0].cvss_score10, 98);
    assert_string_equal(v[0].source, "osv");
    assert_null(v[0].withdrawn);
    assert_int_equal(v[0].naffected, 1);
    af = &v[0].affected[0];
    assert_string_equal(af->ecosystem, "PyPI");
    assert_string_equal(af->name, "requests");
    assert_string_equal(af->severity, "HIGH");
    assert_int_equal(af->nranges, 2);
    assert_int_equal(af->ranges[0].type, BH_VR_ECOSYSTEM);
    assert_int_equal(af->ranges[0].nevents, 2);
    assert_int_equal(af->ranges[0].events[0].kind, BH_VEV_INTRODUCED);
    assert_string_equal(af->ranges[0].events[0].version, "0");
    assert_int_equal(af->ranges[0].events[1].kind, BH_VEV_FIXED);
    assert_string_equal(af->ranges[0].events[1].version, "1.0");
    assert_int_equal(af->ranges[1].type, BH_VR_GIT);
    assert_int_equal(af->ranges[1].nevents, 3);
    assert_int_equal(af->ranges[1].events[1].kind, BH_VEV_LAST_AFFECTED);
    assert_string_equal(af->ranges[1].events[1].version, "3.1");
    assert_int_equal(af->ranges[1].events[2].kind, BH_VEV_LIMIT);
    assert_string_equal(af->ranges[1].events[2].version, "4.0");
    /* versions come back sorted, without those a range already covers */
    assert_int_equal(af->nversions, 2);
    assert_string_equal(af->versions[0], "1.8");
    assert_string_equal(af->versions[1], "1.9.1");

    /* the second package of the same record: only its own affected entry */
    n = lookup(db, &a, "PyPI", "urllib3", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "PYSEC-2020-1");
    assert_int_equal(v[0].affected[0].nranges, 1);
    assert_int_equal(v[0].affected[0].nversions, 0);
    assert_null(v[0].affected[0].severity);

    /* the same name in another ecosystem is another package */
    n = lookup(db, &a, "npm", "requests", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "GHSA-npm1-0000-0000");
    assert_int_equal(v[0].affected[0].ranges[0].type, BH_VR_SEMVER);
    assert_null(v[0].cvss);
    assert_int_equal(v[0].cvss_score10, -1);

    /* misses: unknown name, unknown ecosystem, keys are exact */
    assert_int_equal(lookup(db, &a, "PyPI", "nosuch", &v), 0);
    assert_int_equal(lookup(db, &a, "Go", "requests", &v), 0);
    assert_int_equal(lookup(db, &a, "pypi", "requests", &v), 0);
    assert_int_equal(lookup(db, &a, "PyPI", "Requests", &v), 0);

    bh_arena_release(&a);
    bh_vulndb_close(db);
}

static void info_reports_counts_and_sources(void **state)
{
    const char *p = path_of("info.db");
    struct bh_vulndb_info info;
    struct bh_arena a;
    struct bh_vulndb *db;
    struct bh_err err;

    (void)state;
    build_simple(p, 1710000123);
    db = open_ok(p);
    bh_arena_init(&a, 1 << 24);
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_info(db, &a, &info, &err), 0);
    assert_int_equal(info.schema, BH_VULNDB_SCHEMA);
    assert_int_equal(info.built, 1710000123);
    /* PYSEC-2020-1 is one advisory row shared by its two packages */
    assert_int_equal(info.advisories, 2);
    assert_int_equal(info.affected, 3);
    assert_int_equal(info.packages, 3);
    assert_int_equal(info.nsources, 1);
    assert_string_equal(info.sources[0].name, "osv:PyPI");
    assert_string_equal(info.sources[0].location, "/data/pypi");
    assert_string_equal(info.sources[0].sha256, "ab12");
    assert_int_equal(info.sources[0].fetched, 1700000000);
    assert_int_equal(info.sources[0].records, 2);
    assert_int_equal(info.sources[0].withdrawn, 1);
    assert_int_equal(info.necosystems, 2);
    assert_string_equal(info.ecosystems[0], "PyPI");
    assert_int_equal(info.ecosystem_counts[0], 2);
    assert_string_equal(info.ecosystems[1], "npm");
    assert_int_equal(info.ecosystem_counts[1], 1);
    bh_arena_release(&a);
    bh_vulndb_close(db);
}

static void aliases_merge_per_package(void **state)
{
    const char *p = path_of("merge.db");
    struct bh_vulndb_writer *w = NULL;
    struct bh_affected afA[1], afB[2], afD[1], afE[1], afF[1], afG[1], afH[1], afI[1];
    struct bh_advisory A, B, D, E, F, G, H, I;
    static const char *alA[] = {"CVE-2020-1"};
    static const char *alB[] = {"CVE-2020-1"};
    static const char *alD[] = {"Y-1"};
    static const char *alE[] = {"Z-1"};
    static const char *alH[] = {"CVE-2021-5"};
    static const char *alI[] = {"CVE-2022-1", "CVE-2022-2"};
    static const char *vA[] = {"1.9", "0.3", "1.5"}; /* 0.3 is in a range: dropped */
    static const char *vB[] = {"1.5", "1.7"};
    struct bh_advisory *v;
    const struct bh_advisory *x;
    struct bh_arena a;
    struct bh_vulndb *db;
    struct bh_err err;
    size_t n;

    (void)state;
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(p, &w, &err), 0);
    /* A and B share CVE-2020-1 for PyPI/foo; B also affects PyPI/bar, alone there */
    set_aff(&afA[0], "PyPI", "foo", r_both, 2, vA, 3, "MODERATE");
    set_adv(&A, "GHSA-aaaa-aaaa-aaaa", alA, 1, afA, 1);
    A.cvss = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N";
    A.cvss_score10 = 48;
    A.summary = "summary of A";
    A.published = "2020-05-01T00:00:00Z";
    A.modified = "2020-06-01T00:00:00Z";
    set_aff(&afB[0], "PyPI", "foo", &r_fixed10, 1, vB, 2, "HIGH");
    set_aff(&afB[1], "PyPI", "bar", r_fixed20, 1, NULL, 0, "LOW");
    set_adv(&B, "PYSEC-2020-9", alB, 1, afB, 2);
    B.cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
    B.cvss_score10 = 75;
    B.summary = "summary of B";
    B.published = "2020-04-01T00:00:00Z";
    B.modified = "2020-07-01T00:00:00Z";
    B.source = "pypa";
    /* D -> Y-1, E (Y-1) -> Z-1, F (Z-1): one chain, no CVE anywhere */
    set_aff(&afD[0], "npm", "baz", r_fixed20, 1, NULL, 0, NULL);
    set_adv(&D, "X-1", alD, 1, afD, 1);
    set_aff(&afE[0], "npm", "baz", r_fixed20, 1, NULL, 0, NULL);
    set_adv(&E, "Y-1", alE, 1, afE, 1);
    set_aff(&afF[0], "npm", "baz", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&F, "Z-1", NULL, 0, afF, 1);
    /* G and H share a CVE but affect different packages: never merged */
    set_aff(&afG[0], "npm", "q", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&G, "CVE-2021-5", NULL, 0, afG, 1);
    set_aff(&afH[0], "npm", "r", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&H, "GHSA-hhhh-hhhh-hhhh", alH, 1, afH, 1);
    /* a vendor advisory naming two CVEs keeps its own id */
    set_aff(&afI[0], "Debian:12", "openssl", &r_fixed10, 1, NULL, 0, "medium");
    set_adv(&I, "DLA-3008-1", alI, 2, afI, 1);
    add_ok(w, &F); /* out of order on purpose: the result does not depend on it */
    add_ok(w, &A);
    add_ok(w, &G);
    add_ok(w, &B);
    add_ok(w, &E);
    add_ok(w, &H);
    add_ok(w, &D);
    add_ok(w, &I);
    finish_ok(w, 1);

    db = open_ok(p);
    bh_arena_init(&a, 1 << 24);

    n = lookup(db, &a, "PyPI", "foo", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "CVE-2020-1");
    assert_int_equal(v[0].naliases, 2);
    assert_string_equal(v[0].aliases[0], "GHSA-aaaa-aaaa-aaaa");
    assert_string_equal(v[0].aliases[1], "PYSEC-2020-9");
    /* the highest score wins, with its vector */
    assert_int_equal(v[0].cvss_score10, 75);
    assert_string_equal(v[0].cvss, B.cvss);
    assert_string_equal(v[0].published, "2020-04-01T00:00:00Z");
    assert_string_equal(v[0].modified, "2020-07-01T00:00:00Z");
    assert_string_equal(v[0].source, "osv,pypa");
    assert_string_equal(v[0].summary, "summary of A"); /* smallest record id */
    /* ranges: A's two plus B's one, which is A's first again: three become two */
    assert_int_equal(v[0].affected[0].nranges, 2);
    assert_int_equal(v[0].affected[0].ranges[0].type, BH_VR_ECOSYSTEM);
    assert_int_equal(v[0].affected[0].ranges[1].type, BH_VR_GIT);
    /* versions: the union, sorted, once each */
    assert_int_equal(v[0].affected[0].nversions, 3);
    assert_string_equal(v[0].affected[0].versions[0], "1.5");
    assert_string_equal(v[0].affected[0].versions[1], "1.7");
    assert_string_equal(v[0].affected[0].versions[2], "1.9");
    assert_string_equal(v[0].affected[0].severity, "HIGH");

    n = lookup(db, &a, "PyPI", "bar", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "CVE-2020-1");
    assert_int_equal(v[0].naliases, 1);
    assert_string_equal(v[0].aliases[0], "PYSEC-2020-9");
    assert_string_equal(v[0].summary, "summary of B");
    assert_string_equal(v[0].affected[0].severity, "LOW");
    assert_int_equal(v[0].affected[0].nranges, 1);
    assert_int_equal(v[0].affected[0].ranges[0].type, BH_VR_SEMVER);

    n = lookup(db, &a, "npm", "baz", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "X-1");
    assert_int_equal(v[0].naliases, 2);
    assert_string_equal(v[0].aliases[0], "Y-1");
    assert_string_equal(v[0].aliases[1], "Z-1");
    assert_int_equal(v[0].affected[0].nranges, 2); /* D and E agree, F differs */

    n = lookup(db, &a, "npm", "q", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "CVE-2021-5");
    assert_int_equal(v[0].naliases, 0);
    n = lookup(db, &a, "npm", "r", &v);
    assert_int_equal(n, 1);
    x = find_id(v, n, "CVE-2021-5");
    assert_int_equal(x->naliases, 1);
    assert_string_equal(x->aliases[0], "GHSA-hhhh-hhhh-hhhh");

    n = lookup(db, &a, "Debian:12", "openssl", &v);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, "DLA-3008-1");
    assert_int_equal(v[0].naliases, 2);
    assert_string_equal(v[0].aliases[0], "CVE-2022-1");
    assert_string_equal(v[0].aliases[1], "CVE-2022-2");

    bh_arena_release(&a);
    bh_vulndb_close(db);
}

static void same_input_same_file(void **state)
{
    const char *p1 = path_of("det1.db"), *p2 = path_of("det2.db");
    char *b1, *b2;
    FILE *f1, *f2;
    long n1, n2;

    (void)state;
    build_simple(p1, 42);
    build_simple(p2, 42);
    f1 = fopen(p1, "rb");
    f2 = fopen(p2, "rb");
    assert_non_null(f1);
    assert_non_null(f2);
    fseek(f1, 0, SEEK_END);
    fseek(f2, 0, SEEK_END);
    n1 = ftell(f1);
    n2 = ftell(f2);
    assert_true(n1 > 0);
    assert_int_equal(n1, n2);
    rewind(f1);
    rewind(f2);
    b1 = malloc((size_t)n1);
    b2 = malloc((size_t)n2);
    assert_int_equal(fread(b1, 1, (size_t)n1, f1), (size_t)n1);
    assert_int_equal(fread(b2, 1, (size_t)n2, f2), (size_t)n2);
    assert_memory_equal(b1, b2, (size_t)n1);
    free(b1);
    free(b2);
    fclose(f1);
    fclose(f2);
}

static void withdrawn_and_bad_records_refused(void **state)
{
    const char *p = path_of("withdrawn.db");
    struct bh_vulndb_writer *w = NULL;
    struct bh_affected af[1];
    struct bh_advisory adv;
    static const char *bad_alias[] = {"CVE-1\nCVE-2"};
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(p, &w, &err), 0);
    set_aff(&af[0], "npm", "x", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&adv, "GHSA-w", NULL, 0, af, 1);
    adv.withdrawn = "2022-01-01T00:00:00Z";
    assert_int_equal(bh_vulndb_add(w, &adv, &err), BH_EUSAGE);
    assert_non_null(strstr(err.msg, "withdrawn"));
    adv.withdrawn = NULL;
    adv.aliases = bad_alias;
    adv.naliases = 1;
    assert_int_equal(bh_vulndb_add(w, &adv, &err), BH_EUSAGE);
    adv.naliases = 0;
    af[0].name = "";
    assert_int_equal(bh_vulndb_add(w, &adv, &err), BH_EUSAGE);
    af[0].name = "x";
    add_ok(w, &adv);
    finish_ok(w, 5);
    {
        struct bh_vulndb *db = open_ok(p);
        struct bh_advisory *v;
        struct bh_arena a;

        bh_arena_init(&a, 1 << 20);
        assert_int_equal(lookup(db, &a, "npm", "x", &v), 1);
        bh_arena_release(&a);
        bh_vulndb_close(db);
    }
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void foreign_files_refused(void **state)
{
    struct bh_vulndb *db = (void *)1;
    struct bh_sqlite *s = NULL;
    const char *p;
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    /* missing: an I/O error that names the way to get a database */
    p = path_of("missing.db");
    assert_int_equal(bh_vulndb_open(p, &db, &err), BH_EIO);
    assert_null(db);
    assert_non_null(strstr(err.msg, "bulkhead db update"));
    assert_non_null(strstr(err.msg, "missing.db"));

    /* garbage */
    p = path_of("garbage.db");
    write_file(p, "this is not a database, just some text that is long enough to look like "
                  "a header of something. this is not a database, just some text.\n");
    assert_int_equal(bh_vulndb_open(p, &db, &err), BH_EPARSE);
    assert_null(db);
    assert_non_null(strstr(err.msg, "not a bulkhead vulnerability database"));

    /* an sqlite database of another program */
    p = path_of("foreign.db");
    assert_int_equal(bh_sqlite_open_file(p, true, &s, &err), 0);
    assert_int_equal(bh_sqlite_exec(s,
                                    "CREATE TABLE meta(key, value);"
                                    "INSERT INTO meta VALUES ('schema', 1);",
                                    &err),
                     0);
    bh_sqlite_close(s);
    assert_int_equal(bh_vulndb_open(p, &db, &err), BH_EPARSE);
    assert_null(db);
    assert_non_null(strstr(err.msg, "not a bulkhead vulnerability database"));
    assert_non_null(strstr(err.msg, "another program"));
}

static void other_schema_refused(void **state)
{
    const char *p = path_of("schema.db");
    struct bh_vulndb *db = NULL;
    struct bh_sqlite *s = NULL;
    struct bh_err err;

    (void)state;
    build_simple(p, 7);
    bh_err_init(&err);
    assert_int_equal(bh_sqlite_open_file(p, true, &s, &err), 0);
    assert_int_equal(bh_sqlite_exec(s, "UPDATE meta SET value = 2 WHERE key = 'schema'", &err), 0);
    bh_sqlite_close(s);
    assert_int_equal(bh_vulndb_open(p, &db, &err), BH_EPARSE);
    assert_null(db);
    assert_non_null(strstr(err.msg, "schema 2"));
    assert_non_null(strstr(err.msg, "rebuild"));
}

static void corrupt_row_is_an_error(void **state)
{
    const char *p = path_of("corrupt.db");
    struct bh_vulndb *db;
    struct bh_sqlite *s = NULL;
    struct bh_advisory *v = NULL;
    struct bh_arena a;
    struct bh_err err;
    size_t n = 0;

    (void)state;
    build_simple(p, 7);
    bh_err_init(&err);
    assert_int_equal(bh_sqlite_open_file(p, true, &s, &err), 0);
    /* a range tag whose string has no terminating NUL */
    assert_int_equal(
        bh_sqlite_exec(s, "UPDATE affected SET data = x'4531' WHERE name = 'urllib3'", &err), 0);
    bh_sqlite_close(s);
    db = open_ok(p);
    bh_arena_init(&a, 1 << 20);
    assert_int_equal(bh_vulndb_lookup(db, &a, "PyPI", "urllib3", &v, &n, &err), BH_EPARSE);
    assert_non_null(strstr(err.msg, "corrupt"));
    /* other rows still read */
    n = 0;
    v = NULL;
    assert_int_equal(bh_vulndb_lookup(db, &a, "PyPI", "requests", &v, &n, &err), 0);
    assert_int_equal(n, 1);
    bh_arena_release(&a);
    bh_vulndb_close(db);
}

static void abort_leaves_nothing(void **state)
{
    const char *p = path_of("aborted.db");
    struct bh_vulndb_writer *w = NULL;
    struct bh_affected af[1];
    struct bh_advisory adv;
    struct bh_err err;
    struct stat st;

    (void)state;
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(p, &w, &err), 0);
    assert_int_equal(stat(p, &st), 0);
    set_aff(&af[0], "npm", "x", &r_fixed10, 1, NULL, 0, NULL);
    set_adv(&adv, "GHSA-a", NULL, 0, af, 1);
    add_ok(w, &adv);
    bh_vulndb_abort(w);
    assert_int_not_equal(stat(p, &st), 0);
    assert_int_equal(errno, ENOENT);
    bh_vulndb_abort(NULL);
}

static void create_never_overwrites(void **state)
{
    const char *p = path_of("existing.db");
    struct bh_vulndb_writer *w = (void *)1;
    struct bh_err err;
    struct stat st;

    (void)state;
    write_file(p, "keep me");
    bh_err_init(&err);
    assert_int_equal(bh_vulndb_create(p, &w, &err), BH_EIO);
    assert_null(w);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 7);
}

static bool exists(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0;
}

static void single_file_and_index_lookup(void **state)
{
    const char *p = path_of("index.db");
    struct bh_sqlite_stmt *st = NULL;
    struct bh_sqlite *s = NULL;
    char side[300];
    bool uses_index = false, has_index = false;
    struct bh_err err;
    int rc;

    (void)state;
    build_simple(p, 9);
    /* one plain file: no journal, WAL or shared-memory file beside it */
    snprintf(side, sizeof(side), "%s-wal", p);
    assert_false(exists(side));
    snprintf(side, sizeof(side), "%s-shm", p);
    assert_false(exists(side));
    snprintf(side, sizeof(side), "%s-journal", p);
    assert_false(exists(side));

    bh_err_init(&err);
    assert_int_equal(bh_sqlite_open_file(p, false, &s, &err), 0);
    assert_int_equal(bh_sqlite_prepare(s,
                                       "SELECT 1 FROM sqlite_master WHERE type = 'index'"
                                       " AND name = 'affected_pkg' AND tbl_name = 'affected'",
                                       &st, &err),
                     0);
    has_index = bh_sqlite_step(st, &err) == 1;
    bh_sqlite_finalize(st);
    assert_true(has_index);
    /* the lookup's query shape (vulndb.c bh_vulndb_open) goes through the index */
    assert_int_equal(bh_sqlite_prepare(s,
                                       "EXPLAIN QUERY PLAN SELECT a.vid, f.data FROM affected AS f"
                                       " JOIN advisories AS a ON a.id = f.advisory"
                                       " WHERE f.ecosystem = ?1 AND f.name = ?2"
                                       " ORDER BY a.vid, a.id",
                                       &st, &err),
                     0);
    while ((rc = bh_sqlite_step(st, &err)) == 1) {
        const char *detail = bh_sqlite_column_text(st, 3);

        if (detail && strstr(detail, "USING INDEX affected_pkg (ecosystem=? AND name=?)"))
            uses_index = true;
    }
    assert_int_equal(rc, 0);
    bh_sqlite_finalize(st);
    assert_true(uses_index);
    /* read-only: writing is refused */
    assert_int_not_equal(bh_sqlite_exec(s, "DELETE FROM affected", &err), 0);
    bh_sqlite_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_reopen_lookup),
        cmocka_unit_test(info_reports_counts_and_sources),
        cmocka_unit_test(aliases_merge_per_package),
        cmocka_unit_test(same_input_same_file),
        cmocka_unit_test(withdrawn_and_bad_records_refused),
        cmocka_unit_test(foreign_files_refused),
        cmocka_unit_test(other_schema_refused),
        cmocka_unit_test(corrupt_row_is_an_error),
        cmocka_unit_test(abort_leaves_nothing),
        cmocka_unit_test(create_never_overwrites),
        cmocka_unit_test(single_file_and_index_lookup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
