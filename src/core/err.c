/*
 * err.c - filling struct bh_err. Formatting only; no I/O.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bh_err_init(struct bh_err *e)
{
    memset(e, 0, sizeof(*e));
}

int bh_err_set(struct bh_err *e, int code, const char *file, int line, int col, const char *fmt,
               ...)
{
    va_list ap;

    if (!e)
        return code;
    e->code = code;
    e->line = line;
    e->col = col;
    e->file[0] = '\0';
    if (file)
        snprintf(e->file, sizeof(e->file), "%s", file);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

const char *bh_err_name(int code)
{
    switch (code) {
    case BH_OK:
        return "ok";
    case BH_ENOMEM:
        return "out of memory";
    case BH_EIO:
        return "i/o error";
    case BH_EPARSE:
        return "parse error";
    case BH_ELIMIT:
        return "limit exceeded";
    case BH_EUNSUPPORTED:
        return "unsupported";
    case BH_EUSAGE:
        return "usage error";
    default:
        return "internal error";
    }
}
