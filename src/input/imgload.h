/*
 * imgload.h - from what the user named to struct bh_image: pick the source
 * (docker-save archive, OCI layout directory or tar, `docker:NAME`, `-` for a
 * tar on stdin, or a registry reference), choose the image and platform, read
 * the config into a buildspec, run the layer passes (in parallel where the
 * source can seek, one arena per layer) and merge them. It judges nothing.
 */
#ifndef BH_IMGLOAD_H
#define BH_IMGLOAD_H

#include "core/err.h"
#include "model/image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bh_arena;
struct bh_secretscan;

struct bh_imgprogress {
    size_t layers_done, layers_total;
    uint64_t bytes_in;    /* compressed bytes consumed so far */
    uint64_t bytes_total; /* declared sizes of all layers, 0 when unknown */
};

struct bh_imgload_opts {
    const char *platform; /* "linux/amd64"; NULL = the host's */
    unsigned parallel;    /* layer workers; 0 = one per online CPU */
    bool insecure;        /* registries: plain HTTP to loopback hosts */
    const char *engine;   /* docker:NAME: engine address (NULL = DOCKER_HOST or default) */
    const struct bh_secretscan *secrets; /* NULL: no content scanning */
    long long now;                       /* stored in bh_image.scan_time */
    /* Called from worker threads, serialised and at most ~10 times a second; may be NULL. */
    void (*progress)(void *ctx, const struct bh_imgprogress *p);
    void *progress_ctx;
};

/*
 * Load every image target names into *imgs / *n (arrays in a): one image for most
 * targets; every image of a multi-image `docker save` archive or OCI layout (an OCI
 * layout target may select one with PATH:REFNAME, matching the
 * org.opencontainers.image.ref.name annotation). A layer that cannot be read does not
 * fail the load: its bh_imglayer.error says why and the other layers are scanned.
 * Errors (BH_EIO, BH_EPARSE, BH_ELIMIT, BH_EUSAGE for an unknown target or platform)
 * name the target and, where it applies, the member and JSON path.
 */
int bh_imgload(struct bh_arena *a, const char *target, const struct bh_imgload_opts *o,
               struct bh_image **imgs, size_t *n, struct bh_err *err);

/* Release the layer arenas of images from bh_imgload (the images then must not be used). */
void bh_imgload_release(struct bh_image *imgs, size_t n);

/* The host's platform, "linux/amd64" style (uname machine mapped to OCI names). */
const char *bh_imgload_host_platform(void);

#endif
