/*
 * files.c - owner, group, mode and POSIX ACL of the files whose permissions matter to the
 * engine: the sockets, the unit files, /etc/docker and its daemon.json and certs.d, the
 * environment files, and the TLS files the settings name. Paths are resolved inside the root
 * (a symlinked socket is judged by its target); an absent file is still listed (exists false)
 * so a rule can tell "missing" from "fine". The ACL is read from the system.posix_acl_access
 * xattr in its kernel binary form; default ACLs of directories are not read.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "input/host/hostint.h"

#include <sys/stat.h>
#include <sys/xattr.h>

enum {
    ACL_VERSION = 2,
    TAG_USER_OBJ = 0x01,
    TAG_USER = 0x02,
    TAG_GROUP_OBJ = 0x04,
    TAG_GROUP = 0x08,
    TAG_MASK = 0x10,
    TAG_OTHER = 0x20,
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int bh_hostacl_parse(struct bh_arena *a, const struct bh_hostctx *c, const void *blob, size_t len,
                     const char **text)
{
    const unsigned char *b = blob;
    struct bh_buf t = BH_BUF_INIT(BH_MAX_HOST_ACL * 4u);
    size_t off;
    int named = 0;

    *text = NULL;
    if (len < 4 || (len - 4) % 8 != 0 || le32(b) != ACL_VERSION)
        return BH_EPARSE;
    for (off = 4; off < len; off += 8) {
        unsigned tag = (unsigned)b[off] | (unsigned)b[off + 1] << 8;
        unsigned perm = (unsigned)b[off + 2] | (unsigned)b[off + 3] << 8;
        uint32_t id = le32(b + off + 4);
        const char *name;

        if (tag != TAG_USER_OBJ && tag != TAG_USER && tag != TAG_GROUP_OBJ && tag != TAG_GROUP &&
            tag != TAG_MASK && tag != TAG_OTHER) {
            bh_buf_release(&t);
            return BH_EPARSE;
        }
        if (tag != TAG_USER && tag != TAG_GROUP)
            continue;
        name = tag == TAG_USER ? bh_hostint_uname(c, id) : bh_hostint_gname(c, id);
        if (named++)
            bh_buf_putc(&t, ',');
        bh_buf_puts(&t, tag == TAG_USER ? "user:" : "group:");
        if (name)
            bh_buf_puts(&t, name);
        else
            bh_buf_printf(&t, "%u", (unsigned)id);
        bh_buf_printf(&t, ":%c%c%c", perm & 4 ? 'r' : '-', perm & 2 ? 'w' : '-',
                      perm & 1 ? 'x' : '-');
    }
    if (t.failed) {
        bh_buf_release(&t);
        return BH_ENOMEM;
    }
    if (named && !(*text = bh_arena_strndup(a, bh_buf_str(&t), t.len))) {
        bh_buf_release(&t);
        return BH_ENOMEM;
    }
    bh_buf_release(&t);
    return named ? 1 : 0;
}

static char ftype(mode_t m)
{
    if (S_ISSOCK(m))
        return 's';
    if (S_ISREG(m))
        return 'f';
    if (S_ISDIR(m))
        return 'd';
    if (S_ISLNK(m))
        return 'l';
    return '?';
}

static int read_acl(struct bh_hostctx *c, const char *canon, struct bh_hostfile *f)
{
    const char *full = bh_arena_printf(c->a, "%s/%s", c->root, canon);
    ssize_t n;
    void *blob;
    int rc;

    if (!full)
        return BH_ENOMEM;
    n = lgetxattr(full, "system.posix_acl_access", NULL, 0);
    if (n <= 0)
        return 0; /* no ACL, or the filesystem has none */
    if ((size_t)n > BH_MAX_HOST_ACL) {
        bh_hostint_error(c, f->path, 0, 0, "ACL of '%s' is larger than BH_MAX_HOST_ACL", f->path);
        return 0;
    }
    if (!(blob = bh_arena_alloc(c->a, (size_t)n)))
        return BH_ENOMEM;
    n = lgetxattr(full, "system.posix_acl_access", blob, (size_t)n);
    if (n <= 0)
        return 0;
    rc = bh_hostacl_parse(c->a, c, blob, (size_t)n, &f->acl_text);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc == BH_EPARSE)
        bh_hostint_error(c, f->path, 0, 0, "cannot parse the POSIX ACL of '%s'", f->path);
    f->acl_extra = rc == 1;
    return 0;
}

