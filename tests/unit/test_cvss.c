/*
 * test_cvss.c - CVSS v2.0, v3.0, v3.1 and v4.0 base scores against published scores, the strict
 * parser's rejections, and every CVSS vector in the shared OSV data parsing.
 *
 * Where the expected scores come from: the FIRST CVSS v3.1 "Examples" document (CVE rows), NVD
 * and GitHub advisory scores of real CVEs, and the vector/score lists Red Hat's `cvss` library
 * checks itself against (tests/vectors_simple2, vectors_simple31, vectors_simple4, produced
 * with FIRST's calculators). No expected value here was computed by this code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/limits.h"
#include "vuln/cvss.h"

#define OSV_DIR BH_SOURCE_ROOT "/../shared/testdata/vulndata/osv"

struct vec {
    const char *v;
    int score10;
};

static void check_table(const struct vec *t, size_t n, int version)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct bh_cvss c;
        struct bh_err e;
        bh_err_init(&e);
        int rc = bh_cvss_parse(t[i].v, &c, &e);
        if (rc != 0) {
            print_error("%s: rejected: %s\n", t[i].v, e.msg);
            bad++;
            continue;
        }
        if (c.version != version || c.score10 != t[i].score10) {
            print_error("%s: version %d score %d.%d, expected %d.%d\n", t[i].v, c.version,
                        c.score10 / 10, c.score10 % 10, t[i].score10 / 10, t[i].score10 % 10);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

#define CHECK(t, ver) check_table(t, sizeof(t) / sizeof((t)[0]), ver)

/* ---- v3.1 ---- */

static const struct vec v31[] = {
    /* Red Hat cvss tests/vectors_simple31 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:L", 99},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:N", 93},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 58},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N", 82},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", 73},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N", 47},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:L", 63},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N", 50},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 90},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:N/A:N", 68},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 35},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 91},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L", 66},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 72},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L", 60},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N", 49},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:L", 55},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", 54},
    /* FIRST CVSS v3.1 Examples document */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61}, /* CVE-2013-1937 phpMyAdmin XSS */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64}, /* CVE-2013-0375 MySQL */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 31}, /* CVE-2014-3566 POODLE */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99}, /* CVE-2012-1516 VMware */
    {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 42}, /* CVE-2009-0783 Tomcat */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88}, /* CVE-2012-0384 Cisco IOS */
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78}, /* CVE-2015-1098 iWork */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75}, /* CVE-2014-0160 Heartbleed */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98}, /* CVE-2014-6271 Shellshock */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 68}, /* CVE-2008-1447 DNS */
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 68}, /* CVE-2014-2005 Sophos */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 58}, /* CVE-2012-1342 Cisco ACL */
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 93}, /* CVE-2013-6014 Juniper */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88}, /* CVE-2015-0970 SearchBlox */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 74}, /* CVE-2014-0224 OpenSSL CCS */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 96}, /* CVE-2012-5376 Chrome IPC */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 68}, /* CVE-2016-0128 Badlock */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 75}, /* CVE-2016-2118 */
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 88}, /* CVE-2011-1265 Bluetooth */
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 46}, /* CVE-2014-2019 iOS */
    /* vectors of the shared OSV records, with the score NVD / GitHub publish for them */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 65},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 53},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 43},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", 59},
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 55},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 55},
    {"CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H", 75},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:H", 49},
    {"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H", 70},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 37},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 81},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78}, /* CVE-2021-3156 sudo */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 65},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 72}, /* GHSA-35jh-r3h4-6jhm lodash */
    {"CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:N/A:N", 44}, /* GHSA-269g-pwp5-87pp junit */
};

static void test_v31(void **state)
{
    (void)state;
    CHECK(v31, BH_CVSS_V31);
}

/* ---- v3.0 ---- */

static const struct vec v30[] = {
    /* the CVSS:3.0 vectors in the shared OSV data (PyPI advisories), NVD scores */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 65},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100}, /* CVE-2017-5638 Struts2 */
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},
    {"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78},
};

static void test_v30(void **state)
{
    (void)state;
    CHECK(v30, BH_CVSS_V30);
}

/*
 * For base metrics the two roundings agree on every one of the 2,592 vectors (v3.1 changed
 * Roundup for floating-point trouble in environmental scores); each version keeps its tag.
 */
