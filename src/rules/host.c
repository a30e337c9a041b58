/*
 * host.c - rules over the host under the containers (HOST-*) and the host side of
 * REF-TRUST: engine API listeners, socket and file modes, the docker group, daemon
 * settings, LSMs, audit watches and engine component versions. Pure functions over
 * struct bh_host (input/host/ reads it); every finding is located at the fact it judges.
 * A host with no trace of an engine gets no findings, except an unexplained listener on
 * the Docker API ports. Known-vulnerable versions are data/hostvulns.tsv, embedded.
 */
#include "rules/groups.h"

#include "core/arena.h"
#include "core/str.h"
#include "model/norm.h"
#include "vuln/version/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__has_include)
#if __has_include("bh_hostvulns_data.h")
#include "bh_hostvulns_data.h"
#define HAVE_HOSTVULNS_DATA 1
#endif
#endif
#ifndef HAVE_HOSTVULNS_DATA
/* the build did not generate the table: HOST-VERSION knows no CVE (the unit test catches this) */
static const char bh_data_hostvulns[] = "";
#endif

/* ------------------------------------------------------------------ helpers */

/* N6 booleans (model/norm.h): 1 true, 0 false, -1 neither. */
static int truthy(const char *v)
{
    bool b;

    return v && bh_norm_bool(v, &b) == 0 ? (int)b : -1;
}

/* Settings of dockerd come from every origin but Podman's (files, or a podman process). */
static bool is_docker(const struct bh_hostsetting *s)
{
    return s->origin != BH_HS_PODMAN && !(s->key && bh_str_prefix(s->key, "podman."));
}

/* An engine API listen address: dockerd's "hosts", or `podman system service URI`. */
static bool is_listen(const struct bh_hostsetting *s)
{
    return s->key && (strcmp(s->key, "hosts") == 0 || strcmp(s->key, "podman.service") == 0);
}

/* The last dockerd setting named key (dockerd refuses a key given twice, so any will do). */
static const struct bh_hostsetting *dsetting(const struct bh_host *h, const char *key)
{
    const struct bh_hostsetting *found = NULL;
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        if (is_docker(&h->settings[i]) && h->settings[i].key &&
            strcmp(h->settings[i].key, key) == 0)
            found = &h->settings[i];
    }
    return found;
}

/* Any dockerd setting named key whose boolean value is want. */
static const struct bh_hostsetting *dsetting_bool(const struct bh_host *h, const char *key,
                                                  int want)
{
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];

        if (is_docker(s) && s->key && strcmp(s->key, key) == 0 && truthy(s->value) == want)
            return s;
    }
    return NULL;
}

static const struct bh_hostfile *file_role(const struct bh_host *h, const char *role)
{
    size_t i;

    for (i = 0; i < h->nfiles; i++) {
        if (h->files[i].exists && h->files[i].role && strcmp(h->files[i].role, role) == 0)
            return &h->files[i];
    }
    return NULL;
}

static const struct bh_hostcomponent *component(const struct bh_host *h, const char *name)
{
    size_t i;

    for (i = 0; i < h->ncomponents; i++) {
        if (h->components[i].name && strcmp(h->components[i].name, name) == 0)
            return &h->components[i];
    }
    return NULL;
}

/*
 * Is Docker (dockerd) installed or configured here, as opposed to only containerd or
 * Podman? The dockerd rules (USERNS, ICC, AUTHZ, HARDEN, content trust) need it.
 */
static bool docker_present(const struct bh_host *h)
{
    static const char *const roles[] = {
        "docker.sock", "daemon.json",          "docker.service",       "docker.socket",
        "etc-docker",  "rootless-docker.sock", "rootless-daemon.json", NULL};
    size_t i;

    if (!h->engine_found)
        return false;
    for (i = 0; i < h->nsettings; i++) {
        if (is_docker(&h->settings[i]))
            return true;
    }
    for (i = 0; roles[i]; i++) {
        if (file_role(h, roles[i]))
            return true;
    }
    return component(h, "docker") != NULL;
}

/* Did a running dockerd's command line get read (then the daemon is up)? */
static bool dockerd_running(const struct bh_host *h)
{
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        if (h->settings[i].origin == BH_HS_ARGV)
            return true;
    }
    return false;
}

/*
 * Where to put a finding about a setting that is absent: the daemon.json that would hold
 * it, else docker.service, else the host as a whole (no file).
 */
static struct bh_loc engine_loc(const struct bh_host *h)
{
    struct bh_loc loc;
    const struct bh_hostfile *f = file_role(h, "daemon.json");

    memset(&loc, 0, sizeof(loc));
    if (!f)
        f = file_role(h, "rootless-daemon.json");
    if (!f)
        f = file_role(h, "docker.service");
    if (f)
        loc.file = f->path;
    return loc;
}

static struct bh_loc file_loc(const char *path)
{
    struct bh_loc loc;

    memset(&loc, 0, sizeof(loc));
    loc.file = path;
    return loc;
}

