/*
 * cvss.c - strict CVSS vector parser and base scorer (v2.0, v3.0, v3.1, v4.0).
 * The equations follow the FIRST specifications; every weight is an integer in
 * hundredths or thousandths so that sums and products are exact and only the
 * documented rounding steps round. No temporal/environmental scores: metrics of
 * those groups are validated and then ignored. No I/O, no allocation.
 */
#include "vuln/cvss.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/limits.h"
#include "core/str.h"

/* One metric of a version: its abbreviation, its values ("|"-separated, in the order the
 * weight tables below index them) and whether the base score needs it. */
struct metric {
    const char *name;
    const char *values;
    bool base;
};

#define MAX_METRICS 40

/* v2.0 specification, section 3.2.1 (base), 3.2.2 (temporal), 3.2.3 (environmental). */
enum { V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A };
static const struct metric v2_metrics[] = {
    {"AV", "L|A|N", true},        {"AC", "H|M|L", true},
    {"Au", "M|S|N", true},        {"C", "N|P|C", true},
    {"I", "N|P|C", true},         {"A", "N|P|C", true},
    {"E", "U|POC|F|H|ND", false}, {"RL", "OF|TF|W|U|ND", false},
    {"RC", "UC|UR|C|ND", false},  {"CDP", "N|L|LM|MH|H|ND", false},
    {"TD", "N|L|M|H|ND", false},  {"CR", "L|M|H|ND", false},
    {"IR", "L|M|H|ND", false},    {"AR", "L|M|H|ND", false},
};

/* v3.0 and v3.1 specifications, section 6 (vector string), table 15. */
enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A };
static const struct metric v3_metrics[] = {
    {"AV", "N|A|L|P", true},    {"AC", "L|H", true},       {"PR", "N|L|H", true},
    {"UI", "N|R", true},        {"S", "U|C", true},        {"C", "H|L|N", true},
    {"I", "H|L|N", true},       {"A", "H|L|N", true},      {"E", "X|U|P|F|H", false},
    {"RL", "X|O|T|W|U", false}, {"RC", "X|U|R|C", false},  {"CR", "X|L|M|H", false},
    {"IR", "X|L|M|H", false},   {"AR", "X|L|M|H", false},  {"MAV", "X|N|A|L|P", false},
    {"MAC", "X|L|H", false},    {"MPR", "X|N|L|H", false}, {"MUI", "X|N|R", false},
    {"MS", "X|U|C", false},     {"MC", "X|N|L|H", false},  {"MI", "X|N|L|H", false},
    {"MA", "X|N|L|H", false},
};

/* v4.0 specification, section 7 (vector string), table 23. The value order of each base
 * metric is its severity level (0 = most severe) as the MacroVector interpolation uses it. */
enum { V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA };
static const struct metric v4_metrics[] = {
    {"AV", "N|A|L|P", true},     {"AC", "L|H", true},
    {"AT", "N|P", true},         {"PR", "N|L|H", true},
    {"UI", "N|P|A", true},       {"VC", "H|L|N", true},
    {"VI", "H|L|N", true},       {"VA", "H|L|N", true},
    {"SC", "H|L|N", true},       {"SI", "H|L|N", true},
    {"SA", "H|L|N", true},       {"E", "X|A|P|U", false},
    {"CR", "X|H|M|L", false},    {"IR", "X|H|M|L", false},
    {"AR", "X|H|M|L", false},    {"MAV", "X|N|A|L|P", false},
    {"MAC", "X|L|H", false},     {"MAT", "X|N|P", false},
    {"MPR", "X|N|L|H", false},   {"MUI", "X|N|P|A", false},
    {"MVC", "X|H|L|N", false},   {"MVI", "X|H|L|N", false},
    {"MVA", "X|H|L|N", false},   {"MSC", "X|H|L|N", false},
    {"MSI", "X|S|H|L|N", false}, {"MSA", "X|S|H|L|N", false},
    {"S", "X|N|P", false},       {"AU", "X|N|Y", false},
    {"R", "X|A|U|I", false},     {"V", "X|D|C", false},
    {"RE", "X|L|M|H", false},    {"U", "X|Clear|Green|Amber|Red", false},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- parsing ---- */

static int value_index(const char *values, const char *v, size_t vlen)
{
    int idx = 0;
    const char *p = values;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == vlen && memcmp(p, v, n) == 0)
            return idx;
        if (!bar)
            return -1;
        p = bar + 1;
        idx++;
    }
}

