/*
 * lang.c - language package metadata: npm package.json and package-lock.json, Python
 * METADATA/PKG-INFO, Composer installed.json, RubyGems gemspecs and Cargo.lock. Keeps name,
 * version and license of what is installed; dependency graphs, checksums and the rest are
 * stepped over. JSON goes through input/json.h; the text formats have small purpose-built
 * parsers that accept the generated forms and refuse what they do not understand.
 */
#include "input/pkgdb/lang.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/json.h"
#include "input/pkgdb/pkgdb.h"

#include <stdbool.h>
#include <string.h>

/* Bytes of an image-controlled key or value quoted in a message. */
#define QUOTE_MAX 96u

/* What every reader carries: where packages go and how errors are named. */
struct lang_ctx {
    struct bh_arena *a;
    const char *file; /* for messages */
    const char *path; /* arena copy, set on every package */
    int layer;
    struct bh_packages *out;
    struct bh_err *err;
};

static const char *quote(char *buf, size_t cap, const char *s, size_t n)
{
    return bh_str_printable_n(buf, cap, s, n, QUOTE_MAX);
}

static int nomem(struct lang_ctx *c)
{
    return bh_err_set(c->err, BH_ENOMEM, c->file, 0, 0, "out of memory");
}

/* PEP 503: lower case, every run of '-', '_' and '.' becomes one '-'. */
static char *pep503(struct bh_arena *a, const char *s)
{
    size_t n = strlen(s), i, o = 0;
    char *r = bh_arena_alloc(a, n + 1);

    if (r == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '-' || ch == '_' || ch == '.') {
            if (o == 0 || r[o - 1] != '-')
                r[o++] = '-';
            continue;
        }
        r[o++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    r[o] = '\0';
    return r;
}

/*
 * The purl of p. Python names are normalised first; for Composer, "vendor/name" is namespace
 * and name in the spec, and bh_pkgdb_purl encodes the '/' of a name, so the first "%2F" (the
 * name's first '/': a literal '%' would be "%25") is turned back into the separator.
 */
static const char *lang_purl(struct bh_arena *a, const struct bh_package *p)
{
    struct bh_package q = *p;
    char *purl, *slash;
    size_t pre = strlen("pkg:composer/");

    if (p->kind == BH_PKG_PYPI && (q.name = pep503(a, p->name)) == NULL)
        return NULL;
    purl = (char *)bh_pkgdb_purl(a, &q, NULL);
    if (purl != NULL && p->kind == BH_PKG_COMPOSER && strncmp(purl, "pkg:composer/", pre) == 0 &&
        (slash = strstr(purl + pre, "%2F")) != NULL) {
        slash[0] = '/';
        memmove(slash + 1, slash + 3, strlen(slash + 3) + 1);
    }
    return purl;
}

/* Append one package; name and version are non-empty (callers check). */
static int add(struct lang_ctx *c, enum bh_pkg_kind kind, const char *name, size_t name_n,
               const char *ver, size_t ver_n, const char *lic, size_t lic_n, int line)
{
    struct bh_package *p;

    /* a NUL would cut the C strings short, to an empty name at worst */
    if (memchr(name, '\0', name_n) != NULL || memchr(ver, '\0', ver_n) != NULL)
        return bh_err_set(c->err, BH_EPARSE, c->file, line, 0,
                          "package name or version holds a NUL byte");
    if (lic != NULL && memchr(lic, '\0', lic_n) != NULL)
        lic = NULL;
    if (c->out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(c->err, BH_ELIMIT, c->file, line, 0,
                          "more than BH_MAX_PKGDB_PACKAGES (%u) packages", BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(c->a, c->out->v, c->out->n, c->out->cap);
    if (p == NULL)
        return nomem(c);
    p->kind = kind;
    p->layer = c->layer;
    p->path = c->path;
    p->name = bh_arena_strndup(c->a, name, name_n);
    p->version = bh_arena_strndup(c->a, ver, ver_n);
    if (lic != NULL && lic_n > 0 && lic_n <= BH_MAX_LANGPKG_LICENSE)
        p->license = bh_arena_strndup(c->a, lic, lic_n);
    if (c->a->failed || (p->purl = lang_purl(c->a, p)) == NULL)
        return nomem(c);
    return 0;
}

static int begin(struct lang_ctx *c, struct bh_arena *a, const char *file, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    c->a = a;
    c->file = file;
    c->layer = layer;
    c->out = out;
    c->err = err;
    if (len > BH_MAX_LANGPKG_BYTES)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "file larger than BH_MAX_LANGPKG_BYTES (%u bytes)", BH_MAX_LANGPKG_BYTES);
    c->path = bh_arena_strdup(a, file != NULL ? file : "");
    return c->path == NULL ? nomem(c) : 0;
}

/* A file that fails to read adds nothing: half of one would mislead the matcher. */
static int finish(struct bh_packages *out, size_t n0, int rc)
{
    if (rc != 0)
        out->n = n0;
    return rc;
}

/* ---- JSON helpers --------------------------------------------------------------------- */

static int jtype_err(struct lang_ctx *c, const char *jpath, const char *want,
                     const struct bh_jnode *n)
{
    return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: expected %s, got %s",
                      jpath != NULL ? jpath : "$", want, bh_json_type_name(n));
}

/*
 * The string at obj.key in *s (NULL when absent or null). Another type, or a string holding a
 * NUL, is BH_EPARSE naming jpath.key.
 */
static int jstr(struct lang_ctx *c, const struct bh_jnode *obj, const char *key, const char *jpath,
                const char **s, size_t *n)
{
    const struct bh_jnode *v = bh_json_get(obj, key);

    *s = NULL;
    *n = 0;
    if (bh_json_is_null(v))
        return 0;
    if (v->type != BH_J_STRING)
        return jtype_err(c, bh_arena_printf(c->a, "%s.%s", jpath, key), "a string", v);
    if (strlen(v->str) != v->len)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s.%s: string holds a NUL byte", jpath,
                          key);
    *s = v->str;
    *n = v->len;
    return 0;
}

