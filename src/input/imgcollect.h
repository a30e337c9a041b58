/*
 * imgcollect.h - the per-entry consumers of one layer pass: every entry goes
 * into the layer's part of the file index (whiteout markers turned into
 * BH_FT_WHITEOUT / BH_FT_OPAQUE entries for the merge), the small files later
 * checks read are captured whole, and text files are handed to the secret
 * scanner. Runs in a layer worker with that worker's own arena.
 */
#ifndef BH_IMGCOLLECT_H
#define BH_IMGCOLLECT_H

#include "core/err.h"
#include "core/reader.h"
#include "input/layer.h"
#include "input/pkgdb/pkgdb.h"
#include "model/image.h"

#include <stdbool.h>
#include <stdint.h>

struct bh_arena;
struct bh_secretscan;

struct bh_imgcollect_opts {
    const struct bh_secretscan *secrets; /* NULL: no content scanning */
    /* Called with compressed bytes consumed (progress bar); may be NULL. */
    void (*progress)(void *ctx, uint64_t n);
    void *progress_ctx;
};

/*
 * Is path (normalised, no leading "/") one of the files captured whole? The account
 * files (etc/passwd, shadow, group, gshadow, master.passwd), OS identity (etc/os-release,
 * usr/lib/os-release, etc/debian_version, alpine-release, redhat-release,
 * centos-release, system-release, lsb-release), sudo configuration (etc/sudoers and the
 * files in etc/sudoers.d), package sources (etc/apt/sources.list and the files in
 * etc/apt/sources.list.d and etc/apt/apt.conf.d, etc/apk/repositories, the .repo files in
 * etc/yum.repos.d and etc/zypp/repos.d, etc/dnf/dnf.conf, etc/yum.conf) and package
 * databases for the vulnerability matcher (var/lib/dpkg/status, the files in
 * var/lib/dpkg/status.d, lib/apk/db/installed, the files in var/lib/rpm and
 * usr/lib/sysimage/rpm).
 */
bool bh_imgcollect_wants(const char *path);

/* What a pass keeps of a regular file's content, decided by its path alone. */
enum bh_imgcollect_kind {
    BH_IMGCOLLECT_NONE = 0, /* nothing kept (text is still secret-scanned) */
    BH_IMGCOLLECT_CAPTURE,  /* bh_imgcollect_wants: captured up to BH_MAX_CAPTURE_BYTES */
    BH_IMGCOLLECT_PKG,      /* a package database (bh_imgcollect_wants) or a language file
                               (bh_pkgdb_lang_wants): captured up to BH_MAX_PKG_CAPTURE_BYTES */
    BH_IMGCOLLECT_JAVA,     /* a Java archive (bh_java_wants): read up to BH_MAX_JAR_BYTES and
                               its packages parsed; not captured */
};

/*
 * The kind of path (normalised, no leading "/") and in *max (may be NULL) the most bytes
 * kept of it (0 for BH_IMGCOLLECT_NONE). The layer pass and the rootfs walk share it.
 */
enum bh_imgcollect_kind bh_imgcollect_classify(const char *path, size_t *max);

/*
 * Could a regular file of this mode and size be an executable with Go build info? Any
 * execute bit and room for an executable header; the first bytes then decide
 * (bh_gobin_is_exec). Files that are not candidates are never pulled for it.
 */
bool bh_imgcollect_exec_candidate(uint32_t mode, uint64_t size);

/*
 * Record in (*v, *n, *cap) (grown in a) that the packages of the image file path (layer
 * `layer`) could not be read, why in e. The message names the file: e->msg as it is when it
 * starts with path and ':' or "!/" (the Java reader names nested archives so), else
 * "path: " before it. The layer pass and the rootfs walk share it. Errors: BH_ENOMEM.
 */
int bh_imgcollect_file_error(struct bh_arena *a, struct bh_imgerror **v, size_t *n, size_t *cap,
                             const char *path, int layer, const struct bh_err *e);

/*
 * One whole layer pass (bh_layer_scan on in) collecting into *out (layer index
 * `layer`, everything allocated in a, which must outlive the image). *st as
 * bh_layer_scan fills it. A secret-scanner failure is an error; a file too large to scan
 * is skipped (only files up to BH_MAX_SECRET_SCAN_BYTES are scanned). A file whose
 * packages cannot be read (a corrupt Java archive, bad Go build info, an archive over
 * BH_MAX_JAR_BYTES) is no error of the pass: it goes into out->errors and the pass goes on.
 */
int bh_imgcollect_layer(struct bh_arena *a, struct bh_reader *in, enum bh_layer_comp comp,
                        const char *label, int layer, const struct bh_imgcollect_opts *o,
                        struct bh_imgpart *out, struct bh_layer_stats *st, struct bh_err *err);

#endif
