/*
 * regfetch.c - test driver for the registry integration test: resolves a reference with
 * bh_registry_resolve and streams every layer through bh_registry_open_layer, printing the
 * digests it saw; or issues one bh_http_get / bh_http_open request. Not part of bulkhead.
 *
 *   regfetch image [--insecure] [--user U --pass P] [--docker-config F] [--platform P] REF
 *   regfetch http [--stream] [--follow] [--drop-auth] [-H "Name: value"]... URL
 *
 * Errors go to stderr as "error: <kind>: <message>" with exit status 2.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "input/layer.h"
#include "input/registry.h"
#include "net/http.h"

#define MAX_HEADERS 8
#define LAYER_MAX (1024u * 1024u * 1024u)

static int fail(const struct bh_err *e)
{
    fprintf(stderr, "error: %s: %s\n", bh_err_name(e->code), e->msg);
    return 2;
}

/* Read a whole stream in small, odd-sized pieces so pausing and resuming is exercised. */
static int drain(struct bh_reader *rd, struct bh_buf *b, struct bh_err *err)
{
    char piece[1000];

    for (;;) {
        size_t got = 0;
        int rc = rd->read(rd->ctx, piece, sizeof piece, &got, err);

        if (rc < 0)
            return rc;
        if (got == 0)
            return 0;
        bh_buf_append(b, piece, got);
        if (b->failed)
            return bh_err_set(err, BH_ELIMIT, NULL, 0, 0, "stream too big for the test driver");
    }
}

static int cmd_image(struct bh_arena *a, int argc, char **argv)
{
    struct bh_registry_opts o = {0};
    struct bh_registry_image *img = NULL;
    struct bh_err err;
    const char *ref = NULL;

    bh_err_init(&err);
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--insecure") == 0)
            o.insecure = true;
        else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
            o.username = argv[++i];
        else if (strcmp(argv[i], "--pass") == 0 && i + 1 < argc)
            o.password = argv[++i];
        else if (strcmp(argv[i], "--docker-config") == 0 && i + 1 < argc)
            o.docker_config = argv[++i];
        else if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
            o.platform = argv[++i];
        else
            ref = argv[i];
    }
    if (ref == NULL) {
        fprintf(stderr, "usage: regfetch image [options] REF\n");
        return 2;
    }
    if (bh_registry_resolve(a, ref, &o, &img, &err) != 0)
        return fail(&err);
    printf("registry %s\nrepository %s\nmanifest %s\nindex %s\nconfig %s\n", img->registry,
           img->repository, img->manifest_digest,
           img->index_digest != NULL ? img->index_digest : "-", img->manifest.config.digest);
    {
        char cd[80];

        bh_layer_sha256(img->config, img->config_len, cd);
        printf("config-sha256 %s\n", cd);
    }
    for (size_t i = 0; i < img->manifest.nlayers; i++) {
        struct bh_reader rd;
        struct bh_buf b;
        char d[80];
        int rc;

        bh_buf_init(&b, LAYER_MAX);
        rc = bh_registry_open_layer(img, a, i, &rd, &err);
        if (rc == 0) {
            rc = drain(&rd, &b, &err);
            bh_reader_close(&rd);
        }
        if (rc != 0) {
            bh_buf_release(&b);
            return fail(&err);
        }
        bh_layer_sha256(b.ptr != NULL ? b.ptr : "", b.len, d);
        printf("layer %zu %s %s %zu\n", i, img->manifest.layers[i].digest, d, b.len);
        bh_buf_release(&b);
    }
    return 0;
}

static int cmd_http(struct bh_arena *a, int argc, char **argv)
{
    const char *headers[MAX_HEADERS + 1] = {0};
    struct bh_http_req rq = {0};
    struct bh_http_resp resp;
    struct bh_err err;
    bool stream = false;
    size_t nh = 0;
    char d[80];

    bh_err_init(&err);
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--stream") == 0)
            stream = true;
        else if (strcmp(argv[i], "--follow") == 0)
            rq.follow_redirects = true;
        else if (strcmp(argv[i], "--drop-auth") == 0)
            rq.drop_auth_on_redirect = true;
        else if (strcmp(argv[i], "--head") == 0)
            rq.head = true;
        else if (strcmp(argv[i], "-H") == 0 && i + 1 < argc && nh < MAX_HEADERS)
            headers[nh++] = argv[++i];
        else
            rq.url = argv[i];
    }
    rq.headers = headers;
    if (stream) {
        struct bh_reader rd;
        struct bh_buf b;
        int rc;

        if (bh_http_open(a, &rq, &resp, &rd, &err) != 0)
            return fail(&err);
        bh_buf_init(&b, LAYER_MAX);
        rc = drain(&rd, &b, &err);
        bh_reader_close(&rd);
        if (rc != 0) {
            bh_buf_release(&b);
            return fail(&err);
        }
        bh_layer_sha256(b.ptr != NULL ? b.ptr : "", b.len, d);
        printf("status %ld\nbytes %zu\nsha256 %s\n", resp.status, b.len, d);
        bh_buf_release(&b);
    } else {
        char *body = NULL;
        size_t len = 0;

        if (bh_http_get(a, &rq, 64u * 1024u * 1024u, &resp, &body, &len, &err) != 0)
            return fail(&err);
        bh_layer_sha256(body != NULL ? body : "", len, d);
        printf("status %ld\nbytes %zu\nsha256 %s\n", resp.status, len, d);
    }
    printf("content-length %lld\ncontent-type %s\nlocation %s\neffective-url %s\n",
           (long long)resp.content_length, resp.content_type ? resp.content_type : "-",
           resp.location ? resp.location : "-", resp.effective_url ? resp.effective_url : "-");
    return 0;
}

int main(int argc, char **argv)
{
    struct bh_arena a;
    struct bh_err err;
    int rc;

    if (argc < 2) {
        fprintf(stderr, "usage: regfetch image|http ...\n");
        return 2;
    }
    bh_err_init(&err);
    if (bh_http_init(&err) != 0)
        return fail(&err);
    bh_arena_init(&a, (size_t)4 << 30);
    if (strcmp(argv[1], "image") == 0)
        rc = cmd_image(&a, argc - 2, argv + 2);
    else if (strcmp(argv[1], "http") == 0)
        rc = cmd_http(&a, argc - 2, argv + 2);
    else {
        fprintf(stderr, "usage: regfetch image|http ...\n");
        rc = 2;
    }
    bh_arena_release(&a);
    bh_http_cleanup();
    return rc;
}
