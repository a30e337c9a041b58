/*
 * imgload.c - turns a target into images: picks the source, walks the
 * manifests to the image (and platform), parses the config, and runs the layer
 * passes - in parallel, one arena per layer, for sources that can seek; in
 * stream order for `docker:NAME` and stdin - then merges them. It decides
 * nothing about what is wrong with the image.
 */
#include "input/imgload.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/reader.h"
#include "input/daemon.h"
#include "input/imgcollect.h"
#include "input/imgconfig.h"
#include "input/imgsrc.h"
#include "input/layer.h"
#include "input/manifest.h"
#include "input/pkgdb/pkgdb.h"
#include "input/registry.h"
#include "model/imageref.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* How deep nested indexes may go before we call it a loop. */
#define MAX_INDEX_DEPTH 4

/* A member kept whole while streaming (manifests, configs). */
struct smallblob {
    const char *name;
    char *data;
    size_t len;
};

/* A layer pass already run while streaming, keyed by member name. */
struct streamed {
    const char *name;
    struct bh_arena *arena;
    struct bh_imgpart part;
    struct bh_layer_stats st;
    int rc;
    const char *error;
};

struct job {
    struct bh_image *img;
    size_t layer; /* index in img->layers */
    const char *member;
    struct bh_arena *arena;
    struct bh_imgpart part;
    struct bh_layer_stats st;
    int rc;
    struct bh_err err;
};

struct loader {
    struct bh_arena *a;
    const char *target;
    const struct bh_imgload_opts *o;
    struct bh_err *err;
    const char *platform;
    const char *config_name; /* member or digest of the config being parsed, for errors */
    /* sources: exactly one is set */
    struct bh_imgsrc *src;
    struct bh_registry_image *reg;
    bool streaming;
    struct smallblob *small;
    size_t nsmall, smallcap;
    struct streamed *done;
    size_t ndone, donecap;
    /* layer arenas, released by bh_imgload's caller through the image arena's lifetime */
    struct bh_arena **arenas;
    size_t narenas, arenacap;
    /* results */
    struct bh_image *imgs;
    size_t nimgs, imgcap;
    /* workers */
    pthread_mutex_t mu;
    struct job *jobs;
    size_t *order; /* job indices, largest layer first, so workers finish together */
    size_t njobs, next;
    struct bh_imgprogress prog;
    struct timespec last;
};

const char *bh_imgload_host_platform(void)
{
    static char buf[96];
    struct utsname u;
    const char *arch = "amd64";

    if (uname(&u) == 0) {
        if (!strcmp(u.machine, "x86_64"))
            arch = "amd64";
        else if (!strcmp(u.machine, "aarch64") || !strcmp(u.machine, "arm64"))
            arch = "arm64";
        else if (!strcmp(u.machine, "i686") || !strcmp(u.machine, "i386"))
            arch = "386";
        else if (!strncmp(u.machine, "armv7", 5))
            arch = "arm/v7";
        else if (!strcmp(u.machine, "ppc64le") || !strcmp(u.machine, "s390x") ||
                 !strcmp(u.machine, "riscv64"))
            arch = u.machine;
    }
    snprintf(buf, sizeof(buf), "linux/%s", arch);
    return buf;
}

static int nomem(struct loader *L)
{
    return bh_err_set(L->err, BH_ENOMEM, L->target, 0, 0, "out of memory");
}

/* An arena for one layer; kept until the caller's arena goes (see bh_imgload). */
static struct bh_arena *layer_arena(struct loader *L)
{
    struct bh_arena **slot, *la = bh_arena_calloc(L->a, 1, sizeof(*la));

    if (!la)
        return NULL;
    bh_arena_init(la, BH_MAX_SCAN_ARENA);
    slot = BH_PUSH(L->a, L->arenas, L->narenas, L->arenacap);
    if (!slot) {
        bh_arena_release(la);
        return NULL;
    }
    *slot = la;
    return la;
}

/* ---------------------------------------------------------------- blobs */

static const struct smallblob *small_find(const struct loader *L, const char *name)
{
    size_t i;

    for (i = L->nsmall; i-- > 0;)
        if (!strcmp(L->small[i].name, name))
            return &L->small[i];
    return NULL;
}

/* A JSON document or small blob by member name, whole and NUL-terminated. */
static int get_small(struct loader *L, const char *name, char **data, size_t *len)
{
    if (L->streaming) {
        const struct smallblob *b = small_find(L, name);

        if (!b)
            return bh_err_set(L->err, BH_EPARSE, L->target, 0, 0,
                              "%s: the image stream has no member '%s'", L->target, name);
        *data = b->data;
        *len = b->len;
        return 0;
    }
    return bh_imgsrc_read(L->src, L->a, name, BH_MAX_IMAGE_METADATA, data, len, L->err);
}

