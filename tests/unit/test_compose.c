/*
 * test_compose.c - the Compose reader: every service field in both syntaxes,
 * interpolation, extends, anchors in extension fields, the YAML 1.1 base-60
 * trap, named volumes that are binds, relative paths, errors with positions,
 * detection bids and allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/compose.h"

#include <stdio.h>
#include <string.h>

struct fix {
    struct bh_arena a;
    struct bh_err err;
    struct bh_runset set;
    const char *const *env;
    size_t nenv;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 64u << 20);
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

static int parse_file(struct fix *f, const char *file, const char *text)
{
    struct bh_compose_opts o;

    memset(&o, 0, sizeof(o));
    o.env = f->env;
    o.nenv = f->nenv;
    bh_err_init(&f->err);
    return bh_compose_parse(&f->a, file, text, strlen(text), &o, &f->set, &f->err);
}

static int parse(struct fix *f, const char *text)
{
    return parse_file(f, "/srv/app/compose.yaml", text);
}

static void parse_ok(struct fix *f, const char *text)
{
    int rc = parse(f, text);

    if (rc)
        print_error("unexpected error %d: %d:%d %s\n", rc, f->err.line, f->err.col, f->err.msg);
    assert_int_equal(rc, 0);
}

/* Parsing must fail with BH_EPARSE at line:col and a message containing `part`. */
static void parse_fails(struct fix *f, const char *text, int line, int col, const char *part)
{
    int rc = parse(f, text);

    if (rc != BH_EPARSE || f->err.line != line || f->err.col != col || !strstr(f->err.msg, part))
        print_error("got %d at %d:%d '%s'\n", rc, f->err.line, f->err.col, f->err.msg);
    assert_int_equal(rc, BH_EPARSE);
    assert_int_equal(f->err.code, BH_EPARSE);
    assert_string_equal(f->err.file, "/srv/app/compose.yaml");
    assert_int_equal(f->err.line, line);
    assert_int_equal(f->err.col, col);
    assert_non_null(strstr(f->err.msg, part));
}

static const struct bh_runspec *svc(struct fix *f, const char *name)
{
    const struct bh_runspec *rs = bh_runset_find(&f->set, name);

    assert_non_null(rs);
    return rs;
}

static void assert_loc(struct bh_loc l, int line, int col, const char *path)
{
    assert_int_equal(l.line, line);
    assert_int_equal(l.col, col);
    if (path) {
        assert_non_null(l.path);
        assert_string_equal(l.path, path);
    }
}

static void scalar_and_list_fields(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "version: '3.8'\n"
                "services:\n"
                "  web:\n"
                "    image: nginx:1.25\n"
                "    privileged: true\n"
                "    user: 0\n"
                "    cap_add:\n"
                "      - NET_ADMIN\n"
                "      - sys_admin\n"
                "    cap_drop: [ALL]\n"
                "    pid: host\n"
                "    ipc: shareable\n"
                "    uts: host\n"
                "    network_mode: \"service:db\"\n"
                "    networks: [front]\n"
                "    userns_mode: host\n"
                "    cgroup: host\n"
                "    security_opt:\n"
                "      - seccomp:unconfined\n"
                "      - apparmor=unconfined\n"
                "    read_only: false\n"
                "    device_cgroup_rules: ['c 1:3 mr']\n"
                "    group_add: [docker, 0]\n"
                "    pull_policy: always\n"
                "    healthcheck: {test: [CMD, true]}\n"
                "    profiles: [debug]\n"
                "  db:\n"
                "    image: postgres\n");
    assert_int_equal(f->set.nspecs, 2);
    assert_string_equal(f->set.file, "/srv/app/compose.yaml");
    rs = svc(f, "web");
    assert_string_equal(rs->source_kind, "compose");
    assert_string_equal(rs->owner, "service web");
    assert_loc(rs->loc, 3, 3, "services.web");
    assert_string_equal(rs->image.v, "nginx:1.25");
    assert_loc(rs->image.loc, 4, 5, "services.web.image");
    assert_string_equal(rs->image.loc.file, "/srv/app/compose.yaml");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_loc(rs->privileged.loc, 5, 5, "services.web.privileged");
    assert_string_equal(rs->user.v, "0");
    assert_loc(rs->user.loc, 6, 5, "services.web.user");
    assert_int_equal(rs->cap_add.n, 2);
    assert_string_equal(rs->cap_add.v[1].v, "sys_admin");
    assert_loc(rs->cap_add.v[1].loc, 9, 9, "services.web.cap_add[1]");
    assert_int_equal(rs->cap_drop.n, 1);
    assert_string_equal(rs->cap_drop.v[0].v, "ALL");
    assert_loc(rs->cap_drop.v[0].loc, 10, 16, "services.web.cap_drop[0]");
    assert_string_equal(rs->pid.v, "host");
    assert_loc(rs->pid.loc, 11, 5, "services.web.pid");
    assert_string_equal(rs->ipc.v, "shareable");
    assert_string_equal(rs->uts.v, "host");
    assert_string_equal(rs->network.v, "service:db");
    assert_loc(rs->network.loc, 14, 5, "services.web.network_mode");
    assert_string_equal(rs->userns.v, "host");
    assert_string_equal(rs->cgroupns.v, "host");
    assert_int_equal(rs->security_opt.n, 2);
    assert_string_equal(rs->security_opt.v[0].v, "seccomp:unconfined");
    assert_string_equal(rs->security_opt.v[1].v, "apparmor=unconfined");
    assert_loc(rs->security_opt.v[1].loc, 20, 9, "services.web.security_opt[1]");
    assert_int_equal(rs->read_only_rootfs.v, BH_FALSE);
    assert_loc(rs->read_only_rootfs.loc, 21, 5, "services.web.read_only");
    assert_int_equal(rs->device_cgroup_rules.n, 1);
    assert_string_equal(rs->device_cgroup_rules.v[0].v, "c 1:3 mr");
    assert_int_equal(rs->group_add.n, 2);
    assert_string_equal(rs->group_add.v[1].v, "0");
    assert_string_equal(rs->pull_policy.v, "always");

    rs = svc(f, "db");
    assert_int_equal(rs->privileged.v, BH_UNSET);
    assert_int_equal(rs->privileged.loc.line, 0);
    assert_null(rs->user.v);
    assert_int_equal(rs->read_only_rootfs.v, BH_UNSET);
    assert_int_equal(rs->cap_add.n, 0);
    assert_int_equal(rs->nports, 0);
    assert_int_equal(rs->nmounts, 0);
    assert_int_equal(rs->run_as_non_root.v, BH_UNSET);
    assert_int_equal(rs->host_pid.v, BH_UNSET);
}

