/*
 * test_rules_engine.c - the container rules (RUN-DEFBRIDGE, RUN-DRIFT, IMG-AGE for a
 * container's image) on bh_container / bh_engine values built by hand (no reader involved):
 * filesystem changes classified with mounts and noise left out, root and privileged exec
 * sessions, a moved tag, a dangling image and the image's age against the policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "model/engine.h"
#include "model/finding.h"
#include "model/policy.h"
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>

/* 2025-01-01T00:00:00Z, the scan time of every case */
#define NOW 1735689600LL

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_container ct;
    struct bh_engine e;
    size_t ccap, xcap, mcap;
    struct bh_findings out;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_policy_init(&f->p);
    bh_runspec_init(&f->ct.spec);
    f->ct.spec.source_kind = "inspect";
    f->ct.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    f->ct.name = "web";
    f->ct.loc.file = "container web";
    f->ct.spec.loc = f->ct.loc;
    f->ct.state = "running";
    f->ct.running = true;
    f->ct.changes_read = true;
    f->ct.network_mode = "none";
    f->e.address = "unix:///run/docker.sock";
    f->e.now = NOW;
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

static void change(struct fix *f, enum bh_change_kind k, const char *path)
{
    struct bh_change *c = BH_PUSH(&f->a, f->ct.changes, f->ct.nchanges, f->ccap);

    assert_non_null(c);
    c->kind = k;
    c->path = path;
}

static void exec_session(struct fix *f, const char *id, bool priv, const char *user, bool running)
{
    struct bh_execsession *s = BH_PUSH(&f->a, f->ct.execs, f->ct.nexecs, f->xcap);

    assert_non_null(s);
    s->id = id;
    s->privileged = priv;
    s->user = user;
    s->running = running;
    s->cmd = "sh -c id";
}

static void mount(struct fix *f, enum bh_mount_kind k, const char *target)
{
    struct bh_mount *m = BH_PUSH(&f->a, f->ct.spec.mounts, f->ct.spec.nmounts, f->mcap);

    assert_non_null(m);
    memset(m, 0, sizeof(*m));
    m->kind = k;
    m->target = target;
    m->source = k == BH_MOUNT_BIND ? "/srv/x" : "vol";
}

/* images[i] with up to two tags (NULL for none) */
static void image(struct fix *f, size_t i, const char *id, const char *tag, const char *created)
{
    struct bh_engine_image *im;

    if (f->e.images == NULL) {
        f->e.images = bh_arena_calloc(&f->a, 4, sizeof(*f->e.images));
        assert_non_null(f->e.images);
    }
    assert_true(i < 4);
    im = &f->e.images[i];
    im->id = id;
    im->created = created;
    if (tag != NULL) {
        im->repo_tags = bh_arena_calloc(&f->a, 1, sizeof(*im->repo_tags));
        assert_non_null(im->repo_tags);
        im->repo_tags[0] = tag;
        im->nrepo_tags = 1;
    }
    im->dangling = tag == NULL;
    if (i + 1 > f->e.nimages)
        f->e.nimages = i + 1;
}

static void run(struct fix *f)
{
    memset(&f->out, 0, sizeof(f->out));
    bh_rules_check_container(&f->a, &f->p, &f->ct, &f->e, &f->out);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        if (!strcmp(f->out.v[i].rule, rule))
            n++;
    return n;
}

/* The k-th finding of rule (k from 0). */
static const struct bh_finding *nth(const struct fix *f, const char *rule, size_t k)
{
    size_t i;

    for (i = 0; i < f->out.n; i++)
        if (!strcmp(f->out.v[i].rule, rule) && k-- == 0)
            return &f->out.v[i];
    fail_msg("no finding %zu of %s", k, rule);
    return NULL;
}

#define ID_OLD "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_NEW "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* ------------------------------------------------------------- filesystem */

static void new_executable_named_not_its_dirs(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    change(f, BH_CHANGE_MODIFIED, "/usr");
    change(f, BH_CHANGE_MODIFIED, "/usr/local");
    change(f, BH_CHANGE_MODIFIED, "/usr/local/bin");
    change(f, BH_CHANGE_ADDED, "/usr/local/bin/x");
    change(f, BH_CHANGE_ADDED, "/usr/local-notes"); /* sorts between /usr/local and its files */
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    x = nth(f, "RUN-DRIFT", 0);
    assert_int_equal(x->severity, BH_SEV_HIGH);
    assert_string_equal(x->loc.file, "container web");
    assert_null(x->loc.path);
    assert_non_null(strstr(x->message, "/usr/local/bin/x (new executable)"));
    assert_non_null(strstr(x->message, "/usr/local-notes (new system file)"));
    assert_non_null(strstr(x->message, "in 2 places"));
    assert_null(strstr(x->message, "/usr/local/bin (")); /* the directories are not named */
    assert_null(strstr(x->message, "/usr ("));           /* ... */
}

