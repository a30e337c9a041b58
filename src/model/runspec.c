/*
 * runspec.c - an empty runspec, and lookups over a runset. Filling runspecs is the
 * readers' job.
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

void bh_runspec_init(struct bh_runspec *rs)
{
    memset(rs, 0, sizeof(*rs));
    rs->privileged.v = BH_UNSET;
    rs->run_as_non_root.v = BH_UNSET;
    rs->host_pid.v = BH_UNSET;
    rs->host_ipc.v = BH_UNSET;
    rs->host_network.v = BH_UNSET;
    rs->host_users.v = BH_UNSET;
    rs->share_process_namespace.v = BH_UNSET;
    rs->allow_privilege_escalation.v = BH_UNSET;
    rs->read_only_rootfs.v = BH_UNSET;
    rs->automount_sa_token.v = BH_UNSET;
    rs->host_process.v = BH_UNSET;
}
