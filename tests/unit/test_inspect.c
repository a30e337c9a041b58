/*
 * test_inspect.c - the engine's inspect documents and state directory read into
 * struct bh_container / bh_runspec (input/engine/inspect.c, statedir.c). The fixtures
 * under tests/fixtures/engine/ were captured from a real dockerd 20.10 (docker inspect
 * output, and containers/ID/{config.v2.json,hostconfig.json} renamed to c-NAME/): each
 * container was created with one known setting, asserted here field by field and through
 * the RUN-* rules. Hand-written documents cover the edges the engine did not produce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/engine.h"
#include "input/files.h"
#include "input/json.h"
#include "model/finding.h"
#include "rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX BH_SOURCE_ROOT "/tests/fixtures/engine"

struct tctx {
    struct bh_arena a;
    struct bh_err err;
};

static int setup(void **state)
{
    struct tctx *t = calloc(1, sizeof(*t));

    if (!t)
        return -1;
    bh_arena_init(&t->a, 256u << 20);
    bh_err_init(&t->err);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct tctx *t = *state;

    bh_arena_release(&t->a);
    free(t);
    return 0;
}

static const struct bh_jnode *parse_text(struct tctx *t, const char *text)
{
    struct bh_jnode *root = NULL;

    assert_int_equal(bh_json_parse(&t->a, "t", text, strlen(text), &root, &t->err), 0);
    return root;
}

static const struct bh_jnode *parse_file(struct tctx *t, const char *path)
{
    struct bh_jnode *root = NULL;
    char *text;
    size_t len;

    assert_int_equal(bh_file_read(&t->a, path, 16u << 20, &text, &len, &t->err), 0);
    assert_int_equal(bh_json_parse(&t->a, path, text, len, &root, &t->err), 0);
    return root;
}

/* The captured `docker inspect NAME` into *c; file "container NAME". */
static void load(struct tctx *t, const char *name, struct bh_container *c)
{
    char path[512], where[128];
    const struct bh_jnode *doc;
    int rc;

    snprintf(path, sizeof(path), "%s/inspect/%s.json", FIX, name);
    snprintf(where, sizeof(where), "container %s", name);
    doc = parse_file(t, path);
    rc = bh_engine_inspect(&t->a, bh_arena_strdup(&t->a, where), doc, NULL, c, &t->err);
    if (rc)
        fail_msg("%s: %s", name, t->err.msg);
    assert_string_equal(c->name, name);
    assert_string_equal(c->spec.name, name);
    assert_string_equal(c->spec.source_kind, "inspect");
}

static struct bh_findings run_rules(struct tctx *t, const struct bh_container *c)
{
    struct bh_findings out;

    memset(&out, 0, sizeof(out));
    bh_rules_check_run(&t->a, NULL, &c->spec, &out);
    return out;
}

static size_t count_rule(const struct bh_findings *f, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < f->n; i++)
        n += strcmp(f->v[i].rule, rule) == 0;
    return n;
}

static const struct bh_finding *find_rule(const struct bh_findings *f, const char *rule)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (strcmp(f->v[i].rule, rule) == 0)
            return &f->v[i];
    }
    return NULL;
}

static bool has_str(const struct bh_rs_list *l, const char *v)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (l->v[i].v && strcmp(l->v[i].v, v) == 0)
            return true;
    }
    return false;
}

static void assert_loc(const struct bh_loc *l, const char *file, const char *path)
{
    assert_non_null(l->file);
    assert_string_equal(l->file, file);
    assert_int_equal(l->line, 0);
    if (path) {
        assert_non_null(l->path);
        assert_string_equal(l->path, path);
    } else {
        assert_null(l->path);
    }
}

/* ---- the captured containers ------------------------------------------------------------ */

static void privileged_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "privileged", &c);
    assert_int_equal(c.spec.privileged.v, BH_TRUE);
    assert_loc(&c.spec.privileged.loc, "container privileged", "HostConfig.Privileged");
    assert_loc(&c.loc, "container privileged", NULL);
    assert_int_equal(strlen(c.id), 64);
    assert_true(strncmp(c.image_id, "sha256:", 7) == 0);
    assert_string_equal(c.image_ref, "tiny:test");
    assert_string_equal(c.spec.image.v, "tiny:test");
    assert_loc(&c.spec.image.loc, "container privileged", "Config.Image");
    /* its start failed in the test sandbox: created, never started */
    assert_string_equal(c.state, "created");
    assert_false(c.running);
    assert_null(c.started_at);
    assert_non_null(c.created);
    assert_string_equal(c.network_mode, "default");
    assert_true(c.on_default_bridge);
    /* the engine adds label=disable to privileged containers by itself */
    assert_true(has_str(&c.spec.security_opt, "label=disable"));
    assert_null(c.spec.user.v);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-PRIV"), 1);
    assert_string_equal(find_rule(&f, "RUN-PRIV")->loc.path, "HostConfig.Privileged");
    assert_int_equal(count_rule(&f, "RUN-CAPADD"), 0);
}

