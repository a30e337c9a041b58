/*
 * dbupdate.c - `bulkhead db update`: download the advisory feeds (osv.dev's
 * per-ecosystem exports, Alpine's secdb) from their official locations or one
 * mirror, check them, build a new database beside the old one and rename it
 * into place. The old database stays whole until the rename: a killed or
 * failed update leaves it as it was (temporary files are cleaned next time).
 */
#include "cmd/cmd.h"

#include "cmd/dbpath.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/layer.h"
#include "net/http.h"
#include "vuln/import.h"
#include "vuln/vulndb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OSV_BASE "https://osv-vulnerabilities.storage.googleapis.com"
#define SECDB_BASE "https://secdb.alpinelinux.org"
#define TMP_PREFIX ".bulkhead-update-"

/* OSV ecosystems fetched by default: the distributions we match and the language ecosystems. */
static const char *const default_ecosystems[] = {
    "Alpine", "AlmaLinux",   "Chainguard", "Debian",    "Go",     "Maven", "npm", "Packagist",
    "PyPI",   "Rocky Linux", "RubyGems",   "crates.io", "Ubuntu", "Wolfi", NULL,
};

/* Alpine secdb branches fetched by default (main and community of each); OSV's Alpine export
 * covers every branch too, so an older or newer branch missing here still has data. */
static const char *const default_alpine[] = {"v3.18", "v3.19", "v3.20", "v3.21", "v3.22", NULL};

