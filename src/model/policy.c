/*
 * policy.c - defaults and lookups for struct bh_policy. Reading the YAML file
 * is input/policy.c.
 */
#include "model/policy.h"

#include "core/str.h"

#include <string.h>

void bh_policy_init(struct bh_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->max_image_age_days = 90;
}

const struct bh_policy_rule *bh_policy_rule(const struct bh_policy *p, const char *id)
{
    size_t i;

    for (i = 0; i < p->nrules; i++) {
        if (bh_str_ieq(p->rules[i].id, id))
            return &p->rules[i];
    }
    return NULL;
}
