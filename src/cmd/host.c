/*
 * host.c - `bulkhead host [--root DIR]`: reads the machine under the containers (or a host
 * filesystem mounted at DIR) through input/host/, runs the HOST-* rules and REF-TRUST's host
 * side, and writes one report with target "host:ROOT". Files that exist but cannot be parsed
 * are report errors (exit 2) with file, line and column; the rest is still judged. It never
 * talks to the engine: that is `bulkhead engine`.
 */
#include "cmd/cmd.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/host.h"
#include "rules/pipeline.h"
#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>

const struct bh_option bh_host_options[] = {
    BH_SCAN_OPTIONS,
    {"root", 0, "DIR", "read the host whose / is mounted at DIR (default /)"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct host_state {
    struct bh_scanopts so;
    struct bh_arena arena; /* the report */
    struct bh_report report;
    const char *root;
    bool help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct host_state *st = data;
    const char *name = bh_host_options[idx].long_name;
    int rc = bh_scanopts_handle(&st->so, name, val);

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "root"))
        st->root = val;
    else if (!strcmp(name, "help"))
        st->help = true;
    return 0;
}

/* Returns 0, or BH_EXIT_USAGE when the root cannot be read at all (message printed). */
static int scan_host(struct host_state *st)
{
    struct bh_arena fa;
    struct bh_host h;
    struct bh_host_error *errs = NULL;
    struct bh_findings found = {0};
    struct bh_target *t;
    struct bh_err err;
    size_t nerrs = 0, k;
    const char *name = bh_arena_printf(&st->arena, "host:%s", st->root);
    int rc;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    rc = bh_host_read(&fa, st->root, &h, &errs, &nerrs, &err);
    if (rc == BH_ENOMEM) {
        fprintf(stderr, "bulkhead host: %s\n", err.msg);
        bh_arena_release(&fa);
        return BH_EXIT_INTERNAL;
    }
    if (rc != 0) {
        bh_report_add_error(&st->arena, &st->report, name, err.msg, err.line, err.col);
        bh_arena_release(&fa);
        return 0;
    }
    for (k = 0; k < nerrs; k++) {
        const char *msg = errs[k].file
                              ? bh_arena_printf(&st->arena, "%s: %s", errs[k].file, errs[k].message)
                              : errs[k].message;

        bh_report_add_error(&st->arena, &st->report, name, msg, errs[k].line, errs[k].col);
    }
    if (!h.engine_found && !st->so.quiet)
        fprintf(stderr,
                "bulkhead host: no container engine found under %s (no dockerd, containerd or "
                "podman configuration, socket, process or package); only the Docker API ports "
                "are checked\n",
                st->root);
    bh_rules_check_host(&fa, &st->so.policy, &h, &found);
    t = bh_report_add_target(&st->arena, &st->report, name, BH_KIND_HOST);
    bh_pipeline_policy(&st->so.policy, &found);
    bh_pipeline_ignorefile(&st->so.ignores, &found);
    bh_cmd_keep_findings(&st->arena, t, &found);
    bh_arena_release(&fa);
    return 0;
}

int cmd_host(int argc, char **argv, struct bh_ctx *ctx)
{
    struct host_state st;
    char **pos = NULL;
    int npos = 0, rc;

    memset(&st, 0, sizeof(st));
    bh_scanopts_init(&st.so);
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    st.root = "/";
    rc = bh_cmd_parse("host", argc, argv, bh_host_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("host"));
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos > 0) {
        fprintf(stderr,
                "bulkhead host: unexpected argument '%s' (use --root DIR for a host "
                "filesystem mounted elsewhere)\n",
                pos[0]);
        rc = BH_EXIT_USAGE;
        goto out;
    }
    if (!st.root[0]) {
        fprintf(stderr, "bulkhead host: --root needs a directory\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    rc = bh_scanopts_load(&st.so, &st.arena);
    if (rc)
        goto out;
    rc = scan_host(&st);
    if (rc)
        goto out;
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead host: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "host");
out:
    free(pos);
    bh_arena_release(&st.arena);
    return rc;
}
