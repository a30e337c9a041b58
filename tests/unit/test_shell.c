/*
 * test_shell.c - the N9 shell tokenizer: words, quotes, operators, compound
 * commands, unwrapping of sh -c/su/env/sudo and history prefixes, positions,
 * limits and recovery from unbalanced input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/shell.h"

#include <string.h>

static struct bh_arena arena;
static struct bh_script sc;
static struct bh_err err;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&arena, 256u << 20);
    bh_err_init(&err);
    memset(&sc, 0, sizeof(sc));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&arena);
    return 0;
}

/* Parse s at line 1 column 1 and expect success. */
static void parse_at(const char *s, int line, int col)
{
    assert_int_equal(bh_shell_parse(&arena, s, strlen(s), line, col, &sc, &err), 0);
}

static void parse(const char *s)
{
    parse_at(s, 1, 1);
}

/* The argv of command k is exactly the NULL-terminated list. */
static void expect_argv(size_t k, ...)
{
    const struct bh_shcmd *c;
    const char *w;
    size_t i = 0;
    va_list ap;

    assert_true(k < sc.ncmds);
    c = &sc.cmds[k];
    va_start(ap, k);
    while ((w = va_arg(ap, const char *)) != NULL) {
        assert_true(i < c->argc);
        assert_string_equal(c->argv[i].text, w);
        i++;
    }
    va_end(ap);
    assert_int_equal(c->argc, i);
}

static void expect_assigns(size_t k, ...)
{
    const struct bh_shcmd *c;
    const char *w;
    size_t i = 0;
    va_list ap;

    assert_true(k < sc.ncmds);
    c = &sc.cmds[k];
    va_start(ap, k);
    while ((w = va_arg(ap, const char *)) != NULL) {
        assert_true(i < c->nassigns);
        assert_string_equal(c->assigns[i].text, w);
        i++;
    }
    va_end(ap);
    assert_int_equal(c->nassigns, i);
}

static void expect_cmd(size_t k, const char *sep, int depth, int line)
{
    assert_true(k < sc.ncmds);
    assert_string_equal(sc.cmds[k].sep, sep);
    assert_int_equal(sc.cmds[k].depth, depth);
    assert_int_equal(sc.cmds[k].line, line);
}

static void expect_pos(size_t k, size_t w, int line, int col)
{
    assert_true(k < sc.ncmds);
    assert_true(w < sc.cmds[k].argc);
    assert_int_equal(sc.cmds[k].argv[w].line, line);
    assert_int_equal(sc.cmds[k].argv[w].col, col);
}

static void and_list(void **state)
{
    (void)state;
    parse("apt-get update && apt-get install -y curl");
    assert_int_equal(sc.ncmds, 2);
    assert_false(sc.parse_error);
    expect_argv(0, "apt-get", "update", NULL);
    expect_argv(1, "apt-get", "install", "-y", "curl", NULL);
    expect_cmd(0, "", 0, 1);
    expect_cmd(1, "&&", 0, 1);
    expect_pos(0, 0, 1, 1);
    expect_pos(0, 1, 1, 9);
    expect_pos(1, 0, 1, 19);
    expect_pos(1, 3, 1, 38);
    assert_false(sc.cmds[0].in_pipeline_out);
    assert_null(sc.cmds[1].redirect_stdin);
    assert_string_equal(sc.text, "apt-get update && apt-get install -y curl");
}

static void semicolon_or_background(void **state)
{
    (void)state;
    parse("apt-get update; apt-get install x");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "apt-get", "install", "x", NULL);
    expect_cmd(1, ";", 0, 1);

    parse("make || exit 1 & wait");
    assert_int_equal(sc.ncmds, 3);
    expect_cmd(1, "||", 0, 1);
    expect_argv(1, "exit", "1", NULL);
    expect_cmd(2, "&", 0, 1);
}

static void newline_separated(void **state)
{
    (void)state;
    parse("apt-get update\napt-get install x\n\n  rm -rf /tmp/x\n");
    assert_int_equal(sc.ncmds, 3);
    expect_cmd(0, "", 0, 1);
    expect_cmd(1, "\n", 0, 2);
    expect_cmd(2, "\n", 0, 4);
    expect_pos(2, 0, 4, 3);
    expect_pos(2, 2, 4, 10);
}

