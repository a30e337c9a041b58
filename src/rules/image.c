/*
 * image.c - rules over what an image holds: its accounts (IMG-EMPTYPW, IMG-UID0), leftover
 * files (IMG-JUNK), layer digests (IMG-INTEGRITY), dates (IMG-AGE), OS and runtime releases
 * (IMG-EOL), and the image side of rows kept in content.c and build.c (image_checks.h).
 * Pure functions over struct bh_image: captured files are already in memory and nothing is read
 * here. The end-of-life table is data/eol.tsv, embedded at build time by scripts/embed-data.py.
 */
#include "rules/groups.h"
#include "rules/image_checks.h"
#include "rules/secretnames.h"

#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"

#include <fnmatch.h>
#include <string.h>

#if defined(__has_include)
#if __has_include("bh_eol_data.h")
#include "bh_eol_data.h"
#define HAVE_EOL_DATA 1
#endif
#endif
#ifndef HAVE_EOL_DATA
/* the build did not generate the table: IMG-EOL knows no release (the unit test catches this) */
static const char bh_data_eol[] = "";
#endif

/* ------------------------------------------------------------------ helpers */

struct span {
    const char *s;
    size_t n;
};

static bool span_eq(struct span a, const char *b)
{
    return strlen(b) == a.n && memcmp(a.s, b, a.n) == 0;
}

static bool span_ieq(struct span a, const char *b)
{
    return bh_str_ieqn(a.s, a.n, b);
}

static struct span span_trim(struct span a)
{
    while (a.n && (a.s[0] == ' ' || a.s[0] == '\t')) {
        a.s++;
        a.n--;
    }
    while (a.n && (a.s[a.n - 1] == ' ' || a.s[a.n - 1] == '\t'))
        a.n--;
    return a;
}

/* The next line of [*p, end) without its newline (and a trailing \r); false at the end. */
static bool next_line(const char **p, const char *end, struct span *line)
{
    const char *s = *p, *e;

    if (s >= end)
        return false;
    e = memchr(s, '\n', (size_t)(end - s));
    if (!e)
        e = end;
    *p = e < end ? e + 1 : end;
    line->s = s;
    line->n = (size_t)(e - s);
    if (line->n && s[line->n - 1] == '\r')
        line->n--;
    return true;
}

/* Split l at sep into at most max fields (the last one stops at the next sep); the count. */
static size_t split(struct span l, char sep, struct span *f, size_t max)
{
    const char *s = l.s, *end = l.s + l.n;
    size_t n = 0;

    while (n < max) {
        const char *e = memchr(s, sep, (size_t)(end - s));

        if (!e)
            e = end;
        f[n].s = s;
        f[n].n = (size_t)(e - s);
        n++;
        if (e == end)
            break;
        s = e + 1;
    }
    return n;
}

static bool is_final(const struct bh_imgfile *f)
{
    return !(f->flags & BH_IMGF_SHADOWED) && f->type != BH_FT_WHITEOUT && f->type != BH_FT_OPAQUE;
}

/* A content-bearing entry: regular file or hard link (which shares a regular file's inode). */
static bool is_file(const struct bh_imgfile *f)
{
    return f->type == BH_FT_REG || f->type == BH_FT_HARDLINK;
}

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');

    return s ? s + 1 : p;
}

/* Is p directly inside directory d ("usr/bin")? */
static bool in_dir(const char *p, const char *d)
{
    size_t n = strlen(d);

    return strncmp(p, d, n) == 0 && p[n] == '/' && !strchr(p + n + 1, '/');
}

/* Does some component of p equal name? */
static bool has_component(const char *p, const char *name)
{
    size_t n = strlen(name);
    const char *s = p;

    while (s && *s) {
        size_t l = strcspn(s, "/");

        if (l == n && strncmp(s, name, n) == 0)
            return true;
        s += l;
        if (*s == '/')
            s++;
    }
    return false;
}

static const char *abs_path(struct bh_arena *a, const char *p)
{
    return p[0] == '/' ? p : bh_arena_printf(a, "/%s", p);
}

/* The captured content of path in the final tree, or NULL. */
static const struct bh_imgcapture *cap_final(const struct bh_image *img, const char *path)
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

/* The entry at path in the final tree (no link following), or NULL. */
static const struct bh_imgfile *file_final(const struct bh_image *img, const char *path)
{
    size_t i;

    for (i = img->nfiles; i-- > 0;) {
        if (is_final(&img->files[i]) && strcmp(img->files[i].path, path) == 0)
            return &img->files[i];
    }
    return NULL;
}

/* "layer 3 (sha256:0123456789ab…)" */
static const char *layer_name(struct bh_arena *a, const struct bh_image *img, int idx)
{
    const char *d = NULL, *hex;

    if (idx >= 0 && (size_t)idx < img->nlayers) {
        const struct bh_imglayer *l = &img->layers[idx];

        /* the uncompressed content's digest is the same in an archive, an OCI layout and a
         * registry (blob digests change with compression), so findings match across sources */
        d = l->diff_id ? l->diff_id : l->got_diff_id ? l->got_diff_id : l->digest;
    }
    if (!d)
        return bh_arena_printf(a, "layer %d", idx);
    hex = strchr(d, ':');
    hex = hex ? hex + 1 : d;
    if (strlen(hex) > 12)
        return bh_arena_printf(a, "layer %d (%.*s\u2026)", idx, (int)(hex - d) + 12, d);
    return bh_arena_printf(a, "layer %d (%s)", idx, d);
}

static struct bh_loc iloc(const struct bh_image *img, const char *path, int line)
{
    struct bh_loc l;

    memset(&l, 0, sizeof(l));
    l.file = img->target;
    l.path = path;
    l.line = line;
    return l;
}

/* A passwd/shadow/group line with no account: blank, comment, NIS `+`/`-` include. */
static bool skip_account_line(struct span l)
{
    l = span_trim(l);
    return l.n == 0 || l.s[0] == '#' || l.s[0] == '+' || l.s[0] == '-';
}

/* ------------------------------------------------------------------- dates */

