/*
 * test_runargs.c - the `docker run` line reader: flags before the image in
 * every written form, global options, podman, errors, and finding commands
 * (with exact positions) in scripts, Makefiles, CI YAML and Markdown; bids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "input/runargs.h"
#include "input/shell.h"

#include <string.h>

static struct bh_arena arena;
static struct bh_err err;
static struct bh_runset set;

static int setup(void **state)
{
    (void)state;
    bh_arena_init(&arena, 256u << 20);
    bh_err_init(&err);
    memset(&set, 0, sizeof(set));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bh_arena_release(&arena);
    return 0;
}

/* Parse text as file `name`; expect success and n runspecs. */
static void parse_n(const char *name, const char *text, size_t n)
{
    int rc = bh_runargs_parse(&arena, name, text, strlen(text), &set, &err);

    if (rc)
        fail_msg("parse failed: %d %s:%d:%d %s", rc, err.file, err.line, err.col, err.msg);
    assert_int_equal(set.nspecs, n);
}

/* A one-line script holding one run command: its runspec. */
static const struct bh_runspec *one(const char *line)
{
    parse_n("run.sh", line, 1);
    return &set.specs[0];
}

static void loc_is(struct bh_loc l, int line, int col)
{
    assert_int_equal(l.line, line);
    assert_int_equal(l.col, col);
}

static void str_at(struct bh_rs_str s, const char *v, int line, int col)
{
    assert_non_null(s.v);
    assert_string_equal(s.v, v);
    loc_is(s.loc, line, col);
}

static void basics_and_locations(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run --privileged -p 8080:80 --name web nginx:1.25 nginx -g x\n");
    assert_string_equal(rs->source_kind, "cli");
    assert_string_equal(rs->name, "web");
    loc_is(rs->loc, 1, 1);
    assert_string_equal(rs->loc.file, "run.sh");
    assert_null(rs->loc.path);
    str_at(rs->image, "nginx:1.25", 1, 47);
    assert_int_equal(rs->privileged.v, BH_TRUE);
    loc_is(rs->privileged.loc, 1, 12);
    assert_int_equal(rs->nports, 1);
    assert_string_equal(rs->ports[0].raw, "8080:80");
    assert_int_equal(rs->ports[0].host_lo, 8080);
    assert_int_equal(rs->ports[0].cont_lo, 80);
    assert_null(rs->ports[0].host_ip);
    loc_is(rs->ports[0].loc, 1, 25);
    /* untouched fields stay unset */
    assert_int_equal(rs->read_only_rootfs.v, BH_UNSET);
    assert_int_equal(rs->read_only_rootfs.loc.line, 0);
    assert_null(rs->user.v);
    assert_int_equal(rs->host_pid.v, BH_UNSET);
    assert_false(rs->publish_all);
}

static void flags_after_image_belong_to_the_container(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run alpine --privileged -v /:/host\n");
    assert_string_equal(rs->image.v, "alpine");
    assert_string_equal(rs->name, "docker run alpine");
    assert_int_equal(rs->privileged.v, BH_UNSET);
    assert_int_equal(rs->nmounts, 0);

    rs = one("docker run --rm -- --weird-image --privileged\n");
    assert_string_equal(rs->image.v, "--weird-image");
    assert_int_equal(rs->privileged.v, BH_UNSET);
}