/* Append to a "; "-separated message in buf. */
__attribute__((format(printf, 3, 4))) static void add(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;

    if (n + 3 >= cap)
        return;
    if (n) {
        memcpy(buf + n, "; ", 3);
        n += 2;
    }
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

/* A user's own file (rootless Docker, ~/.docker): owned by that user, not by root. */
static bool user_path(const char *p)
{
    return p && (bh_str_prefix(p, "/home/") || bh_str_prefix(p, "/run/user/") ||
                 bh_str_prefix(p, "/var/run/user/") || strstr(p, "/.docker/") ||
                 strstr(p, "/.config/docker/") || strstr(p, "/.local/share/docker/"));
}

static const char *uname_of(struct bh_arena *a, const char *name, uint32_t id)
{
    return name ? name : bh_arena_printf(a, "%u", (unsigned)id);
}

/* ---------------------------------------------------------------- HOST-TLS */

/* An engine listen address taken apart. */
struct endpoint {
    bool tcp;
    bool wildcard; /* all interfaces: 0.0.0.0, ::, [::], empty host */
    bool loopback; /* 127.0.0.0/8, ::1, localhost */
    unsigned port; /* 0 = not given */
    const char *host;
};

static bool ipv4_loopback(const char *h)
{
    return bh_str_prefix(h, "127.") || strcmp(h, "127") == 0;
}

/*
 * "tcp://0.0.0.0:2375", "tcp://[::]:2376", "tcp://:2375", "tcp:127.0.0.1:8080" (Podman),
 * and docker.socket ListenStream= values ("2375", "0.0.0.0:2375", "[::]:2375",
 * "/run/docker.sock").
 */
static struct endpoint endpoint_parse(struct bh_arena *a, const struct bh_hostsetting *s)
{
    struct endpoint e;
    const char *v = s->value ? s->value : "", *colon;
    char *host;
    long long port;

    memset(&e, 0, sizeof(e));
    if (bh_str_iprefix(v, "tcp://"))
        v += 6;
    else if (bh_str_iprefix(v, "tcp:"))
        v += 4;
    else if (s->origin == BH_HS_UNIT && s->loc.path && bh_str_ieq(s->loc.path, "ListenStream") &&
             v[0] != '/' && v[0] != '@' && !strstr(v, "://"))
        ; /* a socket unit's TCP listen address has no scheme */
    else
        return e;
    e.tcp = true;
    /* host and port; a bare number is a port on every interface */
    if (v[0] == '[') {
        const char *rb = strchr(v, ']');

        host = bh_arena_strndup(a, v + 1, rb ? (size_t)(rb - v - 1) : strlen(v + 1));
        colon = rb && rb[1] == ':' ? rb + 1 : NULL;
    } else if (strspn(v, "0123456789") == strlen(v)) {
        host = bh_arena_strdup(a, "");
        colon = v - 1;
    } else {
        const char *first = strchr(v, ':');

        /* an unbracketed IPv6 address has more than one colon: no port then */
        colon = first && !strchr(first + 1, ':') ? first : NULL;
        host = bh_arena_strndup(a, v, colon ? (size_t)(colon - v) : strlen(v));
    }
    if (host) {
        char *slash = strchr(host, '/');

        if (slash)
            *slash = '\0';
    }
    if (colon) {
        const char *p = colon + 1;
        size_t n = strspn(p, "0123456789");

        if (n && bh_parse_int(p, n, 0, 65535, &port) == 0)
            e.port = (unsigned)port;
    }
    e.host = host ? host : "";
    e.wildcard = !e.host[0] || strcmp(e.host, "0.0.0.0") == 0 || strcmp(e.host, "::") == 0 ||
                 strcmp(e.host, "*") == 0;
    e.loopback =
        ipv4_loopback(e.host) || strcmp(e.host, "::1") == 0 || bh_str_ieq(e.host, "localhost");
    return e;
}

/* Where a setting came from, for messages ("daemon.json", "the command line", ...). */
static const char *origin_name(enum bh_hsorigin o)
{
    switch (o) {
    case BH_HS_DAEMON_JSON:
        return "daemon.json";
    case BH_HS_ARGV:
        return "the running dockerd's command line";
    case BH_HS_UNIT:
        return "a systemd unit";
    case BH_HS_ENVFILE:
        return "the docker environment file";
    case BH_HS_PODMAN:
        return "Podman's configuration";
    }
    return "?";
}

static bool same_class(const struct bh_hostsetting *a, const struct bh_hostsetting *b)
{
    return is_docker(a) == is_docker(b);
}

/* A setting named key of the same engine as like whose boolean value is want. */
static const struct bh_hostsetting *
class_bool(const struct bh_host *h, const struct bh_hostsetting *like, const char *key, int want)
{
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];

        if (same_class(s, like) && s->key && strcmp(s->key, key) == 0 && truthy(s->value) == want)
            return s;
    }
    return NULL;
}

static void check_tls_hosts(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *json_hosts = NULL, *flag_hosts = NULL;
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];
        struct endpoint e;
        const char *where, *why;

        if (!is_listen(s))
            continue;
        /* the system daemon's file: a rootless user's daemon.json belongs to another dockerd */
        if (s->origin == BH_HS_DAEMON_JSON && !json_hosts && s->loc.file &&
            bh_str_prefix(s->loc.file, "/etc/"))
            json_hosts = s;
        /* a socket unit's ListenStream= is not a dockerd flag: it never conflicts */
        if (is_docker(s) &&
            (s->origin == BH_HS_ARGV || s->origin == BH_HS_ENVFILE ||
             (s->origin == BH_HS_UNIT &&
              !(s->loc.path && bh_str_ieq(s->loc.path, "ListenStream")))) &&
            !flag_hosts)
            flag_hosts = s;
        e = endpoint_parse(c->arena, s);
        if (!e.tcp || class_bool(h, s, "tlsverify", 1))
            continue;
        where = e.wildcard ? "on every interface"
                : e.loopback
                    ? "on loopback only, which still lets in host-network containers, SSRF and "
                      "every local user"
                    : "on a network address";
        if (class_bool(h, s, "tls", 1))
            why = "tls is on but tlsverify is not: TLS then only proves the server to the "
                  "client, and any client that connects gets the whole API";
        else if (!is_docker(s))
            why = "Podman's API service over TCP asks no client for anything";
        else if (class_bool(h, s, "tlsverify", 0))
            why = "tlsverify is false: no client certificate is asked for";
        else
            why = "no TLS at all: the API is plain HTTP without authentication";
        bh_rule_report_sev(c, e.loopback ? BH_SEV_HIGH : BH_SEV_CRITICAL, &s->loc, NULL,
                           "the engine API listens on %s (from %s) %s; %s", s->value,
                           origin_name(s->origin), where, why);
    }
    if (json_hosts && flag_hosts) {
        const struct bh_loc *fl = &flag_hosts->loc;
        const char *at =
            fl->line ? bh_arena_printf(c->arena, "%s:%d", fl->file ? fl->file : "?", fl->line)
                     : fl->file;

        bh_rule_report_sev(c, BH_SEV_MEDIUM, &json_hosts->loc, NULL,
                           "\"hosts\" is set in daemon.json and also on dockerd's command line "
                           "(%s in %s): dockerd refuses to start when the two conflict, so the "
                           "daemon.json listeners never take effect and the next restart fails; "
                           "keep the listeners in one place",
                           fl->path ? fl->path : "-H", at ? at : "?");
    }
}