/*
 * A license as npm and Composer write it: a string, {"type": "MIT"} (old npm), or an array of
 * either (alternatives, joined with " OR "). Shapes beyond these are ignored, not errors: the
 * license is informational and old packages wrote all sorts of things.
 */
static const char *license_of(struct bh_arena *a, const struct bh_jnode *v)
{
    struct bh_buf b = BH_BUF_INIT(BH_MAX_LANGPKG_LICENSE + 1);
    const char *s;
    char *res;
    size_t i;

    if (v == NULL)
        return NULL;
    if (v->type == BH_J_STRING)
        return v->len > 0 && strlen(v->str) == v->len ? v->str : NULL;
    if (v->type == BH_J_OBJECT)
        return license_of(a, bh_json_get(v, "type"));
    if (v->type != BH_J_ARRAY)
        return NULL;
    for (i = 0; i < v->n; i++) {
        if (v->items[i].type == BH_J_ARRAY || (s = license_of(a, &v->items[i])) == NULL)
            continue;
        if (b.len > 0)
            bh_buf_puts(&b, " OR ");
        bh_buf_puts(&b, s);
    }
    res = b.failed || b.len == 0 ? NULL : bh_arena_strdup(a, bh_buf_str(&b));
    bh_buf_release(&b);
    return res;
}

static int parse_json(struct lang_ctx *c, const char *data, size_t len, struct bh_jnode **root)
{
    return bh_json_parse(c->a, c->file, data, len, root, c->err);
}

/* ---- npm -------------------------------------------------------------------------------- */

static int npm_add(struct lang_ctx *c, const char *name, size_t name_n, const char *ver,
                   size_t ver_n, const struct bh_jnode *lic)
{
    const char *l = license_of(c->a, lic);

    return add(c, BH_PKG_NPM, name, name_n, ver, ver_n, l, l != NULL ? strlen(l) : 0, 0);
}

static int read_npm(struct lang_ctx *c, const char *data, size_t len)
{
    struct bh_jnode *root;
    const char *name, *ver;
    size_t name_n, ver_n;
    bool priv = false;
    int rc;

    if ((rc = parse_json(c, data, len, &root)) != 0)
        return rc;
    if (!bh_json_is_object(root))
        return jtype_err(c, "$", "an object", root);
    if ((rc = jstr(c, root, "name", "$", &name, &name_n)) != 0 ||
        (rc = jstr(c, root, "version", "$", &ver, &ver_n)) != 0)
        return rc;
    /* private packages cannot come from the registry: no registry advisory is about them */
    (void)bh_json_bool(bh_json_get(root, "private"), &priv);
    if (name_n == 0 || ver_n == 0 || priv)
        return 0;
    return npm_add(c, name, name_n, ver, ver_n,
                   bh_json_get(root, "license") != NULL ? bh_json_get(root, "license")
                                                        : bh_json_get(root, "licenses"));
}

int bh_pkgdb_npm(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_npm(&c, data, len));
}

/*
 * An alias dependency is installed under its alias but is the real package: v1 writes
 * "version": "npm:real@1.2.3" ("npm:@scope/real@1.2.3"). Splits it when it is one.
 */
static bool npm_alias(const char *ver, size_t ver_n, const char **name, size_t *name_n,
                      const char **v, size_t *v_n)
{
    const char *s, *at;

    if (ver_n < 7 || memcmp(ver, "npm:", 4) != 0)
        return false;
    s = ver + 4;
    /* the '@' after the name; a scope's '@' is the first byte */
    at = memchr(s + 1, '@', ver_n - 5);
    if (at == NULL || at == ver + ver_n - 1)
        return false;
    *name = s;
    *name_n = (size_t)(at - s);
    *v = at + 1;
    *v_n = (size_t)(ver + ver_n - at - 1);
    return true;
}

static const char *jkey(struct lang_ctx *c, const char *parent, const struct bh_jpair *p)
{
    char q[QUOTE_MAX * 4 + 8];

    return bh_arena_printf(c->a, "%s[\"%s\"]", parent, quote(q, sizeof(q), p->key, p->keylen));
}

