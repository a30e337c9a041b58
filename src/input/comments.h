/*
 * comments.h - finds inline suppression comments `# bulkhead:ignore=ID[,ID] reason`
 * in line-oriented text (YAML, shell scripts, Makefiles, Markdown). A comment
 * alone on its line covers the next non-blank, non-comment line; a trailing
 * comment covers its own line.
 */
#ifndef BH_COMMENTS_H
#define BH_COMMENTS_H

#include "model/buildspec.h"

#include <stddef.h>

struct bh_arena;

/* Append the ignores found in (text, len) to *v (n, cap as for BH_PUSH). 0 or BH_ENOMEM. */
int bh_comments_ignores(struct bh_arena *a, const char *text, size_t len, struct bh_ignore **v,
                        size_t *n, size_t *cap);

#endif
