/*
 * osinfo.c - which OS a root filesystem is: os-release (shell-style KEY=value with quotes
 * and backslash escapes) and the one-line files older or minimal images carry instead
 * (debian_version, alpine-release, redhat-release and its centos/rocky/alma/fedora kin).
 * Which file wins when several exist is the caller's choice; this only reads one.
 */
#include "input/pkgdb/pkgdb.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"

#include <stdbool.h>
#include <string.h>

static const char *base_name(const char *file)
{
    const char *s = file != NULL ? strrchr(file, '/') : NULL;

    return s != NULL ? s + 1 : (file != NULL ? file : "");
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char *lower_dup(struct bh_arena *a, const char *p, size_t n)
{
    char *s = bh_arena_strndup(a, p, n);
    size_t i;

    for (i = 0; s != NULL && i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    return s;
}

/*
 * One os-release value, unquoted: os-release(5) follows shell rules for "..." (where
 * backslash escapes \ " $ and `), '...' (literal) and bare words (backslash escapes anything).
 * Returns NULL and sets *bad on an unterminated quote.
 */
static char *unquote(struct bh_arena *a, const char *p, size_t n, bool *bad)
{
    char *o = bh_arena_alloc(a, n + 1);
    size_t i = 0, k = 0;
    char q;

    *bad = false;
    if (o == NULL)
        return NULL;
    while (i < n) {
        if (p[i] == '"' || p[i] == '\'') {
            q = p[i++];
            while (i < n && p[i] != q) {
                if (q == '"' && p[i] == '\\' && i + 1 < n &&
                    (p[i + 1] == '\\' || p[i + 1] == '"' || p[i + 1] == '$' || p[i + 1] == '`'))
                    i++;
                o[k++] = p[i++];
            }
            if (i == n) {
                *bad = true;
                return NULL;
            }
            i++;
        } else if (p[i] == '\\' && i + 1 < n) {
            o[k++] = p[i + 1];
            i += 2;
        } else if (is_space(p[i])) {
            i++; /* trailing blanks or a comment after the value */
            while (i < n && is_space(p[i]))
                i++;
            if (i < n && p[i] != '#')
                o[k++] = ' ';
            else
                break;
        } else {
            o[k++] = p[i++];
        }
    }
    o[k] = '\0';
    return o;
}

static int read_os_release(struct bh_arena *a, const char *file, const char *data, size_t len,
                           struct bh_osinfo *out, struct bh_err *err)
{
    const char *end = data + len, *l, *nl, *eq, *ubuntu = NULL;
    const char *codename = NULL;
    size_t ll, i, kl;
    int line = 0;
    bool bad;
    char *v;

    while (data < end) {
        line++;
        nl = memchr(data, '\n', (size_t)(end - data));
        ll = (size_t)((nl != NULL ? nl : end) - data);
        l = data;
        data = nl != NULL ? nl + 1 : end;
        if (ll > BH_MAX_PKGDB_LINE)
            return bh_err_set(err, BH_ELIMIT, file, line, 0,
                              "line longer than BH_MAX_PKGDB_LINE (%u bytes)", BH_MAX_PKGDB_LINE);
        while (ll > 0 && is_space(*l))
            l++, ll--;
        while (ll > 0 && is_space(l[ll - 1]))
            ll--;
        if (ll == 0 || l[0] == '#')
            continue;
        eq = memchr(l, '=', ll);
        if (eq == NULL)
            continue; /* os-release(5): lines that are not assignments are ignored */
        kl = (size_t)(eq - l);
        for (i = 0; i < kl; i++)
            if (!((l[i] >= 'A' && l[i] <= 'Z') || (l[i] >= '0' && l[i] <= '9') || l[i] == '_'))
                break;
        if (kl == 0 || i < kl)
            continue;
        v = unquote(a, eq + 1, ll - kl - 1, &bad);
        if (bad)
            return bh_err_set(err, BH_EPARSE, file, line, (int)kl + 2, "unterminated quote");
        if (v == NULL)
            return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
        if (v[0] == '\0')
            continue;
        if (kl == 2 && memcmp(l, "ID", 2) == 0)
            out->id = lower_dup(a, v, strlen(v));
        else if (kl == 10 && memcmp(l, "VERSION_ID", 10) == 0) {
            out->version_id = v;
            out->line = line;
        } else if (kl == 16 && memcmp(l, "VERSION_CODENAME", 16) == 0)
            codename = v;
        else if (kl == 15 && memcmp(l, "UBUNTU_CODENAME", 15) == 0)
            ubuntu = v;
        else if (kl == 11 && memcmp(l, "PRETTY_NAME", 11) == 0)
            out->pretty = v;
        else if (kl == 7 && memcmp(l, "ID_LIKE", 7) == 0)
            out->id_like = v;
    }
    if (codename != NULL)
        out->codename = codename;
    else if (ubuntu != NULL)
        out->codename = ubuntu;
    if (a->failed)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    return 0;
}

/* The first line of data, trimmed; *n = 0 when there is none. */
static const char *first_line(const char *data, size_t len, size_t *n)
{
    const char *nl = memchr(data, '\n', len);
    size_t l = nl != NULL ? (size_t)(nl - data) : len;

    while (l > 0 && is_space(*data))
        data++, l--;
    while (l > 0 && is_space(data[l - 1]))
        l--;
    *n = l;
    return data;
}

static bool version_chars(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || !(p[0] >= '0' && p[0] <= '9'))
        return false;
    for (i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'z') ||
              (p[i] >= 'A' && p[i] <= 'Z') || p[i] == '.' || p[i] == '_' || p[i] == '-' ||
              p[i] == '+' || p[i] == '~'))
            return false;
    return true;
}

