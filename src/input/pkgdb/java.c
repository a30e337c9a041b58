/*
 * java.c - Maven packages inside Java archives (JAR, WAR, EAR and the plugin variants):
 * each META-INF/maven/G/A/pom.properties, else META-INF/MANIFEST.MF, else the archive's
 * file name; archives inside archives to BH_MAX_JAR_DEPTH. Zip walking is input/zip.h's;
 * class files are never looked at, and no hashes are computed or looked up.
 */
#include "input/pkgdb/binpkg.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/pkgdb/pkgdb.h"
#include "input/zip.h"

#include <stdint.h>
#include <string.h>

/* Bytes of an image-controlled name quoted in a message. */
#define QUOTE_MAX 96u

/* Packages already recorded by this call, to list one (name, version, path) once. */
struct seen {
    size_t *slot; /* index into out->v plus one; 0 = empty */
    size_t cap, n;
};

/* One call of bh_java_read: shared by every nesting level. */
struct java_ctx {
    struct bh_arena *a;
    const char *file;
    int layer;
    struct bh_packages *out;
    struct bh_err *err;
    struct seen seen;
    uint64_t inflated, budget; /* member bytes handed to us over all levels, and the cap */
};

/* One archive being walked: the top one or a nested one. */
struct jar {
    struct java_ctx *c;
    const char *label; /* "app.war" or "app.war!/WEB-INF/lib/x.jar": the packages' path */
    const char *base;  /* the archive's own file name, for the name fallback */
    unsigned depth;
    size_t from_pom; /* packages this archive's own pom.properties gave */
    const char *mf;  /* copy of META-INF/MANIFEST.MF, or NULL */
    size_t mf_n;
};

static int nomem(struct java_ctx *c, const char *label)
{
    return bh_err_set(c->err, BH_ENOMEM, label, 0, 0, "%s: out of memory", label);
}

bool bh_java_wants(const char *path)
{
    static const char *const ext[] = {".jar", ".war", ".ear", ".jpi", ".hpi", ".par"};
    size_t i;

    if (path == NULL)
        return false;
    for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
        if (bh_str_isuffix(path, ext[i]) && strlen(path) > strlen(ext[i]) &&
            path[strlen(path) - strlen(ext[i]) - 1] != '/')
            return true;
    return false;
}

/* ---- recording packages ---------------------------------------------------------------- */

static uint64_t hash3(const char *a, const char *b, const char *c)
{
    const char *parts[3] = {a, b, c};
    uint64_t h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < 3; i++) {
        const unsigned char *p = (const unsigned char *)parts[i];
        for (; *p; p++)
            h = (h ^ *p) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    }
    return h;
}

/* Is the package at index i already recorded? If not, remember it. -1 when out of memory. */
static int seen_add(struct java_ctx *c, size_t i)
{
    struct seen *s = &c->seen;
    const struct bh_package *p = &c->out->v[i], *q;
    size_t k, j, ncap, *nslot;

    if (2 * (s->n + 1) > s->cap) {
        ncap = s->cap ? 2 * s->cap : 64;
        nslot = bh_arena_calloc(c->a, ncap, sizeof(*nslot));
        if (nslot == NULL)
            return -1;
        for (k = 0; k < s->cap; k++) {
            if (s->slot[k] == 0)
                continue;
            q = &c->out->v[s->slot[k] - 1];
            for (j = hash3(q->name, q->version, q->path) & (ncap - 1); nslot[j];
                 j = (j + 1) & (ncap - 1))
                ;
            nslot[j] = s->slot[k];
        }
        s->slot = nslot;
        s->cap = ncap;
    }
    for (j = hash3(p->name, p->version, p->path) & (s->cap - 1); s->slot[j];
         j = (j + 1) & (s->cap - 1)) {
        q = &c->out->v[s->slot[j] - 1];
        if (strcmp(q->name, p->name) == 0 && strcmp(q->version, p->version) == 0 &&
            strcmp(q->path, p->path) == 0)
            return 1;
    }
    s->slot[j] = i + 1;
    s->n++;
    return 0;
}

/* An artifact, group or version usable as written: not empty, no space, control or NUL. */
static bool plain(const char *s, size_t n)
{
    size_t i;

    if (s == NULL || n == 0)
        return false;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return false;
    return true;
}

/*
 * Record "GROUP:ARTIFACT" (or "ARTIFACT" when the group is unknown) at version, found in
 * archive j. Returns 1 when it was there already, 0 when added.
 */
