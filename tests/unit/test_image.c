/*
 * test_image.c - the layer merge (replacement, directories replaced by files, whiteouts of
 * files and directories, opaque directories, same-layer whiteouts, shadowed captures and
 * secret hits) and lookups with symbolic links, on parts built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "model/image.h"

#include <time.h>

#define MAXL 8

struct fx {
    struct bh_arena a;
    struct bh_err err;
    struct bh_imgpart parts[MAXL];
    size_t caps[MAXL][3];
    struct bh_image img;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 1024u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static struct bh_imgfile *add(struct fx *f, int layer, const char *path, enum bh_ftype type)
{
    struct bh_imgpart *p = &f->parts[layer];
    struct bh_imgfile *e = BH_PUSH(&f->a, p->files, p->nfiles, f->caps[layer][0]);

    assert_non_null(e);
    e->path = bh_arena_strdup(&f->a, path);
    e->type = (uint8_t)type;
    e->mode = type == BH_FT_DIR ? 0755 : 0644;
    e->layer = (uint16_t)layer;
    e->size = (uint64_t)layer * 100 + 1;
    return e;
}

static void link_to(struct fx *f, int layer, const char *path, const char *target)
{
    struct bh_imgfile *e = add(f, layer, path, BH_FT_SYMLINK);

    e->link = bh_arena_strdup(&f->a, target);
    e->size = 0;
}

static void capture(struct fx *f, int layer, const char *path, const char *data)
{
    struct bh_imgpart *p = &f->parts[layer];
    struct bh_imgcapture *c = BH_PUSH(&f->a, p->captures, p->ncaptures, f->caps[layer][1]);

    assert_non_null(c);
    c->path = bh_arena_strdup(&f->a, path);
    c->layer = layer;
    c->data = bh_arena_strdup(&f->a, data);
    c->len = strlen(data);
}

/* A hit in the last entry added to the layer, sharing its path (as input/imgcollect.c does). */
static void hit(struct fx *f, int layer, const char *kind)
{
    struct bh_imgpart *p = &f->parts[layer];
    struct bh_secrethit *h = BH_PUSH(&f->a, p->secrets, p->nsecrets, f->caps[layer][2]);

    assert_non_null(h);
    assert_true(p->nfiles > 0);
    h->path = p->files[p->nfiles - 1].path;
    h->layer = layer;
    h->kind = kind;
    h->what = kind;
    h->line = 1;
    h->excerpt = "***";
}

static void merge(struct fx *f, size_t nlayers)
{
    int rc = bh_image_merge(&f->a, &f->img, f->parts, nlayers, &f->err);

    if (rc != 0)
        fail_msg("merge failed: %s", f->err.msg);
}

/* The merged entry of (layer, path) that is not a whiteout or opaque marker; must exist. */
static const struct bh_imgfile *entry(struct fx *f, int layer, const char *path)
{
    size_t i;

    for (i = 0; i < f->img.nfiles; i++)
        if (f->img.files[i].layer == layer && strcmp(f->img.files[i].path, path) == 0 &&
            f->img.files[i].type != BH_FT_WHITEOUT && f->img.files[i].type != BH_FT_OPAQUE)
            return &f->img.files[i];
    fail_msg("no entry %s in layer %d", path, layer);
    return NULL;
}

static bool final_at(struct fx *f, int layer, const char *path)
{
    return bh_imgfile_final(entry(f, layer, path));
}

/* lookup without links, checking the layer of what was found (-1: not found) */
static int layer_of(struct fx *f, const char *path)
{
    const struct bh_imgfile *e = bh_image_lookup(&f->img, path, false);

    return e ? e->layer : -1;
}

