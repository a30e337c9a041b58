/*
 * imgconfig.c - turns an image config (OCI image config / Docker image JSON)
 * into a struct bh_buildspec: instructions rebuilt from history[] in order,
 * then instructions for whatever final state the config holds that history
 * does not already say, so rules that take "the last USER" or "every ENV" see
 * the truth once. It does not read archives or layers, and judges nothing.
 * Design notes: docs/internals/image-config.md.
 */
#include "input/imgconfig.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/dockerfile.h"
#include "input/json.h"
#include "input/manifest.h"
#include "input/shell.h"

#include <string.h>

struct ic {
    struct bh_arena *a;
    const char *ref;
    struct bh_err *err;
    struct bh_buildspec *bs;
    const struct bh_jnode *cfg; /* the config object, or NULL */
    const char *cfgname;        /* "config" or "container_config" */
    long main;                  /* the instruction a history entry became (-1: its first) */
};

/* A list of strings being built (argv, keys). */
struct strv {
    const char **v;
    size_t n, cap;
};

static int nomem(struct ic *c)
{
    return bh_err_set(c->err, BH_ENOMEM, c->ref, 0, 0, "out of memory");
}

static int push_str(struct ic *c, struct strv *sv, const char *s)
{
    const char **slot;

    if (!s)
        return nomem(c);
    slot = BH_PUSH(c->a, sv->v, sv->n, sv->cap);
    if (!slot)
        return nomem(c);
    *slot = s;
    return 0;
}

/* ---- typed access to the config JSON, errors naming the path ---------------- */

static int bad_type(struct ic *c, const char *path, const char *want, const struct bh_jnode *n)
{
    return bh_err_set(c->err, BH_EPARSE, c->ref, 0, 0, "%s: expected %s, found %s", path, want,
                      bh_json_type_name(n));
}

/* Strings must not hide bytes after a NUL: every later use would silently cut them off. */
static int check_str(struct ic *c, const char *path, const struct bh_jnode *n)
{
    if (!n || n->type != BH_J_STRING)
        return bad_type(c, path, "a string", n);
    if (strlen(n->str) != n->len)
        return bh_err_set(c->err, BH_EPARSE, c->ref, 0, 0, "%s: string holds a NUL byte", path);
    return 0;
}

/* A key quoted in a message: bounded and printable ASCII (it comes from the image). */
static const char *shown(struct ic *c, const char *s)
{
    return bh_str_printable_dup(c->a, s, strlen(s), 64);
}

static const char *pjoin(struct ic *c, const char *path, const char *key)
{
    return path && *path ? bh_arena_printf(c->a, "%s.%s", path, key) : bh_arena_strdup(c->a, key);
}

/* obj[key]: absent or null gives *out = NULL. */
static int get_str(struct ic *c, const struct bh_jnode *obj, const char *path, const char *key,
                   const char **out)
{
    const struct bh_jnode *v = bh_json_get(obj, key);
    const char *p;

    *out = NULL;
    if (bh_json_is_null(v))
        return 0;
    if (v->type == BH_J_STRING && strlen(v->str) == v->len) {
        *out = v->str;
        return 0;
    }
    p = pjoin(c, path, key);
    return p ? check_str(c, p, v) : nomem(c);
}

/*
 * obj[key] as a list of strings. Docker's decoder also takes one string for Cmd and
 * Entrypoint (a one-element list). *present is false for absent or null.
 */
static int get_strlist(struct ic *c, const struct bh_jnode *obj, const char *path, const char *key,
                       bool one_string_ok, struct strv *out, bool *present)
{
    const struct bh_jnode *v = bh_json_get(obj, key);
    const char *p = pjoin(c, path, key);
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    *present = false;
    if (!p)
        return nomem(c);
    if (bh_json_is_null(v))
        return 0;
    if (one_string_ok && v->type == BH_J_STRING) {
        rc = check_str(c, p, v);
        if (!rc)
            rc = push_str(c, out, v->str);
        *present = rc == 0;
        return rc;
    }
    if (v->type != BH_J_ARRAY)
        return bad_type(c, p, "an array of strings", v);
    for (i = 0; i < v->n; i++) {
        if (v->items[i].type != BH_J_STRING || strlen(v->items[i].str) != v->items[i].len) {
            const char *q = bh_arena_printf(c->a, "%s[%zu]", p, i);

            return q ? check_str(c, q, &v->items[i]) : nomem(c);
        }
        rc = push_str(c, out, v->items[i].str);
        if (rc)
            return rc;
    }
    *present = true;
    return 0;
}

/* The keys of an object such as ExposedPorts or Volumes ({"80/tcp": {}}). */
static int get_keys(struct ic *c, const struct bh_jnode *obj, const char *path, const char *key,
                    struct strv *out)
{
    const struct bh_jnode *v = bh_json_get(obj, key);
    const char *p = pjoin(c, path, key);
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!p)
        return nomem(c);
    if (bh_json_is_null(v))
        return 0;
    if (v->type != BH_J_OBJECT)
        return bad_type(c, p, "an object", v);
    for (i = 0; i < v->n; i++) {
        if (strlen(v->pairs[i].key) != v->pairs[i].keylen)
            return bh_err_set(c->err, BH_EPARSE, c->ref, 0, 0, "%s: key holds a NUL byte", p);
        rc = push_str(c, out, v->pairs[i].key);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- small text helpers -------------------------------------------------------- */

static bool blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static size_t skip_blank(const char *s, size_t i, size_t n)
{
    while (i < n && blank(s[i]))
        i++;
    return i;
}

static bool strv_has(const struct strv *sv, const char *s)
{
    size_t i;

    for (i = 0; i < sv->n; i++) {
        if (strcmp(sv->v[i], s) == 0)
            return true;
    }
    return false;
}

static bool argv_eq(const char *const *a, size_t an, const char *const *b, size_t bn)
{
    size_t i;

    if (an != bn)
        return false;
    for (i = 0; i < an; i++) {
        if (strcmp(a[i] ? a[i] : "", b[i] ? b[i] : "") != 0)
            return false;
    }
    return true;
}

static void put_utf8(struct bh_buf *b, unsigned long cp)
{
    char u[4];

    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) {
        bh_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        bh_buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        bh_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        bh_buf_append(b, u, 4);
    }
}

/*
 * A Go quoted literal at s[*i] (`"..."` from %q, or a `'x'` rune literal) into b,
 * advancing *i past the closing quote. False when it is not one. A NUL byte from an
 * escape ends nothing here but is refused, as in the JSON strings.
 */
static bool go_unquote(const char *s, size_t n, size_t *i, struct bh_buf *b)
{
    char q;
    size_t k = *i;

    if (k >= n || (s[k] != '"' && s[k] != '\''))
        return false;
    q = s[k++];
    bh_buf_reset(b);
    while (k < n && s[k] != q) {
        unsigned long cp = 0;
        int digits = 0, base = 16, d, j;
        char e;

        if (s[k] == '\n')
            return false;
        if (s[k] != '\\') {
            bh_buf_putc(b, s[k++]);
            continue;
        }
        if (++k >= n)
            return false;
        e = s[k++];
        switch (e) {
        case 'a':
            bh_buf_putc(b, '\a');
            continue;
        case 'b':
            bh_buf_putc(b, '\b');
            continue;
        case 'f':
            bh_buf_putc(b, '\f');
            continue;
        case 'n':
            bh_buf_putc(b, '\n');
            continue;
        case 'r':
            bh_buf_putc(b, '\r');
            continue;
        case 't':
            bh_buf_putc(b, '\t');
            continue;
        case 'v':
            bh_buf_putc(b, '\v');
            continue;
        case '\\':
        case '"':
        case '\'':
            bh_buf_putc(b, e);
            continue;
        case 'x':
            digits = 2;
            break;
        case 'u':
            digits = 4;
            break;
        case 'U':
            digits = 8;
            break;
        default:
            if (e < '0' || e > '7')
                return false;
            digits = 2;
            base = 8;
            cp = (unsigned long)(e - '0');
            break;
        }
        for (j = 0; j < digits; j++) {
            d = k < n ? bh_hexval(s[k]) : -1;
            if (d < 0 || d >= base)
                return false;
            cp = cp * (unsigned long)base + (unsigned long)d;
            k++;
        }
        if (cp == 0)
            return false;
        if (e == 'x' || base == 8) {
            if (cp > 0xff)
                return false;
            bh_buf_putc(b, (char)cp); /* a raw byte, as Go writes it */
        } else {
            put_utf8(b, cp);
        }
    }
    if (k >= n || b->failed)
        return false;
    *i = k + 1;
    return true;
}

