/*
 * engine.c - `bulkhead engine [--host URL] [--all] [--state-dir DIR]`: reads the containers
 * of a Docker engine, live over its API (GET requests only) or offline from its state
 * directory with no socket at all, runs every RUN-* rule on each container's runspec and the
 * container rules (RUN-DEFBRIDGE, RUN-DRIFT, IMG-AGE) on the container, and writes one report
 * with a target per container. A container or engine that cannot be read is a report error
 * (exit 2); the other containers are still judged. It never writes to the engine.
 */
#include "cmd/cmd.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/engine.h"
#include "net/http.h"
#include "rules/pipeline.h"
#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>

const struct bh_option bh_engine_options[] = {
    BH_SCAN_OPTIONS,
    {"host", 0, "URL",
     "engine: unix:///PATH or tcp://HOST:PORT (default DOCKER_HOST, then the local socket)"},
    {"all", 'a', NULL, "also stopped and created containers (default: running ones)"},
    {"state-dir", 0, "DIR",
     "read the engine's data-root (e.g. /var/lib/docker) offline instead of its API"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct engine_state {
    struct bh_scanopts so;
    struct bh_arena arena; /* the report */
    struct bh_report report;
    const char *host, *state_dir;
    struct bh_engine_addr addr; /* live engine only */
    bool all, help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct engine_state *st = data;
    const char *name = bh_engine_options[idx].long_name;
    int rc = bh_scanopts_handle(&st->so, name, val);

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "host"))
        st->host = val;
    else if (!strcmp(name, "all"))
        st->all = true;
    else if (!strcmp(name, "state-dir"))
        st->state_dir = val;
    else if (!strcmp(name, "help"))
        st->help = true;
    return 0;
}

/* The report target of a container: the document it was read from ("container NAME", or the
 * path of its config.v2.json). */
static const char *target_name(const struct bh_container *c)
{
    if (c->loc.file != NULL)
        return c->loc.file;
    return c->name != NULL ? c->name : (c->id != NULL ? c->id : "container ?");
}

static int cmp_container(const void *x, const void *y)
{
    return strcmp(target_name(x), target_name(y));
}

static void judge(struct engine_state *st, struct bh_arena *fa, const struct bh_engine *e,
                  const struct bh_container *c)
{
    struct bh_findings found = {0};
    struct bh_target *t;

    bh_rules_check_run(fa, &st->so.policy, &c->spec, &found);
    bh_rules_check_container(fa, &st->so.policy, c, e, &found);
    t = bh_report_add_target(&st->arena, &st->report, bh_arena_strdup(&st->arena, target_name(c)),
                             BH_KIND_ENGINE);
    bh_pipeline_policy(&st->so.policy, &found);
    bh_pipeline_ignorefile(&st->so.ignores, &found);
    if (t)
        bh_cmd_keep_findings(&st->arena, t, &found);
}

/* Returns 0, or BH_EXIT_INTERNAL when memory ran out (message printed). */
static int scan_engine(struct engine_state *st)
{
    struct bh_arena fa;
    struct bh_engine e;
    struct bh_engine_error *errs = NULL;
    struct bh_err err;
    size_t nerrs = 0, k;
    const char *where;
    int rc;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    memset(&e, 0, sizeof(e));
    if (st->state_dir != NULL) {
        where = st->state_dir;
        rc = bh_engine_read_statedir(&fa, st->state_dir, &e, &errs, &nerrs, &err);
    } else {
        where = st->addr.unix_socket != NULL
                    ? bh_arena_printf(&fa, "unix://%s", st->addr.unix_socket)
                    : st->addr.base_url;
        rc = bh_engine_read_api(&fa, &st->addr, st->all, &e, &errs, &nerrs, &err);
    }
    if (rc == BH_ENOMEM || fa.failed) {
        fprintf(stderr, "bulkhead engine: %s\n",
                rc == BH_ENOMEM ? err.msg : "out of memory (BH_MAX_SCAN_ARENA)");
        bh_arena_release(&fa);
        return BH_EXIT_INTERNAL;
    }
    if (rc != 0) {
        /* the engine as a whole could not be read: nothing to judge */
        bh_report_add_error(&st->arena, &st->report, bh_arena_strdup(&st->arena, where), err.msg,
                            err.line, err.col);
        bh_arena_release(&fa);
        return 0;
    }
    e.now = bh_now();
    for (k = 0; k < nerrs; k++)
        bh_report_add_error(&st->arena, &st->report, bh_arena_strdup(&st->arena, errs[k].where),
                            errs[k].message, 0, 0);
    if (e.ncontainers > 1)
        qsort(e.containers, e.ncontainers, sizeof(e.containers[0]), cmp_container);
    for (k = 0; k < e.ncontainers; k++)
        judge(st, &fa, &e, &e.containers[k]);
    if (e.ncontainers == 0 && nerrs == 0 && !st->so.quiet)
        fprintf(stderr, "bulkhead engine: no %scontainers in %s%s\n",
                st->state_dir == NULL && !st->all ? "running " : "", where,
                st->state_dir == NULL && !st->all ? " (--all includes stopped ones)" : "");
    bh_arena_release(&fa);
    return 0;
}

int cmd_engine(int argc, char **argv, struct bh_ctx *ctx)
{
    struct engine_state st;
    struct bh_err err;
    char **pos = NULL;
    int npos = 0, rc;
    bool http = false;

    memset(&st, 0, sizeof(st));
    bh_scanopts_init(&st.so);
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    rc = bh_cmd_parse("engine", argc, argv, bh_engine_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("engine"));
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos > 0) {
        fprintf(stderr,
                "bulkhead engine: unexpected argument '%s' (use --host URL for another engine or "
                "--state-dir DIR for a data-root)\n",
                pos[0]);
        rc = BH_EXIT_USAGE;
        goto out;
    }
    if (st.state_dir != NULL && st.host != NULL) {
        fprintf(stderr, "bulkhead engine: --state-dir reads files offline and --host names a "
                        "live engine; give one of them\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    if (st.state_dir != NULL && !st.state_dir[0]) {
        fprintf(stderr, "bulkhead engine: --state-dir needs a directory\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    rc = bh_scanopts_load(&st.so, &st.arena);
    if (rc)
        goto out;
    if (st.state_dir == NULL) {
        /* offline reads never start the HTTP client: no socket is even looked at */
        bh_err_init(&err);
        if (bh_daemon_addr(&st.arena, st.host, &st.addr, &err) != 0) {
            fprintf(stderr, "bulkhead engine: %s\n", err.msg);
            rc = err.code == BH_ENOMEM ? BH_EXIT_INTERNAL : BH_EXIT_USAGE;
            goto out;
        }
        if (bh_http_init(&err) != 0) {
            fprintf(stderr, "bulkhead engine: %s\n", err.msg);
            rc = BH_EXIT_INTERNAL;
            goto out;
        }
        http = true;
    }
    rc = scan_engine(&st);
    if (rc)
        goto out;
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead engine: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "engine");
out:
    if (http)
        bh_http_cleanup();
    free(pos);
    bh_arena_release(&st.arena);
    return rc;
}
