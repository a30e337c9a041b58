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

#include <stdbool.h>

struct bh_arena;

/* Remove findings of disabled rules; apply severity overrides. */
void bh_pipeline_policy(const struct bh_policy *p, struct bh_findings *f);
/* Mark findings covered by inline `# bulkhead:ignore=` comments. */
void bh_pipeline_inline(const struct bh_ignore *ig, size_t nig, struct bh_findings *f);
/*
 * Mark findings covered by ignore-file entries. An entry's id matches a finding's rule id
 * or, when it looks like a vulnerability id, an IMG-VULN finding's advisory id or any of
 * its aliases (case-insensitive). Its glob matches the finding's file, and for
 * vulnerability entries also the package's path in the image. Expired entries (exp:)
 * never reach here: the reader drops them.
 */
void bh_pipeline_ignorefile(const struct bh_ignorefile *igf, struct bh_findings *f);
/*
 * Does id look like a vulnerability id rather than a rule id: a dash followed by a digit
 * (CVE-2024-1234, GO-2022-0969, PYSEC-2023-62, DLA-3008-1, ALPINE-CVE-..., RUSTSEC-...),
 * or a GHSA-/CGA- id? Only such entries are compared with advisory ids and aliases.
 */
bool bh_pipeline_is_vuln_id(const char *id);
/* Remove findings whose severity is not in the mask (bit 1<<severity). */
void bh_pipeline_severity(unsigned mask, struct bh_findings *f);

#endif
