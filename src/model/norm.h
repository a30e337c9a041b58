/*
 * norm.h - the shared normalisers of RULES.md section 0 that readers and
 * rules both need: capabilities (N2), user specs (N3), host paths (N4), port
 * and volume specs (N5, N4 short syntax), boolean strings (N6) and security
 * options (N7). Implemented once here and unit-tested on their own.
 */
#ifndef BH_NORM_H
#define BH_NORM_H

#include "model/runspec.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

/* N2: trim, upper-case, strip a leading CAP_: "cap_sys_admin " -> "SYS_ADMIN". "all" -> "ALL". */
const char *bh_norm_cap(struct bh_arena *a, const char *cap);
/* Is a normalised capability in Docker's default set (14)? */
bool bh_norm_cap_docker_default(const char *cap);
/* Is it allowed by the Pod Security Standards baseline (the default set minus NET_RAW)? */
bool bh_norm_cap_pss_baseline(const char *cap);

/* N3: the meaning of a user spec `name|uid[:group|gid]`. */
struct bh_user {
    bool set;        /* a non-empty spec was given */
    bool unknown;    /* contains an unresolvable variable (`${UID}`) */
    bool user_root;  /* user part is root or numerically 0 */
    bool group_root; /* group part given and root or numerically 0 */
    bool numeric;    /* user part is a number */
};
void bh_norm_user(const char *spec, struct bh_user *out);
/* A K8s runAsUser / runAsGroup value (decimal text) that is 0. */
bool bh_norm_id_is_zero(const char *text);

/*
 * N4: normalise an absolute host path: collapse `//` and `/./`, resolve `..`
 * lexically (never above /), drop a trailing `/`, map /var/run to /run.
 * Windows drive paths (C:\x, C:/x) become "C:/x". Returns NULL for relative
 * paths (compose `./data`, `~/x`): the caller resolves them first.
 */
const char *bh_norm_path(struct bh_arena *a, const char *path);
/* Is `path` equal to `dir` or below it, on component boundaries? ("/etc/ssh" under "/etc": yes;
 * "/etcd" under "/etc": no; everything is under "/"). Both must be normalised. */
bool bh_norm_path_under(const char *path, const char *dir);

/*
 * N5: parse a short port spec `[[IP:]HOST[-HOST2]:]CONT[-CONT2][/proto]` (IPv6 in brackets)
 * into out (zeroed first; raw, loc untouched by the caller's choice). published is set
 * (a bare container port publishes to a random host port). BH_EPARSE on a malformed spec.
 */
int bh_norm_port(struct bh_arena *a, const char *spec, struct bh_port *out);
/* Is this host IP a wildcard (NULL, "", 0.0.0.0, ::, [::])? */
bool bh_norm_ip_wildcard(const char *ip);
/* Is it a loopback address (127.0.0.0/8, ::1, localhost)? */
bool bh_norm_ip_loopback(const char *ip);

/*
 * N4 short volume syntax shared by compose and `docker run -v`:
 * `SRC:DST[:opts]`, `DST` alone (anonymous volume), Windows `C:\x:D:\y`.
 * SRC starting with `/`, `.`, `~` or a drive letter is a bind (source normalised when
 * absolute, source_raw as written); a bare name is a named volume. opts: ro/rw, z/Z,
 * shared/rshared/slave/rslave/private/rprivate, nocopy, consistent/cached/delegated.
 * BH_EPARSE when malformed (empty target, unknown option).
 */
int bh_norm_volume(struct bh_arena *a, const char *spec, struct bh_mount *out);

/* N6: `true/True/TRUE/yes/on/1` and `false/.../no/off/0`; BH_EPARSE otherwise. */
int bh_norm_bool(const char *s, bool *out);

/* N7: a security option `key=value`, legacy `key:value`, or bare `no-new-privileges`. */
struct bh_secopt {
    const char *key; /* "seccomp", "apparmor", "label", "no-new-privileges", "systempaths", other */
    const char *value; /* "" for a bare key; for label "disable", "type:spc_t", "user:x", ... */
};
int bh_norm_secopt(struct bh_arena *a, const char *s, struct bh_secopt *out);

#endif
