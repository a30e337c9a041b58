/*
 * runpriv.c - runtime privilege rules (mistake M3) over struct bh_runspec:
 * privileged mode, capabilities, host namespaces, devices, no-new-privileges,
 * seccomp / AppArmor / SELinux, unmasked /proc and /sys, sysctls and Windows
 * HostProcess pods. Each check is written once for every source (compose,
 * Kubernetes, `docker run`); only severities and wording follow the source.
 * Nothing here reads files or parses text: readers fill the model, norm.c normalises.
 */
#include "rules/groups.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "model/norm.h"

#include <fnmatch.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

static bool src_is(const struct bh_runspec *rs, const char *kind)
{
    return rs->source_kind && !strcmp(rs->source_kind, kind);
}

static bool is_k8s(const struct bh_runspec *rs)
{
    return src_is(rs, "kubernetes");
}

static bool is_compose(const struct bh_runspec *rs)
{
    return src_is(rs, "compose");
}

static bool is_privileged(const struct bh_runspec *rs)
{
    return rs->privileged.v == BH_TRUE;
}

static const char *or_q(const char *s)
{
    return s ? s : "?";
}

/* Which container, in the words of its source: "service 'web'", "Deployment/web container app". */
static const char *where(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *s;

    if (is_compose(rs))
        s = bh_arena_printf(c->arena, "service '%s'", or_q(rs->name));
    else if (is_k8s(rs))
        s = rs->name;
    else if (src_is(rs, "cli") && rs->name && strchr(rs->name, ' '))
        s = bh_arena_printf(c->arena, "`%s`", rs->name); /* no --name: "docker run IMAGE" */
    else if (src_is(rs, "cli") && rs->name)
        s = bh_arena_printf(c->arena, "`docker run` of container '%s'", rs->name);
    else if (src_is(rs, "cli"))
        s = bh_arena_printf(c->arena, "`docker run` of '%s'", or_q(rs->image.v));
    else
        s = bh_arena_printf(c->arena, "container '%s'", or_q(rs->name));
    return or_q(s);
}

/* The same setting as each source spells it. */
static const char *spell(const struct bh_runspec *rs, const char *compose, const char *k8s,
                         const char *cli)
{
    if (is_compose(rs))
        return compose;
    if (is_k8s(rs))
        return k8s;
    return cli;
}

/* A normalised (N2) capability, or NULL for an unset / empty item. */
static const char *cap_of(struct bh_rule_ctx *c, const struct bh_rs_str *s)
{
    const char *n = s->v ? bh_norm_cap(c->arena, s->v) : NULL;

    return n && *n ? n : NULL;
}

/* The first cap_add item that grants `cap` (named, or through ALL); NULL when none does. */
static const struct bh_rs_str *adds_cap(struct bh_rule_ctx *c, const struct bh_runspec *rs,
                                        const char *cap)
{
    size_t i;

    for (i = 0; i < rs->cap_add.n; i++) {
        const char *n = cap_of(c, &rs->cap_add.v[i]);

        if (n && (!strcmp(n, cap) || !strcmp(n, "ALL")))
            return &rs->cap_add.v[i];
    }
    return NULL;
}

/* Mark a finding that an allow-list (the user's policy or our defaults) covers. */
static void allow(struct bh_finding *f, const char *reason)
{
    if (!f)
        return;
    f->suppressed_kind = "policy";
    f->suppressed_reason = reason;
}

/* ------------------------------------------------------------- namespaces */

enum ns { NS_PID, NS_IPC, NS_NET, NS_UTS, NS_USER, NS_CGROUP };

static const struct bh_rs_str *ns_str(const struct bh_runspec *rs, enum ns n)
{
    switch (n) {
    case NS_PID:
        return &rs->pid;
    case NS_IPC:
        return &rs->ipc;
    case NS_NET:
        return &rs->network;
    case NS_UTS:
        return &rs->uts;
    case NS_USER:
        return &rs->userns;
    case NS_CGROUP:
        return &rs->cgroupns;
    }
    return &rs->pid;
}

/* The Kubernetes pod-level boolean for a namespace, or NULL when it has none. */
static const struct bh_rs_bool *ns_bool(const struct bh_runspec *rs, enum ns n)
{
    switch (n) {
    case NS_PID:
        return &rs->host_pid;
    case NS_IPC:
        return &rs->host_ipc;
    case NS_NET:
        return &rs->host_network;
    default:
        return NULL;
    }
}

/* How each source names the namespace setting. */
static const char *ns_key(const struct bh_runspec *rs, enum ns n)
{
    static const char *const compose[] = {"pid", "ipc",         "network_mode",
                                          "uts", "userns_mode", "cgroup"};
    static const char *const cli[] = {"--pid", "--ipc",    "--network",
                                      "--uts", "--userns", "--cgroupns"};
    static const char *const k8s[] = {"hostPID", "hostIPC",   "hostNetwork",
                                      "hostUTS", "hostUsers", "cgroupns"};

    return spell(rs, compose[n], k8s[n], cli[n]);
}

static const char *ns_quote(struct bh_rule_ctx *c, const struct bh_runspec *rs, enum ns n,
                            const char *value)
{
    const char *s;

    if (is_k8s(rs) && ns_bool(rs, n))
        s = bh_arena_printf(c->arena, "%s: true", ns_key(rs, n));
    else if (is_compose(rs) || is_k8s(rs))
        s = bh_arena_printf(c->arena, "%s: %s", ns_key(rs, n), value);
    else
        s = bh_arena_printf(c->arena, "%s=%s", ns_key(rs, n), value);
    return or_q(s);
}