static void test_v30_v31_agree_on_all_base_vectors(void **state)
{
    (void)state;
    static const char *av = "NALP", *ac = "LH", *pr = "NLH", *ui = "NR", *s = "UC", *cia = "HLN";
    int n = 0, differ = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 3; p++)
                for (int u = 0; u < 2; u++)
                    for (int sc = 0; sc < 2; sc++)
                        for (int k = 0; k < 27; k++) {
                            char v[80];
                            struct bh_cvss c0, c1;
                            snprintf(v, sizeof(v),
                                     "CVSS:3.0/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/"
                                     "C:%c/I:%c/A:%c",
                                     av[a], ac[b], pr[p], ui[u], s[sc], cia[k / 9], cia[k / 3 % 3],
                                     cia[k % 3]);
                            assert_int_equal(bh_cvss_parse(v, &c0, NULL), 0);
                            v[7] = '1';
                            assert_int_equal(bh_cvss_parse(v, &c1, NULL), 0);
                            assert_int_equal(c0.version, BH_CVSS_V30);
                            assert_int_equal(c1.version, BH_CVSS_V31);
                            assert_in_range(c1.score10, 0, 100);
                            differ += c0.score10 != c1.score10;
                            n++;
                        }
    assert_int_equal(n, 2592);
    assert_int_equal(differ, 0);
}

/* ---- v2 ---- */

static const struct vec v2[] = {
    {"AV:N/AC:L/Au:N/C:P/I:N/A:N", 50},  /* CVE-2014-0160 Heartbleed (NVD) */
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 100}, /* CVE-2014-6271 Shellshock (NVD) */
    {"AV:L/AC:L/Au:N/C:C/I:C/A:C", 72},  /* CVE-2021-3156 sudo (NVD) */
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 75},
    {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 43},
    {"AV:N/AC:M/Au:N/C:P/I:P/A:P", 68},
    /* Red Hat cvss tests/vectors_simple2 */
    {"AV:L/AC:H/Au:M/C:N/I:N/A:P", 8},
    {"AV:L/AC:H/Au:M/C:C/I:C/A:C", 59},
    {"AV:L/AC:M/Au:S/C:P/I:P/A:P", 41},
    {"AV:L/AC:L/Au:S/C:C/I:C/A:C", 68},
    {"AV:A/AC:H/Au:N/C:C/I:C/A:C", 68},
    {"AV:A/AC:M/Au:M/C:P/I:P/A:P", 45},
    {"AV:L/AC:H/Au:N/C:P/I:P/A:C", 52},
    {"AV:L/AC:H/Au:M/C:N/I:N/A:N", 0},
    {"AV:L/AC:M/Au:M/C:P/I:C/A:C", 60},
    {"AV:N/AC:L/Au:S/C:P/I:P/A:P", 65},
    {"AV:N/AC:L/Au:N/C:N/I:N/A:P", 50},
    {"AV:N/AC:M/Au:N/C:C/I:C/A:C", 93},
    {"AV:N/AC:H/Au:N/C:P/I:P/A:P", 51},
};

static void test_v2(void **state)
{
    (void)state;
    CHECK(v2, BH_CVSS_V2);
}

/* ---- v4.0 ---- */