/* Every mapped flag, written `--flag value`. */
static void mapped_flags_separate_values(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker create --cap-add SYS_ADMIN --cap-add net_raw --cap-drop ALL "
             "--network host --pid host --ipc host --uts host --userns host --cgroupns host "
             "--user 0:0 --group-add 0 --security-opt seccomp=unconfined --device /dev/sda "
             "--device-cgroup-rule 'a *:* rwm' --gpus all --sysctl net.ipv4.ip_forward=1 "
             "--env A=1 --add-host db:10.0.0.1 --pull always --memory 256m --cpus 1.5 "
             "--pids-limit 100 --tmpfs /run:rw,ro --volume /etc:/etc:ro "
             "--mount type=volume,src=data,dst=/data --publish 127.0.0.1:5432:5432 "
             "--name db --restart always postgres:16\n");
    assert_string_equal(rs->image.v, "postgres:16");
    assert_string_equal(rs->name, "db");
    assert_int_equal(rs->cap_add.n, 2);
    assert_string_equal(rs->cap_add.v[0].v, "SYS_ADMIN");
    assert_string_equal(rs->cap_add.v[1].v, "net_raw");
    loc_is(rs->cap_add.v[1].loc, 1, 35);
    assert_int_equal(rs->cap_drop.n, 1);
    assert_string_equal(rs->cap_drop.v[0].v, "ALL");
    assert_string_equal(rs->network.v, "host");
    assert_string_equal(rs->pid.v, "host");
    assert_string_equal(rs->ipc.v, "host");
    assert_string_equal(rs->uts.v, "host");
    assert_string_equal(rs->userns.v, "host");
    assert_string_equal(rs->cgroupns.v, "host");
    assert_string_equal(rs->user.v, "0:0");
    assert_int_equal(rs->group_add.n, 1);
    assert_string_equal(rs->group_add.v[0].v, "0");
    assert_string_equal(rs->security_opt.v[0].v, "seccomp=unconfined");
    assert_int_equal(rs->ndevices, 1);
    assert_string_equal(rs->devices[0].host_path, "/dev/sda");
    assert_null(rs->devices[0].cont_path);
    assert_string_equal(rs->device_cgroup_rules.v[0].v, "a *:* rwm");
    assert_string_equal(rs->gpus.v[0].v, "all");
    assert_string_equal(rs->sysctls.v[0].v, "net.ipv4.ip_forward=1");
    assert_string_equal(rs->env.v[0].v, "A=1");
    assert_string_equal(rs->extra_hosts.v[0].v, "db:10.0.0.1");
    assert_string_equal(rs->pull_policy.v, "always");
    assert_string_equal(rs->mem_limit.v, "256m");
    assert_string_equal(rs->cpu_limit.v, "1.5");
    assert_string_equal(rs->pids_limit.v, "100");
    assert_int_equal(rs->nmounts, 3);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_TMPFS);
    assert_string_equal(rs->mounts[0].target, "/run");
    assert_true(rs->mounts[0].read_only);
    assert_int_equal(rs->mounts[1].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[1].source, "/etc");
    assert_string_equal(rs->mounts[1].target, "/etc");
    assert_true(rs->mounts[1].read_only);
    assert_int_equal(rs->mounts[2].kind, BH_MOUNT_VOLUME);
    assert_string_equal(rs->mounts[2].source, "data");
    assert_string_equal(rs->mounts[2].target, "/data");
    assert_false(rs->mounts[2].read_only);
    assert_int_equal(rs->nports, 1);
    assert_string_equal(rs->ports[0].host_ip, "127.0.0.1");
    assert_int_equal(rs->ports[0].host_lo, 5432);
}

/* The same flags written `--flag=value`, and the short forms. */
static void mapped_flags_equals_and_short(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run --privileged=true --cap-add=SYS_PTRACE --cap-drop=NET_RAW --net=host "
             "--pid=container:x --ipc=shareable --uts=host --userns=host --cgroupns=private "
             "-u 1000 --group-add=wheel --security-opt=no-new-privileges --device=/dev/fuse "
             "--device-cgroup-rule=c\\ 1:3\\ mr --gpus=device=0 --sysctl=kernel.msgmax=1 "
             "-e B=2 --add-host=h:1.2.3.4 --pull=never -m 1g --cpus=2 --pids-limit=50 "
             "--read-only=true --tmpfs=/tmp -v /data:/data --mount=type=tmpfs,dst=/cache "
             "-p 9090:90 -P --name=n img\n");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_string_equal(rs->cap_add.v[0].v, "SYS_PTRACE");
    assert_string_equal(rs->cap_drop.v[0].v, "NET_RAW");
    assert_string_equal(rs->network.v, "host");
    assert_string_equal(rs->pid.v, "container:x");
    assert_string_equal(rs->ipc.v, "shareable");
    assert_string_equal(rs->uts.v, "host");
    assert_string_equal(rs->userns.v, "host");
    assert_string_equal(rs->cgroupns.v, "private");
    assert_string_equal(rs->user.v, "1000");
    assert_string_equal(rs->group_add.v[0].v, "wheel");
    assert_string_equal(rs->security_opt.v[0].v, "no-new-privileges");
    assert_string_equal(rs->devices[0].host_path, "/dev/fuse");
    assert_string_equal(rs->device_cgroup_rules.v[0].v, "c 1:3 mr");
    assert_string_equal(rs->gpus.v[0].v, "device=0");
    assert_string_equal(rs->sysctls.v[0].v, "kernel.msgmax=1");
    assert_string_equal(rs->env.v[0].v, "B=2");
    assert_string_equal(rs->extra_hosts.v[0].v, "h:1.2.3.4");
    assert_string_equal(rs->pull_policy.v, "never");
    assert_string_equal(rs->mem_limit.v, "1g");
    assert_string_equal(rs->cpu_limit.v, "2");
    assert_string_equal(rs->pids_limit.v, "50");
    assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
    assert_int_equal(rs->nmounts, 3);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_TMPFS);
    assert_string_equal(rs->mounts[0].target, "/tmp");
    assert_string_equal(rs->mounts[1].source, "/data");
    assert_int_equal(rs->mounts[2].kind, BH_MOUNT_TMPFS);
    assert_string_equal(rs->mounts[2].target, "/cache");
    assert_int_equal(rs->ports[0].host_lo, 9090);
    assert_true(rs->publish_all);
    assert_int_equal(rs->publish_all_loc.line, 1);
    assert_string_equal(rs->name, "n");
    assert_string_equal(rs->image.v, "img");

    rs = one("docker run --privileged=false --read-only=0 -P=false --privileged=$P alpine\n");
    assert_int_equal(rs->privileged.v, BH_FALSE);
    loc_is(rs->privileged.loc, 1, 12);
    assert_int_equal(rs->read_only_rootfs.v, BH_FALSE);
    assert_false(rs->publish_all);
    assert_int_equal(rs->publish_all_loc.col, 45);
}

