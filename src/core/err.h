/*
 * err.h - the error struct every fallible function fills, and the BH_E codes.
 * A function returns 0 or a negative BH_E* and describes the failure in the
 * caller's struct bh_err. It never prints. Messages are lower case.
 */
#ifndef BH_ERR_H
#define BH_ERR_H

#include <stddef.h>

enum bh_errcode {
    BH_OK = 0,
    BH_ENOMEM = -1,
    BH_EIO = -2,
    BH_EPARSE = -3,
    BH_ELIMIT = -4,
    BH_EUNSUPPORTED = -5,
    BH_EUSAGE = -6,
    BH_EINTERNAL = -7,
};

struct bh_err {
    int code;      /* BH_E* or 0 */
    int sys_errno; /* errno when an OS call failed, else 0 */
    char file[1024];
    int line; /* 1-based, 0 = unknown */
    int col;  /* 1-based, 0 = unknown */
    char msg[768];
};

/* Zero the struct (no allocation). */
void bh_err_init(struct bh_err *e);

/*
 * Fill *e (when e is not NULL) and return code. file may be NULL. The message
 * is formatted like printf and truncated to fit. Returns code so callers can
 * write `return bh_err_set(e, BH_EPARSE, ...)`.
 */
int bh_err_set(struct bh_err *e, int code, const char *file, int line, int col, const char *fmt,
               ...) __attribute__((format(printf, 6, 7)));

/* "parse error", "out of memory", ... for a BH_E* code. */
const char *bh_err_name(int code);

#endif
