/*
 * content.c - rules about what a build puts into an image or declares about
 * it: secrets in ENV/ARG and copied files, an SSH server, attack tooling,
 * setuid bits, VOLUMEs on sensitive or engine-socket paths, and HEALTHCHECK.
 * Only stages that ship are read, unless a rule says otherwise. Some rules
 * also judge a running container (bh_runspec: env, ports, host mounts) with
 * the same lists, so one rule has one notion of a secret, a socket, a system path.
 */
#include "rules/groups.h"
#include "rules/image_checks.h"
#include "rules/secretnames.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "model/imageref.h"
#include "model/norm.h"

#include <fnmatch.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

static bool stage_ships(const struct bh_buildspec *bs, int s)
{
    return s >= 0 && bh_buildspec_stage_ships(bs, s);
}

static const char *label(struct bh_rule_ctx *c, const struct bh_buildspec *bs, int s)
{
    return bh_buildspec_stage_label(c->arena, bs, s);
}

static const struct bh_flag *find_flag(const struct bh_instr *in, const char *name)
{
    size_t i;

    for (i = 0; i < in->nflags; i++) {
        if (bh_str_ieq(in->flags[i].name, name))
            return &in->flags[i];
    }
    return NULL;
}

/* The last path component of p (trailing slashes ignored) as (ptr, len). */
static const char *base_of(const char *p, size_t *len)
{
    size_t n = strlen(p);
    size_t i;

    while (n > 1 && p[n - 1] == '/')
        n--;
    i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    *len = n - i;
    return p + i;
}

/* The basename of p as an arena string ("" on allocation failure). */
static const char *base_dup(struct bh_arena *a, const char *p)
{
    size_t n;
    const char *b = base_of(p, &n);
    char *r = bh_arena_strndup(a, b, n);

    return r ? r : "";
}

