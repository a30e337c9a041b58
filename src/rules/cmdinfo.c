/*
 * cmdinfo.c - classifies tokenized shell commands for the rules: wrappers,
 * option/operand splitting per tool, package managers and their packages,
 * downloads. It reads argv words only; it never re-tokenizes text and never
 * decides what is a mistake (the rules do).
 */
#include "rules/cmdinfo.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"

#include <string.h>

/* ---- option syntax of the tools we know ---- */

static const char *const apt_long[] = {
    "option",         "config-file", "target-release", "default-release", "host-architecture",
    "build-profiles", NULL};
static const struct bh_cmdopts apt_opts = {"octaP", apt_long, false};

static const char *const apk_long[] = {
    "repository",        "root",          "virtual",     "arch",    "cache-dir", "keys-dir",
    "repositories-file", "cache-max-age", "progress-fd", "timeout", "wait",      NULL};
static const struct bh_cmdopts apk_opts = {"Xpt", apk_long, false};

static const char *const rpmm_long[] = {"config",        "installroot",  "releasever",
                                        "setopt",        "enablerepo",   "disablerepo",
                                        "repo",          "repoid",       "exclude",
                                        "excludepkgs",   "downloaddir",  "destdir",
                                        "color",         "forcearch",    "comment",
                                        "advisory",      "cve",          "bz",
                                        "sec-severity",  "rpmverbosity", "repofrompath",
                                        "disableplugin", "enableplugin", "randomwait",
                                        "debuglevel",    "errorlevel",   NULL};
static const struct bh_cmdopts rpmm_opts = {"cRxde", rpmm_long, false};

static const char *const zypper_long[] = {"config",        "root", "reposd-dir", "cache-dir",
                                          "raw-cache-dir", "type", "repo",       "from",
                                          "download",      NULL};
static const struct bh_cmdopts zypper_opts = {"cRDCtr", zypper_long, false};

static const char *const rpm_long[] = {"root",        "dbpath",   "define", "macros", "rcfile",
                                       "excludepath", "relocate", "prefix", NULL};
static const struct bh_cmdopts rpm_opts = {"D", rpm_long, false};

static const char *const dpkg_long[] = {"root",   "admindir", "instdir",   "force",
                                        "refuse", "log",      "status-fd", NULL};
static const struct bh_cmdopts dpkg_opts = {"", dpkg_long, false};

static const char *const pip_long[] = {"requirement",
                                       "constraint",
                                       "editable",
                                       "index-url",
                                       "extra-index-url",
                                       "find-links",
                                       "trusted-host",
                                       "target",
                                       "prefix",
                                       "root",
                                       "src",
                                       "upgrade-strategy",
                                       "platform",
                                       "python-version",
                                       "implementation",
                                       "abi",
                                       "no-binary",
                                       "only-binary",
                                       "progress-bar",
                                       "log",
                                       "cache-dir",
                                       "proxy",
                                       "retries",
                                       "timeout",
                                       "exists-action",
                                       "cert",
                                       "client-cert",
                                       "global-option",
                                       "install-option",
                                       "config-settings",
                                       "report",
                                       "python",
                                       "use-feature",
                                       "python-executable",
                                       NULL};
static const struct bh_cmdopts pip_opts = {"rceitfC", pip_long, false};

static const char *const npm_long[] = {
    "prefix",     "registry", "workspace",   "omit",   "include",          "loglevel", "cache",
    "userconfig", "tag",      "save-prefix", "before", "install-strategy", NULL};
static const struct bh_cmdopts npm_opts = {"w", npm_long, false};

static const char *const yarn_long[] = {
    "cwd", "modules-folder", "cache-folder", "registry", "network-timeout", "mutex", NULL};
static const struct bh_cmdopts yarn_opts = {"", yarn_long, false};

static const char *const gem_long[] = {"version",      "install-dir", "bindir", "source",
                                       "trust-policy", "platform",    NULL};
static const struct bh_cmdopts gem_opts = {"vinsP", gem_long, false};

static const char *const go_long[] = {"ldflags",    "gcflags", "asmflags", "tags",      "o",
                                      "C",          "p",       "mod",      "modfile",   "pkgdir",
                                      "toolexec",   "overlay", "pgo",      "buildmode", "compiler",
                                      "gccgoflags", NULL};
static const struct bh_cmdopts go_opts = {"", go_long, true};

static const char *const curl_long[] = {"output",
                                        "url",
                                        "user-agent",
                                        "cookie",
                                        "cookie-jar",
                                        "continue-at",
                                        "data",
                                        "data-binary",
                                        "data-raw",
                                        "data-urlencode",
                                        "dump-header",
                                        "referer",
                                        "cert",
                                        "cert-type",
                                        "key",
                                        "key-type",
                                        "form",
                                        "header",
                                        "config",
                                        "max-time",
                                        "quote",
                                        "range",
                                        "upload-file",
                                        "user",
                                        "proxy-user",
                                        "write-out",
                                        "proxy",
                                        "request",
                                        "speed-limit",
                                        "speed-time",
                                        "time-cond",
                                        "output-dir",
                                        "retry",
                                        "retry-delay",
                                        "retry-max-time",
                                        "connect-timeout",
                                        "cacert",
                                        "capath",
                                        "resolve",
                                        "limit-rate",
                                        "max-filesize",
                                        "interface",
                                        "proto",
                                        "proto-redir",
                                        "ciphers",
                                        "tls-max",
                                        "netrc-file",
                                        "unix-socket",
                                        "pinnedpubkey",
                                        "create-file-mode",
                                        NULL};
