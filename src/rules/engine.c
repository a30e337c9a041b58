/*
 * engine.c - rules over a container as an engine holds it, beyond its runspec (which the
 * RUN-* rules judge through check_run): RUN-DEFBRIDGE (the default docker0 bridge),
 * RUN-DRIFT (filesystem changes, root or privileged exec sessions, a moved tag, a dangling
 * image) and the container side of IMG-AGE (the age of the image it runs). Pure functions over
 * struct bh_container and the engine's image list (input/engine/ reads them); no I/O.
 */
#include "rules/groups.h"

#include "core/arena.h"
#include "core/clock.h"
#include "model/imageref.h"
#include "model/norm.h"
#include "rules/image_checks.h"

#include <stdlib.h>
#include <string.h>

/*
 * The inspect reader decides on_default_bridge (NetworkMode default/bridge, or attached to
 * the network named "bridge"); the finding is located at the setting that put it there.
 */
static void check_defbridge(struct bh_rule_ctx *c, const struct bh_container *ct,
                            const struct bh_engine *e)
{
    const char *mode = ct->network_mode;
    bool by_mode =
        mode == NULL || mode[0] == '\0' || !strcmp(mode, "default") || !strcmp(mode, "bridge");
    struct bh_loc loc;

    (void)e;
    if (!ct->on_default_bridge)
        return;
    /* NetworkMode is in HostConfig (hostconfig.json offline), Networks in the container's
       own document */
    loc = by_mode && ct->spec.network.loc.file != NULL ? ct->spec.network.loc : ct->loc;
    loc.path = by_mode ? "HostConfig.NetworkMode" : "NetworkSettings.Networks.bridge";
    if (by_mode)
        bh_rule_report(c, &loc, NULL,
                       "container %s is on the default bridge network (NetworkMode \"%s\"): "
                       "every other container there can reach its ports",
                       ct->name != NULL ? ct->name : "?",
                       mode != NULL && mode[0] != '\0' ? mode : "default");
    else
        bh_rule_report(c, &loc, NULL,
                       "container %s (NetworkMode \"%s\") is also attached to the default "
                       "bridge network: every other container there can reach its ports",
                       ct->name != NULL ? ct->name : "?", mode);
}

/* ---------------------------------------------------------------- RUN-DRIFT */

/* How many paths one finding names; the rest are counted. */
#define DRIFT_SHOW 8

static const char *cname(const struct bh_container *ct)
{
    return ct->name != NULL ? ct->name : (ct->id != NULL ? ct->id : "?");
}

/* What a changed path is, most telling first; DK_NONE is a change nobody needs to hear of. */
enum drift_kind { DK_NONE, DK_SSH, DK_CRON, DK_PKGDB, DK_EXEC, DK_SYSTEM, DK_N };

static const char *const drift_label[DK_N] = {
    NULL, "ssh key or configuration", "cron job", "package database", "executable", "system file",
};

static bool under_any(const char *path, const char *const *dirs)
{
    size_t i;

    for (i = 0; dirs[i] != NULL; i++)
        if (bh_norm_path_under(path, dirs[i]))
            return true;
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && !memcmp(s + n - m, suffix, m);
}

/*
 * Churn every running container makes and nobody needs to hear of: scratch, runtime and log
 * directories, pid and log files, shell history, and the files the engine itself mounts
 * over the image's (/etc/hosts, ...).
 */
static bool drift_noise(const char *path)
{
    static const char *const dirs[] = {"/tmp",       "/var/tmp", "/run", "/var/run", "/var/log",
                                       "/var/cache", "/proc",    "/sys", "/dev",     NULL};
    static const char *const engine_files[] = {"/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
                                               "/.dockerenv", NULL};
    const char *base = strrchr(path, '/');
    size_t i;

    base = base != NULL ? base + 1 : path;
    if (under_any(path, dirs))
        return true;
    for (i = 0; engine_files[i] != NULL; i++)
        if (!strcmp(path, engine_files[i]))
            return true;
    return ends_with(base, ".pid") || ends_with(base, ".log") || !strcmp(base, ".ash_history") ||
           !strcmp(base, ".bash_history") || !strcmp(base, ".sh_history");
}

static enum drift_kind drift_classify(const char *path)
{
    static const char *const cron[] = {"/var/spool/cron", "/etc/periodic", NULL};
    static const char *const pkgdb[] = {"/var/lib/dpkg", "/var/lib/rpm", "/usr/lib/sysimage/rpm",
                                        "/lib/apk/db",   "/var/lib/apk", NULL};
    static const char *const system[] = {"/bin",   "/sbin",   "/usr", "/lib",  "/lib32",
                                         "/lib64", "/libx32", "/etc", "/boot", NULL};
    const char *base = strrchr(path, '/');

