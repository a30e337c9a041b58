/*
 * runexpose.c - rules over a container as it runs (bh_runspec), whatever
 * described it: published ports and Kubernetes Services, the user and groups
 * it runs as, host mounts (hostPath, propagation, engine state), a writable
 * root filesystem, the engine API in the environment, service account tokens,
 * probe hosts, pull policy and resource limits. Sockets, system paths and
 * secrets in the environment are content.c's; image references are ref.c's.
 */
#include "rules/groups.h"

#include "core/arena.h"
#include "core/str.h"
#include "model/imageref.h"
#include "model/norm.h"

#include <string.h>

/* ---------------------------------------------------------------- helpers */

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Pod-level Kubernetes settings (runAsGroup, fsGroup, volumes) are folded into
 * every container of the pod, so two containers can report the same thing at
 * the same place: keep the first. f must be the finding just appended.
 */
static struct bh_finding *keep_first(struct bh_rule_ctx *c, struct bh_finding *f)
{
    size_t i;

    if (!f || c->out->n == 0 || f != &c->out->v[c->out->n - 1])
        return f;
    for (i = 0; i + 1 < c->out->n; i++) {
        const struct bh_finding *g = &c->out->v[i];

        if (strcmp(g->rule, f->rule) == 0 && g->loc.line == f->loc.line &&
            g->loc.col == f->loc.col && same_str(g->loc.file, f->loc.file) &&
            g->severity == f->severity && strcmp(g->message, f->message) == 0) {
            c->out->n--;
            return NULL;
        }
    }
    return f;
}

/* A field's own location when it has one (a line, or a field path: engine inspect documents
 * have no useful lines), else the container's. */
static const struct bh_loc *loc_or(const struct bh_loc *l, const struct bh_runspec *rs)
{
    return l->line > 0 || (l->file && l->path) ? l : &rs->loc;
}

static bool is_kind(const struct bh_runspec *rs, const char *kind)
{
    return rs->source_kind && strcmp(rs->source_kind, kind) == 0;
}

static bool covers(unsigned lo, unsigned hi, unsigned n)
{
    return lo <= n && n <= (hi > lo ? hi : lo);
}

static const char *port_shown(struct bh_arena *a, const struct bh_port *p)
{
    if (p->raw && *p->raw)
        return p->raw;
    if (p->host_lo)
        return bh_arena_printf(a, "%u:%u", p->host_lo, p->cont_lo);
    return bh_arena_printf(a, "%u", p->cont_lo);
}

/* The normalised host path of a bind or hostPath mount; NULL for volumes, tmpfs, relative paths. */
static const char *host_path(struct bh_arena *a, const struct bh_mount *m)
{
    if (m->kind != BH_MOUNT_BIND && m->kind != BH_MOUNT_HOSTPATH)
        return NULL;
    return bh_norm_path(a, m->source ? m->source : m->source_raw);
}

static const char *mount_shown(struct bh_arena *a, const struct bh_mount *m, const char *np)
{
    const char *raw = m->source_raw ? m->source_raw : m->source;

    if (!np)
        return bh_arena_printf(a, "'%s'", raw ? raw : "?");
    if (!raw || strcmp(raw, np) == 0)
        return bh_arena_printf(a, "'%s'", np);
    return bh_arena_printf(a, "'%s' (that is '%s')", raw, np);
}

/* The value of NAME=value in a runtime env list entry; NULL when e is another name. */
static const char *env_value(const struct bh_rs_str *e, const char *name)
{
    size_t n = strlen(name);

    if (!e->v || strncmp(e->v, name, n) != 0 || e->v[n] != '=')
        return NULL;
    return e->v + n + 1;
}

/* ------------------------------------------------- RUN-PORTS-ALL, -PRIV */

/* Ports whose services should never face every network: engine API, SSH, databases, admin UIs. */
static const struct {
    unsigned port;
    const char *what;
} risky_ports[] = {
    {22, "SSH"},        {2375, "the Docker API"}, {2376, "the Docker API over TLS"},
    {3306, "MySQL"},    {5432, "PostgreSQL"},     {6379, "Redis"},
    {27017, "MongoDB"}, {9200, "Elasticsearch"},  {11211, "memcached"},
    {5984, "CouchDB"},  {8086, "InfluxDB"},       {9042, "Cassandra"},
};

