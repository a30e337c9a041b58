/*
 * test_rules_host.c - the HOST-* rules and REF-TRUST's host side on bh_host values built
 * by hand (no reader involved): each rule fires on the weak case and keeps quiet on the
 * hardened one, at the location of the fact it judged, including RULES.md's edge cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "model/finding.h"
#include "model/host.h"
#include "model/policy.h"
#include "rules/rule.h"

#include <string.h>

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_host h;
    size_t scap, fcap, lcap, mcap, ccap, acap;
    struct bh_findings out;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_policy_init(&f->p);
    f->h.root = "/";
    f->h.engine_found = true;
    f->h.lsm.apparmor_enabled = -1;
    f->h.lsm.apparmor_docker_default = -1;
    f->h.lsm.selinux_enforcing = -1;
    f->h.lsm.seccomp_available = -1;
    f->h.lsm.max_user_namespaces = -1;
    f->h.lsm.apparmor_loc.file = "/sys/module/apparmor/parameters/enabled";
    f->h.lsm.seccomp_loc.file = "/proc/self/status";
    f->h.lsm.selinux_loc.file = "/sys/fs/selinux/enforce";
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

static struct bh_loc L(const char *file, int line, const char *path) {
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = file;
    l.line = line;
    l.path = path;
    return l;
}

static void
setting(struct fix *f, const char *key, const char *value, enum bh_hsorigin o, const char *file,
        int line, const char *path)
{
    struct bh_hostsetting *s = BH_PUSH(&f->a, f->h.settings, f->h.nsettings, f->scap);

    assert_non_null(s);
    s->key = key;
    s->value = value;
    s->origin = o;
    s->loc = L(file, line, path);
}

/* a daemon.json key at a line */
static void json(struct fix *f, const char *key, const char *value, int line)
{
    setting(f, key, value, BH_HS_DAEMON_JSON, "/etc/docker/daemon.json", line, key);
}

static struct bh_hostfile *file(struct fix *f, const char *path, const char *role, char type,
                                uint32_t mode, uint32_t uid, const char *owner, uint32_t gid,
                                const char *group)
{
    struct bh_hostfile *x = BH_PUSH(&f->a, f->h.files, f->h.nfiles, f->fcap);

    assert_non_null(x);
    memset(x, 0, sizeof(*x));
    x->path = path;
    x->role = role;
    x->exists = true;
    x->type = type;
    x->mode = mode;
    x->uid = uid;
    x->gid = gid;
    x->owner = owner;
    x->group = group;
    return x;
}

static void listener(struct fix *f, const char *addr, unsigned port, bool v6, int line)
{
    struct bh_hostlistener *l = BH_PUSH(&f->a, f->h.listeners, f->h.nlisteners, f->lcap);

    assert_non_null(l);
    l->v6 = v6;
    l->addr = addr;
    l->port = port;
    l->loc = L(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", line, NULL);
}

static void member(struct fix *f, const char *name, const char *via, const char *file, int line)
{
    struct bh_hostmember *m = BH_PUSH(&f->a, f->h.members, f->h.nmembers, f->mcap);

    assert_non_null(m);
    m->name = name;
    m->via = via;
    m->loc = L(file, line, NULL);
}

static void comp(struct fix *f, const char *name, const char *package, const char *version)
{
    struct bh_hostcomponent *c = BH_PUSH(&f->a, f->h.components, f->h.ncomponents, f->ccap);

    assert_non_null(c);
    c->name = name;
    c->package = package;
    c->version = version;
    c->kind = BH_PKG_DPKG;
    c->loc = L("/var/lib/dpkg/status", 10 * (int)f->h.ncomponents, package);
}

static void os(struct fix *f, const char *id, const char *ver)
{
    f->h.os.id = id;
    f->h.os.version_id = ver;
}

static void run(struct fix *f)
{
    memset(&f->out, 0, sizeof(f->out));
    bh_rules_check_host(&f->a, &f->p, &f->h, &f->out);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += strcmp(f->out.v[i].rule, rule) == 0;
    return n;
}

/* the finding of rule at file:line (line -1 = any), or NULL */
static const struct bh_finding *at(const struct fix *f, const char *rule, const char *file,
                                   int line)
{
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        const struct bh_finding *x = &f->out.v[i];

        if (strcmp(x->rule, rule) == 0 && x->loc.file && strcmp(x->loc.file, file) == 0 &&
            (line < 0 || x->loc.line == line))
            return x;
    }
    return NULL;
}

