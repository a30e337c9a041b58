/*
 * kube.c - reads Kubernetes manifests (YAML 1.1, multi-document, `kind: List`)
 * into one struct bh_runspec per container, with the pod-level settings and
 * legacy annotations folded in, and Services into struct bh_service. It checks
 * the shapes it reads (types of the fields it uses) but never judges whether
 * a setting is a mistake; objects without a pod spec are skipped.
 */
#include "input/kube.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/comments.h"
#include "input/yaml.h"
#include "model/norm.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define S11 BH_YAML_1_1

struct kr {
    struct bh_arena *a;
    const char *file;
    struct bh_err *err;
    struct bh_runset *out;
};

/* One entry of P.volumes[] while the containers' volumeMounts are joined to it. */
struct kvol {
    const char *name; /* NULL when the item has no name (nothing can mount it) */
    const char *type; /* "hostPath", "emptyDir", ...; NULL when the item has no source */
    const struct bh_ynode *item;
    const char *item_path;
    const char *hp_path;  /* hostPath.path as written, or NULL */
    const char *hp_type;  /* hostPath.type, or NULL */
    struct bh_loc hp_loc; /* the hostPath `path:` key (or `hostPath:` when it has no path) */
    bool mounted;
};

/* The pod being read: where it is and what every container inherits. */
struct kpod {
    const char *owner;             /* "Deployment/web" */
    const struct bh_ynode *spec;   /* P */
    const char *spath;             /* path of P */
    const struct bh_ynode *annots; /* pod (template) metadata annotations, or NULL */
    const char *apath;
    const char *ignore_ids;
    struct bh_loc ignore_loc;
    struct kvol *vols; /* sorted by name for the joins */
    size_t nvols;
    struct bh_runspec base; /* pod-level settings */
};

static const char *const restricted_volume_types[] = {
    "configMap", "csi",    "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret", NULL};

/* ---- paths and locations ---- */

static const char *pjoin(struct kr *r, const char *base, const char *key)
{
    bool odd = strchr(key, '.') || strchr(key, '/') || strchr(key, '[');

    if (!base || !*base)
        return odd ? bh_arena_printf(r->a, "['%s']", key) : key;
    return odd ? bh_arena_printf(r->a, "%s['%s']", base, key)
               : bh_arena_printf(r->a, "%s.%s", base, key);
}

static const char *pidx(struct kr *r, const char *base, size_t i)
{
    return bh_arena_printf(r->a, "%s[%zu]", base ? base : "", i);
}

static struct bh_loc at(const struct kr *r, const struct bh_ynode *n, const char *path)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = r->file;
    l.line = n->line;
    l.col = n->col;
    l.end_line = n->end_line;
    l.end_col = n->end_col;
    l.path = path;
    return l;
}

/* A scalar setting: the key's position, the span running to the end of a scalar value. */
static struct bh_loc at_key(const struct kr *r, const struct bh_ypair *p, const char *path)
{
    struct bh_loc l = at(r, p->key, path);

    if (p->value->type == BH_Y_SCALAR) {
        l.end_line = p->value->end_line;
        l.end_col = p->value->end_col;
    }
    return l;
}

/* ---- typed access to the tree ---- */

/* The pair for `key` in map; a null value counts as absent (Kubernetes reads it as unset). */
static const struct bh_ypair *field(const struct bh_ynode *map, const char *key)
{
    size_t i;

    if (!bh_yaml_is_map(map))
        return NULL;
    for (i = 0; i < map->n; i++) {
        if (bh_yaml_scalar_eq(map->pairs[i].key, key))
            return bh_yaml_is_null(map->pairs[i].value, S11) ? NULL : &map->pairs[i];
    }
    return NULL;
}

static const char *type_word(enum bh_ytype t)
{
    return t == BH_Y_MAP ? "mapping" : t == BH_Y_SEQ ? "sequence" : "scalar";
}

static int bad_type(struct kr *r, const struct bh_ynode *n, const char *path, enum bh_ytype want)
{
    return bh_err_set(r->err, BH_EPARSE, r->file, n->line, n->col, "'%s' must be a %s, not a %s",
                      path ? path : "?", type_word(want), bh_yaml_type_name(n));
}

/* *out = the value of `key` when present, non-null and of type t; NULL when absent. */
static int get_typed(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                     enum bh_ytype t, const struct bh_ynode **out)
{
    const struct bh_ypair *p = field(map, key);

    *out = NULL;
    if (!p)
        return 0;
    if (p->value->type != t)
        return bad_type(r, p->value, pjoin(r, base, key), t);
    *out = p->value;
    return 0;
}

static int get_map(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                   const struct bh_ynode **out)
{
    return get_typed(r, map, key, base, BH_Y_MAP, out);
}

static int get_seq(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                   const struct bh_ynode **out)
{
    return get_typed(r, map, key, base, BH_Y_SEQ, out);
}

static int get_bool(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                    struct bh_rs_bool *out)
{
    const struct bh_ypair *p = field(map, key);
    const char *path;
    bool b;

    if (!p)
        return 0;
    path = pjoin(r, base, key);
    if (p->value->type != BH_Y_SCALAR || bh_yaml_bool(p->value, S11, &b) != 0)
        return bh_err_set(r->err, BH_EPARSE, r->file, p->value->line, p->value->col,
                          "'%s' must be a boolean, not '%.40s'", path ? path : key,
                          p->value->type == BH_Y_SCALAR ? p->value->scalar
                                                        : bh_yaml_type_name(p->value));
    out->v = b ? BH_TRUE : BH_FALSE;
    out->loc = at_key(r, p, path);
    return 0;
}

/* A scalar as text (numbers stay as written: `cpu: 0.5`). */
static int get_str(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                   struct bh_rs_str *out)
{
    const struct bh_ypair *p = field(map, key);
    const char *path;

    if (!p)
        return 0;
    path = pjoin(r, base, key);
    if (p->value->type != BH_Y_SCALAR)
        return bad_type(r, p->value, path ? path : key, BH_Y_SCALAR);
    out->v = p->value->scalar;
    out->loc = at_key(r, p, path);
    return 0;
}

