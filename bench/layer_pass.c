/*
 * layer_pass.c - benchmark driver for the layer pass (bench/image.sh): runs bh_layer_scan over
 * every file named on the command line, one after another on one thread, with a sink that
 * pulls every file's content, and prints bytes, entries and seconds. It measures the pass
 * alone: no collector, no secret scan, no image merge.
 *   layer-pass [-v] FILE...
 */
#include "core/reader.h"
#include "input/layer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fd_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    int fd = *(int *)ctx;
    ssize_t n;

    do
        n = read(fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "read: %s", strerror(errno));
    *got = (size_t)n;
    return 0;
}

static int pull(void *ctx, const struct bh_layer_entry *e, struct bh_layer_content *c,
                struct bh_err *err)
{
    static unsigned char buf[256 * 1024];
    uint64_t *content = ctx;

    (void)e;
    while (c) {
        size_t got = 0;
        int rc = bh_layer_content_read(c, buf, sizeof(buf), &got, err);
        if (rc)
            return rc;
        if (got == 0)
            break;
        *content += got;
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t in = 0, out = 0, entries = 0, content = 0;
    struct timespec t0, t1;
    int i, verbose = 0;
    double secs;

    if (argc > 1 && !strcmp(argv[1], "-v")) {
        verbose = 1;
        argv++;
        argc--;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: layer-pass [-v] FILE...\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 1; i < argc; i++) {
        struct bh_layer_sink sink = {pull, NULL, &content};
        struct bh_layer_stats st;
        struct bh_reader rd = {fd_read, NULL, NULL, argv[i]};
        struct bh_err err;
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC), rc;

        if (fd < 0) {
            fprintf(stderr, "layer-pass: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        rd.ctx = &fd;
        bh_err_init(&err);
        rc = bh_layer_scan(&rd, BH_LAYER_COMP_UNKNOWN, argv[i], &sink, &st, &err);
        close(fd);
        if (rc) {
            fprintf(stderr, "layer-pass: %s\n", err.msg);
            return 1;
        }
        in += st.bytes_in;
        out += st.bytes_out;
        entries += st.entries;
        if (verbose)
            printf("%s %s %s %s %llu entries\n", argv[i], bh_layer_comp_name(st.comp), st.digest,
                   st.diff_id, (unsigned long long)st.entries);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("in_bytes %llu out_bytes %llu entries %llu content_bytes %llu seconds %.3f\n",
           (unsigned long long)in, (unsigned long long)out, (unsigned long long)entries,
           (unsigned long long)content, secs);
    return 0;
}
