/*
 * policy.c (input) - reads the policy file (docs/policy.md, YAML 1.2) into a
 * struct bh_policy. Strict on purpose: an unknown key, rule id or severity is
 * an error at its line and column, because a misspelt key that is silently
 * ignored would leave a rule on or a trust list empty. It does not apply the
 * policy; rules/pipeline.c and the rules themselves read the struct.
 */
#include "input/policy.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"
#include "input/files.h"
#include "input/yaml.h"
#include "model/finding.h"
#include "rules/rule.h"

#include <string.h>

struct preader {
    struct bh_arena *a;
    const char *file;
    struct bh_err *err;
    struct bh_policy *p;
};

static int fail(struct preader *r, int code, const struct bh_ynode *n, const char *what,
                const char *detail)
{
    return bh_err_set(r->err, code, r->file, n ? n->line : 0, n ? n->col : 0, "%s%s", what, detail);
}

/* Input text for a message: bounded and without control characters. */
static const char *shown(char *out, size_t outsz, const struct bh_ynode *n)
{
    size_t i, o = 0;

    if (!n || n->type != BH_Y_SCALAR) {
        snprintf(out, outsz, "%s", bh_yaml_type_name(n));
        return out;
    }
    for (i = 0; i < n->scalar_len && o + 4 < outsz; i++)
        out[o++] =
            ((unsigned char)n->scalar[i] < 0x20 || n->scalar[i] == 0x7f) ? '?' : n->scalar[i];
    if (i < n->scalar_len) {
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o] = '\0';
    return out;
}

/* A node's kind for messages, "empty" for a null value. */
static const char *kind_of(const struct bh_ynode *n)
{
    return bh_yaml_is_null(n, BH_YAML_1_2) ? "empty" : bh_yaml_type_name(n);
}

/*
 * Check that map is a mapping whose keys are all among `known` (NULL-ended),
 * naming the section in errors.
 */
