/*
 * compose.c - the Compose reader: one struct bh_runspec per service of a
 * compose-spec (v2/v3) file, read through input/yaml.c with the YAML 1.2
 * schema, `${VAR}` interpolation from the caller's environment, same-file
 * `extends`, both short and long syntaxes. It opens no other file (env_file,
 * other-file extends) and judges nothing. Design notes: docs/internals/compose.md.
 */
#include "input/compose.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/comments.h"
#include "input/yaml.h"
#include "model/norm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct cctx {
    struct bh_arena *a;
    const char *file;
    const char *dir; /* the compose file's directory, "" when the name has none */
    bool dir_abs;
    const struct bh_compose_opts *opts;
    struct bh_err *err;
    const struct bh_ynode *services; /* top-level `services` (a map) */
    const struct bh_ynode *volumes;  /* top-level `volumes` or NULL */
    /* services being filled through `extends`, innermost last, to refuse cycles */
    const struct bh_ynode *chain[BH_MAX_COMPOSE_EXTENDS + 1];
    unsigned nchain;
};

/* An arena string builder for interpolation results; NULL p with check_only. */
struct sb {
    char *p;
    size_t n, cap;
    bool check_only;
};

static int oom(struct cctx *c)
{
    return bh_err_set(c->err, BH_ENOMEM, c->file, 0, 0, "out of memory");
}

static int perr(struct cctx *c, const struct bh_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(struct cctx *c, const struct bh_ynode *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (c->a->failed) /* a helper that ran out of memory looks like a bad value */
        return oom(c);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return bh_err_set(c->err, BH_EPARSE, c->file, at ? at->line : 0, at ? at->col : 0, "%s", msg);
}

static struct bh_loc mkloc(const struct cctx *c, const struct bh_ynode *n, const char *path)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = c->file;
    l.line = n->line;
    l.col = n->col;
    l.end_line = n->end_line;
    l.end_col = n->end_col;
    l.path = path;
    return l;
}

static bool has_tag(const struct bh_ynode *n, const char *tag)
{
    return n && n->tag && !strcmp(n->tag, tag);
}

/* ---- interpolation ------------------------------------------------------------------------ */

