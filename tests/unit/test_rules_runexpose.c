/*
 * test_rules_runexpose.c - the runtime rules of runexpose.c and the runtime
 * side of REF-*, IMG-SECRET-ENV, IMG-SSHD, RUN-SENSMOUNT and RUN-SOCK, over
 * runspecs built by hand (no reader involved): the same settings give the
 * same finding whether a compose file, a manifest or a docker run line said so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "model/finding.h"
#include "model/norm.h"
#include "model/policy.h"
#include "model/runspec.h"
#include "rules/rule.h"

#include <string.h>

#define DIGEST "@sha256:0d8f3e4ed7dc7d9a12c1ea4db0d3f6dcc18d2c1d19b2a5f4c3b1a09fb6bb6b2e"

static const char *const kinds[] = {"compose", "kubernetes", "cli"};

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_runset set;
    struct bh_findings out;
    int line; /* next line number handed to a field */
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

static struct bh_loc at(struct fix *f)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = "in.yaml";
    l.line = ++f->line;
    l.col = 3;
    return l;
}

/* A fresh container of the given source kind; every other field unset, like a reader leaves it. */
static struct bh_runspec *spec(struct fix *f, const char *kind)
{
    struct bh_runspec *rs = BH_PUSH(&f->a, f->set.specs, f->set.nspecs, f->set.specs_cap);

    assert_non_null(rs);
    rs->source_kind = kind;
    rs->name = "app";
    rs->owner = strcmp(kind, "kubernetes") == 0 ? "Deployment/web" : NULL;
    rs->loc = at(f);
    rs->privileged.v = rs->run_as_non_root.v = rs->host_pid.v = rs->host_ipc.v = BH_UNSET;
    rs->host_network.v = rs->host_users.v = rs->share_process_namespace.v = BH_UNSET;
    rs->allow_privilege_escalation.v = rs->read_only_rootfs.v = BH_UNSET;
    rs->automount_sa_token.v = rs->host_process.v = BH_UNSET;
    /* most tests look at one thing: give the settings that other rules want */
    rs->image.v = "registry.example.com/app:1.2.3" DIGEST;
    rs->image.loc = at(f);
    return rs;
}

static void set_str(struct fix *f, struct bh_rs_str *s, const char *v)
{
    s->v = v;
    s->loc = at(f);
}

static void add_str(struct fix *f, struct bh_rs_list *l, const char *v)
{
    struct bh_rs_str *s = BH_PUSH(&f->a, l->v, l->n, l->cap);

    assert_non_null(s);
    set_str(f, s, v);
}

/* A port the way readers fill one: through N5 for short syntax. */
static struct bh_port *port(struct fix *f, struct bh_runspec *rs, const char *text)
{
    struct bh_port *p = BH_PUSH(&f->a, rs->ports, rs->nports, rs->ports_cap);

    assert_non_null(p);
    assert_int_equal(bh_norm_port(&f->a, text, p), 0);
    p->loc = at(f);
    return p;
}

/* A K8s container port: containerPort and optional hostPort / hostIP. */
static struct bh_port *kport(struct fix *f, struct bh_runspec *rs, unsigned cont, unsigned host,
                             const char *host_ip)
{
    struct bh_port *p = BH_PUSH(&f->a, rs->ports, rs->nports, rs->ports_cap);

    assert_non_null(p);
    p->cont_lo = p->cont_hi = cont;
    p->host_lo = p->host_hi = host;
    p->host_ip = host_ip;
    p->published = host != 0;
    p->proto = "tcp";
    p->loc = at(f);
    return p;
}

/* A short-syntax volume (`-v`, compose `volumes:`) through N4. */
static struct bh_mount *vol(struct fix *f, struct bh_runspec *rs, const char *text)
{
    struct bh_mount *m = BH_PUSH(&f->a, rs->mounts, rs->nmounts, rs->mounts_cap);

    assert_non_null(m);
    assert_int_equal(bh_norm_volume(&f->a, text, m), 0);
    m->loc = at(f);
    return m;
}

static struct bh_mount *hostpath(struct fix *f, struct bh_runspec *rs, const char *path,
                                 const char *target, bool ro)
{
    struct bh_mount *m = BH_PUSH(&f->a, rs->mounts, rs->nmounts, rs->mounts_cap);

    assert_non_null(m);
    m->kind = BH_MOUNT_HOSTPATH;
    m->source_raw = path;
    m->source = bh_norm_path(&f->a, path);
    m->target = target;
    m->read_only = ro;
    m->loc = at(f);
    return m;
}

