/*
 * shell.c - placeholder: the shell tokenizer is being written.
 */
#include "input/shell.h"

#include <string.h>

int bh_shell_parse(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_script *out, struct bh_err *err)
{
    (void)a;
    (void)len;
    (void)first_line;
    (void)first_col;
    (void)err;
    memset(out, 0, sizeof(*out));
    out->text = text;
    return 0;
}

int bh_shell_words(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_word **words, size_t *nwords, struct bh_err *err)
{
    (void)a;
    (void)text;
    (void)len;
    (void)first_line;
    (void)first_col;
    (void)err;
    *words = NULL;
    *nwords = 0;
    return 0;
}