static const char *ymd(struct bh_arena *a, long long t)
{
    int y, m, d;

    bh_civil_from_days(t >= 0 ? t / BH_DAY : (t - BH_DAY + 1) / BH_DAY, &y, &m, &d);
    return bh_arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------- IMG-EMPTYPW */

static void emptypw_in(struct bh_rule_ctx *c, const struct bh_image *img, const char *path,
                       const char *why)
{
    const struct bh_imgcapture *cp = cap_final(img, path);
    const char *p, *end, *shown;
    struct span l, f[2];
    int no = 0;

    if (!cp)
        return;
    shown = abs_path(c->arena, path);
    for (p = cp->data, end = cp->data + cp->len; next_line(&p, end, &l);) {
        struct bh_loc loc;

        no++;
        if (skip_account_line(l) || split(l, ':', f, 2) < 2 || f[0].n == 0 || f[1].n != 0)
            continue;
        loc = iloc(img, shown, no);
        bh_rule_report(c, &loc, NULL,
                       "account '%.*s' has an empty password field in %s (line %d, %s): %s",
                       (int)f[0].n, f[0].s, shown, no, layer_name(c->arena, img, cp->layer), why);
    }
}

static void check_emptypw(struct bh_rule_ctx *c, const struct bh_image *img)
{
    emptypw_in(c, img, "etc/shadow", "anyone can log in or su to it without a password");
    emptypw_in(c, img, "etc/master.passwd", "anyone can log in to it without a password");
    emptypw_in(c, img, "etc/passwd",
               "the password is not taken from /etc/shadow and login needs none");
}

/* ---------------------------------------------------------------- IMG-UID0 */

struct acct {
    struct span name;
    long long id;
    int line;
};

static int cmp_acct(const void *a, const void *b)
{
    const struct acct *x = a, *y = b;

    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->line - y->line;
}

/* Accounts of a passwd or group file (the id is field 2 in both); short lines are skipped. */
static size_t read_ids(struct bh_arena *a, const struct bh_imgcapture *cp, struct acct **out)
{
    struct acct *v = NULL;
    size_t n = 0, cap = 0;
    const char *p, *end;
    struct span l, f[4];
    int no = 0;

    for (p = cp->data, end = cp->data + cp->len; next_line(&p, end, &l);) {
        long long id;
        struct acct *e;

        no++;
        if (skip_account_line(l) || split(l, ':', f, 4) < 3 || f[0].n == 0)
            continue;
        if (bh_parse_int(f[2].s, f[2].n, 0, 4294967295LL, &id) != 0)
            continue;
        e = BH_PUSH(a, v, n, cap);
        if (!e)
            break;
        e->name = f[0];
        e->id = id;
        e->line = no;
    }
    *out = v;
    return n;
}

/* Report every id shared by more than one entry (ids in skip_id are reported elsewhere). */
static void report_dups(struct bh_rule_ctx *c, const struct bh_image *img,
                        const struct bh_imgcapture *cp, struct acct *v, size_t n, const char *what,
                        long long skip_id)
{
    const char *shown = abs_path(c->arena, cp->path);
    size_t i, j;

    if (n < 2 || !v) /* no account lines, or one: nothing can be shared */
        return;
    qsort(v, n, sizeof(*v), cmp_acct);
    for (i = 0; i < n; i = j) {
        const char *names = "";
        struct bh_loc loc;

        for (j = i + 1; j < n && v[j].id == v[i].id; j++)
            ;
        if (j - i < 2 || v[i].id == skip_id)
            continue;
        for (size_t k = i; k < j; k++)
            names = bh_arena_printf(c->arena, "%s%s'%.*s' (line %d)", names, k > i ? ", " : "",
                                    (int)v[k].name.n, v[k].name.s, v[k].line);
        loc = iloc(img, shown, v[i + 1].line);
        bh_rule_report_sev(c, BH_SEV_MEDIUM, &loc, NULL,
                           "%s %lld in %s (%s) is shared by %s: each can act on the other's "
                           "files and processes",
                           what, v[i].id, shown, layer_name(c->arena, img, cp->layer), names);
    }
}

static void check_uid0(struct bh_rule_ctx *c, const struct bh_image *img)
{
    const struct bh_imgcapture *pw = cap_final(img, "etc/passwd");
    const struct bh_imgcapture *gr = cap_final(img, "etc/group");
    struct acct *v;
    size_t n, i;

    if (pw) {
        n = read_ids(c->arena, pw, &v);
        for (i = 0; i < n; i++) {
            struct bh_loc loc;

            if (v[i].id != 0 || span_eq(v[i].name, "root"))
                continue;
            loc = iloc(img, "/etc/passwd", v[i].line);
            bh_rule_report(c, &loc, NULL,
                           "account '%.*s' in /etc/passwd (line %d, %s) has UID 0: it is root "
                           "under another name",
                           (int)v[i].name.n, v[i].name.s, v[i].line,
                           layer_name(c->arena, img, pw->layer));
        }
        report_dups(c, img, pw, v, n, "UID", 0);
    }
    if (gr) {
        n = read_ids(c->arena, gr, &v);
        report_dups(c, img, gr, v, n, "GID", -1);
    }
}

/* ---------------------------------------------------------------- IMG-JUNK */

static const char *const junk_dirs[] = {".git", ".cache", ".vscode", ".idea", ".npm", NULL};
static const char *const cred_dirs[] = {".aws", ".azure", ".gcp", ".kube", ".docker", ".ssh", NULL};
static const char *const junk_files[] = {
    "Dockerfile", "docker-compose.yml", "docker-compose.yaml", ".DS_Store", ".vimrc", NULL};
/* Third-party trees: their own dotfiles are the packages' business, not the image's. */
static const char *const junk_skip[] = {"node_modules", "vendor", NULL};

static bool in_list(const char *const *list, const char *s, size_t n)
{
    size_t i;

    for (i = 0; list[i]; i++) {
        if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
            return true;
    }
    return false;
}

struct junk {
    const char *path; /* the entry's path; the junk item is its first len bytes */
    size_t len;
    int layer;
    bool cred, dir;
};

static int cmp_junk(const void *a, const void *b)
{
    const struct junk *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = strncmp(x->path, y->path, n);

    if (r)
        return r;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->layer - y->layer;
}

/* The junk item an entry belongs to; false when none. */
static bool junk_of(const struct bh_imgfile *f, struct junk *j)
{
    const char *s = f->path;

    while (*s) {
        size_t l = strcspn(s, "/");
        bool last = s[l] == '\0';

        if (in_list(junk_skip, s, l))
            return false;
        if (in_list(junk_dirs, s, l) || in_list(cred_dirs, s, l)) {
            if (last && f->type != BH_FT_DIR)
                return false; /* a file named .git (a worktree pointer) holds no history */
            j->path = f->path;
            j->len = (size_t)(s - f->path) + l;
            j->layer = f->layer;
            j->cred = in_list(cred_dirs, s, l);
            j->dir = true;
            /* a dependency tree deeper down may still be skipped */
            return !has_component(s + l, "node_modules") && !has_component(s + l, "vendor");
        }
        if (last && f->type == BH_FT_REG && in_list(junk_files, s, l)) {
            j->path = f->path;
            j->len = strlen(f->path);
            j->layer = f->layer;
            j->cred = false;
            j->dir = false;
            return true;
        }
        s += l;
        if (*s == '/')
            s++;
    }
    return false;
}

static void check_junk(struct bh_rule_ctx *c, const struct bh_image *img)
{
    struct junk *v = NULL, j;
    size_t n = 0, cap = 0, i, k;

    for (i = 0; i < img->nfiles; i++) {
        struct junk *e;

        if (!is_final(&img->files[i]) || !junk_of(&img->files[i], &j))
            continue;
        e = BH_PUSH(c->arena, v, n, cap);
        if (!e)
            return;
        *e = j;
    }
    if (n == 0)
        return;
    qsort(v, n, sizeof(*v), cmp_junk);
    for (i = 0; i < n; i = k) {
        const char *shown = abs_path(c->arena, bh_arena_strndup(c->arena, v[i].path, v[i].len));
        struct bh_loc loc = iloc(img, shown, 0);

        for (k = i + 1;
             k < n && v[k].len == v[i].len && strncmp(v[k].path, v[i].path, v[i].len) == 0; k++)
            ;
        if (!v[i].dir)
            bh_rule_report(c, &loc, NULL,
                           "%s is shipped in the final image (%s); it is a build or editor file "
                           "the running container does not need",
                           shown, layer_name(c->arena, img, v[i].layer));
        else
            bh_rule_report_sev(
                c, v[i].cred ? BH_SEV_MEDIUM : BH_SEV_LOW, &loc, NULL,
                "directory %s is shipped in the final image (%zu entr%s, from %s)%s", shown, k - i,
                k - i == 1 ? "y" : "ies", layer_name(c->arena, img, v[i].layer),
                v[i].cred ? "; it is where tools keep credentials and configuration for remote "
                            "accounts"
                          : "");
    }
}

/* ----------------------------------------------------------- IMG-INTEGRITY */

static bool digest_differs(const char *want, const char *got)
{
    return want && got && !bh_str_ieq(want, got);
}

static void check_integrity(struct bh_rule_ctx *c, const struct bh_image *img)
{
    size_t i;

    for (i = 0; i < img->nlayers; i++) {
        const struct bh_imglayer *l = &img->layers[i];
        const char *name = layer_name(c->arena, img, (int)i);
        struct bh_loc loc = iloc(img, bh_arena_printf(c->arena, "layers[%zu]", i), 0);

        if (l->error) {
            bh_rule_report(c, &loc, NULL,
                           "%s could not be read to the end (%s), so its content is unchecked "
                           "and may not be what was published",
                           name, l->error);
            continue;
        }
        if (!l->scanned)
            continue;
        if (digest_differs(l->digest, l->got_digest))
            bh_rule_report(c, &loc, NULL,
                           "%s: the blob's sha256 is %s but the manifest declares %s; the layer "
                           "was altered or swapped after it was published",
                           name, l->got_digest, l->digest);
        if (digest_differs(l->diff_id, l->got_diff_id))
            bh_rule_report(c, &loc, NULL,
                           "%s: the uncompressed content's sha256 is %s but the config's "
                           "rootfs.diff_ids declares %s",
                           name, l->got_diff_id, l->diff_id);
    }
    /* names that climb out of the root are kept out of the tree; say so, once per layer */
    for (i = 0; i < img->nlayers; i++) {
        const struct bh_imgfile *first = NULL;
        size_t k, count = 0;

        for (k = 0; k < img->nfiles; k++) {
            if (img->files[k].layer != i || !(img->files[k].flags & BH_IMGF_ESCAPED))
                continue;
            if (!first)
                first = &img->files[k];
            count++;
        }
        if (first) {
            struct bh_loc loc = iloc(img, bh_arena_printf(c->arena, "layers[%zu]", i), 0);

            bh_rule_report(c, &loc, NULL,
                           "%s holds %zu entr%s whose name climbs out of the image root (first: "
                           "'%s'); a runtime that extracted it naively would write outside the "
                           "container's filesystem, so the layer was crafted or corrupted",
                           layer_name(c->arena, img, (int)i), count, count == 1 ? "y" : "ies",
                           first->path);
        }
    }
    if (img->meta.ndiff_ids > 0 && img->nlayers != img->meta.ndiff_ids) {
        struct bh_loc loc = iloc(img, "rootfs.diff_ids", 0);

        bh_rule_report(c, &loc, NULL,
                       "the manifest lists %zu layer%s but the config's rootfs.diff_ids lists "
                       "%zu: the config does not describe these layers",
                       img->nlayers, img->nlayers == 1 ? "" : "s", img->meta.ndiff_ids);
    }
}

/* ----------------------------------------------------------------- IMG-AGE */

struct dated {
    long long t;
    const char *text, *where, *path;
};

static bool usable_time(const char *s, long long *t)
{
    return bh_time_parse(s, t) && *t >= BH_PLACEHOLDER_BEFORE;
}

/* The image's build date: config created, else the OCI label, else the newest history entry. */
static bool image_date(struct bh_arena *a, const struct bh_image *img, struct dated *d)
{
    long long t;
    size_t i;
    bool found = false;

    if (usable_time(img->meta.created, &t)) {
        d->t = t;
        d->text = img->meta.created;
        d->where = "the config's created";
        d->path = "created";
        return true;
    }
    for (i = 0; i < img->meta.nlabels; i++) {
        const struct bh_kv *kv = &img->meta.labels[i];

        if (kv->key && strcmp(kv->key, "org.opencontainers.image.created") == 0 &&
            usable_time(kv->value, &t)) {
            d->t = t;
            d->text = kv->value;
            d->where = "the label org.opencontainers.image.created";
            d->path =
                kv->loc.path ? kv->loc.path : "config.Labels.org.opencontainers.image.created";
            found = true;
        }
    }
    if (found)
        return true;
    for (i = 0; i < img->meta.nhistory; i++) {
        if (usable_time(img->meta.history[i].created, &t) && (!found || t > d->t)) {
            d->t = t;
            d->text = img->meta.history[i].created;
            d->where = "the newest history entry";
            d->path = bh_arena_printf(a, "history[%zu].created", i);
            found = true;
        }
    }
    return found;
}

static void check_age(struct bh_rule_ctx *c, const struct bh_image *img)
{
    int maxd = c->policy ? c->policy->max_image_age_days : 90;
    struct dated d;
    long long days;

    memset(&d, 0, sizeof(d));
    if (maxd <= 0 || img->scan_time <= 0)
        return;
    if (!image_date(c->arena, img, &d)) {
        long long t;

        /* a reproducible build's placeholder: say the age is unknown, once */
        if (img->meta.created && bh_time_parse(img->meta.created, &t)) {
            struct bh_loc loc = iloc(img, "created", 0);

            bh_rule_report_sev(c, BH_SEV_INFO, &loc, NULL,
                               "the config's created is %s, a placeholder written by "
                               "reproducible builders, and neither the label "
                               "org.opencontainers.image.created nor the history has a date: "
                               "the image's age is unknown",
                               img->meta.created);
        }
        return;
    }
    if (d.t > img->scan_time)
        return;
    days = (img->scan_time - d.t) / BH_DAY;
    if (days > maxd) {
        struct bh_loc loc = iloc(img, d.path, 0);

        bh_rule_report(c, &loc, NULL,
                       "the image was built on %s (%s, '%s'), %lld days before the scan; the "
                       "policy allows %d days",
                       ymd(c->arena, d.t), d.where, d.text, days, maxd);
    }
}

/* ----------------------------------------------------------------- IMG-EOL */

const char *bh_imgcheck_eol_table(void)
{
    return bh_data_eol;
}

struct eolrow {
    struct span id, ver, date, note;
};

/*
 * The table row for (id, version): the version must start with the row's version and go on
 * with a non-digit or end ("10.13" matches "10", "3.12.0" matches "3.12", "2023" does not
 * match "2"). The longest matching row wins.
 */
static bool eol_find(const char *table, const char *id, const char *version, struct eolrow *best)
{
    const char *p = table, *end = table + strlen(table);
    struct span l, f[4];
    bool found = false;

    if (!id || !version)
        return false;
    while (next_line(&p, end, &l)) {
        size_t nf;

        if (l.n == 0 || l.s[0] == '#')
            continue;
        nf = split(l, '\t', f, 4);
        if (nf < 3 || !span_eq(f[0], id) || f[1].n == 0)
            continue;
        if (strncmp(version, f[1].s, f[1].n) != 0 ||
            (version[f[1].n] >= '0' && version[f[1].n] <= '9'))
            continue;
        if (found && best->ver.n >= f[1].n)
            continue;
        best->id = f[0];
        best->ver = f[1];
        best->date = f[2];
        best->note = nf > 3 ? f[3] : (struct span){"", 0};
        found = true;
    }
    return found;
}

/* The leading "10.13" of text, or NULL when it does not start with a digit. */
static const char *lead_version(struct bh_arena *a, const char *s)
{
    size_t n;

    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strspn(s, "0123456789.");
    if (n == 0 || s[0] == '.')
        return NULL;
    while (n > 0 && s[n - 1] == '.')
        n--;
    return bh_arena_strndup(a, s, n);
}

/* Report when the table says (id, version) is past its end of life at scan time. */
static void eol_judge(struct bh_rule_ctx *c, const struct bh_image *img, const char *id,
                      const char *version, const char *what, const struct bh_loc *loc)
{
    struct eolrow r;
    long long t;
    const char *date;

    memset(&r, 0, sizeof(r));
    if (!eol_find(bh_data_eol, id, version, &r))
        return;
    date = bh_arena_strndup(c->arena, r.date.s, r.date.n);
    if (!bh_time_parse(date, &t) || t > img->scan_time)
        return;
    bh_rule_report(c, loc, NULL, "%s reached end of life on %s and gets no security updates%s%.*s",
                   what, date, r.note.n ? "; " : "", (int)r.note.n, r.note.s);
}

/* The value of the last ENV key in the image config, or NULL. */
static const char *config_env(const struct bh_image *img, const char *key, const struct bh_kv **kv)
{
    const char *v = NULL;
    size_t i, k;

    for (i = 0; i < img->build.ninstrs; i++) {
        const struct bh_instr *in = &img->build.instrs[i];

        if (in->kind != BH_I_ENV)
            continue;
        for (k = 0; k < in->nkvs; k++) {
            if (in->kvs[k].key && strcmp(in->kvs[k].key, key) == 0 && in->kvs[k].value) {
                v = in->kvs[k].value;
                *kv = &in->kvs[k];
            }
        }
    }
    return v;
}

static void check_eol(struct bh_rule_ctx *c, const struct bh_image *img)
{
    static const char *const py27[] = {"usr/bin/python2.7", "usr/local/bin/python2.7", NULL};
    const struct bh_osinfo *os = &img->os;
    const struct bh_kv *kv = NULL;
    const char *v;
    bool python_done = false;
    size_t i;

    if (img->scan_time <= 0)
        return;
    /* the loader read the OS from the final tree's release files (bh_pkgdb_image_os) */
    if (os->id && os->version_id && os->source) {
        struct bh_loc loc = iloc(img, os->source, os->line);

        eol_judge(c, img, os->id, os->version_id,
                  bh_arena_printf(c->arena, "the image's OS %s%s%s(ID %s, version %s in %s)",
                                  os->pretty ? "'" : "", os->pretty ? os->pretty : "",
                                  os->pretty ? "' " : "", os->id, os->version_id, os->source),
                  &loc);
    }
    /* runtimes the image makes obvious: the official images' version variables, python2.7 */
    v = config_env(img, "PYTHON_VERSION", &kv);
    if (v && (v = lead_version(c->arena, v)) != NULL) {
        struct bh_loc loc = kv->loc;
        size_t before = c->out->n;

        loc.file = img->target;
        if (!loc.path)
            loc.path = "config.Env";
        eol_judge(c, img, "python", v,
                  bh_arena_printf(c->arena, "Python %s (ENV PYTHON_VERSION)", v), &loc);
        python_done = c->out->n > before;
    }
    for (i = 0; py27[i] && !python_done; i++) {
        if (file_final(img, py27[i])) {
            struct bh_loc loc = iloc(img, abs_path(c->arena, py27[i]), 0);

            eol_judge(c, img, "python", "2.7",
                      bh_arena_printf(c->arena, "Python 2.7 (/%s)", py27[i]), &loc);
            python_done = true;
        }
    }
    v = config_env(img, "NODE_VERSION", &kv);
    if (v && (v = lead_version(c->arena, v[0] == 'v' ? v + 1 : v)) != NULL) {
        struct bh_loc loc = kv->loc;

        loc.file = img->target;
        if (!loc.path)
            loc.path = "config.Env";
        eol_judge(c, img, "node", v, bh_arena_printf(c->arena, "Node.js %s (ENV NODE_VERSION)", v),
                  &loc);
    }
}

/* ---------------------------------------------------------------- IMG-SUID */

/*
 * Setuid/setgid programs that distribution packages install on purpose. sudo and doas
 * are here too: IMG-TOOLS reports their presence once, and a second finding for the bit
 * they cannot work without would only repeat it. pkexec is not (CVE-2021-4034).
 */
static const char *const suid_ok[] = {"passwd",
                                      "su",
                                      "mount",
                                      "umount",
                                      "newgrp",
                                      "chsh",
                                      "chfn",
                                      "gpasswd",
                                      "ping",
                                      "ping6",
                                      "unix_chkpwd",
                                      "expiry",
                                      "chage",
                                      "wall",
                                      "write",
                                      "bsd-write",
                                      "crontab",
                                      "ssh-agent",
                                      "ssh-keysign",
                                      "dotlockfile",
                                      "dbus-daemon-launch-helper",
                                      "pam_extrausers_chkpwd",
                                      "fusermount",
                                      "fusermount3",
                                      "sudo",
                                      "doas",
                                      NULL};

/* A setuid-root copy of one of these is a root shell for anyone. */
static const char *const suid_shell[] = {
    "sh",   "bash", "dash", "ash", "zsh",  "ksh",  "mksh", "csh", "tcsh",   "busybox", "env",
    "find", "cp",   "vi",   "vim", "perl", "ruby", "node", "php", "python", "python3", NULL};

static bool suid_allowed(const char *path)
{
    const char *b = basename_of(path);
    size_t i;
    bool sysdir = in_dir(path, "bin") || in_dir(path, "sbin") || in_dir(path, "usr/bin") ||
                  in_dir(path, "usr/sbin") || bh_str_prefix(path, "usr/lib/") ||
                  bh_str_prefix(path, "usr/libexec/") || bh_str_prefix(path, "lib/");

    if (!sysdir)
        return false;
    for (i = 0; suid_ok[i]; i++) {
        if (strcmp(b, suid_ok[i]) == 0)
            return true;
    }
    return false;
}

static bool suid_is_shell(const char *path)
{
    const char *b = basename_of(path);
    size_t i;

    for (i = 0; suid_shell[i]; i++) {
        if (strcmp(b, suid_shell[i]) == 0)
            return true;
    }
    return bh_str_prefix(b, "python") || bh_str_prefix(b, "perl");
}

void bh_imgcheck_suid(struct bh_rule_ctx *c, const struct bh_image *img)
{
    size_t i;

    for (i = 0; i < img->nfiles; i++) {
        const struct bh_imgfile *f = &img->files[i];
        bool su = f->mode & 04000, sg = f->mode & 02000, caps = f->flags & BH_IMGF_FCAPS;
        const char *what, *shown, *link = "";
        enum bh_severity sev = c->rule->severity;
        struct bh_loc loc;

        if (!is_final(f) || !is_file(f) || (!su && !sg && !caps))
            continue;
        if (suid_allowed(f->path) ||
            (f->type == BH_FT_HARDLINK && f->link && suid_allowed(f->link)))
            continue;
        if (su)
            what = bh_arena_printf(c->arena, "setuid %s (mode %04o, owner %u)",
                                   f->uid == 0 ? "root" : "to its owner", f->mode, f->uid);
        else if (sg)
            what = bh_arena_printf(c->arena, "setgid (mode %04o, group %u)", f->mode, f->gid);
        else
            what = "given file capabilities (security.capability)";
        if ((su || sg) && caps)
            what = bh_arena_printf(c->arena, "%s and has file capabilities", what);
        if (su && f->uid == 0 && suid_is_shell(f->path))
            sev = BH_SEV_HIGH;
        if (f->type == BH_FT_HARDLINK && f->link)
            link = bh_arena_printf(c->arena, " (a hard link to /%s)", f->link);
        shown = abs_path(c->arena, f->path);
        loc = iloc(img, shown, 0);
        bh_rule_report_sev(c, sev, &loc, NULL, "%s%s is %s, in %s%s", shown, link, what,
                           layer_name(c->arena, img, f->layer),
                           sev == BH_SEV_HIGH ? ": anyone who can run it gets a root shell" : "");
    }
}

/* --------------------------------------------------------- IMG-SECRET-FILE */

/* Trust stores hold public certificates in .pem/.key-named files. */
static const char *const cert_dirs[] = {"etc/ssl/certs/",
                                        "usr/share/ca-certificates/",
                                        "usr/local/share/ca-certificates/",
                                        "etc/pki/ca-trust/",
                                        "etc/pki/tls/certs/",
                                        "usr/lib/ssl/certs/",
                                        "etc/ca-certificates/",
                                        "usr/share/pki/",
                                        NULL};

/* Test data of third-party packages: keys there are fixtures, not the image's secrets. */
static bool third_party_fixture(const char *p)
{
    if (has_component(p, "node_modules"))
        return true;
    if (has_component(p, "site-packages") || has_component(p, "dist-packages") ||
        has_component(p, "vendor") || bh_str_prefix(p, "usr/share/") ||
        bh_str_prefix(p, "usr/lib/"))
        return has_component(p, "test") || has_component(p, "tests") ||
               has_component(p, "testdata") || has_component(p, "fixtures");
    return false;
}

static const char *key_file_match(const char *p)
{
    size_t i;

    for (i = 0; cert_dirs[i]; i++) {
        if (bh_str_prefix(p, cert_dirs[i]))
            return NULL;
    }
    if (third_party_fixture(p))
        return NULL;
    return bh_secretname_match(basename_of(p), p, false);
}

static const char *gone_note(struct bh_arena *a, const struct bh_image *img, int layer,
                             bool shadowed)
{
    if (!shadowed)
        return "";
    return bh_arena_printf(a,
                           "; it was removed or replaced in a later layer but is still in "
                           "%s's blob, which anyone who pulls the image can extract",
                           layer_name(a, img, layer));
}

static bool has_hit(const struct bh_image *img, const char *path, int layer)
{
    size_t i;

    for (i = 0; i < img->nsecrets; i++) {
        if (img->secrets[i].layer == layer && strcmp(img->secrets[i].path, path) == 0)
            return true;
    }
    return false;
}

void bh_imgcheck_secret_file(struct bh_rule_ctx *c, const struct bh_image *img)
{
    size_t i;

    /* every layer, shadowed entries included: a later whiteout does not remove the blob */
    for (i = 0; i < img->nfiles; i++) {
        const struct bh_imgfile *f = &img->files[i];
        const char *m, *shown;
        struct bh_loc loc;

        if (f->type != BH_FT_REG || f->size == 0 || !(m = key_file_match(f->path)))
            continue;
        if (has_hit(img, f->path, f->layer))
            continue; /* the content hit below says more */
        shown = abs_path(c->arena, f->path);
        loc = iloc(img, shown, 0);
        bh_rule_report(c, &loc, NULL, "%s (name matches '%s', %llu bytes) is in %s%s", shown, m,
                       (unsigned long long)f->size, layer_name(c->arena, img, f->layer),
                       gone_note(c->arena, img, f->layer, (f->flags & BH_IMGF_SHADOWED) != 0));
    }
    for (i = 0; i < img->nsecrets; i++) {
        const struct bh_secrethit *h = &img->secrets[i];
        const char *shown = abs_path(c->arena, h->path);
        struct bh_loc loc = iloc(img, shown, h->line > 0 ? h->line : 0);

        bh_rule_report(c, &loc, NULL, "%s in %s line %d (%s): %s%s",
                       h->what   ? h->what
                       : h->kind ? h->kind
                                 : "secret",
                       shown, h->line, layer_name(c->arena, img, h->layer),
                       h->excerpt ? h->excerpt : "",
                       gone_note(c->arena, img, h->layer, h->shadowed));
    }
}

/* ---------------------------------------------------------------- IMG-SSHD */

void bh_imgcheck_sshd(struct bh_rule_ctx *c, const struct bh_image *img)
{
    static const char *const server[] = {
        "usr/sbin/sshd",    "sbin/sshd",     "usr/local/sbin/sshd", "usr/sbin/dropbear",
        "usr/bin/dropbear", "sbin/dropbear", "etc/ssh/sshd_config", NULL};
    const char *list = NULL, *first = NULL;
    size_t i;

    for (i = 0; server[i]; i++) {
        const struct bh_imgfile *f = file_final(img, server[i]);

        if (!f || f->type == BH_FT_DIR)
            continue;
        list = bh_arena_printf(c->arena, "%s%s/%s (%s)", list ? list : "", list ? ", " : "",
                               server[i], layer_name(c->arena, img, f->layer));
        if (!first)
            first = abs_path(c->arena, server[i]);
    }
    if (first) {
        struct bh_loc loc = iloc(img, first, 0);

        bh_rule_report(c, &loc, NULL,
                       "the final image contains an SSH server: %s; a second way in that "
                       "needs its own keys, patches and hardening",
                       list);
    }
    for (i = 0; i < img->nfiles; i++) {
        const struct bh_imgfile *f = &img->files[i];
        const char *b = basename_of(f->path), *shown;
        struct bh_loc loc;

        if (!is_final(f) || !is_file(f) ||
            (strcmp(b, "authorized_keys") != 0 && strcmp(b, "authorized_keys2") != 0))
            continue;
        shown = abs_path(c->arena, f->path);
        loc = iloc(img, shown, 0);
        bh_rule_report(c, &loc, NULL,
                       "%s (%s) lets whoever holds the matching private keys log in over SSH, "
                       "in every container started from the image",
                       shown, layer_name(c->arena, img, f->layer));
    }
}

/* --------------------------------------------------------------- IMG-TOOLS */

enum tool_cat { T_PM, T_PRIVINFO, T_CC, T_NET, T_DBG, T_PRIV, T_ENGINE, T_NCAT };

static const char *const cat_names[T_NCAT] = {
    "package managers",        "su",        "compilers and build tools",
    "network tools",           "debuggers", "privilege tools",
    "container engine clients"};

static const struct {
    const char *name;
    enum tool_cat cat;
} tools[] = {
    {"apt", T_PM},      {"apt-get", T_PM},     {"dpkg", T_PM},        {"apk", T_PM},
    {"yum", T_PM},      {"dnf", T_PM},         {"microdnf", T_PM},    {"rpm", T_PM},
    {"zypper", T_PM},   {"pip", T_PM},         {"pip3", T_PM},        {"pip2", T_PM},
    {"npm", T_PM},      {"yarn", T_PM},        {"pnpm", T_PM},        {"gem", T_PM},
    {"su", T_PRIVINFO}, {"gcc", T_CC},         {"cc", T_CC},          {"g++", T_CC},
    {"c++", T_CC},      {"clang", T_CC},       {"clang++", T_CC},     {"tcc", T_CC},
    {"make", T_CC},     {"go", T_CC},          {"rustc", T_CC},       {"cargo", T_CC},
    {"as", T_CC},       {"ld", T_CC},          {"curl", T_NET},       {"wget", T_NET},
    {"nc", T_NET},      {"ncat", T_NET},       {"netcat", T_NET},     {"socat", T_NET},
    {"nmap", T_NET},    {"tcpdump", T_NET},    {"telnet", T_NET},     {"ssh", T_NET},
    {"scp", T_NET},     {"sftp", T_NET},       {"ftp", T_NET},        {"tftp", T_NET},
    {"gdb", T_DBG},     {"strace", T_DBG},     {"ltrace", T_DBG},     {"sudo", T_PRIV},
    {"doas", T_PRIV},   {"docker", T_ENGINE},  {"kubectl", T_ENGINE}, {"crictl", T_ENGINE},
    {"ctr", T_ENGINE},  {"nerdctl", T_ENGINE}, {"podman", T_ENGINE},
};
#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

static const char *const path_dirs[] = {"bin",           "sbin",           "usr/bin", "usr/sbin",
                                        "usr/local/bin", "usr/local/sbin", NULL};

static bool in_path_dir(const char *p)
{
    size_t i;

    for (i = 0; path_dirs[i]; i++) {
        if (in_dir(p, path_dirs[i]))
            return true;
    }
    return false;
}

void bh_imgcheck_tools(struct bh_rule_ctx *c, const struct bh_image *img)
{
    const struct bh_imgfile *seen[NTOOLS];
    const char *msg = "", *first = NULL;
    enum bh_severity sev = BH_SEV_INFO;
    size_t i, t;
    int cat;

    memset(seen, 0, sizeof(seen));
    for (i = 0; i < img->nfiles; i++) {
        const struct bh_imgfile *f = &img->files[i];
        const char *b;

        if (!is_final(f) || !in_path_dir(f->path))
            continue;
        if (f->type == BH_FT_REG ? !(f->mode & 0111)
                                 : f->type != BH_FT_SYMLINK && f->type != BH_FT_HARDLINK)
            continue;
        b = basename_of(f->path);
        for (t = 0; t < NTOOLS; t++) {
            if (!seen[t] && strcmp(b, tools[t].name) == 0)
                seen[t] = f;
        }
    }
    for (cat = 0; cat < T_NCAT; cat++) {
        const char *part = NULL;

        for (t = 0; t < NTOOLS; t++) {
            const struct bh_imgfile *f = seen[t];
            bool applet;

            if (!f || (int)tools[t].cat != cat)
                continue;
            applet = f->link && strcmp(basename_of(f->link), "busybox") == 0;
            part = bh_arena_printf(c->arena, "%s%s%s (%s/%s)", part ? part : "", part ? ", " : "",
                                   tools[t].name, applet ? "busybox applet " : "", f->path);
            if (cat != T_PM && cat != T_PRIVINFO && sev < BH_SEV_MEDIUM) {
                sev = BH_SEV_MEDIUM;
                first = abs_path(c->arena, f->path);
            } else if (!first && sev == BH_SEV_INFO) {
                first = abs_path(c->arena, f->path);
            }
        }
        if (part)
            msg = bh_arena_printf(c->arena, "%s%s%s: %s", msg, *msg ? "; " : "",
                                  cat == T_PRIVINFO ? "account switching" : cat_names[cat], part);
    }
    if (first) {
        struct bh_loc loc = iloc(img, first, 0);

        bh_rule_report_sev(c, sev, &loc, NULL, "the final image ships %s", msg);
    }
}

/* ---------------------------------------------------- BUILD-INSECURE-FETCH */

static bool value_true(struct span v)
{
    return span_ieq(v, "true") || span_ieq(v, "1") || span_ieq(v, "yes") || span_ieq(v, "on");
}

static bool value_false(struct span v)
{
    return span_ieq(v, "false") || span_ieq(v, "0") || span_ieq(v, "no") || span_ieq(v, "off");
}

struct fetchctx {
    struct bh_rule_ctx *c;
    const struct bh_image *img;
    const struct bh_imgcapture *cp;
    const char *shown;
};

static void fetch_report(struct fetchctx *x, enum bh_severity sev, int line, struct span text,
                         const char *why)
{
    struct bh_loc loc = iloc(x->img, x->shown, line);

    bh_rule_report_sev(x->c, sev, &loc, NULL, "%s line %d (%s): `%.*s` %s%s", x->shown, line,
                       layer_name(x->c->arena, x->img, x->cp->layer), (int)text.n, text.s, why,
                       x->cp->shadowed ? " (the file was removed later, but the build used it)"
                                       : "");
}

/* apt one-line sources: `deb [trusted=yes arch=amd64] http://... bookworm main` */
static void fetch_apt_list(struct fetchctx *x, struct span l, int no)
{
    const char *o, *e;
    struct span opts, w;

    if (!(bh_str_ieqn(l.s, l.n < 4 ? l.n : 4, "deb ") ||
          bh_str_ieqn(l.s, l.n < 8 ? l.n : 8, "deb-src ")))
        return;
    o = memchr(l.s, '[', l.n);
    if (!o)
        return;
    e = memchr(o, ']', l.n - (size_t)(o - l.s));
    if (!e)
        return;
    opts.s = o + 1;
    opts.n = (size_t)(e - o - 1);
    while (opts.n) {
        size_t k = 0;

        while (k < opts.n && opts.s[k] != ' ' && opts.s[k] != '\t')
            k++;
        w.s = opts.s;
        w.n = k;
        if (span_ieq(w, "trusted=yes") || span_ieq(w, "allow-insecure=yes") ||
            span_ieq(w, "allow-weak=yes"))
            fetch_report(x, x->c->rule->severity, no, l,
                         "makes apt install this repository's packages without a valid "
                         "signature");
        opts.s += k;
        opts.n -= k;
        while (opts.n && (opts.s[0] == ' ' || opts.s[0] == '\t')) {
            opts.s++;
            opts.n--;
        }
    }
}

/* apt deb822 sources: `Trusted: yes` */
static void fetch_apt_sources(struct fetchctx *x, struct span l, int no)
{
    struct span f[2];

    if (split(l, ':', f, 2) < 2)
        return;
    f[0] = span_trim(f[0]);
    f[1] = span_trim(f[1]);
    if ((span_ieq(f[0], "Trusted") || span_ieq(f[0], "Allow-Insecure") ||
         span_ieq(f[0], "Allow-Weak")) &&
        value_true(f[1]))
        fetch_report(x, x->c->rule->severity, no, l,
                     "makes apt install this repository's packages without a valid signature");
}

/* apt.conf: `APT::Get::AllowUnauthenticated "true";`, also inside nested braces */
static void fetch_apt_conf(struct fetchctx *x, struct span l, int no)
{
    static const struct {
        const char *key;
        bool bad_when_true;
        const char *why;
    } keys[] = {
        {"AllowUnauthenticated", true, "lets apt install packages without a valid signature"},
        {"AllowInsecureRepositories", true, "lets apt use repositories without a valid signature"},
        {"AllowDowngradeToInsecureRepositories", true,
         "lets apt use a repository that lost its signature"},
        {"Verify-Peer", false, "turns off TLS certificate checks for apt downloads"},
        {"Verify-Host", false, "turns off TLS host name checks for apt downloads"},
    };
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *k = bh_str_icontains(bh_arena_strndup(x->c->arena, l.s, l.n), keys[i].key);
        const char *q, *q2;
        struct span v;

        if (!k)
            continue;
        q = strchr(k, '"');
        if (!q || !(q2 = strchr(q + 1, '"')))
            continue;
        v.s = q + 1;
        v.n = (size_t)(q2 - q - 1);
        if (keys[i].bad_when_true ? value_true(v) : value_false(v))
            fetch_report(x, x->c->rule->severity, no, l, keys[i].why);
    }
}

