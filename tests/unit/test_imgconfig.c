/*
 * test_imgconfig.c - image configs into buildspecs: real configs out of the shared archives
 * and layouts (classic builder, BuildKit, Bazel), hand-written history in every form the
 * builders write, the config's final state, locations, history <-> layer mapping, errors
 * with JSON paths, limits, and the BUILD-* rules run over a parsed config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "shared_images.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/imgconfig.h"
#include "input/imgsrc.h"
#include "model/finding.h"
#include "model/policy.h"
#include "rules/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRIVY "trivy-fanal-testdata/"
#define GCR_TARBALL "go-containerregistry/pkg-v1-tarball-testdata/"
#define STEREO_MULTI "stereoscope/pkg-image-oci-testdata/multiplatform_oci_dir"

struct fx {
    struct bh_arena a;
    struct bh_err err;
    struct bh_imgsrc *s;
    struct bh_buildspec bs;
    struct bh_imgmeta m;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 256u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    bh_imgsrc_close(f->s);
    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static char *member(struct fx *f, const char *src, const char *name, size_t *len)
{
    char *d = NULL;
    int rc;

    bh_imgsrc_close(f->s);
    f->s = NULL;
    rc = bh_imgsrc_open(&f->a, data(src), &f->s, &f->err);
    if (rc)
        fail_msg("open '%s': %s", src, f->err.msg);
    rc = bh_imgsrc_read(f->s, &f->a, name, BH_MAX_IMAGE_METADATA, &d, len, &f->err);
    if (rc)
        fail_msg("read '%s' of '%s': %s", name, src, f->err.msg);
    return d;
}

static void parse_ok_n(struct fx *f, const char *json, size_t len)
{
    bh_err_init(&f->err);
    if (bh_imgconfig_parse(&f->a, "img:1", json, len, &f->bs, &f->m, &f->err))
        fail_msg("parse: %s", f->err.msg);
    assert_int_equal(f->bs.origin, BH_BS_IMAGE);
    assert_int_equal(f->bs.nstages, 1);
    assert_int_equal(f->bs.final_stage, 0);
    assert_int_equal(f->bs.stages[0].ninstrs, f->bs.ninstrs);
}

static void parse_ok(struct fx *f, const char *json)
{
    parse_ok_n(f, json, strlen(json));
}

static void parse_fails(struct fx *f, const char *json, int code, const char *needle)
{
    int rc;

    bh_err_init(&f->err);
    rc = bh_imgconfig_parse(&f->a, "img:1", json, strlen(json), &f->bs, &f->m, &f->err);
    if (rc != code || !strstr(f->err.msg, needle))
        fail_msg("want %d containing '%s', got %d '%s'", code, needle, rc, f->err.msg);
    assert_string_equal(f->err.file, "img:1");
}

static const struct bh_instr *in_at(struct fx *f, size_t i, enum bh_instr_kind k)
{
    if (i >= f->bs.ninstrs)
        fail_msg("instruction %zu missing (%zu in all)", i, f->bs.ninstrs);
    if (f->bs.instrs[i].kind != k)
        fail_msg("instruction %zu is %s '%s', want %s", i, bh_instr_kind_name(f->bs.instrs[i].kind),
                 f->bs.instrs[i].raw, bh_instr_kind_name(k));
    return &f->bs.instrs[i];
}

/* The only instruction of kind k, or NULL; fails when there are more. */
static const struct bh_instr *only(struct fx *f, enum bh_instr_kind k)
{
    const struct bh_instr *r = NULL;
    size_t i;

    for (i = 0; i < f->bs.ninstrs; i++) {
        if (f->bs.instrs[i].kind != k)
            continue;
        if (r)
            fail_msg("more than one %s", bh_instr_kind_name(k));
        r = &f->bs.instrs[i];
    }
    return r;
}

static const char *word(const struct bh_instr *in, size_t cmd, size_t w)
{
    assert_true(cmd < in->script.ncmds);
    assert_true(w < in->script.cmds[cmd].argc);
    return in->script.cmds[cmd].argv[w].text;
}

/* ---- real configs ------------------------------------------------------------------ */

