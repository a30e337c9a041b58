/*
 * test_rules_runpriv.c - the runtime privilege rules (RUN-PRIV, RUN-CAP*,
 * host namespaces, devices, NNP, seccomp/AppArmor/SELinux, unmasking,
 * sysctls, K8S-HOSTPROCESS) on runspecs built by hand, so they do not depend
 * on the readers: one implementation for every source, severities per source,
 * privileged folding, namespace chains and the allow-lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "model/finding.h"
#include "model/policy.h"
#include "model/runspec.h"
#include "rules/rule.h"

#include <string.h>

#define MAX_SPECS 8

struct fix {
    struct bh_arena a;
    struct bh_policy p;
    struct bh_runspec specs[MAX_SPECS];
    struct bh_runset set;
    struct bh_findings out;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
    bh_policy_init(&f->p);
    f->set.file = "f";
    f->set.specs = f->specs;
    f->set.specs_cap = MAX_SPECS;
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

static struct bh_loc at(int line)
{
    struct bh_loc l = {"f", line, 3, 0, 0, NULL};

    return l;
}

/* A new container of the given source in the set, every field unset. */
static struct bh_runspec *spec(struct fix *f, const char *kind, const char *name, int line)
{
    struct bh_runspec *rs;

    assert_true(f->set.nspecs < MAX_SPECS);
    rs = &f->specs[f->set.nspecs++];
    memset(rs, 0, sizeof(*rs));
    rs->source_kind = kind;
    rs->name = name;
    rs->image.v = "nginx:1.25";
    rs->loc = at(line);
    rs->privileged.v = rs->run_as_non_root.v = rs->host_pid.v = rs->host_ipc.v = BH_UNSET;
    rs->host_network.v = rs->host_users.v = rs->share_process_namespace.v = BH_UNSET;
    rs->allow_privilege_escalation.v = rs->read_only_rootfs.v = BH_UNSET;
    rs->automount_sa_token.v = rs->host_process.v = BH_UNSET;
    return rs;
}

static void set_bool(struct bh_rs_bool *b, bool v, int line)
{
    b->v = v ? BH_TRUE : BH_FALSE;
    b->loc = at(line);
}

static void set_str(struct bh_rs_str *s, const char *v, int line)
{
    s->v = v;
    s->loc = at(line);
}

static void add(struct fix *f, struct bh_rs_list *l, const char *v, int line)
{
    struct bh_rs_str *s = BH_PUSH(&f->a, l->v, l->n, l->cap);

    assert_non_null(s);
    set_str(s, v, line);
}

static void add_dev(struct fix *f, struct bh_runspec *rs, const char *host, int line)
{
    struct bh_device *d = BH_PUSH(&f->a, rs->devices, rs->ndevices, rs->devices_cap);

    assert_non_null(d);
    d->host_path = host;
    d->cont_path = host;
    d->perms = "rwm";
    d->loc = at(line);
}

/* Run every runtime rule over every container in the set. */
static void run(struct fix *f)
{
    size_t k;

    memset(&f->out, 0, sizeof(f->out));
    for (k = 0; k < f->set.nspecs; k++)
        bh_rules_check_spec(&f->a, &f->p, &f->set, k, &f->out);
}

static void reset(struct fix *f)
{
    f->set.nspecs = 0;
    bh_policy_init(&f->p);
}

static size_t count(struct fix *f, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += !strcmp(f->out.v[i].rule, id);
    return n;
}

/* Findings of id that stand (not suppressed). */
static size_t standing(struct fix *f, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < f->out.n; i++)
        n += !strcmp(f->out.v[i].rule, id) && !f->out.v[i].suppressed_kind;
    return n;
}

static const struct bh_finding *nth(struct fix *f, const char *id, size_t k)
{
    size_t i;

    for (i = 0; i < f->out.n; i++) {
        if (!strcmp(f->out.v[i].rule, id) && k-- == 0)
            return &f->out.v[i];
    }
    fail_msg("no finding %s #%zu", id, k);
    return NULL;
}

static const struct bh_finding *one(struct fix *f, const char *id)
{
    assert_int_equal(count(f, id), 1);
    return nth(f, id, 0);
}

static const char *const kinds[] = {"compose", "kubernetes", "cli"};

/* ---- one rule implementation for every source ---- */

