/*
 * cvss.h - strict CVSS vector parsing and base scores, exactly as the FIRST
 * specifications define them: v2.0, v3.0, v3.1 and v4.0 (CVSS-B). Scores are
 * kept in tenths (98 means 9.8) so nothing downstream compares floats.
 */
#ifndef BH_CVSS_H
#define BH_CVSS_H

#include <stddef.h>

#include "core/err.h"

enum bh_cvss_version {
    BH_CVSS_V2 = 20,  /* "AV:N/AC:L/Au:N/C:P/I:P/A:P", no prefix */
    BH_CVSS_V30 = 30, /* "CVSS:3.0/..." */
    BH_CVSS_V31 = 31, /* "CVSS:3.1/..." */
    BH_CVSS_V40 = 40, /* "CVSS:4.0/..." */
};

struct bh_cvss {
    int version; /* enum bh_cvss_version */
    int score10; /* base score in tenths, 0..100 */
    /* v4.0 only: the MacroVector (EQ1..EQ6 levels as digits, NUL-terminated); "" otherwise */
    char macro[7];
};

/*
 * Parse a NUL-terminated vector and compute its base score. Strict: every
 * mandatory base metric exactly once, every metric known to the version and
 * at most once, every value one the specification lists, no empty or trailing
 * components. Temporal, threat, environmental and supplemental metrics are
 * validated and accepted but do not change the score (it is the base score:
 * CVSS-B for v4.0). Returns 0, or BH_EPARSE / BH_ELIMIT with err filled.
 */
int bh_cvss_parse(const char *vector, struct bh_cvss *out, struct bh_err *err);

/* The same over (s, len); s need not be NUL-terminated. */
int bh_cvss_parse_n(const char *s, size_t len, struct bh_cvss *out, struct bh_err *err);

/*
 * Qualitative rating of a v3.x/v4.0 score in tenths: "none" (0), "low" (1-39),
 * "medium" (40-69), "high" (70-89), "critical" (90-100); NULL outside 0..100.
 */
const char *bh_cvss_severity(int score10);

/* The v2 (NVD) scale: "low" (0-39), "medium" (40-69), "high" (70-100); NULL outside 0..100. */
const char *bh_cvss_severity_v2(int score10);

/* The rating for a parsed vector: the v2 scale for v2, else the v3/v4 scale. */
const char *bh_cvss_rating(const struct bh_cvss *c);

#endif
