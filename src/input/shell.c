/*
 * shell.c - the one shell tokenizer (RULES.md N9). It reads text the way a
 * POSIX shell would split it: words (quotes, escapes, continuations), simple
 * commands (operators, compound commands flattened), wrappers unwrapped
 * (`sh -c`, `su -c`, `env`, `sudo`, shell heredocs) and the image-history
 * prefixes. It expands nothing, runs nothing and judges nothing.
 *
 * redirect_stdin holds: the file of `< file`, the word of `<<< word`, the body
 * of a heredoc, or a whole `<(...)` process substitution as written.
 */
#include "input/shell.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/*
 * A text being tokenized. The root text knows its file position. The text of
 * an unwrapped `sh -c` argument maps each of its bytes to an offset in its
 * parent (map), and a heredoc body is a slice of its parent (base), so words
 * found inside still get their real line and column.
 */
struct sh_ctx {
    const char *text;
    size_t len;
    const struct sh_ctx *parent; /* NULL for the root */
    const size_t *map;           /* len + 1 offsets into parent->text, or NULL */
    size_t base;                 /* without map: text[0] is parent->text[base] */
    int first_line, first_col;   /* root only */
    const size_t *nl;            /* root only: offsets of the newlines */
    size_t nnl;
};

struct sh_parser {
    struct bh_arena *a;
    struct bh_err *err;
    struct bh_script *out;
    size_t cmds_cap;
    size_t nwords;      /* words made so far, over every level */
    struct bh_buf word; /* the word being read */
    struct bh_buf map;  /* its source offsets (size_t each) while want_map */
    bool want_map;
    bool unterminated; /* a quote or `$(` ran into the end of the text */
};

enum sh_tokkind { TK_EOF, TK_WORD, TK_OP, TK_REDIR, TK_PROCSUB };

struct sh_tok {
    enum sh_tokkind kind;
    size_t off;       /* offset of the first byte in the context text */
    const char *op;   /* TK_OP: "&&" "||" ";" ";;" "|" "&" "\n" "(" ")"; TK_REDIR: "<", ">>", ... */
    int fd;           /* TK_REDIR: the descriptor written before the operator, or -1 */
    const char *text; /* TK_WORD; TK_PROCSUB; TK_REDIR target (NULL when missing) */
    bool quoted;
    bool assign; /* TK_WORD: starts with an unquoted NAME= */
};

enum { CASE_NONE, CASE_SUBJ, CASE_IN, CASE_PAT, CASE_BODY };

/* A heredoc whose body is still to be read; idx is its command once that has been emitted. */
struct sh_heredoc {
    const char *delim;
    bool strip; /* <<- */
    bool bound; /* the owning command is finished: idx is valid (SIZE_MAX: it had no words) */
    size_t idx;
};

/* One script being split: its cursor, the command being collected, the state between them. */
struct sh_level {
    const struct sh_ctx *c;
    size_t i;
    int depth;
    struct bh_word *argv, *assigns;
    size_t argc, argv_cap, nassigns, assigns_cap;
    size_t *offs; /* offset of each argv word in c->text, for re-reading a `sh -c` argument */
    size_t noffs, offs_cap;
    const char *redir_in;
    bool has_body; /* redir_in is a heredoc body at body_off in c->text */
    size_t body_off, body_len;
    size_t cmd_off;
    bool started;
    const char *pending_sep;
    bool emitted_any, have_last, after_close;
    size_t last_idx, last_chain;
    size_t paren, case_depth;
    int case_mode;
    bool for_header, fn_close;
    int skip_words;
    struct sh_heredoc *hds; /* `<<DELIM` seen on this line: bodies start after its newline */
    size_t nhds, hds_cap;
};

static int sh_parse_level(struct sh_parser *P, const struct sh_ctx *c, size_t start, int depth);
static int sh_heredoc_bodies(struct sh_parser *P, struct sh_level *L);

/* ---- positions and errors ---------------------------------------------- */

static void sh_pos(const struct sh_ctx *c, size_t off, int *line, int *col)
{
    size_t lo, hi;

    while (c->parent) {
        if (off > c->len)
            off = c->len;
        off = c->map ? c->map[off] : c->base + off;
        c = c->parent;
    }
    if (c->first_line <= 0) {
        *line = 0;
        *col = 0;
        return;
    }
    lo = 0;
    hi = c->nnl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (c->nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > (size_t)(INT_MAX - c->first_line))
        lo = (size_t)(INT_MAX - c->first_line);
    *line = c->first_line + (int)lo;
    off = lo == 0 ? off + (size_t)(c->first_col > 0 ? c->first_col : 1) : off - c->nl[lo - 1];
    *col = off > INT_MAX ? INT_MAX : (int)off;
}

static int sh_nomem(struct sh_parser *P)
{
    return bh_err_set(P->err, BH_ENOMEM, NULL, 0, 0, "out of memory while splitting shell text");
}

static int sh_limit(struct sh_parser *P, const struct sh_ctx *c, size_t off, const char *what,
                    const char *name, unsigned long max)
{
    int line, col;

    sh_pos(c, off, &line, &col);
    return bh_err_set(P->err, BH_ELIMIT, NULL, line, col, "shell text has more %s than %s (%lu)",
                      what, name, max);
}

/* ---- characters ---------------------------------------------------------- */

static bool sh_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static bool sh_meta(char ch)
{
    return ch == ';' || ch == '&' || ch == '|' || ch == '(' || ch == ')' || ch == '<' || ch == '>';
}

static bool sh_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool sh_name_char(char ch, bool first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
           (!first && sh_digit(ch));
}

/* Skip blanks and backslash-newline continuations (not newlines). */
static size_t sh_skip_blanks(const struct sh_ctx *c, size_t i)
{
    const char *t = c->text;

    while (i < c->len) {
        if (sh_blank(t[i]))
            i++;
        else if (t[i] == '\\' && i + 1 < c->len && t[i + 1] == '\n')
            i += 2;
        else if (t[i] == '\\' && i + 2 < c->len && t[i + 1] == '\r' && t[i + 2] == '\n')
            i += 3;
        else
            break;
    }
    return i;
}

/* ---- words --------------------------------------------------------------- */