static int sb_add(struct cctx *c, const struct bh_ynode *at, struct sb *b, const char *s, size_t n)
{
    if (b->check_only || n == 0)
        return 0;
    if (b->n + n > BH_MAX_SUBST_VALUE)
        return bh_err_set(c->err, BH_ELIMIT, c->file, at->line, at->col,
                          "interpolated value longer than BH_MAX_SUBST_VALUE (%u bytes)",
                          (unsigned)BH_MAX_SUBST_VALUE);
    if (b->n + n + 1 > b->cap) {
        char *p = bh_arena_grow(c->a, b->p, &b->cap, b->n + n + 1 + b->cap, 1);

        if (!p)
            return oom(c);
        b->p = p;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static bool name_start(char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool name_char(char ch)
{
    return name_start(ch) || (ch >= '0' && ch <= '9');
}

/* The value of NAME in the caller's environment (later entries win), or NULL when unset. */
static const char *env_lookup(const struct cctx *c, const char *name, size_t len)
{
    size_t i;

    if (!c->opts || !c->opts->env)
        return NULL;
    for (i = c->opts->nenv; i-- > 0;) {
        const char *e = c->opts->env[i];

        if (e && !strncmp(e, name, len) && e[len] == '=')
            return e + len + 1;
    }
    return NULL;
}

static int interp(struct cctx *c, const struct bh_ynode *at, const char *s, size_t len,
                  unsigned depth, struct sb *out);

/* The `${...}` at s[0] (s[0] == '$', s[1] == '{'); *used gets its length. */
static int interp_braced(struct cctx *c, const struct bh_ynode *at, const char *s, size_t len,
                         unsigned depth, struct sb *out, size_t *used)
{
    size_t j = 2, nlen, arg, close, nest = 0;
    const char *name = s + 2, *val;
    char op = 0;
    bool colon = false, empty;

    while (j < len && name_char(s[j]))
        j++;
    nlen = j - 2;
    if (j >= len)
        return perr(c, at, "unterminated '${' in '%.*s'", (int)(len > 80 ? 80 : len), s);
    if (nlen == 0 || !name_start(name[0]))
        return perr(c, at, "invalid interpolation format for '%.*s'", (int)(len > 80 ? 80 : len),
                    s);
    if (s[j] == '}') {
        val = env_lookup(c, name, nlen);
        *used = j + 1;
        return val ? sb_add(c, at, out, val, strlen(val)) : 0;
    }
    if (s[j] == ':') {
        colon = true;
        j++;
    }
    if (j < len && (s[j] == '-' || s[j] == '?' || s[j] == '+'))
        op = s[j++];
    if (!op)
        return perr(c, at, "invalid interpolation format for '%.*s'", (int)(len > 80 ? 80 : len),
                    s);
    /* the argument may hold nested `${...}`: find the brace that closes ours */
    arg = j;
    for (close = j; close < len; close++) {
        if (s[close] == '$' && close + 1 < len && s[close + 1] == '$') {
            close++;
        } else if (s[close] == '$' && close + 1 < len && s[close + 1] == '{') {
            nest++;
            close++;
        } else if (s[close] == '}') {
            if (nest == 0)
                break;
            nest--;
        }
    }
    if (close >= len)
        return perr(c, at, "unterminated '${' in '%.*s'", (int)(len > 80 ? 80 : len), s);
    *used = close + 1;
    val = env_lookup(c, name, nlen);
    empty = !val || (colon && !*val);
    if (op == '-')
        return empty ? interp(c, at, s + arg, close - arg, depth + 1, out)
                     : sb_add(c, at, out, val, strlen(val));
    if (op == '+')
        return empty ? 0 : interp(c, at, s + arg, close - arg, depth + 1, out);
    if (empty)
        return perr(c, at, "required variable '%.*s' is missing a value%s%.*s", (int)nlen, name,
                    close > arg ? ": " : "", (int)(close - arg), s + arg);
    return sb_add(c, at, out, val, strlen(val));
}

/* Compose's `$` syntax over (s, len) into out; errors name the node `at`. */
static int interp(struct cctx *c, const struct bh_ynode *at, const char *s, size_t len,
                  unsigned depth, struct sb *out)
{
    size_t i = 0, run = 0;
    int rc;

    if (depth > BH_MAX_SUBST_DEPTH)
        return bh_err_set(c->err, BH_ELIMIT, c->file, at->line, at->col,
                          "interpolation nested deeper than BH_MAX_SUBST_DEPTH (%u)",
                          (unsigned)BH_MAX_SUBST_DEPTH);
    while (i < len) {
        size_t used = 0;

        if (s[i] != '$' || i + 1 >= len ||
            (s[i + 1] != '$' && s[i + 1] != '{' && !name_start(s[i + 1]))) {
            i++; /* a lone `$` stays as written */
            continue;
        }
        if ((rc = sb_add(c, at, out, s + run, i - run)))
            return rc;
        if (s[i + 1] == '$') {
            if ((rc = sb_add(c, at, out, "$", 1)))
                return rc;
            used = 2;
        } else if (s[i + 1] == '{') {
            if ((rc = interp_braced(c, at, s + i, len - i, depth, out, &used)))
                return rc;
        } else { /* `$NAME` */
            const char *val;

            used = 1;
            while (i + used < len && name_char(s[i + used]))
                used++;
            val = env_lookup(c, s + i + 1, used - 1);
            if (val && (rc = sb_add(c, at, out, val, strlen(val))))
                return rc;
        }
        i += used;
        run = i;
    }
    return sb_add(c, at, out, s + run, len - run);
}

/*
 * The interpolated text of scalar n, or NULL for a YAML null (`~`, `null`, empty).
 * Non-scalars are a type error naming `what`.
 */
static int sval(struct cctx *c, const struct bh_ynode *n, const char *what, const char **out)
{
    struct sb b;
    int rc;

    *out = NULL;
    if (!bh_yaml_is_scalar(n))
        return perr(c, n, "'%s' must be a string, not a %s", what, bh_yaml_type_name(n));
    if (bh_yaml_is_null(n, BH_YAML_1_2))
        return 0;
    if (!memchr(n->scalar, '$', n->scalar_len)) {
        *out = n->scalar;
        return 0;
    }
    memset(&b, 0, sizeof(b));
    if ((rc = interp(c, n, n->scalar, n->scalar_len, 0, &b)))
        return rc;
    *out = b.p ? b.p : "";
    return 0;
}

/* Interpolate every value scalar below n once, for the errors only (compose checks them all). */
static int check_tree(struct cctx *c, const struct bh_ynode *n, unsigned depth)
{
    size_t i;
    int rc;

    if (depth > BH_MAX_COMPOSE_DEPTH)
        return bh_err_set(c->err, BH_ELIMIT, c->file, n->line, n->col,
                          "compose file nested deeper than %u levels (BH_MAX_COMPOSE_DEPTH)",
                          BH_MAX_COMPOSE_DEPTH);
    if (n->type == BH_Y_SCALAR) {
        struct sb b;

        if (!memchr(n->scalar, '$', n->scalar_len))
            return 0;
        memset(&b, 0, sizeof(b));
        b.check_only = true;
        return interp(c, n, n->scalar, n->scalar_len, 0, &b);
    }
    if (n->type == BH_Y_SEQ) {
        for (i = 0; i < n->n; i++)
            if ((rc = check_tree(c, n->items[i], depth + 1)))
                return rc;
    } else if (n->type == BH_Y_MAP) {
        for (i = 0; i < n->n; i++) {
            const struct bh_ynode *k = n->pairs[i].key;

            if (k->type == BH_Y_SCALAR && bh_str_prefix(k->scalar, "x-"))
                continue; /* extension fields are not ours to judge */
            if ((rc = check_tree(c, n->pairs[i].value, depth + 1)))
                return rc;
        }
    }
    return 0;
}

/* ---- small helpers ------------------------------------------------------------------------ */

static const char *path_key(struct cctx *c, const char *base, const char *key)
{
    return bh_arena_printf(c->a, "%s.%s", base, key);
}

static const char *path_idx(struct cctx *c, const char *base, size_t i)
{
    return bh_arena_printf(c->a, "%s[%zu]", base, i);
}

/* A boolean setting: text after interpolation through N6 (compose accepts "true", yes, on). */
static int bool_val(struct cctx *c, const struct bh_ynode *v, const char *what, int *out)
{
    const char *s;
    bool b;
    int rc;

    *out = BH_UNSET;
    if ((rc = sval(c, v, what, &s)))
        return rc;
    if (!s)
        return 0;
    if (bh_norm_bool(s, &b))
        return perr(c, v, "'%s' must be a boolean, not '%s'", what, s);
    *out = b ? BH_TRUE : BH_FALSE;
    return 0;
}

static int set_bool(struct cctx *c, const struct bh_ynode *k, const struct bh_ynode *v,
                    const char *what, const char *path, struct bh_rs_bool *dst)
{
    int b, rc;

    if ((rc = bool_val(c, v, what, &b)))
        return rc;
    if (b == BH_UNSET)
        return 0;
    dst->v = (enum bh_tristate)b;
    dst->loc = mkloc(c, k, path);
    return 0;
}

static int set_str(struct cctx *c, const struct bh_ynode *k, const struct bh_ynode *v,
                   const char *what, const char *path, struct bh_rs_str *dst)
{
    const char *s;
    int rc;

    if ((rc = sval(c, v, what, &s)))
        return rc;
    if (!s)
        return 0;
    dst->v = s;
    dst->loc = mkloc(c, k, path);
    return 0;
}

static int push_str(struct cctx *c, struct bh_rs_list *l, const char *s, struct bh_loc loc)
{
    struct bh_rs_str *e = BH_PUSH(c->a, l->v, l->n, l->cap);

    if (!e)
        return oom(c);
    e->v = s;
    e->loc = loc;
    return 0;
}

/* Set "NAME=..." in l, replacing an earlier entry of the same name (later definitions win). */
static int put_named(struct cctx *c, struct bh_rs_list *l, const char *s, struct bh_loc loc)
{
    const char *eq = strchr(s, '=');
    size_t nlen = eq ? (size_t)(eq - s) : strlen(s), i;

    for (i = 0; i < l->n; i++) {
        const char *o = l->v[i].v;

        if (!strncmp(o, s, nlen) && (o[nlen] == '=' || o[nlen] == '\0')) {
            l->v[i].v = s;
            l->v[i].loc = loc;
            return 0;
        }
    }
    return push_str(c, l, s, loc);
}

/*
 * A list of strings (cap_add, security_opt, ...): each item is interpolated and kept as
 * written; YAML nulls in the list are skipped. `one_ok` also accepts a lone scalar.
 */
static int list_of_str(struct cctx *c, const struct bh_ynode *v, const char *what, const char *path,
                       bool one_ok, struct bh_rs_list *dst)
{
    const char *s;
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        dst->n = 0;
    if (bh_yaml_is_scalar(v) && (one_ok || bh_yaml_is_null(v, BH_YAML_1_2))) {
        if ((rc = sval(c, v, what, &s)))
            return rc;
        return s ? push_str(c, dst, s, mkloc(c, v, path)) : 0;
    }
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'%s' must be a list, not a %s", what, bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        if ((rc = sval(c, v->items[i], what, &s)))
            return rc;
        if (s && (rc = push_str(c, dst, s, mkloc(c, v->items[i], path_idx(c, path, i)))))
            return rc;
    }
    return 0;
}

/*
 * `KEY: value` or `- KEY=value` lists (environment, sysctls, extra_hosts) as "KEY<sep>value".
 * A map entry with a null value takes the caller's environment when `from_env` (environment),
 * and is skipped when that has no such variable; a list item without '=' likewise.
 */
static int named_list(struct cctx *c, const struct bh_ynode *v, const char *what, const char *path,
                      char sep, bool from_env, struct bh_rs_list *dst)
{
    const char *s;
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        dst->n = 0;
    if (bh_yaml_is_scalar(v) && bh_yaml_is_null(v, BH_YAML_1_2))
        return 0;
    if (bh_yaml_is_seq(v)) {
        for (i = 0; i < v->n; i++) {
            const struct bh_ynode *it = v->items[i];

            if ((rc = sval(c, it, what, &s)))
                return rc;
            if (!s)
                continue;
            if (from_env && !strchr(s, '=')) {
                const char *val = env_lookup(c, s, strlen(s));

                if (!val)
                    continue;
                if (!(s = bh_arena_printf(c->a, "%s=%s", s, val)))
                    return oom(c);
            }
            if ((rc = put_named(c, dst, s, mkloc(c, it, path_idx(c, path, i)))))
                return rc;
        }
        return 0;
    }
    if (!bh_yaml_is_map(v))
        return perr(c, v, "'%s' must be a mapping or a list, not a %s", what, bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        const struct bh_ynode *k = v->pairs[i].key, *val = v->pairs[i].value;
        const char *text;

        if (!bh_yaml_is_scalar(k))
            return perr(c, k, "'%s' keys must be strings", what);
        if (!bh_yaml_is_scalar(val))
            return perr(c, val, "'%s.%s' must be a string, not a %s", what, k->scalar,
                        bh_yaml_type_name(val));
        if ((rc = sval(c, val, what, &text)))
            return rc;
        if (!text) {
            if (!from_env || !(text = env_lookup(c, k->scalar, k->scalar_len)))
                continue;
        }
        if (!(s = bh_arena_printf(c->a, "%s%c%s", k->scalar, sep, text)))
            return oom(c);
        if ((rc = put_named(c, dst, s, mkloc(c, k, path_key(c, path, k->scalar)))))
            return rc;
    }
    return 0;
}

/* ---- ports -------------------------------------------------------------------------------- */

static struct bh_port *new_port(struct cctx *c, struct bh_runspec *rs)
{
    struct bh_port *p = BH_PUSH(c->a, rs->ports, rs->nports, rs->ports_cap);

    if (!p)
        oom(c);
    return p;
}

static int port_short(struct cctx *c, const struct bh_ynode *it, const char *path,
                      struct bh_runspec *rs)
{
    struct bh_port *p;
    const char *s;
    bool b60 = false;
    long long num;
    int rc;

    if ((rc = sval(c, it, "ports", &s)))
        return rc;
    if (!s)
        return 0;
    /* a YAML 1.1 reader would have turned this plain `22:22` into 1342 */
    if (it->style == BH_YS_PLAIN && !it->tag && strchr(it->scalar, ':') &&
        bh_yaml_int(it, BH_YAML_1_1, &num, &b60) != 0)
        b60 = false;
    if (!(p = new_port(c, rs)))
        return BH_ENOMEM;
    if (bh_norm_port(c->a, s, p)) {
        rs->nports--;
        return perr(c, it, "invalid port '%s'", s);
    }
    p->raw = s;
    p->yaml_base60 = b60;
    p->loc = mkloc(c, it, path);
    return 0;
}

static int port_long(struct cctx *c, const struct bh_ynode *it, const char *path,
                     struct bh_runspec *rs)
{
    const char *target = NULL, *published = NULL, *host_ip = NULL, *proto = NULL, *mode = NULL,
               *spec;
    struct bh_port *p;
    size_t i;
    int rc;

    for (i = 0; i < it->n; i++) {
        const struct bh_ynode *k = it->pairs[i].key, *v = it->pairs[i].value;
        const char **dst = NULL;

        if (bh_yaml_scalar_eq(k, "target"))
            dst = &target;
        else if (bh_yaml_scalar_eq(k, "published"))
            dst = &published;
        else if (bh_yaml_scalar_eq(k, "host_ip"))
            dst = &host_ip;
        else if (bh_yaml_scalar_eq(k, "protocol"))
            dst = &proto;
        else if (bh_yaml_scalar_eq(k, "mode"))
            dst = &mode;
        if (dst && (rc = sval(c, v, k->scalar, dst)))
            return rc;
    }
    if (!target || !*target)
        return perr(c, it, "port has no 'target'");
    /* rebuild the short form so one parser (N5) reads both syntaxes */
    if (host_ip && *host_ip) {
        bool v6 = strchr(host_ip, ':') && host_ip[0] != '[';

        spec = bh_arena_printf(c->a, "%s%s%s:%s:%s", v6 ? "[" : "", host_ip, v6 ? "]" : "",
                               published ? published : "", target);
    } else if (published && *published) {
        spec = bh_arena_printf(c->a, "%s:%s", published, target);
    } else {
        spec = target;
    }
    if (spec && proto && *proto)
        spec = bh_arena_printf(c->a, "%s/%s", spec, proto);
    if (!spec)
        return oom(c);
    if (!(p = new_port(c, rs)))
        return BH_ENOMEM;
    if (bh_norm_port(c->a, spec, p)) {
        rs->nports--;
        return perr(c, it, "invalid port '%s'", spec);
    }
    p->raw = spec;
    p->ingress = mode && !strcmp(mode, "ingress");
    p->loc = mkloc(c, it, path);
    return 0;
}

static int ports(struct cctx *c, const struct bh_ynode *v, const char *path, struct bh_runspec *rs)
{
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        rs->nports = 0;
    if (bh_yaml_is_scalar(v) && bh_yaml_is_null(v, BH_YAML_1_2))
        return 0;
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'ports' must be a list, not a %s", bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        const struct bh_ynode *it = v->items[i];
        const char *ip = path_idx(c, path, i);

        if (bh_yaml_is_map(it))
            rc = port_long(c, it, ip, rs);
        else if (bh_yaml_is_scalar(it))
            rc = port_short(c, it, ip, rs);
        else
            rc = perr(c, it, "a port must be a string or a mapping, not a %s",
                      bh_yaml_type_name(it));
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- volumes ------------------------------------------------------------------------------ */

static bool is_drive(const char *s)
{
    return ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) && s[1] == ':' &&
           (s[2] == '\\' || s[2] == '/');
}

/*
 * The host path of a bind source as written: absolute paths normalised (N4); `./x`, `../x`
 * and bare relative paths resolved against the compose file's directory when that is
 * absolute (compose resolves them the same way); NULL when unknowable (`~`, relative file).
 */
static const char *bind_source(struct cctx *c, const char *raw)
{
    const char *joined;

    if (!raw || !*raw || raw[0] == '~')
        return NULL;
    if (raw[0] == '/' || raw[0] == '\\' || is_drive(raw))
        return bh_norm_path(c->a, raw);
    if (!c->dir_abs)
        return NULL;
    if (!(joined = bh_arena_printf(c->a, "%s/%s", c->dir, raw)))
        return NULL;
    return bh_norm_path(c->a, joined);
}

static bool opt_has(const char *list, const char *word)
{
    size_t wl = strlen(word);

    while (list && *list) {
        const char *e = strchr(list, ',');
        size_t l = e ? (size_t)(e - list) : strlen(list);

        if (l == wl && !memcmp(list, word, wl))
            return true;
        list = e ? e + 1 : NULL;
    }
    return false;
}

/*
 * A named volume that the top-level `volumes:` declares as a local bind
 * (`driver_opts: {type: none, o: bind, device: /path}`, or a `mountpoint:` as some volume
 * plugins take) is a bind mount of that path: turn m into one.
 */
static int named_volume(struct cctx *c, struct bh_mount *m)
{
    const struct bh_ynode *decl, *dopts;
    const char *o = NULL, *dev = NULL;
    int rc;

    if (!m->source || !(decl = bh_yaml_get(c->volumes, m->source)) ||
        !(dopts = bh_yaml_get(decl, "driver_opts")) || !bh_yaml_is_map(dopts))
        return 0;
    if (bh_yaml_get(dopts, "o") && (rc = sval(c, bh_yaml_get(dopts, "o"), "o", &o)))
        return rc;
    if (o && opt_has(o, "bind") && bh_yaml_get(dopts, "device")) {
        if ((rc = sval(c, bh_yaml_get(dopts, "device"), "device", &dev)))
            return rc;
    } else if (bh_yaml_get(dopts, "mountpoint")) {
        if ((rc = sval(c, bh_yaml_get(dopts, "mountpoint"), "mountpoint", &dev)))
            return rc;
    }
    if (!dev || !*dev)
        return 0;
    m->kind = BH_MOUNT_BIND;
    m->source_raw = dev;
    m->source = bind_source(c, dev);
    return 0;
}

/* Add m, replacing a mount on the same target (a service that extends another overrides it). */
static int add_mount(struct cctx *c, struct bh_runspec *rs, const struct bh_mount *m)
{
    struct bh_mount *slot = NULL;
    size_t i;

    for (i = 0; m->target && i < rs->nmounts; i++)
        if (rs->mounts[i].target && !strcmp(rs->mounts[i].target, m->target))
            slot = &rs->mounts[i];
    if (!slot && !(slot = BH_PUSH(c->a, rs->mounts, rs->nmounts, rs->mounts_cap)))
        return oom(c);
    *slot = *m;
    return 0;
}

static int volume_short(struct cctx *c, const struct bh_ynode *it, const char *path,
                        struct bh_runspec *rs)
{
    struct bh_mount m;
    const char *s;
    int rc;

    if ((rc = sval(c, it, "volumes", &s)))
        return rc;
    if (!s)
        return 0;
    memset(&m, 0, sizeof(m));
    if (bh_norm_volume(c->a, s, &m))
        return perr(c, it, "invalid volume '%s'", s);
    if (m.kind == BH_MOUNT_BIND && !m.source && m.source_raw)
        m.source = bind_source(c, m.source_raw);
    else if (m.kind == BH_MOUNT_VOLUME && (rc = named_volume(c, &m)))
        return rc;
    m.loc = mkloc(c, it, path);
    return add_mount(c, rs, &m);
}

static int volume_long(struct cctx *c, const struct bh_ynode *it, const char *path,
                       struct bh_runspec *rs)
{
    const char *type = NULL, *src = NULL, *dst = NULL;
    const struct bh_ynode *n;
    struct bh_mount m;
    int rc, ro;

    memset(&m, 0, sizeof(m));
    if ((n = bh_yaml_get(it, "type")) && (rc = sval(c, n, "type", &type)))
        return rc;
    if ((n = bh_yaml_get(it, "source")) && (rc = sval(c, n, "source", &src)))
        return rc;
    if ((n = bh_yaml_get(it, "target")) && (rc = sval(c, n, "target", &dst)))
        return rc;
    if ((n = bh_yaml_get(it, "read_only")) && (rc = bool_val(c, n, "read_only", &ro)))
        return rc;
    m.read_only = n && ro == BH_TRUE;
    if ((n = bh_yaml_path(it, "bind.propagation")) &&
        (rc = sval(c, n, "propagation", &m.propagation)))
        return rc;
    if (!dst || !*dst)
        return perr(c, it, "volume has no 'target'");
    if (!type) /* compose wants a type; infer it the way the short syntax reads a source */
        type = src && (src[0] == '/' || src[0] == '.' || src[0] == '~' || is_drive(src)) ? "bind"
                                                                                         : "volume";
    m.target = dst;
    m.source_raw = src;
    m.loc = mkloc(c, it, path);
    if (!strcmp(type, "bind")) {
        if (!src || !*src)
            return perr(c, it, "bind mount has no 'source'");
        m.kind = BH_MOUNT_BIND;
        m.source = bind_source(c, src);
    } else if (!strcmp(type, "npipe")) {
        /* a Windows named pipe such as \\.\pipe\docker_engine, in N4's spelling */
        m.kind = BH_MOUNT_BIND;
        m.source = src ? bh_norm_path(c->a, src) : NULL;
    } else if (!strcmp(type, "volume")) {
        m.kind = BH_MOUNT_VOLUME;
        m.source = src && *src ? src : NULL;
        if (m.source && (rc = named_volume(c, &m)))
            return rc;
    } else if (!strcmp(type, "tmpfs")) {
        m.kind = BH_MOUNT_TMPFS;
        m.source = NULL;
    } else {
        m.kind = BH_MOUNT_OTHER;
        m.source = src;
    }
    return add_mount(c, rs, &m);
}

/* Drop the mounts that came from one key (`volumes` or `tmpfs`) for `!reset`/`!override`. */
static void drop_mounts(struct bh_runspec *rs, const char *key)
{
    size_t i, j = 0;
    size_t kl = strlen(key);

    for (i = 0; i < rs->nmounts; i++) {
        const char *p = rs->mounts[i].loc.path, *dot = p ? strrchr(p, '.') : NULL;
        bool from = dot && !strncmp(dot + 1, key, kl) && (dot[1 + kl] == '[' || !dot[1 + kl]);

        if (!from)
            rs->mounts[j++] = rs->mounts[i];
    }
    rs->nmounts = j;
}

static int volumes(struct cctx *c, const struct bh_ynode *v, const char *path,
                   struct bh_runspec *rs)
{
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        drop_mounts(rs, "volumes");
    if (bh_yaml_is_scalar(v) && bh_yaml_is_null(v, BH_YAML_1_2))
        return 0;
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'volumes' must be a list, not a %s", bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        const struct bh_ynode *it = v->items[i];
        const char *ip = path_idx(c, path, i);

        if (bh_yaml_is_map(it))
            rc = volume_long(c, it, ip, rs);
        else if (bh_yaml_is_scalar(it))
            rc = volume_short(c, it, ip, rs);
        else
            rc = perr(c, it, "a volume must be a string or a mapping, not a %s",
                      bh_yaml_type_name(it));
        if (rc)
            return rc;
    }
    return 0;
}

static int tmpfs_item(struct cctx *c, const struct bh_ynode *it, const char *path,
                      struct bh_runspec *rs)
{
    struct bh_mount m;
    const char *s, *colon;
    int rc;

    if ((rc = sval(c, it, "tmpfs", &s)))
        return rc;
    if (!s)
        return 0;
    memset(&m, 0, sizeof(m));
    m.kind = BH_MOUNT_TMPFS;
    colon = strchr(s, ':');
    if (!(m.target = colon ? bh_arena_strndup(c->a, s, (size_t)(colon - s)) : s))
        return oom(c);
    if (!*m.target)
        return perr(c, it, "invalid tmpfs '%s'", s);
    m.source_raw = s;
    m.loc = mkloc(c, it, path);
    return add_mount(c, rs, &m);
}

static int tmpfs(struct cctx *c, const struct bh_ynode *v, const char *path, struct bh_runspec *rs)
{
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        drop_mounts(rs, "tmpfs");
    if (bh_yaml_is_scalar(v))
        return tmpfs_item(c, v, path, rs);
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'tmpfs' must be a string or a list, not a %s", bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++)
        if ((rc = tmpfs_item(c, v->items[i], path_idx(c, path, i), rs)))
            return rc;
    return 0;
}

/* ---- devices, GPUs, limits ---------------------------------------------------------------- */

static int devices(struct cctx *c, const struct bh_ynode *v, const char *path,
                   struct bh_runspec *rs)
{
    size_t i;
    int rc;

    if (has_tag(v, "!override") || has_tag(v, "!reset"))
        rs->ndevices = 0;
    if (bh_yaml_is_scalar(v) && bh_yaml_is_null(v, BH_YAML_1_2))
        return 0;
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'devices' must be a list, not a %s", bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        const struct bh_ynode *it = v->items[i], *n;
        struct bh_device *d;
        const char *s = NULL;

        if (bh_yaml_is_scalar(it) && (rc = sval(c, it, "devices", &s)))
            return rc;
        if (bh_yaml_is_scalar(it) && !s)
            continue;
        if (!bh_yaml_is_scalar(it) && !bh_yaml_is_map(it))
            return perr(c, it, "a device must be a string or a mapping, not a %s",
                        bh_yaml_type_name(it));
        if (!(d = BH_PUSH(c->a, rs->devices, rs->ndevices, rs->devices_cap)))
            return oom(c);
        d->loc = mkloc(c, it, path_idx(c, path, i));
        if (s) {
            /* HOST[:CONTAINER[:PERMS]]; a CDI name (vendor.com/class=x) has no colon */
            const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

            d->host_path = c1 ? bh_arena_strndup(c->a, s, (size_t)(c1 - s)) : s;
            d->cont_path = !c1  ? s
                           : c2 ? bh_arena_strndup(c->a, c1 + 1, (size_t)(c2 - c1 - 1))
                                : c1 + 1;
            d->perms = c2 ? c2 + 1 : NULL;
            if (!d->host_path || !d->cont_path)
                return oom(c);
            if (!*d->host_path || (c2 && strchr(c2 + 1, ':'))) {
                rs->ndevices--;
                return perr(c, it, "invalid device '%s'", s);
            }
            if (!*d->cont_path)
                d->cont_path = d->host_path;
            continue;
        }
        if ((n = bh_yaml_get(it, "source")) && (rc = sval(c, n, "source", &d->host_path)))
            return rc;
        if ((n = bh_yaml_get(it, "target")) && (rc = sval(c, n, "target", &d->cont_path)))
            return rc;
        if ((n = bh_yaml_get(it, "permissions")) && (rc = sval(c, n, "permissions", &d->perms)))
            return rc;
        if (!d->host_path || !*d->host_path) {
            rs->ndevices--;
            return perr(c, it, "device has no 'source'");
        }
        if (!d->cont_path)
            d->cont_path = d->host_path;
    }
    return 0;
}

