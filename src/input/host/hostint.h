/*
 * hostint.h - what the files of input/host/ share: the reading context (root directory,
 * errors), root-confined file access, the growth rule of the model's arrays, and the
 * per-source parsers, exposed here so the unit tests and fuzz targets can drive them on
 * text without a host tree. Not a public API: only input/host/ and its tests include it.
 */
#ifndef BH_HOSTINT_H
#define BH_HOSTINT_H

#include "core/err.h"
#include "input/host.h"
#include "model/host.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct bh_arena;

struct bh_hostctx {
    struct bh_arena *a;
    const char *root; /* as given, without trailing slashes ("" for "/") */
    int rootfd;       /* O_PATH directory fd of root */
    bool live;        /* proc/ is there: /proc/PID is worth scanning */
    struct bh_host *h;
    struct bh_host_error *errs;
    size_t nerrs;
    /* passwd and group of the root: uid/gid -> name, for owners and docker members */
    struct bh_hostid *users, *groups;
    size_t nusers, ngroups;
    bool rootful_dockerd, rootless_dockerd; /* process evidence, see host.c */
    const char **fcanon; /* parallel to h->files: the resolved root-relative path, or NULL */
    size_t nfcanon;
};

struct bh_hostid {
    unsigned id;
    unsigned gid; /* passwd: primary group */
    const char *name;
    const char *members; /* group: the member list as written */
    int line;
};

/*
 * Room for one more element in an array of the model holding n elements: parr points to the
 * array pointer (any object pointer type). The capacity is implied by n (arrays of the model
 * are grown only by this, so bh_host_dockerd_args can append to h->settings without a cap
 * field). Returns false when out of memory (the array is left as it was).
 */
bool bh_hostint_room(struct bh_arena *a, void *parr, size_t n, size_t elem);
/* Append one zeroed element: a pointer to it, or NULL when out of memory. */
#define BH_HPUSH(a, arr, n) \
    (bh_hostint_room((a), (void *)&(arr), (n), sizeof(*(arr))) ? (void *)&(arr)[(n)++] : NULL)

/* Record a file that could not be read or parsed (message printf-style). */
void bh_hostint_error(struct bh_hostctx *c, const char *file, int line, int col, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
/* The host path "/rel" of a root-relative path, in the arena. */
const char *bh_hostint_hostpath(struct bh_hostctx *c, const char *rel);

/*
 * Resolve rel (relative to root; symlinks followed inside root only, ".." stops at root,
 * at most BH_MAX_SYMLINK_HOPS links) and lstat the result, following a final symlink when
 * follow. Returns 0 and *st (and *canon, the root-relative real path, when canon is not
 * NULL), 1 when absent or unresolvable inside root (st of the link itself when a final
 * link escapes, with *canon NULL), or BH_ENOMEM.
 */
int bh_hostint_stat(struct bh_hostctx *c, const char *rel, bool follow, struct stat *st,
                    const char **canon);
/*
 * Read the regular file rel (resolved as above) whole, at most max bytes, NUL-terminated.
 * Returns 0, 1 when absent (or not a regular file, /proc files included since they report
 * size 0 but read fine), or a BH_E* code (the failure is also recorded as a host error).
 */
int bh_hostint_read(struct bh_hostctx *c, const char *rel, size_t max, char **data, size_t *len);
/* The entry names of directory rel, sorted (no "." or ".."), at most BH_MAX_HOST_DIR_ENTRIES.
   Returns 0 (n = 0 when absent) or BH_ENOMEM. */
int bh_hostint_list(struct bh_hostctx *c, const char *rel, char ***names, size_t *n);

/* A setting appended to h (key and value copied into a). */
struct bh_hostsetting *bh_hostint_setting(struct bh_arena *a, struct bh_host *h, const char *key,
                                          const char *value, enum bh_hsorigin origin,
                                          const char *file, int line, const char *path);

/* ---- units.c ---- */
struct bh_unitent {
    const char *section; /* "Service" */
    const char *key;     /* "ExecStart" */
    const char *value;   /* continuation lines joined with a space; "" for a reset */
    const char *file;    /* host path */
    int line;            /* first line of the directive */
};
/* Parse a unit file (or drop-in) into entries appended to *ents. Lines that are not
   "key=value" inside a section go to *bad_line (first one, 0 when none). */
int bh_hostunit_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                      struct bh_unitent **ents, size_t *n, int *bad_line);
/* Split a command line per systemd.syntax quoting (ExecStart= prefixes -@:+! removed from the
   first word). BH_EPARSE for an unterminated quote or bad escape. */
int bh_hostunit_split(struct bh_arena *a, const char *s, char ***argv, size_t *argc);
/* Effective values of section/key over ents in order: an empty assignment clears the list. */
size_t bh_hostunit_effective(const struct bh_unitent *ents, size_t n, const char *section,
                             const char *key, const struct bh_unitent **out, size_t cap);
/* Read docker.service and docker.socket with drop-ins into c->h. */
int bh_hostunit_read(struct bh_hostctx *c);

/* ---- envfile.c ---- */
/* The assignments of a shell-like environment file: callback per NAME=value, value unquoted. */
struct bh_envvar {
    const char *name, *value;
    int line;
};
int bh_hostenv_parse(struct bh_arena *a, const char *text, size_t len, struct bh_envvar **vars,
                     size_t *n, int *bad_line);
/* Shell-like word splitting of a value (quotes and backslashes). BH_EPARSE when unbalanced. */
int bh_hostenv_split(struct bh_arena *a, const char *s, char ***argv, size_t *argc);
int bh_hostenv_read(struct bh_hostctx *c);

/* ---- procnet.c ---- */
int bh_hostnet_parse(struct bh_arena *a, const char *file, const char *text, size_t len, bool v6,
                     struct bh_host *h);
int bh_hostnet_read(struct bh_hostctx *c);

/* ---- files.c ---- */
/* The named entries of a system.posix_acl_access blob as "user:alice:rw-,group:9:r--"
   (names from c's passwd/group when c is not NULL). Returns 1 when there are named entries,
   0 when none, BH_EPARSE for a malformed blob, BH_ENOMEM. */
int bh_hostacl_parse(struct bh_arena *a, const struct bh_hostctx *c, const void *blob, size_t len,
                     const char **text);
const char *bh_hostint_uname(const struct bh_hostctx *c, unsigned uid);
const char *bh_hostint_gname(const struct bh_hostctx *c, unsigned gid);
/* Stat rel and append it with role (exists false when absent). */
int bh_hostfile_add(struct bh_hostctx *c, const char *rel, const char *role);
int bh_hostfile_read(struct bh_hostctx *c);

/* ---- the other sources ---- */
int bh_hostjson_read(struct bh_hostctx *c, const char *rel); /* daemonjson.c */
int bh_hostjson_parse(struct bh_hostctx *c, const char *file, const char *text, size_t len);
int bh_hostacct_load(struct bh_hostctx *c); /* accounts.c: passwd/group maps */
int bh_hostacct_read(struct bh_hostctx *c); /* docker members, sudoers, subids */
int bh_hostlsm_read(struct bh_hostctx *c);
int bh_hostaudit_read(struct bh_hostctx *c);
int bh_hostaudit_parse(struct bh_hostctx *c, const char *file, const char *text, size_t len);
int bh_hostcomp_read(struct bh_hostctx *c);
int bh_hostpodman_read(struct bh_hostctx *c);
int bh_hostpodman_registries(struct bh_hostctx *c, const char *file, const char *text, size_t len);

#endif