static void pipe_to_shell(void **state)
{
    (void)state;
    parse("curl -fsSL https://x | sh");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "curl", "-fsSL", "https://x", NULL);
    expect_argv(1, "sh", NULL);
    assert_true(sc.cmds[0].in_pipeline_out);
    assert_false(sc.cmds[1].in_pipeline_out);
    expect_cmd(1, "|", 0, 1);

    parse("wget -qO- https://x |& bash -s -- --flag");
    assert_int_equal(sc.ncmds, 2);
    assert_true(sc.cmds[0].in_pipeline_out);
    expect_cmd(1, "|", 0, 1);
    expect_argv(1, "bash", "-s", "--", "--flag", NULL);
}

static void bash_c_unwrapped(void **state)
{
    (void)state;
    parse("bash -c \"apt-get update && apt-get install -y a\"");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "bash", "-c", "apt-get update && apt-get install -y a", NULL);
    expect_cmd(0, "", 0, 1);
    expect_argv(1, "apt-get", "update", NULL);
    expect_cmd(1, "", 1, 1);
    expect_argv(2, "apt-get", "install", "-y", "a", NULL);
    expect_cmd(2, "&&", 1, 1);
    /* inner words point at their bytes in the outer text */
    expect_pos(1, 0, 1, 10);
    expect_pos(2, 0, 1, 28);
    expect_pos(2, 3, 1, 47);
    assert_true(sc.cmds[0].argv[2].quoted);
}

static void sh_c_single_quoted(void **state)
{
    (void)state;
    parse("sh -c 'echo \"a b\"'");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "sh", "-c", "echo \"a b\"", NULL);
    expect_argv(1, "echo", "a b", NULL);
    expect_cmd(1, "", 1, 1);
    assert_true(sc.cmds[1].argv[1].quoted);
    assert_false(sc.cmds[1].argv[0].quoted);
    expect_pos(1, 1, 1, 13);
}

static void shell_flag_clusters(void **state)
{
    (void)state;
    parse("/bin/bash -ec \"set -o pipefail; curl -s x | sh\"");
    assert_int_equal(sc.ncmds, 4);
    expect_argv(1, "set", "-o", "pipefail", NULL);
    expect_argv(2, "curl", "-s", "x", NULL);
    assert_true(sc.cmds[2].in_pipeline_out);
    expect_argv(3, "sh", NULL);
    expect_cmd(3, "|", 1, 1);

    parse("bash -o pipefail -c 'a b' zero one");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "a", "b", NULL);

    /* no -c: a script file, nothing to unwrap */
    parse("bash -e install.sh -c x");
    assert_int_equal(sc.ncmds, 1);

    parse("busybox sh -c 'wget x'");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "wget", "x", NULL);
}

static void nested_sh_c_depth(void **state)
{
    (void)state;
    parse("sh -c \"bash -c 'echo hi; id'\"");
    assert_int_equal(sc.ncmds, 4);
    expect_cmd(1, "", 1, 1);
    expect_argv(1, "bash", "-c", "echo hi; id", NULL);
    expect_argv(2, "echo", "hi", NULL);
    expect_cmd(2, "", 2, 1);
    expect_pos(2, 0, 1, 17);
    expect_argv(3, "id", NULL);
    expect_cmd(3, ";", 2, 1);
}

static void quotes_and_escapes(void **state)
{
    (void)state;
    parse("echo 'a b' \"c $d \\\"e\\\" \\$f \\x\" g\\ h i\\\\j ''");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "echo", "a b", "c $d \"e\" $f \\x", "g h", "i\\j", "", NULL);
    assert_false(sc.cmds[0].argv[0].quoted);
    assert_true(sc.cmds[0].argv[1].quoted);
    assert_true(sc.cmds[0].argv[3].quoted);
    assert_true(sc.cmds[0].argv[5].quoted);
    expect_pos(0, 1, 1, 6);
    expect_pos(0, 2, 1, 12);

    parse("printf 'it'\\''s' a\"b\"'c'");
    expect_argv(0, "printf", "it's", "abc", NULL);

    /* operators inside quotes are text */
    parse("echo \"a && b; c | d\" 'e > f'");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "echo", "a && b; c | d", "e > f", NULL);
}