static void noise_and_mounts_are_not_drift(void **state)
{
    struct fix *f = *state;

    mount(f, BH_MOUNT_TMPFS, "/scratch");
    mount(f, BH_MOUNT_VOLUME, "/data/");
    mount(f, BH_MOUNT_BIND, "/etc/app");
    change(f, BH_CHANGE_ADDED, "/tmp/upload.bin");
    change(f, BH_CHANGE_ADDED, "/var/tmp/x");
    change(f, BH_CHANGE_ADDED, "/var/log/app/access.log");
    change(f, BH_CHANGE_ADDED, "/var/cache/apk/index");
    change(f, BH_CHANGE_ADDED, "/run/nginx.pid");
    change(f, BH_CHANGE_ADDED, "/var/run/app.sock");
    change(f, BH_CHANGE_ADDED, "/usr/share/app/worker.pid");
    change(f, BH_CHANGE_ADDED, "/etc/app.log");
    change(f, BH_CHANGE_MODIFIED, "/root");
    change(f, BH_CHANGE_ADDED, "/root/.ash_history");
    change(f, BH_CHANGE_ADDED, "/root/.bash_history");
    change(f, BH_CHANGE_MODIFIED, "/etc/hosts");
    change(f, BH_CHANGE_MODIFIED, "/etc/resolv.conf");
    change(f, BH_CHANGE_ADDED, "/data/bin/tool");  /* a volume, even in a bin directory */
    change(f, BH_CHANGE_ADDED, "/scratch/lib.so"); /* a tmpfs */
    change(f, BH_CHANGE_ADDED, "/etc/app/conf.d/x.conf");
    change(f, BH_CHANGE_ADDED, "/srv/www/index.html"); /* not a place that matters */
    change(f, BH_CHANGE_ADDED, "/home/app/notes.txt");
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    /* the same under a path that is no mount: reported */
    change(f, BH_CHANGE_ADDED, "/etc/application.conf");
    change(f, BH_CHANGE_ADDED, "/database/bin/tool");
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    assert_non_null(strstr(nth(f, "RUN-DRIFT", 0)->message, "/etc/application.conf (new system"));
    assert_non_null(strstr(nth(f, "RUN-DRIFT", 0)->message, "/database/bin/tool (new executable"));
    assert_non_null(strstr(nth(f, "RUN-DRIFT", 0)->message, "in 2 places"));
}

static void every_kind_of_place(void **state)
{
    struct fix *f = *state;
    const char *m;

    change(f, BH_CHANGE_ADDED, "/root/.ssh/authorized_keys");
    change(f, BH_CHANGE_ADDED, "/home/app/.ssh/authorized_keys");
    change(f, BH_CHANGE_MODIFIED, "/etc/ssh/sshd_config");
    change(f, BH_CHANGE_ADDED, "/etc/crontabs/root");
    change(f, BH_CHANGE_ADDED, "/var/spool/cron/crontabs/root");
    change(f, BH_CHANGE_MODIFIED, "/var/lib/dpkg/status");
    change(f, BH_CHANGE_MODIFIED, "/lib/apk/db/installed");
    change(f, BH_CHANGE_ADDED, "/usr/lib/x86_64-linux-gnu/libhook.so.1");
    change(f, BH_CHANGE_ADDED, "/opt/app/plugin.so");
    change(f, BH_CHANGE_DELETED, "/usr/bin/passwd");
    change(f, BH_CHANGE_MODIFIED, "/etc/passwd");
    change(f, BH_CHANGE_ADDED, "/boot/vmlinuz");
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    m = nth(f, "RUN-DRIFT", 0)->message;
    assert_non_null(strstr(m, "in 12 places"));
    assert_non_null(strstr(m, "3 ssh key or configurations, 2 cron jobs, 2 package databases, "
                              "3 executables, 2 system files"));
    /* eight named, the most telling kinds first: ssh keys, cron, package databases, then
       the first executable in path order; system files are only counted */
    assert_non_null(strstr(m, ": /etc/ssh/sshd_config (changed ssh key or configuration), "
                              "/home/app/.ssh/authorized_keys (new ssh key"));
    assert_non_null(strstr(m, "/var/lib/dpkg/status (changed package database), "
                              "/opt/app/plugin.so (new executable) and 4 more"));
    assert_null(strstr(m, "/etc/passwd ("));
    /* with fewer, every one is named, deletions too */
    f->ct.nchanges = 0;
    change(f, BH_CHANGE_DELETED, "/usr/bin/passwd");
    change(f, BH_CHANGE_MODIFIED, "/etc/passwd");
    run(f);
    m = nth(f, "RUN-DRIFT", 0)->message;
    assert_non_null(strstr(m, "(1 executable, 1 system file): /usr/bin/passwd (deleted "
                              "executable), /etc/passwd (changed system file)"));
    assert_null(strstr(m, "more"));
}

