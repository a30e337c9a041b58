/*
 * shared_images.h - the image archives in ../shared/testdata/images for unit tests.
 * Include after <cmocka.h>. A missing file fails the test; it never skips it.
 */
#ifndef BH_TEST_SHARED_IMAGES_H
#define BH_TEST_SHARED_IMAGES_H

#include <stdio.h>
#include <unistd.h>

#define IMAGES BH_SOURCE_ROOT "/../shared/testdata/images/"

/* The path of rel under the shared images directory (a static buffer). */
static inline const char *data(const char *rel)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s%s", IMAGES, rel);
    if (access(path, R_OK) != 0)
        fail_msg("test data missing: %s (this test needs ../shared/testdata next to the "
                 "repository, see its README.md)",
                 path);
    return path;
}

#endif
