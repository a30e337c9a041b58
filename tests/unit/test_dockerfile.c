/*
 * test_dockerfile.c - the Dockerfile reader: directives, continuations,
 * heredocs, exec/shell form, ONBUILD, stages, ARG/ENV scope and substitution,
 * errors with positions, inline suppressions and detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/dockerfile.h"

static struct bh_arena arena;
static struct bh_err err;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&arena, 256u << 20);
    bh_err_init(&err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&arena);
    return 0;
}

static int parse_opts(const char *text, const struct bh_dockerfile_opts *o, struct bh_buildspec *bs)
{
    bh_err_init(&err);
    return bh_dockerfile_parse(&arena, "Dockerfile", text, strlen(text), o, bs, &err);
}

static void parse_ok(const char *text, struct bh_buildspec *bs)
{
    int rc = parse_opts(text, NULL, bs);

    if (rc)
        fail_msg("parse failed: %d:%d: %s", err.line, err.col, err.msg);
}

static void parse_err(const char *text, int code, int line, int col, const char *needle)
{
    struct bh_buildspec bs;
    int rc = parse_opts(text, NULL, &bs);

    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.file, "Dockerfile");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    if (!strstr(err.msg, needle))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static const struct bh_flag *flag(const struct bh_instr *in, const char *name)
{
    size_t i;

    for (i = 0; i < in->nflags; i++)
        if (!strcmp(in->flags[i].name, name))
            return &in->flags[i];
    return NULL;
}

/* ---- directives ---- */

static void directives_backtick_escape(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("# syntax=docker/dockerfile:1.7\n"
             "# escape=`\n"
             "FROM mcr.microsoft.com/windows/servercore\n"
             "RUN echo a `\n"
             "  && echo C:\\dir\\\n",
             &bs);
    assert_string_equal(bs.syntax, "docker/dockerfile:1.7");
    assert_int_equal(bs.escape, '`');
    assert_int_equal(bs.ninstrs, 2);
    assert_string_equal(bs.instrs[1].raw, "echo a   && echo C:\\dir\\");
    assert_int_equal(bs.instrs[1].loc.line, 4);
    assert_int_equal(bs.instrs[1].loc.end_line, 5);
}

static void directive_after_comment_is_a_comment(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("# hello\n# escape=`\nFROM alpine\nRUN echo `\nRUN b\n", &bs);
    assert_int_equal(bs.escape, '\\');
    assert_null(bs.syntax);
    assert_int_equal(bs.ninstrs, 3);
    assert_string_equal(bs.instrs[1].raw, "echo `");
    /* a blank line ends the directives too */
    parse_ok("\n# syntax=x\nFROM a\n", &bs);
    assert_null(bs.syntax);
    /* whitespace around key and value, any case; check= is accepted */
    parse_ok("#  Syntax = docker/dockerfile:1  \n# check=skip=all\n#escape =\\\nFROM a\n", &bs);
    assert_string_equal(bs.syntax, "docker/dockerfile:1");
    assert_int_equal(bs.escape, '\\');
}

static void directive_errors(void **state)
{
    (void)state;
    parse_err("# escape=`\n# escape=\\\nFROM a\n", BH_EPARSE, 2, 1,
              "only one 'escape' parser directive");
    parse_err("# escape=x\nFROM a\n", BH_EPARSE, 1, 10, "invalid escape token 'x'");
}

/* ---- lines ---- */

static void continuation_skips_comments_and_blank_lines(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("FROM alpine\n"
             "RUN apk add \\\n"
             "# a comment\n"
             "    curl \\\n"
             "\n"
             "  \t\n"
             "    # indented comment\n"
             "    git\n"
             "USER app\n",
             &bs);
    assert_int_equal(bs.ninstrs, 3);
    assert_string_equal(bs.instrs[1].raw, "apk add     curl     git");
    assert_int_equal(bs.instrs[1].loc.line, 2);
    assert_int_equal(bs.instrs[1].loc.end_line, 8);
    assert_int_equal(bs.instrs[2].loc.line, 9);
}

static void continuation_escape_then_blanks_crlf_bom(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("\xef\xbb\xbf"
             "FROM alpine\r\n"
             "RUN a \\  \t\r\n"
             " b\r\n"
             "LABEL x=y\r\n",
             &bs);
    assert_int_equal(bs.ninstrs, 3);
    assert_int_equal(bs.instrs[0].kind, BH_I_FROM);
    assert_int_equal(bs.instrs[0].loc.col, 1);
    assert_string_equal(bs.instrs[0].argv[0], "alpine");
    assert_string_equal(bs.instrs[1].raw, "a  b");
    assert_string_equal(bs.instrs[2].kvs[0].value, "y");
    /* a comment line ending in the escape char does not continue */
    parse_ok("FROM a\n# note \\\nRUN x\n", &bs);
    assert_int_equal(bs.ninstrs, 2);
    assert_string_equal(bs.instrs[1].raw, "x");
}

