/*
 * test_report.c - the report writers and the JSON writer under them: shape,
 * escaping of hostile input text, levels, suppressions, summaries. When
 * BH_REPORT_SAMPLES names a directory, the JSON and SARIF renderings of the
 * sample report are also written there for tests/schema/run.sh to validate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/vuln.h"
#include "report/jsonw.h"
#include "report/report.h"
#include "rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const refs_crit[] = {"CIS 4.1", "DL3002", NULL};

struct fixture {
    struct bh_arena arena;
    struct bh_report report;
};

static struct bh_finding *add(struct fixture *fx, struct bh_target *t, const char *rule,
                              enum bh_severity sev, const char *msg, int line, int col)
{
    struct bh_finding *f = bh_findings_add(&fx->arena, &t->findings);

    assert_non_null(f);
    f->rule = rule;
    f->mistake = 3;
    f->severity = sev;
    f->title = "a title";
    f->message = msg;
    f->fix = "do the safe thing";
    f->loc.file = t->target;
    f->loc.line = line;
    f->loc.col = col;
    return f;
}

/*
 * Three targets: one with five findings (two suppressed), one whose name
 * needs escaping everywhere, one clean; plus two read errors.
 */
static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct bh_target *t;
    struct bh_finding *f;

    if (!fx)
        return -1;
    bh_arena_init(&fx->arena, 1u << 24);
    fx->report.tool_version = "9.8.7";

    t = bh_report_add_target(&fx->arena, &fx->report, "./app/Dockerfile", BH_KIND_DOCKERFILE);
    f = add(fx, t, "TEST-CRIT", BH_SEV_CRITICAL, "runs \x1b[31mred\x1b[0m as root\tok", 3, 1);
    f->refs = refs_crit;
    f->stage = "builder";
    f->loc.end_line = 3;
    f->loc.end_col = 10;
    f->mistake = 4;
    add(fx, t, "TEST-MED", BH_SEV_MEDIUM, "bad \xff byte, 50% done: a\nnext", 5, 2);
    f = add(fx, t, "TEST-LOW", BH_SEV_LOW, "low <thing> & \"quoted\"", 0, 0);
    f->loc.file = NULL;
    f->loc.path = "spec.containers[0].image";
    f = add(fx, t, "TEST-HIGH", BH_SEV_HIGH, "suppressed inline", 7, 1);
    f->suppressed_kind = "inline";
    f->suppressed_reason = "accepted risk";
    f = add(fx, t, "TEST-INFO", BH_SEV_INFO, "suppressed by file", 8, 1);
    f->suppressed_kind = "ignorefile";
    f->suppressed_reason = "";

    t = bh_report_add_target(&fx->arena, &fx->report, "dir with space/x,y:z.yaml",
                             BH_KIND_KUBERNETES);
    f = add(fx, t, "TEST-HIGH", BH_SEV_HIGH, "rtl \xe2\x80\xae here, csi \xc2\x9b here", 2, 3);
    f->loc.path = "spec.template.spec.containers[1].securityContext.privileged";

    bh_report_add_target(&fx->arena, &fx->report, "clean/Dockerfile", BH_KIND_DOCKERFILE);
    assert_int_equal(bh_report_add_error(&fx->arena, &fx->report, "broken.yaml",
                                         "cannot parse: unexpected \x01 <tag>", 7, 3),
                     0);
    assert_int_equal(bh_report_add_error(&fx->arena, &fx->report, "gone.txt", "no such file", 0, 0),
                     0);
    assert_false(fx->arena.failed);
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

/* Render with a writer into a malloc'd, NUL-terminated string. */
static char *render(int (*wr)(FILE *, const struct bh_report *, const struct bh_report_opts *),
                    const struct bh_report *r, const struct bh_report_opts *o, size_t *lenp)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(wr(f, r, o), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    if (lenp)
        *lenp = len;
    assert_int_equal(strlen(buf), len); /* no NUL bytes inside */
    return buf;
}

static void save_sample(const char *name, const char *text)
{
    const char *dir = getenv("BH_REPORT_SAMPLES");
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

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle))) {
        n++;
        p += strlen(needle);
    }
    return n;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_byte(const char *s, size_t len, unsigned char c)
{
    return memchr(s, c, len) != NULL;
}

/* --- jsonw ------------------------------------------------------------- */

