/*
 * spdx.c - the SPDX 2.3 JSON document of a report's image or root filesystem target: a
 * root package for the target, one package per installed package (purl as an external
 * reference, where it was found as sourceInfo) and the DESCRIBES / CONTAINS relationships.
 * Vulnerabilities are not part of SPDX 2.3 (CycloneDX carries them). One document, one
 * target: the first image or rootfs target. Same input, same bytes (SOURCE_DATE_EPOCH).
 */
#include "report/report.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/layer.h"
#include "report/jsonw.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * NEEDSWORK: pick_target, sbom_time, content_uuid and the licence table are kept in step
 * with cyclonedx.c by hand; a shared report/sbom.h would hold them once.
 */

static const struct bh_target *pick_target(const struct bh_report *r)
{
    size_t i;

    for (i = 0; i < r->ntargets; i++)
        if (r->targets[i].kind == BH_KIND_IMAGE || r->targets[i].kind == BH_KIND_ROOTFS)
            return &r->targets[i];
    return NULL;
}

/* RFC 3339 UTC "now", or SOURCE_DATE_EPOCH when set, for reproducible documents. */
static void sbom_time(char out[32])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    long long v = (long long)time(NULL);
    struct tm tm;
    time_t t;

    if (env && *env) {
        long long e;

        if (bh_parse_int(env, strlen(env), 0, 253402300799LL, &e) == 0)
            v = e;
    }
    t = (time_t)v;
    if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

static void hash_str(struct bh_sha256 *h, const char *s)
{
    /* a NUL after every field keeps ("ab","c") and ("a","bc") apart; NULL differs from "" */
    if (s)
        bh_sha256_update(h, s, strlen(s) + 1);
    else
        bh_sha256_update(h, "\x01", 2);
}

/*
 * A name-based UUID from what the document says (tag, target, OS, packages): SHA-256
 * truncated to 128 bits with the version nibble 5 and the RFC 4122 variant (as in
 * cyclonedx.c). Returns BH_ENOMEM when hashing fails.
 */
static int content_uuid(const char *tag, const struct bh_target *t, char out[40])
{
    struct bh_sha256 *h = bh_sha256_begin();
    char hex[80], num[32];
    const char *x;
    size_t i;
    int v;

    if (!h)
        return BH_ENOMEM;
    hash_str(h, tag);
    if (t) {
        hash_str(h, t->target);
        hash_str(h, bh_target_kind_name(t->kind));
        hash_str(h, t->image_id);
        hash_str(h, t->os.id);
        hash_str(h, t->os.version_id);
        for (i = 0; i < t->packages.n; i++) {
            const struct bh_package *p = &t->packages.v[i];

            hash_str(h, bh_pkg_kind_name(p->kind));
            hash_str(h, p->name);
            hash_str(h, p->version);
            hash_str(h, p->purl);
            hash_str(h, p->path);
            hash_str(h, p->license);
            snprintf(num, sizeof(num), "%d", p->layer);
            hash_str(h, num);
        }
    }
    bh_sha256_end(h, hex);
    if (strlen(hex) != 71)
        return BH_ENOMEM;
    x = hex + 7;
    v = x[16] <= '9' ? x[16] - '0' : x[16] - 'a' + 10;
    snprintf(out, 40, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", x, x + 8, x + 13, "89ab"[v & 3], x + 17,
             x + 20);
    return 0;
}

/*
 * Licence ids we vouch for: each is on the SPDX licence list (tests/sbom/run.sh checks
 * this table against the list CycloneDX's schema carries). Text made of these, AND, OR,
 * WITH, "+" and parentheses is a licence expression; anything else is only a name.
 */
static const char *const spdx_ids[] = {
    "0BSD",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "curl",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "FTL",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ICU",
    "IJG",
    "Info-ZIP",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libpng-2.0",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "Unicode-DFS-2016",
    "Unlicense",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
    NULL,
};
static const char *const spdx_exceptions[] = {
    "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
    "GCC-exception-3.1",      "LLVM-exception",      NULL,
};

