/*
 * version.c - `bulkhead version`.
 */
#include "cmd/cmd.h"

int cmd_version(int argc, char **argv, struct bh_ctx *ctx)
{
    (void)argc;
    (void)argv;
    (void)ctx;
    printf("bulkhead %s\n", BH_VERSION);
    return BH_EXIT_OK;
}