static void later_entry_replaces(void **state)
{
    struct fx *f = *state;

    add(f, 0, "etc", BH_FT_DIR);
    add(f, 0, "etc/passwd", BH_FT_REG);
    add(f, 0, "etc/group", BH_FT_REG);
    add(f, 1, "etc/passwd", BH_FT_REG);
    add(f, 2, "etc/passwd", BH_FT_SYMLINK)->link = "group";
    merge(f, 3);
    assert_int_equal(f->img.nfiles, 5);
    /* layer order, then stream order */
    assert_string_equal(f->img.files[3].path, "etc/passwd");
    assert_int_equal(f->img.files[3].layer, 1);
    assert_false(final_at(f, 0, "etc/passwd"));
    assert_false(final_at(f, 1, "etc/passwd"));
    assert_true(entry(f, 1, "etc/passwd")->flags & BH_IMGF_SHADOWED);
    assert_true(final_at(f, 2, "etc/passwd"));
    assert_true(final_at(f, 0, "etc/group"));
    assert_int_equal(layer_of(f, "etc/passwd"), 2);
    assert_int_equal(bh_image_lookup(&f->img, "etc/passwd", false)->type, BH_FT_SYMLINK);
    /* followed, the link leads to etc/group of layer 0 */
    assert_int_equal(bh_image_lookup(&f->img, "etc/passwd", true)->layer, 0);
    assert_string_equal(bh_image_lookup(&f->img, "/etc/passwd", true)->path, "etc/group");
    assert_int_equal(layer_of(f, "etc/shadow"), -1);
}

static void directory_replaced_by_file(void **state)
{
    struct fx *f = *state;

    add(f, 0, "opt", BH_FT_DIR);
    add(f, 0, "opt/a", BH_FT_REG);
    add(f, 0, "opt/b", BH_FT_DIR);
    add(f, 0, "opt/b/c", BH_FT_REG);
    /* neighbours that share the prefix "opt" but are not under it */
    add(f, 0, "opt.txt", BH_FT_REG);
    add(f, 0, "opt-x/y", BH_FT_REG);
    add(f, 0, "opt0", BH_FT_REG);
    add(f, 0, "usr", BH_FT_DIR);
    add(f, 0, "usr/bin", BH_FT_DIR);
    add(f, 0, "usr/bin/sh", BH_FT_REG);
    add(f, 1, "opt", BH_FT_REG);
    add(f, 1, "usr", BH_FT_DIR);     /* a directory over a directory keeps what is under it */
    add(f, 2, "opt/new", BH_FT_REG); /* after the file: not shadowed by it */
    merge(f, 3);
    assert_int_equal(layer_of(f, "opt"), 1);
    assert_false(final_at(f, 0, "opt"));
    assert_false(final_at(f, 0, "opt/a"));
    assert_false(final_at(f, 0, "opt/b"));
    assert_false(final_at(f, 0, "opt/b/c"));
    assert_int_equal(layer_of(f, "opt/b/c"), -1);
    assert_true(final_at(f, 0, "opt.txt"));
    assert_true(final_at(f, 0, "opt-x/y"));
    assert_true(final_at(f, 0, "opt0"));
    assert_true(final_at(f, 2, "opt/new"));
    assert_false(final_at(f, 0, "usr"));
    assert_true(final_at(f, 1, "usr"));
    assert_true(final_at(f, 0, "usr/bin"));
    assert_true(final_at(f, 0, "usr/bin/sh"));
    assert_int_equal(layer_of(f, "usr/bin/sh"), 0);
}

static void whiteout_of_a_file(void **state)
{
    struct fx *f = *state;

    add(f, 0, "a", BH_FT_DIR);
    add(f, 0, "a/x", BH_FT_REG);
    add(f, 0, "a/y", BH_FT_REG);
    add(f, 1, "a/x", BH_FT_WHITEOUT);
    merge(f, 2);
    assert_false(final_at(f, 0, "a/x"));
    assert_true(final_at(f, 0, "a/y"));
    assert_true(final_at(f, 0, "a"));
    assert_false(bh_imgfile_final(&f->img.files[3])); /* the marker is not a file */
    assert_int_equal(f->img.files[3].type, BH_FT_WHITEOUT);
    assert_int_equal(layer_of(f, "a/x"), -1);
    assert_int_equal(layer_of(f, "a/y"), 0);
}