static void sock_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "sock", &c);
    assert_int_equal(c.spec.privileged.v, BH_FALSE);
    assert_int_equal(c.spec.nmounts, 1);
    assert_int_equal(c.spec.mounts[0].kind, BH_MOUNT_BIND);
    assert_string_equal(c.spec.mounts[0].source_raw, "/var/run/docker.sock");
    assert_string_equal(c.spec.mounts[0].source, "/run/docker.sock");
    assert_string_equal(c.spec.mounts[0].target, "/run/x.sock");
    assert_false(c.spec.mounts[0].read_only);
    assert_loc(&c.spec.mounts[0].loc, "container sock", "HostConfig.Binds[0]");
    assert_true(c.running);
    assert_string_equal(c.state, "running");
    assert_non_null(c.started_at);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-SOCK"), 1);
    assert_int_equal(count_rule(&f, "RUN-PRIV"), 0);
}

static void hostnet_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "hostnet", &c);
    assert_string_equal(c.spec.network.v, "host");
    assert_loc(&c.spec.network.loc, "container hostnet", "HostConfig.NetworkMode");
    assert_string_equal(c.network_mode, "host");
    assert_false(c.on_default_bridge);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-HOSTNET"), 1);
    assert_int_equal(count_rule(&f, "RUN-HOSTPID"), 0);
}

static void capadd_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "capadd", &c);
    assert_int_equal(c.spec.cap_add.n, 1);
    assert_string_equal(c.spec.cap_add.v[0].v, "sys_admin");
    assert_loc(&c.spec.cap_add.v[0].loc, "container capadd", "HostConfig.CapAdd[0]");
    assert_int_equal(c.spec.cap_drop.n, 0);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-CAPADD"), 1);
    assert_int_equal(find_rule(&f, "RUN-CAPADD")->severity, BH_SEV_CRITICAL);
    assert_int_equal(count_rule(&f, "RUN-CAPDROP"), 1);
    assert_int_equal(count_rule(&f, "RUN-PRIV"), 0);
    /* no user given: the image's, which RUN-ROOT leaves to the image checks */
    assert_int_equal(count_rule(&f, "RUN-ROOT"), 0);
}

static void port_v4_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;
    const struct bh_port *p;

    load(t, "port4", &c);
    assert_int_equal(c.spec.nports, 1);
    p = &c.spec.ports[0];
    assert_string_equal(p->host_ip, "0.0.0.0");
    assert_int_equal(p->host_lo, 8080);
    assert_int_equal(p->cont_lo, 80);
    assert_string_equal(p->proto, "tcp");
    assert_true(p->published);
    assert_string_equal(p->raw, "0.0.0.0:8080:80/tcp");
    assert_loc(&p->loc, "container port4", "HostConfig.PortBindings.80/tcp[0]");
    assert_false(c.spec.publish_all);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-PORTS-ALL"), 1);
    assert_int_equal(count_rule(&f, "RUN-PORTS-PRIV"), 0);
}

static void port_v6_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;
    const struct bh_port *p;

    load(t, "port6", &c);
    assert_int_equal(c.spec.nports, 1);
    p = &c.spec.ports[0];
    assert_string_equal(p->host_ip, "::");
    assert_int_equal(p->host_lo, 8443);
    assert_int_equal(p->cont_lo, 443);
    assert_string_equal(p->raw, "[::]:8443:443/tcp");
    assert_loc(&p->loc, "container port6", "HostConfig.PortBindings.443/tcp[0]");
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-PORTS-ALL"), 1);
}

