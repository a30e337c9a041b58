/*
 * docs.c - lookup over the embedded documentation pages (generated table).
 */
#include "rules/docs.h"

#include <string.h>

const char *bh_doc_get(const char *name)
{
    size_t i;

    for (i = 0; i < bh_ndocs; i++) {
        if (strcmp(bh_docs[i].name, name) == 0)
            return bh_docs[i].text;
    }
    return NULL;
}
