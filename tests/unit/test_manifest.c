/*
 * test_manifest.c - the manifest readers on real documents (docker save manifest.json and
 * repositories read out of the shared archives, OCI index.json and blobs of other projects'
 * layouts: nested indexes, unknown media types, a two-platform index, broken layouts) and on
 * hand-written edge cases: digests, sizes, media types, platforms, member names, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "shared_images.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/imgsrc.h"
#include "input/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRIVY "trivy-fanal-testdata/"
#define GCR_LAYOUT "go-containerregistry/pkg-v1-layout-testdata/"
#define GCR_TARBALL "go-containerregistry/pkg-v1-tarball-testdata/"
#define STEREO_MULTI "stereoscope/pkg-image-oci-testdata/multiplatform_oci_dir"

#define H64(c)                                                                                    \
    c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
        c c c c c c c c c c c c c c c c c
#define D1 "sha256:" H64("1")
#define D2 "sha256:" H64("2")

struct fx {
    struct bh_arena a;
    struct bh_err err;
    struct bh_imgsrc *s;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 256u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    bh_imgsrc_close(f->s);
    bh_arena_release(&f->a);
    free(f);
    return 0;
}

/* Open a source (closing the previous one) and read one member whole. */
static char *member(struct fx *f, const char *src, const char *name, size_t *len)
{
    char *d = NULL;
    int rc;

    bh_imgsrc_close(f->s);
    f->s = NULL;
    rc = bh_imgsrc_open(&f->a, data(src), &f->s, &f->err);
    if (rc)
        fail_msg("open '%s': %s", src, f->err.msg);
    rc = bh_imgsrc_read(f->s, &f->a, name, BH_MAX_IMAGE_METADATA, &d, len, &f->err);
    if (rc)
        fail_msg("read '%s' of '%s': %s", name, src, f->err.msg);
    return d;
}

static char *blob(struct fx *f, const char *src, const char *digest, size_t *len)
{
    char name[128];

    assert_true(strncmp(digest, "sha256:", 7) == 0);
    snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
    return member(f, src, name, len);
}

static void want_err(struct fx *f, int rc, int code, const char *needle)
{
    if (rc != code || !strstr(f->err.msg, needle))
        fail_msg("want %d containing '%s', got %d '%s'", code, needle, rc, f->err.msg);
}

/* ---- docker save ------------------------------------------------------------------- */

