/*
 * test_norm.c - the shared normalisers N2-N7 on their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/norm.h"

static struct bh_arena A;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&A, 1u << 24);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&A);
    return 0;
}

static void caps(void **state)
{
    (void)state;
    assert_string_equal(bh_norm_cap(&A, "sys_admin"), "SYS_ADMIN");
    assert_string_equal(bh_norm_cap(&A, " CAP_SYS_ADMIN "), "SYS_ADMIN");
    assert_string_equal(bh_norm_cap(&A, "cap_net_raw"), "NET_RAW");
    assert_string_equal(bh_norm_cap(&A, "all"), "ALL");
    assert_true(bh_norm_cap_docker_default("NET_RAW"));
    assert_true(bh_norm_cap_docker_default("CHOWN"));
    assert_false(bh_norm_cap_docker_default("SYS_ADMIN"));
    assert_false(bh_norm_cap_docker_default("ALL"));
    assert_false(bh_norm_cap_pss_baseline("NET_RAW"));
    assert_true(bh_norm_cap_pss_baseline("NET_BIND_SERVICE"));
}

static void users(void **state)
{
    struct bh_user u;

    (void)state;
    bh_norm_user("0:0", &u);
    assert_true(u.set && u.user_root && u.group_root && u.numeric);
    bh_norm_user("root:root", &u);
    assert_true(u.user_root && u.group_root && !u.numeric);
    bh_norm_user("00", &u);
    assert_true(u.user_root && !u.group_root);
    bh_norm_user("0:1000", &u);
    assert_true(u.user_root && !u.group_root);
    bh_norm_user("1000:0", &u);
    assert_true(!u.user_root && u.group_root);
    bh_norm_user("app", &u);
    assert_true(u.set && !u.user_root && !u.numeric);
    bh_norm_user("ROOT", &u);
    assert_false(u.user_root);
    bh_norm_user("${UID}:${GID}", &u);
    assert_true(u.set && u.unknown && !u.user_root);
    bh_norm_user("  ", &u);
    assert_false(u.set);
    assert_true(bh_norm_id_is_zero("0"));
    assert_true(bh_norm_id_is_zero("000"));
    assert_false(bh_norm_id_is_zero("10"));
    assert_false(bh_norm_id_is_zero(""));
}

static void paths(void **state)
{
    (void)state;
    assert_string_equal(bh_norm_path(&A, "/etc/"), "/etc");
    assert_string_equal(bh_norm_path(&A, "//etc//ssh/./"), "/etc/ssh");
    assert_string_equal(bh_norm_path(&A, "/srv/app/../../etc"), "/etc");
    assert_string_equal(bh_norm_path(&A, "/../../.."), "/");
    assert_string_equal(bh_norm_path(&A, "/"), "/");
    assert_string_equal(bh_norm_path(&A, "/var/run/docker.sock"), "/run/docker.sock");
    assert_string_equal(bh_norm_path(&A, "/var/run"), "/run");
    assert_string_equal(bh_norm_path(&A, "/var/runner"), "/var/runner");
    assert_string_equal(bh_norm_path(&A, "C:\\Windows\\..\\"), "C:/");
    assert_string_equal(bh_norm_path(&A, "\\\\.\\pipe\\docker_engine"), "//./pipe/docker_engine");
    assert_null(bh_norm_path(&A, "./data"));
    assert_null(bh_norm_path(&A, "~/x"));
    assert_true(bh_norm_path_under("/etc/ssh", "/etc"));
    assert_true(bh_norm_path_under("/etc", "/etc"));
    assert_false(bh_norm_path_under("/etcd-data", "/etc"));
    assert_true(bh_norm_path_under("/anything", "/"));
    assert_false(bh_norm_path_under("/var", "/var/run"));
}

static void ports(void **state)
{
    struct bh_port p;

    (void)state;
    assert_int_equal(bh_norm_port(&A, "8080:80", &p), 0);
    assert_null(p.host_ip);
    assert_int_equal(p.host_lo, 8080);
    assert_int_equal(p.cont_lo, 80);
    assert_string_equal(p.proto, "tcp");
    assert_true(p.published);
    assert_int_equal(bh_norm_port(&A, "127.0.0.1:8080:80/udp", &p), 0);
    assert_string_equal(p.host_ip, "127.0.0.1");
    assert_string_equal(p.proto, "udp");
    assert_int_equal(bh_norm_port(&A, "[::]:8080:80", &p), 0);
    assert_string_equal(p.host_ip, "::");
    assert_true(bh_norm_ip_wildcard(p.host_ip));
    assert_int_equal(bh_norm_port(&A, "[::1]:2375:2375", &p), 0);
    assert_true(bh_norm_ip_loopback(p.host_ip));
    assert_int_equal(bh_norm_port(&A, "80", &p), 0);
    assert_int_equal(p.host_lo, 0);
    assert_int_equal(p.cont_lo, 80);
    assert_int_equal(bh_norm_port(&A, "8000-8010:80-90", &p), 0);
    assert_int_equal(p.host_hi, 8010);
    assert_int_equal(p.cont_hi, 90);
    assert_int_equal(bh_norm_port(&A, "127.0.0.1::80", &p), 0);
    assert_int_equal(p.host_lo, 0);
    assert_string_equal(p.host_ip, "127.0.0.1");
    assert_int_equal(bh_norm_port(&A, "0.0.0.0:22:22", &p), 0);
    assert_true(bh_norm_ip_wildcard(p.host_ip));
    assert_int_equal(bh_norm_port(&A, "${PORT}:80", &p), BH_EUNSUPPORTED);
    assert_int_equal(bh_norm_port(&A, "80/xyz", &p), BH_EPARSE);
    assert_int_equal(bh_norm_port(&A, "::1:80:80", &p), BH_EPARSE);
    assert_int_equal(bh_norm_port(&A, "70000:80", &p), BH_EPARSE);
    assert_int_equal(bh_norm_port(&A, "90-80:80", &p), BH_EPARSE);
    assert_int_equal(bh_norm_port(&A, "", &p), BH_EPARSE);
    assert_false(bh_norm_ip_wildcard("10.0.0.1"));
}

static void volumes(void **state)
{
    struct bh_mount m;

    (void)state;
    assert_int_equal(bh_norm_volume(&A, "/var/run/docker.sock:/var/run/docker.sock:ro", &m), 0);
    assert_int_equal(m.kind, BH_MOUNT_BIND);
    assert_string_equal(m.source, "/run/docker.sock");
    assert_string_equal(m.source_raw, "/var/run/docker.sock");
    assert_true(m.read_only);
    assert_int_equal(bh_norm_volume(&A, "data:/var/lib/data", &m), 0);
    assert_int_equal(m.kind, BH_MOUNT_VOLUME);
    assert_string_equal(m.source, "data");
    assert_int_equal(bh_norm_volume(&A, "./src:/app:rw,z", &m), 0);
    assert_int_equal(m.kind, BH_MOUNT_BIND);
    assert_null(m.source);
    assert_string_equal(m.source_raw, "./src");
    assert_int_equal(bh_norm_volume(&A, "/:/host:rshared", &m), 0);
    assert_string_equal(m.propagation, "rshared");
    assert_int_equal(bh_norm_volume(&A, "/cache", &m), 0);
    assert_int_equal(m.kind, BH_MOUNT_VOLUME);
    assert_null(m.source);
    assert_int_equal(bh_norm_volume(&A, "C:\\data:C:\\app", &m), 0);
    assert_int_equal(m.kind, BH_MOUNT_BIND);
    assert_string_equal(m.source, "C:/data");
    assert_int_equal(bh_norm_volume(&A, "/a:/b:bogus", &m), BH_EPARSE);
    assert_int_equal(bh_norm_volume(&A, "/a:relative", &m), BH_EPARSE);
    assert_int_equal(bh_norm_volume(&A, "/a:/b:ro:extra", &m), BH_EPARSE);
    assert_int_equal(bh_norm_volume(&A, ":/b", &m), BH_EPARSE);
}

static void bools_and_secopts(void **state)
{
    struct bh_secopt o;
    bool b;

    (void)state;
    assert_int_equal(bh_norm_bool("True", &b), 0);
    assert_true(b);
    assert_int_equal(bh_norm_bool("off", &b), 0);
    assert_false(b);
    assert_int_equal(bh_norm_bool("maybe", &b), BH_EPARSE);
    assert_int_equal(bh_norm_secopt(&A, "seccomp=unconfined", &o), 0);
    assert_string_equal(o.key, "seccomp");
    assert_string_equal(o.value, "unconfined");
    assert_int_equal(bh_norm_secopt(&A, "seccomp:unconfined", &o), 0);
    assert_string_equal(o.value, "unconfined");
    assert_int_equal(bh_norm_secopt(&A, "no-new-privileges", &o), 0);
    assert_string_equal(o.key, "no-new-privileges");
    assert_string_equal(o.value, "");
    assert_int_equal(bh_norm_secopt(&A, "no-new-privileges:false", &o), 0);
    assert_string_equal(o.value, "false");
    assert_int_equal(bh_norm_secopt(&A, "label=type:spc_t", &o), 0);
    assert_string_equal(o.key, "label");
    assert_string_equal(o.value, "type:spc_t");
    assert_int_equal(bh_norm_secopt(&A, "label:disable", &o), 0);
    assert_string_equal(o.value, "disable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caps),  cmocka_unit_test(users),   cmocka_unit_test(paths),
        cmocka_unit_test(ports), cmocka_unit_test(volumes), cmocka_unit_test(bools_and_secopts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