#define LIC_MAX_DEPTH 8

struct lic {
    const char *p; /* cursor in the licence text */
    char *out;
    size_t len, cap;
    int depth;
    bool ok;
    size_t terms; /* licence ids seen */
    bool compound;
};

static const char *lookup(const char *const *table, const char *s, size_t n)
{
    size_t i;

    for (i = 0; table[i]; i++)
        if (bh_str_ieqn(s, n, table[i]))
            return table[i];
    return NULL;
}

static void lic_put(struct lic *L, const char *s, size_t n)
{
    if (L->len + n + 1 > L->cap) {
        L->ok = false;
        return;
    }
    memcpy(L->out + L->len, s, n);
    L->len += n;
    L->out[L->len] = '\0';
}

/* The next token: "(", ")" or a word of id characters; length 0 at the end. */
static size_t lic_token(struct lic *L, const char **tok)
{
    const char *s;

    while (*L->p == ' ' || *L->p == '\t')
        L->p++;
    *tok = L->p;
    if (*L->p == '(' || *L->p == ')')
        return 1;
    for (s = L->p; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+';
         s++)
        ;
    if (s == L->p && *s)
        L->ok = false; /* a character no expression has */
    return (size_t)(s - L->p);
}

static void lic_expr(struct lic *L);

static void lic_term(struct lic *L)
{
    const char *tok, *id;
    size_t n = lic_token(L, &tok);
    bool plus;

    if (!L->ok || n == 0) {
        L->ok = false;
        return;
    }
    if (*tok == '(') {
        L->p += 1;
        if (++L->depth > LIC_MAX_DEPTH) {
            L->ok = false;
            return;
        }
        lic_put(L, "(", 1);
        lic_expr(L);
        n = lic_token(L, &tok);
        if (!L->ok || n != 1 || *tok != ')') {
            L->ok = false;
            return;
        }
        L->p += 1;
        L->depth--;
        lic_put(L, ")", 1);
        L->compound = true;
        return;
    }
    plus = tok[n - 1] == '+';
    id = lookup(spdx_ids, tok, plus ? n - 1 : n);
    if (!id) {
        L->ok = false;
        return;
    }
    L->p += n;
    L->terms++;
    lic_put(L, id, strlen(id));
    if (plus) {
        lic_put(L, "+", 1);
        L->compound = true;
    }
    n = lic_token(L, &tok);
    if (n == 4 && !memcmp(tok, "WITH", 4)) {
        L->p += n;
        n = lic_token(L, &tok);
        id = n ? lookup(spdx_exceptions, tok, n) : NULL;
        if (!id) {
            L->ok = false;
            return;
        }
        L->p += n;
        lic_put(L, " WITH ", 6);
        lic_put(L, id, strlen(id));
        L->compound = true;
    }
}

static void lic_expr(struct lic *L)
{
    const char *tok;
    size_t n;

    lic_term(L);
    while (L->ok) {
        n = lic_token(L, &tok);
        if (n == 3 && !memcmp(tok, "AND", 3))
            lic_put(L, " AND ", 5);
        else if (n == 2 && !memcmp(tok, "OR", 2))
            lic_put(L, " OR ", 4);
        else
            return;
        L->p += n;
        L->compound = true;
        lic_term(L);
    }
}

/*
 * Is text a licence expression of ids we vouch for? Then out holds it with the ids in
 * their canonical spelling and *single says it is one plain id. Operators must be upper
 * case (lower-case "and" is as likely prose as an operator).
 */
static bool license_expr(const char *text, char *out, size_t cap, bool *single)
{
    struct lic L = {.p = text, .out = out, .cap = cap, .ok = true};
    const char *tok;

    out[0] = '\0';
    lic_expr(&L);
    if (L.ok && lic_token(&L, &tok) != 0)
        L.ok = false; /* trailing text, e.g. "MIT BSD" without an operator */
    *single = L.ok && L.terms == 1 && !L.compound;
    return L.ok;
}

/* ---- the document ---- */