/* "sha256:<hex>" -> "blobs/sha256/<hex>" */
static const char *blob_member(struct loader *L, const char *digest)
{
    const char *colon = strchr(digest, ':');

    if (!colon)
        return NULL;
    return bh_arena_printf(L->a, "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

/* Check a blob's bytes against its digest (sha256 only; sha512 blobs are not checked). */
static int verify_blob(struct loader *L, const char *what, const char *digest, const char *data,
                       size_t len)
{
    char got[80];

    if (strncmp(digest, "sha256:", 7) != 0)
        return 0;
    bh_layer_sha256(data, len, got);
    if (strcmp(got, digest) != 0)
        return bh_err_set(L->err, BH_EPARSE, L->target, 0, 0,
                          "%s: %s %s does not match its content (sha256 is %s)", L->target, what,
                          digest, got);
    return 0;
}

/* -------------------------------------------------------------- images */

static struct bh_image *new_image(struct loader *L, const char *label, const char *ref)
{
    struct bh_image *img = BH_PUSH(L->a, L->imgs, L->nimgs, L->imgcap);

    if (!img)
        return NULL;
    img->target = label;
    img->ref = ref;
    img->scan_time = L->o->now;
    return img;
}

/* Parse the config and lay out the layers (declared facts only). */
static int image_config(struct loader *L, struct bh_image *img, const char *config, size_t len,
                        size_t nlayers)
{
    size_t i;
    int rc;

    rc = bh_imgconfig_parse(L->a, img->target, config, len, &img->build, &img->meta, L->err);
    if (rc) {
        /* say which document failed: the config, not the archive as a whole */
        char msg[sizeof(L->err->msg) + 512];
        int k = snprintf(msg, sizeof(msg), "image config %.400s: %s",
                         L->config_name ? L->config_name : "", L->err->msg);
        size_t m = k < 0 ? 0 : (size_t)k;

        if (m >= sizeof(L->err->msg))
            m = sizeof(L->err->msg) - 1;
        memcpy(L->err->msg, msg, m);
        L->err->msg[m] = '\0';
        return rc;
    }
    if (img->meta.os && img->meta.architecture)
        img->platform = bh_arena_printf(L->a, "%s/%s%s%s", img->meta.os, img->meta.architecture,
                                        img->meta.variant ? "/" : "",
                                        img->meta.variant ? img->meta.variant : "");
    if (nlayers > BH_MAX_IMAGE_LAYERS)
        return bh_err_set(L->err, BH_ELIMIT, img->target, 0, 0,
                          "%s: more than %u layers (BH_MAX_IMAGE_LAYERS)", img->target,
                          BH_MAX_IMAGE_LAYERS);
    img->layers = bh_arena_calloc(L->a, nlayers ? nlayers : 1, sizeof(*img->layers));
    if (!img->layers)
        return nomem(L);
    img->nlayers = nlayers;
    for (i = 0; i < nlayers; i++) {
        struct bh_imglayer *ly = &img->layers[i];

        ly->size = -1;
        if (i < img->meta.ndiff_ids)
            ly->diff_id = img->meta.diff_ids[i];
    }
    for (i = 0; i < img->meta.nhistory; i++) {
        const struct bh_imghist *h = &img->meta.history[i];

        if (h->layer >= 0 && (size_t)h->layer < nlayers)
            img->layers[h->layer].created_by = h->created_by;
    }
    return 0;
}

/* One image of a `docker save` manifest.json. */
static int from_save_entry(struct loader *L, const struct bh_saveentry *e, size_t count)
{
    const char *ref = e->nrepo_tags ? e->repo_tags[0] : NULL;
    const char *label = L->target;
    struct bh_image *img;
    char *config;
    size_t len, i;
    int rc;

    if (count > 1)
        label = bh_arena_printf(L->a, "%s (%s)", L->target,
                                ref         ? ref
                                : e->config ? e->config
                                            : "?");
    img = new_image(L, label, ref);
    if (!img || !label)
        return nomem(L);
    img->source = L->streaming ? (L->o->engine ? "daemon" : "docker-archive") : "docker-archive";
    rc = get_small(L, e->config, &config, &len);
    if (rc)
        return rc;
    /* configs named blobs/sha256/<hex> (Docker 25+) or <hex>.json: the name is the digest */
    if (!strncmp(e->config, "blobs/sha256/", 13) || strlen(e->config) == 69) {
        const char *hex = !strncmp(e->config, "blobs/sha256/", 13) ? e->config + 13 : e->config;
        char *d = bh_arena_printf(L->a, "sha256:%.64s", hex);

        if (d && bh_manifest_digest_valid(d)) {
            img->config_digest = d;
            rc = verify_blob(L, "config", d, config, len);
            if (rc)
                return rc;
        }
    }
    L->config_name = e->config;
    rc = image_config(L, img, config, len, e->nlayers);
    if (rc)
        return rc;
    for (i = 0; i < e->nlayers; i++) {
        struct bh_imglayer *ly = &img->layers[i];

        ly->member = e->layers[i];
        if (!strncmp(e->layers[i], "blobs/sha256/", 13)) {
            char *d = bh_arena_printf(L->a, "sha256:%s", e->layers[i] + 13);

            if (d && bh_manifest_digest_valid(d))
                ly->digest = d;
        }
    }
    return 0;
}

static int from_docker_archive(struct loader *L)
{
    struct bh_saveentry *e;
    size_t n, i;
    char *json;
    size_t len;
    int rc;

    rc = get_small(L, "manifest.json", &json, &len);
    if (rc)
        return rc;
    rc = bh_manifest_parse_save(L->a, bh_arena_printf(L->a, "%s:manifest.json", L->target), json,
                                len, &e, &n, L->err);
    if (rc)
        return rc;
    if (n == 0)
        return bh_err_set(L->err, BH_EPARSE, L->target, 0, 0, "%s: manifest.json lists no image",
                          L->target);
    for (i = 0; i < n; i++) {
        rc = from_save_entry(L, &e[i], n);
        if (rc)
            return rc;
    }
    return 0;
}

/* An image manifest blob: config and layers by digest. */
static int from_manifest(struct loader *L, const struct bh_descriptor *d, const char *label,
                         const char *ref)
{
    const char *member = blob_member(L, d->digest);
    struct bh_imgmanifest m;
    struct bh_image *img;
    char *json, *config;
    size_t len, clen, i;
    int rc;

    if (!member)
        return nomem(L);
    rc = get_small(L, member, &json, &len);
    if (rc)
        return rc;
    rc = verify_blob(L, "manifest", d->digest, json, len);
    if (rc)
        return rc;
    rc = bh_manifest_parse_image(L->a, bh_arena_printf(L->a, "%s:%s", L->target, member), json, len,
                                 &m, L->err);
    if (rc)
        return rc;
    img = new_image(L, label, ref);
    if (!img)
        return nomem(L);
    img->source = bh_imgsrc_kind_name(bh_imgsrc_kind(L->src));
    img->manifest_digest = d->digest;
    img->config_digest = m.config.digest;
    member = blob_member(L, m.config.digest);
    if (!member)
        return nomem(L);
    rc = get_small(L, member, &config, &clen);
    if (rc)
        return rc;
    rc = verify_blob(L, "config", m.config.digest, config, clen);
    if (rc)
        return rc;
    L->config_name = m.config.digest;
    rc = image_config(L, img, config, clen, m.nlayers);
    if (rc)
        return rc;
    for (i = 0; i < m.nlayers; i++) {
        struct bh_imglayer *ly = &img->layers[i];

        ly->digest = m.layers[i].digest;
        ly->media_type = m.layers[i].media_type;
        ly->size = m.layers[i].size;
        ly->member = blob_member(L, ly->digest);
        if (!ly->member)
            return nomem(L);
    }
    return 0;
}

static int from_descriptor(struct loader *L, const struct bh_descriptor *d, const char *label,
                           const char *ref, int depth);

/* An index: pick the platform when entries carry one, else take every image. */
static int from_index(struct loader *L, const struct bh_index *ix, const char *label,
                      const char *selector, int depth)
{
    size_t i, taken = 0, with_platform = 0;
    int rc;

    if (depth > MAX_INDEX_DEPTH)
        return bh_err_set(L->err, BH_ELIMIT, L->target, 0, 0, "%s: indexes nested deeper than %d",
                          L->target, MAX_INDEX_DEPTH);
    for (i = 0; i < ix->nmanifests; i++)
        if (ix->manifests[i].has_platform && bh_manifest_kind_is_manifest(ix->manifests[i].kind))
            with_platform++;
    if (with_platform > 0 && !selector) {
        const struct bh_descriptor *d = bh_manifest_pick_platform(ix, L->platform);

        if (!d)
            return bh_err_set(L->err, BH_EUSAGE, L->target, 0, 0,
                              "%s: no image for platform %s (use --platform)", L->target,
                              L->platform);
        return from_descriptor(L, d, label, d->ref_name, depth + 1);
    }
    for (i = 0; i < ix->nmanifests; i++) {
        const struct bh_descriptor *d = &ix->manifests[i];
        const char *sub = label;

        if (selector && (!d->ref_name || strcmp(d->ref_name, selector) != 0))
            continue;
        if (d->kind != BH_MEDIA_NONE && !bh_manifest_kind_is_manifest(d->kind) &&
            !bh_manifest_kind_is_index(d->kind))
            continue; /* artifacts, signatures, attestations */
        if (depth == 0 && ix->nmanifests > 1 && !selector)
            sub = bh_arena_printf(L->a, "%s (%s)", label, d->ref_name ? d->ref_name : d->digest);
        rc = from_descriptor(L, d, sub, d->ref_name, depth + 1);
        if (rc)
            return rc;
        taken++;
    }
    if (taken == 0)
        return bh_err_set(L->err, BH_EPARSE, L->target, 0, 0, "%s: %s", L->target,
                          selector ? "no image with that ref.name in index.json"
                                   : "index.json lists no image manifest");
    return 0;
}

static int from_descriptor(struct loader *L, const struct bh_descriptor *d, const char *label,
                           const char *ref, int depth)
{
    if (bh_manifest_kind_is_index(d->kind)) {
        const char *member = blob_member(L, d->digest);
        struct bh_index ix;
        char *json;
        size_t len;
        int rc;

        if (!member)
            return nomem(L);
        rc = get_small(L, member, &json, &len);
        if (!rc)
            rc = verify_blob(L, "index", d->digest, json, len);
        if (!rc)
            rc = bh_manifest_parse_index(L->a, bh_arena_printf(L->a, "%s:%s", L->target, member),
                                         json, len, &ix, L->err);
        if (rc)
            return rc;
        return from_index(L, &ix, label, NULL, depth);
    }
    return from_manifest(L, d, label, ref);
}

static int from_oci(struct loader *L, const char *selector)
{
    struct bh_index ix;
    char *json;
    size_t len;
    int rc;

    rc = get_small(L, "index.json", &json, &len);
    if (rc)
        return rc;
    rc = bh_manifest_parse_index(L->a, bh_arena_printf(L->a, "%s:index.json", L->target), json, len,
                                 &ix, L->err);
    if (rc)
        return rc;
    return from_index(L, &ix, L->target, selector, 0);
}

/* --------------------------------------------------------------- passes */

static void on_bytes(void *ctx, uint64_t n)
{
    struct loader *L = ctx;
    struct timespec now;

    pthread_mutex_lock(&L->mu);
    L->prog.bytes_in += n;
    if (L->o->progress) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - L->last.tv_sec) * 1000000000L + (now.tv_nsec - L->last.tv_nsec) >
            100000000L) {
            L->last = now;
            L->o->progress(L->o->progress_ctx, &L->prog);
        }
    }
    pthread_mutex_unlock(&L->mu);
}