static int check_keys(struct preader *r, const struct bh_ynode *map, const char *section,
                      const char *const *known, const struct bh_ynode *where)
{
    char k[128], list[256];
    size_t i, o = 0;

    if (!bh_yaml_is_map(map))
        return bh_err_set(r->err, BH_EPARSE, r->file, map ? map->line : where->line,
                          map ? map->col : where->col, "%s must be a mapping, not %s", section,
                          kind_of(map));
    list[0] = '\0';
    for (i = 0; known[i] && o < sizeof(list); i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", known[i]);
    for (i = 0; i < map->n; i++) {
        const struct bh_ynode *key = map->pairs[i].key;
        size_t j;
        bool ok = false;

        if (key->type != BH_Y_SCALAR || key->style == BH_YS_LITERAL || key->style == BH_YS_FOLDED)
            return fail(r, BH_EPARSE, key, "keys must be plain strings in ", section);
        for (j = 0; known[j] && !ok; j++)
            ok = bh_yaml_scalar_eq(key, known[j]);
        if (!ok)
            return bh_err_set(r->err, BH_EPARSE, r->file, key->line, key->col,
                              "unknown key '%s' in %s (expected one of: %s)",
                              shown(k, sizeof(k), key), section, list);
    }
    return 0;
}

/* A boolean in YAML 1.2, plus on/off in their three spellings as a convenience. */
static int policy_bool(const struct bh_ynode *n, bool *out)
{
    static const char *const on[] = {"on", "On", "ON", NULL}, *const off[] = {"off", "Off", "OFF",
                                                                              NULL};
    size_t i;

    if (bh_yaml_bool(n, BH_YAML_1_2, out) == 0)
        return 0;
    if (!n || n->type != BH_Y_SCALAR || n->style != BH_YS_PLAIN || n->tag)
        return BH_EPARSE;
    for (i = 0; on[i]; i++) {
        if (bh_yaml_scalar_eq(n, on[i])) {
            *out = true;
            return 0;
        }
        if (bh_yaml_scalar_eq(n, off[i])) {
            *out = false;
            return 0;
        }
    }
    return BH_EPARSE;
}

static int read_version(struct preader *r, const struct bh_ynode *n)
{
    long long v = 0;
    char s[64];

    if (bh_yaml_int(n, BH_YAML_1_2, &v, NULL) != 0 || v != 1)
        return bh_err_set(r->err, BH_EPARSE, r->file, n->line, n->col,
                          "unsupported policy version '%s' (only 1 is supported)",
                          shown(s, sizeof(s), n));
    return 0;
}

static int read_rule_value(struct preader *r, const struct bh_ynode *id, const struct bh_ynode *v,
                           struct bh_policy_rule *pr)
{
    static const char *const known[] = {"enabled", "severity", NULL};
    const struct bh_ynode *en, *sev;
    char section[160], s[64];
    bool b;
    int rc;

    if (v->type == BH_Y_SCALAR) {
        if (policy_bool(v, &b) != 0)
            return bh_err_set(r->err, BH_EPARSE, r->file, v->line, v->col,
                              "rule '%s': expected on, off or {enabled: ..., severity: ...}, "
                              "not %s%s%s",
                              pr->id, v->scalar_len ? "'" : "",
                              v->scalar_len ? shown(s, sizeof(s), v) : "empty",
                              v->scalar_len ? "'" : "");
        pr->enabled = b;
        return 0;
    }
    snprintf(section, sizeof(section), "rule '%s'", pr->id);
    if ((rc = check_keys(r, v, section, known, id)))
        return rc;
    if ((en = bh_yaml_get(v, "enabled")) != NULL) {
        if (policy_bool(en, &b) != 0)
            return bh_err_set(r->err, BH_EPARSE, r->file, en->line, en->col,
                              "rule '%s': enabled must be true or false, not '%s'", pr->id,
                              shown(s, sizeof(s), en));
        pr->enabled = b;
    }
    if ((sev = bh_yaml_get(v, "severity")) != NULL) {
        int level = -1;

        if (sev->type == BH_Y_SCALAR && sev->scalar_len == strlen(sev->scalar))
            level = bh_severity_parse(sev->scalar);
        if (level < 0)
            return bh_err_set(r->err, BH_EPARSE, r->file, sev->line, sev->col,
                              "rule '%s': unknown severity '%s' (expected info, low, medium, "
                              "high or critical)",
                              pr->id, shown(s, sizeof(s), sev));
        pr->severity = level;
    }
    return 0;
}

static int read_rules(struct preader *r, const struct bh_ynode *map, const struct bh_ynode *where)
{
    static const char *const none[] = {NULL};
    struct bh_policy *p = r->p;
    size_t i, j;
    char s[128];
    int rc;

    if (!bh_yaml_is_map(map))
        return check_keys(r, map, "'rules'", none, where);
    if (map->n > BH_MAX_POLICY_ITEMS)
        return bh_err_set(r->err, BH_ELIMIT, r->file, map->line, map->col,
                          "more than %u entries in 'rules' (BH_MAX_POLICY_ITEMS)",
                          (unsigned)BH_MAX_POLICY_ITEMS);
    for (i = 0; i < map->n; i++) {
        const struct bh_ynode *id = map->pairs[i].key, *v = map->pairs[i].value;
        const struct bh_rule *rule;
        struct bh_policy_rule *pr;

        if (id->type != BH_Y_SCALAR || id->scalar_len != strlen(id->scalar) || id->scalar_len == 0)
            return fail(r, BH_EPARSE, id, "rule ids must be non-empty strings", "");
        if (!(rule = bh_rules_find(id->scalar)))
            return bh_err_set(r->err, BH_EPARSE, r->file, id->line, id->col, "unknown rule '%s'",
                              shown(s, sizeof(s), id));
        /* ids are case-insensitive, so `build-pin` and `BUILD-PIN` are the same entry */
        for (j = 0; j < p->nrules; j++) {
            if (bh_str_ieq(p->rules[j].id, rule->id))
                return bh_err_set(r->err, BH_EPARSE, r->file, id->line, id->col,
                                  "rule '%s' is configured twice (also at line %d)", rule->id,
                                  p->rules[j].loc.line);
        }
        if (!(pr = BH_PUSH(r->a, p->rules, p->nrules, p->rules_cap)))
            return BH_ENOMEM;
        pr->id = rule->id;
        pr->enabled = -1;
        pr->severity = -1;
        pr->loc.file = r->file;
        pr->loc.line = id->line;
        pr->loc.col = id->col;
        pr->loc.path = NULL;
        if ((rc = read_rule_value(r, id, v, pr)))
            return rc;
    }
    return 0;
}

/* N2 from RULES.md: trim, upper-case, drop a leading CAP_. */
static char *normalise_cap(struct bh_arena *a, const char *s, size_t len)
{
    char *out;
    size_t i;

    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len > 4 && bh_str_ieqn(s, 4, "CAP_")) {
        s += 4;
        len -= 4;
    }
    if (!(out = bh_arena_strndup(a, s, len)))
        return NULL;
    for (i = 0; i < len; i++) {
        if (out[i] >= 'a' && out[i] <= 'z')
            out[i] = (char)(out[i] - 'a' + 'A');
    }
    return out;
}