static void ports_mixed_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;
    size_t i, loopback = 0;

    /* -p 9000:9000 -p 127.0.0.1::82 -p 5353:53/udp */
    load(t, "ports", &c);
    assert_int_equal(c.spec.nports, 3);
    for (i = 0; i < c.spec.nports; i++) {
        const struct bh_port *p = &c.spec.ports[i];

        assert_true(p->published);
        if (p->cont_lo == 82) {
            loopback++;
            assert_string_equal(p->host_ip, "127.0.0.1");
            assert_int_equal(p->host_lo, 0);
        } else if (p->cont_lo == 53) {
            assert_null(p->host_ip);
            assert_int_equal(p->host_lo, 5353);
            assert_string_equal(p->proto, "udp");
        } else {
            assert_int_equal(p->cont_lo, 9000);
            assert_int_equal(p->host_lo, 9000);
            assert_null(p->host_ip);
        }
    }
    assert_int_equal(loopback, 1);
    f = run_rules(t, &c);
    /* the loopback one is not on every interface */
    assert_int_equal(count_rule(&f, "RUN-PORTS-ALL"), 2);
}

static void root_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "root", &c);
    assert_string_equal(c.spec.user.v, "0");
    assert_loc(&c.spec.user.loc, "container root", "Config.User");
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-ROOT"), 1);
}

static void seccomp_container(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "seccomp", &c);
    assert_int_equal(c.spec.security_opt.n, 1);
    assert_string_equal(c.spec.security_opt.v[0].v, "seccomp=unconfined");
    assert_loc(&c.spec.security_opt.v[0].loc, "container seccomp", "HostConfig.SecurityOpt[0]");
    assert_string_equal(c.spec.seccomp.v, "unconfined");
    assert_null(c.spec.apparmor.v);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-SECCOMP"), 1);
    assert_int_equal(count_rule(&f, "RUN-APPARMOR"), 0);
}

static void hardened_container(void **state)
{
    static const char *const none[] = {
        "RUN-PRIV",      "RUN-CAPADD",   "RUN-CAPDROP",  "RUN-HOSTNET",  "RUN-HOSTPID",
        "RUN-HOSTIPC",   "RUN-HOSTUTS",  "RUN-SOCK",     "RUN-ROOT",     "RUN-ROOTGROUP",
        "RUN-NNP",       "RUN-SECCOMP",  "RUN-APPARMOR", "RUN-RWROOTFS", "OTH-LIMITS",
        "RUN-PORTS-ALL", "RUN-HOSTPATH", "RUN-DEVICES",  "RUN-SYSCTL",   "RUN-SOCK-ENV",
    };
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;
    size_t i;

    load(t, "hardened", &c);
    assert_int_equal(c.spec.read_only_rootfs.v, BH_TRUE);
    assert_loc(&c.spec.read_only_rootfs.loc, "container hardened", "HostConfig.ReadonlyRootfs");
    assert_int_equal(c.spec.cap_drop.n, 1);
    assert_string_equal(c.spec.cap_drop.v[0].v, "all");
    assert_true(has_str(&c.spec.security_opt, "no-new-privileges"));
    assert_string_equal(c.spec.user.v, "1000");
    assert_string_equal(c.spec.pids_limit.v, "100");
    assert_loc(&c.spec.pids_limit.loc, "container hardened", "HostConfig.PidsLimit");
    assert_string_equal(c.spec.mem_limit.v, "67108864");  /* -m 64m */
    assert_string_equal(c.spec.cpu_limit.v, "500000000"); /* --cpus 0.5 in NanoCpus */
    assert_loc(&c.spec.cpu_limit.loc, "container hardened", "HostConfig.NanoCpus");
    assert_string_equal(c.spec.network.v, "none");
    assert_false(c.on_default_bridge);
    assert_int_equal(c.spec.nmounts, 0);
    assert_int_equal(c.spec.nports, 0);
    f = run_rules(t, &c);
    for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        if (count_rule(&f, none[i]))
            fail_msg("hardened container got %s: %s", none[i], find_rule(&f, none[i])->message);
    }
}

/* Everything the default containers leave at the engine's defaults stays unset. */
static void defaults_stay_unset(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "capadd", &c);
    assert_null(c.spec.pid.v);
    assert_null(c.spec.uts.v);
    assert_null(c.spec.userns.v);
    assert_int_equal(c.spec.pid.loc.file == NULL, 1);
    assert_int_equal(c.spec.read_only_rootfs.v, BH_UNSET);
    assert_null(c.spec.mem_limit.v);
    assert_null(c.spec.cpu_limit.v);
    assert_null(c.spec.pids_limit.v);
    assert_int_equal(c.spec.env.n, 0);
    assert_int_equal(c.spec.ndevices, 0);
    assert_int_equal(c.spec.gpus.n, 0);
    assert_int_equal(c.spec.sysctls.n, 0);
    assert_int_equal(c.spec.group_add.n, 0);
    assert_int_equal(c.spec.extra_hosts.n, 0);
    assert_false(c.spec.publish_all);
    assert_null(c.spec.publish_all_loc.file);
    /* IpcMode "private" is what the daemon writes; it is kept but shares nothing */
    assert_string_equal(c.spec.ipc.v, "private");
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-HOSTIPC"), 0);
    assert_int_equal(count_rule(&f, "OTH-LIMITS"), 1);
    assert_int_equal(count_rule(&f, "RUN-RWROOTFS"), 1);
}