static void changes_only_of_running_containers_that_were_read(void **state)
{
    struct fix *f = *state;

    change(f, BH_CHANGE_ADDED, "/usr/local/bin/x");
    f->ct.changes_read = false;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    f->ct.changes_read = true;
    f->ct.running = false;
    f->ct.state = "exited";
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    f->ct.running = true;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
}

/* ---------------------------------------------------------- exec sessions */

static void exec_sessions(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    /* the container runs as root (no user): an exec without -u is root */
    exec_session(f, "1111111111111111aaaa", true, "1000", true);
    exec_session(f, "2222222222222222bbbb", false, "", true);
    exec_session(f, "3333333333333333cccc", false, "nobody", true);
    exec_session(f, "4444444444444444dddd", false, "0:0", false);
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 3);
    x = nth(f, "RUN-DRIFT", 0);
    assert_int_equal(x->severity, BH_SEV_HIGH);
    assert_string_equal(x->loc.path, "ExecIDs");
    assert_non_null(strstr(x->message, "exec session 111111111111 (running)"));
    assert_non_null(strstr(x->message, "privileged"));
    assert_non_null(strstr(x->message, ": sh -c id"));
    x = nth(f, "RUN-DRIFT", 1);
    assert_int_equal(x->severity, BH_SEV_MEDIUM);
    assert_non_null(strstr(x->message, "222222222222 (running)"));
    assert_non_null(strstr(x->message, "the container's user"));
    x = nth(f, "RUN-DRIFT", 2);
    assert_non_null(strstr(x->message, "444444444444 (ended)"));
    assert_non_null(strstr(x->message, "user \"0:0\""));
}

static void exec_in_a_non_root_container(void **state)
{
    struct fix *f = *state;

    f->ct.spec.user.v = "1000:1000";
    exec_session(f, "2222222222222222bbbb", false, NULL, true);
    exec_session(f, "3333333333333333cccc", false, "app", true);
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    exec_session(f, "5555555555555555eeee", false, "root", true);
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    assert_non_null(strstr(nth(f, "RUN-DRIFT", 0)->message, "555555555555"));
    /* a container whose user is root by name */
    f->ct.spec.user.v = "root";
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 2);
}

/* ----------------------------------------------------------------- images */

static void tag_now_points_elsewhere(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    f->ct.image_ref = "busybox"; /* docker.io/library/busybox:latest */
    f->ct.image_id = ID_OLD;
    image(f, 0, ID_OLD, NULL, "2024-12-01T00:00:00Z");
    image(f, 1, ID_NEW, "docker.io/library/busybox:latest", "2024-12-20T00:00:00Z");
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    x = nth(f, "RUN-DRIFT", 0);
    assert_int_equal(x->severity, BH_SEV_MEDIUM);
    assert_string_equal(x->loc.path, "Image");
    assert_non_null(strstr(x->message, "the image tag now points elsewhere"));
    assert_non_null(strstr(x->message, "'busybox' names sha256:bbbbbbbbbbbb"));
    assert_non_null(strstr(x->message, "the old image has no tag left"));
    /* the tag still names the image the container runs: nothing */
    f->e.images[0].repo_tags = f->e.images[1].repo_tags;
    f->e.images[0].nrepo_tags = 1;
    f->e.images[0].dangling = false;
    f->e.images[1].nrepo_tags = 0;
    f->e.images[1].dangling = true;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
}

