/*
 * imageref.h - the image-reference normaliser (RULES.md N1), shared by every
 * rule that reads a reference: `[registry[:port]/]path[:tag][@sha256:<hex>]`.
 */
#ifndef BH_IMAGEREF_H
#define BH_IMAGEREF_H

#include <stdbool.h>

struct bh_arena;

struct bh_imageref {
    const char *input;      /* the text given */
    const char *registry;   /* "docker.io" for Docker Hub (aliases index.docker.io,
                               registry-1.docker.io folded) */
    const char *repository; /* "library/nginx", "bitnami/redis", "team/app" */
    const char *tag;        /* as written (case kept), or NULL when absent */
    const char *digest;     /* "sha256:<64 hex>" or NULL */
    bool implicit_latest;   /* no tag and no digest: means latest */
    bool is_latest;         /* tag is exactly "latest" or implicit_latest (and no digest) */
    bool is_scratch;        /* `scratch` */
    bool docker_hub;        /* registry is Docker Hub */
    bool official;          /* Docker Hub `library/` image */
};

/*
 * Parse s. Returns 0, or BH_EPARSE when s is not a valid reference (empty,
 * upper-case repository, bad digest, stray characters), with *out zeroed.
 * Strings point into the arena.
 */
int bh_imageref_parse(struct bh_arena *a, const char *s, struct bh_imageref *out);

/* "docker.io/library/nginx:1.25@sha256:..." - the fully qualified form (arena). */
const char *bh_imageref_canonical(struct bh_arena *a, const struct bh_imageref *r);

/*
 * Does host match an allow-list pattern? Exact (case-insensitive) match, or
 * `*.example.com` matching on label boundaries (a.example.com, not evilexample.com),
 * or a `registry/namespace/` prefix pattern matching on path-component boundaries.
 */
bool bh_imageref_match(const struct bh_imageref *r, const char *pattern);

#endif