static void whiteout_then_readded(void **state)
{
    struct fx *f = *state;

    add(f, 0, "a/x", BH_FT_REG);
    add(f, 1, "a/x", BH_FT_WHITEOUT);
    add(f, 2, "a/x", BH_FT_REG);
    merge(f, 3);
    assert_int_equal(layer_of(f, "a/x"), 2);
    assert_false(final_at(f, 0, "a/x"));
    assert_true(f->img.files[1].flags & BH_IMGF_SHADOWED); /* the marker, replaced */
    assert_true(final_at(f, 2, "a/x"));
}

static void whiteout_of_a_directory(void **state)
{
    struct fx *f = *state;

    add(f, 0, "d", BH_FT_DIR);
    add(f, 0, "d/e", BH_FT_DIR);
    add(f, 0, "d/e/f", BH_FT_REG);
    add(f, 0, "d.e", BH_FT_REG);
    add(f, 0, "d-x", BH_FT_DIR);
    add(f, 0, "d-x/d", BH_FT_REG);
    add(f, 0, "dd", BH_FT_REG);
    add(f, 1, "d/e/g", BH_FT_REG);
    add(f, 2, "d", BH_FT_WHITEOUT);
    add(f, 3, "d/h", BH_FT_REG);
    merge(f, 4);
    assert_false(final_at(f, 0, "d"));
    assert_false(final_at(f, 0, "d/e"));
    assert_false(final_at(f, 0, "d/e/f"));
    assert_false(final_at(f, 1, "d/e/g"));
    assert_true(final_at(f, 0, "d.e"));
    assert_true(final_at(f, 0, "d-x"));
    assert_true(final_at(f, 0, "d-x/d"));
    assert_true(final_at(f, 0, "dd"));
    assert_true(final_at(f, 3, "d/h"));
    assert_int_equal(layer_of(f, "d"), -1);
    assert_int_equal(layer_of(f, "d/e/f"), -1);
    assert_int_equal(layer_of(f, "d/h"), 3);
}

static void opaque_directory(void **state)
{
    struct fx *f = *state;

    add(f, 0, "d", BH_FT_DIR);
    add(f, 0, "d/a", BH_FT_REG);
    add(f, 0, "d/b", BH_FT_DIR);
    add(f, 0, "d/b/c", BH_FT_REG);
    add(f, 0, "other", BH_FT_REG);
    add(f, 1, "d", BH_FT_DIR);
    add(f, 1, "d", BH_FT_OPAQUE);
    add(f, 1, "d/n", BH_FT_REG);
    add(f, 2, "d/m", BH_FT_REG);
    merge(f, 3);
    assert_true(final_at(f, 1, "d")); /* the directory itself stays */
    assert_false(final_at(f, 0, "d"));
    assert_false(final_at(f, 0, "d/a"));
    assert_false(final_at(f, 0, "d/b"));
    assert_false(final_at(f, 0, "d/b/c"));
    assert_true(final_at(f, 1, "d/n"));
    assert_true(final_at(f, 2, "d/m"));
    assert_true(final_at(f, 0, "other"));
    assert_int_equal(layer_of(f, "d"), 1);
    assert_int_equal(bh_image_lookup(&f->img, "d", false)->type, BH_FT_DIR);
    assert_int_equal(layer_of(f, "d/a"), -1);
}

static void opaque_marker_first_in_stream(void **state)
{
    struct fx *f = *state;

    /* overlayfs-derived layers may write the marker before the directory entry */
    add(f, 0, "d/a", BH_FT_REG);
    add(f, 1, "d", BH_FT_OPAQUE);
    add(f, 1, "d", BH_FT_DIR);
    merge(f, 2);
    assert_false(final_at(f, 0, "d/a"));
    assert_true(final_at(f, 1, "d"));
    assert_false(bh_imgfile_final(&f->img.files[1]));
}