static void long_boolean_forms(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run --publish-all --read-only --use-api-socket --rm img\n");
    assert_true(rs->publish_all);
    loc_is(rs->publish_all_loc, 1, 12);
    assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
    loc_is(rs->read_only_rootfs.loc, 1, 26);
    /* docker 28 mounts the engine socket for --use-api-socket */
    assert_int_equal(rs->nmounts, 1);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[0].source, "/run/docker.sock");
    loc_is(rs->mounts[0].loc, 1, 38);
    assert_string_equal(rs->image.v, "img");
}

static void short_clusters_and_attached_values(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run -itd -p8080:80 -eFOO=1 -uroot -e=BAR=2 -itv/:/host -Pe C=3 alpine sh\n");
    assert_string_equal(rs->image.v, "alpine");
    assert_string_equal(rs->ports[0].raw, "8080:80");
    loc_is(rs->ports[0].loc, 1, 17);
    assert_int_equal(rs->env.n, 3);
    assert_string_equal(rs->env.v[0].v, "FOO=1");
    assert_string_equal(rs->env.v[1].v, "BAR=2");
    assert_string_equal(rs->env.v[2].v, "C=3");
    loc_is(rs->env.v[2].loc, 1, 63);
    assert_string_equal(rs->user.v, "root");
    loc_is(rs->user.loc, 1, 35);
    assert_int_equal(rs->nmounts, 1);
    assert_string_equal(rs->mounts[0].source, "/");
    assert_string_equal(rs->mounts[0].target, "/host");
    assert_true(rs->publish_all);
}

static void unknown_flags(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    /* an unknown long flag takes no value unless written with `=` */
    rs = one("docker run --frobnicate --frob=x -Z --privileged alpine\n");
    assert_string_equal(rs->image.v, "alpine");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    /* so `--frob value` reads value as the image (documented) */
    rs = one("docker run --frob value alpine\n");
    assert_string_equal(rs->image.v, "value");
    /* known flags that are merely irrelevant consume their values */
    rs = one("docker run --log-opt max-size=1m -w /app --entrypoint sh -l a=b --label x "
             "--health-cmd 'curl -f x' --ulimit nofile=1024 -h host -a stdout --rm "
             "--stop-signal SIGTERM --platform linux/amd64 --shm-size 1g --expose 80 --init "
             "--env-file .env -c 512 --privileged alpine\n");
    assert_string_equal(rs->image.v, "alpine");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_int_equal(rs->env.n, 0);
    assert_int_equal(rs->nports, 0);
}

static void env_forms(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run -e HOME -e DB_PASSWORD=s3cret --env=EMPTY= --env-file ./prod.env x\n");
    assert_int_equal(rs->env.n, 2);
    assert_string_equal(rs->env.v[0].v, "DB_PASSWORD=s3cret");
    loc_is(rs->env.v[0].loc, 1, 20);
    assert_string_equal(rs->env.v[1].v, "EMPTY=");
}