static char *jsonw_doc(bool pretty, void (*body)(struct bh_jsonw *), int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct bh_jsonw w;

    assert_non_null(f);
    bh_jsonw_init(&w, f, pretty);
    body(&w);
    *rc = bh_jsonw_finish(&w);
    fclose(f);
    return buf;
}

static void body_nested(struct bh_jsonw *w)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_kv_int(w, "n", -42);
    bh_jsonw_key(w, "empty");
    bh_jsonw_begin_array(w);
    bh_jsonw_end_array(w);
    bh_jsonw_key(w, "list");
    bh_jsonw_begin_array(w);
    bh_jsonw_bool(w, true);
    bh_jsonw_null(w);
    bh_jsonw_string(w, NULL);
    bh_jsonw_begin_object(w);
    bh_jsonw_end_object(w);
    bh_jsonw_end_array(w);
    bh_jsonw_end_object(w);
}

static void jsonw_pretty_and_compact(void **state)
{
    char *s;
    int rc;

    (void)state;
    s = jsonw_doc(false, body_nested, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s, "{\"n\":-42,\"empty\":[],\"list\":[true,null,null,{}]}\n");
    free(s);
    s = jsonw_doc(true, body_nested, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s, "{\n  \"n\": -42,\n  \"empty\": [],\n  \"list\": [\n    true,\n"
                           "    null,\n    null,\n    {}\n  ]\n}\n");
    free(s);
}

static void body_strings(struct bh_jsonw *w)
{
    bh_jsonw_begin_array(w);
    bh_jsonw_string(w, "q\" b\\ nl\n tab\t cr\r esc\x1b del\x7f");
    bh_jsonw_string(w, "c1 \xc2\x9b ls \xe2\x80\xa8 ok \xc3\xa9 \xf0\x9f\x98\x80");
    bh_jsonw_string(w, "bad \xff|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80");
    bh_jsonw_stringn(w, "nul\0byte", 8);
    bh_jsonw_end_array(w);
}

static void jsonw_escapes_and_validates(void **state)
{
    char *s;
    int rc;

    (void)state;
    s = jsonw_doc(false, body_strings, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "\"q\\\" b\\\\ nl\\n tab\\t cr\\r esc\\u001b del\\u007f\""));
    /* C1 and U+2028 escaped, valid multi-byte text untouched */
    assert_non_null(strstr(s, "\"c1 \\u009b ls \\u2028 ok \xc3\xa9 \xf0\x9f\x98\x80\""));
    /* stray byte, overlong, surrogate, truncated, above U+10FFFF: all U+FFFD per byte */
    assert_non_null(strstr(s, "\"bad \xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
                              "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
                              "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
    assert_non_null(strstr(s, "\"nul\\u0000byte\""));
    assert_null(strchr(s, '\x1b'));
    free(s);
}

static void body_unbalanced(struct bh_jsonw *w)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_key(w, "a");
    bh_jsonw_begin_array(w);
    bh_jsonw_end_object(w); /* wrong closer */
}

static void body_value_in_object(struct bh_jsonw *w)
{
    bh_jsonw_begin_object(w);
    bh_jsonw_int(w, 1); /* no key */
    bh_jsonw_end_object(w);
}

static void jsonw_detects_misuse(void **state)
{
    char *s;
    int rc;

    (void)state;
    s = jsonw_doc(true, body_unbalanced, &rc);
    assert_int_equal(rc, BH_EINTERNAL);
    free(s);
    s = jsonw_doc(true, body_value_in_object, &rc);
    assert_int_equal(rc, BH_EINTERNAL);
    free(s);
}

static void utf8_decoder(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10ffff);
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"\xe2\x82\xac", 2, &cp), 0);
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"\xe0\x80\x80", 3, &cp), 0);
    assert_int_equal(bh_jsonw_utf8_next((const unsigned char *)"\x80", 1, &cp), 0);
}

/* --- json ---------------------------------------------------------------- */