static void quoted_booleans_and_strings(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  a:\n"
                "    privileged: \"true\"\n"
                "    read_only: 'yes'\n"
                "    user: \"1000:1000\"\n"
                "  b:\n"
                "    privileged: False\n"
                "    read_only:\n"
                "    image: ~\n");
    rs = svc(f, "a");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
    assert_string_equal(rs->user.v, "1000:1000");
    rs = svc(f, "b");
    assert_int_equal(rs->privileged.v, BH_FALSE);
    assert_int_equal(rs->read_only_rootfs.v, BH_UNSET);
    assert_null(rs->image.v);
    assert_int_equal(rs->image.loc.line, 0);
}

static void sysctls_env_and_hosts(void **state)
{
    struct fix *f = *state;
    static const char *const env[] = {"FROM_SHELL=shell", "HOME=/root", "FROM_SHELL=later"};
    const struct bh_runspec *rs;

    f->env = env;
    f->nenv = 3;
    parse_ok(f, "services:\n"
                "  m:\n"
                "    sysctls:\n"
                "      net.core.somaxconn: 1024\n"
                "      net.ipv4.ip_forward: \"1\"\n"
                "    environment:\n"
                "      DB_PASSWORD: hunter2\n"
                "      FROM_SHELL:\n"
                "      NOT_SET:\n"
                "      DEBUG: true\n"
                "    extra_hosts:\n"
                "      host.docker.internal: host-gateway\n"
                "  l:\n"
                "    sysctls:\n"
                "      - kernel.shm_rmid_forced=1\n"
                "    environment:\n"
                "      - API_KEY=abc\n"
                "      - HOME\n"
                "      - MISSING\n"
                "      - EMPTY=\n"
                "      - API_KEY=def\n"
                "    extra_hosts:\n"
                "      - \"db:10.0.0.2\"\n");
    rs = svc(f, "m");
    assert_int_equal(rs->sysctls.n, 2);
    assert_string_equal(rs->sysctls.v[0].v, "net.core.somaxconn=1024");
    assert_loc(rs->sysctls.v[0].loc, 4, 7, "services.m.sysctls.net.core.somaxconn");
    assert_string_equal(rs->sysctls.v[1].v, "net.ipv4.ip_forward=1");
    assert_int_equal(rs->env.n, 3);
    assert_string_equal(rs->env.v[0].v, "DB_PASSWORD=hunter2");
    assert_loc(rs->env.v[0].loc, 7, 7, "services.m.environment.DB_PASSWORD");
    assert_string_equal(rs->env.v[1].v, "FROM_SHELL=later");
    assert_string_equal(rs->env.v[2].v, "DEBUG=true");
    assert_int_equal(rs->extra_hosts.n, 1);
    assert_string_equal(rs->extra_hosts.v[0].v, "host.docker.internal=host-gateway");
    assert_loc(rs->extra_hosts.v[0].loc, 12, 7, NULL);

    rs = svc(f, "l");
    assert_int_equal(rs->sysctls.n, 1);
    assert_string_equal(rs->sysctls.v[0].v, "kernel.shm_rmid_forced=1");
    assert_loc(rs->sysctls.v[0].loc, 15, 9, "services.l.sysctls[0]");
    /* a later API_KEY replaces the first one, in its place */
    assert_int_equal(rs->env.n, 3);
    assert_string_equal(rs->env.v[0].v, "API_KEY=def");
    assert_loc(rs->env.v[0].loc, 21, 9, "services.l.environment[4]");
    assert_string_equal(rs->env.v[1].v, "HOME=/root");
    assert_string_equal(rs->env.v[2].v, "EMPTY=");
    assert_string_equal(rs->extra_hosts.v[0].v, "db:10.0.0.2");
}