static void sh_put(struct sh_parser *P, char ch, size_t src)
{
    bh_buf_putc(&P->word, ch);
    if (P->want_map)
        bh_buf_append(&P->map, (const char *)&src, sizeof(src));
}

/*
 * Copy a `$(...)`, `${...}`, backquoted, `((...))` or `<(...)` span as
 * written: `open` opener bytes at *ip, then up to the balanced `closer`.
 * Quotes and nested substitutions inside are followed only to find the end.
 */
static int sh_copy_nested(struct sh_parser *P, const struct sh_ctx *c, size_t *ip, size_t open,
                          char closer)
{
    char stack[BH_MAX_SHELL_QUOTE_DEPTH];
    const char *t = c->text;
    size_t n = c->len, i = *ip, top = 0, k;

    for (k = 0; k < open && i < n; k++, i++)
        sh_put(P, t[i], i);
    stack[top++] = closer;
    while (top > 0) {
        char ch, want, push = 0;
        size_t take = 1;

        if (i >= n) {
            P->unterminated = true;
            break;
        }
        ch = t[i];
        want = stack[top - 1];
        if (ch == '\\') {
            take = i + 1 < n ? 2 : 1;
        } else if (ch == want) {
            top--;
        } else if (want == '`') {
            /* plain byte */
        } else if (want == '"') {
            if (ch == '`')
                push = '`';
            else if (ch == '$' && i + 1 < n && (t[i + 1] == '(' || t[i + 1] == '{'))
                push = t[i + 1] == '(' ? ')' : '}', take = 2;
        } else if (ch == '\'') {
            size_t j = i + 1;

            while (j < n && t[j] != '\'')
                j++;
            if (j >= n) {
                for (; i < n; i++)
                    sh_put(P, t[i], i);
                P->unterminated = true;
                break;
            }
            take = j + 1 - i;
        } else if (ch == '"' || ch == '`') {
            push = ch;
        } else if (ch == '$' && i + 1 < n && (t[i + 1] == '(' || t[i + 1] == '{')) {
            push = t[i + 1] == '(' ? ')' : '}';
            take = 2;
        } else if (ch == '(' && want == ')') {
            push = ')';
        }
        if (push) {
            if (top == BH_MAX_SHELL_QUOTE_DEPTH) {
                *ip = i;
                return sh_limit(P, c, i, "nested quotes and substitutions",
                                "BH_MAX_SHELL_QUOTE_DEPTH", BH_MAX_SHELL_QUOTE_DEPTH);
            }
            stack[top++] = push;
        }
        for (k = 0; k < take; k++, i++)
            sh_put(P, t[i], i);
    }
    *ip = i;
    return 0;
}

/*
 * Read one word at *ip into P->word: quotes removed, escapes applied,
 * substitutions kept as written. words_only: only blanks and newlines end it.
 */
static int sh_lex_word(struct sh_parser *P, const struct sh_ctx *c, size_t *ip, bool words_only,
                       bool *quoted, bool *assign)
{
    const char *t = c->text;
    size_t n = c->len, i = *ip, start = *ip;
    int ast = 0; /* NAME= prefix: 0 still reading, 1 yes, 2 no */
    bool q = false;
    int rc;

    bh_buf_reset(&P->word);
    bh_buf_reset(&P->map);
    while (i < n) {
        char ch = t[i];

        if (ch == '(' && ast == 1 && !words_only && P->word.len > 0 &&
            P->word.ptr[P->word.len - 1] == '=') {
            rc = sh_copy_nested(P, c, &i, 1, ')'); /* bash array: A=(x y) */
            if (rc)
                return rc;
            continue;
        }
        if (sh_blank(ch) || ch == '\n' || (!words_only && sh_meta(ch)))
            break;
        if (ch == '\\') {
            if (i + 1 < n && t[i + 1] == '\n') {
                i += 2;
                continue;
            }
            if (i + 2 < n && t[i + 1] == '\r' && t[i + 2] == '\n') {
                i += 3;
                continue;
            }
            if (ast == 0)
                ast = 2;
            if (i + 1 >= n) {
                sh_put(P, ch, i++);
                continue;
            }
            q = true;
            sh_put(P, t[i + 1], i + 1);
            i += 2;
            continue;
        }
        if (ch == '\'' || (ch == '$' && i + 1 < n && t[i + 1] == '\'')) {
            /* '...' is literal; bash's $'...' is kept undecoded, only its quotes go */
            bool ansi = ch == '$';

            q = true;
            if (ast == 0)
                ast = 2;
            i += ansi ? 2 : 1;
            while (i < n && t[i] != '\'') {
                if (ansi && t[i] == '\\' && i + 1 < n)
                    sh_put(P, t[i], i), i++;
                sh_put(P, t[i], i);
                i++;
            }
            if (i >= n) {
                P->unterminated = true;
                break;
            }
            i++;
            continue;
        }
        if (ch == '$' && i + 1 < n && t[i + 1] == '"') {
            i++; /* $"..." is a double-quoted string */
            continue;
        }
        if (ch == '"') {
            q = true;
            if (ast == 0)
                ast = 2;
            i++;
            for (;;) {
                if (i >= n) {
                    P->unterminated = true;
                    break;
                }
                ch = t[i];
                if (ch == '"') {
                    i++;
                    break;
                }
                if (ch == '\\' && i + 1 < n) {
                    char nx = t[i + 1];

                    if (nx == '\n') {
                        i += 2;
                    } else if (nx == '$' || nx == '`' || nx == '"' || nx == '\\') {
                        sh_put(P, nx, i + 1);
                        i += 2;
                    } else {
                        sh_put(P, ch, i++);
                    }
                    continue;
                }
                if (ch == '`' || (ch == '$' && i + 1 < n && (t[i + 1] == '(' || t[i + 1] == '{'))) {
                    rc = ch == '`' ? sh_copy_nested(P, c, &i, 1, '`')
                                   : sh_copy_nested(P, c, &i, 2, t[i + 1] == '(' ? ')' : '}');
                    if (rc)
                        return rc;
                    continue;
                }
                sh_put(P, ch, i++);
            }
            continue;
        }
        if (ch == '`' || (ch == '$' && i + 1 < n && (t[i + 1] == '(' || t[i + 1] == '{'))) {
            if (ast == 0)
                ast = 2;
            rc = ch == '`' ? sh_copy_nested(P, c, &i, 1, '`')
                           : sh_copy_nested(P, c, &i, 2, t[i + 1] == '(' ? ')' : '}');
            if (rc)
                return rc;
            continue;
        }
        if (ast == 0) {
            if (ch == '=' && P->word.len > 0)
                ast = 1;
            else if (!sh_name_char(ch, P->word.len == 0))
                ast = 2;
        }
        sh_put(P, ch, i++);
    }
    if (i == start && i < n)
        sh_put(P, t[i], i), i++; /* never stall on a byte the callers did not expect */
    if (P->want_map)
        bh_buf_append(&P->map, (const char *)&i, sizeof(i));
    *ip = i;
    *quoted = q;
    *assign = ast == 1;
    if (P->word.failed || P->map.failed)
        return sh_nomem(P);
    return 0;
}

