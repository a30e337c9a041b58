/*
 * buildspec.h - how an image is built: a Dockerfile, or (later) an image's
 * config and history, read into one model so every BUILD-/IMG-/REF- rule
 * works on both. Readers fill it; rules only read it. All memory is in the
 * scan arena; every pointer here is borrowed from it.
 */
#ifndef BH_BUILDSPEC_H
#define BH_BUILDSPEC_H

#include "model/loc.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_arena;

enum bh_instr_kind {
    BH_I_UNKNOWN = 0,
    BH_I_FROM,
    BH_I_RUN,
    BH_I_CMD,
    BH_I_LABEL,
    BH_I_MAINTAINER,
    BH_I_EXPOSE,
    BH_I_ENV,
    BH_I_ADD,
    BH_I_COPY,
    BH_I_ENTRYPOINT,
    BH_I_VOLUME,
    BH_I_USER,
    BH_I_WORKDIR,
    BH_I_ARG,
    BH_I_ONBUILD,
    BH_I_STOPSIGNAL,
    BH_I_HEALTHCHECK,
    BH_I_SHELL,
};

/* "FROM", "RUN", ... ; "UNKNOWN" for BH_I_UNKNOWN. */
const char *bh_instr_kind_name(enum bh_instr_kind k);

/* One `--name=value` flag of an instruction (`--from=build`, `--mount=type=cache,target=/x`). */
struct bh_flag {
    const char *name;  /* without the leading dashes: "from", "mount", "chmod", "checksum" */
    const char *value; /* after '=' with variables substituted; "" when the flag has no value */
    struct bh_loc loc;
};

/* A key/value pair from ENV, ARG or LABEL. value is NULL for `ARG NAME` without a default. */
struct bh_kv {
    const char *key;
    const char *value;
    struct bh_loc loc;
};

/* A word of a shell command, with its position. */
struct bh_word {
    const char *text; /* quotes removed, escapes applied; variables NOT expanded */
    int line, col;    /* 1-based position of the word's first byte in the file; 0 if unknown */
    bool quoted;      /* some part of the word was quoted */
};

/*
 * One simple command after N9 splitting (RULES.md): the words of
 * `apt-get install -y curl` in `apt-get update && apt-get install -y curl`.
 * `sh -c '...'` and `bash -c '...'` are unwrapped: the commands inside the
 * string appear as their own bh_shcmd entries with depth > 0.
 */
struct bh_shcmd {
    struct bh_word *argv; /* leading VAR=value assignments are kept in assigns, not argv */
    size_t argc;
    struct bh_word *assigns; /* `DEBIAN_FRONTEND=noninteractive apt-get ...` */
    size_t nassigns;
    const char
        *sep;  /* the operator that preceded this command: "", "&&", "||", ";", "|", "\n", "&" */
    int depth; /* 0 = top level; 1 = inside one `sh -c`, ... */
    bool in_pipeline_out; /* this command's stdout is piped into the next command (`curl ... |`) */
    const char *redirect_stdin; /* `< file`, `<(...)` process substitution target text, or NULL */
    int line;                   /* 1-based file line where the command starts */
};

/* A shell script: a RUN's shell form, a heredoc body run as a script, a CMD in shell form. */
struct bh_script {
    const char
        *text; /* the source text the commands came from (after Dockerfile continuation joining) */
    struct bh_shcmd *cmds;
    size_t ncmds;
    bool parse_error; /* unbalanced quotes etc.: cmds holds what could be recovered */
};

struct bh_heredoc {
    const char *delim; /* the delimiter word, e.g. "EOF" */
    const char
        *body; /* the lines between the instruction and the delimiter (with <<- tabs stripped) */
    bool strip_tabs;    /* <<- */
    bool quoted;        /* <<'EOF' or <<"EOF": no expansion in body */
    const char *target; /* COPY/ADD <<EOF /dst: the destination path; NULL for RUN */
    int line;           /* 1-based line of the first body line */
};

