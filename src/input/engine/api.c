/*
 * api.c - the live engine: GET /version, the container list, each container's inspect
 * document (turned into the model by bh_engine_inspect), the filesystem changes and exec
 * sessions of running containers, and the image list, all through net/http.c with GET only.
 * Nothing is judged here and nothing on the engine changes; no version negotiation is done
 * (API 1.41, as input/daemon.c).
 */
#include "input/engine.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/json.h"
#include "net/http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define API_PREFIX "/v1.41"
/* Bytes of untrusted text (names, engine messages) quoted in one message. */
#define QUOTE_MAX 200u
/* Ids are 64 hex digits today; a longer or non-hex id is not put into a URL. */
#define ID_MAX 128u

struct api {
    struct bh_arena *a;
    const struct bh_engine_addr *addr;
    const char *name; /* the address as the user wrote it, for messages */
    struct bh_engine_error **errs;
    size_t *nerrs, errs_cap;
};

static const char *quote(struct bh_arena *a, const char *s)
{
    return s != NULL ? bh_str_printable_dup(a, s, strlen(s), QUOTE_MAX) : "";
}

static int oom(struct bh_err *err)
{
    return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Engine ids go into request paths: hex digits only, so none can add a path segment. */
static bool id_ok(const char *id)
{
    size_t n = id != NULL ? strlen(id) : 0;

    if (n == 0 || n > ID_MAX)
        return false;
    return strspn(id, "0123456789abcdefABCDEF") == n;
}

static int add_error(struct api *x, const char *where, const char *message, struct bh_err *err)
{
    struct bh_engine_error *e = BH_PUSH(x->a, *x->errs, *x->nerrs, x->errs_cap);

    if (e == NULL)
        return oom(err);
    e->where = where;
    e->message = message != NULL ? message : "unknown error";
    return 0;
}

/*
 * GET path and parse the body as JSON into *root. An answer other than 200 is returned as
 * its status in *status with *root NULL and *msg the engine's message (quoted) when it sent
 * one; only transport failures, bodies over max and bad JSON are errors.
 */
static int get_json(struct api *x, const char *path, size_t max, long *status,
                    const struct bh_jnode **root, const char **msg, struct bh_err *err)
{
    static const char *const headers[] = {"Accept: application/json", NULL};
    const char *url = bh_arena_printf(x->a, "%s" API_PREFIX "%s", x->addr->base_url, path);
    struct bh_http_req rq = {
        .url = url,
        .unix_socket = x->addr->unix_socket,
        .headers = headers,
        .ca_file = x->addr->ca_file,
        .client_cert = x->addr->client_cert,
        .client_key = x->addr->client_key,
    };
    struct bh_http_resp resp;
    struct bh_jnode *doc = NULL;
    char *body = NULL;
    size_t len = 0;
    int rc;

    *root = NULL;
    *msg = NULL;
    *status = 0;
    if (url == NULL)
        return oom(err);
    memset(&resp, 0, sizeof(resp));
    rc = bh_http_get(x->a, &rq, max, &resp, &body, &len, err);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc != 0) {
        char inner[sizeof(err->msg)];

        memcpy(inner, err->msg, sizeof(inner));
        inner[sizeof(inner) - 1] = '\0';
        if (rc == BH_ELIMIT)
            return bh_err_set(err, rc, NULL, 0, 0, "docker engine at %s: GET %s: %s", x->name, path,
                              inner);
        return bh_err_set(err, rc, NULL, 0, 0, "cannot reach the docker engine at %s: %s", x->name,
                          inner);
    }
    *status = resp.status;
    if (body == NULL) {
        /* HEAD-like empty answers come back without a buffer */
        static char empty[1];
        body = empty;
    }
    if (resp.status != 200) {
        /* the engine's errors are {"message": "..."}; anything else shows its first line */
        struct bh_err e;
        size_t n;

        bh_err_init(&e);
        if (bh_json_parse(x->a, "engine response", body, len, &doc, &e) == 0 &&
            bh_json_str(bh_json_get(doc, "message")) != NULL) {
            *msg = quote(x->a, bh_json_str(bh_json_get(doc, "message")));
            return 0;
        }
        n = strcspn(body, "\r\n");
        *msg = n > 0 ? bh_str_printable_dup(x->a, body, n, QUOTE_MAX) : NULL;
        return 0;
    }
    rc = bh_json_parse(x->a, bh_arena_printf(x->a, "GET %s", path), body, len, &doc, err);
    if (rc != 0)
        return rc;
    *root = doc;
    return 0;
}

