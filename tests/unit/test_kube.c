/*
 * test_kube.c - the Kubernetes manifest reader: every workload kind, Lists,
 * multi-document streams, pod-level folding and overrides, annotations,
 * volumes, ports, YAML 1.1 scalars, Services, errors with positions, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "input/kube.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct fix {
    struct bh_arena a;
    struct bh_err err;
    struct bh_runset set;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    bh_arena_init(&f->a, 256u << 20);
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

static int parse(struct fix *f, const char *text)
{
    bh_err_init(&f->err);
    return bh_kube_parse(&f->a, "k.yaml", text, strlen(text), &f->set, &f->err);
}

static void parse_ok(struct fix *f, const char *text)
{
    int rc = parse(f, text);

    if (rc)
        print_error("unexpected error %d: %d:%d %s\n", rc, f->err.line, f->err.col, f->err.msg);
    assert_int_equal(rc, 0);
}

static const struct bh_runspec *spec(struct fix *f, const char *name)
{
    const struct bh_runspec *rs = bh_runset_find(&f->set, name);

    if (!rs)
        print_error("no runspec named '%s'\n", name);
    assert_non_null(rs);
    return rs;
}

static void assert_loc(struct bh_loc l, int line, int col, const char *path)
{
    assert_string_equal(l.file, "k.yaml");
    assert_int_equal(l.line, line);
    assert_int_equal(l.col, col);
    if (path)
        assert_string_equal(l.path, path);
    else
        assert_null(l.path);
}

static void assert_err(struct fix *f, int rc, int code, int line, int col, const char *needle)
{
    assert_int_equal(rc, code);
    assert_int_equal(f->err.code, code);
    assert_string_equal(f->err.file, "k.yaml");
    assert_int_equal(f->err.line, line);
    assert_int_equal(f->err.col, col);
    if (!strstr(f->err.msg, needle))
        print_error("message '%s' lacks '%s'\n", f->err.msg, needle);
    assert_non_null(strstr(f->err.msg, needle));
}

static const char pod_yaml[] = "apiVersion: v1\n"            /* 1 */
                               "kind: Pod\n"                 /* 2 */
                               "metadata:\n"                 /* 3 */
                               "  name: p1\n"                /* 4 */
                               "spec:\n"                     /* 5 */
                               "  containers:\n"             /* 6 */
                               "    - name: app\n"           /* 7 */
                               "      image: nginx:1.25\n"   /* 8 */
                               "      securityContext:\n"    /* 9 */
                               "        privileged: true\n"; /* 10 */

static void pod_basic(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, pod_yaml);
    assert_int_equal(f->set.nspecs, 1);
    assert_string_equal(f->set.file, "k.yaml");
    rs = spec(f, "Pod/p1 container app");
    assert_string_equal(rs->source_kind, "kubernetes");
    assert_string_equal(rs->owner, "Pod/p1");
    assert_string_equal(rs->container_role, "container");
    assert_loc(rs->loc, 7, 7, "spec.containers[0].name");
    assert_string_equal(rs->image.v, "nginx:1.25");
    assert_loc(rs->image.loc, 8, 7, "spec.containers[0].image");
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_loc(rs->privileged.loc, 10, 9, "spec.containers[0].securityContext.privileged");
    /* unset stays unset */
    assert_int_equal(rs->host_pid.v, BH_UNSET);
    assert_int_equal(rs->host_pid.loc.line, 0);
    assert_int_equal(rs->automount_sa_token.v, BH_UNSET);
    assert_int_equal(rs->allow_privilege_escalation.v, BH_UNSET);
    assert_null(rs->run_as_user.v);
    assert_null(rs->seccomp.v);
    assert_int_equal(rs->nmounts, 0);
    assert_null(rs->ignore_ids);
}

/* Each workload kind with its pod spec in its own place. */
static void every_workload_kind(void **state)
{
    static const struct {
        const char *kind, *pre, *path;
        int indent;
    } k[] = {
        {"Deployment", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"ReplicaSet", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"StatefulSet", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"DaemonSet", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"Job", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"ReplicationController", "spec:\n  template:\n    spec:\n", "spec.template.spec", 6},
        {"PodTemplate", "template:\n  spec:\n", "template.spec", 4},
        {"CronJob", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n",
         "spec.jobTemplate.spec.template.spec", 10},
        {"Pod", "spec:\n", "spec", 2},
    };
    struct fix *f = *state;
    size_t i;

    for (i = 0; i < sizeof(k) / sizeof(*k); i++) {
        char text[1024], name[128], path[128];
        const char *api = !strcmp(k[i].kind, "CronJob") || !strcmp(k[i].kind, "Job") ? "batch/v1"
                          : strchr("PR", k[i].kind[0]) && strcmp(k[i].kind, "ReplicaSet")
                              ? "v1"
                              : "apps/v1";
        const struct bh_runspec *rs;
        int pre_lines = 0;
        const char *c;

        for (c = k[i].pre; *c; c++)
            pre_lines += *c == '\n';
        snprintf(text, sizeof(text),
                 "apiVersion: %s\nkind: %s\nmetadata:\n  name: w%zu\n%s"
                 "%*scontainers:\n%*s- name: c\n%*s  image: img%zu\n",
                 api, k[i].kind, i, k[i].pre, k[i].indent, "", k[i].indent, "", k[i].indent, "", i);
        parse_ok(f, text);
        assert_int_equal(f->set.nspecs, 1);
        snprintf(name, sizeof(name), "%s/w%zu container c", k[i].kind, i);
        rs = spec(f, name);
        snprintf(name, sizeof(name), "img%zu", i);
        assert_string_equal(rs->image.v, name);
        snprintf(path, sizeof(path), "%s.containers[0].image", k[i].path);
        /* 4 header lines, the prefix, `containers:`, the item, then the image */
        assert_loc(rs->image.loc, 4 + pre_lines + 3, k[i].indent + 3, path);
    }
}