static bool says(const struct bh_finding *x, const char *text)
{
    return x && strstr(x->message, text) != NULL;
}

static const char *full_watches[] = {"/usr/bin/dockerd", "/var/lib/docker",
                                     "/etc/docker",      "/lib/systemd/system/docker.service",
                                     "/run/docker.sock", "/usr/bin/containerd",
                                     "/run/containerd",  "/usr/bin/runc"};
static struct bh_loc full_locs[8];

/* A hardened Docker host: every rule quiet. The negative control for each test below. */
static void hardened(struct fix *f)
{
    size_t i;

    for (i = 0; i < 8; i++)
        full_locs[i] = L("/etc/audit/rules.d/docker.rules", (int)i + 1, NULL);
    f->h.audit_rules_found = true;
    f->h.audit_watches = full_watches;
    f->h.audit_locs = full_locs;
    f->h.naudit = 8;
    file(f, "/etc/docker/daemon.json", "daemon.json", 'f', 0644, 0, "root", 0, "root");
    file(f, "/run/docker.sock", "docker.sock", 's', 0660, 0, "root", 999, "docker");
    file(f, "/etc/docker", "etc-docker", 'd', 0755, 0, "root", 0, "root");
    json(f, "hosts", "unix:///run/docker.sock", 2);
    json(f, "icc", "false", 3);
    json(f, "userns-remap", "default", 4);
    json(f, "authorization-plugins", "opa-docker-authz", 5);
    json(f, "live-restore", "true", 6);
    json(f, "userland-proxy", "false", 7);
    json(f, "log-level", "info", 8);
    f->h.lsm.apparmor_enabled = 1;
    f->h.lsm.seccomp_available = 1;
    f->h.lsm.max_user_namespaces = 63000;
    f->h.content_trust = "1";
    f->h.content_trust_loc = L("/etc/environment", 2, NULL);
}

static void hardened_host_is_quiet(void **state)
{
    struct fix *f = *state;

    hardened(f);
    run(f);
    if (f->out.n)
        fail_msg("unexpected %s: %s", f->out.v[0].rule, f->out.v[0].message);
    assert_int_equal(f->out.n, 0);
}

static void no_engine_no_findings(void **state)
{
    struct fix *f = *state;

    /* the same weak facts without a trace of an engine: nothing, except the engine port */
    f->h.engine_found = false;
    json(f, "hosts", "tcp://0.0.0.0:2375", 2);
    file(f, "/run/docker.sock", "docker.sock", 's', 0666, 0, "root", 0, "root");
    member(f, "alice", "group docker", "/etc/group", 30);
    run(f);
    assert_int_equal(f->out.n, 0);
    f->h.nsettings = 0;
    listener(f, "0.0.0.0", 2375, false, 3);
    run(f);
    assert_int_equal(f->out.n, 1);
    assert_non_null(at(f, "HOST-TLS", "/proc/net/tcp", 3));
}