/* "HTTP 500: message" for an answer that was not 200. */
static const char *status_text(struct api *x, long status, const char *msg)
{
    const char *s = bh_arena_printf(x->a, "HTTP %ld%s%s", status, msg != NULL ? ": " : "",
                                    msg != NULL ? msg : "");
    return s != NULL ? s : "HTTP error";
}

static int read_version(struct api *x, struct bh_engine *out, struct bh_err *err)
{
    const struct bh_jnode *root;
    const char *msg, *v;
    long status;
    int rc = get_json(x, "/version", BH_MAX_ENGINE_DOC_BODY, &status, &root, &msg, err);

    if (rc != 0)
        return rc;
    if (status != 200)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "docker engine at %s: GET /version: %s", x->name,
                          status_text(x, status, msg));
    v = bh_json_str(bh_json_get(root, "Version"));
    if (v != NULL)
        out->server_version = v;
    return 0;
}

/* "Entrypoint arg arg": how an exec session was started. */
static const char *exec_cmd(struct bh_arena *a, const struct bh_jnode *pc)
{
    const char *ep = bh_json_str(bh_json_get(pc, "entrypoint"));
    const struct bh_jnode *args = bh_json_get(pc, "arguments");
    size_t len = ep != NULL ? strlen(ep) : 0, i;
    char *s, *o;

    if (bh_json_is_array(args))
        for (i = 0; i < args->n; i++)
            if (args->items[i].type == BH_J_STRING)
                len += 1 + args->items[i].len;
    if (len == 0)
        return NULL;
    s = bh_arena_alloc(a, len + 1);
    if (s == NULL)
        return NULL;
    o = s;
    if (ep != NULL) {
        memcpy(o, ep, strlen(ep));
        o += strlen(ep);
    }
    if (bh_json_is_array(args))
        for (i = 0; i < args->n; i++) {
            if (args->items[i].type != BH_J_STRING)
                continue;
            if (o != s)
                *o++ = ' ';
            memcpy(o, args->items[i].str, args->items[i].len);
            o += args->items[i].len;
        }
    *o = '\0';
    return s;
}

/*
 * The exec sessions listed in the inspect document's ExecIDs. A session the engine no
 * longer knows (it ended and was cleaned up between the two requests) is simply gone, not
 * an error; one that cannot be read is.
 */
static int read_execs(struct api *x, const char *where, const struct bh_jnode *doc,
                      struct bh_container *c, struct bh_err *err)
{
    const struct bh_jnode *ids = bh_json_get(doc, "ExecIDs");
    size_t cap = 0, i;
    int rc;

