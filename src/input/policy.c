/*
 * policy.c (input) - placeholder until the YAML module lands: a policy file
 * is refused with a clear error rather than ignored.
 */
#include "input/policy.h"

#include "input/files.h"

int bh_policy_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                    struct bh_policy *p, struct bh_err *err)
{
    (void)a;
    (void)text;
    (void)len;
    (void)p;
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "policy files are not supported yet");
}

int bh_policy_read(struct bh_arena *a, const char *file, struct bh_policy *p, struct bh_err *err)
{
    char *text;
    size_t len;
    int rc = bh_file_read(a, file, 16u << 20, &text, &len, err);

    if (rc)
        return rc;
    return bh_policy_parse(a, file, text, len, p, err);
}