static void real_alpine(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;
    size_t len;
    char *j = member(f, TRIVY "alpine-310.tar.gz",
                     "af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e.json", &len);

    parse_ok_n(f, j, len);
    /* EXPECTED.json: created, docker_version, architecture, the diff id, cmd ["/bin/sh"] */
    assert_string_equal(f->m.created, "2020-01-23T16:53:06.686519038Z");
    assert_string_equal(f->m.docker_version, "18.06.1-ce");
    assert_string_equal(f->m.architecture, "amd64");
    assert_string_equal(f->m.os, "linux");
    assert_string_equal(f->m.rootfs_type, "layers");
    assert_int_equal(f->m.ndiff_ids, 1);
    assert_string_equal(f->m.diff_ids[0],
                        "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028");
    assert_false(f->m.legacy_container_config);
    assert_false(f->m.history_layers_mismatch);
    assert_int_equal(f->m.nhistory, 2);
    assert_int_equal(f->m.history[0].layer, 0);
    assert_int_equal(f->m.history[1].layer, -1);
    assert_true(f->m.history[1].empty_layer);
    assert_int_equal(f->m.history[0].instr, 0);
    assert_int_equal(f->m.history[1].instr, 1);
    assert_string_equal(f->m.history[1].created, "2020-01-23T16:53:06.686519038Z");

    /* `#(nop) ADD file:<hash> in / ` */
    in = in_at(f, 0, BH_I_ADD);
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[0],
                        "file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326");
    assert_string_equal(in->argv[1], "/");
    assert_int_equal(in->loc.line, 1);
    assert_string_equal(in->loc.path, "history[0].created_by");
    assert_string_equal(in->loc.file, "img:1");
    /* `#(nop)  CMD ["/bin/sh"]`: exec form; the config's Cmd says the same, no second CMD */
    in = in_at(f, 1, BH_I_CMD);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 1);
    assert_string_equal(in->argv[0], "/bin/sh");
    assert_int_equal(in->loc.line, 2);
    assert_non_null(only(f, BH_I_CMD));
    /* the PATH the engine put in Env, which no history entry set */
    in = in_at(f, 2, BH_I_ENV);
    assert_int_equal(in->loc.line, 0);
    assert_string_equal(in->loc.path, "config.Env");
    assert_string_equal(in->kvs[0].key, "PATH");
    assert_string_equal(in->kvs[0].loc.path, "config.Env[0]");
    assert_int_equal(f->bs.ninstrs, 3);
    /* User "" and no USER in history: no USER at all */
    assert_null(only(f, BH_I_USER));
    assert_null(f->bs.stages[0].user);

    j = member(f, TRIVY "alpine-311.tar.gz",
               "a187dde48cd289ac374ad8539930628314bc581a481cdb41409c9289419ddb72.json", &len);
    parse_ok_n(f, j, len);
    assert_string_equal(f->m.created, "2020-03-23T21:19:34.196162891Z");
    assert_string_equal(f->m.docker_version, "18.09.7");
    assert_string_equal(f->m.diff_ids[0],
                        "sha256:beee9f30bc1f711043e78d4a2be0668955d4b761d587d6f60c2c8dc081efb203");
}

static void real_dockle_nine_layers(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;
    size_t len, i, runs = 0;
    char *j = member(f, "dockle-testdata/symbolic.tar",
                     "af027de9139a36b28e497c40d9691f3c7589d3d92e196fce118e2c30f38a2068.json", &len);

    parse_ok_n(f, j, len);
    assert_int_equal(f->m.ndiff_ids, 9);
    assert_int_equal(f->m.nhistory, 10);
    assert_false(f->m.history_layers_mismatch);
    /* history[1] (CMD) made no layer: the later entries map one layer further back */
    assert_int_equal(f->m.history[1].layer, -1);
    assert_int_equal(f->m.history[2].layer, 1);
    assert_int_equal(f->m.history[9].layer, 8);
    /* the same diff id twice (chmod u+s then u-s of an unchanged file): kept as written */
    assert_string_equal(f->m.diff_ids[6], f->m.diff_ids[8]);
    for (i = 0; i < f->m.nhistory; i++) {
        in = &f->bs.instrs[f->m.history[i].instr];
        assert_int_equal(in->loc.line, (int)i + 1);
        runs += in->kind == BH_I_RUN;
    }
    assert_int_equal(runs, 4);
    /* `/bin/sh -c chmod u+s /app/suid.txt`: the script is the command after -c */
    in = in_at(f, 4, BH_I_RUN);
    assert_false(in->json_form);
    assert_int_equal(in->script.ncmds, 1);
    assert_string_equal(word(in, 0, 0), "chmod");
    assert_string_equal(word(in, 0, 1), "u+s");
    assert_int_equal(in->script.cmds[0].line, 5);
    assert_int_equal(in->script.cmds[0].argv[0].line, 5);
    /* COPY of the classic builder, the `in` dropped */
    in = in_at(f, 3, BH_I_COPY);
    assert_string_equal(in->argv[1], "/app/suid.txt");
    in = in_at(f, 2, BH_I_ADD);
    assert_string_equal(in->argv[1], "/app/credentials.json");
    assert_int_equal(f->bs.ninstrs, 11); /* 10 from history + the config's PATH */
}

