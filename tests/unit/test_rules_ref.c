/*
 * test_rules_ref.c - the reference rules (REF-LATEST, REF-DIGEST,
 * REF-REGISTRY) on Dockerfiles parsed from strings: which references are
 * images, which stages count, and the policy's trusted-registry list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/dockerfile.h"
#include "model/finding.h"
#include "model/policy.h"
#include "rules/rule.h"

#include <string.h>

#define DIGEST "@sha256:0d8f3e4ed7dc7d9a12c1ea4db0d3f6dcc18d2c1d19b2a5f4c3b1a09fb6bb6b2e"

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_buildspec bs;
    struct bh_findings out;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_policy_init(&f->p);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static void scan_opts(struct fix *f, const char *text, const struct bh_dockerfile_opts *o)
{
    struct bh_err err;

    bh_err_init(&err);
    memset(&f->out, 0, sizeof(f->out));
    assert_int_equal(bh_dockerfile_parse(&f->a, "Dockerfile", text, strlen(text), o, &f->bs, &err),
                     0);
    f->bs.dockerignore_known = true;
    f->bs.has_dockerignore = true;
    bh_rules_check_build(&f->a, &f->p, &f->bs, &f->out);
}

static void scan(struct fix *f, const char *text)
{
    scan_opts(f, text, NULL);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += strcmp(f->out.v[i].rule, rule) == 0;
    return n;
}

static bool has_line(const struct fix *f, const char *rule, int line)
{
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, rule) == 0 && f->out.v[i].loc.line == line)
            return true;
    }
    return false;
}

static void latest_forms(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM nginx:latest" DIGEST "\n");
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 0);
    scan(f, "FROM localhost/app\n");
    assert_int_equal(count(f, "REF-LATEST"), 1);
    scan(f, "FROM registry.example.com:5000/team/app:2.1\n");
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 1);
}

static void stage_names_are_not_images(void **state)
{
    struct fix *f = *state;

    /* stage names are case-insensitive; --from=<index> is a stage */
    scan(f, "FROM alpine:3.19 AS Build\nFROM alpine:3.19" DIGEST "\n"
            "COPY --from=BUILD /a /a\nCOPY --from=0 /b /b\n"
            "RUN --mount=type=bind,from=build,target=/x true\n");
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 0);
    /* a name that is no stage is an image */
    scan(f, "FROM alpine:3.19" DIGEST "\nCOPY --from=builder /a /a\n");
    assert_true(has_line(f, "REF-LATEST", 2));
}

static void only_shipping_stages_for_latest(void **state)
{
    struct fix *f = *state;
    const struct bh_dockerfile_opts o = {"b", NULL, 0};

    scan(f, "FROM golang AS b\nFROM alpine:3.19" DIGEST "\n");
    assert_int_equal(count(f, "REF-LATEST"), 0);
    /* --target makes the builder the shipped stage */
    scan_opts(f, "FROM golang AS b\nFROM alpine:3.19" DIGEST "\n", &o);
    assert_true(has_line(f, "REF-LATEST", 1));
}

static void build_arg_overrides_default(void **state)
{
    struct fix *f = *state;
    const char *args[] = {"BASE=nginx:1.25" DIGEST};
    const struct bh_dockerfile_opts o = {NULL, args, 1};

    scan_opts(f, "ARG BASE=nginx\nFROM ${BASE}\n", &o);
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 0);
}

static void registry_needs_a_policy(void **state)
{
    struct fix *f = *state;
    const char *trusted[] = {"docker.io", "*.example.com", "ghcr.io/acme/"};
    const char *df =
        "FROM nginx:1.25 AS web\n"            /* docker.io: trusted */
        "FROM ghcr.io/acme/tools:1 AS t\n"    /* namespace prefix: trusted */
        "FROM ghcr.io/other/tools:1 AS o\n"   /* other namespace */
        "FROM registry.example.com/app:1\n"   /* wildcard: trusted */
        "COPY --from=example.com/x:1 /a /a\n" /* the bare domain is not *.example.com */
        "RUN --mount=type=bind,from=quay.io/y/z:1,target=/y true\n";

    scan(f, df);
    assert_int_equal(count(f, "REF-REGISTRY"), 0);
    f->p.trusted_registries = trusted;
    f->p.ntrusted_registries = 3;
    scan(f, df);
    assert_int_equal(count(f, "REF-REGISTRY"), 3);
    assert_true(has_line(f, "REF-REGISTRY", 3));
    assert_true(has_line(f, "REF-REGISTRY", 5));
    assert_true(has_line(f, "REF-REGISTRY", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(latest_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(stage_names_are_not_images, setup, teardown),
        cmocka_unit_test_setup_teardown(only_shipping_stages_for_latest, setup, teardown),
        cmocka_unit_test_setup_teardown(build_arg_overrides_default, setup, teardown),
        cmocka_unit_test_setup_teardown(registry_needs_a_policy, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