/* The word in P->word, copied to the arena. */
static const char *sh_word_text(struct sh_parser *P)
{
    return bh_arena_strndup(P->a, bh_buf_str(&P->word), P->word.len);
}

static int sh_push_word(struct sh_parser *P, const struct sh_ctx *c, struct bh_word **arr,
                        size_t *n, size_t *cap, const char *text, size_t off, bool quoted)
{
    struct bh_word *w;

    if (P->nwords >= BH_MAX_SHELL_WORDS)
        return sh_limit(P, c, off, "words", "BH_MAX_SHELL_WORDS", BH_MAX_SHELL_WORDS);
    w = BH_PUSH(P->a, *arr, *n, *cap);
    if (!w)
        return sh_nomem(P);
    P->nwords++;
    w->text = text;
    w->quoted = quoted;
    sh_pos(c, off, &w->line, &w->col);
    return 0;
}

/* ---- tokens -------------------------------------------------------------- */

static int sh_redir_target(struct sh_parser *P, struct sh_level *L, struct sh_tok *tk)
{
    const struct sh_ctx *c = L->c;
    size_t i = sh_skip_blanks(c, L->i);
    bool assign;
    int rc;

    tk->text = NULL;
    if (i + 1 < c->len && (c->text[i] == '<' || c->text[i] == '>') && c->text[i + 1] == '(') {
        bh_buf_reset(&P->word);
        rc = sh_copy_nested(P, c, &i, 2, ')');
    } else if (i < c->len && c->text[i] != '\n' && !sh_meta(c->text[i]) && c->text[i] != '#') {
        rc = sh_lex_word(P, c, &i, false, &tk->quoted, &assign);
    } else {
        P->out->parse_error = true; /* `cmd >` with nothing after it */
        return 0;
    }
    L->i = i;
    if (rc)
        return rc;
    if (P->word.failed)
        return sh_nomem(P);
    tk->text = sh_word_text(P);
    return tk->text ? 0 : sh_nomem(P);
}

/* The redirection operator at t[i] (after any fd digits), or NULL. */
static const char *sh_redir_op(const char *t, size_t n, size_t i, size_t *oplen)
{
    static const char *const ops[] = {"<<<", "<<-", "&>>", "<<", "<>", "<&",
                                      ">>",  ">|",  ">&",  "&>", "<",  ">"};
    size_t k;

    for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        size_t m = strlen(ops[k]);

        if (n - i >= m && memcmp(t + i, ops[k], m) == 0) {
            *oplen = m;
            return ops[k];
        }
    }
    return NULL;
}

static int sh_next(struct sh_parser *P, struct sh_level *L, struct sh_tok *tk, bool cmd_start)
{
    const struct sh_ctx *c = L->c;
    const char *t = c->text;
    size_t n = c->len, i, j;
    int rc;

    memset(tk, 0, sizeof(*tk));
    tk->fd = -1;
    for (;;) {
        i = sh_skip_blanks(c, L->i);
        if (i < n && t[i] == '#') {
            while (i < n && t[i] != '\n')
                i++;
        }
        L->i = i;
        if (i >= n || t[i] != '#')
            break;
    }
    tk->off = i;
    if (i >= n) {
        tk->kind = TK_EOF;
        return 0;
    }
    tk->kind = TK_OP;
    switch (t[i]) {
    case '\n':
        tk->op = "\n";
        L->i = i + 1;
        return L->nhds ? sh_heredoc_bodies(P, L) : 0;
    case '&':
        if (i + 1 < n && t[i + 1] == '&') {
            tk->op = "&&";
            L->i = i + 2;
            return 0;
        }
        if (i + 1 < n && t[i + 1] == '>')
            break; /* &> redirection */
        tk->op = "&";
        L->i = i + 1;
        return 0;
    case '|':
        tk->op = i + 1 < n && t[i + 1] == '|' ? "||" : "|";
        L->i = i + (i + 1 < n && (t[i + 1] == '|' || t[i + 1] == '&') ? 2 : 1);
        return 0;
    case ';':
        if (i + 1 < n && (t[i + 1] == ';' || t[i + 1] == '&')) {
            tk->op = ";;";
            L->i = i + 2 + (i + 2 < n && t[i + 1] == ';' && t[i + 2] == '&');
            return 0;
        }
        tk->op = ";";
        L->i = i + 1;
        return 0;
    case '(':
        if (cmd_start && i + 1 < n && t[i + 1] == '(') {
            /* (( arithmetic )): one word, as written */
            bh_buf_reset(&P->word);
            rc = sh_copy_nested(P, c, &i, 1, ')');
            L->i = i;
            if (rc)
                return rc;
            tk->kind = TK_WORD;
            tk->text = sh_word_text(P);
            return tk->text ? 0 : sh_nomem(P);
        }
        tk->op = "(";
        L->i = i + 1;
        return 0;
    case ')':
        tk->op = ")";
        L->i = i + 1;
        return 0;
    default:
        break;
    }

    j = i;
    while (j < n && sh_digit(t[j]))
        j++;
    if (j < n && (t[j] == '<' || t[j] == '>' || (j == i && t[j] == '&'))) {
        size_t oplen = 0;
        const char *op;

        if (j == i && j + 1 < n && (t[j] == '<' || t[j] == '>') && t[j + 1] == '(') {
            tk->kind = TK_PROCSUB;
            bh_buf_reset(&P->word);
            rc = sh_copy_nested(P, c, &i, 2, ')');
            L->i = i;
            if (rc)
                return rc;
            tk->text = sh_word_text(P);
            return tk->text ? 0 : sh_nomem(P);
        }
        op = sh_redir_op(t, n, j, &oplen);
        if (op) {
            long long fd = -1;

            if (j > i && bh_parse_int(t + i, j - i, 0, INT_MAX, &fd) != 0)
                fd = INT_MAX;
            tk->kind = TK_REDIR;
            tk->op = op;
            tk->fd = (int)fd;
            L->i = j + oplen;
            return sh_redir_target(P, L, tk);
        }
    }

    tk->kind = TK_WORD;
    rc = sh_lex_word(P, c, &i, false, &tk->quoted, &tk->assign);
    L->i = i;
    if (rc)
        return rc;
    tk->text = sh_word_text(P);
    return tk->text ? 0 : sh_nomem(P);
}

