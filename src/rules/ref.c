/*
 * ref.c - rules about image references: in a Dockerfile the FROM, COPY --from
 * and RUN --mount from= that name an image rather than a stage, and at run
 * time the image of a container (compose `image:`, K8s `image:`, the image
 * word of `docker run`). Mutable tags (REF-LATEST), missing digests
 * (REF-DIGEST) and registries outside the policy's allow-list (REF-REGISTRY).
 * Parsing of a reference is N1's job (model/imageref.c); references that do
 * not parse, or still hold a `$VAR`, are left alone.
 */
#include "rules/groups.h"

#include "core/arena.h"
#include "core/str.h"
#include "model/imageref.h"

#include <string.h>

/* One image reference found in the Dockerfile. */
struct imgref {
    const char *text;  /* as used (after ARG substitution) */
    const char *raw;   /* as written, for FROM ${BASE}; may equal text */
    const char *where; /* "FROM ", "COPY --from=", "RUN --mount=...,from=" */
    struct bh_loc loc;
    int stage;
};

/* Does name refer to a stage (by AS name or index) defined before stage `before`? */
static bool names_stage(const struct bh_buildspec *bs, const char *name, int before)
{
    long long idx;
    int i;

    if (bh_parse_int(name, strlen(name), 0, 1000000, &idx) == 0)
        return true; /* `--from=0`: a stage index; BuildKit never reads it as an image */
    for (i = 0; i < before && (size_t)i < bs->nstages; i++) {
        if (bs->stages[i].name && bh_str_ieq(bs->stages[i].name, name))
            return true;
    }
    return false;
}

/* The from= key of a --mount value such as `type=bind,from=golang:1.22,target=/go`. */
static const char *mount_from(struct bh_arena *a, const char *v)
{
    const char *p = v;

    while (p && *p) {
        size_t n = strcspn(p, ",");

        if (n > 5 && strncmp(p, "from=", 5) == 0)
            return bh_arena_strndup(a, p + 5, n - 5);
        p += n;
        if (*p == ',')
            p++;
    }
    return NULL;
}

static void push(struct bh_arena *a, struct imgref **v, size_t *n, size_t *cap, const char *text,
                 const char *raw, const char *where, const struct bh_loc *loc, int stage)
{
    struct imgref *r;

    if (!text || !*text || strchr(text, '$'))
        return; /* an unresolved variable: nothing we can judge */
    r = BH_PUSH(a, *v, *n, *cap);
    if (!r)
        return;
    r->text = text;
    r->raw = raw ? raw : text;
    r->where = where;
    r->loc = *loc;
    r->stage = stage;
}

/* Every image reference in the Dockerfile, in file order. */
static size_t collect(struct bh_arena *a, const struct bh_buildspec *bs, struct imgref **out)
{
    struct imgref *v = NULL;
    size_t n = 0, cap = 0, i, k;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];
        int s = in->stage;

        if (s < 0 || (size_t)s >= bs->nstages)
            continue;
        if (in->kind == BH_I_FROM) {
            const struct bh_stage *st = &bs->stages[s];

            if (st->base_stage < 0 && st->base && !bh_str_ieq(st->base, "scratch"))
                push(a, &v, &n, &cap, st->base, st->base_raw, "FROM ", &in->loc, s);
            continue;
        }
        for (k = 0; k < in->nflags; k++) {
            const struct bh_flag *f = &in->flags[k];
            const struct bh_loc *loc = f->loc.line > 0 ? &f->loc : &in->loc;
            const char *img = NULL, *where = NULL;

            if ((in->kind == BH_I_COPY || in->kind == BH_I_ADD) && bh_str_ieq(f->name, "from")) {
                img = f->value;
                where = in->kind == BH_I_COPY ? "COPY --from=" : "ADD --from=";
            } else if (in->kind == BH_I_RUN && bh_str_ieq(f->name, "mount") && f->value) {
                img = mount_from(a, f->value);
                where = "RUN --mount=...,from=";
            }
            if (img && !names_stage(bs, img, s))
                push(a, &v, &n, &cap, img, NULL, where, loc, s);
        }
    }
    *out = v;
    return n;
}