static void layer_done(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    L->prog.layers_done++;
    if (L->o->progress)
        L->o->progress(L->o->progress_ctx, &L->prog);
    pthread_mutex_unlock(&L->mu);
}

static struct bh_imgcollect_opts collect_opts(struct loader *L)
{
    struct bh_imgcollect_opts co;

    memset(&co, 0, sizeof(co));
    co.secrets = L->o->secrets;
    co.progress = on_bytes;
    co.progress_ctx = L;
    return co;
}

static void *worker(void *arg)
{
    struct loader *L = arg;
    struct bh_imgcollect_opts co = collect_opts(L);

    for (;;) {
        struct bh_reader rd;
        struct job *j;
        const char *label;
        int rc;

        pthread_mutex_lock(&L->mu);
        if (L->next >= L->njobs) {
            pthread_mutex_unlock(&L->mu);
            return NULL;
        }
        j = &L->jobs[L->order[L->next++]];
        bh_err_init(&j->err);
        memset(&rd, 0, sizeof(rd));
        label =
            bh_arena_printf(j->arena, "%s: layer %zu (%s)", j->img->target, j->layer, j->member);
        if (L->reg) {
            /* registry streams are independent connections: open them unlocked */
            pthread_mutex_unlock(&L->mu);
            rc = bh_registry_open_layer(L->reg, j->arena, j->layer, &rd, &j->err);
        } else {
            rc = bh_imgsrc_open_member(L->src, j->arena, j->member, &rd, NULL, &j->err);
            pthread_mutex_unlock(&L->mu);
        }
        if (!rc)
            rc = bh_imgcollect_layer(j->arena, &rd, BH_LAYER_COMP_UNKNOWN, label ? label : "layer",
                                     (int)j->layer, &co, &j->part, &j->st, &j->err);
        pthread_mutex_lock(&L->mu);
        bh_reader_close(&rd);
        pthread_mutex_unlock(&L->mu);
        j->rc = rc;
        layer_done(L);
    }
}