static void tls_forms(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    hardened(f);
    f->h.nsettings = 0;
    setting(f, "hosts", "tcp://0.0.0.0:2375", BH_HS_UNIT, "/lib/systemd/system/docker.service", 14,
            "ExecStart");
    setting(f, "hosts", "tcp://127.0.0.1:2375", BH_HS_ENVFILE, "/etc/default/docker", 3,
            "DOCKER_OPTS");
    setting(f, "hosts", "tcp://[::]:2376", BH_HS_ARGV, "/proc/812/cmdline", 0, "-H");
    setting(f, "hosts", "unix:///run/docker.sock", BH_HS_ARGV, "/proc/812/cmdline", 0, "-H");
    setting(f, "hosts", "fd://", BH_HS_UNIT, "/lib/systemd/system/docker.service", 14, "ExecStart");
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 3);
    x = at(f, "HOST-TLS", "/lib/systemd/system/docker.service", 14);
    assert_true(says(x, "every interface"));
    assert_int_equal(x->severity, BH_SEV_CRITICAL);
    /* loopback still fires, one step lower */
    x = at(f, "HOST-TLS", "/etc/default/docker", 3);
    assert_true(says(x, "loopback"));
    assert_int_equal(x->severity, BH_SEV_HIGH);
    x = at(f, "HOST-TLS", "/proc/812/cmdline", 0);
    assert_true(says(x, "every interface"));
    assert_string_equal(x->loc.path, "-H");

    /* tlsverify from another origin of the same daemon covers them all */
    setting(f, "tlsverify", "true", BH_HS_ARGV, "/proc/812/cmdline", 0, "--tlsverify");
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 0);
}

static void tls_without_tlsverify(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    hardened(f);
    f->h.nsettings = 0;
    json(f, "hosts", "tcp://10.0.0.5:2376", 2);
    json(f, "tls", "true", 3);
    json(f, "tlscert", "/etc/docker/server.pem", 4);
    run(f);
    x = at(f, "HOST-TLS", "/etc/docker/daemon.json", 2);
    assert_non_null(x);
    assert_true(says(x, "any client"));
    assert_int_equal(count(f, "HOST-TLS"), 1);
    json(f, "tlsverify", "false", 5);
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 1);
    f->h.settings[f->h.nsettings - 1].value = "true";
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 0);
}

static void hosts_in_json_and_argv(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    hardened(f); /* daemon.json hosts unix socket at line 2 */
    setting(f, "hosts", "fd://", BH_HS_UNIT, "/lib/systemd/system/docker.service", 14, "ExecStart");
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 1);
    x = at(f, "HOST-TLS", "/etc/docker/daemon.json", 2);
    assert_true(says(x, "refuses to start"));
    assert_true(says(x, "docker.service:14"));
    assert_int_equal(x->severity, BH_SEV_MEDIUM);
    /* a rootless user's daemon.json belongs to another dockerd: no conflict with the unit */
    f->h.settings[0].loc.file = "/home/alice/.config/docker/daemon.json";
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 0);
}

static void socket_unit_listen_stream(void **state)
{
    struct fix *f = *state;

    hardened(f);
    f->h.nsettings = 1; /* only daemon.json hosts */
    setting(f, "hosts", "/run/docker.sock", BH_HS_UNIT, "/lib/systemd/system/docker.socket", 6,
            "ListenStream");
    run(f);
    /* a ListenStream= is no dockerd flag: no conflict with daemon.json, no TCP */
    assert_int_equal(count(f, "HOST-TLS"), 0);
    setting(f, "hosts", "2375", BH_HS_UNIT, "/etc/systemd/system/docker.socket.d/tcp.conf", 3,
            "ListenStream");
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 1);
    assert_true(says(at(f, "HOST-TLS", "/etc/systemd/system/docker.socket.d/tcp.conf", 3),
                     "every interface"));
}

static void listeners(void **state)
{
    struct fix *f = *state;

    hardened(f);
    listener(f, "::", 2375, true, 4);
    listener(f, "127.0.0.1", 2376, false, 5);
    listener(f, "0.0.0.0", 8080, false, 6);
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 2);
    assert_int_equal(at(f, "HOST-TLS", "/proc/net/tcp6", 4)->severity, BH_SEV_CRITICAL);
    assert_int_equal(at(f, "HOST-TLS", "/proc/net/tcp", 5)->severity, BH_SEV_HIGH);
    /* configured with TLS verification: explained and fine */
    json(f, "hosts", "tcp://0.0.0.0:2375", 9);
    json(f, "hosts", "tcp://127.0.0.1:2376", 10);
    json(f, "tlsverify", "true", 11);
    run(f);
    assert_int_equal(count(f, "HOST-TLS"), 0);
}

