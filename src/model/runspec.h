/*
 * runspec.h - one container as it runs, whatever described it: a Compose
 * service, a Kubernetes container (pod settings folded in), a `docker run`
 * line, an engine inspect document, a guard request. Readers fill it; RUN-*
 * rules read it. Every field that was set remembers where (struct bh_loc);
 * a field left unset has loc.line == 0 and its "unset" value.
 * Designed with the build model; the readers arrive with the runtime slice.
 */
#ifndef BH_RUNSPEC_H
#define BH_RUNSPEC_H

#include "model/buildspec.h"
#include "model/loc.h"

#include <stdbool.h>
#include <stddef.h>

/* A tri-state for settings that may be absent: unset means "the source's default". */
enum bh_tristate { BH_UNSET = -1, BH_FALSE = 0, BH_TRUE = 1 };

struct bh_rs_bool {
    enum bh_tristate v;
    struct bh_loc loc;
};

struct bh_rs_str {
    const char *v; /* NULL = unset */
    struct bh_loc loc;
};

struct bh_rs_list {
    struct bh_rs_str *v;
    size_t n, cap;
};

enum bh_mount_kind {
    BH_MOUNT_BIND,
    BH_MOUNT_VOLUME,
    BH_MOUNT_TMPFS,
    BH_MOUNT_HOSTPATH,
    BH_MOUNT_OTHER
};

struct bh_mount {
    enum bh_mount_kind kind;
    const char *source; /* host path (normalised, N4) for binds/hostPath; volume name otherwise */
    const char *source_raw; /* as written (relative compose paths, `~`, Windows paths) */
    const char *target;     /* path in the container */
    bool read_only;
    const char *propagation;   /* "shared", "rshared", "Bidirectional", ... or NULL */
    const char *hostpath_type; /* K8s hostPath.type or NULL */
    struct bh_loc loc;
};

struct bh_port {
    const char *raw;           /* the item as written ("127.0.0.1:8080:80", "8080-8081:80/udp") */
    const char *host_ip;       /* NULL = all interfaces; brackets of IPv6 removed */
    unsigned host_lo, host_hi; /* 0 = random host port */
    unsigned cont_lo, cont_hi;
    const char *proto; /* "tcp", "udp", "sctp" */
    bool published;    /* reaches the host's interfaces (compose/CLI publish, K8s hostPort) */
    bool ingress;      /* compose `mode: ingress` */
    bool yaml_base60;  /* an unquoted YAML 1.1 `22:22` read as a number */
    struct bh_loc loc;
};

struct bh_device {
    const char *host_path, *cont_path, *perms;
    struct bh_loc loc;
};

struct bh_probe_host {
    const char *host; /* httpGet/tcpSocket host of a probe or lifecycle hook */
    struct bh_loc loc;
};

struct bh_runspec {
    const char *source_kind; /* "compose", "kubernetes", "cli", "inspect", "guard" */
    const char *name;        /* service / container name; K8s "Deployment/web container app" */
    const char *owner; /* K8s workload "Deployment/web", compose "service web"; NULL for CLI */
    struct bh_loc
        loc; /* where the container is declared (service key, container item, `docker` word) */
    const char
        *container_role; /* K8s: "container", "initContainer", "ephemeralContainer"; else NULL */
    struct bh_rs_str image;
    struct bh_rs_bool privileged;
    struct bh_rs_str user;                      /* N3 user spec as written (compose user:, -u) */
    struct bh_rs_str run_as_user, run_as_group; /* K8s numbers as text, pod-level folded in */
    struct bh_rs_bool run_as_non_root;
    struct bh_rs_list
        group_add; /* compose group_add, --group-add, K8s supplementalGroups + fsGroup */
    struct bh_rs_list cap_add, cap_drop; /* as written; rules normalise (N2) */
    struct bh_rs_str pid, ipc, uts, network, userns,
        cgroupns;                                       /* "host", "container:x", "service:x" */
    struct bh_rs_bool host_pid, host_ipc, host_network; /* K8s booleans (pod level) */
    struct bh_rs_bool host_users;                       /* K8s hostUsers */
    struct bh_rs_bool share_process_namespace;          /* K8s */
    struct bh_rs_list security_opt;                     /* N7 strings as written */
    /* K8s profiles, container level folded over pod level and legacy annotations:
     * "RuntimeDefault", "Localhost", "Unconfined" (annotation values mapped to these) */
    struct bh_rs_str seccomp, apparmor;
    struct bh_rs_str selinux_type, selinux_user, selinux_role, selinux_level;
    struct bh_rs_bool allow_privilege_escalation; /* K8s; unset = allowed */
    struct bh_rs_bool read_only_rootfs;
    struct bh_rs_str proc_mount;
    struct bh_rs_bool automount_sa_token; /* K8s pod spec field */
    struct bh_rs_bool host_process;       /* K8s windowsOptions.hostProcess (either level) */
    struct bh_mount *mounts;
    size_t nmounts, mounts_cap;
    struct bh_port *ports;
    size_t nports, ports_cap;
    bool publish_all; /* -P / PublishAllPorts */
    struct bh_loc publish_all_loc;
    struct bh_device *devices;
    size_t ndevices, devices_cap;
    struct bh_rs_list device_cgroup_rules;
    struct bh_rs_list gpus;    /* --gpus values, compose deploy.resources.reservations.devices */
    struct bh_rs_list sysctls; /* "name=value" */
    struct bh_rs_list
        env; /* "NAME=value" literals (values from env_file included, loc = that file) */
    struct bh_rs_list extra_hosts; /* "name:ip" / "name=host-gateway" */
    struct bh_rs_str pull_policy;
    struct bh_rs_str mem_limit, cpu_limit, pids_limit; /* OTH-LIMITS: as written; unset = none */
    struct bh_probe_host *probe_hosts;
    size_t nprobe_hosts, probe_hosts_cap;
    const char *ignore_ids; /* K8s `bulkhead.dev/ignore` annotation value ("RULE,RULE"), or NULL */
    struct bh_loc ignore_loc;
};

/* A Kubernetes Service (exposure without a container). */
struct bh_service {
    const char *name; /* "Service/web" */
    struct bh_loc loc;
    struct bh_rs_str type; /* ClusterIP (default), NodePort, LoadBalancer, ExternalName */
    struct bh_rs_list external_ips;
    struct bh_port *ports; /* port = cont_lo, nodePort = host_lo */
    size_t nports, ports_cap;
    const char *ignore_ids;
};

/* Everything one file describes at run time: containers, services, inline ignores. */
struct bh_runset {
    const char *file;
    struct bh_runspec *specs;
    size_t nspecs, specs_cap;
    struct bh_service *services;
    size_t nservices, services_cap;
    struct bh_ignore *ignores; /* `# bulkhead:ignore=` comments, see model/buildspec.h */
    size_t nignores, ignores_cap;
};

/* An empty runspec: every field unset (tristates BH_UNSET, strings NULL, no lists). */
void bh_runspec_init(struct bh_runspec *rs);

/* The runspec named `name` (compose service / container) in the same set, for
 * `container:`/`service:` chains; NULL when absent. */
const struct bh_runspec *bh_runset_find(const struct bh_runset *set, const char *name);

#endif
