/*
 * imageref.c - placeholder: the N1 normaliser is being written.
 */
#include "model/imageref.h"

#include "core/err.h"

#include <string.h>

int bh_imageref_parse(struct bh_arena *a, const char *s, struct bh_imageref *out)
{
    (void)a;
    (void)s;
    memset(out, 0, sizeof(*out));
    return BH_EUNSUPPORTED;
}

const char *bh_imageref_canonical(struct bh_arena *a, const struct bh_imageref *r)
{
    (void)a;
    return r->input;
}

bool bh_imageref_match(const struct bh_imageref *r, const char *pattern)
{
    (void)r;
    (void)pattern;
    return false;
}