/* yum/dnf/zypper ini files: `gpgcheck=0`, `sslverify=false` */
static void fetch_repo_ini(struct fetchctx *x, struct span l, int no)
{
    struct span f[2];

    if (split(l, '=', f, 2) < 2)
        return;
    f[0] = span_trim(f[0]);
    f[1] = span_trim(f[1]);
    if (span_ieq(f[0], "gpgcheck") && value_false(f[1]))
        fetch_report(x, x->c->rule->severity, no, l,
                     "installs packages from this repository without checking their signatures");
    else if (span_ieq(f[0], "sslverify") && value_false(f[1]))
        fetch_report(x, x->c->rule->severity, no, l,
                     "turns off TLS certificate checks for this repository");
}

/* /etc/apk/repositories: `http://dl-cdn.alpinelinux.org/alpine/v3.12/main` (optionally @tag) */
static void fetch_apk(struct fetchctx *x, struct span l, int no)
{
    struct span w = l;

    if (w.n && w.s[0] == '@') {
        const char *sp = memchr(w.s, ' ', w.n);

        if (!sp)
            return;
        w.n -= (size_t)(sp - w.s);
        w.s = sp;
        w = span_trim(w);
    }
    if (w.n >= 7 && bh_str_ieqn(w.s, 7, "http://"))
        fetch_report(x, BH_SEV_MEDIUM, no, l,
                     "fetches apk indexes and packages over plain HTTP; the index signature "
                     "still holds, but anyone on the path can withhold updates or serve an "
                     "older signed index");
}

