/*
 * test_host.c - the host reader: unit file syntax (continuations, quoting, drop-in reset),
 * dockerd flag forms, /proc/net/tcp{,6} rows, POSIX ACL blobs, daemon.json errors, and a
 * host tree built at run time (sockets, modes and symlinks cannot live in git) read end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "input/host.h"
#include "input/host/hostint.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

/* ---- helpers ---- */

static const struct bh_hostsetting *find(const struct bh_host *h, const char *key, size_t nth)
{
    size_t i;

    for (i = 0; i < h->nsettings; i++)
        if (!strcmp(h->settings[i].key, key) && nth-- == 0)
            return &h->settings[i];
    return NULL;
}

static size_t count(const struct bh_host *h, const char *key)
{
    size_t i, n = 0;

    for (i = 0; i < h->nsettings; i++)
        n += !strcmp(h->settings[i].key, key);
    return n;
}

static const struct bh_hostfile *file_role(const struct bh_host *h, const char *role)
{
    size_t i;

    for (i = 0; i < h->nfiles; i++)
        if (!strcmp(h->files[i].role, role))
            return &h->files[i];
    return NULL;
}

static void mkparents(const char *path)
{
    char buf[4096];
    size_t i;

    snprintf(buf, sizeof(buf), "%s", path);
    for (i = 1; buf[i]; i++) {
        if (buf[i] == '/') {
            buf[i] = '\0';
            (void)mkdir(buf, 0755);
            buf[i] = '/';
        }
    }
}

static void put(const char *root, const char *rel, const char *text)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    mkparents(path);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void link_at(const char *root, const char *rel, const char *target)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    mkparents(path);
    assert_int_equal(symlink(target, path), 0);
}

