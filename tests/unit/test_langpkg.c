/*
 * test_langpkg.c - language package readers (input/pkgdb/lang.c) on samples in the shapes the
 * package managers write, on the real Python and npm metadata of this machine where present
 * (asserting properties, not this machine's contents), on malformed input, and the dispatcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/pkgdb/lang.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*reader_fn)(struct bh_arena *, const char *, const char *, size_t, int,
                         struct bh_packages *, struct bh_err *);

struct fix {
    struct bh_arena a;
    struct bh_packages ps;
    struct bh_err err;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    bh_arena_init(&f->a, 256u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    bh_arena_release(&f->a);
    free(f);
    return 0;
}

/* Run rd on a C string; packages accumulate in f->ps. */
static int run(struct fix *f, reader_fn rd, const char *file, const char *text)
{
    bh_err_init(&f->err);
    return rd(&f->a, file, text, strlen(text), 3, &f->ps, &f->err);
}

static const struct bh_package *find(const struct fix *f, const char *name, const char *version)
{
    const struct bh_package *hit = NULL;
    size_t i;

    for (i = 0; i < f->ps.n; i++)
        if (strcmp(f->ps.v[i].name, name) == 0 &&
            (version == NULL || strcmp(f->ps.v[i].version, version) == 0)) {
            assert_null(hit);
            hit = &f->ps.v[i];
        }
    if (hit == NULL)
        fail_msg("package %s %s not found", name, version != NULL ? version : "");
    return hit;
}

static void check_common(const struct fix *f, enum bh_pkg_kind kind, const char *file)
{
    size_t i;

    for (i = 0; i < f->ps.n; i++) {
        assert_int_equal(f->ps.v[i].kind, kind);
        assert_string_equal(f->ps.v[i].path, file);
        assert_int_equal(f->ps.v[i].layer, 3);
        assert_non_null(f->ps.v[i].purl);
        assert_true(f->ps.v[i].name[0] != '\0' && f->ps.v[i].version[0] != '\0');
    }
}