static void record(struct loader *L, struct bh_imglayer *ly, int rc, const struct bh_err *e,
                   const struct bh_layer_stats *st)
{
    ly->scanned = rc == 0;
    if (rc)
        ly->error = bh_arena_strdup(L->a, e->msg[0] ? e->msg : bh_err_name(rc));
    ly->comp = bh_layer_comp_name(st->comp);
    if (st->digest[0])
        ly->got_digest = bh_arena_strdup(L->a, st->digest);
    if (st->diff_id[0])
        ly->got_diff_id = bh_arena_strdup(L->a, st->diff_id);
    ly->bytes_in = st->bytes_in;
    ly->bytes_out = st->bytes_out;
    ly->entries = st->entries;
}

static const struct job *sort_jobs_base;

static int by_size_desc(const void *pa, const void *pb)
{
    const struct job *a = &sort_jobs_base[*(const size_t *)pa];
    const struct job *b = &sort_jobs_base[*(const size_t *)pb];
    int64_t sa = a->img->layers[a->layer].size, sb = b->img->layers[b->layer].size;

    if (sa != sb)
        return sa > sb ? -1 : 1;
    return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/* Largest layers first: the longest pass starts at once instead of last. */
static void qsort_jobs(struct loader *L)
{
    static pthread_mutex_t sort_mu = PTHREAD_MUTEX_INITIALIZER;

    pthread_mutex_lock(&sort_mu);
    sort_jobs_base = L->jobs;
    qsort(L->order, L->njobs, sizeof(*L->order), by_size_desc);
    pthread_mutex_unlock(&sort_mu);
}

/* Run every layer of every image through the workers, then merge each image. */
static int run_layers(struct loader *L)
{
    size_t i, k, total = 0, nthreads;
    pthread_t *tids;
    int rc = 0;

    for (i = 0; i < L->nimgs; i++)
        total += L->imgs[i].nlayers;
    L->jobs = bh_arena_calloc(L->a, total ? total : 1, sizeof(*L->jobs));
    if (!L->jobs)
        return nomem(L);
    for (i = 0; i < L->nimgs; i++) {
        struct bh_image *img = &L->imgs[i];

        for (k = 0; k < img->nlayers; k++) {
            struct job *j = &L->jobs[L->njobs++];

            j->img = img;
            j->layer = k;
            j->member = img->layers[k].member;
            j->arena = layer_arena(L);
            if (!j->arena)
                return nomem(L);
            if (img->layers[k].size > 0)
                L->prog.bytes_total += (uint64_t)img->layers[k].size;
        }
    }
    L->prog.layers_total = total;
    L->order = bh_arena_calloc(L->a, total ? total : 1, sizeof(*L->order));
    if (!L->order)
        return nomem(L);
    for (i = 0; i < L->njobs; i++) {
        struct bh_imglayer *ly = &L->jobs[i].img->layers[L->jobs[i].layer];
        uint64_t sz = 0;
        bool found = false;
        struct bh_err e;

        /* docker-save archives declare no sizes: take the member's */
        bh_err_init(&e);
        if (ly->size < 0 && L->src && ly->member &&
            bh_imgsrc_stat(L->src, ly->member, &found, &sz, &e) == 0 && found)
            ly->size = (int64_t)sz;
        L->order[i] = i;
    }
    qsort_jobs(L);
    nthreads = L->o->parallel;
    if (nthreads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);

        nthreads = c > 0 ? (size_t)c : 1;
    }
    if (nthreads > BH_MAX_PARALLEL)
        nthreads = BH_MAX_PARALLEL;
    if (nthreads > total)
        nthreads = total;
    if (nthreads > 0) {
        tids = calloc(nthreads, sizeof(*tids));
        if (!tids)
            return nomem(L);
        for (k = 0; k < nthreads; k++)
            if (pthread_create(&tids[k], NULL, worker, L) != 0)
                break;
        if (k == 0) /* no thread could start: run here */
            worker(L);
        for (i = 0; i < k; i++)
            pthread_join(tids[i], NULL);
        free(tids);
    }
    for (i = 0; i < L->njobs; i++) {
        struct job *j = &L->jobs[i];

        record(L, &j->img->layers[j->layer], j->rc, &j->err, &j->st);
    }
    for (i = 0, k = 0; i < L->nimgs && !rc; i++) {
        struct bh_image *img = &L->imgs[i];
        struct bh_imgpart *parts = bh_arena_calloc(L->a, img->nlayers + 1, sizeof(*parts));
        size_t m;

        if (!parts)
            return nomem(L);
        for (m = 0; m < img->nlayers; m++, k++)
            if (L->jobs[k].rc == 0)
                parts[m] = L->jobs[k].part;
        rc = bh_image_merge(L->a, img, parts, img->nlayers, L->err);
        if (!rc)
            bh_pkgdb_image_os(L->a, img);
    }
    return rc;
}

