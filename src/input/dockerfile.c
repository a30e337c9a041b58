/*
 * dockerfile.c - the Dockerfile reader: BuildKit's line grammar (parser
 * directives, escape-char continuations with comments inside, heredocs, JSON
 * exec form, instruction flags, ONBUILD) plus its ARG/ENV scoping and ${VAR}
 * substitution, into a struct bh_buildspec. It judges nothing and does not
 * split shell commands itself: scripts go to input/shell.c.
 * Design notes: docs/internals/dockerfile.md.
 */
#include "input/dockerfile.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/shell.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* A byte range of the input: one physical line without its line ending. */
struct pline {
    const char *p;
    size_t len;
};

/* Where a piece of a logical line starts in the file. */
struct seg {
    size_t off;
    int line, col;
};

/* One instruction after continuation joining, with a map back to file positions. */
struct lline {
    char *p;
    size_t len, cap;
    struct seg *segs;
    size_t nsegs, segs_cap;
};

/* A word of a logical line, as offsets into it. */
struct tok {
    size_t off, len;
};

/* Arena-backed growable string; failure is sticky. */
struct sb {
    char *p;
    size_t n, cap;
    bool fail;
};

/* A variable: known is false when the value is NULL or still holds unresolved references. */
struct var {
    const char *name;
    size_t nlen;
    const char *value;
    bool known;
};

/* Open-addressing table of variables; cap is 0 or a power of two. */
struct vars {
    struct var *v;
    size_t n, cap;
};

/* What a stage can see: its ENV (plus its base stage's), its declared ARGs, its shell. */
struct scope {
    struct vars env, args;
    int parent;
    bool posix_shell;
};

struct df {
    struct bh_arena *a;
    const char *file;
    struct bh_err *err;
    struct bh_buildspec *bs;
    const char *text;
    size_t len, pos; /* cursor over physical lines */
    int lineno;      /* number of the last line read */
    char esc;
    struct vars build_args, global;
    struct scope *scopes;
    size_t nscopes, scopes_cap;
    int cur; /* current stage, -1 before the first FROM */
    size_t pending_ignores;
    bool *kv_known; /* parallel to the kvs of the instruction being parsed */
    size_t kv_known_cap;
    /* FROM results handed from parse_instr to the stage bookkeeping */
    const char *from_base;
    const char *from_name;
};

enum envkind { ENV_NONE, ENV_GLOBAL, ENV_STAGE };
enum xmode { X_KEEP, X_WORD };

struct xctx {
    struct df *df;
    enum envkind kind;
    int stage;
    int line, col; /* for error messages */
    size_t budget; /* bytes appended from variable values so far */
    bool unresolved;
};

