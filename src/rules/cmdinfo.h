/*
 * cmdinfo.h - what a tokenized shell command (struct bh_shcmd) does, for the
 * rules: the real command behind wrappers (sudo, env, nice, xargs ...),
 * options and operands of a known tool, package-manager invocations and
 * their packages, downloads (curl/wget) and shell interpreters. Pure
 * functions over the model; no I/O, no tokenizing (that is input/shell.c).
 * Any rule file may include it.
 */
#ifndef BH_CMDINFO_H
#define BH_CMDINFO_H

#include "model/buildspec.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

/*
 * Option syntax of one tool, enough to tell an option's value from an
 * operand: `curl -o FILE URL` vs `curl -s URL`.
 */
struct bh_cmdopts {
    const char *short_arg; /* letters of short options that take a value ("oHdX") */
    const char *const
        *long_arg;         /* long options (no dashes) taking a value; NULL-terminated or NULL */
    bool single_dash_long; /* options are `-name` words (go, find): no short clusters */
};

/* ---- commands of a RUN ---- */

/*
 * The commands of a RUN instruction: script.cmds, or for an exec-form RUN
 * that has no shell (`RUN ["apt-get", "install", "x"]`) one command made
 * from argv. Commands that the tokenizer unwrapped from an `env`/`sudo`/
 * `exec` wrapper (same argv words) are left out: the wrapper stays and
 * bh_cmdinfo_start() looks through it, so nothing is seen twice. *out points
 * into the model or the arena; returns the count (0 on allocation failure or
 * for other instructions).
 */
size_t bh_cmdinfo_run_cmds(struct bh_arena *a, const struct bh_instr *in,
                           const struct bh_shcmd **out);

/* ---- the real command ---- */

/*
 * Index in c->argv of the real command once wrappers are skipped (`sudo -u x`,
 * `env A=1`, `nice -n 5`, `nohup`, `time`, `exec`, `timeout 10`, `stdbuf -oL`,
 * `xargs -r`, `eatmydata`, `gosu user`, `su-exec user`, `chroot dir`,
 * `runuser -u u --`). c->argc when nothing is left.
 */
size_t bh_cmdinfo_start(const struct bh_shcmd *c);
/* Base name of argv[i] (`/usr/bin/apt-get` -> `apt-get`); "" when i is out of range. */
const char *bh_cmdinfo_base(const struct bh_shcmd *c, size_t i);
/* Base name of the real command, "" when none. */
const char *bh_cmdinfo_name(const struct bh_shcmd *c);
/* True when a wrapper before the real command, or the command itself, is named name. */
bool bh_cmdinfo_uses(const struct bh_shcmd *c, const char *name, size_t *where);
/*
 * The i-th `NAME=value` environment assignment in effect for c: c->assigns
 * first, then the words of an `env` wrapper. NULL past the end.
 */
const struct bh_word *bh_cmdinfo_assign(const struct bh_shcmd *c, size_t i);

/* ---- options and operands ---- */

/*
 * Find option lname (long, no dashes; NULL for none) or sname (short letter;
 * 0 for none) in argv[from..]. Handles `--name=value`, `--name value`, short
 * clusters (`-fsSLk`, `-qO-`, `-oFILE`) and stops at `--`. On a match sets
 * *value (the option's value or NULL when it takes none) and *word (argv
 * index), both optional, and returns true.
 */
bool bh_cmdinfo_opt(const struct bh_shcmd *c, size_t from, const struct bh_cmdopts *o,
                    const char *lname, char sname, const char **value, size_t *word);
/*
 * Operands (non-option words) of argv[from..]: their argv indexes go to
 * *idx (arena). Returns the count; 0 on allocation failure.
 */
size_t bh_cmdinfo_operands(struct bh_arena *a, const struct bh_shcmd *c, size_t from,
                           const struct bh_cmdopts *o, size_t **idx);

/* ---- package managers ---- */