/* The first risky port in the container or host range of p, or 0. */
static unsigned risky(const struct bh_port *p, const char **what)
{
    size_t i;

    for (i = 0; i < sizeof(risky_ports) / sizeof(risky_ports[0]); i++) {
        if ((p->cont_lo && covers(p->cont_lo, p->cont_hi, risky_ports[i].port)) ||
            (p->host_lo && covers(p->host_lo, p->host_hi, risky_ports[i].port))) {
            *what = risky_ports[i].what;
            return risky_ports[i].port;
        }
    }
    return 0;
}

/* " (YAML 1.1 reads it as 1342)" for a `22:22` item; "" when the text is not digits and colons. */
static const char *base60_value(struct bh_arena *a, const char *raw)
{
    const char *p = raw;
    long long v = 0, part;

    if (!strchr(raw, ':') || strspn(raw, "0123456789:") != strlen(raw))
        return "";
    while (*p) {
        size_t n = strcspn(p, ":");

        if (bh_parse_int(p, n, 0, 1000000, &part) != 0 || v > 1000000000LL)
            return "";
        v = v * 60 + part;
        p += n;
        if (*p == ':')
            p++;
    }
    return bh_arena_printf(a, " (YAML 1.1 reads it as %lld)", v);
}

static void check_ports_all(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nports; i++) {
        const struct bh_port *p = &rs->ports[i];
        const char *shown = port_shown(c->arena, p), *what = NULL, *why, *extra = "";
        const char *b60 =
            p->yaml_base60 ? "; unquoted, it is a base-60 number to a YAML 1.1 reader" : "";
        unsigned rp = risky(p, &what);
        enum bh_severity sev = rp ? BH_SEV_HIGH : BH_SEV_MEDIUM;

        /* a separate note: `22:22` unquoted is 1342 to a YAML 1.1 reader, whatever it exposes */
        if (p->yaml_base60)
            bh_rule_report_sev(c, BH_SEV_LOW, loc_or(&p->loc, rs), NULL,
                               "port item '%s' is a YAML 1.1 base-60 number%s; quote it so "
                               "every tool reads the same mapping",
                               shown, base60_value(c->arena, shown));
        if (!p->published)
            continue;
        if (rp)
            extra = bh_arena_printf(c->arena, "; port %u is %s", rp, what);
        if (p->ingress)
            why = "uses mode: ingress, so the swarm routing mesh publishes it on every node";
        else if (!bh_norm_ip_wildcard(p->host_ip))
            continue; /* bound to one address: loopback or a chosen interface */
        else if (p->host_lo == 0)
            why = bh_arena_printf(c->arena,
                                  "publishes container port %u on a random host port on all "
                                  "interfaces",
                                  p->cont_lo);
        else if (p->host_ip && *p->host_ip)
            why =
                bh_arena_printf(c->arena, "is published on all host interfaces ('%s')", p->host_ip);
        else
            why = "is published on all host interfaces (no host IP given)";
        keep_first(c, bh_rule_report_sev(c, sev, loc_or(&p->loc, rs), NULL, "port '%s' %s%s%s",
                                         shown, why, extra, b60));
    }
    if (rs->publish_all)
        bh_rule_report(c, loc_or(&rs->publish_all_loc, rs), NULL,
                       "publish-all (-P) publishes every port the image exposes on random host "
                       "ports on all interfaces");
}

/* Is a Service annotated `bulkhead.dev/ignore` for this rule? (Services have no container.) */
static bool service_ignores(const struct bh_service *s, const char *rule)
{
    const char *p = s->ignore_ids;

    while (p && *p) {
        size_t n;

        while (*p == ' ' || *p == ',')
            p++;
        n = strcspn(p, ", ");
        if (n && (bh_str_ieqn(p, n, rule) || (n == 1 && *p == '*')))
            return true;
        p += n;
    }
    return false;
}