static void reset(struct fix *f)
{
    memset(&f->set, 0, sizeof(f->set));
    memset(&f->out, 0, sizeof(f->out));
}

/* Run every rule over every container of the set, and the set-level checks. */
static void run(struct fix *f)
{
    size_t k;

    memset(&f->out, 0, sizeof(f->out));
    f->set.file = "in.yaml";
    for (k = 0; k < f->set.nspecs; k++)
        bh_rules_check_spec(&f->a, &f->p, &f->set, k, &f->out);
    bh_rules_check_runset(&f->a, &f->p, &f->set, &f->out);
}

static size_t count(const struct fix *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += strcmp(f->out.v[i].rule, rule) == 0;
    return n;
}

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

/* The i-th finding of rule, in report order. */
static const struct bh_finding *nth(const struct fix *f, const char *rule, size_t i)
{
    size_t k;

    for (k = 0; k < f->out.n; k++) {
        if (strcmp(f->out.v[k].rule, rule) == 0 && i-- == 0)
            return &f->out.v[k];
    }
    fail_msg("no finding %zu of %s", i, rule);
    return NULL;
}

static bool has(const struct bh_finding *x, const char *text)
{
    return strstr(x->message, text) != NULL;
}

/* ------------------------------------------------------------------ tests */

/* One check, three sources: compose, K8s and CLI runspecs with the same setting agree. */
static void same_finding_for_every_source(void **state)
{
    struct fix *f = *state;
    const char *msgs[3][4];
    size_t k;

    for (k = 0; k < 3; k++) {
        struct bh_runspec *rs;
        struct bh_port *p;
        struct bh_mount *m;

        reset(f);
        rs = spec(f, kinds[k]);
        p = port(f, rs, "0.0.0.0:8080:80");
        m = vol(f, rs, "/var/run/docker.sock:/var/run/docker.sock:ro");
        set_str(f, &rs->user, "0:0");
        add_str(f, &rs->env, "DOCKER_HOST=tcp://10.0.0.5:2375");
        run(f);
        assert_int_equal(one(f, "RUN-PORTS-ALL")->loc.line, p->loc.line);
        assert_int_equal(one(f, "RUN-PORTS-ALL")->severity, BH_SEV_MEDIUM);
        assert_int_equal(one(f, "RUN-SOCK")->loc.line, m->loc.line);
        assert_int_equal(one(f, "RUN-SOCK")->severity, BH_SEV_CRITICAL);
        assert_int_equal(one(f, "RUN-ROOT")->loc.line, rs->user.loc.line);
        assert_int_equal(one(f, "RUN-ROOTGROUP")->loc.line, rs->user.loc.line);
        assert_int_equal(one(f, "RUN-SOCK-ENV")->severity, BH_SEV_HIGH);
        msgs[k][0] = one(f, "RUN-PORTS-ALL")->message;
        msgs[k][1] = one(f, "RUN-SOCK")->message;
        msgs[k][2] = one(f, "RUN-ROOT")->message;
        msgs[k][3] = one(f, "RUN-SOCK-ENV")->message;
    }
    for (k = 0; k < 4; k++) {
        assert_string_equal(msgs[0][k], msgs[1][k]);
        assert_string_equal(msgs[0][k], msgs[2][k]);
    }
    assert_non_null(strstr(msgs[0][0], "'0.0.0.0:8080:80'"));
    assert_non_null(strstr(msgs[0][1], "/var/run/docker.sock"));
    assert_non_null(strstr(msgs[0][2], "'0:0'"));
}

static void ports_all_addresses(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    const struct bh_finding *x;

    reset(f);
    rs = spec(f, "compose");
    port(f, rs, "127.0.0.1:8080:80");
    port(f, rs, "[::1]:8081:80");
    port(f, rs, "192.168.1.10:8082:80");
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 0);

    reset(f);
    rs = spec(f, "compose");
    port(f, rs, "[::]:8080:80");
    run(f);
    assert_true(has(one(f, "RUN-PORTS-ALL"), "'::'"));

    reset(f);
    rs = spec(f, "cli");
    port(f, rs, "80");
    run(f);
    x = one(f, "RUN-PORTS-ALL");
    assert_true(has(x, "random host port"));
    assert_int_equal(x->severity, BH_SEV_MEDIUM);

    /* databases and the engine API are high */
    reset(f);
    rs = spec(f, "compose");
    port(f, rs, "5432:5432");
    port(f, rs, "2375:2375");
    port(f, rs, "127.0.0.1:6379:6379");
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 2);
    assert_int_equal(nth(f, "RUN-PORTS-ALL", 0)->severity, BH_SEV_HIGH);
    assert_true(has(nth(f, "RUN-PORTS-ALL", 0), "PostgreSQL"));

    /* a range that covers 22 */
    reset(f);
    rs = spec(f, "cli");
    port(f, rs, "2200-2300:20-120");
    run(f);
    assert_int_equal(one(f, "RUN-PORTS-ALL")->severity, BH_SEV_HIGH);
}

