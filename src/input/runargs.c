/*
 * runargs.c - `docker run|create` and `podman run|create` command lines read
 * into struct bh_runspec. It finds the commands in shell scripts, Makefile
 * recipes, CI YAML steps and Markdown code blocks, splits them with the one
 * shell tokenizer (input/shell.c) and reads docker's flags up to the image.
 * It expands no variable, runs nothing and judges nothing: the rules do.
 */
#include "input/runargs.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/comments.h"
#include "input/shell.h"
#include "input/yaml.h"
#include "model/norm.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the flags of `docker run` / `podman run` ---------------------------- */

enum ra_field {
    RF_SKIP,
    RF_HELP,
    RF_NAME,
    RF_PRIVILEGED,
    RF_CAP_ADD,
    RF_CAP_DROP,
    RF_VOLUME,
    RF_MOUNT,
    RF_TMPFS,
    RF_PUBLISH,
    RF_PUBLISH_ALL,
    RF_NETWORK,
    RF_PID,
    RF_IPC,
    RF_UTS,
    RF_USERNS,
    RF_CGROUPNS,
    RF_USER,
    RF_GROUP_ADD,
    RF_SECOPT,
    RF_DEVICE,
    RF_DEVICE_CGROUP_RULE,
    RF_GPUS,
    RF_READ_ONLY,
    RF_SYSCTL,
    RF_ENV,
    RF_ADD_HOST,
    RF_PULL,
    RF_MEMORY,
    RF_CPUS,
    RF_PIDS_LIMIT,
    RF_API_SOCKET,
};

struct ra_flag {
    const char *name; /* long name without the dashes */
    char shortname;   /* 0 when none */
    bool value;       /* takes a value (`--name x`, `--name=x`); else boolean */
    enum ra_field field;
};

/*
 * Every run/create flag of docker (up to 28) and podman (up to 5), so that a
 * flag's value is never taken for the image. Deprecated aliases included.
 */
static const struct ra_flag ra_flags[] = {
    {"add-host", 0, true, RF_ADD_HOST},
    {"annotation", 0, true, RF_SKIP},
    {"arch", 0, true, RF_SKIP},
    {"attach", 'a', true, RF_SKIP},
    {"authfile", 0, true, RF_SKIP},
    {"blkio-weight", 0, true, RF_SKIP},
    {"blkio-weight-device", 0, true, RF_SKIP},
    {"cap-add", 0, true, RF_CAP_ADD},
    {"cap-drop", 0, true, RF_CAP_DROP},
    {"cgroup-conf", 0, true, RF_SKIP},
    {"cgroup-parent", 0, true, RF_SKIP},
    {"cgroupns", 0, true, RF_CGROUPNS},
    {"cgroups", 0, true, RF_SKIP},
    {"chrootdirs", 0, true, RF_SKIP},
    {"cidfile", 0, true, RF_SKIP},
    {"conmon-pidfile", 0, true, RF_SKIP},
    {"cpu-count", 0, true, RF_SKIP},
    {"cpu-percent", 0, true, RF_SKIP},
    {"cpu-period", 0, true, RF_SKIP},
    {"cpu-quota", 0, true, RF_SKIP},
    {"cpu-rt-period", 0, true, RF_SKIP},
    {"cpu-rt-runtime", 0, true, RF_SKIP},
    {"cpu-shares", 'c', true, RF_SKIP},
    {"cpus", 0, true, RF_CPUS},
    {"cpuset-cpus", 0, true, RF_SKIP},
    {"cpuset-mems", 0, true, RF_SKIP},
    {"creds", 0, true, RF_SKIP},
    {"decryption-key", 0, true, RF_SKIP},
    {"detach", 'd', false, RF_SKIP},
    {"detach-keys", 0, true, RF_SKIP},
    {"device", 0, true, RF_DEVICE},
    {"device-cgroup-rule", 0, true, RF_DEVICE_CGROUP_RULE},
    {"device-read-bps", 0, true, RF_SKIP},
    {"device-read-iops", 0, true, RF_SKIP},
    {"device-write-bps", 0, true, RF_SKIP},
    {"device-write-iops", 0, true, RF_SKIP},
    {"disable-content-trust", 0, false, RF_SKIP},
    {"dns", 0, true, RF_SKIP},
    {"dns-opt", 0, true, RF_SKIP},
    {"dns-option", 0, true, RF_SKIP},
    {"dns-search", 0, true, RF_SKIP},
    {"domainname", 0, true, RF_SKIP},
    {"entrypoint", 0, true, RF_SKIP},
    {"env", 'e', true, RF_ENV},
    {"env-file", 0, true, RF_SKIP},
    {"env-host", 0, false, RF_SKIP},
    {"env-merge", 0, true, RF_SKIP},
    {"expose", 0, true, RF_SKIP},
    {"gidmap", 0, true, RF_SKIP},
    {"gpus", 0, true, RF_GPUS},
    {"group-add", 0, true, RF_GROUP_ADD},
    {"group-entry", 0, true, RF_SKIP},
    {"health-cmd", 0, true, RF_SKIP},
    {"health-interval", 0, true, RF_SKIP},
    {"health-log-destination", 0, true, RF_SKIP},
    {"health-max-log-count", 0, true, RF_SKIP},
    {"health-max-log-size", 0, true, RF_SKIP},
    {"health-on-failure", 0, true, RF_SKIP},
    {"health-retries", 0, true, RF_SKIP},
    {"health-start-interval", 0, true, RF_SKIP},
    {"health-start-period", 0, true, RF_SKIP},
    {"health-startup-cmd", 0, true, RF_SKIP},
    {"health-startup-interval", 0, true, RF_SKIP},
    {"health-startup-retries", 0, true, RF_SKIP},
    {"health-startup-success", 0, true, RF_SKIP},
    {"health-startup-timeout", 0, true, RF_SKIP},
    {"health-timeout", 0, true, RF_SKIP},
    {"help", 0, false, RF_HELP},
    {"hostname", 'h', true, RF_SKIP},
    {"hosts-file", 0, true, RF_SKIP},
    {"hostuser", 0, true, RF_SKIP},
    {"http-proxy", 0, false, RF_SKIP},
    {"image-volume", 0, true, RF_SKIP},
    {"init", 0, false, RF_SKIP},
    {"init-path", 0, true, RF_SKIP},
    {"interactive", 'i', false, RF_SKIP},
    {"io-maxbandwidth", 0, true, RF_SKIP},
    {"io-maxiops", 0, true, RF_SKIP},
    {"ip", 0, true, RF_SKIP},
    {"ip6", 0, true, RF_SKIP},
    {"ipc", 0, true, RF_IPC},
    {"isolation", 0, true, RF_SKIP},
    {"kernel-memory", 0, true, RF_SKIP},
    {"label", 'l', true, RF_SKIP},
    {"label-file", 0, true, RF_SKIP},
    {"link", 0, true, RF_SKIP},
    {"link-local-ip", 0, true, RF_SKIP},
    {"log-driver", 0, true, RF_SKIP},
    {"log-opt", 0, true, RF_SKIP},
    {"mac-address", 0, true, RF_SKIP},
    {"memory", 'm', true, RF_MEMORY},
    {"memory-reservation", 0, true, RF_SKIP},
    {"memory-swap", 0, true, RF_SKIP},
    {"memory-swappiness", 0, true, RF_SKIP},
    {"mount", 0, true, RF_MOUNT},
    {"name", 0, true, RF_NAME},
    {"net", 0, true, RF_NETWORK},
    {"net-alias", 0, true, RF_SKIP},
    {"network", 0, true, RF_NETWORK},
    {"network-alias", 0, true, RF_SKIP},
    {"no-healthcheck", 0, false, RF_SKIP},
    {"no-hostname", 0, false, RF_SKIP},
    {"no-hosts", 0, false, RF_SKIP},
    {"oom-kill-disable", 0, false, RF_SKIP},
    {"oom-score-adj", 0, true, RF_SKIP},
    {"os", 0, true, RF_SKIP},
    {"passwd", 0, false, RF_SKIP},
    {"passwd-entry", 0, true, RF_SKIP},
    {"personality", 0, true, RF_SKIP},
    {"pid", 0, true, RF_PID},
    {"pidfile", 0, true, RF_SKIP},
    {"pids-limit", 0, true, RF_PIDS_LIMIT},
    {"platform", 0, true, RF_SKIP},
    {"pod", 0, true, RF_SKIP},
    {"pod-id-file", 0, true, RF_SKIP},
    {"preserve-fd", 0, true, RF_SKIP},
    {"preserve-fds", 0, true, RF_SKIP},
    {"privileged", 0, false, RF_PRIVILEGED},
    {"publish", 'p', true, RF_PUBLISH},
    {"publish-all", 'P', false, RF_PUBLISH_ALL},
    {"pull", 0, true, RF_PULL},
    {"quiet", 'q', false, RF_SKIP},
    {"rdt-class", 0, true, RF_SKIP},
    {"read-only", 0, false, RF_READ_ONLY},
    {"read-only-tmpfs", 0, false, RF_SKIP},
    {"replace", 0, false, RF_SKIP},
    {"requires", 0, true, RF_SKIP},
    {"restart", 0, true, RF_SKIP},
    {"retry", 0, true, RF_SKIP},
    {"retry-delay", 0, true, RF_SKIP},
    {"rm", 0, false, RF_SKIP},
    {"rmi", 0, false, RF_SKIP},
    {"rootfs", 0, false, RF_SKIP},
    {"runtime", 0, true, RF_SKIP},
    {"sdnotify", 0, true, RF_SKIP},
    {"seccomp-policy", 0, true, RF_SKIP},
    {"secret", 0, true, RF_SKIP},
    {"security-opt", 0, true, RF_SECOPT},
    {"shm-size", 0, true, RF_SKIP},
    {"shm-size-systemd", 0, true, RF_SKIP},
    {"sig-proxy", 0, false, RF_SKIP},
    {"stop-signal", 0, true, RF_SKIP},
    {"stop-timeout", 0, true, RF_SKIP},
    {"storage-opt", 0, true, RF_SKIP},
    {"subgidname", 0, true, RF_SKIP},
    {"subuidname", 0, true, RF_SKIP},
    {"sysctl", 0, true, RF_SYSCTL},
    {"systemd", 0, true, RF_SKIP},
    {"timeout", 0, true, RF_SKIP},
    {"tls-verify", 0, false, RF_SKIP},
    {"tmpfs", 0, true, RF_TMPFS},
    {"tty", 't', false, RF_SKIP},
    {"tz", 0, true, RF_SKIP},
    {"uidmap", 0, true, RF_SKIP},
    {"ulimit", 0, true, RF_SKIP},
    {"umask", 0, true, RF_SKIP},
    {"unsetenv", 0, true, RF_SKIP},
    {"unsetenv-all", 0, false, RF_SKIP},
    {"use-api-socket", 0, false, RF_API_SOCKET},
    {"user", 'u', true, RF_USER},
    {"userns", 0, true, RF_USERNS},
    {"uts", 0, true, RF_UTS},
    {"variant", 0, true, RF_SKIP},
    {"volume", 'v', true, RF_VOLUME},
    {"volume-driver", 0, true, RF_SKIP},
    {"volumes-from", 0, true, RF_SKIP},
    {"workdir", 'w', true, RF_SKIP},
};

