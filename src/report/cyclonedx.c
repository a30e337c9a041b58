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
#include "model/vuln.h"
#include "report/jsonw.h"
#include "report/sbom.h"

#include <string.h>

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
    if (bh_sbom_license_expr(text, expr, sizeof(expr), &single) && !single) {
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
    char when[BH_SBOM_TIME_LEN];

    bh_sbom_time(when);
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
    char uuid[BH_SBOM_UUID_LEN], *serial;
    size_t i;
    int rc;

    (void)o;
    memset(&c, 0, sizeof(c));
    bh_arena_init(&c.a, BH_MAX_SCAN_ARENA);
    c.t = bh_sbom_pick_target(r);
    rc = bh_sbom_uuid("cyclonedx", c.t, true, uuid);
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
