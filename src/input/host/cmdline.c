/*
 * cmdline.c - a dockerd command line as daemon settings: every flag that has a daemon.json
 * key is mapped to it ("--flag value", "--flag=value", "-H value", "-Hvalue", booleans bare
 * or "=false", list flags repeated). Unknown flags keep their own name (a daemon.json key
 * usually); an unknown flag without "=" takes the next word as its value unless that word is
 * a flag. It does not read the unit or the environment the line came from.
 */
#include "input/host.h"

#include "core/arena.h"
#include "core/limits.h"
#include "input/host/hostint.h"

enum argkind { A_VAL, A_BOOL };

struct dflag {
    const char *name;  /* long name without "--" */
    char shortname;    /* or 0 */
    const char *key;   /* daemon.json key */
    enum argkind kind; /* list flags are A_VAL: every occurrence is one setting */
};

/* dockerd flags and their daemon.json keys (kept in the order dockerd --help lists them) */
static const struct dflag flags[] = {
    {"add-runtime", 0, "runtimes", A_VAL},
    {"allow-nondistributable-artifacts", 0, "allow-nondistributable-artifacts", A_VAL},
    {"api-cors-header", 0, "api-cors-header", A_VAL},
    {"authorization-plugin", 0, "authorization-plugins", A_VAL},
    {"bip", 0, "bip", A_VAL},
    {"bridge", 'b', "bridge", A_VAL},
    {"cdi-spec-dir", 0, "cdi-spec-dirs", A_VAL},
    {"cgroup-parent", 0, "cgroup-parent", A_VAL},
    {"config-file", 0, "config-file", A_VAL},
    {"containerd", 0, "containerd", A_VAL},
    {"containerd-namespace", 0, "containerd-namespace", A_VAL},
    {"containerd-plugins-namespace", 0, "containerd-plugin-namespace", A_VAL},
    {"cpu-rt-period", 0, "cpu-rt-period", A_VAL},
    {"cpu-rt-runtime", 0, "cpu-rt-runtime", A_VAL},
    {"cri-containerd", 0, "cri-containerd", A_BOOL},
    {"data-root", 0, "data-root", A_VAL},
    {"debug", 'D', "debug", A_BOOL},
    {"default-address-pool", 0, "default-address-pools", A_VAL},
    {"default-cgroupns-mode", 0, "default-cgroupns-mode", A_VAL},
    {"default-gateway", 0, "default-gateway", A_VAL},
    {"default-gateway-v6", 0, "default-gateway-v6", A_VAL},
    {"default-ipc-mode", 0, "default-ipc-mode", A_VAL},
    {"default-network-opt", 0, "default-network-opts", A_VAL},
    {"default-runtime", 0, "default-runtime", A_VAL},
    {"default-shm-size", 0, "default-shm-size", A_VAL},
    {"default-ulimit", 0, "default-ulimits", A_VAL},
    {"dns", 0, "dns", A_VAL},
    {"dns-opt", 0, "dns-opts", A_VAL},
    {"dns-search", 0, "dns-search", A_VAL},
    {"exec-opt", 0, "exec-opts", A_VAL},
    {"exec-root", 0, "exec-root", A_VAL},
    {"experimental", 0, "experimental", A_BOOL},
    {"feature", 0, "features", A_VAL},
    {"fixed-cidr", 0, "fixed-cidr", A_VAL},
    {"fixed-cidr-v6", 0, "fixed-cidr-v6", A_VAL},
    {"graph", 'g', "data-root", A_VAL},
    {"group", 'G', "group", A_VAL},
    {"host", 'H', "hosts", A_VAL},
    {"host-gateway-ip", 0, "host-gateway-ip", A_VAL},
    {"http-proxy", 0, "http-proxy", A_VAL},
    {"https-proxy", 0, "https-proxy", A_VAL},
    {"icc", 0, "icc", A_BOOL},
    {"init", 0, "init", A_BOOL},
    {"init-path", 0, "init-path", A_VAL},
    {"insecure-registry", 0, "insecure-registries", A_VAL},
    {"ip", 0, "ip", A_VAL},
    {"ip-forward", 0, "ip-forward", A_BOOL},
    {"ip-masq", 0, "ip-masq", A_BOOL},
    {"ip6tables", 0, "ip6tables", A_BOOL},
    {"iptables", 0, "iptables", A_BOOL},
    {"ipv6", 0, "ipv6", A_BOOL},
    {"label", 0, "labels", A_VAL},
    {"live-restore", 0, "live-restore", A_BOOL},
    {"log-driver", 0, "log-driver", A_VAL},
    {"log-format", 0, "log-format", A_VAL},
    {"log-level", 'l', "log-level", A_VAL},
    {"log-opt", 0, "log-opts", A_VAL},
    {"max-concurrent-downloads", 0, "max-concurrent-downloads", A_VAL},
    {"max-concurrent-uploads", 0, "max-concurrent-uploads", A_VAL},
    {"max-download-attempts", 0, "max-download-attempts", A_VAL},
    {"metrics-addr", 0, "metrics-addr", A_VAL},
    {"mtu", 0, "mtu", A_VAL},
    {"network-control-plane-mtu", 0, "network-control-plane-mtu", A_VAL},
    {"no-new-privileges", 0, "no-new-privileges", A_BOOL},
    {"no-proxy", 0, "no-proxy", A_VAL},
    {"node-generic-resource", 0, "node-generic-resources", A_VAL},
    {"oom-score-adjust", 0, "oom-score-adjust", A_VAL},
    {"pidfile", 'p', "pidfile", A_VAL},
    {"raw-logs", 0, "raw-logs", A_BOOL},
    {"registry-mirror", 0, "registry-mirrors", A_VAL},
    {"rootless", 0, "rootless", A_BOOL},
    {"seccomp-profile", 0, "seccomp-profile", A_VAL},
    {"selinux-enabled", 0, "selinux-enabled", A_BOOL},
    {"shutdown-timeout", 0, "shutdown-timeout", A_VAL},
    {"storage-driver", 's', "storage-driver", A_VAL},
    {"storage-opt", 0, "storage-opts", A_VAL},
    {"swarm-default-advertise-addr", 0, "swarm-default-advertise-addr", A_VAL},
    {"tls", 0, "tls", A_BOOL},
    {"tlscacert", 0, "tlscacert", A_VAL},
    {"tlscert", 0, "tlscert", A_VAL},
    {"tlskey", 0, "tlskey", A_VAL},
    {"tlsverify", 0, "tlsverify", A_BOOL},
    {"userland-proxy", 0, "userland-proxy", A_BOOL},
    {"userland-proxy-path", 0, "userland-proxy-path", A_VAL},
    {"userns-remap", 0, "userns-remap", A_VAL},
    {"validate", 0, "validate", A_BOOL},
};