static void save_alpine(void **state)
{
    struct fx *f = *state;
    struct bh_saveentry *e;
    struct bh_repotag *rt;
    size_t len, n;
    char *j = member(f, TRIVY "alpine-310.tar.gz", "manifest.json", &len);

    assert_int_equal(bh_manifest_parse_save(&f->a, "manifest.json", j, len, &e, &n, &f->err), 0);
    assert_int_equal(n, 1);
    /* EXPECTED.json: image id (config digest) af341ccd..., tag alpine:3.10, one layer */
    assert_string_equal(e[0].config,
                        "af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e.json");
    assert_int_equal(e[0].nrepo_tags, 1);
    assert_string_equal(e[0].repo_tags[0], "alpine:3.10");
    assert_int_equal(e[0].nlayers, 1);
    assert_string_equal(
        e[0].layers[0],
        "71dba1fabbde4baabcdebcde4895d3f3887e388b09cef162f8159cf7daffa1b8/layer.tar");

    j = member(f, TRIVY "alpine-311.tar.gz", "repositories", &len);
    assert_int_equal(
        bh_manifest_parse_repositories(&f->a, "repositories", j, len, &rt, &n, &f->err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rt[0].repo, "alpine");
    assert_string_equal(rt[0].tag, "3.11");
    assert_string_equal(rt[0].id,
                        "485d7306187faf0cc9b77fc210e8def9d67b1953f0669e675877e90e6542cb6d");
}

static void save_many_layers_and_images(void **state)
{
    struct fx *f = *state;
    struct bh_saveentry *e;
    struct bh_repotag *rt;
    size_t len, n, i;
    char *j = member(f, "dockle-testdata/symbolic.tar", "manifest.json", &len);

    assert_int_equal(bh_manifest_parse_save(&f->a, "m", j, len, &e, &n, &f->err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].nlayers, 9);
    assert_string_equal(e[0].repo_tags[0], "goodwithtech/dockle-test:v3");
    assert_string_equal(
        e[0].layers[0],
        "cade0ab73f0397f3c5a9a1ffa76e0f02d2296cd84d90174c53fd4f85c3cf8c12/layer.tar");
    assert_string_equal(
        e[0].layers[8],
        "5e095c7592216925d14979c92b3672abbb9b39c0d8675571a8e0990a19e749d8/layer.tar");
    /* every member the manifest names is in the archive */
    for (i = 0; i < e[0].nlayers; i++) {
        bool found = false;

        assert_int_equal(bh_imgsrc_stat(f->s, e[0].layers[i], &found, NULL, &f->err), 0);
        assert_true(found);
    }

    /* two images; LayerSources (foreign layers) is an extra key we leave alone */
    j = member(f, GCR_TARBALL "test_bundle.tar", "manifest.json", &len);
    assert_int_equal(bh_manifest_parse_save(&f->a, "m", j, len, &e, &n, &f->err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].repo_tags[0], "test_image_2");
    assert_string_equal(e[1].repo_tags[0], "test_image_1");
    assert_string_equal(e[1].config,
                        "6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e.json");

    /* legacy repositories with two tags of one repository, in document order */
    j = member(f, GCR_TARBALL "test_link.tar", "repositories", &len);
    assert_int_equal(bh_manifest_parse_repositories(&f->a, "r", j, len, &rt, &n, &f->err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rt[0].repo, "bazel/v1/tarball");
    assert_string_equal(rt[0].tag, "test_image_1");
    assert_string_equal(rt[1].tag, "test_image_3");
    assert_string_equal(rt[1].id,
                        "3fe17a762ab6ad87de78c88326e1667b3e6a8924a0eb92a34a2bfeb40f49824d");
}

static void save_docker25_and_odd(void **state)
{
    struct fx *f = *state;
    struct bh_saveentry *e;
    struct bh_index ix;
    size_t len, n;
    char *j = member(f, GCR_TARBALL "hello-world-v25.tar", "manifest.json", &len);

    /* Docker 25: RepoTags null, config and layers as blobs/sha256/<hex> */
    assert_int_equal(bh_manifest_parse_save(&f->a, "m", j, len, &e, &n, &f->err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].nrepo_tags, 0);
    assert_null(e[0].repo_tags);
    assert_string_equal(
        e[0].config,
        "blobs/sha256/ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44");
    assert_int_equal(e[0].nlayers, 1);
    /* its index.json has "manifests": null: not an index we can use */
    j = member(f, GCR_TARBALL "hello-world-v25.tar", "index.json", &len);
    want_err(f, bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), BH_EPARSE,
             "manifests");

    /* a config member named like a digest ("sha256:<hex>") is a fine member name */
    j = member(f, "go-containerregistry/pkg-v1-mutate-testdata/whiteout_dir.tar", "manifest.json",
               &len);
    assert_int_equal(bh_manifest_parse_save(&f->a, "m", j, len, &e, &n, &f->err), 0);
    assert_string_equal(e[0].config,
                        "sha256:92f1e3d53acdc7e137e73869abc4e87aba6614440a31723423790ca0d5db9111");
    assert_int_equal(e[0].nlayers, 4);

    /* manifest.json holding `null` */
    j = member(f, GCR_TARBALL "null_manifest.tar", "manifest.json", &len);
    want_err(f, bh_manifest_parse_save(&f->a, "m", j, len, &e, &n, &f->err), BH_EPARSE,
             "expected an array");
    assert_int_equal(n, 0);
}

/* ---- OCI layouts ------------------------------------------------------------------- */

static void oci_trivy(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;
    struct bh_imgmanifest m;
    size_t len;
    char *j = member(f, TRIVY "test.oci", "index.json", &len);

    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), 0);
    assert_int_equal(ix.schema_version, 2);
    assert_null(ix.media_type);
    assert_int_equal(ix.nmanifests, 1);
    assert_int_equal(ix.manifests[0].kind, BH_MEDIA_OCI_MANIFEST);
    assert_int_equal(ix.manifests[0].size, 345);
    assert_false(ix.manifests[0].has_platform);
    assert_null(ix.manifests[0].ref_name);
    assert_string_equal(ix.manifests[0].path, "manifests[0]");
    /* no entry carries a platform: nothing to pick by platform */
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64"));

    j = blob(f, TRIVY "test.oci", ix.manifests[0].digest, &len);
    assert_int_equal(len, 345);
    assert_int_equal(bh_manifest_parse_image(&f->a, "m", j, len, &m, &f->err), 0);
    assert_null(m.media_type); /* this manifest leaves it out */
    assert_int_equal(m.config.kind, BH_MEDIA_OCI_CONFIG);
    assert_string_equal(m.config.digest,
                        "sha256:b23a8f6569ae9ae331226205fa72f480ce5310707d0bc97e611f83fbbbde4604");
    assert_int_equal(m.config.size, 584);
    assert_int_equal(m.nlayers, 1);
    assert_int_equal(m.layers[0].kind, BH_MEDIA_OCI_LAYER);
    assert_int_equal(m.layers[0].size, 2610);
    assert_string_equal(m.layers[0].path, "layers[0]");
    /* the declared size is the blob's */
    blob(f, TRIVY "test.oci", m.config.digest, &len);
    assert_int_equal(len, 584);

    j = member(f, TRIVY "test_image_tag.oci", "index.json", &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), 0);
    assert_string_equal(ix.manifests[0].ref_name, "0.0.1");
    assert_int_equal(ix.manifests[0].nannotations, 1);
}

