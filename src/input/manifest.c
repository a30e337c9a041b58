/*
 * manifest.c - reads manifest.json / repositories of `docker save`, OCI image
 * indexes and manifests and Docker's schema 2 manifests and lists into plain
 * structs, checking digests, media types, sizes and member names on the way.
 * It does not follow descriptors, read blobs or decide which image to scan.
 */
#include "input/manifest.h"

#include "core/arena.h"
#include "core/str.h"
#include "core/limits.h"
#include "input/json.h"

#include <string.h>

/* Parsing state: where we are, for messages that name the JSON path. */
struct mp {
    struct bh_arena *a;
    const char *file;
    struct bh_err *err;
};

static int nomem(struct mp *m)
{
    return bh_err_set(m->err, BH_ENOMEM, m->file, 0, 0, "out of memory");
}

/* A value quoted in a message: bounded, printable ASCII (it comes from the image). */
static const char *shown(struct mp *m, const char *s)
{
    return bh_str_printable_dup(m->a, s, strlen(s), 64);
}

static int bad(struct mp *m, const char *path, const char *what)
{
    return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0, "%s: %s", path && *path ? path : "(root)",
                      what);
}

static int bad_type(struct mp *m, const char *path, const char *want, const struct bh_jnode *n)
{
    return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0, "%s: expected %s, found %s",
                      path && *path ? path : "(root)", want, bh_json_type_name(n));
}

static const char *sub(struct mp *m, const char *path, const char *key)
{
    if (!path || !*path)
        return bh_arena_strdup(m->a, key);
    return bh_arena_printf(m->a, "%s.%s", path, key);
}

static const char *idx(struct mp *m, const char *path, size_t i)
{
    return bh_arena_printf(m->a, "%s[%zu]", path && *path ? path : "", i);
}

/* A string without NUL bytes inside (a NUL would cut it short in every later use). */
static bool clean_str(const struct bh_jnode *n)
{
    return n && n->type == BH_J_STRING && strlen(n->str) == n->len;
}

/* obj[key] as a string: required, or optional (NULL/JSON null gives *out = NULL). */
static int get_str(struct mp *m, const struct bh_jnode *obj, const char *path, const char *key,
                   bool required, const char **out)
{
    const struct bh_jnode *v = bh_json_get(obj, key);
    const char *p;

    *out = NULL;
    if (bh_json_is_null(v)) {
        if (!required)
            return 0;
        p = sub(m, path, key);
        return p ? bad(m, p, "required field is missing") : nomem(m);
    }
    if (!clean_str(v)) {
        p = sub(m, path, key);
        if (!p)
            return nomem(m);
        if (v->type == BH_J_STRING)
            return bad(m, p, "string holds a NUL byte");
        return bad_type(m, p, "a string", v);
    }
    *out = v->str;
    return 0;
}

/* ---- validation ------------------------------------------------------------ */

static bool is_lhex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool bh_manifest_digest_valid(const char *d)
{
    size_t want, i;

    if (!d)
        return false;
    if (strncmp(d, "sha256:", 7) == 0) {
        d += 7;
        want = 64;
    } else if (strncmp(d, "sha512:", 7) == 0) {
        d += 7;
        want = 128;
    } else {
        return false;
    }
    for (i = 0; i < want; i++) {
        if (!is_lhex(d[i]))
            return false;
    }
    return d[want] == '\0';
}

/* RFC 6838 restricted-name characters. */
static bool mt_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&-^_.+", c));
}

bool bh_manifest_media_type_valid(const char *mt)
{
    size_t i = 0, n;

    if (!mt)
        return false;
    for (n = 0; mt_char(mt[i]); i++, n++)
        ;
    if (n == 0 || n > 127 || mt[i] != '/')
        return false;
    for (i++, n = 0; mt_char(mt[i]); i++, n++)
        ;
    if (n == 0 || n > 127)
        return false;
    /* parameters: `; key=value` with printable bytes only */
    if (mt[i] == '\0')
        return true;
    if (mt[i] != ';' && mt[i] != ' ')
        return false;
    for (; mt[i]; i++) {
        if ((unsigned char)mt[i] < 0x20 || mt[i] == 0x7f)
            return false;
    }
    return true;
}