static void mount_csv(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run "
             "--mount type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly "
             "--mount 'type=bind,\"src=/a,b\",dst=/x,ro=false,bind-propagation=rshared' "
             "--mount target=/anon "
             "--mount type=bind,src=./conf,dst=/conf,ro=1 "
             "--mount type=image,src=img,dst=/i "
             "alpine\n");
    assert_int_equal(rs->nmounts, 5);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[0].source, "/run/docker.sock");
    assert_string_equal(rs->mounts[0].source_raw, "/var/run/docker.sock");
    assert_string_equal(rs->mounts[0].target, "/var/run/docker.sock");
    assert_true(rs->mounts[0].read_only);
    loc_is(rs->mounts[0].loc, 1, 12);
    assert_string_equal(rs->mounts[1].source, "/a,b");
    assert_string_equal(rs->mounts[1].target, "/x");
    assert_false(rs->mounts[1].read_only);
    assert_string_equal(rs->mounts[1].propagation, "rshared");
    assert_int_equal(rs->mounts[2].kind, BH_MOUNT_VOLUME);
    assert_null(rs->mounts[2].source);
    assert_string_equal(rs->mounts[2].target, "/anon");
    assert_int_equal(rs->mounts[3].kind, BH_MOUNT_BIND);
    assert_null(rs->mounts[3].source);
    assert_string_equal(rs->mounts[3].source_raw, "./conf");
    assert_true(rs->mounts[3].read_only);
    assert_int_equal(rs->mounts[4].kind, BH_MOUNT_OTHER);
}

static void volumes_relative_and_variables(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run -v ./x:/x -v \"$(pwd)/data:/data:ro\" -v $PWD/y:/y "
             "-v ${DATA:-/srv}:${TARGET} -v named:/n -v /anon -v bad -v vol:$T:ro alpine\n");
    assert_int_equal(rs->nmounts, 7);
    assert_int_equal(rs->mounts[6].kind, BH_MOUNT_VOLUME);
    assert_string_equal(rs->mounts[6].source, "vol");
    assert_string_equal(rs->mounts[6].target, "$T");
    assert_true(rs->mounts[6].read_only);
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_BIND);
    assert_null(rs->mounts[0].source);
    assert_string_equal(rs->mounts[0].source_raw, "./x");
    assert_int_equal(rs->mounts[1].kind, BH_MOUNT_BIND);
    assert_null(rs->mounts[1].source);
    assert_string_equal(rs->mounts[1].source_raw, "$(pwd)/data");
    assert_string_equal(rs->mounts[1].target, "/data");
    assert_true(rs->mounts[1].read_only);
    assert_string_equal(rs->mounts[2].source_raw, "$PWD/y");
    assert_null(rs->mounts[2].source);
    assert_int_equal(rs->mounts[3].kind, BH_MOUNT_BIND);
    assert_string_equal(rs->mounts[3].source_raw, "${DATA:-/srv}");
    assert_string_equal(rs->mounts[3].target, "${TARGET}");
    assert_int_equal(rs->mounts[4].kind, BH_MOUNT_VOLUME);
    assert_string_equal(rs->mounts[4].source, "named");
    assert_int_equal(rs->mounts[5].kind, BH_MOUNT_VOLUME);
    assert_string_equal(rs->mounts[5].target, "/anon");
}

static void ports_with_variables(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run -p $PORT:80 -p ${IP}:8080:80 -p 127.0.0.1:${P}:${Q} -p 80 "
             "-p [::1]:${P}:53/udp -p nonsense:x $IMAGE\n");
    assert_string_equal(rs->image.v, "$IMAGE");
    assert_int_equal(rs->nports, 5);
    assert_string_equal(rs->ports[0].raw, "$PORT:80");
    assert_int_equal(rs->ports[0].host_lo, 0);
    assert_int_equal(rs->ports[0].cont_lo, 80);
    assert_null(rs->ports[0].host_ip);
    assert_string_equal(rs->ports[1].host_ip, "${IP}");
    assert_int_equal(rs->ports[1].host_lo, 8080);
    assert_string_equal(rs->ports[2].host_ip, "127.0.0.1");
    assert_int_equal(rs->ports[2].cont_lo, 0);
    assert_int_equal(rs->ports[3].cont_lo, 80);
    assert_int_equal(rs->ports[3].host_lo, 0);
    assert_string_equal(rs->ports[4].host_ip, "::1");
    assert_string_equal(rs->ports[4].proto, "udp");
}