static const struct bh_mount *mount_at(const struct bh_container *c, const char *target)
{
    size_t i;

    for (i = 0; i < c->spec.nmounts; i++) {
        if (c->spec.mounts[i].target && strcmp(c->spec.mounts[i].target, target) == 0)
            return &c->spec.mounts[i];
    }
    fail_msg("no mount at %s", target);
    return NULL;
}

static void mixed_container(void **state)
{
    static const char *const want[] = {
        "RUN-HOSTPID",  "RUN-HOSTIPC",   "RUN-HOSTUTS",     "RUN-HOSTUSERNS",
        "RUN-APPARMOR", "RUN-SELINUX",   "RUN-PROPAGATION", "RUN-ROOTGROUP",
        "RUN-SOCK-ENV", "RUN-PORTS-ALL", "RUN-DEVICES",     "RUN-SENSMOUNT",
    };
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;
    const struct bh_mount *m;
    size_t i;

    load(t, "mixed", &c);
    assert_int_equal(c.spec.nmounts, 4);
    /* Binds first, then HostConfig.Mounts, then Tmpfs */
    m = mount_at(&c, "/named");
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_string_equal(m->source, "named");
    assert_true(m->read_only);
    assert_loc(&m->loc, "container mixed", "HostConfig.Binds[0]");
    m = mount_at(&c, "/hostetc");
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_string_equal(m->source, "/etc");
    assert_true(m->read_only);
    assert_string_equal(m->propagation, "rshared");
    assert_loc(&m->loc, "container mixed", "HostConfig.Mounts[0]");
    m = mount_at(&c, "/data");
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_string_equal(m->source, "data");
    assert_false(m->read_only);
    assert_null(m->propagation);
    m = mount_at(&c, "/scratch");
    assert_int_equal(m->kind, BH_MOUNT_TMPFS);
    assert_false(m->read_only);
    assert_loc(&m->loc, "container mixed", "HostConfig.Tmpfs./scratch");
    assert_int_equal(c.spec.ndevices, 1);
    assert_string_equal(c.spec.devices[0].host_path, "/dev/fuse");
    assert_string_equal(c.spec.devices[0].cont_path, "/dev/fuse");
    assert_string_equal(c.spec.devices[0].perms, "rwm");
    assert_loc(&c.spec.devices[0].loc, "container mixed", "HostConfig.Devices[0]");
    assert_int_equal(c.spec.device_cgroup_rules.n, 1);
    assert_string_equal(c.spec.device_cgroup_rules.v[0].v, "c 10:229 rwm");
    assert_int_equal(c.spec.sysctls.n, 1);
    assert_string_equal(c.spec.sysctls.v[0].v, "net.ipv4.ip_unprivileged_port_start=0");
    assert_loc(&c.spec.sysctls.v[0].loc, "container mixed",
               "HostConfig.Sysctls.net.ipv4.ip_unprivileged_port_start");
    assert_true(has_str(&c.spec.group_add, "0"));
    assert_true(has_str(&c.spec.env, "DOCKER_HOST=tcp://host.docker.internal:2375"));
    assert_loc(&c.spec.env.v[0].loc, "container mixed", "Config.Env[0]");
    assert_true(has_str(&c.spec.extra_hosts, "host.docker.internal:host-gateway"));
    assert_string_equal(c.spec.pid.v, "host");
    assert_string_equal(c.spec.ipc.v, "host");
    assert_string_equal(c.spec.uts.v, "host");
    assert_string_equal(c.spec.userns.v, "host");
    assert_string_equal(c.spec.cgroupns.v, "host");
    assert_string_equal(c.spec.apparmor.v, "unconfined");
    assert_loc(&c.spec.apparmor.loc, "container mixed", "HostConfig.SecurityOpt[0]");
    assert_true(c.spec.publish_all);
    assert_loc(&c.spec.publish_all_loc, "container mixed", "HostConfig.PublishAllPorts");
    f = run_rules(t, &c);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!count_rule(&f, want[i]))
            fail_msg("mixed container did not get %s", want[i]);
    }
    assert_int_equal(count_rule(&f, "RUN-PRIV"), 0);
    assert_int_equal(count_rule(&f, "RUN-SYSCTL"), 0); /* in the safe set */
}

