/*
 * registry.c - the OCI distribution API client: a reference becomes one image manifest (an
 * index or manifest list is narrowed to one platform), its config blob, and layer blobs
 * opened as streams. Every document fetched by digest is checked against it. Authentication
 * answers the registry's challenge: Basic, or a Bearer token fetched from the realm. It does
 * not read layers (input/layer.c hashes and unpacks them) nor run credential helpers.
 */
#include "input/registry.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/files.h"
#include "input/json.h"
#include "input/layer.h"
#include "net/http.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/utsname.h>

/* Longest piece of registry-supplied text quoted in a message. */
#define QUOTE_MAX 200u
/* Bytes of an error response body read to find the registry's message. */
#define ERRBODY_MAX (64u * 1024u)

#define ACCEPT_MANIFESTS                                          \
    "Accept: application/vnd.oci.image.index.v1+json, "           \
    "application/vnd.oci.image.manifest.v1+json, "                \
    "application/vnd.docker.distribution.manifest.list.v2+json, " \
    "application/vnd.docker.distribution.manifest.v2+json"

struct bh_registry_conn {
    const char *ref;        /* as given, for messages */
    const char *base;       /* "https://host[:port]" */
    const char *host;       /* host[:port] */
    const char *repository; /* "library/alpine" */
    bool docker_hub;
    bool tls;
    /* The Authorization header line that last worked, or NULL. Written only while
     * resolving; layer streams copy it and re-authenticate privately. */
    const char *auth;
    /* Credentials: base64(user:password) for Basic, or NULL; where they came from. */
    bool creds_loaded;
    const char *basic;
    const char *creds_from;
    const char *creds_note; /* why there are none, or a caveat (credential helpers) */
    const char *docker_config;
    const char *username, *password;
};

/* ------------------------------------------------------------------ text helpers */

/* Text that came from a server goes into messages only through here. */
static const char *quote(struct bh_arena *a, const char *s, size_t n)
{
    return bh_str_printable_dup(a, s, n, QUOTE_MAX);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(struct bh_arena *a, const unsigned char *p, size_t n)
{
    char *r = bh_arena_alloc(a, (n + 2) / 3 * 4 + 1), *o = r;

    if (r == NULL)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;

        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = b64chars[(v >> 18) & 63];
        *o++ = b64chars[(v >> 12) & 63];
        *o++ = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? b64chars[v & 63] : '=';
    }
    *o = '\0';
    return r;
}

/* Standard base64 into the arena, NUL-terminated; NULL when malformed. */
static char *b64_decode(struct bh_arena *a, const char *s, size_t *outlen)
{
    size_t n = strlen(s);
    unsigned char *r = bh_arena_alloc(a, n / 4 * 3 + 3);

    if (r == NULL || bh_base64_decode(s, n, r, n / 4 * 3 + 2, outlen) != 0)
        return NULL;
    r[*outlen] = '\0';
    return (char *)r;
}

/* Percent-encode everything but RFC 3986 unreserved characters. */
static char *url_encode(struct bh_arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *r = bh_arena_alloc(a, strlen(s) * 3 + 1), *o = r;

    if (r == NULL)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return r;
}

/* The host part of "host[:port]" or "[v6]:port" or a URL's authority. */
static const char *host_only(struct bh_arena *a, const char *hostport)
{
    const char *end;

    if (hostport[0] == '[') {
        end = strchr(hostport, ']');
        return end != NULL ? bh_arena_strndup(a, hostport + 1, (size_t)(end - hostport - 1))
                           : hostport;
    }
    end = strchr(hostport, ':');
    return end != NULL ? bh_arena_strndup(a, hostport, (size_t)(end - hostport)) : hostport;
}

static bool is_loopback(struct bh_arena *a, const char *hostport)
{
    const char *h = host_only(a, hostport);
    long long part;
    int nparts = 0;

    if (h == NULL)
        return false;
    if (bh_str_ieq(h, "localhost") || strcmp(h, "::1") == 0)
        return true;
    /* 127.0.0.0/8 in dotted decimal */
    for (const char *p = h;; nparts++) {
        size_t n = strspn(p, "0123456789");

        if (n == 0 || n > 3 || bh_parse_int(p, n, 0, 255, &part) != 0)
            return false;
        if (nparts == 0 && part != 127)
            return false;
        p += n;
        if (*p == '\0')
            return nparts == 3;
        if (*p != '.')
            return false;
        p++;
    }
}