/* `container:NAME` / `service:NAME` -> NAME; NULL for anything else. */
static const char *chain_target(const char *v)
{
    if (bh_str_iprefix(v, "container:"))
        return v + strlen("container:");
    if (bh_str_iprefix(v, "service:"))
        return v + strlen("service:");
    return NULL;
}

struct ns_hit {
    const struct bh_loc *loc;     /* this container's offending field */
    const char *value;            /* its value as written ("host", "service:db") */
    const struct bh_runspec *via; /* the container in the chain that shares the host's; or NULL */
};

/*
 * Does rs share the host's namespace n, directly or by joining another container's
 * (`container:`/`service:` chains through c->runset, at most BH_MAX_NS_CHAIN hops; a
 * cycle or a name outside the file ends the walk with "no")?
 */
static bool ns_host(struct bh_rule_ctx *c, const struct bh_runspec *rs, enum ns n, struct ns_hit *h)
{
    const struct bh_runspec *cur = rs;
    const struct bh_rs_bool *b = ns_bool(rs, n);
    const struct bh_rs_str *s = ns_str(rs, n);
    unsigned hop;

    memset(h, 0, sizeof(*h));
    if (b && b->v == BH_TRUE) {
        h->loc = &b->loc;
        h->value = "true";
        return true;
    }
    if (!s->v)
        return false;
    h->loc = &s->loc;
    h->value = s->v;
    for (hop = 0; cur && hop <= BH_MAX_NS_CHAIN; hop++) {
        const struct bh_rs_str *x = ns_str(cur, n);
        const struct bh_rs_bool *xb = ns_bool(cur, n);
        const char *t;

        if (cur != rs && xb && xb->v == BH_TRUE) {
            h->via = cur;
            return true;
        }
        if (!x->v)
            return false;
        if (bh_str_ieq(x->v, "host")) {
            h->via = cur == rs ? NULL : cur;
            return true;
        }
        t = chain_target(x->v);
        if (!t || !*t)
            return false;
        cur = bh_runset_find(c->runset, t);
        if (cur == rs)
            return false;
    }
    return false;
}

/* Report rs sharing host namespace n (named `what`, consequence `why`) at severity sev. */
static void check_ns(struct bh_rule_ctx *c, const struct bh_runspec *rs, enum ns n,
                     const char *what, const char *why, enum bh_severity sev)
{
    struct ns_hit h;

    if (!ns_host(c, rs, n, &h))
        return;
    if (!h.via) {
        bh_rule_report_sev(c, sev, h.loc, NULL, "`%s` in %s shares the host's %s namespace: %s",
                           ns_quote(c, rs, n, h.value), where(c, rs), what, why);
        return;
    }
    bh_rule_report_sev(
        c, sev, h.loc, NULL, "`%s` in %s joins %s, which shares the host's %s namespace (`%s`): %s",
        ns_quote(c, rs, n, h.value), where(c, rs), where(c, h.via), what,
        ns_quote(c, h.via, n, ns_str(h.via, n)->v ? ns_str(h.via, n)->v : "host"), why);
}

/* Host networking, directly or through a chain (NET_ADMIN then reaches the host's stack). */
static bool host_network(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    struct ns_hit h;

    return ns_host(c, rs, NS_NET, &h);
}

/* --------------------------------------------------------------- RUN-PRIV */

static void check_priv(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (!is_privileged(rs))
        return;
    bh_rule_report(
        c, &rs->privileged.loc, NULL,
        "`%s` in %s: the container gets every capability and every host device, "
        "runs without seccomp, AppArmor and SELinux confinement and with a writable "
        "/sys and /proc%s",
        spell(rs, "privileged: true", "securityContext.privileged: true", "--privileged"),
        where(c, rs),
        rs->allow_privilege_escalation.v == BH_FALSE
            ? " (`allowPrivilegeEscalation: false` beside it is rejected by the API "
              "server and never applies)"
            : "");
}

/* ------------------------------------------------------------- RUN-CAPADD */

struct cap_why {
    const char *cap;
    const char *why;
};

/* The capabilities that are a direct path to the host (critical), and what they allow. */
static const struct cap_why critical_caps[] = {
    {"ALL", "every capability the kernel knows"},
    {"BPF", "loading BPF programs into the kernel"},
    {"DAC_READ_SEARCH", "reading any file and opening host files by handle"},
    {"SYS_ADMIN", "mounts, namespaces and most other root-only kernel operations"},
    {"SYS_MODULE", "loading kernel modules"},
    {"SYS_PTRACE", "tracing and injecting code into other processes"},
    {"SYS_RAWIO", "raw access to I/O ports and memory"},
};

static const char *critical_cap(const char *cap)
{
    size_t i;

    for (i = 0; i < sizeof(critical_caps) / sizeof(critical_caps[0]); i++) {
        if (!strcmp(critical_caps[i].cap, cap))
            return critical_caps[i].why;
    }
    return NULL;
}

/* Does the policy's devices.allowed list (fnmatch globs) cover this host device path? */
static bool policy_allows_device(struct bh_rule_ctx *c, const char *path)
{
    size_t i;

    for (i = 0; c->policy && path && i < c->policy->nallowed_devices; i++) {
        if (c->policy->allowed_devices[i] && fnmatch(c->policy->allowed_devices[i], path, 0) == 0)
            return true;
    }
    return false;
}

