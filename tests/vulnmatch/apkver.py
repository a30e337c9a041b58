"""An apk version ordering for tests/vulnmatch, written from apk-tools' documented rules and
checked in run.sh against apk-tools' own vectors before it is trusted. It exists so the
expected matches are computed without bulkhead's code (src/vuln/version/apk.c)."""
import re

VALID = re.compile(r"^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)"
                   r"(~[0-9a-f]+)?(-r\d+)?$")
RANK = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "": 4, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}


def parse(v):
    m = VALID.match(v)
    if not m:
        return None
    nums, letter, sufs, _hash, rev = m.groups()
    suffixes = [(RANK[s.rstrip("0123456789")], int(s[len(s.rstrip("0123456789")):] or 0))
                for s in sufs.split("_")[1:]]
    return nums.split("."), letter, suffixes, int(rev[2:]) if rev else 0, (_hash or "")[1:]


def cmp_num(i, a, b):
    # after the first component, a leading zero makes the part a decimal fraction
    if i > 0 and (a.startswith("0") or b.startswith("0")):
        a2, b2 = a.rstrip("0"), b.rstrip("0")
        return (a2 > b2) - (a2 < b2)
    return (int(a) > int(b)) - (int(a) < int(b))


def cmp(a, b):
    pa, pb = parse(a), parse(b)
    if pa is None or pb is None:
        raise ValueError(f"not a valid apk version: {a!r} or {b!r}")
    na, nb = pa[0], pb[0]
    for i in range(min(len(na), len(nb))):
        c = cmp_num(i, na[i], nb[i])
        if c:
            return c
    if len(na) != len(nb):
        return 1 if len(na) > len(nb) else -1
    if pa[1] != pb[1]:
        return 1 if pa[1] > pb[1] else -1
    sa, sb = pa[2] + [(RANK[""], 0)], pb[2] + [(RANK[""], 0)]
    for x, y in zip(sa, sb):
        if x != y:
            return 1 if x > y else -1
    if len(sa) != len(sb):
        longer, other = (sa, 1) if len(sa) > len(sb) else (sb, -1)
        nxt = longer[min(len(sa), len(sb))]
        return other if nxt[0] > RANK[""] else -other
    if pa[4] != pb[4]:
        return 1 if pa[4] > pb[4] else -1
    return (pa[3] > pb[3]) - (pa[3] < pb[3])
