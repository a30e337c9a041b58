/*
 * match.c - which advisories apply to which installed packages. Keys are
 * vendor-first (an OS package is looked up only under its own distribution
 * release, by source package where the vendor keys by source), ranges are
 * evaluated as the OSV schema's evaluation section says, in the ecosystem's own
 * version order. No CPE guessing, no fuzzy names; the database does the I/O.
 */
#include "vuln/match.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "vuln/cvss.h"
#include "vuln/version/version.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ------------------------------------------------------------------------------ */

static bool all_digits(const char *s, size_t n)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* "12", "12.5" -> "12"; NULL when VERSION_ID does not start with a number. */
static const char *major_of(struct bh_arena *a, const char *vid)
{
    size_t n;

    if (!vid)
        return NULL;
    n = strcspn(vid, ".");
    if (!all_digits(vid, n))
        return NULL;
    return bh_arena_strndup(a, vid, n);
}

/*
 * Alpine "3.20.3" -> "v3.20". Only plain release numbers: an edge snapshot
 * ("3.21.0_alpha20240923") has no secdb branch of its own.
 */
static const char *alpine_branch(struct bh_arena *a, const char *vid)
{
    size_t maj, min;
    const char *rest;

    if (!vid)
        return NULL;
    maj = strcspn(vid, ".");
    if (!all_digits(vid, maj) || vid[maj] != '.')
        return NULL;
    min = strcspn(vid + maj + 1, ".");
    if (!all_digits(vid + maj + 1, min))
        return NULL;
    for (rest = vid + maj + 1 + min; *rest; rest++)
        if (*rest != '.' && (*rest < '0' || *rest > '9'))
            return NULL;
    return bh_arena_printf(a, "Alpine:v%.*s", (int)(maj + 1 + min), vid);
}

/* Ubuntu keys by its full release number, "22.04" (OSV's ":LTS"/":Pro" suffixes dropped). */
static bool ubuntu_release(const char *vid)
{
    size_t maj;

    if (!vid)
        return false;
    maj = strcspn(vid, ".");
    return all_digits(vid, maj) && vid[maj] == '.' &&
           all_digits(vid + maj + 1, strlen(vid + maj + 1));
}

