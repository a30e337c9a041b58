/*
 * http.c - the HTTP client over libcurl: GET and HEAD only. Every request is one easy handle
 * in its own multi handle, so a body can be pulled in bounded memory: the write callback
 * takes one chunk and pauses the transfer until the reader has drained it. Redirects are
 * followed here, not by libcurl, so whether Authorization crosses a hop is decided in one
 * place. It knows nothing of registries or Docker; callers interpret statuses and headers.
 */
#include "net/http.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"

#include <curl/curl.h>

#include <time.h>

/* Default connect (stream) or whole-request (bh_http_get) timeout. */
#define DEFAULT_TIMEOUT_S 60L
/* How long curl_multi_poll waits before we look at the stall clock again (ms). */
#define POLL_MS 1000
/* A write callback hands us at most CURL_MAX_WRITE_SIZE; anything bigger is a libcurl change
 * we refuse rather than buffer without bound. */
#define CHUNK_MAX (4u * 1024u * 1024u)

static const char *const methods[] = {"GET", "HEAD", NULL};

struct stream {
    CURL *easy;
    CURLM *multi;
    struct curl_slist *hdrs;
    struct bh_arena *a;
    const char *url_msg; /* the URL as named in messages: no userinfo, no query */
    /* staging: the bytes of one write callback, handed out by st_read */
    char *chunk;
    size_t chunk_cap, clen, cpos;
    bool paused;       /* the write callback refused a chunk; unpause before waiting */
    bool done;         /* CURLMSG_DONE seen */
    bool headers_done; /* the final response's header block ended */
    bool cb_failed;    /* a callback failed (out of memory, oversized chunk) */
    CURLcode result;
    long status; /* of the response whose headers are being read */
    /* captured headers of the current response (arena strings) */
    const char *www_authenticate, *content_type, *docker_content_digest, *location;
    int64_t content_length;
    char errbuf[CURL_ERROR_SIZE];
};

int bh_http_init(struct bh_err *err)
{
    CURLcode c = curl_global_init(CURL_GLOBAL_DEFAULT);

    if (c != CURLE_OK)
        return bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "cannot initialise libcurl: %s",
                          curl_easy_strerror(c));
    return 0;
}

void bh_http_cleanup(void)
{
    curl_global_cleanup();
}

const char *const *bh_http_methods(void)
{
    return methods;
}

/*
 * The URL as it may appear in a message: "user:password@" and the query are cut, since
 * a redirect target (a signed storage URL) carries credentials there.
 */