/* The authority of an http(s) URL, in the arena, or NULL. */
static const char *url_authority(struct bh_arena *a, const char *url)
{
    const char *p = strstr(url, "://");

    if (p == NULL)
        return NULL;
    p += 3;
    return bh_arena_strndup(a, p, strcspn(p, "/?#"));
}

/* " (CODE: message)" from a registry error body {"errors":[{"code","message"}]}, or "". */
static const char *registry_message(struct bh_arena *a, const char *body, size_t len)
{
    struct bh_jnode *root = NULL;
    struct bh_err e;
    const struct bh_jnode *errs, *first;
    const char *code, *msg;

    bh_err_init(&e);
    if (body == NULL || len == 0 || bh_json_parse(a, "response", body, len, &root, &e) != 0)
        return "";
    errs = bh_json_get(root, "errors");
    if (!bh_json_is_array(errs) || errs->n == 0)
        return "";
    first = &errs->items[0];
    code = bh_json_str(bh_json_get(first, "code"));
    msg = bh_json_str(bh_json_get(first, "message"));
    if (code == NULL && msg == NULL)
        return "";
    return bh_arena_printf(a, " (%s%s%s)", code != NULL ? quote(a, code, strlen(code)) : "",
                           code != NULL && msg != NULL ? ": " : "",
                           msg != NULL ? quote(a, msg, strlen(msg)) : "");
}

/* --------------------------------------------------------------------- credentials */

/* Does a config.json `auths` key name host? Keys are "host", "https://host/...", and for
 * Docker Hub the historical "https://index.docker.io/v1/". */
static bool auth_key_matches(struct bh_arena *a, const char *key, const struct bh_registry_conn *c)
{
    const char *k = key;
    size_t n;

    if (bh_str_iprefix(k, "https://"))
        k += strlen("https://");
    else if (bh_str_iprefix(k, "http://"))
        k += strlen("http://");
    n = strcspn(k, "/");
    if (c->docker_hub)
        return bh_str_ieqn(k, n, "index.docker.io") || bh_str_ieqn(k, n, "docker.io") ||
               bh_str_ieqn(k, n, "registry-1.docker.io");
    (void)a;
    return bh_str_ieqn(k, n, c->host);
}

/* base64(user:password) from one `auths` value, or NULL. */
static const char *auth_from_entry(struct bh_arena *a, const struct bh_jnode *v)
{
    const char *auth = bh_json_str(bh_json_get(v, "auth"));
    const char *user = bh_json_str(bh_json_get(v, "username"));
    const char *pass = bh_json_str(bh_json_get(v, "password"));

    if (auth != NULL && auth[0] != '\0') {
        size_t n = 0;
        char *plain = b64_decode(a, auth, &n);

        if (plain == NULL || memchr(plain, ':', n) == NULL || strlen(plain) != n)
            return NULL;
        /* re-encoded, so only base64 characters ever reach a header */
        return b64_encode(a, (const unsigned char *)plain, n);
    }
    if (user != NULL && pass != NULL) {
        const char *up = bh_arena_printf(a, "%s:%s", user, pass);

        return up != NULL ? b64_encode(a, (const unsigned char *)up, strlen(up)) : NULL;
    }
    return NULL;
}

