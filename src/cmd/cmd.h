/*
 * cmd.h - the subcommands and what they share: the context, the option
 * tables (from which --help and the doc check are generated) and the common
 * scan options. Only this layer prints to the user or picks the exit code.
 */
#ifndef BH_CMD_H
#define BH_CMD_H

#include "model/finding.h"
#include "model/policy.h"
#include "model/suppress.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (CLI.md). */
enum { BH_EXIT_OK = 0, BH_EXIT_FINDINGS = 1, BH_EXIT_USAGE = 2, BH_EXIT_INTERNAL = 3 };

struct bh_ctx {
    const char *progname;
    bool stdout_tty, stderr_tty;
};

struct bh_option {
    const char *long_name; /* without "--" */
    char short_name;       /* 0 when none */
    const char *arg;       /* argument name for help, NULL for a switch */
    const char *help;
};

struct bh_cmd {
    const char *name;
    int (*fn)(int argc, char **argv, struct bh_ctx *ctx);
    const char *summary;
    const char *usage;               /* "[options] [PATH...]" */
    const struct bh_option *options; /* NULL-terminated table, or NULL */
};

extern const struct bh_cmd bh_commands[];
extern const size_t bh_ncommands;
const struct bh_cmd *bh_cmd_find(const char *name);
/* Print `bulkhead NAME --help` to out. */
void bh_cmd_help(FILE *out, const struct bh_cmd *c);

/*
 * Parse argv against a NULL-terminated option table, getopt_long style:
 * `--name value`, `--name=value`, `-x value`, `-xvalue`, `--` ends options.
 * For each option calls on_opt(index into table, value or NULL, data); a
 * non-zero return stops. Positional arguments are collected into *pos.
 * Returns 0, or BH_EXIT_USAGE after printing a message to stderr.
 */
int bh_cmd_parse(const char *cmd, int argc, char **argv, const struct bh_option *opts,
                 int (*on_opt)(int idx, const char *val, void *data), void *data, char ***pos,
                 int *npos);

int cmd_config(int argc, char **argv, struct bh_ctx *ctx);
int cmd_image(int argc, char **argv, struct bh_ctx *ctx);
int cmd_rules(int argc, char **argv, struct bh_ctx *ctx);
int cmd_rootfs(int argc, char **argv, struct bh_ctx *ctx);
int cmd_sbom(int argc, char **argv, struct bh_ctx *ctx);
int cmd_db(int argc, char **argv, struct bh_ctx *ctx);
int cmd_engine(int argc, char **argv, struct bh_ctx *ctx);
int cmd_host(int argc, char **argv, struct bh_ctx *ctx);
int cmd_version(int argc, char **argv, struct bh_ctx *ctx);

/* ---- options shared by the scanning commands (scanopts.c) ---- */

struct bh_scanopts {
    const char *format; /* NULL = table */
    const char *output; /* NULL = stdout */
    unsigned sev_mask;  /* bit per severity to report */
    int fail_on;        /* enum bh_severity */
    int exit_code;      /* code for "findings remain" */
    const char *policy_file;
    const char *ignorefile; /* NULL = .bulkheadignore in the working directory if present */
    int color;              /* -1 auto, 0 never, 1 always */
    bool quiet;
    bool no_progress;
    bool show_suppressed;
    struct bh_policy policy;
    struct bh_ignorefile ignores;
};

/* The shared options: rows to put at the top of a scanning command's table. */
#define BH_SCAN_OPTIONS                                                                            \
    {"format", 'f', "FORMAT", "report format: table, json, sarif, github, junit (default table)"}, \
        {"output", 'o', "FILE", "write the report to FILE instead of stdout"},                     \
        {"severity", 's', "LIST", "report only these severities (critical,high,medium,low,info)"}, \
        {"fail-on", 0, "SEV", "exit 1 when a finding at or above SEV remains (default low)"},      \
        {"exit-code", 0, "N", "exit code when findings remain (default 1; 0 = report only)"},      \
        {"policy", 0, "FILE", "YAML policy: rules on/off and severity, trusted registries"},       \
        {"ignorefile", 0, "FILE",                                                                  \
         "ignore file (default .bulkheadignore in the working directory)"},                        \
        {"show-suppressed", 0, NULL, "list suppressed findings in the table format too"},          \
        {"color", 0, "WHEN", "auto, always or never (NO_COLOR is honoured)"},                      \
        {"quiet", 'q', NULL, "print nothing but the report"},                                      \
    {                                                                                              \
        "no-progress", 0, NULL, "no progress bar on stderr (image scans show one on a terminal)"   \
    }