static const char *url_for_msg(struct bh_arena *a, const char *url)
{
    const char *sep = strstr(url, "://");
    const char *host = sep != NULL ? sep + 3 : url;
    size_t hostlen = strcspn(host, "/?#");
    const char *at = memchr(host, '@', hostlen);
    const char *rest = host + hostlen;
    size_t restlen = strcspn(rest, "?#");
    const char *r;

    if (at != NULL) {
        hostlen -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    r = bh_arena_printf(a, "%.*s%.*s%.*s%s", (int)(sep != NULL ? sep + 3 - url : 0), url,
                        (int)hostlen, host, (int)restlen, rest,
                        rest[restlen] != '\0' ? "?..." : "");
    return r != NULL ? r : "(url)";
}

static void cut_space(const char **p, size_t *n)
{
    while (*n > 0 && ((*p)[0] == ' ' || (*p)[0] == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r' ||
                      (*p)[*n - 1] == '\n'))
        (*n)--;
}

static void reset_headers(struct stream *s)
{
    s->www_authenticate = NULL;
    s->content_type = NULL;
    s->docker_content_digest = NULL;
    s->location = NULL;
    s->content_length = -1;
    s->headers_done = false;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct stream *s = ud;
    size_t len = size * n, namelen;
    const char *colon, *v;
    size_t vlen;
    const char **slot = NULL;

    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        /* a new response (1xx, or the final one): forget what the last one said */
        const char *sp = memchr(p, ' ', len);
        long long code = 0;

        reset_headers(s);
        s->status = 0;
        if (sp != NULL && (size_t)(sp - p) + 4 <= len &&
            bh_parse_int(sp + 1, 3, 100, 999, &code) == 0)
            s->status = (long)code;
        return len;
    }
    if ((len == 2 && p[0] == '\r') || (len == 1 && p[0] == '\n')) {
        if (s->status >= 200)
            s->headers_done = true;
        return len;
    }
    colon = memchr(p, ':', len);
    if (colon == NULL)
        return len;
    namelen = (size_t)(colon - p);
    v = colon + 1;
    vlen = len - namelen - 1;
    cut_space(&v, &vlen);
    if (bh_str_ieqn(p, namelen, "www-authenticate"))
        slot = &s->www_authenticate;
    else if (bh_str_ieqn(p, namelen, "content-type"))
        slot = &s->content_type;
    else if (bh_str_ieqn(p, namelen, "docker-content-digest"))
        slot = &s->docker_content_digest;
    else if (bh_str_ieqn(p, namelen, "location"))
        slot = &s->location;
    else if (bh_str_ieqn(p, namelen, "content-length")) {
        long long cl;

        if (bh_parse_int(v, vlen, 0, INT64_MAX, &cl) == 0)
            s->content_length = cl;
        return len;
    }
    if (slot == NULL)
        return len;
    if (*slot != NULL && slot != &s->www_authenticate)
        return len; /* the first of a repeated header counts */
    if (vlen + (*slot != NULL ? strlen(*slot) + 2 : 0) > BH_MAX_HTTP_HEADER_VALUE)
        return len;
    if (*slot != NULL) {
        /* repeated challenges combine into one list (RFC 9110 5.3) */
        *slot = bh_arena_printf(s->a, "%s, %.*s", *slot, (int)vlen, v);
    } else {
        *slot = bh_arena_strndup(s->a, v, vlen);
    }
    if (*slot == NULL) {
        s->cb_failed = true;
        return 0;
    }
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct stream *s = ud;
    size_t len = size * n;

    if (s->cpos < s->clen) {
        /* the last chunk is still unread: hold the transfer; curl hands this one back */
        s->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    if (len > s->chunk_cap) {
        char *bigger = len <= CHUNK_MAX ? bh_arena_alloc(s->a, len) : NULL;

        if (bigger == NULL) {
            s->cb_failed = true;
            return 0;
        }
        s->chunk = bigger;
        s->chunk_cap = len;
    }
    memcpy(s->chunk, p, len);
    s->clen = len;
    s->cpos = 0;
    return len;
}

static int transport_error(struct stream *s, struct bh_err *err)
{
    if (s->cb_failed)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "cannot fetch '%s': out of memory",
                          s->url_msg);
    return bh_err_set(err, BH_EIO, NULL, 0, 0, "cannot fetch '%s': %s", s->url_msg,
                      s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(s->result));
}

/* Let curl move; returns once something changed or POLL_MS passed. */
static int pump(struct stream *s, struct bh_err *err)
{
    int running = 0, left = 0;
    CURLMcode mc = curl_multi_perform(s->multi, &running);
    CURLMsg *m;

    if (mc != CURLM_OK)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "cannot fetch '%s': %s", s->url_msg,
                          curl_multi_strerror(mc));
    while ((m = curl_multi_info_read(s->multi, &left)) != NULL) {
        if (m->msg == CURLMSG_DONE) {
            s->done = true;
            s->result = m->data.result;
        }
    }
    if (s->done || s->cpos < s->clen || s->headers_done)
        return 0;
    mc = curl_multi_poll(s->multi, NULL, 0, POLL_MS, NULL);
    if (mc != CURLM_OK)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "cannot fetch '%s': %s", s->url_msg,
                          curl_multi_strerror(mc));
    return 0;
}

static void st_close(void *ctx)
{
    struct stream *s = ctx;

    if (s == NULL)
        return;
    if (s->multi != NULL && s->easy != NULL)
        curl_multi_remove_handle(s->multi, s->easy);
    if (s->easy != NULL)
        curl_easy_cleanup(s->easy);
    if (s->multi != NULL)
        curl_multi_cleanup(s->multi);
    curl_slist_free_all(s->hdrs);
    s->easy = NULL;
    s->multi = NULL;
    s->hdrs = NULL;
}