static bool policy_allows_cap(struct bh_rule_ctx *c, const char *cap)
{
    size_t i;

    for (i = 0; c->policy && i < c->policy->nallowed_caps; i++) {
        const char *p =
            c->policy->allowed_caps[i] ? bh_norm_cap(c->arena, c->policy->allowed_caps[i]) : NULL;

        if (p && !strcmp(p, cap))
            return true;
    }
    return false;
}

static void check_capadd(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    if (is_privileged(rs))
        return; /* RUN-PRIV already says "every capability" */
    for (i = 0; i < rs->cap_add.n; i++) {
        const struct bh_rs_str *it = &rs->cap_add.v[i];
        const char *cap = cap_of(c, it), *why, *base, *extra = "";
        enum bh_severity sev = BH_SEV_HIGH;
        struct bh_finding *f;

        if (!cap)
            continue;
        if (is_k8s(rs) ? bh_norm_cap_pss_baseline(cap) : bh_norm_cap_docker_default(cap))
            continue;
        base = is_k8s(rs) ? "the Pod Security Standards baseline" : "Docker's default set";
        why = critical_cap(cap);
        if (why) {
            sev = BH_SEV_CRITICAL;
        } else if (!strcmp(cap, "NET_ADMIN") && host_network(c, rs)) {
            sev = BH_SEV_CRITICAL;
            extra = "; with host networking this is control over the host's interfaces, routes "
                    "and firewall";
        }
        f = bh_rule_report_sev(c, sev, &it->loc, NULL,
                               "`%s %s`%s in %s adds a capability outside "
                               "%s%s%s%s",
                               spell(rs, "cap_add:", "capabilities.add:", "--cap-add"), it->v,
                               strcmp(it->v, cap) ? or_q(bh_arena_printf(c->arena, " (%s)", cap))
                                                  : "",
                               where(c, rs), base, why ? ": " : "", why ? why : "", extra);
        if (policy_allows_cap(c, cap))
            allow(f, "allowed by the policy (capabilities.allowed)");
    }
}

/* ------------------------------------------------------------ RUN-CAPDROP */

static void check_capdrop(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    if (is_privileged(rs))
        return;
    for (i = 0; i < rs->cap_drop.n; i++) {
        const char *cap = cap_of(c, &rs->cap_drop.v[i]);

        if (cap && !strcmp(cap, "ALL"))
            return;
    }
    if (is_k8s(rs)) {
        bh_rule_report_sev(c, BH_SEV_MEDIUM, &rs->loc, NULL,
                           "%s does not drop ALL capabilities (`capabilities.drop: [ALL]`), which "
                           "the restricted Pod Security Standard requires; %s",
                           where(c, rs),
                           rs->cap_drop.n ? "dropping single capabilities leaves the rest"
                                          : "it keeps the runtime's default set, NET_RAW included");
        return;
    }
    bh_rule_report(c, &rs->loc, NULL, "%s does not drop ALL capabilities (`%s ALL`); %s",
                   where(c, rs), spell(rs, "cap_drop:", "capabilities.drop:", "--cap-drop"),
                   rs->cap_drop.n ? "dropping single capabilities leaves the rest of Docker's "
                                    "default set"
                                  : "it keeps Docker's default set of 14, NET_RAW included");
}

/* ------------------------------------------------- RUN-HOST{PID,IPC,NET,UTS,USERNS} */

static void check_hostpid(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    check_ns(c, rs, NS_PID, "PID",
             "it sees and can signal every host process, and read their environments and "
             "/proc entries",
             c->rule->severity);
}

static void check_hostipc(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    check_ns(c, rs, NS_IPC, "IPC",
             "it can read and change the host's shared memory segments, semaphores and message "
             "queues",
             c->rule->severity);
}

static void check_hostnet(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    check_ns(c, rs, NS_NET, "network",
             "its listeners are on every host interface and it reaches loopback-only host "
             "services (an engine API on 127.0.0.1, the kubelet, cloud metadata)",
             c->rule->severity);
}

static void check_hostuts(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (is_k8s(rs))
        return; /* hostNetwork implies it there, and RUN-HOSTNET reports that */
    check_ns(c, rs, NS_UTS, "UTS",
             "it shares the host's hostname and, with SYS_ADMIN, can change it for the whole host",
             c->rule->severity);
}

static void check_hostuserns(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (is_k8s(rs)) {
        /* The cluster default; user namespaces need recent kernels and runtimes, so this is a
         * hint (info), not a failure. */
        if (rs->host_users.v == BH_FALSE)
            return;
        if (rs->host_users.v == BH_TRUE)
            bh_rule_report_sev(c, BH_SEV_INFO, &rs->host_users.loc, NULL,
                               "`hostUsers: true` in %s: the pod shares the node's user "
                               "namespace, so UID 0 in the container is UID 0 on the node",
                               where(c, rs));
        else
            bh_rule_report_sev(c, BH_SEV_INFO, &rs->loc, NULL,
                               "%s does not set `hostUsers: false`: the pod shares the node's "
                               "user namespace (the Kubernetes default), so UID 0 in the "
                               "container is UID 0 on the node",
                               where(c, rs));
        return;
    }
    check_ns(c, rs, NS_USER, "user",
             "its root is root on the host even when the daemon remaps users (userns-remap)",
             c->rule->severity);
    check_ns(c, rs, NS_CGROUP, "cgroup", "it sees the host's whole cgroup tree instead of its own",
             c->rule->severity);
}