/* One device request ({driver, count, device_ids, capabilities}) as a --gpus value, or NULL. */
static int gpu_request(struct cctx *c, const struct bh_ynode *it, const char **out)
{
    const struct bh_ynode *caps = bh_yaml_get(it, "capabilities"), *n;
    const char *driver = NULL, *count = NULL, *s;
    bool gpu = false;
    size_t i, j;
    int rc;

    *out = NULL;
    if ((n = bh_yaml_get(it, "driver")) && (rc = sval(c, n, "driver", &driver)))
        return rc;
    for (i = 0; bh_yaml_is_seq(caps) && i < caps->n; i++) {
        const struct bh_ynode *cap = caps->items[i];

        /* compose writes [[gpu]] (alternatives of capability sets); [gpu] is seen too */
        for (j = 0; j < (bh_yaml_is_seq(cap) ? cap->n : 1); j++)
            if (bh_yaml_scalar_eq(bh_yaml_is_seq(cap) ? cap->items[j] : cap, "gpu"))
                gpu = true;
    }
    if (!gpu && !(driver && !strcmp(driver, "nvidia")))
        return 0;
    if ((n = bh_yaml_get(it, "device_ids")) && bh_yaml_is_seq(n) && n->n) {
        struct sb b;

        memset(&b, 0, sizeof(b));
        if ((rc = sb_add(c, n, &b, "device=", 7)))
            return rc;
        for (i = 0; i < n->n; i++) {
            if ((rc = sval(c, n->items[i], "device_ids", &s)))
                return rc;
            if (!s)
                continue;
            if ((i && (rc = sb_add(c, n, &b, ",", 1))) || (rc = sb_add(c, n, &b, s, strlen(s))))
                return rc;
        }
        *out = b.p;
        return 0;
    }
    if ((n = bh_yaml_get(it, "count")) && (rc = sval(c, n, "count", &count)))
        return rc;
    *out = count && *count ? count : "all";
    return 0;
}

