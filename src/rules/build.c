/*
 * build.c - the BUILD-* rules: how an image is built (user, sudo, ADD,
 * package-manager hygiene, pinning, upgrades, TLS/signature checks and
 * integrity of downloads). Checks read struct bh_buildspec only; what a shell
 * command does comes from rules/cmdinfo.h. Which stages matter is decided
 * per rule and written in each rule's page under docs/rules/.
 */
#include "rules/groups.h"
#include "rules/image_checks.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "rules/cmdinfo.h"

#include <string.h>

/* ---- helpers over the model ---- */

static const char *stage_label(struct bh_rule_ctx *c, const struct bh_buildspec *bs, int s)
{
    return bh_buildspec_stage_label(c->arena, bs, s);
}

static struct bh_loc cmd_loc(const struct bh_instr *in, const struct bh_shcmd *cmd, size_t word)
{
    struct bh_loc l = in->loc;

    l.end_line = 0;
    l.end_col = 0;
    if (cmd->line > 0)
        l.line = cmd->line;
    if (word < cmd->argc && cmd->argv[word].line > 0) {
        l.line = cmd->argv[word].line;
        l.col = cmd->argv[word].col;
    } else if (cmd->line > 0 && cmd->line != in->loc.line) {
        l.col = 0;
    }
    return l;
}

static const char *wtext(const struct bh_shcmd *cmd, size_t i)
{
    return i < cmd->argc && cmd->argv[i].text ? cmd->argv[i].text : "";
}

/* true when stage s is anc or builds FROM anc (transitively) */
static bool stage_inherits(const struct bh_buildspec *bs, int s, int anc)
{
    size_t guard = 0;

    while (s >= 0 && (size_t)s < bs->nstages && guard++ <= bs->nstages) {
        if (s == anc)
            return true;
        s = bs->stages[s].base_stage;
    }
    return false;
}

static const struct bh_flag *instr_flag(const struct bh_instr *in, const char *name)
{
    size_t i;

    for (i = 0; i < in->nflags; i++) {
        if (in->flags[i].name && bh_str_ieq(in->flags[i].name, name))
            return &in->flags[i];
    }
    return NULL;
}

/* the value after `key` in config text (`APT::Install-Recommends "false";`, `x=False`), or NULL */
static const char *config_value(const char *text, const char *key)
{
    const char *p = bh_str_icontains(text, key);

    if (!p)
        return NULL;
    p += strlen(key);
    while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'' || *p == '=' || *p == ':')
        p++;
    return p;
}

static bool value_false(const char *v)
{
    return v && (bh_str_iprefix(v, "false") || bh_str_iprefix(v, "no") ||
                 bh_str_iprefix(v, "off") || (v[0] == '0' && !(v[1] >= '0' && v[1] <= '9')));
}

static bool value_true(const char *v)
{
    return v && (bh_str_iprefix(v, "true") || bh_str_iprefix(v, "yes") || bh_str_iprefix(v, "on") ||
                 (v[0] == '1' && !(v[1] >= '0' && v[1] <= '9')));
}

/* RUN instructions that write `key` with a value that is (want_true ? true : false): config
 * snippets such as `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/x` */
struct sites {
    size_t *v;
    size_t n, cap;
};

static bool word_sets(const char *w, const char *key, bool want_true)
{
    const char *v = config_value(w, key);

    return v && (want_true ? value_true(v) : value_false(v));
}

static void config_sites(struct bh_rule_ctx *c, const struct bh_buildspec *bs, const char *key,
                         bool want_true, struct sites *out)
{
    size_t i, k, w;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        bool hit = false;

        if (in->kind != BH_I_RUN)
            continue;
        /* raw words are enough for a text search: no need to drop unwrapped copies */
        for (k = 0; k < in->script.ncmds && !hit; k++) {
            for (w = 0; w < in->script.cmds[k].argc && !hit; w++)
                hit = word_sets(wtext(&in->script.cmds[k], w), key, want_true);
        }
        for (w = 0; in->json_form && w < in->argc && !hit; w++)
            hit = in->argv[w] && word_sets(in->argv[w], key, want_true);
        if (hit) {
            size_t *slot = BH_PUSH(c->arena, out->v, out->n, out->cap);

            if (slot)
                *slot = i;
        }
    }
}

/* a config site before instruction upto, in stage s or a stage it builds from */
static bool stage_configured(const struct bh_buildspec *bs, const struct sites *st, int s,
                             size_t upto)
{
    size_t i;

    for (i = 0; i < st->n && st->v[i] < upto; i++) {
        if (stage_inherits(bs, s, bs->instrs[st->v[i]].stage))
            return true;
    }
    return false;
}

/* a variable set by ENV or ARG (with a default) in stage s or its ancestors, before upto */
static const char *stage_env(const struct bh_buildspec *bs, int s, size_t upto, const char *key)
{
    const char *found = NULL;
    size_t i, k;

    for (i = 0; i < upto && i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        if ((in->kind != BH_I_ENV && in->kind != BH_I_ARG) || !stage_inherits(bs, s, in->stage))
            continue;
        for (k = 0; k < in->nkvs; k++) {
            if (in->kvs[k].key && strcmp(in->kvs[k].key, key) == 0 && in->kvs[k].value)
                found = in->kvs[k].value;
        }
    }
    return found;
}

/* ---- BUILD-USER ---- */

enum user_kind { USER_NONROOT, USER_ROOT, USER_UNKNOWN };

static const char *user_text(const struct bh_instr *in)
{
    if (in->argc > 0 && in->argv[0])
        return in->argv[0];
    return in->args ? in->args : "";
}

/* N3: the user part is `root` or numerically 0 */
static enum user_kind user_kind(const char *u)
{
    size_t n = strcspn(u, ":");
    long long v;

    if (bh_cmdinfo_has_var(u) || n == 0)
        return USER_UNKNOWN;
    if (n == 4 && strncmp(u, "root", 4) == 0)
        return USER_ROOT;
    if (bh_parse_int(u, n, 0, 0x7fffffffLL, &v) == 0)
        return v == 0 ? USER_ROOT : USER_NONROOT;
    return USER_NONROOT;
}

static const struct bh_instr *last_user(const struct bh_buildspec *bs, int s)
{
    const struct bh_stage *st = &bs->stages[s];
    const struct bh_instr *last = NULL;
    size_t i;

    /* only USER instructions of the stage itself: ONBUILD USER runs in a child image */
    for (i = st->first_instr; i < st->first_instr + st->ninstrs && i < bs->ninstrs; i++) {
        if (bs->instrs[i].kind == BH_I_USER && bs->instrs[i].stage == s)
            last = &bs->instrs[i];
    }
    return last;
}

static void check_user(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    int f = bs->final_stage, s = f;
    const struct bh_instr *u = NULL;
    const struct bh_stage *fs;
    size_t guard = 0;
    const char *val;

    if (f < 0 || (size_t)f >= bs->nstages)
        return;
    fs = &bs->stages[f];
    /* the final stage inherits the user of the stage it builds FROM */
    while (s >= 0 && (size_t)s < bs->nstages && guard++ <= bs->nstages) {
        u = last_user(bs, s);
        if (u || bs->stages[s].base_stage < 0)
            break;
        s = bs->stages[s].base_stage;
    }
    if (!u) {
        const struct bh_stage *root = &bs->stages[s];
        const char *base = root->base ? root->base : root->base_raw ? root->base_raw : "";

        if (bs->origin == BH_BS_IMAGE) {
            bh_rule_report(c, &fs->loc, NULL,
                           "the image config sets no User: containers run as root (UID 0) "
                           "unless started with --user");
        } else if (bh_str_ieq(base, "scratch")) {
            bh_rule_report(c, &fs->loc, stage_label(c, bs, f),
                           "no USER in the final stage '%s' built FROM scratch: it runs as root "
                           "(UID 0)",
                           stage_label(c, bs, f));
        } else {
            bh_rule_report(c, &fs->loc, stage_label(c, bs, f),
                           "no USER in the final stage '%s'; the image runs as the base image's "
                           "user, root unless the base ('%s') sets one",
                           stage_label(c, bs, f), base);
        }
        return;
    }
    val = user_text(u);
    if (user_kind(val) != USER_ROOT)
        return; /* non-root, or `${UID}` that cannot be resolved: say nothing */
    if (s == f)
        bh_rule_report(c, &u->loc, stage_label(c, bs, f),
                       "the last USER of the final stage '%s' is `USER %s`: the container runs as "
                       "root",
                       stage_label(c, bs, f), val);
    else
        bh_rule_report(c, &u->loc, stage_label(c, bs, s),
                       "`USER %s` in stage '%s' is inherited by the final stage '%s', which sets "
                       "no USER: the container runs as root",
                       val, stage_label(c, bs, s), stage_label(c, bs, f));
}