/* Global options of docker and podman (before the sub-command) that take a value. */
static const char *const ra_global_long[] = {
    "cdi-spec-dir",
    "cgroup-manager",
    "config",
    "conmon",
    "connection",
    "context",
    "db-backend",
    "events-backend",
    "hooks-dir",
    "host",
    "identity",
    "imagestore",
    "log-level",
    "module",
    "network-cmd-path",
    "network-config-dir",
    "out",
    "root",
    "runroot",
    "runtime",
    "runtime-flag",
    "ssh",
    "storage-driver",
    "storage-opt",
    "tlscacert",
    "tlscert",
    "tlskey",
    "tmpdir",
    "url",
    "volumepath",
};
static const char ra_global_short[] = "Hcl"; /* -H host, -c context/connection, -l level */

static const struct ra_flag *ra_flag_long(const char *name, size_t n)
{
    size_t k;

    for (k = 0; k < sizeof(ra_flags) / sizeof(ra_flags[0]); k++) {
        if (strlen(ra_flags[k].name) == n && !memcmp(ra_flags[k].name, name, n))
            return &ra_flags[k];
    }
    return NULL;
}

static const struct ra_flag *ra_flag_short(char c)
{
    size_t k;

    for (k = 0; k < sizeof(ra_flags) / sizeof(ra_flags[0]); k++) {
        if (ra_flags[k].shortname == c)
            return &ra_flags[k];
    }
    return NULL;
}

static bool ra_global_takes_value(const char *w)
{
    size_t k;

    if (w[1] != '-')
        return w[1] && !w[2] && strchr(ra_global_short, w[1]) != NULL;
    if (strchr(w, '='))
        return false;
    for (k = 0; k < sizeof(ra_global_long) / sizeof(ra_global_long[0]); k++) {
        if (!strcmp(w + 2, ra_global_long[k]))
            return true;
    }
    return false;
}

static const char *ra_basename(const char *s)
{
    const char *slash = strrchr(s, '/');

    return slash ? slash + 1 : s;
}

static bool ra_is_tool(const char *word)
{
    const char *b = ra_basename(word);

    return !strcmp(b, "docker") || !strcmp(b, "podman") || !strcmp(b, "docker.exe") ||
           !strcmp(b, "podman.exe") || !strcmp(b, "podman-remote");
}

/* ---- variables inside values -------------------------------------------- */

/*
 * Length of the shell expansion starting at s[0] == '$' or '`' ($NAME, ${..},
 * $(..), `..`, $1), or 0 when s does not start one. Nesting is counted so
 * that a `:` inside `${A:-/x}` stays inside.
 */
static size_t ra_var_len(const char *s)
{
    size_t i = 1, depth = 1;
    char open, close;

    if (s[0] == '`') {
        while (s[i] && s[i] != '`')
            i++;
        return s[i] ? i + 1 : i;
    }
    if (s[0] != '$')
        return 0;
    if (s[1] == '{' || s[1] == '(') {
        open = s[1];
        close = open == '{' ? '}' : ')';
        for (i = 2; s[i] && depth; i++) {
            if (s[i] == open)
                depth++;
            else if (s[i] == close)
                depth--;
        }
        return i;
    }
    if ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= 'a' && s[1] <= 'z') || s[1] == '_') {
        while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
               (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
            i++;
        return i;
    }
    if (s[1] && strchr("0123456789@*#?$!-", s[1]))
        return 2;
    return 0;
}

/* Does an expansion start at s? (ra_var_len() != 0, without scanning its length) */
static bool ra_var_starts(const char *s)
{
    char c = s[1];

    if (s[0] == '`')
        return true;
    return s[0] == '$' && c &&
           ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || strchr("_{(0123456789@*#?$!-", c));
}

static bool ra_has_var(const char *s)
{
    for (; *s; s++) {
        if (ra_var_starts(s))
            return true;
    }
    return false;
}

/* The same over the first n bytes (a part of a colon-separated spec). */
static bool ra_has_varn(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n && s[i]; i++) {
        if (ra_var_starts(s + i))
            return true;
    }
    return false;
}

/*
 * Split s at ':' outside expansions (a Windows drive `C:\` stays in its part).
 * Up to max parts; returns the count, or max + 1 when there are more.
 */
static size_t ra_split_colons(const char *s, const char **parts, size_t *lens, size_t max)
{
    size_t n = 0;
    const char *p = s, *start = s;
    bool no_bracket = false; /* no ']' is left: stop looking for one */

    for (;;) {
        size_t v;

        if (p == start && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
            p[1] == ':' && (p[2] == '\\' || p[2] == '/')) {
            p += 2;
            continue;
        }
        if (*p == ':' || !*p) {
            if (n == max)
                return max + 1;
            parts[n] = start;
            lens[n] = (size_t)(p - start);
            n++;
            if (!*p)
                return n;
            start = ++p;
            continue;
        }
        if (*p == '[' && !no_bracket) {
            /* an IPv6 address in brackets keeps its colons */
            const char *rb = strchr(p, ']');

            no_bracket = !rb;
            p = rb ? rb + 1 : p + 1;
            continue;
        }
        v = ra_var_len(p);
        p += v ? v : 1;
    }
}

/*
 * Room for a spec with its expansions swapped for stand-ins: no stand-in is
 * longer than 9 bytes and each replaces at least 2, so 5x the text and a
 * little always fits; hitting the bound can only mean memory ran out.
 */
#define RA_BUF_MAX(spec) (strlen(spec) * 5 + 64)

/* Append (s, n) to buf with every expansion replaced by repl ("" keeps none). */
static void ra_put_subst(struct bh_buf *b, const char *s, size_t n, const char *repl)
{
    size_t i = 0;

    while (i < n) {
        size_t v = ra_var_len(s + i);

        if (v) {
            if (i + v > n)
                v = n - i;
            bh_buf_append(b, repl, strlen(repl));
            i += v;
        } else {
            bh_buf_append(b, s + i, 1);
            i++;
        }
    }
}

/* ---- filling the runspec -------------------------------------------------- */

struct ra_run {
    struct bh_arena *a;
    const char *file;
    struct bh_runspec *rs;
    struct bh_err *err;
};

static struct bh_loc ra_loc(const struct ra_run *R, const struct bh_word *w)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = R->file;
    l.line = w->line;
    l.col = w->line > 0 ? w->col : 0;
    return l;
}

static int ra_nomem(const struct ra_run *R)
{
    return bh_err_set(R->err, BH_ENOMEM, R->file, 0, 0, "out of memory reading a docker run line");
}

static int ra_push_str(const struct ra_run *R, struct bh_rs_list *l, const char *v,
                       struct bh_loc loc)
{
    struct bh_rs_str *s = BH_PUSH(R->a, l->v, l->n, l->cap);

    if (!s)
        return ra_nomem(R);
    s->v = v;
    s->loc = loc;
    return 0;
}

static void ra_set_str(struct bh_rs_str *s, const char *v, struct bh_loc loc)
{
    s->v = v;
    s->loc = loc;
}

