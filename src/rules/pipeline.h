/*
 * pipeline.h - what happens to findings between the rules and the reporters:
 * the policy (rules off, severity overrides), then suppressions (inline
 * comments, ignore file). Suppressed findings are kept and marked, so JSON
 * and SARIF can show them; the table and the exit code skip them.
 */
#ifndef BH_PIPELINE_H
#define BH_PIPELINE_H

#include "model/buildspec.h"
#include "model/finding.h"
#include "model/policy.h"
#include "model/suppress.h"

struct bh_arena;

/* Remove findings of disabled rules; apply severity overrides. */
void bh_pipeline_policy(const struct bh_policy *p, struct bh_findings *f);
/* Mark findings covered by inline `# bulkhead:ignore=` comments. */
void bh_pipeline_inline(const struct bh_ignore *ig, size_t nig, struct bh_findings *f);
/* Mark findings covered by ignore-file entries; path is the finding's file. */
void bh_pipeline_ignorefile(const struct bh_ignorefile *igf, struct bh_findings *f);
/* Remove findings whose severity is not in the mask (bit 1<<severity). */
void bh_pipeline_severity(unsigned mask, struct bh_findings *f);

#endif