/* ---- BUILD-SUDO ---- */

static bool installs_pkg(struct bh_rule_ctx *c, const struct bh_shcmd *cmd, const char *name,
                         struct bh_pmcmd *pm, size_t *word)
{
    size_t k;

    if (!bh_cmdinfo_pm(c->arena, cmd, pm) || pm->verb != BH_PMV_INSTALL ||
        !bh_cmdinfo_pm_is_os(pm->pm))
        return false;
    for (k = 0; k < pm->npkgs; k++) {
        const char *spec = wtext(cmd, pm->pkgs[k]);

        if (strcmp(bh_cmdinfo_pkg_name(c->arena, pm->pm, spec), name) == 0) {
            *word = pm->pkgs[k];
            return true;
        }
    }
    return false;
}

static void check_sudo(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const struct bh_shcmd *cmds;
        size_t n;

        if (in->kind != BH_I_RUN || in->stage < 0 || !bh_buildspec_stage_ships(bs, in->stage))
            continue;
        n = bh_cmdinfo_run_cmds(c->arena, in, &cmds);
        for (k = 0; k < n; k++) {
            struct bh_pmcmd pm;
            struct bh_loc l;
            size_t w;

            if (bh_cmdinfo_uses(&cmds[k], "sudo", &w)) {
                size_t s = bh_cmdinfo_start(&cmds[k]);

                l = cmd_loc(in, &cmds[k], w);
                bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                               "RUN invokes sudo (`sudo%s%s`): build steps run as the current "
                               "USER, so sudo only matters if it is installed and configured "
                               "in the image",
                               s < cmds[k].argc ? " " : "",
                               s < cmds[k].argc ? wtext(&cmds[k], s) : "");
            } else if (installs_pkg(c, &cmds[k], "sudo", &pm, &w)) {
                l = cmd_loc(in, &cmds[k], w);
                bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                               "`%s %s` installs the sudo package into the shipped image "
                               "('%s'): a way back to root for anyone in the container",
                               pm.tool, pm.verb_word ? pm.verb_word : "install",
                               wtext(&cmds[k], w));
            }
        }
    }
}

/* ---- BUILD-ADD ---- */

static bool is_remote(const char *s)
{
    return bh_str_iprefix(s, "http://") || bh_str_iprefix(s, "https://") ||
           bh_str_iprefix(s, "ftp://") || bh_str_iprefix(s, "git@") ||
           bh_str_iprefix(s, "git://") || bh_str_iprefix(s, "ssh://");
}

static bool is_git_src(const char *s)
{
    const char *hash = strchr(s, '#');
    size_t n = hash ? (size_t)(hash - s) : strlen(s);

    if (bh_str_iprefix(s, "git@") || bh_str_iprefix(s, "git://") || bh_str_iprefix(s, "ssh://"))
        return true;
    return n >= 4 && strncmp(s + n - 4, ".git", 4) == 0;
}

/* git source pinned to a full commit: `...git#<40 or 64 hex>[:subdir]` */
static bool git_pinned(struct bh_arena *a, const char *s)
{
    const char *hash = strchr(s, '#');
    const char *ref;

    if (!hash)
        return false;
    ref = bh_arena_strndup(a, hash + 1, strcspn(hash + 1, ":"));
    return ref && bh_cmdinfo_is_hex(ref, 40);
}

static bool has_checksum(const struct bh_instr *in)
{
    const struct bh_flag *f = instr_flag(in, "checksum");

    return f && f->value && f->value[0] != '\0';
}

static bool is_archive(const char *s)
{
    static const char *const exts[] = {".tar",     ".tar.gz", ".tgz",    ".tar.bz2",
                                       ".tbz2",    ".tbz",    ".tar.xz", ".txz",
                                       ".tar.zst", ".tzst",   NULL};
    size_t i;

    for (i = 0; exts[i]; i++) {
        if (bh_str_isuffix(s, exts[i]))
            return true;
    }
    return false;
}

/* sources of an ADD/COPY: every word but the last; flags are skipped */
static size_t add_sources(const struct bh_instr *in, size_t *first)
{
    size_t i = 0;

    while (i < in->argc && !in->json_form && in->argv[i] && strncmp(in->argv[i], "--", 2) == 0)
        i++;
    *first = i;
    return in->argc > i + 1 ? in->argc - i - 1 : 0;
}

/* remote source of ADD that nothing verifies; NULL when all are verified or local */
static const char *add_unverified(struct bh_arena *a, const struct bh_instr *in, bool *git)
{
    size_t first, n = add_sources(in, &first), k;

    for (k = 0; k < n; k++) {
        const char *src = in->argv[first + k];

        if (!src || !is_remote(src))
            continue;
        *git = is_git_src(src);
        if (has_checksum(in))
            continue;
        if (*git && git_pinned(a, src))
            continue;
        return src;
    }
    return NULL;
}

static void check_add(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const char *label, *remote, *local = NULL;
        size_t first, n;
        bool git = false;

        if (in->kind != BH_I_ADD)
            continue;
        label = stage_label(c, bs, in->stage);
        if (in->nheredocs > 0) {
            bh_rule_report(c, &in->loc, label,
                           "`ADD <<%s` writes inline text: COPY <<%s does the same without ADD's "
                           "URL fetching and archive extraction",
                           in->heredocs[0].delim ? in->heredocs[0].delim : "EOF",
                           in->heredocs[0].delim ? in->heredocs[0].delim : "EOF");
            continue;
        }
        remote = add_unverified(c->arena, in, &git);
        if (remote) {
            if (git)
                bh_rule_report_sev(c, BH_SEV_HIGH, &in->loc, label,
                                   "ADD of git repository '%s' without a pinned commit "
                                   "(#<40-hex>) or --checksum: the build takes whatever the "
                                   "branch or tag points to",
                                   remote);
            else
                bh_rule_report_sev(c, BH_SEV_HIGH, &in->loc, label,
                                   "ADD of remote URL '%s' without --checksum=sha256:...: the "
                                   "download is not verified",
                                   remote);
            continue;
        }
        n = add_sources(in, &first);
        for (k = 0; k < n && !local; k++) {
            const char *src = in->argv[first + k];

            if (!src || is_remote(src) || bh_cmdinfo_has_var(src) || is_archive(src) ||
                strncmp(src, "<<", 2) == 0)
                continue;
            /* image history records sources by content hash (file:<sha256>, dir:, multi:):
             * the name is gone, so whether it was an archive cannot be told */
            if (bs->origin == BH_BS_IMAGE &&
                (!strncmp(src, "file:", 5) || !strncmp(src, "dir:", 4) ||
                 !strncmp(src, "multi:", 6)))
                continue;
            local = src;
        }
        if (local)
            bh_rule_report(c, &in->loc, label,
                           "ADD of local '%s', which is not a tar archive: COPY does the same "
                           "without ADD's URL fetching and archive extraction",
                           local);
    }
}

/* ---- package-manager commands, one RUN at a time ---- */

struct run_cmd {
    const struct bh_instr *in;
    size_t instr; /* index in bs->instrs */
    const struct bh_shcmd *cmds;
    size_t ncmds;
};

static bool next_run(struct bh_rule_ctx *c, const struct bh_buildspec *bs, size_t *i,
                     bool shipping_only, struct run_cmd *r)
{
    for (; *i < bs->ninstrs; (*i)++) {
        const struct bh_instr *in = &bs->instrs[*i];

        if (in->kind != BH_I_RUN || in->stage < 0)
            continue;
        if (shipping_only && !bh_buildspec_stage_ships(bs, in->stage))
            continue;
        r->in = in;
        r->instr = *i;
        r->ncmds = bh_cmdinfo_run_cmds(c->arena, in, &r->cmds);
        (*i)++;
        return true;
    }
    return false;
}

/* ---- BUILD-NORECS ---- */