static int st_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct stream *s = ctx;
    time_t start = time(NULL);
    int rc;

    *got = 0;
    for (;;) {
        if (s->cpos < s->clen) {
            size_t n = s->clen - s->cpos;

            if (n > cap)
                n = cap;
            memcpy(buf, s->chunk + s->cpos, n);
            s->cpos += n;
            *got = n;
            return 0;
        }
        if (s->cb_failed)
            return transport_error(s, err);
        if (s->done) {
            if (s->result != CURLE_OK)
                return transport_error(s, err);
            return 0;
        }
        if (s->paused) {
            CURLcode c;

            /* may call on_body before it returns, refilling the staging chunk */
            s->paused = false;
            c = curl_easy_pause(s->easy, CURLPAUSE_CONT);
            if (c != CURLE_OK) {
                s->result = c;
                s->done = true;
                return transport_error(s, err);
            }
            continue;
        }
        if (time(NULL) - start > (time_t)BH_HTTP_STALL_S)
            return bh_err_set(err, BH_EIO, NULL, 0, 0,
                              "cannot fetch '%s': no data for %u s (BH_HTTP_STALL_S)", s->url_msg,
                              (unsigned)BH_HTTP_STALL_S);
        rc = pump(s, err);
        if (rc < 0)
            return rc;
    }
}

/* Is the header line an Authorization header? */
static bool is_auth_header(const char *h)
{
    return bh_str_iprefix(h, "authorization:");
}

/*
 * Start one request (no redirects) and wait for the final response's headers. On success
 * *out is a live stream that must be closed with st_close.
 */
static int start(struct bh_arena *a, const struct bh_http_req *rq, const char *url, bool with_auth,
                 bool whole_timeout, struct stream **out, struct bh_err *err)
{
    struct stream *s = bh_arena_alloc(a, sizeof *s);
    long timeout = rq->timeout_s > 0 ? rq->timeout_s : DEFAULT_TIMEOUT_S;
    bool ok = true;

    *out = NULL;
    if (s == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    s->a = a;
    s->url_msg = url_for_msg(a, url);
    s->content_length = -1;
    s->chunk_cap = CURL_MAX_WRITE_SIZE;
    s->chunk = bh_arena_alloc(a, s->chunk_cap);
    s->easy = curl_easy_init();
    s->multi = curl_multi_init();
    if (s->chunk == NULL || s->easy == NULL || s->multi == NULL) {
        st_close(s);
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "cannot fetch '%s': out of memory",
                          s->url_msg);
    }
    for (const char *const *h = rq->headers; h != NULL && *h != NULL; h++) {
        struct curl_slist *n;

        if (!with_auth && is_auth_header(*h))
            continue;
        n = curl_slist_append(s->hdrs, *h);
        if (n == NULL) {
            ok = false;
            break;
        }
        s->hdrs = n;
    }
    /* Only GET and HEAD: nothing here can set a method, a body or an upload. */
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_URL, url) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_USERAGENT, "bulkhead") == CURLE_OK;
    /* Each stream has its own connection, so HTTP/2 multiplexing buys nothing, while pausing
     * an HTTP/2 stream depends on window handling that has had stalls in libcurl. */
    ok = ok &&
         curl_easy_setopt(s->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s) == CURLE_OK;
    ok = ok && curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT, timeout) == CURLE_OK;
    if (whole_timeout)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_TIMEOUT, timeout) == CURLE_OK;
    if (rq->head)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_NOBODY, 1L) == CURLE_OK;
    else
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_HTTPGET, 1L) == CURLE_OK;
    if (s->hdrs != NULL)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdrs) == CURLE_OK;
    if (rq->unix_socket != NULL)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_UNIX_SOCKET_PATH, rq->unix_socket) == CURLE_OK;
    if (rq->ca_file != NULL)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_CAINFO, rq->ca_file) == CURLE_OK;
    if (rq->client_cert != NULL)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_SSLCERT, rq->client_cert) == CURLE_OK;
    if (rq->client_key != NULL)
        ok = ok && curl_easy_setopt(s->easy, CURLOPT_SSLKEY, rq->client_key) == CURLE_OK;
    ok = ok && curl_multi_add_handle(s->multi, s->easy) == CURLM_OK;
    if (!ok) {
        st_close(s);
        return bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "cannot set up a request for '%s'",
                          s->url_msg);
    }
    while (!s->headers_done && !s->done && s->cpos >= s->clen && !s->cb_failed) {
        int rc = pump(s, err);

        if (rc < 0) {
            st_close(s);
            return rc;
        }
    }
    if (s->cb_failed || (s->done && s->result != CURLE_OK)) {
        int rc = transport_error(s, err);

        st_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

static bool is_redirect(long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* location resolved against base into an arena string, or NULL. */
static char *resolve_url(struct bh_arena *a, const char *base, const char *location)
{
    CURLU *u = curl_url();
    char *full = NULL, *r = NULL;

    if (u == NULL)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK)
        r = bh_arena_strdup(a, full);
    curl_free(full);
    curl_url_cleanup(u);
    return r;
}

/* The request with redirects followed (when asked); *out is the final response's stream. */
static int open_follow(struct bh_arena *a, const struct bh_http_req *rq, bool whole_timeout,
                       struct bh_http_resp *resp, struct stream **out, struct bh_err *err)
{
    const char *url = rq->url;
    bool with_auth = true;
    struct stream *s = NULL;
    unsigned hops = 0;
    int rc;

    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
    if (url == NULL || !(bh_str_iprefix(url, "http://") || bh_str_iprefix(url, "https://")))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "cannot fetch '%s': not an http(s) URL",
                          url != NULL ? url_for_msg(a, url) : "(null)");
    for (;;) {
        char *next;

        rc = start(a, rq, url, with_auth, whole_timeout, &s, err);
        if (rc < 0)
            return rc;
        if (!rq->follow_redirects || !is_redirect(s->status) || s->location == NULL)
            break;
        next = resolve_url(a, url, s->location);
        if (next == NULL) {
            rc = bh_err_set(err, BH_EIO, NULL, 0, 0,
                            "cannot fetch '%s': unusable redirect location", s->url_msg);
            st_close(s);
            return rc;
        }
        if (!(bh_str_iprefix(next, "http://") || bh_str_iprefix(next, "https://")) ||
            (bh_str_iprefix(url, "https://") && bh_str_iprefix(next, "http://"))) {
            /* never downgrade TLS on a server's say-so */
            rc = bh_err_set(err, BH_EIO, NULL, 0, 0, "cannot fetch '%s': refusing redirect to '%s'",
                            s->url_msg, url_for_msg(a, next));
            st_close(s);
            return rc;
        }
        if (++hops > BH_MAX_HTTP_REDIRECTS) {
            rc = bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                            "cannot fetch '%s': more than %u redirects (BH_MAX_HTTP_REDIRECTS)",
                            url_for_msg(a, rq->url), (unsigned)BH_MAX_HTTP_REDIRECTS);
            st_close(s);
            return rc;
        }
        if (rq->drop_auth_on_redirect)
            with_auth = false;
        st_close(s);
        url = next;
    }
    resp->status = s->status;
    resp->www_authenticate = s->www_authenticate;
    resp->content_type = s->content_type;
    resp->docker_content_digest = s->docker_content_digest;
    resp->location = s->location;
    resp->content_length = s->content_length;
    resp->effective_url = bh_arena_strdup(a, url);
    *out = s;
    return 0;
}

