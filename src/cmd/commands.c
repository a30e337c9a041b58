/*
 * commands.c - the sorted table of subcommands, the option parser every
 * subcommand uses, and --help generated from the option tables.
 */
#include "cmd/cmd.h"

#include <string.h>

extern const struct bh_option bh_config_options[];
extern const struct bh_option bh_engine_options[];
extern const struct bh_option bh_host_options[];
extern const struct bh_option bh_image_options[];
extern const struct bh_option bh_rules_options[];
extern const struct bh_option bh_rootfs_options[];
extern const struct bh_option bh_sbom_options[];
extern const struct bh_option bh_db_options[];
/* host.c (not in cmd.h, which is a contract header) */

const struct bh_cmd bh_commands[] = {
    {"config", cmd_config,
     "audit Dockerfiles, Compose files, Kubernetes manifests and docker run lines",
     "[options] [PATH...]", bh_config_options},
    {"db", cmd_db, "the vulnerability database: build it from feeds, update it, show what it holds",
     "build -o FILE SOURCE... | update | info [options]", bh_db_options},
    {"engine", cmd_engine,
     "audit the containers of a Docker engine, live over its API (GET only) or offline from "
     "its state directory",
     "[options]", bh_engine_options},
    {"host", cmd_host,
     "audit the host under the containers: engine configuration, sockets, files, kernel, "
     "versions",
     "[options]", bh_host_options},
    {"image", cmd_image,
     "audit an image: docker save archive, OCI layout, docker:NAME or registry reference",
     "[options] TARGET...", bh_image_options},
    {"rootfs", cmd_rootfs, "audit an unpacked root filesystem (a directory, the host's / included)",
     "[options] DIR...", bh_rootfs_options},
    {"rules", cmd_rules, "list the rules, or explain one", "[options] [ID]", bh_rules_options},
    {"sbom", cmd_sbom,
     "software bill of materials of an image or root filesystem (CycloneDX 1.5, SPDX 2.3)",
     "[options] TARGET", bh_sbom_options},
    {"version", cmd_version, "print the version", "", NULL},
};
const size_t bh_ncommands = sizeof(bh_commands) / sizeof(bh_commands[0]);

const struct bh_cmd *bh_cmd_find(const char *name)
{
    size_t i;

    for (i = 0; i < bh_ncommands; i++) {
        if (!strcmp(bh_commands[i].name, name))
            return &bh_commands[i];
    }
    return NULL;
}

void bh_cmd_help(FILE *out, const struct bh_cmd *c)
{
    const struct bh_option *o;

    fprintf(out, "usage: bulkhead %s %s\n\n%s\n", c->name, c->usage, c->summary);
    if (!c->options)
        return;
    fprintf(out, "\noptions:\n");
    for (o = c->options; o->long_name; o++) {
        char left[64];

        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->long_name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-28s %s\n", left, o->help);
    }
}

int bh_cmd_parse(const char *cmd, int argc, char **argv, const struct bh_option *opts,
                 int (*on_opt)(int idx, const char *val, void *data), void *data, char ***pos,
                 int *npos)
{
    int i, n = 0, rc;
    bool only_pos = false;

    *pos = calloc((size_t)argc + 1, sizeof(char *));
    if (!*pos) {
        fprintf(stderr, "bulkhead %s: out of memory\n", cmd);
        return BH_EXIT_INTERNAL;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        const struct bh_option *o = NULL;
        int idx;

        if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
            (*pos)[n++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = true;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);

            for (idx = 0; opts && opts[idx].long_name; idx++) {
                if (strlen(opts[idx].long_name) == len &&
                    !strncmp(opts[idx].long_name, a + 2, len)) {
                    o = &opts[idx];
                    break;
                }
            }
            if (!o) {
                fprintf(stderr, "bulkhead %s: unknown option '%s' (see 'bulkhead %s --help')\n",
                        cmd, a, cmd);
                return BH_EXIT_USAGE;
            }
            if (eq) {
                if (!o->arg) {
                    fprintf(stderr, "bulkhead %s: option '--%s' takes no value\n", cmd,
                            o->long_name);
                    return BH_EXIT_USAGE;
                }
                val = eq + 1;
            }
        } else {
            for (idx = 0; opts && opts[idx].long_name; idx++) {
                if (opts[idx].short_name && opts[idx].short_name == a[1]) {
                    o = &opts[idx];
                    break;
                }
            }
            if (!o) {
                fprintf(stderr, "bulkhead %s: unknown option '%s' (see 'bulkhead %s --help')\n",
                        cmd, a, cmd);
                return BH_EXIT_USAGE;
            }
            if (a[2]) {
                if (!o->arg) {
                    fprintf(stderr, "bulkhead %s: option '-%c' takes no value\n", cmd, a[1]);
                    return BH_EXIT_USAGE;
                }
                val = a + 2;
            }
        }
        if (o->arg && !val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bulkhead %s: option '--%s' needs a value (%s)\n", cmd,
                        o->long_name, o->arg);
                return BH_EXIT_USAGE;
            }
            val = argv[++i];
        }
        rc = on_opt((int)(o - opts), val, data);
        if (rc)
            return rc;
    }
    *npos = n;
    return 0;
}