/* PEP 503: lower case, every run of '-', '_' and '.' becomes one '-'. */
static const char *pep503(struct bh_arena *a, const char *name)
{
    size_t n = strlen(name), i, j = 0;
    char *out = bh_arena_alloc(a, n + 1);

    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        char c = name[i];

        if (c == '-' || c == '_' || c == '.') {
            if (j == 0 || out[j - 1] != '-')
                out[j++] = '-';
            continue;
        }
        out[j++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[j] = '\0';
    return out;
}

static bool os_is(const struct bh_osinfo *os, const char *id)
{
    return os && os->id && strcmp(os->id, id) == 0;
}

bool bh_vuln_key(struct bh_arena *a, const struct bh_package *p, const struct bh_osinfo *os,
                 struct bh_vulnkey *out)
{
    const char *eco = NULL, *name = p->name, *ver = p->version, *m;

    memset(out, 0, sizeof(*out));
    if (!p->name || !*p->name || !p->version || !*p->version)
        return false;
    switch (p->kind) {
    case BH_PKG_DPKG:
        /* Debian and Ubuntu advisories name source packages at the source version: a binNMU
         * ("1.2-3+b1") is the source "1.2-3" rebuilt, and dpkg.c keeps that as src_version */
        name = p->src_name ? p->src_name : p->name;
        ver = p->src_version ? p->src_version : p->version;
        if (os_is(os, "debian")) {
            m = major_of(a, os->version_id);
            eco = m ? bh_arena_printf(a, "Debian:%s", m) : NULL;
        } else if (os_is(os, "ubuntu") && ubuntu_release(os->version_id)) {
            eco = bh_arena_printf(a, "Ubuntu:%s", os->version_id);
        }
        break;
    case BH_PKG_APK:
        /* secdb and the Alpine OSV export are keyed by origin (the source APKBUILD) */
        name = p->src_name ? p->src_name : p->name;
        if (os_is(os, "alpine"))
            eco = alpine_branch(a, os->version_id);
        else if (os_is(os, "wolfi"))
            eco = "Wolfi";
        else if (os_is(os, "chainguard"))
            eco = "Chainguard";
        break;
    case BH_PKG_RPM:
        /* AlmaLinux and Rocky Linux OSV records list binary rpms (libsndfile-devel,
         * skopeo-tests) with epoch:version-release, so the binary name and version are the key.
         * RHEL, CentOS, Fedora, SUSE, Amazon Linux: no advisory source is imported yet. */
        m = os ? major_of(a, os->version_id) : NULL;
        if (m && os_is(os, "almalinux"))
            eco = bh_arena_printf(a, "AlmaLinux:%s", m);
        else if (m && os_is(os, "rocky"))
            eco = bh_arena_printf(a, "Rocky Linux:%s", m);
        break;
    case BH_PKG_NPM:
        eco = "npm";
        break;
    case BH_PKG_PYPI:
        eco = "PyPI";
        name = pep503(a, p->name);
        break;
    case BH_PKG_GO:
        /* the toolchain is the module "stdlib" in both binpkg.c and the Go vulndb */
        eco = "Go";
        break;
    case BH_PKG_MAVEN:
        /* without a group id (only a file name was found) no advisory can name it */
        if (strchr(p->name, ':'))
            eco = "Maven";
        break;
    case BH_PKG_CARGO:
        eco = "crates.io";
        break;
    case BH_PKG_GEM:
        eco = "RubyGems";
        break;
    case BH_PKG_COMPOSER:
        eco = "Packagist";
        break;
    }
    if (!eco || !name || !*name || !ver || !*ver)
        return false;
    out->ecosystem = eco;
    out->name = name;
    out->version = ver;
    return true;
}

/* ---- ranges ----------------------------------------------------------------------------- */

struct cmpctx {
    enum bh_vscheme s;
    bool go; /* SemVer ranges of the Go ecosystem are written without the "v" Go uses */
};

/* v as the scheme wants it: Go versions get their "v". NULL when it does not fit buf. */
static const char *norm(const struct cmpctx *c, const char *v, char *buf, size_t cap)
{
    int n;

    if (!c->go || v[0] == 'v')
        return v;
    n = snprintf(buf, cap, "v%s", v);
    return (n < 0 || (size_t)n >= cap) ? NULL : buf;
}

/* cmp(a, b) in the context's scheme; 0 or BH_EPARSE. */
static int vcmp(const struct cmpctx *c, const char *a, const char *b, int *out)
{
    char ba[BH_MAX_MATCH_VERSION], bb[BH_MAX_MATCH_VERSION];
    const char *na = norm(c, a, ba, sizeof(ba)), *nb = norm(c, b, bb, sizeof(bb));

    if (!na || !nb)
        return BH_EPARSE;
    return bh_version_cmp(c->s, na, nb, out);
}

static bool is_zero_intro(const struct bh_vevent *e)
{
    return e->kind == BH_VEV_INTRODUCED && strcmp(e->version, "0") == 0;
}

/*
 * Is v inside one range? The OSV evaluation walks the events in version order and the last
 * event that "fires" for v decides: introduced <= v turns it on, fixed <= v and
 * last_affected < v turn it off. So the decision is the firing event with the greatest
 * version; at equal versions the closing event wins (the spec leaves ties to the sort, and
 * "introduced X, fixed X" affects nothing). limit events bound the whole range: v must lie
 * below one of them ("*" is no bound). Events the scheme cannot read are skipped (*bad set).
 */
static bool in_range(const struct cmpctx *c, const struct bh_vrange *r, const char *v, bool *bad)
{
    const struct bh_vevent *best = NULL;
    bool has_limit = false, below_limit = false;
    size_t i;
    int x;

    for (i = 0; i < r->nevents; i++) {
        const struct bh_vevent *e = &r->events[i];
        bool fires;

        if (!e->version)
            continue;
        if (e->kind == BH_VEV_LIMIT) {
            has_limit = true;
            if (strcmp(e->version, "*") == 0)
                below_limit = true;
            else if (vcmp(c, v, e->version, &x) == 0 && x < 0)
                below_limit = true;
            continue;
        }
        if (is_zero_intro(e)) {
            fires = true;
        } else if (vcmp(c, v, e->version, &x) != 0) {
            *bad = true;
            continue;
        } else {
            fires = e->kind == BH_VEV_LAST_AFFECTED ? x > 0 : x >= 0;
        }
        if (!fires)
            continue;
        if (!best) {
            best = e;
        } else if (is_zero_intro(e)) {
            /* the start of time: only ever the greatest when nothing else fired */
        } else if (is_zero_intro(best)) {
            best = e;
        } else if (vcmp(c, e->version, best->version, &x) == 0 &&
                   (x > 0 || (x == 0 && best->kind == BH_VEV_INTRODUCED))) {
            best = e;
        }
    }
    if (!best || best->kind != BH_VEV_INTRODUCED)
        return false;
    return !has_limit || below_limit;
}

/* The lowest fixed event of r above v, improving *fixed (compared in c's scheme). */
static void lowest_fixed(const struct cmpctx *c, const struct bh_vrange *r, const char *v,
                         const char **fixed)
{
    size_t i;
    int x;

    for (i = 0; i < r->nevents; i++) {
        const struct bh_vevent *e = &r->events[i];

        if (e->kind != BH_VEV_FIXED || !e->version || vcmp(c, v, e->version, &x) != 0 || x >= 0)
            continue;
        if (!*fixed || (vcmp(c, e->version, *fixed, &x) == 0 && x < 0))
            *fixed = e->version;
    }
}

static bool range_ctx(enum bh_vscheme eco, const struct bh_vrange *r, struct cmpctx *c)
{
    if (r->type == BH_VR_GIT)
        return false;
    if (r->type == BH_VR_SEMVER)
        c->s = eco == BH_VS_GO ? BH_VS_GO : BH_VS_SEMVER;
    else
        c->s = eco;
    c->go = c->s == BH_VS_GO;
    return true;
}

int bh_vuln_affects(const struct bh_affected *af, const char *v, const char **fixed,
                    const char **note)
{
    enum bh_vscheme eco;
    struct cmpctx c;
    bool hit = false, listed = false, bad = false, any_range = false;
    size_t i;
    int x;
    const char *lo = NULL;

    *fixed = NULL;
    *note = NULL;
    if (!af->ecosystem || !bh_version_scheme_of(af->ecosystem, &eco)) {
        *note = "no version ordering is known for this ecosystem";
        return 0;
    }
    c.s = eco;
    c.go = eco == BH_VS_GO;
    /* comparing v with itself fails exactly when the scheme cannot read v */
    if (!v || vcmp(&c, v, v, &x) != 0) {
        *note = "installed version is not valid in the ecosystem's version scheme";
        return 0;
    }
    for (i = 0; i < af->nranges; i++) {
        struct cmpctx rc;

        if (!range_ctx(eco, &af->ranges[i], &rc))
            continue;
        any_range = true;
        if (vcmp(&rc, v, v, &x) != 0) {
            bad = true;
            continue;
        }
        if (in_range(&rc, &af->ranges[i], v, &bad)) {
            hit = true;
            lowest_fixed(&rc, &af->ranges[i], v, &lo);
        }
    }
    /* the versions list only matters when no range holds v (PyPI lists hundreds) */
    for (i = 0; i < af->nversions && !listed && !hit; i++) {
        if (!af->versions[i])
            continue;
        listed =
            strcmp(af->versions[i], v) == 0 || (vcmp(&c, v, af->versions[i], &x) == 0 && x == 0);
    }
    if (listed && !hit) {
        /* only the versions list names it: a fix, if any, is in the ranges */
        for (i = 0; i < af->nranges; i++) {
            struct cmpctx rc;

            if (range_ctx(eco, &af->ranges[i], &rc))
                lowest_fixed(&rc, &af->ranges[i], v, &lo);
        }
    }
    if (hit || listed) {
        *fixed = lo;
        return 1;
    }
    if (bad)
        *note = "an event version could not be compared with the installed version";
    else if (!any_range && af->nranges > 0)
        *note = "only GIT (commit) ranges, which installed packages cannot be matched against";
    return 0;
}

/* ---- matching ---------------------------------------------------------------------------- */

/* Ecosystem severity words (Debian urgency, GHSA, Ubuntu priority) on our scale. */
static int eco_severity(const char *s)
{
    static const struct {
        const char *word;
        enum bh_severity sev;
    } words[] = {
        {"critical", BH_SEV_CRITICAL}, {"important", BH_SEV_HIGH},  {"high", BH_SEV_HIGH},
        {"moderate", BH_SEV_MEDIUM},   {"medium", BH_SEV_MEDIUM},   {"low", BH_SEV_LOW},
        {"negligible", BH_SEV_LOW},    {"unimportant", BH_SEV_LOW},
    };
    size_t i, n;

    if (!s)
        return -1;
    /* Debian writes "low*" / "medium**" for urgencies it inferred */
    n = strcspn(s, "*");
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (bh_str_ieqn(s, n, words[i].word))
            return (int)words[i].sev;
    return -1;
}

static void set_severity(struct bh_vulnmatch *m, const struct bh_advisory *adv,
                         const struct bh_affected *af)
{
    const char *rating = NULL;
    int es;

    m->cvss = adv->cvss;
    m->cvss_score10 = adv->cvss_score10;
    if (adv->cvss_score10 >= 0 && adv->cvss_score10 <= 100) {
        /* a v2 vector has no "CVSS:" prefix and its own (three-level) scale */
        rating = adv->cvss && !bh_str_prefix(adv->cvss, "CVSS:")
                     ? bh_cvss_severity_v2(adv->cvss_score10)
                     : bh_cvss_severity(adv->cvss_score10);
    }
    if (rating) {
        /* CVSS "none" (0.0) has no place on our scale but info */
        es = strcmp(rating, "none") == 0 ? (int)BH_SEV_INFO : bh_severity_parse(rating);
        if (es >= 0) {
            m->severity = (enum bh_severity)es;
            m->severity_source = "cvss";
            return;
        }
    }
    es = eco_severity(af ? af->severity : NULL);
    if (es >= 0) {
        m->severity = (enum bh_severity)es;
        m->severity_source = "ecosystem";
        return;
    }
    m->severity = BH_SEV_MEDIUM;
    m->severity_source = "default";
}

static int match_cmp(const void *pa, const void *pb)
{
    const struct bh_vulnmatch *a = pa, *b = pb;

    if (a->pkg != b->pkg)
        return a->pkg < b->pkg ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Is the fixed version f lower than g (either may be NULL: no fix is the highest)? */
static bool lower_fix(const char *eco, const char *f, const char *g)
{
    enum bh_vscheme s;
    struct cmpctx c;
    int x;

    if (!f)
        return false;
    if (!g)
        return true;
    if (!bh_version_scheme_of(eco, &s))
        return false;
    c.s = s;
    c.go = s == BH_VS_GO;
    return vcmp(&c, f, g, &x) == 0 && x < 0;
}

/*
 * advs[k] against the package: the database returns one row per affected entry, so the
 * rows sharing advs[k]'s id (k is the first) are one advisory and give one match.
 */
/* The rows advs[k..end) share one id (bh_vuln_match sorted them): one match at most. */
static int adv_cmp(const void *pa, const void *pb)
{
    const struct bh_advisory *x = pa, *y = pb;

    if (!x->id || !y->id)
        return (x->id != NULL) - (y->id != NULL);
    return strcmp(x->id, y->id);
}

static int match_one(struct bh_arena *a, const struct bh_advisory *advs, size_t end, size_t k,
                     size_t pkg, const struct bh_vulnkey *key, struct bh_vulnmatches *out)
{
    const struct bh_advisory *adv = &advs[k];
    struct bh_vulnmatch *m;
    const struct bh_affected *hit_af = NULL;
    const char *fixed = NULL;
    bool hit = false;
    size_t i, r;

    for (r = k; r < end; r++) {
        for (i = 0; i < advs[r].naffected; i++) {
            const struct bh_affected *af = &advs[r].affected[i];
            const char *f, *note;

            if (!af->ecosystem || !af->name || strcmp(af->ecosystem, key->ecosystem) != 0 ||
                strcmp(af->name, key->name) != 0)
                continue;
            if (bh_vuln_affects(af, key->version, &f, &note) != 1)
                continue;
            /* several records merged under one id: the earliest fix any of them names */
            if (!hit || lower_fix(key->ecosystem, f, fixed))
                fixed = f;
            if (!hit_af || (!hit_af->severity && af->severity))
                hit_af = af;
            hit = true;
        }
    }
    if (!hit)
        return 0;
    m = BH_PUSH(a, out->v, out->n, out->cap);
    if (!m)
        return BH_ENOMEM;
    m->id = adv->id;
    m->aliases = adv->aliases;
    m->naliases = adv->naliases;
    m->summary = adv->summary;
    m->pkg = pkg;
    m->ecosystem = key->ecosystem;
    m->package = key->name;
    m->installed = key->version;
    /* Go advisories write "1.2.3"; the installed module says "v1.2.2": show the fix like it */
    if (fixed && strcmp(key->ecosystem, "Go") == 0 && fixed[0] != 'v')
        fixed = bh_arena_printf(a, "v%s", fixed);
    m->fixed = fixed;
    set_severity(m, adv, hit_af);
    return a->failed ? BH_ENOMEM : 0;
}

int bh_vuln_match(struct bh_arena *a, struct bh_vulndb *db, const struct bh_packages *pkgs,
                  const struct bh_osinfo *os, struct bh_vulnmatches *out, struct bh_err *err)
{
    size_t i, k, e, start = out->n;
    int rc;

    for (i = 0; pkgs && i < pkgs->n; i++) {
        struct bh_vulnkey key;
        struct bh_advisory *advs = NULL;
        size_t nadv = 0;

        if (!bh_vuln_key(a, &pkgs->v[i], os, &key))
            continue;
        rc = bh_vulndb_lookup(db, a, key.ecosystem, key.name, &advs, &nadv, err);
        if (rc)
            return rc;
        /* rows of one id next to each other (a merged database has one per id and package;
           a sort keeps this linear in the rows even when it has not) */
        if (nadv > 1)
            qsort(advs, nadv, sizeof(*advs), adv_cmp);
        for (k = 0; k < nadv; k = e) {
            for (e = k + 1;
                 e < nadv && advs[e].id && advs[k].id && strcmp(advs[e].id, advs[k].id) == 0; e++)
                ;
            if (!advs[k].id)
                continue;
            rc = match_one(a, advs, e, k, i, &key, out);
            if (rc)
                return bh_err_set(err, rc, NULL, 0, 0, "out of memory matching advisories");
        }
        if (a->failed)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory matching advisories");
    }
    if (out->n > start)
        qsort(out->v + start, out->n - start, sizeof(out->v[0]), match_cmp);
    return 0;
}
