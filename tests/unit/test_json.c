/*
 * test_json.c - the JSON tree: every value type, document order, helpers,
 * located syntax errors, duplicate keys, NUL in strings, and the limits
 * (depth, node count, size) that must stop hostile input before jansson works.
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
#include "input/json.h"

#include <string.h>

struct fix {
    struct bh_arena a;
    struct bh_err err;
    struct bh_jnode *root;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 512u << 20);
    bh_err_init(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    bh_arena_release(&f->a);
    free(f);
    return 0;
}

static int parse_n(struct fix *f, const char *text, size_t len)
{
    bh_err_init(&f->err);
    return bh_json_parse(&f->a, "c.json", text, len, &f->root, &f->err);
}

static int parse(struct fix *f, const char *text)
{
    return parse_n(f, text, strlen(text));
}

static void test_types(void **state)
{
    struct fix *f = *state;
    const struct bh_jnode *v;
    long long i = 0;
    bool b = false;

    assert_int_equal(parse(f, "{\"s\": \"x\\u00e9y\", \"i\": -42, \"big\": 9223372036854775807,"
                              " \"r\": 1.5e3, \"t\": true, \"f\": false, \"n\": null,"
                              " \"a\": [1, \"two\", [], {}], \"o\": {\"k\": \"v\"}}"),
                     0);
    assert_int_equal(f->root->type, BH_J_OBJECT);
    assert_int_equal(f->root->n, 9);
    assert_string_equal(bh_json_str(bh_json_get(f->root, "s")), "x\xc3\xa9y");
    assert_true(bh_json_int(bh_json_get(f->root, "i"), &i));
    assert_int_equal(i, -42);
    assert_true(bh_json_int(bh_json_get(f->root, "big"), &i));
    assert_true(i == 9223372036854775807LL);
    v = bh_json_get(f->root, "r");
    assert_int_equal(v->type, BH_J_REAL);
    assert_true(v->r > 1499.9 && v->r < 1500.1);
    assert_true(bh_json_bool(bh_json_get(f->root, "t"), &b));
    assert_true(b);
    assert_true(bh_json_bool(bh_json_get(f->root, "f"), &b));
    assert_false(b);
    assert_true(bh_json_is_null(bh_json_get(f->root, "n")));
    assert_true(bh_json_is_null(bh_json_get(f->root, "missing")));
    v = bh_json_get(f->root, "a");
    assert_true(bh_json_is_array(v));
    assert_int_equal(v->n, 4);
    assert_string_equal(bh_json_str(&v->items[1]), "two");
    assert_int_equal(v->items[2].n, 0);
    assert_true(bh_json_is_object(&v->items[3]));
    assert_string_equal(bh_json_str(bh_json_get(bh_json_get(f->root, "o"), "k")), "v");
    /* helpers refuse the wrong type and NULL */
    assert_null(bh_json_str(bh_json_get(f->root, "i")));
    assert_false(bh_json_int(bh_json_get(f->root, "s"), &i));
    assert_false(bh_json_bool(NULL, &b));
    assert_null(bh_json_get(v, "k"));
    assert_string_equal(bh_json_type_name(v), "array");
    assert_string_equal(bh_json_type_name(NULL), "missing");
}

static void test_order_and_scalars(void **state)
{
    struct fix *f = *state;

    /* keys stay in document order, not sorted */
    assert_int_equal(parse(f, "{\"z\": 1, \"a\": 2, \"m\": 3}"), 0);
    assert_string_equal(f->root->pairs[0].key, "z");
    assert_string_equal(f->root->pairs[1].key, "a");
    assert_string_equal(f->root->pairs[2].key, "m");
    /* a bare scalar document (manifest.json can be `null`) */
    assert_int_equal(parse(f, "null"), 0);
    assert_int_equal(f->root->type, BH_J_NULL);
    assert_int_equal(parse(f, " \"x\" "), 0);
    assert_string_equal(bh_json_str(f->root), "x");
}

