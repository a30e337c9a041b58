/*
 * secretscan.c - finds credentials in file contents with one Vectorscan block-mode
 * database. Each pattern is a cheap trigger; a small C verifier per pattern then finds
 * the secret's extent, rejects placeholders and low-entropy values, and applies the
 * file-name conditions. It does not decide severity or which files to read: rules and
 * input/imgcollect.c do. Design notes and the pattern list: docs/internals/secrets.md.
 */
#include "input/secretscan.h"

#include "core/arena.h"
#include "core/str.h"
#include "core/limits.h"

#include <hs.h>
#include <stdint.h>

struct bh_secretscan {
    hs_database_t *db;
};

struct bh_secretscratch {
    hs_scratch_t *hs;
};

/* How a trigger is turned into a secret span; see verify(). */
enum verifier {
    V_TOKEN,       /* provider token: [from, to) + token characters, word-bounded */
    V_AFTER_EQ,    /* NAME=<base64 key>: the secret follows the first '=' */
    V_TAIL40,      /* the last 40 bytes of the match are the secret (AWS secret key) */
    V_PEM,         /* private-key header; a base64 body must follow */
    V_GCP_KEY,     /* "private_key": "-----BEGIN ..." in a JSON document */
    V_GCP_TYPE,    /* "type": "service_account" - a marker, never a hit by itself */
    V_DOCKER_AUTH, /* "auth": "<base64 user:password>" in a Docker config.json */
    V_JWT,         /* header.payload.signature */
    V_VALUE,       /* a value follows the match: npm/pypi config lines */
    V_ASSIGN,      /* secret-named key = high-entropy value */
};

/* Which file names a pattern needs (path-aware patterns). */
enum {
    P_NPMRC = 1u << 0,
    P_PYPIRC = 1u << 1,
    P_DOCKERCFG = 1u << 2,
};

struct pattern {
    const char *re;
    unsigned hsflags;
    enum verifier v;
    const char *kind;
    const char *what;
    int rank;          /* the more specific kind wins an overlap */
    const char *extra; /* token characters besides [A-Za-z0-9] (V_TOKEN, V_JWT) */
    unsigned short minlen, maxlen;
    unsigned needpath;
};

#define SOM HS_FLAG_SOM_LEFTMOST

/*
 * Our own triggers. Token formats are public facts (prefix, alphabet, length); the
 * verifiers hold the rest so the regexes stay simple enough for Vectorscan's SOM.
 */