static void list_and_typed_list(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: v1\n"
                "kind: List\n"
                "items:\n"
                "  - apiVersion: v1\n"
                "    kind: ConfigMap\n"
                "    metadata: {name: cfg}\n"
                "  - apiVersion: apps/v1\n"
                "    kind: Deployment\n"
                "    metadata: {name: web}\n"
                "    spec:\n"
                "      template:\n"
                "        spec:\n"
                "          containers: [{name: app, image: web:1}]\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: PodList\n"
                "items:\n"
                "  - metadata: {name: a}\n"
                "    spec: {containers: [{name: x, image: 'a:1'}]}\n"
                "  - metadata: {name: b}\n"
                "    spec: {containers: [{name: y, image: 'b:1'}]}\n");
    assert_int_equal(f->set.nspecs, 3);
    rs = spec(f, "Deployment/web container app");
    assert_loc(rs->image.loc, 13, 36, "items[1].spec.template.spec.containers[0].image");
    rs = spec(f, "Pod/a container x");
    assert_string_equal(rs->image.v, "a:1");
    assert_string_equal(spec(f, "Pod/b container y")->owner, "Pod/b");
    assert_string_equal(spec(f, "Pod/b container y")->image.loc.path,
                        "items[1].spec.containers[0].image");
}

static void multi_document_and_empty_documents(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "---\n"
                "# only a comment\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Namespace\n"
                "metadata: {name: ns}\n"
                "---\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: one}\n"
                "spec: {containers: [{name: a, image: x}]}\n"
                "...\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: two}\n"
                "spec: {containers: [{name: b, image: y}]}\n");
    assert_int_equal(f->set.nspecs, 2);
    assert_int_equal(spec(f, "Pod/one container a")->loc.line, 12);
    assert_int_equal(spec(f, "Pod/two container b")->loc.line, 18);
    /* an empty stream is fine and empty */
    parse_ok(f, "");
    assert_int_equal(f->set.nspecs, 0);
    assert_int_equal(f->set.nservices, 0);
}

static void init_and_ephemeral_containers(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata:\n"
                "  name: p\n"
                "spec:\n"
                "  hostIPC: true\n"
                "  initContainers:\n"
                "    - name: migrate\n"
                "      image: m:1\n"
                "  containers:\n"
                "    - image: noname:1\n"
                "  ephemeralContainers:\n"
                "    - name: debug\n"
                "      image: busybox\n"
                "      securityContext:\n"
                "        capabilities: {add: [SYS_PTRACE]}\n");
    assert_int_equal(f->set.nspecs, 3);
    rs = spec(f, "Pod/p initContainer migrate");
    assert_string_equal(rs->container_role, "initContainer");
    assert_loc(rs->loc, 8, 7, "spec.initContainers[0].name");
    assert_int_equal(rs->host_ipc.v, BH_TRUE);
    /* no name: the item itself, and an index in the display name */
    rs = spec(f, "Pod/p container #0");
    assert_string_equal(rs->container_role, "container");
    assert_loc(rs->loc, 11, 7, "spec.containers[0]");
    rs = spec(f, "Pod/p ephemeralContainer debug");
    assert_string_equal(rs->container_role, "ephemeralContainer");
    assert_int_equal(rs->host_ipc.v, BH_TRUE);
    assert_loc(rs->host_ipc.loc, 6, 3, "spec.hostIPC");
    assert_int_equal(rs->cap_add.n, 1);
    assert_string_equal(rs->cap_add.v[0].v, "SYS_PTRACE");
    assert_loc(rs->cap_add.v[0].loc, 16, 30,
               "spec.ephemeralContainers[0].securityContext.capabilities.add[0]");
}

static const char inherit_yaml[] =
    "apiVersion: apps/v1\n"                                   /* 1 */
    "kind: Deployment\n"                                      /* 2 */
    "metadata: {name: web}\n"                                 /* 3 */
    "spec:\n"                                                 /* 4 */
    "  template:\n"                                           /* 5 */
    "    spec:\n"                                             /* 6 */
    "      hostPID: true\n"                                   /* 7 */
    "      hostNetwork: false\n"                              /* 8 */
    "      hostUsers: false\n"                                /* 9 */
    "      shareProcessNamespace: true\n"                     /* 10 */
    "      automountServiceAccountToken: false\n"             /* 11 */
    "      securityContext:\n"                                /* 12 */
    "        runAsUser: 1000\n"                               /* 13 */
    "        runAsGroup: 3000\n"                              /* 14 */
    "        runAsNonRoot: true\n"                            /* 15 */
    "        fsGroup: 2000\n"                                 /* 16 */
    "        supplementalGroups: [0, 4000]\n"                 /* 17 */
    "        seccompProfile: {type: Unconfined}\n"            /* 18 */
    "        appArmorProfile: {type: RuntimeDefault}\n"       /* 19 */
    "        seLinuxOptions: {type: spc_t, level: 's0:c1'}\n" /* 20 */
    "        windowsOptions: {hostProcess: false}\n"          /* 21 */
    "        sysctls:\n"                                      /* 22 */
    "          - name: net.core.somaxconn\n"                  /* 23 */
    "            value: '1024'\n"                             /* 24 */
    "      containers:\n"                                     /* 25 */
    "        - name: a\n"                                     /* 26 */
    "          image: a\n"                                    /* 27 */
    "        - name: b\n"                                     /* 28 */
    "          image: b\n"                                    /* 29 */
    "          securityContext:\n"                            /* 30 */
    "            runAsUser: 0\n"                              /* 31 */
    "            seccompProfile:\n"                           /* 32 */
    "              type: RuntimeDefault\n"                    /* 33 */
    "            seLinuxOptions: {level: 's0:c2'}\n"          /* 34 */
    "            windowsOptions: {hostProcess: true}\n";      /* 35 */