static bool mt_eq(const char *mt, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(mt, want, n) == 0;
}

enum bh_media_kind bh_manifest_media_kind(const char *mt)
{
    static const struct {
        const char *name;
        enum bh_media_kind kind;
    } known[] = {
        {"application/vnd.oci.image.index.v1+json", BH_MEDIA_OCI_INDEX},
        {"application/vnd.oci.image.manifest.v1+json", BH_MEDIA_OCI_MANIFEST},
        {"application/vnd.oci.image.config.v1+json", BH_MEDIA_OCI_CONFIG},
        {"application/vnd.oci.image.layer.v1.tar", BH_MEDIA_OCI_LAYER},
        {"application/vnd.oci.image.layer.v1.tar+gzip", BH_MEDIA_OCI_LAYER},
        {"application/vnd.oci.image.layer.v1.tar+zstd", BH_MEDIA_OCI_LAYER},
        {"application/vnd.oci.image.layer.nondistributable.v1.tar", BH_MEDIA_OCI_LAYER},
        {"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", BH_MEDIA_OCI_LAYER},
        {"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", BH_MEDIA_OCI_LAYER},
        {"application/vnd.docker.distribution.manifest.list.v2+json", BH_MEDIA_DOCKER_LIST},
        {"application/vnd.docker.distribution.manifest.v2+json", BH_MEDIA_DOCKER_MANIFEST},
        {"application/vnd.docker.container.image.v1+json", BH_MEDIA_DOCKER_CONFIG},
        {"application/vnd.docker.image.rootfs.diff.tar.gzip", BH_MEDIA_DOCKER_LAYER},
        {"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", BH_MEDIA_DOCKER_LAYER},
    };
    size_t n, i;

    if (!mt)
        return BH_MEDIA_NONE;
    n = strcspn(mt, "; ");
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (mt_eq(mt, n, known[i].name))
            return known[i].kind;
    }
    return BH_MEDIA_OTHER;
}

bool bh_manifest_kind_is_index(enum bh_media_kind k)
{
    return k == BH_MEDIA_OCI_INDEX || k == BH_MEDIA_DOCKER_LIST;
}

bool bh_manifest_kind_is_manifest(enum bh_media_kind k)
{
    return k == BH_MEDIA_OCI_MANIFEST || k == BH_MEDIA_DOCKER_MANIFEST;
}

/* A member name inside an archive or layout: relative, no "..", no NUL, not empty. */
static bool member_ok(const char *s)
{
    const char *p = s;

    if (!*s || *s == '/')
        return false;
    while (*p) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n;
        if (*p == '/')
            p++;
    }
    return true;
}

/* ---- common pieces ----------------------------------------------------------- */

static int parse_root(struct mp *m, const char *json, size_t len, const struct bh_jnode **root)
{
    struct bh_jnode *r;
    int rc = bh_json_parse(m->a, m->file, json, len, &r, m->err);

    *root = r;
    return rc;
}

static int get_schema(struct mp *m, const struct bh_jnode *root, int *out)
{
    const struct bh_jnode *v = bh_json_get(root, "schemaVersion");
    long long sv;

    *out = 0;
    if (bh_json_is_null(v))
        return 0; /* index.json written by some tools omits it; the shape decides */
    if (!bh_json_int(v, &sv))
        return bad_type(m, "schemaVersion", "an integer", v);
    if (sv != 2)
        return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0,
                          "schemaVersion: unsupported value %lld (only 2 is defined)", sv);
    *out = 2;
    return 0;
}