static int lock_v1(struct lang_ctx *c, const struct bh_jnode *deps, const char *jpath,
                   unsigned depth)
{
    const struct bh_jpair *p;
    const char *here, *ver, *name;
    size_t i, ver_n, name_n;
    int rc;

    if (bh_json_is_null(deps))
        return 0;
    if (!bh_json_is_object(deps))
        return jtype_err(c, jpath, "an object", deps);
    if (depth > BH_MAX_NPM_LOCK_DEPTH)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "%s: dependencies nested deeper than BH_MAX_NPM_LOCK_DEPTH (%u)", jpath,
                          BH_MAX_NPM_LOCK_DEPTH);
    for (i = 0; i < deps->n; i++) {
        p = &deps->pairs[i];
        if ((here = jkey(c, jpath, p)) == NULL)
            return nomem(c);
        if (!bh_json_is_object(&p->value))
            return jtype_err(c, here, "an object", &p->value);
        if ((rc = jstr(c, &p->value, "version", here, &ver, &ver_n)) != 0)
            return rc;
        if (ver == NULL || ver_n == 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: no version", here);
        name = p->key;
        name_n = p->keylen;
        (void)npm_alias(ver, ver_n, &name, &name_n, &ver, &ver_n);
        if (name_n == 0 || strlen(p->key) != p->keylen)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: not a package name", here);
        /* "file:" is a directory of the project itself, not a package from anywhere */
        if (!(ver_n >= 5 && memcmp(ver, "file:", 5) == 0) &&
            (rc = npm_add(c, name, name_n, ver, ver_n, NULL)) != 0)
            return rc;
        here = bh_arena_printf(c->a, "%s.dependencies", here);
        if (here == NULL)
            return nomem(c);
        if ((rc = lock_v1(c, bh_json_get(&p->value, "dependencies"), here, depth + 1)) != 0)
            return rc;
    }
    return 0;
}

/* "node_modules/a/node_modules/@s/b" -> "@s/b"; NULL for keys that are not install paths. */
static const char *install_name(const char *key, size_t n, size_t *name_n)
{
    static const char nm[] = "node_modules/";
    const size_t nml = sizeof(nm) - 1;
    const char *name = NULL, *slash;
    size_t i;

    for (i = 0; i + nml <= n; i++)
        if (memcmp(key + i, nm, nml) == 0 && (i == 0 || key[i - 1] == '/'))
            name = key + i + nml;
    if (name == NULL)
        return NULL;
    *name_n = (size_t)(key + n - name);
    slash = memchr(name, '/', *name_n);
    if (*name_n == 0 || (name[0] != '@' && slash != NULL))
        return NULL;
    if (name[0] == '@' && (slash == NULL || slash == name + 1 || slash == key + n - 1 ||
                           memchr(slash + 1, '/', (size_t)(key + n - slash - 1)) != NULL))
        return NULL;
    return name;
}

static int lock_v2(struct lang_ctx *c, const struct bh_jnode *pkgs)
{
    const struct bh_jpair *p;
    const char *here, *ver, *name, *alias;
    size_t i, ver_n, name_n, alias_n;
    bool link;
    int rc;

    if (!bh_json_is_object(pkgs))
        return jtype_err(c, "$.packages", "an object", pkgs);
    for (i = 0; i < pkgs->n; i++) {
        p = &pkgs->pairs[i];
        if (p->keylen == 0)
            continue; /* the root project */
        if ((here = jkey(c, "$.packages", p)) == NULL)
            return nomem(c);
        if (!bh_json_is_object(&p->value))
            return jtype_err(c, here, "an object", &p->value);
        link = false;
        (void)bh_json_bool(bh_json_get(&p->value, "link"), &link);
        if (link || strlen(p->key) != p->keylen)
            continue;
        /* keys without node_modules/ are workspace sources: the project's own code */
        if (strstr(p->key, "node_modules/") == NULL)
            continue;
        if ((name = install_name(p->key, p->keylen, &name_n)) == NULL)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: not an install path", here);
        if ((rc = jstr(c, &p->value, "version", here, &ver, &ver_n)) != 0 ||
            (rc = jstr(c, &p->value, "name", here, &alias, &alias_n)) != 0)
            return rc;
        if (ver_n == 0)
            continue;
        if (alias_n > 0)
            name = alias, name_n = alias_n;
        if ((rc = npm_add(c, name, name_n, ver, ver_n, bh_json_get(&p->value, "license"))) != 0)
            return rc;
    }
    return 0;
}

static int read_npm_lock(struct lang_ctx *c, const char *data, size_t len)
{
    struct bh_jnode *root;
    const struct bh_jnode *lv, *pkgs;
    long long v = 1;
    int rc;

    if ((rc = parse_json(c, data, len, &root)) != 0)
        return rc;
    if (!bh_json_is_object(root))
        return jtype_err(c, "$", "an object", root);
    lv = bh_json_get(root, "lockfileVersion");
    if (lv != NULL && (!bh_json_int(lv, &v) || v < 1))
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "$.lockfileVersion: expected a positive integer, got %s",
                          bh_json_type_name(lv));
    /* v2 carries both; "packages" is the complete one */
    pkgs = bh_json_get(root, "packages");
    if (v >= 2 && pkgs != NULL)
        return lock_v2(c, pkgs);
    if (v >= 2 && bh_json_get(root, "dependencies") == NULL)
        return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0,
                          "$: lockfileVersion %lld without packages", v);
    return lock_v1(c, bh_json_get(root, "dependencies"), "$.dependencies", 1);
}