/* An integer node in [min, max]; base60 (may be NULL) tells whether it was written `22:22`. */
static int node_int(struct kr *r, const struct bh_ynode *n, const char *path, long long min,
                    long long max, long long *v, bool *base60)
{
    int rc = n->type == BH_Y_SCALAR ? bh_yaml_int(n, S11, v, base60) : BH_EPARSE;

    if (rc == 0 && (*v < min || *v > max))
        rc = BH_ELIMIT;
    if (rc != 0)
        return bh_err_set(r->err, BH_EPARSE, r->file, n->line, n->col,
                          rc == BH_ELIMIT ? "'%s' out of range: '%.40s'"
                                          : "'%s' must be an integer, not '%.40s'",
                          path, n->type == BH_Y_SCALAR ? n->scalar : bh_yaml_type_name(n));
    return 0;
}

/* An integer field; *pp is NULL when absent. */
static int get_int(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                   long long min, long long max, long long *v, bool *base60,
                   const struct bh_ypair **pp)
{
    const struct bh_ypair *p = field(map, key);

    *pp = NULL;
    if (!p)
        return 0;
    if (node_int(r, p->value, pjoin(r, base, key), min, max, v, base60) != 0)
        return r->err->code;
    *pp = p;
    return 0;
}

/* An integer field stored as decimal text (runAsUser, fsGroup). */
static int get_id(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                  struct bh_rs_str *out)
{
    const struct bh_ypair *p;
    long long v;
    int rc = get_int(r, map, key, base, LLONG_MIN, LLONG_MAX, &v, NULL, &p);

    if (rc != 0 || !p)
        return rc;
    out->v = bh_arena_printf(r->a, "%lld", v);
    out->loc = at_key(r, p, pjoin(r, base, key));
    return 0;
}

static int nomem(struct kr *r)
{
    return bh_err_set(r->err, BH_ENOMEM, r->file, 0, 0, "out of memory");
}

static int push_str(struct kr *r, struct bh_rs_list *l, const char *v, struct bh_loc loc)
{
    struct bh_rs_str *s = BH_PUSH(r->a, l->v, l->n, l->cap);

    if (!s)
        return nomem(r);
    s->v = v;
    s->loc = loc;
    return 0;
}

/* A sequence of scalars appended to l as written (capabilities, externalIPs). */
static int get_strlist(struct kr *r, const struct bh_ynode *map, const char *key, const char *base,
                       struct bh_rs_list *l)
{
    const struct bh_ynode *seq;
    const char *path = pjoin(r, base, key);
    size_t i;
    int rc = get_seq(r, map, key, base, &seq);

    for (i = 0; rc == 0 && seq && i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char *ip = pidx(r, path, i);

        if (it->type != BH_Y_SCALAR)
            return bad_type(r, it, ip ? ip : key, BH_Y_SCALAR);
        rc = push_str(r, l, it->scalar, at(r, it, ip));
    }
    return rc;
}

/* ---- security contexts ---- */

/* seccompProfile / appArmorProfile: the `type:` key when present. */
static int get_profile(struct kr *r, const struct bh_ynode *sc, const char *key, const char *base,
                       struct bh_rs_str *out)
{
    const struct bh_ynode *prof;
    int rc = get_map(r, sc, key, base, &prof);

    if (rc == 0 && prof)
        rc = get_str(r, prof, "type", pjoin(r, base, key), out);
    return rc;
}

/*
 * The fields a pod-level and a container-level securityContext share. Called
 * for the pod first, then for the container, so the container wins field by
 * field; seLinuxOptions is replaced as a whole, as the kubelet does.
 */
static int read_sc_common(struct kr *r, const struct bh_ynode *sc, const char *base,
                          struct bh_runspec *rs)
{
    const struct bh_ynode *se, *win;
    const char *sepath = pjoin(r, base, "seLinuxOptions");
    int rc;

    if ((rc = get_id(r, sc, "runAsUser", base, &rs->run_as_user)) != 0 ||
        (rc = get_id(r, sc, "runAsGroup", base, &rs->run_as_group)) != 0 ||
        (rc = get_bool(r, sc, "runAsNonRoot", base, &rs->run_as_non_root)) != 0 ||
        (rc = get_profile(r, sc, "seccompProfile", base, &rs->seccomp)) != 0 ||
        (rc = get_profile(r, sc, "appArmorProfile", base, &rs->apparmor)) != 0 ||
        (rc = get_map(r, sc, "seLinuxOptions", base, &se)) != 0 ||
        (rc = get_map(r, sc, "windowsOptions", base, &win)) != 0)
        return rc;
    if (se) {
        memset(&rs->selinux_type, 0, sizeof(rs->selinux_type));
        memset(&rs->selinux_user, 0, sizeof(rs->selinux_user));
        memset(&rs->selinux_role, 0, sizeof(rs->selinux_role));
        memset(&rs->selinux_level, 0, sizeof(rs->selinux_level));
        if ((rc = get_str(r, se, "type", sepath, &rs->selinux_type)) != 0 ||
            (rc = get_str(r, se, "user", sepath, &rs->selinux_user)) != 0 ||
            (rc = get_str(r, se, "role", sepath, &rs->selinux_role)) != 0 ||
            (rc = get_str(r, se, "level", sepath, &rs->selinux_level)) != 0)
            return rc;
    }
    if (win)
        rc = get_bool(r, win, "hostProcess", pjoin(r, base, "windowsOptions"), &rs->host_process);
    return rc;
}

static int read_pod_sc(struct kr *r, const struct bh_ynode *sc, const char *base,
                       struct bh_runspec *rs)
{
    const struct bh_ynode *groups, *sysctls;
    const struct bh_ypair *p;
    const char *gpath = pjoin(r, base, "supplementalGroups");
    const char *spath = pjoin(r, base, "sysctls");
    long long v;
    size_t i;
    int rc;

