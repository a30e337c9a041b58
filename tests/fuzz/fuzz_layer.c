/*
 * fuzz_layer.c - libFuzzer target for the layer pass: the input is a layer (tar, gzip or zstd)
 * read through a memory reader by bh_layer_scan with a sink that pulls every entry's content,
 * then again in small pieces (both passes must agree), then walked by bh_imgsrc_walk.
 */
#include "core/reader.h"
#include "input/imgsrc.h"
#include "input/layer.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pull_all(void *ctx, const struct bh_layer_entry *e, struct bh_layer_content *c,
                    struct bh_err *err)
{
    unsigned char buf[4096];
    uint64_t total = 0;

    (void)ctx;
    if (!e->path || (e->type == BH_LT_REG) != (c != NULL))
        __builtin_trap();
    while (c) {
        size_t got = 0;
        int rc = bh_layer_content_read(c, buf, sizeof(buf), &got, err);
        if (rc)
            return rc;
        if (got == 0)
            break;
        total += got;
    }
    /* a file's content is never more than its header says */
    if (total > e->size)
        __builtin_trap();
    return 0;
}

/* A reader over memory that hands out at most `chunk` bytes per call. */
struct chunky {
    const uint8_t *p;
    size_t len, pos, chunk;
};

static int chunky_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct chunky *c = ctx;
    size_t n = c->len - c->pos;

    (void)err;
    if (n > cap)
        n = cap;
    if (n > c->chunk)
        n = c->chunk;
    memcpy(buf, c->p + c->pos, n);
    c->pos += n;
    *got = n;
    return 0;
}

static int walk_fn(void *ctx, const char *name, uint64_t size, const char *link,
                   struct bh_reader *content, struct bh_err *err)
{
    unsigned char buf[4096];

    (void)ctx;
    (void)name;
    (void)size;
    (void)link;
    while (content) {
        size_t got = 0;
        int rc = content->read(content->ctx, buf, sizeof(buf), &got, err);
        if (rc)
            return rc;
        if (got == 0)
            break;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_layer_sink sink = {pull_all, NULL, NULL};
    struct bh_layer_stats st1, st2;
    struct bh_memreader m;
    struct bh_reader rd;
    struct bh_err err;
    struct chunky c = {data, size, 0, size ? (size_t)(data[size - 1] % 61) + 1 : 1};
    int rc1, rc2;

    bh_err_init(&err);
    bh_reader_mem(&rd, &m, data, size, "fuzz.layer");
    rc1 = bh_layer_scan(&rd, BH_LAYER_COMP_UNKNOWN, "fuzz.layer", &sink, &st1, &err);
    if (rc1 == 0 && (st1.bytes_in != size || strlen(st1.digest) != 71 || strlen(st1.diff_id) != 71))
        __builtin_trap();

    rd.read = chunky_read;
    rd.ctx = &c;
    rc2 = bh_layer_scan(&rd, BH_LAYER_COMP_UNKNOWN, "fuzz.layer", &sink, &st2, &err);
    /* how the bytes arrive changes nothing, except when the ratio limit trips: it counts the
     * compressed bytes decoded so far, which depends on the pieces */
    if (rc1 == BH_ELIMIT || rc2 == BH_ELIMIT)
        rc1 = rc2 = -100;
    if (rc1 != rc2 || st1.comp != st2.comp || (rc1 == 0 && st1.entries != st2.entries))
        __builtin_trap();
    if (rc1 == 0 && rc1 == rc2 &&
        (strcmp(st1.digest, st2.digest) || strcmp(st1.diff_id, st2.diff_id)))
        __builtin_trap();

    bh_reader_mem(&rd, &m, data, size, "fuzz.tar");
    (void)bh_imgsrc_walk(&rd, "fuzz.tar", walk_fn, NULL, &err);
    return 0;
}