static bool all_letters(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
            return false;
    return n > 0;
}

/* Names in "<NAME> release <VERSION> (<CODENAME>)" lines, and the os-release ID each has. */
static const struct {
    const char *prefix, *id;
} release_names[] = {
    {"Red Hat Enterprise Linux", "rhel"},
    {"CentOS", "centos"},
    {"Rocky Linux", "rocky"},
    {"AlmaLinux", "almalinux"},
    {"Fedora", "fedora"},
    {"Oracle Linux", "ol"},
    {"Amazon Linux", "amzn"},
    {"Scientific Linux", "scientific"},
    {"EuroLinux", "eurolinux"},
    {"Mageia", "mageia"},
};

static int read_release_line(struct bh_arena *a, const char *file, const char *base,
                             const char *data, size_t len, struct bh_osinfo *out,
                             struct bh_err *err)
{
    const char *l, *r = NULL, *v, *c;
    size_t n, i, vn, namelen;
    char *line;

    l = first_line(data, len, &n);
    if (n == 0 || n > BH_MAX_PKGDB_LINE)
        return bh_err_set(err, BH_EPARSE, file, 1, 0, "not a '<name> release <version>' line");
    line = bh_arena_strndup(a, l, n);
    if (line == NULL)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    for (i = 0; i + 9 <= n; i++)
        if (memcmp(line + i, " release ", 9) == 0) {
            r = line + i;
            break;
        }
    if (r == NULL)
        return bh_err_set(err, BH_EPARSE, file, 1, 0, "not a '<name> release <version>' line");
    namelen = (size_t)(r - line);
    v = r + 9;
    for (vn = 0; v[vn] != '\0' && !is_space(v[vn]); vn++)
        ;
    if (!version_chars(v, vn))
        return bh_err_set(err, BH_EPARSE, file, 1, (int)(v - line) + 1,
                          "release line has no version");
    out->id = NULL;
    for (i = 0; i < sizeof(release_names) / sizeof(release_names[0]); i++)
        if (namelen >= strlen(release_names[i].prefix) &&
            memcmp(line, release_names[i].prefix, strlen(release_names[i].prefix)) == 0) {
            out->id = release_names[i].id;
            break;
        }
    if (out->id == NULL) {
        /* an unknown vendor: the file name says who ("foo-release" -> "foo") */
        n = strlen(base) - strlen("-release");
        if (n == 0 || bh_str_prefix(base, "system-") || bh_str_prefix(base, "redhat-")) {
            for (n = 0; n < namelen && line[n] != ' '; n++)
                ;
            out->id = lower_dup(a, line, n);
        } else {
            out->id = lower_dup(a, base, n);
        }
    }
    out->version_id = bh_arena_strndup(a, v, vn);
    c = strchr(v + vn, '(');
    if (c != NULL && strchr(c, ')') != NULL && strchr(c, ')') > c + 1)
        out->codename = bh_arena_strndup(a, c + 1, (size_t)(strchr(c, ')') - c - 1));
    out->pretty = line;
    if (a->failed)
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory");
    return 0;
}