static void socket_modes(void **state)
{
    struct fix *f = *state;
    struct bh_hostfile *s;
    const struct bh_finding *x;

    hardened(f);
    s = &f->h.files[1];
    /* 606: numerically <= 660, yet others can read and write */
    s->mode = 0606;
    run(f);
    x = at(f, "HOST-SOCKPERM", "/run/docker.sock", -1);
    assert_true(says(x, "others"));
    assert_true(says(x, "0606"));
    assert_int_equal(x->severity, BH_SEV_CRITICAL);
    s->mode = 0604;
    run(f);
    assert_int_equal(at(f, "HOST-SOCKPERM", "/run/docker.sock", -1)->severity, BH_SEV_HIGH);
    /* group write for a group that is not docker or root */
    s->mode = 0660;
    s->gid = 50;
    s->group = "staff";
    run(f);
    assert_true(says(at(f, "HOST-SOCKPERM", "/run/docker.sock", -1), "group staff"));
    s->mode = 0640; /* read only: connecting needs write */
    run(f);
    assert_int_equal(count(f, "HOST-SOCKPERM"), 0);
    s->mode = 0660;
    s->gid = 999;
    s->group = "docker";
    s->uid = 1000;
    s->owner = "alice";
    run(f);
    assert_true(says(at(f, "HOST-SOCKPERM", "/run/docker.sock", -1), "owned by alice"));
    s->uid = 0;
    s->owner = "root";
    s->acl_extra = true;
    s->acl_text = "user:bob:rw-";
    run(f);
    assert_true(says(at(f, "HOST-SOCKPERM", "/run/docker.sock", -1), "user:bob:rw-"));
    s->acl_extra = false;
    /* containerd's socket root:root 0660 is fine */
    file(f, "/run/containerd/containerd.sock", "containerd.sock", 's', 0660, 0, "root", 0, "root");
    /* rootless: the user's own socket under /run/user */
    file(f, "/run/user/1000/docker.sock", "rootless docker.sock", 's', 0660, 1000, "alice", 1000,
         "alice");
    run(f);
    assert_int_equal(count(f, "HOST-SOCKPERM"), 0);
    f->h.files[f->h.nfiles - 1].mode = 0666;
    run(f);
    assert_non_null(at(f, "HOST-SOCKPERM", "/run/user/1000/docker.sock", -1));
}

static void socket_unit(void **state)
{
    struct fix *f = *state;

    hardened(f);
    file(f, "/lib/systemd/system/docker.socket", "docker.socket", 'f', 0644, 0, "root", 0, "root");
    setting(f, "SocketMode", "0660", BH_HS_UNIT, "/lib/systemd/system/docker.socket", 7,
            "SocketMode");
    setting(f, "SocketGroup", "docker", BH_HS_UNIT, "/lib/systemd/system/docker.socket", 9,
            "SocketGroup");
    run(f);
    assert_int_equal(count(f, "HOST-SOCKPERM"), 0);
    f->h.settings[f->h.nsettings - 2].value = "0666";
    f->h.files[f->h.nfiles - 1].mode = 0664;
    run(f);
    assert_int_equal(count(f, "HOST-SOCKPERM"), 2);
    assert_non_null(at(f, "HOST-SOCKPERM", "/lib/systemd/system/docker.socket", 7));
    assert_true(says(at(f, "HOST-SOCKPERM", "/lib/systemd/system/docker.socket", 0), "0664"));
    f->h.settings[f->h.nsettings - 2].value = "0660";
    f->h.settings[f->h.nsettings - 1].value = "users";
    f->h.files[f->h.nfiles - 1].mode = 0644;
    run(f);
    assert_int_equal(count(f, "HOST-SOCKPERM"), 1);
    assert_non_null(at(f, "HOST-SOCKPERM", "/lib/systemd/system/docker.socket", 9));
}

