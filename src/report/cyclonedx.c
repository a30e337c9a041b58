/*
 * cyclonedx.c - the CycloneDX 1.5 JSON SBOM of a report's image or root filesystem target:
 * the target as metadata component, its OS and packages as components (purl, licence,
 * where found), and the vulnerability matches when a database was used. One document
 * describes one target: the first image or rootfs target (commands refuse several). The
 * serial number is derived from the content, so the same input gives the same bytes.
 */
#include "report/report.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/layer.h"
#include "model/vuln.h"
#include "report/jsonw.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * NEEDSWORK: pick_target, sbom_time, content_uuid and the licence table are kept in step
 * with spdx.c by hand; a shared report/sbom.h would hold them once.
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
 * A name-based UUID from what the document says (tag, target, OS, packages, matches):
 * SHA-256 truncated to 128 bits with the version nibble 5 and the RFC 4122 variant, the
 * form CycloneDX's serialNumber pattern accepts. Returns BH_ENOMEM when hashing fails.
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
        for (i = 0; t->vulns && i < t->nvulns; i++) {
            hash_str(h, t->vulns[i].id);
            snprintf(num, sizeof(num), "%zu", t->vulns[i].pkg);
            hash_str(h, num);
            hash_str(h, t->vulns[i].fixed);
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

struct cdx {
    struct bh_jsonw w;
    struct bh_arena a;
    const struct bh_target *t;
    const char **refs; /* bom-ref of each package */
};

static const char *cdx_sev(enum bh_severity s)
{
    switch (s) {
    case BH_SEV_CRITICAL:
        return "critical";
    case BH_SEV_HIGH:
        return "high";
    case BH_SEV_MEDIUM:
        return "medium";
    case BH_SEV_LOW:
        return "low";
    case BH_SEV_INFO:
        return "info";
    }
    return "unknown";
}

/* Sort indices by names[index], then by index: a stable order for equal names. */
static void sort_idx(size_t *v, size_t n, size_t *tmp, const char *const *names)
{
    size_t mid, i, j, k;
    int c;

    if (n < 2)
        return;
    mid = n / 2;
    sort_idx(v, mid, tmp, names);
    sort_idx(v + mid, n - mid, tmp, names);
    for (i = 0, j = mid, k = 0; i < mid || j < n; k++) {
        c = j >= n ? -1 : i >= mid ? 1 : strcmp(names[v[i]], names[v[j]]);
        if (c < 0 || (c == 0 && v[i] < v[j]))
            tmp[k] = v[i++];
        else
            tmp[k] = v[j++];
    }
    memcpy(v, tmp, n * sizeof(*v));
}

/*
 * bom-refs: the purl, which is what consumers look up; a purl that several packages share
 * (the same npm package in two node_modules trees) or no purl gets "pkg-INDEX" instead,
 * so every ref is unique and stable for the same input.
 */
static int make_refs(struct cdx *c)
{
    size_t n = c->t->packages.n, i, *idx, *tmp;
    const char **names;

    c->refs = bh_arena_calloc(&c->a, n ? n : 1, sizeof(*c->refs));
    names = bh_arena_calloc(&c->a, n ? n : 1, sizeof(*names));
    idx = bh_arena_calloc(&c->a, n ? n : 1, sizeof(*idx));
    tmp = bh_arena_calloc(&c->a, n ? n : 1, sizeof(*tmp));
    if (!c->refs || !names || !idx || !tmp)
        return BH_ENOMEM;
    for (i = 0; i < n; i++) {
        const char *purl = c->t->packages.v[i].purl;

        names[i] = purl && *purl ? purl : "";
        idx[i] = i;
    }
    sort_idx(idx, n, tmp, names);
    for (i = 0; i < n; i++) {
        size_t k = idx[i];
        bool dup = (i > 0 && !strcmp(names[k], names[idx[i - 1]])) ||
                   (i + 1 < n && !strcmp(names[k], names[idx[i + 1]]));

        if (!*names[k] || dup)
            c->refs[k] = bh_arena_printf(&c->a, "pkg-%zu", k);
        else
            c->refs[k] = names[k];
        if (!c->refs[k])
            return BH_ENOMEM;
    }
    return 0;
}

static void prop(struct bh_jsonw *w, const char *name, const char *value)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "name", name);
    bh_jsonw_kv_string(w, "value", value);
    bh_jsonw_end_object(w);
}

