/*
 * build.c - rule table (see groups.h). Rows are added with their checks.
 */
#include "rules/groups.h"

const struct bh_rule bh_rules_build[] = {
    {NULL, 0, BH_SEV_INFO, 0, NULL, NULL, NULL, NULL, {NULL}},
};
const size_t bh_rules_build_n = 0;