/* ---- heredocs ------------------------------------------------------------ */

/* `<<DELIM` seen: its body follows the next newline token. */
static int sh_heredoc_add(struct sh_parser *P, struct sh_level *L, const char *delim, bool strip,
                          size_t off)
{
    struct sh_heredoc *h;

    if (L->nhds >= BH_MAX_HEREDOCS)
        return sh_limit(P, L->c, off, "heredocs on one line", "BH_MAX_HEREDOCS", BH_MAX_HEREDOCS);
    h = BH_PUSH(P->a, L->hds, L->nhds, L->hds_cap);
    if (!h)
        return sh_nomem(P);
    h->delim = delim;
    h->strip = strip;
    return 0;
}

/*
 * At a newline with heredocs pending: read their bodies in order, each up to
 * its delimiter line, and continue lexing after the last one. The bodies are
 * consumed, so the text is scanned once however many heredocs there are.
 */
static int sh_heredoc_bodies(struct sh_parser *P, struct sh_level *L)
{
    const char *t = L->c->text;
    size_t n = L->c->len, k;

    for (k = 0; k < L->nhds; k++) {
        const struct sh_heredoc *h = &L->hds[k];
        size_t b = L->i, p = b, body_end = n, next = n, dl = strlen(h->delim);
        const char *body;

        while (p < n) {
            size_t e = p, st = p, le;

            while (e < n && t[e] != '\n')
                e++;
            if (h->strip) {
                while (st < e && t[st] == '\t')
                    st++;
            }
            le = e;
            if (le > st && t[le - 1] == '\r')
                le--;
            if (le - st == dl && memcmp(t + st, h->delim, dl) == 0) {
                body_end = p;
                next = e < n ? e + 1 : e;
                break;
            }
            p = e < n ? e + 1 : e;
        }
        body = bh_arena_strndup(P->a, t + b, body_end - b);
        if (!body)
            return sh_nomem(P);
        if (!h->bound) {
            L->redir_in = body;
            L->has_body = true;
            L->body_off = b;
            L->body_len = body_end - b;
        } else if (h->idx < P->out->ncmds) {
            P->out->cmds[h->idx].redirect_stdin = body;
        }
        L->i = next;
    }
    L->nhds = 0;
    return 0;
}

/* ---- unwrapping ---------------------------------------------------------- */

static const char *sh_basename(const char *s)
{
    const char *slash = strrchr(s, '/');

    return slash ? slash + 1 : s;
}

static bool sh_is_shell(const char *name)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"};
    size_t k;

    for (k = 0; k < sizeof(shells) / sizeof(shells[0]); k++) {
        if (strcmp(name, shells[k]) == 0)
            return true;
    }
    return false;
}

/*
 * For `sh [options] -c SCRIPT`: the index of SCRIPT, or argc when there is no
 * -c. *nonopt is the index of the first operand (argc when none).
 */
static size_t sh_shell_script(const struct bh_word *argv, size_t argc, size_t i, size_t *nonopt)
{
    bool have_c = false;

    for (; i < argc; i++) {
        const char *w = argv[i].text;

        if (strcmp(w, "--") == 0 || strcmp(w, "-") == 0) {
            i++;
            break;
        }
        if (w[0] == '-' && w[1] == '-') {
            if (strcmp(w, "--rcfile") == 0 || strcmp(w, "--init-file") == 0)
                i++;
            continue;
        }
        if ((w[0] == '-' || w[0] == '+') && w[1]) {
            if (w[0] == '-' && strchr(w + 1, 'c'))
                have_c = true;
            if (strchr(w + 1, 'o') || strchr(w + 1, 'O'))
                i++; /* -o pipefail */
            continue;
        }
        break;
    }
    *nonopt = i < argc ? i : argc;
    return have_c && i < argc ? i : argc;
}

/* `su [options] [-] [user] -c CMD`: the index of CMD (argc if none); *skip is the prefix in it. */
static size_t sh_su_script(const struct bh_word *argv, size_t argc, size_t *skip)
{
    size_t i;

    *skip = 0;
    for (i = 1; i < argc; i++) {
        const char *w = argv[i].text;
        size_t wl = strlen(w);

        if (strcmp(w, "--command") == 0 || strcmp(w, "--session-command") == 0)
            return i + 1 < argc ? i + 1 : argc;
        if (bh_str_prefix(w, "--command=")) {
            *skip = strlen("--command=");
            return i;
        }
        if (w[0] == '-' && w[1] != '-' && wl > 1 && w[wl - 1] == 'c')
            return i + 1 < argc ? i + 1 : argc;
        if ((strcmp(w, "-s") == 0 || strcmp(w, "-g") == 0 || strcmp(w, "-G") == 0 ||
             strcmp(w, "-w") == 0))
            i++;
    }
    return argc;
}

