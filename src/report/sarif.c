/*
 * sarif.c - SARIF 2.1.0 (one run) for code-scanning services: every rule of
 * the table as a reportingDescriptor, one result per finding (suppressed ones
 * carry `suppressions`), read errors as tool execution notifications. Paths
 * stay relative to %SRCROOT%, which is deliberately not resolved here: an
 * absolute root would make the output depend on where it was produced.
 */
#include "report/report.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "model/vuln.h"
#include "report/jsonw.h"
#include "rules/docs.h"
#include "rules/rule.h"

#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/bulkhead-dev/bulkhead"
/* Longest fullDescription taken from a rule's doc page. */
#define MAX_DESCRIPTION 2000u

/* A rule id seen in findings but absent from the table (e.g. vulnerabilities). */
struct extra_rule {
    const char *id;
    const struct bh_finding *first;
};

struct sarif {
    struct bh_jsonw w;
    struct bh_arena arena;
    struct extra_rule *extra;
    size_t nextra, extra_cap;
    size_t nrules; /* rows of the rule table */
    struct bh_buf tmp;
};

static const char *level_of(enum bh_severity s)
{
    switch (s) {
    case BH_SEV_CRITICAL:
    case BH_SEV_HIGH:
        return "error";
    case BH_SEV_MEDIUM:
        return "warning";
    default:
        return "note";
    }
}

/* GitHub ranks alerts by this number: >= 9 critical, >= 7 high, >= 4 medium. */
static const char *security_severity(enum bh_severity s)
{
    switch (s) {
    case BH_SEV_CRITICAL:
        return "9.5";
    case BH_SEV_HIGH:
        return "8.0";
    case BH_SEV_MEDIUM:
        return "5.5";
    case BH_SEV_LOW:
        return "3.0";
    default:
        return "0.0";
    }
}

/* "BUILD-USER" -> "BuildUser": SARIF names are meant to be identifier-like. */
static const char *camel_name(struct sarif *s, const char *id)
{
    bool upper = true;

    bh_buf_reset(&s->tmp);
    for (; *id; id++) {
        char c = *id;

        if (c == '-' || c == '_' || c == '.' || c == ' ') {
            upper = true;
            continue;
        }
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        bh_buf_putc(&s->tmp, c);
        upper = false;
    }
    return bh_buf_str(&s->tmp);
}

/* A line that opens a heading, list, table, quote or code block rather than prose. */
static bool is_markup(const char *p)
{
    while (*p == ' ')
        p++;
    if (*p == '#' || *p == '|' || *p == '>' || *p == '`' || *p == '<')
        return true;
    if ((*p == '-' || *p == '*' || *p == '+') && (p[1] == ' ' || p[1] == '\t'))
        return true;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p == '.' && p[-1] >= '0' && p[-1] <= '9' && p[1] == ' ';
}

/*
 * The first prose paragraph of a doc page at or after `from`, lines joined by
 * spaces; paragraphs that open with markup (the metadata list, examples) are
 * skipped. NULL when there is none.
 */
static const char *prose_paragraph(struct sarif *s, const char *from)
{
    const char *p = from;
    bool skipping = false;

    bh_buf_reset(&s->tmp);
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bool blank = true;
        size_t i;

        for (i = 0; i < len; i++) {
            if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
                blank = false;
        }
        if (blank) {
            if (s->tmp.len)
                break;
            skipping = false;
        } else if (!s->tmp.len && (skipping || is_markup(p))) {
            skipping = true;
        } else if (s->tmp.len + len + 1 <= MAX_DESCRIPTION) {
            if (s->tmp.len)
                bh_buf_putc(&s->tmp, ' ');
            bh_buf_append(&s->tmp, p, len && p[len - 1] == '\r' ? len - 1 : len);
        } else {
            break;
        }
        p = nl ? nl + 1 : NULL;
    }
    return s->tmp.len && !s->tmp.failed ? bh_buf_str(&s->tmp) : NULL;
}

/* The rule's rationale: "Why it matters" when the page has it, else its first prose. */
static const char *describe(struct sarif *s, const char *doc)
{
    const char *why = strstr(doc, "\n## Why it matters");
    const char *text = why ? prose_paragraph(s, strchr(why + 1, '\n')) : NULL;

    return text ? text : prose_paragraph(s, doc);
}

