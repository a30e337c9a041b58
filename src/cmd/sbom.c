/*
 * sbom.c - `bulkhead sbom TARGET`: the software bill of materials of one image (anything
 * `bulkhead image` takes) or one root filesystem directory, as CycloneDX 1.5 or SPDX 2.3
 * JSON. It reads packages and the OS; it runs no rules. One target makes one document, so
 * a second target, or an archive holding several images, is a usage error.
 */
#include "cmd/cmd.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/imgload.h"
#include "input/pkgdb/pkgdb.h"
#include "input/rootfs.h"
#include "net/http.h"
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct bh_option bh_sbom_options[] = {
    {"format", 'f', "FORMAT", "cyclonedx (CycloneDX 1.5 JSON, default) or spdx-json (SPDX 2.3)"},
    {"output", 'o', "FILE", "write the SBOM to FILE instead of stdout"},
    {"platform", 0, "OS/ARCH[/VARIANT]",
     "image to take from a multi-platform index (default: this machine's)"},
    {"insecure", 0, NULL, "plain HTTP for registries on loopback addresses"},
    {"host", 0, "URL",
     "engine for docker:NAME targets (default DOCKER_HOST, then the local socket)"},
    {"quiet", 'q', NULL, "print nothing but the SBOM"},
    {"no-progress", 0, NULL, "no progress line on stderr"},
    BH_VULN_OPTIONS,
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct sbom_state {
    struct bh_scanopts so; /* format, output and quiet only; the rest stays at defaults */
    struct bh_imgload_opts lo;
    struct bh_vulnopts vo;
    struct bh_arena arena; /* the report */
    struct bh_report report;
    bool help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct sbom_state *st = data;
    const char *name = bh_sbom_options[idx].long_name;
    int rc = bh_vulnopts_handle(&st->vo, "sbom", name, val);

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "format")) {
        if (strcmp(val, "cyclonedx") != 0 && strcmp(val, "spdx-json") != 0) {
            fprintf(stderr, "bulkhead sbom: unknown format '%s' (cyclonedx or spdx-json)\n", val);
            return BH_EXIT_USAGE;
        }
        st->so.format = val;
    } else if (!strcmp(name, "output")) {
        st->so.output = val;
    } else if (!strcmp(name, "platform")) {
        st->lo.platform = val;
    } else if (!strcmp(name, "insecure")) {
        st->lo.insecure = true;
    } else if (!strcmp(name, "host")) {
        st->lo.engine = val;
    } else if (!strcmp(name, "quiet")) {
        st->so.quiet = true;
    } else if (!strcmp(name, "no-progress")) {
        st->so.no_progress = true;
    } else if (!strcmp(name, "help")) {
        st->help = true;
    }
    return 0;
}

static const char *keep(struct sbom_state *st, const char *s)
{
    return s ? bh_arena_strdup(&st->arena, s) : NULL;
}

/* Packages of a loaded image (or rootfs) into a new report target; read errors reported. */
static void inventory(struct sbom_state *st, struct bh_arena *fa, const struct bh_image *img,
                      const char *target, enum bh_target_kind kind)
{
    struct bh_packages pkgs = {0};
    struct bh_pkgdb_error *errs = NULL;
    struct bh_target *t;
    size_t nerrs = 0, i;

    if (bh_pkgdb_image_packages(fa, img, &pkgs, &errs, &nerrs) != 0) {
        bh_report_add_error(&st->arena, &st->report, target, "out of memory reading packages", 0,
                            0);
        return;
    }
    for (i = 0; i < nerrs; i++)
        bh_report_add_error(&st->arena, &st->report, target, errs[i].message, errs[i].line, 0);
    t = bh_report_add_target(&st->arena, &st->report, keep(st, target), kind);
    if (t)
        bh_cmd_keep_inventory(&st->arena, t, &pkgs, &img->os,
                              kind == BH_KIND_IMAGE ? img->config_digest : NULL);
}

static void load_rootfs(struct sbom_state *st, const char *dir)
{
    struct bh_rootfs_opts ro = {.secrets = NULL, .now = st->lo.now};
    struct bh_arena fa;
    struct bh_image img;
    struct bh_err err;
    size_t unreadable = 0;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    memset(&img, 0, sizeof(img));
    if (bh_rootfs_load(&fa, dir, &ro, &img, &unreadable, &err) != 0) {
        bh_report_add_error(&st->arena, &st->report, dir, err.msg, err.line, err.col);
    } else {
        if (unreadable && !st->so.quiet)
            fprintf(stderr, "bulkhead sbom: note: %zu files under '%s' could not be read\n",
                    unreadable, dir);
        if (img.nlayers && img.layers[0].error)
            bh_report_add_error(&st->arena, &st->report, dir, img.layers[0].error, 0, 0);
        inventory(st, &fa, &img, dir, BH_KIND_ROOTFS);
    }
    bh_arena_release(&fa);
}