    c->execs = NULL;
    c->nexecs = 0;
    if (!bh_json_is_array(ids))
        return 0;
    for (i = 0; i < ids->n; i++) {
        const char *id = bh_json_str(&ids->items[i]), *msg;
        const struct bh_jnode *root, *pc;
        struct bh_execsession *s;
        long status;
        bool b;

        if (c->nexecs >= BH_MAX_ENGINE_EXECS)
            return add_error(x, where,
                             bh_arena_printf(x->a,
                                             "more than %u exec sessions (BH_MAX_ENGINE_EXECS); "
                                             "the rest are not judged",
                                             BH_MAX_ENGINE_EXECS),
                             err);
        if (!id_ok(id)) {
            rc = add_error(
                x, where,
                bh_arena_printf(x->a, "ExecIDs[%zu]: not an exec id: '%s'", i, quote(x->a, id)),
                err);
            if (rc != 0)
                return rc;
            continue;
        }
        rc = get_json(x, bh_arena_printf(x->a, "/exec/%s/json", id), BH_MAX_ENGINE_DOC_BODY,
                      &status, &root, &msg, err);
        if (rc == BH_ENOMEM || rc == BH_EIO)
            return rc;
        if (rc != 0 || (status != 200 && status != 404)) {
            rc = add_error(x, where,
                           bh_arena_printf(x->a, "exec session %.12s: %s", id,
                                           rc != 0 ? err->msg : status_text(x, status, msg)),
                           err);
            if (rc != 0)
                return rc;
            continue;
        }
        if (status == 404)
            continue;
        s = BH_PUSH(x->a, c->execs, c->nexecs, cap);
        if (s == NULL)
            return oom(err);
        s->id = id;
        pc = bh_json_get(root, "ProcessConfig");
        if (bh_json_bool(bh_json_get(pc, "privileged"), &b))
            s->privileged = b;
        s->user = bh_json_str(bh_json_get(pc, "user"));
        if (bh_json_bool(bh_json_get(root, "Running"), &b))
            s->running = b;
        s->cmd = exec_cmd(x->a, pc);
    }
    return 0;
}

/* GET /containers/{id}/changes; the engine answers null when nothing changed. */
static int read_changes(struct api *x, const char *where, const char *id, struct bh_container *c,
                        struct bh_err *err)
{
    const struct bh_jnode *root;
    const char *msg;
    long status;
    size_t cap = 0, i;
    int rc = get_json(x, bh_arena_printf(x->a, "/containers/%s/changes", id),
                      BH_MAX_ENGINE_DOC_BODY, &status, &root, &msg, err);

    c->changes = NULL;
    c->nchanges = 0;
    if (rc == BH_ENOMEM || rc == BH_EIO)
        return rc;
    if (rc != 0)
        return add_error(x, where, bh_arena_strdup(x->a, err->msg), err);
    if (status != 200)
        return add_error(
            x, where, bh_arena_printf(x->a, "filesystem changes: %s", status_text(x, status, msg)),
            err);
    if (!bh_json_is_null(root) && !bh_json_is_array(root))
        return add_error(x, where, "filesystem changes: not a JSON array", err);
    c->changes_read = true;
    for (i = 0; root != NULL && bh_json_is_array(root) && i < root->n; i++) {
        const struct bh_jnode *it = &root->items[i];
        const char *path = bh_json_str(bh_json_get(it, "Path"));
        long long kind;
        struct bh_change *ch;

        if (c->nchanges >= BH_MAX_ENGINE_CHANGES)
            return add_error(x, where,
                             bh_arena_printf(x->a,
                                             "more than %u filesystem changes "
                                             "(BH_MAX_ENGINE_CHANGES); the rest are not judged",
                                             BH_MAX_ENGINE_CHANGES),
                             err);
        if (path == NULL || !bh_json_int(bh_json_get(it, "Kind"), &kind) || kind < 0 || kind > 2) {
            rc = add_error(x, where,
                           bh_arena_printf(x->a,
                                           "filesystem changes[%zu]: no Path or a Kind "
                                           "other than 0, 1, 2",
                                           i),
                           err);
            if (rc != 0)
                return rc;
            continue;
        }
        ch = BH_PUSH(x->a, c->changes, c->nchanges, cap);
        if (ch == NULL)
            return oom(err);
        ch->path = path;
        ch->kind = kind == 0 ? BH_CHANGE_MODIFIED : kind == 1 ? BH_CHANGE_ADDED : BH_CHANGE_DELETED;
    }
    return 0;
}

