/*
 * norm.c - the shared normalisers N2-N7 (RULES.md section 0). Pure string
 * work over values readers found; results live in the caller's arena. They
 * decide what a value means, never whether it is a mistake.
 */
#include "model/norm.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

#include <string.h>

static const char *const docker_default_caps[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER", "FSETID",  "KILL",   "MKNOD",
    "NET_BIND_SERVICE", "NET_RAW", "SETFCAP",      "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
};

const char *bh_norm_cap(struct bh_arena *a, const char *cap)
{
    size_t n, i;
    char *out;

    while (*cap == ' ' || *cap == '\t')
        cap++;
    if (bh_str_iprefix(cap, "CAP_"))
        cap += 4;
    n = strlen(cap);
    while (n && (cap[n - 1] == ' ' || cap[n - 1] == '\t'))
        n--;
    out = bh_arena_strndup(a, cap, n);
    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        if (out[i] >= 'a' && out[i] <= 'z')
            out[i] = (char)(out[i] - 'a' + 'A');
    }
    return out;
}

bool bh_norm_cap_docker_default(const char *cap)
{
    size_t i;

    for (i = 0; i < sizeof(docker_default_caps) / sizeof(docker_default_caps[0]); i++) {
        if (!strcmp(cap, docker_default_caps[i]))
            return true;
    }
    return false;
}

bool bh_norm_cap_pss_baseline(const char *cap)
{
    return strcmp(cap, "NET_RAW") != 0 && bh_norm_cap_docker_default(cap);
}

static bool all_digits(const char *s, size_t n)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static bool digits_zero(const char *s, size_t n)
{
    size_t i;

    if (!all_digits(s, n))
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] != '0')
            return false;
    }
    return true;
}

static bool is_root_part(const char *s, size_t n)
{
    /* user names are case-sensitive: "ROOT" is some other account */
    return (n == 4 && !memcmp(s, "root", 4)) || digits_zero(s, n);
}

void bh_norm_user(const char *spec, struct bh_user *out)
{
    const char *colon;
    size_t n, un;

    memset(out, 0, sizeof(*out));
    if (!spec)
        return;
    while (*spec == ' ' || *spec == '\t')
        spec++;
    n = strlen(spec);
    while (n && (spec[n - 1] == ' ' || spec[n - 1] == '\t'))
        n--;
    if (n == 0)
        return;
    out->set = true;
    if (memchr(spec, '$', n)) {
        out->unknown = true;
        return;
    }
    colon = memchr(spec, ':', n);
    un = colon ? (size_t)(colon - spec) : n;
    out->numeric = all_digits(spec, un);
    out->user_root = is_root_part(spec, un);
    if (colon)
        out->group_root = is_root_part(colon + 1, n - un - 1);
}

bool bh_norm_id_is_zero(const char *text)
{
    if (!text)
        return false;
    if (*text == '+')
        text++;
    return digits_zero(text, strlen(text));
}

static bool is_drive(const char *p)
{
    return ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) && p[1] == ':' &&
           (p[2] == '\\' || p[2] == '/');
}

static bool is_pipe(const char *p)
{
    return (p[0] == '\\' && p[1] == '\\' && p[2] == '.' && p[3] == '\\') ||
           (p[0] == '/' && p[1] == '/' && p[2] == '.' && p[3] == '/');
}