static const struct bh_cmdopts curl_opts = {"oAbcCdDeEFHKmPQrTtuUwxXyYz", curl_long, false};

static const char *const wget_long[] = {"output-file",
                                        "append-output",
                                        "output-document",
                                        "directory-prefix",
                                        "execute",
                                        "input-file",
                                        "user-agent",
                                        "tries",
                                        "timeout",
                                        "wait",
                                        "quota",
                                        "domains",
                                        "header",
                                        "user",
                                        "password",
                                        "post-data",
                                        "post-file",
                                        "referer",
                                        "ca-certificate",
                                        "ca-directory",
                                        "certificate",
                                        "private-key",
                                        NULL};
static const struct bh_cmdopts wget_opts = {"oaOPeiUtTwQDIXlARB", wget_long, false};

/* wrappers: sudo, env, ... */
static const char *const sudo_long[] = {"user",  "group",  "prompt", "close-from",
                                        "host",  "role",   "type",   "other-user",
                                        "chdir", "chroot", NULL};
static const struct bh_cmdopts sudo_opts = {"ugpChrtUDR", sudo_long, false};
static const char *const env_long[] = {"unset", "chdir", "split-string", NULL};
static const struct bh_cmdopts env_opts = {"uCS", env_long, false};
static const char *const nice_long[] = {"adjustment", NULL};
static const struct bh_cmdopts nice_opts = {"n", nice_long, false};
static const struct bh_cmdopts ionice_opts = {"cnpP", NULL, false};
static const struct bh_cmdopts plain_opts = {"", NULL, false};
static const struct bh_cmdopts exec_opts = {"a", NULL, false};
static const char *const timeout_long[] = {"signal", "kill-after", NULL};
static const struct bh_cmdopts timeout_opts = {"sk", timeout_long, false};
static const char *const stdbuf_long[] = {"input", "output", "error", NULL};
static const struct bh_cmdopts stdbuf_opts = {"ioe", stdbuf_long, false};
static const char *const xargs_long[] = {"arg-file",         "delimiter", "eof",       "replace",
                                         "max-lines",        "max-args",  "max-procs", "max-chars",
                                         "process-slot-var", NULL};
static const struct bh_cmdopts xargs_opts = {"adEIiLlnPs", xargs_long, false};
static const char *const runuser_long[] = {
    "user", "group", "supp-group", "command", "session-command", "shell", "whitelist-environment",
    NULL};
static const struct bh_cmdopts runuser_opts = {"ugGcsw", runuser_long, false};

struct wrapper {
    const char *name;
    const struct bh_cmdopts *opts;
    unsigned npos; /* positional words before the command (timeout DURATION, gosu USER) */
    bool assigns;  /* NAME=value words may precede the command (env) */
};

static const struct wrapper wrappers[] = {
    {"busybox", &plain_opts, 0, false},   {"chroot", &plain_opts, 1, false},
    {"doas", &sudo_opts, 0, false},       {"eatmydata", &plain_opts, 0, false},
    {"env", &env_opts, 0, true},          {"exec", &exec_opts, 0, false},
    {"fakeroot", &plain_opts, 0, false},  {"gosu", &plain_opts, 1, false},
    {"ionice", &ionice_opts, 0, false},   {"nice", &nice_opts, 0, false},
    {"nohup", &plain_opts, 0, false},     {"runuser", &runuser_opts, 0, false},
    {"stdbuf", &stdbuf_opts, 0, false},   {"su-exec", &plain_opts, 1, false},
    {"sudo", &sudo_opts, 0, true},        {"time", &plain_opts, 0, false},
    {"timeout", &timeout_opts, 1, false}, {"xargs", &xargs_opts, 0, false},
};

/* ---- option walking ---- */

enum { TOK_OPERAND, TOK_LONG, TOK_SHORT };

struct opt_it {
    const struct bh_shcmd *c;
    const struct bh_cmdopts *o;
    size_t i; /* current word */
    size_t k; /* next letter inside a short cluster; 0 when not in one */
    bool dashdash;
};

struct opt_tok {
    int kind;
    const char *name; /* long: name start (not NUL-terminated at '='); operand: the word */
    size_t nlen;
    char letter;
    const char *value;
    size_t word;
};

static bool in_list(const char *const *list, const char *name, size_t nlen)
{
    size_t i;

    for (i = 0; list && list[i]; i++) {
        if (strlen(list[i]) == nlen && memcmp(list[i], name, nlen) == 0)
            return true;
    }
    return false;
}

static const char *word_at(const struct bh_shcmd *c, size_t i)
{
    return i < c->argc && c->argv[i].text ? c->argv[i].text : "";
}

