/*
 * secdb.c - Alpine secdb documents (and Wolfi's security.json, the same shape
 * without distroversion) from a JSON tree (or a YAML one converted to it) into
 * one advisory per (package, fixed version, id). The lists hold free text next
 * to ids ("CVE-2018-14468 (FrameRelay)"); only tokens shaped like ids are kept.
 */
#include "vuln/import_int.h"

#include "core/arena.h"
#include "core/str.h"

#include <string.h>

bool bh_imp_is_secdb(const struct bh_jnode *root)
{
    return bh_json_is_object(root) && bh_json_get(root, "packages") != NULL &&
           bh_json_get(root, "id") == NULL;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * An advisory id: a letter, letters/digits, then one or more "-" groups of letters/digits,
 * with a digit somewhere ("CVE-2019-1234", "XSA-182", "TALOS-2017-0394", "wnpa-sec-2017-18").
 * Refuses the notes around ids: "(AoE)", "partially", "CVE-????-?????", "CVE_2019-2426".
 */
static bool looks_like_id(const char *s, size_t n)
{
    bool digit = false, dash = false;
    size_t i;

    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (i + 1 >= n || s[i + 1] == '-')
                return false;
            dash = true;
        } else if (!is_alnum(s[i])) {
            return false;
        } else if (s[i] >= '0' && s[i] <= '9') {
            digit = true;
        }
    }
    return dash && digit;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* "v3.10" and "3.10" both give "Alpine:v3.10". */
static const char *ecosystem_of(struct bh_arena *a, const struct bh_jnode *root)
{
    const char *dv = bh_json_str(bh_json_get(root, "distroversion"));
    const char *url;

    if (dv && dv[0])
        return bh_arena_printf(a, "Alpine:%s%s", dv[0] >= '0' && dv[0] <= '9' ? "v" : "", dv);
    url = bh_json_str(bh_json_get(root, "urlprefix"));
    if (url && strstr(url, "cgr.dev"))
        return "Chainguard";
    return "Wolfi";
}

struct token {
    const char *t;
    size_t n;
};

/* Was (t, n) handed over already for this fixed version? (Lists are short: a linear scan.) */
static bool seen(const struct token *v, size_t nv, const char *t, size_t n)
{
    size_t i;

    for (i = 0; i < nv; i++) {
        if (v[i].n == n && !memcmp(v[i].t, t, n))
            return true;
    }
    return false;
}

int bh_imp_secdb(struct bh_imp *im, const struct bh_jnode *root)
{
    const struct bh_jnode *pkgs = bh_json_get(root, "packages");
    const char *eco;
    size_t i, j, k;

    if (bh_json_is_null(pkgs))
        return 0; /* a branch without fixes (v3.3 community): valid, empty */
    if (pkgs->type != BH_J_ARRAY)
        return bh_imp_fail(im, BH_EPARSE, pkgs, "secdb: packages: expected an array, found %s",
                           bh_json_type_name(pkgs));
    eco = ecosystem_of(im->a, root);
    if (!eco)
        return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
    for (i = 0; i < pkgs->n; i++) {
        const struct bh_jnode *pkg = bh_json_get(&pkgs->items[i], "pkg"), *fixes;
        const char *name = bh_json_str(bh_json_get(pkg, "name"));

        if (!bh_json_is_object(pkg) || !name || !name[0])
            return bh_imp_fail(im, BH_EPARSE, bh_json_is_object(pkg) ? pkg : &pkgs->items[i],
                               "secdb: packages[%zu]: expected {pkg: {name, secfixes}}", i);
        fixes = bh_json_get(pkg, "secfixes");
        if (bh_json_is_null(fixes))
            continue;
        if (fixes->type != BH_J_OBJECT)
            return bh_imp_fail(im, BH_EPARSE, fixes,
                               "secdb: package '%s': secfixes: expected a mapping, found %s", name,
                               bh_json_type_name(fixes));
        for (j = 0; j < fixes->n; j++) {
            const struct bh_jpair *p = &fixes->pairs[j];
            const struct bh_jnode *ids = &p->value;
            struct token *done = NULL;
            size_t ndone = 0, capdone = 0;

            if (p->keylen == 0 || strlen(p->key) != p->keylen)
                return bh_imp_fail(im, BH_EPARSE, ids,
                                   "secdb: package '%s': secfixes: empty or malformed version",
                                   name);
            if (!strcmp(p->key, "0"))
                continue; /* never affected in this branch */
            if (bh_json_is_null(ids))
                continue;
            if (ids->type != BH_J_ARRAY)
                return bh_imp_fail(im, BH_EPARSE, ids,
                                   "secdb: package '%s': fixed version '%s': expected a list of "
                                   "ids, found %s",
                                   name, p->key, bh_json_type_name(ids));
            for (k = 0; k < ids->n; k++) {
                const struct bh_jnode *it = &ids->items[k];
                size_t off = 0;

                if (it->type != BH_J_STRING)
                    return bh_imp_fail(im, BH_EPARSE, it,
                                       "secdb: package '%s': fixed version '%s': item %zu: "
                                       "expected a string, found %s",
                                       name, p->key, k, bh_json_type_name(it));
                while (off < it->len) {
                    struct bh_vevent ev[2] = {{BH_VEV_INTRODUCED, "0"}, {BH_VEV_FIXED, p->key}};
                    struct bh_vrange range = {BH_VR_ECOSYSTEM, ev, 2};
                    struct bh_affected aff;
                    struct bh_advisory adv;
                    struct token *tok;
                    const char *t;
                    size_t n;
                    int rc;

                    while (off < it->len && is_space(it->str[off]))
                        off++;
                    t = it->str + off;
                    while (off < it->len && !is_space(it->str[off]))
                        off++;
                    n = (size_t)(it->str + off - t);
                    if (!looks_like_id(t, n) || seen(done, ndone, t, n))
                        continue;
                    tok = BH_PUSH(im->a, done, ndone, capdone);
                    if (!tok)
                        return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
                    tok->t = t;
                    tok->n = n;
                    memset(&aff, 0, sizeof(aff));
                    aff.ecosystem = eco;
                    aff.name = name;
                    aff.ranges = &range;
                    aff.nranges = 1;
                    memset(&adv, 0, sizeof(adv));
                    adv.id = bh_arena_strndup(im->a, t, n);
                    if (!adv.id)
                        return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
                    adv.cvss_score10 = -1;
                    adv.source = "alpine-secdb";
                    adv.affected = &aff;
                    adv.naffected = 1;
                    rc = bh_imp_emit(im, &adv);
                    if (rc)
                        return rc;
                }
            }
        }
    }
    return 0;
}
