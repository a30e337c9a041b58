/*
 * loc.h - where a model field came from: file, 1-based line and column (and
 * the end of the span when known), and for structured files the field path
 * such as `spec.template.spec.containers[1].securityContext.privileged`.
 */
#ifndef BH_LOC_H
#define BH_LOC_H

struct bh_loc {
    const char *file; /* as given on the command line / found by the walk; borrowed */
    int line;         /* 1-based; 0 = unknown (then col is 0 too) */
    int col;          /* 1-based; 0 = unknown */
    int end_line;     /* 0 = same as line */
    int end_col;      /* 0 = unknown; else 1-based column just past the span */
    const char *path; /* structured path, or NULL */
};

#endif