static void real_buildkit_and_bazel(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;
    size_t len;
    char *j = member(
        f, GCR_TARBALL "hello-world-v25.tar",
        "blobs/sha256/ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44", &len);

    parse_ok_n(f, j, len);
    assert_string_equal(f->m.architecture, "arm64");
    assert_string_equal(f->m.history[0].comment, "buildkit.dockerfile.v0");
    /* `COPY hello / # buildkit` */
    in = in_at(f, 0, BH_I_COPY);
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[0], "hello");
    assert_string_equal(in->argv[1], "/");
    assert_null(strstr(in->raw, "buildkit"));
    /* BuildKit writes `CMD ["/hello"]` without #(nop) */
    in = in_at(f, 1, BH_I_CMD);
    assert_true(in->json_form);
    assert_string_equal(in->argv[0], "/hello");
    /* WorkingDir "/" with no WORKDIR in history */
    in = only(f, BH_I_WORKDIR);
    assert_non_null(in);
    assert_string_equal(in->argv[0], "/");
    assert_string_equal(in->loc.path, "config.WorkingDir");
    assert_null(only(f, BH_I_ONBUILD)); /* OnBuild null */

    /* multi-platform BuildKit image: `ARG TARGETPLATFORM=linux/arm64` (empty layer) */
    j = member(f, STEREO_MULTI,
               "blobs/sha256/3cd6022503cef24ee80dc156bf171c8d1d588c2ea1904bcd8ef2728c36341594",
               &len);
    parse_ok_n(f, j, len);
    in = in_at(f, 0, BH_I_ARG);
    assert_int_equal(in->nkvs, 1);
    assert_string_equal(in->kvs[0].key, "TARGETPLATFORM");
    assert_string_equal(in->kvs[0].value, "linux/arm64");
    assert_int_equal(f->m.history[0].layer, -1);
    assert_int_equal(f->m.history[1].layer, 0);
    in = in_at(f, 1, BH_I_COPY);
    assert_string_equal(in->argv[1], "/linux/arm64/README.md");

    /* Bazel: `bazel build ...` is no instruction; config {} adds nothing */
    j = member(f, GCR_TARBALL "test_image_1.tar",
               "6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e.json", &len);
    parse_ok_n(f, j, len);
    assert_string_equal(f->m.author, "Bazel");
    assert_string_equal(f->m.created, "1970-01-01T00:00:00Z");
    assert_int_equal(f->bs.ninstrs, 1);
    in = in_at(f, 0, BH_I_UNKNOWN);
    assert_string_equal(in->raw, "bazel build ...");
    assert_string_equal(f->m.history[0].author, "Bazel");

    /* USER from `#(nop)  USER scratch` is the config's User: said once */
    j = member(f, "dockle-testdata/scratch.tar",
               "26ba9f75a61dae80eace28eb9e17de6122395d6c4c1a8ac369005a9e3d4f9a36.json", &len);
    parse_ok_n(f, j, len);
    in = only(f, BH_I_USER);
    assert_non_null(in);
    assert_string_equal(in->argv[0], "scratch");
    assert_string_equal(in->loc.path, "history[1].created_by");
    assert_string_equal(f->bs.stages[0].user, "scratch");
    assert_int_equal(f->bs.stages[0].user_loc.line, 2);
}

/* ---- history forms ----------------------------------------------------------------- */

/* A config with these history entries (JSON objects, comma-separated) and config fields. */
static void hist(struct fx *f, const char *entries, const char *config)
{
    const char *j = bh_arena_printf(&f->a,
                                    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{%s},"
                                    "\"history\":[%s]}",
                                    config ? config : "", entries);

    assert_non_null(j);
    parse_ok(f, j);
}