/* Parse a script found inside argv[k] of a command (re-read with a position map). */
static int sh_run_word(struct sh_parser *P, const struct sh_ctx *c, size_t off, size_t skip,
                       int depth)
{
    struct sh_ctx child;
    bool quoted, assign;
    size_t i = off, *map, len;
    const char *text;
    int rc;

    if (depth > (int)BH_MAX_SHELL_NESTING)
        return sh_limit(P, c, off, "nested `sh -c` levels", "BH_MAX_SHELL_NESTING",
                        BH_MAX_SHELL_NESTING);
    P->want_map = true;
    rc = sh_lex_word(P, c, &i, false, &quoted, &assign);
    P->want_map = false;
    if (rc)
        return rc;
    len = P->word.len;
    if (skip > len)
        skip = len;
    text = sh_word_text(P);
    map = bh_arena_calloc(P->a, len + 1, sizeof(*map));
    if (!text || !map)
        return sh_nomem(P);
    if (P->map.len == (len + 1) * sizeof(*map))
        memcpy(map, P->map.ptr, P->map.len);
    memset(&child, 0, sizeof(child));
    child.text = text + skip;
    child.len = len - skip;
    child.map = map + skip;
    child.parent = c;
    return sh_parse_level(P, &child, 0, depth);
}

static int sh_unwrap(struct sh_parser *P, const struct sh_ctx *c, size_t idx, const size_t *offs,
                     const struct sh_level *L, size_t *chain);

/* Append argv[0..argc) of an `env`/`sudo`/`exec` wrapper as its own command at depth. */
static int sh_push_sub(struct sh_parser *P, const struct sh_ctx *c, const struct sh_level *L,
                       size_t from, struct bh_word *argv, size_t argc, const size_t *offs,
                       struct bh_word *assigns, size_t nassigns, int depth, size_t *chain)
{
    struct bh_shcmd *cmd;
    size_t idx, sub = 0;
    int rc;

    if (depth > (int)BH_MAX_SHELL_NESTING)
        return sh_limit(P, c, offs[0], "nested command wrappers", "BH_MAX_SHELL_NESTING",
                        BH_MAX_SHELL_NESTING);
    if (P->out->ncmds >= BH_MAX_SHELL_CMDS)
        return sh_limit(P, c, offs[0], "commands", "BH_MAX_SHELL_CMDS", BH_MAX_SHELL_CMDS);
    cmd = BH_PUSH(P->a, P->out->cmds, P->out->ncmds, P->cmds_cap);
    if (!cmd)
        return sh_nomem(P);
    idx = P->out->ncmds - 1;
    cmd->argv = argv;
    cmd->argc = argc;
    cmd->assigns = assigns;
    cmd->nassigns = nassigns;
    cmd->sep = P->out->cmds[from].sep;
    cmd->depth = depth;
    cmd->redirect_stdin = P->out->cmds[from].redirect_stdin;
    cmd->line = argv[0].line;
    rc = sh_unwrap(P, c, idx, offs, L, &sub);
    *chain = 1 + sub;
    return rc;
}

/*
 * The command at idx was just emitted: if it wraps another command or a
 * script, append what it runs right after it, one level deeper. *chain counts
 * the commands appended that run in its place (env/sudo), for pipe marking.
 */
static int sh_unwrap(struct sh_parser *P, const struct sh_ctx *c, size_t idx, const size_t *offs,
                     const struct sh_level *L, size_t *chain)
{
    struct bh_shcmd *cmd = &P->out->cmds[idx];
    struct bh_word *argv = cmd->argv;
    size_t argc = cmd->argc, k = 0, s, nonopt, skip, i;
    int depth = cmd->depth;
    const char *name;

    *chain = 0;
    if (argc == 0)
        return 0;
    name = sh_basename(argv[0].text);
    if (strcmp(name, "busybox") == 0 && argc > 1 && sh_is_shell(argv[1].text)) {
        k = 1;
        name = argv[1].text;
    }
    if (sh_is_shell(name)) {
        s = sh_shell_script(argv, argc, k + 1, &nonopt);
        if (s < argc)
            return sh_run_word(P, c, offs[s], 0, depth + 1);
        if (nonopt == argc && L && L->has_body) {
            /* `sh <<EOF`: the heredoc body is the script */
            struct sh_ctx body;

            if (depth + 1 > (int)BH_MAX_SHELL_NESTING)
                return sh_limit(P, c, L->body_off, "nested `sh -c` levels", "BH_MAX_SHELL_NESTING",
                                BH_MAX_SHELL_NESTING);
            memset(&body, 0, sizeof(body));
            body.text = c->text + L->body_off;
            body.len = L->body_len;
            body.parent = c;
            body.base = L->body_off;
            return sh_parse_level(P, &body, 0, depth + 1);
        }
        return 0;
    }
    if (strcmp(name, "su") == 0 || strcmp(name, "runuser") == 0) {
        s = sh_su_script(argv, argc, &skip);
        return s < argc ? sh_run_word(P, c, offs[s], skip, depth + 1) : 0;
    }
    if (strcmp(name, "env") == 0) {
        struct bh_word *as = NULL;
        size_t nas = 0, cap = 0;

        for (i = 1; i < argc; i++) {
            const char *w = argv[i].text;
            const char *eq = strchr(w, '=');

            if (strcmp(w, "--") == 0) {
                i++;
                break;
            }
            if (strcmp(w, "-u") == 0 || strcmp(w, "-C") == 0 || strcmp(w, "--unset") == 0 ||
                strcmp(w, "--chdir") == 0) {
                i++;
                continue;
            }
            if (strcmp(w, "-S") == 0 || strcmp(w, "--split-string") == 0)
                return i + 1 < argc ? sh_run_word(P, c, offs[i + 1], 0, depth + 1) : 0;
            if (w[0] == '-')
                continue;
            if (eq && eq != w) {
                struct bh_word *a = BH_PUSH(P->a, as, nas, cap);

                if (!a)
                    return sh_nomem(P);
                *a = argv[i];
                continue;
            }
            break;
        }
        if (i < argc)
            return sh_push_sub(P, c, L, idx, argv + i, argc - i, offs + i, as, nas, depth + 1,
                               chain);
        return 0;
    }
    if (strcmp(name, "sudo") == 0 || strcmp(name, "doas") == 0) {
        static const char argopt[] = "ugpCDhRrTUt";

        for (i = 1; i < argc; i++) {
            const char *w = argv[i].text;

            if (strcmp(w, "--") == 0) {
                i++;
                break;
            }
            if (w[0] != '-')
                break;
            if (w[1] && w[1] != '-' && !w[2] && strchr(argopt, w[1]))
                i++; /* -u user */
        }
        if (i < argc)
            return sh_push_sub(P, c, L, idx, argv + i, argc - i, offs + i, NULL, 0, depth + 1,
                               chain);
        return 0;
    }
    if ((strcmp(name, "exec") == 0 || strcmp(name, "nohup") == 0 || strcmp(name, "time") == 0) &&
        argc > 1) {
        i = 1;
        if ((strcmp(argv[i].text, "--") == 0 || strcmp(argv[i].text, "-p") == 0) && argc > 2)
            i++;
        return sh_push_sub(P, c, L, idx, argv + i, argc - i, offs + i, NULL, 0, depth + 1, chain);
    }
    return 0;
}

