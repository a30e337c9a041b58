/*
 * inspect.c - one container's inspect document (the API's GET /containers/{id}/json, a
 * `docker inspect` array of one, or a state directory's config.v2.json + hostconfig.json)
 * mapped into struct bh_container and its bh_runspec (source_kind "inspect"). Values the
 * engine writes as its defaults ("", 0, null) stay unset so the rules read them as such.
 * It judges nothing and reads no file: the caller parsed the JSON.
 */
#include "input/engine/engineint.h"

#include "core/arena.h"
#include "core/str.h"
#include "input/json.h"
#include "model/norm.h"

#include <string.h>

struct ins {
    struct bh_arena *a;
    const char *cfile; /* the document of the top-level and Config.* fields */
    const char *hfile; /* the document HostConfig came from */
    struct bh_container *c;
    struct bh_runspec *rs;
    struct bh_err *err;
};

static int ins_nomem(const struct ins *I)
{
    return bh_err_set(I->err, BH_ENOMEM, I->cfile, 0, 0,
                      "out of memory reading a container inspect document");
}

/* A value of the wrong type: the document is not what an engine writes. */
static int ins_type(const struct ins *I, const char *file, const char *path, const char *want,
                    const struct bh_jnode *n)
{
    return bh_err_set(I->err, BH_EPARSE, file, 0, 0, "%s: expected %s, found %s", path, want,
                      bh_json_type_name(n));
}

static struct bh_loc ins_loc(const char *file, const char *path)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = file;
    l.path = path;
    return l;
}

/* "HostConfig.CapAdd" + index -> "HostConfig.CapAdd[3]" */
static const char *ins_idx(const struct ins *I, const char *path, size_t i)
{
    return bh_arena_printf(I->a, "%s[%zu]", path, i);
}

/* The string at key of obj: NULL when absent or null; BH_EPARSE for another type. */
static int get_str(const struct ins *I, const char *file, const struct bh_jnode *obj,
                   const char *key, const char *path, const char **out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *out = NULL;
    if (bh_json_is_null(n))
        return 0;
    if (n->type != BH_J_STRING)
        return ins_type(I, file, path, "a string", n);
    *out = n->str;
    return 0;
}

/* The boolean at key: *set false when absent or null. */
static int get_bool(const struct ins *I, const char *file, const struct bh_jnode *obj,
                    const char *key, const char *path, bool *set, bool *out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *set = false;
    *out = false;
    if (bh_json_is_null(n))
        return 0;
    if (!bh_json_bool(n, out))
        return ins_type(I, file, path, "a boolean", n);
    *set = true;
    return 0;
}

/* The integer at key; 0 when absent or null. Engines write whole numbers here. */
static int get_int(const struct ins *I, const char *file, const struct bh_jnode *obj,
                   const char *key, const char *path, long long *out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *out = 0;
    if (bh_json_is_null(n))
        return 0;
    if (!bh_json_int(n, out))
        return ins_type(I, file, path, "an integer", n);
    return 0;
}

/* The array or object at key: NULL when absent or null. */
static int get_kind(const struct ins *I, const char *file, const struct bh_jnode *obj,
                    const char *key, const char *path, enum bh_jtype want,
                    const struct bh_jnode **out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *out = NULL;
    if (bh_json_is_null(n))
        return 0;
    if (n->type != want)
        return ins_type(I, file, path, want == BH_J_ARRAY ? "an array" : "an object", n);
    *out = n;
    return 0;
}

static int push_str(const struct ins *I, struct bh_rs_list *l, const char *v, struct bh_loc loc)
{
    struct bh_rs_str *s = BH_PUSH(I->a, l->v, l->n, l->cap);

    if (!s)
        return ins_nomem(I);
    s->v = v;
    s->loc = loc;
    return 0;
}

/* A non-empty string of HostConfig into s (empty = the engine's default). */
static int host_str(const struct ins *I, const struct bh_jnode *hc, const char *key,
                    const char *path, struct bh_rs_str *s)
{
    const char *v;
    int rc = get_str(I, I->hfile, hc, key, path, &v);

    if (rc || !v || !*v)
        return rc;
    s->v = v;
    s->loc = ins_loc(I->hfile, path);
    return 0;
}

