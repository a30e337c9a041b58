/*
 * test_version.c - every version vector under ../shared/testdata/versions/ (package
 * managers' own test data and osv-scanner's real-world fixtures), checked in both
 * directions, plus the regression classes named in the issue and the ecosystem mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "core/err.h"
#include "vuln/version/scheme.h"
#include "vuln/version/version.h"

#define VDIR BH_SOURCE_ROOT "/../shared/testdata/versions"
#define MAX_FIELDS 8
#define MAX_REPORTED 15

/*
 * Rows whose file value we knowingly do not follow (docs/internals/versions.md): apk rows
 * where apk-tools 2.x (which produced them) and apk-tools 3 (which we implement) disagree,
 * and two hand-written rows that contradict the package manager's implementation or the
 * neighbouring rows. The value asserted instead is ours, so a change is still caught.
 */
struct exception {
    const char *file; /* path under VDIR */
    const char *a, *b;
    int expected; /* what we assert instead of the file's value */
    const char *why;
};

#define OSV "osv-scanner-semantic/"
/* apk-tools 2.x read a digit run after a letter ("5.7.1p1"); apk-tools 3 ends the version there
 * as invalid, so everything after the letter (revision included) no longer counts. */
#define LETTER_DIGIT "letter followed by digits: invalid from that point in apk 3"
/* 2.x took "-r" without digits as revision 0; apk 3 calls it invalid. */
#define EMPTY_REV "'-r' without digits: invalid in apk 3, revision 0 in 2.x"
/* 2.x compared a version without a leading digit letter by letter; apk 3 stops at once. */
#define NO_DIGIT "no leading digit: invalid at the first token in apk 3"

static const struct exception exceptions[] = {
    {OSV "alpine-versions.tsv", "1-r", "1-r0", -1, EMPTY_REV},
    {OSV "alpine-versions.tsv", "6.6.2p1", "6.6.2p2", 0, LETTER_DIGIT},
    {OSV "alpine-versions.tsv", "1-r0-1", "1-r-2", 1, EMPTY_REV},
    {OSV "alpine-versions.tsv", ".2", ".1", 0, NO_DIGIT},
    {OSV "alpine-versions.tsv", "a", "b", 0, NO_DIGIT},
    {OSV "alpine-versions.tsv", "c", "b", 0, NO_DIGIT},
    {OSV "alpine-versions-generated.tsv", "1.9.5p1-r1", "1.9.5p2-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.7.1p1-r0", "5.7.1p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.7.1p1-r1", "5.7.1p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.7.3p1-r0", "5.7.3p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.7.3p1-r1", "5.7.3p2-r0", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.7.3p2-r0", "5.7.3p2-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.9.2p1-r0", "5.9.2p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.9.2p1-r1", "5.9.2p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "5.9.2p1-r2", "5.9.2p1-r3", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r0", "6.0.2p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r1", "6.0.2p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r2", "6.0.2p1-r3", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r3", "6.0.2p1-r4", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r4", "6.0.2p1-r5", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r5", "6.0.2p1-r6", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r6", "6.0.2p1-r7", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.2p1-r7", "6.0.2p1-r8", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.3p1-r0", "6.0.3p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.3p1-r1", "6.0.3p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.3p1-r2", "6.0.3p1-r3", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.0.3p1-r3", "6.0.3p1-r4", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.4.2p1-r0", "6.4.2p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.4.2p1-r1", "6.4.2p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.1p1-r0", "6.6.1p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.1p1-r1", "6.6.1p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.1p1-r2", "6.6.1p1-r3", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.2p1-r0", "6.6.2p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.3p1-r0", "6.6.3p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "6.6.4p1-r0", "6.6.4p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "3.3.3p1-r0", "3.3.3p1-r1", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "3.3.3p1-r1", "3.3.3p1-r2", 0, LETTER_DIGIT},
    {OSV "alpine-versions-generated.tsv", "3.3.3p1-r2", "3.3.3p1-r4", 0, LETTER_DIGIT},
    /* Maven's ComparableVersion keeps "-1" as a nested list after trimming "ga":
     * 1-ga-1 = [1, [[1]]] < [1, [1]] = 1-1 (the pom.xml prose suggests equality). */
    {OSV "maven-versions.tsv", "1-1", "1-ga-1", 1,
     "ComparableVersion trims ga but keeps the nested list"},
    /* rows 86 and 88 ask 1.2.3.# = 1.2.3 and 1.2.3.# = 1.2.3.1, but 1.2.3 < 1.2.3.1 */
    {OSV "packagist-versions.tsv", "1.2.3.#", "1.2.3.1", -1,
     "contradicts row 86 under any total order"},
    {NULL, NULL, NULL, 0, NULL},
};
static size_t exceptions_used;