static void ports_ingress_publish_all_base60(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    struct bh_port *p;
    size_t i, lows = 0, highs = 0;

    reset(f);
    rs = spec(f, "compose");
    p = port(f, rs, "10.0.0.1:8080:80");
    p->ingress = true;
    run(f);
    assert_true(has(one(f, "RUN-PORTS-ALL"), "ingress"));

    reset(f);
    rs = spec(f, "cli");
    rs->publish_all = true;
    rs->publish_all_loc = at(f);
    run(f);
    assert_int_equal(one(f, "RUN-PORTS-ALL")->loc.line, rs->publish_all_loc.line);

    /* base-60: a low note of its own, and the exposure message says so */
    reset(f);
    rs = spec(f, "compose");
    p = port(f, rs, "22:22");
    p->yaml_base60 = true;
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 2);
    assert_true(has(nth(f, "RUN-PORTS-ALL", 0), "1342") || has(nth(f, "RUN-PORTS-ALL", 1), "1342"));
    for (i = 0; i < f->out.n; i++) {
        if (strcmp(f->out.v[i].rule, "RUN-PORTS-ALL"))
            continue;
        assert_true(has(&f->out.v[i], "base-60"));
        lows += f->out.v[i].severity == BH_SEV_LOW;
        highs += f->out.v[i].severity == BH_SEV_HIGH;
    }
    assert_int_equal(lows, 1);
    assert_int_equal(highs, 1);

    /* a base-60 item bound to loopback: only the note */
    reset(f);
    rs = spec(f, "compose");
    p = port(f, rs, "127.0.0.1:8080:80");
    p->yaml_base60 = true;
    run(f);
    assert_int_equal(one(f, "RUN-PORTS-ALL")->severity, BH_SEV_LOW);
}

static struct bh_service *service(struct fix *f, const char *type)
{
    struct bh_service *s = BH_PUSH(&f->a, f->set.services, f->set.nservices, f->set.services_cap);

    assert_non_null(s);
    s->name = "Service/web";
    s->loc = at(f);
    if (type)
        set_str(f, &s->type, type);
    return s;
}

static void ports_services(void **state)
{
    struct fix *f = *state;
    struct bh_service *s;
    struct bh_port *p;

    reset(f);
    service(f, NULL);
    service(f, "ClusterIP");
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 0);

    reset(f);
    s = service(f, "NodePort");
    run(f);
    assert_int_equal(one(f, "RUN-PORTS-ALL")->loc.line, s->type.loc.line);
    assert_int_equal(one(f, "RUN-PORTS-ALL")->severity, BH_SEV_MEDIUM);

    reset(f);
    s = service(f, "LoadBalancer");
    p = BH_PUSH(&f->a, s->ports, s->nports, s->ports_cap);
    p->cont_lo = p->cont_hi = 6379;
    add_str(f, &s->external_ips, "203.0.113.7");
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 2);
    assert_int_equal(nth(f, "RUN-PORTS-ALL", 0)->severity, BH_SEV_HIGH);
    assert_null(nth(f, "RUN-PORTS-ALL", 0)->suppressed_kind);

    /* the Service's own bulkhead.dev/ignore annotation */
    s->ignore_ids = "RUN-PORTS-PRIV, RUN-PORTS-ALL";
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 2);
    assert_string_equal(nth(f, "RUN-PORTS-ALL", 0)->suppressed_kind, "annotation");
}

static void ports_priv(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    port(f, rs, "127.0.0.1:80:8080");
    port(f, rs, "8443:443");
    port(f, rs, "80"); /* random host port */
    run(f);
    assert_true(has(one(f, "RUN-PORTS-PRIV"), "host port 80"));

    reset(f);
    rs = spec(f, "kubernetes");
    kport(f, rs, 80, 0, NULL);
    kport(f, rs, 8080, 0, NULL);
    run(f);
    assert_true(has(one(f, "RUN-PORTS-PRIV"), "containerPort 80"));

    /* a compose container port below 1024 behind a high host port is fine */
    reset(f);
    rs = spec(f, "cli");
    port(f, rs, "8080:80");
    run(f);
    assert_int_equal(count(f, "RUN-PORTS-PRIV"), 0);
}

