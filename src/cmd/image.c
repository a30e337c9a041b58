/*
 * image.c - `bulkhead image TARGET...`: loads each image (archive, OCI
 * layout, docker:NAME, registry reference), runs the build rules on its
 * config and history and the image rules on its files, layers and secrets,
 * and writes one report. A target that cannot be loaded becomes a report
 * error (exit 2) and the other targets are still scanned.
 */
#include "cmd/cmd.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/imgload.h"
#include "input/pkgdb/pkgdb.h"
#include "input/secretscan.h"
#include "net/http.h"
#include "rules/pipeline.h"
#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const struct bh_option bh_image_options[] = {
    BH_SCAN_OPTIONS,
    BH_VULN_OPTIONS,
    {"platform", 0, "OS/ARCH[/VARIANT]",
     "image to take from a multi-platform index (default: this machine's)"},
    {"parallel", 0, "N", "layers scanned at once (default: one per CPU)"},
    {"insecure", 0, NULL, "plain HTTP for registries on loopback addresses"},
    {"host", 0, "URL",
     "engine for docker:NAME targets (default DOCKER_HOST, then the local socket)"},
    {"max-age", 0, "DAYS", "IMG-AGE threshold in days (default 90, or the policy's)"},
    {"no-secret-scan", 0, NULL, "do not scan file contents for secrets"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct image_state {
    struct bh_scanopts so;
    struct bh_vulnopts vo;
    struct bh_imgload_opts lo;
    struct bh_arena arena; /* the report */
    struct bh_report report;
    struct bh_ctx *ctx;
    bool help, no_secrets;
    int max_age;
    const char *current;
    bool bar_shown;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct image_state *st = data;
    const char *name = bh_image_options[idx].long_name;
    int rc = bh_scanopts_handle(&st->so, name, val);

    if (rc == 0)
        rc = bh_vulnopts_handle(&st->vo, "image", name, val);
    long long v;

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "platform")) {
        st->lo.platform = val;
    } else if (!strcmp(name, "parallel")) {
        if (bh_parse_int(val, strlen(val), 1, BH_MAX_PARALLEL, &v) != 0) {
            fprintf(stderr, "bulkhead image: --parallel takes 1..%u, not '%s'\n", BH_MAX_PARALLEL,
                    val);
            return BH_EXIT_USAGE;
        }
        st->lo.parallel = (unsigned)v;
    } else if (!strcmp(name, "insecure")) {
        st->lo.insecure = true;
    } else if (!strcmp(name, "host")) {
        st->lo.engine = val;
    } else if (!strcmp(name, "max-age")) {
        if (bh_parse_int(val, strlen(val), 0, 100000, &v) != 0) {
            fprintf(stderr, "bulkhead image: --max-age takes a number of days, not '%s'\n", val);
            return BH_EXIT_USAGE;
        }
        st->max_age = (int)v;
    } else if (!strcmp(name, "no-secret-scan")) {
        st->no_secrets = true;
    } else if (!strcmp(name, "help")) {
        st->help = true;
    }
    return 0;
}

static void human(char *buf, size_t cap, double b)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;

    while (b >= 1024 && i < 4) {
        b /= 1024;
        i++;
    }
    snprintf(buf, cap, "%.1f %s", b, u[i]);
}

/* The progress bar: one line on stderr, redrawn; only on a terminal. */
static void progress(void *ctx, const struct bh_imgprogress *p)
{
    struct image_state *st = ctx;
    static struct timespec t0;
    struct timespec now;
    char done[32], rate[32];
    double secs;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!st->bar_shown) {
        t0 = now;
        st->bar_shown = true;
    }
    secs = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
    human(done, sizeof(done), (double)p->bytes_in);
    human(rate, sizeof(rate), secs > 0.05 ? (double)p->bytes_in / secs : 0);
    fprintf(stderr, "\r\033[K%s: layers %zu/%zu, %s read, %s/s", st->current, p->layers_done,
            p->layers_total, done, rate);
    fflush(stderr);
}

static const char *keep(struct image_state *st, const char *s)
{
    return s ? bh_arena_strdup(&st->arena, s) : NULL;
}