static void service_report(struct bh_rule_ctx *c, const struct bh_service *s, enum bh_severity sev,
                           const struct bh_loc *loc, const char *msg)
{
    struct bh_finding *f =
        bh_rule_report_sev(c, sev, loc->line > 0 ? loc : &s->loc, NULL, "%s", msg);

    if (f && service_ignores(s, c->rule->id)) {
        f->suppressed_kind = "annotation";
        f->suppressed_reason = bh_arena_printf(c->arena, "bulkhead.dev/ignore on %s", s->name);
    }
}

/* Kubernetes Services: NodePort and LoadBalancer open ports outside the cluster network. */
static void check_ports_all_set(struct bh_rule_ctx *c, const struct bh_runset *set)
{
    size_t i, k;

    for (i = 0; i < set->nservices; i++) {
        const struct bh_service *s = &set->services[i];
        const char *name = s->name ? s->name : "the Service", *what = NULL, *extra = "";
        enum bh_severity sev = BH_SEV_MEDIUM;
        unsigned rp = 0;

        for (k = 0; k < s->nports && !rp; k++)
            rp = risky(&s->ports[k], &what);
        if (rp) {
            sev = BH_SEV_HIGH;
            extra = bh_arena_printf(c->arena, "; port %u is %s", rp, what);
        }
        if (s->type.v && bh_str_ieq(s->type.v, "NodePort"))
            service_report(c, s, sev, &s->type.loc,
                           bh_arena_printf(c->arena,
                                           "%s has type NodePort: every node opens its ports on "
                                           "all of the node's interfaces%s",
                                           name, extra));
        else if (s->type.v && bh_str_ieq(s->type.v, "LoadBalancer"))
            service_report(c, s, sev, &s->type.loc,
                           bh_arena_printf(c->arena,
                                           "%s has type LoadBalancer: a load balancer exposes it "
                                           "outside the cluster, and every node opens a node "
                                           "port as well%s",
                                           name, extra));
        for (k = 0; k < s->external_ips.n; k++) {
            const struct bh_rs_str *ip = &s->external_ips.v[k];

            service_report(c, s, sev, &ip->loc,
                           bh_arena_printf(c->arena,
                                           "%s lists the external IP '%s': nodes accept "
                                           "traffic for that address and route it to the "
                                           "Service%s",
                                           name, ip->v ? ip->v : "?", extra));
        }
    }
}

static void check_ports_priv(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    bool k8s = is_kind(rs, "kubernetes");
    size_t i;

    for (i = 0; i < rs->nports; i++) {
        const struct bh_port *p = &rs->ports[i];
        const char *shown = port_shown(c->arena, p);

        if (p->published && p->host_lo > 0 && p->host_lo < 1024)
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "port '%s' maps to the privileged host port %u", shown, p->host_lo);
        else if (k8s && p->cont_lo > 0 && p->cont_lo < 1024)
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "containerPort %u is below 1024, so the process needs root or "
                           "NET_BIND_SERVICE to bind it",
                           p->cont_lo);
    }
}

/* --------------------------------------------------- RUN-ROOT, -ROOTGROUP */

static void check_root(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    bool userns = rs->host_users.v == BH_FALSE;
    enum bh_severity sev = userns ? BH_SEV_LOW : BH_SEV_HIGH;
    const char *note = userns ? "; hostUsers: false maps it to an unprivileged host user" : "";
    struct bh_user u;

    if (rs->user.v) {
        bh_norm_user(rs->user.v, &u);
        if (u.set && !u.unknown && u.user_root)
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&rs->user.loc, rs), NULL,
                                             "the container runs as root: user '%s'%s", rs->user.v,
                                             note));
        if (u.set)
            return; /* an explicit user wins over the image's */
    }
    if (rs->run_as_user.v) {
        if (bh_norm_id_is_zero(rs->run_as_user.v))
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&rs->run_as_user.loc, rs), NULL,
                                             "runAsUser is %s: the container runs as root%s",
                                             rs->run_as_user.v, note));
        return; /* a non-zero UID is not root whatever runAsNonRoot says */
    }
    /* Compose and docker run without a user take the image's (BUILD-USER judges images) */
    if (!is_kind(rs, "kubernetes") || rs->run_as_non_root.v == BH_TRUE)
        return;
    if (rs->run_as_non_root.v == BH_FALSE)
        keep_first(c, bh_rule_report_sev(c, sev, loc_or(&rs->run_as_non_root.loc, rs), NULL,
                                         "runAsNonRoot is false and no non-zero runAsUser is "
                                         "set: the container runs as root unless the image "
                                         "names another user%s",
                                         note));
    else
        bh_rule_report_sev(c, sev, &rs->loc, NULL,
                           "neither runAsNonRoot: true nor a non-zero runAsUser is set: the "
                           "container runs as root unless the image names another user%s",
                           note);
}