/* `--flag`, `--flag=true|false`: 1 true, 0 false, -1 not a boolean (a variable). */
static int ra_bool(const char *v)
{
    bool b;

    if (!v)
        return 1;
    if (bh_norm_bool(v, &b))
        return -1;
    return b ? 1 : 0;
}

static void ra_set_bool(struct bh_rs_bool *b, const char *v, struct bh_loc loc)
{
    int t = ra_bool(v);

    if (t < 0)
        return;
    b->v = t ? BH_TRUE : BH_FALSE;
    b->loc = loc;
}

static int ra_add_mount(const struct ra_run *R, const struct bh_mount *m)
{
    struct bh_runspec *rs = R->rs;
    struct bh_mount *slot = BH_PUSH(R->a, rs->mounts, rs->nmounts, rs->mounts_cap);

    if (!slot)
        return ra_nomem(R);
    *slot = *m;
    return 0;
}

/*
 * -v SRC:DST[:OPTS]. A spec with variables is read with them replaced by
 * stand-ins so the shape is known; then the parts are put back as written and
 * a bind source with a variable is left unknown (source NULL). A malformed
 * spec is dropped: docker refuses to run it.
 */
static int ra_volume(const struct ra_run *R, const char *spec, struct bh_loc loc)
{
    struct bh_mount m;
    const char *parts[3];
    size_t lens[3], np, k;
    struct bh_buf b;
    int rc;

    if (!ra_has_var(spec)) {
        rc = bh_norm_volume(R->a, spec, &m);
        if (rc == BH_ENOMEM)
            return ra_nomem(R);
        if (rc)
            return 0;
        m.loc = loc;
        return ra_add_mount(R, &m);
    }
    np = ra_split_colons(spec, parts, lens, 3);
    if (np > 3)
        return 0;
    bh_buf_init(&b, RA_BUF_MAX(spec));
    for (k = 0; k < np; k++) {
        if (k)
            bh_buf_append(&b, ":", 1);
        /* the source becomes a relative path, the target an absolute one, options vanish */
        if (k == 2 && ra_has_varn(parts[k], lens[k]))
            bh_buf_append(&b, "rw", 2);
        else if (ra_var_len(parts[k]))
            ra_put_subst(&b, parts[k], lens[k], k == 0 && np > 1 ? "./v" : "/v");
        else
            ra_put_subst(&b, parts[k], lens[k], "v");
    }
    rc = b.failed ? BH_ENOMEM : bh_norm_volume(R->a, bh_buf_str(&b), &m);
    bh_buf_release(&b);
    if (rc == BH_ENOMEM)
        return ra_nomem(R);
    if (rc)
        return 0;
    if (np == 1) {
        m.target = bh_arena_strdup(R->a, spec);
    } else {
        m.source_raw = bh_arena_strndup(R->a, parts[0], lens[0]);
        m.target = bh_arena_strndup(R->a, parts[1], lens[1]);
        if (!m.source_raw)
            return ra_nomem(R);
        if (m.kind == BH_MOUNT_BIND) {
            m.source = ra_has_var(m.source_raw) ? NULL : bh_norm_path(R->a, m.source_raw);
        } else {
            m.source = m.source_raw;
        }
    }
    if (!m.target)
        return ra_nomem(R);
    m.loc = loc;
    return ra_add_mount(R, &m);
}

/* A bind source as written: normalised when absolute and free of variables, else NULL. */
static const char *ra_bind_source(const struct ra_run *R, const char *raw)
{
    if (!raw || ra_has_var(raw))
        return NULL;
    return bh_norm_path(R->a, raw);
}

/*
 * One field of a --mount value, CSV as docker reads it: a field may be double
 * quoted, with "" for a quote inside. *p advances past the field and its comma.
 */
static char *ra_csv_field(const struct ra_run *R, const char **p)
{
    struct bh_buf b;
    const char *s = *p;
    char *out;
    bool q = false;

    bh_buf_init(&b, strlen(s) + 1); /* a field is never longer than its text */
    for (; *s; s++) {
        if (q) {
            if (*s == '"' && s[1] == '"') {
                bh_buf_append(&b, "\"", 1);
                s++;
            } else if (*s == '"') {
                q = false;
            } else {
                bh_buf_append(&b, s, 1);
            }
        } else if (*s == '"') {
            q = true;
        } else if (*s == ',') {
            s++;
            break;
        } else {
            bh_buf_append(&b, s, 1);
        }
    }
    *p = s;
    out = b.failed ? NULL : bh_arena_strndup(R->a, bh_buf_str(&b), b.len);
    bh_buf_release(&b);
    return out;
}

/*
 * --mount type=bind|volume|tmpfs|npipe|...,source|src=,target|dst|destination=,
 * readonly|ro[=bool],bind-propagation=. type defaults to volume. A named pipe
 * (npipe) is a bind of a host object; image, cluster and podman's extra types
 * are "other".
 */
static int ra_mount(const struct ra_run *R, const char *spec, struct bh_loc loc)
{
    struct bh_mount m;
    const char *p = spec, *type = "volume", *src = NULL;
    bool any = false;

    memset(&m, 0, sizeof(m));
    while (*p) {
        char *f = ra_csv_field(R, &p), *eq;
        const char *key, *val;

        if (!f)
            return ra_nomem(R);
        if (!*f)
            continue;
        any = true;
        eq = strchr(f, '=');
        if (eq)
            *eq = '\0';
        key = f;
        val = eq ? eq + 1 : NULL;
        if (!strcmp(key, "type") && val) {
            type = val;
        } else if ((!strcmp(key, "source") || !strcmp(key, "src")) && val) {
            src = val;
        } else if ((!strcmp(key, "target") || !strcmp(key, "dst") || !strcmp(key, "destination")) &&
                   val) {
            m.target = val;
        } else if (!strcmp(key, "readonly") || !strcmp(key, "ro")) {
            m.read_only = ra_bool(val) != 0;
        } else if (!strcmp(key, "bind-propagation") && val) {
            m.propagation = val;
        }
    }
    if (!any)
        return 0;
    if (!strcmp(type, "bind") || !strcmp(type, "npipe")) {
        m.kind = BH_MOUNT_BIND;
        m.source_raw = src;
        m.source = ra_bind_source(R, src);
    } else if (!strcmp(type, "volume")) {
        m.kind = BH_MOUNT_VOLUME;
        m.source_raw = src;
        m.source = src;
    } else if (!strcmp(type, "tmpfs") || !strcmp(type, "ramfs")) {
        m.kind = BH_MOUNT_TMPFS;
    } else {
        m.kind = BH_MOUNT_OTHER;
        m.source_raw = src;
        m.source = src;
    }
    m.loc = loc;
    return ra_add_mount(R, &m);
}

/* --tmpfs DST[:OPTS] */
static int ra_tmpfs(const struct ra_run *R, const char *spec, struct bh_loc loc)
{
    struct bh_mount m;
    const char *colon = strchr(spec, ':'), *o;

    memset(&m, 0, sizeof(m));
    m.kind = BH_MOUNT_TMPFS;
    m.target = colon ? bh_arena_strndup(R->a, spec, (size_t)(colon - spec)) : spec;
    if (!m.target)
        return ra_nomem(R);
    for (o = colon; o && *o;) {
        const char *e = strchr(o + 1, ',');
        size_t n = e ? (size_t)(e - o - 1) : strlen(o + 1);

        if (n == 2 && !memcmp(o + 1, "ro", 2))
            m.read_only = true;
        o = e;
    }
    m.loc = loc;
    return ra_add_mount(R, &m);
}

/*
 * -p [[IP:]HOST:]CONT[/proto]. Variables stand in as port 0 (unknown); a
 * variable in the IP part keeps the IP as written, neither wildcard nor
 * loopback. A malformed spec is dropped: docker refuses it.
 */
static int ra_publish(const struct ra_run *R, const char *spec, struct bh_loc loc)
{
    struct bh_runspec *rs = R->rs;
    struct bh_port port, *slot;
    const char *parts[3], *ip = NULL;
    size_t lens[3], np, k;
    bool var_cont = false;
    struct bh_buf b;
    int rc;

    if (!ra_has_var(spec)) {
        rc = bh_norm_port(R->a, spec, &port);
    } else {
        np = ra_split_colons(spec, parts, lens, 3);
        if (np > 3)
            return 0;
        bh_buf_init(&b, RA_BUF_MAX(spec));
        for (k = 0; k < np; k++) {
            if (k)
                bh_buf_append(&b, ":", 1);
            if (np == 3 && k == 0 && ra_has_varn(parts[0], lens[0])) {
                bh_buf_append(&b, "192.0.2.1", 9);
                ip = bh_arena_strndup(R->a, parts[0], lens[0]);
                if (!ip) {
                    bh_buf_release(&b);
                    return ra_nomem(R);
                }
            } else if (k + 1 == np) {
                var_cont = ra_has_varn(parts[k], lens[k]);
                ra_put_subst(&b, parts[k], lens[k], var_cont ? "1" : "");
            } else {
                ra_put_subst(&b, parts[k], lens[k], "0");
            }
        }
        rc = b.failed ? BH_ENOMEM : bh_norm_port(R->a, bh_buf_str(&b), &port);
        bh_buf_release(&b);
        if (!rc && var_cont)
            port.cont_lo = port.cont_hi = 0;
        if (!rc && ip)
            port.host_ip = ip;
    }
    if (rc == BH_ENOMEM)
        return ra_nomem(R);
    if (rc)
        return 0;
    port.raw = spec;
    port.loc = loc;
    slot = BH_PUSH(R->a, rs->ports, rs->nports, rs->ports_cap);
    if (!slot)
        return ra_nomem(R);
    *slot = port;
    return 0;
}

