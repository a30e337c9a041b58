/*
 * test_rules_build.c - rules/cmdinfo.c (wrappers, option parsing, package
 * managers, version pins, downloads) on commands from the real tokenizer, and
 * the BUILD-* rules on Dockerfiles parsed from strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/dockerfile.h"
#include "input/shell.h"
#include "model/finding.h"
#include "model/policy.h"
#include "rules/cmdinfo.h"
#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_buildspec bs;
    struct bh_findings out;
    struct bh_script sc;
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

/* the first top-level command of a shell line */
static const struct bh_shcmd *cmd(struct fix *f, const char *text)
{
    struct bh_err err;

    bh_err_init(&err);
    assert_int_equal(bh_shell_parse(&f->a, text, strlen(text), 1, 1, &f->sc, &err), 0);
    assert_true(f->sc.ncmds > 0);
    return &f->sc.cmds[0];
}

static void scan_opts(struct fix *f, const char *text, const struct bh_dockerfile_opts *o)
{
    struct bh_err err;

    bh_err_init(&err);
    memset(&f->out, 0, sizeof(f->out));
    assert_int_equal(bh_dockerfile_parse(&f->a, "Dockerfile", text, strlen(text), o, &f->bs, &err),
                     0);
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

static const struct bh_finding *first(const struct fix *f, const char *rule)
{
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, rule) == 0)
            return &f->out.v[i];
    }
    return NULL;
}

/* ---- cmdinfo ---- */

static void wrappers_are_skipped(void **state)
{
    struct fix *f = *state;
    const struct bh_shcmd *c =
        cmd(f, "sudo -u app -E env A=1 B=2 nice -n 5 /usr/bin/apt-get install -y curl");
    const struct bh_word *w;
    size_t where = 99;

    assert_string_equal(bh_cmdinfo_name(c), "apt-get");
    assert_true(bh_cmdinfo_uses(c, "sudo", &where));
    assert_int_equal(where, 0);
    assert_false(bh_cmdinfo_uses(c, "doas", NULL));
    w = bh_cmdinfo_assign(c, 0);
    assert_non_null(w);
    assert_string_equal(w->text, "A=1");
    w = bh_cmdinfo_assign(c, 1);
    assert_non_null(w);
    assert_string_equal(w->text, "B=2");

    c = cmd(f, "command -v curl");
    assert_string_equal(bh_cmdinfo_name(c), "");
    c = cmd(f, "pseudo make install");
    assert_false(bh_cmdinfo_uses(c, "sudo", NULL));
    c = cmd(f, "timeout 30 xargs -r -n 1 gosu app ./run.sh");
    assert_string_equal(bh_cmdinfo_name(c), "run.sh");
}

static void options_and_operands(void **state)
{
    struct fix *f = *state;
    static const char *const lng[] = {"output", NULL};
    static const struct bh_cmdopts o = {"oH", lng, false};
    const struct bh_shcmd *c = cmd(f, "curl -fsSLo out.bin -H 'A: b' --output=x --retry 3 u -- -k");
    const char *v = NULL;
    size_t word = 0, *ops = NULL, n;

    assert_true(bh_cmdinfo_opt(c, 1, &o, NULL, 'L', &v, &word));
    assert_null(v);
    assert_int_equal(word, 1);
    assert_true(bh_cmdinfo_opt(c, 1, &o, NULL, 'o', &v, NULL));
    assert_string_equal(v, "out.bin");
    assert_true(bh_cmdinfo_opt(c, 1, &o, "output", 0, &v, NULL));
    assert_string_equal(v, "x");
    /* -k after `--` is an operand, not an option */
    assert_false(bh_cmdinfo_opt(c, 1, &o, "insecure", 'k', NULL, NULL));
    /* --retry takes no value in this spec: 3 becomes an operand */
    n = bh_cmdinfo_operands(&f->a, c, 1, &o, &ops);
    assert_int_equal(n, 3);
    assert_string_equal(c->argv[ops[0]].text, "3");
    assert_string_equal(c->argv[ops[1]].text, "u");
    assert_string_equal(c->argv[ops[2]].text, "-k");
}