/* ------------------------------------------------------------ streaming */

/* A reader that first gives back bytes already taken from another reader. */
struct prefixed {
    const unsigned char *head;
    size_t hlen, hpos;
    struct bh_reader *rest;
};

static int prefixed_read(void *ctx, void *buf, size_t cap, size_t *got, struct bh_err *err)
{
    struct prefixed *p = ctx;

    if (p->hpos < p->hlen) {
        size_t n = p->hlen - p->hpos;

        if (n > cap)
            n = cap;
        memcpy(buf, p->head + p->hpos, n);
        p->hpos += n;
        *got = n;
        return 0;
    }
    return p->rest->read(p->rest->ctx, buf, cap, got, err);
}

static bool json_start(const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i < n && (p[i] == '{' || p[i] == '[');
}

/* Read up to cap bytes from rd (fewer only at its end). */
static int read_full(struct bh_reader *rd, unsigned char *buf, size_t cap, size_t *got,
                     struct bh_err *err)
{
    size_t n = 0, k;
    int rc;

    while (n < cap) {
        rc = rd->read(rd->ctx, buf + n, cap - n, &k, err);
        if (rc)
            return rc;
        if (k == 0)
            break;
        n += k;
    }
    *got = n;
    return 0;
}

static int on_member(void *ctx, const char *name, uint64_t size, const char *link,
                     struct bh_reader *content, struct bh_err *err)
{
    struct loader *L = ctx;
    unsigned char head[4096];
    size_t hn;
    int rc;

