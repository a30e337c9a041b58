/*
 * image.h - the image model: what an image is (its config as a buildspec plus
 * the config facts only an image has) and what it contains (every entry of
 * every layer, with the merged tree computed from them, captured small files
 * and secret hits). Plain structs; the merge is the only logic here.
 */
#ifndef BH_IMAGE_H
#define BH_IMAGE_H

#include "core/err.h"
#include "model/buildspec.h"
#include "model/package.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bh_arena;

/* One entry of the config's history[]. */
struct bh_imghist {
    const char *created;    /* RFC 3339 text as written, or NULL */
    const char *created_by; /* or NULL */
    const char *comment;    /* or NULL */
    const char *author;     /* or NULL */
    bool empty_layer;
    int layer; /* index into bh_imgmeta.diff_ids of the layer it made, -1 for empty_layer */
    int instr; /* index into bh_buildspec.instrs of the instruction it became, or -1 */
};

/* Facts of the image config that a Dockerfile does not have. */
struct bh_imgmeta {
    const char *created; /* the config's `created` as written (RFC 3339), or NULL */
    const char *os, *architecture, *variant, *os_version; /* NULL when absent */
    const char *author, *docker_version;                  /* NULL when absent */
    const char *rootfs_type;                              /* "layers", or NULL */
    const char **diff_ids; /* rootfs.diff_ids in order, each a valid digest */
    size_t ndiff_ids;
    struct bh_kv *labels; /* config.Labels in document order; loc.path "config.Labels.<key>" */
    size_t nlabels;
    struct bh_imghist *history;
    size_t nhistory;
    /* No `config` object; the legacy `container_config` was read instead (very old images). */
    bool legacy_container_config;
    /* Non-empty history entries differ in number from diff_ids (squashed or edited image). */
    bool history_layers_mismatch;
};

/* One layer as declared and as measured by the pass over it. */
struct bh_imglayer {
    const char *digest;     /* declared digest of the blob (manifest), or NULL (legacy archives) */
    const char *media_type; /* declared, or NULL */
    const char *diff_id;    /* expected digest of the uncompressed tar (config), or NULL */
    const char *member;     /* where it was read: archive member, blob URL path; for messages */
    int64_t size;           /* declared size, -1 when unknown */
    const char *created_by; /* the history entry that made it, or NULL */
    /* measured */
    bool scanned;            /* the pass reached the end of the stream */
    const char *error;       /* why the pass failed, or NULL */
    const char *comp;        /* "gzip", "zstd", "none" */
    const char *got_digest;  /* "sha256:..." of the bytes read, or NULL */
    const char *got_diff_id; /* "sha256:..." of the decompressed bytes, or NULL */
    uint64_t bytes_in, bytes_out, entries;
};

/* Entry types: the layer reader's enum bh_ltype values, plus the two whiteout kinds. */
enum bh_ftype {
    BH_FT_REG = 0,
    BH_FT_DIR,
    BH_FT_SYMLINK,
    BH_FT_HARDLINK,
    BH_FT_CHAR,
    BH_FT_BLOCK,
    BH_FT_FIFO,
    BH_FT_OTHER,
    BH_FT_WHITEOUT, /* ".wh.NAME": path is the removed NAME (the marker itself is not a file) */
    BH_FT_OPAQUE,   /* ".wh..wh..opq": path is the directory whose lower contents are hidden */
};

enum {
    BH_IMGF_FCAPS = 1u << 0,    /* security.capability xattr */
    BH_IMGF_SHADOWED = 1u << 1, /* removed or replaced by a later layer: not in the final tree */
    BH_IMGF_ESCAPED = 1u << 2,  /* the tar name climbed above the root; path is as written */
};

/* One tar entry of one layer. Compact: the file index holds one per entry of every layer. */
struct bh_imgfile {
    const char *path; /* "etc/passwd": relative to the root, normalised (layer.h) */
    const char *link; /* symlink target as written / hard link's path, or NULL */
    uint64_t size;
    uint32_t mode; /* & 07777 */
    uint32_t uid, gid;
    uint16_t layer;
    uint8_t type;  /* enum bh_ftype */
    uint8_t flags; /* BH_IMGF_* */
};

/* A small file kept whole because later checks read it (passwd, os-release, repo configs). */
struct bh_imgcapture {
    const char *path; /* as in bh_imgfile */
    int layer;
    const char *data; /* NUL-terminated (the NUL is not counted in len) */
    size_t len;
    bool truncated; /* the file was longer than BH_MAX_CAPTURE_BYTES; data holds the start */
    bool shadowed;  /* not in the final tree (set by bh_image_merge) */
};