int bh_hostfile_add(struct bh_hostctx *c, const char *rel, const char *role)
{
    struct bh_hostfile *f = NULL;
    struct stat st;
    const char *canon = NULL;
    bool exists;
    size_t i;
    int rc;

    if (!role)
        return BH_ENOMEM;
    rc = bh_hostint_stat(c, rel, true, &st, &canon);
    if (rc < 0)
        return rc;
    exists = rc == 0;
    if (!exists && bh_hostint_stat(c, rel, false, &st, NULL) == 0)
        exists = true; /* a link whose target is not there: report the link */
    for (i = 0; i < c->h->nfiles; i++) {
        if (strcmp(c->h->files[i].role, role))
            continue;
        if (!exists)
            return 0; /* one "missing" per role is enough */
        if (!c->h->files[i].exists) {
            f = &c->h->files[i]; /* replace the "missing" entry */
            memset(f, 0, sizeof(*f));
            break;
        }
        if (canon && c->fcanon[i] && !strcmp(canon, c->fcanon[i]))
            return 0; /* var/run -> run: the same file twice */
    }
    if (!f) {
        const char **cs;
        size_t nc = c->nfcanon;

        if (!(f = BH_HPUSH(c->a, c->h->files, c->h->nfiles)) ||
            !(cs = BH_HPUSH(c->a, c->fcanon, nc)))
            return BH_ENOMEM;
        c->nfcanon = nc;
        i = c->h->nfiles - 1;
    }
    c->fcanon[i] = canon;
    f->path = bh_hostint_hostpath(c, rel);
    f->role = role;
    f->exists = exists;
    f->type = '?';
    if (!exists)
        return f->path ? 0 : BH_ENOMEM;
    f->type = ftype(st.st_mode);
    f->mode = (uint32_t)(st.st_mode & 07777);
    f->uid = (uint32_t)st.st_uid;
    f->gid = (uint32_t)st.st_gid;
    f->owner = bh_hostint_uname(c, f->uid);
    f->group = bh_hostint_gname(c, f->gid);
    if (canon && (rc = read_acl(c, canon, f)) != 0)
        return rc;
    return f->path ? 0 : BH_ENOMEM;
}

int bh_hostfile_read(struct bh_hostctx *c)
{
    static const struct {
        const char *rel, *role;
    } roles[] = {
        {"var/run/docker.sock", "docker.sock"},
        {"run/docker.sock", "docker.sock"},
        {"run/containerd/containerd.sock", "containerd.sock"},
        {"var/run/crio/crio.sock", "crio.sock"},
        {"run/podman/podman.sock", "podman.sock"},
        {"run/buildkit/buildkitd.sock", "buildkitd.sock"},
        {"var/run/cri-dockerd.sock", "cri-dockerd.sock"},
        {"run/k3s/containerd/containerd.sock", "k3s-containerd.sock"},
        {"etc/docker", "etc-docker"},
        {"etc/docker/daemon.json", "daemon.json"},
        {"etc/docker/certs.d", "certs.d"},
        {"etc/default/docker", "default-docker"},
        {"etc/sysconfig/docker", "sysconfig-docker"},
        {"etc/containerd/config.toml", "containerd-config"},
    };
    char **regs;
    size_t nregs, i, j;
    int rc;

    for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if ((rc = bh_hostfile_add(c, roles[i].rel, roles[i].role)) != 0)
            return rc;
    /* certs.d/<registry>/<file>: each directory and file, two levels deep */
    if ((rc = bh_hostint_list(c, "etc/docker/certs.d", &regs, &nregs)) != 0)
        return rc;
    for (i = 0; i < nregs; i++) {
        const char *d = bh_arena_printf(c->a, "etc/docker/certs.d/%s", regs[i]);
        char **files;
        size_t nf;

        if (!d)
            return BH_ENOMEM;
        if ((rc = bh_hostfile_add(c, d, "certs.d")) != 0 ||
            (rc = bh_hostint_list(c, d, &files, &nf)) != 0)
            return rc;
        for (j = 0; j < nf; j++) {
            const char *f = bh_arena_printf(c->a, "%s/%s", d, files[j]);

            if (!f)
                return BH_ENOMEM;
            if ((rc = bh_hostfile_add(c, f, "certs.d")) != 0)
                return rc;
        }
    }
    /* TLS files named by any source; relative paths depend on dockerd's cwd and are skipped */
    for (i = 0; i < c->h->nsettings; i++) {
        const struct bh_hostsetting *s = &c->h->settings[i];
        bool dup = false;

        if (strcmp(s->key, "tlscacert") && strcmp(s->key, "tlscert") && strcmp(s->key, "tlskey"))
            continue;
        if (!s->value || s->value[0] != '/')
            continue;
        for (j = 0; j < c->h->nfiles; j++)
            if (!strcmp(c->h->files[j].role, s->key) && !strcmp(c->h->files[j].path, s->value))
                dup = true;
        if (dup)
            continue;
        /* several sources may name different files for one key: each is kept */
        if ((rc = bh_hostfile_add(c, s->value + 1, s->key)) != 0)
            return rc;
    }
    return 0;
}