static void package_managers(void **state)
{
    struct fix *f = *state;
    struct bh_pmcmd pm;
    const struct bh_shcmd *c;

    c = cmd(f, "apt-get -o Dpkg::Options::=--force-confold -qy install --no-install-recommends "
               "curl git=1:2.39");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.pm, BH_PM_APT);
    assert_int_equal(pm.verb, BH_PMV_INSTALL);
    assert_int_equal(pm.npkgs, 2);
    assert_string_equal(c->argv[pm.pkgs[0]].text, "curl");
    assert_true(bh_cmdinfo_pm_opt(c, &pm, "no-install-recommends", 0, NULL));

    c = cmd(f, "python3 -m pip install --no-cache-dir -r req.txt -i https://x/simple flask==3.0");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.pm, BH_PM_PIP);
    assert_int_equal(pm.npkgs, 1);
    assert_string_equal(c->argv[pm.pkgs[0]].text, "flask==3.0");

    c = cmd(f, "apk add --no-cache --virtual .build-deps gcc");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.npkgs, 1);
    assert_string_equal(c->argv[pm.pkgs[0]].text, "gcc");

    c = cmd(f, "apk update");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_REFRESH);
    c = cmd(f, "yum update -y");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_UPGRADE);
    c = cmd(f, "zypper --non-interactive ref");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_REFRESH);
    c = cmd(f, "dnf clean all");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_CLEAN);
    c = cmd(f, "npm cache verify");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_OTHER);
    c = cmd(f, "rpm -ivh --nosignature x.rpm");
    assert_true(bh_cmdinfo_pm(&f->a, c, &pm));
    assert_int_equal(pm.verb, BH_PMV_INSTALL);
    c = cmd(f, "update-ca-certificates");
    assert_false(bh_cmdinfo_pm(&f->a, c, &pm));
}

static void version_pins(void **state)
{
    struct fix *f = *state;

    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_APT, "curl=7.88.1-10"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_APT, "curl"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_APT, "./app_1.0_amd64.deb"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_APT, "curl/bookworm-backports"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_APK, "jq~1.7"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_APK, "musl>1.2"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_APK, "py3-pip"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_DNF, "nginx-1.20.1"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_DNF, "python3-pip"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_YUM, "/tmp/x.rpm"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_ZYPPER, "git>=2.43"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_PIP, "flask==3.0.3"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_PIP, "flask>=3"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_PIP, "flask~=3.0"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_PIP, "dist/app-1.0-py3-none-any.whl"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "typescript@5.4.5"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "@angular/cli@17.3.8"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "@angular/cli"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "typescript@^5.4.0"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "pm2@latest"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_NPM, "lodash@4.17"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_GEM, "rake:13.2.1"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_GEM, "rake"));
    assert_true(bh_cmdinfo_pkg_pinned(BH_PM_GO, "golang.org/x/tools/gopls@v0.16.1"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_GO, "golang.org/x/tools/gopls@latest"));
    assert_false(bh_cmdinfo_pkg_pinned(BH_PM_GO, "example.com/x@main"));

    assert_string_equal(bh_cmdinfo_pkg_name(&f->a, BH_PM_APT, "sudo=1.9.13p3-1"), "sudo");
    assert_string_equal(bh_cmdinfo_pkg_name(&f->a, BH_PM_APK, "sudo~1.9"), "sudo");
    assert_string_equal(bh_cmdinfo_pkg_name(&f->a, BH_PM_DNF, "sudo-1.9.5p2-10.el9"), "sudo");
    assert_string_equal(bh_cmdinfo_pkg_name(&f->a, BH_PM_DNF, "python3-pip"), "python3-pip");
    assert_string_equal(bh_cmdinfo_pkg_name(&f->a, BH_PM_NPM, "@scope/pkg@1.2.3"), "@scope/pkg");
}

static void downloads(void **state)
{
    struct fix *f = *state;
    struct bh_fetch fe;

    assert_true(bh_cmdinfo_fetch(cmd(f, "curl -fsSLo /tmp/x.tgz https://e.com/x.tgz"), &fe));
    assert_string_equal(fe.outfile, "/tmp/x.tgz");
    assert_string_equal(fe.url, "https://e.com/x.tgz");
    assert_true(bh_cmdinfo_fetch(cmd(f, "curl -fsSL https://e.com/i.sh"), &fe));
    assert_null(fe.outfile);
    assert_true(bh_cmdinfo_fetch(cmd(f, "curl -fsSLO https://e.com/a/b.tgz?x=1"), &fe));
    assert_string_equal(bh_cmdinfo_basename(&f->a, fe.outfile), "b.tgz");
    assert_true(bh_cmdinfo_fetch(cmd(f, "wget -qO- https://e.com/i.sh"), &fe));
    assert_null(fe.outfile);
    assert_true(bh_cmdinfo_fetch(cmd(f, "wget -q https://e.com/t.deb"), &fe));
    assert_string_equal(bh_cmdinfo_basename(&f->a, fe.outfile), "t.deb");
    assert_false(bh_cmdinfo_fetch(cmd(f, "git clone https://e.com/r.git"), &fe));

    assert_true(bh_cmdinfo_has_fetch_subst("$(curl -fsSL https://e.com/i.sh)"));
    assert_true(bh_cmdinfo_has_fetch_subst("<( wget -O- https://e.com/i.sh)"));
    assert_false(bh_cmdinfo_has_fetch_subst("$(uname -m)"));
    assert_true(bh_cmdinfo_is_interpreter("python3.12"));
    assert_false(bh_cmdinfo_is_interpreter("tar"));
}

/* ---- rules ---- */

