/*
 * test_rules_image.c - the image checks (rules/image.c and the check_image functions of
 * IMG-SUID, IMG-SECRET-FILE, IMG-SSHD, IMG-TOOLS, BUILD-INSECURE-FETCH, BUILD-CACHE and
 * REF-*) over struct bh_image values built by hand: files of several layers, shadowed
 * entries, captured account and release files, secret hits and layer digests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "input/pkgdb/pkgdb.h"
#include "model/finding.h"
#include "model/image.h"
#include "model/policy.h"
#include "core/clock.h"
#include "rules/image_checks.h"
#include "input/pkgdb/pkgdb.h"
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"
#define PIN "@sha256:0d8f3e4ed7dc7d9a12c1ea4db0d3f6dcc18d2c1d19b2a5f4c3b1a09fb6bb6b2e"

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_image img;
    struct bh_findings out;
    size_t fcap, ccap, scap;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_policy_init(&f->p);
    f->img.target = "registry.example.com/team/app:1.0";
    f->img.source = "registry";
    assert_true(bh_time_parse("2026-11-23T00:00:00Z", &f->img.scan_time));
    /* three layers with declared digests */
    f->img.layers = bh_arena_calloc(&f->a, 3, sizeof(*f->img.layers));
    f->img.nlayers = 3;
    f->img.layers[0].digest = D1;
    f->img.layers[1].digest = D2;
    f->img.layers[2].digest = D3;
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

static struct bh_imgfile *file(struct fix *f, const char *path, int type, unsigned mode, int layer)
{
    struct bh_imgfile *e = BH_PUSH(&f->a, f->img.files, f->img.nfiles, f->fcap);

    assert_non_null(e);
    memset(e, 0, sizeof(*e));
    e->path = path;
    e->type = (uint8_t)type;
    e->mode = mode;
    e->layer = (uint16_t)layer;
    e->size = 100;
    return e;
}

static struct bh_imgcapture *capture(struct fix *f, const char *path, int layer, const char *data)
{
    struct bh_imgcapture *c = BH_PUSH(&f->a, f->img.captures, f->img.ncaptures, f->ccap);

    assert_non_null(c);
    memset(c, 0, sizeof(*c));
    c->path = path;
    c->layer = layer;
    c->data = data;
    c->len = strlen(data);
    /* the capture's file is in the index too */
    file(f, path, BH_FT_REG, 0644, layer);
    return c;
}

static void run(struct fix *f)
{
    memset(&f->out, 0, sizeof(f->out));
    bh_pkgdb_image_os(&f->a, &f->img); /* the loader's step after the merge */
    bh_rules_check_image(&f->a, &f->p, &f->img, &f->out);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, rule) == 0 && !f->out.v[i].suppressed_kind)
            n++;
    }
    return n;
}

/* The k-th finding of rule (k from 0); fails the test when there is none. */
static const struct bh_finding *nth(const struct fix *f, const char *rule, size_t k)
{
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, rule) == 0 && k-- == 0)
            return &f->out.v[i];
    }
    fail_msg("no finding %zu of %s", k, rule);
    return NULL;
}

static void has(const struct bh_finding *x, const char *needle)
{
    if (!strstr(x->message, needle))
        fail_msg("message '%s' does not contain '%s'", x->message, needle);
}

/* ------------------------------------------------------------- IMG-EMPTYPW */

static void emptypw_shadow_and_locked_forms(void **state)
{
    struct fix *f = *state;

    capture(f, "etc/shadow", 0,
            "root::19000:0:99999:7:::\n"
            "daemon:*:19000:0:99999:7:::\n"
            "bin:!:19000::::::\n"
            "sys:!!:19000::::::\n"
            "nobody:!*:19000::::::\n"
            "# a comment::\n"
            "\n"
            "+::::::::\n"
            "app:$6$salt$hash:19000:0:99999:7:::\n");
    capture(f, "etc/passwd", 0,
            "root:x:0:0:root:/root:/bin/bash\n"
            "guest::1001:1001::/home/guest:/bin/sh\n");
    run(f);
    assert_int_equal(count(f, "IMG-EMPTYPW"), 2);
    assert_int_equal(nth(f, "IMG-EMPTYPW", 0)->loc.line, 1);
    assert_string_equal(nth(f, "IMG-EMPTYPW", 0)->loc.path, "/etc/shadow");
    assert_string_equal(nth(f, "IMG-EMPTYPW", 0)->loc.file, f->img.target);
    has(nth(f, "IMG-EMPTYPW", 0), "'root'");
    has(nth(f, "IMG-EMPTYPW", 0), "layer 0 (sha256:111111111111");
    assert_int_equal(nth(f, "IMG-EMPTYPW", 0)->severity, BH_SEV_HIGH);
    assert_string_equal(nth(f, "IMG-EMPTYPW", 1)->loc.path, "/etc/passwd");
    assert_int_equal(nth(f, "IMG-EMPTYPW", 1)->loc.line, 2);
    has(nth(f, "IMG-EMPTYPW", 1), "'guest'");
}