/* ------------------------------------------------------------ RUN-DEVICES */

enum dev_class { DEV_OTHER, DEV_GPU, DEV_FUSE, DEV_CRITICAL };

static bool path_is_or_under(const char *p, const char *dir)
{
    size_t n = strlen(dir);

    return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}

/* One block-device family: a name prefix and what must follow it ('a' a letter, '0' a digit,
 * '*' anything), so that `/dev/sgx_enclave` is not taken for the SCSI generic `/dev/sg0`. */
struct dev_family {
    const char *prefix;
    char next;
};

static bool dev_family_match(const char *p, const struct dev_family *f)
{
    char ch;

    if (!bh_str_prefix(p, f->prefix))
        return false;
    ch = p[strlen(f->prefix)];
    if (f->next == 'a')
        return ch >= 'a' && ch <= 'z';
    if (f->next == '0')
        return ch >= '0' && ch <= '9';
    return true;
}

static enum dev_class dev_classify(const char *p)
{
    /* disks and partitions, device-mapper, loop and network block devices, raw SCSI */
    static const struct dev_family block[] = {
        {"/dev/sd", 'a'},   {"/dev/hd", 'a'},     {"/dev/vd", 'a'},  {"/dev/xvd", 'a'},
        {"/dev/nvme", '0'}, {"/dev/mmcblk", '0'}, {"/dev/dm-", '0'}, {"/dev/md", '0'},
        {"/dev/loop", '*'}, {"/dev/nbd", '0'},    {"/dev/rbd", '0'}, {"/dev/sg", '0'},
        {"/dev/zd", '0'},
    };
    static const char *const mem[] = {"/dev/mem", "/dev/kmem", "/dev/kmsg", "/dev/port", "/dev"};
    size_t i;

    for (i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
        if (!strcmp(p, mem[i]))
            return DEV_CRITICAL;
    }
    for (i = 0; i < sizeof(block) / sizeof(block[0]); i++) {
        if (dev_family_match(p, &block[i]))
            return DEV_CRITICAL;
    }
    if (path_is_or_under(p, "/dev/mapper") || path_is_or_under(p, "/dev/disk"))
        return DEV_CRITICAL;
    /* NVIDIA nodes, DRM render nodes, AMD's compute node and CDI names for GPUs */
    if (bh_str_prefix(p, "/dev/nvidia") || path_is_or_under(p, "/dev/dri") ||
        !strcmp(p, "/dev/kfd") || bh_str_iprefix(p, "nvidia.com/gpu") ||
        bh_str_iprefix(p, "amd.com/gpu"))
        return DEV_GPU;
    if (!strcmp(p, "/dev/fuse"))
        return DEV_FUSE;
    return DEV_OTHER;
}

/*
 * A device cgroup rule `TYPE MAJOR:MINOR PERMS`: critical when it opens every device (`a`),
 * every block device, every major number, or the memory devices (major 1: mem, kmem, port),
 * since MKNOD - in Docker's default set - lets the container create the node itself.
 */
static bool cgroup_rule_critical(const char *r)
{
    while (*r == ' ' || *r == '\t')
        r++;
    if (*r == 'a' || *r == 'b')
        return true;
    if (*r != 'c')
        return false;
    r++;
    while (*r == ' ' || *r == '\t')
        r++;
    return *r == '*' || (r[0] == '1' && r[1] == ':');
}

static void check_devices(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *key = spell(rs, "devices:", "devices:", "--device");
    const struct bh_rs_str *sysadmin;
    size_t i;

    if (is_privileged(rs))
        return; /* RUN-PRIV already says "every host device" */
    sysadmin = adds_cap(c, rs, "SYS_ADMIN");
    for (i = 0; i < rs->ndevices; i++) {
        const struct bh_device *d = &rs->devices[i];
        const char *raw = d->host_path, *p;
        struct bh_finding *f;

        if (!raw || !*raw)
            continue;
        p = raw[0] == '/' ? bh_norm_path(c->arena, raw) : NULL;
        if (!p)
            p = raw;
        switch (dev_classify(p)) {
        case DEV_CRITICAL:
            bh_rule_report_sev(
                c, BH_SEV_CRITICAL, &d->loc, NULL,
                "`%s %s` in %s gives the container the host's %s", key, raw, where(c, rs),
                !strcmp(p, "/dev") ? "every device node"
                : (!strcmp(p, "/dev/mem") || !strcmp(p, "/dev/kmem") || !strcmp(p, "/dev/port"))
                    ? "physical memory or I/O ports"
                : !strcmp(p, "/dev/kmsg") ? "kernel log (read and write)"
                                          : "block device: raw access to a disk "
                                            "bypasses every file permission");
            break;
        case DEV_GPU:
            f = bh_rule_report(c, &d->loc, NULL, "`%s %s` in %s passes a GPU to the container", key,
                               raw, where(c, rs));
            allow(f, "allowed by default: GPU devices are intended hardware access");
            break;
        case DEV_FUSE:
            if (sysadmin) {
                bh_rule_report_sev(c, BH_SEV_CRITICAL, &d->loc, NULL,
                                   "`%s %s` in %s together with `%s` (line %d) lets the "
                                   "container mount FUSE filesystems of its own making, a "
                                   "known escape path",
                                   key, raw, where(c, rs), sysadmin->v, sysadmin->loc.line);
            } else {
                f = bh_rule_report(c, &d->loc, NULL, "`%s %s` in %s gives the container FUSE", key,
                                   raw, where(c, rs));
                allow(f, "allowed by default: /dev/fuse without SYS_ADMIN is intended use");
            }
            break;
        case DEV_OTHER:
            f = bh_rule_report(c, &d->loc, NULL, "`%s %s` in %s gives the container a host device",
                               key, raw, where(c, rs));
            if (policy_allows_device(c, p))
                allow(f, "allowed by the policy (devices.allowed)");
            break;
        }
    }
    for (i = 0; i < rs->device_cgroup_rules.n; i++) {
        const struct bh_rs_str *r = &rs->device_cgroup_rules.v[i];

        if (!r->v)
            continue;
        bh_rule_report_sev(
            c, cgroup_rule_critical(r->v) ? BH_SEV_CRITICAL : BH_SEV_HIGH, &r->loc, NULL,
            "`%s '%s'` in %s lets the container use host devices it creates or is given",
            spell(rs, "device_cgroup_rules:", "device_cgroup_rules:", "--device-cgroup-rule"), r->v,
            where(c, rs));
    }
    for (i = 0; i < rs->gpus.n; i++) {
        const struct bh_rs_str *g = &rs->gpus.v[i];
        struct bh_finding *f;

        if (!g->v)
            continue;
        if (is_compose(rs))
            f = bh_rule_report(c, &g->loc, NULL,
                               "GPU reservation `%s` in %s passes GPUs to the container", g->v,
                               where(c, rs));
        else
            f = bh_rule_report(c, &g->loc, NULL, "`--gpus %s` in %s passes GPUs to the container",
                               g->v, where(c, rs));
        allow(f, "allowed by default: GPU devices are intended hardware access");
    }
}