/* Fill c->basic / creds_from / creds_note from the options or config.json. */
static int load_creds(struct bh_registry_conn *c, struct bh_arena *a, struct bh_err *err)
{
    const char *path = c->docker_config;
    struct bh_jnode *root = NULL;
    const struct bh_jnode *auths, *helpers, *store;
    struct stat st;
    char *text;
    size_t len;
    int rc;

    if (c->creds_loaded)
        return 0;
    c->creds_loaded = true;
    if (c->username != NULL) {
        const char *up =
            bh_arena_printf(a, "%s:%s", c->username, c->password != NULL ? c->password : "");

        c->basic = up != NULL ? b64_encode(a, (const unsigned char *)up, strlen(up)) : NULL;
        if (c->basic == NULL)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
        c->creds_from = "the given username and password";
        return 0;
    }
    if (path == NULL) {
        const char *dir = getenv("DOCKER_CONFIG");
        const char *home = getenv("HOME");

        if (dir != NULL && dir[0] != '\0')
            path = bh_arena_printf(a, "%s/config.json", dir);
        else if (home != NULL && home[0] != '\0')
            path = bh_arena_printf(a, "%s/.docker/config.json", home);
        if (path == NULL) {
            c->creds_note = "no username given and no docker config found";
            return 0;
        }
        if (stat(path, &st) != 0 && errno == ENOENT) {
            c->creds_note = bh_arena_printf(a, "no username given and no '%s'", path);
            return 0;
        }
    }
    rc = bh_file_read(a, path, BH_MAX_IMAGE_METADATA, &text, &len, err);
    if (rc < 0)
        return rc;
    rc = bh_json_parse(a, path, text, len, &root, err);
    if (rc < 0)
        return rc;
    auths = bh_json_get(root, "auths");
    helpers = bh_json_get(root, "credHelpers");
    store = bh_json_get(root, "credsStore");
    for (size_t i = 0; bh_json_is_object(auths) && i < auths->n; i++) {
        if (!auth_key_matches(a, auths->pairs[i].key, c))
            continue;
        c->basic = auth_from_entry(a, &auths->pairs[i].value);
        if (c->basic != NULL) {
            c->creds_from = bh_arena_printf(a, "'%s' (auths)", path);
            return 0;
        }
    }
    for (size_t i = 0; bh_json_is_object(helpers) && i < helpers->n; i++) {
        if (auth_key_matches(a, helpers->pairs[i].key, c)) {
            c->creds_note = bh_arena_printf(
                a,
                "'%s' names a credential helper for this registry (credHelpers), which bulkhead "
                "does not run; give the username and password explicitly",
                path);
            return 0;
        }
    }
    if (bh_json_str(store) != NULL)
        c->creds_note = bh_arena_printf(
            a,
            "no credentials for this registry in '%s'; its credsStore ('%s') is not run by "
            "bulkhead: give the username and password explicitly",
            path, quote(a, bh_json_str(store), strlen(bh_json_str(store))));
    else
        c->creds_note = bh_arena_printf(a, "no credentials for this registry in '%s'", path);
    return 0;
}

/* ------------------------------------------------------------------ challenges */

struct challenge {
    const char *scheme; /* "Bearer", "Basic", ... */
    const char *realm, *service, *scope;
};

/* Parse one token or quoted-string at *p (a challenge parameter value). */
static char *param_value(struct bh_arena *a, const char **p)
{
    const char *s = *p;
    char *r, *o;

    if (*s != '"') {
        size_t n = strcspn(s, ", \t");

        *p = s + n;
        return bh_arena_strndup(a, s, n);
    }
    s++;
    r = o = bh_arena_alloc(a, strlen(s) + 1);
    if (r == NULL)
        return NULL;
    while (*s != '\0' && *s != '"') {
        if (*s == '\\' && s[1] != '\0')
            s++;
        *o++ = *s++;
    }
    *o = '\0';
    if (*s == '"')
        s++;
    *p = s;
    return r;
}

/*
 * The challenge we answer from a WWW-Authenticate value (possibly several challenges
 * joined by commas): Bearer when offered, else Basic. false when neither is there.
 */