int bh_pkgdb_npm_lock(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                      struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_npm_lock(&c, data, len));
}

/* ---- line cursor for the text formats ---------------------------------------------------- */

struct lines {
    const char *p, *end;
    int no;
};

/* The next line without its "\r\n" in (*l, *n); false at the end. BH_ELIMIT in *rc. */
static bool next_line(struct lang_ctx *c, struct lines *ls, const char **l, size_t *n, int *rc)
{
    const char *nl;

    *rc = 0;
    if (ls->p >= ls->end)
        return false;
    ls->no++;
    nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
    *l = ls->p;
    *n = (size_t)((nl != NULL ? nl : ls->end) - ls->p);
    ls->p = nl != NULL ? nl + 1 : ls->end;
    if (*n > BH_MAX_PKGDB_LINE) {
        *rc = bh_err_set(c->err, BH_ELIMIT, c->file, ls->no, 0,
                         "line longer than BH_MAX_PKGDB_LINE (%u bytes)", BH_MAX_PKGDB_LINE);
        return false;
    }
    if (*n > 0 && (*l)[*n - 1] == '\r')
        (*n)--;
    return true;
}

static bool is_sp(char ch)
{
    return ch == ' ' || ch == '\t';
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_sp(**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_sp((*s)[*n - 1]))
        (*n)--;
}

/* ---- Python ----------------------------------------------------------------------------- */

struct py_field {
    const char *p;
    size_t n;
    int line;
    bool continued; /* had continuation lines */
};

static int read_python(struct lang_ctx *c, const char *data, size_t len)
{
    struct lines ls = {data, data + len, 0};
    struct py_field name = {0}, ver = {0}, lic = {0}, expr = {0}, *cur = NULL, *f;
    const char *l, *colon, *v;
    char q[QUOTE_MAX * 4 + 8];
    size_t n, k, vn, i;
    bool any = false;
    int rc;

    while (next_line(c, &ls, &l, &n, &rc)) {
        if (n == 0)
            break; /* end of the header block; the description follows */
        if (is_sp(l[0])) {
            if (!any)
                return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 1,
                                  "continuation line before any field");
            if (cur != NULL)
                cur->continued = true;
            continue;
        }
        colon = memchr(l, ':', n);
        k = colon != NULL ? (size_t)(colon - l) : 0;
        for (i = 0; i < k && l[i] > ' ' && l[i] < 0x7f; i++)
            ;
        if (colon == NULL || k == 0 || i != k)
            return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 1,
                              "header line '%s' is not 'Field: value'", quote(q, sizeof(q), l, n));
        any = true;
        v = colon + 1;
        vn = n - k - 1;
        trim(&v, &vn);
        f = NULL;
        if (bh_str_ieqn(l, k, "Name"))
            f = &name;
        else if (bh_str_ieqn(l, k, "Version"))
            f = &ver;
        else if (bh_str_ieqn(l, k, "License"))
            f = &lic;
        else if (bh_str_ieqn(l, k, "License-Expression"))
            f = &expr;
        cur = f;
        if (f == NULL)
            continue;
        if (f->line != 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 1, "field '%s' repeated",
                              quote(q, sizeof(q), l, k));
        f->p = v;
        f->n = vn;
        f->line = ls.no;
    }
    if (rc != 0)
        return rc;
    if (name.n == 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, name.line != 0 ? name.line : 1, 0,
                          "no Name in the metadata headers");
    if (ver.n == 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, ver.line != 0 ? ver.line : 1, 0,
                          "no Version in the metadata headers");
    /* a License with continuation lines is a whole license text, not a name */
    if (expr.n == 0 && lic.n > 0 && (lic.continued || bh_str_ieqn(lic.p, lic.n, "UNKNOWN")))
        lic.n = 0;
    return add(c, BH_PKG_PYPI, name.p, name.n, ver.p, ver.n, expr.n > 0 ? expr.p : lic.p,
               expr.n > 0 ? expr.n : lic.n, name.line);
}

int bh_pkgdb_python(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                    struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_python(&c, data, len));
}

/* ---- Composer ----------------------------------------------------------------------------- */

