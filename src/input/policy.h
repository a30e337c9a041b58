/*
 * policy.h (input) - reads the YAML policy file (docs/policy.md) into a
 * struct bh_policy. Unknown keys and unknown rule ids are errors with line
 * and column, so a typo never silently disables nothing.
 */
#ifndef BH_INPUT_POLICY_H
#define BH_INPUT_POLICY_H

#include "core/err.h"
#include "model/policy.h"

struct bh_arena;

/* Read file into *p (already initialised with bh_policy_init). 0 or BH_E* with err. */
int bh_policy_read(struct bh_arena *a, const char *file, struct bh_policy *p, struct bh_err *err);
/* The same from memory (used by the fuzzer and tests). */
int bh_policy_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                    struct bh_policy *p, struct bh_err *err);

#endif
