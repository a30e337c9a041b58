/*
 * shell.h - the one shell tokenizer (RULES.md N9), used for RUN lines, image
 * history `created_by`, CMD/ENTRYPOINT shell forms and (later) `docker run`
 * lines in scripts. POSIX word splitting with quotes and escapes; commands
 * split on `&& || ; | &` and newlines; `sh -c`/`bash -c` strings unwrapped.
 * Variables are not expanded. It never executes anything.
 */
#ifndef BH_SHELL_H
#define BH_SHELL_H

#include "core/err.h"
#include "model/buildspec.h"

#include <stddef.h>

struct bh_arena;

/*
 * Tokenize (text, len) into out->cmds. first_line/first_col give the file
 * position of text[0] so every word knows its line and column; a newline in
 * text advances the line. Unbalanced quotes do not fail: out->parse_error is
 * set and the words read so far are kept. Returns 0, BH_ENOMEM or BH_ELIMIT.
 */
int bh_shell_parse(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_script *out, struct bh_err *err);

/*
 * Split (text, len) into words only (no operators, no unwrapping), e.g. a
 * `docker run` line that has already been isolated. Words go to *words and *nwords.
 */
int bh_shell_words(struct bh_arena *a, const char *text, size_t len, int first_line, int first_col,
                   struct bh_word **words, size_t *nwords, struct bh_err *err);

#endif
