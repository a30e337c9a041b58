/*
 * junit.c - JUnit XML for CI test tabs: a <testsuite> per target, a failing
 * <testcase> per standing finding, one passing testcase for a clean target,
 * and read errors as <error> testcases (in their target's suite, or a suite
 * of their own when the target never got read). Suppressed findings are left
 * out. Text is XML-escaped; characters XML 1.0 cannot carry are dropped.
 */
#include "report/report.h"

#include "core/err.h"
#include "report/jsonw.h"

#include <string.h>

/*
 * XML 1.0 allows tab, LF, CR and U+0020.. except surrogates, U+FFFE and
 * U+FFFF; we also drop DEL and the C1 controls, which XML permits but no
 * viewer wants. Invalid UTF-8 becomes U+FFFD. In attributes, whitespace
 * controls are written as character references so parsers keep them.
 */
static void put_xml(FILE *out, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0, i = 0;

    while (i < n) {
        uint32_t cp;
        size_t k = bh_jsonw_utf8_next(p + i, n - i, &cp);

        if (k == 0) {
            fputs("\xef\xbf\xbd", out);
            k = 1;
        } else if (cp == '&') {
            fputs("&amp;", out);
        } else if (cp == '<') {
            fputs("&lt;", out);
        } else if (cp == '>') {
            fputs("&gt;", out);
        } else if (attr && cp == '"') {
            fputs("&quot;", out);
        } else if (attr && cp == '\'') {
            fputs("&apos;", out);
        } else if (cp == '\r' || (attr && (cp == '\n' || cp == '\t'))) {
            fprintf(out, "&#%u;", (unsigned)cp);
        } else if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) ||
                   cp == 0xfffe || cp == 0xffff) {
            /* dropped: not representable, or a control character */
        } else {
            fwrite(p + i, 1, k, out);
        }
        i += k;
    }
}

static void put_loc(FILE *out, const char *file, int line, int col)
{
    put_xml(out, file, false);
    if (line > 0) {
        fprintf(out, ":%d", line);
        if (col > 0)
            fprintf(out, ":%d", col);
    }
}

static void write_error_case(FILE *out, const struct bh_report_error *e)
{
    fputs("    <testcase classname=\"bulkhead\" name=\"", out);
    put_xml(out, e->target, true);
    if (e->line > 0)
        fprintf(out, ":%d", e->line);
    fputs("\">\n      <error message=\"", out);
    put_xml(out, e->message, true);
    fputs("\" type=\"read-error\">", out);
    put_loc(out, e->target, e->line, e->col);
    fputs(": ", out);
    put_xml(out, e->message, false);
    fputs("</error>\n    </testcase>\n", out);
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool target_exists(const struct bh_report *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->ntargets; i++) {
        if (same(r->targets[i].target, name))
            return true;
    }
    return false;
}

static size_t errors_of(const struct bh_report *r, const char *name)
{
    size_t i, n = 0;

    for (i = 0; i < r->nerrors; i++)
        n += same(r->errors[i].target, name);
    return n;
}

static void write_failure_case(FILE *out, const struct bh_target *t, const struct bh_finding *f)
{
    const char *file = f->loc.file ? f->loc.file : t->target;

    fputs("    <testcase classname=\"", out);
    put_xml(out, f->rule, true);
    fputs("\" name=\"", out);
    put_xml(out, file, true);
    if (f->loc.line > 0)
        fprintf(out, ":%d", f->loc.line);
    fputc(' ', out);
    put_xml(out, f->rule, true);
    fputs("\">\n      <failure message=\"", out);
    put_xml(out, f->message && f->message[0] ? f->message : f->title, true);
    fprintf(out, "\" type=\"%s\">", bh_severity_name(f->severity));
    put_xml(out, f->title, false);
    fputs("\nfix: ", out);
    put_xml(out, f->fix, false);
    fputs("\nlocation: ", out);
    put_loc(out, file, f->loc.line, f->loc.col);
    if (f->loc.path) {
        fputs("\npath: ", out);
        put_xml(out, f->loc.path, false);
    }
    if (f->stage) {
        fputs("\nstage: ", out);
        put_xml(out, f->stage, false);
    }
    fputs("</failure>\n    </testcase>\n", out);
}

int bh_report_write_junit(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    size_t i, j, tests = 0, failures = 0;

    (void)o;
    for (i = 0; i < r->ntargets; i++) {
        size_t nf = 0, ne = errors_of(r, r->targets[i].target);

        for (j = 0; j < r->targets[i].findings.n; j++)
            nf += !r->targets[i].findings.v[j].suppressed_kind;
        failures += nf;
        tests += nf + ne ? nf + ne : 1;
    }
    for (i = 0; i < r->nerrors; i++)
        tests += !target_exists(r, r->errors[i].target);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"bulkhead\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            tests, failures, r->nerrors);
    for (i = 0; i < r->ntargets; i++) {
        const struct bh_target *t = &r->targets[i];
        size_t nf = 0, ne = errors_of(r, t->target);

        for (j = 0; j < t->findings.n; j++)
            nf += !t->findings.v[j].suppressed_kind;
        fputs("  <testsuite name=\"", out);
        put_xml(out, t->target, true);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", nf + ne ? nf + ne : 1,
                nf, ne);
        for (j = 0; j < t->findings.n; j++) {
            if (!t->findings.v[j].suppressed_kind)
                write_failure_case(out, t, &t->findings.v[j]);
        }
        for (j = 0; j < r->nerrors; j++) {
            if (same(r->errors[j].target, t->target))
                write_error_case(out, &r->errors[j]);
        }
        if (nf + ne == 0) {
            fputs("    <testcase classname=\"bulkhead\" name=\"", out);
            put_xml(out, t->target, true);
            fputs("\"/>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    /* errors of targets that were never read: one suite per target name, first seen first */
    for (i = 0; i < r->nerrors; i++) {
        const char *name = r->errors[i].target;
        bool seen = false;

        if (target_exists(r, name))
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = same(r->errors[j].target, name);
        if (seen)
            continue;
        fputs("  <testsuite name=\"", out);
        put_xml(out, name, true);
        fprintf(out, "\" tests=\"%zu\" failures=\"0\" errors=\"%zu\">\n", errors_of(r, name),
                errors_of(r, name));
        for (j = i; j < r->nerrors; j++) {
            if (j == i || same(r->errors[j].target, name))
                write_error_case(out, &r->errors[j]);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    return ferror(out) ? BH_EIO : 0;
}