static int mksock(const char *root, const char *rel)
{
    struct sockaddr_un sa;
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    mkparents(path);
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    close(fd);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rmtree(const char *dir)
{
    assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* ---- unit files ---- */

static void unit_continuation_comments_quoting(void **state)
{
    static const char unit[] = "[Unit]\n"
                               "Description=Docker\n"
                               "# comment\n"
                               "; another\n"
                               "[Service]\n"
                               "ExecStart=/usr/bin/dockerd -H fd:// \\\n"
                               "# dropped comment inside the continuation\n"
                               "    --containerd=/run/containerd/containerd.sock \\\n"
                               "    --label \"a b\" --log-opt 'tag=x y' --dns=\\x31.1.1.1 \\\n"
                               "    --data-root=/var/lib/100%%\n"
                               "Restart=always\n";
    struct bh_arena a;
    struct bh_unitent *ents = NULL;
    const struct bh_unitent *eff[8];
    char **argv;
    size_t n = 0, k, argc;
    int bad;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    assert_int_equal(bh_hostunit_parse(&a, "/lib/systemd/system/docker.service", unit, strlen(unit),
                                       &ents, &n, &bad),
                     0);
    assert_int_equal(bad, 0);
    assert_int_equal(n, 3);
    k = bh_hostunit_effective(ents, n, "Service", "ExecStart", eff, 8);
    assert_int_equal(k, 1);
    assert_int_equal(eff[0]->line, 6);
    assert_int_equal(bh_hostunit_split(&a, eff[0]->value, &argv, &argc), 0);
    assert_int_equal(argc, 10);
    assert_string_equal(argv[0], "/usr/bin/dockerd");
    assert_string_equal(argv[3], "--containerd=/run/containerd/containerd.sock");
    assert_string_equal(argv[5], "a b");
    assert_string_equal(argv[7], "tag=x y");
    assert_string_equal(argv[8], "--dns=1.1.1.1");
    assert_string_equal(argv[9], "--data-root=/var/lib/100%");
    assert_string_equal(ents[2].key, "Restart");
    assert_int_equal(ents[2].line, 11);
    bh_arena_release(&a);
}

static void unit_split_errors_and_prefixes(void **state)
{
    struct bh_arena a;
    char **argv;
    size_t argc;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    assert_int_equal(bh_hostunit_split(&a, "/usr/bin/dockerd --label \"open", &argv, &argc),
                     BH_EPARSE);
    assert_int_equal(bh_hostunit_split(&a, "/usr/bin/dockerd \\q", &argv, &argc), BH_EPARSE);
    assert_int_equal(bh_hostunit_split(&a, "-@/usr/bin/dockerd dockerd-x -D", &argv, &argc), 0);
    assert_int_equal(argc, 2);
    assert_string_equal(argv[0], "/usr/bin/dockerd");
    assert_string_equal(argv[1], "-D");
    bh_arena_release(&a);
}

static void unit_dropin_reset(void **state)
{
    static const char unit[] = "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n";
    static const char drop1[] = "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H "
                                "tcp://0.0.0.0:2375\n";
    static const char drop2[] = "[Service]\nEnvironment=X=1\nnot a directive\n";
    struct bh_arena a;
    struct bh_unitent *ents = NULL;
    const struct bh_unitent *eff[8];
    size_t n = 0, k;
    int bad;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    assert_int_equal(bh_hostunit_parse(&a, "main", unit, strlen(unit), &ents, &n, &bad), 0);
    k = bh_hostunit_effective(ents, n, "Service", "ExecStart", eff, 8);
    assert_int_equal(k, 1);
    assert_string_equal(eff[0]->value, "/usr/bin/dockerd -H fd://");
    assert_int_equal(bh_hostunit_parse(&a, "d1", drop1, strlen(drop1), &ents, &n, &bad), 0);
    assert_int_equal(bh_hostunit_parse(&a, "d2", drop2, strlen(drop2), &ents, &n, &bad), 0);
    assert_int_equal(bad, 3);
    k = bh_hostunit_effective(ents, n, "Service", "ExecStart", eff, 8);
    assert_int_equal(k, 1);
    assert_string_equal(eff[0]->file, "d1");
    assert_int_equal(eff[0]->line, 3);
    assert_string_equal(eff[0]->value, "/usr/bin/dockerd -H tcp://0.0.0.0:2375");
    bh_arena_release(&a);
}

/* ---- dockerd flags ---- */

static void dockerd_args_forms(void **state)
{
    static const char *const argv[] = {
        "/usr/bin/dockerd",
        "-H",
        "unix:///var/run/docker.sock",
        "-Htcp://0.0.0.0:2375",
        "--host=tcp://[::]:2376",
        "--tlsverify=false",
        "--tls",
        "--icc=false",
        "--insecure-registry",
        "reg.local:5000",
        "--insecure-registry=10.0.0.0/8",
        "--authorization-plugin=authz-broker",
        "-D",
        "--log-level",
        "debug",
        "--userns-remap",
        "default",
        "--selinux-enabled=0",
        "--future-flag=x",
        "--live-restore",
        "somepos",
        "--",
        "--icc=true",
    };
    struct bh_arena a;
    struct bh_host h;
    struct bh_loc where = {0};
    const struct bh_hostsetting *s;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    memset(&h, 0, sizeof(h));
    where.file = "/proc/42/cmdline";
    assert_int_equal(
        bh_host_dockerd_args(&a, argv, sizeof(argv) / sizeof(argv[0]), BH_HS_ARGV, &where, &h), 0);
    assert_int_equal(count(&h, "hosts"), 3);
    s = find(&h, "hosts", 0);
    assert_string_equal(s->value, "unix:///var/run/docker.sock");
    assert_string_equal(s->loc.path, "-H");
    assert_string_equal(s->loc.file, "/proc/42/cmdline");
    assert_int_equal(s->origin, BH_HS_ARGV);
    assert_string_equal(find(&h, "hosts", 1)->value, "tcp://0.0.0.0:2375");
    assert_string_equal(find(&h, "hosts", 2)->value, "tcp://[::]:2376");
    assert_string_equal(find(&h, "hosts", 2)->loc.path, "--host");
    assert_string_equal(find(&h, "tlsverify", 0)->value, "false");
    assert_string_equal(find(&h, "tls", 0)->value, "true");
    assert_string_equal(find(&h, "icc", 0)->value, "false");
    assert_int_equal(count(&h, "icc"), 1); /* nothing after "--" */
    assert_int_equal(count(&h, "insecure-registries"), 2);
    assert_string_equal(find(&h, "insecure-registries", 0)->value, "reg.local:5000");
    assert_string_equal(find(&h, "insecure-registries", 1)->value, "10.0.0.0/8");
    assert_string_equal(find(&h, "authorization-plugins", 0)->value, "authz-broker");
    assert_string_equal(find(&h, "debug", 0)->value, "true");
    assert_string_equal(find(&h, "log-level", 0)->value, "debug");
    assert_string_equal(find(&h, "userns-remap", 0)->value, "default");
    assert_string_equal(find(&h, "selinux-enabled", 0)->value, "false");
    assert_string_equal(find(&h, "future-flag", 0)->value, "x");
    assert_string_equal(find(&h, "live-restore", 0)->value, "true");
    assert_null(find(&h, "somepos", 0));
    bh_arena_release(&a);
}

static void dockerd_args_unit_loc(void **state)
{
    static const char *const argv[] = {"dockerd", "--tlscacert", "/etc/docker/ca.pem"};
    struct bh_arena a;
    struct bh_host h;
    struct bh_loc where = {0};

    (void)state;
    bh_arena_init(&a, 1u << 24);
    memset(&h, 0, sizeof(h));
    where.file = "/etc/systemd/system/docker.service";
    where.line = 7;
    where.path = "ExecStart";
    assert_int_equal(bh_host_dockerd_args(&a, argv, 3, BH_HS_UNIT, &where, &h), 0);
    assert_int_equal(h.nsettings, 1);
    assert_string_equal(h.settings[0].value, "/etc/docker/ca.pem");
    assert_string_equal(h.settings[0].loc.path, "ExecStart");
    assert_int_equal(h.settings[0].loc.line, 7);
    bh_arena_release(&a);
}

/* ---- /proc/net ---- */

static void procnet_rows(void **state)
{
    static const char tcp[] =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0  "
        "      0 21843 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0  "
        "      0 12345 1 0000000000000000 100 0 0 10 0\n"
        "   2: 0F02000A:0016 0202000A:C35A 01 00000000:00000000 02:0009E2B3 00000000     0  "
        "      0 23456 4 0000000000000000 20 4 29 10 -1\n"
        "   3: garbage\n";
    static const char tcp6[] =
        "  sl  local_address                         remote_address                        st "
        "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 00000000000000000000000000000000:0948 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0\n"
        "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0\n"
        "   2: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 5 1 0 100 0 0 10 0\n";
    struct bh_arena a;
    struct bh_host h;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    memset(&h, 0, sizeof(h));
    assert_int_equal(bh_hostnet_parse(&a, "/proc/net/tcp", tcp, strlen(tcp), false, &h), 0);
    assert_int_equal(h.nlisteners, 2);
    assert_string_equal(h.listeners[0].addr, "0.0.0.0");
    assert_int_equal(h.listeners[0].port, 2375);
    assert_int_equal(h.listeners[0].loc.line, 2);
    assert_string_equal(h.listeners[1].addr, "127.0.0.1");
    assert_int_equal(h.listeners[1].port, 3306);
    assert_false(h.listeners[1].v6);
    assert_int_equal(bh_hostnet_parse(&a, "/proc/net/tcp6", tcp6, strlen(tcp6), true, &h), 0);
    assert_int_equal(h.nlisteners, 5);
    assert_string_equal(h.listeners[2].addr, "::");
    assert_int_equal(h.listeners[2].port, 2376);
    assert_true(h.listeners[2].v6);
    assert_string_equal(h.listeners[3].addr, "::1");
    assert_int_equal(h.listeners[3].port, 8080);
    assert_string_equal(h.listeners[4].addr, "::ffff:127.0.0.1");
    assert_string_equal(h.listeners[4].loc.file, "/proc/net/tcp6");
    bh_arena_release(&a);
}

/* ---- ACL ---- */

static void acl_blob(void **state)
{
    /* version 2; user_obj rw-, user 1000 rw-, group_obj r--, group 999 rw-, mask rw-, other --- */
    static const unsigned char blob[] = {
        2,    0, 0, 0,                         /* header */
        0x01, 0, 6, 0, 0xff, 0xff, 0xff, 0xff, /* USER_OBJ */
        0x02, 0, 6, 0, 0xe8, 0x03, 0,    0,    /* USER 1000 */
        0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff, /* GROUP_OBJ */
        0x08, 0, 7, 0, 0xe7, 0x03, 0,    0,    /* GROUP 999 */
        0x10, 0, 6, 0, 0xff, 0xff, 0xff, 0xff, /* MASK */
        0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, /* OTHER */
    };
    static const unsigned char plain[] = {2,    0,    0,    0, 0x01, 0,    6,    0,    0xff, 0xff,
                                          0xff, 0xff, 0x04, 0, 4,    0,    0xff, 0xff, 0xff, 0xff,
                                          0x20, 0,    0,    0, 0xff, 0xff, 0xff, 0xff};
    struct bh_arena a;
    struct bh_hostctx c;
    struct bh_hostid users[1] = {{1000, 1000, "alice", NULL, 1}};
    const char *text;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    memset(&c, 0, sizeof(c));
    c.users = users;
    c.nusers = 1;
    assert_int_equal(bh_hostacl_parse(&a, &c, blob, sizeof(blob), &text), 1);
    assert_string_equal(text, "user:alice:rw-,group:999:rwx");
    assert_int_equal(bh_hostacl_parse(&a, NULL, plain, sizeof(plain), &text), 0);
    assert_null(text);
    assert_int_equal(bh_hostacl_parse(&a, NULL, blob, sizeof(blob) - 3, &text), BH_EPARSE);
    {
        unsigned char bad[sizeof(plain)];

        memcpy(bad, plain, sizeof(plain));
        bad[0] = 1; /* version */
        assert_int_equal(bh_hostacl_parse(&a, NULL, bad, sizeof(bad), &text), BH_EPARSE);
    }
    bh_arena_release(&a);
}

/* ---- env files and registries ---- */

static void envfile_quoting(void **state)
{
    static const char text[] = "# comment\n"
                               "export DOCKER_OPTS=\"--dns 8.8.8.8 \\\n"
                               "  -H tcp://0.0.0.0:2375\"\n"
                               "OTHER='a \"b\"' rest\n"
                               "if [ -f x ]; then :; fi\n"
                               "X=un\\ quoted\n";
    struct bh_arena a;
    struct bh_envvar *v = NULL;
    size_t n = 0, argc;
    char **argv;
    int bad;

    (void)state;
    bh_arena_init(&a, 1u << 24);
    assert_int_equal(bh_hostenv_parse(&a, text, strlen(text), &v, &n, &bad), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].name, "DOCKER_OPTS");
    assert_int_equal(v[0].line, 2);
    assert_string_equal(v[0].value, "--dns 8.8.8.8   -H tcp://0.0.0.0:2375");
    assert_string_equal(v[1].value, "a \"b\"");
    assert_int_equal(v[1].line, 4);
    assert_string_equal(v[2].value, "un quoted");
    assert_int_equal(bh_hostenv_split(&a, v[0].value, &argv, &argc), 0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[3], "tcp://0.0.0.0:2375");
    n = 0;
    assert_int_equal(bh_hostenv_parse(&a, "A=\"open\n", 8, &v, &n, &bad), 0);
    assert_int_equal(bad, 1);
    bh_arena_release(&a);
}

/* ---- whole trees ---- */

static char *mkroot(void)
{
    char tmpl[] = "/tmp/bh-host-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return strdup(d);
}

static void tree_end_to_end(void **state)
{
    struct bh_arena a;
    struct bh_host h;
    struct bh_host_error *errs;
    struct bh_err err;
    size_t nerrs, i;
    char *root = mkroot(), path[4096];
    const struct bh_hostsetting *s;
    const struct bh_hostfile *f;
    bool have_sock;

    (void)state;
    put(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian 12\"\n");
    put(root, "etc/passwd",
        "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n"
        "bob:x:1001:999::/home/bob:/bin/sh\n");
    put(root, "etc/group", "root:x:0:\nalice:x:1000:\ndocker:x:999:alice,carol\n");
    put(root, "etc/sudoers",
        "root ALL=(ALL) ALL\n"
        "Cmnd_Alias DOCKER = /usr/bin/docker, /usr/bin/dockerd\n"
        "dave ALL=(root) NOPASSWD: DOCKER\n"
        "%ops ALL=(root) /usr/bin/docker ps\n");
    put(root, "etc/sudoers.d/eve", "eve ALL=(ALL) NOPASSWD: /usr/bin/docker\n");
    put(root, "etc/sudoers.d/skip.bak", "mallory ALL=(ALL) /usr/bin/docker\n");
    put(root, "etc/subuid", "alice:100000:65536\n");
    put(root, "etc/docker/daemon.json",
        "{\n  \"icc\": false,\n  \"hosts\": [\n"
        "    \"unix:///var/run/docker.sock\",\n"
        "    \"tcp://0.0.0.0:2375\"\n  ],\n"
        "  \"tlscacert\": \"/etc/docker/ca.pem\",\n"
        "  \"log-opts\": {\"max-size\": \"10m\"}\n}\n");
    put(root, "etc/docker/ca.pem", "CA\n");
    put(root, "etc/docker/certs.d/reg.local:5000/ca.crt", "x\n");
    put(root, "lib/systemd/system/docker.service",
        "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/c.sock\n");
    put(root, "etc/systemd/system/docker.service.d/10-tcp.conf",
        "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd \\\n  --tlsverify=false\n");
    put(root, "lib/systemd/system/docker.service.d/10-tcp.conf",
        "[Service]\nExecStart=/usr/bin/dockerd --hidden-by-etc\n");
    put(root, "lib/systemd/system/docker.socket",
        "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketGroup=docker\n");
    put(root, "lib/systemd/system/docker.socket.d/x.conf", "[Socket]\nListenStream=2375\n");
    put(root, "etc/default/docker", "DOCKER_OPTS=\"--insecure-registry old.local\"\n");
    put(root, "etc/environment", "PATH=/usr/bin\nDOCKER_CONTENT_TRUST=0\n");
    put(root, "etc/profile.d/dct.sh", "export DOCKER_CONTENT_TRUST=1\n");
    put(root, "etc/containers/registries.conf",
        "unqualified-search-registries = [\"docker.io\"]\n[[registry]]\ninsecure = true\n"
        "location = \"v2.local\"\n[[registry]]\nlocation = \"safe.local\"\n"
        "[registries.insecure]\nregistries = [\n  \"v1a.local\",\n  \"v1b.local\"\n]\n");
    put(root, "etc/containers/policy.json",
        "{\n  \"default\": [{\"type\": \"insecureAcceptAnything\"}]\n}\n");
    put(root, "etc/audit/rules.d/docker.rules",
        "-w /usr/bin/dockerd -k docker\n# -w /ignored\n"
        "-a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n");
    put(root, "var/lib/dpkg/status",
        "Package: docker.io\nStatus: install ok installed\nVersion: 20.10.24+dfsg1-1+b3\n"
        "Architecture: amd64\n\nPackage: runc\nStatus: install ok installed\n"
        "Version: 1.1.5+ds1-1+deb12u1\nArchitecture: amd64\n\n"
        "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n");
    put(root, "proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    put(root, "proc/sys/user/max_user_namespaces", "63432\n");
    put(root, "proc/1/status", "Name:\tsystemd\nSeccomp:\t0\n");
    put(root, "proc/net/tcp",
        "  sl  local_address rem_address   st\n"
        "   0: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n");
    put(root, "sys/module/apparmor/parameters/enabled", "Y\n");
    put(root, "sys/kernel/security/apparmor/profiles",
        "lsb_release (enforce)\n"
        "docker-default (enforce)\n");
    put(root, "run/.keep", "");
    link_at(root, "var/run", "../run");
    have_sock = mksock(root, "run/docker.sock") == 0;
    snprintf(path, sizeof(path), "%s/run/docker.sock", root);
    if (have_sock)
        assert_int_equal(chmod(path, 0666), 0);

    bh_arena_init(&a, 1u << 26);
    bh_err_init(&err);
    assert_int_equal(bh_host_read(&a, root, &h, &errs, &nerrs, &err), 0);
    for (i = 0; i < nerrs; i++)
        print_message("host error: %s:%d: %s\n", errs[i].file, errs[i].line, errs[i].message);
    assert_int_equal(nerrs, 0);
    assert_true(h.engine_found);
    assert_false(h.rootless);
    assert_string_equal(h.os.id, "debian");

    /* daemon.json with lines */
    s = find(&h, "icc", 0);
    assert_non_null(s);
    assert_string_equal(s->value, "false");
    assert_int_equal(s->origin, BH_HS_DAEMON_JSON);
    assert_int_equal(s->loc.line, 2);
    assert_string_equal(s->loc.file, "/etc/docker/daemon.json");
    s = find(&h, "hosts", 1);
    assert_string_equal(s->value, "tcp://0.0.0.0:2375");
    assert_string_equal(s->loc.path, "hosts[1]");
    assert_int_equal(s->loc.line, 5);
    assert_string_equal(find(&h, "log-opts", 0)->value, "max-size=10m");

    /* unit: the etc drop-in hides the lib one of the same name and resets ExecStart */
    s = find(&h, "tlsverify", 0);
    assert_non_null(s);
    assert_string_equal(s->value, "false");
    assert_int_equal(s->origin, BH_HS_UNIT);
    assert_string_equal(s->loc.file, "/etc/systemd/system/docker.service.d/10-tcp.conf");
    assert_int_equal(s->loc.line, 3);
    assert_string_equal(s->loc.path, "ExecStart");
    assert_null(find(&h, "containerd", 0));
    assert_null(find(&h, "hidden-by-etc", 0));
    /* socket: ListenStream from unit + drop-in */
    assert_string_equal(find(&h, "hosts", 2)->value, "unix:///run/docker.sock");
    assert_string_equal(find(&h, "hosts", 3)->value, "tcp://0.0.0.0:2375");
    assert_string_equal(find(&h, "hosts", 3)->loc.path, "ListenStream");
    assert_string_equal(find(&h, "SocketMode", 0)->value, "0660");
    assert_string_equal(find(&h, "SocketGroup", 0)->value, "docker");
    /* env file */
    s = find(&h, "insecure-registries", 0);
    assert_non_null(s);
    assert_string_equal(s->value, "old.local");
    assert_int_equal(s->origin, BH_HS_ENVFILE);
    assert_string_equal(s->loc.file, "/etc/default/docker");
    /* content trust: profile.d wins over /etc/environment */
    assert_string_equal(h.content_trust, "1");
    assert_string_equal(h.content_trust_loc.file, "/etc/profile.d/dct.sh");
    /* podman */
    assert_int_equal(count(&h, "podman.registries.insecure"), 3);
    assert_string_equal(find(&h, "podman.registries.insecure", 0)->value, "v2.local");
    assert_int_equal(find(&h, "podman.registries.insecure", 0)->loc.line, 3);
    assert_string_equal(find(&h, "podman.registries.insecure", 2)->value, "v1b.local");
    assert_string_equal(find(&h, "podman.policy.default", 0)->value, "insecureAcceptAnything");
    assert_int_equal(find(&h, "podman.policy.default", 0)->loc.line, 2);

    /* members: group list, primary group, sudoers (alias and direct), not the .bak file */
    assert_int_equal(h.nmembers, 6);
    assert_string_equal(h.members[0].name, "alice");
    assert_string_equal(h.members[0].via, "group docker");
    assert_int_equal(h.members[0].loc.line, 3);
    assert_string_equal(h.members[2].name, "bob");
    assert_string_equal(h.members[2].via, "primary group");
    assert_string_equal(h.members[3].name, "dave");
    assert_string_equal(h.members[3].via, "sudoers");
    assert_string_equal(h.members[4].name, "%ops");
    assert_string_equal(h.members[5].name, "eve");
    assert_true(h.subids);

    /* listeners, audit, components, lsm */
    assert_int_equal(h.nlisteners, 1);
    assert_int_equal(h.listeners[0].port, 2375);
    assert_true(h.audit_rules_found);
    assert_int_equal(h.naudit, 2);
    assert_string_equal(h.audit_watches[0], "/usr/bin/dockerd");
    assert_string_equal(h.audit_watches[1], "/usr/bin/runc");
    assert_int_equal(h.audit_locs[1].line, 3);
    assert_int_equal(h.ncomponents, 3);
    assert_string_equal(h.components[0].name, "docker");
    assert_string_equal(h.components[0].package, "docker.io");
    assert_string_equal(h.components[0].version, "20.10.24+dfsg1-1+b3");
    assert_string_equal(h.components[1].name, "runc");
    assert_string_equal(h.components[2].name, "kernel");
    assert_string_equal(h.components[2].version, "6.1.0-18-amd64");
    assert_int_equal(h.lsm.apparmor_enabled, 1);
    assert_int_equal(h.lsm.apparmor_docker_default, 1);
    assert_int_equal(h.lsm.apparmor_loc.line, 1);
    assert_int_equal(h.lsm.selinux_enforcing, -1);
    assert_int_equal(h.lsm.seccomp_available, 1);
    assert_int_equal(h.lsm.seccomp_loc.line, 2);
    assert_int_equal(h.lsm.max_user_namespaces, 63432);

    /* files */
    f = file_role(&h, "docker.sock");
    assert_non_null(f);
    if (have_sock) {
        assert_true(f->exists);
        assert_int_equal(f->type, 's');
        assert_int_equal(f->mode, 0666);
        assert_string_equal(f->path, "/var/run/docker.sock");
    }
    f = file_role(&h, "containerd.sock");
    assert_non_null(f);
    assert_false(f->exists);
    f = file_role(&h, "docker.service");
    assert_non_null(f);
    assert_true(f->exists);
    assert_string_equal(f->path, "/lib/systemd/system/docker.service");
    assert_int_equal(f->type, 'f');
    assert_non_null(file_role(&h, "docker.socket"));
    f = file_role(&h, "tlscacert");
    assert_non_null(f);
    assert_true(f->exists);
    assert_string_equal(f->path, "/etc/docker/ca.pem");
    f = file_role(&h, "etc-docker");
    assert_true(f->exists);
    assert_int_equal(f->type, 'd');
    f = file_role(&h, "certs.d");
    assert_true(f->exists);
    {
        size_t nc = 0;

        for (i = 0; i < h.nfiles; i++)
            nc += !strcmp(h.files[i].role, "certs.d");
        assert_int_equal(nc, 3); /* dir, registry dir, ca.crt */
    }
    bh_arena_release(&a);
    rmtree(root);
    free(root);
}

static void tree_json_error_and_confinement(void **state)
{
    struct bh_arena a;
    struct bh_host h;
    struct bh_host_error *errs;
    struct bh_err err;
    size_t nerrs;
    char *root = mkroot(), outside[4200];
    FILE *fp;

    (void)state;
    put(root, "etc/docker/daemon.json", "{\n  \"icc\": false,\n  \"hosts\": [\"tcp://x\"\n}\n");
    put(root, "etc/systemd/system/docker.service",
        "[Service]\nExecStart=/usr/bin/dockerd --icc=false --label \"open\n");
    put(root, "etc/default/docker", "DOCKER_OPTS=\"-H tcp://0.0.0.0:2375\"\n");
    /* a file next to the root, reachable only by climbing out of it */
    snprintf(outside, sizeof(outside), "%s.outside.json", root);
    fp = fopen(outside, "w");
    assert_non_null(fp);
    fputs("{\"hosts\": [\"tcp://escaped:1\"]}\n", fp);
    fclose(fp);
    {
        const char *base = strrchr(outside, '/') + 1;
        char target[4300];

        snprintf(target, sizeof(target), "../../../../../../../../%s", base);
        link_at(root, "home/eve/.config/docker/daemon.json", target);
        snprintf(target, sizeof(target), "%s", outside);
        link_at(root, "etc/sysconfig/docker", target); /* absolute: means root + path */
    }
    put(root, "run/user/1000/.keep", "");
    (void)mksock(root, "run/user/1000/docker.sock");

    bh_arena_init(&a, 1u << 26);
    bh_err_init(&err);
    assert_int_equal(bh_host_read(&a, root, &h, &errs, &nerrs, &err), 0);
    assert_int_equal(nerrs, 2);
    assert_string_equal(errs[0].file, "/etc/docker/daemon.json");
    assert_int_equal(errs[0].line, 4);
    assert_true(errs[0].col > 0);
    assert_string_equal(errs[1].file, "/etc/systemd/system/docker.service");
    assert_int_equal(errs[1].line, 2);
    /* daemon.json added nothing; the env file was still read */
    assert_null(find(&h, "icc", 0));
    assert_int_equal(count(&h, "hosts"), 1);
    assert_string_equal(find(&h, "hosts", 0)->value, "tcp://0.0.0.0:2375");
    assert_int_equal(find(&h, "hosts", 0)->origin, BH_HS_ENVFILE);
    /* the rootless socket with no rootful one */
    assert_true(h.rootless);
    assert_true(h.engine_found);
    bh_arena_release(&a);
    unlink(outside);
    rmtree(root);
    free(root);
}

static void missing_root_is_eio(void **state)
{
    struct bh_arena a;
    struct bh_host h;
    struct bh_host_error *errs;
    struct bh_err err;
    size_t nerrs;

    (void)state;
    bh_arena_init(&a, 1u << 20);
    bh_err_init(&err);
    assert_int_equal(bh_host_read(&a, "/nonexistent/bh-host-root", &h, &errs, &nerrs, &err),
                     BH_EIO);
    assert_int_equal(err.code, BH_EIO);
    bh_arena_release(&a);
}

static void live_root_and_xattr_acl(void **state)
{
    /* a named-group entry set through the raw xattr, as setfacl -m g:999:rw would */
    static const unsigned char blob[] = {
        2, 0,    0,    0,    0x01, 0,    6,    0, 0xff, 0xff, 0xff, 0xff, 0x04, 0,    4,
        0, 0xff, 0xff, 0xff, 0xff, 0x08, 0,    6, 0,    0xe7, 0x03, 0,    0,    0x10, 0,
        6, 0,    0xff, 0xff, 0xff, 0xff, 0x20, 0, 0,    0,    0xff, 0xff, 0xff, 0xff,
    };
    struct bh_arena a;
    struct bh_host h;
    struct bh_host_error *errs;
    struct bh_err err;
    size_t nerrs;
    char *root = mkroot(), path[4200];
    const struct bh_hostfile *f;
    bool acl_set;

    (void)state;
    put(root, "etc/group", "docker:x:999:\n");
    put(root, "etc/docker/daemon.json", "{}\n");
    snprintf(path, sizeof(path), "%s/etc/docker/daemon.json", root);
    acl_set = setxattr(path, "system.posix_acl_access", blob, sizeof(blob), 0) == 0;
    bh_arena_init(&a, 1u << 26);
    bh_err_init(&err);
    assert_int_equal(bh_host_read(&a, root, &h, &errs, &nerrs, &err), 0);
    f = file_role(&h, "daemon.json");
    assert_non_null(f);
    assert_true(f->exists);
    if (acl_set) {
        assert_true(f->acl_extra);
        assert_string_equal(f->acl_text, "group:docker:rw-");
    } else {
        print_message("# no POSIX ACL support on %s: %s\n", root, strerror(errno));
        assert_false(f->acl_extra);
    }
    bh_arena_release(&a);
    rmtree(root);
    free(root);

    /* the live machine: whatever it holds, reading it must succeed */
    bh_arena_init(&a, 1u << 28);
    bh_err_init(&err);
    assert_int_equal(bh_host_read(&a, "/", &h, &errs, &nerrs, &err), 0);
    assert_string_equal(h.root, "/");
    assert_true(h.lsm.max_user_namespaces >= -1);
    bh_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_continuation_comments_quoting),
        cmocka_unit_test(unit_split_errors_and_prefixes),
        cmocka_unit_test(unit_dropin_reset),
        cmocka_unit_test(dockerd_args_forms),
        cmocka_unit_test(dockerd_args_unit_loc),
        cmocka_unit_test(procnet_rows),
        cmocka_unit_test(acl_blob),
        cmocka_unit_test(envfile_quoting),
        cmocka_unit_test(tree_end_to_end),
        cmocka_unit_test(tree_json_error_and_confinement),
        cmocka_unit_test(missing_root_is_eio),
        cmocka_unit_test(live_root_and_xattr_acl),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
