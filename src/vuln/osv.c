/*
 * osv.c - OSV records (https://ossf.github.io/osv-schema/) from a JSON tree (or
 * a YAML one converted to it) into struct bh_advisory. Reads only what the
 * database keeps: ids, dates, severity, affected packages with their ranges and
 * versions. It does not judge versions; a GIT range is kept, never resolved.
 */
#include "vuln/import_int.h"

#include "core/arena.h"
#include "core/str.h"
#include "vuln/cvss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record being read, for error messages. */
struct rec {
    struct bh_imp *im;
    const char *id; /* NULL until read */
    size_t index;   /* position in an array of records */
    bool own_cvss;  /* the record-level severity[] gave a vector */
};

static const char *rid(const struct rec *r)
{
    return r->id ? r->id : "?";
}

/* An optional string field: absent and null give NULL; another type is an error. */
static int opt_str(struct rec *r, const struct bh_jnode *obj, const char *key, const char *where,
                   const char **out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *out = NULL;
    if (bh_json_is_null(n))
        return 0;
    if (n->type != BH_J_STRING)
        return bh_imp_fail(r->im, BH_EPARSE, n, "record '%s': %s%s: expected a string, found %s",
                           rid(r), where, key, bh_json_type_name(n));
    *out = n->str;
    return 0;
}

/* An optional array field: absent and null give NULL. */
static int opt_arr(struct rec *r, const struct bh_jnode *obj, const char *key, const char *where,
                   const struct bh_jnode **out)
{
    const struct bh_jnode *n = bh_json_get(obj, key);

    *out = NULL;
    if (bh_json_is_null(n))
        return 0;
    if (n->type != BH_J_ARRAY)
        return bh_imp_fail(r->im, BH_EPARSE, n, "record '%s': %s%s: expected an array, found %s",
                           rid(r), where, key, bh_json_type_name(n));
    *out = n;
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int read_aliases(struct rec *r, const struct bh_jnode *obj, struct bh_advisory *adv)
{
    const struct bh_jnode *arr;
    const char **v;
    size_t i, n = 0;
    int rc;

    rc = opt_arr(r, obj, "aliases", "", &arr);
    if (rc || !arr || arr->n == 0)
        return rc;
    v = bh_arena_calloc(r->im->a, arr->n, sizeof(*v));
    if (!v)
        return bh_imp_fail(r->im, BH_ENOMEM, NULL, "out of memory");
    for (i = 0; i < arr->n; i++) {
        const struct bh_jnode *it = &arr->items[i];

        if (it->type != BH_J_STRING)
            return bh_imp_fail(r->im, BH_EPARSE, it,
                               "record '%s': aliases[%zu]: expected a string, found %s", rid(r), i,
                               bh_json_type_name(it));
        if (it->str[0] && strcmp(it->str, adv->id) != 0)
            v[n++] = it->str;
    }
    qsort(v, n, sizeof(*v), cmp_str);
    adv->naliases = 0;
    for (i = 0; i < n; i++) {
        if (adv->naliases == 0 || strcmp(v[adv->naliases - 1], v[i]) != 0)
            v[adv->naliases++] = v[i];
    }
    adv->aliases = adv->naliases ? v : NULL;
    return 0;
}

/* Rank of a CVSS vector for the advisory's score: v3.x over v4.0; v2 and garbage are unused. */
static int cvss_rank(const char *vector, int *score10)
{
    struct bh_cvss c;
    struct bh_err e;

    bh_err_init(&e);
    if (!vector || bh_cvss_parse(vector, &c, &e) != 0)
        return 0;
    *score10 = c.score10;
    if (c.version == BH_CVSS_V31 || c.version == BH_CVSS_V30)
        return 2;
    if (c.version == BH_CVSS_V40)
        return 1;
    return 0;
}

/*
 * The best CVSS vector in an OSV severity[] array into adv (when better than what adv
 * holds), and the first non-CVSS rating ("Ubuntu": "high") into *rating.
 */
static int read_severity(struct rec *r, const struct bh_jnode *arr, const char *where,
                         struct bh_advisory *adv, int *best, const char **rating)
{
    size_t i;

    for (i = 0; arr && i < arr->n; i++) {
        const struct bh_jnode *s = &arr->items[i];
        const char *type, *score;
        int rank, score10 = -1;

        if (s->type != BH_J_OBJECT)
            return bh_imp_fail(r->im, BH_EPARSE, s,
                               "record '%s': %sseverity[%zu]: expected an object, found %s", rid(r),
                               where, i, bh_json_type_name(s));
        type = bh_json_str(bh_json_get(s, "type"));
        score = bh_json_str(bh_json_get(s, "score"));
        if (!type || !score)
            return bh_imp_fail(r->im, BH_EPARSE, s,
                               "record '%s': %sseverity[%zu]: needs string 'type' and 'score'",
                               rid(r), where, i);
        if (bh_str_prefix(type, "CVSS_")) {
            /* an unparsable vector is not kept and not an error: the record stays usable */
            rank = cvss_rank(score, &score10);
            if (rank > *best) {
                *best = rank;
                adv->cvss = score;
                adv->cvss_score10 = score10;
            }
        } else if (rating && !*rating && score[0]) {
            *rating = score;
        }
    }
    return 0;
}

/* PEP 503: lower case, every run of "-", "_" and "." becomes one "-". */
static const char *pep503(struct bh_arena *a, const char *s)
{
    size_t n = strlen(s), i, o = 0;
    char *d = bh_arena_alloc(a, n + 1);

    if (!d)
        return NULL;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c == '-' || c == '_' || c == '.') {
            while (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '_' || s[i + 1] == '.'))
                i++;
            d[o++] = '-';
        } else {
            d[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
    }
    d[o] = '\0';
    return d;
}

