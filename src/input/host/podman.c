/*
 * podman.c - Podman's host configuration: registries.conf (and registries.conf.d/ *.conf) for
 * insecure registries in both the v2 "[[registry]] insecure = true" form and the v1
 * "[registries.insecure] registries = [...]" form, containers.conf scalar keys as
 * "podman.containers.TABLE.KEY", and policy.json's default requirement type. The TOML read
 * is the subset these files use (tables, arrays of tables, strings, booleans, numbers,
 * arrays of strings over several lines); anything else on a line is skipped, not an error.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"
#include "input/json.h"

static const char *trim(struct bh_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return bh_arena_strndup(a, s, n);
}

/* one TOML scalar: a quoted string (unquoted, basic escapes kept as written) or a bare word */
static const char *scalar(struct bh_arena *a, const char *s, size_t n)
{
    const char *v = trim(a, s, n);
    size_t l;

    if (!v)
        return NULL;
    l = strlen(v);
    if (l >= 2 && (v[0] == '"' || v[0] == '\'') && v[l - 1] == v[0])
        return bh_arena_strndup(a, v + 1, l - 2);
    return v;
}

struct reg {
    const char *location;
    int insecure_line; /* 0: not insecure */
};

static int flush_reg(struct bh_hostctx *c, const char *file, struct reg *r)
{
    int rc = 0;

    if (r->insecure_line && !bh_hostint_setting(c->a, c->h, "podman.registries.insecure",
                                                r->location ? r->location : "", BH_HS_PODMAN, file,
                                                r->insecure_line, "registry.insecure"))
        rc = BH_ENOMEM;
    memset(r, 0, sizeof(*r));
    return rc;
}

/* strings of a TOML array starting at s (after '['); more lines are pulled from the text */
static int array_items(struct bh_hostctx *c, const char *file, const char *text, size_t len,
                       size_t *pos, int *line, const char *s, const char *key, bool emit)
{
    for (;;) {
        while (*s && *s != ']') {
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                const char *st = s;

                while (*s && *s != q)
                    s++;
                if (emit && !bh_hostint_setting(c->a, c->h, key,
                                                bh_arena_strndup(c->a, st, (size_t)(s - st)),
                                                BH_HS_PODMAN, file, *line, key))
                    return BH_ENOMEM;
                if (*s)
                    s++;
            } else if (*s == '#') {
                break;
            } else {
                s++;
            }
        }
        if (*s == ']' || *pos >= len)
            return 0;
        /* the array goes on on the next line */
        {
            const char *ln = text + *pos, *nl = memchr(ln, '\n', len - *pos);
            size_t ll = nl ? (size_t)(nl - ln) : len - *pos;

            *pos += ll + (nl ? 1 : 0);
            (*line)++;
            s = bh_arena_strndup(c->a, ln, ll);
            if (!s)
                return BH_ENOMEM;
        }
    }
}