/* The reader fails with code, adds nothing, and the message contains want. */
static void expect_fail(struct fix *f, reader_fn rd, const char *text, int code, int line,
                        const char *want)
{
    size_t n0 = f->ps.n;
    int rc = run(f, rd, "f", text);

    if (rc != code)
        fail_msg("expected %d, got %d (%s) for: %s", code, rc, f->err.msg, text);
    assert_int_equal(f->err.code, code);
    assert_string_equal(f->err.file, "f");
    assert_int_equal(f->ps.n, n0);
    if (line >= 0)
        assert_int_equal(f->err.line, line);
    if (want != NULL && strstr(f->err.msg, want) == NULL)
        fail_msg("message '%s' lacks '%s'", f->err.msg, want);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    if (fp == NULL)
        return NULL;
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
        fail_msg("cannot read '%s'", path);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* ---- npm ------------------------------------------------------------------------------ */

static void npm_package_json(void **state)
{
    struct fix *f = *state;
    const struct bh_package *p;

    assert_int_equal(run(f, bh_pkgdb_npm, "app/node_modules/lodash/package.json",
                         "{\n  \"name\": \"lodash\",\n  \"version\": \"4.17.21\",\n"
                         "  \"license\": \"MIT\",\n  \"main\": \"lodash.js\",\n"
                         "  \"repository\": \"lodash/lodash\"\n}\n"),
                     0);
    assert_int_equal(run(f, bh_pkgdb_npm, "app/node_modules/@babel/core/package.json",
                         "{\"name\":\"@babel/core\",\"version\":\"7.23.2\","
                         "\"license\":{\"type\":\"MIT\"}}"),
                     0);
    assert_int_equal(run(f, bh_pkgdb_npm, "app/node_modules/old/package.json",
                         "{\"name\":\"old\",\"version\":\"0.1.0\","
                         "\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache-2.0\"}]}"),
                     0);
    /* skipped: no version (workspace root), private, no name */
    assert_int_equal(run(f, bh_pkgdb_npm, "x", "{\"name\":\"root\",\"private\":true}"), 0);
    assert_int_equal(
        run(f, bh_pkgdb_npm, "x", "{\"name\":\"ws\",\"version\":\"1.0.0\",\"private\":true}"), 0);
    assert_int_equal(run(f, bh_pkgdb_npm, "x", "{\"type\":\"module\"}"), 0);
    assert_int_equal(f->ps.n, 3);
    p = find(f, "lodash", "4.17.21");
    assert_string_equal(p->license, "MIT");
    assert_string_equal(p->purl, "pkg:npm/lodash@4.17.21");
    assert_string_equal(p->path, "app/node_modules/lodash/package.json");
    assert_int_equal(p->kind, BH_PKG_NPM);
    assert_int_equal(p->layer, 3);
    p = find(f, "@babel/core", NULL);
    assert_string_equal(p->purl, "pkg:npm/%40babel/core@7.23.2");
    assert_string_equal(p->license, "MIT");
    assert_string_equal(find(f, "old", NULL)->license, "MIT OR Apache-2.0");
}

static void npm_lock_v1(void **state)
{
    struct fix *f = *state;
    static const char lock[] =
        "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 1,\n"
        "  \"requires\": true,\n  \"dependencies\": {\n"
        "    \"debug\": {\"version\": \"2.6.9\", \"resolved\": "
        "\"https://registry.npmjs.org/debug/-/debug-2.6.9.tgz\", \"integrity\": \"sha512-x\",\n"
        "      \"requires\": {\"ms\": \"2.0.0\"},\n"
        "      \"dependencies\": {\"ms\": {\"version\": \"2.0.0\"}}},\n"
        "    \"ms\": {\"version\": \"2.1.3\", \"dev\": true},\n"
        "    \"my-lodash\": {\"version\": \"npm:lodash@4.17.20\"},\n"
        "    \"@types/node\": {\"version\": \"20.8.0\"},\n"
        "    \"local\": {\"version\": \"file:../local\"}\n  }\n}\n";

    assert_int_equal(run(f, bh_pkgdb_npm_lock, "app/package-lock.json", lock), 0);
    check_common(f, BH_PKG_NPM, "app/package-lock.json");
    assert_int_equal(f->ps.n, 5);
    (void)find(f, "debug", "2.6.9");
    (void)find(f, "ms", "2.0.0"); /* nested under debug */
    (void)find(f, "ms", "2.1.3");
    assert_string_equal(find(f, "lodash", "4.17.20")->purl, "pkg:npm/lodash@4.17.20");
    assert_string_equal(find(f, "@types/node", NULL)->purl, "pkg:npm/%40types/node@20.8.0");
}

static void npm_lock_v2_v3(void **state)
{
    struct fix *f = *state;
    static const char v3[] =
        "{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":3,\"requires\":true,\n"
        " \"packages\":{\n"
        "  \"\":{\"name\":\"app\",\"version\":\"1.0.0\",\"workspaces\":[\"packages/*\"],"
        "\"dependencies\":{\"express\":\"^4.18.2\"}},\n"
        "  \"node_modules/express\":{\"version\":\"4.18.2\",\"resolved\":\"https://r/e.tgz\","
        "\"license\":\"MIT\"},\n"
        "  \"node_modules/express/node_modules/debug\":{\"version\":\"2.6.9\"},\n"
        "  \"node_modules/@scope/pkg\":{\"version\":\"0.0.1-beta.1\",\"dev\":true},\n"
        "  \"node_modules/ws-a\":{\"resolved\":\"packages/ws-a\",\"link\":true},\n"
        "  \"packages/ws-a\":{\"name\":\"ws-a\",\"version\":\"0.0.0\"},\n"
        "  \"node_modules/str-w\":{\"name\":\"string-width\",\"version\":\"4.2.3\"},\n"
        "  \"node_modules/fsevents\":{\"version\":\"2.3.3\",\"optional\":true,"
        "\"os\":[\"darwin\"]}\n"
        " }}\n";
    static const char v2[] =
        "{\"lockfileVersion\":2,\"packages\":{\"\":{},\"node_modules/a\":{\"version\":\"1.0.0\"}},"
        "\"dependencies\":{\"a\":{\"version\":\"1.0.0\"},\"b\":{\"version\":\"9.9.9\"}}}";

    assert_int_equal(run(f, bh_pkgdb_npm_lock, "srv/package-lock.json", v3), 0);
    check_common(f, BH_PKG_NPM, "srv/package-lock.json");
    assert_int_equal(f->ps.n, 5);
    assert_string_equal(find(f, "express", NULL)->license, "MIT");
    assert_null(find(f, "debug", "2.6.9")->license);
    assert_string_equal(find(f, "@scope/pkg", NULL)->purl, "pkg:npm/%40scope/pkg@0.0.1-beta.1");
    (void)find(f, "string-width", "4.2.3"); /* alias recorded as the real package */
    (void)find(f, "fsevents", NULL);
    /* v2 carries both sections: only "packages" counts (b is in the legacy part only) */
    assert_int_equal(run(f, bh_pkgdb_npm_lock, "package-lock.json", v2), 0);
    assert_int_equal(f->ps.n, 6);
    (void)find(f, "a", "1.0.0");
}

static void npm_malformed(void **state)
{
    struct fix *f = *state;
    char deep[4096];
    size_t i, o = 0;

    expect_fail(f, bh_pkgdb_npm, "{\"name\":\"x\",", BH_EPARSE, -1, NULL);
    expect_fail(f, bh_pkgdb_npm, "[1]", BH_EPARSE, 0, "$: expected an object");
    expect_fail(f, bh_pkgdb_npm, "{\"name\":1,\"version\":\"1\"}", BH_EPARSE, 0, "$.name");
    expect_fail(f, bh_pkgdb_npm, "{\"name\":\"a\\u0000b\",\"version\":\"1\"}", BH_EPARSE, 0, "NUL");
    expect_fail(f, bh_pkgdb_npm_lock, "{\"lockfileVersion\":\"3\"}", BH_EPARSE, 0,
                "$.lockfileVersion");
    expect_fail(f, bh_pkgdb_npm_lock, "{\"lockfileVersion\":3}", BH_EPARSE, 0, "packages");
    expect_fail(f, bh_pkgdb_npm_lock,
                "{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":[]}}", BH_EPARSE, 0,
                "$.packages[\"node_modules/a\"]: expected an object");
    expect_fail(f, bh_pkgdb_npm_lock,
                "{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":3}}}",
                BH_EPARSE, 0, "$.packages[\"node_modules/a\"].version");
    expect_fail(f, bh_pkgdb_npm_lock,
                "{\"lockfileVersion\":3,\"packages\":{\"node_modules/a/b\":{\"version\":\"1\"}}}",
                BH_EPARSE, 0, "not an install path");
    expect_fail(f, bh_pkgdb_npm_lock,
                "{\"lockfileVersion\":1,\"dependencies\":{\"a\":{\"version\":\"1\","
                "\"dependencies\":{\"b\":{}}}}}",
                BH_EPARSE, 0, "$.dependencies[\"a\"].dependencies[\"b\"]: no version");
    /* a good entry before the bad one is not kept */
    expect_fail(f, bh_pkgdb_npm_lock,
                "{\"dependencies\":{\"ok\":{\"version\":\"1.0.0\"},\"bad\":7}}", BH_EPARSE, 0,
                "$.dependencies[\"bad\"]");
    /* a v1 tree nested past BH_MAX_NPM_LOCK_DEPTH */
    o += (size_t)snprintf(deep + o, sizeof(deep) - o, "{\"dependencies\":");
    for (i = 0; i < 30; i++)
        o += (size_t)snprintf(deep + o, sizeof(deep) - o,
                              "{\"a\":{\"version\":\"1\",\"dependencies\":");
    o += (size_t)snprintf(deep + o, sizeof(deep) - o, "{}");
    for (i = 0; i < 30; i++)
        o += (size_t)snprintf(deep + o, sizeof(deep) - o, "}}");
    (void)snprintf(deep + o, sizeof(deep) - o, "}");
    assert_int_equal(run(f, bh_pkgdb_npm_lock, "f", deep), 0);
    assert_int_equal(f->ps.n, 30);
}