/* Is there a dockerd/podman listen setting that opens this port (TLS judged above)? */
static bool listener_explained(struct bh_rule_ctx *c, const struct bh_host *h,
                               const struct bh_hostlistener *l)
{
    size_t i;

    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];
        struct endpoint e;

        if (!is_listen(s))
            continue;
        e = endpoint_parse(c->arena, s);
        /* dockerd's default TCP port is 2375 (2376 with TLS) when none is written */
        if (e.tcp && (e.port == l->port || (e.port == 0 && (l->port == 2375 || l->port == 2376))))
            return true;
    }
    return false;
}

static void check_tls(struct bh_rule_ctx *c, const struct bh_host *h)
{
    size_t i;

    if (h->engine_found)
        check_tls_hosts(c, h);
    /* an open engine port is worth a word even when no engine was found on disk */
    for (i = 0; i < h->nlisteners; i++) {
        const struct bh_hostlistener *l = &h->listeners[i];
        bool lo;

        if (l->port != 2375 && l->port != 2376)
            continue;
        if (listener_explained(c, h, l))
            continue;
        lo = l->addr && (ipv4_loopback(l->addr) || strcmp(l->addr, "::1") == 0);
        bh_rule_report_sev(c, lo ? BH_SEV_HIGH : BH_SEV_CRITICAL, &l->loc, NULL,
                           "something listens on %s%s%s:%u, the Docker API port%s, and no "
                           "daemon setting read here opens it (a dockerd started by hand, "
                           "another unit, or a container publishing an engine API); find the "
                           "process with `ss -tlnp` and require TLS client certificates",
                           l->v6 ? "[" : "", l->addr ? l->addr : "?", l->v6 ? "]" : "", l->port,
                           l->port == 2375 ? " without TLS by convention" : "");
    }
}

/* ----------------------------------------------------------- HOST-SOCKPERM */

static bool parse_octal(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    size_t n = 0;

    if (!s)
        return false;
    for (; *s >= '0' && *s <= '7' && n < 6; s++, n++)
        v = v * 8 + (uint32_t)(*s - '0');
    if (n == 0 || *s)
        return false;
    *out = v & 07777;
    return true;
}

static bool trusted_group(const char *g, uint32_t gid)
{
    return gid == 0 || (g && (strcmp(g, "docker") == 0 || strcmp(g, "root") == 0));
}

static void check_socket(struct bh_rule_ctx *c, const struct bh_hostfile *f)
{
    char msg[768] = "";
    bool own = user_path(f->path), world_write = (f->mode & 02) != 0;
    struct bh_loc loc = file_loc(f->path);

    if (f->mode & 07)
        add(msg, sizeof(msg), "others have access (mode %04o%s)", (unsigned)f->mode,
            world_write ? ": every local account and every container that can reach the file "
                          "can drive the engine"
                        : "");
    if (!own && (f->mode & 020) && !trusted_group(f->group, f->gid))
        add(msg, sizeof(msg),
            "group %s can write to it (mode %04o), and that is not docker or "
            "root",
            uname_of(c->arena, f->group, f->gid), (unsigned)f->mode);
    if (!own && f->uid != 0)
        add(msg, sizeof(msg), "owned by %s, not root", uname_of(c->arena, f->owner, f->uid));
    if (f->acl_extra)
        add(msg, sizeof(msg), "a POSIX ACL grants more than the mode shows (%s)",
            f->acl_text ? f->acl_text : "named entries");
    if (msg[0])
        bh_rule_report_sev(c, world_write ? BH_SEV_CRITICAL : BH_SEV_HIGH, &loc, NULL,
                           "engine socket %s: %s", f->path, msg);
}

static void check_socket_unit(struct bh_rule_ctx *c, const struct bh_hostfile *f)
{
    char msg[512] = "";
    struct bh_loc loc = file_loc(f->path);

    if (f->mode & 07133)
        add(msg, sizeof(msg), "mode %04o is wider than 0644", (unsigned)f->mode);
    if (f->uid != 0)
        add(msg, sizeof(msg), "owned by %s, not root", uname_of(c->arena, f->owner, f->uid));
    if (f->gid != 0 && (f->mode & 070))
        add(msg, sizeof(msg), "group %s is not root", uname_of(c->arena, f->group, f->gid));
    if (f->acl_extra)
        add(msg, sizeof(msg), "a POSIX ACL grants more than the mode shows (%s)",
            f->acl_text ? f->acl_text : "named entries");
    if (msg[0])
        bh_rule_report(c, &loc, NULL,
                       "socket unit %s: %s; whoever can edit it decides who gets the engine "
                       "socket",
                       f->path, msg);
}

static void check_sockperm(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *gs = NULL;
    size_t i;

    if (!h->engine_found)
        return;
    for (i = 0; i < h->nfiles; i++) {
        const struct bh_hostfile *f = &h->files[i];

        if (!f->exists || !f->role)
            continue;
        if (strcmp(f->role, "docker.socket") == 0 || strcmp(f->role, "docker.socket-dropin") == 0)
            check_socket_unit(c, f);
        else if (bh_str_suffix(f->role, ".sock") && f->type != 'l')
            check_socket(c, f);
    }
    /* SocketMode= / SocketGroup= of docker.socket decide the socket's mode at every boot */
    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];

        if (s->key && (bh_str_ieq(s->key, "SocketGroup") || bh_str_ieq(s->key, "socket-group")))
            gs = s;
    }
    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];
        uint32_t m;

        if (!s->key || !(bh_str_ieq(s->key, "SocketMode") || bh_str_ieq(s->key, "socket-mode")))
            continue;
        if (!parse_octal(s->value, &m))
            continue;
        if (m & 07)
            bh_rule_report_sev(c, (m & 02) ? BH_SEV_CRITICAL : BH_SEV_HIGH, &s->loc, NULL,
                               "SocketMode=%s gives others access to the engine socket every "
                               "time systemd creates it",
                               s->value);
        else if ((m & 020) && gs && !trusted_group(gs->value, 1))
            bh_rule_report(c, &gs->loc, NULL,
                           "SocketGroup=%s with SocketMode=%s lets group %s drive the engine",
                           gs->value, s->value, gs->value);
    }
}

/* ---------------------------------------------------------- HOST-DOCKERGRP */