/* Docker's device permission letters. */
static bool ra_dev_perms(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s != 'r' && *s != 'w' && *s != 'm')
            return false;
    }
    return true;
}

/* --device HOST[:CONT][:PERMS]; a second part made of r/w/m letters is PERMS, as docker reads it.
 */
static int ra_device(const struct ra_run *R, const char *spec, struct bh_loc loc)
{
    struct bh_runspec *rs = R->rs;
    struct bh_device *d;
    const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

    d = BH_PUSH(R->a, rs->devices, rs->ndevices, rs->devices_cap);
    if (!d)
        return ra_nomem(R);
    d->loc = loc;
    if (!c1) {
        d->host_path = spec;
        return 0;
    }
    d->host_path = bh_arena_strndup(R->a, spec, (size_t)(c1 - spec));
    if (c2) {
        d->cont_path = bh_arena_strndup(R->a, c1 + 1, (size_t)(c2 - c1 - 1));
        d->perms = c2 + 1;
    } else if (ra_dev_perms(c1 + 1)) {
        d->perms = c1 + 1;
    } else {
        d->cont_path = c1 + 1;
    }
    if (!d->host_path || (c2 && !d->cont_path))
        return ra_nomem(R);
    return 0;
}

/* Record flag f with value v (NULL for a boolean written without `=`) given by word w. */
static int ra_apply(const struct ra_run *R, const struct ra_flag *f, const char *v,
                    const struct bh_word *w)
{
    struct bh_runspec *rs = R->rs;
    struct bh_loc loc = ra_loc(R, w);

    switch (f->field) {
    case RF_SKIP:
    case RF_HELP:
        return 0;
    case RF_NAME:
        rs->name = v;
        return 0;
    case RF_PRIVILEGED:
        ra_set_bool(&rs->privileged, v, loc);
        return 0;
    case RF_READ_ONLY:
        ra_set_bool(&rs->read_only_rootfs, v, loc);
        return 0;
    case RF_PUBLISH_ALL:
        if (ra_bool(v) >= 0) {
            rs->publish_all = ra_bool(v) == 1;
            rs->publish_all_loc = loc;
        }
        return 0;
    case RF_API_SOCKET: {
        struct bh_mount m;

        /* docker 28 bind-mounts the engine socket for this flag */
        if (ra_bool(v) != 1)
            return 0;
        memset(&m, 0, sizeof(m));
        m.kind = BH_MOUNT_BIND;
        m.source_raw = "/var/run/docker.sock";
        m.source = bh_norm_path(R->a, m.source_raw);
        m.target = "/var/run/docker.sock";
        m.loc = loc;
        if (!m.source)
            return ra_nomem(R);
        return ra_add_mount(R, &m);
    }
    case RF_CAP_ADD:
        return ra_push_str(R, &rs->cap_add, v, loc);
    case RF_CAP_DROP:
        return ra_push_str(R, &rs->cap_drop, v, loc);
    case RF_GROUP_ADD:
        return ra_push_str(R, &rs->group_add, v, loc);
    case RF_SECOPT:
        return ra_push_str(R, &rs->security_opt, v, loc);
    case RF_DEVICE_CGROUP_RULE:
        return ra_push_str(R, &rs->device_cgroup_rules, v, loc);
    case RF_GPUS:
        return ra_push_str(R, &rs->gpus, v, loc);
    case RF_SYSCTL:
        return ra_push_str(R, &rs->sysctls, v, loc);
    case RF_ADD_HOST:
        return ra_push_str(R, &rs->extra_hosts, v, loc);
    case RF_ENV: {
        const char *eq = strchr(v, '=');

        /* NAME alone passes the caller's value through: nothing literal to record */
        if (!eq || eq == v)
            return 0;
        return ra_push_str(R, &rs->env, v, loc);
    }
    case RF_NETWORK:
        ra_set_str(&rs->network, v, loc);
        return 0;
    case RF_PID:
        ra_set_str(&rs->pid, v, loc);
        return 0;
    case RF_IPC:
        ra_set_str(&rs->ipc, v, loc);
        return 0;
    case RF_UTS:
        ra_set_str(&rs->uts, v, loc);
        return 0;
    case RF_USERNS:
        ra_set_str(&rs->userns, v, loc);
        return 0;
    case RF_CGROUPNS:
        ra_set_str(&rs->cgroupns, v, loc);
        return 0;
    case RF_USER:
        ra_set_str(&rs->user, v, loc);
        return 0;
    case RF_PULL:
        ra_set_str(&rs->pull_policy, v, loc);
        return 0;
    case RF_MEMORY:
        ra_set_str(&rs->mem_limit, v, loc);
        return 0;
    case RF_CPUS:
        ra_set_str(&rs->cpu_limit, v, loc);
        return 0;
    case RF_PIDS_LIMIT:
        ra_set_str(&rs->pids_limit, v, loc);
        return 0;
    case RF_VOLUME:
        return ra_volume(R, v, loc);
    case RF_MOUNT:
        return ra_mount(R, v, loc);
    case RF_TMPFS:
        return ra_tmpfs(R, v, loc);
    case RF_PUBLISH:
        return ra_publish(R, v, loc);
    case RF_DEVICE:
        return ra_device(R, v, loc);
    }
    return 0;
}

static int ra_missing(const struct ra_run *R, const struct bh_word *w, const char *flag)
{
    return bh_err_set(R->err, BH_EPARSE, R->file, w->line, w->line > 0 ? w->col : 0,
                      "flag '%s' needs a value", flag);
}

/*
 * The flags from words[i] on, up to the image. Returns 0 with *image set to
 * the image's index (nwords when there is none), 1 for `--help`, or an error.
 */
static int ra_flags_read(const struct ra_run *R, const struct bh_word *words, size_t nwords,
                         size_t i, size_t *image)
{
    int rc;

    for (; i < nwords; i++) {
        const struct bh_word *w = &words[i];
        const char *t = w->text;

        if (!strcmp(t, "--")) {
            i++;
            break;
        }
        if (t[0] != '-' || !t[1])
            break;
        if (t[1] == '-') {
            const char *eq = strchr(t + 2, '=');
            size_t n = eq ? (size_t)(eq - t - 2) : strlen(t + 2);
            const struct ra_flag *f = ra_flag_long(t + 2, n);
            const char *v = eq ? eq + 1 : NULL;

            /* an unknown flag takes no value unless written `--x=v` */
            if (!f)
                continue;
            if (f->field == RF_HELP)
                return 1;
            if (f->value && !v) {
                if (i + 1 >= nwords)
                    return ra_missing(R, w, t);
                v = words[++i].text;
            }
            if ((rc = ra_apply(R, f, v, w)))
                return rc;
            continue;
        }
        /* a cluster of short flags: -it, -itd, -p8080:80, -eA=1, -e=A=1, -uroot */
        for (t++; *t; t++) {
            const struct ra_flag *f = ra_flag_short(*t);
            const char *v = NULL;
            char flag[3] = {'-', *t, '\0'};

            if (t[1] == '=')
                v = t + 2;
            if (!f) {
                if (v)
                    break;
                continue; /* unknown: taken as a boolean */
            }
            if (f->value && !v && t[1])
                v = t + 1;
            if (f->value && !v) {
                if (i + 1 >= nwords)
                    return ra_missing(R, w, flag);
                v = words[++i].text;
            }
            if ((rc = ra_apply(R, f, v, w)))
                return rc;
            if (v)
                break;
        }
    }
    *image = i;
    return 0;
}

int bh_runargs_from_words(struct bh_arena *a, const char *file, const struct bh_word *words,
                          size_t nwords, struct bh_runspec *out, struct bh_err *err)
{
    struct bh_runspec rs;
    struct ra_run R;
    const char *tool, *sub;
    size_t i = 1, image = 0;
    int rc;

    if (nwords == 0 || !ra_is_tool(words[0].text))
        return 1;
    tool = ra_basename(words[0].text);
    tool = bh_str_prefix(tool, "podman") ? "podman" : "docker";
    while (i < nwords && words[i].text[0] == '-' && words[i].text[1]) {
        if (!strcmp(words[i].text, "--"))
            return 1;
        if (ra_global_takes_value(words[i].text))
            i++;
        i++;
    }
    if (i >= nwords)
        return 1;
    if (!strcmp(words[i].text, "container") && i + 1 < nwords)
        i++;
    sub = words[i].text;
    if (strcmp(sub, "run") && strcmp(sub, "create"))
        return 1;
    bh_runspec_init(&rs);
    R.a = a;
    R.file = file;
    R.rs = &rs;
    R.err = err;
    rc = ra_flags_read(&R, words, nwords, i + 1, &image);
    if (rc)
        return rc;
    rs.source_kind = "cli";
    rs.loc = ra_loc(&R, &words[0]);
    if (image < nwords) {
        rs.image.v = words[image].text;
        rs.image.loc = ra_loc(&R, &words[image]);
    }
    if (!rs.name || !*rs.name) {
        rs.name = rs.image.v ? bh_arena_printf(a, "%s %s %s", tool, sub, rs.image.v)
                             : bh_arena_printf(a, "%s %s", tool, sub);
        if (!rs.name)
            return ra_nomem(&R);
    }
    *out = rs;
    return 0;
}