/* pip.conf `trusted-host`, .npmrc `strict-ssl=false` */
static void fetch_lang(struct fetchctx *x, struct span l, int no, bool npm)
{
    struct span f[2];

    if (split(l, '=', f, 2) < 2)
        return;
    f[0] = span_trim(f[0]);
    f[1] = span_trim(f[1]);
    if (!npm && span_ieq(f[0], "trusted-host") && f[1].n)
        fetch_report(x, x->c->rule->severity, no, l,
                     "makes pip skip TLS certificate checks for these hosts");
    else if (npm && span_ieq(f[0], "strict-ssl") && value_false(f[1]))
        fetch_report(x, x->c->rule->severity, no, l, "makes npm accept any TLS certificate");
}

void bh_imgcheck_insecure_fetch(struct bh_rule_ctx *c, const struct bh_image *img)
{
    size_t i;

    for (i = 0; i < img->ncaptures; i++) {
        const struct bh_imgcapture *cp = &img->captures[i];
        const char *p = cp->path, *b = basename_of(p), *s, *end;
        void (*fn)(struct fetchctx *, struct span, int) = NULL;
        bool pip = false, npm = false;
        struct fetchctx x = {c, img, cp, NULL};
        struct span l;
        int no = 0;

        if (!cp->data)
            continue;
        if (strcmp(p, "etc/apt/sources.list") == 0 ||
            (bh_str_prefix(p, "etc/apt/sources.list.d/") && bh_str_suffix(p, ".list")))
            fn = fetch_apt_list;
        else if (bh_str_prefix(p, "etc/apt/sources.list.d/") && bh_str_suffix(p, ".sources"))
            fn = fetch_apt_sources;
        else if (strcmp(p, "etc/apt/apt.conf") == 0 || bh_str_prefix(p, "etc/apt/apt.conf.d/"))
            fn = fetch_apt_conf;
        else if (bh_str_prefix(p, "etc/yum.repos.d/") || bh_str_prefix(p, "etc/zypp/repos.d/") ||
                 strcmp(p, "etc/yum.conf") == 0 || strcmp(p, "etc/dnf/dnf.conf") == 0)
            fn = fetch_repo_ini;
        else if (strcmp(p, "etc/apk/repositories") == 0)
            fn = fetch_apk;
        else if (strcmp(b, "pip.conf") == 0)
            pip = true;
        else if (strcmp(b, ".npmrc") == 0)
            npm = true;
        else
            continue;
        x.shown = abs_path(c->arena, p);
        for (s = cp->data, end = cp->data + cp->len; next_line(&s, end, &l);) {
            no++;
            l = span_trim(l);
            if (l.n == 0 || l.s[0] == '#' || l.s[0] == ';' ||
                (l.n > 1 && l.s[0] == '/' && l.s[1] == '/'))
                continue;
            if (fn)
                fn(&x, l, no);
            else
                fetch_lang(&x, l, no, npm && !pip);
        }
    }
}