static const char *shown(char *buf, size_t cap, const char *s, size_t len)
{
    return bh_str_printable_n(buf, cap, s, len, 32);
}

/* Split body (the part after any "CVSS:x.y/" prefix) into NAME:VALUE components and record
 * the value index of each metric in sel[] (-1 = absent). off is body's offset in the input,
 * for error columns. */
static int parse_metrics(const char *body, size_t len, size_t off, const struct metric *tab,
                         size_t ntab, int *sel, struct bh_err *err)
{
    char b1[160], b2[160];
    for (size_t i = 0; i < ntab; i++)
        sel[i] = -1;
    if (len == 0)
        return bh_err_set(err, BH_EPARSE, NULL, 1, (int)off + 1, "cvss: no metrics");
    size_t pos = 0;
    while (pos <= len) {
        size_t end = pos;
        while (end < len && body[end] != '/')
            end++;
        const char *c = body + pos;
        size_t clen = end - pos;
        int col = (int)(off + pos) + 1;
        if (clen == 0)
            return bh_err_set(err, BH_EPARSE, NULL, 1, col, "cvss: empty metric component");
        const char *colon = memchr(c, ':', clen);
        if (!colon)
            return bh_err_set(err, BH_EPARSE, NULL, 1, col, "cvss: '%s' is not NAME:VALUE",
                              shown(b1, sizeof(b1), c, clen));
        size_t nlen = (size_t)(colon - c);
        const char *v = colon + 1;
        size_t vlen = clen - nlen - 1;
        size_t m = 0;
        while (m < ntab && !(strlen(tab[m].name) == nlen && memcmp(tab[m].name, c, nlen) == 0))
            m++;
        if (m == ntab)
            return bh_err_set(err, BH_EPARSE, NULL, 1, col, "cvss: unknown metric '%s'",
                              shown(b1, sizeof(b1), c, nlen));
        if (sel[m] >= 0)
            return bh_err_set(err, BH_EPARSE, NULL, 1, col, "cvss: metric %s given twice",
                              tab[m].name);
        int vi = vlen ? value_index(tab[m].values, v, vlen) : -1;
        if (vi < 0)
            return bh_err_set(err, BH_EPARSE, NULL, 1, col,
                              "cvss: metric %s has unknown value '%s' (allowed: %s)", tab[m].name,
                              shown(b2, sizeof(b2), v, vlen), tab[m].values);
        sel[m] = vi;
        if (end == len)
            break;
        pos = end + 1;
        if (pos == len)
            return bh_err_set(err, BH_EPARSE, NULL, 1, (int)(off + pos),
                              "cvss: trailing '/' after the last metric");
    }
    for (size_t i = 0; i < ntab; i++)
        if (tab[i].base && sel[i] < 0)
            return bh_err_set(err, BH_EPARSE, NULL, 1, 0, "cvss: base metric %s missing",
                              tab[i].name);
    return 0;
}

/* ---- v3.0 / v3.1 (specification section 7.1 and, for Roundup, v3.1 appendix A) ---- */

/* v3.1 Roundup: round to 5 decimal places first (the "int_input" step), then up to one
 * decimal. v is the value times scale. Returns tenths. */
static int roundup31(long double v, long double scale)
{
    long long x = (long long)(v * 100000.0L / scale + 0.5L); /* v >= 0: round half up */
    return (int)(x % 10000 == 0 ? x / 10000 : x / 10000 + 1);
}