static void script_words_map_back_to_physical_lines(void **state)
{
    struct bh_buildspec bs;
    const struct bh_script *sc;
    size_t i;
    bool found = false;

    (void)state;
    parse_ok("FROM debian\n"
             "RUN apt-get update \\\n"
             "    && apt-get install -y curl\n",
             &bs);
    sc = &bs.instrs[1].script;
    assert_string_equal(sc->text, "apt-get update     && apt-get install -y curl");
    assert_true(sc->ncmds >= 2);
    assert_int_equal(sc->cmds[0].argv[0].line, 2);
    assert_int_equal(sc->cmds[0].argv[0].col, 5);
    for (i = 0; i < sc->ncmds; i++) {
        if (sc->cmds[i].argc >= 3 && !strcmp(sc->cmds[i].argv[1].text, "install")) {
            assert_int_equal(sc->cmds[i].argv[0].line, 3);
            assert_int_equal(sc->cmds[i].argv[0].col, 8);
            assert_int_equal(sc->cmds[i].line, 3);
            found = true;
        }
    }
    assert_true(found);
}

/* ---- heredocs ---- */

static void heredoc_run_script(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *r;

    (void)state;
    parse_ok("FROM alpine\n"
             "RUN <<EOF\n"
             "apk add curl\n"
             "echo done\n"
             "EOF\n"
             "USER nobody\n",
             &bs);
    assert_int_equal(bs.ninstrs, 3);
    r = &bs.instrs[1];
    assert_int_equal(r->nheredocs, 1);
    assert_string_equal(r->heredocs[0].delim, "EOF");
    assert_string_equal(r->heredocs[0].body, "apk add curl\necho done\n");
    assert_int_equal(r->heredocs[0].line, 3);
    assert_false(r->heredocs[0].quoted);
    assert_false(r->heredocs[0].strip_tabs);
    assert_null(r->heredocs[0].target);
    assert_string_equal(r->raw, "<<EOF");
    assert_string_equal(r->script.text, "apk add curl\necho done\n");
    assert_true(r->script.ncmds >= 2);
    assert_int_equal(r->script.cmds[0].argv[0].line, 3);
    assert_string_equal(r->script.cmds[0].argv[0].text, "apk");
    assert_int_equal(r->loc.end_line, 5);
    assert_int_equal(bs.instrs[2].loc.line, 6);
    assert_string_equal(bs.stages[0].user, "nobody");
}

static void heredoc_several_chomp_quoted(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *r;

    (void)state;
    parse_ok("FROM alpine\n"
             "RUN <<A <<-'B' cat\n"
             "a1\n"
             "A\n"
             "\tb1\n"
             "\t\tb2\n"
             "\tB\n"
             "RUN <<\"END\"\n"
             "echo $HOME\n"
             "END\n",
             &bs);
    assert_int_equal(bs.ninstrs, 3);
    r = &bs.instrs[1];
    assert_int_equal(r->nheredocs, 2);
    assert_string_equal(r->heredocs[0].delim, "A");
    assert_string_equal(r->heredocs[0].body, "a1\n");
    assert_string_equal(r->heredocs[1].delim, "B");
    assert_string_equal(r->heredocs[1].body, "b1\nb2\n");
    assert_true(r->heredocs[1].strip_tabs);
    assert_true(r->heredocs[1].quoted);
    assert_int_equal(r->heredocs[1].line, 5);
    /* a command besides the heredocs: the command line is the script */
    assert_string_equal(r->script.text, "<<A <<-'B' cat");
    assert_int_equal(r->loc.end_line, 7);
    assert_true(bs.instrs[2].heredocs[0].quoted);
    assert_string_equal(bs.instrs[2].heredocs[0].delim, "END");
    assert_string_equal(bs.instrs[2].script.text, "echo $HOME\n");
}

static void heredoc_copy_and_stdin(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *c, *r;

    (void)state;
    parse_ok("FROM python:3.12\n"
             "COPY --chmod=0755 <<EOF /usr/local/bin/run.sh\n"
             "#!/bin/sh\n"
             "exec python3 app.py\n"
             "EOF\n"
             "RUN python3 <<EOF\n"
             "print('hi')\n"
             "EOF\n",
             &bs);
    c = &bs.instrs[1];
    assert_int_equal(c->argc, 2);
    assert_string_equal(c->argv[0], "<<EOF");
    assert_string_equal(c->argv[1], "/usr/local/bin/run.sh");
    assert_string_equal(c->heredocs[0].target, "/usr/local/bin/run.sh");
    assert_string_equal(c->heredocs[0].body, "#!/bin/sh\nexec python3 app.py\n");
    assert_string_equal(flag(c, "chmod")->value, "0755");
    r = &bs.instrs[2];
    assert_int_equal(r->loc.line, 6);
    assert_string_equal(r->script.text, "python3 <<EOF");
    assert_string_equal(r->heredocs[0].body, "print('hi')\n");
    assert_true(r->script.ncmds >= 1);
    assert_string_equal(r->script.cmds[0].argv[0].text, "python3");
}

static void heredoc_errors(void **state)
{
    (void)state;
    parse_err("FROM a\nRUN \\\n  cat <<EOF\nhello\n", BH_EPARSE, 3, 7,
              "unterminated heredoc 'EOF'");
    parse_err("FROM a\nRUN <<A <<B\na\nA\nb\n", BH_EPARSE, 2, 9, "unterminated heredoc 'B'");
    parse_err("FROM a\nCOPY x <<EOF\nbody\nEOF\n", BH_EPARSE, 2, 1, "heredoc as a destination");
}

