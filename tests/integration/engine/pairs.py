#!/usr/bin/env python3
"""The (container, rule) pairs of a `bulkhead engine -f json` report, one "NAME RULE" line
each, sorted and unique; unsuppressed findings only.

    pairs.py REPORT.json [IDMAP]

A target is "container NAME" (live) or a path .../containers/ID/config.v2.json (a state
directory); IDMAP ("ID NAME" lines, `docker ps -a --no-trunc --format '{{.ID}} {{.Names}}'`)
turns the ID into the name so both kinds compare. A target that is neither prints
"?TARGET" so the comparison fails visibly. Report errors print as "ERROR TARGET: MESSAGE".
"""
import json
import re
import sys

rep = json.load(open(sys.argv[1]))
names = {}
if len(sys.argv) > 2:
    for line in open(sys.argv[2]):
        if line.strip():
            i, n = line.split(None, 1)
            names[i] = n.strip()
out = set()
for t in rep["targets"]:
    name = t["target"]
    m = re.search(r"containers/([0-9a-f]{64})/config\.v2\.json$", name)
    if name.startswith("container "):
        name = name[len("container "):]
    elif m and m.group(1) in names:
        name = names[m.group(1)]
    else:
        name = "?" + name
    if t["kind"] != "engine":
        name += "(kind %s)" % t["kind"]
    for f in t["findings"]:
        if f.get("suppressed") is None:
            out.add("%s %s" % (name, f["rule"]))
for line in sorted(out):
    print(line)
for e in rep.get("errors", []):
    print("ERROR %s: %s" % (e["target"], e["message"]))
