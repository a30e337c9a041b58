/*
 * test_import.c - advisory importers (vuln/import.h) over the real feeds in
 * ../shared/testdata/vulndata: go-vulndb, PyPI (JSON and YAML), osv-scanner's
 * offline records, grype's vendor fixtures, Alpine secdb and Wolfi. Counts are
 * derived by the test from the files themselves, not hard-coded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/files.h"
#include "vuln/import.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VULNDATA BH_SOURCE_ROOT "/../shared/testdata/vulndata/"

static const char *vdata(const char *rel)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s%s", VULNDATA, rel);
    if (access(path, R_OK) != 0)
        fail_msg("test data missing: %s (this test needs ../shared/testdata next to the "
                 "repository, see its README.md)",
                 path);
    return path;
}

/* ---- a collector: every advisory as one digest line, kept in a long-lived arena ---- */

struct got {
    struct bh_arena a;
    char **line; /* digest per record */
    const char **id;
    size_t n, cap;
    size_t naffected;
    int stop_at; /* return 7 when this many records were seen (0: never) */
};

static const char *kind_name(enum bh_vevent_kind k)
{
    static const char *const names[] = {"introduced", "fixed", "last_affected", "limit"};

    return names[k];
}

static int collect(void *ctx, const struct bh_advisory *adv)
{
    struct got *g = ctx;
    struct bh_buf b = BH_BUF_INIT(1u << 24);
    size_t i, j, k;

    if (g->stop_at && (int)g->n == g->stop_at)
        return 7;
    bh_buf_printf(&b, "%s|src=%s|sum=%s|pub=%s|mod=%s|cvss=%s/%d|aliases=", adv->id, adv->source,
                  adv->summary ? adv->summary : "-", adv->published ? adv->published : "-",
                  adv->modified ? adv->modified : "-", adv->cvss ? adv->cvss : "-",
                  adv->cvss_score10);
    for (i = 0; i < adv->naliases; i++)
        bh_buf_printf(&b, "%s%s", i ? "," : "", adv->aliases[i]);
    assert_null(adv->withdrawn);
    for (i = 0; i < adv->naffected; i++) {
        const struct bh_affected *af = &adv->affected[i];

        bh_buf_printf(&b, "|aff=%s/%s sev=%s", af->ecosystem, af->name,
                      af->severity ? af->severity : "-");
        for (j = 0; j < af->nranges; j++) {
            bh_buf_printf(&b, " %s[",
                          af->ranges[j].type == BH_VR_ECOSYSTEM ? "ECOSYSTEM"
                          : af->ranges[j].type == BH_VR_SEMVER  ? "SEMVER"
                                                                : "GIT");
            for (k = 0; k < af->ranges[j].nevents; k++)
                bh_buf_printf(&b, "%s%s=%s", k ? " " : "", kind_name(af->ranges[j].events[k].kind),
                              af->ranges[j].events[k].version);
            bh_buf_puts(&b, "]");
        }
        bh_buf_printf(&b, " versions=%zu", af->nversions);
        for (j = 0; j < af->nversions; j++)
            bh_buf_printf(&b, ",%s", af->versions[j]);
    }
    assert_false(b.failed);
    g->naffected += adv->naffected;
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 256;
        g->line = realloc(g->line, g->cap * sizeof(*g->line));
        g->id = realloc(g->id, g->cap * sizeof(*g->id));
        assert_non_null(g->line);
        assert_non_null(g->id);
    }
    g->line[g->n] = bh_arena_strdup(&g->a, bh_buf_str(&b));
    g->id[g->n] = bh_arena_strdup(&g->a, adv->id);
    assert_non_null(g->line[g->n]);
    g->n++;
    bh_buf_release(&b);
    return 0;
}

static void got_init(struct got *g)
{
    memset(g, 0, sizeof(*g));
    bh_arena_init(&g->a, 1u << 30);
}

static void got_release(struct got *g)
{
    free(g->line);
    free(g->id);
    bh_arena_release(&g->a);
}

static const char *find(const struct got *g, const char *id)
{
    size_t i;

    for (i = 0; i < g->n; i++) {
        if (!strcmp(g->id[i], id))
            return g->line[i];
    }
    fail_msg("record %s not imported", id);
    return NULL;
}

static int import_path(const char *path, struct got *g, struct bh_import_stats *st,
                       struct bh_err *err)
{
    struct bh_arena a;
    int rc;

    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    memset(st, 0, sizeof(*st));
    bh_err_init(err);
    rc = bh_import_path(&a, path, collect, g, st, err);
    bh_arena_release(&a);
    return rc;
}

