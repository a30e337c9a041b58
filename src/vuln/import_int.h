/*
 * import_int.h - what the advisory importers (import.c, osv.c, secdb.c) share:
 * one import in progress and the error helper that names file, line and record.
 * Not part of the API: only src/vuln/ includes it.
 */
#ifndef BH_VULN_IMPORT_INT_H
#define BH_VULN_IMPORT_INT_H

#include "input/json.h"
#include "vuln/import.h"

#include <stdbool.h>

struct bh_imp {
    struct bh_arena *a; /* where the current document's tree and records live */
    const char *file;   /* names the document in errors ("all.zip!/GO-1.json" for members) */
    bool yaml;          /* the tree was converted from YAML: jnode.i holds the source line */
    bh_import_fn fn;
    void *ctx;
    struct bh_import_stats *st;
    struct bh_err *err;
};

/*
 * The 1-based source line of n when the document was YAML, else 0. The YAML converter keeps
 * the line in bh_jnode.i, which JSON uses only for integers and a converted tree never holds.
 */
int bh_imp_line(const struct bh_imp *im, const struct bh_jnode *n);

/* Fill im->err with code and "FILE[:LINE]: MESSAGE" (LINE from node n when known). */
int bh_imp_fail(struct bh_imp *im, int code, const struct bh_jnode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Hand adv to the caller's fn, counting it; a nonzero return stops the import. */
int bh_imp_emit(struct bh_imp *im, const struct bh_advisory *adv);

/* One OSV record (an object), or every record of an array of them. */
int bh_imp_osv(struct bh_imp *im, const struct bh_jnode *root);
/* One Alpine/Wolfi secdb document. */
int bh_imp_secdb(struct bh_imp *im, const struct bh_jnode *root);

/* Does the object look like a secdb document / an OSV record? (Detection by structure.) */
bool bh_imp_is_secdb(const struct bh_jnode *root);
bool bh_imp_is_osv(const struct bh_jnode *root);

#endif
