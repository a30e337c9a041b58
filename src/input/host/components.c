/*
 * components.c - which engine, containerd, runc and podman versions are installed, from the
 * OS package database of the root (dpkg status, rpm databases, apk installed; read through
 * input/pkgdb), and the kernel release from proc/sys/kernel/osrelease. Binaries installed
 * outside the package manager (static tarballs) are not found here.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/host/hostint.h"
#include "input/pkgdb/pkgdb.h"

static const struct {
    const char *package, *component;
} known[] = {
    {"docker.io", "docker"},
    {"docker-ce", "docker"},
    {"docker-engine", "docker"},
    {"moby-engine", "docker"},
    {"docker", "docker"},
    {"containerd", "containerd"},
    {"containerd.io", "containerd"},
    {"moby-containerd", "containerd"},
    {"runc", "runc"},
    {"moby-runc", "runc"},
    {"podman", "podman"},
};

static int add(struct bh_hostctx *c, const char *name, const char *pkg, const char *version,
               enum bh_pkg_kind kind, const char *file)
{
    struct bh_hostcomponent *k = BH_HPUSH(c->a, c->h->components, c->h->ncomponents);

    if (!k)
        return BH_ENOMEM;
    k->name = name;
    k->package = pkg;
    k->version = version;
    k->kind = kind;
    k->loc.file = file;
    return 0;
}

static int from_db(struct bh_hostctx *c, const char *rel, enum bh_pkg_kind kind)
{
    struct bh_packages pk = {0};
    struct bh_err err;
    char *data;
    size_t len, i, j;
    const char *hp;
    int rc = bh_hostint_read(c, rel, BH_MAX_PKGDB_BYTES, &data, &len);

    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        return 0;
    hp = bh_hostint_hostpath(c, rel);
    bh_err_init(&err);
    if (kind == BH_PKG_DPKG)
        rc = bh_pkgdb_dpkg(c->a, hp, data, len, 0, &pk, &err);
    else if (kind == BH_PKG_APK)
        rc = bh_pkgdb_apk(c->a, hp, data, len, 0, &pk, &err);
    else
        rc = bh_pkgdb_rpm(c->a, hp, data, len, 0, &pk, &err);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc)
        bh_hostint_error(c, hp, err.line, err.col, "%s", err.msg);
    /* what was read before an error still counts */
    for (i = 0; i < pk.n; i++)
        for (j = 0; j < sizeof(known) / sizeof(known[0]); j++)
            if (pk.v[i].name && !strcmp(pk.v[i].name, known[j].package) &&
                (rc = add(c, known[j].component, pk.v[i].name, pk.v[i].version, kind, hp)) != 0)
                return rc;
    return 1;
}

int bh_hostcomp_read(struct bh_hostctx *c)
{
    static const char *const rpmdbs[] = {
        "var/lib/rpm/rpmdb.sqlite",
        "var/lib/rpm/Packages.db",
        "var/lib/rpm/Packages",
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
        "usr/lib/sysimage/rpm/Packages.db",
        "usr/lib/sysimage/rpm/Packages",
    };
    char *data;
    size_t len, i;
    int rc;

    if ((rc = from_db(c, "var/lib/dpkg/status", BH_PKG_DPKG)) < 0)
        return rc;
    if ((rc = from_db(c, "lib/apk/db/installed", BH_PKG_APK)) < 0)
        return rc;
    /* one rpm database is the live one; the first found is read */
    for (i = 0; i < sizeof(rpmdbs) / sizeof(rpmdbs[0]); i++) {
        if ((rc = from_db(c, rpmdbs[i], BH_PKG_RPM)) < 0)
            return rc;
        if (rc == 1)
            break;
    }
    rc = bh_hostint_read(c, "proc/sys/kernel/osrelease", 4096, &data, &len);
    if (rc == BH_ENOMEM)
        return rc;
    if (rc == 0) {
        while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
            data[--len] = '\0';
        if (len)
            return add(c, "kernel", NULL, data, BH_PKG_DPKG,
                       bh_hostint_hostpath(c, "proc/sys/kernel/osrelease"));
    }
    return 0;
}