static void emptypw_fixed_in_later_layer(void **state)
{
    struct fix *f = *state;

    /* CVE-2019-5021: root's field empty in the base, locked by a later layer */
    capture(f, "etc/shadow", 0, "root:::0:::::\n")->shadowed = true;
    f->img.files[f->img.nfiles - 1].flags |= BH_IMGF_SHADOWED;
    capture(f, "etc/shadow", 1, "root:!::0:::::\n");
    run(f);
    assert_int_equal(count(f, "IMG-EMPTYPW"), 0);
    f->img.captures[1].data = "root:::0:::::\r\n";
    f->img.captures[1].len = strlen(f->img.captures[1].data);
    run(f);
    assert_int_equal(count(f, "IMG-EMPTYPW"), 1);
    has(nth(f, "IMG-EMPTYPW", 0), "layer 1 (sha256:222222222222");
}

/* ---------------------------------------------------------------- IMG-UID0 */

static void uid0_extra_root_and_duplicates(void **state)
{
    struct fix *f = *state;

    capture(f, "etc/passwd", 1,
            "root:x:0:0:root:/root:/bin/bash\n"
            "toor:x:0:0::/root:/bin/sh\n"
            "broken:x\n"
            "+::0:0:::\n"
            "# old:x:0:0\n"
            "alice:x:1000:1000::/home/alice:/bin/sh\n"
            "bob:x:1000:1000::/home/bob:/bin/sh\n"
            "carol:x:1001:1001::/home/carol:/bin/sh\n");
    capture(f, "etc/group", 1,
            "root:x:0:\n"
            "staff:x:50:\n"
            "devs:x:50:alice\n"
            "short\n");
    run(f);
    assert_int_equal(count(f, "IMG-UID0"), 3);
    has(nth(f, "IMG-UID0", 0), "'toor'");
    assert_int_equal(nth(f, "IMG-UID0", 0)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "IMG-UID0", 0)->loc.line, 2);
    has(nth(f, "IMG-UID0", 1), "UID 1000");
    has(nth(f, "IMG-UID0", 1), "'alice' (line 6), 'bob' (line 7)");
    assert_int_equal(nth(f, "IMG-UID0", 1)->severity, BH_SEV_MEDIUM);
    has(nth(f, "IMG-UID0", 2), "GID 50");
    assert_string_equal(nth(f, "IMG-UID0", 2)->loc.path, "/etc/group");
}

static void uid0_clean_accounts(void **state)
{
    struct fix *f = *state;

    capture(f, "etc/passwd", 0,
            "root:x:0:0:root:/root:/bin/bash\n"
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            "app:x:10001:10001::/app:/sbin/nologin\n");
    capture(f, "etc/group", 0, "root:x:0:\ndaemon:x:1:\napp:x:10001:\n");
    run(f);
    assert_int_equal(count(f, "IMG-UID0"), 0);
}

/* ---------------------------------------------------------------- IMG-JUNK */

static void junk_dirs_once_and_skips(void **state)
{
    struct fix *f = *state;

    file(f, "app/.git", BH_FT_DIR, 0755, 2);
    file(f, "app/.git/HEAD", BH_FT_REG, 0644, 2);
    file(f, "app/.git/objects/ab/cdef", BH_FT_REG, 0444, 2);
    file(f, "root/.aws/config", BH_FT_REG, 0600, 2);
    file(f, "app/node_modules/left-pad/.git/HEAD", BH_FT_REG, 0644, 2);
    file(f, "app/vendor/lib/Dockerfile", BH_FT_REG, 0644, 2);
    file(f, "app/Dockerfile", BH_FT_REG, 0644, 2);
    file(f, "old/.idea/workspace.xml", BH_FT_REG, 0644, 1)->flags |= BH_IMGF_SHADOWED;
    file(f, "app/.gitignore", BH_FT_REG, 0644, 2);
    run(f);
    assert_int_equal(count(f, "IMG-JUNK"), 3);
    /* sorted by path: /app/.git, /app/Dockerfile, /root/.aws */
    assert_string_equal(nth(f, "IMG-JUNK", 0)->loc.path, "/app/.git");
    has(nth(f, "IMG-JUNK", 0), "3 entries");
    assert_int_equal(nth(f, "IMG-JUNK", 0)->severity, BH_SEV_LOW);
    assert_string_equal(nth(f, "IMG-JUNK", 1)->loc.path, "/app/Dockerfile");
    assert_string_equal(nth(f, "IMG-JUNK", 2)->loc.path, "/root/.aws");
    assert_int_equal(nth(f, "IMG-JUNK", 2)->severity, BH_SEV_MEDIUM);
}

