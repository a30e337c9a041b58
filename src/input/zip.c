/*
 * zip.c - zip archives through libarchive (its zip reader only: no other
 * formats or filters are enabled, so a tar or gzip handed in here is refused).
 * Each regular member is inflated whole into one reused buffer and handed to
 * the caller; nothing is written to disk, nothing is judged here.
 */
#include "input/zip.h"

#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#define CHUNK (64u * 1024u)

bool bh_zip_magic(const void *data, size_t len)
{
    const unsigned char *p = data;

    return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
           ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

static int fail(struct archive *ar, struct bh_err *err, int code, const char *label,
                const char *member, const char *what)
{
    const char *m = archive_error_string(ar);
    char q[256];

    bh_str_printable(q, sizeof(q), m ? m : "unknown error", 200);
    if (member)
        return bh_err_set(err, code, label, 0, 0, "%s: %s '%s': %s", label, what, member, q);
    return bh_err_set(err, code, label, 0, 0, "%s: %s: %s", label, what, q);
}

static int walk(struct archive *ar, const char *label, uint64_t archive_size, size_t max_member,
                bh_zip_fn fn, void *ctx, struct bh_err *err)
{
    struct archive_entry *e;
    struct bh_buf content;
    uint64_t total = 0, budget;
    size_t members = 0;
    char chunk[CHUNK], name[512];
    int rc = 0, r;

    budget = archive_size > (UINT64_MAX - (1u << 20)) / BH_MAX_ZIP_RATIO
                 ? UINT64_MAX
                 : archive_size * BH_MAX_ZIP_RATIO + (1u << 20);
    bh_buf_init(&content, max_member < SIZE_MAX ? max_member + 1 : max_member);
    for (;;) {
        const char *path;

        r = archive_read_next_header(ar, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            rc = fail(ar, err, BH_EPARSE, label, NULL, "cannot read the zip archive");
            break;
        }
        if (++members > BH_MAX_ZIP_MEMBERS) {
            rc = bh_err_set(err, BH_ELIMIT, label, 0, 0, "%s: more than %u zip members", label,
                            BH_MAX_ZIP_MEMBERS);
            break;
        }
        path = archive_entry_pathname(e);
        bh_str_printable(name, sizeof(name), path, 400);
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        if (archive_entry_is_encrypted(e)) {
            rc = bh_err_set(err, BH_EUNSUPPORTED, label, 0, 0, "%s: member '%s' is encrypted",
                            label, name);
            break;
        }
        if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 &&
            (uint64_t)archive_entry_size(e) > max_member) {
            rc = bh_err_set(err, BH_ELIMIT, label, 0, 0, "%s: member '%s' is larger than %zu bytes",
                            label, name, max_member);
            break;
        }
        bh_buf_reset(&content);
        for (;;) {
            la_ssize_t n = archive_read_data(ar, chunk, sizeof(chunk));

            if (n < 0) {
                rc = fail(ar, err, BH_EPARSE, label, name, "cannot inflate member");
                break;
            }
            if (n == 0)
                break;
            total += (uint64_t)n;
            if (content.len + (size_t)n > max_member) {
                rc =
                    bh_err_set(err, BH_ELIMIT, label, 0, 0,
                               "%s: member '%s' is larger than %zu bytes", label, name, max_member);
                break;
            }
            if (total > budget) {
                rc = bh_err_set(err, BH_ELIMIT, label, 0, 0,
                                "%s: members inflate to more than %u times the archive's size "
                                "(at '%s')",
                                label, BH_MAX_ZIP_RATIO, name);
                break;
            }
            bh_buf_append(&content, chunk, (size_t)n);
            if (content.failed) {
                rc = bh_err_set(err, BH_ENOMEM, label, 0, 0, "%s: out of memory at '%s'", label,
                                name);
                break;
            }
        }
        if (rc)
            break;
        r = fn(ctx, path ? path : "", content.ptr ? content.ptr : "", content.len, err);
        if (r == 1)
            break;
        if (r) {
            rc = r;
            break;
        }
    }
    bh_buf_release(&content);
    return rc;
}

static struct archive *zip_reader(void)
{
    struct archive *ar = archive_read_new();

    if (ar && archive_read_support_format_zip(ar) != ARCHIVE_OK) {
        archive_read_free(ar);
        return NULL;
    }
    return ar;
}

int bh_zip_walk_mem(const char *label, const void *data, size_t len, size_t max_member,
                    bh_zip_fn fn, void *ctx, struct bh_err *err)
{
    struct archive *ar = zip_reader();
    int rc;

    if (!ar)
        return bh_err_set(err, BH_ENOMEM, label, 0, 0, "%s: out of memory", label);
    if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
        rc = fail(ar, err, BH_EPARSE, label, NULL, "not a zip archive");
        archive_read_free(ar);
        return rc;
    }
    rc = walk(ar, label, len, max_member, fn, ctx, err);
    archive_read_free(ar);
    return rc;
}

int bh_zip_walk_file(const char *path, size_t max_member, bh_zip_fn fn, void *ctx,
                     struct bh_err *err)
{
    struct archive *ar;
    struct stat st;
    int rc;

    if (stat(path, &st) != 0)
        return bh_err_set(err, BH_EIO, path, 0, 0, "cannot open '%s'", path);
    ar = zip_reader();
    if (!ar)
        return bh_err_set(err, BH_ENOMEM, path, 0, 0, "%s: out of memory", path);
    if (archive_read_open_filename(ar, path, CHUNK) != ARCHIVE_OK) {
        rc = fail(ar, err, BH_EPARSE, path, NULL, "not a zip archive");
        archive_read_free(ar);
        return rc;
    }
    rc = walk(ar, path, (uint64_t)st.st_size, max_member, fn, ctx, err);
    archive_read_free(ar);
    return rc;
}