/* ----------------------------------------------------------- security_opt */

/* Call fn on every N7 security option of rs whose key is `key` (compose/CLI/inspect). */
static void each_secopt(struct bh_rule_ctx *c, const struct bh_runspec *rs, const char *key,
                        void (*fn)(struct bh_rule_ctx *, const struct bh_runspec *,
                                   const struct bh_rs_str *, const char *value))
{
    size_t i;

    for (i = 0; i < rs->security_opt.n; i++) {
        const struct bh_rs_str *it = &rs->security_opt.v[i];
        struct bh_secopt so;

        if (!it->v || bh_norm_secopt(c->arena, it->v, &so) < 0 || !so.key)
            continue;
        if (bh_str_ieq(so.key, key))
            fn(c, rs, it, so.value ? so.value : "");
    }
}

static const char *secopt_key(const struct bh_runspec *rs)
{
    return spell(rs, "security_opt:", "security_opt:", "--security-opt");
}

/* ---------------------------------------------------------------- RUN-NNP */

struct nnp_state {
    const struct bh_rs_str *item; /* the last no-new-privileges option */
    bool on;
};

static bool nnp_value_on(const char *v)
{
    bool b;

    if (!*v)
        return true; /* bare `no-new-privileges` */
    return bh_norm_bool(v, &b) == 0 && b;
}

static void check_nnp(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const struct bh_rs_str *last = NULL;
    const char *last_val = NULL;
    size_t i;

    if (is_privileged(rs))
        return; /* privileged always allows escalation; RUN-PRIV reports it */
    if (is_k8s(rs)) {
        const struct bh_rs_str *sa = adds_cap(c, rs, "SYS_ADMIN");

        if (rs->allow_privilege_escalation.v == BH_TRUE)
            bh_rule_report(c, &rs->allow_privilege_escalation.loc, NULL,
                           "`allowPrivilegeEscalation: true` in %s lets setuid binaries and file "
                           "capabilities raise privileges",
                           where(c, rs));
        else if (rs->allow_privilege_escalation.v == BH_UNSET)
            bh_rule_report(c, &rs->loc, NULL,
                           "%s does not set `allowPrivilegeEscalation: false`; unset means "
                           "allowed, so setuid binaries and file capabilities can raise "
                           "privileges",
                           where(c, rs));
        else if (sa)
            bh_rule_report(c, &sa->loc, NULL,
                           "`capabilities.add: %s` in %s: with SYS_ADMIN Kubernetes treats "
                           "privilege escalation as allowed, whatever `allowPrivilegeEscalation` "
                           "says",
                           sa->v, where(c, rs));
        return;
    }
    for (i = 0; i < rs->security_opt.n; i++) {
        const struct bh_rs_str *it = &rs->security_opt.v[i];
        struct bh_secopt so;

        if (!it->v || bh_norm_secopt(c->arena, it->v, &so) < 0 || !so.key)
            continue;
        if (bh_str_ieq(so.key, "no-new-privileges")) {
            last = it;
            last_val = so.value ? so.value : "";
        }
    }
    if (last && nnp_value_on(last_val))
        return;
    if (last) {
        bh_rule_report(c, &last->loc, NULL,
                       "`%s %s` in %s turns no-new-privileges off: setuid binaries and file "
                       "capabilities can raise privileges",
                       secopt_key(rs), last->v, where(c, rs));
        return;
    }
    bh_rule_report(c, &rs->loc, NULL,
                   "%s does not set `%s no-new-privileges:true`, so setuid binaries and file "
                   "capabilities can raise privileges (unless the daemon sets it for every "
                   "container)",
                   where(c, rs), secopt_key(rs));
}

