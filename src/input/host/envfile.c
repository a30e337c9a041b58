/*
 * envfile.c - shell-sourced environment files: DOCKER_OPTS in /etc/default/docker,
 * OPTIONS (and the DOCKER_NETWORK_OPTIONS / DOCKER_STORAGE_OPTIONS companions) in
 * /etc/sysconfig/docker*, DOCKER_CONTENT_TRUST in /etc/environment and /etc/profile.d/ *.sh.
 * Only NAME=value assignments (optionally after "export") are read, with sh quoting; any
 * other shell statement is skipped, nothing is expanded or executed.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"

static bool namech(char ch, bool first)
{
    return ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (!first && ch >= '0' && ch <= '9');
}

int bh_hostenv_parse(struct bh_arena *a, const char *text, size_t len, struct bh_envvar **vars,
                     size_t *n, int *bad_line)
{
    struct bh_buf v = BH_BUF_INIT(BH_MAX_LOGICAL_LINE);
    size_t p = 0;
    int line = 1, rc = 0;

    *bad_line = 0;
    while (p < len) {
        size_t ns;
        int first = line;
        bool skip = false;

        while (p < len && (text[p] == ' ' || text[p] == '\t' || text[p] == '\r'))
            p++;
        if (p + 7 <= len && !memcmp(text + p, "export", 6) &&
            (text[p + 6] == ' ' || text[p + 6] == '\t')) {
            p += 7;
            while (p < len && (text[p] == ' ' || text[p] == '\t'))
                p++;
        }
        ns = p;
        while (p < len && namech(text[p], p == ns))
            p++;
        if (p == ns || p >= len || text[p] != '=')
            skip = true;
        if (!skip) {
            const char *name = text + ns;
            size_t nl = p - ns;
            char q = 0;
            struct bh_envvar *e;

            p++;
            bh_buf_reset(&v);
            while (p < len) {
                char ch = text[p];

                if (!q && (ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' || ch == '\r'))
                    break;
                if (ch == '\n')
                    line++;
                if (!q && (ch == '\'' || ch == '"')) {
                    q = ch;
                    p++;
                    continue;
                }
                if (q && ch == q) {
                    q = 0;
                    p++;
                    continue;
                }
                if (ch == '\\' && q != '\'' && p + 1 < len) {
                    char nx = text[p + 1];

                    if (nx == '\n') { /* line continuation */
                        line++;
                        p += 2;
                        continue;
                    }
                    /* inside "..." a backslash escapes only $ ` " \ */
                    if (!q || nx == '$' || nx == '`' || nx == '"' || nx == '\\') {
                        bh_buf_putc(&v, nx);
                        p += 2;
                        continue;
                    }
                }
                bh_buf_putc(&v, ch);
                p++;
            }
            if (q) {
                if (!*bad_line)
                    *bad_line = first;
                break;
            }
            if (v.failed) {
                rc = BH_ELIMIT;
                goto out;
            }
            e = BH_HPUSH(a, *vars, *n);
            if (!e) {
                rc = BH_ENOMEM;
                goto out;
            }
            e->name = bh_arena_strndup(a, name, nl);
            e->value = bh_arena_strndup(a, bh_buf_str(&v), v.len);
            e->line = first;
            if (!e->name || !e->value) {
                rc = BH_ENOMEM;
                goto out;
            }
        }
        /* rest of the line (a comment, another statement) is not read */
        while (p < len && text[p] != '\n')
            p++;
        if (p < len) {
            p++;
            line++;
        }
    }
out:
    bh_buf_release(&v);
    return rc;
}

/* $DOCKER_OPTS expands unquoted in the init script and in ExecStart=: fields split at white
   space, quotes inside the value are not removed again */
int bh_hostenv_split(struct bh_arena *a, const char *s, char ***argv, size_t *argc)
{
    *argv = NULL;
    *argc = 0;
    for (;;) {
        const char *st;
        char **slot;

        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (!*s)
            return 0;
        st = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            s++;
        if (*argc >= BH_MAX_SHELL_WORDS)
            return BH_ELIMIT;
        slot = BH_HPUSH(a, *argv, *argc);
        if (!slot || !(*slot = bh_arena_strndup(a, st, (size_t)(s - st))))
            return BH_ENOMEM;
    }
}