static void heredoc_not_recognised(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    /* quoted, here-string, and not on RUN/COPY/ADD: no heredoc */
    parse_ok("FROM a\nRUN echo \"<<EOF\" && cat <<<word\nENV X=<<EOF\n", &bs);
    assert_int_equal(bs.ninstrs, 3);
    assert_int_equal(bs.instrs[1].nheredocs, 0);
    assert_int_equal(bs.instrs[2].nheredocs, 0);
    assert_string_equal(bs.instrs[2].kvs[0].value, "<<EOF");
}

static void heredoc_limit(void **state)
{
    char buf[4096];
    size_t o = 0;
    unsigned i;
    struct bh_buildspec bs;

    (void)state;
    o += (size_t)snprintf(buf + o, sizeof(buf) - o, "FROM a\nRUN");
    for (i = 0; i <= BH_MAX_HEREDOCS; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, " <<E%u", i);
    snprintf(buf + o, sizeof(buf) - o, "\n");
    assert_int_equal(parse_opts(buf, NULL, &bs), BH_ELIMIT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "BH_MAX_HEREDOCS"));
}

/* ---- exec and shell form ---- */

static void exec_and_shell_form(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM nginx\n"
             "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
             "ENTRYPOINT [ \"a\\\"b\" , \"\\u00e9\\n\", \"x\\\\y\" ]\n"
             "CMD nginx -g 'daemon off;'\n"
             "RUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"curl x | sh\"]\n",
             &bs);
    in = &bs.instrs[1];
    assert_true(in->json_form);
    assert_int_equal(in->argc, 3);
    assert_string_equal(in->argv[2], "daemon off;");
    assert_null(in->script.text);
    in = &bs.instrs[2];
    assert_true(in->json_form);
    assert_string_equal(in->argv[0], "a\"b");
    assert_string_equal(in->argv[1], "\xc3\xa9\n");
    assert_string_equal(in->argv[2], "x\\y");
    in = &bs.instrs[3];
    assert_false(in->json_form);
    assert_int_equal(in->argc, 0);
    assert_string_equal(in->script.text, "nginx -g 'daemon off;'");
    assert_string_equal(in->args, in->raw);
    in = &bs.instrs[4];
    assert_true(in->json_form);
    assert_int_equal(in->argc, 5);
    assert_string_equal(in->script.text, "curl x | sh");
    assert_true(in->script.ncmds >= 2);
    assert_int_equal(in->script.cmds[0].argv[0].line, 5);
}

static void invalid_json_falls_back_to_shell(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM a\n"
             "CMD [ \"a\", ]\n"
             "RUN ['single', 'quotes']\n"
             "COPY [\"a b\" /dst\n",
             &bs);
    in = &bs.instrs[1];
    assert_false(in->json_form);
    assert_string_equal(in->script.text, "[ \"a\", ]");
    assert_false(bs.instrs[2].json_form);
    in = &bs.instrs[3];
    assert_false(in->json_form);
    assert_int_equal(in->argc, 3);
    assert_string_equal(in->argv[2], "/dst");
    /* valid JSON that is not all strings is an error, as in BuildKit */
    parse_err("FROM a\nRUN [\"a\", 1, {\"b\": [true]}]\n", BH_EPARSE, 2, 5, "strings only");
}

static void shell_instruction(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM mcr.microsoft.com/windows\n"
             "SHELL [\"powershell\", \"-command\"]\n"
             "RUN Get-ChildItem; echo x\n",
             &bs);
    assert_true(bs.instrs[1].json_form);
    assert_string_equal(bs.instrs[1].argv[1], "-command");
    in = &bs.instrs[2];
    /* not a POSIX shell: the text is kept, no commands are made up */
    assert_string_equal(in->script.text, "Get-ChildItem; echo x");
    assert_int_equal(in->script.ncmds, 0);
    parse_err("FROM a\nSHELL /bin/bash -c\n", BH_EPARSE, 2, 1, "json form");
    parse_err("FROM a\nSHELL []\n", BH_EPARSE, 2, 1, "at least one argument");
}

/* ---- instructions ---- */