/* ------------------------------------------------------------ RUN-SECCOMP */

static void seccomp_opt(struct bh_rule_ctx *c, const struct bh_runspec *rs,
                        const struct bh_rs_str *it, const char *v)
{
    if (bh_str_ieq(v, "unconfined")) {
        bh_rule_report_sev(c, BH_SEV_HIGH, &it->loc, NULL,
                           "`%s %s` in %s turns seccomp off: every system call reaches the "
                           "kernel",
                           secopt_key(rs), it->v, where(c, rs));
    } else if (*v && !bh_str_ieq(v, "builtin")) {
        bh_rule_report_sev(c, BH_SEV_HIGH, &it->loc, NULL,
                           "`%s %s` in %s replaces Docker's seccomp profile with '%s', which "
                           "is not checked here; a profile whose defaultAction is SCMP_ACT_ALLOW "
                           "is no confinement at all",
                           secopt_key(rs), it->v, where(c, rs), v);
    }
}

static void check_seccomp(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *v = rs->seccomp.v;

    if (is_privileged(rs))
        return;
    if (!is_k8s(rs)) {
        each_secopt(c, rs, "seccomp", seccomp_opt);
        return;
    }
    if (!v) {
        bh_rule_report_sev(c, BH_SEV_LOW, &rs->loc, NULL,
                           "%s sets no `seccompProfile`: Kubernetes runs it Unconfined unless "
                           "the kubelet uses --seccomp-default (restricted requires "
                           "RuntimeDefault or Localhost)",
                           where(c, rs));
    } else if (bh_str_ieq(v, "Unconfined")) {
        bh_rule_report_sev(c, BH_SEV_HIGH, &rs->seccomp.loc, NULL,
                           "`seccompProfile.type: %s` in %s turns seccomp off: every system call "
                           "reaches the kernel",
                           v, where(c, rs));
    }
}

/* ----------------------------------------------------------- RUN-APPARMOR */

static void apparmor_opt(struct bh_rule_ctx *c, const struct bh_runspec *rs,
                         const struct bh_rs_str *it, const char *v)
{
    if (bh_str_ieq(v, "unconfined"))
        bh_rule_report(c, &it->loc, NULL, "`%s %s` in %s runs the container without AppArmor",
                       secopt_key(rs), it->v, where(c, rs));
}

static void check_apparmor(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (is_privileged(rs))
        return;
    if (!is_k8s(rs)) {
        each_secopt(c, rs, "apparmor", apparmor_opt);
        return;
    }
    if (rs->apparmor.v && bh_str_ieq(rs->apparmor.v, "Unconfined"))
        bh_rule_report(c, &rs->apparmor.loc, NULL,
                       "AppArmor profile `%s` in %s runs the container without AppArmor",
                       rs->apparmor.v, where(c, rs));
}

/* ------------------------------------------------------------ RUN-SELINUX */

static bool selinux_type_ok(const char *t)
{
    return !*t || !strcmp(t, "container_t") || !strcmp(t, "container_init_t") ||
           !strcmp(t, "container_kvm_t");
}

static void label_opt(struct bh_rule_ctx *c, const struct bh_runspec *rs,
                      const struct bh_rs_str *it, const char *v)
{
    const char *why = NULL;

    if (bh_str_ieq(v, "disable"))
        why = "turns SELinux separation off";
    else if (bh_str_iprefix(v, "type:") && !strcmp(v + 5, "spc_t"))
        why = "uses spc_t, the unconfined super-privileged container type";
    else if (bh_str_iprefix(v, "type:") && !selinux_type_ok(v + 5))
        why = "replaces the container process type with a custom one";
    else if (bh_str_iprefix(v, "user:") || bh_str_iprefix(v, "role:"))
        why = "sets an SELinux user or role other than the container default";
    if (why)
        bh_rule_report(c, &it->loc, NULL, "`%s %s` in %s %s", secopt_key(rs), it->v, where(c, rs),
                       why);
}

static void check_selinux(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (is_privileged(rs))
        return;
    if (!is_k8s(rs)) {
        each_secopt(c, rs, "label", label_opt);
        return;
    }
    if (rs->selinux_type.v && !selinux_type_ok(rs->selinux_type.v))
        bh_rule_report(c, &rs->selinux_type.loc, NULL, "`seLinuxOptions.type: %s` in %s %s",
                       rs->selinux_type.v, where(c, rs),
                       !strcmp(rs->selinux_type.v, "spc_t")
                           ? "uses spc_t, the unconfined super-privileged container type"
                           : "is not one of container_t, container_init_t, container_kvm_t");
    if (rs->selinux_user.v && *rs->selinux_user.v)
        bh_rule_report(c, &rs->selinux_user.loc, NULL,
                       "`seLinuxOptions.user: %s` in %s sets a custom SELinux user",
                       rs->selinux_user.v, where(c, rs));
    if (rs->selinux_role.v && *rs->selinux_role.v)
        bh_rule_report(c, &rs->selinux_role.loc, NULL,
                       "`seLinuxOptions.role: %s` in %s sets a custom SELinux role",
                       rs->selinux_role.v, where(c, rs));
}

/* ------------------------------------------------------------- RUN-UNMASK */

static void systempaths_opt(struct bh_rule_ctx *c, const struct bh_runspec *rs,
                            const struct bh_rs_str *it, const char *v)
{
    if (bh_str_ieq(v, "unconfined"))
        bh_rule_report(c, &it->loc, NULL,
                       "`%s %s` in %s removes the masks and read-only mounts over /proc and "
                       "/sys",
                       secopt_key(rs), it->v, where(c, rs));
}

