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
#include "report/jsonw.h"
#include "report/sbom.h"

#include <string.h>

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
    bh_jsonw_kv_string(w, "licenseDeclared",
                       p->license && bh_sbom_license_expr(p->license, expr, sizeof(expr), &single)
                           ? expr
                           : "NOASSERTION");
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
    const struct bh_target *t = bh_sbom_pick_target(r);
    struct bh_jsonw w;
    struct bh_arena a;
    const char **ids = NULL, *ns, *creator;
    char uuid[BH_SBOM_UUID_LEN], when[BH_SBOM_TIME_LEN];
    size_t i, n = t ? t->packages.n : 0;
    int rc;

    (void)o;
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    rc = bh_sbom_uuid("spdx", t, false, uuid);
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
    bh_sbom_time(when);
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
