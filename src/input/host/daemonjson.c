/*
 * daemonjson.c - daemon.json (/etc/docker and rootless ~/.config/docker) as settings: one per
 * scalar key, one per item of a list ("hosts[1]"), one per member of an object as
 * "member=value" ("log-opts" -> "max-size=10m", like the --log-opt flag). Lines come from a
 * light scan of the text (the JSON tree has no positions). A syntax error is recorded with
 * jansson's line and column and the file adds nothing; the other sources are still read.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "input/host/hostint.h"
#include "input/json.h"

struct keyline {
    int line;
    size_t first, n; /* its array items in items[] */
};

/* the line of each top-level key and of each item of a top-level array, in document order */
static int scan_lines(struct bh_arena *a, const char *t, size_t len, struct keyline **keys,
                      size_t *nkeys, int **items, size_t *nitems)
{
    size_t i;
    int depth = 0, line = 1;
    char top2 = 0;
    bool want = false, instr = false;

    for (i = 0; i < len; i++) {
        char ch = t[i];
        bool item = false;

        if (ch == '\n')
            line++;
        if (instr) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                instr = false;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        if (depth == 1 && want && ch == '"') {
            struct keyline *k = BH_HPUSH(a, *keys, *nkeys);

            if (!k)
                return BH_ENOMEM;
            k->line = line;
            k->first = *nitems;
            want = false;
            instr = true;
            continue;
        }
        if (depth == 2 && top2 == '[' && want && ch != ']') {
            item = true;
            want = false;
        }
        if (item && *nkeys) {
            int *l = BH_HPUSH(a, *items, *nitems);

            if (!l)
                return BH_ENOMEM;
            *l = line;
            (*keys)[*nkeys - 1].n++;
        }
        if (ch == '"') {
            instr = true;
        } else if (ch == '{' || ch == '[') {
            depth++;
            if (depth == 1)
                want = ch == '{';
            else if (depth == 2) {
                top2 = ch;
                want = ch == '[';
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
            want = false;
        } else if (ch == ',') {
            want = depth == 1 || (depth == 2 && top2 == '[');
        }
    }
    return 0;
}

static void compact(struct bh_buf *b, const struct bh_jnode *n, int depth)
{
    size_t i;

    if (depth > (int)BH_MAX_JSON_DEPTH) {
        b->failed = true;
        return;
    }
    switch (n->type) {
    case BH_J_NULL:
        bh_buf_puts(b, "null");
        break;
    case BH_J_BOOL:
        bh_buf_puts(b, n->b ? "true" : "false");
        break;
    case BH_J_INT:
        bh_buf_printf(b, "%lld", n->i);
        break;
    case BH_J_REAL:
        bh_buf_printf(b, "%g", n->r);
        break;
    case BH_J_STRING:
        if (depth == 0) {
            bh_buf_append(b, n->str, n->len);
        } else {
            bh_buf_putc(b, '"');
            bh_buf_append(b, n->str, n->len);
            bh_buf_putc(b, '"');
        }
        break;
    case BH_J_ARRAY:
        bh_buf_putc(b, '[');
        for (i = 0; i < n->n; i++) {
            if (i)
                bh_buf_putc(b, ',');
            compact(b, &n->items[i], depth + 1);
        }
        bh_buf_putc(b, ']');
        break;
    case BH_J_OBJECT:
        bh_buf_putc(b, '{');
        for (i = 0; i < n->n; i++) {
            if (i)
                bh_buf_putc(b, ',');
            bh_buf_printf(b, "\"%s\":", n->pairs[i].key);
            compact(b, &n->pairs[i].value, depth + 1);
        }
        bh_buf_putc(b, '}');
        break;
    }
}

static const char *text_of(struct bh_arena *a, const struct bh_jnode *n, const char *prefix)
{
    struct bh_buf b = BH_BUF_INIT(BH_MAX_HOST_FILE);
    const char *r;

    if (prefix) {
        bh_buf_puts(&b, prefix);
        bh_buf_putc(&b, '=');
    }
    compact(&b, n, 0);
    r = b.failed ? "" : bh_arena_strndup(a, bh_buf_str(&b), b.len);
    bh_buf_release(&b);
    return r;
}

int bh_hostjson_parse(struct bh_hostctx *c, const char *file, const char *text, size_t len)
{
    struct bh_jnode *root;
    struct bh_err err;
    struct keyline *keys = NULL;
    int *items = NULL;
    size_t nkeys = 0, nitems = 0, i, j;
    int rc;

    bh_err_init(&err);
    rc = bh_json_parse(c->a, file, text, len, &root, &err);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc) {
        bh_hostint_error(c, file, err.line, err.col, "%s", err.msg);
        return 0;
    }
    if (!bh_json_is_object(root)) {
        bh_hostint_error(c, file, 1, 1, "'%s' is not a JSON object", file);
        return 0;
    }
    if ((rc = scan_lines(c->a, text, len, &keys, &nkeys, &items, &nitems)) != 0)
        return rc;
    for (i = 0; i < root->n; i++) {
        const struct bh_jpair *p = &root->pairs[i];
        const struct bh_jnode *v = &p->value;
        int kline = i < nkeys ? keys[i].line : 0;
        const char *path;

        if (v->type == BH_J_ARRAY) {
            for (j = 0; j < v->n; j++) {
                int l = (i < nkeys && j < keys[i].n) ? items[keys[i].first + j] : kline;

                path = bh_arena_printf(c->a, "%s[%zu]", p->key, j);
                if (!bh_hostint_setting(c->a, c->h, p->key, text_of(c->a, &v->items[j], NULL),
                                        BH_HS_DAEMON_JSON, file, l, path))
                    return c->h->nsettings >= BH_MAX_HOST_SETTINGS ? 0 : BH_ENOMEM;
            }
        } else if (v->type == BH_J_OBJECT) {
            for (j = 0; j < v->n; j++) {
                path = bh_arena_printf(c->a, "%s.%s", p->key, v->pairs[j].key);
                if (!bh_hostint_setting(c->a, c->h, p->key,
                                        text_of(c->a, &v->pairs[j].value, v->pairs[j].key),
                                        BH_HS_DAEMON_JSON, file, kline, path))
                    return c->h->nsettings >= BH_MAX_HOST_SETTINGS ? 0 : BH_ENOMEM;
            }
        } else if (!bh_hostint_setting(c->a, c->h, p->key, text_of(c->a, v, NULL),
                                       BH_HS_DAEMON_JSON, file, kline, p->key)) {
            return c->h->nsettings >= BH_MAX_HOST_SETTINGS ? 0 : BH_ENOMEM;
        }
    }
    return c->a->failed ? BH_ENOMEM : 0;
}

int bh_hostjson_read(struct bh_hostctx *c, const char *rel)
{
    char *data;
    size_t len;
    int rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    return bh_hostjson_parse(c, bh_hostint_hostpath(c, rel), data, len);
}