static bool is_ident(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static bool is_alnum(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/*
 * N4: make an absolute container path canonical - collapse `//` and `/./`,
 * apply `..`, drop trailing slashes, and fold the /var/run symlink into /run.
 * NULL for a relative path, a path with an unresolved variable or one longer
 * than BH_MAX_PATH.
 */
static const char *norm_path(struct bh_arena *a, const char *p)
{
    size_t n = strlen(p), i = 0, o = 0;
    char *out;

    if (n == 0 || p[0] != '/' || n > BH_MAX_PATH || strchr(p, '$'))
        return NULL;
    out = bh_arena_alloc(a, n + 2);
    if (!out)
        return NULL;
    while (i < n) {
        size_t s, l;

        while (i < n && p[i] == '/')
            i++;
        s = i;
        while (i < n && p[i] != '/')
            i++;
        l = i - s;
        if (l == 0 || (l == 1 && p[s] == '.'))
            continue;
        if (l == 2 && p[s] == '.' && p[s + 1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* drop the slash too; `..` above the root stays at the root */
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, p + s, l);
        o += l;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    if (strcmp(out, "/var/run") == 0)
        return "/run";
    if (strncmp(out, "/var/run/", 9) == 0)
        return bh_arena_printf(a, "/run/%s", out + 9);
    return out;
}

/* path equals dir or lies below it, on a component boundary (`/etcd` is not under `/etc`). */
static bool path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    if (strcmp(dir, "/") == 0)
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Join a WORKDIR-relative path onto dir (both may be NULL/relative: then NULL). */
static const char *join_path(struct bh_arena *a, const char *dir, const char *p)
{
    if (!p || !*p)
        return NULL;
    if (p[0] == '/')
        return norm_path(a, p);
    return norm_path(a, bh_arena_printf(a, "%s/%s", dir ? dir : "/", p));
}

/*
 * A sorted (key, idx) index, so lookups over a scan stay O(n log n) however
 * many instructions or commands a hostile Dockerfile holds. Keys are
 * (ptr, len) so they can point into instruction text without copying.
 */
struct sidx {
    const char *key;
    size_t klen;
    size_t idx;
};

struct sindex {
    struct sidx *v;
    size_t n, cap;
};

static void sindex_add(struct bh_arena *a, struct sindex *x, const char *key, size_t klen,
                       size_t idx)
{
    struct sidx *e = BH_PUSH(a, x->v, x->n, x->cap);

    if (e) {
        e->key = key;
        e->klen = klen;
        e->idx = idx;
    }
}

static int sidx_keycmp(const char *a, size_t al, const char *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);

    if (r != 0)
        return r;
    return al < bl ? -1 : al > bl;
}

static int sidx_cmp(const void *pa, const void *pb)
{
    const struct sidx *a = pa, *b = pb;
    int r = sidx_keycmp(a->key, a->klen, b->key, b->klen);

    if (r != 0)
        return r;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void sindex_sort(struct sindex *x)
{
    if (x->n > 1)
        qsort(x->v, x->n, sizeof(*x->v), sidx_cmp);
}

/* Position of the first entry not below (key, min_idx). */
static size_t sindex_lower(const struct sindex *x, const char *key, size_t klen, size_t min_idx)
{
    size_t lo = 0, hi = x->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct sidx *e = &x->v[mid];
        int r = sidx_keycmp(e->key, e->klen, key, klen);

        if (r < 0 || (r == 0 && e->idx < min_idx))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first entry with this key and idx >= min_idx, or NULL. */
static const struct sidx *sindex_find(const struct sindex *x, const char *key, size_t klen,
                                      size_t min_idx)
{
    size_t i = sindex_lower(x, key, klen, min_idx);

    if (i < x->n && sidx_keycmp(x->v[i].key, x->v[i].klen, key, klen) == 0)
        return &x->v[i];
    return NULL;
}

/* The entry with this key and the largest idx, or NULL. */
static const struct sidx *sindex_last(const struct sindex *x, const char *key, size_t klen)
{
    size_t i = sindex_lower(x, key, klen, (size_t)-1);

    if (i > 0 && sidx_keycmp(x->v[i - 1].key, x->v[i - 1].klen, key, klen) == 0)
        return &x->v[i - 1];
    return NULL;
}

/*
 * The words of one simple command. Exec-form RUNs that are not `sh -c`
 * have no script, so their argv is turned into one command here.
 */
struct cmdv {
    const char **w;
    size_t n;
    int line;
    bool unwrapped; /* from the shell tokenizer, which lists `sudo X` / `env A=1 X` as X too */
};

/* Fill *out with the commands of a RUN (or CMD/ENTRYPOINT) instruction. */
static size_t instr_cmds(struct bh_arena *a, const struct bh_instr *in, struct cmdv **out)
{
    struct cmdv *v;
    size_t i, k;

    *out = NULL;
    if (in->script.ncmds > 0) {
        v = bh_arena_calloc(a, in->script.ncmds, sizeof(*v));
        if (!v)
            return 0;
        for (i = 0; i < in->script.ncmds; i++) {
            const struct bh_shcmd *sc = &in->script.cmds[i];

            v[i].w = bh_arena_calloc(a, sc->argc + 1, sizeof(*v[i].w));
            if (!v[i].w)
                return 0;
            for (k = 0; k < sc->argc; k++)
                v[i].w[k] = sc->argv[k].text ? sc->argv[k].text : "";
            v[i].n = sc->argc;
            v[i].line = sc->line > 0 ? sc->line : in->loc.line;
            v[i].unwrapped = true;
        }
        *out = v;
        return in->script.ncmds;
    }
    if (in->json_form && in->argc > 0) {
        v = bh_arena_calloc(a, 1, sizeof(*v));
        if (!v)
            return 0;
        v->w = in->argv;
        v->n = in->argc;
        v->line = in->loc.line;
        *out = v;
        return 1;
    }
    return 0;
}

/*
 * Index of the real command after `sudo [-opts]` / `env [VAR=x]` prefixes.
 * For tokenizer output the wrapper is skipped whole (returns n): the wrapped
 * command follows as its own entry, and reading both would report it twice.
 */
static size_t cmd_start(const struct cmdv *c)
{
    size_t i = 0;

    while (i < c->n) {
        size_t bl;
        const char *b = base_of(c->w[i], &bl);

        if (bh_str_ieqn(b, bl, "sudo") || bh_str_ieqn(b, bl, "doas") || bh_str_ieqn(b, bl, "env")) {
            if (c->unwrapped)
                return c->n;
            i++;
            while (i < c->n && (c->w[i][0] == '-' || strchr(c->w[i], '=')))
                i++;
            continue;
        }
        break;
    }
    return i;
}

static bool word_is(const char *w, const char *const *set)
{
    size_t i;

    for (i = 0; set[i]; i++) {
        if (strcmp(w, set[i]) == 0)
            return true;
    }
    return false;
}

/* ------------------------------------------------------- package commands */

enum pkg_op { PKG_NONE, PKG_INSTALL, PKG_REMOVE };

struct pkgcmd {
    enum pkg_op op;
    const char *mgr;   /* "apt", "apk", "yum", "zypper", "pip" */
    const char *virt;  /* apk add --virtual NAME */
    const char **pkgs; /* package words as written */
    size_t npkgs;
};

/* Options that take the next word as their value, per package manager. */
static const char *const apt_valopts[] = {
    "-o", "-t", "-c", "--option", "--target-release", "--config-file", "--default-release", NULL};
static const char *const apk_valopts[] = {
    "-t",     "--virtual",           "-X",     "--repository", "-p",
    "--root", "--repositories-file", "--arch", "--keys-dir",   "--cache-dir",
    NULL};
static const char *const yum_valopts[] = {
    "-c",           "-x",           "--exclude",     "--config", "--installroot",
    "--releasever", "--enablerepo", "--disablerepo", "--setopt", "-d",
    "-e",           "--repo",       "--repoid",      NULL};
static const char *const zyp_valopts[] = {"-t", "--type", "-r", "--repo", "--from", "-p", NULL};
static const char *const pip_valopts[] = {"-r",
                                          "--requirement",
                                          "-c",
                                          "--constraint",
                                          "-i",
                                          "--index-url",
                                          "--extra-index-url",
                                          "-t",
                                          "--target",
                                          "--prefix",
                                          "--root",
                                          "-f",
                                          "--find-links",
                                          "-e",
                                          "--editable",
                                          "--trusted-host",
                                          "--platform",
                                          "--python-version",
                                          "--src",
                                          "--cache-dir",
                                          NULL};

/*
 * Recognise a package install or removal in one command. Words holding an
 * unexpanded variable are kept; callers ignore what they cannot name.
 */
static void pkg_parse(struct bh_arena *a, const struct cmdv *c, struct pkgcmd *out)
{
    size_t i = cmd_start(c), bl;
    const char *b;
    const char *const *valopts = NULL;
    const char *const *inst = NULL, *const *rem = NULL;
    static const char *const apt_inst[] = {"install", NULL};
    static const char *const apt_rem[] = {"remove", "purge", "autoremove", NULL};
    static const char *const apk_inst[] = {"add", NULL};
    static const char *const apk_rem[] = {"del", NULL};
    static const char *const yum_inst[] = {"install", NULL};
    static const char *const yum_rem[] = {"remove", "erase", "autoremove", NULL};
    static const char *const zyp_inst[] = {"install", "in", NULL};
    static const char *const zyp_rem[] = {"remove", "rm", NULL};
    static const char *const pip_inst[] = {"install", NULL};
    static const char *const pip_rem[] = {"uninstall", NULL};
    bool sub_found = false;

    memset(out, 0, sizeof(*out));
    if (i >= c->n)
        return;
    b = base_of(c->w[i], &bl);
    if (bh_str_ieqn(b, bl, "apt-get") || bh_str_ieqn(b, bl, "apt") ||
        bh_str_ieqn(b, bl, "aptitude")) {
        out->mgr = "apt", valopts = apt_valopts, inst = apt_inst, rem = apt_rem;
    } else if (bh_str_ieqn(b, bl, "apk")) {
        out->mgr = "apk", valopts = apk_valopts, inst = apk_inst, rem = apk_rem;
    } else if (bh_str_ieqn(b, bl, "yum") || bh_str_ieqn(b, bl, "dnf") ||
               bh_str_ieqn(b, bl, "microdnf") || bh_str_ieqn(b, bl, "tdnf")) {
        out->mgr = "yum", valopts = yum_valopts, inst = yum_inst, rem = yum_rem;
    } else if (bh_str_ieqn(b, bl, "zypper")) {
        out->mgr = "zypper", valopts = zyp_valopts, inst = zyp_inst, rem = zyp_rem;
    } else if (bl >= 3 && strncmp(b, "pip", 3) == 0 && (bl == 3 || (b[3] >= '0' && b[3] <= '9'))) {
        out->mgr = "pip", valopts = pip_valopts, inst = pip_inst, rem = pip_rem;
    } else if (bl >= 6 && strncmp(b, "python", 6) == 0 && i + 2 < c->n &&
               strcmp(c->w[i + 1], "-m") == 0 && strcmp(c->w[i + 2], "pip") == 0) {
        out->mgr = "pip", valopts = pip_valopts, inst = pip_inst, rem = pip_rem;
        i += 2;
    } else {
        return;
    }
    out->pkgs = bh_arena_calloc(a, c->n, sizeof(*out->pkgs));
    if (!out->pkgs)
        return;
    for (i++; i < c->n; i++) {
        const char *w = c->w[i];

        if (w[0] == '-') {
            if (strchr(w, '='))
                continue;
            if (word_is(w, valopts) && i + 1 < c->n) {
                if (strcmp(out->mgr, "apk") == 0 &&
                    (strcmp(w, "-t") == 0 || strcmp(w, "--virtual") == 0))
                    out->virt = c->w[i + 1];
                i++;
            }
            continue;
        }
        if (!sub_found) {
            sub_found = true;
            if (word_is(w, inst))
                out->op = PKG_INSTALL;
            else if (word_is(w, rem))
                out->op = PKG_REMOVE;
            else
                return;
            continue;
        }
        if (out->op == PKG_INSTALL && out->virt && strcmp(w, out->virt) == 0)
            continue;
        out->pkgs[out->npkgs++] = w;
    }
    if (out->op == PKG_NONE)
        out->npkgs = 0;
}

/*
 * The package name without a version pin, architecture or extras:
 * `curl=7.88.1-10`, `curl:amd64`, `requests[socks]>=2`, `gcc~12`. Lower-cased.
 */
static bool pkg_name(const char *w, char *buf, size_t cap)
{
    size_t i;

    for (i = 0; w[i] && !strchr("=<>~:[@;! ", w[i]); i++) {
        if (i + 1 >= cap)
            return false;
        buf[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    }
    buf[i] = '\0';
    return i > 0 && !strchr(buf, '$') && !strchr(buf, '/');
}

/* Does package word w name one of set (also as yum's `name-1.2.3`)? Its index, or -1. */
static int pkg_match(const char *w, const char *const *set)
{
    char name[128];
    int i;

    if (!pkg_name(w, name, sizeof(name)))
        return -1;
    for (i = 0; set[i]; i++) {
        size_t n = strlen(set[i]);

        if (strcmp(name, set[i]) == 0)
            return i;
        if (strncmp(name, set[i], n) == 0 && name[n] == '-' && name[n + 1] >= '0' &&
            name[n + 1] <= '9')
            return i;
    }
    return -1;
}

/* The package commands of one RUN, parsed once, and what later commands remove. */
struct runpkgs {
    struct pkgcmd *pc;     /* one per command */
    struct sindex removed; /* "mgr:name" -> index of the removing command */
};

static void runpkgs_build(struct bh_arena *a, const struct cmdv *cmds, size_t n, struct runpkgs *r)
{
    char name[128];
    size_t k, j;

    memset(r, 0, sizeof(*r));
    r->pc = bh_arena_calloc(a, n + 1, sizeof(*r->pc));
    if (!r->pc)
        return;
    for (k = 0; k < n; k++) {
        pkg_parse(a, &cmds[k], &r->pc[k]);
        if (r->pc[k].op != PKG_REMOVE)
            continue;
        for (j = 0; j < r->pc[k].npkgs; j++) {
            const char *key;

            if (!pkg_name(r->pc[k].pkgs[j], name, sizeof(name)))
                continue;
            key = bh_arena_printf(a, "%s:%s", r->pc[k].mgr, name);
            if (key)
                sindex_add(a, &r->removed, key, strlen(key), k);
        }
    }
    sindex_sort(&r->removed);
}

/* Was package w of install command k removed by a later command (or with its apk virtual group)? */
static bool runpkgs_removed_later(struct bh_arena *a, const struct runpkgs *r, size_t k,
                                  const char *w)
{
    const struct pkgcmd *inst = &r->pc[k];
    const char *names[2] = {w, inst->virt};
    char name[128];
    size_t i;

    if (r->removed.n == 0)
        return false;
    for (i = 0; i < 2; i++) {
        const char *key;

        if (!names[i] || !pkg_name(names[i], name, sizeof(name)))
            continue;
        key = bh_arena_printf(a, "%s:%s", inst->mgr, name);
        if (key && sindex_find(&r->removed, key, strlen(key), k + 1))
            return true;
    }
    return false;
}

/* ------------------------------------------------------- runtime helpers */

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Pod-level Kubernetes settings (volumes, security context) are folded into
 * every container of the pod, so two containers can report the same thing at
 * the same place: keep the first. f must be the finding just appended.
 */
static struct bh_finding *keep_first(struct bh_rule_ctx *c, struct bh_finding *f)
{
    size_t i;

    if (!f || c->out->n == 0 || f != &c->out->v[c->out->n - 1])
        return f;
    for (i = 0; i + 1 < c->out->n; i++) {
        const struct bh_finding *g = &c->out->v[i];

        if (strcmp(g->rule, f->rule) == 0 && g->loc.line == f->loc.line &&
            g->loc.col == f->loc.col && same_str(g->loc.file, f->loc.file) &&
            g->severity == f->severity && strcmp(g->message, f->message) == 0) {
            c->out->n--;
            return NULL;
        }
    }
    return f;
}

/* A runtime field's location, or the container's when the field has none. */
static const struct bh_loc *loc_or(const struct bh_loc *l, const struct bh_runspec *rs)
{
    return l->line > 0 ? l : &rs->loc;
}

/*
 * The normalised host path behind a bind or hostPath mount (N4: /var/run is
 * /run, a named pipe is //./pipe/NAME, a drive is C:/...), or NULL for named
 * volumes, tmpfs and relative paths the reader could not resolve.
 */
static const char *mount_host_path(struct bh_arena *a, const struct bh_mount *m)
{
    if (m->kind != BH_MOUNT_BIND && m->kind != BH_MOUNT_HOSTPATH)
        return NULL;
    return bh_norm_path(a, m->source ? m->source : m->source_raw);
}

/* How a mount's source is quoted in messages: as written, plus the normalised form if different. */
static const char *mount_shown(struct bh_arena *a, const struct bh_mount *m, const char *np)
{
    const char *raw = m->source_raw ? m->source_raw : m->source;

    if (!raw || strcmp(raw, np) == 0)
        return bh_arena_printf(a, "'%s'", np);
    return bh_arena_printf(a, "'%s' (that is '%s')", raw, np);
}

/* Does the port range lo..hi (hi 0: just lo) cover port n? */
static bool port_covers(unsigned lo, unsigned hi, unsigned n)
{
    return lo <= n && n <= (hi ? hi : lo);
}

/* The text of a port item for messages. */
static const char *port_shown(struct bh_arena *a, const struct bh_port *p)
{
    if (p->raw && *p->raw)
        return p->raw;
    if (p->host_lo)
        return bh_arena_printf(a, "%u:%u", p->host_lo, p->cont_lo);
    return bh_arena_printf(a, "%u", p->cont_lo);
}

/* ------------------------------------------------------------ IMG-SECRET-ENV */

/* Name components that mark a secret when they are a whole `_`/`-`/`.` separated part. */
static const char *const secret_parts[] = {"KEY",     "KEYS",  "PASS",   "PWD",  "ACCESS",
                                           "PRIVATE", "TOKEN", "TOKENS", "AUTH", NULL};
/* Substrings that mark a secret anywhere in the name. */
static const char *const secret_subs[] = {"PASSWORD",   "PASSWD",      "PASSPHRASE", "SECRET",
                                          "CREDENTIAL", "APIKEY",      "API_KEY",    "ACCESSKEY",
                                          "ACCESS_KEY", "AUTHTOKEN",   "AUTH_TOKEN", "ACCESSTOKEN",
                                          "PRIVATEKEY", "PRIVATE_KEY", "_TOKEN",     NULL};
/* Well-known names that the parts above would not catch. */
static const char *const secret_names[] = {
    "GITHUB_TOKEN",      "NPM_TOKEN",     "GH_TOKEN",           "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "NUGET_API_KEY", "DOCKER_AUTH_CONFIG", "PGPASSWORD",
    "MYSQL_PWD",         "VAULT_TOKEN",   "SENTRY_DSN",         NULL};
/* Name endings that look secret but hold identifiers, versions or locations. */
static const char *const allow_suffixes[] = {
    "_KEY_ID",  "_KEYID",  "_VERSION",   "_URL",   "_URI",        "_FILE",      "_PATH", "_DIR",
    "_ENABLED", "KEYRING", "PUBLIC_KEY", "PUBKEY", "_KEY_SERVER", "_KEYSERVER", NULL};

static bool name_allowed(const struct bh_rule_ctx *c, const char *key)
{
    size_t i;

    if (bh_str_ieq(key, "GPG_KEY") || bh_str_ieq(key, "GPG_KEYS"))
        return true;
    for (i = 0; allow_suffixes[i]; i++) {
        if (bh_str_isuffix(key, allow_suffixes[i]))
            return true;
    }
    if (bh_str_icontains(key, "KEYRING"))
        return true;
    if (c->policy) {
        for (i = 0; i < c->policy->nsecret_env_allow; i++) {
            if (bh_str_ieq(key, c->policy->secret_env_allow[i]))
                return true;
        }
    }
    return false;
}

static bool name_secret(const char *key)
{
    size_t i, s = 0, n = strlen(key);

    for (i = 0; secret_names[i]; i++) {
        if (bh_str_ieq(key, secret_names[i]))
            return true;
    }
    for (i = 0; secret_subs[i]; i++) {
        if (bh_str_icontains(key, secret_subs[i]))
            return true;
    }
    for (i = 0; i <= n; i++) {
        if (i == n || key[i] == '_' || key[i] == '-' || key[i] == '.') {
            size_t k;

            for (k = 0; i > s && secret_parts[k]; k++) {
                if (bh_str_ieqn(key + s, i - s, secret_parts[k]))
                    return true;
            }
            s = i + 1;
        }
    }
    return false;
}

/* Length of the run at p of upper-case letters and digits, or of alphanumerics plus extra. */
static size_t run_of(const char *p, const char *extra, bool upper_only)
{
    size_t n = 0;

    while (p[n]) {
        char ch = p[n];
        bool ok = upper_only ? ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
                             : (is_alnum(ch) || (extra && strchr(extra, ch)));
        if (!ok)
            break;
        n++;
    }
    return n;
}

/*
 * A known credential format somewhere in v; returns its name. Prefixes must
 * start a word so that `xAKIA...` inside another token does not count.
 */
static const char *value_format(const char *v)
{
    static const struct {
        const char *prefix, *name, *extra;
        size_t min;
        bool upper;
    } fmts[] = {
        {"AKIA", "an AWS access key id", NULL, 16, true},
        {"ASIA", "an AWS temporary access key id", NULL, 16, true},
        {"ghp_", "a GitHub token", NULL, 30, false},
        {"gho_", "a GitHub OAuth token", NULL, 30, false},
        {"ghs_", "a GitHub app token", NULL, 30, false},
        {"ghu_", "a GitHub user-to-server token", NULL, 30, false},
        {"ghr_", "a GitHub refresh token", NULL, 30, false},
        {"github_pat_", "a GitHub fine-grained token", "_", 20, false},
        {"xoxa-", "a Slack token", "-", 10, false},
        {"xoxb-", "a Slack token", "-", 10, false},
        {"xoxp-", "a Slack token", "-", 10, false},
        {"xoxr-", "a Slack token", "-", 10, false},
        {"xoxs-", "a Slack token", "-", 10, false},
        {"glpat-", "a GitLab token", "-_", 20, false},
        {"sk_live_", "a Stripe secret key", NULL, 16, false},
        {"rk_live_", "a Stripe restricted key", NULL, 16, false},
        {"npm_", "an npm token", NULL, 36, false},
        {"AIza", "a Google API key", "-_", 35, false},
    };
    const char *p;
    size_t i;

    for (p = v; *p; p++) {
        if (p > v && (is_ident(p[-1]) || p[-1] == '-'))
            continue;
        for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
            size_t pl = strlen(fmts[i].prefix);

            if (strncmp(p, fmts[i].prefix, pl) == 0 &&
                run_of(p + pl, fmts[i].extra, fmts[i].upper) >= fmts[i].min)
                return fmts[i].name;
        }
    }
    p = strstr(v, "-----BEGIN ");
    if (p && strstr(p, "PRIVATE KEY-----"))
        return "a private key";
    /* scheme://user:password@host with a literal password */
    p = strstr(v, "://");
    if (p) {
        const char *at, *colon, *end;

        p += 3;
        end = p + strcspn(p, "/?#");
        at = memchr(p, '@', (size_t)(end - p));
        colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
        if (colon && at > colon + 1 && !memchr(colon, '$', (size_t)(at - colon)))
            return "a URL with an embedded password";
    }
    return NULL;
}

/* Values that are clearly not secrets even under a secret-looking name. */
static bool value_benign(const char *v)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off",
                                        "none", "null",  "0",   "1",  NULL};
    size_t i;

    if (!*v)
        return true;
    /* a reference, not a literal: ${TOKEN}, $TOKEN, $(cat /run/secrets/x) */
    if (strchr(v, '$'))
        return true;
    /* a location: the secret lives elsewhere */
    if (v[0] == '/' || (v[0] == '.' && v[1] == '/') || (v[0] == '~' && v[1] == '/'))
        return true;
    for (i = 0; words[i]; i++) {
        if (bh_str_ieq(v, words[i]))
            return true;
    }
    return false;
}

/* First few characters of v then ****, so the report does not repeat the secret. */
static const char *redact(struct bh_arena *a, const char *v)
{
    size_t n = strlen(v);
    size_t show = n >= 12 ? 4 : n / 3;
    size_t i;

    for (i = 0; i < show; i++) {
        if (v[i] == '\n' || v[i] == '\r') {
            show = i;
            break;
        }
    }
    return bh_arena_printf(a, "%.*s****", (int)show, v);
}

enum secret_kind { SECRET_NONE, SECRET_FORMAT, SECRET_NAMED };

/*
 * Is NAME=v a secret? A known credential format in the value counts whatever
 * the name; otherwise a secret-looking name the allow-lists do not excuse
 * (the caller then decides whether the value is a literal). *fmt names the format.
 * Shared by ENV/ARG in a Dockerfile and the environment of a running container.
 */
static enum secret_kind secret_verdict(const struct bh_rule_ctx *c, const char *key, const char *v,
                                       const char **fmt)
{
    *fmt = NULL;
    if (v && (*fmt = value_format(v)) != NULL)
        return SECRET_FORMAT;
    if (name_secret(key) && !name_allowed(c, key))
        return SECRET_NAMED;
    return SECRET_NONE;
}

/* Every $NAME / ${NAME...} in text, indexed by name with the instruction index. */
static void index_var_uses(struct bh_arena *a, struct sindex *x, const char *t, size_t instr)
{
    const char *p;

    for (p = t ? strchr(t, '$') : NULL; p; p = strchr(p + 1, '$')) {
        const char *q = p + 1;
        size_t n = 0;

        if (*q == '{')
            q++;
        while (is_ident(q[n]))
            n++;
        if (n > 0)
            sindex_add(a, x, q, n, instr);
    }
}

/* What secret_kv looks things up in, built once per scan. */
struct secret_env_ctx {
    struct sindex uses;  /* variable name -> RUN/ENV instruction that uses it */
    struct sindex gargs; /* global ARG name -> its index in bs->global_args */
};

static void secret_kv(struct bh_rule_ctx *c, const struct bh_buildspec *bs,
                      const struct secret_env_ctx *x, size_t idx, int s, const struct bh_instr *in,
                      const struct bh_kv *kv, const char *stage)
{
    const char *what = in->kind == BH_I_ENV ? "ENV" : "ARG";
    const struct bh_loc *loc = kv->loc.line > 0 ? &kv->loc : &in->loc;
    const char *fmt, *v = kv->value;
    const char *origin = "";
    enum secret_kind kind;

    if (!kv->key)
        return;
    /* `ARG TOKEN` inside a stage takes the global ARG's default */
    if (in->kind == BH_I_ARG && !v) {
        const struct sidx *e = sindex_last(&x->gargs, kv->key, strlen(kv->key));
        const struct bh_kv *g = e ? &bs->global_args[e->idx] : NULL;

        if (g && g->value) {
            v = g->value;
            origin = " (default from the global ARG)";
        }
    }
    kind = secret_verdict(c, kv->key, v, &fmt);
    if (kind == SECRET_FORMAT) {
        bh_rule_report(c, loc, stage, "%s %s holds %s ('%s')%s; it is stored in the image", what,
                       kv->key, fmt, redact(c->arena, v), origin);
        return;
    }
    if (kind == SECRET_NONE)
        return;
    if (v && !value_benign(v)) {
        if (in->kind == BH_I_ENV)
            bh_rule_report(c, loc, stage,
                           "ENV %s sets a literal secret ('%s'); it persists in the image config",
                           kv->key, redact(c->arena, v));
        else
            bh_rule_report(c, loc, stage,
                           "ARG %s has a literal secret default ('%s')%s; build-arg values are "
                           "recorded in the image history of every RUN that uses them",
                           kv->key, redact(c->arena, v), origin);
        return;
    }
    if (in->kind == BH_I_ARG && !v) {
        /*
         * The first later RUN or ENV that uses it: a RUN records the value in
         * its history entry, an ENV copies it into the config. Stages are
         * contiguous, so a first use in another stage means none in this one.
         */
        const struct sidx *e = sindex_find(&x->uses, kv->key, strlen(kv->key), idx + 1);
        const struct bh_instr *use = e ? &bs->instrs[e->idx] : NULL;

        if (!use || use->stage != s)
            return;
        if (use->kind == BH_I_ENV)
            bh_rule_report_sev(c, BH_SEV_MEDIUM, loc, stage,
                               "ARG %s is copied into ENV on line %d; the value passed with "
                               "--build-arg persists in the image config",
                               kv->key, use->loc.line);
        else
            bh_rule_report_sev(c, BH_SEV_MEDIUM, loc, stage,
                               "ARG %s is used by the RUN on line %d; the value passed with "
                               "--build-arg is recorded in the image history (use RUN "
                               "--mount=type=secret instead)",
                               kv->key, use->loc.line);
    }
}

static void check_secret_env(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct secret_env_ctx x;
    size_t i, k;

    memset(&x, 0, sizeof(x));
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        if (in->kind != BH_I_RUN && in->kind != BH_I_ENV)
            continue;
        index_var_uses(c->arena, &x.uses, in->raw, i);
        if (in->script.text != in->raw)
            index_var_uses(c->arena, &x.uses, in->script.text, i);
    }
    for (i = 0; i < bs->nglobal_args; i++) {
        if (bs->global_args[i].key)
            sindex_add(c->arena, &x.gargs, bs->global_args[i].key, strlen(bs->global_args[i].key),
                       i);
    }
    sindex_sort(&x.uses);
    sindex_sort(&x.gargs);
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const char *stage;

        if (!stage_ships(bs, in->stage))
            continue;
        /* ONBUILD ENV is stored in this image's config and replayed in every child */
        if (in->kind == BH_I_ONBUILD && in->onbuild)
            in = in->onbuild;
        if (in->kind != BH_I_ENV && in->kind != BH_I_ARG)
            continue;
        stage = label(c, bs, bs->instrs[i].stage);
        for (k = 0; k < in->nkvs; k++)
            secret_kv(c, bs, &x, i, bs->instrs[i].stage, in, &in->kvs[k], stage);
    }
}

/* The environment of a running container: `NAME=value` literals (env_file values included). */
static void check_secret_env_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->env.n; i++) {
        const struct bh_rs_str *e = &rs->env.v[i];
        const char *eq, *key, *v, *fmt;
        enum secret_kind kind;

        /* `-e NAME` / `- NAME` passes the caller's value through: nothing literal here */
        if (!e->v || !(eq = strchr(e->v, '=')) || eq == e->v)
            continue;
        key = bh_arena_strndup(c->arena, e->v, (size_t)(eq - e->v));
        if (!key)
            return;
        v = eq + 1;
        kind = secret_verdict(c, key, v, &fmt);
        if (kind == SECRET_FORMAT)
            keep_first(c, bh_rule_report(c, loc_or(&e->loc, rs), NULL,
                                         "environment variable %s holds %s ('%s'); anyone who "
                                         "can inspect the container or its definition reads it",
                                         key, fmt, redact(c->arena, v)));
        else if (kind == SECRET_NAMED && !value_benign(v))
            keep_first(c, bh_rule_report(c, loc_or(&e->loc, rs), NULL,
                                         "environment variable %s sets a literal secret ('%s'); "
                                         "it is visible to anyone who can inspect the container",
                                         key, redact(c->arena, v)));
    }
}