static void ports_short_syntax(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;
    const struct bh_port *p;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    ports:\n"
                "      - \"8080:80\"\n"
                "      - 80\n"
                "      - 127.0.0.1:5432:5432/udp\n"
                "      - \"[::1]:9000:9000\"\n"
                "      - 8000-8010:80-90\n"
                "      - 22:22\n"
                "      - \"22:22\"\n"
                "      - 8080:80\n"
                "      - 3000:22\n");
    rs = svc(f, "web");
    assert_int_equal(rs->nports, 9);
    p = &rs->ports[0];
    assert_string_equal(p->raw, "8080:80");
    assert_null(p->host_ip);
    assert_int_equal(p->host_lo, 8080);
    assert_int_equal(p->cont_lo, 80);
    assert_string_equal(p->proto, "tcp");
    assert_true(p->published);
    assert_false(p->yaml_base60);
    assert_loc(p->loc, 4, 9, "services.web.ports[0]");
    p = &rs->ports[1];
    assert_string_equal(p->raw, "80");
    assert_int_equal(p->host_lo, 0);
    assert_int_equal(p->cont_lo, 80);
    assert_true(p->published);
    p = &rs->ports[2];
    assert_string_equal(p->host_ip, "127.0.0.1");
    assert_int_equal(p->host_lo, 5432);
    assert_string_equal(p->proto, "udp");
    p = &rs->ports[3];
    assert_string_equal(p->host_ip, "::1");
    assert_int_equal(p->host_lo, 9000);
    p = &rs->ports[4];
    assert_int_equal(p->host_lo, 8000);
    assert_int_equal(p->host_hi, 8010);
    assert_int_equal(p->cont_lo, 80);
    assert_int_equal(p->cont_hi, 90);
    /* unquoted 22:22 is a string to compose (YAML 1.2) but 1342 to a YAML 1.1 reader */
    p = &rs->ports[5];
    assert_string_equal(p->raw, "22:22");
    assert_int_equal(p->host_lo, 22);
    assert_int_equal(p->cont_lo, 22);
    assert_true(p->yaml_base60);
    assert_loc(p->loc, 9, 9, "services.web.ports[5]");
    assert_false(rs->ports[6].yaml_base60); /* quoted */
    assert_false(rs->ports[7].yaml_base60); /* 80 is not a base-60 digit pair */
    assert_true(rs->ports[8].yaml_base60);  /* 3000*60+22 */
}

static void ports_long_syntax(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;
    const struct bh_port *p;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    ports:\n"
                "      - target: 80\n"
                "        published: 8080\n"
                "        host_ip: 127.0.0.1\n"
                "        protocol: tcp\n"
                "        mode: host\n"
                "      - target: 53\n"
                "        published: \"5300-5310\"\n"
                "        protocol: udp\n"
                "        mode: ingress\n"
                "      - target: 443\n"
                "        host_ip: \"::1\"\n"
                "        published: 443\n"
                "      - target: 9090\n");
    rs = svc(f, "web");
    assert_int_equal(rs->nports, 4);
    p = &rs->ports[0];
    assert_string_equal(p->host_ip, "127.0.0.1");
    assert_int_equal(p->host_lo, 8080);
    assert_int_equal(p->cont_lo, 80);
    assert_false(p->ingress);
    assert_loc(p->loc, 4, 9, "services.web.ports[0]");
    p = &rs->ports[1];
    assert_int_equal(p->host_lo, 5300);
    assert_int_equal(p->host_hi, 5310);
    assert_string_equal(p->proto, "udp");
    assert_true(p->ingress);
    assert_null(p->host_ip);
    p = &rs->ports[2];
    assert_string_equal(p->host_ip, "::1");
    assert_int_equal(p->host_lo, 443);
    p = &rs->ports[3];
    assert_int_equal(p->cont_lo, 9090);
    assert_int_equal(p->host_lo, 0);
    assert_true(p->published);
    assert_false(p->yaml_base60);
}

static void volumes_short_syntax(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;
    const struct bh_mount *m;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    volumes:\n"
                "      - /var/run/docker.sock:/var/run/docker.sock\n"
                "      - data:/var/lib/data\n"
                "      - ./html:/usr/share/nginx/html:ro\n"
                "      - ../../../..:/host:rshared\n"
                "      - ~/.ssh:/root/.ssh:ro\n"
                "      - /anon\n"
                "volumes:\n"
                "  data: {}\n");
    rs = svc(f, "web");
    assert_int_equal(rs->nmounts, 6);
    m = &rs->mounts[0];
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_string_equal(m->source, "/run/docker.sock");
    assert_string_equal(m->source_raw, "/var/run/docker.sock");
    assert_string_equal(m->target, "/var/run/docker.sock");
    assert_false(m->read_only);
    assert_loc(m->loc, 4, 9, "services.web.volumes[0]");
    m = &rs->mounts[1];
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_string_equal(m->source, "data");
    m = &rs->mounts[2];
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_string_equal(m->source, "/srv/app/html");
    assert_string_equal(m->source_raw, "./html");
    assert_true(m->read_only);
    m = &rs->mounts[3];
    assert_string_equal(m->source, "/"); /* climbs out of /srv/app to the root */
    assert_string_equal(m->source_raw, "../../../..");
    assert_string_equal(m->propagation, "rshared");
    m = &rs->mounts[4];
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_null(m->source);
    assert_string_equal(m->source_raw, "~/.ssh");
    m = &rs->mounts[5];
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_null(m->source);
    assert_string_equal(m->target, "/anon");
}