/* Every package.json of the npm bundled with node on this machine, when there is one. */
static void npm_real_node_modules(void **state)
{
    static const char root[] = "/usr/lib/node_modules/npm/node_modules";
    struct fix *f = *state;
    struct dirent *de;
    char path[4096], want[600];
    const struct bh_package *p;
    DIR *d = opendir(root);
    size_t len, seen = 0;
    char *text;
    enum bh_pkg_kind k;

    if (d == NULL)
        skip();
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || de->d_name[0] == '@')
            continue;
        (void)snprintf(path, sizeof(path), "%s/%s/package.json", root, de->d_name);
        if ((text = slurp(path, &len)) == NULL)
            continue;
        assert_true(bh_pkgdb_lang_wants(path, &k));
        assert_int_equal(k, BH_PKG_NPM);
        f->ps.n = 0;
        bh_err_init(&f->err);
        if (bh_pkgdb_lang_read(&f->a, path + 1, text, len, 3, &f->ps, &f->err) != 0)
            fail_msg("%s: %s", path, f->err.msg);
        free(text);
        assert_int_equal(f->ps.n, 1);
        p = &f->ps.v[0];
        assert_string_equal(p->name, de->d_name); /* installed under its own name */
        assert_true(p->version[0] >= '0' && p->version[0] <= '9');
        (void)snprintf(want, sizeof(want), "pkg:npm/%s@%s", p->name, p->version);
        assert_string_equal(p->purl, want);
        seen++;
    }
    closedir(d);
    if (seen == 0)
        skip();
}

/* ---- Python ----------------------------------------------------------------------------- */