static void json_report_shape(void **state)
{
    struct fixture *fx = *state;
    size_t len;
    char *s = render(bh_report_write_json, &fx->report, NULL, &len);

    save_sample("report.json", s);
    assert_true(len > 2 && s[len - 1] == '\n' && s[len - 2] == '}');
    assert_true(starts_with(s, "{\n  \"schema\": \"bulkhead.report/v1\",\n  \"tool\": {\n"
                               "    \"name\": \"bulkhead\",\n    \"version\": \"9.8.7\"\n  },"));
    assert_non_null(strstr(s, "\"target\": \"./app/Dockerfile\",\n      \"kind\": \"dockerfile\""));
    assert_non_null(strstr(s, "\"kind\": \"kubernetes\""));
    assert_non_null(strstr(s, "\"rule\": \"TEST-CRIT\",\n          \"mistake\": \"M4\",\n"
                              "          \"severity\": \"critical\""));
    assert_non_null(strstr(s, "\"message\": \"runs \\u001b[31mred\\u001b[0m as root\\tok\""));
    assert_false(has_byte(s, len, 0x1b));
    assert_non_null(strstr(s, "\"bad \xef\xbf\xbd byte, 50% done: a\\nnext\""));
    assert_non_null(strstr(s, "\"stage\": \"builder\""));
    assert_int_equal(count_of(s, "\"stage\""), 1);
    assert_non_null(strstr(s,
                           "\"references\": [\n            \"CIS 4.1\",\n            \"DL3002\"\n"
                           "          ]"));
    assert_int_equal(count_of(s, "\"references\": []"), 5);
    /* a location without a line has no line or column; a NULL file falls back to the target */
    assert_non_null(strstr(s, "\"location\": {\n            \"file\": \"./app/Dockerfile\",\n"
                              "            \"path\": \"spec.containers[0].image\"\n          }"));
    assert_non_null(strstr(s, "\"line\": 3,\n            \"column\": 1\n          }"));
    assert_int_equal(count_of(s, "\"path\""), 2);
    assert_int_equal(count_of(s, "\"suppressed\": null"), 4);
    assert_non_null(strstr(s, "\"suppressed\": {\n            \"kind\": \"inline\",\n"
                              "            \"reason\": \"accepted risk\"\n          }"));
    assert_non_null(strstr(s, "\"kind\": \"ignorefile\",\n            \"reason\": \"\""));
    assert_int_equal(count_of(s, "\"packages\": []"), 3);
    assert_non_null(strstr(s, "{\n      \"target\": \"clean/Dockerfile\",\n      \"kind\": "
                              "\"dockerfile\",\n      \"findings\": [],"));
    assert_non_null(
        strstr(s, "\"target\": \"broken.yaml\",\n      \"message\": \"cannot parse: "
                  "unexpected \\u0001 <tag>\",\n      \"line\": 7,\n      \"column\": 3\n"));
    assert_non_null(
        strstr(s, "\"target\": \"gone.txt\",\n      \"message\": \"no such file\"\n    }"));
    free(s);
}

/* --- sarif --------------------------------------------------------------- */

