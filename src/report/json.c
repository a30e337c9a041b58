/*
 * json.c - the `bulkhead.report/v1` JSON report (shape in CLI.md, schema in
 * docs/report-schema.json): targets with their findings, suppressed ones
 * included and marked, then read errors. Deterministic: no timestamps, the
 * caller sorts. Escaping is jsonw's job. It does not filter anything.
 */
#include "report/report.h"

#include "core/err.h"
#include "report/jsonw.h"

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

static void write_finding(struct bh_jsonw *w, const struct bh_finding *f, const char *target)
{
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
            write_finding(&w, &t->findings.v[j], t->target ? t->target : "");
        bh_jsonw_end_array(&w);
        /* NEEDSWORK: packages are filled once image scanning exists */
        bh_jsonw_key(&w, "packages");
        bh_jsonw_begin_array(&w);
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
