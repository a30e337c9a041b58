/*
 * rules.c - `bulkhead rules [ID]`: the rule list, or one rule's page
 * (docs/rules/ID.md, embedded at build time) with its table row.
 */
#include "cmd/cmd.h"

#include "core/arena.h"
#include "core/str.h"
#include "rules/docs.h"
#include "rules/rule.h"

#include <string.h>

const struct bh_option bh_rules_options[] = {
    {"format", 'f', "FORMAT", "table (default) or json"},
    {"help", 'h', NULL, "show this help"},
    {NULL, 0, NULL, NULL},
};

struct rules_state {
    const char *format;
    bool help;
};

static int on_opt(int idx, const char *val, void *data)
{
    struct rules_state *st = data;
    const char *name = bh_rules_options[idx].long_name;

    if (!strcmp(name, "format")) {
        if (strcmp(val, "table") && strcmp(val, "json")) {
            fprintf(stderr, "bulkhead rules: --format takes table or json, not '%s'\n", val);
            return BH_EXIT_USAGE;
        }
        st->format = val;
    } else if (!strcmp(name, "help")) {
        st->help = true;
    }
    return 0;
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            printf("\\n");
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_list(bool json)
{
    size_t i, n = bh_rules_count();

    if (json)
        printf("[");
    for (i = 0; i < n; i++) {
        const struct bh_rule *r = bh_rules_at(i);

        if (json) {
            size_t k;

            printf("%s{\"id\":", i ? "," : "");
            json_str(r->id);
            printf(",\"mistake\":\"M%d\",\"severity\":\"%s\",\"title\":", r->mistake,
                   bh_severity_name(r->severity));
            json_str(r->title);
            printf(",\"fix\":");
            json_str(r->fix);
            printf(",\"references\":[");
            for (k = 0; k < BH_MAX_REFS && r->refs[k]; k++) {
                printf("%s", k ? "," : "");
                json_str(r->refs[k]);
            }
            printf("]}");
        } else {
            printf("%-22s M%d  %-8s  %s\n", r->id, r->mistake, bh_severity_name(r->severity),
                   r->title);
        }
    }
    if (json)
        printf("]\n");
}

int cmd_rules(int argc, char **argv, struct bh_ctx *ctx)
{
    struct rules_state st;
    const struct bh_rule *r;
    char **pos = NULL;
    int npos = 0, rc;
    char name[128];
    const char *doc;

    (void)ctx;
    memset(&st, 0, sizeof(st));
    rc = bh_cmd_parse("rules", argc, argv, bh_rules_options, on_opt, &st, &pos, &npos);
    if (rc)
        goto out;
    if (st.help) {
        bh_cmd_help(stdout, bh_cmd_find("rules"));
        goto out;
    }
    if (npos == 0) {
        print_list(st.format && !strcmp(st.format, "json"));
        goto out;
    }
    if (npos > 1) {
        fprintf(stderr, "bulkhead rules: one rule id at a time\n");
        rc = BH_EXIT_USAGE;
        goto out;
    }
    r = bh_rules_find(pos[0]);
    if (!r) {
        fprintf(stderr, "bulkhead rules: unknown rule '%s' (see 'bulkhead rules')\n", pos[0]);
        rc = BH_EXIT_USAGE;
        goto out;
    }
    snprintf(name, sizeof(name), "rules/%s", r->id);
    doc = bh_doc_get(name);
    if (doc) {
        fputs(doc, stdout);
    } else {
        size_t k;

        printf("# %s: %s\n\nMistake M%d, severity %s.\n\n## How to fix\n\n%s\n", r->id, r->title,
               r->mistake, bh_severity_name(r->severity), r->fix);
        for (k = 0; k < BH_MAX_REFS && r->refs[k]; k++)
            printf("%s%s", k ? ", " : "\n## Peers\n\n", r->refs[k]);
        printf("\n");
    }
out:
    free(pos);
    return rc;
}
