/*
 * policy.h - what the user's policy file says: rules on/off, severity
 * overrides, trusted registries and publishers, and knobs later rules read.
 * Filled by input/policy.c; read by the rules and the pipeline.
 */
#ifndef BH_POLICY_H
#define BH_POLICY_H

#include "model/loc.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_policy_rule {
    const char *id;
    int enabled;  /* -1 = unchanged, 0 = off, 1 = on */
    int severity; /* -1 = unchanged, else enum bh_severity */
    struct bh_loc loc;
};

struct bh_policy {
    const char *file; /* NULL when no policy file was given */
    struct bh_policy_rule *rules;
    size_t nrules, rules_cap;
    /* REF-REGISTRY: registries allowed; empty = rule has nothing to enforce (reports nothing) */
    const char **trusted_registries;
    size_t ntrusted_registries, trusted_registries_cap;
    /* REF-PUBLISHER: Docker Hub namespaces / registry/namespace prefixes allowed */
    const char **trusted_publishers;
    size_t ntrusted_publishers, trusted_publishers_cap;
    /* RUN-SOCK: images allowed to mount the engine socket */
    const char **socket_images;
    size_t nsocket_images, socket_images_cap;
    /* RUN-CAPADD: capabilities allowed in addition to the default set (normalised N2) */
    const char **allowed_caps;
    size_t nallowed_caps, allowed_caps_cap;
    /* RUN-DEVICES: host device paths allowed (fnmatch globs, e.g. /dev/video*), besides
     * GPUs and /dev/fuse, which are allowed by default */
    const char **allowed_devices;
    size_t nallowed_devices, allowed_devices_cap;
    /* IMG-SECRET-ENV: extra variable names that are not secrets */
    const char **secret_env_allow;
    size_t nsecret_env_allow, secret_env_allow_cap;
    int max_image_age_days; /* IMG-AGE; default 90 */
};

/* Defaults (no allocation). */
void bh_policy_init(struct bh_policy *p);
/* The override for rule id, or NULL. */
const struct bh_policy_rule *bh_policy_rule(const struct bh_policy *p, const char *id);

#endif