static int read_composer(struct lang_ctx *c, const char *data, size_t len)
{
    struct bh_jnode *root;
    const struct bh_jnode *list, *it;
    const char *base, *here, *name, *ver, *l;
    size_t i, name_n, ver_n;
    int rc;

    if ((rc = parse_json(c, data, len, &root)) != 0)
        return rc;
    if (bh_json_is_array(root)) {
        list = root; /* Composer 1 */
        base = "$";
    } else if (bh_json_is_object(root)) {
        list = bh_json_get(root, "packages");
        base = "$.packages";
        if (!bh_json_is_array(list))
            return jtype_err(c, base, "an array", list);
    } else {
        return jtype_err(c, "$", "an array or object", root);
    }
    for (i = 0; i < list->n; i++) {
        it = &list->items[i];
        if ((here = bh_arena_printf(c->a, "%s[%zu]", base, i)) == NULL)
            return nomem(c);
        if (!bh_json_is_object(it))
            return jtype_err(c, here, "an object", it);
        if ((rc = jstr(c, it, "name", here, &name, &name_n)) != 0 ||
            (rc = jstr(c, it, "version", here, &ver, &ver_n)) != 0)
            return rc;
        if (name_n == 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: no name", here);
        if (ver_n == 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, 0, 0, "%s: no version", here);
        l = license_of(c->a, bh_json_get(it, "license"));
        if ((rc = add(c, BH_PKG_COMPOSER, name, name_n, ver, ver_n, l, l != NULL ? strlen(l) : 0,
                      0)) != 0)
            return rc;
    }
    return 0;
}

int bh_pkgdb_composer(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                      struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_composer(&c, data, len));
}

/* ---- Cargo.lock ------------------------------------------------------------------------ */

/*
 * The TOML subset Cargo writes: [table] and [[array-of-tables]] headers, key = value with
 * bare or quoted keys, and values that are single-line strings, bare tokens (integers) or
 * arrays of those over several lines. Inline tables, multi-line strings, dotted keys and
 * \u escapes are refused: Cargo does not write them, and guessing would be worse.
 */
struct toml {
    struct lang_ctx *c;
    const char *p, *end;
    int line;
};

struct tstr {
    const char *p; /* raw bytes between the quotes */
    size_t n;
    bool esc; /* holds backslash escapes (basic strings only) */
    bool is_str;
};

static int terr(struct toml *t, const char *msg)
{
    return bh_err_set(t->c->err, BH_EPARSE, t->c->file, t->line, 0, "%s", msg);
}

/* Spaces, tabs and a comment; stops at the newline (multi false) or goes past them too. */
static void tskip(struct toml *t, bool multi)
{
    while (t->p < t->end) {
        if (is_sp(*t->p) || *t->p == '\r') {
            t->p++;
        } else if (*t->p == '#') {
            while (t->p < t->end && *t->p != '\n')
                t->p++;
        } else if (multi && *t->p == '\n') {
            t->p++;
            t->line++;
        } else {
            break;
        }
    }
}

static int tstring(struct toml *t, struct tstr *s)
{
    char qch = *t->p++;

    s->p = t->p;
    s->esc = false;
    s->is_str = true;
    while (t->p < t->end && *t->p != qch) {
        unsigned char ch = (unsigned char)*t->p;
        if (ch == '\n' || (ch < 0x20 && ch != '\t') || ch == 0x7f)
            return terr(t, "unterminated string or control character in a string");
        if (ch == '\\' && qch == '"') {
            if (t->p + 1 >= t->end || strchr("\"\\btnfr", t->p[1]) == NULL || t->p[1] == '\0')
                return terr(t, "unsupported escape in a string");
            s->esc = true;
            t->p++;
        }
        t->p++;
    }
    if (t->p >= t->end)
        return terr(t, "unterminated string");
    s->n = (size_t)(t->p - s->p);
    t->p++;
    if (s->n == 0 && t->p < t->end && *t->p == qch)
        return terr(t, "multi-line strings are not supported");
    return 0;
}

static bool is_bare(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
}

/* One value; strings come back in *s (is_str false for others). */
static int tvalue(struct toml *t, struct tstr *s, unsigned depth)
{
    int rc;

    memset(s, 0, sizeof(*s));
    if (t->p >= t->end)
        return terr(t, "missing value");
    if (*t->p == '"' || *t->p == '\'')
        return tstring(t, s);
    if (*t->p == '[') {
        struct tstr tmp;
        if (depth >= BH_MAX_JSON_DEPTH)
            return terr(t, "arrays nested deeper than BH_MAX_JSON_DEPTH");
        t->p++;
        for (;;) {
            tskip(t, true);
            if (t->p < t->end && *t->p == ']') {
                t->p++;
                return 0;
            }
            if ((rc = tvalue(t, &tmp, depth + 1)) != 0)
                return rc;
            tskip(t, true);
            if (t->p < t->end && *t->p == ',') {
                t->p++;
            } else if (t->p >= t->end || *t->p != ']') {
                return terr(t, "expected ',' or ']' in an array");
            }
        }
    }
    if (*t->p == '{')
        return terr(t, "inline tables are not supported");
    s->p = t->p;
    while (t->p < t->end && (is_bare(*t->p) || *t->p == '.' || *t->p == '+' || *t->p == ':'))
        t->p++;
    if (t->p == s->p)
        return terr(t, "expected a value");
    return 0;
}

