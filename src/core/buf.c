/*
 * buf.c - struct bh_buf. The only place outside the arena that grows memory
 * with realloc; every growth is checked against the buffer's max.
 */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bh_buf_init(struct bh_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = false;
}

void bh_buf_release(struct bh_buf *b)
{
    free(b->ptr);
    bh_buf_init(b, b->max);
}

void bh_buf_reset(struct bh_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->ptr)
        b->ptr[0] = '\0';
}

static bool grow(struct bh_buf *b, size_t extra)
{
    size_t need, ncap;
    char *p;

    if (b->failed)
        return false;
    if (extra > b->max || b->len > b->max - extra) {
        b->failed = true;
        return false;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
    p = realloc(b->ptr, ncap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->ptr = p;
    b->cap = ncap;
    return true;
}

void bh_buf_append(struct bh_buf *b, const char *p, size_t n)
{
    if (!grow(b, n))
        return;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void bh_buf_puts(struct bh_buf *b, const char *s)
{
    bh_buf_append(b, s, strlen(s));
}

void bh_buf_putc(struct bh_buf *b, char c)
{
    bh_buf_append(b, &c, 1);
}

void bh_buf_vprintf(struct bh_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    if (b->failed)
        return;
    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void bh_buf_printf(struct bh_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    bh_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *bh_buf_str(const struct bh_buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *bh_buf_detach(struct bh_buf *b, size_t *len)
{
    char *p = b->ptr;

    if (len)
        *len = b->len;
    bh_buf_init(b, b->max);
    return p;
}