static void python_metadata(void **state)
{
    struct fix *f = *state;
    const struct bh_package *p;

    assert_int_equal(
        run(f, bh_pkgdb_python,
            "usr/lib/python3/site-packages/Flask_SQLAlchemy-3.1.1.dist-info/METADATA",
            "Metadata-Version: 2.1\r\nName: Flask_SQLAlchemy\r\nVersion: 3.1.1\r\n"
            "Summary: Add SQLAlchemy support to your Flask application.\r\n"
            "Requires-Python: >=3.8\r\nLicense: BSD-3-Clause\r\n"
            "Requires-Dist: flask>=2.2.5\r\n\r\n# Flask-SQLAlchemy\r\n\r\nName: not-a-header\r\n"),
        0);
    assert_int_equal(run(f, bh_pkgdb_python, "x/zope.interface-6.0.dist-info/METADATA",
                         "Metadata-Version: 2.4\nName: zope.interface\nVersion: 6.0\n"
                         "License: Zope Public License\n"
                         "License-Expression: ZPL-2.1\n"
                         "Description: multi\n        line\n"),
                     0);
    /* a whole license text as License, and UNKNOWN, give no license */
    assert_int_equal(run(f, bh_pkgdb_python, "x/certifi-2023.7.22.dist-info/METADATA",
                         "Metadata-Version: 2.1\nName: certifi\nVersion: 2023.7.22\n"
                         "License: This Source Code Form is subject to the terms\n"
                         "        of the Mozilla Public License, v. 2.0.\n"),
                     0);
    assert_int_equal(run(f, bh_pkgdb_python, "x/crcmod-1.7.egg-info/PKG-INFO",
                         "Metadata-Version: 1.1\nName: crcmod\nVersion: 1.7\nLicense: UNKNOWN\n"),
                     0);
    assert_int_equal(f->ps.n, 4);
    for (size_t i = 0; i < f->ps.n; i++)
        assert_int_equal(f->ps.v[i].kind, BH_PKG_PYPI);
    p = find(f, "Flask_SQLAlchemy", "3.1.1");
    assert_string_equal(p->purl, "pkg:pypi/flask-sqlalchemy@3.1.1");
    assert_string_equal(p->license, "BSD-3-Clause");
    p = find(f, "zope.interface", NULL);
    assert_string_equal(p->purl, "pkg:pypi/zope-interface@6.0");
    assert_string_equal(p->license, "ZPL-2.1");
    assert_null(find(f, "certifi", NULL)->license);
    assert_null(find(f, "crcmod", NULL)->license);
}

static void python_name_normalisation(void **state)
{
    struct fix *f = *state;

    assert_int_equal(run(f, bh_pkgdb_python, "m", "Name: Foo__Bar.-.Baz\nVersion: 1.0.post1\n"), 0);
    assert_string_equal(f->ps.v[0].name, "Foo__Bar.-.Baz");
    assert_string_equal(f->ps.v[0].purl, "pkg:pypi/foo-bar-baz@1.0.post1");
}

static void python_malformed(void **state)
{
    struct fix *f = *state;

    expect_fail(f, bh_pkgdb_python, "Name: a\nVersion: 1\nthis is no header\n", BH_EPARSE, 3,
                "not 'Field: value'");
    expect_fail(f, bh_pkgdb_python, " Name: a\n", BH_EPARSE, 1, "continuation");
    expect_fail(f, bh_pkgdb_python, "Metadata-Version: 2.1\nVersion: 1\n", BH_EPARSE, 1, "no Name");
    expect_fail(f, bh_pkgdb_python, "Name: a\nVersion:\n", BH_EPARSE, 2, "no Version");
    expect_fail(f, bh_pkgdb_python, "Name: a\nName: b\nVersion: 1\n", BH_EPARSE, 2, "repeated");
    /* a Name only in the body does not count */
    expect_fail(f, bh_pkgdb_python, "Version: 1\n\nName: a\n", BH_EPARSE, 1, "no Name");
    expect_fail(f, bh_pkgdb_python, "", BH_EPARSE, 1, "no Name");
    expect_fail(f, bh_pkgdb_python, ": x\n", BH_EPARSE, 1, NULL);
    /* found by the fuzzer: a NUL made the name empty after the reader checked it */
    {
        static const char nul[] = "Name: \0\nVersion: 1\n";
        size_t n0 = f->ps.n;
        bh_err_init(&f->err);
        assert_int_equal(bh_pkgdb_python(&f->a, "f", nul, sizeof(nul) - 1, 0, &f->ps, &f->err),
                         BH_EPARSE);
        assert_int_equal(f->err.line, 1);
        assert_int_equal(f->ps.n, n0);
    }
}

/*
 * "NAME-VERSION[-pyX.Y].{dist,egg}-info": the names in the directory use '_' for '-' (wheel
 * and setuptools escaping), so both sides are compared PEP 503-normalised.
 */
static void norm(char *o, size_t cap, const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n && k + 1 < cap; i++) {
        char ch = s[i];
        if (ch == '_' || ch == '.' || ch == '-') {
            if (k == 0 || o[k - 1] != '-')
                o[k++] = '-';
        } else {
            o[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        }
    }
    o[k] = '\0';
}

