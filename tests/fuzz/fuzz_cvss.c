/*
 * fuzz_cvss.c - libFuzzer target for the CVSS vector parser and scorer. Besides memory
 * errors it checks the contract: an accepted vector has a known version, a score in
 * 0..100 and a rating.
 */
#include "vuln/cvss.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_cvss c;
    struct bh_err err;

    bh_err_init(&err);
    if (bh_cvss_parse_n((const char *)data, size, &c, &err) != 0)
        return 0;
    if (c.score10 < 0 || c.score10 > 100 || !bh_cvss_rating(&c))
        abort();
    if (c.version != BH_CVSS_V2 && c.version != BH_CVSS_V30 && c.version != BH_CVSS_V31 &&
        c.version != BH_CVSS_V40)
        abort();
    return 0;
}
