/*
 * fuzz_pkgdb_rpm.c - libFuzzer target for the rpm database reader. The first byte picks
 * how the rest is fed: 0 as a whole file (sqlite, ndb or bdb by magic); 1 as one header
 * blob wrapped in a valid NDB file (the header parser directly); 2 as one header blob
 * stored through a BerkeleyDB offpage item and overflow chain; 3 as the pages after a
 * valid BDB hash metadata page; 4 as the slot page and blobs after a valid NDB header.
 */
#include "core/arena.h"
#include "input/pkgdb/pkgdb.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE 512u

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void bdb_meta(uint8_t *p)
{
    le32(p + 12, 0x061561u);
    le32(p + 16, 9);
    le32(p + 20, PAGE);
    p[25] = 8;
}

static size_t wrap_ndb(const uint8_t *d, size_t n, uint8_t **out)
{
    size_t nblk = (16 + n + 12 + 15) / 16, o, total = 4096 + nblk * 16;
    uint8_t *b = calloc(1, total);

    if (b == NULL)
        return 0;
    memcpy(b, "RpmP", 4);
    le32(b + 12, 1);
    for (o = 32; o < 4096; o += 16)
        memcpy(b + o, "Slot", 4);
    le32(b + 36, 1);
    le32(b + 40, 4096 / 16);
    le32(b + 44, (uint32_t)nblk);
    memcpy(b + 4096, "BlbS", 4);
    le32(b + 4100, 1);
    le32(b + 4108, (uint32_t)n);
    memcpy(b + 4112, d, n);
    *out = b;
    return total;
}

/* meta page, one hash page {key 1 -> offpage item}, then overflow pages holding d */
static size_t wrap_bdb(const uint8_t *d, size_t n, uint8_t **out)
{
    size_t per = PAGE - 26, novf = n == 0 ? 1 : (n + per - 1) / per, total, i, k;
    uint8_t *b, *pg;

    total = (2 + novf) * PAGE;
    b = calloc(1, total);
    if (b == NULL)
        return 0;
    bdb_meta(b);
    pg = b + PAGE;
    le32(pg + 8, 1);
    pg[20] = 2; /* entries */
    pg[25] = 13;
    /* item 0 (key) at PAGE-5: {1, 1,0,0,0}; item 1 (offpage) at PAGE-17 */
    pg[26] = (uint8_t)((PAGE - 5) & 0xff), pg[27] = (uint8_t)((PAGE - 5) >> 8);
    pg[28] = (uint8_t)((PAGE - 17) & 0xff), pg[29] = (uint8_t)((PAGE - 17) >> 8);
    pg[PAGE - 5] = 1;
    pg[PAGE - 4] = 1;
    pg[PAGE - 17] = 3;
    le32(pg + PAGE - 13, 2);
    le32(pg + PAGE - 9, (uint32_t)n);
    for (i = 0, k = 0; i < novf; i++) {
        size_t take = n - k < per ? n - k : per;

        pg = b + (2 + i) * PAGE;
        le32(pg + 8, (uint32_t)(2 + i));
        le32(pg + 16, i + 1 < novf ? (uint32_t)(3 + i) : 0);
        pg[22] = (uint8_t)(take & 0xff), pg[23] = (uint8_t)(take >> 8);
        pg[25] = 7;
        memcpy(pg + 26, d + k, take);
        k += take;
    }
    *out = b;
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_packages ps = {0};
    struct bh_osinfo os = {.id = "rhel", .version_id = "9.4"};
    struct bh_err err;
    uint8_t *buf = NULL;
    size_t n = 0, i;

    if (size < 1 || size > (1u << 20))
        return 0;
    switch (data[0]) {
    case 1:
        n = wrap_ndb(data + 1, size - 1, &buf);
        break;
    case 2:
        n = wrap_bdb(data + 1, size - 1, &buf);
        break;
    case 3:
        n = PAGE + size - 1;
        buf = calloc(1, n);
        if (buf != NULL) {
            bdb_meta(buf);
            memcpy(buf + PAGE, data + 1, size - 1);
        }
        break;
    case 4:
        n = 32 + size - 1;
        buf = calloc(1, n);
        if (buf != NULL) {
            memcpy(buf, "RpmP", 4);
            le32(buf + 12, 1);
            memcpy(buf + 32, data + 1, size - 1);
        }
        break;
    default:
        n = size - 1;
        buf = malloc(n + 1);
        if (buf != NULL)
            memcpy(buf, data + 1, n);
        break;
    }
    if (buf == NULL)
        return 0;
    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_pkgdb_rpm(&a, "var/lib/rpm/Packages", buf, n, 0, &ps, &err) == 0)
        for (i = 0; i < ps.n; i++)
            (void)bh_pkgdb_purl(&a, &ps.v[i], &os);
    bh_arena_release(&a);
    free(buf);
    return 0;
}