static void pod_level_inheritance_and_override(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *a, *b;

    parse_ok(f, inherit_yaml);
    a = spec(f, "Deployment/web container a");
    b = spec(f, "Deployment/web container b");
    /* pod-level fields reach every container, with the pod-level path */
    assert_int_equal(a->host_pid.v, BH_TRUE);
    assert_loc(a->host_pid.loc, 7, 7, "spec.template.spec.hostPID");
    assert_int_equal(b->host_pid.v, BH_TRUE);
    assert_int_equal(a->host_network.v, BH_FALSE);
    assert_int_equal(a->host_users.v, BH_FALSE);
    assert_int_equal(a->share_process_namespace.v, BH_TRUE);
    assert_int_equal(b->automount_sa_token.v, BH_FALSE);
    assert_loc(b->automount_sa_token.loc, 11, 7, "spec.template.spec.automountServiceAccountToken");
    assert_string_equal(a->run_as_user.v, "1000");
    assert_loc(a->run_as_user.loc, 13, 9, "spec.template.spec.securityContext.runAsUser");
    assert_string_equal(a->run_as_group.v, "3000");
    assert_int_equal(a->run_as_non_root.v, BH_TRUE);
    assert_string_equal(a->seccomp.v, "Unconfined");
    assert_loc(a->seccomp.loc, 18, 26, "spec.template.spec.securityContext.seccompProfile.type");
    assert_string_equal(a->apparmor.v, "RuntimeDefault");
    assert_string_equal(a->selinux_type.v, "spc_t");
    assert_string_equal(a->selinux_level.v, "s0:c1");
    assert_int_equal(a->host_process.v, BH_FALSE);
    /* supplementalGroups then fsGroup */
    assert_int_equal(a->group_add.n, 3);
    assert_string_equal(a->group_add.v[0].v, "0");
    assert_loc(a->group_add.v[0].loc, 17, 30,
               "spec.template.spec.securityContext.supplementalGroups[0]");
    assert_string_equal(a->group_add.v[1].v, "4000");
    assert_string_equal(a->group_add.v[2].v, "2000");
    assert_loc(a->group_add.v[2].loc, 16, 9, "spec.template.spec.securityContext.fsGroup");
    assert_int_equal(b->group_add.n, 3);
    assert_int_equal(a->sysctls.n, 1);
    assert_string_equal(a->sysctls.v[0].v, "net.core.somaxconn=1024");
    assert_loc(a->sysctls.v[0].loc, 23, 13, "spec.template.spec.securityContext.sysctls[0]");

    /* the container-level securityContext wins field by field */
    assert_string_equal(b->run_as_user.v, "0");
    assert_loc(b->run_as_user.loc, 31, 13,
               "spec.template.spec.containers[1].securityContext.runAsUser");
    assert_string_equal(b->run_as_group.v, "3000");
    assert_int_equal(b->run_as_non_root.v, BH_TRUE);
    assert_loc(b->run_as_non_root.loc, 15, 9, "spec.template.spec.securityContext.runAsNonRoot");
    assert_string_equal(b->seccomp.v, "RuntimeDefault");
    assert_loc(b->seccomp.loc, 33, 15,
               "spec.template.spec.containers[1].securityContext.seccompProfile.type");
    assert_string_equal(b->apparmor.v, "RuntimeDefault");
    /* seLinuxOptions is replaced as a whole, as the kubelet does */
    assert_null(b->selinux_type.v);
    assert_string_equal(b->selinux_level.v, "s0:c2");
    assert_int_equal(b->host_process.v, BH_TRUE);
    assert_loc(b->host_process.loc, 35, 30,
               "spec.template.spec.containers[1].securityContext.windowsOptions.hostProcess");
}

static void container_security_context(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: p}\n"
                "spec:\n"
                "  containers:\n"
                "    - name: c\n"
                "      image: x\n"
                "      imagePullPolicy: IfNotPresent\n"
                "      securityContext:\n"
                "        privileged: yes\n"
                "        allowPrivilegeEscalation: off\n"
                "        readOnlyRootFilesystem: On\n"
                "        runAsNonRoot: n\n"
                "        procMount: Unmasked\n"
                "        capabilities:\n"
                "          add: [sys_admin, CAP_NET_ADMIN]\n"
                "          drop:\n"
                "            - all\n"
                "        appArmorProfile:\n"
                "          type: Localhost\n"
                "          localhostProfile: my\n"
                "        seLinuxOptions: {type: container_t, user: u, role: r}\n");
    rs = spec(f, "Pod/p container c");
    /* YAML 1.1 booleans in every case */
    assert_int_equal(rs->privileged.v, BH_TRUE);
    assert_int_equal(rs->allow_privilege_escalation.v, BH_FALSE);
    assert_loc(rs->allow_privilege_escalation.loc, 11, 9,
               "spec.containers[0].securityContext.allowPrivilegeEscalation");
    assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
    assert_int_equal(rs->run_as_non_root.v, BH_FALSE);
    assert_string_equal(rs->proc_mount.v, "Unmasked");
    assert_string_equal(rs->pull_policy.v, "IfNotPresent");
    /* capabilities as written */
    assert_int_equal(rs->cap_add.n, 2);
    assert_string_equal(rs->cap_add.v[0].v, "sys_admin");
    assert_string_equal(rs->cap_add.v[1].v, "CAP_NET_ADMIN");
    assert_loc(rs->cap_add.v[1].loc, 16, 28,
               "spec.containers[0].securityContext.capabilities.add[1]");
    assert_int_equal(rs->cap_drop.n, 1);
    assert_string_equal(rs->cap_drop.v[0].v, "all");
    assert_loc(rs->cap_drop.v[0].loc, 18, 15,
               "spec.containers[0].securityContext.capabilities.drop[0]");
    assert_string_equal(rs->apparmor.v, "Localhost");
    assert_loc(rs->apparmor.loc, 20, 11, "spec.containers[0].securityContext.appArmorProfile.type");
    assert_string_equal(rs->selinux_type.v, "container_t");
    assert_string_equal(rs->selinux_user.v, "u");
    assert_string_equal(rs->selinux_role.v, "r");
    assert_null(rs->selinux_level.v);
}