struct bh_instr {
    enum bh_instr_kind kind;
    const char *keyword; /* as written, e.g. "run" or "RUN" */
    const char
        *raw; /* argument text as written after the keyword and flags, continuations joined */
    const char *
        args; /* raw with known variables substituted (ARG/ENV in scope); for RUN/CMD same as raw */
    struct bh_loc loc; /* keyword position .. end of the last physical line */
    int stage;         /* index into bh_buildspec.stages, -1 before the first FROM */
    struct bh_flag *flags;
    size_t nflags;
    bool json_form; /* exec form ["a", "b"] for RUN/CMD/ENTRYPOINT/SHELL/VOLUME/COPY/ADD */
    /*
     * argv: exec-form elements; or, for COPY/ADD/EXPOSE/VOLUME/USER/WORKDIR/
     * STOPSIGNAL/FROM, the whitespace-separated (and variable-substituted) words.
     */
    const char **argv;
    size_t argc;
    struct bh_kv *kvs; /* ENV / ARG / LABEL pairs, both `K V` and `K=V ...` forms */
    size_t nkvs;
    struct bh_heredoc *heredocs;
    size_t nheredocs;
    /*
     * RUN (shell form; and exec form ["sh","-c","..."]), CMD/ENTRYPOINT shell form:
     * the script. For RUN <<EOF with no other command, the heredoc bodies are the script.
     */
    struct bh_script script;
    /* HEALTHCHECK: NONE or CMD; the CMD part is in script/argv. */
    bool healthcheck_none;
    /* ONBUILD: the trigger instruction (its loc is the ONBUILD line). */
    struct bh_instr *onbuild;
};

struct bh_stage {
    int index;
    const char *name;     /* `AS name` (lower-cased, as BuildKit does), or NULL */
    const char *base_raw; /* the FROM image text as written (`${BASE}`) */
    const char *base;     /* after ARG substitution; NULL when a variable has no known value */
    int base_stage;       /* index of an earlier stage this FROM names, or -1 */
    const char *platform; /* --platform value or NULL */
    struct bh_loc loc;    /* the FROM instruction */
    size_t first_instr;   /* index of the FROM in bh_buildspec.instrs */
    size_t ninstrs;       /* instructions in this stage, the FROM included */
    const char *user; /* the last USER in this stage, NULL when none (then it inherits base's) */
    struct bh_loc user_loc;
};

/* An inline suppression comment: `# bulkhead:ignore=ID[,ID] reason`. */
struct bh_ignore {
    int line; /* the comment's line: it covers findings on this line and the next instruction */
    int applies_line; /* first line of the instruction that follows the comment, or `line` for a
                         trailing comment */
    const char **ids;
    size_t nids;
    const char *reason; /* "" when none given */
};

enum bh_buildspec_origin { BH_BS_DOCKERFILE, BH_BS_IMAGE };

struct bh_buildspec {
    enum bh_buildspec_origin origin;
    const char *file;   /* the Dockerfile path, or the image reference */
    const char *syntax; /* `# syntax=` directive or NULL */
    char escape;        /* '\\' or '`' */
    struct bh_instr
        *instrs; /* every instruction in file order (ONBUILD triggers hang off ONBUILD) */
    size_t ninstrs, instrs_cap;
    struct bh_stage *stages;
    size_t nstages, stages_cap;
    struct bh_kv *global_args; /* ARGs before the first FROM */
    size_t nglobal_args, global_args_cap;
    int final_stage;       /* the stage that ships: last, or --target; -1 when no FROM */
    bool has_dockerignore; /* a .dockerignore (or <Dockerfile>.dockerignore) is next to the file */
    bool dockerignore_known; /* has_dockerignore was determined (false for images) */
    struct bh_ignore *ignores;
    size_t nignores, ignores_cap;
};

/* The stage a given instruction index belongs to (-1 if before the first FROM). */
int bh_buildspec_stage_of(const struct bh_buildspec *bs, size_t instr);
/* True when stage s ships: it is the final stage or the final stage builds FROM it (transitively).
 */
bool bh_buildspec_stage_ships(const struct bh_buildspec *bs, int s);
/* Display name of a stage: its AS name, else "#<index>" (allocated in a). NULL for s < 0. */
const char *bh_buildspec_stage_label(struct bh_arena *a, const struct bh_buildspec *bs, int s);

#endif
