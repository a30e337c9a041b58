/*
 * sbom.c - the pieces both SBOM writers need, kept once: the target a document describes,
 * its creation time (SOURCE_DATE_EPOCH for reproducible output), a UUID derived from the
 * content, and the SPDX licence expression check over the ids we vouch for. It writes no
 * JSON; the document shapes stay in cyclonedx.c and spdx.c.
 */
#include "report/sbom.h"

#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"
#include "input/layer.h"
#include "model/vuln.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct bh_target *bh_sbom_pick_target(const struct bh_report *r)
{
    size_t i;

    for (i = 0; i < r->ntargets; i++)
        if (r->targets[i].kind == BH_KIND_IMAGE || r->targets[i].kind == BH_KIND_ROOTFS)
            return &r->targets[i];
    return NULL;
}

void bh_sbom_time(char out[BH_SBOM_TIME_LEN])
{
    time_t t = (time_t)bh_now();
    struct tm tm;

    if (!gmtime_r(&t, &tm) || !strftime(out, BH_SBOM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, BH_SBOM_TIME_LEN, "1970-01-01T00:00:00Z");
}

static void hash_str(struct bh_sha256 *h, const char *s)
{
    /* a NUL after every field keeps ("ab","c") and ("a","bc") apart; NULL differs from "" */
    if (s)
        bh_sha256_update(h, s, strlen(s) + 1);
    else
        bh_sha256_update(h, "\x01", 2);
}

/*
 * The version nibble 5 and the RFC 4122 variant make the truncated hash the form CycloneDX's
 * serialNumber pattern accepts. SPDX leaves the matches out: it does not carry them, so its
 * namespace must not change when a database is used.
 */
int bh_sbom_uuid(const char *tag, const struct bh_target *t, bool with_vulns,
                 char out[BH_SBOM_UUID_LEN])
{
    struct bh_sha256 *h = bh_sha256_begin();
    char hex[80], num[32];
    const char *x;
    size_t i;
    int v;

    if (!h)
        return BH_ENOMEM;
    hash_str(h, tag);
    if (t) {
        hash_str(h, t->target);
        hash_str(h, bh_target_kind_name(t->kind));
        hash_str(h, t->image_id);
        hash_str(h, t->os.id);
        hash_str(h, t->os.version_id);
        for (i = 0; i < t->packages.n; i++) {
            const struct bh_package *p = &t->packages.v[i];

            hash_str(h, bh_pkg_kind_name(p->kind));
            hash_str(h, p->name);
            hash_str(h, p->version);
            hash_str(h, p->purl);
            hash_str(h, p->path);
            hash_str(h, p->license);
            snprintf(num, sizeof(num), "%d", p->layer);
            hash_str(h, num);
        }
        for (i = 0; with_vulns && t->vulns && i < t->nvulns; i++) {
            hash_str(h, t->vulns[i].id);
            snprintf(num, sizeof(num), "%zu", t->vulns[i].pkg);
            hash_str(h, num);
            hash_str(h, t->vulns[i].fixed);
        }
    }
    bh_sha256_end(h, hex);
    if (strlen(hex) != 71)
        return BH_ENOMEM;
    x = hex + 7;
    v = x[16] <= '9' ? x[16] - '0' : x[16] - 'a' + 10;
    snprintf(out, BH_SBOM_UUID_LEN, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", x, x + 8, x + 13, "89ab"[v & 3],
             x + 17, x + 20);
    return 0;
}

/*
 * Licence ids we vouch for: each is on the SPDX licence list (tests/sbom/run.sh checks
 * this table against the list CycloneDX's schema carries). Text made of these, AND, OR,
 * WITH, "+" and parentheses is a licence expression; anything else is only a name.
 */
static const char *const spdx_ids[] = {
    "0BSD",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "curl",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "FTL",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ICU",
    "IJG",
    "Info-ZIP",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libpng-2.0",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "Unicode-DFS-2016",
    "Unlicense",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
    NULL,
};
static const char *const spdx_exceptions[] = {
    "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
    "GCC-exception-3.1",      "LLVM-exception",      NULL,
};

#define LIC_MAX_DEPTH 8

struct lic {
    const char *p; /* cursor in the licence text */
    char *out;
    size_t len, cap;
    int depth;
    bool ok;
    size_t terms; /* licence ids seen */
    bool compound;
};

static const char *lookup(const char *const *table, const char *s, size_t n)
{
    size_t i;

    for (i = 0; table[i]; i++)
        if (bh_str_ieqn(s, n, table[i]))
            return table[i];
    return NULL;
}

static void lic_put(struct lic *L, const char *s, size_t n)
{
    if (L->len + n + 1 > L->cap) {
        L->ok = false;
        return;
    }
    memcpy(L->out + L->len, s, n);
    L->len += n;
    L->out[L->len] = '\0';
}

/* The next token: "(", ")" or a word of id characters; length 0 at the end. */
static size_t lic_token(struct lic *L, const char **tok)
{
    const char *s;

    while (*L->p == ' ' || *L->p == '\t')
        L->p++;
    *tok = L->p;
    if (*L->p == '(' || *L->p == ')')
        return 1;
    for (s = L->p; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+';
         s++)
        ;
    if (s == L->p && *s)
        L->ok = false; /* a character no expression has */
    return (size_t)(s - L->p);
}

static void lic_expr(struct lic *L);

static void lic_term(struct lic *L)
{
    const char *tok, *id;
    size_t n = lic_token(L, &tok);
    bool plus;

    if (!L->ok || n == 0) {
        L->ok = false;
        return;
    }
    if (*tok == '(') {
        L->p += 1;
        if (++L->depth > LIC_MAX_DEPTH) {
            L->ok = false;
            return;
        }
        lic_put(L, "(", 1);
        lic_expr(L);
        n = lic_token(L, &tok);
        if (!L->ok || n != 1 || *tok != ')') {
            L->ok = false;
            return;
        }
        L->p += 1;
        L->depth--;
        lic_put(L, ")", 1);
        L->compound = true;
        return;
    }
    plus = tok[n - 1] == '+';
    id = lookup(spdx_ids, tok, plus ? n - 1 : n);
    if (!id) {
        L->ok = false;
        return;
    }
    L->p += n;
    L->terms++;
    lic_put(L, id, strlen(id));
    if (plus) {
        lic_put(L, "+", 1);
        L->compound = true;
    }
    n = lic_token(L, &tok);
    if (n == 4 && !memcmp(tok, "WITH", 4)) {
        L->p += n;
        n = lic_token(L, &tok);
        id = n ? lookup(spdx_exceptions, tok, n) : NULL;
        if (!id) {
            L->ok = false;
            return;
        }
        L->p += n;
        lic_put(L, " WITH ", 6);
        lic_put(L, id, strlen(id));
        L->compound = true;
    }
}

static void lic_expr(struct lic *L)
{
    const char *tok;
    size_t n;

    lic_term(L);
    while (L->ok) {
        n = lic_token(L, &tok);
        if (n == 3 && !memcmp(tok, "AND", 3))
            lic_put(L, " AND ", 5);
        else if (n == 2 && !memcmp(tok, "OR", 2))
            lic_put(L, " OR ", 4);
        else
            return;
        L->p += n;
        L->compound = true;
        lic_term(L);
    }
}

/* Operators must be upper case: lower-case "and" is as likely prose as an operator. */
bool bh_sbom_license_expr(const char *text, char *out, size_t cap, bool *single)
{
    struct lic L = {.p = text, .out = out, .cap = cap, .ok = true};
    const char *tok;

    out[0] = '\0';
    lic_expr(&L);
    if (L.ok && lic_token(&L, &tok) != 0)
        L.ok = false; /* trailing text, e.g. "MIT BSD" without an operator */
    *single = L.ok && L.terms == 1 && !L.compound;
    return L.ok;
}