enum entry_kind {
    ENTRY_NAME, /* registries, publishers, images, variable names */
    ENTRY_CAP,  /* capabilities, normalised */
};

/* A list of strings under section.key into the (arr, n, cap) array of the policy. */
static int read_list(struct preader *r, const struct bh_ynode *seq, const char *section,
                     enum entry_kind kind, const char ***arr, size_t *n, size_t *cap)
{
    size_t i, j;
    char s[128];

    if (!bh_yaml_is_seq(seq))
        return bh_err_set(r->err, BH_EPARSE, r->file, seq->line, seq->col,
                          "%s must be a list of strings, not %s", section, kind_of(seq));
    if (seq->n > BH_MAX_POLICY_ITEMS)
        return bh_err_set(r->err, BH_ELIMIT, r->file, seq->line, seq->col,
                          "more than %u entries in %s (BH_MAX_POLICY_ITEMS)",
                          (unsigned)BH_MAX_POLICY_ITEMS, section);
    for (i = 0; i < seq->n; i++) {
        const struct bh_ynode *it = seq->items[i];
        const char **slot;
        char *v;

        if (it->type != BH_Y_SCALAR || bh_yaml_is_null(it, BH_YAML_1_2) || it->scalar_len == 0)
            return bh_err_set(r->err, BH_EPARSE, r->file, it->line, it->col,
                              "%s: entries must be non-empty strings, not %s", section,
                              it->type == BH_Y_SCALAR ? "empty" : bh_yaml_type_name(it));
        if (it->scalar_len > BH_MAX_POLICY_ENTRY)
            return bh_err_set(r->err, BH_ELIMIT, r->file, it->line, it->col,
                              "%s: entry longer than %u bytes (BH_MAX_POLICY_ENTRY)", section,
                              (unsigned)BH_MAX_POLICY_ENTRY);
        for (j = 0; j < it->scalar_len; j++) {
            unsigned char c = (unsigned char)it->scalar[j];

            if (c <= 0x20 || c == 0x7f)
                return bh_err_set(r->err, BH_EPARSE, r->file, it->line, it->col,
                                  "%s: '%s' contains a space or control character", section,
                                  shown(s, sizeof(s), it));
        }
        if (strstr(it->scalar, "://"))
            return bh_err_set(r->err, BH_EPARSE, r->file, it->line, it->col,
                              "%s: '%s' has a URL scheme; write the name alone", section,
                              shown(s, sizeof(s), it));
        v = kind == ENTRY_CAP ? normalise_cap(r->a, it->scalar, it->scalar_len)
                              : bh_arena_strndup(r->a, it->scalar, it->scalar_len);
        if (!v || !(slot = BH_PUSH(r->a, *arr, *n, *cap)))
            return BH_ENOMEM;
        *slot = v;
    }
    return 0;
}

/* The key node of `key` in map (for positions), or NULL. */
static const struct bh_ynode *key_node(const struct bh_ynode *map, const char *key)
{
    size_t i;

    for (i = 0; i < map->n; i++) {
        if (bh_yaml_scalar_eq(map->pairs[i].key, key))
            return map->pairs[i].key;
    }
    return NULL;
}

/* A section holding one list: `registries: {trusted: [...]}` and its kin. */
static int read_list_section(struct preader *r, const struct bh_ynode *root, const char *section,
                             const char *key, enum entry_kind kind, const char ***arr, size_t *n,
                             size_t *cap)
{
    const char *known[2] = {key, NULL};
    const struct bh_ynode *sec = bh_yaml_get(root, section), *list;
    char qsection[64], qkey[96];
    int rc;

    if (!sec)
        return 0;
    snprintf(qsection, sizeof(qsection), "'%s'", section);
    if ((rc = check_keys(r, sec, qsection, known, key_node(root, section))))
        return rc;
    if (!(list = bh_yaml_get(sec, key)))
        return 0;
    snprintf(qkey, sizeof(qkey), "'%s.%s'", section, key);
    return read_list(r, list, qkey, kind, arr, n, cap);
}

