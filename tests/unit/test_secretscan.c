/*
 * test_secretscan.c - the Vectorscan secret scanner: every pattern on a well-formed
 * fake token, the near misses it must ignore, redaction, line numbers, file-name
 * conditions, binary sniffing, the hit cap and concurrent scanning.
 * Tokens are generated here from a fixed seed; none is a real credential.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/secretscan.h"

static struct bh_secretscan *db;
static struct bh_secretscratch *scr;
static struct bh_arena arena;

static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char UPNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* prefix + n random characters of alphabet, in the arena */
static char *tok(const char *prefix, const char *alphabet, size_t n)
{
    size_t pl = strlen(prefix), al = strlen(alphabet), i;
    char *s = bh_arena_alloc(&arena, pl + n + 1);

    assert_non_null(s);
    memcpy(s, prefix, pl);
    for (i = 0; i < n; i++)
        s[pl + i] = alphabet[next_rand() % al];
    s[pl + n] = '\0';
    return s;
}

static const char *cat(const char *a, const char *b, const char *c)
{
    return bh_arena_printf(&arena, "%s%s%s", a, b ? b : "", c ? c : "");
}

static size_t scan(const char *path, const char *text, struct bh_secretmatch **m)
{
    struct bh_err err;
    size_t n = 0;

    bh_err_init(&err);
    *m = NULL;
    assert_int_equal(bh_secretscan_buf(db, scr, &arena, path, text, strlen(text), m, &n, &err), 0);
    return n;
}

/* exactly one hit, of this kind */
static const struct bh_secretmatch *one(const char *path, const char *text, const char *kind)
{
    struct bh_secretmatch *m;
    size_t n = scan(path, text, &m);

    if (n != 1 || strcmp(m[0].kind, kind) != 0) {
        size_t i;

        print_message("expected one %s in <%s>, got %zu\n", kind, text, n);
        for (i = 0; i < n; i++)
            print_message("  %s line %d: %s\n", m[i].kind, m[i].line, m[i].excerpt);
        fail();
    }
    return &m[0];
}

static void none(const char *path, const char *text)
{
    struct bh_secretmatch *m;
    size_t n = scan(path, text, &m);

    if (n != 0) {
        print_message("expected nothing in <%s>, got %s: %s\n", text, m[0].kind, m[0].excerpt);
        fail();
    }
}

/* The excerpt shows no 5-byte run of the secret past its first 4 bytes. */
static void no_leak(const char *excerpt, const char *secret)
{
    size_t n = strlen(secret), i;

    for (i = 4; i + 5 <= n; i++) {
        char w[6];

        memcpy(w, secret + i, 5);
        w[5] = '\0';
        if (strstr(excerpt, w)) {
            print_message("excerpt <%s> leaks <%s> of the secret\n", excerpt, w);
            fail();
        }
    }
}