static const struct {
    const char *name;
    enum bh_instr_kind kind;
} keywords[] = {
    {"from", BH_I_FROM},
    {"run", BH_I_RUN},
    {"cmd", BH_I_CMD},
    {"label", BH_I_LABEL},
    {"maintainer", BH_I_MAINTAINER},
    {"expose", BH_I_EXPOSE},
    {"env", BH_I_ENV},
    {"add", BH_I_ADD},
    {"copy", BH_I_COPY},
    {"entrypoint", BH_I_ENTRYPOINT},
    {"volume", BH_I_VOLUME},
    {"user", BH_I_USER},
    {"workdir", BH_I_WORKDIR},
    {"arg", BH_I_ARG},
    {"onbuild", BH_I_ONBUILD},
    {"stopsignal", BH_I_STOPSIGNAL},
    {"healthcheck", BH_I_HEALTHCHECK},
    {"shell", BH_I_SHELL},
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

/* ---- errors ---- */

/* Text from the file made safe for a message: control bytes escaped, long text cut. */
static const char *quote(struct df *df, const char *s, size_t n)
{
    char buf[128];
    size_t i, o = 0;

    for (i = 0; i < n && o < 80; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (i < n) {
        buf[o++] = '.';
        buf[o++] = '.';
        buf[o++] = '.';
    }
    buf[o] = '\0';
    {
        const char *r = bh_arena_strdup(df->a, buf);

        return r ? r : "?";
    }
}

static int fail(struct df *df, int code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(struct df *df, int code, int line, int col, const char *fmt, ...)
{
    char msg[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return bh_err_set(df->err, code, df->file, line, col, "%s", msg);
}

static int nomem(struct df *df, int line)
{
    return fail(df, BH_ENOMEM, line, 0, "out of memory");
}

/* ---- small builders ---- */

static void sb_put(struct df *df, struct sb *b, const char *s, size_t n)
{
    char *np;

    if (b->fail)
        return;
    np = bh_arena_grow(df->a, b->p, &b->cap, b->n + n + 1, 1);
    if (!np) {
        b->fail = true;
        return;
    }
    b->p = np;
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_putc(struct df *df, struct sb *b, char c)
{
    sb_put(df, b, &c, 1);
}

/* The builder's string, "" when nothing was added; NULL after a failure. */
static const char *sb_str(struct df *df, struct sb *b)
{
    if (b->fail)
        return NULL;
    if (!b->p)
        return bh_arena_strdup(df->a, "");
    return b->p;
}

static void pos_of(const struct lline *ll, size_t off, int *line, int *col)
{
    size_t lo = 0, hi = ll->nsegs;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (ll->segs[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = ll->segs[lo].line;
    *col = ll->segs[lo].col + (int)(off - ll->segs[lo].off);
}

static struct bh_loc loc_at(struct df *df, const struct lline *ll, size_t off)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = df->bs->file;
    pos_of(ll, off, &l.line, &l.col);
    return l;
}

/* ---- variables ---- */

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static struct var *vars_get(const struct vars *t, const char *name, size_t n)
{
    size_t mask, i;

    if (!t->cap)
        return NULL;
    mask = t->cap - 1;
    i = (size_t)hash_name(name, n) & mask;
    for (;;) {
        struct var *v = &t->v[i];

        if (!v->name)
            return NULL;
        if (v->nlen == n && !memcmp(v->name, name, n))
            return v;
        i = (i + 1) & mask;
    }
}

static struct var *vars_slot(struct var *v, size_t cap, const char *name, size_t n)
{
    size_t mask = cap - 1, i = (size_t)hash_name(name, n) & mask;

    while (v[i].name && !(v[i].nlen == n && !memcmp(v[i].name, name, n)))
        i = (i + 1) & mask;
    return &v[i];
}

static int vars_set(struct df *df, struct vars *t, const char *name, const char *value, bool known)
{
    size_t n = strlen(name);
    struct var *slot;

    if ((t->n + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16, i;
        struct var *nv = bh_arena_calloc(df->a, ncap, sizeof(*nv));

        if (!nv)
            return BH_ENOMEM;
        for (i = 0; i < t->cap; i++)
            if (t->v[i].name)
                *vars_slot(nv, ncap, t->v[i].name, t->v[i].nlen) = t->v[i];
        t->v = nv;
        t->cap = ncap;
    }
    slot = vars_slot(t->v, t->cap, name, n);
    if (!slot->name)
        t->n++;
    slot->name = name;
    slot->nlen = n;
    slot->value = value;
    slot->known = known && value != NULL;
    return 0;
}

static const struct var *lookup(const struct xctx *x, const char *name, size_t n)
{
    const struct df *df = x->df;
    const struct var *v;
    int st;
    size_t guard = 0;

    if (x->kind == ENV_NONE)
        return NULL;
    if (x->kind == ENV_GLOBAL || x->stage < 0)
        return vars_get(&df->global, name, n);
    /* ENV wins over ARG; a stage sees the ENV of the stage it is built FROM */
    for (st = x->stage; st >= 0 && (size_t)st < df->nscopes && guard++ <= df->nscopes;
         st = df->scopes[st].parent) {
        v = vars_get(&df->scopes[st].env, name, n);
        if (v)
            return v;
    }
    return vars_get(&df->scopes[x->stage].args, name, n);
}

/* ---- substitution ---- */

static int expand_into(struct xctx *x, const char *s, size_t len, size_t *pos, enum xmode mode,
                       bool stop_brace, bool *closed, unsigned depth, struct sb *out);

static int put_value(struct xctx *x, const char *v, size_t n, struct sb *out)
{
    x->budget += n;
    if (x->budget > BH_MAX_SUBST_VALUE)
        return fail(x->df, BH_ELIMIT, x->line, x->col,
                    "variable substitution produces more than %u bytes (BH_MAX_SUBST_VALUE)",
                    BH_MAX_SUBST_VALUE);
    sb_put(x->df, out, v, n);
    return 0;
}

static bool has_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/*
 * s[*pos] is '$'. Expand one reference into out. A reference we cannot
 * resolve is copied as written and marks the expansion unresolved.
 */
static int expand_dollar(struct xctx *x, const char *s, size_t len, size_t *pos, enum xmode mode,
                         unsigned depth, struct sb *out)
{
    struct df *df = x->df;
    size_t start = *pos, i = start + 1, ns, nlen;
    const struct var *v;
    int rc;

    if (i < len && s[i] == '{') {
        struct xctx sub;
        struct sb word = {NULL, 0, 0, false};
        bool colon = false, closed = false, twice = false, set, cond;
        char op;

        ns = ++i;
        if (i < len && is_digit(s[i])) {
            while (i < len && is_digit(s[i]))
                i++;
        } else if (i < len && strchr("@*#?-$!", s[i]) && s[i]) {
            i++;
        } else {
            while (i < len && is_name_char(s[i]))
                i++;
        }
        nlen = i - ns;
        if (nlen == 0 || i >= len)
            goto literal;
        op = s[i];
        if (op == '}') {
            *pos = i + 1;
            v = lookup(x, s + ns, nlen);
            if (v && v->value) {
                if (!v->known)
                    x->unresolved = true;
                return put_value(x, v->value, strlen(v->value), out);
            }
            x->unresolved = true;
            sb_put(df, out, s + start, *pos - start);
            return 0;
        }
        if (op == ':') {
            colon = true;
            if (++i >= len || !strchr("-+?", s[i]) || !s[i])
                goto literal;
            op = s[i];
        }
        if (!op || !strchr("-+?#%/", op))
            goto literal;
        if ((op == '#' || op == '%') && !colon && i + 1 < len && s[i + 1] == op)
            twice = true;
        i += twice ? 2 : 1;
        sub = *x;
        sub.unresolved = false;
        rc = expand_into(&sub, s, len, &i, mode, true, &closed, depth + 1, &word);
        x->budget = sub.budget;
        if (rc)
            return rc;
        if (!closed) {
            /* no closing brace: keep the rest as written */
            x->unresolved = true;
            sb_put(df, out, s + start, len - start);
            *pos = len;
            return 0;
        }
        *pos = i;
        v = lookup(x, s + ns, nlen);
        set = v && v->value;
        cond = colon ? (set && v->value[0]) : set;
        if (!word.p)
            sb_put(df, &word, "", 0);
        if (word.fail)
            return BH_ENOMEM;
        switch (op) {
        case '-':
            if (cond) {
                if (!v->known)
                    x->unresolved = true;
                return put_value(x, v->value, strlen(v->value), out);
            }
            if (sub.unresolved)
                x->unresolved = true;
            return put_value(x, word.p, word.n, out);
        case '+':
            if (!cond)
                return 0;
            if (sub.unresolved)
                x->unresolved = true;
            return put_value(x, word.p, word.n, out);
        case '?':
            if (cond) {
                if (!v->known)
                    x->unresolved = true;
                return put_value(x, v->value, strlen(v->value), out);
            }
            break;
        case '#':
        case '%':
            if (set && v->known && !sub.unresolved && !has_glob(word.p)) {
                size_t vl = strlen(v->value);
                const char *val = v->value;

                /* literal patterns only: then the shortest and longest match are the same */
                if (word.n <= vl) {
                    if (op == '#' && !memcmp(val, word.p, word.n))
                        return put_value(x, val + word.n, vl - word.n, out);
                    if (op == '%' && !memcmp(val + vl - word.n, word.p, word.n))
                        return put_value(x, val, vl - word.n, out);
                }
                return put_value(x, val, vl, out);
            }
            break;
        default:
            break;
        }
        x->unresolved = true;
        sb_put(df, out, s + start, *pos - start);
        return 0;
    }
    if (i < len && (is_name_start(s[i]) || is_digit(s[i]) || (s[i] && strchr("@*#?-$!", s[i])))) {
        ns = i;
        if (is_name_start(s[i])) {
            while (i < len && is_name_char(s[i]))
                i++;
        } else if (is_digit(s[i])) {
            while (i < len && is_digit(s[i]))
                i++;
        } else {
            i++;
        }
        *pos = i;
        v = lookup(x, s + ns, i - ns);
        if (v && v->value) {
            if (!v->known)
                x->unresolved = true;
            return put_value(x, v->value, strlen(v->value), out);
        }
        x->unresolved = true;
        sb_put(df, out, s + start, i - start);
        return 0;
    }
    sb_putc(df, out, '$');
    *pos = start + 1;
    return 0;

literal:
    /* not a reference we understand: keep the '$' and go on after it */
    x->unresolved = true;
    sb_putc(df, out, '$');
    *pos = start + 1;
    return 0;
}

/*
 * Expand s[*pos..len) into out. X_WORD removes quotes and escapes like
 * BuildKit's word processing; X_KEEP leaves them as written and only replaces
 * references. With stop_brace, stop after the unquoted '}' that ends a
 * ${VAR:-word} (*closed says whether it was there).
 */
static int expand_into(struct xctx *x, const char *s, size_t len, size_t *pos, enum xmode mode,
                       bool stop_brace, bool *closed, unsigned depth, struct sb *out)
{
    struct df *df = x->df;
    char esc = df->esc, quote_ch = 0;
    size_t i = *pos;
    int rc;

    if (depth > BH_MAX_SUBST_DEPTH)
        return fail(df, BH_ELIMIT, x->line, x->col,
                    "variable substitution nested deeper than %u (BH_MAX_SUBST_DEPTH)",
                    BH_MAX_SUBST_DEPTH);
    while (i < len) {
        char c = s[i];

        if (quote_ch == '\'') {
            if (c == '\'')
                quote_ch = 0;
            if (c != '\'' || mode == X_KEEP)
                sb_putc(df, out, c);
            i++;
            continue;
        }
        if (c == esc) {
            if (i + 1 >= len) {
                if (mode == X_KEEP)
                    sb_putc(df, out, c);
                i++;
                continue;
            }
            if (quote_ch == '"') {
                char d = s[i + 1];

                if (mode == X_KEEP || !(d == '"' || d == '$' || d == esc))
                    sb_putc(df, out, c);
                sb_putc(df, out, d);
            } else {
                if (mode == X_KEEP)
                    sb_putc(df, out, c);
                sb_putc(df, out, s[i + 1]);
            }
            i += 2;
            continue;
        }
        if (c == '"' || (c == '\'' && quote_ch == 0)) {
            quote_ch = quote_ch ? 0 : c;
            if (mode == X_KEEP)
                sb_putc(df, out, c);
            i++;
            continue;
        }
        if (c == '$') {
            rc = expand_dollar(x, s, len, &i, mode, depth, out);
            if (rc)
                return rc;
            continue;
        }
        if (stop_brace && quote_ch == 0 && c == '}') {
            *closed = true;
            *pos = i + 1;
            return 0;
        }
        sb_putc(df, out, c);
        i++;
    }
    *pos = i;
    return 0;
}

static int expand(struct df *df, enum envkind kind, const char *s, size_t len, enum xmode mode,
                  int line, int col, const char **res, bool *unresolved)
{
    struct xctx x;
    struct sb out = {NULL, 0, 0, false};
    size_t pos = 0;
    int rc;

    memset(&x, 0, sizeof(x));
    x.df = df;
    x.kind = kind;
    x.stage = df->cur;
    x.line = line;
    x.col = col;
    rc = expand_into(&x, s, len, &pos, mode, false, NULL, 0, &out);
    if (rc)
        return rc;
    *res = sb_str(df, &out);
    if (!*res)
        return nomem(df, line);
    if (unresolved)
        *unresolved = x.unresolved;
    return 0;
}

/* ---- words ---- */

static int push_tok(struct df *df, struct tok **v, size_t *n, size_t *cap, size_t off, size_t len)
{
    struct tok *t = BH_PUSH(df->a, *v, *n, *cap);

    if (!t)
        return BH_ENOMEM;
    t->off = off;
    t->len = len;
    return 0;
}

/*
 * Split p[from..to) into words. Without quotes: on whitespace only (BuildKit's
 * whitespace-delimited form). With quotes: a quoted part or an escaped byte does
 * not end a word; quotes and escapes stay in the word.
 */
static int split_words(struct df *df, const char *p, size_t from, size_t to, bool quotes, char esc,
                       struct tok **out, size_t *n)
{
    size_t i = from, cap = 0;

    *out = NULL;
    *n = 0;
    while (i < to) {
        size_t start;
        char q = 0;

        while (i < to && is_ws(p[i]))
            i++;
        if (i >= to)
            break;
        start = i;
        while (i < to) {
            char c = p[i];

            if (!quotes) {
                if (is_ws(c))
                    break;
                i++;
                continue;
            }
            if (q) {
                if (c == esc && q != '\'' && i + 1 < to) {
                    i += 2;
                    continue;
                }
                if (c == q)
                    q = 0;
                i++;
                continue;
            }
            if (is_ws(c))
                break;
            if (c == esc && i + 1 < to) {
                i += 2;
                continue;
            }
            if (c == '\'' || c == '"')
                q = c;
            i++;
        }
        if (push_tok(df, out, n, &cap, start, i - start))
            return BH_ENOMEM;
    }
    return 0;
}

/* ---- JSON exec form ---- */

static bool json_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool hex4(const char *s, size_t n, size_t i, unsigned *out)
{
    unsigned v = 0;
    size_t k;

    if (i + 4 > n)
        return false;
    for (k = 0; k < 4; k++) {
        int h = bh_hexval(s[i + k]);

        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return true;
}

static void put_utf8(struct df *df, struct sb *b, unsigned cp)
{
    char u[4];

    if (cp < 0x80) {
        u[0] = (char)cp;
        sb_put(df, b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        sb_put(df, b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        sb_put(df, b, u, 3);
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        sb_put(df, b, u, 4);
    }
}

/* s[*i] is '"'. Decode the string into out (when not NULL); false when it is not valid JSON. */
static bool json_string(struct df *df, const char *s, size_t n, size_t *i, struct sb *out)
{
    size_t k = *i + 1;

    while (k < n) {
        unsigned char c = (unsigned char)s[k];

        if (c == '"') {
            *i = k + 1;
            if (out && !out->p)
                sb_put(df, out, "", 0);
            return true;
        }
        if (c < 0x20)
            return false;
        if (c != '\\') {
            if (out)
                sb_putc(df, out, (char)c);
            k++;
            continue;
        }
        if (++k >= n)
            return false;
        switch (s[k]) {
        case '"':
        case '\\':
        case '/':
            if (out)
                sb_putc(df, out, s[k]);
            k++;
            break;
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            if (out)
                sb_putc(df, out, "\b\f\n\r\t"[strchr("bfnrt", s[k]) - "bfnrt"]);
            k++;
            break;
        case 'u': {
            unsigned cp, lo;

            if (!hex4(s, n, k + 1, &cp))
                return false;
            k += 5;
            if (cp >= 0xd800 && cp < 0xdc00 && k + 1 < n && s[k] == '\\' && s[k + 1] == 'u' &&
                hex4(s, n, k + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                k += 6;
            } else if ((cp >= 0xd800 && cp < 0xe000) || cp == 0) {
                /* a lone surrogate becomes U+FFFD as in Go; NUL would cut our C string */
                cp = 0xfffd;
            }
            if (out)
                put_utf8(df, out, cp);
            break;
        }
        default:
            return false;
        }
    }
    return false;
}

static bool json_lit(const char *s, size_t n, size_t *i, const char *lit)
{
    size_t l = strlen(lit);

    if (*i + l > n || memcmp(s + *i, lit, l))
        return false;
    *i += l;
    return true;
}

/* Skip one JSON value. 1 ok, 0 invalid, -1 nested deeper than BH_MAX_JSON_DEPTH. */
static int json_skip(struct df *df, const char *s, size_t n, size_t *i, unsigned depth)
{
    size_t k = *i;
    int rc;

    if (depth > BH_MAX_JSON_DEPTH)
        return -1;
    if (k >= n)
        return 0;
    switch (s[k]) {
    case '"':
        return json_string(df, s, n, i, NULL) ? 1 : 0;
    case 't':
        return json_lit(s, n, i, "true");
    case 'f':
        return json_lit(s, n, i, "false");
    case 'n':
        return json_lit(s, n, i, "null");
    case '[':
    case '{': {
        char close = s[k] == '[' ? ']' : '}';
        bool first = true;

        k++;
        for (;;) {
            while (k < n && json_ws(s[k]))
                k++;
            if (k < n && s[k] == close && first) {
                *i = k + 1;
                return 1;
            }
            if (close == '}') {
                if (k >= n || s[k] != '"' || !json_string(df, s, n, &k, NULL))
                    return 0;
                while (k < n && json_ws(s[k]))
                    k++;
                if (k >= n || s[k] != ':')
                    return 0;
                k++;
                while (k < n && json_ws(s[k]))
                    k++;
            }
            rc = json_skip(df, s, n, &k, depth + 1);
            if (rc != 1)
                return rc;
            while (k < n && json_ws(s[k]))
                k++;
            if (k < n && s[k] == ',') {
                k++;
                first = false;
                continue;
            }
            if (k < n && s[k] == close) {
                *i = k + 1;
                return 1;
            }
            return 0;
        }
    }
    default:
        break;
    }
    /* number */
    if (s[k] == '-')
        k++;
    if (k >= n || !is_digit(s[k]))
        return 0;
    if (s[k] == '0')
        k++;
    else
        while (k < n && is_digit(s[k]))
            k++;
    if (k < n && s[k] == '.') {
        k++;
        if (k >= n || !is_digit(s[k]))
            return 0;
        while (k < n && is_digit(s[k]))
            k++;
    }
    if (k < n && (s[k] == 'e' || s[k] == 'E')) {
        k++;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k >= n || !is_digit(s[k]))
            return 0;
        while (k < n && is_digit(s[k]))
            k++;
    }
    *i = k;
    return 1;
}

/*
 * s[0..n) after the keyword and flags. Returns 1 for a JSON array of strings
 * (argv, with offs[i] the offset in s of element i's opening quote), 0 when it
 * is not JSON (BuildKit then takes the shell form), JSON_NONSTRING for valid
 * JSON with a non-string element, JSON_DEEP when nested past BH_MAX_JSON_DEPTH,
 * or BH_ENOMEM.
 */
enum { JSON_NONSTRING = 2, JSON_DEEP = 3 };

static int json_form(struct df *df, const char *s, size_t n, const char ***argv, size_t **offs,
                     size_t *argc)
{
    size_t k = 0, cap = 0, ocap = 0, cnt = 0, ocnt = 0;
    bool nonstring = false, first = true;
    int rc;

    *argv = NULL;
    *offs = NULL;
    *argc = 0;
    if (!n || s[0] != '[')
        return 0;
    k = 1;
    for (;;) {
        while (k < n && json_ws(s[k]))
            k++;
        if (k < n && s[k] == ']' && first) {
            k++;
            break;
        }
        if (k < n && s[k] == '"') {
            struct sb b = {NULL, 0, 0, false};
            const char **slot;
            size_t *o, at = k;

            if (!json_string(df, s, n, &k, &b))
                return 0;
            if (b.fail)
                return BH_ENOMEM;
            slot = BH_PUSH(df->a, *argv, cnt, cap);
            if (!slot)
                return BH_ENOMEM;
            *slot = b.p;
            o = BH_PUSH(df->a, *offs, ocnt, ocap);
            if (!o)
                return BH_ENOMEM;
            *o = at;
        } else {
            rc = json_skip(df, s, n, &k, 1);
            if (rc == 0)
                return 0;
            if (rc < 0)
                return JSON_DEEP;
            nonstring = true;
        }
        while (k < n && json_ws(s[k]))
            k++;
        if (k < n && s[k] == ',') {
            k++;
            first = false;
            continue;
        }
        if (k < n && s[k] == ']') {
            k++;
            break;
        }
        return 0;
    }
    while (k < n && json_ws(s[k]))
        k++;
    if (k != n)
        return 0;
    if (nonstring)
        return JSON_NONSTRING;
    *argc = cnt;
    return 1;
}

/* ---- scripts ---- */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/'), *b = strrchr(p, '\\');

    if (b && (!s || b > s))
        s = b;
    return s ? s + 1 : p;
}

static bool posix_shell_name(const char *argv0)
{
    static const char *const non_posix[] = {"cmd",  "cmd.exe", "powershell", "powershell.exe",
                                            "pwsh", "pwsh.exe"};
    const char *b = base_name(argv0);
    size_t i;

    for (i = 0; i < sizeof(non_posix) / sizeof(non_posix[0]); i++)
        if (bh_str_ieq(b, non_posix[i]))
            return false;
    return true;
}

/* ["sh", "-c", "script"] (and bash, options before -c): the index of the script, or 0. */
static size_t exec_script_index(const char **argv, size_t argc)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh"};
    const char *b;
    size_t i, k;
    bool ok = false;

    if (argc < 3)
        return 0;
    b = base_name(argv[0]);
    for (i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
        if (!strcmp(b, shells[i]))
            ok = true;
    if (!ok)
        return 0;
    for (k = 1; k + 1 < argc; k++) {
        const char *o = argv[k];

        if ((o[0] != '-' && o[0] != '+') || !o[1])
            return 0;
        if (o[0] == '-' && o[1] == '-')
            continue;
        if (o[0] == '-' && strchr(o + 1, 'c'))
            return k + 1;
        if (strchr(o + 1, 'o'))
            k++; /* -o pipefail */
    }
    return 0;
}

/*
 * The tokenizer counts columns in the text it is given; a joined logical line
 * lost its physical line breaks, so move each word back to where it is in the file.
 */
static void remap_words(const struct lline *ll, size_t base, int line0, int col0, struct bh_word *w,
                        size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        long long off;

        if (w[i].line != line0 || w[i].col < col0)
            continue;
        off = (long long)base + (w[i].col - col0);
        if (off < 0 || (size_t)off > ll->len)
            continue;
        pos_of(ll, (size_t)off, &w[i].line, &w[i].col);
    }
}

static int run_script(struct df *df, struct bh_instr *in, const struct lline *ll, const char *text,
                      size_t base, int line, int col, bool remap, bool posix)
{
    struct bh_script *sc = &in->script;
    size_t i;
    int rc;

    if (!posix) {
        memset(sc, 0, sizeof(*sc));
        sc->text = text;
        return 0;
    }
    rc = bh_shell_parse(df->a, text, strlen(text), line, col, sc, df->err);
    if (rc) {
        if (!df->err->file[0] || !df->err->line) {
            char msg[sizeof(df->err->msg)];

            memcpy(msg, df->err->msg, sizeof(msg));
            bh_err_set(df->err, rc, df->file, line, col, "%s", msg);
        }
        return rc;
    }
    sc->text = text;
    if (!remap || !ll)
        return 0;
    for (i = 0; i < sc->ncmds; i++) {
        struct bh_shcmd *c = &sc->cmds[i];

        remap_words(ll, base, line, col, c->argv, c->argc);
        remap_words(ll, base, line, col, c->assigns, c->nassigns);
        if (c->nassigns)
            c->line = c->assigns[0].line;
        else if (c->argc)
            c->line = c->argv[0].line;
    }
    return 0;
}

/* ---- inline suppressions ---- */

static int ignore_comment(struct df *df, int lineno, const char *p, size_t n, int applies)
{
    static const char key[] = "bulkhead:ignore=";
    const size_t kl = sizeof(key) - 1;
    struct bh_ignore *g;
    size_t i = 1, idcap = 0;
    const char *ids_end;

    while (i < n && is_ws(p[i]))
        i++;
    if (n - i < kl || !bh_str_ieqn(p + i, kl, key))
        return 0;
    i += kl;
    g = BH_PUSH(df->a, df->bs->ignores, df->bs->nignores, df->bs->ignores_cap);
    if (!g)
        return nomem(df, lineno);
    g->line = lineno;
    g->applies_line = applies;
    ids_end = p + i;
    while ((size_t)(ids_end - p) < n && !is_ws(*ids_end))
        ids_end++;
    while (p + i < ids_end) {
        const char *c = memchr(p + i, ',', (size_t)(ids_end - (p + i)));
        size_t e = c ? (size_t)(c - p) : (size_t)(ids_end - p);

        if (e > i) {
            const char **slot = BH_PUSH(df->a, g->ids, g->nids, idcap);

            if (!slot || !(*slot = bh_arena_strndup(df->a, p + i, e - i)))
                return nomem(df, lineno);
        }
        i = c ? e + 1 : e;
    }
    i = (size_t)(ids_end - p);
    while (i < n && is_ws(p[i]))
        i++;
    while (n > i && is_ws(p[n - 1]))
        n--;
    g->reason = bh_arena_strndup(df->a, p + i, n - i);
    if (!g->reason)
        return nomem(df, lineno);
    if (!g->nids)
        df->bs->nignores--; /* `bulkhead:ignore=` with no id suppresses nothing */
    return 0;
}

/* ---- physical lines ---- */

static bool next_line(struct df *df, struct pline *l)
{
    const char *p, *nl;
    size_t n;

    if (df->pos >= df->len)
        return false;
    p = df->text + df->pos;
    nl = memchr(p, '\n', df->len - df->pos);
    n = nl ? (size_t)(nl - p) : df->len - df->pos;
    df->pos += n + (nl ? 1 : 0);
    df->lineno++;
    while (n && p[n - 1] == '\r')
        n--;
    l->p = p;
    l->len = n;
    return true;
}

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && is_ws(p[i]))
        i++;
    return i;
}

/* Strip a trailing escape char (and blanks after it); true when the line continues. */
static bool trim_cont(const char *p, size_t *n, char esc)
{
    size_t k = *n;

    while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
        k--;
    if (k && p[k - 1] == esc) {
        *n = k - 1;
        return true;
    }
    return false;
}

static int ll_add(struct df *df, struct lline *ll, const char *p, size_t n, int line, int col)
{
    struct seg *s;
    char *np;

    if (ll->len + n > BH_MAX_LOGICAL_LINE)
        return fail(df, BH_ELIMIT, line, col,
                    "instruction longer than %u bytes after joining lines (BH_MAX_LOGICAL_LINE)",
                    BH_MAX_LOGICAL_LINE);
    s = BH_PUSH(df->a, ll->segs, ll->nsegs, ll->segs_cap);
    np = bh_arena_grow(df->a, ll->p, &ll->cap, ll->len + n + 1, 1);
    if (!s || !np)
        return nomem(df, line);
    s->off = ll->len;
    s->line = line;
    s->col = col;
    ll->p = np;
    if (n)
        memcpy(ll->p + ll->len, p, n);
    ll->len += n;
    ll->p[ll->len] = '\0';
    return 0;
}

/* ---- heredocs ---- */

struct hdword {
    size_t off; /* of the `<<` word in the logical line */
    const char *name;
    bool strip, quoted;
};

/* A word `[n]<<[-]NAME` (NAME without '<'); fills h and returns true. */
static bool heredoc_word(struct df *df, const char *w, size_t n, struct hdword *h)
{
    size_t i = 0, k;
    struct sb name = {NULL, 0, 0, false};
    char q = 0;

    while (i < n && is_digit(w[i]))
        i++;
    if (n - i < 2 || w[i] != '<' || w[i + 1] != '<')
        return false;
    i += 2;
    h->strip = i < n && w[i] == '-';
    if (h->strip)
        i++;
    if (i >= n || memchr(w + i, '<', n - i))
        return false;
    h->quoted = false;
    for (k = i; k < n; k++) {
        char c = w[k];

        if (q) {
            if (c == q) {
                q = 0;
                continue;
            }
            if (c == '\\' && q == '"' && k + 1 < n)
                c = w[++k];
            sb_putc(df, &name, c);
            continue;
        }
        if (c == '\'' || c == '"') {
            q = c;
            h->quoted = true;
            continue;
        }
        if (c == '\\' && k + 1 < n) {
            c = w[++k];
            h->quoted = true;
        }
        sb_putc(df, &name, c);
    }
    if (!name.n || name.fail)
        return false;
    h->name = name.p;
    return true;
}

/* Read the bodies of the heredocs named in words from the lines after the instruction. */
static int read_heredocs(struct df *df, struct bh_instr *in, const struct lline *ll,
                         const struct hdword *hd, size_t nhd, bool copy_like)
{
    size_t k, cap = 0;

    for (k = 0; k < nhd; k++) {
        struct bh_heredoc *h;
        struct sb body = {NULL, 0, 0, false};
        struct pline l;
        bool done = false;
        int first = 0;

        while (next_line(df, &l)) {
            const char *p = l.p;
            size_t n = l.len;

            if (hd[k].strip)
                while (n && *p == '\t')
                    p++, n--;
            if (n == strlen(hd[k].name) && !memcmp(p, hd[k].name, n)) {
                done = true;
                break;
            }
            if (!first)
                first = df->lineno;
            sb_put(df, &body, p, n);
            sb_putc(df, &body, '\n');
        }
        if (!done) {
            int line, col;

            pos_of(ll, hd[k].off, &line, &col);
            return fail(df, BH_EPARSE, line, col, "unterminated heredoc '%s'",
                        quote(df, hd[k].name, strlen(hd[k].name)));
        }
        h = BH_PUSH(df->a, in->heredocs, in->nheredocs, cap);
        if (!h || body.fail)
            return nomem(df, df->lineno);
        h->delim = hd[k].name;
        h->body = body.p ? body.p : "";
        h->strip_tabs = hd[k].strip;
        h->quoted = hd[k].quoted;
        h->line = first ? first : df->lineno;
        h->target = copy_like && in->argc ? in->argv[in->argc - 1] : NULL;
    }
    return 0;
}

/* ---- instructions ---- */

static enum bh_instr_kind kind_of(const char *w, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (bh_str_ieqn(w, n, keywords[i].name))
            return keywords[i].kind;
    return BH_I_UNKNOWN;
}

/* Closest instruction name within two edits, for "did you mean". */
static const char *suggest(const char *w, size_t n)
{
    size_t i, best = 3;
    const char *res = NULL;

    if (n > 16)
        return NULL;
    for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        const char *k = keywords[i].name;
        size_t kl = strlen(k), a, b, d[17][17];

        for (a = 0; a <= n; a++)
            d[a][0] = a;
        for (b = 0; b <= kl; b++)
            d[0][b] = b;
        for (a = 1; a <= n; a++) {
            for (b = 1; b <= kl; b++) {
                char ca = w[a - 1];
                size_t cost, m;

                if (ca >= 'A' && ca <= 'Z')
                    ca = (char)(ca - 'A' + 'a');
                cost = ca == k[b - 1] ? 0 : 1;
                m = d[a - 1][b - 1] + cost;
                if (d[a - 1][b] + 1 < m)
                    m = d[a - 1][b] + 1;
                if (d[a][b - 1] + 1 < m)
                    m = d[a][b - 1] + 1;
                d[a][b] = m;
            }
        }
        if (d[n][kl] < best) {
            best = d[n][kl];
            res = bh_instr_kind_name(keywords[i].kind);
        }
    }
    return res;
}

static int need_kv_known(struct df *df, size_t n)
{
    bool *p = bh_arena_grow(df->a, df->kv_known, &df->kv_known_cap, n, sizeof(bool));

    if (!p)
        return BH_ENOMEM;
    df->kv_known = p;
    return 0;
}

static int add_kv(struct df *df, struct bh_instr *in, size_t *cap, const char *key,
                  const char *value, bool known, struct bh_loc loc)
{
    struct bh_kv *kv = BH_PUSH(df->a, in->kvs, in->nkvs, *cap);

    if (!kv || need_kv_known(df, in->nkvs))
        return nomem(df, loc.line);
    kv->key = key;
    kv->value = value;
    kv->loc = loc;
    df->kv_known[in->nkvs - 1] = known;
    return 0;
}

/* Parse `--name=value` flags at ll->p[*pos...]; leaves *pos at the arguments. */
static int parse_flags(struct df *df, struct bh_instr *in, const struct lline *ll, size_t *pos,
                       enum envkind env)
{
    size_t i = *pos, cap = 0;
    const char *p = ll->p;
    size_t n = ll->len;

    for (;;) {
        struct sb w = {NULL, 0, 0, false};
        size_t start, eq;
        struct bh_flag *f;
        char q = 0;
        int rc;

        i = skip_ws(p, i, n);
        if (i + 1 >= n || p[i] != '-' || p[i + 1] != '-')
            break;
        start = i;
        while (i < n) {
            char c = p[i];

            if (!q && is_ws(c))
                break;
            if (q && c == q) {
                q = 0;
                i++;
                continue;
            }
            if (!q && (c == '\'' || c == '"')) {
                q = c;
                i++;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    i++;
                    continue;
                }
                c = p[++i];
            }
            sb_putc(df, &w, c);
            i++;
        }
        if (w.fail)
            return nomem(df, in->loc.line);
        if (w.n == 2) {
            i = skip_ws(p, i, n);
            break; /* `--` ends the flags */
        }
        f = BH_PUSH(df->a, in->flags, in->nflags, cap);
        if (!f)
            return nomem(df, in->loc.line);
        f->loc = loc_at(df, ll, start);
        eq = 2;
        while (eq < w.n && w.p[eq] != '=')
            eq++;
        if (eq == 2)
            return fail(df, BH_EPARSE, f->loc.line, f->loc.col, "invalid flag '%s'",
                        quote(df, p + start, i - start));
        f->name = bh_arena_strndup(df->a, w.p + 2, eq - 2);
        if (!f->name)
            return nomem(df, f->loc.line);
        if (eq < w.n) {
            rc = expand(df, env, w.p + eq + 1, w.n - eq - 1, X_WORD, f->loc.line, f->loc.col,
                        &f->value, NULL);
            if (rc)
                return rc;
        } else {
            f->value = "";
        }
    }
    *pos = i;
    return 0;
}

static int set_argv_words(struct df *df, struct bh_instr *in, const struct lline *ll,
                          const struct tok *t, size_t nt, enum envkind env)
{
    size_t k;

    in->argv = bh_arena_calloc(df->a, nt ? nt : 1, sizeof(*in->argv));
    if (!in->argv)
        return nomem(df, in->loc.line);
    for (k = 0; k < nt; k++) {
        int line, col, rc;

        pos_of(ll, t[k].off, &line, &col);
        rc = expand(df, env, ll->p + t[k].off, t[k].len, X_WORD, line, col, &in->argv[k], NULL);
        if (rc)
            return rc;
    }
    in->argc = nt;
    return 0;
}

/* ENV and LABEL: `K V...` (old form) or `K=V K2="v 2"` */
static int parse_name_val(struct df *df, struct bh_instr *in, const struct lline *ll, size_t off,
                          enum envkind env, const char *kw)
{
    struct tok *t;
    size_t nt, k, cap = 0;
    int rc;

    if (split_words(df, ll->p, off, ll->len, true, df->esc, &t, &nt))
        return nomem(df, in->loc.line);
    if (!nt)
        return fail(df, BH_EPARSE, in->loc.line, in->loc.col, "'%s' requires at least one argument",
                    kw);
    if (!memchr(ll->p + t[0].off, '=', t[0].len)) {
        size_t v = skip_ws(ll->p, t[0].off + t[0].len, ll->len);
        struct bh_loc l = loc_at(df, ll, t[0].off);
        const char *key, *val;
        bool unres = false, kunres = false;

        if (v >= ll->len)
            return fail(df, BH_EPARSE, l.line, l.col,
                        "'%s' must have two arguments ('%s %s value')", kw, kw,
                        quote(df, ll->p + t[0].off, t[0].len));
        rc = expand(df, env, ll->p + t[0].off, t[0].len, X_WORD, l.line, l.col, &key, &kunres);
        if (!rc)
            rc = expand(df, env, ll->p + v, ll->len - v, X_WORD, l.line, l.col, &val, &unres);
        if (rc)
            return rc;
        return add_kv(df, in, &cap, key, val, !unres, l);
    }
    for (k = 0; k < nt; k++) {
        const char *w = ll->p + t[k].off, *eq = memchr(w, '=', t[k].len);
        struct bh_loc l = loc_at(df, ll, t[k].off);
        const char *key, *val;
        bool unres = false;

        if (!eq)
            return fail(df, BH_EPARSE, l.line, l.col,
                        "syntax error - can't find = in '%s' (must be of the form: name=value)",
                        quote(df, w, t[k].len));
        if (eq == w)
            return fail(df, BH_EPARSE, l.line, l.col, "'%s' names can not be blank", kw);
        rc = expand(df, env, w, (size_t)(eq - w), X_WORD, l.line, l.col, &key, NULL);
        if (!rc)
            rc = expand(df, env, eq + 1, t[k].len - (size_t)(eq - w) - 1, X_WORD, l.line, l.col,
                        &val, &unres);
        if (rc)
            return rc;
        rc = add_kv(df, in, &cap, key, val, !unres, l);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_arg(struct df *df, struct bh_instr *in, const struct lline *ll, size_t off,
                     enum envkind env)
{
    struct tok *t;
    size_t nt, k, cap = 0;
    int rc;

    if (split_words(df, ll->p, off, ll->len, true, df->esc, &t, &nt))
        return nomem(df, in->loc.line);
    if (!nt)
        return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                    "'ARG' requires at least one argument");
    for (k = 0; k < nt; k++) {
        const char *w = ll->p + t[k].off, *eq = memchr(w, '=', t[k].len);
        size_t kl = eq ? (size_t)(eq - w) : t[k].len;
        struct bh_loc l = loc_at(df, ll, t[k].off);
        const char *key, *val = NULL;
        bool unres = false;

        if (!kl)
            return fail(df, BH_EPARSE, l.line, l.col, "'ARG' names can not be blank");
        rc = expand(df, env, w, kl, X_WORD, l.line, l.col, &key, NULL);
        if (!rc && eq)
            rc = expand(df, env, eq + 1, t[k].len - kl - 1, X_WORD, l.line, l.col, &val, &unres);
        if (rc)
            return rc;
        rc = add_kv(df, in, &cap, key, val, val && !unres, l);
        if (rc)
            return rc;
    }
    return 0;
}

/* Turn json_form's failures into errors; returns 0 or 1 (is JSON) otherwise. */
static int json_error(struct df *df, const struct bh_instr *in, const struct lline *ll, size_t off,
                      int rc)
{
    int line, col;

    if (rc == BH_ENOMEM)
        return nomem(df, in->loc.line);
    if (rc != JSON_NONSTRING && rc != JSON_DEEP)
        return rc;
    pos_of(ll, off, &line, &col);
    if (rc == JSON_DEEP)
        return fail(df, BH_ELIMIT, line, col,
                    "json array nested deeper than %u (BH_MAX_JSON_DEPTH)", BH_MAX_JSON_DEPTH);
    return fail(df, BH_EPARSE, line, col,
                "when using json array syntax, arrays must be comprised of strings only");
}

/* RUN / CMD / ENTRYPOINT / HEALTHCHECK CMD: exec form or a shell script. */
static int parse_command(struct df *df, struct bh_instr *in, const struct lline *ll, size_t off,
                         bool posix, size_t nhd, size_t nwords)
{
    const char **argv, *text;
    size_t *offs, argc, si;
    int rc, line, col;

    rc = json_form(df, ll->p + off, ll->len - off, &argv, &offs, &argc);
    rc = json_error(df, in, ll, off, rc);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        in->json_form = true;
        in->argv = argv;
        in->argc = argc;
        si = exec_script_index(argv, argc);
        if (!si)
            return 0;
        pos_of(ll, off + offs[si] + 1, &line, &col);
        return run_script(df, in, ll, argv[si], off + offs[si] + 1, line, col, true, true);
    }
    if (off >= ll->len)
        return 0;
    if (nhd && nhd == nwords) {
        /* `RUN <<EOF`: the first heredoc is the script */
        return run_script(df, in, NULL, in->heredocs[0].body, 0, in->heredocs[0].line, 1, false,
                          posix);
    }
    text = bh_arena_strndup(df->a, ll->p + off, ll->len - off);
    if (!text)
        return nomem(df, in->loc.line);
    pos_of(ll, off, &line, &col);
    return run_script(df, in, ll, text, off, line, col, true, posix);
}

static int parse_instr(struct df *df, const struct lline *ll, size_t start, bool trigger,
                       struct bh_instr *in);

static int parse_onbuild(struct df *df, struct bh_instr *in, const struct lline *ll, size_t off)
{
    struct bh_instr *t;
    size_t e = off;
    enum bh_instr_kind k;
    int rc;

    if (off >= ll->len)
        return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                    "'ONBUILD' requires at least one argument");
    while (e < ll->len && !is_ws(ll->p[e]))
        e++;
    k = kind_of(ll->p + off, e - off);
    if (k == BH_I_ONBUILD || k == BH_I_FROM || k == BH_I_MAINTAINER) {
        int line, col;

        pos_of(ll, off, &line, &col);
        if (k == BH_I_ONBUILD)
            return fail(df, BH_EPARSE, line, col,
                        "chaining onbuild via 'ONBUILD ONBUILD' isn't allowed");
        return fail(df, BH_EPARSE, line, col, "'%s' isn't allowed as an onbuild trigger",
                    bh_instr_kind_name(k));
    }
    t = bh_arena_alloc(df->a, sizeof(*t));
    if (!t)
        return nomem(df, in->loc.line);
    rc = parse_instr(df, ll, off, true, t);
    if (rc)
        return rc;
    t->loc.line = in->loc.line;
    in->onbuild = t;
    return 0;
}

/*
 * Parse the instruction at ll->p[start..]. A trigger (ONBUILD's) runs in a
 * later build: nothing in it is substituted and it changes no scope.
 */
static int parse_instr(struct df *df, const struct lline *ll, size_t start, bool trigger,
                       struct bh_instr *in)
{
    size_t e = start, off, nt = 0, k;
    struct tok *t = NULL;
    struct hdword *hd = NULL;
    size_t nhd = 0, hdcap = 0, nwords = 0;
    enum envkind env;
    bool posix = true;
    const char *kw;
    int rc, line, col;

    memset(in, 0, sizeof(*in));
    while (e < ll->len && !is_ws(ll->p[e]))
        e++;
    in->loc = loc_at(df, ll, start);
    in->stage = df->cur;
    in->kind = kind_of(ll->p + start, e - start);
    in->keyword = bh_arena_strndup(df->a, ll->p + start, e - start);
    if (!in->keyword)
        return nomem(df, in->loc.line);
    if (in->kind == BH_I_UNKNOWN) {
        const char *s = suggest(ll->p + start, e - start);

        if (s)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "unknown instruction '%s' (did you mean '%s'?)",
                        quote(df, ll->p + start, e - start), s);
        return fail(df, BH_EPARSE, in->loc.line, in->loc.col, "unknown instruction '%s'",
                    quote(df, ll->p + start, e - start));
    }
    kw = bh_instr_kind_name(in->kind);
    if (trigger)
        env = ENV_NONE;
    else if (in->kind == BH_I_FROM || df->cur < 0)
        env = ENV_GLOBAL;
    else
        env = ENV_STAGE;
    if (!trigger && df->cur >= 0)
        posix = df->scopes[df->cur].posix_shell;

    off = e;
    rc = parse_flags(df, in, ll, &off, env);
    if (rc)
        return rc;
    off = skip_ws(ll->p, off, ll->len);
    in->raw = bh_arena_strndup(df->a, ll->p + off, ll->len - off);
    if (!in->raw)
        return nomem(df, in->loc.line);
    in->args = in->raw;

    /* heredocs are only recognised where BuildKit looks for them */
    if ((in->kind == BH_I_RUN || in->kind == BH_I_COPY || in->kind == BH_I_ADD) &&
        memmem(ll->p + off, ll->len - off, "<<", 2)) {
        if (split_words(df, ll->p, off, ll->len, true, '\\', &t, &nt))
            return nomem(df, in->loc.line);
        nwords = nt;
        for (k = 0; k < nt; k++) {
            struct hdword h;

            if (!heredoc_word(df, ll->p + t[k].off, t[k].len, &h))
                continue;
            if (nhd >= BH_MAX_HEREDOCS) {
                pos_of(ll, t[k].off, &line, &col);
                return fail(df, BH_ELIMIT, line, col,
                            "more than %u heredocs in one instruction (BH_MAX_HEREDOCS)",
                            BH_MAX_HEREDOCS);
            }
            h.off = t[k].off;
            {
                struct hdword *slot = BH_PUSH(df->a, hd, nhd, hdcap);

                if (!slot)
                    return nomem(df, in->loc.line);
                *slot = h;
            }
        }
    }

    switch (in->kind) {
    case BH_I_FROM: {
        const char *base, *name = NULL;
        bool unres = false;

        if (split_words(df, ll->p, off, ll->len, false, df->esc, &t, &nt))
            return nomem(df, in->loc.line);
        if (!(nt == 1 || (nt == 3 && bh_str_ieqn(ll->p + t[1].off, t[1].len, "as"))))
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'FROM' requires either one or three arguments ('FROM image [AS name]')");
        rc = set_argv_words(df, in, ll, t, nt, env);
        if (rc)
            return rc;
        pos_of(ll, t[0].off, &line, &col);
        rc = expand(df, env, ll->p + t[0].off, t[0].len, X_WORD, line, col, &base, &unres);
        if (rc)
            return rc;
        if (!unres && !base[0])
            return fail(df, BH_EPARSE, line, col, "base name ('%s') should not be blank",
                        quote(df, ll->p + t[0].off, t[0].len));
        if (nt == 3) {
            char *nm = bh_arena_strndup(df->a, ll->p + t[2].off, t[2].len);
            size_t c;

            if (!nm)
                return nomem(df, line);
            for (c = 0; nm[c]; c++)
                if (nm[c] >= 'A' && nm[c] <= 'Z')
                    nm[c] = (char)(nm[c] - 'A' + 'a');
            for (c = 0; nm[c]; c++)
                if (!((nm[c] >= 'a' && nm[c] <= 'z') ||
                      (c && (is_digit(nm[c]) || strchr("-_.", nm[c])))))
                    break;
            if (nm[c] || !nm[0]) {
                pos_of(ll, t[2].off, &line, &col);
                return fail(df, BH_EPARSE, line, col,
                            "invalid name for build stage: '%s', name can't start with a number "
                            "or contain symbols",
                            quote(df, ll->p + t[2].off, t[2].len));
            }
            name = nm;
        }
        df->from_base = unres ? NULL : base;
        df->from_name = name;
        if (!trigger) {
            rc = expand(df, env, ll->p + off, ll->len - off, X_KEEP, in->loc.line, in->loc.col,
                        &in->args, NULL);
            if (rc)
                return rc;
        }
        break;
    }
    case BH_I_RUN:
    case BH_I_CMD:
    case BH_I_ENTRYPOINT:
        if (nhd) {
            rc = read_heredocs(df, in, ll, hd, nhd, false);
            if (rc)
                return rc;
        }
        rc = parse_command(df, in, ll, off, posix, nhd, nwords);
        if (rc)
            return rc;
        break;
    case BH_I_SHELL: {
        size_t *offs;

        rc = json_form(df, ll->p + off, ll->len - off, &in->argv, &offs, &in->argc);
        rc = json_error(df, in, ll, off, rc);
        if (rc < 0)
            return rc;
        if (rc != 1)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'SHELL' requires the arguments to be in json form, e.g. "
                        "[\"/bin/sh\", \"-c\"]");
        if (!in->argc)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'SHELL' requires at least one argument");
        in->json_form = true;
        break;
    }
    case BH_I_COPY:
    case BH_I_ADD:
    case BH_I_VOLUME: {
        size_t *offs;
        const char **jv;
        size_t jn;

        rc = json_form(df, ll->p + off, ll->len - off, &jv, &offs, &jn);
        rc = json_error(df, in, ll, off, rc);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            in->json_form = true;
            in->argv = bh_arena_calloc(df->a, jn ? jn : 1, sizeof(*in->argv));
            if (!in->argv)
                return nomem(df, in->loc.line);
            for (k = 0; k < jn; k++) {
                pos_of(ll, off + offs[k], &line, &col);
                rc = expand(df, trigger ? ENV_NONE : env, jv[k], strlen(jv[k]), X_KEEP, line, col,
                            &in->argv[k], NULL);
                if (rc)
                    return rc;
            }
            in->argc = jn;
        } else {
            /* invalid JSON (or a non-string element) is taken as plain words, as BuildKit does */
            if (split_words(df, ll->p, off, ll->len, false, df->esc, &t, &nt))
                return nomem(df, in->loc.line);
            rc = set_argv_words(df, in, ll, t, nt, env);
            if (rc)
                return rc;
        }
        if (in->kind == BH_I_VOLUME) {
            if (!in->argc)
                return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                            "'VOLUME' requires at least one argument");
            for (k = 0; k < in->argc; k++)
                if (!in->argv[k][strspn(in->argv[k], " \t")])
                    return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                                "'VOLUME' specified can not be an empty string");
        } else {
            if (in->argc < 2)
                return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                            "'%s' requires at least two arguments (sources and a destination)", kw);
            for (k = 0; k < nhd; k++)
                if (!in->json_form && nt && hd[k].off == t[nt - 1].off)
                    return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                                "'%s' cannot accept a heredoc as a destination", kw);
            if (nhd) {
                rc = read_heredocs(df, in, ll, hd, nhd, true);
                if (rc)
                    return rc;
            }
        }
        if (!trigger) {
            rc = expand(df, env, ll->p + off, ll->len - off, X_KEEP, in->loc.line, in->loc.col,
                        &in->args, NULL);
            if (rc)
                return rc;
        }
        break;
    }
    case BH_I_ENV:
    case BH_I_LABEL:
    case BH_I_ARG:
        rc = in->kind == BH_I_ARG ? parse_arg(df, in, ll, off, env)
                                  : parse_name_val(df, in, ll, off, env, kw);
        if (rc)
            return rc;
        if (!trigger) {
            rc = expand(df, env, ll->p + off, ll->len - off, X_KEEP, in->loc.line, in->loc.col,
                        &in->args, NULL);
            if (rc)
                return rc;
        }
        break;
    case BH_I_EXPOSE:
        if (split_words(df, ll->p, off, ll->len, false, df->esc, &t, &nt))
            return nomem(df, in->loc.line);
        if (!nt)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'EXPOSE' requires at least one argument");
        rc = set_argv_words(df, in, ll, t, nt, env);
        if (!rc && !trigger)
            rc = expand(df, env, ll->p + off, ll->len - off, X_KEEP, in->loc.line, in->loc.col,
                        &in->args, NULL);
        if (rc)
            return rc;
        break;
    case BH_I_USER:
    case BH_I_WORKDIR:
    case BH_I_STOPSIGNAL:
    case BH_I_MAINTAINER: {
        struct tok whole;

        if (off >= ll->len)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'%s' requires exactly one argument", kw);
        /* BuildKit takes the rest of the line as one argument */
        whole.off = off;
        whole.len = ll->len - off;
        rc = set_argv_words(df, in, ll, &whole, 1, in->kind == BH_I_MAINTAINER ? ENV_NONE : env);
        if (!rc && !trigger && in->kind != BH_I_MAINTAINER)
            rc = expand(df, env, ll->p + off, ll->len - off, X_KEEP, in->loc.line, in->loc.col,
                        &in->args, NULL);
        if (rc)
            return rc;
        break;
    }
    case BH_I_HEALTHCHECK: {
        size_t te = off, rest;

        if (off >= ll->len)
            return fail(df, BH_EPARSE, in->loc.line, in->loc.col,
                        "'HEALTHCHECK' requires at least one argument");
        while (te < ll->len && !is_ws(ll->p[te]))
            te++;
        rest = skip_ws(ll->p, te, ll->len);
        pos_of(ll, off, &line, &col);
        if (bh_str_ieqn(ll->p + off, te - off, "none")) {
            if (rest < ll->len)
                return fail(df, BH_EPARSE, line, col, "'HEALTHCHECK NONE' takes no arguments");
            in->healthcheck_none = true;
        } else if (bh_str_ieqn(ll->p + off, te - off, "cmd")) {
            if (rest >= ll->len)
                return fail(df, BH_EPARSE, line, col, "missing command after 'HEALTHCHECK CMD'");
            rc = parse_command(df, in, ll, rest, posix, 0, 0);
            if (rc)
                return rc;
            if (in->json_form ? in->argc == 0 : !in->script.text)
                return fail(df, BH_EPARSE, line, col, "missing command after 'HEALTHCHECK CMD'");
        } else {
            return fail(df, BH_EPARSE, line, col, "unknown type '%s' in healthcheck (try cmd)",
                        quote(df, ll->p + off, te - off));
        }
        break;
    }
    case BH_I_ONBUILD:
        rc = parse_onbuild(df, in, ll, off);
        if (rc)
            return rc;
        break;
    default:
        break;
    }
    in->loc.end_line = df->lineno;
    return 0;
}