/* An array of strings (CapAdd, GroupAdd, ...) into l; items of another type are an error. */
static int host_list(const struct ins *I, const char *file, const struct bh_jnode *obj,
                     const char *key, const char *path, struct bh_rs_list *l)
{
    const struct bh_jnode *arr;
    size_t i;
    int rc = get_kind(I, file, obj, key, path, BH_J_ARRAY, &arr);

    if (rc || !arr)
        return rc;
    for (i = 0; i < arr->n; i++) {
        const char *p = ins_idx(I, path, i);

        if (!p)
            return ins_nomem(I);
        if (arr->items[i].type != BH_J_STRING)
            return ins_type(I, file, p, "a string", &arr->items[i]);
        if (!*arr->items[i].str)
            continue;
        if ((rc = push_str(I, l, arr->items[i].str, ins_loc(file, p))))
            return rc;
    }
    return 0;
}

/* ---- the container itself --------------------------------------------------------------- */

static bool zero_time(const char *t)
{
    return !t || !*t || bh_str_prefix(t, "0001-01-01T");
}

/*
 * State.Status as the API writes it; config.v2.json has only the flags, from which the
 * engine derives the same word (paused and restarting are kinds of running).
 */
static int read_state(const struct ins *I, const struct bh_jnode *doc)
{
    const struct bh_jnode *st;
    const char *status, *started;
    bool set, running = false, paused = false, restarting = false, dead = false, removing = false;
    int rc;

    if ((rc = get_kind(I, I->cfile, doc, "State", "State", BH_J_OBJECT, &st)) || !st)
        return rc;
    if ((rc = get_str(I, I->cfile, st, "Status", "State.Status", &status)) ||
        (rc = get_bool(I, I->cfile, st, "Running", "State.Running", &set, &running)) ||
        (rc = get_bool(I, I->cfile, st, "Paused", "State.Paused", &set, &paused)) ||
        (rc = get_bool(I, I->cfile, st, "Restarting", "State.Restarting", &set, &restarting)) ||
        (rc = get_bool(I, I->cfile, st, "Dead", "State.Dead", &set, &dead)) ||
        (rc = get_bool(I, I->cfile, st, "RemovalInProgress", "State.RemovalInProgress", &set,
                       &removing)) ||
        (rc = get_str(I, I->cfile, st, "StartedAt", "State.StartedAt", &started)))
        return rc;
    I->c->running = running;
    I->c->started_at = zero_time(started) ? NULL : started;
    if (status && *status)
        I->c->state = status;
    else if (running)
        I->c->state = paused ? "paused" : restarting ? "restarting" : "running";
    else if (removing)
        I->c->state = "removing";
    else if (dead)
        I->c->state = "dead";
    else
        I->c->state = zero_time(started) ? "created" : "exited";
    return 0;
}

/* Is the container attached to the network named "bridge" (NetworkSettings.Networks)? */
static int read_networks(const struct ins *I, const struct bh_jnode *doc, bool *bridge)
{
    const struct bh_jnode *ns, *nets;
    int rc;

    *bridge = false;
    if ((rc = get_kind(I, I->cfile, doc, "NetworkSettings", "NetworkSettings", BH_J_OBJECT, &ns)) ||
        !ns)
        return rc;
    if ((rc = get_kind(I, I->cfile, ns, "Networks", "NetworkSettings.Networks", BH_J_OBJECT,
                       &nets)) ||
        !nets)
        return rc;
    *bridge = bh_json_get(nets, "bridge") != NULL;
    return 0;
}

