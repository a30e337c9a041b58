#!/usr/bin/env bash
# The runtime slice's promises that span readers:
# - one model: the same container written as Compose, Kubernetes and a docker
#   run line gets the same findings from the shared rules;
# - hostile YAML is refused by limits, fast and in bounded memory.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT/tests/runtime" || exit 1
rules_of() { # rules_of FILE -> sorted unique rule ids, unsuppressed
    "$BULKHEAD" config -f json "$1" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print(" ".join(sorted({f["rule"] for t in r["targets"] for f in t["findings"] if f["suppressed"] is None})))'
}
shared="REF-LATEST RUN-HOSTNET RUN-HOSTPID RUN-PORTS-ALL RUN-PRIV RUN-ROOT RUN-ROOTGROUP RUN-SENSMOUNT RUN-SOCK IMG-SECRET-ENV"
for f in same/compose.yaml same/pod.yaml same/run.sh; do
    got=" $(rules_of "$f") "
    missing=""
    for r in $shared; do case "$got" in *" $r "*) ;; *) missing+=" $r" ;; esac; done
    if [ -z "$missing" ]; then ok "one model: $f gets every shared rule"; else not_ok "one model: $f misses$missing (got$got)"; fi
    # privileged folds the implied findings: no separate RUN-CAPADD for a privileged container
    case "$got" in *" RUN-CAPADD "*) not_ok "one model: $f reports RUN-CAPADD next to RUN-PRIV" ;; *) ok "one model: $f folds RUN-CAPADD under RUN-PRIV" ;; esac
done

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# billion laughs: 10 levels of 10 aliases
{
    echo 'apiVersion: v1'; echo 'kind: ConfigMap'; echo 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    for i in $(seq 1 9); do p=$((i-1)); printf 'a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n' $i $i $p $p $p $p $p $p $p $p $p $p; done
} > "$work/bomb.yaml"
# 100-level nesting, flow and block
{ printf 'services:\n  x:\n    labels: '; for i in $(seq 1 100); do printf '['; done; for i in $(seq 1 100); do printf ']'; done; echo; } > "$work/compose.yaml"
python_nest='import sys
print("apiVersion: v1\nkind: Pod\nspec:")
for i in range(300): print("  " * (i + 1) + "k%d:" % i)
print("  " * 301 + "v")'
/usr/bin/python3 -c "$python_nest" > "$work/deep.yaml"
for f in bomb.yaml compose.yaml deep.yaml; do
    start=$(date +%s%N)
    out=$(/usr/bin/time -f 'maxrss_kb=%M' -o "$work/time.$f" timeout 20 "$BULKHEAD" config -f json "$work/$f" 2>&1); rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    kb=$(sed -n 's/^maxrss_kb=//p' "$work/time.$f")
    if [ $rc -eq 2 ] && [ $ms -lt 5000 ] && [ "${kb:-999999999}" -lt 524288 ] && printf '%s' "$out" | grep -q '"line"'; then
        ok "limits: $f refused with a located error in ${ms} ms, peak RSS ${kb} KiB (ASan build)"
    else
        not_ok "limits: $f: exit $rc after ${ms} ms, peak RSS ${kb} KiB: $(printf '%s' "$out" | grep -m1 -i 'error\|message')"
    fi
done
