/*
 * image.c - the merge of an image's layers into its final tree, and lookups in
 * that tree (symbolic links resolved inside the root). The merge sorts the
 * entries of every layer by path once and decides shadowing in one sweep; the
 * tree is an open-addressing hash of indices into img->files. Packages and file
 * errors are only concatenated (input/pkgdb/collect.c keeps those whose file
 * survives). No I/O: the layer workers (input/imgcollect.c) make the parts.
 */
#include "model/image.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"

#include <stdint.h>
#include <string.h>

/*
 * Slots hold a file index + 1 (0 = empty) of the one entry each path has in the final
 * tree: 4 bytes per slot, at most half the slots used.
 */
struct bh_imgtree {
    uint32_t *slots;
    size_t mask;
    uint64_t seed;
};

/* Used only while merging: an ancestor whose entries shadow lower entries under it. */
struct cut {
    const char *path;
    size_t len;
    uint32_t below; /* entries under path with an index below this are shadowed */
};

/* Private flag, set only during the capture/secret pass of bh_image_merge. */
#define CLAIMED (1u << 7)

bool bh_imgfile_final(const struct bh_imgfile *f)
{
    return !(f->flags & (BH_IMGF_SHADOWED | BH_IMGF_ESCAPED)) && f->type != BH_FT_WHITEOUT &&
           f->type != BH_FT_OPAQUE;
}

/*
 * Paths compared component by component ('/' sorts before every other byte), so
 * everything under a directory follows it contiguously: a preorder walk of the tree.
 */
static int path_cmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x && *x == *y) {
        x++;
        y++;
    }
    if (*x == *y)
        return 0;
    if (!*x)
        return -1;
    if (!*y)
        return 1;
    if (*x == '/')
        return -1;
    if (*y == '/')
        return 1;
    return *x < *y ? -1 : 1;
}

static int idx_cmp(const struct bh_imgfile *files, uint32_t i, uint32_t j)
{
    int c = path_cmp(files[i].path, files[j].path);

    if (c)
        return c;
    return i < j ? -1 : (i > j);
}