static void user_acceptance(void **state)
{
    struct fix *f = *state;
    struct bh_dockerfile_opts o = {"app", NULL, 0};
    const char *multi = "FROM debian:12 AS app\nUSER 10001\n\nFROM app AS debug\nUSER root\n";

    scan(f, "FROM golang:1.22 AS build\nUSER app\nRUN go build ./...\n\n"
            "FROM debian:12-slim\nCOPY --from=build /go/bin/app /app\n");
    assert_int_equal(count(f, "BUILD-USER"), 1);
    assert_int_equal(first(f, "BUILD-USER")->loc.line, 5);
    assert_non_null(strstr(first(f, "BUILD-USER")->message, "base image's user"));

    scan(f, "FROM alpine:3.20\nUSER app\nUSER 0:0\n");
    assert_int_equal(count(f, "BUILD-USER"), 1);
    assert_int_equal(first(f, "BUILD-USER")->loc.line, 3);

    scan(f, "FROM alpine:3.20\nUSER 1000:0\n");
    assert_int_equal(count(f, "BUILD-USER"), 0);

    scan(f, multi);
    assert_int_equal(count(f, "BUILD-USER"), 1);
    scan_opts(f, multi, &o);
    assert_int_equal(count(f, "BUILD-USER"), 0);
}

static void update_alone_separators(void **state)
{
    struct fix *f = *state;

    scan(f,
         "FROM debian:12\nRUN apt-get update; apt-get install -y --no-install-recommends curl\n");
    assert_int_equal(count(f, "BUILD-UPDATE-ALONE"), 0);
    scan(f, "FROM debian:12\nRUN apt-get update\n");
    assert_int_equal(count(f, "BUILD-UPDATE-ALONE"), 1);
    scan(f, "FROM debian:12\nRUN apt-get install -y curl && apt-get update\n");
    assert_int_equal(count(f, "BUILD-UPDATE-ALONE"), 1);
    scan(f, "FROM debian:12\nRUN update-ca-certificates\n");
    assert_int_equal(count(f, "BUILD-UPDATE-ALONE"), 0);
}

static void wrappers_count_once(void **state)
{
    struct fix *f = *state;

    /* the tokenizer also emits the command under sudo/env: it must not count twice */
    scan(f, "FROM debian:12\nRUN sudo apt-get upgrade -y && env X=1 apt-get dist-upgrade -y\n");
    assert_int_equal(count(f, "BUILD-UPGRADE"), 2);
    assert_int_equal(count(f, "BUILD-SUDO"), 1);
    assert_non_null(strstr(first(f, "BUILD-SUDO")->message, "invokes sudo"));

    scan(f, "FROM debian:12\nRUN apt-get install -y --no-install-recommends sudo\n");
    assert_int_equal(count(f, "BUILD-SUDO"), 1);
    assert_non_null(strstr(first(f, "BUILD-SUDO")->message, "installs the sudo package"));
}

static void add_severity(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM debian:12\nADD https://e.com/tool /usr/local/bin/tool\nADD app.py /app/\n"
            "ADD rootfs.tar.gz /\n");
    assert_int_equal(count(f, "BUILD-ADD"), 2);
    assert_int_equal(f->out.v[0].severity == BH_SEV_HIGH || f->out.v[1].severity == BH_SEV_HIGH, 1);
    assert_int_equal(count(f, "BUILD-NOVERIFY"), 1);
}

static void noverify_later_check(void **state)
{
    struct fix *f = *state;

    scan(f, "FROM debian:12\nRUN curl -fsSLo /tmp/t.tgz https://e.com/t.tgz\n"
            "RUN tar -xzf /tmp/t.tgz -C /opt\n");
    assert_int_equal(count(f, "BUILD-NOVERIFY"), 1);
    assert_int_equal(first(f, "BUILD-NOVERIFY")->loc.line, 2);
    scan(f, "FROM debian:12\nRUN curl -fsSLo /tmp/t.tgz https://e.com/t.tgz\n"
            "RUN echo \"abc  /tmp/t.tgz\" | sha256sum -c -\nRUN tar -xzf /tmp/t.tgz -C /opt\n");
    assert_int_equal(count(f, "BUILD-NOVERIFY"), 0);
    /* a check in another stage does not count */
    scan(f,
         "FROM debian:12 AS a\nRUN sha256sum -c /x.sha256\n"
         "FROM debian:12\nRUN curl -fsSLo /tmp/t.tgz https://e.com/t.tgz && tar xzf /tmp/t.tgz\n");
    assert_int_equal(count(f, "BUILD-NOVERIFY"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wrappers_are_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(options_and_operands, setup, teardown),
        cmocka_unit_test_setup_teardown(package_managers, setup, teardown),
        cmocka_unit_test_setup_teardown(version_pins, setup, teardown),
        cmocka_unit_test_setup_teardown(downloads, setup, teardown),
        cmocka_unit_test_setup_teardown(user_acceptance, setup, teardown),
        cmocka_unit_test_setup_teardown(update_alone_separators, setup, teardown),
        cmocka_unit_test_setup_teardown(wrappers_count_once, setup, teardown),
        cmocka_unit_test_setup_teardown(add_severity, setup, teardown),
        cmocka_unit_test_setup_teardown(noverify_later_check, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