static void check_unmask(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (is_privileged(rs))
        return;
    if (!is_k8s(rs)) {
        each_secopt(c, rs, "systempaths", systempaths_opt);
        return;
    }
    if (!rs->proc_mount.v || !bh_str_ieq(rs->proc_mount.v, "Unmasked"))
        return;
    if (rs->host_users.v == BH_FALSE)
        bh_rule_report_sev(c, BH_SEV_MEDIUM, &rs->proc_mount.loc, NULL,
                           "`procMount: %s` in %s removes the masks over /proc; the pod has its "
                           "own user namespace (`hostUsers: false`), which baseline accepts but "
                           "restricted does not",
                           rs->proc_mount.v, where(c, rs));
    else
        bh_rule_report(c, &rs->proc_mount.loc, NULL,
                       "`procMount: %s` in %s removes the masks over /proc in the node's user "
                       "namespace",
                       rs->proc_mount.v, where(c, rs));
}

/* ------------------------------------------------------------- RUN-SYSCTL */

/* Kubernetes' safe set (PSS baseline, current PSA); the same names are harmless under Docker. */
static const char *const safe_sysctls[] = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
};

/*
 * The sysctl name of a "name=value" item in dotted form. A name written with `/`
 * separators uses `.` for a literal dot inside a component (`net/ipv4/conf/eth0.1/x`),
 * so the two are swapped, as sysctl(8) and the kubelet do.
 */
static const char *sysctl_name(struct bh_arena *a, const char *item)
{
    const char *eq = strchr(item, '=');
    size_t n = eq ? (size_t)(eq - item) : strlen(item), i;
    char *s;
    bool slash;

    while (n > 0 && (item[n - 1] == ' ' || item[n - 1] == '\t'))
        n--;
    while (n > 0 && (*item == ' ' || *item == '\t')) {
        item++;
        n--;
    }
    s = bh_arena_strndup(a, item, n);
    if (!s)
        return NULL;
    slash = memchr(s, '/', n) != NULL;
    for (i = 0; slash && i < n; i++)
        s[i] = s[i] == '/' ? '.' : s[i] == '.' ? '/' : s[i];
    return s;
}

static void check_sysctl(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i, k;

    for (i = 0; i < rs->sysctls.n; i++) {
        const struct bh_rs_str *it = &rs->sysctls.v[i];
        const char *name = it->v ? sysctl_name(c->arena, it->v) : NULL;
        bool safe = false;

        if (!name || !*name)
            continue;
        for (k = 0; k < sizeof(safe_sysctls) / sizeof(safe_sysctls[0]); k++)
            safe = safe || !strcmp(name, safe_sysctls[k]);
        if (safe)
            continue;
        if (is_k8s(rs))
            bh_rule_report(c, &it->loc, NULL,
                           "sysctl `%s` in %s is outside the Kubernetes safe set: the kubelet "
                           "must allow it as unsafe, and it can affect other pods on the node",
                           it->v, where(c, rs));
        else
            bh_rule_report_sev(c, BH_SEV_LOW, &it->loc, NULL,
                               "sysctl `%s` in %s is outside the safe set; Docker only accepts "
                               "namespaced sysctls, so it changes this container's namespaces, "
                               "not the host",
                               it->v, where(c, rs));
    }
}

/* -------------------------------------------------------- K8S-HOSTPROCESS */

static void check_hostprocess(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    if (!is_k8s(rs) || rs->host_process.v != BH_TRUE)
        return;
    bh_rule_report(c, &rs->host_process.loc, NULL,
                   "`windowsOptions.hostProcess: true` in %s runs it as a process on the Windows "
                   "node, with the node's network, filesystem and the chosen node account",
                   where(c, rs));
}

/* ------------------------------------------------------------------ table */