static void python_real_site_packages(void **state)
{
    static const char root[] = "/usr/lib/python3/dist-packages";
    struct fix *f = *state;
    struct dirent *de;
    char path[4096], a[600], b[512];
    const struct bh_package *p;
    const char *dash, *vend, *suffix;
    DIR *d = opendir(root);
    size_t len, seen = 0, stem;
    char *text;
    enum bh_pkg_kind k;

    if (d == NULL)
        skip();
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 10 && strcmp(de->d_name + n - 10, ".dist-info") == 0) {
            (void)snprintf(path, sizeof(path), "%s/%s/METADATA", root, de->d_name);
            suffix = ".dist-info";
        } else if (n > 9 && strcmp(de->d_name + n - 9, ".egg-info") == 0) {
            (void)snprintf(path, sizeof(path), "%s/%s/PKG-INFO", root, de->d_name);
            suffix = ".egg-info";
            if ((text = slurp(path, &len)) == NULL) /* an egg-info file, not a directory */
                (void)snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
            free(text);
        } else {
            continue;
        }
        if ((text = slurp(path, &len)) == NULL)
            continue;
        assert_true(bh_pkgdb_lang_wants(path, &k));
        assert_int_equal(k, BH_PKG_PYPI);
        f->ps.n = 0;
        bh_err_init(&f->err);
        if (bh_pkgdb_lang_read(&f->a, path + 1, text, len, 3, &f->ps, &f->err) != 0)
            fail_msg("%s: %s", path, f->err.msg);
        free(text);
        assert_int_equal(f->ps.n, 1);
        p = &f->ps.v[0];
        stem = n - strlen(suffix);
        /* Debian ships some without the version ("cryptography.egg-info") */
        dash = memchr(de->d_name, '-', stem);
        if (dash == NULL)
            dash = de->d_name + stem;
        norm(a, sizeof(a), de->d_name, (size_t)(dash - de->d_name));
        norm(b, sizeof(b), p->name, strlen(p->name));
        assert_string_equal(a, b);
        if (dash < de->d_name + stem) {
            vend = memchr(dash + 1, '-', stem - (size_t)(dash + 1 - de->d_name));
            if (vend == NULL)
                vend = de->d_name + stem;
            norm(a, sizeof(a), dash + 1, (size_t)(vend - dash - 1));
            norm(b, sizeof(b), p->version, strlen(p->version));
            assert_string_equal(a, b);
        }
        assert_true(p->version[0] >= '0' && p->version[0] <= '9');
        norm(b, sizeof(b), p->name, strlen(p->name));
        (void)snprintf(a, sizeof(a), "pkg:pypi/%s@", b);
        assert_true(strncmp(p->purl, a, strlen(a)) == 0);
        seen++;
    }
    closedir(d);
    if (seen == 0)
        skip();
}

/* ---- Composer ----------------------------------------------------------------------------- */

static void composer_v1_v2(void **state)
{
    struct fix *f = *state;
    const struct bh_package *p;
    static const char v2[] =
        "{\n    \"packages\": [\n        {\n            \"name\": \"monolog/monolog\",\n"
        "            \"version\": \"3.4.0\",\n            \"version_normalized\": \"3.4.0.0\",\n"
        "            \"source\": {\"type\": \"git\", \"url\": \"https://github.com/x/y.git\"},\n"
        "            \"type\": \"library\",\n            \"license\": [\"MIT\"],\n"
        "            \"install-path\": \"../monolog/monolog\"\n        },\n"
        "        {\"name\": \"psr/log\", \"version\": \"v3.0.0\", \"license\": "
        "[\"MIT\", \"GPL-2.0-or-later\"]},\n"
        "        {\"name\": \"phpunit/phpunit\", \"version\": \"10.3.5\"}\n    ],\n"
        "    \"dev\": true,\n    \"dev-package-names\": [\"phpunit/phpunit\"]\n}\n";
    static const char v1[] = "[{\"name\":\"guzzlehttp/guzzle\",\"version\":\"6.5.8\","
                             "\"license\":\"MIT\"}]";

    assert_int_equal(run(f, bh_pkgdb_composer, "var/www/vendor/composer/installed.json", v2), 0);
    assert_int_equal(f->ps.n, 3);
    check_common(f, BH_PKG_COMPOSER, "var/www/vendor/composer/installed.json");
    p = find(f, "monolog/monolog", "3.4.0");
    assert_string_equal(p->purl, "pkg:composer/monolog/monolog@3.4.0");
    assert_string_equal(p->license, "MIT");
    p = find(f, "psr/log", "v3.0.0");
    assert_string_equal(p->license, "MIT OR GPL-2.0-or-later");
    assert_null(find(f, "phpunit/phpunit", NULL)->license);
    f->ps.n = 0;
    assert_int_equal(run(f, bh_pkgdb_composer, "vendor/composer/installed.json", v1), 0);
    assert_int_equal(f->ps.n, 1);
    assert_string_equal(f->ps.v[0].purl, "pkg:composer/guzzlehttp/guzzle@6.5.8");
    /* a '/' inside the package part stays encoded; only the vendor separator is one */
    assert_int_equal(run(f, bh_pkgdb_composer, "x", "[{\"name\":\"a/b/c\",\"version\":\"1\"}]"), 0);
    assert_string_equal(f->ps.v[1].purl, "pkg:composer/a/b%2Fc@1");
}