static void docker_group(void **state)
{
    struct fix *f = *state;
    const struct bh_finding *x;

    hardened(f);
    member(f, "root", "group docker", "/etc/group", 31);
    member(f, "alice", "group docker", "/etc/group", 31);
    member(f, "deploy", "sudoers", "/etc/sudoers.d/deploy", 1);
    run(f);
    assert_int_equal(count(f, "HOST-DOCKERGRP"), 2);
    x = at(f, "HOST-DOCKERGRP", "/etc/group", 31);
    assert_true(says(x, "alice"));
    /* no trusted-user list in the policy: listed for review, at info */
    assert_int_equal(x->severity, BH_SEV_INFO);
    assert_true(says(at(f, "HOST-DOCKERGRP", "/etc/sudoers.d/deploy", 1), "sudoers"));
}

static void file_modes(void **state)
{
    struct fix *f = *state;

    hardened(f);
    file(f, "/etc/docker/server-key.pem", "tlskey", 'f', 0400, 0, "root", 0, "root");
    file(f, "/etc/docker/ca.pem", "tlscacert", 'f', 0444, 0, "root", 0, "root");
    file(f, "/etc/docker/certs.d/reg:5000", "certs.d", 'd', 0755, 0, "root", 0, "root");
    file(f, "/etc/docker/certs.d/reg:5000/ca.crt", "certs.d", 'f', 0444, 0, "root", 0, "root");
    file(f, "/home/alice/.docker/key.pem", "tlskey", 'f', 0400, 1000, "alice", 1000, "alice");
    file(f, "/lib/systemd/system/docker.service", "docker.service", 'f', 0644, 0, "root", 0,
         "root");
    file(f, "/etc/default/docker", "env", 'f', 0644, 0, "root", 0, "root");
    run(f);
    assert_int_equal(count(f, "HOST-FILEPERM"), 0);
    f->h.files[3].mode = 0440; /* server key readable by group root: mask, not number */
    f->h.files[6].mode = 0644;
    f->h.files[7].uid = 1000; /* home key owned by its user: fine */
    f->h.files[8].gid = 4;
    f->h.files[8].group = "adm";
    f->h.files[9].mode = 0666;
    f->h.files[1].mode = 0646; /* the socket is SOCKPERM's, not FILEPERM's */
    run(f);
    assert_int_equal(count(f, "HOST-FILEPERM"), 4);
    assert_int_equal(at(f, "HOST-FILEPERM", "/etc/docker/server-key.pem", 0)->severity,
                     BH_SEV_HIGH);
    assert_true(says(at(f, "HOST-FILEPERM", "/etc/docker/certs.d/reg:5000/ca.crt", 0), "0644"));
    assert_true(says(at(f, "HOST-FILEPERM", "/lib/systemd/system/docker.service", 0), "adm"));
    assert_non_null(at(f, "HOST-FILEPERM", "/etc/default/docker", 0));
}

static void userns(void **state)
{
    struct fix *f = *state;

    hardened(f);
    f->h.settings[2].value = "";
    run(f);
    assert_non_null(at(f, "HOST-USERNS", "/etc/docker/daemon.json", 4));
    f->h.rootless = true; /* rootless meets the intent */
    run(f);
    assert_int_equal(count(f, "HOST-USERNS"), 0);
    f->h.rootless = false;
    f->h.settings[2].value = "default";
    f->h.lsm.max_user_namespaces = 0;
    run(f);
    assert_true(says(at(f, "HOST-USERNS", "/etc/docker/daemon.json", 4), "max_user_namespaces"));
    f->h.lsm.max_user_namespaces = 100;
    f->h.settings[2].value = "dockremap2";
    run(f);
    assert_true(says(at(f, "HOST-USERNS", "/etc/docker/daemon.json", 4), "subuid"));
    f->h.subids = true;
    run(f);
    assert_int_equal(count(f, "HOST-USERNS"), 0);
    /* nothing set at all: located at daemon.json as a whole */
    f->h.nsettings = 0;
    run(f);
    assert_non_null(at(f, "HOST-USERNS", "/etc/docker/daemon.json", 0));
}