static int read_config(const struct ins *I, const struct bh_jnode *doc)
{
    struct bh_runspec *rs = I->rs;
    const struct bh_jnode *cfg, *env;
    const char *image, *user;
    size_t i;
    int rc;

    if ((rc = get_kind(I, I->cfile, doc, "Config", "Config", BH_J_OBJECT, &cfg)) || !cfg)
        return rc;
    if ((rc = get_str(I, I->cfile, cfg, "Image", "Config.Image", &image)) ||
        (rc = get_str(I, I->cfile, cfg, "User", "Config.User", &user)) ||
        (rc = get_kind(I, I->cfile, cfg, "Env", "Config.Env", BH_J_ARRAY, &env)))
        return rc;
    if (image && *image) {
        I->c->image_ref = image;
        rs->image.v = image;
        rs->image.loc = ins_loc(I->cfile, "Config.Image");
    }
    /* "" runs as the image's user; the rules leave that to the image's own checks */
    if (user && *user) {
        rs->user.v = user;
        rs->user.loc = ins_loc(I->cfile, "Config.User");
    }
    for (i = 0; env && i < env->n; i++) {
        const char *p = ins_idx(I, "Config.Env", i), *eq;

        if (!p)
            return ins_nomem(I);
        if (env->items[i].type != BH_J_STRING)
            return ins_type(I, I->cfile, p, "a string", &env->items[i]);
        eq = strchr(env->items[i].str, '=');
        if (!eq || eq == env->items[i].str)
            continue;
        if ((rc = push_str(I, &rs->env, env->items[i].str, ins_loc(I->cfile, p))))
            return rc;
    }
    return 0;
}

/* ---- HostConfig ------------------------------------------------------------------------- */

static int add_mount(const struct ins *I, const struct bh_mount *m)
{
    struct bh_runspec *rs = I->rs;
    struct bh_mount *slot = BH_PUSH(I->a, rs->mounts, rs->nmounts, rs->mounts_cap);

    if (!slot)
        return ins_nomem(I);
    *slot = *m;
    return 0;
}

/*
 * One HostConfig.Binds item "SRC:DST[:OPTS]". The engine accepted it, so a spec our
 * normaliser refuses (an option it does not know) still becomes a mount: SRC and DST up to
 * the next colons, a bind when SRC is absolute.
 */
static int read_bind(const struct ins *I, const char *spec, const char *path)
{
    struct bh_mount m;
    const char *c1, *c2;
    int rc = bh_norm_volume(I->a, spec, &m);

    if (rc == BH_ENOMEM)
        return ins_nomem(I);
    if (rc) {
        memset(&m, 0, sizeof(m));
        c1 = strchr(spec, ':');
        if (!c1 || c1 == spec || !c1[1])
            return 0;
        c2 = strchr(c1 + 1, ':');
        m.source_raw = bh_arena_strndup(I->a, spec, (size_t)(c1 - spec));
        m.target = c2 ? bh_arena_strndup(I->a, c1 + 1, (size_t)(c2 - c1 - 1)) : c1 + 1;
        if (!m.source_raw || !m.target)
            return ins_nomem(I);
        m.kind = spec[0] == '/' ? BH_MOUNT_BIND : BH_MOUNT_VOLUME;
        m.source = m.kind == BH_MOUNT_BIND ? bh_norm_path(I->a, m.source_raw) : m.source_raw;
        m.read_only = c2 && (!strcmp(c2 + 1, "ro") || bh_str_prefix(c2 + 1, "ro,") ||
                             strstr(c2 + 1, ",ro,") || bh_str_suffix(c2 + 1, ",ro"));
    }
    m.loc = ins_loc(I->hfile, path);
    return add_mount(I, &m);
}

static int read_binds(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *arr;
    size_t i;
    int rc = get_kind(I, I->hfile, hc, "Binds", "HostConfig.Binds", BH_J_ARRAY, &arr);

    for (i = 0; !rc && arr && i < arr->n; i++) {
        const char *p = ins_idx(I, "HostConfig.Binds", i);

        if (!p)
            return ins_nomem(I);
        if (arr->items[i].type != BH_J_STRING)
            return ins_type(I, I->hfile, p, "a string", &arr->items[i]);
        rc = read_bind(I, arr->items[i].str, p);
    }
    return rc;
}