static void legacy_annotations(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f,
             "apiVersion: apps/v1\n"
             "kind: DaemonSet\n"
             "metadata: {name: ds}\n"
             "spec:\n"
             "  template:\n"
             "    metadata:\n"
             "      annotations:\n"
             "        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"        /* 8 */
             "        container.seccomp.security.alpha.kubernetes.io/b: unconfined\n"     /* 9 */
             "        container.apparmor.security.beta.kubernetes.io/a: localhost/prof\n" /* 10 */
             "        container.apparmor.security.beta.kubernetes.io/b: unconfined\n"     /* 11 */
             "        container.seccomp.security.alpha.kubernetes.io/c: docker/default\n" /* 12 */
             "    spec:\n"
             "      containers:\n"
             "        - {name: a, image: a}\n"
             "        - {name: b, image: b}\n"
             "        - name: c\n"
             "          image: c\n"
             "          securityContext: {seccompProfile: {type: Localhost}}\n");
    rs = spec(f, "DaemonSet/ds container a");
    assert_string_equal(rs->seccomp.v, "RuntimeDefault");
    assert_loc(rs->seccomp.loc, 8, 9,
               "spec.template.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']");
    assert_string_equal(rs->apparmor.v, "Localhost");
    assert_int_equal(rs->apparmor.loc.line, 10);
    /* the container annotation beats the pod annotation */
    rs = spec(f, "DaemonSet/ds container b");
    assert_string_equal(rs->seccomp.v, "Unconfined");
    assert_int_equal(rs->seccomp.loc.line, 9);
    assert_string_equal(rs->apparmor.v, "Unconfined");
    assert_int_equal(rs->apparmor.loc.line, 11);
    /* fields beat annotations */
    rs = spec(f, "DaemonSet/ds container c");
    assert_string_equal(rs->seccomp.v, "Localhost");
    assert_int_equal(rs->seccomp.loc.line, 19);
    assert_null(rs->apparmor.v);

    /* a pod-level field also beats a container annotation; Pod metadata counts */
    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata:\n"
                "  name: p\n"
                "  annotations:\n"
                "    container.seccomp.security.alpha.kubernetes.io/x: unconfined\n"
                "    container.apparmor.security.beta.kubernetes.io/x: runtime/default\n"
                "spec:\n"
                "  securityContext: {seccompProfile: {type: RuntimeDefault}}\n"
                "  containers: [{name: x, image: x}]\n");
    rs = spec(f, "Pod/p container x");
    assert_string_equal(rs->seccomp.v, "RuntimeDefault");
    assert_int_equal(rs->seccomp.loc.line, 9);
    assert_string_equal(rs->apparmor.v, "RuntimeDefault");
    assert_loc(rs->apparmor.loc, 7, 5,
               "metadata.annotations['container.apparmor.security.beta.kubernetes.io/x']");
}

static void ignore_annotation(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: batch/v1\n"
                "kind: Job\n"
                "metadata:\n"
                "  name: j\n"
                "  annotations:\n"
                "    bulkhead.dev/ignore: RUN-ROOT\n"
                "spec:\n"
                "  template:\n"
                "    metadata:\n"
                "      annotations: {bulkhead.dev/ignore: 'RUN-PRIV,RUN-CAPADD'}\n"
                "    spec:\n"
                "      containers: [{name: c, image: x}]\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata:\n"
                "  name: p\n"
                "spec:\n"
                "  containers: [{name: c, image: x}]\n");
    rs = spec(f, "Job/j container c");
    assert_string_equal(rs->ignore_ids, "RUN-ROOT,RUN-PRIV,RUN-CAPADD");
    assert_loc(rs->ignore_loc, 6, 5, "metadata.annotations['bulkhead.dev/ignore']");
    assert_null(spec(f, "Pod/p container c")->ignore_ids);

    /* only the template carries it */
    parse_ok(f, "apiVersion: apps/v1\n"
                "kind: StatefulSet\n"
                "metadata: {name: s}\n"
                "spec:\n"
                "  template:\n"
                "    metadata:\n"
                "      annotations:\n"
                "        bulkhead.dev/ignore: RUN-HOSTPATH\n"
                "    spec:\n"
                "      containers: [{name: c, image: x}]\n");
    rs = spec(f, "StatefulSet/s container c");
    assert_string_equal(rs->ignore_ids, "RUN-HOSTPATH");
    assert_loc(rs->ignore_loc, 8, 9, "spec.template.metadata.annotations['bulkhead.dev/ignore']");
}

static const char volumes_yaml[] =
    "apiVersion: v1\n"                                                     /* 1 */
    "kind: Pod\n"                                                          /* 2 */
    "metadata: {name: v}\n"                                                /* 3 */
    "spec:\n"                                                              /* 4 */
    "  volumes:\n"                                                         /* 5 */
    "    - name: sock\n"                                                   /* 6 */
    "      hostPath:\n"                                                    /* 7 */
    "        path: /var/run//docker.sock\n"                                /* 8 */
    "        type: Socket\n"                                               /* 9 */
    "    - name: data\n"                                                   /* 10 */
    "      emptyDir: {}\n"                                                 /* 11 */
    "    - name: dev\n"                                                    /* 12 */
    "      hostPath: {path: /dev/kmsg, type: CharDevice}\n"                /* 13 */
    "    - name: nfs\n"                                                    /* 14 */
    "      nfs: {server: s, path: /x}\n"                                   /* 15 */
    "    - name: cache\n"                                                  /* 16 */
    "      hostPath:\n"                                                    /* 17 */
    "        path: /var/cache/app/\n"                                      /* 18 */
    "        type: DirectoryOrCreate\n"                                    /* 19 */
    "  containers:\n"                                                      /* 20 */
    "    - name: a\n"                                                      /* 21 */
    "      image: a\n"                                                     /* 22 */
    "      volumeMounts:\n"                                                /* 23 */
    "        - name: sock\n"                                               /* 24 */
    "          mountPath: /tmp/d.sock\n"                                   /* 25 */
    "          readOnly: yes\n"                                            /* 26 */
    "        - name: data\n"                                               /* 27 */
    "          mountPath: /data\n"                                         /* 28 */
    "        - name: nfs\n"                                                /* 29 */
    "          mountPath: /nfs\n"                                          /* 30 */
    "          mountPropagation: Bidirectional\n"                          /* 31 */
    "        - name: missing\n"                                            /* 32 */
    "          mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n" /* 33 */
    "    - name: b\n"                                                      /* 34 */
    "      image: b\n"                                                     /* 35 */
    "      volumeMounts: [{name: dev, mountPath: /dev/kmsg}]\n";           /* 36 */

