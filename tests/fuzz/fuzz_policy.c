/*
 * fuzz_policy.c - libFuzzer target for the policy file reader.
 */
#include "core/arena.h"
#include "input/policy.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *__lsan_default_suppressions(void);

/*
 * libfyaml 0.7.12 leaks its text buffer for some scalars (a top-level block
 * scalar after `---` or `...` with trailing empty lines, e.g. "--- |\na\n\n\n\n\n\n\n ")
 * and we cannot fix it here. Ignore leaks allocated inside libfyaml only; every
 * bulkhead allocation comes from the arena and is still checked.
 */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_policy p;
    struct bh_err err;
    int rc;

    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    bh_policy_init(&p);
    rc = bh_policy_parse(&a, "fuzz", (const char *)data, size, &p, &err);
    if (rc && (err.code != rc || err.msg[0] == '\0'))
        abort(); /* every failure must be described */
    if (!rc && (p.max_image_age_days < 1 || !p.file))
        abort();
    bh_arena_release(&a);
    return 0;
}