static void write_licenses(struct bh_jsonw *w, const char *text)
{
    char expr[BH_MAX_LANGPKG_LICENSE * 4];
    bool single;

    if (!text || !*text)
        return;
    bh_jsonw_key(w, "licenses");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);
    if (license_expr(text, expr, sizeof(expr), &single) && !single) {
        bh_jsonw_kv_string(w, "expression", expr);
    } else {
        bh_jsonw_key(w, "license");
        bh_jsonw_begin_object(w);
        if (single)
            bh_jsonw_kv_string(w, "id", expr);
        else
            bh_jsonw_kv_string(w, "name", text);
        bh_jsonw_end_object(w);
    }
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
}

static void write_package(struct cdx *c, size_t i)
{
    const struct bh_package *p = &c->t->packages.v[i];
    struct bh_jsonw *w = &c->w;
    char num[32];

    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "bom-ref", c->refs[i]);
    bh_jsonw_kv_string(w, "type", "library");
    bh_jsonw_kv_string(w, "name", p->name ? p->name : "");
    if (p->version && *p->version)
        bh_jsonw_kv_string(w, "version", p->version);
    write_licenses(w, p->license);
    if (p->purl && *p->purl)
        bh_jsonw_kv_string(w, "purl", p->purl);
    bh_jsonw_key(w, "properties");
    bh_jsonw_begin_array(w);
    prop(w, "bulkhead:package:type", bh_pkg_kind_name(p->kind));
    if (p->path)
        prop(w, "bulkhead:path", p->path);
    if (p->layer >= 0) {
        snprintf(num, sizeof(num), "%d", p->layer);
        prop(w, "bulkhead:layer", num);
    }
    if (p->arch)
        prop(w, "bulkhead:arch", p->arch);
    if (p->src_name)
        prop(w, "bulkhead:source:name", p->src_name);
    if (p->src_version)
        prop(w, "bulkhead:source:version", p->src_version);
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
}

/* The authority that assigns a kind of id, for "source" and "references". */
static void write_source(struct bh_jsonw *w, const char *id)
{
    char url[512];

    bh_jsonw_key(w, "source");
    bh_jsonw_begin_object(w);
    if (bh_str_prefix(id, "CVE-")) {
        bh_jsonw_kv_string(w, "name", "NVD");
        snprintf(url, sizeof(url), "https://nvd.nist.gov/vuln/detail/%s", id);
    } else if (bh_str_prefix(id, "GHSA-")) {
        bh_jsonw_kv_string(w, "name", "GitHub");
        snprintf(url, sizeof(url), "https://github.com/advisories/%s", id);
    } else {
        bh_jsonw_kv_string(w, "name", "OSV");
        snprintf(url, sizeof(url), "https://osv.dev/vulnerability/%s", id);
    }
    /* ids come from the feeds: only letters, digits, '-', '_', ':' and '.' go into a URL */
    if (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:.") ==
            strlen(id) &&
        strlen(id) < 256)
        bh_jsonw_kv_string(w, "url", url);
    bh_jsonw_end_object(w);
}

static const char *cvss_method(const char *vector)
{
    if (bh_str_prefix(vector, "CVSS:4."))
        return "CVSSv4";
    if (bh_str_prefix(vector, "CVSS:3.1/"))
        return "CVSSv31";
    if (bh_str_prefix(vector, "CVSS:3.0/"))
        return "CVSSv3";
    return "CVSSv2"; /* v2 vectors carry no prefix */
}