static const struct vec v4[] = {
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 93}, /* OSV GIT record */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 100},
    /* GHSA-3pxv-7cmr-fjr4 (shared OSV data); 6.9 "Medium" as GitHub publishes it */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", 69},
    /* Red Hat cvss tests/vectors_simple4 */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 69},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 92},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 78},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N", 69},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 79},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:N/VA:L/SC:N/SI:H/SA:N", 83},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L", 53},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 86},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 51},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N", 71},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:L/SA:L", 64},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L", 70},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 93},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:N/VI:L/VA:L/SC:L/SI:L/SA:H", 62},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:N", 51},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 48},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H", 60},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 95},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:L/VA:L/SC:H/SI:L/SA:L", 70},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:L/VA:N/SC:H/SI:N/SA:N", 49},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 21},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", 23},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 18},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:H/VA:N/SC:N/SI:H/SA:L", 68},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 94},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 21},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:A/VC:L/VI:L/VA:L/SC:H/SI:H/SA:H", 52},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 40},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N", 95},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L", 70},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:L/VI:N/VA:N/SC:H/SI:H/SA:H", 55},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:N/VI:N/VA:L/SC:L/SI:L/SA:H", 62},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:P/VC:N/VI:L/VA:H/SC:H/SI:L/SA:N", 69},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:N/VI:L/VA:H/SC:L/SI:L/SA:N", 69},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:L/SC:H/SI:N/SA:N", 92},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:L/SC:L/SI:H/SA:N", 60},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:L", 92},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:A/VC:L/VI:L/VA:N/SC:L/SI:N/SA:L", 24},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:L/VI:N/VA:N/SC:N/SI:H/SA:N", 59},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:L", 46},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:P/VC:L/VI:N/VA:H/SC:H/SI:N/SA:N", 67},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:A/VC:L/VI:L/VA:N/SC:L/SI:H/SA:N", 42},
    {"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:L", 74},
    {"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:L", 20},
    {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N", 18},
    {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:L/SA:L", 10},
    {"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:N/SA:L", 86},
    {"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", 21},
    {"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:L/SI:N/SA:N", 72},
    {"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:A/VC:H/VI:L/VA:H/SC:L/SI:N/SA:L", 46},
    {"CVSS:4.0/AV:L/AC:H/AT:N/PR:H/UI:P/VC:H/VI:N/VA:H/SC:L/SI:L/SA:N", 44},
    {"CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:H/VI:H/VA:L/SC:N/SI:L/SA:H", 85},
    {"CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 10},
    {"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:N/VA:L/SC:H/SI:H/SA:L", 47},
    {"CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:P/VC:H/VI:N/VA:H/SC:H/SI:N/SA:L", 58},
    {"CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:A/VC:H/VI:H/VA:L/SC:H/SI:N/SA:H", 70},
    {"CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:H", 21},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N", 69},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L", 54},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:A/VC:L/VI:N/VA:L/SC:N/SI:N/SA:H", 18},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:N/VC:N/VI:N/VA:L/SC:L/SI:N/SA:L", 10},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:P/VC:L/VI:N/VA:N/SC:H/SI:H/SA:H", 24},
    {"CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H", 72},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:P/VC:H/VI:H/VA:L/SC:H/SI:L/SA:L", 70},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:A/VC:H/VI:L/VA:H/SC:N/SI:L/SA:N", 46},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:N/VC:H/VI:H/VA:L/SC:H/SI:H/SA:L", 71},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:L", 72},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:H/SA:L", 23},
};

static void test_v4(void **state)
{
    (void)state;
    CHECK(v4, BH_CVSS_V40);
}

/* Every one of the 104,976 base vectors scores (a highest-severity vector is always found)
 * within 0..10, and the MacroVector is six digits in range. */
static void test_v4_all_base_vectors(void **state)
{
    (void)state;
    static const char *av = "NALP", *lh = "LH", *at = "NP", *pr = "NLH", *ui = "NPA";
    static const char *imp = "HLN";
    long n = 0;
    int zero = 0;
    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 2; c++)
            for (int t = 0; t < 2; t++)
                for (int p = 0; p < 3; p++)
                    for (int u = 0; u < 3; u++)
                        for (int k = 0; k < 729; k++) {
                            char v[96];
                            struct bh_cvss r;
                            struct bh_err e;
                            int x = k;
                            char im[6];
                            for (int j = 5; j >= 0; j--) {
                                im[j] = imp[x % 3];
                                x /= 3;
                            }
                            snprintf(v, sizeof(v),
                                     "CVSS:4.0/AV:%c/AC:%c/AT:%c/PR:%c/UI:%c/VC:%c/VI:%c/VA:%c/"
                                     "SC:%c/SI:%c/SA:%c",
                                     av[a], lh[c], at[t], pr[p], ui[u], im[0], im[1], im[2], im[3],
                                     im[4], im[5]);
                            bh_err_init(&e);
                            if (bh_cvss_parse(v, &r, &e) != 0)
                                fail_msg("%s: %s", v, e.msg);
                            assert_in_range(r.score10, 0, 100);
                            assert_int_equal(strlen(r.macro), 6);
                            assert_in_range(r.macro[0], '0', '2');
                            assert_in_range(r.macro[3], '1', '2'); /* EQ4=0 needs MSI/MSA:S */
                            assert_true(r.macro[4] == '0');        /* E not defined */
                            zero += r.score10 == 0;
                            n++;
                        }
    assert_int_equal(n, 104976);
    /* exactly the vectors with no impact at all score 0 */
    assert_int_equal(zero, 4 * 2 * 2 * 3 * 3);
}

static void test_v4_macrovector(void **state)
{
    (void)state;
    struct bh_cvss c;
    assert_int_equal(
        bh_cvss_parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &c, NULL),
        0);
    assert_string_equal(c.macro, "000200");
    assert_int_equal(
        bh_cvss_parse("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L", &c, NULL),
        0);
    assert_string_equal(c.macro, "212201");
    assert_int_equal(bh_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c, NULL), 0);
    assert_string_equal(c.macro, "");
}

