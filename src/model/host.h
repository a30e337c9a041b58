/*
 * host.h - the host model: what the machine under the containers says about
 * its container engine, gathered from every place it can come from (daemon
 * configuration files, the daemon's command line, systemd units, environment
 * files, the kernel's /proc and /sys, account and audit files, package
 * databases). Every fact carries where it came from. Plain structs, no I/O:
 * input/host/ fills them, rules/host.c judges them.
 */
#ifndef BH_HOST_H
#define BH_HOST_H

#include "model/loc.h"
#include "model/package.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a daemon setting was read. */
enum bh_hsorigin {
    BH_HS_DAEMON_JSON, /* /etc/docker/daemon.json, rootless ~/.config/docker/daemon.json */
    BH_HS_ARGV,        /* a running dockerd's /proc/PID/cmdline */
    BH_HS_UNIT,    /* ExecStart= of docker.service (and drop-ins), ListenStream= of docker.socket */
    BH_HS_ENVFILE, /* DOCKER_OPTS in /etc/default/docker, OPTIONS in /etc/sysconfig/docker */
    BH_HS_PODMAN,  /* /etc/containers/containers.conf, registries.conf, policy.json */
};

/*
 * One daemon setting, named as daemon.json names it ("hosts", "tls", "tlsverify", "tlscacert",
 * "tlscert", "tlskey", "icc", "userns-remap", "insecure-registries", "authorization-plugins",
 * "seccomp-profile", "selinux-enabled", "no-new-privileges", "log-level", "iptables",
 * "storage-driver", "live-restore", "userland-proxy", "experimental", "default-ulimits",
 * "cgroup-parent", "log-driver", "data-root", ...). Command-line flags are mapped to these
 * names (`-H`/`--host` -> "hosts", `--insecure-registry` -> "insecure-registries",
 * `--authorization-plugin` -> "authorization-plugins", `--icc=false` -> "icc" "false", a bare
 * boolean flag -> "true"). Lists give one setting per item. Podman settings use their own
 * names prefixed "podman." ("podman.registries.insecure", "podman.policy.default").
 */
struct bh_hostsetting {
    const char *key;
    const char *value; /* as text ("true", "tcp://0.0.0.0:2375", "/etc/docker/ca.pem") */
    enum bh_hsorigin origin;
    /* file and line (daemon.json, units, env files: path names the directive or key, e.g.
       "ExecStart" or "hosts[1]"); for argv: file "/proc/PID/cmdline", path the flag as written */
    struct bh_loc loc;
};

/* A file or socket whose owner and mode matter (sockets, units, configs, certificates). */
struct bh_hostfile {
    const char *path; /* absolute path on the host ("/var/run/docker.sock"), not under --root */
    const char *role; /* "docker.sock", "containerd.sock", "docker.service", "daemon.json",
                         "tlscacert", "tlscert", "tlskey", "certs.d", "etc-docker", ... */
    bool exists;
    char type;     /* 's' socket, 'f' regular, 'd' directory, 'l' symlink, '?' other */
    uint32_t mode; /* & 07777 */
    uint32_t uid, gid;
    const char *owner, *group; /* names from the host's passwd/group, or NULL */
    bool acl_extra;            /* POSIX ACL entries beyond the mode bits (named users/groups) */
    const char *acl_text;      /* those entries, e.g. "user:alice:rw-", or NULL */
};

/* A TCP listener from /proc/net/tcp or tcp6. */
struct bh_hostlistener {
    bool v6;
    const char *addr; /* "0.0.0.0", "127.0.0.1", "::", "::1" */
    unsigned port;
    struct bh_loc loc; /* /proc/net/tcp6 line */
};

/* A member of the docker group (or a sudoers rule that lets an account run docker). */
struct bh_hostmember {
    const char *name;
    const char *via;   /* "group docker", "primary group", "sudoers" */
    struct bh_loc loc; /* /etc/group line, /etc/passwd line, sudoers line */
};

/* Kernel and LSM state: -1 unknown (file missing), 0 no, 1 yes. */
struct bh_hostlsm {
    int apparmor_enabled;        /* /sys/module/apparmor/parameters/enabled == Y */
    int apparmor_docker_default; /* "docker-default" in /sys/kernel/security/apparmor/profiles */
    int selinux_enforcing;       /* /sys/fs/selinux/enforce == 1 */
    int seccomp_available;       /* a Seccomp: line in /proc/self/status (or /proc/1/status) */
    int max_user_namespaces;     /* /proc/sys/user/max_user_namespaces, -1 unknown */
    struct bh_loc apparmor_loc, selinux_loc, seccomp_loc;
};

/* One engine component as installed: from the OS package database, or a version file. */
struct bh_hostcomponent {
    const char *name;      /* "docker", "containerd", "runc", "podman", "kernel" */
    const char *package;   /* the package that installed it ("docker.io", "docker-ce", "runc",
                              "containerd.io"), or NULL */
    const char *version;   /* as the package manager writes it (dpkg/rpm/apk), or the upstream
                              version for the kernel ("6.1.0-18-amd64" -> from osrelease) */
    enum bh_pkg_kind kind; /* which ordering version uses (BH_PKG_DPKG, _RPM, _APK); for the
                              kernel, BH_PKG_DPKG-like upstream text */
    struct bh_loc loc;
};

struct bh_host {
    const char *root; /* the directory read as "/" ("/" or --root DIR) */
    struct bh_osinfo os;
    bool engine_found; /* any trace of dockerd, containerd or podman */
    bool rootless;     /* rootless Docker or Podman is what runs here */
    struct bh_hostsetting *settings;
    size_t nsettings;
    struct bh_hostfile *files;
    size_t nfiles;
    struct bh_hostlistener *listeners;
    size_t nlisteners;
    struct bh_hostmember *members; /* docker group members and sudoers grants */
    size_t nmembers;
    struct bh_hostlsm lsm;
    /* audit: the paths watched by rules in /etc/audit/rules.d/ *.rules and audit.rules
       (-w PATH), each with its line */
    const char **audit_watches;
    struct bh_loc *audit_locs;
    size_t naudit;
    bool audit_rules_found; /* any audit rules file exists */
    struct bh_hostcomponent *components;
    size_t ncomponents;
    /* environment of the host's shells: DOCKER_CONTENT_TRUST from /etc/environment and
       /etc/profile.d/ *.sh (value and location), NULL when unset */
    const char *content_trust;
    struct bh_loc content_trust_loc;
    /* subordinate id ranges exist for some account (/etc/subuid and /etc/subgid) */
    bool subids;
};

#endif
