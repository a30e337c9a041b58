/*
 * fuzz_dockerfile.c - libFuzzer target for the Dockerfile reader: every input
 * is parsed twice, once for the last stage and once with --target and
 * --build-arg set, so the stage lookup and the build-arg paths run too.
 */
#include "core/arena.h"
#include "input/dockerfile.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const build_args[] = {"BASE=alpine:3.19", "VERSION=1.2", "NOVALUE"};
    struct bh_dockerfile_opts opts = {"build", build_args, 3};
    struct bh_buildspec bs;
    struct bh_arena a;
    struct bh_err err;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    (void)bh_dockerfile_parse(&a, "Dockerfile", (const char *)data, size, NULL, &bs, &err);
    bh_arena_release(&a);

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    (void)bh_dockerfile_parse(&a, "Dockerfile", (const char *)data, size, &opts, &bs, &err);
    bh_arena_release(&a);

    (void)bh_dockerfile_bid("x", (const char *)data, size);
    return 0;
}