static void composer_malformed(void **state)
{
    struct fix *f = *state;

    expect_fail(f, bh_pkgdb_composer, "{\"packages\": {}}", BH_EPARSE, 0,
                "$.packages: expected an array");
    expect_fail(f, bh_pkgdb_composer, "\"x\"", BH_EPARSE, 0, "$: expected an array or object");
    expect_fail(f, bh_pkgdb_composer, "[{\"name\":\"a/b\",\"version\":\"1\"},{\"name\":\"c/d\"}]",
                BH_EPARSE, 0, "$[1]: no version");
    expect_fail(f, bh_pkgdb_composer, "{\"packages\":[{\"version\":\"1\"}]}", BH_EPARSE, 0,
                "$.packages[0]: no name");
    expect_fail(f, bh_pkgdb_composer, "{\"packages\":[7]}", BH_EPARSE, 0,
                "$.packages[0]: expected an object");
    expect_fail(f, bh_pkgdb_composer, "{\"packages\":[{\"name\":[],\"version\":\"1\"}]}", BH_EPARSE,
                0, "$.packages[0].name");
    expect_fail(f, bh_pkgdb_composer, "[", BH_EPARSE, -1, NULL);
}

/* ---- Cargo.lock ---------------------------------------------------------------------------- */

static void cargo_lock(void **state)
{
    struct fix *f = *state;
    const struct bh_package *p;
    static const char lock[] =
        "# This file is automatically @generated by Cargo.\n"
        "# It is not intended for manual editing.\n"
        "version = 3\n\n"
        "[[package]]\nname = \"adler\"\nversion = \"1.0.2\"\n"
        "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        "checksum = \"f26201604c87b1e01bd3d98f8d5d9a8fcbb815e8cedb41ffccbeb4bf593a35fe\"\n\n"
        "[[package]]\nname = \"myapp\"\nversion = \"0.1.0\"\ndependencies = [\n"
        " \"adler\",\n \"serde 1.0.188 (registry+https://github.com/rust-lang/crates.io-index)\","
        "\n # a comment\n]\n\n"
        "[[package]]\r\nname = \"serde\"   # trailing comment\r\nversion = \"1.0.188\"\r\n"
        "source = 'sparse+https://index.crates.io/'\r\n\r\n"
        "[[package]]\nname = \"tokio\"\nversion = \"1.32.0\"\n"
        "source = \"git+https://github.com/tokio-rs/tokio?branch=master#abc\"\n"
        "dependencies = [\"a\", [\"nested\"]]\n\n"
        "[metadata]\n\"checksum adler 1.0.2 (registry+https://x)\" = \"abc\"\n";

    assert_int_equal(run(f, bh_pkgdb_cargo, "app/Cargo.lock", lock), 0);
    check_common(f, BH_PKG_CARGO, "app/Cargo.lock");
    assert_int_equal(f->ps.n, 3); /* myapp has no source: the workspace's own crate */
    p = find(f, "adler", "1.0.2");
    assert_string_equal(p->purl, "pkg:cargo/adler@1.0.2");
    assert_null(p->license);
    (void)find(f, "serde", "1.0.188");
    (void)find(f, "tokio", "1.32.0");
    /* escapes are decoded; empty file is no packages */
    assert_int_equal(run(f, bh_pkgdb_cargo, "x",
                         "[[package]]\nname = \"a\\\"b\"\nversion = \"1\"\nsource = \"r\"\n"),
                     0);
    assert_string_equal(f->ps.v[3].name, "a\"b");
    assert_int_equal(run(f, bh_pkgdb_cargo, "x", ""), 0);
    assert_int_equal(f->ps.n, 4);
}

static void cargo_malformed(void **state)
{
    struct fix *f = *state;

    expect_fail(f, bh_pkgdb_cargo, "[[package]]\nversion = \"1\"\nsource = \"r\"\n", BH_EPARSE, 1,
                "no name");
    expect_fail(f, bh_pkgdb_cargo, "version = 3\n\n[[package]]\nname = \"a\"\n[metadata]\n",
                BH_EPARSE, 3, "no version");
    expect_fail(f, bh_pkgdb_cargo, "[[package]]\nname = \"a\nversion = \"1\"\n", BH_EPARSE, 2,
                "unterminated");
    expect_fail(f, bh_pkgdb_cargo, "[[package]]\nname = \"a\"\nname = \"b\"\n", BH_EPARSE, 3,
                "repeated");
    expect_fail(f, bh_pkgdb_cargo, "[[package]]\nname = 5\n", BH_EPARSE, 2, "strings");
    expect_fail(f, bh_pkgdb_cargo, "[[package]\n", BH_EPARSE, 1, "header");
    expect_fail(f, bh_pkgdb_cargo, "x = {a = 1}\n", BH_EPARSE, 1, "inline tables");
    expect_fail(f, bh_pkgdb_cargo, "x = \"\"\"\nlong\n\"\"\"\n", BH_EPARSE, 1, "multi-line");
    expect_fail(f, bh_pkgdb_cargo, "x = \"\\u00e9\"\n", BH_EPARSE, 1, "escape");
    expect_fail(f, bh_pkgdb_cargo, "x = [\"a\",\n\"b\"\n", BH_EPARSE, 3, "array");
    expect_fail(f, bh_pkgdb_cargo, "just some words\n", BH_EPARSE, 1, "'='");
    expect_fail(f, bh_pkgdb_cargo, "a = 1 b = 2\n", BH_EPARSE, 1, "after a value");
    /* a good package before the error is not kept */
    expect_fail(f, bh_pkgdb_cargo,
                "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"r\"\n\n= 1\n", BH_EPARSE, 6,
                NULL);
}

