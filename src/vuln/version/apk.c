/*
 * apk.c - Alpine (apk-tools 3) version ordering:
 *   digits{.digits}[letter]{_suffix[digits]}[~hexhash][-rN]
 * A string is read token by token; the first token that breaks the grammar ends it as
 * "invalid", and comparison still runs up to that point (apk never refuses to compare).
 * Where apk-tools 2.x orders differently is written down in docs/internals/versions.md.
 */
#include "vuln/version/scheme.h"

/* Token kinds in grammar order: the order itself is the tie-break rule (see tail_cmp). */
enum apk_tok {
    TOK_INITIAL_DIGIT,
    TOK_DIGIT,
    TOK_LETTER,
    TOK_SUFFIX,
    TOK_SUFFIX_NO,
    TOK_HASH,
    TOK_REVISION_NO,
    TOK_END,
    TOK_INVALID,
};

/* Suffix ranks: the four pre-release names sort below "no suffix", the rest above. */
enum { SUF_NONE_RANK = 4 };
static const char *const suffix_names[] = {"alpha", "beta", "pre", "rc", "",
                                           "cvs",   "svn",  "git", "hg", "p"};

struct apk_cursor {
    const char *p;
    enum apk_tok tok;
    const char *val; /* the token's text */
    size_t len;
    int suffix; /* rank, for TOK_SUFFIX */
};

static bool is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_hex(int c)
{
    return bh_version_isdigit(c) || (c >= 'a' && c <= 'f');
}

static void take_digits(struct apk_cursor *c)
{
    c->val = c->p;
    while (bh_version_isdigit((unsigned char)*c->p))
        c->p++;
    c->len = (size_t)(c->p - c->val);
    if (c->len == 0)
        c->tok = TOK_INVALID;
}

static void tok_first(struct apk_cursor *c, const char *v)
{
    c->p = v;
    c->tok = TOK_INITIAL_DIGIT;
    take_digits(c);
}

static int suffix_rank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(suffix_names) / sizeof(suffix_names[0]); i++)
        if (i != SUF_NONE_RANK && strlen(suffix_names[i]) == n &&
            memcmp(suffix_names[i], s, n) == 0)
            return (int)i;
    return -1;
}

/* Advance to the next token; each kind may only follow the kinds before it in the grammar. */
static void tok_next(struct apk_cursor *c)
{
    int ch = (unsigned char)*c->p;

    if (ch == '\0') {
        c->tok = TOK_END;
        return;
    }
    if (is_lower(ch)) {
        if (c->tok > TOK_DIGIT)
            goto invalid;
        c->val = c->p++;
        c->len = 1;
        c->tok = TOK_LETTER;
    } else if (ch == '.' || bh_version_isdigit(ch)) {
        if (ch == '.') {
            if (c->tok > TOK_DIGIT)
                goto invalid;
            c->p++;
        }
        if (c->tok == TOK_INITIAL_DIGIT || c->tok == TOK_DIGIT)
            c->tok = TOK_DIGIT;
        else if (c->tok == TOK_SUFFIX)
            c->tok = TOK_SUFFIX_NO;
        else
            goto invalid;
        take_digits(c);
    } else if (ch == '_') {
        if (c->tok > TOK_SUFFIX_NO)
            goto invalid;
        c->val = ++c->p;
        while (is_lower((unsigned char)*c->p))
            c->p++;
        c->len = (size_t)(c->p - c->val);
        c->suffix = suffix_rank(c->val, c->len);
        if (c->suffix < 0)
            goto invalid;
        c->tok = TOK_SUFFIX;
    } else if (ch == '~') {
        if (c->tok >= TOK_HASH)
            goto invalid;
        c->val = ++c->p;
        while (is_hex((unsigned char)*c->p))
            c->p++;
        c->len = (size_t)(c->p - c->val);
        if (c->len == 0)
            goto invalid;
        c->tok = TOK_HASH;
    } else if (ch == '-') {
        if (c->tok >= TOK_REVISION_NO || c->p[1] != 'r')
            goto invalid;
        c->p += 2;
        c->tok = TOK_REVISION_NO;
        take_digits(c);
    } else {
        goto invalid;
    }
    return;
invalid:
    c->tok = TOK_INVALID;
}

/* Same-kind tokens. */
static int tok_cmp(const struct apk_cursor *a, const struct apk_cursor *b)
{
    switch (a->tok) {
    case TOK_DIGIT:
        /* a component with a leading zero compares as text (Gentoo's rule): 1.01 < 1.1 */
        if (a->val[0] == '0' || b->val[0] == '0')
            return bh_version_bytecmp(a->val, a->len, b->val, b->len);
        return bh_version_numcmp(a->val, a->len, b->val, b->len);
    case TOK_INITIAL_DIGIT:
    case TOK_SUFFIX_NO:
    case TOK_REVISION_NO:
        return bh_version_numcmp(a->val, a->len, b->val, b->len);
    case TOK_LETTER:
        return a->val[0] < b->val[0] ? -1 : (a->val[0] > b->val[0] ? 1 : 0);
    case TOK_SUFFIX:
        return a->suffix < b->suffix ? -1 : (a->suffix > b->suffix ? 1 : 0);
    default:
        return bh_version_bytecmp(a->val, a->len, b->val, b->len);
    }
}

static int apk_cmp_fuzzy(const char *a, const char *b, bool fuzzy)
{
    struct apk_cursor x, y;

    tok_first(&x, a);
    tok_first(&y, b);
    while (x.tok == y.tok && x.tok < TOK_END) {
        int r = tok_cmp(&x, &y);

        if (r != 0)
            return r;
        tok_next(&x);
        tok_next(&y);
    }
    /* equal so far, and both ended (or broke) at the same point */
    if (x.tok == y.tok)
        return 0;
    if (fuzzy && y.tok == TOK_END)
        return 0;
    /* One side goes on: a pre-release suffix makes it older, anything else newer. The
     * grammar order makes an invalid tail the oldest of all. */
    if (x.tok == TOK_SUFFIX && x.suffix < SUF_NONE_RANK)
        return -1;
    if (y.tok == TOK_SUFFIX && y.suffix < SUF_NONE_RANK)
        return 1;
    if (x.tok > y.tok)
        return -1;
    if (x.tok < y.tok)
        return 1;
    return 0;
}

bool bh_version_apk_valid(const char *v)
{
    struct apk_cursor c;

    for (tok_first(&c, v); c.tok < TOK_END; tok_next(&c))
        ;
    return c.tok == TOK_END;
}

/* apk orders every string, valid or not: "apk version -t" answers for any pair. */
int bh_version_apk_cmp(const char *a, const char *b)
{
    return apk_cmp_fuzzy(a, b, false);
}

bool bh_version_apk_match(const char *a, const char *op, const char *b)
{
    bool negate = false, lt = false, gt = false, eq = false, fuzzy = false;
    int r;

    if (*op == '!') {
        negate = true;
        op++;
    }
    for (; *op; op++) {
        if (*op == '<')
            lt = true;
        else if (*op == '>')
            gt = true;
        else if (*op == '=')
            eq = true;
        else if (*op == '~')
            fuzzy = eq = true;
        else
            return false;
    }
    r = apk_cmp_fuzzy(a, b, fuzzy);
    return ((r < 0 && lt) || (r > 0 && gt) || (r == 0 && eq)) != negate;
}
