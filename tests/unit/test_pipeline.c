/*
 * test_pipeline.c - policy overrides, severity filter, inline and ignore-file
 * suppressions over hand-built findings, and the ignore-file reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/vuln.h"
#include "input/ignorefile.h"
#include "rules/pipeline.h"

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

static void add(struct bh_findings *f, const char *rule, enum bh_severity sev, const char *file,
                int line, int end_line)
{
    struct bh_finding *x = bh_findings_add(&A, f);

    assert_non_null(x);
    x->rule = rule;
    x->severity = sev;
    x->loc.file = file;
    x->loc.line = line;
    x->loc.end_line = end_line;
}

static void policy_disables_and_overrides(void **state)
{
    struct bh_findings f = {0};
    struct bh_policy p;
    struct bh_policy_rule rules[2] = {{"build-pin", 0, -1, {0}},
                                      {"REF-DIGEST", -1, BH_SEV_HIGH, {0}}};

    (void)state;
    bh_policy_init(&p);
    p.rules = rules;
    p.nrules = 2;
    add(&f, "BUILD-PIN", BH_SEV_LOW, "Dockerfile", 3, 0);
    add(&f, "REF-DIGEST", BH_SEV_MEDIUM, "Dockerfile", 1, 0);
    add(&f, "BUILD-USER", BH_SEV_HIGH, "Dockerfile", 9, 0);
    bh_pipeline_policy(&p, &f);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.v[0].rule, "REF-DIGEST");
    assert_int_equal(f.v[0].severity, BH_SEV_HIGH);
    assert_string_equal(f.v[1].rule, "BUILD-USER");
}

static void severity_mask_filters(void **state)
{
    struct bh_findings f = {0};

    (void)state;
    add(&f, "A", BH_SEV_LOW, "x", 1, 0);
    add(&f, "B", BH_SEV_CRITICAL, "x", 2, 0);
    add(&f, "C", BH_SEV_INFO, "x", 3, 0);
    bh_pipeline_severity((1u << BH_SEV_CRITICAL) | (1u << BH_SEV_INFO), &f);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.v[0].rule, "B");
    assert_string_equal(f.v[1].rule, "C");
}

static void inline_covers_line_and_next_instruction(void **state)
{
    struct bh_findings f = {0};
    const char *ids1[] = {"BUILD-USER", "oth-health"};
    const char *ids2[] = {"REF-LATEST"};
    struct bh_ignore ig[2] = {
        {4, 5, ids1, 2, "set by the orchestrator"},
        {10, 11, ids2, 1, ""},
    };

    (void)state;
    add(&f, "BUILD-USER", BH_SEV_HIGH, "Dockerfile", 5, 7);    /* next instruction: covered */
    add(&f, "OTH-HEALTH", BH_SEV_LOW, "Dockerfile", 5, 0);     /* case-insensitive id */
    add(&f, "BUILD-SUDO", BH_SEV_MEDIUM, "Dockerfile", 5, 0);  /* other rule: not covered */
    add(&f, "BUILD-USER", BH_SEV_HIGH, "Dockerfile", 6, 0);    /* later line: not covered */
    add(&f, "REF-LATEST", BH_SEV_MEDIUM, "Dockerfile", 12, 0); /* not the next instruction */
    bh_pipeline_inline(ig, 2, &f);
    assert_string_equal(f.v[0].suppressed_kind, "inline");
    assert_string_equal(f.v[0].suppressed_reason, "set by the orchestrator");
    assert_string_equal(f.v[1].suppressed_kind, "inline");
    assert_null(f.v[2].suppressed_kind);
    assert_null(f.v[3].suppressed_kind);
    assert_null(f.v[4].suppressed_kind);
}

static void ignorefile_parses_and_matches_globs(void **state)
{
    static const char text[] = "# header comment\n"
                               "\n"
                               "BUILD-USER   # everywhere\n"
                               "REF-DIGEST services/**  # vendored\n"
                               "IMG-SSHD *.Dockerfile\n"
                               "CVE-2024-0001\n";
    struct bh_ignorefile igf;
    struct bh_findings f = {0};
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    assert_int_equal(bh_ignorefile_parse(&A, ".bulkheadignore", text, sizeof(text) - 1, &igf, &err),
                     0);
    assert_int_equal(igf.n, 4);
    assert_string_equal(igf.v[0].id, "BUILD-USER");
    assert_null(igf.v[0].glob);
    assert_string_equal(igf.v[0].reason, "everywhere");
    assert_int_equal(igf.v[0].line, 3);
    assert_string_equal(igf.v[1].glob, "services/**");
    assert_string_equal(igf.v[1].reason, "vendored");
    assert_string_equal(igf.v[2].reason, "");

    add(&f, "BUILD-USER", BH_SEV_HIGH, "a/b/Dockerfile", 1, 0);
    add(&f, "REF-DIGEST", BH_SEV_MEDIUM, "services/api/Dockerfile", 1, 0);
    add(&f, "REF-DIGEST", BH_SEV_MEDIUM, "other/Dockerfile", 1, 0);
    add(&f, "IMG-SSHD", BH_SEV_HIGH, "./deep/dir/web.Dockerfile", 1, 0);
    add(&f, "IMG-SSHD", BH_SEV_HIGH, "deep/Dockerfile", 1, 0);
    bh_pipeline_ignorefile(&igf, &f);
    assert_string_equal(f.v[0].suppressed_kind, "ignorefile");
    assert_string_equal(f.v[1].suppressed_kind, "ignorefile");
    assert_null(f.v[2].suppressed_kind);
    assert_string_equal(f.v[3].suppressed_kind, "ignorefile");
    assert_null(f.v[4].suppressed_kind);
}