static void check_dockergrp(struct bh_rule_ctx *c, const struct bh_host *h)
{
    size_t i;

    if (!h->engine_found)
        return;
    /* the policy has no list of trusted engine users: every grant is listed for review (info),
       as docker-bench does without its trusted-user list */
    for (i = 0; i < h->nmembers; i++) {
        const struct bh_hostmember *m = &h->members[i];

        if (!m->name || strcmp(m->name, "root") == 0)
            continue;
        bh_rule_report_sev(c, BH_SEV_INFO, &m->loc, NULL,
                           "account %s can drive the engine (%s), which is the same as root on "
                           "this host: any container it starts can mount / or run privileged",
                           m->name, m->via ? m->via : "group docker");
    }
}

/* ---------------------------------------------------------- HOST-FILEPERM */

struct fperm {
    const char *role;
    uint32_t max_file, max_dir;
    const char *why;
};

static const struct fperm fperms[] = {
    {"docker.service", 0644, 0755, "the unit decides how dockerd runs"},
    {"docker.service-dropin", 0644, 0755, "the drop-in decides how dockerd runs"},
    {"daemon.json", 0644, 0755, "it configures the daemon"},
    {"rootless-daemon.json", 0644, 0755, "it configures the rootless daemon"},
    {"containerd-config", 0644, 0755, "it configures containerd"},
    {"etc-docker", 0644, 0755, "it holds the daemon's configuration and certificates"},
    {"certs.d", 0444, 0755, "registry certificates decide which registries are trusted"},
    {"tlscacert", 0444, 0755, "the CA decides which clients the API trusts"},
    {"tlscert", 0444, 0755, "the server certificate identifies the API"},
    {"tlskey", 0400, 0700, "whoever reads the server key can impersonate the API"},
    {"default-docker", 0644, 0755, "it sets dockerd's options"},
    {"sysconfig-docker", 0644, 0755, "it sets dockerd's options"},
    {NULL, 0, 0, NULL},
};

static const struct fperm *fperm_of(const struct bh_hostfile *f)
{
    size_t i;

    for (i = 0; fperms[i].role; i++) {
        if (strcmp(f->role, fperms[i].role) == 0)
            return &fperms[i];
    }
    /* the environment files by path, whatever role the reader gave them */
    if (f->path && strcmp(f->path, "/etc/default/docker") == 0)
        return &fperms[10];
    if (f->path && strcmp(f->path, "/etc/sysconfig/docker") == 0)
        return &fperms[11];
    return NULL;
}

static void check_fileperm(struct bh_rule_ctx *c, const struct bh_host *h)
{
    size_t i;

    if (!h->engine_found)
        return;
    for (i = 0; i < h->nfiles; i++) {
        const struct bh_hostfile *f = &h->files[i];
        const struct fperm *p;
        char msg[512] = "";
        uint32_t max, extra;
        bool own;
        struct bh_loc loc;

        if (!f->exists || !f->role || f->type == 'l' || !(p = fperm_of(f)))
            continue;
        own = user_path(f->path);
        max = f->type == 'd' ? p->max_dir : p->max_file;
        extra = f->mode & 07777 & ~max;
        if (extra)
            add(msg, sizeof(msg), "mode %04o is wider than %04o", (unsigned)f->mode, (unsigned)max);
        if (!own && f->uid != 0)
            add(msg, sizeof(msg), "owned by %s, not root", uname_of(c->arena, f->owner, f->uid));
        /* a group owner matters only when the group bits grant something */
        if (!own && f->gid != 0 && (f->mode & 070))
            add(msg, sizeof(msg), "group %s (not root) has access",
                uname_of(c->arena, f->group, f->gid));
        if (f->acl_extra)
            add(msg, sizeof(msg), "a POSIX ACL grants more than the mode shows (%s)",
                f->acl_text ? f->acl_text : "named entries");
        if (!msg[0])
            continue;
        loc = file_loc(f->path);
        bh_rule_report_sev(
            c, strcmp(p->role, "tlskey") == 0 && (f->mode & 077) ? BH_SEV_HIGH : BH_SEV_MEDIUM,
            &loc, NULL, "%s (%s): %s; %s", f->path, f->role, msg, p->why);
    }
}

/* ------------------------------------------------------------ HOST-USERNS */

static void check_userns(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *s;
    struct bh_loc loc;

    if (!docker_present(h) || h->rootless)
        return;
    s = dsetting(h, "userns-remap");
    if (!s || !s->value || !s->value[0]) {
        loc = s ? s->loc : engine_loc(h);
        bh_rule_report(c, &loc, NULL,
                       "dockerd runs without userns-remap and is not rootless: root in a "
                       "container is root on the host once it gets out");
        return;
    }
    if (h->lsm.max_user_namespaces == 0)
        bh_rule_report(c, &s->loc, NULL,
                       "userns-remap is \"%s\" but the kernel allows no user namespaces "
                       "(user.max_user_namespaces = 0): dockerd cannot remap",
                       s->value);
    else if (strcmp(s->value, "default") != 0 && !h->subids)
        bh_rule_report(c, &s->loc, NULL,
                       "userns-remap is \"%s\" but /etc/subuid and /etc/subgid give no "
                       "subordinate ids: dockerd cannot remap",
                       s->value);
}

/* --------------------------------------------------------------- HOST-LSM */

static void check_lsm(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostlsm *l = &h->lsm;
    const struct bh_hostsetting *s;
    bool docker = docker_present(h);

    if (!h->engine_found)
        return;
    if (l->seccomp_available == 0)
        bh_rule_report(c, &l->seccomp_loc, NULL,
                       "the kernel has no seccomp: no container gets a system call filter");
    if (docker && (s = dsetting(h, "seccomp-profile")) && s->value &&
        bh_str_ieq(s->value, "unconfined"))
        bh_rule_report(c, &s->loc, NULL,
                       "seccomp-profile is \"unconfined\": seccomp is off for every container "
                       "that does not bring its own profile");
    if (docker && l->selinux_enforcing == 1 && !dsetting_bool(h, "selinux-enabled", 1)) {
        struct bh_loc loc;

        s = dsetting(h, "selinux-enabled");
        loc = s ? s->loc : engine_loc(h);
        bh_rule_report(c, &loc, NULL,
                       "SELinux is enforcing but dockerd has selinux-enabled %s: containers "
                       "run unconfined (spc_t)",
                       s ? "false" : "unset (off by default)");
    }
    if (l->apparmor_enabled != 1 && l->selinux_enforcing != 1 &&
        (l->apparmor_enabled == 0 || l->selinux_enforcing == 0)) {
        const struct bh_loc *loc = l->apparmor_enabled == 0 ? &l->apparmor_loc : &l->selinux_loc;

        bh_rule_report(c, loc, NULL,
                       "neither AppArmor nor SELinux is enforcing: containers get no mandatory "
                       "access control profile");
    }
    /* dockerd loads docker-default when it starts, so only a running daemon is judged */
    if (docker && dockerd_running(h) && l->apparmor_enabled == 1 && l->apparmor_docker_default == 0)
        bh_rule_report(c, &l->apparmor_loc, NULL,
                       "AppArmor is on but the docker-default profile is not loaded while dockerd "
                       "runs: containers start without it");
}