static void volumes_and_mounts(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *a, *b;
    const struct bh_mount *m;

    parse_ok(f, volumes_yaml);
    a = spec(f, "Pod/v container a");
    b = spec(f, "Pod/v container b");
    /* 4 mounts of its own, then the unmounted `cache` volume */
    assert_int_equal(a->nmounts, 5);
    m = &a->mounts[0];
    assert_int_equal(m->kind, BH_MOUNT_HOSTPATH);
    assert_string_equal(m->source, "/run/docker.sock");
    assert_string_equal(m->source_raw, "/var/run//docker.sock");
    assert_string_equal(m->target, "/tmp/d.sock");
    assert_true(m->read_only);
    assert_string_equal(m->hostpath_type, "Socket");
    assert_null(m->propagation);
    assert_loc(m->loc, 8, 9, "spec.volumes[0].hostPath.path");
    m = &a->mounts[1];
    assert_int_equal(m->kind, BH_MOUNT_VOLUME);
    assert_string_equal(m->source, "emptyDir");
    assert_string_equal(m->source_raw, "data");
    assert_string_equal(m->target, "/data");
    assert_false(m->read_only);
    assert_loc(m->loc, 27, 11, "spec.containers[0].volumeMounts[1]");
    m = &a->mounts[2];
    assert_int_equal(m->kind, BH_MOUNT_OTHER);
    assert_string_equal(m->source, "nfs");
    assert_string_equal(m->propagation, "Bidirectional");
    m = &a->mounts[3];
    assert_int_equal(m->kind, BH_MOUNT_OTHER);
    assert_null(m->source);
    assert_string_equal(m->source_raw, "missing");
    assert_string_equal(m->target, "/var/run/secrets/kubernetes.io/serviceaccount");
    m = &a->mounts[4];
    assert_int_equal(m->kind, BH_MOUNT_HOSTPATH);
    assert_null(m->target);
    assert_string_equal(m->source, "/var/cache/app");
    assert_string_equal(m->hostpath_type, "DirectoryOrCreate");
    assert_loc(m->loc, 18, 9, "spec.volumes[4].hostPath.path");

    assert_int_equal(b->nmounts, 1);
    m = &b->mounts[0];
    assert_int_equal(m->kind, BH_MOUNT_HOSTPATH);
    assert_string_equal(m->source, "/dev/kmsg");
    assert_string_equal(m->hostpath_type, "CharDevice");
    assert_string_equal(m->target, "/dev/kmsg");
    assert_loc(m->loc, 13, 18, "spec.volumes[2].hostPath.path");
}

static void ports_env_resources_probes(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: p}\n"
                "spec:\n"
                "  containers:\n"
                "    - name: c\n"
                "      image: x\n"
                "      ports:\n"
                "        - containerPort: 8080\n"                              /* 9 */
                "        - {containerPort: 53, hostPort: 53, protocol: UDP}\n" /* 10 */
                "        - containerPort: 22:22\n"                             /* 11 */
                "          hostPort: 2222\n"
                "          hostIP: 127.0.0.1\n"
                "      env:\n"
                "        - name: DB_PASSWORD\n" /* 15 */
                "          value: hunter2\n"
                "        - name: FROM_SECRET\n"
                "          valueFrom: {secretKeyRef: {name: s, key: k}}\n"
                "        - name: EMPTY\n"
                "      resources:\n"
                "        requests: {memory: 1Gi}\n"
                "        limits:\n"
                "          memory: 512Mi\n" /* 23 */
                "          cpu: 0.5\n"
                "      livenessProbe:\n"
                "        httpGet: {host: 169.254.169.254, path: /, port: 80}\n" /* 26 */
                "      readinessProbe:\n"
                "        tcpSocket: {port: 80}\n"
                "      lifecycle:\n"
                "        preStop:\n"
                "          tcpSocket:\n"
                "            host: db.internal\n" /* 32 */
                "            port: 5432\n");
    rs = spec(f, "Pod/p container c");
    assert_int_equal(rs->nports, 3);
    assert_int_equal(rs->ports[0].cont_lo, 8080);
    assert_int_equal(rs->ports[0].cont_hi, 8080);
    assert_false(rs->ports[0].published);
    assert_int_equal(rs->ports[0].host_lo, 0);
    assert_string_equal(rs->ports[0].proto, "tcp");
    assert_false(rs->ports[0].yaml_base60);
    assert_loc(rs->ports[0].loc, 9, 11, "spec.containers[0].ports[0]");
    assert_true(rs->ports[1].published);
    assert_int_equal(rs->ports[1].host_lo, 53);
    assert_null(rs->ports[1].host_ip);
    assert_string_equal(rs->ports[1].proto, "udp");
    assert_loc(rs->ports[1].loc, 10, 11, "spec.containers[0].ports[1]");
    /* YAML 1.1 base 60: 22:22 is 1342 */
    assert_int_equal(rs->ports[2].cont_lo, 1342);
    assert_true(rs->ports[2].yaml_base60);
    assert_int_equal(rs->ports[2].host_lo, 2222);
    assert_string_equal(rs->ports[2].host_ip, "127.0.0.1");
    assert_string_equal(rs->ports[2].raw, "127.0.0.1:2222:1342/tcp");

    assert_int_equal(rs->env.n, 2);
    assert_string_equal(rs->env.v[0].v, "DB_PASSWORD=hunter2");
    assert_loc(rs->env.v[0].loc, 15, 11, "spec.containers[0].env[0]");
    assert_string_equal(rs->env.v[1].v, "EMPTY=");

    assert_string_equal(rs->mem_limit.v, "512Mi");
    assert_loc(rs->mem_limit.loc, 23, 11, "spec.containers[0].resources.limits.memory");
    assert_string_equal(rs->cpu_limit.v, "0.5");
    assert_null(rs->pids_limit.v);

    assert_int_equal(rs->nprobe_hosts, 2);
    assert_string_equal(rs->probe_hosts[0].host, "169.254.169.254");
    assert_loc(rs->probe_hosts[0].loc, 26, 19, "spec.containers[0].livenessProbe.httpGet.host");
    assert_string_equal(rs->probe_hosts[1].host, "db.internal");
    assert_loc(rs->probe_hosts[1].loc, 32, 13,
               "spec.containers[0].lifecycle.preStop.tcpSocket.host");
}