/* The bytes of s with escapes resolved, in the arena. */
static char *tdecode(struct bh_arena *a, const struct tstr *s)
{
    char *r = bh_arena_alloc(a, s->n + 1), *o = r;
    size_t i;

    if (r == NULL)
        return NULL;
    for (i = 0; i < s->n; i++) {
        char ch = s->p[i];
        if (s->esc && ch == '\\' && i + 1 < s->n) {
            ch = s->p[++i];
            ch = ch == 'b'   ? '\b'
                 : ch == 't' ? '\t'
                 : ch == 'n' ? '\n'
                 : ch == 'f' ? '\f'
                 : ch == 'r' ? '\r'
                             : ch;
        }
        *o++ = ch;
    }
    *o = '\0';
    return r;
}

struct cargo_pkg {
    struct tstr name, version, source;
    int line; /* of the [[package]] header; 0 when not in one */
};

static int cargo_emit(struct toml *t, struct cargo_pkg *pk)
{
    struct lang_ctx *c = t->c;
    char *name, *ver;
    int rc = 0;

    if (pk->line == 0)
        return 0;
    if (!pk->name.is_str || pk->name.n == 0)
        rc = bh_err_set(c->err, BH_EPARSE, c->file, pk->line, 0, "[[package]] has no name");
    else if (!pk->version.is_str || pk->version.n == 0)
        rc = bh_err_set(c->err, BH_EPARSE, c->file, pk->line, 0, "[[package]] has no version");
    else if (pk->source.is_str) {
        name = tdecode(c->a, &pk->name);
        ver = tdecode(c->a, &pk->version);
        if (name == NULL || ver == NULL)
            return nomem(c);
        rc = add(c, BH_PKG_CARGO, name, strlen(name), ver, strlen(ver), NULL, 0, pk->line);
    }
    memset(pk, 0, sizeof(*pk));
    return rc;
}

static int read_cargo(struct lang_ctx *c, const char *data, size_t len)
{
    struct toml t = {c, data, data + len, 1};
    struct cargo_pkg pk;
    struct tstr key, val, *slot;
    const char *h;
    int rc;

    memset(&pk, 0, sizeof(pk));
    for (;;) {
        tskip(&t, true);
        if (t.p >= t.end)
            break;
        if (*t.p == '[') {
            bool aot = t.p + 1 < t.end && t.p[1] == '[';
            if ((rc = cargo_emit(&t, &pk)) != 0)
                return rc;
            t.p += aot ? 2 : 1;
            h = t.p;
            while (t.p < t.end && *t.p != ']' && *t.p != '\n')
                t.p++;
            if (t.p >= t.end || *t.p != ']' || (aot && (t.p + 1 >= t.end || t.p[1] != ']')))
                return terr(&t, "unterminated table header");
            if (aot && (size_t)(t.p - h) == 7 && memcmp(h, "package", 7) == 0)
                pk.line = t.line;
            t.p += aot ? 2 : 1;
        } else {
            if (*t.p == '"' || *t.p == '\'') {
                if ((rc = tstring(&t, &key)) != 0)
                    return rc;
            } else {
                key.p = t.p;
                key.esc = false;
                while (t.p < t.end && is_bare(*t.p))
                    t.p++;
                key.n = (size_t)(t.p - key.p);
                if (key.n == 0)
                    return terr(&t, "expected a key, a table header or a comment");
            }
            tskip(&t, false);
            if (t.p >= t.end || *t.p != '=')
                return terr(&t, "expected '=' after a key");
            t.p++;
            tskip(&t, false);
            if ((rc = tvalue(&t, &val, 0)) != 0)
                return rc;
            slot = NULL;
            if (pk.line != 0 && !key.esc) {
                if (key.n == 4 && memcmp(key.p, "name", 4) == 0)
                    slot = &pk.name;
                else if (key.n == 7 && memcmp(key.p, "version", 7) == 0)
                    slot = &pk.version;
                else if (key.n == 6 && memcmp(key.p, "source", 6) == 0)
                    slot = &pk.source;
            }
            if (slot != NULL) {
                if (slot->is_str || slot->p != NULL)
                    return terr(&t, "key repeated in a [[package]] table");
                if (!val.is_str)
                    return terr(&t, "name, version and source must be strings");
                *slot = val;
            }
        }
        tskip(&t, false);
        if (t.p < t.end && *t.p != '\n')
            return terr(&t, "unexpected text after a value");
    }
    return cargo_emit(&t, &pk);
}

int bh_pkgdb_cargo(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                   struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_cargo(&c, data, len));
}

/* ---- RubyGems gemspec -------------------------------------------------------------------- */

/*
 * A plain Ruby string literal at *s: "x", 'x' or %q{x}, then an optional .freeze. Escapes
 * and interpolation make it not plain (false). Advances *s past it.
 */
static bool ruby_str(const char **s, const char *end, const char **v, size_t *vn)
{
    const char *p = *s, *q;
    char close;

    if (p < end && (*p == '"' || *p == '\'')) {
        close = *p++;
    } else if (end - p >= 3 && p[0] == '%' && p[1] == 'q' && strchr("{([<", p[2]) != NULL &&
               p[2] != '\0') {
        close = p[2] == '{' ? '}' : p[2] == '(' ? ')' : p[2] == '[' ? ']' : '>';
        p += 3;
    } else {
        return false;
    }
    for (q = p; q < end && *q != close; q++)
        if (*q == '\\' || (*q == '#' && q + 1 < end && q[1] == '{') || (close == '}' && *q == '{'))
            return false;
    if (q >= end)
        return false;
    *v = p;
    *vn = (size_t)(q - p);
    p = q + 1;
    if (end - p >= 7 && memcmp(p, ".freeze", 7) == 0)
        p += 7;
    *s = p;
    return true;
}