static int setup(void **state)
{
    struct bh_err err;

    (void)state;
    bh_err_init(&err);
    if (bh_secretscan_new(&db, &err) != 0) {
        print_message("compile: %s\n", err.msg);
        return -1;
    }
    if (bh_secretscan_scratch(db, &scr, &err) != 0)
        return -1;
    bh_arena_init(&arena, 256u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_secretscratch_free(scr);
    bh_secretscan_free(db);
    bh_arena_release(&arena);
    return 0;
}

static const char *pem(const char *type)
{
    return bh_arena_printf(&arena, "-----BEGIN %s-----\n%s\n%s\n-----END %s-----\n", type,
                           tok("MII", B64, 61), tok("", B64, 64), type);
}

static void private_key_headers(void **state)
{
    static const char *const types[] = {
        "RSA PRIVATE KEY",       "EC PRIVATE KEY", "DSA PRIVATE KEY",       "OPENSSH PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY", "PRIVATE KEY",    "PGP PRIVATE KEY BLOCK", NULL};
    const struct bh_secretmatch *m;
    size_t i;

    (void)state;
    for (i = 0; types[i]; i++) {
        m = one("id_rsa", cat("# key\n", pem(types[i]), NULL), "private-key");
        assert_int_equal(m->line, 2);
        assert_int_equal(m->offset, 6);
        assert_string_equal(m->excerpt, bh_arena_printf(&arena, "-----BEGIN %s-----", types[i]));
    }
    /* legacy encrypted PEM: header lines before the body */
    one(NULL,
        cat("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n",
            tok("", B64, 64), "\n-----END RSA PRIVATE KEY-----\n"),
        "private-key");
    /* PGP armour with a Version header */
    one(NULL,
        cat("-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n", tok("lQ", B64, 62),
            "\n"),
        "private-key");
    /* escaped inside a string (JSON, an ENV line) */
    one(NULL, cat("KEY=\"-----BEGIN OPENSSH PRIVATE KEY-----\\n", tok("b3Bl", B64, 60), "\\n\""),
        "private-key");
}

static void private_key_near_misses(void **state)
{
    (void)state;
    none(NULL, pem("CERTIFICATE"));
    none(NULL, pem("PUBLIC KEY"));
    none(NULL, pem("RSA PUBLIC KEY"));
    none(NULL, pem("CERTIFICATE REQUEST"));
    /* code that names the header */
    none(NULL, "#define PEM_RSA \"-----BEGIN RSA PRIVATE KEY-----\"\n"
               "if (strncmp(line, PEM_RSA, 31) == 0) {\n");
    none(NULL, "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n");
    none(NULL, "-----BEGIN PRIVATE KEY-----");
}

static void aws_keys(void **state)
{
    const struct bh_secretmatch *m;
    const char *id = tok("AKIA", UPNUM, 16), *sk = tok("", B64, 40);

    (void)state;
    m = one(NULL, cat("export AWS_ACCESS_KEY_ID=", id, "\n"), "aws-access-key-id");
    assert_string_equal(m->what, "AWS access key id");
    assert_string_equal(m->excerpt, "export AWS_ACCESS_KEY_ID=AKIA****");
    assert_int_equal(m->offset, strlen("export AWS_ACCESS_KEY_ID="));
    one(NULL, cat("key: ", tok("ASIA", UPNUM, 16), NULL), "aws-access-key-id");

    m = one("root/.aws/credentials", cat("[default]\naws_secret_access_key = ", sk, "\n"),
            "aws-secret-access-key");
    assert_int_equal(m->line, 2);
    no_leak(m->excerpt, sk);
    one(NULL, cat("{\"AccessKeyId\": \"x\", \"SecretAccessKey\": \"", sk, "\"}"),
        "aws-secret-access-key");
    one(NULL, cat("AWS_SECRET_ACCESS_KEY=", sk, NULL), "aws-secret-access-key");
}

static void aws_near_misses(void **state)
{
    (void)state;
    none(NULL, cat("id=", tok("AKIA", UPNUM, 15), "\n"));   /* too short */
    none(NULL, cat("id=", tok("AKIA", UPNUM, 17), "\n"));   /* a longer word */
    none(NULL, cat("id=x", tok("AKIA", UPNUM, 16), "\n"));  /* inside a word */
    none(NULL, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"); /* the documented example */
    none(NULL, "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\n"); /* placeholder */
    none(NULL, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    /* not 40 characters: not the AWS format, though still a high-entropy named value */
    {
        struct bh_secretmatch *m;
        size_t n = scan(NULL, cat("aws_secret_access_key = ", tok("", B64, 41), "\n"), &m);

        assert_int_equal(n, 1);
        assert_string_equal(m[0].kind, "secret-assignment");
    }
}

static void provider_tokens(void **state)
{
    static const struct {
        const char *prefix, *alphabet;
        size_t n;
        const char *kind;
    } cases[] = {
        {"ghp_", ALNUM, 36, "github-token"},   {"gho_", ALNUM, 36, "github-token"},
        {"ghu_", ALNUM, 36, "github-token"},   {"ghs_", ALNUM, 36, "github-token"},
        {"ghr_", ALNUM, 36, "github-token"},   {"github_pat_11", ALNUM, 80, "github-token"},
        {"glpat-", ALNUM, 20, "gitlab-token"}, {"xoxb-1234567890-", ALNUM, 24, "slack-token"},
        {"xoxp-", ALNUM, 40, "slack-token"},   {"sk_live_", ALNUM, 24, "stripe-key"},
        {"rk_live_", ALNUM, 24, "stripe-key"}, {"AIza", URL64, 35, "google-api-key"},
        {"npm_", ALNUM, 36, "npm-token"},      {"pypi-AgEIcHlwaS5vcmc", URL64, 60, "pypi-token"},
        {"SK", HEX, 32, "twilio-api-key"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *t = tok(cases[i].prefix, cases[i].alphabet, cases[i].n);
        const struct bh_secretmatch *m = one(NULL, cat("token: \"", t, "\"\n"), cases[i].kind);

        assert_int_equal(m->offset, 8);
        assert_non_null(strstr(m->excerpt, "****"));
        no_leak(m->excerpt, t);
    }
    /* SendGrid: SG.<22>.<43> */
    one(NULL, cat("SENDGRID=", tok("SG.", URL64, 22), tok(".", URL64, 43)), "sendgrid-api-key");
    /* a JWT: header.payload.signature */
    one(NULL,
        cat("Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
            tok("eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6", URL64, 20), tok(".", URL64, 43)),
        "jwt");
    /* Azure storage connection string */
    one(NULL,
        cat("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=", tok("", B64, 86),
            "==;EndpointSuffix=core.windows.net"),
        "azure-storage-key");
}

static void provider_near_misses(void **state)
{
    (void)state;
    none(NULL, cat("x ", tok("ghp_", ALNUM, 35), " y"));      /* one short */
    none(NULL, "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"); /* placeholder */
    none(NULL, "GITHUB_TOKEN=ghp_000000000000000000000000000000000000\n");
    none(NULL, "sk_test_4eC39HqLyjWDarjtT1zdp7dc\n"); /* test mode is not a live key */
    none(NULL, cat("xoxb-", "123", NULL));
    none(NULL, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.\n"); /* unsigned */
    none(NULL, "glpat-short\n");
    none(NULL, "AccountKey=${AZURE_KEY}\n");
}

static void gcp_service_account(void **state)
{
    const char *body = tok("MIIE", B64, 60);
    const char *doc = bh_arena_printf(&arena,
                                      "{\n  \"type\": \"service_account\",\n"
                                      "  \"project_id\": \"demo\",\n"
                                      "  \"private_key_id\": \"%s\",\n"
                                      "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n%s\\n"
                                      "-----END PRIVATE KEY-----\\n\",\n"
                                      "  \"client_email\": \"x@demo.iam.gserviceaccount.com\"\n}\n",
                                      tok("", HEX, 40), body);
    const struct bh_secretmatch *m = one("app/credentials.json", doc, "gcp-service-account");

    (void)state;
    assert_int_equal(m->line, 5);
    no_leak(m->excerpt, body);
    /* the same field outside a service-account document is just a private key */
    one(NULL,
        bh_arena_printf(&arena, "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n%s\\n\"}", body),
        "private-key");
    none(NULL, "{\"type\": \"service_account\", \"private_key\": \"\"}");
}

static void npm_and_pypi_config(void **state)
{
    const char *t = tok("", ALNUM, 36);
    const struct bh_secretmatch *m;

    (void)state;
    m = one("root/.npmrc", cat("registry=https://r.example/\n//r.example/:_authToken=", t, "\n"),
            "npmrc-auth");
    assert_int_equal(m->line, 2);
    no_leak(m->excerpt, t);
    /* _authToken is specific enough anywhere, e.g. echoed in a RUN line */
    one(NULL, cat("RUN echo \"//registry.npmjs.org/:_authToken=", t, "\" > .npmrc"), "npmrc-auth");
    none("root/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
    /* an npm token as the value: the more specific kind, once */
    one("root/.npmrc", cat("//registry.npmjs.org/:_authToken=", tok("npm_", ALNUM, 36), NULL),
        "npm-token");
    /* _auth only counts in an npmrc */
    one("usr/etc/npmrc", cat("_auth=", tok("", B64, 24), NULL), "npmrc-auth");
    none("app/settings.ini", cat("_auth=", tok("", B64, 24), NULL));

    m = one("home/u/.pypirc", "[pypi]\nusername = alice\npassword = hunter2 and more\n",
            "pypirc-password");
    assert_int_equal(m->line, 3);
    assert_null(strstr(m->excerpt, "hunter2"));
    assert_null(strstr(m->excerpt, "more"));
    none("home/u/setup.cfg", "[pypi]\nusername = alice\npassword = hunter2 and more\n");
    none("home/u/.pypirc", "[pypi]\npassword = <your password>\n");
    one("home/u/.pypirc",
        cat("[pypi]\nusername = __token__\npassword = ", tok("pypi-AgEIcHlwaS5vcmc", URL64, 70),
            "\n"),
        "pypi-token");
}

static void docker_config_is_path_aware(void **state)
{
    /* base64("builder:s3cret-pass") */
    const char *doc = "{\n  \"auths\": {\n    \"https://index.docker.io/v1/\": {\n"
                      "      \"auth\": \"YnVpbGRlcjpzM2NyZXQtcGFzcw==\"\n    }\n  }\n}\n";
    const struct bh_secretmatch *m;

    (void)state;
    m = one("root/.docker/config.json", doc, "docker-auth");
    assert_int_equal(m->line, 4);
    assert_null(strstr(m->excerpt, "YnVpbGRlcjpz"));
    one(".docker/config.json", doc, "docker-auth");
    one("kaniko/.docker/config.json", doc, "docker-auth");
    one("etc/docker/config.json", doc, "docker-auth");
    none("app/config.json", doc);
    none("root/mydocker/config.json", doc);
    none("root/.docker/other.json", doc);
    none(NULL, doc);
    /* base64("justoneword"): no user:password inside */
    none("root/.docker/config.json", "{\"auths\": {\"r\": {\"auth\": \"anVzdG9uZXdvcmQ=\"}}}");
    /* an "auth" key in a config.json without auths is something else */
    none("root/.docker/config.json", "{\"auth\": \"YnVpbGRlcjpzM2NyZXQtcGFzcw==\"}");
}

static void secret_assignments(void **state)
{
    const char *v = tok("x9", ALNUM, 22); /* a digit: unquoted code-like words need one */
    const struct bh_secretmatch *m;

    (void)state;
    m = one(".env", cat("# db\nDB_PASSWORD=", v, "\n"), "secret-assignment");
    assert_int_equal(m->line, 2);
    assert_int_equal(m->offset, 5);
    no_leak(m->excerpt, v);
    assert_non_null(strstr(m->excerpt, "DB_PASSWORD="));
    one(NULL, cat("  client_secret: \"", v, "\"\n"), "secret-assignment");
    one(NULL, cat("APP_TOKEN='", v, "'"), "secret-assignment");
    one(NULL, cat("$password = '", v, "';"), "secret-assignment");
    one(NULL, cat("{\"api_key\": \"", v, "\"}"), "secret-assignment");
    /* a known format under a secret name: the format wins, once */
    one(NULL, cat("GITHUB_TOKEN=", tok("ghp_", ALNUM, 36), NULL), "github-token");
}

static void assignment_near_misses(void **state)
{
    (void)state;
    none(NULL, "DB_PASSWORD=changeme_changeme_1234\n");
    none(NULL, "API_TOKEN=${TOKEN}\n");
    none(NULL, "API_TOKEN=$(cat /run/secrets/api_token)\n");
    none(NULL, "SECRET=aaaaaaaaaaaaaaaaaaaaaaaa\n");
    none(NULL, "PASSWORD=passwordpassword\n");                 /* low entropy */
    none(NULL, cat("DB_PASSWORD=", tok("", ALNUM, 10), "\n")); /* too short */
    none(NULL, "ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n");
    none(NULL, "ENV GPG_KEYS 7169605F62C751356D054A26A821E680E5FA6305\n");
    none(NULL, cat("TOKEN_URL=https://", tok("", ALNUM, 30), ".example/\n"));
    none(NULL, "SECRET_FILE=/run/secrets/db_password_file_x1\n");
    none(NULL, "api_key: <your-api-key-goes-here>\n");
    none(NULL, "password: your_password_here_12345\n");
    none(NULL, "password = os.environ.get(\"DB_PASSWORD\", None)\n");
    /* code, not literals */
    none(NULL, "        token = self.next_token2(value, Name.Function)\n");
    none(NULL, "    def f(self, password: typing.Optional[str2] = None):\n");
    none(NULL, "    if token == Comment123abcdefXYZ:\n");
    none(NULL, "upper_token = lowercase_token2.upper()\n");
    none(NULL, "_M_token = _S_token_identifier_x;\n"); /* an identifier: no digit */
    none(NULL, "private_key = CERTIFICATE_PRIVATE_KEY3,\n");
}

static void lines_offsets_and_order(void **state)
{
    const char *a = tok("AKIA", UPNUM, 16), *g = tok("ghp_", ALNUM, 36);
    const char *doc = bh_arena_printf(&arena, "one\ntwo\nx=%s\n\n\n\ny: %s\r\nz=%s\n", g, a, a);
    struct bh_secretmatch *m;
    size_t n = scan(NULL, doc, &m), i;

    (void)state;
    assert_int_equal(n, 3);
    assert_int_equal(m[0].line, 3);
    assert_string_equal(m[0].kind, "github-token");
    assert_int_equal(m[1].line, 7);
    assert_int_equal(m[2].line, 8);
    for (i = 0; i < n; i++) {
        assert_true(m[i].offset < strlen(doc));
        if (i > 0)
            assert_true(m[i].offset > m[i - 1].offset);
        assert_null(strchr(m[i].excerpt, '\r'));
    }
    assert_memory_equal(doc + m[1].offset, a, 20);
    assert_memory_equal(doc + m[0].offset, g, 40);
}

static void redaction_never_leaks(void **state)
{
    const char *secrets[8];
    const char *doc;
    struct bh_secretmatch *m;
    size_t n, i, k;

    (void)state;
    secrets[0] = tok("AKIA", UPNUM, 16);
    secrets[1] = tok("ghp_", ALNUM, 36);
    secrets[2] = tok("z4", ALNUM, 28);
    secrets[3] = tok("sk_live_", ALNUM, 30);
    secrets[4] = tok("", B64, 40);
    secrets[5] = tok("xoxb-", ALNUM, 30);
    secrets[6] = tok("npm_", ALNUM, 36);
    secrets[7] = tok("glpat-", ALNUM, 20);
    /* the same secret twice on one line must be redacted both times */
    doc = bh_arena_printf(&arena,
                          "A=%s B=%s\nexport MY_SECRET=%s\ncurl -H 'Authorization: %s' "
                          "x\naws_secret_access_key=%s\nSLACK=%s # again %s\n"
                          "%s\n//r/:_authToken=%s\n",
                          secrets[0], secrets[1], secrets[2], secrets[3], secrets[4], secrets[5],
                          secrets[5], secrets[6], secrets[7]);
    n = scan(NULL, doc, &m);
    assert_int_equal(n, 9);
    for (i = 0; i < n; i++) {
        assert_true(strlen(m[i].excerpt) <= 130);
        for (k = 0; k < 8; k++)
            no_leak(m[i].excerpt, secrets[k]);
    }
}

static void long_lines_are_trimmed(void **state)
{
    char pad[301];
    const char *t = tok("ghp_", ALNUM, 36);
    const struct bh_secretmatch *m;

    (void)state;
    memset(pad, 'a', 300);
    pad[300] = '\0';
    m = one(NULL, cat(pad, " ", cat(t, " ", pad)), "github-token");
    assert_true(strlen(m->excerpt) <= 130);
    assert_true(strncmp(m->excerpt, "...", 3) == 0);
    assert_non_null(strstr(m->excerpt, "ghp_****"));
    assert_true(strcmp(m->excerpt + strlen(m->excerpt) - 3, "...") == 0);
    /* control bytes never reach the excerpt */
    m = one(NULL, cat("\x1b[31mkey=", tok("AKIA", UPNUM, 16), "\x07"), "aws-access-key-id");
    assert_null(strchr(m->excerpt, '\x1b'));
    assert_null(strchr(m->excerpt, '\x07'));
}

static void binary_detection(void **state)
{
    unsigned char bin[4096];
    char latin1[200];
    size_t i;

    (void)state;
    assert_true(bh_secretscan_is_text("plain text\nline two\n", 20));
    assert_true(bh_secretscan_is_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\n", 15));
    assert_true(bh_secretscan_is_text("", 0));
    assert_false(bh_secretscan_is_text("ab\0cd", 5));
    for (i = 0; i < sizeof(bin); i++)
        bin[i] = (unsigned char)(next_rand() % 254 + 1); /* no NUL, mostly junk */
    assert_false(bh_secretscan_is_text(bin, sizeof(bin)));
    /* a Latin-1 file with a few accented bytes is still text */
    memset(latin1, 'e', sizeof(latin1));
    latin1[10] = (char)0xe9;
    latin1[50] = (char)0xe8;
    assert_true(bh_secretscan_is_text(latin1, sizeof(latin1)));
    /* a NUL past the sniff window does not make it binary */
    {
        char *big = bh_arena_alloc(&arena, 20000);

        memset(big, 'x', 20000);
        big[15000] = '\0';
        assert_true(bh_secretscan_is_text(big, 20000));
        big[100] = '\0';
        assert_false(bh_secretscan_is_text(big, 20000));
    }
}

static void hit_cap_and_append(void **state)
{
    struct bh_secretmatch *m = NULL;
    struct bh_err err;
    char *doc = bh_arena_alloc(&arena, 50 * 32);
    size_t n = 0, o = 0, i;

    (void)state;
    bh_err_init(&err);
    for (i = 0; i < 50; i++) {
        const char *t = tok("AKIA", UPNUM, 16);

        memcpy(doc + o, "k=", 2);
        memcpy(doc + o + 2, t, 20);
        doc[o + 22] = '\n';
        o += 23;
    }
    doc[o] = '\0';
    assert_int_equal(bh_secretscan_buf(db, scr, &arena, NULL, doc, o, &m, &n, &err), 0);
    assert_int_equal(n, BH_MAX_SECRET_HITS_PER_FILE);
    for (i = 0; i < n; i++)
        assert_int_equal(m[i].line, (int)i + 1); /* the first ones, in order */
    /* a second call appends and keeps what was there */
    assert_int_equal(bh_secretscan_buf(db, scr, &arena, NULL, doc, 23, &m, &n, &err), 0);
    assert_int_equal(n, BH_MAX_SECRET_HITS_PER_FILE + 1);
    assert_int_equal(m[0].line, 1);
    assert_int_equal(m[n - 1].line, 1);
    assert_string_equal(m[n - 1].kind, "aws-access-key-id");
}

struct worker {
    const char *doc;
    size_t expect;
    int failures;
};

static void *worker_main(void *p)
{
    struct worker *w = p;
    struct bh_secretscratch *sc = NULL;
    struct bh_err err;
    int i;

    bh_err_init(&err);
    if (bh_secretscan_scratch(db, &sc, &err) != 0) {
        w->failures++;
        return NULL;
    }
    for (i = 0; i < 200; i++) {
        struct bh_arena a;
        struct bh_secretmatch *m = NULL;
        size_t n = 0;

        bh_arena_init(&a, 16u << 20);
        if (bh_secretscan_buf(db, sc, &a, "root/.docker/config.json", w->doc, strlen(w->doc), &m,
                              &n, &err) != 0 ||
            n != w->expect)
            w->failures++;
        bh_arena_release(&a);
    }
    bh_secretscratch_free(sc);
    return NULL;
}

static void threads_share_the_database(void **state)
{
    struct worker w[4];
    pthread_t th[4];
    struct bh_secretmatch *m;
    const char *doc;
    size_t n, i;

    (void)state;
    doc = bh_arena_printf(&arena,
                          "{\"auths\": {\"r\": {\"auth\": \"YnVpbGRlcjpzM2NyZXQtcGFzcw==\"}}}\n"
                          "%s\n%s\n%s\nTOKEN=%s\n",
                          tok("AKIA", UPNUM, 16), tok("ghp_", ALNUM, 36), pem("RSA PRIVATE KEY"),
                          tok("q7", ALNUM, 28));
    n = scan("root/.docker/config.json", doc, &m);
    assert_int_equal(n, 5);
    for (i = 0; i < 4; i++) {
        w[i].doc = doc;
        w[i].expect = n;
        w[i].failures = 0;
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(w[i].failures, 0);
    }
}

static void scan_is_bounded(void **state)
{
    size_t len = BH_MAX_SECRET_SCAN_BYTES + 100;
    char *big = bh_arena_alloc(&arena, len + 1);
    const char *t = tok("ghp_", ALNUM, 36);
    struct bh_secretmatch *m = NULL;
    struct bh_err err;
    size_t n = 0;

    (void)state;
    bh_err_init(&err);
    memset(big, '\n', len);
    memcpy(big + 10, t, 40);
    memcpy(big + len - 50, t, 40); /* past the bound: not looked at */
    assert_int_equal(bh_secretscan_buf(db, scr, &arena, NULL, big, len, &m, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].line, 11);
}

static void out_of_memory_is_an_error(void **state)
{
    struct bh_arena small;
    struct bh_secretmatch *m = NULL;
    struct bh_err err;
    const char *doc = cat("k=", tok("AKIA", UPNUM, 16), "\n");
    size_t n = 0;

    (void)state;
    bh_err_init(&err);
    bh_arena_init(&small, 16); /* too small for even the match array */
    assert_int_equal(bh_secretscan_buf(db, scr, &small, NULL, doc, strlen(doc), &m, &n, &err),
                     BH_ENOMEM);
    assert_int_equal(err.code, BH_ENOMEM);
    assert_int_equal(n, 0);
    bh_arena_release(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(private_key_headers),
        cmocka_unit_test(private_key_near_misses),
        cmocka_unit_test(aws_keys),
        cmocka_unit_test(aws_near_misses),
        cmocka_unit_test(provider_tokens),
        cmocka_unit_test(provider_near_misses),
        cmocka_unit_test(gcp_service_account),
        cmocka_unit_test(npm_and_pypi_config),
        cmocka_unit_test(docker_config_is_path_aware),
        cmocka_unit_test(secret_assignments),
        cmocka_unit_test(assignment_near_misses),
        cmocka_unit_test(lines_offsets_and_order),
        cmocka_unit_test(redaction_never_leaks),
        cmocka_unit_test(long_lines_are_trimmed),
        cmocka_unit_test(binary_detection),
        cmocka_unit_test(hit_cap_and_append),
        cmocka_unit_test(threads_share_the_database),
        cmocka_unit_test(scan_is_bounded),
        cmocka_unit_test(out_of_memory_is_an_error),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
