/*
 * accounts.c - the root's accounts: passwd and group as id -> name maps (for owners), the
 * members of group docker (listed in etc/group, or whose primary group it is in etc/passwd),
 * sudoers lines (etc/sudoers, etc/sudoers.d) whose commands name docker directly or through a
 * Cmnd_Alias, and whether etc/subuid or etc/subgid hold a range. NSS sources other than the
 * files (LDAP, sssd) are not consulted; "ALL" grants are not counted as docker grants.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"

/* field k (0-based) of a ':'-separated line; NULL when missing */
static const char *field(struct bh_arena *a, const char *ln, size_t ll, int k)
{
    size_t i = 0, s;
    int f = 0;

    while (f < k) {
        while (i < ll && ln[i] != ':')
            i++;
        if (i >= ll)
            return NULL;
        i++;
        f++;
    }
    s = i;
    while (i < ll && ln[i] != ':')
        i++;
    return bh_arena_strndup(a, ln + s, i - s);
}

static int load_ids(struct bh_hostctx *c, const char *rel, bool passwd)
{
    char *data;
    size_t len, pos = 0;
    int line = 0, rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    while (pos < len) {
        const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos;
        const char *name, *id, *g;
        long long v, gv = 0;
        struct bh_hostid *e;

        pos += ll + (nl ? 1 : 0);
        line++;
        if (!ll || ln[0] == '#' || ln[0] == '+' || ln[0] == '-')
            continue;
        name = field(c->a, ln, ll, 0);
        id = field(c->a, ln, ll, 2);
        g = field(c->a, ln, ll, 3);
        if (!name || !id || !*name || bh_parse_int(id, strlen(id), 0, 4294967295LL, &v) != 0)
            continue;
        if (passwd && (!g || bh_parse_int(g, strlen(g), 0, 4294967295LL, &gv) != 0))
            gv = -1;
        e = passwd ? BH_HPUSH(c->a, c->users, c->nusers) : BH_HPUSH(c->a, c->groups, c->ngroups);
        if (!e)
            return BH_ENOMEM;
        e->id = (unsigned)v;
        e->gid = gv < 0 ? (unsigned)-1 : (unsigned)gv;
        e->name = name;
        e->members = passwd ? NULL : (g ? g : "");
        e->line = line;
    }
    return c->a->failed ? BH_ENOMEM : 0;
}

int bh_hostacct_load(struct bh_hostctx *c)
{
    int rc = load_ids(c, "etc/passwd", true);

    return rc ? rc : load_ids(c, "etc/group", false);
}

const char *bh_hostint_uname(const struct bh_hostctx *c, unsigned uid)
{
    size_t i;

    for (i = 0; c && i < c->nusers; i++)
        if (c->users[i].id == uid)
            return c->users[i].name;
    return NULL;
}

const char *bh_hostint_gname(const struct bh_hostctx *c, unsigned gid)
{
    size_t i;

    for (i = 0; c && i < c->ngroups; i++)
        if (c->groups[i].id == gid)
            return c->groups[i].name;
    return NULL;
}

static int member(struct bh_hostctx *c, const char *name, size_t nlen, const char *via,
                  const char *file, int line)
{
    struct bh_hostmember *m = BH_HPUSH(c->a, c->h->members, c->h->nmembers);

    if (!m || !(m->name = bh_arena_strndup(c->a, name, nlen)))
        return BH_ENOMEM;
    m->via = via;
    m->loc.file = file;
    m->loc.line = line;
    return 0;
}

/* does a sudoers command list (after the user/host part) name docker or an alias of it */
static bool cmd_is_docker(const char *w, size_t n)
{
    const char *b = w, *p;

    for (p = w; p < w + n; p++)
        if (*p == '/')
            b = p + 1;
    n -= (size_t)(b - w);
    return (n == 6 && !memcmp(b, "docker", 6)) || (n == 7 && !memcmp(b, "dockerd", 7));
}

static bool list_has_docker(const char *s, const char *const *aliases, size_t naliases)
{
    while (*s) {
        const char *st;
        size_t n, i;

        while (*s == ' ' || *s == '\t' || *s == ',' || *s == '!')
            s++;
        if (*s == '(') { /* runas spec */
            while (*s && *s != ')')
                s++;
            if (*s)
                s++;
            continue;
        }
        st = s;
        while (*s && *s != ' ' && *s != '\t' && *s != ',')
            s++;
        n = (size_t)(s - st);
        if (!n) {
            if (*s)
                s++;
            continue;
        }
        if (n && st[n - 1] == ':') /* NOPASSWD: and other tags */
            continue;
        if (cmd_is_docker(st, n))
            return true;
        for (i = 0; i < naliases; i++)
            if (strlen(aliases[i]) == n && !memcmp(aliases[i], st, n))
                return true;
        /* the arguments of a command are not commands */
        while (*s && *s != ',')
            s++;
    }
    return false;
}