/* ----------------------------------------------------------- IMG-SECRET-FILE */

/* The key pattern that path p names, or NULL (directories .ssh and .gnupg too). */
static const char *key_file_match(struct bh_arena *a, const char *p)
{
    return bh_secretname_match(base_dup(a, p), p, true);
}

static bool is_context_root(const char *s)
{
    return strcmp(s, ".") == 0 || strcmp(s, "./") == 0 || strcmp(s, "/") == 0 ||
           strcmp(s, "./.") == 0;
}

/* A copied file: where it ends up, for the credential-ENV check. */
struct copied {
    const char *dst; /* normalised absolute path */
    const char *src;
    int stage;
    int line;
};

static void check_secret_file(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct copied *cp = NULL;
    size_t ncp = 0, cpcap = 0;
    struct sindex dsts = {NULL, 0, 0};
    const char **wd;
    size_t i, k;

    wd = bh_arena_calloc(c->arena, bs->nstages + 1, sizeof(*wd));
    if (!wd)
        return;
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        int s = in->stage;
        const char *stage, *dst, *dstn;
        size_t nsrc;
        bool from_other;

        if (!stage_ships(bs, s) || (size_t)s >= bs->nstages)
            continue;
        if (in->kind == BH_I_WORKDIR && in->argc > 0) {
            const char *w = join_path(c->arena, wd[s], in->argv[0]);

            wd[s] = w ? w : wd[s];
            continue;
        }
        if (in->kind == BH_I_FROM && bs->stages[s].base_stage >= 0)
            wd[s] = wd[bs->stages[s].base_stage];
        if ((in->kind != BH_I_COPY && in->kind != BH_I_ADD) || in->argc < 1)
            continue;
        stage = label(c, bs, s);
        from_other = find_flag(in, "from") != NULL;
        if (in->nheredocs > 0 && in->heredocs[0].target) {
            const char *m = key_file_match(c->arena, in->heredocs[0].target);

            if (m)
                bh_rule_report(c, &in->loc, stage,
                               "%s writes a heredoc to '%s': a key or credential file "
                               "(matches '%s')",
                               bh_instr_kind_name(in->kind), in->heredocs[0].target, m);
            continue;
        }
        if (in->argc < 2)
            continue;
        nsrc = in->argc - 1;
        dst = in->argv[in->argc - 1];
        dstn = join_path(c->arena, wd[s], dst);
        for (k = 0; k < nsrc; k++) {
            const char *src = in->argv[k];
            const char *m;

            if (src[0] == '<' && src[1] == '<')
                continue;
            if (!from_other && is_context_root(src)) {
                if (bs->dockerignore_known && !bs->has_dockerignore)
                    bh_rule_report_sev(c, BH_SEV_HIGH, &in->loc, stage,
                                       "%s %s copies the whole build context and there is no "
                                       ".dockerignore; any key or .env file in the context ends "
                                       "up in the image",
                                       bh_instr_kind_name(in->kind), in->raw ? in->raw : src);
            } else if ((m = key_file_match(c->arena, src)) != NULL) {
                bh_rule_report(c, &in->loc, stage,
                               "%s%s puts '%s' into the image: a key or credential file "
                               "(matches '%s')",
                               bh_instr_kind_name(in->kind), from_other ? " --from" : "", src, m);
            }
            if (dstn) {
                struct copied *e = BH_PUSH(c->arena, cp, ncp, cpcap);
                bool to_dir = nsrc > 1 || dst[strlen(dst) - 1] == '/';

                if (!e)
                    return;
                e->dst = to_dir ? join_path(c->arena, dstn, base_dup(c->arena, src)) : dstn;
                e->src = src;
                e->stage = s;
                e->line = in->loc.line;
                if (!to_dir && !is_context_root(src)) {
                    /* dst may still be an existing directory: remember both spellings */
                    struct copied *e2 = BH_PUSH(c->arena, cp, ncp, cpcap);

                    if (!e2)
                        return;
                    *e2 = *e;
                    e2->dst = join_path(c->arena, dstn, base_dup(c->arena, src));
                }
            }
        }
        /* a renamed destination: COPY deploy_key /root/.ssh/id_rsa */
        if (nsrc == 1 && dst[strlen(dst) - 1] != '/' && !key_file_match(c->arena, in->argv[0])) {
            const char *m = key_file_match(c->arena, dst);

            if (m && strcmp(m, ".ssh") != 0 && strcmp(m, ".gnupg") != 0)
                bh_rule_report(c, &in->loc, stage,
                               "%s writes '%s' into the image: a key or credential file "
                               "(matches '%s')",
                               bh_instr_kind_name(in->kind), dst, m);
        }
    }
    /* ENV GOOGLE_APPLICATION_CREDENTIALS=/path that a COPY put into the image */
    for (i = 0; i < ncp; i++) {
        if (cp[i].dst)
            sindex_add(c->arena, &dsts, cp[i].dst, strlen(cp[i].dst), i);
    }
    sindex_sort(&dsts);
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        if (in->kind != BH_I_ENV || !stage_ships(bs, in->stage))
            continue;
        for (k = 0; k < in->nkvs; k++) {
            const struct bh_kv *kv = &in->kvs[k];
            const struct sidx *hit;
            const char *v;

            if (!kv->key || !kv->value)
                continue;
            if (!bh_str_ieq(kv->key, "GOOGLE_APPLICATION_CREDENTIALS") &&
                !bh_str_isuffix(kv->key, "_KEY_FILE") && !bh_str_isuffix(kv->key, "_KEYFILE") &&
                !bh_str_isuffix(kv->key, "_CREDENTIALS") &&
                !bh_str_isuffix(kv->key, "_CREDENTIALS_FILE"))
                continue;
            v = join_path(c->arena, wd[in->stage], kv->value);
            if (!v)
                continue;
            /* cp only holds copies made in stages that ship */
            hit = sindex_find(&dsts, v, strlen(v), 0);
            if (hit)
                bh_rule_report(c, kv->loc.line > 0 ? &kv->loc : &in->loc, label(c, bs, in->stage),
                               "ENV %s points at '%s', a credential file copied into the image "
                               "from '%s' on line %d",
                               kv->key, kv->value, cp[hit->idx].src, cp[hit->idx].line);
        }
    }
}