static void classic_nop_forms(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;

    hist(f,
         "{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  EXPOSE map[22/tcp:{} 80/tcp:{}]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  HEALTHCHECK &{[\\\"CMD-SHELL\\\" \\\"curl -f "
         "http://localhost/ || exit 1\\\"] \\\"30s\\\" \\\"5s\\\" \\\"0s\\\" '\\\\x03'}\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ENV A=1 B=x y\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ENTRYPOINT [\\\"/entry.sh\\\" \\\"--x\\\"]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  VOLUME [/data /logs]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop) WORKDIR /app\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  USER [app]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  LABEL maintainer=me version=1\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  SHELL [/bin/bash -o pipefail -c]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  STOPSIGNAL SIGQUIT\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ONBUILD RUN make\"},"
         "{\"created_by\":\"/bin/sh -c #(nop) COPY multi:abc in /dst/ \"},"
         "{\"created_by\":\"/bin/sh -c #(nop) ARG VERSION\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  MAINTAINER Jane Doe\"}",
         "\"Env\":[\"A=1\",\"B=x y\"],\"Cmd\":[\"sh\"],\"Entrypoint\":[\"/entry.sh\",\"--x\"],"
         "\"ExposedPorts\":{\"22/tcp\":{},\"80/tcp\":{}},\"Volumes\":{\"/data\":{},\"/logs\":{}},"
         "\"WorkingDir\":\"/app\",\"User\":\"app\",\"Labels\":{\"maintainer\":\"me\",\"version\":"
         "\"1\"},\"Shell\":[\"/bin/bash\",\"-o\",\"pipefail\",\"-c\"],\"StopSignal\":\"SIGQUIT\","
         "\"OnBuild\":[\"RUN make\"],\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f "
         "http://localhost/ || exit 1\"],\"Interval\":30000000000,\"Timeout\":5000000000,"
         "\"Retries\":3}");
    /* history said everything the config says: nothing added */
    assert_int_equal(f->bs.ninstrs, 15);
    in = in_at(f, 0, BH_I_CMD);
    assert_true(in->json_form);
    assert_string_equal(in->argv[0], "sh");
    in = in_at(f, 1, BH_I_EXPOSE);
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[0], "22/tcp");
    assert_string_equal(in->argv[1], "80/tcp");
    in = in_at(f, 2, BH_I_HEALTHCHECK);
    assert_false(in->healthcheck_none);
    assert_false(in->json_form);
    assert_string_equal(in->raw, "CMD curl -f http://localhost/ || exit 1");
    assert_int_equal(in->script.ncmds, 2);
    assert_string_equal(word(in, 0, 0), "curl");
    assert_string_equal(word(in, 1, 0), "exit");
    /* interval, timeout, retries; the zero start period is the default, not a flag */
    assert_int_equal(in->nflags, 3);
    assert_string_equal(in->flags[0].name, "interval");
    assert_string_equal(in->flags[0].value, "30s");
    assert_string_equal(in->flags[1].name, "timeout");
    assert_string_equal(in->flags[1].value, "5s");
    assert_string_equal(in->flags[2].name, "retries");
    assert_string_equal(in->flags[2].value, "3");
    in = in_at(f, 3, BH_I_ENV);
    assert_int_equal(in->nkvs, 2);
    assert_string_equal(in->kvs[1].key, "B");
    assert_string_equal(in->kvs[1].value, "x y"); /* the config's Env says where it ends */
    assert_string_equal(in->kvs[1].loc.path, "history[3].created_by");
    in = in_at(f, 4, BH_I_ENTRYPOINT);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 2);
    in = in_at(f, 5, BH_I_VOLUME);
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[1], "/logs");
    in = in_at(f, 6, BH_I_WORKDIR);
    assert_string_equal(in->argv[0], "/app");
    in = in_at(f, 7, BH_I_USER);
    assert_string_equal(in->argv[0], "app");
    in = in_at(f, 8, BH_I_LABEL);
    assert_int_equal(in->nkvs, 2);
    assert_string_equal(in->kvs[1].value, "1");
    in = in_at(f, 9, BH_I_SHELL);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 4);
    assert_string_equal(in->argv[2], "pipefail");
    in = in_at(f, 10, BH_I_STOPSIGNAL);
    assert_string_equal(in->argv[0], "SIGQUIT");
    in = in_at(f, 11, BH_I_ONBUILD);
    assert_non_null(in->onbuild);
    assert_int_equal(in->onbuild->kind, BH_I_RUN);
    assert_int_equal(in->onbuild->loc.line, 12);
    in = in_at(f, 12, BH_I_COPY);
    assert_string_equal(in->argv[0], "multi:abc");
    assert_string_equal(in->argv[1], "/dst/");
    in = in_at(f, 13, BH_I_ARG);
    assert_string_equal(in->kvs[0].key, "VERSION");
    assert_null(in->kvs[0].value);
    in = in_at(f, 14, BH_I_MAINTAINER);
    assert_string_equal(f->bs.stages[0].user, "app");
}