static void ignorefile_rejects_extra_words(void **state)
{
    static const char text[] = "BUILD-USER\nREF-LATEST a b\n";
    struct bh_ignorefile igf;
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    assert_int_equal(bh_ignorefile_parse(&A, "x", text, sizeof(text) - 1, &igf, &err), BH_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 14);
}

/* ---- vulnerability ids and exp: in the ignore file ---- */

static void add_vuln(struct bh_findings *f, struct bh_vulnmatch *m, const char *pkgpath)
{
    struct bh_finding *x = bh_findings_add(&A, f);

    assert_non_null(x);
    x->rule = "IMG-VULN";
    x->severity = BH_SEV_HIGH;
    x->loc.file = "alpine.tar";
    x->loc.path = pkgpath;
    x->vuln = m;
}

static void ignorefile_vuln_ids_and_aliases(void **state)
{
    static const char text[] = "cve-2024-0001 # lower case still matches\n"
                               "GHSA-35jh-r3h4-6jhm exp:2099-12-31 # alias, far future\n"
                               "CVE-2024-0003 usr/lib/node_modules/** # only the npm copy\n";
    static const char *aliases[] = {"CVE-2019-10744", "GHSA-35jh-r3h4-6jhm"};
    struct bh_vulnmatch m1 = {0}, m2 = {0}, m3 = {0}, m4 = {0};
    struct bh_ignorefile igf;
    struct bh_findings f = {0};
    struct bh_err err;

    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1717200000", 1); /* 2024-06-01 */
    bh_err_init(&err);
    assert_int_equal(bh_ignorefile_parse(&A, ".bulkheadignore", text, sizeof(text) - 1, &igf, &err),
                     0);
    assert_int_equal(igf.n, 3);
    assert_null(igf.v[1].glob); /* exp: is not a glob */
    assert_string_equal(igf.v[1].reason, "alias, far future");
    assert_string_equal(igf.v[2].glob, "usr/lib/node_modules/**");
    m1.id = "CVE-2024-0001";
    m2.id = "SNYK-JS-LODASH-450202";
    m2.aliases = aliases;
    m2.naliases = 2;
    m3.id = "CVE-2024-0003";
    m4.id = "CVE-2024-0004";
    add_vuln(&f, &m1, "/lib/apk/db/installed");
    add_vuln(&f, &m2, "/app/node_modules/lodash/package.json");
    add_vuln(&f, &m3, "/usr/lib/node_modules/npm/package.json");
    add_vuln(&f, &m3, "/app/node_modules/x/package.json");
    add_vuln(&f, &m4, "/lib/apk/db/installed");
    /* a rule finding whose rule id is not a vulnerability id is untouched */
    add(&f, "IMG-SSHD", BH_SEV_HIGH, "alpine.tar", 0, 0);
    bh_pipeline_ignorefile(&igf, &f);
    assert_string_equal(f.v[0].suppressed_kind, "ignorefile");
    assert_string_equal(f.v[0].suppressed_reason, "lower case still matches");
    assert_string_equal(f.v[1].suppressed_kind, "ignorefile");
    assert_string_equal(f.v[2].suppressed_kind, "ignorefile");
    assert_null(f.v[3].suppressed_kind);
    assert_null(f.v[4].suppressed_kind);
    assert_null(f.v[5].suppressed_kind);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void ignorefile_expiry_uses_scan_time(void **state)
{
    static const char text[] = "CVE-2024-0001 exp:2024-06-01\n"
                               "IMG-SSHD exp:2024-05-31 Dockerfile\n"
                               "CVE-2024-0002 # no expiry\n";
    struct bh_ignorefile igf;
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    /* 2024-06-01 23:59:59 UTC: the named day still counts */
    setenv("SOURCE_DATE_EPOCH", "1717286399", 1);
    assert_int_equal(bh_ignorefile_parse(&A, "x", text, sizeof(text) - 1, &igf, &err), 0);
    assert_int_equal(igf.n, 2);
    assert_string_equal(igf.v[0].id, "CVE-2024-0001");
    assert_string_equal(igf.v[1].id, "CVE-2024-0002");
    assert_int_equal(igf.v[1].line, 3);
    /* one second later it has expired */
    setenv("SOURCE_DATE_EPOCH", "1717286400", 1);
    assert_int_equal(bh_ignorefile_parse(&A, "x", text, sizeof(text) - 1, &igf, &err), 0);
    assert_int_equal(igf.n, 1);
    assert_string_equal(igf.v[0].id, "CVE-2024-0002");
    assert_null(igf.v[0].glob);
    /* a day earlier both dated entries apply, the glob after exp: kept */
    setenv("SOURCE_DATE_EPOCH", "1717113600", 1);
    assert_int_equal(bh_ignorefile_parse(&A, "x", text, sizeof(text) - 1, &igf, &err), 0);
    assert_int_equal(igf.n, 3);
    assert_string_equal(igf.v[1].glob, "Dockerfile");
    unsetenv("SOURCE_DATE_EPOCH");
}

static void ignorefile_rejects_bad_expiry(void **state)
{
    static const char *bad[] = {"CVE-1 exp:2024-02-30\n",
                                "CVE-1 exp:24-01-01\n",
                                "CVE-1 exp:2023-02-29\n",
                                "CVE-1 exp:\n",
                                "CVE-1 exp:2024-01-01 exp:2024-01-02\n",
                                "CVE-1 a exp:2099-01-01 b\n"};
    static const char leap[] = "CVE-1 exp:2096-02-29\n";
    struct bh_ignorefile igf;
    struct bh_err err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bh_err_init(&err);
        assert_int_equal(bh_ignorefile_parse(&A, "x", bad[i], strlen(bad[i]), &igf, &err),
                         BH_EPARSE);
        assert_int_equal(err.line, 1);
    }
    assert_int_equal(bh_ignorefile_parse(&A, "x", leap, sizeof(leap) - 1, &igf, &err), 0);
    assert_int_equal(igf.n, 1);
}