static void root_users(void **state)
{
    struct fix *f = *state;
    const char *roots[] = {"0", "0:0", "root", "root:root", "00", "0:1000"};
    const char *fine[] = {"1000", "1000:1000", "app", "${UID}", "ROOT"};
    size_t i;

    for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        reset(f);
        set_str(f, &spec(f, "compose")->user, roots[i]);
        run(f);
        assert_int_equal(one(f, "RUN-ROOT")->severity, BH_SEV_HIGH);
    }
    for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        reset(f);
        set_str(f, &spec(f, "cli")->user, fine[i]);
        run(f);
        assert_int_equal(count(f, "RUN-ROOT"), 0);
    }
    /* compose and docker run without a user: the image decides (BUILD-USER) */
    reset(f);
    spec(f, "compose");
    spec(f, "cli");
    run(f);
    assert_int_equal(count(f, "RUN-ROOT"), 0);
}

static void root_kubernetes(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    /* nothing set: fires at the container */
    reset(f);
    rs = spec(f, "kubernetes");
    run(f);
    assert_int_equal(one(f, "RUN-ROOT")->loc.line, rs->loc.line);

    reset(f);
    rs = spec(f, "kubernetes");
    rs->run_as_non_root.v = BH_TRUE;
    rs->run_as_non_root.loc = at(f);
    run(f);
    assert_int_equal(count(f, "RUN-ROOT"), 0);

    reset(f);
    set_str(f, &spec(f, "kubernetes")->run_as_user, "1000");
    run(f);
    assert_int_equal(count(f, "RUN-ROOT"), 0);

    /* runAsUser 0 beats runAsNonRoot true (the kubelet would refuse; we report the 0) */
    reset(f);
    rs = spec(f, "kubernetes");
    rs->run_as_non_root.v = BH_TRUE;
    set_str(f, &rs->run_as_user, "0");
    run(f);
    assert_int_equal(one(f, "RUN-ROOT")->loc.line, rs->run_as_user.loc.line);

    /* a user namespace lowers it */
    reset(f);
    rs = spec(f, "kubernetes");
    rs->host_users.v = BH_FALSE;
    run(f);
    assert_int_equal(one(f, "RUN-ROOT")->severity, BH_SEV_LOW);

    /* runAsNonRoot: false is pointed at */
    reset(f);
    rs = spec(f, "kubernetes");
    rs->run_as_non_root.v = BH_FALSE;
    rs->run_as_non_root.loc = at(f);
    run(f);
    assert_int_equal(one(f, "RUN-ROOT")->loc.line, rs->run_as_non_root.loc.line);
}

static void rootgroup_and_pod_level_dedupe(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *a, *b;
    struct bh_loc fs;

    reset(f);
    set_str(f, &spec(f, "cli")->user, "1000:0");
    run(f);
    assert_int_equal(count(f, "RUN-ROOT"), 0);
    assert_int_equal(count(f, "RUN-ROOTGROUP"), 1);

    reset(f);
    a = spec(f, "compose");
    add_str(f, &a->group_add, "root");
    add_str(f, &a->group_add, "audio");
    add_str(f, &a->group_add, "0");
    run(f);
    assert_int_equal(count(f, "RUN-ROOTGROUP"), 2);

    /* fsGroup: 0 at pod level, folded into two containers: one finding */
    reset(f);
    a = spec(f, "kubernetes");
    b = spec(f, "kubernetes");
    fs = at(f);
    add_str(f, &a->group_add, "0");
    add_str(f, &b->group_add, "0");
    a->group_add.v[0].loc = fs;
    b->group_add.v[0].loc = fs;
    a->run_as_group.v = b->run_as_group.v = "0";
    a->run_as_group.loc = b->run_as_group.loc = at(f);
    run(f);
    assert_int_equal(count(f, "RUN-ROOTGROUP"), 2);
}