    if ((rc = read_sc_common(r, sc, base, rs)) != 0 ||
        (rc = get_seq(r, sc, "supplementalGroups", base, &groups)) != 0 ||
        (rc = get_seq(r, sc, "sysctls", base, &sysctls)) != 0)
        return rc;
    for (i = 0; groups && i < groups->n; i++) {
        const char *ip = pidx(r, gpath, i);

        if ((rc = node_int(r, groups->items[i], ip ? ip : "supplementalGroups", LLONG_MIN,
                           LLONG_MAX, &v, NULL)) != 0 ||
            (rc = push_str(r, &rs->group_add, bh_arena_printf(r->a, "%lld", v),
                           at(r, groups->items[i], ip))) != 0)
            return rc;
    }
    if ((rc = get_int(r, sc, "fsGroup", base, LLONG_MIN, LLONG_MAX, &v, NULL, &p)) != 0)
        return rc;
    if (p && (rc = push_str(r, &rs->group_add, bh_arena_printf(r->a, "%lld", v),
                            at_key(r, p, pjoin(r, base, "fsGroup")))) != 0)
        return rc;
    for (i = 0; sysctls && i < sysctls->n; i++) {
        const struct bh_ynode *it = sysctls->items[i];
        const char *ip = pidx(r, spath, i);
        struct bh_rs_str name = {0}, value = {0};

        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "sysctls", BH_Y_MAP);
        if ((rc = get_str(r, it, "name", ip, &name)) != 0 ||
            (rc = get_str(r, it, "value", ip, &value)) != 0)
            return rc;
        if (name.v && (rc = push_str(r, &rs->sysctls,
                                     bh_arena_printf(r->a, "%s=%s", name.v, value.v ? value.v : ""),
                                     at(r, it, ip))) != 0)
            return rc;
    }
    return 0;
}

static int read_container_sc(struct kr *r, const struct bh_ynode *sc, const char *base,
                             struct bh_runspec *rs)
{
    const struct bh_ynode *caps;
    const char *cpath = pjoin(r, base, "capabilities");
    int rc;

    if ((rc = read_sc_common(r, sc, base, rs)) != 0 ||
        (rc = get_bool(r, sc, "privileged", base, &rs->privileged)) != 0 ||
        (rc = get_bool(r, sc, "allowPrivilegeEscalation", base, &rs->allow_privilege_escalation)) !=
            0 ||
        (rc = get_bool(r, sc, "readOnlyRootFilesystem", base, &rs->read_only_rootfs)) != 0 ||
        (rc = get_str(r, sc, "procMount", base, &rs->proc_mount)) != 0 ||
        (rc = get_map(r, sc, "capabilities", base, &caps)) != 0)
        return rc;
    if (caps && ((rc = get_strlist(r, caps, "add", cpath, &rs->cap_add)) != 0 ||
                 (rc = get_strlist(r, caps, "drop", cpath, &rs->cap_drop)) != 0))
        return rc;
    return 0;
}

/* ---- annotations ---- */

/* A legacy seccomp/AppArmor annotation value in the words of the securityContext fields. */
static const char *profile_word(const char *v)
{
    if (!strcmp(v, "runtime/default") || !strcmp(v, "docker/default"))
        return "RuntimeDefault";
    if (bh_str_prefix(v, "localhost/"))
        return "Localhost";
    if (!strcmp(v, "unconfined"))
        return "Unconfined";
    return v; /* unknown values stay as written for the rules to judge */
}

/* Fill out from annotation `key` when out is still unset (fields win over annotations). */
static int from_annotation(struct kr *r, const struct kpod *p, const char *key,
                           struct bh_rs_str *out)
{
    struct bh_rs_str v = {0};
    int rc;

    if (!key)
        return nomem(r);
    if (out->v || !p->annots)
        return 0;
    if ((rc = get_str(r, p->annots, key, p->apath, &v)) != 0 || !v.v)
        return rc;
    out->v = profile_word(v.v);
    out->loc = v.loc;
    return 0;
}

/* `bulkhead.dev/ignore` on one metadata map, joined onto *ids. */
static int read_ignore(struct kr *r, const struct bh_ynode *meta, const char *mpath,
                       const char **ids, struct bh_loc *loc)
{
    const struct bh_ynode *ann;
    struct bh_rs_str v = {0};
    int rc = get_map(r, meta, "annotations", mpath, &ann);

    if (rc != 0 || !ann)
        return rc;
    if ((rc = get_str(r, ann, "bulkhead.dev/ignore", pjoin(r, mpath, "annotations"), &v)) != 0 ||
        !v.v)
        return rc;
    if (*ids) {
        *ids = bh_arena_printf(r->a, "%s,%s", *ids, v.v);
    } else {
        *ids = v.v;
        *loc = v.loc;
    }
    return 0;
}

/* ---- volumes ---- */

static int vol_cmp(const void *x, const void *y)
{
    const struct kvol *a = x, *b = y;

    if (!a->name || !b->name)
        return !a->name - !b->name;
    return strcmp(a->name, b->name);
}

static int read_volumes(struct kr *r, struct kpod *p)
{
    const struct bh_ynode *seq;
    const char *vpath = pjoin(r, p->spath, "volumes");
    size_t i, j;
    int rc = get_seq(r, p->spec, "volumes", p->spath, &seq);

    if (rc != 0 || !seq)
        return rc;
    p->vols = bh_arena_calloc(r->a, seq->n, sizeof(*p->vols));
    if (!p->vols && seq->n)
        return nomem(r);
    for (i = 0; i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        struct kvol *v = &p->vols[p->nvols];
        struct bh_rs_str name = {0};

        v->item_path = pidx(r, vpath, i);
        if (it->type != BH_Y_MAP)
            return bad_type(r, it, v->item_path ? v->item_path : "volumes", BH_Y_MAP);
        if ((rc = get_str(r, it, "name", v->item_path, &name)) != 0)
            return rc;
        v->name = name.v;
        v->item = it;
        for (j = 0; j < it->n && !v->type; j++) {
            const struct bh_ynode *k = it->pairs[j].key;

            if (k->type == BH_Y_SCALAR && !bh_yaml_scalar_eq(k, "name"))
                v->type = k->scalar;
        }
        if (v->type && !strcmp(v->type, "hostPath")) {
            const struct bh_ynode *hp;
            const char *hpath = pjoin(r, v->item_path, "hostPath");
            struct bh_rs_str path = {0}, type = {0};

            if ((rc = get_map(r, it, "hostPath", v->item_path, &hp)) != 0 ||
                (rc = get_str(r, hp, "path", hpath, &path)) != 0 ||
                (rc = get_str(r, hp, "type", hpath, &type)) != 0)
                return rc;
            v->hp_path = path.v;
            v->hp_type = type.v;
            if (path.v)
                v->hp_loc = path.loc;
            else if (field(it, "hostPath"))
                v->hp_loc = at_key(r, field(it, "hostPath"), hpath);
            else
                v->hp_loc = at(r, it, v->item_path);
        }
        p->nvols++;
    }
    qsort(p->vols, p->nvols, sizeof(*p->vols), vol_cmp);
    return 0;
}