static int gpus(struct cctx *c, const struct bh_ynode *v, const char *path, struct bh_runspec *rs)
{
    const char *s;
    size_t i;
    int rc;

    if (bh_yaml_is_scalar(v)) { /* service-level `gpus: all` */
        if ((rc = sval(c, v, "gpus", &s)))
            return rc;
        return s ? push_str(c, &rs->gpus, s, mkloc(c, v, path)) : 0;
    }
    if (!bh_yaml_is_seq(v))
        return perr(c, v, "'%s' must be a list, not a %s", path, bh_yaml_type_name(v));
    for (i = 0; i < v->n; i++) {
        const struct bh_ynode *it = v->items[i];

        if (!bh_yaml_is_map(it))
            return perr(c, it, "a device request must be a mapping, not a %s",
                        bh_yaml_type_name(it));
        if ((rc = gpu_request(c, it, &s)))
            return rc;
        if (s && (rc = push_str(c, &rs->gpus, s, mkloc(c, it, path_idx(c, path, i)))))
            return rc;
    }
    return 0;
}

static int deploy(struct cctx *c, const struct bh_ynode *v, const char *path, struct bh_runspec *rs)
{
    const struct bh_ynode *lim, *dev;
    size_t i;
    int rc;

    if (bh_yaml_is_scalar(v) && bh_yaml_is_null(v, BH_YAML_1_2))
        return 0;
    if (!bh_yaml_is_map(v))
        return perr(c, v, "'deploy' must be a mapping, not a %s", bh_yaml_type_name(v));
    lim = bh_yaml_path(v, "resources.limits");
    for (i = 0; bh_yaml_is_map(lim) && i < lim->n; i++) {
        const struct bh_ynode *k = lim->pairs[i].key, *val = lim->pairs[i].value;
        struct bh_rs_str *dst = bh_yaml_scalar_eq(k, "memory") ? &rs->mem_limit
                                : bh_yaml_scalar_eq(k, "cpus") ? &rs->cpu_limit
                                : bh_yaml_scalar_eq(k, "pids") ? &rs->pids_limit
                                                               : NULL;

        if (dst &&
            (rc = set_str(c, k, val, k->scalar,
                          path_key(c, path_key(c, path, "resources.limits"), k->scalar), dst)))
            return rc;
    }
    dev = bh_yaml_path(v, "resources.reservations.devices");
    if (dev)
        return gpus(c, dev, path_key(c, path, "resources.reservations.devices"), rs);
    return 0;
}

