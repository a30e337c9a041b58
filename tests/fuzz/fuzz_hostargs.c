/*
 * fuzz_hostargs.c - libFuzzer target for dockerd command lines: the input is a
 * /proc/PID/cmdline (NUL-separated words) mapped to daemon settings, and the same bytes read
 * as an environment file whose values are split and mapped like DOCKER_OPTS.
 */
#include "core/arena.h"
#include "input/host/hostint.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_host h;
    struct bh_loc where = {0};
    struct bh_envvar *vars = NULL;
    const char **argv = NULL;
    size_t argc = 0, k, n = 0;
    char *copy;
    int bad;

    bh_arena_init(&a, 64u << 20);
    memset(&h, 0, sizeof(h));
    where.file = "/proc/1/cmdline";
    copy = bh_arena_strndup(&a, (const char *)data, size);
    if (!copy)
        goto out;
    for (k = 0; k < size;) {
        const char **slot = BH_HPUSH(&a, argv, argc);

        if (!slot)
            goto out;
        *slot = copy + k;
        k += strlen(copy + k) + 1;
    }
    (void)bh_host_dockerd_args(&a, argv, argc, BH_HS_ARGV, &where, &h);
    if (bh_hostenv_parse(&a, copy, strlen(copy), &vars, &n, &bad) == 0) {
        for (k = 0; k < n; k++) {
            char **words;
            size_t nw;

            if (bh_hostenv_split(&a, vars[k].value, &words, &nw) == 0)
                (void)bh_host_dockerd_args(&a, (const char *const *)words, nw, BH_HS_ENVFILE,
                                           &where, &h);
        }
    }
out:
    bh_arena_release(&a);
    return 0;
}