static int import_text(const char *name, const char *text, struct got *g,
                       struct bh_import_stats *st, struct bh_err *err)
{
    struct bh_arena a;
    int rc;

    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    memset(st, 0, sizeof(*st));
    bh_err_init(err);
    rc = bh_import_buf(&a, name, text, strlen(text), collect, g, st, err);
    bh_arena_release(&a);
    return rc;
}

/* occurrences of needle in the file */
static size_t count_in(const char *path, const char *needle, char **text_out)
{
    struct bh_arena a;
    struct bh_err err;
    char *text;
    size_t len, n = 0;
    const char *p;

    bh_arena_init(&a, 1u << 28);
    assert_int_equal(bh_file_read(&a, path, 1u << 26, &text, &len, &err), 0);
    for (p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    if (text_out)
        *text_out = strdup(text);
    bh_arena_release(&a);
    return n;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* ---- OSV: go-vulndb, every file ---- */

static void osv_go_vulndb_all(void **state)
{
    const char *dir = vdata("osv/go-vulndb");
    size_t files = 0, withdrawn = 0, ecosystems = 0, i;
    struct bh_import_stats st;
    struct bh_err err;
    struct dirent *de;
    struct got g;
    DIR *d;

    (void)state;
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char path[4096 + 512];
        size_t w;

        if (!strstr(de->d_name, ".json"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        files++;
        w = count_in(path, "\"withdrawn\":", NULL);
        if (w)
            withdrawn++;
        else
            ecosystems += count_in(path, "\"ecosystem\":", NULL);
    }
    closedir(d);
    assert_true(files > 4000);

    got_init(&g);
    assert_int_equal(import_path(dir, &g, &st, &err), 0);
    assert_int_equal(st.records + st.withdrawn, files);
    assert_int_equal(st.withdrawn, withdrawn);
    assert_true(withdrawn > 0);
    assert_int_equal(st.records, g.n);
    assert_int_equal(st.skipped, 0);
    /* every package entry of the kept records is an affected entry */
    assert_int_equal(g.naffected, ecosystems);
    /* sorted order: the file names are the ids */
    for (i = 1; i < g.n; i++)
        assert_true(strcmp(g.id[i - 1], g.id[i]) < 0);

    /* one record field by field against the file */
    assert_string_equal(
        find(&g, "GO-2022-0969"),
        "GO-2022-0969|src=osv|sum=Denial of service in net/http and golang.org/x/net/http2"
        "|pub=2022-09-12T20:23:06Z|mod=0001-01-01T00:00:00Z|cvss=-/-1"
        "|aliases=CVE-2022-27664,GHSA-69cg-p879-7622"
        "|aff=Go/stdlib sev=- SEMVER[introduced=0 fixed=1.18.6 introduced=1.19.0-0 fixed=1.19.1]"
        " versions=0"
        "|aff=Go/golang.org/x/net sev=- SEMVER[introduced=0 "
        "fixed=0.0.0-20220906165146-f3363e06e74c]"
        " versions=0");
    got_release(&g);
}

/* ---- OSV: PyPI as JSON and as YAML give the same advisories ---- */

static void drop_dates(char *line)
{
    char *p = strstr(line, "|pub="), *q = strstr(line, "|cvss=");

    assert_non_null(p);
    assert_non_null(q);
    memmove(p, q, strlen(q) + 1);
}

static void osv_pypi_json_and_yaml_agree(void **state)
{
    struct bh_import_stats sj, sy;
    struct bh_err err;
    struct got gj, gy;
    size_t i;
    char *text = NULL;

    (void)state;
    got_init(&gj);
    got_init(&gy);
    assert_int_equal(import_path(vdata("osv/pypi-advisory-database/json"), &gj, &sj, &err), 0);
    assert_int_equal(import_path(vdata("osv/pypi-advisory-database/yaml"), &gy, &sy, &err), 0);
    assert_int_equal(sj.records + sj.withdrawn, 2661);
    assert_int_equal(sj.records, sy.records);
    assert_int_equal(sj.withdrawn, sy.withdrawn);
    assert_true(sj.withdrawn > 0);
    assert_int_equal(sj.skipped, sy.skipped);
    /* PEP 503 names: "jw.util" is stored as "jw-util" */
    assert_non_null(strstr(find(&gj, "PYSEC-2020-341"), "|aff=PyPI/jw-util "));
    assert_int_equal(count_in(vdata("osv/pypi-advisory-database/json/PYSEC-2020-341.json"),
                              "\"name\": \"jw.util\"", &text),
                     1);
    free(text);
    /* GIT and ECOSYSTEM ranges both kept, in file order */
    assert_non_null(strstr(find(&gj, "PYSEC-2021-335"),
                           "|aff=PyPI/accesscontrol sev=- GIT[introduced=0 "
                           "fixed=b42dd4badf803bb9fb71ac34cd9cb0c249262f2c] "
                           "ECOSYSTEM[introduced=4.0 fixed=4.3 introduced=5.0 fixed=5.2] "
                           "versions=5,4.0,4.1,4.2,5.0,5.1"));
    /* the YAML tree walks per package directory: compare as sorted sets. Dates are left out:
     * the JSON copy was made through a YAML loader that rewrote unquoted timestamps
     * ("03:22:31.636090Z" became "03:22:31.63609Z"); the YAML keeps them as written. */
    for (i = 0; i < gj.n; i++) {
        drop_dates(gj.line[i]);
        drop_dates(gy.line[i]);
    }
    qsort(gj.line, gj.n, sizeof(*gj.line), cmp_str);
    qsort(gy.line, gy.n, sizeof(*gy.line), cmp_str);
    for (i = 0; i < gj.n; i++)
        assert_string_equal(gj.line[i], gy.line[i]);

    got_release(&gj);
    got_release(&gy);
}

/* ---- OSV: osv-scanner's offline records and grype's vendor fixtures ---- */

static void osv_offline_dbs(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    assert_int_equal(import_path(vdata("osv/osv-scanner-offline-dbs"), &g, &st, &err), 0);
    assert_int_equal(st.records, 28);
    assert_int_equal(st.withdrawn, 0);
    /* CVE-2024-51757 and CVE-2025-11187 have a GIT range but no package */
    assert_int_equal(st.skipped, 2);

    /* Debian: the source package, the fixed version, the explicit versions */
    assert_non_null(strstr(find(&g, "DLA-3008-1"),
                           "|aff=Debian:9/openssl sev=- ECOSYSTEM[introduced=0 "
                           "fixed=1.1.0l-1~deb9u6] versions=19,1.1.0f-3,"));
    /* "upstream" is not "aliases" */
    assert_non_null(strstr(find(&g, "DLA-3008-1"), "|aliases=|"));
    /* Alpine: one affected entry per branch */
    assert_non_null(strstr(find(&g, "ALPINE-CVE-2025-26519"),
                           "|aff=Alpine:v3.16/musl sev=- ECOSYSTEM[introduced=0.9.13 "
                           "fixed=1.2.3-r4]"));
    /* npm GHSA: CVSS v3.1 vector scored, rating from database_specific */
    assert_non_null(strstr(find(&g, "GHSA-whgm-jr23-g3j9"), "|aff=npm/ansi-html sev=HIGH "));
    assert_non_null(strstr(find(&g, "GHSA-whgm-jr23-g3j9"),
                           "cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/75|"));
    /* Maven group:artifact */
    assert_non_null(strstr(find(&g, "GHSA-269g-pwp5-87pp"), "|aff=Maven/junit:junit "));
    /* GIT-only record with a v4.0 vector: scored, no affected package */
    assert_non_null(strstr(find(&g, "CVE-2024-51757"),
                           "cvss=CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/"
                           "93|aliases=GHSA-96g7-g7g9-jxw8"));
    assert_null(strstr(find(&g, "CVE-2024-51757"), "|aff="));
    /* OSS-Fuzz rating from ecosystem_specific */
    assert_non_null(strstr(find(&g, "OSV-2023-1161"), "|aff=OSS-Fuzz/exiv2 sev=MEDIUM GIT["));
    /* the same PyPI record in two directories is handed over twice (the database merges) */
    assert_non_null(find(&g, "PYSEC-2023-74"));
    got_release(&g);
}

static void osv_vendor_fixtures(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    assert_int_equal(import_path(vdata("osv/misc-fixtures"), &g, &st, &err), 0);
    assert_int_equal(st.records + st.withdrawn, 21);
    /* ecosystems other than Ubuntu's are verbatim */
    assert_non_null(strstr(find(&g, "ROOT-OS-UBUNTU-2204-CVE-2025-68973"),
                           "|aff=Root:Ubuntu:22.04/rootio-gnupg2 sev=HIGH "));
    /* Bitnami keeps its vector per package: it becomes the advisory's */
    assert_non_null(strstr(find(&g, "BIT-apache-2020-11984"),
                           "cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/98|"));
    assert_non_null(strstr(find(&g, "CGA-224q-ccj5-2p53"), "|aff=Wolfi/haproxy-3.1 "));
    assert_non_null(strstr(find(&g, "DSA-3029-1"), "|aff=Debian:7/"));
    got_release(&g);
}

/* ---- OSV: the details the feeds above do not show ---- */

static void osv_rules_inline(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    assert_int_equal(
        import_text("inline.json",
                    "[{\"id\": \"X-1\", \"withdrawn\": \"2024-01-01T00:00:00Z\", \"affected\": []},"
                    " {\"id\": \"X-2\", \"aliases\": [\"Z\", \"X-2\", \"A\", \"Z\"],"
                    "  \"severity\": [{\"type\": \"CVSS_V4\", \"score\": "
                    "\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"},"
                    "   {\"type\": \"CVSS_V3\", \"score\": "
                    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
                    "  \"affected\": [{\"package\": {\"ecosystem\": \"Ubuntu:Pro:18.04:LTS\","
                    "   \"name\": \"curl\"}, \"severity\": [{\"type\": \"Ubuntu\", \"score\": "
                    "\"medium\"}], \"ranges\": [{\"type\": \"FANCY\", \"events\": []},"
                    "   {\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
                    "   {\"last_affected\": \"7.1\"}, {\"limit\": \"8\"}]}]},"
                    "   {\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Zope_Interface..x\"}},"
                    "   {\"package\": {\"purl\": \"pkg:generic/x\"}}]},"
                    " {\"id\": \"X-3\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": "
                    "\"CVSS:3.1/AV:N\"}]}]",
                    &g, &st, &err),
        0);
    assert_int_equal(st.withdrawn, 1);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.skipped, 2); /* the FANCY range and the purl-only package */
    assert_string_equal(g.line[0],
                        "X-2|src=osv|sum=-|pub=-|mod=-"
                        "|cvss=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/98|aliases=A,Z"
                        "|aff=Ubuntu:18.04/curl sev=medium ECOSYSTEM[introduced=0 "
                        "last_affected=7.1 limit=8] versions=0"
                        "|aff=PyPI/zope-interface-x sev=- versions=0");
    /* an unparsable vector is dropped, not an error */
    assert_string_equal(g.line[1], "X-3|src=osv|sum=-|pub=-|mod=-|cvss=-/-1|aliases=");
    got_release(&g);

    /* "Ubuntu:22.04:LTS" and a lone v4.0 vector */
    got_init(&g);
    assert_int_equal(
        import_text("one.json",
                    "{\"id\": \"U-1\", \"severity\": [{\"type\": \"CVSS_V4\", \"score\": "
                    "\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}],"
                    " \"affected\": [{\"package\": {\"ecosystem\": \"Ubuntu:22.04:LTS\","
                    " \"name\": \"x\"}}]}",
                    &g, &st, &err),
        0);
    assert_non_null(strstr(g.line[0], "/93|"));
    assert_non_null(strstr(g.line[0], "|aff=Ubuntu:22.04/x "));
    got_release(&g);
}

static void osv_errors_name_file_record_and_line(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    /* JSON syntax: jansson's line */
    assert_int_equal(import_text("bad.json", "{\"id\": \"A\",\n\"affected\": [\n}", &g, &st, &err),
                     BH_EPARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "bad.json"));
    /* structure: the record and the JSON path */
    assert_int_equal(import_text("bad2.json",
                                 "{\"id\": \"GHSA-1\", \"affected\": [{\"package\": "
                                 "{\"ecosystem\": \"npm\", \"name\": \"x\"}, \"ranges\": "
                                 "[{\"type\": \"SEMVER\", \"events\": [{\"fixed\": 1}]}]}]}",
                                 &g, &st, &err),
                     BH_EPARSE);
    assert_non_null(strstr(err.msg, "bad2.json"));
    assert_non_null(strstr(err.msg, "'GHSA-1'"));
    assert_non_null(strstr(err.msg, "affected[0].ranges[0].events[0]"));
    /* YAML OSV: the line of the offending node */
    assert_int_equal(import_text("bad.yaml",
                                 "id: PYSEC-1\naffected:\n- package:\n    name: x\n"
                                 "    ecosystem: PyPI\n  versions:\n    nested: map\n",
                                 &g, &st, &err),
                     BH_EPARSE);
    assert_int_equal(err.line, 7);
    assert_non_null(strstr(err.msg, "bad.yaml: line 7:"));
    assert_non_null(strstr(err.msg, "'PYSEC-1'"));
    /* not an advisory at all */
    assert_int_equal(import_text("x.json", "{\"name\": \"package.json\"}", &g, &st, &err),
                     BH_EPARSE);
    assert_non_null(strstr(err.msg, "x.json"));
    /* a record that fails fails the feed: nothing after it */
    assert_int_equal(g.n, 0);
    got_release(&g);
}

