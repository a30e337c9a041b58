/*
 * vulndb.c - the vulnerability database file: the writer stages every advisory in temporary
 * tables, merges aliases per package when it finishes (label propagation in SQL, then one
 * bounded pass per merged group in C) and writes the final tables and their index; the reader
 * opens the file read-only, checks it is ours and of our schema, and looks advisories up by
 * (ecosystem, name). Layout and rules: docs/internals/vulndb.md. No importing, no matching.
 */
#include "vuln/vulndb.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/sqlite.h"
#include "vuln/match.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PRAGMA application_id: 0x42485644, "BHVD" in ASCII. Tells our files from every other SQLite
 * file. Decimal because the pragma text is built from it. */
#define VULNDB_APP_ID 1112036932
#define STR_(x) #x
#define STR(x) STR_(x)
#define VULNDB_FORMAT "bulkhead-vulndb"

/* Tags of the affected-data encoding (docs/internals/vulndb.md "Affected data"). */
#define TAG_RANGE_ECO 'E'
#define TAG_RANGE_SEMVER 'S'
#define TAG_RANGE_GIT 'G'
#define TAG_INTRODUCED 'i'
#define TAG_FIXED 'f'
#define TAG_LAST_AFFECTED 'a'
#define TAG_LIMIT 'l'
#define TAG_VERSION 'v'

struct bh_vulndb_writer {
    struct bh_sqlite *db;
    char *path;
    struct bh_sqlite_stmt *ins_adv, *ins_aff, *ins_key, *ins_src;
    struct bh_buf enc; /* the encoding of one affected entry; reused */
    const char **keep; /* prune_versions' scratch list; reused */
    size_t nkeep, capkeep;
};

struct bh_vulndb {
    struct bh_sqlite *db;
    struct bh_sqlite_stmt *lookup;
    char *path;
    int schema;
    long long built;
};

/* ---- the affected-data encoding ---- */

/* One item at *off: its tag, and its string (NUL-terminated in the data). 1 item, 0 end,
 * -1 malformed (no terminating NUL). */
static int next_item(const unsigned char *p, size_t n, size_t *off, int *tag, const char **s)
{
    const unsigned char *nul;

    if (*off >= n)
        return 0;
    if (*off + 1 >= n || (nul = memchr(p + *off + 1, 0, n - *off - 1)) == NULL)
        return -1;
    *tag = p[*off];
    *s = (const char *)p + *off + 1;
    *off = (size_t)(nul - p) + 1;
    return 1;
}

static bool is_range_tag(int t)
{
    return t == TAG_RANGE_ECO || t == TAG_RANGE_SEMVER || t == TAG_RANGE_GIT;
}

static bool is_event_tag(int t)
{
    return t == TAG_INTRODUCED || t == TAG_FIXED || t == TAG_LAST_AFFECTED || t == TAG_LIMIT;
}

static void put_item(struct bh_buf *b, char tag, const char *s)
{
    bh_buf_putc(b, tag);
    bh_buf_puts(b, s);
    bh_buf_putc(b, '\0');
}

static int encode_affected(struct bh_buf *b, const struct bh_affected *af, const char *id,
                           struct bh_err *err)
{
    static const char range_tag[] = {TAG_RANGE_ECO, TAG_RANGE_SEMVER, TAG_RANGE_GIT};
    static const char event_tag[] = {TAG_INTRODUCED, TAG_FIXED, TAG_LAST_AFFECTED, TAG_LIMIT};
    size_t i, j;

    bh_buf_reset(b);
    for (i = 0; i < af->nranges; i++) {
        const struct bh_vrange *r = &af->ranges[i];

        if ((unsigned)r->type > BH_VR_GIT)
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "advisory %s: bad range type", id);
        put_item(b, range_tag[r->type], "");
        for (j = 0; j < r->nevents; j++) {
            const struct bh_vevent *e = &r->events[j];

            if ((unsigned)e->kind > BH_VEV_LIMIT || e->version == NULL)
                return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                                  "advisory %s: range event without a version", id);
            put_item(b, event_tag[e->kind], e->version);
        }
    }
    for (i = 0; i < af->nversions; i++)
        if (af->versions[i] != NULL)
            put_item(b, TAG_VERSION, af->versions[i]);
    if (b->failed)
        return bh_err_set(
            err, BH_ELIMIT, NULL, 0, 0,
            "advisory %s: affected data for %s past BH_MAX_VULNDB_AFFECTED (%u bytes)", id,
            af->name, BH_MAX_VULNDB_AFFECTED);
    return 0;
}

/* Decode (p, n) into af's ranges and versions (strings copied into a). */
static int decode_affected(struct bh_arena *a, const unsigned char *p, size_t n,
                           struct bh_affected *af)
{
    size_t off = 0, nr = 0, ne = 0, nv = 0, ei = 0;
    struct bh_vevent *events;
    const char *s;
    int tag, rc;

    while ((rc = next_item(p, n, &off, &tag, &s)) == 1) {
        if (is_range_tag(tag))
            nr++;
        else if (is_event_tag(tag) && nr > 0)
            ne++;
        else if (tag == TAG_VERSION)
            nv++;
        else
            return BH_EPARSE;
    }
    if (rc < 0)
        return BH_EPARSE;
    af->ranges = bh_arena_calloc(a, nr, sizeof(*af->ranges));
    events = bh_arena_calloc(a, ne, sizeof(*events));
    af->versions = nv ? bh_arena_calloc(a, nv, sizeof(*af->versions)) : NULL;
    if (af->ranges == NULL || events == NULL || (nv && af->versions == NULL))
        return BH_ENOMEM;
    af->nranges = 0;
    af->nversions = 0;
    off = 0;
    while (next_item(p, n, &off, &tag, &s) == 1) {
        if (is_range_tag(tag)) {
            struct bh_vrange *r = &af->ranges[af->nranges++];

            r->type = tag == TAG_RANGE_ECO      ? BH_VR_ECOSYSTEM
                      : tag == TAG_RANGE_SEMVER ? BH_VR_SEMVER
                                                : BH_VR_GIT;
            r->events = events + ei;
        } else if (is_event_tag(tag)) {
            struct bh_vrange *r = &af->ranges[af->nranges - 1];
            struct bh_vevent *e = &events[ei++];

            e->kind = tag == TAG_INTRODUCED      ? BH_VEV_INTRODUCED
                      : tag == TAG_FIXED         ? BH_VEV_FIXED
                      : tag == TAG_LAST_AFFECTED ? BH_VEV_LAST_AFFECTED
                                                 : BH_VEV_LIMIT;
            if ((e->version = bh_arena_strdup(a, s)) == NULL)
                return BH_ENOMEM;
            r->nevents++;
        } else {
            if ((af->versions[af->nversions++] = bh_arena_strdup(a, s)) == NULL)
                return BH_ENOMEM;
        }
    }
    return 0;
}

