/*
 * pipeline.c - policy and suppression over a target's findings. Pure data
 * transformations; the readers of the policy and ignore files live in input/.
 */
#include "rules/pipeline.h"

#include "core/str.h"
#include "model/vuln.h"

#include <fnmatch.h>
#include <string.h>

static void keep_if(struct bh_findings *f, const struct bh_policy *p, unsigned mask, int use_mask)
{
    size_t i, j = 0;

    for (i = 0; i < f->n; i++) {
        struct bh_finding *x = &f->v[i];
        bool keep = true;

        if (use_mask) {
            keep = (mask & (1u << x->severity)) != 0;
        } else {
            const struct bh_policy_rule *r = bh_policy_rule(p, x->rule);

            if (r && r->enabled == 0)
                keep = false;
            else if (r && r->severity >= 0)
                x->severity = (enum bh_severity)r->severity;
        }
        if (keep)
            f->v[j++] = *x;
    }
    f->n = j;
}

void bh_pipeline_policy(const struct bh_policy *p, struct bh_findings *f)
{
    if (p)
        keep_if(f, p, 0, 0);
}

void bh_pipeline_severity(unsigned mask, struct bh_findings *f)
{
    keep_if(f, NULL, mask, 1);
}

static bool ids_match(const char *const *ids, size_t n, const char *rule)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (bh_str_ieq(ids[i], rule) || strcmp(ids[i], "*") == 0)
            return true;
    }
    return false;
}

void bh_pipeline_inline(const struct bh_ignore *ig, size_t nig, struct bh_findings *f)
{
    size_t i, k;

    for (i = 0; i < f->n; i++) {
        struct bh_finding *x = &f->v[i];

        if (x->suppressed_kind || x->loc.line <= 0)
            continue;
        for (k = 0; k < nig; k++) {
            const struct bh_ignore *g = &ig[k];
            int end = x->loc.end_line > x->loc.line ? x->loc.end_line : x->loc.line;
            /* the comment's own line, or the instruction that starts right after it */
            bool covers =
                (g->line >= x->loc.line && g->line <= end) || (g->applies_line == x->loc.line);

            if (covers && ids_match(g->ids, g->nids, x->rule)) {
                x->suppressed_kind = "inline";
                x->suppressed_reason = g->reason ? g->reason : "";
                break;
            }
        }
    }
}

static bool glob_match(const char *glob, const char *path)
{
    const char *p = path;

    if (!glob)
        return true;
    if (!path)
        return false;
    if (p[0] == '.' && p[1] == '/')
        p += 2;
    if (fnmatch(glob, p, 0) == 0)
        return true;
    /* a glob without '/' matches the base name too, like .gitignore */
    if (!strchr(glob, '/')) {
        const char *base = strrchr(p, '/');

        if (fnmatch(glob, base ? base + 1 : p, 0) == 0)
            return true;
    }
    /* a trailing slash, or a trailing double star, covers everything below dir */
    {
        size_t gl = strlen(glob);

        if (gl >= 3 && strcmp(glob + gl - 3, "/**") == 0 && strncmp(p, glob, gl - 2) == 0)
            return true;
        if (gl >= 1 && glob[gl - 1] == '/' && strncmp(p, glob, gl) == 0)
            return true;
    }
    return false;
}

bool bh_pipeline_is_vuln_id(const char *id)
{
    const char *dash;
    size_t i;

    if (!id || !(dash = strchr(id, '-')) || dash == id)
        return false;
    /* rule ids are upper-case words joined by dashes (BUILD-USER, RUN-CAPADD); advisory ids
     * carry a number after a dash: CVE-2024-1234, DLA-3008-1, GO-2022-0969, GHSA-xxxx-... */
    if (bh_str_iprefix(id, "GHSA-") || bh_str_iprefix(id, "CGA-"))
        return true;
    for (i = (size_t)(dash - id); id[i]; i++)
        if (id[i] == '-' && id[i + 1] >= '0' && id[i + 1] <= '9')
            return true;
    return false;
}

/* Does a vulnerability entry name the advisory of x (its id or one of its aliases)? */
static bool vuln_match(const char *id, const struct bh_finding *x)
{
    const struct bh_vulnmatch *m = x->vuln;
    size_t i;

    if (!m || !m->id)
        return false;
    if (bh_str_ieq(id, m->id))
        return true;
    for (i = 0; i < m->naliases; i++)
        if (m->aliases[i] && bh_str_ieq(id, m->aliases[i]))
            return true;
    return false;
}

void bh_pipeline_ignorefile(const struct bh_ignorefile *igf, struct bh_findings *f)
{
    size_t i, k;

    if (!igf)
        return;
    for (i = 0; i < f->n; i++) {
        struct bh_finding *x = &f->v[i];

        if (x->suppressed_kind)
            continue;
        for (k = 0; k < igf->n; k++) {
            const struct bh_ignorefile_entry *e = &igf->v[k];
            bool hit;

            if (bh_str_ieq(e->id, x->rule)) {
                hit = glob_match(e->glob, x->loc.file);
            } else if (bh_pipeline_is_vuln_id(e->id) && vuln_match(e->id, x)) {
                /* a vulnerability entry's glob may also name the package's file in the image
                 * (a directory glob such as usr/lib/node_modules/), not only the target */
                hit = glob_match(e->glob, x->loc.file) ||
                      (x->loc.path && glob_match(e->glob, x->loc.path + (x->loc.path[0] == '/')));
            } else {
                hit = false;
            }
            if (hit) {
                x->suppressed_kind = "ignorefile";
                x->suppressed_reason = e->reason ? e->reason : "";
                break;
            }
        }
    }
}