/* ---------------------------------------------------------------- IMG-SSHD */

static const char *const sshd_pkgs[] = {"openssh-server",
                                        "openssh-server-pam",
                                        "dropbear",
                                        "dropbear-bin",
                                        "dropbear-run",
                                        "tinyssh",
                                        NULL};
static const char *const sshd_pkgs_apk[] = {"openssh", NULL};

/* Does EXPOSE word w (`22`, `22/tcp`, `20-25/udp`) cover port 22? */
static bool expose_has_22(const char *w)
{
    size_t n = strcspn(w, "/");
    const char *dash = memchr(w, '-', n);
    long long lo, hi;

    if (memchr(w, '$', n))
        return false;
    if (dash) {
        if (bh_parse_int(w, (size_t)(dash - w), 0, 65535, &lo) != 0 ||
            bh_parse_int(dash + 1, n - (size_t)(dash - w) - 1, 0, 65535, &hi) != 0)
            return false;
    } else {
        if (bh_parse_int(w, n, 0, 65535, &lo) != 0)
            return false;
        hi = lo;
    }
    return lo <= 22 && 22 <= hi;
}

/* Does this command start an SSH server? */
static bool cmd_starts_sshd(const struct cmdv *cv)
{
    size_t i = cmd_start(cv), bl;
    const char *b;

    if (i >= cv->n)
        return false;
    b = base_of(cv->w[i], &bl);
    if ((bh_str_ieqn(b, bl, "exec") || bh_str_ieqn(b, bl, "nohup")) && i + 1 < cv->n)
        b = base_of(cv->w[++i], &bl);
    if (bh_str_ieqn(b, bl, "sshd") || bh_str_ieqn(b, bl, "dropbear") ||
        bh_str_ieqn(b, bl, "tinysshd"))
        return true;
    if ((bh_str_ieqn(b, bl, "service") || bh_str_ieqn(b, bl, "rc-service")) && i + 1 < cv->n) {
        const char *svc = cv->w[i + 1];

        return strcmp(svc, "ssh") == 0 || strcmp(svc, "sshd") == 0 || strcmp(svc, "dropbear") == 0;
    }
    /* /etc/init.d/ssh start */
    return bl == 3 && strncmp(b, "ssh", 3) == 0 && strstr(cv->w[i], "init.d/") != NULL;
}

