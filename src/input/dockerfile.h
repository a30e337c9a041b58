/*
 * dockerfile.h - the Dockerfile reader: BuildKit's grammar (directives,
 * escapes, continuations, heredocs, exec/shell forms, ONBUILD, multi-stage,
 * ARG scope and substitution) into a struct bh_buildspec. It never decides
 * what is a mistake.
 */
#ifndef BH_DOCKERFILE_H
#define BH_DOCKERFILE_H

#include "core/err.h"
#include "model/buildspec.h"

#include <stddef.h>

struct bh_arena;

struct bh_dockerfile_opts {
    const char *target; /* --target stage name, or NULL for the last stage */
    /* build args given by the user (`NAME=value`), override ARG defaults; may be NULL */
    const char *const *build_args;
    size_t nbuild_args;
};

/*
 * Parse (text, len), the contents of `file`, into *out (which it initialises).
 * Returns 0, or BH_EPARSE/BH_ELIMIT/BH_ENOMEM with err naming file, line and
 * column. On BH_EPARSE *out holds nothing the rules should use.
 * Does not touch the filesystem: has_dockerignore is left for the caller.
 */
int bh_dockerfile_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                        const struct bh_dockerfile_opts *opts, struct bh_buildspec *out,
                        struct bh_err *err);

/* Score 0..100 for "this is a Dockerfile" from the file name and the first bytes. */
int bh_dockerfile_bid(const char *name, const char *head, size_t len);

#endif
