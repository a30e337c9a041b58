/*
 * vuln_bench.c - benchmark driver for bench/vuln.sh.
 *   vuln-bench match DB PKGS.tsv [OS_ID OS_VERSION] [RUNS]
 *       open DB + bh_vuln_match over the packages of PKGS.tsv (kind<TAB>name<TAB>version
 *       [<TAB>source name]), RUNS times; then the floor: open DB + one bh_vulndb_lookup per
 *       package with no range evaluation. Prints medians in milliseconds and the ratio.
 *   vuln-bench parse FILE...
 *       the build floor: read and parse every JSON file (input/json.h), no database.
 */
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/json.h"
#include "model/package.h"
#include "vuln/match.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int kind_of(const char *s, enum bh_pkg_kind *k)
{
    static const struct {
        const char *n;
        enum bh_pkg_kind k;
    } t[] = {{"deb", BH_PKG_DPKG},   {"apk", BH_PKG_APK},       {"rpm", BH_PKG_RPM},
             {"npm", BH_PKG_NPM},    {"pypi", BH_PKG_PYPI},     {"golang", BH_PKG_GO},
             {"maven", BH_PKG_MAVEN}, {"cargo", BH_PKG_CARGO},  {"gem", BH_PKG_GEM},
             {"composer", BH_PKG_COMPOSER}};
    size_t i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(s, t[i].n)) {
            *k = t[i].k;
            return 0;
        }
    return -1;
}

static char *dup_field(struct bh_arena *a, const char *s, size_t n)
{
    return bh_arena_strndup(a, s, n);
}

static int load_pkgs(struct bh_arena *a, const char *path, struct bh_packages *out)
{
    FILE *f = fopen(path, "r");
    char line[4096];

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        char *fld[4] = {0};
        size_t lens[4] = {0};
        char *p = line;
        int nf = 0;
        struct bh_package *pk;
        char kbuf[32];

        line[strcspn(line, "\n")] = '\0';
        while (nf < 4) {
            char *tab = strchr(p, '\t');

            fld[nf] = p;
            lens[nf] = tab ? (size_t)(tab - p) : strlen(p);
            nf++;
            if (!tab)
                break;
            p = tab + 1;
        }
        if (nf < 3 || lens[0] >= sizeof(kbuf))
            continue;
        pk = BH_PUSH(a, out->v, out->n, out->cap);
        if (!pk)
            return -1;
        memset(pk, 0, sizeof(*pk));
        memcpy(kbuf, fld[0], lens[0]);
        kbuf[lens[0]] = '\0';
        if (kind_of(kbuf, &pk->kind))
            return -1;
        pk->name = dup_field(a, fld[1], lens[1]);
        pk->version = dup_field(a, fld[2], lens[2]);
        pk->src_name = nf > 3 ? dup_field(a, fld[3], lens[3]) : NULL;
        pk->path = "bench";
        pk->layer = -1;
    }
    fclose(f);
    return 0;
}

static int cmd_match(int argc, char **argv)
{
    struct bh_arena a;
    struct bh_packages pkgs = {0};
    struct bh_osinfo os;
    struct bh_err err;
    long long nruns = 21;
    int runs, r;
    double *tm, *tf, *to;
    size_t matches = 0, i;

    if (argc > 5 && bh_parse_int(argv[5], strlen(argv[5]), 1, 1000, &nruns) != 0)
        return 2;
    runs = (int)nruns;
    memset(&os, 0, sizeof(os));
    if (argc > 4) {
        os.id = argv[3];
        os.version_id = argv[4];
    }
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    if (load_pkgs(&a, argv[2], &pkgs)) {
        fprintf(stderr, "vuln-bench: cannot read %s\n", argv[2]);
        return 2;
    }
    tm = calloc((size_t)runs, sizeof(double));
    tf = calloc((size_t)runs, sizeof(double));
    to = calloc((size_t)runs, sizeof(double));
    for (r = 0; r < runs; r++) {
        struct bh_arena ma;
        struct bh_vulndb *db = NULL;
        struct bh_vulnmatches m = {0};
        double t0 = now_ms();

        bh_arena_init(&ma, BH_MAX_SCAN_ARENA);
        if (bh_vulndb_open(argv[1], &db, &err) || bh_vuln_match(&ma, db, &pkgs, &os, &m, &err)) {
            fprintf(stderr, "vuln-bench: %s\n", err.msg);
            return 2;
        }
        bh_vulndb_close(db);
        tm[r] = now_ms() - t0;
        matches = m.n;
        bh_arena_release(&ma);
    }
    for (r = 0; r < runs; r++) {
        struct bh_arena ma;
        struct bh_vulndb *db = NULL;
        double t0 = now_ms();

        bh_arena_init(&ma, BH_MAX_SCAN_ARENA);
        if (bh_vulndb_open(argv[1], &db, &err)) {
            fprintf(stderr, "vuln-bench: %s\n", err.msg);
            return 2;
        }
        for (i = 0; i < pkgs.n; i++) {
            struct bh_vulnkey k;
            struct bh_advisory *adv = NULL;
            size_t n = 0;

            if (!bh_vuln_key(&ma, &pkgs.v[i], os.id ? &os : NULL, &k))
                continue;
            if (bh_vulndb_lookup(db, &ma, k.ecosystem, k.name, &adv, &n, &err)) {
                fprintf(stderr, "vuln-bench: %s\n", err.msg);
                return 2;
            }
        }
        bh_vulndb_close(db);
        tf[r] = now_ms() - t0;
        bh_arena_release(&ma);
    }
    for (r = 0; r < runs; r++) {
        struct bh_vulndb *db = NULL;
        double t0 = now_ms();

        if (bh_vulndb_open(argv[1], &db, &err)) {
            fprintf(stderr, "vuln-bench: %s\n", err.msg);
            return 2;
        }
        bh_vulndb_close(db);
        to[r] = now_ms() - t0;
    }
    printf("packages %zu matches %zu runs %d\n", pkgs.n, matches, runs);
    printf("open alone median %.2f ms\n", median(to, runs));
    printf("open+match median %.2f ms\n", median(tm, runs));
    printf("floor open+lookups median %.2f ms\n", median(tf, runs));
    printf("ratio %.2f\n", median(tm, runs) / median(tf, runs));
    free(tm);
    free(tf);
    free(to);
    bh_arena_release(&a);
    return 0;
}

static int cmd_parse(int argc, char **argv)
{
    struct bh_arena a;
    struct bh_err err;
    size_t files = 0, bytes = 0;
    double t0 = now_ms();
    int i;

    bh_err_init(&err);
    for (i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        char *buf;
        long n;
        struct bh_jnode *root;

        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            bh_arena_init(&a, BH_MAX_SCAN_ARENA);
            if (bh_json_parse(&a, argv[i], buf, (size_t)n, &root, &err) == 0)
                files++;
            bh_arena_release(&a);
            bytes += (size_t)n;
        }
        free(buf);
        fclose(f);
    }
    printf("parsed %zu files %zu bytes in %.1f ms\n", files, bytes, now_ms() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "match"))
        return cmd_match(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "parse"))
        return cmd_parse(argc, argv);
    fprintf(stderr, "usage: vuln-bench match DB PKGS.tsv [OS_ID OS_VERSION] [RUNS] | "
                    "vuln-bench parse FILE...\n");
    return 2;
}
