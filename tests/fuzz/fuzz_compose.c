/*
 * fuzz_compose.c - libFuzzer target for the Compose reader: parses the input
 * with a small environment (so interpolation paths run), checks the runset's
 * invariants (names, positions inside the text, port ranges) and bids on it.
 */
#include "core/arena.h"
#include "input/compose.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *__lsan_default_suppressions(void);

/* libfyaml leaks a text buffer for some block scalars (see fuzz_yaml.c); ours come from the arena.
 */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

static void check_loc(const struct bh_loc *l, int lines)
{
    if (l->line < 0 || l->line > lines + 1 || (l->line == 0 && l->col != 0))
        abort();
    if (l->line && (!l->file || strcmp(l->file, "/fuzz/app/compose.yaml")))
        abort();
}

static void check_list(const struct bh_rs_list *l, int lines)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (!l->v[i].v)
            abort();
        check_loc(&l->v[i].loc, lines);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const env[] = {"TAG=1.0", "EMPTY=", "PORT=8080", "DIR=/srv", "B=true"};
    const char *text = (const char *)data;
    struct bh_compose_opts opts;
    struct bh_runset set;
    struct bh_arena a;
    struct bh_err err;
    int lines = 1;
    size_t i, j;

    /* an upper bound: YAML also breaks lines at a lone CR */
    for (i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    memset(&opts, 0, sizeof(opts));
    opts.env = env;
    opts.nenv = sizeof(env) / sizeof(env[0]);
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    (void)bh_compose_bid("stack.yaml", text, size);
    if (bh_compose_parse(&a, "/fuzz/app/compose.yaml", text, size, &opts, &set, &err) == 0) {
        for (i = 0; i < set.nspecs; i++) {
            const struct bh_runspec *rs = &set.specs[i];

            if (!rs->name || !rs->owner || strcmp(rs->source_kind, "compose"))
                abort();
            check_loc(&rs->loc, lines);
            check_loc(&rs->image.loc, lines);
            check_loc(&rs->privileged.loc, lines);
            check_list(&rs->cap_add, lines);
            check_list(&rs->env, lines);
            check_list(&rs->security_opt, lines);
            check_list(&rs->gpus, lines);
            for (j = 0; j < rs->nports; j++) {
                const struct bh_port *p = &rs->ports[j];

                if (!p->raw || !p->proto || p->cont_lo > 65535 || p->host_lo > 65535)
                    abort();
                check_loc(&p->loc, lines);
            }
            for (j = 0; j < rs->nmounts; j++) {
                const struct bh_mount *m = &rs->mounts[j];

                if (!m->target || (m->source && m->kind == BH_MOUNT_BIND && m->source[0] != '/' &&
                                   !(m->source[0] && m->source[1] == ':')))
                    abort();
                check_loc(&m->loc, lines);
            }
            for (j = 0; j < rs->ndevices; j++)
                if (!rs->devices[j].host_path || !rs->devices[j].cont_path)
                    abort();
        }
    } else if (err.code == 0 || err.msg[0] == '\0') {
        abort(); /* a failure always says why */
    }
    bh_arena_release(&a);
    return 0;
}