/* ---- stages and scopes ---- */

static int apply_from(struct df *df, struct bh_instr *in, size_t idx)
{
    struct bh_buildspec *bs = df->bs;
    struct bh_stage *st;
    struct scope *sc;
    size_t k;
    int parent = -1;

    if (bs->nstages >= BH_MAX_STAGES)
        return fail(df, BH_ELIMIT, in->loc.line, in->loc.col, "more than %u stages (BH_MAX_STAGES)",
                    BH_MAX_STAGES);
    if (df->from_name)
        for (k = 0; k < bs->nstages; k++)
            if (bs->stages[k].name && !strcmp(bs->stages[k].name, df->from_name))
                return fail(df, BH_EPARSE, in->loc.line, in->loc.col, "duplicate stage name '%s'",
                            df->from_name);
    if (df->from_base) {
        long long v;
        size_t bl = strlen(df->from_base);

        for (k = 0; k < bs->nstages && parent < 0; k++)
            if (bs->stages[k].name && bh_str_ieq(bs->stages[k].name, df->from_base))
                parent = (int)k;
        if (parent < 0 && bl && strspn(df->from_base, "0123456789") == bl &&
            bh_parse_int(df->from_base, bl, 0, INT_MAX, &v) == 0 && (size_t)v < bs->nstages)
            parent = (int)v;
    }
    st = BH_PUSH(df->a, bs->stages, bs->nstages, bs->stages_cap);
    sc = BH_PUSH(df->a, df->scopes, df->nscopes, df->scopes_cap);
    if (!st || !sc)
        return nomem(df, in->loc.line);
    st->index = (int)(bs->nstages - 1);
    st->name = df->from_name;
    st->base_raw = bh_arena_strndup(df->a, in->raw, strcspn(in->raw, " \t\v\f\r"));
    if (!st->base_raw)
        return nomem(df, in->loc.line);
    st->base = df->from_base;
    st->base_stage = parent;
    for (k = 0; k < in->nflags; k++)
        if (!strcmp(in->flags[k].name, "platform"))
            st->platform = in->flags[k].value;
    st->loc = in->loc;
    st->first_instr = idx;
    sc->parent = parent;
    sc->posix_shell = parent >= 0 ? df->scopes[parent].posix_shell : true;
    df->cur = st->index;
    in->stage = st->index;
    return 0;
}