static void quoted_port_is_not_base60(void **state)
{
    struct fix *f = *state;

    /* a quoted port is a string, which the API refuses */
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  containers:\n    - name: c\n      ports:\n"
                        "        - containerPort: \"22:22\"\n"),
               BH_EPARSE, 8, 26, "'spec.containers[0].ports[0].containerPort' must be an integer");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  containers:\n    - name: c\n      ports:\n"
                        "        - containerPort: 70000\n"),
               BH_EPARSE, 8, 26, "out of range");
}

static void services(void **state)
{
    struct fix *f = *state;
    const struct bh_service *s;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Service\n"
                "metadata:\n"
                "  name: web\n"
                "  annotations: {bulkhead.dev/ignore: RUN-PORTS-ALL}\n"
                "spec:\n"
                "  type: NodePort\n"
                "  externalIPs: [203.0.113.7]\n"
                "  ports:\n"
                "    - port: 80\n"
                "      targetPort: http\n"
                "      nodePort: 30080\n"
                "    - {port: 53, protocol: UDP}\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata: {name: internal}\n"
                "spec:\n"
                "  ports: [{port: 8080}]\n"
                "---\n"
                "apiVersion: serving.knative.dev/v1\n"
                "kind: Service\n"
                "metadata: {name: kn}\n"
                "spec: {template: {spec: {containers: [{image: x}]}}}\n");
    assert_int_equal(f->set.nspecs, 0);
    assert_int_equal(f->set.nservices, 2);
    s = &f->set.services[0];
    assert_string_equal(s->name, "Service/web");
    assert_loc(s->loc, 4, 3, "metadata.name");
    assert_string_equal(s->type.v, "NodePort");
    assert_loc(s->type.loc, 7, 3, "spec.type");
    assert_int_equal(s->external_ips.n, 1);
    assert_string_equal(s->external_ips.v[0].v, "203.0.113.7");
    assert_loc(s->external_ips.v[0].loc, 8, 17, "spec.externalIPs[0]");
    assert_int_equal(s->nports, 2);
    assert_int_equal(s->ports[0].cont_lo, 80);
    assert_int_equal(s->ports[0].host_lo, 30080);
    assert_true(s->ports[0].published);
    assert_loc(s->ports[0].loc, 10, 7, "spec.ports[0]");
    assert_int_equal(s->ports[1].host_lo, 0);
    assert_string_equal(s->ports[1].proto, "udp");
    assert_string_equal(s->ignore_ids, "RUN-PORTS-ALL");
    s = &f->set.services[1];
    assert_string_equal(s->name, "Service/internal");
    assert_string_equal(s->type.v, "ClusterIP");
    assert_false(s->ports[0].published);
    assert_null(s->ignore_ids);
}

static void skipped_kinds_and_custom_resources(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
                "---\n"
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n"
                "rules: []\n"
                "---\n"
                "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
                "spec: {template: {spec: {containers: [{image: x}]}}}\n"
                "---\n"
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: patch}\n"
                "spec: {replicas: 3}\n");
    assert_int_equal(f->set.nspecs, 0);
    assert_int_equal(f->set.nservices, 0);
}

static void inline_ignores(void **state)
{
    struct fix *f = *state;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: p}\n"
                "spec:\n"
                "  containers:\n"
                "    - name: c\n"
                "      image: x\n"
                "      # bulkhead:ignore=RUN-PRIV lab only\n"
                "      securityContext: {privileged: true}\n");
    assert_int_equal(f->set.nignores, 1);
    assert_int_equal(f->set.ignores[0].line, 8);
    assert_int_equal(f->set.ignores[0].applies_line, 9);
    assert_int_equal(f->set.ignores[0].nids, 1);
    assert_string_equal(f->set.ignores[0].ids[0], "RUN-PRIV");
}

static void anchors_and_merge_keys(void **state)
{
    struct fix *f = *state;
    const struct bh_runspec *rs;

    parse_ok(f, "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata: {name: p}\n"
                "spec:\n"
                "  containers:\n"
                "    - &base\n"
                "      name: a\n"
                "      image: x\n"
                "      securityContext: {privileged: true}\n"
                "    - <<: *base\n"
                "      name: b\n");
    rs = spec(f, "Pod/p container b");
    assert_string_equal(rs->image.v, "x");
    assert_int_equal(rs->privileged.v, BH_TRUE);
}

/* ---- errors ---- */