static void import_stops_when_told(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    g.stop_at = 3;
    assert_int_equal(import_path(vdata("osv/go-vulndb"), &g, &st, &err), 7);
    assert_int_equal(st.records, 3);
    got_release(&g);
}

/* ---- secdb ---- */

/* Triples "package|version|id" by a plain line scan of a secdb YAML or the pretty-printed Wolfi
 * JSON: the package name line, the version line, then the id lines. */
static bool id_token(const char *t, size_t n)
{
    size_t i = 0, letters = 0;
    bool digit = false;

    while (i < n && ((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z'))) {
        i++;
        letters++;
    }
    if (!letters || i >= n || t[i] != '-')
        return false;
    for (; i < n; i++) {
        if (t[i] >= '0' && t[i] <= '9')
            digit = true;
        else if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z') ||
                   (t[i] == '-' && i + 1 < n && t[i + 1] != '-')))
            return false;
    }
    return digit;
}

static size_t scan_triples(const char *path, bool json, char ***out)
{
    char *text, *line, *save = NULL, pkg[256] = "", ver[256] = "";
    size_t n = 0, cap = 0, j;
    char **v = NULL;

    count_in(path, "x", &text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *p = line, *e;

        while (*p == ' ')
            p++;
        if (!strncmp(p, json ? "\"name\": \"" : "name: ", json ? 9 : 6)) {
            snprintf(pkg, sizeof(pkg), "%s", p + (json ? 9 : 6));
            if (json)
                *strchr(pkg, '"') = '\0';
            ver[0] = '\0';
        } else if (json ? (*p == '"' && strstr(p, "\": ["))
                        : (p[strlen(p) - 1] == ':' && strncmp(p, "- ", 2) != 0)) {
            snprintf(ver, sizeof(ver), "%s", p + (json || *p == '"' || *p == '\'' ? 1 : 0));
            e = strchr(ver, json ? '"' : ':');
            *e = '\0';
            if ((e = strchr(ver, '"')) != NULL || (e = strchr(ver, '\'')) != NULL)
                *e = '\0';
        } else if (ver[0] && strcmp(ver, "0") != 0 && (json ? *p == '"' : !strncmp(p, "- ", 2))) {
            char *t = p + (json ? 1 : 2);
            char **seen_start = v + n;

            if (json)
                *strchr(t, '"') = '\0';
            (void)seen_start;
            while (*t) {
                size_t len;
                char buf[600];
                bool dup = false;

                while (*t == ' ')
                    t++;
                len = strcspn(t, " ");
                if (len && id_token(t, len)) {
                    snprintf(buf, sizeof(buf), "%s|%s|%.*s", pkg, ver, (int)len, t);
                    for (j = 0; j < n; j++)
                        dup = dup || !strcmp(v[j], buf);
                    if (!dup) {
                        if (n == cap) {
                            cap = cap ? cap * 2 : 256;
                            v = realloc(v, cap * sizeof(*v));
                        }
                        v[n++] = strdup(buf);
                    }
                }
                t += len;
            }
        } else if (!strncmp(p, "secfixes:", 9) || !strncmp(p, "\"secfixes\"", 10)) {
            ver[0] = '\0';
        }
    }
    free(text);
    qsort(v, n, sizeof(*v), cmp_str);
    *out = v;
    return n;
}