/* ---- reading the TSV files ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        fail_msg("cannot open test data '%s' (the shared test data must sit next to the repo)",
                 path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Decode one field in place: \\ \t \n \r. */
static void unescape(char *s)
{
    char *w = s;

    for (; *s; s++) {
        if (*s == '\\' && s[1] != '\0') {
            s++;
            *w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
}

/* Split the next line into fields; returns the field count, 0 at the end. */
static int next_row(char **cursor, char **fields)
{
    char *line = *cursor, *nl, *p;
    int n = 0;

    if (*line == '\0')
        return 0;
    nl = strchr(line, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = line + strlen(line);
    }
    if (nl != NULL && nl > line && nl[-1] == '\r')
        nl[-1] = '\0';
    p = line;
    fields[n++] = p;
    while ((p = strchr(p, '\t')) != NULL && n < MAX_FIELDS) {
        *p++ = '\0';
        fields[n++] = p;
    }
    for (int i = 0; i < n; i++)
        unescape(fields[i]);
    return n;
}

struct tally {
    const char *file;
    size_t rows, checks, failed, excepted;
};

static void report_failure(struct tally *t, const char *what)
{
    t->failed++;
    if (t->failed <= MAX_REPORTED)
        print_message("#   FAIL %s: %s\n", t->file, what);
}

static const struct exception *find_exception(const char *file, const char *a, const char *b)
{
    for (size_t i = 0; exceptions[i].file != NULL; i++)
        if (strcmp(exceptions[i].file, file) == 0 && strcmp(exceptions[i].a, a) == 0 &&
            strcmp(exceptions[i].b, b) == 0)
            return &exceptions[i];
    return NULL;
}

/* cmp(a, b) == want and cmp(b, a) == -want. */
static void check_pair(struct tally *t, enum bh_vscheme s, const char *a, const char *b, int want)
{
    char msg[1024];
    int got = 9, rev = 9, rc1, rc2;
    const struct exception *ex = find_exception(t->file, a, b);

    if (ex != NULL) {
        want = ex->expected;
        t->excepted++;
        exceptions_used++;
    }
    rc1 = bh_version_cmp(s, a, b, &got);
    rc2 = bh_version_cmp(s, b, a, &rev);
    t->checks += 2;
    if (rc1 != 0 || rc2 != 0 || got != want || rev != -want) {
        snprintf(msg, sizeof(msg), "cmp('%s', '%s') = %d (rc %d), reversed %d (rc %d), want %d", a,
                 b, got, rc1, rev, rc2, want);
        report_failure(t, msg);
    }
}

static void finish(struct tally *t)
{
    print_message("# %-52s %5zu rows %6zu checks %3zu failed%s\n", t->file, t->rows, t->checks,
                  t->failed, t->excepted ? " (documented exceptions applied)" : "");
}

/* A comparison TSV: header then a, b, expected, ... */
static size_t run_pairs(const char *rel, enum bh_vscheme s)
{
    char path[4096], *fields[MAX_FIELDS], *buf, *cur;
    struct tally t = {rel, 0, 0, 0, 0};
    size_t len;
    int n;

    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    n = next_row(&cur, fields);
    assert_true(n >= 3);
    assert_string_equal(fields[0], "a");
    while ((n = next_row(&cur, fields)) > 0) {
        int want;

        assert_true(n >= 3);
        want = (int)strtol(fields[2], NULL, 10);
        assert_true(want >= -1 && want <= 1);
        t.rows++;
        check_pair(&t, s, fields[0], fields[1], want);
    }
    finish(&t);
    free(buf);
    assert_true(t.rows > 0);
    return t.failed;
}

/* ---- the vector files ---- */

static const struct {
    const char *file;
    enum bh_vscheme scheme;
} pair_files[] = {
    {"dpkg/dpkg_Dpkg_Version_t.tsv", BH_VS_DPKG},
    {"dpkg/apt_compareversion_test.tsv", BH_VS_DPKG},
    {"apk/apk_version_data.tsv", BH_VS_APK},
    {"apk/apk_version_data_2.10-stable.tsv", BH_VS_APK},
    {"rpm/rpmvercmp.tsv", BH_VS_RPM},
    {"pep440/packaging_VERSIONS_allpairs.tsv", BH_VS_PEP440},
    {"semver/node_semver_compare.tsv", BH_VS_SEMVER},
    {"osv-scanner-semantic/alpine-versions.tsv", BH_VS_APK},
    {"osv-scanner-semantic/alpine-versions-generated.tsv", BH_VS_APK},
    {"osv-scanner-semantic/debian-versions.tsv", BH_VS_DPKG},
    {"osv-scanner-semantic/debian-versions-generated.tsv", BH_VS_DPKG},
    {"osv-scanner-semantic/redhat-versions.tsv", BH_VS_RPM},
    {"osv-scanner-semantic/pypi-versions.tsv", BH_VS_PEP440},
    {"osv-scanner-semantic/pypi-versions-generated.tsv", BH_VS_PEP440},
    {"osv-scanner-semantic/semver-versions.tsv", BH_VS_SEMVER},
    {"osv-scanner-semantic/maven-versions.tsv", BH_VS_MAVEN},
    {"osv-scanner-semantic/maven-versions-generated.tsv", BH_VS_MAVEN},
    {"osv-scanner-semantic/rubygems-versions.tsv", BH_VS_GEM},
    {"osv-scanner-semantic/rubygems-versions-generated.tsv", BH_VS_GEM},
    {"osv-scanner-semantic/packagist-versions.tsv", BH_VS_COMPOSER},
    {"osv-scanner-semantic/packagist-versions-generated.tsv", BH_VS_COMPOSER},
    {"osv-scanner-semantic/nuget-versions.tsv", BH_VS_NUGET},
    {"osv-scanner-semantic/cran-versions.tsv", BH_VS_CRAN},
    {"osv-scanner-semantic/cran-versions-generated.tsv", BH_VS_CRAN},
};

/* Files handled by their own test below (not plain pair lists). */
static const char *const other_files[] = {
    "dpkg/dpkg_sorted_lists.txt",
    "apk/apk_version_fuzzy_ops.tsv",
    "apk/apk_version_validity.tsv",
    "rpm/rpmvercmp_disabled_oddities.tsv",
    "pep440/packaging_VERSIONS_ascending.txt",
    "semver/node_semver_range_satisfies.tsv",
};

#define NPAIR_FILES (sizeof(pair_files) / sizeof(pair_files[0]))
#define NOTHER_FILES (sizeof(other_files) / sizeof(other_files[0]))

static bool known_file(const char *rel)
{
    for (size_t i = 0; i < NPAIR_FILES; i++)
        if (strcmp(pair_files[i].file, rel) == 0)
            return true;
    for (size_t i = 0; i < NOTHER_FILES; i++)
        if (strcmp(other_files[i], rel) == 0)
            return true;
    return false;
}

/* Every file in the data directory is one this test reads: new vectors cannot be missed. */
static void every_file_is_covered(void **state)
{
    const char *subdirs[] = {"dpkg", "apk", "rpm", "pep440", "semver", "osv-scanner-semantic"};
    size_t seen = 0, unknown = 0;
    DIR *top;
    struct dirent *de;

    (void)state;
    top = opendir(VDIR);
    if (top == NULL)
        fail_msg("cannot open test data directory '%s'", VDIR);
    while ((de = readdir(top)) != NULL) {
        bool ok = de->d_name[0] == '.';

        for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
            if (strcmp(de->d_name, subdirs[i]) == 0)
                ok = true;
        if (!ok) {
            print_message("#   unknown entry in %s: %s\n", VDIR, de->d_name);
            unknown++;
        }
    }
    closedir(top);
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        char path[4096], rel[4096];
        DIR *d;

        snprintf(path, sizeof(path), "%s/%s", VDIR, subdirs[i]);
        d = opendir(path);
        if (d == NULL)
            fail_msg("cannot open test data directory '%s'", path);
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0)
                continue;
            snprintf(rel, sizeof(rel), "%s/%s", subdirs[i], de->d_name);
            seen++;
            if (!known_file(rel)) {
                print_message("#   vector file not read by this test: %s\n", rel);
                unknown++;
            }
        }
        closedir(d);
    }
    print_message("# %zu vector files, all read by this test\n", seen);
    assert_int_equal(unknown, 0);
    assert_int_equal(seen, NPAIR_FILES + NOTHER_FILES);
}