/* "Ubuntu:Pro:18.04:LTS" -> "Ubuntu:18.04"; other ecosystems as written. */
static const char *eco_key(struct bh_arena *a, const char *eco)
{
    const char *p, *q;
    char *d, *o;

    if (!bh_str_prefix(eco, "Ubuntu:"))
        return eco;
    d = bh_arena_alloc(a, strlen(eco) + 1);
    if (!d)
        return NULL;
    memcpy(d, "Ubuntu", 6);
    o = d + 6;
    for (p = eco + 7;; p = q + 1) {
        size_t len;

        q = strchr(p, ':');
        len = q ? (size_t)(q - p) : strlen(p);
        if (!((len == 3 && !memcmp(p, "LTS", 3)) || (len == 3 && !memcmp(p, "Pro", 3)))) {
            *o++ = ':';
            memcpy(o, p, len);
            o += len;
        }
        if (!q)
            break;
    }
    *o = '\0';
    return d;
}

static int read_range(struct rec *r, const struct bh_jnode *rn, size_t ai, size_t ri,
                      struct bh_vrange *out, bool *skip)
{
    const struct bh_jnode *events;
    const char *type;
    char where[80];
    size_t i;
    int rc;

    *skip = false;
    if (rn->type != BH_J_OBJECT)
        return bh_imp_fail(r->im, BH_EPARSE, rn,
                           "record '%s': affected[%zu].ranges[%zu]: expected an object, found %s",
                           rid(r), ai, ri, bh_json_type_name(rn));
    type = bh_json_str(bh_json_get(rn, "type"));
    if (!type)
        return bh_imp_fail(r->im, BH_EPARSE, rn,
                           "record '%s': affected[%zu].ranges[%zu]: no string 'type'", rid(r), ai,
                           ri);
    if (!strcmp(type, "ECOSYSTEM"))
        out->type = BH_VR_ECOSYSTEM;
    else if (!strcmp(type, "SEMVER"))
        out->type = BH_VR_SEMVER;
    else if (!strcmp(type, "GIT"))
        out->type = BH_VR_GIT;
    else {
        *skip = true;
        return 0;
    }
    snprintf(where, sizeof(where), "affected[%zu].ranges[%zu].", ai, ri);
    rc = opt_arr(r, rn, "events", where, &events);
    if (rc)
        return rc;
    if (!events || events->n == 0)
        return bh_imp_fail(r->im, BH_EPARSE, rn,
                           "record '%s': affected[%zu].ranges[%zu]: no events", rid(r), ai, ri);
    out->events = bh_arena_calloc(r->im->a, events->n, sizeof(*out->events));
    if (!out->events)
        return bh_imp_fail(r->im, BH_ENOMEM, NULL, "out of memory");
    for (i = 0; i < events->n; i++) {
        static const char *const kinds[] = {"introduced", "fixed", "last_affected", "limit"};
        const struct bh_jnode *ev = &events->items[i];
        const struct bh_jpair *p;
        size_t k;

        if (ev->type != BH_J_OBJECT || ev->n != 1)
            return bh_imp_fail(r->im, BH_EPARSE, ev,
                               "record '%s': affected[%zu].ranges[%zu].events[%zu]: expected an "
                               "object with one key",
                               rid(r), ai, ri, i);
        p = &ev->pairs[0];
        for (k = 0; k < 4; k++) {
            if (!strcmp(p->key, kinds[k]))
                break;
        }
        if (k == 4 || p->value.type != BH_J_STRING || p->value.str[0] == '\0') {
            char q[64];

            return bh_imp_fail(r->im, BH_EPARSE, ev,
                               "record '%s': affected[%zu].ranges[%zu].events[%zu]: '%s' is not "
                               "one of introduced, fixed, last_affected, limit with a version",
                               rid(r), ai, ri, i, bh_str_printable(q, sizeof(q), p->key, 40));
        }
        out->events[out->nevents].kind = (enum bh_vevent_kind)k;
        out->events[out->nevents].version = p->value.str;
        out->nevents++;
    }
    return 0;
}