/* ----------------------------------------------------------- IMG-INTEGRITY */

static void integrity_mismatches(void **state)
{
    struct fix *f = *state;
    struct bh_imglayer *l = f->img.layers;

    l[0].scanned = true;
    l[0].got_digest = D1;
    l[0].diff_id = D2;
    l[0].got_diff_id = D2;
    l[1].scanned = true;
    l[1].got_digest = D3; /* tampered blob */
    l[2].error = "unexpected end of gzip stream";
    run(f);
    assert_int_equal(count(f, "IMG-INTEGRITY"), 2);
    assert_string_equal(nth(f, "IMG-INTEGRITY", 0)->loc.path, "layers[1]");
    has(nth(f, "IMG-INTEGRITY", 0), D3);
    has(nth(f, "IMG-INTEGRITY", 0), "manifest declares " D2);
    assert_int_equal(nth(f, "IMG-INTEGRITY", 0)->severity, BH_SEV_CRITICAL);
    assert_string_equal(nth(f, "IMG-INTEGRITY", 1)->loc.path, "layers[2]");
    has(nth(f, "IMG-INTEGRITY", 1), "unexpected end of gzip stream");

    l[1].got_digest = "SHA256:2222222222222222222222222222222222222222222222222222222222222222";
    l[2].error = NULL;
    l[2].scanned = true;
    l[2].got_digest = D3;
    l[2].diff_id = D1;
    l[2].got_diff_id = D2;
    run(f);
    assert_int_equal(count(f, "IMG-INTEGRITY"), 1);
    has(nth(f, "IMG-INTEGRITY", 0), "rootfs.diff_ids declares " D1);

    l[2].got_diff_id = D1;
    f->img.meta.ndiff_ids = 2;
    run(f);
    assert_int_equal(count(f, "IMG-INTEGRITY"), 1);
    assert_string_equal(nth(f, "IMG-INTEGRITY", 0)->loc.path, "rootfs.diff_ids");
    f->img.meta.ndiff_ids = 3;
    run(f);
    assert_int_equal(count(f, "IMG-INTEGRITY"), 0);
}

/* ----------------------------------------------------------------- IMG-AGE */

