/*
 * test_policy.c - the policy file reader: every section, strictness about
 * unknown keys and values, limits, and rule overrides against the rule table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/policy.h"
#include "model/finding.h"
#include "rules/rule.h"

#include <string.h>
#include <unistd.h>

struct fix {
    struct bh_arena a;
    struct bh_err err;
    struct bh_policy p;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_err_init(&f->err);
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

static int parse(struct fix *f, const char *text)
{
    bh_err_init(&f->err);
    return bh_policy_parse(&f->a, "policy.yaml", text, strlen(text), &f->p, &f->err);
}

static void parse_ok(struct fix *f, const char *text)
{
    int rc = parse(f, text);

    if (rc)
        print_error("unexpected %d at %d:%d: %s\n", rc, f->err.line, f->err.col, f->err.msg);
    assert_int_equal(rc, 0);
}

/* Expect a parse error at line:col whose message contains want. */
static void parse_fails(struct fix *f, const char *text, int code, int line, int col,
                        const char *want)
{
    int rc = parse(f, text);

    if (rc != code || f->err.line != line || f->err.col != col || !strstr(f->err.msg, want))
        print_error("for <<%s>>: got %d at %d:%d: %s\n", text, rc, f->err.line, f->err.col,
                    f->err.msg);
    assert_int_equal(rc, code);
    assert_int_equal(f->err.line, line);
    assert_int_equal(f->err.col, col);
    assert_non_null(strstr(f->err.msg, want));
    assert_string_equal(f->err.file, "policy.yaml");
}

/* Any id from the rule table, which other modules fill; NULL while it is empty. */
static const char *some_rule(void)
{
    const struct bh_rule *r = bh_rules_find("BUILD-PIN");

    if (!r && bh_rules_count() > 0)
        r = bh_rules_at(0);
    return r ? r->id : NULL;
}

static void all_lists_and_knobs(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "version: 1\n"
                "registries:\n"
                "  trusted: [docker.io, \"*.example.com\", ghcr.io/myorg]\n"
                "publishers:\n"
                "  trusted:\n"
                "    - library\n"
                "    - bitnami\n"
                "socket:\n"
                "  allowed_images: ['traefik:*', portainer/portainer-ce]\n"
                "capabilities:\n"
                "  allowed: [NET_ADMIN, cap_sys_time, Cap_Chown]\n"
                "secrets:\n"
                "  allowed_env: [MY_PUBLIC_KEY_ID]\n"
                "images:\n"
                "  max_age_days: 30\n");
    assert_string_equal(f->p.file, "policy.yaml");
    assert_int_equal(f->p.ntrusted_registries, 3);
    assert_string_equal(f->p.trusted_registries[0], "docker.io");
    assert_string_equal(f->p.trusted_registries[1], "*.example.com");
    assert_string_equal(f->p.trusted_registries[2], "ghcr.io/myorg");
    assert_int_equal(f->p.ntrusted_publishers, 2);
    assert_string_equal(f->p.trusted_publishers[1], "bitnami");
    assert_int_equal(f->p.nsocket_images, 2);
    assert_string_equal(f->p.socket_images[0], "traefik:*");
    /* capabilities are normalised as the rules compare them (N2) */
    assert_int_equal(f->p.nallowed_caps, 3);
    assert_string_equal(f->p.allowed_caps[0], "NET_ADMIN");
    assert_string_equal(f->p.allowed_caps[1], "SYS_TIME");
    assert_string_equal(f->p.allowed_caps[2], "CHOWN");
    assert_int_equal(f->p.nsecret_env_allow, 1);
    assert_string_equal(f->p.secret_env_allow[0], "MY_PUBLIC_KEY_ID");
    assert_int_equal(f->p.max_image_age_days, 30);
    assert_int_equal(f->p.nrules, 0);
}

static void empty_policies_change_nothing(void **state)
{
    static const char *const texts[] = {
        "",           "# nothing here\n", "---\n",
        "---\n...\n", "registries: {}\n", "registries: {trusted: []}\n"};
    struct fix *f = *state;
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        bh_policy_init(&f->p);
        parse_ok(f, texts[i]);
        assert_int_equal(f->p.max_image_age_days, 90);
        assert_int_equal(f->p.ntrusted_registries, 0);
        assert_int_equal(f->p.nrules, 0);
        assert_non_null(f->p.file);
    }
}

static void version(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "version: 1\n");
    parse_fails(f, "version: 2\n", BH_EPARSE, 1, 10, "unsupported policy version '2'");
    parse_fails(f, "version: '1'\n", BH_EPARSE, 1, 10, "unsupported policy version '1'");
    parse_fails(f, "version: 1.0\n", BH_EPARSE, 1, 10, "version");
    parse_fails(f, "version: [1]\n", BH_EPARSE, 1, 10, "version");
}