static void test_nul_in_string(void **state)
{
    struct fix *f = *state;
    const struct bh_jnode *v;

    assert_int_equal(parse(f, "{\"k\": \"a\\u0000b\"}"), 0);
    v = bh_json_get(f->root, "k");
    assert_int_equal(v->len, 3);
    assert_int_equal(strlen(v->str), 1);
    assert_memory_equal(v->str, "a\0b", 3);
}

static void test_errors(void **state)
{
    struct fix *f = *state;

    assert_int_equal(parse(f, "{\n  \"a\": 1,\n  \"b\": }"), BH_EPARSE);
    assert_int_equal(f->err.line, 3);
    assert_true(f->err.col > 0);
    assert_string_equal(f->err.file, "c.json");
    assert_non_null(strstr(f->err.msg, "invalid json"));

    assert_int_equal(parse(f, "{\"a\": 1, \"a\": 2}"), BH_EPARSE);
    assert_non_null(strstr(f->err.msg, "duplicate"));

    assert_int_equal(parse(f, "{} {}"), BH_EPARSE);
    assert_int_equal(parse(f, ""), BH_EPARSE);
    assert_int_equal(parse(f, "[1, 2"), BH_EPARSE);
    assert_int_equal(parse(f, "{\"a\": 99999999999999999999999}"), BH_EPARSE);
    /* invalid UTF-8, and a control character quoted back in the message is made printable */
    assert_int_equal(parse(f, "{\"a\": \"\xff\xfe\"}"), BH_EPARSE);
    assert_int_equal(parse(f, "{\"a\": x\x1b[31m}"), BH_EPARSE);
    assert_null(strchr(f->err.msg, '\x1b'));
    /* bytes of a broken UTF-8 sequence are not copied into the message either */
    assert_int_equal(parse(f, "{\"a\": x\xc3}"), BH_EPARSE);
    assert_null(strchr(f->err.msg, '\xc3'));
    /* jansson refuses NUL inside keys (strings may hold it) */
    assert_int_equal(parse(f, "{\"a\\u0000b\": 1}"), BH_EPARSE);
    assert_non_null(strstr(f->err.msg, "NUL"));
    assert_null(f->root);
}

static void test_depth_limit(void **state)
{
    struct fix *f = *state;
    char deep[2 * (BH_MAX_JSON_DEPTH + 1) + 1];
    size_t i, d = BH_MAX_JSON_DEPTH;

    /* exactly at the limit parses */
    for (i = 0; i < d; i++) {
        deep[i] = '[';
        deep[d + i] = ']';
    }
    assert_int_equal(parse_n(f, deep, 2 * d), 0);
    /* one more level is refused by the prescan, naming the constant */
    for (i = 0; i <= d; i++) {
        deep[i] = '[';
        deep[d + 1 + i] = ']';
    }
    assert_int_equal(parse_n(f, deep, 2 * (d + 1)), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_JSON_DEPTH"));
    /* brackets inside strings do not count */
    assert_int_equal(parse(f, "{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                              "[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}"),
                     0);
}

static void test_node_and_size_limits(void **state)
{
    struct fix *f = *state;
    struct bh_buf b;
    size_t i;

    bh_buf_init(&b, 64u << 20);
    bh_buf_putc(&b, '[');
    for (i = 0; i <= BH_MAX_JSON_NODES; i++)
        bh_buf_puts(&b, i ? ",0" : "0");
    bh_buf_putc(&b, ']');
    assert_false(b.failed);
    assert_int_equal(parse_n(f, b.ptr, b.len), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_JSON_NODES"));
    /* commas inside strings are not values */
    bh_buf_reset(&b);
    bh_buf_puts(&b, "[\"");
    for (i = 0; i <= BH_MAX_JSON_NODES; i++)
        bh_buf_putc(&b, ',');
    bh_buf_puts(&b, "\"]");
    assert_int_equal(parse_n(f, b.ptr, b.len), 0);
    assert_int_equal(f->root->items[0].len, BH_MAX_JSON_NODES + 1);
    bh_buf_release(&b);
    /* the size check comes first and does not read the bytes */
    assert_int_equal(parse_n(f, "{}", (size_t)BH_MAX_JSON_INPUT + 1), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_JSON_INPUT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_and_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_in_string, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_and_size_limits, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
