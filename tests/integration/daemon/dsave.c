/*
 * dsave.c - test driver for input/daemon.c. `dsave [-H HOST] NAME` writes the engine's
 * `docker save` stream of NAME to stdout through bh_daemon_addr + bh_daemon_image_stream;
 * `dsave -a [HOST]` prints what bh_daemon_addr made of HOST (or $DOCKER_HOST). Errors go to
 * stderr as "dsave: MESSAGE"; exit 2 for an error the user can fix (bulkhead's code for an
 * unreadable target), 3 for anything else.
 */
#include "core/arena.h"
#include "core/err.h"
#include "core/reader.h"
#include "input/daemon.h"
#include "net/http.h"

#include <stdio.h>
#include <string.h>

#define ARENA_MAX (64u * 1024u * 1024u)
#define CHUNK (64u * 1024u)

static int fail(const struct bh_err *e)
{
    fprintf(stderr, "dsave: %s\n", e->msg);
    return (e->code == BH_EUSAGE || e->code == BH_EIO || e->code == BH_EPARSE) ? 2 : 3;
}

static int print_addr(struct bh_arena *a, const char *host)
{
    struct bh_engine_addr ad;
    struct bh_err e;
    bh_err_init(&e);
    if (bh_daemon_addr(a, host, &ad, &e) != 0)
        return fail(&e);
    printf("unix=%s url=%s ca=%s cert=%s key=%s\n", ad.unix_socket ? ad.unix_socket : "-",
           ad.base_url ? ad.base_url : "-", ad.ca_file ? ad.ca_file : "-",
           ad.client_cert ? ad.client_cert : "-", ad.client_key ? ad.client_key : "-");
    return 0;
}

static int save(struct bh_arena *a, const char *host, const char *name)
{
    struct bh_engine_addr ad;
    struct bh_reader rd;
    struct bh_err e;
    static unsigned char buf[CHUNK];
    int rc = 0;
    bh_err_init(&e);
    if (bh_daemon_addr(a, host, &ad, &e) != 0 || bh_daemon_image_stream(a, &ad, name, &rd, &e) != 0)
        return fail(&e);
    for (;;) {
        size_t got = 0;
        if (rd.read(rd.ctx, buf, sizeof(buf), &got, &e) != 0) {
            rc = fail(&e);
            break;
        }
        if (got == 0)
            break;
        if (fwrite(buf, 1, got, stdout) != got) {
            fprintf(stderr, "dsave: write error\n");
            rc = 3;
            break;
        }
    }
    bh_reader_close(&rd);
    if (fflush(stdout) != 0 && rc == 0) {
        fprintf(stderr, "dsave: write error\n");
        rc = 3;
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct bh_arena a;
    struct bh_err e;
    int rc;
    bh_err_init(&e);
    if (argc >= 2 && strcmp(argv[1], "-a") == 0 && argc <= 3) {
        bh_arena_init(&a, ARENA_MAX);
        rc = print_addr(&a, argc == 3 ? argv[2] : NULL);
        bh_arena_release(&a);
        return rc;
    }
    const char *host = NULL;
    int i = 1;
    if (argc >= 3 && strcmp(argv[1], "-H") == 0) {
        host = argv[2];
        i = 3;
    }
    if (argc != i + 1) {
        fprintf(stderr, "usage: dsave [-H HOST] NAME | dsave -a [HOST]\n");
        return 2;
    }
    if (bh_http_init(&e) != 0)
        return fail(&e);
    bh_arena_init(&a, ARENA_MAX);
    rc = save(&a, host, argv[i]);
    bh_arena_release(&a);
    bh_http_cleanup();
    return rc;
}
