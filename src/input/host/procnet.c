/*
 * procnet.c - TCP listeners from /proc/net/tcp and /proc/net/tcp6: rows in state 0A
 * (LISTEN), the local address decoded from the kernel's hex (each 32-bit word in host byte
 * order, which is little-endian on every machine we build for) and the port. Other states,
 * UDP and unix sockets are not read.
 */
#include "core/arena.h"
#include "core/limits.h"
#include "input/host/hostint.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static int hexv(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* n hex digits at s into *out; false on a non-hex digit */
static bool hexn(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        int d = hexv(s[i]);

        if (d < 0)
            return false;
        v = v * 16u + (uint32_t)d;
    }
    *out = v;
    return true;
}

/* "0100007F:0CEA" (v4) or 32 hex digits ':' port (v6) */
static bool decode(const char *f, size_t flen, bool v6, char *addr, size_t cap, unsigned *port)
{
    unsigned char bytes[16];
    size_t alen = v6 ? 32 : 8, w;
    uint32_t p;

    if (flen != alen + 5 || f[alen] != ':' || !hexn(f + alen + 1, 4, &p))
        return false;
    for (w = 0; w < alen / 8; w++) {
        uint32_t word;

        if (!hexn(f + w * 8, 8, &word))
            return false;
        /* the kernel printed the 32-bit word as a number: its first byte is the low one */
        bytes[w * 4 + 0] = (unsigned char)(word & 0xff);
        bytes[w * 4 + 1] = (unsigned char)((word >> 8) & 0xff);
        bytes[w * 4 + 2] = (unsigned char)((word >> 16) & 0xff);
        bytes[w * 4 + 3] = (unsigned char)((word >> 24) & 0xff);
    }
    if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, addr, (socklen_t)cap))
        return false;
    *port = p;
    return true;
}

int bh_hostnet_parse(struct bh_arena *a, const char *file, const char *text, size_t len, bool v6,
                     struct bh_host *h)
{
    size_t pos = 0;
    int line = 0;

    while (pos < len) {
        const char *ln = text + pos, *nl = memchr(ln, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - ln) : len - pos, i = 0, fno = 0;
        const char *fld[4] = {0};
        size_t flen[4] = {0};

        pos += ll + (nl ? 1 : 0);
        line++;
        /* fields: sl local_address rem_address st ... */
        while (i < ll && fno < 4) {
            while (i < ll && (ln[i] == ' ' || ln[i] == '\t'))
                i++;
            if (i >= ll)
                break;
            fld[fno] = ln + i;
            while (i < ll && ln[i] != ' ' && ln[i] != '\t')
                i++;
            flen[fno] = (size_t)(ln + i - fld[fno]);
            fno++;
        }
        if (fno < 4 || flen[3] != 2 || memcmp(fld[3], "0A", 2) != 0)
            continue; /* the header, other states, or a malformed row */
        {
            char addr[INET6_ADDRSTRLEN];
            unsigned port;
            struct bh_hostlistener *l;

            if (!decode(fld[1], flen[1], v6, addr, sizeof(addr), &port))
                continue;
            if (h->nlisteners >= BH_MAX_HOST_SETTINGS)
                return 0;
            l = BH_HPUSH(a, h->listeners, h->nlisteners);
            if (!l)
                return BH_ENOMEM;
            l->v6 = v6;
            l->addr = bh_arena_strdup(a, addr);
            l->port = port;
            l->loc.file = file;
            l->loc.line = line;
            if (!l->addr)
                return BH_ENOMEM;
        }
    }
    return 0;
}

int bh_hostnet_read(struct bh_hostctx *c)
{
    static const char *const files[] = {"proc/net/tcp", "proc/net/tcp6"};
    size_t i;

    for (i = 0; i < 2; i++) {
        char *data;
        size_t len;
        int rc = bh_hostint_read(c, files[i], BH_MAX_HOST_PROCNET, &data, &len);

        if (rc == BH_ENOMEM)
            return rc;
        if (rc)
            continue;
        rc = bh_hostnet_parse(c->a, bh_hostint_hostpath(c, files[i]), data, len, i == 1, c->h);
        if (rc)
            return rc;
    }
    return 0;
}
