/*
 * fuzz_imgsrc.c - libFuzzer target for the image-source tar reader: the input is opened as an
 * in-memory archive (plain or gzip) and again as a file (a memfd), then every member is looked
 * up, read whole and streamed, and a few hostile names are asked for.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/imgsrc.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Members read per input: enough for every seed, few enough that a gzip input of many tiny
 * entries read in reverse order stays fast. */
#define FUZZ_MAX_READS 64u

static int count_fn(const void *p, size_t n, void *ctx)
{
    (void)p;
    *(uint64_t *)ctx += n;
    return 0;
}

static void touch(struct bh_imgsrc *s, struct bh_arena *a, const char *name)
{
    struct bh_err err;
    uint64_t size = 0, seen = 0, total = 0;
    bool found = false;
    char *d;
    size_t len;

    bh_err_init(&err);
    if (bh_imgsrc_stat(s, name, &found, &size, &err) || !found)
        return;
    if (!bh_imgsrc_read(s, a, name, 1u << 20, &d, &len, &err) && len != size)
        __builtin_trap(); /* a whole read must give the size the index promised */
    if (!bh_imgsrc_stream(s, name, count_fn, &seen, &total, &err) &&
        (seen != size || total != size))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {
        "manifest.json",    "index.json",  "oci-layout", "./manifest.json",
        "../manifest.json", "/index.json", "a/../b",     ""};
    struct bh_arena a;
    struct bh_imgsrc *s = NULL;
    struct bh_err err;
    size_t i, n;

    char path[64];
    int fd, pass;

    /* pass 0 reads from memory, pass 1 through a file descriptor (pread and seeks) */
    for (pass = 0; pass < 2; pass++) {
        bh_arena_init(&a, 256u << 20);
        bh_err_init(&err);
        s = NULL;
        fd = -1;
        if (pass == 0) {
            (void)bh_imgsrc_open_mem(&a, "fuzz.tar", data, size, &s, &err);
        } else {
            fd = memfd_create("fuzz_imgsrc", MFD_CLOEXEC);
            if (fd < 0 || write(fd, data, size) != (ssize_t)size)
                __builtin_trap();
            snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
            (void)bh_imgsrc_open(&a, path, &s, &err);
        }
        if (s) {
            n = bh_imgsrc_count(s);
            /* last first, so a gzip source restarts its decoder */
            for (i = n; i > 0 && n - i < FUZZ_MAX_READS; i--)
                touch(s, &a, bh_imgsrc_name(s, i - 1, NULL));
            for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                touch(s, &a, names[i]);
            (void)bh_imgsrc_kind_name(bh_imgsrc_kind(s));
            bh_imgsrc_close(s);
        }
        if (fd >= 0)
            close(fd);
        bh_arena_release(&a);
    }
    return 0;
}
