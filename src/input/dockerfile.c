/*
 * dockerfile.c - placeholder: the Dockerfile reader is being written.
 */
#include "input/dockerfile.h"

#include "core/str.h"

#include <string.h>

int bh_dockerfile_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                        const struct bh_dockerfile_opts *opts, struct bh_buildspec *out,
                        struct bh_err *err)
{
    (void)a;
    (void)text;
    (void)len;
    (void)opts;
    memset(out, 0, sizeof(*out));
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "the Dockerfile reader is not built yet");
}

int bh_dockerfile_bid(const char *name, const char *head, size_t len)
{
    (void)head;
    (void)len;
    if (!strcmp(name, "Dockerfile") || !strcmp(name, "Containerfile"))
        return 100;
    return 0;
}