static void pair_vectors(void **state)
{
    size_t failed = 0, nex = 0;

    (void)state;

    for (size_t i = 0; i < NPAIR_FILES; i++)
        failed += run_pairs(pair_files[i].file, pair_files[i].scheme);
    while (exceptions[nex].file != NULL)
        nex++;
    print_message("# %zu documented exceptions, %zu used\n", nex, exceptions_used);
    assert_int_equal(failed, 0);
    /* every exception names a real row: a stale entry fails */
    assert_int_equal(exceptions_used, nex);
}

static void check_ascending(struct tally *t, enum bh_vscheme s, char **v, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        t->rows++;
        check_pair(t, s, v[i], v[i + 1], -1);
    }
}

static void dpkg_sorted_lists(void **state)
{
    const char *rel = "dpkg/dpkg_sorted_lists.txt";
    char path[4096], *buf, *cur, *line, section[64] = "";
    struct tally t = {rel, 0, 0, 0, 0};
    size_t len, lists = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    while ((line = strsep(&cur, "\n")) != NULL) {
        char *items[64], *tok, *rest;
        size_t n = 0;

        if (line[0] == '[') {
            snprintf(section, sizeof(section), "%s", line);
            continue;
        }
        if (strncmp(line, "expected_ascending:", 19) != 0)
            continue;
        rest = line + 19;
        while ((tok = strsep(&rest, " ")) != NULL)
            if (*tok != '\0' && n < 64)
                items[n++] = tok;
        assert_true(n >= 2);
        lists++;
        if (strcmp(section, "[version_compare_string]") == 0) {
            /* single-string comparison: the non-digit weights alone, outside a version */
            for (size_t i = 0; i + 1 < n; i++) {
                t.rows++;
                t.checks += 2;
                if (bh_version_dpkg_string_cmp(items[i], items[i + 1]) >= 0 ||
                    bh_version_dpkg_string_cmp(items[i + 1], items[i]) <= 0)
                    report_failure(&t, items[i]);
            }
        } else {
            check_ascending(&t, BH_VS_DPKG, items, n);
        }
    }
    finish(&t);
    free(buf);
    assert_int_equal(lists, 3);
    assert_int_equal(t.failed, 0);
}