static bool opt_next(struct opt_it *it, struct opt_tok *t)
{
    const struct bh_shcmd *c = it->c;
    const char *w;

    memset(t, 0, sizeof(*t));
    if (it->k) {
        /* inside a cluster such as -fsSLo */
        w = word_at(c, it->i);
        t->kind = TOK_SHORT;
        t->letter = w[it->k];
        t->word = it->i;
        if (it->o->short_arg && strchr(it->o->short_arg, t->letter)) {
            if (w[it->k + 1]) {
                t->value = w + it->k + 1;
            } else if (it->i + 1 < c->argc) {
                t->value = word_at(c, it->i + 1);
                it->i++;
            } else {
                t->value = "";
            }
            it->k = 0;
            it->i++;
        } else if (w[it->k + 1]) {
            it->k++;
        } else {
            it->k = 0;
            it->i++;
        }
        return true;
    }
    if (it->i >= c->argc)
        return false;
    w = word_at(c, it->i);
    t->word = it->i;
    if (!it->dashdash && strcmp(w, "--") == 0) {
        it->dashdash = true;
        it->i++;
        return opt_next(it, t);
    }
    if (it->dashdash || w[0] != '-' || w[1] == '\0') {
        t->kind = TOK_OPERAND;
        t->name = w;
        t->nlen = strlen(w);
        it->i++;
        return true;
    }
    if (w[1] == '-' || it->o->single_dash_long) {
        const char *name = w + (w[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');

        t->kind = TOK_LONG;
        t->name = name;
        t->nlen = eq ? (size_t)(eq - name) : strlen(name);
        if (eq) {
            t->value = eq + 1;
        } else if (in_list(it->o->long_arg, name, t->nlen)) {
            t->value = it->i + 1 < c->argc ? word_at(c, it->i + 1) : "";
            it->i++;
        }
        it->i++;
        return true;
    }
    it->k = 1;
    return opt_next(it, t);
}

static void opt_init(struct opt_it *it, const struct bh_shcmd *c, size_t from,
                     const struct bh_cmdopts *o)
{
    memset(it, 0, sizeof(*it));
    it->c = c;
    it->o = o ? o : &plain_opts;
    it->i = from;
}

bool bh_cmdinfo_opt(const struct bh_shcmd *c, size_t from, const struct bh_cmdopts *o,
                    const char *lname, char sname, const char **value, size_t *word)
{
    struct opt_it it;
    struct opt_tok t;

    opt_init(&it, c, from, o);
    while (opt_next(&it, &t)) {
        bool hit = false;

        if (t.kind == TOK_LONG && lname)
            hit = strlen(lname) == t.nlen && memcmp(lname, t.name, t.nlen) == 0;
        else if (t.kind == TOK_SHORT && sname)
            hit = t.letter == sname;
        if (hit) {
            if (value)
                *value = t.value;
            if (word)
                *word = t.word;
            return true;
        }
    }
    return false;
}

size_t bh_cmdinfo_operands(struct bh_arena *a, const struct bh_shcmd *c, size_t from,
                           const struct bh_cmdopts *o, size_t **idx)
{
    struct opt_it it;
    struct opt_tok t;
    size_t n = 0, cap = 0;
    size_t *v = NULL;

    *idx = NULL;
    opt_init(&it, c, from, o);
    while (opt_next(&it, &t)) {
        size_t *slot;

        if (t.kind != TOK_OPERAND)
            continue;
        slot = BH_PUSH(a, v, n, cap);
        if (!slot)
            return 0;
        *slot = t.word;
    }
    *idx = v;
    return n;
}

/* first operand at or after from, or c->argc */
static size_t first_operand(const struct bh_shcmd *c, size_t from, const struct bh_cmdopts *o)
{
    struct opt_it it;
    struct opt_tok t;

    opt_init(&it, c, from, o);
    while (opt_next(&it, &t)) {
        if (t.kind == TOK_OPERAND)
            return t.word;
    }
    return c->argc;
}

/* ---- commands of a RUN ---- */

/*
 * The tokenizer also emits the command an `env`/`sudo`/`exec` wrapper runs as
 * its own entry (sharing the wrapper's argv words). We keep the wrapper, which
 * bh_cmdinfo_start() looks through, and drop the copy so nothing counts twice.
 */
static bool shadowed(const struct bh_shcmd *cmds, size_t k)
{
    size_t j, i, back = 0;

    if (k == 0 || cmds[k].argc == 0 || cmds[k].depth == 0)
        return false;
    for (j = k; j-- > 0 && back++ < BH_MAX_CMD_WRAPPERS;) {
        for (i = 1; i < cmds[j].argc; i++) {
            if (cmds[j].argv[i].text == cmds[k].argv[0].text)
                return true;
        }
        if (cmds[j].depth < cmds[k].depth - 1)
            break;
    }
    return false;
}

size_t bh_cmdinfo_run_cmds(struct bh_arena *a, const struct bh_instr *in,
                           const struct bh_shcmd **out)
{
    struct bh_shcmd *one, *keep;
    struct bh_word *w;
    size_t i, n = 0;

    *out = NULL;
    if (in->kind != BH_I_RUN)
        return 0;
    if (in->script.ncmds) {
        for (i = 0; i < in->script.ncmds && !shadowed(in->script.cmds, i); i++)
            ;
        if (i == in->script.ncmds) {
            *out = in->script.cmds;
            return in->script.ncmds;
        }
        keep = bh_arena_calloc(a, in->script.ncmds, sizeof(*keep));
        if (!keep)
            return 0;
        for (i = 0; i < in->script.ncmds; i++) {
            if (!shadowed(in->script.cmds, i))
                keep[n++] = in->script.cmds[i];
        }
        *out = keep;
        return n;
    }
    if (!in->json_form || in->argc == 0)
        return 0;
    /* exec form without a shell: the argv is the one command */
    one = bh_arena_alloc(a, sizeof(*one));
    w = bh_arena_calloc(a, in->argc, sizeof(*w));
    if (!one || !w)
        return 0;
    for (i = 0; i < in->argc; i++) {
        w[i].text = in->argv[i] ? in->argv[i] : "";
        w[i].line = in->loc.line;
        w[i].quoted = true;
    }
    one->argv = w;
    one->argc = in->argc;
    one->sep = "";
    one->line = in->loc.line;
    *out = one;
    return 1;
}

/* ---- the real command ---- */

static const char *base_of(const char *s)
{
    const char *slash = strrchr(s, '/');

    return slash ? slash + 1 : s;
}

const char *bh_cmdinfo_base(const struct bh_shcmd *c, size_t i)
{
    if (i >= c->argc || !c->argv[i].text)
        return "";
    return base_of(c->argv[i].text);
}

static const struct wrapper *find_wrapper(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
        if (strcmp(wrappers[i].name, name) == 0)
            return &wrappers[i];
    }
    return NULL;
}

static bool is_assign_word(const char *w)
{
    const char *eq = strchr(w, '=');
    const char *p;

    if (!eq || eq == w)
        return false;
    for (p = w; p < eq; p++) {
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (p > w && *p >= '0' && *p <= '9')))
            return false;
    }
    return true;
}

