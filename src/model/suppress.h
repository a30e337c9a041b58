/*
 * suppress.h - entries of an ignore file (`.bulkheadignore`): a rule id or a
 * vulnerability id, optionally a path glob, and a `# reason`.
 */
#ifndef BH_SUPPRESS_H
#define BH_SUPPRESS_H

#include <stddef.h>

struct bh_ignorefile_entry {
    const char *id;     /* rule id or vulnerability id, as written */
    const char *glob;   /* path glob (fnmatch, `**` allowed) or NULL = every path */
    const char *reason; /* text after '#', trimmed; "" when none */
    int line;
};

struct bh_ignorefile {
    const char *file; /* NULL when there is none */
    struct bh_ignorefile_entry *v;
    size_t n, cap;
};

#endif