/* ---- services ----------------------------------------------------------------------------- */

static int fill_service(struct cctx *c, const char *name, const struct bh_ynode *svc,
                        struct bh_runspec *rs);

/* Same-file `extends`: fill rs from the base first; other-file extends are not followed. */
static int extends(struct cctx *c, const struct bh_ynode *v, struct bh_runspec *rs)
{
    const struct bh_ynode *base = NULL, *sn = v;
    const char *bname = NULL;
    size_t i;
    int rc;

    if (bh_yaml_is_map(v)) {
        const struct bh_ynode *f = bh_yaml_get(v, "file");

        if (f && !bh_yaml_is_null(f, BH_YAML_1_2))
            return 0; /* NEEDSWORK: readers open no other file; the lead may resolve these */
        if (!(sn = bh_yaml_get(v, "service")))
            return perr(c, v, "'extends' has no 'service'");
    }
    if ((rc = sval(c, sn, "extends", &bname)))
        return rc;
    if (!bname)
        return 0;
    for (i = 0; i < c->services->n; i++)
        if (bh_yaml_scalar_eq(c->services->pairs[i].key, bname))
            base = c->services->pairs[i].value;
    if (!base)
        return perr(c, sn, "'extends' names service '%s', which is not defined", bname);
    for (i = 0; i < c->nchain; i++)
        if (c->chain[i] == base)
            return perr(c, sn, "circular 'extends' through service '%s'", bname);
    if (c->nchain >= BH_MAX_COMPOSE_EXTENDS)
        return bh_err_set(c->err, BH_ELIMIT, c->file, sn->line, sn->col,
                          "'extends' chain longer than BH_MAX_COMPOSE_EXTENDS (%u)",
                          (unsigned)BH_MAX_COMPOSE_EXTENDS);
    return fill_service(c, bname, base, rs);
}

