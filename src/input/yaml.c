/*
 * yaml.c - turns a YAML stream into struct bh_ynode trees in the scan arena,
 * driving libfyaml's event parser (which neither resolves tags nor builds a
 * document of its own) and resolving anchors, aliases and merge keys here, so
 * every limit is counted by us. It does not interpret what a document means;
 * the readers for policies, Compose files and manifests do that.
 */
#include "input/yaml.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"

#include <libfyaml.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

/*
 * An open-addressing table keyed by text, in the arena: anchors (name ->
 * node) and the keys of one mapping (text -> pair index) while it is checked.
 */
struct keyslot {
    const char *key;
    size_t len;
    size_t idx;
    struct bh_ynode *node;
};

struct keyset {
    struct keyslot *slots;
    size_t cap, n; /* cap is 0 or a power of two */
};

#define IDX_MERGED ((size_t)-1)

/* One open collection while its events arrive. */
struct frame {
    struct bh_ynode *node;
    struct bh_ynode **kids; /* seq items, or map keys and values alternating */
    size_t nkids, kids_cap;
    const char *anchor;
};

struct builder {
    const char *text; /* the input, to place marks on quotes and indicators */
    size_t len;
    struct bh_arena *a;
    const char *file;
    struct bh_err *err;
    unsigned flags;
    struct frame *stack;
    size_t depth, stack_cap;
    struct keyset anchors;
    size_t nodes;   /* logical nodes, aliases and merges counted expanded */
    size_t aliases; /* alias expansions */
    struct bh_ydoc *docs;
    size_t ndocs, docs_cap;
    struct bh_ynode *root;
    int doc_line;
};

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct keyslot *keyset_probe(struct keyslot *slots, size_t cap, const char *key, size_t len)
{
    size_t i = (size_t)hash_text(key, len) & (cap - 1);

    while (slots[i].key &&
           !(slots[i].len == len && (len == 0 || memcmp(slots[i].key, key, len) == 0)))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int keyset_reserve(struct bh_arena *a, struct keyset *ks, size_t want)
{
    struct keyslot *slots;
    size_t cap = 8, i;

    if (ks->cap && ks->cap / 2 >= want)
        return 0;
    while (cap / 2 < want) {
        if (cap > SIZE_MAX / 4)
            return BH_ENOMEM;
        cap *= 2;
    }
    slots = bh_arena_calloc(a, cap, sizeof(*slots));
    if (!slots)
        return BH_ENOMEM;
    for (i = 0; i < ks->cap; i++) {
        if (ks->slots[i].key)
            *keyset_probe(slots, cap, ks->slots[i].key, ks->slots[i].len) = ks->slots[i];
    }
    ks->slots = slots;
    ks->cap = cap;
    return 0;
}

/* The slot for key: found (key set) or empty, ready for keyset_fill(). */
static struct keyslot *keyset_find(struct bh_arena *a, struct keyset *ks, const char *key,
                                   size_t len)
{
    if (keyset_reserve(a, ks, ks->n + 1))
        return NULL;
    return keyset_probe(ks->slots, ks->cap, key, len);
}

static void keyset_fill(struct keyset *ks, struct keyslot *s, const char *key, size_t len)
{
    s->key = key ? key : "";
    s->len = len;
    ks->n++;
}

/* Key text for an error message: bounded and without control characters. */
static const char *printable(char *out, size_t outsz, const char *s, size_t len)
{
    size_t i, o = 0;

    for (i = 0; i < len && o + 4 < outsz; i++)
        out[o++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    if (i < len) {
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o] = '\0';
    return out;
}

static int count_nodes(struct builder *b, size_t add, const struct bh_ynode *where)
{
    if (add > BH_MAX_YAML_NODES || b->nodes + add > BH_MAX_YAML_NODES)
        return bh_err_set(b->err, BH_ELIMIT, b->file, where->line, where->col,
                          "yaml has more than %u nodes after expanding aliases and merges "
                          "(BH_MAX_YAML_NODES)",
                          (unsigned)BH_MAX_YAML_NODES);
    b->nodes += add;
    return 0;
}

static void set_marks(struct bh_ynode *n, struct fy_event *e)
{
    const struct fy_mark *s = fy_event_start_mark(e);
    const struct fy_mark *t = fy_event_end_mark(e);

    if (s) {
        n->line = s->line + 1;
        n->col = s->column + 1;
    }
    if (t) {
        n->end_line = t->line + 1;
        n->end_col = t->column + 1;
    }
}

/*
 * libfyaml's marks for quoted scalars and aliases start after the quote or
 * the `*`, and a block scalar's mark starts on its first content line. A
 * finding should point at what the user wrote, so move the marks back onto
 * the quote, the `*` and the `|` or `>` header.
 */
static void widen_marks(const struct builder *b, struct bh_ynode *n, struct fy_event *e,
                        char opener, char closer)
{
    const struct fy_mark *s = fy_event_start_mark(e);
    const struct fy_mark *t = fy_event_end_mark(e);

    if (s && opener && s->input_pos > 0 && s->input_pos <= b->len &&
        b->text[s->input_pos - 1] == opener && n->col > 1)
        n->col--;
    if (t && closer && t->input_pos < b->len && b->text[t->input_pos] == closer)
        n->end_col++;
}

static void block_header_mark(const struct builder *b, struct bh_ynode *n, struct fy_event *e)
{
    const struct fy_mark *s = fy_event_start_mark(e);
    size_t end, start, i, cut, ind = SIZE_MAX;
    int col = 1;

    if (!s || s->input_pos == 0 || s->input_pos > b->len || s->line < 1 ||
        b->text[s->input_pos - 1] != '\n')
        return;
    end = s->input_pos - 1;
    if (end > 0 && b->text[end - 1] == '\r')
        end--;
    start = end;
    while (start > 0 && b->text[start - 1] != '\n' && b->text[start - 1] != '\r')
        start--;
    /* a comment may follow the header and may itself hold '|' or '>' */
    for (cut = start; cut < end; cut++) {
        if (b->text[cut] == '#' && cut > start &&
            (b->text[cut - 1] == ' ' || b->text[cut - 1] == '\t'))
            break;
    }
    for (i = start; i < cut; i++) {
        if (b->text[i] == '|' || b->text[i] == '>')
            ind = i;
    }
    if (ind == SIZE_MAX)
        return;
    for (i = start; i < ind; i++) {
        if (((unsigned char)b->text[i] & 0xc0) != 0x80)
            col++;
    }
    n->line = s->line;
    n->col = col;
}

static int new_node(struct builder *b, enum bh_ytype type, struct fy_event *e,
                    struct bh_ynode **out)
{
    struct fy_token *tag = fy_event_get_tag_token(e);
    struct bh_ynode *n = bh_arena_alloc(b->a, sizeof(*n));
    int rc;

    if (!n)
        return BH_ENOMEM;
    n->type = type;
    n->weight = 1;
    set_marks(n, e);
    if ((rc = count_nodes(b, 1, n)))
        return rc;
    if (tag) {
        size_t len = 0;
        const char *t = fy_token_get_text(tag, &len);

        if (!t || !(n->tag = bh_arena_strndup(b->a, t, len)))
            return BH_ENOMEM;
    }
    *out = n;
    return 0;
}

/* Remember a completed node under its anchor; a later anchor of the same name replaces it. */
static int define_anchor(struct builder *b, struct fy_token *anchor, struct bh_ynode *n)
{
    struct keyslot *s;
    const char *name;
    size_t len = 0;

    if (!anchor)
        return 0;
    if (!(name = fy_token_get_text(anchor, &len)))
        return BH_ENOMEM;
    if (!(s = keyset_find(b->a, &b->anchors, name, len)))
        return BH_ENOMEM;
    if (!s->key) {
        if (!(name = bh_arena_strndup(b->a, name, len)))
            return BH_ENOMEM;
        keyset_fill(&b->anchors, s, name, len);
    }
    s->node = n;
    return 0;
}

/* Attach a finished node to the open collection, or make it the document root. */
static int add_child(struct builder *b, struct bh_ynode *n)
{
    struct frame *f;
    struct bh_ynode **slot;

    if (b->depth + n->height > BH_MAX_YAML_DEPTH)
        return bh_err_set(b->err, BH_ELIMIT, b->file, n->line, n->col,
                          "yaml nesting deeper than %u levels (BH_MAX_YAML_DEPTH)",
                          (unsigned)BH_MAX_YAML_DEPTH);
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    f = &b->stack[b->depth - 1];
    if (n->line == 0) {
        /*
         * An empty value has no marks of its own: place it just past its key,
         * or after the previous item, so errors about it still point nearby.
         */
        const struct bh_ynode *near = f->nkids ? f->kids[f->nkids - 1] : f->node;

        n->line = n->end_line = f->nkids ? near->end_line : near->line;
        n->col = n->end_col = f->nkids ? near->end_col : near->col;
    }
    if (!(slot = BH_PUSH(b->a, f->kids, f->nkids, f->kids_cap)))
        return BH_ENOMEM;
    *slot = n;
    f->node->weight += n->weight;
    if (f->node->height < n->height + 1)
        f->node->height = n->height + 1;
    return 0;
}

/*
 * libfyaml 0.7.12 returns wrong text, and leaks, for a single-quoted scalar
 * holding runs of '' escapes ('a''''b' comes back as a'''), so those are
 * decoded here from the source bytes between the quotes: '' is one quote and
 * line breaks fold as in every flow scalar. Returns 1 when the marks do not
 * frame a quoted scalar in our text, and libfyaml's text is used instead.
 * NEEDSWORK: libfyaml also mis-folds multi-line double-quoted scalars where
 * an escape is followed by trailing white space ("a\\<tab><newline> b"
 * keeps the tab and may drop the last characters); single-line ones are
 * right. Decode those here too if real files are found to hit it.
 */
static int decode_single_quoted(const struct builder *b, struct fy_event *e, char **out,
                                size_t *outlen)
{
    const struct fy_mark *s = fy_event_start_mark(e), *t = fy_event_end_mark(e);
    const char *x = b->text;
    size_t p, q, o = 0, keep = 0;
    char *buf;

    if (!s || !t || s->input_pos == 0 || s->input_pos > b->len || x[s->input_pos - 1] != '\'')
        return 1;
    for (q = s->input_pos; q < b->len; q++) {
        if (x[q] == '\'' && !(q + 1 < b->len && x[q + 1] == '\''))
            break;
        if (x[q] == '\'')
            q++;
    }
    if (q >= b->len || q != t->input_pos)
        return 1;
    if (!(buf = bh_arena_alloc(b->a, q - s->input_pos + 1)))
        return BH_ENOMEM;
    for (p = s->input_pos; p < q;) {
        char c = x[p];

        if (c == '\'') {
            buf[o++] = '\'';
            keep = o;
            p += 2;
        } else if (c == '\n' || c == '\r') {
            size_t breaks = 0;

            o = keep; /* white space before a line break is not content */
            while (p < q && (x[p] == '\n' || x[p] == '\r')) {
                p += (x[p] == '\r' && p + 1 < q && x[p + 1] == '\n') ? 2 : 1;
                breaks++;
                while (p < q && (x[p] == ' ' || x[p] == '\t'))
                    p++;
            }
            if (breaks == 1) {
                buf[o++] = ' ';
            } else {
                memset(buf + o, '\n', breaks - 1);
                o += breaks - 1;
            }
            keep = o;
        } else {
            buf[o++] = c;
            p++;
            if (c != ' ' && c != '\t')
                keep = o;
        }
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return 0;
}

static int on_scalar(struct builder *b, struct fy_event *e)
{
    struct bh_ynode *n;
    const char *text;
    size_t len = 0;
    int rc;

    if ((rc = new_node(b, BH_Y_SCALAR, e, &n)))
        return rc;
    rc = 1;
    if (fy_token_scalar_style(e->scalar.value) == FYSS_SINGLE_QUOTED) {
        char *own;

        if ((rc = decode_single_quoted(b, e, &own, &len)) < 0)
            return rc;
        if (rc == 0) {
            n->scalar = own;
            n->scalar_len = len;
        }
    }
    if (rc == 1) {
        if (!(text = fy_token_get_text(e->scalar.value, &len)))
            return BH_ENOMEM;
        if (!(n->scalar = bh_arena_strndup(b->a, text, len)))
            return BH_ENOMEM;
        n->scalar_len = len;
    }
    switch (fy_token_scalar_style(e->scalar.value)) {
    case FYSS_SINGLE_QUOTED:
        n->style = BH_YS_SINGLE;
        widen_marks(b, n, e, '\'', '\'');
        break;
    case FYSS_DOUBLE_QUOTED:
        n->style = BH_YS_DOUBLE;
        widen_marks(b, n, e, '"', '"');
        break;
    case FYSS_LITERAL:
        n->style = BH_YS_LITERAL;
        block_header_mark(b, n, e);
        break;
    case FYSS_FOLDED:
        n->style = BH_YS_FOLDED;
        block_header_mark(b, n, e);
        break;
    default:
        n->style = BH_YS_PLAIN;
        break;
    }
    if ((rc = define_anchor(b, e->scalar.anchor, n)))
        return rc;
    return add_child(b, n);
}

static int on_alias(struct builder *b, struct fy_event *e)
{
    struct bh_ynode pos = {0}, *target, *n;
    struct keyslot *s;
    const char *name;
    size_t len = 0;
    char shown[80];
    int rc;

    set_marks(&pos, e);
    widen_marks(b, &pos, e, '*', 0);
    if (!(name = fy_token_get_text(e->alias.anchor, &len)))
        return BH_ENOMEM;
    if (!(s = keyset_find(b->a, &b->anchors, name, len)))
        return BH_ENOMEM;
    if (!s->key)
        return bh_err_set(b->err, BH_EPARSE, b->file, pos.line, pos.col, "unknown anchor '%s'",
                          printable(shown, sizeof(shown), name, len));
    target = s->node;
    if (++b->aliases > BH_MAX_YAML_ALIASES)
        return bh_err_set(b->err, BH_ELIMIT, b->file, pos.line, pos.col,
                          "yaml has more than %u aliases (BH_MAX_YAML_ALIASES)",
                          (unsigned)BH_MAX_YAML_ALIASES);
    if ((rc = count_nodes(b, target->weight, &pos)))
        return rc;
    if (!(n = bh_arena_alloc(b->a, sizeof(*n))))
        return BH_ENOMEM;
    *n = *target; /* shallow: children stay shared with the anchored node */
    n->is_alias_expanded = true;
    n->line = pos.line;
    n->col = pos.col;
    n->end_line = pos.end_line;
    n->end_col = pos.end_col;
    return add_child(b, n);
}

static int open_collection(struct builder *b, enum bh_ytype type, struct fy_event *e)
{
    struct bh_ynode *n;
    struct frame *f;
    struct fy_token *anchor = fy_event_get_anchor_token(e);
    int rc;

    if ((rc = new_node(b, type, e, &n)))
        return rc;
    if (b->depth + 1 > BH_MAX_YAML_DEPTH)
        return bh_err_set(b->err, BH_ELIMIT, b->file, n->line, n->col,
                          "yaml nesting deeper than %u levels (BH_MAX_YAML_DEPTH)",
                          (unsigned)BH_MAX_YAML_DEPTH);
    n->height = 1;
    if (!(f = BH_PUSH(b->a, b->stack, b->depth, b->stack_cap)))
        return BH_ENOMEM;
    memset(f, 0, sizeof(*f)); /* the slot may hold a frame popped earlier */
    f->node = n;
    if (anchor) {
        size_t len = 0;
        const char *name = fy_token_get_text(anchor, &len);

        if (!name || !(f->anchor = bh_arena_strndup(b->a, name, len)))
            return BH_ENOMEM;
    }
    return 0;
}

static bool is_merge_key(const struct builder *b, const struct bh_ynode *k)
{
    if (b->flags & BH_YAML_NO_MERGE)
        return false;
    if (k->type != BH_Y_SCALAR || k->scalar_len != 2 || memcmp(k->scalar, "<<", 2) != 0)
        return false;
    if (k->tag)
        return strcmp(k->tag, "tag:yaml.org,2002:merge") == 0;
    return k->style == BH_YS_PLAIN;
}

/* Pull the pairs of merge source src into the map m unless the key is already there. */
static int merge_from(struct builder *b, struct bh_ynode *m, struct keyset *keys,
                      const struct bh_ynode *src, struct bh_ypair **out, size_t *nout,
                      size_t *outcap)
{
    size_t i;
    int rc;

    if (src->type != BH_Y_MAP)
        return bh_err_set(
            b->err, BH_EPARSE, b->file, src->line, src->col,
            "merge key ('<<') value must be a mapping or a list of mappings, not a %s",
            bh_yaml_type_name(src));
    for (i = 0; i < src->n; i++) {
        const struct bh_ypair *p = &src->pairs[i];
        struct bh_ypair *slot;

        if (p->key->type == BH_Y_SCALAR) {
            struct keyslot *s = keyset_find(b->a, keys, p->key->scalar, p->key->scalar_len);

            if (!s)
                return BH_ENOMEM;
            if (s->key)
                continue; /* an explicit key, or an earlier merge source, wins */
            keyset_fill(keys, s, p->key->scalar, p->key->scalar_len);
            s->idx = IDX_MERGED;
        }
        if ((rc = count_nodes(b, p->key->weight + p->value->weight, src)))
            return rc;
        if (!(slot = BH_PUSH(b->a, *out, *nout, *outcap)))
            return BH_ENOMEM;
        *slot = *p;
        m->weight += p->key->weight + p->value->weight;
        if (m->height < p->value->height + 1)
            m->height = p->value->height + 1;
        if (m->height < p->key->height + 1)
            m->height = p->key->height + 1;
    }
    return 0;
}

/*
 * Turn the alternating keys and values of a finished mapping into pairs:
 * reject duplicate keys (or keep the last), then splice in merge keys where
 * `<<` stood, keys written in the mapping itself taking precedence.
 */
static int finish_map(struct builder *b, struct frame *f)
{
    struct bh_ynode *m = f->node;
    size_t npairs = f->nkids / 2, i, nout = 0, outcap = 0;
    struct keyset keys = {0};
    struct bh_ypair *out = NULL;
    char shown[80];
    int rc;

    if ((rc = keyset_reserve(b->a, &keys, npairs)))
        return rc;
    for (i = 0; i < npairs; i++) {
        struct bh_ynode *k = f->kids[2 * i];
        struct keyslot *s;

        if (k->type != BH_Y_SCALAR || is_merge_key(b, k))
            continue;
        if (!(s = keyset_find(b->a, &keys, k->scalar, k->scalar_len)))
            return BH_ENOMEM;
        if (s->key && !(b->flags & BH_YAML_ALLOW_DUPLICATES))
            return bh_err_set(b->err, BH_EPARSE, b->file, k->line, k->col,
                              "duplicate key '%s' (first at line %d)",
                              printable(shown, sizeof(shown), k->scalar, k->scalar_len),
                              f->kids[2 * s->idx]->line);
        if (!s->key)
            keyset_fill(&keys, s, k->scalar, k->scalar_len);
        s->idx = i;
    }
    if (npairs && !(out = bh_arena_calloc(b->a, npairs, sizeof(*out))))
        return BH_ENOMEM;
    outcap = npairs;
    for (i = 0; i < npairs; i++) {
        struct bh_ynode *k = f->kids[2 * i], *v = f->kids[2 * i + 1];
        struct bh_ypair *slot;

        if (is_merge_key(b, k)) {
            size_t j;

            if (v->type == BH_Y_SEQ) {
                for (j = 0; j < v->n; j++) {
                    if ((rc = merge_from(b, m, &keys, v->items[j], &out, &nout, &outcap)))
                        return rc;
                }
            } else if ((rc = merge_from(b, m, &keys, v, &out, &nout, &outcap))) {
                return rc;
            }
            /* the merge pair's own nodes are not part of the result */
            m->weight -= k->weight + v->weight;
            continue;
        }
        if (k->type == BH_Y_SCALAR) {
            struct keyslot *s = keyset_find(b->a, &keys, k->scalar, k->scalar_len);

            if (!s)
                return BH_ENOMEM;
            if (s->idx != i)
                continue; /* a later duplicate replaces this one */
        }
        if (!(slot = BH_PUSH(b->a, out, nout, outcap)))
            return BH_ENOMEM;
        slot->key = k;
        slot->value = v;
    }
    m->pairs = out;
    m->n = nout;
    return 0;
}

static int close_collection(struct builder *b, struct fy_event *e)
{
    struct frame *f;
    struct bh_ynode *n;
    const struct fy_mark *t = fy_event_end_mark(e);
    int rc;

    if (b->depth == 0)
        return bh_err_set(b->err, BH_EINTERNAL, b->file, 0, 0, "yaml: unbalanced %s", "events");
    f = &b->stack[b->depth - 1];
    n = f->node;
    if (t) {
        n->end_line = t->line + 1;
        n->end_col = t->column + 1;
    }
    if (n->type == BH_Y_MAP) {
        if ((rc = finish_map(b, f)))
            return rc;
    } else {
        n->items = f->kids;
        n->n = f->nkids;
    }
    b->depth--;
    if (f->anchor) {
        struct keyslot *s = keyset_find(b->a, &b->anchors, f->anchor, strlen(f->anchor));

        if (!s)
            return BH_ENOMEM;
        if (!s->key)
            keyset_fill(&b->anchors, s, f->anchor, strlen(f->anchor));
        s->node = n;
    }
    return add_child(b, n);
}

static int on_document_start(struct builder *b, struct fy_event *e)
{
    const struct fy_mark *s = fy_event_start_mark(e);

    if (b->ndocs >= BH_MAX_YAML_DOCS)
        return bh_err_set(b->err, BH_ELIMIT, b->file, s ? s->line + 1 : 0, 0,
                          "yaml stream has more than %u documents (BH_MAX_YAML_DOCS)",
                          (unsigned)BH_MAX_YAML_DOCS);
    /* anchors do not cross document boundaries */
    b->anchors.slots = NULL;
    b->anchors.cap = b->anchors.n = 0;
    b->root = NULL;
    b->doc_line = (s && !e->document_start.implicit) ? s->line + 1 : 0;
    return 0;
}

static int on_document_end(struct builder *b)
{
    struct bh_ydoc *d;
    struct bh_ynode *root = b->root;

    if (!root) {
        if (!(root = bh_arena_alloc(b->a, sizeof(*root))))
            return BH_ENOMEM;
        root->type = BH_Y_NULL;
        root->line = b->doc_line;
        root->col = b->doc_line ? 1 : 0;
    }
    if (!(d = BH_PUSH(b->a, b->docs, b->ndocs, b->docs_cap)))
        return BH_ENOMEM;
    d->root = root;
    d->line = b->doc_line ? b->doc_line : root->line;
    return 0;
}

static int on_event(struct builder *b, struct fy_event *e)
{
    switch (e->type) {
    case FYET_DOCUMENT_START:
        return on_document_start(b, e);
    case FYET_DOCUMENT_END:
        return on_document_end(b);
    case FYET_MAPPING_START:
        return open_collection(b, BH_Y_MAP, e);
    case FYET_SEQUENCE_START:
        return open_collection(b, BH_Y_SEQ, e);
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        return close_collection(b, e);
    case FYET_SCALAR:
        return on_scalar(b, e);
    case FYET_ALIAS:
        return on_alias(b, e);
    default:
        return 0;
    }
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    size_t n, i;
    unsigned lo = 0x80, hi = 0xbf;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (s[0] == 0xe0)
        lo = 0xa0;
    else if (s[0] == 0xed)
        hi = 0x9f;
    else if (s[0] == 0xf0)
        lo = 0x90;
    else if (s[0] == 0xf4)
        hi = 0x8f;
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    }
    return n;
}

/*
 * YAML text is Unicode, and libfyaml 0.7.12 loops forever on some malformed
 * UTF-8 inside a directive line (`%\xff`), so malformed input stops here.
 */
static int check_utf8(struct builder *b)
{
    const unsigned char *s = (const unsigned char *)b->text;
    size_t i = 0;
    int line = 1, col = 1;

    while (i < b->len) {
        size_t n = utf8_seq(s + i, b->len - i);

        if (n == 0)
            return bh_err_set(b->err, BH_EPARSE, b->file, line, col,
                              "invalid yaml: not UTF-8 (byte 0x%02x)", s[i]);
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return 0;
}

static bool is_blank_or_end(const char *t, size_t len, size_t i)
{
    return i >= len || t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\0';
}

/*
 * libfyaml 0.7.12 crashes in fy_parser_destroy() after reporting "cannot use
 * tab for indentation of block entry" for a `key:<tab>-` (or ?, :, |, >)
 * inside an explicit `? ` key. Such text is invalid YAML anyway, so refuse it
 * before libfyaml sees it. The scan is line based and, once a file has an
 * explicit key, refuses the pattern on every later line too (also inside a
 * quoted scalar): over-refusing rare text is better than a crash.
 */
static int check_tab_after_explicit_key(struct builder *b)
{
    const char *t = b->text;
    size_t len = b->len, i = 0;
    long qcol = -1; /* column of the open explicit key's '?', or -1 */
    int line = 1;

    while (i < len) {
        size_t start = i, end = i, c;

        /* YAML line breaks are LF, CRLF and a lone CR (libfyaml honours all three) */
        while (end < len && t[end] != '\n' && t[end] != '\r')
            end++;
        /* a byte order mark is not a column: "<BOM>? k:<tab>-" crashes libfyaml too */
        if (end - start >= 3 && (unsigned char)t[start] == 0xef &&
            (unsigned char)t[start + 1] == 0xbb && (unsigned char)t[start + 2] == 0xbf)
            start += 3;
        c = start;
        while (c < end && t[c] == ' ')
            c++;
        /*
         * Once an explicit key was seen the scan stays armed to the end: libfyaml's own idea of
         * when the key ends differs from ours on odd input (a "%" line right after "?<CR>"
         * still crashed it), and refusing `k:<tab>-` later in such a rare file costs little.
         */
        /* any "? " after white space may open an explicit key ("- ? k", "--- ? k") */
        for (; qcol < 0 && c < end; c++) {
            if (t[c] == '?' && (c == start || t[c - 1] == ' ' || t[c - 1] == '\t') &&
                is_blank_or_end(t, end, c + 1))
                qcol = (long)(c - start);
        }
        for (c = start; qcol >= 0 && c < end; c++) {
            size_t k = c + 1;
            bool tab = false;

            if (t[c] != ':')
                continue;
            while (k < end && (t[k] == ' ' || t[k] == '\t'))
                tab |= t[k++] == '\t';
            /* libfyaml's test: one of ?:|> or NUL, or a '-' followed by a blank */
            if (tab && k < end &&
                (memchr("?:|>", t[k], 5) || (t[k] == '-' && is_blank_or_end(t, end, k + 1))))
                return bh_err_set(b->err, BH_EPARSE, b->file, line, (int)(c - start) + 2,
                                  "invalid yaml: %s",
                                  "cannot use tab for indentation of block entry");
        }
        i = end + 1;
        if (end < len && t[end] == '\r' && i < len && t[i] == '\n')
            i++;
        line++;
    }
    return 0;
}

static void discard_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

/* The first error libfyaml collected, as a BH_EPARSE. */
static int syntax_error(struct builder *b, struct fy_diag *diag)
{
    struct fy_diag_error *de;
    void *it = NULL;
    char shown[200];

    while ((de = fy_diag_errors_iterate(diag, &it)) != NULL) {
        if (de->type != FYET_ERROR)
            continue;
        return bh_err_set(b->err, BH_EPARSE, b->file, de->line > 0 ? de->line : 0,
                          de->column > 0 ? de->column : 0, "invalid yaml: %s",
                          de->msg ? printable(shown, sizeof(shown), de->msg, strlen(de->msg))
                                  : "syntax error");
    }
    return bh_err_set(b->err, BH_EPARSE, b->file, 0, 0, "invalid yaml: %s", "syntax error");
}

int bh_yaml_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  unsigned flags, struct bh_ydoc **docs, size_t *ndocs, struct bh_err *err)
{
    struct builder b = {0};
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg pcfg = {0};
    struct fy_diag *diag = NULL;
    struct fy_parser *fyp = NULL;
    struct fy_event *e;
    int rc = 0;

    *docs = NULL;
    *ndocs = 0;
    if (len > BH_MAX_YAML_INPUT)
        return bh_err_set(err, BH_ELIMIT, file, 0, 0,
                          "yaml input larger than %u bytes (BH_MAX_YAML_INPUT)",
                          (unsigned)BH_MAX_YAML_INPUT);
    b.text = text;
    b.len = len;
    b.a = a;
    b.file = file;
    b.err = err;
    b.flags = flags;
    if ((rc = check_utf8(&b)) || (rc = check_tab_after_explicit_key(&b)))
        return rc;

    /* libfyaml must never print: collect its errors, send any other output nowhere */
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = discard_diag;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    if (!(diag = fy_diag_create(&dcfg))) {
        rc = BH_ENOMEM;
        goto out;
    }
    fy_diag_set_collect_errors(diag, true);
    pcfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE | FYPCF_DISABLE_MMAP_OPT;
    pcfg.diag = diag;
    if (!(fyp = fy_parser_create(&pcfg))) {
        rc = BH_ENOMEM;
        goto out;
    }
    if (fy_parser_set_string(fyp, len ? text : "", len) != 0) {
        rc = BH_ENOMEM;
        goto out;
    }
    while ((e = fy_parser_parse(fyp)) != NULL) {
        rc = on_event(&b, e);
        fy_parser_event_free(fyp, e);
        if (rc)
            goto out;
    }
    if (fy_parser_get_stream_error(fyp)) {
        rc = syntax_error(&b, diag);
        goto out;
    }
    *docs = b.docs;
    *ndocs = b.ndocs;
out:
    if (rc == BH_ENOMEM && (!err || err->code != BH_ENOMEM))
        rc = bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory parsing yaml");
    if (fyp)
        fy_parser_destroy(fyp);
    if (diag)
        fy_diag_destroy(diag);
    return rc;
}

struct bh_ynode *bh_yaml_getn(const struct bh_ynode *map, const char *key, size_t keylen)
{
    size_t i;

    if (!map || map->type != BH_Y_MAP)
        return NULL;
    for (i = 0; i < map->n; i++) {
        const struct bh_ynode *k = map->pairs[i].key;

        if (k->type == BH_Y_SCALAR && k->scalar_len == keylen &&
            memcmp(k->scalar, key, keylen) == 0)
            return map->pairs[i].value;
    }
    return NULL;
}

struct bh_ynode *bh_yaml_get(const struct bh_ynode *map, const char *key)
{
    return bh_yaml_getn(map, key, strlen(key));
}

struct bh_ynode *bh_yaml_path(const struct bh_ynode *node, const char *path)
{
    const char *p = path;

    while (node && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);

        if (node->type == BH_Y_SEQ) {
            long long idx;

            if (bh_parse_int(p, n, 0, (long long)(SIZE_MAX / 2), &idx) || (size_t)idx >= node->n)
                return NULL;
            node = node->items[idx];
        } else {
            node = bh_yaml_getn(node, p, n);
        }
        p += n;
        if (*p == '.')
            p++;
    }
    return (struct bh_ynode *)node;
}

bool bh_yaml_is_map(const struct bh_ynode *n)
{
    return n && n->type == BH_Y_MAP;
}

bool bh_yaml_is_seq(const struct bh_ynode *n)
{
    return n && n->type == BH_Y_SEQ;
}

bool bh_yaml_is_scalar(const struct bh_ynode *n)
{
    return n && n->type == BH_Y_SCALAR;
}

bool bh_yaml_scalar_eq(const struct bh_ynode *n, const char *s)
{
    size_t len = strlen(s);

    return n && n->type == BH_Y_SCALAR && n->scalar_len == len && memcmp(n->scalar, s, len) == 0;
}

const char *bh_yaml_type_name(const struct bh_ynode *n)
{
    if (!n || n->type == BH_Y_NULL)
        return "null";
    switch (n->type) {
    case BH_Y_MAP:
        return "mapping";
    case BH_Y_SEQ:
        return "sequence";
    default:
        return "scalar";
    }
}

/*
 * A scalar takes part in implicit typing only when plain and untagged; an
 * explicit tag of the matching core type (`!!int "8"`) also counts.
 */
static bool typable(const struct bh_ynode *n, const char *core_tag)
{
    if (!n || n->type != BH_Y_SCALAR)
        return false;
    if (n->tag)
        return strcmp(n->tag, core_tag) == 0;
    return n->style == BH_YS_PLAIN;
}

static bool one_of(const struct bh_ynode *n, const char *const *words)
{
    for (; *words; words++) {
        if (bh_yaml_scalar_eq(n, *words))
            return true;
    }
    return false;
}

bool bh_yaml_is_null(const struct bh_ynode *n, enum bh_yaml_schema schema)
{
    static const char *const nulls[] = {"~", "null", "Null", "NULL", "", NULL};

    (void)schema; /* the null words are the same in 1.1 and 1.2 core */
    if (n && n->type == BH_Y_NULL)
        return true;
    return typable(n, "tag:yaml.org,2002:null") && one_of(n, nulls);
}

int bh_yaml_bool(const struct bh_ynode *n, enum bh_yaml_schema schema, bool *out)
{
    static const char *const t12[] = {"true", "True", "TRUE", NULL};
    static const char *const f12[] = {"false", "False", "FALSE", NULL};
    static const char *const t11[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", NULL};
    static const char *const f11[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF", NULL};

    if (!typable(n, "tag:yaml.org,2002:bool"))
        return BH_EPARSE;
    if (one_of(n, t12) || (schema == BH_YAML_1_1 && one_of(n, t11))) {
        *out = true;
        return 0;
    }
    if (one_of(n, f12) || (schema == BH_YAML_1_1 && one_of(n, f11))) {
        *out = false;
        return 0;
    }
    return BH_EPARSE;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/* Digits of s in base, `_` skipped when allowed; at least one digit. Magnitude into *v. */
static int parse_digits(const char *s, size_t len, unsigned base, bool underscores,
                        unsigned long long *v)
{
    unsigned long long acc = 0;
    size_t i, ndigits = 0;

    for (i = 0; i < len; i++) {
        int d;

        if (s[i] == '_' && underscores)
            continue;
        d = digit_value(s[i]);
        if (d < 0 || (unsigned)d >= base)
            return BH_EPARSE;
        if (acc > (ULLONG_MAX - (unsigned)d) / base)
            return BH_ELIMIT;
        acc = acc * base + (unsigned)d;
        ndigits++;
    }
    if (ndigits == 0)
        return BH_EPARSE;
    *v = acc;
    return 0;
}

/* YAML 1.1 sexagesimal: [1-9][0-9_]*(:[0-5]?[0-9])+ */
static int parse_base60(const char *s, size_t len, unsigned long long *v)
{
    unsigned long long acc = 0, part;
    const char *colon = memchr(s, ':', len);
    size_t i;
    int rc;

    if (!colon || len == 0 || s[0] < '1' || s[0] > '9')
        return BH_EPARSE;
    if ((rc = parse_digits(s, (size_t)(colon - s), 10, true, &acc)))
        return rc;
    i = (size_t)(colon - s);
    while (i < len) {
        size_t start = ++i, n;

        while (i < len && s[i] != ':')
            i++;
        n = i - start;
        if (n < 1 || n > 2 || (n == 2 && (s[start] < '0' || s[start] > '5')))
            return BH_EPARSE;
        if ((rc = parse_digits(s + start, n, 10, false, &part)))
            return rc;
        if (acc > (ULLONG_MAX - part) / 60)
            return BH_ELIMIT;
        acc = acc * 60 + part;
    }
    *v = acc;
    return 0;
}

int bh_yaml_int(const struct bh_ynode *n, enum bh_yaml_schema schema, long long *out, bool *base60)
{
    unsigned long long mag = 0;
    const char *s;
    size_t len;
    bool neg = false, sixty = false;
    int rc;

    if (base60)
        *base60 = false;
    if (!typable(n, "tag:yaml.org,2002:int") || n->scalar_len == 0)
        return BH_EPARSE;
    s = n->scalar;
    len = n->scalar_len;
    if (schema == BH_YAML_1_2) {
        if (len > 2 && s[0] == '0' && s[1] == 'o')
            rc = parse_digits(s + 2, len - 2, 8, false, &mag);
        else if (len > 2 && s[0] == '0' && s[1] == 'x')
            rc = parse_digits(s + 2, len - 2, 16, false, &mag);
        else {
            if (s[0] == '-' || s[0] == '+') {
                neg = s[0] == '-';
                s++;
                len--;
            }
            rc = parse_digits(s, len, 10, false, &mag);
        }
    } else {
        if (s[0] == '-' || s[0] == '+') {
            neg = s[0] == '-';
            s++;
            len--;
        }
        if (len > 2 && s[0] == '0' && s[1] == 'b')
            rc = parse_digits(s + 2, len - 2, 2, true, &mag);
        else if (len > 2 && s[0] == '0' && s[1] == 'x')
            rc = parse_digits(s + 2, len - 2, 16, true, &mag);
        else if (len > 1 && s[0] == '0')
            rc = parse_digits(s + 1, len - 1, 8, true, &mag);
        else if (len && memchr(s, ':', len)) {
            rc = parse_base60(s, len, &mag);
            sixty = true;
        } else if (len && s[0] != '_')
            rc = parse_digits(s, len, 10, true, &mag);
        else
            rc = BH_EPARSE;
    }
    if (rc)
        return rc;
    if (neg) {
        if (mag > 9223372036854775808ULL)
            return BH_ELIMIT;
        *out = mag == 9223372036854775808ULL ? (-9223372036854775807LL - 1) : -(long long)mag;
    } else {
        if (mag > 9223372036854775807ULL)
            return BH_ELIMIT;
        *out = (long long)mag;
    }
    if (base60)
        *base60 = sixty;
    return 0;
}
