/*
 * reader.c - the memory reader and the close helper for core/reader.h. Other
 * readers (tar members, HTTP bodies) live with their sources.
 */
#include "core/reader.h"

#include <string.h>

static int mem_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct bh_memreader *m = ctx;
    size_t n = m->len - m->pos;

    (void)err;
    if (n > cap)
        n = cap;
    if (n > 0)
        memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *got = n;
    return 0;
}

void bh_reader_mem(struct bh_reader *rd, struct bh_memreader *m, const void *data, size_t len,
                   const char *label)
{
    m->data = data;
    m->len = len;
    m->pos = 0;
    rd->read = mem_read;
    rd->close = NULL;
    rd->ctx = m;
    rd->label = label;
}

void bh_reader_close(struct bh_reader *rd)
{
    if (rd == NULL)
        return;
    if (rd->close != NULL)
        rd->close(rd->ctx);
    memset(rd, 0, sizeof *rd);
}