static void check_norecs(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct sites apt_cfg, dnf_cfg, zyp_cfg;
    struct run_cmd r;
    size_t i = 0, k;

    config_sites(c, bs, "Install-Recommends", false, &apt_cfg);
    config_sites(c, bs, "install_weak_deps", false, &dnf_cfg);
    config_sites(c, bs, "solver.onlyRequires", true, &zyp_cfg);

    while (next_run(c, bs, &i, true, &r)) {
        for (k = 0; k < r.ncmds; k++) {
            const struct bh_shcmd *cmd = &r.cmds[k];
            struct bh_pmcmd pm;
            const char *v = NULL;
            struct bh_loc l;

            if (!bh_cmdinfo_pm(c->arena, cmd, &pm) || pm.verb != BH_PMV_INSTALL || !pm.verb_word)
                continue;
            l = cmd_loc(r.in, cmd, pm.tool_at);
            if (pm.pm == BH_PM_APT &&
                (strcmp(pm.verb_word, "install") == 0 || strcmp(pm.verb_word, "reinstall") == 0)) {
                if (bh_cmdinfo_pm_opt(cmd, &pm, "no-install-recommends", 0, NULL))
                    continue;
                if (bh_cmdinfo_pm_opt(cmd, &pm, "option", 'o', &v) &&
                    value_false(config_value(v ? v : "", "APT::Install-Recommends")))
                    continue;
                if (stage_configured(bs, &apt_cfg, r.in->stage, r.instr))
                    continue;
                bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                               "`%s %s` without --no-install-recommends also installs every "
                               "recommended package",
                               pm.tool, pm.verb_word);
            } else if (pm.pm == BH_PM_DNF || pm.pm == BH_PM_MICRODNF) {
                size_t from = pm.tool_at + 1, w = 0;
                bool off = false;

                while (bh_cmdinfo_opt(cmd, from, pm.opts, "setopt", 0, &v, &w)) {
                    if (value_false(config_value(v ? v : "", "install_weak_deps")))
                        off = true;
                    from = w + 1;
                }
                if (off || stage_configured(bs, &dnf_cfg, r.in->stage, r.instr))
                    continue;
                bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                               "`%s %s` without --setopt=install_weak_deps=False also installs "
                               "weak dependencies",
                               pm.tool, pm.verb_word);
            } else if (pm.pm == BH_PM_ZYPPER) {
                if (bh_cmdinfo_pm_opt(cmd, &pm, "no-recommends", 0, NULL) ||
                    stage_configured(bs, &zyp_cfg, r.in->stage, r.instr))
                    continue;
                bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                               "`zypper %s` without --no-recommends also installs every "
                               "recommended package",
                               pm.verb_word);
            }
        }
    }
}

/* ---- BUILD-CACHE ---- */

enum cache_family { CF_APT, CF_APK, CF_RPM, CF_ZYPPER, CF_PIP, CF_YARN, CF_COUNT };

static const char *const cache_dirs[CF_COUNT][3] = {
    [CF_APT] = {"/var/lib/apt/lists", NULL, NULL},
    [CF_APK] = {"/var/cache/apk", "/etc/apk/cache", NULL},
    [CF_RPM] = {"/var/cache/dnf", "/var/cache/yum", NULL},
    [CF_ZYPPER] = {"/var/cache/zypp", NULL, NULL},
    [CF_PIP] = {"/.cache/pip", NULL, NULL},
    [CF_YARN] = {"/.cache/yarn", "/yarn", NULL},
};

static const char *const cache_fix[CF_COUNT] = {
    [CF_APT] = "remove the lists in the same RUN (&& rm -rf /var/lib/apt/lists/*)",
    [CF_APK] = "use apk add --no-cache",
    [CF_RPM] = "run `clean all` in the same RUN (&& dnf clean all)",
    [CF_ZYPPER] = "run `zypper clean --all` in the same RUN",
    [CF_PIP] = "use pip install --no-cache-dir",
    [CF_YARN] = "run `yarn cache clean` in the same RUN",
};

static const char *const cache_what[CF_COUNT] = {
    [CF_APT] = "the package lists in /var/lib/apt/lists",
    [CF_APK] = "the package index and cache in /var/cache/apk",
    [CF_RPM] = "the metadata and package cache in /var/cache/{dnf,yum}",
    [CF_ZYPPER] = "the metadata and package cache in /var/cache/zypp",
    [CF_PIP] = "pip's download and wheel cache (~/.cache/pip)",
    [CF_YARN] = "yarn's package cache",
};

/* path p (trailing stars and slashes dropped) is dir, inside it, or one of its parents */
static bool path_covers(const char *p, const char *dir, bool suffix_match)
{
    size_t n = strlen(p), dl = strlen(dir);

    while (n > 0 && (p[n - 1] == '*' || p[n - 1] == '/'))
        n--;
    if (n == 0)
        return false;
    if (suffix_match) {
        /* `/.cache/pip` matches /root/.cache/pip and ~/.cache/pip; a parent .cache too */
        const char *hit = strstr(p, dir);
        const char *dotcache = strstr(p, "/.cache");

        if (hit && (size_t)(hit - p) + dl <= n)
            return true;
        return dotcache && (size_t)(dotcache - p) + 7 == n;
    }
    if (n <= dl)
        return strncmp(p, dir, n) == 0 && (n == dl || dir[n] == '/');
    return strncmp(p, dir, dl) == 0 && p[dl] == '/';
}

static bool dir_covered(enum cache_family f, const char *p)
{
    size_t k;

    for (k = 0; k < 3 && cache_dirs[f][k]; k++) {
        bool suffix = f == CF_PIP || f == CF_YARN;

        if (f == CF_YARN && strstr(p, "yarn"))
            return true;
        if (path_covers(p, cache_dirs[f][k], suffix))
            return true;
    }
    return false;
}

/* RUN --mount=type=cache|tmpfs with a target over the family's cache dir */
static bool mount_covers(const struct bh_instr *in, enum cache_family f)
{
    size_t i;

    for (i = 0; i < in->nflags; i++) {
        const char *v = in->flags[i].value;
        const char *p;
        bool cache = false;
        char target[BH_MAX_PATH];

        if (!in->flags[i].name || strcmp(in->flags[i].name, "mount") != 0 || !v)
            continue;
        target[0] = '\0';
        for (p = v; *p;) {
            size_t n = strcspn(p, ",");

            if ((n == 10 && strncmp(p, "type=cache", 10) == 0) ||
                (n == 10 && strncmp(p, "type=tmpfs", 10) == 0))
                cache = true;
            else if (strncmp(p, "target=", 7) == 0 || strncmp(p, "dst=", 4) == 0 ||
                     strncmp(p, "destination=", 12) == 0) {
                const char *eq = strchr(p, '=');
                size_t vl = n - (size_t)(eq + 1 - p);

                if (vl < sizeof(target)) {
                    memcpy(target, eq + 1, vl);
                    target[vl] = '\0';
                }
            }
            p += n;
            if (*p == ',')
                p++;
        }
        if (cache && target[0] && dir_covered(f, target))
            return true;
    }
    return false;
}

static bool is_cleanup(struct bh_rule_ctx *c, const struct bh_shcmd *cmd, enum cache_family f)
{
    const char *name = bh_cmdinfo_name(cmd);
    size_t s = bh_cmdinfo_start(cmd), w;
    struct bh_pmcmd pm;

    if (strcmp(name, "rm") == 0 || strcmp(name, "find") == 0) {
        for (w = s + 1; w < cmd->argc; w++) {
            if (dir_covered(f, wtext(cmd, w)))
                return true;
        }
        return false;
    }
    if (!bh_cmdinfo_pm(c->arena, cmd, &pm) || pm.verb != BH_PMV_CLEAN)
        return false;
    switch (f) {
    case CF_RPM:
        if (pm.pm != BH_PM_YUM && pm.pm != BH_PM_DNF && pm.pm != BH_PM_MICRODNF)
            return false;
        for (w = 0; w < pm.npkgs; w++) {
            if (strcmp(wtext(cmd, pm.pkgs[w]), "all") == 0)
                return true;
        }
        return false;
    case CF_ZYPPER:
        return pm.pm == BH_PM_ZYPPER;
    case CF_APK:
        return pm.pm == BH_PM_APK;
    case CF_PIP:
        return pm.pm == BH_PM_PIP;
    case CF_YARN:
        return pm.pm == BH_PM_YARN;
    case CF_APT: /* apt-get clean empties /var/cache/apt, not the lists */
    case CF_COUNT:
        break;
    }
    return false;
}

static bool pip_env_no_cache(const struct bh_buildspec *bs, const struct run_cmd *r,
                             const struct bh_shcmd *cmd, size_t k)
{
    const struct bh_word *a;
    const char *v;
    size_t i, j;

    for (i = 0; (a = bh_cmdinfo_assign(cmd, i)) != NULL; i++) {
        if (bh_str_prefix(a->text, "PIP_NO_CACHE_DIR="))
            return a->text[17] != '\0';
    }
    /* `export PIP_NO_CACHE_DIR=1` earlier in the same RUN */
    for (j = 0; j < k; j++) {
        if (strcmp(bh_cmdinfo_name(&r->cmds[j]), "export") != 0)
            continue;
        for (i = 1; i < r->cmds[j].argc; i++) {
            if (bh_str_prefix(wtext(&r->cmds[j], i), "PIP_NO_CACHE_DIR="))
                return wtext(&r->cmds[j], i)[17] != '\0';
        }
    }
    /* pip disables its cache for any non-empty value, even "false" or "off" (kept for
     * backwards compatibility), so only presence matters */
    v = stage_env(bs, r->in->stage, r->instr, "PIP_NO_CACHE_DIR");
    return v && v[0];
}

