/*
 * compose.h - the Compose reader (compose spec; v2/v3 files): every service
 * becomes a struct bh_runspec. YAML 1.2 through input/yaml.c; `${VAR}`
 * interpolation from the given environment. It never decides what is a mistake.
 */
#ifndef BH_COMPOSE_H
#define BH_COMPOSE_H

#include "core/err.h"
#include "model/runspec.h"

#include <stddef.h>

struct bh_arena;

struct bh_compose_opts {
    /* "NAME=value" pairs for interpolation: the .env file's first, then the process
     * environment's (later entries win). May be NULL. */
    const char *const *env;
    size_t nenv;
    /* the text of the .env file next to the compose file and its path, for error
     * positions; NULL when absent (the caller reads it) */
    const char *dotenv_path;
};

/*
 * Parse (text, len), the contents of `file`, into *out (initialised here).
 * 0, or BH_EPARSE/BH_ELIMIT/BH_ENOMEM with err naming file, line and column
 * (a bad interpolation like `${VAR:?required}` unset, or `${` unterminated, is BH_EPARSE).
 */
int bh_compose_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     const struct bh_compose_opts *opts, struct bh_runset *out, struct bh_err *err);

/* 0..100: by name (compose.yaml, docker-compose.yml, compose.*.yaml, docker-compose.*.yml ...)
 * with head == NULL; with content, a YAML mapping whose top level has `services:`. */
int bh_compose_bid(const char *name, const char *head, size_t len);

#endif