static bool parse_challenge(struct bh_arena *a, const char *h, struct challenge *out)
{
    const char *p = h;
    struct challenge cur = {0}, basic = {0};
    bool have_basic = false;

    memset(out, 0, sizeof *out);
    while (*p != '\0') {
        size_t n;

        p += strspn(p, ", \t");
        n = strcspn(p, "=, \t");
        if (n == 0)
            break;
        if (p[n] != '=') {
            /* a new scheme starts */
            if (cur.scheme != NULL && bh_str_ieq(cur.scheme, "bearer"))
                break;
            if (cur.scheme != NULL && bh_str_ieq(cur.scheme, "basic")) {
                basic = cur;
                have_basic = true;
            }
            memset(&cur, 0, sizeof cur);
            cur.scheme = bh_arena_strndup(a, p, n);
            p += n;
            continue;
        }
        {
            const char *name = p;
            char *v;

            p += n + 1;
            v = param_value(a, &p);
            if (v == NULL || cur.scheme == NULL)
                continue;
            if (bh_str_ieqn(name, n, "realm"))
                cur.realm = v;
            else if (bh_str_ieqn(name, n, "service"))
                cur.service = v;
            else if (bh_str_ieqn(name, n, "scope"))
                cur.scope = v;
        }
    }
    if (cur.scheme != NULL && bh_str_ieq(cur.scheme, "bearer")) {
        *out = cur;
        return true;
    }
    if (cur.scheme != NULL && bh_str_ieq(cur.scheme, "basic")) {
        basic = cur;
        have_basic = true;
    }
    if (have_basic)
        *out = basic;
    return have_basic;
}

static int auth_refused(struct bh_registry_conn *c, struct bh_arena *a, const char *why,
                        struct bh_err *err)
{
    const char *creds;

    if (c->basic != NULL)
        creds = bh_arena_printf(a, "credentials from %s", c->creds_from);
    else
        creds = c->creds_note != NULL ? c->creds_note : "no credentials";
    return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                      "cannot resolve '%s': authentication to '%s' refused: %s (%s)", c->ref,
                      c->host, why, creds != NULL ? creds : "");
}

static bool token_ok(const char *t)
{
    if (t == NULL || t[0] == '\0')
        return false;
    for (; *t != '\0'; t++) {
        unsigned char ch = (unsigned char)*t;

        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              strchr("-._~+/=", ch) != NULL))
            return false;
    }
    return true;
}