/* which cache family a command fills, or CF_COUNT */
static enum cache_family cache_user(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                                    const struct run_cmd *r, size_t k, struct bh_pmcmd *pm)
{
    const struct bh_shcmd *cmd = &r->cmds[k];

    if (!bh_cmdinfo_pm(c->arena, cmd, pm))
        return CF_COUNT;
    switch (pm->pm) {
    case BH_PM_APT:
        if (pm->verb == BH_PMV_INSTALL || pm->verb == BH_PMV_REFRESH || pm->verb == BH_PMV_UPGRADE)
            return CF_APT;
        break;
    case BH_PM_APK:
        if ((pm->verb == BH_PMV_INSTALL || pm->verb == BH_PMV_REFRESH ||
             pm->verb == BH_PMV_UPGRADE) &&
            !bh_cmdinfo_pm_opt(cmd, pm, "no-cache", 0, NULL))
            return CF_APK;
        break;
    case BH_PM_YUM:
    case BH_PM_DNF:
    case BH_PM_MICRODNF:
        if (pm->verb == BH_PMV_INSTALL || pm->verb == BH_PMV_UPGRADE || pm->verb == BH_PMV_REFRESH)
            return CF_RPM;
        break;
    case BH_PM_ZYPPER:
        if (pm->verb == BH_PMV_INSTALL || pm->verb == BH_PMV_UPGRADE)
            return CF_ZYPPER;
        break;
    case BH_PM_PIP:
        if (pm->verb == BH_PMV_INSTALL && !bh_cmdinfo_pm_opt(cmd, pm, "no-cache-dir", 0, NULL) &&
            !pip_env_no_cache(bs, r, cmd, k))
            return CF_PIP;
        break;
    case BH_PM_YARN:
        if (pm->verb == BH_PMV_INSTALL)
            return CF_YARN;
        break;
    case BH_PM_NPM:
    case BH_PM_GEM:
    case BH_PM_GO:
    case BH_PM_RPM:
    case BH_PM_DPKG:
    case BH_PM_NONE:
        break;
    }
    return CF_COUNT;
}

static void check_cache(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct run_cmd r;
    size_t i = 0, k, j;

    while (next_run(c, bs, &i, true, &r)) {
        size_t first[CF_COUNT];
        struct bh_pmcmd pms[CF_COUNT];
        int f;

        for (f = 0; f < CF_COUNT; f++)
            first[f] = r.ncmds;
        for (k = 0; k < r.ncmds; k++) {
            struct bh_pmcmd pm;
            enum cache_family cf = cache_user(c, bs, &r, k, &pm);

            if (cf != CF_COUNT && first[cf] == r.ncmds) {
                first[cf] = k;
                pms[cf] = pm;
            }
        }
        for (f = 0; f < CF_COUNT; f++) {
            bool clean = false;
            struct bh_loc l;

            if (first[f] == r.ncmds || mount_covers(r.in, (enum cache_family)f))
                continue;
            /* only a cleanup in this RUN shrinks this layer */
            for (j = first[f] + 1; j < r.ncmds && !clean; j++)
                clean = is_cleanup(c, &r.cmds[j], (enum cache_family)f);
            if (clean)
                continue;
            l = cmd_loc(r.in, &r.cmds[first[f]], pms[f].tool_at);
            bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                           "`%s %s` in a RUN that does not clean up %s: %s", pms[f].tool,
                           pms[f].verb_word ? pms[f].verb_word : "", cache_what[f], cache_fix[f]);
        }
    }
}

/* ---- BUILD-UPDATE-ALONE ---- */

static bool runs_script(const struct bh_shcmd *cmd)
{
    size_t s = bh_cmdinfo_start(cmd);
    const char *w = wtext(cmd, s);
    const char *b = bh_cmdinfo_base(cmd, s);

    if (s >= cmd->argc)
        return false;
    if (bh_str_suffix(w, ".sh") || strncmp(w, "./", 2) == 0 || strcmp(b, "install_packages") == 0)
        return true;
    /* `bash /tmp/install.sh`: a script file, not an inline -c string */
    return bh_cmdinfo_is_interpreter(b) && s + 1 < cmd->argc && wtext(cmd, s + 1)[0] != '-';
}

static void check_update_alone(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct run_cmd r;
    size_t i = 0, k;

    while (next_run(c, bs, &i, false, &r)) {
        size_t upd = r.ncmds;
        struct bh_pmcmd updpm = {0};
        bool used = false;
        struct bh_loc l;

        for (k = 0; k < r.ncmds; k++) {
            struct bh_pmcmd pm;

            if (bh_cmdinfo_pm(c->arena, &r.cmds[k], &pm) && bh_cmdinfo_pm_is_os(pm.pm)) {
                if (pm.verb == BH_PMV_REFRESH) {
                    upd = k;
                    updpm = pm;
                    used = false;
                } else if (upd < r.ncmds &&
                           (pm.verb == BH_PMV_INSTALL || pm.verb == BH_PMV_UPGRADE)) {
                    used = true;
                }
            } else if (upd < r.ncmds && runs_script(&r.cmds[k])) {
                used = true; /* a script we cannot see into may install */
            }
        }
        if (upd == r.ncmds || used)
            continue;
        l = cmd_loc(r.in, &r.cmds[upd], updpm.tool_at);
        bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                       "`%s %s` with no install or upgrade after it in the same RUN: the index "
                       "is cached in its own layer and goes stale; update and install in one RUN",
                       updpm.tool, updpm.verb_word ? updpm.verb_word : "");
    }
}

/* ---- BUILD-PIN ---- */

static const char *pin_hint(enum bh_pm pm)
{
    switch (pm) {
    case BH_PM_APT:
    case BH_PM_APK:
    case BH_PM_ZYPPER:
        return "pkg=version";
    case BH_PM_YUM:
    case BH_PM_DNF:
    case BH_PM_MICRODNF:
        return "pkg-version";
    case BH_PM_PIP:
        return "pkg==version, or -r/-c files";
    case BH_PM_NPM:
        return "pkg@x.y.z, or npm ci with a lockfile";
    case BH_PM_GEM:
        return "-v version or pkg:version";
    case BH_PM_GO:
        return "@vX.Y.Z";
    case BH_PM_YARN:
    case BH_PM_RPM:
    case BH_PM_DPKG:
    case BH_PM_NONE:
        break;
    }
    return "a version";
}

#define PIN_LIST_MAX 8

static void check_pin(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct run_cmd r;
    size_t i = 0, k, p;

    while (next_run(c, bs, &i, false, &r)) {
        for (k = 0; k < r.ncmds; k++) {
            const struct bh_shcmd *cmd = &r.cmds[k];
            struct bh_pmcmd pm;
            char *list = NULL;
            size_t nbad = 0;
            struct bh_loc l;

            if (!bh_cmdinfo_pm(c->arena, cmd, &pm) || pm.verb != BH_PMV_INSTALL || !pm.verb_word)
                continue;
            if (pm.pm == BH_PM_YARN || pm.pm == BH_PM_RPM || pm.pm == BH_PM_DPKG)
                continue;
            /* package groups, build-deps and dependency strings carry no version of their own */
            if (strcmp(pm.verb_word, "groupinstall") == 0 || strcmp(pm.verb_word, "group") == 0 ||
                strcmp(pm.verb_word, "groups") == 0 || strcmp(pm.verb_word, "build-dep") == 0 ||
                strcmp(pm.verb_word, "satisfy") == 0)
                continue;
            if (pm.pm == BH_PM_GEM && bh_cmdinfo_pm_opt(cmd, &pm, "version", 'v', NULL))
                continue;
            if (pm.pm == BH_PM_PIP && bh_cmdinfo_pm_opt(cmd, &pm, "constraint", 'c', NULL))
                continue;
            for (p = 0; p < pm.npkgs; p++) {
                const char *spec = wtext(cmd, pm.pkgs[p]);

                if (!spec[0] || bh_cmdinfo_has_var(spec) || strchr(spec, '*') ||
                    bh_cmdinfo_pkg_pinned(pm.pm, spec))
                    continue;
                nbad++;
                if (nbad <= PIN_LIST_MAX)
                    list = list ? bh_arena_printf(c->arena, "%s, '%s'", list, spec)
                                : bh_arena_printf(c->arena, "'%s'", spec);
            }
            if (nbad == 0)
                continue;
            if (nbad > PIN_LIST_MAX)
                list = bh_arena_printf(c->arena, "%s and %zu more", list ? list : "",
                                       nbad - PIN_LIST_MAX);
            l = cmd_loc(r.in, cmd, pm.tool_at);
            bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                           "`%s %s` installs %s without a version (pin as %s)", pm.tool,
                           pm.verb_word, list ? list : "packages", pin_hint(pm.pm));
        }
    }
}