/*
 * One container of the list: its inspect document, and for a running one its changes and
 * exec sessions. Failures of this container go to the error list (the others are still
 * read); only an unreachable engine or memory end the whole read.
 */
static int read_container(struct api *x, const struct bh_jnode *item, struct bh_engine *out,
                          size_t *cap, struct bh_err *err)
{
    const char *id = bh_json_str(bh_json_get(item, "Id"));
    const struct bh_jnode *names = bh_json_get(item, "Names");
    const char *name = NULL, *where, *msg;
    const struct bh_jnode *doc;
    struct bh_container c;
    long status;
    int rc;

    if (bh_json_is_array(names) && names->n > 0)
        name = bh_json_str(&names->items[0]);
    if (name != NULL && name[0] == '/')
        name++;
    if (name == NULL || name[0] == '\0')
        name = id != NULL ? bh_arena_strndup(x->a, id, 12) : "?";
    where = bh_arena_printf(x->a, "container %s", quote(x->a, name));
    if (where == NULL)
        return oom(err);
    if (!id_ok(id))
        return add_error(x, where,
                         bh_arena_printf(x->a, "not a container id: '%s'", quote(x->a, id)), err);
    rc = get_json(x, bh_arena_printf(x->a, "/containers/%s/json", id), BH_MAX_ENGINE_DOC_BODY,
                  &status, &doc, &msg, err);
    if (rc == BH_ENOMEM || rc == BH_EIO)
        return rc;
    if (rc != 0)
        return add_error(x, where, bh_arena_strdup(x->a, err->msg), err);
    if (status == 404)
        return add_error(x, where, "no such container: it was removed while being read", err);
    if (status != 200)
        return add_error(x, where, status_text(x, status, msg), err);
    memset(&c, 0, sizeof(c));
    rc = bh_engine_inspect(x->a, where, doc, NULL, &c, err);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc != 0)
        return add_error(x, where, bh_arena_strdup(x->a, err->msg), err);
    if (c.id == NULL)
        c.id = id;
    if (c.name == NULL)
        c.name = name;
    if (c.running) {
        rc = read_changes(x, where, id, &c, err);
        if (rc == 0)
            rc = read_execs(x, where, doc, &c, err);
        if (rc != 0)
            return rc;
    }
    struct bh_container *slot = BH_PUSH(x->a, out->containers, out->ncontainers, *cap);
    if (slot == NULL)
        return oom(err);
    *slot = c;
    return 0;
}

