/*
 * daemon.c - `docker:NAME`: the engine address (argument, $DOCKER_HOST, the default socket)
 * and the `docker save` stream of one image, GET /v1.41/images/NAME/get through net/http.c.
 * Only GET is sent: nothing on the engine changes. The stream is not parsed here (imgsrc and
 * the layer pass read it), and no version negotiation or ping precedes the request.
 */
#include "input/daemon.h"

#include "core/arena.h"
#include "core/str.h"
#include "input/json.h"
#include "net/http.h"

#include <stdbool.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_HOST "unix:///var/run/docker.sock"
/*
 * API 1.41 is Docker 20.10 (Debian 12's docker.io); every later engine still serves it, so
 * no version negotiation round trip is needed. The export format is the engine's either way.
 */
#define API_PREFIX "/v1.41"
#define PORT_PLAIN 2375
#define PORT_TLS 2376
/* Bytes of an error response read for its message, and most of it quoted; the rest is
 * ignored, so a hostile engine cannot make us hold or print more. */
#define ERRBODY_MAX 4096u
#define QUOTE_MAX 200u

/* Engine messages and user input reach terminals only through bh_str_printable_dup. */
static const char *quote(struct bh_arena *a, const char *s, size_t len)
{
    return bh_str_printable_dup(a, s, len, QUOTE_MAX);
}

/* host[:port] of a tcp:// address: a name or IPv4 address, or a bracketed IPv6 literal. */
static bool host_chars_ok(const char *s, size_t len)
{
    if (len == 0)
        return false;
    if (s[0] == '[') {
        if (len < 3 || s[len - 1] != ']')
            return false;
        for (size_t i = 1; i + 1 < len; i++)
            if (strchr("0123456789abcdefABCDEF:.", s[i]) == NULL)
                return false;
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

static int addr_tcp(struct bh_arena *a, const char *h, const char *rest, struct bh_engine_addr *out,
                    struct bh_err *err)
{
    const char *verify = getenv("DOCKER_TLS_VERIFY");
    bool tls = verify != NULL && verify[0] != '\0';
    size_t len = strlen(rest);
    if (len > 0 && rest[len - 1] == '/')
        len--; /* "tcp://host:2376/" */
    if (memchr(rest, '/', len) != NULL || memchr(rest, '?', len) != NULL ||
        memchr(rest, '@', len) != NULL)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                          "unsupported docker host '%s': tcp:// takes host[:port] only",
                          quote(a, h, strlen(h)));
    /* the port is after the last ':' unless that ':' is inside an IPv6 literal */
    const char *close = rest[0] == '[' ? memchr(rest, ']', len) : NULL;
    const char *colon = NULL;
    for (const char *p = close != NULL ? close : rest; p < rest + len; p++)
        if (*p == ':')
            colon = p;
    size_t hostlen = colon != NULL ? (size_t)(colon - rest) : len;
    long long port = tls ? PORT_TLS : PORT_PLAIN;
    /* digits only (bh_parse_int takes a sign) and 1..65535, the bounds checked here as well */
    size_t portlen = colon != NULL ? (size_t)(rest + len - colon - 1) : 0;
    if (colon != NULL && (portlen == 0 || strspn(colon + 1, "0123456789") < portlen ||
                          bh_parse_int(colon + 1, portlen, 1, 65535, &port) != 0 || port < 1))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "docker host '%s': bad port",
                          quote(a, h, strlen(h)));
    if (!host_chars_ok(rest, hostlen))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "docker host '%s': bad host name",
                          quote(a, h, strlen(h)));
    out->base_url =
        bh_arena_printf(a, "%s://%.*s:%lld", tls ? "https" : "http", (int)hostlen, rest, port);
    if (out->base_url == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    if (!tls)
        return 0;
    /* the docker CLI's convention: $DOCKER_CERT_PATH, else ~/.docker, holding ca/cert/key.pem */
    const char *dir = getenv("DOCKER_CERT_PATH");
    const char *home = getenv("HOME");
    const char *base = (dir != NULL && dir[0] != '\0') ? dir : NULL;
    if (base == NULL && home != NULL && home[0] != '\0')
        base = bh_arena_printf(a, "%s/.docker", home);
    if (base == NULL)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                          "DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is");
    out->ca_file = bh_arena_printf(a, "%s/ca.pem", base);
    out->client_cert = bh_arena_printf(a, "%s/cert.pem", base);
    out->client_key = bh_arena_printf(a, "%s/key.pem", base);
    if (out->ca_file == NULL || out->client_cert == NULL || out->client_key == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    const char *files[] = {out->ca_file, out->client_cert, out->client_key};
    for (size_t i = 0; i < 3; i++)
        if (access(files[i], R_OK) != 0)
            return bh_err_set(err, BH_EUSAGE, files[i], 0, 0,
                              "DOCKER_TLS_VERIFY is set but '%s' cannot be read", files[i]);
    return 0;
}

