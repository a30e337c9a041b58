/*
 * content.c - rule table (see groups.h). Rows are added with their checks.
 */
#include "rules/groups.h"

const struct bh_rule bh_rules_content[] = {
    {NULL, 0, BH_SEV_INFO, 0, NULL, NULL, NULL, NULL, {NULL}},
};
const size_t bh_rules_content_n = 0;