/* `["a" "b"]` (Go's %q of a string slice) at s[*i]; advances *i past `]`. */
static int go_qlist(struct ic *c, const char *s, size_t n, size_t *i, struct strv *out, bool *ok)
{
    struct bh_buf b;
    size_t k = skip_blank(s, *i, n);
    int rc = 0;

    memset(out, 0, sizeof(*out));
    *ok = false;
    if (k >= n || s[k] != '[')
        return 0;
    bh_buf_init(&b, BH_MAX_JSON_INPUT);
    k++;
    for (;;) {
        k = skip_blank(s, k, n);
        if (k < n && s[k] == ']') {
            *i = k + 1;
            *ok = true;
            break;
        }
        if (!go_unquote(s, n, &k, &b) || s[k - 1] != '"')
            break;
        rc = push_str(c, out, bh_arena_strndup(c->a, b.ptr ? b.ptr : "", b.len));
        if (rc)
            break;
    }
    bh_buf_release(&b);
    return rc;
}

/* `[a b]` (Go's %v of a string slice, no quotes) or `map[a:{} b:{}]` as words. */
static int go_vlist(struct ic *c, const char *s, size_t n, struct strv *out, bool *ok)
{
    size_t i = skip_blank(s, 0, n), e = n, w;
    bool map = false;
    int rc;

    memset(out, 0, sizeof(*out));
    *ok = false;
    while (e > i && blank(s[e - 1]))
        e--;
    if (e - i >= 4 && memcmp(s + i, "map[", 4) == 0) {
        map = true;
        i += 3;
    }
    if (i >= e || s[i] != '[' || s[e - 1] != ']' || memchr(s + i, '"', e - i))
        return 0;
    for (i++, e--; (i = skip_blank(s, i, e)) < e; i = w) {
        size_t wl;

        for (w = i; w < e && !blank(s[w]); w++)
            ;
        wl = w - i;
        if (map) {
            if (wl < 4 || memcmp(s + w - 3, ":{}", 3) != 0)
                return 0;
            wl -= 3;
        }
        rc = push_str(c, out, bh_arena_strndup(c->a, s + i, wl));
        if (rc)
            return rc;
    }
    *ok = true;
    return 0;
}

/* Text as a JSON array, for the raw text of an exec-form instruction. */
static const char *json_text(struct ic *c, const char *const *v, size_t n)
{
    struct bh_buf b;
    const char *r;
    size_t i, k;

    bh_buf_init(&b, BH_MAX_JSON_INPUT);
    bh_buf_putc(&b, '[');
    for (i = 0; i < n; i++) {
        bh_buf_puts(&b, i ? ", \"" : "\"");
        for (k = 0; v[i][k]; k++) {
            unsigned char ch = (unsigned char)v[i][k];

            if (ch == '"' || ch == '\\')
                bh_buf_printf(&b, "\\%c", ch);
            else if (ch < 0x20 || ch == 0x7f)
                bh_buf_printf(&b, "\\u%04x", ch);
            else
                bh_buf_putc(&b, (char)ch);
        }
        bh_buf_putc(&b, '"');
    }
    bh_buf_putc(&b, ']');
    r = b.failed ? NULL : bh_arena_strndup(c->a, b.ptr, b.len);
    bh_buf_release(&b);
    return r;
}

static const char *join_words(struct ic *c, const char *const *v, size_t n)
{
    struct bh_buf b;
    const char *r;
    size_t i;

    bh_buf_init(&b, BH_MAX_JSON_INPUT);
    for (i = 0; i < n; i++) {
        if (i)
            bh_buf_putc(&b, ' ');
        bh_buf_puts(&b, v[i]);
    }
    r = b.failed ? NULL : bh_arena_strndup(c->a, b.ptr ? b.ptr : "", b.len);
    bh_buf_release(&b);
    return r;
}

/* ---- instructions --------------------------------------------------------------- */

static struct bh_loc hist_loc(struct ic *c, size_t n)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = c->ref;
    l.line = n + 1 > (size_t)BH_MAX_IMAGE_HISTORY ? 0 : (int)(n + 1);
    l.path = bh_arena_printf(c->a, "history[%zu].created_by", n);
    return l;
}

static struct bh_loc cfg_loc(struct ic *c, const char *field)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = c->ref;
    l.path = bh_arena_printf(c->a, "%s.%s", c->cfgname, field);
    return l;
}

/* A new instruction at the end (pointers into bs->instrs move on every push). */
static struct bh_instr *new_instr(struct ic *c, enum bh_instr_kind kind, const char *raw,
                                  const struct bh_loc *loc)
{
    struct bh_buildspec *bs = c->bs;
    struct bh_instr *in;

    if (bs->ninstrs >= BH_MAX_INSTRUCTIONS) {
        bh_err_set(c->err, BH_ELIMIT, c->ref, 0, 0,
                   "image yields more than %u instructions (BH_MAX_INSTRUCTIONS)",
                   (unsigned)BH_MAX_INSTRUCTIONS);
        return NULL;
    }
    in = BH_PUSH(c->a, bs->instrs, bs->ninstrs, bs->instrs_cap);
    if (!in || !loc->path) {
        nomem(c);
        return NULL;
    }
    in->kind = kind;
    in->keyword = kind == BH_I_UNKNOWN ? "" : bh_instr_kind_name(kind);
    in->raw = raw ? raw : "";
    in->args = in->raw;
    in->loc = *loc;
    in->stage = 0;
    return in;
}

/*
 * Every word and command of a script made from one history entry or config field sits
 * on that entry's line; a column survives only on the first line of the text.
 */
static void pin_script(struct bh_script *sc, int line, int first_line)
{
    size_t i, k;

    for (i = 0; i < sc->ncmds; i++) {
        struct bh_shcmd *cmd = &sc->cmds[i];

        for (k = 0; k < cmd->argc; k++) {
            if (cmd->argv[k].line != first_line || line == 0)
                cmd->argv[k].col = 0;
            cmd->argv[k].line = line;
        }
        for (k = 0; k < cmd->nassigns; k++) {
            if (cmd->assigns[k].line != first_line || line == 0)
                cmd->assigns[k].col = 0;
            cmd->assigns[k].line = line;
        }
        cmd->line = line;
    }
}

/* ["sh", "-c", "script"] and bash etc., options before -c: the index of the script, or 0. */
static size_t exec_script_index(const char *const *argv, size_t argc)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh"};
    const char *b;
    size_t i, k;
    bool ok = false;

    if (argc < 3)
        return 0;
    b = strrchr(argv[0], '/');
    b = b ? b + 1 : argv[0];
    for (i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
        ok = ok || strcmp(b, shells[i]) == 0;
    for (k = 1; ok && k + 1 < argc; k++) {
        const char *o = argv[k];

        if ((o[0] != '-' && o[0] != '+') || !o[1])
            return 0;
        if (o[0] == '-' && o[1] == '-')
            continue;
        if (o[0] == '-' && strchr(o + 1, 'c'))
            return k + 1;
        if (strchr(o + 1, 'o'))
            k++;
    }
    return 0;
}

static int script_of(struct ic *c, size_t ix, const char *text, int col)
{
    struct bh_instr *in = &c->bs->instrs[ix];
    int line = in->loc.line, rc;

    rc = bh_shell_parse(c->a, text, strlen(text), line > 0 ? line : 1, col > 0 ? col : 1,
                        &in->script, c->err);
    if (rc) {
        if (!c->err->file[0])
            bh_err_set(c->err, rc, c->ref, 0, 0, "%s", c->err->msg);
        return rc;
    }
    pin_script(&in->script, line, line > 0 ? line : 1);
    if (col <= 0)
        pin_script(&in->script, line, -1);
    return 0;
}