/* A secret found in a file's content by the content scanner. */
struct bh_secrethit {
    const char *path;
    int layer;
    const char *kind;    /* pattern id, e.g. "private-key", "aws-access-key-id" */
    const char *what;    /* human name, e.g. "AWS access key id" */
    int line;            /* 1-based line of the match */
    const char *excerpt; /* the match with the secret redacted, safe to print */
    bool shadowed;       /* the file is not in the final tree (set by bh_image_merge) */
};

/*
 * A file whose packages could not be read during the pass (a damaged Java archive, broken
 * Go build info, an archive over BH_MAX_JAR_BYTES). The pass goes on without it; the
 * package collector reports it while the file is in the final tree.
 */
struct bh_imgerror {
    const char *path;    /* the image file, as in bh_imgfile (never "a.war!/b.jar") */
    int layer;           /* the layer it was read in */
    const char *message; /* complete: names the file, or the nested archive inside it */
};

/* What one layer pass collected (input/imgcollect.h), in that layer's arena. */
struct bh_imgpart {
    struct bh_imgfile *files;
    size_t nfiles;
    struct bh_imgcapture *captures;
    size_t ncaptures;
    struct bh_secrethit *secrets;
    size_t nsecrets;
    /* packages read out of binaries and archives during the pass (Go build info, Java
       archives); path is the file they were found in */
    struct bh_package *packages;
    size_t npackages;
    struct bh_imgerror *errors; /* files whose packages could not be read, in stream order */
    size_t nerrors;
};

struct bh_imgtree; /* the merged view, built by bh_image_merge */

struct bh_image {
    const char *target;          /* as the user gave it: a path, "docker:NAME", a reference */
    const char *source;          /* "docker-archive", "oci-dir", "oci-tar", "registry", "daemon" */
    const char *ref;             /* image reference (RepoTags, ref.name annotation, the
                                    registry reference), or NULL */
    const char *user_ref;        /* the reference the user named (registry and docker:NAME
                                    targets; REF-* rules check it), else NULL */
    long long scan_time;         /* seconds since the epoch the scan counts as now (IMG-AGE) */
    const char *manifest_digest; /* or NULL (docker-save archives have none) */
    const char *config_digest;   /* or NULL */
    const char *platform;        /* "linux/amd64" as read from the config, or NULL */
    struct bh_buildspec build;   /* origin BH_BS_IMAGE; file = target */
    struct bh_imgmeta meta;
    struct bh_imglayer *layers;
    size_t nlayers;
    /* filled by bh_image_merge, in layer order then stream order */
    struct bh_imgfile *files;
    size_t nfiles;
    struct bh_imgcapture *captures;
    size_t ncaptures;
    struct bh_secrethit *secrets;
    size_t nsecrets;
    struct bh_imgtree *tree;
    /* the parts' packages, concatenated in layer order by bh_image_merge (not yet filtered
       to the final tree: bh_pkgdb_image_packages does that) */
    struct bh_package *bin_packages;
    size_t nbin_packages;
    /* the parts' errors, concatenated in layer order by bh_image_merge (not yet filtered to
       the final tree: bh_pkgdb_image_packages does that) */
    struct bh_imgerror *file_errors;
    size_t nfile_errors;
    struct bh_osinfo os; /* from the final tree's release files (bh_pkgdb_image_os); id NULL
                            when unknown */
    /* the per-layer arenas the parts live in; owned by the loader (bh_imgload_release) */
    struct bh_arena **layer_arenas;
    size_t nlayer_arenas;
};

/*
 * Concatenate parts[0..nparts) (one per layer, index = layer) into img's files, captures,
 * secrets, packages and file errors, then apply the layers in order: a later entry of the
 * same path replaces an earlier one (also a directory replaced by a file: everything under
 * it goes); a whiteout removes its path and everything under it; an opaque marker hides
 * everything under its directory from lower layers. Removed and replaced entries, captures
 * and hits get their shadowed flag. Parts are borrowed (their arenas must outlive img).
 * Memory: one hash slot per distinct path. Errors: BH_ENOMEM, BH_ELIMIT past
 * BH_MAX_IMAGE_FILES entries.
 */
int bh_image_merge(struct bh_arena *a, struct bh_image *img, const struct bh_imgpart *parts,
                   size_t nparts, struct bh_err *err);

/*
 * The entry at path in the final tree (path with or without a leading "/"), or NULL.
 * With follow, symbolic links in every component (and the last) are resolved inside
 * the image root: an absolute target restarts at the root, ".." never climbs above it,
 * at most BH_MAX_SYMLINK_HOPS hops. Hard links are returned as they are.
 */
const struct bh_imgfile *bh_image_lookup(const struct bh_image *img, const char *path, bool follow);

/* The captured content of path in the final tree (links followed), or NULL. */
const struct bh_imgcapture *bh_image_capture(const struct bh_image *img, const char *path);

/* Iterate the final tree: entries that are not shadowed, whiteouts and opaque markers. */
bool bh_imgfile_final(const struct bh_imgfile *f);

#endif