/* The broken layouts of trivy's tests: each must fail somewhere on the way to an image. */
static void oci_trivy_bad(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;
    char *d = NULL;
    size_t len = 0, i;
    int rc;

    /* "invalid index.json": the file says `foobar` */
    char *j = member(f, TRIVY "test_bad_index_json.oci", "index.json", &len);

    rc = bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err);
    want_err(f, rc, BH_EPARSE, "invalid json");
    assert_int_equal(f->err.line, 1);

    /* "no valid manifest": `{}` */
    j = member(f, TRIVY "test_no_valid_manifests.oci", "index.json", &len);
    want_err(f, bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), BH_EPARSE,
             "manifests: required field is missing");

    /* "invalid OCI image": the only entry is of a media type that is no image */
    j = member(f, TRIVY "test_invalid_oci_image.oci", "index.json", &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), 0);
    assert_int_equal(ix.nmanifests, 1);
    assert_int_equal(ix.manifests[0].kind, BH_MEDIA_OTHER);
    for (i = 0; i < ix.nmanifests; i++) {
        assert_false(bh_manifest_kind_is_manifest(ix.manifests[i].kind));
        assert_false(bh_manifest_kind_is_index(ix.manifests[i].kind));
    }

    /* "unable to retrieve index.json": it is a directory */
    bh_imgsrc_close(f->s);
    f->s = NULL;
    rc = bh_imgsrc_open(&f->a, data(TRIVY "test_index_json_dir.oci"), &f->s, &f->err);
    if (rc == 0)
        rc = bh_imgsrc_read(f->s, &f->a, "index.json", BH_MAX_IMAGE_METADATA, &d, &len, &f->err);
    assert_int_not_equal(rc, 0);
    assert_null(d);
}

static void oci_nested_and_unknown(void **state)
{
    struct fx *f = *state;
    struct bh_index ix, sub;
    struct bh_imgmanifest m;
    size_t len;
    char *j = member(f, GCR_LAYOUT "test_index", "index.json", &len);

    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), 0);
    assert_int_equal(ix.nmanifests, 4);
    assert_int_equal(ix.manifests[0].kind, BH_MEDIA_OCI_MANIFEST);
    assert_int_equal(ix.manifests[1].kind, BH_MEDIA_OTHER); /* vnd.oci.descriptor.v1+json */
    assert_int_equal(ix.manifests[2].kind, BH_MEDIA_OCI_INDEX);
    assert_int_equal(ix.manifests[3].kind, BH_MEDIA_DOCKER_LIST);
    assert_string_equal(ix.manifests[1].ref_name, "2");
    assert_string_equal(ix.manifests[3].ref_name, "4");
    assert_string_equal(ix.manifests[3].path, "manifests[3]");

    /* the nested OCI index and the nested Docker list both lead to one Docker manifest */
    j = blob(f, GCR_LAYOUT "test_index", ix.manifests[2].digest, &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "sub", j, len, &sub, &f->err), 0);
    assert_int_equal(sub.nmanifests, 1);
    assert_string_equal(sub.manifests[0].digest, ix.manifests[0].digest);
    j = blob(f, GCR_LAYOUT "test_index", ix.manifests[3].digest, &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "sub", j, len, &sub, &f->err), 0);
    assert_string_equal(sub.manifests[0].ref_name, "4");

    j = blob(f, GCR_LAYOUT "test_index", ix.manifests[0].digest, &len);
    assert_int_equal(bh_manifest_parse_image(&f->a, "m", j, len, &m, &f->err), 0);
    assert_int_equal(m.kind, BH_MEDIA_DOCKER_MANIFEST);
    assert_int_equal(m.config.kind, BH_MEDIA_DOCKER_CONFIG);
    assert_int_equal(m.layers[0].kind, BH_MEDIA_DOCKER_LAYER);
    assert_int_equal(m.layers[0].size, 167);
    /* the same bytes are not an index, and an index is not a manifest */
    want_err(f, bh_manifest_parse_index(&f->a, "m", j, len, &sub, &f->err), BH_EPARSE,
             "not an image index");
    j = blob(f, GCR_LAYOUT "test_index", ix.manifests[2].digest, &len);
    want_err(f, bh_manifest_parse_image(&f->a, "m", j, len, &m, &f->err), BH_EPARSE,
             "it has manifests");

    /* the unknown media type (a descriptor blob) parses as an entry but is no image */
    j = member(f, GCR_LAYOUT "test_gc_image_unknown_mediatype", "index.json", &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &ix, &f->err), 0);
    assert_int_equal(ix.manifests[0].kind, BH_MEDIA_OTHER);
    assert_string_equal(ix.manifests[0].media_type, "application/vnd.oci.descriptor.v1+json");
}