static int service_key(struct cctx *c, const struct bh_ynode *k, const struct bh_ynode *v,
                       const char *sp, struct bh_runspec *rs)
{
    const char *key = k->scalar, *p = path_key(c, sp, key);
    struct bh_rs_str *str = NULL;
    struct bh_rs_bool *bl = NULL;
    struct bh_rs_list *lst = NULL;

    if (!p)
        return oom(c);
    if (!strcmp(key, "image"))
        str = &rs->image;
    else if (!strcmp(key, "user"))
        str = &rs->user;
    else if (!strcmp(key, "pid"))
        str = &rs->pid;
    else if (!strcmp(key, "ipc"))
        str = &rs->ipc;
    else if (!strcmp(key, "uts"))
        str = &rs->uts;
    else if (!strcmp(key, "network_mode"))
        str = &rs->network;
    else if (!strcmp(key, "userns_mode"))
        str = &rs->userns;
    else if (!strcmp(key, "cgroup"))
        str = &rs->cgroupns;
    else if (!strcmp(key, "pull_policy"))
        str = &rs->pull_policy;
    else if (!strcmp(key, "mem_limit"))
        str = &rs->mem_limit;
    else if (!strcmp(key, "cpus"))
        str = &rs->cpu_limit;
    else if (!strcmp(key, "pids_limit"))
        str = &rs->pids_limit;
    else if (!strcmp(key, "privileged"))
        bl = &rs->privileged;
    else if (!strcmp(key, "read_only"))
        bl = &rs->read_only_rootfs;
    else if (!strcmp(key, "cap_add"))
        lst = &rs->cap_add;
    else if (!strcmp(key, "cap_drop"))
        lst = &rs->cap_drop;
    else if (!strcmp(key, "security_opt"))
        lst = &rs->security_opt;
    else if (!strcmp(key, "device_cgroup_rules"))
        lst = &rs->device_cgroup_rules;
    else if (!strcmp(key, "group_add"))
        lst = &rs->group_add;
    else if (!strcmp(key, "environment"))
        return named_list(c, v, key, p, '=', true, &rs->env);
    else if (!strcmp(key, "sysctls"))
        return named_list(c, v, key, p, '=', false, &rs->sysctls);
    else if (!strcmp(key, "extra_hosts"))
        return named_list(c, v, key, p, '=', false, &rs->extra_hosts);
    else if (!strcmp(key, "ports"))
        return ports(c, v, p, rs);
    else if (!strcmp(key, "volumes"))
        return volumes(c, v, p, rs);
    else if (!strcmp(key, "tmpfs"))
        return tmpfs(c, v, p, rs);
    else if (!strcmp(key, "devices"))
        return devices(c, v, p, rs);
    else if (!strcmp(key, "gpus"))
        return gpus(c, v, p, rs);
    else
        return 0; /* healthcheck, networks, env_file, x-*, ...: not part of the model */
    if (str) {
        if (has_tag(v, "!reset"))
            memset(str, 0, sizeof(*str));
        return has_tag(v, "!reset") ? 0 : set_str(c, k, v, key, p, str);
    }
    if (bl) {
        if (has_tag(v, "!reset")) {
            memset(bl, 0, sizeof(*bl));
            bl->v = BH_UNSET;
            return 0;
        }
        return set_bool(c, k, v, key, p, bl);
    }
    return list_of_str(c, v, key, p, false, lst);
}