/* index after the wrapper at i (its options and positionals), or i when argv[i] is no wrapper */
static size_t skip_wrapper(const struct bh_shcmd *c, size_t i)
{
    const struct wrapper *wr = find_wrapper(bh_cmdinfo_base(c, i));
    size_t j, k;

    if (!wr)
        return i;
    j = first_operand(c, i + 1, wr->opts);
    if (wr->assigns) {
        while (j < c->argc && is_assign_word(word_at(c, j)))
            j++;
    }
    for (k = 0; k < wr->npos && j < c->argc; k++)
        j++;
    return j;
}

size_t bh_cmdinfo_start(const struct bh_shcmd *c)
{
    size_t i = 0, guard = 0;

    while (i < c->argc && guard++ < BH_MAX_CMD_WRAPPERS) {
        size_t next;

        /* `command -v x` only looks x up */
        if (strcmp(bh_cmdinfo_base(c, i), "command") == 0) {
            if (i + 1 < c->argc && word_at(c, i + 1)[0] == '-')
                return c->argc;
            i++;
            continue;
        }
        next = skip_wrapper(c, i);
        if (next == i)
            return i;
        i = next;
    }
    return i < c->argc ? i : c->argc;
}

const char *bh_cmdinfo_name(const struct bh_shcmd *c)
{
    return bh_cmdinfo_base(c, bh_cmdinfo_start(c));
}

bool bh_cmdinfo_uses(const struct bh_shcmd *c, const char *name, size_t *where)
{
    size_t i = 0, guard = 0;

    while (i < c->argc && guard++ < BH_MAX_CMD_WRAPPERS) {
        size_t next;

        if (strcmp(bh_cmdinfo_base(c, i), name) == 0) {
            if (where)
                *where = i;
            return true;
        }
        if (strcmp(bh_cmdinfo_base(c, i), "command") == 0) {
            i++;
            continue;
        }
        next = skip_wrapper(c, i);
        if (next == i)
            return false;
        i = next;
    }
    return false;
}

const struct bh_word *bh_cmdinfo_assign(const struct bh_shcmd *c, size_t n)
{
    size_t i = 0, guard = 0;

    if (n < c->nassigns)
        return &c->assigns[n];
    n -= c->nassigns;
    /* NAME=value words of env / sudo wrappers */
    while (i < c->argc && guard++ < BH_MAX_CMD_WRAPPERS) {
        const struct wrapper *wr = find_wrapper(bh_cmdinfo_base(c, i));
        size_t j;

        if (!wr)
            return NULL;
        j = first_operand(c, i + 1, wr->opts);
        if (wr->assigns) {
            for (; j < c->argc && is_assign_word(word_at(c, j)); j++) {
                if (n == 0)
                    return &c->argv[j];
                n--;
            }
        }
        i = skip_wrapper(c, i);
    }
    return NULL;
}

/* ---- package managers ---- */

struct verbmap {
    enum bh_pm pm;
    const char *word;
    enum bh_pm_verb verb;
};

