/*
 * test_imageref.c - the N1 image-reference normaliser: Docker Hub defaults,
 * registries and ports, tags and digests, validation, canonical form and
 * allow-list matching on label and path boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/imageref.h"

#include <string.h>

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct bh_arena arena;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&arena, 16u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&arena);
    return 0;
}

static struct bh_imageref ok(const char *s)
{
    struct bh_imageref r;

    assert_int_equal(bh_imageref_parse(&arena, s, &r), 0);
    assert_string_equal(r.input, s);
    return r;
}

static void canon(const char *s, const char *want)
{
    struct bh_imageref r = ok(s);

    assert_string_equal(bh_imageref_canonical(&arena, &r), want);
}

static void hub_defaults(void **state)
{
    struct bh_imageref r;

    (void)state;
    r = ok("nginx");
    assert_string_equal(r.registry, "docker.io");
    assert_string_equal(r.repository, "library/nginx");
    assert_null(r.tag);
    assert_null(r.digest);
    assert_true(r.implicit_latest);
    assert_true(r.is_latest);
    assert_true(r.docker_hub);
    assert_true(r.official);
    assert_false(r.is_scratch);
    canon("nginx", "docker.io/library/nginx");

    r = ok("nginx:1.25");
    assert_string_equal(r.tag, "1.25");
    assert_false(r.implicit_latest);
    assert_false(r.is_latest);
    assert_true(r.official);
    canon("nginx:1.25", "docker.io/library/nginx:1.25");

    canon("library/nginx", "docker.io/library/nginx");
    canon("docker.io/nginx", "docker.io/library/nginx");
    canon("index.docker.io/library/nginx:latest", "docker.io/library/nginx:latest");
    canon("registry-1.docker.io/bitnami/redis", "docker.io/bitnami/redis");
    canon("Docker.IO/nginx", "docker.io/library/nginx");

    r = ok("index.docker.io/library/nginx:latest");
    assert_true(r.is_latest);
    assert_false(r.implicit_latest);
    assert_true(r.docker_hub);

    r = ok("bitnami/redis:7");
    assert_string_equal(r.registry, "docker.io");
    assert_string_equal(r.repository, "bitnami/redis");
    assert_string_equal(r.tag, "7");
    assert_true(r.docker_hub);
    assert_false(r.official);
    assert_false(r.is_latest);

    r = ok("library/a/b");
    assert_false(r.official);
}

static void registries_and_ports(void **state)
{
    struct bh_imageref r;

    (void)state;
    r = ok("localhost/app");
    assert_string_equal(r.registry, "localhost");
    assert_string_equal(r.repository, "app");
    assert_false(r.docker_hub);
    assert_false(r.official);
    assert_true(r.implicit_latest);

    r = ok("localhost:5000/a/b:c");
    assert_string_equal(r.registry, "localhost:5000");
    assert_string_equal(r.repository, "a/b");
    assert_string_equal(r.tag, "c");
    canon("localhost:5000/a/b:c", "localhost:5000/a/b:c");

    /* the port is not a tag */
    r = ok("registry:5000/app");
    assert_string_equal(r.registry, "registry:5000");
    assert_string_equal(r.repository, "app");
    assert_null(r.tag);
    assert_true(r.implicit_latest);
    assert_true(r.is_latest);

    /* a first component without . : or localhost is a Hub namespace */
    r = ok("registry/app");
    assert_string_equal(r.registry, "docker.io");
    assert_string_equal(r.repository, "registry/app");

    r = ok("Registry.Example.COM/team/app");
    assert_string_equal(r.registry, "registry.example.com");

    canon("[::1]:5000/x", "[::1]:5000/x");
    canon("10.0.0.1:5000/x:y", "10.0.0.1:5000/x:y");
    canon("a__b/c--d/e.f_g", "docker.io/a__b/c--d/e.f_g");
}

static void tags_and_digests(void **state)
{
    struct bh_imageref r;

    (void)state;
    r = ok("registry.example.com:443/x/y@sha256:" HEX64);
    assert_string_equal(r.registry, "registry.example.com:443");
    assert_string_equal(r.repository, "x/y");
    assert_null(r.tag);
    assert_string_equal(r.digest, "sha256:" HEX64);
    assert_false(r.implicit_latest);
    assert_false(r.is_latest);
    canon("registry.example.com:443/x/y@sha256:" HEX64,
          "registry.example.com:443/x/y@sha256:" HEX64);

    r = ok("ghcr.io/o/i:v1@sha256:" HEX64);
    assert_string_equal(r.registry, "ghcr.io");
    assert_string_equal(r.tag, "v1");
    assert_non_null(r.digest);
    canon("ghcr.io/o/i:v1@sha256:" HEX64, "ghcr.io/o/i:v1@sha256:" HEX64);

    /* tag + digest: the digest wins */
    r = ok("nginx:latest@sha256:" HEX64);
    assert_string_equal(r.tag, "latest");
    assert_false(r.is_latest);
    assert_false(r.implicit_latest);

    /* tags are case-sensitive */
    r = ok("nginx:LATEST");
    assert_string_equal(r.tag, "LATEST");
    assert_false(r.is_latest);

    r = ok("nginx:latest");
    assert_true(r.is_latest);
    assert_false(r.implicit_latest);

    r = ok("scratch");
    assert_true(r.is_scratch);
    assert_false(r.is_latest);
    assert_false(r.implicit_latest);
    assert_string_equal(bh_imageref_canonical(&arena, &r), "scratch");

    ok("a:_x.y-Z9");
    ok("a@sha512:" HEX64 HEX64);
    ok("a@blake3:" HEX64);
}