static void lsm(void **state)
{
    struct fix *f = *state;

    hardened(f);
    f->h.lsm.seccomp_available = 0;
    f->h.lsm.apparmor_enabled = 0;
    f->h.lsm.selinux_enforcing = -1;
    json(f, "seccomp-profile", "unconfined", 12);
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 3);
    assert_non_null(at(f, "HOST-LSM", "/proc/self/status", -1));
    assert_non_null(at(f, "HOST-LSM", "/etc/docker/daemon.json", 12));
    assert_true(says(at(f, "HOST-LSM", "/sys/module/apparmor/parameters/enabled", -1), "neither"));
    /* SELinux enforcing, daemon without selinux-enabled: containers unconfined */
    f->h.nsettings--;
    f->h.lsm.seccomp_available = 1;
    f->h.lsm.selinux_enforcing = 1;
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 1);
    assert_true(says(at(f, "HOST-LSM", "/etc/docker/daemon.json", 0), "selinux-enabled"));
    json(f, "selinux-enabled", "true", 13);
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 0);
    /* unknown (no /sys under --root): no guess */
    f->h.lsm.apparmor_enabled = -1;
    f->h.lsm.selinux_enforcing = -1;
    f->h.lsm.seccomp_available = -1;
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 0);
    /* docker-default missing while dockerd runs */
    f->h.lsm.apparmor_enabled = 1;
    f->h.lsm.apparmor_docker_default = 0;
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 0);
    setting(f, "data-root", "/var/lib/docker", BH_HS_ARGV, "/proc/9/cmdline", 0, "--data-root");
    run(f);
    assert_int_equal(count(f, "HOST-LSM"), 1);
}

static void icc_authz(void **state)
{
    struct fix *f = *state;

    hardened(f);
    f->h.settings[1].value = "true";
    f->h.settings[3].key = "x-authorization-plugins";
    run(f);
    assert_non_null(at(f, "HOST-ICC", "/etc/docker/daemon.json", 3));
    assert_non_null(at(f, "HOST-AUTHZ", "/etc/docker/daemon.json", 0));
    json(f, "bridge", "none", 20);
    run(f);
    assert_int_equal(count(f, "HOST-ICC"), 0);
    setting(f, "authorization-plugins", "authz-broker", BH_HS_ARGV, "/proc/9/cmdline", 0,
            "--authorization-plugin");
    run(f);
    assert_int_equal(count(f, "HOST-AUTHZ"), 0);
}

static void audit(void **state)
{
    static const char *all[] = {"/usr/bin/dockerd",     "/var/lib/docker",
                                "/etc/docker",          "/lib/systemd/system/docker.service",
                                "/var/run/docker.sock", "/usr/bin/containerd",
                                "/run/containerd",      "/usr/sbin/runc"};
    struct fix *f = *state;
    struct bh_loc locs[8];
    size_t i;

    hardened(f);
    f->h.audit_rules_found = false;
    f->h.naudit = 0;
    run(f);
    assert_non_null(at(f, "HOST-AUDIT", "/etc/audit/rules.d", 0));
    f->h.audit_rules_found = true;
    for (i = 0; i < 8; i++)
        locs[i] = L("/etc/audit/rules.d/docker.rules", (int)i + 1, NULL);
    f->h.audit_watches = all;
    f->h.audit_locs = locs;
    f->h.naudit = 8;
    run(f);
    assert_int_equal(count(f, "HOST-AUDIT"), 0);
    f->h.naudit = 3;
    run(f);
    assert_int_equal(count(f, "HOST-AUDIT"), 1);
    assert_true(says(at(f, "HOST-AUDIT", "/etc/audit/rules.d/docker.rules", 0),
                     "docker.service; /run/docker.sock; containerd; /run/containerd; runc"));
    /* /etc/dockerd-data is not under /etc/docker */
    all[2] = "/etc/dockerd";
    f->h.naudit = 8;
    run(f);
    assert_true(says(at(f, "HOST-AUDIT", "/etc/audit/rules.d/docker.rules", 0), "/etc/docker"));
    all[2] = "/etc/docker";
}

