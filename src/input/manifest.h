/*
 * manifest.h - pure parsers for the JSON documents that say what an image is
 * made of: `docker save`'s manifest.json and legacy `repositories`, OCI image
 * indexes (index.json) and image manifests, and Docker's v2 schema 2 manifest
 * and manifest list (same shapes, Docker media types). Bytes in, structs in the
 * arena out; nothing is fetched or opened here (input/imgsrc.c reads the bytes).
 */
#ifndef BH_MANIFEST_H
#define BH_MANIFEST_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

/* What a media type names. */
enum bh_media_kind {
    BH_MEDIA_NONE = 0,        /* no mediaType field */
    BH_MEDIA_OTHER,           /* well-formed but none of the below (artifacts, vendor types) */
    BH_MEDIA_OCI_INDEX,       /* application/vnd.oci.image.index.v1+json */
    BH_MEDIA_OCI_MANIFEST,    /* application/vnd.oci.image.manifest.v1+json */
    BH_MEDIA_OCI_CONFIG,      /* application/vnd.oci.image.config.v1+json */
    BH_MEDIA_OCI_LAYER,       /* application/vnd.oci.image.layer.v1.tar[+gzip|+zstd] and
                                 the nondistributable variants */
    BH_MEDIA_DOCKER_LIST,     /* application/vnd.docker.distribution.manifest.list.v2+json */
    BH_MEDIA_DOCKER_MANIFEST, /* application/vnd.docker.distribution.manifest.v2+json */
    BH_MEDIA_DOCKER_CONFIG,   /* application/vnd.docker.container.image.v1+json */
    BH_MEDIA_DOCKER_LAYER,    /* application/vnd.docker.image.rootfs.diff.tar.gzip and
                                 .foreign.diff.tar.gzip */
};

/* Classify a media type string (NULL gives BH_MEDIA_NONE). Parameters (`;...`) are ignored. */
enum bh_media_kind bh_manifest_media_kind(const char *media_type);
/* True for the two index kinds and the two manifest kinds respectively. */
bool bh_manifest_kind_is_index(enum bh_media_kind k);
bool bh_manifest_kind_is_manifest(enum bh_media_kind k);

/*
 * A digest we accept: "sha256:" + 64 or "sha512:" + 128 lowercase hex digits
 * (the OCI registered algorithms; anything else cannot name a blob we can check).
 */
bool bh_manifest_digest_valid(const char *digest);
/* A media type of the shape type "/" subtype (RFC 6838 characters), parameters allowed. */
bool bh_manifest_media_type_valid(const char *media_type);

struct bh_platform {
    const char *os;           /* "linux"; NULL when the descriptor has no platform */
    const char *architecture; /* "amd64", "arm64", ... */
    const char *variant;      /* "v8", or NULL */
    const char *os_version;   /* "os.version" (Windows), or NULL */
};

struct bh_annotation {
    const char *key, *value;
};

/* A content descriptor: an entry of an index's manifests[], a manifest's config or layer. */
struct bh_descriptor {
    const char *media_type; /* NULL when absent (allowed for docker-save-era indexes) */
    enum bh_media_kind kind;
    const char *digest; /* validated by bh_manifest_digest_valid */
    long long size;     /* bytes, >= 0 */
    bool has_platform;
    struct bh_platform platform;
    struct bh_annotation *annotations;
    size_t nannotations;
    const char *ref_name; /* annotation org.opencontainers.image.ref.name, or NULL */
    const char *path;     /* JSON path of this descriptor for messages: "manifests[2]" */
};

/* An OCI image index or a Docker manifest list. */
struct bh_index {
    int schema_version;     /* 2 */
    const char *media_type; /* NULL when absent */
    enum bh_media_kind kind;
    struct bh_descriptor *manifests;
    size_t nmanifests;
    struct bh_annotation *annotations;
    size_t nannotations;
};

/* An OCI image manifest or a Docker v2 schema 2 manifest. */
struct bh_imgmanifest {
    int schema_version;
    const char *media_type;
    enum bh_media_kind kind;
    struct bh_descriptor config;
    struct bh_descriptor *layers;
    size_t nlayers;
    struct bh_annotation *annotations;
    size_t nannotations;
};

/* One image of a `docker save` manifest.json. */
struct bh_saveentry {
    const char *config;     /* member name of the config: "<hex>.json" or "blobs/sha256/<hex>" */
    const char **repo_tags; /* "alpine:3.10"; none when RepoTags is null */
    size_t nrepo_tags;
    const char **layers; /* member names in order: "<id>/layer.tar" or "blobs/sha256/<hex>" */
    size_t nlayers;
};

/* One line of the legacy `repositories` file: repository, tag and the top layer id. */
struct bh_repotag {
    const char *repo, *tag, *id;
};

/*
 * Parsers. file names the document in errors. Each returns 0, or BH_EPARSE
 * naming file and the JSON path of the bad field ("manifests[2].digest: ...")
 * for malformed JSON, wrong types, missing required fields, invalid digests or
 * media types, sizes below 0, member names that are absolute or contain "..";
 * BH_ELIMIT past BH_MAX_MANIFEST_ENTRIES or a json.h limit; BH_ENOMEM.
 *
 * bh_manifest_parse_index: an OCI index or Docker manifest list. A top-level
 * mediaType, when present, must be an index kind. Entries' media types must be
 * well-formed but may be of any kind (nested indexes, artifacts): callers choose.
 * bh_manifest_parse_image: an OCI or Docker v2 image manifest; a top-level
 * mediaType, when present, must be a manifest kind; config is required.
 * bh_manifest_parse_save: manifest.json of `docker save`, an array of
 * {Config, RepoTags, Layers} (a null document is BH_EPARSE).
 * bh_manifest_parse_repositories: {"repo": {"tag": "<64 hex>"}}.
 */
int bh_manifest_parse_index(struct bh_arena *a, const char *file, const char *json, size_t len,
                            struct bh_index *out, struct bh_err *err);
int bh_manifest_parse_image(struct bh_arena *a, const char *file, const char *json, size_t len,
                            struct bh_imgmanifest *out, struct bh_err *err);
int bh_manifest_parse_save(struct bh_arena *a, const char *file, const char *json, size_t len,
                           struct bh_saveentry **out, size_t *n, struct bh_err *err);
int bh_manifest_parse_repositories(struct bh_arena *a, const char *file, const char *json,
                                   size_t len, struct bh_repotag **out, size_t *n,
                                   struct bh_err *err);

/*
 * Parse "os/arch[/variant]" (e.g. "linux/arm64/v8") into *out, strings in a.
 * "x86_64" and "aarch64" are read as "amd64" and "arm64". BH_EUSAGE when malformed.
 */
int bh_manifest_parse_platform(struct bh_arena *a, const char *text, struct bh_platform *out,
                               struct bh_err *err);

/*
 * The image-manifest entry of ix for platform want ("linux/amd64", "linux/arm64/v8"),
 * or NULL when none matches or want is malformed. Only entries whose kind is a
 * manifest kind (or that have no media type) are considered. os and architecture must be
 * equal; with a variant in want, the entry's variant must equal it (for arm64, none and
 * "v8" are the same); without one, an entry without a variant is preferred, else the
 * first match.
 */
const struct bh_descriptor *bh_manifest_pick_platform(const struct bh_index *ix, const char *want);

#endif
