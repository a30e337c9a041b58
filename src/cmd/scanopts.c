/*
 * scanopts.c - the options every scanning command shares (format, output,
 * severity, fail-on, exit-code, policy, ignore file, colour) and the end of
 * every scan: pipeline filters, the report writer, the exit code.
 */
#include "cmd/cmd.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "input/ignorefile.h"
#include "input/policy.h"
#include "report/report.h"
#include "rules/pipeline.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void bh_scanopts_init(struct bh_scanopts *o)
{
    memset(o, 0, sizeof(*o));
    o->sev_mask = (1u << BH_SEV_COUNT) - 1;
    o->fail_on = BH_SEV_LOW;
    o->exit_code = 1;
    o->color = -1;
    bh_policy_init(&o->policy);
}

int bh_scanopts_handle(struct bh_scanopts *o, const char *name, const char *val)
{
    long long n;

    if (!strcmp(name, "format")) {
        if (!bh_writer_find(val)) {
            fprintf(stderr, "bulkhead: unknown format '%s' (one of: %s)\n", val, bh_writer_names());
            return BH_EXIT_USAGE;
        }
        o->format = val;
    } else if (!strcmp(name, "output")) {
        o->output = val;
    } else if (!strcmp(name, "severity")) {
        const char *p = val;

        o->sev_mask = 0;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            int s = -1, i;
            static const char *const names[] = {"info", "low", "medium", "high", "critical"};

            for (i = 0; i < BH_SEV_COUNT; i++) {
                if (bh_str_ieqn(p, len, names[i]))
                    s = i;
            }
            if (s < 0) {
                fprintf(stderr, "bulkhead: unknown severity '%.*s' in --severity\n", (int)len, p);
                return BH_EXIT_USAGE;
            }
            o->sev_mask |= 1u << s;
            p += len;
            if (*p == ',')
                p++;
        }
        if (!o->sev_mask) {
            fprintf(stderr, "bulkhead: --severity needs at least one severity\n");
            return BH_EXIT_USAGE;
        }
    } else if (!strcmp(name, "fail-on")) {
        int s = bh_severity_parse(val);

        if (s < 0) {
            fprintf(stderr, "bulkhead: unknown severity '%s' in --fail-on\n", val);
            return BH_EXIT_USAGE;
        }
        o->fail_on = s;
    } else if (!strcmp(name, "exit-code")) {
        if (bh_parse_int(val, strlen(val), 0, 255, &n)) {
            fprintf(stderr, "bulkhead: --exit-code needs a number from 0 to 255, not '%s'\n", val);
            return BH_EXIT_USAGE;
        }
        o->exit_code = (int)n;
    } else if (!strcmp(name, "policy")) {
        o->policy_file = val;
    } else if (!strcmp(name, "ignorefile")) {
        o->ignorefile = val;
    } else if (!strcmp(name, "show-suppressed")) {
        o->show_suppressed = true;
    } else if (!strcmp(name, "color")) {
        if (!strcmp(val, "auto"))
            o->color = -1;
        else if (!strcmp(val, "always"))
            o->color = 1;
        else if (!strcmp(val, "never"))
            o->color = 0;
        else {
            fprintf(stderr, "bulkhead: --color takes auto, always or never, not '%s'\n", val);
            return BH_EXIT_USAGE;
        }
    } else if (!strcmp(name, "quiet")) {
        o->quiet = true;
    } else if (!strcmp(name, "no-progress")) {
        o->no_progress = true;
    } else {
        return 0;
    }
    return 1;
}

int bh_scanopts_load(struct bh_scanopts *o, struct bh_arena *a)
{
    struct bh_err err;
    const char *igf = o->ignorefile;
    int rc;

    bh_err_init(&err);
    if (o->policy_file) {
        rc = bh_policy_read(a, o->policy_file, &o->policy, &err);
        if (rc) {
            fprintf(stderr, "bulkhead: cannot read policy '%s'", o->policy_file);
            if (err.line)
                fprintf(stderr, ": line %d", err.line);
            if (err.col)
                fprintf(stderr, ", column %d", err.col);
            fprintf(stderr, ": %s\n", err.msg);
            return BH_EXIT_USAGE;
        }
    }
    if (!igf && access(".bulkheadignore", F_OK) == 0)
        igf = ".bulkheadignore";
    if (igf) {
        rc = bh_ignorefile_read(a, igf, &o->ignores, &err);
        if (rc) {
            fprintf(stderr, "bulkhead: cannot read ignore file '%s'", igf);
            if (err.line)
                fprintf(stderr, ": line %d", err.line);
            fprintf(stderr, ": %s\n", err.msg);
            return BH_EXIT_USAGE;
        }
    }
    return 0;
}

static bool want_color(const struct bh_scanopts *o, const struct bh_ctx *ctx)
{
    const char *nc = getenv("NO_COLOR");

    if (o->color == 0)
        return false;
    if (o->color == 1)
        return true;
    if (nc && nc[0])
        return false;
    return !o->output && ctx->stdout_tty;
}

