/*
 * registry.c - merges the per-file rule tables into one sorted list, looks
 * rules up, runs them over a model and builds findings from rule rows.
 * It knows nothing about any particular rule.
 */
#include "rules/rule.h"

#include "core/arena.h"
#include "core/str.h"
#include "rules/groups.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 512

static const struct bh_rule *sorted[MAX_RULES];
static size_t nsorted;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_rule(const void *a, const void *b)
{
    const struct bh_rule *const *x = a, *const *y = b;

    return strcmp((*x)->id, (*y)->id);
}

static void add_group(const struct bh_rule *t, size_t n)
{
    size_t i;

    for (i = 0; i < n && nsorted < MAX_RULES; i++)
        sorted[nsorted++] = &t[i];
}

static void build_index(void)
{
    add_group(bh_rules_build, bh_rules_build_n);
    add_group(bh_rules_content, bh_rules_content_n);
    add_group(bh_rules_engine, bh_rules_engine_n);
    add_group(bh_rules_host, bh_rules_host_n);
    add_group(bh_rules_image, bh_rules_image_n);
    add_group(bh_rules_ref, bh_rules_ref_n);
    add_group(bh_rules_runpriv, bh_rules_runpriv_n);
    add_group(bh_rules_runexpose, bh_rules_runexpose_n);
    add_group(bh_rules_vuln, bh_rules_vuln_n);
    qsort(sorted, nsorted, sizeof(sorted[0]), cmp_rule);
}

size_t bh_rules_count(void)
{
    pthread_once(&once, build_index);
    return nsorted;
}

const struct bh_rule *bh_rules_at(size_t i)
{
    pthread_once(&once, build_index);
    return i < nsorted ? sorted[i] : NULL;
}

const struct bh_rule *bh_rules_find(const char *id)
{
    size_t i;

    pthread_once(&once, build_index);
    for (i = 0; i < nsorted; i++) {
        if (bh_str_ieq(sorted[i]->id, id))
            return sorted[i];
    }
    return NULL;
}

__attribute__((format(printf, 5, 0))) static struct bh_finding *
vreport(struct bh_rule_ctx *c, enum bh_severity sev, const struct bh_loc *loc, const char *stage,
        const char *fmt, va_list ap)
{
    struct bh_finding *f;
    va_list cp;
    char *msg;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    msg = bh_arena_alloc(c->arena, (size_t)n + 1);
    if (!msg)
        return NULL;
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    f = bh_findings_add(c->arena, c->out);
    if (!f)
        return NULL;
    f->rule = c->rule->id;
    f->mistake = c->rule->mistake;
    f->severity = sev;
    f->title = c->rule->title;
    f->message = msg;
    f->fix = c->rule->fix;
    f->refs = c->rule->refs;
    if (loc)
        f->loc = *loc;
    f->stage = stage;
    return f;
}

struct bh_finding *bh_rule_report(struct bh_rule_ctx *c, const struct bh_loc *loc,
                                  const char *stage, const char *fmt, ...)
{
    struct bh_finding *f;
    va_list ap;

    va_start(ap, fmt);
    f = vreport(c, c->rule->severity, loc, stage, fmt, ap);
    va_end(ap);
    return f;
}

struct bh_finding *bh_rule_report_sev(struct bh_rule_ctx *c, enum bh_severity sev,
                                      const struct bh_loc *loc, const char *stage, const char *fmt,
                                      ...)
{
    struct bh_finding *f;
    va_list ap;

    va_start(ap, fmt);
    f = vreport(c, sev, loc, stage, fmt, ap);
    va_end(ap);
    return f;
}

void bh_rules_check_build(struct bh_arena *a, const struct bh_policy *p,
                          const struct bh_buildspec *bs, struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_build)
            continue;
        c.rule = r;
        r->check_build(&c, bs);
    }
}

void bh_rules_check_run(struct bh_arena *a, const struct bh_policy *p, const struct bh_runspec *rs,
                        struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_run)
            continue;
        c.rule = r;
        r->check_run(&c, rs);
    }
}

void bh_rules_check_spec(struct bh_arena *a, const struct bh_policy *p, const struct bh_runset *set,
                         size_t k, struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, set};
    size_t i, n = bh_rules_count();

    if (k >= set->nspecs)
        return;
    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_run)
            continue;
        c.rule = r;
        r->check_run(&c, &set->specs[k]);
    }
}

void bh_rules_check_runset(struct bh_arena *a, const struct bh_policy *p,
                           const struct bh_runset *set, struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, set};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_runset)
            continue;
        c.rule = r;
        r->check_runset(&c, set);
    }
}

void bh_rules_check_image(struct bh_arena *a, const struct bh_policy *p, const struct bh_image *img,
                          struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_image)
            continue;
        c.rule = r;
        r->check_image(&c, img);
    }
}

void bh_rules_check_vulns(struct bh_arena *a, const struct bh_policy *p,
                          const struct bh_vulnset *vs, struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_vulns)
            continue;
        c.rule = r;
        r->check_vulns(&c, vs);
    }
}

void bh_rules_check_host(struct bh_arena *a, const struct bh_policy *p, const struct bh_host *h,
                         struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_host)
            continue;
        c.rule = r;
        r->check_host(&c, h);
    }
}

void bh_rules_check_container(struct bh_arena *a, const struct bh_policy *p,
                              const struct bh_container *ct, const struct bh_engine *e,
                              struct bh_findings *out)
{
    struct bh_rule_ctx c = {a, p, out, NULL, NULL};
    size_t i, n = bh_rules_count();

    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (!r->check_container)
            continue;
        c.rule = r;
        r->check_container(&c, ct, e);
    }
}
