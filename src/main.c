/*
 * main.c - global options and dispatch through the table of subcommands.
 * Each subcommand lives in src/cmd/NAME.c and returns the exit code.
 */
#include "cmd/cmd.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    size_t i;

    fprintf(out, "usage: bulkhead <command> [options] [targets]\n\ncommands:\n");
    for (i = 0; i < bh_ncommands; i++)
        fprintf(out, "  %-10s %s\n", bh_commands[i].name, bh_commands[i].summary);
    fprintf(out, "\n`bulkhead <command> --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
    struct bh_ctx ctx;
    const struct bh_cmd *c;

    setlocale(LC_ALL, "C");
    memset(&ctx, 0, sizeof(ctx));
    ctx.progname = "bulkhead";
    ctx.stdout_tty = isatty(1);
    ctx.stderr_tty = isatty(2);
    if (argc < 2) {
        usage(stderr);
        return BH_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc > 2 && (c = bh_cmd_find(argv[2]))) {
            bh_cmd_help(stdout, c);
            return BH_EXIT_OK;
        }
        usage(stdout);
        return BH_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version"))
        return cmd_version(1, argv + 1, &ctx);
    c = bh_cmd_find(argv[1]);
    if (!c) {
        fprintf(stderr, "bulkhead: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return BH_EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1, &ctx);
}