static void sensmount_runtime(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    struct bh_mount *m;

    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "/:/host");
    run(f);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_CRITICAL);

    reset(f);
    rs = spec(f, "cli");
    vol(f, rs, "/etc/:/host/etc:ro");
    run(f);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_HIGH);

    /* component boundaries, and ordinary configuration binds */
    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "/etcd-data:/data");
    vol(f, rs, "/etc/localtime:/etc/localtime:ro");
    vol(f, rs, "/srv/app/config:/config:ro");
    vol(f, rs, "./data:/data");
    vol(f, rs, "pgdata:/var/lib/postgresql/data");
    run(f);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 0);

    /* a parent hands over its children */
    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "/var/lib:/host/lib");
    run(f);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_CRITICAL);
    assert_true(has(one(f, "RUN-SENSMOUNT"), "/var/lib/kubelet"));

    /* spelling and credentials below /etc */
    reset(f);
    rs = spec(f, "kubernetes");
    m = hostpath(f, rs, "/srv/../etc/ssh", "/ssh", true);
    run(f);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_HIGH);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->loc.line, m->loc.line);
    assert_true(has(one(f, "RUN-SENSMOUNT"), "'/etc/ssh'"));

    /* /var is high on its own, critical through /var/lib/kubelet; read-only lowers */
    reset(f);
    rs = spec(f, "kubernetes");
    hostpath(f, rs, "/var", "/host/var", true);
    hostpath(f, rs, "/var/log", "/logs", true);
    run(f);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 2);
    assert_int_equal(nth(f, "RUN-SENSMOUNT", 0)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-SENSMOUNT", 1)->severity, BH_SEV_MEDIUM);

    /* a Windows host's drive root; a directory on it is not a system path */
    reset(f);
    rs = spec(f, "kubernetes");
    hostpath(f, rs, "C:\\", "C:\\host", false);
    hostpath(f, rs, "C:\\data\\app", "C:\\app", false);
    run(f);
    assert_int_equal(one(f, "RUN-SENSMOUNT")->severity, BH_SEV_CRITICAL);

    /* the engine socket is RUN-SOCK's alone */
    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "/var/run/docker.sock:/var/run/docker.sock");
    vol(f, rs, "/var/run:/host/run");
    run(f);
    assert_int_equal(count(f, "RUN-SENSMOUNT"), 0);
    assert_int_equal(count(f, "RUN-SOCK"), 2);
}

static void sock_runtime(void **state)
{
    struct fix *f = *state;
    const char *socks[] = {"/var/run/docker.sock:/var/run/docker.sock",
                           "/run/docker.sock:/var/run/docker.sock",
                           "/run/user/1000/docker.sock:/var/run/docker.sock",
                           "/var/run/docker.sock:/tmp/d.sock:ro",
                           "/run/containerd/containerd.sock:/run/containerd/containerd.sock",
                           "/var/run:/host/run",
                           "/run/user:/host/user",
                           "/:/rootfs:ro",
                           "//./pipe/docker_engine://./pipe/docker_engine"};
    const char *fine[] = {"/var/run/app:/run/app", "/srv/docker.socket.d:/x", "/run/lock:/x"};
    size_t i;

    for (i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
        reset(f);
        vol(f, spec(f, "cli"), socks[i]);
        run(f);
        assert_int_equal(one(f, "RUN-SOCK")->severity, BH_SEV_CRITICAL);
    }
    for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        reset(f);
        vol(f, spec(f, "cli"), fine[i]);
        run(f);
        assert_int_equal(count(f, "RUN-SOCK"), 0);
    }
    /* K8s hostPath of type Socket */
    reset(f);
    hostpath(f, spec(f, "kubernetes"), "/var/run/crio/crio.sock", "/crio.sock", false);
    run(f);
    assert_int_equal(count(f, "RUN-SOCK"), 1);
}

static void sock_policy_allow_list(void **state)
{
    struct fix *f = *state;
    const char *allow[] = {"traefik:*", "portainer/portainer-ce", "ghcr.io/acme/agent:2.1"};
    const struct {
        const char *image;
        bool allowed;
    } cases[] = {
        {"traefik:v3.0", true},
        {"docker.io/library/traefik:v2.11", true},
        {"traefik", true},
        {"portainer/portainer-ce:2.19.4", true},
        {"ghcr.io/acme/agent:2.1", true},
        {"ghcr.io/acme/agent:2.2", false},
        {"evil/traefik:v3.0", false},
        {"traefik-proxy:v3.0", false},
        {"registry.example.com/traefik:v3.0", false},
    };
    size_t i;

    f->p.socket_images = allow;
    f->p.nsocket_images = 3;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bh_runspec *rs;
        const struct bh_finding *x;

        reset(f);
        rs = spec(f, "compose");
        rs->image.v = cases[i].image;
        vol(f, rs, "/var/run/docker.sock:/var/run/docker.sock:ro");
        run(f);
        x = one(f, "RUN-SOCK");
        if (cases[i].allowed) {
            assert_non_null(x->suppressed_kind);
            assert_string_equal(x->suppressed_kind, "policy");
            assert_string_equal(x->suppressed_reason,
                                "allowed by the policy (socket.allowed_images)");
        } else {
            assert_null(x->suppressed_kind);
        }
    }
}