/* CMD / ENTRYPOINT / SHELL / HEALTHCHECK CMD in exec form: argv, and the script of sh -c. */
static int add_exec(struct ic *c, enum bh_instr_kind kind, const struct strv *argv,
                    const struct bh_loc *loc, const char *prefix)
{
    const char *j = json_text(c, argv->v, argv->n);
    struct bh_instr *in;
    size_t si;

    if (!j)
        return nomem(c);
    if (prefix)
        j = bh_arena_printf(c->a, "%s%s", prefix, j);
    in = new_instr(c, kind, j, loc);
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    in->json_form = true;
    in->argv = argv->v;
    in->argc = argv->n;
    si = kind == BH_I_SHELL ? 0 : exec_script_index(argv->v, argv->n);
    return si ? script_of(c, c->bs->ninstrs - 1, argv->v[si], 0) : 0;
}

/* USER, WORKDIR, STOPSIGNAL (one word) and EXPOSE, VOLUME (several). */
static int add_words(struct ic *c, enum bh_instr_kind kind, const struct strv *w,
                     const struct bh_loc *loc)
{
    const char *raw = join_words(c, w->v, w->n);
    struct bh_instr *in;

    if (!raw)
        return nomem(c);
    in = new_instr(c, kind, raw, loc);
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    in->argv = w->v;
    in->argc = w->n;
    return 0;
}

static int add_word(struct ic *c, enum bh_instr_kind kind, const char *word,
                    const struct bh_loc *loc)
{
    struct strv w;

    memset(&w, 0, sizeof(w));
    return push_str(c, &w, word) ? c->err->code : add_words(c, kind, &w, loc);
}

/* HEALTHCHECK from a Test list: ["NONE"], ["CMD", argv...], ["CMD-SHELL", script]. */
static int add_health(struct ic *c, const struct strv *test, struct bh_flag *flags, size_t nflags,
                      const struct bh_loc *loc, bool *made)
{
    struct bh_instr *in;
    struct strv rest;

    *made = false;
    if (test->n == 0)
        return 0; /* an empty Test inherits the base image's check */
    if (strcmp(test->v[0], "NONE") == 0) {
        in = new_instr(c, BH_I_HEALTHCHECK, "NONE", loc);
        if (!in)
            return c->err->code ? c->err->code : nomem(c);
        in->healthcheck_none = true;
    } else if (strcmp(test->v[0], "CMD") == 0) {
        rest.v = test->v + 1;
        rest.n = test->n - 1;
        rest.cap = rest.n;
        if (add_exec(c, BH_I_HEALTHCHECK, &rest, loc, "CMD "))
            return c->err->code;
    } else if (strcmp(test->v[0], "CMD-SHELL") == 0 && test->n >= 2) {
        in = new_instr(c, BH_I_HEALTHCHECK, bh_arena_printf(c->a, "CMD %s", test->v[1]), loc);
        if (!in)
            return c->err->code ? c->err->code : nomem(c);
        if (script_of(c, c->bs->ninstrs - 1, test->v[1], 0))
            return c->err->code;
    } else {
        return 0; /* a test type the engine would refuse: nothing to model */
    }
    in = &c->bs->instrs[c->bs->ninstrs - 1];
    in->flags = flags;
    in->nflags = nflags;
    *made = true;
    return 0;
}

/* ---- history: ENV / LABEL / ARG pairs ------------------------------------------ */

/*
 * The builders write `ENV A=x B=y z` with values unquoted, so a space may be
 * inside a value or between pairs. A word with `=` starts a pair; for ENV the
 * config's Env says where a value with spaces really ends.
 */
static int split_pairs(struct ic *c, size_t ix, const char *t, size_t n, size_t base,
                       const struct strv *env)
{
    struct bh_kv *kvs = NULL;
    size_t nkv = 0, cap = 0, i = skip_blank(t, 0, n), k;
    struct bh_instr *in = &c->bs->instrs[ix];
    bool is_arg = in->kind == BH_I_ARG;

    while (i < n) {
        size_t ks = i, ke, vs, ve, w;
        struct bh_kv *kv;

        for (ke = ks; ke < n && t[ke] != '=' && !blank(t[ke]); ke++)
            ;
        if (ke == ks) {
            i++;
            continue;
        }
        kv = BH_PUSH(c->a, kvs, nkv, cap);
        if (!kv)
            return nomem(c);
        kv->loc = in->loc;
        kv->loc.col = in->loc.line > 0 && base + ks < 100000 ? (int)(base + ks + 1) : 0;
        kv->key = bh_arena_strndup(c->a, t + ks, ke - ks);
        if (ke >= n || t[ke] != '=') {
            vs = skip_blank(t, ke, n);
            if (nkv == 1 && !is_arg && vs < n) {
                /* the old `ENV KEY value with spaces` form: one pair, the rest is the value */
                ve = n;
                while (ve > vs && blank(t[ve - 1]))
                    ve--;
                kv->value = bh_arena_strndup(c->a, t + vs, ve - vs);
                i = n;
            } else {
                kv->value = is_arg ? NULL : "";
                i = vs;
            }
            if (!kv->key || (!kv->value && !is_arg))
                return nomem(c);
            continue;
        }
        vs = ke + 1;
        /* default: the value ends before the next word that has an `=` */
        for (ve = vs, w = vs; w < n;) {
            size_t we;

            while (w < n && !blank(t[w]))
                w++;
            ve = w;
            w = skip_blank(t, w, n);
            for (we = w; we < n && !blank(t[we]) && t[we] != '='; we++)
                ;
            if (w >= n || (we < n && t[we] == '=' && we > w))
                break;
        }
        for (k = 0; env && k < env->n; k++) {
            const char *e = env->v[k], *eq = strchr(e, '=');
            size_t vl;

            if (!eq || (size_t)(eq - e) != ke - ks || memcmp(e, t + ks, ke - ks) != 0)
                continue;
            vl = strlen(eq + 1);
            if (vs + vl <= n && memcmp(t + vs, eq + 1, vl) == 0 &&
                (vs + vl == n || blank(t[vs + vl])))
                ve = vs + vl;
        }
        kv->value = bh_arena_strndup(c->a, t + vs, ve - vs);
        if (!kv->key || !kv->value)
            return nomem(c);
        i = skip_blank(t, ve, n);
    }
    in->kvs = kvs;
    in->nkvs = nkv;
    return 0;
}

/* ---- history: one created_by ----------------------------------------------------- */

static const struct {
    const char *kw;
    enum bh_instr_kind kind;
} keywords[] = {
    {"ADD", BH_I_ADD},
    {"ARG", BH_I_ARG},
    {"CMD", BH_I_CMD},
    {"COPY", BH_I_COPY},
    {"ENTRYPOINT", BH_I_ENTRYPOINT},
    {"ENV", BH_I_ENV},
    {"EXPOSE", BH_I_EXPOSE},
    {"HEALTHCHECK", BH_I_HEALTHCHECK},
    {"LABEL", BH_I_LABEL},
    {"MAINTAINER", BH_I_MAINTAINER},
    {"ONBUILD", BH_I_ONBUILD},
    {"RUN", BH_I_RUN},
    {"SHELL", BH_I_SHELL},
    {"STOPSIGNAL", BH_I_STOPSIGNAL},
    {"USER", BH_I_USER},
    {"VOLUME", BH_I_VOLUME},
    {"WORKDIR", BH_I_WORKDIR},
};

/* The instruction keyword at t[i], its length in *kl; BH_I_UNKNOWN when none. */
static enum bh_instr_kind keyword_at(const char *t, size_t n, size_t i, size_t *kl)
{
    size_t e = i, k;

    while (e < n && !blank(t[e]))
        e++;
    for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
        /* builders write keywords in upper case; `env` or `copy` would be a command */
        if (strlen(keywords[k].kw) == e - i && memcmp(t + i, keywords[k].kw, e - i) == 0) {
            *kl = e - i;
            return keywords[k].kind;
        }
    }
    return BH_I_UNKNOWN;
}