/* ------------------------------------------------------------- BUILD-CACHE */

static const struct {
    const char *dir; /* prefix, or for home "/.cache/pip/" below home/ */
    const char *what;
} caches[] = {
    {"var/lib/apt/lists/", "apt package lists"},
    {"var/cache/apt/archives/", "downloaded .deb packages"},
    {"var/cache/apk/", "the apk cache"},
    {"var/cache/yum/", "the yum cache"},
    {"var/cache/dnf/", "the dnf cache"},
    {"var/cache/zypp/packages/", "downloaded zypper packages"},
    {"root/.cache/pip/", "the pip cache"},
    {"home/*/.cache/pip/", "the pip cache"},
};
#define NCACHES (sizeof(caches) / sizeof(caches[0]))
#define CACHE_LAYERS 8

static bool cache_member(const char *p, size_t k)
{
    const char *d = caches[k].dir, *star = strchr(d, '*'), *rest;

    if (!star) {
        if (!bh_str_prefix(p, d))
            return false;
        rest = p + strlen(d);
    } else {
        const char *sub = star + 1, *q; /* "/.cache/pip/" */

        if (!bh_str_prefix(p, "home/"))
            return false;
        q = strchr(p + 5, '/');
        if (!q || !bh_str_prefix(q, sub))
            return false;
        rest = q + strlen(sub);
    }
    /* lock files and half-downloaded files are part of an empty cache */
    return strcmp(rest, "lock") != 0 && !bh_str_prefix(rest, "partial/") &&
           strcmp(rest, "partial") != 0;
}

