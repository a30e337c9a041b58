/*
 * fuzz_version.c - libFuzzer target for version ordering: byte 0 picks the scheme, the
 * rest is split at the first NUL (or in half) into two versions. Checks that comparison
 * never crashes, is reflexive and antisymmetric, and agrees with validity.
 */
#include "vuln/version/scheme.h"
#include "vuln/version/version.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum bh_vscheme s;
    const uint8_t *sep;
    size_t alen, blen;
    char *a, *b;
    int ab = 9, ba = 9, aa = 9, rc1, rc2;

    if (size < 1)
        return 0;
    s = (enum bh_vscheme)(data[0] % (BH_VS_CRAN + 1));
    data++;
    size--;
    sep = memchr(data, 0, size);
    alen = sep ? (size_t)(sep - data) : size / 2;
    blen = sep ? size - alen - 1 : size - alen;
    a = malloc(alen + 1);
    b = malloc(blen + 1);
    if (a == NULL || b == NULL)
        abort();
    memcpy(a, data, alen);
    a[alen] = '\0';
    memcpy(b, data + size - blen, blen);
    b[blen] = '\0';

    rc1 = bh_version_cmp(s, a, b, &ab);
    rc2 = bh_version_cmp(s, b, a, &ba);
    if (rc1 != rc2)
        abort();
    if (rc1 == 0 && (ab < -1 || ab > 1 || ab != -ba))
        abort();
    if (rc1 != 0 && (ab != 9 || ba != 9))
        abort(); /* *out untouched on failure */
    if (bh_version_valid(s, a) && bh_version_valid(s, b) && rc1 != 0)
        abort();
    if (bh_version_cmp(s, a, a, &aa) == 0 && aa != 0)
        abort();
    if (s == BH_VS_APK)
        (void)bh_version_apk_match(a, "<~", b);
    (void)bh_version_scheme_of(a, &s);
    free(a);
    free(b);
    return 0;
}