/* ---- RubyGems ------------------------------------------------------------------------------ */

static void gemspec_generated(void **state)
{
    struct fix *f = *state;
    const struct bh_package *p;
    static const char rake[] =
        "# -*- encoding: utf-8 -*-\n# stub: rake 13.0.6 ruby lib\n\n"
        "Gem::Specification.new do |s|\n"
        "  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n\n"
        "  s.required_rubygems_version = Gem::Requirement.new(\">= 1.3.2\".freeze) if "
        "s.respond_to? :required_rubygems_version=\n"
        "  s.metadata = { \"bug_tracker_uri\" => \"https://github.com/ruby/rake/issues\" } if "
        "s.respond_to? :metadata=\n"
        "  s.require_paths = [\"lib\".freeze]\n"
        "  s.authors = [\"Hiroshi SHIBATA\".freeze, \"Eric Hodel\".freeze]\n"
        "  s.date = \"2021-07-09\"\n"
        "  s.licenses = [\"MIT\".freeze]\n"
        "  s.rubygems_version = \"3.4.10\".freeze\n"
        "  s.summary = \"Rake is a Make-like program implemented in Ruby\".freeze\n\n"
        "  s.installed_by_version = \"3.4.10\" if s.respond_to? :installed_by_version\n"
        "end\n";
    static const char old[] = "Gem::Specification.new do |spec|\n"
                              "  spec.name = %q{json}\n  spec.version = '2.6.3'\n"
                              "  spec.licenses = [\"Ruby\".freeze, \"BSD-2-Clause\".freeze]\n"
                              "end\n";

    assert_int_equal(
        run(f, bh_pkgdb_gemspec, "usr/local/bundle/specifications/rake-13.0.6.gemspec", rake), 0);
    assert_int_equal(run(f, bh_pkgdb_gemspec, "specifications/default/json-2.6.3.gemspec", old), 0);
    assert_int_equal(f->ps.n, 2);
    p = find(f, "rake", "13.0.6");
    assert_string_equal(p->purl, "pkg:gem/rake@13.0.6");
    assert_string_equal(p->license, "MIT");
    assert_int_equal(p->kind, BH_PKG_GEM);
    assert_int_equal(p->layer, 3);
    p = find(f, "json", "2.6.3");
    assert_string_equal(p->license, "Ruby OR BSD-2-Clause");
    assert_string_equal(p->path, "specifications/default/json-2.6.3.gemspec");
}

static void gemspec_malformed(void **state)
{
    struct fix *f = *state;

    expect_fail(f, bh_pkgdb_gemspec, "puts 'hello'\n", BH_EPARSE, 1, "no Gem::Specification");
    expect_fail(f, bh_pkgdb_gemspec,
                "Gem::Specification.new do |s|\n  s.name = \"a\"\n  s.version = VERSION\nend\n",
                BH_EPARSE, 3, "not a plain string");
    expect_fail(f, bh_pkgdb_gemspec,
                "Gem::Specification.new do |s|\n  s.name = \"a#{x}\"\n  s.version = \"1\"\nend\n",
                BH_EPARSE, 2, "not a plain string");
    expect_fail(f, bh_pkgdb_gemspec,
                "Gem::Specification.new do |s|\n  s.name = \"a\" + b\n  s.version = \"1\"\n",
                BH_EPARSE, 2, "not a plain string");
    expect_fail(f, bh_pkgdb_gemspec, "Gem::Specification.new do |s|\n  s.version = \"1\"\nend\n",
                BH_EPARSE, 1, "no name");
    expect_fail(f, bh_pkgdb_gemspec,
                "Gem::Specification.new do |s|\n  s.name = \"a\"\n  s.name = \"b\"\n", BH_EPARSE, 3,
                "twice");
    expect_fail(f, bh_pkgdb_gemspec,
                "Gem::Specification.new do |s|\n  s.name = \"a\"\n  s.version = \"\"\n", BH_EPARSE,
                3, "no version");
    expect_fail(f, bh_pkgdb_gemspec, "Gem::Specification.new do ||\n", BH_EPARSE, 1, "variable");
    /* an expression as license only loses the license */
    assert_int_equal(run(f, bh_pkgdb_gemspec, "x",
                         "Gem::Specification.new do |s|\n s.name = \"a\"\n s.version = \"1\"\n"
                         " s.license = LICENSE\n s.name == \"x\"\nend\n"),
                     0);
    assert_null(f->ps.v[f->ps.n - 1].license);
}

/* ---- limits and dispatch ------------------------------------------------------------------ */