static int add(struct jar *j, const char *g, size_t g_n, const char *art, size_t art_n,
               const char *ver, size_t ver_n)
{
    struct java_ctx *c = j->c;
    struct bh_package *p;
    int r;

    if (c->out->n >= BH_MAX_PKGDB_PACKAGES)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "%s: more than BH_MAX_PKGDB_PACKAGES (%u) packages", j->label,
                          BH_MAX_PKGDB_PACKAGES);
    p = BH_PUSH(c->a, c->out->v, c->out->n, c->out->cap);
    if (p == NULL)
        return nomem(c, j->label);
    p->kind = BH_PKG_MAVEN;
    p->layer = c->layer;
    p->path = j->label;
    p->name = g_n > 0 ? bh_arena_printf(c->a, "%.*s:%.*s", (int)g_n, g, (int)art_n, art)
                      : bh_arena_strndup(c->a, art, art_n);
    p->version = bh_arena_strndup(c->a, ver, ver_n);
    if (c->a->failed || (r = seen_add(c, c->out->n - 1)) < 0)
        return nomem(c, j->label);
    if (r == 1) {
        c->out->n--;
        return 1;
    }
    if ((p->purl = bh_pkgdb_purl(c->a, p, NULL)) == NULL)
        return nomem(c, j->label);
    return 0;
}

/* ---- pom.properties -------------------------------------------------------------------- */

static bool prop_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\f';
}

static void put_utf8(struct bh_buf *b, unsigned cp)
{
    if (cp < 0x80) {
        bh_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        bh_buf_putc(b, (char)(0xc0 | (cp >> 6)));
        bh_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        bh_buf_putc(b, (char)(0xe0 | (cp >> 12)));
        bh_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        bh_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    }
}

/*
 * The unescaped form of (s, n) as java.util.Properties reads keys and values: \t \n \r \f,
 * \uXXXX (as UTF-8; surrogates are not paired, which no Maven coordinate needs), and a
 * backslash before any other character stands for that character. A short \u is an error.
 */
static int prop_unescape(struct bh_buf *b, const char *s, size_t n)
{
    size_t i, k;
    unsigned cp;

    bh_buf_reset(b);
    for (i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            if (s[i] != '\\')
                bh_buf_putc(b, s[i]);
            continue;
        }
        i++;
        switch (s[i]) {
        case 't':
            bh_buf_putc(b, '\t');
            break;
        case 'n':
            bh_buf_putc(b, '\n');
            break;
        case 'r':
            bh_buf_putc(b, '\r');
            break;
        case 'f':
            bh_buf_putc(b, '\f');
            break;
        case 'u':
            if (n - i - 1 < 4)
                return -1;
            for (cp = 0, k = 1; k <= 4; k++) {
                char h = s[i + k];
                cp <<= 4;
                if (h >= '0' && h <= '9')
                    cp |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    cp |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    cp |= (unsigned)(h - 'A' + 10);
                else
                    return -1;
            }
            put_utf8(b, cp);
            i += 4;
            break;
        default:
            bh_buf_putc(b, s[i]);
            break;
        }
    }
    return 0;
}

/* Does the natural line (s, n) end in an odd number of backslashes (a continuation)? */
static bool continues(const char *s, size_t n)
{
    size_t k = 0;

    while (k < n && s[n - 1 - k] == '\\')
        k++;
    return k % 2 == 1;
}

struct pom {
    const char *g, *art, *ver; /* arena copies, or NULL */
};

/* One logical line "key = value" (continuations joined, escapes still in). */
static int prop_line(struct java_ctx *c, const char *label, struct pom *pm, struct bh_buf *kb,
                     struct bh_buf *vb, const char *l, size_t n, int line)
{
    size_t i = 0, ks, ke;
    const char **slot = NULL;
    char q[QUOTE_MAX * 4 + 8];