/* The importer's triples from the collected digests. */
static void check_triples(const char *path, bool json, const char *eco)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;
    char **want, **have, pre[128];
    size_t nwant, i;

    got_init(&g);
    assert_int_equal(import_path(path, &g, &st, &err), 0);
    nwant = scan_triples(path, json, &want);
    assert_true(nwant > 0);
    assert_int_equal(st.records, nwant);
    assert_int_equal(g.n, nwant);
    have = calloc(g.n, sizeof(*have));
    snprintf(pre, sizeof(pre), "|aff=%s/", eco);
    for (i = 0; i < g.n; i++) {
        const char *a = strstr(g.line[i], pre), *fx;
        char buf[600];

        assert_non_null(a);
        assert_non_null(
            strstr(g.line[i], "|src=alpine-secdb|sum=-|pub=-|mod=-|cvss=-/-1|aliases=|"));
        fx = strstr(a, " ECOSYSTEM[introduced=0 fixed=");
        assert_non_null(fx);
        assert_non_null(strstr(fx, "] versions=0"));
        snprintf(buf, sizeof(buf), "%.*s|%.*s|%s", (int)(strstr(a, " sev=") - a - strlen(pre)),
                 a + strlen(pre), (int)(strchr(fx, ']') - fx - 30), fx + 30, g.id[i]);
        have[i] = strdup(buf);
    }
    qsort(have, g.n, sizeof(*have), cmp_str);
    for (i = 0; i < nwant; i++) {
        assert_string_equal(have[i], want[i]);
        free(have[i]);
        free(want[i]);
    }
    free(have);
    free(want);
    got_release(&g);
}