static void onbuild_triggers(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM a\n"
             "ARG X=1\n"
             "ONBUILD COPY --chown=${X} app-$X /app\n"
             "onbuild run <<EOF\n"
             "make\n"
             "EOF\n",
             &bs);
    in = &bs.instrs[2];
    assert_int_equal(in->kind, BH_I_ONBUILD);
    assert_string_equal(in->raw, "COPY --chown=${X} app-$X /app");
    assert_non_null(in->onbuild);
    assert_int_equal(in->onbuild->kind, BH_I_COPY);
    assert_int_equal(in->onbuild->loc.line, 3);
    assert_int_equal(in->onbuild->loc.col, 9);
    /* triggers run in a later build: nothing is substituted now */
    assert_string_equal(in->onbuild->argv[0], "app-$X");
    assert_string_equal(flag(in->onbuild, "chown")->value, "${X}");
    in = &bs.instrs[3];
    assert_string_equal(in->keyword, "onbuild");
    assert_int_equal(in->onbuild->kind, BH_I_RUN);
    assert_string_equal(in->onbuild->heredocs[0].body, "make\n");
    assert_string_equal(in->onbuild->script.text, "make\n");
    assert_int_equal(in->loc.end_line, 6);
    parse_err("FROM a\nONBUILD ONBUILD RUN x\n", BH_EPARSE, 2, 9, "ONBUILD ONBUILD");
    parse_err("FROM a\nONBUILD FROM x\n", BH_EPARSE, 2, 9, "'FROM' isn't allowed");
    parse_err("FROM a\nONBUILD maintainer x\n", BH_EPARSE, 2, 9, "'MAINTAINER' isn't allowed");
    parse_err("FROM a\nONBUILD\n", BH_EPARSE, 2, 1, "at least one argument");
}

static void keywords_are_case_insensitive(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("from alpine As Builder\nrUn echo hi\nWorkDir /src\n", &bs);
    assert_int_equal(bs.instrs[0].kind, BH_I_FROM);
    assert_string_equal(bs.instrs[0].keyword, "from");
    assert_int_equal(bs.instrs[1].kind, BH_I_RUN);
    assert_string_equal(bs.instrs[1].keyword, "rUn");
    assert_int_equal(bs.instrs[2].kind, BH_I_WORKDIR);
    assert_string_equal(bs.instrs[2].argv[0], "/src");
    assert_string_equal(bs.stages[0].name, "builder");
}

static void env_forms(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM a\n"
             "ENV K V with  spaces\n"
             "ENV A=1 B=\"two words\" C='$A' D=\\$A\n"
             "ENV A=2 E=$A F=${A}x\n"
             "LABEL org.opencontainers.image.title=\"my app\" version=$A\n",
             &bs);
    in = &bs.instrs[1];
    assert_int_equal(in->nkvs, 1);
    assert_string_equal(in->kvs[0].key, "K");
    assert_string_equal(in->kvs[0].value, "V with  spaces");
    assert_int_equal(in->kvs[0].loc.line, 2);
    assert_int_equal(in->kvs[0].loc.col, 5);
    in = &bs.instrs[2];
    assert_int_equal(in->nkvs, 4);
    assert_string_equal(in->kvs[1].key, "B");
    assert_string_equal(in->kvs[1].value, "two words");
    assert_int_equal(in->kvs[1].loc.col, 9);
    assert_string_equal(in->kvs[2].value, "$A");
    assert_string_equal(in->kvs[3].value, "$A");
    /* values in one ENV see the environment from before it */
    in = &bs.instrs[3];
    assert_string_equal(in->kvs[1].value, "1");
    assert_string_equal(in->kvs[2].value, "1x");
    assert_string_equal(in->args, "A=2 E=1 F=1x");
    in = &bs.instrs[4];
    assert_string_equal(in->kvs[0].value, "my app");
    assert_string_equal(in->kvs[1].value, "2");
    assert_string_equal(in->args, "org.opencontainers.image.title=\"my app\" version=2");
    parse_err("FROM a\nENV K\n", BH_EPARSE, 2, 5, "must have two arguments");
    parse_err("FROM a\nENV A=1 B\n", BH_EPARSE, 2, 9, "can't find = in 'B'");
    parse_err("FROM a\nLABEL =x\n", BH_EPARSE, 2, 7, "names can not be blank");
}

static void arg_forms(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("ARG A=1 B=2\nARG NAME\nFROM a\nARG C=\"x y\"\n", &bs);
    in = &bs.instrs[0];
    assert_int_equal(in->stage, -1);
    assert_int_equal(in->nkvs, 2);
    assert_string_equal(in->kvs[1].key, "B");
    assert_string_equal(in->kvs[1].value, "2");
    assert_null(bs.instrs[1].kvs[0].value);
    assert_int_equal(bs.nglobal_args, 3);
    assert_string_equal(bs.global_args[2].key, "NAME");
    assert_null(bs.global_args[2].value);
    assert_int_equal(bs.instrs[3].stage, 0);
    assert_string_equal(bs.instrs[3].kvs[0].value, "x y");
    parse_err("FROM a\nARG\n", BH_EPARSE, 2, 1, "'ARG' requires at least one argument");
    parse_err("FROM a\nARG =1\n", BH_EPARSE, 2, 5, "names can not be blank");
}