static void insecure_registries(void **state)
{
    struct fix *f = *state;

    hardened(f);
    json(f, "insecure-registries", "127.0.0.0/8", 20);
    json(f, "insecure-registries", "localhost:5000", 21);
    json(f, "insecure-registries", "[::1]:5000", 22);
    json(f, "insecure-registries", "127.0.0.1:5000", 23);
    run(f);
    assert_int_equal(count(f, "HOST-INSECREG"), 0);
    json(f, "insecure-registries", "10.0.0.0/8", 24);
    json(f, "insecure-registries", "registry.internal:5000", 25);
    json(f, "insecure-registries", "0.0.0.0/0", 26);
    setting(f, "insecure-registries", "reg.lan", BH_HS_ARGV, "/proc/9/cmdline", 0,
            "--insecure-registry");
    setting(f, "podman.registries.insecure", "quay.lan", BH_HS_PODMAN,
            "/etc/containers/registries.conf", 7, "registry[0].insecure");
    run(f);
    assert_int_equal(count(f, "HOST-INSECREG"), 5);
    assert_true(says(at(f, "HOST-INSECREG", "/etc/docker/daemon.json", 24), "16777216"));
    assert_true(says(at(f, "HOST-INSECREG", "/etc/docker/daemon.json", 26), "every IPv4"));
    assert_non_null(at(f, "HOST-INSECREG", "/etc/containers/registries.conf", 7));
}

static void harden(void **state)
{
    struct fix *f = *state;

    hardened(f);
    f->h.settings[6].value = "debug";
    json(f, "iptables", "false", 20);
    json(f, "storage-driver", "aufs", 21);
    json(f, "experimental", "true", 22);
    f->h.settings[4].value = "false"; /* live-restore */
    f->h.settings[5].key = "x-userland-proxy";
    run(f);
    assert_int_equal(count(f, "HOST-HARDEN"), 6);
    assert_non_null(at(f, "HOST-HARDEN", "/etc/docker/daemon.json", 8));
    assert_non_null(at(f, "HOST-HARDEN", "/etc/docker/daemon.json", 6));
    assert_non_null(at(f, "HOST-HARDEN", "/etc/docker/daemon.json", 0));
    assert_non_null(at(f, "HOST-HARDEN", "/etc/docker/daemon.json", 21));
}

static void versions(void **state)
{
    struct fix *f = *state;

    hardened(f);
    os(f, "debian", "12");
    /* Debian 12's runc before the backport: only the backport row decides */
    comp(f, "runc", "runc", "1.1.5+ds1-1");
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 1);
    assert_true(says(at(f, "HOST-VERSION", "/var/lib/dpkg/status", -1), "1.1.5+ds1-1+deb12u1"));
    /* the backport: upstream 1.1.5 < 1.1.12, fixed all the same */
    f->h.components[0].version = "1.1.5+ds1-1+deb12u1";
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 0);
    /* the same package on another release has no backport row: upstream decides */
    os(f, "ubuntu", "22.04");
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 1);
    assert_true(says(at(f, "HOST-VERSION", "/var/lib/dpkg/status", -1), "CVE-2024-21626"));
    /* rc versions: 1.0.0~rc6 is before the CVE-2019-5736 fix */
    f->h.components[0].version = "1.0.0~rc6+dfsg1-3";
    run(f);
    assert_true(says(at(f, "HOST-VERSION", "/var/lib/dpkg/status", -1), "CVE-2019-5736"));
    f->h.ncomponents = 0;
    os(f, "debian", "12");
    /* docker-ce from Docker's repository on Debian: upstream branches */
    comp(f, "docker", "docker-ce", "5:27.1.0-1~debian.12~bookworm");
    comp(f, "containerd", "containerd.io", "1.4.2-1");
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 2);
    f->h.components[0].version = "5:27.1.1-1~debian.12~bookworm";
    f->h.components[1].version = "1.4.3-1";
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 0);
    f->h.components[0].version = "5:24.0.7-1~debian.12~bookworm"; /* 24.x never got the fix */
    f->h.components[1].version = "1.3.10-1";
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 1);
    assert_true(says(at(f, "HOST-VERSION", "/var/lib/dpkg/status", 10), "25.0.6"));
    /* Debian's docker.io with a repack suffix */
    f->h.components[0].package = "docker.io";
    f->h.components[0].version = "20.10.24+dfsg1-1+deb12u1";
    run(f);
    assert_int_equal(count(f, "HOST-VERSION"), 1);
}

