/*
 * imageref.c - the image-reference normaliser (RULES.md N1): validates a
 * reference against the distribution grammar, fills in Docker Hub defaults
 * (`docker.io`, `library/`, implicit `latest`) and matches allow-list
 * patterns on label and path boundaries. It does not resolve variables,
 * stage names or registry mirrors: callers do that first.
 */
#include "model/imageref.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

#include <string.h>

static bool ir_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool ir_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool ir_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ir_alnum(char c)
{
    return ir_lower(c) || ir_upper(c) || ir_digit(c);
}

static bool ir_hex_lower(char c)
{
    return ir_digit(c) || (c >= 'a' && c <= 'f');
}

static char ir_fold(char c)
{
    return ir_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* path-component: [a-z0-9]+ joined by `.`, `_`, `__` or one or more `-`. */
static bool ir_path_component(const char *s, size_t n)
{
    size_t i = 0;

    for (;;) {
        size_t run = 0;

        while (i < n && (ir_lower(s[i]) || ir_digit(s[i])))
            i++, run++;
        if (run == 0)
            return false;
        if (i == n)
            return true;
        if (s[i] == '.') {
            i++;
        } else if (s[i] == '_') {
            i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        } else if (s[i] == '-') {
            while (i < n && s[i] == '-')
                i++;
        } else {
            return false;
        }
    }
}

/* host[:port]: dotted labels of [A-Za-z0-9-] (no leading/trailing '-') or [IPv6]; port digits. */
static bool ir_domain(const char *s, size_t n)
{
    size_t i = 0, end = n;
    const char *colon;

    if (n == 0)
        return false;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', n);

        if (!close || close == s + 1)
            return false;
        for (i = 1; s + i < close; i++) {
            if (!(ir_digit(s[i]) || (ir_fold(s[i]) >= 'a' && ir_fold(s[i]) <= 'f') || s[i] == ':' ||
                  s[i] == '.'))
                return false;
        }
        i = (size_t)(close - s) + 1;
        if (i == n)
            return true;
        if (s[i] != ':')
            return false;
        end = i;
    } else {
        colon = memchr(s, ':', n);
        if (colon)
            end = (size_t)(colon - s);
        if (end == 0)
            return false;
        while (i < end) {
            size_t start = i;

            while (i < end && (ir_alnum(s[i]) || s[i] == '-'))
                i++;
            if (i == start || s[start] == '-' || s[i - 1] == '-')
                return false;
            if (i == end)
                break;
            if (s[i] != '.')
                return false;
            i++;
            if (i == end)
                return false;
        }
    }
    if (end < n) {
        size_t p = end + 1;

        if (p == n || n - p > 5)
            return false;
        for (; p < n; p++) {
            if (!ir_digit(s[p]))
                return false;
        }
    }
    return true;
}

/* tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static bool ir_tag(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 128 || !(ir_alnum(s[0]) || s[0] == '_'))
        return false;
    for (i = 1; i < n; i++) {
        if (!(ir_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return false;
    }
    return true;
}

/*
 * algorithm ":" hex. sha256 needs 64 and sha512 128 lower-case hex digits;
 * other algorithms follow the grammar ([A-Za-z][A-Za-z0-9]* joined by + . _ -,
 * then at least 32 hex digits).
 */
static bool ir_digest(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t alen, hlen, i;
    bool comp_start = true;

    if (!colon)
        return false;
    alen = (size_t)(colon - s);
    hlen = n - alen - 1;
    if (alen == 0)
        return false;
    for (i = 0; i < alen; i++) {
        char c = s[i];

        if (comp_start) {
            if (!(ir_lower(c) || ir_upper(c)))
                return false;
            comp_start = false;
        } else if (c == '+' || c == '.' || c == '_' || c == '-') {
            comp_start = true;
        } else if (!ir_alnum(c)) {
            return false;
        }
    }
    if (comp_start)
        return false;
    for (i = alen + 1; i < n; i++) {
        bool lower_hex = ir_hex_lower(s[i]);

        if (!lower_hex && !(s[i] >= 'A' && s[i] <= 'F'))
            return false;
        if (!lower_hex &&
            (alen == 6 && (memcmp(s, "sha256", 6) == 0 || memcmp(s, "sha512", 6) == 0)))
            return false;
    }
    if (alen == 6 && memcmp(s, "sha256", 6) == 0)
        return hlen == 64;
    if (alen == 6 && memcmp(s, "sha512", 6) == 0)
        return hlen == 128;
    return hlen >= 32;
}

static bool ir_is_hub(const char *host, size_t n)
{
    return bh_str_ieqn(host, n, "docker.io") || bh_str_ieqn(host, n, "index.docker.io") ||
           bh_str_ieqn(host, n, "registry-1.docker.io");
}

static char *ir_lowerdup(struct bh_arena *a, const char *s, size_t n)
{
    char *d = bh_arena_strndup(a, s, n);
    size_t i;

    for (i = 0; d && i < n; i++)
        d[i] = ir_fold(d[i]);
    return d;
}