static const struct dflag *find_long(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (strlen(flags[i].name) == len && !memcmp(flags[i].name, name, len))
            return &flags[i];
    return NULL;
}

static const struct dflag *find_short(char ch)
{
    size_t i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (flags[i].shortname == ch)
            return &flags[i];
    return NULL;
}

/* Go's strconv.ParseBool spellings, normalised; other text is kept as written */
static const char *boolword(const char *v)
{
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    size_t i;

    for (i = 0; i < 6; i++) {
        if (!strcmp(v, t[i]))
            return "true";
        if (!strcmp(v, f[i]))
            return "false";
    }
    return v;
}

int bh_host_dockerd_args(struct bh_arena *a, const char *const *argv, size_t argc,
                         enum bh_hsorigin origin, const struct bh_loc *where, struct bh_host *h)
{
    size_t i;

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct dflag *f = NULL;
        const char *value = NULL, *eq, *key;
        char *written;
        struct bh_hostsetting *s;

        if (!arg || arg[0] != '-' || !arg[1])
            continue; /* positional words: dockerd takes none, units may carry $VARS */
        if (!strcmp(arg, "--"))
            break;
        if (arg[1] == '-') {
            eq = strchr(arg + 2, '=');
            written = bh_arena_strndup(a, arg, eq ? (size_t)(eq - arg) : strlen(arg));
            f = find_long(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
            if (eq)
                value = eq + 1;
            key = f ? f->key : (written ? written + 2 : NULL);
        } else {
            /* -H value, -Hvalue, -H=value; -D (bool) */
            written = bh_arena_strndup(a, arg, 2);
            f = find_short(arg[1]);
            if (arg[2])
                value = arg[2] == '=' ? arg + 3 : arg + 2;
            key = f ? f->key : (written ? written + 1 : NULL);
        }
        if (!written || !key)
            return BH_ENOMEM;
        if (f && f->kind == A_BOOL) {
            value = value ? boolword(value) : "true";
        } else if (!value) {
            /* a value flag takes the next word; an unknown flag only when it is not a flag */
            if (i + 1 < argc && argv[i + 1] && (f || argv[i + 1][0] != '-'))
                value = argv[++i];
            else
                value = f ? "" : "true";
        }
        s = bh_hostint_setting(
            a, h, key, value, origin, where ? where->file : NULL, where ? where->line : 0,
            (origin != BH_HS_ARGV && where && where->path) ? where->path : written);
        if (!s) {
            if (h->nsettings >= BH_MAX_HOST_SETTINGS)
                return 0;
            return BH_ENOMEM;
        }
        if (where) {
            s->loc.col = where->col;
        }
    }
    return 0;
}
