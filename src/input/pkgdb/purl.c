/*
 * purl.c - package URLs (github.com/package-url/purl-spec) for the packages the readers
 * find: pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS with each part percent-encoded. OS
 * packages take the namespace and the distro qualifier from the OS identity; rpm moves
 * the epoch into a qualifier as the spec asks. Nothing is looked up or validated.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"

#include <stdbool.h>
#include <string.h>

/* Bytes kept in one purl; a longer one means a hostile name and is not built. */
#define PURL_MAX (64u * 1024u)

/*
 * The spec keeps ASCII letters, digits and ". - _ ~" as they are, and ':' too (it is
 * unambiguous everywhere); every other byte is %XX in upper case. keep_slash leaves '/'
 * alone for namespaces made of several segments.
 */
static void put_enc(struct bh_buf *b, const char *s, size_t n, bool keep_slash, bool lower)
{
    static const char hex[] = "0123456789ABCDEF";
    unsigned char c;
    size_t i;

    for (i = 0; i < n; i++) {
        c = (unsigned char)s[i];
        if (lower && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_' || c == '~' || c == ':' || (keep_slash && c == '/')) {
            bh_buf_putc(b, (char)c);
        } else {
            bh_buf_putc(b, '%');
            bh_buf_putc(b, hex[c >> 4]);
            bh_buf_putc(b, hex[c & 15]);
        }
    }
}

static void put_qualifier(struct bh_buf *b, bool *first, const char *key, const char *v, size_t n)
{
    if (v == NULL || n == 0)
        return;
    bh_buf_putc(b, *first ? '?' : '&');
    *first = false;
    bh_buf_puts(b, key);
    bh_buf_putc(b, '=');
    put_enc(b, v, n, false, false);
}

static bool is_os_kind(enum bh_pkg_kind k)
{
    return k == BH_PKG_DPKG || k == BH_PKG_APK || k == BH_PKG_RPM;
}

/* The namespace of an OS package: the distribution, with rpm's vendor spelling for RHEL. */
static const char *os_namespace(const struct bh_package *p, const struct bh_osinfo *os)
{
    const char *id = os != NULL ? os->id : NULL;

    if (id != NULL && id[0] != '\0')
        return strcmp(id, "rhel") == 0 ? "redhat" : id;
    if (p->kind == BH_PKG_DPKG)
        return "debian";
    if (p->kind == BH_PKG_APK)
        return "alpine";
    return NULL;
}

const char *bh_pkgdb_purl(struct bh_arena *a, const struct bh_package *p,
                          const struct bh_osinfo *os)
{
    struct bh_buf b = BH_BUF_INIT(PURL_MAX);
    const char *name, *ns = NULL, *ver, *sep, *epoch = NULL;
    size_t name_n, ns_n = 0, ver_n, epoch_n = 0, i;
    bool first = true, lower = false;
    char *distro = NULL, *res;

    if (p == NULL || p->name == NULL || p->name[0] == '\0')
        return NULL;
    name = p->name;
    name_n = strlen(name);
    ver = p->version;
    ver_n = ver != NULL ? strlen(ver) : 0;
    if (is_os_kind(p->kind)) {
        ns = os_namespace(p, os);
        ns_n = ns != NULL ? strlen(ns) : 0;
        if (ns != NULL && os != NULL && os->version_id != NULL && os->version_id[0] != '\0')
            distro = bh_arena_printf(a, "%s-%s", ns, os->version_id);
        else if (os != NULL && os->codename != NULL && os->codename[0] != '\0')
            distro = bh_arena_strdup(a, os->codename);
    } else if (p->kind == BH_PKG_NPM && name[0] == '@' && (sep = strchr(name, '/')) != NULL) {
        ns = name;
        ns_n = (size_t)(sep - name);
        name = sep + 1;
        name_n = strlen(name);
    } else if (p->kind == BH_PKG_MAVEN && (sep = strchr(name, ':')) != NULL) {
        ns = name;
        ns_n = (size_t)(sep - name);
        name = sep + 1;
        name_n = strlen(name);
    } else if (p->kind == BH_PKG_GO && (sep = strrchr(name, '/')) != NULL) {
        ns = name;
        ns_n = (size_t)(sep - name);
        name = sep + 1;
        name_n = strlen(name);
    } else if (p->kind == BH_PKG_PYPI) {
        lower = true; /* the spec: lower case, '_' as '-' (done below) */
    }
    /* rpm: "[epoch:]version-release" -> version "version-release", qualifier epoch */
    if (p->kind == BH_PKG_RPM && ver != NULL) {
        for (i = 0; i < ver_n && ver[i] >= '0' && ver[i] <= '9'; i++)
            ;
        if (i > 0 && i < ver_n && ver[i] == ':') {
            epoch = ver;
            epoch_n = i;
            ver += i + 1;
            ver_n -= i + 1;
            while (epoch_n > 1 && epoch[0] == '0')
                epoch++, epoch_n--;
            if (epoch_n == 1 && epoch[0] == '0')
                epoch_n = 0;
        }
    }
    bh_buf_puts(&b, "pkg:");
    bh_buf_puts(&b, bh_pkg_kind_name(p->kind));
    bh_buf_putc(&b, '/');
    if (ns != NULL && ns_n > 0) {
        put_enc(&b, ns, ns_n, true, is_os_kind(p->kind));
        bh_buf_putc(&b, '/');
    }
    if (p->kind == BH_PKG_PYPI) {
        for (i = 0; i < name_n; i++) {
            char c = name[i] == '_' ? '-' : name[i];
            put_enc(&b, &c, 1, false, lower);
        }
    } else {
        put_enc(&b, name, name_n, false, false);
    }
    if (ver != NULL && ver_n > 0) {
        bh_buf_putc(&b, '@');
        put_enc(&b, ver, ver_n, false, false);
    }
    /* qualifiers sorted by key, as the canonical form wants */
    if (p->arch != NULL)
        put_qualifier(&b, &first, "arch", p->arch, strlen(p->arch));
    if (distro != NULL)
        put_qualifier(&b, &first, "distro", distro, strlen(distro));
    put_qualifier(&b, &first, "epoch", epoch, epoch_n);
    res = b.failed ? NULL : bh_arena_strdup(a, bh_buf_str(&b));
    bh_buf_release(&b);
    return res;
}