static const struct verbmap verbs[] = {
    {BH_PM_APT, "install", BH_PMV_INSTALL},
    {BH_PM_APT, "reinstall", BH_PMV_INSTALL},
    {BH_PM_APT, "satisfy", BH_PMV_INSTALL},
    {BH_PM_APT, "build-dep", BH_PMV_INSTALL},
    {BH_PM_APT, "update", BH_PMV_REFRESH},
    {BH_PM_APT, "upgrade", BH_PMV_UPGRADE},
    {BH_PM_APT, "dist-upgrade", BH_PMV_UPGRADE},
    {BH_PM_APT, "full-upgrade", BH_PMV_UPGRADE},
    {BH_PM_APT, "safe-upgrade", BH_PMV_UPGRADE},
    {BH_PM_APT, "remove", BH_PMV_REMOVE},
    {BH_PM_APT, "purge", BH_PMV_REMOVE},
    {BH_PM_APT, "autoremove", BH_PMV_REMOVE},
    {BH_PM_APT, "clean", BH_PMV_CLEAN},
    {BH_PM_APT, "autoclean", BH_PMV_CLEAN},
    {BH_PM_APK, "add", BH_PMV_INSTALL},
    {BH_PM_APK, "update", BH_PMV_REFRESH},
    {BH_PM_APK, "upgrade", BH_PMV_UPGRADE},
    {BH_PM_APK, "del", BH_PMV_REMOVE},
    {BH_PM_APK, "cache", BH_PMV_CLEAN},
    {BH_PM_YUM, "install", BH_PMV_INSTALL},
    {BH_PM_YUM, "groupinstall", BH_PMV_INSTALL},
    {BH_PM_YUM, "localinstall", BH_PMV_INSTALL},
    {BH_PM_YUM, "reinstall", BH_PMV_INSTALL},
    {BH_PM_YUM, "makecache", BH_PMV_REFRESH},
    {BH_PM_YUM, "update", BH_PMV_UPGRADE},
    {BH_PM_YUM, "upgrade", BH_PMV_UPGRADE},
    {BH_PM_YUM, "update-minimal", BH_PMV_UPGRADE},
    {BH_PM_YUM, "upgrade-minimal", BH_PMV_UPGRADE},
    {BH_PM_YUM, "distro-sync", BH_PMV_UPGRADE},
    {BH_PM_YUM, "distribution-synchronization", BH_PMV_UPGRADE},
    {BH_PM_YUM, "remove", BH_PMV_REMOVE},
    {BH_PM_YUM, "erase", BH_PMV_REMOVE},
    {BH_PM_YUM, "autoremove", BH_PMV_REMOVE},
    {BH_PM_YUM, "clean", BH_PMV_CLEAN},
    {BH_PM_ZYPPER, "install", BH_PMV_INSTALL},
    {BH_PM_ZYPPER, "in", BH_PMV_INSTALL},
    {BH_PM_ZYPPER, "refresh", BH_PMV_REFRESH},
    {BH_PM_ZYPPER, "ref", BH_PMV_REFRESH},
    {BH_PM_ZYPPER, "update", BH_PMV_UPGRADE},
    {BH_PM_ZYPPER, "up", BH_PMV_UPGRADE},
    {BH_PM_ZYPPER, "dist-upgrade", BH_PMV_UPGRADE},
    {BH_PM_ZYPPER, "dup", BH_PMV_UPGRADE},
    {BH_PM_ZYPPER, "patch", BH_PMV_UPGRADE},
    {BH_PM_ZYPPER, "remove", BH_PMV_REMOVE},
    {BH_PM_ZYPPER, "rm", BH_PMV_REMOVE},
    {BH_PM_ZYPPER, "clean", BH_PMV_CLEAN},
    {BH_PM_ZYPPER, "cc", BH_PMV_CLEAN},
    {BH_PM_PIP, "install", BH_PMV_INSTALL},
    {BH_PM_PIP, "uninstall", BH_PMV_REMOVE},
    {BH_PM_PIP, "cache", BH_PMV_CLEAN},
    {BH_PM_NPM, "install", BH_PMV_INSTALL},
    {BH_PM_NPM, "i", BH_PMV_INSTALL},
    {BH_PM_NPM, "in", BH_PMV_INSTALL},
    {BH_PM_NPM, "add", BH_PMV_INSTALL},
    {BH_PM_NPM, "isntall", BH_PMV_INSTALL},
    {BH_PM_NPM, "ci", BH_PMV_INSTALL},
    {BH_PM_NPM, "clean-install", BH_PMV_INSTALL},
    {BH_PM_NPM, "update", BH_PMV_UPGRADE},
    {BH_PM_NPM, "up", BH_PMV_UPGRADE},
    {BH_PM_NPM, "upgrade", BH_PMV_UPGRADE},
    {BH_PM_NPM, "uninstall", BH_PMV_REMOVE},
    {BH_PM_NPM, "remove", BH_PMV_REMOVE},
    {BH_PM_NPM, "rm", BH_PMV_REMOVE},
    {BH_PM_NPM, "cache", BH_PMV_CLEAN},
    {BH_PM_YARN, "add", BH_PMV_INSTALL},
    {BH_PM_YARN, "install", BH_PMV_INSTALL},
    {BH_PM_YARN, "upgrade", BH_PMV_UPGRADE},
    {BH_PM_YARN, "remove", BH_PMV_REMOVE},
    {BH_PM_YARN, "cache", BH_PMV_CLEAN},
    {BH_PM_GEM, "install", BH_PMV_INSTALL},
    {BH_PM_GEM, "update", BH_PMV_UPGRADE},
    {BH_PM_GEM, "uninstall", BH_PMV_REMOVE},
    {BH_PM_GEM, "cleanup", BH_PMV_CLEAN},
    {BH_PM_GO, "install", BH_PMV_INSTALL},
    {BH_PM_GO, "get", BH_PMV_INSTALL},
};

static enum bh_pm verb_family(enum bh_pm pm)
{
    /* dnf and microdnf share yum's verbs */
    return pm == BH_PM_DNF || pm == BH_PM_MICRODNF ? BH_PM_YUM : pm;
}

static enum bh_pm_verb verb_of(enum bh_pm pm, const char *w)
{
    size_t i;

    for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (verbs[i].pm == verb_family(pm) && strcmp(verbs[i].word, w) == 0)
            return verbs[i].verb;
    }
    return BH_PMV_OTHER;
}

static bool is_pip_name(const char *b)
{
    const char *p;

    if (strncmp(b, "pip", 3) != 0)
        return false;
    for (p = b + 3; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return false;
    }
    return true;
}

static bool is_python_name(const char *b)
{
    const char *p;

    if (strncmp(b, "python", 6) != 0)
        return false;
    for (p = b + 6; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return false;
    }
    return true;
}

