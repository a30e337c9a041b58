/*
 * report.h - the report writers: one per output format, in a table. Writers
 * only read the report; they escape every string that came from input
 * (no control characters, no ANSI injection) before it reaches the output.
 */
#ifndef BH_REPORT_H
#define BH_REPORT_H

#include "model/finding.h"

#include <stdbool.h>
#include <stdio.h>

struct bh_report_opts {
    bool color;           /* ANSI colour (table only) */
    bool show_suppressed; /* table: list suppressed findings too */
    const char *command;  /* "config", "image", ... for tool invocation fields */
};

struct bh_writer {
    const char *name; /* the --format value */
    /* Write the whole report to out. Returns 0 or BH_EIO / BH_ENOMEM. */
    int (*write)(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
};

/* The writer for a --format value, or NULL. */
const struct bh_writer *bh_writer_find(const char *name);
/* Comma-separated names of all writers, for messages and --help. */
const char *bh_writer_names(void);

int bh_report_write_table(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
int bh_report_write_json(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
int bh_report_write_sarif(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
int bh_report_write_github(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
int bh_report_write_junit(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
/* SBOMs of the report's image and rootfs targets: packages, and vulnerabilities when matched. */
int bh_report_write_cyclonedx(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);
int bh_report_write_spdx(FILE *out, const struct bh_report *r, const struct bh_report_opts *o);

#endif
