/*
 * runargs.h - `docker run` / `docker create` / `docker container run|create` /
 * `podman run|create` command lines, found in shell scripts, Makefiles, CI YAML
 * `run:` blocks and Markdown code blocks, each read into a struct bh_runspec.
 * Only the flags before the image name belong to docker.
 */
#ifndef BH_RUNARGS_H
#define BH_RUNARGS_H

#include "core/err.h"
#include "model/runspec.h"

#include <stddef.h>

struct bh_arena;

/*
 * Read one command's words (argv[0] is docker/podman, the sub-command follows)
 * into *out. Returns 0, 1 when the words are not a run/create command (out
 * untouched), or BH_EPARSE with err (a flag that needs a value at the end).
 */
int bh_runargs_from_words(struct bh_arena *a, const char *file, const struct bh_word *words,
                          size_t nwords, struct bh_runspec *out, struct bh_err *err);

/*
 * Find every run/create command in (text, len) - a shell script, Makefile, CI
 * YAML or Markdown file, told apart by `file`'s name and the content - and
 * append a runspec for each to *out (initialised here).
 */
int bh_runargs_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     struct bh_runset *out, struct bh_err *err);

/* 0..100: name-only (head NULL): *.sh, *.bash, Makefile, *.mk, *.md, CI YAML names score 40
 * (read the content); with content, 80 when it contains a docker/podman run|create command. */
int bh_runargs_bid(const char *name, const char *head, size_t len);

#endif