static void enginedir(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "/var/lib/docker:/var/lib/docker");
    vol(f, rs, "/var/lib/docker-data:/data");
    vol(f, rs, "/etc/docker/certs.d:/certs:ro");
    vol(f, rs, "/run/containerd/containerd.sock:/run/containerd/containerd.sock");
    run(f);
    assert_int_equal(count(f, "RUN-ENGINEDIR"), 2);
    assert_int_equal(nth(f, "RUN-ENGINEDIR", 0)->severity, BH_SEV_CRITICAL);

    /* a parent of an engine directory */
    reset(f);
    hostpath(f, spec(f, "kubernetes"), "/var/lib", "/host", false);
    run(f);
    assert_true(has(one(f, "RUN-ENGINEDIR"), "holds the engine directory"));
}

static void hostpath_and_propagation(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    struct bh_mount *m;

    reset(f);
    rs = spec(f, "kubernetes");
    m = hostpath(f, rs, "/data", "/data", false);
    m->hostpath_type = "DirectoryOrCreate";
    m = BH_PUSH(&f->a, rs->mounts, rs->nmounts, rs->mounts_cap);
    m->kind = BH_MOUNT_VOLUME;
    m->source = "config";
    m->target = "/etc/app";
    m->loc = at(f);
    m = BH_PUSH(&f->a, rs->mounts, rs->nmounts, rs->mounts_cap);
    m->kind = BH_MOUNT_OTHER;
    m->source_raw = "share";
    m->source = "nfs";
    m->target = "/share";
    m->propagation = "Bidirectional";
    m->loc = at(f);
    m = BH_PUSH(&f->a, rs->mounts, rs->nmounts, rs->mounts_cap);
    m->kind = BH_MOUNT_OTHER;
    m->source_raw = "undeclared";
    m->target = "/u";
    m->loc = at(f);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTPATH"), 2);
    assert_int_equal(nth(f, "RUN-HOSTPATH", 0)->severity, BH_SEV_MEDIUM);
    assert_true(has(nth(f, "RUN-HOSTPATH", 1), "'share' of type nfs"));
    assert_true(has(one(f, "RUN-PROPAGATION"), "Bidirectional"));

    reset(f);
    rs = spec(f, "compose");
    vol(f, rs, "./data:/data:rshared");
    vol(f, rs, "/srv/x:/x:rslave");
    vol(f, rs, "named:/n");
    run(f);
    assert_int_equal(count(f, "RUN-HOSTPATH"), 2);
    assert_int_equal(nth(f, "RUN-HOSTPATH", 0)->severity, BH_SEV_INFO);
    assert_true(has(one(f, "RUN-PROPAGATION"), "rshared"));
}

static void rwrootfs(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    size_t k;

    for (k = 0; k < 3; k++) {
        reset(f);
        rs = spec(f, kinds[k]);
        run(f);
        assert_int_equal(one(f, "RUN-RWROOTFS")->loc.line, rs->loc.line);

        reset(f);
        rs = spec(f, kinds[k]);
        rs->read_only_rootfs.v = BH_FALSE;
        rs->read_only_rootfs.loc = at(f);
        run(f);
        assert_int_equal(one(f, "RUN-RWROOTFS")->loc.line, rs->read_only_rootfs.loc.line);

        reset(f);
        rs = spec(f, kinds[k]);
        rs->read_only_rootfs.v = BH_TRUE;
        run(f);
        assert_int_equal(count(f, "RUN-RWROOTFS"), 0);
    }
}

static void sock_env(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    add_str(f, &rs->env, "DOCKER_HOST=tcp://host.docker.internal:2375");
    add_str(f, &rs->extra_hosts, "host.docker.internal:host-gateway");
    run(f);
    assert_true(has(one(f, "RUN-SOCK-ENV"), "host-gateway"));

    /* a unix socket counts only when a mount provides it */
    reset(f);
    rs = spec(f, "cli");
    add_str(f, &rs->env, "DOCKER_HOST=unix:///var/run/docker.sock");
    add_str(f, &rs->env, "CONTAINERD_ADDRESS=/run/containerd/containerd.sock");
    run(f);
    assert_int_equal(count(f, "RUN-SOCK-ENV"), 0);
    vol(f, rs, "/var/run/docker.sock:/var/run/docker.sock");
    run(f);
    assert_int_equal(one(f, "RUN-SOCK-ENV")->severity, BH_SEV_MEDIUM);

    /* references and other names */
    reset(f);
    rs = spec(f, "kubernetes");
    add_str(f, &rs->env, "DOCKER_HOST=${ENGINE}");
    add_str(f, &rs->env, "MY_DOCKER_HOST=tcp://x:2375");
    add_str(f, &rs->env, "DOCKER_HOST");
    run(f);
    assert_int_equal(count(f, "RUN-SOCK-ENV"), 0);
}