static void oci_platform_pick(void **state)
{
    struct fx *f = *state;
    struct bh_index top, ix;
    struct bh_imgmanifest m;
    const struct bh_descriptor *d;
    size_t len;
    char *j = member(f, STEREO_MULTI, "index.json", &len);

    assert_int_equal(bh_manifest_parse_index(&f->a, "index.json", j, len, &top, &f->err), 0);
    assert_int_equal(top.kind, BH_MEDIA_OCI_INDEX);
    assert_int_equal(top.nmanifests, 1);
    assert_int_equal(top.manifests[0].kind, BH_MEDIA_OCI_INDEX);
    assert_string_equal(top.manifests[0].ref_name, "latest");
    assert_int_equal(top.manifests[0].nannotations, 3);
    /* an index entry is never picked as an image */
    assert_null(bh_manifest_pick_platform(&top, "linux/amd64"));

    j = blob(f, STEREO_MULTI, top.manifests[0].digest, &len);
    assert_int_equal(bh_manifest_parse_index(&f->a, "sub", j, len, &ix, &f->err), 0);
    assert_int_equal(ix.nmanifests, 2);
    assert_true(ix.manifests[1].has_platform);
    assert_string_equal(ix.manifests[1].platform.architecture, "arm64");
    assert_null(ix.manifests[1].platform.variant);

    d = bh_manifest_pick_platform(&ix, "linux/amd64");
    assert_ptr_equal(d, &ix.manifests[0]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/x86_64"), &ix.manifests[0]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64"), &ix.manifests[1]);
    /* arm64 without a variant is v8 */
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64/v8"), &ix.manifests[1]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/aarch64"), &ix.manifests[1]);
    assert_null(bh_manifest_pick_platform(&ix, "linux/arm64/v9"));
    assert_null(bh_manifest_pick_platform(&ix, "linux/arm/v7"));
    assert_null(bh_manifest_pick_platform(&ix, "windows/amd64"));
    assert_null(bh_manifest_pick_platform(&ix, "linux"));

    /* the picked manifest's config is the arm64 one */
    j = blob(f, STEREO_MULTI, bh_manifest_pick_platform(&ix, "linux/arm64")->digest, &len);
    assert_int_equal(bh_manifest_parse_image(&f->a, "m", j, len, &m, &f->err), 0);
    j = blob(f, STEREO_MULTI, m.config.digest, &len);
    assert_int_equal(len, m.config.size);
    assert_non_null(strstr(j, "\"architecture\":\"arm64\""));
}

/* ---- hand-written edge cases ------------------------------------------------------- */

static int idx(struct fx *f, const char *json, struct bh_index *ix)
{
    bh_err_init(&f->err);
    return bh_manifest_parse_index(&f->a, "ix.json", json, strlen(json), ix, &f->err);
}

static int img(struct fx *f, const char *json, struct bh_imgmanifest *m)
{
    bh_err_init(&f->err);
    return bh_manifest_parse_image(&f->a, "m.json", json, strlen(json), m, &f->err);
}

/* An index with one entry made of the given descriptor fields. */
static int one_entry(struct fx *f, const char *fields, struct bh_index *ix)
{
    char *j = malloc(strlen(fields) + 64);
    int rc;

    assert_non_null(j);
    snprintf(j, strlen(fields) + 64, "{\"schemaVersion\":2,\"manifests\":[{%s}]}", fields);
    rc = idx(f, j, ix);
    free(j);
    return rc;
}

static void edge_digests(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;

    assert_true(bh_manifest_digest_valid(D1));
    assert_true(bh_manifest_digest_valid("sha512:" H64("a") H64("b")));
    assert_false(bh_manifest_digest_valid("sha256:" H64("A")));     /* upper case */
    assert_false(bh_manifest_digest_valid("sha256:" H64("1") "1")); /* too long */
    assert_false(bh_manifest_digest_valid("sha256:123"));           /* too short */
    assert_false(bh_manifest_digest_valid("sha1:" H64("1")));       /* algorithm */
    assert_false(bh_manifest_digest_valid("sha512:" H64("a")));     /* 64 for 512 */
    assert_false(bh_manifest_digest_valid(H64("1")));               /* no algorithm */
    assert_false(bh_manifest_digest_valid("SHA256:" H64("1")));
    assert_false(bh_manifest_digest_valid(NULL));

    assert_int_equal(one_entry(f, "\"size\":1,\"digest\":\"" D1 "\"", &ix), 0);
    assert_null(ix.manifests[0].media_type); /* allowed in an index */
    assert_int_equal(ix.manifests[0].kind, BH_MEDIA_NONE);
    want_err(f, one_entry(f, "\"size\":1,\"digest\":\"sha256:" H64("G") "\"", &ix), BH_EPARSE,
             "manifests[0].digest: invalid digest");
    assert_string_equal(f->err.file, "ix.json");
    want_err(f, one_entry(f, "\"size\":1", &ix), BH_EPARSE,
             "manifests[0].digest: required field is missing");
    want_err(f, one_entry(f, "\"size\":1,\"digest\":7", &ix), BH_EPARSE,
             "manifests[0].digest: expected a string, found integer");
    want_err(f, one_entry(f, "\"size\":1,\"digest\":\"" D1 "\\u0000x\"", &ix), BH_EPARSE, "NUL");
    /* a hostile digest is quoted bounded and printable */
    want_err(f,
             one_entry(f,
                       "\"size\":1,\"digest\":\"\\u001b[31mxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
                       &ix),
             BH_EPARSE, "...'");
    assert_null(strchr(f->err.msg, '\x1b'));
}