static void words_instructions(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM a\n"
             "ARG PORT=8080\n"
             "EXPOSE $PORT 443/tcp\n"
             "VOLUME [\"/data\", \"/logs\"]\n"
             "VOLUME /a /b\n"
             "WORKDIR \"/my dir\"\n"
             "STOPSIGNAL SIGTERM\n"
             "MAINTAINER Jane Doe <jane@example.com>\n",
             &bs);
    in = &bs.instrs[2];
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[0], "8080");
    assert_string_equal(in->argv[1], "443/tcp");
    assert_string_equal(in->raw, "$PORT 443/tcp");
    assert_string_equal(in->args, "8080 443/tcp");
    assert_true(bs.instrs[3].json_form);
    assert_string_equal(bs.instrs[3].argv[1], "/logs");
    assert_int_equal(bs.instrs[4].argc, 2);
    assert_string_equal(bs.instrs[5].argv[0], "/my dir");
    assert_string_equal(bs.instrs[6].argv[0], "SIGTERM");
    assert_int_equal(bs.instrs[7].kind, BH_I_MAINTAINER);
    assert_string_equal(bs.instrs[7].argv[0], "Jane Doe <jane@example.com>");
    parse_err("FROM a\nEXPOSE\n", BH_EPARSE, 2, 1, "'EXPOSE' requires at least one argument");
    parse_err("FROM a\nCOPY onlyone\n", BH_EPARSE, 2, 1, "at least two arguments");
    parse_err("FROM a\nVOLUME [\"\"]\n", BH_EPARSE, 2, 1, "empty string");
    parse_err("FROM a\nSTOPSIGNAL\n", BH_EPARSE, 2, 1, "exactly one argument");
}

static void healthcheck_forms(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("FROM a\n"
             "HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1\n"
             "HEALTHCHECK CMD [\"/bin/check\", \"--fast\"]\n"
             "HEALTHCHECK none\n",
             &bs);
    in = &bs.instrs[1];
    assert_int_equal(in->nflags, 2);
    assert_string_equal(flag(in, "interval")->value, "30s");
    assert_string_equal(in->raw, "CMD curl -f http://localhost/ || exit 1");
    assert_string_equal(in->script.text, "curl -f http://localhost/ || exit 1");
    assert_false(in->healthcheck_none);
    in = &bs.instrs[2];
    assert_true(in->json_form);
    assert_string_equal(in->argv[0], "/bin/check");
    assert_true(bs.instrs[3].healthcheck_none);
    parse_err("FROM a\nHEALTHCHECK NONE x\n", BH_EPARSE, 2, 13, "takes no arguments");
    parse_err("FROM a\nHEALTHCHECK CMD\n", BH_EPARSE, 2, 13, "missing command");
    parse_err("FROM a\nHEALTHCHECK RUN x\n", BH_EPARSE, 2, 13, "unknown type 'RUN'");
}

static void run_flags(void **state)
{
    struct bh_buildspec bs;
    const struct bh_instr *in;

    (void)state;
    parse_ok("ARG ID=cache\n"
             "FROM a\n"
             "ARG ID\n"
             "RUN --mount=type=cache,id=${ID},target=/root/.cache \\\n"
             "    --network=none --security=insecure pip install -r req.txt\n"
             "COPY --link --from=build --chown=app:app \"--weird\" /x /y\n"
             "RUN -- --not-a-flag\n",
             &bs);
    in = &bs.instrs[3];
    assert_int_equal(in->nflags, 3);
    assert_string_equal(in->flags[0].name, "mount");
    assert_string_equal(in->flags[0].value, "type=cache,id=cache,target=/root/.cache");
    assert_int_equal(in->flags[0].loc.line, 4);
    assert_int_equal(in->flags[0].loc.col, 5);
    assert_string_equal(in->flags[1].value, "none");
    assert_int_equal(in->flags[1].loc.line, 5);
    assert_int_equal(in->flags[1].loc.col, 5);
    assert_string_equal(in->raw, "pip install -r req.txt");
    assert_string_equal(in->args, in->raw);
    in = &bs.instrs[4];
    assert_int_equal(in->nflags, 3);
    assert_string_equal(flag(in, "link")->value, "");
    assert_string_equal(flag(in, "from")->value, "build");
    assert_string_equal(flag(in, "chown")->value, "app:app");
    assert_int_equal(in->argc, 3);
    assert_string_equal(in->argv[0], "--weird");
    in = &bs.instrs[5];
    assert_int_equal(in->nflags, 0);
    assert_string_equal(in->raw, "--not-a-flag");
}

/* ---- stages ---- */

static const char multi[] = "ARG GO=1.22\n"
                            "FROM --platform=$BUILDPLATFORM golang:${GO} AS Build\n"
                            "RUN go build -o /out ./...\n"
                            "FROM alpine:3.19 AS runtime\n"
                            "COPY --from=build /out /app\n"
                            "USER 1000\n"
                            "USER app:app\n"
                            "FROM build AS test\n"
                            "RUN go test\n"
                            "FROM 1\n";

