/*
 * test_rules_content.c - the content rules (IMG-SECRET-*, IMG-SSHD,
 * IMG-TOOLS, IMG-SUID, RUN-SENSMOUNT, RUN-SOCK, OTH-HEALTH) on Dockerfiles
 * parsed from strings: severities, redaction, policy allow-lists and the
 * cases the fixtures cannot express (image-origin specs, duplicates).
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

/* Parse text as a Dockerfile next to a .dockerignore (or not) and run every build rule. */
static void scan(struct fix *f, const char *text, bool dockerignore)
{
    struct bh_err err;
    int rc;

    bh_err_init(&err);
    memset(&f->out, 0, sizeof(f->out));
    rc = bh_dockerfile_parse(&f->a, "Dockerfile", text, strlen(text), NULL, &f->bs, &err);
    assert_int_equal(rc, 0);
    f->bs.dockerignore_known = true;
    f->bs.has_dockerignore = dockerignore;
    bh_rules_check_build(&f->a, &f->p, &f->bs, &f->out);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += strcmp(f->out.v[i].rule, rule) == 0;
    return n;
}

/* The only finding of rule (fails when there is not exactly one). */
static const struct bh_finding *one(const struct fix *f, const char *rule)
{
    const struct bh_finding *hit = NULL;
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, rule) == 0) {
            assert_null(hit);
            hit = &f->out.v[i];
        }
    }
    assert_non_null(hit);
    return hit;
}

static void secret_env_is_redacted(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    scan(f, "FROM alpine:3.19\nENV DB_PASSWORD=correct-horse-battery-staple\n", true);
    x = one(f, "IMG-SECRET-ENV");
    assert_int_equal(x->severity, BH_SEV_CRITICAL);
    assert_int_equal(x->loc.line, 2);
    assert_non_null(strstr(x->message, "corr****"));
    assert_null(strstr(x->message, "horse"));
}