/* --------------------------------------------------------------- HOST-ICC */

static void check_icc(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *s;
    struct bh_loc loc;

    if (!docker_present(h) || dsetting_bool(h, "icc", 0))
        return;
    /* without the default bridge there is no default-bridge traffic to restrict */
    if ((s = dsetting(h, "bridge")) && s->value && strcmp(s->value, "none") == 0)
        return;
    s = dsetting_bool(h, "icc", 1);
    loc = s ? s->loc : engine_loc(h);
    bh_rule_report(c, &loc, NULL,
                   "icc is %s: every container on the default bridge can reach every other "
                   "one on any port",
                   s ? "true" : "not set (true by default)");
}

/* -------------------------------------------------------------- HOST-AUTHZ */

static void check_authz(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *s;
    struct bh_loc loc;

    if (!docker_present(h))
        return;
    s = dsetting(h, "authorization-plugins");
    if (s && s->value && s->value[0])
        return;
    loc = s ? s->loc : engine_loc(h);
    bh_rule_report(c, &loc, NULL,
                   "no authorization plugin: anyone who reaches the API may do everything it "
                   "offers");
}

/* -------------------------------------------------------------- HOST-AUDIT */

/* Does audit watch path w cover target t (a path, or a bare file name to match anywhere)? */
static bool watch_covers(const char *w, const char *t)
{
    size_t n;

    if (bh_str_prefix(w, "/var/run/"))
        w += 4; /* /var/run is /run */
    if (t[0] != '/') {
        /* a binary in any bin directory, a unit in any systemd directory */
        const char *base = strrchr(w, '/');
        bool unit = strchr(t, '.') != NULL;

        if (!base || strcmp(base + 1, t) != 0)
            return false;
        return unit ? strstr(w, "/systemd/") != NULL
                    : (base - w >= 3 && strncmp(base - 3, "bin", 3) == 0);
    }
    if (bh_str_prefix(t, "/var/run/"))
        t += 4;
    n = strlen(w);
    while (n > 1 && w[n - 1] == '/')
        n--;
    return strncmp(w, t, n) == 0 && (t[n] == '\0' || t[n] == '/');
}

static void check_audit(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const char *want[24];
    size_t nwant = 0, i, k;
    char msg[768] = "";
    bool docker = docker_present(h);
    bool ctrd = component(h, "containerd") || file_role(h, "containerd.sock");
    struct bh_loc loc;

    if (!h->engine_found)
        return;
    if (docker) {
        want[nwant++] = "dockerd";
        want[nwant++] = "/var/lib/docker";
        want[nwant++] = "/etc/docker";
        want[nwant++] = "docker.service";
        if (file_role(h, "docker.socket"))
            want[nwant++] = "docker.socket";
        if (file_role(h, "docker.sock"))
            want[nwant++] = "/run/docker.sock";
        if (file_role(h, "default-docker"))
            want[nwant++] = "/etc/default/docker";
        if (file_role(h, "sysconfig-docker"))
            want[nwant++] = "/etc/sysconfig/docker";
    }
    if (docker || ctrd) {
        want[nwant++] = "containerd";
        want[nwant++] = "/run/containerd";
        want[nwant++] = "runc";
    } else if (component(h, "runc")) {
        want[nwant++] = "runc";
    }
    /* Podman alone has no daemon files to watch */
    if (nwant == 0)
        return;
    if (!h->audit_rules_found) {
        loc = file_loc("/etc/audit/rules.d");
        bh_rule_report(c, &loc, NULL,
                       "no audit rules (/etc/audit/rules.d/*.rules, /etc/audit/audit.rules): "
                       "nothing records changes to the engine's binaries, configuration and "
                       "data");
        return;
    }
    for (i = 0; i < nwant; i++) {
        bool hit = false;

        for (k = 0; k < h->naudit && !hit; k++)
            hit = h->audit_watches[k] && watch_covers(h->audit_watches[k], want[i]);
        if (!hit)
            add(msg, sizeof(msg), "%s", want[i]);
    }
    if (!msg[0])
        return;
    loc = h->naudit && h->audit_locs ? file_loc(h->audit_locs[0].file)
                                     : file_loc("/etc/audit/rules.d");
    bh_rule_report(c, &loc, NULL, "no audit watch (-w) covers: %s", msg);
}

/* ----------------------------------------------------------- HOST-INSECREG */

static bool registry_loopback(struct bh_arena *a, const char *v, const char **cidr_note)
{
    const char *slash;
    char *host;
    long long bits, first;

    *cidr_note = NULL;
    if (bh_str_iprefix(v, "http://"))
        v += 7;
    else if (bh_str_iprefix(v, "https://"))
        v += 8;
    slash = strchr(v, '/');
    if (slash && strspn(slash + 1, "0123456789") == strlen(slash + 1) && slash[1]) {
        /* CIDR */
        if (bh_parse_int(slash + 1, strlen(slash + 1), 0, 128, &bits) != 0)
            return false;
        if (strchr(v, ':')) {
            if (bits == 128 && (size_t)(slash - v) == 3 && strncmp(v, "::1", 3) == 0)
                return true;
            *cidr_note = bits == 0 ? "every IPv6 address" : "a range of IPv6 addresses";
            return false;
        }
        if (bh_parse_int(v, strcspn(v, "."), 0, 255, &first) == 0 && first == 127 && bits >= 8)
            return true;
        *cidr_note = bits == 0   ? "every IPv4 address"
                     : bits < 32 ? bh_arena_printf(a, "%llu addresses", 1ULL << (32 - bits))
                                 : NULL;
        return false;
    }
    if (v[0] == '[') {
        const char *rb = strchr(v, ']');

        host = bh_arena_strndup(a, v + 1, rb ? (size_t)(rb - v - 1) : strlen(v + 1));
    } else {
        size_t n = strcspn(v, ":/");

        /* an unbracketed IPv6 address */
        if (v[n] == ':' && strchr(v + n + 1, ':'))
            n = strcspn(v, "/");
        host = bh_arena_strndup(a, v, n);
    }
    if (!host)
        return false;
    return ipv4_loopback(host) || strcmp(host, "::1") == 0 || bh_str_ieq(host, "localhost");
}

