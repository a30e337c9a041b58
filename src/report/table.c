/*
 * table.c - the human report: findings grouped by target, one line each
 * plus its fix, read errors, then a summary line. Everything that came from
 * input passes through put_text(), which never lets a control character,
 * invalid UTF-8 or a bidi override reach the terminal. Colour only on request.
 */
#include "report/report.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "model/vuln.h"
#include "report/jsonw.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_BOLDRED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"

/* "CRITICAL" is the widest severity name. */
#define SEV_WIDTH 8

static bool is_bidi_control(uint32_t cp)
{
    return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Write untrusted text: C0 controls (except tab), DEL and invalid bytes as
 * \xNN; C1 controls (8-bit CSI and friends) and bidi controls as \u{NNNN}, so
 * a message can neither drive the terminal nor reorder what is displayed.
 * Returns the number of columns written, roughly (bytes of plain ASCII).
 */
static size_t counted(int n)
{
    return n > 0 ? (size_t)n : 0;
}

static size_t put_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0, i = 0, cols = 0;

    while (i < n) {
        uint32_t cp;
        size_t k = bh_jsonw_utf8_next(p + i, n - i, &cp);

        if (k == 0) {
            cols += counted(fprintf(out, "\\x%02x", p[i]));
            k = 1;
        } else if ((cp < 0x20 && cp != '\t') || cp == 0x7f) {
            cols += counted(fprintf(out, "\\x%02x", (unsigned)cp));
        } else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) {
            cols += counted(fprintf(out, "\\u{%04x}", (unsigned)cp));
        } else {
            fwrite(p + i, 1, k, out);
            cols++;
        }
        i += k;
    }
    return cols;
}

static void pad(FILE *out, size_t have, size_t want)
{
    for (; have < want; have++)
        fputc(' ', out);
}

static const char *sev_color(enum bh_severity s)
{
    switch (s) {
    case BH_SEV_CRITICAL:
        return C_BOLDRED;
    case BH_SEV_HIGH:
        return C_RED;
    case BH_SEV_MEDIUM:
        return C_YELLOW;
    case BH_SEV_LOW:
        return C_CYAN;
    default:
        return C_DIM;
    }
}

static void put_severity(FILE *out, enum bh_severity s, bool color)
{
    const char *name = bh_severity_name(s);
    size_t i;

    if (color)
        fputs(sev_color(s), out);
    for (i = 0; name[i]; i++)
        fputc(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i], out);
    if (color)
        fputs(C_RESET, out);
    pad(out, i, SEV_WIDTH);
}

static bool shown(const struct bh_finding *f, const struct bh_report_opts *o)
{
    return !f->suppressed_kind || (o && o->show_suppressed);
}

/* "FILE:LINE:COL" with FILE only when it differs from the target; "-" when unknown. */
static void format_loc(struct bh_buf *b, const struct bh_target *t, const struct bh_finding *f)
{
    bh_buf_reset(b);
    if (f->loc.file && t->target && strcmp(f->loc.file, t->target)) {
        bh_buf_puts(b, f->loc.file);
        if (f->loc.line > 0)
            bh_buf_putc(b, ':');
    }
    if (f->loc.line > 0) {
        bh_buf_printf(b, "%d", f->loc.line);
        if (f->loc.col > 0)
            bh_buf_printf(b, ":%d", f->loc.col);
    } else if (!b->len) {
        bh_buf_putc(b, '-');
    }
}

/* "CVE-2024-1  libssl3 3.0.11-1 -> 3.0.13-1 (source openssl)": id, package, installed -> fix */
static void put_vuln(FILE *out, const struct bh_target *t, const struct bh_vulnmatch *m)
{
    const struct bh_package *p = m->pkg < t->packages.n ? &t->packages.v[m->pkg] : NULL;
    const char *name = p && p->name ? p->name : m->package;

    put_text(out, m->id);
    fputs("  ", out);
    put_text(out, name);
    fputc(' ', out);
    put_text(out, m->installed);
    fputs(" -> ", out);
    if (m->fixed)
        put_text(out, m->fixed);
    else
        fputs("no fix yet", out);
    if (m->package && name && strcmp(m->package, name) != 0) {
        fputs(" (source ", out);
        put_text(out, m->package);
        fputc(')', out);
    }
}

static void write_target(FILE *out, const struct bh_target *t, const struct bh_report_opts *o,
                         struct bh_buf *b)
{
    bool color = o && o->color;
    size_t locw = 0, rulew = 0, j;

