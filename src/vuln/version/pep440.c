/*
 * pep440.c - Python package versions: PEP 440 (epochs, release, a/b/rc, post, dev, local
 * labels) with the spec's normalisations (case, "alpha"/"c"/"preview" spellings, '-', '_'
 * and '.' separators, implicit numbers, "1.0-1" as a post-release, leading "v").
 * Strings that are not PEP 440 are ordered the way pip's pre-PEP 440 "legacy" versions
 * were (all of them before every valid version), as OSV's PyPI tooling does.
 */
#include "vuln/version/scheme.h"

#include "core/limits.h"

#include <string.h>

struct run {
    const char *p;
    size_t n;
};

struct pep {
    struct run epoch;
    const char *rel, *rel_end;
    int pre; /* -1 none, 0 a, 1 b, 2 rc */
    struct run pre_n;
    bool post, dev;
    struct run post_n, dev_n;
    const char *local, *local_end; /* NULL: none */
};

static bool is_sep(int c)
{
    return c == '-' || c == '_' || c == '.';
}

static bool is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool starts_ci(const char *p, const char *word)
{
    for (; *word; word++, p++)
        if (bh_version_lower((unsigned char)*p) != *word)
            return false;
    return true;
}

static struct run digits(const char **p)
{
    struct run r = {*p, 0};

    while (bh_version_isdigit((unsigned char)**p))
        (*p)++;
    r.n = (size_t)(*p - r.p);
    return r;
}

/* [sep] label [sep] [digits], for one of the given labels; on no match *p is unchanged. */
static bool labelled(const char **p, const char *const *labels, const int *ranks, int *rank,
                     struct run *num)
{
    const char *q = *p;

    if (is_sep((unsigned char)*q))
        q++;
    for (size_t i = 0; labels[i] != NULL; i++) {
        if (starts_ci(q, labels[i])) {
            const char *r = q + strlen(labels[i]), *save;

            *rank = ranks[i];
            save = r;
            if (is_sep((unsigned char)*r))
                r++;
            *num = digits(&r);
            if (num->n == 0) {
                /* implicit number; the separator was not ours */
                r = save;
                num->p = "0";
                num->n = 1;
            }
            *p = r;
            return true;
        }
    }
    return false;
}

static bool pep_parse(const char *v, struct pep *out)
{
    static const char *const pre_l[] = {"alpha", "a", "beta", "b", "preview",
                                        "pre",   "c", "rc",   NULL};
    static const int pre_r[] = {0, 0, 1, 1, 2, 2, 2, 2};
    static const char *const post_l[] = {"post", "rev", "r", NULL};
    static const char *const dev_l[] = {"dev", NULL};
    static const int zero_r[] = {0, 0, 0};
    const char *p = v, *end;
    int rank;

    while (is_ws((unsigned char)*p))
        p++;
    end = p + strlen(p);
    while (end > p && is_ws((unsigned char)end[-1]))
        end--;
    if (*p == 'v' || *p == 'V')
        p++;

    memset(out, 0, sizeof(*out));
    out->pre = -1;
    out->epoch.p = "0";
    out->epoch.n = 1;
    {
        const char *q = p;
        struct run e = digits(&q);

        if (e.n > 0 && *q == '!') {
            out->epoch = e;
            p = q + 1;
        }
    }
    out->rel = p;
    for (;;) {
        if (digits(&p).n == 0)
            return false;
        if (*p != '.' || !bh_version_isdigit((unsigned char)p[1]))
            break;
        p++;
    }
    out->rel_end = p;
    if (labelled(&p, pre_l, pre_r, &rank, &out->pre_n))
        out->pre = rank;
    if (*p == '-' && bh_version_isdigit((unsigned char)p[1])) {
        p++;
        out->post = true;
        out->post_n = digits(&p);
    } else if (labelled(&p, post_l, zero_r, &rank, &out->post_n)) {
        out->post = true;
    }
    if (labelled(&p, dev_l, zero_r, &rank, &out->dev_n))
        out->dev = true;
    out->local = NULL;
    if (*p == '+') {
        out->local = ++p;
        for (;;) {
            const char *s = p;

            while (bh_version_isdigit((unsigned char)*p) || bh_version_isalpha((unsigned char)*p))
                p++;
            if (p == s)
                return false;
            if (p < end && is_sep((unsigned char)*p))
                p++;
            else
                break;
        }
        out->local_end = p;
    }
    return p == end;
}