static bool group_is_root(const char *g)
{
    return g && (strcmp(g, "root") == 0 || bh_norm_id_is_zero(g));
}

static void check_rootgroup(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    struct bh_user u;
    size_t i;

    if (rs->user.v) {
        bh_norm_user(rs->user.v, &u);
        if (u.set && !u.unknown && u.group_root)
            keep_first(c, bh_rule_report(c, loc_or(&rs->user.loc, rs), NULL,
                                         "the primary group is root: user '%s'", rs->user.v));
    }
    if (rs->run_as_group.v && bh_norm_id_is_zero(rs->run_as_group.v))
        keep_first(c, bh_rule_report(c, loc_or(&rs->run_as_group.loc, rs), NULL,
                                     "runAsGroup is %s: the primary group is root",
                                     rs->run_as_group.v));
    for (i = 0; i < rs->group_add.n; i++) {
        const struct bh_rs_str *g = &rs->group_add.v[i];

        if (group_is_root(g->v))
            keep_first(c, bh_rule_report(c, loc_or(&g->loc, rs), NULL,
                                         "supplementary group '%s' is root (GID 0): files "
                                         "owned by group root become writable or readable",
                                         g->v));
    }
}

/* ------------------------------------- RUN-HOSTPATH, -PROPAGATION, -ENGINEDIR */

static void check_hostpath(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *np = host_path(c->arena, m);

        if (m->kind == BH_MOUNT_HOSTPATH)
            keep_first(c, bh_rule_report_sev(
                              c, BH_SEV_MEDIUM, loc_or(&m->loc, rs), NULL,
                              "hostPath volume %s%s%s%s is mounted at '%s': the Pod Security "
                              "baseline forbids hostPath",
                              mount_shown(c->arena, m, np), m->hostpath_type ? " (type " : "",
                              m->hostpath_type ? m->hostpath_type : "", m->hostpath_type ? ")" : "",
                              m->target ? m->target : "?"));
        else if (m->kind == BH_MOUNT_OTHER && is_kind(rs, "kubernetes") && m->source)
            /* the K8s reader names the volume type in source (NULL: a volume the pod does
             * not declare, which the API server rejects - nothing to judge) */
            keep_first(c, bh_rule_report_sev(
                              c, BH_SEV_MEDIUM, loc_or(&m->loc, rs), NULL,
                              "volume '%s' of type %s, mounted at '%s', is outside the Pod "
                              "Security restricted list (configMap, csi, downwardAPI, emptyDir, "
                              "ephemeral, image, persistentVolumeClaim, projected, secret)",
                              m->source_raw ? m->source_raw : "?", m->source,
                              m->target ? m->target : "?"));
        else if (m->kind == BH_MOUNT_BIND)
            bh_rule_report_sev(c, BH_SEV_INFO, loc_or(&m->loc, rs), NULL,
                               "bind mount of the host path %s at '%s'",
                               mount_shown(c->arena, m, np), m->target ? m->target : "?");
    }
}

static void check_propagation(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *pr = m->propagation;

        if (!pr || !(bh_str_ieq(pr, "shared") || bh_str_ieq(pr, "rshared") ||
                     bh_str_ieq(pr, "Bidirectional")))
            continue;
        keep_first(c, bh_rule_report(c, loc_or(&m->loc, rs), NULL,
                                     "the mount at '%s' uses %s propagation: mounts made inside "
                                     "the container appear on the host",
                                     m->target ? m->target : "?", pr));
    }
}