static void sarif_report(void **state)
{
    struct fixture *fx = *state;
    struct bh_report_opts o = {false, false, "config"};
    size_t len, nrules = bh_rules_count();
    char *s = render(bh_report_write_sarif, &fx->report, &o, &len);
    char want[128];

    save_sample("report.sarif", s);
    assert_true(starts_with(s,
                            "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                            "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"));
    assert_int_equal(count_of(s, "\"driver\""), 1);
    assert_non_null(strstr(s, "\"informationUri\": \"https://github.com/bulkhead-dev/bulkhead\""));
    assert_null(strstr(s, "originalUriBaseIds"));
    assert_null(strstr(s, "helpUri"));
    assert_false(has_byte(s, len, 0x1b));
    /* every table rule plus the five ids only seen in findings, each described once */
    assert_int_equal(count_of(s, "\"precision\": \"high\""), nrules + 5);
    assert_int_equal(count_of(s, "\"id\": \"TEST-HIGH\""), 1);
    assert_non_null(strstr(s, "\"id\": \"TEST-CRIT\",\n              \"name\": \"TestCrit\""));
    assert_non_null(strstr(s, "\"security-severity\": \"9.5\",\n                \"tags\": [\n"
                              "                  \"security\",\n                  \"M4\"\n"));
    assert_non_null(strstr(s, "\"security-severity\": \"5.5\""));
    assert_non_null(strstr(s, "\"security-severity\": \"3.0\""));
    assert_non_null(strstr(s, "\"security-severity\": \"0.0\""));
    /* extras follow the table in order of first appearance */
    snprintf(want, sizeof(want),
             "\"ruleId\": \"TEST-CRIT\",\n          \"ruleIndex\": %zu,\n"
             "          \"level\": \"error\"",
             nrules);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof(want),
             "\"ruleId\": \"TEST-MED\",\n          \"ruleIndex\": %zu,\n"
             "          \"level\": \"warning\"",
             nrules + 1);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "\"ruleId\": \"TEST-LOW\""));
    assert_int_equal(count_of(s, "\"level\": \"note\",\n          \"message\""), 2);
    assert_non_null(strstr(s, "\"text\": \"runs \\u001b[31mred\\u001b[0m as root\\tok\""));
    /* paths: "./" dropped, relative to %SRCROOT%, reserved bytes percent-encoded */
    assert_non_null(strstr(s, "\"uri\": \"app/Dockerfile\",\n"));
    assert_null(strstr(s, "\"uri\": \"./"));
    assert_non_null(strstr(s, "\"uri\": \"dir%20with%20space/x%2Cy%3Az.yaml\""));
    assert_int_equal(count_of(s, "\"uriBaseId\": \"%SRCROOT%\""), 8); /* 6 results, 2 errors */
    assert_non_null(strstr(s, "\"startLine\": 3,\n                  \"startColumn\": 1,\n"
                              "                  \"endLine\": 3,\n"
                              "                  \"endColumn\": 10\n"));
    assert_non_null(strstr(s, "\"logicalLocations\": [\n                {\n"
                              "                  \"fullyQualifiedName\": \"spec.template.spec."
                              "containers[1].securityContext.privileged\"\n"));
    assert_int_equal(count_of(s, "\"suppressions\""), 2);
    assert_non_null(strstr(s, "\"kind\": \"inSource\",\n              \"justification\": "
                              "\"accepted risk\""));
    assert_non_null(strstr(s, "\"kind\": \"external\"\n"));
    assert_non_null(strstr(s, "\"properties\": {\n            \"severity\": \"critical\",\n"
                              "            \"mistake\": \"M4\",\n"
                              "            \"stage\": \"builder\"\n"));
    assert_non_null(strstr(s, "\"executionSuccessful\": false"));
    assert_non_null(strstr(s, "\"text\": \"cannot parse: unexpected \\u0001 <tag>\""));
    assert_non_null(strstr(s, "\"uri\": \"broken.yaml\",\n                      \"uriBaseId\": "
                              "\"%SRCROOT%\"\n                    },\n"
                              "                    \"region\": {\n"
                              "                      \"startLine\": 7,\n"
                              "                      \"startColumn\": 3\n"));
    assert_non_null(strstr(s, "\"command\": \"config\""));
    free(s);
}

static void sarif_clean_run_succeeds(void **state)
{
    struct bh_report r;
    char *s;

    (void)state;
    memset(&r, 0, sizeof(r));
    s = render(bh_report_write_sarif, &r, NULL, NULL);
    assert_non_null(strstr(s, "\"executionSuccessful\": true\n"));
    assert_null(strstr(s, "toolExecutionNotifications"));
    assert_non_null(strstr(s, "\"results\": []"));
    assert_non_null(strstr(s, "\"version\": \"\""));
    free(s);
}

static void sarif_lists_table_rules(void **state)
{
    struct bh_report r;
    size_t i, n = bh_rules_count();
    char *s;

    (void)state;
    memset(&r, 0, sizeof(r));
    s = render(bh_report_write_sarif, &r, NULL, NULL);
    assert_int_equal(count_of(s, "\"precision\": \"high\""), n);
    for (i = 0; i < n; i++) {
        const struct bh_rule *ru = bh_rules_at(i);
        char want[256];
        const char *at, *name, *q;

        snprintf(want, sizeof(want), "\"id\": \"%s\",", ru->id);
        at = strstr(s, want);
        assert_non_null(at);
        name = strstr(at, "\"name\": \"");
        assert_non_null(name);
        name += 9;
        q = strchr(name, '"');
        assert_non_null(q);
        assert_true(q > name);
        assert_null(memchr(name, '-', (size_t)(q - name)));
    }
    free(s);
}

/* --- table --------------------------------------------------------------- */