static const struct bh_cmdopts *opts_of(enum bh_pm pm)
{
    switch (pm) {
    case BH_PM_APT:
        return &apt_opts;
    case BH_PM_APK:
        return &apk_opts;
    case BH_PM_YUM:
    case BH_PM_DNF:
    case BH_PM_MICRODNF:
        return &rpmm_opts;
    case BH_PM_ZYPPER:
        return &zypper_opts;
    case BH_PM_RPM:
        return &rpm_opts;
    case BH_PM_DPKG:
        return &dpkg_opts;
    case BH_PM_PIP:
        return &pip_opts;
    case BH_PM_NPM:
        return &npm_opts;
    case BH_PM_YARN:
        return &yarn_opts;
    case BH_PM_GEM:
        return &gem_opts;
    case BH_PM_GO:
        return &go_opts;
    case BH_PM_NONE:
        break;
    }
    return &plain_opts;
}

static enum bh_pm pm_of_name(const char *b)
{
    static const struct {
        const char *name;
        enum bh_pm pm;
    } names[] = {
        {"apt-get", BH_PM_APT},   {"apt", BH_PM_APT},   {"aptitude", BH_PM_APT},
        {"apk", BH_PM_APK},       {"yum", BH_PM_YUM},   {"dnf", BH_PM_DNF},
        {"dnf5", BH_PM_DNF},      {"tdnf", BH_PM_DNF},  {"microdnf", BH_PM_MICRODNF},
        {"zypper", BH_PM_ZYPPER}, {"rpm", BH_PM_RPM},   {"dpkg", BH_PM_DPKG},
        {"npm", BH_PM_NPM},       {"yarn", BH_PM_YARN}, {"gem", BH_PM_GEM},
        {"go", BH_PM_GO},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, b) == 0)
            return names[i].pm;
    }
    return is_pip_name(b) ? BH_PM_PIP : BH_PM_NONE;
}

/* rpm and dpkg say what to do with options, not subcommands */
static enum bh_pm_verb verb_by_option(const struct bh_shcmd *c, const struct bh_pmcmd *p)
{
    if (p->pm == BH_PM_RPM) {
        if (bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "install", 'i', NULL, NULL) ||
            bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "upgrade", 'U', NULL, NULL) ||
            bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "freshen", 'F', NULL, NULL))
            return BH_PMV_INSTALL;
        if (bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "erase", 'e', NULL, NULL))
            return BH_PMV_REMOVE;
    } else if (p->pm == BH_PM_DPKG) {
        if (bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "install", 'i', NULL, NULL))
            return BH_PMV_INSTALL;
        if (bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "remove", 'r', NULL, NULL) ||
            bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, "purge", 'P', NULL, NULL))
            return BH_PMV_REMOVE;
    }
    return BH_PMV_OTHER;
}

bool bh_cmdinfo_pm(struct bh_arena *a, const struct bh_shcmd *c, struct bh_pmcmd *out)
{
    size_t s = bh_cmdinfo_start(c);
    const char *b = bh_cmdinfo_base(c, s);
    enum bh_pm pm;

    memset(out, 0, sizeof(*out));
    if (s >= c->argc)
        return false;
    pm = pm_of_name(b);
    if (pm == BH_PM_NONE && is_python_name(b)) {
        /* python -m pip install ... */
        static const struct bh_cmdopts py_opts = {"cWX", NULL, false};
        size_t m;

        for (m = s + 1; m < c->argc; m++) {
            const char *w = word_at(c, m);

            if (strcmp(w, "-m") == 0 && m + 1 < c->argc && is_pip_name(word_at(c, m + 1))) {
                pm = BH_PM_PIP;
                s = m + 1;
                break;
            }
            if (strcmp(w, "-mpip") == 0) {
                pm = BH_PM_PIP;
                s = m;
                break;
            }
            /* python's own options come before -m; anything else is a script */
            if (w[0] != '-' || (py_opts.short_arg && strchr(py_opts.short_arg, w[1]) && !w[2]))
                break;
        }
    } else if (pm == BH_PM_NONE && strcmp(b, "uv") == 0 && s + 1 < c->argc &&
               strcmp(word_at(c, s + 1), "pip") == 0) {
        pm = BH_PM_PIP;
        s = s + 1;
    }
    if (pm == BH_PM_NONE)
        return false;
    out->pm = pm;
    out->tool = pm == BH_PM_PIP && word_at(c, s)[0] == '-' ? "pip" : bh_cmdinfo_base(c, s);
    out->tool_at = s;
    out->opts = opts_of(pm);
    out->verb_at = c->argc;
    if (pm == BH_PM_RPM || pm == BH_PM_DPKG) {
        out->verb = verb_by_option(c, out);
        out->npkgs = bh_cmdinfo_operands(a, c, s + 1, out->opts, &out->pkgs);
        return true;
    }
    out->verb_at = first_operand(c, s + 1, out->opts);
    if (out->verb_at < c->argc) {
        const char *w = word_at(c, out->verb_at);
        size_t from = out->verb_at + 1;

        out->verb_word = w;
        out->verb = verb_of(pm, w);
        if (out->verb == BH_PMV_CLEAN && strcmp(w, "cache") == 0) {
            /* `apk cache clean`, `npm cache clean`, `pip cache purge`: only those clean */
            size_t sub = first_operand(c, from, out->opts);
            const char *sw = word_at(c, sub);

            if (!(strcmp(sw, "clean") == 0 || strcmp(sw, "purge") == 0 ||
                  strcmp(sw, "remove") == 0))
                out->verb = BH_PMV_OTHER;
            from = sub < c->argc ? sub + 1 : sub;
        }
        if ((pm == BH_PM_YUM || pm == BH_PM_DNF) &&
            (strcmp(w, "group") == 0 || strcmp(w, "groups") == 0)) {
            size_t sub = first_operand(c, from, out->opts);

            if (strcmp(word_at(c, sub), "install") == 0) {
                out->verb = BH_PMV_INSTALL;
                from = sub + 1;
            }
        }
        out->npkgs = bh_cmdinfo_operands(a, c, from, out->opts, &out->pkgs);
    } else if (pm == BH_PM_YARN) {
        out->verb = BH_PMV_INSTALL; /* bare `yarn` installs from package.json */
    }
    return true;
}