static int apply_scope(struct df *df, struct bh_instr *in)
{
    size_t k;
    int rc;

    switch (in->kind) {
    case BH_I_ARG:
        for (k = 0; k < in->nkvs; k++) {
            const struct bh_kv *kv = &in->kvs[k];
            const struct var *ba = vars_get(&df->build_args, kv->key, strlen(kv->key));
            const struct var *g;
            const char *val = NULL;
            bool known = false;

            if (ba) {
                val = ba->value;
                known = ba->known;
            } else if (kv->value) {
                val = kv->value;
                known = df->kv_known[k];
            } else if (df->cur >= 0 && (g = vars_get(&df->global, kv->key, strlen(kv->key)))) {
                /* `ARG NAME` in a stage brings the global ARG into scope */
                val = g->value;
                known = g->known;
            }
            rc = vars_set(df, df->cur < 0 ? &df->global : &df->scopes[df->cur].args, kv->key, val,
                          known);
            if (rc)
                return nomem(df, in->loc.line);
        }
        break;
    case BH_I_ENV:
        for (k = 0; k < in->nkvs; k++)
            if (vars_set(df, &df->scopes[df->cur].env, in->kvs[k].key, in->kvs[k].value,
                         df->kv_known[k]))
                return nomem(df, in->loc.line);
        break;
    case BH_I_USER: {
        struct bh_stage *st = &df->bs->stages[df->cur];

        st->user = in->argv[0];
        st->user_loc = in->loc;
        break;
    }
    case BH_I_SHELL:
        df->scopes[df->cur].posix_shell = posix_shell_name(in->argv[0]);
        break;
    default:
        break;
    }
    return 0;
}

