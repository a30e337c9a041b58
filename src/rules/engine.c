/*
 * engine.c - rules over a container as an engine holds it, beyond its runspec (which the
 * RUN-* rules judge through check_run): today RUN-DEFBRIDGE, the container on the default
 * docker0 bridge. Pure functions over struct bh_container (input/engine/ reads it); no I/O.
 */
#include "rules/groups.h"

#include <string.h>

/*
 * The inspect reader decides on_default_bridge (NetworkMode default/bridge, or attached to
 * the network named "bridge"); the finding is located at the setting that put it there.
 */
static void check_defbridge(struct bh_rule_ctx *c, const struct bh_container *ct,
                            const struct bh_engine *e)
{
    const char *mode = ct->network_mode;
    bool by_mode =
        mode == NULL || mode[0] == '\0' || !strcmp(mode, "default") || !strcmp(mode, "bridge");
    struct bh_loc loc;

    (void)e;
    if (!ct->on_default_bridge)
        return;
    /* NetworkMode is in HostConfig (hostconfig.json offline), Networks in the container's
       own document */
    loc = by_mode && ct->spec.network.loc.file != NULL ? ct->spec.network.loc : ct->loc;
    loc.path = by_mode ? "HostConfig.NetworkMode" : "NetworkSettings.Networks.bridge";
    if (by_mode)
        bh_rule_report(c, &loc, NULL,
                       "container %s is on the default bridge network (NetworkMode \"%s\"): "
                       "every other container there can reach its ports",
                       ct->name != NULL ? ct->name : "?",
                       mode != NULL && mode[0] != '\0' ? mode : "default");
    else
        bh_rule_report(c, &loc, NULL,
                       "container %s (NetworkMode \"%s\") is also attached to the default "
                       "bridge network: every other container there can reach its ports",
                       ct->name != NULL ? ct->name : "?", mode);
}

const struct bh_rule bh_rules_engine[] = {
    {"RUN-DEFBRIDGE",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Container on the default docker0 bridge",
     NULL,
     NULL,
     "Create a user-defined network (docker network create app-net) and run the container on "
     "it with --network app-net, together with only the containers it must talk to; use "
     "--network none for containers that need no network.",
     {"CIS 5.30", "KICS C 'Networks Not Set'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     check_defbridge},
};
const size_t bh_rules_engine_n = sizeof(bh_rules_engine) / sizeof(bh_rules_engine[0]);