static struct kvol *find_volume(struct kpod *p, const char *name)
{
    struct kvol key;

    memset(&key, 0, sizeof(key));
    key.name = name;
    return name && p->nvols ? bsearch(&key, p->vols, p->nvols, sizeof(*p->vols), vol_cmp) : NULL;
}

/* The volume's side of a mount: kind, source and (for hostPath) the location to fix. */
static void volume_to_mount(struct kr *r, const struct kvol *v, struct bh_mount *m)
{
    const char *const *t;

    m->source_raw = v->name;
    if (!v->type) {
        m->kind = BH_MOUNT_OTHER;
        return;
    }
    if (!strcmp(v->type, "hostPath")) {
        m->kind = BH_MOUNT_HOSTPATH;
        m->source_raw = v->hp_path;
        m->source = v->hp_path ? bh_norm_path(r->a, v->hp_path) : NULL;
        if (!m->source)
            m->source = v->hp_path; /* relative: the kubelet refuses it, keep it visible */
        m->hostpath_type = v->hp_type;
        m->loc = v->hp_loc;
        return;
    }
    m->kind = BH_MOUNT_OTHER;
    for (t = restricted_volume_types; *t; t++) {
        if (!strcmp(*t, v->type))
            m->kind = BH_MOUNT_VOLUME;
    }
    m->source = v->type;
}

static int read_mounts(struct kr *r, struct kpod *p, const struct bh_ynode *c, const char *cpath,
                       struct bh_runspec *rs)
{
    const struct bh_ynode *seq;
    const char *mpath = pjoin(r, cpath, "volumeMounts");
    size_t i;
    int rc = get_seq(r, c, "volumeMounts", cpath, &seq);

    for (i = 0; rc == 0 && seq && i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char *ip = pidx(r, mpath, i);
        struct bh_rs_str name = {0}, target = {0}, prop = {0};
        struct bh_rs_bool ro = {BH_UNSET, {0}};
        struct bh_mount *m;
        struct kvol *v;

        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "volumeMounts", BH_Y_MAP);
        if ((rc = get_str(r, it, "name", ip, &name)) != 0 ||
            (rc = get_str(r, it, "mountPath", ip, &target)) != 0 ||
            (rc = get_str(r, it, "mountPropagation", ip, &prop)) != 0 ||
            (rc = get_bool(r, it, "readOnly", ip, &ro)) != 0)
            return rc;
        if (!(m = BH_PUSH(r->a, rs->mounts, rs->nmounts, rs->mounts_cap)))
            return nomem(r);
        m->loc = at(r, it, ip);
        m->kind = BH_MOUNT_OTHER; /* a mount of a volume the pod does not declare */
        m->source_raw = name.v;
        if ((v = find_volume(p, name.v)) != NULL) {
            v->mounted = true;
            volume_to_mount(r, v, m);
        }
        m->target = target.v;
        m->read_only = ro.v == BH_TRUE;
        m->propagation = prop.v;
    }
    return rc;
}

/* ---- containers ---- */

static int read_ports(struct kr *r, const struct bh_ynode *c, const char *cpath,
                      struct bh_runspec *rs)
{
    const struct bh_ynode *seq;
    const char *ppath = pjoin(r, cpath, "ports");
    size_t i;
    int rc = get_seq(r, c, "ports", cpath, &seq);

    for (i = 0; rc == 0 && seq && i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char *ip = pidx(r, ppath, i);
        const struct bh_ypair *cp, *hp;
        struct bh_rs_str hostip = {0}, proto = {0};
        long long cont = 0, host = 0;
        bool b60c = false, b60h = false;
        struct bh_port *o;

        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "ports", BH_Y_MAP);
        if ((rc = get_int(r, it, "containerPort", ip, 0, 65535, &cont, &b60c, &cp)) != 0 ||
            (rc = get_int(r, it, "hostPort", ip, 0, 65535, &host, &b60h, &hp)) != 0 ||
            (rc = get_str(r, it, "hostIP", ip, &hostip)) != 0 ||
            (rc = get_str(r, it, "protocol", ip, &proto)) != 0)
            return rc;
        if (!(o = BH_PUSH(r->a, rs->ports, rs->nports, rs->ports_cap)))
            return nomem(r);
        o->cont_lo = o->cont_hi = (unsigned)cont;
        o->host_lo = o->host_hi = (unsigned)host;
        o->published = host != 0;
        o->host_ip = o->published && hostip.v && *hostip.v ? hostip.v : NULL;
        o->proto = !proto.v || bh_str_ieq(proto.v, "TCP") ? "tcp"
                   : bh_str_ieq(proto.v, "UDP")           ? "udp"
                   : bh_str_ieq(proto.v, "SCTP")          ? "sctp"
                                                          : proto.v;
        o->yaml_base60 = b60c || b60h;
        if (o->published)
            o->raw = o->host_ip ? bh_arena_printf(r->a, "%s:%lld:%lld/%s", o->host_ip, host, cont,
                                                  o->proto)
                                : bh_arena_printf(r->a, "%lld:%lld/%s", host, cont, o->proto);
        else
            o->raw = bh_arena_printf(r->a, "%lld/%s", cont, o->proto);
        o->loc = at(r, it, ip);
    }
    return rc;
}

static int read_env(struct kr *r, const struct bh_ynode *c, const char *cpath,
                    struct bh_runspec *rs)
{
    const struct bh_ynode *seq;
    const char *epath = pjoin(r, cpath, "env");
    size_t i;
    int rc = get_seq(r, c, "env", cpath, &seq);