static void buildkit_forms(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;

    hist(f,
         "{\"created_by\":\"RUN /bin/sh -c apk add x # buildkit\"},"
         "{\"created_by\":\"COPY --chown=app:app --from=build /out/ /app/ # buildkit\"},"
         "{\"created_by\":\"ENV A=1 B=2\",\"empty_layer\":true},"
         "{\"created_by\":\"ARG X=1\",\"empty_layer\":true},"
         "{\"created_by\":\"RUN |2 A=1 B=2 /bin/sh -c make # buildkit\"},"
         "{\"created_by\":\"RUN |1 X=1 /bin/sh -c echo $X # buildkit\"},"
         "{\"created_by\":\"RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install "
         "-r req.txt # buildkit\"},"
         "{\"created_by\":\"EXPOSE map[8080/tcp:{}]\",\"empty_layer\":true},"
         "{\"created_by\":\"CMD [\\\"/bin/sh\\\" \\\"-c\\\" \\\"nginx -g 'daemon off;'\\\"]\","
         "\"empty_layer\":true},"
         "{\"created_by\":\"HEALTHCHECK &{[\\\"NONE\\\"] \\\"0s\\\" \\\"0s\\\" \\\"0s\\\" "
         "\\\"0s\\\" '\\\\x00'}\",\"empty_layer\":true},"
         "{\"created_by\":\"WORKDIR /srv\",\"empty_layer\":true}",
         "\"Env\":[\"A=1\",\"B=2\"],\"Cmd\":[\"/bin/sh\",\"-c\",\"nginx -g 'daemon off;'\"],"
         "\"ExposedPorts\":{\"8080/tcp\":{}},\"WorkingDir\":\"/srv\","
         "\"Healthcheck\":{\"Test\":[\"NONE\"]}");
    in = in_at(f, 0, BH_I_RUN);
    assert_null(strstr(in->raw, "# buildkit"));
    assert_string_equal(word(in, 0, 0), "apk");
    assert_int_equal(in->script.ncmds, 1);
    in = in_at(f, 1, BH_I_COPY);
    assert_int_equal(in->nflags, 2);
    assert_string_equal(in->flags[0].name, "chown");
    assert_string_equal(in->flags[1].value, "build");
    assert_string_equal(in->argv[1], "/app/");
    in = in_at(f, 2, BH_I_ENV);
    assert_int_equal(in->nkvs, 2);
    in = in_at(f, 3, BH_I_ARG);
    assert_string_equal(in->kvs[0].value, "1");
    /* `|2 A=1 B=2`: the build args become an ARG before the RUN; the RUN is history[4]'s */
    in = in_at(f, 4, BH_I_ARG);
    assert_int_equal(in->nkvs, 2);
    assert_string_equal(in->kvs[0].key, "A");
    assert_string_equal(in->kvs[1].value, "2");
    assert_string_equal(in->raw, "A=1 B=2");
    assert_string_equal(in->loc.path, "history[4].created_by");
    assert_int_equal(in->kvs[0].loc.col, 8); /* "RUN |2 A": A is the 8th byte */
    in = in_at(f, 5, BH_I_RUN);
    assert_int_equal(f->m.history[4].instr, 5);
    assert_int_equal(in->script.ncmds, 1);
    assert_string_equal(word(in, 0, 0), "make");
    assert_int_equal(in->script.cmds[0].nassigns, 2);
    /* `|1 X=1` repeats what ARG X=1 declared: no new ARG */
    in = in_at(f, 6, BH_I_RUN);
    assert_int_equal(f->m.history[5].instr, 6);
    assert_string_equal(word(in, 0, 0), "echo");
    in = in_at(f, 7, BH_I_RUN);
    assert_int_equal(in->nflags, 1);
    assert_string_equal(in->flags[0].name, "mount");
    assert_string_equal(in->flags[0].value, "type=cache,target=/root/.cache");
    assert_string_equal(word(in, 0, 0), "pip");
    in = in_at(f, 8, BH_I_EXPOSE);
    assert_string_equal(in->argv[0], "8080/tcp");
    in = in_at(f, 9, BH_I_CMD);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 3);
    /* exec form ["/bin/sh", "-c", script]: the script is tokenized too */
    assert_string_equal(word(in, 0, 0), "nginx");
    in = in_at(f, 10, BH_I_HEALTHCHECK);
    assert_true(in->healthcheck_none);
    assert_int_equal(in->nflags, 0);
    in = in_at(f, 11, BH_I_WORKDIR);
    assert_int_equal(f->bs.ninstrs, 12);
}