/* ---- BUILD-UPGRADE ---- */

static void check_upgrade(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct run_cmd r;
    size_t i = 0, k;

    while (next_run(c, bs, &i, false, &r)) {
        for (k = 0; k < r.ncmds; k++) {
            struct bh_pmcmd pm;
            struct bh_loc l;

            if (!bh_cmdinfo_pm(c->arena, &r.cmds[k], &pm) || pm.verb != BH_PMV_UPGRADE ||
                !bh_cmdinfo_pm_is_os(pm.pm))
                continue;
            l = cmd_loc(r.in, &r.cmds[k], pm.tool_at);
            bh_rule_report(c, &l, stage_label(c, bs, r.in->stage),
                           "`%s %s` upgrades packages inside the image: the result depends on "
                           "the day of the build; rebuild on a fresh, patched base image instead",
                           pm.tool, pm.verb_word ? pm.verb_word : "");
        }
    }
}

/* ---- BUILD-INSECURE-FETCH ---- */

/* environment variables that turn verification off, and when */
static const char *insecure_env(const char *key, const char *val)
{
    if (strcmp(key, "GIT_SSL_NO_VERIFY") == 0)
        return "git skips TLS certificate checks when GIT_SSL_NO_VERIFY is set to any value";
    if (strcmp(key, "NODE_TLS_REJECT_UNAUTHORIZED") == 0 && strcmp(val, "0") == 0)
        return "Node.js accepts any TLS certificate";
    if (strcmp(key, "PYTHONHTTPSVERIFY") == 0 && strcmp(val, "0") == 0)
        return "Python's urllib skips TLS certificate checks";
    if (strcmp(key, "PIP_TRUSTED_HOST") == 0 && val[0])
        return "pip skips TLS checks for the trusted host";
    if ((bh_str_ieq(key, "NPM_CONFIG_STRICT_SSL") || bh_str_ieq(key, "YARN_STRICT_SSL")) &&
        value_false(val))
        return "npm accepts any TLS certificate";
    if ((strcmp(key, "PIP_INDEX_URL") == 0 || strcmp(key, "PIP_EXTRA_INDEX_URL") == 0) &&
        bh_str_iprefix(val, "http://"))
        return "pip fetches packages over plain HTTP";
    return NULL;
}

static const char *insecure_assign(struct bh_arena *a, const char *kv, const char **key)
{
    const char *eq = strchr(kv, '=');

    if (!eq)
        return NULL;
    *key = bh_arena_strndup(a, kv, (size_t)(eq - kv));
    return *key ? insecure_env(*key, eq + 1) : NULL;
}

/* config text written by echo/tee/sed/-o values: keys that turn checks off */
static const char *insecure_text(const char *w)
{
    const char *p;

    if (strstr(w, "trusted=yes"))
        return "an APT source marked [trusted=yes] is installed from without signature checks";
    if (value_true(config_value(w, "AllowInsecureRepositories")) ||
        value_true(config_value(w, "AllowDowngradeToInsecureRepositories")))
        return "APT accepts unsigned repositories";
    if (value_true(config_value(w, "AllowUnauthenticated")))
        return "APT installs unauthenticated packages";
    if (value_false(config_value(w, "Verify-Peer")) || value_false(config_value(w, "Verify-Host")))
        return "APT skips TLS certificate checks";
    /* gpgcheck=0, but not repo_gpgcheck=0 / localpkg_gpgcheck */
    for (p = w; (p = bh_str_icontains(p, "gpgcheck")) != NULL; p += 8) {
        if (p > w && p[-1] == '_')
            continue;
        if (value_false(config_value(p, "gpgcheck")))
            return "yum/dnf installs packages without signature checks (gpgcheck=0)";
    }
    for (p = w; (p = bh_str_icontains(p, "sslverify")) != NULL; p += 9) {
        if (p > w && p[-1] == '_')
            continue;
        if (value_false(config_value(p, "sslverify")))
            return "TLS certificate checks are turned off (sslverify)";
    }
    return NULL;
}

struct insecure_opt {
    const char *tool; /* real command base name; "" for package-manager family below */
    enum bh_pm pm;
    const char *lname;
    char sname;
    const char *why;
};

static const struct insecure_opt insecure_opts[] = {
    {"curl", BH_PM_NONE, "insecure", 'k', "curl accepts any TLS certificate"},
    {"curl", BH_PM_NONE, "proxy-insecure", 0, "curl accepts any proxy TLS certificate"},
    {"wget", BH_PM_NONE, "no-check-certificate", 0, "wget accepts any TLS certificate"},
    {"", BH_PM_APT, "allow-unauthenticated", 0, "APT installs unauthenticated packages"},
    {"", BH_PM_APT, "force-yes", 0, "APT installs unauthenticated packages"},
    {"", BH_PM_APT, "allow-insecure-repositories", 0, "APT accepts unsigned repositories"},
    {"", BH_PM_APK, "allow-untrusted", 0, "apk installs unsigned packages"},
    {"", BH_PM_YUM, "nogpgcheck", 0, "packages are installed without signature checks"},
    {"", BH_PM_DNF, "nogpgcheck", 0, "packages are installed without signature checks"},
    {"", BH_PM_MICRODNF, "nogpgcheck", 0, "packages are installed without signature checks"},
    {"", BH_PM_ZYPPER, "no-gpg-checks", 0, "zypper installs without signature checks"},
    {"", BH_PM_ZYPPER, "no-gpgcheck", 0, "zypper installs without signature checks"},
    {"", BH_PM_RPM, "nosignature", 0, "rpm installs without signature checks"},
    {"", BH_PM_RPM, "nodigest", 0, "rpm installs without digest checks"},
    {"", BH_PM_RPM, "nogpgcheck", 0, "rpm installs without signature checks"},
    {"", BH_PM_PIP, "trusted-host", 0, "pip skips TLS checks for the trusted host"},
};

static void report_insecure(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                            const struct bh_instr *in, const struct bh_shcmd *cmd, size_t w,
                            const char *what, const char *why)
{
    struct bh_loc l = cmd_loc(in, cmd, w);

    bh_rule_report(c, &l, stage_label(c, bs, in->stage), "%s: %s", what, why);
}

