/*
 * test_sbom.c - the CycloneDX and SPDX writers over an in-memory report: an image with an
 * OS, packages whose names, versions and licences need escaping or are not SPDX, a purl
 * two packages share, and two advisories (one affecting two packages). The documents are
 * parsed back with our JSON reader and checked field by field. When BH_SBOM_SAMPLES names
 * a directory, both documents are written there for tests/sbom/run.sh to validate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/json.h"
#include "model/vuln.h"
#include "report/report.h"
#include "report/sbom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    struct bh_arena arena;
    struct bh_report report;
    struct bh_target *t;
};

static const char *const alias_a[] = {"GHSA-aaaa-bbbb-cccc", "OSV-2024-1"};

static void add_pkg(struct fixture *fx, enum bh_pkg_kind kind, const char *name,
                    const char *version, const char *purl, const char *license, const char *path,
                    int layer)
{
    struct bh_packages *ps = &fx->t->packages;
    struct bh_package *p = BH_PUSH(&fx->arena, ps->v, ps->n, ps->cap);

    assert_non_null(p);
    p->kind = kind;
    p->name = name;
    p->version = version;
    p->purl = purl;
    p->license = license;
    p->path = path;
    p->layer = layer;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct bh_vulnmatch *v;

    if (!fx)
        return -1;
    bh_arena_init(&fx->arena, 1u << 24);
    fx->report.tool_version = "9.9.9";
    /* a config target first: SBOMs describe the first image or rootfs target */
    bh_report_add_target(&fx->arena, &fx->report, "Dockerfile", BH_KIND_DOCKERFILE);
    fx->t = bh_report_add_target(&fx->arena, &fx->report, "registry.example/app:1 \"q\"",
                                 BH_KIND_IMAGE);
    if (!fx->t)
        return -1;
    fx->t->image_id = "sha256:0123456789abcdef";
    fx->t->os.id = "alpine";
    fx->t->os.version_id = "3.11.5";
    fx->t->os.pretty = "Alpine Linux v3.11";
    add_pkg(fx, BH_PKG_APK, "musl", "1.1.24-r2", "pkg:apk/alpine/musl@1.1.24-r2?distro=3.11.5",
            "MIT", "lib/apk/db/installed", 0);
    add_pkg(fx, BH_PKG_APK, "zlib", "1.2.11-r3", "pkg:apk/alpine/zlib@1.2.11-r3?distro=3.11.5",
            "zlib", "lib/apk/db/installed", 0);
    add_pkg(fx, BH_PKG_APK, "odd \"name\"\twith\x01 ctl/é", "1.0\\x", NULL, "MIT BSD GPL2+",
            "lib/apk/db/installed", 1);
    add_pkg(fx, BH_PKG_NPM, "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause", "app/node_modules/left-pad/package.json", 2);
    add_pkg(fx, BH_PKG_NPM, "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0", "GPL-2.0+",
            "app/other/node_modules/left-pad/package.json", 2);
    add_pkg(fx, BH_PKG_PYPI,
            "bad\xff"
            "utf8",
            "2", "pkg:pypi/bad", "", "x", -1);
    fx->t->vulns = bh_arena_calloc(&fx->arena, 3, sizeof(*fx->t->vulns));
    if (!fx->t->vulns)
        return -1;
    fx->t->nvulns = 3;
    v = &fx->t->vulns[0];
    v->id = "CVE-2020-28928";
    v->aliases = (const char **)alias_a;
    v->naliases = 2;
    v->summary = "musl \"wcsnrtombs\" overflow";
    v->pkg = 0;
    v->ecosystem = "Alpine:v3.11";
    v->package = "musl";
    v->installed = "1.1.24-r2";
    v->fixed = "1.1.24-r3";
    v->severity = BH_SEV_MEDIUM;
    v->severity_source = "cvss";
    v->cvss = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H";
    v->cvss_score10 = 55;
    v = &fx->t->vulns[1];
    v->id = "GHSA-xxxx-yyyy-zzzz";
    v->pkg = 4;
    v->ecosystem = "npm";
    v->package = "left-pad";
    v->installed = "1.3.0";
    v->fixed = NULL;
    v->severity = BH_SEV_MEDIUM;
    v->severity_source = "default";
    v->cvss_score10 = -1;
    v = &fx->t->vulns[2];
    *v = fx->t->vulns[1];
    v->pkg = 3;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    bh_arena_release(&fx->arena);
    free(fx);
    return 0;
}