/* "FROM ${BASE}" resolves to 'nginx' - the quoted form used in messages. */
static const char *shown(struct bh_arena *a, const struct imgref *r)
{
    if (strcmp(r->raw, r->text) != 0)
        return bh_arena_printf(a, "%s%s (resolves to '%s')", r->where, r->raw, r->text);
    return bh_arena_printf(a, "%s%s", r->where, r->text);
}

/* One reference judged by REF-LATEST; shown is how messages name it. */
static void judge_latest(struct bh_rule_ctx *c, const char *text, const char *shown_as,
                         const struct bh_loc *loc, const char *stage)
{
    struct bh_imageref r;

    if (bh_imageref_parse(c->arena, text, &r) != 0 || r.is_scratch || !r.is_latest)
        return;
    bh_rule_report(c, loc, stage,
                   r.implicit_latest ? "%s has no tag and no digest, so it pulls 'latest'"
                                     : "%s uses the mutable 'latest' tag",
                   shown_as);
}

static void judge_digest(struct bh_rule_ctx *c, const char *text, const char *shown_as,
                         const struct bh_loc *loc, const char *stage)
{
    struct bh_imageref r;

    if (bh_imageref_parse(c->arena, text, &r) != 0 || r.is_scratch || r.digest)
        return;
    bh_rule_report(c, loc, stage,
                   "%s is not pinned by digest; the tag '%s' can be moved to other content",
                   shown_as, r.tag ? r.tag : "latest");
}

static void judge_registry(struct bh_rule_ctx *c, const char *text, const char *shown_as,
                           const struct bh_loc *loc, const char *stage)
{
    struct bh_imageref r;
    size_t k;

    if (bh_imageref_parse(c->arena, text, &r) != 0 || r.is_scratch)
        return;
    for (k = 0; k < c->policy->ntrusted_registries; k++) {
        if (bh_imageref_match(&r, c->policy->trusted_registries[k]))
            return;
    }
    bh_rule_report(c, loc, stage,
                   "%s pulls from the registry '%s', which is not in the policy's trusted "
                   "registries",
                   shown_as, r.registry ? r.registry : "?");
}

static void check_latest(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct imgref *v;
    size_t n = collect(c->arena, bs, &v), i;

    for (i = 0; i < n; i++) {
        if (bh_buildspec_stage_ships(bs, v[i].stage))
            judge_latest(c, v[i].text, shown(c->arena, &v[i]), &v[i].loc,
                         bh_buildspec_stage_label(c->arena, bs, v[i].stage));
    }
}

static void check_digest(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct imgref *v;
    size_t n = collect(c->arena, bs, &v), i;

    for (i = 0; i < n; i++) {
        if (bh_buildspec_stage_ships(bs, v[i].stage))
            judge_digest(c, v[i].text, shown(c->arena, &v[i]), &v[i].loc,
                         bh_buildspec_stage_label(c->arena, bs, v[i].stage));
    }
}

static void check_registry(struct bh_rule_ctx *c, const struct bh_buildspec *bs)
{
    struct imgref *v;
    size_t n, i;

    /* nothing to enforce until the policy lists trusted registries */
    if (!c->policy || c->policy->ntrusted_registries == 0)
        return;
    n = collect(c->arena, bs, &v);
    /* every stage: a builder pulled from anywhere can plant code in the artefact */
    for (i = 0; i < n; i++)
        judge_registry(c, v[i].text, shown(c->arena, &v[i]), &v[i].loc,
                       bh_buildspec_stage_label(c->arena, bs, v[i].stage));
}

/*
 * The image a container runs, or NULL when there is none to judge: unset (a
 * compose service that only builds), or still holding a variable the reader
 * could not resolve (`app:${TAG}` with TAG unset) - we cannot know its tag.
 */
static const char *run_image(const struct bh_runspec *rs)
{
    const char *v = rs->image.v;

    if (!v || !*v || strchr(v, '$'))
        return NULL;
    return v;
}