static void same_check_every_source(void **state)
{
    struct fix *f = *state;
    size_t k;

    for (k = 0; k < 3; k++) {
        struct bh_runspec *rs;
        const struct bh_finding *x;

        reset(f);
        rs = spec(f, kinds[k], "web", 2);
        add(f, &rs->cap_add, "sys_admin", 7);
        add(f, &rs->cap_drop, "ALL", 9);
        run(f);
        x = one(f, "RUN-CAPADD");
        assert_int_equal(x->severity, BH_SEV_CRITICAL);
        assert_int_equal(x->loc.line, 7);
        assert_non_null(strstr(x->message, "sys_admin` (SYS_ADMIN)"));
        assert_int_equal(count(f, "RUN-CAPDROP"), 0);
        assert_int_equal(count(f, "RUN-PRIV"), 0);

        reset(f);
        rs = spec(f, kinds[k], "web", 2);
        set_bool(&rs->privileged, true, 4);
        run(f);
        x = one(f, "RUN-PRIV");
        assert_int_equal(x->severity, BH_SEV_CRITICAL);
        assert_int_equal(x->loc.line, 4);
        assert_non_null(strstr(x->message, "every capability"));
        assert_non_null(strstr(x->message, "/sys and /proc"));
    }
    /* the source shows in the wording */
    assert_non_null(strstr(nth(f, "RUN-PRIV", 0)->message, "--privileged"));
}

static void privileged_folds(void **state)
{
    struct fix *f = *state;
    size_t k;
    static const char *const folded[] = {"RUN-CAPADD",   "RUN-CAPDROP", "RUN-SECCOMP",
                                         "RUN-APPARMOR", "RUN-SELINUX", "RUN-UNMASK",
                                         "RUN-DEVICES",  "RUN-NNP"};

    for (k = 0; k < 3; k++) {
        struct bh_runspec *rs;
        size_t i;

        reset(f);
        rs = spec(f, kinds[k], "web", 2);
        set_bool(&rs->privileged, true, 3);
        add(f, &rs->cap_add, "SYS_ADMIN", 4);
        add(f, &rs->security_opt, "seccomp:unconfined", 5);
        add(f, &rs->security_opt, "apparmor=unconfined", 6);
        add(f, &rs->security_opt, "label:disable", 7);
        add(f, &rs->security_opt, "systempaths=unconfined", 8);
        add_dev(f, rs, "/dev/sda", 9);
        set_str(&rs->seccomp, "Unconfined", 10);
        set_str(&rs->apparmor, "Unconfined", 11);
        set_str(&rs->selinux_type, "spc_t", 12);
        set_str(&rs->proc_mount, "Unmasked", 13);
        run(f);
        assert_int_equal(count(f, "RUN-PRIV"), 1);
        for (i = 0; i < sizeof(folded) / sizeof(folded[0]); i++)
            assert_int_equal(count(f, folded[i]), 0);

        /* the same container without privileged: each of them speaks */
        rs->privileged.v = BH_FALSE;
        run(f);
        assert_int_equal(count(f, "RUN-PRIV"), 0);
        for (i = 0; i < sizeof(folded) / sizeof(folded[0]); i++)
            assert_true(count(f, folded[i]) >= 1);
        assert_int_equal(count(f, "RUN-CAPDROP"), 1);
        assert_int_equal(count(f, "RUN-NNP"), 1);
    }
}

/* ---- RUN-CAPADD ---- */

static void capadd_spellings_and_sets(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "web", 2);
    add(f, &rs->cap_add, "CAP_SYS_ADMIN", 3);
    add(f, &rs->cap_add, "all", 4);
    add(f, &rs->cap_add, "chown", 5);      /* in Docker's default set */
    add(f, &rs->cap_add, "NET_RAW", 6);    /* default in Docker, not in PSS baseline */
    add(f, &rs->cap_add, " net_admin", 7); /* outside: high */
    add(f, &rs->cap_add, "bpf", 8);
    run(f);
    assert_int_equal(count(f, "RUN-CAPADD"), 4);
    assert_int_equal(nth(f, "RUN-CAPADD", 0)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-CAPADD", 1)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-CAPADD", 1)->loc.line, 4);
    assert_int_equal(nth(f, "RUN-CAPADD", 2)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-CAPADD", 2)->loc.line, 7);
    assert_null(strstr(nth(f, "RUN-CAPADD", 2)->message, "host"));
    assert_int_equal(nth(f, "RUN-CAPADD", 3)->severity, BH_SEV_CRITICAL);

    /* Kubernetes compares with the PSS baseline: NET_RAW counts, CHOWN does not */
    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container c", 2);
    add(f, &rs->cap_add, "NET_RAW", 3);
    add(f, &rs->cap_add, "CHOWN", 4);
    run(f);
    assert_int_equal(one(f, "RUN-CAPADD")->loc.line, 3);
    assert_int_equal(one(f, "RUN-CAPADD")->severity, BH_SEV_HIGH);

    /* drop ALL + add X still grants X */
    reset(f);
    rs = spec(f, "cli", NULL, 1);
    add(f, &rs->cap_drop, "ALL", 1);
    add(f, &rs->cap_add, "SYS_PTRACE", 1);
    run(f);
    assert_int_equal(one(f, "RUN-CAPADD")->severity, BH_SEV_CRITICAL);
    assert_int_equal(count(f, "RUN-CAPDROP"), 0);
}