/* HostConfig.Mounts[]: {Type, Source, Target, ReadOnly, BindOptions.Propagation}. */
static int read_mounts(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *arr, *bo;
    size_t i;
    int rc = get_kind(I, I->hfile, hc, "Mounts", "HostConfig.Mounts", BH_J_ARRAY, &arr);

    for (i = 0; !rc && arr && i < arr->n; i++) {
        const struct bh_jnode *it = &arr->items[i];
        const char *p = ins_idx(I, "HostConfig.Mounts", i), *type, *src, *tgt, *prop = NULL;
        struct bh_mount m;
        bool set, ro;

        if (!p)
            return ins_nomem(I);
        if (it->type != BH_J_OBJECT)
            return ins_type(I, I->hfile, p, "an object", it);
        memset(&m, 0, sizeof(m));
        if ((rc = get_str(I, I->hfile, it, "Type", p, &type)) ||
            (rc = get_str(I, I->hfile, it, "Source", p, &src)) ||
            (rc = get_str(I, I->hfile, it, "Target", p, &tgt)) ||
            (rc = get_bool(I, I->hfile, it, "ReadOnly", p, &set, &ro)) ||
            (rc = get_kind(I, I->hfile, it, "BindOptions", p, BH_J_OBJECT, &bo)) ||
            (bo && (rc = get_str(I, I->hfile, bo, "Propagation", p, &prop))))
            return rc;
        if (!type || !*type)
            type = "volume"; /* the engine's default, as for `--mount` */
        if (!strcmp(type, "bind") || !strcmp(type, "npipe")) {
            m.kind = BH_MOUNT_BIND;
            m.source_raw = src;
            m.source = src ? bh_norm_path(I->a, src) : NULL;
        } else if (!strcmp(type, "volume")) {
            m.kind = BH_MOUNT_VOLUME;
            m.source_raw = m.source = src && *src ? src : NULL;
        } else if (!strcmp(type, "tmpfs")) {
            m.kind = BH_MOUNT_TMPFS;
        } else {
            m.kind = BH_MOUNT_OTHER;
            m.source_raw = m.source = src;
        }
        m.target = tgt;
        m.read_only = ro;
        m.propagation = prop && *prop ? prop : NULL;
        m.loc = ins_loc(I->hfile, p);
        rc = add_mount(I, &m);
    }
    return rc;
}

/* Does a comma-separated option list hold the option `ro`? */
static bool opts_ro(const char *o)
{
    while (o && *o) {
        size_t n = strcspn(o, ",");

        if (n == 2 && !memcmp(o, "ro", 2))
            return true;
        o += n;
        if (*o == ',')
            o++;
    }
    return false;
}

/* HostConfig.Tmpfs {"/run": "rw,size=1m"}. */
static int read_tmpfs(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *obj;
    size_t i;
    int rc = get_kind(I, I->hfile, hc, "Tmpfs", "HostConfig.Tmpfs", BH_J_OBJECT, &obj);

    for (i = 0; !rc && obj && i < obj->n; i++) {
        const struct bh_jpair *pr = &obj->pairs[i];
        const char *p = bh_arena_printf(I->a, "HostConfig.Tmpfs.%s", pr->key);
        struct bh_mount m;

        if (!p)
            return ins_nomem(I);
        if (!bh_json_is_null(&pr->value) && pr->value.type != BH_J_STRING)
            return ins_type(I, I->hfile, p, "a string", &pr->value);
        memset(&m, 0, sizeof(m));
        m.kind = BH_MOUNT_TMPFS;
        m.target = pr->key;
        m.read_only = opts_ro(bh_json_str(&pr->value));
        m.loc = ins_loc(I->hfile, p);
        rc = add_mount(I, &m);
    }
    return rc;
}

/*
 * One PortBindings item of container port key ("80/tcp"), written back as the short spec
 * `docker run -p` takes ("0.0.0.0:8080:80/tcp", "[::]:8443:443/tcp", "127.0.0.1::82/tcp";
 * HostIp "" = every interface) and read with the shared N5 parser. An item the parser
 * refuses is left out: nothing can be said about it.
 */