static void substitutions_kept(void **state)
{
    (void)state;
    parse("export TOKEN=$(cat /run/secrets/x) && echo \"$(echo \"a b\")\" `date +%s` ${HOME:-/r} "
          "$((1 + 2))");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "export", "TOKEN=$(cat /run/secrets/x)", NULL);
    expect_argv(1, "echo", "$(echo \"a b\")", "`date +%s`", "${HOME:-/r}", "$((1 + 2))", NULL);

    parse("A=$(cat /run/secrets/x) B=\"$(id -u)\" cmd $(echo \")\" ; ls)");
    assert_int_equal(sc.ncmds, 1);
    expect_assigns(0, "A=$(cat /run/secrets/x)", "B=$(id -u)", NULL);
    expect_argv(0, "cmd", "$(echo \")\" ; ls)", NULL);
}

static void leading_assignments(void **state)
{
    (void)state;
    parse("DEBIAN_FRONTEND=noninteractive apt-get install -y x");
    assert_int_equal(sc.ncmds, 1);
    expect_assigns(0, "DEBIAN_FRONTEND=noninteractive", NULL);
    expect_argv(0, "apt-get", "install", "-y", "x", NULL);
    assert_int_equal(sc.cmds[0].assigns[0].col, 1);
    expect_pos(0, 0, 1, 32);

    parse("A=1 B='2 3'; \"C=4\" run X=5");
    assert_int_equal(sc.ncmds, 2);
    assert_int_equal(sc.cmds[0].argc, 0);
    expect_assigns(0, "A=1", "B=2 3", NULL);
    expect_assigns(1, NULL);
    expect_argv(1, "C=4", "run", "X=5", NULL);
    expect_cmd(1, ";", 0, 1);

    parse("PKGS=(curl \"git lfs\") install \"${PKGS[@]}\"");
    expect_assigns(0, "PKGS=(curl \"git lfs\")", NULL);
    expect_argv(0, "install", "${PKGS[@]}", NULL);
    assert_false(sc.parse_error);

    parse("1A=x =y a-b=c");
    expect_argv(0, "1A=x", "=y", "a-b=c", NULL);
}

static void if_then_fi(void **state)
{
    (void)state;
    parse("if [ -f x ]; then apt-get install y; fi");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "[", "-f", "x", "]", NULL);
    expect_argv(1, "apt-get", "install", "y", NULL);
    expect_cmd(1, ";", 0, 1);

    parse("if ! command -v curl; then\n  apt-get install -y curl\nelif true; then :; else echo ok; "
          "fi "
          "&& echo done");
    assert_int_equal(sc.ncmds, 6);
    expect_argv(0, "command", "-v", "curl", NULL);
    expect_argv(1, "apt-get", "install", "-y", "curl", NULL);
    expect_cmd(1, ";", 0, 2);
    expect_argv(2, "true", NULL);
    expect_cmd(2, "\n", 0, 3);
    expect_argv(3, ":", NULL);
    expect_argv(4, "echo", "ok", NULL);
    expect_argv(5, "echo", "done", NULL);
    expect_cmd(5, "&&", 0, 3);
}