int bh_scanopts_finish(struct bh_scanopts *o, struct bh_ctx *ctx, struct bh_report *r,
                       const char *command)
{
    const struct bh_writer *w = bh_writer_find(o->format ? o->format : "table");
    struct bh_report_opts ro;
    FILE *out = stdout;
    bool fail = false;
    size_t i, j;
    int rc;

    if (w->write == bh_report_write_cyclonedx || w->write == bh_report_write_spdx) {
        size_t n = 0;

        for (i = 0; i < r->ntargets; i++)
            n += r->targets[i].kind == BH_KIND_IMAGE || r->targets[i].kind == BH_KIND_ROOTFS;
        /* one SBOM document describes one thing; config files have no packages to list */
        if (strcmp(command, "image") != 0 && strcmp(command, "rootfs") != 0 &&
            strcmp(command, "sbom") != 0) {
            fprintf(stderr, "bulkhead %s: the %s format is for images and root filesystems\n",
                    command, o->format);
            return BH_EXIT_USAGE;
        }
        if (n > 1) {
            fprintf(stderr,
                    "bulkhead %s: an SBOM describes one image or root filesystem; %zu were "
                    "scanned (give one target, or use -f json)\n",
                    command, n);
            return BH_EXIT_USAGE;
        }
    }
    for (i = 0; i < r->ntargets; i++)
        bh_pipeline_severity(o->sev_mask, &r->targets[i].findings);
    bh_report_sort(r);
    memset(&ro, 0, sizeof(ro));
    ro.color = want_color(o, ctx);
    ro.show_suppressed = o->show_suppressed;
    ro.command = command;
    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, "bulkhead: cannot write '%s': %s\n", o->output, strerror(errno));
            return BH_EXIT_USAGE;
        }
    }
    /* reports are written in many small pieces: give the stream a large buffer */
    setvbuf(out, NULL, _IOFBF, 1u << 16);
    rc = w->write(out, r, &ro);
    if (fflush(out) != 0 || ferror(out))
        rc = BH_EIO;
    if (out != stdout && fclose(out) != 0)
        rc = BH_EIO;
    if (rc) {
        fprintf(stderr, "bulkhead: cannot write the report: %s\n", bh_err_name(rc));
        return BH_EXIT_INTERNAL;
    }
    /* the table on stdout already lists the errors; anywhere else, say them on stderr too */
    for (i = 0; i < r->nerrors && !(w->write == bh_report_write_table && out == stdout); i++) {
        const struct bh_report_error *e = &r->errors[i];

        if (e->line)
            fprintf(stderr, "bulkhead: error: %s:%d:%d: %s\n", e->target, e->line, e->col,
                    e->message);
        else
            fprintf(stderr, "bulkhead: error: %s: %s\n", e->target, e->message);
    }
    if (r->nerrors)
        return BH_EXIT_USAGE;
    for (i = 0; i < r->ntargets; i++) {
        for (j = 0; j < r->targets[i].findings.n; j++) {
            const struct bh_finding *f = &r->targets[i].findings.v[j];

            if (!f->suppressed_kind && (int)f->severity >= o->fail_on)
                fail = true;
        }
    }
    return fail ? o->exit_code : BH_EXIT_OK;
}

static const char *keep(struct bh_arena *ra, const char *s)
{
    return s ? bh_arena_strdup(ra, s) : NULL;
}

void bh_cmd_keep_findings(struct bh_arena *ra, struct bh_target *t, const struct bh_findings *found)
{
    size_t k;

    for (k = 0; t && k < found->n; k++) {
        struct bh_finding *f = bh_findings_add(ra, &t->findings);

        if (!f)
            return;
        *f = found->v[k];
        f->message = keep(ra, f->message);
        f->loc.file = keep(ra, f->loc.file);
        f->loc.path = keep(ra, f->loc.path);
        f->stage = keep(ra, f->stage);
        f->suppressed_reason = keep(ra, f->suppressed_reason);
    }
}

void bh_cmd_keep_inventory(struct bh_arena *ra, struct bh_target *t, const struct bh_packages *pk,
                           const struct bh_osinfo *os, const char *image_id)
{
    size_t i;

    t->image_id = keep(ra, image_id);
    t->os = *os;
    t->os.id = keep(ra, os->id);
    t->os.version_id = keep(ra, os->version_id);
    t->os.codename = keep(ra, os->codename);
    t->os.pretty = keep(ra, os->pretty);
    t->os.id_like = keep(ra, os->id_like);
    t->os.source = keep(ra, os->source);
    t->packages.v = bh_arena_calloc(ra, pk->n ? pk->n : 1, sizeof(*t->packages.v));
    if (!t->packages.v)
        return;
    for (i = 0; i < pk->n; i++) {
        struct bh_package *q = &t->packages.v[i];

        *q = pk->v[i];
        q->name = keep(ra, q->name);
        q->version = keep(ra, q->version);
        q->arch = keep(ra, q->arch);
        q->src_name = keep(ra, q->src_name);
        q->src_version = keep(ra, q->src_version);
        q->license = keep(ra, q->license);
        q->purl = keep(ra, q->purl);
        q->path = keep(ra, q->path);
    }
    t->packages.n = t->packages.cap = pk->n;
}