int bh_http_open(struct bh_arena *a, const struct bh_http_req *rq, struct bh_http_resp *resp,
                 struct bh_reader *out, struct bh_err *err)
{
    struct stream *s;
    int rc;

    memset(out, 0, sizeof *out);
    rc = open_follow(a, rq, false, resp, &s, err);
    if (rc < 0)
        return rc;
    out->read = st_read;
    out->close = st_close;
    out->ctx = s;
    out->label = s->url_msg;
    return 0;
}

int bh_http_get(struct bh_arena *a, const struct bh_http_req *rq, size_t max,
                struct bh_http_resp *resp, char **body, size_t *len, struct bh_err *err)
{
    struct stream *s;
    struct bh_buf b;
    char tmp[16384];
    int rc;

    if (body != NULL)
        *body = NULL;
    if (len != NULL)
        *len = 0;
    rc = open_follow(a, rq, true, resp, &s, err);
    if (rc < 0)
        return rc;
    /* one byte over max tells "too big" from "exactly max" */
    bh_buf_init(&b, max < SIZE_MAX ? max + 1 : max);
    for (;;) {
        size_t got = 0;

        rc = st_read(s, tmp, sizeof tmp, &got, err);
        if (rc < 0)
            goto out;
        if (got == 0)
            break;
        bh_buf_append(&b, tmp, got);
        if (b.failed || b.len > max) {
            rc = bh_err_set(err, b.len > max || b.len + got > max ? BH_ELIMIT : BH_ENOMEM, NULL, 0,
                            0, "cannot fetch '%s': response body over %zu bytes", s->url_msg, max);
            goto out;
        }
    }
    if (body != NULL) {
        *body = bh_arena_strndup(a, b.ptr != NULL ? b.ptr : "", b.len);
        if (*body == NULL) {
            rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "cannot fetch '%s': out of memory",
                            s->url_msg);
            goto out;
        }
    }
    if (len != NULL)
        *len = b.len;
out:
    bh_buf_release(&b);
    st_close(s);
    return rc;
}
