/*
 * composer.c - Packagist (Composer) versions, ordered as PHP's version_compare() orders
 * them after a leading "v" is dropped: the string is cut into digit runs and letter runs
 * (anything else separates), numbers compare as numbers, words by their rank
 * (unknown < dev < alpha = a < beta = b < RC = rc < a number < pl = p).
 */
#include "vuln/version/scheme.h"

struct part {
    const char *p;
    size_t n;
    bool num;
};

static bool next_part(const char **v, struct part *out)
{
    const char *p = *v;

    while (*p && !bh_version_isdigit((unsigned char)*p) && !bh_version_isalpha((unsigned char)*p))
        p++;
    if (*p == '\0')
        return false;
    out->p = p;
    out->num = bh_version_isdigit((unsigned char)*p);
    while (*p && (out->num ? bh_version_isdigit((unsigned char)*p)
                           : bh_version_isalpha((unsigned char)*p)))
        p++;
    out->n = (size_t)(p - out->p);
    *v = p;
    return true;
}

/* PHP matches a word by prefix against its table, first hit wins. */
static int word_rank(const struct part *w)
{
    static const struct {
        const char *name;
        int rank;
    } forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
                 {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};

    if (w->num)
        return 4;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        size_t len = strlen(forms[i].name);

        if (w->n >= len && memcmp(w->p, forms[i].name, len) == 0)
            return forms[i].rank;
    }
    return -1;
}

static const char *strip_v(const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    if ((*v == 'v' || *v == 'V') && bh_version_isdigit((unsigned char)v[1]))
        v++;
    return v;
}

bool bh_version_composer_valid(const char *v)
{
    struct part p;

    /* PHP orders anything with a letter or digit in it, branch names ("dev-main") included */
    v = strip_v(v);
    return next_part(&v, &p);
}

int bh_version_composer_cmp(const char *a, const char *b)
{
    a = strip_v(a);
    b = strip_v(b);
    for (;;) {
        struct part x, y;
        bool hx = next_part(&a, &x), hy = next_part(&b, &y);
        int r, rx, ry;

        if (!hx && !hy)
            return 0;
        if (hx && hy && x.num && y.num) {
            r = bh_version_numcmp(x.p, x.n, y.p, y.n);
            if (r != 0)
                return r;
            continue;
        }
        /* one side ran out: a number left over is newer; a word left over is ranked
         * against a number (so "1.0rc1" < "1.0" < "1.0pl1") */
        if (!hx)
            return y.num ? -1 : (4 < word_rank(&y) ? -1 : 1);
        if (!hy)
            return x.num ? 1 : (word_rank(&x) < 4 ? -1 : 1);
        rx = word_rank(&x);
        ry = word_rank(&y);
        if (rx != ry)
            return rx < ry ? -1 : 1;
    }
}