static void write_vuln(struct cdx *c, const size_t *idx, size_t n)
{
    const struct bh_vulnmatch *m = &c->t->vulns[idx[0]];
    struct bh_jsonw *w = &c->w;
    const char *rec;
    size_t i, k;

    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "id", m->id);
    write_source(w, m->id);
    if (m->naliases) {
        bh_jsonw_key(w, "references");
        bh_jsonw_begin_array(w);
        for (k = 0; k < m->naliases; k++) {
            bh_jsonw_begin_object(w);
            bh_jsonw_kv_string(w, "id", m->aliases[k]);
            write_source(w, m->aliases[k]);
            bh_jsonw_end_object(w);
        }
        bh_jsonw_end_array(w);
    }
    bh_jsonw_key(w, "ratings");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);
    if (m->cvss && m->severity_source && !strcmp(m->severity_source, "cvss")) {
        if (m->cvss_score10 >= 0) {
            bh_jsonw_key(w, "score");
            bh_jsonw_tenths(w, m->cvss_score10);
        }
        bh_jsonw_kv_string(w, "severity", cdx_sev(m->severity));
        bh_jsonw_kv_string(w, "method", cvss_method(m->cvss));
        bh_jsonw_kv_string(w, "vector", m->cvss);
    } else if (m->severity_source && !strcmp(m->severity_source, "ecosystem")) {
        bh_jsonw_kv_string(w, "severity", cdx_sev(m->severity));
        bh_jsonw_kv_string(w, "method", "other");
    } else {
        /* bulkhead's default severity is a policy, not a rating: say it is unknown */
        bh_jsonw_kv_string(w, "severity", "unknown");
        bh_jsonw_kv_string(w, "method", "other");
    }
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
    if (m->summary && *m->summary)
        bh_jsonw_kv_string(w, "description", m->summary);
    rec = NULL;
    for (i = 0; i < n; i++) {
        const struct bh_vulnmatch *x = &c->t->vulns[idx[i]];
        const struct bh_package *p = x->pkg < c->t->packages.n ? &c->t->packages.v[x->pkg] : NULL;
        const char *name = p && p->name ? p->name : x->package ? x->package : "";

        if (!x->fixed)
            continue;
        rec = rec ? bh_arena_printf(&c->a, "%s, %s to %s", rec, name, x->fixed)
                  : bh_arena_printf(&c->a, "Upgrade %s to %s", name, x->fixed);
    }
    if (rec)
        bh_jsonw_kv_string(w, "recommendation", rec);
    bh_jsonw_key(w, "affects");
    bh_jsonw_begin_array(w);
    for (i = 0; i < n; i++) {
        const struct bh_vulnmatch *x = &c->t->vulns[idx[i]];

        if (x->pkg >= c->t->packages.n)
            continue;
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "ref", c->refs[x->pkg]);
        if (!x->installed && !x->fixed) {
            bh_jsonw_end_object(w);
            continue;
        }
        bh_jsonw_key(w, "versions");
        bh_jsonw_begin_array(w);
        if (x->installed) {
            bh_jsonw_begin_object(w);
            bh_jsonw_kv_string(w, "version", x->installed);
            bh_jsonw_kv_string(w, "status", "affected");
            bh_jsonw_end_object(w);
        }
        if (x->fixed) {
            bh_jsonw_begin_object(w);
            bh_jsonw_kv_string(w, "version", x->fixed);
            bh_jsonw_kv_string(w, "status", "unaffected");
            bh_jsonw_end_object(w);
        }
        bh_jsonw_end_array(w);
        bh_jsonw_end_object(w);
    }
    bh_jsonw_end_array(w);
    bh_jsonw_key(w, "properties");
    bh_jsonw_begin_array(w);
    if (m->ecosystem)
        prop(w, "bulkhead:ecosystem", m->ecosystem);
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
}

/* One entry per advisory id, listing every package it affects, in id order. */
static int write_vulns(struct cdx *c)
{
    size_t n = c->t->nvulns, i, j, *idx, *tmp;
    const char **ids;

    if (!c->t->vulns || !n)
        return 0;
    idx = bh_arena_calloc(&c->a, n, sizeof(*idx));
    tmp = bh_arena_calloc(&c->a, n, sizeof(*tmp));
    ids = bh_arena_calloc(&c->a, n, sizeof(*ids));
    if (!idx || !tmp || !ids)
        return BH_ENOMEM;
    for (i = 0; i < n; i++) {
        idx[i] = i;
        ids[i] = c->t->vulns[i].id ? c->t->vulns[i].id : "";
    }
    sort_idx(idx, n, tmp, ids);
    bh_jsonw_key(&c->w, "vulnerabilities");
    bh_jsonw_begin_array(&c->w);
    for (i = 0; i < n; i = j) {
        size_t k, x;

        for (j = i + 1; j < n && !strcmp(ids[idx[i]], ids[idx[j]]); j++)
            ;
        /* the packages of one advisory in package order (groups are small) */
        for (k = i + 1; k < j; k++)
            for (x = k; x > i && c->t->vulns[idx[x - 1]].pkg > c->t->vulns[idx[x]].pkg; x--) {
                size_t y = idx[x];

                idx[x] = idx[x - 1];
                idx[x - 1] = y;
            }
        write_vuln(c, idx + i, j - i);
    }
    bh_jsonw_end_array(&c->w);
    return c->a.failed ? BH_ENOMEM : 0;
}