/* ---- writing ---- */

static const char schema_sql[] =
    "PRAGMA page_size=4096;"
    /* a new file that is deleted when the build fails: no journal to keep, no syncs until
     * bh_vulndb_finish syncs once */
    "PRAGMA journal_mode=OFF;"
    "PRAGMA synchronous=OFF;"
    "PRAGMA temp_store=FILE;"
    "PRAGMA cache_size=-16384;"
    "PRAGMA application_id=" STR(
        VULNDB_APP_ID) ";"
                       "PRAGMA user_version=" STR(
                           BH_VULNDB_SCHEMA) ";"
                                             "BEGIN;"
                                             "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, "
                                             "value NOT NULL) WITHOUT ROWID;"
                                             "CREATE TABLE sources(id INTEGER PRIMARY KEY, name "
                                             "TEXT NOT NULL, location TEXT,"
                                             " sha256 TEXT, fetched INTEGER NOT NULL, records "
                                             "INTEGER NOT NULL,"
                                             " withdrawn INTEGER NOT NULL);"
                                             "CREATE TABLE advisories(id INTEGER PRIMARY KEY, vid "
                                             "TEXT NOT NULL, aliases TEXT,"
                                             " summary TEXT, published TEXT, modified TEXT, cvss "
                                             "TEXT, score10 INTEGER NOT NULL,"
                                             " source TEXT NOT NULL);"
                                             "CREATE TABLE affected(advisory INTEGER NOT NULL, "
                                             "ecosystem TEXT NOT NULL,"
                                             " name TEXT NOT NULL, severity TEXT, data BLOB NOT "
                                             "NULL);"
                                             /* staging: in the temporary database, so the file
                                                never holds (or needs VACUUM for) it */
                                             "CREATE TEMP TABLE stage_adv(rid INTEGER PRIMARY KEY, "
                                             "vid TEXT NOT NULL, summary TEXT,"
                                             " published TEXT, modified TEXT, cvss TEXT, score10 "
                                             "INTEGER NOT NULL, source TEXT);"
                                             "CREATE TEMP TABLE stage_aff(aid INTEGER PRIMARY KEY, "
                                             "rid INTEGER NOT NULL,"
                                             " ecosystem TEXT NOT NULL, name TEXT NOT NULL, "
                                             "severity TEXT, data BLOB NOT NULL,"
                                             " grp INTEGER);"
                                             "CREATE TEMP TABLE stage_key(aid INTEGER NOT NULL, "
                                             "ecosystem TEXT NOT NULL,"
                                             " name TEXT NOT NULL, vid TEXT NOT NULL);";

static void writer_free(struct bh_vulndb_writer *w, bool unlink_file)
{
    bh_sqlite_finalize(w->ins_adv);
    bh_sqlite_finalize(w->ins_aff);
    bh_sqlite_finalize(w->ins_key);
    bh_sqlite_finalize(w->ins_src);
    bh_sqlite_close(w->db);
    if (unlink_file && w->path)
        unlink(w->path);
    bh_buf_release(&w->enc);
    free((void *)w->keep);
    free(w->path);
    free(w);
}

int bh_vulndb_create(const char *path, struct bh_vulndb_writer **out, struct bh_err *err)
{
    struct bh_vulndb_writer *w;
    int fd, rc;

    *out = NULL;
    w = calloc(1, sizeof(*w));
    if (w == NULL || (w->path = strdup(path)) == NULL) {
        free(w);
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory");
    }
    bh_buf_init(&w->enc, BH_MAX_VULNDB_AFFECTED);
    /* claim the name first: a file that exists is someone else's, never overwritten */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;

        free(w->path);
        w->path = NULL;
        writer_free(w, false);
        bh_err_set(err, BH_EIO, path, 0, 0, "cannot create '%s': %s", path, strerror(e));
        if (err)
            err->sys_errno = e;
        return BH_EIO;
    }
    close(fd);
    if ((rc = bh_sqlite_open_file(path, true, &w->db, err)) != 0 ||
        (rc = bh_sqlite_exec(w->db, schema_sql, err)) != 0 ||
        (rc = bh_sqlite_prepare(w->db,
                                "INSERT INTO stage_adv(vid, summary, published, modified, cvss,"
                                " score10, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                " RETURNING rid",
                                &w->ins_adv, err)) != 0 ||
        (rc = bh_sqlite_prepare(w->db,
                                "INSERT INTO stage_aff(rid, ecosystem, name, severity, data)"
                                " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING aid",
                                &w->ins_aff, err)) != 0 ||
        (rc = bh_sqlite_prepare(w->db,
                                "INSERT INTO stage_key(aid, ecosystem, name, vid)"
                                " VALUES (?1, ?2, ?3, ?4)",
                                &w->ins_key, err)) != 0 ||
        (rc = bh_sqlite_prepare(w->db,
                                "INSERT INTO sources(name, location, sha256, fetched, records,"
                                " withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                &w->ins_src, err)) != 0) {
        writer_free(w, true);
        return rc;
    }
    *out = w;
    return 0;
}

/* Ids are joined with newlines in the aliases column: refuse the bytes that would break that
 * (and that no real id holds). */
static bool id_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return false;
    return true;
}

/* Run an INSERT ... RETURNING once and hand back the returned integer. */
static int insert_returning(struct bh_sqlite_stmt *st, long long *id, struct bh_err *err)
{
    int rc = bh_sqlite_step(st, err);

    if (rc == 1) {
        *id = bh_sqlite_column_int(st, 0);
        rc = bh_sqlite_step(st, err);
    } else if (rc == 0) {
        rc = bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "insert returned no row");
    }
    bh_sqlite_reset(st);
    return rc < 0 ? rc : 0;
}