/* ---- directives ---- */

/* `# key = value` at the top of the file; false when the line is not one. */
static bool directive(const char *p, size_t n, const char **key, size_t *kl, const char **val,
                      size_t *vl)
{
    size_t i = skip_ws(p, 0, n), ks;

    if (i >= n || p[i] != '#')
        return false;
    i = skip_ws(p, i + 1, n);
    ks = i;
    if (i >= n || !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
        return false;
    while (i < n &&
           ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || is_digit(p[i])))
        i++;
    *key = p + ks;
    *kl = i - ks;
    i = skip_ws(p, i, n);
    if (i >= n || p[i] != '=')
        return false;
    i = skip_ws(p, i + 1, n);
    while (n > i && is_ws(p[n - 1]))
        n--;
    if (i >= n)
        return false;
    *val = p + i;
    *vl = n - i;
    return true;
}

static int read_directives(struct df *df)
{
    struct df scan = *df; /* a second cursor: directives only look ahead */
    struct pline l;
    bool seen_escape = false, seen_syntax = false, seen_check = false;

    while (next_line(&scan, &l)) {
        const char *key, *val;
        size_t kl, vl;
        bool *seen;

        if (!directive(l.p, l.len, &key, &kl, &val, &vl))
            break;
        if (bh_str_ieqn(key, kl, "escape"))
            seen = &seen_escape;
        else if (bh_str_ieqn(key, kl, "syntax"))
            seen = &seen_syntax;
        else if (bh_str_ieqn(key, kl, "check"))
            seen = &seen_check;
        else
            break; /* an unknown directive is a comment and ends the directives */
        if (*seen)
            return fail(df, BH_EPARSE, scan.lineno, 1, "only one '%s' parser directive can be used",
                        quote(df, key, kl));
        *seen = true;
        if (seen == &seen_escape) {
            if (vl != 1 || (val[0] != '\\' && val[0] != '`'))
                return fail(df, BH_EPARSE, scan.lineno, (int)(val - l.p) + 1,
                            "invalid escape token '%s' does not match ` or \\", quote(df, val, vl));
            df->esc = val[0];
        } else if (seen == &seen_syntax) {
            df->bs->syntax = bh_arena_strndup(df->a, val, vl);
            if (!df->bs->syntax)
                return nomem(df, scan.lineno);
        }
    }
    df->bs->escape = df->esc;
    return 0;
}