static void devices(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("docker run --device /dev/kmsg:rw --device /dev/sdb:/dev/xvdc --device "
             "/dev/mem:/dev/mem:rwm alpine\n");
    assert_int_equal(rs->ndevices, 3);
    assert_string_equal(rs->devices[0].host_path, "/dev/kmsg");
    assert_null(rs->devices[0].cont_path);
    assert_string_equal(rs->devices[0].perms, "rw");
    assert_string_equal(rs->devices[1].cont_path, "/dev/xvdc");
    assert_null(rs->devices[1].perms);
    assert_string_equal(rs->devices[2].cont_path, "/dev/mem");
    assert_string_equal(rs->devices[2].perms, "rwm");
    loc_is(rs->devices[2].loc, 1, 62);
}

static void podman_container_and_globals(void **state)
{
    const struct bh_runspec *rs;

    (void)state;
    rs = one("podman run --privileged quay.io/x/y\n");
    assert_string_equal(rs->name, "podman run quay.io/x/y");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    rs = one("docker container create --pid=host alpine\n");
    assert_string_equal(rs->name, "docker create alpine");
    assert_string_equal(rs->pid.v, "host");
    rs = one("/usr/bin/docker -H tcp://10.0.0.1:2376 --tlsverify --context prod -l debug -D "
             "--config /etc/d run --ipc host alpine\n");
    assert_string_equal(rs->ipc.v, "host");
    loc_is(rs->ipc.loc, 1, 99);
    rs = one("podman --remote --url ssh://x --log-level=debug container run --uts host alpine\n");
    assert_string_equal(rs->uts.v, "host");
    /* not run commands */
    parse_n("run.sh",
            "docker ps\ndocker build -t x .\ndocker run --help\ndocker -v\ndocker container ls\n"
            "docker -H run ps\npodman\necho docker run alpine\n",
            0);
}

static void missing_values_are_errors(void **state)
{
    static const struct bh_word w[] = {
        {"docker", 3, 5, false},
        {"run", 3, 12, false},
        {"-it", 3, 16, false},
        {"-p", 4, 7, false},
    };
    struct bh_runspec rs;
    int rc;

    (void)state;
    rc = bh_runargs_from_words(&arena, "x.sh", w, 4, &rs, &err);
    assert_int_equal(rc, BH_EPARSE);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 7);
    assert_string_equal(err.file, "x.sh");
    assert_non_null(strstr(err.msg, "-p"));

    bh_err_init(&err);
    rc = bh_runargs_parse(&arena, "run.sh", "echo hi\n  docker run --name\n", 28, &set, &err);
    assert_int_equal(rc, BH_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 14);
    assert_non_null(strstr(err.msg, "--name"));

    /* not a run command: 1 and out untouched */
    memset(&rs, 0x5a, sizeof(rs));
    rc = bh_runargs_from_words(&arena, "x.sh", w, 2, &rs, &err);
    assert_int_equal(rc, 0);
    rc = bh_runargs_from_words(&arena, "x.sh", w + 1, 2, &rs, &err);
    assert_int_equal(rc, 1);
}

static void scripts_with_several_commands(void **state)
{
    const char *text = "#!/bin/sh\n"
                       "set -e\n"
                       "if [ -n \"$X\" ]; then docker run -d --name a alpine; fi\n"
                       "docker pull b && sudo docker run --pid=host b || exit 1\n"
                       "docker run \\\n"
                       "    --privileged \\\n"
                       "    -v /var/run/docker.sock:/var/run/docker.sock \\\n"
                       "  c:1 arg\n"
                       "ID=$(docker run -d --network=host d)\n"
                       "sh -c 'docker run --ipc=host e'\n"
                       "# docker run --privileged commented\n"
                       "echo \"docker run --privileged quoted\"\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n("deploy", text, 5);
    rs = &set.specs[0];
    assert_string_equal(rs->name, "a");
    loc_is(rs->loc, 3, 22);
    rs = &set.specs[1];
    assert_string_equal(rs->image.v, "b");
    loc_is(rs->loc, 4, 23);
    loc_is(rs->pid.loc, 4, 34);
    rs = &set.specs[2];
    assert_string_equal(rs->image.v, "c:1");
    loc_is(rs->loc, 5, 1);
    loc_is(rs->privileged.loc, 6, 5);
    loc_is(rs->mounts[0].loc, 7, 5);
    assert_string_equal(rs->mounts[0].source, "/run/docker.sock");
    loc_is(rs->image.loc, 8, 3);
    rs = &set.specs[3];
    assert_string_equal(rs->image.v, "e");
    loc_is(rs->loc, 10, 8);
    loc_is(rs->ipc.loc, 10, 19);
    /* the $(...) substitution is read after the commands of its unit */
    rs = &set.specs[4];
    assert_string_equal(rs->image.v, "d");
    loc_is(rs->loc, 9, 6);
    loc_is(rs->network.loc, 9, 20);
}

