/*
 * ignorefile.c - `.bulkheadignore`: `ID [GLOB] [exp:YYYY-MM-DD] [# reason]` a
 * line; blank lines and lines starting with '#' are comments. ID is a rule id
 * or a vulnerability id (rules/pipeline.c tells them apart when matching); an id
 * of neither shape is still kept: the ignore file may name rules of a newer
 * bulkhead. An entry whose exp: date has passed is dropped here, at read time.
 */
#include "input/ignorefile.h"

#include "core/clock.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/files.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * "YYYY-MM-DD" (exactly) -> the first second after that day ends, UTC: the entry still
 * applies on the day it names. False when it is not a real date.
 */
static bool parse_exp(const char *s, size_t n, long long *until)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long long y, m, d;

    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (bh_parse_int(s, 4, 1970, 9999, &y) || bh_parse_int(s + 5, 2, 1, 12, &m) ||
        bh_parse_int(s + 8, 2, 1, 31, &d))
        return false;
    if (d > mdays[m - 1] || (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
        return false;
    *until = (bh_days_from_civil(y, (unsigned)m, (unsigned)d) + 1) * 86400LL;
    return true;
}

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
            bool have_exp = false;
            long long until = 0;

            while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
                p++;
            e->id = bh_arena_strndup(a, w, (size_t)(p - w));
            /* then at most a glob and at most one exp:DATE, in either order */
            for (;;) {
                while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
                    p++;
                if (p == end)
                    break;
                w = p;
                while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
                    p++;
                if (p - w > 4 && memcmp(w, "exp:", 4) == 0 && !have_exp) {
                    if (!parse_exp(w + 4, (size_t)(p - w - 4), &until))
                        return bh_err_set(err, BH_EPARSE, file, line, (int)(w - l) + 1,
                                          "expiry '%.*s' is not a date (exp:YYYY-MM-DD)",
                                          (int)(p - w), w);
                    have_exp = true;
                } else if (!e->glob && !(p - w >= 4 && memcmp(w, "exp:", 4) == 0)) {
                    e->glob = bh_arena_strndup(a, w, (size_t)(p - w));
                    if (!e->glob)
                        return bh_err_set(err, BH_ENOMEM, file, line, 1, "out of memory");
                } else {
                    return bh_err_set(err, BH_EPARSE, file, line, (int)(w - l) + 1,
                                      "unexpected text '%.*s' (an entry is: ID [PATH-GLOB] "
                                      "[exp:YYYY-MM-DD] [# reason])",
                                      (int)(end - w), w);
                }
            }
            if (have_exp && bh_now() >= until) {
                /* expired: the finding shows again, as if the line were not there */
                memset(e, 0, sizeof(*e));
                out->n--;
                continue;
            }
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