static void insecure_cmd(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                         const struct bh_instr *in, const struct bh_shcmd *cmd)
{
    size_t s = bh_cmdinfo_start(cmd), k, w;
    const char *name = bh_cmdinfo_base(cmd, s);
    const struct bh_word *a;
    struct bh_pmcmd pm;
    bool is_pm = bh_cmdinfo_pm(c->arena, cmd, &pm);
    const char *v = NULL, *key = NULL, *why;
    bool reported = false;

    for (k = 0; k < sizeof(insecure_opts) / sizeof(insecure_opts[0]); k++) {
        const struct insecure_opt *o = &insecure_opts[k];
        bool hit = false;

        v = NULL;
        if (o->tool[0] && strcmp(o->tool, name) == 0) {
            static const struct bh_cmdopts curlish = {"oAbcCdDeEFHKmPQrTtuUwxXyYz", NULL, false};

            hit = bh_cmdinfo_opt(cmd, s + 1, &curlish, o->lname, o->sname, NULL, &w);
        } else if (!o->tool[0] && is_pm && pm.pm == o->pm) {
            hit = bh_cmdinfo_opt(cmd, pm.tool_at + 1, pm.opts, o->lname, o->sname, &v, &w);
        }
        if (hit) {
            const char *opt = wtext(cmd, w);

            report_insecure(c, bs, in, cmd, w,
                            v && !strchr(opt, '=')
                                ? bh_arena_printf(c->arena, "`%s %s %s`", pm.tool, opt, v)
                                : bh_arena_printf(c->arena, "`%s %s`", is_pm ? pm.tool : name, opt),
                            o->why);
            reported = true;
        }
    }
    if (is_pm && pm.pm == BH_PM_PIP) {
        static const char *const idx[] = {"index-url", "extra-index-url", "find-links", NULL};
        static const char sidx[] = {'i', 0, 'f'};

        for (k = 0; idx[k]; k++) {
            if (bh_cmdinfo_opt(cmd, pm.tool_at + 1, pm.opts, idx[k], sidx[k], &v, &w) && v &&
                bh_str_iprefix(v, "http://")) {
                report_insecure(c, bs, in, cmd, w,
                                bh_arena_printf(c->arena, "`pip --%s %s`", idx[k], v),
                                "pip fetches packages over plain HTTP, open to tampering");
                reported = true;
            }
        }
    }
    /* npm/yarn/pnpm config set strict-ssl false, npm --strict-ssl=false */
    if (strcmp(name, "npm") == 0 || strcmp(name, "yarn") == 0 || strcmp(name, "pnpm") == 0) {
        for (w = s + 1; w < cmd->argc; w++) {
            const char *t = wtext(cmd, w);
            const char *val = NULL;

            if (strcmp(t, "strict-ssl") == 0 || strcmp(t, "--strict-ssl") == 0)
                val = wtext(cmd, w + 1);
            else if (bh_str_prefix(t, "strict-ssl=") || bh_str_prefix(t, "--strict-ssl="))
                val = strchr(t, '=') + 1;
            if (val && value_false(val)) {
                report_insecure(c, bs, in, cmd, w,
                                strchr(t, '=')
                                    ? bh_arena_printf(c->arena, "`%s ... %s`", name, t)
                                    : bh_arena_printf(c->arena, "`%s ... %s %s`", name, t, val),
                                "the registry's TLS certificate is not checked");
                reported = true;
                break;
            }
        }
    }
    /* git -c http.sslVerify=false, git config http.sslVerify false */
    if (strcmp(name, "git") == 0) {
        for (w = s + 1; w < cmd->argc; w++) {
            const char *t = wtext(cmd, w);
            const char *p = bh_str_icontains(t, "sslverify");

            if (!p || !bh_str_iprefix(t, "http."))
                continue;
            v = p[9] == '=' ? p + 10 : wtext(cmd, w + 1);
            if (value_false(v)) {
                report_insecure(c, bs, in, cmd, w,
                                p[9] == '=' ? bh_arena_printf(c->arena, "`git -c %s`", t)
                                            : bh_arena_printf(c->arena, "`git config %s %s`", t, v),
                                "git accepts any TLS certificate");
                reported = true;
                break;
            }
        }
    }
    /* variables in effect for the command, and `export X=...` */
    for (k = 0; (a = bh_cmdinfo_assign(cmd, k)) != NULL; k++) {
        if ((why = insecure_assign(c->arena, a->text, &key)) != NULL) {
            struct bh_loc l = in->loc;

            if (a->line > 0) {
                l.line = a->line;
                l.col = a->col;
            }
            bh_rule_report(c, &l, stage_label(c, bs, in->stage), "`%s`: %s", a->text, why);
            reported = true;
        }
    }
    if (strcmp(name, "export") == 0) {
        for (w = s + 1; w < cmd->argc; w++) {
            if ((why = insecure_assign(c->arena, wtext(cmd, w), &key)) != NULL) {
                report_insecure(c, bs, in, cmd, w,
                                bh_arena_printf(c->arena, "`export %s`", wtext(cmd, w)), why);
                reported = true;
            }
        }
    }
    if (reported)
        return;
    /* text written into config files: echo '... [trusted=yes] ...' > sources.list */
    for (w = s; w < cmd->argc; w++) {
        if ((why = insecure_text(wtext(cmd, w))) != NULL) {
            report_insecure(c, bs, in, cmd, w, bh_arena_printf(c->arena, "'%s'", wtext(cmd, w)),
                            why);
            return;
        }
    }
}

static void check_insecure_fetch(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const struct bh_shcmd *cmds;
        size_t n;

        if (in->kind == BH_I_ENV || in->kind == BH_I_ARG) {
            for (k = 0; k < in->nkvs; k++) {
                const struct bh_kv *kv = &in->kvs[k];
                const char *why;

                if (!kv->key || !kv->value)
                    continue;
                why = insecure_env(kv->key, kv->value);
                if (why)
                    bh_rule_report(c, kv->loc.line > 0 ? &kv->loc : &in->loc,
                                   stage_label(c, bs, in->stage), "`%s %s=%s`: %s",
                                   bh_instr_kind_name(in->kind), kv->key, kv->value, why);
            }
            continue;
        }
        n = bh_cmdinfo_run_cmds(c->arena, in, &cmds);
        for (k = 0; k < n; k++)
            insecure_cmd(c, bs, in, &cmds[k]);
    }
}

/* ---- BUILD-NOVERIFY ---- */

static bool is_extractor(const char *b)
{
    static const char *const names[] = {"tar",    "bsdtar", "unzip",  "7z",      "7za",   "gunzip",
                                        "gzip",   "xz",     "unxz",   "bunzip2", "bzip2", "zstd",
                                        "unzstd", "cpio",   "funzip", NULL};
    size_t i;

    for (i = 0; names[i]; i++) {
        if (strcmp(names[i], b) == 0)
            return true;
    }
    return false;
}

static bool is_installer(const char *b)
{
    static const char *const names[] = {
        "dpkg", "rpm",     "apt-get", "apt", "yum",   "dnf",  "microdnf", "zypper", "apk", "npm",
        "gem",  "install", "mv",      "cp",  "chmod", "java", "source",   ".",      NULL};
    size_t i;

    for (i = 0; names[i]; i++) {
        if (strcmp(names[i], b) == 0)
            return true;
    }
    return strncmp(b, "pip", 3) == 0;
}

/* a command that checks a checksum or signature */
static bool is_verifier(const struct bh_shcmd *cmd)
{
    static const struct bh_cmdopts plain = {"a", NULL, false};
    size_t s = bh_cmdinfo_start(cmd);
    const char *b = bh_cmdinfo_base(cmd, s);

    if (strcmp(b, "sha256sum") == 0 || strcmp(b, "sha512sum") == 0 || strcmp(b, "sha384sum") == 0 ||
        strcmp(b, "sha224sum") == 0 || strcmp(b, "shasum") == 0 || strcmp(b, "b2sum") == 0)
        return bh_cmdinfo_opt(cmd, s + 1, &plain, "check", 'c', NULL, NULL);
    if (strcmp(b, "gpg") == 0 || strcmp(b, "gpg2") == 0)
        return bh_cmdinfo_opt(cmd, s + 1, &plain, "verify", 0, NULL, NULL);
    if (strcmp(b, "gpgv") == 0 || strcmp(b, "gpgv2") == 0 || strcmp(b, "slsa-verifier") == 0)
        return true;
    if (strcmp(b, "cosign") == 0)
        return s + 1 < cmd->argc && bh_str_prefix(wtext(cmd, s + 1), "verify");
    if (strcmp(b, "minisign") == 0 || strcmp(b, "signify") == 0)
        return bh_cmdinfo_opt(cmd, s + 1, &plain, NULL, 'V', NULL, NULL);
    if (strcmp(b, "openssl") == 0) {
        size_t w;

        for (w = s + 1; w < cmd->argc; w++) {
            if (strcmp(wtext(cmd, w), "-verify") == 0 || strcmp(wtext(cmd, w), "-signature") == 0)
                return true;
        }
    }
    return false;
}

/* the base name of path t (query and fragment dropped) equals base */
static bool base_eq(const char *t, const char *base)
{
    const char *end = t + strcspn(t, "?#"), *start;

    while (end > t && end[-1] == '/')
        end--;
    start = end;
    while (start > t && start[-1] != '/')
        start--;
    return (size_t)(end - start) == strlen(base) && memcmp(start, base, strlen(base)) == 0;
}

/* a command word names the file (same path, same base name, or contains a long base name) */
static bool mentions(const struct bh_shcmd *cmd, size_t from, const char *path, const char *base)
{
    size_t w;

    for (w = from; w < cmd->argc; w++) {
        const char *t = wtext(cmd, w);
        const char *eq = strchr(t, '=');

        if (strcmp(t, path) == 0 || base_eq(t, base) || (eq && base_eq(eq + 1, base)) ||
            (strlen(base) >= 6 && strstr(t, base)))
            return true;
    }
    return false;
}

static bool sig_like(const char *base)
{
    return bh_str_icontains(base, "sum") || bh_str_icontains(base, "sha256") ||
           bh_str_icontains(base, "sha512") || bh_str_isuffix(base, ".asc") ||
           bh_str_isuffix(base, ".sig") || bh_str_isuffix(base, ".gpg") ||
           bh_str_isuffix(base, ".pem") || bh_str_icontains(base, "KEYS");
}

struct download {
    const struct bh_instr *in;
    const struct bh_shcmd *cmd;
    const char *path;
    const char *base;
    const char *url;
    const char *use; /* how it was used unverified, NULL when not (yet) */
    bool verified;
};

struct dl_list {
    struct download *v;
    size_t n, cap;
};

/* words of a verification and of the commands piping into it */
static bool verifier_mentions(const struct bh_shcmd *cmds, size_t k, const char *path,
                              const char *base)
{
    size_t j = k;

    for (;;) {
        if (mentions(&cmds[j], 0, path, base))
            return true;
        if (j == 0 || !cmds[j].sep || strcmp(cmds[j].sep, "|") != 0)
            return false;
        j--;
    }
}