/* ---- finding the commands in a file ------------------------------------- */

/*
 * A piece of shell text handed to the tokenizer. Either its bytes sit in the
 * file as they are (map NULL; text[0] is at line:col), or they were rebuilt
 * (Makefile `$$`, a YAML scalar after unescaping and folding) and map[i] is
 * the file offset of text[i].
 */
struct ra_unit {
    const char *text;
    size_t len;
    const size_t *map; /* len + 1 entries, or NULL */
    int line, col;     /* of text[0] when map is NULL; else 1, 1 */
    size_t *nl;        /* offsets of '\n' in text, filled lazily */
    size_t nnl;
    bool nl_done;
};

struct ra_ctx {
    struct bh_arena *a;
    const char *file;
    const char *src;
    size_t len;
    size_t *nl; /* offsets of '\n' in src */
    size_t nnl;
    struct bh_runset *out;
    struct bh_err *err;
    const char **seen; /* YAML scalar texts already read (open addressing, seen_cap slots) */
    size_t nseen, seen_cap;
};

static int ra_ctx_nomem(const struct ra_ctx *X)
{
    return bh_err_set(X->err, BH_ENOMEM, X->file, 0, 0, "out of memory reading '%s'", X->file);
}

/* Offsets of every '\n' in (s, n), in the arena. */
static int ra_newlines(struct bh_arena *a, const char *s, size_t n, size_t **out, size_t *nout)
{
    size_t k, c = 0;
    const char *p;

    for (p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        c++;
    *nout = c;
    *out = NULL;
    if (!c)
        return 0;
    *out = bh_arena_calloc(a, c, sizeof(**out));
    if (!*out)
        return BH_ENOMEM;
    for (k = 0, p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        (*out)[k++] = (size_t)(p - s);
    return 0;
}

/* How many entries of the sorted nl[] are below off. */
static size_t ra_below(const size_t *nl, size_t n, size_t off)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int ra_clamp_int(size_t v)
{
    return v > (size_t)INT_MAX ? INT_MAX : (int)v;
}

/* File line and byte column of file offset off. */
static void ra_file_pos(const struct ra_ctx *X, size_t off, int *line, int *col)
{
    size_t k = ra_below(X->nl, X->nnl, off);

    *line = ra_clamp_int(k + 1);
    *col = ra_clamp_int(k ? off - X->nl[k - 1] : off + 1);
}

static int ra_unit_nl(struct ra_ctx *X, struct ra_unit *u)
{
    if (u->nl_done)
        return 0;
    u->nl_done = true;
    return ra_newlines(X->a, u->text, u->len, &u->nl, &u->nnl);
}

/* The offset in u->text of a (line, col) the tokenizer gave in u's coordinates. */
static size_t ra_unit_off(const struct ra_unit *u, int line, int col)
{
    size_t k, off;

    if (line < u->line || col < 1)
        return 0;
    k = (size_t)(line - u->line);
    if (k == 0)
        off = col >= u->col ? (size_t)(col - u->col) : 0;
    else if (k <= u->nnl)
        off = u->nl[k - 1] + (size_t)col;
    else
        off = u->len;
    return off > u->len ? u->len : off;
}

/* (line, col) in u's coordinates of offset off. */
static void ra_unit_pos(const struct ra_unit *u, size_t off, int *line, int *col)
{
    size_t k = ra_below(u->nl, u->nnl, off);

    *line = ra_clamp_int((size_t)u->line + k);
    *col = ra_clamp_int(k ? off - u->nl[k - 1] : off + (size_t)u->col);
}

/* Copy words so positions can be moved to the file's without touching the script. */
static struct bh_word *ra_words_to_file(struct ra_ctx *X, const struct ra_unit *u,
                                        const struct bh_word *w, size_t n)
{
    struct bh_word *c = bh_arena_calloc(X->a, n, sizeof(*c));
    size_t k;

    if (!c)
        return NULL;
    memcpy(c, w, n * sizeof(*c));
    if (!u->map)
        return c;
    for (k = 0; k < n; k++) {
        if (c[k].line <= 0)
            continue;
        ra_file_pos(X, u->map[ra_unit_off(u, c[k].line, c[k].col)], &c[k].line, &c[k].col);
    }
    return c;
}

static void ra_err_file(struct ra_ctx *X)
{
    if (X->err && !X->err->file[0])
        snprintf(X->err->file, sizeof(X->err->file), "%s", X->file);
}

/* Tokenize one unit and read every docker/podman run command in it. */
static int ra_unit_commands(struct ra_ctx *X, struct ra_unit *u)
{
    struct bh_script sc;
    size_t k;
    int rc;

    memset(&sc, 0, sizeof(sc));
    rc = bh_shell_parse(X->a, u->text, u->len, u->line, u->col, &sc, X->err);
    if (rc) {
        ra_err_file(X);
        return rc;
    }
    if ((rc = ra_unit_nl(X, u)))
        return ra_ctx_nomem(X);
    for (k = 0; k < sc.ncmds; k++) {
        const struct bh_shcmd *c = &sc.cmds[k];
        struct bh_runspec rs, *slot;
        struct bh_word *w;

        if (!c->argc || !ra_is_tool(c->argv[0].text))
            continue;
        if (!(w = ra_words_to_file(X, u, c->argv, c->argc)))
            return ra_ctx_nomem(X);
        rc = bh_runargs_from_words(X->a, X->file, w, c->argc, &rs, X->err);
        if (rc == 1)
            continue;
        if (rc)
            return rc;
        slot = BH_PUSH(X->a, X->out->specs, X->out->nspecs, X->out->specs_cap);
        if (!slot)
            return ra_ctx_nomem(X);
        *slot = rs;
    }
    return 0;
}

/* Frames of the `$(` scan: which bracket or quote is open. */
enum ra_frame { FR_SUBST, FR_PAREN, FR_DQ };

static bool ra_mentions_tool(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i + 6 <= n; i++) {
        if (!memcmp(s + i, "docker", 6) || !memcmp(s + i, "podman", 6))
            return true;
    }
    return false;
}

/*
 * The tokenizer keeps `$(...)` inside its word, so `id=$(docker run -d x)`
 * would go unseen. One linear pass over the text tracks quotes and brackets;
 * every closed `$(...)` that mentions docker or podman is tokenized as its
 * own unit (nested ones are found by the same pass). Quoting is approximated
 * (heredoc bodies are read as code): at worst a substitution is missed.
 */
static int ra_unit_substs(struct ra_ctx *X, struct ra_unit *u)
{
    enum ra_frame st[BH_MAX_SHELL_QUOTE_DEPTH];
    size_t open[BH_MAX_SHELL_QUOTE_DEPTH];
    const char *t = u->text;
    size_t n = u->len, i, d = 0, nsubst = 0;
    int rc;

    if (!ra_mentions_tool(t, n))
        return 0;
    for (i = 0; i < n; i++) {
        char c = t[i];
        bool in_dq = d && st[d - 1] == FR_DQ;

        if (c == '\\') {
            i++;
            continue;
        }
        if (c == '$' && i + 1 < n && t[i + 1] == '(') {
            if (d == BH_MAX_SHELL_QUOTE_DEPTH)
                return 0;
            st[d] = FR_SUBST;
            open[d++] = i + 2;
            nsubst++;
            i++;
            continue;
        }
        if (in_dq) {
            if (c == '"')
                d--;
            continue;
        }
        if (c == '\'') {
            const char *q = memchr(t + i + 1, '\'', n - i - 1);

            if (!q)
                return 0;
            i = (size_t)(q - t);
        } else if (c == '#' && (i == 0 || strchr(" \t\n;&|(", t[i - 1]))) {
            const char *q = memchr(t + i, '\n', n - i);

            if (!q)
                return 0;
            i = (size_t)(q - t);
        } else if (c == '"' || c == '(') {
            if (d == BH_MAX_SHELL_QUOTE_DEPTH)
                return 0;
            st[d] = c == '"' ? FR_DQ : FR_PAREN;
            open[d++] = i + 1;
        } else if (c == ')' && d) {
            d--;
            /* only the outer levels are read, so nesting cannot multiply the work */
            if (st[d] == FR_SUBST && nsubst-- <= BH_MAX_SHELL_NESTING &&
                ra_mentions_tool(t + open[d], i - open[d])) {
                struct ra_unit sub;

                memset(&sub, 0, sizeof(sub));
                sub.text = t + open[d];
                sub.len = i - open[d];
                if (u->map) {
                    sub.map = u->map + open[d];
                    sub.line = sub.col = 1;
                } else {
                    ra_unit_pos(u, open[d], &sub.line, &sub.col);
                }
                if ((rc = ra_unit_commands(X, &sub)))
                    return rc;
            }
        }
    }
    return 0;
}

static int ra_unit_scan(struct ra_ctx *X, struct ra_unit *u)
{
    int rc = ra_unit_commands(X, u);

    return rc ? rc : ra_unit_substs(X, u);
}

/*
 * The tokenizer bounds the words of one text (BH_MAX_SHELL_WORDS), which a
 * long script can pass. Such a script is read again in pieces of at most
 * BH_RUNARGS_SHELL_CHUNK bytes, each cut after a blank line where there is
 * one, else after a line that does not end in a backslash. A quote or heredoc
 * left open across a cut is misread; blank lines inside those are rare.
 */
static int ra_shell_chunks(struct ra_ctx *X)
{
    const char *s = X->src;
    size_t pos = 0, n = X->len;
    int rc;

    while (pos < n) {
        size_t end = n, k, line_end = 0;
        struct ra_unit u;

        if (n - pos > BH_RUNARGS_SHELL_CHUNK) {
            end = 0;
            for (k = pos + BH_RUNARGS_SHELL_CHUNK - 1; k > pos; k--) {
                if (s[k] != '\n')
                    continue;
                if (s[k - 1] == '\n') {
                    end = k + 1;
                    break;
                }
                if (!line_end && s[k - 1] != '\\')
                    line_end = k + 1;
            }
            if (!end)
                end = line_end;
            if (!end) {
                const char *nl = memchr(s + pos + BH_RUNARGS_SHELL_CHUNK, '\n',
                                        n - pos - BH_RUNARGS_SHELL_CHUNK);

                end = nl ? (size_t)(nl - s) + 1 : n;
            }
        }
        memset(&u, 0, sizeof(u));
        u.text = s + pos;
        u.len = end - pos;
        ra_file_pos(X, pos, &u.line, &u.col);
        if ((rc = ra_unit_scan(X, &u)))
            return rc;
        pos = end;
    }
    return 0;
}

static int ra_shell(struct ra_ctx *X)
{
    struct ra_unit u;
    int rc;

    memset(&u, 0, sizeof(u));
    u.text = X->src;
    u.len = X->len;
    u.line = u.col = 1;
    rc = ra_unit_scan(X, &u);
    if (rc != BH_ELIMIT || X->len <= BH_RUNARGS_SHELL_CHUNK)
        return rc;
    X->out->nspecs = 0;
    bh_err_init(X->err);
    return ra_shell_chunks(X);
}

/* ---- Makefiles ----------------------------------------------------------- */

static bool ra_make_word(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);

    return n >= wl && !memcmp(s, w, wl) && (n == wl || s[wl] == ' ' || s[wl] == '\t');
}