static void relative_paths_follow_the_file(void **state)
{
    struct fix *f = *state;
    const char *text = "services:\n"
                       "  w:\n"
                       "    volumes:\n"
                       "      - ../../:/up\n"
                       "      - ./d:/d\n";

    assert_int_equal(parse_file(f, "/deploy/compose.yaml", text), 0);
    assert_string_equal(svc(f, "w")->mounts[0].source, "/");
    assert_string_equal(svc(f, "w")->mounts[1].source, "/deploy/d");
    assert_int_equal(parse_file(f, "/a/b/c/compose.yaml", text), 0);
    assert_string_equal(svc(f, "w")->mounts[0].source, "/a");
    /* a relative file name gives no absolute anchor: the raw text stays, source is unknown */
    assert_int_equal(parse_file(f, "deploy/compose.yaml", text), 0);
    assert_null(svc(f, "w")->mounts[0].source);
    assert_string_equal(svc(f, "w")->mounts[0].source_raw, "../../");
    assert_int_equal(svc(f, "w")->mounts[0].kind, BH_MOUNT_BIND);
    assert_int_equal(parse_file(f, "compose.yaml", text), 0);
    assert_null(svc(f, "w")->mounts[1].source);
}

static void volumes_long_syntax_and_tmpfs(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;
    const struct bh_mount *m;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    volumes:\n"
                "      - type: bind\n"
                "        source: /etc\n"
                "        target: /host/etc\n"
                "        read_only: true\n"
                "        bind:\n"
                "          propagation: rslave\n"
                "      - type: volume\n"
                "        source: cache\n"
                "        target: /cache\n"
                "      - type: tmpfs\n"
                "        target: /scratch\n"
                "      - type: npipe\n"
                "        source: \\\\.\\pipe\\docker_engine\n"
                "        target: \\\\.\\pipe\\docker_engine\n"
                "      - type: bind\n"
                "        source: ./conf\n"
                "        target: /conf\n"
                "    tmpfs:\n"
                "      - /run\n"
                "      - /tmp:size=64m,mode=1777\n"
                "  one:\n"
                "    tmpfs: /run\n");
    rs = svc(f, "web");
    assert_int_equal(rs->nmounts, 7);
    m = &rs->mounts[0];
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_string_equal(m->source, "/etc");
    assert_string_equal(m->target, "/host/etc");
    assert_true(m->read_only);
    assert_string_equal(m->propagation, "rslave");
    assert_loc(m->loc, 4, 9, "services.web.volumes[0]");
    m = &rs->mounts[1];
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_string_equal(m->source, "cache");
    assert_false(m->read_only);
    m = &rs->mounts[2];
    assert_int_equal(m->kind, BH_MOUNT_TMPFS);
    assert_string_equal(m->target, "/scratch");
    m = &rs->mounts[3];
    assert_int_equal(m->kind, BH_MOUNT_BIND);
    assert_string_equal(m->source_raw, "\\\\.\\pipe\\docker_engine");
    assert_string_equal(m->source, "//./pipe/docker_engine");
    m = &rs->mounts[4];
    assert_string_equal(m->source, "/srv/app/conf");
    m = &rs->mounts[5];
    assert_int_equal(m->kind, BH_MOUNT_TMPFS);
    assert_string_equal(m->target, "/run");
    assert_loc(m->loc, 22, 9, "services.web.tmpfs[0]");
    m = &rs->mounts[6];
    assert_string_equal(m->target, "/tmp");
    rs = svc(f, "one");
    assert_int_equal(rs->nmounts, 1);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_TMPFS);
    assert_string_equal(rs->mounts[0].target, "/run");
}

static void named_volume_bound_by_driver_opts(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    volumes:\n"
                "      - hostetc:/mnt/etc\n"
                "      - type: volume\n"
                "        source: hostetc\n"
                "        target: /other\n"
                "      - plain:/plain\n"
                "      - rel:/rel\n"
                "volumes:\n"
                "  hostetc:\n"
                "    driver: local\n"
                "    driver_opts:\n"
                "      type: none\n"
                "      o: bind\n"
                "      device: /etc/\n"
                "  plain:\n"
                "    driver_opts: {type: nfs, o: \"addr=10.0.0.1,rw\", device: \":/export\"}\n"
                "  rel:\n"
                "    driver_opts: {type: none, o: \"bind,ro\", device: ./data}\n");
    rs = svc(f, "web");
    assert_int_equal(rs->nmounts, 4);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[0].source, "/etc");
    assert_string_equal(rs->mounts[0].source_raw, "/etc/");
    assert_string_equal(rs->mounts[0].target, "/mnt/etc");
    /* the finding belongs on the service's item, not on the top-level declaration */
    assert_loc(rs->mounts[0].loc, 4, 9, "services.web.volumes[0]");
    assert_int_equal(rs->mounts[1].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[1].source, "/etc");
    assert_loc(rs->mounts[1].loc, 5, 9, NULL);
    assert_int_equal(rs->mounts[2].kind, BH_MOUNT_VOLUME);
    assert_string_equal(rs->mounts[2].source, "plain");
    assert_int_equal(rs->mounts[3].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[3].source, "/srv/app/data");
}

