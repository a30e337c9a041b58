#!/usr/bin/env python3
"""Normalise a `bulkhead image -f json` report for comparison across sources.

usage: norm.py REPORT.json TARGET [SUBST=REPL...]

Prints one line per finding, sorted: rule, severity, message, location.path and
location.line, tab-separated. TARGET (the string given on the command line) is
replaced by <TARGET> wherever it appears, each SUBST by its REPL (e.g. a registry
address), and every sha256 digest by sha256:<DIGEST> (layer blobs differ between
an uncompressed docker-save archive and a gzip registry copy). Rules whose
messages or paths carried a digest are listed on stderr as "digest RULE".
With NORM_RAW=1 in the environment digests are left as they are (to see which
rules carry source-dependent digests). A report that is not one target with a findings array is an error (exit 1).
"""
import json
import os
import re
import sys

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# the short forms some messages use (12 hex digits after "sha256:", or a bare 64-hex id)
SHORT = re.compile(r"sha256:[0-9a-f]{12,63}\b|\b[0-9a-f]{64}\b")


def main():
    path, target = sys.argv[1], sys.argv[2]
    subst = [a.split("=", 1) for a in sys.argv[3:]]
    with open(path) as f:
        rep = json.load(f)
    targets = rep.get("targets")
    if not isinstance(targets, list) or len(targets) != 1:
        sys.exit("norm.py: %s: want exactly one target, got %r" % (path, targets and len(targets)))
    findings = targets[0].get("findings")
    if not isinstance(findings, list):
        sys.exit("norm.py: %s: no findings array" % path)
    digest_rules = set()
    raw = os.environ.get("NORM_RAW") == "1"
    lines = []
    for fd in findings:
        loc = fd.get("location") or {}
        fields = [str(fd.get("rule", "")), str(fd.get("severity", "")),
                  str(fd.get("message", "")), str(loc.get("path", "")), str(loc.get("line", ""))]
        out = []
        for s in fields:
            s = s.replace(target, "<TARGET>")
            for a, b in subst:
                s = s.replace(a, b)
            t = SHORT.sub("<DIGEST>", DIGEST.sub("sha256:<DIGEST>", s))
            if t != s:
                digest_rules.add(fields[0])
            if raw:
                t = s
            out.append(t.replace("\t", " ").replace("\n", " "))
        lines.append("\t".join(out))
    for line in sorted(lines):
        print(line)
    for r in sorted(digest_rules):
        sys.stderr.write("digest %s\n" % r)


main()
