/*
 * audit.c - the paths the audit rules watch: "-w PATH" rules and syscall rules with
 * "-F path=PATH" or "-F dir=PATH", from etc/audit/rules.d/ *.rules (what augenrules loads) and
 * etc/audit/audit.rules. What the running kernel has loaded (auditctl -l) is not visible
 * without running a program, so it is not read.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"

static int watch(struct bh_hostctx *c, const char *file, int line, const char *p, size_t n)
{
    const char **w;
    struct bh_loc *l;
    size_t nn = c->h->naudit;

    if (!n || c->h->naudit >= BH_MAX_HOST_SETTINGS)
        return 0;
    w = BH_HPUSH(c->a, c->h->audit_watches, nn);
    nn = c->h->naudit;
    l = BH_HPUSH(c->a, c->h->audit_locs, nn);
    if (!w || !l || !(*w = bh_arena_strndup(c->a, p, n)))
        return BH_ENOMEM;
    c->h->naudit = nn;
    l->file = file;
    l->line = line;
    return 0;
}

int bh_hostaudit_parse(struct bh_hostctx *c, const char *file, const char *text, size_t len)
{
    size_t pos = 0;
    int line = 0, rc;

    while (pos < len) {
        const char *ln = text + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos, i = 0;
        bool prev_w = false, prev_F = false;

        pos += ll + (nl ? 1 : 0);
        line++;
        while (i < ll) {
            size_t s;

            while (i < ll && (ln[i] == ' ' || ln[i] == '\t' || ln[i] == '\r'))
                i++;
            if (i >= ll || ln[i] == '#')
                break;
            s = i;
            while (i < ll && ln[i] != ' ' && ln[i] != '\t' && ln[i] != '\r')
                i++;
            if (prev_w) {
                if ((rc = watch(c, file, line, ln + s, i - s)) != 0)
                    return rc;
            } else if (prev_F) {
                if (i - s > 5 && !memcmp(ln + s, "path=", 5)) {
                    if ((rc = watch(c, file, line, ln + s + 5, i - s - 5)) != 0)
                        return rc;
                } else if (i - s > 4 && !memcmp(ln + s, "dir=", 4)) {
                    if ((rc = watch(c, file, line, ln + s + 4, i - s - 4)) != 0)
                        return rc;
                }
            }
            prev_w = i - s == 2 && !memcmp(ln + s, "-w", 2);
            prev_F = i - s == 2 && !memcmp(ln + s, "-F", 2);
            /* "-w/path" written without a space */
            if (i - s > 2 && !memcmp(ln + s, "-w", 2) && ln[s + 2] == '/' &&
                (rc = watch(c, file, line, ln + s + 2, i - s - 2)) != 0)
                return rc;
        }
    }
    return 0;
}

static int one(struct bh_hostctx *c, const char *rel)
{
    char *data;
    size_t len;
    int rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    c->h->audit_rules_found = true;
    return bh_hostaudit_parse(c, bh_hostint_hostpath(c, rel), data, len);
}

int bh_hostaudit_read(struct bh_hostctx *c)
{
    char **names;
    size_t n, i;
    int rc = bh_hostint_list(c, "etc/audit/rules.d", &names, &n);

    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel;

        if (!bh_str_suffix(names[i], ".rules"))
            continue;
        if (!(rel = bh_arena_printf(c->a, "etc/audit/rules.d/%s", names[i])))
            return BH_ENOMEM;
        if ((rc = one(c, rel)) != 0)
            return rc;
    }
    return one(c, "etc/audit/audit.rules");
}
