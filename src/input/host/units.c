/*
 * units.c - systemd units docker.service and docker.socket: the unit file from the first
 * directory that has it (etc, run, then the vendor directories; a unit masked to /dev/null
 * is skipped), then its NAME.d/ *.conf drop-ins by file name (a name in a higher directory
 * hides the same name below). ExecStart= of dockerd becomes settings through cmdline.c;
 * ListenStream=, SocketMode= and SocketGroup= of the socket become settings too. Only the
 * syntax systemd.syntax(7) defines is read; specifiers other than %% are left as written.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"

#include <sys/stat.h>

static bool isws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

int bh_hostunit_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                      struct bh_unitent **ents, size_t *n, int *bad_line)
{
    struct bh_buf logical = BH_BUF_INIT(BH_MAX_LOGICAL_LINE);
    const char *section = "";
    size_t pos = 0;
    int lineno = 0, first = 0, rc = 0;
    bool cont = false;

    *bad_line = 0;
    while (pos < len) {
        const char *ln = text + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos, s = 0;

        pos += ll + (nl ? 1 : 0);
        lineno++;
        while (ll && isws(ln[ll - 1]))
            ll--;
        while (s < ll && isws(ln[s]))
            s++;
        if (cont && s < ll && (ln[s] == '#' || ln[s] == ';'))
            continue; /* comment lines inside a continuation are dropped */
        if (!cont) {
            bh_buf_reset(&logical);
            first = lineno;
        }
        if (ll && ln[ll - 1] == '\\') {
            bh_buf_append(&logical, ln + (cont ? 0 : s), ll - 1 - (cont ? 0 : s));
            bh_buf_putc(&logical, ' ');
            cont = true;
            if (pos < len)
                continue;
        } else {
            bh_buf_append(&logical, ln + (cont ? 0 : s), ll - (cont ? 0 : s));
            cont = false;
        }
        cont = false;
        if (logical.failed) {
            rc = BH_ELIMIT;
            goto out;
        }
        {
            char *l = logical.ptr ? logical.ptr : (char *)"";
            size_t L = logical.len, k;
            char *eq;
            struct bh_unitent *e;

            while (L && isws(l[L - 1]))
                L--;
            for (k = 0; k < L && isws(l[k]); k++)
                ;
            l += k;
            L -= k;
            if (!L || l[0] == '#' || l[0] == ';')
                continue;
            if (l[0] == '[') {
                if (l[L - 1] != ']') {
                    if (!*bad_line)
                        *bad_line = first;
                    continue;
                }
                section = bh_arena_strndup(a, l + 1, L - 2);
                if (!section) {
                    rc = BH_ENOMEM;
                    goto out;
                }
                continue;
            }
            eq = memchr(l, '=', L);
            if (!eq || eq == l) {
                if (!*bad_line)
                    *bad_line = first;
                continue;
            }
            e = BH_HPUSH(a, *ents, *n);
            if (!e) {
                rc = BH_ENOMEM;
                goto out;
            }
            k = (size_t)(eq - l);
            while (k && isws(l[k - 1]))
                k--;
            e->section = section;
            e->key = bh_arena_strndup(a, l, k);
            eq++;
            while (eq < l + L && isws(*eq))
                eq++;
            e->value = bh_arena_strndup(a, eq, (size_t)(l + L - eq));
            e->file = file;
            e->line = first;
            if (!e->key || !e->value) {
                rc = BH_ENOMEM;
                goto out;
            }
        }
    }
out:
    bh_buf_release(&logical);
    return rc;
}