/* Split the string after `sh -c` into rough commands (no parsing library in rules: words only). */
static bool shell_string_starts_sshd(struct bh_arena *a, const char *s)
{
    const char *words[64];
    struct cmdv cv;
    const char *p = s;

    while (*p) {
        size_t n = 0;

        while (*p && n < 64) {
            size_t l;

            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p || strchr(";&|\n", *p))
                break;
            l = strcspn(p, " \t;&|\n");
            words[n] = bh_arena_strndup(a, p, l);
            if (!words[n])
                return false;
            n++;
            p += l;
        }
        cv.w = words;
        cv.n = n;
        cv.line = 0;
        cv.unwrapped = false;
        if (n > 0 && cmd_starts_sshd(&cv))
            return true;
        while (*p && strchr(";&|\n", *p))
            p++;
        if (n == 64)
            break;
    }
    return false;
}

static bool instr_starts_sshd(struct bh_arena *a, const struct bh_instr *in)
{
    struct cmdv *cmds;
    size_t n = instr_cmds(a, in, &cmds), i;

    for (i = 0; i < n; i++) {
        if (cmd_starts_sshd(&cmds[i]))
            return true;
        /* exec form ["sh", "-c", "..."] when the reader kept only argv */
        if (cmds[i].n >= 3 && strcmp(cmds[i].w[1], "-c") == 0 && in->script.ncmds == 0) {
            size_t bl;
            const char *b = base_of(cmds[i].w[0], &bl);

            if ((bh_str_ieqn(b, bl, "sh") || bh_str_ieqn(b, bl, "bash") ||
                 bh_str_ieqn(b, bl, "ash") || bh_str_ieqn(b, bl, "dash")) &&
                shell_string_starts_sshd(a, cmds[i].w[2]))
                return true;
        }
    }
    return false;
}

/* The effective CMD or ENTRYPOINT of the final image: the last one along the stage chain. */
static const struct bh_instr *effective(const struct bh_buildspec *bs, enum bh_instr_kind kind)
{
    int s = bs->final_stage;
    size_t guard = 0;

    while (s >= 0 && (size_t)s < bs->nstages && guard++ <= bs->nstages) {
        const struct bh_stage *st = &bs->stages[s];
        size_t i;

        for (i = st->first_instr + st->ninstrs; i-- > st->first_instr;) {
            if (i < bs->ninstrs && bs->instrs[i].kind == kind)
                return &bs->instrs[i];
        }
        s = st->base_stage;
    }
    return NULL;
}

static void check_sshd(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    const enum bh_instr_kind starts[] = {BH_I_CMD, BH_I_ENTRYPOINT};
    size_t i, k, j;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const char *stage;

        if (!stage_ships(bs, in->stage))
            continue;
        stage = label(c, bs, in->stage);
        if (in->kind == BH_I_EXPOSE) {
            for (k = 0; k < in->argc; k++) {
                if (expose_has_22(in->argv[k])) {
                    if (in->raw && strchr(in->raw, '$'))
                        bh_rule_report(c, &in->loc, stage,
                                       "EXPOSE %s declares the SSH port 22 (resolves to '%s')",
                                       in->raw, in->argv[k]);
                    else
                        bh_rule_report(c, &in->loc, stage, "EXPOSE %s declares the SSH port 22",
                                       in->argv[k]);
                    break;
                }
            }
        } else if (in->kind == BH_I_RUN) {
            struct cmdv *cmds;
            size_t n = instr_cmds(c->arena, in, &cmds);

            for (k = 0; k < n; k++) {
                struct pkgcmd pc;

                pkg_parse(c->arena, &cmds[k], &pc);
                if (pc.op != PKG_INSTALL)
                    continue;
                for (j = 0; j < pc.npkgs; j++) {
                    bool m =
                        pkg_match(pc.pkgs[j], sshd_pkgs) >= 0 ||
                        (strcmp(pc.mgr, "apk") == 0 && pkg_match(pc.pkgs[j], sshd_pkgs_apk) >= 0);

                    if (m) {
                        struct bh_loc loc = in->loc;

                        loc.line = cmds[k].line;
                        loc.end_line = 0;
                        bh_rule_report(c, &loc, stage, "RUN installs the SSH server package '%s'",
                                       pc.pkgs[j]);
                        break;
                    }
                }
            }
        }
    }
    for (i = 0; i < 2; i++) {
        const struct bh_instr *in = effective(bs, starts[i]);

        if (in && instr_starts_sshd(c->arena, in))
            bh_rule_report(c, &in->loc, label(c, bs, in->stage), "%s starts an SSH server: %s",
                           bh_instr_kind_name(in->kind), in->raw ? in->raw : "");
    }
}

/* Container port 22 (TCP): compose/CLI `ports:`/`-p`, K8s `containerPort`. */
static void check_sshd_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nports; i++) {
        const struct bh_port *p = &rs->ports[i];
        const char *shown = port_shown(c->arena, p);

        if ((p->proto && !bh_str_ieq(p->proto, "tcp")) || !port_covers(p->cont_lo, p->cont_hi, 22))
            continue;
        if (p->published && p->host_lo && !port_covers(p->host_lo, p->host_hi, 22))
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "port '%s' publishes the container's SSH port 22 on host port %u; "
                           "the other host port does not make the SSH server go away",
                           shown, p->host_lo);
        else if (p->published)
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "port '%s' publishes the container's SSH port 22", shown);
        else
            bh_rule_report(c, loc_or(&p->loc, rs), NULL,
                           "port '%s' declares the SSH port 22 on the container", shown);
    }
}

/* ---------------------------------------------------------------- IMG-TOOLS */

