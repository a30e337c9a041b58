/*
 * host.c - bh_host_read: opens the root, confines every path to it, and runs the per-source
 * readers (daemonjson, cmdline, units, envfile, procnet, accounts, lsm, audit, components,
 * files, podman). It also scans /proc for dockerd, containerd and podman when there is a
 * proc/ under the root, and decides engine_found and rootless. It never runs a program.
 *
 * Rootless rule: rootless is set when a rootless Docker trace exists (home/NAME/.config/
 * docker/daemon.json, run/user/UID/docker.sock, or a dockerd process not running as uid 0)
 * and no rootful one does (var/run/docker.sock or run/docker.sock, or a dockerd running as
 * uid 0). Installed docker.service units are not rootful evidence: packages ship them even
 * where only the rootless daemon is enabled.
 */
#include "input/host.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/host/hostint.h"
#include "input/pkgdb/pkgdb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

bool bh_hostint_room(struct bh_arena *a, void *parr, size_t n, size_t elem)
{
    void *arr, *p;
    size_t cap;

    memcpy(&arr, parr, sizeof(arr));
    /* capacity implied by n: 0, then 8, doubling (what every push below produced) */
    if (n == 0) {
        cap = 0;
    } else {
        cap = 8;
        while (cap < n)
            cap *= 2;
    }
    if (n < cap)
        return true;
    if (n >= BH_MAX_HOST_SETTINGS * 16u)
        return false;
    p = bh_arena_calloc(a, cap ? cap * 2 : 8, elem);
    if (!p)
        return false;
    if (arr && n)
        memcpy(p, arr, n * elem);
    memcpy(parr, &p, sizeof(p));
    return true;
}

void bh_hostint_error(struct bh_hostctx *c, const char *file, int line, int col, const char *fmt,
                      ...)
{
    struct bh_host_error *e;
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    e = BH_HPUSH(c->a, c->errs, c->nerrs);
    if (!e)
        return;
    e->file = bh_arena_strdup(c->a, file ? file : "");
    e->line = line;
    e->col = col;
    e->message = bh_arena_strdup(c->a, msg);
}

const char *bh_hostint_hostpath(struct bh_hostctx *c, const char *rel)
{
    while (*rel == '/')
        rel++;
    return bh_arena_printf(c->a, "/%s", rel);
}

struct bh_hostsetting *bh_hostint_setting(struct bh_arena *a, struct bh_host *h, const char *key,
                                          const char *value, enum bh_hsorigin origin,
                                          const char *file, int line, const char *path)
{
    struct bh_hostsetting *s;

    if (h->nsettings >= BH_MAX_HOST_SETTINGS)
        return NULL;
    s = BH_HPUSH(a, h->settings, h->nsettings);
    if (!s)
        return NULL;
    s->key = bh_arena_strdup(a, key);
    s->value = bh_arena_strdup(a, value ? value : "");
    s->origin = origin;
    s->loc.file = file;
    s->loc.line = line;
    s->loc.path = path ? bh_arena_strdup(a, path) : NULL;
    return s;
}

/*
 * The walk behind stat/read/list: every component is looked up with fstatat(NOFOLLOW) and
 * entered with openat(O_NOFOLLOW) from the previous directory, symlinks are expanded by hand
 * (absolute targets restart at root, ".." never climbs above root), so nothing outside root
 * is ever touched whatever the tree holds.
 */
struct walk {
    int dirfd;      /* parent directory of the result */
    char last[256]; /* its name there ("." for root itself) */
    struct stat st; /* lstat (or stat when followed) of the result */
    struct bh_buf canon;
};

