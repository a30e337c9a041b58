/*
 * compose.c - placeholder until the Compose reader lands: recognises nothing.
 */
#include "input/compose.h"

#include <string.h>

int bh_compose_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     const struct bh_compose_opts *opts, struct bh_runset *out, struct bh_err *err)
{
    (void)a;
    (void)text;
    (void)len;
    (void)opts;
    memset(out, 0, sizeof(*out));
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "the Compose reader is not built yet");
}

int bh_compose_bid(const char *name, const char *head, size_t len)
{
    (void)name;
    (void)head;
    (void)len;
    return 0;
}