/*
 * What a non-recipe Makefile line is: 1 a rule (`target: prereqs`), 0 anything
 * else. *semi is the offset of an inline recipe after `;`, or n.
 */
static int ra_make_rule(const char *s, size_t n, size_t *semi)
{
    size_t i, depth = 0;
    bool colon = false;

    *semi = n;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
            depth++;
            i++;
        } else if (depth && (c == ')' || c == '}')) {
            depth--;
        } else if (depth) {
            continue;
        } else if (c == '#') {
            break;
        } else if (!colon && c == '=') {
            return 0; /* VAR = x, VAR ?= x, VAR += x */
        } else if (!colon && c == ':') {
            if (i + 1 < n && s[i + 1] == '=')
                return 0;
            if (i + 2 < n && s[i + 1] == ':' && s[i + 2] == '=')
                return 0;
            if (i + 3 < n && s[i + 1] == ':' && s[i + 2] == ':' && s[i + 3] == '=')
                return 0;
            colon = true;
        } else if (colon && c == ';') {
            *semi = i + 1;
            return 1;
        }
    }
    return colon ? 1 : 0;
}

/* Does the physical line (s, n) end in an odd number of backslashes (a continuation)? */
static bool ra_continues(const char *s, size_t n)
{
    size_t k = 0;

    if (n && s[n - 1] == '\r')
        n--;
    while (k < n && s[n - 1 - k] == '\\')
        k++;
    return k % 2 == 1;
}

/*
 * One recipe line as make hands it to the shell: `@`, `-`, `+` prefixes gone,
 * `$$` made `$`, the tab at the start of each continuation line dropped
 * (the backslash-newline itself stays for the shell).
 */
static int ra_make_recipe(struct ra_ctx *X, size_t from, size_t to)
{
    const char *s = X->src;
    struct ra_unit u;
    size_t *map, i = from, o = 0;
    char *text;

    while (i < to && (s[i] == ' ' || s[i] == '\t' || s[i] == '@' || s[i] == '-' || s[i] == '+'))
        i++;
    text = bh_arena_alloc(X->a, to - i + 1);
    map = bh_arena_calloc(X->a, to - i + 1, sizeof(*map));
    if (!text || !map)
        return ra_ctx_nomem(X);
    while (i < to) {
        map[o] = i;
        if (s[i] == '$' && i + 1 < to && s[i + 1] == '$') {
            text[o++] = '$';
            i += 2;
            continue;
        }
        text[o++] = s[i++];
        if (s[i - 1] == '\n' && i < to && s[i] == '\t')
            i++;
    }
    map[o] = to;
    text[o] = '\0';
    memset(&u, 0, sizeof(u));
    u.text = text;
    u.len = o;
    u.map = map;
    u.line = u.col = 1;
    return ra_unit_scan(X, &u);
}

static int ra_makefile(struct ra_ctx *X)
{
    const char *s = X->src;
    size_t pos = 0, n = X->len;
    bool in_rule = false, in_define = false;
    int rc;

    while (pos < n) {
        size_t start = pos, end, semi;
        const char *p;

        /* the logical line: physical lines joined by trailing backslashes */
        for (;;) {
            const char *nl = memchr(s + pos, '\n', n - pos);
            size_t pend = nl ? (size_t)(nl - s) : n;
            bool more = ra_continues(s + pos, pend - pos) && nl;

            pos = nl ? pend + 1 : n;
            end = pend;
            if (!more)
                break;
        }
        if (in_define) {
            for (p = s + start; p < s + end && (*p == ' ' || *p == '\t'); p++)
                ;
            if (ra_make_word(p, (size_t)(s + end - p), "endef"))
                in_define = false;
            continue;
        }
        if (s[start] == '\t' && in_rule) {
            if ((rc = ra_make_recipe(X, start + 1, end)))
                return rc;
            continue;
        }
        for (p = s + start; p < s + end && (*p == ' ' || *p == '\t' || *p == '\r'); p++)
            ;
        if (p == s + end || *p == '#')
            continue;
        {
            size_t ln = (size_t)(s + end - p);

            if (ra_make_word(p, ln, "define") || ra_make_word(p, ln, "override define") ||
                ra_make_word(p, ln, "export define")) {
                in_define = true;
                in_rule = false;
                continue;
            }
            if (ra_make_word(p, ln, "ifeq") || ra_make_word(p, ln, "ifneq") ||
                ra_make_word(p, ln, "ifdef") || ra_make_word(p, ln, "ifndef") ||
                ra_make_word(p, ln, "else") || ra_make_word(p, ln, "endif"))
                continue;
            in_rule = ra_make_rule(p, ln, &semi) == 1;
            if (in_rule && semi < ln) {
                if ((rc = ra_make_recipe(X, (size_t)(p - s) + semi, end)))
                    return rc;
            }
        }
    }
    return 0;
}

/* ---- CI YAML ------------------------------------------------------------- */

/* File offset of a yaml mark (1-based line, column counted in characters). */
static size_t ra_yaml_off(const struct ra_ctx *X, int line, int col)
{
    size_t off, k;
    int c = 1;

    if (line < 1)
        return 0;
    k = (size_t)(line - 1);
    if (k > X->nnl)
        return X->len;
    off = k ? X->nl[k - 1] + 1 : 0;
    while (off < X->len && X->src[off] != '\n' && c < col) {
        off++;
        while (off < X->len && ((unsigned char)X->src[off] & 0xc0) == 0x80)
            off++;
        c++;
    }
    return off;
}

static bool ra_skippable(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\' || c == '"' || c == '\'';
}

/*
 * Map each byte of a scalar's value to the file byte it came from. The value
 * differs from the source only by indentation, folding, quotes and escapes,
 * so the value's bytes are matched in order against the source, skipping
 * blanks, quotes and backslashes; a byte that does not match (an escape such
 * as \t) consumes one source byte. Word starts, the only positions used,
 * are never blanks, so they land exactly.
 */
static size_t *ra_yaml_map(struct ra_ctx *X, const struct bh_ynode *n)
{
    size_t *map = bh_arena_calloc(X->a, n->scalar_len + 1, sizeof(*map));
    size_t p, i, to = X->len;

    if (!map)
        return NULL;
    if (n->style == BH_YS_LITERAL || n->style == BH_YS_FOLDED)
        p = n->line >= 1 && (size_t)n->line <= X->nnl ? X->nl[n->line - 1] + 1
                                                      : X->len; /* after the header */
    else
        p = ra_yaml_off(X, n->line, n->col);
    if (n->is_alias_expanded) {
        /* the text lives at the anchor: point every word at the alias */
        for (i = 0; i <= n->scalar_len; i++)
            map[i] = p;
        return map;
    }
    for (i = 0; i < n->scalar_len; i++) {
        size_t q = p;
        char c = n->scalar[i];

        while (q < to && X->src[q] != c && ra_skippable(X->src[q]))
            q++;
        if (q < to && X->src[q] == c) {
            map[i] = q;
            p = q + 1;
        } else {
            map[i] = q < to ? q : to;
            p = q < to ? q + 1 : to;
        }
    }
    map[n->scalar_len] = p;
    return map;
}