/* Where engines keep their state and configuration (the sockets are RUN-SOCK's). */
static const char *const engine_dirs[] = {"/var/lib/docker",
                                          "/var/lib/containerd",
                                          "/run/containerd",
                                          "/var/lib/containers",
                                          "/var/lib/kubelet",
                                          "/etc/docker",
                                          NULL};

static void check_enginedir(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i, k;

    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *np = host_path(c->arena, m), *hit = NULL;
        enum bh_severity sev = m->read_only ? BH_SEV_HIGH : BH_SEV_CRITICAL;
        bool parent = false;

        if (!np || bh_str_suffix(np, ".sock"))
            continue;
        for (k = 0; engine_dirs[k] && !hit; k++) {
            if (bh_norm_path_under(np, engine_dirs[k]))
                hit = engine_dirs[k];
        }
        /* mounting a parent hands over the engine directories below it */
        for (k = 0; engine_dirs[k] && !hit; k++) {
            if (bh_norm_path_under(engine_dirs[k], np)) {
                hit = engine_dirs[k];
                parent = true;
            }
        }
        if (!hit)
            continue;
        if (parent)
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&m->loc, rs), NULL,
                                             "host path %s is mounted %s at '%s'; it holds the "
                                             "engine directory '%s'",
                                             mount_shown(c->arena, m, np),
                                             m->read_only ? "read-only" : "read-write",
                                             m->target ? m->target : "?", hit));
        else
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&m->loc, rs), NULL,
                                             "host path %s, the engine directory '%s', is "
                                             "mounted %s at '%s'",
                                             mount_shown(c->arena, m, np), hit,
                                             m->read_only ? "read-only" : "read-write",
                                             m->target ? m->target : "?"));
    }
}

/* ----------------------------------------------------------- RUN-RWROOTFS */

static void check_rwrootfs(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *how;

    if (rs->read_only_rootfs.v == BH_TRUE)
        return;
    if (is_kind(rs, "kubernetes"))
        how = "securityContext.readOnlyRootFilesystem is not true";
    else if (is_kind(rs, "compose"))
        how = "read_only: true is not set";
    else if (is_kind(rs, "cli"))
        how = "--read-only is not given";
    else
        how = "the root filesystem is not read-only";
    if (rs->read_only_rootfs.v == BH_FALSE)
        keep_first(c, bh_rule_report(c, loc_or(&rs->read_only_rootfs.loc, rs), NULL,
                                     "%s (set to false): the process can change its own "
                                     "binaries and configuration",
                                     how));
    else
        bh_rule_report(c, &rs->loc, NULL,
                       "%s: the process can change its own binaries and configuration", how);
}

/* ------------------------------------------------------------ RUN-SOCK-ENV */

static const char *const engine_env[] = {"DOCKER_HOST", "CONTAINER_HOST", "CONTAINERD_ADDRESS",
                                         NULL};

/* Does an extra_hosts entry map a name to the host (`host.docker.internal:host-gateway`)? */
static bool maps_host_gateway(const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->extra_hosts.n; i++) {
        if (rs->extra_hosts.v[i].v && strstr(rs->extra_hosts.v[i].v, "host-gateway"))
            return true;
    }
    return false;
}

/* The mount whose container target holds socket path sp, or NULL. */
static const struct bh_mount *mount_providing(struct bh_arena *a, const struct bh_runspec *rs,
                                              const char *sp)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const char *t = rs->mounts[i].target ? bh_norm_path(a, rs->mounts[i].target) : NULL;

        if (t && rs->mounts[i].kind != BH_MOUNT_TMPFS && bh_norm_path_under(sp, t))
            return &rs->mounts[i];
    }
    return NULL;
}