/* ---- the file ---- */

static int load_build_args(struct df *df, const struct bh_dockerfile_opts *opts)
{
    size_t k;

    if (!opts)
        return 0;
    for (k = 0; k < opts->nbuild_args && opts->build_args; k++) {
        const char *a = opts->build_args[k], *eq;
        const char *name, *val = NULL;

        if (!a)
            continue;
        eq = strchr(a, '=');
        name = bh_arena_strndup(df->a, a, eq ? (size_t)(eq - a) : strlen(a));
        if (eq)
            val = bh_arena_strdup(df->a, eq + 1);
        if (!name || (eq && !val) || vars_set(df, &df->build_args, name, val, val != NULL))
            return nomem(df, 0);
    }
    return 0;
}

static int parse_file(struct df *df)
{
    struct bh_buildspec *bs = df->bs;
    struct pline l;
    int rc;

    while (next_line(df, &l)) {
        struct lline ll;
        struct bh_instr in, *slot;
        size_t s = skip_ws(l.p, 0, l.len), n = l.len, k;
        int first = df->lineno;
        bool cont;

        if (s >= l.len)
            continue;
        if (l.p[s] == '#') {
            rc = ignore_comment(df, df->lineno, l.p + s, l.len - s, 0);
            if (rc)
                return rc;
            continue;
        }
        for (k = df->pending_ignores; k < bs->nignores; k++)
            if (!bs->ignores[k].applies_line)
                bs->ignores[k].applies_line = first;
        df->pending_ignores = bs->nignores;

        memset(&ll, 0, sizeof(ll));
        cont = trim_cont(l.p, &n, df->esc);
        rc = ll_add(df, &ll, l.p + s, n > s ? n - s : 0, first, (int)s + 1);
        if (rc)
            return rc;
        while (cont && next_line(df, &l)) {
            size_t f = skip_ws(l.p, 0, l.len);

            if (f < l.len && l.p[f] == '#') {
                /* BuildKit drops comment lines inside a continuation */
                rc = ignore_comment(df, df->lineno, l.p + f, l.len - f, first);
                if (rc)
                    return rc;
                continue;
            }
            if (f >= l.len)
                continue;
            n = l.len;
            cont = trim_cont(l.p, &n, df->esc);
            rc = ll_add(df, &ll, l.p, n, df->lineno, 1);
            if (rc)
                return rc;
        }
        while (ll.len && is_ws(ll.p[ll.len - 1]))
            ll.len--;
        ll.p[ll.len] = '\0';
        if (!ll.len)
            continue; /* a lone escape char: nothing */
        if (bs->ninstrs >= BH_MAX_INSTRUCTIONS)
            return fail(df, BH_ELIMIT, first, (int)s + 1,
                        "more than %u instructions (BH_MAX_INSTRUCTIONS)", BH_MAX_INSTRUCTIONS);

        rc = parse_instr(df, &ll, 0, false, &in);
        if (rc)
            return rc;
        in.loc.end_line = df->lineno;
        {
            /* end_col: just past the last byte of the last physical line read */
            const char *e = df->text + df->pos;

            if (df->pos && e[-1] == '\n')
                e--;
            while (e > df->text && e[-1] == '\r')
                e--;
            {
                const char *b = e;

                while (b > df->text && b[-1] != '\n')
                    b--;
                in.loc.end_col = (int)(e - b) + 1;
            }
        }
        if (in.onbuild)
            in.onbuild->loc.end_line = in.loc.end_line;
        if (df->cur < 0 && in.kind != BH_I_ARG && in.kind != BH_I_FROM)
            return fail(df, BH_EPARSE, in.loc.line, in.loc.col,
                        "'%s' before the first 'FROM' (only 'ARG' may come first)",
                        bh_instr_kind_name(in.kind));
        if (in.kind == BH_I_FROM) {
            rc = apply_from(df, &in, bs->ninstrs);
            if (rc)
                return rc;
        }
        rc = apply_scope(df, &in);
        if (rc)
            return rc;
        if (in.kind == BH_I_ARG && df->cur < 0) {
            for (k = 0; k < in.nkvs; k++) {
                struct bh_kv *g =
                    BH_PUSH(df->a, bs->global_args, bs->nglobal_args, bs->global_args_cap);

                if (!g)
                    return nomem(df, first);
                *g = in.kvs[k];
            }
        }
        slot = BH_PUSH(df->a, bs->instrs, bs->ninstrs, bs->instrs_cap);
        if (!slot)
            return nomem(df, first);
        *slot = in;
        df->pending_ignores = bs->nignores;
    }
    return 0;
}

