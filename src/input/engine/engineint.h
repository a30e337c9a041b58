/*
 * engineint.h - private to src/input/engine/: the inspect mapper with one
 * file name per document, so a state directory's locs name config.v2.json for
 * the container's own fields and hostconfig.json for HostConfig.*.
 */
#ifndef BH_ENGINEINT_H
#define BH_ENGINEINT_H

#include "input/engine.h"

/*
 * bh_engine_inspect with cfile naming config (top-level and Config.* fields) and hfile
 * naming the document HostConfig came from (hostconfig.json, or cfile when config holds it).
 */
int bh_engine_inspect_files(struct bh_arena *a, const char *cfile, const char *hfile,
                            const struct bh_jnode *config, const struct bh_jnode *hostconfig,
                            struct bh_container *c, struct bh_err *err);

#endif
