/*
 * db.c - `bulkhead db build|info|update`: builds the vulnerability database from advisory
 * feeds on disk (vuln/import.c reads them, vuln/vulndb.c writes the file) into a temporary
 * file next to the target and renames it into place, so the target is always either the old
 * or the new complete database; shows what a database holds. Downloading is `db update`'s.
 */
#include "cmd/cmd.h"
#include "cmd/dbpath.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/layer.h"
#include "report/jsonw.h"
#include "vuln/import.h"
#include "vuln/vulndb.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const struct bh_option bh_db_options[] = {
    {"output", 'o', "FILE", "build: the database to write (default: the default --db path)"},
    {"db", 0, "FILE", "info: the database to read (default $XDG_CACHE_HOME/bulkhead/vuln.db)"},
    {"format", 'f', "FORMAT", "info: text (default) or json"},
    {"quiet", 'q', NULL, "build: no summary on stderr"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct db_opts {
    const char *output, *db, *format;
    bool quiet, help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct db_opts *o = data;
    const char *name = bh_db_options[idx].long_name;

    if (!strcmp(name, "output"))
        o->output = val;
    else if (!strcmp(name, "db"))
        o->db = val;
    else if (!strcmp(name, "format"))
        o->format = val;
    else if (!strcmp(name, "quiet"))
        o->quiet = true;
    else if (!strcmp(name, "help"))
        o->help = true;
    return 0;
}

const char *bh_db_default_path(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;

    /* the XDG spec says a relative XDG_CACHE_HOME is invalid and is to be ignored */
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/bulkhead/vuln.db", xdg);
    else if (home && home[0])
        n = snprintf(buf, cap, "%s/.cache/bulkhead/vuln.db", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

static void fmt_time(long long t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, cap, "%lld", t);
}

/* ---- db build ---- */

/* The temporary file, for the signal handler: an interrupted build leaves nothing behind. */
static char tmp_path[BH_MAX_PATH + 64];
static volatile sig_atomic_t tmp_live;

static void on_signal(int sig)
{
    if (tmp_live)
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(bool on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

/* Distinct values seen in one source, for its name; a few are enough to name it. */
#define NAME_PARTS 4

struct source_seen {
    char kinds[NAME_PARTS][32];
    char ecos[NAME_PARTS][64];
    size_t nkinds, necos, more_ecos;
};

static void seen_add(char (*set)[64], size_t *n, size_t *more, const char *v)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (!strcmp(set[i], v))
            return;
    if (*n < NAME_PARTS)
        snprintf(set[(*n)++], sizeof(set[0]), "%s", v);
    else
        (*more)++;
}

struct build {
    struct bh_vulndb_writer *w;
    struct bh_err *err;
    struct source_seen seen;
    size_t added;
};

static int on_advisory(void *ctx, const struct bh_advisory *adv)
{
    struct build *b = ctx;
    size_t i;

    if (adv->source) {
        for (i = 0; i < b->seen.nkinds; i++)
            if (!strcmp(b->seen.kinds[i], adv->source))
                break;
        if (i == b->seen.nkinds && i < NAME_PARTS)
            snprintf(b->seen.kinds[b->seen.nkinds++], sizeof(b->seen.kinds[0]), "%s", adv->source);
    }
    for (i = 0; i < adv->naffected; i++)
        if (adv->affected[i].ecosystem)
            seen_add(b->seen.ecos, &b->seen.necos, &b->seen.more_ecos, adv->affected[i].ecosystem);
    b->added++;
    return bh_vulndb_add(b->w, adv, b->err);
}

/* "osv:PyPI", "alpine-secdb:Alpine:v3.10", "osv:Debian:11,Go,+3". */
static void source_name(const struct source_seen *s, char *buf, size_t cap)
{
    struct bh_buf b = BH_BUF_INIT(cap - 1);
    size_t i;

    for (i = 0; i < s->nkinds; i++) {
        if (i)
            bh_buf_putc(&b, '+');
        bh_buf_puts(&b, s->kinds[i]);
    }
    if (s->nkinds == 0)
        bh_buf_puts(&b, "empty");
    for (i = 0; i < s->necos; i++) {
        bh_buf_putc(&b, i ? ',' : ':');
        bh_buf_puts(&b, s->ecos[i]);
    }
    if (s->more_ecos)
        bh_buf_printf(&b, ",+%zu", s->more_ecos);
    snprintf(buf, cap, "%s", b.failed ? "source" : bh_buf_str(&b));
    bh_buf_release(&b);
}

/* sha256 of a file's bytes (hex, no prefix), or "" for a directory or on error. */
static void file_sha256(const char *path, char out[80])
{
    struct bh_sha256 *h;
    char buf[65536], full[80];
    struct stat sb;
    ssize_t n;
    int fd;

    out[0] = '\0';
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    h = bh_sha256_begin();
    if (h == NULL) {
        close(fd);
        return;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        bh_sha256_update(h, buf, (size_t)n);
    bh_sha256_end(h, full);
    close(fd);
    if (n == 0 && !strncmp(full, "sha256:", 7))
        snprintf(out, 80, "%s", full + 7);
}

/* fsync the directory holding path, so the rename itself is durable. */
int bh_db_sync_dir_of(const char *path)
{
    char dir[BH_MAX_PATH + 64];
    const char *slash = strrchr(path, '/');
    int fd, rc;

    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

int bh_db_make_parent(const char *path)
{
    char dir[BH_MAX_PATH + 64];
    size_t i;
    int n = snprintf(dir, sizeof(dir), "%s", path);
    char *slash;

    if (n <= 0 || (size_t)n >= sizeof(dir))
        return -1;
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    for (i = 1; dir[i]; i++) {
        if (dir[i] != '/')
            continue;
        dir[i] = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return -1;
        dir[i] = '/';
    }
    return mkdir(dir, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static void print_summary(const char *out, size_t records, size_t withdrawn, size_t skipped,
                          struct bh_err *err)
{
    struct bh_vulndb *db = NULL;
    struct bh_vulndb_info info;
    struct bh_arena a;
    size_t i;

    fprintf(stderr, "bulkhead db build: wrote '%s': %zu records read, %zu withdrawn skipped", out,
            records, withdrawn);
    if (skipped)
        fprintf(stderr, ", %zu affected entries skipped", skipped);
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    if (bh_vulndb_open(out, &db, err) != 0 || bh_vulndb_info(db, &a, &info, err) != 0) {
        fprintf(stderr, "\nbulkhead db build: cannot read back '%s': %s\n", out, err->msg);
        goto out;
    }
    fprintf(stderr, "; %zu advisories after merging aliases, %zu packages\n", info.advisories,
            info.packages);
    for (i = 0; i < info.necosystems; i++) {
        char esc[256];

        fprintf(stderr, "  %-24s %zu\n",
                bh_str_printable(esc, sizeof(esc), info.ecosystems[i], 200),
                info.ecosystem_counts[i]);
    }
out:
    bh_vulndb_close(db);
    bh_arena_release(&a);
}

static int db_build(struct db_opts *o, char **pos, int npos)
{
    char defpath[BH_MAX_PATH], name[256], sha[80];
    const char *out = o->output;
    struct bh_vulndb_writer *w = NULL;
    size_t total_records = 0, total_withdrawn = 0, total_skipped = 0;
    struct bh_arena a;
    struct bh_err err;
    unsigned attempt;
    int i, rc = BH_EXIT_USAGE;

    bh_err_init(&err);
    if (npos == 0) {
        fprintf(stderr, "bulkhead db build: no SOURCE given (usage: bulkhead db build -o FILE "
                        "SOURCE...)\n");
        return BH_EXIT_USAGE;
    }
    if (out == NULL) {
        out = bh_db_default_path(defpath, sizeof(defpath));
        if (out == NULL) {
            fprintf(stderr, "bulkhead db build: no -o FILE and no default path (set "
                            "XDG_CACHE_HOME or HOME)\n");
            return BH_EXIT_USAGE;
        }
        if (bh_db_make_parent(out) != 0) {
            fprintf(stderr, "bulkhead db build: cannot create the directory of '%s': %s\n", out,
                    strerror(errno));
            return BH_EXIT_USAGE;
        }
    }
    /* the temporary file lives next to the target: rename() is atomic only within a
     * filesystem. Its name is unique: pid, time and a counter, claimed with O_EXCL. */
    for (attempt = 0;; attempt++) {
        int n = snprintf(tmp_path, sizeof(tmp_path), "%s.tmp-%ld-%lld-%u", out, (long)getpid(),
                         (long long)time(NULL), attempt);

        if (n <= 0 || (size_t)n >= sizeof(tmp_path)) {
            fprintf(stderr, "bulkhead db build: path too long: '%s'\n", out);
            return BH_EXIT_USAGE;
        }
        /*
         * Armed before the file exists: a signal during the schema setup must remove it too.
         * (The name is unique to this process, so a name another process already holds
         * cannot be the one removed.)
         */
        tmp_live = 1;
        catch_signals(true);
        if (bh_vulndb_create(tmp_path, &w, &err) == 0)
            break;
        tmp_live = 0;
        catch_signals(false);
        if (err.sys_errno != EEXIST || attempt >= 100) {
            fprintf(stderr, "bulkhead db build: %s\n", err.msg);
            return BH_EXIT_USAGE;
        }
    }
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    for (i = 0; i < npos; i++) {
        struct bh_import_stats st = {0, 0, 0};
        struct build b;
        struct stat sb;

        memset(&b, 0, sizeof(b));
        b.w = w;
        b.err = &err;
        if (bh_import_path(&a, pos[i], on_advisory, &b, &st, &err) != 0) {
            if (err.file[0] && strcmp(err.file, pos[i]) != 0 && !strstr(err.msg, err.file))
                fprintf(stderr, "bulkhead db build: '%s': %s: %s\n", pos[i], err.file, err.msg);
            else if (!strstr(err.msg, pos[i]))
                fprintf(stderr, "bulkhead db build: '%s': %s\n", pos[i], err.msg);
            else
                fprintf(stderr, "bulkhead db build: %s\n", err.msg);
            goto fail;
        }
        bh_arena_release(&a);
        source_name(&b.seen, name, sizeof(name));
        file_sha256(pos[i], sha);
        if (bh_vulndb_add_source(w, name, pos[i], sha[0] ? sha : NULL,
                                 stat(pos[i], &sb) == 0 ? (long long)sb.st_mtime : 0, st.records,
                                 st.withdrawn, &err) != 0) {
            fprintf(stderr, "bulkhead db build: %s\n", err.msg);
            goto fail;
        }
        total_records += st.records;
        total_withdrawn += st.withdrawn;
        total_skipped += st.skipped;
    }
    rc = bh_vulndb_finish(w, bh_now(), &err);
    w = NULL;
    if (rc != 0) {
        fprintf(stderr, "bulkhead db build: %s\n", err.msg);
        rc = err.code == BH_ENOMEM || err.code == BH_EINTERNAL ? BH_EXIT_INTERNAL : BH_EXIT_USAGE;
        goto fail;
    }
    if (rename(tmp_path, out) != 0) {
        fprintf(stderr, "bulkhead db build: cannot rename '%s' to '%s': %s\n", tmp_path, out,
                strerror(errno));
        rc = BH_EXIT_USAGE;
        goto fail;
    }
    tmp_live = 0;
    catch_signals(false);
    if (bh_db_sync_dir_of(out) != 0) {
        fprintf(stderr, "bulkhead db build: cannot sync the directory of '%s': %s\n", out,
                strerror(errno));
        bh_arena_release(&a);
        return BH_EXIT_USAGE;
    }
    if (!o->quiet)
        print_summary(out, total_records, total_withdrawn, total_skipped, &err);
    bh_arena_release(&a);
    return BH_EXIT_OK;
fail:
    bh_vulndb_abort(w);
    unlink(tmp_path); /* finish deletes on failure too; a failed rename leaves it */
    tmp_live = 0;
    catch_signals(false);
    bh_arena_release(&a);
    return rc == BH_EXIT_INTERNAL ? rc : BH_EXIT_USAGE;
}

/* ---- db info ---- */

static void info_json(const char *path, const struct bh_vulndb_info *in, long long now)
{
    struct bh_jsonw j;
    char t[64];
    size_t i;

    bh_jsonw_init(&j, stdout, true);
    bh_jsonw_begin_object(&j);
    bh_jsonw_kv_string(&j, "path", path);
    bh_jsonw_kv_int(&j, "schema", in->schema);
    fmt_time(in->built, t, sizeof(t));
    bh_jsonw_kv_string(&j, "built", t);
    bh_jsonw_kv_int(&j, "built_unix", in->built);
    bh_jsonw_kv_int(&j, "age_seconds", now - in->built);
    bh_jsonw_kv_int(&j, "advisories", (long long)in->advisories);
    bh_jsonw_kv_int(&j, "affected", (long long)in->affected);
    bh_jsonw_kv_int(&j, "packages", (long long)in->packages);
    bh_jsonw_key(&j, "sources");
    bh_jsonw_begin_array(&j);
    for (i = 0; i < in->nsources; i++) {
        const struct bh_vulndb_source *s = &in->sources[i];

        bh_jsonw_begin_object(&j);
        bh_jsonw_kv_string(&j, "name", s->name);
        bh_jsonw_kv_string(&j, "location", s->location);
        bh_jsonw_kv_string(&j, "sha256", s->sha256);
        fmt_time(s->fetched, t, sizeof(t));
        bh_jsonw_kv_string(&j, "fetched", t);
        bh_jsonw_kv_int(&j, "records", (long long)s->records);
        bh_jsonw_kv_int(&j, "withdrawn", (long long)s->withdrawn);
        bh_jsonw_end_object(&j);
    }
    bh_jsonw_end_array(&j);
    bh_jsonw_key(&j, "ecosystems");
    bh_jsonw_begin_object(&j);
    for (i = 0; i < in->necosystems; i++)
        bh_jsonw_kv_int(&j, in->ecosystems[i], (long long)in->ecosystem_counts[i]);
    bh_jsonw_end_object(&j);
    bh_jsonw_end_object(&j);
    bh_jsonw_finish(&j);
}

static void fmt_age(long long secs, char *buf, size_t cap)
{
    if (secs < 0)
        snprintf(buf, cap, "in the future");
    else if (secs < 3600)
        snprintf(buf, cap, "%lld minutes ago", secs / 60);
    else if (secs < 2 * 86400)
        snprintf(buf, cap, "%lld hours ago", secs / 3600);
    else
        snprintf(buf, cap, "%lld days ago", secs / 86400);
}

static void info_text(const char *path, const struct bh_vulndb_info *in, long long now)
{
    char t[64], age[64], e1[512], e2[1024];
    size_t i;

    fmt_time(in->built, t, sizeof(t));
    fmt_age(now - in->built, age, sizeof(age));
    printf("database   %s\n", bh_str_printable(e2, sizeof(e2), path, 900));
    printf("schema     %d\n", in->schema);
    printf("built      %s (%s)\n", t, age);
    printf("advisories %zu (%zu affected entries, %zu packages)\n", in->advisories, in->affected,
           in->packages);
    printf("\nsources:\n");
    for (i = 0; i < in->nsources; i++) {
        const struct bh_vulndb_source *s = &in->sources[i];

        fmt_time(s->fetched, t, sizeof(t));
        printf("  %s\n", bh_str_printable(e1, sizeof(e1), s->name, 400));
        printf("    location  %s\n",
               s->location ? bh_str_printable(e2, sizeof(e2), s->location, 900) : "-");
        printf("    sha256    %s\n",
               s->sha256 ? bh_str_printable(e1, sizeof(e1), s->sha256, 400) : "-");
        printf("    fetched   %s\n", t);
        printf("    records   %zu (and %zu withdrawn, not stored)\n", s->records, s->withdrawn);
    }
    printf("\naffected entries per ecosystem:\n");
    for (i = 0; i < in->necosystems; i++)
        printf("  %-24s %zu\n", bh_str_printable(e1, sizeof(e1), in->ecosystems[i], 400),
               in->ecosystem_counts[i]);
}

static int db_info(struct db_opts *o, int npos)
{
    char defpath[BH_MAX_PATH];
    const char *path = o->db;
    struct bh_vulndb *db = NULL;
    struct bh_vulndb_info info;
    struct bh_arena a;
    struct bh_err err;
    bool json;
    int rc = BH_EXIT_OK;

    if (npos) {
        fprintf(stderr, "bulkhead db info: takes no arguments (use --db FILE)\n");
        return BH_EXIT_USAGE;
    }
    if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "text") != 0) {
        fprintf(stderr, "bulkhead db info: unknown format '%s' (text or json)\n", o->format);
        return BH_EXIT_USAGE;
    }
    json = o->format && !strcmp(o->format, "json");
    if (path == NULL && (path = bh_db_default_path(defpath, sizeof(defpath))) == NULL) {
        fprintf(stderr, "bulkhead db info: no --db FILE and no default path (set "
                        "XDG_CACHE_HOME or HOME)\n");
        return BH_EXIT_USAGE;
    }
    bh_err_init(&err);
    bh_arena_init(&a, BH_MAX_SCAN_ARENA);
    if (bh_vulndb_open(path, &db, &err) != 0 || bh_vulndb_info(db, &a, &info, &err) != 0) {
        fprintf(stderr, "bulkhead db info: %s\n", err.msg);
        rc = BH_EXIT_USAGE;
    } else if (json) {
        info_json(path, &info, bh_now());
    } else {
        info_text(path, &info, bh_now());
    }
    bh_vulndb_close(db);
    bh_arena_release(&a);
    return rc;
}

int cmd_db(int argc, char **argv, struct bh_ctx *ctx)
{
    struct db_opts o;
    char **pos = NULL;
    const char *sub;
    int npos = 0, rc;

    memset(&o, 0, sizeof(o));
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        bh_cmd_help(argc < 2 ? stderr : stdout, bh_cmd_find("db"));
        return argc < 2 ? BH_EXIT_USAGE : BH_EXIT_OK;
    }
    sub = argv[1];
    if (strcmp(sub, "build") != 0 && strcmp(sub, "info") != 0 && strcmp(sub, "update") != 0) {
        fprintf(stderr, "bulkhead db: unknown subcommand '%s' (build, update or info)\n", sub);
        return BH_EXIT_USAGE;
    }
    /* update has options of its own (dbupdate.c) */
    if (!strcmp(sub, "update"))
        return bh_db_update(argc - 1, argv + 1, ctx);
    rc = bh_cmd_parse("db", argc - 1, argv + 1, bh_db_options, on_opt, &o, &pos, &npos);
    if (rc) {
        free(pos);
        return rc;
    }
    if (o.help) {
        bh_cmd_help(stdout, bh_cmd_find("db"));
        rc = BH_EXIT_OK;
    } else if (!strcmp(sub, "build")) {
        rc = db_build(&o, pos, npos);
    } else {
        rc = db_info(&o, npos);
    }
    free(pos);
    return rc;
}