static int fill_service(struct cctx *c, const char *name, const struct bh_ynode *svc,
                        struct bh_runspec *rs)
{
    const char *sp = bh_arena_printf(c->a, "services.%s", name);
    const struct bh_ynode *ext;
    size_t i;
    int rc;

    if (!sp)
        return oom(c);
    if (!bh_yaml_is_map(svc))
        return perr(c, svc, "service '%s' must be a mapping, not a %s", name,
                    bh_yaml_type_name(svc));
    c->chain[c->nchain++] = svc;
    if ((ext = bh_yaml_get(svc, "extends")) && (rc = extends(c, ext, rs)))
        goto out;
    /* deploy limits first so that mem_limit/cpus/pids_limit written beside them win */
    if ((ext = bh_yaml_get(svc, "deploy")) && (rc = deploy(c, ext, path_key(c, sp, "deploy"), rs)))
        goto out;
    for (i = 0; i < svc->n; i++) {
        const struct bh_ynode *k = svc->pairs[i].key;

        if (!bh_yaml_is_scalar(k))
            continue;
        if ((rc = service_key(c, k, svc->pairs[i].value, sp, rs)))
            goto out;
    }
    rc = 0;
out:
    c->nchain--;
    return rc;
}

int bh_compose_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     const struct bh_compose_opts *opts, struct bh_runset *out, struct bh_err *err)
{
    struct cctx *c;
    struct bh_ydoc *docs = NULL;
    size_t ndocs = 0, i;
    const struct bh_ynode *root;
    const char *slash;
    int rc;

    memset(out, 0, sizeof(*out));
    out->file = file;
    if (!(c = bh_arena_alloc(a, sizeof(*c))))
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    c->a = a;
    c->file = file;
    c->opts = opts;
    c->err = err;
    slash = file ? strrchr(file, '/') : NULL;
    c->dir = !slash ? "" : slash == file ? "" : bh_arena_strndup(a, file, (size_t)(slash - file));
    c->dir_abs = file && file[0] == '/';
    if (!c->dir)
        return oom(c);
    if ((rc = bh_yaml_parse(a, file, text, len, 0, &docs, &ndocs, err)))
        return rc;
    root = ndocs ? docs[0].root : NULL;
    if (!bh_yaml_is_map(root))
        return bh_err_set(err, BH_EPARSE, file, root ? root->line : 1, root ? root->col : 1,
                          "the top level of a compose file must be a mapping, not a %s",
                          root ? bh_yaml_type_name(root) : "empty document");
    if ((rc = check_tree(c, root, 0)))
        return rc;
    c->volumes = bh_yaml_get(root, "volumes");
    c->services = bh_yaml_get(root, "services");
    if (c->services && bh_yaml_is_scalar(c->services) && bh_yaml_is_null(c->services, BH_YAML_1_2))
        c->services = NULL;
    if (c->services && !bh_yaml_is_map(c->services))
        return perr(c, c->services, "'services' must be a mapping, not a %s",
                    bh_yaml_type_name(c->services));
    for (i = 0; c->services && i < c->services->n; i++) {
        const struct bh_ynode *k = c->services->pairs[i].key;
        struct bh_runspec *rs;

        if (!bh_yaml_is_scalar(k))
            return perr(c, k, "service names must be strings, not a %s", bh_yaml_type_name(k));
        if (!(rs = BH_PUSH(a, out->specs, out->nspecs, out->specs_cap)))
            return oom(c);
        bh_runspec_init(rs);
        if ((rc = fill_service(c, k->scalar, c->services->pairs[i].value, rs)))
            return rc;
        rs->source_kind = "compose";
        rs->name = k->scalar;
        rs->owner = bh_arena_printf(a, "service %s", k->scalar);
        rs->loc = mkloc(c, k, bh_arena_printf(a, "services.%s", k->scalar));
        if (!rs->owner || !rs->loc.path)
            return oom(c);
    }
    if (bh_comments_ignores(a, text, len, &out->ignores, &out->nignores, &out->ignores_cap))
        return oom(c);
    /* paths and copies are not checked one by one: a failed arena is sticky */
    return a->failed ? oom(c) : 0;
}

