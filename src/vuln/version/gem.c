/*
 * gem.c - RubyGems versions: '-' reads as ".pre.", the string is cut into digit runs and
 * letter runs; any letter run makes it a pre-release (older than the release), trailing
 * zeros of the release part and of the pre-release part do not count, numbers beat
 * letters at the same position, letters compare as bytes.
 */
#include "vuln/version/scheme.h"

struct seg {
    const char *p;
    size_t n;
    bool num;
};

/* Next digit or letter run of v ('-' acts as the letters "pre"); false at the end. */
static bool raw_next(const char **v, struct seg *s)
{
    const char *p = *v;

    for (;;) {
        if (*p == '\0')
            return false;
        if (*p == '-') {
            *v = p + 1;
            s->p = "pre";
            s->n = 3;
            s->num = false;
            return true;
        }
        if (bh_version_isdigit((unsigned char)*p) || bh_version_isalpha((unsigned char)*p))
            break;
        p++;
    }
    s->p = p;
    s->num = bh_version_isdigit((unsigned char)*p);
    while (*p &&
           (s->num ? bh_version_isdigit((unsigned char)*p) : bh_version_isalpha((unsigned char)*p)))
        p++;
    s->n = (size_t)(p - s->p);
    *v = p;
    return true;
}

static bool is_zero(const struct seg *s)
{
    return s->num && bh_version_numcmp(s->p, s->n, "0", 1) == 0;
}

/*
 * The canonical segment stream: zeros are held back and only emitted when something
 * non-zero follows in the same half (release digits, or pre-release from the first letter).
 */
struct canon {
    const char *v;
    size_t zeros; /* pending zeros */
    bool in_pre;
    struct seg next; /* lookahead after the zeros */
    bool have_next;
};

static bool canon_next(struct canon *c, struct seg *out)
{
    static const struct seg zero = {"0", 1, true};

    if (c->zeros > 0 && c->have_next) {
        c->zeros--;
        *out = zero;
        return true;
    }
    if (c->have_next) {
        c->have_next = false;
        *out = c->next;
        if (!out->num)
            c->in_pre = true;
        return true;
    }
    for (;;) {
        struct seg s;

        if (!raw_next(&c->v, &s))
            return false; /* pending zeros at the end are dropped */
        if (!s.num && !c->in_pre && c->zeros > 0) {
            /* the release part ends: its trailing zeros are dropped */
            c->zeros = 0;
        }
        if (is_zero(&s)) {
            c->zeros++;
            continue;
        }
        c->next = s;
        c->have_next = true;
        return canon_next(c, out);
    }
}

bool bh_version_gem_valid(const char *v)
{
    bool digits = false;

    while (*v == ' ' || *v == '\t')
        v++;
    if (!bh_version_isdigit((unsigned char)*v))
        return false;
    for (; *v; v++) {
        int ch = (unsigned char)*v;

        if (bh_version_isdigit(ch))
            digits = true;
        else if (!bh_version_isalpha(ch) && ch != '.' && ch != '-' && ch != ' ' && ch != '\t')
            return false;
    }
    return digits;
}

int bh_version_gem_cmp(const char *a, const char *b)
{
    struct canon x = {a, 0, false, {NULL, 0, false}, false};
    struct canon y = {b, 0, false, {NULL, 0, false}, false};
    static const struct seg zero = {"0", 1, true};

    for (;;) {
        struct seg s, t;
        bool hs = canon_next(&x, &s), ht = canon_next(&y, &t);
        int r;

        if (!hs && !ht)
            return 0;
        if (!hs)
            s = zero;
        if (!ht)
            t = zero;
        if (s.num && t.num)
            r = bh_version_numcmp(s.p, s.n, t.p, t.n);
        else if (s.num != t.num)
            r = s.num ? 1 : -1;
        else
            r = bh_version_bytecmp(s.p, s.n, t.p, t.n);
        if (r != 0)
            return r;
    }
}