static int sudoers_file(struct bh_hostctx *c, const char *rel, const char ***aliases,
                        size_t *naliases)
{
    struct bh_buf l = BH_BUF_INIT(BH_MAX_LOGICAL_LINE);
    char *data;
    size_t len, pos = 0;
    int line = 0, first = 0, rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);
    const char *hp = bh_hostint_hostpath(c, rel);
    bool cont = false;

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    while (pos < len) {
        const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos;
        const char *s, *eq;

        pos += ll + (nl ? 1 : 0);
        line++;
        if (!cont) {
            bh_buf_reset(&l);
            first = line;
        }
        while (ll && (ln[ll - 1] == '\r' || ln[ll - 1] == ' '))
            ll--;
        cont = ll && ln[ll - 1] == '\\';
        bh_buf_append(&l, ln, cont ? ll - 1 : ll);
        if (cont && pos < len)
            continue;
        cont = false;
        if (l.failed)
            break;
        s = bh_buf_str(&l);
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || *s == '@' || bh_str_prefix(s, "Defaults"))
            continue; /* comments, #include/@include directives and defaults */
        if (bh_str_prefix(s, "Cmnd_Alias")) {
            /* Cmnd_Alias NAME = cmd, cmd : NAME2 = cmd */
            const char *p = s + 10;

            while (*p) {
                const char *ns, *end;

                while (*p == ' ' || *p == '\t' || *p == ':')
                    p++;
                ns = p;
                while (*p && *p != ' ' && *p != '\t' && *p != '=')
                    p++;
                if (p == ns)
                    break;
                {
                    const char *name = bh_arena_strndup(c->a, ns, (size_t)(p - ns));
                    char *body;

                    while (*p == ' ' || *p == '\t')
                        p++;
                    if (*p != '=')
                        break;
                    p++;
                    end = strchr(p, ':');
                    body = bh_arena_strndup(c->a, p, end ? (size_t)(end - p) : strlen(p));
                    if (!name || !body) {
                        rc = BH_ENOMEM;
                        goto out;
                    }
                    if (list_has_docker(body, *aliases, *naliases)) {
                        const char **slot = BH_HPUSH(c->a, *aliases, *naliases);

                        if (!slot) {
                            rc = BH_ENOMEM;
                            goto out;
                        }
                        *slot = name;
                    }
                    p = end ? end : p + strlen(p);
                }
            }
            continue;
        }
        if (bh_str_prefix(s, "User_Alias") || bh_str_prefix(s, "Runas_Alias") ||
            bh_str_prefix(s, "Host_Alias"))
            continue;
        /* user spec: WHO HOST = (RUNAS) TAGS: CMDS [: HOST = ...] */
        eq = strchr(s, '=');
        if (eq && list_has_docker(eq + 1, *aliases, *naliases)) {
            size_t n = 0;

            while (s[n] && s[n] != ' ' && s[n] != '\t')
                n++;
            if ((rc = member(c, s, n, "sudoers", hp, first)) != 0)
                goto out;
        }
    }
out:
    bh_buf_release(&l);
    return rc;
}

static bool has_range(struct bh_hostctx *c, const char *rel)
{
    char *data;
    size_t len, pos = 0;

    if (bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len) != 0)
        return false;
    while (pos < len) {
        const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos, colons = 0, i;

        pos += ll + (nl ? 1 : 0);
        if (!ll || ln[0] == '#')
            continue;
        for (i = 0; i < ll; i++)
            colons += ln[i] == ':';
        if (colons == 2)
            return true;
    }
    return false;
}

int bh_hostacct_read(struct bh_hostctx *c)
{
    const struct bh_hostid *docker = NULL;
    const char **aliases = NULL;
    size_t naliases = 0, i;
    char **names;
    size_t n;
    int rc;

    for (i = 0; i < c->ngroups; i++)
        if (!strcmp(c->groups[i].name, "docker"))
            docker = &c->groups[i];
    if (docker) {
        const char *m = docker->members, *hp = bh_hostint_hostpath(c, "etc/group");

        while (*m) {
            const char *st = m;

            while (*m && *m != ',')
                m++;
            if (m > st &&
                (rc = member(c, st, (size_t)(m - st), "group docker", hp, docker->line)) != 0)
                return rc;
            if (*m)
                m++;
        }
        hp = bh_hostint_hostpath(c, "etc/passwd");
        for (i = 0; i < c->nusers; i++)
            if (c->users[i].gid == docker->id &&
                (rc = member(c, c->users[i].name, strlen(c->users[i].name), "primary group", hp,
                             c->users[i].line)) != 0)
                return rc;
    }
    if ((rc = sudoers_file(c, "etc/sudoers", &aliases, &naliases)) != 0)
        return rc;
    if ((rc = bh_hostint_list(c, "etc/sudoers.d", &names, &n)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel;

        /* sudo skips names that end in '~' or contain a '.' */
        if (strchr(names[i], '.') || bh_str_suffix(names[i], "~"))
            continue;
        if (!(rel = bh_arena_printf(c->a, "etc/sudoers.d/%s", names[i])))
            return BH_ENOMEM;
        if ((rc = sudoers_file(c, rel, &aliases, &naliases)) != 0)
            return rc;
    }
    c->h->subids = has_range(c, "etc/subuid") || has_range(c, "etc/subgid");
    return c->a->failed ? BH_ENOMEM : 0;
}
