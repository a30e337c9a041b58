/*
 * secretnames.c - the file names that hold keys and credentials (id_rsa,
 * *.pem, .npmrc, .aws/credentials, ...), shared by IMG-SECRET-FILE's Dockerfile
 * check (COPY/ADD destinations) and its image check (files in every layer).
 */
#include "rules/secretnames.h"

#include "core/str.h"

#include <fnmatch.h>
#include <string.h>

static const char *const key_globs[] = {"id_rsa",
                                        "id_dsa",
                                        "id_ecdsa",
                                        "id_ed25519",
                                        "id_ecdsa_sk",
                                        "id_ed25519_sk",
                                        "*.pem",
                                        "*.key",
                                        "*.p12",
                                        "*.pfx",
                                        "*.jks",
                                        "*.keystore",
                                        ".npmrc",
                                        ".pypirc",
                                        ".netrc",
                                        "_netrc",
                                        ".git-credentials",
                                        ".env",
                                        ".env.*",
                                        "credentials.json",
                                        "*.tfstate",
                                        "*.tfstate.backup",
                                        ".htpasswd",
                                        "ssh_host_*_key",
                                        ".pgpass",
                                        ".s3cfg",
                                        ".dockercfg",
                                        "*.ovpn",
                                        NULL};
/* Multi-component names matched as a path suffix. */
static const char *const key_paths[] = {".docker/config.json", ".aws/credentials", ".kube/config",
                                        ".config/gcloud/credentials.db", NULL};
/* Whole directories that hold private keys. */
static const char *const key_dirs[] = {".ssh", ".gnupg", NULL};

/* Names that match a key pattern but are public material or templates. */
static bool key_name_public(const char *b)
{
    static const char *const pub[] = {
        "cert",  "chain", "cacert",  "ca-bundle", "ca-certificates", "public",  "pubkey",
        ".pub.", "gpg",   "archive", "signing",   "release",         "keyring", NULL};
    static const char *const tmpl[] = {".env.example", ".env.sample",   ".env.template",
                                       ".env.dist",    ".env.defaults", NULL};
    size_t i;

    for (i = 0; tmpl[i]; i++) {
        if (bh_str_ieq(b, tmpl[i]))
            return true;
    }
    if (bh_str_isuffix(b, ".pem") || bh_str_isuffix(b, ".key")) {
        if (bh_str_ieq(b, "ca.pem") || bh_str_iprefix(b, "ca-") || bh_str_iprefix(b, "ca."))
            return true;
        for (i = 0; pub[i]; i++) {
            if (bh_str_icontains(b, pub[i]))
                return true;
        }
    }
    return false;
}

const char *bh_secretname_match(const char *base, const char *path, bool dirs)
{
    size_t i, n;

    if (!base || !*base || key_name_public(base))
        return NULL;
    for (i = 0; key_globs[i]; i++) {
        if (fnmatch(key_globs[i], base, 0) == 0)
            return key_globs[i];
    }
    n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    for (i = 0; key_paths[i]; i++) {
        size_t l = strlen(key_paths[i]);

        if (n >= l && strncmp(path + n - l, key_paths[i], l) == 0 &&
            (n == l || path[n - l - 1] == '/'))
            return key_paths[i];
    }
    for (i = 0; dirs && key_dirs[i]; i++) {
        if (strcmp(base, key_dirs[i]) == 0)
            return key_dirs[i];
    }
    return NULL;
}
