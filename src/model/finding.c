/*
 * finding.c - constructors and ordering for findings and reports. No I/O.
 */
#include "model/finding.h"

#include "core/arena.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

static const char *const sev_names[BH_SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

const char *bh_severity_name(enum bh_severity s)
{
    return (unsigned)s < BH_SEV_COUNT ? sev_names[s] : "unknown";
}

int bh_severity_parse(const char *s)
{
    int i;

    for (i = 0; i < BH_SEV_COUNT; i++) {
        if (bh_str_ieq(s, sev_names[i]))
            return i;
    }
    return -1;
}

const char *bh_target_kind_name(enum bh_target_kind k)
{
    switch (k) {
    case BH_KIND_DOCKERFILE:
        return "dockerfile";
    case BH_KIND_COMPOSE:
        return "compose";
    case BH_KIND_KUBERNETES:
        return "kubernetes";
    case BH_KIND_RUNLINES:
        return "runlines";
    case BH_KIND_IMAGE:
        return "image";
    case BH_KIND_HOST:
        return "host";
    case BH_KIND_ENGINE:
        return "engine";
    case BH_KIND_ROOTFS:
        return "rootfs";
    default:
        return "unknown";
    }
}

struct bh_finding *bh_findings_add(struct bh_arena *a, struct bh_findings *f)
{
    return BH_PUSH(a, f->v, f->n, f->cap);
}

struct bh_target *bh_report_add_target(struct bh_arena *a, struct bh_report *r, const char *target,
                                       enum bh_target_kind kind)
{
    struct bh_target *t = BH_PUSH(a, r->targets, r->ntargets, r->targets_cap);

    if (!t)
        return NULL;
    t->target = bh_arena_strdup(a, target);
    t->kind = kind;
    return t->target ? t : NULL;
}

int bh_report_add_error(struct bh_arena *a, struct bh_report *r, const char *target,
                        const char *message, int line, int col)
{
    struct bh_report_error *e = BH_PUSH(a, r->errors, r->nerrors, r->errors_cap);

    if (!e)
        return -1;
    e->target = bh_arena_strdup(a, target);
    e->message = bh_arena_strdup(a, message);
    e->line = line;
    e->col = col;
    return (e->target && e->message) ? 0 : -1;
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct bh_finding *a = pa, *b = pb;
    int c;

    if ((c = strcmp0(a->loc.file, b->loc.file)))
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    if ((c = strcmp0(a->rule, b->rule)))
        return c;
    if ((c = strcmp0(a->loc.path, b->loc.path)))
        return c;
    return strcmp0(a->message, b->message);
}

void bh_report_sort(struct bh_report *r)
{
    size_t i;

    for (i = 0; i < r->ntargets; i++) {
        if (r->targets[i].findings.n > 1)
            qsort(r->targets[i].findings.v, r->targets[i].findings.n, sizeof(struct bh_finding),
                  cmp_finding);
    }
}