/* Render with a writer into a string (malloc'd). */
static char *render(int (*fn)(FILE *, const struct bh_report *, const struct bh_report_opts *),
                    const struct bh_report *r, size_t *len)
{
    struct bh_report_opts o = {0};
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    assert_non_null(f);
    assert_int_equal(fn(f, r, &o), 0);
    assert_int_equal(fclose(f), 0);
    if (len)
        *len = n;
    return buf;
}

static void save_sample(const char *name, const char *text)
{
    const char *dir = getenv("BH_SBOM_SAMPLES");
    char path[4096];
    FILE *f;

    if (!dir || !dir[0])
        return;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const struct bh_jnode *parse(struct bh_arena *a, const char *text)
{
    struct bh_jnode *root = NULL;
    struct bh_err err;

    bh_err_init(&err);
    assert_int_equal(bh_json_parse(a, "sbom", text, strlen(text), &root, &err), 0);
    assert_true(bh_json_is_object(root));
    return root;
}

static const char *sget(const struct bh_jnode *o, const char *k)
{
    return bh_json_str(bh_json_get(o, k));
}

static const struct bh_jnode *find_by(const struct bh_jnode *arr, const char *key, const char *val)
{
    size_t i;

    for (i = 0; arr && i < arr->n; i++)
        if (sget(&arr->items[i], key) && !strcmp(sget(&arr->items[i], key), val))
            return &arr->items[i];
    return NULL;
}

static const char *prop(const struct bh_jnode *comp, const char *name)
{
    const struct bh_jnode *p = find_by(bh_json_get(comp, "properties"), "name", name);

    return p ? sget(p, "value") : NULL;
}

static void cyclonedx_document(void **state)
{
    struct fixture *fx = *state;
    struct bh_arena a;
    char *text;
    const struct bh_jnode *root, *md, *comps, *c, *lic, *vulns, *v, *aff, *deps;
    const char *serial;
    size_t i, j;

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    text = render(bh_report_write_cyclonedx, &fx->report, NULL);
    save_sample("sbom.cdx.json", text);
    bh_arena_init(&a, 1u << 24);
    root = parse(&a, text);
    assert_string_equal(sget(root, "bomFormat"), "CycloneDX");
    assert_string_equal(sget(root, "specVersion"), "1.5");
    serial = sget(root, "serialNumber");
    assert_non_null(serial);
    assert_int_equal(strlen(serial), 45);
    assert_true(!strncmp(serial, "urn:uuid:", 9));
    assert_int_equal(serial[9 + 14], '5');
    assert_non_null(strchr("89ab", serial[9 + 19]));
    md = bh_json_get(root, "metadata");
    assert_string_equal(sget(md, "timestamp"), "2023-11-14T22:13:20Z");
    assert_string_equal(sget(bh_json_get(md, "component"), "type"), "container");
    assert_string_equal(sget(bh_json_get(md, "component"), "name"), "registry.example/app:1 \"q\"");
    assert_string_equal(sget(bh_json_get(md, "component"), "version"), "sha256:0123456789abcdef");
    assert_string_equal(
        sget(&bh_json_get(bh_json_get(md, "tools"), "components")->items[0], "version"), "9.9.9");

    comps = bh_json_get(root, "components");
    assert_int_equal(comps->n, 1 + fx->t->packages.n);
    c = find_by(comps, "type", "operating-system");
    assert_non_null(c);
    assert_string_equal(sget(c, "name"), "alpine");
    assert_string_equal(sget(c, "version"), "3.11.5");

    /* bom-refs are unique; a unique purl is the ref, a shared or missing one is not */
    for (i = 0; i < comps->n; i++)
        for (j = i + 1; j < comps->n; j++)
            assert_string_not_equal(sget(&comps->items[i], "bom-ref"),
                                    sget(&comps->items[j], "bom-ref"));
    c = find_by(comps, "name", "musl");
    assert_string_equal(sget(c, "bom-ref"), "pkg:apk/alpine/musl@1.1.24-r2?distro=3.11.5");
    assert_string_equal(sget(c, "purl"), "pkg:apk/alpine/musl@1.1.24-r2?distro=3.11.5");
    assert_string_equal(sget(c, "type"), "library");
    assert_string_equal(prop(c, "bulkhead:path"), "lib/apk/db/installed");
    assert_string_equal(prop(c, "bulkhead:layer"), "0");
    assert_string_equal(prop(c, "bulkhead:package:type"), "apk");
    lic = &bh_json_get(c, "licenses")->items[0];
    assert_string_equal(sget(bh_json_get(lic, "license"), "id"), "MIT");
    /* "zlib" is the SPDX id Zlib in another case: canonical spelling */
    c = find_by(comps, "name", "zlib");
    lic = &bh_json_get(c, "licenses")->items[0];
    assert_string_equal(sget(bh_json_get(lic, "license"), "id"), "Zlib");
    /* escaping: the odd name comes back exactly; not an SPDX expression -> a name */
    c = find_by(comps, "name", "odd \"name\"\twith\x01 ctl/é");
    assert_non_null(c);
    assert_string_equal(sget(c, "version"), "1.0\\x");
    assert_null(bh_json_get(c, "purl"));
    assert_string_equal(sget(c, "bom-ref"), "pkg-2");
    lic = &bh_json_get(c, "licenses")->items[0];
    assert_string_equal(sget(bh_json_get(lic, "license"), "name"), "MIT BSD GPL2+");
    assert_null(bh_json_get(bh_json_get(lic, "license"), "id"));
    c = &comps->items[1 + 3];
    assert_string_equal(sget(c, "bom-ref"), "pkg-3");
    lic = &bh_json_get(c, "licenses")->items[0];
    assert_string_equal(sget(lic, "expression"), "(MIT OR Apache-2.0) AND BSD-3-Clause");
    c = &comps->items[1 + 4];
    assert_string_equal(sget(c, "bom-ref"), "pkg-4");
    assert_string_equal(sget(&bh_json_get(c, "licenses")->items[0], "expression"), "GPL-2.0+");
    /* invalid UTF-8 is replaced, the document stays valid JSON; empty licence: none */
    c = &comps->items[1 + 5];
    assert_string_equal(sget(c, "name"), "bad\xef\xbf\xbdutf8");
    assert_null(bh_json_get(c, "licenses"));
    assert_null(prop(c, "bulkhead:layer"));

    deps = bh_json_get(root, "dependencies");
    assert_int_equal(deps->n, 1);
    assert_string_equal(sget(&deps->items[0], "ref"), "target");
    assert_int_equal(bh_json_get(&deps->items[0], "dependsOn")->n, 1 + fx->t->packages.n);

    /* two advisory ids; the GHSA affects two packages and has no fix */
    vulns = bh_json_get(root, "vulnerabilities");
    assert_int_equal(vulns->n, 2);
    v = find_by(vulns, "id", "CVE-2020-28928");
    assert_non_null(v);
    assert_string_equal(sget(bh_json_get(v, "source"), "name"), "NVD");
    assert_int_equal(bh_json_get(v, "references")->n, 2);
    assert_string_equal(sget(&bh_json_get(v, "references")->items[0], "id"), "GHSA-aaaa-bbbb-cccc");
    assert_string_equal(sget(&bh_json_get(v, "ratings")->items[0], "method"), "CVSSv31");
    assert_string_equal(sget(&bh_json_get(v, "ratings")->items[0], "severity"), "medium");
    assert_string_equal(sget(&bh_json_get(v, "ratings")->items[0], "vector"),
                        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H");
    assert_string_equal(sget(v, "recommendation"), "Upgrade musl to 1.1.24-r3");
    assert_string_equal(sget(v, "description"), "musl \"wcsnrtombs\" overflow");
    assert_int_equal(bh_json_get(&bh_json_get(v, "ratings")->items[0], "score")->type, BH_J_REAL);
    assert_true(bh_json_get(&bh_json_get(v, "ratings")->items[0], "score")->r == 5.5);
    aff = bh_json_get(v, "affects");
    assert_int_equal(aff->n, 1);
    assert_string_equal(sget(&aff->items[0], "ref"), "pkg:apk/alpine/musl@1.1.24-r2?distro=3.11.5");
    assert_string_equal(sget(&bh_json_get(&aff->items[0], "versions")->items[1], "status"),
                        "unaffected");
    v = find_by(vulns, "id", "GHSA-xxxx-yyyy-zzzz");
    assert_non_null(v);
    assert_string_equal(sget(bh_json_get(v, "source"), "name"), "GitHub");
    assert_null(bh_json_get(v, "recommendation"));
    assert_string_equal(sget(&bh_json_get(v, "ratings")->items[0], "severity"), "unknown");
    aff = bh_json_get(v, "affects");
    assert_int_equal(aff->n, 2);
    /* grouped in package order, whatever order the matches came in */
    assert_string_equal(sget(&aff->items[0], "ref"), "pkg-3");
    assert_string_equal(sget(&aff->items[1], "ref"), "pkg-4");
    bh_arena_release(&a);
    free(text);
}

static bool idstring(const char *s)
{
    if (strncmp(s, "SPDXRef-", 8) != 0)
        return false;
    for (s += 8; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '-'))
            return false;
    return true;
}

static void spdx_document(void **state)
{
    struct fixture *fx = *state;
    struct bh_arena a;
    char *text;
    const struct bh_jnode *root, *pk, *p, *rel, *refs;
    size_t i, j, contains = 0;

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    text = render(bh_report_write_spdx, &fx->report, NULL);
    save_sample("sbom.spdx.json", text);
    bh_arena_init(&a, 1u << 24);
    root = parse(&a, text);
    assert_string_equal(sget(root, "spdxVersion"), "SPDX-2.3");
    assert_string_equal(sget(root, "dataLicense"), "CC0-1.0");
    assert_string_equal(sget(root, "SPDXID"), "SPDXRef-DOCUMENT");
    assert_string_equal(sget(root, "name"), "registry.example/app:1 \"q\"");
    assert_true(
        !strncmp(sget(root, "documentNamespace"), "https://bulkhead.dev/spdxdocs/image-", 36));
    assert_string_equal(sget(bh_json_get(root, "creationInfo"), "created"), "2023-11-14T22:13:20Z");
    assert_string_equal(
        bh_json_str(&bh_json_get(bh_json_get(root, "creationInfo"), "creators")->items[0]),
        "Tool: bulkhead-9.9.9");
    pk = bh_json_get(root, "packages");
    assert_int_equal(pk->n, 2 + fx->t->packages.n);
    for (i = 0; i < pk->n; i++) {
        assert_true(idstring(sget(&pk->items[i], "SPDXID")));
        assert_string_equal(sget(&pk->items[i], "downloadLocation"), "NOASSERTION");
        for (j = i + 1; j < pk->n; j++)
            assert_string_not_equal(sget(&pk->items[i], "SPDXID"), sget(&pk->items[j], "SPDXID"));
    }
    assert_string_equal(sget(&pk->items[0], "primaryPackagePurpose"), "CONTAINER");
    assert_string_equal(sget(&pk->items[1], "primaryPackagePurpose"), "OPERATING-SYSTEM");
    p = find_by(pk, "name", "musl");
    assert_string_equal(sget(p, "versionInfo"), "1.1.24-r2");
    assert_string_equal(sget(p, "licenseDeclared"), "MIT");
    assert_string_equal(sget(p, "licenseConcluded"), "NOASSERTION");
    assert_string_equal(sget(p, "sourceInfo"), "apk: lib/apk/db/installed, layer 0");
    refs = bh_json_get(p, "externalRefs");
    assert_string_equal(sget(&refs->items[0], "referenceCategory"), "PACKAGE-MANAGER");
    assert_string_equal(sget(&refs->items[0], "referenceType"), "purl");
    assert_string_equal(sget(&refs->items[0], "referenceLocator"),
                        "pkg:apk/alpine/musl@1.1.24-r2?distro=3.11.5");
    p = find_by(pk, "name", "odd \"name\"\twith\x01 ctl/é");
    assert_non_null(p);
    assert_string_equal(sget(p, "licenseDeclared"), "NOASSERTION");
    assert_string_equal(sget(p, "licenseComments"), "MIT BSD GPL2+");
    assert_string_equal(sget(p, "SPDXID"), "SPDXRef-Package-2-odd--name--with--ctl---");
    assert_null(bh_json_get(p, "externalRefs"));
    p = find_by(pk, "name", "zlib");
    assert_string_equal(sget(p, "licenseDeclared"), "Zlib");
    assert_string_equal(sget(&pk->items[2 + 3], "licenseDeclared"),
                        "(MIT OR Apache-2.0) AND BSD-3-Clause");
    rel = bh_json_get(root, "relationships");
    assert_int_equal(rel->n, 1 + 1 + fx->t->packages.n);
    assert_string_equal(sget(&rel->items[0], "relationshipType"), "DESCRIBES");
    assert_string_equal(sget(&rel->items[0], "relatedSpdxElement"), "SPDXRef-Target");
    for (i = 1; i < rel->n; i++) {
        assert_string_equal(sget(&rel->items[i], "spdxElementId"), "SPDXRef-Target");
        assert_non_null(find_by(pk, "SPDXID", sget(&rel->items[i], "relatedSpdxElement")));
        contains += !strcmp(sget(&rel->items[i], "relationshipType"), "CONTAINS");
    }
    assert_int_equal(contains, rel->n - 1);
    bh_arena_release(&a);
    free(text);
}

/* Same report, same bytes; a changed version changes the serial and the namespace. */
static void deterministic(void **state)
{
    struct fixture *fx = *state;
    char *a1, *a2, *b1, *b2, *c1, *d1;
    size_t la1, la2, lb1, lb2;

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    a1 = render(bh_report_write_cyclonedx, &fx->report, &la1);
    a2 = render(bh_report_write_cyclonedx, &fx->report, &la2);
    b1 = render(bh_report_write_spdx, &fx->report, &lb1);
    b2 = render(bh_report_write_spdx, &fx->report, &lb2);
    assert_int_equal(la1, la2);
    assert_memory_equal(a1, a2, la1);
    assert_int_equal(lb1, lb2);
    assert_memory_equal(b1, b2, lb1);
    fx->t->packages.v[0].version = "1.1.24-r3";
    c1 = render(bh_report_write_cyclonedx, &fx->report, NULL);
    d1 = render(bh_report_write_spdx, &fx->report, NULL);
    assert_string_not_equal(strstr(a1, "urn:uuid:"), strstr(c1, "urn:uuid:"));
    assert_true(strncmp(strstr(a1, "urn:uuid:"), strstr(c1, "urn:uuid:"), 45) != 0);
    assert_true(strncmp(strstr(b1, "spdxdocs/"), strstr(d1, "spdxdocs/"), 60) != 0);
    /* without SOURCE_DATE_EPOCH the time is now, not the pinned one */
    unsetenv("SOURCE_DATE_EPOCH");
    free(c1);
    c1 = render(bh_report_write_cyclonedx, &fx->report, NULL);
    assert_null(strstr(c1, "2023-11-14T22:13:20Z"));
    free(a1);
    free(a2);
    free(b1);
    free(b2);
    free(c1);
    free(d1);
}

/* A rootfs target without OS or packages, and a report with no SBOM target at all. */
static void edge_targets(void **state)
{
    struct bh_arena a;
    struct bh_report r = {.tool_version = "1"};
    const struct bh_jnode *root;
    char *text;

    (void)state;
    bh_arena_init(&a, 1u << 22);
    text = render(bh_report_write_cyclonedx, &r, NULL);
    root = parse(&a, text);
    assert_int_equal(bh_json_get(root, "components")->n, 0);
    assert_null(bh_json_get(bh_json_get(root, "metadata"), "component"));
    free(text);
    text = render(bh_report_write_spdx, &r, NULL);
    root = parse(&a, text);
    assert_int_equal(bh_json_get(root, "packages")->n, 0);
    free(text);

    assert_non_null(bh_report_add_target(&a, &r, "/srv/root fs", BH_KIND_ROOTFS));
    text = render(bh_report_write_cyclonedx, &r, NULL);
    root = parse(&a, text);
    assert_string_equal(sget(bh_json_get(bh_json_get(root, "metadata"), "component"), "type"),
                        "file");
    assert_int_equal(bh_json_get(root, "components")->n, 0);
    assert_null(bh_json_get(root, "vulnerabilities"));
    save_sample("rootfs.cdx.json", text);
    free(text);
    text = render(bh_report_write_spdx, &r, NULL);
    root = parse(&a, text);
    assert_int_equal(bh_json_get(root, "packages")->n, 1);
    assert_string_equal(sget(&bh_json_get(root, "packages")->items[0], "primaryPackagePurpose"),
                        "FILE");
    assert_true(
        !strncmp(sget(root, "documentNamespace"), "https://bulkhead.dev/spdxdocs/rootfs-", 37));
    save_sample("rootfs.spdx.json", text);
    free(text);
    bh_arena_release(&a);
}

/* The helpers both writers share (report/sbom.h), directly. */
static void shared_helpers(void **state)
{
    struct fixture *fx = *state;
    char out[64], u1[BH_SBOM_UUID_LEN], u2[BH_SBOM_UUID_LEN], u3[BH_SBOM_UUID_LEN];
    char when[BH_SBOM_TIME_LEN];
    struct bh_report none = {0};
    size_t saved;
    bool single;

    /* canonical spelling, single vs compound, things that are not expressions */
    assert_true(bh_sbom_license_expr("mit", out, sizeof(out), &single));
    assert_string_equal(out, "MIT");
    assert_true(single);
    assert_true(bh_sbom_license_expr("gpl-2.0-only WITH classpath-exception-2.0", out, sizeof(out),
                                     &single));
    assert_string_equal(out, "GPL-2.0-only WITH Classpath-exception-2.0");
    assert_false(single);
    assert_true(bh_sbom_license_expr(" ( MIT OR Apache-2.0 ) AND Zlib", out, sizeof(out), &single));
    assert_string_equal(out, "(MIT OR Apache-2.0) AND Zlib");
    assert_true(bh_sbom_license_expr("GPL-2.0+", out, sizeof(out), &single));
    assert_false(single);
    assert_false(bh_sbom_license_expr("MIT and BSD-3-Clause", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("MIT BSD", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("(MIT", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("MIT WITH Not-An-Exception", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("GPL2", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("((((((((((MIT))))))))))", out, sizeof(out), &single));
    assert_false(bh_sbom_license_expr("Apache-2.0 OR MIT", out, 8, &single)); /* too long */
    assert_false(bh_sbom_license_expr("", out, sizeof(out), &single));

    /* the first image or rootfs target; none in a report without one */
    assert_ptr_equal(bh_sbom_pick_target(&fx->report), fx->t);
    assert_null(bh_sbom_pick_target(&none));

    /* the matches count only when asked for; a tag and a package change the UUID */
    assert_int_equal(bh_sbom_uuid("x", fx->t, true, u1), 0);
    assert_int_equal(bh_sbom_uuid("x", fx->t, false, u2), 0);
    assert_string_not_equal(u1, u2);
    saved = fx->t->nvulns;
    fx->t->nvulns = 0;
    assert_int_equal(bh_sbom_uuid("x", fx->t, true, u3), 0);
    fx->t->nvulns = saved;
    assert_string_equal(u2, u3);
    assert_int_equal(strlen(u1), 36);
    assert_int_equal(u1[14], '5');
    assert_non_null(strchr("89ab", u1[19]));
    assert_int_equal(bh_sbom_uuid("y", fx->t, false, u3), 0);
    assert_string_not_equal(u2, u3);
    assert_int_equal(bh_sbom_uuid("x", NULL, false, u3), 0);
    assert_string_not_equal(u2, u3);

    setenv("SOURCE_DATE_EPOCH", "0", 1);
    bh_sbom_time(when);
    assert_string_equal(when, "1970-01-01T00:00:00Z");
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    bh_sbom_time(when);
    assert_string_equal(when, "2023-11-14T22:13:20Z");
    setenv("SOURCE_DATE_EPOCH", "soon", 1); /* not a number: now */
    bh_sbom_time(when);
    assert_string_not_equal(when, "2023-11-14T22:13:20Z");
    assert_int_equal(strlen(when), 20);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void registered(void **state)
{
    (void)state;
    assert_ptr_equal(bh_writer_find("cyclonedx")->write, bh_report_write_cyclonedx);
    assert_ptr_equal(bh_writer_find("spdx-json")->write, bh_report_write_spdx);
    assert_non_null(strstr(bh_writer_names(), "cyclonedx"));
    assert_non_null(strstr(bh_writer_names(), "spdx-json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cyclonedx_document, setup, teardown),
        cmocka_unit_test_setup_teardown(spdx_document, setup, teardown),
        cmocka_unit_test_setup_teardown(deterministic, setup, teardown),
        cmocka_unit_test(edge_targets),
        cmocka_unit_test_setup_teardown(shared_helpers, setup, teardown),
        cmocka_unit_test(registered),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