static int reopen(struct bh_hostctx *c, int *dirfd, const char *canon)
{
    int fd = openat(c->rootfd, *canon ? canon : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (*dirfd >= 0)
        close(*dirfd);
    *dirfd = fd;
    return fd < 0 ? -1 : 0;
}

/* 0 found, 1 absent/unresolvable, BH_ENOMEM. On 0 w->dirfd is open (caller closes). */
static int walk(struct bh_hostctx *c, const char *rel, bool follow, struct walk *w)
{
    struct bh_buf todo = BH_BUF_INIT(BH_MAX_PATH * 4u);
    struct bh_buf next = BH_BUF_INIT(BH_MAX_PATH * 4u);
    char target[BH_MAX_PATH];
    size_t pos = 0, hops = 0;
    int rc = 1;

    w->dirfd = -1;
    bh_buf_init(&w->canon, BH_MAX_PATH);
    bh_buf_puts(&todo, rel);
    if (todo.failed || reopen(c, &w->dirfd, "") < 0)
        goto out;
    for (;;) {
        const char *t = bh_buf_str(&todo);
        size_t s, e, k;
        bool islast;
        char comp[256];

        while (t[pos] == '/')
            pos++;
        if (!t[pos]) {
            /* the result is the directory we stand in */
            if (fstatat(w->dirfd, "", &w->st, AT_EMPTY_PATH) < 0)
                goto out;
            memcpy(w->last, ".", 2);
            rc = 0;
            goto out;
        }
        s = pos;
        while (t[pos] && t[pos] != '/')
            pos++;
        e = pos;
        if (e - s >= sizeof(comp))
            goto out;
        memcpy(comp, t + s, e - s);
        comp[e - s] = '\0';
        for (k = pos; t[k] == '/'; k++)
            ;
        islast = t[k] == '\0';
        if (!strcmp(comp, "."))
            continue;
        if (!strcmp(comp, "..")) {
            char *cs = w->canon.ptr;
            char *sl = cs ? strrchr(cs, '/') : NULL;

            if (sl) {
                w->canon.len = (size_t)(sl - cs);
                *sl = '\0';
            } else {
                bh_buf_reset(&w->canon);
            }
            if (reopen(c, &w->dirfd, bh_buf_str(&w->canon)) < 0)
                goto out;
            continue;
        }
        if (fstatat(w->dirfd, comp, &w->st, AT_SYMLINK_NOFOLLOW) < 0)
            goto out;
        if (S_ISLNK(w->st.st_mode) && (!islast || follow)) {
            ssize_t n;

            if (++hops > BH_MAX_SYMLINK_HOPS)
                goto out;
            n = readlinkat(w->dirfd, comp, target, sizeof(target) - 1);
            if (n <= 0 || (size_t)n >= sizeof(target) - 1)
                goto out;
            target[n] = '\0';
            bh_buf_reset(&next);
            bh_buf_puts(&next, target);
            bh_buf_putc(&next, '/');
            bh_buf_puts(&next, t + pos);
            if (next.failed)
                goto out;
            bh_buf_reset(&todo);
            bh_buf_append(&todo, next.ptr, next.len);
            pos = 0;
            if (target[0] == '/') {
                bh_buf_reset(&w->canon);
                if (reopen(c, &w->dirfd, "") < 0)
                    goto out;
            }
            continue;
        }
        if (w->canon.len)
            bh_buf_putc(&w->canon, '/');
        bh_buf_puts(&w->canon, comp);
        if (w->canon.failed)
            goto out;
        if (islast) {
            memcpy(w->last, comp, strlen(comp) + 1);
            rc = 0;
            goto out;
        }
        if (!S_ISDIR(w->st.st_mode))
            goto out;
        {
            int nd = openat(w->dirfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

            if (nd < 0)
                goto out;
            close(w->dirfd);
            w->dirfd = nd;
        }
    }
out:
    bh_buf_release(&todo);
    bh_buf_release(&next);
    if (rc != 0) {
        if (w->dirfd >= 0)
            close(w->dirfd);
        w->dirfd = -1;
        bh_buf_release(&w->canon);
    }
    return rc;
}

int bh_hostint_stat(struct bh_hostctx *c, const char *rel, bool follow, struct stat *st,
                    const char **canon)
{
    struct walk w;
    int rc = walk(c, rel, follow, &w);

    if (canon)
        *canon = NULL;
    if (rc != 0)
        return rc;
    *st = w.st;
    if (canon)
        *canon = bh_arena_strdup(c->a, bh_buf_str(&w.canon));
    close(w.dirfd);
    bh_buf_release(&w.canon);
    if (canon && !*canon)
        return BH_ENOMEM;
    return 0;
}

int bh_hostint_read(struct bh_hostctx *c, const char *rel, size_t max, char **data, size_t *len)
{
    struct bh_buf b = BH_BUF_INIT(max);
    struct walk w;
    struct stat st;
    char chunk[65536];
    int fd, rc;

    *data = NULL;
    *len = 0;
    if (walk(c, rel, true, &w) != 0)
        return 1;
    bh_buf_release(&w.canon);
    if (!S_ISREG(w.st.st_mode)) {
        close(w.dirfd);
        return 1;
    }
    fd = openat(w.dirfd, w.last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    close(w.dirfd);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        int e = errno;

        if (fd >= 0)
            close(fd);
        bh_hostint_error(c, bh_hostint_hostpath(c, rel), 0, 0, "cannot open '%s': %s",
                         bh_hostint_hostpath(c, rel), strerror(e));
        return BH_EIO;
    }
    rc = 0;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            bh_hostint_error(c, bh_hostint_hostpath(c, rel), 0, 0, "cannot read '%s': %s",
                             bh_hostint_hostpath(c, rel), strerror(errno));
            rc = BH_EIO;
            break;
        }
        if (n == 0)
            break;
        bh_buf_append(&b, chunk, (size_t)n);
        if (b.failed) {
            bh_hostint_error(c, bh_hostint_hostpath(c, rel), 0, 0,
                             "'%s' is larger than %zu bytes (BH_MAX_HOST_FILE)",
                             bh_hostint_hostpath(c, rel), max);
            rc = BH_ELIMIT;
            break;
        }
    }
    close(fd);
    if (rc == 0) {
        *data = bh_arena_strndup(c->a, bh_buf_str(&b), b.len);
        *len = b.len;
        if (!*data)
            rc = BH_ENOMEM;
    }
    bh_buf_release(&b);
    return rc;
}