    for (i = 0; rc == 0 && seq && i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char *ip = pidx(r, epath, i);
        struct bh_rs_str name = {0}, value = {0};

        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "env", BH_Y_MAP);
        if ((rc = get_str(r, it, "name", ip, &name)) != 0 ||
            (rc = get_str(r, it, "value", ip, &value)) != 0)
            return rc;
        if (!name.v || (!value.v && field(it, "valueFrom")))
            continue; /* values from Secrets/ConfigMaps are references, not literals */
        rc = push_str(r, &rs->env, bh_arena_printf(r->a, "%s=%s", name.v, value.v ? value.v : ""),
                      at(r, it, ip));
    }
    return rc;
}

/* httpGet/tcpSocket `host:` of one probe or lifecycle handler. */
static int read_handler_hosts(struct kr *r, const struct bh_ynode *h, const char *hpath,
                              struct bh_runspec *rs)
{
    static const char *const kinds[] = {"httpGet", "tcpSocket"};
    size_t i;
    int rc;

    for (i = 0; i < 2; i++) {
        const struct bh_ynode *act;
        struct bh_rs_str host = {0};
        struct bh_probe_host *ph;

        if ((rc = get_map(r, h, kinds[i], hpath, &act)) != 0 ||
            (rc = get_str(r, act, "host", pjoin(r, hpath, kinds[i]), &host)) != 0)
            return rc;
        if (!host.v || !*host.v)
            continue;
        if (!(ph = BH_PUSH(r->a, rs->probe_hosts, rs->nprobe_hosts, rs->probe_hosts_cap)))
            return nomem(r);
        ph->host = host.v;
        ph->loc = host.loc;
    }
    return 0;
}

static int read_probes(struct kr *r, const struct bh_ynode *c, const char *cpath,
                       struct bh_runspec *rs)
{
    static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
    static const char *const hooks[] = {"postStart", "preStop"};
    const struct bh_ynode *h, *lc;
    const char *lpath = pjoin(r, cpath, "lifecycle");
    size_t i;
    int rc;

    for (i = 0; i < 3; i++) {
        if ((rc = get_map(r, c, probes[i], cpath, &h)) != 0 ||
            (h && (rc = read_handler_hosts(r, h, pjoin(r, cpath, probes[i]), rs)) != 0))
            return rc;
    }
    if ((rc = get_map(r, c, "lifecycle", cpath, &lc)) != 0 || !lc)
        return rc;
    for (i = 0; i < 2; i++) {
        if ((rc = get_map(r, lc, hooks[i], lpath, &h)) != 0 ||
            (h && (rc = read_handler_hosts(r, h, pjoin(r, lpath, hooks[i]), rs)) != 0))
            return rc;
    }
    return 0;
}

/* A copy of the pod-level runspec whose arrays are copied on the first append. */
static void inherit(struct bh_runspec *rs, const struct bh_runspec *base)
{
    *rs = *base;
    rs->group_add.cap = rs->group_add.n;
    rs->sysctls.cap = rs->sysctls.n;
}

static int read_container(struct kr *r, struct kpod *p, const struct bh_ynode *c, const char *cpath,
                          const char *role, size_t idx)
{
    struct bh_runspec *rs;
    const struct bh_ynode *sc, *res, *lim;
    const struct bh_ypair *np = field(c, "name");
    struct bh_rs_str name = {0};
    const char *label, *respath = pjoin(r, cpath, "resources");
    int rc;

    if ((rc = get_str(r, c, "name", cpath, &name)) != 0)
        return rc;
    if (!(rs = BH_PUSH(r->a, r->out->specs, r->out->nspecs, r->out->specs_cap)))
        return nomem(r);
    inherit(rs, &p->base);
    rs->container_role = role;
    rs->owner = p->owner;
    label = name.v ? name.v : bh_arena_printf(r->a, "#%zu", idx);
    rs->name = bh_arena_printf(r->a, "%s %s %s", p->owner, role, label);
    rs->loc = np ? at_key(r, np, pjoin(r, cpath, "name")) : at(r, c, cpath);
    rs->ignore_ids = p->ignore_ids;
    rs->ignore_loc = p->ignore_loc;

    if ((rc = get_str(r, c, "image", cpath, &rs->image)) != 0 ||
        (rc = get_str(r, c, "imagePullPolicy", cpath, &rs->pull_policy)) != 0 ||
        (rc = get_map(r, c, "securityContext", cpath, &sc)) != 0 ||
        (sc && (rc = read_container_sc(r, sc, pjoin(r, cpath, "securityContext"), rs)) != 0))
        return rc;
    /* legacy annotations count only where no field (container or pod) said anything */
    if (name.v &&
        ((rc = from_annotation(
              r, p,
              bh_arena_printf(r->a, "container.seccomp.security.alpha.kubernetes.io/%s", name.v),
              &rs->seccomp)) != 0 ||
         (rc = from_annotation(
              r, p,
              bh_arena_printf(r->a, "container.apparmor.security.beta.kubernetes.io/%s", name.v),
              &rs->apparmor)) != 0))
        return rc;
    if ((rc = from_annotation(r, p, "seccomp.security.alpha.kubernetes.io/pod", &rs->seccomp)) != 0)
        return rc;
    if ((rc = get_map(r, c, "resources", cpath, &res)) != 0 ||
        (rc = get_map(r, res, "limits", respath, &lim)) != 0 ||
        (rc = get_str(r, lim, "memory", pjoin(r, respath, "limits"), &rs->mem_limit)) != 0 ||
        (rc = get_str(r, lim, "cpu", pjoin(r, respath, "limits"), &rs->cpu_limit)) != 0)
        return rc;
    if ((rc = read_ports(r, c, cpath, rs)) != 0 || (rc = read_env(r, c, cpath, rs)) != 0 ||
        (rc = read_mounts(r, p, c, cpath, rs)) != 0 || (rc = read_probes(r, c, cpath, rs)) != 0)
        return rc;
    return r->a->failed ? nomem(r) : 0;
}

/*
 * Pod volumes that no container mounts still put the host (or a non-core
 * volume type) into the pod spec, which Pod Security rejects; they go to the
 * pod's first container with no target so hostPath rules still see them once.
 */