static void table_plain(void **state)
{
    struct fixture *fx = *state;
    struct bh_report_opts o = {false, false, "config"};
    size_t len;
    char *s = render(bh_report_write_table, &fx->report, &o, &len);

    assert_false(has_byte(s, len, 0x1b));
    assert_true(starts_with(s, "./app/Dockerfile (dockerfile)\n"));
    assert_non_null(strstr(s, "  3:1  CRITICAL  TEST-CRIT  runs \\x1b[31mred\\x1b[0m as root\tok"
                              " [stage builder]\n    fix: do the safe thing\n"));
    assert_non_null(
        strstr(s, "  5:2  MEDIUM    TEST-MED   bad \\xff byte, 50% done: a\\x0anext\n"));
    assert_non_null(strstr(s, "  -    LOW       TEST-LOW   low <thing>"));
    assert_non_null(strstr(s, "    at: spec.containers[0].image\n"));
    assert_null(strstr(s, "suppressed inline"));
    assert_null(strstr(s, "suppressed by file"));
    assert_non_null(strstr(s, "rtl \\u{202e} here, csi \\u{009b} here"));
    assert_null(strstr(s, "clean/Dockerfile"));
    assert_non_null(strstr(s, "\nerror: broken.yaml:7:3: cannot parse: unexpected \\x01 <tag>\n"
                              "error: gone.txt: no such file\n"));
    {
        const char *last = "\n4 findings (critical: 1, high: 1, medium: 1, low: 1, info: 0), "
                           "2 suppressed, 2 errors\n";

        assert_true(len > strlen(last));
        assert_string_equal(s + len - strlen(last), last);
    }
    free(s);
}

static void table_color_and_suppressed(void **state)
{
    struct fixture *fx = *state;
    struct bh_report_opts o = {true, true, "config"};
    size_t len;
    char *s = render(bh_report_write_table, &fx->report, &o, &len);

    assert_non_null(strstr(s, "\033[1;31mCRITICAL\033[0m"));
    assert_non_null(strstr(s, "\033[33mMEDIUM\033[0m"));
    assert_non_null(strstr(s, "\033[36mLOW\033[0m"));
    assert_non_null(strstr(s, "\033[2mINFO\033[0m"));
    /* the message's own escape sequence stays inert even with colour on */
    assert_non_null(strstr(s, "runs \\x1b[31mred"));
    assert_null(strstr(s, "runs \033"));
    assert_non_null(strstr(s, "suppressed inline\033[2m (suppressed: accepted risk)\033[0m\n"));
    assert_non_null(strstr(s, "suppressed by file\033[2m (suppressed)\033[0m\n"));
    free(s);
}

static void table_no_findings(void **state)
{
    struct bh_arena a;
    struct bh_report r;
    struct bh_target *t;
    struct bh_finding *f;
    struct bh_report_opts o = {false, false, NULL};
    char *s;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    memset(&r, 0, sizeof(r));
    bh_report_add_target(&a, &r, "a/Dockerfile", BH_KIND_DOCKERFILE);
    s = render(bh_report_write_table, &r, &o, NULL);
    assert_string_equal(s, "no findings in 1 target\n");
    free(s);
    t = bh_report_add_target(&a, &r, "b/Dockerfile", BH_KIND_DOCKERFILE);
    f = bh_findings_add(&a, &t->findings);
    f->rule = "X-Y";
    f->message = "m";
    f->suppressed_kind = "inline";
    s = render(bh_report_write_table, &r, &o, NULL);
    assert_string_equal(s, "no findings in 2 targets, 1 suppressed\n");
    free(s);
    f->suppressed_kind = NULL;
    f->severity = BH_SEV_HIGH;
    s = render(bh_report_write_table, &r, &o, NULL);
    assert_string_equal(s, "b/Dockerfile (dockerfile)\n  -  HIGH      X-Y  m\n\n"
                           "1 finding (critical: 0, high: 1, medium: 0, low: 0, info: 0), "
                           "0 suppressed, 0 errors\n");
    free(s);
    bh_arena_release(&a);
}

/* --- github -------------------------------------------------------------- */

static void github_commands(void **state)
{
    struct fixture *fx = *state;
    size_t len;
    char *s = render(bh_report_write_github, &fx->report, NULL, &len);

    assert_false(has_byte(s, len, 0x1b));
    assert_non_null(strstr(s, "::error file=app/Dockerfile,line=3,col=1,endColumn=10,"
                              "title=TEST-CRIT::runs ?[31mred?[0m as root\tok [stage builder]"
                              "%0Afix: do the safe thing\n"));
    assert_non_null(strstr(s, "::warning file=app/Dockerfile,line=5,col=2,title=TEST-MED::bad "
                              "\xef\xbf\xbd byte, 50%25 done: a%0Anext%0Afix: "));
    assert_non_null(strstr(s, "::notice file=app/Dockerfile,title=TEST-LOW::low <thing> & "
                              "\"quoted\"%0Aat: spec.containers[0].image%0Afix:"));
    assert_non_null(strstr(s, "::error file=dir with space/x%2Cy%3Az.yaml,line=2,col=3,"
                              "title=TEST-HIGH::rtl \xe2\x80\xae here, csi ? here"));
    assert_null(strstr(s, "suppressed"));
    assert_non_null(strstr(s, "::error file=broken.yaml,line=7,col=3,title=bulkhead::cannot "
                              "parse: unexpected ? <tag>\n"));
    assert_non_null(strstr(s, "::error file=gone.txt,title=bulkhead::no such file\n"));
    assert_int_equal(count_of(s, "\n"), 6);
    assert_int_equal(count_of(s, "\n::"), 5);
    free(s);
}