/* v3.0 Round up: the smallest number with one decimal not below v (the exact value). */
static int roundup30(long double v, long double scale)
{
    long double t = v * 10.0L / scale;
    long long c = (long long)t;
    return (int)((long double)c < t ? c + 1 : c);
}

static int score_v3(const int *sel, bool v31)
{
    static const int av_w[] = {85, 62, 55, 20};
    static const int ac_w[] = {77, 44};
    static const int pr_u[] = {85, 62, 27};
    static const int pr_c[] = {85, 68, 50};
    static const int ui_w[] = {85, 62};
    static const int cia_w[] = {56, 22, 0};
    bool changed = sel[V3_S] == 1;
    int64_t c = cia_w[sel[V3_C]], i = cia_w[sel[V3_I]], a = cia_w[sel[V3_A]];
    /* ISS = 1 - (1-C)(1-I)(1-A), times 1e6: exact */
    int64_t iss6 = 1000000 - (100 - c) * (100 - i) * (100 - a);
    /* Exploitability = 8.22 x AV x AC x PR x UI, times 1e10: exact */
    int64_t expl10 = 822LL * av_w[sel[V3_AV]] * ac_w[sel[V3_AC]] *
                     (changed ? pr_c : pr_u)[sel[V3_PR]] * ui_w[sel[V3_UI]];
    if (!changed) {
        int64_t impact10 = 642LL * iss6 * 100; /* 6.42 x ISS */
        if (impact10 <= 0)
            return 0;
        int64_t sum = impact10 + expl10;
        if (sum > 100000000000LL)
            sum = 100000000000LL;
        return v31 ? roundup31((long double)sum, 1e10L) : roundup30((long double)sum, 1e10L);
    }
    /* 7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15; the power is the one inexact term,
     * computed in long double, far below the 1e-5 the Roundup keeps */
    long double base = (long double)(iss6 - 20000) / 1e6L, p15 = 1.0L;
    for (int k = 0; k < 15; k++)
        p15 *= base; /* by hand: the library links no libm */
    long double impact = (long double)(752LL * (iss6 - 29000) * 100) - 3.25L * p15 * 1e10L;
    if (impact <= 0)
        return 0;
    long double total = 108.0L * (impact + (long double)expl10); /* 1.08 x (...), times 1e12 */
    if (total > 1e13L)
        total = 1e13L;
    return v31 ? roundup31(total, 1e12L) : roundup30(total, 1e12L);
}

/* ---- v2.0 (specification section 3.2.1, base equation) ---- */

static int score_v2(const int *sel)
{
    static const int64_t av_w[] = {395, 646, 1000};
    static const int64_t ac_w[] = {350, 610, 710};
    static const int64_t au_w[] = {450, 560, 704};
    static const int64_t cia_w[] = {0, 275, 660};
    int64_t c = cia_w[sel[V2_C]], i = cia_w[sel[V2_I]], a = cia_w[sel[V2_A]];
    int64_t imp9 = 1000000000LL - (1000 - c) * (1000 - i) * (1000 - a);
    if (imp9 == 0)
        return 0;                   /* f(Impact) = 0 */
    int64_t impact11 = 1041 * imp9; /* 10.41 x ... */
    int64_t expl9 = 20 * av_w[sel[V2_AV]] * ac_w[sel[V2_AC]] * au_w[sel[V2_AU]];
    int64_t s12 = 6 * impact11 + 4 * expl9 * 100 - 1500000000000LL; /* 0.6 I + 0.4 E - 1.5 */
    int64_t base15 = s12 * 1176;                                    /* x f(Impact) */
    if (base15 <= 0)
        return 0;
    int64_t tenths = (base15 + 50000000000000LL) / 100000000000000LL; /* round_to_1_decimal */
    return tenths > 100 ? 100 : (int)tenths;
}

/* ---- v4.0 (specification section 8, CVSS-B: threat and environmental at their defaults) ---- */