/* ---- detection ---------------------------------------------------------------------------- */

static int bid_name(const char *name)
{
    static const char *const exact[] = {"compose.yaml", "compose.yml", "docker-compose.yaml",
                                        "docker-compose.yml"};
    static const char *const pre[] = {"compose.", "docker-compose."};
    static const char *const suf[] = {".yaml", ".yml"};
    const char *base = strrchr(name, '/');
    size_t i, j, bl;

    base = base ? base + 1 : name;
    bl = strlen(base);
    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (!strcmp(base, exact[i]))
            return 100;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 2; j++)
            if (bh_str_prefix(base, pre[i]) && bh_str_suffix(base, suf[j]) &&
                bl > strlen(pre[i]) + strlen(suf[j]))
                return 100;
    return 0;
}

/* Does the text have a line that starts with `key:` at column 0? */
static bool top_key(const char *head, size_t len, const char *key)
{
    size_t kl = strlen(key), pos = 0;

    while (pos < len) {
        const char *l = head + pos, *nl = memchr(l, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - l) : len - pos;

        if (ll > kl && !memcmp(l, key, kl) && l[kl] == ':' &&
            (ll == kl + 1 || l[kl + 1] == ' ' || l[kl + 1] == '\t' || l[kl + 1] == '\r'))
            return true;
        pos += ll + 1;
    }
    return false;
}

int bh_compose_bid(const char *name, const char *head, size_t len)
{
    int score = name ? bid_name(name) : 0;

    if (score || !head)
        return score;
    if (!top_key(head, len, "services"))
        return 0;
    if (top_key(head, len, "apiVersion") && top_key(head, len, "kind"))
        return 0;
    return 70;
}