static int get_annotations(struct mp *m, const struct bh_jnode *obj, const char *path,
                           struct bh_annotation **out, size_t *n)
{
    const struct bh_jnode *v = bh_json_get(obj, "annotations");
    const char *p;
    size_t i;

    *out = NULL;
    *n = 0;
    if (bh_json_is_null(v))
        return 0;
    p = sub(m, path, "annotations");
    if (!p)
        return nomem(m);
    if (v->type != BH_J_OBJECT)
        return bad_type(m, p, "an object", v);
    if (v->n > BH_MAX_MANIFEST_ENTRIES)
        return bh_err_set(m->err, BH_ELIMIT, m->file, 0, 0,
                          "%s: more than %u entries (BH_MAX_MANIFEST_ENTRIES)", p,
                          (unsigned)BH_MAX_MANIFEST_ENTRIES);
    *out = bh_arena_calloc(m->a, v->n ? v->n : 1, sizeof(**out));
    if (!*out)
        return nomem(m);
    for (i = 0; i < v->n; i++) {
        const struct bh_jpair *pr = &v->pairs[i];

        if (!clean_str(&pr->value) || strlen(pr->key) != pr->keylen) {
            const char *q = sub(m, p, shown(m, pr->key));

            if (!q)
                return nomem(m);
            return clean_str(&pr->value) || pr->value.type != BH_J_STRING
                       ? bad_type(m, q, "a string", &pr->value)
                       : bad(m, q, "string holds a NUL byte");
        }
        (*out)[i].key = pr->key;
        (*out)[i].value = pr->value.str;
    }
    *n = v->n;
    return 0;
}

static int get_media_type(struct mp *m, const struct bh_jnode *obj, const char *path, bool required,
                          const char **mt, enum bh_media_kind *kind)
{
    int rc = get_str(m, obj, path, "mediaType", required, mt);
    const char *p;

    if (rc)
        return rc;
    if (*mt && !bh_manifest_media_type_valid(*mt)) {
        p = sub(m, path, "mediaType");
        if (!p)
            return nomem(m);
        return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0, "%s: invalid media type '%s'", p,
                          shown(m, *mt));
    }
    *kind = bh_manifest_media_kind(*mt);
    return 0;
}

static int get_platform(struct mp *m, const struct bh_jnode *obj, const char *path,
                        struct bh_descriptor *d)
{
    const struct bh_jnode *v = bh_json_get(obj, "platform");
    const char *p;
    int rc;

    if (bh_json_is_null(v))
        return 0;
    p = sub(m, path, "platform");
    if (!p)
        return nomem(m);
    if (v->type != BH_J_OBJECT)
        return bad_type(m, p, "an object", v);
    rc = get_str(m, v, p, "os", true, &d->platform.os);
    if (!rc)
        rc = get_str(m, v, p, "architecture", true, &d->platform.architecture);
    if (!rc)
        rc = get_str(m, v, p, "variant", false, &d->platform.variant);
    if (!rc)
        rc = get_str(m, v, p, "os.version", false, &d->platform.os_version);
    if (rc)
        return rc;
    d->has_platform = true;
    return 0;
}

static int get_descriptor(struct mp *m, const struct bh_jnode *obj, const char *path,
                          bool mt_required, struct bh_descriptor *d)
{
    const struct bh_jnode *v;
    const char *p;
    size_t i;
    int rc;

    memset(d, 0, sizeof(*d));
    d->path = path;
    d->size = -1;
    if (!obj || obj->type != BH_J_OBJECT)
        return bad_type(m, path, "an object", obj);
    rc = get_media_type(m, obj, path, mt_required, &d->media_type, &d->kind);
    if (!rc)
        rc = get_str(m, obj, path, "digest", true, &d->digest);
    if (rc)
        return rc;
    if (!bh_manifest_digest_valid(d->digest)) {
        p = sub(m, path, "digest");
        if (!p)
            return nomem(m);
        return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0,
                          "%s: invalid digest '%s' (want sha256: and 64 lowercase hex digits)", p,
                          shown(m, d->digest));
    }
    v = bh_json_get(obj, "size");
    p = sub(m, path, "size");
    if (!p)
        return nomem(m);
    if (bh_json_is_null(v))
        return bad(m, p, "required field is missing");
    if (!bh_json_int(v, &d->size))
        return bad_type(m, p, "an integer", v);
    if (d->size < 0)
        return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0, "%s: negative size %lld", p, d->size);
    rc = get_platform(m, obj, path, d);
    if (!rc)
        rc = get_annotations(m, obj, path, &d->annotations, &d->nannotations);
    if (rc)
        return rc;
    for (i = 0; i < d->nannotations; i++) {
        if (strcmp(d->annotations[i].key, "org.opencontainers.image.ref.name") == 0)
            d->ref_name = d->annotations[i].value;
    }
    return 0;
}