/* ---- optional metric groups: validated, accepted, not scored ---- */

static void test_optional_metrics_ignored(void **state)
{
    (void)state;
    static const struct vec t[] = {
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 98},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/"
         "MS:C/MC:N/MI:N/MA:N",
         98},
        {"CVSS:3.1/E:X/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98}, /* any order */
        {"CVSS:3.1/A:N/I:N/C:H/S:U/UI:N/PR:N/AC:L/AV:N", 75},
    };
    CHECK(t, BH_CVSS_V31);
    static const struct vec t2[] = {
        {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:U/RL:OF/RC:UC", 75},
        {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:TF/RC:UR/CDP:LM/TD:L/CR:H/IR:M/AR:ND", 75},
    };
    CHECK(t2, BH_CVSS_V2);
    static const struct vec t4[] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 93},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L/MAV:P/"
         "MAC:H/MAT:P/MPR:H/MUI:A/MVC:N/MVI:N/MVA:N/MSC:N/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
         93},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N/AU:N/R:U", 69},
    };
    CHECK(t4, BH_CVSS_V40);
}

/* ---- rejections ---- */

static void expect_reject(const char *v, int code, const char *needle)
{
    struct bh_cvss c;
    struct bh_err e;
    bh_err_init(&e);
    int rc = bh_cvss_parse(v, &c, &e);
    if (rc != code)
        fail_msg("'%s': rc %d (%s), expected %d", v, rc, e.msg, code);
    assert_int_equal(e.code, code);
    if (needle && !strstr(e.msg, needle))
        fail_msg("'%s': message '%s' lacks '%s'", v, e.msg, needle);
}