static const struct pattern patterns[] = {
    {"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|ANY|SSH2 ENCRYPTED) )?PRIVATE KEY-----", SOM,
     V_PEM, "private-key", "private key", 50, NULL, 0, 0, 0},
    {"-----BEGIN PGP PRIVATE KEY BLOCK-----", SOM, V_PEM, "private-key", "PGP private key", 50,
     NULL, 0, 0, 0},
    {"AKIA[0-9A-Z]{16}", SOM, V_TOKEN, "aws-access-key-id", "AWS access key id", 80, NULL, 20, 20,
     0},
    {"ASIA[0-9A-Z]{16}", SOM, V_TOKEN, "aws-access-key-id", "AWS temporary access key id", 80, NULL,
     20, 20, 0},
    {"aws_?secret_?access_?key[\"']?[ \t]*(?:=>?|:=?)[ \t]*[\"']?[A-Za-z0-9/+]{40}",
     HS_FLAG_CASELESS, V_TAIL40, "aws-secret-access-key", "AWS secret access key", 80, NULL, 40, 40,
     0},
    {"\"SecretAccessKey\"[ \t]*:[ \t]*\"[A-Za-z0-9/+]{40}", 0, V_TAIL40, "aws-secret-access-key",
     "AWS secret access key", 80, NULL, 40, 40, 0},
    {"ghp_[A-Za-z0-9]{36}", SOM, V_TOKEN, "github-token", "GitHub personal access token", 80, NULL,
     40, 40, 0},
    {"gho_[A-Za-z0-9]{36}", SOM, V_TOKEN, "github-token", "GitHub OAuth token", 80, NULL, 40, 40,
     0},
    {"ghu_[A-Za-z0-9]{36}", SOM, V_TOKEN, "github-token", "GitHub user-to-server token", 80, NULL,
     40, 40, 0},
    {"ghs_[A-Za-z0-9]{36}", SOM, V_TOKEN, "github-token", "GitHub app installation token", 80, NULL,
     40, 40, 0},
    {"ghr_[A-Za-z0-9]{36}", SOM, V_TOKEN, "github-token", "GitHub refresh token", 80, NULL, 40, 40,
     0},
    {"github_pat_[A-Za-z0-9_]{30}", SOM, V_TOKEN, "github-token", "GitHub fine-grained token", 80,
     "_", 41, 255, 0},
    {"glpat-[A-Za-z0-9_-]{20}", SOM, V_TOKEN, "gitlab-token", "GitLab personal access token", 80,
     "_-", 26, 80, 0},
    {"xox[abpors]-[A-Za-z0-9-]{10}", SOM, V_TOKEN, "slack-token", "Slack token", 80, "-", 15, 255,
     0},
    {"sk_live_[A-Za-z0-9]{16}", SOM, V_TOKEN, "stripe-key", "Stripe live secret key", 80, NULL, 24,
     255, 0},
    {"rk_live_[A-Za-z0-9]{16}", SOM, V_TOKEN, "stripe-key", "Stripe restricted key", 80, NULL, 24,
     255, 0},
    {"AIza[A-Za-z0-9_-]{35}", SOM, V_TOKEN, "google-api-key", "Google API key", 80, "_-", 39, 39,
     0},
    {"\"type\"[ \t]*:[ \t]*\"service_account\"", 0, V_GCP_TYPE, "gcp-service-account", "", 0, NULL,
     0, 0, 0},
    {"\"private_key\"[ \t]*:[ \t]*\"-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----", SOM, V_GCP_KEY,
     "gcp-service-account", "GCP service account key", 90, NULL, 0, 0, 0},
    {"npm_[A-Za-z0-9]{36}", SOM, V_TOKEN, "npm-token", "npm access token", 80, NULL, 40, 40, 0},
    {"pypi-AgE[A-Za-z0-9_-]{50}", SOM, V_TOKEN, "pypi-token", "PyPI API token", 80, "_-", 58, 1024,
     0},
    {"_authToken[ \t]*=", 0, V_VALUE, "npmrc-auth", "npm registry token", 70, NULL, 8, 1024, 0},
    {"_(?:auth|password)[ \t]*=", 0, V_VALUE, "npmrc-auth", "npm registry credential in .npmrc", 70,
     NULL, 4, 1024, P_NPMRC},
    {"^[ \t]*password[ \t]*[:=]", HS_FLAG_CASELESS | HS_FLAG_MULTILINE, V_VALUE, "pypirc-password",
     "password in .pypirc", 60, NULL, 1, 1024, P_PYPIRC},
    {"\"auth\"[ \t]*:[ \t]*\"[A-Za-z0-9+/]{8}", 0, V_DOCKER_AUTH, "docker-auth",
     "registry credential in Docker config.json", 70, NULL, 8, 4096, P_DOCKERCFG},
    {"eyJ[A-Za-z0-9_-]{8,}\\.eyJ", SOM, V_JWT, "jwt", "JSON web token", 40, "_-", 36, 8192, 0},
    {"(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20}", SOM, V_AFTER_EQ, "azure-storage-key",
     "Azure storage account key", 80, "+/=", 40, 128, 0},
    {"SK[0-9a-fA-F]{32}", SOM, V_TOKEN, "twilio-api-key", "Twilio API key", 80, NULL, 34, 34, 0},
    {"SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", SOM, V_TOKEN, "sendgrid-api-key",
     "SendGrid API key", 80, "_-", 69, 69, 0},
    {"[A-Za-z0-9_.-]*(?:secret|password|passwd|passphrase|token|api_?key|secret_?key|"
     "private_?key|access_?key)[\"']?[ \t]*(?:=>?|:=?)",
     HS_FLAG_CASELESS, V_ASSIGN, "secret-assignment", "high-entropy value of a secret-named key",
     10, NULL, 16, 512, 0},
};