static void pep440_ascending(void **state)
{
    const char *rel = "pep440/packaging_VERSIONS_ascending.txt";
    char path[4096], *buf, *cur, *line, *items[256];
    struct tally t = {rel, 0, 0, 0, 0};
    size_t len, n = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    while ((line = strsep(&cur, "\n")) != NULL)
        if (*line != '\0' && n < 256)
            items[n++] = line;
    assert_int_equal(n, 92);
    for (size_t i = 0; i < n; i++)
        assert_true(bh_version_valid(BH_VS_PEP440, items[i]));
    check_ascending(&t, BH_VS_PEP440, items, n);
    finish(&t);
    free(buf);
    assert_int_equal(t.failed, 0);
}

static void apk_validity(void **state)
{
    const char *rel = "apk/apk_version_validity.tsv";
    char path[4096], *fields[MAX_FIELDS], *buf, *cur, msg[512];
    struct tally t = {rel, 0, 0, 0, 0};
    size_t len, valid = 0;
    int n;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    n = next_row(&cur, fields);
    assert_string_equal(fields[0], "version");
    while ((n = next_row(&cur, fields)) > 0) {
        bool want = strcmp(fields[1], "1") == 0;

        assert_true(n >= 2);
        t.rows++;
        t.checks++;
        valid += want;
        if (bh_version_valid(BH_VS_APK, fields[0]) != want) {
            snprintf(msg, sizeof(msg), "valid('%s') != %d", fields[0], want);
            report_failure(&t, msg);
        }
    }
    finish(&t);
    free(buf);
    assert_true(valid > 0 && valid < t.rows);
    assert_int_equal(t.failed, 0);
}