static void whiteout_spares_its_own_layer(void **state)
{
    struct fx *f = *state;

    add(f, 0, "f", BH_FT_REG);
    add(f, 0, "g", BH_FT_REG);
    add(f, 0, "d", BH_FT_DIR);
    add(f, 0, "d/old", BH_FT_REG);
    add(f, 1, "f", BH_FT_REG);
    add(f, 1, "f", BH_FT_WHITEOUT); /* after the file in the stream, still spares it */
    add(f, 1, "g", BH_FT_WHITEOUT);
    add(f, 1, "g", BH_FT_REG);
    add(f, 1, "d/new", BH_FT_REG);
    add(f, 1, "d", BH_FT_WHITEOUT);
    add(f, 1, "e/x", BH_FT_REG);
    add(f, 1, "e", BH_FT_OPAQUE);
    merge(f, 2);
    assert_false(final_at(f, 0, "f"));
    assert_true(final_at(f, 1, "f"));
    assert_false(final_at(f, 0, "g"));
    assert_true(final_at(f, 1, "g"));
    assert_int_equal(layer_of(f, "f"), 1);
    assert_int_equal(layer_of(f, "g"), 1);
    assert_false(final_at(f, 0, "d"));
    assert_false(final_at(f, 0, "d/old"));
    assert_true(final_at(f, 1, "d/new"));
    assert_int_equal(layer_of(f, "d/new"), 1);
    assert_true(final_at(f, 1, "e/x"));
}