static void scan_target(struct image_state *st, const char *target)
{
    struct bh_arena fa;
    struct bh_image *imgs = NULL;
    struct bh_err err;
    size_t n = 0, i, k;
    int rc;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    st->current = target;
    st->bar_shown = false;
    rc = bh_imgload(&fa, target, &st->lo, &imgs, &n, &err);
    if (st->bar_shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    if (rc) {
        bh_report_add_error(&st->arena, &st->report, target, err.msg, err.line, err.col);
        bh_arena_release(&fa);
        return;
    }
    for (i = 0; i < n; i++) {
        struct bh_image *img = &imgs[i];
        struct bh_findings found = {0};
        struct bh_packages pk = {0};
        struct bh_pkgdb_error *perrs = NULL;
        size_t npe = 0;
        struct bh_target *t;

        bh_rules_check_build(&fa, &st->so.policy, &img->build, &found);
        bh_rules_check_image(&fa, &st->so.policy, img, &found);
        for (k = 0; k < img->nlayers; k++)
            if (img->layers[k].error)
                bh_report_add_error(&st->arena, &st->report, img->target, img->layers[k].error, 0,
                                    0);
        /* a package file that cannot be read is an error; the other packages still count */
        if (bh_pkgdb_image_packages(&fa, img, &pk, &perrs, &npe) != 0) {
            bh_report_add_error(&st->arena, &st->report, img->target,
                                "out of memory listing packages (BH_MAX_SCAN_ARENA)", 0, 0);
            pk.n = 0;
        }
        for (k = 0; k < npe; k++)
            bh_report_add_error(&st->arena, &st->report, img->target, perrs[k].message,
                                perrs[k].line, 0);
        t = bh_report_add_target(&st->arena, &st->report, keep(st, img->target), BH_KIND_IMAGE);
        if (t) {
            bh_cmd_keep_inventory(&st->arena, t, &pk, &img->os, img->config_digest);
            bh_vulnopts_scan(&st->vo, &fa, &st->arena, &st->so.policy, t, &found, &st->report);
        }
        bh_pipeline_policy(&st->so.policy, &found);
        bh_pipeline_ignorefile(&st->so.ignores, &found);
        bh_cmd_keep_findings(&st->arena, t, &found);
    }
    bh_imgload_release(imgs, n);
    bh_arena_release(&fa);
}

int cmd_image(int argc, char **argv, struct bh_ctx *ctx)
{
    struct image_state st;
    struct bh_secretscan *ss = NULL;
    struct bh_err err;
    char **pos = NULL;
    int npos = 0, rc, i;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.max_age = -1;
    bh_scanopts_init(&st.so);
    bh_vulnopts_init(&st.vo);
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    rc = bh_cmd_parse("image", argc, argv, bh_image_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("image"));
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos == 0) {
        fprintf(stderr, "bulkhead image: no target (a docker save archive, an OCI layout, "
                        "docker:NAME or an image reference)\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    rc = bh_scanopts_load(&st.so, &st.arena);
    if (rc)
        goto out;
    if (st.max_age >= 0)
        st.so.policy.max_image_age_days = st.max_age;
    st.lo.now = bh_now(); /* SOURCE_DATE_EPOCH pins it for reproducible reports */
    bh_err_init(&err);
    if (bh_http_init(&err) != 0) {
        fprintf(stderr, "bulkhead image: %s\n", err.msg);
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    if (!st.no_secrets) {
        if (bh_secretscan_new(&ss, &err) != 0) {
            fprintf(stderr, "bulkhead image: %s\n", err.msg);
            rc = BH_EXIT_INTERNAL;
            goto out;
        }
        st.lo.secrets = ss;
    }
    if (ctx->stderr_tty && !st.so.quiet && !st.so.no_progress) {
        st.lo.progress = progress;
        st.lo.progress_ctx = &st;
    }
    st.vo.now = st.lo.now;
    rc = bh_vulnopts_open(&st.vo, "image", st.so.quiet, &st.report, &st.arena);
    if (rc)
        goto out;
    for (i = 0; i < npos; i++)
        scan_target(&st, pos[i]);
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead image: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "image");
out:
    bh_vulnopts_close(&st.vo);
    bh_secretscan_free(ss);
    bh_http_cleanup();
    free(pos);
    bh_arena_release(&st.arena);
    return rc;
}