static void loops_and_case(void **state)
{
    (void)state;
    parse("for p in a b; do pip install \"$p\"; done");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "pip", "install", "$p", NULL);

    parse("while read l; do echo $l; done < list.txt | sort");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "read", "l", NULL);
    expect_argv(1, "echo", "$l", NULL);
    assert_true(sc.cmds[1].in_pipeline_out);
    expect_argv(2, "sort", NULL);
    expect_cmd(2, "|", 0, 1);

    parse("case \"$ARCH\" in amd64) A=x86_64 ;; arm64|aarch64) A=aarch64 ;; (*) exit 1 ;; esac; "
          "echo $A");
    assert_int_equal(sc.ncmds, 4);
    expect_assigns(0, "A=x86_64", NULL);
    assert_int_equal(sc.cmds[0].argc, 0);
    expect_assigns(1, "A=aarch64", NULL);
    expect_argv(2, "exit", "1", NULL);
    expect_argv(3, "echo", "$A", NULL);
    expect_cmd(3, ";", 0, 1);
    assert_false(sc.parse_error);

    parse("for ((i=0; i<3; i++)); do echo $i; done");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "echo", "$i", NULL);
    assert_false(sc.parse_error);
}

static void subshells_and_groups(void **state)
{
    (void)state;
    parse("(cd /src && make) | tee log");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "cd", "/src", NULL);
    expect_argv(1, "make", NULL);
    expect_cmd(1, "&&", 0, 1);
    assert_true(sc.cmds[1].in_pipeline_out);
    expect_argv(2, "tee", "log", NULL);
    expect_cmd(2, "|", 0, 1);
    assert_false(sc.parse_error);

    parse("{ echo a; echo b; } > out; f() { rm -rf /; }; f");
    assert_int_equal(sc.ncmds, 4);
    expect_argv(0, "echo", "a", NULL);
    expect_argv(1, "echo", "b", NULL);
    expect_argv(2, "rm", "-rf", "/", NULL);
    expect_argv(3, "f", NULL);
    expect_cmd(3, ";", 0, 1);
}

static void comments(void **state)
{
    (void)state;
    parse("apt-get update # refresh && rm x\n# whole line\n  apt-get install x#y");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "apt-get", "update", NULL);
    expect_argv(1, "apt-get", "install", "x#y", NULL);
    expect_cmd(1, "\n", 0, 3);
}

static void redirections(void **state)
{
    (void)state;
    parse("make > /dev/null 2>&1 && cat < in.txt >>log 2>/dev/null; tr a b <<< 'x y'");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "make", NULL);
    assert_null(sc.cmds[0].redirect_stdin);
    expect_argv(1, "cat", NULL);
    assert_string_equal(sc.cmds[1].redirect_stdin, "in.txt");
    expect_argv(2, "tr", "a", "b", NULL);
    assert_string_equal(sc.cmds[2].redirect_stdin, "x y");

    parse("bash <(curl -s https://x/i.sh)");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "bash", NULL);
    assert_string_equal(sc.cmds[0].redirect_stdin, "<(curl -s https://x/i.sh)");

    parse("while read x; do :; done < <(ls /)");
    assert_false(sc.parse_error);

    parse("echo 2 &>/dev/null");
    expect_argv(0, "echo", "2", NULL);
}

static void heredocs(void **state)
{
    (void)state;
    parse("cat <<EOF > /etc/x\nline1 && rm y\nEOF\necho done");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "cat", NULL);
    assert_string_equal(sc.cmds[0].redirect_stdin, "line1 && rm y\n");
    expect_argv(1, "echo", "done", NULL);
    expect_cmd(1, "\n", 0, 4);

    parse("bash <<-'EOS'\n\tapt-get update\n\tEOS\n");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "apt-get", "update", NULL);
    expect_cmd(1, "", 1, 2);
    expect_pos(1, 0, 2, 2);

    parse("cat <<EOF | sh\necho hi\nEOF\nls");
    assert_int_equal(sc.ncmds, 3);
    assert_string_equal(sc.cmds[0].redirect_stdin, "echo hi\n");
    assert_true(sc.cmds[0].in_pipeline_out);
    expect_argv(1, "sh", NULL);
    expect_argv(2, "ls", NULL);
    expect_cmd(2, "\n", 0, 4);

    /* two bodies after one line, the second one wins stdin */
    parse("cat <<A <<'B'\na\nA\nb\nB\nid");
    assert_int_equal(sc.ncmds, 2);
    assert_string_equal(sc.cmds[0].redirect_stdin, "b\n");
    expect_argv(1, "id", NULL);
    expect_cmd(1, "\n", 0, 6);

    /* a missing delimiter takes the rest of the text */
    parse("cat <<EOF\nx\ny");
    assert_int_equal(sc.ncmds, 1);
    assert_string_equal(sc.cmds[0].redirect_stdin, "x\ny");

    parse("sudo -E bash <<EOF\nid -u\nEOF");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(1, "bash", NULL);
    expect_cmd(1, "", 1, 1);
    expect_argv(2, "id", "-u", NULL);
    expect_cmd(2, "", 2, 2);
}