static void unknown_keys(void **state)
{
    struct fix *f = *state;

    parse_fails(f, "version: 1\nregistry:\n  trusted: [x]\n", BH_EPARSE, 2, 1,
                "unknown key 'registry' in the policy");
    parse_fails(f, "registries:\n  trusted: [a]\n  trustd: [b]\n", BH_EPARSE, 3, 3,
                "unknown key 'trustd' in 'registries' (expected one of: trusted)");
    parse_fails(f, "images:\n  max_age: 3\n", BH_EPARSE, 2, 3, "unknown key 'max_age'");
    parse_fails(f, "socket: {allowed: [x]}\n", BH_EPARSE, 1, 10, "allowed_images");
    parse_fails(f, "capabilities:\n  add: [x]\n", BH_EPARSE, 2, 3, "in 'capabilities'");
    parse_fails(f, "secrets:\n  allowed: [x]\n", BH_EPARSE, 2, 3, "in 'secrets'");
    /* keys are case-sensitive like every YAML key */
    parse_fails(f, "Registries: {}\n", BH_EPARSE, 1, 1, "unknown key 'Registries'");
    parse_fails(f, "? [a]\n: b\n", BH_EPARSE, 1, 3, "keys must be plain strings");
}

static void sections_must_be_mappings(void **state)
{
    struct fix *f = *state;

    parse_fails(f, "- a\n- b\n", BH_EPARSE, 1, 1, "the policy must be a mapping, not sequence");
    parse_fails(f, "just words\n", BH_EPARSE, 1, 1, "must be a mapping");
    parse_fails(f, "registries:\nimages: {}\n", BH_EPARSE, 1, 11,
                "'registries' must be a mapping, not empty");
    parse_fails(f, "registries: [docker.io]\n", BH_EPARSE, 1, 13, "'registries' must be a mapping");
    parse_fails(f, "rules: [BUILD-PIN]\n", BH_EPARSE, 1, 8, "'rules' must be a mapping");
    parse_fails(f, "images: 90\n", BH_EPARSE, 1, 9, "'images' must be a mapping");
}

static void lists_must_be_lists_of_strings(void **state)
{
    struct fix *f = *state;

    parse_fails(f, "registries:\n  trusted: docker.io\n", BH_EPARSE, 2, 12,
                "'registries.trusted' must be a list of strings, not scalar");
    parse_fails(f, "registries:\n  trusted:\n", BH_EPARSE, 2, 10, "not empty");
    parse_fails(f, "publishers:\n  trusted: [a, {b: c}]\n", BH_EPARSE, 2, 16,
                "entries must be non-empty strings, not mapping");
    parse_fails(f, "publishers:\n  trusted: [a, [b]]\n", BH_EPARSE, 2, 16, "not sequence");
    parse_fails(f, "publishers:\n  trusted:\n    - a\n    -\n", BH_EPARSE, 3, 8, "not empty");
    parse_fails(f, "publishers:\n  trusted: [a, '']\n", BH_EPARSE, 2, 16, "not empty");
    parse_fails(f, "secrets:\n  allowed_env: ['A B']\n", BH_EPARSE, 2, 17,
                "'A B' contains a space");
    parse_fails(f, "secrets:\n  allowed_env: [\"A\\tB\"]\n", BH_EPARSE, 2, 17,
                "'A?B' contains a space or control character");
    parse_fails(f, "registries:\n  trusted: [https://docker.io]\n", BH_EPARSE, 2, 13,
                "has a URL scheme");
}

