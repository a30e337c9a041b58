/*
 * json.c - the `bulkhead.report/v1` JSON report (shape in CLI.md, schema in
 * docs/report-schema.json): targets with their findings (vulnerability findings
 * with their advisory), suppressed ones included and marked, the packages of
 * image and root filesystem targets, then read errors. Deterministic: no
 * timestamps, the caller sorts. Escaping is jsonw's job. It filters nothing.
 */
#include "report/report.h"

#include "core/err.h"
#include "model/vuln.h"
#include "report/jsonw.h"

#include <string.h>

static void write_location(struct bh_jsonw *w, const struct bh_loc *loc, const char *fallback)
{
    bh_jsonw_key(w, "location");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "file", loc->file ? loc->file : fallback);
    if (loc->line > 0) {
        bh_jsonw_kv_int(w, "line", loc->line);
        if (loc->col > 0)
            bh_jsonw_kv_int(w, "column", loc->col);
    }
    if (loc->path)
        bh_jsonw_kv_string(w, "path", loc->path);
    bh_jsonw_end_object(w);
}

/* {"vector", "score"}: the base score as a number with one decimal (75 -> 7.5). */
static void write_cvss(struct bh_jsonw *w, const struct bh_vulnmatch *m)
{
    bh_jsonw_key(w, "cvss");
    if (!m->cvss && m->cvss_score10 < 0) {
        bh_jsonw_null(w);
        return;
    }
    bh_jsonw_begin_object(w);
    bh_jsonw_key(w, "vector");
    bh_jsonw_string(w, m->cvss); /* NULL -> null */
    bh_jsonw_key(w, "score");
    if (m->cvss_score10 >= 0) {
        bh_jsonw_tenths(w, m->cvss_score10);
    } else {
        bh_jsonw_null(w);
    }
    bh_jsonw_end_object(w);
}

static void write_vuln(struct bh_jsonw *w, const struct bh_vulnmatch *m, const struct bh_target *t)
{
    const struct bh_package *p = t && m->pkg < t->packages.n ? &t->packages.v[m->pkg] : NULL;
    size_t k;

    bh_jsonw_key(w, "vulnerability");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "id", m->id ? m->id : "");
    bh_jsonw_key(w, "aliases");
    bh_jsonw_begin_array(w);
    for (k = 0; k < m->naliases; k++)
        if (m->aliases[k])
            bh_jsonw_string(w, m->aliases[k]);
    bh_jsonw_end_array(w);
    /* the installed package; source_package when the advisory names its source instead */
    bh_jsonw_kv_string(w, "package", p && p->name ? p->name : (m->package ? m->package : ""));
    if (m->package && p && p->name && strcmp(m->package, p->name) != 0)
        bh_jsonw_kv_string(w, "source_package", m->package);
    if (p && p->purl)
        bh_jsonw_kv_string(w, "purl", p->purl);
    bh_jsonw_kv_string(w, "ecosystem", m->ecosystem ? m->ecosystem : "");
    bh_jsonw_kv_string(w, "installed", m->installed ? m->installed : "");
    bh_jsonw_key(w, "fixed");
    bh_jsonw_string(w, m->fixed);
    bh_jsonw_kv_string(w, "severity", bh_severity_name(m->severity));
    if (m->severity_source)
        bh_jsonw_kv_string(w, "severity_source", m->severity_source);
    write_cvss(w, m);
    if (m->summary)
        bh_jsonw_kv_string(w, "summary", m->summary);
    if (p && p->layer >= 0)
        bh_jsonw_kv_int(w, "layer", p->layer);
    bh_jsonw_end_object(w);
}

static void write_package(struct bh_jsonw *w, const struct bh_package *p)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "name", p->name ? p->name : "");
    bh_jsonw_kv_string(w, "version", p->version ? p->version : "");
    bh_jsonw_kv_string(w, "type", bh_pkg_kind_name(p->kind));
    if (p->purl)
        bh_jsonw_kv_string(w, "purl", p->purl);
    if (p->arch)
        bh_jsonw_kv_string(w, "arch", p->arch);
    if (p->src_name)
        bh_jsonw_kv_string(w, "src_name", p->src_name);
    if (p->src_version)
        bh_jsonw_kv_string(w, "src_version", p->src_version);
    if (p->license)
        bh_jsonw_kv_string(w, "license", p->license);
    if (p->path)
        bh_jsonw_kv_string(w, "path", p->path);
    if (p->layer >= 0)
        bh_jsonw_kv_int(w, "layer", p->layer);
    bh_jsonw_end_object(w);
}