static void set_then_apk(void **state)
{
    (void)state;
    parse("set -eux; apk add --no-cache x");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "set", "-eux", NULL);
    expect_argv(1, "apk", "add", "--no-cache", "x", NULL);
    expect_cmd(1, ";", 0, 1);
}

static void history_nop(void **state)
{
    (void)state;
    parse("/bin/sh -c #(nop)  CMD [\"sh\"]");
    assert_int_equal(sc.ncmds, 0);
    assert_false(sc.parse_error);
    parse("/bin/sh -c #(nop) ADD file:3f4 in / ");
    assert_int_equal(sc.ncmds, 0);
}

static void history_build_args(void **state)
{
    (void)state;
    parse("|2 A=1 B=2 /bin/sh -c apt-get update");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "apt-get", "update", NULL);
    expect_assigns(0, "A=1", "B=2", NULL);
    expect_cmd(0, "", 0, 1);
    expect_pos(0, 0, 1, 23);

    parse("RUN |1 VERSION=2 /bin/sh -c curl -o x https://e/$VERSION && sh x # buildkit");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "curl", "-o", "x", "https://e/$VERSION", NULL);
    expect_assigns(0, "VERSION=2", NULL);
    expect_argv(1, "sh", "x", NULL);
    expect_assigns(1, NULL);
    expect_cmd(1, "&&", 0, 1);

    parse("RUN /bin/sh -c apk add --no-cache tini # buildkit");
    assert_int_equal(sc.ncmds, 1);
    expect_argv(0, "apk", "add", "--no-cache", "tini", NULL);
}

static void history_classic(void **state)
{
    (void)state;
    /* classic history: the rest of the line is the script, not one word */
    parse("/bin/sh -c apt-get update && apt-get install -y x");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(0, "apt-get", "update", NULL);
    expect_cmd(0, "", 0, 1);
    expect_argv(1, "apt-get", "install", "-y", "x", NULL);
    expect_cmd(1, "&&", 0, 1);

    /* a RUN line with a quoted script is an ordinary sh -c */
    parse("/bin/sh -c 'echo a' && echo b");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "/bin/sh", "-c", "echo a", NULL);
    expect_argv(1, "echo", "a", NULL);
    expect_cmd(1, "", 1, 1);
    expect_argv(2, "echo", "b", NULL);
    expect_cmd(2, "&&", 0, 1);
}

static void multi_line_positions(void **state)
{
    (void)state;
    parse_at("apt-get update \\\n    && apt-get install -y \\\n        curl \\\n    && rm -rf "
             "/var/lib/apt/lists/*",
             10, 5);
    assert_int_equal(sc.ncmds, 3);
    expect_cmd(0, "", 0, 10);
    expect_pos(0, 0, 10, 5);
    expect_pos(0, 1, 10, 13);
    expect_cmd(1, "&&", 0, 11);
    expect_argv(1, "apt-get", "install", "-y", "curl", NULL);
    expect_pos(1, 0, 11, 8);
    expect_pos(1, 3, 12, 9);
    expect_cmd(2, "&&", 0, 13);
    expect_pos(2, 2, 13, 15);

    /* a continuation inside a word joins it */
    parse("apt-get ins\\\ntall x");
    expect_argv(0, "apt-get", "install", "x", NULL);
    expect_pos(0, 2, 2, 6);

    /* newline after && continues the list */
    parse("a &&\n  b");
    assert_int_equal(sc.ncmds, 2);
    expect_cmd(1, "&&", 0, 2);

    /* unknown position */
    parse_at("a b", 0, 0);
    expect_pos(0, 1, 0, 0);
}