static int read_env(struct bh_hostctx *c, const char *rel, struct bh_envvar **vars, size_t *n,
                    const char **hp)
{
    char *data;
    size_t len;
    int bad = 0, rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);

    *vars = NULL;
    *n = 0;
    *hp = bh_hostint_hostpath(c, rel);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    rc = bh_hostenv_parse(c->a, data, len, vars, n, &bad);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        bh_hostint_error(c, *hp, 0, 0, "a line of '%s' is longer than BH_MAX_LOGICAL_LINE", *hp);
    if (bad)
        bh_hostint_error(c, *hp, bad, 0, "cannot parse '%s': unterminated quote from line %d", *hp,
                         bad);
    return 0;
}

static int opts_file(struct bh_hostctx *c, const char *rel, const char *const *names, size_t nnames)
{
    struct bh_envvar *vars;
    size_t n, i, j;
    const char *hp;
    int rc = read_env(c, rel, &vars, &n, &hp);

    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        for (j = 0; j < nnames; j++) {
            char **argv, **full;
            size_t argc, k;
            struct bh_loc where = {0};

            if (strcmp(vars[i].name, names[j]))
                continue;
            if ((rc = bh_hostenv_split(c->a, vars[i].value, &argv, &argc)) != 0) {
                if (rc == BH_ENOMEM)
                    return rc;
                continue;
            }
            full = bh_arena_calloc(c->a, argc + 1, sizeof(*full));
            if (!full)
                return BH_ENOMEM;
            full[0] = (char *)"dockerd";
            for (k = 0; k < argc; k++)
                full[k + 1] = argv[k];
            where.file = hp;
            where.line = vars[i].line;
            where.path = names[j];
            rc = bh_host_dockerd_args(c->a, (const char *const *)full, argc + 1, BH_HS_ENVFILE,
                                      &where, c->h);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int content_trust(struct bh_hostctx *c, const char *rel)
{
    struct bh_envvar *vars;
    size_t n, i;
    const char *hp;
    int rc = read_env(c, rel, &vars, &n, &hp);

    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        if (strcmp(vars[i].name, "DOCKER_CONTENT_TRUST"))
            continue;
        c->h->content_trust = vars[i].value;
        memset(&c->h->content_trust_loc, 0, sizeof(c->h->content_trust_loc));
        c->h->content_trust_loc.file = hp;
        c->h->content_trust_loc.line = vars[i].line;
        c->h->content_trust_loc.path = "DOCKER_CONTENT_TRUST";
    }
    return 0;
}

int bh_hostenv_read(struct bh_hostctx *c)
{
    static const char *const deb[] = {"DOCKER_OPTS"};
    static const char *const rh[] = {"OPTIONS"};
    static const char *const rhnet[] = {"DOCKER_NETWORK_OPTIONS"};
    static const char *const rhsto[] = {"DOCKER_STORAGE_OPTIONS"};
    char **names;
    size_t n, i;
    int rc;

    if ((rc = opts_file(c, "etc/default/docker", deb, 1)) != 0 ||
        (rc = opts_file(c, "etc/sysconfig/docker", rh, 1)) != 0 ||
        (rc = opts_file(c, "etc/sysconfig/docker-network", rhnet, 1)) != 0 ||
        (rc = opts_file(c, "etc/sysconfig/docker-storage", rhsto, 1)) != 0)
        return rc;
    /* login shells read /etc/environment (pam_env) first, then /etc/profile.d in name order:
       the last assignment is the one that holds */
    if ((rc = content_trust(c, "etc/environment")) != 0)
        return rc;
    if ((rc = bh_hostint_list(c, "etc/profile.d", &names, &n)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel;

        if (!bh_str_suffix(names[i], ".sh"))
            continue;
        rel = bh_arena_printf(c->a, "etc/profile.d/%s", names[i]);
        if (!rel)
            return BH_ENOMEM;
        if ((rc = content_trust(c, rel)) != 0)
            return rc;
    }
    return 0;
}