static int icmp(int x, int y)
{
    return x < y ? -1 : (x > y ? 1 : 0);
}

static bool is_num(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!bh_version_isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int ci_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;

    for (size_t i = 0; i < n; i++) {
        int x = bh_version_lower((unsigned char)a[i]), y = bh_version_lower((unsigned char)b[i]);

        if (x != y)
            return x < y ? -1 : 1;
    }
    return icmp(an > bn, bn > an);
}

/* Local labels: segment by segment; numbers beat letters; a longer label wins a tie. */
static int local_cmp(const struct pep *a, const struct pep *b)
{
    const char *pa = a->local, *pb = b->local;

    if (pa == NULL || pb == NULL)
        return pa == pb ? 0 : (pa == NULL ? -1 : 1);
    for (;;) {
        const char *sa = pa, *sb = pb;
        bool ha = pa < a->local_end, hb = pb < b->local_end, na, nb;
        int r;

        if (!ha || !hb)
            return icmp(ha, hb);
        while (pa < a->local_end && !is_sep((unsigned char)*pa))
            pa++;
        while (pb < b->local_end && !is_sep((unsigned char)*pb))
            pb++;
        na = is_num(sa, (size_t)(pa - sa));
        nb = is_num(sb, (size_t)(pb - sb));
        if (na && nb)
            r = bh_version_numcmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb));
        else if (na || nb)
            r = na ? 1 : -1;
        else
            r = ci_cmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb));
        if (r != 0)
            return r;
        if (pa < a->local_end)
            pa++;
        if (pb < b->local_end)
            pb++;
    }
}

/* Where the pre-release field puts a version: a dev-only release goes below all of its
 * pre-releases, a final release above them. */
static int pre_slot(const struct pep *v)
{
    if (v->pre >= 0)
        return 1;
    if (v->dev && !v->post)
        return 0;
    return 2;
}

static int pep_cmp(const struct pep *a, const struct pep *b)
{
    int r = bh_version_numcmp(a->epoch.p, a->epoch.n, b->epoch.p, b->epoch.n);

    if (r == 0)
        r = bh_version_semverlike_cmp(a->rel, a->rel_end, NULL, NULL, b->rel, b->rel_end, NULL,
                                      NULL, false);
    if (r == 0)
        r = icmp(pre_slot(a), pre_slot(b));
    if (r == 0 && a->pre >= 0) {
        r = icmp(a->pre, b->pre);
        if (r == 0)
            r = bh_version_numcmp(a->pre_n.p, a->pre_n.n, b->pre_n.p, b->pre_n.n);
    }
    if (r == 0)
        r = icmp(a->post, b->post);
    if (r == 0 && a->post)
        r = bh_version_numcmp(a->post_n.p, a->post_n.n, b->post_n.p, b->post_n.n);
    if (r == 0)
        r = icmp(!a->dev, !b->dev); /* no dev segment sorts after any dev segment */
    if (r == 0 && a->dev)
        r = bh_version_numcmp(a->dev_n.p, a->dev_n.n, b->dev_n.p, b->dev_n.n);
    if (r == 0)
        r = local_cmp(a, b);
    return r;
}

/*
 * Legacy versions: the string (lower-cased) is cut into digit runs, letter runs, '.', '-'
 * and runs of anything else; digit runs compare as 8-wide zero-padded text, the rest as
 * "*"-prefixed text with pre/preview/rc -> c, dev -> @, '-' -> final-. Trailing zero parts
 * (and "final-" before a pre-release-like part) are dropped as each text part is added.
 */
enum lkind { L_NUM, L_STR };

struct lpart {
    enum lkind kind;
    const char *p;
    size_t n;
};

static bool is_alpha_l(int c)
{
    return bh_version_isalpha(c);
}

/* The i-th character of a part as text, or -1 past its end. */
static int lchar(const struct lpart *x, size_t i)
{
    if (x->kind == L_NUM) {
        size_t pad = x->n < 8 ? 8 - x->n : 0;

        if (i < pad)
            return '0';
        i -= pad;
        return i < x->n ? (unsigned char)x->p[i] : -1;
    }
    if (i == 0)
        return '*';
    i--;
    return i < x->n ? bh_version_lower((unsigned char)x->p[i]) : -1;
}