    ks = i;
    while (i < n && l[i] != '=' && l[i] != ':' && !prop_ws(l[i])) {
        if (l[i] == '\\' && i + 1 < n)
            i++;
        i++;
    }
    ke = i;
    while (i < n && prop_ws(l[i]))
        i++;
    if (i < n && (l[i] == '=' || l[i] == ':')) {
        i++;
        while (i < n && prop_ws(l[i]))
            i++;
    }
    if (prop_unescape(kb, l + ks, ke - ks) != 0 || prop_unescape(vb, l + i, n - i) != 0)
        return bh_err_set(c->err, BH_EPARSE, label, line, 0,
                          "%s: line %d: malformed \\u escape in '%s'", label, line,
                          bh_str_printable_n(q, sizeof(q), l, n, QUOTE_MAX));
    if (kb->failed || vb->failed)
        return nomem(c, label);
    if (strcmp(bh_buf_str(kb), "groupId") == 0)
        slot = &pm->g;
    else if (strcmp(bh_buf_str(kb), "artifactId") == 0)
        slot = &pm->art;
    else if (strcmp(bh_buf_str(kb), "version") == 0)
        slot = &pm->ver;
    if (slot == NULL)
        return 0;
    /* like Properties.load, a later line wins; an unusable value counts as absent */
    *slot = plain(bh_buf_str(vb), vb->len) ? bh_arena_strndup(c->a, bh_buf_str(vb), vb->len) : NULL;
    return c->a->failed ? nomem(c, label) : 0;
}

/* Parse a properties file into *pm. Lines end at \n, \r or \r\n; '#' and '!' comment. */
static int parse_props(struct java_ctx *c, const char *label, const char *s, size_t n,
                       struct pom *pm)
{
    struct bh_buf logical, kb, vb;
    size_t pos = 0, e, st;
    int line = 0, start_line = 0, rc = 0;
    bool joining = false;

    bh_buf_init(&logical, n + 1);
    bh_buf_init(&kb, n + 1);
    bh_buf_init(&vb, n + 1);
    while (pos < n && rc == 0) {
        for (e = pos; e < n && s[e] != '\n' && s[e] != '\r'; e++)
            ;
        line++;
        st = pos;
        pos = e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n' ? e + 2 : e + 1;
        while (st < e && prop_ws(s[st]))
            st++;
        if (!joining) {
            if (st == e || s[st] == '#' || s[st] == '!')
                continue;
            bh_buf_reset(&logical);
            start_line = line;
        }
        joining = continues(s + st, e - st);
        bh_buf_append(&logical, s + st, e - st - (joining ? 1 : 0));
        if (logical.failed) {
            rc = nomem(c, label);
            break;
        }
        if (!joining)
            rc = prop_line(c, label, pm, &kb, &vb, bh_buf_str(&logical), logical.len, start_line);
    }
    if (rc == 0 && joining)
        rc = prop_line(c, label, pm, &kb, &vb, bh_buf_str(&logical), logical.len, start_line);
    bh_buf_release(&logical);
    bh_buf_release(&kb);
    bh_buf_release(&vb);
    return rc;
}

/*
 * META-INF/maven/GROUP/ARTIFACT/pom.properties: the group and artifact of the path, which
 * the groupId and artifactId keys override when present.
 */
static int read_pom(struct jar *j, const char *name, const char *data, size_t len)
{
    const char *g = name + strlen("META-INF/maven/"), *slash, *art, *art_end;
    struct pom pm = {0};
    size_t g_n, art_n;
    int rc;

    if ((slash = strchr(g, '/')) == NULL)
        return 0;
    art = slash + 1;
    if ((art_end = strchr(art, '/')) == NULL || strcmp(art_end, "/pom.properties") != 0)
        return 0;
    if ((rc = parse_props(j->c, j->label, data, len, &pm)) != 0)
        return rc;
    g_n = pm.g != NULL ? strlen(pm.g) : (size_t)(slash - g);
    art_n = pm.art != NULL ? strlen(pm.art) : (size_t)(art_end - art);
    if (pm.g != NULL)
        g = pm.g;
    if (pm.art != NULL)
        art = pm.art;
    /* a pom.properties without a version (or with odd path parts) names nothing to match */
    if (pm.ver == NULL || !plain(g, g_n) || !plain(art, art_n))
        return 0;
    rc = add(j, g, g_n, art, art_n, pm.ver, strlen(pm.ver));
    if (rc < 0)
        return rc;
    j->from_pom++;
    return 0;
}

/* ---- MANIFEST.MF and the file name ----------------------------------------------------- */

struct manifest {
    const char *impl_title, *impl_ver, *impl_vendor_id;
    const char *bundle_name, *bundle_ver, *spec_title, *spec_ver;
};

/*
 * The main section (up to the first empty line) of a manifest: "Name: value" lines of at
 * most 72 bytes, each continued by lines that start with one space. Only the attributes
 * struct manifest holds are kept; names compare case-insensitively as the spec says.
 */
