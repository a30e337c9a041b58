/*
 * test_core.c - bounded buffer, arena, string helpers and integer parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

static void buf_appends_and_terminates(void **state)
{
    struct bh_buf b = BH_BUF_INIT(1024);

    (void)state;
    assert_string_equal(bh_buf_str(&b), "");
    bh_buf_puts(&b, "abc");
    bh_buf_putc(&b, 'd');
    bh_buf_printf(&b, "%d-%s", 42, "x");
    assert_false(b.failed);
    assert_int_equal(b.len, 8);
    assert_string_equal(bh_buf_str(&b), "abcd42-x");
    bh_buf_release(&b);
}

static void buf_max_is_sticky(void **state)
{
    struct bh_buf b = BH_BUF_INIT(4);

    (void)state;
    bh_buf_puts(&b, "abcd");
    assert_false(b.failed);
    bh_buf_putc(&b, 'e');
    assert_true(b.failed);
    bh_buf_putc(&b, 'f');
    assert_int_equal(b.len, 4);
    assert_string_equal(bh_buf_str(&b), "abcd");
    bh_buf_release(&b);
}

static void buf_binary_safe_detach(void **state)
{
    struct bh_buf b = BH_BUF_INIT(100);
    size_t len;
    char *p;

    (void)state;
    bh_buf_append(&b, "a\0b", 3);
    p = bh_buf_detach(&b, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "a\0b", 4);
    assert_null(b.ptr);
    free(p);
}

static void arena_alloc_zeroed_and_aligned(void **state)
{
    struct bh_arena a;
    int i;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    for (i = 0; i < 1000; i++) {
        unsigned char *p = bh_arena_alloc(&a, (size_t)i * 7 + 1);

        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_int_equal(p[0], 0);
        assert_int_equal(p[i * 7], 0);
        p[i * 7] = 0xff;
    }
    /* a large block does not break later small allocations */
    assert_non_null(bh_arena_alloc(&a, 200000));
    assert_non_null(bh_arena_alloc(&a, 8));
    bh_arena_release(&a);
}

static void arena_limit(void **state)
{
    struct bh_arena a;

    (void)state;
    bh_arena_init(&a, 100000);
    assert_non_null(bh_arena_alloc(&a, 100));
    assert_null(bh_arena_alloc(&a, 200000));
    assert_true(a.failed);
    assert_null(bh_arena_alloc(&a, 1));
    bh_arena_release(&a);
}

static void arena_push_grows(void **state)
{
    struct bh_arena a;
    int *v = NULL;
    size_t n = 0, cap = 0, i;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    for (i = 0; i < 1000; i++) {
        int *slot = BH_PUSH(&a, v, n, cap);

        assert_non_null(slot);
        *slot = (int)i;
    }
    assert_int_equal(n, 1000);
    for (i = 0; i < 1000; i++)
        assert_int_equal(v[i], (int)i);
    assert_string_equal(bh_arena_printf(&a, "%s-%d", "x", 7), "x-7");
    bh_arena_release(&a);
}

static void str_helpers(void **state)
{
    (void)state;
    assert_true(bh_str_ieq("From", "FROM"));
    assert_false(bh_str_ieq("FROMX", "FROM"));
    assert_true(bh_str_ieqn("runx", 3, "RUN"));
    assert_false(bh_str_ieqn("ru", 2, "RUN"));
    assert_true(bh_str_prefix("docker.io/x", "docker.io/"));
    assert_true(bh_str_iprefix("Docker.io/x", "docker.IO"));
    assert_true(bh_str_suffix("a.pem", ".pem"));
    assert_false(bh_str_suffix("pem", ".pem"));
    assert_true(bh_str_isuffix("KEY.PEM", ".pem"));
    assert_non_null(bh_str_icontains("my_Password", "PASS"));
    assert_null(bh_str_icontains("pseudo", "sudox"));
}

static void parse_int_ranges(void **state)
{
    long long v;

    (void)state;
    assert_int_equal(bh_parse_int("42", 2, 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(bh_parse_int("-5", 2, -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(bh_parse_int("101", 3, 0, 100, &v), BH_ELIMIT);
    assert_int_equal(bh_parse_int("", 0, 0, 100, &v), BH_EPARSE);
    assert_int_equal(bh_parse_int("1x", 2, 0, 100, &v), BH_EPARSE);
    assert_int_equal(bh_parse_int("-", 1, -10, 100, &v), BH_EPARSE);
    assert_int_equal(bh_parse_int("99999999999999999999", 20, 0, 100, &v), BH_ELIMIT);
    assert_int_equal(bh_parse_int("9223372036854775807", 19, 0, 9223372036854775807LL, &v), 0);
}

static void base64_and_printable(void **state)
{
    unsigned char out[16];
    char buf[64];
    size_t n = 0;
    struct bh_arena a;

    (void)state;
    assert_int_equal(bh_base64_decode("dXNlcjpwdw==", 12, out, sizeof(out), &n), 0);
    assert_int_equal(n, 7);
    assert_memory_equal(out, "user:pw", 7);
    assert_int_equal(bh_base64_decode("dXNlcjpwdw", 10, out, sizeof(out), &n), 0); /* no pad */
    assert_int_equal(n, 7);
    assert_int_equal(bh_base64_decode("dXN*cjpw", 8, out, sizeof(out), &n), BH_EPARSE);
    assert_int_equal(bh_base64_decode("d", 1, out, sizeof(out), &n), BH_EPARSE);
    assert_int_equal(bh_base64_decode("dXNlcjpwdw==", 12, out, 3, &n), BH_ELIMIT);
    assert_string_equal(bh_str_printable_n(buf, sizeof(buf), "a\x1b[2J\0b", 7, 64),
                        "a\\x1b[2J\\x00b");
    assert_string_equal(bh_str_printable(buf, sizeof(buf), "abcdef", 3), "abc...");
    bh_arena_init(&a, 1 << 20);
    assert_string_equal(bh_str_printable_dup(&a, "x\ty", 3, 64), "x\\x09y");
    bh_arena_release(&a);
}

static void err_set_formats(void **state)
{
    struct bh_err e;

    (void)state;
    bh_err_init(&e);
    assert_int_equal(bh_err_set(&e, BH_EPARSE, "Dockerfile", 3, 7, "bad %s", "thing"), BH_EPARSE);
    assert_string_equal(e.file, "Dockerfile");
    assert_int_equal(e.line, 3);
    assert_int_equal(e.col, 7);
    assert_string_equal(e.msg, "bad thing");
    assert_int_equal(bh_err_set(NULL, BH_EIO, NULL, 0, 0, "x"), BH_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_and_terminates),
        cmocka_unit_test(buf_max_is_sticky),
        cmocka_unit_test(buf_binary_safe_detach),
        cmocka_unit_test(arena_alloc_zeroed_and_aligned),
        cmocka_unit_test(arena_limit),
        cmocka_unit_test(arena_push_grows),
        cmocka_unit_test(str_helpers),
        cmocka_unit_test(parse_int_ranges),
        cmocka_unit_test(err_set_formats),
        cmocka_unit_test(base64_and_printable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