static void devices_both_syntaxes(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  d:\n"
                "    devices:\n"
                "      - /dev/ttyUSB0:/dev/ttyUSB0:rwm\n"
                "      - /dev/fuse\n"
                "      - /dev/sda:/dev/xvda\n"
                "      - source: /dev/kvm\n"
                "        target: /dev/kvm\n"
                "        permissions: rw\n"
                "      - nvidia.com/gpu=all\n");
    rs = svc(f, "d");
    assert_int_equal(rs->ndevices, 5);
    assert_string_equal(rs->devices[0].host_path, "/dev/ttyUSB0");
    assert_string_equal(rs->devices[0].cont_path, "/dev/ttyUSB0");
    assert_string_equal(rs->devices[0].perms, "rwm");
    assert_loc(rs->devices[0].loc, 4, 9, "services.d.devices[0]");
    assert_string_equal(rs->devices[1].host_path, "/dev/fuse");
    assert_string_equal(rs->devices[1].cont_path, "/dev/fuse");
    assert_null(rs->devices[1].perms);
    assert_string_equal(rs->devices[2].host_path, "/dev/sda");
    assert_string_equal(rs->devices[2].cont_path, "/dev/xvda");
    assert_null(rs->devices[2].perms);
    assert_string_equal(rs->devices[3].host_path, "/dev/kvm");
    assert_string_equal(rs->devices[3].perms, "rw");
    assert_loc(rs->devices[3].loc, 7, 9, "services.d.devices[3]");
    assert_string_equal(rs->devices[4].host_path, "nvidia.com/gpu=all");
}

static void limits_and_gpus(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  a:\n"
                "    deploy:\n"
                "      resources:\n"
                "        limits:\n"
                "          memory: 512M\n"
                "          cpus: '0.5'\n"
                "          pids: 100\n"
                "        reservations:\n"
                "          devices:\n"
                "            - driver: nvidia\n"
                "              count: 1\n"
                "              capabilities: [gpu]\n"
                "            - capabilities: [[gpu, utility]]\n"
                "              device_ids: ['0', '3']\n"
                "            - capabilities: [tpu]\n"
                "              driver: acme\n"
                "            - capabilities: [gpu]\n"
                "  b:\n"
                "    mem_limit: 1g\n"
                "    cpus: 1.5\n"
                "    pids_limit: 200\n"
                "    deploy: {resources: {limits: {memory: 2g}}}\n"
                "  c:\n"
                "    gpus: all\n");
    rs = svc(f, "a");
    assert_string_equal(rs->mem_limit.v, "512M");
    assert_loc(rs->mem_limit.loc, 6, 11, "services.a.deploy.resources.limits.memory");
    assert_string_equal(rs->cpu_limit.v, "0.5");
    assert_string_equal(rs->pids_limit.v, "100");
    assert_int_equal(rs->gpus.n, 3);
    assert_string_equal(rs->gpus.v[0].v, "1");
    assert_loc(rs->gpus.v[0].loc, 11, 15, "services.a.deploy.resources.reservations.devices[0]");
    assert_string_equal(rs->gpus.v[1].v, "device=0,3");
    assert_string_equal(rs->gpus.v[2].v, "all");
    rs = svc(f, "b");
    /* the service-level key wins over deploy, wherever it is written */
    assert_string_equal(rs->mem_limit.v, "1g");
    assert_loc(rs->mem_limit.loc, 20, 5, "services.b.mem_limit");
    assert_string_equal(rs->cpu_limit.v, "1.5");
    assert_string_equal(rs->pids_limit.v, "200");
    rs = svc(f, "c");
    assert_int_equal(rs->gpus.n, 1);
    assert_string_equal(rs->gpus.v[0].v, "all");
    assert_null(rs->mem_limit.v);
}

static void interpolation_forms(void **state)
{
    struct fix *f = *state;
    static const char *const env[] = {"TAG=1.2",  "EMPTY=",  "PRIV=true", "HOSTPORT=8443",
                                      "DIR=/etc", "TAG=1.3", "NOEQUALS"};
    const struct bh_runspec *rs;

    f->env = env;
    f->nenv = 7;
    parse_ok(f, "services:\n"
                "  web:\n"
                "    image: \"repo/app:${TAG}\"\n"
                "    privileged: ${PRIV}\n"
                "    read_only: ${RO:-true}\n"
                "    user: $UNSET_USER\n"
                "    environment:\n"
                "      - A=${EMPTY:-dflt}\n"
                "      - B=${EMPTY-dflt}\n"
                "      - C=${UNSET-dflt}\n"
                "      - D=${TAG:+set}\n"
                "      - E=${UNSET:+set}\n"
                "      - F=${EMPTY+set}\n"
                "      - G=$$HOME and $${TAG} and $TAG.x\n"
                "      - H=${UNSET:-${TAG}}\n"
                "      - I=${TAG:?must be set}ok\n"
                "      - J=cost $5 $\n"
                "      - K=${UNSET:-a}${UNSET2:-b}\n"
                "    ports:\n"
                "      - \"127.0.0.1:${HOSTPORT}:443\"\n"
                "    volumes:\n"
                "      - ${DIR}:/host-etc:ro\n"
                "  p:\n"
                "    privileged: ${NOPE:-false}\n");
    rs = svc(f, "web");
    assert_string_equal(rs->image.v, "repo/app:1.3");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
    assert_string_equal(rs->user.v, "");
    assert_int_equal(rs->env.n, 11);
    assert_string_equal(rs->env.v[0].v, "A=dflt");
    assert_string_equal(rs->env.v[1].v, "B=");
    assert_string_equal(rs->env.v[2].v, "C=dflt");
    assert_string_equal(rs->env.v[3].v, "D=set");
    assert_string_equal(rs->env.v[4].v, "E=");
    assert_string_equal(rs->env.v[5].v, "F=set");
    assert_string_equal(rs->env.v[6].v, "G=$HOME and ${TAG} and 1.3.x");
    assert_string_equal(rs->env.v[7].v, "H=1.3");
    assert_string_equal(rs->env.v[8].v, "I=1.3ok");
    assert_string_equal(rs->env.v[9].v, "J=cost $5 $");
    assert_string_equal(rs->env.v[10].v, "K=ab");
    assert_int_equal(rs->nports, 1);
    assert_int_equal(rs->ports[0].host_lo, 8443);
    assert_string_equal(rs->ports[0].raw, "127.0.0.1:8443:443");
    assert_string_equal(rs->mounts[0].source, "/etc");
    assert_true(rs->mounts[0].read_only);
    assert_int_equal(svc(f, "p")->privileged.v, BH_FALSE);
}