static int parse_manifest(struct java_ctx *c, const char *label, const char *s, size_t n,
                          struct manifest *m)
{
    static const struct {
        const char *name;
        size_t off;
    } keys[] = {
        {"Implementation-Title", offsetof(struct manifest, impl_title)},
        {"Implementation-Version", offsetof(struct manifest, impl_ver)},
        {"Implementation-Vendor-Id", offsetof(struct manifest, impl_vendor_id)},
        {"Bundle-SymbolicName", offsetof(struct manifest, bundle_name)},
        {"Bundle-Version", offsetof(struct manifest, bundle_ver)},
        {"Specification-Title", offsetof(struct manifest, spec_title)},
        {"Specification-Version", offsetof(struct manifest, spec_ver)},
    };
    struct bh_buf hdr;
    size_t pos = 0, e, k;
    int rc = 0;

    memset(m, 0, sizeof(*m));
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        pos = 3;
    bh_buf_init(&hdr, n + 1);
    for (;;) {
        bool end = pos >= n;
        if (!end) {
            for (e = pos; e < n && s[e] != '\n' && s[e] != '\r'; e++)
                ;
        } else {
            e = pos;
        }
        /* a continuation line joins the header being built */
        if (!end && e > pos && s[pos] == ' ' && hdr.len > 0) {
            bh_buf_append(&hdr, s + pos + 1, e - pos - 1);
        } else {
            if (hdr.len > 0) {
                const char *h = bh_buf_str(&hdr), *colon = memchr(h, ':', hdr.len);
                if (colon != NULL) {
                    size_t name_n = (size_t)(colon - h), vs = name_n + 1, ve = hdr.len;
                    while (vs < ve && (h[vs] == ' ' || h[vs] == '\t'))
                        vs++;
                    while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t'))
                        ve--;
                    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
                        if (!bh_str_ieqn(h, name_n, keys[k].name) || ve == vs ||
                            memchr(h + vs, '\0', ve - vs) != NULL)
                            continue;
                        *(const char **)(void *)((char *)m + keys[k].off) =
                            bh_arena_strndup(c->a, h + vs, ve - vs);
                    }
                }
                bh_buf_reset(&hdr);
            }
            if (end || e == pos)
                break; /* the end of the main section */
            bh_buf_append(&hdr, s + pos, e - pos);
        }
        if (hdr.failed || c->a->failed) {
            rc = nomem(c, label);
            break;
        }
        pos = e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n' ? e + 2 : e + 1;
    }
    bh_buf_release(&hdr);
    return rc;
}

/* "commons-lang3-3.12.0.jar": the name before the first '-' followed by a digit, the rest. */
static bool split_file_name(const char *base, size_t *name_n, const char **ver, size_t *ver_n)
{
    const char *dot = strrchr(base, '.');
    size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base), i;

    for (i = 1; i + 1 < n; i++) {
        if (base[i] == '-' && base[i + 1] >= '0' && base[i + 1] <= '9') {
            *name_n = i;
            *ver = base + i + 1;
            *ver_n = n - i - 1;
            return true;
        }
    }
    *name_n = n;
    *ver = NULL;
    *ver_n = 0;
    return false;
}

/* An artifact name from a manifest attribute: the OSGi name before its ';' parameters. */
static const char *mf_name(const char *v, size_t *n)
{
    const char *semi;

    if (v == NULL)
        return NULL;
    semi = strchr(v, ';');
    *n = semi != NULL ? (size_t)(semi - v) : strlen(v);
    while (*n > 0 && (v[*n - 1] == ' ' || v[*n - 1] == '\t'))
        (*n)--;
    return plain(v, *n) ? v : NULL;
}

/*
 * An archive without pom.properties: the manifest's version (Implementation-, then Bundle-,
 * then Specification-Version) under the manifest's name (Implementation-Title, then
 * Bundle-SymbolicName, then Specification-Title, where it is one word) or the file name's,
 * with Implementation-Vendor-Id as the group; else name and version from the file name.
 */