static void limits_and_nomem(void **state)
{
    struct fix *f = *state;
    struct bh_arena tiny;
    static const char meta[] = "Name: a\nVersion: 1\n";
    int rc;

    assert_int_equal(
        bh_pkgdb_python(&f->a, "f", meta, (size_t)BH_MAX_LANGPKG_BYTES + 1, 0, &f->ps, &f->err),
        BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_LANGPKG_BYTES"));
    bh_arena_init(&tiny, 16);
    rc = bh_pkgdb_cargo(&tiny, "f", "[[package]]\nname=\"a\"\nversion=\"1\"\nsource=\"r\"\n", 45, 0,
                        &f->ps, &f->err);
    assert_int_equal(rc, BH_ENOMEM);
    bh_arena_release(&tiny);
}

static void dispatch(void **state)
{
    static const struct {
        const char *path;
        int kind; /* -1: not wanted */
    } cases[] = {
        {"app/node_modules/lodash/package.json", BH_PKG_NPM},
        {"/app/node_modules/@babel/core/package.json", BH_PKG_NPM},
        {"node_modules/a/node_modules/b/package.json", BH_PKG_NPM},
        {"./node_modules/.pnpm/x@1/node_modules/x/package.json", BH_PKG_NPM},
        {"app/package.json", -1},
        {"node_modules/lodash/fp/package.json", -1},
        {"node_modules/@babel/package.json", -1},
        {"node_modules/.bin/package.json", -1},
        {"app/package-lock.json", BH_PKG_NPM},
        {"npm-shrinkwrap.json", BH_PKG_NPM},
        {"app/node_modules/x/package-lock.json", -1},
        {"app/node_modules/.package-lock.json", -1},
        {"usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA", BH_PKG_PYPI},
        {"usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", BH_PKG_PYPI},
        {"usr/lib/python3/dist-packages/crit-3.17.1-py3.11.egg-info", BH_PKG_PYPI},
        {"x.dist-info/RECORD", -1},
        {".dist-info/METADATA", -1},
        {"METADATA", -1},
        {"var/www/vendor/composer/installed.json", BH_PKG_COMPOSER},
        {"vendor/composer/installed.php", -1},
        {"composer/installed.json", -1},
        {"usr/local/bundle/specifications/rake-13.0.6.gemspec", BH_PKG_GEM},
        {"usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec", BH_PKG_GEM},
        {"src/rake.gemspec", -1},
        {"specifications/.gemspec", -1},
        {"srv/Cargo.lock", BH_PKG_CARGO},
        {"Cargo.lock", BH_PKG_CARGO},
        {"srv/Cargo.toml", -1},
        {"", -1},
        {"/", -1},
    };
    enum bh_pkg_kind k;
    struct bh_err err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        k = (enum bh_pkg_kind)99;
        if (bh_pkgdb_lang_wants(cases[i].path, &k) != (cases[i].kind >= 0))
            fail_msg("wants(%s) is wrong", cases[i].path);
        if (cases[i].kind >= 0)
            assert_int_equal(k, cases[i].kind);
        else
            assert_int_equal(k, 99);
    }
    assert_false(bh_pkgdb_lang_wants(NULL, NULL));
    assert_true(bh_pkgdb_lang_wants("Cargo.lock", NULL));
    bh_err_init(&err);
    assert_int_equal(bh_pkgdb_lang_read(NULL, "etc/passwd", "", 0, 0, NULL, &err), BH_EUNSUPPORTED);
}

static void dispatch_reads(void **state)
{
    static const char comp[] = "[{\"name\":\"a/b\",\"version\":\"1\"}]";
    static const char gem[] = "Gem::Specification.new do |s|\ns.name=\"x\"\ns.version=\"1\"\n";
    struct fix *f = *state;

    bh_err_init(&f->err);
    assert_int_equal(bh_pkgdb_lang_read(&f->a, "vendor/composer/installed.json", comp, strlen(comp),
                                        1, &f->ps, &f->err),
                     0);
    assert_int_equal(bh_pkgdb_lang_read(&f->a, "specifications/x-1.gemspec", gem, strlen(gem), 1,
                                        &f->ps, &f->err),
                     0);
    assert_int_equal(f->ps.n, 2);
    assert_int_equal(f->ps.v[0].kind, BH_PKG_COMPOSER);
    assert_int_equal(f->ps.v[1].kind, BH_PKG_GEM);
    assert_int_equal(f->ps.v[1].layer, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(npm_package_json, setup, teardown),
        cmocka_unit_test_setup_teardown(npm_lock_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(npm_lock_v2_v3, setup, teardown),
        cmocka_unit_test_setup_teardown(npm_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(npm_real_node_modules, setup, teardown),
        cmocka_unit_test_setup_teardown(python_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(python_name_normalisation, setup, teardown),
        cmocka_unit_test_setup_teardown(python_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(python_real_site_packages, setup, teardown),
        cmocka_unit_test_setup_teardown(composer_v1_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(composer_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(cargo_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(cargo_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(gemspec_generated, setup, teardown),
        cmocka_unit_test_setup_teardown(gemspec_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(limits_and_nomem, setup, teardown),
        cmocka_unit_test(dispatch),
        cmocka_unit_test_setup_teardown(dispatch_reads, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