/*
 * SPDXRef-<kind>-<index>-<name>: the index makes it unique, the name makes it readable;
 * characters an idstring may not hold (only letters, digits, '.' and '-') become '-'.
 */
static const char *spdx_id(struct bh_arena *a, const char *kind, size_t i, const char *name)
{
    char *s = bh_arena_printf(a, "SPDXRef-%s-%zu-%.64s", kind, i, name ? name : "");
    char *q;

    for (q = s ? s + 8 : NULL; q && *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              *q == '.' || *q == '-'))
            *q = '-';
    return s;
}

static void relationship(struct bh_jsonw *w, const char *from, const char *type, const char *to)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "spdxElementId", from);
    bh_jsonw_kv_string(w, "relationshipType", type);
    bh_jsonw_kv_string(w, "relatedSpdxElement", to);
    bh_jsonw_end_object(w);
}

static void write_root(struct bh_jsonw *w, const struct bh_target *t)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "SPDXID", "SPDXRef-Target");
    bh_jsonw_kv_string(w, "name", t->target ? t->target : "");
    if (t->image_id)
        bh_jsonw_kv_string(w, "versionInfo", t->image_id);
    bh_jsonw_kv_string(w, "downloadLocation", "NOASSERTION");
    bh_jsonw_kv_bool(w, "filesAnalyzed", false);
    bh_jsonw_kv_string(w, "licenseConcluded", "NOASSERTION");
    bh_jsonw_kv_string(w, "licenseDeclared", "NOASSERTION");
    bh_jsonw_kv_string(w, "copyrightText", "NOASSERTION");
    bh_jsonw_kv_string(w, "primaryPackagePurpose", t->kind == BH_KIND_IMAGE ? "CONTAINER" : "FILE");
    bh_jsonw_end_object(w);
}

static void write_os(struct bh_jsonw *w, const struct bh_osinfo *os)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "SPDXID", "SPDXRef-OperatingSystem");
    bh_jsonw_kv_string(w, "name", os->id);
    if (os->version_id)
        bh_jsonw_kv_string(w, "versionInfo", os->version_id);
    bh_jsonw_kv_string(w, "downloadLocation", "NOASSERTION");
    bh_jsonw_kv_bool(w, "filesAnalyzed", false);
    bh_jsonw_kv_string(w, "licenseConcluded", "NOASSERTION");
    bh_jsonw_kv_string(w, "licenseDeclared", "NOASSERTION");
    bh_jsonw_kv_string(w, "copyrightText", "NOASSERTION");
    if (os->pretty)
        bh_jsonw_kv_string(w, "description", os->pretty);
    bh_jsonw_kv_string(w, "primaryPackagePurpose", "OPERATING-SYSTEM");
    bh_jsonw_end_object(w);
}

static void write_package(struct bh_jsonw *w, struct bh_arena *a, const struct bh_package *p,
                          const char *id)
{
    char expr[BH_MAX_LANGPKG_LICENSE * 4];
    const char *info;
    bool single;

    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "SPDXID", id);
    bh_jsonw_kv_string(w, "name", p->name ? p->name : "");
    if (p->version && *p->version)
        bh_jsonw_kv_string(w, "versionInfo", p->version);
    bh_jsonw_kv_string(w, "downloadLocation", "NOASSERTION");
    bh_jsonw_kv_bool(w, "filesAnalyzed", false);
    /* we read what the package says, we did not conclude anything from its files */
    bh_jsonw_kv_string(w, "licenseConcluded", "NOASSERTION");
    bh_jsonw_kv_string(
        w, "licenseDeclared",
        p->license && license_expr(p->license, expr, sizeof(expr), &single) ? expr : "NOASSERTION");
    if (p->license && *p->license && strcmp(p->license, expr) != 0)
        bh_jsonw_kv_string(w, "licenseComments", p->license); /* as the package wrote it */
    bh_jsonw_kv_string(w, "copyrightText", "NOASSERTION");
    if (p->src_name) {
        info = p->src_version
                   ? bh_arena_printf(a, "source package %s %s", p->src_name, p->src_version)
                   : bh_arena_printf(a, "source package %s", p->src_name);
        if (info)
            bh_jsonw_kv_string(w, "summary", info);
    }
    if (p->layer >= 0)
        info = bh_arena_printf(a, "%s: %s, layer %d", bh_pkg_kind_name(p->kind),
                               p->path ? p->path : "?", p->layer);
    else
        info = bh_arena_printf(a, "%s: %s", bh_pkg_kind_name(p->kind), p->path ? p->path : "?");
    if (info)
        bh_jsonw_kv_string(w, "sourceInfo", info);
    if (p->purl && *p->purl) {
        bh_jsonw_key(w, "externalRefs");
        bh_jsonw_begin_array(w);
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "referenceCategory", "PACKAGE-MANAGER");
        bh_jsonw_kv_string(w, "referenceType", "purl");
        bh_jsonw_kv_string(w, "referenceLocator", p->purl);
        bh_jsonw_end_object(w);
        bh_jsonw_end_array(w);
    }
    bh_jsonw_end_object(w);
}