static void check_sock_env(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i, k;

    for (i = 0; i < rs->env.n; i++) {
        const struct bh_rs_str *e = &rs->env.v[i];
        const char *v = NULL, *name = NULL;

        for (k = 0; engine_env[k] && !v; k++) {
            v = env_value(e, engine_env[k]);
            name = engine_env[k];
        }
        if (!v || !*v || strchr(v, '$'))
            continue;
        if (bh_str_iprefix(v, "tcp://") || bh_str_iprefix(v, "http://") ||
            bh_str_iprefix(v, "https://") || bh_str_iprefix(v, "ssh://")) {
            const char *gw = "";

            if (bh_str_icontains(v, "host.docker.internal"))
                gw = maps_host_gateway(rs) ? "; host.docker.internal is the host itself "
                                             "(extra_hosts host-gateway)"
                                           : "; host.docker.internal is the host itself";
            bh_rule_report(c, loc_or(&e->loc, rs), NULL,
                           "%s='%s' points the container at an engine API over the network%s", name,
                           v, gw);
        } else if (bh_str_iprefix(v, "unix://") || v[0] == '/') {
            const char *sp = bh_norm_path(c->arena, v[0] == '/' ? v : v + 7);
            const struct bh_mount *m = sp ? mount_providing(c->arena, rs, sp) : NULL;

            /* a socket path nothing provides reaches nothing */
            if (!m)
                continue;
            bh_rule_report_sev(
                c, BH_SEV_MEDIUM, loc_or(&e->loc, rs), NULL,
                "%s='%s' points the container at an engine socket that the mount "
                "of '%s' at '%s' provides",
                name, v, m->source_raw ? m->source_raw : (m->source ? m->source : "?"), m->target);
        }
    }
}

/* ------------------------------------------------------------ K8S-SATOKEN */

/* Is rs the first container of its workload in the file (pod-level findings go there once)? */
static bool first_of_owner(const struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    if (!c->runset || !rs->owner)
        return true;
    for (i = 0; i < c->runset->nspecs; i++) {
        const struct bh_runspec *o = &c->runset->specs[i];

        if (o == rs)
            return true;
        if (same_str(o->owner, rs->owner) && same_str(o->source_kind, rs->source_kind))
            return false;
    }
    return true;
}

static void check_satoken(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    if (!is_kind(rs, "kubernetes"))
        return;
    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *t = m->target ? bh_norm_path(c->arena, m->target) : NULL;

        if (t && bh_norm_path_under(t, "/run/secrets/kubernetes.io/serviceaccount"))
            bh_rule_report(c, loc_or(&m->loc, rs), NULL,
                           "volume '%s' is mounted at '%s', where clients look for the service "
                           "account token",
                           m->source_raw ? m->source_raw : (m->source ? m->source : "?"),
                           m->target);
    }
    if (rs->automount_sa_token.v == BH_FALSE)
        return;
    if (rs->automount_sa_token.v == BH_TRUE)
        keep_first(c, bh_rule_report(c, loc_or(&rs->automount_sa_token.loc, rs), NULL,
                                     "automountServiceAccountToken is true: every container "
                                     "gets an API token at "
                                     "/var/run/secrets/kubernetes.io/serviceaccount"));
    else if (first_of_owner(c, rs))
        bh_rule_report(c, &rs->loc, NULL,
                       "automountServiceAccountToken is not set to false, so the pod gets an "
                       "API token at /var/run/secrets/kubernetes.io/serviceaccount unless its "
                       "ServiceAccount opts out");
}

/* ----------------------------------------- K8S-HOSTPORT, -PROBEHOST, -PULLPOLICY */

static void check_hostport(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    if (!is_kind(rs, "kubernetes"))
        return;
    for (i = 0; i < rs->nports; i++) {
        const struct bh_port *p = &rs->ports[i];

        if (!p->published || p->host_lo == 0)
            continue;
        if (p->host_ip && !bh_norm_ip_wildcard(p->host_ip))
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "hostPort %u (containerPort %u) opens a port on the node's address "
                           "'%s'",
                           p->host_lo, p->cont_lo, p->host_ip);
        else
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "hostPort %u (containerPort %u) opens a port on every address of "
                           "the node",
                           p->host_lo, p->cont_lo);
    }
}

static void check_probehost(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nprobe_hosts; i++) {
        const struct bh_probe_host *h = &rs->probe_hosts[i];

        if (!h->host || !*h->host)
            continue;
        bh_rule_report(c, loc_or(&h->loc, rs), NULL,
                       "a probe or lifecycle hook targets host '%s': the kubelet sends the "
                       "request from the node, to any address it can reach",
                       h->host);
    }
}

