/*
 * runargs.c - placeholder until the docker-run-line reader lands: recognises nothing.
 */
#include "input/runargs.h"

#include <string.h>

int bh_runargs_from_words(struct bh_arena *a, const char *file, const struct bh_word *words,
                          size_t nwords, struct bh_runspec *out, struct bh_err *err)
{
    (void)a;
    (void)file;
    (void)words;
    (void)nwords;
    (void)out;
    (void)err;
    return 1;
}

int bh_runargs_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                     struct bh_runset *out, struct bh_err *err)
{
    (void)a;
    (void)file;
    (void)text;
    (void)len;
    (void)err;
    memset(out, 0, sizeof(*out));
    return 0;
}

int bh_runargs_bid(const char *name, const char *head, size_t len)
{
    (void)name;
    (void)head;
    (void)len;
    return 0;
}
