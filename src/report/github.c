/*
 * github.c - GitHub Actions workflow commands (`::error file=..::message`),
 * which the runner turns into annotations on the pull request. One line per
 * standing finding (suppressed ones are left out) and per read error. The
 * runner parses these lines, so input text is escaped to stay on one line.
 */
#include "report/report.h"

#include "core/err.h"
#include "report/jsonw.h"

#include <string.h>

/*
 * Escape for a workflow command: % CR LF always, plus ':' and ',' inside a
 * property value. Other control characters become '?' (the log viewer would
 * interpret ANSI sequences), invalid UTF-8 becomes U+FFFD.
 */
static void put_escaped(FILE *out, const char *s, bool property)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0, i = 0;

    while (i < n) {
        uint32_t cp;
        size_t k = bh_jsonw_utf8_next(p + i, n - i, &cp);

        if (k == 0) {
            fputs("\xef\xbf\xbd", out);
            k = 1;
        } else if (cp == '%') {
            fputs("%25", out);
        } else if (cp == '\r') {
            fputs("%0D", out);
        } else if (cp == '\n') {
            fputs("%0A", out);
        } else if (property && cp == ':') {
            fputs("%3A", out);
        } else if (property && cp == ',') {
            fputs("%2C", out);
        } else if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f)) {
            fputc('?', out);
        } else {
            fwrite(p + i, 1, k, out);
        }
        i += k;
    }
}

static const char *command_of(enum bh_severity s)
{
    switch (s) {
    case BH_SEV_CRITICAL:
    case BH_SEV_HIGH:
        return "error";
    case BH_SEV_MEDIUM:
        return "warning";
    default:
        return "notice";
    }
}

static void put_file(FILE *out, const char *file)
{
    /* annotations are matched against repository-relative paths */
    while (file[0] == '.' && file[1] == '/')
        file += 2;
    fputs("file=", out);
    put_escaped(out, file, true);
}

int bh_report_write_github(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    size_t i, j;

    (void)o;
    for (i = 0; i < r->ntargets; i++) {
        const struct bh_target *t = &r->targets[i];

        for (j = 0; j < t->findings.n; j++) {
            const struct bh_finding *f = &t->findings.v[j];
            const struct bh_loc *l = &f->loc;

            if (f->suppressed_kind)
                continue;
            fprintf(out, "::%s ", command_of(f->severity));
            put_file(out, l->file ? l->file : (t->target ? t->target : ""));
            if (l->line > 0) {
                fprintf(out, ",line=%d", l->line);
                if (l->col > 0)
                    fprintf(out, ",col=%d", l->col);
                if (l->end_line > l->line)
                    fprintf(out, ",endLine=%d", l->end_line);
                if (l->end_col > 0 && (l->end_line > l->line || l->end_col > l->col))
                    fprintf(out, ",endColumn=%d", l->end_col);
            }
            fputs(",title=", out);
            put_escaped(out, f->rule, true);
            fputs("::", out);
            put_escaped(out, f->message && f->message[0] ? f->message : f->title, false);
            if (f->stage) {
                fputs(" [stage ", out);
                put_escaped(out, f->stage, false);
                fputc(']', out);
            }
            if (l->path) {
                fputs("%0Aat: ", out);
                put_escaped(out, l->path, false);
            }
            if (f->fix && f->fix[0]) {
                fputs("%0Afix: ", out);
                put_escaped(out, f->fix, false);
            }
            fputc('\n', out);
        }
    }
    for (i = 0; i < r->nerrors; i++) {
        const struct bh_report_error *e = &r->errors[i];

        fputs("::error ", out);
        put_file(out, e->target ? e->target : "");
        if (e->line > 0) {
            fprintf(out, ",line=%d", e->line);
            if (e->col > 0)
                fprintf(out, ",col=%d", e->col);
        }
        fputs(",title=bulkhead::", out);
        put_escaped(out, e->message, false);
        fputc('\n', out);
    }
    return ferror(out) ? BH_EIO : 0;
}