static void check_pullpolicy(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *img = rs->image.v, *pol = rs->pull_policy.v, *tag;
    struct bh_imageref r;

    if (!is_kind(rs, "kubernetes") || !img || strchr(img, '$') ||
        bh_imageref_parse(c->arena, img, &r) != 0 || r.digest)
        return; /* a digest cannot move: the policy does not matter */
    tag = r.tag ? r.tag : "latest";
    if (pol && bh_str_ieq(pol, "Always"))
        return;
    if (pol)
        bh_rule_report(c, loc_or(&rs->pull_policy.loc, rs), NULL,
                       "imagePullPolicy %s with the mutable tag '%s' of %s: nodes keep running "
                       "whatever they pulled first",
                       pol, tag, img);
    else if (!r.is_latest)
        bh_rule_report(c, loc_or(&rs->image.loc, rs), NULL,
                       "image %s uses the mutable tag '%s' and no imagePullPolicy, so the "
                       "default IfNotPresent keeps whatever each node pulled first",
                       img, tag);
}

/* --------------------------------------------------------------- OTH-LIMITS */

static bool limit_set(const char *v)
{
    /* `--memory 0` and `--pids-limit -1` mean "no limit" */
    return v && *v && strcmp(v, "0") != 0 && strcmp(v, "-1") != 0;
}

static void check_limits(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *missing[3];
    size_t n = 0;
    const char *hint;

    if (!limit_set(rs->mem_limit.v))
        missing[n++] = "memory";
    if (!limit_set(rs->cpu_limit.v))
        missing[n++] = "CPU";
    /* Kubernetes has no per-container PIDs limit (the kubelet sets one per pod) */
    if (!is_kind(rs, "kubernetes") && !limit_set(rs->pids_limit.v))
        missing[n++] = "PIDs";
    if (n == 0)
        return;
    if (is_kind(rs, "kubernetes"))
        hint = "resources.limits.memory, resources.limits.cpu";
    else if (is_kind(rs, "compose"))
        hint = "mem_limit, cpus, pids_limit or deploy.resources.limits";
    else
        hint = "--memory, --cpus, --pids-limit";
    if (n == 1)
        bh_rule_report(c, &rs->loc, NULL, "no %s limit is set (%s)", missing[0], hint);
    else if (n == 2)
        bh_rule_report(c, &rs->loc, NULL, "no %s or %s limit is set (%s)", missing[0], missing[1],
                       hint);
    else
        bh_rule_report(c, &rs->loc, NULL, "no %s, %s or %s limit is set (%s)", missing[0],
                       missing[1], missing[2], hint);
}

/* ------------------------------------------------------------------- table */

