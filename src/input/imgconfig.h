/*
 * imgconfig.h - an image's config JSON (OCI image config, Docker image JSON)
 * read into the same struct bh_buildspec a Dockerfile gives, so BUILD-, IMG-,
 * REF- and OTH- rules run on images unchanged, plus the facts only an image
 * has (struct bh_imgmeta). See docs/internals/image-config.md.
 */
#ifndef BH_IMGCONFIG_H
#define BH_IMGCONFIG_H

#include "core/err.h"
#include "model/buildspec.h"
#include "model/image.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

/*
 * Parse the config JSON (json, len) of image ref into *out (initialised here)
 * and *meta (may be NULL). out gets origin BH_BS_IMAGE, file = ref, one stage
 * (index 0, final, no base: an image does not show its FROM) and the
 * instructions rebuilt from history[] (classic `/bin/sh -c #(nop) ...`, plain
 * `/bin/sh -c ...` RUNs, BuildKit `RUN ... # buildkit`, `EXPOSE map[...]`,
 * `HEALTHCHECK &{...}` ...), then instructions derived from the config where
 * its final state (User, Env, ExposedPorts, Volumes, Healthcheck, Entrypoint,
 * Cmd, WorkingDir, StopSignal, Shell, Labels, OnBuild) is not what history
 * already says. Locations: file = ref; a history instruction has line N+1 and
 * path "history[N].created_by"; a config one has line 0 and path "config.User",
 * "config.Env[2]", ... History text that is not a recognisable instruction
 * becomes BH_I_UNKNOWN (raw = the text); it never fails the parse.
 * Errors: BH_EPARSE naming ref and the JSON path for malformed JSON, a root
 * that is not an object, fields of the wrong type, diff_ids that are not digests;
 * BH_ELIMIT past BH_MAX_IMAGE_HISTORY, BH_MAX_IMAGE_LAYERS, json.h's or the shell
 * tokenizer's limits; BH_ENOMEM.
 */
int bh_imgconfig_parse(struct bh_arena *a, const char *ref, const char *json, size_t len,
                       struct bh_buildspec *out, struct bh_imgmeta *meta, struct bh_err *err);

#endif