/* Remove BuildKit's ` # buildkit` marker from the end of (t, *n). */
static void strip_buildkit(const char *t, size_t *n)
{
    static const char mark[] = "# buildkit";
    size_t e = *n, m = sizeof(mark) - 1;

    while (e > 0 && blank(t[e - 1]))
        e--;
    if (e >= m + 1 && memcmp(t + e - m, mark, m) == 0 && blank(t[e - m - 1])) {
        e -= m;
        while (e > 0 && blank(t[e - 1]))
            e--;
        *n = e;
    }
}

/* `/bin/sh -c ...`, `|2 A=1 /bin/sh -c ...`, `cmd /S /C ...`: a RUN without a keyword. */
static bool looks_like_run(const char *t, size_t n)
{
    static const char *const pre[] = {
        "/bin/sh -c ",     "/bin/bash -c ",           "/bin/ash -c ",
        "/usr/bin/sh -c ", "/bin/sh -o pipefail -c ", "/bin/bash -o pipefail -c ",
        "sh -c "};
    size_t k, l;

    if (n >= 2 && t[0] == '|' && t[1] >= '0' && t[1] <= '9')
        return true;
    for (k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
        l = strlen(pre[k]);
        if (n >= l && memcmp(t, pre[k], l) == 0)
            return true;
    }
    return false;
}

/* Commands of Windows images (cmd.exe, PowerShell): the POSIX tokenizer does not apply. */
static bool windows_run(const char *t, size_t n)
{
    static const char *const pre[] = {"cmd /S /C ",  "cmd /s /c ",      "cmd.exe /S /C ",
                                      "powershell ", "powershell.exe ", "pwsh "};
    size_t k, l;

    for (k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
        l = strlen(pre[k]);
        if (n >= l && memcmp(t, pre[k], l) == 0)
            return true;
    }
    return false;
}

/*
 * `|N K=V ...` before a RUN's command: the build args in effect, recorded by both
 * builders (values unquoted, so a value holding a space cannot be told apart; the
 * tokenizer reads them the same way). They become an ARG instruction placed before the
 * RUN, with the pairs an earlier ARG did not already give the same value, so the
 * rules on ARG values (secrets, insecure settings) see what history stored. *after gets
 * the offset of the command; false when t has no such prefix.
 */
static int build_args(struct ic *c, size_t hn, const char *t, size_t n, size_t base, size_t *after)
{
    struct bh_loc loc = hist_loc(c, hn);
    struct bh_kv *kvs = NULL;
    size_t nkv = 0, cap = 0, i = 1, d, k, rs = 0;
    long long nargs = 0, got;
    struct bh_instr *in;

    *after = 0;
    if (n < 2 || t[0] != '|')
        return 0;
    while (i < n && t[i] >= '0' && t[i] <= '9')
        i++;
    if (i == 1 || i >= n || !blank(t[i]) ||
        bh_parse_int(t + 1, i - 1, 0, BH_MAX_SHELL_WORDS, &nargs) != 0)
        return 0;
    for (got = 0; got < nargs; got++) {
        size_t ks = skip_blank(t, i, n), ke, e;
        const char *h;
        struct bh_kv *kv;

        for (ke = ks; ke < n && t[ke] != '=' && !blank(t[ke]); ke++)
            ;
        if (ke == ks || ke >= n || t[ke] != '=')
            break;
        for (e = ke; e < n && !blank(t[e]); e++)
            ;
        i = e;
        kv = BH_PUSH(c->a, kvs, nkv, cap);
        if (!kv)
            return nomem(c);
        kv->key = bh_arena_strndup(c->a, t + ks, ke - ks);
        kv->value = bh_arena_strndup(c->a, t + ke + 1, e - ke - 1);
        kv->loc = loc;
        kv->loc.col = loc.line > 0 && base + ks < 100000 ? (int)(base + ks + 1) : 0;
        if (!kv->key || !kv->value)
            return nomem(c);
        h = NULL;
        for (d = 0; d < c->bs->ninstrs; d++) {
            const struct bh_instr *a = &c->bs->instrs[d];

            for (k = 0; a->kind == BH_I_ARG && k < a->nkvs; k++) {
                if (strcmp(a->kvs[k].key, kv->key) == 0)
                    h = a->kvs[k].value ? a->kvs[k].value : "";
            }
        }
        if (h && strcmp(h, kv->value) == 0) {
            nkv--; /* declared before with this value: nothing new */
            continue;
        }
        if (!rs)
            rs = ks;
    }
    if (got != nargs)
        return 0; /* not the shape the builders write: leave it all to the tokenizer */
    *after = skip_blank(t, i, n);
    if (nkv == 0)
        return 0;
    in = new_instr(c, BH_I_ARG, NULL, &loc);
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    in->raw = bh_arena_strndup(c->a, t + rs, i - rs);
    in->args = in->raw;
    in->kvs = kvs;
    in->nkvs = nkv;
    return in->raw ? 0 : nomem(c);
}

/*
 * RUN from history: leading `--flag=value` words go to flags, build args to an ARG
 * before it, the rest (prefix included: the tokenizer knows `|N ... /bin/sh -c`) to
 * the tokenizer. Windows commands become BH_I_UNKNOWN.
 */
static int hist_run(struct ic *c, size_t hn, const char *t, size_t n, size_t base)
{
    struct bh_loc loc = hist_loc(c, hn);
    struct bh_flag *flags = NULL;
    size_t nflags = 0, fcap = 0, i = 0, cmd;
    struct bh_instr *in;
    const char *raw;
    int rc;

    strip_buildkit(t, &n);
    while (i + 2 < n && t[i] == '-' && t[i + 1] == '-' && t[i + 2] != ' ') {
        size_t e = i, eq;
        struct bh_flag *f;

        while (e < n && !blank(t[e]))
            e++;
        for (eq = i + 2; eq < e && t[eq] != '='; eq++)
            ;
        f = BH_PUSH(c->a, flags, nflags, fcap);
        if (!f)
            return nomem(c);
        f->name = bh_arena_strndup(c->a, t + i + 2, eq - i - 2);
        f->value = eq < e ? bh_arena_strndup(c->a, t + eq + 1, e - eq - 1) : "";
        f->loc = loc;
        f->loc.col = loc.line > 0 && base + i < 100000 ? (int)(base + i + 1) : 0;
        if (!f->name || !f->value)
            return nomem(c);
        i = skip_blank(t, e, n);
    }
    raw = bh_arena_strndup(c->a, t + i, n - i);
    if (!raw)
        return nomem(c);
    rc = build_args(c, hn, t + i, n - i, base + i, &cmd);
    if (rc)
        return rc;
    if (windows_run(t + i + cmd, n - i - cmd)) {
        in = new_instr(c, BH_I_UNKNOWN, raw, &loc);
        if (in)
            c->main = (long)c->bs->ninstrs - 1;
        return in ? 0 : c->err->code ? c->err->code : nomem(c);
    }
    in = new_instr(c, BH_I_RUN, raw, &loc);
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    c->main = (long)c->bs->ninstrs - 1;
    in->flags = flags;
    in->nflags = nflags;
    return script_of(c, c->bs->ninstrs - 1, raw, base + i < 100000 ? (int)(base + i + 1) : 0);
}

static void pin_loc(struct bh_loc *l, const struct bh_loc *to)
{
    *l = *to;
}

/* Move an instruction parsed out of a one-line Dockerfile onto its history entry. */
static void pin_instr(struct bh_instr *in, const struct bh_loc *loc)
{
    size_t k;

    pin_loc(&in->loc, loc);
    in->stage = 0;
    for (k = 0; k < in->nflags; k++)
        pin_loc(&in->flags[k].loc, loc);
    for (k = 0; k < in->nkvs; k++)
        pin_loc(&in->kvs[k].loc, loc);
    for (k = 0; k < in->nheredocs; k++)
        in->heredocs[k].line = loc->line;
    pin_script(&in->script, loc->line, -1);
    if (in->onbuild)
        pin_instr(in->onbuild, loc);
}

/*
 * Anything else is read as the Dockerfile line it came from (`COPY --from=a /x /y`,
 * `ONBUILD RUN ...`, `CMD ["a", "b"]`, `USER app`) by the Dockerfile reader itself, so
 * flags, forms and ONBUILD triggers follow exactly the Dockerfile conventions. A line
 * it refuses becomes BH_I_UNKNOWN.
 */