static void secdb_alpine_v310_main(void **state)
{
    (void)state;
    check_triples(vdata("alpine-secdb/v3.10/main.yaml"), false, "Alpine:v3.10");
    check_triples(vdata("alpine-secdb/v3.10/community.yaml"), false, "Alpine:v3.10");
}

static void secdb_zero_key_and_notes(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;
    size_t i;

    (void)state;
    /* v3.8 main has a "0" key (never affected): the line scan skips it as the importer does */
    check_triples(vdata("alpine-secdb/v3.8/main.yaml"), false, "Alpine:v3.8");
    /* v3.11 main has ids followed by notes: "CVE-2018-14468 (FrameRelay)" */
    check_triples(vdata("alpine-secdb/v3.11/main.yaml"), false, "Alpine:v3.11");

    got_init(&g);
    assert_int_equal(import_text("s.yaml",
                                 "distroversion: v3.99\npackages:\n  - pkg:\n      name: a\n"
                                 "      secfixes:\n        \"0\":\n          - CVE-2000-1\n"
                                 "        1.2-r0:\n          - CVE-2000-2 CVE-2000-3 XSA-9 (x)\n"
                                 "          - CVE-\?\?\?\?-\?\?\?\?\? CVE-2000-2\n"
                                 "  - pkg:\n      name: b\n",
                                 &g, &st, &err),
                     0);
    assert_int_equal(g.n, 3);
    for (i = 0; i < g.n; i++)
        assert_non_null(strstr(g.line[i], "|aff=Alpine:v3.99/a sev=- ECOSYSTEM[introduced=0 "
                                          "fixed=1.2-r0]"));
    assert_string_equal(g.id[0], "CVE-2000-2");
    assert_string_equal(g.id[1], "CVE-2000-3");
    assert_string_equal(g.id[2], "XSA-9");
    got_release(&g);

    /* every branch of the snapshot, and the whole directory at once */
    {
        static const char *const br[] = {"v3.4", "v3.5", "v3.6", "v3.7", "v3.9", "v3.11"};
        struct got all;
        char rel[64], eco[32];

        for (i = 0; i < sizeof(br) / sizeof(br[0]); i++) {
            snprintf(rel, sizeof(rel), "alpine-secdb/%s/main.yaml", br[i]);
            snprintf(eco, sizeof(eco), "Alpine:%s", br[i]);
            check_triples(vdata(rel), false, eco);
            snprintf(rel, sizeof(rel), "alpine-secdb/%s/community.yaml", br[i]);
            check_triples(vdata(rel), false, eco);
        }
        got_init(&all);
        assert_int_equal(import_path(vdata("alpine-secdb"), &all, &st, &err), 0);
        assert_true(all.n > 10000);
        got_release(&all);
        got_init(&all);
        check_triples(vdata("alpine-secdb-vunnel-fixture/v3.15-main.yaml"), false, "Alpine:v3.15");
        check_triples(vdata("alpine-secdb-vunnel-fixture/v3.15-community.yaml"), false,
                      "Alpine:v3.15");
        /* a directory holding other JSON (vunnel's expected output) is refused, naming it */
        assert_int_equal(import_path(vdata("alpine-secdb-vunnel-fixture"), &all, &st, &err),
                         BH_EPARSE);
        assert_non_null(strstr(err.msg, "expected-vunnel-output/"));
        got_release(&all);
    }

    /* a branch without packages is empty, not an error */
    got_init(&g);
    assert_int_equal(import_path(vdata("alpine-secdb/v3.3/community.yaml"), &g, &st, &err), 0);
    assert_int_equal(st.records, 0);
    got_release(&g);
}

