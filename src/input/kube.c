/*
 * kube.c - placeholder until the Kubernetes reader lands: recognises nothing.
 */
#include "input/kube.h"

#include <string.h>

int bh_kube_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  struct bh_runset *out, struct bh_err *err)
{
    (void)a;
    (void)text;
    (void)len;
    memset(out, 0, sizeof(*out));
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "the Kubernetes reader is not built yet");
}

int bh_kube_bid(const char *name, const char *head, size_t len)
{
    (void)name;
    (void)head;
    (void)len;
    return 0;
}