static void unbalanced(void **state)
{
    (void)state;
    parse("apt-get update && echo \"abc && ls");
    assert_true(sc.parse_error);
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "echo", "abc && ls", NULL);

    parse("(echo a; echo b");
    assert_true(sc.parse_error);
    assert_int_equal(sc.ncmds, 2);

    parse("echo $(foo");
    assert_true(sc.parse_error);
    expect_argv(0, "echo", "$(foo", NULL);

    parse("echo 'x");
    assert_true(sc.parse_error);
    expect_argv(0, "echo", "x", NULL);

    parse("echo a )");
    assert_true(sc.parse_error);
    expect_argv(0, "echo", "a", NULL);

    parse("echo ok");
    assert_false(sc.parse_error);
}

static void su_env_sudo(void **state)
{
    (void)state;
    parse("su -c 'apt-get update' root && su - app -c \"npm ci\"");
    assert_int_equal(sc.ncmds, 4);
    expect_argv(1, "apt-get", "update", NULL);
    expect_cmd(1, "", 1, 1);
    expect_argv(2, "su", "-", "app", "-c", "npm ci", NULL);
    expect_cmd(2, "&&", 0, 1);
    expect_argv(3, "npm", "ci", NULL);
    expect_cmd(3, "", 1, 1);

    parse("env DEBIAN_FRONTEND=noninteractive -u X apt-get install -y x | cat");
    assert_int_equal(sc.ncmds, 3);
    expect_argv(0, "env", "DEBIAN_FRONTEND=noninteractive", "-u", "X", "apt-get", "install", "-y",
                "x", NULL);
    expect_argv(1, "apt-get", "install", "-y", "x", NULL);
    expect_assigns(1, "DEBIAN_FRONTEND=noninteractive", NULL);
    expect_cmd(1, "", 1, 1);
    expect_pos(1, 0, 1, 41);
    assert_true(sc.cmds[0].in_pipeline_out);
    assert_true(sc.cmds[1].in_pipeline_out);
    expect_cmd(2, "|", 0, 1);

    parse("sudo -u app -E sh -c 'curl x | sh'");
    assert_int_equal(sc.ncmds, 4);
    expect_argv(1, "sh", "-c", "curl x | sh", NULL);
    expect_cmd(1, "", 1, 1);
    expect_argv(2, "curl", "x", NULL);
    expect_cmd(2, "", 2, 1);
    assert_true(sc.cmds[2].in_pipeline_out);
    expect_argv(3, "sh", NULL);
    expect_cmd(3, "|", 2, 1);

    parse("su --command='id -u' nobody");
    assert_int_equal(sc.ncmds, 2);
    expect_argv(1, "id", "-u", NULL);
    expect_pos(1, 1, 1, 18);
}

static void nesting_limit(void **state)
{
    char buf[256];
    size_t k, n = 0;

    (void)state;
    for (k = 0; k < BH_MAX_SHELL_NESTING; k++, n += 4)
        memcpy(buf + n, "env ", 4);
    memcpy(buf + n, "id", 3);
    parse(buf);
    assert_int_equal(sc.ncmds, BH_MAX_SHELL_NESTING + 1);
    assert_int_equal(sc.cmds[BH_MAX_SHELL_NESTING].depth, BH_MAX_SHELL_NESTING);
    expect_argv(BH_MAX_SHELL_NESTING, "id", NULL);

    /* one wrapper more is over the limit */
    memmove(buf + 4, buf, strlen(buf) + 1);
    assert_int_equal(bh_shell_parse(&arena, buf, strlen(buf), 1, 1, &sc, &err), BH_ELIMIT);
    assert_non_null(strstr(err.msg, "BH_MAX_SHELL_NESTING"));
}