static int via_dockerfile(struct ic *c, size_t hn, const char *line, size_t n)
{
    struct bh_loc loc = hist_loc(c, hn);
    struct bh_dockerfile_opts opts;
    struct bh_buildspec one;
    struct bh_instr *in;
    char *doc;
    size_t k;
    int rc;

    doc = bh_arena_printf(c->a, "FROM scratch\n%.*s\n", (int)n, line);
    if (!doc)
        return nomem(c);
    for (k = sizeof("FROM scratch\n") - 1; doc[k]; k++) {
        if (doc[k] == '\n' || doc[k] == '\r')
            doc[k] = ' '; /* one history entry is one instruction */
    }
    doc[strlen(doc) - 1] = '\n';
    memset(&opts, 0, sizeof(opts));
    rc = bh_dockerfile_parse(c->a, c->ref, doc, strlen(doc), &opts, &one, c->err);
    if (rc == BH_EPARSE || (rc == 0 && one.ninstrs != 2)) {
        bh_err_init(c->err);
        in = new_instr(c, BH_I_UNKNOWN, bh_arena_strndup(c->a, line, n), &loc);
        return in ? 0 : c->err->code ? c->err->code : nomem(c);
    }
    if (rc)
        return rc;
    in = new_instr(c, one.instrs[1].kind, NULL, &loc);
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    *in = one.instrs[1];
    pin_instr(in, &loc);
    return 0;
}

/* HEALTHCHECK &{["CMD-SHELL" "x"] "30s" "3s" "0s" "0s" '\x03'} (Go's %q of the struct). */
static int hist_health(struct ic *c, size_t hn, const char *t, size_t n, bool *done)
{
    static const char *const names[] = {"interval", "timeout", "start-period", "start-interval"};
    struct bh_loc loc = hist_loc(c, hn);
    struct bh_flag *flags = NULL;
    size_t nflags = 0, fcap = 0, i = skip_blank(t, 0, n), ndur = 0;
    struct strv test;
    struct bh_buf b;
    bool ok, made;
    int rc;

    *done = false;
    if (n - i < 2 || t[i] != '&' || t[i + 1] != '{')
        return 0;
    i += 2;
    rc = go_qlist(c, t, n, &i, &test, &ok);
    if (rc || !ok)
        return rc;
    bh_buf_init(&b, BH_MAX_JSON_INPUT);
    for (;;) {
        struct bh_flag *f;
        bool rune;

        i = skip_blank(t, i, n);
        if (i >= n || t[i] == '}')
            break;
        rune = t[i] == '\'';
        if (!go_unquote(t, n, &i, &b))
            break;
        f = BH_PUSH(c->a, flags, nflags, fcap);
        if (!f) {
            bh_buf_release(&b);
            return nomem(c);
        }
        if (rune) {
            f->name = "retries";
            f->value = bh_arena_printf(c->a, "%u", b.len ? (unsigned)(unsigned char)b.ptr[0] : 0u);
        } else {
            f->name = ndur < 4 ? names[ndur] : "unknown";
            f->value = bh_arena_strndup(c->a, b.ptr ? b.ptr : "", b.len);
            ndur++;
        }
        f->loc = loc;
        if (!f->value) {
            bh_buf_release(&b);
            return nomem(c);
        }
        /* zero is the engine's default, as an absent field in the config */
        if (strcmp(f->value, "0s") == 0 || strcmp(f->value, "0") == 0)
            nflags--;
    }
    bh_buf_release(&b);
    rc = add_health(c, &test, flags, nflags, &loc, &made);
    *done = rc == 0 && made;
    return rc;
}

/* COPY/ADD of the classic builder: `file:<hash> in /dst` (the source's content hash). */
static const char *drop_in(struct ic *c, const char *t, size_t n)
{
    size_t e = n, p;

    while (e > 0 && blank(t[e - 1]))
        e--;
    /* the last " in " before the destination word */
    for (p = e; p > 0 && !blank(t[p - 1]); p--)
        ;
    if (p >= 4 && memcmp(t + p - 4, " in ", 4) == 0)
        return bh_arena_printf(c->a, "%.*s %.*s", (int)(p - 4), t, (int)(e - p), t + p);
    return bh_arena_strndup(c->a, t, e);
}

/* One instruction line (after `#(nop)`, or BuildKit's own text): keyword at t[0]. */
static int hist_line(struct ic *c, size_t hn, const char *t, size_t n, size_t base,
                     const struct strv *env)
{
    struct bh_loc loc = hist_loc(c, hn);
    size_t kl = 0, r;
    enum bh_instr_kind kind = keyword_at(t, n, 0, &kl);
    const char *rest, *kw;
    struct strv list;
    bool ok, done;
    int rc;

    if (kind == BH_I_UNKNOWN) {
        struct bh_instr *in = new_instr(c, BH_I_UNKNOWN, bh_arena_strndup(c->a, t, n), &loc);

        return in ? 0 : c->err->code ? c->err->code : nomem(c);
    }
    r = skip_blank(t, kl, n);
    rest = t + r;
    n -= r;
    base += r;
    kw = bh_instr_kind_name(kind);
    switch (kind) {
    case BH_I_RUN:
        return hist_run(c, hn, rest, n, base);
    case BH_I_ENV:
    case BH_I_LABEL:
    case BH_I_ARG: {
        struct bh_instr *in = new_instr(c, kind, bh_arena_strndup(c->a, rest, n), &loc);

        if (!in)
            return c->err->code ? c->err->code : nomem(c);
        return split_pairs(c, c->bs->ninstrs - 1, rest, n, base, kind == BH_I_ENV ? env : NULL);
    }
    case BH_I_CMD:
    case BH_I_ENTRYPOINT: {
        size_t i = 0;

        rc = go_qlist(c, rest, n, &i, &list, &ok);
        if (rc)
            return rc;
        if (ok && skip_blank(rest, i, n) == n)
            return add_exec(c, kind, &list, &loc, NULL);
        break;
    }
    case BH_I_HEALTHCHECK:
        rc = hist_health(c, hn, rest, n, &done);
        if (rc || done)
            return rc;
        break;
    case BH_I_SHELL:
    case BH_I_VOLUME:
    case BH_I_EXPOSE:
    case BH_I_USER:
    case BH_I_WORKDIR:
    case BH_I_STOPSIGNAL:
        rc = go_vlist(c, rest, n, &list, &ok);
        if (rc)
            return rc;
        if (!ok || (list.n == 0 && kind != BH_I_SHELL))
            break;
        if (kind == BH_I_SHELL)
            return add_exec(c, kind, &list, &loc, NULL);
        if (kind == BH_I_USER || kind == BH_I_WORKDIR || kind == BH_I_STOPSIGNAL) {
            const char *one = join_words(c, list.v, list.n);

            return one ? add_word(c, kind, one, &loc) : nomem(c);
        }
        return add_words(c, kind, &list, &loc);
    case BH_I_COPY:
    case BH_I_ADD: {
        const char *fixed;

        strip_buildkit(rest, &n);
        fixed = drop_in(c, rest, n);
        if (!fixed)
            return nomem(c);
        rest = fixed;
        n = strlen(fixed);
        break;
    }
    default:
        break;
    }
    return via_dockerfile(c, hn, bh_arena_printf(c->a, "%s %.*s", kw, (int)n, rest),
                          strlen(kw) + 1 + n);
}

/* The `/bin/sh -c #(nop) ` prefix of the classic builder: offset of the text after it. */
static bool nop_prefix(const char *t, size_t n, size_t *after)
{
    const char *p = n >= 6 ? memmem(t, n, "#(nop)", 6) : NULL;
    size_t i, e;

    if (!p)
        return false;
    /* only `<shell> -c` may come before it */
    i = skip_blank(t, 0, n);
    for (e = i; e < (size_t)(p - t) && !blank(t[e]); e++)
        ;
    if (e == i)
        return false;
    i = skip_blank(t, e, n);
    if ((size_t)(p - t) != i + 3 || memcmp(t + i, "-c", 2) != 0 || !blank(t[i + 2]))
        return false;
    *after = skip_blank(t, (size_t)(p - t) + 6, n);
    return true;
}