const struct bh_option bh_db_update_options[] = {
    {"db", 0, "FILE", "the database to replace (default $XDG_CACHE_HOME/bulkhead/vuln.db)"},
    {"mirror", 0, "URL",
     "fetch every feed from this base URL instead (osv/ECOSYSTEM/all.zip, "
     "alpine/BRANCH/REPO.json; BULKHEAD_DB_MIRROR too)"},
    {"ecosystems", 0, "LIST", "OSV ecosystems to fetch (comma-separated; default: all we match)"},
    {"alpine", 0, "LIST", "Alpine secdb branches to fetch (comma-separated; \"none\" for none)"},
    {"timeout", 0, "SECONDS", "connect timeout per download (default 60)"},
    {"quiet", 'q', NULL, "print nothing but errors"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct feed {
    char name[128]; /* "osv:PyPI", "alpine-secdb:v3.20/main" */
    char rel[160];  /* path under the mirror: "osv/PyPI/all.zip" */
    char url[512];
    char file[4600]; /* downloaded to */
    char sha256[80];
    long long fetched;
};

struct update {
    const char *db, *mirror, *ecosystems, *alpine;
    long timeout;
    bool quiet, help;
    struct feed *feeds;
    size_t nfeeds, capfeeds;
    struct bh_arena arena;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct update *u = data;
    const char *name = bh_db_update_options[idx].long_name;
    long long v;

    if (!strcmp(name, "db"))
        u->db = val;
    else if (!strcmp(name, "mirror"))
        u->mirror = val;
    else if (!strcmp(name, "ecosystems"))
        u->ecosystems = val;
    else if (!strcmp(name, "alpine"))
        u->alpine = val;
    else if (!strcmp(name, "timeout")) {
        if (bh_parse_int(val, strlen(val), 1, 3600, &v) != 0) {
            fprintf(stderr, "bulkhead db update: --timeout takes 1..3600 seconds, not '%s'\n", val);
            return BH_EXIT_USAGE;
        }
        u->timeout = (long)v;
    } else if (!strcmp(name, "quiet"))
        u->quiet = true;
    else if (!strcmp(name, "help"))
        u->help = true;
    return 0;
}

/* Percent-encode what a path segment may not hold as is ("Rocky Linux" -> "Rocky%20Linux"). */
static void encode_segment(char *out, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *s && o + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

static int add_feed(struct update *u, const char *name, const char *rel, const char *official)
{
    struct feed *f = BH_PUSH(&u->arena, u->feeds, u->nfeeds, u->capfeeds);
    const char *base = u->mirror;
    size_t bl;

    if (!f)
        return BH_ENOMEM;
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    snprintf(f->rel, sizeof(f->rel), "%s", rel);
    if (base) {
        bl = strlen(base);
        while (bl > 0 && base[bl - 1] == '/')
            bl--;
        snprintf(f->url, sizeof(f->url), "%.*s/%s", (int)bl, base, rel);
    } else {
        snprintf(f->url, sizeof(f->url), "%s", official);
    }
    return 0;
}

/* Call fn for every item of a comma-separated list (or of def when list is NULL). */
static int each_item(const char *list, const char *const *def,
                     int (*fn)(struct update *u, const char *item), struct update *u)
{
    char item[128];
    int rc;

    if (!list) {
        for (; *def; def++)
            if ((rc = fn(u, *def)) != 0)
                return rc;
        return 0;
    }
    if (!strcmp(list, "none"))
        return 0;
    while (*list) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);

        if (n == 0 || n >= sizeof(item)) {
            fprintf(stderr, "bulkhead db update: bad list item in '%s'\n", list);
            return BH_EXIT_USAGE;
        }
        memcpy(item, list, n);
        item[n] = '\0';
        if ((rc = fn(u, item)) != 0)
            return rc;
        list += n + (comma ? 1 : 0);
    }
    return 0;
}

static int add_osv(struct update *u, const char *eco)
{
    char enc[256], name[160], rel[300], url[512];

    encode_segment(enc, sizeof(enc), eco);
    snprintf(name, sizeof(name), "osv:%s", eco);
    snprintf(rel, sizeof(rel), "osv/%s/all.zip", enc);
    snprintf(url, sizeof(url), "%s/%s/all.zip", OSV_BASE, enc);
    return add_feed(u, name, rel, url) ? BH_EXIT_INTERNAL : 0;
}

static int add_alpine(struct update *u, const char *branch)
{
    static const char *const repos[] = {"main", "community"};
    char enc[160], name[160], rel[300], url[512];
    size_t i;

    if (branch[0] != 'v' && strcmp(branch, "edge") != 0) {
        fprintf(stderr, "bulkhead db update: Alpine branches look like v3.20, not '%s'\n", branch);
        return BH_EXIT_USAGE;
    }
    encode_segment(enc, sizeof(enc), branch);
    for (i = 0; i < 2; i++) {
        snprintf(name, sizeof(name), "alpine-secdb:%s/%s", branch, repos[i]);
        snprintf(rel, sizeof(rel), "alpine/%s/%s.json", enc, repos[i]);
        snprintf(url, sizeof(url), "%s/%s/%s.json", SECDB_BASE, enc, repos[i]);
        if (add_feed(u, name, rel, url))
            return BH_EXIT_INTERNAL;
    }
    return 0;
}

/* Remove what an earlier, interrupted update left in dir (we hold the lock). */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096 + 256];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (unlink(path) != 0 && errno == EISDIR) {
            DIR *sub = opendir(path);
            struct dirent *s;
            char p2[4096 + 512];

            while (sub && (s = readdir(sub)) != NULL) {
                if (!strcmp(s->d_name, ".") || !strcmp(s->d_name, ".."))
                    continue;
                snprintf(p2, sizeof(p2), "%s/%s", path, s->d_name);
                unlink(p2);
            }
            if (sub)
                closedir(sub);
            rmdir(path);
        }
    }
    closedir(d);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096 + 256];

    while (d && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Download f->url into f->file, hashing as it goes. */
static int download(struct update *u, struct feed *f, struct bh_err *err)
{
    struct bh_http_req rq;
    struct bh_http_resp resp;
    struct bh_reader rd;
    struct bh_sha256 *h;
    char *buf;
    uint64_t total = 0;
    size_t got;
    int fd, rc;

    memset(&rq, 0, sizeof(rq));
    rq.url = f->url;
    rq.follow_redirects = true;
    rq.timeout_s = u->timeout;
    rc = bh_http_open(&u->arena, &rq, &resp, &rd, err);
    if (rc)
        return rc;
    if (resp.status != 200) {
        bh_reader_close(&rd);
        return bh_err_set(err, BH_EIO, f->url, 0, 0, "%s: HTTP status %ld", f->url, resp.status);
    }
    fd = open(f->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        bh_reader_close(&rd);
        return bh_err_set(err, BH_EIO, f->file, 0, 0, "cannot create '%s': %s", f->file,
                          strerror(errno));
    }
    h = bh_sha256_begin();
    buf = malloc(1u << 16);
    rc = (h && buf) ? 0 : bh_err_set(err, BH_ENOMEM, f->url, 0, 0, "out of memory");
    while (rc == 0) {
        rc = rd.read(rd.ctx, buf, 1u << 16, &got, err);
        if (rc || got == 0)
            break;
        bh_sha256_update(h, buf, got);
        total += got;
        if (write(fd, buf, got) != (ssize_t)got)
            rc = bh_err_set(err, BH_EIO, f->file, 0, 0, "cannot write '%s': %s", f->file,
                            strerror(errno));
    }
    bh_reader_close(&rd);
    free(buf);
    bh_sha256_end(h, f->sha256);
    if (rc == 0 && resp.content_length >= 0 && (uint64_t)resp.content_length != total)
        rc = bh_err_set(err, BH_EIO, f->url, 0, 0,
                        "%s: got %llu bytes of the %lld the server announced", f->url,
                        (unsigned long long)total, (long long)resp.content_length);
    if (rc == 0 && fsync(fd) != 0)
        rc = bh_err_set(err, BH_EIO, f->file, 0, 0, "cannot sync '%s'", f->file);
    close(fd);
    f->fetched = (long long)time(NULL);
    return rc;
}

/*
 * A mirror may publish SHA256SUMS ("<hex>  <path>" lines, paths as under the mirror); when it
 * does, every feed must be listed there with the same digest.
 */
static int check_sums(struct update *u, struct bh_err *err)
{
    struct bh_http_req rq;
    struct bh_http_resp resp;
    char url[600], *body = NULL;
    size_t len = 0, i;
    int rc;

    if (!u->mirror)
        return 0;
    memset(&rq, 0, sizeof(rq));
    snprintf(url, sizeof(url), "%s/SHA256SUMS", u->mirror);
    rq.url = url;
    rq.follow_redirects = true;
    rq.timeout_s = u->timeout;
    rc = bh_http_get(&u->arena, &rq, 16u << 20, &resp, &body, &len, err);
    if (rc)
        return rc;
    if (resp.status == 404)
        return 0;
    if (resp.status != 200)
        return bh_err_set(err, BH_EIO, url, 0, 0, "%s: HTTP status %ld", url, resp.status);
    for (i = 0; i < u->nfeeds; i++) {
        struct feed *f = &u->feeds[i];
        const char *p = body, *want = f->sha256 + 7; /* after "sha256:" */
        bool found = false;

        while (p && *p) {
            const char *nl = strchr(p, '\n');
            size_t ll = nl ? (size_t)(nl - p) : strlen(p), rl = strlen(f->rel);

            /* "<64 hex><two spaces or space-star><path>" */
            if (ll >= 66 + rl && !strncmp(p + ll - rl, f->rel, rl) && p[64] == ' ') {
                found = true;
                if (strncmp(p, want, 64) != 0)
                    return bh_err_set(err, BH_EIO, f->url, 0, 0,
                                      "%s: sha256 %s does not match the mirror's SHA256SUMS",
                                      f->url, want);
                break;
            }
            p = nl ? nl + 1 : NULL;
        }
        if (!found)
            return bh_err_set(err, BH_EIO, url, 0, 0, "%s does not list %s", url, f->rel);
    }
    return 0;
}

struct add_ctx {
    struct bh_vulndb_writer *w;
    struct bh_err *err;
};

static int add_one(void *ctx, const struct bh_advisory *adv)
{
    struct add_ctx *c = ctx;

    return bh_vulndb_add(c->w, adv, c->err);
}

/* Import every downloaded feed into a new database at tmp. */
static int build(struct update *u, const char *tmp, struct bh_err *err)
{
    struct bh_vulndb_writer *w = NULL;
    struct add_ctx ac;
    size_t i;
    int rc;

    rc = bh_vulndb_create(tmp, &w, err);
    if (rc)
        return rc;
    ac.w = w;
    ac.err = err;
    for (i = 0; i < u->nfeeds; i++) {
        struct feed *f = &u->feeds[i];
        struct bh_import_stats st;
        struct bh_arena ia;

        memset(&st, 0, sizeof(st));
        bh_arena_init(&ia, BH_MAX_SCAN_ARENA);
        rc = bh_import_path(&ia, f->file, add_one, &ac, &st, err);
        bh_arena_release(&ia);
        if (rc == 0 && st.records == 0 && st.withdrawn == 0)
            rc = bh_err_set(err, BH_EPARSE, f->url, 0, 0, "%s: no advisories in the feed", f->url);
        if (rc == 0)
            rc = bh_vulndb_add_source(w, f->name, f->url, f->sha256, f->fetched, st.records,
                                      st.withdrawn, err);
        if (rc) {
            if (err->msg[0] && !strstr(err->msg, f->url) && !strstr(err->msg, f->file)) {
                char prev[sizeof(err->msg)];

                snprintf(prev, sizeof(prev), "%s", err->msg);
                bh_err_set(err, rc, f->url, 0, 0, "%s: %s", f->url, prev);
            }
            bh_vulndb_abort(w);
            return rc;
        }
        if (!u->quiet)
            fprintf(stderr, "bulkhead db update: %s: %zu advisories (%zu withdrawn skipped)\n",
                    f->name, st.records, st.withdrawn);
    }
    return bh_vulndb_finish(w, (long long)time(NULL), err);
}

int bh_db_update(int argc, char **argv, struct bh_ctx *ctx)
{
    struct update u;
    struct bh_err err;
    char defpath[4096], dir[4096], lockpath[4200], tmpdir[4200], tmpdb[4300];
    char **pos = NULL;
    const char *slash, *env;
    int npos = 0, rc, lockfd = -1;
    size_t i;

    (void)ctx;
    memset(&u, 0, sizeof(u));
    u.timeout = 60;
    bh_arena_init(&u.arena, BH_MAX_SCAN_ARENA);
    bh_err_init(&err);
    tmpdir[0] = tmpdb[0] = '\0';
    rc = bh_cmd_parse("db update", argc, argv, bh_db_update_options, on_opt, &u, &pos, &npos);
    if (rc)
        goto out;
    if (u.help) {
        fprintf(stdout, "usage: bulkhead db update [options]\n\n");
        for (i = 0; bh_db_update_options[i].long_name; i++)
            fprintf(stdout, "  --%-12s %s\n", bh_db_update_options[i].long_name,
                    bh_db_update_options[i].help);
        rc = BH_EXIT_OK;
        goto out;
    }
    if (npos) {
        fprintf(stderr, "bulkhead db update: unexpected argument '%s'\n", pos[0]);
        rc = BH_EXIT_USAGE;
        goto out;
    }
    env = getenv("BULKHEAD_DB_MIRROR");
    if (!u.mirror && env && *env)
        u.mirror = env;
    if (!u.db) {
        u.db = bh_db_default_path(defpath, sizeof(defpath));
        if (!u.db) {
            fprintf(stderr, "bulkhead db update: no default database path (set XDG_CACHE_HOME "
                            "or HOME, or give --db)\n");
            rc = BH_EXIT_USAGE;
            goto out;
        }
    }
    rc = each_item(u.ecosystems, default_ecosystems, add_osv, &u);
    if (rc == 0)
        rc = each_item(u.alpine, default_alpine, add_alpine, &u);
    if (rc)
        goto out;
    if (u.nfeeds == 0) {
        fprintf(stderr, "bulkhead db update: nothing to fetch\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    /* the directory of the database: temporaries go there so the rename stays atomic */
    slash = strrchr(u.db, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == u.db)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - u.db), u.db);
    if (bh_db_make_parent(u.db) != 0) {
        fprintf(stderr, "bulkhead db update: cannot create '%s': %s\n", dir, strerror(errno));
        rc = BH_EXIT_USAGE;
        goto out;
    }
    /* one update at a time per directory; a second one waits */
    snprintf(lockpath, sizeof(lockpath), "%s/.bulkhead-db.lock", dir);
    lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lockfd < 0 || flock(lockfd, LOCK_EX) != 0) {
        fprintf(stderr, "bulkhead db update: cannot lock '%s': %s\n", lockpath, strerror(errno));
        rc = BH_EXIT_USAGE;
        goto out;
    }
    clean_stale(dir);
    snprintf(tmpdir, sizeof(tmpdir), "%s/" TMP_PREFIX "XXXXXX", dir);
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "bulkhead db update: cannot create a directory in '%s': %s\n", dir,
                strerror(errno));
        tmpdir[0] = '\0';
        rc = BH_EXIT_USAGE;
        goto out;
    }
    if (bh_http_init(&err) != 0) {
        fprintf(stderr, "bulkhead db update: %s\n", err.msg);
        rc = BH_EXIT_INTERNAL;
        goto out;
    }
    for (i = 0; i < u.nfeeds; i++) {
        struct feed *f = &u.feeds[i];

        snprintf(f->file, sizeof(f->file), "%s/%zu-%s", tmpdir, i,
                 strrchr(f->rel, '/') ? strrchr(f->rel, '/') + 1 : f->rel);
        if (!u.quiet)
            fprintf(stderr, "bulkhead db update: fetching %s\n", f->url);
        rc = download(&u, f, &err);
        if (rc)
            break;
    }
    if (rc == 0)
        rc = check_sums(&u, &err);
    if (rc == 0) {
        snprintf(tmpdb, sizeof(tmpdb), "%s/db", tmpdir);
        rc = build(&u, tmpdb, &err);
    }
    if (rc == 0 && rename(tmpdb, u.db) != 0)
        rc = bh_err_set(&err, BH_EIO, u.db, 0, 0, "cannot replace '%s': %s", u.db, strerror(errno));
    if (rc == 0 && bh_db_sync_dir_of(u.db) != 0)
        rc = bh_err_set(&err, BH_EIO, dir, 0, 0, "cannot sync '%s'", dir);
    if (rc) {
        fprintf(stderr, "bulkhead db update: %s; '%s' is unchanged\n", err.msg, u.db);
        rc = BH_EXIT_USAGE;
    } else {
        if (!u.quiet)
            fprintf(stderr, "bulkhead db update: wrote %s from %zu feeds\n", u.db, u.nfeeds);
        rc = BH_EXIT_OK;
    }
    bh_http_cleanup();
out:
    if (tmpdir[0])
        remove_tree(tmpdir);
    if (lockfd >= 0)
        close(lockfd);
    free(pos);
    bh_arena_release(&u.arena);
    return rc;
}
