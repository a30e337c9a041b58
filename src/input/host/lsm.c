/*
 * lsm.c - kernel confinement state as the root's /sys and /proc show it: AppArmor enabled
 * and its docker-default profile loaded, SELinux enforcing, seccomp available (the Seccomp:
 * line of a process status), and the user namespace limit. A missing file is "unknown" (-1),
 * not "off": a --root tree usually has no /sys at all.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"

static int rd(struct bh_hostctx *c, const char *rel, char **data, size_t *len)
{
    int rc = bh_hostint_read(c, rel, BH_MAX_HOST_FILE, data, len);

    return rc == BH_ENOMEM ? rc : (rc ? 1 : 0);
}

static void at(struct bh_hostctx *c, struct bh_loc *l, const char *rel, int line)
{
    l->file = bh_hostint_hostpath(c, rel);
    l->line = line;
}

int bh_hostlsm_read(struct bh_hostctx *c)
{
    struct bh_hostlsm *m = &c->h->lsm;
    char *d;
    size_t len;
    int rc;

    if ((rc = rd(c, "sys/module/apparmor/parameters/enabled", &d, &len)) < 0)
        return rc;
    if (rc == 0) {
        m->apparmor_enabled = len && (d[0] == 'Y' || d[0] == 'y' || d[0] == '1');
        at(c, &m->apparmor_loc, "sys/module/apparmor/parameters/enabled", 1);
    }
    if ((rc = rd(c, "sys/kernel/security/apparmor/profiles", &d, &len)) < 0)
        return rc;
    if (rc == 0) {
        /* one "name (mode)" per line */
        const char *p = d;
        int line = 1;

        m->apparmor_docker_default = 0;
        while (*p) {
            if (bh_str_prefix(p, "docker-default ") || bh_str_prefix(p, "docker-default\n")) {
                m->apparmor_docker_default = 1;
                if (!m->apparmor_loc.file)
                    at(c, &m->apparmor_loc, "sys/kernel/security/apparmor/profiles", line);
                break;
            }
            p = strchr(p, '\n');
            if (!p)
                break;
            p++;
            line++;
        }
    }
    if ((rc = rd(c, "sys/fs/selinux/enforce", &d, &len)) < 0)
        return rc;
    if (rc == 0) {
        m->selinux_enforcing = len && d[0] == '1';
        at(c, &m->selinux_loc, "sys/fs/selinux/enforce", 1);
    }
    {
        static const char *const st[] = {"proc/self/status", "proc/1/status"};
        size_t i;

        for (i = 0; i < 2 && m->seccomp_available < 0; i++) {
            const char *p;

            if ((rc = rd(c, st[i], &d, &len)) < 0)
                return rc;
            if (rc)
                continue;
            p = bh_str_prefix(d, "Seccomp:") ? d : strstr(d, "\nSeccomp:");
            m->seccomp_available = p != NULL;
            if (p) {
                int line = 1;
                const char *q;

                for (q = d; q < p; q++)
                    line += *q == '\n';
                at(c, &m->seccomp_loc, st[i], p == d ? 1 : line + 1);
            }
        }
    }
    if ((rc = rd(c, "proc/sys/user/max_user_namespaces", &d, &len)) < 0)
        return rc;
    if (rc == 0) {
        long long v;

        while (len && (d[len - 1] == '\n' || d[len - 1] == ' '))
            len--;
        if (bh_parse_int(d, len, 0, 2147483647LL, &v) == 0)
            m->max_user_namespaces = (int)v;
    }
    return 0;
}