static void interpolation_errors(void **state)
{
    struct fix *f = *state;
    static const char *const env[] = {"EMPTY="};

    f->env = env;
    f->nenv = 1;
    parse_fails(f,
                "services:\n"
                "  web:\n"
                "    image: nginx\n"
                "    environment:\n"
                "      TOKEN: ${API_TOKEN:?set API_TOKEN in .env}\n",
                5, 14, "API_TOKEN");
    assert_non_null(strstr(f->err.msg, "set API_TOKEN in .env"));
    parse_fails(f, "services:\n  web:\n    image: ${EMPTY:?}\n", 3, 12, "EMPTY");
    /* `?` without the colon accepts an empty value */
    parse_ok(f, "services:\n  web:\n    image: x${EMPTY?}\n");
    assert_string_equal(svc(f, "web")->image.v, "x");
    parse_fails(f, "services:\n  web:\n    image: ${UNSET?needed}\n", 3, 12, "UNSET");
    parse_fails(f, "services:\n  web:\n    image: \"nginx:${TAG\"\n", 3, 12, "unterminated");
    parse_fails(f, "services:\n  web:\n    image: \"${TAG:-${X}\"\n", 3, 12, "unterminated");
    parse_fails(f, "services:\n  web:\n    image: \"${}\"\n", 3, 12, "invalid interpolation");
    parse_fails(f, "services:\n  web:\n    image: \"${A#b}\"\n", 3, 12, "invalid interpolation");
    /* fields the model ignores are interpolated too, like compose does */
    parse_fails(f, "services:\n  web:\n    labels:\n      - a=${NEED:?}\n", 4, 9, "NEED");
    parse_fails(f, "services:\n  web:\n    image: x\nvolumes:\n  v:\n    name: \"${V:?}\"\n", 6, 11,
                "'V'");
    /* ... but not extension fields */
    parse_ok(f, "x-doc: ${NEED:?}\nservices:\n  web:\n    image: x\n");
    /* the interpolated text is interpreted afterwards */
    parse_fails(f, "services:\n  web:\n    privileged: ${EMPTY:-maybe}\n", 3, 17, "boolean");
}

static void extends_same_file(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  base:\n"
                "    image: app:1\n"
                "    privileged: true\n"
                "    cap_add: [NET_ADMIN]\n"
                "    environment:\n"
                "      LEVEL: base\n"
                "      KEEP: yes\n"
                "    volumes:\n"
                "      - /srv:/data\n"
                "  mid:\n"
                "    extends: base\n"
                "    user: \"1000\"\n"
                "  web:\n"
                "    extends:\n"
                "      service: mid\n"
                "    privileged: false\n"
                "    cap_add: [SYS_TIME]\n"
                "    environment:\n"
                "      - LEVEL=web\n"
                "    volumes:\n"
                "      - /opt:/data:ro\n"
                "  other:\n"
                "    extends:\n"
                "      file: common.yaml\n"
                "      service: base\n"
                "    image: other\n");
    assert_int_equal(f->set.nspecs, 4);
    rs = svc(f, "web");
    assert_string_equal(rs->name, "web");
    assert_loc(rs->loc, 14, 3, "services.web");
    assert_string_equal(rs->image.v, "app:1");
    assert_loc(rs->image.loc, 3, 5, "services.base.image");
    assert_int_equal(rs->privileged.v, BH_FALSE);
    assert_loc(rs->privileged.loc, 17, 5, "services.web.privileged");
    assert_string_equal(rs->user.v, "1000");
    assert_int_equal(rs->cap_add.n, 2);
    assert_string_equal(rs->cap_add.v[0].v, "NET_ADMIN");
    assert_string_equal(rs->cap_add.v[1].v, "SYS_TIME");
    assert_int_equal(rs->env.n, 2);
    assert_string_equal(rs->env.v[0].v, "LEVEL=web");
    assert_string_equal(rs->env.v[1].v, "KEEP=yes");
    assert_int_equal(rs->nmounts, 1);
    assert_string_equal(rs->mounts[0].source, "/opt");
    assert_true(rs->mounts[0].read_only);
    rs = svc(f, "other");
    assert_string_equal(rs->image.v, "other");
    assert_int_equal(rs->privileged.v, BH_UNSET);
    rs = svc(f, "base");
    assert_null(rs->user.v);
    assert_int_equal(rs->cap_add.n, 1);

    parse_fails(f, "services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n", 5, 24,
                "circular");
    parse_fails(f, "services:\n  a:\n    extends: nope\n", 3, 14, "nope");
    parse_fails(f, "services:\n  a:\n    extends: a\n", 3, 14, "circular");
}