static void check_insecreg(struct bh_rule_ctx *c, const struct bh_host *h)
{
    size_t i;

    if (!h->engine_found)
        return;
    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];
        const char *note;

        if (!s->key || !s->value || !s->value[0])
            continue;
        if (strcmp(s->key, "insecure-registries") != 0 &&
            strcmp(s->key, "podman.registries.insecure") != 0)
            continue;
        /* Podman's registries.conf names the registry and says insecure = true */
        if (s->origin == BH_HS_PODMAN && truthy(s->value) == 0)
            continue;
        /* loopback is insecure by default in dockerd already: listing it changes nothing */
        if (registry_loopback(c->arena, s->value, &note))
            continue;
        bh_rule_report(c, &s->loc, NULL,
                       "registry %s%s%s%s is allowed without TLS verification (from %s): anyone "
                       "on the path can swap the images pulled from it",
                       s->value, note ? " (" : "", note ? note : "", note ? ")" : "",
                       origin_name(s->origin));
    }
}

/* ------------------------------------------------------------- HOST-HARDEN */

static void check_harden(struct bh_rule_ctx *c, const struct bh_host *h)
{
    const struct bh_hostsetting *s;
    struct bh_loc loc;

    if (!docker_present(h))
        return;
    if ((s = dsetting(h, "log-level")) && s->value && !bh_str_ieq(s->value, "info"))
        bh_rule_report(c, &s->loc, NULL, "log-level is \"%s\", not info: %s", s->value,
                       bh_str_ieq(s->value, "debug") ? "debug logs may carry secrets and flood "
                                                       "the disk"
                                                     : "events an audit needs are not logged");
    if ((s = dsetting_bool(h, "iptables", 0)))
        bh_rule_report(c, &s->loc, NULL,
                       "iptables is false: dockerd stops managing the firewall rules that keep "
                       "published ports and bridges apart");
    if ((s = dsetting(h, "storage-driver")) && s->value && bh_str_ieq(s->value, "aufs"))
        bh_rule_report(c, &s->loc, NULL,
                       "storage-driver is aufs: deprecated, removed from current engines, with "
                       "known kernel crashes");
    if ((s = dsetting_bool(h, "experimental", 1)))
        bh_rule_report(c, &s->loc, NULL,
                       "experimental is true: features without stability or security review "
                       "are on in production");
    if (!dsetting_bool(h, "userland-proxy", 0)) {
        s = dsetting(h, "userland-proxy");
        loc = s ? s->loc : engine_loc(h);
        bh_rule_report(c, &loc, NULL,
                       "userland-proxy is %s: a docker-proxy process per published port widens "
                       "the attack surface where hairpin NAT would do",
                       s ? s->value : "not set (true by default)");
    }
    if (!h->rootless && !dsetting_bool(h, "live-restore", 1)) {
        s = dsetting(h, "live-restore");
        loc = s ? s->loc : engine_loc(h);
        bh_rule_report(c, &loc, NULL,
                       "live-restore is %s: every dockerd restart (an upgrade) stops every "
                       "container, which makes patching the daemon costly",
                       s ? s->value : "not set (false by default)");
    }
}

/* ------------------------------------------------------------ HOST-VERSION */

/* One row of data/hostvulns.tsv. */
struct vrow {
    const char *component, *id, *ecosystem, *package, *introduced, *fixed, *summary;
};

static size_t vrows_parse(struct bh_arena *a, struct vrow **out)
{
    const char *p = bh_data_hostvulns;
    struct vrow *v = NULL;
    size_t n = 0, cap = 0;

    while (*p) {
        size_t len = strcspn(p, "\n");
        const char *f[7];
        size_t fl[7], nf = 0, k;
        const char *q = p, *end = p + len;
        struct vrow *r;

        while (nf < 7 && q <= end) {
            size_t fn = strcspn(q, "\t\n");

            if (q + fn > end)
                fn = (size_t)(end - q);
            f[nf] = q;
            fl[nf++] = fn;
            q += fn + 1;
        }
        p = *end ? end + 1 : end;
        if (len == 0 || f[0][0] == '#' || nf < 6)
            continue;
        r = BH_PUSH(a, v, n, cap);
        if (!r)
            break;
        for (k = 0; k < 7; k++) {
            const char *s = k < nf ? bh_arena_strndup(a, f[k], fl[k]) : "";

            if (s && strcmp(s, "-") == 0)
                s = "";
            (&r->component)[k] = s ? s : "";
        }
    }
    *out = v;
    return n;
}

/*
 * The upstream version inside a package version: no epoch, no packaging revision (after
 * the last '-'), no repack suffix ("+dfsg1", "+ds1", "~ds1"). "~rc7" stays: dpkg order puts
 * it before the release, as upstream does.
 */
static const char *upstream_of(struct bh_arena *a, const char *v)
{
    const char *colon = strchr(v, ':'), *dash, *end;
    const char *t;

    if (colon && strspn(v, "0123456789") == (size_t)(colon - v))
        v = colon + 1;
    dash = strrchr(v, '-');
    end = dash ? dash : v + strlen(v);
    for (t = v; t < end; t++) {
        if (*t == '+' ||
            (*t == '~' && (bh_str_prefix(t + 1, "ds") || bh_str_prefix(t + 1, "dfsg"))))
            break;
    }
    return bh_arena_strndup(a, v, (size_t)(t - v));
}

/* Does the host's OS match an ecosystem such as "Debian:12", "Ubuntu:22.04", "Alpine:v3.20"? */
static bool eco_matches(const struct bh_osinfo *os, const char *eco)
{
    const char *colon = strchr(eco, ':'), *ver;
    size_t n;

    if (!colon || !os->id || !os->version_id)
        return false;
    if (!bh_str_ieqn(eco, (size_t)(colon - eco), os->id))
        return false;
    ver = colon + 1;
    if (ver[0] == 'v')
        ver++;
    n = strlen(ver);
    return strncmp(os->version_id, ver, n) == 0 &&
           !(os->version_id[n] >= '0' && os->version_id[n] <= '9');
}