static void parse_time_forms(void **state)
{
    long long t, u;

    (void)state;
    assert_true(bh_time_parse("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(bh_time_parse("2024-02-29T12:30:15.123456789+02:00", &t));
    assert_true(bh_time_parse("2024-02-29T10:30:15Z", &u));
    assert_int_equal(t, u);
    assert_int_equal(u, 1709202615LL);
    assert_true(bh_time_parse("2024-02-29", &t));
    assert_int_equal(t, 1709164800LL);
    assert_true(bh_time_parse("2023-12-31t23:00:00-01:00", &t));
    assert_true(bh_time_parse("2024-01-01T00:00:00Z", &u));
    assert_int_equal(t, u);
    assert_false(bh_time_parse("2023-02-29T00:00:00Z", &t));
    assert_false(bh_time_parse("2024-13-01T00:00:00Z", &t));
    assert_false(bh_time_parse("2024-01-01T00:00:00", &t));
    assert_false(bh_time_parse("2024-01-01T00:00:00.Z", &t));
    assert_false(bh_time_parse("yesterday", &t));
    assert_false(bh_time_parse(NULL, &t));
}

static void age_from_created_and_policy(void **state)
{
    struct fix *f = *state;

    f->img.meta.created = "2026-01-10T08:00:00.5Z";
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    has(nth(f, "IMG-AGE", 0), "2026-01-10");
    has(nth(f, "IMG-AGE", 0), "316 days");
    assert_string_equal(nth(f, "IMG-AGE", 0)->loc.path, "created");
    f->p.max_image_age_days = 400;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->p.max_image_age_days = 90;
    f->img.meta.created = "2026-10-01T00:00:00+00:00";
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
}

static void age_reproducible_fallbacks(void **state)
{
    struct fix *f = *state;
    struct bh_kv label = {
        "org.opencontainers.image.created", "2025-06-01T00:00:00Z", {NULL, 0, 0, 0, 0, NULL}};
    struct bh_imghist hist[3];

    memset(hist, 0, sizeof(hist));
    f->img.meta.created = "1970-01-01T00:00:01Z";
    /* no fallback: the age is unknown, reported once as info */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    assert_int_equal(nth(f, "IMG-AGE", 0)->severity, BH_SEV_INFO);
    /* the newest history date counts */
    hist[0].created = "2019-01-01T00:00:00Z";
    hist[1].created = "2026-11-01T00:00:00Z";
    hist[2].created = "1970-01-01T00:00:00Z";
    f->img.meta.history = hist;
    f->img.meta.nhistory = 3;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    hist[1].created = "2025-11-01T00:00:00Z";
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    assert_string_equal(nth(f, "IMG-AGE", 0)->loc.path, "history[1].created");
    assert_int_equal(nth(f, "IMG-AGE", 0)->severity, BH_SEV_MEDIUM);
    /* the label wins over history */
    f->img.meta.labels = &label;
    f->img.meta.nlabels = 1;
    label.value = "2026-11-20T00:00:00Z";
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    label.value = "2025-06-01T00:00:00Z";
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    has(nth(f, "IMG-AGE", 0), "org.opencontainers.image.created");
    /* no date anywhere: nothing */
    f->img.meta.created = NULL;
    f->img.meta.nlabels = 0;
    f->img.meta.nhistory = 0;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
}

/* ----------------------------------------------------------------- IMG-EOL */

static void eol_table_is_embedded(void **state)
{
    char path[4096], *buf;
    FILE *fp;
    long n;

    (void)state;
    snprintf(path, sizeof(path), "%s/data/eol.tsv", BH_SOURCE_ROOT);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    rewind(fp);
    buf = calloc(1, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    /* empty means the build did not run scripts/embed-data.py (see meson.build) */
    assert_true(strlen(bh_imgcheck_eol_table()) > 0);
    assert_string_equal(bh_imgcheck_eol_table(), buf);
    free(buf);
}

static void eol_os_release(void **state)
{
    struct fix *f = *state;
    struct bh_imgcapture *c;

    c = capture(f, "etc/os-release", 0,
                "PRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n"
                "NAME=\"Debian GNU/Linux\"\n"
                "VERSION_ID=\"10\"\n"
                "VERSION=\"10 (buster)\"\n"
                "VERSION_CODENAME=buster\n"
                "ID=debian\n");
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    has(nth(f, "IMG-EOL", 0), "Debian GNU/Linux 10 (buster)");
    has(nth(f, "IMG-EOL", 0), "2024-06-30");
    has(nth(f, "IMG-EOL", 0), "ELTS");
    assert_string_equal(nth(f, "IMG-EOL", 0)->loc.path, "/etc/os-release");
    assert_int_equal(nth(f, "IMG-EOL", 0)->loc.line, 3);
    assert_int_equal(nth(f, "IMG-EOL", 0)->severity, BH_SEV_HIGH);

    /* supported releases and unknown ones: nothing */
    c->data = "ID=debian\nVERSION_ID=\"12\"\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
    c->data = "ID=debian\nVERSION_ID=\"99\"\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);

    /* Alpine on major.minor: 3.12.0 is 3.12, not 3.1 */
    c->data = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.12.0\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    has(nth(f, "IMG-EOL", 0), "2022-05-01");
    c->data = "ID=alpine\nVERSION_ID=3.22.1\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);

    /* Ubuntu with its ESM note; Amazon Linux 2 vs 2023 */
    c->data = "ID=ubuntu\nVERSION_ID=\"18.04\"\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    has(nth(f, "IMG-EOL", 0), "ESM");
    c->data = "ID=\"amzn\"\nVERSION_ID=\"2023\"\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
    c->data = "ID=\"amzn\"\nVERSION_ID=\"2\"\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);

    /* a scan before the date: nothing */
    assert_true(bh_time_parse("2026-01-01T00:00:00Z", &f->img.scan_time));
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
}

static void eol_release_files(void **state)
{
    struct fix *f = *state;
    struct bh_imgcapture *c;

    /* distroless-like: only /usr/lib/os-release */
    c = capture(f, "usr/lib/os-release", 0, "ID=debian\nVERSION_ID=\"9\"\n");
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    assert_string_equal(nth(f, "IMG-EOL", 0)->loc.path, "/usr/lib/os-release");
    c->shadowed = true;
    /* debian_version: major only */
    c = capture(f, "etc/debian_version", 0, "10.13\n");
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    has(nth(f, "IMG-EOL", 0), "version 10.13");
    c->data = "bookworm/sid\n";
    c->len = strlen(c->data);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
    c->shadowed = true;
    c = capture(f, "etc/redhat-release", 0, "CentOS Linux release 7.9.2009 (Core)\n");
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    has(nth(f, "IMG-EOL", 0), "ID centos, version 7.9.2009");
    c->shadowed = true;
    c = capture(f, "etc/alpine-release", 0, "3.15.4\n");
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 1);
    c->shadowed = true;
    /* scratch / busybox: no release file, unknown */
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
}

static void eol_runtimes(void **state)
{
    struct fix *f = *state;
    struct bh_instr in;
    struct bh_kv kv[2] = {{"NODE_VERSION", "14.21.3", {NULL, 0, 0, 0, 0, "config.Env[3]"}},
                          {"PATH", "/usr/local/bin", {NULL, 0, 0, 0, 0, NULL}}};

    memset(&in, 0, sizeof(in));
    in.kind = BH_I_ENV;
    in.kvs = kv;
    in.nkvs = 2;
    f->img.build.instrs = &in;
    f->img.build.ninstrs = 1;
    file(f, "usr/bin/python2.7", BH_FT_REG, 0755, 1);
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 2);
    has(nth(f, "IMG-EOL", 0), "Python 2.7");
    assert_string_equal(nth(f, "IMG-EOL", 0)->loc.path, "/usr/bin/python2.7");
    has(nth(f, "IMG-EOL", 1), "Node.js 14.21.3");
    assert_string_equal(nth(f, "IMG-EOL", 1)->loc.path, "config.Env[3]");
    kv[0].value = "24.11.0";
    f->img.files[0].flags |= BH_IMGF_SHADOWED;
    run(f);
    assert_int_equal(count(f, "IMG-EOL"), 0);
}

/* ---------------------------------------------------------------- IMG-SUID */

static void suid_allow_list_and_shells(void **state)
{
    struct fix *f = *state;
    struct bh_imgfile *e;

    file(f, "usr/bin/passwd", BH_FT_REG, 04755, 0);
    file(f, "bin/su", BH_FT_REG, 04755, 0);
    file(f, "usr/lib/openssh/ssh-keysign", BH_FT_REG, 04755, 0);
    file(f, "var/mail", BH_FT_DIR, 02775, 0);
    file(f, "usr/bin/sudo", BH_FT_REG, 04755, 1);
    file(f, "opt/passwd", BH_FT_REG, 04755, 2); /* an allow-listed name outside system dirs */
    file(f, "tmp/.x/sh", BH_FT_REG, 04755, 2);
    file(f, "usr/local/bin/report", BH_FT_REG, 02755, 2)->gid = 42;
    file(f, "usr/bin/pkexec", BH_FT_REG, 04755, 1);
    e = file(f, "usr/local/bin/bind-low", BH_FT_REG, 0755, 2);
    e->flags |= BH_IMGF_FCAPS;
    file(f, "usr/bin/old", BH_FT_REG, 04755, 0)->flags |= BH_IMGF_SHADOWED;
    file(f, "usr/bin/plain", BH_FT_REG, 0755, 0);
    run(f);
    assert_int_equal(count(f, "IMG-SUID"), 5);
    assert_string_equal(nth(f, "IMG-SUID", 0)->loc.path, "/opt/passwd");
    assert_int_equal(nth(f, "IMG-SUID", 0)->severity, BH_SEV_MEDIUM);
    assert_string_equal(nth(f, "IMG-SUID", 1)->loc.path, "/tmp/.x/sh");
    assert_int_equal(nth(f, "IMG-SUID", 1)->severity, BH_SEV_HIGH);
    has(nth(f, "IMG-SUID", 1), "setuid root (mode 4755");
    has(nth(f, "IMG-SUID", 1), "layer 2 (sha256:333333333333");
    has(nth(f, "IMG-SUID", 2), "setgid (mode 2755, group 42)");
    assert_string_equal(nth(f, "IMG-SUID", 3)->loc.path, "/usr/bin/pkexec");
    has(nth(f, "IMG-SUID", 4), "file capabilities");
}

/* --------------------------------------------------------- IMG-SECRET-FILE */

static void secret_files_in_every_layer(void **state)
{
    struct fix *f = *state;
    struct bh_secrethit hit;

    /* added in layer 0, deleted by a whiteout in layer 1 */
    file(f, "root/.ssh/id_rsa", BH_FT_REG, 0600, 0)->flags |= BH_IMGF_SHADOWED;
    file(f, "root/.ssh/id_rsa", BH_FT_WHITEOUT, 0, 1);
    file(f, "etc/ssl/certs/ACCVRAIZ1.pem", BH_FT_REG, 0644, 0);
    file(f, "app/node_modules/https-proxy/test/server.key", BH_FT_REG, 0644, 2);
    file(f, "app/.env.example", BH_FT_REG, 0644, 2);
    file(f, "app/empty.pem", BH_FT_REG, 0644, 2)->size = 0;
    file(f, "app/.npmrc", BH_FT_REG, 0600, 2);
    file(f, "app/deploy.key", BH_FT_REG, 0600, 2);
    memset(&hit, 0, sizeof(hit));
    hit.path = "app/deploy.key";
    hit.layer = 2;
    hit.kind = "private-key";
    hit.what = "private key";
    hit.line = 1;
    hit.excerpt = "-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn…(redacted)";
    f->img.secrets = &hit;
    f->img.nsecrets = 1;
    run(f);
    assert_int_equal(count(f, "IMG-SECRET-FILE"), 3);
    assert_string_equal(nth(f, "IMG-SECRET-FILE", 0)->loc.path, "/root/.ssh/id_rsa");
    has(nth(f, "IMG-SECRET-FILE", 0), "removed or replaced in a later layer");
    has(nth(f, "IMG-SECRET-FILE", 0), "layer 0 (sha256:111111111111");
    assert_string_equal(nth(f, "IMG-SECRET-FILE", 1)->loc.path, "/app/.npmrc");
    assert_null(strstr(nth(f, "IMG-SECRET-FILE", 1)->message, "removed"));
    /* the key file is reported once, by its content hit */
    assert_string_equal(nth(f, "IMG-SECRET-FILE", 2)->loc.path, "/app/deploy.key");
    assert_int_equal(nth(f, "IMG-SECRET-FILE", 2)->loc.line, 1);
    has(nth(f, "IMG-SECRET-FILE", 2), "(redacted)");
    assert_int_equal(nth(f, "IMG-SECRET-FILE", 2)->severity, BH_SEV_CRITICAL);
}

/* ---------------------------------------------------------------- IMG-SSHD */

static void sshd_server_and_keys(void **state)
{
    struct fix *f = *state;
    struct bh_imgfile *e;

    file(f, "usr/sbin/sshd", BH_FT_REG, 0755, 1);
    file(f, "etc/ssh/sshd_config", BH_FT_REG, 0644, 1);
    file(f, "etc/ssh/ssh_config", BH_FT_REG, 0644, 1);
    file(f, "root/.ssh/authorized_keys", BH_FT_REG, 0600, 2);
    run(f);
    assert_int_equal(count(f, "IMG-SSHD"), 2);
    assert_string_equal(nth(f, "IMG-SSHD", 0)->loc.path, "/usr/sbin/sshd");
    has(nth(f, "IMG-SSHD", 0), "/etc/ssh/sshd_config");
    assert_string_equal(nth(f, "IMG-SSHD", 1)->loc.path, "/root/.ssh/authorized_keys");
    /* removed again by later layers: only the client config remains */
    f->img.files[0].flags |= BH_IMGF_SHADOWED;
    f->img.files[1].flags |= BH_IMGF_SHADOWED;
    e = &f->img.files[3];
    e->flags |= BH_IMGF_SHADOWED;
    run(f);
    assert_int_equal(count(f, "IMG-SSHD"), 0);
}

/* --------------------------------------------------------------- IMG-TOOLS */

static void tools_once_with_busybox_applets(void **state)
{
    struct fix *f = *state;

    file(f, "bin/busybox", BH_FT_REG, 0755, 0);
    file(f, "usr/bin/wget", BH_FT_SYMLINK, 0777, 0)->link = "/bin/busybox";
    file(f, "usr/bin/nc", BH_FT_SYMLINK, 0777, 0)->link = "/bin/busybox";
    file(f, "sbin/apk", BH_FT_REG, 0755, 0);
    file(f, "usr/bin/gcc", BH_FT_REG, 0755, 1);
    file(f, "usr/share/doc/curl", BH_FT_REG, 0755, 1); /* not on PATH */
    file(f, "usr/bin/strace", BH_FT_REG, 0644, 1);     /* not executable */
    file(f, "usr/bin/gdb", BH_FT_REG, 0755, 1)->flags |= BH_IMGF_SHADOWED;
    run(f);
    assert_int_equal(count(f, "IMG-TOOLS"), 1);
    assert_int_equal(nth(f, "IMG-TOOLS", 0)->severity, BH_SEV_MEDIUM);
    has(nth(f, "IMG-TOOLS", 0), "package managers: apk (/sbin/apk)");
    has(nth(f, "IMG-TOOLS", 0), "compilers and build tools: gcc (/usr/bin/gcc)");
    has(nth(f, "IMG-TOOLS", 0), "wget (busybox applet /usr/bin/wget)");
    has(nth(f, "IMG-TOOLS", 0), "nc (busybox applet /usr/bin/nc)");
    assert_null(strstr(nth(f, "IMG-TOOLS", 0)->message, "curl"));
    assert_null(strstr(nth(f, "IMG-TOOLS", 0)->message, "strace"));
    assert_null(strstr(nth(f, "IMG-TOOLS", 0)->message, "gdb"));
}

static void tools_only_package_manager_is_info(void **state)
{
    struct fix *f = *state;

    run(f);
    assert_int_equal(count(f, "IMG-TOOLS"), 0);
    file(f, "usr/bin/apt-get", BH_FT_REG, 0755, 0);
    file(f, "usr/bin/dpkg", BH_FT_REG, 0755, 0);
    file(f, "bin/su", BH_FT_REG, 04755, 0);
    run(f);
    assert_int_equal(count(f, "IMG-TOOLS"), 1);
    assert_int_equal(nth(f, "IMG-TOOLS", 0)->severity, BH_SEV_INFO);
    has(nth(f, "IMG-TOOLS", 0), "account switching: su (/bin/su)");
}

/* ---------------------------------------------------- BUILD-INSECURE-FETCH */

static void insecure_fetch_repo_configs(void **state)
{
    struct fix *f = *state;

    capture(f, "etc/apt/sources.list", 0,
            "deb http://deb.debian.org/debian bookworm main\n"
            "# deb [trusted=yes] http://old.example.com/debian stable main\n"
            "deb [arch=amd64 trusted=yes] http://repo.example.com/debian stable main\n");
    capture(f, "etc/apt/sources.list.d/vendor.sources", 1,
            "Types: deb\nURIs: https://vendor.example.com/apt\nSuites: stable\nTrusted: yes\n");
    capture(f, "etc/apt/apt.conf.d/99insecure", 1,
            "APT::Get::AllowUnauthenticated \"true\";\n"
            "Acquire::AllowInsecureRepositories \"false\";\n");
    capture(f, "etc/yum.repos.d/vendor.repo", 1,
            "[vendor]\nbaseurl=https://rpm.example.com/\ngpgcheck = 0\n"
            "[other]\ngpgcheck=1\n");
    capture(f, "etc/apk/repositories", 2,
            "https://dl-cdn.alpinelinux.org/alpine/v3.20/main\n"
            "@edge http://dl-cdn.alpinelinux.org/alpine/edge/testing\n");
    run(f);
    assert_int_equal(count(f, "BUILD-INSECURE-FETCH"), 5);
    assert_string_equal(nth(f, "BUILD-INSECURE-FETCH", 0)->loc.path, "/etc/apt/sources.list");
    assert_int_equal(nth(f, "BUILD-INSECURE-FETCH", 0)->loc.line, 3);
    has(nth(f, "BUILD-INSECURE-FETCH", 0), "trusted=yes");
    assert_int_equal(nth(f, "BUILD-INSECURE-FETCH", 1)->loc.line, 4);
    has(nth(f, "BUILD-INSECURE-FETCH", 2), "AllowUnauthenticated");
    has(nth(f, "BUILD-INSECURE-FETCH", 3), "gpgcheck = 0");
    assert_int_equal(nth(f, "BUILD-INSECURE-FETCH", 3)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "BUILD-INSECURE-FETCH", 4)->loc.line, 2);
    assert_int_equal(nth(f, "BUILD-INSECURE-FETCH", 4)->severity, BH_SEV_MEDIUM);
}