static void multi_stage(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok(multi, &bs);
    assert_int_equal(bs.nstages, 4);
    assert_int_equal(bs.final_stage, 3);
    assert_string_equal(bs.stages[0].name, "build");
    assert_string_equal(bs.stages[0].base_raw, "golang:${GO}");
    assert_string_equal(bs.stages[0].base, "golang:1.22");
    assert_string_equal(bs.stages[0].platform, "$BUILDPLATFORM");
    assert_int_equal(bs.stages[0].base_stage, -1);
    assert_int_equal(bs.stages[0].first_instr, 1);
    assert_int_equal(bs.stages[0].ninstrs, 2);
    assert_int_equal(bs.stages[0].loc.line, 2);
    assert_null(bs.stages[0].user);
    assert_int_equal(bs.stages[1].first_instr, 3);
    assert_int_equal(bs.stages[1].ninstrs, 4);
    assert_string_equal(bs.stages[1].user, "app:app");
    assert_int_equal(bs.stages[1].user_loc.line, 7);
    assert_string_equal(bs.stages[2].name, "test");
    assert_int_equal(bs.stages[2].base_stage, 0);
    assert_null(bs.stages[3].name);
    assert_int_equal(bs.stages[3].base_stage, 1);
    assert_int_equal(bs.stages[3].ninstrs, 1);
    assert_int_equal(bs.instrs[0].stage, -1);
    assert_int_equal(bs.instrs[1].stage, 0);
    assert_int_equal(bs.instrs[4].stage, 1);
    assert_int_equal(bs.instrs[9].stage, 3);
    assert_string_equal(flag(&bs.instrs[4], "from")->value, "build");
    assert_int_equal(flag(&bs.instrs[4], "from")->loc.col, 6);
    assert_string_equal(bs.instrs[1].args, "golang:1.22 AS Build");
    assert_string_equal(bs.instrs[1].argv[2], "Build");
}

static void target_option(void **state)
{
    struct bh_buildspec bs;
    struct bh_dockerfile_opts o = {"RUNTIME", NULL, 0};

    (void)state;
    assert_int_equal(parse_opts(multi, &o, &bs), 0);
    assert_int_equal(bs.final_stage, 1);
    o.target = "nope";
    assert_int_equal(parse_opts(multi, &o, &bs), BH_EUSAGE);
    assert_non_null(strstr(err.msg, "target stage 'nope' could not be found"));
}

static void stage_errors(void **state)
{
    (void)state;
    parse_err("FROM\n", BH_EPARSE, 1, 1, "'FROM' requires either one or three arguments");
    parse_err("FROM a AS\n", BH_EPARSE, 1, 1, "one or three");
    parse_err("FROM a b c\n", BH_EPARSE, 1, 1, "one or three");
    parse_err("FROM a AS 1x\n", BH_EPARSE, 1, 11, "invalid name for build stage: '1x'");
    parse_err("FROM a AS x\nFROM b AS X\n", BH_EPARSE, 2, 1, "duplicate stage name 'x'");
    parse_err("RUN x\nFROM a\n", BH_EPARSE, 1, 1, "'RUN' before the first 'FROM'");
    parse_err("ARG E=\nFROM ${E}\n", BH_EPARSE, 2, 6, "should not be blank");
}

/* ---- ARG scope and substitution ---- */

static void arg_scope(void **state)
{
    struct bh_buildspec bs;
    const char *text = "ARG VERSION=1.0\n"
                       "ARG BASE=alpine\n"
                       "FROM ${BASE}:${VERSION}\n"
                       "COPY app-${VERSION}.jar /app/\n"
                       "ARG VERSION\n"
                       "COPY app-${VERSION}.jar /app/\n"
                       "FROM ${BASE}\n"
                       "WORKDIR /v$VERSION\n";
    const char *ba[] = {"VERSION=2.0", "UNUSED=x"};
    struct bh_dockerfile_opts o = {NULL, ba, 2};

    (void)state;
    parse_ok(text, &bs);
    assert_string_equal(bs.stages[0].base, "alpine:1.0");
    assert_string_equal(bs.stages[0].base_raw, "${BASE}:${VERSION}");
    /* a global ARG is not visible in a stage until it is declared there */
    assert_string_equal(bs.instrs[3].argv[0], "app-${VERSION}.jar");
    assert_string_equal(bs.instrs[3].args, "app-${VERSION}.jar /app/");
    assert_string_equal(bs.instrs[5].argv[0], "app-1.0.jar");
    /* ... and not in the next stage either */
    assert_string_equal(bs.instrs[7].argv[0], "/v$VERSION");
    assert_int_equal(bs.nglobal_args, 2);
    assert_string_equal(bs.global_args[0].value, "1.0");
    /* --build-arg overrides the defaults */
    assert_int_equal(parse_opts(text, &o, &bs), 0);
    assert_string_equal(bs.stages[0].base, "alpine:2.0");
    assert_string_equal(bs.instrs[5].argv[0], "app-2.0.jar");
    assert_string_equal(bs.global_args[0].value, "1.0");
}

static void unknown_variables(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("FROM ${NOPE}\nARG TAG\nFROM alpine:${TAG}\nCOPY $X /y\n", &bs);
    assert_null(bs.stages[0].base);
    assert_string_equal(bs.stages[0].base_raw, "${NOPE}");
    assert_null(bs.stages[1].base);
    assert_string_equal(bs.instrs[3].argv[0], "$X");
    assert_string_equal(bs.instrs[3].args, "$X /y");
    /* a stage name reference is resolved after substitution */
    parse_ok("ARG S=build\nFROM alpine AS build\nFROM ${S}\n", &bs);
    assert_int_equal(bs.stages[1].base_stage, 0);
    assert_string_equal(bs.stages[1].base, "build");
}