static void shell_vs_exec_and_final_state(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;

    /* history CMD in shell form (kaniko) matches the config's ["/bin/sh","-c",text] */
    hist(f, "{\"created_by\":\"CMD nginx -g 'daemon off;'\"}",
         "\"Cmd\":[\"/bin/sh\",\"-c\",\"nginx -g 'daemon off;'\"]");
    assert_int_equal(f->bs.ninstrs, 1);
    in = in_at(f, 0, BH_I_CMD);
    assert_false(in->json_form);
    assert_string_equal(word(in, 0, 2), "daemon off;");

    /* the config differs from history: its final state is added, located in the config */
    hist(f,
         "{\"created_by\":\"/bin/sh -c #(nop)  USER app\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ENV SECRET=a\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ENTRYPOINT [\\\"/e\\\"]\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  EXPOSE 22\"}",
         "\"User\":\"\",\"Env\":[\"PATH=/bin\",\"SECRET=b\",\"X=1\"],\"Cmd\":\"run.sh\","
         "\"ExposedPorts\":{\"22/tcp\":{},\"443/tcp\":{}},"
         "\"Healthcheck\":{\"Test\":[\"CMD\",\"/check\",\"-q\"],\"Interval\":1500000000,"
         "\"StartPeriod\":0},\"Labels\":{\"k\":\"v\"}");
    in = in_at(f, 4, BH_I_ENV);
    /* PATH and the changed SECRET and the new X; each pair names its Env index */
    assert_int_equal(in->nkvs, 3);
    assert_string_equal(in->kvs[1].key, "SECRET");
    assert_string_equal(in->kvs[1].value, "b");
    assert_string_equal(in->kvs[2].loc.path, "config.Env[2]");
    assert_int_equal(in->loc.line, 0);
    in = in_at(f, 5, BH_I_LABEL);
    assert_string_equal(in->kvs[0].loc.path, "config.Labels.k");
    assert_string_equal(in->raw, "k=\"v\"");
    assert_int_equal(f->m.nlabels, 1);
    in = in_at(f, 6, BH_I_EXPOSE);
    assert_int_equal(in->argc, 1);
    assert_string_equal(in->argv[0], "443/tcp"); /* 22 was said, as 22 (= 22/tcp) */
    in = in_at(f, 7, BH_I_HEALTHCHECK);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 2);
    assert_string_equal(in->argv[0], "/check");
    assert_string_equal(in->raw, "CMD [\"/check\", \"-q\"]");
    assert_int_equal(in->nflags, 1);
    assert_string_equal(in->flags[0].value, "1500ms");
    /* User "" after USER app: the image runs as root, said at config.User */
    in = in_at(f, 8, BH_I_USER);
    assert_string_equal(in->argv[0], "root");
    assert_string_equal(in->loc.path, "config.User");
    assert_string_equal(f->bs.stages[0].user, "root");
    /* no Entrypoint after ENTRYPOINT ["/e"]: an empty one */
    in = in_at(f, 9, BH_I_ENTRYPOINT);
    assert_int_equal(in->argc, 0);
    assert_string_equal(in->loc.path, "config.Entrypoint");
    /* Cmd as one string is a one-element list */
    in = in_at(f, 10, BH_I_CMD);
    assert_true(in->json_form);
    assert_int_equal(in->argc, 1);
    assert_string_equal(in->argv[0], "run.sh");
    assert_int_equal(f->bs.ninstrs, 11);
}

static void unknown_and_windows(void **state)
{
    struct fx *f = *state;
    size_t i;

    hist(f,
         "{\"created_by\":\"Apply image 10.0.17763.1158\"},"
         "{\"created_by\":\"cmd /S /C powershell -Command Install-Thing\"},"
         "{\"created_by\":\"RUN cmd /S /C dir # buildkit\"},"
         "{\"created_by\":\"powershell -Command $ErrorActionPreference = 'Stop'\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  FROBNICATE x\"},"
         "{\"created_by\":\"run lowercase is a command\"},"
         "{\"created_by\":\"\"},"
         "{\"created_by\":\"   \"},"
         "{\"comment\":\"no created_by\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  HEALTHCHECK &{[\\\"CMD\\\" \\\"}\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"unterminated\"}",
         NULL);
    for (i = 0; i < 5; i++)
        in_at(f, i, BH_I_UNKNOWN);
    assert_string_equal(f->bs.instrs[1].raw, "cmd /S /C powershell -Command Install-Thing");
    assert_int_equal(f->bs.instrs[1].script.ncmds, 0);
    assert_string_equal(f->bs.instrs[4].raw, "FROBNICATE x");
    assert_int_equal(f->bs.instrs[4].loc.line, 5);
    in_at(f, 5, BH_I_UNKNOWN);
    /* entries without text make no instruction */
    assert_int_equal(f->m.history[6].instr, -1);
    assert_int_equal(f->m.history[7].instr, -1);
    assert_int_equal(f->m.history[8].instr, -1);
    /* broken Go syntax falls back to the Dockerfile reader, or UNKNOWN: never a failure */
    assert_int_equal(f->m.history[9].instr, 6);
    assert_int_equal(f->m.history[10].instr, 7);
    /* the config has no Cmd after history's CMD: an empty one says so */
    assert_int_equal(in_at(f, 8, BH_I_CMD)->argc, 0);
    assert_string_equal(f->bs.instrs[8].loc.path, "config.Cmd");
    assert_int_equal(f->bs.ninstrs, 9);
}

