/*
 * rule.h - the rule table: one const row per rule {id, mistake, severity,
 * applies_to, title, check, fix, refs}. Checks are pure functions over a
 * model that append findings through bh_rule_report(); no I/O, no parsing.
 */
#ifndef BH_RULE_H
#define BH_RULE_H

#include "model/buildspec.h"
#include "model/engine.h"
#include "model/finding.h"
#include "model/host.h"
#include "model/image.h"
#include "model/policy.h"
#include "model/runspec.h"
#include "model/vuln.h"

#include <stddef.h>

struct bh_arena;
struct bh_rule;

/* Which models a rule reads. */
enum bh_applies {
    BH_APPLIES_BUILD = 1u << 0, /* bh_buildspec: Dockerfile, image config+history */
    BH_APPLIES_RUN = 1u << 1,   /* bh_runspec */
    BH_APPLIES_IMAGE = 1u << 2, /* image files and packages */
    BH_APPLIES_HOST = 1u << 3,  /* host and engine */
};

/* What a check gets: where to put findings, and the policy it may consult. */
struct bh_rule_ctx {
    struct bh_arena *arena;
    const struct bh_policy *policy;
    struct bh_findings *out;
    const struct bh_rule *rule; /* the rule being run; set by the runner */
    /* check_run: the file's other containers, for `container:`/`service:` chains; may be NULL */
    const struct bh_runset *runset;
};

struct bh_rule {
    const char *id;            /* stable id, RULES.md */
    int mistake;               /* 1..9 */
    enum bh_severity severity; /* default */
    unsigned applies_to;       /* enum bh_applies bits */
    const char *title;
    void (*check_build)(struct bh_rule_ctx *c, const struct bh_buildspec *bs);
    void (*check_run)(struct bh_rule_ctx *c, const struct bh_runspec *rs);
    const char *fix;
    const char *const refs[BH_MAX_REFS]; /* peers' ids, NULL-terminated */
    /* K8s Services and other file-level exposure (c->runset is set); last so rows may omit it */
    void (*check_runset)(struct bh_rule_ctx *c, const struct bh_runset *set);
    /* An image's files, captured files, secrets and layers (BH_APPLIES_IMAGE); may be NULL */
    void (*check_image)(struct bh_rule_ctx *c, const struct bh_image *img);
    /* Vulnerability matches of an image or root filesystem (IMG-VULN); may be NULL */
    void (*check_vulns)(struct bh_rule_ctx *c, const struct bh_vulnset *vs);
    /* The host and its engine configuration (BH_APPLIES_HOST); may be NULL */
    void (*check_host)(struct bh_rule_ctx *c, const struct bh_host *h);
    /* A container on an engine beyond its runspec (network, drift, exec sessions, its
       image), with the engine for its images; may be NULL */
    void (*check_container)(struct bh_rule_ctx *c, const struct bh_container *ct,
                            const struct bh_engine *e);
};

/* Every rule, sorted by id (the tables of all rule files, see groups.h). */
size_t bh_rules_count(void);
const struct bh_rule *bh_rules_at(size_t i);

/* Case-insensitive lookup; NULL when unknown. */
const struct bh_rule *bh_rules_find(const char *id);

/*
 * Append a finding for c->rule at loc with the rule's default severity.
 * stage may be NULL. The message is formatted into the arena and escaped
 * later by the writers, so it may quote input text verbatim.
 */
struct bh_finding *bh_rule_report(struct bh_rule_ctx *c, const struct bh_loc *loc,
                                  const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same with an explicit severity (a rule whose severity depends on the case). */
struct bh_finding *bh_rule_report_sev(struct bh_rule_ctx *c, enum bh_severity sev,
                                      const struct bh_loc *loc, const char *stage, const char *fmt,
                                      ...) __attribute__((format(printf, 5, 6)));

/*
 * A rule that finds an item the policy allow-lists (socket images, capabilities,
 * devices) still reports it, then marks the returned finding:
 *   f->suppressed_kind = "policy"; f->suppressed_reason = "allowed by the policy: ...";
 * so reports show it as suppressed with the policy as the reason.
 */

/* Run every rule that applies to a buildspec / runspec. */
void bh_rules_check_build(struct bh_arena *a, const struct bh_policy *p,
                          const struct bh_buildspec *bs, struct bh_findings *out);
void bh_rules_check_run(struct bh_arena *a, const struct bh_policy *p, const struct bh_runspec *rs,
                        struct bh_findings *out);
/* Every check_run over set->specs[k], with the set as context for chains. */
void bh_rules_check_spec(struct bh_arena *a, const struct bh_policy *p, const struct bh_runset *set,
                         size_t k, struct bh_findings *out);
/* Every check_image over an image (its buildspec goes through bh_rules_check_build). */
void bh_rules_check_image(struct bh_arena *a, const struct bh_policy *p, const struct bh_image *img,
                          struct bh_findings *out);
/* Every check_container over one container of e. */
void bh_rules_check_container(struct bh_arena *a, const struct bh_policy *p,
                              const struct bh_container *ct, const struct bh_engine *e,
                              struct bh_findings *out);
/* Every check_host over a host. */
void bh_rules_check_host(struct bh_arena *a, const struct bh_policy *p, const struct bh_host *h,
                         struct bh_findings *out);
/* Every check_vulns over a target's matches. */
void bh_rules_check_vulns(struct bh_arena *a, const struct bh_policy *p,
                          const struct bh_vulnset *vs, struct bh_findings *out);
/* Every check_runset over the set (services and other file-level exposure). */
void bh_rules_check_runset(struct bh_arena *a, const struct bh_policy *p,
                           const struct bh_runset *set, struct bh_findings *out);

#endif