static int read_binding(const struct ins *I, const char *key, const struct bh_jnode *it,
                        const char *path)
{
    struct bh_runspec *rs = I->rs;
    const char *ip, *hp, *spec;
    struct bh_port port, *slot;
    size_t iplen;
    int rc;

    if (it->type != BH_J_OBJECT)
        return ins_type(I, I->hfile, path, "an object", it);
    if ((rc = get_str(I, I->hfile, it, "HostIp", path, &ip)) ||
        (rc = get_str(I, I->hfile, it, "HostPort", path, &hp)))
        return rc;
    ip = ip ? ip : "";
    hp = hp ? hp : "";
    iplen = strlen(ip);
    if (iplen >= 2 && ip[0] == '[' && ip[iplen - 1] == ']') {
        ip++;
        iplen -= 2;
    }
    if (iplen && memchr(ip, ':', iplen))
        spec = bh_arena_printf(I->a, "[%.*s]:%s:%s", (int)iplen, ip, hp, key);
    else if (iplen)
        spec = bh_arena_printf(I->a, "%.*s:%s:%s", (int)iplen, ip, hp, key);
    else if (*hp)
        spec = bh_arena_printf(I->a, "%s:%s", hp, key);
    else
        spec = key;
    if (!spec)
        return ins_nomem(I);
    rc = bh_norm_port(I->a, spec, &port);
    if (rc == BH_ENOMEM)
        return ins_nomem(I);
    if (rc)
        return 0;
    port.raw = spec;
    port.loc = ins_loc(I->hfile, path);
    slot = BH_PUSH(I->a, rs->ports, rs->nports, rs->ports_cap);
    if (!slot)
        return ins_nomem(I);
    *slot = port;
    return 0;
}

/* HostConfig.PortBindings {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}. */
static int read_ports(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *obj;
    size_t i, k;
    int rc =
        get_kind(I, I->hfile, hc, "PortBindings", "HostConfig.PortBindings", BH_J_OBJECT, &obj);

    for (i = 0; !rc && obj && i < obj->n; i++) {
        const struct bh_jpair *pr = &obj->pairs[i];
        const char *p = bh_arena_printf(I->a, "HostConfig.PortBindings.%s", pr->key);

        if (!p)
            return ins_nomem(I);
        if (bh_json_is_null(&pr->value))
            continue;
        if (pr->value.type != BH_J_ARRAY)
            return ins_type(I, I->hfile, p, "an array", &pr->value);
        for (k = 0; !rc && k < pr->value.n; k++) {
            const char *pk = ins_idx(I, p, k);

            if (!pk)
                return ins_nomem(I);
            rc = read_binding(I, pr->key, &pr->value.items[k], pk);
        }
    }
    return rc;
}

/* HostConfig.Devices[]: {PathOnHost, PathInContainer, CgroupPermissions}. */
static int read_devices(const struct ins *I, const struct bh_jnode *hc)
{
    struct bh_runspec *rs = I->rs;
    const struct bh_jnode *arr;
    size_t i;
    int rc = get_kind(I, I->hfile, hc, "Devices", "HostConfig.Devices", BH_J_ARRAY, &arr);

    for (i = 0; !rc && arr && i < arr->n; i++) {
        const struct bh_jnode *it = &arr->items[i];
        const char *p = ins_idx(I, "HostConfig.Devices", i), *host, *cont, *perms;
        struct bh_device *d;

        if (!p)
            return ins_nomem(I);
        if (it->type != BH_J_OBJECT)
            return ins_type(I, I->hfile, p, "an object", it);
        if ((rc = get_str(I, I->hfile, it, "PathOnHost", p, &host)) ||
            (rc = get_str(I, I->hfile, it, "PathInContainer", p, &cont)) ||
            (rc = get_str(I, I->hfile, it, "CgroupPermissions", p, &perms)))
            return rc;
        d = BH_PUSH(I->a, rs->devices, rs->ndevices, rs->devices_cap);
        if (!d)
            return ins_nomem(I);
        d->host_path = host;
        d->cont_path = cont && *cont ? cont : NULL;
        d->perms = perms && *perms ? perms : NULL;
        d->loc = ins_loc(I->hfile, p);
    }
    return rc;
}

/*
 * HostConfig.DeviceRequests[] (`--gpus`): written back as the --gpus value that makes
 * it: "all" (Count -1), "2", "device=0,1", with "driver=X," in front when one is named.
 */