static void insecure_fetch_clean_configs(void **state)
{
    struct fix *f = *state;

    capture(f, "etc/apt/sources.list", 0,
            "deb http://deb.debian.org/debian bookworm main\n"
            "deb [signed-by=/usr/share/keyrings/x.gpg] https://x.example.com/apt stable main\n");
    capture(f, "etc/yum.repos.d/ubi.repo", 0, "[ubi]\ngpgcheck=1\nrepo_gpgcheck=0\n");
    capture(f, "etc/apk/repositories", 0, "https://dl-cdn.alpinelinux.org/alpine/v3.20/main\n");
    run(f);
    assert_int_equal(count(f, "BUILD-INSECURE-FETCH"), 0);
}

/* ------------------------------------------------------------- BUILD-CACHE */

static void cache_dirs_left_behind(void **state)
{
    struct fix *f = *state;

    file(f, "var/lib/apt/lists/lock", BH_FT_REG, 0640, 0);
    file(f, "var/lib/apt/lists/partial", BH_FT_DIR, 0700, 0);
    file(f, "var/cache/apk/APKINDEX.1.tar.gz", BH_FT_REG, 0644, 1)->flags |= BH_IMGF_SHADOWED;
    run(f);
    assert_int_equal(count(f, "BUILD-CACHE"), 0);
    file(f, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", BH_FT_REG, 0644, 1);
    file(f, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
         BH_FT_REG, 0644, 2);
    file(f, "home/app/.cache/pip/http/a/b/c", BH_FT_REG, 0644, 2);
    run(f);
    assert_int_equal(count(f, "BUILD-CACHE"), 2);
    assert_string_equal(nth(f, "BUILD-CACHE", 0)->loc.path, "/var/lib/apt/lists");
    has(nth(f, "BUILD-CACHE", 0), "2 files");
    has(nth(f, "BUILD-CACHE", 0), "layer 1 (sha256:222222222222");
    has(nth(f, "BUILD-CACHE", 0), "layer 2 (sha256:333333333333");
    has(nth(f, "BUILD-CACHE", 1), "pip cache");
}

/* -------------------------------------------------------------------- REF-* */

static void refs_of_the_named_image(void **state)
{
    struct fix *f = *state;
    const char *trusted[] = {"registry.example.com"};

    run(f);
    assert_int_equal(count(f, "REF-LATEST") + count(f, "REF-DIGEST"), 0);
    f->img.user_ref = "nginx";
    run(f);
    assert_int_equal(count(f, "REF-LATEST"), 1);
    assert_int_equal(count(f, "REF-DIGEST"), 1);
    assert_int_equal(count(f, "REF-REGISTRY"), 0); /* no trusted list in the policy */
    assert_string_equal(nth(f, "REF-LATEST", 0)->loc.file, f->img.target);
    has(nth(f, "REF-LATEST", 0), "image nginx");
    f->p.trusted_registries = trusted;
    f->p.ntrusted_registries = 1;
    run(f);
    assert_int_equal(count(f, "REF-REGISTRY"), 1);
    has(nth(f, "REF-REGISTRY", 0), "docker.io");
    f->img.user_ref = "registry.example.com/team/app:1.4.2" PIN;
    run(f);
    assert_int_equal(count(f, "REF-LATEST") + count(f, "REF-DIGEST") + count(f, "REF-REGISTRY"), 0);
    f->img.user_ref = "registry.example.com/team/app:1.4.2";
    run(f);
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 1);
}

