/*
 * registry.h - images from a registry over the OCI distribution API: resolve a
 * reference (tag or digest) to one image manifest (choosing a platform from
 * an index / manifest list), fetch its config, and open its layer blobs as
 * streams. Authentication: anonymous, basic (credentials from the options or
 * the `auths` of ~/.docker/config.json), and the bearer-token challenge flow.
 */
#ifndef BH_REGISTRY_H
#define BH_REGISTRY_H

#include "core/err.h"
#include "core/reader.h"
#include "input/manifest.h"
#include "model/imageref.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

struct bh_registry_opts {
    const char *platform;            /* "linux/amd64"; NULL = the host's */
    bool insecure;                   /* plain HTTP; allowed only for loopback registries */
    const char *docker_config;       /* path of config.json; NULL = $DOCKER_CONFIG/config.json or
                                        ~/.docker/config.json */
    const char *username, *password; /* explicit credentials, or NULL */
};

/* A resolved image. Opaque connection state (auth token, base URL) lives behind it. */
struct bh_registry_image {
    const char *ref;             /* the reference as given */
    const char *registry;        /* host[:port] contacted, e.g. "127.0.0.1:5000" */
    const char *repository;      /* "library/alpine" */
    const char *manifest_digest; /* digest of the image manifest (after platform choice) */
    const char *index_digest;    /* digest of the index it came from, or NULL */
    struct bh_imgmanifest manifest;
    const char *config; /* the config JSON, NUL-terminated, digest verified */
    size_t config_len;
    struct bh_registry_conn *conn; /* private */
};

/*
 * Resolve ref (anything bh_imageref_parse accepts; Docker Hub names map to
 * registry-1.docker.io) into *out. Errors name the reference and the URL: BH_EIO for
 * transport failures and unexpected statuses (with the registry's error message),
 * BH_EPARSE for malformed manifests or a config whose digest does not match,
 * BH_EUSAGE for --insecure on a non-loopback host, no image for the platform, or
 * authentication refused.
 */
int bh_registry_resolve(struct bh_arena *a, const char *ref, const struct bh_registry_opts *o,
                        struct bh_registry_image **out, struct bh_err *err);

/*
 * Open layer i of img as a stream (redirects followed, Authorization not sent to
 * the redirect target). The bytes are not verified here (the layer pass hashes them).
 * Thread-safe once resolved: each stream has its own connection.
 */
int bh_registry_open_layer(struct bh_registry_image *img, struct bh_arena *a, size_t i,
                           struct bh_reader *out, struct bh_err *err);

#endif