static int record_unmounted(struct kr *r, struct kpod *p, size_t first)
{
    size_t i;

    for (i = 0; i < p->nvols && first < r->out->nspecs; i++) {
        struct bh_runspec *rs = &r->out->specs[first];
        struct bh_mount *m;

        if (p->vols[i].mounted)
            continue;
        if (!(m = BH_PUSH(r->a, rs->mounts, rs->nmounts, rs->mounts_cap)))
            return nomem(r);
        m->loc = at(r, p->vols[i].item, p->vols[i].item_path);
        volume_to_mount(r, &p->vols[i], m);
    }
    return 0;
}

static const char *const roles[][2] = {
    {"containers", "container"},
    {"initContainers", "initContainer"},
    {"ephemeralContainers", "ephemeralContainer"},
};

/*
 * One pod template T (a Pod object itself, or a controller's template) at
 * tpath: T.metadata.annotations and T.spec. objmeta is the object's own
 * metadata, for `bulkhead.dev/ignore` on a controller.
 */
static int read_pod(struct kr *r, const char *owner, const struct bh_ynode *t, const char *tpath,
                    const struct bh_ynode *objmeta, const char *objmpath)
{
    struct kpod p;
    const struct bh_ynode *meta = NULL, *P = t;
    const char *mpath = pjoin(r, tpath, "metadata");
    size_t first = r->out->nspecs, k, i;
    int rc;

    memset(&p, 0, sizeof(p));
    p.owner = owner;
    p.spath = pjoin(r, tpath, "spec");
    p.apath = pjoin(r, mpath, "annotations");
    if ((rc = get_map(r, t, "spec", tpath, &P)) != 0 || !P)
        return rc;
    p.spec = P;
    if ((rc = get_map(r, t, "metadata", tpath, &meta)) != 0 ||
        (rc = get_map(r, meta, "annotations", mpath, &p.annots)) != 0 ||
        (rc = read_ignore(r, objmeta, objmpath, &p.ignore_ids, &p.ignore_loc)) != 0 ||
        (meta != objmeta && (rc = read_ignore(r, meta, mpath, &p.ignore_ids, &p.ignore_loc)) != 0))
        return rc;

    memset(&p.base, 0, sizeof(p.base));
    p.base.source_kind = "kubernetes";
    p.base.privileged.v = p.base.run_as_non_root.v = p.base.host_pid.v = p.base.host_ipc.v =
        p.base.host_network.v = p.base.host_users.v = p.base.share_process_namespace.v =
            p.base.allow_privilege_escalation.v = p.base.read_only_rootfs.v =
                p.base.automount_sa_token.v = p.base.host_process.v = BH_UNSET;
    {
        const struct bh_ynode *sc;

        if ((rc = get_bool(r, P, "hostPID", p.spath, &p.base.host_pid)) != 0 ||
            (rc = get_bool(r, P, "hostIPC", p.spath, &p.base.host_ipc)) != 0 ||
            (rc = get_bool(r, P, "hostNetwork", p.spath, &p.base.host_network)) != 0 ||
            (rc = get_bool(r, P, "hostUsers", p.spath, &p.base.host_users)) != 0 ||
            (rc = get_bool(r, P, "shareProcessNamespace", p.spath,
                           &p.base.share_process_namespace)) != 0 ||
            (rc = get_bool(r, P, "automountServiceAccountToken", p.spath,
                           &p.base.automount_sa_token)) != 0 ||
            (rc = get_map(r, P, "securityContext", p.spath, &sc)) != 0 ||
            (sc && (rc = read_pod_sc(r, sc, pjoin(r, p.spath, "securityContext"), &p.base)) != 0))
            return rc;
    }
    if ((rc = read_volumes(r, &p)) != 0)
        return rc;
    for (k = 0; k < sizeof(roles) / sizeof(*roles); k++) {
        const struct bh_ynode *seq;
        const char *lpath = pjoin(r, p.spath, roles[k][0]);

        if ((rc = get_seq(r, P, roles[k][0], p.spath, &seq)) != 0)
            return rc;
        for (i = 0; seq && i < seq->n; i++) {
            const char *cpath = pidx(r, lpath, i);

            if (seq->items[i]->type != BH_Y_MAP)
                return bad_type(r, seq->items[i], cpath ? cpath : roles[k][0], BH_Y_MAP);
            if ((rc = read_container(r, &p, seq->items[i], cpath, roles[k][1], i)) != 0)
                return rc;
        }
    }
    return record_unmounted(r, &p, first);
}

/* ---- services ---- */

static int read_service(struct kr *r, const struct bh_ynode *obj, const char *prefix,
                        const char *name, const struct bh_ynode *meta, const char *mpath)
{
    struct bh_service *s;
    const struct bh_ynode *spec, *seq;
    const struct bh_ypair *np = field(meta, "name");
    const char *spath = pjoin(r, prefix, "spec"), *ppath = pjoin(r, spath, "ports");
    struct bh_loc ignore_loc;
    bool exposed;
    size_t i;
    int rc;

    if (!(s = BH_PUSH(r->a, r->out->services, r->out->nservices, r->out->services_cap)))
        return nomem(r);
    s->name = bh_arena_printf(r->a, "Service/%s", name);
    s->loc = np ? at_key(r, np, pjoin(r, mpath, "name")) : at(r, obj, prefix);
    if ((rc = read_ignore(r, meta, mpath, &s->ignore_ids, &ignore_loc)) != 0 ||
        (rc = get_map(r, obj, "spec", prefix, &spec)) != 0 ||
        (rc = get_str(r, spec, "type", spath, &s->type)) != 0 ||
        (rc = get_strlist(r, spec, "externalIPs", spath, &s->external_ips)) != 0 ||
        (rc = get_seq(r, spec, "ports", spath, &seq)) != 0)
        return rc;
    if (!s->type.v) {
        s->type.v = "ClusterIP"; /* the API default; located at the Service itself */
        s->type.loc = s->loc;
        s->type.loc.path = pjoin(r, spath, "type");
    }
    exposed = !strcmp(s->type.v, "NodePort") || !strcmp(s->type.v, "LoadBalancer");
    for (i = 0; seq && i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char *ip = pidx(r, ppath, i);
        const struct bh_ypair *pp, *npp;
        struct bh_rs_str proto = {0};
        long long port = 0, node = 0;
        bool b60p = false, b60n = false;
        struct bh_port *o;

        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "ports", BH_Y_MAP);
        if ((rc = get_int(r, it, "port", ip, 0, 65535, &port, &b60p, &pp)) != 0 ||
            (rc = get_int(r, it, "nodePort", ip, 0, 65535, &node, &b60n, &npp)) != 0 ||
            (rc = get_str(r, it, "protocol", ip, &proto)) != 0)
            return rc;
        if (!(o = BH_PUSH(r->a, s->ports, s->nports, s->ports_cap)))
            return nomem(r);
        o->cont_lo = o->cont_hi = (unsigned)port;
        o->host_lo = o->host_hi = (unsigned)node;
        o->proto = !proto.v || bh_str_ieq(proto.v, "TCP") ? "tcp"
                   : bh_str_ieq(proto.v, "UDP")           ? "udp"
                   : bh_str_ieq(proto.v, "SCTP")          ? "sctp"
                                                          : proto.v;
        o->published = exposed; /* NodePort/LoadBalancer listen on every node */
        o->yaml_base60 = b60p || b60n;
        o->raw = node ? bh_arena_printf(r->a, "%lld:%lld/%s", node, port, o->proto)
                      : bh_arena_printf(r->a, "%lld/%s", port, o->proto);
        o->loc = at(r, it, ip);
    }
    return r->a->failed ? nomem(r) : 0;
}