    base = base != NULL ? base + 1 : path;
    if (!strcmp(base, "authorized_keys") || !strcmp(base, "authorized_keys2") ||
        strstr(path, "/.ssh/") != NULL || bh_norm_path_under(path, "/etc/ssh"))
        return DK_SSH;
    if (!strncmp(path, "/etc/cron", 9) || under_any(path, cron))
        return DK_CRON;
    if (under_any(path, pkgdb))
        return DK_PKGDB;
    /* by path only: /changes gives no modes, so "in a bin directory" or a shared library */
    if (strstr(path, "/bin/") != NULL || strstr(path, "/sbin/") != NULL || ends_with(base, ".so") ||
        strstr(base, ".so.") != NULL)
        return DK_EXEC;
    if (under_any(path, system))
        return DK_SYSTEM;
    return DK_NONE;
}

/* Path order with '/' before every other byte, so a directory's entries follow it at once. */
static int cmp_change_path(const void *x, const void *y)
{
    const unsigned char *a = (const unsigned char *)(*(const struct bh_change *const *)x)->path;
    const unsigned char *b = (const unsigned char *)(*(const struct bh_change *const *)y)->path;

    for (;; a++, b++) {
        unsigned ca = *a == '/' ? 1u : *a == 0 ? 0u : *a + 1u;
        unsigned cb = *b == '/' ? 1u : *b == 0 ? 0u : *b + 1u;

        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == 0)
            return 0;
    }
}

/* Is path the target of one of the container's mounts or below it (a volume, bind or tmpfs:
 * what is written there never reaches the container's own layer)? */
static bool under_mount(struct bh_arena *a, const struct bh_runspec *rs, const char *path)
{
    size_t i;

    for (i = 0; i < rs->nmounts; i++) {
        const char *t = rs->mounts[i].target != NULL && rs->mounts[i].target[0] == '/'
                            ? bh_norm_path(a, rs->mounts[i].target)
                            : NULL;

        if (t != NULL && strcmp(t, "/") != 0 && bh_norm_path_under(path, t))
            return true;
    }
    return false;
}

/*
 * GET /containers/{id}/changes, classified. The engine lists every directory on the way to
 * a changed file as changed too ("C /usr", "C /usr/local", "C /usr/local/bin" for one new
 * /usr/local/bin/x); a directory with changed entries is left out so the files are what
 * the finding names.
 */
static void drift_changes(struct bh_rule_ctx *c, const struct bh_container *ct)
{
    const struct bh_change **v;
    unsigned char *kind;
    size_t counts[DK_N] = {0}, i, total = 0, shown = 0;
    const char *list = "", *summary = "";
    int k;

    if (!ct->running || !ct->changes_read || ct->nchanges == 0)
        return;
    v = bh_arena_calloc(c->arena, ct->nchanges, sizeof(*v));
    kind = bh_arena_calloc(c->arena, ct->nchanges, 1);
    if (v == NULL || kind == NULL)
        return;
    for (i = 0; i < ct->nchanges; i++)
        v[i] = &ct->changes[i];
    qsort(v, ct->nchanges, sizeof(*v), cmp_change_path);
    for (i = 0; i < ct->nchanges; i++) {
        const char *p = v[i]->path;
        size_t len = p != NULL ? strlen(p) : 0;

        kind[i] = DK_NONE;
        if (p == NULL || p[0] != '/')
            continue;
        if (i + 1 < ct->nchanges && v[i + 1]->path != NULL && !strncmp(v[i + 1]->path, p, len) &&
            v[i + 1]->path[len] == '/')
            continue; /* a directory whose entries are listed */
        if (drift_noise(p) || under_mount(c->arena, &ct->spec, p))
            continue;
        kind[i] = (unsigned char)drift_classify(p);
        counts[kind[i]]++;
        total += kind[i] != DK_NONE;
    }
    if (total == 0)
        return;
    /* the most telling kinds are named first, each in path order */
    for (k = 1; k < DK_N; k++) {
        for (i = 0; i < ct->nchanges && shown < DRIFT_SHOW && list != NULL; i++) {
            if (kind[i] != k)
                continue;
            list = bh_arena_printf(c->arena, "%s%s%s (%s %s)", list, shown ? ", " : "", v[i]->path,
                                   v[i]->kind == BH_CHANGE_ADDED     ? "new"
                                   : v[i]->kind == BH_CHANGE_DELETED ? "deleted"
                                                                     : "changed",
                                   drift_label[k]);
            shown++;
        }
        if (counts[k] > 0 && summary != NULL)
            summary = bh_arena_printf(c->arena, "%s%s%zu %s%s", summary, summary[0] ? ", " : "",
                                      counts[k], drift_label[k], counts[k] == 1 ? "" : "s");
    }
    if (list == NULL || summary == NULL)
        return;
    bh_rule_report(c, &ct->loc, NULL,
                   "container %s's filesystem differs from its image in %zu place%s that "
                   "should not change at run time (%s): %s%s",
                   cname(ct), total, total == 1 ? "" : "s", summary, list,
                   total > shown ? bh_arena_printf(c->arena, " and %zu more", total - shown) : "");
}