/* A rating string from an ecosystem_specific / database_specific object, or NULL. */
static const char *specific_severity(const struct bh_jnode *obj, const char *key)
{
    const char *s = bh_json_str(bh_json_get(bh_json_get(obj, key), "severity"));

    return s && s[0] ? s : NULL;
}

/*
 * One affected[] entry. Returns 0 with *keep false when it has no usable package (counted as
 * skipped by the caller).
 */
static int read_affected(struct rec *r, const struct bh_jnode *an, size_t ai,
                         struct bh_advisory *adv, int *best, const char *rec_rating,
                         struct bh_affected *out, bool *keep)
{
    struct bh_imp *im = r->im;
    const struct bh_jnode *pkg, *ranges, *versions, *sev;
    const char *eco, *name, *rating = NULL;
    char where[64], pwhere[80];
    size_t i;
    int rc;

    *keep = false;
    snprintf(where, sizeof(where), "affected[%zu].", ai);
    snprintf(pwhere, sizeof(pwhere), "affected[%zu].package.", ai);
    if (an->type != BH_J_OBJECT)
        return bh_imp_fail(im, BH_EPARSE, an,
                           "record '%s': affected[%zu]: expected an object, found %s", rid(r), ai,
                           bh_json_type_name(an));
    pkg = bh_json_get(an, "package");
    if (bh_json_is_null(pkg))
        return 0;
    if (pkg->type != BH_J_OBJECT)
        return bh_imp_fail(im, BH_EPARSE, pkg,
                           "record '%s': affected[%zu].package: expected an object, found %s",
                           rid(r), ai, bh_json_type_name(pkg));
    if ((rc = opt_str(r, pkg, "ecosystem", pwhere, &eco)) != 0 ||
        (rc = opt_str(r, pkg, "name", pwhere, &name)) != 0)
        return rc;
    if (!eco || !eco[0] || !name || !name[0])
        return 0; /* a purl-only package has no lookup key */
    out->ecosystem = eco_key(im->a, eco);
    out->name = !strcmp(eco, "PyPI") ? pep503(im->a, name) : name;
    if (!out->ecosystem || !out->name)
        return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");