static void other_tags_and_digests_do_not_move(void **state)
{
    struct fix *f = *state;

    f->ct.image_id = ID_OLD;
    image(f, 0, ID_OLD, "busybox:1.36", "2024-12-01T00:00:00Z");
    image(f, 1, ID_NEW, "busybox:latest", "2024-12-20T00:00:00Z");
    image(f, 2, "sha256:cccc", "registry.example:5000/busybox:1.36", "2024-12-20T00:00:00Z");
    f->ct.image_ref = "busybox:1.36";
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    /* a digest reference cannot move */
    f->ct.image_ref =
        "busybox@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    /* created from the image id */
    f->ct.image_ref = ID_NEW;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
    /* the same name on another registry is another image */
    f->ct.image_ref = "registry.example:5000/busybox:1.36";
    f->ct.image_id = "sha256:cccc";
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
}

static void dangling_image(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    f->ct.image_ref = "app:dev";
    f->ct.image_id = ID_OLD;
    image(f, 0, ID_OLD, NULL, "2024-12-01T00:00:00Z");
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    x = nth(f, "RUN-DRIFT", 0);
    assert_int_equal(x->severity, BH_SEV_LOW);
    assert_non_null(strstr(x->message, "dangling image"));
    assert_non_null(strstr(x->message, "'app:dev'"));
    /* an image the list no longer has (docker rmi --force) */
    f->ct.image_id = ID_NEW;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 1);
    x = nth(f, "RUN-DRIFT", 0);
    assert_int_equal(x->severity, BH_SEV_LOW);
    assert_non_null(strstr(x->message, "sha256:bbbbbbbbbbbb, which the engine no longer lists"));
    /* offline: no image list, nothing to say */
    f->e.nimages = 0;
    run(f);
    assert_int_equal(count(f, "RUN-DRIFT"), 0);
}

/* ---------------------------------------------------------------- IMG-AGE */

static void image_age(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    f->ct.image_ref = "app:1.0";
    f->ct.image_id = ID_OLD;
    image(f, 0, ID_OLD, "app:1.0", "2024-09-01T00:00:00Z"); /* 122 days before NOW */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    x = nth(f, "IMG-AGE", 0);
    assert_int_equal(x->severity, BH_SEV_MEDIUM);
    assert_int_equal(x->mistake, 8);
    assert_string_equal(x->loc.file, "container web");
    assert_string_equal(x->loc.path, "Image");
    assert_non_null(strstr(x->message, "122 days before the scan; the policy allows 90 days"));
    assert_non_null(strstr(x->message, "app:1.0"));
    f->p.max_image_age_days = 200;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->p.max_image_age_days = 121;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
    f->p.max_image_age_days = 0; /* off */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
}

static void image_age_unknown_dates(void **state)
{
    struct fix *f = *state;

    f->ct.image_ref = "app:1.0";
    f->ct.image_id = ID_OLD;
    image(f, 0, ID_OLD, "app:1.0", "1970-01-01T00:00:01Z"); /* a reproducible placeholder */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->e.images[0].created = "2025-06-01T00:00:00Z"; /* after the scan */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->e.images[0].created = NULL;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->e.images[0].created = "2020-01-01T00:00:00Z";
    f->e.now = 0; /* no scan time */
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 0);
    f->e.now = NOW;
    run(f);
    assert_int_equal(count(f, "IMG-AGE"), 1);
}

/* ----------------------------------------------------------- RUN-DEFBRIDGE */

static void default_bridge(void **state)
{
    struct fix *f = *state;

    run(f);
    assert_int_equal(count(f, "RUN-DEFBRIDGE"), 0);
    f->ct.network_mode = "default";
    f->ct.on_default_bridge = true;
    run(f);
    assert_int_equal(count(f, "RUN-DEFBRIDGE"), 1);
    assert_string_equal(nth(f, "RUN-DEFBRIDGE", 0)->loc.path, "HostConfig.NetworkMode");
    f->ct.network_mode = "app-net";
    run(f);
    assert_string_equal(nth(f, "RUN-DEFBRIDGE", 0)->loc.path, "NetworkSettings.Networks.bridge");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(new_executable_named_not_its_dirs, setup, teardown),
        cmocka_unit_test_setup_teardown(noise_and_mounts_are_not_drift, setup, teardown),
        cmocka_unit_test_setup_teardown(every_kind_of_place, setup, teardown),
        cmocka_unit_test_setup_teardown(changes_only_of_running_containers_that_were_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(exec_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(exec_in_a_non_root_container, setup, teardown),
        cmocka_unit_test_setup_teardown(tag_now_points_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(other_tags_and_digests_do_not_move, setup, teardown),
        cmocka_unit_test_setup_teardown(dangling_image, setup, teardown),
        cmocka_unit_test_setup_teardown(image_age, setup, teardown),
        cmocka_unit_test_setup_teardown(image_age_unknown_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(default_bridge, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