static void verify_pending(struct dl_list *dl, const struct bh_shcmd *cmds, size_t k)
{
    size_t d;
    bool specific = false;

    for (d = 0; d < dl->n; d++) {
        if (!sig_like(dl->v[d].base) && verifier_mentions(cmds, k, dl->v[d].path, dl->v[d].base)) {
            dl->v[d].verified = true;
            specific = true;
        }
    }
    /* `sha256sum -c SHA256SUMS`, `echo "$SHA  $F" | sha256sum -c -`: covers what came before */
    if (!specific) {
        for (d = 0; d < dl->n; d++)
            dl->v[d].verified = true;
    }
}

static const char *use_of(const struct bh_shcmd *cmd, size_t s)
{
    const char *b = bh_cmdinfo_base(cmd, s);

    if (is_extractor(b))
        return "extracted";
    if (bh_cmdinfo_is_interpreter(b) || strcmp(b, "source") == 0 || strcmp(b, ".") == 0 ||
        strcmp(b, "java") == 0)
        return "executed";
    if (strcmp(b, "chmod") == 0)
        return "made executable";
    if (is_installer(b))
        return "installed";
    return NULL;
}

static void mark_uses(struct dl_list *dl, const struct bh_shcmd *cmd)
{
    size_t s = bh_cmdinfo_start(cmd), d;
    const char *how;
    bool runs_path;

    if (s >= cmd->argc)
        return;
    how = use_of(cmd, s);
    runs_path = strchr(wtext(cmd, s), '/') != NULL;
    if (!how && !runs_path)
        return;
    for (d = 0; d < dl->n; d++) {
        struct download *x = &dl->v[d];

        if (x->verified || x->use || x->cmd == cmd)
            continue;
        /* running the file itself: ./install.sh, /tmp/tool */
        if (strcmp(wtext(cmd, s), x->path) == 0 ||
            (strchr(wtext(cmd, s), '/') && strcmp(bh_cmdinfo_base(cmd, s), x->base) == 0)) {
            x->use = "executed";
            continue;
        }
        if (how && mentions(cmd, s + 1, x->path, x->base))
            x->use = how;
    }
}

static bool is_pinned_go(const char *spec)
{
    return bh_cmdinfo_pkg_pinned(BH_PM_GO, spec);
}

/* pip git+URL without @<commit> */
static bool pip_git_unpinned(struct bh_arena *a, const char *spec)
{
    const char *git = strstr(spec, "git+");
    const char *path, *at;
    const char *ref;

    if (!git)
        return false;
    path = strstr(git, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    if (!path)
        return true;
    at = strrchr(path, '@');
    if (!at)
        return true;
    ref = bh_arena_strndup(a, at + 1, strcspn(at + 1, "#"));
    return !ref || !bh_cmdinfo_is_hex(ref, 40);
}

/* git clone <url>: the argv index of the url, or argc */
static size_t git_clone_url(struct bh_arena *a, const struct bh_shcmd *cmd, bool *pinned)
{
    static const struct bh_cmdopts git_global = {"Cc", NULL, false};
    static const char *const clone_long[] = {
        "branch",   "origin", "depth",         "upload-pack",     "reference", "separate-git-dir",
        "config",   "filter", "shallow-since", "shallow-exclude", "jobs",      "template",
        "revision", NULL};
    static const struct bh_cmdopts clone_opts = {"bcoju", clone_long, false};
    size_t s = bh_cmdinfo_start(cmd), *ops = NULL, nops, sub;
    const char *rev = NULL;

    *pinned = false;
    if (strcmp(bh_cmdinfo_base(cmd, s), "git") != 0)
        return cmd->argc;
    nops = bh_cmdinfo_operands(a, cmd, s + 1, &git_global, &ops);
    if (nops == 0 || strcmp(wtext(cmd, ops[0]), "clone") != 0)
        return cmd->argc;
    sub = ops[0];
    nops = bh_cmdinfo_operands(a, cmd, sub + 1, &clone_opts, &ops);
    if (nops == 0 || !is_remote(wtext(cmd, ops[0])) || bh_cmdinfo_has_var(wtext(cmd, ops[0])))
        return cmd->argc;
    if (bh_cmdinfo_opt(cmd, sub + 1, &clone_opts, "revision", 0, &rev, NULL) && rev &&
        bh_cmdinfo_is_hex(rev, 40))
        *pinned = true;
    return ops[0];
}

/* a later git command that fixes the checkout to a commit (or verifies it) */
static bool git_pins(const struct bh_shcmd *cmd)
{
    size_t s = bh_cmdinfo_start(cmd), w;
    bool sub = false;

    if (strcmp(bh_cmdinfo_base(cmd, s), "git") != 0)
        return false;
    for (w = s + 1; w < cmd->argc; w++) {
        const char *t = wtext(cmd, w);

        if (strcmp(t, "checkout") == 0 || strcmp(t, "reset") == 0 || strcmp(t, "switch") == 0 ||
            strcmp(t, "fetch") == 0)
            sub = true;
        else if (strcmp(t, "verify-commit") == 0 || strcmp(t, "verify-tag") == 0)
            return true;
        else if (sub && (bh_cmdinfo_is_hex(t, 40) || bh_cmdinfo_has_var(t)))
            return true; /* a variable: we cannot tell, so do not claim it floats */
    }
    return false;
}

static void noverify_pipes(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                           const struct bh_instr *in, const struct bh_shcmd *cmds, size_t n,
                           size_t k)
{
    struct bh_fetch f;
    size_t j;

    if (!bh_cmdinfo_fetch(&cmds[k], &f) || f.outfile)
        return;
    for (j = k + 1; j < n && cmds[j].sep && strcmp(cmds[j].sep, "|") == 0; j++) {
        const char *b = bh_cmdinfo_name(&cmds[j]);
        struct bh_loc l = cmd_loc(in, &cmds[k], f.tool_at);

        if (bh_cmdinfo_is_interpreter(b)) {
            bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                           "`%s %s | %s` runs whatever the server sends, with no checksum or "
                           "signature check",
                           f.tool, f.url ? f.url : "...", b);
            return;
        }
        if (is_extractor(b)) {
            bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                           "`%s %s | %s` unpacks a download straight from the network; nothing "
                           "checks its checksum",
                           f.tool, f.url ? f.url : "...", b);
            return;
        }
    }
}

static void noverify_subst(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                           const struct bh_instr *in, const struct bh_shcmd *cmd)
{
    size_t s = bh_cmdinfo_start(cmd), w;
    const char *b = bh_cmdinfo_base(cmd, s);
    struct bh_loc l;

    if (s >= cmd->argc)
        return;
    if (!(bh_cmdinfo_is_interpreter(b) || strcmp(b, "eval") == 0 || strcmp(b, "source") == 0 ||
          strcmp(b, ".") == 0))
        return;
    for (w = s + 1; w < cmd->argc; w++) {
        if (bh_cmdinfo_has_fetch_subst(wtext(cmd, w)))
            break;
    }
    if (w == cmd->argc && !(cmd->redirect_stdin && bh_cmdinfo_has_fetch_subst(cmd->redirect_stdin)))
        return;
    l = cmd_loc(in, cmd, s);
    bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                   "`%s` runs a script fetched by command substitution (%s), with no checksum "
                   "or signature check",
                   b, w < cmd->argc ? wtext(cmd, w) : cmd->redirect_stdin);
}

static void noverify_pkgs(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                          const struct bh_instr *in, const struct bh_shcmd *cmd)
{
    struct bh_pmcmd pm;
    size_t p;

    if (!bh_cmdinfo_pm(c->arena, cmd, &pm) || pm.verb != BH_PMV_INSTALL)
        return;
    for (p = 0; p < pm.npkgs; p++) {
        const char *spec = wtext(cmd, pm.pkgs[p]);
        struct bh_loc l = cmd_loc(in, cmd, pm.pkgs[p]);

        if (pm.pm == BH_PM_GO && strchr(spec, '@') && !bh_cmdinfo_has_var(spec) &&
            !is_pinned_go(spec)) {
            bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                           "`go %s %s` builds whatever version is newest today; pin @vX.Y.Z so "
                           "the module checksum database has a fixed target",
                           pm.verb_word ? pm.verb_word : "install", spec);
        } else if (pm.pm == BH_PM_PIP && !bh_cmdinfo_has_var(spec) &&
                   pip_git_unpinned(c->arena, spec)) {
            bh_rule_report(c, &l, stage_label(c, bs, in->stage),
                           "`pip install %s` installs a git branch head; pin a full commit id "
                           "(@<40-hex>)",
                           spec);
        }
    }
}

/* a `git clone` waiting for a later checkout of a commit */
struct clone {
    const struct bh_instr *in;
    const struct bh_shcmd *cmd;
    size_t url;
    bool pinned;
};

