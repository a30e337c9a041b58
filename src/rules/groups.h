/*
 * groups.h - the rule tables, one per rule file. registry.c merges them into
 * one id-sorted list. Adding a rule = adding a row to one of these tables
 * (plus docs/rules/ID.md and fixtures under tests/rules/ID/).
 */
#ifndef BH_RULE_GROUPS_H
#define BH_RULE_GROUPS_H

#include "rules/rule.h"

/* build.c: how the image is built (BUILD-*) */
extern const struct bh_rule bh_rules_build[];
extern const size_t bh_rules_build_n;
/* content.c: what the build puts in the image or exposes (IMG-*, RUN-* on VOLUME, OTH-HEALTH) */
extern const struct bh_rule bh_rules_content[];
extern const size_t bh_rules_content_n;
/* engine.c: a container on a live engine or in its state directory (RUN-DEFBRIDGE, RUN-DRIFT;
   IMG-AGE of the image a container runs) */
extern const struct bh_rule bh_rules_engine[];
extern const size_t bh_rules_engine_n;
/* host.c: the host and its engine (HOST-*, the host side of REF-TRUST) */
extern const struct bh_rule bh_rules_host[];
extern const size_t bh_rules_host_n;
/* image.c: what an image holds (accounts, leftovers, digests, age, end of life) */
extern const struct bh_rule bh_rules_image[];
extern const size_t bh_rules_image_n;
/* ref.c: image references (REF-*) */
extern const struct bh_rule bh_rules_ref[];
extern const size_t bh_rules_ref_n;
/* runpriv.c: runtime privileges (RUN-PRIV, RUN-CAP*, host namespaces, devices, LSMs, ...) */
extern const struct bh_rule bh_rules_runpriv[];
extern const size_t bh_rules_runpriv_n;
/* runexpose.c: runtime exposure, mounts, users, limits (RUN-PORTS-*, RUN-ROOT*, K8S-*, ...) */
extern const struct bh_rule bh_rules_runexpose[];
extern const size_t bh_rules_runexpose_n;
/* vuln.c: installed packages with known vulnerabilities (IMG-VULN) */
extern const struct bh_rule bh_rules_vuln[];
extern const size_t bh_rules_vuln_n;

#endif