static void write_descriptor(struct sarif *s, const char *id, const char *title, const char *fix,
                             int mistake, enum bh_severity sev)
{
    struct bh_jsonw *w = &s->w;
    char docname[256], tag[16];
    const char *doc, *full;

    snprintf(docname, sizeof(docname), "rules/%s", id);
    doc = bh_doc_get(docname);
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "id", id);
    bh_jsonw_kv_string(w, "name", camel_name(s, id));
    bh_jsonw_key(w, "shortDescription");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "text", title);
    bh_jsonw_end_object(w);
    full = doc ? describe(s, doc) : NULL;
    bh_jsonw_key(w, "fullDescription");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "text", full ? full : title);
    bh_jsonw_end_object(w);
    bh_jsonw_key(w, "help");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "text", fix);
    bh_jsonw_kv_string(w, "markdown", doc ? doc : fix);
    bh_jsonw_end_object(w);
    bh_jsonw_key(w, "defaultConfiguration");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "level", level_of(sev));
    bh_jsonw_end_object(w);
    bh_jsonw_key(w, "properties");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "security-severity", security_severity(sev));
    bh_jsonw_key(w, "tags");
    bh_jsonw_begin_array(w);
    bh_jsonw_string(w, "security");
    if (mistake > 0) {
        snprintf(tag, sizeof(tag), "M%d", mistake);
        bh_jsonw_string(w, tag);
    }
    bh_jsonw_end_array(w);
    bh_jsonw_kv_string(w, "precision", "high");
    bh_jsonw_end_object(w);
    bh_jsonw_end_object(w);
}

/* Index of id in the rules array (table first, then extras); -1 when absent. */
static long rule_index(const struct sarif *s, const char *id)
{
    size_t i;

    for (i = 0; i < s->nrules; i++) {
        if (!strcmp(bh_rules_at(i)->id, id))
            return (long)i;
    }
    for (i = 0; i < s->nextra; i++) {
        if (!strcmp(s->extra[i].id, id))
            return (long)(s->nrules + i);
    }
    return -1;
}

static int collect_extra(struct sarif *s, const struct bh_report *r)
{
    size_t i, j;

    for (i = 0; i < r->ntargets; i++) {
        for (j = 0; j < r->targets[i].findings.n; j++) {
            const struct bh_finding *f = &r->targets[i].findings.v[j];
            struct extra_rule *e;

            if (!f->rule || rule_index(s, f->rule) >= 0)
                continue;
            e = BH_PUSH(&s->arena, s->extra, s->nextra, s->extra_cap);
            if (!e)
                return BH_ENOMEM;
            e->id = f->rule;
            e->first = f;
        }
    }
    return 0;
}

/*
 * A relative URI reference for a path: forward slashes, "./" dropped, every
 * byte outside the unreserved set and '/' percent-encoded. An absolute path
 * becomes a file:// URI (the user named it so; we do not invent a root).
 */
static const char *path_uri(struct sarif *s, const char *path, bool *absolute)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)path;

    bh_buf_reset(&s->tmp);
    *absolute = path[0] == '/';
    if (*absolute)
        bh_buf_puts(&s->tmp, "file://");
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    for (; *p; p++) {
        unsigned char c = *p;

        if (c == '\\')
            c = '/';
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            bh_buf_putc(&s->tmp, (char)c);
        } else {
            bh_buf_putc(&s->tmp, '%');
            bh_buf_putc(&s->tmp, hex[c >> 4]);
            bh_buf_putc(&s->tmp, hex[c & 15]);
        }
    }
    return bh_buf_str(&s->tmp);
}

static void write_physical(struct sarif *s, const char *file, int line, int col, int end_line,
                           int end_col)
{
    struct bh_jsonw *w = &s->w;
    bool absolute;

    bh_jsonw_key(w, "physicalLocation");
    bh_jsonw_begin_object(w);
    bh_jsonw_key(w, "artifactLocation");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "uri", path_uri(s, file, &absolute));
    if (!absolute)
        bh_jsonw_kv_string(w, "uriBaseId", "%SRCROOT%");
    bh_jsonw_end_object(w);
    if (line > 0) {
        int el = end_line >= line ? end_line : line;

        bh_jsonw_key(w, "region");
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_int(w, "startLine", line);
        if (col > 0)
            bh_jsonw_kv_int(w, "startColumn", col);
        if (end_line > line || end_col > 0)
            bh_jsonw_kv_int(w, "endLine", el);
        if (end_col > 0 && (el > line || end_col > col))
            bh_jsonw_kv_int(w, "endColumn", end_col);
        bh_jsonw_end_object(w);
    }
    bh_jsonw_end_object(w);
}