    if ((rc = opt_arr(r, an, "ranges", where, &ranges)) != 0)
        return rc;
    if (ranges && ranges->n) {
        out->ranges = bh_arena_calloc(im->a, ranges->n, sizeof(*out->ranges));
        if (!out->ranges)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        for (i = 0; i < ranges->n; i++) {
            bool skip;

            rc = read_range(r, &ranges->items[i], ai, i, &out->ranges[out->nranges], &skip);
            if (rc)
                return rc;
            if (skip)
                im->st->skipped++;
            else
                out->nranges++;
        }
    }
    if ((rc = opt_arr(r, an, "versions", where, &versions)) != 0)
        return rc;
    if (versions && versions->n) {
        out->versions = bh_arena_calloc(im->a, versions->n, sizeof(*out->versions));
        if (!out->versions)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        for (i = 0; i < versions->n; i++) {
            const struct bh_jnode *v = &versions->items[i];

            if (v->type != BH_J_STRING)
                return bh_imp_fail(im, BH_EPARSE, v,
                                   "record '%s': affected[%zu].versions[%zu]: expected a "
                                   "string, found %s",
                                   rid(r), ai, i, bh_json_type_name(v));
            out->versions[out->nversions++] = v->str;
        }
    }
    /* per-package CVSS vectors (Bitnami) count for the advisory when it has none of its own */
    if ((rc = opt_arr(r, an, "severity", where, &sev)) != 0)
        return rc;
    if (r->own_cvss) {
        struct bh_advisory unused = *adv;
        int unused_best = *best;

        rc = read_severity(r, sev, where, &unused, &unused_best, &rating);
    } else {
        rc = read_severity(r, sev, where, adv, best, &rating);
    }
    if (rc)
        return rc;
    if (!rating)
        rating = specific_severity(an, "ecosystem_specific");
    if (!rating)
        rating = specific_severity(an, "database_specific");
    out->severity = rating ? rating : rec_rating;
    *keep = true;
    return 0;
}

static int read_record(struct bh_imp *im, const struct bh_jnode *o, size_t index)
{
    struct rec r = {im, NULL, index, false};
    struct bh_advisory adv;
    const struct bh_jnode *sev, *aff;
    const char *rating = NULL;
    int rc, best = 0;
    size_t i;

    memset(&adv, 0, sizeof(adv));
    adv.cvss_score10 = -1;
    adv.source = "osv";
    if (o->type != BH_J_OBJECT)
        return bh_imp_fail(im, BH_EPARSE, o, "record %zu: expected an object, found %s", index,
                           bh_json_type_name(o));
    adv.id = bh_json_str(bh_json_get(o, "id"));
    if (!adv.id || !adv.id[0])
        return bh_imp_fail(im, BH_EPARSE, o, "record %zu: no string 'id'", index);
    r.id = adv.id;
    if ((rc = opt_str(&r, o, "withdrawn", "", &adv.withdrawn)) != 0)
        return rc;
    if (adv.withdrawn) {
        im->st->withdrawn++;
        return 0;
    }
    if ((rc = opt_str(&r, o, "summary", "", &adv.summary)) != 0 ||
        (rc = opt_str(&r, o, "published", "", &adv.published)) != 0 ||
        (rc = opt_str(&r, o, "modified", "", &adv.modified)) != 0)
        return rc;
    if (adv.summary && !adv.summary[0])
        adv.summary = NULL;
    if ((rc = read_aliases(&r, o, &adv)) != 0)
        return rc;
    if ((rc = opt_arr(&r, o, "severity", "", &sev)) != 0)
        return rc;
    if ((rc = read_severity(&r, sev, "", &adv, &best, &rating)) != 0)
        return rc;
    r.own_cvss = adv.cvss != NULL;
    /* GHSA keeps its rating record-wide ("HIGH"); it applies to every package */
    if (!rating)
        rating = specific_severity(o, "database_specific");
    if ((rc = opt_arr(&r, o, "affected", "", &aff)) != 0)
        return rc;
    if (aff && aff->n) {
        adv.affected = bh_arena_calloc(im->a, aff->n, sizeof(*adv.affected));
        if (!adv.affected)
            return bh_imp_fail(im, BH_ENOMEM, NULL, "out of memory");
        for (i = 0; i < aff->n; i++) {
            bool keep;

            rc = read_affected(&r, &aff->items[i], i, &adv, &best, rating,
                               &adv.affected[adv.naffected], &keep);
            if (rc)
                return rc;
            if (keep)
                adv.naffected++;
            else
                im->st->skipped++;
        }
    }
    return bh_imp_emit(im, &adv);
}

bool bh_imp_is_osv(const struct bh_jnode *root)
{
    if (bh_json_is_array(root))
        return root->n == 0 || bh_json_str(bh_json_get(&root->items[0], "id")) != NULL;
    return bh_json_str(bh_json_get(root, "id")) != NULL;
}

int bh_imp_osv(struct bh_imp *im, const struct bh_jnode *root)
{
    size_t i;
    int rc;

    if (!bh_json_is_array(root))
        return read_record(im, root, 0);
    for (i = 0; i < root->n; i++) {
        rc = read_record(im, &root->items[i], i);
        if (rc)
            return rc;
    }
    return 0;
}