static void write_finding(struct bh_jsonw *w, const struct bh_finding *f, const struct bh_target *t)
{
    const char *target = t->target ? t->target : "";
    char mistake[16];
    size_t k;

    snprintf(mistake, sizeof(mistake), "M%d", f->mistake);
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "rule", f->rule ? f->rule : "");
    bh_jsonw_kv_string(w, "mistake", mistake);
    bh_jsonw_kv_string(w, "severity", bh_severity_name(f->severity));
    bh_jsonw_kv_string(w, "title", f->title ? f->title : "");
    bh_jsonw_kv_string(w, "message", f->message ? f->message : "");
    write_location(w, &f->loc, target);
    if (f->stage)
        bh_jsonw_kv_string(w, "stage", f->stage);
    bh_jsonw_kv_string(w, "fix", f->fix ? f->fix : "");
    bh_jsonw_key(w, "references");
    bh_jsonw_begin_array(w);
    for (k = 0; f->refs && k < BH_MAX_REFS && f->refs[k]; k++)
        bh_jsonw_string(w, f->refs[k]);
    bh_jsonw_end_array(w);
    bh_jsonw_key(w, "suppressed");
    if (f->suppressed_kind) {
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "kind", f->suppressed_kind);
        bh_jsonw_kv_string(w, "reason", f->suppressed_reason ? f->suppressed_reason : "");
        bh_jsonw_end_object(w);
    } else {
        bh_jsonw_null(w);
    }
    if (f->vuln)
        write_vuln(w, f->vuln, t);
    bh_jsonw_end_object(w);
}

int bh_report_write_json(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    struct bh_jsonw w;
    size_t i, j;

    (void)o;
    bh_jsonw_init(&w, out, true);
    bh_jsonw_begin_object(&w);
    bh_jsonw_kv_string(&w, "schema", "bulkhead.report/v1");
    bh_jsonw_key(&w, "tool");
    bh_jsonw_begin_object(&w);
    bh_jsonw_kv_string(&w, "name", "bulkhead");
    bh_jsonw_kv_string(&w, "version", r->tool_version ? r->tool_version : "");
    bh_jsonw_end_object(&w);

    bh_jsonw_key(&w, "targets");
    bh_jsonw_begin_array(&w);
    for (i = 0; i < r->ntargets; i++) {
        const struct bh_target *t = &r->targets[i];

        bh_jsonw_begin_object(&w);
        bh_jsonw_kv_string(&w, "target", t->target ? t->target : "");
        bh_jsonw_kv_string(&w, "kind", bh_target_kind_name(t->kind));
        bh_jsonw_key(&w, "findings");
        bh_jsonw_begin_array(&w);
        for (j = 0; j < t->findings.n; j++)
            write_finding(&w, &t->findings.v[j], t);
        bh_jsonw_end_array(&w);
        if (t->kind == BH_KIND_IMAGE || t->kind == BH_KIND_ROOTFS) {
            bh_jsonw_key(&w, "os");
            if (t->os.id) {
                bh_jsonw_begin_object(&w);
                bh_jsonw_kv_string(&w, "id", t->os.id);
                bh_jsonw_kv_string(&w, "version_id", t->os.version_id);
                bh_jsonw_kv_string(&w, "codename", t->os.codename);
                bh_jsonw_kv_string(&w, "pretty_name", t->os.pretty);
                bh_jsonw_kv_string(&w, "source", t->os.source);
                bh_jsonw_end_object(&w);
            } else {
                bh_jsonw_null(&w);
            }
            bh_jsonw_kv_string(&w, "image_id", t->image_id);
        }
        bh_jsonw_key(&w, "packages");
        bh_jsonw_begin_array(&w);
        for (j = 0; j < t->packages.n; j++)
            write_package(&w, &t->packages.v[j]);
        bh_jsonw_end_array(&w);
        bh_jsonw_end_object(&w);
    }
    bh_jsonw_end_array(&w);

    bh_jsonw_key(&w, "errors");
    bh_jsonw_begin_array(&w);
    for (i = 0; i < r->nerrors; i++) {
        const struct bh_report_error *e = &r->errors[i];

        bh_jsonw_begin_object(&w);
        bh_jsonw_kv_string(&w, "target", e->target ? e->target : "");
        bh_jsonw_kv_string(&w, "message", e->message ? e->message : "");
        if (e->line > 0) {
            bh_jsonw_kv_int(&w, "line", e->line);
            if (e->col > 0)
                bh_jsonw_kv_int(&w, "column", e->col);
        }
        bh_jsonw_end_object(&w);
    }
    bh_jsonw_end_array(&w);
    bh_jsonw_end_object(&w);
    return bh_jsonw_finish(&w);
}