static int lpart_cmp(const struct lpart *a, const struct lpart *b)
{
    for (size_t i = 0;; i++) {
        int x = lchar(a, i), y = lchar(b, i);

        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

static bool lpart_is(const struct lpart *x, const char *text)
{
    return x->kind == L_STR && strlen(text) == x->n && starts_ci(x->p, text);
}

static size_t legacy_parts(const char *v, struct lpart *out, size_t max)
{
    static const struct lpart final_part = {L_STR, "final", 5};
    static const struct lpart zero = {L_NUM, "0", 1};
    size_t n = 0;
    const char *p = v;
    bool done = false;

    while (!done) {
        struct lpart x;

        if (*p == '\0') {
            x = final_part;
            done = true;
        } else if (bh_version_isdigit((unsigned char)*p)) {
            x.kind = L_NUM;
            x.p = p;
            while (bh_version_isdigit((unsigned char)*p))
                p++;
            x.n = (size_t)(p - x.p);
        } else if (*p == '.') {
            p++;
            continue;
        } else if (*p == '-') {
            x.kind = L_STR;
            x.p = "final-";
            x.n = 6;
            p++;
        } else {
            x.kind = L_STR;
            x.p = p;
            if (is_alpha_l((unsigned char)*p))
                while (is_alpha_l((unsigned char)*p))
                    p++;
            else
                while (*p && !is_alpha_l((unsigned char)*p) &&
                       !bh_version_isdigit((unsigned char)*p) && *p != '.' && *p != '-')
                    p++;
            x.n = (size_t)(p - x.p);
            if (lpart_is(&x, "pre") || lpart_is(&x, "preview") || lpart_is(&x, "rc")) {
                x.p = "c";
                x.n = 1;
            } else if (lpart_is(&x, "dev")) {
                x.p = "@";
                x.n = 1;
            }
        }
        if (x.kind == L_STR) {
            if (lpart_cmp(&x, &final_part) < 0)
                while (n > 0 && lpart_is(&out[n - 1], "final-"))
                    n--;
            while (n > 0 && out[n - 1].kind == L_NUM && out[n - 1].n <= 8 &&
                   lpart_cmp(&out[n - 1], &zero) == 0)
                n--;
        }
        if (n < max)
            out[n++] = x;
    }
    return n;
}

static int legacy_cmp(const char *a, const char *b)
{
    struct lpart x[BH_MAX_VERSION_PARTS], y[BH_MAX_VERSION_PARTS];
    size_t nx = legacy_parts(a, x, BH_MAX_VERSION_PARTS);
    size_t ny = legacy_parts(b, y, BH_MAX_VERSION_PARTS);

    for (size_t i = 0; i < nx && i < ny; i++) {
        int r = lpart_cmp(&x[i], &y[i]);

        if (r != 0)
            return r;
    }
    return icmp(nx > ny, ny > nx);
}

bool bh_version_pep440_valid(const char *v)
{
    struct pep p;

    return pep_parse(v, &p);
}

/*
 * The matcher compares one installed version with every version an advisory lists (PyPI
 * records list hundreds), so the last parse is kept per thread, keyed by the text itself
 * (the parse points into the kept copy, never into the caller's string).
 */
#define MEMO_MAX 128
static _Thread_local char memo_text[MEMO_MAX];
static _Thread_local struct pep memo_pep;
static _Thread_local bool memo_valid, memo_ok;

static bool pep_parse_memo(const char *v, struct pep *out)
{
    size_t n = strlen(v);

    if (n >= MEMO_MAX)
        return pep_parse(v, out);
    if (!memo_valid || strcmp(memo_text, v) != 0) {
        memcpy(memo_text, v, n + 1);
        memo_ok = pep_parse(memo_text, &memo_pep);
        memo_valid = true;
    }
    *out = memo_pep;
    return memo_ok;
}

int bh_version_pep440_cmp(const char *a, const char *b)
{
    struct pep x, y;
    bool vx = pep_parse_memo(a, &x), vy = pep_parse(b, &y);

    if (vx && vy)
        return pep_cmp(&x, &y);
    if (vx != vy)
        return vx ? 1 : -1;
    return legacy_cmp(a, b);
}