static int read_containers(struct api *x, bool all, struct bh_engine *out, struct bh_err *err)
{
    const char *path = all ? "/containers/json?all=1" : "/containers/json";
    const struct bh_jnode *list;
    const char *msg;
    long status;
    size_t cap = 0, i;
    int rc = get_json(x, path, BH_MAX_ENGINE_LIST_BODY, &status, &list, &msg, err);

    if (rc != 0)
        return rc;
    if (status != 200)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "docker engine at %s: GET %s: %s", x->name, path,
                          status_text(x, status, msg));
    if (!bh_json_is_array(list))
        return bh_err_set(err, BH_EPARSE, NULL, 0, 0,
                          "docker engine at %s: GET %s: not a JSON array", x->name, path);
    if (list->n > BH_MAX_ENGINE_CONTAINERS)
        return bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                          "docker engine at %s: %zu containers, more than "
                          "BH_MAX_ENGINE_CONTAINERS (%u)",
                          x->name, list->n, BH_MAX_ENGINE_CONTAINERS);
    for (i = 0; i < list->n; i++) {
        rc = read_container(x, &list->items[i], out, &cap, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* A list of strings without the engine's "<none>" placeholders. */
static int str_list(struct bh_arena *a, const struct bh_jnode *arr, const char *placeholder,
                    const char ***out, size_t *n)
{
    size_t i, k = 0;

    *out = NULL;
    *n = 0;
    if (!bh_json_is_array(arr) || arr->n == 0)
        return 0;
    *out = bh_arena_calloc(a, arr->n, sizeof(**out));
    if (*out == NULL)
        return BH_ENOMEM;
    for (i = 0; i < arr->n; i++) {
        const char *s = bh_json_str(&arr->items[i]);

        if (s != NULL && strcmp(s, placeholder) != 0)
            (*out)[k++] = s;
    }
    *n = k;
    return 0;
}

/* A unix time as RFC 3339 in UTC, or NULL when it is not a plausible time. */
static const char *rfc3339(struct bh_arena *a, long long t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    char buf[32];

    /* year 1970..9999 keeps %Y at four digits */
    if (t <= 0 || t > 253402300799LL || gmtime_r(&tt, &tm) == NULL)
        return NULL;
    if (strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return bh_arena_strdup(a, buf);
}

static int read_images(struct api *x, struct bh_engine *out, struct bh_err *err)
{
    const struct bh_jnode *list;
    const char *msg;
    long status;
    size_t i;
    int rc = get_json(x, "/images/json", BH_MAX_ENGINE_LIST_BODY, &status, &list, &msg, err);

    if (rc != 0)
        return rc;
    if (status != 200)
        return bh_err_set(err, BH_EIO, NULL, 0, 0, "docker engine at %s: GET /images/json: %s",
                          x->name, status_text(x, status, msg));
    if (!bh_json_is_array(list))
        return bh_err_set(err, BH_EPARSE, NULL, 0, 0,
                          "docker engine at %s: GET /images/json: not a JSON array", x->name);
    if (list->n > BH_MAX_ENGINE_IMAGES)
        return bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                          "docker engine at %s: %zu images, more than BH_MAX_ENGINE_IMAGES (%u)",
                          x->name, list->n, BH_MAX_ENGINE_IMAGES);
    out->images = bh_arena_calloc(x->a, list->n, sizeof(*out->images));
    if (out->images == NULL && list->n > 0)
        return oom(err);
    for (i = 0; i < list->n; i++) {
        const struct bh_jnode *it = &list->items[i];
        struct bh_engine_image *im = &out->images[out->nimages];
        long long created;

        im->id = bh_json_str(bh_json_get(it, "Id"));
        if (im->id == NULL)
            continue; /* nothing to refer to it by */
        if (str_list(x->a, bh_json_get(it, "RepoTags"), "<none>:<none>", &im->repo_tags,
                     &im->nrepo_tags) != 0 ||
            str_list(x->a, bh_json_get(it, "RepoDigests"), "<none>@<none>", &im->repo_digests,
                     &im->nrepo_digests) != 0)
            return oom(err);
        if (bh_json_int(bh_json_get(it, "Created"), &created))
            im->created = rfc3339(x->a, created);
        im->dangling = im->nrepo_tags == 0;
        out->nimages++;
    }
    return 0;
}

int bh_engine_read_api(struct bh_arena *a, const struct bh_engine_addr *addr, bool all,
                       struct bh_engine *out, struct bh_engine_error **errs, size_t *nerrs,
                       struct bh_err *err)
{
    struct api x;
    int rc;

    memset(out, 0, sizeof(*out));
    *errs = NULL;
    *nerrs = 0;
    memset(&x, 0, sizeof(x));
    x.a = a;
    x.addr = addr;
    x.errs = errs;
    x.nerrs = nerrs;
    x.name = addr->unix_socket != NULL ? bh_arena_printf(a, "unix://%s", addr->unix_socket)
                                       : addr->base_url;
    if (x.name == NULL)
        return oom(err);
    out->address = x.name;
    out->offline = false;
    /* first, so an unreachable engine is one clear error before anything else is asked */
    rc = read_version(&x, out, err);
    if (rc == 0)
        rc = read_containers(&x, all, out, err);
    if (rc == 0)
        rc = read_images(&x, out, err);
    if (rc == 0 && a->failed)
        rc = oom(err);
    return rc;
}