/* ---- commands ------------------------------------------------------------ */

static void sh_reset_cmd(struct sh_level *L)
{
    L->argv = NULL;
    L->argc = L->argv_cap = 0;
    L->assigns = NULL;
    L->nassigns = L->assigns_cap = 0;
    L->noffs = 0;
    L->redir_in = NULL;
    L->has_body = false;
    L->started = false;
}

/* The command being collected is finished: heredocs it opened now belong to cmds[idx]. */
static void sh_bind_heredocs(struct sh_level *L, size_t idx)
{
    size_t k;

    for (k = 0; k < L->nhds; k++) {
        if (!L->hds[k].bound) {
            L->hds[k].bound = true;
            L->hds[k].idx = idx;
        }
    }
}

static int sh_finish(struct sh_parser *P, struct sh_level *L, bool *emitted)
{
    struct bh_shcmd *cmd;
    size_t idx, chain = 0;
    int rc, col;

    *emitted = false;
    if (L->argc == 0 && L->nassigns == 0) {
        sh_bind_heredocs(L, SIZE_MAX);
        sh_reset_cmd(L);
        return 0;
    }
    if (P->out->ncmds >= BH_MAX_SHELL_CMDS)
        return sh_limit(P, L->c, L->cmd_off, "commands", "BH_MAX_SHELL_CMDS", BH_MAX_SHELL_CMDS);
    cmd = BH_PUSH(P->a, P->out->cmds, P->out->ncmds, P->cmds_cap);
    if (!cmd)
        return sh_nomem(P);
    idx = P->out->ncmds - 1;
    sh_bind_heredocs(L, idx);
    cmd->argv = L->argv;
    cmd->argc = L->argc;
    cmd->assigns = L->assigns;
    cmd->nassigns = L->nassigns;
    cmd->sep = L->emitted_any && L->pending_sep ? L->pending_sep : "";
    cmd->depth = L->depth;
    cmd->redirect_stdin = L->redir_in;
    sh_pos(L->c, L->cmd_off, &cmd->line, &col);
    L->pending_sep = NULL;
    L->emitted_any = true;
    L->have_last = true;
    L->last_idx = idx;
    *emitted = true;
    rc = sh_unwrap(P, L->c, idx, L->offs, L, &chain);
    L->last_chain = chain;
    sh_reset_cmd(L);
    return rc;
}

static void sh_mark_pipe(struct sh_parser *P, const struct sh_level *L)
{
    size_t k;

    for (k = 0; k <= L->last_chain && L->last_idx + k < P->out->ncmds; k++)
        P->out->cmds[L->last_idx + k].in_pipeline_out = true;
}

static void sh_started(struct sh_level *L, size_t off)
{
    if (!L->started) {
        L->started = true;
        L->cmd_off = off;
    }
}

enum { KW_NONE, KW_OPEN, KW_CLOSE, KW_ESAC, KW_FOR, KW_CASE, KW_FUNCTION };

static int sh_keyword(const char *w)
{
    static const char *const open[] = {"if",    "then",  "else", "elif", "do",
                                       "while", "until", "!",    "{"};
    size_t k;

    for (k = 0; k < sizeof(open) / sizeof(open[0]); k++) {
        if (strcmp(w, open[k]) == 0)
            return KW_OPEN;
    }
    if (strcmp(w, "fi") == 0 || strcmp(w, "done") == 0 || strcmp(w, "}") == 0)
        return KW_CLOSE;
    if (strcmp(w, "esac") == 0)
        return KW_ESAC;
    if (strcmp(w, "for") == 0 || strcmp(w, "select") == 0)
        return KW_FOR;
    if (strcmp(w, "case") == 0)
        return KW_CASE;
    if (strcmp(w, "function") == 0)
        return KW_FUNCTION;
    return KW_NONE;
}

static void sh_close(struct sh_level *L)
{
    L->after_close = true;
    L->pending_sep = NULL; /* `done && x`: x follows the loop, not the last command inside it */
}

static int sh_word(struct sh_parser *P, struct sh_level *L, const struct sh_tok *tk)
{
    size_t *o;
    int rc;

    if (L->for_header)
        return 0;
    if (L->case_mode == CASE_SUBJ) {
        L->case_mode = CASE_IN;
        return 0;
    }
    if (L->case_mode == CASE_IN) {
        L->case_mode = CASE_PAT;
        return 0;
    }
    if (L->case_mode == CASE_PAT) {
        if (!tk->quoted && strcmp(tk->text, "esac") == 0) {
            L->case_depth--;
            L->case_mode = L->case_depth > 0 ? CASE_BODY : CASE_NONE;
            sh_close(L);
        }
        return 0;
    }
    if (L->skip_words > 0) {
        L->skip_words--;
        return 0;
    }
    if (L->argc == 0) {
        if (tk->assign) {
            sh_started(L, tk->off);
            return sh_push_word(P, L->c, &L->assigns, &L->nassigns, &L->assigns_cap, tk->text,
                                tk->off, tk->quoted);
        }
        if (L->nassigns == 0 && !tk->quoted) {
            switch (sh_keyword(tk->text)) {
            case KW_OPEN:
                return 0;
            case KW_CLOSE:
                sh_close(L);
                return 0;
            case KW_ESAC:
                if (L->case_depth > 0) {
                    L->case_depth--;
                    L->case_mode = L->case_depth > 0 ? CASE_BODY : CASE_NONE;
                }
                sh_close(L);
                return 0;
            case KW_FOR:
                L->for_header = true;
                return 0;
            case KW_CASE:
                if (L->case_depth >= BH_MAX_SHELL_COMPOUND)
                    return sh_limit(P, L->c, tk->off, "nested case commands",
                                    "BH_MAX_SHELL_COMPOUND", BH_MAX_SHELL_COMPOUND);
                L->case_depth++;
                L->case_mode = CASE_SUBJ;
                return 0;
            case KW_FUNCTION:
                L->skip_words = 1;
                return 0;
            default:
                break;
            }
        }
    }
    sh_started(L, tk->off);
    rc = sh_push_word(P, L->c, &L->argv, &L->argc, &L->argv_cap, tk->text, tk->off, tk->quoted);
    if (rc)
        return rc;
    o = BH_PUSH(P->a, L->offs, L->noffs, L->offs_cap);
    if (!o)
        return sh_nomem(P);
    *o = tk->off;
    return 0;
}