/* one C-style escape at s (after the backslash) into b; returns bytes consumed or 0 if bad */
static size_t unescape(const char *s, struct bh_buf *b)
{
    static const char from[] = "abfnrtv\\\"'s";
    static const char to[] = "\a\b\f\n\r\t\v\\\"' ";
    const char *p = *s ? strchr(from, *s) : NULL;

    if (p) {
        bh_buf_putc(b, to[p - from]);
        return 1;
    }
    if (*s == 'x' && bh_hexval(s[1]) >= 0 && bh_hexval(s[2]) >= 0) {
        bh_buf_putc(b, (char)(bh_hexval(s[1]) * 16 + bh_hexval(s[2])));
        return 3;
    }
    if (s[0] >= '0' && s[0] <= '7' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7') {
        bh_buf_putc(b, (char)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0')));
        return 3;
    }
    return 0;
}

int bh_hostunit_split(struct bh_arena *a, const char *s, char ***argv, size_t *argc)
{
    struct bh_buf w = BH_BUF_INIT(BH_MAX_LOGICAL_LINE);
    bool at0 = true, argv0_override = false;
    int rc = 0;

    *argv = NULL;
    *argc = 0;
    for (;;) {
        bool inword = false;
        char q = 0;

        while (*s && (isws(*s) || *s == '\n'))
            s++;
        if (!*s)
            break;
        if (at0) {
            /* ExecStart= prefixes before the executable */
            while (*s == '-' || *s == '@' || *s == ':' || *s == '+' || *s == '!') {
                if (*s == '@')
                    argv0_override = true;
                s++;
            }
            at0 = false;
        }
        bh_buf_reset(&w);
        while (*s) {
            if (!q && (isws(*s) || *s == '\n'))
                break;
            if (!q && (*s == '"' || *s == '\'')) {
                q = *s++;
                inword = true;
                continue;
            }
            if (q && *s == q) {
                q = 0;
                s++;
                continue;
            }
            if (*s == '\\') {
                size_t used = unescape(s + 1, &w);

                if (!used) {
                    rc = BH_EPARSE;
                    goto out;
                }
                s += 1 + used;
                inword = true;
                continue;
            }
            if (*s == '%' && s[1] == '%') {
                bh_buf_putc(&w, '%');
                s += 2;
                inword = true;
                continue;
            }
            bh_buf_putc(&w, *s++);
            inword = true;
        }
        if (q) {
            rc = BH_EPARSE;
            goto out;
        }
        if (w.failed) {
            rc = BH_ELIMIT;
            goto out;
        }
        if (inword) {
            char **slot;

            if (*argc >= BH_MAX_SHELL_WORDS) {
                rc = BH_ELIMIT;
                goto out;
            }
            slot = BH_HPUSH(a, *argv, *argc);
            if (!slot || !(*slot = bh_arena_strndup(a, bh_buf_str(&w), w.len))) {
                rc = BH_ENOMEM;
                goto out;
            }
        }
    }
    /* "@/usr/bin/dockerd dockerd-name -H ...": the second word only names argv[0] */
    if (argv0_override && *argc >= 2) {
        memmove(&(*argv)[1], &(*argv)[2], (*argc - 2) * sizeof(**argv));
        (*argc)--;
    }
out:
    bh_buf_release(&w);
    return rc;
}

size_t bh_hostunit_effective(const struct bh_unitent *ents, size_t n, const char *section,
                             const char *key, const struct bh_unitent **out, size_t cap)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (strcmp(ents[i].section, section) || strcmp(ents[i].key, key))
            continue;
        if (!ents[i].value[0]) {
            k = 0;
            continue;
        }
        if (k < cap)
            out[k++] = &ents[i];
    }
    return k;
}

static const char *const unitdirs[] = {
    "etc/systemd/system", "run/systemd/system",     "usr/local/lib/systemd/system",
    "lib/systemd/system", "usr/lib/systemd/system",
};
#define NUNITDIRS (sizeof(unitdirs) / sizeof(unitdirs[0]))

static int parse_file(struct bh_hostctx *c, const char *rel, struct bh_unitent **ents, size_t *n)
{
    char *data;
    size_t len;
    int bad = 0, rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);
    const char *hp = bh_hostint_hostpath(c, rel);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    rc = bh_hostunit_parse(c->a, hp, data, len, ents, n, &bad);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        bh_hostint_error(c, hp, 0, 0, "a line of '%s' is longer than BH_MAX_LOGICAL_LINE", hp);
    if (bad)
        bh_hostint_error(c, hp, bad, 0, "cannot parse '%s': line %d is not key=value", hp, bad);
    return 0;
}

