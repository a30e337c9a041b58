/*
 * arena.h - per-scan arena: everything one scan produces (parse trees,
 * strings, findings) is allocated here and freed at once. Allocation is
 * bounded by `max`; failure is sticky and returns NULL.
 */
#ifndef BH_ARENA_H
#define BH_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct bh_arena_block;

struct bh_arena {
    struct bh_arena_block *head;
    size_t total; /* bytes obtained from malloc so far */
    size_t max;   /* most bytes total may reach */
    bool failed;  /* an allocation failed; sticky */
};

void bh_arena_init(struct bh_arena *a, size_t max);
/* Free every block; the arena can be used again afterwards. */
void bh_arena_release(struct bh_arena *a);
/* n zeroed bytes aligned for any type, or NULL (and failed set). n == 0 is valid. */
void *bh_arena_alloc(struct bh_arena *a, size_t n);
/* n elements of elem bytes, overflow-checked. */
void *bh_arena_calloc(struct bh_arena *a, size_t n, size_t elem);
char *bh_arena_strndup(struct bh_arena *a, const char *s, size_t n);
char *bh_arena_strdup(struct bh_arena *a, const char *s);
char *bh_arena_printf(struct bh_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Grow an array of elem-byte elements to hold at least `need`: returns arr when
 * *cap suffices, else a new copy with *cap updated, or NULL on failure.
 */
void *bh_arena_grow(struct bh_arena *a, void *arr, size_t *cap, size_t need, size_t elem);

/*
 * Append one zeroed slot to a (ptr, n, cap) array in the arena and evaluate to
 * a pointer to it, or NULL on failure:  struct x *s = BH_PUSH(a, v, n, cap);
 */
#define BH_PUSH(a, arr, n, cap)                                                                    \
    (((n) < (cap) || ((arr) = bh_arena_grow((a), (arr), &(cap), (n) + 1, sizeof(*(arr)))) != NULL) \
         ? (void *)&(arr)[(n)++]                                                                   \
         : NULL)

#endif
