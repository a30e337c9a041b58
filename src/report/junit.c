/*
 * junit.c - placeholder: the junit writer is being written.
 */
#include "report/report.h"

#include "core/err.h"

int bh_report_write_junit(FILE *out, const struct bh_report *r, const struct bh_report_opts *o)
{
    (void)out;
    (void)r;
    (void)o;
    return BH_EUNSUPPORTED;
}