static void edge_sizes(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;

    want_err(f, one_entry(f, "\"size\":-1,\"digest\":\"" D1 "\"", &ix), BH_EPARSE,
             "manifests[0].size: negative size -1");
    want_err(f, one_entry(f, "\"digest\":\"" D1 "\"", &ix), BH_EPARSE,
             "manifests[0].size: required field is missing");
    want_err(f, one_entry(f, "\"size\":\"12\",\"digest\":\"" D1 "\"", &ix), BH_EPARSE,
             "manifests[0].size: expected an integer, found string");
    want_err(f, one_entry(f, "\"size\":1.5,\"digest\":\"" D1 "\"", &ix), BH_EPARSE,
             "expected an integer, found number");
    assert_int_equal(one_entry(f, "\"size\":0,\"digest\":\"" D1 "\"", &ix), 0);
    assert_int_equal(one_entry(f, "\"size\":9223372036854775807,\"digest\":\"" D1 "\"", &ix), 0);
    assert_true(ix.manifests[0].size == 9223372036854775807LL);
}

static void edge_media_types(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;
    struct bh_imgmanifest m;

    assert_int_equal(bh_manifest_media_kind("application/vnd.oci.image.manifest.v1+json"),
                     BH_MEDIA_OCI_MANIFEST);
    assert_int_equal(bh_manifest_media_kind("application/vnd.oci.image.layer.v1.tar+zstd"),
                     BH_MEDIA_OCI_LAYER);
    assert_int_equal(
        bh_manifest_media_kind("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"),
        BH_MEDIA_DOCKER_LAYER);
    assert_int_equal(
        bh_manifest_media_kind("application/vnd.docker.distribution.manifest.v2+json; charset=x"),
        BH_MEDIA_DOCKER_MANIFEST);
    assert_int_equal(bh_manifest_media_kind("application/vnd.oci.image.manifest.v1+jsonx"),
                     BH_MEDIA_OTHER);
    assert_int_equal(bh_manifest_media_kind(NULL), BH_MEDIA_NONE);
    assert_true(bh_manifest_media_type_valid("application/x+json; a=b"));
    assert_false(bh_manifest_media_type_valid("application"));
    assert_false(bh_manifest_media_type_valid("/json"));
    assert_false(bh_manifest_media_type_valid("application/"));
    assert_false(bh_manifest_media_type_valid("a/b/c"));
    assert_false(bh_manifest_media_type_valid("a b/c"));

    want_err(f, one_entry(f, "\"mediaType\":\"not a type\",\"size\":1,\"digest\":\"" D1 "\"", &ix),
             BH_EPARSE, "manifests[0].mediaType: invalid media type");
    /* a top-level media type must say what the document is */
    want_err(
        f,
        idx(f,
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            "\"manifests\":[]}",
            &ix),
        BH_EPARSE, "is not an image index");
    assert_int_equal(
        idx(f,
            "{\"schemaVersion\":2,\"mediaType\":"
            "\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":[]}",
            &ix),
        0);
    assert_int_equal(ix.kind, BH_MEDIA_DOCKER_LIST);
    assert_int_equal(ix.nmanifests, 0);
    want_err(f,
             img(f,
                 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                 "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                 "\"size\":1,\"digest\":\"" D1 "\"},\"layers\":[]}",
                 &m),
             BH_EPARSE, "is not an image manifest");
    /* in a manifest the config and the layers must name their media type */
    want_err(
        f,
        img(f, "{\"schemaVersion\":2,\"config\":{\"size\":1,\"digest\":\"" D1 "\"},\"layers\":[]}",
            &m),
        BH_EPARSE, "config.mediaType: required field is missing");
    want_err(
        f,
        img(f,
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" D1
            "\"},\"layers\":[{\"size\":1,\"digest\":\"" D2 "\"}]}",
            &m),
        BH_EPARSE, "layers[0].mediaType: required field is missing");
    /* a config that is a layer, a layer that is a manifest: wrong kinds */
    want_err(f,
             img(f,
                 "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
                 "\"application/vnd.oci.image.layer.v1.tar\",\"size\":1,\"digest\":\"" D1
                 "\"},\"layers\":[]}",
                 &m),
             BH_EPARSE, "config.mediaType");
    want_err(f,
             img(f,
                 "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
                 "\"application/vnd.oci.image.config.v1+json\",\"size\":1,\"digest\":\"" D1
                 "\"},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                 "\"size\":1,\"digest\":\"" D2 "\"}]}",
                 &m),
             BH_EPARSE, "layers[0].mediaType");
    /* an artifact's config type is well-formed: the parser keeps it, callers decide */
    assert_int_equal(img(f,
                         "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
                         "\"application/vnd.cncf.helm.config.v1+json\",\"size\":1,\"digest\":\"" D1
                         "\"},\"layers\":[]}",
                         &m),
                     0);
    assert_int_equal(m.config.kind, BH_MEDIA_OTHER);
}