static void unknown_workload_kind_typo(void **state)
{
    struct fix *f = *state;

    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n"
                        "spec: {containers: [{name: a, image: x}]}\n"
                        "---\n"
                        "apiVersion: apps/v1\n"
                        "kind: Deploymnet\n"
                        "metadata: {name: web}\n"
                        "spec:\n"
                        "  template:\n"
                        "    spec:\n"
                        "      containers: [{name: a, image: x}]\n"),
               BH_EPARSE, 7, 7, "unknown kind 'Deploymnet' with a pod template");
    assert_err(f, parse(f, "apiVersion: v1\nkind: pod\nspec:\n  containers: []\n"), BH_EPARSE, 2, 7,
               "unknown kind 'pod'");
}

static void missing_and_invalid_identity(void **state)
{
    struct fix *f = *state;

    assert_err(f, parse(f, "kind: Pod\nmetadata: {name: p}\n"), BH_EPARSE, 1, 1,
               "missing 'apiVersion'");
    assert_err(f, parse(f, "---\napiVersion: v1\nmetadata: {name: p}\n"), BH_EPARSE, 2, 1,
               "missing 'kind'");
    assert_err(f, parse(f, "apiVersion: v1\nkind: ''\n"), BH_EPARSE, 2, 7, "invalid kind");
    assert_err(f, parse(f, "apiVersion: v1\nkind: [Pod]\n"), BH_EPARSE, 2, 7, "invalid kind");
    assert_err(f, parse(f, "apiVersion: v1\nkind: 'Pod Set'\n"), BH_EPARSE, 2, 7, "invalid kind");
    assert_err(f, parse(f, "apiVersion: {a: b}\nkind: Pod\n"), BH_EPARSE, 1, 13, "apiVersion");
    assert_err(f, parse(f, "- apiVersion: v1\n- kind: Pod\n"), BH_EPARSE, 1, 1,
               "must be a mapping, not a sequence");
    assert_err(f, parse(f, "apiVersion: v1\nkind: Pod\n---\njust text\n"), BH_EPARSE, 4, 1,
               "must be a mapping, not a scalar");
}

static void bad_types_in_pod_spec(void **state)
{
    struct fix *f = *state;

    assert_err(f,
               parse(f, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                        "spec:\n  template:\n    spec:\n      containers:\n        name: a\n"),
               BH_EPARSE, 8, 9,
               "'spec.template.spec.containers' must be a sequence, not a mapping");
    assert_err(f,
               parse(f, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                        "spec:\n  template: [1, 2]\n"),
               BH_EPARSE, 5, 13, "'spec.template' must be a mapping, not a sequence");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  containers:\n    - nginx\n"),
               BH_EPARSE, 6, 7, "'spec.containers[0]' must be a mapping, not a scalar");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  containers:\n    - name: c\n"
                        "      securityContext: {privileged: maybe}\n"),
               BH_EPARSE, 7, 37,
               "'spec.containers[0].securityContext.privileged' must be a boolean");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  hostPID: \"true\"\n  containers: []\n"),
               BH_EPARSE, 5, 12, "'spec.hostPID' must be a boolean");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  securityContext: {runAsUser: root}\n  containers: []\n"),
               BH_EPARSE, 5, 32, "'spec.securityContext.runAsUser' must be an integer");
    assert_err(f,
               parse(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec:\n  containers:\n    - name: c\n      image: [a]\n"),
               BH_EPARSE, 7, 14, "'spec.containers[0].image' must be a scalar");
    assert_err(f, parse(f, "apiVersion: v1\nkind: List\nitems: {a: b}\n"), BH_EPARSE, 3, 8,
               "'items' must be a sequence");
}

static void malformed_yaml(void **state)
{
    struct fix *f = *state;
    int rc = parse(f, "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n");

    assert_int_equal(rc, BH_EPARSE);
    assert_string_equal(f->err.file, "k.yaml");
    assert_true(f->err.line >= 4);
    assert_true(f->err.col > 0);
    assert_err(f, parse(f, "apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  hostPID: false\n"),
               BH_EPARSE, 5, 3, "duplicate");
}

static void alias_bomb_is_a_limit(void **state)
{
    struct fix *f = *state;
    const char *bomb = "apiVersion: v1\nkind: ConfigMap\n"
                       "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    clock_t t0 = clock();
    int rc = parse(f, bomb);

    assert_int_equal(rc, BH_ELIMIT);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
}

static void deep_nesting_is_a_limit(void **state)
{
    struct fix *f = *state;
    char text[4096];
    size_t n = 0;
    int i;
    clock_t t0 = clock();
    int rc;

    n += (size_t)snprintf(text, sizeof(text), "apiVersion: v1\nkind: ConfigMap\ndata: ");
    for (i = 0; i < 100; i++)
        text[n++] = '[';
    for (i = 0; i < 100; i++)
        text[n++] = ']';
    text[n++] = '\n';
    text[n] = '\0';
    rc = parse(f, text);
    assert_int_equal(rc, BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_KUBE_DEPTH"));
    /* the document root is level 1, `data:`'s value level 2: the limit is crossed inside it */
    assert_int_equal(f->err.line, 3);
    assert_int_equal(f->err.col, 7 + (int)BH_MAX_KUBE_DEPTH - 1);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);

    /* nesting just inside the limit is fine */
    n = (size_t)snprintf(text, sizeof(text), "apiVersion: v1\nkind: ConfigMap\ndata: ");
    for (i = 0; i < (int)BH_MAX_KUBE_DEPTH - 2; i++)
        text[n++] = '[';
    for (i = 0; i < (int)BH_MAX_KUBE_DEPTH - 2; i++)
        text[n++] = ']';
    text[n] = '\0';
    parse_ok(f, text);
}

static void nested_lists_are_bounded(void **state)
{
    struct fix *f = *state;
    char text[4096];
    size_t n = 0;
    unsigned i;

    for (i = 0; i <= BH_MAX_KUBE_LIST_NESTING; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "{apiVersion: v1, kind: List, items: [");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "{apiVersion: v1, kind: Pod}");
    for (i = 0; i <= BH_MAX_KUBE_LIST_NESTING; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "]}");
    assert_int_equal(parse(f, text), BH_ELIMIT);
    assert_non_null(strstr(f->err.msg, "BH_MAX_KUBE_LIST_NESTING"));
}