static int cmpname(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

int bh_hostint_list(struct bh_hostctx *c, const char *rel, char ***names, size_t *n)
{
    struct walk w;
    struct dirent *de;
    DIR *d;
    int fd;

    *names = NULL;
    *n = 0;
    if (walk(c, rel, true, &w) != 0)
        return 0;
    bh_buf_release(&w.canon);
    if (!S_ISDIR(w.st.st_mode)) {
        close(w.dirfd);
        return 0;
    }
    fd = openat(w.dirfd, w.last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(w.dirfd);
    if (fd < 0)
        return 0;
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    while ((de = readdir(d)) != NULL && *n < BH_MAX_HOST_DIR_ENTRIES) {
        char **slot;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        slot = BH_HPUSH(c->a, *names, *n);
        if (!slot || !(*slot = bh_arena_strdup(c->a, de->d_name))) {
            closedir(d);
            return BH_ENOMEM;
        }
    }
    closedir(d);
    if (*n > 1)
        qsort(*names, *n, sizeof(**names), cmpname);
    return 0;
}

/* ---- /proc scan ---- */

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* uid of a process from its status "Uid:" line (real uid), -1 when unknown */
static long long proc_uid(struct bh_hostctx *c, const char *pid)
{
    char *data, *p;
    size_t len;
    long long uid = -1;
    const char *rel = bh_arena_printf(c->a, "proc/%s/status", pid);

    if (!rel || bh_hostint_read(c, rel, BH_MAX_HOST_FILE, &data, &len) != 0)
        return -1;
    p = strstr(data, "\nUid:");
    if (p) {
        size_t k;

        p += 5;
        while (*p == ' ' || *p == '\t')
            p++;
        for (k = 0; p[k] >= '0' && p[k] <= '9'; k++)
            ;
        if (bh_parse_int(p, k, 0, 4294967295LL, &uid) != 0)
            uid = -1;
    }
    return uid;
}

static int scan_proc(struct bh_hostctx *c)
{
    char **pids;
    size_t npids, i;
    int rc = bh_hostint_list(c, "proc", &pids, &npids);

    if (rc)
        return rc;
    for (i = 0; i < npids; i++) {
        const char *rel;
        char *comm, *cmd;
        size_t clen, len, k, argc = 0;
        const char **argv = NULL;

        if (!all_digits(pids[i]))
            continue;
        rel = bh_arena_printf(c->a, "proc/%s/comm", pids[i]);
        if (!rel || bh_hostint_read(c, rel, 4096, &comm, &clen) != 0)
            continue;
        while (clen && (comm[clen - 1] == '\n' || comm[clen - 1] == '\r'))
            comm[--clen] = '\0';
        if (strcmp(comm, "dockerd") && strcmp(comm, "containerd") && strcmp(comm, "podman"))
            continue;
        c->h->engine_found = true;
        if (!strcmp(comm, "containerd"))
            continue;
        rel = bh_arena_printf(c->a, "proc/%s/cmdline", pids[i]);
        if (!rel || bh_hostint_read(c, rel, BH_MAX_HOST_CMDLINE, &cmd, &len) != 0 || !len)
            continue;
        /* NUL-separated; the last argument is NUL-terminated too */
        for (k = 0; k < len;) {
            const char **slot = BH_HPUSH(c->a, argv, argc);

            if (!slot)
                return BH_ENOMEM;
            *slot = cmd + k;
            k += strlen(cmd + k) + 1;
        }
        if (!strcmp(comm, "dockerd")) {
            struct bh_loc where = {0};
            long long uid = proc_uid(c, pids[i]);
            bool rootless = uid > 0;

            for (k = 1; k < argc; k++)
                if (!strcmp(argv[k], "--rootless"))
                    rootless = true;
            if (rootless)
                c->rootless_dockerd = true;
            else
                c->rootful_dockerd = true;
            where.file = bh_arena_printf(c->a, "/proc/%s/cmdline", pids[i]);
            rc = bh_host_dockerd_args(c->a, argv, argc, BH_HS_ARGV, &where, c->h);
            if (rc)
                return rc;
        } else {
            /* podman system service [URI]: the API listener */
            for (k = 1; k + 1 < argc; k++) {
                if (!strcmp(argv[k], "system") && !strcmp(argv[k + 1], "service")) {
                    size_t j;

                    for (j = k + 2; j < argc; j++)
                        if (argv[j][0] != '-' && strchr(argv[j], ':'))
                            bh_hostint_setting(c->a, c->h, "podman.service", argv[j], BH_HS_ARGV,
                                               bh_arena_printf(c->a, "/proc/%s/cmdline", pids[i]),
                                               0, argv[j]);
                    break;
                }
            }
        }
    }
    return 0;
}

/* Rootless Docker: per-user daemon.json and sockets. */
static int read_rootless(struct bh_hostctx *c, bool *seen)
{
    char **names;
    size_t n, i;
    struct stat st;
    int rc = bh_hostint_list(c, "home", &names, &n);

    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel = bh_arena_printf(c->a, "home/%s/.config/docker/daemon.json", names[i]);

        if (rel && bh_hostint_stat(c, rel, true, &st, NULL) == 0 && S_ISREG(st.st_mode)) {
            *seen = true;
            if ((rc = bh_hostjson_read(c, rel)) != 0)
                return rc;
            if ((rc = bh_hostfile_add(c, rel, "rootless-daemon.json")) != 0)
                return rc;
        }
    }
    rc = bh_hostint_list(c, "run/user", &names, &n);
    if (rc)
        return rc;
    for (i = 0; i < n; i++) {
        const char *rel = bh_arena_printf(c->a, "run/user/%s/docker.sock", names[i]);

        if (rel && bh_hostint_stat(c, rel, false, &st, NULL) == 0) {
            *seen = true;
            if ((rc = bh_hostfile_add(c, rel, "rootless-docker.sock")) != 0)
                return rc;
        }
        rel = bh_arena_printf(c->a, "run/user/%s/podman/podman.sock", names[i]);
        if (rel && bh_hostint_stat(c, rel, false, &st, NULL) == 0) {
            c->h->engine_found = true;
            if ((rc = bh_hostfile_add(c, rel, "rootless-podman.sock")) != 0)
                return rc;
        }
    }
    return 0;
}

static void read_os(struct bh_hostctx *c)
{
    static const char *const files[] = {"etc/os-release", "usr/lib/os-release"};
    struct bh_err err;
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *data;
        size_t len;

        if (bh_hostint_read(c, files[i], BH_MAX_HOST_FILE, &data, &len) != 0)
            continue;
        bh_err_init(&err);
        if (bh_pkgdb_osinfo(c->a, bh_hostint_hostpath(c, files[i]), data, len, &c->h->os, &err) !=
            0)
            bh_hostint_error(c, bh_hostint_hostpath(c, files[i]), err.line, err.col, "%s", err.msg);
        return;
    }
}

