/*
 * host.h - the host reader: fills the host model (model/host.h) from a host
 * filesystem, the machine's own "/" or one mounted elsewhere (--root). Only
 * reads: files, /proc and /sys under the root. Never runs a program, never
 * connects to the engine (that is `bulkhead engine`'s job).
 */
#ifndef BH_INPUT_HOST_H
#define BH_INPUT_HOST_H

#include "core/err.h"
#include "model/host.h"

#include <stddef.h>

struct bh_arena;

/* A file that was there but could not be read or parsed; the rest is still read. */
struct bh_host_error {
    const char *file; /* host path ("/etc/docker/daemon.json") */
    int line, col;    /* 0 when unknown */
    const char *message;
};

/*
 * Read the host whose "/" is root into *h (arrays in a). Sources, each optional:
 * etc/docker/daemon.json; running dockerd/containerd/podman processes (proc/PID/cmdline and
 * comm; only meaningful when root is the live "/"); systemd units docker.service and
 * docker.socket in etc/systemd/system, lib/systemd/system, usr/lib/systemd/system with their
 * NAME.d/ *.conf drop-ins (ExecStart= reset rules respected); etc/default/docker and
 * etc/sysconfig/docker; rootless Docker (home directories' .config/docker/daemon.json, and
 * the sockets under run/user/UID); Podman (etc/containers/containers.conf, registries.conf,
 * policy.json); the sockets, units, configs and certificates of model/host.h's file roles
 * with owner, mode and POSIX ACLs (system.posix_acl_access xattr); proc/net/tcp and tcp6
 * listeners; etc/group, etc/passwd, etc/sudoers and etc/sudoers.d; the LSM and userns files;
 * audit rules; engine component versions from the OS package database (dpkg, rpm, apk) and
 * proc/sys/kernel/osrelease; DOCKER_CONTENT_TRUST in etc/environment and etc/profile.d.
 * Files that exist but cannot be parsed go to *errs (daemon.json syntax errors with line and
 * column; a unit line that cannot be split) and do not stop the rest.
 * Errors: BH_EIO when root is not a readable directory, BH_ENOMEM.
 */
int bh_host_read(struct bh_arena *a, const char *root, struct bh_host *h,
                 struct bh_host_error **errs, size_t *nerrs, struct bh_err *err);

/*
 * Split a dockerd command line (argv strings, as in /proc/PID/cmdline or a unit's
 * ExecStart= after unquoting) into settings (daemon.json names, see model/host.h), appending
 * to h->settings with origin and loc (loc.path gets the flag as written). Exposed for tests.
 */
int bh_host_dockerd_args(struct bh_arena *a, const char *const *argv, size_t argc,
                         enum bh_hsorigin origin, const struct bh_loc *where, struct bh_host *h);

#endif