static void secdb_wolfi_json(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;
    size_t i;

    (void)state;
    check_triples(vdata("wolfi-secdb-vunnel-fixture/security.json"), true, "Wolfi");
    got_init(&g);
    assert_int_equal(import_path(vdata("wolfi-secdb-vunnel-fixture/security.json"), &g, &st, &err),
                     0);
    /* coreutils' only entry is "0": nothing for it */
    for (i = 0; i < g.n; i++)
        assert_null(strstr(g.line[i], "/coreutils "));
    got_release(&g);
}

static void secdb_errors_name_the_line(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;

    (void)state;
    got_init(&g);
    /* YAML syntax error: libfyaml's line */
    assert_int_equal(import_text("broken.yaml",
                                 "distroversion: v3.10\npackages:\n  - pkg:\n      name: x\n"
                                 "      secfixes: [unclosed\n",
                                 &g, &st, &err),
                     BH_EPARSE);
    assert_true(err.line >= 5);
    assert_non_null(strstr(err.msg, "broken.yaml: line "));
    /* structure: secfixes as a list, named at its line */
    assert_int_equal(import_text("shape.yaml",
                                 "distroversion: v3.10\npackages:\n  - pkg:\n      name: x\n"
                                 "      secfixes:\n        - CVE-2020-1\n",
                                 &g, &st, &err),
                     BH_EPARSE);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.msg, "shape.yaml: line 6:"));
    assert_non_null(strstr(err.msg, "'x'"));
    /* the same in JSON names the package */
    assert_int_equal(import_text("shape.json",
                                 "{\"packages\": [{\"pkg\": {\"name\": \"y\", \"secfixes\": "
                                 "{\"1-r0\": [3]}}}]}",
                                 &g, &st, &err),
                     BH_EPARSE);
    assert_non_null(strstr(err.msg, "shape.json: secdb: package 'y': fixed version '1-r0'"));
    got_release(&g);
}

