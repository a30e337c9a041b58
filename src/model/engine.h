/*
 * engine.h - the engine model: the containers and images a Docker engine
 * holds, read live over its API or offline from its state directory. Each
 * container carries a bh_runspec (source_kind "inspect") so the RUN-* rules
 * judge it through the same functions as Compose, Kubernetes and `docker run`.
 * Plain structs, no I/O.
 */
#ifndef BH_ENGINE_H
#define BH_ENGINE_H

#include "model/loc.h"
#include "model/runspec.h"

#include <stdbool.h>
#include <stddef.h>

/* One entry of GET /containers/{id}/changes. */
enum bh_change_kind { BH_CHANGE_MODIFIED = 0, BH_CHANGE_ADDED = 1, BH_CHANGE_DELETED = 2 };

struct bh_change {
    const char *path; /* absolute path in the container */
    enum bh_change_kind kind;
};

/* An exec session of a container (GET /exec/{id}/json). */
struct bh_execsession {
    const char *id;
    bool privileged;
    const char *user; /* "" or NULL = the container's user */
    bool running;
    const char *cmd; /* entrypoint and arguments joined with spaces, or NULL */
};

struct bh_container {
    const char *id;   /* full id */
    const char *name; /* without the leading "/" */
    /* Config.Image: the reference the container was created from ("nginx:latest", an id) */
    const char *image_ref;
    const char *image_id; /* .Image: "sha256:..." the container runs */
    const char *state;    /* State.Status: "running", "exited", "created", ... */
    bool running;
    const char *created, *started_at; /* RFC 3339 as the engine writes them, or NULL */
    /*
     * The runtime settings. Every loc has file = the document it was read from (the live
     * engine: "container NAME"; a state directory: the path of config.v2.json or
     * hostconfig.json) and path = the inspect field ("HostConfig.Privileged",
     * "HostConfig.Binds[0]", "Config.User"); line 0 (JSON has no useful lines here).
     */
    struct bh_runspec spec;
    const char *network_mode; /* HostConfig.NetworkMode ("default", "bridge", "host", ...) */
    bool on_default_bridge;   /* NetworkMode default/bridge, or NetworkSettings.Networks.bridge */
    struct bh_loc loc;        /* where the container is (file as above, path NULL) */
    /* live engine only: what changed in its filesystem (changes_read says it was asked) */
    struct bh_change *changes;
    size_t nchanges;
    bool changes_read;
    struct bh_execsession *execs; /* from ExecIDs */
    size_t nexecs;
};

struct bh_engine_image {
    const char *id;         /* "sha256:..." */
    const char **repo_tags; /* "nginx:latest" */
    size_t nrepo_tags;
    const char **repo_digests; /* "nginx@sha256:..." */
    size_t nrepo_digests;
    const char *created; /* RFC 3339, or NULL */
    bool dangling;       /* no tags */
};

struct bh_engine {
    const char *address; /* "unix:///var/run/docker.sock", or the state directory */
    bool offline;        /* read from a state directory, not the API */
    struct bh_container *containers;
    size_t ncontainers;
    struct bh_engine_image *images; /* live engine only */
    size_t nimages;
    const char *server_version; /* GET /version Version, or NULL */
    long long now;              /* scan time */
};

#endif
