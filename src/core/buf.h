/*
 * buf.h - the one growable byte buffer: always NUL-terminated, binary-safe,
 * with a hard maximum. Errors are sticky: append freely, check `failed` once.
 * It does not know about arenas; detach hands the malloc'd memory over.
 */
#ifndef BH_BUF_H
#define BH_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct bh_buf {
    char *ptr;   /* NULL until the first append; see bh_buf_str() */
    size_t len;  /* bytes used, not counting the terminating NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* most bytes len may reach; appends past it set failed */
    bool failed; /* allocation failed or max exceeded; sticky */
};

#define BH_BUF_INIT(maxlen)         \
    {                               \
        NULL, 0, 0, (maxlen), false \
    }

void bh_buf_init(struct bh_buf *b, size_t max);
void bh_buf_release(struct bh_buf *b);
/* Drop the contents, keep the memory and the failed flag cleared. */
void bh_buf_reset(struct bh_buf *b);
void bh_buf_append(struct bh_buf *b, const char *p, size_t n);
void bh_buf_puts(struct bh_buf *b, const char *s);
void bh_buf_putc(struct bh_buf *b, char c);
void bh_buf_printf(struct bh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bh_buf_vprintf(struct bh_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Contents as a C string; "" when empty. Valid until the next append. */
const char *bh_buf_str(const struct bh_buf *b);
/* Hand the memory over (caller frees); the buffer is reset to empty. May return NULL if empty. */
char *bh_buf_detach(struct bh_buf *b, size_t *len);

#endif