int bh_daemon_addr(struct bh_arena *a, const char *host, struct bh_engine_addr *out,
                   struct bh_err *err)
{
    memset(out, 0, sizeof(*out));
    const char *h = host;
    if (h == NULL || h[0] == '\0')
        h = getenv("DOCKER_HOST");
    if (h == NULL || h[0] == '\0')
        h = DEFAULT_HOST;
    if (bh_str_prefix(h, "unix://")) {
        const char *path = h + strlen("unix://");
        struct sockaddr_un sun;
        if (path[0] == '\0')
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "docker host '%s': no socket path",
                              quote(a, h, strlen(h)));
        if (strlen(path) >= sizeof(sun.sun_path))
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                              "docker host '%s': socket path longer than %zu bytes",
                              quote(a, h, strlen(h)), sizeof(sun.sun_path) - 1);
        out->unix_socket = bh_arena_strdup(a, path);
        out->base_url = "http://localhost";
        if (out->unix_socket == NULL)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
        return 0;
    }
    if (bh_str_prefix(h, "tcp://"))
        return addr_tcp(a, h, h + strlen("tcp://"), out, err);
    return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                      "unsupported docker host '%s' (unix:///path or tcp://host:port)",
                      quote(a, h, strlen(h)));
}

/* The address as a user would write it, for messages. */
static const char *addr_name(struct bh_arena *a, const struct bh_engine_addr *addr)
{
    const char *s = addr->unix_socket != NULL ? bh_arena_printf(a, "unix://%s", addr->unix_socket)
                                              : addr->base_url;
    return s != NULL ? s : "the docker engine";
}

/* Percent-encode everything but RFC 3986 unreserved bytes: ':' '/' '@' in references
 * are path data here (the engine decodes "%2F" back to '/'). */
static char *escape_name(struct bh_arena *a, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(name);
    char *out = bh_arena_calloc(a, len + 1, 3);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* The "message" of the engine's JSON error body, quoted; NULL when there is none. */
static const char *engine_message(struct bh_arena *a, struct bh_reader *rd)
{
    char *buf = bh_arena_alloc(a, ERRBODY_MAX + 1);
    size_t len = 0;
    struct bh_err e;
    bh_err_init(&e);
    if (buf == NULL)
        return NULL;
    while (len < ERRBODY_MAX) {
        size_t got = 0;
        if (rd->read(rd->ctx, buf + len, ERRBODY_MAX - len, &got, &e) != 0 || got == 0)
            break;
        len += got;
    }
    buf[len] = '\0';
    struct bh_jnode *root = NULL;
    const char *msg = NULL;
    if (bh_json_parse(a, "engine response", buf, len, &root, &e) == 0)
        msg = bh_json_str(bh_json_get(root, "message"));
    if (msg == NULL) {
        /* not JSON (a proxy's page, a truncated body): its first line, if any */
        size_t n = strcspn(buf, "\r\n");
        return n > 0 ? quote(a, buf, n) : NULL;
    }
    return quote(a, msg, strlen(msg));
}

int bh_daemon_image_stream(struct bh_arena *a, const struct bh_engine_addr *addr, const char *name,
                           struct bh_reader *out, struct bh_err *err)
{
    memset(out, 0, sizeof(*out));
    if (name == NULL || name[0] == '\0')
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "docker: no image name given");
    for (const char *p = name; *p != '\0'; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "invalid image name '%s'",
                              quote(a, name, strlen(name)));
    const char *esc = escape_name(a, name);
    const char *url =
        esc != NULL ? bh_arena_printf(a, "%s" API_PREFIX "/images/%s/get", addr->base_url, esc)
                    : NULL;
    const char *label = bh_arena_printf(a, "docker:%s", name);
    if (url == NULL || label == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    static const char *const headers[] = {"Accept: application/x-tar", NULL};
    struct bh_http_req rq = {
        .url = url,
        .unix_socket = addr->unix_socket,
        .headers = headers,
        .ca_file = addr->ca_file,
        .client_cert = addr->client_cert,
        .client_key = addr->client_key,
    };
    struct bh_http_resp resp;
    struct bh_reader rd;
    memset(&resp, 0, sizeof(resp));
    memset(&rd, 0, sizeof(rd));
    int rc = bh_http_open(a, &rq, &resp, &rd, err);
    if (rc != 0) {
        /* name the engine the way the user configured it, not the internal URL */
        char inner[sizeof(err->msg)];
        memcpy(inner, err->msg, sizeof(inner));
        inner[sizeof(inner) - 1] = '\0';
        return bh_err_set(err, rc, NULL, 0, 0, "cannot reach the docker engine at %s: %s",
                          addr_name(a, addr), inner);
    }
    if (resp.status == 200) {
        rd.label = label;
        *out = rd;
        return 0;
    }
    const char *msg = engine_message(a, &rd);
    bh_reader_close(&rd);
    if (resp.status == 404)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "no such image: %s",
                          quote(a, name, strlen(name)));
    return bh_err_set(err, BH_EIO, NULL, 0, 0, "docker engine at %s: HTTP %ld exporting '%s'%s%s",
                      addr_name(a, addr), resp.status, quote(a, name, strlen(name)),
                      msg != NULL ? ": " : "", msg != NULL ? msg : "");
}