static void substitution_operators(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("ARG A\n"
             "ARG B=b\n"
             "ARG E=\n"
             "FROM x:${A:-def}\n"
             "FROM y${B:+-plus}${A:+zzz}\n"
             "FROM z${E-unset}${E:-empty}${A-nodef}\n"
             "FROM w:${A:-${B:-q}}\n"
             "FROM v:${B#b}${NOPE:?}\n"
             "FROM u:$B\\$B'$B'\"$B\"\n",
             &bs);
    assert_string_equal(bs.stages[0].base, "x:def");
    assert_string_equal(bs.stages[1].base, "y-plus");
    assert_string_equal(bs.stages[2].base, "zemptynodef");
    assert_string_equal(bs.stages[3].base, "w:b");
    assert_null(bs.stages[4].base);
    assert_string_equal(bs.instrs[7].argv[0], "v:${NOPE:?}");
    assert_string_equal(bs.stages[5].base, "u:b$B$Bb");
    assert_string_equal(bs.instrs[8].args, "u:b\\$B'$B'\"b\"");
}

static void env_inherited_by_child_stage(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("FROM alpine AS base\n"
             "ENV P=/opt/app\n"
             "ARG Q=1\n"
             "FROM base\n"
             "WORKDIR $P\n"
             "USER ${Q:-nobody}\n"
             "FROM alpine\n"
             "WORKDIR $P\n",
             &bs);
    assert_string_equal(bs.instrs[4].argv[0], "/opt/app");
    /* ARGs are not inherited, ENV is */
    assert_string_equal(bs.stages[1].user, "nobody");
    assert_string_equal(bs.instrs[7].argv[0], "$P");
}

static void env_overrides_arg(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("FROM a\nARG U=arg\nENV U=env\nUSER $U\n", &bs);
    assert_string_equal(bs.stages[0].user, "env");
}

static void substitution_limits(void **state)
{
    char buf[2048];
    size_t o = 0;
    unsigned i;
    struct bh_buildspec bs;

    (void)state;
    o += (size_t)snprintf(buf + o, sizeof(buf) - o, "FROM a:");
    for (i = 0; i < BH_MAX_SUBST_DEPTH + 2; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "${A:-");
    for (i = 0; i < BH_MAX_SUBST_DEPTH + 2; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "}");
    snprintf(buf + o, sizeof(buf) - o, "\n");
    assert_int_equal(parse_opts(buf, NULL, &bs), BH_ELIMIT);
    assert_non_null(strstr(err.msg, "BH_MAX_SUBST_DEPTH"));
    assert_int_equal(err.line, 1);

    o = (size_t)snprintf(buf, sizeof(buf), "FROM a\nENV A=0123456789abcdef\n");
    for (i = 0; i < 20; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "ENV A=$A$A\n");
    assert_int_equal(parse_opts(buf, NULL, &bs), BH_ELIMIT);
    assert_non_null(strstr(err.msg, "BH_MAX_SUBST_VALUE"));
}

/* ---- errors ---- */

static void errors_with_positions(void **state)
{
    (void)state;
    parse_err("FROM alpine\n  FORM x\n", BH_EPARSE, 2, 3, "unknown instruction 'FORM'");
    parse_err("FROM alpine\nFROBNICATE x\n", BH_EPARSE, 2, 1, "unknown instruction 'FROBNICATE'");
    parse_err("FROM alpine\nUSER\n", BH_EPARSE, 2, 1, "'USER' requires exactly one argument");
    parse_err("FROM a\nRUN \x1b[31m\n\x01"
              "BAD\n",
              BH_EPARSE, 3, 1, "unknown instruction '\\x01BAD'");
    parse_err("", BH_EPARSE, 1, 0, "no instructions");
    parse_err("# only a comment\n\n", BH_EPARSE, 2, 0, "no instructions");
    parse_err("FROM a\nRUN --=x y\n", BH_EPARSE, 2, 5, "invalid flag '--=x'");
}

static void nul_byte(void **state)
{
    struct bh_buildspec bs;
    const char text[] = "FROM a\nRUN \0x\n";

    (void)state;
    bh_err_init(&err);
    assert_int_equal(
        bh_dockerfile_parse(&arena, "Dockerfile", text, sizeof(text) - 1, NULL, &bs, &err),
        BH_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 5);
    assert_non_null(strstr(err.msg, "NUL byte"));
    assert_int_equal(bs.ninstrs, 0);
}

/* ---- inline suppressions ---- */

static void inline_ignore(void **state)
{
    struct bh_buildspec bs;

    (void)state;
    parse_ok("FROM alpine\n"
             "# bulkhead:ignore=RUN-PRIV,BUILD-USER  because tests need it \n"
             "\n"
             "RUN apk add \\\n"
             "  # bulkhead:ignore=IMG-TOOLS\n"
             "  curl\n"
             "# bulkhead:ignore=\n"
             "# bulkhead:ignore=X trailing\n",
             &bs);
    assert_int_equal(bs.nignores, 3);
    assert_int_equal(bs.ignores[0].line, 2);
    assert_int_equal(bs.ignores[0].applies_line, 4);
    assert_int_equal(bs.ignores[0].nids, 2);
    assert_string_equal(bs.ignores[0].ids[0], "RUN-PRIV");
    assert_string_equal(bs.ignores[0].ids[1], "BUILD-USER");
    assert_string_equal(bs.ignores[0].reason, "because tests need it");
    assert_int_equal(bs.ignores[1].line, 5);
    assert_int_equal(bs.ignores[1].applies_line, 4);
    assert_string_equal(bs.ignores[1].reason, "");
    assert_int_equal(bs.ignores[2].line, 8);
    assert_int_equal(bs.ignores[2].applies_line, 8);
    assert_string_equal(bs.instrs[1].raw, "apk add   curl");
}