static int run_once(struct bh_sqlite_stmt *st, struct bh_err *err)
{
    int rc = bh_sqlite_step(st, err);

    bh_sqlite_reset(st);
    return rc < 0 ? rc : 0;
}

/*
 * Drop the listed versions a range of the same entry already covers: OSV exports list every
 * affected release next to the ranges (hundreds for PyPI), and "listed or in a range" does
 * not change when a listed version that is in a range goes. What remains is what only the
 * list names (or what the ranges cannot order). Smaller rows, and scans compare an installed
 * version with the list only when no range holds it. keep is the writer's scratch array.
 */
static int prune_versions(struct bh_affected *af, const char ***keep, size_t *n, size_t *cap)
{
    struct bh_affected ranges = *af;
    size_t i;

    if (af->nversions == 0 || af->nranges == 0)
        return 0;
    ranges.versions = NULL;
    ranges.nversions = 0;
    *n = 0;
    for (i = 0; i < af->nversions; i++) {
        const char *fixed, *note;

        if (af->versions[i] && bh_vuln_affects(&ranges, af->versions[i], &fixed, &note) == 1)
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            const char **v = realloc((void *)*keep, nc * sizeof(**keep));

            if (!v)
                return BH_ENOMEM;
            *keep = v;
            *cap = nc;
        }
        (*keep)[(*n)++] = af->versions[i];
    }
    af->versions = *keep;
    af->nversions = *n;
    return 0;
}

int bh_vulndb_add(struct bh_vulndb_writer *w, const struct bh_advisory *adv, struct bh_err *err)
{
    long long rid, aid;
    size_t i, j;
    int rc;

    if (adv->withdrawn != NULL)
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "advisory %s is withdrawn (%s)",
                          adv->id ? adv->id : "?", adv->withdrawn);
    if (!id_ok(adv->id))
        return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "advisory without a usable id");
    for (i = 0; i < adv->naliases; i++)
        if (!id_ok(adv->aliases[i]))
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0, "advisory %s: alias %zu is not an id",
                              adv->id, i + 1);
    for (i = 0; i < adv->naffected; i++)
        if (adv->affected[i].ecosystem == NULL || !*adv->affected[i].ecosystem ||
            adv->affected[i].name == NULL || !*adv->affected[i].name)
            return bh_err_set(err, BH_EUSAGE, NULL, 0, 0,
                              "advisory %s: affected entry without ecosystem or name", adv->id);

    if ((rc = bh_sqlite_bind_text(w->ins_adv, 1, adv->id, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_adv, 2, adv->summary, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_adv, 3, adv->published, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_adv, 4, adv->modified, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_adv, 5, adv->cvss, err)) ||
        (rc = bh_sqlite_bind_int(
             w->ins_adv, 6, adv->cvss && adv->cvss_score10 >= 0 ? adv->cvss_score10 : -1, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_adv, 7, adv->source ? adv->source : "unknown", err)) ||
        (rc = insert_returning(w->ins_adv, &rid, err)))
        goto fail;
    for (i = 0; i < adv->naffected; i++) {
        struct bh_affected pruned = adv->affected[i];
        const struct bh_affected *af = &pruned;

        if ((rc = prune_versions(&pruned, &w->keep, &w->nkeep, &w->capkeep)) != 0) {
            rc = bh_err_set(err, rc, NULL, 0, 0, "out of memory adding %s", adv->id);
            goto fail;
        }
        if ((rc = encode_affected(&w->enc, af, adv->id, err)) ||
            (rc = bh_sqlite_bind_int(w->ins_aff, 1, rid, err)) ||
            (rc = bh_sqlite_bind_text(w->ins_aff, 2, af->ecosystem, err)) ||
            (rc = bh_sqlite_bind_text(w->ins_aff, 3, af->name, err)) ||
            (rc = bh_sqlite_bind_text(w->ins_aff, 4, af->severity, err)) ||
            (rc = bh_sqlite_bind_blob(w->ins_aff, 5, w->enc.ptr, w->enc.len, err)) ||
            (rc = insert_returning(w->ins_aff, &aid, err)))
            goto fail;
        /* one key per id the record goes by: records sharing a key for this package merge */
        for (j = 0; j <= adv->naliases; j++) {
            const char *id = j == 0 ? adv->id : adv->aliases[j - 1];

            if ((rc = bh_sqlite_bind_int(w->ins_key, 1, aid, err)) ||
                (rc = bh_sqlite_bind_text(w->ins_key, 2, af->ecosystem, err)) ||
                (rc = bh_sqlite_bind_text(w->ins_key, 3, af->name, err)) ||
                (rc = bh_sqlite_bind_text(w->ins_key, 4, id, err)) ||
                (rc = run_once(w->ins_key, err)))
                goto fail;
        }
    }
    return 0;
fail:
    bh_sqlite_reset(w->ins_adv);
    bh_sqlite_reset(w->ins_aff);
    bh_sqlite_reset(w->ins_key);
    return rc;
}

int bh_vulndb_add_source(struct bh_vulndb_writer *w, const char *name, const char *location,
                         const char *sha256, long long fetched, size_t records, size_t withdrawn,
                         struct bh_err *err)
{
    int rc;

    if ((rc = bh_sqlite_bind_text(w->ins_src, 1, name ? name : "unknown", err)) ||
        (rc = bh_sqlite_bind_text(w->ins_src, 2, location, err)) ||
        (rc = bh_sqlite_bind_text(w->ins_src, 3, sha256, err)) ||
        (rc = bh_sqlite_bind_int(w->ins_src, 4, fetched, err)) ||
        (rc = bh_sqlite_bind_int(w->ins_src, 5, (long long)records, err)) ||
        (rc = bh_sqlite_bind_int(w->ins_src, 6, (long long)withdrawn, err))) {
        bh_sqlite_reset(w->ins_src);
        return rc;
    }
    return run_once(w->ins_src, err);
}

/* ---- merging (docs/internals/vulndb.md "Aliases") ---- */

/* The statements of the per-group pass. */
struct merge {
    struct bh_sqlite_stmt *members, *ids, *affs, *ins_adv, *ins_aff;
    struct bh_buf enc;
};