static void content_trust(void **state)
{
    static const char *const off[] = {"0", "false", "False", "f", "", NULL};
    static const char *const on[] = {"1", "true", "yes", "TRUE", NULL};
    struct fix *f = *state;
    size_t i;

    hardened(f);
    for (i = 0; off[i]; i++) {
        f->h.content_trust = off[i];
        run(f);
        assert_non_null(at(f, "REF-TRUST", "/etc/environment", 2));
    }
    /* the Docker CLI enables trust for any value that is not a parseable false */
    for (i = 0; on[i]; i++) {
        f->h.content_trust = on[i];
        run(f);
        assert_int_equal(count(f, "REF-TRUST"), 0);
    }
    f->h.content_trust = NULL;
    run(f);
    assert_non_null(at(f, "REF-TRUST", "/etc/environment", 0));
    f->h.content_trust = "1";
    setting(f, "podman.policy.default", "insecureAcceptAnything", BH_HS_PODMAN,
            "/etc/containers/policy.json", 3, "default[0].type");
    run(f);
    assert_int_equal(count(f, "REF-TRUST"), 1);
    assert_non_null(at(f, "REF-TRUST", "/etc/containers/policy.json", 3));
}

static void podman_only_host(void **state)
{
    struct fix *f = *state;

    /* Podman alone: no dockerd rules (USERNS, ICC, AUTHZ, HARDEN, DCT) */
    setting(f, "podman.policy.default", "reject", BH_HS_PODMAN, "/etc/containers/policy.json", 3,
            "default[0].type");
    f->h.lsm.apparmor_enabled = 1;
    f->h.lsm.seccomp_available = 1;
    f->h.audit_rules_found = true;
    run(f);
    if (f->out.n)
        fail_msg("unexpected %s: %s", f->out.v[0].rule, f->out.v[0].message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hardened_host_is_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(no_engine_no_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(tls_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(tls_without_tlsverify, setup, teardown),
        cmocka_unit_test_setup_teardown(hosts_in_json_and_argv, setup, teardown),
        cmocka_unit_test_setup_teardown(socket_unit_listen_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(listeners, setup, teardown),
        cmocka_unit_test_setup_teardown(socket_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(socket_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(docker_group, setup, teardown),
        cmocka_unit_test_setup_teardown(file_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(userns, setup, teardown),
        cmocka_unit_test_setup_teardown(lsm, setup, teardown),
        cmocka_unit_test_setup_teardown(icc_authz, setup, teardown),
        cmocka_unit_test_setup_teardown(audit, setup, teardown),
        cmocka_unit_test_setup_teardown(insecure_registries, setup, teardown),
        cmocka_unit_test_setup_teardown(harden, setup, teardown),
        cmocka_unit_test_setup_teardown(versions, setup, teardown),
        cmocka_unit_test_setup_teardown(content_trust, setup, teardown),
        cmocka_unit_test_setup_teardown(podman_only_host, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