static size_t ra_ptr_hash(const void *p, size_t cap)
{
    uintptr_t v = (uintptr_t)p;

    v ^= v >> 17;
    v *= (uintptr_t)0x9e3779b97f4a7c15ull;
    return (size_t)(v >> 7) & (cap - 1);
}

/*
 * Aliases and merge keys share the anchored node's scalar text, so one script
 * reached through many aliases (GitLab `script: *setup` in every job) is
 * read once, and an alias bomb cannot make the tokenizer run a million times.
 * Returns 1 when text was seen before, 0 after remembering it, or BH_ENOMEM.
 */
static int ra_seen(struct ra_ctx *X, const char *text)
{
    size_t k;

    if (X->nseen * 2 >= X->seen_cap) {
        size_t cap = X->seen_cap ? X->seen_cap * 2 : 64, j;
        const char **v = bh_arena_calloc(X->a, cap, sizeof(*v));

        if (!v)
            return BH_ENOMEM;
        for (j = 0; j < X->seen_cap; j++) {
            if (X->seen[j]) {
                for (k = ra_ptr_hash(X->seen[j], cap); v[k]; k = (k + 1) & (cap - 1))
                    ;
                v[k] = X->seen[j];
            }
        }
        X->seen = v;
        X->seen_cap = cap;
    }
    for (k = ra_ptr_hash(text, X->seen_cap); X->seen[k]; k = (k + 1) & (X->seen_cap - 1)) {
        if (X->seen[k] == text)
            return 1;
    }
    X->seen[k] = text;
    X->nseen++;
    return 0;
}

static int ra_yaml_script(struct ra_ctx *X, const struct bh_ynode *n, unsigned depth)
{
    size_t k;
    int rc;

    if (!n || depth > BH_MAX_YAML_DEPTH)
        return 0;
    if (n->type == BH_Y_SEQ) {
        for (k = 0; k < n->n; k++) {
            if ((rc = ra_yaml_script(X, n->items[k], depth + 1)))
                return rc;
        }
        return 0;
    }
    if (n->type != BH_Y_SCALAR || !n->scalar_len || !ra_mentions_tool(n->scalar, n->scalar_len))
        return 0;
    if ((rc = ra_seen(X, n->scalar)))
        return rc == 1 ? 0 : ra_ctx_nomem(X);
    {
        struct ra_unit u;
        size_t *map = ra_yaml_map(X, n);

        if (!map)
            return ra_ctx_nomem(X);
        memset(&u, 0, sizeof(u));
        u.text = n->scalar;
        u.len = n->scalar_len;
        u.map = map;
        u.line = u.col = 1;
        return ra_unit_scan(X, &u);
    }
}

/* Keys whose value is shell: GitHub/Gitea `run`, GitLab and Bitbucket `script` lists,
 * Azure `script`/`bash`, Buildkite `commands`, CircleCI `run.command`. */
static bool ra_yaml_script_key(const char *key, const char *parent)
{
    static const char *const keys[] = {"run",  "script",   "before_script", "after_script",
                                       "bash", "commands", "command"};
    size_t k;

    if (!strcmp(key, "command"))
        return parent && !strcmp(parent, "run");
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (!strcmp(key, keys[k]))
            return true;
    }
    return false;
}

static int ra_yaml_walk(struct ra_ctx *X, const struct bh_ynode *n, const char *parent,
                        unsigned depth)
{
    size_t k;
    int rc;

    if (!n || depth > BH_MAX_YAML_DEPTH)
        return 0;
    if (n->type == BH_Y_SEQ) {
        for (k = 0; k < n->n; k++) {
            if ((rc = ra_yaml_walk(X, n->items[k], NULL, depth + 1)))
                return rc;
        }
        return 0;
    }
    if (n->type != BH_Y_MAP)
        return 0;
    for (k = 0; k < n->n; k++) {
        const struct bh_ynode *key = n->pairs[k].key, *val = n->pairs[k].value;
        const char *kt = bh_yaml_is_scalar(key) ? key->scalar : NULL;

        if (kt && ra_yaml_script_key(kt, parent) && !bh_yaml_is_map(val))
            rc = ra_yaml_script(X, val, depth + 1);
        else
            rc = ra_yaml_walk(X, val, kt, depth + 1);
        if (rc)
            return rc;
    }
    return 0;
}

static int ra_yaml(struct ra_ctx *X)
{
    struct bh_ydoc *docs = NULL;
    size_t ndocs = 0, k;
    int rc;

    rc = bh_yaml_parse(X->a, X->file, X->src, X->len, 0, &docs, &ndocs, X->err);
    if (rc)
        return rc;
    for (k = 0; k < ndocs; k++) {
        if ((rc = ra_yaml_walk(X, docs[k].root, NULL, 0)))
            return rc;
    }
    return 0;
}

/* ---- Markdown ------------------------------------------------------------ */

static bool ra_info_is(const char *s, size_t n, const char *const *list, size_t nlist)
{
    size_t k;

    for (k = 0; k < nlist; k++) {
        if (bh_str_ieqn(s, n, list[k]))
            return true;
    }
    return false;
}

/*
 * A fence: blanks, then 3+ backticks or tildes. CommonMark allows three
 * spaces, but fences inside list items are indented further, and a literal
 * fence in an indented code block is rarer than a nested list.
 */
static bool ra_fence(const char *s, size_t n, char *ch, size_t *count, size_t *after)
{
    size_t i = 0, c = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || (s[i] != '`' && s[i] != '~'))
        return false;
    while (i + c < n && s[i + c] == s[i])
        c++;
    if (c < 3)
        return false;
    *ch = s[i];
    *count = c;
    *after = i + c;
    return true;
}

/* Blank bytes [from, to) of a copied block so the tokenizer skips them; newlines stay. */
static void ra_blank(char *s, size_t from, size_t to)
{
    for (; from < to; from++) {
        if (s[from] != '\n')
            s[from] = ' ';
    }
}

/*
 * A fenced block's lines (a copy, positions kept): `$ ` prompts become
 * blanks; in console blocks that have prompts, lines that are not commands
 * (output) are blanked, and so is the `> ` of a continuation prompt.
 */
static int ra_md_block(struct ra_ctx *X, size_t from, size_t to, int line, bool console)
{
    char *t = bh_arena_strndup(X->a, X->src + from, to - from);
    size_t n = to - from, pos, i;
    bool prompts = false, cont = false;
    struct ra_unit u;

    if (!t)
        return ra_ctx_nomem(X);
    for (pos = 0; console && pos < n;) {
        const char *nl = memchr(t + pos, '\n', n - pos);
        size_t e = nl ? (size_t)(nl - t) : n;

        for (i = pos; i < e && (t[i] == ' ' || t[i] == '\t'); i++)
            ;
        if (i + 1 < e && t[i] == '$' && t[i + 1] == ' ')
            prompts = true;
        pos = e + 1;
    }
    for (pos = 0; pos < n;) {
        const char *nl = memchr(t + pos, '\n', n - pos);
        size_t e = nl ? (size_t)(nl - t) : n;
        bool prev_cont = cont;

        for (i = pos; i < e && (t[i] == ' ' || t[i] == '\t'); i++)
            ;
        cont = ra_continues(t + pos, e - pos);
        if (i + 1 < e && t[i] == '$' && t[i + 1] == ' ') {
            t[i] = ' ';
        } else if (console && prompts && i + 1 < e && t[i] == '>' && t[i + 1] == ' ') {
            t[i] = ' ';
        } else if (console && prompts && !prev_cont) {
            ra_blank(t, pos, e);
            cont = false;
        }
        pos = e + 1;
    }
    memset(&u, 0, sizeof(u));
    u.text = t;
    u.len = n;
    u.line = line;
    u.col = 1;
    return ra_unit_scan(X, &u);
}

