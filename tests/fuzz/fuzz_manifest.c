/*
 * fuzz_manifest.c - libFuzzer target for input/manifest.c: the same bytes through all four
 * parsers (index, image manifest, docker save manifest.json, repositories), the platform
 * pick over a parsed index, and the platform-string parser on the bytes as text.
 */
#include "core/arena.h"
#include "input/manifest.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_descriptor(const struct bh_descriptor *d)
{
    if (!bh_manifest_digest_valid(d->digest) || d->size < 0 || !d->path)
        __builtin_trap();
    if (d->has_platform && (!d->platform.os || !d->platform.architecture))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const wants[] = {"linux/amd64",  "linux/arm64",   "linux/arm64/v8",
                                        "linux/arm/v7", "windows/amd64", "linux/x86_64"};
    struct bh_arena a;
    struct bh_err err;
    struct bh_index ix;
    struct bh_imgmanifest m;
    struct bh_saveentry *se;
    struct bh_repotag *rt;
    struct bh_platform p;
    const char *text = (const char *)data;
    size_t i, n;

    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_manifest_parse_index(&a, "fuzz", text, size, &ix, &err) == 0) {
        for (i = 0; i < ix.nmanifests; i++)
            check_descriptor(&ix.manifests[i]);
        for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
            const struct bh_descriptor *d = bh_manifest_pick_platform(&ix, wants[i]);

            if (d && (d < ix.manifests || d >= ix.manifests + ix.nmanifests))
                __builtin_trap();
        }
    }
    bh_err_init(&err);
    if (bh_manifest_parse_image(&a, "fuzz", text, size, &m, &err) == 0) {
        check_descriptor(&m.config);
        for (i = 0; i < m.nlayers; i++)
            check_descriptor(&m.layers[i]);
    }
    bh_err_init(&err);
    if (bh_manifest_parse_save(&a, "fuzz", text, size, &se, &n, &err) == 0) {
        for (i = 0; i < n; i++) {
            if (!se[i].config || se[i].config[0] == '/' || strstr(se[i].config, "/../"))
                __builtin_trap();
        }
    }
    bh_err_init(&err);
    if (bh_manifest_parse_repositories(&a, "fuzz", text, size, &rt, &n, &err) == 0) {
        for (i = 0; i < n; i++) {
            if (strlen(rt[i].id) != 64)
                __builtin_trap();
        }
    }
    if (size < 256 && !memchr(data, 0, size)) {
        char buf[256];

        memcpy(buf, data, size);
        buf[size] = '\0';
        (void)bh_manifest_parse_platform(&a, buf, &p, &err);
        (void)bh_manifest_media_kind(buf);
        (void)bh_manifest_media_type_valid(buf);
        (void)bh_manifest_digest_valid(buf);
    }
    bh_arena_release(&a);
    return 0;
}