/* Does a user spec name root? "" or NULL means the container's own user. */
static bool user_is_root(const char *spec)
{
    struct bh_user u;

    bh_norm_user(spec != NULL ? spec : "", &u);
    return u.set && u.user_root;
}

/*
 * Exec sessions (ExecIDs): a privileged one holds every capability whatever the container
 * was given (high); one as root (-u 0, or no -u in a container that runs as root) is a root
 * shell or command added after the start (medium). Each session is its own finding.
 */
static void drift_execs(struct bh_rule_ctx *c, const struct bh_container *ct)
{
    bool ct_root =
        ct->spec.user.v == NULL || ct->spec.user.v[0] == '\0' || user_is_root(ct->spec.user.v);
    size_t i;

    for (i = 0; i < ct->nexecs; i++) {
        const struct bh_execsession *s = &ct->execs[i];
        bool own = s->user == NULL || s->user[0] == '\0';
        struct bh_loc loc = ct->loc;
        const char *state = s->running ? "running" : "ended";
        const char *cmd = s->cmd != NULL ? s->cmd : "?";
        const char *id = s->id != NULL ? s->id : "?";

        loc.path = "ExecIDs";
        if (s->privileged)
            bh_rule_report_sev(c, BH_SEV_HIGH, &loc, NULL,
                               "exec session %.12s (%s) in container %s is privileged (docker "
                               "exec --privileged): every capability and device, whatever the "
                               "container was started with: %s",
                               id, state, cname(ct), cmd);
        else if (own ? ct_root : user_is_root(s->user))
            bh_rule_report_sev(c, BH_SEV_MEDIUM, &loc, NULL,
                               "exec session %.12s (%s) in container %s runs as root (%s): a "
                               "command added after the start, outside what the image runs: %s",
                               id, state, cname(ct),
                               own ? "the container's user"
                                   : bh_arena_printf(c->arena,
                                                     "user "
                                                     "\"%s\"",
                                                     s->user),
                               cmd);
    }
}

static const struct bh_engine_image *find_image(const struct bh_engine *e, const char *id)
{
    size_t i;

    if (e == NULL || id == NULL)
        return NULL;
    for (i = 0; i < e->nimages; i++)
        if (e->images[i].id != NULL && !strcmp(e->images[i].id, id))
            return &e->images[i];
    return NULL;
}

/* Same repository and tag, after N1 normalisation ("busybox" is docker.io/library/busybox:latest).
 */
static bool same_tag(const struct bh_imageref *a, const struct bh_imageref *b)
{
    const char *ta = a->tag != NULL ? a->tag : "latest", *tb = b->tag != NULL ? b->tag : "latest";

    return a->registry != NULL && b->registry != NULL && a->repository != NULL &&
           b->repository != NULL && !strcmp(a->registry, b->registry) &&
           !strcmp(a->repository, b->repository) && !strcmp(ta, tb);
}

/* The image the container's Config.Image names now, by tag; NULL for an id or a digest. */
static const struct bh_engine_image *image_of_tag(struct bh_arena *a, const struct bh_engine *e,
                                                  const char *ref)
{
    struct bh_imageref r, t;
    size_t i, j;

    if (ref == NULL || !strncmp(ref, "sha256:", 7) || bh_imageref_parse(a, ref, &r) != 0 ||
        r.digest != NULL)
        return NULL;
    for (i = 0; i < e->nimages; i++)
        for (j = 0; j < e->images[i].nrepo_tags; j++)
            if (bh_imageref_parse(a, e->images[i].repo_tags[j], &t) == 0 && same_tag(&r, &t))
                return &e->images[i];
    return NULL;
}

/*
 * The container's image against the engine's image list (live only): the tag it was created
 * from now names another image (rebuilt or re-pulled; recreating the container would change
 * what runs), or the image it runs has no tag left (dangling).
 */