static int ra_markdown(struct ra_ctx *X)
{
    static const char *const shells[] = {
        "",        "sh",       "bash",          "shell",        "zsh",
        "console", "terminal", "shell-session", "shellsession", "sh-session"};
    static const char *const consoles[] = {"console", "terminal", "shell-session", "shellsession",
                                           "sh-session"};
    const char *s = X->src;
    size_t pos = 0, n = X->len, fcount = 0, block = 0;
    char fch = 0;
    bool in = false, want = false, console = false;
    int line = 0, bline = 0, rc;

    while (pos < n) {
        const char *nl = memchr(s + pos, '\n', n - pos);
        size_t e = nl ? (size_t)(nl - s) : n, after, c, i;
        char ch;

        line++;
        if (!in) {
            if (ra_fence(s + pos, e - pos, &ch, &c, &after)) {
                const char *info = s + pos + after, *ie;

                while (info < s + e && (*info == ' ' || *info == '\t'))
                    info++;
                for (ie = info; ie < s + e && *ie != ' ' && *ie != '\t' && *ie != '\r' &&
                                *ie != '{' && *ie != ',';
                     ie++)
                    ;
                if (ch == '`' && memchr(s + pos + after, '`', e - pos - after)) {
                    pos = e + 1;
                    continue; /* not a fence: an inline code span */
                }
                in = true;
                fch = ch;
                fcount = c;
                want = ra_info_is(info, (size_t)(ie - info), shells,
                                  sizeof(shells) / sizeof(shells[0]));
                console = ra_info_is(info, (size_t)(ie - info), consoles,
                                     sizeof(consoles) / sizeof(consoles[0]));
                block = e < n ? e + 1 : n;
                bline = line + 1;
            }
        } else if (ra_fence(s + pos, e - pos, &ch, &c, &after) && ch == fch && c >= fcount) {
            for (i = pos + after; i < e && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'); i++)
                ;
            if (i == e) {
                in = false;
                if (want && (rc = ra_md_block(X, block, pos, bline, console)))
                    return rc;
            }
        }
        pos = e + 1;
    }
    if (in && want && block < n)
        return ra_md_block(X, block, n, bline, console); /* an unclosed fence runs to the end */
    return 0;
}

/* ---- file kinds and bids ------------------------------------------------- */

enum ra_kind { RK_NONE, RK_SHELL, RK_MAKE, RK_MARKDOWN, RK_YAML };

static const char *ra_base(const char *name)
{
    const char *b = name, *p;

    for (p = name; *p; p++) {
        if (*p == '/' || *p == '\\')
            b = p + 1;
    }
    return b;
}

static bool ra_dockerfile_name(const char *b)
{
    return bh_str_ieq(b, "Dockerfile") || bh_str_ieq(b, "Containerfile") ||
           bh_str_iprefix(b, "Dockerfile.") || bh_str_iprefix(b, "Containerfile.") ||
           bh_str_isuffix(b, ".dockerfile") || bh_str_isuffix(b, ".containerfile");
}

static bool ra_yaml_name(const char *b)
{
    return bh_str_isuffix(b, ".yml") || bh_str_isuffix(b, ".yaml");
}

static bool ra_compose_name(const char *b)
{
    return ra_yaml_name(b) && (bh_str_iprefix(b, "compose.") || bh_str_iprefix(b, "compose-") ||
                               bh_str_iprefix(b, "docker-compose"));
}

/* A path component sequence such as ".github/workflows/" anywhere in name. */
static bool ra_under(const char *name, const char *dir)
{
    const char *p = strstr(name, dir);

    while (p) {
        if (p == name || p[-1] == '/' || p[-1] == '\\')
            return true;
        p = strstr(p + 1, dir);
    }
    return false;
}

static bool ra_ci_yaml_name(const char *name, const char *b)
{
    if (!ra_yaml_name(b))
        return false;
    return bh_str_iprefix(b, ".gitlab-ci.") || bh_str_iprefix(b, "azure-pipelines.") ||
           bh_str_iprefix(b, "bitbucket-pipelines.") || ra_under(name, ".github/workflows/") ||
           ra_under(name, ".gitea/workflows/") || ra_under(name, ".forgejo/workflows/") ||
           (ra_under(name, ".circleci/") && bh_str_iprefix(b, "config."));
}

/* The kind a name says, RK_NONE when it says nothing we read. */
static enum ra_kind ra_name_kind(const char *name)
{
    const char *b = ra_base(name);

    if (!strcmp(b, "Makefile") || !strcmp(b, "makefile") || !strcmp(b, "GNUmakefile") ||
        bh_str_suffix(b, ".mk"))
        return RK_MAKE;
    if (bh_str_isuffix(b, ".md") || bh_str_isuffix(b, ".markdown"))
        return RK_MARKDOWN;
    if (bh_str_suffix(b, ".sh") || bh_str_suffix(b, ".bash"))
        return RK_SHELL;
    if (ra_ci_yaml_name(name, b))
        return RK_YAML;
    return RK_NONE;
}

/* A `#!` line naming a POSIX-ish shell, directly or through env. */
static bool ra_shebang(const char *head, size_t len)
{
    static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh"};
    const char *nl, *p, *w;
    size_t k, wl;

    if (len < 2 || head[0] != '#' || head[1] != '!')
        return false;
    nl = memchr(head, '\n', len);
    len = nl ? (size_t)(nl - head) : len;
    for (p = head + 2; p < head + len;) {
        while (p < head + len && (*p == ' ' || *p == '\t'))
            p++;
        w = p;
        while (p < head + len && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
        wl = (size_t)(p - w);
        {
            const char *b = w + wl;

            while (b > w && b[-1] != '/')
                b--;
            if (wl && bh_str_ieqn(b, (size_t)(w + wl - b), "env"))
                continue;
            for (k = 0; k < sizeof(shells) / sizeof(shells[0]); k++) {
                if ((size_t)(w + wl - b) == strlen(shells[k]) &&
                    !memcmp(b, shells[k], strlen(shells[k])))
                    return true;
            }
        }
        if (wl && *w != '-')
            return false;
    }
    return false;
}

static bool ra_lex_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|' ||
           c == '(' || c == ')' || c == '`' || c == '"' || c == '\'' || c == '\\' || c == '<' ||
           c == '>' || c == '{' || c == '}';
}

/* The next lexical token of (s, n) from *i: (start, length); false at the end. */
static bool ra_lex_next(const char *s, size_t n, size_t *i, const char **tok, size_t *tl)
{
    size_t p = *i;

    while (p < n && ra_lex_sep(s[p]))
        p++;
    if (p >= n)
        return false;
    *tok = s + p;
    while (p < n && !ra_lex_sep(s[p]))
        p++;
    *tl = (size_t)(s + p - *tok);
    *i = p;
    return true;
}

static bool ra_tok_is(const char *t, size_t n, const char *w)
{
    return n == strlen(w) && !memcmp(t, w, n);
}

static bool ra_tok_tool(const char *t, size_t n)
{
    const char *b = t + n;

    while (b > t && b[-1] != '/')
        b--;
    n = (size_t)(t + n - b);
    return ra_tok_is(b, n, "docker") || ra_tok_is(b, n, "podman");
}

/* A cheap lexical look for `docker|podman [global options] [container] run|create`. */
static bool ra_has_run(const char *s, size_t n)
{
    size_t i = 0;
    const char *t;
    size_t tl;

    while (ra_lex_next(s, n, &i, &t, &tl)) {
        size_t j = i, look;
        bool container = false;

        if (!ra_tok_tool(t, tl))
            continue;
        for (look = 0; look < 16 && ra_lex_next(s, n, &j, &t, &tl); look++) {
            if (t[0] == '-') {
                char opt[32];

                if (tl < sizeof(opt)) {
                    memcpy(opt, t, tl);
                    opt[tl] = '\0';
                    if (!container && ra_global_takes_value(opt) && !ra_lex_next(s, n, &j, &t, &tl))
                        break;
                }
                continue;
            }
            if (!container && ra_tok_is(t, tl, "container")) {
                container = true;
                continue;
            }
            if (ra_tok_is(t, tl, "run") || ra_tok_is(t, tl, "create"))
                return true;
            break;
        }
    }
    return false;
}

int bh_runargs_bid(const char *name, const char *head, size_t len)
{
    const char *b = ra_base(name ? name : "");
    enum ra_kind kind = ra_name_kind(name ? name : "");

    if (ra_dockerfile_name(b) || ra_compose_name(b))
        return 0;
    if (!head)
        return kind != RK_NONE ? 40 : 0;
    if (kind == RK_NONE && !ra_shebang(head, len))
        return 0;
    return ra_has_run(head, len) ? 80 : 0;
}

int bh_runargs_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     struct bh_runset *out, struct bh_err *err)
{
    struct ra_ctx X;
    enum ra_kind kind;
    int rc;

    memset(out, 0, sizeof(*out));
    out->file = file;
    memset(&X, 0, sizeof(X));
    X.a = a;
    X.file = file ? file : "";
    X.src = text;
    X.len = len;
    X.out = out;
    X.err = err;
    if (len > BH_MAX_CONFIG_FILE)
        return bh_err_set(err, BH_ELIMIT, X.file, 0, 0,
                          "file larger than %u bytes (BH_MAX_CONFIG_FILE)",
                          (unsigned)BH_MAX_CONFIG_FILE);
    if (ra_newlines(a, text, len, &X.nl, &X.nnl))
        return ra_ctx_nomem(&X);
    if (bh_comments_ignores(a, text, len, &out->ignores, &out->nignores, &out->ignores_cap))
        return ra_ctx_nomem(&X);
    kind = ra_name_kind(X.file);
    if (kind == RK_NONE && ra_yaml_name(ra_base(X.file)) && !ra_shebang(text, len))
        kind = RK_YAML;
    switch (kind) {
    case RK_MAKE:
        rc = ra_makefile(&X);
        break;
    case RK_MARKDOWN:
        rc = ra_markdown(&X);
        break;
    case RK_YAML:
        rc = ra_yaml(&X);
        break;
    default:
        rc = ra_shell(&X);
        break;
    }
    return rc;
}