const struct bh_rule bh_rules_runpriv[] = {
    {"K8S-HOSTPROCESS",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Windows HostProcess container",
     NULL,
     check_hostprocess,
     "Remove windowsOptions.hostProcess (and hostNetwork) and run the workload as an ordinary "
     "Windows container; keep node agents in a separate, tightly controlled namespace.",
     {"trivy KSV103", "PSS B:windowsHostProcess", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-APPARMOR",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "AppArmor confinement disabled",
     NULL,
     check_apparmor,
     "Remove apparmor=unconfined and keep the runtime's default profile, or load a custom "
     "profile and name it (apparmor=NAME, appArmorProfile type Localhost).",
     {"CIS 5.2", "trivy KSV002", "KICS K 'Missing App Armor Config'", "PSS B:appArmorProfile",
      NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-CAPADD",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Capabilities added beyond the default set",
     NULL,
     check_capadd,
     "Remove the added capability, or replace it with the narrowest one the process needs and "
     "allow that one in the policy (capabilities.allowed).",
     {"CIS 5.4", "CIS C.5.3.1", "CIS C.5.3.2", "CIS C.5.3.3", "CIS C.5.3.4", "trivy KSV005",
      "trivy KSV120", "trivy KSV119", "trivy KSV022", "trivy KSV106",
      "KICS C 'Container Capabilities Unrestricted'", "KICS K 'Containers With Added Capabilities'",
      "KICS K 'Containers With Sys Admin Capabilities'", "PSS B:capabilities_baseline",
      "PSS R:capabilities_restricted"},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-CAPDROP",
     3,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Default capabilities not dropped",
     NULL,
     check_capdrop,
     "Drop every capability (cap_drop: [ALL], --cap-drop ALL, capabilities.drop: [\"ALL\"]) and "
     "add back only the ones the process needs.",
     {"trivy KSV003", "trivy KSV004", "trivy KSV106",
      "KICS C 'Container Capabilities Unrestricted'",
      "KICS K 'No Drop Capabilities for Containers'",
      "KICS K 'NET_RAW Capabilities Not Being Dropped'",
      "KICS K 'Not Limited Capabilities For Container'", "PSS R:capabilities_restricted", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-DEVICES",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Host devices exposed to the container",
     NULL,
     check_devices,
     "Remove the device and the device cgroup rule; pass only the single device node the "
     "workload needs, read-only where it can be.",
     {"CIS 5.18", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTIPC",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Host IPC namespace shared",
     NULL,
     check_hostipc,
     "Remove ipc: host (--ipc=host, hostIPC: true); share IPC only between the containers that "
     "need it (ipc: shareable and container:NAME).",
     {"CIS 5.17", "trivy KSV008", "KICS C 'Shared Host IPC Namespace'",
      "KICS K 'Shared Host IPC Namespace'", "PSS B:hostNamespaces", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTNET",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Host network namespace shared",
     NULL,
     check_hostnet,
     "Remove network_mode: host (--network host, hostNetwork: true) and publish only the ports "
     "the service needs, bound to the address that should reach them.",
     {"CIS 5.10", "trivy KSV009", "KICS C 'Shared Host Network Namespace'",
      "KICS K 'Shared Host Network Namespace'", "PSS B:hostNamespaces", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTPID",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Host PID namespace shared",
     NULL,
     check_hostpid,
     "Remove pid: host (--pid=host, hostPID: true); to see a sibling's processes share that "
     "container's namespace instead (pid: service:NAME, shareProcessNamespace).",
     {"CIS 5.16", "trivy KSV010", "KICS C 'Host Namespace is Shared'",
      "KICS K 'Shared Host PID Namespace'", "PSS B:hostNamespaces", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTUSERNS",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Host user or cgroup namespace shared",
     NULL,
     check_hostuserns,
     "Remove userns_mode: host and cgroup: host (--userns=host, --cgroupns=host); in Kubernetes "
     "set hostUsers: false where the nodes support user namespaces.",
     {"CIS 5.31", "KICS C 'Shared Host User Namespace'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTUTS",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Host UTS namespace shared",
     NULL,
     check_hostuts,
     "Remove uts: host (--uts=host); set the container's own hostname with hostname: if it "
     "needs one.",
     {"CIS 5.21", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-NNP",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Privilege escalation not blocked",
     NULL,
     check_nnp,
     "Set security_opt: [\"no-new-privileges:true\"] (--security-opt no-new-privileges) or "
     "allowPrivilegeEscalation: false, and do not add SYS_ADMIN.",
     {"CIS 5.26", "CIS 2.14", "trivy KSV001", "KICS C 'No New Privileges Not Set'",
      "KICS K 'Privilege Escalation Allowed'", "PSS R:allowPrivilegeEscalation", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-PRIV",
     3,
     BH_SEV_CRITICAL,
     BH_APPLIES_RUN,
     "Privileged container",
     NULL,
     check_priv,
     "Remove privileged mode and grant only what the workload needs: single capabilities, "
     "single devices, specific mounts.",
     {"CIS 5.5", "CIS 5.23", "trivy KSV017", "KICS C 'Privileged Containers Enabled'",
      "KICS K 'Container Is Privileged'", "PSS B:privileged", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SECCOMP",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Seccomp disabled or not set",
     NULL,
     check_seccomp,
     "Keep the runtime's default seccomp profile: remove seccomp=unconfined and in Kubernetes set "
     "seccompProfile type RuntimeDefault (or Localhost with a reviewed profile).",
     {"CIS 5.22", "CIS 2.17", "trivy KSV104", "trivy KSV030",
      "KICS C 'Default Seccomp Profile Disabled'", "KICS C 'Security Opt Not Set'",
      "KICS K 'Seccomp Profile Is Not Configured'", "PSS B:seccompProfile_baseline",
      "PSS R:seccompProfile_restricted", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SELINUX",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "SELinux separation disabled or overridden",
     NULL,
     check_selinux,
     "Remove label=disable and custom SELinux types, users and roles; keep the default "
     "container_t type and set only the MCS level when sharing data needs it.",
     {"CIS 5.3", "trivy KSV025", "PSS B:seLinuxOptions", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SYSCTL",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Unsafe sysctls set",
     NULL,
     check_sysctl,
     "Set only sysctls from the safe set; tune node-wide kernel settings on the node itself, "
     "not from a container.",
     {"trivy KSV026", "KICS K 'Cluster Allows Unsafe Sysctls'", "PSS B:sysctls", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-UNMASK",
     3,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "/proc and /sys masking removed",
     NULL,
     check_unmask,
     "Remove systempaths=unconfined and procMount: Unmasked so the runtime keeps masking "
     "sensitive /proc and /sys paths.",
     {"trivy KSV027", "KICS K 'Container Runs Unmasked'", "PSS B:procMount",
      "PSS R:procMount_restricted", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_runpriv_n = sizeof(bh_rules_runpriv) / sizeof(bh_rules_runpriv[0]);