/* ---- detection ---- */

static void bid_by_name_and_content(void **state)
{
    const char *df = "# comment\n\nARG X=1\nFROM alpine\n";

    (void)state;
    assert_int_equal(bh_dockerfile_bid("Dockerfile", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("Containerfile", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("Dockerfile.dev", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("api.Dockerfile", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("api.dockerfile", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("x.Containerfile", NULL, 0), 100);
    assert_int_equal(bh_dockerfile_bid("Dockerfile.dockerignore", NULL, 0), 0);
    assert_int_equal(bh_dockerfile_bid("Dockerfiles", NULL, 0), 0);
    assert_int_equal(bh_dockerfile_bid("README.md", NULL, 0), 0);
    assert_int_equal(bh_dockerfile_bid("Dockerfile", "garbage", 7), 100);
    assert_int_equal(bh_dockerfile_bid("build", df, strlen(df)), 60);
    assert_int_equal(bh_dockerfile_bid("build", "from alpine\n", 12), 60);
    assert_int_equal(bh_dockerfile_bid("build", "ARG X=1\nRUN x\n", 14), 0);
    assert_int_equal(bh_dockerfile_bid("notes", "Some text\nFROM x\n", 17), 0);
    assert_int_equal(bh_dockerfile_bid("notes", "FROMAGE\n", 8), 0);
}

/* Every arena size from too small to enough: a clean BH_ENOMEM or a full result, never a crash. */
static void allocation_failures(void **state)
{
    struct bh_buf text = BH_BUF_INIT(1u << 24);
    struct bh_buildspec bs;
    size_t max;
    int i, rc = BH_ENOMEM, failures = 0;

    (void)state;
    for (i = 0; i < 400; i++)
        bh_buf_printf(&text,
                      "ARG A%d=v%d\nFROM alpine AS s%d\nARG A%d\nENV E%d=$A%d B=\"x y\"\n"
                      "RUN --mount=type=cache,target=/c apk add curl \\\n  && echo $E%d\n"
                      "COPY <<EOF /f%d\nbody %d\nEOF\nONBUILD RUN echo\nUSER u%d\n",
                      i, i, i, i, i, i, i, i, i, i);
    assert_false(text.failed);
    for (max = 0; rc == BH_ENOMEM; max += 64u * 1024u) {
        struct bh_arena a;

        assert_true(max < (256u << 20));
        bh_arena_init(&a, max);
        bh_err_init(&err);
        rc = bh_dockerfile_parse(&a, "Dockerfile", text.ptr, text.len, NULL, &bs, &err);
        if (rc == BH_ENOMEM) {
            assert_int_equal(err.code, BH_ENOMEM);
            assert_int_equal(bs.ninstrs, 0);
            failures++;
        } else {
            assert_int_equal(rc, 0);
            assert_false(a.failed);
            assert_int_equal(bs.nstages, 400);
            assert_string_equal(bs.stages[399].user, "u399");
        }
        bh_arena_release(&a);
    }
    assert_true(failures > 5);
    bh_buf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(directives_backtick_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(directive_after_comment_is_a_comment, setup, teardown),
        cmocka_unit_test_setup_teardown(directive_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(continuation_skips_comments_and_blank_lines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(continuation_escape_then_blanks_crlf_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(script_words_map_back_to_physical_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_run_script, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_several_chomp_quoted, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_copy_and_stdin, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_not_recognised, setup, teardown),
        cmocka_unit_test_setup_teardown(heredoc_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(exec_and_shell_form, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_json_falls_back_to_shell, setup, teardown),
        cmocka_unit_test_setup_teardown(shell_instruction, setup, teardown),
        cmocka_unit_test_setup_teardown(onbuild_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(keywords_are_case_insensitive, setup, teardown),
        cmocka_unit_test_setup_teardown(env_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(arg_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(words_instructions, setup, teardown),
        cmocka_unit_test_setup_teardown(healthcheck_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(run_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_stage, setup, teardown),
        cmocka_unit_test_setup_teardown(target_option, setup, teardown),
        cmocka_unit_test_setup_teardown(stage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(arg_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(substitution_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(env_inherited_by_child_stage, setup, teardown),
        cmocka_unit_test_setup_teardown(env_overrides_arg, setup, teardown),
        cmocka_unit_test_setup_teardown(substitution_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_with_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(nul_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(inline_ignore, setup, teardown),
        cmocka_unit_test_setup_teardown(bid_by_name_and_content, setup, teardown),
        cmocka_unit_test_setup_teardown(allocation_failures, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