static void drift_image(struct bh_rule_ctx *c, const struct bh_container *ct,
                        const struct bh_engine *e)
{
    const struct bh_engine_image *own, *now;
    struct bh_loc loc = ct->loc;

    if (e == NULL || e->nimages == 0 || ct->image_id == NULL)
        return;
    own = find_image(e, ct->image_id);
    now = image_of_tag(c->arena, e, ct->image_ref);
    loc.path = "Image";
    if (now != NULL && now->id != NULL && strcmp(now->id, ct->image_id) != 0) {
        bh_rule_report_sev(c, BH_SEV_MEDIUM, &loc, NULL,
                           "container %s runs image %.19s but the image tag now points "
                           "elsewhere: '%s' names %.19s%s; recreating the container would run "
                           "different code",
                           cname(ct), ct->image_id, ct->image_ref, now->id,
                           own != NULL && own->dangling ? " (the old image has no tag left)" : "");
        return;
    }
    if (own != NULL && own->dangling)
        bh_rule_report_sev(c, BH_SEV_LOW, &loc, NULL,
                           "container %s runs a dangling image: %.19s has no tag any more "
                           "(it was '%s' when the container was created); nothing names what "
                           "runs, and image pruning cannot see it is stale",
                           cname(ct), ct->image_id, ct->image_ref != NULL ? ct->image_ref : "?");
    else if (own == NULL)
        bh_rule_report_sev(c, BH_SEV_LOW, &loc, NULL,
                           "container %s runs image %.19s, which the engine no longer lists (it "
                           "was removed with docker rmi --force after the container was "
                           "created from '%s'): nothing names what runs",
                           cname(ct), ct->image_id, ct->image_ref != NULL ? ct->image_ref : "?");
}

static void check_drift(struct bh_rule_ctx *c, const struct bh_container *ct,
                        const struct bh_engine *e)
{
    drift_changes(c, ct);
    drift_execs(c, ct);
    drift_image(c, ct, e);
}

/* ------------------------------------------------------ IMG-AGE (containers) */

/*
 * IMG-AGE for the image a container runs, dated by the engine's image list (Created): the
 * same threshold as for image configs (policy max_image_age_days, 0 = off; a date after the
 * scan or before 1980 says nothing). Only the live engine lists images.
 */
void bh_enginecheck_image_age(struct bh_rule_ctx *c, const struct bh_container *ct,
                              const struct bh_engine *e)
{
    int maxd = c->policy != NULL ? c->policy->max_image_age_days : 90;
    const struct bh_engine_image *im;
    struct bh_loc loc = ct->loc;
    long long t, days;

    if (e == NULL || maxd <= 0 || e->now <= 0)
        return;
    im = find_image(e, ct->image_id);
    if (im == NULL || im->created == NULL || !bh_time_parse(im->created, &t) ||
        t < BH_PLACEHOLDER_BEFORE || t > e->now)
        return;
    days = (e->now - t) / BH_DAY;
    if (days <= maxd)
        return;
    loc.path = "Image";
    bh_rule_report(c, &loc, NULL,
                   "container %s runs image %s (%.19s) created %s, %lld days before the scan; "
                   "the policy allows %d days",
                   cname(ct), ct->image_ref != NULL ? ct->image_ref : "?", im->id, im->created,
                   days, maxd);
}

const struct bh_rule bh_rules_engine[] = {
    {"RUN-DEFBRIDGE",
     4,
     BH_SEV_LOW,
     BH_APPLIES_RUN,
     "Container on the default docker0 bridge",
     NULL,
     NULL,
     "Create a user-defined network (docker network create app-net) and run the container on "
     "it with --network app-net, together with only the containers it must talk to; use "
     "--network none for containers that need no network.",
     {"CIS 5.30", "KICS C 'Networks Not Set'", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     check_defbridge},
    {"RUN-DRIFT",
     6,
     BH_SEV_HIGH,
     BH_APPLIES_RUN,
     "Running container differs from its image",
     NULL,
     NULL,
     "Treat running containers as immutable: build every change into a new image and recreate "
     "the container from it (docker compose up -d --force-recreate, a new deployment); run with "
     "--read-only and a tmpfs or volume for the paths the application writes; debug with a "
     "separate container instead of docker exec as root or --privileged.",
     {"CIS 5.23", "CIS 5.24", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     check_drift},
};
const size_t bh_rules_engine_n = sizeof(bh_rules_engine) / sizeof(bh_rules_engine[0]);
