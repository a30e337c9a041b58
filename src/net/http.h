/*
 * http.h - the HTTP client: GET (and HEAD) only, over TCP, TLS or a unix socket,
 * with bodies either read whole into the arena (bounded) or pulled as a stream
 * (struct bh_reader) that never holds them whole. The only module that includes
 * libcurl. There is deliberately no way to issue any other method: bulkhead
 * never changes what it audits (see bh_http_methods).
 */
#ifndef BH_HTTP_H
#define BH_HTTP_H

#include "core/err.h"
#include "core/reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bh_arena;

struct bh_http_req {
    const char *url;                      /* "http://...", "https://..."; with unix_socket the host
                                             part is ignored ("http://localhost/v1.41/_ping") */
    const char *unix_socket;              /* path of a unix socket to connect to, or NULL */
    const char *const *headers;           /* "Name: value" lines, NULL-terminated; may be NULL */
    bool head;                            /* HEAD instead of GET */
    bool follow_redirects;                /* up to BH_MAX_HTTP_REDIRECTS, also across hosts */
    bool drop_auth_on_redirect;           /* do not send Authorization to a redirect target */
    const char *ca_file;                  /* TLS: trust these CAs, or NULL for the system store */
    const char *client_cert, *client_key; /* TLS client authentication, or NULL */
    long timeout_s;                       /* whole request for bh_http_get, connect for streams; 0 =
                                             default (60 s) */
};

struct bh_http_resp {
    long status;                  /* 200, 401, ... */
    const char *www_authenticate; /* header values in the arena, or NULL */
    const char *content_type;
    const char *docker_content_digest;
    const char *location;
    int64_t content_length;    /* -1 when not sent */
    const char *effective_url; /* after redirects */
};

/* Global init (curl_global_init); call once from main before threads start. */
int bh_http_init(struct bh_err *err);
void bh_http_cleanup(void);

/*
 * One request; the body is read whole into the arena (NUL-terminated; *body and *len
 * may be NULL for HEAD). A body over max is BH_ELIMIT. Any status is returned in resp
 * (the caller decides); transport failures are BH_EIO naming the URL.
 */
int bh_http_get(struct bh_arena *a, const struct bh_http_req *rq, size_t max,
                struct bh_http_resp *resp, char **body, size_t *len, struct bh_err *err);

/*
 * Start a request and return once the response headers are in (resp filled); the body
 * is then pulled from *out, in bounded memory (the transfer pauses while the reader is
 * not read). Close *out with bh_reader_close. Each stream has its own connection, so
 * streams may be read from different threads.
 */
int bh_http_open(struct bh_arena *a, const struct bh_http_req *rq, struct bh_http_resp *resp,
                 struct bh_reader *out, struct bh_err *err);

/* The request methods this client can send, NULL-terminated: {"GET", "HEAD", NULL}. */
const char *const *bh_http_methods(void);

#endif
