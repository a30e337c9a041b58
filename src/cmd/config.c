/*
 * config.c - `bulkhead config [PATH...]`: walks the paths, lets each reader
 * bid on every file, reads the ones it recognises into models, runs the
 * rules, the policy and the suppressions, and writes the report. A file that
 * cannot be read or parsed becomes a report error (exit 2) and the walk goes on.
 */
#include "cmd/cmd.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/compose.h"
#include "input/dockerfile.h"
#include "input/files.h"
#include "input/kube.h"
#include "input/runargs.h"
#include "rules/pipeline.h"
#include "rules/rule.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

const struct bh_option bh_config_options[] = {
    BH_SCAN_OPTIONS,
    {"target", 0, "STAGE", "Dockerfile stage that ships (default: the last stage)"},
    {"build-arg", 0, "NAME=VALUE", "value for a Dockerfile ARG (repeatable)"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct config_state {
    struct bh_scanopts so;
    struct bh_dockerfile_opts dopts;
    const char **build_args;
    size_t nbuild_args;
    struct bh_arena arena; /* the report: targets, findings, errors */
    struct bh_arena *fa;   /* the file being scanned: text, models; released after each file */
    struct bh_report report;
    size_t nfiles;
    bool help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct config_state *st = data;
    const char *name = bh_config_options[idx].long_name;
    int rc = bh_scanopts_handle(&st->so, name, val);

    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    if (!strcmp(name, "target")) {
        st->dopts.target = val;
    } else if (!strcmp(name, "build-arg")) {
        const char **n = realloc(st->build_args, (st->nbuild_args + 1) * sizeof(*n));

        if (!n)
            return BH_EXIT_INTERNAL;
        st->build_args = n;
        st->build_args[st->nbuild_args++] = val;
    } else if (!strcmp(name, "help")) {
        st->help = true;
    }
    return 0;
}

static void add_error(struct config_state *st, const char *target, const struct bh_err *err)
{
    bh_report_add_error(&st->arena, &st->report, target, err->msg, err->line, err->col);
}

static bool dockerignore_next_to(const char *path)
{
    char buf[BH_MAX_PATH + 32];
    const char *slash = strrchr(path, '/');
    int n;

    n = snprintf(buf, sizeof(buf), "%s.dockerignore", path);
    if (n > 0 && (size_t)n < sizeof(buf) && access(buf, F_OK) == 0)
        return true;
    if (slash)
        n = snprintf(buf, sizeof(buf), "%.*s/.dockerignore", (int)(slash - path), path);
    else
        n = snprintf(buf, sizeof(buf), ".dockerignore");
    return n > 0 && (size_t)n < sizeof(buf) && access(buf, F_OK) == 0;
}

/* A target whose findings live in the file arena until commit_target copies them. */
static struct bh_target *new_target(struct config_state *st, const char *path,
                                    enum bh_target_kind kind)
{
    struct bh_target *t = bh_arena_alloc(st->fa, sizeof(*t));

    if (t) {
        t->target = path;
        t->kind = kind;
    }
    return t;
}

static const char *keep(struct config_state *st, const char *s)
{
    return s ? bh_arena_strdup(&st->arena, s) : NULL;
}

/* Copy a finished target into the report arena, so the file arena can go. */
static void commit_target(struct config_state *st, const struct bh_target *ft)
{
    struct bh_target *t = bh_report_add_target(&st->arena, &st->report, ft->target, ft->kind);
    size_t i;

    for (i = 0; t && i < ft->findings.n; i++) {
        struct bh_finding *f = bh_findings_add(&st->arena, &t->findings);

        if (!f)
            return;
        *f = ft->findings.v[i];
        /* rule, title, fix and refs point at the static rule table */
        f->message = keep(st, f->message);
        f->loc.file = keep(st, f->loc.file);
        f->loc.path = keep(st, f->loc.path);
        f->stage = keep(st, f->stage);
        f->suppressed_reason = keep(st, f->suppressed_reason);
    }
}

static void scan_dockerfile(struct config_state *st, const char *path, const char *text, size_t len)
{
    struct bh_buildspec bs;
    struct bh_target *t;
    struct bh_err err;
    int rc;

    bh_err_init(&err);
    rc = bh_dockerfile_parse(st->fa, path, text, len, &st->dopts, &bs, &err);
    if (rc) {
        if (!err.file[0])
            snprintf(err.file, sizeof(err.file), "%s", path);
        add_error(st, path, &err);
        return;
    }
    if (strcmp(path, "-")) {
        bs.has_dockerignore = dockerignore_next_to(path);
        bs.dockerignore_known = true;
    }
    t = new_target(st, path, BH_KIND_DOCKERFILE);
    if (!t)
        return;
    bh_rules_check_build(st->fa, &st->so.policy, &bs, &t->findings);
    bh_pipeline_policy(&st->so.policy, &t->findings);
    bh_pipeline_inline(bs.ignores, bs.nignores, &t->findings);
    bh_pipeline_ignorefile(&st->so.ignores, &t->findings);
    commit_target(st, t);
}

/* Split a .env file into NAME=value entries (comments, blank lines and `export ` dropped). */
static void load_dotenv(struct config_state *st, const char *path, const char ***env, size_t *n,
                        size_t *cap)
{
    char *text;
    size_t len, pos = 0;
    struct bh_err err;

    bh_err_init(&err);
    if (access(path, F_OK) != 0 ||
        bh_file_read(st->fa, path, BH_MAX_CONFIG_FILE, &text, &len, &err))
        return;
    while (pos < len) {
        char *l = text + pos, *nl = memchr(l, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - l) : len - pos;
        const char **slot;

        pos += ll + (nl ? 1 : 0);
        while (ll && (l[ll - 1] == '\r' || l[ll - 1] == ' '))
            ll--;
        while (ll && (*l == ' ' || *l == '\t'))
            l++, ll--;
        if (ll >= 7 && !memcmp(l, "export ", 7))
            l += 7, ll -= 7;
        if (!ll || *l == '#' || !memchr(l, '=', ll))
            continue;
        /* strip matching quotes around the value */
        {
            char *eq = memchr(l, '=', ll);
            size_t vl = ll - (size_t)(eq + 1 - l);

            if (vl >= 2 && (eq[1] == '"' || eq[1] == '\'') && l[ll - 1] == eq[1]) {
                memmove(eq + 1, eq + 2, vl - 2);
                ll -= 2;
            }
        }
        slot = BH_PUSH(st->fa, *env, *n, *cap);
        if (slot)
            *slot = bh_arena_strndup(st->fa, l, ll);
    }
}

/* Run the rules over a runset and apply the pipeline; annotation ignores per container. */
static void check_runset(struct config_state *st, struct bh_target *t, const struct bh_runset *set)
{
    size_t k, i;

    for (k = 0; k < set->nspecs; k++) {
        size_t start = t->findings.n;
        const char *ids = set->specs[k].ignore_ids;

        bh_rules_check_spec(st->fa, &st->so.policy, set, k, &t->findings);
        if (!ids)
            continue;
        /* `bulkhead.dev/ignore: "RULE,RULE"` on the object covers its containers */
        for (i = start; i < t->findings.n; i++) {
            struct bh_finding *f = &t->findings.v[i];
            const char *p = ids;

            while (*p && !f->suppressed_kind) {
                size_t n;

                while (*p == ' ' || *p == ',')
                    p++;
                n = strcspn(p, ", ");
                if (n && (bh_str_ieqn(p, n, f->rule) || (n == 1 && *p == '*'))) {
                    f->suppressed_kind = "annotation";
                    f->suppressed_reason =
                        bh_arena_printf(st->fa, "bulkhead.dev/ignore on %s",
                                        set->specs[k].owner ? set->specs[k].owner : "the object");
                }
                p += n;
            }
        }
    }
    bh_rules_check_runset(st->fa, &st->so.policy, set, &t->findings);
    bh_pipeline_policy(&st->so.policy, &t->findings);
    bh_pipeline_inline(set->ignores, set->nignores, &t->findings);
    bh_pipeline_ignorefile(&st->so.ignores, &t->findings);
    commit_target(st, t);
}

static void scan_compose(struct config_state *st, const char *path, const char *text, size_t len)
{
    struct bh_compose_opts o;
    struct bh_runset set;
    struct bh_target *t;
    struct bh_err err;
    const char **env = NULL;
    size_t n = 0, cap = 0;
    char dotenv[BH_MAX_PATH];
    const char *slash = strrchr(path, '/');
    char **e;

    memset(&o, 0, sizeof(o));
    /* docker compose reads .env from the project directory; the environment wins */
    if (slash)
        snprintf(dotenv, sizeof(dotenv), "%.*s/.env", (int)(slash - path), path);
    else
        snprintf(dotenv, sizeof(dotenv), ".env");
    if (strcmp(path, "-"))
        load_dotenv(st, dotenv, &env, &n, &cap);
    for (e = environ; e && *e; e++) {
        const char **slot = BH_PUSH(st->fa, env, n, cap);

        if (slot)
            *slot = *e;
    }
    o.env = env;
    o.nenv = n;
    o.dotenv_path = dotenv;
    bh_err_init(&err);
    if (bh_compose_parse(st->fa, path, text, len, &o, &set, &err)) {
        add_error(st, path, &err);
        return;
    }
    t = new_target(st, path, BH_KIND_COMPOSE);
    if (t)
        check_runset(st, t, &set);
}

static void scan_kube(struct config_state *st, const char *path, const char *text, size_t len)
{
    struct bh_runset set;
    struct bh_target *t;
    struct bh_err err;

    bh_err_init(&err);
    if (bh_kube_parse(st->fa, path, text, len, &set, &err)) {
        add_error(st, path, &err);
        return;
    }
    t = new_target(st, path, BH_KIND_KUBERNETES);
    if (t)
        check_runset(st, t, &set);
}

static void scan_runargs(struct config_state *st, const char *path, const char *text, size_t len)
{
    struct bh_runset set;
    struct bh_target *t;
    struct bh_err err;

    bh_err_init(&err);
    if (bh_runargs_parse(st->fa, path, text, len, &set, &err)) {
        add_error(st, path, &err);
        return;
    }
    if (set.nspecs == 0)
        return; /* a script without docker run lines is not a target */
    t = new_target(st, path, BH_KIND_RUNLINES);
    if (t)
        check_runset(st, t, &set);
}

/* The input formats: each bids on a file's name (head NULL) and then on its content. */
static const struct format {
    const char *name;
    int (*bid)(const char *name, const char *head, size_t len);
    void (*scan)(struct config_state *st, const char *path, const char *text, size_t len);
} formats[] = {
    {"dockerfile", bh_dockerfile_bid, scan_dockerfile},
    {"compose", bh_compose_bid, scan_compose},
    {"kubernetes", bh_kube_bid, scan_kube},
    {"runlines", bh_runargs_bid, scan_runargs},
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static bool yaml_name(const char *base)
{
    return bh_str_isuffix(base, ".yaml") || bh_str_isuffix(base, ".yml");
}

/* Decide what a file is and scan it. explicit: named on the command line. */
static void scan_file_in(struct config_state *st, const char *path, bool explicit)
{
    const char *base = strrchr(path, '/');
    char *text = NULL;
    size_t len = 0, i, best = NFORMATS;
    struct bh_err err;
    int bid, top = 0;

    bh_err_init(&err);
    /* readers borrow the path for every location they record: give it the scan's lifetime */
    path = bh_arena_strdup(&st->arena, path);
    if (!path)
        return;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* name-only bids first, so a walk does not read every file in a tree; YAML files are
     * always read, since Kubernetes manifests have no naming convention */
    for (i = 0; i < NFORMATS; i++) {
        bid = formats[i].bid(base, NULL, 0);
        if (bid > top)
            top = bid;
    }
    if (top < 40 && !explicit && !yaml_name(base))
        return;
    if (bh_file_read(st->fa, path, BH_MAX_CONFIG_FILE, &text, &len, &err)) {
        add_error(st, path, &err);
        return;
    }
    top = 0;
    for (i = 0; i < NFORMATS; i++) {
        bid = formats[i].bid(strcmp(path, "-") ? base : "", text, len);
        if (bid > top) {
            top = bid;
            best = i;
        }
    }
    if (top < 50 || best == NFORMATS) {
        if (explicit) {
            bh_err_set(&err, BH_EUNSUPPORTED, path, 0, 0,
                       "cannot tell what kind of file '%s' is (not a Dockerfile, Compose file, "
                       "Kubernetes manifest or script with docker run lines)",
                       path);
            add_error(st, path, &err);
        }
        return;
    }
    st->nfiles++;
    formats[best].scan(st, path, text, len);
}

/* Each file gets its own arena, so memory follows the largest file, not the tree. */
static void scan_file(struct config_state *st, const char *path, bool explicit)
{
    struct bh_arena fa;

    bh_arena_init(&fa, BH_MAX_SCAN_ARENA);
    st->fa = &fa;
    scan_file_in(st, path, explicit);
    st->fa = NULL;
    bh_arena_release(&fa);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct config_state *st, const char *dir, unsigned depth)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    struct bh_err err;

    if (depth > BH_MAX_WALK_DEPTH) {
        bh_err_init(&err);
        bh_err_set(&err, BH_ELIMIT, dir, 0, 0,
                   "directory nesting deeper than %u (BH_MAX_WALK_DEPTH) below '%s'",
                   BH_MAX_WALK_DEPTH, dir);
        add_error(st, dir, &err);
        return;
    }
    d = opendir(dir);
    if (!d) {
        bh_err_init(&err);
        bh_err_set(&err, BH_EIO, dir, 0, 0, "cannot open directory '%s': %s", dir, strerror(errno));
        add_error(st, dir, &err);
        return;
    }
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap ? cap * 2 : 32) * sizeof(*nn));

            if (!nn)
                break;
            names = nn;
            cap = cap ? cap * 2 : 32;
        }
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    /* sorted, so reports are the same on every filesystem */
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        char path[BH_MAX_PATH];
        struct stat sb;
        int len;

        if (!strcmp(dir, "."))
            len = snprintf(path, sizeof(path), "%s", names[i]);
        else
            len = snprintf(path, sizeof(path), "%s%s%s", dir, bh_str_suffix(dir, "/") ? "" : "/",
                           names[i]);
        if (len < 0 || (size_t)len >= sizeof(path) || lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            /* version-control and dependency trees hold nobody's deployment files */
            if (!strcmp(names[i], ".git") || !strcmp(names[i], "node_modules") ||
                !strcmp(names[i], ".hg") || !strcmp(names[i], ".svn"))
                continue;
            walk(st, path, depth + 1);
        } else if (S_ISREG(sb.st_mode)) {
            scan_file(st, path, false);
        }
        /* symlinks are not followed during a walk: they may point out of the tree */
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int cmd_config(int argc, char **argv, struct bh_ctx *ctx)
{
    struct config_state st;
    char **pos = NULL;
    int npos = 0, rc, i;
    static const char *const dot[] = {"."};

    memset(&st, 0, sizeof(st));
    bh_scanopts_init(&st.so);
    bh_arena_init(&st.arena, BH_MAX_SCAN_ARENA);
    st.report.tool_version = BH_VERSION;
    rc = bh_cmd_parse("config", argc, argv, bh_config_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("config"));
        rc = BH_EXIT_OK;
        goto out;
    }
    st.dopts.build_args = st.build_args;
    st.dopts.nbuild_args = st.nbuild_args;
    rc = bh_scanopts_load(&st.so, &st.arena);
    if (rc)
        goto out;
    if (npos == 0) {
        pos[0] = (char *)dot[0];
        npos = 1;
    }
    for (i = 0; i < npos; i++) {
        struct stat sb;
        struct bh_err err;

        if (!strcmp(pos[i], "-")) {
            scan_file(&st, "-", true);
            continue;
        }
        if (stat(pos[i], &sb) != 0) {
            bh_err_init(&err);
            bh_err_set(&err, BH_EIO, pos[i], 0, 0, "cannot read '%s': %s", pos[i], strerror(errno));
            add_error(&st, pos[i], &err);
            continue;
        }
        if (S_ISDIR(sb.st_mode))
            walk(&st, pos[i], 0);
        else
            scan_file(&st, pos[i], true);
    }
    if (st.arena.failed) {
        fprintf(stderr, "bulkhead config: out of memory (BH_MAX_SCAN_ARENA)\n");
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    rc = bh_scanopts_finish(&st.so, ctx, &st.report, "config");
out:
    free(pos);
    free(st.build_args);
    bh_arena_release(&st.arena);
    return rc;
}