/* --- junit --------------------------------------------------------------- */

static void junit_xml(void **state)
{
    struct fixture *fx = *state;
    size_t len, i;
    char *s = render(bh_report_write_junit, &fx->report, NULL, &len);

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        assert_true(c >= 0x20 || c == '\n' || c == '\t');
    }
    assert_true(starts_with(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    /* 4 failures + clean target's passing case + 2 errors */
    assert_non_null(strstr(s, "<testsuites name=\"bulkhead\" tests=\"7\" failures=\"4\" "
                              "errors=\"2\">\n"));
    assert_non_null(strstr(s, "<testsuite name=\"./app/Dockerfile\" tests=\"3\" failures=\"3\" "
                              "errors=\"0\">\n"));
    assert_non_null(strstr(s, "<testcase classname=\"TEST-CRIT\" name=\"./app/Dockerfile:3 "
                              "TEST-CRIT\">\n      <failure message=\"runs [31mred[0m as root"
                              "&#9;ok\" type=\"critical\">a title\nfix: do the safe thing\n"
                              "location: ./app/Dockerfile:3:1\nstage: builder</failure>\n"));
    assert_non_null(strstr(s, "message=\"bad \xef\xbf\xbd byte, 50% done: a&#10;next\" "
                              "type=\"medium\""));
    assert_non_null(strstr(s, "message=\"low &lt;thing&gt; &amp; &quot;quoted&quot;\" "
                              "type=\"low\""));
    assert_non_null(strstr(s, "path: spec.containers[0].image</failure>"));
    assert_null(strstr(s, "TEST-INFO"));
    assert_int_equal(count_of(s, "TEST-HIGH\">"), 1);
    assert_non_null(strstr(s, "<testsuite name=\"clean/Dockerfile\" tests=\"1\" failures=\"0\" "
                              "errors=\"0\">\n    <testcase classname=\"bulkhead\" "
                              "name=\"clean/Dockerfile\"/>\n  </testsuite>\n"));
    assert_non_null(strstr(s, "<testsuite name=\"broken.yaml\" tests=\"1\" failures=\"0\" "
                              "errors=\"1\">\n    <testcase classname=\"bulkhead\" "
                              "name=\"broken.yaml:7\">\n      <error message=\"cannot parse: "
                              "unexpected  &lt;tag&gt;\" type=\"read-error\">broken.yaml:7:3: "
                              "cannot parse: unexpected  &lt;tag&gt;</error>\n"));
    assert_non_null(strstr(s, "<testsuite name=\"gone.txt\" tests=\"1\""));
    assert_true(len > 15 && strcmp(s + len - 14, "</testsuites>\n") == 0);
    save_sample("report.xml", s);
    free(s);
}

/* --- packages and vulnerabilities ----------------------------------------- */

static const char *vuln_aliases[] = {"CVE-2024-0727", "DSA-5621-1"};

/*
 * The sample report plus an image target: two packages (a binNMU-free binary of a source
 * package, and a Go module), one vulnerability on each, one of them suppressed.
 */
static void add_image_target(struct fixture *fx)
{
    struct bh_target *t =
        bh_report_add_target(&fx->arena, &fx->report, "debian.tar", BH_KIND_IMAGE);
    struct bh_vulnmatch *v = bh_arena_calloc(&fx->arena, 2, sizeof(*v));
    struct bh_package *p;
    struct bh_finding *f;

    assert_non_null(t);
    assert_non_null(v);
    p = BH_PUSH(&fx->arena, t->packages.v, t->packages.n, t->packages.cap);
    assert_non_null(p);
    p->kind = BH_PKG_DPKG;
    p->name = "libssl3";
    p->version = "3.0.11-1~deb12u2";
    p->arch = "amd64";
    p->src_name = "openssl";
    p->license = NULL;
    p->purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
    p->path = "var/lib/dpkg/status";
    p->layer = 0;
    p = BH_PUSH(&fx->arena, t->packages.v, t->packages.n, t->packages.cap);
    assert_non_null(p);
    p->kind = BH_PKG_GO;
    p->name = "golang.org/x/net";
    p->version = "v0.0.0-20220906165146-f3363e06e74b";
    p->purl = "pkg:golang/golang.org/x/net@v0.0.0-20220906165146-f3363e06e74b";
    p->path = "usr/bin/app";
    p->layer = -1;

    v[0].id = "DLA-3008-1";
    v[0].aliases = vuln_aliases;
    v[0].naliases = 2;
    v[0].pkg = 0;
    v[0].ecosystem = "Debian:12";
    v[0].package = "openssl";
    v[0].installed = "3.0.11-1~deb12u2";
    v[0].fixed = "3.0.13-1~deb12u1";
    v[0].severity = BH_SEV_MEDIUM;
    v[0].severity_source = "cvss";
    v[0].cvss = "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H";
    v[0].cvss_score10 = 55;
    v[1].id = "GO-2022-0969";
    v[1].pkg = 1;
    v[1].ecosystem = "Go";
    v[1].package = "golang.org/x/net";
    v[1].installed = "v0.0.0-20220906165146-f3363e06e74b";
    v[1].fixed = NULL;
    v[1].severity = BH_SEV_MEDIUM;
    v[1].severity_source = "default";
    v[1].cvss_score10 = -1;
    v[1].summary = "HTTP/2 server connections can hang forever";
    t->vulns = v;
    t->nvulns = 2;
    f = add(fx, t, "IMG-VULN", BH_SEV_MEDIUM, "DLA-3008-1 in libssl3", 0, 0);
    f->loc.path = "/var/lib/dpkg/status";
    f->vuln = &v[0];
    f = add(fx, t, "IMG-VULN", BH_SEV_MEDIUM, "GO-2022-0969 in golang.org/x/net", 0, 0);
    f->vuln = &v[1];
    f->suppressed_kind = "ignorefile";
    f->suppressed_reason = "not reachable";
    assert_false(fx->arena.failed);
}

static void json_packages_and_vulnerabilities(void **state)
{
    struct fixture *fx = *state;
    size_t len;
    char *s;

    add_image_target(fx);
    s = render(bh_report_write_json, &fx->report, NULL, &len);
    /* a superset of the sample report: tests/schema/run.sh validates this one */
    save_sample("report.json", s);
    assert_int_equal(count_of(s, "\"packages\": []"), 3);
    assert_non_null(strstr(s, "\"packages\": [\n        {\n          \"name\": \"libssl3\",\n"
                              "          \"version\": \"3.0.11-1~deb12u2\",\n"
                              "          \"type\": \"deb\",\n"
                              "          \"purl\": \"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?"
                              "arch=amd64&distro=debian-12\",\n"
                              "          \"arch\": \"amd64\",\n"
                              "          \"src_name\": \"openssl\",\n"
                              "          \"path\": \"var/lib/dpkg/status\",\n"
                              "          \"layer\": 0\n        },"));
    /* unknown layer and unset fields are left out */
    assert_non_null(strstr(s, "\"type\": \"golang\",\n          \"purl\": \"pkg:golang/golang.org/"
                              "x/net@v0.0.0-20220906165146-f3363e06e74b\",\n"
                              "          \"path\": \"usr/bin/app\"\n        }\n      ]"));
    assert_int_equal(count_of(s, "\"src_version\""), 0);
    assert_non_null(strstr(s, "\"vulnerability\": {\n            \"id\": \"DLA-3008-1\",\n"
                              "            \"aliases\": [\n              \"CVE-2024-0727\",\n"
                              "              \"DSA-5621-1\"\n            ],\n"
                              "            \"package\": \"libssl3\",\n"
                              "            \"source_package\": \"openssl\",\n"));
    assert_non_null(strstr(s,
                           "\"installed\": \"3.0.11-1~deb12u2\",\n"
                           "            \"fixed\": \"3.0.13-1~deb12u1\",\n"
                           "            \"severity\": \"medium\",\n"
                           "            \"severity_source\": \"cvss\",\n"
                           "            \"cvss\": {\n"
                           "              \"vector\": \"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/"
                           "A:H\",\n              \"score\": 5.5\n            },\n"
                           "            \"layer\": 0\n"));
    assert_non_null(strstr(s, "\"aliases\": [],\n            \"package\": \"golang.org/x/net\",\n"
                              "            \"purl\""));
    assert_non_null(strstr(s, "\"fixed\": null,"));
    assert_non_null(strstr(s, "\"cvss\": null,\n            \"summary\": \"HTTP/2 server"));
    assert_int_equal(count_of(s, "\"source_package\""), 1);
    assert_int_equal(count_of(s, "\"vulnerability\""), 2);
    free(s);
}

static void sarif_vulnerabilities(void **state)
{
    struct fixture *fx = *state;
    struct bh_report_opts o = {false, false, "image"};
    char *s;

    add_image_target(fx);
    s = render(bh_report_write_sarif, &fx->report, &o, NULL);
    save_sample("report.sarif", s);
    assert_int_equal(count_of(s, "\"ruleId\": \"IMG-VULN\""), 2);
    assert_non_null(strstr(s,
                           "\"partialFingerprints\": {\n            \"bulkhead/vulnerability/v1\": "
                           "\"DLA-3008-1:libssl3:3.0.11-1~deb12u2:var/lib/dpkg/status\"\n"));
    assert_non_null(strstr(s, "\"vulnerability\": {\n              \"id\": \"DLA-3008-1\",\n"
                              "              \"aliases\": [\n"));
    assert_non_null(strstr(s, "\"package\": \"golang.org/x/net\",\n"));
    assert_non_null(strstr(s, "\"installed\": \"3.0.11-1~deb12u2\",\n"
                              "              \"fixed\": \"3.0.13-1~deb12u1\"\n"));
    assert_non_null(strstr(s, "\"fixed\": null\n"));
    free(s);
}

static void table_vulnerability_lines(void **state)
{
    struct fixture *fx = *state;
    struct bh_report_opts o = {false, true, "image"};
    char *s;

    add_image_target(fx);
    s = render(bh_report_write_table, &fx->report, &o, NULL);
    assert_non_null(strstr(s, "debian.tar (image)\n"
                              "  -  MEDIUM    IMG-VULN  DLA-3008-1  libssl3 3.0.11-1~deb12u2 -> "
                              "3.0.13-1~deb12u1 (source openssl)\n"
                              "  -  MEDIUM    IMG-VULN  GO-2022-0969  golang.org/x/net "
                              "v0.0.0-20220906165146-f3363e06e74b -> no fix yet "
                              "(suppressed: not reachable)\n"));
    /* one line each: no "at:" or "fix:" under a vulnerability */
    assert_null(strstr(s, "at: /var/lib/dpkg/status"));
    free(s);
}

/* A writer whose stream fails reports BH_EIO rather than success. */
static void writers_report_io_errors(void **state)
{
    struct fixture *fx = *state;
    FILE *f = fopen("/dev/full", "w");
    const char *names[] = {"table", "json", "sarif", "github", "junit"};
    size_t i;

    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    for (i = 0; i < 5; i++) {
        const struct bh_writer *w = bh_writer_find(names[i]);
        int rc;

        assert_non_null(w);
        rc = w->write(f, &fx->report, NULL);
        assert_int_equal(rc, BH_EIO);
        clearerr(f);
    }
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jsonw_pretty_and_compact),
        cmocka_unit_test(jsonw_escapes_and_validates),
        cmocka_unit_test(jsonw_detects_misuse),
        cmocka_unit_test(utf8_decoder),
        cmocka_unit_test_setup_teardown(json_report_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(sarif_report, setup, teardown),
        cmocka_unit_test(sarif_clean_run_succeeds),
        cmocka_unit_test(sarif_lists_table_rules),
        cmocka_unit_test_setup_teardown(table_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(table_color_and_suppressed, setup, teardown),
        cmocka_unit_test(table_no_findings),
        cmocka_unit_test_setup_teardown(github_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(junit_xml, setup, teardown),
        cmocka_unit_test_setup_teardown(writers_report_io_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(json_packages_and_vulnerabilities, setup, teardown),
        cmocka_unit_test_setup_teardown(sarif_vulnerabilities, setup, teardown),
        cmocka_unit_test_setup_teardown(table_vulnerability_lines, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