void bh_imgcheck_cache(struct bh_rule_ctx *c, const struct bh_image *img)
{
    size_t k, i;

    for (k = 0; k < NCACHES; k++) {
        unsigned long long bytes = 0, nfiles = 0;
        int layers[CACHE_LAYERS];
        size_t nl = 0, j;
        const char *ls = "", *dir;
        struct bh_loc loc;

        for (i = 0; i < img->nfiles; i++) {
            const struct bh_imgfile *f = &img->files[i];

            if (!is_final(f) || f->type != BH_FT_REG || !cache_member(f->path, k))
                continue;
            nfiles++;
            bytes += f->size;
            for (j = 0; j < nl && layers[j] != f->layer; j++)
                ;
            if (j == nl && nl < CACHE_LAYERS)
                layers[nl++] = f->layer;
        }
        if (nfiles == 0)
            continue;
        for (j = 0; j < nl; j++)
            ls = bh_arena_printf(c->arena, "%s%s%s", ls, j ? ", " : "",
                                 layer_name(c->arena, img, layers[j]));
        dir = bh_arena_printf(c->arena, "/%.*s", (int)strlen(caches[k].dir) - 1, caches[k].dir);
        loc = iloc(img, dir, 0);
        bh_rule_report(c, &loc, NULL,
                       "%s are left in the final image: %llu file%s, %.1f MB under %s, from %s",
                       caches[k].what, nfiles, nfiles == 1 ? "" : "s",
                       (double)bytes / (1024.0 * 1024.0), dir, ls);
    }
}

