/*
 * vulnopts.c - the vulnerability options image, rootfs and sbom share: which
 * database (--db, else the default cache path), whether to match at all, its
 * age check, and the per-target step that matches packages, drops unfixed
 * advisories on request and hands the matches to IMG-VULN. Matching itself is
 * vuln/match.c; reading the database is vuln/vulndb.c.
 */
#include "cmd/cmd.h"

#include "cmd/dbpath.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "rules/rule.h"
#include "vuln/match.h"
#include "vuln/vulndb.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400LL

void bh_vulnopts_init(struct bh_vulnopts *o)
{
    memset(o, 0, sizeof(*o));
    o->db_max_age_days = 5;
}

int bh_vulnopts_handle(struct bh_vulnopts *o, const char *cmd, const char *name, const char *val)
{
    long long n;

    if (!strcmp(name, "db")) {
        o->db_path = val;
        o->db_explicit = true;
    } else if (!strcmp(name, "skip-vulns")) {
        o->skip = true;
    } else if (!strcmp(name, "ignore-unfixed")) {
        o->ignore_unfixed = true;
    } else if (!strcmp(name, "db-max-age")) {
        if (bh_parse_int(val, strlen(val), 0, 36500, &n) != 0) {
            fprintf(stderr,
                    "bulkhead %s: --db-max-age takes a number of days (0..36500), not '%s'\n", cmd,
                    val);
            return BH_EXIT_USAGE;
        }
        o->db_max_age_days = (int)n;
    } else if (!strcmp(name, "strict-db-age")) {
        o->strict_db_age = true;
    } else {
        return 0;
    }
    return 1;
}

static void date_of(long long t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || strftime(buf, cap, "%Y-%m-%d", &tm) == 0)
        snprintf(buf, cap, "%lld", t);
}

/* Warn (or, strictly, fail the report) when the database is older than allowed. */
static void check_age(struct bh_vulnopts *o, const char *cmd, const char *path, bool quiet,
                      struct bh_report *r, struct bh_arena *ra)
{
    struct bh_arena ta;
    struct bh_vulndb_info info;
    struct bh_err err;
    char built[32], msg[512];
    long long age;

    bh_arena_init(&ta, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    if (bh_vulndb_info(o->db, &ta, &info, &err) != 0) {
        bh_report_add_error(ra, r, path, err.msg, 0, 0);
        bh_arena_release(&ta);
        return;
    }
    bh_arena_release(&ta);
    age = o->now - info.built;
    if (age <= (long long)o->db_max_age_days * DAY)
        return;
    date_of(info.built, built, sizeof(built));
    snprintf(msg, sizeof(msg),
             "vulnerability database %s is %lld days old (built %s, --db-max-age %d); run "
             "`bulkhead db update`",
             path, age / DAY, built, o->db_max_age_days);
    if (o->strict_db_age)
        bh_report_add_error(ra, r, path, msg, 0, 0);
    else if (!quiet)
        fprintf(stderr, "bulkhead %s: warning: %s\n", cmd, msg);
}

int bh_vulnopts_open(struct bh_vulnopts *o, const char *cmd, bool quiet, struct bh_report *r,
                     struct bh_arena *ra)
{
    char buf[BH_MAX_PATH];
    const char *path = o->db_path;
    struct bh_err err;

    o->db = NULL;
    if (o->skip)
        return 0;
    if (!path)
        path = bh_db_default_path(buf, sizeof(buf));
    if (!path) {
        if (!quiet)
            fprintf(stderr,
                    "bulkhead %s: note: no default vulnerability database path (set "
                    "XDG_CACHE_HOME or HOME, or give --db FILE); packages are listed, not "
                    "matched\n",
                    cmd);
        return 0;
    }
    if (!o->db_explicit && access(path, F_OK) != 0) {
        if (!quiet)
            fprintf(stderr,
                    "bulkhead %s: note: no vulnerability database at %s; run `bulkhead db "
                    "update` (or give --db FILE) to match packages against advisories\n",
                    cmd, path);
        return 0;
    }
    bh_err_init(&err);
    if (bh_vulndb_open(path, &o->db, &err) != 0) {
        o->db = NULL;
        if (o->db_explicit) {
            fprintf(stderr, "bulkhead %s: --db %s: %s\n", cmd, path, err.msg);
            return BH_EXIT_USAGE;
        }
        /* a database that is there but unreadable must not pass as "no vulnerabilities" */
        bh_report_add_error(ra, r, path, err.msg, 0, 0);
        return 0;
    }
    check_age(o, cmd, path, quiet, r, ra);
    return 0;
}

static const char *keep(struct bh_arena *ra, const char *s)
{
    return s ? bh_arena_strdup(ra, s) : NULL;
}

/* The match m in the report arena: findings and SBOMs outlive the scan arena. */
static void copy_match(struct bh_arena *ra, struct bh_vulnmatch *d, const struct bh_vulnmatch *m)
{
    size_t i;

    *d = *m;
    d->id = keep(ra, m->id);
    d->summary = keep(ra, m->summary);
    d->ecosystem = keep(ra, m->ecosystem);
    d->package = keep(ra, m->package);
    d->installed = keep(ra, m->installed);
    d->fixed = keep(ra, m->fixed);
    d->cvss = keep(ra, m->cvss);
    /* severity_source is one of three literals */
    d->aliases = NULL;
    d->naliases = 0;
    if (m->naliases) {
        const char **al = bh_arena_calloc(ra, m->naliases, sizeof(*al));

        if (al) {
            for (i = 0; i < m->naliases; i++)
                al[i] = keep(ra, m->aliases[i]);
            d->aliases = al;
            d->naliases = m->naliases;
        }
    }
}

void bh_vulnopts_scan(struct bh_vulnopts *o, struct bh_arena *a, struct bh_arena *ra,
                      const struct bh_policy *policy, struct bh_target *t,
                      struct bh_findings *found, struct bh_report *r)
{
    struct bh_vulnmatches ms = {0};
    struct bh_vulnset vs;
    struct bh_vulnmatch *out;
    struct bh_err err;
    size_t i, n = 0;

    if (!o->db || !t)
        return;
    bh_err_init(&err);
    if (bh_vuln_match(a, o->db, &t->packages, t->os.id ? &t->os : NULL, &ms, &err) != 0) {
        bh_report_add_error(ra, r, t->target, err.msg, 0, 0);
        return;
    }
    if (ms.n == 0)
        return;
    out = bh_arena_calloc(ra, ms.n, sizeof(*out));
    if (!out) {
        bh_report_add_error(ra, r, t->target, "out of memory keeping vulnerability matches", 0, 0);
        return;
    }
    for (i = 0; i < ms.n; i++) {
        if (o->ignore_unfixed && !ms.v[i].fixed)
            continue;
        copy_match(ra, &out[n++], &ms.v[i]);
    }
    if (ra->failed) {
        bh_report_add_error(ra, r, t->target, "out of memory keeping vulnerability matches", 0, 0);
        return;
    }
    t->vulns = out;
    t->nvulns = n;
    vs.target = t->target;
    vs.pkgs = &t->packages;
    vs.v = t->vulns;
    vs.n = n;
    bh_rules_check_vulns(a, policy, &vs, found);
}

void bh_vulnopts_close(struct bh_vulnopts *o)
{
    bh_vulndb_close(o->db);
    o->db = NULL;
}