static void edge_manifest_shape(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;
    struct bh_imgmanifest m;

    want_err(f, img(f, "{\"schemaVersion\":2,\"layers\":[]}", &m), BH_EPARSE,
             "config: required field is missing");
    want_err(f, img(f, "{\"schemaVersion\":2,\"config\":null,\"layers\":[]}", &m), BH_EPARSE,
             "config: required field is missing");
    want_err(f, img(f, "{\"schemaVersion\":2,\"config\":[],\"layers\":[]}", &m), BH_EPARSE,
             "config: expected an object, found array");
    want_err(
        f,
        img(f,
            "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" D1
            "\"}}",
            &m),
        BH_EPARSE, "layers: required field is missing");
    want_err(f, img(f, "{\"schemaVersion\":1,\"fsLayers\":[]}", &m), BH_EPARSE,
             "schemaVersion: unsupported value 1");
    want_err(f, img(f, "[]", &m), BH_EPARSE, "expected an object");
    want_err(f, img(f, "{\"schemaVersion\":\"2\"}", &m), BH_EPARSE,
             "schemaVersion: expected an integer");
    want_err(f, idx(f, "{\"manifests\":{}}", &ix), BH_EPARSE,
             "manifests: expected an array, found object");
    want_err(f, idx(f, "{\"manifests\":[1]}", &ix), BH_EPARSE,
             "manifests[0]: expected an object, found integer");
    want_err(f, idx(f, "{\"manifests\":[],\"layers\":[]}", &ix), BH_EPARSE, "not an index");
    /* the JSON path names the failing entry, not the first one */
    want_err(f,
             idx(f,
                 "{\"manifests\":[{\"size\":1,\"digest\":\"" D1 "\"},{\"size\":1,\"digest\":\"" D2
                 "\",\"platform\":{\"os\":\"linux\"}}]}",
                 &ix),
             BH_EPARSE, "manifests[1].platform.architecture: required field is missing");
    want_err(f,
             idx(f,
                 "{\"manifests\":[{\"size\":1,\"digest\":\"" D1 "\",\"annotations\":{\"k\":5}}]}",
                 &ix),
             BH_EPARSE, "manifests[0].annotations");
    /* a valid one with everything in it */
    assert_int_equal(
        idx(f,
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
            "\"application/vnd.oci.image.manifest.v1+json\",\"size\":7,\"digest\":\"" D1
            "\",\"platform\":{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":"
            "\"10.0.17763.1\"},\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\","
            "\"x\":\"y\"}}],\"annotations\":{\"a\":\"b\"}}",
            &ix),
        0);
    assert_string_equal(ix.manifests[0].platform.os_version, "10.0.17763.1");
    assert_string_equal(ix.manifests[0].ref_name, "v1");
    assert_int_equal(ix.manifests[0].nannotations, 2);
    assert_int_equal(ix.nannotations, 1);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "windows/amd64"), &ix.manifests[0]);
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64"));
}

/* An index of the given platform entries, as "arch[/variant]" words; digests 1, 2, 3... */
static void platforms(struct fx *f, struct bh_index *ix, const char *const *plats, size_t n,
                      const char *media)
{
    struct bh_buf b;
    size_t i;

    bh_buf_init(&b, 1u << 20);
    bh_buf_puts(&b, "{\"manifests\":[");
    for (i = 0; i < n; i++) {
        const char *sl = strchr(plats[i], '/');

        bh_buf_printf(&b,
                      "%s{%s\"size\":1,\"digest\":\"sha256:%064zx\",\"platform\":{\"os\":"
                      "\"linux\",\"architecture\":\"%.*s\"",
                      i ? "," : "", media, i + 1,
                      (int)(sl ? (size_t)(sl - plats[i]) : strlen(plats[i])), plats[i]);
        if (sl)
            bh_buf_printf(&b, ",\"variant\":\"%s\"", sl + 1);
        bh_buf_puts(&b, "}}");
    }
    bh_buf_puts(&b, "]}");
    assert_false(b.failed);
    assert_int_equal(idx(f, b.ptr, ix), 0);
    bh_buf_release(&b);
}

