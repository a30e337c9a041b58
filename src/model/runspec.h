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
    const char *target; /* path in the container */
    bool read_only;
    const char *propagation;   /* "shared", "rshared", "Bidirectional", ... or NULL */
    const char *hostpath_type; /* K8s hostPath.type or NULL */
    struct bh_loc loc;
};

struct bh_port {
    const char *host_ip;       /* NULL = all interfaces */
    unsigned host_lo, host_hi; /* 0 = random host port */
    unsigned cont_lo, cont_hi;
    const char *proto; /* "tcp", "udp", "sctp" */
    bool ingress;      /* compose `mode: ingress` */
    bool publish_all;  /* -P / PublishAllPorts */
    bool yaml_base60;  /* an unquoted YAML 1.1 `22:22` read as a number */
    struct bh_loc loc;
};

struct bh_device {
    const char *host_path, *cont_path, *perms;
    struct bh_loc loc;
};

struct bh_runspec {
    const char *source_kind; /* "compose", "kubernetes", "cli", "inspect", "guard" */
    const char *name;        /* service / container name; for K8s "Deployment/web: app" */
    struct bh_loc loc;       /* where the container is declared */
    const char
        *container_role; /* K8s: "container", "initContainer", "ephemeralContainer"; else NULL */
    struct bh_rs_str image;
    struct bh_rs_bool privileged;
    struct bh_rs_str user;                      /* N3 user spec as written */
    struct bh_rs_str run_as_user, run_as_group; /* K8s numeric values as text */
    struct bh_rs_bool run_as_non_root;
    struct bh_rs_list group_add;         /* supplementary groups */
    struct bh_rs_list cap_add, cap_drop; /* as written; rules normalise (N2) */
    struct bh_rs_str pid, ipc, uts, network, userns, cgroupns; /* "host", "container:x", ... */
    struct bh_rs_bool host_users;                              /* K8s hostUsers */
    struct bh_rs_list security_opt; /* N7 strings, both separators kept as written */
    struct bh_rs_str seccomp,
        apparmor; /* K8s profile types / localhost refs, normalised by the reader */
    struct bh_rs_str selinux_type, selinux_user, selinux_role;
    struct bh_rs_bool no_new_privs; /* K8s allowPrivilegeEscalation:false => TRUE */
    struct bh_rs_bool read_only_rootfs;
    struct bh_rs_str proc_mount;
    struct bh_rs_bool automount_sa_token;
    struct bh_rs_bool host_process;
    struct bh_mount *mounts;
    size_t nmounts, mounts_cap;
    struct bh_port *ports;
    size_t nports, ports_cap;
    struct bh_device *devices;
    size_t ndevices, devices_cap;
    struct bh_rs_list device_cgroup_rules;
    struct bh_rs_list sysctls; /* "name=value" */
    struct bh_rs_list env;     /* "NAME=value" literals */
    struct bh_rs_str pull_policy;
    const char *ignore_ids; /* K8s `bulkhead.dev/ignore` annotation value, or NULL */
};

#endif