int bh_host_read(struct bh_arena *a, const char *root, struct bh_host *h,
                 struct bh_host_error **errs, size_t *nerrs, struct bh_err *err)
{
    struct bh_hostctx c;
    struct stat st;
    size_t rl, i;
    bool rootless_seen = false, rootful_sock = false;
    int rc = 0;

    memset(h, 0, sizeof(*h));
    memset(&c, 0, sizeof(c));
    *errs = NULL;
    *nerrs = 0;
    h->lsm.apparmor_enabled = h->lsm.apparmor_docker_default = -1;
    h->lsm.selinux_enforcing = h->lsm.seccomp_available = h->lsm.max_user_namespaces = -1;
    c.a = a;
    c.h = h;
    rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    h->root = bh_arena_strndup(a, root, rl);
    c.root = (rl == 1 && root[0] == '/') ? "" : h->root;
    if (!h->root)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
    c.rootfd = open(rl ? h->root : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (c.rootfd < 0) {
        rc = bh_err_set(err, BH_EIO, root, 0, 0, "cannot read host root '%s': %s", root,
                        strerror(errno));
        if (err)
            err->sys_errno = errno;
        return rc;
    }
    c.live = !strcmp(h->root, "/") ||
             (bh_hostint_stat(&c, "proc", false, &st, NULL) == 0 && S_ISDIR(st.st_mode));

    read_os(&c);
    if ((rc = bh_hostacct_load(&c)) != 0)
        goto out;
    if ((rc = bh_hostjson_read(&c, "etc/docker/daemon.json")) != 0)
        goto out;
    if (c.live && (rc = scan_proc(&c)) != 0)
        goto out;
    if ((rc = bh_hostunit_read(&c)) != 0 || (rc = bh_hostenv_read(&c)) != 0 ||
        (rc = read_rootless(&c, &rootless_seen)) != 0 || (rc = bh_hostpodman_read(&c)) != 0 ||
        (rc = bh_hostnet_read(&c)) != 0 || (rc = bh_hostacct_read(&c)) != 0 ||
        (rc = bh_hostlsm_read(&c)) != 0 || (rc = bh_hostaudit_read(&c)) != 0 ||
        (rc = bh_hostcomp_read(&c)) != 0 || (rc = bh_hostfile_read(&c)) != 0)
        goto out;

    for (i = 0; i < h->nfiles; i++) {
        const struct bh_hostfile *f = &h->files[i];

        if (!f->exists)
            continue;
        if (!strcmp(f->role, "docker.sock"))
            rootful_sock = true;
        if (!strcmp(f->role, "docker.sock") || !strcmp(f->role, "containerd.sock") ||
            !strcmp(f->role, "podman.sock") || !strcmp(f->role, "daemon.json") ||
            !strcmp(f->role, "docker.service") || !strcmp(f->role, "docker.socket") ||
            !strcmp(f->role, "rootless-docker.sock") || !strcmp(f->role, "etc-docker"))
            h->engine_found = true;
    }
    for (i = 0; i < h->ncomponents; i++)
        if (strcmp(h->components[i].name, "kernel"))
            h->engine_found = true;
    if (h->nsettings)
        h->engine_found = true;
    h->rootless = (rootless_seen || c.rootless_dockerd) && !rootful_sock && !c.rootful_dockerd;
    if (a->failed)
        rc = BH_ENOMEM;
out:
    close(c.rootfd);
    *errs = c.errs;
    *nerrs = c.nerrs;
    if (rc == BH_ENOMEM || a->failed)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory reading host '%s'", root);
    if (rc)
        return bh_err_set(err, rc, NULL, 0, 0, "cannot read host '%s'", root);
    return 0;
}