/* Only spaces, or a comment, remain. */
static bool ruby_rest_empty(const char *p, const char *end)
{
    while (p < end && is_sp(*p))
        p++;
    return p == end || *p == '#';
}

struct gem_field {
    const char *p;
    size_t n;
    int line;
};

/* `["MIT".freeze, "Ruby".freeze]` into "MIT OR Ruby" (NULL for [] or anything else). */
static const char *ruby_str_list(struct bh_arena *a, const char *p, const char *end)
{
    struct bh_buf b = BH_BUF_INIT(BH_MAX_LANGPKG_LICENSE + 1);
    const char *v;
    char *res = NULL;
    size_t vn;

    if (p >= end || *p++ != '[')
        return NULL;
    for (;;) {
        while (p < end && is_sp(*p))
            p++;
        if (p < end && *p == ']') {
            p++;
            break;
        }
        if (!ruby_str(&p, end, &v, &vn))
            goto out;
        if (b.len > 0)
            bh_buf_puts(&b, " OR ");
        bh_buf_append(&b, v, vn);
        while (p < end && is_sp(*p))
            p++;
        if (p < end && *p == ',')
            p++;
        else if (p >= end || *p != ']')
            goto out;
    }
    if (ruby_rest_empty(p, end) && !b.failed && b.len > 0)
        res = bh_arena_strdup(a, bh_buf_str(&b));
out:
    bh_buf_release(&b);
    return res;
}

static int read_gemspec(struct lang_ctx *c, const char *data, size_t len)
{
    static const char opener[] = "Gem::Specification.new do |";
    struct lines ls = {data, data + len, 0};
    struct gem_field name = {0}, ver = {0}, lic = {0}, *f;
    const char *l, *end, *p, *var = NULL, *v, *field, *lics = NULL;
    char q[QUOTE_MAX * 4 + 8];
    size_t n, var_n = 0, fn, vn;
    int rc, opened = 0;

    while (next_line(c, &ls, &l, &n, &rc)) {
        end = l + n;
        p = l;
        while (p < end && is_sp(*p))
            p++;
        if (var == NULL) {
            if ((size_t)(end - p) > sizeof(opener) - 1 &&
                memcmp(p, opener, sizeof(opener) - 1) == 0) {
                var = p + sizeof(opener) - 1;
                while (var + var_n < end && is_bare(var[var_n]))
                    var_n++;
                if (var_n == 0 || var + var_n >= end || var[var_n] != '|')
                    return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 0,
                                      "Gem::Specification.new block without a variable");
                opened = ls.no;
            }
            continue;
        }
        /* VAR.FIELD = VALUE */
        if ((size_t)(end - p) <= var_n + 1 || memcmp(p, var, var_n) != 0 || p[var_n] != '.')
            continue;
        field = p + var_n + 1;
        for (fn = 0; field + fn < end && is_bare(field[fn]); fn++)
            ;
        p = field + fn;
        while (p < end && is_sp(*p))
            p++;
        if (p >= end || *p != '=' || (p + 1 < end && p[1] == '='))
            continue;
        p++;
        while (p < end && is_sp(*p))
            p++;
        f = NULL;
        if (fn == 4 && memcmp(field, "name", 4) == 0)
            f = &name;
        else if (fn == 7 && memcmp(field, "version", 7) == 0)
            f = &ver;
        else if (fn == 7 && memcmp(field, "license", 7) == 0)
            f = &lic;
        else if (fn == 8 && memcmp(field, "licenses", 8) == 0) {
            lics = ruby_str_list(c->a, p, end);
            continue;
        }
        if (f == NULL)
            continue;
        if (f->line != 0)
            return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 0, "'%s' assigned twice",
                              quote(q, sizeof(q), field, fn));
        f->line = ls.no;
        if (!ruby_str(&p, end, &v, &vn) || !ruby_rest_empty(p, end)) {
            if (f == &lic)
                continue; /* informational: an expression there only loses the license */
            return bh_err_set(c->err, BH_EPARSE, c->file, ls.no, 0,
                              "'%s' is not a plain string literal", quote(q, sizeof(q), field, fn));
        }
        f->p = v;
        f->n = vn;
    }
    if (rc != 0)
        return rc;
    if (opened == 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, 1, 0, "no Gem::Specification.new block");
    if (name.n == 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, name.line != 0 ? name.line : opened, 0,
                          "gemspec has no name");
    if (ver.n == 0)
        return bh_err_set(c->err, BH_EPARSE, c->file, ver.line != 0 ? ver.line : opened, 0,
                          "gemspec has no version");
    if (lic.n == 0 && lics != NULL) {
        lic.p = lics;
        lic.n = strlen(lics);
    }
    return add(c, BH_PKG_GEM, name.p, name.n, ver.p, ver.n, lic.p, lic.n, name.line);
}

