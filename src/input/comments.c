/*
 * comments.c - inline `# bulkhead:ignore=` comments in line-oriented files.
 * A lexical scan: it does not know YAML or shell quoting, so a `#` inside a
 * quoted string that happens to spell the marker also counts; that costs at
 * most a suppression the author wrote on purpose.
 */
#include "input/comments.h"

#include "core/arena.h"
#include "core/err.h"

#include <string.h>

#define MARK "bulkhead:ignore="

static bool blank_or_comment(const char *l, size_t n)
{
    size_t i = 0;

    while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
        i++;
    return i == n || l[i] == '#';
}

int bh_comments_ignores(struct bh_arena *a, const char *text, size_t len, struct bh_ignore **v,
                        size_t *n, size_t *cap)
{
    size_t pos = 0;
    int line = 0;
    size_t pending_from = *n; /* ignores waiting for the next content line */

    while (pos < len) {
        const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - l) : len - pos;
        const char *hash = NULL, *p;
        size_t k;

        pos += ll + (nl ? 1 : 0);
        line++;
        if (!blank_or_comment(l, ll)) {
            for (k = pending_from; k < *n; k++)
                (*v)[k].applies_line = line;
            pending_from = *n;
        }
        for (p = l; p < l + ll; p++) {
            if (*p != '#')
                continue;
            {
                const char *q = p + 1;

                while (q < l + ll && (*q == ' ' || *q == '\t'))
                    q++;
                if ((size_t)(l + ll - q) >= sizeof(MARK) - 1 &&
                    !memcmp(q, MARK, sizeof(MARK) - 1)) {
                    hash = q + sizeof(MARK) - 1;
                    break;
                }
            }
        }
        if (hash) {
            struct bh_ignore *ig = BH_PUSH(a, *v, *n, *cap);
            const char *end = l + ll, *w;
            size_t nids = 0, idcap = 0;

            if (!ig)
                return BH_ENOMEM;
            ig->line = line;
            /* a trailing comment covers its own line; a lone one waits for the next line */
            ig->applies_line = blank_or_comment(l, ll) ? 0 : line;
            if (ig->applies_line)
                pending_from = *n;
            p = hash;
            while (p < end && *p != ' ' && *p != '\t' && *p != '\r') {
                const char **slot;

                w = p;
                while (p < end && *p != ',' && *p != ' ' && *p != '\t' && *p != '\r')
                    p++;
                if (p > w) {
                    slot = BH_PUSH(a, ig->ids, nids, idcap);
                    if (!slot || !(*slot = bh_arena_strndup(a, w, (size_t)(p - w))))
                        return BH_ENOMEM;
                }
                if (p < end && *p == ',')
                    p++;
            }
            ig->nids = nids;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            w = end;
            while (w > p && (w[-1] == ' ' || w[-1] == '\t' || w[-1] == '\r'))
                w--;
            ig->reason = bh_arena_strndup(a, p, (size_t)(w - p));
            if (!ig->reason)
                return BH_ENOMEM;
        }
    }
    return 0;
}