static void apk_fuzzy_ops(void **state)
{
    const char *rel = "apk/apk_version_fuzzy_ops.tsv";
    char path[4096], *fields[MAX_FIELDS], *buf, *cur, msg[512];
    struct tally t = {rel, 0, 0, 0, 0};
    size_t len;
    int n;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    n = next_row(&cur, fields);
    assert_string_equal(fields[1], "op");
    while ((n = next_row(&cur, fields)) > 0) {
        assert_true(n >= 3);
        t.rows++;
        t.checks++;
        if (!bh_version_apk_match(fields[0], fields[1], fields[2])) {
            snprintf(msg, sizeof(msg), "'%s' %s '%s' is false", fields[0], fields[1], fields[2]);
            report_failure(&t, msg);
        }
    }
    finish(&t);
    free(buf);
    assert_int_equal(t.failed, 0);
    /* the negations are not vacuous */
    assert_true(bh_version_apk_match("3.6.1", "~", "3.6"));
    assert_false(bh_version_apk_match("3.6.1", "!~", "3.6"));
    assert_false(bh_version_apk_match("3.7", "~", "3.6"));
}

/* rpm's own suite keeps these commented out as arguably-buggy behaviour: reported, not asserted */
static void rpm_oddities_reported(void **state)
{
    const char *rel = "rpm/rpmvercmp_disabled_oddities.tsv";
    char path[4096], *fields[MAX_FIELDS], *buf, *cur;
    size_t len, rows = 0, agree = 0;
    int n;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    (void)next_row(&cur, fields);
    while ((n = next_row(&cur, fields)) > 0) {
        int got = 9;

        assert_true(n >= 3);
        rows++;
        assert_int_equal(bh_version_cmp(BH_VS_RPM, fields[0], fields[1], &got), 0);
        agree += got == (int)strtol(fields[2], NULL, 10);
    }
    print_message("# %-52s %5zu rows (not asserted: upstream-disabled), %zu agree\n", rel, rows,
                  agree);
    free(buf);
    assert_true(rows > 0);
}