int bh_pkgdb_gemspec(struct bh_arena *a, const char *file, const char *data, size_t len, int layer,
                     struct bh_packages *out, struct bh_err *err)
{
    struct lang_ctx c;
    size_t n0 = out->n;
    int rc = begin(&c, a, file, len, layer, out, err);

    return finish(out, n0, rc != 0 ? rc : read_gemspec(&c, data, len));
}

/* ---- dispatch ------------------------------------------------------------------------- */

enum lang_reader { R_NONE, R_NPM, R_NPM_LOCK, R_PYTHON, R_COMPOSER, R_GEM, R_CARGO };

/* The path's components counted from the end: comps[0] is the file name. */
#define LANG_COMPS 4

struct comp {
    const char *p;
    size_t n;
};

static bool ceq(const struct comp *c, const char *s)
{
    return c->p != NULL && c->n == strlen(s) && memcmp(c->p, s, c->n) == 0;
}

static bool cends(const struct comp *c, const char *s)
{
    size_t n = strlen(s);

    return c->p != NULL && c->n > n && memcmp(c->p + c->n - n, s, n) == 0;
}

static enum lang_reader pick(const char *path, enum bh_pkg_kind *kind)
{
    struct comp cs[LANG_COMPS];
    const char *end, *s;
    bool in_nm = false;
    enum lang_reader r = R_NONE;
    enum bh_pkg_kind k = BH_PKG_NPM;
    int i;

    if (path == NULL)
        return R_NONE;
    memset(cs, 0, sizeof(cs));
    end = path + strlen(path);
    for (i = 0; i < LANG_COMPS && end > path; i++) {
        for (s = end; s > path && s[-1] != '/'; s--)
            ;
        cs[i].p = s;
        cs[i].n = (size_t)(end - s);
        end = s > path ? s - 1 : s;
        if (cs[i].n == 0 || ceq(&cs[i], "."))
            i--; /* "a//b", "./a" */
    }
    for (s = strstr(path, "node_modules"); s != NULL; s = strstr(s + 1, "node_modules"))
        if ((s == path || s[-1] == '/') && (s[12] == '/' || s[12] == '\0'))
            in_nm = true;
    if (ceq(&cs[0], "package.json")) {
        /* node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json */
        if (cs[1].p != NULL && cs[1].p[0] != '@' && cs[1].p[0] != '.' &&
            ceq(&cs[2], "node_modules"))
            r = R_NPM;
        else if (cs[1].p != NULL && cs[1].p[0] != '@' && cs[1].p[0] != '.' && cs[2].p != NULL &&
                 cs[2].p[0] == '@' && cs[2].n > 1 && ceq(&cs[3], "node_modules"))
            r = R_NPM;
    } else if ((ceq(&cs[0], "package-lock.json") || ceq(&cs[0], "npm-shrinkwrap.json")) && !in_nm) {
        r = R_NPM_LOCK;
    } else if ((ceq(&cs[0], "METADATA") && cends(&cs[1], ".dist-info")) ||
               (ceq(&cs[0], "PKG-INFO") && cends(&cs[1], ".egg-info")) ||
               cends(&cs[0], ".egg-info")) {
        r = R_PYTHON, k = BH_PKG_PYPI;
    } else if (ceq(&cs[0], "installed.json") && ceq(&cs[1], "composer") && ceq(&cs[2], "vendor")) {
        r = R_COMPOSER, k = BH_PKG_COMPOSER;
    } else if (cends(&cs[0], ".gemspec") &&
               (ceq(&cs[1], "specifications") ||
                (ceq(&cs[1], "default") && ceq(&cs[2], "specifications")))) {
        r = R_GEM, k = BH_PKG_GEM;
    } else if (ceq(&cs[0], "Cargo.lock")) {
        r = R_CARGO, k = BH_PKG_CARGO;
    }
    if (r != R_NONE && kind != NULL)
        *kind = k;
    return r;
}

bool bh_pkgdb_lang_wants(const char *path, enum bh_pkg_kind *kind)
{
    return pick(path, kind) != R_NONE;
}

int bh_pkgdb_lang_read(struct bh_arena *a, const char *file, const char *data, size_t len,
                       int layer, struct bh_packages *out, struct bh_err *err)
{
    switch (pick(file, NULL)) {
    case R_NPM:
        return bh_pkgdb_npm(a, file, data, len, layer, out, err);
    case R_NPM_LOCK:
        return bh_pkgdb_npm_lock(a, file, data, len, layer, out, err);
    case R_PYTHON:
        return bh_pkgdb_python(a, file, data, len, layer, out, err);
    case R_COMPOSER:
        return bh_pkgdb_composer(a, file, data, len, layer, out, err);
    case R_GEM:
        return bh_pkgdb_gemspec(a, file, data, len, layer, out, err);
    case R_CARGO:
        return bh_pkgdb_cargo(a, file, data, len, layer, out, err);
    case R_NONE:
        break;
    }
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "not a language package file");
}