static int get_array(struct mp *m, const struct bh_jnode *obj, const char *key, bool required,
                     const struct bh_jnode **out)
{
    const struct bh_jnode *v = bh_json_get(obj, key);

    *out = NULL;
    if (bh_json_is_null(v)) {
        if (required)
            return bad(m, key, "required field is missing");
        return 0;
    }
    if (v->type != BH_J_ARRAY)
        return bad_type(m, key, "an array", v);
    if (v->n > BH_MAX_MANIFEST_ENTRIES)
        return bh_err_set(m->err, BH_ELIMIT, m->file, 0, 0,
                          "%s: more than %u entries (BH_MAX_MANIFEST_ENTRIES)", key,
                          (unsigned)BH_MAX_MANIFEST_ENTRIES);
    *out = v;
    return 0;
}

static int get_descriptors(struct mp *m, const struct bh_jnode *arr, const char *key,
                           bool mt_required, struct bh_descriptor **out, size_t *n)
{
    size_t i;
    int rc;

    *out = NULL;
    *n = 0;
    if (!arr)
        return 0;
    *out = bh_arena_calloc(m->a, arr->n ? arr->n : 1, sizeof(**out));
    if (!*out)
        return nomem(m);
    for (i = 0; i < arr->n; i++) {
        const char *p = idx(m, key, i);

        if (!p)
            return nomem(m);
        rc = get_descriptor(m, &arr->items[i], p, mt_required, &(*out)[i]);
        if (rc)
            return rc;
    }
    *n = arr->n;
    return 0;
}

/* ---- documents ---------------------------------------------------------------- */

int bh_manifest_parse_index(struct bh_arena *a, const char *file, const char *json, size_t len,
                            struct bh_index *out, struct bh_err *err)
{
    struct mp m = {a, file, err};
    const struct bh_jnode *root, *arr;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = parse_root(&m, json, len, &root);
    if (rc)
        return rc;
    if (root->type != BH_J_OBJECT)
        return bad_type(&m, "", "an object (an image index)", root);
    rc = get_schema(&m, root, &out->schema_version);
    if (!rc)
        rc = get_media_type(&m, root, "", false, &out->media_type, &out->kind);
    if (rc)
        return rc;
    if (out->media_type && !bh_manifest_kind_is_index(out->kind))
        return bh_err_set(err, BH_EPARSE, file, 0, 0,
                          "mediaType: '%s' is not an image index or manifest list",
                          shown(&m, out->media_type));
    if (bh_json_get(root, "layers") || bh_json_get(root, "config"))
        return bad(&m, "", "this is an image manifest (it has config/layers), not an index");
    rc = get_array(&m, root, "manifests", true, &arr);
    if (!rc)
        rc = get_descriptors(&m, arr, "manifests", false, &out->manifests, &out->nmanifests);
    if (!rc)
        rc = get_annotations(&m, root, "", &out->annotations, &out->nannotations);
    return rc;
}

/*
 * A manifest's config or layer whose media type is a known kind of something else. Other
 * (unknown) types are kept: artifacts use their own, and callers decide what to do.
 */