static int finish(struct df *df, const struct bh_dockerfile_opts *opts)
{
    struct bh_buildspec *bs = df->bs;
    size_t k;

    for (k = df->pending_ignores; k < bs->nignores; k++)
        if (!bs->ignores[k].applies_line)
            bs->ignores[k].applies_line = bs->ignores[k].line;
    if (!bs->ninstrs)
        return fail(df, BH_EPARSE, df->lineno ? df->lineno : 1, 0, "file with no instructions");
    for (k = 0; k < bs->nstages; k++) {
        size_t end = k + 1 < bs->nstages ? bs->stages[k + 1].first_instr : bs->ninstrs;

        bs->stages[k].ninstrs = end - bs->stages[k].first_instr;
    }
    bs->final_stage = bs->nstages ? (int)bs->nstages - 1 : -1;
    if (opts && opts->target) {
        for (k = 0; k < bs->nstages; k++)
            if (bs->stages[k].name && bh_str_ieq(bs->stages[k].name, opts->target))
                break;
        if (k == bs->nstages)
            return bh_err_set(df->err, BH_EUSAGE, df->file, 0, 0,
                              "target stage '%s' could not be found",
                              quote(df, opts->target, strlen(opts->target)));
        bs->final_stage = (int)k;
    }
    return 0;
}