static void word_limit(void **state)
{
    size_t n = BH_MAX_SHELL_WORDS + 1, k;
    char *s = malloc(n * 2 + 1);

    (void)state;
    assert_non_null(s);
    for (k = 0; k < n; k++) {
        s[2 * k] = 'a';
        s[2 * k + 1] = ' ';
    }
    s[2 * n] = '\0';
    assert_int_equal(bh_shell_parse(&arena, s, 2 * n, 1, 1, &sc, &err), BH_ELIMIT);
    assert_non_null(strstr(err.msg, "BH_MAX_SHELL_WORDS"));
    assert_int_equal(bh_shell_parse(&arena, s, 2 * (n - 1), 1, 1, &sc, &err), 0);
    assert_int_equal(sc.ncmds, 1);
    assert_int_equal(sc.cmds[0].argc, BH_MAX_SHELL_WORDS);
    free(s);
}

static void words_only(void **state)
{
    struct bh_word *w;
    size_t n;
    const char *s = "docker run --rm \\\n  -v \"/a b:/c\" img sh -c 'x && y' a|b # note\n  z";

    (void)state;
    assert_int_equal(bh_shell_words(&arena, s, strlen(s), 3, 1, &w, &n, &err), 0);
    assert_int_equal(n, 11);
    assert_string_equal(w[0].text, "docker");
    assert_string_equal(w[3].text, "-v");
    assert_int_equal(w[3].line, 4);
    assert_int_equal(w[3].col, 3);
    assert_string_equal(w[4].text, "/a b:/c");
    assert_true(w[4].quoted);
    assert_int_equal(w[4].col, 6);
    assert_string_equal(w[8].text, "x && y");
    assert_string_equal(w[9].text, "a|b");
    assert_string_equal(w[10].text, "z");
    assert_int_equal(w[10].line, 5);

    assert_int_equal(bh_shell_words(&arena, "", 0, 1, 1, &w, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(w);
}

static void odd_inputs(void **state)
{
    static const char *const odd[] = {
        "",
        ";;",
        "&&",
        "|",
        ")",
        "((",
        "$(",
        "`",
        "\\",
        "a\\",
        "<",
        "2>",
        "<<",
        "<<EOF",
        "case",
        "esac",
        "for",
        "fi done",
        "x() (",
        "${",
        "$'a",
        "\"$(\"",
        "sh -c",
        "env",
        "sudo -u",
        "su -c",
        "|0 /bin/sh -c",
        "RUN ",
        "|99999999999 x",
        "/bin/sh -c",
        "a <(b",
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
        int rc = bh_shell_parse(&arena, odd[k], strlen(odd[k]), 1, 1, &sc, &err);

        assert_true(rc == 0 || rc == BH_ELIMIT);
    }
    parse("");
    assert_int_equal(sc.ncmds, 0);
    assert_false(sc.parse_error);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(semicolon_or_background, setup, teardown),
        cmocka_unit_test_setup_teardown(newline_separated, setup, teardown),
        cmocka_unit_test_setup_teardown(pipe_to_shell, setup, teardown),
        cmocka_unit_test_setup_teardown(bash_c_unwrapped, setup, teardown),
        cmocka_unit_test_setup_teardown(sh_c_single_quoted, setup, teardown),
        cmocka_unit_test_setup_teardown(shell_flag_clusters, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_sh_c_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(quotes_and_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(substitutions_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(leading_assignments, setup, teardown),
        cmocka_unit_test_setup_teardown(if_then_fi, setup, teardown),
        cmocka_unit_test_setup_teardown(loops_and_case, setup, teardown),
        cmocka_unit_test_setup_teardown(subshells_and_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(comments, setup, teardown),
        cmocka_unit_test_setup_teardown(redirections, setup, teardown),
        cmocka_unit_test_setup_teardown(heredocs, setup, teardown),
        cmocka_unit_test_setup_teardown(set_then_apk, setup, teardown),
        cmocka_unit_test_setup_teardown(history_nop, setup, teardown),
        cmocka_unit_test_setup_teardown(history_build_args, setup, teardown),
        cmocka_unit_test_setup_teardown(history_classic, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_line_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(unbalanced, setup, teardown),
        cmocka_unit_test_setup_teardown(su_env_sudo, setup, teardown),
        cmocka_unit_test_setup_teardown(nesting_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(word_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(words_only, setup, teardown),
        cmocka_unit_test_setup_teardown(odd_inputs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