/* Bottom-up merge sort of idx[0..n) with tmp[0..n): n log n whatever the input. */
static uint32_t *sort_idx(const struct bh_imgfile *files, uint32_t *idx, uint32_t *tmp, size_t n)
{
    uint32_t *src = idx, *dst = tmp, *t;
    size_t w, lo, mid, hi, i, j, k;

    for (w = 1; w < n; w *= 2) {
        for (lo = 0; lo < n; lo += 2 * w) {
            mid = lo + w < n ? lo + w : n;
            hi = lo + 2 * w < n ? lo + 2 * w : n;
            i = lo;
            j = mid;
            k = lo;
            while (i < mid && j < hi)
                dst[k++] = idx_cmp(files, src[i], src[j]) <= 0 ? src[i++] : src[j++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/*
 * A keyed hash: paths come from the image, and a fixed hash would let a crafted layer put
 * every path in one probe chain.
 */
static uint64_t path_hash(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static bool path_is(const char *p, const char *s, size_t n)
{
    return strncmp(p, s, n) == 0 && p[n] == '\0';
}

/* The final entry at (s, n) exactly, or NULL. */
static const struct bh_imgfile *tree_get(const struct bh_image *img, const char *s, size_t n)
{
    const struct bh_imgtree *t = img->tree;
    size_t i;
    uint32_t v;

    if (!t || !t->slots)
        return NULL;
    i = (size_t)path_hash(t->seed, s, n) & t->mask;
    while ((v = t->slots[i]) != 0) {
        if (path_is(img->files[v - 1].path, s, n))
            return &img->files[v - 1];
        i = (i + 1) & t->mask;
    }
    return NULL;
}

static void tree_put(struct bh_imgtree *t, const struct bh_imgfile *files, uint32_t fi)
{
    const char *p = files[fi].path;
    size_t i = (size_t)path_hash(t->seed, p, strlen(p)) & t->mask;

    /* paths are distinct (one per sorted group), so no compare is needed */
    while (t->slots[i] != 0)
        i = (i + 1) & t->mask;
    t->slots[i] = fi + 1;
}

static bool is_under(const struct cut *c, const char *path)
{
    if (c->len == 0)
        return path[0] != '\0';
    return strncmp(path, c->path, c->len) == 0 && path[c->len] == '/';
}

static bool is_marker(const struct bh_imgfile *f)
{
    return f->type == BH_FT_WHITEOUT || f->type == BH_FT_OPAQUE;
}

/*
 * Decide the entries of one path (order[g..end), ascending index) given the cut inherited
 * from its ancestors. Returns the index the entries of this path impose on everything
 * under it (entries under it with a lower index are shadowed), and the final entry's
 * index + 1 in *final (0 = the path is not in the final tree).
 */
static uint32_t sweep_group(struct bh_imgfile *files, const uint32_t *order, size_t g, size_t end,
                            uint32_t inherited, const uint32_t *layer_start, uint32_t *final)
{
    uint32_t below = inherited;
    size_t live = g, k, p;

    for (k = g; k < end; k++) {
        uint32_t fi = order[k];
        struct bh_imgfile *f = &files[fi];

        if (fi < inherited) {
            f->flags |= BH_IMGF_SHADOWED;
            continue;
        }
        if (f->type == BH_FT_WHITEOUT) {
            /* only lower layers: the live entries below this layer are a prefix */
            for (; live < k && files[order[live]].layer < f->layer; live++)
                files[order[live]].flags |= BH_IMGF_SHADOWED;
            if (layer_start[f->layer] > below)
                below = layer_start[f->layer];
        } else if (f->type == BH_FT_OPAQUE) {
            if (layer_start[f->layer] > below)
                below = layer_start[f->layer];
        } else {
            for (p = live; p < k; p++)
                files[order[p]].flags |= BH_IMGF_SHADOWED;
            live = k;
            if (f->type != BH_FT_DIR && fi > below)
                below = fi;
        }
    }
    *final = 0;
    for (k = end; k > live; k--) {
        const struct bh_imgfile *f = &files[order[k - 1]];

        if (!(f->flags & BH_IMGF_SHADOWED) && !is_marker(f)) {
            *final = order[k - 1] + 1;
            break;
        }
    }
    return below;
}

static int merge_tree(struct bh_arena *a, struct bh_image *img, const uint32_t *layer_start,
                      struct bh_err *err)
{
    struct bh_imgfile *files = img->files;
    struct bh_imgtree *t;
    struct cut *cuts = NULL;
    size_t ncuts = 0, capcuts = 0, n = 0, ndistinct = 0, cap, i, g;
    uint32_t *idx, *tmp, *order, *finals;

    t = bh_arena_alloc(a, sizeof(*t));
    idx = bh_arena_calloc(a, img->nfiles ? img->nfiles : 1, sizeof(*idx));
    tmp = bh_arena_calloc(a, img->nfiles ? img->nfiles : 1, sizeof(*tmp));
    if (!t || !idx || !tmp)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging image layers");
    /* any value will do; the addresses differ between runs where ASLR is on */
    t->seed = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)&merge_tree;
    img->tree = t;

    for (i = 0; i < img->nfiles; i++)
        if (!(files[i].flags & BH_IMGF_ESCAPED)) /* never extracted: not in the tree */
            idx[n++] = (uint32_t)i;
    order = sort_idx(files, idx, tmp, n);

    /* the final entries are collected into the other buffer, overwriting sorted-out slots */
    finals = order == idx ? tmp : idx;
    for (g = 0; g < n;) {
        size_t end = g + 1;
        const char *path = files[order[g]].path;
        uint32_t inherited, below, fin;

        while (end < n && strcmp(files[order[end]].path, path) == 0)
            end++;
        while (ncuts && !is_under(&cuts[ncuts - 1], path))
            ncuts--;
        inherited = ncuts ? cuts[ncuts - 1].below : 0;
        below = sweep_group(files, order, g, end, inherited, layer_start, &fin);
        if (fin)
            finals[ndistinct++] = fin - 1;
        if (below > inherited) {
            struct cut *c = BH_PUSH(a, cuts, ncuts, capcuts);

            if (!c)
                return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging image layers");
            c->path = path;
            c->len = strlen(path);
            c->below = below;
        }
        g = end;
    }

    for (cap = 16; cap < 2 * ndistinct; cap *= 2)
        ;
    /* reuse the sort buffer when it is large enough (the arena never frees) */
    if (cap <= n) {
        t->slots = order;
        memset(t->slots, 0, cap * sizeof(*t->slots));
    } else {
        t->slots = bh_arena_calloc(a, cap, sizeof(*t->slots));
        if (!t->slots)
            return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging image layers");
    }
    t->mask = cap - 1;
    for (i = 0; i < ndistinct; i++)
        tree_put(t, files, finals[i]);
    return 0;
}

/* The entry the capture or hit (path, layer) came from is in the final tree. */
static struct bh_imgfile *final_from(struct bh_image *img, const char *path, int layer)
{
    const struct bh_imgfile *f = tree_get(img, path, strlen(path));

    if (!f || f->layer != layer || f->type != BH_FT_REG)
        return NULL;
    return (struct bh_imgfile *)f;
}

/*
 * Captures and hits follow their file entry. A path written twice in one layer has
 * one final entry: only the last capture (the last run of hits) of that layer counts,
 * hence the walk from the end claiming each final entry once. The hits of one file are
 * consecutive and share its path pointer (input/imgcollect.c makes them so); equal
 * strings at different addresses are different entries of the same path.
 */
static void shadow_side(struct bh_image *img)
{
    size_t i;

    for (i = img->ncaptures; i-- > 0;) {
        struct bh_imgcapture *c = &img->captures[i];
        struct bh_imgfile *f = final_from(img, c->path, c->layer);

        c->shadowed = !f || (f->flags & CLAIMED);
        if (f)
            f->flags |= CLAIMED;
    }
    for (i = 0; i < img->ncaptures; i++) {
        struct bh_imgfile *f = final_from(img, img->captures[i].path, img->captures[i].layer);

        if (f)
            f->flags &= (uint8_t)~CLAIMED;
    }
    for (i = img->nsecrets; i-- > 0;) {
        struct bh_secrethit *h = &img->secrets[i];
        const struct bh_secrethit *next = i + 1 < img->nsecrets ? &img->secrets[i + 1] : NULL;
        struct bh_imgfile *f;

        if (next && next->layer == h->layer && next->path == h->path) {
            h->shadowed = next->shadowed; /* the same run of hits: one file */
            continue;
        }
        f = final_from(img, h->path, h->layer);
        h->shadowed = !f || (f->flags & CLAIMED);
        if (f)
            f->flags |= CLAIMED;
    }
    for (i = 0; i < img->nsecrets; i++) {
        struct bh_imgfile *f = final_from(img, img->secrets[i].path, img->secrets[i].layer);

        if (f)
            f->flags &= (uint8_t)~CLAIMED;
    }
}

int bh_image_merge(struct bh_arena *a, struct bh_image *img, const struct bh_imgpart *parts,
                   size_t nparts, struct bh_err *err)
{
    size_t nf = 0, nc = 0, ns = 0, np = 0, ne = 0, i, j;
    uint32_t *layer_start;
    int rc;

    if (nparts > UINT16_MAX)
        return bh_err_set(err, BH_ELIMIT, NULL, 0, 0, "too many layers to merge: %zu (at most %u)",
                          nparts, (unsigned)UINT16_MAX);
    for (i = 0; i < nparts; i++) {
        nf += parts[i].nfiles;
        nc += parts[i].ncaptures;
        ns += parts[i].nsecrets;
        np += parts[i].npackages;
        ne += parts[i].nerrors;
        if (nf > BH_MAX_IMAGE_FILES)
            return bh_err_set(err, BH_ELIMIT, NULL, 0, 0,
                              "image has more than BH_MAX_IMAGE_FILES (%u) entries",
                              BH_MAX_IMAGE_FILES);
    }
    img->files = bh_arena_calloc(a, nf ? nf : 1, sizeof(*img->files));
    img->captures = bh_arena_calloc(a, nc ? nc : 1, sizeof(*img->captures));
    img->secrets = bh_arena_calloc(a, ns ? ns : 1, sizeof(*img->secrets));
    img->bin_packages = bh_arena_calloc(a, np ? np : 1, sizeof(*img->bin_packages));
    img->file_errors = bh_arena_calloc(a, ne ? ne : 1, sizeof(*img->file_errors));
    layer_start = bh_arena_calloc(a, nparts ? nparts : 1, sizeof(*layer_start));
    if (!img->files || !img->captures || !img->secrets || !img->bin_packages || !img->file_errors ||
        !layer_start)
        return bh_err_set(err, BH_ENOMEM, NULL, 0, 0, "out of memory merging image layers");
    img->nfiles = img->ncaptures = img->nsecrets = img->nbin_packages = img->nfile_errors = 0;
    for (i = 0; i < nparts; i++) {
        layer_start[i] = (uint32_t)img->nfiles;
        for (j = 0; j < parts[i].nfiles; j++) {
            struct bh_imgfile *f = &img->files[img->nfiles++];

            *f = parts[i].files[j];
            f->layer = (uint16_t)i; /* the part's position is the layer, whatever was set */
            f->flags &= (uint8_t)(BH_IMGF_FCAPS | BH_IMGF_ESCAPED);
        }
        for (j = 0; j < parts[i].ncaptures; j++) {
            struct bh_imgcapture *c = &img->captures[img->ncaptures++];

            *c = parts[i].captures[j];
            c->layer = (int)i;
            c->shadowed = false;
        }
        for (j = 0; j < parts[i].nsecrets; j++) {
            struct bh_secrethit *h = &img->secrets[img->nsecrets++];

            *h = parts[i].secrets[j];
            h->layer = (int)i;
            h->shadowed = false;
        }
        for (j = 0; j < parts[i].npackages; j++) {
            struct bh_package *p = &img->bin_packages[img->nbin_packages++];

            *p = parts[i].packages[j];
            p->layer = (int)i;
        }
        for (j = 0; j < parts[i].nerrors; j++) {
            struct bh_imgerror *e = &img->file_errors[img->nfile_errors++];

            *e = parts[i].errors[j];
            e->layer = (int)i;
        }
    }
    rc = merge_tree(a, img, layer_start, err);
    if (rc < 0)
        return rc;
    shadow_side(img);
    return 0;
}

/* Append component (s, n) to the path in buf (length *len, no leading "/"). */
static bool push_comp(char *buf, size_t *len, const char *s, size_t n)
{
    size_t need = *len + (*len ? 1 : 0) + n;

    if (need > BH_MAX_PATH)
        return false;
    if (*len)
        buf[(*len)++] = '/';
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

static void pop_comp(char *buf, size_t *len)
{
    while (*len && buf[*len - 1] != '/')
        (*len)--;
    if (*len)
        (*len)--;
    buf[*len] = '\0';
}

/*
 * Resolve path component by component. todo holds what is left to walk; a symbolic link
 * puts its target in front of the rest. Below the root nothing exists, so ".." at the
 * root stays there, as the kernel does inside a chroot.
 */
const struct bh_imgfile *bh_image_lookup(const struct bh_image *img, const char *path, bool follow)
{
    char done[BH_MAX_PATH + 1], todo[BH_MAX_PATH + 1], rest[BH_MAX_PATH + 1];
    size_t dlen = 0, tlen, pos = 0;
    unsigned hops = 0;
    const struct bh_imgfile *f = NULL;

    if (!img || !img->tree || !path)
        return NULL;
    tlen = strlen(path);
    if (tlen > BH_MAX_PATH)
        return NULL;
    memcpy(todo, path, tlen + 1);
    done[0] = '\0';
    for (;;) {
        const char *c;
        size_t n;
        bool last;

        while (pos < tlen && todo[pos] == '/')
            pos++;
        if (pos >= tlen)
            break;
        c = todo + pos;
        for (n = 0; pos + n < tlen && c[n] != '/'; n++)
            ;
        pos += n;
        while (pos < tlen && todo[pos] == '/')
            pos++;
        last = pos >= tlen;
        if (n == 1 && c[0] == '.')
            continue;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            pop_comp(done, &dlen);
            continue;
        }
        if (!push_comp(done, &dlen, c, n))
            return NULL;
        if (!follow)
            continue;
        f = tree_get(img, done, dlen);
        if (f && f->type == BH_FT_SYMLINK && f->link) {
            size_t llen = strlen(f->link), rlen = tlen - pos;

            if (++hops > BH_MAX_SYMLINK_HOPS)
                return NULL;
            if (llen + 1 + rlen > BH_MAX_PATH)
                return NULL;
            memcpy(rest, todo + pos, rlen);
            memcpy(todo, f->link, llen);
            tlen = llen;
            if (rlen) {
                todo[tlen++] = '/';
                memcpy(todo + tlen, rest, rlen);
                tlen += rlen;
            }
            todo[tlen] = '\0';
            pos = 0;
            pop_comp(done, &dlen); /* a relative target is relative to the link's directory */
            if (f->link[0] == '/') {
                dlen = 0;
                done[0] = '\0';
            }
            continue;
        }
        /* a directory may exist only implicitly (no entry of its own); a file may not */
        if (!last && f && f->type != BH_FT_DIR)
            return NULL;
    }
    return tree_get(img, done, dlen);
}

const struct bh_imgcapture *bh_image_capture(const struct bh_image *img, const char *path)
{
    const struct bh_imgfile *f = bh_image_lookup(img, path, true);
    size_t i;

    if (!f || f->type != BH_FT_REG)
        return NULL;
    for (i = 0; i < img->ncaptures; i++) {
        const struct bh_imgcapture *c = &img->captures[i];

        if (!c->shadowed && c->layer == f->layer && strcmp(c->path, f->path) == 0)
            return c;
    }
    return NULL;
}