static bool misplaced(enum bh_media_kind k, bool config)
{
    if (bh_manifest_kind_is_index(k) || bh_manifest_kind_is_manifest(k))
        return true;
    if (config)
        return k == BH_MEDIA_OCI_LAYER || k == BH_MEDIA_DOCKER_LAYER;
    return k == BH_MEDIA_OCI_CONFIG || k == BH_MEDIA_DOCKER_CONFIG;
}

int bh_manifest_parse_image(struct bh_arena *a, const char *file, const char *json, size_t len,
                            struct bh_imgmanifest *out, struct bh_err *err)
{
    struct mp m = {a, file, err};
    const struct bh_jnode *root, *arr;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = parse_root(&m, json, len, &root);
    if (rc)
        return rc;
    if (root->type != BH_J_OBJECT)
        return bad_type(&m, "", "an object (an image manifest)", root);
    rc = get_schema(&m, root, &out->schema_version);
    if (!rc)
        rc = get_media_type(&m, root, "", false, &out->media_type, &out->kind);
    if (rc)
        return rc;
    if (out->media_type && !bh_manifest_kind_is_manifest(out->kind))
        return bh_err_set(err, BH_EPARSE, file, 0, 0, "mediaType: '%s' is not an image manifest",
                          shown(&m, out->media_type));
    if (bh_json_get(root, "manifests"))
        return bad(&m, "", "this is an image index (it has manifests), not a manifest");
    if (bh_json_is_null(bh_json_get(root, "config")))
        return bad(&m, "config", "required field is missing");
    rc = get_descriptor(&m, bh_json_get(root, "config"), "config", true, &out->config);
    if (!rc && misplaced(out->config.kind, true))
        return bh_err_set(err, BH_EPARSE, file, 0, 0,
                          "config.mediaType: '%s' names an index, manifest or layer, not a config",
                          shown(&m, out->config.media_type));
    if (!rc)
        rc = get_array(&m, root, "layers", true, &arr);
    if (!rc)
        rc = get_descriptors(&m, arr, "layers", true, &out->layers, &out->nlayers);
    for (i = 0; !rc && i < out->nlayers; i++) {
        if (misplaced(out->layers[i].kind, false))
            return bh_err_set(err, BH_EPARSE, file, 0, 0,
                              "%s.mediaType: '%s' names an index, manifest or config, not a layer",
                              out->layers[i].path, shown(&m, out->layers[i].media_type));
    }
    if (!rc)
        rc = get_annotations(&m, root, "", &out->annotations, &out->nannotations);
    return rc;
}

/* An array of member names (Layers) or plain strings (RepoTags); null gives none. */
static int get_strings(struct mp *m, const struct bh_jnode *obj, const char *path, const char *key,
                       bool members, const char ***out, size_t *n)
{
    const struct bh_jnode *v = bh_json_get(obj, key);
    const char *p = sub(m, path, key);
    size_t i;

    *out = NULL;
    *n = 0;
    if (!p)
        return nomem(m);
    if (bh_json_is_null(v))
        return 0;
    if (v->type != BH_J_ARRAY)
        return bad_type(m, p, "an array", v);
    if (v->n > BH_MAX_MANIFEST_ENTRIES)
        return bh_err_set(m->err, BH_ELIMIT, m->file, 0, 0,
                          "%s: more than %u entries (BH_MAX_MANIFEST_ENTRIES)", p,
                          (unsigned)BH_MAX_MANIFEST_ENTRIES);
    *out = bh_arena_calloc(m->a, v->n ? v->n : 1, sizeof(**out));
    if (!*out)
        return nomem(m);
    for (i = 0; i < v->n; i++) {
        const struct bh_jnode *s = &v->items[i];
        const char *q = idx(m, p, i);

        if (!q)
            return nomem(m);
        if (!clean_str(s))
            return s->type == BH_J_STRING ? bad(m, q, "string holds a NUL byte")
                                          : bad_type(m, q, "a string", s);
        if (members && !member_ok(s->str))
            return bh_err_set(m->err, BH_EPARSE, m->file, 0, 0,
                              "%s: member name '%s' is empty, absolute or contains '..'", q,
                              shown(m, s->str));
        (*out)[i] = s->str;
    }
    *n = v->n;
    return 0;
}