const char *bh_norm_path(struct bh_arena *a, const char *path)
{
    size_t n, i, o = 0, plen;
    char *buf, *out;
    const char *prefix = "";

    if (!path)
        return NULL;
    if (is_pipe(path)) {
        /* Windows named pipe: \\.\pipe\docker_engine and //./pipe/docker_engine are one name */
        out = bh_arena_strdup(a, path);
        if (!out)
            return NULL;
        for (i = 0; out[i]; i++) {
            if (out[i] == '\\')
                out[i] = '/';
        }
        return out;
    }
    if (is_drive(path)) {
        char *d = bh_arena_printf(a, "%c:", path[0] >= 'a' ? path[0] - 'a' + 'A' : path[0]);

        if (!d)
            return NULL;
        prefix = d;
        path += 2;
    } else if (path[0] != '/') {
        return NULL;
    }
    n = strlen(path);
    buf = bh_arena_alloc(a, n + 2);
    if (!buf)
        return NULL;
    /* walk components; '\\' separates too on drive paths */
    i = 0;
    while (i < n) {
        size_t s, len;

        while (i < n && (path[i] == '/' || (*prefix && path[i] == '\\')))
            i++;
        s = i;
        while (i < n && path[i] != '/' && !(*prefix && path[i] == '\\'))
            i++;
        len = i - s;
        if (len == 0 || (len == 1 && path[s] == '.'))
            continue;
        if (len == 2 && path[s] == '.' && path[s + 1] == '.') {
            while (o > 0 && buf[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* drop the '/' too; never climbs above the root */
            continue;
        }
        buf[o++] = '/';
        memcpy(buf + o, path + s, len);
        o += len;
    }
    if (o == 0)
        buf[o++] = '/';
    buf[o] = '\0';
    /* /var/run is a symlink to /run on every current distribution */
    if (!*prefix && (!strcmp(buf, "/var/run") || bh_str_prefix(buf, "/var/run/")))
        return bh_arena_printf(a, "/run%s", buf + 8);
    plen = strlen(prefix);
    if (!plen)
        return buf;
    return bh_arena_printf(a, "%s%s", prefix, buf);
}

bool bh_norm_path_under(const char *path, const char *dir)
{
    size_t n;

    if (!path || !dir)
        return false;
    if (!strcmp(dir, "/"))
        return path[0] == '/';
    n = strlen(dir);
    return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* "80" or "8000-8010" into lo/hi; port 0 only where allow_zero. */
static int port_range(const char *s, size_t n, bool allow_zero, unsigned *lo, unsigned *hi)
{
    const char *dash = memchr(s, '-', n);
    long long a, b;

    if (dash) {
        if (bh_parse_int(s, (size_t)(dash - s), 0, 65535, &a) ||
            bh_parse_int(dash + 1, n - (size_t)(dash - s) - 1, 0, 65535, &b) || b < a)
            return BH_EPARSE;
    } else {
        if (bh_parse_int(s, n, 0, 65535, &a))
            return BH_EPARSE;
        b = a;
    }
    if (!allow_zero && a == 0)
        return BH_EPARSE;
    *lo = (unsigned)a;
    *hi = (unsigned)b;
    return 0;
}

int bh_norm_port(struct bh_arena *a, const char *spec, struct bh_port *out)
{
    const char *p = spec, *slash, *end, *c1, *c2;
    const char *ip = NULL;
    size_t iplen = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        return BH_EPARSE;
    if (strchr(spec, '$'))
        return BH_EUNSUPPORTED; /* an unexpanded variable: the caller decides */
    out->raw = spec;
    out->published = true;
    out->proto = "tcp";
    end = spec + strlen(spec);
    slash = strrchr(spec, '/');
    if (slash) {
        if (!strcmp(slash + 1, "tcp") || !strcmp(slash + 1, "udp") || !strcmp(slash + 1, "sctp"))
            out->proto = bh_arena_strdup(a, slash + 1);
        else
            return BH_EPARSE;
        end = slash;
    }
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));

        if (!rb || rb + 1 >= end || rb[1] != ':')
            return BH_EPARSE;
        ip = p + 1;
        iplen = (size_t)(rb - ip);
        p = rb + 2;
        /* now HOST:CONT */
        c1 = memchr(p, ':', (size_t)(end - p));
        if (!c1 || memchr(c1 + 1, ':', (size_t)(end - c1 - 1)))
            return BH_EPARSE;
        if (c1 > p && (rc = port_range(p, (size_t)(c1 - p), true, &out->host_lo, &out->host_hi)))
            return rc;
        p = c1 + 1;
    } else {
        c1 = memchr(p, ':', (size_t)(end - p));
        c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
        if (c2 && memchr(c2 + 1, ':', (size_t)(end - c2 - 1)))
            return BH_EPARSE; /* an IPv6 address must be in brackets */
        if (c2) {
            ip = p;
            iplen = (size_t)(c1 - p);
            if (c2 > c1 + 1 && (rc = port_range(c1 + 1, (size_t)(c2 - c1 - 1), true, &out->host_lo,
                                                &out->host_hi)))
                return rc;
            p = c2 + 1;
        } else if (c1) {
            if ((rc = port_range(p, (size_t)(c1 - p), true, &out->host_lo, &out->host_hi)))
                return rc;
            p = c1 + 1;
        }
    }
    if ((rc = port_range(p, (size_t)(end - p), false, &out->cont_lo, &out->cont_hi)))
        return rc;
    if (ip && iplen) {
        out->host_ip = bh_arena_strndup(a, ip, iplen);
        if (!out->host_ip)
            return BH_ENOMEM;
    }
    return out->proto ? 0 : BH_ENOMEM;
}

bool bh_norm_ip_wildcard(const char *ip)
{
    return !ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::") || !strcmp(ip, "[::]") ||
           !strcmp(ip, "0:0:0:0:0:0:0:0");
}

bool bh_norm_ip_loopback(const char *ip)
{
    return ip && (bh_str_prefix(ip, "127.") || !strcmp(ip, "::1") || !strcmp(ip, "[::1]") ||
                  bh_str_ieq(ip, "localhost"));
}

