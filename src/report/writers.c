/*
 * writers.c - the table of report writers, looked up by --format name, and the list of
 * names for messages (kept in the same order of importance as CLI.md).
 */
#include "report/report.h"

#include <string.h>

static const struct bh_writer writers[] = {
    {"cyclonedx", bh_report_write_cyclonedx}, {"github", bh_report_write_github},
    {"json", bh_report_write_json},           {"junit", bh_report_write_junit},
    {"sarif", bh_report_write_sarif},         {"spdx-json", bh_report_write_spdx},
    {"table", bh_report_write_table},
};

const struct bh_writer *bh_writer_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
        if (strcmp(writers[i].name, name) == 0)
            return &writers[i];
    }
    return NULL;
}

const char *bh_writer_names(void)
{
    /* the SBOM formats apply to image and rootfs targets only (one target per document) */
    return "table, json, sarif, github, junit, cyclonedx, spdx-json";
}