static void satoken(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *a, *b;
    struct bh_mount *m;

    /* unset: once per pod, at its first container */
    reset(f);
    a = spec(f, "kubernetes");
    b = spec(f, "kubernetes");
    b->container_role = "initContainer";
    run(f);
    assert_int_equal(one(f, "K8S-SATOKEN")->loc.line, a->loc.line);

    /* explicit true, folded into both containers: once */
    a->automount_sa_token.v = b->automount_sa_token.v = BH_TRUE;
    a->automount_sa_token.loc = b->automount_sa_token.loc = at(f);
    run(f);
    assert_int_equal(one(f, "K8S-SATOKEN")->loc.line, a->automount_sa_token.loc.line);

    reset(f);
    a = spec(f, "kubernetes");
    a->automount_sa_token.v = BH_FALSE;
    run(f);
    assert_int_equal(count(f, "K8S-SATOKEN"), 0);
    /* a token mounted by hand still counts */
    m = BH_PUSH(&f->a, a->mounts, a->nmounts, a->mounts_cap);
    m->kind = BH_MOUNT_VOLUME;
    m->source = "token";
    m->target = "/var/run/secrets/kubernetes.io/serviceaccount";
    m->loc = at(f);
    run(f);
    assert_int_equal(one(f, "K8S-SATOKEN")->loc.line, m->loc.line);

    /* not a Kubernetes thing */
    reset(f);
    spec(f, "compose");
    run(f);
    assert_int_equal(count(f, "K8S-SATOKEN"), 0);
}

static void hostport_probehost(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    struct bh_probe_host *h;

    reset(f);
    rs = spec(f, "kubernetes");
    kport(f, rs, 8080, 0, NULL);
    kport(f, rs, 8080, 8080, NULL);
    kport(f, rs, 9090, 9090, "10.0.0.4");
    run(f);
    assert_int_equal(count(f, "K8S-HOSTPORT"), 2);
    assert_int_equal(count(f, "RUN-PORTS-ALL"), 1); /* hostIP narrows the exposure */
    assert_int_equal(count(f, "K8S-PROBEHOST"), 0);

    h = BH_PUSH(&f->a, rs->probe_hosts, rs->nprobe_hosts, rs->probe_hosts_cap);
    h->host = "169.254.169.254";
    h->loc = at(f);
    run(f);
    assert_int_equal(one(f, "K8S-PROBEHOST")->loc.line, h->loc.line);
}

static void pullpolicy(void **state)
{
    struct fix *f = *state;
    const struct {
        const char *image, *policy;
        bool fires;
    } cases[] = {
        {"nginx:1.25", NULL, true},
        {"nginx:1.25", "IfNotPresent", true},
        {"nginx:1.25", "Never", true},
        {"nginx:1.25", "Always", false},
        {"nginx", NULL, false},
        {"nginx:latest", "IfNotPresent", true},
        {"nginx:1.25" DIGEST, NULL, false},
        {"nginx:${TAG}", NULL, false},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bh_runspec *rs;

        reset(f);
        rs = spec(f, "kubernetes");
        rs->image.v = cases[i].image;
        if (cases[i].policy)
            set_str(f, &rs->pull_policy, cases[i].policy);
        run(f);
        assert_int_equal(count(f, "K8S-PULLPOLICY"), cases[i].fires ? 1 : 0);
    }
}

static void limits(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    run(f);
    assert_true(has(one(f, "OTH-LIMITS"), "memory, CPU or PIDs"));
    assert_int_equal(one(f, "OTH-LIMITS")->loc.line, rs->loc.line);

    reset(f);
    spec(f, "kubernetes");
    run(f);
    assert_true(has(one(f, "OTH-LIMITS"), "memory or CPU"));

    reset(f);
    rs = spec(f, "cli");
    set_str(f, &rs->mem_limit, "512m");
    set_str(f, &rs->cpu_limit, "1.5");
    set_str(f, &rs->pids_limit, "-1");
    run(f);
    assert_true(has(one(f, "OTH-LIMITS"), "no PIDs limit"));
    set_str(f, &rs->pids_limit, "200");
    run(f);
    assert_int_equal(count(f, "OTH-LIMITS"), 0);
}