enum bh_pm {
    BH_PM_NONE = 0,
    BH_PM_APT, /* apt-get, apt, aptitude */
    BH_PM_APK,
    BH_PM_YUM,
    BH_PM_DNF, /* dnf, tdnf */
    BH_PM_MICRODNF,
    BH_PM_ZYPPER,
    BH_PM_RPM,
    BH_PM_DPKG,
    BH_PM_PIP, /* pip, pip3, pip3.12, python -m pip */
    BH_PM_NPM,
    BH_PM_YARN,
    BH_PM_GEM,
    BH_PM_GO, /* go install / go get */
};

enum bh_pm_verb {
    BH_PMV_OTHER = 0,
    BH_PMV_INSTALL, /* install, add, in, i, groupinstall, localinstall, reinstall, ci */
    BH_PMV_REFRESH, /* package index only: update (apt, apk), makecache, refresh */
    BH_PMV_UPGRADE, /* upgrade everything or named packages: upgrade, dist-upgrade, update (yum) */
    BH_PMV_REMOVE,
    BH_PMV_CLEAN, /* clean, clean all, cc, cache clean */
};

struct bh_pmcmd {
    enum bh_pm pm;
    enum bh_pm_verb verb;
    const char *tool;              /* base name of the manager as written: "apt-get", "pip3" */
    const char *verb_word;         /* the subcommand as written ("install", "in"), or NULL */
    size_t tool_at;                /* argv index of the tool word (`-m pip`: the `pip` word) */
    size_t verb_at;                /* argv index of the subcommand; c->argc when none */
    const struct bh_cmdopts *opts; /* the tool's option syntax */
    size_t *pkgs;                  /* argv indexes of the operands after the verb (arena) */
    size_t npkgs;
};

/* Classify c. Returns true and fills *out when c runs a known package manager. */
bool bh_cmdinfo_pm(struct bh_arena *a, const struct bh_shcmd *c, struct bh_pmcmd *out);
/* bh_cmdinfo_opt over the whole command line of a package-manager command. */
bool bh_cmdinfo_pm_opt(const struct bh_shcmd *c, const struct bh_pmcmd *p, const char *lname,
                       char sname, const char **value);
/* "apt-get", "apk", ... for messages. */
const char *bh_cmdinfo_pm_name(enum bh_pm pm);
/* True for OS package managers (apt, apk, yum, dnf, microdnf, zypper). */
bool bh_cmdinfo_pm_is_os(enum bh_pm pm);
/*
 * The package name of an operand with any version stripped (`curl=7.88-1` ->
 * `curl`, `musl>1.2` -> `musl`, `flask==2.0` -> `flask`); arena copy, or the
 * spec itself when there is nothing to strip or allocation fails.
 */
const char *bh_cmdinfo_pkg_name(struct bh_arena *a, enum bh_pm pm, const char *spec);
/*
 * True when an operand pins a version in the manager's own syntax, or names a
 * local package file / path / URL (which cannot float). False for a bare name.
 */
bool bh_cmdinfo_pkg_pinned(enum bh_pm pm, const char *spec);
/* True when a word holds a shell expansion we cannot resolve (`$PKGS`, `${V}`, backquotes). */
bool bh_cmdinfo_has_var(const char *word);

/* ---- downloads and interpreters ---- */

struct bh_fetch {
    const char *tool; /* "curl" or "wget" */
    const char *url;  /* first http(s)/ftp operand, or the first operand, or NULL */
    const char
        *outfile; /* where the body goes: -o/-O/--output/-O FILE/wget default; NULL = stdout */
    size_t tool_at;
};

/* True when c runs curl or wget; fills *out. */
bool bh_cmdinfo_fetch(const struct bh_shcmd *c, struct bh_fetch *out);
/* True for sh bash zsh dash ash ksh python* perl ruby node php (base names). */
bool bh_cmdinfo_is_interpreter(const char *base);
/* True when text contains `$(curl`, `$(wget`, `<(curl`, backquoted curl/wget ...: a download
 * substituted in. */
bool bh_cmdinfo_has_fetch_subst(const char *text);
/* Base name of a path or URL (query and fragment stripped), in the arena. */
const char *bh_cmdinfo_basename(struct bh_arena *a, const char *path);
/* True when s is exactly n hex digits (a full commit id is 40 or 64). */
bool bh_cmdinfo_is_hex(const char *s, size_t minlen);

#endif
