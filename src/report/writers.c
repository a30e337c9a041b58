/*
 * writers.c - the table of report writers, looked up by --format name.
 */
#include "report/report.h"

#include <string.h>

static const struct bh_writer writers[] = {
    {"github", bh_report_write_github}, {"json", bh_report_write_json},
    {"junit", bh_report_write_junit},   {"sarif", bh_report_write_sarif},
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
    return "table, json, sarif, github, junit";
}