/* A script past the tokenizer's word bound is read in pieces, positions intact. */
static void long_scripts_are_read_in_pieces(void **state)
{
    struct bh_buf b = BH_BUF_INIT(4u << 20);
    int line;

    (void)state;
    for (line = 1; line <= 8000; line++) {
        if (line % 1000 == 0)
            bh_buf_printf(&b, "docker run \\\n  --pid=host img%d\n", line++);
        else
            bh_buf_puts(&b, "echo a b c d e f g h i j\n");
    }
    assert_false(b.failed);
    assert_true(bh_runargs_parse(&arena, "long.sh", b.ptr, b.len, &set, &err) == 0);
    assert_int_equal(set.nspecs, 8);
    assert_string_equal(set.specs[0].image.v, "img1000");
    loc_is(set.specs[0].loc, 1000, 1);
    loc_is(set.specs[0].pid.loc, 1001, 3);
    assert_string_equal(set.specs[7].image.v, "img8000");
    loc_is(set.specs[7].pid.loc, 8001, 3);
    bh_buf_release(&b);
}

static void ignores_are_collected(void **state)
{
    (void)state;
    parse_n("run.sh",
            "# bulkhead:ignore=RUN-PRIV lab machine\n"
            "docker run --privileged alpine\n"
            "docker run -p 80:80 nginx # bulkhead:ignore=RUN-PORTS-ALL,RUN-PORTS-PRIV\n",
            2);
    assert_int_equal(set.nignores, 2);
    assert_int_equal(set.ignores[0].applies_line, 2);
    assert_string_equal(set.ignores[0].ids[0], "RUN-PRIV");
    assert_int_equal(set.ignores[1].applies_line, 3);
    assert_int_equal(set.ignores[1].nids, 2);
    assert_string_equal(set.file, "run.sh");
}

static void makefile_recipes(void **state)
{
    const char *text = "IMAGE ?= app:1\n"
                       "DOCKER_RUN := docker run --privileged x\n"
                       "\n"
                       ".PHONY: up\n"
                       "up: build\n"
                       "\t@docker run -d -v $$(pwd)/cfg:/cfg \\\n"
                       "\t  --cap-add SYS_ADMIN \\\n"
                       "\t  $(IMAGE)\n"
                       "\t-docker rm -f x\n"
                       "\n"
                       "# comment\n"
                       "\t+ docker run --pid=host y\n"
                       "test: ; docker run --ipc=host z\n"
                       "define BLOCK\n"
                       "\tdocker run --uts=host w\n"
                       "endef\n"
                       "VAR = 1\n"
                       "\tdocker run --net=host notarecipe\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n("Makefile", text, 3);
    rs = &set.specs[0];
    assert_string_equal(rs->image.v, "$(IMAGE)");
    loc_is(rs->loc, 6, 3);
    loc_is(rs->mounts[0].loc, 6, 17);
    assert_string_equal(rs->mounts[0].source_raw, "$(pwd)/cfg");
    assert_int_equal(rs->mounts[0].kind, BH_MOUNT_BIND);
    loc_is(rs->cap_add.v[0].loc, 7, 4);
    loc_is(rs->image.loc, 8, 4);
    rs = &set.specs[1];
    assert_string_equal(rs->image.v, "y");
    loc_is(rs->pid.loc, 12, 15);
    rs = &set.specs[2];
    assert_string_equal(rs->image.v, "z");
    loc_is(rs->loc, 13, 9);
    loc_is(rs->ipc.loc, 13, 20);
}