static void list_limits(void **state)
{
    struct fix *f = *state;
    struct bh_buf b = BH_BUF_INIT(16u << 20);
    unsigned i;

    bh_buf_puts(&b, "registries:\n  trusted: [");
    for (i = 0; i <= BH_MAX_POLICY_ITEMS; i++)
        bh_buf_puts(&b, "r,");
    bh_buf_puts(&b, "]\n");
    assert_false(b.failed);
    assert_int_equal(parse(f, bh_buf_str(&b)), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_POLICY_ITEMS"));
    assert_int_equal(f->err.line, 2);

    bh_buf_reset(&b);
    bh_buf_puts(&b, "registries:\n  trusted: [ok, ");
    for (i = 0; i <= BH_MAX_POLICY_ENTRY; i++)
        bh_buf_putc(&b, 'x');
    bh_buf_puts(&b, "]\n");
    assert_int_equal(parse(f, bh_buf_str(&b)), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_POLICY_ENTRY"));
    assert_int_equal(f->err.col, 17);
    bh_buf_release(&b);
}

static void max_age(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "images: {max_age_days: 365}\n");
    assert_int_equal(f->p.max_image_age_days, 365);
    parse_ok(f, "images: {max_age_days: 0x10}\n");
    assert_int_equal(f->p.max_image_age_days, 16);
    parse_ok(f, "images: {}\n");
    assert_int_equal(f->p.max_image_age_days, 16);
    parse_fails(f, "images: {max_age_days: 0}\n", BH_EPARSE, 1, 24, "from 1 to 36500, not '0'");
    parse_fails(f, "images: {max_age_days: -5}\n", BH_EPARSE, 1, 24, "not '-5'");
    parse_fails(f, "images: {max_age_days: 36501}\n", BH_EPARSE, 1, 24, "max_age_days");
    parse_fails(f, "images: {max_age_days: 99999999999999999999}\n", BH_EPARSE, 1, 24,
                "max_age_days");
    parse_fails(f, "images: {max_age_days: 90d}\n", BH_EPARSE, 1, 24, "not '90d'");
    parse_fails(f, "images: {max_age_days: '90'}\n", BH_EPARSE, 1, 24, "not '90'");
    /* YAML 1.1 forms are not numbers in a 1.2 file */
    parse_fails(f, "images: {max_age_days: 1_000}\n", BH_EPARSE, 1, 24, "not '1_000'");
    assert_int_equal(f->p.max_image_age_days, 16);
}

static void failed_parse_leaves_policy_alone(void **state)
{
    struct fix *f = *state;

    parse_fails(f, "registries:\n  trusted: [a, b]\nimages:\n  max_age_days: 7\nbogus: 1\n",
                BH_EPARSE, 5, 1, "unknown key 'bogus'");
    assert_int_equal(f->p.ntrusted_registries, 0);
    assert_int_equal(f->p.max_image_age_days, 90);
    assert_null(f->p.file);
    parse_fails(f, "images:\n  max_age_days: 7\nregistries:\n  trusted: [a, {}]\n", BH_EPARSE, 4,
                16, "entries");
    assert_int_equal(f->p.max_image_age_days, 90);
}

static void yaml_errors_pass_through(void **state)
{
    struct fix *f = *state;

    assert_int_equal(parse(f, "registries:\n  trusted: [a, b\n"), BH_EPARSE);
    assert_true(f->err.line >= 2);
    assert_non_null(strstr(f->err.msg, "invalid yaml"));
    parse_fails(f, "registries:\n  trusted: [a]\nregistries:\n  trusted: [b]\n", BH_EPARSE, 3, 1,
                "duplicate key 'registries'");
    parse_fails(f, "version: 1\n---\nversion: 1\n", BH_EPARSE, 2, 0, "one document");
    parse_fails(f, "registries: {trusted: *nope}\n", BH_EPARSE, 1, 23, "unknown anchor 'nope'");
}

static void anchors_and_merges_work(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "registries:\n  trusted: &hub [docker.io, quay.io]\n"
                "publishers:\n  trusted: *hub\n");
    assert_int_equal(f->p.ntrusted_publishers, 2);
    assert_string_equal(f->p.trusted_publishers[1], "quay.io");
}

static void unknown_rule_is_an_error(void **state)
{
    struct fix *f = *state;

    /* independent of the table's contents: no rule is called this */
    parse_fails(f, "rules:\n  NOPE-NOT-A-RULE: off\n", BH_EPARSE, 2, 3,
                "unknown rule 'NOPE-NOT-A-RULE'");
    parse_fails(f, "rules:\n  '': off\n", BH_EPARSE, 2, 3, "rule ids must be non-empty strings");
    parse_ok(f, "rules: {}\n");
    assert_int_equal(f->p.nrules, 0);
}

static void rule_switches(void **state)
{
    struct fix *f = *state;
    const char *id = some_rule();
    struct bh_buf b = BH_BUF_INIT(4096);
    const struct bh_policy_rule *r;

    if (!id)
        skip();
    bh_buf_printf(&b, "rules:\n  %s: off\n", id);
    parse_ok(f, bh_buf_str(&b));
    assert_int_equal(f->p.nrules, 1);
    r = bh_policy_rule(&f->p, id);
    assert_non_null(r);
    assert_string_equal(r->id, id);
    assert_int_equal(r->enabled, 0);
    assert_int_equal(r->severity, -1);
    assert_int_equal(r->loc.line, 2);
    assert_int_equal(r->loc.col, 3);

    /* on/off, true/false in their 1.2 spellings; 1.1 words like yes are not accepted */
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: ON\n", id);
    parse_ok(f, bh_buf_str(&b));
    assert_int_equal(bh_policy_rule(&f->p, id)->enabled, 1);
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: False\n", id);
    parse_ok(f, bh_buf_str(&b));
    assert_int_equal(bh_policy_rule(&f->p, id)->enabled, 0);
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: yes\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 5 + (int)strlen(id), "expected on, off");
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: 'off'\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 5 + (int)strlen(id), "not 'off'");
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s:\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 3 + (int)strlen(id), "not empty");
    bh_buf_release(&b);
}