static enum bh_vscheme scheme_of(enum bh_pkg_kind k)
{
    return k == BH_PKG_RPM ? BH_VS_RPM : k == BH_PKG_APK ? BH_VS_APK : BH_VS_DPKG;
}

/* a < b in scheme s; false when either cannot be ordered */
static bool vless(enum bh_vscheme s, const char *a, const char *b)
{
    int r;

    return bh_version_cmp(s, a, b, &r) == 0 && r < 0;
}

static void judge_cve(struct bh_rule_ctx *c, const struct bh_host *h,
                      const struct bh_hostcomponent *comp, const struct vrow *rows, size_t n,
                      const char *id)
{
    const char *summary = "", *up;
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(rows[i].id, id) == 0 && rows[i].summary[0])
            summary = rows[i].summary;
    }
    /* a distribution backport row for this OS and package decides alone */
    for (i = 0; i < n; i++) {
        const struct vrow *r = &rows[i];

        if (strcmp(r->component, comp->name) != 0 || strcmp(r->id, id) != 0 ||
            bh_str_ieq(r->ecosystem, "upstream") || !comp->package ||
            strcmp(r->package, comp->package) != 0 || !eco_matches(&h->os, r->ecosystem))
            continue;
        if (r->fixed[0] && vless(scheme_of(comp->kind), comp->version, r->fixed))
            bh_rule_report(c, &comp->loc, NULL,
                           "%s %s (package %s) is affected by %s%s%s%s: fixed in %s %s %s",
                           comp->name, comp->version, comp->package, id, summary[0] ? " (" : "",
                           summary, summary[0] ? ")" : "", r->ecosystem, r->package, r->fixed);
        return;
    }
    up = upstream_of(c->arena, comp->version);
    if (!up || !up[0])
        return;
    for (i = 0; i < n; i++) {
        const struct vrow *r = &rows[i];

        if (strcmp(r->component, comp->name) != 0 || strcmp(r->id, id) != 0 ||
            !bh_str_ieq(r->ecosystem, "upstream") || !r->fixed[0])
            continue;
        if (r->introduced[0] && vless(BH_VS_DPKG, up, r->introduced))
            continue;
        if (!vless(BH_VS_DPKG, up, r->fixed))
            continue;
        bh_rule_report(c, &comp->loc, NULL,
                       "%s %s%s%s%s is affected by %s%s%s%s: fixed upstream in %s", comp->name,
                       comp->version, comp->package ? " (package " : "",
                       comp->package ? comp->package : "", comp->package ? ")" : "", id,
                       summary[0] ? " (" : "", summary, summary[0] ? ")" : "", r->fixed);
        return;
    }
}

static void check_version(struct bh_rule_ctx *c, const struct bh_host *h)
{
    struct vrow *rows = NULL;
    size_t n, i, k, j;

    if (!h->engine_found || !h->ncomponents)
        return;
    n = vrows_parse(c->arena, &rows);
    for (k = 0; k < h->ncomponents; k++) {
        const struct bh_hostcomponent *comp = &h->components[k];

        if (!comp->name || !comp->version || !comp->version[0])
            continue;
        for (i = 0; i < n; i++) {
            bool seen = false;

            if (strcmp(rows[i].component, comp->name) != 0)
                continue;
            for (j = 0; j < i && !seen; j++)
                seen = strcmp(rows[j].component, comp->name) == 0 &&
                       strcmp(rows[j].id, rows[i].id) == 0;
            if (!seen)
                judge_cve(c, h, comp, rows, n, rows[i].id);
        }
    }
}

/* --------------------------------------------------------- REF-TRUST (host) */

/* The Docker CLI turns trust on for any non-empty value Go's ParseBool does not call false. */
static bool dct_off(const char *v)
{
    static const char *const f[] = {"0", "f", "F", "false", "FALSE", "False", NULL};
    size_t i;

    if (!v || !v[0])
        return true;
    for (i = 0; f[i]; i++) {
        if (strcmp(v, f[i]) == 0)
            return true;
    }
    return false;
}

static void check_trust(struct bh_rule_ctx *c, const struct bh_host *h)
{
    size_t i;

    if (!h->engine_found)
        return;
    if (docker_present(h) && dct_off(h->content_trust)) {
        struct bh_loc loc = h->content_trust ? h->content_trust_loc : file_loc("/etc/environment");

        if (h->content_trust)
            bh_rule_report(c, &loc, NULL,
                           "DOCKER_CONTENT_TRUST=%s turns content trust off: docker pull and run "
                           "accept unsigned tags",
                           h->content_trust);
        else
            bh_rule_report(c, &loc, NULL,
                           "DOCKER_CONTENT_TRUST is not set in /etc/environment or "
                           "/etc/profile.d: docker pull and run accept unsigned tags");
    }
    for (i = 0; i < h->nsettings; i++) {
        const struct bh_hostsetting *s = &h->settings[i];

        if (s->key && strcmp(s->key, "podman.policy.default") == 0 && s->value &&
            strcmp(s->value, "insecureAcceptAnything") == 0)
            bh_rule_report(c, &s->loc, NULL,
                           "policy.json's default is insecureAcceptAnything: Podman, Buildah "
                           "and Skopeo accept any image from any registry without a signature");
    }
}

/* ------------------------------------------------------------------ table */