static const struct bh_package *vuln_package(const struct bh_target *t,
                                             const struct bh_vulnmatch *m)
{
    return m->pkg < t->packages.n ? &t->packages.v[m->pkg] : NULL;
}

/*
 * Every vulnerability of an image sits at the same location (the image), so code-scanning
 * services could fold them into one alert; the advisory, package and its file tell them
 * apart and stay stable across scans while the package is unchanged.
 */
static void write_vuln_fingerprint(struct sarif *s, const struct bh_target *t,
                                   const struct bh_vulnmatch *m)
{
    const struct bh_package *p = vuln_package(t, m);
    struct bh_jsonw *w = &s->w;

    bh_buf_reset(&s->tmp);
    bh_buf_printf(&s->tmp, "%s:%s:%s:%s", m->id ? m->id : "", p && p->name ? p->name : "",
                  m->installed ? m->installed : "", p && p->path ? p->path : "");
    bh_jsonw_key(w, "partialFingerprints");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "bulkhead/vulnerability/v1", bh_buf_str(&s->tmp));
    bh_jsonw_end_object(w);
}

static void write_vuln_properties(struct bh_jsonw *w, const struct bh_target *t,
                                  const struct bh_vulnmatch *m)
{
    const struct bh_package *p = vuln_package(t, m);
    size_t k;

    bh_jsonw_key(w, "vulnerability");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "id", m->id ? m->id : "");
    if (m->naliases) {
        bh_jsonw_key(w, "aliases");
        bh_jsonw_begin_array(w);
        for (k = 0; k < m->naliases; k++)
            if (m->aliases[k])
                bh_jsonw_string(w, m->aliases[k]);
        bh_jsonw_end_array(w);
    }
    bh_jsonw_kv_string(w, "package", p && p->name ? p->name : (m->package ? m->package : ""));
    if (p && p->purl)
        bh_jsonw_kv_string(w, "purl", p->purl);
    bh_jsonw_kv_string(w, "ecosystem", m->ecosystem ? m->ecosystem : "");
    bh_jsonw_kv_string(w, "installed", m->installed ? m->installed : "");
    bh_jsonw_key(w, "fixed");
    bh_jsonw_string(w, m->fixed);
    bh_jsonw_end_object(w);
}

static void write_result(struct sarif *s, const struct bh_target *t, const struct bh_finding *f)
{
    struct bh_jsonw *w = &s->w;
    const char *id = f->rule ? f->rule : "";
    long idx = rule_index(s, id);
    char mistake[16];

    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "ruleId", id);
    if (idx >= 0)
        bh_jsonw_kv_int(w, "ruleIndex", idx);
    bh_jsonw_kv_string(w, "level", level_of(f->severity));
    bh_jsonw_key(w, "message");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "text",
                       f->message && f->message[0] ? f->message : (f->title ? f->title : id));
    bh_jsonw_end_object(w);

    bh_jsonw_key(w, "locations");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);
    write_physical(s, f->loc.file ? f->loc.file : t->target, f->loc.line, f->loc.col,
                   f->loc.end_line, f->loc.end_col);
    if (f->loc.path) {
        bh_jsonw_key(w, "logicalLocations");
        bh_jsonw_begin_array(w);
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "fullyQualifiedName", f->loc.path);
        bh_jsonw_end_object(w);
        bh_jsonw_end_array(w);
    }
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);

    if (f->suppressed_kind) {
        bool external =
            !strcmp(f->suppressed_kind, "ignorefile") || !strcmp(f->suppressed_kind, "policy");

        bh_jsonw_key(w, "suppressions");
        bh_jsonw_begin_array(w);
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "kind", external ? "external" : "inSource");
        if (f->suppressed_reason && f->suppressed_reason[0])
            bh_jsonw_kv_string(w, "justification", f->suppressed_reason);
        bh_jsonw_end_object(w);
        bh_jsonw_end_array(w);
    }

    if (f->vuln)
        write_vuln_fingerprint(s, t, f->vuln);
    snprintf(mistake, sizeof(mistake), "M%d", f->mistake);
    bh_jsonw_key(w, "properties");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "severity", bh_severity_name(f->severity));
    bh_jsonw_kv_string(w, "mistake", mistake);
    if (f->stage)
        bh_jsonw_kv_string(w, "stage", f->stage);
    if (!f->loc.file || strcmp(f->loc.file, t->target))
        bh_jsonw_kv_string(w, "target", t->target);
    if (f->vuln)
        write_vuln_properties(w, t, f->vuln);
    bh_jsonw_end_object(w);
    bh_jsonw_end_object(w);
}