static void semver_ranges_skipped(void **state)
{
    const char *rel = "semver/node_semver_range_satisfies.tsv";
    char path[4096], *fields[MAX_FIELDS], *buf, *cur;
    size_t len, rows = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/%s", VDIR, rel);
    buf = cur = slurp(path, &len);
    (void)next_row(&cur, fields);
    assert_string_equal(fields[0], "range");
    while (next_row(&cur, fields) > 0)
        rows++;
    print_message("# %-52s %5zu rows SKIPPED: npm range semantics belong to the matcher\n", rel,
                  rows);
    free(buf);
    skip();
}

/* ---- regression classes named in the issue, and the API edges ---- */

static int cmp(enum bh_vscheme s, const char *a, const char *b)
{
    int out = 9;

    assert_int_equal(bh_version_cmp(s, a, b, &out), 0);
    return out;
}

static void regressions(void **state)
{
    int out = 7;

    (void)state;
    /* rpm epoch beats everything after it */
    assert_int_equal(cmp(BH_VS_RPM, "1:1.0-1", "2.0-1"), 1);
    assert_int_equal(cmp(BH_VS_RPM, "0:2.0-1", "2.0-1"), 0);
    /* apk pre-release suffix and revision */
    assert_int_equal(cmp(BH_VS_APK, "1.2.3_rc1-r0", "1.2.3-r0"), -1);
    assert_int_equal(cmp(BH_VS_APK, "1.2.3-r0", "1.2.3"), 1);
    assert_int_equal(cmp(BH_VS_APK, "1.2.3_p1-r0", "1.2.3-r5"), 1);
    /* Debian binNMU and tilde */
    assert_int_equal(cmp(BH_VS_DPKG, "1.2-3+b1", "1.2-3"), 1);
    assert_int_equal(cmp(BH_VS_DPKG, "1.2-3+b1", "1.2-3.1"), -1);
    assert_int_equal(cmp(BH_VS_DPKG, "1.2~rc1-1", "1.2-1"), -1);
    assert_int_equal(cmp(BH_VS_DPKG, "1.2-1~bpo12+1", "1.2-1"), -1);
    /* Go pseudo-versions order as pre-releases */
    assert_int_equal(cmp(BH_VS_GO, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.1"), -1);
    assert_int_equal(
        cmp(BH_VS_GO, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-000000000000"),
        -1);
    assert_int_equal(cmp(BH_VS_GO, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
    assert_int_equal(cmp(BH_VS_GO, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), -1);
    assert_int_equal(cmp(BH_VS_GO, "v2.0.0+incompatible", "v2.0.0"), 0);
    assert_int_equal(cmp(BH_VS_GO, "v2.0.1+incompatible", "v2.0.0"), 1);
    assert_int_equal(cmp(BH_VS_GO, "1.2.3", "v1.2.3"), 0);
    /* invalid input is a parse error for strict schemes, and *out is untouched */
    assert_int_equal(bh_version_cmp(BH_VS_DPKG, "abc", "1.0", &out), BH_EPARSE);
    assert_int_equal(bh_version_cmp(BH_VS_SEMVER, "1.0.0", "x.y", &out), BH_EPARSE);
    assert_int_equal(bh_version_cmp(BH_VS_GO, "v1.2.3", "", &out), BH_EPARSE);
    assert_int_equal(out, 7);
    assert_false(bh_version_valid(BH_VS_DPKG, "1:"));
    assert_false(bh_version_valid(BH_VS_DPKG, "1.0-"));
    assert_false(bh_version_valid(BH_VS_DPKG, "1 0"));
    assert_true(bh_version_valid(BH_VS_DPKG, " 1.0-1 "));
    assert_true(bh_version_valid(BH_VS_PEP440, "1.0.post1"));
    assert_false(bh_version_valid(BH_VS_PEP440, "0.1-bulbasaur"));
}

static void pep440_normalisation(void **state)
{
    (void)state;
    assert_int_equal(cmp(BH_VS_PEP440, "1.0a1", "1.0.alpha.1"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0.post1", "1.0-1"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0.post1", "1.0.rev1"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0_rc1", "1.0c1"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0RC1", "1.0rc1"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "v1.0", "1.0.0"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0.dev", "1.0.dev0"), 0);
    assert_int_equal(cmp(BH_VS_PEP440, "1!0.1", "2.0"), 1);
    assert_int_equal(cmp(BH_VS_PEP440, "1.0+ubuntu.1", "1.0+ubuntu-1"), 0);
}

static void maven_qualifiers(void **state)
{
    const char *asc[] = {"1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp"};

    (void)state;
    for (size_t i = 0; i + 1 < sizeof(asc) / sizeof(asc[0]); i++)
        assert_int_equal(cmp(BH_VS_MAVEN, asc[i], asc[i + 1]), -1);
    assert_int_equal(cmp(BH_VS_MAVEN, "1-cr", "1-rc"), 0);
    assert_int_equal(cmp(BH_VS_MAVEN, "1.0.0", "1-ga"), 0);
    assert_int_equal(cmp(BH_VS_MAVEN, "1-final", "1-release"), 0);
    assert_int_equal(cmp(BH_VS_MAVEN, "1a1", "1-alpha-1"), 0);
}

static void ecosystems(void **state)
{
    static const struct {
        const char *eco;
        enum bh_vscheme s;
    } map[] = {
        {"Debian:12", BH_VS_DPKG},
        {"Debian", BH_VS_DPKG},
        {"Ubuntu:22.04", BH_VS_DPKG},
        {"Ubuntu:Pro:18.04:LTS", BH_VS_DPKG},
        {"Alpine:v3.20", BH_VS_APK},
        {"Wolfi", BH_VS_APK},
        {"Chainguard", BH_VS_APK},
        {"Red Hat", BH_VS_RPM},
        {"Red Hat:enterprise_linux:9::appstream", BH_VS_RPM},
        {"AlmaLinux:9", BH_VS_RPM},
        {"Rocky Linux:9", BH_VS_RPM},
        {"SUSE", BH_VS_RPM},
        {"SUSE:Linux Enterprise Server 15 SP5", BH_VS_RPM},
        {"openSUSE", BH_VS_RPM},
        {"openSUSE:Leap 15.5", BH_VS_RPM},
        {"PyPI", BH_VS_PEP440},
        {"npm", BH_VS_SEMVER},
        {"crates.io", BH_VS_SEMVER},
        {"Go", BH_VS_GO},
        {"Maven", BH_VS_MAVEN},
        {"RubyGems", BH_VS_GEM},
        {"Packagist", BH_VS_COMPOSER},
        {"NuGet", BH_VS_NUGET},
        {"CRAN", BH_VS_CRAN},
    };
    enum bh_vscheme s = BH_VS_CRAN;

    (void)state;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        s = (enum bh_vscheme)99;
        if (!bh_version_scheme_of(map[i].eco, &s))
            fail_msg("ecosystem '%s' not mapped", map[i].eco);
        assert_int_equal(s, map[i].s);
    }
    assert_false(bh_version_scheme_of("Debianish", &s));
    assert_false(bh_version_scheme_of("GIT", &s));
    assert_false(bh_version_scheme_of("", &s));
    assert_string_equal(bh_version_scheme_name(BH_VS_DPKG), "dpkg");
    assert_string_equal(bh_version_scheme_name(BH_VS_GO), "go");
    assert_string_equal(bh_version_scheme_name((enum bh_vscheme)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_file_is_covered), cmocka_unit_test(pair_vectors),
        cmocka_unit_test(dpkg_sorted_lists),     cmocka_unit_test(pep440_ascending),
        cmocka_unit_test(apk_validity),          cmocka_unit_test(apk_fuzzy_ops),
        cmocka_unit_test(rpm_oddities_reported), cmocka_unit_test(semver_ranges_skipped),
        cmocka_unit_test(regressions),           cmocka_unit_test(pep440_normalisation),
        cmocka_unit_test(maven_qualifiers),      cmocka_unit_test(ecosystems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