const struct bh_rule bh_rules_host[] = {
    {"HOST-AUDIT",
     1,
     BH_SEV_LOW,
     BH_APPLIES_HOST,
     "Engine files and binaries are not audited",
     NULL,
     NULL,
     "Add audit watches (-w PATH -k docker) for dockerd, containerd, runc, /var/lib/docker, "
     "/etc/docker, /run/containerd and the docker units in /etc/audit/rules.d/docker.rules, "
     "then load them with augenrules --load.",
     {"CIS 1.1.3-1.1.18", NULL},
     NULL,
     NULL,
     NULL,
     check_audit,
     NULL},
    {"HOST-AUTHZ",
     1,
     BH_SEV_LOW,
     BH_APPLIES_HOST,
     "No authorization plugin in front of the API",
     NULL,
     NULL,
     "When several people or systems reach the engine API, put an authorization plugin in "
     "front of it (\"authorization-plugins\" in daemon.json) and keep the engine up to date.",
     {"CIS 2.12", NULL},
     NULL,
     NULL,
     NULL,
     check_authz,
     NULL},
    {"HOST-DOCKERGRP",
     1,
     BH_SEV_HIGH,
     BH_APPLIES_HOST,
     "Accounts that can drive the engine",
     NULL,
     NULL,
     "Remove accounts that do not administer the host from the docker group (gpasswd -d USER "
     "docker) and from sudoers rules for docker; give the rest rootless Docker or Podman.",
     {"CIS 1.1.2", NULL},
     NULL,
     NULL,
     NULL,
     check_dockergrp,
     NULL},
    {"HOST-FILEPERM",
     1,
     BH_SEV_MEDIUM,
     BH_APPLIES_HOST,
     "Engine unit, configuration or certificate files not root-owned or too open",
     NULL,
     NULL,
     "chown root:root the engine's units, /etc/docker, daemon.json and the environment files "
     "and chmod them 644 (directories 755); certificates 444 and the server key 400.",
     {"CIS 3.1", "CIS 3.2", "CIS 3.5-3.14", "CIS 3.17-3.22", NULL},
     NULL,
     NULL,
     NULL,
     check_fileperm,
     NULL},
    {"HOST-HARDEN",
     1,
     BH_SEV_LOW,
     BH_APPLIES_HOST,
     "Weak daemon setting",
     NULL,
     NULL,
     "In daemon.json set \"log-level\": \"info\", keep \"iptables\" on, move off aufs, turn "
     "\"experimental\" off, and set \"userland-proxy\": false and \"live-restore\": true.",
     {"CIS 2.3", "CIS 2.4", "CIS 2.6", "CIS 2.15", "CIS 2.16", "CIS 2.18", NULL},
     NULL,
     NULL,
     NULL,
     check_harden,
     NULL},
    {"HOST-ICC",
     1,
     BH_SEV_MEDIUM,
     BH_APPLIES_HOST,
     "Unrestricted traffic between containers on the default bridge",
     NULL,
     NULL,
     "Set \"icc\": false in daemon.json and connect containers that must talk through "
     "user-defined networks.",
     {"CIS 2.2", NULL},
     NULL,
     NULL,
     NULL,
     check_icc,
     NULL},
    {"HOST-INSECREG",
     9,
     BH_SEV_HIGH,
     BH_APPLIES_HOST,
     "Registry allowed without TLS",
     NULL,
     NULL,
     "Remove the entry from \"insecure-registries\" (or insecure = true from registries.conf) "
     "and give the registry a certificate, trusted through /etc/docker/certs.d/HOST/ca.crt if "
     "it comes from a private CA.",
     {"CIS 2.5", NULL},
     NULL,
     NULL,
     NULL,
     check_insecreg,
     NULL},
    {"HOST-LSM",
     1,
     BH_SEV_HIGH,
     BH_APPLIES_HOST,
     "AppArmor, SELinux or seccomp unavailable or off engine-wide",
     NULL,
     NULL,
     "Boot a kernel with seccomp and AppArmor or SELinux enforcing, set \"selinux-enabled\": "
     "true on SELinux hosts, and remove a daemon-wide \"seccomp-profile\": \"unconfined\".",
     {"CIS 2.17", "CIS 1.2.1", NULL},
     NULL,
     NULL,
     NULL,
     check_lsm,
     NULL},
    {"HOST-SOCKPERM",
     1,
     BH_SEV_HIGH,
     BH_APPLIES_HOST,
     "Engine socket ownership or mode too open",
     NULL,
     NULL,
     "Make engine sockets root:docker (containerd's root:root) with mode 660 or less, remove "
     "ACL entries (setfacl -b), and keep SocketMode=0660 and SocketGroup=docker in "
     "docker.socket, a root:root 644 unit.",
     {"CIS 3.3", "CIS 3.4", "CIS 3.15", "CIS 3.16", "CIS 3.23", "CIS 3.24", NULL},
     NULL,
     NULL,
     NULL,
     check_sockperm,
     NULL},
    {"HOST-TLS",
     1,
     BH_SEV_CRITICAL,
     BH_APPLIES_HOST,
     "Engine API on TCP without mutual TLS",
     NULL,
     NULL,
     "Listen on the unix socket only, or set \"tlsverify\": true with tlscacert, tlscert and "
     "tlskey so that only clients with a certificate from your CA get in; keep \"hosts\" in "
     "one place (daemon.json or -H, not both).",
     {"CIS 2.7", NULL},
     NULL,
     NULL,
     NULL,
     check_tls,
     NULL},
    {"HOST-USERNS",
     1,
     BH_SEV_MEDIUM,
     BH_APPLIES_HOST,
     "Containers share the host user namespace",
     NULL,
     NULL,
     "Set \"userns-remap\": \"default\" in daemon.json (with user namespaces enabled in the "
     "kernel), or run rootless Docker or Podman.",
     {"CIS 2.9", NULL},
     NULL,
     NULL,
     NULL,
     check_userns,
     NULL},
    {"HOST-VERSION",
     1,
     BH_SEV_HIGH,
     BH_APPLIES_HOST,
     "Engine, containerd or runc with a known container escape",
     NULL,
     NULL,
     "Upgrade the package (docker, containerd, runc) to the fixed version from your "
     "distribution or from Docker's repository, then restart the daemon.",
     {"CIS 1.2.2", NULL},
     NULL,
     NULL,
     NULL,
     check_version,
     NULL},
    {"REF-TRUST",
     9,
     BH_SEV_MEDIUM,
     BH_APPLIES_HOST,
     "No signature or content-trust enforcement",
     NULL,
     NULL,
     "Verify signatures where images are pulled: DOCKER_CONTENT_TRUST=1 in /etc/environment "
     "for docker, and a policy.json default of reject with signedBy or sigstoreSigned entries "
     "for the registries you use.",
     {"Dockle CIS-DI-0005", "CIS 4.5", "CIS 4.12", NULL},
     NULL,
     NULL,
     NULL,
     check_trust,
     NULL},
};
const size_t bh_rules_host_n = sizeof(bh_rules_host) / sizeof(bh_rules_host[0]);