static int hist_entry(struct ic *c, size_t hn, const char *t, const struct strv *env)
{
    size_t n = strlen(t), i = skip_blank(t, 0, n), kl, after;
    struct bh_instr *in;

    if (i >= n)
        return 0; /* no created_by: nothing to rebuild */
    if (nop_prefix(t, n, &after))
        return hist_line(c, hn, t + after, n - after, after, env);
    if (keyword_at(t, n, i, &kl) != BH_I_UNKNOWN && (i + kl == n || t[i + kl] == ' '))
        return hist_line(c, hn, t + i, n - i, i, env);
    if (looks_like_run(t + i, n - i))
        return hist_run(c, hn, t + i, n - i, i);
    {
        struct bh_loc loc = hist_loc(c, hn);

        in = new_instr(c, BH_I_UNKNOWN, t, &loc);
    }
    return in ? 0 : c->err->code ? c->err->code : nomem(c);
}

/* ---- the config's final state ------------------------------------------------------ */

static const struct bh_instr *last_of(const struct bh_buildspec *bs, enum bh_instr_kind k)
{
    size_t i;

    for (i = bs->ninstrs; i-- > 0;) {
        if (bs->instrs[i].kind == k)
            return &bs->instrs[i];
    }
    return NULL;
}

/* The last value history gave key through ENV (or LABEL), or NULL. */
static const char *hist_value(const struct bh_buildspec *bs, enum bh_instr_kind k, const char *key)
{
    const char *v = NULL;
    size_t i, j;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        if (in->kind != k)
            continue;
        for (j = 0; j < in->nkvs; j++) {
            if (in->kvs[j].key && strcmp(in->kvs[j].key, key) == 0)
                v = in->kvs[j].value;
        }
    }
    return v;
}

/* Ports and volumes history already declared (ports compared with the default /tcp). */
static bool hist_has_word(struct ic *c, enum bh_instr_kind k, const char *w)
{
    const struct bh_buildspec *bs = c->bs;
    size_t i, j;

    for (i = 0; i < bs->ninstrs; i++) {
        const struct bh_instr *in = &bs->instrs[i];

        for (j = 0; in->kind == k && j < in->argc; j++) {
            const char *h = in->argv[j];

            if (strcmp(h, w) == 0)
                return true;
            if (k == BH_I_EXPOSE && !strchr(h, '/') && bh_str_suffix(w, "/tcp") &&
                strlen(w) == strlen(h) + 4 && strncmp(w, h, strlen(h)) == 0)
                return true;
        }
    }
    return false;
}

/* history's WORKDIR lines resolved the way the builder does, or NULL when none. */
static const char *hist_workdir(struct ic *c)
{
    const char *wd = NULL;
    size_t i;

    for (i = 0; i < c->bs->ninstrs; i++) {
        const struct bh_instr *in = &c->bs->instrs[i];

        if (in->kind != BH_I_WORKDIR || in->argc < 1)
            continue;
        if (in->argv[0][0] == '/' || !wd)
            wd = in->argv[0];
        else
            wd =
                bh_arena_printf(c->a, "%s%s%s", wd, bh_str_suffix(wd, "/") ? "" : "/", in->argv[0]);
        if (!wd)
            return NULL;
    }
    return wd;
}

/* Does a history CMD/ENTRYPOINT say what the config's list says? */
static bool same_command(const struct bh_instr *in, const struct strv *v)
{
    if (!in)
        return v->n == 0;
    if (in->json_form)
        return argv_eq(in->argv, in->argc, v->v, v->n);
    /* shell form written as text (kaniko): the config holds ["/bin/sh", "-c", text] */
    return v->n == 3 && exec_script_index(v->v, v->n) == 2 && strcmp(in->raw, v->v[2]) == 0;
}

static int final_env(struct ic *c, const struct strv *env)
{
    struct bh_kv *kvs = NULL;
    size_t n = 0, cap = 0, i;
    struct bh_loc loc = cfg_loc(c, "Env");
    struct bh_buf raw;
    struct bh_instr *in;
    const char *r;

    bh_buf_init(&raw, BH_MAX_JSON_INPUT);
    for (i = 0; i < env->n; i++) {
        const char *e = env->v[i], *eq = strchr(e, '=');
        const char *key = eq ? bh_arena_strndup(c->a, e, (size_t)(eq - e)) : e;
        const char *val = eq ? eq + 1 : "", *h;
        struct bh_kv *kv;

        if (!key)
            goto nomem;
        h = hist_value(c->bs, BH_I_ENV, key);
        if (h && strcmp(h, val) == 0)
            continue;
        kv = BH_PUSH(c->a, kvs, n, cap);
        if (!kv)
            goto nomem;
        kv->key = key;
        kv->value = val;
        kv->loc = loc;
        kv->loc.path = bh_arena_printf(c->a, "%s.Env[%zu]", c->cfgname, i);
        if (!kv->loc.path)
            goto nomem;
        bh_buf_printf(&raw, "%s%s", n > 1 ? " " : "", e);
    }
    if (n == 0) {
        bh_buf_release(&raw);
        return 0;
    }
    r = raw.failed ? NULL : bh_arena_strndup(c->a, raw.ptr, raw.len);
    bh_buf_release(&raw);
    in = r ? new_instr(c, BH_I_ENV, r, &loc) : NULL;
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    in->kvs = kvs;
    in->nkvs = n;
    return 0;
nomem:
    bh_buf_release(&raw);
    return nomem(c);
}

static int final_labels(struct ic *c, struct bh_imgmeta *meta)
{
    const struct bh_jnode *v = bh_json_get(c->cfg, "Labels");
    struct bh_kv *all, *kvs = NULL;
    size_t n = 0, cap = 0, i;
    struct bh_loc loc = cfg_loc(c, "Labels");
    const char *p = loc.path;
    struct bh_instr *in;

    if (!p)
        return nomem(c);
    if (bh_json_is_null(v))
        return 0;
    if (v->type != BH_J_OBJECT)
        return bad_type(c, p, "an object", v);
    all = bh_arena_calloc(c->a, v->n ? v->n : 1, sizeof(*all));
    if (!all)
        return nomem(c);
    for (i = 0; i < v->n; i++) {
        const struct bh_jpair *pr = &v->pairs[i];
        const char *q = bh_arena_printf(c->a, "%s.%s", p, pr->key), *h;
        struct bh_kv *kv;

        if (!q)
            return nomem(c);
        if (strlen(pr->key) != pr->keylen)
            return bh_err_set(c->err, BH_EPARSE, c->ref, 0, 0, "%s: key holds a NUL byte", p);
        if (pr->value.type != BH_J_STRING || strlen(pr->value.str) != pr->value.len) {
            q = bh_arena_printf(c->a, "%s.%s", p, shown(c, pr->key));
            return q ? check_str(c, q, &pr->value) : nomem(c);
        }
        all[i].key = pr->key;
        all[i].value = pr->value.str;
        all[i].loc = loc;
        all[i].loc.path = q;
        h = hist_value(c->bs, BH_I_LABEL, pr->key);
        if (h && strcmp(h, pr->value.str) == 0)
            continue;
        kv = BH_PUSH(c->a, kvs, n, cap);
        if (!kv)
            return nomem(c);
        *kv = all[i];
    }
    if (meta) {
        meta->labels = all;
        meta->nlabels = v->n;
    }
    if (n == 0)
        return 0;
    {
        struct bh_buf raw;
        const char *r;

        bh_buf_init(&raw, BH_MAX_JSON_INPUT);
        for (i = 0; i < n; i++)
            bh_buf_printf(&raw, "%s%s=\"%s\"", i ? " " : "", kvs[i].key, kvs[i].value);
        r = raw.failed ? NULL : bh_arena_strndup(c->a, raw.ptr, raw.len);
        bh_buf_release(&raw);
        in = r ? new_instr(c, BH_I_LABEL, r, &loc) : NULL;
    }
    if (!in)
        return c->err->code ? c->err->code : nomem(c);
    in->kvs = kvs;
    in->nkvs = n;
    return 0;
}