static void github_workflow(void **state)
{
    const char *text = "name: ci\n"
                       "on: push\n"
                       "jobs:\n"
                       "  test:\n"
                       "    runs-on: ubuntu-latest\n"
                       "    steps:\n"
                       "      - uses: actions/checkout@v4\n"
                       "      - name: start db\n"
                       "        run: |  # comment\n"
                       "          echo start\n"
                       "\n"
                       "          docker run -d \\\n"
                       "            --privileged \\\n"
                       "              -p 5432:5432 postgres\n"
                       "      - run: docker run --pid=host \"alpine\"\n"
                       "      - run: >\n"
                       "          docker run\n"
                       "          --ipc=host\n"
                       "          busybox\n"
                       "      - run: \"docker run --net=host \\\"x\\\" \"\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n(".github/workflows/ci.yml", text, 4);
    rs = &set.specs[0];
    assert_string_equal(rs->image.v, "postgres");
    loc_is(rs->loc, 12, 11);
    loc_is(rs->privileged.loc, 13, 13);
    loc_is(rs->ports[0].loc, 14, 15);
    loc_is(rs->image.loc, 14, 28);
    rs = &set.specs[1];
    assert_string_equal(rs->image.v, "alpine");
    loc_is(rs->loc, 15, 14);
    loc_is(rs->pid.loc, 15, 25);
    loc_is(rs->image.loc, 15, 36);
    /* folded: one command over three lines */
    rs = &set.specs[2];
    assert_string_equal(rs->image.v, "busybox");
    loc_is(rs->loc, 17, 11);
    loc_is(rs->ipc.loc, 18, 11);
    loc_is(rs->image.loc, 19, 11);
    rs = &set.specs[3];
    assert_string_equal(rs->image.v, "x");
    loc_is(rs->network.loc, 20, 26);
}

static void gitlab_and_other_ci(void **state)
{
    const char *text = "build:\n"
                       "  image: docker:24\n"
                       "  before_script:\n"
                       "    - docker info\n"
                       "  script:\n"
                       "    - docker run --rm -v /:/host alpine\n"
                       "    - - docker run --userns=host nested\n"
                       "  after_script: docker run --cgroupns=host last\n"
                       "job2:\n"
                       "  steps:\n"
                       "    - run:\n"
                       "        name: x\n"
                       "        command: docker run --uts=host circle\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n(".gitlab-ci.yml", text, 4);
    rs = &set.specs[0];
    loc_is(rs->loc, 6, 7);
    loc_is(rs->mounts[0].loc, 6, 23);
    rs = &set.specs[1];
    assert_string_equal(rs->userns.v, "host");
    loc_is(rs->userns.loc, 7, 20);
    rs = &set.specs[2];
    assert_string_equal(rs->cgroupns.v, "host");
    loc_is(rs->loc, 8, 17);
    rs = &set.specs[3];
    assert_string_equal(rs->uts.v, "host");
    loc_is(rs->uts.loc, 13, 29);

    bh_err_init(&err);
    assert_int_equal(bh_runargs_parse(&arena, ".gitlab-ci.yml", "a: [\n", 5, &set, &err),
                     BH_EPARSE);
}

static void yaml_aliases_are_read_once(void **state)
{
    const char *text = ".cmds: &cmds\n"
                       "  - docker run --privileged a\n"
                       ".one: &one \"docker run --pid=host b\"\n"
                       "j1:\n"
                       "  script: *cmds\n"
                       "j2:\n"
                       "  script: *cmds\n"
                       "j3:\n"
                       "  script: *one\n"
                       "j4:\n"
                       "  script: *one\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n(".gitlab-ci.yml", text, 2);
    rs = &set.specs[0];
    assert_string_equal(rs->image.v, "a");
    loc_is(rs->privileged.loc, 2, 16);
    /* a scalar that lives only behind an alias is placed at the first alias */
    rs = &set.specs[1];
    assert_string_equal(rs->image.v, "b");
    loc_is(rs->loc, 9, 11);
    loc_is(rs->pid.loc, 9, 11);
}

static void markdown_fences(void **state)
{
    const char *text = "# Title\n"
                       "\n"
                       "```bash\n"
                       "docker run --privileged \\\n"
                       "  alpine\n"
                       "```\n"
                       "```python\n"
                       "os.system('docker run --pid=host x')\n"
                       "```\n"
                       "```console\n"
                       "$ docker run -it --ipc=host \\\n"
                       "> --net=host busy\n"
                       "docker run --uts=host output-line\n"
                       "$ echo done\n"
                       "```\n"
                       "~~~\n"
                       "  $ docker run --userns=host tilde\n"
                       "~~~\n"
                       "Some text docker run --cgroupns=host prose\n"
                       "````sh\n"
                       "~~~\n"
                       "docker run -P inner\n"
                       "````\n";
    const struct bh_runspec *rs;

    (void)state;
    parse_n("README.md", text, 4);
    rs = &set.specs[0];
    assert_string_equal(rs->image.v, "alpine");
    loc_is(rs->loc, 4, 1);
    loc_is(rs->image.loc, 5, 3);
    rs = &set.specs[1];
    assert_string_equal(rs->image.v, "busy");
    loc_is(rs->loc, 11, 3);
    loc_is(rs->ipc.loc, 11, 18);
    loc_is(rs->network.loc, 12, 3);
    rs = &set.specs[2];
    assert_string_equal(rs->image.v, "tilde");
    loc_is(rs->userns.loc, 17, 16);
    rs = &set.specs[3];
    assert_string_equal(rs->image.v, "inner");
    assert_true(rs->publish_all);
    loc_is(rs->publish_all_loc, 22, 12);
}