static void clean_image_has_no_findings(void **state)
{
    struct fix *f = *state;
    size_t i;

    f->img.meta.created = "2026-11-01T10:00:00Z";
    capture(f, "etc/os-release", 0, "ID=debian\nVERSION_ID=\"13\"\n");
    capture(f, "etc/passwd", 0,
            "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/bin/false\n");
    capture(f, "etc/shadow", 0, "root:*:19000:0:99999:7:::\napp:!:19000::::::\n");
    capture(f, "etc/group", 0, "root:x:0:\napp:x:10001:\n");
    file(f, "app/server", BH_FT_REG, 0755, 2);
    for (i = 0; i < f->img.nlayers; i++) {
        f->img.layers[i].scanned = true;
        f->img.layers[i].got_digest = f->img.layers[i].digest;
    }
    run(f);
    for (i = 0; i < f->out.n; i++)
        fail_msg("unexpected %s: %s", f->out.v[i].rule, f->out.v[i].message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(emptypw_shadow_and_locked_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(emptypw_fixed_in_later_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(uid0_extra_root_and_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(uid0_clean_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(junk_dirs_once_and_skips, setup, teardown),
        cmocka_unit_test_setup_teardown(integrity_mismatches, setup, teardown),
        cmocka_unit_test(parse_time_forms),
        cmocka_unit_test_setup_teardown(age_from_created_and_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(age_reproducible_fallbacks, setup, teardown),
        cmocka_unit_test(eol_table_is_embedded),
        cmocka_unit_test_setup_teardown(eol_os_release, setup, teardown),
        cmocka_unit_test_setup_teardown(eol_release_files, setup, teardown),
        cmocka_unit_test_setup_teardown(eol_runtimes, setup, teardown),
        cmocka_unit_test_setup_teardown(suid_allow_list_and_shells, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_files_in_every_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(sshd_server_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(tools_once_with_busybox_applets, setup, teardown),
        cmocka_unit_test_setup_teardown(tools_only_package_manager_is_info, setup, teardown),
        cmocka_unit_test_setup_teardown(insecure_fetch_repo_configs, setup, teardown),
        cmocka_unit_test_setup_teardown(insecure_fetch_clean_configs, setup, teardown),
        cmocka_unit_test_setup_teardown(cache_dirs_left_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(refs_of_the_named_image, setup, teardown),
        cmocka_unit_test_setup_teardown(clean_image_has_no_findings, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