static int ns_duration(struct ic *c, const struct bh_jnode *hc, const char *key, const char *name,
                       struct bh_flag **flags, size_t *n, size_t *cap, const struct bh_loc *loc)
{
    const struct bh_jnode *v = bh_json_get(hc, key);
    struct bh_flag *f;
    long long ns;

    if (!bh_json_int(v, &ns) || ns <= 0)
        return 0; /* zero or absent: the engine's default */
    f = BH_PUSH(c->a, *flags, *n, *cap);
    if (!f)
        return nomem(c);
    f->name = name;
    if (strcmp(name, "retries") == 0)
        f->value = bh_arena_printf(c->a, "%lld", ns);
    else if (ns % 1000000000LL == 0)
        f->value = bh_arena_printf(c->a, "%llds", ns / 1000000000LL);
    else
        f->value = bh_arena_printf(c->a, "%lldms", ns / 1000000LL);
    f->loc = *loc;
    return f->value ? 0 : nomem(c);
}

static int final_health(struct ic *c)
{
    const struct bh_jnode *hc = bh_json_get(c->cfg, "Healthcheck");
    const struct bh_instr *h = last_of(c->bs, BH_I_HEALTHCHECK);
    struct bh_loc loc = cfg_loc(c, "Healthcheck");
    struct bh_flag *flags = NULL;
    size_t nflags = 0, fcap = 0;
    struct strv test;
    bool present, made, same;
    int rc;

    if (!loc.path)
        return nomem(c);
    if (bh_json_is_null(hc))
        return 0;
    if (hc->type != BH_J_OBJECT)
        return bad_type(c, loc.path, "an object", hc);
    rc = get_strlist(c, hc, loc.path, "Test", false, &test, &present);
    if (rc || !present || test.n == 0)
        return rc;
    if (h) {
        if (strcmp(test.v[0], "NONE") == 0)
            same = h->healthcheck_none;
        else if (strcmp(test.v[0], "CMD") == 0)
            same = h->json_form && argv_eq(h->argv, h->argc, test.v + 1, test.n - 1);
        else
            same = !h->json_form && !h->healthcheck_none && test.n >= 2 && h->script.text &&
                   strcmp(h->script.text, test.v[1]) == 0;
        if (same)
            return 0;
    }
    rc = ns_duration(c, hc, "Interval", "interval", &flags, &nflags, &fcap, &loc);
    if (!rc)
        rc = ns_duration(c, hc, "Timeout", "timeout", &flags, &nflags, &fcap, &loc);
    if (!rc)
        rc = ns_duration(c, hc, "StartPeriod", "start-period", &flags, &nflags, &fcap, &loc);
    if (!rc)
        rc = ns_duration(c, hc, "StartInterval", "start-interval", &flags, &nflags, &fcap, &loc);
    if (!rc)
        rc = ns_duration(c, hc, "Retries", "retries", &flags, &nflags, &fcap, &loc);
    if (!rc)
        rc = add_health(c, &test, flags, nflags, &loc, &made);
    return rc;
}

/* CMD or ENTRYPOINT: the config's list, when history's last one says otherwise. */
static int final_command(struct ic *c, enum bh_instr_kind kind, const char *field)
{
    const struct bh_instr *h = last_of(c->bs, kind);
    struct bh_loc loc = cfg_loc(c, field);
    struct strv v;
    bool present;
    int rc;

    if (!loc.path)
        return nomem(c);
    rc = get_strlist(c, c->cfg, c->cfgname, field, true, &v, &present);
    if (rc)
        return rc;
    /*
     * The legacy container_config describes the container that built the last step:
     * a `/bin/sh -c #(nop) ...` command there is that step, not what the image runs.
     */
    if (present && c->cfg && strcmp(c->cfgname, "container_config") == 0 &&
        exec_script_index(v.v, v.n) == 2 && strncmp(v.v[2], "#(nop)", 6) == 0)
        return 0;
    if (!present && !h)
        return 0;
    /* an absent list after a history one: ENTRYPOINT reset CMD; say so with an empty form */
    if (same_command(h, &v) && (present || !h || h->argc == 0))
        return 0;
    return add_exec(c, kind, &v, &loc, NULL);
}

static int final_words(struct ic *c, enum bh_instr_kind kind, const char *field)
{
    struct bh_loc loc = cfg_loc(c, field);
    struct strv keys, want;
    size_t i;
    int rc;

    if (!loc.path)
        return nomem(c);
    rc = get_keys(c, c->cfg, c->cfgname, field, &keys);
    if (rc)
        return rc;
    memset(&want, 0, sizeof(want));
    for (i = 0; i < keys.n; i++) {
        if (!hist_has_word(c, kind, keys.v[i]) && !strv_has(&want, keys.v[i]) &&
            push_str(c, &want, keys.v[i]))
            return c->err->code;
    }
    return want.n ? add_words(c, kind, &want, &loc) : 0;
}

static int final_one(struct ic *c, enum bh_instr_kind kind, const char *field, const char *have)
{
    struct bh_loc loc = cfg_loc(c, field);
    const char *v;
    int rc;

    if (!loc.path)
        return nomem(c);
    rc = get_str(c, c->cfg, c->cfgname, field, &v);
    if (rc || !v || !*v || (have && strcmp(have, v) == 0))
        return rc;
    return add_word(c, kind, v, &loc);
}

static int final_user(struct ic *c)
{
    const struct bh_instr *h = last_of(c->bs, BH_I_USER);
    const char *have = h && h->argc > 0 ? h->argv[0] : NULL;
    struct bh_loc loc = cfg_loc(c, "User");
    const char *v;
    int rc;

    if (!loc.path)
        return nomem(c);
    rc = get_str(c, c->cfg, c->cfgname, "User", &v);
    if (rc)
        return rc;
    if (v && *v)
        return have && strcmp(have, v) == 0 ? 0 : add_word(c, BH_I_USER, v, &loc);
    /*
     * An empty User runs as the engine's default, root. Say so only when history left a
     * different USER behind; otherwise no USER at all is the truth.
     */
    if (have && strcmp(have, "root") != 0 && strcmp(have, "0") != 0)
        return add_word(c, BH_I_USER, "root", &loc);
    return 0;
}

static int final_shell(struct ic *c)
{
    const struct bh_instr *h = last_of(c->bs, BH_I_SHELL);
    struct bh_loc loc = cfg_loc(c, "Shell");
    struct strv v;
    bool present;
    int rc;

    if (!loc.path)
        return nomem(c);
    rc = get_strlist(c, c->cfg, c->cfgname, "Shell", false, &v, &present);
    if (rc || !present || v.n == 0 || (h && argv_eq(h->argv, h->argc, v.v, v.n)))
        return rc;
    return add_exec(c, BH_I_SHELL, &v, &loc, NULL);
}

static int final_onbuild(struct ic *c)
{
    struct strv v;
    bool present;
    size_t i, k;
    int rc;

    rc = get_strlist(c, c->cfg, c->cfgname, "OnBuild", false, &v, &present);
    for (i = 0; !rc && i < v.n; i++) {
        bool seen = false;
        size_t at;

        for (k = 0; k < c->bs->ninstrs && !seen; k++) {
            const struct bh_instr *in = &c->bs->instrs[k];

            seen = in->kind == BH_I_ONBUILD && in->raw && strcmp(in->raw, v.v[i]) == 0;
        }
        if (seen)
            continue;
        at = c->bs->ninstrs;
        rc = via_dockerfile(c, 0, bh_arena_printf(c->a, "ONBUILD %s", v.v[i]), strlen(v.v[i]) + 8);
        if (!rc && c->bs->ninstrs > at) {
            struct bh_loc loc = cfg_loc(c, "OnBuild");

            loc.path = bh_arena_printf(c->a, "%s.OnBuild[%zu]", c->cfgname, i);
            if (!loc.path)
                return nomem(c);
            pin_instr(&c->bs->instrs[at], &loc);
        }
    }
    return rc;
}