#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

/* Thresholds for V_ASSIGN and the placeholder floor for tokens (bits per byte). */
#define ASSIGN_MIN_ENTROPY 3.5
#define TOKEN_MIN_ENTROPY 3.0
/* How far past a private-key header its base64 body must start, and how much of it. */
#define PEM_BODY_WINDOW 512u
#define PEM_BODY_MIN 32u
/* Excerpt: at most this many bytes of line context before the secret, and in total. */
#define EXCERPT_BEFORE 40u
#define EXCERPT_MAX 120u
/* Bytes looked at by bh_secretscan_is_text. */
#define TEXT_SNIFF 8192u

/* ------------------------------------------------------------------ helpers */

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_tokch(unsigned char c, const char *extra)
{
    return is_alnum(c) || (c != 0 && extra && strchr(extra, c));
}

static bool is_b64(unsigned char c)
{
    return is_alnum(c) || c == '+' || c == '/' || c == '=';
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Case-insensitive search of needle in (p, n). */
static bool icontains(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle), i, j;

    for (i = 0; m <= n && i <= n - m; i++) {
        for (j = 0; j < m && lower((unsigned char)p[i + j]) == lower((unsigned char)needle[j]); j++)
            ;
        if (j == m)
            return true;
    }
    return false;
}

/* log2 without libm (the library does not link it): range-reduce, then the atanh series. */
static double log2_of(double x)
{
    double t, t2, term, sum = 0.0;
    int k = 0, i;

    while (x >= 2.0) {
        x /= 2.0;
        k++;
    }
    t = (x - 1.0) / (x + 1.0);
    t2 = t * t;
    term = t;
    for (i = 1; i < 40; i += 2) {
        sum += term / i;
        term *= t2;
    }
    return k + 2.0 * sum / 0.69314718055994530942;
}

/* Shannon entropy of (p, n) in bits per byte. */
static double entropy(const char *p, size_t n)
{
    unsigned counts[256] = {0};
    double h = 0.0;
    size_t i;

    if (n == 0)
        return 0.0;
    for (i = 0; i < n; i++)
        counts[(unsigned char)p[i]]++;
    for (i = 0; i < 256; i++) {
        if (counts[i])
            h += counts[i] * log2_of((double)counts[i]);
    }
    return log2_of((double)n) - h / (double)n;
}