/*
 * Score of each MacroVector, in tenths, from the CVSS v4.0 specification's lookup table
 * (published with the specification as FIRST's cvss-v4-calculator "cvssLookup_global").
 * Indexed [EQ1][EQ2][EQ3][EQ4][EQ5][EQ6]; EQ3=2 exists only with EQ6=1, -1 marks the 54
 * combinations that do not exist, leaving the table's 270 entries.
 */
static const signed char v4_lookup[3][2][3][3][3][2] = {
    /* EQ1=0 */
    {{/* EQ2=0 */
      {{{100, 99}, {98, 95}, {95, 92}},
       {{100, 96}, {93, 87}, {91, 81}},
       {{93, 90}, {89, 80}, {81, 68}}},
      {{{98, 95}, {95, 92}, {90, 84}},
       {{93, 92}, {89, 81}, {81, 65}},
       {{88, 80}, {78, 70}, {69, 48}}},
      {{{-1, 92}, {-1, 82}, {-1, 72}},
       {{-1, 79}, {-1, 69}, {-1, 50}},
       {{-1, 69}, {-1, 55}, {-1, 27}}}},
     {/* EQ2=1 */
      {{{99, 97}, {95, 92}, {92, 85}},
       {{95, 91}, {90, 83}, {84, 71}},
       {{92, 81}, {82, 71}, {72, 53}}},
      {{{95, 93}, {92, 85}, {85, 73}},
       {{92, 82}, {80, 72}, {70, 59}},
       {{84, 70}, {71, 52}, {50, 30}}},
      {{{-1, 86}, {-1, 75}, {-1, 52}},
       {{-1, 71}, {-1, 52}, {-1, 29}},
       {{-1, 63}, {-1, 29}, {-1, 17}}}}},
    /* EQ1=1 */
    {{/* EQ2=0 */
      {{{98, 95}, {94, 87}, {91, 81}},
       {{94, 89}, {86, 74}, {77, 64}},
       {{87, 75}, {74, 63}, {63, 49}}},
      {{{94, 89}, {88, 77}, {76, 67}},
       {{86, 76}, {74, 58}, {59, 50}},
       {{72, 57}, {57, 52}, {52, 25}}},
      {{{-1, 83}, {-1, 70}, {-1, 54}},
       {{-1, 65}, {-1, 58}, {-1, 26}},
       {{-1, 53}, {-1, 21}, {-1, 13}}}},
     {/* EQ2=1 */
      {{{95, 90}, {88, 76}, {76, 70}},
       {{90, 77}, {75, 62}, {61, 53}},
       {{77, 66}, {68, 59}, {52, 30}}},
      {{{89, 78}, {76, 67}, {62, 58}},
       {{74, 59}, {57, 57}, {47, 23}},
       {{61, 52}, {57, 29}, {24, 16}}},
      {{{-1, 71}, {-1, 59}, {-1, 30}},
       {{-1, 58}, {-1, 26}, {-1, 15}},
       {{-1, 23}, {-1, 13}, {-1, 6}}}}},
    /* EQ1=2 */
    {{/* EQ2=0 */
      {{{93, 87}, {86, 72}, {75, 58}},
       {{86, 74}, {74, 61}, {56, 34}},
       {{70, 54}, {52, 40}, {40, 22}}},
      {{{85, 75}, {74, 55}, {62, 51}},
       {{72, 57}, {55, 41}, {46, 19}},
       {{53, 36}, {34, 19}, {19, 8}}},
      {{{-1, 64}, {-1, 51}, {-1, 20}},
       {{-1, 47}, {-1, 21}, {-1, 11}},
       {{-1, 24}, {-1, 9}, {-1, 4}}}},
     {/* EQ2=1 */
      {{{88, 75}, {73, 53}, {60, 50}},
       {{73, 55}, {59, 40}, {41, 20}},
       {{54, 43}, {45, 22}, {20, 11}}},
      {{{75, 55}, {58, 45}, {40, 21}}, {{61, 51}, {48, 18}, {20, 9}}, {{46, 18}, {17, 7}, {8, 2}}},
      {{{-1, 53}, {-1, 24}, {-1, 14}},
       {{-1, 24}, {-1, 12}, {-1, 5}},
       {{-1, 10}, {-1, 3}, {-1, 1}}}}},
};