static void allocation_failure_is_clean(void **state)
{
    size_t max;
    int failures = 0;

    (void)state;
    for (max = 256; max < (4u << 20); max = max * 5 / 4) {
        struct bh_arena a;
        struct bh_err err;
        struct bh_runset set;
        int rc;

        bh_arena_init(&a, max);
        bh_err_init(&err);
        rc = bh_kube_parse(&a, "k.yaml", volumes_yaml, strlen(volumes_yaml), &set, &err);
        if (rc) {
            assert_int_equal(rc, BH_ENOMEM);
            assert_int_equal(err.code, BH_ENOMEM);
            failures++;
        } else {
            assert_int_equal(set.nspecs, 2);
            assert_int_equal(set.specs[0].nmounts, 5);
        }
        bh_arena_release(&a);
    }
    assert_true(failures > 0);
}

static void bids(void **state)
{
    static const char k8s[] = "# comment\napiVersion: apps/v1\nkind: Deployment\n";
    static const char two[] =
        "apiVersion: v1\n---\nkind: Pod\n---\nkind: Pod\r\napiVersion: v1\r\n";
    static const char nested[] = "spec:\n  apiVersion: v1\n  kind: Pod\n";
    static const char compose[] = "services:\n  web:\n    image: nginx\n";
    static const char prefixed[] = "apiVersions: v1\nkinds: Pod\n";

    (void)state;
    assert_int_equal(bh_kube_bid("deploy.yaml", NULL, 0), 0);
    assert_int_equal(bh_kube_bid("deploy.yaml", k8s, strlen(k8s)), 90);
    assert_int_equal(bh_kube_bid(NULL, k8s, strlen(k8s)), 90);
    /* both keys must be in the same document */
    assert_int_equal(bh_kube_bid("x", two, strlen("apiVersion: v1\n---\nkind: Pod\n")), 0);
    assert_int_equal(bh_kube_bid("x", two, strlen(two)), 90);
    assert_int_equal(bh_kube_bid("x", nested, strlen(nested)), 0);
    assert_int_equal(bh_kube_bid("compose.yaml", compose, strlen(compose)), 0);
    assert_int_equal(bh_kube_bid("x", prefixed, strlen(prefixed)), 0);
    /* a truncated head still counts what it holds */
    assert_int_equal(bh_kube_bid("x", k8s, strlen(k8s) - 15), 0);
}

static void examples_read(void **state)
{
    struct fix *f = *state;
    static const char *const files[] = {"examples/unsafe/k8s-deployment.yaml",
                                        "examples/fixed/k8s-deployment.yaml"};
    size_t i;

    for (i = 0; i < 2; i++) {
        char path[1024], buf[8192];
        FILE *fp;
        size_t n;
        const struct bh_runspec *rs;

        snprintf(path, sizeof(path), "%s/%s", BH_SOURCE_ROOT, files[i]);
        fp = fopen(path, "rb");
        assert_non_null(fp);
        n = fread(buf, 1, sizeof(buf) - 1, fp);
        fclose(fp);
        buf[n] = '\0';
        assert_int_equal(bh_kube_bid(files[i], buf, n), 90);
        bh_err_init(&f->err);
        assert_int_equal(bh_kube_parse(&f->a, files[i], buf, n, &f->set, &f->err), 0);
        assert_int_equal(f->set.nspecs, 1);
        assert_int_equal(f->set.nservices, 1);
        rs = spec(f, "Deployment/web container app");
        if (i == 0) {
            assert_int_equal(rs->privileged.v, BH_TRUE);
            assert_int_equal(rs->host_pid.v, BH_TRUE);
            assert_string_equal(rs->mounts[0].source, "/run/docker.sock");
            assert_string_equal(rs->run_as_user.v, "0");
            assert_int_equal(rs->automount_sa_token.v, BH_UNSET);
            assert_string_equal(f->set.services[0].type.v, "NodePort");
        } else {
            assert_int_equal(rs->read_only_rootfs.v, BH_TRUE);
            assert_int_equal(rs->allow_privilege_escalation.v, BH_FALSE);
            assert_string_equal(rs->run_as_user.v, "10001");
            assert_string_equal(rs->seccomp.v, "RuntimeDefault");
            assert_int_equal(rs->automount_sa_token.v, BH_FALSE);
            assert_int_equal(rs->env.n, 0);
            assert_string_equal(f->set.services[0].type.v, "ClusterIP");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pod_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(every_workload_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(list_and_typed_list, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_document_and_empty_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(init_and_ephemeral_containers, setup, teardown),
        cmocka_unit_test_setup_teardown(pod_level_inheritance_and_override, setup, teardown),
        cmocka_unit_test_setup_teardown(container_security_context, setup, teardown),
        cmocka_unit_test_setup_teardown(legacy_annotations, setup, teardown),
        cmocka_unit_test_setup_teardown(ignore_annotation, setup, teardown),
        cmocka_unit_test_setup_teardown(volumes_and_mounts, setup, teardown),
        cmocka_unit_test_setup_teardown(ports_env_resources_probes, setup, teardown),
        cmocka_unit_test_setup_teardown(quoted_port_is_not_base60, setup, teardown),
        cmocka_unit_test_setup_teardown(services, setup, teardown),
        cmocka_unit_test_setup_teardown(skipped_kinds_and_custom_resources, setup, teardown),
        cmocka_unit_test_setup_teardown(inline_ignores, setup, teardown),
        cmocka_unit_test_setup_teardown(anchors_and_merge_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_workload_kind_typo, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_and_invalid_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_types_in_pod_spec, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_bomb_is_a_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(deep_nesting_is_a_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_lists_are_bounded, setup, teardown),
        cmocka_unit_test(allocation_failure_is_clean),
        cmocka_unit_test(bids),
        cmocka_unit_test_setup_teardown(examples_read, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