/* Returns an exit code when the target is not one image, else 0. */
static int load_image(struct sbom_state *st, const char *target)
{
    struct bh_arena fa;
    struct bh_image *imgs = NULL;
    struct bh_err err;
    size_t n = 0, k;
    int rc = 0;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    if (bh_imgload(&fa, target, &st->lo, &imgs, &n, &err) != 0) {
        bh_report_add_error(&st->arena, &st->report, target, err.msg, err.line, err.col);
    } else if (n != 1) {
        fprintf(stderr,
                "bulkhead sbom: '%s' holds %zu images; an SBOM describes one (name one with "
                "PATH:REFNAME for an OCI layout)\n",
                target, n);
        rc = BH_EXIT_USAGE;
    } else {
        for (k = 0; k < imgs[0].nlayers; k++)
            if (imgs[0].layers[k].error)
                bh_report_add_error(&st->arena, &st->report, target, imgs[0].layers[k].error, 0, 0);
        inventory(st, &fa, &imgs[0], imgs[0].target ? imgs[0].target : target, BH_KIND_IMAGE);
    }
    bh_imgload_release(imgs, n);
    bh_arena_release(&fa);
    return rc;
}

/* A directory is a root filesystem unless it is an OCI image layout (it has "oci-layout"). */
static bool is_rootfs(const char *target)
{
    struct stat sb;
    char path[4096];

    if (stat(target, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return false;
    if ((size_t)snprintf(path, sizeof(path), "%s/oci-layout", target) >= sizeof(path))
        return true;
    return stat(path, &sb) != 0;
}

int cmd_sbom(int argc, char **argv, struct bh_ctx *ctx)
{
    struct sbom_state st;
    struct bh_err err;
    char **pos = NULL;
    int npos = 0, rc;
    bool http = false;

    memset(&st, 0, sizeof(st));
    bh_scanopts_init(&st.so);
    bh_vulnopts_init(&st.vo);
    st.so.format = "cyclonedx";
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    rc = bh_cmd_parse("sbom", argc, argv, bh_sbom_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("sbom"));
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos != 1) {
        fprintf(stderr,
                "bulkhead sbom: %s (an image or a root filesystem directory; one SBOM "
                "describes one target)\n",
                npos ? "only one target" : "no target");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    st.lo.now = bh_now(); /* SOURCE_DATE_EPOCH pins it for reproducible reports */
    if (is_rootfs(pos[0])) {
        load_rootfs(&st, pos[0]);
    } else {
        bh_err_init(&err);
        if (bh_http_init(&err) != 0) {
            fprintf(stderr, "bulkhead sbom: %s\n", err.msg);
            rc = BH_EXIT_INTERNAL;
            goto out;
        }
        http = true;
        /* no progress line: nothing else is printed while the layers are read either */
        rc = load_image(&st, pos[0]);
        if (rc)
            goto out;
    }
    st.vo.now = st.lo.now;
    if (st.report.ntargets == 1) {
        struct bh_findings found = {0};
        struct bh_arena fa;

        /* matches go into the SBOM ("vulnerabilities"); the IMG-VULN findings are not used */
        rc = bh_vulnopts_open(&st.vo, "sbom", st.so.quiet, &st.report, &st.arena);
        if (rc)
            goto out;
        bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
        bh_vulnopts_scan(&st.vo, &fa, &st.arena, &st.so.policy, &st.report.targets[0], &found,
                         &st.report);
        bh_arena_release(&fa);
    }
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead sbom: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    if (st.report.ntargets == 0) {
        /* nothing to describe: say why on stderr and write no document */
        size_t i;

        for (i = 0; i < st.report.nerrors; i++)
            fprintf(stderr, "bulkhead: error: %s: %s\n", st.report.errors[i].target,
                    st.report.errors[i].message);
        rc = BH_EXIT_USAGE;
        goto out;
    }
    /* no findings are made, so this writes the document and returns 0, or 2 on read errors */
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "sbom");
out:
    bh_vulnopts_close(&st.vo);
    if (http)
        bh_http_cleanup();
    free(pos);
    bh_arena_release(&st.arena);
    return rc;
}