int bh_pkgdb_osinfo(struct bh_arena *a, const char *file, const char *data, size_t len,
                    struct bh_osinfo *out, struct bh_err *err)
{
    const char *base = base_name(file), *l, *slash;
    size_t n;

    if (len > BH_MAX_CONFIG_FILE)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "file larger than BH_MAX_CONFIG_FILE (%u bytes)", BH_MAX_CONFIG_FILE);
    if (strcmp(base, "os-release") == 0)
        return read_os_release(a, file, data, len, out, err);
    if (strcmp(base, "debian_version") == 0) {
        /* "12.5" on a release, "bookworm/sid" on testing and unstable */
        l = first_line(data, len, &n);
        slash = memchr(l, '/', n);
        if (version_chars(l, n)) {
            out->id = "debian";
            out->version_id = bh_arena_strndup(a, l, n);
        } else if (slash != NULL && slash > l && all_letters(l, (size_t)(slash - l))) {
            out->id = "debian";
            out->codename = lower_dup(a, l, (size_t)(slash - l));
        } else {
            return bh_err_set(err, BH_EPARSE, file, 1, 0,
                              "not a Debian version ('12.5' or 'codename/sid')");
        }
        return a->failed ? bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory") : 0;
    }
    if (strcmp(base, "alpine-release") == 0) {
        l = first_line(data, len, &n);
        if (!version_chars(l, n))
            return bh_err_set(err, BH_EPARSE, file, 1, 0, "not an Alpine version");
        out->id = "alpine";
        out->version_id = bh_arena_strndup(a, l, n);
        return a->failed ? bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory") : 0;
    }
    if (bh_str_suffix(base, "-release") && strcmp(base, "lsb-release") != 0)
        return read_release_line(a, file, base, data, len, out, err);
    return bh_err_set(err, BH_EUNSUPPORTED, file, 0, 0, "not a known OS release file");
}

/* The captured content of path in the final tree, or NULL. */
static const struct bh_imgcapture *final_capture(const struct bh_image *img, const char *path)
{
    const struct bh_imgcapture *hit = NULL;
    size_t i;

    for (i = 0; i < img->ncaptures; i++) {
        const struct bh_imgcapture *cp = &img->captures[i];

        if (!cp->shadowed && cp->data && strcmp(cp->path, path) == 0)
            hit = cp;
    }
    return hit;
}

static bool image_os_from(struct bh_arena *a, const struct bh_image *img, const char *path,
                          struct bh_osinfo *os)
{
    const struct bh_imgcapture *cp = final_capture(img, path);
    struct bh_osinfo o;
    struct bh_err e;

    memset(&o, 0, sizeof(o));
    bh_err_init(&e);
    if (!cp || bh_pkgdb_osinfo(a, path, cp->data, cp->len, &o, &e) != 0 || !o.id)
        return false;
    if (o.version_id && o.line == 0)
        o.line = 1; /* the one-line release files */
    o.source = bh_arena_printf(a, "/%s", path);
    *os = o;
    return o.version_id != NULL;
}

void bh_pkgdb_image_os(struct bh_arena *a, struct bh_image *img)
{
    static const char *const lines[] = {"etc/redhat-release",
                                        "etc/centos-release",
                                        "etc/rocky-release",
                                        "etc/almalinux-release",
                                        "etc/fedora-release",
                                        "etc/system-release",
                                        NULL};
    struct bh_osinfo os;
    size_t i;

    memset(&os, 0, sizeof(os));
    if (image_os_from(a, img, "etc/os-release", &os) ||
        (!os.id && image_os_from(a, img, "usr/lib/os-release", &os))) {
        img->os = os;
        return;
    }
    /* no os-release, or one without VERSION_ID: the distribution's own release files */
    if ((!os.id || strcmp(os.id, "debian") == 0) &&
        image_os_from(a, img, "etc/debian_version", &os)) {
        img->os = os;
        return;
    }
    if ((!os.id || strcmp(os.id, "alpine") == 0) &&
        image_os_from(a, img, "etc/alpine-release", &os)) {
        img->os = os;
        return;
    }
    for (i = 0; lines[i]; i++) {
        if (image_os_from(a, img, lines[i], &os)) {
            img->os = os;
            return;
        }
    }
    img->os = os; /* what os-release said without a version, or nothing */
}