int bh_report_write_spdx(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    const struct bh_target *t = pick_target(r);
    struct bh_jsonw w;
    struct bh_arena a;
    const char **ids = NULL, *ns, *creator;
    char uuid[40], when[32];
    size_t i, n = t ? t->packages.n : 0;
    int rc;

    (void)o;
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    rc = content_uuid("spdx", t, uuid);
    ids = bh_arena_calloc(&a, n ? n : 1, sizeof(*ids));
    for (i = 0; ids && i < n; i++)
        ids[i] = spdx_id(&a, "Package", i, t->packages.v[i].name);
    /* a URI unique to this content (SPDX 2.3 section 6.5); it need not resolve */
    ns = bh_arena_printf(&a, "https://bulkhead.dev/spdxdocs/%s-%s",
                         t && t->kind == BH_KIND_IMAGE ? "image" : "rootfs", uuid);
    creator = bh_arena_printf(&a, "Tool: bulkhead-%s", r->tool_version ? r->tool_version : "");
    if (rc || a.failed) {
        bh_arena_release(&a);
        return BH_ENOMEM;
    }
    sbom_time(when);
    bh_jsonw_init(&w, out, true);
    bh_jsonw_begin_object(&w);
    bh_jsonw_kv_string(&w, "spdxVersion", "SPDX-2.3");
    bh_jsonw_kv_string(&w, "dataLicense", "CC0-1.0");
    bh_jsonw_kv_string(&w, "SPDXID", "SPDXRef-DOCUMENT");
    bh_jsonw_kv_string(&w, "name", t && t->target ? t->target : "bulkhead");
    bh_jsonw_kv_string(&w, "documentNamespace", ns);
    bh_jsonw_key(&w, "creationInfo");
    bh_jsonw_begin_object(&w);
    bh_jsonw_kv_string(&w, "created", when);
    bh_jsonw_key(&w, "creators");
    bh_jsonw_begin_array(&w);
    bh_jsonw_string(&w, creator);
    bh_jsonw_end_array(&w);
    bh_jsonw_end_object(&w);
    bh_jsonw_key(&w, "packages");
    bh_jsonw_begin_array(&w);
    if (t) {
        write_root(&w, t);
        if (t->os.id)
            write_os(&w, &t->os);
        for (i = 0; i < n; i++)
            write_package(&w, &a, &t->packages.v[i], ids[i]);
    }
    bh_jsonw_end_array(&w);
    bh_jsonw_key(&w, "relationships");
    bh_jsonw_begin_array(&w);
    if (t) {
        relationship(&w, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target");
        if (t->os.id)
            relationship(&w, "SPDXRef-Target", "CONTAINS", "SPDXRef-OperatingSystem");
        for (i = 0; i < n; i++)
            relationship(&w, "SPDXRef-Target", "CONTAINS", ids[i]);
    }
    bh_jsonw_end_array(&w);
    bh_jsonw_end_object(&w);
    rc = bh_jsonw_finish(&w);
    bh_arena_release(&a);
    return rc;
}