static void edge_platform_rules(void **state)
{
    struct fx *f = *state;
    struct bh_index ix;
    struct bh_platform p;
    static const char *const arm[] = {"arm/v6", "arm/v7", "arm64/v8", "arm64", "amd64/v3", "amd64"};
    static const char *const x86[] = {"x86_64", "aarch64/v8"};
    static const char *const v8only[] = {"arm64/v8"};
    static const char *const arms[] = {"arm/v7", "arm/v6"};

    platforms(f, &ix, arm, 6, "");
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm/v7"), &ix.manifests[1]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm/v6"), &ix.manifests[0]);
    assert_null(bh_manifest_pick_platform(&ix, "linux/arm/v5"));
    /* no variant asked: the entry without one wins, else the first */
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64"), &ix.manifests[3]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/amd64"), &ix.manifests[5]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm"), &ix.manifests[0]);
    /* v8 and none are one arm64; other arches keep their variants apart */
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64/v8"), &ix.manifests[2]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/amd64/v3"), &ix.manifests[4]);
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64/v2"));
    assert_null(bh_manifest_pick_platform(&ix, "linux/mips64"));

    platforms(f, &ix, v8only, 1, "");
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64"), &ix.manifests[0]);
    platforms(f, &ix, arms, 2, "");
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm"), &ix.manifests[0]);

    /* aliases on both sides */
    platforms(f, &ix, x86, 2, "");
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/amd64"), &ix.manifests[0]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/x86-64"), &ix.manifests[0]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64"), &ix.manifests[1]);
    assert_ptr_equal(bh_manifest_pick_platform(&ix, "linux/arm64/v8"), &ix.manifests[1]);

    /* entries that are indexes or artifacts are never picked */
    platforms(f, &ix, x86, 1, "\"mediaType\":\"application/vnd.oci.image.index.v1+json\",");
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64"));
    platforms(f, &ix, x86, 1, "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",");
    assert_non_null(bh_manifest_pick_platform(&ix, "linux/amd64"));

    /* malformed wants */
    assert_null(bh_manifest_pick_platform(&ix, "amd64"));
    assert_null(bh_manifest_pick_platform(&ix, "linux/"));
    assert_null(bh_manifest_pick_platform(&ix, "/amd64"));
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64/"));
    assert_null(bh_manifest_pick_platform(&ix, "linux/amd64/v1/x"));
    assert_null(bh_manifest_pick_platform(&ix, NULL));
    assert_null(bh_manifest_pick_platform(NULL, "linux/amd64"));

    assert_int_equal(bh_manifest_parse_platform(&f->a, "linux/x86_64", &p, &f->err), 0);
    assert_string_equal(p.os, "linux");
    assert_string_equal(p.architecture, "amd64");
    assert_null(p.variant);
    assert_int_equal(bh_manifest_parse_platform(&f->a, "linux/aarch64/v8", &p, &f->err), 0);
    assert_string_equal(p.architecture, "arm64");
    assert_string_equal(p.variant, "v8");
    want_err(f, bh_manifest_parse_platform(&f->a, "linux", &p, &f->err), BH_EUSAGE,
             "invalid platform");
    want_err(f, bh_manifest_parse_platform(&f->a, "linux//v7", &p, &f->err), BH_EUSAGE,
             "invalid platform");
    want_err(f, bh_manifest_parse_platform(&f->a, NULL, &p, &f->err), BH_EUSAGE, "platform");
}

static int save(struct fx *f, const char *json, struct bh_saveentry **e, size_t *n)
{
    bh_err_init(&f->err);
    return bh_manifest_parse_save(&f->a, "manifest.json", json, strlen(json), e, n, &f->err);
}

static void edge_save(void **state)
{
    struct fx *f = *state;
    struct bh_saveentry *e;
    size_t n;

    assert_int_equal(save(f, "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[]}]", &e, &n),
                     0);
    assert_int_equal(e[0].nrepo_tags, 0);
    assert_int_equal(e[0].nlayers, 0);
    assert_int_equal(save(f, "[]", &e, &n), 0);
    assert_int_equal(n, 0);
    want_err(f, save(f, "[{\"RepoTags\":[],\"Layers\":[]}]", &e, &n), BH_EPARSE,
             "[0].Config: required field is missing");
    want_err(f, save(f, "[{\"Config\":\"/etc/passwd\",\"Layers\":[]}]", &e, &n), BH_EPARSE,
             "[0].Config: member name '/etc/passwd'");
    want_err(f, save(f, "[{\"Config\":\"c\",\"Layers\":[\"a/layer.tar\",\"../../x\"]}]", &e, &n),
             BH_EPARSE, "[0].Layers[1]: member name '../../x'");
    want_err(f, save(f, "[{\"Config\":\"c\",\"Layers\":[\"a/../../x\"]}]", &e, &n), BH_EPARSE,
             "contains '..'");
    want_err(f, save(f, "[{\"Config\":\"c\",\"Layers\":[\"\"]}]", &e, &n), BH_EPARSE, "empty");
    want_err(f, save(f, "[{\"Config\":\"c\",\"Layers\":\"a/layer.tar\"}]", &e, &n), BH_EPARSE,
             "[0].Layers: expected an array, found string");
    want_err(f, save(f, "[{\"Config\":\"c\",\"RepoTags\":[\"a\",3]}]", &e, &n), BH_EPARSE,
             "[0].RepoTags[1]: expected a string, found integer");
    want_err(f, save(f, "[{\"Config\":\"c\"}, 5]", &e, &n), BH_EPARSE,
             "[1]: expected an object, found integer");
    want_err(f, save(f, "{\"Config\":\"c\"}", &e, &n), BH_EPARSE, "expected an array");
    want_err(f, save(f, "[{\"Config\":\"c\",\"Layers\":[\"a\\u0000b\"]}]", &e, &n), BH_EPARSE,
             "NUL");
    /* a name with dots that are not ".." is fine */
    assert_int_equal(save(f, "[{\"Config\":\"..c/.x\",\"Layers\":[\"a/...b/layer.tar\"]}]", &e, &n),
                     0);
    want_err(f, save(f, "[{\"Config\":\"c\",", &e, &n), BH_EPARSE, "invalid json");
}