static void write_invocation(struct sarif *s, const struct bh_report *r,
                             const struct bh_report_opts *o)
{
    struct bh_jsonw *w = &s->w;
    size_t i;

    bh_jsonw_key(w, "invocations");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_bool(w, "executionSuccessful", r->nerrors == 0);
    if (r->nerrors) {
        bh_jsonw_key(w, "toolExecutionNotifications");
        bh_jsonw_begin_array(w);
        for (i = 0; i < r->nerrors; i++) {
            const struct bh_report_error *e = &r->errors[i];

            bh_jsonw_begin_object(w);
            bh_jsonw_kv_string(w, "level", "error");
            bh_jsonw_key(w, "message");
            bh_jsonw_begin_object(w);
            bh_jsonw_kv_string(w, "text", e->message ? e->message : "");
            bh_jsonw_end_object(w);
            if (e->target && e->target[0]) {
                bh_jsonw_key(w, "locations");
                bh_jsonw_begin_array(w);
                bh_jsonw_begin_object(w);
                write_physical(s, e->target, e->line, e->col, 0, 0);
                bh_jsonw_end_object(w);
                bh_jsonw_end_array(w);
            }
            bh_jsonw_end_object(w);
        }
        bh_jsonw_end_array(w);
    }
    if (o && o->command) {
        bh_jsonw_key(w, "properties");
        bh_jsonw_begin_object(w);
        bh_jsonw_kv_string(w, "command", o->command);
        bh_jsonw_end_object(w);
    }
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
}

int bh_report_write_sarif(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    struct sarif s;
    struct bh_jsonw *w = &s.w;
    size_t i, j;
    int rc;

    memset(&s, 0, sizeof(s));
    bh_arena_init(&s.arena, BH_MAX_OUTPUT_BUF);
    bh_buf_init(&s.tmp, BH_MAX_PATH * 3 + MAX_DESCRIPTION + 64);
    s.nrules = bh_rules_count();
    rc = collect_extra(&s, r);
    if (rc)
        goto out;

    bh_jsonw_init(w, out, true);
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "$schema", SARIF_SCHEMA);
    bh_jsonw_kv_string(w, "version", "2.1.0");
    bh_jsonw_key(w, "runs");
    bh_jsonw_begin_array(w);
    bh_jsonw_begin_object(w);

    bh_jsonw_key(w, "tool");
    bh_jsonw_begin_object(w);
    bh_jsonw_key(w, "driver");
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_string(w, "name", "bulkhead");
    bh_jsonw_kv_string(w, "version", r->tool_version ? r->tool_version : "");
    bh_jsonw_kv_string(w, "informationUri", INFO_URI);
    bh_jsonw_key(w, "rules");
    bh_jsonw_begin_array(w);
    for (i = 0; i < s.nrules; i++) {
        const struct bh_rule *ru = bh_rules_at(i);

        write_descriptor(&s, ru->id, ru->title ? ru->title : ru->id, ru->fix ? ru->fix : "",
                         ru->mistake, ru->severity);
    }
    for (i = 0; i < s.nextra; i++) {
        const struct bh_finding *f = s.extra[i].first;

        write_descriptor(&s, s.extra[i].id, f->title ? f->title : s.extra[i].id,
                         f->fix ? f->fix : "", f->mistake, f->severity);
    }
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
    bh_jsonw_end_object(w);

    write_invocation(&s, r, o);

    bh_jsonw_key(w, "results");
    bh_jsonw_begin_array(w);
    for (i = 0; i < r->ntargets; i++) {
        for (j = 0; j < r->targets[i].findings.n; j++)
            write_result(&s, &r->targets[i], &r->targets[i].findings.v[j]);
    }
    bh_jsonw_end_array(w);

    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
    rc = bh_jsonw_finish(w);
    if (!rc && s.tmp.failed)
        rc = BH_ENOMEM;
out:
    bh_buf_release(&s.tmp);
    bh_arena_release(&s.arena);
    return rc;
}