    if (!content)
        return 0;
    (void)link;
    rc = read_full(content, head, sizeof(head), &hn, err);
    if (rc)
        return rc;
    if (json_start(head, hn) || size <= sizeof(head) || !strcmp(name, "oci-layout") ||
        !strcmp(name, "repositories")) {
        struct smallblob *b;
        char *data;
        size_t got;

        if (size > BH_MAX_IMAGE_METADATA)
            return bh_err_set(err, BH_ELIMIT, L->target, 0, 0,
                              "%s: member '%s' is larger than %u bytes (BH_MAX_IMAGE_METADATA)",
                              L->target, name, BH_MAX_IMAGE_METADATA);
        data = bh_arena_alloc(L->a, (size_t)size + 1);
        if (!data)
            return nomem(L);
        memcpy(data, head, hn);
        rc = read_full(content, (unsigned char *)data + hn, (size_t)size - hn, &got, err);
        if (rc)
            return rc;
        data[hn + got] = '\0';
        b = BH_PUSH(L->a, L->small, L->nsmall, L->smallcap);
        if (!b)
            return nomem(L);
        b->name = bh_arena_strdup(L->a, name);
        b->data = data;
        b->len = hn + got;
        return 0;
    } else {
        struct bh_imgcollect_opts co = collect_opts(L);
        struct prefixed p = {head, hn, 0, content};
        struct bh_reader rd = {prefixed_read, NULL, &p, NULL};
        struct streamed *s = BH_PUSH(L->a, L->done, L->ndone, L->donecap);
        struct bh_err lerr;

        if (!s)
            return nomem(L);
        s->name = bh_arena_strdup(L->a, name);
        s->arena = layer_arena(L);
        if (!s->name || !s->arena)
            return nomem(L);
        rd.label = bh_arena_printf(s->arena, "%s:%s", L->target, name);
        bh_err_init(&lerr);
        /* the layer index is not known yet; fixed when the manifest is read */
        s->rc = bh_imgcollect_layer(s->arena, &rd, BH_LAYER_COMP_UNKNOWN, rd.label, 0, &co,
                                    &s->part, &s->st, &lerr);
        if (s->rc) {
            s->error = bh_arena_strdup(L->a, lerr.msg);
            /* a broken layer fails only that layer, unless the stream itself broke */
            if (s->rc == BH_EIO)
                return bh_err_set(err, s->rc, L->target, 0, 0, "%s", lerr.msg);
            /* skip what the pass did not read */
            for (;;) {
                size_t k;

                rc = content->read(content->ctx, head, sizeof(head), &k, err);
                if (rc || k == 0)
                    return rc;
            }
        }
        return 0;
    }
}

static void fix_layer_index(struct bh_imgpart *p, int layer)
{
    size_t i;

    for (i = 0; i < p->nfiles; i++)
        p->files[i].layer = (uint16_t)layer;
    for (i = 0; i < p->ncaptures; i++)
        p->captures[i].layer = layer;
    for (i = 0; i < p->nsecrets; i++)
        p->secrets[i].layer = layer;
    for (i = 0; i < p->npackages; i++)
        p->packages[i].layer = layer;
    for (i = 0; i < p->nerrors; i++)
        p->errors[i].layer = layer;
}