static const char *const tool_pkgs[] = {"curl",
                                        "wget",
                                        "netcat",
                                        "nc",
                                        "ncat",
                                        "netcat-openbsd",
                                        "netcat-traditional",
                                        "nmap-ncat",
                                        "socat",
                                        "nmap",
                                        "tcpdump",
                                        "telnet",
                                        "openssh-client",
                                        "openssh-clients",
                                        "ssh",
                                        "scp",
                                        "gdb",
                                        "strace",
                                        "ltrace",
                                        "sudo",
                                        "doas",
                                        "gcc",
                                        "g++",
                                        "gcc-c++",
                                        "clang",
                                        "make",
                                        "build-essential",
                                        "golang",
                                        "golang-go",
                                        "docker",
                                        "docker.io",
                                        "docker-ce-cli",
                                        "docker-cli",
                                        "kubectl",
                                        "cri-tools",
                                        "crictl",
                                        NULL};
/* Alpine package names that mean something else elsewhere. */
static const char *const tool_pkgs_apk[] = {"go", "build-base", "busybox-extras", NULL};

#define NTOOLS (sizeof(tool_pkgs) / sizeof(tool_pkgs[0]) - 1)
#define NTOOLS_APK (sizeof(tool_pkgs_apk) / sizeof(tool_pkgs_apk[0]) - 1)

static void check_tools(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k, j;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        struct runpkgs rp;
        struct cmdv *cmds;
        size_t n;

        if (in->kind != BH_I_RUN || !stage_ships(bs, in->stage))
            continue;
        n = instr_cmds(c->arena, in, &cmds);
        runpkgs_build(c->arena, cmds, n, &rp);
        if (!rp.pc)
            continue;
        for (k = 0; k < n; k++) {
            const struct pkgcmd *pc = &rp.pc[k];
            bool seen[NTOOLS + NTOOLS_APK] = {false};
            const char *list = NULL;
            size_t nfound = 0;

            if (pc->op != PKG_INSTALL)
                continue;
            for (j = 0; j < pc->npkgs; j++) {
                int m = pkg_match(pc->pkgs[j], tool_pkgs);
                const char *name;

                if (m < 0 && strcmp(pc->mgr, "apk") == 0 &&
                    (m = pkg_match(pc->pkgs[j], tool_pkgs_apk)) >= 0)
                    m += (int)NTOOLS;
                /* build dependencies removed again in the same RUN never reach the layer */
                if (m < 0 || seen[m] || runpkgs_removed_later(c->arena, &rp, k, pc->pkgs[j]))
                    continue;
                seen[m] = true; /* so the list stays bounded by the tool table */
                name = (size_t)m < NTOOLS ? tool_pkgs[m] : tool_pkgs_apk[(size_t)m - NTOOLS];
                list = list ? bh_arena_printf(c->arena, "%s, %s", list, name) : name;
                nfound++;
            }
            if (nfound > 0 && list) {
                struct bh_loc loc = in->loc;

                loc.line = cmds[k].line;
                loc.end_line = 0;
                bh_rule_report(c, &loc, label(c, bs, in->stage),
                               "RUN installs %s into a stage that ships: %s",
                               nfound == 1 ? "an attack-useful tool" : "attack-useful tools", list);
            }
        }
    }
}

/* ----------------------------------------------------------------- IMG-SUID */

/* Does a chmod mode (octal or symbolic) set setuid or setgid? *gid_only when only setgid. */
static bool mode_sets_special(const char *m, bool *gid_only)
{
    size_t n = strlen(m), i;

    *gid_only = false;
    if (n > 0 && strspn(m, "01234567") == n) {
        unsigned v = 0;

        if (n < 4 || n > 6)
            return false;
        for (i = 0; i < n; i++)
            v = v * 8u + (unsigned)(m[i] - '0');
        if (v & 04000u)
            return true;
        if (v & 02000u) {
            *gid_only = true;
            return true;
        }
        return false;
    }
    /* symbolic: clauses [ugoa]*([-+=][rwxXstugo]*)+ separated by commas */
    {
        bool suid = false, sgid = false;
        const char *p = m;

        while (*p) {
            bool u = false, g = false, any = false;

            while (*p && strchr("ugoa", *p)) {
                u |= *p == 'u' || *p == 'a';
                g |= *p == 'g' || *p == 'a';
                any = true;
                p++;
            }
            if (!any)
                u = g = true;
            while (*p && strchr("+-=", *p)) {
                char op = *p++;

                while (*p && strchr("rwxXstugo", *p)) {
                    if (*p == 's' && op != '-') {
                        suid |= u;
                        sgid |= g;
                    }
                    p++;
                }
            }
            if (*p && *p != ',')
                return false; /* not a mode at all */
            if (*p == ',')
                p++;
        }
        if (suid)
            return true;
        *gid_only = sgid;
        return sgid;
    }
}

/* Every word of the RUN's mkdir and install commands, with the command index. */
static void index_made_dirs(struct bh_arena *a, const struct cmdv *cmds, size_t n, struct sindex *x)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        size_t s = cmd_start(&cmds[i]), bl;
        const char *b;

        if (s >= cmds[i].n)
            continue;
        b = base_of(cmds[i].w[s], &bl);
        if (!bh_str_ieqn(b, bl, "mkdir") && !bh_str_ieqn(b, bl, "install"))
            continue;
        for (k = s + 1; k < cmds[i].n; k++)
            sindex_add(a, x, cmds[i].w[k], strlen(cmds[i].w[k]), i);
    }
    sindex_sort(x);
}

/* Was path created by mkdir before command k (then a setgid bit is a setgid directory)? */
static bool made_dir(const struct sindex *x, size_t k, const char *path)
{
    const struct sidx *e = sindex_find(x, path, strlen(path), 0);

    return e && e->idx < k;
}

static void check_suid(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k, j;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        const char *stage;
        bool gid_only;

        if (!stage_ships(bs, in->stage))
            continue;
        stage = label(c, bs, in->stage);
        if (in->kind == BH_I_COPY || in->kind == BH_I_ADD) {
            const struct bh_flag *f = find_flag(in, "chmod");

            if (f && f->value && mode_sets_special(f->value, &gid_only))
                bh_rule_report(c, &in->loc, stage, "%s --chmod=%s sets the %s bit",
                               bh_instr_kind_name(in->kind), f->value,
                               gid_only ? "setgid" : "setuid");
            continue;
        }
        if (in->kind != BH_I_RUN)
            continue;
        {
            struct cmdv *cmds;
            size_t n = instr_cmds(c->arena, in, &cmds);
            struct sindex made = {NULL, 0, 0};
            bool made_built = false;

            for (k = 0; k < n; k++) {
                const struct cmdv *cv = &cmds[k];
                size_t s = cmd_start(cv), bl;
                const char *b, *mode = NULL, *target = NULL;
                struct bh_loc loc = in->loc;

                if (s >= cv->n)
                    continue;
                b = base_of(cv->w[s], &bl);
                loc.line = cv->line;
                loc.end_line = 0;
                if (bh_str_ieqn(b, bl, "chmod")) {
                    for (j = s + 1; j < cv->n; j++) {
                        const char *w = cv->w[j];

                        if (w[0] == '-' && w[1] && strspn(w + 1, "rwxXst") != strlen(w + 1))
                            continue; /* an option such as -R, not a `-x` mode */
                        if (!mode) {
                            mode = w;
                            continue;
                        }
                        target = w;
                        break;
                    }
                    if (mode && mode_sets_special(mode, &gid_only)) {
                        if (gid_only && target && !made_built) {
                            index_made_dirs(c->arena, cmds, n, &made);
                            made_built = true;
                        }
                        if (gid_only && target &&
                            (target[strlen(target) - 1] == '/' || made_dir(&made, k, target)))
                            continue; /* setgid on a directory: group inheritance, not privilege */
                        bh_rule_report(c, &loc, stage, "chmod %s%s%s sets the %s bit", mode,
                                       target ? " " : "", target ? target : "",
                                       gid_only ? "setgid" : "setuid");
                    }
                } else if (bh_str_ieqn(b, bl, "install")) {
                    bool dirs = false;

                    for (j = s + 1; j < cv->n; j++) {
                        const char *w = cv->w[j];

                        if (strcmp(w, "-m") == 0 && j + 1 < cv->n)
                            mode = cv->w[++j];
                        else if (strncmp(w, "--mode=", 7) == 0)
                            mode = w + 7;
                        else if (strncmp(w, "-m", 2) == 0 && w[2])
                            mode = w + 2;
                        else if (strcmp(w, "-d") == 0 || strcmp(w, "--directory") == 0)
                            dirs = true;
                    }
                    /* install -d -m 2775 makes setgid directories: group inheritance */
                    if (mode && mode_sets_special(mode, &gid_only) && !(gid_only && dirs))
                        bh_rule_report(c, &loc, stage, "install -m %s sets the %s bit", mode,
                                       gid_only ? "setgid" : "setuid");
                } else if (bh_str_ieqn(b, bl, "setcap") && s + 1 < cv->n &&
                           strcmp(cv->w[s + 1], "-r") != 0) {
                    bh_rule_report(c, &loc, stage, "setcap %s grants file capabilities",
                                   cv->w[s + 1]);
                }
            }
        }
    }
}

/* ------------------------------------------------- RUN-SOCK, RUN-SENSMOUNT */

static const char *const sock_names[] = {
    "docker.sock",     "containerd.sock",  "crio.sock",      "podman.sock",
    "dockershim.sock", "cri-dockerd.sock", "buildkitd.sock", NULL};