/* ---- objects ---- */

struct kworkload {
    const char *kind;
    const char *tmpl; /* path to the pod template; "" = the object itself (Pod) */
};

static const struct kworkload workloads[] = {
    {"Pod", ""},
    {"Deployment", "spec.template"},
    {"ReplicaSet", "spec.template"},
    {"StatefulSet", "spec.template"},
    {"DaemonSet", "spec.template"},
    {"Job", "spec.template"},
    {"ReplicationController", "spec.template"},
    {"PodTemplate", "template"},
    {"CronJob", "spec.jobTemplate.spec.template"},
    {"DeploymentConfig", "spec.template"}, /* OpenShift 3 wrote it as `apiVersion: v1` */
};

/* Pod-template shapes a misspelt workload kind would carry. */
static const char *const template_shapes[] = {
    "spec.template.spec",
    "spec.containers",
    "spec.jobTemplate.spec.template.spec",
    "template.spec",
};

/* apiVersion in a group whose kinds we know: core (`v1`), apps, batch, extensions. */
static bool builtin_group(const char *api)
{
    const char *slash = strchr(api, '/');
    size_t n = slash ? (size_t)(slash - api) : 0;

    return !slash || (n == 4 && !memcmp(api, "apps", 4)) || (n == 5 && !memcmp(api, "batch", 5)) ||
           (n == 10 && !memcmp(api, "extensions", 10));
}

static bool valid_kind(const char *k)
{
    const char *c;

    if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z')))
        return false;
    for (c = k; *c; c++) {
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            return false;
    }
    return true;
}

/*
 * Walk `path` (dotted keys) from n; NULL at the first absent/null step.
 * A step of the wrong type is an error: the object is known to hold a pod there.
 */
static int walk_maps(struct kr *r, const struct bh_ynode *n, const char *prefix, const char *path,
                     const struct bh_ynode **out, const char **outpath)
{
    const char *p = path, *cur = prefix;
    int rc;

    *out = n;
    *outpath = prefix;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        char *key = bh_arena_strndup(r->a, p, len);
        const struct bh_ynode *next;

        if (!key)
            return nomem(r);
        if ((rc = get_map(r, *out, key, cur, &next)) != 0)
            return rc;
        cur = pjoin(r, cur, key);
        *out = next;
        if (!next)
            return 0;
        p += len + (dot ? 1 : 0);
    }
    *outpath = cur;
    return 0;
}

static int read_object(struct kr *r, const struct bh_ynode *obj, const char *prefix,
                       const char *dflt_api, const char *dflt_kind, unsigned nest);

static int read_list(struct kr *r, const struct bh_ynode *items, const char *prefix,
                     const char *api, const char *kind, unsigned nest)
{
    const char *ipath = pjoin(r, prefix, "items");
    size_t klen = strlen(kind), i;
    const char *item_kind = NULL;
    int rc;

    if (nest >= BH_MAX_KUBE_LIST_NESTING)
        return bh_err_set(r->err, BH_ELIMIT, r->file, items->line, items->col,
                          "'kind: List' nested deeper than BH_MAX_KUBE_LIST_NESTING (%u)",
                          BH_MAX_KUBE_LIST_NESTING);
    if (strcmp(kind, "List") != 0 && !(item_kind = bh_arena_strndup(r->a, kind, klen - 4)))
        return nomem(r);
    for (i = 0; i < items->n; i++) {
        const struct bh_ynode *it = items->items[i];
        const char *ip = pidx(r, ipath, i);

        if (bh_yaml_is_null(it, S11))
            continue;
        if (it->type != BH_Y_MAP)
            return bad_type(r, it, ip ? ip : "items", BH_Y_MAP);
        if ((rc = read_object(r, it, ip, api, item_kind, nest + 1)) != 0)
            return rc;
    }
    return 0;
}

/*
 * One object at prefix ("" for a document root, "items[3]" in a List).
 * Items of a typed list (PodList) may leave apiVersion/kind out: they
 * inherit dflt_api and dflt_kind.
 */