static void check_latest_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *img = run_image(rs);

    if (img)
        judge_latest(c, img, bh_arena_printf(c->arena, "image %s", img), &rs->image.loc, NULL);
}

static void check_digest_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *img = run_image(rs);

    if (img)
        judge_digest(c, img, bh_arena_printf(c->arena, "image %s", img), &rs->image.loc, NULL);
}

static void check_registry_run(struct bh_rule_ctx *c, const struct bh_runspec *rs)
{
    const char *img = run_image(rs);

    if (img && c->policy && c->policy->ntrusted_registries > 0)
        judge_registry(c, img, bh_arena_printf(c->arena, "image %s", img), &rs->image.loc, NULL);
}

/*
 * The reference the user named for an image target (registry and docker:NAME targets); an
 * archive or OCI layout on disk has none, and a name it carries inside is not what was pulled.
 */
static const char *image_ref(const struct bh_image *img, struct bh_loc *loc)
{
    const char *v = img->user_ref;

    if (!v || !*v || strchr(v, '$'))
        return NULL;
    memset(loc, 0, sizeof(*loc));
    loc->file = img->target;
    loc->path = "reference";
    return v;
}

static void check_latest_image(struct bh_rule_ctx *c, const struct bh_image *img)
{
    struct bh_loc loc;
    const char *ref = image_ref(img, &loc);

    if (ref)
        judge_latest(c, ref, bh_arena_printf(c->arena, "image %s", ref), &loc, NULL);
}

static void check_digest_image(struct bh_rule_ctx *c, const struct bh_image *img)
{
    struct bh_loc loc;
    const char *ref = image_ref(img, &loc);

    if (ref)
        judge_digest(c, ref, bh_arena_printf(c->arena, "image %s", ref), &loc, NULL);
}

static void check_registry_image(struct bh_rule_ctx *c, const struct bh_image *img)
{
    struct bh_loc loc;
    const char *ref = image_ref(img, &loc);

    if (ref && c->policy && c->policy->ntrusted_registries > 0)
        judge_registry(c, ref, bh_arena_printf(c->arena, "image %s", ref), &loc, NULL);
}

const struct bh_rule bh_rules_ref[] = {
    {"REF-DIGEST",
     6,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD | BH_APPLIES_RUN | BH_APPLIES_IMAGE,
     "Image reference not pinned by digest",
     check_digest,
     check_digest_run,
     "Pin every base and copied-from image by digest (name:tag@sha256:...) and let a dependency "
     "bot propose digest updates.",
     {"KICS K 'Image Without Digest'", NULL},
     NULL,
     check_digest_image,
     NULL,
     NULL,
     NULL},
    {"REF-LATEST",
     6,
     BH_SEV_MEDIUM,
     BH_APPLIES_BUILD | BH_APPLIES_RUN | BH_APPLIES_IMAGE,
     "Image reference uses latest or no tag",
     check_latest,
     check_latest_run,
     "Name an explicit version tag for every image, ideally together with its digest "
     "(name:1.2.3@sha256:...).",
     {"Dockle DKL-DI-0006", "hadolint DL3006", "hadolint DL3007", "trivy DS001", "trivy KSV013",
      "KICS D \"Image Version Using 'latest'\"", "KICS D 'Image Version Not Explicit'",
      "KICS K 'Invalid Image'", "CIS 5.28", NULL},
     NULL,
     check_latest_image,
     NULL,
     NULL,
     NULL},
    {"REF-REGISTRY",
     9,
     BH_SEV_HIGH,
     BH_APPLIES_BUILD | BH_APPLIES_RUN | BH_APPLIES_IMAGE,
     "Image from an untrusted registry",
     check_registry,
     check_registry_run,
     "Pull images only from registries listed under registries.trusted in the policy, mirroring "
     "public images into a trusted registry when needed.",
     {"hadolint DL3026", "trivy KSV032", "trivy KSV033", "trivy KSV034", "trivy KSV035",
      "trivy KSV124", "trivy KSV125", "CIS 4.2", NULL},
     NULL,
     check_registry_image,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_ref_n = sizeof(bh_rules_ref) / sizeof(bh_rules_ref[0]);