static int sh_op(struct sh_parser *P, struct sh_level *L, const char *op)
{
    bool emitted;
    int rc;

    if (strcmp(op, "(") == 0) {
        if (L->argc > 0) {
            sh_reset_cmd(L); /* name() { ...; }: a function definition, not a command */
            L->fn_close = true;
        } else if (L->case_mode != CASE_PAT) {
            L->paren++;
        }
        return 0;
    }
    if (strcmp(op, ")") == 0) {
        if (L->fn_close) {
            L->fn_close = false;
            return 0;
        }
        if (L->case_mode == CASE_PAT) {
            L->case_mode = CASE_BODY;
            return 0;
        }
        rc = sh_finish(P, L, &emitted);
        if (rc)
            return rc;
        if (L->paren == 0)
            P->out->parse_error = true;
        else
            L->paren--;
        sh_close(L);
        return 0;
    }
    L->fn_close = false;
    if (L->case_mode == CASE_PAT || L->case_mode == CASE_SUBJ || L->case_mode == CASE_IN)
        return 0;
    if (L->for_header) {
        if (strcmp(op, ";") == 0 || strcmp(op, "\n") == 0)
            L->for_header = false;
        return 0;
    }
    rc = sh_finish(P, L, &emitted);
    if (rc)
        return rc;
    if (strcmp(op, "|") == 0 && (emitted || L->after_close) && L->have_last)
        sh_mark_pipe(P, L);
    if (strcmp(op, ";;") == 0) {
        if (L->case_depth > 0)
            L->case_mode = CASE_PAT;
        op = ";";
    }
    if (!L->pending_sep)
        L->pending_sep = op;
    L->after_close = false;
    return 0;
}

static int sh_redir(struct sh_parser *P, struct sh_level *L, const struct sh_tok *tk)
{
    bool in = tk->fd <= 0;

    sh_started(L, tk->off);
    if (!tk->text)
        return 0;
    if (tk->kind == TK_PROCSUB) {
        if (tk->text[0] == '<')
            L->redir_in = tk->text;
        return 0;
    }
    if (in && (strcmp(tk->op, "<") == 0 || strcmp(tk->op, "<<<") == 0)) {
        L->redir_in = tk->text;
        L->has_body = false;
    } else if (in && (strcmp(tk->op, "<<") == 0 || strcmp(tk->op, "<<-") == 0)) {
        return sh_heredoc_add(P, L, tk->text, tk->op[2] == '-', tk->off);
    }
    return 0;
}

static int sh_parse_level(struct sh_parser *P, const struct sh_ctx *c, size_t start, int depth)
{
    struct sh_level L;
    struct sh_tok tk;
    bool emitted;
    int rc = 0;

    memset(&L, 0, sizeof(L));
    L.c = c;
    L.i = start;
    L.depth = depth;
    for (;;) {
        rc = sh_next(P, &L, &tk, L.argc == 0 && L.nassigns == 0);
        if (rc)
            break;
        if (tk.kind == TK_EOF) {
            rc = sh_finish(P, &L, &emitted);
            break;
        }
        if (tk.kind == TK_WORD)
            rc = sh_word(P, &L, &tk);
        else if (tk.kind == TK_OP)
            rc = sh_op(P, &L, tk.op);
        else
            rc = sh_redir(P, &L, &tk);
        if (rc)
            break;
    }
    if (L.paren > 0 || P->unterminated)
        P->out->parse_error = true;
    return rc;
}

/* ---- image history prefixes ------------------------------------------------ */

/*
 * Image history records a RUN as `/bin/sh -c <script joined with spaces>`,
 * BuildKit as `RUN |2 A=1 B=2 /bin/sh -c <script> # buildkit`, and other
 * instructions as `/bin/sh -c #(nop) <instruction>`. The script after `-c `
 * is the raw text, not one quoted word, so it is split at depth 0. A RUN line
 * that merely starts with `/bin/sh -c '...'` is left to the normal unwrapping.
 * Returns 1 and *start when the text has the prefix; *nop for #(nop).
 */
static int sh_history(struct sh_parser *P, const struct sh_ctx *c, size_t *start,
                      struct bh_word **bargs, size_t *nbargs, bool *nop)
{
    const char *t = c->text;
    size_t n = c->len, i = sh_skip_blanks(c, 0), cap = 0, j;
    bool strong = false, quoted, assign, have_c = false, absolute;
    long long nargs = 0, k;
    const char *w;
    int rc;