static void capadd_net_admin_host_network(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "vpn", 2);
    set_str(&rs->network, "host", 3);
    add(f, &rs->cap_add, "NET_ADMIN", 5);
    run(f);
    assert_int_equal(one(f, "RUN-CAPADD")->severity, BH_SEV_CRITICAL);
    assert_non_null(strstr(one(f, "RUN-CAPADD")->message, "host networking"));

    /* through a chain: the sidecar joins a service that is on the host network */
    reset(f);
    rs = spec(f, "compose", "side", 2);
    set_str(&rs->network, "service:vpn", 3);
    add(f, &rs->cap_add, "NET_ADMIN", 5);
    rs = spec(f, "compose", "vpn", 8);
    set_str(&rs->network, "host", 9);
    run(f);
    assert_int_equal(one(f, "RUN-CAPADD")->severity, BH_SEV_CRITICAL);

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container c", 2);
    set_bool(&rs->host_network, true, 3);
    add(f, &rs->cap_add, "NET_ADMIN", 5);
    run(f);
    assert_int_equal(one(f, "RUN-CAPADD")->severity, BH_SEV_CRITICAL);
}

static void capadd_policy_allow(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    const char *allowed[] = {"net_admin"};
    const struct bh_finding *x;

    reset(f);
    f->p.allowed_caps = allowed;
    f->p.nallowed_caps = 1;
    rs = spec(f, "compose", "web", 2);
    add(f, &rs->cap_add, "CAP_NET_ADMIN", 3);
    add(f, &rs->cap_add, "SYS_ADMIN", 4);
    run(f);
    assert_int_equal(count(f, "RUN-CAPADD"), 2);
    x = nth(f, "RUN-CAPADD", 0);
    assert_string_equal(x->suppressed_kind, "policy");
    assert_string_equal(x->suppressed_reason, "allowed by the policy (capabilities.allowed)");
    assert_null(nth(f, "RUN-CAPADD", 1)->suppressed_kind);
}

/* ---- RUN-CAPDROP ---- */

static void capdrop_severity_per_source(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    spec(f, "compose", "web", 2);
    rs = spec(f, "kubernetes", "Pod/p container c", 10);
    add(f, &rs->cap_drop, "NET_RAW", 12);
    spec(f, "cli", NULL, 20);
    run(f);
    assert_int_equal(count(f, "RUN-CAPDROP"), 3);
    assert_int_equal(nth(f, "RUN-CAPDROP", 0)->severity, BH_SEV_LOW);
    assert_int_equal(nth(f, "RUN-CAPDROP", 0)->loc.line, 2);
    assert_int_equal(nth(f, "RUN-CAPDROP", 1)->severity, BH_SEV_MEDIUM);
    assert_int_equal(nth(f, "RUN-CAPDROP", 1)->loc.line, 10);
    assert_int_equal(nth(f, "RUN-CAPDROP", 2)->severity, BH_SEV_LOW);

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container c", 10);
    add(f, &rs->cap_drop, "all", 12); /* we accept it; PSA wants exact ALL (documented) */
    rs = spec(f, "compose", "web", 2);
    add(f, &rs->cap_drop, "CAP_ALL", 3);
    run(f);
    assert_int_equal(count(f, "RUN-CAPDROP"), 0);
}

/* ---- host namespaces ---- */