static void extends_chain_is_a_limit(void **state)
{
    struct fix *f = *state;
    char text[8192];
    size_t off = 0;
    int i;

    off += (size_t)snprintf(text + off, sizeof(text) - off, "services:\n  s0:\n    image: a\n");
    for (i = 1; i <= 40; i++)
        off += (size_t)snprintf(text + off, sizeof(text) - off, "  s%d:\n    extends: s%d\n", i,
                                i - 1);
    assert_true(off < sizeof(text));
    assert_int_equal(parse(f, text), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_COMPOSE_EXTENDS"));
    /* a chain within the limit works and carries the base's image to the end */
    text[0] = '\0';
    off = 0;
    off += (size_t)snprintf(text + off, sizeof(text) - off, "services:\n  s0:\n    image: a\n");
    for (i = 1; i <= 20; i++)
        off += (size_t)snprintf(text + off, sizeof(text) - off, "  s%d:\n    extends: s%d\n", i,
                                i - 1);
    parse_ok(f, text);
    assert_string_equal(svc(f, "s20")->image.v, "a");
}

static void reset_and_override_tags(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "services:\n"
                "  base:\n"
                "    image: app\n"
                "    privileged: true\n"
                "    cap_add: [NET_ADMIN]\n"
                "    ports: ['80']\n"
                "    volumes: ['/a:/a']\n"
                "    tmpfs: /run\n"
                "  web:\n"
                "    extends: base\n"
                "    privileged: !reset null\n"
                "    cap_add: !override [SYS_TIME]\n"
                "    ports: !reset []\n"
                "    volumes: !override ['/b:/b']\n");
    rs = svc(f, "web");
    assert_int_equal(rs->privileged.v, BH_UNSET);
    assert_int_equal(rs->cap_add.n, 1);
    assert_string_equal(rs->cap_add.v[0].v, "SYS_TIME");
    assert_int_equal(rs->nports, 0);
    assert_int_equal(rs->nmounts, 2);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_TMPFS);
    assert_string_equal(rs->mounts[1].source, "/b");
}

static void anchors_in_extension_fields(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "x-common: &common\n"
                "  restart: unless-stopped\n"
                "  privileged: true\n"
                "  cap_drop: [ALL]\n"
                "  environment: &env\n"
                "    TZ: UTC\n"
                "x-logging: &logging {driver: json-file}\n"
                "services:\n"
                "  a:\n"
                "    <<: *common\n"
                "    image: a:1\n"
                "    logging: *logging\n"
                "  b:\n"
                "    <<: *common\n"
                "    privileged: false\n"
                "    environment:\n"
                "      <<: *env\n"
                "      MODE: b\n");
    rs = svc(f, "a");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_int_equal(rs->cap_drop.n, 1);
    assert_string_equal(rs->cap_drop.v[0].v, "ALL");
    assert_int_equal(rs->env.n, 1);
    assert_string_equal(rs->env.v[0].v, "TZ=UTC");
    rs = svc(f, "b");
    assert_int_equal(rs->privileged.v, BH_FALSE);
    assert_loc(rs->privileged.loc, 15, 5, "services.b.privileged");
    assert_int_equal(rs->env.n, 2);
    assert_int_equal(f->set.nspecs, 2);
}

static void malformed_inputs(void **state)
{
    struct fix *f = *state;

    parse_fails(f, "services:\n  web:\n    image: [unclosed\n", 4, 1, "");
    parse_fails(f, "- a\n- b\n", 1, 1, "mapping");
    parse_fails(f, "", 1, 1, "mapping");
    parse_fails(f, "services:\n  - web\n", 2, 3, "'services' must be a mapping");
    parse_fails(f, "services:\n  web: nginx\n", 2, 8, "service 'web' must be a mapping");
    parse_fails(f, "services:\n  web:\n", 2, 6, "service 'web'");
    parse_fails(f, "services:\n  web:\n    privileged: [x]\n", 3, 17, "'privileged'");
    parse_fails(f, "services:\n  web:\n    privileged: maybe\n", 3, 17, "boolean");
    parse_fails(f, "services:\n  web:\n    ports: 5\n", 3, 12, "'ports' must be a list");
    parse_fails(f, "services:\n  web:\n    image: {a: b}\n", 3, 12, "'image' must be a string");
    parse_fails(f, "services:\n  web:\n    cap_add: SYS_ADMIN\n", 3, 14, "'cap_add'");
    parse_fails(f, "services:\n  web:\n    ports:\n      - \"80\"\n      - \"http:80\"\n", 5, 9,
                "invalid port 'http:80'");
    parse_fails(f, "services:\n  web:\n    ports:\n      - 80/xyz\n", 4, 9, "invalid port");
    parse_fails(f, "services:\n  web:\n    ports:\n      - [80]\n", 4, 9, "port");
    parse_fails(f, "services:\n  web:\n    ports:\n      - published: 80\n", 4, 9, "target");
    parse_fails(f, "services:\n  web:\n    volumes:\n      - /a:/b:bogus\n", 4, 9,
                "invalid volume '/a:/b:bogus'");
    parse_fails(f, "services:\n  web:\n    volumes:\n      - a:relative\n", 4, 9, "invalid volume");
    parse_fails(f, "services:\n  web:\n    volumes:\n      - type: bind\n        source: /x\n", 4,
                9, "target");
    parse_fails(f, "services:\n  web:\n    environment: 7\n", 3, 18, "'environment'");
    parse_fails(f, "services:\n  web:\n    devices:\n      - ''\n", 4, 9, "invalid device");
    parse_fails(f, "services:\n  a: {}\n  a: {}\n", 3, 3, "");
}