/* ------------------------------------------------------------------- table */

const struct bh_rule bh_rules_image[] = {
    {"IMG-AGE",
     8,
     BH_SEV_MEDIUM,
     BH_APPLIES_IMAGE,
     "Image built too long ago",
     NULL,
     NULL,
     "Rebuild the image regularly on a freshly pulled base image (at least as often as the "
     "policy's max_image_age_days) and redeploy it.",
     {NULL},
     NULL,
     check_age,
     NULL,
     NULL,
     bh_enginecheck_image_age},
    {"IMG-EMPTYPW",
     5,
     BH_SEV_HIGH,
     BH_APPLIES_IMAGE,
     "Account with an empty password",
     NULL,
     NULL,
     "Lock every account that needs no password (passwd -l NAME, or `!` or `*` in the "
     "/etc/shadow password field) instead of leaving the field empty.",
     {"Dockle DKL-LI-0001", NULL},
     NULL,
     check_emptypw,
     NULL,
     NULL,
     NULL},
    {"IMG-EOL",
     8,
     BH_SEV_HIGH,
     BH_APPLIES_IMAGE,
     "End-of-life OS or runtime in the image",
     NULL,
     NULL,
     "Rebuild on a supported release of the base distribution or runtime (for example the "
     "current Debian stable or Alpine branch) and update the FROM line.",
     {NULL},
     NULL,
     check_eol,
     NULL,
     NULL,
     NULL},
    {"IMG-INTEGRITY",
     6,
     BH_SEV_CRITICAL,
     BH_APPLIES_IMAGE,
     "Layer content does not match its digest",
     NULL,
     NULL,
     "Do not run the image: pull it again from the registry you trust, compare its digest with "
     "the one you expect, and find out how the altered copy was produced.",
     {NULL},
     NULL,
     check_integrity,
     NULL,
     NULL,
     NULL},
    {"IMG-JUNK",
     2,
     BH_SEV_LOW,
     BH_APPLIES_IMAGE,
     "Unneeded or leaky files shipped in the image",
     NULL,
     NULL,
     "Keep VCS, editor, cache and credential directories out of the build context with "
     ".dockerignore, and copy only the files the application needs into the final stage.",
     {"Dockle DKL-LI-0003", "hadolint DL3067", NULL},
     NULL,
     check_junk,
     NULL,
     NULL,
     NULL},
    {"IMG-UID0",
     5,
     BH_SEV_HIGH,
     BH_APPLIES_IMAGE,
     "Extra UID 0 account or duplicate UIDs or GIDs",
     NULL,
     NULL,
     "Give every account and group its own id and keep UID 0 for root alone; remove or "
     "renumber the extra entries in /etc/passwd and /etc/group.",
     {"Dockle DKL-LI-0002", NULL},
     NULL,
     check_uid0,
     NULL,
     NULL,
     NULL},
};
const size_t bh_rules_image_n = sizeof(bh_rules_image) / sizeof(bh_rules_image[0]);