static void hostns_direct_and_chains(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "app", 2);
    set_str(&rs->pid, "service:agent", 3);
    rs = spec(f, "compose", "agent", 6);
    set_str(&rs->pid, "host", 7);
    rs = spec(f, "compose", "db", 10);
    set_str(&rs->pid, "service:app", 11); /* two hops */
    rs = spec(f, "compose", "lonely", 14);
    set_str(&rs->pid, "service:missing", 15);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTPID"), 3);
    assert_int_equal(nth(f, "RUN-HOSTPID", 0)->loc.line, 3);
    assert_non_null(strstr(nth(f, "RUN-HOSTPID", 0)->message, "service 'agent'"));
    assert_int_equal(nth(f, "RUN-HOSTPID", 1)->loc.line, 7);
    assert_int_equal(nth(f, "RUN-HOSTPID", 2)->loc.line, 11);

    /* a cycle ends without a finding */
    reset(f);
    rs = spec(f, "compose", "a", 2);
    set_str(&rs->ipc, "service:b", 3);
    rs = spec(f, "compose", "b", 6);
    set_str(&rs->ipc, "service:a", 7);
    rs = spec(f, "cli", "c", 9);
    set_str(&rs->ipc, "container:c", 9);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTIPC"), 0);

    /* CLI container: chain, network */
    reset(f);
    rs = spec(f, "cli", "proxy", 1);
    set_str(&rs->network, "host", 1);
    rs = spec(f, "cli", "app", 2);
    set_str(&rs->network, "container:proxy", 2);
    set_str(&rs->uts, "host", 2);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTNET"), 2);
    assert_non_null(strstr(nth(f, "RUN-HOSTNET", 0)->message, "--network=host"));
    assert_int_equal(one(f, "RUN-HOSTUTS")->severity, BH_SEV_MEDIUM);
}

static void hostns_kubernetes(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container c", 8);
    set_bool(&rs->host_pid, true, 4);
    set_bool(&rs->host_ipc, false, 5);
    set_bool(&rs->host_network, true, 6);
    set_bool(&rs->share_process_namespace, true, 7);
    run(f);
    assert_int_equal(one(f, "RUN-HOSTPID")->loc.line, 4);
    assert_non_null(strstr(one(f, "RUN-HOSTPID")->message, "hostPID: true"));
    assert_int_equal(count(f, "RUN-HOSTIPC"), 0);
    assert_int_equal(one(f, "RUN-HOSTNET")->loc.line, 6);
    assert_int_equal(count(f, "RUN-HOSTUTS"), 0); /* implied by hostNetwork, not repeated */

    /* shareProcessNamespace alone is pod-local */
    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container c", 8);
    set_bool(&rs->share_process_namespace, true, 7);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTPID"), 0);
}

static void hostuserns(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "web", 2);
    set_str(&rs->userns, "host", 3);
    set_str(&rs->cgroupns, "host", 4);
    rs = spec(f, "compose", "ok", 6);
    set_str(&rs->cgroupns, "private", 7);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTUSERNS"), 2);
    assert_int_equal(nth(f, "RUN-HOSTUSERNS", 0)->severity, BH_SEV_MEDIUM);
    assert_int_equal(nth(f, "RUN-HOSTUSERNS", 1)->loc.line, 4);

    reset(f);
    spec(f, "kubernetes", "Pod/p container a", 8);
    rs = spec(f, "kubernetes", "Pod/p container b", 12);
    set_bool(&rs->host_users, true, 5);
    rs = spec(f, "kubernetes", "Pod/q container c", 22);
    set_bool(&rs->host_users, false, 20);
    run(f);
    assert_int_equal(count(f, "RUN-HOSTUSERNS"), 2);
    assert_int_equal(nth(f, "RUN-HOSTUSERNS", 0)->severity, BH_SEV_INFO);
    assert_int_equal(nth(f, "RUN-HOSTUSERNS", 0)->loc.line, 8);
    assert_int_equal(nth(f, "RUN-HOSTUSERNS", 1)->loc.line, 5);
}

/* ---- RUN-DEVICES ---- */

