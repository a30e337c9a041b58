/*
 * fuzz_import.c - libFuzzer target for the advisory importers through bh_import_buf, which
 * tells OSV records (JSON, YAML) from Alpine/Wolfi secdb files (YAML, JSON) by content, so
 * one target covers both; the callback reads every field so a dangling pointer shows.
 */
#include "core/arena.h"
#include "vuln/import.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static int touch(void *ctx, const struct bh_advisory *adv)
{
    size_t i, j, k;

    (void)ctx;
    sink += strlen(adv->id) + strlen(adv->source);
    for (i = 0; i < adv->naliases; i++)
        sink += strlen(adv->aliases[i]);
    sink += adv->summary ? strlen(adv->summary) : 0;
    sink += adv->cvss ? strlen(adv->cvss) + (size_t)adv->cvss_score10 : 0;
    for (i = 0; i < adv->naffected; i++) {
        const struct bh_affected *af = &adv->affected[i];

        sink += strlen(af->ecosystem) + strlen(af->name);
        sink += af->severity ? strlen(af->severity) : 0;
        for (j = 0; j < af->nranges; j++)
            for (k = 0; k < af->ranges[j].nevents; k++)
                sink += strlen(af->ranges[j].events[k].version);
        for (j = 0; j < af->nversions; j++)
            sink += strlen(af->versions[j]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_import_stats st;
    struct bh_arena a;
    struct bh_err err;

    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    (void)bh_import_detect(data, size);
    (void)bh_import_buf(&a, "fuzz-input", data, size, touch, NULL, &st, &err);
    bh_arena_release(&a);
    return 0;
}