    for (j = 0; j < t->findings.n; j++) {
        const struct bh_finding *f = &t->findings.v[j];

        if (!shown(f, o))
            continue;
        format_loc(b, t, f);
        if (b->len > locw)
            locw = b->len;
        if (f->rule && strlen(f->rule) > rulew)
            rulew = strlen(f->rule);
    }
    if (color)
        fputs(C_BOLD, out);
    put_text(out, t->target);
    fprintf(out, " (%s)", bh_target_kind_name(t->kind));
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
    for (j = 0; j < t->findings.n; j++) {
        const struct bh_finding *f = &t->findings.v[j];

        if (!shown(f, o))
            continue;
        format_loc(b, t, f);
        fputs("  ", out);
        pad(out, put_text(out, bh_buf_str(b)), locw);
        fputs("  ", out);
        put_severity(out, f->severity, color);
        fputs("  ", out);
        pad(out, put_text(out, f->rule), rulew);
        fputs("  ", out);
        if (f->vuln)
            put_vuln(out, t, f->vuln);
        else
            put_text(out, f->message && f->message[0] ? f->message : f->title);
        if (f->stage) {
            fputs(" [stage ", out);
            put_text(out, f->stage);
            fputc(']', out);
        }
        if (f->suppressed_kind) {
            if (color)
                fputs(C_DIM, out);
            fputs(" (suppressed", out);
            if (f->suppressed_reason && f->suppressed_reason[0]) {
                fputs(": ", out);
                put_text(out, f->suppressed_reason);
            }
            fputc(')', out);
            if (color)
                fputs(C_RESET, out);
        }
        fputc('\n', out);
        /* a vulnerability is one line: its "at" and "fix" would repeat on every advisory */
        if (f->vuln)
            continue;
        if (f->loc.path) {
            fputs("    at: ", out);
            put_text(out, f->loc.path);
            fputc('\n', out);
        }
        if (f->fix && f->fix[0]) {
            fputs("    fix: ", out);
            put_text(out, f->fix);
            fputc('\n', out);
        }
    }
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int bh_report_write_table(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    struct bh_buf b = BH_BUF_INIT(BH_MAX_PATH + 64);
    size_t count[BH_SEV_COUNT] = {0};
    size_t total = 0, suppressed = 0, i, j;
    bool any_block = false;

    for (i = 0; i < r->ntargets; i++) {
        const struct bh_target *t = &r->targets[i];
        bool show = false;

        for (j = 0; j < t->findings.n; j++) {
            const struct bh_finding *f = &t->findings.v[j];

            if (f->suppressed_kind) {
                suppressed++;
            } else {
                total++;
                if ((unsigned)f->severity < BH_SEV_COUNT)
                    count[f->severity]++;
            }
            if (shown(f, o))
                show = true;
        }
        if (!show)
            continue;
        if (any_block)
            fputc('\n', out);
        write_target(out, t, o, &b);
        any_block = true;
    }
    if (r->nerrors && any_block)
        fputc('\n', out);
    for (i = 0; i < r->nerrors; i++) {
        const struct bh_report_error *e = &r->errors[i];

        if (o && o->color)
            fputs(C_RED "error:" C_RESET " ", out);
        else
            fputs("error: ", out);
        put_text(out, e->target);
        if (e->line > 0) {
            fprintf(out, ":%d", e->line);
            if (e->col > 0)
                fprintf(out, ":%d", e->col);
        }
        fputs(": ", out);
        put_text(out, e->message);
        fputc('\n', out);
    }
    if (any_block || r->nerrors)
        fputc('\n', out);
    if (total == 0)
        fprintf(out, "no findings in %zu %s", r->ntargets,
                plural(r->ntargets, "target", "targets"));
    else
        fprintf(out, "%zu %s (critical: %zu, high: %zu, medium: %zu, low: %zu, info: %zu)", total,
                plural(total, "finding", "findings"), count[BH_SEV_CRITICAL], count[BH_SEV_HIGH],
                count[BH_SEV_MEDIUM], count[BH_SEV_LOW], count[BH_SEV_INFO]);
    if (total || suppressed)
        fprintf(out, ", %zu suppressed", suppressed);
    if (total || r->nerrors)
        fprintf(out, ", %zu %s", r->nerrors, plural(r->nerrors, "error", "errors"));
    fputc('\n', out);
    bh_buf_release(&b);
    return ferror(out) ? BH_EIO : 0;
}