int bh_manifest_parse_save(struct bh_arena *a, const char *file, const char *json, size_t len,
                           struct bh_saveentry **out, size_t *n, struct bh_err *err)
{
    struct mp m = {a, file, err};
    const struct bh_jnode *root;
    size_t i;
    int rc;

    *out = NULL;
    *n = 0;
    rc = parse_root(&m, json, len, &root);
    if (rc)
        return rc;
    if (root->type != BH_J_ARRAY)
        return bad_type(&m, "", "an array of images", root);
    if (root->n > BH_MAX_MANIFEST_ENTRIES)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "more than %u images (BH_MAX_MANIFEST_ENTRIES)",
                          (unsigned)BH_MAX_MANIFEST_ENTRIES);
    *out = bh_arena_calloc(a, root->n ? root->n : 1, sizeof(**out));
    if (!*out)
        return nomem(&m);
    for (i = 0; i < root->n; i++) {
        const struct bh_jnode *e = &root->items[i];
        struct bh_saveentry *s = &(*out)[i];
        const char *p = idx(&m, "", i);

        if (!p)
            return nomem(&m);
        if (e->type != BH_J_OBJECT)
            return bad_type(&m, p, "an object", e);
        rc = get_str(&m, e, p, "Config", true, &s->config);
        if (rc)
            return rc;
        if (!member_ok(s->config))
            return bh_err_set(err, BH_EPARSE, file, 0, 0,
                              "%s.Config: member name '%s' is empty, absolute or contains '..'", p,
                              shown(&m, s->config));
        rc = get_strings(&m, e, p, "RepoTags", false, &s->repo_tags, &s->nrepo_tags);
        if (!rc)
            rc = get_strings(&m, e, p, "Layers", true, &s->layers, &s->nlayers);
        if (rc)
            return rc;
    }
    *n = root->n;
    return 0;
}

int bh_manifest_parse_repositories(struct bh_arena *a, const char *file, const char *json,
                                   size_t len, struct bh_repotag **out, size_t *n,
                                   struct bh_err *err)
{
    struct mp m = {a, file, err};
    const struct bh_jnode *root;
    size_t i, k, total = 0, o = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = parse_root(&m, json, len, &root);
    if (rc)
        return rc;
    if (root->type != BH_J_OBJECT)
        return bad_type(&m, "", "an object of repositories", root);
    for (i = 0; i < root->n; i++) {
        const struct bh_jpair *r = &root->pairs[i];
        const char *p = sub(&m, "", shown(&m, r->key));

        if (!p)
            return nomem(&m);
        if (r->value.type != BH_J_OBJECT)
            return bad_type(&m, p, "an object of tags", &r->value);
        if (strlen(r->key) != r->keylen || !r->keylen)
            return bad(&m, p, "repository name is empty or holds a NUL byte");
        total += r->value.n;
        if (total > BH_MAX_MANIFEST_ENTRIES)
            return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                              "more than %u tags (BH_MAX_MANIFEST_ENTRIES)",
                              (unsigned)BH_MAX_MANIFEST_ENTRIES);
    }
    *out = bh_arena_calloc(a, total ? total : 1, sizeof(**out));
    if (!*out)
        return nomem(&m);
    for (i = 0; i < root->n; i++) {
        const struct bh_jpair *r = &root->pairs[i];

        for (k = 0; k < r->value.n; k++) {
            const struct bh_jpair *t = &r->value.pairs[k];
            const char *p = bh_arena_printf(a, "%s.%s", shown(&m, r->key), shown(&m, t->key)), *id;
            size_t j;

            if (!p)
                return nomem(&m);
            if (!clean_str(&t->value))
                return bad_type(&m, p, "a layer id string", &t->value);
            if (strlen(t->key) != t->keylen || !t->keylen)
                return bad(&m, p, "tag is empty or holds a NUL byte");
            id = t->value.str;
            for (j = 0; j < 64 && is_lhex(id[j]); j++)
                ;
            if (j != 64 || id[64])
                return bh_err_set(err, BH_EPARSE, file, 0, 0,
                                  "%s: invalid layer id '%s' (want 64 lowercase hex digits)", p,
                                  shown(&m, id));
            (*out)[o].repo = r->key;
            (*out)[o].tag = t->key;
            (*out)[o].id = id;
            o++;
        }
    }
    *n = o;
    return 0;
}