const struct bh_rule bh_rules_runexpose[] = {
    {"K8S-HOSTPORT",
     4,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Container uses a hostPort",
     NULL,
     check_hostport,
     "Remove hostPort and expose the container through a Service (ClusterIP behind an Ingress or "
     "Gateway) instead.",
     {"trivy KSV024", "PSS B:hostPorts", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"K8S-PROBEHOST",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Probe or lifecycle hook aimed at another host",
     NULL,
     check_probehost,
     "Leave host unset in httpGet and tcpSocket probes and hooks so the kubelet checks the pod's "
     "own IP.",
     {"PSS B:hostProbesAndHostLifecycle", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"K8S-PULLPOLICY",
     6,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Pull policy lets nodes run stale copies of a mutable tag",
     NULL,
     check_pullpolicy,
     "Pin the image by digest; while it still uses a tag, set imagePullPolicy: Always.",
     {"KICS K 'Image Pull Policy Of The Container Is Not Set To Always'", "CIS 5.28", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"K8S-SATOKEN",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Service account token mounted automatically",
     NULL,
     check_satoken,
     "Set automountServiceAccountToken: false on the pod (or its ServiceAccount) and mount a "
     "projected token only into pods that call the Kubernetes API.",
     {"trivy KSV036", "KICS K 'Service Account Token Automount Not Disabled'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"OTH-LIMITS",
     8,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "No memory, CPU or PIDs limit",
     NULL,
     check_limits,
     "Give every container a memory limit, a CPU limit and (outside Kubernetes) a PIDs limit "
     "sized for its workload.",
     {"CIS 5.11", "CIS 5.12", "CIS 5.29", "trivy KSV011", "trivy KSV018",
      "KICS C 'Memory Not Limited'", "KICS C 'Cpus Not Limited'", "KICS C 'Pids Limit Not Set'",
      NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-ENGINEDIR",
     7,
     BH_SEV_CRITICAL,
     BH_APPLIES_RUN,
     "Container engine state or configuration directory mounted",
     NULL,
     check_enginedir,
     "Do not mount the engine's data or configuration directories into containers; give a tool "
     "that needs engine data a narrow API instead.",
     {"trivy KSV121", "KICS C 'Volume Has Sensitive Host Directory'",
      "KICS K 'Workload Mounting With Sensitive OS Directory'", "PSS B:hostPathVolumes", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-HOSTPATH",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Host directory or non-core volume type mounted",
     NULL,
     check_hostpath,
     "Use named volumes, emptyDir, configMap, secret or persistentVolumeClaim volumes instead of "
     "host directories, and keep Kubernetes pods to the restricted volume types.",
     {"trivy KSV023", "trivy KSV028", "KICS K 'Non Kube System Pod With Host Mount'",
      "PSS B:hostPathVolumes", "PSS R:restrictedVolumes", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-PORTS-ALL",
     4,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Port published on all host interfaces",
     NULL,
     check_ports_all,
     "Bind published ports to one address (127.0.0.1:8080:80 for local use, or the interface "
     "that should serve it) and keep Kubernetes Services at ClusterIP behind an Ingress.",
     {"CIS 5.14", "CIS 5.9", "KICS C 'Container Traffic Not Bound To Host Interface'",
      "KICS K 'Service Type is NodePort'", "KICS K 'Service With External Load Balance'",
      "trivy KSV108", NULL},
     check_ports_all_set,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-PORTS-PRIV",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Privileged port below 1024 used",
     NULL,
     check_ports_priv,
     "Listen on a port of 1024 or above inside the container and map it to a high host port, "
     "or put a reverse proxy in front for 80 and 443.",
     {"CIS 5.8", "KICS C 'Privileged Ports Mapped In Container'", "trivy KSV117", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-PROPAGATION",
     4,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Mount shares propagation with the host",
     NULL,
     check_propagation,
     "Drop shared, rshared and Bidirectional propagation; use the default private propagation "
     "unless the container is a storage driver that must publish mounts to the host.",
     {"CIS 5.20", "KICS C 'Volume Mounted In Multiple Containers'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-ROOT",
     4,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Container runs as root",
     NULL,
     check_root,
     "Run the container as a non-root numeric UID (user: \"10001:10001\", -u 10001:10001, "
     "runAsUser: 10001 with runAsNonRoot: true).",
     {"CIS 4.1", "CIS 5.24", "trivy KSV012", "trivy KSV105", "trivy KSV020",
      "KICS K 'Containers Running As Root'", "KICS K 'Container Running With Low UID'",
      "PSS R:runAsNonRoot", "PSS R:runAsUser", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-ROOTGROUP",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Container runs with the root group",
     NULL,
     check_rootgroup,
     "Give the container a non-zero primary group and drop group 0 and root from group_add, "
     "--group-add, supplementalGroups and fsGroup.",
     {"trivy KSV116", "trivy KSV021", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-RWROOTFS",
     4,
     BH_SEV_MEDIUM,
     BH_APPLIES_RUN,
     "Writable root filesystem",
     NULL,
     check_rwrootfs,
     "Run with a read-only root filesystem (read_only: true, --read-only, "
     "readOnlyRootFilesystem: true) and mount tmpfs or emptyDir where the program must write.",
     {"CIS 5.13", "trivy KSV014", "KICS K 'Root Container Not Mounted As Read-only'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SOCK-ENV",
     7,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Engine API address in the container's environment",
     NULL,
     check_sock_env,
     "Do not hand containers the engine's address; if one must reach the engine, point it at a "
     "socket proxy that allows only the API calls it needs.",
     {NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_runexpose_n = sizeof(bh_rules_runexpose) / sizeof(bh_rules_runexpose[0]);