    *nop = false;
    if (n - i >= 4 && memcmp(t + i, "RUN ", 4) == 0) {
        strong = true;
        i = sh_skip_blanks(c, i + 4);
    }
    if (i < n && t[i] == '|') {
        j = i + 1;
        while (j < n && sh_digit(t[j]))
            j++;
        if (j == i + 1 || j >= n || !sh_blank(t[j]) ||
            bh_parse_int(t + i + 1, j - i - 1, 0, BH_MAX_SHELL_WORDS, &nargs) != 0)
            return 0;
        strong = true;
        i = j;
        for (k = 0; k < nargs; k++) {
            size_t off;

            i = sh_skip_blanks(c, i);
            off = i;
            if (i >= n || t[i] == '\n' || sh_meta(t[i]))
                break;
            rc = sh_lex_word(P, c, &i, false, &quoted, &assign);
            if (rc)
                return rc;
            if (!assign) {
                i = off;
                break;
            }
            w = sh_word_text(P);
            if (!w)
                return sh_nomem(P);
            rc = sh_push_word(P, c, bargs, nbargs, &cap, w, off, quoted);
            if (rc)
                return rc;
        }
    }
    *start = i = sh_skip_blanks(c, i);
    if (i >= n || t[i] == '\n' || sh_meta(t[i]))
        return strong;
    rc = sh_lex_word(P, c, &i, false, &quoted, &assign);
    if (rc)
        return rc;
    w = bh_buf_str(&P->word);
    absolute = w[0] == '/';
    if (quoted || !sh_is_shell(sh_basename(w)))
        return strong;
    while (!have_c) {
        i = sh_skip_blanks(c, i);
        if (i >= n || (t[i] != '-' && t[i] != '+'))
            return strong;
        rc = sh_lex_word(P, c, &i, false, &quoted, &assign);
        if (rc)
            return rc;
        w = bh_buf_str(&P->word);
        if (w[0] == '-' && w[1] != '-' && strchr(w + 1, 'c'))
            have_c = true;
        else if (strchr(w + 1, 'o') || strchr(w + 1, 'O'))
            i = sh_skip_blanks(c, i), rc = sh_lex_word(P, c, &i, false, &quoted, &assign);
        if (rc)
            return rc;
    }
    if (i < n && t[i] == ' ')
        i++;
    if (n - i >= 6 && memcmp(t + i, "#(nop)", 6) == 0) {
        *nop = true;
        return 1;
    }
    if (!strong && (!absolute || (i < n && (t[i] == '\'' || t[i] == '"'))))
        return 0;
    *start = i;
    return 1;
}

/* Build args of a history line go to the first command of its script. */
static int sh_attach_bargs(struct sh_parser *P, const struct sh_ctx *c, size_t first,
                           struct bh_word *bargs, size_t nbargs)
{
    struct bh_shcmd *cmd;
    struct bh_word *all;
    size_t k;

    for (k = first; k < P->out->ncmds; k++) {
        cmd = &P->out->cmds[k];
        if (cmd->depth != 0)
            continue;
        all = bh_arena_calloc(P->a, nbargs + cmd->nassigns, sizeof(*all));
        if (!all)
            return sh_nomem(P);
        memcpy(all, bargs, nbargs * sizeof(*all));
        if (cmd->nassigns)
            memcpy(all + nbargs, cmd->assigns, cmd->nassigns * sizeof(*all));
        cmd->assigns = all;
        cmd->nassigns += nbargs;
        return 0;
    }
    if (P->out->ncmds >= BH_MAX_SHELL_CMDS)
        return sh_limit(P, c, 0, "commands", "BH_MAX_SHELL_CMDS", BH_MAX_SHELL_CMDS);
    cmd = BH_PUSH(P->a, P->out->cmds, P->out->ncmds, P->cmds_cap);
    if (!cmd)
        return sh_nomem(P);
    cmd->assigns = bargs;
    cmd->nassigns = nbargs;
    cmd->sep = "";
    cmd->line = bargs[0].line;
    return 0;
}

/* ---- entry points ---------------------------------------------------------- */

static int sh_init(struct sh_parser *P, struct bh_arena *a, struct bh_err *err, struct sh_ctx *root,
                   const char *text, size_t len, int first_line, int first_col)
{
    size_t k, m = 0;
    size_t *nl;

    memset(P, 0, sizeof(*P));
    P->a = a;
    P->err = err;
    bh_buf_init(&P->word, len + 1);
    bh_buf_init(&P->map, (len + 2) * sizeof(size_t));
    memset(root, 0, sizeof(*root));
    root->text = text ? text : "";
    root->len = text ? len : 0;
    root->first_line = first_line;
    root->first_col = first_col;
    for (k = 0; k < root->len; k++)
        m += root->text[k] == '\n';
    nl = bh_arena_calloc(a, m ? m : 1, sizeof(*nl));
    if (!nl)
        return sh_nomem(P);
    for (k = 0, m = 0; k < root->len; k++) {
        if (root->text[k] == '\n')
            nl[m++] = k;
    }
    root->nl = nl;
    root->nnl = m;
    return 0;
}

int bh_shell_parse(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_script *out, struct bh_err *err)
{
    struct sh_parser P;
    struct sh_ctx root;
    struct bh_word *bargs = NULL;
    size_t start = 0, nbargs = 0;
    bool nop = false;
    int rc, h;

    memset(out, 0, sizeof(*out));
    out->text = bh_arena_strndup(a, text ? text : "", text ? len : 0);
    rc = sh_init(&P, a, err, &root, text, len, first_line, first_col);
    if (rc == 0 && !out->text)
        rc = sh_nomem(&P);
    if (rc)
        goto out;
    P.out = out;
    h = sh_history(&P, &root, &start, &bargs, &nbargs, &nop);
    if (h < 0) {
        rc = h;
        goto out;
    }
    if (h == 0) {
        start = 0;
        nbargs = 0;
    }
    if (nop)
        goto out;
    rc = sh_parse_level(&P, &root, start, 0);
    if (rc == 0 && nbargs > 0)
        rc = sh_attach_bargs(&P, &root, 0, bargs, nbargs);
out:
    bh_buf_release(&P.word);
    bh_buf_release(&P.map);
    return rc;
}

int bh_shell_words(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_word **words, size_t *nwords, struct bh_err *err)
{
    struct sh_parser P;
    struct sh_ctx root;
    size_t i = 0, cap = 0;
    int rc;

    *words = NULL;
    *nwords = 0;
    rc = sh_init(&P, a, err, &root, text, len, first_line, first_col);
    while (rc == 0) {
        bool quoted, assign;
        const char *w;
        size_t off;

        while (i < root.len && (sh_blank(root.text[i]) || root.text[i] == '\n'))
            i++;
        i = sh_skip_blanks(&root, i);
        if (i < root.len && root.text[i] == '\n')
            continue;
        if (i < root.len && root.text[i] == '#') {
            while (i < root.len && root.text[i] != '\n')
                i++;
            continue;
        }
        if (i >= root.len)
            break;
        off = i;
        rc = sh_lex_word(&P, &root, &i, true, &quoted, &assign);
        if (rc)
            break;
        w = sh_word_text(&P);
        if (!w) {
            rc = sh_nomem(&P);
            break;
        }
        rc = sh_push_word(&P, &root, words, nwords, &cap, w, off, quoted);
    }
    bh_buf_release(&P.word);
    bh_buf_release(&P.map);
    return rc;
}
