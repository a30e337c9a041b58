/*
 * fuzz_hostunit.c - libFuzzer target for the systemd unit reader of the host reader: parse,
 * effective ExecStart= after resets, and systemd.syntax word splitting.
 */
#include "core/arena.h"
#include "input/host/hostint.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_unitent *ents = NULL;
    const struct bh_unitent *eff[16];
    size_t n = 0, k, i;
    int bad;

    bh_arena_init(&a, 64u << 20);
    if (bh_hostunit_parse(&a, "fuzz", (const char *)data, size, &ents, &n, &bad) == 0) {
        k = bh_hostunit_effective(ents, n, "Service", "ExecStart", eff, 16);
        for (i = 0; i < k; i++) {
            char **argv;
            size_t argc;

            (void)bh_hostunit_split(&a, eff[i]->value, &argv, &argc);
        }
    }
    bh_arena_release(&a);
    return 0;
}