static int read_images(struct preader *r, const struct bh_ynode *sec, const struct bh_ynode *where)
{
    static const char *const known[] = {"max_age_days", NULL};
    const struct bh_ynode *age;
    long long v = 0;
    char s[64];
    int rc;

    if ((rc = check_keys(r, sec, "'images'", known, where)))
        return rc;
    if (!(age = bh_yaml_get(sec, "max_age_days")))
        return 0;
    if (bh_yaml_int(age, BH_YAML_1_2, &v, NULL) != 0 || v < 1 || v > BH_MAX_POLICY_AGE_DAYS)
        return bh_err_set(r->err, BH_EPARSE, r->file, age->line, age->col,
                          "'images.max_age_days' must be a whole number of days from 1 to %d, "
                          "not '%s'",
                          BH_MAX_POLICY_AGE_DAYS, shown(s, sizeof(s), age));
    r->p->max_image_age_days = (int)v;
    return 0;
}

static int read_root(struct preader *r, const struct bh_ynode *root)
{
    static const char *const known[] = {
        "version",      "rules",   "registries", "publishers", "socket",
        "capabilities", "devices", "secrets",    "images",     NULL};
    struct bh_policy *p = r->p;
    const struct bh_ynode *n;
    size_t i;
    int rc;

    if ((rc = check_keys(r, root, "the policy", known, root)))
        return rc;
    if ((n = bh_yaml_get(root, "version")) && (rc = read_version(r, n)))
        return rc;
    for (i = 0; i < root->n; i++) {
        const struct bh_ynode *k = root->pairs[i].key, *v = root->pairs[i].value;

        if (bh_yaml_scalar_eq(k, "rules"))
            rc = read_rules(r, v, k);
        else if (bh_yaml_scalar_eq(k, "images"))
            rc = read_images(r, v, k);
        if (rc)
            return rc;
    }
    if ((rc =
             read_list_section(r, root, "registries", "trusted", ENTRY_NAME, &p->trusted_registries,
                               &p->ntrusted_registries, &p->trusted_registries_cap)) ||
        (rc =
             read_list_section(r, root, "publishers", "trusted", ENTRY_NAME, &p->trusted_publishers,
                               &p->ntrusted_publishers, &p->trusted_publishers_cap)) ||
        (rc = read_list_section(r, root, "socket", "allowed_images", ENTRY_NAME, &p->socket_images,
                                &p->nsocket_images, &p->socket_images_cap)) ||
        (rc = read_list_section(r, root, "capabilities", "allowed", ENTRY_CAP, &p->allowed_caps,
                                &p->nallowed_caps, &p->allowed_caps_cap)) ||
        (rc = read_list_section(r, root, "devices", "allowed", ENTRY_NAME, &p->allowed_devices,
                                &p->nallowed_devices, &p->allowed_devices_cap)) ||
        (rc = read_list_section(r, root, "secrets", "allowed_env", ENTRY_NAME, &p->secret_env_allow,
                                &p->nsecret_env_allow, &p->secret_env_allow_cap)))
        return rc;
    return 0;
}

int bh_policy_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                    struct bh_policy *p, struct bh_err *err)
{
    struct bh_policy tmp = *p; /* *p changes only when the whole file is good */
    struct preader r = {a, file, err, &tmp};
    struct bh_ydoc *docs = NULL;
    size_t ndocs = 0;
    int rc;

    if ((rc = bh_yaml_parse(a, file, text, len, 0, &docs, &ndocs, err)))
        return rc;
    if (ndocs > 1)
        return bh_err_set(err, BH_EPARSE, file, docs[1].line, 0,
                          "a policy file holds one document, this one has %zu", ndocs);
    /* an empty file or a lone `---` is a policy that changes nothing */
    if (ndocs == 1 && !bh_yaml_is_null(docs[0].root, BH_YAML_1_2)) {
        if ((rc = read_root(&r, docs[0].root))) {
            if (rc == BH_ENOMEM)
                rc = bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory reading the policy");
            return rc;
        }
    }
    if (file && !(tmp.file = bh_arena_strdup(a, file)))
        return bh_err_set(err, BH_ENOMEM, file, 0, 0, "out of memory reading the policy");
    *p = tmp;
    return 0;
}

int bh_policy_read(struct bh_arena *a, const char *file, struct bh_policy *p, struct bh_err *err)
{
    char *text;
    size_t len;
    int rc = bh_file_read(a, file, BH_MAX_CONFIG_FILE, &text, &len, err);

    if (rc)
        return rc;
    return bh_policy_parse(a, file, text, len, p, err);
}