bool bh_cmdinfo_pm_opt(const struct bh_shcmd *c, const struct bh_pmcmd *p, const char *lname,
                       char sname, const char **value)
{
    return bh_cmdinfo_opt(c, p->tool_at + 1, p->opts, lname, sname, value, NULL);
}

const char *bh_cmdinfo_pm_name(enum bh_pm pm)
{
    switch (pm) {
    case BH_PM_APT:
        return "apt-get";
    case BH_PM_APK:
        return "apk";
    case BH_PM_YUM:
        return "yum";
    case BH_PM_DNF:
        return "dnf";
    case BH_PM_MICRODNF:
        return "microdnf";
    case BH_PM_ZYPPER:
        return "zypper";
    case BH_PM_RPM:
        return "rpm";
    case BH_PM_DPKG:
        return "dpkg";
    case BH_PM_PIP:
        return "pip";
    case BH_PM_NPM:
        return "npm";
    case BH_PM_YARN:
        return "yarn";
    case BH_PM_GEM:
        return "gem";
    case BH_PM_GO:
        return "go";
    case BH_PM_NONE:
        break;
    }
    return "";
}

bool bh_cmdinfo_pm_is_os(enum bh_pm pm)
{
    return pm == BH_PM_APT || pm == BH_PM_APK || pm == BH_PM_YUM || pm == BH_PM_DNF ||
           pm == BH_PM_MICRODNF || pm == BH_PM_ZYPPER;
}