static int v4_score_of(int e1, int e2, int e3, int e4, int e5, int e6)
{
    if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
        return -1;
    return v4_lookup[e1][e2][e3][e4][e5][e6];
}

/* The highest-severity vectors of each MacroVector level (specification section 8.2, the
 * calculator's "maxComposed"), as severity levels: AV, PR, UI / AC, AT / VC, VI, VA, CR, IR,
 * AR / SC, SI, SA. CR, IR, AR levels: H 0, M 1, L 2. SC: H 1, L 2, N 3; SI, SA: S 0, H 1... */
struct v4max {
    int n;
    signed char lv[5][6];
};
static const struct v4max v4_eq1_max[3] = {
    {1, {{0, 0, 0}}},
    {3, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
    {2, {{3, 0, 0}, {1, 1, 1}}},
};
static const struct v4max v4_eq2_max[2] = {
    {1, {{0, 0}}},
    {2, {{1, 0}, {0, 1}}},
};
/* [EQ3][EQ6] */
static const struct v4max v4_eq36_max[3][2] = {
    {{1, {{0, 0, 0, 0, 0, 0}}}, {2, {{0, 0, 1, 1, 1, 0}, {0, 0, 0, 1, 1, 1}}}},
    {{2, {{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}}},
     {5,
      {{1, 0, 1, 0, 1, 0},
       {1, 0, 0, 0, 1, 1},
       {0, 1, 0, 1, 0, 1},
       {0, 1, 1, 1, 0, 0},
       {1, 1, 0, 0, 0, 1}}}},
    {{0, {{0}}}, {1, {{1, 1, 1, 0, 0, 0}}}},
};
static const struct v4max v4_eq4_max[3] = {
    {1, {{1, 0, 0}}},
    {1, {{1, 1, 1}}},
    {1, {{2, 2, 2}}},
};
/* Depth of each MacroVector level in severity steps (the calculator's "maxSeverity"). */
static const int v4_depth_eq1[3] = {1, 4, 5};
static const int v4_depth_eq2[2] = {1, 2};
static const int v4_depth_eq36[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int v4_depth_eq4[3] = {6, 5, 4};

static int score_v4(const int *sel, char macro[7])
{
    int av = sel[V4_AV], ac = sel[V4_AC], at = sel[V4_AT], pr = sel[V4_PR], ui = sel[V4_UI];
    int vc = sel[V4_VC], vi = sel[V4_VI], va = sel[V4_VA];
    /* subsequent-system levels start at 1: level 0 is "Safety", only reachable through MSI/MSA */
    int sc = sel[V4_SC] + 1, si = sel[V4_SI] + 1, sa = sel[V4_SA] + 1;
    int cr = 0, ir = 0, ar = 0; /* CR/IR/AR not defined = High */

    /* MacroVector, specification tables 24-29 */
    int eq1 = (av == 0 && pr == 0 && ui == 0)                ? 0
              : ((av == 0 || pr == 0 || ui == 0) && av != 3) ? 1
                                                             : 2;
    int eq2 = (ac == 0 && at == 0) ? 0 : 1;
    int eq3 = (vc == 0 && vi == 0) ? 0 : (vc == 0 || vi == 0 || va == 0) ? 1 : 2;
    int eq4 = (sc == 1 || si == 1 || sa == 1) ? 1 : 2; /* 0 needs MSI:S or MSA:S */
    int eq5 = 0;                                       /* E not defined = Attacked */
    int eq6 = ((cr == 0 && vc == 0) || (ir == 0 && vi == 0) || (ar == 0 && va == 0)) ? 0 : 1;
    macro[0] = (char)('0' + eq1);
    macro[1] = (char)('0' + eq2);
    macro[2] = (char)('0' + eq3);
    macro[3] = (char)('0' + eq4);
    macro[4] = (char)('0' + eq5);
    macro[5] = (char)('0' + eq6);
    macro[6] = '\0';

    if (vc == 2 && vi == 2 && va == 2 && sc == 3 && si == 3 && sa == 3)
        return 0; /* no impact at all */

    int value = v4_score_of(eq1, eq2, eq3, eq4, eq5, eq6);
    if (value < 0)
        return -1;

    /* the next lower MacroVector of each EQ; -1 when it does not exist */
    int low1 = v4_score_of(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
    int low2 = v4_score_of(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
    int low36;
    if (eq3 == 0 && eq6 == 0) {
        int l = v4_score_of(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        int r = v4_score_of(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        low36 = l > r ? l : r;
    } else if (eq3 == 1 && eq6 == 0) {
        low36 = v4_score_of(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    } else if (eq6 == 1 && eq3 < 2) {
        low36 = v4_score_of(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    } else {
        low36 = -1; /* 21 has nothing below */
    }
    int low4 = v4_score_of(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
    int low5 = v4_score_of(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

    /* severity distance from the first highest-severity vector of the MacroVector that is
     * not less severe than the scored vector in any metric */
    const struct v4max *m1 = &v4_eq1_max[eq1], *m2 = &v4_eq2_max[eq2];
    const struct v4max *m36 = &v4_eq36_max[eq3][eq6], *m4 = &v4_eq4_max[eq4];
    int d1 = 0, d2 = 0, d36 = 0, d4 = 0;
    bool found = false;
    for (int a = 0; a < m1->n && !found; a++)
        for (int b = 0; b < m2->n && !found; b++)
            for (int c = 0; c < m36->n && !found; c++)
                for (int d = 0; d < m4->n && !found; d++) {
                    const signed char *x1 = m1->lv[a], *x2 = m2->lv[b];
                    const signed char *x3 = m36->lv[c], *x4 = m4->lv[d];
                    int dist[14] = {av - x1[0], pr - x1[1], ui - x1[2], ac - x2[0], at - x2[1],
                                    vc - x3[0], vi - x3[1], va - x3[2], cr - x3[3], ir - x3[4],
                                    ar - x3[5], sc - x4[0], si - x4[1], sa - x4[2]};
                    bool ok = true;
                    for (int k = 0; k < 14; k++)
                        if (dist[k] < 0)
                            ok = false;
                    if (!ok)
                        continue;
                    found = true;
                    d1 = dist[0] + dist[1] + dist[2];
                    d2 = dist[3] + dist[4];
                    d36 = dist[5] + dist[6] + dist[7] + dist[8] + dist[9] + dist[10];
                    d4 = dist[11] + dist[12] + dist[13];
                }
    if (!found)
        return -1;

    /*
     * score = value - mean over the existing lower MacroVectors of
     * (value - lower) x distance / depth. Every depth divides 840, so with n lower
     * MacroVectors the mean is an exact fraction over 840 n and the half-up rounding to one
     * decimal is exact (the calculator adds 1e-6 before rounding to get the same effect).
     */
    int n = 0;
    int64_t num = 0;
    if (low1 >= 0) {
        n++;
        num += (int64_t)(value - low1) * d1 * (840 / v4_depth_eq1[eq1]);
    }
    if (low2 >= 0) {
        n++;
        num += (int64_t)(value - low2) * d2 * (840 / v4_depth_eq2[eq2]);
    }
    if (low36 >= 0) {
        n++;
        num += (int64_t)(value - low36) * d36 * (840 / v4_depth_eq36[eq3][eq6]);
    }
    if (low4 >= 0) {
        n++;
        num += (int64_t)(value - low4) * d4 * (840 / v4_depth_eq4[eq4]);
    }
    if (low5 >= 0)
        n++; /* EQ5 distance is always 0 */
    if (n == 0)
        return value;
    int64_t den = 840 * (int64_t)n;
    int64_t r = (int64_t)value * den - num; /* the score in tenths, times den */
    if (r <= 0)
        return 0;
    if (r >= 100 * den)
        return 100;
    return (int)((2 * r + den) / (2 * den));
}

/* ---- entry points ---- */

int bh_cvss_parse_n(const char *s, size_t len, struct bh_cvss *out, struct bh_err *err)
{
    int sel[MAX_METRICS];
    char buf[160];
    memset(out, 0, sizeof(*out));
    if (len > BH_MAX_CVSS_VECTOR)
        return bh_err_set(err, BH_ELIMIT, NULL, 1, 0, "cvss: vector longer than %u bytes",
                          BH_MAX_CVSS_VECTOR);
    if (memchr(s, '\0', len))
        return bh_err_set(err, BH_EPARSE, NULL, 1, 0, "cvss: NUL byte in vector");
    static const char pfx[] = "CVSS:";
    size_t pl = sizeof(pfx) - 1;
    if (len >= pl && memcmp(s, pfx, pl) == 0) {
        /* "CVSS:M.m/" */
        if (len < pl + 4 || s[pl + 3] != '/')
            return bh_err_set(err, BH_EPARSE, NULL, 1, 1, "cvss: malformed version prefix '%s'",
                              shown(buf, sizeof(buf), s, len < 12 ? len : 12));
        const char *ver = s + pl;
        const char *body = s + pl + 4;
        size_t blen = len - pl - 4;
        int rc;
        if (memcmp(ver, "3.0", 3) == 0 || memcmp(ver, "3.1", 3) == 0) {
            out->version = ver[2] == '1' ? BH_CVSS_V31 : BH_CVSS_V30;
            rc = parse_metrics(body, blen, pl + 4, v3_metrics, COUNT(v3_metrics), sel, err);
            if (rc)
                return rc;
            out->score10 = score_v3(sel, out->version == BH_CVSS_V31);
            return 0;
        }
        if (memcmp(ver, "4.0", 3) == 0) {
            out->version = BH_CVSS_V40;
            rc = parse_metrics(body, blen, pl + 4, v4_metrics, COUNT(v4_metrics), sel, err);
            if (rc)
                return rc;
            out->score10 = score_v4(sel, out->macro);
            if (out->score10 < 0)
                return bh_err_set(err, BH_EINTERNAL, NULL, 1, 0,
                                  "cvss: no v4.0 MacroVector score for %s", out->macro);
            return 0;
        }
        return bh_err_set(err, BH_EPARSE, NULL, 1, pl + 1, "cvss: unsupported version '%s'",
                          shown(buf, sizeof(buf), ver, 3));
    }
    out->version = BH_CVSS_V2;
    int rc = parse_metrics(s, len, 0, v2_metrics, COUNT(v2_metrics), sel, err);
    if (rc)
        return rc;
    out->score10 = score_v2(sel);
    return 0;
}

int bh_cvss_parse(const char *vector, struct bh_cvss *out, struct bh_err *err)
{
    size_t len = strnlen(vector, BH_MAX_CVSS_VECTOR + 1);
    return bh_cvss_parse_n(vector, len, out, err);
}

const char *bh_cvss_severity(int score10)
{
    if (score10 < 0 || score10 > 100)
        return NULL;
    if (score10 == 0)
        return "none";
    if (score10 < 40)
        return "low";
    if (score10 < 70)
        return "medium";
    if (score10 < 90)
        return "high";
    return "critical";
}

const char *bh_cvss_severity_v2(int score10)
{
    if (score10 < 0 || score10 > 100)
        return NULL;
    if (score10 < 40)
        return "low";
    if (score10 < 70)
        return "medium";
    return "high";
}

const char *bh_cvss_rating(const struct bh_cvss *c)
{
    return c->version == BH_CVSS_V2 ? bh_cvss_severity_v2(c->score10)
                                    : bh_cvss_severity(c->score10);
}