/* ---- detection, zips, directories, limits ---- */

static char tmpdir[64];

static void sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/bh-import-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmp(void **state)
{
    (void)state;
    sh("rm -rf '%s'", tmpdir);
    return 0;
}

static void detect_formats(void **state)
{
    struct bh_arena a;
    char *text;
    size_t len;
    struct bh_err err;

    (void)state;
    bh_arena_init(&a, 1u << 26);
    assert_int_equal(bh_import_detect("PK\3\4rest", 8), BH_IMPORT_ZIP);
    assert_int_equal(bh_import_detect("{\"id\": \"A\"}", 11), BH_IMPORT_OSV);
    assert_int_equal(bh_import_detect(" [ ]", 4), BH_IMPORT_OSV);
    assert_int_equal(bh_import_detect("{\"packages\": []}", 16), BH_IMPORT_SECDB);
    assert_int_equal(bh_import_detect("{\"name\": 1}", 11), BH_IMPORT_UNKNOWN);
    assert_int_equal(bh_import_detect("{broken", 7), BH_IMPORT_UNKNOWN);
    assert_int_equal(bh_import_detect("", 0), BH_IMPORT_UNKNOWN);
    assert_int_equal(
        bh_file_read(&a, vdata("alpine-secdb/v3.10/main.yaml"), 1u << 24, &text, &len, &err), 0);
    assert_int_equal(bh_import_detect(text, len), BH_IMPORT_SECDB);
    assert_int_equal(bh_file_read(&a, vdata("wolfi-secdb-vunnel-fixture/security.json"), 1u << 24,
                                  &text, &len, &err),
                     0);
    assert_int_equal(bh_import_detect(text, len), BH_IMPORT_SECDB);
    assert_int_equal(bh_file_read(&a,
                                  vdata("osv/pypi-advisory-database/yaml/accesscontrol/"
                                        "PYSEC-2021-335.yaml"),
                                  1u << 24, &text, &len, &err),
                     0);
    assert_int_equal(bh_import_detect(text, len), BH_IMPORT_OSV);
    bh_arena_release(&a);
}

static void zip_export_matches_directory(void **state)
{
    struct bh_import_stats sd, sz, sb;
    struct bh_err err;
    struct got gd, gz, gb;
    char zip[256], *data;
    size_t len, i;
    struct bh_arena a;

    (void)state;
    /* an all.zip-like export of the Go records: flat members, plus a non-JSON member */
    snprintf(zip, sizeof(zip), "%s/all.zip", tmpdir);
    sh("cd '%s' && python3 -c \"import zipfile,glob,os\n"
       "z=zipfile.ZipFile('%s','w',zipfile.ZIP_DEFLATED)\n"
       "[z.write(f, os.path.basename(f)) for f in sorted(glob.glob('GO-2024-*.json'))]\n"
       "z.writestr('README.txt','not a record')\nz.close()\"",
       vdata("osv/go-vulndb"), zip);
    sh("mkdir -p '%s/dir' && cp '%s'/GO-2024-*.json '%s/dir/'", tmpdir, vdata("osv/go-vulndb"),
       tmpdir);
    got_init(&gd);
    got_init(&gz);
    got_init(&gb);
    snprintf(zip + strlen(zip) - 7, 8, "dir");
    assert_int_equal(import_path(zip, &gd, &sd, &err), 0);
    snprintf(zip + strlen(zip) - 3, 8, "all.zip");
    assert_int_equal(import_path(zip, &gz, &sz, &err), 0);
    assert_true(sd.records > 100);
    assert_int_equal(sz.records, sd.records);
    assert_int_equal(sz.withdrawn, sd.withdrawn);
    for (i = 0; i < gd.n; i++)
        assert_string_equal(gz.line[i], gd.line[i]);
    /* the same bytes from memory */
    bh_arena_init(&a, 1u << 28);
    assert_int_equal(bh_file_read(&a, zip, 1u << 26, &data, &len, &err), 0);
    memset(&sb, 0, sizeof(sb));
    assert_int_equal(bh_import_buf(&a, "mem.zip", data, len, collect, &gb, &sb, &err), 0);
    assert_int_equal(sb.records, sd.records);
    bh_arena_release(&a);

    /* a bad member names the archive and the member */
    sh("cd '%s' && python3 -c \"import zipfile\n"
       "z=zipfile.ZipFile('bad.zip','w')\nz.writestr('a/GO-1.json','{\\\"id\\\": \\\"GO-1\\\"}')\n"
       "z.writestr('a/GO-2.json','{\\\"id\\\": 5}')\nz.close()\"",
       tmpdir);
    snprintf(zip, sizeof(zip), "%s/bad.zip", tmpdir);
    got_release(&gb);
    got_init(&gb);
    assert_int_equal(import_path(zip, &gb, &sb, &err), BH_EPARSE);
    assert_non_null(strstr(err.msg, "bad.zip!/a/GO-2.json"));
    assert_int_equal(sb.records, 1);
    got_release(&gd);
    got_release(&gz);
    got_release(&gb);
}