/* Fetch a Bearer token for ch; *line = "Authorization: Bearer <token>". */
static int fetch_token(struct bh_registry_conn *c, struct bh_arena *a, const struct challenge *ch,
                       const char **line, struct bh_err *err)
{
    const char *scope =
        ch->scope != NULL ? ch->scope : bh_arena_printf(a, "repository:%s:pull", c->repository);
    const char *realm_host, *url, *hdrs[3] = {NULL, NULL, NULL};
    struct bh_http_req rq = {0};
    struct bh_http_resp resp;
    struct bh_jnode *root = NULL;
    char *body = NULL;
    size_t len = 0;
    const char *tok;
    int rc;

    if (ch->realm == NULL ||
        !(bh_str_iprefix(ch->realm, "https://") || bh_str_iprefix(ch->realm, "http://")))
        return bh_err_set(err, BH_EIO, NULL, 0, 0,
                          "cannot resolve '%s': '%s' asks for a token from an unusable realm "
                          "'%s'",
                          c->ref, c->host,
                          ch->realm != NULL ? quote(a, ch->realm, strlen(ch->realm)) : "");
    realm_host = url_authority(a, ch->realm);
    if (bh_str_iprefix(ch->realm, "http://") && (realm_host == NULL || !is_loopback(a, realm_host)))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                          "cannot resolve '%s': refusing to fetch a token over plain http from "
                          "'%s'",
                          c->ref,
                          realm_host != NULL ? quote(a, realm_host, strlen(realm_host)) : "");
    url = bh_arena_printf(a, "%s%s%s%s%sscope=%s", ch->realm, strchr(ch->realm, '?') ? "&" : "?",
                          ch->service != NULL ? "service=" : "",
                          ch->service != NULL ? url_encode(a, ch->service) : "",
                          ch->service != NULL ? "&" : "", url_encode(a, scope));
    if (url == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    if (c->basic != NULL)
        hdrs[0] = bh_arena_printf(a, "Authorization: Basic %s", c->basic);
    rq.url = url;
    rq.headers = hdrs;
    rq.follow_redirects = true;
    rq.drop_auth_on_redirect = true;
    rc = bh_http_get(a, &rq, BH_MAX_HTTP_SMALL_BODY, &resp, &body, &len, err);
    if (rc < 0)
        return rc;
    if (resp.status == 401 || resp.status == 403)
        return auth_refused(c, a, "the token server refused the request", err);
    if (resp.status != 200)
        return bh_err_set(err, BH_EIO, NULL, 0, 0,
                          "cannot resolve '%s': token request to '%s' gave status %ld%s", c->ref,
                          realm_host != NULL ? realm_host : "", resp.status,
                          registry_message(a, body, len));
    rc = bh_json_parse(a, "token response", body, len, &root, err);
    if (rc < 0)
        return rc;
    tok = bh_json_str(bh_json_get(root, "token"));
    if (tok == NULL || tok[0] == '\0')
        tok = bh_json_str(bh_json_get(root, "access_token"));
    if (!token_ok(tok))
        return bh_err_set(err, BH_EPARSE, NULL, 0, 0,
                          "cannot resolve '%s': the token response from '%s' holds no usable "
                          "token",
                          c->ref, realm_host != NULL ? realm_host : "");
    *line = bh_arena_printf(a, "Authorization: Bearer %s", tok);
    return *line != NULL ? 0 : bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The Authorization line answering challenge h. */
static int answer(struct bh_registry_conn *c, struct bh_arena *a, const char *h, const char **line,
                  struct bh_err *err)
{
    struct challenge ch;

    if (h == NULL || !parse_challenge(a, h, &ch))
        return auth_refused(c, a,
                            bh_arena_printf(a, "unsupported challenge '%s'",
                                            h != NULL ? quote(a, h, strlen(h)) : ""),
                            err);
    if (bh_str_ieq(ch.scheme, "basic")) {
        if (c->basic == NULL)
            return auth_refused(c, a, "basic authentication required", err);
        *line = bh_arena_printf(a, "Authorization: Basic %s", c->basic);
        return *line != NULL ? 0 : bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return fetch_token(c, a, &ch, line, err);
}

/* --------------------------------------------------------------------- requests */

/*
 * GET url from the registry with *auth (updated when a challenge is answered). With
 * stream == NULL the body is read whole (bounded by max) into *body; else the body is
 * left in *stream (the caller closes it). Returns the final response in *resp.
 */
static int reg_get(struct bh_registry_conn *c, struct bh_arena *a, const char *url,
                   const char *accept, bool blob, const char **auth, size_t max,
                   struct bh_http_resp *resp, char **body, size_t *len, struct bh_reader *stream,
                   struct bh_err *err)
{
    for (int attempt = 0;; attempt++) {
        const char *hdrs[3] = {NULL, NULL, NULL};
        struct bh_http_req rq = {0};
        const char *line = NULL;
        size_t k = 0;
        int rc;

        if (accept != NULL)
            hdrs[k++] = accept;
        if (*auth != NULL)
            hdrs[k++] = *auth;
        rq.url = url;
        rq.headers = hdrs;
        /* blobs may live behind a redirect to storage that must not see our credentials */
        rq.follow_redirects = blob;
        rq.drop_auth_on_redirect = true;
        if (stream != NULL)
            rc = bh_http_open(a, &rq, resp, stream, err);
        else
            rc = bh_http_get(a, &rq, max, resp, body, len, err);
        if (rc < 0)
            return rc;
        if (resp->status != 401)
            return 0;
        if (stream != NULL)
            bh_reader_close(stream);
        if (attempt > 0)
            return auth_refused(c, a,
                                bh_arena_printf(a, "status 401 for '%s' with %s", url,
                                                bh_str_iprefix(*auth, "authorization: basic")
                                                    ? "basic credentials"
                                                    : "a token"),
                                err);
        rc = load_creds(c, a, err);
        if (rc < 0)
            return rc;
        rc = answer(c, a, resp->www_authenticate, &line, err);
        if (rc < 0)
            return rc;
        *auth = line;
    }
}

/* A failure status as an error naming the reference, the URL and the registry's message. */
static int status_error(struct bh_registry_conn *c, struct bh_arena *a, const char *url,
                        const struct bh_http_resp *resp, const char *body, size_t len,
                        struct bh_err *err)
{
    return bh_err_set(err, BH_EIO, NULL, 0, 0, "cannot resolve '%s': GET '%s' gave status %ld%s",
                      c->ref, url, resp->status, registry_message(a, body, len));
}

static int check_digest(struct bh_registry_conn *c, const char *what, const char *want,
                        const char *data, size_t len, struct bh_err *err)
{
    char got[80];

    if (!bh_str_prefix(want, "sha256:"))
        return bh_err_set(err, BH_EUNSUPPORTED, NULL, 0, 0,
                          "cannot resolve '%s': cannot verify %s digest '%s' (only sha256)", c->ref,
                          what, want);
    bh_layer_sha256(data, len, got);
    if (strcmp(got, want) != 0)
        return bh_err_set(err, BH_EPARSE, NULL, 0, 0,
                          "cannot resolve '%s': %s from '%s' has digest %s, expected %s", c->ref,
                          what, c->host, got, want);
    return 0;
}

/* What a manifest response is: from its Content-Type, else from its mediaType field or
 * shape. schema 1 manifests are recognised only to say they are unsupported. */
static enum bh_media_kind manifest_kind(struct bh_arena *a, const struct bh_http_resp *resp,
                                        const char *body, size_t len, bool *schema1)
{
    enum bh_media_kind k = bh_manifest_media_kind(resp->content_type);
    struct bh_jnode *root = NULL;
    struct bh_err e;
    long long sv = 0;

    *schema1 = false;
    if (bh_manifest_kind_is_index(k) || bh_manifest_kind_is_manifest(k))
        return k;
    bh_err_init(&e);
    if (bh_json_parse(a, "manifest", body, len, &root, &e) != 0)
        return k;
    k = bh_manifest_media_kind(bh_json_str(bh_json_get(root, "mediaType")));
    if (bh_manifest_kind_is_index(k) || bh_manifest_kind_is_manifest(k))
        return k;
    if (bh_json_int(bh_json_get(root, "schemaVersion"), &sv) && sv == 1) {
        *schema1 = true;
        return BH_MEDIA_OTHER;
    }
    if (bh_json_get(root, "manifests") != NULL)
        return BH_MEDIA_OCI_INDEX;
    if (bh_json_get(root, "config") != NULL)
        return BH_MEDIA_OCI_MANIFEST;
    return k;
}

/* The platform wanted: the option, or the host's as an image platform. */
static const char *host_platform(struct bh_arena *a)
{
    struct utsname u;
    const char *arch;

    if (uname(&u) != 0)
        return "linux/amd64";
    if (strcmp(u.machine, "x86_64") == 0)
        arch = "amd64";
    else if (strcmp(u.machine, "aarch64") == 0 || strcmp(u.machine, "arm64") == 0)
        arch = "arm64";
    else if (bh_str_prefix(u.machine, "armv7"))
        arch = "arm/v7";
    else if (bh_str_prefix(u.machine, "armv6"))
        arch = "arm/v6";
    else if (u.machine[0] == 'i' && bh_str_suffix(u.machine, "86"))
        arch = "386";
    else
        arch = u.machine; /* ppc64le, s390x, riscv64 are already image names */
    return bh_arena_printf(a, "linux/%s", arch);
}

static const char *platform_list(struct bh_arena *a, const struct bh_index *ix)
{
    const char *r = "";

    for (size_t i = 0; i < ix->nmanifests && r != NULL; i++) {
        const struct bh_platform *p = &ix->manifests[i].platform;

        if (!ix->manifests[i].has_platform || p->os == NULL || p->architecture == NULL)
            continue;
        r = bh_arena_printf(a, "%s%s%s/%s%s%s", r, r[0] != '\0' ? ", " : "", p->os, p->architecture,
                            p->variant != NULL ? "/" : "", p->variant != NULL ? p->variant : "");
    }
    return r != NULL && r[0] != '\0' ? r : "none";
}

/* GET a manifest by tag or digest; *body, *len, *kind; verified when by digest. */
static int get_manifest(struct bh_registry_conn *c, struct bh_arena *a, const char *ref,
                        bool by_digest, char **body, size_t *len, enum bh_media_kind *kind,
                        const char **digest, struct bh_err *err)
{
    const char *url = bh_arena_printf(a, "%s/v2/%s/manifests/%s", c->base, c->repository, ref);
    struct bh_http_resp resp;
    char computed[80];
    bool schema1 = false;
    int rc;

    if (url == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    rc = reg_get(c, a, url, ACCEPT_MANIFESTS, false, &c->auth, BH_MAX_HTTP_SMALL_BODY, &resp, body,
                 len, NULL, err);
    if (rc < 0)
        return rc;
    if (resp.status != 200)
        return status_error(c, a, url, &resp, *body, *len, err);
    if (by_digest) {
        rc = check_digest(c, "manifest", ref, *body, *len, err);
        if (rc < 0)
            return rc;
    }
    bh_layer_sha256(*body, *len, computed);
    if (resp.docker_content_digest != NULL &&
        bh_str_prefix(resp.docker_content_digest, "sha256:") &&
        strcmp(resp.docker_content_digest, computed) != 0)
        return bh_err_set(err, BH_EPARSE, NULL, 0, 0,
                          "cannot resolve '%s': manifest from '%s' has digest %s but the registry "
                          "says %s",
                          c->ref, url, computed,
                          quote(a, resp.docker_content_digest, strlen(resp.docker_content_digest)));
    *digest = bh_arena_strdup(a, computed);
    *kind = manifest_kind(a, &resp, *body, *len, &schema1);
    if (schema1)
        return bh_err_set(err, BH_EUNSUPPORTED, NULL, 0, 0,
                          "cannot resolve '%s': '%s' serves a schema 1 manifest, which bulkhead "
                          "does not read",
                          c->ref, url);
    if (!bh_manifest_kind_is_index(*kind) && !bh_manifest_kind_is_manifest(*kind))
        return bh_err_set(err, BH_EUNSUPPORTED, NULL, 0, 0,
                          "cannot resolve '%s': '%s' is not an image manifest or index "
                          "(Content-Type '%s')",
                          c->ref, url,
                          resp.content_type != NULL
                              ? quote(a, resp.content_type, strlen(resp.content_type))
                              : "none");
    return 0;
}

static int setup_conn(struct bh_arena *a, const char *ref, const struct bh_registry_opts *o,
                      const struct bh_imageref *r, struct bh_registry_conn **out,
                      struct bh_err *err)
{
    struct bh_registry_conn *c = bh_arena_alloc(a, sizeof *c);

    if (c == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    c->ref = ref;
    c->docker_hub = r->docker_hub;
    c->host = r->docker_hub ? "registry-1.docker.io" : r->registry;
    c->repository = r->repository;
    c->tls = true;
    if (o != NULL) {
        c->docker_config = o->docker_config;
        c->username = o->username;
        c->password = o->password;
        if (o->insecure) {
            if (!is_loopback(a, c->host))
                return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                                  "cannot resolve '%s': plain http (--insecure) is allowed only "
                                  "for loopback registries, not '%s'",
                                  ref, c->host);
            c->tls = false;
        }
    }
    c->base = bh_arena_printf(a, "%s://%s", c->tls ? "https" : "http", c->host);
    if (c->base == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    *out = c;
    return 0;
}

int bh_registry_resolve(struct bh_arena *a, const char *ref, const struct bh_registry_opts *o,
                        struct bh_registry_image **out, struct bh_err *err)
{
    struct bh_imageref r;
    struct bh_registry_conn *c = NULL;
    struct bh_registry_image *img;
    const char *want, *digest = NULL, *what, *url, *label;
    enum bh_media_kind kind = BH_MEDIA_NONE;
    struct bh_http_resp resp;
    char *body = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if (ref == NULL || bh_imageref_parse(a, ref, &r) != 0)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "'%s' is not an image reference",
                          ref != NULL ? ref : "");
    if (r.is_scratch)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                          "'scratch' is not an image that can be fetched");
    rc = setup_conn(a, ref, o, &r, &c, err);
    if (rc < 0)
        return rc;
    img = bh_arena_alloc(a, sizeof *img);
    if (img == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    img->ref = ref;
    img->registry = c->host;
    img->repository = c->repository;
    img->conn = c;
    what = r.digest != NULL ? r.digest : r.tag != NULL ? r.tag : "latest";
    rc = get_manifest(c, a, what, r.digest != NULL, &body, &len, &kind, &digest, err);
    if (rc < 0)
        return rc;
    if (bh_manifest_kind_is_index(kind)) {
        struct bh_index ix;
        const struct bh_descriptor *d;

        label = bh_arena_printf(a, "%s/%s@%s", c->host, c->repository, digest);
        rc = bh_manifest_parse_index(a, label, body, len, &ix, err);
        if (rc < 0)
            return rc;
        want = o != NULL && o->platform != NULL ? o->platform : host_platform(a);
        d = bh_manifest_pick_platform(&ix, want);
        if (d == NULL)
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                              "cannot resolve '%s': no image for platform '%s' (the index has: "
                              "%s)",
                              ref, want, platform_list(a, &ix));
        img->index_digest = digest;
        rc = get_manifest(c, a, d->digest, true, &body, &len, &kind, &digest, err);
        if (rc < 0)
            return rc;
        if (!bh_manifest_kind_is_manifest(kind))
            return bh_err_set(err, BH_EUNSUPPORTED, NULL, 0, 0,
                              "cannot resolve '%s': the entry for '%s' is not an image manifest",
                              ref, want);
    }
    img->manifest_digest = digest;
    label = bh_arena_printf(a, "%s/%s@%s", c->host, c->repository, digest);
    rc = bh_manifest_parse_image(a, label != NULL ? label : "manifest", body, len, &img->manifest,
                                 err);
    if (rc < 0)
        return rc;
    if (img->manifest.config.size > (long long)BH_MAX_IMAGE_METADATA)
        return bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                          "cannot resolve '%s': config of %lld bytes is over "
                          "BH_MAX_IMAGE_METADATA",
                          ref, img->manifest.config.size);
    url = bh_arena_printf(a, "%s/v2/%s/blobs/%s", c->base, c->repository,
                          img->manifest.config.digest);
    if (url == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    rc = reg_get(c, a, url, NULL, true, &c->auth, BH_MAX_IMAGE_METADATA, &resp, &body, &len, NULL,
                 err);
    if (rc < 0)
        return rc;
    if (resp.status != 200)
        return status_error(c, a, url, &resp, body, len, err);
    rc = check_digest(c, "config", img->manifest.config.digest, body, len, err);
    if (rc < 0)
        return rc;
    img->config = body;
    img->config_len = len;
    *out = img;
    return 0;
}

int bh_registry_open_layer(struct bh_registry_image *img, struct bh_arena *a, size_t i,
                           struct bh_reader *out, struct bh_err *err)
{
    struct bh_registry_conn *c = img->conn;
    /* a private copy: an expired token is renewed for this stream only, so streams on
     * other threads never see conn change */
    struct bh_registry_conn mine = *c;
    const char *auth = c->auth, *url, *digest;
    struct bh_http_resp resp;
    int rc;

    memset(out, 0, sizeof *out);
    if (i >= img->manifest.nlayers)
        return bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "layer %zu of '%s' does not exist", i,
                          img->ref);
    digest = img->manifest.layers[i].digest;
    url = bh_arena_printf(a, "%s/v2/%s/blobs/%s", c->base, c->repository, digest);
    if (url == NULL)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    mine.creds_loaded = true; /* never read config.json from a worker */
    rc = reg_get(&mine, a, url, NULL, true, &auth, 0, &resp, NULL, NULL, out, err);
    if (rc < 0)
        return rc;
    if (resp.status != 200) {
        char buf[4096], *body = bh_arena_alloc(a, ERRBODY_MAX + 1);
        size_t len = 0, got = 0;
        struct bh_err ignored;

        bh_err_init(&ignored);
        while (body != NULL && len < ERRBODY_MAX &&
               out->read(out->ctx, buf, sizeof buf, &got, &ignored) == 0 && got > 0) {
            size_t n = got < ERRBODY_MAX - len ? got : ERRBODY_MAX - len;

            memcpy(body + len, buf, n);
            len += n;
        }
        bh_reader_close(out);
        return bh_err_set(err, BH_EIO, NULL, 0, 0,
                          "cannot read layer %zu of '%s': GET '%s' gave status %ld%s", i, img->ref,
                          url, resp.status, registry_message(a, body, len));
    }
    out->label = bh_arena_printf(a, "%s/%s@%s", c->host, c->repository, digest);
    if (out->label == NULL)
        out->label = digest;
    return 0;
}