/* Rank of an ecosystem severity word: higher wins when merged records disagree. */
static int sev_rank(const char *s)
{
    static const char *const words[] = {"critical", "high", "important",  "medium",
                                        "moderate", "low",  "negligible", "unimportant"};
    static const int ranks[] = {8, 7, 7, 6, 6, 5, 4, 3};
    size_t i;

    if (s == NULL)
        return 0;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (bh_str_ieq(s, words[i]))
            return ranks[i];
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Copy of a column's text into the group arena (NULL stays NULL). */
static const char *col_dup(struct bh_arena *a, struct bh_sqlite_stmt *st, int i)
{
    const char *s = bh_sqlite_column_text(st, i);

    return s ? bh_arena_strdup(a, s) : NULL;
}

/*
 * Write one advisory row from the member records of group grp and return its row id in *adv.
 * Primary id: the smallest CVE among the records' own ids; else the one CVE the records name
 * as an alias when they name exactly one; else the smallest record id.
 */
static int write_advisory(struct merge *m, struct bh_arena *a, long long grp, long long *adv,
                          struct bh_err *err)
{
    const char *primary = NULL, *cve_rec = NULL, *cve_alias = NULL, *smallest = NULL;
    const char *summary = NULL, *summary_id = NULL, *published = NULL, *modified = NULL;
    const char *cvss = NULL, *sources = NULL;
    int score = -1, rc, ncve_alias = 0;
    const char **srcs = NULL;
    size_t nsrc = 0, capsrc = 0, i;
    struct bh_buf aliases = BH_BUF_INIT(BH_MAX_VULNDB_AFFECTED);

    if ((rc = bh_sqlite_bind_int(m->members, 1, grp, err)))
        goto out;
    while ((rc = bh_sqlite_step(m->members, err)) == 1) {
        const char *vid = col_dup(a, m->members, 0);
        const char *sum = col_dup(a, m->members, 1);
        const char *pub = col_dup(a, m->members, 2);
        const char *mod = col_dup(a, m->members, 3);
        const char *vec = col_dup(a, m->members, 4);
        int sc = (int)bh_sqlite_column_int(m->members, 5);
        const char *src = col_dup(a, m->members, 6);
        const char **slot;

        if (vid == NULL || a->failed) {
            rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging advisories");
            goto out;
        }
        if (smallest == NULL || strcmp(vid, smallest) < 0)
            smallest = vid;
        if (bh_str_prefix(vid, "CVE-") && (cve_rec == NULL || strcmp(vid, cve_rec) < 0))
            cve_rec = vid;
        if (sum && (summary_id == NULL || strcmp(vid, summary_id) < 0)) {
            summary = sum;
            summary_id = vid;
        }
        if (pub && (published == NULL || strcmp(pub, published) < 0))
            published = pub;
        if (mod && (modified == NULL || strcmp(mod, modified) > 0))
            modified = mod;
        /* the highest base score; an unscored vector only when nothing is scored */
        if (vec && (cvss == NULL || sc > score || (sc == score && strcmp(vec, cvss) < 0))) {
            cvss = vec;
            score = sc;
        }
        if (src && (slot = BH_PUSH(a, srcs, nsrc, capsrc)) != NULL)
            *slot = src;
    }
    bh_sqlite_reset(m->members);
    if (rc < 0)
        goto out;
    if (smallest == NULL) {
        rc = bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "merged group %lld has no records", grp);
        goto out;
    }

    if ((rc = bh_sqlite_bind_int(m->ids, 1, grp, err)))
        goto out;
    while ((rc = bh_sqlite_step(m->ids, err)) == 1) {
        const char *id = bh_sqlite_column_text(m->ids, 0);

        if (id && bh_str_prefix(id, "CVE-")) {
            if (ncve_alias++ == 0)
                cve_alias = bh_arena_strdup(a, id);
        }
    }
    bh_sqlite_reset(m->ids);
    if (rc < 0)
        goto out;
    primary = cve_rec ? cve_rec : ncve_alias == 1 && cve_alias ? cve_alias : smallest;

    /* the aliases column: every other id, sorted (the query orders them) */
    if ((rc = bh_sqlite_bind_int(m->ids, 1, grp, err)))
        goto out;
    while ((rc = bh_sqlite_step(m->ids, err)) == 1) {
        const char *id = bh_sqlite_column_text(m->ids, 0);

        if (id == NULL || !strcmp(id, primary))
            continue;
        if (aliases.len)
            bh_buf_putc(&aliases, '\n');
        bh_buf_puts(&aliases, id);
    }
    bh_sqlite_reset(m->ids);
    if (rc < 0)
        goto out;
    if (aliases.failed) {
        rc = bh_err_set(err, BH_ELIMIT, NULL, 0, 0, "advisory %s: too many aliases", primary);
        goto out;
    }

    /* the summary of the primary record when it has one, else of the smallest record id */
    if (srcs && nsrc > 1)
        qsort(srcs, nsrc, sizeof(*srcs), cmp_str);
    {
        struct bh_buf sb = BH_BUF_INIT(64 * 1024);

        for (i = 0; i < nsrc; i++) {
            if (i && !strcmp(srcs[i], srcs[i - 1]))
                continue;
            if (sb.len)
                bh_buf_putc(&sb, ',');
            bh_buf_puts(&sb, srcs[i]);
        }
        sources = bh_arena_strdup(a, sb.len ? bh_buf_str(&sb) : "unknown");
        bh_buf_release(&sb);
    }
    if (summary_id != NULL && strcmp(summary_id, primary) != 0) {
        /* prefer the primary's own summary if the primary is a record */
        if ((rc = bh_sqlite_bind_int(m->members, 1, grp, err)))
            goto out;
        while ((rc = bh_sqlite_step(m->members, err)) == 1) {
            const char *vid = bh_sqlite_column_text(m->members, 0);
            const char *sum = bh_sqlite_column_text(m->members, 1);

            if (vid && sum && !strcmp(vid, primary)) {
                summary = bh_arena_strdup(a, sum);
                break;
            }
        }
        bh_sqlite_reset(m->members);
        if (rc < 0)
            goto out;
    }
    if (sources == NULL || a->failed) {
        rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging advisories");
        goto out;
    }
    if ((rc = bh_sqlite_bind_text(m->ins_adv, 1, primary, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 2, aliases.len ? bh_buf_str(&aliases) : NULL, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 3, summary, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 4, published, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 5, modified, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 6, cvss, err)) ||
        (rc = bh_sqlite_bind_int(m->ins_adv, 7, cvss ? score : -1, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_adv, 8, sources, err)) ||
        (rc = insert_returning(m->ins_adv, adv, err)))
        goto out;
    rc = 0;
out:
    bh_sqlite_reset(m->ins_adv);
    bh_buf_release(&aliases);
    return rc;
}