static int repos(struct fx *f, const char *json, struct bh_repotag **r, size_t *n)
{
    bh_err_init(&f->err);
    return bh_manifest_parse_repositories(&f->a, "repositories", json, strlen(json), r, n, &f->err);
}

static void edge_repositories(void **state)
{
    struct fx *f = *state;
    struct bh_repotag *r;
    size_t n;

    assert_int_equal(
        repos(f, "{\"a\":{\"1\":\"" H64("a") "\",\"2\":\"" H64("b") "\"},\"b\":{}}", &r, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(r[1].tag, "2");
    assert_string_equal(r[1].id, H64("b"));
    assert_int_equal(repos(f, "{}", &r, &n), 0);
    assert_int_equal(n, 0);
    want_err(f, repos(f, "{\"a\":{\"t\":\"sha256:" H64("a") "\"}}", &r, &n), BH_EPARSE,
             "a.t: invalid layer id");
    want_err(f, repos(f, "{\"a\":{\"t\":\"" H64("A") "\"}}", &r, &n), BH_EPARSE,
             "invalid layer id");
    want_err(f, repos(f, "{\"a\":{\"t\":5}}", &r, &n), BH_EPARSE, "a.t: expected a layer id");
    want_err(f, repos(f, "{\"a\":[]}", &r, &n), BH_EPARSE, "a: expected an object of tags");
    want_err(f, repos(f, "{\"a\":{\"\":\"" H64("a") "\"}}", &r, &n), BH_EPARSE, "tag is empty");
    want_err(f, repos(f, "[]", &r, &n), BH_EPARSE, "expected an object");
    /* keys quoted in messages are printable */
    want_err(f, repos(f, "{\"\\u001b[2Jrepo\":{\"t\":1}}", &r, &n), BH_EPARSE, "\\x1b[2Jrepo.t:");
}

static void edge_limits(void **state)
{
    struct fx *f = *state;
    struct bh_buf b;
    struct bh_saveentry *e;
    struct bh_index ix;
    size_t i, n;

    bh_buf_init(&b, 64u << 20);
    bh_buf_puts(&b, "[{\"Config\":\"c\",\"Layers\":[");
    for (i = 0; i <= BH_MAX_MANIFEST_ENTRIES; i++)
        bh_buf_puts(&b, i ? ",\"l\"" : "\"l\"");
    bh_buf_puts(&b, "]}]");
    assert_false(b.failed);
    want_err(f, bh_manifest_parse_save(&f->a, "m", b.ptr, b.len, &e, &n, &f->err), BH_ELIMIT,
             "BH_MAX_MANIFEST_ENTRIES");
    bh_buf_reset(&b);
    bh_buf_puts(&b, "{\"manifests\":[");
    for (i = 0; i <= BH_MAX_MANIFEST_ENTRIES; i++)
        bh_buf_puts(&b, i ? ",{}" : "{}");
    bh_buf_puts(&b, "]}");
    want_err(f, bh_manifest_parse_index(&f->a, "ix", b.ptr, b.len, &ix, &f->err), BH_ELIMIT,
             "manifests: more than");
    bh_buf_release(&b);
    /* json.h's limits come through */
    want_err(
        f, bh_manifest_parse_index(&f->a, "ix", "{}", (size_t)BH_MAX_JSON_INPUT + 1, &ix, &f->err),
        BH_ELIMIT, "BH_MAX_JSON_INPUT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_alpine, setup, teardown),
        cmocka_unit_test_setup_teardown(save_many_layers_and_images, setup, teardown),
        cmocka_unit_test_setup_teardown(save_docker25_and_odd, setup, teardown),
        cmocka_unit_test_setup_teardown(oci_trivy, setup, teardown),
        cmocka_unit_test_setup_teardown(oci_trivy_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(oci_nested_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(oci_platform_pick, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_digests, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_media_types, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_manifest_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_platform_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_save, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_repositories, setup, teardown),
        cmocka_unit_test_setup_teardown(edge_limits, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