/* registries (v1 and v2) when containers is false, else containers.conf scalars */
static int toml(struct bh_hostctx *c, const char *file, const char *text, size_t len,
                bool containers)
{
    const char *table = "";
    struct reg r = {0};
    bool inreg = false;
    size_t pos = 0;
    int line = 0, rc;

    while (pos < len) {
        const char *ln = text + pos, *nl = memchr(ln, '\n', len - pos), *eq;
        size_t ll = nl ? (size_t)(nl - ln) : len - pos;
        const char *l, *key, *val;

        pos += ll + (nl ? 1 : 0);
        line++;
        l = trim(c->a, ln, ll);
        if (!l)
            return BH_ENOMEM;
        if (!*l || *l == '#')
            continue;
        if (l[0] == '[') {
            bool aot = l[1] == '[';
            const char *e = strchr(l, ']');

            if (inreg && (rc = flush_reg(c, file, &r)) != 0)
                return rc;
            if (!e)
                continue;
            table = trim(c->a, l + (aot ? 2 : 1), (size_t)(e - l - (aot ? 2 : 1)));
            if (!table)
                return BH_ENOMEM;
            inreg = aot && !strcmp(table, "registry");
            continue;
        }
        eq = strchr(l, '=');
        if (!eq)
            continue;
        key = scalar(c->a, l, (size_t)(eq - l));
        val = eq + 1;
        while (*val == ' ' || *val == '\t')
            val++;
        if (!key)
            return BH_ENOMEM;
        if (containers) {
            const char *k =
                bh_arena_printf(c->a, "podman.containers.%s%s%s", table, *table ? "." : "", key);
            const char *v;
            const char *hash = (*val == '"' || *val == '\'') ? NULL : strchr(val, '#');

            if (*val == '[')
                continue;
            v = scalar(c->a, val, hash ? (size_t)(hash - val) : strlen(val));
            if (!k || !v || !bh_hostint_setting(c->a, c->h, k, v, BH_HS_PODMAN, file, line, k))
                return BH_ENOMEM;
            continue;
        }
        if (inreg) {
            if (!strcmp(key, "location") || (!strcmp(key, "prefix") && !r.location))
                r.location = scalar(c->a, val, strcspn(val, "#"));
            else if (!strcmp(key, "insecure") && bh_str_prefix(val, "true"))
                r.insecure_line = line;
            continue;
        }
        if (!strcmp(table, "registries.insecure") && !strcmp(key, "registries") && *val == '[') {
            rc = array_items(c, file, text, len, &pos, &line, val + 1, "podman.registries.insecure",
                             true);
            if (rc)
                return rc;
        }
    }
    if (inreg && (rc = flush_reg(c, file, &r)) != 0)
        return rc;
    return c->a->failed ? BH_ENOMEM : 0;
}

int bh_hostpodman_registries(struct bh_hostctx *c, const char *file, const char *text, size_t len)
{
    return toml(c, file, text, len, false);
}

static int toml_file(struct bh_hostctx *c, const char *rel, bool containers)
{
    char *data;
    size_t len;
    int rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    return toml(c, bh_hostint_hostpath(c, rel), data, len, containers);
}

static int policy(struct bh_hostctx *c)
{
    const char *rel = "etc/containers/policy.json", *hp, *type, *at;
    const struct bh_jnode *def;
    struct bh_jnode *root;
    struct bh_err err;
    char *data;
    size_t len;
    int rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len), line = 1;

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    hp = bh_hostint_hostpath(c, rel);
    bh_err_init(&err);
    rc = bh_json_parse(c->a, hp, data, len, &root, &err);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc) {
        bh_hostint_error(c, hp, err.line, err.col, "%s", err.msg);
        return 0;
    }
    def = bh_json_get(root, "default");
    if (!bh_json_is_array(def) || def->n == 0)
        return 0;
    type = bh_json_str(bh_json_get(&def->items[0], "type"));
    if (!type)
        return 0;
    /* the line of "default" in the text (the tree has no positions) */
    at = strstr(data, "\"default\"");
    for (const char *q = data; at && q < at; q++)
        line += *q == '\n';
    if (!bh_hostint_setting(c->a, c->h, "podman.policy.default", type, BH_HS_PODMAN, hp,
                            at ? line : 0, "default[0].type"))
        return BH_ENOMEM;
    return 0;
}

int bh_hostpodman_read(struct bh_hostctx *c)
{
    char **names;
    size_t n, i;
    int rc;

    if ((rc = toml_file(c, "etc/containers/registries.conf", false)) != 0)
        return rc;
    if ((rc = bh_hostint_list(c, "etc/containers/registries.conf.d", &names, &n)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel;

        if (!bh_str_suffix(names[i], ".conf"))
            continue;
        if (!(rel = bh_arena_printf(c->a, "etc/containers/registries.conf.d/%s", names[i])))
            return BH_ENOMEM;
        if ((rc = toml_file(c, rel, false)) != 0)
            return rc;
    }
    if ((rc = toml_file(c, "etc/containers/containers.conf", true)) != 0)
        return rc;
    return policy(c);
}