void bh_scanopts_init(struct bh_scanopts *o);
/*
 * Handle a shared option (name is its long name). Returns 1 when handled,
 * 0 when the name is not a shared option, BH_EXIT_USAGE on a bad value.
 */
int bh_scanopts_handle(struct bh_scanopts *o, const char *name, const char *val);
/* Load the policy and ignore files (errors printed; returns an exit code or 0). */
int bh_scanopts_load(struct bh_scanopts *o, struct bh_arena *a);
/*
 * Sort, filter by severity, write the report in the chosen format, and
 * return the exit code: 2 when the report has errors, else exit_code when an
 * unsuppressed finding at or above fail_on remains, else 0.
 */
int bh_scanopts_finish(struct bh_scanopts *o, struct bh_ctx *ctx, struct bh_report *r,
                       const char *command);

/*
 * Targets outlive the per-target scan arena: these copy into the report arena ra. keep_findings
 * appends found to t (rule, title, fix and refs point at the static rule table; f->vuln at
 * memory already in ra); keep_inventory sets t's packages, OS and image id.
 */
void bh_cmd_keep_findings(struct bh_arena *ra, struct bh_target *t,
                          const struct bh_findings *found);
void bh_cmd_keep_inventory(struct bh_arena *ra, struct bh_target *t, const struct bh_packages *pk,
                           const struct bh_osinfo *os, const char *image_id);

/* ---- vulnerability options shared by image, rootfs and sbom (vulnopts.c) ---- */

struct bh_vulndb;
struct bh_vulnmatch;

struct bh_vulnopts {
    const char *db_path;  /* --db; NULL = the default path */
    bool db_explicit;     /* --db was given: a missing database is an error, not a note */
    bool skip;            /* --skip-vulns */
    bool ignore_unfixed;  /* --ignore-unfixed */
    int db_max_age_days;  /* --db-max-age (default 5) */
    bool strict_db_age;   /* --strict-db-age: an old database is an error */
    long long now;        /* scan time (SOURCE_DATE_EPOCH honoured by the caller) */
    struct bh_vulndb *db; /* opened by bh_vulnopts_open; NULL when matching is off */
};

#define BH_VULN_OPTIONS                                                                           \
    {"db", 0, "FILE", "vulnerability database (default $XDG_CACHE_HOME/bulkhead/vuln.db)"},       \
        {"skip-vulns", 0, NULL, "do not match packages against the vulnerability database"},      \
        {"ignore-unfixed", 0, NULL, "drop vulnerabilities that have no fixed version"},           \
        {"db-max-age", 0, "DAYS", "warn when the database is older (default 5)"},                 \
    {                                                                                             \
        "strict-db-age", 0, NULL, "fail (exit 2) instead of warning when the database is too old" \
    }

void bh_vulnopts_init(struct bh_vulnopts *o);
/* 1 handled, 0 not a vulnerability option, BH_EXIT_USAGE on a bad value (message printed). */
int bh_vulnopts_handle(struct bh_vulnopts *o, const char *cmd, const char *name, const char *val);
/*
 * Open the database unless skipped. With no --db and no file at the default path, matching
 * is off and a note says how to get one (not an error). A database older than
 * db_max_age_days gives a warning on stderr, or with strict_db_age a report error. Returns
 * 0, or BH_EXIT_USAGE when an explicit --db cannot be opened (message printed).
 */
int bh_vulnopts_open(struct bh_vulnopts *o, const char *cmd, bool quiet, struct bh_report *r,
                     struct bh_arena *ra);
/*
 * Match t->packages (OS t->os) when a database is open: fills t->vulns (in arena ra, the
 * report's) after --ignore-unfixed, and appends IMG-VULN findings for them to *found (in a).
 * A database error becomes a report error for t->target.
 */
void bh_vulnopts_scan(struct bh_vulnopts *o, struct bh_arena *a, struct bh_arena *ra,
                      const struct bh_policy *policy, struct bh_target *t,
                      struct bh_findings *found, struct bh_report *r);
void bh_vulnopts_close(struct bh_vulnopts *o);

#endif
