/*
 * runspec.c - lookups over a runset. Filling runspecs is the readers' job.
 */
#include "model/runspec.h"

#include <string.h>

const struct bh_runspec *bh_runset_find(const struct bh_runset *set, const char *name)
{
    size_t i;

    for (i = 0; set && i < set->nspecs; i++) {
        if (set->specs[i].name && !strcmp(set->specs[i].name, name))
            return &set->specs[i];
    }
    return NULL;
}
