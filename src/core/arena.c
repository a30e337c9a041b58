/*
 * arena.c - a bump allocator over a list of malloc'd blocks. Large requests
 * get their own block. Nothing is freed individually.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64u * 1024u)
#define ALIGN 16u

struct bh_arena_block {
    struct bh_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void bh_arena_init(struct bh_arena *a, size_t max)
{
    a->head = NULL;
    a->total = 0;
    a->max = max;
    a->failed = false;
}

void bh_arena_release(struct bh_arena *a)
{
    struct bh_arena_block *b = a->head, *next;

    while (b) {
        next = b->next;
        free(b);
        b = next;
    }
    bh_arena_init(a, a->max);
}

void *bh_arena_alloc(struct bh_arena *a, size_t n)
{
    struct bh_arena_block *b = a->head;
    size_t need, size;
    void *p;

    if (a->failed)
        return NULL;
    if (n > SIZE_MAX / 2) {
        a->failed = true;
        return NULL;
    }
    need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need == 0)
        need = ALIGN;
    if (!b || b->size - b->used < need) {
        size = need > BLOCK_SIZE / 4 ? need : BLOCK_SIZE;
        if (size > a->max || a->total > a->max - size) {
            a->failed = true;
            return NULL;
        }
        b = malloc(sizeof(*b) + size);
        if (!b) {
            a->failed = true;
            return NULL;
        }
        b->used = 0;
        b->size = size;
        a->total += size;
        if (size == need && a->head) {
            /* a big one-off block: keep the current block for small requests */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = b->data + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
}

void *bh_arena_calloc(struct bh_arena *a, size_t n, size_t elem)
{
    if (elem && n > SIZE_MAX / elem) {
        a->failed = true;
        return NULL;
    }
    return bh_arena_alloc(a, n * elem);
}

char *bh_arena_strndup(struct bh_arena *a, const char *s, size_t n)
{
    char *p = bh_arena_alloc(a, n + 1);

    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *bh_arena_strdup(struct bh_arena *a, const char *s)
{
    return bh_arena_strndup(a, s, strlen(s));
}

char *bh_arena_printf(struct bh_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = bh_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *bh_arena_grow(struct bh_arena *a, void *arr, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return arr;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap < need)
        ncap = need;
    p = bh_arena_calloc(a, ncap, elem);
    if (!p)
        return NULL;
    if (arr && *cap)
        memcpy(p, arr, *cap * elem);
    *cap = ncap;
    return p;
}