static void refs_runtime(void **state)
{
    struct fix *f = *state;
    const char *trusted[] = {"registry.example.com"};
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    rs->image.v = "app:latest"; /* `app:${TAG:-latest}` after interpolation */
    run(f);
    assert_int_equal(one(f, "REF-LATEST")->loc.line, rs->image.loc.line);
    assert_true(has(one(f, "REF-DIGEST"), "'latest'"));
    assert_int_equal(count(f, "REF-REGISTRY"), 0); /* no trusted list: nothing to enforce */

    reset(f);
    rs = spec(f, "compose");
    rs->image.v = "app:${TAG}";
    run(f);
    assert_int_equal(count(f, "REF-LATEST") + count(f, "REF-DIGEST"), 0);

    f->p.trusted_registries = trusted;
    f->p.ntrusted_registries = 1;
    reset(f);
    spec(f, "kubernetes")->image.v = "nginx:1.25";
    spec(f, "kubernetes");
    run(f);
    assert_true(has(one(f, "REF-REGISTRY"), "docker.io"));
    assert_int_equal(count(f, "REF-LATEST"), 0);
    assert_int_equal(count(f, "REF-DIGEST"), 1);
}

static void secret_env_runtime(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    add_str(f, &rs->env, "POSTGRES_PASSWORD=correct-horse-battery");
    add_str(f, &rs->env, "GH=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB");
    add_str(f, &rs->env, "API_TOKEN=${API_TOKEN}");
    add_str(f, &rs->env, "GPG_KEY=0x1234567890ABCDEF");
    add_str(f, &rs->env, "AWS_ACCESS_KEY_ID_FILE=/run/secrets/aws");
    add_str(f, &rs->env, "DB_PASSWORD");
    add_str(f, &rs->env, "LOG_LEVEL=debug");
    run(f);
    assert_int_equal(count(f, "IMG-SECRET-ENV"), 2);
    assert_int_equal(nth(f, "IMG-SECRET-ENV", 0)->loc.line, rs->env.v[0].loc.line);
    assert_true(has(nth(f, "IMG-SECRET-ENV", 0), "corr****"));
    assert_false(has(nth(f, "IMG-SECRET-ENV", 0), "horse"));
    assert_true(has(nth(f, "IMG-SECRET-ENV", 1), "GitHub token"));
}

static void sshd_runtime(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose");
    port(f, rs, "2222:22");
    run(f);
    assert_true(has(one(f, "IMG-SSHD"), "host port 2222"));

    reset(f);
    rs = spec(f, "kubernetes");
    kport(f, rs, 22, 0, NULL);
    run(f);
    assert_int_equal(one(f, "IMG-SSHD")->loc.line, rs->ports[0].loc.line);

    reset(f);
    rs = spec(f, "cli");
    port(f, rs, "2222:2222");
    port(f, rs, "5353:22/udp");
    run(f);
    assert_int_equal(count(f, "IMG-SSHD"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_finding_for_every_source, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_all_addresses, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_ingress_publish_all_base60, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_services, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_priv, setup, teardown),
        cmocka_unit_test_setup_teardown(root_users, setup, teardown),
        cmocka_unit_test_setup_teardown(root_kubernetes, setup, teardown),
        cmocka_unit_test_setup_teardown(rootgroup_and_pod_level_dedupe, setup, teardown),
        cmocka_unit_test_setup_teardown(sensmount_runtime, setup, teardown),
        cmocka_unit_test_setup_teardown(sock_runtime, setup, teardown),
        cmocka_unit_test_setup_teardown(sock_policy_allow_list, setup, teardown),
        cmocka_unit_test_setup_teardown(enginedir, setup, teardown),
        cmocka_unit_test_setup_teardown(hostpath_and_propagation, setup, teardown),
        cmocka_unit_test_setup_teardown(rwrootfs, setup, teardown),
        cmocka_unit_test_setup_teardown(sock_env, setup, teardown),
        cmocka_unit_test_setup_teardown(satoken, setup, teardown),
        cmocka_unit_test_setup_teardown(hostport_probehost, setup, teardown),
        cmocka_unit_test_setup_teardown(pullpolicy, setup, teardown),
        cmocka_unit_test_setup_teardown(limits, setup, teardown),
        cmocka_unit_test_setup_teardown(refs_runtime, setup, teardown),
        cmocka_unit_test_setup_teardown(secret_env_runtime, setup, teardown),
        cmocka_unit_test_setup_teardown(sshd_runtime, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