static void secret_env_arg_without_default(void **state)
{
    struct fix *f = *state;

    /* used by a RUN: medium */
    scan(f, "FROM alpine:3.19\nARG NPM_TOKEN\nRUN echo \"$NPM_TOKEN\" > /dev/null\n", true);
    assert_int_equal(one(f, "IMG-SECRET-ENV")->severity, BH_SEV_MEDIUM);
    /* a RUN in another stage does not count */
    scan(f, "FROM alpine:3.19\nARG NPM_TOKEN\nFROM alpine:3.19\nRUN echo $NPM_TOKEN\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 0);
    /* a longer variable name is not a use */
    scan(f, "FROM alpine:3.19\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN_FILE\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 0);
}

static void secret_env_policy_allow(void **state)
{
    struct fix *f = *state;
    const char *allow[] = {"app_access_mode"};

    scan(f, "FROM alpine:3.19\nENV APP_ACCESS_MODE=restricted\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 1);
    f->p.secret_env_allow = allow;
    f->p.nsecret_env_allow = 1;
    scan(f, "FROM alpine:3.19\nENV APP_ACCESS_MODE=restricted\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 0);
    /* an allowed name still fires on a credential-format value */
    scan(f, "FROM alpine:3.19\nENV APP_ACCESS_MODE=AKIAIOSFODNN7EXAMPLE\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 1);
}

static void secret_env_formats_need_a_word_start(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM alpine:3.19\nENV BUILD_ID=xAKIAIOSFODNN7EXAMPLE\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 0);
    scan(f, "FROM alpine:3.19\nENV BUILD_ID=AKIAIOSFODNN7EXAMPLE\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 1);
    /* short names that only contain a secret word are not secrets */
    scan(f, "FROM alpine:3.19\nENV MONKEY_MODE=wild BYPASS_PROXY=yes-please\n", true);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 0);
}

static void secret_file_context_copy_needs_known_dockerignore(void **state)
{
    struct fix *f = *state;
    const char *df = "FROM alpine:3.19\nWORKDIR /app\nCOPY . .\n";

    scan(f, df, false);
    assert_int_equal(one(f, "IMG-SECRET-FILE")->severity, BH_SEV_HIGH);
    scan(f, df, true);
    assert_int_equal(count(f, "IMG-SECRET-FILE"), 0);
    /* unknown (e.g. a spec rebuilt from an image): say nothing */
    {
        struct bh_err err;

        bh_err_init(&err);
        memset(&f->out, 0, sizeof(f->out));
        assert_int_equal(
            bh_dockerfile_parse(&f->a, "Dockerfile", df, strlen(df), NULL, &f->bs, &err), 0);
        f->bs.dockerignore_known = false;
        bh_rules_check_build(&f->a, &f->p, &f->bs, &f->out);
        assert_int_equal(count(f, "IMG-SECRET-FILE"), 0);
    }
    /* COPY --from=stage . copies a stage, not the context */
    scan(f, "FROM alpine:3.19 AS b\nFROM alpine:3.19\nCOPY --from=b / /\n", false);
    assert_int_equal(count(f, "IMG-SECRET-FILE"), 0);
}

static void secret_file_relative_credentials_env(void **state)
{
    struct fix *f = *state;

    scan(f,
         "FROM python:3.12-slim\nWORKDIR /srv\nCOPY keys/sa.json ./conf/\n"
         "ENV GOOGLE_APPLICATION_CREDENTIALS=/srv/conf/sa.json\n",
         true);
    assert_int_equal(one(f, "IMG-SECRET-FILE")->loc.line, 4);
}

static void sshd_reported_once_through_wrappers(void **state)
{
    struct fix *f = *state;

    scan(f,
         "FROM debian:12.5-slim\n"
         "RUN sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y openssh-server curl\n",
         true);
    assert_int_equal(count(f, "IMG-SSHD"), 1);
    assert_int_equal(count(f, "IMG-TOOLS"), 1);
}

static void sshd_only_effective_cmd(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM debian:12.5-slim\nCMD [\"/usr/sbin/sshd\", \"-D\"]\nCMD [\"/app\"]\n", true);
    assert_int_equal(count(f, "IMG-SSHD"), 0);
    scan(f, "FROM debian:12.5-slim AS b\nCMD [\"/usr/sbin/sshd\", \"-D\"]\nFROM b\n", true);
    assert_int_equal(one(f, "IMG-SSHD")->loc.line, 2);
}

static void tools_removed_later_in_same_run_only(void **state)
{
    struct fix *f = *state;

    scan(f,
         "FROM debian:12.5-slim\n"
         "RUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n",
         true);
    assert_int_equal(count(f, "IMG-TOOLS"), 0);
    scan(f, "FROM debian:12.5-slim\nRUN apt-get install -y gcc\nRUN apt-get purge -y gcc\n", true);
    assert_int_equal(count(f, "IMG-TOOLS"), 1);
}

static void suid_modes(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM alpine:3.19\nRUN chmod 0755 /a && chmod 755 /b && chmod o+s /c && chmod -x /d\n",
         true);
    assert_int_equal(count(f, "IMG-SUID"), 0);
    scan(f, "FROM alpine:3.19\nRUN chmod 2755 /usr/bin/x\n", true);
    assert_non_null(strstr(one(f, "IMG-SUID")->message, "setgid"));
    scan(f, "FROM alpine:3.19\nRUN chmod g+s /srv/shared/\n", true);
    assert_int_equal(count(f, "IMG-SUID"), 0);
    scan(f, "FROM alpine:3.19\nRUN chmod -R =rwxs /opt/x\n", true);
    assert_non_null(strstr(one(f, "IMG-SUID")->message, "setuid"));
}

static void sensmount_severity_and_boundaries(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM alpine:3.19\nVOLUME /usr\n", true);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_HIGH);
    scan(f, "FROM alpine:3.19\nVOLUME /sys/fs/cgroup\n", true);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_CRITICAL);
    scan(f, "FROM alpine:3.19\nVOLUME /etc/nginx/conf.d /var/lib/app /procfs /devices\n", true);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 0);
    /* /var/run is RUN-SOCK's, reported once */
    scan(f, "FROM alpine:3.19\nVOLUME /var/run\n", true);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 0);
    assert_int_equal(count(f, "RUN-SOCK"), 1);
    /* a relative WORKDIR resolves against the previous one */
    scan(f, "FROM alpine:3.19\nWORKDIR /dev\nWORKDIR shm\n", true);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 2);
}

static void sock_rootless_and_builders(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM alpine:3.19\nVOLUME /run/user/1000/docker.sock /run/user/1000\n", true);
    assert_int_equal(count(f, "RUN-SOCK"), 2);
    scan(f, "FROM alpine:3.19 AS b\nVOLUME /var/run/docker.sock\nFROM alpine:3.19\n", true);
    assert_int_equal(count(f, "RUN-SOCK"), 0);
}

static void health_chain(void **state)
{
    struct fix *f = *state;

    /* the final stage's own NONE overrides its parent's check */
    scan(f, "FROM alpine:3.19 AS b\nHEALTHCHECK CMD true\nFROM b\nHEALTHCHECK NONE\n", true);
    assert_int_equal(one(f, "OTH-HEALTH")->loc.line, 4);
    /* a check after a NONE wins */
    scan(f, "FROM alpine:3.19\nHEALTHCHECK NONE\nHEALTHCHECK CMD true\n", true);
    assert_int_equal(count(f, "OTH-HEALTH"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(secret_env_is_redacted, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_env_arg_without_default, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_env_policy_allow, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_env_formats_need_a_word_start, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_file_context_copy_needs_known_dockerignore, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(secret_file_relative_credentials_env, setup, teardown),
        cmocka_unit_test_setup_teardown(sshd_reported_once_through_wrappers, setup, teardown),
        cmocka_unit_test_setup_teardown(sshd_only_effective_cmd, setup, teardown),
        cmocka_unit_test_setup_teardown(tools_removed_later_in_same_run_only, setup, teardown),
        cmocka_unit_test_setup_teardown(suid_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(sensmount_severity_and_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(sock_rootless_and_builders, setup, teardown),
        cmocka_unit_test_setup_teardown(health_chain, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