static void devices_classes(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "web", 2);
    add_dev(f, rs, "/dev/sda", 3);
    add_dev(f, rs, "/dev/nvme0n1p1", 4);
    add_dev(f, rs, "/dev//mem", 5);
    add_dev(f, rs, "/dev/ttyUSB0", 6);
    add_dev(f, rs, "/dev/nvidia0", 7);
    add_dev(f, rs, "/dev/dri/renderD128", 8);
    add_dev(f, rs, "/dev/fuse", 9);
    add_dev(f, rs, "/dev/snd", 10);
    add(f, &rs->device_cgroup_rules, "a *:* rwm", 11);
    add(f, &rs->device_cgroup_rules, "c 189:* rmw", 12);
    add(f, &rs->gpus, "all", 13);
    run(f);
    assert_int_equal(count(f, "RUN-DEVICES"), 11);
    assert_int_equal(standing(f, "RUN-DEVICES"), 7);
    assert_int_equal(nth(f, "RUN-DEVICES", 0)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-DEVICES", 1)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-DEVICES", 2)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-DEVICES", 3)->severity, BH_SEV_HIGH);
    assert_string_equal(nth(f, "RUN-DEVICES", 4)->suppressed_kind, "policy");
    assert_non_null(strstr(nth(f, "RUN-DEVICES", 4)->suppressed_reason, "GPU"));
    assert_string_equal(nth(f, "RUN-DEVICES", 5)->suppressed_kind, "policy");
    assert_string_equal(nth(f, "RUN-DEVICES", 6)->suppressed_kind, "policy");
    assert_int_equal(nth(f, "RUN-DEVICES", 7)->severity, BH_SEV_HIGH); /* /dev/snd */
    assert_null(nth(f, "RUN-DEVICES", 7)->suppressed_kind);
    assert_int_equal(nth(f, "RUN-DEVICES", 8)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-DEVICES", 9)->severity, BH_SEV_HIGH);
    assert_string_equal(nth(f, "RUN-DEVICES", 10)->suppressed_kind, "policy");

    /* look-alikes of block device names are ordinary devices */
    reset(f);
    rs = spec(f, "compose", "enclave", 2);
    add_dev(f, rs, "/dev/sgx_enclave", 3);
    add_dev(f, rs, "/dev/sg0", 4);
    add_dev(f, rs, "/dev/mdio", 5);
    run(f);
    assert_int_equal(count(f, "RUN-DEVICES"), 3);
    assert_int_equal(nth(f, "RUN-DEVICES", 0)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-DEVICES", 1)->severity, BH_SEV_CRITICAL);
    assert_int_equal(nth(f, "RUN-DEVICES", 2)->severity, BH_SEV_HIGH);

    /* /dev/fuse with SYS_ADMIN is an escape path, not allow-listed */
    reset(f);
    rs = spec(f, "cli", NULL, 1);
    add(f, &rs->cap_add, "sys_admin", 1);
    add_dev(f, rs, "/dev/fuse", 1);
    run(f);
    assert_int_equal(standing(f, "RUN-DEVICES"), 1);
    assert_int_equal(one(f, "RUN-DEVICES")->severity, BH_SEV_CRITICAL);
    assert_non_null(strstr(one(f, "RUN-DEVICES")->message, "escape"));
}

/* ---- RUN-NNP ---- */

static void nnp_spellings(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;
    static const char *const on[] = {"no-new-privileges", "no-new-privileges=true",
                                     "no-new-privileges:true", "no-new-privileges:True"};
    size_t i;

    for (i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
        reset(f);
        rs = spec(f, "compose", "web", 2);
        add(f, &rs->security_opt, on[i], 3);
        run(f);
        assert_int_equal(count(f, "RUN-NNP"), 0);
    }
    reset(f);
    rs = spec(f, "compose", "web", 2);
    add(f, &rs->security_opt, "no-new-privileges:false", 3);
    spec(f, "cli", NULL, 9);
    run(f);
    assert_int_equal(count(f, "RUN-NNP"), 2);
    assert_int_equal(nth(f, "RUN-NNP", 0)->loc.line, 3);
    assert_non_null(strstr(nth(f, "RUN-NNP", 0)->message, "no-new-privileges:false"));
    assert_int_equal(nth(f, "RUN-NNP", 1)->loc.line, 9);

    /* the last one wins */
    reset(f);
    rs = spec(f, "cli", NULL, 1);
    add(f, &rs->security_opt, "no-new-privileges=false", 1);
    add(f, &rs->security_opt, "no-new-privileges", 1);
    run(f);
    assert_int_equal(count(f, "RUN-NNP"), 0);
}

static void nnp_kubernetes(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    spec(f, "kubernetes", "Pod/p container a", 5);
    rs = spec(f, "kubernetes", "Pod/p container b", 10);
    set_bool(&rs->allow_privilege_escalation, true, 12);
    rs = spec(f, "kubernetes", "Pod/p container c", 15);
    set_bool(&rs->allow_privilege_escalation, false, 17);
    rs = spec(f, "kubernetes", "Pod/p container d", 20);
    set_bool(&rs->allow_privilege_escalation, false, 22);
    add(f, &rs->cap_add, "CAP_SYS_ADMIN", 24);
    run(f);
    assert_int_equal(count(f, "RUN-NNP"), 3);
    assert_int_equal(nth(f, "RUN-NNP", 0)->loc.line, 5);
    assert_int_equal(nth(f, "RUN-NNP", 1)->loc.line, 12);
    assert_int_equal(nth(f, "RUN-NNP", 2)->loc.line, 24);
}

/* ---- RUN-SECCOMP, RUN-APPARMOR, RUN-SELINUX, RUN-UNMASK ---- */

static void seccomp_per_source(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "a", 2);
    add(f, &rs->security_opt, "seccomp:unconfined", 3);
    rs = spec(f, "cli", NULL, 5);
    add(f, &rs->security_opt, "seccomp=/etc/docker/custom.json", 5);
    rs = spec(f, "cli", NULL, 6);
    add(f, &rs->security_opt, "seccomp=builtin", 6);
    spec(f, "compose", "unset", 7); /* Docker's default profile applies */
    run(f);
    assert_int_equal(count(f, "RUN-SECCOMP"), 2);
    assert_int_equal(nth(f, "RUN-SECCOMP", 0)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-SECCOMP", 0)->loc.line, 3);
    assert_non_null(strstr(nth(f, "RUN-SECCOMP", 1)->message, "custom.json"));

    reset(f);
    spec(f, "kubernetes", "Pod/p container a", 5);
    rs = spec(f, "kubernetes", "Pod/p container b", 10);
    set_str(&rs->seccomp, "Unconfined", 3);
    rs = spec(f, "kubernetes", "Pod/p container c", 15);
    set_str(&rs->seccomp, "RuntimeDefault", 3);
    rs = spec(f, "kubernetes", "Pod/p container d", 20);
    set_str(&rs->seccomp, "Localhost", 21);
    run(f);
    assert_int_equal(count(f, "RUN-SECCOMP"), 2);
    assert_int_equal(nth(f, "RUN-SECCOMP", 0)->severity, BH_SEV_LOW);
    assert_int_equal(nth(f, "RUN-SECCOMP", 0)->loc.line, 5);
    assert_non_null(strstr(nth(f, "RUN-SECCOMP", 0)->message, "--seccomp-default"));
    assert_int_equal(nth(f, "RUN-SECCOMP", 1)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-SECCOMP", 1)->loc.line, 3);
}

static void lsm_options(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "compose", "a", 2);
    add(f, &rs->security_opt, "label:disable", 3);
    add(f, &rs->security_opt, "label=type:spc_t", 4);
    add(f, &rs->security_opt, "label=level:s0:c100,c200", 5);
    add(f, &rs->security_opt, "label=type:container_t", 6);
    add(f, &rs->security_opt, "label=user:system_u", 7);
    add(f, &rs->security_opt, "apparmor:unconfined", 8);
    add(f, &rs->security_opt, "apparmor=docker-default", 9);
    add(f, &rs->security_opt, "systempaths=unconfined", 10);
    run(f);
    assert_int_equal(count(f, "RUN-SELINUX"), 3);
    assert_int_equal(nth(f, "RUN-SELINUX", 0)->loc.line, 3);
    assert_int_equal(nth(f, "RUN-SELINUX", 1)->loc.line, 4);
    assert_int_equal(nth(f, "RUN-SELINUX", 2)->loc.line, 7);
    assert_int_equal(one(f, "RUN-APPARMOR")->loc.line, 8);
    assert_int_equal(one(f, "RUN-UNMASK")->loc.line, 10);

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container a", 2);
    set_str(&rs->selinux_type, "spc_t", 3);
    set_str(&rs->selinux_role, "sysadm_r", 4);
    set_str(&rs->selinux_level, "s0:c1,c2", 5);
    set_str(&rs->apparmor, "Localhost", 6);
    rs = spec(f, "kubernetes", "Pod/p container b", 10);
    set_str(&rs->selinux_type, "container_init_t", 11);
    set_str(&rs->apparmor, "Unconfined", 12);
    run(f);
    assert_int_equal(count(f, "RUN-SELINUX"), 2);
    assert_int_equal(one(f, "RUN-APPARMOR")->loc.line, 12);
}

static void unmask_kubernetes(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container a", 2);
    set_str(&rs->proc_mount, "Unmasked", 3);
    rs = spec(f, "kubernetes", "Pod/q container b", 10);
    set_str(&rs->proc_mount, "Unmasked", 11);
    set_bool(&rs->host_users, false, 8);
    rs = spec(f, "kubernetes", "Pod/r container c", 20);
    set_str(&rs->proc_mount, "Default", 21);
    run(f);
    assert_int_equal(count(f, "RUN-UNMASK"), 2);
    assert_int_equal(nth(f, "RUN-UNMASK", 0)->severity, BH_SEV_HIGH);
    assert_int_equal(nth(f, "RUN-UNMASK", 1)->severity, BH_SEV_MEDIUM);
    assert_int_equal(nth(f, "RUN-UNMASK", 1)->loc.line, 11);
}

/* ---- RUN-SYSCTL ---- */

static void sysctl_names(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container a", 2);
    add(f, &rs->sysctls, "net/ipv4/ip_forward=1", 3);
    add(f, &rs->sysctls, "net/ipv4/tcp_syncookies=1", 4);
    add(f, &rs->sysctls, "kernel.shm_rmid_forced=1", 5);
    add(f, &rs->sysctls, "kernel.msgmax=65536", 6);
    rs = spec(f, "compose", "web", 10);
    add(f, &rs->sysctls, "net.ipv4.ip_forward=1", 11);
    add(f, &rs->sysctls, "net.ipv4.tcp_keepalive_time=600", 12);
    run(f);
    assert_int_equal(count(f, "RUN-SYSCTL"), 3);
    assert_int_equal(nth(f, "RUN-SYSCTL", 0)->loc.line, 3);
    assert_int_equal(nth(f, "RUN-SYSCTL", 0)->severity, BH_SEV_MEDIUM);
    assert_non_null(strstr(nth(f, "RUN-SYSCTL", 0)->message, "net/ipv4/ip_forward"));
    assert_int_equal(nth(f, "RUN-SYSCTL", 1)->loc.line, 6);
    assert_int_equal(nth(f, "RUN-SYSCTL", 2)->severity, BH_SEV_LOW);
    assert_int_equal(nth(f, "RUN-SYSCTL", 2)->loc.line, 11);
}

/* ---- K8S-HOSTPROCESS ---- */

static void hostprocess(void **state)
{
    struct fix *f = *state;
    struct bh_runspec *rs;

    reset(f);
    rs = spec(f, "kubernetes", "Pod/p container a", 2);
    set_bool(&rs->host_process, true, 4);
    rs = spec(f, "kubernetes", "Pod/p container b", 8);
    set_bool(&rs->host_process, false, 9);
    run(f);
    assert_int_equal(one(f, "K8S-HOSTPROCESS")->loc.line, 4);
    assert_int_equal(one(f, "K8S-HOSTPROCESS")->mistake, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_check_every_source, setup, teardown),
        cmocka_unit_test_setup_teardown(privileged_folds, setup, teardown),
        cmocka_unit_test_setup_teardown(capadd_spellings_and_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(capadd_net_admin_host_network, setup, teardown),
        cmocka_unit_test_setup_teardown(capadd_policy_allow, setup, teardown),
        cmocka_unit_test_setup_teardown(capdrop_severity_per_source, setup, teardown),
        cmocka_unit_test_setup_teardown(hostns_direct_and_chains, setup, teardown),
        cmocka_unit_test_setup_teardown(hostns_kubernetes, setup, teardown),
        cmocka_unit_test_setup_teardown(hostuserns, setup, teardown),
        cmocka_unit_test_setup_teardown(devices_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(nnp_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(nnp_kubernetes, setup, teardown),
        cmocka_unit_test_setup_teardown(seccomp_per_source, setup, teardown),
        cmocka_unit_test_setup_teardown(lsm_options, setup, teardown),
        cmocka_unit_test_setup_teardown(unmask_kubernetes, setup, teardown),
        cmocka_unit_test_setup_teardown(sysctl_names, setup, teardown),
        cmocka_unit_test_setup_teardown(hostprocess, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
