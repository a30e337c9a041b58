/*
 * vuln.c - IMG-VULN: one finding per (advisory, installed package) the
 * matcher found. The matching itself (versions, ranges, vendor-first keys)
 * is in vuln/match.c; this only turns matches into findings, at the
 * advisory's own severity, located at the package database that lists it.
 */
#include "rules/groups.h"

#include "core/arena.h"

#include <string.h>

static void check_vulns(struct bh_rule_ctx *c, const struct bh_vulnset *vs)
{
    size_t i;

    for (i = 0; i < vs->n; i++) {
        const struct bh_vulnmatch *m = &vs->v[i];
        const struct bh_package *p = m->pkg < vs->pkgs->n ? &vs->pkgs->v[m->pkg] : NULL;
        struct bh_finding *f;
        struct bh_loc loc;
        char layer[32] = "", via[160] = "";

        if (!p)
            continue;
        memset(&loc, 0, sizeof(loc));
        loc.file = vs->target;
        loc.path = p->path ? bh_arena_printf(c->arena, "/%s", p->path) : NULL;
        if (p->layer >= 0)
            snprintf(layer, sizeof(layer), ", installed by layer %d", p->layer);
        if (m->package && strcmp(m->package, p->name) != 0)
            snprintf(via, sizeof(via), "source %s, ", m->package);
        f = bh_rule_report_sev(c, m->severity, &loc, NULL, "%s in %s %s (%s%s): %s%s%s", m->id,
                               p->name, m->installed, via, m->ecosystem,
                               m->fixed ? "fixed in " : "no fixed version yet",
                               m->fixed ? m->fixed : "", layer);
        if (f)
            f->vuln = m;
    }
}

const struct bh_rule bh_rules_vuln[] = {
    {"IMG-VULN",
     2,
     BH_SEV_HIGH,
     BH_APPLIES_IMAGE,
     "Installed package with a known vulnerability",
     NULL,
     NULL,
     "Upgrade the package to the fixed version (rebuild on a patched base image, or update it "
     "in the Dockerfile); when there is no fix, remove the package if it is not needed.",
     {"Dockle CIS-DI-0004", "CIS 4.4", "CIS 4.11", NULL},
     NULL,
     NULL,
     check_vulns,
     NULL,
     NULL},
};
const size_t bh_rules_vuln_n = sizeof(bh_rules_vuln) / sizeof(bh_rules_vuln[0]);
