/*
 * jsonw.c - the streaming JSON writer (see jsonw.h). Strings that came from
 * input are validated and escaped here, in one place: control characters
 * (C0, DEL, C1) and U+2028/U+2029 as \uXXXX, invalid UTF-8 as U+FFFD. It does
 * not buffer: each call writes straight to the stream, errors are sticky.
 */
#include "report/jsonw.h"

#include "core/err.h"

#include <string.h>

size_t bh_jsonw_utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len, i;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        len = 2;
        c = p[0] & 0x1fu;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        len = 3;
        c = p[0] & 0x0fu;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        len = 4;
        c = p[0] & 0x07u;
    } else {
        return 0; /* continuation byte, 0xc0/0xc1 (always overlong) or 0xf5.. */
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0u) != 0x80u)
            return 0;
        c = (c << 6) | (p[i] & 0x3fu);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

void bh_jsonw_init(struct bh_jsonw *w, FILE *out, bool pretty)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->pretty = pretty;
}

static void flush(struct bh_jsonw *w)
{
    if (!w->err && w->blen && fwrite(w->buf, 1, w->blen, w->out) != w->blen)
        w->err = BH_EIO;
    w->blen = 0;
}

static void put(struct bh_jsonw *w, const char *s, size_t n)
{
    if (w->err || !n)
        return;
    if (n > sizeof(w->buf) - w->blen) {
        flush(w);
        if (n > sizeof(w->buf)) {
            if (!w->err && fwrite(s, 1, n, w->out) != n)
                w->err = BH_EIO;
            return;
        }
    }
    memcpy(w->buf + w->blen, s, n);
    w->blen += n;
}

static void puts_(struct bh_jsonw *w, const char *s)
{
    put(w, s, strlen(s));
}

static void newline_indent(struct bh_jsonw *w)
{
    static const char spaces[] = "                                ";
    int n = w->depth * 2;

    if (!w->pretty)
        return;
    put(w, "\n", 1);
    while (n > 0) {
        int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;

        put(w, spaces, (size_t)k);
        n -= k;
    }
}

/* Separator and indentation before any value or key. */
static void before_item(struct bh_jsonw *w, bool is_key)
{
    if (w->after_key) {
        if (is_key && !w->err)
            w->err = BH_EINTERNAL;
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->is_object[w->depth - 1] != is_key && !w->err)
        w->err = BH_EINTERNAL; /* a bare value in an object, or a key in an array */
    if (w->has_items[w->depth - 1])
        put(w, ",", 1);
    w->has_items[w->depth - 1] = true;
    newline_indent(w);
}

static void begin(struct bh_jsonw *w, bool object)
{
    before_item(w, false);
    if (w->depth >= BH_JSONW_MAX_DEPTH) {
        if (!w->err)
            w->err = BH_EINTERNAL;
        return;
    }
    put(w, object ? "{" : "[", 1);
    w->is_object[w->depth] = object;
    w->has_items[w->depth] = false;
    w->depth++;
}

static void end(struct bh_jsonw *w, bool object)
{
    if (w->depth == 0 || w->is_object[w->depth - 1] != object || w->after_key) {
        if (!w->err)
            w->err = BH_EINTERNAL;
        return;
    }
    w->depth--;
    if (w->has_items[w->depth])
        newline_indent(w);
    put(w, object ? "}" : "]", 1);
}

void bh_jsonw_begin_object(struct bh_jsonw *w)
{
    begin(w, true);
}

void bh_jsonw_end_object(struct bh_jsonw *w)
{
    end(w, true);
}

void bh_jsonw_begin_array(struct bh_jsonw *w)
{
    begin(w, false);
}

void bh_jsonw_end_array(struct bh_jsonw *w)
{
    end(w, false);
}

static void quoted(struct bh_jsonw *w, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;

    put(w, "\"", 1);
    while (i < len) {
        uint32_t cp;
        size_t k = bh_jsonw_utf8_next(p + i, len - i, &cp);
        char esc[8];
        const char *rep = NULL;

        if (k == 0) {
            rep = "\xef\xbf\xbd"; /* U+FFFD for one invalid byte */
            k = 1;
        } else if (cp == '"') {
            rep = "\\\"";
        } else if (cp == '\\') {
            rep = "\\\\";
        } else if (cp == '\n') {
            rep = "\\n";
        } else if (cp == '\t') {
            rep = "\\t";
        } else if (cp == '\r') {
            rep = "\\r";
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
            rep = esc;
        }
        if (rep) {
            put(w, s + i - run, run);
            run = 0;
            puts_(w, rep);
        } else {
            run += k;
        }
        i += k;
    }
    put(w, s + i - run, run);
    put(w, "\"", 1);
}

void bh_jsonw_key(struct bh_jsonw *w, const char *key)
{
    before_item(w, true);
    quoted(w, key, strlen(key));
    put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void bh_jsonw_stringn(struct bh_jsonw *w, const char *s, size_t len)
{
    before_item(w, false);
    quoted(w, s, len);
}

void bh_jsonw_string(struct bh_jsonw *w, const char *s)
{
    if (!s)
        bh_jsonw_null(w);
    else
        bh_jsonw_stringn(w, s, strlen(s));
}

void bh_jsonw_int(struct bh_jsonw *w, long long v)
{
    char num[32];

    before_item(w, false);
    snprintf(num, sizeof(num), "%lld", v);
    puts_(w, num);
}

void bh_jsonw_tenths(struct bh_jsonw *w, long long tenths)
{
    char num[48];
    unsigned long long m =
        tenths < 0 ? 0ull - (unsigned long long)tenths : (unsigned long long)tenths;

    before_item(w, false);
    snprintf(num, sizeof(num), "%s%llu.%llu", tenths < 0 ? "-" : "", m / 10, m % 10);
    puts_(w, num);
}

void bh_jsonw_bool(struct bh_jsonw *w, bool v)
{
    before_item(w, false);
    puts_(w, v ? "true" : "false");
}

void bh_jsonw_null(struct bh_jsonw *w)
{
    before_item(w, false);
    puts_(w, "null");
}

void bh_jsonw_kv_string(struct bh_jsonw *w, const char *key, const char *s)
{
    bh_jsonw_key(w, key);
    bh_jsonw_string(w, s);
}

void bh_jsonw_kv_int(struct bh_jsonw *w, const char *key, long long v)
{
    bh_jsonw_key(w, key);
    bh_jsonw_int(w, v);
}

void bh_jsonw_kv_bool(struct bh_jsonw *w, const char *key, bool v)
{
    bh_jsonw_key(w, key);
    bh_jsonw_bool(w, v);
}

int bh_jsonw_finish(struct bh_jsonw *w)
{
    if ((w->depth != 0 || w->after_key) && !w->err)
        w->err = BH_EINTERNAL;
    put(w, "\n", 1);
    flush(w);
    if (!w->err && ferror(w->out))
        w->err = BH_EIO;
    return w->err;
}