/* main unit + drop-ins of name into ents; *mainrel the unit file read, or NULL */
static int load_unit(struct bh_hostctx *c, const char *name, struct bh_unitent **ents, size_t *n,
                     const char **mainrel)
{
    const char **seen = NULL, **seenrel = NULL;
    size_t nseen = 0, nseenrel = 0, i, j, k;
    struct stat st;
    int rc;

    *mainrel = NULL;
    for (i = 0; i < NUNITDIRS; i++) {
        const char *rel = bh_arena_printf(c->a, "%s/%s", unitdirs[i], name), *canon;

        if (!rel)
            return BH_ENOMEM;
        if (bh_hostint_stat(c, rel, true, &st, &canon) != 0) {
            /* a dangling link (e.g. to /dev/null under a --root without dev/) still masks */
            if (bh_hostint_stat(c, rel, false, &st, NULL) == 0)
                return 0;
            continue;
        }
        if ((canon && !strcmp(canon, "dev/null")) || !S_ISREG(st.st_mode) || st.st_size == 0)
            return 0; /* masked */
        *mainrel = rel;
        if ((rc = bh_hostfile_add(c, rel, name)) != 0)
            return rc;
        if ((rc = parse_file(c, rel, ents, n)) != 0)
            return rc;
        break;
    }
    if (!*mainrel)
        return 0;
    /* drop-ins: first directory wins per file name, applied in file-name order */
    for (i = 0; i < NUNITDIRS; i++) {
        const char *d = bh_arena_printf(c->a, "%s/%s.d", unitdirs[i], name);
        char **names;
        size_t nn;

        if (!d)
            return BH_ENOMEM;
        if ((rc = bh_hostint_list(c, d, &names, &nn)) != 0)
            return rc;
        for (j = 0; j < nn; j++) {
            const char **slot;

            if (!bh_str_suffix(names[j], ".conf"))
                continue;
            for (k = 0; k < nseen; k++)
                if (!strcmp(seen[k], names[j]))
                    break;
            if (k < nseen)
                continue;
            if (!(slot = BH_HPUSH(c->a, seen, nseen)))
                return BH_ENOMEM;
            *slot = names[j];
            if (!(slot = BH_HPUSH(c->a, seenrel, nseenrel)))
                return BH_ENOMEM;
            *slot = bh_arena_printf(c->a, "%s/%s", d, names[j]);
        }
    }
    /* order by file name (insertion sort: drop-ins are few) */
    for (i = 1; i < nseen; i++)
        for (j = i; j > 0 && strcmp(seen[j - 1], seen[j]) > 0; j--) {
            const char *t = seen[j];

            seen[j] = seen[j - 1];
            seen[j - 1] = t;
            t = seenrel[j];
            seenrel[j] = seenrel[j - 1];
            seenrel[j - 1] = t;
        }
    for (i = 0; i < nseen; i++) {
        if (!seenrel[i])
            return BH_ENOMEM;
        if ((rc = bh_hostfile_add(c, seenrel[i], bh_arena_printf(c->a, "%s-dropin", name))) != 0)
            return rc;
        if ((rc = parse_file(c, seenrel[i], ents, n)) != 0)
            return rc;
    }
    return 0;
}

static bool is_dockerd(const char *exe)
{
    const char *b = strrchr(exe, '/');

    b = b ? b + 1 : exe;
    return !strcmp(b, "dockerd");
}

/* ListenStream= value as a hosts URL */
static const char *listen_url(struct bh_arena *a, const char *v)
{
    size_t i;
    bool digits = *v != '\0';

    if (v[0] == '/' || v[0] == '@')
        return bh_arena_printf(a, "unix://%s", v);
    for (i = 0; v[i]; i++)
        if (v[i] < '0' || v[i] > '9')
            digits = false;
    if (digits)
        return bh_arena_printf(a, "tcp://0.0.0.0:%s", v); /* a bare port binds every address */
    if (!strncmp(v, "vsock:", 6))
        return bh_arena_strdup(a, v);
    return bh_arena_printf(a, "tcp://%s", v);
}

int bh_hostunit_read(struct bh_hostctx *c)
{
    struct bh_unitent *ents = NULL;
    const struct bh_unitent *eff[64];
    size_t n = 0, k, i;
    const char *mainrel;
    int rc;

    if ((rc = load_unit(c, "docker.service", &ents, &n, &mainrel)) != 0)
        return rc;
    k = bh_hostunit_effective(ents, n, "Service", "ExecStart", eff, 64);
    for (i = 0; i < k; i++) {
        char **argv;
        size_t argc;
        struct bh_loc where = {0};

        rc = bh_hostunit_split(c->a, eff[i]->value, &argv, &argc);
        if (rc == BH_ENOMEM)
            return rc;
        if (rc) {
            bh_hostint_error(c, eff[i]->file, eff[i]->line, 0,
                             "cannot split ExecStart= of '%s' line %d: unbalanced quote or bad "
                             "escape",
                             eff[i]->file, eff[i]->line);
            continue;
        }
        if (!argc || !is_dockerd(argv[0]))
            continue;
        where.file = eff[i]->file;
        where.line = eff[i]->line;
        where.path = "ExecStart";
        rc = bh_host_dockerd_args(c->a, (const char *const *)argv, argc, BH_HS_UNIT, &where, c->h);
        if (rc)
            return rc;
    }

    ents = NULL;
    n = 0;
    if ((rc = load_unit(c, "docker.socket", &ents, &n, &mainrel)) != 0)
        return rc;
    k = bh_hostunit_effective(ents, n, "Socket", "ListenStream", eff, 64);
    for (i = 0; i < k; i++)
        if (!bh_hostint_setting(c->a, c->h, "hosts", listen_url(c->a, eff[i]->value), BH_HS_UNIT,
                                eff[i]->file, eff[i]->line, "ListenStream"))
            return BH_ENOMEM;
    /* single-valued: the last assignment wins, an empty one restores the default */
    for (i = 0; i < 2; i++) {
        const char *key = i ? "SocketGroup" : "SocketMode";

        k = bh_hostunit_effective(ents, n, "Socket", key, eff, 64);
        if (k && !bh_hostint_setting(c->a, c->h, key, eff[k - 1]->value, BH_HS_UNIT,
                                     eff[k - 1]->file, eff[k - 1]->line, key))
            return BH_ENOMEM;
    }
    return 0;
}
