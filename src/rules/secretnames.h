/*
 * secretnames.h - names of files that hold keys and credentials, for the
 * IMG-SECRET-FILE checks on Dockerfiles and on images.
 */
#ifndef BH_SECRETNAMES_H
#define BH_SECRETNAMES_H

#include <stdbool.h>

/*
 * The pattern a file names ("id_rsa", "*.pem", ".aws/credentials", ...), or NULL.
 * base is the last component of path (without trailing "/"). Public material and
 * templates (ca.pem, *.pub.*, signing keys, .env.example, ...) never match. With dirs,
 * the key directories .ssh and .gnupg match too.
 */
const char *bh_secretname_match(const char *base, const char *path, bool dirs);

#endif
