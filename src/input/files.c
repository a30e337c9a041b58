/*
 * files.c - bounded whole-file reads into the scan arena.
 */
#include "input/files.h"

#include "core/arena.h"
#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bh_file_read(struct bh_arena *a, const char *path, size_t max, char **data, size_t *len,
                 struct bh_err *err)
{
    struct bh_buf b = BH_BUF_INIT(max);
    char chunk[65536];
    int fd, rc = 0;
    ssize_t n;

    *data = NULL;
    *len = 0;
    if (!strcmp(path, "-"))
        fd = 0;
    else
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = bh_err_set(err, BH_EIO, path, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        if (err)
            err->sys_errno = errno;
        return rc;
    }
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = bh_err_set(err, BH_EIO, path, 0, 0, "cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        bh_buf_append(&b, chunk, (size_t)n);
        if (b.failed) {
            if (b.len + (size_t)n > max)
                rc = bh_err_set(err, BH_ELIMIT, path, 0, 0,
                                "'%s' is larger than %zu bytes (BH_MAX_CONFIG_FILE)", path, max);
            else
                rc = bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory reading '%s'", path);
            goto out;
        }
    }
    *data = bh_arena_strndup(a, bh_buf_str(&b), b.len);
    if (!*data) {
        rc = bh_err_set(err, BH_ENOMEM, path, 0, 0, "out of memory reading '%s'", path);
        goto out;
    }
    *len = b.len;
out:
    if (fd > 0)
        close(fd);
    bh_buf_release(&b);
    return rc;
}