/* ---- platforms ---------------------------------------------------------------- */

static const char *arch_alias(const char *arch)
{
    if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "x86-64") == 0)
        return "amd64";
    if (strcmp(arch, "aarch64") == 0)
        return "arm64";
    return arch;
}

/* Split "os/arch[/variant]" in place (buf is a copy); false when malformed. */
static bool split_platform(char *buf, const char **os, const char **arch, const char **variant)
{
    char *s1 = strchr(buf, '/'), *s2;

    if (!s1)
        return false;
    *s1 = '\0';
    s2 = strchr(s1 + 1, '/');
    if (s2) {
        *s2 = '\0';
        if (!s2[1] || strchr(s2 + 1, '/'))
            return false;
    }
    *os = buf;
    *arch = arch_alias(s1 + 1);
    *variant = s2 ? s2 + 1 : NULL;
    return **os && **arch;
}

int bh_manifest_parse_platform(struct bh_arena *a, const char *text, struct bh_platform *out,
                               struct bh_err *err)
{
    char *buf;
    const char *os, *arch, *variant;

    memset(out, 0, sizeof(*out));
    if (!text || !(buf = bh_arena_strdup(a, text)))
        return bh_err_set(err, text ? BH_ENOMEM : BH_EUSAGE, NULL, 0, 0,
                          text ? "out of memory" : "missing platform");
    if (!split_platform(buf, &os, &arch, &variant))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                          "invalid platform '%s' (want os/arch or os/arch/variant)", text);
    out->os = os;
    out->architecture = arch;
    out->variant = variant;
    return 0;
}

static bool variant_eq(const char *arch, const char *want, const char *have)
{
    want = want ? want : "";
    have = have ? have : "";
    if (strcmp(want, have) == 0)
        return true;
    /* arm64 images usually leave the variant out; v8 is the only one in use */
    return strcmp(arch, "arm64") == 0 && (!*want || strcmp(want, "v8") == 0) &&
           (!*have || strcmp(have, "v8") == 0);
}

const struct bh_descriptor *bh_manifest_pick_platform(const struct bh_index *ix, const char *want)
{
    char buf[256];
    const char *os, *arch, *variant;
    const struct bh_descriptor *first = NULL;
    size_t i, n;

    if (!ix || !want || (n = strlen(want)) >= sizeof(buf))
        return NULL;
    memcpy(buf, want, n + 1);
    if (!split_platform(buf, &os, &arch, &variant))
        return NULL;
    for (i = 0; i < ix->nmanifests; i++) {
        const struct bh_descriptor *d = &ix->manifests[i];

        if (!d->has_platform ||
            (d->kind != BH_MEDIA_NONE && !bh_manifest_kind_is_manifest(d->kind)))
            continue;
        if (strcmp(d->platform.os, os) != 0 ||
            strcmp(arch_alias(d->platform.architecture), arch) != 0)
            continue;
        if (variant) {
            if (variant_eq(arch, variant, d->platform.variant))
                return d;
            continue;
        }
        if (!d->platform.variant || !*d->platform.variant)
            return d;
        if (!first)
            first = d;
    }
    return first;
}
