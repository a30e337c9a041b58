/*
 * secretscan_bench.c - throughput of the secret scanner (input/secretscan.c) over real
 * text: reads the files named on the command line, cuts them into pieces of at most
 * BH_MAX_SECRET_SCAN_BYTES (the per-file bound layer workers use), scans every text piece
 * R times and prints MB/s next to a floor (one memchr pass over the same bytes).
 * Usage: secretscan-bench [-v] [-r R] FILE...   (-v prints every hit)
 */
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/secretscan.h"

#include <time.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct piece {
    const char *name;
    char *data;
    size_t len;
};

int main(int argc, char **argv)
{
    struct piece *pieces = NULL;
    size_t npieces = 0, cap = 0, total = 0, hits = 0, i, lines = 0;
    int r, reps = 3, verbose = 0, argi = 1;
    struct bh_secretscan *db = NULL;
    struct bh_secretscratch *sc = NULL;
    struct bh_err err;
    double t0, t_scan, t_floor;

    while (argi < argc && argv[argi][0] == '-') {
        if (strcmp(argv[argi], "-v") == 0) {
            verbose = 1;
            argi++;
        } else if (strcmp(argv[argi], "-r") == 0 && argi + 1 < argc) {
            reps = (int)strtol(argv[argi + 1], NULL, 10);
            argi += 2;
        } else {
            fprintf(stderr, "usage: secretscan-bench [-v] [-r R] FILE...\n");
            return 2;
        }
    }
    for (; argi < argc; argi++) {
        FILE *f = fopen(argv[argi], "rb");
        size_t got;

        if (!f) {
            perror(argv[argi]);
            return 1;
        }
        for (;;) {
            char *buf = malloc(BH_MAX_SECRET_SCAN_BYTES);

            if (!buf)
                return 1;
            got = fread(buf, 1, BH_MAX_SECRET_SCAN_BYTES, f);
            if (got == 0) {
                free(buf);
                break;
            }
            if (npieces == cap) {
                cap = cap ? cap * 2 : 64;
                pieces = realloc(pieces, cap * sizeof(*pieces));
                if (!pieces)
                    return 1;
            }
            pieces[npieces].name = argv[argi];
            pieces[npieces].data = buf;
            pieces[npieces].len = got;
            npieces++;
            total += got;
        }
        fclose(f);
    }
    bh_err_init(&err);
    if (bh_secretscan_new(&db, &err) != 0 || bh_secretscan_scratch(db, &sc, &err) != 0) {
        fprintf(stderr, "secretscan: %s\n", err.msg);
        return 1;
    }
    t0 = now();
    for (r = 0; r < reps; r++) {
        for (i = 0; i < npieces; i++) {
            const char *p = pieces[i].data, *e = p + pieces[i].len;

            while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
                lines++;
                p++;
            }
        }
    }
    t_floor = now() - t0;
    t0 = now();
    for (r = 0; r < reps; r++) {
        for (i = 0; i < npieces; i++) {
            struct bh_arena a;
            struct bh_secretmatch *m = NULL;
            size_t n = 0, k;

            if (!bh_secretscan_is_text(pieces[i].data, pieces[i].len))
                continue;
            bh_arena_init(&a, 64u << 20);
            if (bh_secretscan_buf(db, sc, &a, pieces[i].name, pieces[i].data, pieces[i].len, &m, &n,
                                  &err) != 0) {
                fprintf(stderr, "secretscan: %s\n", err.msg);
                return 1;
            }
            if (r == 0) {
                hits += n;
                for (k = 0; verbose && k < n; k++)
                    printf("%s:%d: %s: %s\n", pieces[i].name, m[k].line, m[k].kind, m[k].excerpt);
            }
            bh_arena_release(&a);
        }
    }
    t_scan = now() - t0;
    printf("bytes %zu pieces %zu reps %d hits %zu (lines %zu)\n", total, npieces, reps, hits,
           lines / (size_t)(reps ? reps : 1));
    printf("secretscan %.1f MB/s, floor (memchr) %.1f MB/s\n", (double)total * reps / 1e6 / t_scan,
           (double)total * reps / 1e6 / t_floor);
    bh_secretscratch_free(sc);
    bh_secretscan_free(db);
    for (i = 0; i < npieces; i++)
        free(pieces[i].data);
    free(pieces);
    return 0;
}