static void write_metadata(struct cdx *c, const char *tool_version)
{
    struct bh_jsonw *w = &c->w;
    const struct bh_target *t = c->t;
    char when[32];

    sbom_time(when);
    bh_jsonw_key(w, "metadata");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "timestamp", when);
    bh_jsonw_key(w, "tools");
    bh_jsonw_begin_object(w);
    bh_jsonw_key(w, "components");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "type", "application");
    bh_jsonw_kv_string(w, "name", "bulkhead");
    bh_jsonw_kv_string(w, "version", tool_version ? tool_version : "");
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
    if (t) {
        bh_jsonw_key(w, "component");
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "bom-ref", "target");
        /* a directory is a file-system object, not an OS: the OS is its own component */
        bh_jsonw_kv_string(w, "type", t->kind == BH_KIND_IMAGE ? "container" : "file");
        bh_jsonw_kv_string(w, "name", t->target ? t->target : "");
        if (t->image_id)
            bh_jsonw_kv_string(w, "version", t->image_id);
        bh_jsonw_end_object(w);
    }
    bh_jsonw_end_object(w);
}

int bh_report_write_cyclonedx(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    struct cdx c;
    char uuid[40], *serial;
    size_t i;
    int rc;

    (void)o;
    memset(&c, 0, sizeof(c));
    bh_arena_init(&c.a, BH_MAX_SCAN_ARENA);
    c.t = pick_target(r);
    rc = content_uuid("cyclonedx", c.t, uuid);
    if (!rc && c.t)
        rc = make_refs(&c);
    serial = rc ? NULL : bh_arena_printf(&c.a, "urn:uuid:%s", uuid);
    if (!serial) {
        bh_arena_release(&c.a);
        return BH_ENOMEM;
    }
    bh_jsonw_init(&c.w, out, true);
    bh_jsonw_begin_object(&c.w);
    bh_jsonw_kv_string(&c.w, "$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
    bh_jsonw_kv_string(&c.w, "bomFormat", "CycloneDX");
    bh_jsonw_kv_string(&c.w, "specVersion", "1.5");
    bh_jsonw_kv_string(&c.w, "serialNumber", serial);
    bh_jsonw_kv_int(&c.w, "version", 1);
    write_metadata(&c, r->tool_version);
    bh_jsonw_key(&c.w, "components");
    bh_jsonw_begin_array(&c.w);
    if (c.t && c.t->os.id) {
        bh_jsonw_begin_object(&c.w);
        bh_jsonw_kv_string(&c.w, "bom-ref", "os");
        bh_jsonw_kv_string(&c.w, "type", "operating-system");
        bh_jsonw_kv_string(&c.w, "name", c.t->os.id);
        if (c.t->os.version_id)
            bh_jsonw_kv_string(&c.w, "version", c.t->os.version_id);
        if (c.t->os.pretty)
            bh_jsonw_kv_string(&c.w, "description", c.t->os.pretty);
        bh_jsonw_end_object(&c.w);
    }
    for (i = 0; c.t && i < c.t->packages.n; i++)
        write_package(&c, i);
    bh_jsonw_end_array(&c.w);
    if (c.t) {
        /* the target contains the OS and every package; packages' own edges are unknown */
        bh_jsonw_key(&c.w, "dependencies");
        bh_jsonw_begin_array(&c.w);
        bh_jsonw_begin_object(&c.w);
        bh_jsonw_kv_string(&c.w, "ref", "target");
        bh_jsonw_key(&c.w, "dependsOn");
        bh_jsonw_begin_array(&c.w);
        if (c.t->os.id)
            bh_jsonw_string(&c.w, "os");
        for (i = 0; i < c.t->packages.n; i++)
            bh_jsonw_string(&c.w, c.refs[i]);
        bh_jsonw_end_array(&c.w);
        bh_jsonw_end_object(&c.w);
        bh_jsonw_end_array(&c.w);
        rc = write_vulns(&c);
    }
    bh_jsonw_end_object(&c.w);
    if (!rc)
        rc = bh_jsonw_finish(&c.w);
    else
        (void)bh_jsonw_finish(&c.w);
    bh_arena_release(&c.a);
    return rc;
}