/* After the walk: assign streamed passes (or small members, scanned now) to layers. */
static int assemble_streamed(struct loader *L)
{
    size_t i, k, m;
    int rc = 0;

    for (i = 0; i < L->nimgs && !rc; i++) {
        struct bh_image *img = &L->imgs[i];
        struct bh_imgpart *parts = bh_arena_calloc(L->a, img->nlayers + 1, sizeof(*parts));

        if (!parts)
            return nomem(L);
        for (k = 0; k < img->nlayers; k++) {
            struct bh_imglayer *ly = &img->layers[k];
            struct streamed *s = NULL;

            for (m = 0; m < L->ndone; m++)
                if (!strcmp(L->done[m].name, ly->member))
                    s = &L->done[m];
            if (!s) {
                /* a layer small enough to have been kept whole: scan it now */
                const struct smallblob *b = small_find(L, ly->member);
                struct bh_imgcollect_opts co = collect_opts(L);
                struct bh_memreader mr;
                struct bh_reader rd;
                struct bh_err lerr;

                s = BH_PUSH(L->a, L->done, L->ndone, L->donecap);
                if (!s)
                    return nomem(L);
                s->name = ly->member;
                if (!b) {
                    s->rc = BH_EPARSE;
                    s->error = bh_arena_printf(L->a, "%s: the stream has no member '%s'", L->target,
                                               ly->member);
                } else {
                    s->arena = layer_arena(L);
                    if (!s->arena)
                        return nomem(L);
                    bh_reader_mem(&rd, &mr, b->data, b->len, ly->member);
                    bh_err_init(&lerr);
                    s->rc = bh_imgcollect_layer(s->arena, &rd, BH_LAYER_COMP_UNKNOWN, ly->member,
                                                (int)k, &co, &s->part, &s->st, &lerr);
                    if (s->rc)
                        s->error = bh_arena_strdup(L->a, lerr.msg);
                }
            }
            if (s->rc == 0) {
                fix_layer_index(&s->part, (int)k);
                parts[k] = s->part;
            }
            {
                struct bh_err e;

                bh_err_init(&e);
                if (s->error)
                    snprintf(e.msg, sizeof(e.msg), "%s", s->error);
                record(L, ly, s->rc, &e, &s->st);
            }
        }
        rc = bh_image_merge(L->a, img, parts, img->nlayers, L->err);
        if (!rc)
            bh_pkgdb_image_os(L->a, img);
    }
    return rc;
}

static int load_stream(struct loader *L, struct bh_reader *rd)
{
    int rc;

    L->streaming = true;
    rc = bh_imgsrc_walk(rd, L->target, on_member, L, L->err);
    if (rc)
        return rc;
    if (small_find(L, "manifest.json"))
        rc = from_docker_archive(L);
    else if (small_find(L, "index.json"))
        return bh_err_set(L->err, BH_EUNSUPPORTED, L->target, 0, 0,
                          "%s: an OCI layout streamed as a tar is not supported; save it to a "
                          "file or directory first",
                          L->target);
    else
        return bh_err_set(L->err, BH_EPARSE, L->target, 0, 0,
                          "%s: not a docker save archive (no manifest.json)", L->target);
    if (rc)
        return rc;
    return assemble_streamed(L);
}

/* ------------------------------------------------------------- registry */

static int load_registry(struct loader *L)
{
    struct bh_registry_opts ro;
    struct bh_image *img;
    size_t i;
    int rc;

    memset(&ro, 0, sizeof(ro));
    ro.platform = L->platform;
    ro.insecure = L->o->insecure;
    rc = bh_registry_resolve(L->a, L->target, &ro, &L->reg, L->err);
    if (rc)
        return rc;
    img = new_image(L, L->target, L->target);
    if (!img)
        return nomem(L);
    img->source = "registry";
    img->user_ref = L->target;
    img->manifest_digest = L->reg->manifest_digest;
    img->config_digest = L->reg->manifest.config.digest;
    L->config_name = L->reg->manifest.config.digest;
    rc = image_config(L, img, L->reg->config, L->reg->config_len, L->reg->manifest.nlayers);
    if (rc)
        return rc;
    for (i = 0; i < img->nlayers; i++) {
        struct bh_imglayer *ly = &img->layers[i];

        ly->digest = L->reg->manifest.layers[i].digest;
        ly->media_type = L->reg->manifest.layers[i].media_type;
        ly->size = L->reg->manifest.layers[i].size;
        ly->member = ly->digest;
    }
    return run_layers(L);
}

/* -------------------------------------------------------------- targets */

/* PATH:REFNAME for an OCI layout directory: split when PATH is a directory with index.json. */
static bool split_oci_selector(struct loader *L, const char *target, const char **path,
                               const char **sel)
{
    const char *colon = strrchr(target, ':');
    struct stat sb;
    char *p;

    if (!colon || colon == target)
        return false;
    p = bh_arena_strndup(L->a, target, (size_t)(colon - target));
    if (!p || stat(p, &sb) != 0)
        return false;
    *path = p;
    *sel = colon + 1;
    return true;
}

