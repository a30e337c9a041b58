/*
 * ignorefile.h - reads `.bulkheadignore`: one entry a line, `ID [GLOB] [# reason]`.
 */
#ifndef BH_IGNOREFILE_H
#define BH_IGNOREFILE_H

#include "core/err.h"
#include "model/suppress.h"

#include <stddef.h>

struct bh_arena;

int bh_ignorefile_read(struct bh_arena *a, const char *file, struct bh_ignorefile *out,
                       struct bh_err *err);
int bh_ignorefile_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                        struct bh_ignorefile *out, struct bh_err *err);

#endif