static int read_device_requests(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *arr;
    size_t i, k;
    int rc =
        get_kind(I, I->hfile, hc, "DeviceRequests", "HostConfig.DeviceRequests", BH_J_ARRAY, &arr);

    for (i = 0; !rc && arr && i < arr->n; i++) {
        const struct bh_jnode *it = &arr->items[i], *ids;
        const char *p = ins_idx(I, "HostConfig.DeviceRequests", i), *driver, *what;
        long long count;

        if (!p)
            return ins_nomem(I);
        if (it->type != BH_J_OBJECT)
            return ins_type(I, I->hfile, p, "an object", it);
        if ((rc = get_str(I, I->hfile, it, "Driver", p, &driver)) ||
            (rc = get_int(I, I->hfile, it, "Count", p, &count)) ||
            (rc = get_kind(I, I->hfile, it, "DeviceIDs", p, BH_J_ARRAY, &ids)))
            return rc;
        if (ids && ids->n) {
            what = "device=";
            for (k = 0; k < ids->n; k++) {
                const char *id = bh_json_str(&ids->items[k]);

                what = bh_arena_printf(I->a, "%s%s%s", what, k ? "," : "", id ? id : "?");
                if (!what)
                    return ins_nomem(I);
            }
        } else if (count < 0) {
            what = "all";
        } else {
            what = bh_arena_printf(I->a, "%lld", count);
        }
        if (what && driver && *driver)
            what = bh_arena_printf(I->a, "driver=%s,%s", driver, what);
        if (!what)
            return ins_nomem(I);
        rc = push_str(I, &I->rs->gpus, what, ins_loc(I->hfile, p));
    }
    return rc;
}

/* HostConfig.Sysctls {"net.ipv4.x": "1"} -> "net.ipv4.x=1". */
static int read_sysctls(const struct ins *I, const struct bh_jnode *hc)
{
    const struct bh_jnode *obj;
    size_t i;
    int rc = get_kind(I, I->hfile, hc, "Sysctls", "HostConfig.Sysctls", BH_J_OBJECT, &obj);

    for (i = 0; !rc && obj && i < obj->n; i++) {
        const struct bh_jpair *pr = &obj->pairs[i];
        const char *p = bh_arena_printf(I->a, "HostConfig.Sysctls.%s", pr->key), *v;

        if (!p)
            return ins_nomem(I);
        if (pr->value.type != BH_J_STRING)
            return ins_type(I, I->hfile, p, "a string", &pr->value);
        v = bh_arena_printf(I->a, "%s=%s", pr->key, pr->value.str);
        if (!v)
            return ins_nomem(I);
        rc = push_str(I, &I->rs->sysctls, v, ins_loc(I->hfile, p));
    }
    return rc;
}

/* SecurityOpt as written; the seccomp= and apparmor= values also into seccomp / apparmor. */
static int read_secopts(const struct ins *I, const struct bh_jnode *hc)
{
    struct bh_runspec *rs = I->rs;
    size_t i;
    int rc = host_list(I, I->hfile, hc, "SecurityOpt", "HostConfig.SecurityOpt", &rs->security_opt);

    for (i = 0; !rc && i < rs->security_opt.n; i++) {
        const struct bh_rs_str *it = &rs->security_opt.v[i];
        struct bh_secopt so;

        rc = bh_norm_secopt(I->a, it->v, &so);
        if (rc == BH_ENOMEM)
            return ins_nomem(I);
        rc = 0;
        if (!so.key)
            continue;
        if (bh_str_ieq(so.key, "seccomp")) {
            rs->seccomp.v = so.value;
            rs->seccomp.loc = it->loc;
        } else if (bh_str_ieq(so.key, "apparmor")) {
            rs->apparmor.v = so.value;
            rs->apparmor.loc = it->loc;
        }
    }
    return rc;
}

/* A positive number of HostConfig as text into s; 0 (and -1, null) is "no limit". */
static int host_limit(const struct ins *I, const struct bh_jnode *hc, const char *key,
                      const char *path, struct bh_rs_str *s)
{
    long long v;
    int rc = get_int(I, I->hfile, hc, key, path, &v);

    if (rc || v <= 0)
        return rc;
    s->v = bh_arena_printf(I->a, "%lld", v);
    if (!s->v)
        return ins_nomem(I);
    s->loc = ins_loc(I->hfile, path);
    return 0;
}