static void legacy_and_layers(void **state)
{
    struct fx *f = *state;
    const struct bh_instr *in;

    /* no `config`: the legacy container_config is read; its #(nop) Cmd is a build step */
    parse_ok(f, "{\"container_config\":{\"User\":\"nobody\",\"Env\":[\"A=1\"],"
                "\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) \",\"CMD [\\\"sh\\\"]\"]},"
                "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                "1111111111111111111111111111111111111111111111111111111111111111\"]},"
                "\"history\":[{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\"},"
                "{\"created_by\":\"/bin/sh -c true\"},{\"created_by\":\"/bin/sh -c false\"}]}");
    assert_true(f->m.legacy_container_config);
    assert_int_equal(f->m.history[0].layer, 0);  /* no empty_layer flag: a layer */
    assert_int_equal(f->m.history[1].layer, -1); /* more layers in history than diff ids */
    assert_true(f->m.history_layers_mismatch);
    in = only(f, BH_I_USER);
    assert_string_equal(in->loc.path, "container_config.User");
    assert_string_equal(only(f, BH_I_ENV)->kvs[0].loc.path, "container_config.Env[0]");
    in = only(f, BH_I_CMD);
    assert_string_equal(in->loc.path, "history[0].created_by");

    /* no history at all: only the config's state */
    parse_ok(f, "{\"config\":{\"User\":\"1000:1000\",\"Entrypoint\":[\"/app\"]},"
                "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    assert_int_equal(f->m.nhistory, 0);
    assert_false(f->m.history_layers_mismatch);
    in = in_at(f, 0, BH_I_USER);
    assert_string_equal(in->argv[0], "1000:1000");
    in = in_at(f, 1, BH_I_ENTRYPOINT);
    assert_string_equal(in->loc.path, "config.Entrypoint");
    assert_int_equal(f->bs.ninstrs, 2);

    /* nothing at all is a valid (if useless) config */
    parse_ok(f, "{}");
    assert_int_equal(f->bs.ninstrs, 0);
    assert_null(f->m.os);
}

static void errors_and_limits(void **state)
{
    struct fx *f = *state;
    struct bh_buf b;
    size_t i;

    parse_fails(f, "[]", BH_EPARSE, "(root): expected an object");
    parse_fails(f, "{\"config\":[]}", BH_EPARSE, "config: expected an object, found array");
    parse_fails(f, "{\"config\":{\"Env\":\"A=1\"}}", BH_EPARSE, "config.Env: expected an array");
    parse_fails(f, "{\"config\":{\"Env\":[\"A=1\",7]}}", BH_EPARSE,
                "config.Env[1]: expected a string, found integer");
    parse_fails(f, "{\"config\":{\"User\":0}}", BH_EPARSE, "config.User: expected a string");
    parse_fails(f, "{\"config\":{\"Labels\":{\"k\":true}}}", BH_EPARSE,
                "config.Labels.k: expected a string, found boolean");
    parse_fails(f, "{\"config\":{\"Labels\":{\"\\u001b]0;x\\u0007\":1}}}", BH_EPARSE,
                "config.Labels.\\x1b]0;x\\x07: expected a string");
    parse_fails(f, "{\"config\":{\"ExposedPorts\":[\"80\"]}}", BH_EPARSE,
                "config.ExposedPorts: expected an object");
    parse_fails(f, "{\"config\":{\"Healthcheck\":{\"Test\":\"CMD\"}}}", BH_EPARSE,
                "config.Healthcheck.Test: expected an array");
    parse_fails(f, "{\"config\":{\"Cmd\":{}}}", BH_EPARSE, "config.Cmd: expected an array");
    parse_fails(f, "{\"config\":{\"Entrypoint\":[\"a\\u0000b\"]}}", BH_EPARSE,
                "config.Entrypoint[0]: string holds a NUL byte");
    parse_fails(f, "{\"history\":{}}", BH_EPARSE, "history: expected an array");
    parse_fails(f, "{\"history\":[{},3]}", BH_EPARSE, "history[1]: expected an object");
    parse_fails(f, "{\"history\":[{\"created_by\":5}]}", BH_EPARSE,
                "history[0].created_by: expected a string, found integer");
    parse_fails(f, "{\"history\":[{\"empty_layer\":\"true\"}]}", BH_EPARSE,
                "history[0].empty_layer: expected a boolean");
    parse_fails(f, "{\"rootfs\":{\"diff_ids\":[\"sha256:abc\"]}}", BH_EPARSE,
                "rootfs.diff_ids[0]: not a digest");
    parse_fails(f, "{\"rootfs\":[]}", BH_EPARSE, "rootfs: expected an object");
    parse_fails(f, "{\"created\":1}", BH_EPARSE, "created: expected a string");
    parse_fails(f, "{\"config\":", BH_EPARSE, "invalid json");

    bh_buf_init(&b, 64u << 20);
    bh_buf_puts(&b, "{\"history\":[");
    for (i = 0; i <= BH_MAX_IMAGE_HISTORY; i++)
        bh_buf_puts(&b, i ? ",{}" : "{}");
    bh_buf_puts(&b, "]}");
    parse_fails(f, b.ptr, BH_ELIMIT, "BH_MAX_IMAGE_HISTORY");
    bh_buf_reset(&b);
    bh_buf_puts(&b, "{\"rootfs\":{\"diff_ids\":[");
    for (i = 0; i <= BH_MAX_IMAGE_LAYERS; i++)
        bh_buf_printf(&b, "%s\"sha256:%064zx\"", i ? "," : "", i);
    bh_buf_puts(&b, "]}}");
    parse_fails(f, b.ptr, BH_ELIMIT, "BH_MAX_IMAGE_LAYERS");
    bh_buf_release(&b);
    bh_err_init(&f->err);
    assert_int_equal(bh_imgconfig_parse(&f->a, "img:1", "{}", (size_t)BH_MAX_JSON_INPUT + 1, &f->bs,
                                        &f->m, &f->err),
                     BH_ELIMIT);
    /* meta may be NULL */
    bh_err_init(&f->err);
    {
        static const char one[] = "{\"config\":{\"User\":\"a\"}}";

        assert_int_equal(
            bh_imgconfig_parse(&f->a, "x", one, sizeof(one) - 1, &f->bs, NULL, &f->err), 0);
    }
    assert_int_equal(f->bs.ninstrs, 1);
}

/* ---- the same rule functions ------------------------------------------------------- */

static size_t count(const struct bh_findings *out, const char *rule)
{
    size_t i, n = 0;

    for (i = 0; i < out->n; i++)
        n += strcmp(out->v[i].rule, rule) == 0;
    return n;
}

static const struct bh_finding *first(const struct bh_findings *out, const char *rule)
{
    size_t i;

    for (i = 0; i < out->n; i++) {
        if (strcmp(out->v[i].rule, rule) == 0)
            return &out->v[i];
    }
    return NULL;
}

static void rules_on_config(void **state)
{
    struct fx *f = *state;
    struct bh_policy p;
    struct bh_findings out;
    const struct bh_finding *x;

    /* known mistakes: apt-get install without --no-install-recommends, no USER, a secret ENV */
    hist(f,
         "{\"created_by\":\"/bin/sh -c #(nop) ADD file:abc in / \"},"
         "{\"created_by\":\"/bin/sh -c apt-get update && apt-get install -y curl\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY="
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"empty_layer\":true},"
         "{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"curl\\\"]\",\"empty_layer\":true}",
         "\"Env\":[\"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"],"
         "\"Cmd\":[\"curl\"]");
    bh_policy_init(&p);
    memset(&out, 0, sizeof(out));
    bh_rules_check_build(&f->a, &p, &f->bs, &out);
    assert_int_equal(count(&out, "BUILD-NORECS"), 1);
    x = first(&out, "BUILD-NORECS");
    assert_string_equal(x->loc.path, "history[1].created_by");
    assert_int_equal(x->loc.line, 2);
    assert_int_equal(count(&out, "BUILD-USER"), 1);
    assert_int_equal(count(&out, "IMG-SECRET-ENV"), 1);
    assert_string_equal(first(&out, "IMG-SECRET-ENV")->loc.path, "history[2].created_by");

    /* the same image done right: no NORECS, a non-root USER, no secret */
    hist(f,
         "{\"created_by\":\"/bin/sh -c apt-get update && apt-get install -y "
         "--no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\"},"
         "{\"created_by\":\"/bin/sh -c #(nop)  USER 10001:10001\"}",
         "\"User\":\"10001:10001\"");
    memset(&out, 0, sizeof(out));
    bh_rules_check_build(&f->a, &p, &f->bs, &out);
    assert_int_equal(count(&out, "BUILD-NORECS"), 0);
    assert_int_equal(count(&out, "BUILD-USER"), 0);
    assert_int_equal(count(&out, "IMG-SECRET-ENV"), 0);

    /* a token passed as a build arg is in the history of the RUN that used it */
    hist(f,
         "{\"created_by\":\"RUN |1 GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 "
         "/bin/sh -c git clone https://github.com/x/y # buildkit\"}",
         "\"User\":\"app\"");
    memset(&out, 0, sizeof(out));
    bh_rules_check_build(&f->a, &p, &f->bs, &out);
    assert_int_equal(count(&out, "IMG-SECRET-ENV"), 1);
    assert_string_equal(first(&out, "IMG-SECRET-ENV")->loc.path, "history[0].created_by");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(real_alpine, setup, teardown),
        cmocka_unit_test_setup_teardown(real_dockle_nine_layers, setup, teardown),
        cmocka_unit_test_setup_teardown(real_buildkit_and_bazel, setup, teardown),
        cmocka_unit_test_setup_teardown(classic_nop_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(buildkit_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(shell_vs_exec_and_final_state, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_and_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(legacy_and_layers, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(rules_on_config, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