/* Directories (after N4, so /var/run is /run) that hold an engine socket. */
static const char *const sock_dirs[] = {
    "/run", "/run/containerd", "/run/crio", "/run/podman", "/run/buildkit", "/run/docker", NULL};

enum sock_kind { SOCK_NONE, SOCK_FILE, SOCK_DIR };

/* Is normalised path np an engine socket, or a directory holding one? */
static enum sock_kind sock_kind(const char *np)
{
    size_t i, bl;
    const char *b = base_of(np, &bl);

    for (i = 0; sock_names[i]; i++) {
        if (bh_str_ieqn(b, bl, sock_names[i]))
            return SOCK_FILE;
    }
    for (i = 0; sock_dirs[i]; i++) {
        if (strcmp(np, sock_dirs[i]) == 0)
            return SOCK_DIR;
    }
    /* rootless engines: /run/user/<uid> */
    if (strncmp(np, "/run/user/", 10) == 0 && np[10] &&
        strspn(np + 10, "0123456789") == strlen(np + 10))
        return SOCK_DIR;
    return SOCK_NONE;
}

static bool sock_path(const char *np)
{
    return sock_kind(np) != SOCK_NONE;
}

/*
 * What a host mount source exposes of the engine, or NULL. Beyond sock_kind,
 * a host mount also hands over the engine when it is a parent of every socket
 * directory (`/`), of the rootless ones (`/run/user`), or Docker's Windows pipe.
 */
static const char *sock_exposed(struct bh_arena *a, const char *np)
{
    size_t bl;
    const char *b;

    if (strncmp(np, "//./pipe/", 9) == 0)
        return bh_str_ieq(np + 9, "docker_engine") ? "the Docker engine's named pipe" : NULL;
    switch (sock_kind(np)) {
    case SOCK_FILE:
        b = base_of(np, &bl);
        return bh_arena_printf(a, "the engine socket %.*s", (int)bl, b);
    case SOCK_DIR:
        return "a directory holding engine sockets";
    case SOCK_NONE:
        break;
    }
    if (strcmp(np, "/") == 0)
        return "the host's whole filesystem, engine sockets included";
    if (strcmp(np, "/run/user") == 0)
        return "the runtime directories of every user, rootless engine sockets included";
    return NULL;
}

static void check_sock(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    size_t i, k;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        if (in->kind != BH_I_VOLUME || !stage_ships(bs, in->stage))
            continue;
        for (k = 0; k < in->argc; k++) {
            const char *np = norm_path(c->arena, in->argv[k]);

            if (np && sock_path(np))
                bh_rule_report(c, &in->loc, label(c, bs, in->stage),
                               "VOLUME %s declares a mount point for the container engine's "
                               "socket: the image expects the engine API to be mounted in",
                               in->argv[k]);
        }
    }
}

/*
 * socket.allowed_images: `traefik:*` or `traefik` (any tag), `traefik:v3.0` (that
 * tag), `portainer/portainer-ce@sha256:...` (that digest). Registry and repository
 * are compared after N1, so `traefik` also matches `docker.io/library/traefik`.
 */
static const char *socket_allowed(struct bh_rule_ctx *c, const char *image)
{
    struct bh_imageref r, pr;
    size_t i;

    if (!c->policy || c->policy->nsocket_images == 0 || !image || strchr(image, '$') ||
        bh_imageref_parse(c->arena, image, &r) != 0)
        return NULL;
    for (i = 0; i < c->policy->nsocket_images; i++) {
        const char *pat = c->policy->socket_images[i];
        size_t n = strlen(pat);
        bool any_tag = n > 2 && strcmp(pat + n - 2, ":*") == 0;
        const char *name = any_tag ? bh_arena_strndup(c->arena, pat, n - 2) : pat;

        if (!name || bh_imageref_parse(c->arena, name, &pr) != 0)
            continue;
        if (!bh_str_ieq(pr.registry, r.registry) || strcmp(pr.repository, r.repository) != 0)
            continue;
        if (pr.tag && !any_tag && !same_str(pr.tag, r.tag))
            continue;
        if (pr.digest && !same_str(pr.digest, r.digest))
            continue;
        return pat;
    }
    return NULL;
}

/* Host mounts that reach the engine: read-only does not matter for a socket. */
static void check_sock_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *np = mount_host_path(c->arena, m), *what;
        struct bh_finding *f;

        if (!np || !(what = sock_exposed(c->arena, np)))
            continue;
        f = bh_rule_report(c, loc_or(&m->loc, rs), NULL,
                           "host path %s, %s, is mounted at '%s'%s: whoever can connect to it "
                           "controls the engine and so the host",
                           mount_shown(c->arena, m, np), what, m->target ? m->target : "?",
                           m->read_only ? " (read-only does not stop connecting to a socket)" : "");
        f = keep_first(c, f);
        if (f && socket_allowed(c, rs->image.v)) {
            f->suppressed_kind = "policy";
            f->suppressed_reason = "allowed by the policy (socket.allowed_images)";
        }
    }
}

/* Paths that must not be volumes themselves (exact, after N4). */
static const char *const sens_exact[] = {"/",
                                         "/bin",
                                         "/sbin",
                                         "/boot",
                                         "/dev",
                                         "/etc",
                                         "/home",
                                         "/lib",
                                         "/lib64",
                                         "/proc",
                                         "/root",
                                         "/sys",
                                         "/usr",
                                         "/var",
                                         "/var/log",
                                         "/srv",
                                         "/media",
                                         "/cdrom",
                                         "/initrd",
                                         "/lost+found",
                                         "/etc/kubernetes",
                                         "/var/lib/kubelet",
                                         NULL};
/* Trees where any sub-path is sensitive as well (kernel interfaces, cluster credentials). */
static const char *const sens_tree[] = {"/proc",
                                        "/sys",
                                        "/dev",
                                        "/boot",
                                        "/initrd",
                                        "/lost+found",
                                        "/etc/kubernetes",
                                        "/var/lib/kubelet",
                                        NULL};
static const char *const sens_critical[] = {"/",    "/etc",  "/proc", "/sys",
                                            "/dev", "/boot", "/root", NULL};
static const char *const workdir_bad[] = {"/proc", "/boot", "/dev", "/initrd", "/lost+found", NULL};

static const char *sens_match(const char *np, bool *critical)
{
    size_t i;
    const char *hit = NULL;

    for (i = 0; sens_exact[i] && !hit; i++) {
        if (strcmp(np, sens_exact[i]) == 0)
            hit = sens_exact[i];
    }
    for (i = 0; sens_tree[i] && !hit; i++) {
        if (path_under(np, sens_tree[i]))
            hit = sens_tree[i];
    }
    *critical = false;
    for (i = 0; hit && sens_critical[i]; i++) {
        if (strcmp(sens_critical[i], "/") == 0 ? strcmp(hit, "/") == 0
                                               : path_under(hit, sens_critical[i]))
            *critical = true;
    }
    return hit;
}

static void check_sensmount(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    const char **wd;
    size_t i, k;

    wd = bh_arena_calloc(c->arena, bs->nstages + 1, sizeof(*wd));
    if (!wd)
        return;
    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        int s = in->stage;
        const char *stage;

        if (!stage_ships(bs, s) || (size_t)s >= bs->nstages)
            continue;
        if (in->kind == BH_I_FROM && bs->stages[s].base_stage >= 0)
            wd[s] = wd[bs->stages[s].base_stage];
        stage = label(c, bs, s);
        if (in->kind == BH_I_VOLUME) {
            for (k = 0; k < in->argc; k++) {
                const char *np = join_path(c->arena, wd[s], in->argv[k]);
                const char *hit;
                bool crit;

                /* engine sockets and their directories are RUN-SOCK's */
                if (!np || sock_path(np) || !(hit = sens_match(np, &crit)))
                    continue;
                bh_rule_report_sev(c, crit ? BH_SEV_CRITICAL : BH_SEV_HIGH, &in->loc, stage,
                                   "VOLUME %s declares the system directory '%s' as a volume",
                                   in->argv[k], hit);
            }
        } else if (in->kind == BH_I_WORKDIR && in->argc > 0) {
            const char *np = join_path(c->arena, wd[s], in->argv[0]);

            if (!np)
                continue;
            wd[s] = np;
            for (k = 0; workdir_bad[k]; k++) {
                if (path_under(np, workdir_bad[k])) {
                    bh_rule_report(c, &in->loc, stage,
                                   "WORKDIR %s works inside the system directory '%s'", in->argv[0],
                                   workdir_bad[k]);
                    break;
                }
            }
        }
    }
}

/*
 * Host paths that are sensitive at run time in addition to sens_exact and
 * sens_tree: credentials and boot-time configuration below /etc and /root,
 * and kernel modules. A bind of /etc/localtime or /etc/nginx stays quiet.
 */
static const char *const sens_run_tree[] = {"/root",
                                            "/etc/shadow",
                                            "/etc/gshadow",
                                            "/etc/sudoers",
                                            "/etc/sudoers.d",
                                            "/etc/ssh",
                                            "/etc/ssl/private",
                                            "/etc/pam.d",
                                            "/etc/crontab",
                                            "/etc/cron.d",
                                            "/etc/systemd",
                                            "/etc/ld.so.preload",
                                            "/etc/passwd",
                                            "/etc/group",
                                            "/lib/modules",
                                            "/usr/lib/modules",
                                            NULL};

/* Is host path p critical when writable (RULES.md: /, /etc, /proc, /sys, /dev, /boot, /root,
 * /var/lib/kubelet and what lies below them)? */