static int fallback(struct jar *j)
{
    struct manifest m;
    const char *name = NULL, *ver = NULL, *g = NULL, *fver;
    size_t name_n = 0, ver_n = 0, g_n = 0, fname_n, fver_n;
    bool fsplit = split_file_name(j->base, &fname_n, &fver, &fver_n);
    int rc;

    if (j->mf != NULL) {
        if ((rc = parse_manifest(j->c, j->label, j->mf, j->mf_n, &m)) != 0)
            return rc;
        ver = m.impl_ver != NULL ? m.impl_ver : m.bundle_ver != NULL ? m.bundle_ver : m.spec_ver;
        if (ver != NULL && !plain(ver, ver_n = strlen(ver)))
            ver = NULL;
        if ((name = mf_name(m.impl_title, &name_n)) == NULL &&
            (name = mf_name(m.bundle_name, &name_n)) == NULL)
            name = mf_name(m.spec_title, &name_n);
        if ((g = mf_name(m.impl_vendor_id, &g_n)) == NULL)
            g_n = 0;
    }
    if (ver != NULL) {
        if (name == NULL && plain(j->base, fname_n)) {
            name = j->base;
            name_n = fname_n;
        }
        rc = name != NULL ? add(j, g, g_n, name, name_n, ver, ver_n) : 0;
    } else if (fsplit && plain(j->base, fname_n) && plain(fver, fver_n)) {
        rc = add(j, NULL, 0, j->base, fname_n, fver, fver_n);
    } else {
        rc = 0;
    }
    return rc < 0 ? rc : 0; /* 1, already listed, is no error */
}

/* ---- walking --------------------------------------------------------------------------- */

static int walk(struct jar *j, const void *data, size_t len);

/* Strip the "./" and "/" a few zip writers put before member names. */
static const char *member_name(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

static int on_member(void *ctx, const char *raw, const void *data, size_t len, struct bh_err *err)
{
    struct jar *j = ctx, child;
    struct java_ctx *c = j->c;
    const char *name = member_name(raw), *slash;
    char q[QUOTE_MAX * 4 + 8];
    int rc;

    (void)err;
    c->inflated += len;
    if (c->inflated > c->budget)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "%s: archives inside it inflate to more than BH_MAX_ZIP_RATIO (%u) "
                          "times its size",
                          c->file, BH_MAX_ZIP_RATIO);
    if (bh_str_prefix(name, "META-INF/maven/") && bh_str_suffix(name, "/pom.properties"))
        return read_pom(j, name, data, len);
    if (bh_str_ieq(name, "META-INF/MANIFEST.MF")) {
        j->mf = bh_arena_strndup(c->a, data, len);
        j->mf_n = len;
        return j->mf == NULL ? nomem(c, j->label) : 0;
    }
    /* a member named like an archive that is not a zip is some other file: skipped */
    if (!bh_java_wants(name) || !bh_zip_magic(data, len))
        return 0;
    if (j->depth + 1 > BH_MAX_JAR_DEPTH)
        return bh_err_set(c->err, BH_ELIMIT, c->file, 0, 0,
                          "%s: archive '%s' nested deeper than BH_MAX_JAR_DEPTH (%u)", j->label,
                          bh_str_printable(q, sizeof(q), name, QUOTE_MAX), BH_MAX_JAR_DEPTH);
    memset(&child, 0, sizeof(child));
    child.c = c;
    child.depth = j->depth + 1;
    child.label = bh_arena_printf(c->a, "%s!/%s", j->label, name);
    slash = strrchr(name, '/');
    child.base = slash != NULL ? slash + 1 : name;
    if (child.label == NULL)
        return nomem(c, j->label);
    rc = walk(&child, data, len);
    return rc < 0 ? rc : 0;
}

static int walk(struct jar *j, const void *data, size_t len)
{
    int rc = bh_zip_walk_mem(j->label, data, len, BH_MAX_JAR_BYTES, on_member, j, j->c->err);

    if (rc < 0)
        return rc;
    return j->from_pom == 0 ? fallback(j) : 0;
}

int bh_java_read(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err)
{
    struct java_ctx c;
    struct jar top;
    const char *slash, *label = file != NULL ? file : "";
    size_t n0 = out->n;
    int rc;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.file = label;
    c.layer = layer;
    c.out = out;
    c.err = err;
    if (len > BH_MAX_JAR_BYTES)
        return bh_err_set(err, BH_ELIMIT, label, 0, 0,
                          "%s: archive larger than BH_MAX_JAR_BYTES (%u bytes)", label,
                          BH_MAX_JAR_BYTES);
    if (data == NULL || !bh_zip_magic(data, len))
        return bh_err_set(err, BH_EPARSE, label, 0, 0, "%s: not a zip archive", label);
    c.budget = (uint64_t)len * BH_MAX_ZIP_RATIO + (1u << 20);
    memset(&top, 0, sizeof(top));
    top.c = &c;
    top.label = bh_arena_strdup(a, label);
    slash = strrchr(label, '/');
    top.base = slash != NULL ? slash + 1 : label;
    if (top.label == NULL)
        return nomem(&c, label);
    rc = walk(&top, data, len);
    if (rc < 0)
        out->n = n0;
    return rc < 0 ? rc : 0;
}
