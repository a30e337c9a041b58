/*
 * engine.h - readers of a Docker engine's containers into the engine model
 * (model/engine.h): the inspect document of one container (the API's
 * GET /containers/{id}/json, or a state directory's config.v2.json +
 * hostconfig.json), the live API (GET requests only), and a state directory
 * (/var/lib/docker) read offline with no socket at all.
 */
#ifndef BH_INPUT_ENGINE_H
#define BH_INPUT_ENGINE_H

#include "core/err.h"
#include "input/daemon.h"
#include "model/engine.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;
struct bh_jnode;

/* A container that could not be read; the others still are. */
struct bh_engine_error {
    const char *where; /* "container NAME" or a file path */
    const char *message;
};

/*
 * Fill *c from an inspect document (the API's container JSON, whose HostConfig is inside)
 * or from a state directory's config.v2.json (config) plus hostconfig.json (hostconfig;
 * NULL when config already holds HostConfig). file names the source in every loc (see
 * model/engine.h). Errors: BH_EPARSE naming file and the JSON path, BH_ENOMEM.
 */
int bh_engine_inspect(struct bh_arena *a, const char *file, const struct bh_jnode *config,
                      const struct bh_jnode *hostconfig, struct bh_container *c,
                      struct bh_err *err);

/*
 * The live engine at addr: every container (all, with all; else running ones), each
 * inspected, and for running containers their filesystem changes and exec sessions; every
 * image (GET /images/json). Only GET requests. A container that vanishes or fails to read
 * goes to *errs. Errors: BH_EIO (engine unreachable, naming the address), BH_ENOMEM.
 */
int bh_engine_read_api(struct bh_arena *a, const struct bh_engine_addr *addr, bool all,
                       struct bh_engine *out, struct bh_engine_error **errs, size_t *nerrs,
                       struct bh_err *err);

/*
 * A state directory (the engine's data-root, e.g. /var/lib/docker): every
 * containers/ID/config.v2.json with its hostconfig.json. Files that fail to parse go to
 * *errs. Errors: BH_EIO (not a directory, or no containers/ in it), BH_ENOMEM.
 */
int bh_engine_read_statedir(struct bh_arena *a, const char *dir, struct bh_engine *out,
                            struct bh_engine_error **errs, size_t *nerrs, struct bh_err *err);

#endif
