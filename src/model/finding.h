/*
 * finding.h - a finding, the list of findings of one target, and the report
 * (targets plus read errors) that reporters write. Plain data in an arena.
 * Severity and mistake enums live here so models, rules and reporters share them.
 */
#ifndef BH_FINDING_H
#define BH_FINDING_H

#include "model/loc.h"
#include "model/package.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;
struct bh_vulnmatch; /* model/vuln.h */

enum bh_severity {
    BH_SEV_INFO = 0,
    BH_SEV_LOW = 1,
    BH_SEV_MEDIUM = 2,
    BH_SEV_HIGH = 3,
    BH_SEV_CRITICAL = 4,
};
#define BH_SEV_COUNT 5

/* "info", "low", ... */
const char *bh_severity_name(enum bh_severity s);
/* Parse a severity name (case-insensitive); -1 when unknown. */
int bh_severity_parse(const char *s);

#define BH_MAX_REFS 16

struct bh_finding {
    const char *rule; /* rule id, e.g. "BUILD-USER" */
    int mistake;      /* 1..9 (M1..M9) */
    enum bh_severity severity;
    const char *title;       /* the rule's title */
    const char *message;     /* this finding: what exactly, with the offending value */
    const char *fix;         /* how to fix */
    const char *const *refs; /* peers' ids / CIS numbers, NULL-terminated; borrowed from the rule */
    struct bh_loc loc;
    const char *stage; /* Dockerfile stage ("builder", "#0"), or NULL */
    /* suppression: NULL when the finding stands */
    const char *suppressed_kind;   /* "inline", "ignorefile", "annotation" */
    const char *suppressed_reason; /* may be "" */
    /* IMG-VULN findings: the advisory and package (report "vulnerability" object); else NULL */
    const struct bh_vulnmatch *vuln;
};

struct bh_findings {
    struct bh_finding *v;
    size_t n, cap;
};

enum bh_target_kind {
    BH_KIND_DOCKERFILE,
    BH_KIND_COMPOSE,
    BH_KIND_KUBERNETES,
    BH_KIND_RUNLINES,
    BH_KIND_IMAGE,
    BH_KIND_HOST,
    BH_KIND_ENGINE,
    BH_KIND_ROOTFS,
    BH_KIND_UNKNOWN,
};
const char *bh_target_kind_name(enum bh_target_kind k); /* "dockerfile", "compose", ... */

struct bh_target {
    const char *target; /* path or reference as shown in reports */
    enum bh_target_kind kind;
    struct bh_findings findings;
    /*
     * Image and root filesystem targets: what is installed (report "packages", SBOMs), the
     * OS it says it is (id NULL when unknown), the image's id (config digest) or NULL, and
     * the vulnerability matches when a database was given (SBOM "vulnerabilities").
     */
    struct bh_packages packages;
    struct bh_osinfo os;
    const char *image_id;
    struct bh_vulnmatch *vulns;
    size_t nvulns;
};

struct bh_report_error {
    const char *target;
    const char *message;
    int line, col; /* 0 = unknown */
};

struct bh_report {
    const char *tool_version;
    struct bh_target *targets;
    size_t ntargets, targets_cap;
    struct bh_report_error *errors;
    size_t nerrors, errors_cap;
};

/* Append a zeroed finding; NULL on allocation failure. */
struct bh_finding *bh_findings_add(struct bh_arena *a, struct bh_findings *f);
struct bh_target *bh_report_add_target(struct bh_arena *a, struct bh_report *r, const char *target,
                                       enum bh_target_kind kind);
/* Copies message into the arena. */
int bh_report_add_error(struct bh_arena *a, struct bh_report *r, const char *target,
                        const char *message, int line, int col);
/*
 * Sort the findings of every target deterministically: by file, line, column,
 * rule id, message. Targets keep the order they were added in.
 */
void bh_report_sort(struct bh_report *r);

#endif
