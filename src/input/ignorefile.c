/*
 * ignorefile.c - `.bulkheadignore`: `ID [GLOB] [# reason]` a line; blank
 * lines and lines starting with '#' are comments. An id that is neither a
 * known-looking rule id nor a vulnerability id is still kept: the ignore file
 * may name rules of a newer bulkhead.
 */
#include "input/ignorefile.h"

#include "core/arena.h"
#include "core/limits.h"
#include "input/files.h"

#include <string.h>

static const char *trim(struct bh_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return bh_arena_strndup(a, s, n);
}

int bh_ignorefile_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                        struct bh_ignorefile *out, struct bh_err *err)
{
    size_t pos = 0;
    int line = 0;

    memset(out, 0, sizeof(*out));
    out->file = bh_arena_strdup(a, file);
    while (pos < len) {
        const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - l) : len - pos;
        const char *hash, *p, *end;
        struct bh_ignorefile_entry *e;

        pos += ll + (nl ? 1 : 0);
        if (++line > (int)BH_MAX_IGNORE_LINES)
            return bh_err_set(err, BH_ELIMIT, file, line, 1,
                              "more than %u lines (BH_MAX_IGNORE_LINES)", BH_MAX_IGNORE_LINES);
        if (memchr(l, '\0', ll))
            return bh_err_set(err, BH_EPARSE, file, line, 1, "NUL byte in ignore file");
        hash = memchr(l, '#', ll);
        end = hash ? hash : l + ll;
        p = l;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == end)
            continue; /* blank or comment-only */
        e = BH_PUSH(a, out->v, out->n, out->cap);
        if (!e)
            return bh_err_set(err, BH_ENOMEM, file, line, 1, "out of memory");
        e->line = line;
        {
            const char *w = p;

            while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
                p++;
            e->id = bh_arena_strndup(a, w, (size_t)(p - w));
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            w = p;
            while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
                p++;
            if (p > w)
                e->glob = bh_arena_strndup(a, w, (size_t)(p - w));
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
                p++;
            if (p < end)
                return bh_err_set(err, BH_EPARSE, file, line, (int)(p - l) + 1,
                                  "unexpected text '%.*s' (an entry is: ID [PATH-GLOB] [# reason])",
                                  (int)(end - p), p);
        }
        e->reason = hash ? trim(a, hash + 1, (size_t)(l + ll - hash - 1)) : "";
        if (!e->id || (hash && !e->reason))
            return bh_err_set(err, BH_ENOMEM, file, line, 1, "out of memory");
    }
    return 0;
}

int bh_ignorefile_read(struct bh_arena *a, const char *file, struct bh_ignorefile *out,
                       struct bh_err *err)
{
    char *text;
    size_t len;
    int rc = bh_file_read(a, file, BH_MAX_CONFIG_FILE, &text, &len, err);

    if (rc)
        return rc;
    return bh_ignorefile_parse(a, file, text, len, out, err);
}