static bool sens_run_critical(const char *p)
{
    size_t i;

    if (strcmp(p, "/") == 0 || bh_norm_path_under(p, "/var/lib/kubelet"))
        return true;
    for (i = 0; sens_critical[i]; i++) {
        /* "/" is critical itself, not everything below it */
        if (strcmp(sens_critical[i], "/") != 0 && bh_norm_path_under(p, sens_critical[i]))
            return true;
    }
    return false;
}

/*
 * The sensitive path a host mount source np exposes: np itself when it is one
 * (or below a tree that is sensitive throughout), else the most severe listed
 * path below np, since mounting a parent hands over its children (`/var/lib`
 * holds /var/lib/kubelet). *crit as in sens_run_critical; NULL when harmless.
 */
static const char *sens_run_match(const char *np, bool *crit)
{
    static const char *const *const lists[] = {sens_exact, sens_tree, sens_run_tree};
    const char *hit = NULL;
    size_t l, i;

    *crit = false;
    if (((np[0] >= 'A' && np[0] <= 'Z') || (np[0] >= 'a' && np[0] <= 'z')) && np[1] == ':' &&
        strcmp(np + 2, "/") == 0) {
        *crit = true; /* a Windows drive root, C:\ */
        return np;
    }
    hit = sens_match(np, crit);
    for (i = 0; !hit && sens_run_tree[i]; i++) {
        if (bh_norm_path_under(np, sens_run_tree[i]))
            hit = sens_run_tree[i];
    }
    if (hit)
        *crit = sens_run_critical(hit);
    for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
        for (i = 0; lists[l][i]; i++) {
            const char *e = lists[l][i];

            if (strcmp(e, np) == 0 || !bh_norm_path_under(e, np))
                continue;
            /* np is a parent of e: keep the worst child, or the first one if np itself counts */
            if (!hit || (!*crit && sens_run_critical(e))) {
                hit = e;
                *crit = sens_run_critical(e);
            }
        }
    }
    return hit;
}

/* Host mounts of system paths: binds, hostPath volumes. Read-only lowers one level. */
static void check_sensmount_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];
        const char *np = mount_host_path(c->arena, m), *hit;
        enum bh_severity sev;
        bool crit;

        /* engine sockets and their directories are RUN-SOCK's; `/` is both */
        if (!np || (strcmp(np, "/") != 0 && sock_exposed(c->arena, np)) ||
            !(hit = sens_run_match(np, &crit)))
            continue;
        sev = crit ? BH_SEV_CRITICAL : BH_SEV_HIGH;
        if (m->read_only)
            sev = crit ? BH_SEV_HIGH : BH_SEV_MEDIUM;
        if (strcmp(hit, np) == 0 || bh_norm_path_under(np, hit))
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&m->loc, rs), NULL,
                                             "host path %s is mounted %s at '%s'",
                                             mount_shown(c->arena, m, np),
                                             m->read_only ? "read-only" : "read-write",
                                             m->target ? m->target : "?"));
        else
            keep_first(c, bh_rule_report_sev(c, sev, loc_or(&m->loc, rs), NULL,
                                             "host path %s is mounted %s at '%s'; it holds the "
                                             "system path '%s'",
                                             mount_shown(c->arena, m, np),
                                             m->read_only ? "read-only" : "read-write",
                                             m->target ? m->target : "?", hit));
    }
}

/* --------------------------------------------------------------- OTH-HEALTH */

static void check_health(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    const struct bh_instr *hc = effective(bs, BH_I_HEALTHCHECK);
    int f = bs->final_stage, root;
    size_t guard = 0;

    if (f < 0 || (size_t)f >= bs->nstages)
        return;
    /* the external image at the bottom of the stage chain is the one that may define a check */
    for (root = f; bs->stages[root].base_stage >= 0 && guard++ <= bs->nstages;)
        root = bs->stages[root].base_stage;
    if (hc && !hc->healthcheck_none)
        return;
    if (hc)
        bh_rule_report(c, &hc->loc, label(c, bs, hc->stage),
                       "HEALTHCHECK NONE disables any health check inherited from the base "
                       "image, so nothing tells the engine the service is stuck");
    else if (bs->origin == BH_BS_IMAGE)
        bh_rule_report(c, &bs->stages[f].loc, NULL,
                       "the image config has no HEALTHCHECK, so a hung service still counts as "
                       "running");
    else
        bh_rule_report(c, &bs->stages[f].loc, label(c, bs, f),
                       "the final stage has no HEALTHCHECK; unless the base image '%s' "
                       "defines one, a hung service still counts as running",
                       bs->stages[root].base_raw ? bs->stages[root].base_raw : "?");
}

/* ------------------------------------------------------------------- table */

const struct bh_rule bh_rules_content[] = {
    {"IMG-SECRET-ENV",
     5,
     BH_SEV_CRITICAL,
     BH_APPLIES_BUILD | BH_APPLIES_RUN,
     "Secret in an ENV or ARG value",
     check_secret_env,
     check_secret_env_run,
     "Pass secrets at build time with RUN --mount=type=secret and at run time from a secret "
     "store or mounted file; never bake them into ENV or ARG.",
     {"Dockle CIS-DI-0010", "hadolint DL3064", "trivy DS031", "trivy KSV109", "trivy KSV01010",
      "KICS D 'Passwords And Secrets'", "KICS K 'Secrets As Environment Variables'", "CIS 4.10",
      NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"IMG-SECRET-FILE",
     5,
     BH_SEV_CRITICAL,
     BH_APPLIES_BUILD | BH_APPLIES_IMAGE,
     "Key or credential file copied into the image",
     check_secret_file,
     NULL,
     "Keep keys and credential files out of the image: list them in .dockerignore, use RUN "
     "--mount=type=secret or type=ssh during the build, and mount them at run time.",
     {"Dockle CIS-DI-0010", "Dockle DKL-LI-0003", "trivy DS031", "KICS D 'Passwords And Secrets'",
      NULL},
     NULL,
     bh_imgcheck_secret_file,
     NULL,
     NULL,
     NULL},
    {"IMG-SSHD",
     6,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD | BH_APPLIES_RUN | BH_APPLIES_IMAGE,
     "SSH server in the image",
     check_sshd,
     check_sshd_run,
     "Remove the SSH server and port 22 from the image; use docker exec or kubectl exec to get a "
     "shell in a running container.",
     {"trivy DS004", "hadolint DL3001", "KICS D 'Run Utilities And POSIX Commands'", "CIS 5.7",
      NULL},
     NULL,
     bh_imgcheck_sshd,
     NULL,
     NULL,
     NULL},
    {"IMG-SUID",
     5,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD | BH_APPLIES_IMAGE,
     "Setuid, setgid or file capabilities added",
     check_suid,
     NULL,
     "Do not add setuid or setgid bits or file capabilities; run the program as the user that "
     "needs it, or grant the capability to the container at run time.",
     {"Dockle CIS-DI-0008", "CIS 4.8", NULL},
     NULL,
     bh_imgcheck_suid,
     NULL,
     NULL,
     NULL},
    {"IMG-TOOLS",
     2,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD | BH_APPLIES_IMAGE,
     "Attack-useful tools in the shipped image",
     check_tools,
     NULL,
     "Install compilers, debuggers and network tools only in a builder stage, or remove them in "
     "the same RUN, and copy just the built artefacts into the final stage.",
     {"hadolint DL3001", "KICS D 'Run Utilities And POSIX Commands'", "CIS 4.3",
      "Dockle CIS-DI-0003", NULL},
     NULL,
     bh_imgcheck_tools,
     NULL,
     NULL,
     NULL},
    {"OTH-HEALTH",
     8,
     BH_SEV_LOW,
     BH_APPLIES_BUILD,
     "No health check",
     check_health,
     NULL,
     "Add a HEALTHCHECK to the final stage that probes the service itself, and do not disable an "
     "inherited one with HEALTHCHECK NONE.",
     {"Dockle CIS-DI-0006", "trivy DS026", "hadolint DL3057",
      "KICS D 'Healthcheck Instruction "
      "Missing'",
      "KICS C 'Healthcheck Not Set'", "KICS K 'Liveness Probe Is Not Defined'",
      "KICS K 'Readiness Probe Is Not Configured'", "CIS 4.6", "CIS 5.27", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SENSMOUNT",
     4,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD | BH_APPLIES_RUN,
     "Sensitive system path mounted or declared as a volume",
     check_sensmount,
     check_sensmount_run,
     "Mount only application data into containers and declare volumes only for data "
     "directories, never system paths such as /, /etc, /proc or /dev; keep WORKDIR out of "
     "kernel and boot directories.",
     {"CIS 5.6", "trivy KSV121", "trivy KSV023", "trivy DS030", "Dockle DKL-DI-0002",
      "KICS C 'Volume Has Sensitive Host Directory'",
      "KICS K 'Workload Mounting With Sensitive OS Directory'",
      "KICS K 'Volume Mount with OS Directory Write Permissions'",
      "KICS K 'Non Kube System Pod With Host Mount'", "PSS B:hostPathVolumes", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
    {"RUN-SOCK",
     7,
     BH_SEV_CRITICAL,
     BH_APPLIES_BUILD | BH_APPLIES_RUN,
     "Container engine socket mounted",
     check_sock,
     check_sock_run,
     "Do not give a container the engine socket; if it must talk to the engine, put a socket "
     "proxy that allows only the needed API calls in between.",
     {"CIS 5.32", "trivy KSV006", "KICS C 'Docker Socket Mounted In Container'",
      "KICS K 'Docker Daemon Socket is Exposed to Containers'", "PSS B:hostPathVolumes", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_content_n = sizeof(bh_rules_content) / sizeof(bh_rules_content[0]);