int bh_imageref_parse(struct bh_arena *a, const char *s, struct bh_imageref *out)
{
    const char *at, *name, *tag = NULL, *digest = NULL, *slash, *colon, *path;
    size_t len, name_len, tag_len = 0, digest_len = 0, path_len, i, start;
    struct bh_imageref r;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    if (!s || !*s)
        return BH_EPARSE;
    len = strlen(s);
    r.input = bh_arena_strndup(a, s, len);
    if (!r.input)
        return BH_ENOMEM;
    if (strcmp(s, "scratch") == 0) {
        r.registry = "";
        r.repository = "scratch";
        r.is_scratch = true;
        *out = r;
        return 0;
    }

    at = memchr(s, '@', len);
    name_len = at ? (size_t)(at - s) : len;
    if (at) {
        digest = at + 1;
        digest_len = len - name_len - 1;
        if (!ir_digest(digest, digest_len))
            return BH_EPARSE;
    }
    /* a ':' after the last '/' starts the tag; one before it is a port */
    slash = NULL;
    colon = NULL;
    for (i = 0; i < name_len; i++) {
        if (s[i] == '/')
            slash = s + i, colon = NULL;
        else if (s[i] == ':' && !colon)
            colon = s + i;
    }
    if (colon) {
        tag = colon + 1;
        tag_len = name_len - (size_t)(tag - s);
        name_len = (size_t)(colon - s);
        if (!ir_tag(tag, tag_len))
            return BH_EPARSE;
    }
    name = s;
    if (name_len == 0)
        return BH_EPARSE;

    slash = memchr(name, '/', name_len);
    path = name;
    path_len = name_len;
    if (slash) {
        size_t first = (size_t)(slash - name);

        if (memchr(name, '.', first) || memchr(name, ':', first) ||
            (first == 9 && memcmp(name, "localhost", 9) == 0)) {
            if (!ir_domain(name, first))
                return BH_EPARSE;
            path = slash + 1;
            path_len = name_len - first - 1;
            if (ir_is_hub(name, first))
                r.registry = "docker.io";
            else
                r.registry = ir_lowerdup(a, name, first);
        }
    }
    if (!r.registry)
        r.registry = "docker.io";
    if (path_len == 0)
        return BH_EPARSE;
    for (start = 0, i = 0; i <= path_len; i++) {
        if (i == path_len || path[i] == '/') {
            if (!ir_path_component(path + start, i - start))
                return BH_EPARSE;
            start = i + 1;
        }
    }

    r.docker_hub = strcmp(r.registry, "docker.io") == 0;
    if (r.docker_hub && !memchr(path, '/', path_len))
        r.repository = bh_arena_printf(a, "library/%.*s", (int)path_len, path);
    else
        r.repository = bh_arena_strndup(a, path, path_len);
    /* like Docker, the length limit applies to the normalised name (docker.io/library/x) */
    if (r.repository && strlen(r.registry) + 1 + strlen(r.repository) > BH_MAX_IMAGEREF_NAME)
        return BH_EPARSE;
    r.tag = tag ? bh_arena_strndup(a, tag, tag_len) : NULL;
    r.digest = digest ? bh_arena_strndup(a, digest, digest_len) : NULL;
    if (!r.registry || !r.repository || (tag && !r.tag) || (digest && !r.digest))
        return BH_ENOMEM;
    r.official = r.docker_hub && bh_str_prefix(r.repository, "library/") &&
                 !strchr(r.repository + strlen("library/"), '/');
    r.implicit_latest = !tag && !digest;
    r.is_latest = !digest && (r.implicit_latest || strcmp(r.tag, "latest") == 0);
    *out = r;
    return 0;
}

const char *bh_imageref_canonical(struct bh_arena *a, const struct bh_imageref *r)
{
    if (!r->repository)
        return NULL;
    if (r->is_scratch)
        return bh_arena_strdup(a, "scratch");
    return bh_arena_printf(a, "%s/%s%s%s%s%s", r->registry, r->repository, r->tag ? ":" : "",
                           r->tag ? r->tag : "", r->digest ? "@" : "", r->digest ? r->digest : "");
}

/* (a, n) equals (b, n) ignoring ASCII case. */
static bool ir_ieq_n(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ir_fold(a[i]) != ir_fold(b[i]))
            return false;
    }
    return true;
}

/* Does the registry (lower case, Hub aliases folded) match the host pattern (pat, n)? */
static bool ir_host_match(const char *reg, const char *pat, size_t n)
{
    size_t rl = strlen(reg);

    if (n >= 2 && pat[0] == '*' && pat[1] == '.') {
        /* `*.example.com`: at least one label before `.example.com` */
        size_t sl = n - 1;

        return rl > sl && ir_ieq_n(reg + rl - sl, pat + 1, sl);
    }
    if (ir_is_hub(pat, n))
        return strcmp(reg, "docker.io") == 0;
    return rl == n && ir_ieq_n(reg, pat, n);
}

bool bh_imageref_match(const struct bh_imageref *r, const char *pattern)
{
    const char *slash, *path;
    size_t hl, pl, rl;

    if (!r || !pattern || !*pattern || !r->registry || !*r->registry || !r->repository)
        return false;
    slash = strchr(pattern, '/');
    hl = slash ? (size_t)(slash - pattern) : strlen(pattern);
    if (hl == 0 || !ir_host_match(r->registry, pattern, hl))
        return false;
    if (!slash)
        return true;
    path = slash + 1;
    pl = strlen(path);
    while (pl > 0 && path[pl - 1] == '/')
        pl--;
    if (pl == 0)
        return true;
    /* a namespace prefix matches whole path components: myorg/ not myorgx/ */
    rl = strlen(r->repository);
    return rl >= pl && ir_ieq_n(r->repository, path, pl) && (rl == pl || r->repository[pl] == '/');
}
