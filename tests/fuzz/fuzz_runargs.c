/*
 * fuzz_runargs.c - libFuzzer target for the docker-run-line reader. The first
 * byte picks the file name, and so the kind the rest is read as: a shell
 * script, a Makefile, Markdown, a GitHub workflow or a GitLab CI file.
 */
#include "core/arena.h"
#include "input/runargs.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *__lsan_default_suppressions(void);

/*
 * libfyaml 0.7.12 leaks its text buffer for some block scalars (see
 * fuzz_yaml.c). Ignore leaks allocated inside libfyaml only; every bulkhead
 * allocation comes from the arena and is still checked.
 */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"run.sh", "Makefile", "README.md",
                                        ".github/workflows/ci.yml", ".gitlab-ci.yml"};
    struct bh_arena a;
    struct bh_runset set;
    struct bh_err err;
    const char *name;

    if (size == 0)
        return 0;
    name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    (void)bh_runargs_bid(name, NULL, 0);
    (void)bh_runargs_bid(name, (const char *)data + 1, size - 1);
    (void)bh_runargs_parse(&a, name, (const char *)data + 1, size - 1, &set, &err);
    bh_arena_release(&a);
    return 0;
}