static int load_path(struct loader *L, const char *path, const char *selector)
{
    int rc;

    rc = bh_imgsrc_open(L->a, path, &L->src, L->err);
    if (rc)
        return rc;
    if (bh_imgsrc_kind(L->src) == BH_IMGSRC_DOCKER_ARCHIVE) {
        if (selector)
            rc = bh_err_set(L->err, BH_EUSAGE, L->target, 0, 0,
                            "%s: a ref.name selector applies to OCI layouts only", L->target);
        else
            rc = from_docker_archive(L);
    } else {
        rc = from_oci(L, selector);
    }
    if (!rc)
        rc = run_layers(L);
    return rc;
}

/* A name the user meant as a file, even though it does not exist: never a registry pull. */
static bool looks_like_path(const char *t)
{
    static const char *const exts[] = {".tar", ".tar.gz", ".tgz", ".tar.zst", ".oci", NULL};
    size_t i, n = strlen(t);

    if (t[0] == '/' || t[0] == '.' || t[0] == '~')
        return true;
    for (i = 0; exts[i]; i++) {
        size_t l = strlen(exts[i]);

        if (n > l && strcmp(t + n - l, exts[i]) == 0)
            return true;
    }
    return false;
}

int bh_imgload(struct bh_arena *a, const char *target, const struct bh_imgload_opts *o,
               struct bh_image **imgs, size_t *n, struct bh_err *err)
{
    struct loader L;
    struct stat sb;
    const char *path = NULL, *sel = NULL;
    int rc;

    memset(&L, 0, sizeof(L));
    L.a = a;
    L.target = target;
    L.o = o;
    L.err = err;
    L.platform = o->platform ? o->platform : bh_imgload_host_platform();
    pthread_mutex_init(&L.mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &L.last);
    *imgs = NULL;
    *n = 0;

    if (!strncmp(target, "docker:", 7) || !strcmp(target, "-")) {
        struct bh_engine_addr addr;
        struct bh_reader rd = {0};

        if (!strcmp(target, "-")) {
            rc = bh_err_set(err, BH_EUNSUPPORTED, "-", 0, 0,
                            "reading an image from stdin is not supported yet");
        } else {
            rc = bh_daemon_addr(a, o->engine, &addr, err);
            if (!rc)
                rc = bh_daemon_image_stream(a, &addr, target + 7, &rd, err);
            if (!rc) {
                rc = load_stream(&L, &rd);
                bh_reader_close(&rd);
            }
            if (!rc)
                for (size_t i = 0; i < L.nimgs; i++) {
                    L.imgs[i].source = "daemon";
                    L.imgs[i].user_ref = target + 7;
                    if (!L.imgs[i].ref)
                        L.imgs[i].ref = target + 7;
                }
        }
    } else if (stat(target, &sb) == 0) {
        rc = load_path(&L, target, NULL);
    } else if (split_oci_selector(&L, target, &path, &sel)) {
        rc = load_path(&L, path, sel);
    } else if (!strncmp(target, "oci:", 4) || !strncmp(target, "docker-archive:", 15)) {
        const char *p = strchr(target, ':') + 1;

        rc =
            stat(p, &sb) == 0 ? load_path(&L, p, NULL)
            : split_oci_selector(&L, p, &path, &sel)
                ? load_path(&L, path, sel)
                : bh_err_set(err, BH_EIO, target, 0, 0, "cannot read '%s': %s", p, strerror(errno));
    } else if (looks_like_path(target)) {
        rc = bh_err_set(err, BH_EIO, target, 0, 0, "cannot read '%s': %s", target, strerror(errno));
    } else {
        struct bh_imageref r;

        if (bh_imageref_parse(a, target, &r) != 0 || strchr(target, ' '))
            rc = bh_err_set(err, BH_EUSAGE, target, 0, 0,
                            "'%s' is neither a file, a directory, docker:NAME nor an image "
                            "reference",
                            target);
        else
            rc = load_registry(&L);
    }
    if (L.src)
        bh_imgsrc_close(L.src);
    pthread_mutex_destroy(&L.mu);
    if (rc == 0 && L.nimgs > 0) {
        L.imgs[0].layer_arenas = L.arenas;
        L.imgs[0].nlayer_arenas = L.narenas;
    } else {
        for (size_t i = 0; i < L.narenas; i++)
            bh_arena_release(L.arenas[i]);
    }
    if (rc) {
        if (!err->file[0])
            snprintf(err->file, sizeof(err->file), "%s", target);
        return rc;
    }
    *imgs = L.imgs;
    *n = L.nimgs;
    return 0;
}

void bh_imgload_release(struct bh_image *imgs, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        for (k = 0; k < imgs[i].nlayer_arenas; k++)
            bh_arena_release(imgs[i].layer_arenas[k]);
        imgs[i].nlayer_arenas = 0;
    }
}
