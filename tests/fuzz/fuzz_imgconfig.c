/*
 * fuzz_imgconfig.c - libFuzzer target for input/imgconfig.c: an image config into a
 * buildspec, then the build rules over it (they must take any buildspec the reader makes).
 */
#include "core/arena.h"
#include "input/imgconfig.h"
#include "model/finding.h"
#include "model/policy.h"
#include "rules/rule.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bh_policy pol;
    static int ready;
    struct bh_arena a;
    struct bh_err err;
    struct bh_buildspec bs;
    struct bh_imgmeta meta;
    struct bh_findings out;
    size_t i;

    if (!ready) {
        bh_policy_init(&pol);
        ready = 1;
    }
    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_imgconfig_parse(&a, "fuzz", (const char *)data, size, &bs, &meta, &err) == 0) {
        for (i = 0; i < meta.nhistory; i++) {
            int ix = meta.history[i].instr, ly = meta.history[i].layer;

            if (ix >= (int)bs.ninstrs || ly >= (int)meta.ndiff_ids)
                __builtin_trap();
        }
        for (i = 0; i < bs.ninstrs; i++) {
            if (!bs.instrs[i].raw || !bs.instrs[i].loc.path || bs.instrs[i].stage != 0)
                __builtin_trap();
        }
        memset(&out, 0, sizeof(out));
        bh_rules_check_build(&a, &pol, &bs, &out);
    }
    bh_arena_release(&a);
    return 0;
}