static void captures_and_hits_follow_files(void **state)
{
    struct fx *f = *state;
    const struct bh_imgcapture *c;
    size_t i;

    add(f, 0, "etc/passwd", BH_FT_REG);
    capture(f, 0, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    add(f, 0, "root/.ssh/id_rsa", BH_FT_REG);
    hit(f, 0, "private-key");
    add(f, 0, "app/.env", BH_FT_REG);
    hit(f, 0, "aws-access-key-id");
    hit(f, 0, "aws-secret-access-key");
    add(f, 0, "srv/keep.pem", BH_FT_REG);
    hit(f, 0, "private-key");
    add(f, 0, "etc/os-release", BH_FT_REG);
    capture(f, 0, "etc/os-release", "ID=alpine\n");
    add(f, 1, "etc/passwd", BH_FT_REG);
    capture(f, 1, "etc/passwd", "root:x:0:0::/root:/bin/ash\n");
    add(f, 1, "root/.ssh", BH_FT_WHITEOUT);
    add(f, 1, "app", BH_FT_REG); /* a file over the directory */
    merge(f, 2);
    assert_int_equal(f->img.ncaptures, 3);
    assert_int_equal(f->img.nsecrets, 4);
    assert_true(f->img.captures[0].shadowed);
    assert_false(f->img.captures[1].shadowed);
    assert_false(f->img.captures[2].shadowed);
    c = bh_image_capture(&f->img, "/etc/passwd");
    assert_non_null(c);
    assert_int_equal(c->layer, 1);
    assert_string_equal(c->data, "root:x:0:0::/root:/bin/ash\n");
    c = bh_image_capture(&f->img, "etc/os-release");
    assert_non_null(c);
    assert_string_equal(c->data, "ID=alpine\n");
    assert_null(bh_image_capture(&f->img, "etc/group"));
    for (i = 0; i < f->img.nsecrets; i++) {
        const struct bh_secrethit *h = &f->img.secrets[i];

        assert_int_equal(h->shadowed, strcmp(h->path, "srv/keep.pem") != 0);
    }
}

static void duplicate_in_one_layer(void **state)
{
    struct fx *f = *state;

    /* the same path twice in one layer: the later one is what extraction leaves */
    add(f, 0, "etc/passwd", BH_FT_REG);
    capture(f, 0, "etc/passwd", "first\n");
    hit(f, 0, "k1");
    add(f, 0, "etc/passwd", BH_FT_REG);
    capture(f, 0, "etc/passwd", "second\n");
    hit(f, 0, "k2");
    hit(f, 0, "k3");
    merge(f, 1);
    assert_false(bh_imgfile_final(&f->img.files[0]));
    assert_true(bh_imgfile_final(&f->img.files[1]));
    assert_true(f->img.captures[0].shadowed);
    assert_false(f->img.captures[1].shadowed);
    assert_string_equal(bh_image_capture(&f->img, "etc/passwd")->data, "second\n");
    assert_true(f->img.secrets[0].shadowed);
    assert_false(f->img.secrets[1].shadowed);
    assert_false(f->img.secrets[2].shadowed);
}

static void escaped_entries_stay_out(void **state)
{
    struct fx *f = *state;

    add(f, 0, "../../etc/passwd", BH_FT_REG)->flags = BH_IMGF_ESCAPED;
    add(f, 0, "etc/passwd", BH_FT_REG);
    merge(f, 1);
    assert_false(bh_imgfile_final(&f->img.files[0]));
    assert_true(f->img.files[0].flags & BH_IMGF_ESCAPED);
    assert_true(bh_imgfile_final(&f->img.files[1]));
    /* a lookup is normalised inside the root: it finds the real one */
    assert_ptr_equal(bh_image_lookup(&f->img, "../../etc/passwd", false), &f->img.files[1]);
}

static void lookup_symlinks(void **state)
{
    struct fx *f = *state;
    const struct bh_imgfile *e;

    add(f, 0, "", BH_FT_DIR);
    add(f, 0, "usr", BH_FT_DIR);
    add(f, 0, "usr/bin", BH_FT_DIR);
    add(f, 0, "usr/bin/busybox", BH_FT_REG);
    link_to(f, 0, "usr/bin/sh", "busybox");     /* relative, same directory */
    link_to(f, 0, "bin", "usr/bin");            /* relative directory link */
    link_to(f, 0, "etc/alt/sh", "/usr/bin/sh"); /* absolute: restarts at the root */
    link_to(f, 0, "usr/lib/up", "../../../../../../usr/bin/busybox"); /* climbs past root */
    link_to(f, 0, "usr/lib64", "lib");
    add(f, 0, "usr/lib/libc.so", BH_FT_REG);
    link_to(f, 0, "loop1", "loop2");
    link_to(f, 0, "loop2", "/loop1");
    link_to(f, 0, "self", "./self");
    link_to(f, 0, "dangling", "/nowhere");
    add(f, 0, "usr/bin/hard", BH_FT_HARDLINK)->link = "usr/bin/busybox";
    merge(f, 1);

    e = bh_image_lookup(&f->img, "/bin/sh", true);
    assert_non_null(e);
    assert_string_equal(e->path, "usr/bin/busybox");
    assert_null(bh_image_lookup(&f->img, "/bin/sh", false)); /* no entry named bin/sh */
    e = bh_image_lookup(&f->img, "bin", false);
    assert_non_null(e);
    assert_int_equal(e->type, BH_FT_SYMLINK);
    assert_string_equal(bh_image_lookup(&f->img, "etc/alt/sh", true)->path, "usr/bin/busybox");
    assert_string_equal(bh_image_lookup(&f->img, "usr/lib/up", true)->path, "usr/bin/busybox");
    assert_string_equal(bh_image_lookup(&f->img, "usr/lib64/libc.so", true)->path,
                        "usr/lib/libc.so");
    assert_string_equal(bh_image_lookup(&f->img, "/usr//bin/./sh", false)->path, "usr/bin/sh");
    assert_string_equal(bh_image_lookup(&f->img, "/../../usr/bin/../bin/sh", false)->path,
                        "usr/bin/sh");
    /* ".." after a link: from where the link led, as the kernel does */
    assert_string_equal(bh_image_lookup(&f->img, "bin/../lib/libc.so", true)->path,
                        "usr/lib/libc.so");
    assert_null(bh_image_lookup(&f->img, "bin/../lib/libc.so", false));
    assert_null(bh_image_lookup(&f->img, "loop1", true));
    assert_non_null(bh_image_lookup(&f->img, "loop1", false));
    assert_null(bh_image_lookup(&f->img, "self", true));
    assert_null(bh_image_lookup(&f->img, "dangling", true));
    assert_null(bh_image_lookup(&f->img, "usr/bin/busybox/x", true)); /* a file is no dir */
    assert_int_equal(bh_image_lookup(&f->img, "usr/bin/hard", true)->type, BH_FT_HARDLINK);
    e = bh_image_lookup(&f->img, "/", true);
    assert_non_null(e);
    assert_string_equal(e->path, "");
    assert_int_equal(e->type, BH_FT_DIR);
}

static void lookup_hop_limit(void **state)
{
    struct fx *f = *state;
    char name[32], target[32];
    unsigned i;

    /* l0 -> l1 -> ... -> lN -> file: N + 1 hops */
    add(f, 0, "file", BH_FT_REG);
    for (i = 0; i <= BH_MAX_SYMLINK_HOPS; i++) {
        snprintf(name, sizeof(name), "l%u", i);
        if (i == BH_MAX_SYMLINK_HOPS)
            snprintf(target, sizeof(target), "file");
        else
            snprintf(target, sizeof(target), "l%u", i + 1);
        link_to(f, 0, name, target);
    }
    merge(f, 1);
    assert_non_null(bh_image_lookup(&f->img, "l1", true)); /* BH_MAX_SYMLINK_HOPS hops */
    assert_null(bh_image_lookup(&f->img, "l0", true));     /* one more */
    assert_non_null(bh_image_lookup(&f->img, "l0", false));
}

static void empty_image(void **state)
{
    struct fx *f = *state;

    merge(f, 0);
    assert_int_equal(f->img.nfiles, 0);
    assert_null(bh_image_lookup(&f->img, "etc/passwd", true));
    assert_null(bh_image_capture(&f->img, "etc/passwd"));
}

/*
 * 100k entries over 5 layers. Layers 0, 2 and 4 hold the same paths ("set A"), layers 1 and
 * 3 another set ("set B": f<i+7> under the directories of f<i>, which never collide with
 * set A because 7 * 7919 % 50 != 0). Layer 4 also whites out d7 (set B goes there, set A
 * of layer 4 stays: same layer) and writes a file over the directory d8/s3.
 */
static void large_merge(void **state)
{
    struct fx *f = *state;
    char p[64];
    unsigned i, l, nfinal = 0;
    size_t before, k;
    clock_t t0;
    double secs;

    for (l = 0; l < 5; l++)
        for (i = 0; i < 20000; i++) {
            snprintf(p, sizeof(p), "d%u/s%u/f%u", (i * 7919u) % 50, i % 97, i + (l % 2) * 7);
            add(f, (int)l, p, BH_FT_REG);
        }
    add(f, 4, "d7", BH_FT_WHITEOUT);
    add(f, 4, "d8/s3", BH_FT_REG);
    before = f->a.total;
    t0 = clock();
    merge(f, 5);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("# 100k-entry merge: %.3f s, %zu arena bytes (%.1f per entry)\n", secs,
                  f->a.total - before, (double)(f->a.total - before) / (double)f->img.nfiles);
    assert_true(secs < 5.0);
    for (k = 0; k < f->img.nfiles; k++) {
        const struct bh_imgfile *e = &f->img.files[k];
        bool want;

        if (e->type == BH_FT_WHITEOUT)
            want = false;
        else if (strcmp(e->path, "d8/s3") == 0)
            want = true;
        else if (strncmp(e->path, "d8/s3/", 6) == 0)
            want = false;
        else if (e->layer % 2 == 0)
            want = e->layer == 4;
        else
            want = e->layer == 3 && strncmp(e->path, "d7/", 3) != 0;
        nfinal += want;
        assert_int_equal(bh_imgfile_final(e), want);
        if (want)
            assert_ptr_equal(bh_image_lookup(&f->img, e->path, false), e);
    }
    assert_true(nfinal > 35000);
    assert_int_equal(layer_of(f, "d8/s3"), 4);
}

/*
 * Random small images against a plain model of extraction: for each layer, first its
 * whiteouts and opaque markers remove from what the lower layers left, then its entries
 * are written in stream order (a path replaces what was there; a non-directory also
 * removes everything under it). Quadratic, obviously right, compared entry by entry.
 */
static bool under(const char *p, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(p, dir, n) == 0 && p[n] == '/';
}

static void random_against_model(void **state)
{
    static const char *const paths[] = {"a",   "b",   "a/b",   "a/c",  "a/b/c",
                                        "b/a", "a.b", "a/b.c", "a-b/c"};
    static const uint8_t types[] = {BH_FT_REG,     BH_FT_REG,      BH_FT_DIR,   BH_FT_DIR,
                                    BH_FT_SYMLINK, BH_FT_WHITEOUT, BH_FT_OPAQUE};
    const size_t np = sizeof(paths) / sizeof(paths[0]);
    uint32_t rnd = 12345;
    int round;

    for (round = 0; round < 3000; round++) {
        struct fx *f = *state;
        int live[sizeof(paths) / sizeof(paths[0])]; /* model: path -> entry index or -1 */
        size_t nlayers, n = 0, i, j, k;
        int l;

        bh_arena_release(&f->a);
        memset(f->parts, 0, sizeof(f->parts));
        memset(f->caps, 0, sizeof(f->caps));
        memset(&f->img, 0, sizeof(f->img));
        rnd = rnd * 1103515245u + 12345u;
        nlayers = 1 + (rnd >> 16) % 4;
        for (l = 0; l < (int)nlayers; l++) {
            size_t ne;

            rnd = rnd * 1103515245u + 12345u;
            ne = (rnd >> 16) % 5;
            for (i = 0; i < ne; i++) {
                rnd = rnd * 1103515245u + 12345u;
                add(f, l, paths[(rnd >> 16) % np],
                    (enum bh_ftype)types[(rnd >> 8) % sizeof(types)]);
            }
        }
        merge(f, nlayers);

        for (i = 0; i < np; i++)
            live[i] = -1;
        for (l = 0; l < (int)nlayers; l++) {
            size_t first = n;

            for (k = first; k < f->img.nfiles && f->img.files[k].layer == l; k++) {
                const struct bh_imgfile *e = &f->img.files[k];

                if (e->type != BH_FT_WHITEOUT && e->type != BH_FT_OPAQUE)
                    continue;
                for (j = 0; j < np; j++)
                    if (live[j] >= 0 && f->img.files[live[j]].layer < l &&
                        (under(paths[j], e->path) ||
                         (e->type == BH_FT_WHITEOUT && strcmp(paths[j], e->path) == 0)))
                        live[j] = -1;
            }
            for (k = first; k < f->img.nfiles && f->img.files[k].layer == l; k++, n++) {
                const struct bh_imgfile *e = &f->img.files[k];

                if (e->type == BH_FT_WHITEOUT || e->type == BH_FT_OPAQUE)
                    continue;
                for (j = 0; j < np; j++) {
                    if (e->type != BH_FT_DIR && under(paths[j], e->path))
                        live[j] = -1;
                    if (strcmp(paths[j], e->path) == 0)
                        live[j] = (int)k;
                }
            }
        }
        for (k = 0; k < f->img.nfiles; k++) {
            const struct bh_imgfile *e = &f->img.files[k];
            bool want = false;

            for (j = 0; j < np; j++)
                if (live[j] == (int)k)
                    want = true;
            if (bh_imgfile_final(e) != want)
                fail_msg("round %d: entry %zu (%s, layer %d, type %d): final %d, model %d", round,
                         k, e->path, e->layer, e->type, bh_imgfile_final(e), want);
        }
        for (j = 0; j < np; j++) {
            const struct bh_imgfile *e = bh_image_lookup(&f->img, paths[j], false);

            assert_ptr_equal(e, live[j] < 0 ? NULL : &f->img.files[live[j]]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(later_entry_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(directory_replaced_by_file, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_of_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_then_readded, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_of_a_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(opaque_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(opaque_marker_first_in_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(whiteout_spares_its_own_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(captures_and_hits_follow_files, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_in_one_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(escaped_entries_stay_out, setup, teardown),
        cmocka_unit_test_setup_teardown(lookup_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(lookup_hop_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_image, setup, teardown),
        cmocka_unit_test_setup_teardown(large_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(random_against_model, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