static int read_object(struct kr *r, const struct bh_ynode *obj, const char *prefix,
                       const char *dflt_api, const char *dflt_kind, unsigned nest)
{
    const struct bh_ypair *ap = field(obj, "apiVersion"), *kp = field(obj, "kind");
    const char *api = dflt_api, *kind = dflt_kind, *name, *mpath = pjoin(r, prefix, "metadata");
    const struct bh_ynode *meta, *items;
    const struct bh_ypair *np;
    size_t i;
    int rc;

    if (ap && (ap->value->type != BH_Y_SCALAR || !ap->value->scalar_len))
        return bh_err_set(r->err, BH_EPARSE, r->file, ap->value->line, ap->value->col,
                          "'apiVersion' must be a non-empty string");
    if (kp && (kp->value->type != BH_Y_SCALAR || !valid_kind(kp->value->scalar)))
        return bh_err_set(
            r->err, BH_EPARSE, r->file, kp->value->line, kp->value->col, "invalid kind '%.60s'",
            kp->value->type == BH_Y_SCALAR ? kp->value->scalar : bh_yaml_type_name(kp->value));
    api = ap ? ap->value->scalar : api;
    kind = kp ? kp->value->scalar : kind;
    if (!api || !kind)
        return bh_err_set(r->err, BH_EPARSE, r->file, obj->line, obj->col,
                          "not a Kubernetes object: missing '%s'", api ? "kind" : "apiVersion");
    if ((rc = get_map(r, obj, "metadata", prefix, &meta)) != 0)
        return rc;
    np = field(meta, "name");
    if (!np)
        np = field(meta, "generateName");
    if (np && np->value->type != BH_Y_SCALAR)
        return bad_type(r, np->value, pjoin(r, mpath, "name"), BH_Y_SCALAR);
    name = np ? np->value->scalar : "(unnamed)";

    if (!strcmp(kind, "List") || (bh_str_suffix(kind, "List") && strlen(kind) > 4 &&
                                  bh_yaml_is_seq(bh_yaml_get(obj, "items")))) {
        if ((rc = get_seq(r, obj, "items", prefix, &items)) != 0 || !items)
            return rc;
        return read_list(r, items, prefix, api, kind, nest);
    }
    if (!builtin_group(api))
        return 0; /* custom resources: their shapes are not ours to know */
    if (!strcmp(kind, "Service"))
        return read_service(r, obj, prefix, name, meta, mpath);
    for (i = 0; i < sizeof(workloads) / sizeof(*workloads); i++) {
        const struct bh_ynode *t;
        const char *tpath, *owner;

        if (strcmp(kind, workloads[i].kind) != 0)
            continue;
        if ((rc = walk_maps(r, obj, prefix, workloads[i].tmpl, &t, &tpath)) != 0 || !t)
            return rc;
        if (!(owner = bh_arena_printf(r->a, "%s/%s", kind, name)))
            return nomem(r);
        return read_pod(r, owner, t, tpath, meta, mpath);
    }
    for (i = 0; i < sizeof(template_shapes) / sizeof(*template_shapes); i++) {
        if (bh_yaml_path(obj, template_shapes[i]) != NULL)
            return bh_err_set(r->err, BH_EPARSE, r->file, kp ? kp->value->line : obj->line,
                              kp ? kp->value->col : obj->col,
                              "unknown kind '%.60s' with a pod template", kind);
    }
    return 0; /* ConfigMap, Namespace, RBAC, ...: nothing runs */
}

/* The node where a chain of deepest children crosses BH_MAX_KUBE_DEPTH. */
static const struct bh_ynode *too_deep_at(const struct bh_ynode *n)
{
    unsigned depth = 1;

    while (depth <= BH_MAX_KUBE_DEPTH && (n->type == BH_Y_SEQ || n->type == BH_Y_MAP)) {
        const struct bh_ynode *next = NULL;
        size_t i;

        for (i = 0; i < n->n && !next; i++) {
            const struct bh_ynode *k = n->type == BH_Y_SEQ ? n->items[i] : n->pairs[i].value;

            if (k->height + 1 == n->height)
                next = k;
            else if (n->type == BH_Y_MAP && n->pairs[i].key->height + 1 == n->height)
                next = n->pairs[i].key;
        }
        if (!next)
            break;
        n = next;
        depth++;
    }
    return n;
}

int bh_kube_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  struct bh_runset *out, struct bh_err *err)
{
    struct kr r;
    struct bh_ydoc *docs = NULL;
    size_t ndocs = 0, i;
    int rc;

    memset(out, 0, sizeof(*out));
    out->file = file;
    r.a = a;
    r.file = file;
    r.err = err;
    r.out = out;
    if ((rc = bh_yaml_parse(a, file, text, len, 0, &docs, &ndocs, err)) != 0)
        return rc;
    for (i = 0; i < ndocs; i++) {
        const struct bh_ynode *root = docs[i].root;

        if (bh_yaml_is_null(root, S11))
            continue;
        if (root->height > BH_MAX_KUBE_DEPTH) {
            const struct bh_ynode *n = too_deep_at(root);

            return bh_err_set(err, BH_ELIMIT, file, n->line, n->col,
                              "manifest nested deeper than BH_MAX_KUBE_DEPTH (%u)",
                              BH_MAX_KUBE_DEPTH);
        }
        if (root->type != BH_Y_MAP)
            return bh_err_set(err, BH_EPARSE, file, root->line, root->col,
                              "a manifest document must be a mapping, not a %s",
                              bh_yaml_type_name(root));
        if ((rc = read_object(&r, root, "", NULL, NULL, 0)) != 0)
            return rc;
    }
    if (a->failed ||
        bh_comments_ignores(a, text, len, &out->ignores, &out->nignores, &out->ignores_cap) != 0)
        return nomem(&r);
    return 0;
}

/* A line `key:` at column 0 (value or end of line after the colon). */
static bool top_key(const char *l, size_t n, const char *key)
{
    size_t k = strlen(key);

    return n > k && !memcmp(l, key, k) && l[k] == ':' &&
           (n == k + 1 || l[k + 1] == ' ' || l[k + 1] == '\t' || l[k + 1] == '\r');
}

int bh_kube_bid(const char *name, const char *head, size_t len)
{
    bool api = false, kind = false;
    size_t pos = 0;

    (void)name; /* YAML names say nothing about Kubernetes: the content decides */
    if (!head)
        return 0;
    if (len >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        const char *l = head + pos, *nl = memchr(l, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - l) : len - pos;

        pos += n + (nl ? 1 : 0);
        if (n >= 3 && !memcmp(l, "---", 3) &&
            (n == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r')) {
            api = kind = false;
            continue;
        }
        api = api || top_key(l, n, "apiVersion");
        kind = kind || top_key(l, n, "kind");
        if (api && kind)
            return 90;
    }
    return 0;
}