/* A range: its bytes in an affected encoding, from its tag to the next range or version. */
struct seg {
    const unsigned char *p;
    size_t n;
};

/*
 * Write the one affected row of group grp (one package): the union of the members' ranges
 * (identical ranges once, in the order first seen), of their versions (sorted, once), and the
 * highest-ranked severity.
 */
static int write_affected(struct merge *m, struct bh_arena *a, long long grp, long long adv,
                          struct bh_err *err)
{
    struct seg *segs = NULL;
    const char **vers = NULL, *eco = NULL, *name = NULL, *sev = NULL;
    size_t nseg = 0, capseg = 0, nver = 0, capver = 0, i, j;
    int rc;

    if ((rc = bh_sqlite_bind_int(m->affs, 1, grp, err)))
        return rc;
    while ((rc = bh_sqlite_step(m->affs, err)) == 1) {
        const char *s = bh_sqlite_column_text(m->affs, 2);
        size_t n, off = 0, start = 0;
        const void *blob = bh_sqlite_column_blob(m->affs, 3, &n);
        unsigned char *p = bh_arena_alloc(a, n + 1);
        const char *item;
        int tag, r;
        bool in_range = false;

        if (eco == NULL) {
            eco = col_dup(a, m->affs, 0);
            name = col_dup(a, m->affs, 1);
        }
        if (s && (sev == NULL || sev_rank(s) > sev_rank(sev) ||
                  (sev_rank(s) == sev_rank(sev) && strcmp(s, sev) < 0)))
            sev = bh_arena_strdup(a, s);
        if (p == NULL || a->failed) {
            rc = BH_ENOMEM;
            break;
        }
        if (n)
            memcpy(p, blob, n);
        for (;;) {
            size_t here = off;

            if ((r = next_item(p, n, &off, &tag, &item)) != 1)
                break;
            if (is_range_tag(tag) || tag == TAG_VERSION) {
                if (in_range) {
                    struct seg *sg = BH_PUSH(a, segs, nseg, capseg);

                    if (sg == NULL)
                        break;
                    sg->p = p + start;
                    sg->n = here - start;
                }
                in_range = is_range_tag(tag);
                start = here;
            }
            if (tag == TAG_VERSION) {
                const char **v = BH_PUSH(a, vers, nver, capver);

                if (v == NULL)
                    break;
                *v = item;
            }
        }
        if (r == 1 || a->failed) {
            rc = BH_ENOMEM;
            break;
        }
        if (r < 0) {
            rc = bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "staged affected data is malformed");
            break;
        }
        if (in_range) {
            struct seg *sg = BH_PUSH(a, segs, nseg, capseg);

            if (sg == NULL) {
                rc = BH_ENOMEM;
                break;
            }
            sg->p = p + start;
            sg->n = n - start;
        }
    }
    bh_sqlite_reset(m->affs);
    if (rc == BH_ENOMEM)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging advisories");
    if (rc < 0)
        return rc;
    if (eco == NULL || name == NULL)
        return bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "merged group %lld is empty", grp);

    bh_buf_reset(&m->enc);
    for (i = 0; i < nseg; i++) {
        for (j = 0; j < i; j++)
            if (segs[j].n == segs[i].n && !memcmp(segs[j].p, segs[i].p, segs[i].n))
                break;
        if (j == i)
            bh_buf_append(&m->enc, (const char *)segs[i].p, segs[i].n);
    }
    if (nver > 1)
        qsort(vers, nver, sizeof(*vers), cmp_str);
    for (i = 0; i < nver; i++)
        if (i == 0 || strcmp(vers[i], vers[i - 1]) != 0)
            put_item(&m->enc, TAG_VERSION, vers[i]);
    if (m->enc.failed)
        return bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                          "merged affected data for %s past BH_MAX_VULNDB_AFFECTED (%u bytes)",
                          name, BH_MAX_VULNDB_AFFECTED);
    if ((rc = bh_sqlite_bind_int(m->ins_aff, 1, adv, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_aff, 2, eco, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_aff, 3, name, err)) ||
        (rc = bh_sqlite_bind_text(m->ins_aff, 4, sev, err)) ||
        (rc = bh_sqlite_bind_blob(m->ins_aff, 5, m->enc.ptr, m->enc.len, err))) {
        bh_sqlite_reset(m->ins_aff);
        return rc;
    }
    return run_once(m->ins_aff, err);
}

/* Label propagation: every staged affected entry ends with grp = the smallest aid it is
 * connected to through a shared (ecosystem, name, id). Memory stays in SQLite. */
static int propagate(struct bh_sqlite *db, struct bh_err *err)
{
    struct bh_sqlite_stmt *fill = NULL, *update = NULL, *changes = NULL;
    unsigned pass;
    int rc;

    if ((rc = bh_sqlite_exec(db,
                             "CREATE INDEX temp.stage_key_pkg ON stage_key(ecosystem, name, vid);"
                             "CREATE INDEX temp.stage_key_aid ON stage_key(aid);"
                             "CREATE TEMP TABLE km(ecosystem TEXT, name TEXT, vid TEXT, g INTEGER,"
                             " PRIMARY KEY(ecosystem, name, vid)) WITHOUT ROWID;"
                             "UPDATE stage_aff SET grp = aid;",
                             err)) ||
        (rc = bh_sqlite_prepare(db,
                                "INSERT INTO km SELECT k.ecosystem, k.name, k.vid, MIN(a.grp)"
                                " FROM stage_key k JOIN stage_aff a ON a.aid = k.aid"
                                " GROUP BY k.ecosystem, k.name, k.vid",
                                &fill, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "UPDATE stage_aff SET grp = m.g FROM"
                                " (SELECT k.aid AS aid, MIN(km.g) AS g FROM stage_key k"
                                "  JOIN km ON km.ecosystem = k.ecosystem AND km.name = k.name"
                                "  AND km.vid = k.vid GROUP BY k.aid) AS m"
                                " WHERE m.aid = stage_aff.aid AND m.g < stage_aff.grp",
                                &update, err)) ||
        (rc = bh_sqlite_prepare(db, "SELECT changes()", &changes, err)))
        goto out;
    for (pass = 0;; pass++) {
        long long changed = 0;

        if (pass == BH_MAX_VULNDB_MERGE_PASSES) {
            rc = bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                            "merging aliases took more than BH_MAX_VULNDB_MERGE_PASSES (%u) "
                            "passes",
                            BH_MAX_VULNDB_MERGE_PASSES);
            goto out;
        }
        if ((rc = bh_sqlite_exec(db, "DELETE FROM km", err)) || (rc = run_once(fill, err)) ||
            (rc = run_once(update, err)))
            goto out;
        if ((rc = bh_sqlite_step(changes, err)) == 1)
            changed = bh_sqlite_column_int(changes, 0);
        bh_sqlite_reset(changes);
        if (rc < 0)
            goto out;
        if (changed == 0)
            break;
    }
    rc = 0;