static void check_noverify(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t s;

    for (s = 0; s < bs->nstages; s++) {
        const struct bh_stage *st = &bs->stages[s];
        struct dl_list dl = {NULL, 0, 0};
        struct clone *clones = NULL;
        size_t nclones = 0, clones_cap = 0, i, k, d;

        for (i = st->first_instr; i < st->first_instr + st->ninstrs && i < bs->ninstrs; i++) {
            const struct bh_instr *in = &bs->instrs[i];
            const struct bh_shcmd *cmds;
            size_t n;

            if (in->stage != (int)s)
                continue;
            if (in->kind == BH_I_ADD) {
                bool git = false;
                const char *src = add_unverified(c->arena, in, &git);

                if (src)
                    bh_rule_report(c, &in->loc, stage_label(c, bs, (int)s),
                                   git ? "ADD of git repository '%s' with no pinned commit: "
                                         "nothing fixes what is fetched"
                                       : "ADD downloads '%s' without --checksum: its content "
                                         "is not verified",
                                   src);
                continue;
            }
            n = bh_cmdinfo_run_cmds(c->arena, in, &cmds);
            for (k = 0; k < n; k++) {
                const struct bh_shcmd *cmd = &cmds[k];
                struct bh_fetch f;
                bool pinned;
                size_t url;

                noverify_pipes(c, bs, in, cmds, n, k);
                noverify_subst(c, bs, in, cmd);
                noverify_pkgs(c, bs, in, cmd);
                if (is_verifier(cmd)) {
                    verify_pending(&dl, cmds, k);
                    continue;
                }
                mark_uses(&dl, cmd);
                if (nclones && git_pins(cmd)) {
                    for (d = 0; d < nclones; d++)
                        clones[d].pinned = true;
                }
                url = git_clone_url(c->arena, cmd, &pinned);
                if (url < cmd->argc) {
                    struct clone *cl = BH_PUSH(c->arena, clones, nclones, clones_cap);

                    if (cl) {
                        cl->in = in;
                        cl->cmd = cmd;
                        cl->url = url;
                        cl->pinned = pinned;
                    }
                }
                if (bh_cmdinfo_fetch(cmd, &f) && f.outfile && !bh_cmdinfo_has_var(f.outfile)) {
                    struct download *x = BH_PUSH(c->arena, dl.v, dl.n, dl.cap);

                    if (!x)
                        continue;
                    x->in = in;
                    x->cmd = cmd;
                    x->path = f.outfile;
                    x->base = bh_cmdinfo_basename(c->arena, f.outfile);
                    x->url = f.url ? f.url : f.outfile;
                }
            }
        }
        for (d = 0; d < dl.n; d++) {
            const struct download *x = &dl.v[d];
            struct bh_loc l;

            if (x->verified || !x->use)
                continue;
            l = cmd_loc(x->in, x->cmd, bh_cmdinfo_start(x->cmd));
            bh_rule_report(c, &l, stage_label(c, bs, (int)s),
                           "'%s' downloaded from '%s' is %s with no checksum or signature check "
                           "(sha256sum -c, gpg --verify, cosign verify) in this stage",
                           x->base, x->url, x->use);
        }
        for (d = 0; d < nclones; d++) {
            struct bh_loc l;

            if (clones[d].pinned)
                continue;
            l = cmd_loc(clones[d].in, clones[d].cmd, clones[d].url);
            bh_rule_report(c, &l, stage_label(c, bs, (int)s),
                           "`git clone %s` takes whatever the branch points to; check out a full "
                           "commit id (git checkout <40-hex>) after cloning",
                           wtext(clones[d].cmd, clones[d].url));
        }
    }
}

/* ---- the table ---- */

const struct bh_rule bh_rules_build[] = {
    {"BUILD-ADD",
     5,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD,
     "ADD used where COPY would do, or remote ADD",
     check_add,
     NULL,
     "Use COPY for local files and directories; fetch remote files with ADD --checksum=sha256:... "
     "or in a RUN that verifies them, and pin git sources to a full commit id.",
     {"Dockle CIS-DI-0009", "CIS 4.9", "hadolint DL3020", "trivy DS005",
      "KICS D 'Add Instead of Copy'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-CACHE",
     2,
     BH_SEV_LOW,
     BH_APPLIES_BUILD | BH_APPLIES_IMAGE,
     "Package-manager caches and indexes left in a layer",
     check_cache,
     NULL,
     "Clean the package manager's cache in the same RUN that fills it (rm -rf "
     "/var/lib/apt/lists/*, apk add --no-cache, dnf clean all, zypper clean, pip install "
     "--no-cache-dir), or use RUN --mount=type=cache for the cache directory.",
     {"Dockle DKL-DI-0004", "Dockle DKL-DI-0005", "hadolint DL3009", "hadolint DL3019",
      "hadolint DL3032", "hadolint DL3036", "hadolint DL3040", "hadolint DL3042", "hadolint DL3060",
      "trivy DS015", "trivy DS019", "trivy DS020", "trivy DS025", "trivy DS027",
      "KICS D 'Apt Get Install Lists Were Not Deleted'", NULL},
     NULL,
     bh_imgcheck_cache,
     NULL,
     NULL,
     NULL},
    {"BUILD-INSECURE-FETCH",
     5,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD | BH_APPLIES_IMAGE,
     "TLS or signature verification turned off",
     check_insecure_fetch,
     NULL,
     "Remove the flag or setting that disables verification; install the missing CA certificate "
     "or repository key instead.",
     {NULL},
     NULL,
     bh_imgcheck_insecure_fetch,
     NULL,
     NULL,
     NULL},
    {"BUILD-NORECS",
     2,
     BH_SEV_LOW,
     BH_APPLIES_BUILD,
     "Package install pulls recommended or weak dependencies",
     check_norecs,
     NULL,
     "Add --no-install-recommends to apt-get install, --setopt=install_weak_deps=False to dnf "
     "install and --no-recommends to zypper install, and name every package you need.",
     {"hadolint DL3015", "trivy DS029", "KICS D 'APT-GET Not Avoiding Additional Packages'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-NOVERIFY",
     6,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD,
     "Remote artefacts used without an integrity check",
     check_noverify,
     NULL,
     "Download to a file, check it against a pinned checksum or signature (sha256sum -c, gpg "
     "--verify, cosign verify) before running or unpacking it, and pin git and Go sources to an "
     "exact commit or version.",
     {"hadolint DL4006", "hadolint DL3062", "KICS D 'Shell Running A Pipe Without Pipefail Flag'",
      "CIS 4.11", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-PIN",
     8,
     BH_SEV_LOW,
     BH_APPLIES_BUILD,
     "Unpinned package versions",
     check_pin,
     NULL,
     "Pin each package to an exact version in the package manager's syntax (apt pkg=1.2-3, pip "
     "pkg==1.2, npm pkg@1.2.3), or install from a lockfile.",
     {"hadolint DL3008", "hadolint DL3013", "hadolint DL3016", "hadolint DL3018", "hadolint DL3028",
      "hadolint DL3033", "hadolint DL3037", "hadolint DL3041", "hadolint DL3062",
      "KICS D 'Apt Get Install Pin Version Not Defined'",
      "KICS D 'Unpinned Package Version in Pip Install'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-SUDO",
     3,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD,
     "Sudo used or shipped in the image",
     check_sudo,
     NULL,
     "Drop sudo: run privileged build steps before switching USER, and do not install the sudo "
     "package in images that ship.",
     {"Dockle DKL-DI-0001", "hadolint DL3004", "trivy DS010", "KICS D 'Run Using Sudo'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-UPDATE-ALONE",
     8,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD,
     "Package index update cached in its own layer",
     check_update_alone,
     NULL,
     "Update the package index and install in the same RUN (apt-get update && apt-get install "
     "...), or use apk add --no-cache.",
     {"Dockle CIS-DI-0007", "CIS 4.7", "trivy DS017", "KICS D 'Update Instruction Alone'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-UPGRADE",
     8,
     BH_SEV_LOW,
     BH_APPLIES_BUILD,
     "Distribution upgrade inside the image",
     check_upgrade,
     NULL,
     "Remove the in-image upgrade and rebuild on a fresh, patched base image (or a newer base "
     "tag) instead.",
     {"Dockle DKL-DI-0003", "trivy DS024", "hadolint DL3035", "KICS D 'Run Using Upgrade Commands'",
      NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"BUILD-USER",
     4,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD,
     "Image runs as root by default",
     check_user,
     NULL,
     "Add a USER with a non-root numeric UID (USER 10001:10001) as the last USER of the final "
     "stage, after the steps that need root.",
     {"Dockle CIS-DI-0001", "hadolint DL3002", "hadolint DL3066", "trivy DS002",
      "KICS D 'Missing User Instruction'", "KICS D \"Last User Is 'root'\"", "CIS 4.1", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_build_n = sizeof(bh_rules_build) / sizeof(bh_rules_build[0]);
