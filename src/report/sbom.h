/*
 * sbom.h - what the two SBOM writers (cyclonedx.c, spdx.c) share: which target a document
 * describes, its creation time, a content-derived UUID and the SPDX licence expressions we
 * vouch for. Internal to src/report/; nothing outside the SBOM writers includes it.
 */
#ifndef BH_SBOM_H
#define BH_SBOM_H

#include "report/report.h"

#include <stdbool.h>
#include <stddef.h>

/* Room for bh_sbom_time's "YYYY-MM-DDThh:mm:ssZ" and for bh_sbom_uuid's 36 characters. */
#define BH_SBOM_TIME_LEN 32
#define BH_SBOM_UUID_LEN 40

/*
 * The target an SBOM describes: the first image or rootfs target of r, or NULL when there
 * is none (commands refuse several, so "first" is "the").
 */
const struct bh_target *bh_sbom_pick_target(const struct bh_report *r);

/*
 * The document's creation time, RFC 3339 UTC to the second: SOURCE_DATE_EPOCH when it is
 * set to a valid number (reproducible builds), else now. Never fails; a time gmtime cannot
 * render becomes the epoch.
 */
void bh_sbom_time(char out[BH_SBOM_TIME_LEN]);

/*
 * A name-based UUID (RFC 4122 version 5 layout, SHA-256 truncated to 128 bits) from tag and
 * what the document says about t (target, OS, every package and, when with_vulns, every
 * vulnerability match); t may be NULL. Same input, same UUID. Returns 0 or BH_ENOMEM when
 * hashing fails; out then holds nothing useful.
 */
int bh_sbom_uuid(const char *tag, const struct bh_target *t, bool with_vulns,
                 char out[BH_SBOM_UUID_LEN]);

/*
 * Is text an SPDX licence expression made only of the ids and exceptions we vouch for (each
 * is on the SPDX licence list), AND, OR, WITH, "+" and parentheses? Then true, out (of cap
 * bytes) holds it with every id in its canonical spelling, and *single says it is one plain
 * id. Operators must be upper case. False for anything else, including text that does not
 * fit in cap; out is then unspecified but NUL-terminated.
 */
bool bh_sbom_license_expr(const char *text, char *out, size_t cap, bool *single);

#endif