static int final_state(struct ic *c, const struct strv *env, struct bh_imgmeta *meta)
{
    int rc;

    if (!c->cfg)
        return 0;
    rc = final_one(c, BH_I_WORKDIR, "WorkingDir", hist_workdir(c));
    if (!rc)
        rc = final_env(c, env);
    if (!rc)
        rc = final_labels(c, meta);
    if (!rc)
        rc = final_words(c, BH_I_EXPOSE, "ExposedPorts");
    if (!rc)
        rc = final_words(c, BH_I_VOLUME, "Volumes");
    if (!rc)
        rc = final_shell(c);
    if (!rc) {
        const struct bh_instr *h = last_of(c->bs, BH_I_STOPSIGNAL);

        rc = final_one(c, BH_I_STOPSIGNAL, "StopSignal", h && h->argc ? h->argv[0] : NULL);
    }
    if (!rc)
        rc = final_onbuild(c);
    if (!rc)
        rc = final_health(c);
    if (!rc)
        rc = final_user(c);
    if (!rc)
        rc = final_command(c, BH_I_ENTRYPOINT, "Entrypoint");
    if (!rc)
        rc = final_command(c, BH_I_CMD, "Cmd");
    return rc;
}

/* ---- metadata ----------------------------------------------------------------------- */

static int read_rootfs(struct ic *c, const struct bh_jnode *root, struct bh_imgmeta *meta)
{
    const struct bh_jnode *rf = bh_json_get(root, "rootfs");
    struct strv ids;
    bool present;
    size_t i;
    int rc;

    if (bh_json_is_null(rf))
        return 0;
    if (rf->type != BH_J_OBJECT)
        return bad_type(c, "rootfs", "an object", rf);
    rc = get_str(c, rf, "rootfs", "type", &meta->rootfs_type);
    if (!rc) {
        const struct bh_jnode *d = bh_json_get(rf, "diff_ids");

        if (bh_json_is_array(d) && d->n > BH_MAX_IMAGE_LAYERS)
            return bh_err_set(c->err, BH_ELIMIT, c->ref, 0, 0,
                              "rootfs.diff_ids: more than %u layers (BH_MAX_IMAGE_LAYERS)",
                              (unsigned)BH_MAX_IMAGE_LAYERS);
        rc = get_strlist(c, rf, "rootfs", "diff_ids", false, &ids, &present);
    }
    if (rc)
        return rc;
    for (i = 0; i < ids.n; i++) {
        if (!bh_manifest_digest_valid(ids.v[i]))
            return bh_err_set(c->err, BH_EPARSE, c->ref, 0, 0,
                              "rootfs.diff_ids[%zu]: not a digest (sha256: or sha512: and hex)", i);
    }
    meta->diff_ids = ids.v;
    meta->ndiff_ids = ids.n;
    return 0;
}

static int read_history(struct ic *c, const struct bh_jnode *root, struct bh_imgmeta *meta)
{
    const struct bh_jnode *h = bh_json_get(root, "history");
    size_t i, layer = 0;
    int rc;

    if (bh_json_is_null(h))
        return 0;
    if (h->type != BH_J_ARRAY)
        return bad_type(c, "history", "an array", h);
    if (h->n > BH_MAX_IMAGE_HISTORY)
        return bh_err_set(c->err, BH_ELIMIT, c->ref, 0, 0,
                          "history: more than %u entries (BH_MAX_IMAGE_HISTORY)",
                          (unsigned)BH_MAX_IMAGE_HISTORY);
    meta->history = bh_arena_calloc(c->a, h->n ? h->n : 1, sizeof(*meta->history));
    if (!meta->history)
        return nomem(c);
    for (i = 0; i < h->n; i++) {
        const struct bh_jnode *e = &h->items[i], *el;
        struct bh_imghist *m = &meta->history[i];
        char p[48];

        snprintf(p, sizeof(p), "history[%zu]", i);
        if (e->type != BH_J_OBJECT)
            return bad_type(c, p, "an object", e);
        rc = get_str(c, e, p, "created", &m->created);
        if (!rc)
            rc = get_str(c, e, p, "created_by", &m->created_by);
        if (!rc)
            rc = get_str(c, e, p, "comment", &m->comment);
        if (!rc)
            rc = get_str(c, e, p, "author", &m->author);
        if (rc)
            return rc;
        el = bh_json_get(e, "empty_layer");
        if (!bh_json_is_null(el) && !bh_json_bool(el, &m->empty_layer)) {
            char q[64];

            snprintf(q, sizeof(q), "%s.empty_layer", p);
            return bad_type(c, q, "a boolean", el);
        }
        m->layer = m->empty_layer ? -1 : (int)layer;
        if (!m->empty_layer)
            layer++;
        if (m->layer >= 0 && (size_t)m->layer >= meta->ndiff_ids)
            m->layer = -1;
        m->instr = -1;
    }
    meta->nhistory = h->n;
    meta->history_layers_mismatch = layer != meta->ndiff_ids;
    return 0;
}

static int read_meta(struct ic *c, const struct bh_jnode *root, struct bh_imgmeta *meta)
{
    int rc = get_str(c, root, "", "created", &meta->created);

    if (!rc)
        rc = get_str(c, root, "", "os", &meta->os);
    if (!rc)
        rc = get_str(c, root, "", "architecture", &meta->architecture);
    if (!rc)
        rc = get_str(c, root, "", "variant", &meta->variant);
    if (!rc)
        rc = get_str(c, root, "", "os.version", &meta->os_version);
    if (!rc)
        rc = get_str(c, root, "", "author", &meta->author);
    if (!rc)
        rc = get_str(c, root, "", "docker_version", &meta->docker_version);
    if (!rc)
        rc = read_rootfs(c, root, meta);
    if (!rc)
        rc = read_history(c, root, meta);
    return rc;
}

int bh_imgconfig_parse(struct bh_arena *a, const char *ref, const char *json, size_t len,
                       struct bh_buildspec *out, struct bh_imgmeta *meta, struct bh_err *err)
{
    struct ic c;
    struct bh_imgmeta local;
    struct bh_jnode *root;
    struct bh_stage *st;
    struct strv env;
    const struct bh_instr *u;
    bool present;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    out->origin = BH_BS_IMAGE;
    out->escape = '\\';
    out->final_stage = -1;
    if (!meta)
        meta = &local;
    memset(meta, 0, sizeof(*meta));
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.ref = bh_arena_strdup(a, ref ? ref : "");
    c.err = err;
    c.bs = out;
    if (!c.ref)
        return nomem(&c);
    out->file = c.ref;
    rc = bh_json_parse(a, c.ref, json, len, &root, err);
    if (rc)
        return rc;
    if (root->type != BH_J_OBJECT)
        return bad_type(&c, "(root)", "an object (an image config)", root);
    c.cfgname = "config";
    c.cfg = bh_json_get(root, "config");
    if (bh_json_is_null(c.cfg) && !bh_json_is_null(bh_json_get(root, "container_config"))) {
        c.cfgname = "container_config";
        c.cfg = bh_json_get(root, "container_config");
        meta->legacy_container_config = true;
    }
    if (bh_json_is_null(c.cfg))
        c.cfg = NULL;
    else if (c.cfg->type != BH_J_OBJECT)
        return bad_type(&c, c.cfgname, "an object", c.cfg);
    rc = read_meta(&c, root, meta);
    if (!rc)
        rc = get_strlist(&c, c.cfg, c.cfgname, "Env", false, &env, &present);
    if (rc)
        return rc;
    st = BH_PUSH(a, out->stages, out->nstages, out->stages_cap);
    if (!st)
        return nomem(&c);
    st->index = 0;
    st->base_stage = -1;
    st->loc.file = c.ref;
    st->loc.path = c.cfgname;
    out->final_stage = 0;
    for (i = 0; i < meta->nhistory; i++) {
        size_t before = out->ninstrs;

        if (!meta->history[i].created_by)
            continue;
        c.main = -1;
        rc = hist_entry(&c, i, meta->history[i].created_by, &env);
        if (rc)
            return rc;
        if (out->ninstrs > before)
            meta->history[i].instr = c.main >= 0 ? (int)c.main : (int)before;
    }
    rc = final_state(&c, &env, meta);
    if (rc)
        return rc;
    st = &out->stages[0];
    st->first_instr = 0;
    st->ninstrs = out->ninstrs;
    u = last_of(out, BH_I_USER);
    if (u && u->argc > 0) {
        st->user = u->argv[0];
        st->user_loc = u->loc;
    }
    return 0;
}
