/*
 * rootfs.c - `bulkhead rootfs DIR...`: reads each unpacked root filesystem as a
 * one-layer image (input/rootfs.c), runs the image rules on its files, lists its
 * installed packages and OS, and writes one report. There is no image config, so
 * the build rules are not run. A directory that cannot be read, or a package
 * database that cannot be parsed, is a report error (exit 2); the rest still counts.
 */
#include "cmd/cmd.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/pkgdb/pkgdb.h"
#include "input/rootfs.h"
#include "input/secretscan.h"
#include "rules/pipeline.h"
#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>

const struct bh_option bh_rootfs_options[] = {
    BH_SCAN_OPTIONS,
    BH_VULN_OPTIONS,
    {"no-secret-scan", 0, NULL, "do not scan file contents for secrets"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct rootfs_state {
    struct bh_scanopts so;
    struct bh_vulnopts vo;
    struct bh_rootfs_opts ro;
    struct bh_arena arena; /* the report */
    struct bh_report report;
    bool help, no_secrets;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct rootfs_state *st = data;
    const char *name = bh_rootfs_options[idx].long_name;
    int rc = bh_scanopts_handle(&st->so, name, val);

    if (rc == 0)
        rc = bh_vulnopts_handle(&st->vo, "rootfs", name, val);

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "no-secret-scan"))
        st->no_secrets = true;
    else if (!strcmp(name, "help"))
        st->help = true;
    return 0;
}

static const char *keep(struct rootfs_state *st, const char *s)
{
    return s ? bh_arena_strdup(&st->arena, s) : NULL;
}

static void scan_dir(struct rootfs_state *st, const char *dir)
{
    struct bh_arena fa;
    struct bh_image img;
    struct bh_findings found = {0};
    struct bh_packages pk = {0};
    struct bh_pkgdb_error *perrs = NULL;
    struct bh_target *t;
    struct bh_err err;
    size_t unreadable = 0, npe = 0, k;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    if (bh_rootfs_load(&fa, dir, &st->ro, &img, &unreadable, &err) != 0) {
        bh_report_add_error(&st->arena, &st->report, dir, err.msg, err.line, err.col);
        bh_arena_release(&fa);
        return;
    }
    if (img.layers[0].error)
        bh_report_add_error(&st->arena, &st->report, dir, img.layers[0].error, 0, 0);
    if (unreadable && !st->so.quiet)
        fprintf(stderr, "bulkhead rootfs: %s: %zu entries could not be read and were skipped\n",
                dir, unreadable);
    /* no config and no history: only the rules that look at files have anything to read */
    bh_rules_check_image(&fa, &st->so.policy, &img, &found);
    if (bh_pkgdb_image_packages(&fa, &img, &pk, &perrs, &npe) != 0) {
        bh_report_add_error(&st->arena, &st->report, dir,
                            "out of memory listing packages (BH_MAX_SCAN_ARENA)", 0, 0);
        pk.n = 0;
    }
    for (k = 0; k < npe; k++)
        bh_report_add_error(&st->arena, &st->report, dir, perrs[k].message, perrs[k].line, 0);
    t = bh_report_add_target(&st->arena, &st->report, keep(st, dir), BH_KIND_ROOTFS);
    if (t) {
        bh_cmd_keep_inventory(&st->arena, t, &pk, &img.os, NULL);
        bh_vulnopts_scan(&st->vo, &fa, &st->arena, &st->so.policy, t, &found, &st->report);
    }
    bh_pipeline_policy(&st->so.policy, &found);
    bh_pipeline_ignorefile(&st->so.ignores, &found);
    bh_cmd_keep_findings(&st->arena, t, &found);
    bh_arena_release(&fa);
}

int cmd_rootfs(int argc, char **argv, struct bh_ctx *ctx)
{
    struct rootfs_state st;
    struct bh_secretscan *ss = NULL;
    struct bh_err err;
    char **pos = NULL;
    int npos = 0, rc, i;

    memset(&st, 0, sizeof(st));
    bh_scanopts_init(&st.so);
    bh_vulnopts_init(&st.vo);
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    rc = bh_cmd_parse("rootfs", argc, argv, bh_rootfs_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("rootfs"));
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos == 0) {
        fprintf(stderr, "bulkhead rootfs: no directory (an unpacked root filesystem, or /)\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    rc = bh_scanopts_load(&st.so, &st.arena);
    if (rc)
        goto out;
    st.ro.now = bh_now(); /* SOURCE_DATE_EPOCH pins it for reproducible reports */
    bh_err_init(&err);
    if (!st.no_secrets) {
        if (bh_secretscan_new(&ss, &err) != 0) {
            fprintf(stderr, "bulkhead rootfs: %s\n", err.msg);
            rc = BH_EXIT_INTERNAL;
            goto out;
        }
        st.ro.secrets = ss;
    }
    st.vo.now = st.ro.now;
    rc = bh_vulnopts_open(&st.vo, "rootfs", st.so.quiet, &st.report, &st.arena);
    if (rc)
        goto out;
    for (i = 0; i < npos; i++)
        scan_dir(&st, pos[i]);
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead rootfs: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "rootfs");
out:
    bh_vulnopts_close(&st.vo);
    bh_secretscan_free(ss);
    free(pos);
    bh_arena_release(&st.arena);
    return rc;
}
