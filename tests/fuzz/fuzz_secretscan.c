/*
 * fuzz_secretscan.c - libFuzzer target for the secret scanner. The first input byte picks
 * the file name (so the .npmrc, .pypirc and Docker config.json patterns run too); the rest
 * is the file. Checks the promises the scanner makes about what it returns.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/secretscan.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bh_secretscan *db;
static struct bh_secretscratch *scr;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {NULL, "root/.npmrc", "home/u/.pypirc",
                                        "root/.docker/config.json", "app/.env"};
    struct bh_arena a;
    struct bh_err err;
    struct bh_secretmatch *m = NULL;
    size_t n = 0, i;
    const char *path;

    if (!db) {
        bh_err_init(&err);
        if (bh_secretscan_new(&db, &err) != 0 || bh_secretscan_scratch(db, &scr, &err) != 0)
            abort();
    }
    if (size == 0)
        return 0;
    path = paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
    data++;
    size--;
    (void)bh_secretscan_is_text(data, size);
    bh_arena_init(&a, 64u << 20);
    bh_err_init(&err);
    if (bh_secretscan_buf(db, scr, &a, path, (const char *)data, size, &m, &n, &err) == 0) {
        if (n > BH_MAX_SECRET_HITS_PER_FILE)
            abort();
        for (i = 0; i < n; i++) {
            if (m[i].offset >= size || m[i].line < 1 || !m[i].excerpt || !m[i].kind ||
                strlen(m[i].excerpt) > 140 || (i > 0 && m[i].offset < m[i - 1].offset))
                abort();
        }
    }
    bh_arena_release(&a);
    return 0;
}