static void empty_and_null_services(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "version: \"3\"\nservices: {}\n");
    assert_int_equal(f->set.nspecs, 0);
    parse_ok(f, "services:\nvolumes:\n  data:\n");
    assert_int_equal(f->set.nspecs, 0);
    parse_ok(f, "name: demo\nnetworks: {front: {}}\n");
    assert_int_equal(f->set.nspecs, 0);
}

static void inline_ignores(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "services:\n"
                "  web:\n"
                "    # bulkhead:ignore=RUN-PRIV lab only\n"
                "    privileged: true\n"
                "    pid: host # bulkhead:ignore=RUN-HOSTNS,RUN-PRIV\n");
    assert_int_equal(f->set.nignores, 2);
    assert_int_equal(f->set.ignores[0].line, 3);
    assert_int_equal(f->set.ignores[0].applies_line, 4);
    assert_string_equal(f->set.ignores[0].ids[0], "RUN-PRIV");
    assert_int_equal(f->set.ignores[1].applies_line, 5);
    assert_int_equal(f->set.ignores[1].nids, 2);
}

static void bids(void **state)
{
    const char *svc_text = "version: '3'\nservices:\n  web:\n    image: x\n";
    const char *kube = "apiVersion: v1\nkind: Pod\nservices:\n";

    (void)state;
    assert_int_equal(bh_compose_bid("compose.yaml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("compose.yml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("docker-compose.yml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("deploy/docker-compose.yaml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("compose.override.yaml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("docker-compose.prod.yml", NULL, 0), 100);
    assert_int_equal(bh_compose_bid("compose..yaml", NULL, 0), 0);
    assert_int_equal(bh_compose_bid("compose.yaml.bak", NULL, 0), 0);
    assert_int_equal(bh_compose_bid("compose.json", NULL, 0), 0);
    assert_int_equal(bh_compose_bid("mycompose.yaml", NULL, 0), 0);
    assert_int_equal(bh_compose_bid("app.yaml", NULL, 0), 0);
    assert_int_equal(bh_compose_bid("compose.yaml", svc_text, strlen(svc_text)), 100);
    assert_int_equal(bh_compose_bid("stack.yaml", svc_text, strlen(svc_text)), 70);
    assert_int_equal(bh_compose_bid("stack.yaml", "services: {}\n", 13), 70);
    assert_int_equal(bh_compose_bid("stack.yaml", "services:\r\n  a: {}\r\n", 20), 70);
    assert_int_equal(bh_compose_bid("stack.yaml", kube, strlen(kube)), 0);
    assert_int_equal(bh_compose_bid("stack.yaml", "  services:\n", 12), 0);
    assert_int_equal(bh_compose_bid("stack.yaml", "web:\n  image: x\n", 16), 0);
    assert_int_equal(bh_compose_bid("stack.yaml", "services_x: 1\n", 14), 0);
    /* a head cut in the middle of the key is not a match */
    assert_int_equal(bh_compose_bid("stack.yaml", "services:", 8), 0);
}

static void allocation_failure_is_clean(void **state)
{
    const char *text = "x-c: &c {privileged: true}\n"
                       "services:\n"
                       "  web:\n"
                       "    <<: *c\n"
                       "    image: \"app:${TAG:-1}\"\n"
                       "    ports: [\"127.0.0.1:80:80\", {target: 443, published: 443}]\n"
                       "    volumes: [./a:/a, data:/d, {type: bind, source: /etc, target: /e}]\n"
                       "    environment: {A: b}\n"
                       "    cap_add: [X]\n"
                       "volumes:\n"
                       "  data: {driver_opts: {o: bind, device: /srv}}\n";
    size_t max;
    int failures = 0, successes = 0;

    (void)state;
    for (max = 64; max < 400000; max = max * 5 / 4) {
        struct bh_arena a;
        struct bh_err err;
        struct bh_runset set;
        int rc;

        bh_arena_init(&a, max);
        bh_err_init(&err);
        rc = bh_compose_parse(&a, "/x/compose.yaml", text, strlen(text), NULL, &set, &err);
        if (rc) {
            assert_int_equal(rc, BH_ENOMEM);
            assert_int_equal(err.code, BH_ENOMEM);
            failures++;
        } else {
            assert_int_equal(set.nspecs, 1);
            assert_int_equal(set.specs[0].nmounts, 3);
            assert_string_equal(set.specs[0].mounts[1].source, "/srv");
            successes++;
        }
        bh_arena_release(&a);
    }
    assert_true(failures > 0);
    assert_true(successes > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scalar_and_list_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(quoted_booleans_and_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(sysctls_env_and_hosts, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_short_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_long_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(volumes_short_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(relative_paths_follow_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(volumes_long_syntax_and_tmpfs, setup, teardown),
        cmocka_unit_test_setup_teardown(named_volume_bound_by_driver_opts, setup, teardown),
        cmocka_unit_test_setup_teardown(devices_both_syntaxes, setup, teardown),
        cmocka_unit_test_setup_teardown(limits_and_gpus, setup, teardown),
        cmocka_unit_test_setup_teardown(interpolation_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(interpolation_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(extends_same_file, setup, teardown),
        cmocka_unit_test_setup_teardown(extends_chain_is_a_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_and_override_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(anchors_in_extension_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_and_null_services, setup, teardown),
        cmocka_unit_test_setup_teardown(inline_ignores, setup, teardown),
        cmocka_unit_test(bids),
        cmocka_unit_test(allocation_failure_is_clean),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