int bh_dockerfile_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                        const struct bh_dockerfile_opts *opts, struct bh_buildspec *out,
                        struct bh_err *err)
{
    struct df df;
    struct bh_err local;
    const char *nul;
    int rc;

    if (!err) {
        bh_err_init(&local);
        err = &local;
    }
    memset(out, 0, sizeof(*out));
    memset(&df, 0, sizeof(df));
    out->origin = BH_BS_DOCKERFILE;
    out->escape = '\\';
    out->final_stage = -1;
    df.a = a;
    df.file = file ? file : "";
    df.err = err;
    df.bs = out;
    df.esc = '\\';
    df.cur = -1;
    out->file = bh_arena_strdup(a, df.file);
    if (!out->file)
        return nomem(&df, 0);
    if (!text)
        len = 0;
    nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        const char *b = nul;
        int line = 1;

        while (b > text && b[-1] != '\n')
            b--;
        for (const char *c = text; c < b; c++)
            line += *c == '\n';
        return fail(&df, BH_EPARSE, line, (int)(nul - b) + 1, "NUL byte in Dockerfile");
    }
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
        text += 3;
        len -= 3;
    }
    df.text = text;
    df.len = len;
    rc = read_directives(&df);
    if (!rc)
        rc = load_build_args(&df, opts);
    if (!rc)
        rc = parse_file(&df);
    if (!rc)
        rc = finish(&df, opts);
    if (!rc && a->failed)
        rc = nomem(&df, df.lineno); /* a failure some path could not report must not pass */
    if (rc) {
        const char *f = out->file;

        memset(out, 0, sizeof(*out));
        out->file = f;
        out->final_stage = -1;
        return rc;
    }
    return 0;
}

/* ---- detection ---- */

static bool name_is_dockerfile(const char *name)
{
    static const char *const exact[] = {"Dockerfile", "Containerfile"};
    static const char *const suffixes[] = {".Dockerfile", ".dockerfile", ".Containerfile"};
    size_t i;

    if (bh_str_suffix(name, ".dockerignore"))
        return false;
    for (i = 0; i < 2; i++) {
        size_t l = strlen(exact[i]);

        if (!strncmp(name, exact[i], l) && (name[l] == '\0' || name[l] == '.'))
            return true;
    }
    for (i = 0; i < 3; i++)
        if (bh_str_suffix(name, suffixes[i]) && strlen(name) > strlen(suffixes[i]))
            return true;
    return false;
}

/* Does the line at p start with `word` (any case) and then a blank? */
static bool starts_kw(const char *p, size_t n, const char *word)
{
    size_t l = strlen(word);

    return n > l && bh_str_ieqn(p, l, word) && (p[l] == ' ' || p[l] == '\t');
}

int bh_dockerfile_bid(const char *name, const char *head, size_t len)
{
    size_t pos = 0;
    bool first = true, first_ok = false, has_from = false;

    if (name && name_is_dockerfile(name))
        return 100;
    if (!head)
        return 0;
    if (len >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
        pos = 3;
    while (pos < len && !has_from) {
        const char *l = head + pos, *nl = memchr(l, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - l) : len - pos, s = skip_ws(l, 0, n);

        pos += n + (nl ? 1 : 0);
        if (s >= n || l[s] == '#')
            continue;
        if (first) {
            first = false;
            first_ok = starts_kw(l + s, n - s, "from") || starts_kw(l + s, n - s, "arg");
            if (!first_ok)
                return 0;
        }
        has_from = starts_kw(l + s, n - s, "from");
    }
    return first_ok && has_from ? 60 : 0;
}