out:
    bh_sqlite_finalize(fill);
    bh_sqlite_finalize(update);
    bh_sqlite_finalize(changes);
    return rc;
}

static int merge_all(struct bh_sqlite *db, struct bh_err *err)
{
    struct merge m = {0};
    struct bh_sqlite_stmt *groups = NULL;
    struct bh_arena a;
    char *prev_sig = NULL;
    long long adv = 0;
    int rc;

    bh_buf_init(&m.enc, BH_MAX_VULNDB_AFFECTED);
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    if ((rc = propagate(db, err)) ||
        (rc = bh_sqlite_exec(db,
                             "CREATE INDEX temp.stage_aff_grp ON stage_aff(grp, rid);"
                             /* a group's signature is its member records; groups of several
                              * packages with the same members share one advisory row. The
                              * ordered subquery makes group_concat list rids ascending. */
                             "CREATE TEMP TABLE gsig AS SELECT grp, group_concat(rid) AS sig"
                             " FROM (SELECT DISTINCT grp, rid FROM stage_aff ORDER BY grp, rid)"
                             " GROUP BY grp;",
                             err)) ||
        (rc = bh_sqlite_prepare(db, "SELECT grp, sig FROM gsig ORDER BY sig, grp", &groups, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "SELECT vid, summary, published, modified, cvss, score10, source"
                                " FROM stage_adv WHERE rid IN"
                                " (SELECT rid FROM stage_aff WHERE grp = ?1) ORDER BY rid",
                                &m.members, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "SELECT DISTINCT k.vid FROM stage_key k"
                                " JOIN stage_aff a ON a.aid = k.aid WHERE a.grp = ?1"
                                " ORDER BY k.vid",
                                &m.ids, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "SELECT ecosystem, name, severity, data FROM stage_aff"
                                " WHERE grp = ?1 ORDER BY aid",
                                &m.affs, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "INSERT INTO advisories(vid, aliases, summary, published,"
                                " modified, cvss, score10, source)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                                &m.ins_adv, err)) ||
        (rc = bh_sqlite_prepare(db,
                                "INSERT INTO affected(advisory, ecosystem, name, severity, data)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                &m.ins_aff, err)))
        goto out;
    while ((rc = bh_sqlite_step(groups, err)) == 1) {
        long long grp = bh_sqlite_column_int(groups, 0);
        const char *sig = bh_sqlite_column_text(groups, 1);

        if (sig == NULL) {
            rc = bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "merged group without records");
            break;
        }
        if (prev_sig == NULL || strcmp(sig, prev_sig) != 0) {
            free(prev_sig);
            if ((prev_sig = strdup(sig)) == NULL) {
                rc = bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            if ((rc = write_advisory(&m, &a, grp, &adv, err)))
                break;
        }
        rc = write_affected(&m, &a, grp, adv, err);
        bh_arena_release(&a);
        if (rc)
            break;
    }
out:
    free(prev_sig);
    bh_arena_release(&a);
    bh_buf_release(&m.enc);
    bh_sqlite_finalize(groups);
    bh_sqlite_finalize(m.members);
    bh_sqlite_finalize(m.ids);
    bh_sqlite_finalize(m.affs);
    bh_sqlite_finalize(m.ins_adv);
    bh_sqlite_finalize(m.ins_aff);
    return rc < 0 ? rc : 0;
}

static int fsync_path(const char *path, struct bh_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), e;

    if (fd >= 0 && fsync(fd) == 0) {
        close(fd);
        return 0;
    }
    e = errno;
    if (fd >= 0)
        close(fd);
    bh_err_set(err, BH_EIO, path, 0, 0, "cannot sync '%s': %s", path, strerror(e));
    if (err)
        err->sys_errno = e;
    return BH_EIO;
}

int bh_vulndb_finish(struct bh_vulndb_writer *w, long long built, struct bh_err *err)
{
    struct bh_sqlite_stmt *st = NULL;
    int rc;

    bh_sqlite_finalize(w->ins_adv);
    bh_sqlite_finalize(w->ins_aff);
    bh_sqlite_finalize(w->ins_key);
    bh_sqlite_finalize(w->ins_src);
    w->ins_adv = w->ins_aff = w->ins_key = w->ins_src = NULL;
    if ((rc = merge_all(w->db, err)) ||
        (rc = bh_sqlite_prepare(w->db,
                                "INSERT INTO meta(key, value) VALUES ('format', ?1),"
                                " ('schema', ?2), ('built', ?3)",
                                &st, err)) ||
        (rc = bh_sqlite_bind_text(st, 1, VULNDB_FORMAT, err)) ||
        (rc = bh_sqlite_bind_int(st, 2, BH_VULNDB_SCHEMA, err)) ||
        (rc = bh_sqlite_bind_int(st, 3, built, err)) || (rc = run_once(st, err)))
        goto fail;
    bh_sqlite_finalize(st);
    st = NULL;
    /* the index after the bulk insert: one sort instead of a b-tree grown row by row */
    if ((rc = bh_sqlite_exec(w->db,
                             "CREATE INDEX affected_pkg ON affected(ecosystem, name);"
                             "DROP TABLE temp.km; DROP TABLE temp.gsig;"
                             "DROP TABLE temp.stage_key; DROP TABLE temp.stage_aff;"
                             "DROP TABLE temp.stage_adv;"
                             "COMMIT;"
                             "ANALYZE;",
                             err)))
        goto fail;
    bh_sqlite_close(w->db);
    w->db = NULL;
    if ((rc = fsync_path(w->path, err)))
        goto fail;
    writer_free(w, false);
    return 0;
fail:
    bh_sqlite_finalize(st);
    writer_free(w, true);
    return rc;
}

void bh_vulndb_abort(struct bh_vulndb_writer *w)
{
    if (w)
        writer_free(w, true);
}

/* ---- reading ---- */

static int not_ours(const char *path, const char *why, struct bh_err *err)
{
    return bh_err_set(err, BH_EPARSE, path, 0, 0,
                      "'%s' is not a bulkhead vulnerability database (%s): rebuild it with "
                      "`bulkhead db build` or `bulkhead db update`",
                      path, why);
}

/* One meta value as an integer; *found false when the key is missing. */
static int meta_int(struct bh_sqlite *s, const char *key, long long *v, bool *found,
                    struct bh_err *err)
{
    struct bh_sqlite_stmt *st = NULL;
    int rc;

    *found = false;
    if ((rc = bh_sqlite_prepare(s, "SELECT value FROM meta WHERE key = ?1", &st, err)) ||
        (rc = bh_sqlite_bind_text(st, 1, key, err)))
        goto out;
    if ((rc = bh_sqlite_step(st, err)) == 1) {
        const char *t = bh_sqlite_column_text(st, 0);

        *found = t && bh_parse_int(t, strlen(t), -(1LL << 62), 1LL << 62, v) == 0;
        rc = 0;
    }
out:
    bh_sqlite_finalize(st);
    return rc < 0 ? rc : 0;
}

int bh_vulndb_open(const char *path, struct bh_vulndb **out, struct bh_err *err)
{
    struct bh_vulndb *db;
    struct bh_sqlite_stmt *st = NULL;
    long long app = 0, v = 0;
    bool found;
    int rc;

    *out = NULL;
    db = calloc(1, sizeof(*db));
    if (db == NULL || (db->path = strdup(path)) == NULL) {
        free(db);
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory");
    }
    rc = bh_sqlite_open_file(path, false, &db->db, err);
    if (rc == BH_EIO && err && err->sys_errno == ENOENT) {
        rc = bh_err_set(err, BH_EIO, path, 0, 0,
                        "no vulnerability database at '%s': run `bulkhead db update` (or "
                        "`bulkhead db build -o %s SOURCE...`)",
                        path, path);
        err->sys_errno = ENOENT;
        goto fail;
    }
    if (rc == BH_EPARSE) {
        rc = not_ours(path, "not an sqlite file", err);
        goto fail;
    }
    if (rc)
        goto fail;
    if ((rc = bh_sqlite_prepare(db->db, "PRAGMA application_id", &st, err)))
        goto fail;
    if ((rc = bh_sqlite_step(st, err)) == 1)
        app = bh_sqlite_column_int(st, 0);
    bh_sqlite_finalize(st);
    st = NULL;
    if (rc < 0)
        goto fail;
    if (app != VULNDB_APP_ID || !bh_sqlite_has_table(db->db, "meta") ||
        !bh_sqlite_has_table(db->db, "advisories") || !bh_sqlite_has_table(db->db, "affected") ||
        !bh_sqlite_has_table(db->db, "sources")) {
        rc = not_ours(path, "an sqlite database of another program", err);
        goto fail;
    }
    if ((rc = meta_int(db->db, "schema", &v, &found, err)))
        goto fail;
    if (!found) {
        rc = not_ours(path, "no schema version", err);
        goto fail;
    }
    if (v != BH_VULNDB_SCHEMA) {
        rc = bh_err_set(err, BH_EPARSE, path, 0, 0,
                        "'%s' has vulnerability database schema %lld, this bulkhead reads "
                        "schema %d: rebuild it with `bulkhead db update` or `bulkhead db build`",
                        path, v, BH_VULNDB_SCHEMA);
        goto fail;
    }
    db->schema = (int)v;
    if ((rc = meta_int(db->db, "built", &db->built, &found, err)))
        goto fail;
    if (!found) {
        rc = not_ours(path, "no build time", err);
        goto fail;
    }
    if ((rc = bh_sqlite_prepare(db->db,
                                "SELECT a.vid, a.aliases, a.summary, a.published, a.modified,"
                                " a.cvss, a.score10, a.source, f.ecosystem, f.name, f.severity,"
                                " f.data FROM affected AS f JOIN advisories AS a"
                                " ON a.id = f.advisory"
                                " WHERE f.ecosystem = ?1 AND f.name = ?2",
                                &db->lookup, err)))
        goto fail;
    *out = db;
    return 0;
fail:
    bh_vulndb_close(db);
    return rc;
}

void bh_vulndb_close(struct bh_vulndb *db)
{
    if (db == NULL)
        return;
    bh_sqlite_finalize(db->lookup);
    bh_sqlite_close(db->db);
    free(db->path);
    free(db);
}

/* Split the newline-joined aliases column into an arena array. */
static int split_aliases(struct bh_arena *a, const char *s, struct bh_advisory *adv)
{
    size_t n = 1;
    const char *p, *nl;

    adv->aliases = NULL;
    adv->naliases = 0;
    if (s == NULL || *s == '\0')
        return 0;
    for (p = s; *p; p++)
        n += *p == '\n';
    adv->aliases = bh_arena_calloc(a, n, sizeof(*adv->aliases));
    if (adv->aliases == NULL)
        return BH_ENOMEM;
    for (p = s;; p = nl + 1) {
        nl = strchr(p, '\n');
        if (nl == NULL)
            nl = p + strlen(p);
        if (nl > p) {
            char *d = bh_arena_strndup(a, p, (size_t)(nl - p));

            if (d == NULL)
                return BH_ENOMEM;
            adv->aliases[adv->naliases++] = d;
        }
        if (*nl == '\0')
            break;
    }
    return 0;
}

static const char *dup_or_null(struct bh_arena *a, const char *s, bool *oom)
{
    char *d;

    if (s == NULL)
        return NULL;
    if ((d = bh_arena_strdup(a, s)) == NULL)
        *oom = true;
    return d;
}

int bh_vulndb_lookup(struct bh_vulndb *db, struct bh_arena *a, const char *ecosystem,
                     const char *name, struct bh_advisory **out, size_t *n, struct bh_err *err)
{
    struct bh_sqlite_stmt *st = db->lookup;
    size_t cap = *n;
    int rc;

    if ((rc = bh_sqlite_bind_text(st, 1, ecosystem, err)) ||
        (rc = bh_sqlite_bind_text(st, 2, name, err))) {
        bh_sqlite_reset(st);
        return rc;
    }
    while ((rc = bh_sqlite_step(st, err)) == 1) {
        struct bh_advisory *adv = BH_PUSH(a, *out, *n, cap);
        struct bh_affected *af = adv ? bh_arena_calloc(a, 1, sizeof(*af)) : NULL;
        const void *blob;
        size_t blen;
        bool oom = false;
        int drc;

        if (af == NULL) {
            rc = bh_err_set(err, BH_ENOMEM, db->path, 0, 0, "out of memory reading advisories");
            break;
        }
        adv->id = dup_or_null(a, bh_sqlite_column_text(st, 0), &oom);
        if (split_aliases(a, bh_sqlite_column_text(st, 1), adv))
            oom = true;
        adv->summary = dup_or_null(a, bh_sqlite_column_text(st, 2), &oom);
        adv->published = dup_or_null(a, bh_sqlite_column_text(st, 3), &oom);
        adv->modified = dup_or_null(a, bh_sqlite_column_text(st, 4), &oom);
        adv->cvss = dup_or_null(a, bh_sqlite_column_text(st, 5), &oom);
        adv->cvss_score10 = (int)bh_sqlite_column_int(st, 6);
        if (adv->cvss_score10 < -1 || adv->cvss_score10 > 100 || adv->cvss == NULL)
            adv->cvss_score10 = -1;
        adv->source = dup_or_null(a, bh_sqlite_column_text(st, 7), &oom);
        adv->withdrawn = NULL;
        af->ecosystem = dup_or_null(a, bh_sqlite_column_text(st, 8), &oom);
        af->name = dup_or_null(a, bh_sqlite_column_text(st, 9), &oom);
        af->severity = dup_or_null(a, bh_sqlite_column_text(st, 10), &oom);
        blob = bh_sqlite_column_blob(st, 11, &blen);
        drc = decode_affected(a, blob ? blob : "", blen, af);
        if (oom || drc == BH_ENOMEM) {
            rc = bh_err_set(err, BH_ENOMEM, db->path, 0, 0, "out of memory reading advisories");
            break;
        }
        if (drc || adv->id == NULL || af->ecosystem == NULL || af->name == NULL) {
            rc = bh_err_set(err, BH_EPARSE, db->path, 0, 0,
                            "vulnerability database '%s' is corrupt (advisory row for %s): "
                            "rebuild it",
                            db->path, adv->id ? adv->id : "?");
            break;
        }
        adv->affected = af;
        adv->naffected = 1;
    }
    bh_sqlite_reset(st);
    return rc < 0 ? rc : 0;
}

int bh_vulndb_info(struct bh_vulndb *db, struct bh_arena *a, struct bh_vulndb_info *out,
                   struct bh_err *err)
{
    struct bh_sqlite_stmt *st = NULL;
    size_t cap = 0, ecap = 0, ccap = 0;
    bool oom = false;
    int rc;

    memset(out, 0, sizeof(*out));
    out->schema = db->schema;
    out->built = db->built;
    if ((rc = bh_sqlite_prepare(db->db,
                                "SELECT (SELECT count(*) FROM advisories),"
                                " (SELECT count(*) FROM affected),"
                                " (SELECT count(*) FROM (SELECT DISTINCT ecosystem, name"
                                "  FROM affected))",
                                &st, err)))
        goto out;
    if ((rc = bh_sqlite_step(st, err)) == 1) {
        out->advisories = (size_t)bh_sqlite_column_int(st, 0);
        out->affected = (size_t)bh_sqlite_column_int(st, 1);
        out->packages = (size_t)bh_sqlite_column_int(st, 2);
    }
    bh_sqlite_finalize(st);
    st = NULL;
    if (rc < 0 ||
        (rc = bh_sqlite_prepare(db->db,
                                "SELECT name, location, sha256, fetched, records, withdrawn"
                                " FROM sources ORDER BY id",
                                &st, err)))
        goto out;
    while ((rc = bh_sqlite_step(st, err)) == 1) {
        struct bh_vulndb_source *s = BH_PUSH(a, out->sources, out->nsources, cap);

        if (s == NULL) {
            oom = true;
            break;
        }
        s->name = dup_or_null(a, bh_sqlite_column_text(st, 0), &oom);
        s->location = dup_or_null(a, bh_sqlite_column_text(st, 1), &oom);
        s->sha256 = dup_or_null(a, bh_sqlite_column_text(st, 2), &oom);
        s->fetched = bh_sqlite_column_int(st, 3);
        s->records = (size_t)bh_sqlite_column_int(st, 4);
        s->withdrawn = (size_t)bh_sqlite_column_int(st, 5);
        if (s->name == NULL)
            s->name = "";
    }
    bh_sqlite_finalize(st);
    st = NULL;
    if (rc < 0 || oom ||
        (rc = bh_sqlite_prepare(db->db,
                                "SELECT ecosystem, count(*) FROM affected GROUP BY ecosystem"
                                " ORDER BY ecosystem",
                                &st, err)))
        goto out;
    while ((rc = bh_sqlite_step(st, err)) == 1) {
        const char **e = BH_PUSH(a, out->ecosystems, out->necosystems, ecap);
        size_t cn = out->necosystems - 1;
        size_t *c;

        if (e == NULL) {
            oom = true;
            break;
        }
        *e = dup_or_null(a, bh_sqlite_column_text(st, 0), &oom);
        c = BH_PUSH(a, out->ecosystem_counts, cn, ccap);
        if (c == NULL || *e == NULL) {
            oom = true;
            break;
        }
        *c = (size_t)bh_sqlite_column_int(st, 1);
    }
out:
    bh_sqlite_finalize(st);
    if (oom)
        return bh_err_set(err, BH_ENOMEM, db->path, 0, 0, "out of memory reading database info");
    return rc < 0 ? rc : 0;
}
