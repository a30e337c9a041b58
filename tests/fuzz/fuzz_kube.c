/*
 * fuzz_kube.c - libFuzzer target for the Kubernetes manifest reader: bids on
 * and parses the input, then checks what it promised about every runspec and
 * Service (set fields located, strings terminated, failures described).
 */
#include "core/arena.h"
#include "input/kube.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *__lsan_default_suppressions(void);

/* libfyaml 0.7.12 leaks a text buffer for some block scalars (see fuzz_yaml.c). */
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

static void check_loc(const struct bh_loc *l, size_t size)
{
    if (l->line < 0 || l->col < 0 || (size_t)l->line > size + 1)
        abort();
    if (l->line > 0 && (!l->file || l->col == 0))
        abort();
}

static void check_str(const struct bh_rs_str *s, size_t size)
{
    if (s->v) {
        (void)strlen(s->v);
        check_loc(&s->loc, size);
        if (s->loc.line == 0)
            abort(); /* a set field remembers where */
    } else if (s->loc.line != 0) {
        abort();
    }
}

static void check_list(const struct bh_rs_list *l, size_t size)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (!l->v[i].v)
            abort();
        check_str(&l->v[i], size);
    }
}

static void check_bool(const struct bh_rs_bool *b, size_t size)
{
    if (b->v != BH_UNSET && b->v != BH_TRUE && b->v != BH_FALSE)
        abort();
    if ((b->v == BH_UNSET) != (b->loc.line == 0))
        abort();
    check_loc(&b->loc, size);
}

static void check_ports(const struct bh_port *p, size_t n, size_t size)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!p[i].raw || !p[i].proto || p[i].cont_lo > 65535 || p[i].host_lo > 65535)
            abort();
        check_loc(&p[i].loc, size);
    }
}

static void check_spec(const struct bh_runspec *rs, size_t size)
{
    const struct bh_rs_str *strs[] = {&rs->image,        &rs->run_as_user,  &rs->run_as_group,
                                      &rs->seccomp,      &rs->apparmor,     &rs->selinux_type,
                                      &rs->selinux_user, &rs->selinux_role, &rs->selinux_level,
                                      &rs->proc_mount,   &rs->pull_policy,  &rs->mem_limit,
                                      &rs->cpu_limit};
    const struct bh_rs_bool *bools[] = {&rs->privileged,
                                        &rs->run_as_non_root,
                                        &rs->host_pid,
                                        &rs->host_ipc,
                                        &rs->host_network,
                                        &rs->host_users,
                                        &rs->share_process_namespace,
                                        &rs->allow_privilege_escalation,
                                        &rs->read_only_rootfs,
                                        &rs->automount_sa_token,
                                        &rs->host_process};
    const struct bh_rs_list *lists[] = {&rs->group_add, &rs->cap_add, &rs->cap_drop, &rs->sysctls,
                                        &rs->env};
    size_t i;

    if (!rs->name || !rs->owner || !rs->container_role || strcmp(rs->source_kind, "kubernetes"))
        abort();
    check_loc(&rs->loc, size);
    for (i = 0; i < sizeof(strs) / sizeof(*strs); i++)
        check_str(strs[i], size);
    for (i = 0; i < sizeof(bools) / sizeof(*bools); i++)
        check_bool(bools[i], size);
    for (i = 0; i < sizeof(lists) / sizeof(*lists); i++)
        check_list(lists[i], size);
    for (i = 0; i < rs->nmounts; i++) {
        const struct bh_mount *m = &rs->mounts[i];

        if (m->kind == BH_MOUNT_HOSTPATH && m->source_raw && !m->source)
            abort();
        if (m->kind == BH_MOUNT_VOLUME && !m->source)
            abort();
        check_loc(&m->loc, size);
    }
    check_ports(rs->ports, rs->nports, size);
    for (i = 0; i < rs->nprobe_hosts; i++) {
        if (!rs->probe_hosts[i].host || !*rs->probe_hosts[i].host)
            abort();
        check_loc(&rs->probe_hosts[i].loc, size);
    }
    if (rs->ignore_ids && rs->ignore_loc.line == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_arena a;
    struct bh_err err;
    struct bh_runset set;
    size_t i;
    int rc;

    (void)bh_kube_bid("fuzz.yaml", (const char *)data, size);
    bh_arena_init(&a, 256u << 20);
    bh_err_init(&err);
    rc = bh_kube_parse(&a, "fuzz.yaml", (const char *)data, size, &set, &err);
    if (rc == 0) {
        for (i = 0; i < set.nspecs; i++)
            check_spec(&set.specs[i], size);
        for (i = 0; i < set.nservices; i++) {
            if (!set.services[i].name || !set.services[i].type.v)
                abort();
            check_list(&set.services[i].external_ips, size);
            check_ports(set.services[i].ports, set.services[i].nports, size);
        }
    } else if (err.code != rc || err.msg[0] == '\0') {
        abort(); /* every failure must be described */
    }
    bh_arena_release(&a);
    return 0;
}