static int read_limits(const struct ins *I, const struct bh_jnode *hc)
{
    struct bh_runspec *rs = I->rs;
    int rc;

    if ((rc = host_limit(I, hc, "Memory", "HostConfig.Memory", &rs->mem_limit)) ||
        (rc = host_limit(I, hc, "NanoCpus", "HostConfig.NanoCpus", &rs->cpu_limit)) ||
        (rc = host_limit(I, hc, "PidsLimit", "HostConfig.PidsLimit", &rs->pids_limit)))
        return rc;
    /* --cpu-quota is a CPU limit too (with CpuPeriod, default 100ms) */
    if (!rs->cpu_limit.v)
        rc = host_limit(I, hc, "CpuQuota", "HostConfig.CpuQuota", &rs->cpu_limit);
    return rc;
}

static int read_hostconfig(const struct ins *I, const struct bh_jnode *hc)
{
    struct bh_runspec *rs = I->rs;
    bool set, v;
    int rc;

    /* an engine always writes Privileged; false there is an explicit false */
    if ((rc = get_bool(I, I->hfile, hc, "Privileged", "HostConfig.Privileged", &set, &v)))
        return rc;
    if (set) {
        rs->privileged.v = v ? BH_TRUE : BH_FALSE;
        rs->privileged.loc = ins_loc(I->hfile, "HostConfig.Privileged");
    }
    /* ReadonlyRootfs false is the engine's default, not a choice: leave it unset */
    if ((rc = get_bool(I, I->hfile, hc, "ReadonlyRootfs", "HostConfig.ReadonlyRootfs", &set, &v)))
        return rc;
    if (set && v) {
        rs->read_only_rootfs.v = BH_TRUE;
        rs->read_only_rootfs.loc = ins_loc(I->hfile, "HostConfig.ReadonlyRootfs");
    }
    if ((rc = get_bool(I, I->hfile, hc, "PublishAllPorts", "HostConfig.PublishAllPorts", &set, &v)))
        return rc;
    if (set && v) {
        rs->publish_all = true;
        rs->publish_all_loc = ins_loc(I->hfile, "HostConfig.PublishAllPorts");
    }
    if ((rc = host_list(I, I->hfile, hc, "CapAdd", "HostConfig.CapAdd", &rs->cap_add)) ||
        (rc = host_list(I, I->hfile, hc, "CapDrop", "HostConfig.CapDrop", &rs->cap_drop)) ||
        (rc = host_list(I, I->hfile, hc, "GroupAdd", "HostConfig.GroupAdd", &rs->group_add)) ||
        (rc = host_list(I, I->hfile, hc, "DeviceCgroupRules", "HostConfig.DeviceCgroupRules",
                        &rs->device_cgroup_rules)) ||
        (rc =
             host_list(I, I->hfile, hc, "ExtraHosts", "HostConfig.ExtraHosts", &rs->extra_hosts)) ||
        (rc = host_str(I, hc, "PidMode", "HostConfig.PidMode", &rs->pid)) ||
        (rc = host_str(I, hc, "IpcMode", "HostConfig.IpcMode", &rs->ipc)) ||
        (rc = host_str(I, hc, "UTSMode", "HostConfig.UTSMode", &rs->uts)) ||
        (rc = host_str(I, hc, "NetworkMode", "HostConfig.NetworkMode", &rs->network)) ||
        (rc = host_str(I, hc, "UsernsMode", "HostConfig.UsernsMode", &rs->userns)) ||
        (rc = host_str(I, hc, "CgroupnsMode", "HostConfig.CgroupnsMode", &rs->cgroupns)) ||
        (rc = read_secopts(I, hc)) || (rc = read_binds(I, hc)) || (rc = read_mounts(I, hc)) ||
        (rc = read_tmpfs(I, hc)) || (rc = read_ports(I, hc)) || (rc = read_devices(I, hc)) ||
        (rc = read_device_requests(I, hc)) || (rc = read_sysctls(I, hc)) ||
        (rc = read_limits(I, hc)))
        return rc;
    I->c->network_mode = rs->network.v;
    return 0;
}