static void vuln_id_shapes(void **state)
{
    (void)state;
    assert_true(bh_pipeline_is_vuln_id("CVE-2024-1234"));
    assert_true(bh_pipeline_is_vuln_id("GHSA-35jh-r3h4-6jhm"));
    assert_true(bh_pipeline_is_vuln_id("GO-2022-0969"));
    assert_true(bh_pipeline_is_vuln_id("PYSEC-2023-62"));
    assert_true(bh_pipeline_is_vuln_id("DLA-3008-1"));
    assert_true(bh_pipeline_is_vuln_id("ALPINE-CVE-2025-26519"));
    assert_true(bh_pipeline_is_vuln_id("RUSTSEC-2021-0001"));
    assert_true(bh_pipeline_is_vuln_id("ALSA-2025:7467"));
    assert_false(bh_pipeline_is_vuln_id("IMG-VULN"));
    assert_false(bh_pipeline_is_vuln_id("BUILD-USER"));
    assert_false(bh_pipeline_is_vuln_id("RUN-PORTS-PRIV"));
    assert_false(bh_pipeline_is_vuln_id("CVE"));
    assert_false(bh_pipeline_is_vuln_id("-2024"));
}

static void report_sort_is_deterministic(void **state)
{
    struct bh_report r = {0};
    struct bh_target *t;

    (void)state;
    t = bh_report_add_target(&A, &r, "Dockerfile", BH_KIND_DOCKERFILE);
    assert_non_null(t);
    add(&t->findings, "B", BH_SEV_LOW, "Dockerfile", 3, 0);
    add(&t->findings, "A", BH_SEV_LOW, "Dockerfile", 3, 0);
    add(&t->findings, "C", BH_SEV_LOW, "Dockerfile", 1, 0);
    bh_report_sort(&r);
    assert_string_equal(t->findings.v[0].rule, "C");
    assert_string_equal(t->findings.v[1].rule, "A");
    assert_string_equal(t->findings.v[2].rule, "B");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policy_disables_and_overrides),
        cmocka_unit_test(severity_mask_filters),
        cmocka_unit_test(inline_covers_line_and_next_instruction),
        cmocka_unit_test(ignorefile_parses_and_matches_globs),
        cmocka_unit_test(ignorefile_rejects_extra_words),
        cmocka_unit_test(report_sort_is_deterministic),
        cmocka_unit_test(ignorefile_vuln_ids_and_aliases),
        cmocka_unit_test(ignorefile_expiry_uses_scan_time),
        cmocka_unit_test(ignorefile_rejects_bad_expiry),
        cmocka_unit_test(vuln_id_shapes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
