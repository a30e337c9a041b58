/*
 * fuzz_shell.c - libFuzzer target for the shell tokenizer (bh_shell_parse,
 * bh_shell_words) and the image-reference normaliser. The input up to the
 * first NUL or newline is also an image reference, the rest a match pattern.
 * Besides "no crash" it checks invariants callers rely on.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/shell.h"
#include "model/imageref.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_words(const struct bh_word *w, size_t n, int lines)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (!w[k].text || w[k].line < 1 || w[k].line > lines || w[k].col < 1)
            abort();
    }
}

static void fuzz_imageref(struct bh_arena *a, const char *text, size_t size)
{
    const char *cut = memchr(text, '\n', size);
    const char *nul = memchr(text, '\0', size);
    size_t rl;
    char *ref, *pat;
    struct bh_imageref r, again;
    const char *canon, *canon2;

    if (nul && (!cut || nul < cut))
        cut = nul;
    rl = cut ? (size_t)(cut - text) : size;
    ref = bh_arena_strndup(a, text, rl);
    pat = cut ? bh_arena_strndup(a, cut + 1, size - rl - 1) : bh_arena_strdup(a, "docker.io");
    if (!ref || !pat)
        return;
    if (bh_imageref_parse(a, ref, &r) != 0) {
        if (r.input || r.repository || r.registry)
            abort(); /* a failed parse leaves *out zeroed */
        return;
    }
    (void)bh_imageref_match(&r, pat);
    canon = bh_imageref_canonical(a, &r);
    if (!canon || r.is_scratch)
        return;
    /* the canonical form is a valid reference that normalises to itself */
    if (bh_imageref_parse(a, canon, &again) != 0)
        abort();
    canon2 = bh_imageref_canonical(a, &again);
    if (!canon2 || strcmp(canon, canon2) != 0 || again.is_latest != r.is_latest)
        abort();
    if (!bh_imageref_match(&r, r.registry))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_script s;
    struct bh_word *w;
    size_t n, k;
    struct bh_err err;
    const char *text = (const char *)data;
    int lines = 1;

    for (k = 0; k < size; k++)
        lines += data[k] == '\n';
    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    if (bh_shell_parse(&a, text, size, 1, 1, &s, &err) == 0) {
        for (k = 0; k < s.ncmds; k++) {
            const struct bh_shcmd *c = &s.cmds[k];

            if (!c->sep || c->depth < 0 || c->depth > (int)BH_MAX_SHELL_NESTING ||
                (c->argc == 0 && c->nassigns == 0) || c->line < 1 || c->line > lines)
                abort();
            check_words(c->argv, c->argc, lines);
            check_words(c->assigns, c->nassigns, lines);
        }
    }
    if (bh_shell_words(&a, text, size, 1, 1, &w, &n, &err) == 0)
        check_words(w, n, lines);
    fuzz_imageref(&a, text, size);
    bh_arena_release(&a);
    return 0;
}