/*
 * config.v2.json records `NoNewPrivileges` also when the daemon turned it on for every
 * container (daemon.json no-new-privileges), which SecurityOpt does not show: the
 * container runs with it all the same, so it counts as the option.
 */
static int read_nnp(const struct ins *I, const struct bh_jnode *doc)
{
    struct bh_runspec *rs = I->rs;
    bool set, v;
    size_t i;
    int rc = get_bool(I, I->cfile, doc, "NoNewPrivileges", "NoNewPrivileges", &set, &v);

    if (rc || !set || !v)
        return rc;
    for (i = 0; i < rs->security_opt.n; i++) {
        if (bh_str_iprefix(rs->security_opt.v[i].v, "no-new-privileges"))
            return 0;
    }
    return push_str(I, &rs->security_opt, "no-new-privileges",
                    ins_loc(I->cfile, "NoNewPrivileges"));
}

int bh_engine_inspect_files(struct bh_arena *a, const char *cfile, const char *hfile,
                            const struct bh_jnode *config, const struct bh_jnode *hostconfig,
                            struct bh_container *c, struct bh_err *err)
{
    struct ins I;
    const struct bh_jnode *hc;
    const char *id, *id2, *name;
    bool bridge;
    int rc;

    memset(c, 0, sizeof(*c));
    bh_runspec_init(&c->spec);
    I.a = a;
    I.cfile = cfile;
    I.hfile = hostconfig ? hfile : cfile;
    I.c = c;
    I.rs = &c->spec;
    I.err = err;
    /* `docker inspect` prints an array even for one container */
    if (config && config->type == BH_J_ARRAY && config->n == 1)
        config = &config->items[0];
    if (!config || config->type != BH_J_OBJECT)
        return ins_type(&I, cfile, "the document", "an object (a container's inspect document)",
                        config);
    if (hostconfig) {
        if (hostconfig->type != BH_J_OBJECT)
            return ins_type(&I, I.hfile, "the document", "an object (HostConfig)", hostconfig);
        hc = hostconfig;
    } else {
        hc = bh_json_get(config, "HostConfig");
        if (!hc)
            return bh_err_set(err, BH_EPARSE, cfile, 0, 0,
                              "no HostConfig: not a container's inspect document");
        if (hc->type != BH_J_OBJECT)
            return ins_type(&I, cfile, "HostConfig", "an object", hc);
    }
    /* the API writes Id, config.v2.json ID */
    if ((rc = get_str(&I, cfile, config, "Id", "Id", &id)) ||
        (rc = get_str(&I, cfile, config, "ID", "ID", &id2)) ||
        (rc = get_str(&I, cfile, config, "Name", "Name", &name)) ||
        (rc = get_str(&I, cfile, config, "Image", "Image", &c->image_id)) ||
        (rc = get_str(&I, cfile, config, "Created", "Created", &c->created)))
        return rc;
    c->id = id && *id ? id : id2 && *id2 ? id2 : NULL;
    if (name && name[0] == '/')
        name++;
    c->name = name && *name ? name : NULL;
    if (c->image_id && !*c->image_id)
        c->image_id = NULL;
    if (zero_time(c->created))
        c->created = NULL;
    c->loc = ins_loc(cfile, NULL);
    c->spec.source_kind = "inspect";
    c->spec.name = c->name;
    c->spec.loc = c->loc;
    if ((rc = read_state(&I, config)) || (rc = read_config(&I, config)) ||
        (rc = read_hostconfig(&I, hc)) || (rc = read_nnp(&I, config)) ||
        (rc = read_networks(&I, config, &bridge)))
        return rc;
    c->on_default_bridge = bridge || (c->network_mode && (!strcmp(c->network_mode, "default") ||
                                                          !strcmp(c->network_mode, "bridge")));
    return 0;
}

int bh_engine_inspect(struct bh_arena *a, const char *file, const struct bh_jnode *config,
                      const struct bh_jnode *hostconfig, struct bh_container *c, struct bh_err *err)
{
    return bh_engine_inspect_files(a, file, file, config, hostconfig, c, err);
}
