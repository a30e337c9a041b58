/*
 * image_checks.h - check_image functions that live in rules/image.c but belong
 * to rows of other tables (content.c, build.c), plus the small pure helpers the
 * unit tests reach directly. Private to src/rules/.
 */
#ifndef BH_IMAGE_CHECKS_H
#define BH_IMAGE_CHECKS_H

#include "rules/rule.h"

#include <stdbool.h>

/* content.c rows */
void bh_imgcheck_suid(struct bh_rule_ctx *c, const struct bh_image *img);
void bh_imgcheck_secret_file(struct bh_rule_ctx *c, const struct bh_image *img);
void bh_imgcheck_sshd(struct bh_rule_ctx *c, const struct bh_image *img);
void bh_imgcheck_tools(struct bh_rule_ctx *c, const struct bh_image *img);
/* build.c rows */
void bh_imgcheck_insecure_fetch(struct bh_rule_ctx *c, const struct bh_image *img);
void bh_imgcheck_cache(struct bh_rule_ctx *c, const struct bh_image *img);

/* The embedded data/eol.tsv ("" when the build did not embed it). */
const char *bh_imgcheck_eol_table(void);

/* IMG-AGE for the image an engine container runs (rules/engine.c): the check_container of the
 * IMG-AGE row, dated by the engine's image list. */
void bh_enginecheck_image_age(struct bh_rule_ctx *c, const struct bh_container *ct,
                              const struct bh_engine *e);

#endif