/* Values people write where the real secret goes; never reported. */
static bool placeholder(const char *p, size_t n)
{
    static const char *const words[] = {
        "changeme", "change_me", "change-me", "example",  "xxxx",       "placeholder", "dummy",
        "your_",    "your-",     "yourtoken", "redacted", "replace_me", "replaceme",   "****",
        "${",       "{{",        "$(",        "%(",       NULL};
    size_t i;

    if (n == 0 || p[0] == '<' || p[0] == '$')
        return true;
    for (i = 0; words[i]; i++) {
        if (icontains(p, n, words[i]))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ scan context */

struct cand {
    size_t mstart; /* where the match starts (line, offset) */
    size_t s, e;   /* the secret itself (dedup, redaction) */
    unsigned pat;  /* index into patterns[] */
    int rank;
};

#define CAND_MAX BH_MAX_SECRET_HITS_PER_FILE

struct scan {
    const char *d;
    size_t n;
    unsigned pathflags;
    bool saw_gcp_type;
    int auths; /* -1 not looked yet, 0 no, 1 a `"auths"` key is present */
    struct cand c[CAND_MAX];
    size_t nc;
};

/*
 * Keep the first CAND_MAX secrets by offset, one per overlapping span: whatever order
 * Vectorscan reports in, a later-starting candidate is evicted first when full.
 */
static void add_cand(struct scan *x, const struct cand *nw)
{
    size_t i, j, last;
    bool overlap = false;

    for (i = 0; i < x->nc; i++) {
        if (nw->s < x->c[i].e && x->c[i].s < nw->e) {
            overlap = true;
            if (x->c[i].rank >= nw->rank)
                return;
        }
    }
    if (overlap) {
        for (i = 0, j = 0; i < x->nc; i++) {
            if (!(nw->s < x->c[i].e && x->c[i].s < nw->e))
                x->c[j++] = x->c[i];
        }
        x->nc = j;
    }
    if (x->nc < CAND_MAX) {
        x->c[x->nc++] = *nw;
        return;
    }
    for (i = 1, last = 0; i < x->nc; i++) {
        if (x->c[i].s > x->c[last].s)
            last = i;
    }
    if (nw->s < x->c[last].s)
        x->c[last] = *nw;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static unsigned path_flags(const char *path)
{
    const char *base;
    unsigned f = 0;

    if (!path)
        return 0;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(base, ".npmrc") == 0 || strcmp(base, "npmrc") == 0)
        f |= P_NPMRC;
    if (strcmp(base, ".pypirc") == 0)
        f |= P_PYPIRC;
    /* config.json under a .docker directory, or any path ending docker/config.json
     * (/etc/docker, kaniko's /kaniko/.docker); "mydocker/config.json" does not count */
    if (strcmp(base, "config.json") == 0 &&
        (strncmp(path, ".docker/", 8) == 0 || strstr(path, "/.docker/") != NULL ||
         strcmp(path, "docker/config.json") == 0 || ends_with(path, "/docker/config.json")))
        f |= P_DOCKERCFG;
    return f;
}

/* ---------------------------------------------------------------- verifiers */

/* Start of the key name before a `name = value` trigger end, for the reported offset. */
static size_t name_start(const char *d, size_t pos)
{
    size_t lim = pos > 256 ? pos - 256 : 0;

    while (pos > lim && strchr(" \t\"':=>", d[pos - 1]) && d[pos - 1] != '\0')
        pos--;
    while (pos > lim && (is_alnum((unsigned char)d[pos - 1]) || strchr("_.-", d[pos - 1])) &&
           d[pos - 1] != '\0')
        pos--;
    return pos;
}

/* End of the line holding pos (before "\r\n" or "\n"), looking at most lim bytes ahead so
 * that a file without newlines does not make every match scan to its end. */
static size_t line_end(const char *d, size_t n, size_t pos, size_t lim)
{
    size_t span = n - pos < lim ? n - pos : lim;
    const char *nl = memchr(d + pos, '\n', span);
    size_t e = nl ? (size_t)(nl - d) : pos + span;

    if (e > pos && d[e - 1] == '\r')
        e--;
    return e;
}

/*
 * A private-key header counts only when a base64 body follows it (after optional
 * "Proc-Type:"-style header lines), on real lines or as "\n" escapes inside a JSON or
 * shell string. Code that merely names the header ("-----BEGIN RSA PRIVATE KEY-----")
 * in a parser or a message does not.
 */
static bool pem_body(const char *d, size_t n, size_t pos, size_t *bs, size_t *be)
{
    size_t end = n - pos > PEM_BODY_WINDOW ? pos + PEM_BODY_WINDOW : n, cnt = 0;
    bool first = true;

    while (pos < end) {
        size_t ls, le, i;
        bool header = false;

        /* line break: a real one or an escaped one */
        if (d[pos] == '\r' || d[pos] == '\n') {
            pos++;
            first = false;
            continue;
        }
        if (d[pos] == '\\' && pos + 1 < end && (d[pos + 1] == 'n' || d[pos + 1] == 'r')) {
            pos += 2;
            first = false;
            continue;
        }
        if (first)
            return false; /* text after the header on its own line */
        while (pos < end && (d[pos] == ' ' || d[pos] == '\t'))
            pos++;
        ls = pos;
        for (le = ls; le < end && d[le] != '\n' && d[le] != '\r' &&
                      !(d[le] == '\\' && le + 1 < end && (d[le + 1] == 'n' || d[le + 1] == 'r'));
             le++) {
            if (d[le] == ':')
                header = true;
        }
        if (header && cnt == 0) {
            pos = le;
            continue;
        }
        if (cnt == 0)
            *bs = ls;
        for (i = ls; i < le && is_b64((unsigned char)d[i]); i++)
            cnt++;
        *be = i;
        if (i < le || cnt >= PEM_BODY_MIN)
            return cnt >= PEM_BODY_MIN;
        pos = le;
    }
    return cnt >= PEM_BODY_MIN;
}

/* Does a Docker "auth" value decode to user:password with both parts non-empty? */
static bool docker_auth_ok(const char *p, size_t n)
{
    unsigned char plain[4096];
    const unsigned char *colon;
    size_t len;

    if (bh_base64_decode(p, n, plain, sizeof(plain), &len) != 0)
        return false;
    colon = memchr(plain, ':', len);
    return colon != NULL && colon > plain && (size_t)(colon - plain) + 1 < len;
}

/* Value after an assignment trigger at pos: optional quotes; unquoted values stop at
 * whitespace and separators unless whole_line (INI files). */
static bool value_at(const char *d, size_t n, size_t pos, size_t maxlen, bool whole_line,
                     size_t *vs, size_t *ve)
{
    size_t e, le;
    char q = 0;

    while (pos < n && (d[pos] == ' ' || d[pos] == '\t' || (d[pos] == '=' && !whole_line)))
        pos++;
    le = line_end(d, n, pos, maxlen + 2);
    if (pos < le && (d[pos] == '"' || d[pos] == '\'')) {
        q = d[pos++];
    }
    for (e = pos; e < le; e++) {
        char c = d[e];

        if (q ? c == q
              : (!whole_line && (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ',' ||
                                 c == ';' || c == '&' || c == ')' || c == ']' || c == '}' ||
                                 c == '[' || c == '(' || c == '<' || c == '>')))
            break;
    }
    if (q && (e >= le || d[e] != q))
        return false; /* an unterminated quote: a multi-line value or code, not a literal */
    while (e > pos && (d[e - 1] == ' ' || d[e - 1] == '\t'))
        e--;
    if (e - pos > maxlen)
        return false;
    *vs = pos;
    *ve = e;
    return true;
}

/*
 * Is the value of `name = value` a literal secret rather than code or a location?
 * Source files assign secret-named variables from expressions all the time
 * (`token = self.next()`, `password: Optional[str]`), so an unquoted value must be a
 * whole word with a digit in it, not a dotted name or a call; quoted values pass.
 */
static bool assign_literal(const char *d, size_t n, size_t to, size_t s, size_t e)
{
    size_t len = e - s, i;
    bool digit = false, dotted = true, quoted = s > 0 && (d[s - 1] == '"' || d[s - 1] == '\'');

    if (to < n && d[to] == '=' && d[to - 1] == '=')
        return false; /* a comparison, not an assignment */
    /* a path names where the secret lives, not the secret */
    if (d[s] == '/' || d[s] == '~' || (d[s] == '.' && len > 1 && d[s + 1] == '/'))
        return false;
    for (i = s; i < e; i++) {
        unsigned char c = (unsigned char)d[i];

        if (c >= '0' && c <= '9')
            digit = true;
        else if (!is_alnum(c) && c != '_' && c != '.')
            dotted = false;
    }
    if (!digit)
        return false;
    if (!quoted) {
        if (e < n && strchr("([{,;", d[e]) && d[e] != '\0')
            return false; /* an expression continues: a call, an index, an argument list */
        if (dotted && memchr(d + s, '.', len))
            return false; /* module.attribute */
    }
    return entropy(d + s, len) >= ASSIGN_MIN_ENTROPY;
}

static bool verify(struct scan *x, unsigned id, size_t from, size_t to, struct cand *c)
{
    const struct pattern *p = &patterns[id];
    const char *d = x->d;
    size_t n = x->n, s = from, e = to, len, i;

    memset(c, 0, sizeof(*c));
    c->pat = id;
    c->rank = p->rank;
    switch (p->v) {
    case V_TOKEN:
    case V_AFTER_EQ:
        /* a token starts a word: `xAKIA...` is part of something else */
        if (s > 0 && (is_alnum((unsigned char)d[s - 1]) || d[s - 1] == '_'))
            return false;
        c->mstart = s;
        if (p->v == V_AFTER_EQ) {
            while (s < to && d[s] != '=')
                s++;
            s++;
        }
        while (e < n && e - s <= p->maxlen && is_tokch((unsigned char)d[e], p->extra))
            e++;
        len = e - s;
        if (len < p->minlen || len > p->maxlen)
            return false;
        if (placeholder(d + s, len) || entropy(d + s, len) < TOKEN_MIN_ENTROPY)
            return false;
        break;
    case V_TAIL40:
        s = to - 40;
        if (e < n && is_b64((unsigned char)d[e]))
            return false;
        if (placeholder(d + s, 40) || entropy(d + s, 40) < TOKEN_MIN_ENTROPY)
            return false;
        c->mstart = name_start(d, s);
        break;
    case V_PEM:
    case V_GCP_KEY:
        /* the secret is the body: redacted where it shares the header's line (JSON, ENV) */
        if (!pem_body(d, n, to, &s, &e))
            return false;
        c->mstart = from;
        break;
    case V_GCP_TYPE:
        x->saw_gcp_type = true;
        return false;
    case V_DOCKER_AUTH:
        if (x->auths < 0)
            x->auths = memmem(d, n, "\"auths\"", 7) != NULL;
        if (!x->auths)
            return false;
        s = to - 8;
        while (e < n && e - s <= p->maxlen && is_b64((unsigned char)d[e]))
            e++;
        if (e >= n || d[e] != '"' || e - s > p->maxlen)
            return false;
        if (placeholder(d + s, e - s) || !docker_auth_ok(d + s, e - s))
            return false;
        c->mstart = name_start(d, s);
        break;
    case V_JWT:
        if (s > 0 && is_tokch((unsigned char)d[s - 1], p->extra))
            return false;
        while (e < n && e - s <= p->maxlen && is_tokch((unsigned char)d[e], p->extra))
            e++;
        if (e >= n || d[e] != '.')
            return false;
        i = ++e;
        while (e < n && e - s <= p->maxlen && is_tokch((unsigned char)d[e], p->extra))
            e++;
        if (e - i < 16 || e - s > p->maxlen)
            return false;
        c->mstart = s;
        break;
    case V_VALUE:
    case V_ASSIGN:
        if (!value_at(d, n, to, p->maxlen, p->needpath == P_PYPIRC, &s, &e))
            return false;
        len = e - s;
        if (len < p->minlen || placeholder(d + s, len))
            return false;
        if (p->v == V_ASSIGN && !assign_literal(d, n, to, s, e))
            return false;
        c->mstart = name_start(d, to);
        break;
    }
    c->s = s;
    c->e = e;
    return true;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    struct scan *x = ctx;
    struct cand c;

    (void)flags;
    if (id >= NPATTERNS || to > x->n || from > to)
        return 0;
    if (patterns[id].needpath && !(x->pathflags & patterns[id].needpath))
        return 0;
    if (verify(x, id, (size_t)from, (size_t)to, &c))
        add_cand(x, &c);
    return 0;
}

/* ------------------------------------------------------------------ excerpt */

static size_t put_byte(char *buf, size_t o, unsigned char ch)
{
    if (ch == '\t')
        ch = ' ';
    else if (ch < 0x20 || ch == 0x7f)
        ch = '?';
    buf[o] = (char)ch;
    return o + 1;
}

/*
 * The line holding the match, at most EXCERPT_MAX bytes, with every kept secret on it
 * cut to a short prefix and "****" (not only this hit's: a line may repeat a secret).
 */
static const char *excerpt(struct bh_arena *a, const struct scan *x, const struct cand *c)
{
    const char *d = x->d;
    char buf[EXCERPT_MAX + 16];
    /* show the secret's line, or the match's when the secret starts on a later one (a key
     * body under its header) */
    size_t anchor =
        c->s > c->mstart && !memchr(d + c->mstart, '\n', c->s - c->mstart) ? c->s : c->mstart;
    size_t ls = anchor, le, pos, o = 0, k;
    size_t lim = anchor > EXCERPT_BEFORE + 8 ? anchor - EXCERPT_BEFORE - 8 : 0;

    /* the anchor may sit on a later line than mstart (a value after a line break) */
    while (ls > lim && d[ls - 1] != '\n')
        ls--;
    le = line_end(d, x->n, anchor, 2 * EXCERPT_MAX);
    while (ls < anchor && (d[ls] == ' ' || d[ls] == '\t'))
        ls++;
    pos = ls;
    if (anchor - ls > EXCERPT_BEFORE) {
        pos = anchor - EXCERPT_BEFORE;
        while (pos < anchor && ((unsigned char)d[pos] & 0xc0) == 0x80)
            pos++;
        memcpy(buf, "...", 3);
        o = 3;
    } else if (ls > 0 && d[ls - 1] != '\n' && ls == lim) {
        memcpy(buf, "...", 3);
        o = 3;
    }
    while (pos < le && o < EXCERPT_MAX) {
        const struct cand *r = NULL;

        for (k = 0; k < x->nc; k++) {
            if (x->c[k].s <= pos && pos < x->c[k].e) {
                r = &x->c[k];
                break;
            }
        }
        if (r) {
            size_t len = r->e - r->s, show = pos == r->s ? (len / 4 < 4 ? len / 4 : 4) : 0, i;

            for (i = 0; i < show && pos + i < le; i++)
                o = put_byte(buf, o, (unsigned char)d[pos + i]);
            memcpy(buf + o, "****", 4);
            o += 4;
            pos = r->e < le ? r->e : le;
            continue;
        }
        o = put_byte(buf, o, (unsigned char)d[pos++]);
    }
    if (pos < le) {
        while (o > 0 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
            o--;
        if (o > 0 && (unsigned char)buf[o - 1] >= 0xc0)
            o--;
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    return bh_arena_strndup(a, buf, o);
}

/* --------------------------------------------------------------------- API */

int bh_secretscan_new(struct bh_secretscan **out, struct bh_err *err)
{
    const char *exprs[NPATTERNS];
    unsigned flags[NPATTERNS], ids[NPATTERNS], i;
    hs_compile_error_t *cerr = NULL;
    struct bh_secretscan *s;
    hs_error_t rc;

    *out = NULL;
    for (i = 0; i < NPATTERNS; i++) {
        exprs[i] = patterns[i].re;
        flags[i] = patterns[i].hsflags;
        ids[i] = i;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory for the secret scanner");
    rc = hs_compile_multi(exprs, flags, ids, (unsigned)NPATTERNS, HS_MODE_BLOCK, NULL, &s->db,
                          &cerr);
    if (rc != HS_SUCCESS) {
        int r =
            bh_err_set(err, BH_EINTERNAL, NULL, 0, 0, "vectorscan refused secret pattern %d: %s",
                       cerr ? cerr->expression : -1, cerr ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        free(s);
        return r;
    }
    *out = s;
    return 0;
}

void bh_secretscan_free(struct bh_secretscan *s)
{
    if (!s)
        return;
    hs_free_database(s->db);
    free(s);
}

int bh_secretscan_scratch(const struct bh_secretscan *s, struct bh_secretscratch **out,
                          struct bh_err *err)
{
    struct bh_secretscratch *sc;

    *out = NULL;
    sc = calloc(1, sizeof(*sc));
    if (!sc)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory for secret scan scratch");
    if (hs_alloc_scratch(s->db, &sc->hs) != HS_SUCCESS) {
        free(sc);
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "vectorscan cannot allocate scratch");
    }
    *out = sc;
    return 0;
}

void bh_secretscratch_free(struct bh_secretscratch *sc)
{
    if (!sc)
        return;
    hs_free_scratch(sc->hs);
    free(sc);
}

static bool utf8_seq(const unsigned char *p, size_t n, size_t *adv)
{
    size_t need, i;

    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        need = 1;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        need = 2;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        need = 3;
    else
        return false;
    if (n < need + 1) {
        *adv = n; /* cut by the sniff window: give it the benefit of the doubt */
        return true;
    }
    for (i = 1; i <= need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return false;
    }
    *adv = need + 1;
    return true;
}

bool bh_secretscan_is_text(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t n = len < TEXT_SNIFF ? len : TEXT_SNIFF, i = 0, bad = 0;

    if (n == 0)
        return true;
    if (memchr(p, 0, n))
        return false;
    while (i < n) {
        unsigned char ch = p[i];
        size_t adv = 1;

        if (ch >= 0x80) {
            if (!utf8_seq(p + i, n - i, &adv)) {
                bad++;
                adv = 1;
            }
        } else if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' &&
                   ch != '\v' && ch != 0x1b && ch != '\b') {
            bad++;
        } else if (ch == 0x7f) {
            bad++;
        }
        i += adv;
    }
    /* Latin-1 or a stray control byte keeps a file text; a tenth of junk does not */
    return bad * 10 <= n;
}

static void sort_cands(struct cand *c, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        struct cand t = c[i];

        for (j = i; j > 0 && c[j - 1].mstart > t.mstart; j--)
            c[j] = c[j - 1];
        c[j] = t;
    }
}

int bh_secretscan_buf(const struct bh_secretscan *s, struct bh_secretscratch *sc,
                      struct bh_arena *a, const char *path, const char *data, size_t len,
                      struct bh_secretmatch **out, size_t *n, struct bh_err *err)
{
    struct scan x;
    struct bh_secretmatch *arr;
    size_t i, line = 1, at = 0;
    hs_error_t rc;

    if (!s || !sc || !out || !n)
        return bh_err_set(err, BH_EINTERNAL, path, 0, 0, "secret scan called without a database");
    /* the caller bounds what it reads; anything past the limit is not looked at */
    if (len > BH_MAX_SECRET_SCAN_BYTES)
        len = BH_MAX_SECRET_SCAN_BYTES;
    if (len == 0)
        return 0;
    memset(&x, 0, sizeof(x));
    x.d = data;
    x.n = len;
    x.pathflags = path_flags(path);
    x.auths = -1;
    rc = hs_scan(s->db, data, (unsigned)len, 0, sc->hs, on_match, &x);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
        return bh_err_set(err, BH_EINTERNAL, path, 0, 0, "vectorscan scan failed (error %d)",
                          (int)rc);
    if (x.nc == 0)
        return 0;
    /* a "private_key" field outside a service-account document is a plain private key */
    for (i = 0; i < x.nc; i++) {
        if (patterns[x.c[i].pat].v == V_GCP_KEY && !x.saw_gcp_type) {
            x.c[i].pat = 0;
            x.c[i].rank = patterns[0].rank;
        }
    }
    sort_cands(x.c, x.nc);
    arr = bh_arena_calloc(a, *n + x.nc, sizeof(*arr));
    if (!arr)
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory for secret matches");
    if (*n)
        memcpy(arr, *out, *n * sizeof(*arr));
    for (i = 0; i < x.nc; i++) {
        struct bh_secretmatch *m = &arr[*n + i];
        const char *nl;

        while (at < x.c[i].mstart && (nl = memchr(data + at, '\n', x.c[i].mstart - at)) != NULL) {
            line++;
            at = (size_t)(nl - data) + 1;
        }
        at = x.c[i].mstart;
        m->kind = patterns[x.c[i].pat].kind;
        m->what = patterns[x.c[i].pat].what;
        m->line = (int)line;
        m->offset = x.c[i].mstart;
        m->excerpt = excerpt(a, &x, &x.c[i]);
        if (!m->excerpt)
            return bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory for secret matches");
    }
    *out = arr;
    *n += x.nc;
    return 0;
}