static const char *const volume_opts[] = {
    "ro",     "rw",      "z",        "Z",      "shared",     "rshared", "slave",
    "rslave", "private", "rprivate", "nocopy", "consistent", "cached",  "delegated",
};

static int volume_opt(const char *s, size_t n, struct bh_mount *out)
{
    size_t i;

    for (i = 0; i < sizeof(volume_opts) / sizeof(volume_opts[0]); i++) {
        if (strlen(volume_opts[i]) == n && !memcmp(volume_opts[i], s, n)) {
            if (i == 0)
                out->read_only = true;
            else if (i >= 4 && i <= 9)
                out->propagation = volume_opts[i];
            return 0;
        }
    }
    return BH_EPARSE;
}

/* The next ':'-separated part, keeping a Windows drive (`C:\`) inside the part. */
static const char *part_end(const char *p)
{
    const char *c = p;

    if (is_drive(p))
        c = p + 2;
    while (*c && *c != ':')
        c++;
    return c;
}

int bh_norm_volume(struct bh_arena *a, const char *spec, struct bh_mount *out)
{
    const char *parts[3] = {NULL, NULL, NULL};
    size_t lens[3] = {0, 0, 0};
    const char *p = spec, *e;
    int np = 0;

    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        return BH_EPARSE;
    for (;;) {
        e = part_end(p);
        if (np == 3)
            return BH_EPARSE; /* more than SRC:DST:OPTS */
        parts[np] = p;
        lens[np] = (size_t)(e - p);
        np++;
        if (!*e)
            break;
        p = e + 1;
    }
    if (np == 1) {
        /* an anonymous volume at DST */
        out->kind = BH_MOUNT_VOLUME;
        out->target = bh_arena_strndup(a, parts[0], lens[0]);
        if (!out->target)
            return BH_ENOMEM;
        return (parts[0][0] == '/' || is_drive(parts[0])) ? 0 : BH_EPARSE;
    }
    if (lens[0] == 0 || lens[1] == 0)
        return BH_EPARSE;
    out->source_raw = bh_arena_strndup(a, parts[0], lens[0]);
    out->target = bh_arena_strndup(a, parts[1], lens[1]);
    if (!out->source_raw || !out->target)
        return BH_ENOMEM;
    if (out->target[0] != '/' && !is_drive(out->target) && !is_pipe(out->target))
        return BH_EPARSE;
    if (np == 3) {
        const char *o = parts[2], *oe = parts[2] + lens[2];

        while (o < oe) {
            const char *comma = memchr(o, ',', (size_t)(oe - o));
            size_t n = comma ? (size_t)(comma - o) : (size_t)(oe - o);

            if (volume_opt(o, n, out))
                return BH_EPARSE;
            o += n + (comma ? 1 : 0);
        }
    }
    switch (out->source_raw[0]) {
    case '/':
    case '.':
    case '~':
    case '$':
    case '\\':
        out->kind = BH_MOUNT_BIND;
        break;
    default:
        out->kind = is_drive(out->source_raw) ? BH_MOUNT_BIND : BH_MOUNT_VOLUME;
        break;
    }
    if (out->kind == BH_MOUNT_BIND)
        out->source = bh_norm_path(a, out->source_raw); /* NULL for relative paths */
    else
        out->source = out->source_raw;
    return 0;
}

int bh_norm_bool(const char *s, bool *out)
{
    static const char *const t[] = {"true", "yes", "on", "1", "t", "y"};
    static const char *const f[] = {"false", "no", "off", "0", "f", "n"};
    size_t i;

    if (!s)
        return BH_EPARSE;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (bh_str_ieq(s, t[i])) {
            *out = true;
            return 0;
        }
        if (bh_str_ieq(s, f[i])) {
            *out = false;
            return 0;
        }
    }
    return BH_EPARSE;
}

int bh_norm_secopt(struct bh_arena *a, const char *s, struct bh_secopt *out)
{
    const char *eq, *colon, *sep;

    out->key = out->value = NULL;
    if (!s)
        return BH_EPARSE;
    while (*s == ' ')
        s++;
    eq = strchr(s, '=');
    colon = strchr(s, ':');
    sep = eq && (!colon || eq < colon) ? eq : colon;
    if (!sep) {
        out->key = bh_arena_strdup(a, s);
        out->value = "";
    } else {
        out->key = bh_arena_strndup(a, s, (size_t)(sep - s));
        out->value = bh_arena_strdup(a, sep + 1);
    }
    if (!out->key || !out->value)
        return BH_ENOMEM;
    return *out->key ? 0 : BH_EPARSE;
}