static void gpus_and_quota_containers(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    struct bh_findings f;

    load(t, "gpus", &c);
    assert_int_equal(c.spec.gpus.n, 1);
    assert_string_equal(c.spec.gpus.v[0].v, "all");
    assert_loc(&c.spec.gpus.v[0].loc, "container gpus", "HostConfig.DeviceRequests[0]");
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-DEVICES"), 1);
    assert_non_null(find_rule(&f, "RUN-DEVICES")->suppressed_kind); /* GPUs: allowed */

    /* --cpu-quota 50000 --memory 128m --pids-limit -1 (no limit) */
    load(t, "quota", &c);
    assert_string_equal(c.spec.cpu_limit.v, "50000");
    assert_loc(&c.spec.cpu_limit.loc, "container quota", "HostConfig.CpuQuota");
    assert_string_equal(c.spec.mem_limit.v, "134217728");
    assert_null(c.spec.pids_limit.v);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "OTH-LIMITS"), 1);
    assert_non_null(strstr(find_rule(&f, "OTH-LIMITS")->message, "no PIDs limit is set"));
}

/* ---- the state directory ---------------------------------------------------------------- */

static const struct bh_container *by_name(const struct bh_engine *e, const char *name)
{
    size_t i;

    for (i = 0; i < e->ncontainers; i++) {
        if (strcmp(e->containers[i].name, name) == 0)
            return &e->containers[i];
    }
    fail_msg("no container %s", name);
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void statedir_reads_every_container(void **state)
{
    static const char *const names[] = {"capadd", "gpus",    "hardened", "hostnet",    "mixed",
                                        "port4",  "port6",   "ports",    "privileged", "quota",
                                        "root",   "seccomp", "sock"};
    struct tctx *t = *state;
    struct bh_engine e;
    struct bh_engine_error *errs = NULL;
    size_t nerrs = 0, i;
    const struct bh_container *c;

    assert_int_equal(bh_engine_read_statedir(&t->a, FIX "/statedir", &e, &errs, &nerrs, &t->err),
                     0);
    assert_int_equal(nerrs, 0);
    assert_true(e.offline);
    assert_string_equal(e.address, FIX "/statedir");
    assert_int_equal(e.nimages, 0);
    assert_int_equal(e.ncontainers, sizeof(names) / sizeof(names[0]));
    for (i = 0; i < e.ncontainers; i++)
        assert_string_equal(e.containers[i].name, names[i]);

    c = by_name(&e, "privileged");
    assert_int_equal(c->spec.privileged.v, BH_TRUE);
    assert_true(ends_with(c->spec.privileged.loc.file, "/c-privileged/hostconfig.json"));
    assert_string_equal(c->spec.privileged.loc.path, "HostConfig.Privileged");
    assert_true(ends_with(c->spec.image.loc.file, "/c-privileged/config.v2.json"));
    assert_true(ends_with(c->loc.file, "/c-privileged/config.v2.json"));
    /* config.v2.json has no State.Status: derived from the flags */
    assert_string_equal(c->state, "created");
    assert_false(c->running);

    c = by_name(&e, "hardened");
    assert_string_equal(c->state, "running");
    assert_true(c->running);
    assert_true(has_str(&c->spec.security_opt, "no-new-privileges"));

    c = by_name(&e, "port6");
    assert_int_equal(c->spec.nports, 1);
    assert_string_equal(c->spec.ports[0].host_ip, "::");
    assert_true(c->on_default_bridge);

    /* a trailing slash on the directory does not double in the paths */
    assert_int_equal(bh_engine_read_statedir(&t->a, FIX "/statedir/", &e, &errs, &nerrs, &t->err),
                     0);
    assert_int_equal(e.ncontainers, sizeof(names) / sizeof(names[0]));
    assert_null(strstr(e.containers[0].loc.file, "//"));
    assert_string_equal(e.containers[0].loc.file,
                        FIX "/statedir/containers/c-capadd/config.v2.json");
}

/* The same container read from the API document and from the state directory agrees. */
static void statedir_matches_inspect(void **state)
{
    static const char *const names[] = {"privileged", "sock",  "hostnet", "capadd",  "port4",
                                        "port6",      "ports", "root",    "seccomp", "hardened",
                                        "mixed",      "gpus",  "quota"};
    struct tctx *t = *state;
    struct bh_engine e;
    struct bh_engine_error *errs = NULL;
    size_t nerrs = 0, i, k;

    assert_int_equal(bh_engine_read_statedir(&t->a, FIX "/statedir", &e, &errs, &nerrs, &t->err),
                     0);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const struct bh_container *s = by_name(&e, names[i]);
        struct bh_container c;
        struct bh_findings fa, fb;

        load(t, names[i], &c);
        assert_string_equal(s->id, c.id);
        assert_string_equal(s->image_id, c.image_id);
        assert_int_equal(s->spec.privileged.v, c.spec.privileged.v);
        assert_int_equal(s->spec.read_only_rootfs.v, c.spec.read_only_rootfs.v);
        assert_int_equal(s->spec.cap_add.n, c.spec.cap_add.n);
        assert_int_equal(s->spec.cap_drop.n, c.spec.cap_drop.n);
        assert_int_equal(s->spec.nmounts, c.spec.nmounts);
        assert_int_equal(s->spec.nports, c.spec.nports);
        assert_int_equal(s->spec.ndevices, c.spec.ndevices);
        assert_int_equal(s->spec.gpus.n, c.spec.gpus.n);
        assert_int_equal(s->on_default_bridge, c.on_default_bridge);
        assert_string_equal(s->state, c.state);
        for (k = 0; k < c.spec.nports; k++)
            assert_string_equal(s->spec.ports[k].raw, c.spec.ports[k].raw);
        /* the same rules fire from either source */
        fa = run_rules(t, s);
        fb = run_rules(t, &c);
        assert_int_equal(fa.n, fb.n);
        for (k = 0; k < fa.n; k++)
            assert_string_equal(fa.v[k].rule, fb.v[k].rule);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static void statedir_errors_per_container(void **state)
{
    struct tctx *t = *state;
    char dir[] = "/tmp/bh-insp-XXXXXX", p[512];
    struct bh_engine e;
    struct bh_engine_error *errs = NULL;
    size_t nerrs = 0, i;
    bool broken = false, nohost = false;

    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/containers", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    /* no containers yet: an empty engine */
    assert_int_equal(bh_engine_read_statedir(&t->a, dir, &e, &errs, &nerrs, &t->err), 0);
    assert_int_equal(e.ncontainers, 0);
    assert_int_equal(nerrs, 0);
    snprintf(p, sizeof(p), "%s/containers/good", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/containers/good/config.v2.json", dir);
    write_file(p, "{\"ID\":\"abc\",\"Name\":\"/good\",\"Config\":{\"Image\":\"x\"},"
                  "\"State\":{\"Running\":false,\"StartedAt\":\"2024-01-01T00:00:00Z\"}}");
    snprintf(p, sizeof(p), "%s/containers/good/hostconfig.json", dir);
    write_file(p, "{\"Privileged\":true}");
    snprintf(p, sizeof(p), "%s/containers/broken", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/containers/broken/config.v2.json", dir);
    write_file(p, "{\"ID\": ");
    snprintf(p, sizeof(p), "%s/containers/broken/hostconfig.json", dir);
    write_file(p, "{}");
    snprintf(p, sizeof(p), "%s/containers/nohost", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/containers/nohost/config.v2.json", dir);
    write_file(p, "{\"ID\":\"def\",\"Name\":\"/nohost\"}");
    snprintf(p, sizeof(p), "%s/containers/stray-file", dir);
    write_file(p, "not a container");

    assert_int_equal(bh_engine_read_statedir(&t->a, dir, &e, &errs, &nerrs, &t->err), 0);
    assert_int_equal(e.ncontainers, 1);
    assert_string_equal(e.containers[0].name, "good");
    assert_string_equal(e.containers[0].state, "exited");
    assert_int_equal(e.containers[0].spec.privileged.v, BH_TRUE);
    assert_int_equal(nerrs, 2);
    for (i = 0; i < nerrs; i++) {
        assert_non_null(errs[i].message);
        if (strstr(errs[i].where, "/broken/config.v2.json"))
            broken = true;
        if (strstr(errs[i].where, "/nohost/hostconfig.json"))
            nohost = true;
    }
    assert_true(broken);
    assert_true(nohost);

    /* a file, and a directory without containers/, are not state directories */
    snprintf(p, sizeof(p), "%s/containers/stray-file", dir);
    assert_int_equal(bh_engine_read_statedir(&t->a, p, &e, &errs, &nerrs, &t->err), BH_EIO);
    snprintf(p, sizeof(p), "%s/containers/good", dir);
    assert_int_equal(bh_engine_read_statedir(&t->a, p, &e, &errs, &nerrs, &t->err), BH_EIO);
    assert_non_null(strstr(t->err.msg, "containers/"));

    snprintf(p, sizeof(p), "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
}

/* ---- hand-written documents: the edges ------------------------------------------------- */

static int inspect_text(struct tctx *t, const char *text, struct bh_container *c)
{
    return bh_engine_inspect(&t->a, "doc", parse_text(t, text), NULL, c, &t->err);
}

static void api_object_and_edges(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;

    /* the API's single object (no array), Id, HostIp forms, random ports, relative binds */
    assert_int_equal(
        inspect_text(t,
                     "{\"Id\":\"0123\",\"Name\":\"/web\",\"Image\":\"sha256:aa\","
                     "\"State\":{\"Status\":\"paused\",\"Running\":true,"
                     "\"StartedAt\":\"2024-05-01T10:00:00Z\"},"
                     "\"Config\":{\"Image\":\"nginx\",\"User\":\"\",\"Env\":[\"PATH=/bin\",\"X\"]},"
                     "\"NetworkSettings\":{\"Networks\":{\"bridge\":{}}},"
                     "\"HostConfig\":{\"NetworkMode\":\"mynet\",\"Privileged\":false,"
                     "\"PortBindings\":{\"443/tcp\":[{\"HostIp\":\"[::]\",\"HostPort\":\"443\"}],"
                     "\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}],\"81/tcp\":null,"
                     "\"bad\":[{\"HostIp\":\"\",\"HostPort\":\"x\"}],"
                     "\"90/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"9090\"}]},"
                     "\"Binds\":[\"/var/lib/docker:/d:ro,rslave\",\"vol:/v\"],"
                     "\"Tmpfs\":{\"/ro\":\"ro,size=1m\"},\"Memory\":0,\"PidsLimit\":0,"
                     "\"SecurityOpt\":[\"apparmor:custom\",\"no-new-privileges:false\"],"
                     "\"DeviceRequests\":[{\"Driver\":\"nvidia\",\"Count\":0,"
                     "\"DeviceIDs\":[\"0\",\"1\"]}]}}",
                     &c),
        0);
    assert_string_equal(c.id, "0123");
    assert_string_equal(c.name, "web");
    assert_string_equal(c.state, "paused");
    assert_true(c.running);
    assert_string_equal(c.started_at, "2024-05-01T10:00:00Z");
    assert_true(c.on_default_bridge); /* attached to bridge though its mode names another */
    assert_string_equal(c.network_mode, "mynet");
    assert_null(c.spec.user.v);
    assert_int_equal(c.spec.env.n, 1);
    assert_int_equal(c.spec.privileged.v, BH_FALSE);
    assert_int_equal(c.spec.nports, 3);
    assert_string_equal(c.spec.ports[0].host_ip, "::");
    assert_string_equal(c.spec.ports[0].raw, "[::]:443:443/tcp");
    assert_null(c.spec.ports[1].host_ip);
    assert_int_equal(c.spec.ports[1].host_lo, 0);
    assert_int_equal(c.spec.ports[1].cont_lo, 80);
    assert_true(c.spec.ports[1].published);
    assert_string_equal(c.spec.ports[2].host_ip, "::1");
    assert_int_equal(c.spec.nmounts, 3);
    assert_int_equal(c.spec.mounts[0].kind, BH_MOUNT_BIND);
    assert_string_equal(c.spec.mounts[0].source, "/var/lib/docker");
    assert_true(c.spec.mounts[0].read_only);
    assert_int_equal(c.spec.mounts[1].kind, BH_MOUNT_VOLUME);
    assert_int_equal(c.spec.mounts[2].kind, BH_MOUNT_TMPFS);
    assert_true(c.spec.mounts[2].read_only);
    assert_null(c.spec.mem_limit.v);
    assert_null(c.spec.pids_limit.v);
    assert_string_equal(c.spec.apparmor.v, "custom");
    assert_int_equal(c.spec.gpus.n, 1);
    assert_string_equal(c.spec.gpus.v[0].v, "driver=nvidia,device=0,1");
}

static void nnp_from_config_v2(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;
    const struct bh_jnode *cfg =
        parse_text(t, "{\"ID\":\"a\",\"Name\":\"/n\",\"NoNewPrivileges\":true}");
    const struct bh_jnode *hc = parse_text(t, "{\"SecurityOpt\":null}");
    struct bh_findings f;

    /* the daemon-wide no-new-privileges shows only in config.v2.json */
    assert_int_equal(bh_engine_inspect(&t->a, "cfg", cfg, hc, &c, &t->err), 0);
    assert_int_equal(c.spec.security_opt.n, 1);
    assert_string_equal(c.spec.security_opt.v[0].v, "no-new-privileges");
    assert_string_equal(c.spec.security_opt.v[0].loc.path, "NoNewPrivileges");
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-NNP"), 0);
    /* without it RUN-NNP fires */
    cfg = parse_text(t, "{\"ID\":\"a\",\"Name\":\"/n\",\"NoNewPrivileges\":false}");
    assert_int_equal(bh_engine_inspect(&t->a, "cfg", cfg, hc, &c, &t->err), 0);
    assert_int_equal(c.spec.security_opt.n, 0);
    f = run_rules(t, &c);
    assert_int_equal(count_rule(&f, "RUN-NNP"), 1);
}

static void malformed_documents(void **state)
{
    struct tctx *t = *state;
    struct bh_container c;

    assert_int_equal(inspect_text(t, "[1]", &c), BH_EPARSE);
    assert_int_equal(inspect_text(t, "[]", &c), BH_EPARSE);
    assert_int_equal(inspect_text(t, "{\"Id\":\"x\"}", &c), BH_EPARSE);
    assert_non_null(strstr(t->err.msg, "HostConfig"));
    assert_int_equal(inspect_text(t, "{\"HostConfig\":{\"CapAdd\":\"ALL\"}}", &c), BH_EPARSE);
    assert_non_null(strstr(t->err.msg, "HostConfig.CapAdd"));
    assert_string_equal(t->err.file, "doc");
    assert_int_equal(inspect_text(t, "{\"HostConfig\":{\"Binds\":[\"/a:/b\",7]}}", &c), BH_EPARSE);
    assert_non_null(strstr(t->err.msg, "HostConfig.Binds[1]"));
    assert_int_equal(inspect_text(t, "{\"HostConfig\":{\"Privileged\":\"yes\"}}", &c), BH_EPARSE);
    assert_int_equal(
        inspect_text(t, "{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[\"8080\"]}}}", &c),
        BH_EPARSE);
    assert_non_null(strstr(t->err.msg, "HostConfig.PortBindings.80/tcp[0]"));
    assert_int_equal(inspect_text(t, "{\"Config\":[],\"HostConfig\":{}}", &c), BH_EPARSE);
    /* nulls everywhere are the engine's "unset" */
    assert_int_equal(inspect_text(t,
                                  "{\"Id\":null,\"Name\":null,\"State\":null,\"Config\":null,"
                                  "\"HostConfig\":{\"CapAdd\":null,\"Binds\":null,"
                                  "\"PortBindings\":null,\"Mounts\":null,\"Tmpfs\":null,"
                                  "\"Sysctls\":null,\"NetworkMode\":null}}",
                                  &c),
                     0);
    assert_null(c.id);
    assert_null(c.name);
    assert_null(c.state);
    assert_int_equal(c.spec.privileged.v, BH_UNSET);
    assert_string_equal(c.spec.source_kind, "inspect");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(privileged_container, setup, teardown),
        cmocka_unit_test_setup_teardown(sock_container, setup, teardown),
        cmocka_unit_test_setup_teardown(hostnet_container, setup, teardown),
        cmocka_unit_test_setup_teardown(capadd_container, setup, teardown),
        cmocka_unit_test_setup_teardown(port_v4_container, setup, teardown),
        cmocka_unit_test_setup_teardown(port_v6_container, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_mixed_container, setup, teardown),
        cmocka_unit_test_setup_teardown(root_container, setup, teardown),
        cmocka_unit_test_setup_teardown(seccomp_container, setup, teardown),
        cmocka_unit_test_setup_teardown(hardened_container, setup, teardown),
        cmocka_unit_test_setup_teardown(defaults_stay_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(mixed_container, setup, teardown),
        cmocka_unit_test_setup_teardown(gpus_and_quota_containers, setup, teardown),
        cmocka_unit_test_setup_teardown(statedir_reads_every_container, setup, teardown),
        cmocka_unit_test_setup_teardown(statedir_matches_inspect, setup, teardown),
        cmocka_unit_test_setup_teardown(statedir_errors_per_container, setup, teardown),
        cmocka_unit_test_setup_teardown(api_object_and_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(nnp_from_config_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_documents, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