static void directory_rules_and_limits(void **state)
{
    struct bh_import_stats st;
    struct bh_err err;
    struct got g;
    char path[4096];
    size_t len, i;

    (void)state;
    /* .yml counts, other names and hidden directories do not, unknown content fails */
    sh("mkdir -p '%s/d/sub' '%s/d/.git' && cd '%s/d' && "
       "printf 'id: A-1\\n' > sub/a.yml && printf '{\"id\": \"B-1\"}' > b.json && "
       "printf 'junk' > notes.txt && printf '{\"id\": \"C-1\"}' > .git/c.json",
       tmpdir, tmpdir, tmpdir);
    snprintf(path, sizeof(path), "%s/d", tmpdir);
    got_init(&g);
    assert_int_equal(import_path(path, &g, &st, &err), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.id[0], "B-1"); /* "b.json" sorts before "sub" */
    assert_string_equal(g.id[1], "A-1");
    sh("printf '{\"name\": \"x\"}' > '%s/d/package.json'", tmpdir);
    assert_int_equal(import_path(path, &g, &st, &err), BH_EPARSE);
    assert_non_null(strstr(err.msg, "d/package.json"));
    got_release(&g);

    /* nesting deeper than BH_MAX_WALK_DEPTH */
    len = (size_t)snprintf(path, sizeof(path), "%s/deep", tmpdir);
    for (i = 0; i <= BH_MAX_WALK_DEPTH + 1; i++)
        len += (size_t)snprintf(path + len, sizeof(path) - len, "/d");
    sh("mkdir -p '%s' && printf '{\"id\": \"D-1\"}' > '%s/x.json'", path, path);
    snprintf(path, sizeof(path), "%s/deep", tmpdir);
    got_init(&g);
    assert_int_equal(import_path(path, &g, &st, &err), BH_ELIMIT);
    assert_non_null(strstr(err.msg, "BH_MAX_WALK_DEPTH"));
    got_release(&g);

    /* JSON nesting past BH_MAX_JSON_DEPTH */
    {
        char deep[400];

        memset(deep, '[', sizeof(deep) - 1);
        deep[sizeof(deep) - 1] = '\0';
        got_init(&g);
        assert_int_equal(import_text("deep.json", deep, &g, &st, &err), BH_ELIMIT);
        assert_non_null(strstr(err.msg, "deep.json"));
        got_release(&g);
    }
    /* a missing path */
    got_init(&g);
    assert_int_equal(import_path("/nonexistent/bulkhead", &g, &st, &err), BH_EIO);
    got_release(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(osv_go_vulndb_all),
        cmocka_unit_test(osv_pypi_json_and_yaml_agree),
        cmocka_unit_test(osv_offline_dbs),
        cmocka_unit_test(osv_vendor_fixtures),
        cmocka_unit_test(osv_rules_inline),
        cmocka_unit_test(osv_errors_name_file_record_and_line),
        cmocka_unit_test(import_stops_when_told),
        cmocka_unit_test(secdb_alpine_v310_main),
        cmocka_unit_test(secdb_zero_key_and_notes),
        cmocka_unit_test(secdb_wolfi_json),
        cmocka_unit_test(secdb_errors_name_the_line),
        cmocka_unit_test(detect_formats),
        cmocka_unit_test_setup_teardown(zip_export_matches_directory, make_tmp, rm_tmp),
        cmocka_unit_test_setup_teardown(directory_rules_and_limits, make_tmp, rm_tmp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