static void empty_and_other_kinds(void **state)
{
    (void)state;
    parse_n("notes.md", "no code here\n", 0);
    parse_n("build.sh", "", 0);
    parse_n("x.mk", "all:\n\techo hi\n", 0);
    parse_n(".github/workflows/a.yaml", "on: push\njobs: {}\n", 0);
    parse_n("tools/start", "#!/usr/bin/env bash\ndocker run --rm -u 1000 alpine\n", 1);
    assert_string_equal(set.specs[0].user.v, "1000");
}

static void bids(void **state)
{
    static const char run[] = "#!/bin/sh\ndocker -H unix:///x run --rm alpine\n";
    static const char norun[] = "#!/bin/sh\ndocker build -t x .\necho run\n";
    static const char cont[] = "all:\n\tpodman --log-level debug container create x\n";

    (void)state;
    assert_int_equal(bh_runargs_bid("deploy.sh", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("x/run.bash", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("Makefile", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("GNUmakefile", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("rules.mk", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("docs/README.md", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("a.markdown", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid(".gitlab-ci.yml", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("repo/.github/workflows/ci.yaml", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid(".github/workflows/ci.yml", NULL, 0), 40);
    assert_int_equal(bh_runargs_bid("deploy.yaml", NULL, 0), 0);
    assert_int_equal(bh_runargs_bid("Dockerfile", NULL, 0), 0);
    assert_int_equal(bh_runargs_bid("compose.yaml", NULL, 0), 0);
    assert_int_equal(bh_runargs_bid("start", NULL, 0), 0);

    assert_int_equal(bh_runargs_bid("deploy.sh", run, strlen(run)), 80);
    assert_int_equal(bh_runargs_bid("start", run, strlen(run)), 80);
    assert_int_equal(bh_runargs_bid("start", run + 10, strlen(run + 10)), 0);
    assert_int_equal(bh_runargs_bid("deploy.sh", norun, strlen(norun)), 0);
    assert_int_equal(bh_runargs_bid("Makefile", cont, strlen(cont)), 80);
    assert_int_equal(bh_runargs_bid("Dockerfile", run, strlen(run)), 0);
    assert_int_equal(bh_runargs_bid("docker-compose.yml", run, strlen(run)), 0);
    assert_int_equal(bh_runargs_bid("Dockerfile.sh", run, strlen(run)), 0);
    assert_int_equal(bh_runargs_bid("a.md", "run docker\n", 11), 0);
    assert_int_equal(bh_runargs_bid("a.md", "`sudo docker run x`", 19), 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(basics_and_locations, setup, teardown),
        cmocka_unit_test_setup_teardown(flags_after_image_belong_to_the_container, setup, teardown),
        cmocka_unit_test_setup_teardown(mapped_flags_separate_values, setup, teardown),
        cmocka_unit_test_setup_teardown(mapped_flags_equals_and_short, setup, teardown),
        cmocka_unit_test_setup_teardown(long_boolean_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(short_clusters_and_attached_values, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(env_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(mount_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(volumes_relative_and_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_with_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(devices, setup, teardown),
        cmocka_unit_test_setup_teardown(podman_container_and_globals, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_values_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(scripts_with_several_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(long_scripts_are_read_in_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(ignores_are_collected, setup, teardown),
        cmocka_unit_test_setup_teardown(makefile_recipes, setup, teardown),
        cmocka_unit_test_setup_teardown(github_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(gitlab_and_other_ci, setup, teardown),
        cmocka_unit_test_setup_teardown(yaml_aliases_are_read_once, setup, teardown),
        cmocka_unit_test_setup_teardown(markdown_fences, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_and_other_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(bids, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