static void invalid(void **state)
{
    static const char *const bad[] = {
        "Nginx",
        "a:b:c",
        "x@sha256:abc",
        "",
        ":tag",
        "$BASE",
        "${REGISTRY}/app:1",
        "nginx:",
        "nginx@",
        "-nginx",
        "nginx/",
        "a//b",
        "/nginx",
        "nginx:bad tag",
        "nginx:-x",
        "nginx:.x",
        "a___b",
        "a..b",
        "a-",
        "x@sha256:" HEX64 "0",
        "x@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "x@:" HEX64,
        "x@sha256" HEX64,
        "http://x/y",
        "reg.io:/x",
        "reg.io:99999999/x",
        "-reg.io/x",
        "reg..io/x",
        "[::1/x",
        "nginx latest",
        "nginx:1\n",
    };
    struct bh_imageref r;
    char big[400];
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        r.input = "sentinel";
        assert_int_equal(bh_imageref_parse(&arena, bad[k], &r), BH_EPARSE);
        assert_null(r.input);
        assert_null(r.repository);
    }
    assert_int_equal(bh_imageref_parse(&arena, NULL, &r), BH_EPARSE);

    /* a tag of 128 is fine, 129 is not */
    memset(big, 0, sizeof(big));
    memcpy(big, "a:", 2);
    memset(big + 2, 't', 128);
    ok(big);
    big[2 + 128] = 't';
    assert_int_equal(bh_imageref_parse(&arena, big, &r), BH_EPARSE);

    /* the normalised name (docker.io/library/ + 237) may have 255 bytes, not 256 */
    memset(big, 0, sizeof(big));
    memset(big, 'a', 237);
    ok(big);
    big[237] = 'a';
    assert_int_equal(bh_imageref_parse(&arena, big, &r), BH_EPARSE);
    memset(big, 0, sizeof(big));
    memcpy(big, "r.io/", 5);
    memset(big + 5, 'b', 250);
    ok(big);
    big[255] = 'b';
    assert_int_equal(bh_imageref_parse(&arena, big, &r), BH_EPARSE);
}

static bool m(const char *ref, const char *pattern)
{
    struct bh_imageref r = ok(ref);

    return bh_imageref_match(&r, pattern);
}

static void matching(void **state)
{
    (void)state;
    assert_true(m("nginx", "docker.io"));
    assert_true(m("nginx", "index.docker.io"));
    assert_true(m("index.docker.io/library/nginx", "docker.io"));
    assert_true(m("registry-1.docker.io/a/b", "DOCKER.IO"));
    assert_false(m("nginx", "gcr.io"));
    assert_false(m("docker.io.evil.com/x", "docker.io"));
    assert_true(m("gcr.io/p/i", "gcr.io"));
    assert_true(m("GCR.io/p/i", "gcr.IO"));

    assert_true(m("a.example.com/x", "*.example.com"));
    assert_true(m("a.b.example.com/x", "*.example.com"));
    assert_false(m("example.com/x", "*.example.com"));
    assert_false(m("evilexample.com/x", "*.example.com"));
    assert_false(m("a.example.com.evil.io/x", "*.example.com"));
    assert_true(m("x.azurecr.io/x", "*.AzureCR.io"));
    assert_false(m("evilazurecr.io/x", "*.azurecr.io"));

    assert_true(m("localhost:5000/a", "localhost:5000"));
    assert_false(m("localhost:5000/a", "localhost"));
    assert_false(m("localhost/a", "localhost:5000"));
    assert_true(m("localhost/a", "localhost"));

    assert_true(m("ghcr.io/myorg/app", "ghcr.io/myorg"));
    assert_true(m("ghcr.io/myorg/app", "ghcr.io/myorg/"));
    assert_true(m("ghcr.io/myorg/team/app:1", "ghcr.io/myorg"));
    assert_true(m("ghcr.io/myorg", "ghcr.io/myorg"));
    assert_false(m("ghcr.io/myorgx/app", "ghcr.io/myorg"));
    assert_false(m("ghcr.io/my/org", "ghcr.io/myorg"));
    assert_false(m("gcr.io/myorg/app", "ghcr.io/myorg"));
    assert_true(m("ghcr.io/myorg/app", "GHCR.IO/MyOrg"));
    assert_true(m("nginx", "docker.io/library"));
    assert_false(m("bitnami/redis", "docker.io/library"));
    assert_true(m("bitnami/redis", "index.docker.io/bitnami/"));
    assert_true(m("a.example.com/team/x", "*.example.com/team"));
    assert_false(m("a.example.com/other/x", "*.example.com/team"));

    assert_false(m("nginx", ""));
    assert_false(m("nginx", "/library"));
    assert_false(m("scratch", "docker.io"));
    assert_false(m("nginx", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hub_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(registries_and_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(tags_and_digests, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(matching, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
