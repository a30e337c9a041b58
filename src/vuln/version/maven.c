/*
 * maven.c - Maven's ComparableVersion: the string (case-insensitive) becomes a tree of
 * items: numbers, qualifiers and sub-lists opened by '-' (and by a switch between letters
 * and digits). Qualifiers rank alpha < beta < milestone < rc = cr < snapshot < "" = ga =
 * final = release < sp < anything else (alphabetically); "null" items at the end of each
 * list (0, "", empty list) are trimmed, so 1 = 1.0 = 1-ga. Every string is orderable.
 */
#include "vuln/version/scheme.h"

#include "core/limits.h"

enum mkind { M_INT, M_STR, M_LIST };

struct mitem {
    enum mkind kind;
    int parent;    /* index of the enclosing list, -1 for the root */
    bool removed;  /* trimmed by normalisation */
    const char *p; /* M_INT: digits; M_STR: qualifier text (original case) */
    size_t n;
};

struct mtree {
    struct mitem it[BH_MAX_VERSION_PARTS];
    size_t count;
};

static const char *const qualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
#define RELEASE_RANK 5

static bool ieq(const char *p, size_t n, const char *word)
{
    if (strlen(word) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (bh_version_lower((unsigned char)p[i]) != word[i])
            return false;
    return true;
}

static int add(struct mtree *t, enum mkind k, int parent, const char *p, size_t n)
{
    if (t->count >= BH_MAX_VERSION_PARTS)
        return -1;
    t->it[t->count] = (struct mitem){k, parent, false, p, n};
    return (int)t->count++;
}

/* A qualifier as written: aliases resolved, single letters before a digit expanded. */
static void add_str(struct mtree *t, int list, const char *p, size_t n, bool before_digit)
{
    if (before_digit && n == 1) {
        int c = bh_version_lower((unsigned char)*p);

        if (c == 'a')
            p = "alpha", n = 5;
        else if (c == 'b')
            p = "beta", n = 4;
        else if (c == 'm')
            p = "milestone", n = 9;
    }
    if (ieq(p, n, "ga") || ieq(p, n, "final") || ieq(p, n, "release"))
        p = "", n = 0;
    else if (ieq(p, n, "cr"))
        p = "rc", n = 2;
    add(t, M_STR, list, p, n);
}

static void add_item(struct mtree *t, int list, const char *p, size_t n, bool digit)
{
    if (digit)
        add(t, M_INT, list, p, n);
    else
        add_str(t, list, p, n, false);
}

static bool list_empty(const struct mtree *t, int list)
{
    for (size_t i = (size_t)list + 1; i < t->count; i++)
        if (t->it[i].parent == list && !t->it[i].removed)
            return false;
    return true;
}

static bool is_null(const struct mtree *t, int i)
{
    const struct mitem *x = &t->it[i];

    if (x->kind == M_INT)
        return bh_version_numcmp(x->p, x->n, "0", 1) == 0;
    if (x->kind == M_STR)
        return x->n == 0;
    return list_empty(t, i);
}

/* Drop null items from the end of a list, stopping at the first non-null number or word. */
static void normalize(struct mtree *t, int list)
{
    for (size_t j = t->count; j-- > (size_t)list + 1;) {
        struct mitem *x = &t->it[j];

        if (x->parent != list || x->removed)
            continue;
        if (is_null(t, (int)j))
            x->removed = true;
        else if (x->kind != M_LIST)
            break;
    }
}

static void parse(const char *v, struct mtree *t)
{
    const char *start = v, *p;
    int list;
    bool digit = false;

    t->count = 0;
    list = add(t, M_LIST, -1, NULL, 0);
    for (p = v; *p; p++) {
        char c = *p;

        if (c == '.' || c == '-') {
            if (p == start)
                add(t, M_INT, list, "0", 1);
            else
                add_item(t, list, start, (size_t)(p - start), digit);
            start = p + 1;
            if (c == '-') {
                int l = add(t, M_LIST, list, NULL, 0);

                if (l >= 0)
                    list = l;
            }
        } else if (bh_version_isdigit((unsigned char)c)) {
            if (!digit && p > start) {
                /* word then number opens a sub-list: "rc1" is "rc" then [1] */
                int l;

                add_str(t, list, start, (size_t)(p - start), true);
                start = p;
                if ((l = add(t, M_LIST, list, NULL, 0)) >= 0)
                    list = l;
            }
            digit = true;
        } else {
            if (digit && p > start) {
                int l;

                add(t, M_INT, list, start, (size_t)(p - start));
                start = p;
                if ((l = add(t, M_LIST, list, NULL, 0)) >= 0)
                    list = l;
            }
            digit = false;
        }
    }
    if (p > start)
        add_item(t, list, start, (size_t)(p - start), digit);
    /* innermost lists first, as the parser's stack unwinds */
    for (size_t i = t->count; i-- > 0;)
        if (t->it[i].kind == M_LIST)
            normalize(t, (int)i);
}

/* Qualifier order key: the rank digit for known words, "7-word" for the rest. */
static int qchar(const struct mitem *x, size_t i)
{
    for (size_t q = 0; q < sizeof(qualifiers) / sizeof(qualifiers[0]); q++)
        if (ieq(x->p, x->n, qualifiers[q]))
            return i == 0 ? '0' + (int)q : -1;
    if (i == 0)
        return '7';
    if (i == 1)
        return '-';
    return i - 2 < x->n ? bh_version_lower((unsigned char)x->p[i - 2]) : -1;
}

static int qcmp(const struct mitem *a, const struct mitem *b)
{
    static const struct mitem release = {M_STR, 0, false, "", 0};

    if (a == NULL)
        a = &release;
    if (b == NULL)
        b = &release;
    for (size_t i = 0;; i++) {
        int x = qchar(a, i), y = qchar(b, i);

        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

/* Next live child of list after index `after` (-1: first); -1 when none. */
static int child(const struct mtree *t, int list, int after)
{
    for (size_t i = (size_t)(after < 0 ? list : after) + 1; i < t->count; i++)
        if (t->it[i].parent == list && !t->it[i].removed)
            return (int)i;
    return -1;
}

static int item_cmp(const struct mtree *ta, int a, const struct mtree *tb, int b);

/* Compare item a against an absent item. */
static int vs_null(const struct mtree *t, int a)
{
    const struct mitem *x = &t->it[a];
    int first;

    switch (x->kind) {
    case M_INT:
        return bh_version_numcmp(x->p, x->n, "0", 1) == 0 ? 0 : 1;
    case M_STR:
        return qcmp(x, NULL);
    default:
        first = child(t, a, -1);
        return first < 0 ? 0 : vs_null(t, first);
    }
}

static int item_cmp(const struct mtree *ta, int a, const struct mtree *tb, int b)
{
    const struct mitem *x, *y;

    if (a < 0)
        return b < 0 ? 0 : -vs_null(tb, b);
    if (b < 0)
        return vs_null(ta, a);
    x = &ta->it[a];
    y = &tb->it[b];
    if (x->kind != y->kind) {
        /* numbers > lists > words */
        static const int weight[] = {[M_INT] = 2, [M_LIST] = 1, [M_STR] = 0};

        return weight[x->kind] < weight[y->kind] ? -1 : 1;
    }
    if (x->kind == M_INT)
        return bh_version_numcmp(x->p, x->n, y->p, y->n);
    if (x->kind == M_STR)
        return qcmp(x, y);
    {
        int ca = child(ta, a, -1), cb = child(tb, b, -1);

        while (ca >= 0 || cb >= 0) {
            int r = item_cmp(ta, ca, tb, cb);

            if (r != 0)
                return r;
            if (ca >= 0)
                ca = child(ta, a, ca);
            if (cb >= 0)
                cb = child(tb, b, cb);
        }
        return 0;
    }
}

bool bh_version_maven_valid(const char *v)
{
    return *v != '\0';
}

int bh_version_maven_cmp(const char *a, const char *b)
{
    struct mtree x, y;

    parse(a, &x);
    parse(b, &y);
    return item_cmp(&x, 0, &y, 0);
}
