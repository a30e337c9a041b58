/*
 * fuzz_procnet.c - libFuzzer target for /proc/net/tcp and tcp6 rows; the first byte picks
 * the address family.
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

    if (size < 1)
        return 0;
    bh_arena_init(&a, 64u << 20);
    memset(&h, 0, sizeof(h));
    (void)bh_hostnet_parse(&a, "fuzz", (const char *)data + 1, size - 1, data[0] & 1, &h);
    bh_arena_release(&a);
    return 0;
}