bool bh_cmdinfo_has_var(const char *w)
{
    return strchr(w, '$') != NULL || strchr(w, '`') != NULL;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* a package file or a path: cannot float to a newer version by itself */
static bool is_local_pkg(const char *s)
{
    static const char *const exts[] = {".deb", ".rpm", ".apk",     ".whl",    ".tar.gz", ".tgz",
                                       ".zip", ".gem", ".tar.bz2", ".tar.xz", NULL};
    size_t i;

    if (strchr(s, '/') || s[0] == '.' || s[0] == '~')
        return true;
    for (i = 0; exts[i]; i++) {
        if (bh_str_isuffix(s, exts[i]))
            return true;
    }
    return false;
}

/* npm exact version: [v]MAJOR.MINOR.PATCH with optional -pre / +build */
static bool is_semver_exact(const char *v)
{
    int parts = 0;

    if (*v == 'v' || *v == '=')
        v++;
    while (parts < 3) {
        if (!is_digit(*v))
            return false;
        while (is_digit(*v))
            v++;
        parts++;
        if (parts < 3) {
            if (*v != '.')
                return false;
            v++;
        }
    }
    return *v == '\0' || *v == '-' || *v == '+';
}

bool bh_cmdinfo_pkg_pinned(enum bh_pm pm, const char *s)
{
    const char *dash, *at;

    switch (pm) {
    case BH_PM_APT:
        /* `pkg/bookworm-backports` picks a release, not a version */
        return strchr(s, '=') != NULL || bh_str_suffix(s, ".deb") || s[0] == '/' || s[0] == '.';
    case BH_PM_APK:
        return strpbrk(s, "=~<>") != NULL || is_local_pkg(s);
    case BH_PM_ZYPPER:
        return strpbrk(s, "=<>") != NULL || is_local_pkg(s);
    case BH_PM_YUM:
    case BH_PM_DNF:
    case BH_PM_MICRODNF:
        if (s[0] == '@' || is_local_pkg(s) || strstr(s, "://"))
            return true; /* groups/modules, files, URLs */
        dash = strrchr(s, '-');
        return dash && is_digit(dash[1]);
    case BH_PM_PIP:
        if (strstr(s, "==") || is_local_pkg(s))
            return true;
        /* pkg @ url and git+https://...@ref name a fixed source */
        return strchr(s, '@') != NULL && strstr(s, "://") != NULL;
    case BH_PM_NPM:
        /* scoped names (@scope/pkg) have a slash, so only explicit paths are local */
        if (s[0] == '.' || s[0] == '/' || s[0] == '~' || strncmp(s, "file:", 5) == 0 ||
            bh_str_suffix(s, ".tgz") || bh_str_suffix(s, ".tar.gz"))
            return true;
        if (strstr(s, "://") || strncmp(s, "github:", 7) == 0)
            return strchr(s, '#') != NULL;
        at = strrchr(s, '@');
        if (!at || at == s)
            return false;
        return is_semver_exact(at + 1);
    case BH_PM_GEM:
        return strchr(s, ':') != NULL || is_local_pkg(s);
    case BH_PM_GO:
        if (s[0] == '.' || s[0] == '/')
            return true;
        at = strrchr(s, '@');
        if (!at)
            return true; /* resolved through the current module's go.mod */
        at++;
        if (*at == 'v' && is_digit(at[1]))
            return true;
        return bh_cmdinfo_is_hex(at, 12);
    case BH_PM_YARN:
    case BH_PM_RPM:
    case BH_PM_DPKG:
    case BH_PM_NONE:
        break;
    }
    return true;
}

const char *bh_cmdinfo_pkg_name(struct bh_arena *a, enum bh_pm pm, const char *s)
{
    size_t n = strlen(s);
    const char *cut = NULL;
    char *r;

    switch (pm) {
    case BH_PM_APT:
        cut = strpbrk(s, "=/");
        break;
    case BH_PM_APK:
    case BH_PM_ZYPPER:
        cut = strpbrk(s, "=~<>");
        break;
    case BH_PM_PIP:
        cut = strpbrk(s, "=<>!~[; @");
        break;
    case BH_PM_NPM:
        cut = s[0] ? strchr(s + 1, '@') : NULL;
        break;
    case BH_PM_GEM:
        cut = strchr(s, ':');
        break;
    case BH_PM_GO:
        cut = strchr(s, '@');
        break;
    case BH_PM_YUM:
    case BH_PM_DNF:
    case BH_PM_MICRODNF: {
        const char *dash = strrchr(s, '-');

        if (dash && is_digit(dash[1])) {
            /* name-version-release: the version starts at the first "-<digit>" */
            const char *p;

            for (p = s; p < dash; p++) {
                if (*p == '-' && is_digit(p[1]))
                    break;
            }
            cut = p;
        }
        break;
    }
    case BH_PM_YARN:
    case BH_PM_RPM:
    case BH_PM_DPKG:
    case BH_PM_NONE:
        break;
    }
    if (!cut || cut == s)
        return s;
    r = bh_arena_strndup(a, s, (size_t)(cut - s));
    (void)n;
    return r ? r : s;
}

/* ---- downloads and interpreters ---- */

static bool is_url(const char *s)
{
    return bh_str_iprefix(s, "http://") || bh_str_iprefix(s, "https://") ||
           bh_str_iprefix(s, "ftp://") || bh_str_iprefix(s, "ftps://");
}

bool bh_cmdinfo_fetch(const struct bh_shcmd *c, struct bh_fetch *out)
{
    size_t s = bh_cmdinfo_start(c);
    const char *b = bh_cmdinfo_base(c, s);
    const struct bh_cmdopts *o;
    struct opt_it it;
    struct opt_tok t;
    bool remote_name = false;
    const char *v = NULL;

    memset(out, 0, sizeof(*out));
    if (strcmp(b, "curl") == 0)
        o = &curl_opts;
    else if (strcmp(b, "wget") == 0)
        o = &wget_opts;
    else
        return false;
    out->tool = b;
    out->tool_at = s;
    opt_init(&it, c, s + 1, o);
    while (opt_next(&it, &t)) {
        if (t.kind == TOK_OPERAND && (!out->url || (!is_url(out->url) && is_url(t.name))))
            out->url = t.name;
    }
    if (o == &curl_opts) {
        if (bh_cmdinfo_opt(c, s + 1, o, "output", 'o', &v, NULL) && v && strcmp(v, "-") != 0)
            out->outfile = v;
        else if (bh_cmdinfo_opt(c, s + 1, o, "remote-name", 'O', NULL, NULL) ||
                 bh_cmdinfo_opt(c, s + 1, o, "remote-name-all", 0, NULL, NULL))
            remote_name = true;
    } else {
        if (bh_cmdinfo_opt(c, s + 1, o, "output-document", 'O', &v, NULL)) {
            if (v && strcmp(v, "-") != 0 && strcmp(v, "/dev/stdout") != 0)
                out->outfile = v;
        } else {
            remote_name = true;
        }
    }
    if (remote_name && out->url)
        out->outfile = out->url; /* callers take the base name */
    return true;
}

bool bh_cmdinfo_is_interpreter(const char *b)
{
    static const char *const names[] = {"sh",   "bash", "zsh",  "dash",   "ash", "ksh", "mksh",
                                        "perl", "ruby", "node", "nodejs", "php", NULL};
    size_t i;

    for (i = 0; names[i]; i++) {
        if (strcmp(names[i], b) == 0)
            return true;
    }
    return is_python_name(b);
}

bool bh_cmdinfo_has_fetch_subst(const char *text)
{
    static const char *const openers[] = {"$(", "<(", "`", NULL};
    size_t i;

    for (i = 0; openers[i]; i++) {
        const char *p = text;

        while ((p = strstr(p, openers[i])) != NULL) {
            const char *q = p + strlen(openers[i]);

            while (*q == ' ' || *q == '\t')
                q++;
            if (strncmp(q, "curl", 4) == 0 || strncmp(q, "wget", 4) == 0)
                return true;
            p = q;
        }
    }
    return false;
}

const char *bh_cmdinfo_basename(struct bh_arena *a, const char *path)
{
    const char *end = path + strcspn(path, "?#");
    const char *start;
    char *r;

    while (end > path && end[-1] == '/')
        end--;
    start = end;
    while (start > path && start[-1] != '/')
        start--;
    r = bh_arena_strndup(a, start, (size_t)(end - start));
    return r ? r : path;
}

bool bh_cmdinfo_is_hex(const char *s, size_t minlen)
{
    size_t n = 0;

    for (; s[n]; n++) {
        char ch = s[n];

        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return false;
    }
    return n >= minlen;
}