static void rule_severity_and_enabled(void **state)
{
    struct fix *f = *state;
    const char *id = some_rule();
    struct bh_buf b = BH_BUF_INIT(4096);
    const struct bh_policy_rule *r;

    if (!id)
        skip();
    bh_buf_printf(&b, "rules:\n  %s: {severity: high}\n", id);
    parse_ok(f, bh_buf_str(&b));
    r = bh_policy_rule(&f->p, id);
    assert_int_equal(r->enabled, -1);
    assert_int_equal(r->severity, BH_SEV_HIGH);

    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s:\n    enabled: false\n    severity: Critical\n", id);
    parse_ok(f, bh_buf_str(&b));
    r = bh_policy_rule(&f->p, id);
    assert_int_equal(r->enabled, 0);
    assert_int_equal(r->severity, BH_SEV_CRITICAL);

    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: {severity: severe}\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 16 + (int)strlen(id), "unknown severity 'severe'");
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: {sev: high}\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 6 + (int)strlen(id), "unknown key 'sev'");
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: {enabled: maybe}\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 15 + (int)strlen(id), "enabled must be true");
    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: [off]\n", id);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 2, 5 + (int)strlen(id), "must be a mapping");
    bh_buf_release(&b);
}

static void rule_ids_are_case_insensitive_and_unique(void **state)
{
    struct fix *f = *state;
    const char *id = some_rule();
    struct bh_buf b = BH_BUF_INIT(4096);
    char lower[128];
    size_t i;

    if (!id)
        skip();
    for (i = 0; id[i] && i + 1 < sizeof(lower); i++)
        lower[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
    lower[i] = '\0';
    bh_buf_printf(&b, "rules:\n  %s: off\n", lower);
    parse_ok(f, bh_buf_str(&b));
    /* stored under the table's spelling */
    assert_string_equal(f->p.rules[0].id, id);

    bh_policy_init(&f->p);
    bh_buf_reset(&b);
    bh_buf_printf(&b, "rules:\n  %s: off\n  %s: on\n", id, lower);
    parse_fails(f, bh_buf_str(&b), BH_EPARSE, 3, 3, "configured twice (also at line 2)");
    bh_buf_release(&b);
}

static void read_from_file(void **state)
{
    struct fix *f = *state;
    char path[] = "/tmp/bh-policy-XXXXXX";
    const char *text = "images:\n  max_age_days: 12\n";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(bh_policy_read(&f->a, path, &f->p, &f->err), 0);
    assert_int_equal(f->p.max_image_age_days, 12);
    assert_string_equal(f->p.file, path);
    unlink(path);
    assert_int_not_equal(bh_policy_read(&f->a, path, &f->p, &f->err), 0);
}

static void allocation_failure_is_clean(void **state)
{
    const char *text = "registries:\n  trusted: [a, b, c]\ncapabilities:\n  allowed: [x]\n"
                       "images: {max_age_days: 5}\n";
    size_t max;
    int failures = 0, successes = 0;

    (void)state;
    for (max = 64; max < 200000; max = max * 5 / 4) {
        struct bh_arena a;
        struct bh_err err;
        struct bh_policy p;
        int rc;

        bh_arena_init(&a, max);
        bh_err_init(&err);
        bh_policy_init(&p);
        rc = bh_policy_parse(&a, "p.yaml", text, strlen(text), &p, &err);
        if (rc) {
            assert_int_equal(rc, BH_ENOMEM);
            assert_int_equal(p.ntrusted_registries, 0);
            failures++;
        } else {
            assert_int_equal(p.ntrusted_registries, 3);
            assert_int_equal(p.max_image_age_days, 5);
            successes++;
        }
        bh_arena_release(&a);
    }
    assert_true(failures > 0);
    assert_true(successes > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(all_lists_and_knobs, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_policies_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(version, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(sections_must_be_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_must_be_lists_of_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(list_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(max_age, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_parse_leaves_policy_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(yaml_errors_pass_through, setup, teardown),
        cmocka_unit_test_setup_teardown(anchors_and_merges_work, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_rule_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(rule_switches, setup, teardown),
        cmocka_unit_test_setup_teardown(rule_severity_and_enabled, setup, teardown),
        cmocka_unit_test_setup_teardown(rule_ids_are_case_insensitive_and_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(read_from_file, setup, teardown),
        cmocka_unit_test(allocation_failure_is_clean),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