static void test_rejections(void **state)
{
    (void)state;
    /* duplicate metric, also with the same value */
    expect_reject("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N", BH_EPARSE, "twice");
    expect_reject("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "twice");
    expect_reject("AV:N/AC:L/Au:N/C:P/I:P/A:P/A:P", BH_EPARSE, "twice");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A",
                  BH_EPARSE, "twice");
    /* missing base metric */
    expect_reject("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", BH_EPARSE, "S missing");
    expect_reject("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", BH_EPARSE, "A missing");
    expect_reject("AV:N/AC:L/C:P/I:P/A:P", BH_EPARSE, "Au missing");
    expect_reject("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", BH_EPARSE,
                  "AT missing");
    expect_reject("CVSS:3.1/", BH_EPARSE, "no metrics");
    /* unknown value: other version's, lower case, empty, S outside MSI/MSA */
    expect_reject("CVSS:3.1/AV:N/AC:M/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "AC");
    expect_reject("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "AV");
    expect_reject("CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "AV");
    expect_reject("CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "AV");
    expect_reject("AV:N/AC:L/Au:N/C:H/I:P/A:P", BH_EPARSE, "'H'");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", BH_EPARSE,
                  "SI");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", BH_EPARSE,
                  "UI");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red",
                  BH_EPARSE, "U");
    /* unknown metric, including another version's */
    expect_reject("CVSS:3.1/AV:N/AC:L/Au:N/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "unknown metric");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", BH_EPARSE,
                  "S has unknown value");
    expect_reject("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O", BH_EPARSE,
                  "unknown metric");
    expect_reject("AV:N/AC:L/Au:N/C:P/I:P/A:P/S:U", BH_EPARSE, "unknown metric");
    /* version prefix */
    expect_reject("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "version");
    expect_reject("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", BH_EPARSE, "version");
    expect_reject("CVSS:3.1", BH_EPARSE, "prefix");
    expect_reject("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, NULL);
    /* structure */
    expect_reject("", BH_EPARSE, "no metrics");
    expect_reject("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", BH_EPARSE, "trailing");
    expect_reject("CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "empty");
    expect_reject("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "empty");
    expect_reject("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ", BH_EPARSE, NULL);
    expect_reject(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, NULL);
    expect_reject("(AV:N/AC:L/Au:N/C:P/I:P/A:P)", BH_EPARSE, NULL);
    expect_reject("CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "NAME:VALUE");
    expect_reject("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BH_EPARSE, "AV");
    expect_reject("high", BH_EPARSE, NULL);
    expect_reject("9.8", BH_EPARSE, NULL);
    expect_reject("\xff\xfe/AV:N", BH_EPARSE, NULL);

    /* too long: a valid vector followed by many valid-looking repeats is cut at the limit */
    char big[BH_MAX_CVSS_VECTOR + 64];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    expect_reject(big, BH_ELIMIT, NULL);

    /* a NUL inside the given length */
    struct bh_cvss c;
    struct bh_err e;
    static const char nul[] = "AV:N/AC:L/Au:N/C:P/I:P/A:P\0/E:U";
    bh_err_init(&e);
    assert_int_equal(bh_cvss_parse_n(nul, sizeof(nul) - 1, &c, &e), BH_EPARSE);
    /* ...and the same bytes without it parse */
    assert_int_equal(bh_cvss_parse_n(nul, strlen(nul), &c, &e), 0);
    assert_int_equal(c.score10, 75);
}

/* ---- severity ---- */

static void test_severity(void **state)
{
    (void)state;
    assert_string_equal(bh_cvss_severity(0), "none");
    assert_string_equal(bh_cvss_severity(1), "low");
    assert_string_equal(bh_cvss_severity(39), "low");
    assert_string_equal(bh_cvss_severity(40), "medium");
    assert_string_equal(bh_cvss_severity(69), "medium");
    assert_string_equal(bh_cvss_severity(70), "high");
    assert_string_equal(bh_cvss_severity(89), "high");
    assert_string_equal(bh_cvss_severity(90), "critical");
    assert_string_equal(bh_cvss_severity(100), "critical");
    assert_null(bh_cvss_severity(-1));
    assert_null(bh_cvss_severity(101));
    assert_string_equal(bh_cvss_severity_v2(0), "low");
    assert_string_equal(bh_cvss_severity_v2(39), "low");
    assert_string_equal(bh_cvss_severity_v2(40), "medium");
    assert_string_equal(bh_cvss_severity_v2(69), "medium");
    assert_string_equal(bh_cvss_severity_v2(70), "high");
    assert_string_equal(bh_cvss_severity_v2(100), "high");
    assert_null(bh_cvss_severity_v2(101));

    struct bh_cvss c;
    assert_int_equal(bh_cvss_parse("AV:N/AC:L/Au:N/C:C/I:C/A:C", &c, NULL), 0);
    assert_string_equal(bh_cvss_rating(&c), "high"); /* v2 has no "critical" */
    assert_int_equal(bh_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", &c, NULL), 0);
    assert_string_equal(bh_cvss_rating(&c), "critical");
    assert_int_equal(bh_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", &c, NULL), 0);
    assert_string_equal(bh_cvss_rating(&c), "none");
}

/* ---- the shared OSV data: every CVSS vector there is accepted ---- */

static int osv_vectors, osv_rejected, osv_files;

static int scan_osv(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    size_t pl = strlen(path);
    if (flag != FTW_F || pl < 5 || strcmp(path + pl - 5, ".json") != 0 || st->st_size > 8 << 20)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *buf = malloc((size_t)st->st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st->st_size, f) : 0;
    fclose(f);
    if (!buf)
        return 1;
    buf[n] = '\0';
    osv_files++;
    /* "score": "CVSS:..." and bare v2 "AV:..." scores of severity entries */
    for (const char *p = buf; (p = strstr(p, "\"score\"")) != NULL; p++) {
        const char *q = p + 7;
        while (*q == ' ' || *q == ':')
            q++;
        if (*q != '"')
            continue;
        q++;
        const char *end = strchr(q, '"');
        if (!end || (strncmp(q, "CVSS:", 5) != 0 && strncmp(q, "AV:", 3) != 0))
            continue;
        struct bh_cvss c;
        struct bh_err e;
        bh_err_init(&e);
        osv_vectors++;
        if (bh_cvss_parse_n(q, (size_t)(end - q), &c, &e) != 0) {
            print_error("%s: %.*s: %s\n", path, (int)(end - q), q, e.msg);
            osv_rejected++;
        }
    }
    free(buf);
    return 0;
}

static void test_osv_vectors_parse(void **state)
{
    (void)state;
    osv_vectors = osv_rejected = osv_files = 0;
    if (nftw(OSV_DIR, scan_osv, 16, FTW_PHYS) != 0)
        skip();
    assert_true(osv_files > 0);
    assert_true(osv_vectors >= 100);
    assert_int_equal(osv_rejected, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v31),
        cmocka_unit_test(test_v30),
        cmocka_unit_test(test_v30_v31_agree_on_all_base_vectors),
        cmocka_unit_test(test_v2),
        cmocka_unit_test(test_v4),
        cmocka_unit_test(test_v4_all_base_vectors),
        cmocka_unit_test(test_v4_macrovector),
        cmocka_unit_test(test_optional_metrics_ignored),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_osv_vectors_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
