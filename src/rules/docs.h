/*
 * docs.h - the documentation pages (docs/rules/ID.md, docs/cli/CMD.md)
 * embedded at build time, so the binary and the published pages never differ.
 */
#ifndef BH_DOCS_H
#define BH_DOCS_H

#include <stddef.h>

struct bh_doc {
    const char *name; /* "rules/BUILD-USER", "cli/config" */
    const char *text; /* the Markdown page */
};

extern const struct bh_doc bh_docs[];
extern const size_t bh_ndocs;

/* The page called name, or NULL. */
const char *bh_doc_get(const char *name);

#endif
